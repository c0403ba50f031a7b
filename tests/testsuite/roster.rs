//! `lab check --roster`: a class of moto accounts in different states, graded in
//! one run, in every format; an account that cannot be reached is an error row and
//! the others still grade.

use std::time::Duration;

use aws_smithy_mocks::{MockResponseInterceptor, RuleMode, create_mock_http_client, mock};
use lab::grade::{assume, grade};
use lab::lesson::{LessonSource, load};
use lab::roster::Student;
use serde_json::Value;

use crate::support::build::build;
use crate::support::moto::{self, REGION};
use crate::support::{lab, run};

/// The grader: moto's default account, which may assume any role.
fn grader(home: &std::path::Path) -> std::process::Command {
    let mut command = lab(home);
    command
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", REGION)
        .env("AWS_ENDPOINT_URL", moto::endpoint());
    command
}

fn status(record: &Value, id: &str) -> String {
    let check = record["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no {id}"));
    check["status"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn three_students_in_three_states_in_every_format() {
    let (done, average, empty) = (
        moto::account().await,
        moto::account().await,
        moto::account().await,
    );
    build(&done, 5).await;
    build(&average, 4).await;
    let home = tempfile::tempdir().unwrap();
    let roster = home.path().join("class.csv");
    std::fs::write(
        &roster,
        format!(
            "student,account_id\n\"Lovelace, Ada\",{}\nAlan Turing,{}\nGrace Hopper,{}\n",
            done.id, average.id, empty.id
        ),
    )
    .unwrap();
    let roster = roster.to_str().unwrap();

    let ran = run(grader(home.path()).args(["check", "--roster", roster, "--format", "json"]));
    assert_eq!(ran.code, 2, "moto's gaps are errors: {}", ran.stderr);
    let records: Vec<Value> = serde_json::from_str(&ran.stdout).unwrap();
    let names: Vec<&str> = records
        .iter()
        .map(|r| r["student"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Lovelace, Ada", "Alan Turing", "Grace Hopper"],
        "roster order"
    );
    assert_eq!(records[0]["account"], done.id.as_str());
    assert_eq!(status(&records[0], "alarm.statistic"), "pass");
    assert_eq!(status(&records[1], "alarm.statistic"), "fail");
    assert_eq!(status(&records[1], "alarm.exists"), "pass");
    assert_eq!(status(&records[2], "secret.exists"), "fail");
    for record in &records {
        assert_eq!(record["lab"], "secrets-access-monitoring");
        assert!(
            record["summary"]["total"].as_u64().unwrap() == 17,
            "same shape as one account: {record}"
        );
    }

    // Points: 17 checks, alarm.statistic and alarm.fired worth 2 each: 19. What moto
    // cannot show (1 + 2 points) is not graded: it neither earns nor loses, so Ada
    // has 16 of 16, partly graded; Alan loses the statistic (2).
    let ran = run(grader(home.path()).args(["check", "--roster", roster]));
    let row = |name: &str| {
        ran.stdout
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no row for {name}:\n{}", ran.stdout))
            .to_string()
    };
    let ada = row("Lovelace, Ada");
    assert!(
        ada.contains("16/16") && ada.contains("partly") && ada.contains("alarm.fired"),
        "{ada}"
    );
    let alan = row("Alan Turing");
    assert!(
        alan.contains("14/16") && alan.contains("alarm.statistic"),
        "{alan}"
    );
    let grace = row("Grace Hopper");
    assert!(grace.contains("secret.exists"), "{grace}");
    assert!(
        ran.stdout
            .contains("3 of 3 accounts graded, 1 of them completely"),
        "{}",
        ran.stdout
    );

    let ran = run(grader(home.path()).args(["check", "--roster", roster, "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(ran.stdout.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(
        (
            &rows[0][0],
            &rows[0][at("points")],
            &rows[0][at("possible")],
            &rows[0][at("not_graded_points")],
            &rows[0][at("complete")]
        ),
        ("Lovelace, Ada", "16", "16", "3", "no")
    );
    assert!(
        rows[1][at("failing")].contains("alarm.statistic"),
        "{:?}",
        rows[1]
    );
    assert!(
        rows[0][at("not_graded_checks")].contains("alarm.fired"),
        "{:?}",
        rows[0]
    );

    let ran = run(grader(home.path()).args(["check", "--roster", roster, "--format", "junit"]));
    assert_eq!(
        ran.stdout.matches("<testsuite ").count(),
        3,
        "one suite per student"
    );
    assert!(
        ran.stdout.contains("name=\"Lovelace, Ada ("),
        "{}",
        ran.stdout
    );
    crate::support::junit::assert_valid(&ran.stdout);

    let out = home.path().join("gradescope");
    let ran = run(grader(home.path())
        .args([
            "check",
            "--roster",
            roster,
            "--format",
            "gradescope",
            "--output",
        ])
        .arg(&out));
    assert!(
        ran.stdout.contains("Wrote 3 results.json files"),
        "{}{}",
        ran.stdout,
        ran.stderr
    );
    let results: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join(format!("Alan_Turing_{}/results.json", average.id)))
            .unwrap(),
    )
    .unwrap();
    crate::support::gradescope::assert_valid(&results);
    assert_eq!(results["score"].as_u64(), Some(14));
    assert_eq!(results["extra_data"]["possible"].as_u64(), Some(16));
    let statistic = results["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"].as_str().unwrap().starts_with("alarm.statistic"))
        .unwrap();
    assert_eq!(
        (
            statistic["score"].as_u64(),
            statistic["max_score"].as_u64(),
            statistic["status"].as_str()
        ),
        (Some(0), Some(2), Some("failed"))
    );
    assert!(
        statistic["output"]
            .as_str()
            .unwrap()
            .contains("**Fix:** edit the alarm's metric: statistic Sum")
    );
    let ada: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join(format!("Lovelace__Ada_{}/results.json", done.id)))
            .unwrap(),
    )
    .unwrap();
    crate::support::gradescope::assert_valid(&ada);
    let fired = ada["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"].as_str().unwrap().starts_with("alarm.fired"))
        .unwrap();
    assert_eq!(
        (fired["score"].as_u64(), fired["max_score"].as_u64()),
        (Some(0), Some(0))
    );
    assert!(
        fired["name"].as_str().unwrap().ends_with("(not graded)"),
        "{fired}"
    );
    assert!(
        fired["output"].as_str().unwrap().contains("not scored yet"),
        "{fired}"
    );
}

