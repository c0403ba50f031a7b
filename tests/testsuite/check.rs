//! `lab check` against moto: a correctly built account passes every check moto can
//! express; each way of breaking the lab that moto can express fails the check that
//! should notice, naming the resource; what moto cannot show is an error, never a
//! pass. (What moto cannot express at all is covered by the mock tests in the
//! `checkers` crate.)

use aws_sdk_cloudtrail::types::{EventSelector, ReadWriteType};
use aws_sdk_cloudwatch::types::{ComparisonOperator, Dimension, Statistic};
use aws_sdk_cloudwatchlogs::types::MetricTransformation;
use checkers::{Finding, Status};
use lab::aws::Aws;
use lab::lesson::{Lab, LessonSource, load};
use lab::ops::check::report;
use lab::session::Session;
use lab::variables::Assignments;
use serde_json::Value;

use crate::support::build::{self, ALARM, GROUP, METRIC, NAMESPACE, ROLE, SECRET, TRAIL, build};
use crate::support::moto::{self, REGION, TestAccount};
use crate::support::run;

/// Checks that moto cannot show passing: it records no CloudTrail events
/// (LookupEvents) and keeps no alarm history (DescribeAlarmHistory).
const MOTO_CANNOT_EXPRESS: [&str; 2] = ["trail.secret_access_recorded", "alarm.fired"];

fn lab() -> Lab {
    load(&LessonSource::default()).expect("the shipped lessons load")
}

/// Judges `stage_keys` (default scope when empty) on the account behind `aws`.
async fn findings(aws: &Aws, stage_keys: &[&str]) -> Vec<Finding> {
    let lab = lab();
    let keys: Vec<String> = stage_keys.iter().map(|s| s.to_string()).collect();
    let chosen = lab.chosen_stages(&keys, false).unwrap();
    let session = Session::open(&lab, aws.clone(), &Assignments::default())
        .await
        .expect("session");
    report(&session, &chosen, Default::default()).await.findings
}

fn find<'f>(findings: &'f [Finding], id: &str) -> &'f Finding {
    findings
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("no finding {id}"))
}

#[track_caller]
fn assert_finding(findings: &[Finding], id: &str, status: Status, message_has: &str) {
    let f = find(findings, id);
    assert_eq!(f.status, status, "{id}: {}", f.message);
    assert!(
        f.message.contains(message_has),
        "{id}: {:?} lacks {message_has:?}",
        f.message
    );
}

#[tokio::test]
async fn a_correct_account_passes_every_check_moto_can_express() {
    let account = moto::account().await;
    build(&account, 5).await;
    let home = tempfile::tempdir().unwrap();
    let ran = run(account.lab(home.path()).args(["check", "--format", "json"]));
    let json: Value = serde_json::from_str(&ran.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", ran.stdout, ran.stderr));
    assert_eq!(json["lab"], "secrets-access-monitoring");
    assert_eq!(json["account"], account.id.as_str());
    assert_eq!(json["region"], REGION);
    let checks = json["checks"].as_array().unwrap();
    let ids: Vec<&str> = checks.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 17, "stages 1 to 5 hold 17 checks: {ids:?}");
    for check in checks {
        let id = check["id"].as_str().unwrap();
        for key in ["stage", "title", "status", "message", "fix", "resource"] {
            assert!(check.get(key).is_some(), "{id} lacks {key}");
        }
        let expected = if MOTO_CANNOT_EXPRESS.contains(&id) {
            "error"
        } else {
            "pass"
        };
        assert_eq!(check["status"], expected, "{id}: {}", check["message"]);
    }
    assert_eq!(json["summary"]["pass"], 15);
    assert_eq!(json["summary"]["error"], 2);
    assert_eq!(json["summary"]["total"], 17);
    assert_eq!(ran.code, 2, "an error means the grade is incomplete");
    assert!(checks.iter().any(|c| {
        c["message"]
            .as_str()
            .unwrap()
            .contains("does not implement `cloudtrail:LookupEvents`")
    }));
}

