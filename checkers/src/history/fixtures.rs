//! Write calls as event history gives them: the lessons' lab built, then cleaned up.

use super::*;
use crate::test_snapshot::{ACCOUNT, REGION};
use serde_json::Value;

/// A write call, at `time`, as event history would give it.
pub(crate) fn call(time: i64, source: &str, name: &str, request: &str) -> WriteEvent {
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
pub(crate) fn built_and_cleaned() -> Vec<WriteEvent> {
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
            r#"{"name":"secrets-manager-trail","s3BucketName":"secrets-manager-trail-111122223333-us-east-1","isMultiRegionTrail":true}"#,
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
pub(crate) fn as_listed(mut events: Vec<WriteEvent>) -> Vec<WriteEvent> {
    events.reverse();
    events
}

/// An account whose lab is gone.
pub(crate) fn live() -> Snapshot {
    let mut s = crate::test_snapshot::correct();
    s.secret = Ok(None);
    s.trails = Ok(vec![]);
    s.alarms = Ok(vec![]);
    s.topics = Ok(vec![]);
    s.account = ACCOUNT.into();
    s.region = REGION.into();
    s
}
