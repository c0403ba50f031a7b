//! `logs.metric_filter` judged whole: the issue's adversarial patterns, each category
//! of record the corpus holds, the metric-level cases, and property tests over
//! random variations of right and wrong patterns. No server is involved.

use proptest::prelude::*;

use super::super::{Request, judge};
use crate::catalogue;
use crate::finding::{Finding, Status};
use crate::params::Params;
use crate::snapshot::*;
use crate::test_snapshot::*;

const ID: &str = "logs.metric_filter";

/// Judges check `id` on `s`, and again on the part of `s` its scope reads, which
/// must give the same verdict.
fn check_id(s: &Snapshot, id: &str) -> Finding {
    let spec = catalogue::find(id).unwrap();
    let request = [Request {
        spec,
        params: Params::new(),
        stage: 3,
    }];
    let judged =
        |s: &Snapshot| judge(s, &names(), &lab_watch(), &super::lab_teaching(), &request).remove(0);
    let finding = judged(s);
    assert_eq!(
        finding,
        judged(&within(s, catalogue::scope_of([spec]))),
        "{id} judges differently on its scope alone"
    );
    finding
}

/// The correct account with these filters in the region.
fn with_filters(filters: Vec<MetricFilter>) -> Snapshot {
    let mut s = correct();
    s.metric_filters = Ok(filters);
    s
}

fn verdict(pattern: &str) -> Finding {
    check_id(&with_filters(vec![filter(pattern)]), ID)
}

#[track_caller]
fn assert_verdict(finding: &Finding, status: Status, has: &str) {
    assert_eq!(finding.status, status, "{}", finding.message);
    assert!(
        finding.message.contains(has),
        "expected `{has}` in: {}",
        finding.message
    );
}

#[test]
fn the_labs_patterns_pass_and_the_plain_word_keeps_its_caveat() {
    let plain = verdict("GetSecretValue");
    assert_verdict(
        &plain,
        Status::Pass,
        "counts reads of the secret (`TopSecretInfo`)",
    );
    assert_verdict(
        &plain,
        Status::Pass,
        "note: it also counts records that merely mention the word",
    );
    assert_verdict(
        &verdict("\"GetSecretValue\""),
        Status::Pass,
        "merely mention",
    );
    for pattern in [
        r#"{ $.eventName = "GetSecretValue" }"#,
        r#"{ ($.eventSource = "secretsmanager.amazonaws.com") && ($.eventName = "GetSecretValue") }"#,
        r#"{ $.eventName = GetSecretValue && $.requestParameters.secretId = "*TopSecretInfo*" }"#,
        // Refused reads are allowed either way.
        r#"{ $.eventName = "GetSecretValue" && $.errorCode NOT EXISTS }"#,
        // An alternative that only adds records the lab allows may test what it likes.
        r#"{ ($.eventName = "GetSecretValue" && $.requestParameters.secretId = "*TopSecretInfo*") || ($.eventName = "BatchGetSecretValue" && $.requestParameters.secretIdList[0] = "*TopSecretInfo*") }"#,
        r#"{ ($.eventName = "GetSecretValue" && $.errorCode NOT EXISTS) || ($.eventName = "GetSecretValue" && $.errorCode = "AccessDenied" && $.userIdentity.type = "IAMUser") }"#,
        r#"{ $.eventName = "*GetSecretValue" }"#,
    ] {
        let found = verdict(pattern);
        assert_verdict(&found, Status::Pass, "generated CloudTrail records");
        assert!(
            !found.message.contains("merely mention"),
            "{pattern}: {}",
            found.message
        );
    }
}