#[tokio::test]
async fn an_unreachable_account_is_an_error_row_and_the_others_grade() {
    let reachable = moto::account().await;
    build(&reachable, 1).await;
    let lab = load(&LessonSource::Embedded).unwrap();
    let stages = lab::check::stages(&lab, &["1".to_string()], false).unwrap();
    let student = |name: &str, account: &str| Student {
        name: name.into(),
        account: account.into(),
        region: None,
        role_arn: None,
        extra: vec![],
    };
    let students = vec![
        student("Ada", &reachable.id),
        student("Bob", "999988887777"),
    ];
    let reach_config = reachable.config.clone();
    let grades = grade(&lab, students, &stages, &[], lab::grade::How { concurrency: 4, grading: Default::default() }, |s| {
        let config = reach_config.clone();
        async move { if s.name == "Ada" { Ok(config) } else { Err("cannot assume arn:aws:iam::999988887777:role/OrganizationAccountAccessRole: AccessDenied".to_string()) } }
    }, |_| {})
    .await;
    assert_eq!(grades.len(), 2);
    let ada = grades[0].outcome.as_ref().expect("Ada is graded");
    assert_eq!(ada.findings[0].status, checkers::Status::Pass);
    assert!(
        grades[1]
            .outcome
            .as_ref()
            .unwrap_err()
            .contains("AccessDenied")
    );
    assert_eq!(
        lab::report::gradebook::outcome(&grades),
        lab::Outcome::Incomplete
    );
    let table = lab::report::gradebook::render(
        &lab,
        &grades,
        lab::report::gradebook::GradebookFormat::Table,
    );
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("Bob") && l.contains(" no ") && l.contains("AccessDenied")),
        "{table}"
    );
    assert!(table.contains("1 of 2 accounts graded"), "{table}");
    // An account that could not be graded is an error in every format, never a zero.
    let csv =
        lab::report::gradebook::render(&lab, &grades, lab::report::gradebook::GradebookFormat::Csv);
    let bob = csv.lines().find(|l| l.starts_with("Bob")).unwrap();
    assert!(
        bob.contains(",no,") && bob.contains("AccessDenied"),
        "{bob}"
    );
    assert!(!bob.contains(",0,"), "no zero for Bob: {bob}");
    let json: Value = serde_json::from_str(&lab::report::gradebook::render(
        &lab,
        &grades,
        lab::report::gradebook::GradebookFormat::Json,
    ))
    .unwrap();
    assert_eq!(json[1]["complete"], false);
    assert!(
        json[1]["score"].is_null() && json[1]["error"].as_str().unwrap().contains("AccessDenied")
    );
    let junit = lab::report::gradebook::render(
        &lab,
        &grades,
        lab::report::gradebook::GradebookFormat::Junit,
    );
    crate::support::junit::assert_valid(&junit);
    assert!(junit.contains("<error type=\"not graded\""), "{junit}");
    let dir = tempfile::tempdir().unwrap();
    let written =
        lab::report::gradescope::write_gradebook(&grades, dir.path(), &Default::default()).unwrap();
    let bob: Value = serde_json::from_str(&std::fs::read_to_string(&written[1]).unwrap()).unwrap();
    crate::support::gradescope::assert_valid(&bob);
    assert!(bob.get("score").is_none(), "no score, not a zero: {bob}");
    assert!(
        bob["output"]
            .as_str()
            .unwrap()
            .contains("could not be graded"),
        "{bob}"
    );
}

