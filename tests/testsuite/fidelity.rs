//! The sandbox behaves as AWS does where the lab teaches it: each row is a call, in
//! the order the lessons make them, with AWS's documented answer. The page that
//! documents the answer is named beside each row.
//!
//! The rows run in order against one sandbox front in front of moto: first without
//! the policy the lessons teach (AWS refuses, with AWS's error code), then with it
//! (AWS accepts).

use std::future::Future;
use std::pin::Pin;

use lab::actions::policy::{self, Scope};
use lab::aws::Aws;

use crate::sandbox::front;
use crate::support::build::{GROUP, ROLE, TOPIC, TRAIL};
use crate::support::moto;

/// What AWS answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// The call succeeds.
    Accepted,
    /// The call fails with this error code.
    Refused(&'static str),
}

type Call<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + 'a>>;

/// One row: what is done, and what AWS answers.
struct Row {
    what: &'static str,
    call: for<'a> fn(&'a World) -> Call<'a>,
    answer: Answer,
}

/// The account the rows act in.
struct World {
    aws: Aws,
    account: String,
    bucket: String,
}

impl World {
    fn scope(&self) -> Scope<'_> {
        Scope {
            account: &self.account,
            region: "us-east-1",
            trail: TRAIL,
        }
    }

    fn topic_arn(&self) -> String {
        format!("arn:aws:sns:us-east-1:{}:{TOPIC}", self.account)
    }

    fn group_arn(&self) -> String {
        format!(
            "arn:aws:logs:us-east-1:{}:log-group:{GROUP}:*",
            self.account
        )
    }

    fn role_arn(&self) -> String {
        format!("arn:aws:iam::{}:role/{ROLE}", self.account)
    }
}

/// The error code of a failed SDK call.
fn code<E, R>(
    result: Result<impl Sized, aws_smithy_runtime_api::client::result::SdkError<E, R>>,
) -> Result<(), String>
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata,
{
    result.map(|_| ()).map_err(|e| {
        e.as_service_error()
            .and_then(|s| s.code())
            .map_or_else(|| "not a service error".to_string(), str::to_string)
    })
}

fn create_trail(w: &World) -> Call<'_> {
    Box::pin(async move {
        code(
            w.aws
                .cloudtrail()
                .create_trail()
                .name(TRAIL)
                .s3_bucket_name(&w.bucket)
                .send()
                .await,
        )
    })
}

fn put_bucket_policy(w: &World, document: serde_json::Value) -> Call<'_> {
    Box::pin(async move {
        code(
            w.aws
                .s3()
                .put_bucket_policy()
                .bucket(&w.bucket)
                .policy(document.to_string())
                .send()
                .await,
        )
    })
}

fn deliver_to_logs(w: &World) -> Call<'_> {
    Box::pin(async move {
        code(
            w.aws
                .cloudtrail()
                .update_trail()
                .name(TRAIL)
                .cloud_watch_logs_log_group_arn(w.group_arn())
                .cloud_watch_logs_role_arn(w.role_arn())
                .send()
                .await,
        )
    })
}

fn notify_topic(w: &World) -> Call<'_> {
    Box::pin(async move {
        code(
            w.aws
                .cloudtrail()
                .update_trail()
                .name(TRAIL)
                .sns_topic_name(TOPIC)
                .send()
                .await,
        )
    })
}

fn put_filter<'a>(w: &'a World, group: &'static str, pattern: &'static str) -> Call<'a> {
    Box::pin(async move {
        code(
            w.aws
                .logs()
                .put_metric_filter()
                .log_group_name(group)
                .filter_name("reads")
                .filter_pattern(pattern)
                .metric_transformations(
                    aws_sdk_cloudwatchlogs::types::MetricTransformation::builder()
                        .metric_name("Secret is accessed")
                        .metric_namespace("SecurityMetrics")
                        .metric_value("1")
                        .build()
                        .unwrap(),
                )
                .send()
                .await,
        )
    })
}

fn put_trust(w: &World, document: serde_json::Value) -> Call<'_> {
    Box::pin(async move {
        code(
            w.aws
                .iam()
                .update_assume_role_policy()
                .role_name(ROLE)
                .policy_document(document.to_string())
                .send()
                .await,
        )
    })
}

