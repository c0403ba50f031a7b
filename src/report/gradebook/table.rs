//! The gradebook as a table for people: a row per student, the points, how much
//! was graded, and which checks failed or could not be graded.

use checkers::Status;

use super::{failing, not_graded};
use crate::report::{Grade, Report, mark};

/// The width of `text` in a terminal's columns (a CJK character takes two).
pub(super) fn width(text: &str) -> usize {
    console::measure_text_width(text)
}

/// `text` padded with spaces to `columns` display columns.
fn pad(text: &str, columns: usize) -> String {
    format!("{text}{}", " ".repeat(columns.saturating_sub(width(text))))
}

/// Check ids as a person reads them: every one when there are few, else how many
/// and which stages.
pub(super) fn checks_said(report: &Report, ids: &[&str], verb: &str) -> String {
    const LISTED: usize = 3;
    if ids.len() <= LISTED {
        return ids.join(", ");
    }
    let stages: Vec<u8> = report
        .findings
        .iter()
        .filter(|f| ids.contains(&f.id.as_str()))
        .map(|f| f.stage)
        .collect();
    let (low, high) = (
        stages.iter().min().copied().unwrap_or(0),
        stages.iter().max().copied().unwrap_or(0),
    );
    let range = if low == high {
        format!("stage {low}")
    } else {
        format!("stages {low}–{high}")
    };
    format!("{} checks {verb}: {range}", ids.len())
}

pub(super) fn table(grades: &[Grade]) -> String {
    let name_width = grades
        .iter()
        .map(|g| width(&g.student.name))
        .max()
        .unwrap_or(7)
        .max(7);
    let mut out = format!(
        "{}  {:<12}  {:>7}  {:<11}  failing · not graded\n",
        pad("student", name_width),
        "account",
        "points",
        "graded"
    );
    for grade in grades {
        let student = &grade.student;
        let (points, graded, detail) = match &grade.outcome {
            Ok(report) => {
                let score = report.score();
                let (failing, not_graded) = (failing(report), not_graded(report));
                let mut detail = if failing.is_empty() && not_graded.is_empty() {
                    mark(Status::Pass).to_string()
                } else {
                    checks_said(report, &failing, "failed")
                };
                if !not_graded.is_empty() {
                    if !failing.is_empty() {
                        detail.push_str(" · ");
                    }
                    detail.push_str(&format!(
                        "{} {}",
                        mark(Status::Error),
                        checks_said(report, &not_graded, "not graded")
                    ));
                }
                let (points, graded) = if score.possible == 0 {
                    ("-".to_string(), "not graded")
                } else if score.complete() {
                    (format!("{}/{}", score.earned, score.possible), "all")
                } else {
                    (format!("{}/{}", score.earned, score.possible), "partly")
                };
                (points, graded, detail)
            }
            Err(why) => (
                "-".to_string(),
                "not graded",
                format!("{} {why}", mark(Status::Error)),
            ),
        };
        out.push_str(&format!(
            "{}  {:<12}  {:>7}  {:<11}  {detail}\n",
            pad(&student.name, name_width),
            student.account,
            points,
            graded,
        ));
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
