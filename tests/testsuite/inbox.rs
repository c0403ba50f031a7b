//! Every link to the inbox, in the sandbox: a read ends in an ALARM email exactly
//! where AWS would send one, and nowhere else. Each test builds the end of the chain
//! (a log group with its metric filter, an alarm, a topic with a confirmed email
//! subscription) on a front with a simulated clock, changes one link, puts a read
//! among other events, lets a few minutes pass, and reads the mailbox. Each names
//! the AWS documentation page the behaviour follows.

use aws_sdk_cloudwatch::types::{ComparisonOperator, Dimension, StandardUnit, Statistic};
use aws_sdk_cloudwatchlogs::types::{InputLogEvent, MetricTransformation};
use lab::aws::Aws;
use sandbox::control::Control;
use sandbox::mailbox::Mailbox;

use crate::support::moto;

/// The one link a test changes; everything else as the lessons build it.
#[derive(Default)]
struct Chain {
    filter_unit: Option<StandardUnit>,
    /// A dimension on the filter (name, `$.field`); then it has no default value.
    filter_dimension: Option<(&'static str, &'static str)>,
    alarm_unit: Option<StandardUnit>,
    alarm_dimension: Option<(&'static str, &'static str)>,
    treat_missing_data: Option<&'static str>,
    /// The topic's `KmsMasterKeyId`, or a key made for the test with this policy.
    key: Option<Key>,
    /// A topic policy to set, with `TOPIC` standing for the topic's ARN.
    topic_policy: Option<&'static str>,
    /// The subscription's filter policy and scope.
    filter_policy: Option<(&'static str, &'static str)>,
}