#[tokio::test]
async fn the_table_shows_marks_fixes_and_a_score_and_exit_1_on_a_failure() {
    let account = moto::account().await;
    build(&account, 4).await; // the alarm still uses Average
    let home = tempfile::tempdir().unwrap();
    let ran = run(account
        .lab(home.path())
        .args(["check", "--stage", "4", "--stage", "alarm"]));
    assert_eq!(
        ran.code, 0,
        "stage 4 as built passes: {}{}",
        ran.stdout, ran.stderr
    );
    assert!(
        ran.stdout.contains("Stage 4 · Alarm and email"),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("✓ alarm.exists"), "{}", ran.stdout);
    assert!(
        ran.stdout
            .contains("Score 6/6 points · 6 passed · 0 failed · 0 skipped · 0 not graded"),
        "{}",
        ran.stdout
    );
    assert!(!ran.stdout.contains("Incomplete"), "{}", ran.stdout);

    let ran = run(account.lab(home.path()).args(["check", "--stage", "test"]));
    assert_eq!(
        ran.code, 2,
        "stage 5 has a failure and moto's gaps: {}",
        ran.stdout
    );
    assert!(ran.stdout.contains("✗ alarm.statistic"), "{}", ran.stdout);
    assert!(
        ran.stdout
            .contains("fix: edit the alarm's metric: statistic Sum"),
        "{}",
        ran.stdout
    );

    let junit = home.path().join("report.xml");
    let ran = run(account
        .lab(home.path())
        .args(["check", "--stage", "5", "--format", "junit", "--output"])
        .arg(&junit));
    assert_eq!(ran.code, 2);
    assert!(ran.stdout.is_empty(), "the report went to the file");
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("<testcase classname=\"secrets-access-monitoring.stage5\" name=\"alarm.statistic\" time=\"0.000\"><failure type=\"fail\""), "{xml}");
    assert!(
        xml.contains("Fix: edit the alarm&apos;s metric: statistic Sum"),
        "{xml}"
    );
    assert!(xml.contains("<error type=\"not graded\" message="), "{xml}");
    crate::support::junit::assert_valid(&xml);
}

#[tokio::test]
async fn one_scope_one_score_in_every_format() {
    let account = moto::account().await;
    build(&account, 5).await;
    let home = tempfile::tempdir().unwrap();
    let check = |format: &str| {
        run(account
            .lab(home.path())
            .args(["check", "--stage", "5", "--format", format]))
    };
    let json: Value = serde_json::from_str(&check("json").stdout).unwrap();
    let ids: Vec<&str> = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    // Stage 5's steps name earlier checks too; the scope shows and counts them all, under stage 5.
    assert!(
        ids.contains(&"alarm.threshold") && ids.contains(&"alarm.statistic"),
        "{ids:?}"
    );
    assert!(
        json["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["stage"] == 5),
        "{json}"
    );
    let table = check("table");
    let rows = table
        .stdout
        .lines()
        .filter(|l| {
            l.starts_with("  ")
                && (l.contains('✓') || l.contains('✗') || l.contains('!') || l.contains(" - "))
        })
        .count();
    assert_eq!(rows, ids.len(), "{}", table.stdout);
    let junit = check("junit").stdout;
    crate::support::junit::assert_valid(&junit);
    assert_eq!(junit.matches("<testcase ").count(), ids.len(), "{junit}");
    assert!(
        junit.contains(&format!(
            "<testsuites name=\"secrets-access-monitoring\" tests=\"{}\"",
            ids.len()
        )),
        "{junit}"
    );
    let score = &json["score"];
    let points: u64 = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            if c["id"] == "alarm.statistic" || c["id"] == "alarm.fired" {
                2
            } else {
                1
            }
        })
        .sum();
    assert_eq!(
        score["possible"].as_u64().unwrap() + score["not_graded"].as_u64().unwrap(),
        points,
        "{json}"
    );
    assert!(
        table.stdout.contains(&format!(
            "Score {}/{} points",
            score["earned"], score["possible"]
        )),
        "{}",
        table.stdout
    );
    for key in ["lab_version", "graded_at", "complete"] {
        assert!(!json[key].is_null(), "{key} in {json}");
    }
    // The JSON's shape is the schema's: every key it writes is described, every
    // required key is there.
    let schema: Value = serde_json::from_str(
        &run(account.lab(home.path()).args(["check", "--json-schema"])).stdout,
    )
    .unwrap();
    let described = schema["properties"].as_object().unwrap();
    for key in json.as_object().unwrap().keys() {
        assert!(described.contains_key(key), "{key} is not in the schema");
    }
    for key in schema["required"].as_array().unwrap() {
        assert!(
            json.get(key.as_str().unwrap()).is_some(),
            "{key} is required"
        );
    }
    // CTRF, the same scope.
    let ctrf: Value = serde_json::from_str(&check("ctrf").stdout).unwrap();
    assert_eq!(ctrf["reportFormat"], "CTRF");
    let summary = &ctrf["results"]["summary"];
    assert_eq!(
        summary["tests"].as_u64().unwrap() as usize,
        ids.len(),
        "{ctrf}"
    );
    assert_eq!(
        summary["other"], json["summary"]["error"],
        "not graded is `other`"
    );
    assert_eq!(summary["passed"], json["summary"]["pass"]);
    for test in ctrf["results"]["tests"].as_array().unwrap() {
        assert!(
            ["passed", "failed", "skipped", "other"].contains(&test["status"].as_str().unwrap()),
            "{test}"
        );
    }
    // The same scope as Gradescope's results.json, as a run_autograder writes it.
    let results = home.path().join("results.json");
    let ran = run(account
        .lab(home.path())
        .args([
            "check",
            "--stage",
            "5",
            "--format",
            "gradescope",
            "--gradescope-visibility",
            "after-published",
            "--output",
        ])
        .arg(&results));
    assert_eq!(
        ran.code, 2,
        "moto cannot show alarm history: {}",
        ran.stderr
    );
    let results: Value = serde_json::from_str(&std::fs::read_to_string(&results).unwrap()).unwrap();
    crate::support::gradescope::assert_valid(&results);
    // Every check, and first, since the grade is incomplete, the test that says so.
    assert_eq!(results["tests"].as_array().unwrap().len(), ids.len() + 1);
    assert_eq!(
        results["tests"][0]["name"],
        "Not graded yet: run the autograder again"
    );
    assert_eq!(results["score"], score["earned"]);
    assert_eq!(results["visibility"], "after_published");
}

