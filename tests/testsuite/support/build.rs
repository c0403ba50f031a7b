//! Builds the lab in a test account, stage by stage, as a learner following the
//! lessons would; tests then break one thing and see the check that notices.
//!
//! moto propagates nothing between services, so where AWS would act on its own
//! (CloudTrail delivering events to the log group) this writes what AWS would have.

use aws_sdk_cloudtrail::types::{EventSelector, ReadWriteType};
use aws_sdk_cloudwatch::types::{ComparisonOperator, Statistic};
use aws_sdk_cloudwatchlogs::types::{InputLogEvent, MetricTransformation};
use lab::aws::Aws;

use super::moto::{REGION, TestAccount};

pub const SECRET: &str = "TopSecretInfo";
pub const TRAIL: &str = "secrets-manager-trail";
pub const GROUP: &str = "my-secretsmanager-loggroup";
pub const ROLE: &str = "CloudTrailRoleForCloudWatchLogs_secrets-manager-trail";
pub const NAMESPACE: &str = "SecurityMetrics";
pub const METRIC: &str = "Secret is accessed";
pub const ALARM: &str = "Secret is accessed";
pub const TOPIC: &str = "SecurityAlarms";

pub fn bucket(account: &TestAccount) -> String {
    format!("secrets-manager-trail-{}-{REGION}", account.id)
}

pub fn trail_arn(account: &TestAccount) -> String {
    format!("arn:aws:cloudtrail:{REGION}:{}:trail/{TRAIL}", account.id)
}

pub fn topic_arn(account: &TestAccount) -> String {
    format!("arn:aws:sns:{REGION}:{}:{TOPIC}", account.id)
}

pub fn trust_policy(account: &TestAccount) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"cloudtrail.amazonaws.com"}},"Action":"sts:AssumeRole","Condition":{{"StringEquals":{{"aws:SourceArn":"{}"}}}}}}]}}"#,
        trail_arn(account)
    )
}

/// Builds the lab through `stage` (1 to 5), correctly.
pub async fn build(account: &TestAccount, stage: u8) -> Aws {
    let aws = Aws::new(account.config.clone());
    let id = &account.id;
    if stage >= 1 {
        aws.secretsmanager()
            .create_secret()
            .name(SECRET)
            .description("Secret created for monitoring project")
            .secret_string(r#"{"The Secret is":"a made-up demo value"}"#)
            .send()
            .await
            .expect("create secret");
    }
    if stage >= 2 {
        let bucket = bucket(account);
        aws.s3()
            .create_bucket()
            .bucket(&bucket)
            .send()
            .await
            .expect("create bucket");
        aws.cloudtrail()
            .create_trail()
            .name(TRAIL)
            .s3_bucket_name(&bucket)
            .send()
            .await
            .expect("create trail");
        aws.cloudtrail()
            .start_logging()
            .name(TRAIL)
            .send()
            .await
            .expect("start logging");
        aws.cloudtrail()
            .put_event_selectors()
            .trail_name(TRAIL)
            .event_selectors(
                EventSelector::builder()
                    .read_write_type(ReadWriteType::All)
                    .include_management_events(true)
                    .exclude_management_event_sources("kms.amazonaws.com")
                    .exclude_management_event_sources("rdsdata.amazonaws.com")
                    .build(),
            )
            .send()
            .await
            .expect("event selectors");
    }
    if stage >= 3 {
        aws.logs()
            .create_log_group()
            .log_group_name(GROUP)
            .send()
            .await
            .expect("log group");
        aws.iam()
            .create_role()
            .role_name(ROLE)
            .assume_role_policy_document(trust_policy(account))
            .send()
            .await
            .expect("role");
        aws.cloudtrail()
            .update_trail()
            .name(TRAIL)
            .cloud_watch_logs_log_group_arn(format!(
                "arn:aws:logs:{REGION}:{id}:log-group:{GROUP}:*"
            ))
            .cloud_watch_logs_role_arn(format!("arn:aws:iam::{id}:role/{ROLE}"))
            .send()
            .await
            .expect("trail to logs");
        deliver_an_event(&aws, account).await;
        aws.logs()
            .put_metric_filter()
            .log_group_name(GROUP)
            .filter_name("GetSecretValue")
            .filter_pattern("GetSecretValue")
            .metric_transformations(
                MetricTransformation::builder()
                    .metric_namespace(NAMESPACE)
                    .metric_name(METRIC)
                    .metric_value("1")
                    .default_value(0.0)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .expect("metric filter");
    }
    if stage >= 4 {
        let topic = aws
            .sns()
            .create_topic()
            .name(TOPIC)
            .send()
            .await
            .expect("topic");
        aws.sns()
            .subscribe()
            .topic_arn(topic.topic_arn().unwrap())
            .protocol("email")
            .endpoint("learner@example.com")
            .send()
            .await
            .expect("subscribe");
        put_alarm(&aws, account, Statistic::Average, 300).await;
    }
    if stage >= 5 {
        put_alarm(&aws, account, Statistic::Sum, 60).await;
    }
    aws
}

/// What CloudTrail would deliver to the log group: one record, a read of the secret.
pub async fn deliver_an_event(aws: &Aws, account: &TestAccount) {
    let stream = format!("{}_CloudTrail_{REGION}", account.id);
    aws.logs()
        .create_log_stream()
        .log_group_name(GROUP)
        .log_stream_name(&stream)
        .send()
        .await
        .expect("stream");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    aws.logs()
        .put_log_events()
        .log_group_name(GROUP)
        .log_stream_name(&stream)
        .log_events(
            InputLogEvent::builder()
                .timestamp(now)
                .message(format!(
                    r#"{{"eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue","readOnly":true,"requestParameters":{{"secretId":"{SECRET}"}},"recipientAccountId":"{}"}}"#,
                    account.id
                ))
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("log events");
}

/// Creates or replaces the alarm, as stage 4 (Average, 300 s) or stage 5 (Sum, 60 s) do.
pub async fn put_alarm(aws: &Aws, account: &TestAccount, statistic: Statistic, period: i32) {
    aws.cloudwatch()
        .put_metric_alarm()
        .alarm_name(ALARM)
        .alarm_description("This alarm triggers when a secret in Secrets Manager is accessed.")
        .namespace(NAMESPACE)
        .metric_name(METRIC)
        .statistic(statistic)
        .period(period)
        .evaluation_periods(1)
        .datapoints_to_alarm(1)
        .threshold(1.0)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
        .alarm_actions(topic_arn(account))
        .send()
        .await
        .expect("alarm");
}
