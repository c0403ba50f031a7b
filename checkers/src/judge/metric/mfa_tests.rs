//! `logs.metric_filter` for a watch on sign-ins without multi-factor
//! authentication (CIS AWS Foundations 4.2, Security Hub CloudWatch.2,
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-2>):
//! a shape can say whether the caller proved MFA, and the judge tells a pattern that
//! tests it from one that does not. No built-in lab watches this yet; the watch is
//! written here as a lab would write it.

use super::assert_metric_verdict;
use crate::finding::Status;
use crate::watch::Watch;

const CIS: &str =
    r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }"#;

fn mfa_watch() -> Watch {
    serde_json::from_value(serde_json::json!({
        "counts": "console sign-ins without MFA",
        "one": "a console sign-in without MFA",
        "cause": "sign in to the console without MFA",
        "count": [{
            "label": "a console sign-in without MFA",
            "source": "signin.amazonaws.com",
            "events": ["ConsoleLogin"],
            "mfa": false
        }],
        "never": [{
            "label": "a console sign-in with MFA",
            "source": "signin.amazonaws.com",
            "events": ["ConsoleLogin"],
            "mfa": true,
            "note": "a sign-in with MFA (`additionalEventData.MFAUsed` `Yes`) is the one the benchmark wants"
        }]
    }))
    .expect("the watch")
}

#[track_caller]
fn assert_verdict(pattern: &str, status: Status, has: &str) {
    assert_metric_verdict(&mfa_watch(), CIS, pattern, status, &[has]);
}

#[test]
fn the_cis_pattern_and_its_spellings_pass() {
    assert_verdict(CIS, Status::Pass, "counts console sign-ins without MFA");
    assert_verdict(
        r#"{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed = "No" }"#,
        Status::Pass,
        "counts console sign-ins without MFA",
    );
}

#[test]
fn a_pattern_blind_to_mfa_counts_the_sign_ins_with_it() {
    // The lab's note on the records it must not count is said.
    let note = "a sign-in with MFA (`additionalEventData.MFAUsed` `Yes`)";
    assert_verdict(r#"{ $.eventName = "ConsoleLogin" }"#, Status::Fail, note);
    // Testing the session's MFA instead: a sign-in's record says it elsewhere.
    assert_verdict(
        r#"{ $.eventName = "ConsoleLogin" && $.userIdentity.sessionContext.attributes.mfaAuthenticated != "true" }"#,
        Status::Fail,
        note,
    );
    // Only the sign-ins with MFA: every one it should count is missed.
    assert_verdict(
        r#"{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed = "Yes" }"#,
        Status::Fail,
        "matches none of the console sign-ins without MFA",
    );
}
