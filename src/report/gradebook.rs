//! The gradebook of `lab check --roster`: one row per student, as a table, CSV,
//! JSON (one record per student, each shaped like a single-account report), JUnit
//! (one test suite per student) or Gradescope (a `results.json` per student).
//!
//! One meaning of score everywhere: points, as the lessons weigh the checks
//! (`points:` in lab.yaml, 1 by default), out of the points that could be graded. A
//! check that could not be graded neither earns nor loses, and marks the grade
//! incomplete; an account that could not be read is an error row, never a zero.
//! Where a grade is entered (CSV, Canvas, Moodle), an incomplete one is left empty
//! and its status says why ([`entry`]). The roster's own columns (an email, a
//! student id) come first, as the roster has them, so the file goes back into the
//! LMS it came from.
//!
//! Here: the entry and the outcome every format shares; the table for people is in
//! `table`, the files for an LMS or a program in `lms`.

mod lms;
mod table;

use checkers::Status;

use super::{Grade, Report, junit};
use crate::Outcome;
use crate::error::RosterError;
use crate::lesson::Lab;
use lms::{canvas, csv, json_records, moodle};
use table::table;

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
    /// CSV for spreadsheets and LMS imports, a row per student.
    Csv,
    /// CSV that Canvas's gradebook imports: its identity columns and one grade.
    Canvas,
    /// CSV that Moodle's grade import takes: the roster, a grade and its feedback.
    Moodle,
    /// JSON, a record per student shaped like a single-account report.
    Json,
    /// JUnit XML, a test suite per student.
    Junit,
    /// CTRF JSON.
    Ctrf,
}

/// How a gradebook for an LMS is laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The grade column's name: the assignment, as the LMS knows it (Canvas wants
    /// `Name (id)`).
    pub assignment: String,
    /// Also the detail columns (points possible and not graded, counts, the checks
    /// failed and not graded), in the generic CSV.
    pub detail: bool,
    /// Start with a byte order mark, so that Excel reads the text as UTF-8.
    pub bom: bool,
}

/// What a gradebook records for one student: the grade to enter, or none (a grade
/// that is incomplete is never a number an LMS could take for a score), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The points, when every check was graded.
    pub grade: Option<u32>,
    /// What happened, in words: `graded`, or why there is no grade.
    pub status: String,
}

/// The entry for `grade`.
pub fn entry(grade: &Grade) -> Entry {
    match &grade.outcome {
        Ok(report) => {
            let score = report.score();
            if score.complete() {
                Entry {
                    grade: Some(score.earned),
                    status: match report.evidence() {
                        Some(_) => "graded from event history: the lab was cleaned up".into(),
                        None => "graded".into(),
                    },
                }
            } else {
                Entry {
                    grade: None,
                    status: format!(
                        "incomplete: {} point{} could not be graded ({}): grade again; {} of {} so far",
                        score.not_graded,
                        if score.not_graded == 1 { "" } else { "s" },
                        not_graded(report).join(", "),
                        score.earned,
                        score.possible,
                    ),
                }
            }
        }
        Err(why) => Entry {
            grade: None,
            status: format!("not graded: {why}"),
        },
    }
}

/// The gradebook in `format`.
pub fn render(lab: &Lab, grades: &[Grade], format: GradebookFormat, layout: &Layout) -> String {
    let text = match format {
        GradebookFormat::Table => table(grades),
        GradebookFormat::Csv => csv(grades, layout),
        GradebookFormat::Canvas => canvas(grades, layout),
        GradebookFormat::Moodle => moodle(grades, layout),
        GradebookFormat::Json => json_records(lab, grades),
        GradebookFormat::Junit => junit::render_gradebook(grades),
        GradebookFormat::Ctrf => super::ctrf::render_gradebook(grades),
    };
    let csv_like = matches!(
        format,
        GradebookFormat::Csv | GradebookFormat::Canvas | GradebookFormat::Moodle
    );
    if layout.bom && csv_like {
        format!("\u{feff}{text}")
    } else {
        text
    }
}

/// Why `columns` (a roster's) cannot make a gradebook in `format`, if they cannot:
/// said before any account is graded.
pub fn unfit(format: GradebookFormat, columns: &[String]) -> Option<crate::Error> {
    let has = |names: &[&str]| {
        columns
            .iter()
            .any(|c| names.iter().any(|n| c.eq_ignore_ascii_case(n)))
    };
    match format {
        GradebookFormat::Canvas if !has(&["ID", "SIS User ID", "SIS Login ID"]) => {
            Some(RosterError::NoCanvasColumns.into())
        }
        GradebookFormat::Moodle if !has(&["Email address", "ID number", "Username", "email"]) => {
            Some(RosterError::NoMoodleColumns.into())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
