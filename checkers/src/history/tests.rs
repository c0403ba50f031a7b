//! The lab rebuilt from its write calls: what the lessons' own calls leave, the
//! cleanup found and left out, and what the history cannot show said as such.

use super::fixtures::*;
use super::*;
use crate::test_snapshot::names;

#[test]
fn the_lab_is_rebuilt_as_it_was_before_its_cleanup() {
    let before = rebuild(&live(), &as_listed(built_and_cleaned()), &names()).unwrap();
    assert_eq!(before.at, 700, "the cleanup began with its first call");
    let lab = &before.lab;
    assert_eq!(
        lab.secret.as_ref().unwrap().as_ref().unwrap().name,
        "TopSecretInfo"
    );
    let trail = &lab.trails.as_ref().unwrap()[0];
    assert!(trail.log_group_arn.is_some() && trail.sns_topic_arn.is_none());
    assert!(trail.multi_region, "CreateTrail's isMultiRegionTrail");
    assert!(
        lab.trail_status["secrets-manager-trail"]
            .as_ref()
            .unwrap()
            .is_logging,
        "the cleanup's StopLogging is not the lab as built"
    );
    let alarm = &lab.alarms.as_ref().unwrap()[0];
    assert_eq!(
        (alarm.statistic.as_deref(), alarm.period, alarm.threshold),
        (Some("Sum"), Some(60), Some(1.0)),
        "the alarm as stage 5 left it"
    );
    assert_eq!(
        lab.metric_filters.as_ref().unwrap()[0].pattern,
        "GetSecretValue"
    );
    let role = lab.roles[names().role.as_str()]
        .as_ref()
        .unwrap()
        .as_ref()
        .unwrap();
    assert!(role.trust_policy.contains("cloudtrail.amazonaws.com"));
    assert_eq!(
        lab.role_policies[names().role.as_str()]
            .as_ref()
            .unwrap()
            .documents
            .len(),
        1
    );
    assert_eq!(lab.buckets[names().bucket.as_str()], Ok(true));
}

#[test]
fn a_confirmation_the_history_cannot_show_is_unknown_not_pending() {
    let before = rebuild(&live(), &as_listed(built_and_cleaned()), &names()).unwrap();
    let topic = "arn:aws:sns:us-east-1:111122223333:SecurityAlarms";
    let subscriptions = &before.lab.subscriptions[topic];
    assert!(
        matches!(subscriptions, Err(e) if e.kind == ReadErrorKind::NotInHistory),
        "{subscriptions:?}"
    );
}

#[test]
fn a_confirmation_made_with_credentials_is_in_the_history() {
    let mut events = built_and_cleaned();
    let topic = "arn:aws:sns:us-east-1:111122223333:SecurityAlarms";
    events.insert(
        12,
        call(
            405,
            "sns",
            "ConfirmSubscription",
            &format!(r#"{{"topicArn":"{topic}","token":"t"}}"#),
        ),
    );
    let before = rebuild(&live(), &as_listed(events), &names()).unwrap();
    let subscriptions = before.lab.subscriptions[topic].as_ref().unwrap();
    assert!(subscriptions[0].is_confirmed(), "{subscriptions:?}");
}

#[test]
fn iam_outside_us_east_1_is_not_in_the_regions_history() {
    let events: Vec<WriteEvent> = built_and_cleaned()
        .into_iter()
        .filter(|e| e.source != "iam.amazonaws.com")
        .collect();
    let before = rebuild(&live(), &as_listed(events), &names()).unwrap();
    let role = &before.lab.roles[names().role.as_str()];
    assert!(matches!(role, Err(e) if e.kind == ReadErrorKind::NotInHistory));
}

#[test]
fn no_cleanup_or_nothing_built_rebuilds_nothing() {
    let built_only: Vec<WriteEvent> = built_and_cleaned()
        .into_iter()
        .filter(|e| !e.name.starts_with("Delete"))
        .collect();
    assert!(rebuild(&live(), &as_listed(built_only), &names()).is_none());
    assert!(rebuild(&live(), &[], &names()).is_none());
}

#[test]
fn failed_calls_change_nothing() {
    let mut events = built_and_cleaned();
    let mut refused = call(
        550,
        "monitoring",
        "PutMetricAlarm",
        r#"{"alarmName":"Secret is accessed","statistic":"Minimum","period":60}"#,
    );
    refused.failed = true;
    events.insert(14, refused);
    let before = rebuild(&live(), &as_listed(events), &names()).unwrap();
    assert_eq!(
        before.lab.alarms.as_ref().unwrap()[0].statistic.as_deref(),
        Some("Sum")
    );
}
