//! A correctly built account as plain data, for unit tests: each test changes one
//! thing and asserts the verdict that follows.

use std::collections::BTreeMap;

use crate::corpus::{Subject, confirmation_set};
use crate::scope::Scope;
use crate::snapshot::*;

pub(crate) const ACCOUNT: &str = "111122223333";
pub(crate) const REGION: &str = "us-east-1";
pub(crate) const SECRET_ARN: &str =
    "arn:aws:secretsmanager:us-east-1:111122223333:secret:TopSecretInfo-AbCdEf";
pub(crate) const TRAIL_ARN: &str =
    "arn:aws:cloudtrail:us-east-1:111122223333:trail/secrets-manager-trail";
pub(crate) const TOPIC_ARN: &str = "arn:aws:sns:us-east-1:111122223333:SecurityAlarms";
pub(crate) const BUCKET: &str = "secrets-manager-trail-111122223333-us-east-1";
pub(crate) const GROUP: &str = "my-secretsmanager-loggroup";
pub(crate) const ROLE: &str = "CloudTrailRoleForCloudWatchLogs_secrets-manager-trail";
pub(crate) const ALARM: &str = "Secret is accessed";

pub(crate) fn names() -> Names {
    Names {
        secret: Some("TopSecretInfo".into()),
        trail: "secrets-manager-trail".into(),
        bucket: BUCKET.into(),
        log_group: GROUP.into(),
        role: ROLE.into(),
        namespace: "SecurityMetrics".into(),
        metric: "Secret is accessed".into(),
        alarm: ALARM.into(),
        topic: "SecurityAlarms".into(),
    }
}

pub(crate) fn one<T>(name: &str, value: T) -> Reads<T> {
    BTreeMap::from([(name.to_string(), Ok(value))])
}

pub(crate) fn denied(action: &str) -> ReadError {
    ReadError {
        action: action.into(),
        kind: ReadErrorKind::AccessDenied,
        detail: "User is not authorized".into(),
    }
}

pub(crate) fn trust_policy() -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"cloudtrail.amazonaws.com"}},"Action":"sts:AssumeRole","Condition":{{"StringEquals":{{"aws:SourceArn":"{TRAIL_ARN}"}}}}}}]}}"#
    )
}

