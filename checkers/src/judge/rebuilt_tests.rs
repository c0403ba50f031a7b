//! The judges on a lab rebuilt from event history: each verdict says where its
//! evidence came from, and what the history cannot show is never a pass.

use super::{Request, judge};
use crate::history::fixtures::*;
use crate::history::rebuild;
use crate::snapshot::WriteEvent;
use crate::test_snapshot::names;

#[test]
fn the_judges_judge_the_rebuilt_lab_and_say_so() {
    let mut account = live();
    account.before_cleanup =
        rebuild(&account, &as_listed(built_and_cleaned()), &names()).map(Box::new);
    let requests: Vec<Request> = ["trail.logging", "alarm.statistic", "cleanup.done"]
        .iter()
        .map(|id| Request {
            spec: crate::catalogue::find(id).unwrap(),
            params: crate::params::Params::new(),
            stage: 1,
        })
        .collect();
    let findings = judge(
        &account,
        &names(),
        &crate::test_snapshot::lab_watch(),
        &Default::default(),
        &requests,
    );
    assert_eq!(
        findings[0].status,
        crate::Status::Pass,
        "{}",
        findings[0].message
    );
    assert_eq!(
        findings[1].status,
        crate::Status::Pass,
        "{}",
        findings[1].message
    );
    assert!(
        findings[0]
            .evidence
            .as_deref()
            .unwrap()
            .contains("before its cleanup")
    );
    // Whether the lab is gone is judged on the account as it is.
    assert_eq!(
        findings[2].status,
        crate::Status::Fail,
        "the fixture's bucket and roles remain"
    );
    assert_eq!(findings[2].evidence, None);
}

const TOPIC: &str = "arn:aws:sns:us-east-1:111122223333:SecurityAlarms";
const SUBSCRIPTION: &str = "arn:aws:sns:us-east-1:111122223333:SecurityAlarms:0f1e2d3c";

/// `check` judged on the lab rebuilt from `events` (oldest first).
fn judged_from(events: Vec<WriteEvent>, check: &str) -> crate::Finding {
    let mut account = live();
    account.before_cleanup = rebuild(&account, &as_listed(events), &names()).map(Box::new);
    let request = Request {
        spec: crate::catalogue::find(check).unwrap(),
        params: crate::params::Params::new(),
        stage: 1,
    };
    judge(
        &account,
        &names(),
        &crate::test_snapshot::lab_watch(),
        &Default::default(),
        &[request],
    )
    .remove(0)
}

/// The lessons' lab, its email subscription confirmed with credentials, then
/// `more` calls (at 450 and after), then the cleanup.
fn confirmed_then(more: Vec<WriteEvent>) -> Vec<WriteEvent> {
    let mut events = built_and_cleaned();
    let cleanup = events.iter().position(|e| e.time >= 700).unwrap();
    let mut added = vec![call(
        405,
        "sns",
        "ConfirmSubscription",
        &format!(r#"{{"topicArn":"{TOPIC}","token":"t"}}"#),
    )];
    added.extend(more);
    events.splice(cleanup..cleanup, added);
    events.sort_by_key(|e| e.time);
    events
}

#[test]
fn a_confirmed_subscription_changed_later_is_judged_as_changed() {
    let confirmed = judged_from(confirmed_then(vec![]), "sns.email_confirmed");
    assert_eq!(
        confirmed.status,
        crate::Status::Pass,
        "{}",
        confirmed.message
    );
    // A filter policy no alarm matches, set by the subscription's ARN, which no
    // response gave: it can only be the one subscription.
    let filtered = confirmed_then(vec![call(
        450,
        "sns",
        "SetSubscriptionAttributes",
        &format!(
            r#"{{"subscriptionArn":"{SUBSCRIPTION}","attributeName":"FilterPolicy","attributeValue":"{{\"severity\":[\"critical\"]}}"}}"#
        ),
    )]);
    let finding = judged_from(filtered, "sns.email_confirmed");
    assert_ne!(finding.status, crate::Status::Pass, "{}", finding.message);
    // Unsubscribed long before the cleanup.
    let gone = confirmed_then(vec![call(
        450,
        "sns",
        "Unsubscribe",
        &format!(r#"{{"subscriptionArn":"{SUBSCRIPTION}"}}"#),
    )]);
    let finding = judged_from(gone, "sns.email_confirmed");
    assert_eq!(finding.status, crate::Status::Fail, "{}", finding.message);
}

#[test]
fn a_filter_policy_given_when_subscribing_counts() {
    let mut events = built_and_cleaned();
    for e in &mut events {
        if e.name == "Subscribe" {
            e.request["attributes"] =
                serde_json::json!({"FilterPolicy": "{\"severity\":[\"critical\"]}"});
        }
    }
    let events = {
        let cleanup = events.iter().position(|e| e.time >= 700).unwrap();
        events.insert(
            cleanup,
            call(
                405,
                "sns",
                "ConfirmSubscription",
                &format!(r#"{{"topicArn":"{TOPIC}","token":"t"}}"#),
            ),
        );
        events.sort_by_key(|e| e.time);
        events
    };
    let finding = judged_from(events, "sns.email_confirmed");
    assert_ne!(finding.status, crate::Status::Pass, "{}", finding.message);
}

#[test]
fn a_link_confirmation_shows_in_the_cleanups_unsubscribe() {
    // Confirmed from the email's link (not logged); the cleanup unsubscribes it by
    // the ARN SNS lists only for a confirmed subscription, then deletes the topic.
    let mut events = built_and_cleaned();
    let delete_topic = events.iter().position(|e| e.name == "DeleteTopic").unwrap();
    events.insert(
        delete_topic,
        call(
            706,
            "sns",
            "Unsubscribe",
            &format!(r#"{{"subscriptionArn":"{SUBSCRIPTION}"}}"#),
        ),
    );
    let finding = judged_from(events, "sns.email_confirmed");
    assert_eq!(finding.status, crate::Status::Pass, "{}", finding.message);
    // Without it, the history cannot tell.
    let finding = judged_from(built_and_cleaned(), "sns.email_confirmed");
    assert_eq!(finding.status, crate::Status::Error, "{}", finding.message);
}

#[test]
fn taking_the_lab_apart_long_before_its_cleanup_is_not_forgiven() {
    // Logging stopped, then the deletions two hours later.
    let mut events = built_and_cleaned();
    for e in &mut events {
        if e.time > 700 {
            e.time += 2 * 3600;
        }
    }
    let finding = judged_from(events, "trail.logging");
    assert_eq!(finding.status, crate::Status::Fail, "{}", finding.message);
    // Just before the deletions, it is the cleanup's.
    let finding = judged_from(built_and_cleaned(), "trail.logging");
    assert_eq!(finding.status, crate::Status::Pass, "{}", finding.message);
}
