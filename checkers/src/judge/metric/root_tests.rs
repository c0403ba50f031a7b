//! `logs.metric_filter` for a lab that watches a caller rather than an operation:
//! uses of the root user (CIS AWS Foundations 4.3, Security Hub CloudWatch.1,
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-1>).
//! The watch names the root user, calls a service makes for it (`invokedBy`) and
//! service events, so the corpus holds all three and the structure rule lets a
//! pattern test exactly those fields.

use super::{assert_metric_verdict, metric_verdict};
use crate::finding::{Finding, Status};
use crate::watch::Watch;

const CIS: &str = r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#;

fn root_watch() -> Watch {
    serde_json::from_str(include_str!("../../../tests/data/root-watch.json"))
        .expect("the root watch")
}

fn verdict(pattern: &str) -> Finding {
    metric_verdict(&root_watch(), CIS, pattern)
}

#[track_caller]
fn assert_verdict(pattern: &str, status: Status, has: &[&str]) {
    assert_metric_verdict(&root_watch(), CIS, pattern, status, has);
}

#[test]
fn the_cis_pattern_passes_however_it_is_spelled() {
    for pattern in [
        CIS,
        r#"{ ($.userIdentity.type = "Root") && ($.userIdentity.invokedBy NOT EXISTS) && ($.eventType != "AwsServiceEvent") }"#,
        r#"{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}"#,
        r#"{ $.eventType != AwsServiceEvent && $.userIdentity.invokedBy NOT EXISTS && $.userIdentity.type = Root }"#,
        // Root's ARN is the account's, and no other caller's.
        r#"{ $.userIdentity.arn = "arn:aws:iam::*:root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#,
    ] {
        assert_verdict(pattern, Status::Pass, &["counts uses of the root user"]);
    }
}

#[test]
fn a_pattern_that_also_counts_what_services_do_for_root_fails_saying_so() {
    // The three the issue found passing: each counts calls a service made for root.
    for pattern in [
        r#"{ $.userIdentity.type = "Root" }"#,
        r#"{ $.userIdentity.arn = "arn:aws:iam::*:root" }"#,
        "Root",
    ] {
        assert_verdict(
            pattern,
            Status::Fail,
            &[
                "it also counts",
                "through",
                "`$.userIdentity.invokedBy NOT EXISTS` leaves it out",
            ],
        );
    }
    assert_verdict(
        r#"{ $.userIdentity.type = "Root" && $.eventType != "AwsServiceEvent" }"#,
        Status::Fail,
        &["it also counts", "through"],
    );
    assert_verdict(
        r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS }"#,
        Status::Fail,
        &[
            "(a service event)",
            "`$.eventType != \"AwsServiceEvent\"` leaves it out",
        ],
    );
}

#[test]
fn a_pattern_that_counts_too_little_fails_naming_what_it_misses() {
    for (pattern, missed) in [
        // Console sign-ins are uses of root too.
        (
            r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType = "AwsApiCall" }"#,
            "signin ConsoleLogin",
        ),
        // So are refused calls.
        (
            &format!("{} ", CIS.replace(" }", " && $.errorCode NOT EXISTS }")),
            "refused",
        ),
        (
            r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventName = "ConsoleLogin" }"#,
            "it misses",
        ),
    ] {
        assert_verdict(pattern, Status::Fail, &[missed]);
    }
}