#[test]
fn patterns_that_count_more_than_reads_fail() {
    let cases = [
        (
            r#"{ $.eventName = "*Value" }"#,
            "admits operations other than GetSecretValue",
        ),
        (
            r#"{ $.eventName = "Get*" }"#,
            "admits operations other than",
        ),
        (
            r#"{ $.eventName = "*e*" && $.eventName != "Describe*" && $.eventName != "Put*" }"#,
            "admits operations other than",
        ),
        (
            "?GetSecretValue ?StopLogging",
            "`StopLogging` names no operation the lab counts",
        ),
        (
            r#"{ $.eventName = "GetSecretValue" || $.errorCode = "*" }"#,
            "has no test of the operation",
        ),
        (
            "-ListSecrets -DescribeSecret -PutSecretValue",
            "only excludes terms",
        ),
        (
            r#"{ $.eventName != "ListSecrets" && $.eventName != "DescribeSecret" }"#,
            "has no test of the operation",
        ),
        (
            r#"{ $.eventSource = "secretsmanager.amazonaws.com" }"#,
            "has no test of the operation",
        ),
        (
            r#"{ $.eventName = "GetSecretValue" || $.eventName = "Decrypt" }"#,
            "`$.eventName = \"Decrypt\"`, that matches none of the reads",
        ),
        (
            r#"{ $.eventName = "GetSecretValue" || $.eventName = "Nothing" }"#,
            "that matches none of the reads",
        ),
        (
            "TopSecretInfo",
            "`TopSecretInfo` names no operation the lab counts",
        ),
        (
            "?GetSecretValue ?DescribeSecret",
            "`DescribeSecret` names no operation",
        ),
        // An extra alternative that admits the operation but counts another service's calls.
        (
            r#"{ $.eventName = "GetSecretValue" || ($.eventName = "*e*" && $.eventSource = "dynamodb.amazonaws.com") }"#,
            "that matches none of the reads",
        ),
        (
            r#"{ $.eventName = "GetSecretValue" || ($.eventName = "*e*" && $.errorCode = "ValidationException") }"#,
            "that matches none of the reads",
        ),
        (
            r#"{ $.eventName = "getsecretvalue" }"#,
            "matches none of the reads of the secret lab tries (values are compared exactly",
        ),
        ("", "empty pattern"),
        ("secretsmanager", "`secretsmanager` names no operation"),
    ];
    for (pattern, why) in cases {
        assert_verdict(&verdict(pattern), Status::Fail, why);
    }
}

