//! `lab run`: `--auto` through the lab on moto, then `lab check`; `lab status` and
//! `lab reset`; refusing without a terminal; and the interactive guide driven in a
//! pseudo-terminal, as a learner would use it.

use std::process::Command;

use serde_json::Value;

use crate::support::build::{self, EMAIL};
use crate::support::moto::{self, TestAccount};
use crate::support::run;

/// `lab` acting in `account`, with its progress kept in `home`.
fn lab_in(account: &TestAccount, home: &std::path::Path) -> Command {
    let mut command = account.lab(home);
    command.env("LAB_STATE_DIR", home.join("state"));
    command
}

#[tokio::test]
async fn auto_runs_every_stage_and_check_agrees_afterwards() {
    let account = moto::account().await;
    let home = tempfile::tempdir().unwrap();
    let ran = run(lab_in(&account, home.path())
        .args([
            "run",
            "--auto",
            "--through",
            "6",
            "--wait-timeout",
            "1",
            "--set",
        ])
        .arg(format!("email={EMAIL}")));
    assert_eq!(
        ran.code, 2,
        "moto cannot show every step: {}{}",
        ran.stdout, ran.stderr
    );
    for stage in 1..=6 {
        assert!(
            ran.stdout.contains(&format!("Stage {stage} ·")),
            "stage {stage} missing:\n{}",
            ran.stdout
        );
    }
    assert!(
        !ran.stdout.contains("Stage 7 ·"),
        "--through 6 stops before cleanup"
    );
    assert!(
        ran.stdout
            .contains("updated the alarm `Secret is accessed`: Sum over 60 s"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout
            .contains("does not implement `cloudtrail:LookupEvents`"),
        "{}",
        ran.stdout
    );

    // CloudTrail delivery, which moto does not do, simulated; then every check moto
    // can express passes.
    let aws = lab::aws::Aws::new(account.config.clone());
    build::deliver_an_event(&aws, &account.id).await;
    let ran = run(lab_in(&account, home.path()).args(["check", "--format", "json"]));
    let json: Value = serde_json::from_str(&ran.stdout).unwrap();
    for check in json["checks"].as_array().unwrap() {
        let expected = if matches!(
            check["id"].as_str(),
            Some("trail.secret_access_recorded" | "alarm.fired")
        ) {
            "error"
        } else {
            "pass"
        };
        assert_eq!(
            check["status"], expected,
            "{}: {}",
            check["id"], check["message"]
        );
    }

    let ran = run(lab_in(&account, home.path()).arg("status"));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(
        ran.stdout
            .contains("✓ Stage 1 · Store a secret  (1/1 steps)"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout.contains("◐ Stage 2"),
        "the unreadable event history leaves stage 2 open: {}",
        ran.stdout
    );
    assert!(ran.stdout.contains("○ Stage 7"), "{}", ran.stdout);

    let ran = run(lab_in(&account, home.path()).arg("reset"));
    assert!(
        ran.stdout.contains("Forgot your progress"),
        "{}",
        ran.stdout
    );
    let ran = run(lab_in(&account, home.path()).arg("status"));
    assert!(ran.stdout.contains("○ Stage 1"), "{}", ran.stdout);
}

#[tokio::test]
async fn values_given_with_set_are_remembered() {
    let account = moto::account().await;
    let home = tempfile::tempdir().unwrap();
    let ran = run(lab_in(&account, home.path()).args([
        "run",
        "--auto",
        "--through",
        "1",
        "--set",
        &format!("email={EMAIL}"),
    ]));
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    // No --set this time: the email given before is still known.
    let ran = run(lab_in(&account, home.path()).args(["run", "--auto", "--through", "1"]));
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    // What --auto built with, the guide will not ask again: the bucket's name, a
    // question of the guide's, is remembered as the answer.
    let progress = std::fs::read_to_string(home.path().join(format!(
        "state/secrets-access-monitoring/{}-us-east-1.json",
        account.id
    )))
    .unwrap();
    let progress: Value = serde_json::from_str(&progress).unwrap();
    assert_eq!(
        progress["answers"]["bucket_name"],
        format!("secrets-manager-trail-{}-us-east-1", account.id),
        "{progress}"
    );
}

#[tokio::test]
async fn auto_needs_the_email_and_the_guide_needs_a_terminal() {
    let account = moto::account().await;
    let home = tempfile::tempdir().unwrap();
    let ran = run(lab_in(&account, home.path()).args(["run", "--auto"]));
    assert_eq!(ran.code, 2);
    assert!(ran.stderr.contains("--set email="), "{}", ran.stderr);

    let ran = run(lab_in(&account, home.path()).arg("run"));
    assert_eq!(ran.code, 2);
    assert!(ran.stderr.contains("needs a terminal"), "{}", ran.stderr);
    assert!(ran.stderr.contains("lab run --auto"), "{}", ran.stderr);
}

// rexpect reads the terminal byte by byte as Latin-1: expect ASCII fragments only.
const DOWN: &str = "\x1b[B";
const ENTER: &str = "\r";

/// Types `keys` (rexpect buffers what it sends until flushed).
fn keys(session: &mut rexpect::session::PtySession, text: &str) {
    session.send(text).unwrap();
    session.flush().unwrap();
}

/// Moves `n` places down a menu and picks the item.
fn pick(session: &mut rexpect::session::PtySession, n: usize) {
    keys(session, &format!("{}{ENTER}", DOWN.repeat(n)));
}

#[tokio::test]
async fn the_guide_in_a_terminal_checks_hints_does_goes_back_quits_and_resumes() {
    let account = moto::account().await;
    let home = tempfile::tempdir().unwrap();
    let mut command = lab_in(&account, home.path());
    command.env("TERM", "xterm").arg("run");
    let mut session =
        rexpect::session::spawn_command(command, Some(30_000)).expect("lab run starts in a pty");

    crate::support::past_the_intro(&mut session);
    session.exp_string("Where").unwrap();
    session.exp_string(&account.id).unwrap();
    session.exp_string("Start the lab here?").unwrap();
    keys(&mut session, "y");
    session
        .exp_string("Bucket for the trail's log files")
        .unwrap();
    session
        .exp_string(&format!("secrets-manager-trail-{}-us-east-1", account.id))
        .unwrap();
    keys(&mut session, ENTER); // the default
    session.exp_string("Which email address").unwrap();
    keys(&mut session, "not-an-address");
    keys(&mut session, ENTER);
    session.exp_string("is not an email address").unwrap();
    for _ in 0.."not-an-address".len() {
        keys(&mut session, "\x7f");
    }
    keys(&mut session, "learner@example.com");
    keys(&mut session, ENTER);

    session.exp_string("Step 1.1").unwrap();
    session.exp_string("Create the secret").unwrap();
    session.exp_string("What next?").unwrap();
    // Menu: Check, Do it for me, Next hint, CLI, Skip, Quit.
    pick(&mut session, 0);
    session
        .exp_string("there is no secret named `TopSecretInfo`")
        .unwrap();
    session.exp_string("fix:").unwrap();
    session.exp_string("What next?").unwrap();
    pick(&mut session, 2);
    session.exp_string("Hint 1/3").unwrap();
    session.exp_string("What next?").unwrap();
    pick(&mut session, 1);
    session
        .exp_string("stored the secret `TopSecretInfo`")
        .unwrap();
    session
        .exp_string("the secret `TopSecretInfo` exists")
        .unwrap();
    session.exp_string("Step 2.1").unwrap();
    session
        .exp_string("Create the trail and its bucket")
        .unwrap();
    session.exp_string("What next?").unwrap();
    // Menu: Check, Do it for me, Next hint, CLI, Skip, Back, Quit.
    pick(&mut session, 5);
    session.exp_string("Step 1.1").unwrap();
    session.exp_string("Create the secret").unwrap();
    session.exp_string(" done").unwrap();
    session.exp_string("What next?").unwrap();
    // Hints are shown again from the first; menu: Check, Do, Hint, CLI, Skip, Quit.
    pick(&mut session, 5);
    session.exp_string("Progress saved").unwrap();
    session.exp_eof().unwrap();

    let progress = std::fs::read_to_string(home.path().join(format!(
        "state/secrets-access-monitoring/{}-us-east-1.json",
        account.id
    )))
    .unwrap();
    let progress: Value = serde_json::from_str(&progress).unwrap();
    assert_eq!(progress["steps"]["create-secret"]["state"], "done");
    assert_eq!(progress["answers"]["email"], "learner@example.com");
    assert!(
        progress["actions"][0]["changes"][0]
            .as_str()
            .unwrap()
            .contains("stored the secret")
    );
    assert!(
        !progress.to_string().contains("demo-"),
        "no secret value in the progress file"
    );

    let mut command = lab_in(&account, home.path());
    command.env("TERM", "xterm").arg("run");
    let mut session = rexpect::session::spawn_command(command, Some(30_000)).unwrap();
    crate::support::past_the_intro(&mut session);
    session
        .exp_string("Continue the lab here (1 of 19 steps done)?")
        .unwrap();
    keys(&mut session, "y");
    session.exp_string("Step 1.1").unwrap();
    session.exp_string("Create the secret").unwrap();
    session.exp_string("What next?").unwrap();
    pick(&mut session, 5);
    session.exp_string("Progress saved").unwrap();
    session.exp_eof().unwrap();
}

#[tokio::test]
async fn troubleshooting_shows_why_the_average_stays_below_one() {
    use aws_sdk_cloudwatch::primitives::DateTime;
    use aws_sdk_cloudwatch::types::MetricDatum;

    let account = moto::account().await;
    let aws = build::build(&account, 5).await;
    // One read and nineteen other events in the same minute, as the filter emits them.
    let now = DateTime::from(std::time::SystemTime::now() - std::time::Duration::from_secs(120));
    let datum = |value: f64| {
        MetricDatum::builder()
            .metric_name("Secret is accessed")
            .value(value)
            .timestamp(now)
            .build()
    };
    let mut put = aws
        .cloudwatch()
        .put_metric_data()
        .namespace("SecurityMetrics")
        .metric_data(datum(1.0));
    for _ in 0..19 {
        put = put.metric_data(datum(0.0));
    }
    put.send().await.unwrap();

    let lab = lab::lesson::load(&lab::lesson::LessonSource::default()).unwrap();
    let session = crate::support::build::open_session(&lab, aws).await;
    console::set_colors_enabled(false);
    let explain = &lab
        .troubleshoot
        .as_ref()
        .expect("the lessons troubleshoot")
        .explain;
    let shown = lab::runner::troubleshoot::metric_numbers(&session, Some(explain), 80).await;
    let numbers = format!("{}{}", shown.numbers, shown.explanation.unwrap_or_default());
    assert!(numbers.contains("per minute:"), "{numbers}");
    let row = numbers
        .lines()
        .find(|l| l.contains("0.050"))
        .unwrap_or_else(|| panic!("no Average of 0.05 in:\n{numbers}"));
    let columns: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        &columns[2..5],
        ["20", "0.050", "1"],
        "date, time, events, Average, Sum: {row}"
    );
    let flat = numbers.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("The Sum counts the reads"), "{numbers}");
    assert!(
        numbers
            .lines()
            .all(|l| console::measure_text_width(l) <= 80),
        "wrapped to the width:\n{numbers}"
    );
}

