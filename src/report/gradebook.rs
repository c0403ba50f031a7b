//! The gradebook of `lab check --roster`: one row per student, as a table, CSV,
//! JSON (one record per student, each shaped like a single-account report), JUnit
//! (one test suite per student) or Gradescope (a `results.json` per student).
//! Points per check come from the lessons (`points:` in lab.yaml, 1 by default).

use std::path::Path;

use checkers::Status;
use serde_json::json;

use super::json::Document;
use super::junit::escape;
use super::{Report, Summary, mark};
use crate::Outcome;
use crate::cli::Format;
use crate::error::Error;
use crate::grade::Grade;
use crate::lesson::Lab;

/// The points earned and the points possible in `report`.
pub fn score(lab: &Lab, report: &Report) -> (u32, u32) {
    let possible = report.findings.iter().map(|f| lab.points(&f.id)).sum();
    let earned = report
        .findings
        .iter()
        .filter(|f| f.status == Status::Pass)
        .map(|f| lab.points(&f.id))
        .sum();
    (earned, possible)
}

/// Exit 2 when any account or check could not be graded, 1 when any check failed.
pub fn outcome(grades: &[Grade]) -> Outcome {
    let mut worst = Outcome::Success;
    for grade in grades {
        match &grade.outcome {
            Err(_) => return Outcome::Incomplete,
            Ok(report) => match report.outcome() {
                Outcome::Incomplete => return Outcome::Incomplete,
                Outcome::Failed => worst = Outcome::Failed,
                Outcome::Success => {}
            },
        }
    }
    worst
}

/// The checks a student did not pass, by id.
fn failing(report: &Report) -> Vec<&str> {
    report
        .findings
        .iter()
        .filter(|f| f.status != Status::Pass)
        .map(|f| f.id.as_str())
        .collect()
}

/// The gradebook in `format` (all but Gradescope, which is written with [`write_gradescope`]).
pub fn render(lab: &Lab, grades: &[Grade], format: Format) -> String {
    match format {
        Format::Table => table(lab, grades),
        Format::Csv => csv(lab, grades),
        Format::Json => json_records(lab, grades),
        Format::Junit => junit(grades),
        Format::Gradescope => String::new(),
    }
}

fn table(lab: &Lab, grades: &[Grade]) -> String {
    let width = grades
        .iter()
        .map(|g| g.student.name.chars().count())
        .max()
        .unwrap_or(7)
        .max(7);
    let mut out = format!(
        "{:<width$}  {:<12}  {:>7}  failing\n",
        "student", "account", "score"
    );
    for grade in grades {
        let student = &grade.student;
        match &grade.outcome {
            Ok(report) => {
                let (earned, possible) = score(lab, report);
                let failing = failing(report);
                let status = if failing.is_empty() {
                    mark(Status::Pass).to_string()
                } else {
                    failing.join(", ")
                };
                out.push_str(&format!(
                    "{:<width$}  {:<12}  {:>7}  {status}\n",
                    student.name,
                    student.account,
                    format!("{earned}/{possible}")
                ));
            }
            Err(why) => out.push_str(&format!(
                "{:<width$}  {:<12}  {:>7}  {} {why}\n",
                student.name,
                student.account,
                "error",
                mark(Status::Error)
            )),
        }
    }
    let graded = grades.iter().filter(|g| g.outcome.is_ok()).count();
    out.push_str(&format!("\n{graded} of {} accounts graded\n", grades.len()));
    out
}

