//! `lab sandbox`: the whole lab run end to end in a sandbox of the test's own (the
//! binary, as a learner runs it), and the front's behaviours one by one, in process,
//! in front of the shared moto with an account of each test's own.

use sandbox::control::Control;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use lab::aws::Aws;
use sandbox::front::{Front, Settings};
use sandbox::mailbox::{Mail, Mailbox};
use serde_json::Value;

use crate::support::build::{self, EMAIL, TOPIC, TRAIL};
use crate::support::moto::{self, TestAccount};
use crate::support::{lab, run};

/// A sandbox started with `lab sandbox start` in a folder of its own, stopped when
/// dropped.
pub(crate) struct StartedSandbox {
    home: tempfile::TempDir,
}

impl StartedSandbox {
    pub(crate) fn start() -> StartedSandbox {
        let sandbox = StartedSandbox {
            home: tempfile::tempdir().unwrap(),
        };
        let ran = run(sandbox.lab().args([
            "sandbox",
            "start",
            "--delivery-delay",
            "1",
            "--evaluation-interval",
            "1",
        ]));
        assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
        assert!(
            ran.stdout.contains("AWS_ENDPOINT_URL=http://127.0.0.1:"),
            "{}",
            ran.stdout
        );
        sandbox
    }

    pub(crate) fn dir(&self) -> PathBuf {
        self.home.path().join("sandbox")
    }

    /// `lab`, with this sandbox's folder, progress and moto.
    pub(crate) fn lab(&self) -> Command {
        let mut command = lab(self.home.path());
        command
            .env("LAB_SANDBOX_DIR", self.dir())
            .env("LAB_STATE_DIR", self.home.path().join("state"))
            .env("LAB_MOTO_PYTHON", moto::install().python());
        command
    }

    pub(crate) fn url(&self) -> String {
        let info: Value = serde_json::from_str(
            &std::fs::read_to_string(self.dir().join("sandbox.json")).unwrap(),
        )
        .unwrap();
        info["url"].as_str().unwrap().to_string()
    }

    pub(crate) fn mail(&self) -> Vec<Mail> {
        Mailbox::in_dir(&self.dir()).read().unwrap()
    }

    /// SDK clients for the sandbox, as `lab --sandbox` makes them.
    pub(crate) fn aws(&self) -> Aws {
        self.aws_signing_with(sandbox::ACCESS_KEY)
    }

    /// SDK clients for the sandbox that sign with `access_key`.
    pub(crate) fn aws_signing_with(&self, access_key: &str) -> Aws {
        let config = aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .endpoint_url(self.url())
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(
                    aws_credential_types::Credentials::new(
                        access_key.to_string(),
                        sandbox::SECRET_KEY,
                        None,
                        None,
                        "test",
                    ),
                ),
            )
            .build();
        Aws::new(config)
    }
}

impl Drop for StartedSandbox {
    fn drop(&mut self) {
        let _ = self.lab().args(["sandbox", "stop"]).output();
    }
}