#[tokio::test]
async fn an_unreachable_endpoint_still_writes_a_gradescope_result_without_a_score() {
    let home = tempfile::tempdir().unwrap();
    let results = home.path().join("results.json");
    let ran = run(crate::support::lab(home.path())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", REGION)
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .args(["check", "--format", "gradescope", "--output"])
        .arg(&results));
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(
        ran.stderr.lines().count() <= 4,
        "one-line errors, no SDK dump: {}",
        ran.stderr
    );
    assert!(
        !ran.stderr.contains("DispatchFailure") && !ran.stderr.contains("WARN"),
        "{}",
        ran.stderr
    );
    let results: Value = serde_json::from_str(&std::fs::read_to_string(&results).unwrap()).unwrap();
    crate::support::gradescope::assert_valid(&results);
    assert!(results.get("score").is_none(), "{results}");
    assert!(
        results["output"]
            .as_str()
            .unwrap()
            .contains("could not be graded"),
        "{results}"
    );
}

#[test]
fn an_endpoint_that_never_answers_ends_the_check_within_its_time_limit() {
    let hang = crate::support::faults::Proxy::failing(crate::support::faults::Fault::Hang);
    let home = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let ran = run(crate::support::lab(home.path())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", REGION)
        .env("AWS_ENDPOINT_URL", hang.url())
        .args(["check", "--timeout", "2"]));
    let took = started.elapsed();
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(took < std::time::Duration::from_secs(20), "took {took:?}");
    assert!(ran.stderr.contains("no answer in time"), "{}", ran.stderr);
    assert!(
        ran.stderr.contains(hang.url()),
        "names the endpoint: {}",
        ran.stderr
    );
}

#[tokio::test]
async fn an_unknown_stage_is_a_usage_error() {
    let account = moto::account().await;
    let home = tempfile::tempdir().unwrap();
    let report = home.path().join("report.json");
    let ran = run(account
        .lab(home.path())
        .args(["check", "--stage", "9", "--format", "json", "--output"])
        .arg(&report));
    assert_eq!(ran.code, 2);
    assert!(!report.exists(), "a usage error writes no report");
    assert!(
        ran.stderr.contains("there is no stage `9`"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("1 (secret)"),
        "the help lists the stages: {}",
        ran.stderr
    );
}

/// A fresh, correctly built account with one thing broken by `breaks`.
async fn broken<F, Fut>(breaks: F) -> (TestAccount, Aws)
where
    F: FnOnce(Aws, TestAccount) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let account = moto::account().await;
    let aws = build(&account, 5).await;
    let copy = TestAccount {
        id: account.id.clone(),
        config: account.config.clone(),
        credentials: account.credentials.clone(),
    };
    breaks(aws.clone(), copy).await;
    (account, aws)
}