/// The rows, in the lessons' order. AWS's answers are documented in the CloudTrail
/// API Reference (CreateTrail, UpdateTrail: "Errors") and the CloudTrail User Guide.
const ROWS: &[Row] = &[
    Row {
        what: "create the trail's bucket",
        call: |w| {
            Box::pin(async move { code(w.aws.s3().create_bucket().bucket(&w.bucket).send().await) })
        },
        answer: Answer::Accepted,
    },
    // User Guide, "Amazon S3 bucket policy for CloudTrail": CloudTrail needs the policy.
    Row {
        what: "create the trail on a bucket with no policy",
        call: create_trail,
        answer: Answer::Refused("InsufficientS3BucketPolicyException"),
    },
    Row {
        what: "a bucket policy that lets CloudTrail read the ACL but not write",
        call: |w| {
            let mut document = policy::bucket(w.scope(), &w.bucket);
            document["Statement"].as_array_mut().unwrap().truncate(1);
            put_bucket_policy(w, document)
        },
        answer: Answer::Accepted,
    },
    Row {
        what: "create the trail on it",
        call: create_trail,
        answer: Answer::Refused("InsufficientS3BucketPolicyException"),
    },
    Row {
        what: "the lessons' bucket policy (stage 2)",
        call: |w| put_bucket_policy(w, policy::bucket(w.scope(), &w.bucket)),
        answer: Answer::Accepted,
    },
    Row {
        what: "create the trail on it",
        call: create_trail,
        answer: Answer::Accepted,
    },
    // The policy allows AWSLogs/ACCOUNT/* only: a key prefix moves the log files.
    Row {
        what: "give the trail a key prefix the policy does not cover",
        call: |w| {
            Box::pin(async move {
                code(
                    w.aws
                        .cloudtrail()
                        .update_trail()
                        .name(TRAIL)
                        .s3_key_prefix("elsewhere")
                        .send()
                        .await,
                )
            })
        },
        answer: Answer::Refused("InsufficientS3BucketPolicyException"),
    },
    Row {
        what: "the log group (stage 3)",
        call: |w| {
            Box::pin(async move {
                code(
                    w.aws
                        .logs()
                        .create_log_group()
                        .log_group_name(GROUP)
                        .send()
                        .await,
                )
            })
        },
        answer: Answer::Accepted,
    },
    // CloudWatch Logs API Reference, PutMetricFilter: "Errors".
    Row {
        what: "a metric filter whose pattern is never closed",
        call: |w| put_filter(w, GROUP, r#"{ $.eventName = "GetSecretValue" "#),
        answer: Answer::Refused("InvalidParameterException"),
    },
    Row {
        what: "a metric filter on a log group that does not exist",
        call: |w| put_filter(w, "no-such-group", "GetSecretValue"),
        answer: Answer::Refused("ResourceNotFoundException"),
    },
    Row {
        what: "the lessons' metric filter",
        call: |w| put_filter(w, GROUP, r#"{ $.eventName = "GetSecretValue" }"#),
        answer: Answer::Accepted,
    },
    // UpdateTrail: the role must exist and CloudTrail must be able to assume it.
    Row {
        what: "deliver to the log group through a role that does not exist",
        call: deliver_to_logs,
        answer: Answer::Refused("InvalidCloudWatchLogsRoleArnException"),
    },
    Row {
        what: "a role that EC2, not CloudTrail, may assume",
        call: |w| {
            Box::pin(async move {
                let mut trust = policy::trust(w.scope());
                trust["Statement"][0]["Principal"]["Service"] = "ec2.amazonaws.com".into();
                code(
                    w.aws
                        .iam()
                        .create_role()
                        .role_name(ROLE)
                        .assume_role_policy_document(trust.to_string())
                        .send()
                        .await,
                )
            })
        },
        answer: Answer::Accepted,
    },
    Row {
        what: "deliver through it",
        call: deliver_to_logs,
        answer: Answer::Refused("InvalidCloudWatchLogsRoleArnException"),
    },
    Row {
        what: "the lessons' trust policy, for this trail only",
        call: |w| put_trust(w, policy::trust(w.scope())),
        answer: Answer::Accepted,
    },
    // User Guide, "Role policy document for CloudTrail to use CloudWatch Logs".
    Row {
        what: "deliver through a role with no permission to write logs",
        call: deliver_to_logs,
        answer: Answer::Refused("InvalidCloudWatchLogsLogGroupArnException"),
    },
    Row {
        what: "the lessons' permissions: create streams and put events in the group",
        call: |w| {
            Box::pin(async move {
                code(
                    w.aws
                        .iam()
                        .put_role_policy()
                        .role_name(ROLE)
                        .policy_name("cloudtrail-to-logs")
                        .policy_document(policy::logs_writer(w.scope(), GROUP).to_string())
                        .send()
                        .await,
                )
            })
        },
        answer: Answer::Accepted,
    },
    Row {
        what: "deliver through it",
        call: deliver_to_logs,
        answer: Answer::Accepted,
    },
    Row {
        what: "the topic (stage 4)",
        call: |w| {
            Box::pin(async move { code(w.aws.sns().create_topic().name(TOPIC).send().await) })
        },
        answer: Answer::Accepted,
    },
    // User Guide, "Amazon SNS topic policy for CloudTrail": the default policy
    // does not let CloudTrail publish.
    Row {
        what: "notify the topic with its default policy",
        call: notify_topic,
        answer: Answer::Refused("InsufficientSnsTopicPolicyException"),
    },
    Row {
        what: "the lessons' topic policy (stage 6)",
        call: |w| {
            Box::pin(async move {
                code(
                    w.aws
                        .sns()
                        .set_topic_attributes()
                        .topic_arn(w.topic_arn())
                        .attribute_name("Policy")
                        .attribute_value(policy::topic(w.scope(), &w.topic_arn()).to_string())
                        .send()
                        .await,
                )
            })
        },
        answer: Answer::Accepted,
    },
    Row {
        what: "notify the topic",
        call: notify_topic,
        answer: Answer::Accepted,
    },
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_refuses_what_aws_refuses_and_accepts_what_the_lessons_teach() {
    let account = moto::account().await;
    let (_front, aws, _dir) = front(&account, 200).await;
    let world = World {
        aws,
        bucket: crate::support::build::bucket(&account),
        account: account.id.clone(),
    };
    let mut wrong = Vec::new();
    for (i, row) in ROWS.iter().enumerate() {
        let got = match (row.call)(&world).await {
            Ok(()) => Answer::Accepted,
            Err(code) => Answer::Refused(Box::leak(code.into_boxed_str())),
        };
        if got != row.answer {
            wrong.push(format!(
                "row {i} ({}): AWS answers {:?}, the sandbox {got:?}",
                row.what, row.answer
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_trail_records_all_management_events_as_on_aws() {
    // CloudTrail User Guide, "Logging management events": a new trail logs all
    // management events, read and write.
    let account = moto::account().await;
    let (front, aws, _dir) = front(&account, 200).await;
    crate::support::build::perform_through(&aws, 1).await;
    let bucket = crate::support::build::bucket(&account);
    aws.s3()
        .create_bucket()
        .bucket(&bucket)
        .send()
        .await
        .unwrap();
    let scope = Scope {
        account: &account.id,
        region: "us-east-1",
        trail: TRAIL,
    };
    aws.s3()
        .put_bucket_policy()
        .bucket(&bucket)
        .policy(policy::bucket(scope, &bucket).to_string())
        .send()
        .await
        .unwrap();
    aws.cloudtrail()
        .create_trail()
        .name(TRAIL)
        .s3_bucket_name(&bucket)
        .send()
        .await
        .unwrap();
    let selectors = aws
        .cloudtrail()
        .get_event_selectors()
        .trail_name(TRAIL)
        .send()
        .await
        .unwrap();
    let [selector] = selectors.event_selectors() else {
        panic!("one selector: {selectors:?}");
    };
    assert_eq!(
        selector.read_write_type(),
        Some(&aws_sdk_cloudtrail::types::ReadWriteType::All)
    );
    assert_eq!(selector.include_management_events(), Some(true));

    // So the grader sees what it would on AWS: all management events pass, and the
    // noisy sources are not left out until the learner leaves them out (step 2.2).
    let home = tempfile::tempdir().unwrap();
    let ran = crate::support::run(
        account
            .lab(home.path())
            .env("AWS_ENDPOINT_URL", front.url())
            .args(["check", "--stage", "2", "--format", "json"]),
    );
    let statuses = crate::sandbox::checks(&ran.stdout);
    let status = |id: &str| {
        statuses
            .iter()
            .find(|(check, _)| check == id)
            .map(|(_, status)| status.as_str())
            .unwrap_or_else(|| panic!("no {id} in {statuses:?}"))
    };
    assert_eq!(status("trail.management_events"), "pass", "{}", ran.stdout);
    assert_eq!(
        status("trail.excludes_noisy_sources"),
        "fail",
        "{}",
        ran.stdout
    );
}

/// A front on a simulated clock, with AWS's own timings: CloudTrail delivers after
/// five minutes, alarms are evaluated every minute.
async fn front_on_a_simulated_clock(
    account: &moto::TestAccount,
) -> (sandbox::front::Front, Aws, tempfile::TempDir) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    crate::sandbox::front_with(
        account,
        std::time::Duration::from_secs(300),
        std::time::Duration::from_secs(60),
        Some(now),
    )
    .await
}

async fn alarm_state(aws: &Aws, name: &str) -> String {
    let alarms = aws
        .cloudwatch()
        .describe_alarms()
        .alarm_names(name)
        .send()
        .await
        .unwrap();
    alarms.metric_alarms()[0]
        .state_value()
        .map(|s| s.as_str().to_string())
        .unwrap_or_default()
}

async fn put_events(aws: &Aws, front: &sandbox::front::Front, names: &[&str]) {
    let time = (front.sandbox().clock.now() * 1000.0) as i64;
    let events: Vec<_> = names
        .iter()
        .map(|name| {
            aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
                .timestamp(time)
                .message(format!(
                    r#"{{"eventName":"{name}","eventSource":"x.amazonaws.com"}}"#
                ))
                .build()
                .unwrap()
        })
        .collect();
    aws.logs()
        .put_log_events()
        .log_group_name("g")
        .log_stream_name("s")
        .set_log_events(Some(events))
        .send()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_the_sandbox_clock_a_read_among_other_events_leaves_the_average_below_one() {
    // CloudWatch User Guide, "Using Amazon CloudWatch alarms" (alarm evaluation:
    // every minute, over the evaluation periods; actions on a state change only)
    // and "Creating metrics from log events using filters" (the default value is
    // emitted for every event that does not match).
    let account = moto::account().await;
    let (front, aws, _dir) = front_on_a_simulated_clock(&account).await;
    let control = sandbox::control::Control::new(front.url());
    average_and_sum_alarms(&aws).await;
    for name in ["average", "sum"] {
        assert_eq!(alarm_state(&aws, name).await, "INSUFFICIENT_DATA");
    }
    control
        .advance(std::time::Duration::from_secs(1))
        .await
        .unwrap();

    // One read among nineteen other events.
    let mut names = vec!["GetSecretValue"];
    names.extend(std::iter::repeat_n("DescribeTrails", 19));
    put_events(&aws, &front, &names).await;
    // Nothing happens until the clock moves: no sleeping, no racing.
    assert_eq!(alarm_state(&aws, "sum").await, "INSUFFICIENT_DATA");
    let advanced = control
        .advance(std::time::Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(advanced.changes, 2, "both alarms leave INSUFFICIENT_DATA");
    assert_eq!(alarm_state(&aws, "average").await, "OK", "0.05 is below 1");
    assert_eq!(
        alarm_state(&aws, "sum").await,
        "ALARM",
        "within a minute of the read"
    );

    // Other events go on arriving; five minutes after the read it has left the
    // window, and the Sum alarm returns to OK. The Average alarm did not fire: the
    // read was never alone in its window.
    control
        .advance(std::time::Duration::from_secs(120))
        .await
        .unwrap();
    put_events(&aws, &front, &["DescribeTrails"; 5]).await;
    control
        .advance(std::time::Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(
        alarm_state(&aws, "sum").await,
        "ALARM",
        "the read is still in the window"
    );
    control
        .advance(std::time::Duration::from_secs(180))
        .await
        .unwrap();
    assert_eq!(alarm_state(&aws, "sum").await, "OK");
    let history = aws
        .cloudwatch()
        .describe_alarm_history()
        .alarm_name("average")
        .send()
        .await
        .unwrap();
    assert!(
        history
            .alarm_history_items()
            .iter()
            .all(|h| !h.history_summary().unwrap_or_default().contains("to ALARM")),
        "{history:?}"
    );
}

/// A filter counting reads of the secret, default value 0, and an alarm of each
/// statistic on it (300 s, one period, at least 1), named by their statistic.
async fn average_and_sum_alarms(aws: &Aws) {
    use aws_sdk_cloudwatch::types::{ComparisonOperator, Statistic};
    use aws_sdk_cloudwatchlogs::types::MetricTransformation;
    aws.logs()
        .create_log_group()
        .log_group_name("g")
        .send()
        .await
        .unwrap();
    aws.logs()
        .create_log_stream()
        .log_group_name("g")
        .log_stream_name("s")
        .send()
        .await
        .unwrap();
    aws.logs()
        .put_metric_filter()
        .log_group_name("g")
        .filter_name("reads")
        .filter_pattern(r#"{ $.eventName = "GetSecretValue" }"#)
        .metric_transformations(
            MetricTransformation::builder()
                .metric_name("Secret is accessed")
                .metric_namespace("SecurityMetrics")
                .metric_value("1")
                .default_value(0.0)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    for (name, statistic) in [("average", Statistic::Average), ("sum", Statistic::Sum)] {
        aws.cloudwatch()
            .put_metric_alarm()
            .alarm_name(name)
            .namespace("SecurityMetrics")
            .metric_name("Secret is accessed")
            .statistic(statistic)
            .period(300)
            .evaluation_periods(1)
            .threshold(1.0)
            .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
            .send()
            .await
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_the_sandbox_clock_a_read_alone_in_its_window_fires_the_average_too() {
    // The lesson's exact rule: with default value 0, every other event in the
    // window adds a 0 to the Average; a read with nothing else in its window has
    // an Average of 1, which crosses a threshold of 1 (CloudWatch User Guide,
    // "Creating metrics from log events using filters": the default value is
    // emitted only for log events that do not match).
    let account = moto::account().await;
    let (front, aws, _dir) = front_on_a_simulated_clock(&account).await;
    let control = sandbox::control::Control::new(front.url());
    average_and_sum_alarms(&aws).await;
    control
        .advance(std::time::Duration::from_secs(1))
        .await
        .unwrap();
    put_events(&aws, &front, &["GetSecretValue"]).await;
    control
        .advance(std::time::Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(alarm_state(&aws, "average").await, "ALARM", "1 / 1 = 1");
    assert_eq!(alarm_state(&aws, "sum").await, "ALARM");
    // Every datapoint in the alarms' history is stamped with a whole minute, as
    // CloudWatch keeps standard-resolution data.
    for name in ["average", "sum"] {
        let history = aws
            .cloudwatch()
            .describe_alarm_history()
            .alarm_name(name)
            .send()
            .await
            .unwrap();
        let mut stamped = 0;
        for item in history.alarm_history_items() {
            let data: serde_json::Value =
                serde_json::from_str(item.history_data().unwrap_or("{}")).unwrap();
            let points = data["newState"]["stateReasonData"]["recentDatapoints"]
                .as_array()
                .map_or(0, Vec::len);
            if points == 0 {
                continue;
            }
            let start = data["newState"]["stateReasonData"]["startDate"]
                .as_str()
                .unwrap_or_else(|| panic!("{data}"));
            // "2026-12-06T09:53:00.000+0000": the seconds are zero.
            assert!(start.contains(":00.000"), "{name}: {start}");
            stamped += 1;
        }
        assert!(stamped > 0, "{name}: {history:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alarm_publishes_only_where_the_topic_policy_lets_cloudwatch() {
    // CloudWatch User Guide, "Using Amazon CloudWatch alarms" → "Amazon SNS
    // notifications": a topic policy that does not allow cloudwatch.amazonaws.com
    // stops the action, and the alarm's history says it failed.
    use aws_sdk_cloudwatch::types::{ComparisonOperator, StateValue, Statistic};
    let account = moto::account().await;
    let (_front, aws, _dir) = front_on_a_simulated_clock(&account).await;
    let topic = aws
        .sns()
        .create_topic()
        .name(TOPIC)
        .send()
        .await
        .unwrap()
        .topic_arn()
        .unwrap()
        .to_string();
    let scope = Scope {
        account: &account.id,
        region: "us-east-1",
        trail: TRAIL,
    };
    let set_policy = |document: serde_json::Value| {
        let aws = aws.clone();
        let topic = topic.clone();
        async move {
            aws.sns()
                .set_topic_attributes()
                .topic_arn(&topic)
                .attribute_name("Policy")
                .attribute_value(document.to_string())
                .send()
                .await
                .unwrap();
        }
    };
    aws.cloudwatch()
        .put_metric_alarm()
        .alarm_name("a")
        .namespace("SecurityMetrics")
        .metric_name("Secret is accessed")
        .statistic(Statistic::Sum)
        .period(300)
        .evaluation_periods(1)
        .threshold(1.0)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
        .alarm_actions(&topic)
        .send()
        .await
        .unwrap();
    let fire = |state: StateValue| {
        let aws = aws.clone();
        async move {
            aws.cloudwatch()
                .set_alarm_state()
                .alarm_name("a")
                .state_value(state)
                .state_reason("by hand")
                .send()
                .await
                .unwrap();
        }
    };
    let last_action = || {
        let aws = aws.clone();
        async move {
            let history = aws
                .cloudwatch()
                .describe_alarm_history()
                .alarm_name("a")
                .history_item_type(aws_sdk_cloudwatch::types::HistoryItemType::Action)
                .send()
                .await
                .unwrap();
            history.alarm_history_items()[0]
                .history_summary()
                .unwrap_or_default()
                .to_string()
        }
    };

    // The topic's default policy lets the account's alarms publish.
    fire(StateValue::Alarm).await;
    assert!(
        last_action()
            .await
            .starts_with("Successfully executed action")
    );

    // A policy for CloudTrail alone (what stage 6 once wrote) stops the alarm.
    let mut trail_only = policy::topic(scope, &topic);
    trail_only["Statement"]
        .as_array_mut()
        .unwrap()
        .retain(|s| s["Sid"] != "CloudWatchAlarmsPublish");
    set_policy(trail_only).await;
    fire(StateValue::Ok).await;
    fire(StateValue::Alarm).await;
    let failed = last_action().await;
    assert!(
        failed.starts_with(&format!("Failed to execute action {topic}"))
            && failed.contains(":alarm:a is not authorized to perform: SNS:Publish on resource: "),
        "{failed}"
    );

    // The lessons' policy keeps the alarm's right.
    set_policy(policy::topic(scope, &topic)).await;
    fire(StateValue::Ok).await;
    fire(StateValue::Alarm).await;
    assert!(
        last_action()
            .await
            .starts_with("Successfully executed action")
    );
}

/// A real SDK's view of CloudWatch through the front: boto3 in moto's environment,
/// which speaks awsJson 1.0 to CloudWatch (as the AWS CLI v2 does today).
const BOTO3_CLIENT: &str = r#"
import json, sys
import boto3
url, key, secret, token = sys.argv[1:5]
c = boto3.client("cloudwatch", region_name="us-east-1", endpoint_url=url,
                 aws_access_key_id=key, aws_secret_access_key=secret, aws_session_token=token)
alarm = dict(AlarmName="cbor", Namespace="SecurityMetrics", MetricName="Secret is accessed",
             Statistic="Sum", Period=300, EvaluationPeriods=1, Threshold=1.0,
             ComparisonOperator="GreaterThanOrEqualToThreshold")
c.put_metric_alarm(**alarm)
state = c.describe_alarms(AlarmNames=["cbor"])["MetricAlarms"][0]["StateValue"]
c.set_alarm_state(AlarmName="cbor", StateValue="ALARM", StateReason="by hand")
history = c.describe_alarm_history(AlarmName="cbor")["AlarmHistoryItems"]
for _ in range(2):
    c.put_metric_data(Namespace="SecurityMetrics",
                      MetricData=[{"MetricName": "Secret is accessed", "Value": 1.0}])
metrics = c.list_metrics(Namespace="SecurityMetrics")["Metrics"]
try:
    c.set_alarm_state(AlarmName="no-such-alarm", StateValue="OK", StateReason="x")
    error = None
except Exception as e:
    error = e.response["Error"]["Code"]
print(json.dumps({
    "state": state,
    "history": [h["HistorySummary"] for h in history],
    "history_has_times": all(hasattr(h["Timestamp"], "year") for h in history),
    "metrics": len(metrics),
    "error": error,
}))
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_speaks_json_to_cloudwatch_through_the_front() {
    // CloudWatch API Reference: the service speaks Smithy RPC v2 CBOR, awsJson 1.0
    // and awsQuery; lab's own SDK speaks awsQuery, boto3 awsJson 1.0.
    let account = moto::account().await;
    let (front, aws, _dir) = front(&account, 200).await;
    let python = moto::install().python().to_path_buf();
    let credentials = account.credentials.clone();
    let url = front.url();
    let ran = tokio::task::spawn_blocking(move || {
        std::process::Command::new(python)
            .args(["-c", BOTO3_CLIENT, &url])
            .arg(credentials.access_key_id())
            .arg(credentials.secret_access_key())
            .arg(credentials.session_token().unwrap_or_default())
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&ran.stdout);
    assert!(
        ran.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let seen: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(seen["state"], "INSUFFICIENT_DATA", "a new alarm, as on AWS");
    let history: Vec<&str> = seen["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h.as_str())
        .collect();
    assert!(
        history.contains(&"Alarm updated from INSUFFICIENT_DATA to ALARM")
            && history.contains(&"Alarm \"cbor\" created"),
        "{seen}"
    );
    assert_eq!(seen["history_has_times"], true, "timestamps the SDK reads");
    assert_eq!(seen["metrics"], 1, "{seen}");
    assert_eq!(seen["error"], "ResourceNotFound", "{seen}");

    // CloudTrail recorded the calls with their parameters and user agent.
    let record = &crate::support::build::recorded(&aws, "PutMetricAlarm").await[0];
    assert_eq!(record["requestParameters"]["alarmName"], "cbor", "{record}");
    assert_eq!(
        record["sourceIPAddress"], "127.0.0.1",
        "the caller's own address"
    );
    assert!(
        record["userAgent"]
            .as_str()
            .unwrap_or_default()
            .contains("Boto3"),
        "{record}"
    );
}

/// One Smithy RPC v2 CBOR call to CloudWatch, as the newest SDKs make it: the
/// status, the headers (lower-case) and the body.
fn cbor_call(
    url: &str,
    access_key: &str,
    operation: &str,
    input: &ciborium::Value,
) -> (u16, String, Vec<u8>) {
    use std::io::{Read, Write};
    let mut body = Vec::new();
    ciborium::into_writer(input, &mut body).unwrap();
    let host = url.strip_prefix("http://").unwrap();
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    let head = format!(
        "POST /service/GraniteServiceVersion20100801/operation/{operation} HTTP/1.1\r\n\
         Host: {host}\r\nsmithy-protocol: rpc-v2-cbor\r\nContent-Type: application/cbor\r\n\
         Accept: application/cbor\r\nUser-Agent: aws-sdk-rust/1.3 api/cloudwatch/1.100\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential={access_key}/20261201/us-east-1/monitoring/aws4_request, \
         SignedHeaders=host, Signature=0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&body).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a whole HTTP answer");
    let head = String::from_utf8_lossy(&answer[..split]).to_lowercase();
    let status = head[9..12].parse().unwrap();
    let mut body = answer[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    (status, head, body)
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..line]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[line + 2..line + 2 + size]);
        data = &data[line + 2 + size + 2..];
    }
}

/// A CBOR map from text keys.
fn map(entries: &[(&str, ciborium::Value)]) -> ciborium::Value {
    ciborium::Value::Map(
        entries
            .iter()
            .map(|(k, v)| (ciborium::Value::Text(k.to_string()), v.clone()))
            .collect(),
    )
}

fn field<'v>(value: &'v ciborium::Value, key: &str) -> &'v ciborium::Value {
    value
        .as_map()
        .and_then(|m| m.iter().find(|(k, _)| k.as_text() == Some(key)))
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no {key} in {value:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_newest_sdks_speak_cbor_to_cloudwatch_through_the_front() {
    // CloudWatch API Reference and the Smithy RPC v2 CBOR protocol specification:
    // `POST /service/GraniteServiceVersion20100801/operation/{Operation}`, CBOR
    // bodies, timestamps as tag 1, errors with `__type`. aws-sdk-cloudwatch 1.100
    // and later speak it.
    use ciborium::Value;
    let account = moto::account().await;
    let (front, _aws, _dir) = front(&account, 200).await;
    let url = front.url();
    let key = account.credentials.access_key_id().to_string();
    let call = move |operation: &'static str, input: Value| {
        let url = url.clone();
        let key = key.clone();
        tokio::task::spawn_blocking(move || cbor_call(&url, &key, operation, &input))
    };
    let text = |s: &str| Value::Text(s.into());
    let alarm = map(&[
        ("AlarmName", text("cbor")),
        ("Namespace", text("SecurityMetrics")),
        ("MetricName", text("Secret is accessed")),
        ("Statistic", text("Sum")),
        ("Period", Value::Integer(300.into())),
        ("EvaluationPeriods", Value::Integer(1.into())),
        ("Threshold", Value::Float(1.0)),
        ("ComparisonOperator", text("GreaterThanOrEqualToThreshold")),
    ]);
    let (status, head, _) = call("PutMetricAlarm", alarm).await.unwrap();
    assert_eq!(status, 200, "{head}");

    let names = map(&[("AlarmNames", Value::Array(vec![text("cbor")]))]);
    let (status, head, body) = call("DescribeAlarms", names).await.unwrap();
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("application/cbor"), "{head}");
    let described: Value = ciborium::from_reader(&body[..]).unwrap();
    let alarms = field(&described, "MetricAlarms").as_array().unwrap();
    assert_eq!(
        field(&alarms[0], "StateValue").as_text(),
        Some("INSUFFICIENT_DATA"),
        "a new alarm, as on AWS: {described:?}"
    );

    let set = map(&[
        ("AlarmName", text("cbor")),
        ("StateValue", text("ALARM")),
        ("StateReason", text("by hand")),
    ]);
    let (status, head, _) = call("SetAlarmState", set).await.unwrap();
    assert_eq!(status, 200, "{head}");

    // The front answers this one itself (moto has no alarm history): in CBOR.
    let (status, head, body) = call("DescribeAlarmHistory", map(&[("AlarmName", text("cbor"))]))
        .await
        .unwrap();
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("smithy-protocol: rpc-v2-cbor"), "{head}");
    let history: Value = ciborium::from_reader(&body[..]).unwrap();
    let items = field(&history, "AlarmHistoryItems").as_array().unwrap();
    let summaries: Vec<&str> = items
        .iter()
        .filter_map(|i| field(i, "HistorySummary").as_text())
        .collect();
    assert!(
        summaries.contains(&"Alarm updated from INSUFFICIENT_DATA to ALARM"),
        "{summaries:?}"
    );
    assert!(
        items
            .iter()
            .all(|i| matches!(field(i, "Timestamp"), Value::Tag(1, _))),
        "timestamps as tag 1: {history:?}"
    );

    // An error, in CBOR with its code.
    let missing = map(&[
        ("AlarmName", text("no-such-alarm")),
        ("StateValue", text("OK")),
        ("StateReason", text("x")),
    ]);
    let (status, head, body) = call("SetAlarmState", missing).await.unwrap();
    assert_eq!(
        status, 404,
        "the model's status for ResourceNotFound: {head}"
    );
    let error: Value = ciborium::from_reader(&body[..]).unwrap();
    assert!(
        field(&error, "__type")
            .as_text()
            .is_some_and(|t| t.ends_with("ResourceNotFound")),
        "{error:?}"
    );
}
