//! `logs.metric_filter` for a lab that watches a list of operations of another
//! service: changes to CloudTrail's trails (CIS AWS Foundations 4.5, Security Hub
//! CloudWatch.5,
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-5>).
//! The benchmark's list leaves out `PutEventSelectors`, which the lab allows with a
//! note.

use super::assert_metric_verdict;
use crate::finding::Status;
use crate::watch::Watch;

const CIS: &str = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }";

fn trail_watch() -> Watch {
    serde_json::from_str(include_str!("../../../tests/data/trail-watch.json")).expect("the watch")
}

#[track_caller]
fn assert_verdict(pattern: &str, status: Status, has: &str) {
    assert_metric_verdict(&trail_watch(), CIS, pattern, status, &[has]);
}

#[test]
fn the_cis_pattern_passes_and_counting_event_selectors_too_is_noted() {
    assert_verdict(CIS, Status::Pass, "counts changes to trails");
    assert_verdict(
        r#"{ $.eventSource = "cloudtrail.amazonaws.com" && ($.eventName = "CreateTrail" || $.eventName = "UpdateTrail" || $.eventName = "DeleteTrail" || $.eventName = "StartLogging" || $.eventName = "StopLogging") }"#,
        Status::Pass,
        "counts changes to trails",
    );
    assert_verdict(
        &CIS.replace(" }", " || ($.eventName = PutEventSelectors) }"),
        Status::Pass,
        "note: it also counts changes to what a trail records (PutEventSelectors)",
    );
}

#[test]
fn patterns_that_count_too_much_or_too_little_fail_saying_which() {
    // Every call to CloudTrail, reads included.
    assert_verdict(
        r#"{ $.eventSource = "cloudtrail.amazonaws.com" }"#,
        Status::Fail,
        "has no test of the operation",
    );
    // DescribeTrails is not a change; StopLogging is one.
    assert_verdict(
        r#"{ $.eventName = "*Trail" }"#,
        Status::Fail,
        "admits operations other than",
    );
    // A call left out is missed.
    assert_verdict(
        &CIS.replace(" || ($.eventName = StopLogging)", ""),
        Status::Fail,
        "it misses",
    );
    // Terms count every record that mentions the call: a policy that grants it.
    assert_verdict(
        "?CreateTrail ?UpdateTrail ?DeleteTrail ?StartLogging ?StopLogging",
        Status::Fail,
        "it also counts",
    );
    // Refused changes are changes tried: a pattern that leaves them out misses some.
    assert_verdict(
        &CIS.replace("{ ", "{ $.errorCode NOT EXISTS && (")
            .replace(" }", ") }"),
        Status::Fail,
        "refused",
    );
}