#[tokio::test]
async fn secret_missing() {
    let account = moto::account().await;
    let aws = build(&account, 0).await;
    let f = findings(&aws, &["1", "2"]).await;
    assert_finding(
        &f,
        "secret.exists",
        Status::Fail,
        "no secret named `TopSecretInfo`",
    );
    assert_finding(
        &f,
        "trail.secret_access_recorded",
        Status::Skipped,
        "`secret.exists`",
    );
}

#[tokio::test]
async fn secret_scheduled_for_deletion() {
    let (_, aws) = broken(|aws, _| async move {
        aws.secretsmanager()
            .delete_secret()
            .secret_id(SECRET)
            .recovery_window_in_days(7)
            .send()
            .await
            .unwrap();
    })
    .await;
    assert_finding(
        &findings(&aws, &["1"]).await,
        "secret.exists",
        Status::Fail,
        "scheduled for deletion",
    );
}

#[tokio::test]
async fn trail_bucket_deleted() {
    let (_, aws) = broken(|aws, account| async move {
        aws.s3()
            .delete_bucket()
            .bucket(build::bucket(&account))
            .send()
            .await
            .unwrap();
    })
    .await;
    let f = findings(&aws, &["2"]).await;
    assert_finding(&f, "trail.exists", Status::Fail, "which does not exist");
    assert_finding(&f, "trail.logging", Status::Skipped, "`trail.exists`");
}

#[tokio::test]
async fn trail_not_logging() {
    let (_, aws) = broken(|aws, _| async move {
        aws.cloudtrail()
            .stop_logging()
            .name(TRAIL)
            .send()
            .await
            .unwrap();
    })
    .await;
    assert_finding(
        &findings(&aws, &["2"]).await,
        "trail.logging",
        Status::Fail,
        "is not logging",
    );
}

#[tokio::test]
async fn trail_records_only_writes() {
    let (_, aws) = broken(|aws, _| async move {
        let writes = EventSelector::builder()
            .read_write_type(ReadWriteType::WriteOnly)
            .include_management_events(true)
            .build();
        aws.cloudtrail()
            .put_event_selectors()
            .trail_name(TRAIL)
            .event_selectors(writes)
            .send()
            .await
            .unwrap();
    })
    .await;
    let f = findings(&aws, &["2"]).await;
    assert_finding(
        &f,
        "trail.management_events",
        Status::Fail,
        "only write management events",
    );
    assert_finding(
        &f,
        "trail.excludes_noisy_sources",
        Status::Fail,
        "kms.amazonaws.com",
    );
}

#[tokio::test]
async fn delivery_to_another_group() {
    let (_, aws) = broken(|aws, account| async move {
        aws.cloudtrail()
            .update_trail()
            .name(TRAIL)
            .cloud_watch_logs_log_group_arn(format!(
                "arn:aws:logs:{REGION}:{}:log-group:other-group:*",
                account.id
            ))
            .send()
            .await
            .unwrap();
    })
    .await;
    let f = findings(&aws, &["3"]).await;
    assert_finding(
        &f,
        "logs.trail_delivery",
        Status::Fail,
        "to the log group `other-group`, not `my-secretsmanager-loggroup`",
    );
    assert_finding(
        &f,
        "logs.metric_filter",
        Status::Skipped,
        "`logs.trail_delivery`",
    );
}

#[tokio::test]
async fn delivery_role_not_trusting_cloudtrail() {
    let (_, aws) = broken(|aws, _| async move {
        aws.iam()
            .update_assume_role_policy()
            .role_name(ROLE)
            .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#)
            .send()
            .await
            .unwrap();
    })
    .await;
    assert_finding(
        &findings(&aws, &["3"]).await,
        "logs.trail_delivery",
        Status::Fail,
        "CloudTrail cannot assume the role",
    );
}

#[tokio::test]
async fn delivery_role_deleted() {
    let (_, aws) = broken(|aws, _| async move {
        let iam = aws.iam();
        let policy = "cloudtrail-to-logs";
        iam.delete_role_policy()
            .role_name(ROLE)
            .policy_name(policy)
            .send()
            .await
            .unwrap();
        iam.delete_role().role_name(ROLE).send().await.unwrap();
    })
    .await;
    assert_finding(
        &findings(&aws, &["3"]).await,
        "logs.trail_delivery",
        Status::Fail,
        "which does not exist",
    );
}