pub(crate) fn checks(json: &str) -> Vec<(String, String)> {
    let json: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_lab_runs_in_the_sandbox() {
    let sandbox = StartedSandbox::start();
    let email = format!("email={EMAIL}");

    // Stages 1 to 5: built, tested, the trap found and fixed.
    let ran = run(sandbox.lab().args([
        "run",
        "--auto",
        "--sandbox",
        "--through",
        "test",
        "--set",
        &email,
    ]));
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    assert!(
        ran.stdout.contains("confirmed the subscription of"),
        "{}",
        ran.stdout
    );

    let mail = sandbox.mail();
    assert_eq!(
        mail[0].subject,
        "AWS Notification - Subscription Confirmation"
    );
    assert!(
        mail[0]
            .body
            .contains("?Action=ConfirmSubscription&TopicArn=")
    );
    let alarms: Vec<&Mail> = mail
        .iter()
        .filter(|m| m.subject.starts_with("ALARM: "))
        .collect();
    let by_hand = alarms
        .iter()
        .position(|m| m.body.contains("Manually triggered for testing"))
        .expect("the email of the test by hand");
    // The emails the metric sent, by the statistic that crossed the threshold.
    let by_metric: Vec<(usize, &str)> = (0..alarms.len())
        .filter(|i| alarms[*i].body.contains("Threshold Crossed"))
        .map(|i| {
            let statistic = if alarms[i].body.contains("- Statistic:                  Sum") {
                "Sum"
            } else if alarms[i]
                .body
                .contains("- Statistic:                  Average")
            {
                "Average"
            } else {
                panic!("{}", alarms[i].body)
            };
            (i, statistic)
        })
        .collect();
    // The read among the console's calls sent none; the read alone sent one with
    // the Average (as it would on AWS); after the fix a read sent one with the Sum.
    assert!(
        by_metric.iter().all(|(i, _)| *i > by_hand),
        "no email from the read among other calls: {alarms:#?}"
    );
    let statistics: Vec<&str> = by_metric.iter().map(|(_, s)| *s).collect();
    assert_eq!(statistics, ["Average", "Sum"], "{alarms:#?}");
    assert!(alarms.iter().all(|m| m.body.contains("Secret is accessed")));

    // With Average, the alarm evaluated the first read's window below the threshold,
    // and the read alone at 1.
    let history = sandbox
        .aws()
        .cloudwatch()
        .describe_alarm_history()
        .alarm_name(build::ALARM)
        .send()
        .await
        .unwrap();
    let average: Vec<Value> = history
        .alarm_history_items()
        .iter()
        .filter_map(|i| serde_json::from_str::<Value>(i.history_data()?).ok())
        .filter(|d| d["newState"]["stateReasonData"]["statistic"] == "Average")
        .collect();
    let evaluated = |d: &Value| -> Vec<f64> {
        d["newState"]["stateReasonData"]["recentDatapoints"]
            .as_array()
            .map(|v| v.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default()
    };
    assert!(
        average.iter().any(|d| {
            let points = evaluated(d);
            !points.is_empty()
                && points.iter().all(|x| *x < 1.0)
                && d["newState"]["stateValue"] == "OK"
        }),
        "the Average evaluated datapoints below 1: {average:#?}"
    );
    assert!(
        average
            .iter()
            .any(|d| d["newState"]["stateValue"] == "ALARM" && evaluated(d) == [1.0]),
        "the read alone: an Average of 1: {average:#?}"
    );

    let ran = run(sandbox
        .lab()
        .args(["check", "--sandbox", "--format", "json"]));
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    let found = checks(&ran.stdout);
    assert_eq!(found.len(), 17);
    for id in [
        "trail.secret_access_recorded",
        "logs.events_arriving",
        "logs.metric_filter",
        "sns.email_confirmed",
        "alarm.fired",
    ] {
        assert!(
            found.contains(&(id.to_string(), "pass".to_string())),
            "{id}: {found:?}"
        );
    }

    // Stage 6: the trail notifies the topic directly, one message per log file.
    let ran = run(sandbox.lab().args([
        "run",
        "--auto",
        "--sandbox",
        "--stage",
        "direct",
        "--through",
        "direct",
        "--set",
        &email,
    ]));
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    let notified: Vec<String> = sandbox
        .mail()
        .iter()
        .filter(|m| m.subject == "AWS Notification Message")
        .flat_map(|m| {
            let json: Value = serde_json::from_str(m.body.split("\n\n--").next().unwrap()).unwrap();
            json["s3ObjectKey"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k.as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(!notified.is_empty(), "the direct path sends messages");
    let objects = sandbox
        .aws()
        .s3()
        .list_objects_v2()
        .bucket(format!(
            "secrets-manager-trail-{}-us-east-1",
            sandbox::ACCOUNT
        ))
        .send()
        .await
        .unwrap();
    let keys: Vec<&str> = objects.contents().iter().filter_map(|o| o.key()).collect();
    let mut unique = notified.clone();
    unique.dedup();
    assert_eq!(unique.len(), notified.len(), "one message per log file");
    for key in &notified {
        assert!(
            keys.contains(&key.as_str()),
            "{key} is a log file in the bucket"
        );
    }

    // Stage 7: nothing left.
    let ran = run(sandbox.lab().args([
        "run",
        "--auto",
        "--sandbox",
        "--stage",
        "cleanup",
        "--set",
        &email,
    ]));
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    let ran = run(sandbox.lab().args([
        "check",
        "--sandbox",
        "--stage",
        "cleanup",
        "--format",
        "json",
    ]));
    assert_eq!(
        checks(&ran.stdout),
        [("cleanup.done".to_string(), "pass".to_string())]
    );

    let ran = run(sandbox.lab().args(["sandbox", "status"]));
    assert_eq!(ran.code, 0);
    assert!(
        ran.stdout.contains("emails in the mailbox"),
        "{}",
        ran.stdout
    );
    let ran = run(sandbox.lab().args(["sandbox", "env"]));
    assert_eq!(ran.code, 0);
    assert!(
        ran.stdout
            .starts_with(&format!("export AWS_ENDPOINT_URL={} ", sandbox.url())),
        "{}",
        ran.stdout
    );
    let ran = run(sandbox.lab().args(["sandbox", "mail", "--last", "1"]));
    assert!(ran.stdout.contains("Subject: "), "{}", ran.stdout);
    let ran = run(sandbox.lab().args(["sandbox", "advance", "2m"]));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(
        ran.stdout.starts_with("The sandbox's clock now reads 20"),
        "{}",
        ran.stdout
    );
}

#[test]
fn sandbox_commands_without_a_sandbox() {
    let home = tempfile::tempdir().unwrap();
    let lab = || {
        let mut command = lab(home.path());
        command.env("LAB_SANDBOX_DIR", home.path().join("sandbox"));
        command
    };
    let ran = run(lab().args(["sandbox", "status"]));
    assert_eq!(ran.code, 1);
    assert!(
        ran.stdout.contains("No sandbox is running"),
        "{}",
        ran.stdout
    );
    let ran = run(lab().args(["sandbox", "confirm"]));
    assert_eq!(ran.code, 2);
    assert!(ran.stderr.contains("lab sandbox start"), "{}", ran.stderr);
    let ran = run(lab().args(["sandbox", "advance", "5m"]));
    assert_eq!(ran.code, 2);
    assert!(ran.stderr.contains("lab sandbox start"), "{}", ran.stderr);
    for wrong in ["2d", "2h", "soon"] {
        let ran = run(lab().args(["sandbox", "advance", wrong]));
        assert_eq!(ran.code, 2, "{wrong}");
        assert!(ran.stderr.contains("1h"), "{wrong}: {}", ran.stderr);
    }
    let ran = run(lab().args(["sandbox", "mail"]));
    assert_eq!((ran.code, ran.stdout.trim()), (0, "The mailbox is empty."));
    let ran = run(lab().args(["sandbox", "env"]));
    assert_eq!(ran.code, 1);
    let ran = run(lab().args(["sandbox", "stop"]));
    assert_eq!(ran.code, 0);
    // Only `lab run --sandbox` starts one: any other command would answer for a
    // new, empty account, and move the learner's shells to another port.
    for command in [
        &["status", "--sandbox"][..],
        &["check", "--sandbox"],
        &["cleanup", "--sandbox"],
        &["reset", "--sandbox"],
        &["whoami", "--sandbox"],
    ] {
        let ran = run(lab().args(command));
        assert_eq!(ran.code, 2, "{command:?}: {}{}", ran.stdout, ran.stderr);
        assert!(
            ran.stderr.contains("no sandbox is running")
                && ran.stderr.contains("lab sandbox start"),
            "{command:?}: {}",
            ran.stderr
        );
        assert!(
            !home.path().join("sandbox/sandbox.json").exists(),
            "{command:?}"
        );
    }
    let ran = run(lab().args(["check", "--sandbox", "--endpoint-url", "http://127.0.0.1:1"]));
    assert_eq!(ran.code, 2);
    assert!(ran.stderr.contains("cannot be used with"), "{}", ran.stderr);
}

#[tokio::test]
async fn cleanup_in_the_sandbox_removes_what_the_learner_made_by_hand() {
    // The sandbox's account is the lab's alone: the lab's names there are the
    // lab's, made with the guide's commands or by hand, tagged or not.
    let sandbox = StartedSandbox::start();
    let aws = sandbox.aws();
    aws.secretsmanager()
        .create_secret()
        .name(build::SECRET)
        .secret_string("made by hand")
        .send()
        .await
        .unwrap();
    aws.sns().create_topic().name(TOPIC).send().await.unwrap();
    let ran = run(sandbox
        .lab()
        .args(["cleanup", "--sandbox", "--yes", "--force-delete-secret"]));
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    assert!(ran.stdout.contains("deleted the secret"), "{}", ran.stdout);
    assert!(ran.stdout.contains("deleted the topic"), "{}", ran.stdout);
    assert!(!ran.stdout.contains("Kept"), "{}", ran.stdout);
    assert!(
        aws.sns()
            .list_topics()
            .send()
            .await
            .unwrap()
            .topics()
            .is_empty()
    );
    // A check's fix names `lab`'s commands as they reach this sandbox.
    aws.sns().create_topic().name(TOPIC).send().await.unwrap();
    let ran = run(sandbox.lab().args([
        "check",
        "--sandbox",
        "--stage",
        "cleanup",
        "--format",
        "json",
    ]));
    assert!(
        ran.stdout.contains("or run `lab cleanup --sandbox`"),
        "{}",
        ran.stdout
    );
}

/// A front of the test's own before the shared moto, and clients for `account`
/// that talk to it.
pub(crate) async fn front(account: &TestAccount, delay_ms: u64) -> (Front, Aws, tempfile::TempDir) {
    front_with(
        account,
        Duration::from_millis(delay_ms),
        Duration::from_millis(200),
        None,
    )
    .await
}

/// The same, with the delivery delay, the evaluation interval and, when given, a
/// clock that starts at `simulated_clock` and moves only when advanced.
pub(crate) async fn front_with(
    account: &TestAccount,
    delivery_delay: Duration,
    evaluation_interval: Duration,
    simulated_clock: Option<f64>,
) -> (Front, Aws, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings {
        delivery_delay,
        evaluation_interval,
        dir: dir.path().to_path_buf(),
        simulated_clock,
    };
    let front = Front::start(moto::endpoint(), 0, settings).await.unwrap();
    let config = account
        .config
        .to_builder()
        .endpoint_url(front.url())
        .build();
    (front, Aws::new(config), dir)
}

/// An HTTP GET on loopback, as a browser opening a link from an email.
fn open_link(url: &str) -> String {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut page = String::new();
    stream.read_to_string(&mut page).unwrap();
    page
}

fn email_confirmed(account: &TestAccount, home: &std::path::Path, url: &str) -> String {
    let ran = run(account
        .lab(home)
        .env("AWS_ENDPOINT_URL", url)
        .args(["check", "--stage", "alarm", "--format", "json"]));
    let json: Value = serde_json::from_str(&ran.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", ran.stdout, ran.stderr));
    let finding = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "sns.email_confirmed")
        .unwrap()
        .clone();
    format!(
        "{} {}",
        finding["status"].as_str().unwrap(),
        finding["message"].as_str().unwrap()
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_subscriptions_wait_for_their_owner() {
    let account = moto::account().await;
    let (front, aws, dir) = front(&account, 500).await;
    let home = tempfile::tempdir().unwrap();
    let sns = aws.sns();
    let topic = sns.create_topic().name(TOPIC).send().await.unwrap();
    let topic_arn = topic.topic_arn().unwrap();
    let subscribed = sns
        .subscribe()
        .topic_arn(topic_arn)
        .protocol("email")
        .endpoint(EMAIL)
        .send()
        .await
        .unwrap();
    assert_eq!(subscribed.subscription_arn(), Some("pending confirmation"));
    let listed = sns
        .list_subscriptions_by_topic()
        .topic_arn(topic_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        listed.subscriptions()[0].subscription_arn(),
        Some("PendingConfirmation")
    );

    // Nothing is mailed to a pending subscription.
    sns.publish()
        .topic_arn(topic_arn)
        .message("too early")
        .send()
        .await
        .unwrap();
    let status =
        tokio::task::block_in_place(|| email_confirmed(&account, home.path(), &front.url()));
    assert!(
        status.starts_with("fail ") && status.contains("pending"),
        "{status}"
    );

    let wrong = sns
        .confirm_subscription()
        .topic_arn(topic_arn)
        .token("not-the-token")
        .send()
        .await;
    assert!(
        wrong.is_err(),
        "a token the sandbox did not send is refused"
    );

    let mail = Mailbox::in_dir(dir.path()).read().unwrap();
    assert_eq!(mail.len(), 1, "{mail:#?}");
    assert_eq!(
        (mail[0].to.as_str(), mail[0].subject.as_str()),
        (EMAIL, "AWS Notification - Subscription Confirmation")
    );
    let link = mail[0]
        .body
        .lines()
        .find_map(|l| l.strip_prefix("Confirm subscription: "))
        .unwrap()
        .to_string();
    let page = tokio::task::block_in_place(|| open_link(&link));
    assert!(page.contains("Subscription confirmed!"), "{page}");

    let status =
        tokio::task::block_in_place(|| email_confirmed(&account, home.path(), &front.url()));
    assert!(status.starts_with("pass "), "{status}");
    sns.publish()
        .topic_arn(topic_arn)
        .subject("Hello")
        .message("now")
        .send()
        .await
        .unwrap();
    let mail = Mailbox::in_dir(dir.path()).read().unwrap();
    assert_eq!(mail.len(), 2);
    assert_eq!(mail[1].subject, "Hello");
    assert!(mail[1].body.starts_with("now\n"), "{}", mail[1].body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_trail_notifies_once_per_log_file() {
    let account = moto::account().await;
    let (front, aws, dir) = front(&account, 300).await;
    build::perform_through(&aws, 2).await;
    let sns = aws.sns();
    let topic = sns.create_topic().name(TOPIC).send().await.unwrap();
    let topic_arn = topic.topic_arn().unwrap().to_string();
    sns.subscribe()
        .topic_arn(&topic_arn)
        .protocol("email")
        .endpoint(EMAIL)
        .send()
        .await
        .unwrap();
    Control::new(front.url()).confirm().await.unwrap();
    settle(&front).await;
    let bucket = build::bucket(&account);
    let before = log_files(&aws, &bucket).await;
    assert!(!before.is_empty(), "stage 2's calls were delivered");
    // As on AWS, CloudTrail may publish only where the topic policy lets it.
    let scope = lab::actions::policy::Scope {
        account: &account.id,
        region: "us-east-1",
        trail: TRAIL,
    };
    sns.set_topic_attributes()
        .topic_arn(&topic_arn)
        .attribute_name("Policy")
        .attribute_value(lab::actions::policy::topic(scope, &topic_arn).to_string())
        .send()
        .await
        .unwrap();
    aws.cloudtrail()
        .update_trail()
        .name(TRAIL)
        .sns_topic_name(TOPIC)
        .send()
        .await
        .unwrap();
    for _ in 0..3 {
        aws.secretsmanager()
            .describe_secret()
            .secret_id(build::SECRET)
            .send()
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(700)).await;
    }
    settle(&front).await;
    let after = log_files(&aws, &bucket).await;
    let new: Vec<&String> = after.iter().filter(|k| !before.contains(k)).collect();
    assert!(new.len() >= 3, "several deliveries: {new:?}");
    let notified: Vec<String> = Mailbox::in_dir(dir.path())
        .read()
        .unwrap()
        .iter()
        .filter(|m| m.subject == "AWS Notification Message")
        .map(|m| {
            let json: Value = serde_json::from_str(m.body.split("\n\n--").next().unwrap()).unwrap();
            assert_eq!(json["s3Bucket"], bucket.as_str());
            json["s3ObjectKey"][0].as_str().unwrap().to_string()
        })
        .collect();
    let mut new_sorted: Vec<String> = new.into_iter().cloned().collect();
    new_sorted.sort();
    let mut notified_sorted = notified.clone();
    notified_sorted.sort();
    assert_eq!(
        notified_sorted, new_sorted,
        "exactly one message per new log file"
    );
}

async fn settle(front: &Front) {
    assert!(
        Control::new(front.url())
            .settle(Duration::from_secs(120))
            .await
            .unwrap(),
        "settled"
    );
}

async fn log_files(aws: &Aws, bucket: &str) -> Vec<String> {
    let listed = aws
        .s3()
        .list_objects_v2()
        .bucket(bucket)
        .send()
        .await
        .unwrap();
    listed
        .contents()
        .iter()
        .filter_map(|o| o.key().map(str::to_string))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_call_is_recorded_and_delivered_as_the_trail_selects() {
    let account = moto::account().await;
    let (front, aws, _dir) = front(&account, 200).await;
    build::perform_through(&aws, 3).await;
    settle(&front).await;
    // Event history: the reads, by the caller, with the secret's name and never its value.
    let records = build::recorded(&aws, "GetSecretValue").await;
    assert!(!records.is_empty());
    for record in &records {
        assert_eq!(record["requestParameters"]["secretId"], build::SECRET);
        assert_eq!(record["userIdentity"]["accountId"], account.id.as_str());
        assert_eq!(record["eventSource"], "secretsmanager.amazonaws.com");
        assert!(record.get("responseElements").is_some_and(Value::is_null));
    }
    // The trail leaves out write events when told to: none arrive after that.
    use aws_sdk_cloudtrail::types::{EventSelector, ReadWriteType};
    aws.cloudtrail()
        .put_event_selectors()
        .trail_name(TRAIL)
        .event_selectors(
            EventSelector::builder()
                .read_write_type(ReadWriteType::ReadOnly)
                .include_management_events(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    settle(&front).await;
    let since = aws_smithy_types::DateTime::from(std::time::SystemTime::now());
    aws.secretsmanager()
        .tag_resource()
        .secret_id(build::SECRET)
        .tags(
            aws_sdk_secretsmanager::types::Tag::builder()
                .key("k")
                .value("v")
                .build(),
        )
        .send()
        .await
        .unwrap();
    aws.secretsmanager()
        .describe_secret()
        .secret_id(build::SECRET)
        .send()
        .await
        .unwrap();
    settle(&front).await;
    let stream = format!("{}_CloudTrail_us-east-1", account.id);
    let delivered = aws
        .logs()
        .get_log_events()
        .log_group_name(build::GROUP)
        .log_stream_name(&stream)
        .start_time(since.to_millis().unwrap())
        .send()
        .await
        .unwrap();
    let names: Vec<String> = delivered
        .events()
        .iter()
        .map(|e| {
            serde_json::from_str::<Value>(e.message().unwrap()).unwrap()["eventName"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(names.contains(&"DescribeSecret".to_string()), "{names:?}");
    assert!(
        !names.contains(&"TagResource".to_string()),
        "a write, left out: {names:?}"
    );
}

/// What a learner's own AWS CLI does, through boto3 (botocore is what the CLI is
/// built on; it speaks JSON 1.0 to CloudWatch, where lab's SDK speaks awsQuery).
const LEARNERS_CLI: &str = r#"
import boto3, json, time, urllib.request
cw, sns, ct = boto3.client("cloudwatch"), boto3.client("sns"), boto3.client("cloudtrail")
out = {}
topic = sns.create_topic(Name="Alerts")["TopicArn"]
out["subscribe"] = sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="me@example.com")["SubscriptionArn"]
cw.put_metric_alarm(AlarmName="A", Namespace="N", MetricName="M", Statistic="Sum", Period=60,
    EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanOrEqualToThreshold", AlarmActions=[topic])
out["new"] = cw.describe_alarms(AlarmNames=["A"])["MetricAlarms"][0]["StateValue"]
cw.put_metric_data(Namespace="N", MetricData=[{"MetricName": "M", "Value": 2}])
urllib.request.urlopen(urllib.request.Request(SETTLE, method="POST")).read()
out["after"] = cw.describe_alarms(AlarmNames=["A"])["MetricAlarms"][0]["StateValue"]
out["history"] = [h["HistorySummary"] for h in cw.describe_alarm_history(AlarmName="A", HistoryItemType="StateUpdate")["AlarmHistoryItems"]]
out["events"] = [e["EventName"] for e in ct.lookup_events()["Events"]]
print(json.dumps(out))
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_learners_own_cli_gets_the_same_sandbox() {
    let account = moto::account().await;
    let (front, _aws, _dir) = front(&account, 200).await;
    let c = &account.credentials;
    let output = tokio::task::block_in_place(|| {
        Command::new(moto::install().python())
            .args([
                "-c",
                &LEARNERS_CLI.replace(
                    "SETTLE",
                    &format!("{:?}", format!("{}/_lab/settle", front.url())),
                ),
            ])
            .env_clear()
            .env("AWS_ENDPOINT_URL", front.url())
            .env("AWS_ACCESS_KEY_ID", c.access_key_id())
            .env("AWS_SECRET_ACCESS_KEY", c.secret_access_key())
            .env("AWS_SESSION_TOKEN", c.session_token().unwrap_or_default())
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .output()
            .unwrap()
    });
    let stdout = String::from_utf8_lossy(&output.stdout);
    let out: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {stdout}{}", String::from_utf8_lossy(&output.stderr)));
    assert_eq!(out["subscribe"], "pending confirmation");
    assert_eq!(out["new"], "INSUFFICIENT_DATA");
    assert_eq!(out["after"], "ALARM");
    assert_eq!(
        out["history"][0],
        "Alarm updated from INSUFFICIENT_DATA to ALARM"
    );
    let events: Vec<&str> = out["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    for name in [
        "CreateTopic",
        "Subscribe",
        "PutMetricAlarm",
        "PutMetricData",
        "DescribeAlarms",
    ] {
        assert!(events.contains(&name), "{name} in {events:?}");
    }
}

#[test]
fn the_guide_says_the_sandbox_costs_nothing() {
    let sandbox = StartedSandbox::start();
    let mut command = sandbox.lab();
    command.env("TERM", "xterm").args(["run", "--sandbox"]);
    let mut session =
        rexpect::session::spawn_command(command, Some(30_000)).expect("lab run starts in a pty");
    crate::support::past_the_intro(&mut session);
    session
        .exp_string("Nothing: this is the local sandbox")
        .unwrap();
    session.exp_string(&sandbox.url()).unwrap();
    session.exp_string("Start the lab here?").unwrap();
    session.send("n").unwrap();
    session.flush().unwrap();
    session.exp_string("Nothing was changed.").unwrap();
    session.exp_eof().unwrap();
}

#[test]
fn mail_follow_shows_mail_as_it_arrives() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("sandbox");
    std::fs::create_dir_all(&dir).unwrap();
    let mailbox = Mailbox::in_dir(&dir);
    let mail = |subject: &str| Mail {
        time: "2026-11-28T10:00:00Z".into(),
        to: EMAIL.into(),
        subject: subject.into(),
        body: "body".into(),
        topic_arn: "arn:aws:sns:us-east-1:123456789012:SecurityAlarms".into(),
    };
    mailbox.deliver(&mail("already there")).unwrap();
    /// The follower, stopped however the test ends.
    struct Follower(std::process::Child);
    impl Drop for Follower {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut follow = Follower(
        lab(home.path())
            .env("LAB_SANDBOX_DIR", &dir)
            .args(["sandbox", "mail", "--follow", "--json", "--last", "1"])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut lines =
        std::io::BufRead::lines(std::io::BufReader::new(follow.0.stdout.take().unwrap()));
    let first: Mail = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(first.subject, "already there");
    mailbox.deliver(&mail("ALARM: new")).unwrap();
    let next: Mail = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(next.subject, "ALARM: new");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_email_check_passes_only_after_confirming() {
    let sandbox = StartedSandbox::start();
    let sns = sandbox.aws().sns();
    let topic = sns.create_topic().name(TOPIC).send().await.unwrap();
    sns.subscribe()
        .topic_arn(topic.topic_arn().unwrap())
        .protocol("email")
        .endpoint(EMAIL)
        .send()
        .await
        .unwrap();
    let email_confirmed = || {
        let ran =
            run(sandbox
                .lab()
                .args(["check", "--sandbox", "--stage", "alarm", "--format", "json"]));
        checks(&ran.stdout)
            .into_iter()
            .find(|(id, _)| id == "sns.email_confirmed")
            .unwrap()
            .1
    };
    assert_eq!(tokio::task::block_in_place(email_confirmed), "fail");
    let ran = run(sandbox.lab().args(["sandbox", "confirm"]));
    assert_eq!(ran.code, 0);
    assert!(
        ran.stdout.contains(&format!(
            "Confirmed {EMAIL} on {}",
            topic.topic_arn().unwrap()
        )),
        "{}",
        ran.stdout
    );
    assert_eq!(tokio::task::block_in_place(email_confirmed), "pass");
    let ran = run(sandbox.lab().args(["sandbox", "confirm"]));
    assert!(
        ran.stdout.contains("No subscription is waiting"),
        "{}",
        ran.stdout
    );
}

#[test]
fn a_port_in_use_is_explained() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let home = tempfile::tempdir().unwrap();
    let ran = run(lab(home.path())
        .env("LAB_SANDBOX_DIR", home.path().join("sandbox"))
        .env("LAB_STATE_DIR", home.path().join("state"))
        .env("LAB_MOTO_PYTHON", moto::install().python())
        .args(["sandbox", "start", "--port", &port]));
    assert_eq!(ran.code, 2, "{}{}", ran.stdout, ran.stderr);
    assert!(
        ran.stderr
            .contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("--port"), "{}", ran.stderr);
    assert!(!home.path().join("sandbox/sandbox.json").exists());
}

/// Whether the alarm's history shows an ALARM caused by the metric since `since`.
async fn fired_by_metric(aws: &Aws, since: std::time::SystemTime) -> bool {
    let since = aws_smithy_types::DateTime::from(since);
    let history = aws
        .cloudwatch()
        .describe_alarm_history()
        .alarm_name(build::ALARM)
        .send()
        .await
        .unwrap();
    history
        .alarm_history_items()
        .iter()
        .filter(|i| i.timestamp().is_some_and(|t| t.secs() >= since.secs()))
        .filter_map(|i| serde_json::from_str::<Value>(i.history_data()?).ok())
        .any(|d| {
            d["newState"]["stateValue"] == "ALARM" && !d["newState"]["stateReasonData"].is_null()
        })
}

/// The sandbox's time now (its clock runs ahead of this machine's once moved on).
async fn sandbox_now(url: &str) -> std::time::SystemTime {
    let now = Control::new(url).advance(Duration::ZERO).await.unwrap().now;
    let secs =
        aws_smithy_types::DateTime::from_str(&now, aws_smithy_types::date_time::Format::DateTime)
            .unwrap()
            .as_secs_f64();
    std::time::UNIX_EPOCH + Duration::from_secs_f64(secs)
}

/// The metric's Sum over everything from `since` to `until`.
async fn metric_sum(aws: &Aws, since: std::time::SystemTime, until: std::time::SystemTime) -> f64 {
    use aws_sdk_cloudwatch::primitives::DateTime;
    let out = aws
        .cloudwatch()
        .get_metric_statistics()
        .namespace(build::NAMESPACE)
        .metric_name(build::METRIC)
        .start_time(DateTime::from(since))
        .end_time(DateTime::from(until))
        .period(60)
        .statistics(aws_sdk_cloudwatch::types::Statistic::Sum)
        .send()
        .await
        .unwrap();
    out.datapoints().iter().filter_map(|p| p.sum()).sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grading_leaves_no_footprint_and_only_a_read_fires_the_alarm() {
    let sandbox = StartedSandbox::start();
    let email = format!("email={EMAIL}");
    let ran = run(sandbox.lab().args([
        "run",
        "--auto",
        "--sandbox",
        "--through",
        "alarm",
        "--set",
        &email,
    ]));
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    let aws = sandbox.aws();
    let control = Control::new(sandbox.url());
    // The alarm as stage 5 leaves it: Sum, one datapoint in one minute.
    let alarm = aws
        .cloudwatch()
        .describe_alarms()
        .alarm_names(build::ALARM)
        .send()
        .await
        .unwrap()
        .metric_alarms()[0]
        .clone();
    aws.cloudwatch()
        .put_metric_alarm()
        .alarm_name(build::ALARM)
        .namespace(build::NAMESPACE)
        .metric_name(build::METRIC)
        .statistic(aws_sdk_cloudwatch::types::Statistic::Sum)
        .period(60)
        .evaluation_periods(1)
        .threshold(1.0)
        .comparison_operator(
            aws_sdk_cloudwatch::types::ComparisonOperator::GreaterThanOrEqualToThreshold,
        )
        .set_alarm_actions(Some(alarm.alarm_actions().to_vec()))
        .send()
        .await
        .unwrap();

    // What the setup itself sent is delivered and counted now (the filter's own
    // creation mentions the word, and a read made just before the filter may be
    // delivered just after it, as on AWS), then leaves the alarm's minute.
    assert!(
        control.settle(Duration::from_secs(120)).await.unwrap(),
        "settled"
    );
    control.advance(Duration::from_secs(120)).await.unwrap();
    let since = sandbox_now(&sandbox.url()).await;
    // The grader, three times over: its own calls must not feed the metric. (What
    // the setup did may have fired the alarm already: its read of stage 2, made
    // just before the filter, reaches the log group just after it, and counts.)
    for _ in 0..3 {
        let ran = run(sandbox
            .lab()
            .args(["check", "--sandbox", "--format", "json"]));
        assert!(
            !checks(&ran.stdout).is_empty(),
            "{}{}",
            ran.stdout,
            ran.stderr
        );
        control.advance(Duration::from_secs(20)).await.unwrap();
    }
    // Everything the grader did is delivered and evaluated by now.
    assert!(
        control.settle(Duration::from_secs(120)).await.unwrap(),
        "settled"
    );
    let until = sandbox_now(&sandbox.url()).await;
    assert_eq!(
        metric_sum(&aws, since, until).await,
        0.0,
        "the grader's calls were counted"
    );
    assert!(
        !fired_by_metric(&aws, since).await,
        "the grader set the alarm off"
    );

    // An ALARM forced by hand is no ALARM from the metric.
    aws.cloudwatch()
        .set_alarm_state()
        .alarm_name(build::ALARM)
        .state_value(aws_sdk_cloudwatch::types::StateValue::Alarm)
        .state_reason("forced")
        .send()
        .await
        .unwrap();
    assert!(!fired_by_metric(&aws, since).await, "forced by hand");

    // A real read fires it, and then it passes (from OK: an alarm already in ALARM
    // has nothing to go into).
    aws.cloudwatch()
        .set_alarm_state()
        .alarm_name(build::ALARM)
        .state_value(aws_sdk_cloudwatch::types::StateValue::Ok)
        .state_reason("reset by the test")
        .send()
        .await
        .unwrap();
    aws.secretsmanager()
        .get_secret_value()
        .secret_id(build::SECRET)
        .send()
        .await
        .unwrap();
    assert!(
        control.settle(Duration::from_secs(120)).await.unwrap(),
        "settled"
    );
    let until = sandbox_now(&sandbox.url()).await;
    assert!(
        fired_by_metric(&aws, since).await,
        "a read never fired the alarm: sum {} since",
        metric_sum(&aws, since, until).await
    );
    let ran = run(sandbox
        .lab()
        .args(["check", "--sandbox", "--stage", "5", "--format", "json"]));
    assert!(
        checks(&ran.stdout).contains(&("alarm.fired".to_string(), "pass".to_string())),
        "{}",
        ran.stdout
    );
    assert_eq!(
        metric_sum(&aws, since, until).await,
        1.0,
        "one read, counted once"
    );
}

/// A raw HTTP request to the front, and the status line of its answer.
fn raw(url: &str, request: &str, body: &[u8]) -> String {
    let host = url.strip_prefix("http://").unwrap();
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
        .write_all(request.replace("{host}", host).as_bytes())
        .unwrap();
    let _ = stream.write_all(body);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_front_survives_hostile_requests_and_replaces_filters_as_aws_does() {
    let account = moto::account().await;
    let (front, aws, _dir) = front(&account, 100).await;
    let logs = aws.logs();
    logs.create_log_group()
        .log_group_name("g")
        .send()
        .await
        .unwrap();

    // A pattern nested 3,000 deep is an error, not a crash.
    let deep = format!("{{ {}$.a = 1{} }}", "(".repeat(3000), ")".repeat(3000));
    let refused = logs
        .test_metric_filter()
        .filter_pattern(deep)
        .log_event_messages("{\"a\":1}")
        .send()
        .await;
    assert!(refused.is_err(), "a 6 KB pattern is refused");

    // A body past the limit is refused unread.
    let url = front.url();
    let huge = vec![b'x'; 21 * 1024 * 1024];
    let status = tokio::task::spawn_blocking({
        let url = url.clone();
        move || {
            raw(
                &url,
                &format!(
                    "POST / HTTP/1.1\r\nHost: {{host}}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    huge.len()
                ),
                &huge,
            )
        }
    })
    .await
    .unwrap();
    assert!(status.contains("413"), "{status}");

    // A signed request for a region like `..` is refused, not passed on.
    let status = tokio::task::spawn_blocking({
        let url = url.clone();
        move || {
            raw(
                &url,
                "POST / HTTP/1.1\r\nHost: {host}\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKID/20261201/../logs/aws4_request, SignedHeaders=host, Signature=0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                b"",
            )
        }
    })
    .await
    .unwrap();
    assert!(status.contains("400"), "{status}");

    // Putting a filter under a name it has replaces it, as AWS does.
    for pattern in ["ERROR", "GetSecretValue"] {
        logs.put_metric_filter()
            .log_group_name("g")
            .filter_name("f")
            .filter_pattern(pattern)
            .metric_transformations(
                aws_sdk_cloudwatchlogs::types::MetricTransformation::builder()
                    .metric_namespace("N")
                    .metric_name("M")
                    .metric_value("1")
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
    }
    let filters = logs
        .describe_metric_filters()
        .log_group_name("g")
        .send()
        .await
        .unwrap();
    let patterns: Vec<&str> = filters
        .metric_filters()
        .iter()
        .filter_map(|f| f.filter_pattern())
        .collect();
    assert_eq!(patterns, ["GetSecretValue"]);
    assert!(
        filters.metric_filters()[0].creation_time().is_some(),
        "creationTime, as AWS gives it"
    );

    // Half-sent requests: the front keeps answering while they are held, and drops
    // them once the time to send a request's head has passed.
    let held = tokio::task::spawn_blocking({
        let url = url.clone();
        move || {
            let address = url.trim_start_matches("http://").to_string();
            (0..200)
                .map(|_| {
                    let mut stream = std::net::TcpStream::connect(&address).unwrap();
                    stream
                        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nX-Half: ")
                        .unwrap();
                    stream
                })
                .collect::<Vec<_>>()
        }
    })
    .await
    .unwrap();
    logs.describe_log_groups().send().await.unwrap();
    let dropped = tokio::task::spawn_blocking(move || {
        held.into_iter()
            .filter(|stream| {
                let mut stream = stream;
                stream
                    .set_read_timeout(Some(std::time::Duration::from_secs(20)))
                    .unwrap();
                let mut byte = [0u8; 512];
                // Closed (or answered and closed): anything but still waiting.
                !matches!(
                    stream.read(&mut byte),
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock
                        || e.kind() == std::io::ErrorKind::TimedOut
                )
            })
            .count()
    })
    .await
    .unwrap();
    assert_eq!(dropped, 200, "every half-sent request is dropped");

    // And it still answers.
    logs.describe_log_groups().send().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_made_as_another_identity_are_recorded_as_that_identity() {
    let sandbox = StartedSandbox::start();
    // The access key `lab sandbox env ARGS` exports.
    let key_of = |args: &[&str]| {
        let ran = run(sandbox.lab().args(["sandbox", "env"]).args(args));
        assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
        let key = ran.stdout.split("AWS_ACCESS_KEY_ID=").nth(1).unwrap();
        key.split_whitespace().next().unwrap().to_string()
    };
    let key_for = |identity: &str| key_of(&["--as", identity]);
    let learner = sandbox.aws();
    let account = learner.identity().await.unwrap().account;
    for (identity, kind, arn, user) in [
        (
            "root",
            "Root",
            format!("arn:aws:iam::{account}:root"),
            "root",
        ),
        (
            "user/alice",
            "IAMUser",
            format!("arn:aws:iam::{account}:user/alice"),
            "alice",
        ),
        (
            "role/ci-deployer",
            "AssumedRole",
            format!("arn:aws:sts::{account}:assumed-role/ci-deployer/lab-session"),
            "lab-session",
        ),
    ] {
        let aws = sandbox.aws_signing_with(&key_for(identity));
        // STS says who the credentials are, as it would on AWS.
        assert_eq!(aws.identity().await.unwrap().arn, arn, "{identity}");
        aws.secretsmanager().list_secrets().send().await.unwrap();
        use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};
        let found = learner
            .cloudtrail()
            .lookup_events()
            .lookup_attributes(
                LookupAttribute::builder()
                    .attribute_key(LookupAttributeKey::Username)
                    .attribute_value(user)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
        let event = found
            .events()
            .first()
            .unwrap_or_else(|| panic!("no event by {user}"));
        let record: Value = serde_json::from_str(event.cloud_trail_event().unwrap()).unwrap();
        assert_eq!(record["userIdentity"]["type"], kind, "{record}");
        assert_eq!(record["userIdentity"]["arn"], arn.as_str(), "{record}");
        assert_eq!(record["eventName"], "ListSecrets");
        if kind == "Root" {
            // As CloudTrail writes the root user: its principal id is the account.
            assert_eq!(record["userIdentity"]["principalId"], account.as_str());
            assert!(record["userIdentity"].get("invokedBy").is_none());
        }
    }
    // The root user's call made by a service for it: marked with the service, which
    // the benchmark's pattern leaves out and a bare `type = "Root"` counts.
    let by_service = sandbox.aws_signing_with(&key_of(&[
        "--as",
        "root",
        "--via",
        "cloudformation.amazonaws.com",
    ]));
    by_service
        .iam()
        .list_account_aliases()
        .send()
        .await
        .unwrap();
    use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};
    let found = learner
        .cloudtrail()
        .lookup_events()
        .lookup_attributes(
            LookupAttribute::builder()
                .attribute_key(LookupAttributeKey::EventName)
                .attribute_value("ListAccountAliases")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let record = found
        .events()
        .first()
        .unwrap()
        .cloud_trail_event()
        .unwrap()
        .to_string();
    let json: Value = serde_json::from_str(&record).unwrap();
    assert_eq!(json["userIdentity"]["type"], "Root", "{json}");
    assert_eq!(
        json["userIdentity"]["invokedBy"],
        "cloudformation.amazonaws.com"
    );
    assert_eq!(json["sourceIPAddress"], "cloudformation.amazonaws.com");
    let matches = |pattern: &str| {
        let logs = learner.logs();
        let record = record.clone();
        let pattern = pattern.to_string();
        async move {
            logs.test_metric_filter()
                .filter_pattern(pattern)
                .log_event_messages(record)
                .send()
                .await
                .unwrap()
                .matches()
                .len()
        }
    };
    assert_eq!(
        matches(r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#).await,
        0
    );
    assert_eq!(matches(r#"{ $.userIdentity.type = "Root" }"#).await, 1);

    // An identity that is none is refused, saying what is one.
    let ran = run(sandbox.lab().args(["sandbox", "env", "--as", "admin"]));
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(
        ran.stderr
            .contains("use `root`, `user/NAME` or `role/NAME`"),
        "{}",
        ran.stderr
    );
}
