//! `lab cleanup` after `lab run --auto`: a dry run lists and deletes nothing;
//! `--yes --force-delete-secret` leaves none of the lab's resources (checked service
//! by service, not only by `cleanup.done`); a second run changes nothing; resources
//! with similar names survive.

use lab::aws::Aws;

use crate::support::moto::{self, TestAccount};
use crate::support::{Ran, run};

fn lab(account: &TestAccount, home: &std::path::Path, args: &[&str]) -> Ran {
    let mut command = account.lab(home);
    command.env("LAB_STATE_DIR", home.join("state")).args(args);
    run(&mut command)
}

/// Every lab resource's presence, service by service.
async fn remaining(aws: &Aws, account: &TestAccount) -> Vec<&'static str> {
    let mut left = Vec::new();
    let secrets = aws
        .secretsmanager()
        .list_secrets()
        .include_planned_deletion(true)
        .send()
        .await
        .unwrap();
    if secrets
        .secret_list()
        .iter()
        .any(|s| s.name() == Some("TopSecretInfo"))
    {
        left.push("secret");
    }
    let trails = aws.cloudtrail().describe_trails().send().await.unwrap();
    if trails
        .trail_list()
        .iter()
        .any(|t| t.name() == Some("secrets-manager-trail"))
    {
        left.push("trail");
    }
    if aws
        .s3()
        .head_bucket()
        .bucket(crate::support::build::bucket(account))
        .send()
        .await
        .is_ok()
    {
        left.push("bucket");
    }
    let groups = aws.logs().describe_log_groups().send().await.unwrap();
    if groups
        .log_groups()
        .iter()
        .any(|g| g.log_group_name() == Some("my-secretsmanager-loggroup"))
    {
        left.push("log group");
    }
    if aws
        .iam()
        .get_role()
        .role_name("CloudTrailRoleForCloudWatchLogs_secrets-manager-trail")
        .send()
        .await
        .is_ok()
    {
        left.push("role");
    }
    let alarms = aws.cloudwatch().describe_alarms().send().await.unwrap();
    if alarms
        .metric_alarms()
        .iter()
        .any(|a| a.alarm_name() == Some("Secret is accessed"))
    {
        left.push("alarm");
    }
    let topics = aws.sns().list_topics().send().await.unwrap();
    if topics.topics().iter().any(|t| {
        t.topic_arn()
            .is_some_and(|a| a.ends_with(":SecurityAlarms"))
    }) {
        left.push("topic");
    }
    left
}

#[tokio::test]
async fn dry_run_then_cleanup_then_nothing_left_to_do() {
    let account = moto::account().await;
    let home = tempfile::tempdir().unwrap();
    let built = lab(
        &account,
        home.path(),
        &[
            "run",
            "--auto",
            "--through",
            "6",
            "--wait-timeout",
            "0",
            "--set",
            "email=a@example.com",
        ],
    );
    assert!(built.stdout.contains("Stage 6"), "{}", built.stdout);
    let aws = Aws::new(account.config.clone());
    aws.secretsmanager()
        .create_secret()
        .name("TopSecretInfo2")
        .secret_string("keep")
        .send()
        .await
        .unwrap();
    aws.sns()
        .create_topic()
        .name("SecurityAlarms-old")
        .send()
        .await
        .unwrap();
    aws.iam()
        .create_role()
        .role_name("CloudTrailRoleForCloudWatchLogs_other")
        .assume_role_policy_document("{}")
        .send()
        .await
        .unwrap();
    let everything = vec![
        "secret",
        "trail",
        "bucket",
        "log group",
        "role",
        "alarm",
        "topic",
    ];
    assert_eq!(remaining(&aws, &account).await, everything);

    let dry = lab(&account, home.path(), &["cleanup"]);
    assert_eq!(
        dry.code, 1,
        "resources remain after a dry run: {}{}",
        dry.stdout, dry.stderr
    );
    assert!(dry.stdout.contains("Nothing was deleted"), "{}", dry.stdout);
    for line in [
        "trail      secrets-manager-trail",
        "matched by name and lab tag",
        "schedule for deletion with the standard 30-day recovery window",
    ] {
        assert!(
            dry.stdout.contains(line),
            "{line:?} missing from:\n{}",
            dry.stdout
        );
    }
    assert_eq!(
        remaining(&aws, &account).await,
        everything,
        "a dry run deletes nothing"
    );

    let real = lab(
        &account,
        home.path(),
        &["cleanup", "--yes", "--force-delete-secret"],
    );
    assert_eq!(real.code, 0, "{}{}", real.stdout, real.stderr);
    assert!(
        real.stdout.contains("None of the lab's resources remain"),
        "{}",
        real.stdout
    );
    assert_eq!(remaining(&aws, &account).await, Vec::<&str>::new());
    let secrets = aws.secretsmanager().list_secrets().send().await.unwrap();
    assert_eq!(
        secrets
            .secret_list()
            .iter()
            .filter_map(|s| s.name())
            .collect::<Vec<_>>(),
        vec!["TopSecretInfo2"]
    );
    assert_eq!(
        aws.sns().list_topics().send().await.unwrap().topics().len(),
        1,
        "SecurityAlarms-old survives"
    );
    assert!(
        aws.iam()
            .get_role()
            .role_name("CloudTrailRoleForCloudWatchLogs_other")
            .send()
            .await
            .is_ok()
    );

    let again = lab(&account, home.path(), &["cleanup", "--yes"]);
    assert_eq!(again.code, 0);
    assert!(
        again
            .stdout
            .contains("None of the lab's resources are left"),
        "{}",
        again.stdout
    );
    assert!(!again.stdout.contains("deleted the"), "{}", again.stdout);
}