#[tokio::test]
async fn no_events_and_a_filter_that_counts_too_much() {
    let (account, aws) = broken(|aws, account| async move {
        let stream = format!("{}_CloudTrail_{REGION}", account.id);
        aws.logs()
            .delete_log_stream()
            .log_group_name(GROUP)
            .log_stream_name(stream)
            .send()
            .await
            .unwrap();
        // AWS replaces a filter put under the same name; moto adds a second one.
        aws.logs()
            .delete_metric_filter()
            .log_group_name(GROUP)
            .filter_name("GetSecretValue")
            .send()
            .await
            .unwrap();
        aws.logs()
            .put_metric_filter()
            .log_group_name(GROUP)
            .filter_name("GetSecretValue")
            .filter_pattern("secretsmanager")
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
            .unwrap();
    })
    .await;
    let f = findings(&aws, &["3", "4"]).await;
    assert_finding(
        &f,
        "logs.events_arriving",
        Status::Fail,
        "no events have arrived in `my-secretsmanager-loggroup`",
    );
    assert_finding(
        &f,
        "logs.metric_filter",
        Status::Fail,
        "counts other records",
    );
    assert_finding(&f, "alarm.exists", Status::Pass, "watches");
    drop(account);
}

/// Puts a filter feeding the lab's metric on `group`.
async fn feed_metric(aws: &Aws, group: &str, name: &str, pattern: &str, default: Option<f64>) {
    aws.logs()
        .put_metric_filter()
        .log_group_name(group)
        .filter_name(name)
        .filter_pattern(pattern)
        .metric_transformations(
            MetricTransformation::builder()
                .metric_namespace(NAMESPACE)
                .metric_name(METRIC)
                .metric_value("1")
                .set_default_value(default)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn every_filter_that_feeds_the_metric_is_judged() {
    // A default value of 1 counts every record.
    let (_, aws) = broken(|aws, _| async move {
        aws.logs()
            .delete_metric_filter()
            .log_group_name(GROUP)
            .filter_name("GetSecretValue")
            .send()
            .await
            .unwrap();
        feed_metric(&aws, GROUP, "GetSecretValue", "GetSecretValue", Some(1.0)).await;
    })
    .await;
    assert_finding(
        &findings(&aws, &["3"]).await,
        "logs.metric_filter",
        Status::Fail,
        "has a default value of 1",
    );

    // A second filter on the same group, beside the right one.
    let (_, aws) = broken(|aws, _| async move {
        feed_metric(&aws, GROUP, "everything", "", None).await;
    })
    .await;
    assert_finding(
        &findings(&aws, &["3"]).await,
        "logs.metric_filter",
        Status::Fail,
        "`everything` has an empty pattern",
    );

    // A filter on a group the trail does not deliver to.
    let (_, aws) = broken(|aws, _| async move {
        aws.logs()
            .create_log_group()
            .log_group_name("app-logs")
            .send()
            .await
            .unwrap();
        feed_metric(&aws, "app-logs", "app-reads", "GetSecretValue", Some(0.0)).await;
    })
    .await;
    let f = findings(&aws, &["3", "4"]).await;
    assert_finding(
        &f,
        "logs.metric_filter",
        Status::Fail,
        "`app-reads` on `app-logs`",
    );
    assert_finding(&f, "alarm.exists", Status::Pass, "watches");
}

#[tokio::test]
async fn topic_and_subscription() {
    let (_, aws) = broken(|aws, account| async move {
        aws.sns()
            .delete_topic()
            .topic_arn(build::topic_arn(&account))
            .send()
            .await
            .unwrap();
    })
    .await;
    let f = findings(&aws, &["4"]).await;
    assert_finding(
        &f,
        "sns.topic",
        Status::Fail,
        "no SNS topic named `SecurityAlarms`",
    );
    assert_finding(&f, "sns.email_confirmed", Status::Skipped, "`sns.topic`");
    assert_finding(&f, "alarm.notifies_topic", Status::Skipped, "`sns.topic`");

    let (_, aws) = broken(|aws, account| async move {
        let subs = aws
            .sns()
            .list_subscriptions_by_topic()
            .topic_arn(build::topic_arn(&account))
            .send()
            .await
            .unwrap();
        for s in subs.subscriptions() {
            aws.sns()
                .unsubscribe()
                .subscription_arn(s.subscription_arn().unwrap())
                .send()
                .await
                .unwrap();
        }
    })
    .await;
    assert_finding(
        &findings(&aws, &["4"]).await,
        "sns.email_confirmed",
        Status::Fail,
        "has no email subscription",
    );
}

#[tokio::test]
async fn alarm_on_average() {
    let account = moto::account().await;
    let aws = build(&account, 4).await;
    assert_finding(
        &findings(&aws, &["5"]).await,
        "alarm.statistic",
        Status::Fail,
        "uses Average",
    );
}

#[tokio::test]
async fn alarm_with_dimensions_the_metric_lacks() {
    let (_, aws) = broken(|aws, account| async move {
        aws.cloudwatch()
            .put_metric_alarm()
            .alarm_name(ALARM)
            .namespace(NAMESPACE)
            .metric_name(METRIC)
            .dimensions(
                Dimension::builder()
                    .name("SecretName")
                    .value(SECRET)
                    .build(),
            )
            .statistic(Statistic::Sum)
            .period(60)
            .evaluation_periods(1)
            .threshold(2.0)
            .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
            .alarm_actions(build::topic_arn(&account))
            .send()
            .await
            .unwrap();
    })
    .await;
    let f = findings(&aws, &["4"]).await;
    assert_finding(
        &f,
        "alarm.exists",
        Status::Fail,
        "with dimensions (SecretName=TopSecretInfo)",
    );
    assert_finding(&f, "alarm.threshold", Status::Skipped, "`alarm.exists`");
}

#[tokio::test]
async fn alarm_period_too_long_and_no_actions() {
    let (_, aws) = broken(|aws, _| async move {
        aws.cloudwatch()
            .put_metric_alarm()
            .alarm_name(ALARM)
            .namespace(NAMESPACE)
            .metric_name(METRIC)
            .statistic(Statistic::Sum)
            .period(600)
            .evaluation_periods(1)
            .threshold(2.0)
            .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
            .send()
            .await
            .unwrap();
    })
    .await;
    let f = findings(&aws, &["4"]).await;
    assert_finding(&f, "alarm.threshold", Status::Fail, "600 seconds");
    assert_finding(&f, "alarm.notifies_topic", Status::Fail, "no ALARM actions");
}

#[tokio::test]
async fn alarm_actions_disabled() {
    let (_, aws) = broken(|aws, _| async move {
        aws.cloudwatch()
            .disable_alarm_actions()
            .alarm_names(ALARM)
            .send()
            .await
            .unwrap();
    })
    .await;
    assert_finding(
        &findings(&aws, &["4"]).await,
        "alarm.notifies_topic",
        Status::Fail,
        "actions disabled",
    );
}

#[tokio::test]
async fn direct_notifications_on_then_off() {
    let (account, aws) = broken(|aws, _| async move {
        aws.cloudtrail()
            .update_trail()
            .name(TRAIL)
            .sns_topic_name(build::TOPIC)
            .send()
            .await
            .unwrap();
    })
    .await;
    // Stage 6 ends with notifications off: its check takes `enabled: false`.
    assert_finding(
        &findings(&aws, &["6"]).await,
        "trail.sns_notifications",
        Status::Fail,
        "still on",
    );
    aws.cloudtrail()
        .update_trail()
        .name(TRAIL)
        .sns_topic_name("")
        .send()
        .await
        .unwrap();
    // Off again: whether it was ever on is in event history, which moto does not
    // keep, so that is not known here (the sandbox shows it: tests/testsuite/finished.rs).
    assert_finding(
        &findings(&aws, &["6"]).await,
        "trail.sns_notifications",
        Status::Error,
        "cloudtrail:LookupEvents",
    );
    drop(account);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cleanup_done_names_what_remains_and_ignores_lookalikes() {
    let account = moto::account().await;
    let aws = build(&account, 5).await;
    let f = findings(&aws, &["7"]).await;
    assert_finding(
        &f,
        "cleanup.done",
        Status::Fail,
        "still there: secret `TopSecretInfo`, trail `secrets-manager-trail`",
    );

    // Behind a sandbox front, which keeps event history as CloudTrail does.
    let empty = moto::account().await;
    let (_front, aws, _dir) = crate::sandbox::front(&empty, 60_000).await;
    aws.secretsmanager()
        .create_secret()
        .name("TopSecretInfo2")
        .secret_string("x")
        .send()
        .await
        .unwrap();
    aws.sns()
        .create_topic()
        .name("SecurityAlarms2")
        .send()
        .await
        .unwrap();
    aws.logs()
        .create_log_group()
        .log_group_name("my-secretsmanager-loggroup-old")
        .send()
        .await
        .unwrap();
    // Lookalikes are not the lab: nothing of it remains, and nothing of it was
    // ever built, so there was nothing to clean up.
    let cleanup = findings(&aws, &["cleanup"]).await;
    assert_finding(
        &cleanup,
        "cleanup.done",
        Status::Fail,
        "there was nothing to clean up",
    );
    assert!(
        !find(&cleanup, "cleanup.done")
            .message
            .contains("still there")
    );
    // Built (the secret, by its lab name), then deleted: a cleanup.
    aws.secretsmanager()
        .create_secret()
        .name(SECRET)
        .secret_string("x")
        .send()
        .await
        .unwrap();
    aws.secretsmanager()
        .delete_secret()
        .secret_id(SECRET)
        .force_delete_without_recovery(true)
        .send()
        .await
        .unwrap();
    assert_finding(
        &findings(&aws, &["cleanup"]).await,
        "cleanup.done",
        Status::Pass,
        "none of the lab's resources remain",
    );
}

#[tokio::test]
async fn renamed_lessons_leave_no_trace_of_the_default_names_in_verdicts_or_the_book() {
    let account = moto::account().await;
    let dir = crate::support::lessons::LessonDir::shipped();
    let renames = [
        ("default: TopSecretInfo", "default: VaultItem"),
        ("default: secrets-manager-trail\n", "default: audit-trail\n"),
        (
            "default: \"secrets-manager-trail-{{account_id}}-{{region}}\"",
            "default: \"audit-logs-{{account_id}}-{{region}}\"",
        ),
        ("default: my-secretsmanager-loggroup", "default: vault-logs"),
        (
            "default: CloudTrailRoleForCloudWatchLogs_secrets-manager-trail",
            "default: AuditTrailToLogs",
        ),
        ("default: SecurityMetrics", "default: VaultMetrics"),
        ("default: Secret is accessed", "default: Vault reads"),
        ("default: Secret is accessed", "default: Vault read alarm"),
        ("default: SecurityAlarms", "default: VaultAlerts"),
    ];
    for (from, to) in renames {
        dir.replace("lab.yaml", from, to);
    }
    let home = tempfile::tempdir().unwrap();
    let ran = run(account
        .lab(home.path())
        .arg("--lessons")
        .arg(dir.path())
        .args(["check", "--all", "--format", "json"]));
    // Exit 2: moto keeps no event history, so whether the lab was ever built (for
    // cleanup.done) cannot be decided; everything else is a plain fail.
    assert_eq!(ran.code, 2, "{}{}", ran.stdout, ran.stderr);
    let report: Value = serde_json::from_str(&ran.stdout).unwrap();
    let errors: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "error")
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(errors, ["cleanup.done"], "{}", ran.stdout);
    let defaults = [
        "TopSecretInfo",
        "secrets-manager-trail",
        "my-secretsmanager-loggroup",
        "CloudTrailRoleForCloudWatchLogs",
        "SecurityMetrics",
        "Secret is accessed",
        "SecurityAlarms",
    ];
    for default in defaults {
        assert!(
            !ran.stdout.contains(default),
            "`{default}` in a verdict: {}",
            ran.stdout
        );
    }
    for renamed in ["VaultItem", "audit-trail", "VaultAlerts"] {
        assert!(ran.stdout.contains(renamed), "{renamed}: {}", ran.stdout);
    }

    // Nor in the handbook made from them.
    let renamed = load(&LessonSource::Dir(dir.path().to_path_buf())).unwrap();
    let book = lab::book::generate(&renamed);
    for file in &book {
        for default in defaults {
            assert!(
                !file.text.contains(default),
                "`{default}` in {}",
                file.path.display()
            );
        }
    }
    assert!(book.iter().any(|f| f.text.contains("VaultItem")));
}

#[tokio::test]
async fn an_empty_account_reads_the_same_in_every_format() {
    use crate::support::snapshot::{assert_snapshot, redact_field};
    let account = moto::account().await;
    let home = tempfile::tempdir().unwrap();
    let check = |format: &str| {
        run(account
            .lab(home.path())
            .args(["check", "--all", "--format", format]))
    };
    let redactions = [(account.id.as_str(), "[account]")];
    let table = check("table");
    // Exit 2: with no event history on moto, cleanup.done cannot tell whether the
    // lab was ever built here.
    assert_eq!(table.code, 2, "{}", table.stderr);
    assert_snapshot("check-empty-table", &table.stdout, &redactions);
    let json = check("json");
    let json_text = ["graded_at", "seconds", "lab_version"]
        .iter()
        .fold(json.stdout, |text, key| redact_field(&text, key));
    assert_snapshot("check-empty-json", &json_text, &redactions);
    let junit = check("junit");
    let junit_text = ["timestamp", "time"]
        .iter()
        .fold(junit.stdout, |text, key| redact_field(&text, key));
    assert_snapshot("check-empty-junit", &junit_text, &redactions);
}

/// The checks of each stage read what those checks need and nothing more: the
/// request count per scope, on an account built through stage 5; and the verdicts
/// are those of a full read.
#[tokio::test]
async fn each_stage_reads_only_what_its_checks_need() {
    let account = moto::account().await;
    let aws = build(&account, 5).await;
    let lab = lab();
    let session = Session::open(&lab, aws.clone(), &Assignments::default())
        .await
        .expect("session");
    let everything = report(
        &session,
        &lab.chosen_stages(&[], true).unwrap(),
        Default::default(),
    )
    .await;
    let mut counts = Vec::new();
    for stage in &lab.stages {
        let scoped = report(&session, &[stage], Default::default()).await;
        for finding in &scoped.findings {
            let full = find(&everything.findings, &finding.id);
            assert_eq!(
                (finding.status, &finding.message),
                (full.status, &full.message),
                "stage {}: {} reads differently in its scope",
                stage.number,
                finding.id
            );
        }
        counts.push((stage.number, scoped.api_calls));
    }
    let expected = [
        // DescribeSecret.
        (1, 1),
        // DescribeSecret, LookupEvents, DescribeTrails; then GetTrailStatus,
        // GetEventSelectors, HeadBucket.
        (2, 6),
        // DescribeSecret, DescribeTrails, DescribeMetricFilters; then HeadBucket,
        // DescribeLogGroups, DescribeLogStreams, GetTrailStatus, and GetRole with
        // what the role may do (ListRolePolicies, GetRolePolicy,
        // ListAttachedRolePolicies).
        (3, 11),
        // ListTopics, DescribeAlarms, DescribeMetricFilters (the unit the alarm
        // sees); then ListSubscriptionsByTopic, GetSubscriptionAttributes,
        // GetTopicAttributes.
        (4, 6),
        // DescribeSecret, LookupEvents, DescribeMetricFilters, DescribeAlarms,
        // ListTopics; then DescribeAlarmHistory, ListSubscriptionsByTopic,
        // GetSubscriptionAttributes.
        (5, 8),
        // DescribeTrails, LookupEvents (was it ever on?); then HeadBucket
        // (trail.exists comes first).
        (6, 3),
        // Each of the seven resources, by name or in its list, and LookupEvents
        // (was the lab ever built?).
        (7, 8),
    ];
    assert_eq!(counts, expected, "requests per stage");
    // Each distinct request once, however many stages need it.
    assert_eq!(everything.api_calls, 20, "every call once");
}

/// `-v` says where the time went: each phase, with its requests, adding up.
#[tokio::test]
async fn verbose_check_shows_where_the_time_went() {
    let account = moto::account().await;
    build(&account, 1).await;
    let home = tempfile::tempdir().unwrap();
    let ran = run(account
        .lab(home.path())
        .args(["check", "--stage", "1", "-v"]));
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    let table = ran
        .stderr
        .split("where the time went:\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no timing table in {}", ran.stderr));
    let line = |label: &str| {
        table
            .lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("no {label:?} line in {table}"))
            .to_string()
    };
    assert!(line("configuration and credentials").ends_with("1 request"));
    assert!(line("reading: by name and whole lists").ends_with("1 request"));
    assert!(line("reading: what those point to").ends_with("0 requests"));
    for label in ["start-up", "judging", "rendering"] {
        assert!(line(label).contains(" ms"), "{table}");
    }
    assert!(line("total").ends_with("2 requests"), "{table}");
    assert!(
        !ran.stdout.contains("where the time went"),
        "the table goes to stderr"
    );
}