enum Key {
    Alias(&'static str),
    /// A customer managed key with this key policy.
    Customer(&'static str),
}

struct Built {
    front: sandbox::front::Front,
    aws: Aws,
    dir: tempfile::TempDir,
    control: Control,
}

impl Built {
    /// The ALARM emails in the mailbox.
    fn alarm_mail(&self) -> usize {
        Mailbox::in_dir(self.dir.path())
            .read()
            .unwrap()
            .iter()
            .filter(|m| m.subject.starts_with("ALARM"))
            .count()
    }

    /// Whether the alarm's history shows it going into ALARM.
    async fn went_into_alarm(&self) -> bool {
        let history = self
            .aws
            .cloudwatch()
            .describe_alarm_history()
            .alarm_name("a")
            .history_item_type(aws_sdk_cloudwatch::types::HistoryItemType::StateUpdate)
            .send()
            .await
            .unwrap();
        history.alarm_history_items().iter().any(|h| {
            h.history_summary()
                .unwrap_or_default()
                .ends_with("to ALARM")
        })
    }

    /// The latest action entry of the alarm's history.
    async fn last_action(&self) -> String {
        let history = self
            .aws
            .cloudwatch()
            .describe_alarm_history()
            .alarm_name("a")
            .history_item_type(aws_sdk_cloudwatch::types::HistoryItemType::Action)
            .send()
            .await
            .unwrap();
        history
            .alarm_history_items()
            .first()
            .and_then(|h| h.history_summary())
            .unwrap_or_default()
            .to_string()
    }

    /// A read of the secret among everyday calls, as CloudTrail would deliver them.
    async fn read_among_others(&self) {
        let time = (self.front.sandbox().clock.now() * 1000.0) as i64;
        let events: Vec<InputLogEvent> = ["DescribeSecret", "GetSecretValue", "ListSecrets"]
            .iter()
            .map(|name| {
                InputLogEvent::builder()
                    .timestamp(time)
                    .message(format!(
                        r#"{{"eventSource":"secretsmanager.amazonaws.com","eventName":"{name}","requestParameters":{{"secretId":"TopSecretInfo"}}}}"#
                    ))
                    .build()
                    .unwrap()
            })
            .collect();
        self.aws
            .logs()
            .put_log_events()
            .log_group_name("g")
            .log_stream_name("s")
            .set_log_events(Some(events))
            .send()
            .await
            .unwrap();
    }

    /// Lets `minutes` pass on the sandbox's clock.
    async fn wait(&self, minutes: u64) {
        self.control
            .advance(std::time::Duration::from_secs(60 * minutes))
            .await
            .unwrap();
    }
}

/// The chain built as `chain` says, on a front of its own.
async fn build(chain: Chain) -> Built {
    let account = moto::account().await;
    let built = build_lab_front(&account).await;
    let (aws, control) = (&built.aws, &built.control);
    let logs = aws.logs();
    logs.create_log_group()
        .log_group_name("g")
        .send()
        .await
        .unwrap();
    logs.create_log_stream()
        .log_group_name("g")
        .log_stream_name("s")
        .send()
        .await
        .unwrap();
    let mut transformation = MetricTransformation::builder()
        .metric_name("Secret is accessed")
        .metric_namespace("SecurityMetrics")
        .metric_value("1")
        .set_unit(chain.filter_unit.map(|u| u.as_str().into()));
    transformation = match chain.filter_dimension {
        Some((name, field)) => transformation.dimensions(name, field),
        None => transformation.default_value(0.0),
    };
    logs.put_metric_filter()
        .log_group_name("g")
        .filter_name("reads")
        .filter_pattern(r#"{ $.eventName = "GetSecretValue" }"#)
        .metric_transformations(transformation.build().unwrap())
        .send()
        .await
        .unwrap();

    let sns = aws.sns();
    let topic = sns
        .create_topic()
        .name("alarms")
        .send()
        .await
        .unwrap()
        .topic_arn()
        .unwrap()
        .to_string();
    let subscription = sns
        .subscribe()
        .topic_arn(&topic)
        .protocol("email")
        .endpoint("learner@example.com")
        .return_subscription_arn(true)
        .send()
        .await
        .unwrap()
        .subscription_arn()
        .unwrap()
        .to_string();
    control.confirm().await.unwrap();
    if let Some((policy, scope)) = chain.filter_policy {
        for (name, value) in [("FilterPolicyScope", scope), ("FilterPolicy", policy)] {
            sns.set_subscription_attributes()
                .subscription_arn(&subscription)
                .attribute_name(name)
                .attribute_value(value)
                .send()
                .await
                .unwrap();
        }
    }
    if let Some(policy) = chain.topic_policy {
        sns.set_topic_attributes()
            .topic_arn(&topic)
            .attribute_name("Policy")
            .attribute_value(policy.replace("TOPIC", &topic))
            .send()
            .await
            .unwrap();
    }
    if let Some(key) = chain.key {
        let id = match key {
            Key::Alias(alias) => alias.to_string(),
            Key::Customer(policy) => {
                let kms = aws_sdk_kms::Client::new(aws.config());
                kms.create_key()
                    .policy(policy.replace("ACCOUNT", &account.id))
                    .send()
                    .await
                    .unwrap()
                    .key_metadata()
                    .unwrap()
                    .arn()
                    .unwrap()
                    .to_string()
            }
        };
        sns.set_topic_attributes()
            .topic_arn(&topic)
            .attribute_name("KmsMasterKeyId")
            .attribute_value(id)
            .send()
            .await
            .unwrap();
    }

    aws.cloudwatch()
        .put_metric_alarm()
        .alarm_name("a")
        .namespace("SecurityMetrics")
        .metric_name("Secret is accessed")
        .statistic(Statistic::Sum)
        .period(60)
        .evaluation_periods(1)
        .threshold(1.0)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
        .set_unit(chain.alarm_unit)
        .set_dimensions(
            chain
                .alarm_dimension
                .map(|(name, value)| vec![Dimension::builder().name(name).value(value).build()]),
        )
        .set_treat_missing_data(chain.treat_missing_data.map(str::to_string))
        .alarm_actions(&topic)
        .send()
        .await
        .unwrap();
    built
}

/// Builds `chain`, reads the secret, lets three minutes pass: the ALARM emails.
async fn emails_after_a_read(chain: Chain) -> (usize, Built) {
    let built = build(chain).await;
    built.wait(1).await;
    built.read_among_others().await;
    built.wait(3).await;
    (built.alarm_mail(), built)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chain_as_taught_emails_a_read() {
    let (emails, built) = emails_after_a_read(Chain::default()).await;
    assert_eq!(emails, 1, "{}", built.last_action().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alarm_on_another_unit_sees_nothing_and_sends_nothing() {
    // CloudWatch API reference, PutMetricAlarm, `Unit`: a unit the metric is not
    // published with leaves the alarm "stuck in the INSUFFICIENT DATA state".
    let (emails, built) = emails_after_a_read(Chain {
        alarm_unit: Some(StandardUnit::Seconds),
        ..Chain::default()
    })
    .await;
    assert_eq!(emails, 0);
    assert!(!built.went_into_alarm().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alarm_on_the_filters_own_unit_emails_a_read() {
    let (emails, _built) = emails_after_a_read(Chain {
        filter_unit: Some(StandardUnit::Count),
        alarm_unit: Some(StandardUnit::Count),
        ..Chain::default()
    })
    .await;
    assert_eq!(emails, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_filter_with_dimensions_feeds_another_metric_than_the_plain_one() {
    // CloudWatch User Guide, "Dimensions": a metric with dimensions is a metric of
    // its own; the alarm on the plain metric never sees it.
    let (emails, built) = emails_after_a_read(Chain {
        filter_dimension: Some(("Secret", "$.requestParameters.secretId")),
        ..Chain::default()
    })
    .await;
    assert_eq!(emails, 0);
    assert!(!built.went_into_alarm().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alarm_on_the_filters_dimension_emails_a_read() {
    let (emails, _built) = emails_after_a_read(Chain {
        filter_dimension: Some(("Secret", "$.requestParameters.secretId")),
        alarm_dimension: Some(("Secret", "TopSecretInfo")),
        ..Chain::default()
    })
    .await;
    assert_eq!(emails, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_data_as_breaching_emails_with_no_read_at_all() {
    // CloudWatch User Guide, "Alarm evaluation": `breaching` treats missing data
    // points as breaching the threshold. No event, no read: an email all the same.
    let built = build(Chain {
        treat_missing_data: Some("breaching"),
        ..Chain::default()
    })
    .await;
    built.wait(3).await;
    assert_eq!(built.alarm_mail(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_filter_policy_on_attributes_drops_the_alarms_email() {
    // Amazon SNS Developer Guide, "Amazon SNS subscription filter policies": each
    // property the policy names must be among the message's attributes, and
    // CloudWatch's notifications carry none.
    let (emails, built) = emails_after_a_read(Chain {
        filter_policy: Some((r#"{"severity":["high"]}"#, "MessageAttributes")),
        ..Chain::default()
    })
    .await;
    assert_eq!(emails, 0);
    assert!(built.went_into_alarm().await);
    assert!(
        built
            .last_action()
            .await
            .starts_with("Successfully executed action")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_filter_policy_on_the_body_that_takes_alarms_lets_the_email_through() {
    let (emails, _built) = emails_after_a_read(Chain {
        filter_policy: Some((r#"{"NewStateValue":["ALARM"]}"#, "MessageBody")),
        ..Chain::default()
    })
    .await;
    assert_eq!(emails, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_topic_policy_that_denies_cloudwatch_stops_the_email() {
    // Amazon SNS Developer Guide, topic access policies, and IAM User Guide, "Policy
    // evaluation logic": an explicit Deny wins over the Allow beside it.
    let (emails, built) = emails_after_a_read(Chain {
        topic_policy: Some(
            r#"{"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"sns:Publish","Resource":"TOPIC"},
              {"Effect":"Deny","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"sns:Publish","Resource":"TOPIC"}]}"#,
        ),
        ..Chain::default()
    })
    .await;
    assert_eq!(emails, 0);
    let action = built.last_action().await;
    assert!(
        action.starts_with("Failed to execute action")
            && action.contains("is not authorized to perform: SNS:Publish"),
        "{action}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_aws_managed_sns_key_stops_the_alarms_email() {
    // Amazon SNS Developer Guide, "Key management", "Enable compatibility between
    // event sources from AWS services and encrypted topics": a customer managed key
    // is needed; the AWS managed `alias/aws/sns` grants CloudWatch nothing.
    let (emails, built) = emails_after_a_read(Chain {
        key: Some(Key::Alias("alias/aws/sns")),
        ..Chain::default()
    })
    .await;
    assert_eq!(emails, 0);
    let action = built.last_action().await;
    assert!(
        action.contains("does not have authorization to access the SNS topic encryption key"),
        "{action}"
    );
}

const KEY_FOR_CLOUDWATCH: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::ACCOUNT:root"},"Action":"kms:*","Resource":"*"},
  {"Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":["kms:Decrypt","kms:GenerateDataKey*"],"Resource":"*"}]}"#;

const KEY_FOR_THE_ACCOUNT_ONLY: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::ACCOUNT:root"},"Action":"kms:*","Resource":"*"}]}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_whose_policy_grants_cloudwatch_lets_the_email_through() {
    let (emails, built) = emails_after_a_read(Chain {
        key: Some(Key::Customer(KEY_FOR_CLOUDWATCH)),
        ..Chain::default()
    })
    .await;
    assert_eq!(emails, 1, "{}", built.last_action().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_that_does_not_grant_cloudwatch_stops_the_email() {
    let (emails, built) = emails_after_a_read(Chain {
        key: Some(Key::Customer(KEY_FOR_THE_ACCOUNT_ONLY)),
        ..Chain::default()
    })
    .await;
    assert_eq!(emails, 0);
    assert!(built.went_into_alarm().await);
    assert!(
        built
            .last_action()
            .await
            .starts_with("Failed to execute action")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_narrowed_after_the_trail_was_set_stops_the_deliveries() {
    // CloudTrail asks for the role at every delivery, not only at UpdateTrail; a
    // failure shows in GetTrailStatus's `LatestCloudWatchLogsDeliveryError` (CloudTrail
    // User Guide, "Troubleshooting": "If CloudTrail is not delivering logs to
    // CloudWatch Logs ... run the get-trail-status command").
    use crate::support::build::{GROUP, ROLE, TRAIL, perform_through};
    let account = moto::account().await;
    let built = build_lab_front(&account).await;
    perform_through(&built.aws, 3).await;
    let status = || async {
        built
            .aws
            .cloudtrail()
            .get_trail_status()
            .name(TRAIL)
            .send()
            .await
            .unwrap()
    };
    let streamed = || async {
        built
            .aws
            .logs()
            .describe_log_streams()
            .log_group_name(GROUP)
            .send()
            .await
            .unwrap()
            .log_streams()
            .iter()
            .filter_map(|s| s.last_ingestion_time())
            .max()
    };
    built.wait(6).await;
    let first = status().await;
    assert!(first.latest_cloud_watch_logs_delivery_time().is_some());
    assert_eq!(first.latest_cloud_watch_logs_delivery_error(), None);
    let arrived = streamed().await;

    // Only CreateLogStream from now on.
    let iam = built.aws.iam();
    for name in iam
        .list_role_policies()
        .role_name(ROLE)
        .send()
        .await
        .unwrap()
        .policy_names()
    {
        iam.delete_role_policy()
            .role_name(ROLE)
            .policy_name(name)
            .send()
            .await
            .unwrap();
    }
    iam.put_role_policy()
        .role_name(ROLE)
        .policy_name("narrowed")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:CreateLogStream","Resource":"*"}]}"#,
        )
        .send()
        .await
        .unwrap();
    built
        .aws
        .secretsmanager()
        .list_secrets()
        .send()
        .await
        .unwrap();
    built.wait(20).await;
    let after = status().await;
    assert_eq!(
        after.latest_cloud_watch_logs_delivery_error(),
        Some("Access denied. Verify in IAM that the role has adequate permissions.")
    );
    assert_eq!(
        streamed().await,
        arrived,
        "nothing more reached the log group"
    );
    assert!(after.latest_delivery_time() > first.latest_delivery_time());
}

/// A front of its own for `account`, on a simulated clock with AWS's timings
/// (CloudTrail delivers after five minutes, alarms are evaluated every minute).
async fn build_lab_front(account: &moto::TestAccount) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let settings = sandbox::state::Settings {
        delivery_delay: std::time::Duration::from_secs(300),
        evaluation_interval: std::time::Duration::from_secs(60),
        dir: dir.path().to_path_buf(),
        simulated_clock: Some(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs_f64(),
        ),
    };
    let front = sandbox::front::Front::start(moto::endpoint(), 0, settings)
        .await
        .unwrap();
    let aws = Aws::new(
        account
            .config
            .to_builder()
            .endpoint_url(front.url())
            .build(),
    );
    let control = Control::new(front.url());
    Built {
        front,
        aws,
        dir,
        control,
    }
}