#[tokio::test]
async fn without_force_the_secret_waits_out_its_recovery_window() {
    let account = moto::account().await;
    let home = tempfile::tempdir().unwrap();
    let built = lab(
        &account,
        home.path(),
        &[
            "run",
            "--auto",
            "--through",
            "1",
            "--set",
            "email=a@example.com",
        ],
    );
    assert_eq!(built.code, 0, "{}{}", built.stdout, built.stderr);
    let cleaned = lab(&account, home.path(), &["cleanup", "--yes"]);
    assert_eq!(cleaned.code, 0, "{}", cleaned.stdout);
    assert!(
        cleaned
            .stdout
            .contains("stays taken until its recovery window ends"),
        "{}",
        cleaned.stdout
    );
    let aws = Aws::new(account.config.clone());
    let secret = aws
        .secretsmanager()
        .describe_secret()
        .secret_id("TopSecretInfo")
        .send()
        .await
        .unwrap();
    assert!(
        secret.deleted_date().is_some(),
        "scheduled for deletion, not gone"
    );
}

#[tokio::test]
async fn lab_never_takes_over_what_it_did_not_create() {
    let account = moto::account().await;
    let aws = Aws::new(account.config.clone());
    let home = tempfile::tempdir().unwrap();
    let bucket = "company-audit-logs-777";
    crate::support::build::foreign_bucket(&aws, bucket, "CompanyAuditWriter").await;
    let s3 = aws.s3();
    s3.put_object()
        .bucket(bucket)
        .key("audit/2026.log")
        .body(aws_sdk_s3::primitives::ByteStream::from_static(b"kept"))
        .send()
        .await
        .unwrap();
    aws.secretsmanager()
        .create_secret()
        .name("TopSecretInfo")
        .secret_string("{\"k\":\"v\"}")
        .send()
        .await
        .unwrap();

    let set = format!("bucket_name={bucket}");
    let ran = lab(
        &account,
        home.path(),
        &[
            "run",
            "--auto",
            "--through",
            "2",
            "--set",
            "email=a@example.com",
            "--set",
            &set,
        ],
    );
    assert!(
        ran.stdout.contains("lab did not create it"),
        "{}{}",
        ran.stdout,
        ran.stderr
    );
    // Neither is tagged or changed.
    let tags = s3.get_bucket_tagging().bucket(bucket).send().await;
    assert!(
        tags.map(|t| t.tag_set().is_empty()).unwrap_or(true),
        "the bucket was tagged"
    );
    let policy = s3.get_bucket_policy().bucket(bucket).send().await.unwrap();
    assert!(policy.policy().unwrap().contains("CompanyAuditWriter"));
    assert!(
        !policy.policy().unwrap().contains("CloudTrailWrite"),
        "the policy was changed"
    );
    let secret = aws
        .secretsmanager()
        .describe_secret()
        .secret_id("TopSecretInfo")
        .send()
        .await
        .unwrap();
    assert!(secret.tags().is_empty(), "the secret was tagged");

    // Nor is an alarm of the lab's name that someone else made.
    aws.cloudwatch()
        .put_metric_alarm()
        .alarm_name("Secret is accessed")
        .namespace("Theirs")
        .metric_name("Theirs")
        .statistic(aws_sdk_cloudwatch::types::Statistic::Average)
        .period(300)
        .evaluation_periods(1)
        .threshold(5.0)
        .comparison_operator(aws_sdk_cloudwatch::types::ComparisonOperator::GreaterThanThreshold)
        .send()
        .await
        .unwrap();
    let ran = lab(
        &account,
        home.path(),
        &[
            "run",
            "--auto",
            "--stage",
            "4",
            "--through",
            "4",
            "--set",
            "email=a@example.com",
            "--set",
            &set,
        ],
    );
    assert!(
        ran.stdout
            .contains("the alarm `Secret is accessed` exists and lab did not create it"),
        "{}{}",
        ran.stdout,
        ran.stderr
    );
    let alarm = aws
        .cloudwatch()
        .describe_alarms()
        .alarm_names("Secret is accessed")
        .send()
        .await
        .unwrap();
    assert_eq!(
        alarm.metric_alarms()[0].namespace(),
        Some("Theirs"),
        "the alarm was changed"
    );

    // Cleanup lists them and keeps them, objects and all.
    let ran = lab(&account, home.path(), &["cleanup", "--yes", "--set", &set]);
    assert!(
        ran.stdout.contains("keep: lab did not create it"),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("--include-untagged"), "{}", ran.stdout);
    assert!(
        s3.head_object()
            .bucket(bucket)
            .key("audit/2026.log")
            .send()
            .await
            .is_ok()
    );
    assert!(
        aws.secretsmanager()
            .describe_secret()
            .secret_id("TopSecretInfo")
            .send()
            .await
            .is_ok()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_learner_made_by_hand_is_cleaned_up_and_anyone_elses_kept() {
    // On AWS, event history names who created a resource: what the learner's own
    // identity made with the lab's names (following the console steps) is the
    // lab's; a resource whose creation is not theirs, or not in the history, is kept.
    // A sandbox front keeps that history; moto behind it does not.
    let account = moto::account().await;
    let (front, aws, _dir) = crate::sandbox::front(&account, 60_000).await;
    aws.secretsmanager()
        .create_secret()
        .name("TopSecretInfo")
        .secret_string("made by hand")
        .send()
        .await
        .unwrap();
    // Made straight on moto: no event history says who made it.
    let moto_only = Aws::new(account.config.clone());
    moto_only
        .sns()
        .create_topic()
        .name("SecurityAlarms")
        .send()
        .await
        .unwrap();
    // Someone else's bucket with the lab's name, which the learner's own call only
    // mentions (another trail writing to it): that call did not create it.
    let bucket = format!("secrets-manager-trail-{}-us-east-1", account.id);
    moto_only
        .s3()
        .create_bucket()
        .bucket(&bucket)
        .send()
        .await
        .unwrap();
    let policy = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
             "Action": "s3:GetBucketAcl", "Resource": format!("arn:aws:s3:::{bucket}")},
            {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
             "Action": "s3:PutObject", "Resource": format!("arn:aws:s3:::{bucket}/AWSLogs/{}/*", account.id),
             "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}}
        ]
    });
    moto_only
        .s3()
        .put_bucket_policy()
        .bucket(&bucket)
        .policy(policy.to_string())
        .send()
        .await
        .unwrap();
    aws.cloudtrail()
        .create_trail()
        .name("another-trail")
        .s3_bucket_name(&bucket)
        .send()
        .await
        .unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut command = account.lab(home.path());
    command
        .env("LAB_STATE_DIR", home.path().join("state"))
        .env("AWS_ENDPOINT_URL", front.url())
        .args(["cleanup", "--yes", "--force-delete-secret"]);
    let ran = run(&mut command);
    let flat = ran.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("secret TopSecretInfo → delete at once")
            && flat.contains("made by you (CloudTrail event history,"),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("deleted the secret"), "{}", ran.stdout);
    assert!(
        flat.contains("topic SecurityAlarms → keep: lab did not create it"),
        "{}",
        ran.stdout
    );
    assert!(
        flat.contains(&format!("bucket {bucket} → keep: lab did not create it")),
        "{}",
        ran.stdout
    );
    assert_eq!(ran.code, 1, "the topic and bucket remain: {}", ran.stdout);
    assert_eq!(remaining(&aws, &account).await, ["bucket", "topic"]);
}
