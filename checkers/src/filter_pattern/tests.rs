//! Table tests, most rows taken from the examples in the CloudWatch Logs
//! documentation ("Filter pattern syntax" and its pages on unstructured and JSON
//! events), plus the CloudTrail records this lab cares about.

use super::{ParseError, ParseErrorKind, Verdict, parse};
use Verdict::{Match, NoMatch, Unknown};

/// The documentation's sample JSON event.
const DOC_EVENT: &str = r#"{
  "eventType": "UpdateTrail",
  "sourceIPAddress": "123.123.123.123",
  "arrayKey": ["value", "another value"],
  "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}],
  "SomeObject": null,
  "ThisFlag": true,
  "bandwidth": 80,
  "latency": 40,
  "user": {"id": 1},
  "users": [{"email": "John.Doe@example.com"}],
  "actions": ["GET", "PUT", "DELETE"]
}"#;

const GET_SECRET: &str = r#"{"eventVersion":"1.09","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue","readOnly":true,"requestParameters":{"secretId":"TopSecretInfo"},"responseElements":null,"errorCode":null}"#;
const LIST_SECRETS: &str = r#"{"eventVersion":"1.09","eventSource":"secretsmanager.amazonaws.com","eventName":"ListSecrets","readOnly":true,"requestParameters":null,"responseElements":null}"#;