#[test]
fn tests_of_fields_no_shape_names_fail_as_guesses() {
    assert_verdict(
        &CIS.replace(" }", r#" && $.sourceIPAddress != "AWS Internal" }"#),
        Status::Fail,
        &[
            "it tests `$.sourceIPAddress`",
            "can never count all uses of the root user",
        ],
    );
    assert_verdict(
        &CIS.replace(
            " }",
            r#" && $.userIdentity.sessionContext.attributes.mfaAuthenticated = "true" }"#,
        ),
        Status::Fail,
        &["mfaAuthenticated"],
    );
}

#[test]
fn a_pattern_that_only_excludes_callers_fails_though_the_corpus_has_no_other() {
    let excluding = r#"{ $.userIdentity.type != "IAMUser" && $.userIdentity.type != "AssumedRole" && $.userIdentity.type != "FederatedUser" && $.userIdentity.type != "AWSService" && $.userIdentity.type != "AWSAccount" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#;
    assert_verdict(excluding, Status::Fail, &["picks no caller"]);
}

#[test]
fn fixes_suggest_the_labs_own_pattern() {
    let found = verdict(r#"{ $.userIdentity.type = "Root" }"#);
    let fix = found.fix.unwrap();
    assert!(fix.contains(CIS), "{fix}");
    assert!(!fix.contains("GetSecretValue"), "{fix}");
}

#[test]
fn excluding_a_value_no_record_holds_is_a_guess() {
    // Root calls refused with an error the corpus never draws would be missed.
    assert_verdict(
        &CIS.replace(" }", r#" && $.errorCode != "ExpiredToken" }"#),
        Status::Fail,
        &["it tests `$.errorCode`"],
    );
    // Excluding a value the records hold is judged by them: refused root calls
    // are uses too.
    assert_verdict(
        &CIS.replace(" }", r#" && $.errorCode != "AccessDenied" }"#),
        Status::Fail,
        &["it misses", "refused (AccessDenied)"],
    );
}

/// The three tests of the CIS pattern, each in a few spellings.
fn cis_tests() -> [Vec<&'static str>; 3] {
    [
        vec![
            r#"$.userIdentity.type = "Root""#,
            r#"$.userIdentity.type = Root"#,
            r#"$.userIdentity.type="Root""#,
            r#"$.userIdentity.arn = "arn:aws:iam::*:root""#,
        ],
        vec![
            "$.userIdentity.invokedBy NOT EXISTS",
            "$.userIdentity.invokedBy  NOT  EXISTS",
        ],
        vec![
            r#"$.eventType != "AwsServiceEvent""#,
            r#"$.eventType != AwsServiceEvent"#,
            r#"$.eventType !="AwsServiceEvent""#,
        ],
    ]
}

/// The CIS tests, `omit` of them left out (`None`: all there), spelled with
/// `picks`, in the order `order`, each in parentheses or not.
fn conjunction(
    picks: [usize; 3],
    order: [usize; 3],
    parens: [bool; 3],
    omit: Option<usize>,
) -> String {
    let tests = cis_tests();
    let parts: Vec<String> = order
        .iter()
        .filter(|i| Some(**i) != omit)
        .map(|&i| {
            let test = tests[i][picks[i] % tests[i].len()];
            if parens[i] {
                format!("({test})")
            } else {
                test.to_string()
            }
        })
        .collect();
    format!("{{ {} }}", parts.join(" && "))
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]

    #[test]
    fn the_cis_pattern_passes_in_any_spelling_and_order(
        picks in proptest::array::uniform3(0usize..4),
        order in proptest::sample::select(vec![[0, 1, 2], [2, 1, 0], [1, 0, 2], [1, 2, 0], [0, 2, 1], [2, 0, 1]]),
        parens in proptest::array::uniform3(proptest::bool::ANY),
    ) {
        let pattern = conjunction(picks, order, parens, None);
        let found = verdict(&pattern);
        proptest::prop_assert_eq!(found.status, Status::Pass, "{}: {}", pattern, found.message);
    }

    #[test]
    fn the_cis_pattern_without_any_one_of_its_tests_never_passes(
        picks in proptest::array::uniform3(0usize..4),
        parens in proptest::array::uniform3(proptest::bool::ANY),
        omit in 0usize..3,
    ) {
        let pattern = conjunction(picks, [0, 1, 2], parens, Some(omit));
        let found = verdict(&pattern);
        proptest::prop_assert_eq!(found.status, Status::Fail, "{}: {}", pattern, found.message);
    }
}
