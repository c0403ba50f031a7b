//! A lab that was finished, cleanup and all, is graded for what was built: its
//! resources are gone, so `lab check` rebuilds it from the learner's own calls in
//! event history, judges it with the same judges, and says so in every verdict.

use serde_json::Value;

use crate::sandbox::{StartedSandbox, checks};
use crate::support::run;

const EMAIL: &str = "email=learner@example.com";

/// `lab check --sandbox` as JSON, with `args`.
fn graded(sandbox: &StartedSandbox, args: &[&str]) -> Value {
    let ran = run(sandbox
        .lab()
        .args(["check", "--sandbox", "--format", "json"])
        .args(args));
    serde_json::from_str(&ran.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", ran.stdout, ran.stderr))
}

/// `lab run --sandbox --auto` with `args`: what it printed.
fn auto(sandbox: &StartedSandbox, args: &[&str]) -> String {
    let ran = run(sandbox
        .lab()
        .args(["run", "--sandbox", "--auto", "--set", EMAIL])
        .args(args));
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    ran.stdout
}

#[test]
fn a_learner_who_finished_scores_what_they_built() {
    let sandbox = StartedSandbox::start();
    auto(&sandbox, &["--through", "5"]);
    let at_five = graded(&sandbox, &[]);
    assert_eq!(at_five["complete"], true, "{at_five}");
    // Stages 6 and 7: everything deleted.
    let printed = auto(&sandbox, &["--stage", "6"]);
    assert!(printed.contains("Stage 7 · Clean up"), "{printed}");
    assert!(
        printed.contains("✓ None of the lab's resources remain"),
        "{printed}"
    );
    let finished = graded(&sandbox, &[]);
    assert_eq!(
        finished["score"], at_five["score"],
        "the same score after the cleanup: {finished}"
    );
    for check in finished["checks"].as_array().unwrap() {
        assert!(
            check["evidence"]
                .as_str()
                .is_some_and(|e| e.contains("before its cleanup")),
            "every verdict says where it comes from: {check}"
        );
    }
    // Each scope grades it the same: what a stage needs of what AWS keeps (the
    // alarm's history, for events having arrived) is read whatever the scope.
    for stage in ["2", "3", "4"] {
        let scoped = graded(&sandbox, &["--stage", stage]);
        for check in scoped["checks"].as_array().unwrap() {
            assert_eq!(check["status"], "pass", "--stage {stage}: {check}");
        }
    }
    let all = checks(&graded(&sandbox, &["--all"]).to_string());
    for id in ["trail.sns_notifications", "cleanup.done"] {
        assert!(
            all.contains(&(id.to_string(), "pass".to_string())),
            "{id}: {all:?}"
        );
    }
}

#[test]
fn notifications_never_turned_on_are_not_stage_six_done() {
    let sandbox = StartedSandbox::start();
    auto(&sandbox, &["--through", "5"]);
    let ran = run(sandbox.lab().args(["cleanup", "--sandbox", "--yes"]));
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    let report = graded(&sandbox, &["--stage", "6"]);
    let check = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "trail.sns_notifications")
        .unwrap();
    assert_eq!(check["status"], "fail", "{check}");
    assert!(
        check["message"]
            .as_str()
            .unwrap()
            .contains("never turned on"),
        "{check}"
    );
}

/// `lab cleanup` removes a confirmed subscription by its ARN before the topic: SNS
/// lists that ARN only for a confirmed subscription, so event history keeps what a
/// click on the email's link does not.
#[test]
fn the_cleanup_leaves_the_confirmation_in_event_history() {
    let sandbox = StartedSandbox::start();
    auto(&sandbox, &["--through", "5"]);
    let ran = run(sandbox.lab().args(["cleanup", "--sandbox", "--yes"]));
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    let cloudtrail = sandbox.aws().cloudtrail();
    let events = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(
            cloudtrail
                .lookup_events()
                .lookup_attributes(
                    aws_sdk_cloudtrail::types::LookupAttribute::builder()
                        .attribute_key(aws_sdk_cloudtrail::types::LookupAttributeKey::EventName)
                        .attribute_value("Unsubscribe")
                        .build()
                        .unwrap(),
                )
                .send(),
        )
        .unwrap();
    let history: String = events
        .events()
        .iter()
        .filter_map(|e| e.cloud_trail_event())
        .collect();
    assert!(
        history.contains("arn:aws:sns:us-east-1:123456789012:SecurityAlarms:"),
        "an Unsubscribe naming the confirmed subscription: {history}"
    );
}