pub(crate) fn alarm() -> Alarm {
    Alarm {
        name: ALARM.into(),
        arn: format!("arn:aws:cloudwatch:us-east-1:111122223333:alarm:{ALARM}"),
        description: None,
        namespace: Some("SecurityMetrics".into()),
        metric: Some("Secret is accessed".into()),
        dimensions: vec![],
        unit: None,
        statistic: Some("Sum".into()),
        extended_statistic: None,
        period: Some(60),
        evaluation_periods: Some(1),
        datapoints_to_alarm: Some(1),
        threshold: Some(1.0),
        comparison: Some("GreaterThanOrEqualToThreshold".into()),
        actions_enabled: true,
        alarm_actions: vec![TOPIC_ARN.into()],
        ok_actions: vec![],
        insufficient_data_actions: vec![],
        treat_missing_data: None,
        state: Some("OK".into()),
        state_reason: Some("Threshold Crossed: 1 datapoint [0.0] was not greater than or equal to the threshold (1.0).".into()),
        state_reason_data: Some(r#"{"version":"1.0","statistic":"Sum","recentDatapoints":[0.0]}"#.into()),
    }
}

pub(crate) fn filter(pattern: &str) -> MetricFilter {
    MetricFilter {
        name: "GetSecretValue".into(),
        log_group: GROUP.into(),
        created: None,
        pattern: pattern.into(),
        selection: None,
        on_transformed_logs: false,
        transformations: vec![MetricTransformation {
            namespace: "SecurityMetrics".into(),
            metric: "Secret is accessed".into(),
            value: "1".into(),
            default_value: Some(0.0),
            dimensions: vec![],
            unit: None,
        }],
    }
}

/// An account where the whole lab, stages 1 to 5, is built right.
pub(crate) fn correct() -> Snapshot {
    Snapshot {
        account: ACCOUNT.into(),
        region: REGION.into(),
        secret: Ok(Some(Secret {
            arn: SECRET_ARN.into(),
            name: "TopSecretInfo".into(),
            deleted_date: None,
        })),
        watched_events: Ok(WatchedEvents::all(vec![secret_read(
            "2026-11-28T09:00:00Z",
            "arn:aws:iam::111122223333:user/learner",
            "TopSecretInfo",
        )])),
        trails: Ok(vec![Trail {
            name: "secrets-manager-trail".into(),
            arn: TRAIL_ARN.into(),
            home_region: Some(REGION.into()),
            multi_region: true,
            s3_bucket: Some(BUCKET.into()),
            log_group_arn: Some(format!(
                "arn:aws:logs:us-east-1:111122223333:log-group:{GROUP}:*"
            )),
            logs_role_arn: Some(format!("arn:aws:iam::111122223333:role/{ROLE}")),
            sns_topic_arn: None,
        }]),
        trail_status: one(
            "secrets-manager-trail",
            TrailStatus {
                is_logging: true,
                latest_delivery: Some(1_795_856_700),
                latest_logs_delivery: Some(1_795_856_700),
                latest_logs_delivery_error: None,
            },
        ),
        selectors: one(
            "secrets-manager-trail",
            Selectors::Basic(vec![BasicSelector {
                read_write: ReadWrite::All,
                include_management_events: true,
                exclude_management_event_sources: vec![
                    "kms.amazonaws.com".into(),
                    "rdsdata.amazonaws.com".into(),
                ],
            }]),
        ),
        buckets: one(BUCKET, true),
        log_groups: one(
            GROUP,
            Some(LogGroup {
                name: GROUP.into(),
                arn: Some(format!(
                    "arn:aws:logs:us-east-1:111122223333:log-group:{GROUP}:*"
                )),
            }),
        ),
        log_streams: one(
            GROUP,
            vec![LogStream {
                name: "111122223333_CloudTrail_us-east-1".into(),
                last_event_timestamp: Some(1_795_856_400_000),
                last_ingestion_time: Some(1_795_856_460_000),
            }],
        ),
        metric_filters: Ok(vec![filter("GetSecretValue")]),
        filter_tests: BTreeMap::new(),
        grader: None,
        endpoint: Endpoint::Aws,
        roles: one(
            ROLE,
            Some(Role {
                name: ROLE.into(),
                arn: format!("arn:aws:iam::111122223333:role/{ROLE}"),
                trust_policy: trust_policy(),
                boundary: None,
            }),
        ),
        role_policies: one(
            ROLE,
            RolePolicies {
                documents: vec![role_policy()],
                boundary: None,
            },
        ),
        alarms: Ok(vec![alarm()]),
        alarm_history: one(
            ALARM,
            vec![AlarmHistoryItem {
                timestamp: ALARMED_AT.into(),
                summary: "Alarm updated from OK to ALARM".into(),
                data: alarm_change("Sum", "2026-11-28T09:05:00.000+0000", 1.0),
            }],
        ),
        metric_data: one(
            ALARMED_AT,
            vec![MetricPoint {
                start: 1_795_856_700,
                value: 1.0,
            }],
        ),
        topics: Ok(vec![TOPIC_ARN.into()]),
        subscriptions: one(
            TOPIC_ARN,
            vec![Subscription {
                arn: SUBSCRIPTION_ARN.into(),
                protocol: "email".into(),
                endpoint: "learner@example.com".into(),
            }],
        ),
        topic_attributes: one(
            TOPIC_ARN,
            TopicAttributes {
                policy: Some(default_topic_policy()),
                kms_key: None,
            },
        ),
        topic_keys: BTreeMap::new(),
        subscription_attributes: one(SUBSCRIPTION_ARN, SubscriptionAttributes::default()),
        write_history: Ok(stage_six()),
        before_cleanup: None,
        api_calls: 0,
        phases: Vec::new(),
    }
}

/// The write calls of stage 6, newest first as event history lists them: SNS
/// notification delivery turned on, then off again.
pub(crate) fn stage_six() -> Vec<WriteEvent> {
    [
        (
            1_795_860_600,
            r#"{"name":"secrets-manager-trail","snsTopicName":""}"#,
        ),
        (
            1_795_860_000,
            r#"{"name":"secrets-manager-trail","snsTopicName":"SecurityAlarms"}"#,
        ),
    ]
    .iter()
    .map(|(time, request)| WriteEvent {
        time: *time,
        source: "cloudtrail.amazonaws.com".into(),
        name: "UpdateTrail".into(),
        request: serde_json::from_str(request).unwrap(),
        response: serde_json::Value::Null,
        failed: false,
    })
    .collect()
}

/// When the lab's alarm went into ALARM, a read of the secret having been made at
/// 09:00:00 and delivered into the minute from 09:05:00.
pub(crate) const ALARMED_AT: &str = "2026-11-28T09:06:00Z";

/// The lab's email subscription, confirmed.
pub(crate) const SUBSCRIPTION_ARN: &str =
    "arn:aws:sns:us-east-1:111122223333:SecurityAlarms:0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";

/// A history entry's data for an ALARM that CloudWatch's evaluation made: one
/// datapoint of `value` for `statistic` in the minute from `minute`.
pub(crate) fn alarm_change(statistic: &str, minute: &str, value: f64) -> String {
    format!(
        r#"{{"version":"1.0","oldState":{{"stateValue":"OK"}},"newState":{{"stateValue":"ALARM","stateReason":"Threshold Crossed: 1 out of the last 1 datapoints [{value} ({minute})] was greater than or equal to the threshold (1.0).","stateReasonData":{{"version":"1.0","statistic":"{statistic}","period":60,"recentDatapoints":[{value}],"threshold":1.0,"evaluatedDatapoints":[{{"timestamp":"{minute}","sampleCount":20.0,"value":{value}}}]}}}}}}"#
    )
}

/// The permissions the console's "Create new role" gives CloudTrail's role.
pub(crate) fn role_policy() -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"AWSCloudTrailCreateLogStream","Effect":"Allow","Action":["logs:CreateLogStream"],"Resource":["arn:aws:logs:us-east-1:111122223333:log-group:{GROUP}:log-stream:111122223333_CloudTrail_us-east-1*"]}},{{"Sid":"AWSCloudTrailPutLogEvents","Effect":"Allow","Action":["logs:PutLogEvents"],"Resource":["arn:aws:logs:us-east-1:111122223333:log-group:{GROUP}:log-stream:111122223333_CloudTrail_us-east-1*"]}}]}}"#
    )
}