#[tokio::test]
async fn a_refused_assume_role_says_which_role_and_why() {
    let refused = mock!(aws_sdk_sts::Client::assume_role).then_http_response(|| {
        aws_smithy_runtime_api::http::Response::new(
            aws_smithy_runtime_api::http::StatusCode::try_from(403).unwrap(),
            aws_smithy_types::body::SdkBody::from(
                "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole</Message></Error><RequestId>r</RequestId></ErrorResponse>",
            ),
        )
    });
    let sts = aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::Config::builder()
            .behavior_version(aws_sdk_sts::config::BehaviorVersion::latest())
            .region(aws_sdk_sts::config::Region::new(REGION))
            .credentials_provider(aws_sdk_sts::config::Credentials::new(
                "grader", "grader", None, None, "test",
            ))
            .http_client(create_mock_http_client())
            .interceptor(
                MockResponseInterceptor::new()
                    .rule_mode(RuleMode::MatchAny)
                    .with_rule(&refused),
            )
            .retry_config(
                aws_sdk_sts::config::retry::RetryConfig::standard()
                    .with_initial_backoff(Duration::from_millis(1)),
            )
            .build(),
    );
    let base = aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(REGION))
        .build();
    let student = Student {
        name: "Bob".into(),
        account: "999988887777".into(),
        region: None,
        role_arn: None,
        extra: vec![],
    };
    let error = assume(
        &sts,
        &base,
        &student,
        "OrganizationAccountAccessRole",
        Some("class-42"),
    )
    .await
    .unwrap_err();
    assert!(
        error
            .contains("cannot assume arn:aws:iam::999988887777:role/OrganizationAccountAccessRole"),
        "{error}"
    );
    assert!(error.contains("AccessDenied"), "{error}");
}