fn csv(lab: &Lab, grades: &[Grade]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "student",
        "account_id",
        "region",
        "score",
        "max_score",
        "pass",
        "fail",
        "error",
        "skipped",
        "failing",
        "unreachable",
    ];
    writer.write_record(header).expect("writing to memory");
    for grade in grades {
        let s = &grade.student;
        let row: Vec<String> = match &grade.outcome {
            Ok(report) => {
                let (earned, possible) = score(lab, report);
                let Summary {
                    pass,
                    fail,
                    error,
                    skipped,
                    ..
                } = report.summary();
                vec![
                    s.name.clone(),
                    s.account.clone(),
                    report.region.clone(),
                    earned.to_string(),
                    possible.to_string(),
                    pass.to_string(),
                    fail.to_string(),
                    error.to_string(),
                    skipped.to_string(),
                    failing(report).join(" "),
                    String::new(),
                ]
            }
            Err(why) => vec![
                s.name.clone(),
                s.account.clone(),
                s.region.clone().unwrap_or_default(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                why.clone(),
            ],
        };
        writer.write_record(&row).expect("writing to memory");
    }
    String::from_utf8(writer.into_inner().expect("writing to memory")).expect("CSV of UTF-8 text")
}

fn json_records(lab: &Lab, grades: &[Grade]) -> String {
    let records: Vec<Document> = grades
        .iter()
        .map(|grade| match &grade.outcome {
            Ok(report) => Document {
                student: Some(&grade.student.name),
                ..Document::of(report)
            },
            Err(why) => Document {
                student: Some(&grade.student.name),
                error: Some(why),
                lab: &lab.id,
                account: &grade.student.account,
                region: grade.student.region.as_deref().unwrap_or(""),
                checks: &[],
                summary: Summary::default(),
                api_calls: 0,
            },
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&records).expect("records serialize");
    text.push('\n');
    text
}

fn junit(grades: &[Grade]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"lab gradebook\">\n",
    );
    for grade in grades {
        let name = escape(&format!(
            "{} ({})",
            grade.student.name, grade.student.account
        ));
        match &grade.outcome {
            Ok(report) => {
                let s = report.summary();
                out.push_str(&format!(
                    "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n",
                    s.total, s.fail, s.error, s.skipped
                ));
                for f in &report.findings {
                    let body = match f.status {
                        Status::Pass => String::new(),
                        Status::Fail => format!("<failure message=\"{}\"/>", escape(&f.message)),
                        Status::Error => format!("<error message=\"{}\"/>", escape(&f.message)),
                        Status::Skipped => format!("<skipped message=\"{}\"/>", escape(&f.message)),
                    };
                    out.push_str(&format!(
                        "    <testcase classname=\"stage{}\" name=\"{}\">{body}</testcase>\n",
                        f.stage,
                        escape(&f.id)
                    ));
                }
            }
            Err(why) => {
                out.push_str(&format!("  <testsuite name=\"{name}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n"));
                out.push_str(&format!("    <testcase classname=\"account\" name=\"reach the account\"><error message=\"{}\"/></testcase>\n", escape(why)));
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Gradescope's autograder format: `DIR/<student>/results.json` for each student.
pub fn write_gradescope(lab: &Lab, grades: &[Grade], dir: &Path) -> Result<(), Error> {
    for grade in grades {
        let folder: String = grade
            .student
            .name
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let results = match &grade.outcome {
            Ok(report) => {
                let (earned, possible) = score(lab, report);
                let tests: Vec<_> = report
                    .findings
                    .iter()
                    .map(|f| {
                        let points = lab.points(&f.id);
                        let output = match &f.fix {
                            Some(fix) if f.status != Status::Pass => {
                                format!("{}\nFix: {fix}", f.message)
                            }
                            _ => f.message.clone(),
                        };
                        json!({
                            "name": format!("{} · {}", f.id, f.title),
                            "score": if f.status == Status::Pass { points } else { 0 },
                            "max_score": points,
                            "status": if f.status == Status::Pass { "passed" } else { "failed" },
                            "output": output,
                        })
                    })
                    .collect();
                json!({ "score": earned, "max_score": possible, "tests": tests })
            }
            Err(why) => {
                json!({ "score": 0, "output": format!("The account could not be graded: {why}"), "tests": [] })
            }
        };
        let path = dir.join(folder).join("results.json");
        let write = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, format!("{results:#}\n")));
        write.map_err(|e| {
            Error::usage(
                format!("cannot write {}: {e}", path.display()),
                "give --output a folder you can write",
            )
        })?;
    }
    Ok(())
}