/// A new topic's policy, as SNS writes it: the account's own principals (and so
/// its alarms) may publish.
pub(crate) fn default_topic_policy() -> String {
    format!(
        r#"{{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{{"AWS":"*"}},"Action":["SNS:GetTopicAttributes","SNS:SetTopicAttributes","SNS:AddPermission","SNS:RemovePermission","SNS:DeleteTopic","SNS:Subscribe","SNS:ListSubscriptionsByTopic","SNS:Publish"],"Resource":"{TOPIC_ARN}","Condition":{{"StringEquals":{{"AWS:SourceOwner":"111122223333"}}}}}}]}}"#
    )
}

/// The confirmation records `pattern` matches by lab's own evaluator: what AWS's
/// TestMetricFilter answers when the two agree.
pub(crate) fn matches_of(pattern: &str) -> Vec<usize> {
    let pattern = crate::filter_pattern::parse(pattern).unwrap();
    confirmation_set(&Subject::new(
        "TopSecretInfo",
        Some(SECRET_ARN),
        ACCOUNT,
        REGION,
    ))
    .iter()
    .enumerate()
    .filter(|(_, r)| pattern.matches(&r.text) == crate::filter_pattern::Verdict::Match)
    .map(|(i, _)| i)
    .collect()
}

/// `snapshot` as a fetch scoped to `scope` would have read it.
pub(crate) fn within(snapshot: &Snapshot, scope: Scope) -> Snapshot {
    snapshot.clone().within(scope)
}

/// The watch the lab's own lessons declare (`lessons/secrets-access-monitoring/lab.yaml`, whose test keeps the
/// two the same).
/// A GetSecretValue of `secret_id` at `time` by the IAM user `principal`, as event
/// history gives it.
pub(crate) fn secret_read(time: &str, principal: &str, secret_id: &str) -> HistoryEvent {
    let user = principal.rsplit('/').next().unwrap_or(principal);
    let record = serde_json::json!({
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "IAMUser",
            "principalId": "AIDAEXAMPLEPRINCIPAL",
            "arn": principal,
            "accountId": "111122223333",
            "userName": user
        },
        "eventTime": time,
        "eventSource": "secretsmanager.amazonaws.com",
        "eventName": "GetSecretValue",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.7",
        "userAgent": "aws-cli/2.22.0",
        "requestParameters": { "secretId": secret_id },
        "responseElements": null,
        "readOnly": true,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": "111122223333",
        "eventCategory": "Management"
    });
    HistoryEvent {
        time: time.into(),
        user: Some(user.into()),
        principal: Some(principal.into()),
        record: record.to_string(),
    }
}

pub(crate) fn lab_watch() -> crate::watch::Watch {
    serde_json::from_str(include_str!("../tests/data/watch.json")).expect("the test watch")
}
