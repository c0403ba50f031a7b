//! The client factory reaches every service the lab uses, each with a real call
//! against moto, and each test acts in an AWS account of its own.

use aws_sdk_cloudwatch::types::{ComparisonOperator, Statistic};
use lab::aws::Aws;

use crate::support::moto::{self, REGION};

#[tokio::test]
async fn every_service_answers_through_the_factory() {
    let account = moto::account().await;
    let aws = Aws::new(account.config.clone());
    let id = &account.id;

    // STS: the caller is in the test's own account.
    let identity = aws.identity().await.expect("sts");
    assert_eq!(identity.account, *id);
    assert_eq!(identity.region, REGION);

    // Secrets Manager.
    let secret = aws
        .secretsmanager()
        .create_secret()
        .name("TopSecretInfo")
        .secret_string("{\"The Secret is\":\"demo\"}")
        .send()
        .await
        .expect("secretsmanager create");
    let described = aws
        .secretsmanager()
        .describe_secret()
        .secret_id("TopSecretInfo")
        .send()
        .await
        .expect("secretsmanager describe");
    assert_eq!(described.arn(), secret.arn());
    assert!(described.arn().unwrap().contains(id.as_str()));

    // S3 (path-style through the custom endpoint).
    let bucket = format!("secrets-manager-trail-{id}-{REGION}");
    aws.s3()
        .create_bucket()
        .bucket(&bucket)
        .send()
        .await
        .expect("s3 create");
    aws.s3()
        .head_bucket()
        .bucket(&bucket)
        .send()
        .await
        .expect("s3 head");

    // CloudTrail.
    aws.cloudtrail()
        .create_trail()
        .name("secrets-manager-trail")
        .s3_bucket_name(&bucket)
        .send()
        .await
        .expect("cloudtrail create");
    let trail = aws
        .cloudtrail()
        .get_trail()
        .name("secrets-manager-trail")
        .send()
        .await
        .expect("cloudtrail get");
    assert_eq!(
        trail.trail().and_then(|t| t.s3_bucket_name()),
        Some(bucket.as_str())
    );

    // CloudWatch Logs.
    aws.logs()
        .create_log_group()
        .log_group_name("my-secretsmanager-loggroup")
        .send()
        .await
        .expect("logs create");
    let groups = aws
        .logs()
        .describe_log_groups()
        .log_group_name_prefix("my-secretsmanager")
        .send()
        .await
        .expect("logs describe");
    assert_eq!(groups.log_groups().len(), 1);

    // CloudWatch, over the awsQuery protocol of the pinned SDK (see Cargo.toml).
    aws.cloudwatch()
        .put_metric_alarm()
        .alarm_name("Secret is accessed")
        .namespace("SecurityMetrics")
        .metric_name("Secret is accessed")
        .statistic(Statistic::Sum)
        .period(60)
        .evaluation_periods(1)
        .threshold(1.0)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
        .send()
        .await
        .expect("cloudwatch put alarm");
    let alarms = aws
        .cloudwatch()
        .describe_alarms()
        .alarm_names("Secret is accessed")
        .send()
        .await
        .expect("cloudwatch describe");
    let alarm = &alarms.metric_alarms()[0];
    assert_eq!(alarm.statistic(), Some(&Statistic::Sum));
    assert_eq!(alarm.metric_name(), Some("Secret is accessed"));

    // SNS.
    let topic = aws
        .sns()
        .create_topic()
        .name("SecurityAlarms")
        .send()
        .await
        .expect("sns create");
    let topic_arn = topic.topic_arn().expect("topic arn");
    assert!(topic_arn.contains(id.as_str()));
    let topics = aws.sns().list_topics().send().await.expect("sns list");
    assert!(
        topics
            .topics()
            .iter()
            .any(|t| t.topic_arn() == Some(topic_arn))
    );

    // IAM.
    aws.iam()
        .create_role()
        .role_name("CloudTrailRoleForCloudWatchLogs_secrets-manager-trail")
        .assume_role_policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
        )
        .send()
        .await
        .expect("iam create");
    let role = aws
        .iam()
        .get_role()
        .role_name("CloudTrailRoleForCloudWatchLogs_secrets-manager-trail")
        .send()
        .await
        .expect("iam get");
    assert!(role.role().unwrap().arn().contains(id.as_str()));
}

#[tokio::test]
async fn accounts_do_not_see_each_other() {
    let (one, two) = (moto::account().await, moto::account().await);
    assert_ne!(one.id, two.id);
    let first = Aws::new(one.config.clone());
    let second = Aws::new(two.config.clone());
    first
        .sns()
        .create_topic()
        .name("SecurityAlarms")
        .send()
        .await
        .unwrap();
    let seen = second.sns().list_topics().send().await.unwrap();
    assert!(seen.topics().is_empty(), "{:?}", seen.topics());
}