#[test]
fn term_patterns_on_unstructured_events() {
    let rows: &[(&str, &str, Verdict)] = &[
        ("ERROR", "[ERROR 400] BAD REQUEST", Match),
        ("ERROR", "[WARN 400] BAD REQUEST", NoMatch),
        ("ERROR", "[error 400] case matters", NoMatch),
        ("ERROR ARGUMENTS", "[ERROR 400] BAD ARGUMENTS", Match),
        ("ERROR ARGUMENTS", "[ERROR 401] UNAUTHORIZED", NoMatch),
        ("?ERROR ?WARN", "[WARN 200] SLOW", Match),
        ("?ERROR ?WARN", "[ERROR 500] DOWN", Match),
        ("?ERROR ?WARN", "[INFO 200] OK", NoMatch),
        ("ERROR -ARGUMENTS", "[ERROR 401] UNAUTHORIZED", Match),
        ("ERROR -ARGUMENTS", "[ERROR 400] BAD ARGUMENTS", NoMatch),
        ("-ERROR", "[INFO 200] OK", Match),
        ("-ERROR", "[ERROR 500] DOWN", NoMatch),
        ("\"BAD REQUEST\"", "[ERROR 400] BAD REQUEST", Match),
        (
            "\"BAD REQUEST\"",
            "[ERROR 400] BAD ARGUMENTS REQUEST",
            NoMatch,
        ),
        ("\"\"", "anything at all", Match),
        ("", "anything at all", Match),
        // Inside a longer word, AWS's behaviour is not documented: never guessed.
        ("ERROR", "[ERRORS 400]", Unknown),
        ("-ERROR", "[ERRORS 400]", Unknown),
        // Quoted or not: inside a longer word it is not settled by the documentation.
        ("\"ERROR\"", "[ERRORS 400]", Unknown),
        // A term that spans JSON punctuation depends on how the record is written.
        (
            "\"eventName\\\":\\\"Get\"",
            "{\"eventName\":\"GetSecretValue\"}",
            Unknown,
        ),
    ];
    for (pattern, event, expected) in rows {
        let parsed = parse(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        assert_eq!(
            parsed.matches(event),
            *expected,
            "pattern {pattern:?} on {event:?}"
        );
    }
}

#[test]
fn json_patterns_from_the_documentation() {
    let rows: &[(&str, Verdict)] = &[
        (r#"{ $.eventType = "UpdateTrail" }"#, Match),
        (r#"{ $.eventType = UpdateTrail }"#, Match),
        (r#"{ $.eventType = "Update*" }"#, Match),
        (r#"{ $.eventType = "CreateTrail" }"#, NoMatch),
        (r#"{ $.eventType != "CreateTrail" }"#, Match),
        (r#"{ $.sourceIPAddress != 123.123.* }"#, NoMatch),
        (r#"{ $.sourceIPAddress = 123.123.* }"#, Match),
        (r#"{ $.arrayKey[0] = "value" }"#, Match),
        (r#"{ $.arrayKey[1] = "value" }"#, NoMatch),
        (r#"{ $.objectList[1].id = 2 }"#, Match),
        (r#"{ $.objectList[1].id > 2 }"#, NoMatch),
        (r#"{ $.SomeObject IS NULL }"#, Match),
        (r#"{ $.ThisFlag IS NULL }"#, NoMatch),
        (r#"{ $.SomeOtherObject NOT EXISTS }"#, Match),
        (r#"{ $.SomeObject NOT EXISTS }"#, NoMatch),
        (r#"{ $.ThisFlag IS TRUE }"#, Match),
        (r#"{ $.ThisFlag IS FALSE }"#, NoMatch),
        (r#"{ $.bandwidth > 75 }"#, Match),
        (r#"{ $.latency < 50 }"#, Match),
        (r#"{ $.latency >= 40 }"#, Match),
        (r#"{ $.latency <= 39.5 }"#, NoMatch),
        (
            r#"{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }"#,
            Match,
        ),
        (
            r#"{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }"#,
            NoMatch,
        ),
        (
            r#"{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[0] = "GET" }"#,
            Match,
        ),
        (
            r#"{ $.user.id = 1 && $.actions[1] = "PUT" || $.latency > 1000 }"#,
            Match,
        ),
        // Undocumented corners are Unknown, never a guess.
        (r#"{ $.missing != "x" }"#, Unknown),
        (r#"{ $.bandwidth = "80" }"#, Unknown),
        (r#"{ $.missing = "x" }"#, NoMatch),
        // Unknown does not decide an && that is already false, nor an || already true.
        (r#"{ $.missing != "x" && $.latency > 1000 }"#, NoMatch),
        (r#"{ $.missing != "x" || $.latency = 40 }"#, Match),
    ];
    for (pattern, expected) in rows {
        let parsed = parse(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        assert_eq!(parsed.matches(DOC_EVENT), *expected, "pattern {pattern}");
    }
}

#[test]
fn patterns_on_cloudtrail_records() {
    let rows: &[(&str, Verdict, Verdict)] = &[
        ("GetSecretValue", Match, NoMatch),
        ("\"GetSecretValue\"", Match, NoMatch),
        ("secretsmanager", Match, Match),
        (r#"{ $.eventName = "GetSecretValue" }"#, Match, NoMatch),
        (
            r#"{ ($.eventSource = "secretsmanager.amazonaws.com") && ($.eventName = "GetSecretValue") }"#,
            Match,
            NoMatch,
        ),
        (
            r#"{ $.requestParameters.secretId = "TopSecretInfo" }"#,
            Match,
            NoMatch,
        ),
        (r#"{ $.eventName = "*Secret*" }"#, Match, Match),
        (r#"{ $.readOnly IS TRUE }"#, Match, Match),
        // The event is JSON; a term pattern still sees its text.
        ("GetSecret", Unknown, NoMatch),
    ];
    for (pattern, on_get, on_list) in rows {
        let parsed = parse(pattern).unwrap();
        assert_eq!(
            parsed.matches(GET_SECRET),
            *on_get,
            "{pattern} on GetSecretValue"
        );
        assert_eq!(
            parsed.matches(LIST_SECRETS),
            *on_list,
            "{pattern} on ListSecrets"
        );
    }
    // A JSON pattern never matches a line that is not JSON.
    let json = parse(r#"{ $.eventName = "GetSecretValue" }"#).unwrap();
    assert_eq!(json.matches("GetSecretValue in plain text"), NoMatch);
}

#[test]
fn unsupported_forms_are_refused_not_guessed() {
    for pattern in [
        "[ip, user, username, timestamp, request, status_code = 404, bytes]",
        "%ERROR [0-9]+%",
        r#"{ $.eventName = %Get.*% }"#,
        r#"{ $.list[*].id = 1 }"#,
        "?ERROR WARN",
    ] {
        assert!(
            matches!(
                parse(pattern),
                Err(ParseError {
                    kind: ParseErrorKind::Unsupported,
                    ..
                })
            ),
            "{pattern}: {:?}",
            parse(pattern)
        );
    }
}

#[test]
fn invalid_patterns_are_errors() {
    for pattern in [
        r#"{ $.eventName = "GetSecretValue" "#,
        r#"{ eventName = "x" }"#,
        r#"{ $.latency > "fast" }"#,
        r#"{ $. = 1 }"#,
        r#"{ $.a = }"#,
        r#"{ $.a IS MAYBE }"#,
        r#"{ ($.a = 1 }"#,
        "\"unclosed",
        "ERROR -",
    ] {
        assert!(
            matches!(
                parse(pattern),
                Err(ParseError {
                    kind: ParseErrorKind::Invalid,
                    ..
                })
            ),
            "{pattern}: {:?}",
            parse(pattern)
        );
    }
}

#[test]
fn errors_say_what_is_wrong_in_words_with_a_caret_at_the_spot() {
    let cases = [
        (
            r#"{ ($.eventName = "GetSecretValue" }"#,
            "this `(` is never closed",
            2,
        ),
        (
            r#"{ $.eventName = "GetSecretValue" "#,
            "expected `}` here, found the end of the pattern",
            32,
        ),
        (
            r#"{ $.eventName "GetSecretValue" }"#,
            "expected an operator",
            14,
        ),
        (
            r#"{ eventName = "x" }"#,
            "expected a selector like `$.eventName` here, found `eventName`",
            2,
        ),
        (
            r#"{ $.a = 1 & $.b = 2 }"#,
            "`&` alone is not an operator: write `&&`",
            10,
        ),
        ("  \"unclosed", "this quote is never closed", 2),
        (
            r#"{ $.latency > "fast" }"#,
            "strings can only be compared with `=` and `!=`",
            14,
        ),
    ];
    for (pattern, words, column) in cases {
        let error = parse(pattern).unwrap_err();
        let shown = error.explain(pattern);
        assert!(shown.contains(words), "{pattern}: {shown}");
        let caret_line = shown.lines().last().unwrap();
        assert_eq!(
            caret_line.find('^'),
            Some(4 + column),
            "{pattern}:\n{shown}"
        );
        // No parser token names reach a person.
        assert!(
            !shown.contains("Token") && !shown.contains("Some("),
            "{shown}"
        );
    }
}

#[test]
fn hostile_patterns_are_refused_without_exhausting_the_stack() {
    let deep = format!("{{ {}$.a = 1{} }}", "(".repeat(3000), ")".repeat(3000));
    let error = parse(&deep).unwrap_err();
    assert_eq!(error.kind, ParseErrorKind::Invalid);
    assert!(error.message.contains("1024"), "{error}");
    let nested = format!("{{ {}$.a = 1{} }}", "(".repeat(40), ")".repeat(40));
    assert!(parse(&nested).unwrap_err().message.contains("nest"));
    let fine = format!("{{ {}$.a = 1{} }}", "(".repeat(20), ")".repeat(20));
    assert!(parse(&fine).is_ok());
}

mod fuzz {
    //! Random text built from the language's own pieces: the parser never panics,
    //! never recurses without bound, and whatever it accepts evaluates on a record.
    use proptest::prelude::*;

    use super::super::parse;

    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "{",
            "}",
            "(",
            ")",
            "$.",
            "$",
            ".",
            "[",
            "]",
            "0",
            "12",
            "-1.5e3",
            "&&",
            "||",
            "&",
            "|",
            "=",
            "!=",
            "<",
            ">=",
            "IS",
            "TRUE",
            "NULL",
            "NOT",
            "EXISTS",
            "\"",
            "\\",
            "*",
            "?",
            "-",
            "%",
            " ",
            "  ",
            "\t",
            "\u{a0}",
            "a",
            "eventName",
            "GetSecretValue",
            ",",
            ":",
            "é",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn any_text_parses_or_is_refused_without_a_panic(pieces in prop::collection::vec(piece(), 0..400)) {
            let text: String = pieces.concat();
            let record = r#"{"eventName":"GetSecretValue","a":[1,{"b":null}],"readOnly":true}"#;
            if let Ok(pattern) = parse(&text) {
                let _ = pattern.matches(record);
            } else if let Err(e) = parse(&text) {
                // Every refusal says where, within the text.
                prop_assert!(e.at <= text.chars().count().max(1024), "{e:?} for {text:?}");
                let _ = e.explain(&text);
            }
        }
    }
}
