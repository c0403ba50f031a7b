//! The gradebook of `lab check --roster`: one row per student, as a table, CSV,
//! JSON (one record per student, each shaped like a single-account report), JUnit
//! (one test suite per student) or Gradescope (a `results.json` per student).
//!
//! One meaning of score everywhere: points, as the lessons weigh the checks
//! (`points:` in lab.yaml, 1 by default), out of the points that could be graded. A
//! check that could not be graded neither earns nor loses, and marks the grade
//! incomplete; an account that could not be read is an error row, never a zero. The
//! roster's own columns (an email, a student id) are passed through.

use checkers::Status;

use super::json::Document;
use super::{Report, Summary, junit, mark};
use crate::Outcome;
use crate::lesson::Lab;
use crate::roster::Student;

/// One student's result.
#[derive(Debug, Clone)]
pub struct Grade {
    /// Who.
    pub student: Student,
    /// The report, or why the account could not be graded.
    pub outcome: Result<Report, String>,
}

/// Exit 2 when any account or check could not be graded, 1 when any check failed.
pub fn outcome(grades: &[Grade]) -> Outcome {
    grades
        .iter()
        .map(|g| {
            g.outcome
                .as_ref()
                .map_or(Outcome::Incomplete, Report::outcome)
        })
        .max()
        .unwrap_or(Outcome::Success)
}

/// The checks a student failed or skipped (lost points), by id.
fn failing(report: &Report) -> Vec<&str> {
    with_status(report, &[Status::Fail, Status::Skipped])
}

/// The checks that could not be graded, by id.
fn not_graded(report: &Report) -> Vec<&str> {
    with_status(report, &[Status::Error])
}

fn with_status<'r>(report: &'r Report, statuses: &[Status]) -> Vec<&'r str> {
    report
        .findings
        .iter()
        .filter(|f| statuses.contains(&f.status))
        .map(|f| f.id.as_str())
        .collect()
}

/// How a class's gradebook is written, as one text (Gradescope's, a folder per
/// student, is written with [`super::gradescope::write_gradebook`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GradebookFormat {
    /// A table for people.
    Table,
    /// CSV for spreadsheets, a row per student.
    Csv,
    /// JSON, a record per student shaped like a single-account report.
    Json,
    /// JUnit XML, a test suite per student.
    Junit,
    /// CTRF JSON.
    Ctrf,
}

/// The gradebook in `format`.
pub fn render(lab: &Lab, grades: &[Grade], format: GradebookFormat) -> String {
    match format {
        GradebookFormat::Table => table(grades),
        GradebookFormat::Csv => csv(grades),
        GradebookFormat::Json => json_records(lab, grades),
        GradebookFormat::Junit => junit::render_gradebook(grades),
        GradebookFormat::Ctrf => super::ctrf::render_gradebook(grades),
    }
}

fn table(grades: &[Grade]) -> String {
    let width = grades
        .iter()
        .map(|g| g.student.name.chars().count())
        .max()
        .unwrap_or(7)
        .max(7);
    let mut out = format!(
        "{:<width$}  {:<12}  {:>7}  {:<8}  failing · not graded\n",
        "student", "account", "points", "graded"
    );
    for grade in grades {
        let student = &grade.student;
        match &grade.outcome {
            Ok(report) => {
                let score = report.score();
                let (failing, not_graded) = (failing(report), not_graded(report));
                let mut detail = if failing.is_empty() && not_graded.is_empty() {
                    mark(Status::Pass).to_string()
                } else {
                    failing.join(", ")
                };
                if !not_graded.is_empty() {
                    if !failing.is_empty() {
                        detail.push_str(" · ");
                    }
                    detail.push_str(&format!(
                        "{} {}",
                        mark(Status::Error),
                        not_graded.join(", ")
                    ));
                }
                out.push_str(&format!(
                    "{:<width$}  {:<12}  {:>7}  {:<8}  {detail}\n",
                    student.name,
                    student.account,
                    format!("{}/{}", score.earned, score.possible),
                    if score.complete() { "all" } else { "partly" },
                ));
            }
            Err(why) => out.push_str(&format!(
                "{:<width$}  {:<12}  {:>7}  {:<8}  {} {why}\n",
                student.name,
                student.account,
                "-",
                "no",
                mark(Status::Error)
            )),
        }
    }
    let graded = grades.iter().filter(|g| g.outcome.is_ok()).count();
    let complete = grades
        .iter()
        .filter(|g| g.outcome.as_ref().is_ok_and(|r| r.score().complete()))
        .count();
    out.push_str(&format!(
        "\n{graded} of {} accounts graded, {complete} of them completely; points are out of what could be graded\n",
        grades.len()
    ));
    out
}