#[tokio::test]
async fn ctrl_c_while_waiting_goes_back_to_the_menu() {
    let account = moto::account().await;
    let aws = build::build(&account, 3).await;
    // Undo the simulated delivery: no events have arrived, so the guide must wait.
    let stream = format!("{}_CloudTrail_{}", account.id, moto::REGION);
    aws.logs()
        .delete_log_stream()
        .log_group_name(build::GROUP)
        .log_stream_name(stream)
        .send()
        .await
        .unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut command = lab_in(&account, home.path());
    command.env("TERM", "xterm").args([
        "run",
        "--stage",
        "3",
        "--wait-timeout",
        "120",
        "--set",
        "email=a@example.com",
    ]);
    let mut session = rexpect::session::spawn_command(command, Some(30_000)).unwrap();
    crate::support::past_the_intro(&mut session);
    session.exp_string("Start the lab here?").unwrap();
    keys(&mut session, "y");
    session
        .exp_string("Bucket for the trail's log files")
        .unwrap();
    keys(&mut session, ENTER);
    session.exp_string("Step 3.1").unwrap();
    session.exp_string("What next?").unwrap();
    // Menu: Check, Do it for me, Next hint, CLI, Skip, Quit.
    pick(&mut session, 4);
    session.exp_string("Step 3.2").unwrap();
    session.exp_string("See the events arrive").unwrap();
    session.exp_string("What next?").unwrap();
    pick(&mut session, 0);
    // moto never delivers CloudTrail events: the guide waits for them.
    session
        .exp_string("waiting for CloudTrail to deliver its first events")
        .unwrap();
    keys(&mut session, "\x03");
    session.exp_string("stopped waiting (Ctrl-C)").unwrap();
    session.exp_string("no events have arrived").unwrap();
    session.exp_string("What next?").unwrap();
    // Still running, and still at the same step. Ctrl-C at the menu quits as
    // "Quit" does: the progress kept, the cursor the menu hid shown again.
    keys(&mut session, "\x03");
    session.exp_string("\x1b[?25h").unwrap();
    session.exp_string("Progress saved").unwrap();
    session.exp_eof().unwrap();
    let progress = std::fs::read_to_string(home.path().join(format!(
        "state/secrets-access-monitoring/{}-us-east-1.json",
        account.id
    )))
    .unwrap();
    let progress: Value = serde_json::from_str(&progress).unwrap();
    assert_eq!(progress["current"], "see-events");
    assert_eq!(progress["steps"]["deliver-to-logs"]["state"], "skipped");
}

