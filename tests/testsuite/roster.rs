//! `lab check --roster`: a class of moto accounts in different states, graded in
//! one run, in every format; an account that cannot be reached is an error row and
//! the others still grade.

use std::time::Duration;

use aws_smithy_mocks::{MockResponseInterceptor, RuleMode, create_mock_http_client, mock};
use lab::lesson::{LessonSource, load};
use lab::ops::check::elsewhere::{assume, grade};
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
    assert!(grace.contains("17 checks failed: stages 1–5"), "{grace}");
    assert!(
        ran.stdout
            .contains("3 of 3 accounts graded, 1 of them completely"),
        "{}",
        ran.stdout
    );

    let ran = run(grader(home.path()).args([
        "check",
        "--roster",
        roster,
        "--format",
        "csv",
        "--detail",
        "--assignment",
        "Lab 3",
    ]));
    let mut reader = csv::Reader::from_reader(ran.stdout.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    let header = reader.headers().unwrap().clone();
    assert_eq!(
        &header.iter().take(4).collect::<Vec<_>>(),
        &["student", "account_id", "Lab 3", "Lab 3 status"],
        "the roster's columns, then the grade and its status"
    );
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    // Ada's grade is incomplete (what moto cannot show): no number to enter.
    assert_eq!(
        (
            &rows[0][0],
            &rows[0][at("Lab 3")],
            &rows[0][at("possible")],
            &rows[0][at("not_graded_points")],
        ),
        ("Lovelace, Ada", "", "16", "3")
    );
    assert!(
        rows[0][at("Lab 3 status")].starts_with("incomplete: 3 points could not be graded"),
        "{:?}",
        rows[0]
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
    let lab = load(&LessonSource::default()).unwrap();
    let stages = lab.chosen_stages(&["1".to_string()], false).unwrap();
    let student = |name: &str, account: &str| Student {
        name: name.into(),
        account: account.into(),
        region: None,
        role_arn: None,
        columns: vec![],
    };
    let students = vec![
        student("Ada", &reachable.id),
        student("Bob", "999988887777"),
    ];
    let reach_config = reachable.config.clone();
    let grades = grade(&lab, students, &stages, &Default::default(), lab::ops::check::elsewhere::How { concurrency: 4, grading: Default::default() }, |s| {
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
    let layout = lab::report::gradebook::Layout {
        assignment: "Lab 3".into(),
        detail: false,
        bom: false,
    };
    let render = |format| lab::report::gradebook::render(&lab, &grades, format, &layout);
    let table = render(lab::report::gradebook::GradebookFormat::Table);
    assert!(
        table.lines().any(|l| l.starts_with("Bob")
            && l.contains(" not graded ")
            && l.contains("AccessDenied")),
        "{table}"
    );
    assert!(table.contains("1 of 2 accounts graded"), "{table}");
    // An account that could not be graded is an error in every format, never a zero.
    let csv = render(lab::report::gradebook::GradebookFormat::Csv);
    let bob = csv.lines().find(|l| l.starts_with("Bob")).unwrap();
    assert!(
        bob.starts_with("Bob,999988887777,,not graded: cannot assume")
            && bob.contains("AccessDenied"),
        "the grade cell is empty, the status says why: {bob}"
    );
    let json: Value =
        serde_json::from_str(&render(lab::report::gradebook::GradebookFormat::Json)).unwrap();
    assert_eq!(json[1]["complete"], false);
    assert!(
        json[1]["score"].is_null() && json[1]["error"].as_str().unwrap().contains("AccessDenied")
    );
    let junit = render(lab::report::gradebook::GradebookFormat::Junit);
    crate::support::junit::assert_valid(&junit);
    assert!(junit.contains("<error type=\"not graded\""), "{junit}");
    let dir = tempfile::tempdir().unwrap();
    let written =
        lab::report::gradescope::write_gradebook(&grades, dir.path(), &Default::default()).unwrap();
    let bob: Value = serde_json::from_str(&std::fs::read_to_string(&written[1]).unwrap()).unwrap();
    crate::support::gradescope::assert_valid(&bob);
    assert_eq!(
        bob["tests"][0]["name"], "Not graded yet: run the autograder again",
        "{bob}"
    );
    assert_eq!(bob["tests"][0]["max_score"], 0, "{bob}");
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
        columns: vec![],
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
        row.contains(" not graded ") && row.contains("nothing was graded"),
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
    let assignment = "secrets-access-monitoring";
    assert_eq!(&rows[1][at(assignment)], "", "no zero for Mallory");
    assert!(rows[1][at(&format!("{assignment} status"))].contains("nothing was graded"));
    assert_eq!(&rows[0][at(assignment)], "1", "Ada's one check of stage 1");
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
    let lab = load(&LessonSource::default()).unwrap();
    let stages = lab.chosen_stages(&["1".to_string()], false).unwrap();
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
        &Default::default(),
        lab::ops::check::elsewhere::How {
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

/// A port where nothing listens.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn a_roster_run_that_cannot_start_still_replaces_the_output_with_error_rows() {
    let home = tempfile::tempdir().unwrap();
    let roster = home.path().join("class.csv");
    std::fs::write(
        &roster,
        "student,account_id,email\nAda,111122223333,ada@example.edu\nAlan,444455556666,alan@example.edu\n",
    )
    .unwrap();
    let output = home.path().join("grades.csv");
    std::fs::write(&output, "student,grade\nAda,18\n").unwrap();
    let ran = run(lab(home.path())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", REGION)
        .env(
            "AWS_ENDPOINT_URL",
            format!("http://127.0.0.1:{}", closed_port()),
        )
        .args(["check", "--roster"])
        .arg(&roster)
        .args(["--format", "csv", "--timeout", "5", "--output"])
        .arg(&output));
    assert_eq!(ran.code, 2, "{}{}", ran.stdout, ran.stderr);
    let written = std::fs::read_to_string(&output).unwrap();
    let mut reader = csv::Reader::from_reader(written.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "{written}");
    for row in &rows {
        assert_eq!(&row[3], "", "no grade, never the old one: {written}");
        assert!(
            row[4].starts_with("not graded: the grader could not start"),
            "{written}"
        );
    }
}

/// Canvas's gradebook import, as its guide ("How do I import grades in the
/// Gradebook?") describes the file: the columns of Canvas's export that identify a
/// student, then one column per assignment whose cells are points or blank (a blank
/// changes nothing); an unknown column would be made into a new assignment.
fn assert_canvas_importable(text: &str, assignment: &str) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let identity = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"];
    let split = header
        .iter()
        .take_while(|h| identity.contains(&h.as_str()))
        .count();
    assert!(
        header[..split].iter().any(|h| h == "ID"),
        "Canvas matches students by ID: {header:?}"
    );
    assert_eq!(
        &header[split..],
        [assignment],
        "one grade column, nothing else"
    );
    for record in reader.records() {
        let record = record.unwrap();
        let grade = &record[split];
        assert!(
            grade.is_empty() || grade.parse::<f64>().is_ok(),
            "a grade is points or blank: {record:?}"
        );
    }
}

/// Moodle's grade import ("Import grades" from a CSV file): one column identifies the
/// user (email address, ID number or username), a column of numbers or blanks is
/// mapped to the grade item, and a text column may be mapped to its feedback.
fn assert_moodle_importable(text: &str, assignment: &str) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let user = header
        .iter()
        .position(|h| ["Email address", "ID number", "Username"].contains(&h.as_str()))
        .expect("a column Moodle maps to the user");
    let grade = header
        .iter()
        .position(|h| h == assignment)
        .expect("the grade column");
    assert!(
        header
            .iter()
            .any(|h| *h == format!("{assignment} feedback"))
    );
    for record in reader.records() {
        let record = record.unwrap();
        assert!(!record[user].is_empty(), "{record:?}");
        assert!(
            record[grade].is_empty() || record[grade].parse::<f64>().is_ok(),
            "{record:?}"
        );
    }
}

#[tokio::test]
async fn lms_exports_go_back_into_their_lms() {
    let ada = moto::account().await;
    build(&ada, 1).await;
    let home = tempfile::tempdir().unwrap();
    // Canvas's export, with its "Points Possible" row and an account_id column added;
    // Bob's account is empty.
    let canvas = home.path().join("canvas.csv");
    std::fs::write(
        &canvas,
        format!(
            "Student,ID,SIS User ID,SIS Login ID,Section,Lab 3 (4242),account_id\n    Points Possible,,,,,1,\n\"Lovelace, Ada\",101,s101,ada@uni.example,A,,{}\nBob,102,s102,bob@uni.example,A,,999988887777\n",
            ada.id
        ),
    )
    .unwrap();
    let ran = run(grader(home.path())
        .args(["check", "--roster"])
        .arg(&canvas)
        .args([
            "--stage",
            "1",
            "--format",
            "canvas",
            "--assignment",
            "Lab 3 (4242)",
        ]));
    assert!(
        ran.stderr.contains("skipped the \"Points Possible\" row"),
        "{}",
        ran.stderr
    );
    assert_canvas_importable(&ran.stdout, "Lab 3 (4242)");
    assert!(
        ran.stdout
            .contains("\"Lovelace, Ada\",101,s101,ada@uni.example,A,1\n"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout.contains("Bob,102,s102,bob@uni.example,A,0\n"),
        "{}",
        ran.stdout
    );

    // Moodle's export: first and last name, an email to match users by.
    let moodle = home.path().join("moodle.csv");
    std::fs::write(
        &moodle,
        format!(
            "First name,Last name,Email address,account_id\nZoë,Lovelace,zoe@uni.example,{}\n",
            ada.id
        ),
    )
    .unwrap();
    let ran = run(grader(home.path())
        .args(["check", "--roster"])
        .arg(&moodle)
        .args([
            "--stage",
            "1",
            "--format",
            "moodle",
            "--assignment",
            "Lab 3",
            "--bom",
        ]));
    assert!(ran.stdout.starts_with('\u{feff}'), "a BOM for Excel");
    let text = ran.stdout.trim_start_matches('\u{feff}');
    assert_moodle_importable(text, "Lab 3");
    assert!(text.contains("Zoë,Lovelace,zoe@uni.example"), "{text}");
    // A plain roster has nothing Canvas matches students by: said before grading.
    let plain = home.path().join("plain.csv");
    std::fs::write(&plain, format!("student,account_id\nAda,{}\n", ada.id)).unwrap();
    let ran = run(grader(home.path())
        .args(["check", "--roster"])
        .arg(&plain)
        .args(["--format", "canvas"]));
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr.contains("--format canvas needs"),
        "{}",
        ran.stderr
    );
}