/// A spreadsheet formula can hide in a name from a roster: a field that starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return is written with a `'` before it, as
/// OWASP recommends against CSV injection.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn csv(grades: &[Grade]) -> String {
    let extra: Vec<String> = grades
        .first()
        .map(|g| g.student.extra.iter().map(|(k, _)| k.clone()).collect())
        .unwrap_or_default();
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = ["student", "account_id", "region"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(extra.iter().cloned());
    header.extend(
        [
            "points",
            "possible",
            "not_graded_points",
            "complete",
            "pass",
            "fail",
            "skipped",
            "not_graded",
            "failing",
            "not_graded_checks",
            "error",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    writer
        .write_record(header.iter().map(|h| cell(h)))
        .expect("writing to memory");
    for grade in grades {
        let s = &grade.student;
        let mut row: Vec<String> = vec![s.name.clone(), s.account.clone()];
        match &grade.outcome {
            Ok(report) => {
                let score = report.score();
                let Summary {
                    pass,
                    fail,
                    error,
                    skipped,
                    ..
                } = report.summary();
                row.push(report.region.clone());
                row.extend(s.extra.iter().map(|(_, v)| v.clone()));
                row.extend([
                    score.earned.to_string(),
                    score.possible.to_string(),
                    score.not_graded.to_string(),
                    if score.complete() { "yes" } else { "no" }.to_string(),
                    pass.to_string(),
                    fail.to_string(),
                    skipped.to_string(),
                    error.to_string(),
                    failing(report).join(" "),
                    not_graded(report).join(" "),
                    String::new(),
                ]);
            }
            Err(why) => {
                row.push(s.region.clone().unwrap_or_default());
                row.extend(s.extra.iter().map(|(_, v)| v.clone()));
                row.extend(std::iter::repeat_n(String::new(), 3));
                row.push("no".into());
                row.extend(std::iter::repeat_n(String::new(), 6));
                row.push(why.clone());
            }
        }
        writer
            .write_record(row.iter().map(|f| cell(f)))
            .expect("writing to memory");
    }
    String::from_utf8(writer.into_inner().expect("writing to memory")).expect("CSV of UTF-8 text")
}

fn json_records(lab: &Lab, grades: &[Grade]) -> String {
    let records: Vec<Document> = grades
        .iter()
        .map(|grade| {
            let columns = (!grade.student.extra.is_empty()).then(|| {
                grade
                    .student
                    .extra
                    .iter()
                    .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                    .collect()
            });
            match &grade.outcome {
                Ok(report) => Document {
                    student: Some(&grade.student.name),
                    columns,
                    ..Document::of(report)
                },
                Err(why) => Document {
                    student: Some(&grade.student.name),
                    columns,
                    error: Some(why),
                    lab: &lab.id,
                    lab_version: super::LAB_VERSION,
                    graded_at: "",
                    account: &grade.student.account,
                    region: grade.student.region.as_deref().unwrap_or(""),
                    complete: false,
                    score: None,
                    checks: &[],
                    path: None,
                    summary: Summary::default(),
                    api_calls: 0,
                },
            }
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&records).expect("records serialize");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn formulas_from_a_roster_are_defused() {
        for (text, written) in [
            ("=1+1", "'=1+1"),
            ("@SUM(1)", "'@SUM(1)"),
            ("+44 20", "'+44 20"),
            ("-2", "'-2"),
            ("\tx", "'\tx"),
            ("Ada", "Ada"),
            ("18", "18"),
        ] {
            assert_eq!(cell(text), written);
        }
    }
}
