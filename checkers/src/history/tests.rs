//! The lab rebuilt from its write calls: what the lessons' own calls leave, the
//! cleanup found and left out, and what the history cannot show said as such.

use super::*;
use crate::judge::test_snapshot::{ACCOUNT, REGION, names};
use serde_json::Value;

/// A write call, at `time`, as event history would give it.
fn call(time: i64, source: &str, name: &str, request: &str) -> WriteEvent {
    WriteEvent {
        time,
        source: format!("{source}.amazonaws.com"),
        name: name.into(),
        request: serde_json::from_str(request).unwrap(),
        response: Value::Null,
        failed: false,
    }
}

/// The lab built by the lessons' calls (stages 1 to 6), then cleaned up, in the
/// order the calls were made.
fn built_and_cleaned() -> Vec<WriteEvent> {
    let role = "CloudTrailRoleForCloudWatchLogs_secrets-manager-trail";
    let group = "arn:aws:logs:us-east-1:111122223333:log-group:my-secretsmanager-loggroup:*";
    let topic = "arn:aws:sns:us-east-1:111122223333:SecurityAlarms";
    vec![
        call(
            100,
            "secretsmanager",
            "CreateSecret",
            r#"{"name":"TopSecretInfo"}"#,
        ),
        call(
            200,
            "s3",
            "CreateBucket",
            r#"{"bucketName":"secrets-manager-trail-111122223333-us-east-1"}"#,
        ),
        call(
            201,
            "cloudtrail",
            "CreateTrail",
            r#"{"name":"secrets-manager-trail","s3BucketName":"secrets-manager-trail-111122223333-us-east-1"}"#,
        ),
        call(
            202,
            "cloudtrail",
            "StartLogging",
            r#"{"name":"secrets-manager-trail"}"#,
        ),
        call(
            203,
            "cloudtrail",
            "PutEventSelectors",
            r#"{"trailName":"secrets-manager-trail","eventSelectors":[{"readWriteType":"All","includeManagementEvents":true,"excludeManagementEventSources":["kms.amazonaws.com","rdsdata.amazonaws.com"]}]}"#,
        ),
        call(
            300,
            "logs",
            "CreateLogGroup",
            r#"{"logGroupName":"my-secretsmanager-loggroup"}"#,
        ),
        call(
            301,
            "iam",
            "CreateRole",
            &format!(
                r#"{{"roleName":"{role}","assumeRolePolicyDocument":"{{\"Statement\":[{{\"Effect\":\"Allow\",\"Principal\":{{\"Service\":\"cloudtrail.amazonaws.com\"}},\"Action\":\"sts:AssumeRole\"}}]}}"}}"#
            ),
        ),
        call(
            301,
            "iam",
            "PutRolePolicy",
            &format!(
                r#"{{"roleName":"{role}","policyName":"p","policyDocument":"{{\"Statement\":[{{\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogStream\",\"logs:PutLogEvents\"],\"Resource\":\"*\"}}]}}"}}"#
            ),
        ),
        call(
            302,
            "cloudtrail",
            "UpdateTrail",
            &format!(
                r#"{{"name":"secrets-manager-trail","cloudWatchLogsLogGroupArn":"{group}","cloudWatchLogsRoleArn":"arn:aws:iam::111122223333:role/{role}"}}"#
            ),
        ),
        call(
            310,
            "logs",
            "PutMetricFilter",
            r#"{"logGroupName":"my-secretsmanager-loggroup","filterName":"GetSecretValue","filterPattern":"GetSecretValue","metricTransformations":[{"metricNamespace":"SecurityMetrics","metricName":"Secret is accessed","metricValue":"1","defaultValue":0}]}"#,
        ),
        call(400, "sns", "CreateTopic", r#"{"name":"SecurityAlarms"}"#),
        call(
            401,
            "sns",
            "Subscribe",
            &format!(
                r#"{{"topicArn":"{topic}","protocol":"email","endpoint":"learner@example.com"}}"#
            ),
        ),
        call(
            402,
            "monitoring",
            "PutMetricAlarm",
            &format!(
                r#"{{"alarmName":"Secret is accessed","namespace":"SecurityMetrics","metricName":"Secret is accessed","statistic":"Average","period":"300","evaluationPeriods":"1","threshold":"1","comparisonOperator":"GreaterThanOrEqualToThreshold","alarmActions":["{topic}"]}}"#
            ),
        ),
        call(
            500,
            "monitoring",
            "PutMetricAlarm",
            &format!(
                r#"{{"alarmName":"Secret is accessed","namespace":"SecurityMetrics","metricName":"Secret is accessed","statistic":"Sum","period":60,"evaluationPeriods":1,"threshold":1.0,"comparisonOperator":"GreaterThanOrEqualToThreshold","alarmActions":["{topic}"]}}"#
            ),
        ),
        call(
            600,
            "cloudtrail",
            "UpdateTrail",
            r#"{"name":"secrets-manager-trail","snsTopicName":"SecurityAlarms"}"#,
        ),
        call(
            601,
            "cloudtrail",
            "UpdateTrail",
            r#"{"name":"secrets-manager-trail","snsTopicName":""}"#,
        ),
        // The cleanup: logging stopped on the way, then everything deleted.
        call(
            700,
            "cloudtrail",
            "UpdateTrail",
            r#"{"name":"secrets-manager-trail","snsTopicName":""}"#,
        ),
        call(
            700,
            "cloudtrail",
            "StopLogging",
            r#"{"name":"secrets-manager-trail"}"#,
        ),
        call(
            701,
            "cloudtrail",
            "DeleteTrail",
            r#"{"name":"secrets-manager-trail"}"#,
        ),
        call(
            702,
            "s3",
            "DeleteBucket",
            r#"{"bucketName":"secrets-manager-trail-111122223333-us-east-1"}"#,
        ),
        call(
            703,
            "monitoring",
            "DeleteAlarms",
            r#"{"alarmNames":["Secret is accessed"]}"#,
        ),
        call(
            704,
            "logs",
            "DeleteLogGroup",
            r#"{"logGroupName":"my-secretsmanager-loggroup"}"#,
        ),
        call(
            705,
            "iam",
            "DeleteRolePolicy",
            &format!(r#"{{"roleName":"{role}","policyName":"p"}}"#),
        ),
        call(
            705,
            "iam",
            "DeleteRole",
            &format!(r#"{{"roleName":"{role}"}}"#),
        ),
        call(
            706,
            "sns",
            "DeleteTopic",
            &format!(r#"{{"topicArn":"{topic}"}}"#),
        ),
        call(
            707,
            "secretsmanager",
            "DeleteSecret",
            r#"{"secretId":"TopSecretInfo"}"#,
        ),
    ]
}

/// Event history's order: the newest first.
fn as_listed(mut events: Vec<WriteEvent>) -> Vec<WriteEvent> {
    events.reverse();
    events
}

/// An account whose lab is gone.
fn live() -> Snapshot {
    let mut s = crate::judge::test_snapshot::correct();
    s.secret = Ok(None);
    s.trails = Ok(vec![]);
    s.alarms = Ok(vec![]);
    s.topics = Ok(vec![]);
    s.account = ACCOUNT.into();
    s.region = REGION.into();
    s
}

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

#[test]
fn the_judges_judge_the_rebuilt_lab_and_say_so() {
    use crate::judge::{Request, judge};
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
        &crate::judge::test_snapshot::lab_watch(),
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