#[tokio::test]
async fn a_role_that_lands_in_another_account_grades_nothing() {
    let ada = moto::account().await;
    build(&ada, 2).await;
    let home = tempfile::tempdir().unwrap();
    let roster = home.path().join("class.csv");
    std::fs::write(
        &roster,
        format!(
            "student,account_id,role_arn,email\nAda,{0},,ada@example.edu\nMallory,444444444444,arn:aws:iam::{0}:role/OrganizationAccountAccessRole,=HYPERLINK(\"x\")\n",
            ada.id
        ),
    )
    .unwrap();
    let roster = roster.to_str().unwrap();
    let ran = run(grader(home.path()).args([
        "check", "--roster", roster, "--stage", "1", "--format", "json",
    ]));
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    let records: Vec<Value> = serde_json::from_str(&ran.stdout).unwrap();
    assert_eq!(records[0]["complete"], true, "{}", records[0]);
    assert_eq!(records[0]["columns"]["email"], "ada@example.edu");
    let mallory = &records[1];
    let why = mallory["error"].as_str().unwrap();
    assert!(
        why.contains(&format!("reached account {}", ada.id)) && why.contains("not 444444444444"),
        "{why}"
    );
    assert!(mallory["checks"].as_array().unwrap().is_empty() && mallory["score"].is_null());

    let ran = run(grader(home.path()).args(["check", "--roster", roster, "--stage", "1"]));
    let row = ran
        .stdout
        .lines()
        .find(|l| l.starts_with("Mallory"))
        .unwrap();
    assert!(
        row.contains(" no ") && row.contains("nothing was graded"),
        "{row}"
    );
    let ran = run(grader(home.path()).args([
        "check", "--roster", roster, "--stage", "1", "--format", "csv",
    ]));
    let mut reader = csv::Reader::from_reader(ran.stdout.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert!(header.iter().any(|h| h == "email"), "{header:?}");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[1][at("points")], "", "no zero for Mallory");
    assert!(rows[1][at("error")].contains("nothing was graded"));
    assert_eq!(
        &rows[1][at("email")],
        "'=HYPERLINK(\"x\")",
        "formulas are defused"
    );
    let ran = run(grader(home.path()).args([
        "check", "--roster", roster, "--stage", "1", "--format", "junit",
    ]));
    crate::support::junit::assert_valid(&ran.stdout);
    assert!(ran.stdout.contains("nothing was graded"), "{}", ran.stdout);
}

#[tokio::test]
async fn a_failing_account_is_an_error_row_and_the_others_grade() {
    let reachable = moto::account().await;
    build(&reachable, 1).await;
    for fault in crate::support::faults::FAULTS {
        an_account_failing_with(fault, &reachable).await;
    }
}

/// Grades a class where one account's endpoint fails with `fault`.
async fn an_account_failing_with(
    fault: crate::support::faults::Fault,
    reachable: &moto::TestAccount,
) {
    let hang = crate::support::faults::Proxy::failing(fault);
    let lab = load(&LessonSource::Embedded).unwrap();
    let stages = lab::check::stages(&lab, &["1".to_string()], false).unwrap();
    let student = |name: &str, account: &str| Student {
        name: name.into(),
        account: account.into(),
        ..Student::default()
    };
    let students = vec![
        student("Hung", "999988887777"),
        student("Ada", &reachable.id),
    ];
    let hung = aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(REGION))
        .endpoint_url(hang.url())
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(
                aws_credential_types::Credentials::new("testing", "testing", None, None, "test"),
            ),
        )
        .timeout_config(lab::aws::timeout_config(Duration::from_secs(2)))
        .retry_config(lab::aws::retry_config(false, Duration::from_secs(2)))
        .build();
    let ada = reachable.config.clone();
    let started = std::time::Instant::now();
    let grades = grade(
        &lab,
        students,
        &stages,
        &[],
        lab::grade::How {
            concurrency: 2,
            grading: Default::default(),
        },
        |s| {
            let config = if s.name == "Ada" {
                ada.clone()
            } else {
                hung.clone()
            };
            async move { Ok(config) }
        },
        |_| {},
    )
    .await;
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{fault:?}: {:?}",
        started.elapsed()
    );
    let why = grades[0].outcome.as_ref().unwrap_err();
    assert!(
        why.to_lowercase().contains(fault.said_as()),
        "{fault:?}: {why}"
    );
    assert!(grades[1].outcome.is_ok(), "{fault:?}: Ada is graded");
}