#[tokio::test]
async fn the_guide_asks_before_using_what_lab_did_not_create_and_never_tags_it() {
    let account = moto::account().await;
    let aws = lab::aws::Aws::new(account.config.clone());
    let bucket = "team-audit-logs-778";
    build::foreign_bucket(&aws, bucket, "TeamAuditWriter").await;
    let s3 = aws.s3();
    let home = tempfile::tempdir().unwrap();
    let mut command = lab_in(&account, home.path());
    let set = format!("bucket_name={bucket}");
    command.env("TERM", "xterm").args([
        "run",
        "--stage",
        "2",
        "--set",
        "email=a@example.com",
        "--set",
        &set,
    ]);
    let mut session = rexpect::session::spawn_command(command, Some(30_000)).unwrap();
    crate::support::past_the_intro(&mut session);
    session.exp_string("Start the lab here?").unwrap();
    keys(&mut session, "y");
    session.exp_string("Step 2.1").unwrap();
    session.exp_string("What next?").unwrap();
    // Menu: Check, Do it for me, ...; "no" first: nothing changes, the fix is shown.
    pick(&mut session, 1);
    session
        .exp_string(&format!(
            "the bucket `{bucket}` exists and lab did not create it"
        ))
        .unwrap();
    session.exp_string("yours for this lab?").unwrap();
    keys(&mut session, "n");
    session.exp_string("fix:").unwrap();
    session.exp_string("What next?").unwrap();
    let policy = s3.get_bucket_policy().bucket(bucket).send().await.unwrap();
    assert!(
        !policy.policy().unwrap().contains("CloudTrail"),
        "changed before the learner said yes"
    );
    // Then "yes": lab adds its statements beside theirs and creates the trail.
    pick(&mut session, 1);
    session.exp_string("yours for this lab?").unwrap();
    keys(&mut session, "y");
    session
        .exp_string("set the bucket policy: this trail may write (other statements kept)")
        .unwrap();
    session.exp_string("created the trail").unwrap();
    session.exp_string("What next?").unwrap();
    drop(session);

    let policy = s3.get_bucket_policy().bucket(bucket).send().await.unwrap();
    let policy = policy.policy().unwrap();
    assert!(policy.contains("TeamAuditWriter"), "{policy}");
    assert!(policy.contains("cloudtrail.amazonaws.com"), "{policy}");
    let tags = s3.get_bucket_tagging().bucket(bucket).send().await;
    assert!(
        tags.map(|t| t.tag_set().is_empty()).unwrap_or(true),
        "lab tagged a bucket it did not create"
    );
}

#[test]
fn the_guide_draws_the_chain_to_fit_the_terminal() {
    use crate::support::snapshot::assert_snapshot;
    let lab = lab::lesson::load(&lab::lesson::LessonSource::default()).unwrap();
    let wide = lab::runner::chain_diagram(&lab.chain, 140);
    assert_snapshot("guide-chain-140-columns", &wide, &[]);
    let narrow = lab::runner::chain_diagram(&lab.chain, 80);
    assert_snapshot("guide-chain-80-columns", &narrow, &[]);
}
