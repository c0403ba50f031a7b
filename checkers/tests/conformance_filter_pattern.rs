//! The filter-pattern evaluator against the examples of the CloudWatch Logs User
//! Guide's "Filter pattern syntax for metric filters, subscription filters, filter
//! log events, and Live Tail"
//! (<https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html>),
//! each event and pattern as the page gives them, with the page's result.
//! Transcribed, not generated from lab's code.
//!
//! The sandbox's metric filters and `lab check`'s judge of them share this
//! evaluator, so a mistake in it would make both agree; these rows keep it honest.
//! A form the evaluator does not read yet must be refused as unsupported, never
//! answered wrongly.

use checkers::filter_pattern::{ParseErrorKind, Verdict, parse};

/// The page's unstructured events.
const E400: &str = "[ERROR 400] BAD REQUEST";
const E401: &str = "[ERROR 401] UNAUTHORIZED REQUEST";
const E419: &str = "[ERROR 419] MISSING ARGUMENTS";
const E420: &str = "[ERROR 420] INVALID ARGUMENTS";
const E500: &str = "[ERROR 500] INTERNAL SERVER ERROR";
const EVENTS: [&str; 5] = [E400, E401, E419, E420, E500];

/// The page's JSON event for its JSON examples.
const JSON_EVENT: &str = r#"{"eventType":"UpdateTrail","sourceIPAddress":"111.111.111.111","arrayKey":["value","another value"],"objectList":[{"name":"a","id":1},{"name":"b","id":2}],"SomeObject":null}"#;

/// The page's JSON event for its compound expressions.
const COMPOUND_EVENT: &str = r#"{"user":{"id":1,"email":"John.Stiles@example.com"},"users":[{"id":2,"email":"John.Doe@example.com"},{"id":3,"email":"Jane.Doe@example.com"}],"actions":["GET","PUT","DELETE"],"coordinates":[[0,1,2],[4,5,6],[7,8,9]]}"#;

fn verdict(pattern: &str, event: &str) -> Verdict {
    parse(pattern)
        .unwrap_or_else(|e| panic!("the documented pattern {pattern:?} is refused: {e}"))
        .matches(event)
}

/// The events of the page's five that `pattern` matches.
fn matched(pattern: &str) -> Vec<&'static str> {
    EVENTS
        .into_iter()
        .filter(|e| verdict(pattern, e) == Verdict::Match)
        .collect()
}

#[test]
fn terms_match_every_event_holding_them() {
    // "ERROR" is in 400, 401, 419, 420 and 500's "INTERNAL SERVER ERROR" line.
    assert_eq!(matched("ERROR"), EVENTS);
}

#[test]
fn several_terms_must_all_be_there() {
    assert_eq!(matched("ERROR ARGUMENTS"), [E419, E420]);
}

#[test]
fn question_marks_make_terms_optional() {
    assert_eq!(matched("?ERROR ?ARGUMENTS"), EVENTS);
}

#[test]
fn a_quoted_phrase_matches_as_a_whole() {
    assert_eq!(matched("\"INTERNAL SERVER ERROR\""), [E500]);
}

#[test]
fn a_minus_excludes_a_term() {
    assert_eq!(matched("ERROR -ARGUMENTS"), [E400, E401, E500]);
}

#[test]
fn a_quoted_space_matches_every_event() {
    assert_eq!(matched("\" \""), EVENTS);
}

#[test]
fn json_examples_all_match_their_event() {
    let mut wrong = Vec::new();
    for pattern in [
        r#"{ $.eventType = "UpdateTrail" }"#,
        r#"{ $.sourceIPAddress != 123.123.* }"#,
        r#"{ $.arrayKey[0] = "value" }"#,
        r#"{ $.objectList[1].id = 2 }"#,
        r#"{ $.SomeObject IS NULL }"#,
        r#"{ $.SomeOtherObject NOT EXISTS }"#,
    ] {
        let found = verdict(pattern, JSON_EVENT);
        if found != Verdict::Match {
            wrong.push(format!("{pattern}: {found:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn numeric_examples_compare_numbers() {
    let rows: &[(&str, &str, Verdict)] = &[
        (
            r#"{ $.bandwidth > 75 }"#,
            r#"{"bandwidth":80}"#,
            Verdict::Match,
        ),
        (
            r#"{ $.bandwidth > 75 }"#,
            r#"{"bandwidth":75}"#,
            Verdict::NoMatch,
        ),
        (r#"{ $.latency < 50 }"#, r#"{"latency":40}"#, Verdict::Match),
        (
            r#"{ $.refreshRate >= 60 }"#,
            r#"{"refreshRate":60}"#,
            Verdict::Match,
        ),
        (
            r#"{ $.responseTime <= 5 }"#,
            r#"{"responseTime":6}"#,
            Verdict::NoMatch,
        ),
        (
            r#"{ $.errorCode = 400}"#,
            r#"{"errorCode":400}"#,
            Verdict::Match,
        ),
        (
            r#"{ $.errorCode != 500 }"#,
            r#"{"errorCode":400}"#,
            Verdict::Match,
        ),
        (
            r#"{ $.errorCode != 500 }"#,
            r#"{"errorCode":500}"#,
            Verdict::NoMatch,
        ),
        (
            r#"{ $.number[0] = 1e-3 }"#,
            r#"{"number":[0.001]}"#,
            Verdict::Match,
        ),
        (
            r#"{ $.number[0] != 1e+3 }"#,
            r#"{"number":[1000]}"#,
            Verdict::NoMatch,
        ),
    ];
    let mut wrong = Vec::new();
    for (pattern, event, expected) in rows {
        let found = verdict(pattern, event);
        if found != *expected {
            wrong.push(format!("{pattern} on {event}: {found:?}, not {expected:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn compound_expressions_follow_the_documented_order_of_operations() {
    // "() > && > ||".
    let rows: &[(&str, Verdict)] = &[
        (
            r#"{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }"#,
            Verdict::Match,
        ),
        (
            r#"{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch" && $.actions[2] = "nonmatch" }"#,
            Verdict::Match,
        ),
        (
            r#"{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch") && $.actions[2] = "nonmatch" }"#,
            Verdict::NoMatch,
        ),
        (
            r#"{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }"#,
            Verdict::NoMatch,
        ),
    ];
    let mut wrong = Vec::new();
    for (pattern, expected) in rows {
        let found = verdict(pattern, COMPOUND_EVENT);
        if found != *expected {
            wrong.push(format!("{pattern}: {found:?}, not {expected:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn space_delimited_patterns_are_answered_rightly_or_refused() {
    let event =
        r#"127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534"#;
    for pattern in [
        "[ip, user, username, timestamp, request =*.html*, status_code = 4*, bytes]",
        "[..., request =*.html*, status_code = 4*, bytes]",
        "[ip, user, username, timestamp, request =*.html*, status_code = 404 || status_code = 410, bytes]",
    ] {
        match parse(pattern) {
            Ok(parsed) => assert_eq!(parsed.matches(event), Verdict::Match, "{pattern}"),
            Err(e) => assert_eq!(e.kind, ParseErrorKind::Unsupported, "{pattern}: {e}"),
        }
    }
}