#[test]
fn patterns_fitted_to_one_record_miss_reads() {
    let pinned = [
        ("eventTime", "2026-11-28T09:00:00Z"),
        ("sourceIPAddress", "198.51.100.7"),
        ("userAgent", "aws-cli/2.22.0"),
        ("requestID", "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"),
        ("userIdentity.principalId", "AIDAEXAMPLEPRINCIPAL"),
        ("userIdentity.type", "IAMUser"),
    ];
    for (field, value) in pinned {
        let pattern = format!(r#"{{ $.{field} = "{value}" && $.eventName = "GetSecretValue" }}"#);
        let found = verdict(&pattern);
        assert_verdict(&found, Status::Fail, &format!("`$.{field}`"));
        assert_verdict(&found, Status::Fail, "differs between reads of the secret");
    }
}

#[test]
fn exclusions_aimed_at_values_the_records_never_hold_still_fail() {
    for (pattern, field) in [
        (
            r#"{ $.eventName = "GetSecretValue" && $.vpcEndpointId NOT EXISTS }"#,
            "`$.vpcEndpointId`",
        ),
        (
            r#"{ $.eventName = "GetSecretValue" && $.sourceIPAddress != "203.0.113.7" }"#,
            "`$.sourceIPAddress`",
        ),
        (
            r#"{ $.eventName = "GetSecretValue" && $.sourceIPAddress != "198.51.100.*" }"#,
            "`$.sourceIPAddress`",
        ),
        (
            r#"{ $.eventName = "GetSecretValue" && $.userAgent != "*Terraform*" }"#,
            "`$.userAgent`",
        ),
        (
            r#"{ $.eventName = "GetSecretValue" && $.eventTime != "2027-*" }"#,
            "`$.eventTime`",
        ),
        (
            r#"{ $.eventName = "GetSecretValue" && $.userIdentity.type != "SAMLUser" }"#,
            "`$.userIdentity.type`",
        ),
        (
            r#"{ $.eventName = "GetSecretValue" && $.eventVersion = "1.*" }"#,
            "`$.eventVersion`",
        ),
        (
            r#"{ $.eventName = "GetSecretValue" && $.requestParameters.versionStage != "AWSPENDING" }"#,
            "`$.requestParameters.versionStage`",
        ),
    ] {
        assert_verdict(&verdict(pattern), Status::Fail, field);
        assert_verdict(
            &verdict(pattern),
            Status::Fail,
            "so those that differ are missed",
        );
    }
    for pattern in [
        "GetSecretValue -2027",
        "GetSecretValue -Terraform",
        r#"GetSecretValue -"user/attacker""#,
        r#"GetSecretValue -"203.0.113.7""#,
    ] {
        assert_verdict(
            &verdict(pattern),
            Status::Fail,
            "whose record holds that text anywhere",
        );
    }
    // Tests that every read passes are fine: on shared fields, or `= "*"`.
    for pattern in [
        r#"{ $.eventName = "GetSecretValue" && $.readOnly IS TRUE }"#,
        r#"{ $.eventName = "GetSecretValue" && $.awsRegion = "us-east-1" && $.eventType = "AwsApiCall" }"#,
        r#"{ $.eventName = "GetSecretValue" && $.sourceIPAddress = "*" }"#,
    ] {
        assert_verdict(&verdict(pattern), Status::Pass, "counts reads");
    }
}

#[test]
fn terms_that_span_json_punctuation_depend_on_how_cloudtrail_writes_records() {
    for pattern in [
        r##"GetSecretValue "\"eventName\":\"GetSecretValue\",\"eventSource\"""##,
        r##"GetSecretValue "{\"awsRegion\"""##,
        r##""\"eventSource\":\"secretsmanager.amazonaws.com\",\"eventName\":\"GetSecretValue\"""##,
    ] {
        assert_verdict(&verdict(pattern), Status::Error, "JSON punctuation");
    }
}

#[test]
fn padding_a_pattern_past_what_lab_reads_one_by_one_is_an_error_not_a_pass() {
    let always = "($.readOnly IS TRUE || $.readOnly IS FALSE)";
    let padding = [always; 8].join(" && ");
    for core in [
        r#"$.eventName = "GetSecretValue" || ($.eventSource = "guardduty.amazonaws.com" && PAD)"#,
        r#"$.eventName = "GetSecretValue" && ($.eventTime = "2023*" || $.eventTime = "2024*" || $.eventTime = "2025*" || $.eventTime = "2026*") && PAD"#,
    ] {
        let pattern = format!("{{ {} }}", core.replace("PAD", &padding));
        assert_verdict(&verdict(&pattern), Status::Error, "too many alternatives");
    }
}

#[test]
fn messages_show_patterns_as_written() {
    let found =
        verdict(r#"{ $.eventName = "GetSecretValue" || $.eventName = "Get\"SecretValue" }"#);
    assert_verdict(
        &found,
        Status::Fail,
        r#"`$.eventName = "Get\"SecretValue"`"#,
    );
    let only_elsewhere = with_filters(vec![feeder(
        "app",
        "other-group",
        "GetSecretValue",
        "1",
        None,
    )]);
    let found = check_id(&only_elsewhere, ID);
    assert_verdict(&found, Status::Fail, "is fed by `app` on `other-group`");
    let unknown = verdict(r#"{ $.eventName = "GetSecretValue" && $.readOnly = true }"#);
    assert_verdict(&unknown, Status::Error, "`IS TRUE`");
}

#[test]
fn the_records_find_every_kind_of_read_a_pattern_misses() {
    let cases = [
        (
            r#"{ $.eventName = "GetSecretValue" && $.requestParameters.secretId = "TopSecretInfo" }"#,
            "on the secret by full ARN",
        ),
        (
            r#"{ $.eventName = "GetSecretValue" && ($.requestParameters.secretId = "TopSecretInfo" || $.requestParameters.secretId = "*TopSecretInfo-*") }"#,
            "by partial ARN",
        ),
        (
            r#"{ $.eventName = "GetSecretValue" && $.requestParameters.secretId != "arn:*" }"#,
            "on the secret by full ARN",
        ),
    ];
    for (pattern, why) in cases {
        let found = verdict(pattern);
        assert_verdict(&found, Status::Fail, why);
        assert_verdict(&found, Status::Fail, "seed 0x");
    }
    for pattern in ["ListSecrets", "getsecretvalue"] {
        assert_verdict(
            &verdict(pattern),
            Status::Fail,
            "names no operation the lab counts",
        );
    }
}

#[test]
fn the_verdict_is_reproducible_and_names_its_seed() {
    let pattern =
        r#"{ $.eventName = "GetSecretValue" && $.requestParameters.secretId != "arn:*" }"#;
    assert_eq!(verdict(pattern).message, verdict(pattern).message);
    assert_ne!(
        verdict(pattern).message,
        verdict(
            r#"{ $.eventName = "GetSecretValue" && $.requestParameters.secretId != "arn:*"  }"#
        )
        .message,
        "another pattern draws other records"
    );
}

#[test]
fn what_cannot_be_settled_is_an_error_with_words_and_a_caret() {
    assert_verdict(
        &verdict("GetSecret"),
        Status::Fail,
        "names no operation the lab counts",
    );
    assert_verdict(
        &verdict("GetSecretValue Top"),
        Status::Error,
        "depends on details AWS does not document",
    );
    let spaced = verdict("[version, account, eventName]");
    assert_verdict(&spaced, Status::Error, "space-delimited patterns");
    assert_verdict(&spaced, Status::Error, "^");
    assert_verdict(
        &verdict("%GetSecret.*%"),
        Status::Error,
        "regular-expression",
    );
    let broken = verdict(r#"{ ($.eventName = "GetSecretValue" }"#);
    assert_verdict(&broken, Status::Error, "this `(` is never closed");
    assert!(broken.message.contains("\n      ^"), "{}", broken.message);
}

fn feeder(
    name: &str,
    group: &str,
    pattern: &str,
    value: &str,
    default: Option<f64>,
) -> MetricFilter {
    let mut f = filter(pattern);
    f.name = name.into();
    f.log_group = group.into();
    f.transformations[0].value = value.into();
    f.transformations[0].default_value = default;
    f
}

#[test]
fn the_whole_metric_is_judged_not_one_filter() {
    let good = || feeder("GetSecretValue", GROUP, "GetSecretValue", "1", Some(0.0));
    let cases = [
        (
            vec![feeder(
                "GetSecretValue",
                GROUP,
                "GetSecretValue",
                "1",
                Some(1.0),
            )],
            "default value of 1",
        ),
        (
            vec![good(), feeder("all", GROUP, "", "1", None)],
            "`all` has an empty pattern",
        ),
        (
            vec![good(), feeder("minus", GROUP, "GetSecretValue", "-1", None)],
            "adds `-1`",
        ),
        (
            vec![
                good(),
                feeder("elsewhere", "other-group", "GetSecretValue", "1", None),
            ],
            "`elsewhere` on `other-group`",
        ),
        (
            vec![
                good(),
                feeder(
                    "twice",
                    GROUP,
                    r#"{ $.eventName = "GetSecretValue" }"#,
                    "1",
                    None,
                ),
            ],
            "more than once",
        ),
        (
            vec![feeder("bytes", GROUP, "GetSecretValue", "$.bytes", None)],
            "adds `$.bytes`",
        ),
    ];
    for (filters, why) in cases {
        assert_verdict(&check_id(&with_filters(filters), ID), Status::Fail, why);
    }
    // Two filters that split the reads between them count each read once.
    let split = with_filters(vec![
        feeder(
            "by-name",
            GROUP,
            r#"{ $.eventName = "GetSecretValue" && $.requestParameters.secretId = "TopSecretInfo" }"#,
            "1",
            Some(0.0),
        ),
        feeder(
            "by-arn",
            GROUP,
            r#"{ $.eventName = "GetSecretValue" && $.requestParameters.secretId != "TopSecretInfo" }"#,
            "1",
            Some(0.0),
        ),
    ]);
    assert_verdict(&check_id(&split, ID), Status::Pass, "`by-name`");
    // Filters that emit other metrics are not part of it.
    let other = with_filters(vec![good(), {
        let mut f = feeder("errors", GROUP, "", "1", None);
        f.transformations[0].metric = "Errors".into();
        f
    }]);
    assert_verdict(&check_id(&other, ID), Status::Pass, "counts reads");
}

#[test]
fn what_feeds_nothing_is_named() {
    let mut wrong_metric = filter("GetSecretValue");
    wrong_metric.transformations[0].metric = "SecretAccess".into();
    assert_verdict(
        &check_id(&with_filters(vec![wrong_metric]), ID),
        Status::Fail,
        "emits `SecurityMetrics` / `SecretAccess`",
    );
    let mut dims = filter("GetSecretValue");
    dims.transformations[0].dimensions = vec![("eventName".into(), "$.eventName".into())];
    assert_verdict(
        &check_id(&with_filters(vec![dims]), ID),
        Status::Fail,
        "with dimensions",
    );
    assert_verdict(
        &check_id(&with_filters(vec![]), ID),
        Status::Fail,
        "has no metric filter",
    );
    let mut s = correct();
    s.metric_filters = Err(denied("logs:DescribeMetricFilters"));
    assert_verdict(&check_id(&s, ID), Status::Error, "DescribeMetricFilters");
    let mut throttled = correct();
    throttled.metric_filters = Err(ReadError {
        action: "logs:DescribeMetricFilters".into(),
        kind: ReadErrorKind::Throttled,
        detail: "Rate exceeded".into(),
    });
    assert_verdict(&check_id(&throttled, ID), Status::Error, "throttling");
}

#[test]
fn only_aws_confirms_and_a_disagreement_is_an_error() {
    let answered = |endpoint: Endpoint, matched: Vec<usize>| {
        let mut s = correct();
        s.endpoint = endpoint;
        s.filter_tests.insert("GetSecretValue".into(), Ok(matched));
        check_id(&s, ID)
    };
    let agreed = matches_of("GetSecretValue");
    assert!(!agreed.is_empty());
    assert_verdict(
        &answered(Endpoint::Aws, agreed.clone()),
        Status::Pass,
        "TestMetricFilter agrees",
    );
    let emulated = answered(Endpoint::Emulator, agreed);
    assert_verdict(&emulated, Status::Pass, "counts reads");
    assert!(
        !emulated.message.contains("TestMetricFilter"),
        "{}",
        emulated.message
    );
    assert_verdict(
        &answered(Endpoint::Aws, vec![]),
        Status::Error,
        "TestMetricFilter and lab disagree",
    );
    // A refused TestMetricFilter takes nothing from a verdict lab can reach alone.
    let mut denied_test = correct();
    denied_test.filter_tests.insert(
        "GetSecretValue".into(),
        Err(denied("logs:TestMetricFilter")),
    );
    assert_verdict(&check_id(&denied_test, ID), Status::Pass, "counts reads");
    let mut s = with_filters(vec![filter("GetSecretValue Top")]);
    s.filter_tests.insert(
        "GetSecretValue Top".into(),
        Err(denied("logs:TestMetricFilter")),
    );
    assert_verdict(
        &check_id(&s, ID),
        Status::Error,
        "TestMetricFilter could have settled it",
    );
}

#[test]
fn alarm_statistic_reads_the_metric_not_one_filter() {
    let mut s = correct();
    s.alarms.as_mut().unwrap()[0].statistic = Some("Average".into());
    // No default value on any feeder: only reads emit, Average sees 1.
    s.metric_filters.as_mut().unwrap()[0].transformations[0].default_value = None;
    assert_verdict(
        &check_id(&s, "alarm.statistic"),
        Status::Pass,
        "no default value",
    );
    // A second feeder with a default of 0 dilutes it again.
    let mut second = filter(r#"{ $.eventName = "GetSecretValue" }"#);
    second.name = "second".into();
    s.metric_filters.as_mut().unwrap()[0].pattern =
        r#"{ $.eventName = "GetSecretValue" && $.requestParameters.secretId = "TopSecretInfo" }"#
            .into();
    second.pattern =
        r#"{ $.eventName = "GetSecretValue" && $.requestParameters.secretId != "TopSecretInfo" }"#
            .into();
    s.metric_filters.as_mut().unwrap().push(second);
    assert_verdict(
        &check_id(&s, "alarm.statistic"),
        Status::Fail,
        "only event in its period",
    );
    // A default other than 0: the statistic is not judged (the filter's own check
    // fails on it), never passed.
    s.metric_filters.as_mut().unwrap()[1].transformations[0].default_value = Some(1.0);
    assert_verdict(
        &check_id(&s, "alarm.statistic"),
        Status::Error,
        "default value is 1",
    );
    // And a filter mistake costs the filter's check, not the alarm's.
    let mut narrow = correct();
    narrow.metric_filters.as_mut().unwrap()[0].pattern =
        r#"{ ($.eventName = "GetSecretValue") && ($.userIdentity.type = "IAMUser") }"#.into();
    assert_eq!(check_id(&narrow, ID).status, Status::Fail);
    for id in ["alarm.exists", "alarm.threshold", "alarm.statistic"] {
        assert_eq!(check_id(&narrow, id).status, Status::Pass, "{id}");
    }
    // What needs a check that could not be graded is not graded either, never lost.
    let mut regex = correct();
    regex.metric_filters.as_mut().unwrap()[0].pattern = "{ $.eventName = %GetSecret% }".into();
    assert_eq!(check_id(&regex, ID).status, Status::Error);
}

/// Spaces, as a person might type them: none, one, several.
fn gap() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["", " ", "  ", "\t"]).prop_map(str::to_string)
}

/// A pattern the lab teaches, written any of the ways people write it.
fn right_pattern() -> impl Strategy<Value = String> {
    let name = prop::sample::select(vec![r#""GetSecretValue""#, "GetSecretValue"]);
    let source = prop::sample::select(vec![
        r#""secretsmanager.amazonaws.com""#,
        "secretsmanager.amazonaws.com",
    ]);
    (0..5usize, name, source, gap(), gap(), gap(), any::<bool>()).prop_map(
        |(form, name, source, a, b, c, parens)| {
            let name_test = format!("$.eventName{a}={b}{name}");
            let source_test = format!("$.eventSource{b}={c}{source}");
            let wrap = |t: String| if parens { format!("({t})") } else { t };
            match form {
                0 => format!("{a}GetSecretValue{b}"),
                1 => format!("{a}\"GetSecretValue\"{b}"),
                2 => format!("{{{a}{}{b}}}", wrap(name_test)),
                3 => format!("{{{a}{}{b}&&{c}{}{a}}}", wrap(source_test), wrap(name_test)),
                _ => format!("{{{a}{}{c}&&{b}{}{a}}}", wrap(name_test), wrap(source_test)),
            }
        },
    )
}

/// A right JSON pattern with one thing changed for the worse.
fn wrong_pattern() -> impl Strategy<Value = String> {
    let other_op = prop::sample::select(vec![
        "DescribeSecret",
        "PutSecretValue",
        "ListSecrets",
        "Decrypt",
        "LookupEvents",
        "GetResourcePolicy",
        "PutMetricFilter",
        "DeleteSecret",
        "Unheard",
    ]);
    let field = prop::sample::select(vec![
        "errorCode",
        "eventSource",
        "sourceIPAddress",
        "userAgent",
        "requestParameters.secretId",
        "readOnly",
        "awsRegion",
    ]);
    let varying = prop::sample::select(vec![
        "eventTime",
        "sourceIPAddress",
        "userAgent",
        "requestID",
        "eventID",
        "userIdentity.arn",
        "userIdentity.type",
        "userIdentity.accountId",
        "userIdentity.principalId",
    ]);
    let text = prop::collection::vec(
        prop::sample::select(vec!["a", "7", ".", "-", ":", "*", "Z", "x1"]),
        1..6,
    )
    .prop_map(|parts| parts.concat())
    .prop_filter("not only wildcards", |t| t.chars().any(|c| c != '*'));
    (0..3usize, other_op, field, varying, text, gap()).prop_map(|(how, op, field, varying, text, g)| {
        let right = r#"$.eventName = "GetSecretValue""#;
        match how {
            // Add a disjunct.
            0 => format!(r#"{{ {right}{g}|| $.eventName = "{op}" }}"#),
            1 => format!(r#"{{ {right} ||{g}$.{field} = "{text}" }}"#),
            // Drop the operation.
            2 if field == "requestParameters.secretId" => {
                format!(r#"{{ $.eventSource = "secretsmanager.amazonaws.com" && $.{field} = "*TopSecretInfo*" }}"#)
            }
            2 => format!(r#"{{ $.eventSource = "secretsmanager.amazonaws.com"{g}}}"#),
            // Pin a field that varies.
            _ => format!(r#"{{ {right} && $.{varying} = "{text}" }}"#),
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn right_patterns_always_pass(pattern in right_pattern()) {
        let found = verdict(&pattern);
        prop_assert_eq!(found.status, Status::Pass, "{:?}: {}", pattern, found.message);
    }

    #[test]
    fn wrong_patterns_never_pass(pattern in wrong_pattern()) {
        let found = verdict(&pattern);
        prop_assert_eq!(found.status, Status::Fail, "{:?}: {}", pattern, found.message);
    }

    #[test]
    fn pinning_a_varying_field_never_passes(
        varying in prop::sample::select(vec!["eventTime", "sourceIPAddress", "userAgent", "requestID", "userIdentity.arn"]),
        text in "[0-9]{1,4}",
    ) {
        let pattern = format!(r#"{{ $.eventName = "GetSecretValue" && $.{varying} = "*{text}*" }}"#);
        let found = verdict(&pattern);
        prop_assert_eq!(found.status, Status::Fail, "{:?}: {}", pattern, found.message);
    }
}

#[test]
fn round_three_refusals_batches_escapes_and_settings() {
    // Refusals of every kind are allowed either way; so is a batch, however it names the secret.
    for pattern in [
        r#"{ $.eventSource = "secretsmanager.amazonaws.com" && $.eventName = "GetSecretValue" && ($.errorCode NOT EXISTS || $.errorCode = "AccessDenied" || $.errorCode = "ResourceNotFoundException") }"#,
        r#"{ $.eventName = "GetSecretValue" && ($.errorCode NOT EXISTS || $.errorCode = "DecryptionFailure") }"#,
        r#"{ $.eventName = "GetSecretValue" || ($.eventName = "BatchGetSecretValue" && $.requestParameters.secretIdList[1] = "*TopSecretInfo*") }"#,
        r#"{ $.eventName = "GetSecretValue" || ($.eventName = "BatchGetSecretValue" && $.requestParameters.filters[0].key = "name") }"#,
    ] {
        assert_verdict(&verdict(pattern), Status::Pass, "counts reads");
    }
    // A refused read counted twice, through an error message that is free text.
    let twice = with_filters(vec![filter(r#"{ $.eventName = "GetSecretValue" }"#), {
        let mut f = filter(
            r#"{ $.eventName = "*GetSecretValue" && $.errorCode = "*" && $.errorMessage != "*:GetSecretValue on*" }"#,
        );
        f.name = "refusals".into();
        f
    }]);
    assert_verdict(&check_id(&twice, ID), Status::Fail, "more than once");
    // Wildcards inside the operation's name admit other names.
    assert_verdict(
        &verdict(r#"{ $.eventName = "*G*e*t*S*e*c*r*e*t*V*a*l*u*e*" }"#),
        Status::Fail,
        "admits operations other than",
    );
    // Backslashes before anything but a quote or a backslash are not settled.
    for pattern in [
        r#"{ $.eventName = "GetSecret\Value" }"#,
        r#"{ $.eventName = "GetSecretValue\*" }"#,
        r#""GetSecret\Value""#,
    ] {
        assert_verdict(&verdict(pattern), Status::Error, "backslash escapes");
    }
    // A no-break space is text, not a space: at either end it is part of the term.
    for pattern in [
        "\u{a0}GetSecretValue",
        "GetSecretValue\u{a0}",
        "\u{a0}{ $.eventName = \"GetSecretValue\" }",
    ] {
        let found = verdict(pattern);
        assert_ne!(found.status, Status::Pass, "{pattern:?}: {}", found.message);
        assert!(
            found.message.contains("U+00A0"),
            "shown, not hidden: {}",
            found.message
        );
    }
    // Newer filter settings lab does not judge are errors, never passes.
    let mut selective = filter("GetSecretValue");
    selective.selection = Some(r#"@aws.account = "999999999999""#.into());
    assert_verdict(
        &check_id(&with_filters(vec![selective]), ID),
        Status::Error,
        "field selection criteria",
    );
    let mut transformed = filter("GetSecretValue");
    transformed.on_transformed_logs = true;
    assert_verdict(
        &check_id(&with_filters(vec![transformed]), ID),
        Status::Error,
        "transformed events",
    );
}
