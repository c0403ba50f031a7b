//! Builds the lab in a test account with the lessons' own "do it for me" actions,
//! stage by stage, as `lab run --auto` does; tests then break one thing and see the
//! check that notices.
//!
//! moto propagates nothing between services, so where AWS would act on its own
//! (CloudTrail delivering events to the log group) this writes what AWS would have.

use aws_sdk_cloudwatchlogs::types::InputLogEvent;
use lab::actions::{Done, perform};
use lab::aws::Aws;
use lab::lesson::{LessonSource, load};
use lab::session::Session;

use super::moto::{REGION, TestAccount};

pub(crate) const SECRET: &str = "TopSecretInfo";
pub(crate) const TRAIL: &str = "secrets-manager-trail";
pub(crate) const GROUP: &str = "my-secretsmanager-loggroup";
pub(crate) const ROLE: &str = "CloudTrailRoleForCloudWatchLogs_secrets-manager-trail";
pub(crate) const NAMESPACE: &str = "SecurityMetrics";
pub(crate) const METRIC: &str = "Secret is accessed";
pub(crate) const ALARM: &str = "Secret is accessed";
pub(crate) const TOPIC: &str = "SecurityAlarms";
pub(crate) const EMAIL: &str = "learner@example.com";

pub(crate) fn bucket(account: &TestAccount) -> String {
    format!("secrets-manager-trail-{}-{REGION}", account.id)
}

pub(crate) fn topic_arn(account: &TestAccount) -> String {
    format!("arn:aws:sns:{REGION}:{}:{TOPIC}", account.id)
}

/// The lab opened in the account `aws` reaches, with the learner's email given as
/// `--set` gives it: the session every command in an account starts from.
pub(crate) async fn open_session<'l>(lab: &'l lab::lesson::Lab, aws: Aws) -> Session<'l> {
    let given = [("email".to_string(), EMAIL.to_string())];
    let assignments = lab::variables::Assignments::new(lab, &given).expect("the email fits");
    Session::open(lab, aws, &assignments)
        .await
        .expect("session")
}

/// Performs every `do:` of stages 1 to `through`, in lesson order; returns what each
/// action reported, by step id.
pub(crate) async fn perform_through(aws: &Aws, through: u8) -> Vec<(String, Done)> {
    let lab = load(&LessonSource::default()).expect("lessons");
    let session = open_session(&lab, aws.clone()).await;
    let mut report = Vec::new();
    for (stage, step) in lab.steps().filter(|(stage, _)| stage.number <= through) {
        let Some(action) = &step.action else { continue };
        let done = perform(action, &session.context())
            .await
            .unwrap_or_else(|e| panic!("stage {} step {}: {e}", stage.number, step.id));
        if step.id == "deliver-to-logs" {
            deliver_an_event(aws, &session.identity.account).await;
        }
        report.push((step.id.clone(), done));
    }
    report
}

/// Builds the lab through `stage` (0 to 5) in `account`.
pub(crate) async fn build(account: &TestAccount, stage: u8) -> Aws {
    let aws = Aws::new(account.config.clone());
    perform_through(&aws, stage).await;
    aws
}

/// What CloudTrail would deliver to the log group: one record, a read of the secret.
pub(crate) async fn deliver_an_event(aws: &Aws, account: &str) {
    let stream = format!("{account}_CloudTrail_{REGION}");
    // The sandbox may have created it already, delivering for real.
    if let Err(e) = aws
        .logs()
        .create_log_stream()
        .log_group_name(GROUP)
        .log_stream_name(&stream)
        .send()
        .await
    {
        assert!(
            e.as_service_error()
                .is_some_and(|e| e.is_resource_already_exists_exception()),
            "stream: {e:?}"
        );
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let record = format!(
        r#"{{"eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue","readOnly":true,"requestParameters":{{"secretId":"{SECRET}"}},"recipientAccountId":"{account}"}}"#
    );
    aws.logs()
        .put_log_events()
        .log_group_name(GROUP)
        .log_stream_name(&stream)
        .log_events(
            InputLogEvent::builder()
                .timestamp(now)
                .message(record)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("log events");
}

/// A bucket someone else made: no lab tag, and a policy with a statement of theirs
/// (Sid `sid`) letting their own account write.
pub(crate) async fn foreign_bucket(aws: &Aws, bucket: &str, sid: &str) {
    let policy = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": sid,
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
            "Action": "s3:PutObject",
            "Resource": format!("arn:aws:s3:::{bucket}/*"),
        }],
    });
    let s3 = aws.s3();
    s3.create_bucket().bucket(bucket).send().await.unwrap();
    s3.put_bucket_policy()
        .bucket(bucket)
        .policy(policy.to_string())
        .send()
        .await
        .unwrap();
}

/// The CloudTrail records Event history holds for calls of `event_name`, newest
/// first, as JSON.
pub(crate) async fn recorded(aws: &Aws, event_name: &str) -> Vec<serde_json::Value> {
    use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};
    let events = aws
        .cloudtrail()
        .lookup_events()
        .lookup_attributes(
            LookupAttribute::builder()
                .attribute_key(LookupAttributeKey::EventName)
                .attribute_value(event_name)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    events
        .events()
        .iter()
        .map(|e| serde_json::from_str(e.cloud_trail_event().unwrap()).unwrap())
        .collect()
}
