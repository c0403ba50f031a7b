//! The gradebook as files for an LMS or a program: the generic CSV, Canvas's and
//! Moodle's imports, and JSON records, the roster's own columns written back.

use super::{Layout, entry, failing, not_graded};
use crate::lesson::Lab;
use crate::report::json::Document;
use crate::report::{Grade, Summary};
use crate::roster::Student;

/// A spreadsheet formula can hide in a name from a roster: a field that starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return is written with a `'` before it, as
/// OWASP recommends against CSV injection.
pub(super) fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The roster's columns, in its order: the header names, and each student's values.
/// A student made without the roster's columns (a test's) has lab's own two.
fn roster_columns(student: &Student) -> Vec<(String, String)> {
    if student.columns.is_empty() {
        vec![
            ("student".into(), student.name.clone()),
            ("account_id".into(), student.account.clone()),
        ]
    } else {
        student.columns.clone()
    }
}

/// The names of the roster's own columns, as the first student has them.
fn roster_header(grades: &[Grade]) -> Vec<String> {
    grades
        .first()
        .map(|g| {
            roster_columns(&g.student)
                .into_iter()
                .map(|(k, _)| k)
                .collect()
        })
        .unwrap_or_default()
}

/// A student's roster values, then their grade (empty when incomplete) and status:
/// the row every LMS format starts from.
fn graded_row(grade: &Grade) -> Vec<String> {
    let entry = entry(grade);
    let mut row: Vec<String> = roster_columns(&grade.student)
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    row.push(entry.grade.map(|g| g.to_string()).unwrap_or_default());
    row.push(entry.status);
    row
}

/// CSV of `header` and `rows`, every cell defused.
fn write_csv(header: &[String], rows: &[Vec<String>]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        writer
            .write_record(row.iter().map(|f| cell(f)))
            .expect("writing to memory");
    }
    String::from_utf8(writer.into_inner().expect("writing to memory")).expect("CSV of UTF-8 text")
}

/// The generic gradebook: the roster's own columns first, in their order, then the
/// grade (empty when incomplete) and its status, then, with `detail`, the counts.
pub(super) fn csv(grades: &[Grade], layout: &Layout) -> String {
    let assignment = &layout.assignment;
    let mut header = roster_header(grades);
    header.push(assignment.clone());
    header.push(format!("{assignment} status"));
    if layout.detail {
        header.extend(
            [
                "graded_region",
                "possible",
                "not_graded_points",
                "pass",
                "fail",
                "skipped",
                "not_graded",
                "failing",
                "not_graded_checks",
            ]
            .iter()
            .map(|s| s.to_string()),
        );
    }
    let rows: Vec<Vec<String>> = grades
        .iter()
        .map(|grade| {
            let mut row = graded_row(grade);
            if layout.detail {
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
                        row.extend([
                            report.region.clone(),
                            score.possible.to_string(),
                            score.not_graded.to_string(),
                            pass.to_string(),
                            fail.to_string(),
                            skipped.to_string(),
                            error.to_string(),
                            failing(report).join(" "),
                            not_graded(report).join(" "),
                        ]);
                    }
                    Err(_) => row.extend(std::iter::repeat_n(String::new(), 9)),
                }
            }
            row
        })
        .collect();
    write_csv(&header, &rows)
}

/// Canvas's gradebook import: the identity columns of its export (Student, ID, SIS
/// User ID, SIS Login ID, Section, those the roster has), then the grade under the
/// assignment's name. A blank grade changes nothing in Canvas, and a column Canvas
/// does not know would become an assignment of its own, so the status goes only to
/// the other formats and the table.
pub(super) fn canvas(grades: &[Grade], layout: &Layout) -> String {
    const IDENTITY: [&str; 5] = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"];
    let keep = |name: &str| IDENTITY.iter().any(|i| i.eq_ignore_ascii_case(name));
    let mut header: Vec<String> = roster_header(grades)
        .into_iter()
        .filter(|k| keep(k))
        .collect();
    header.push(layout.assignment.clone());
    let rows: Vec<Vec<String>> = grades
        .iter()
        .map(|grade| {
            let mut row: Vec<String> = roster_columns(&grade.student)
                .into_iter()
                .filter(|(k, _)| keep(k))
                .map(|(_, v)| v)
                .collect();
            row.push(
                entry(grade)
                    .grade
                    .map(|g| g.to_string())
                    .unwrap_or_default(),
            );
            row
        })
        .collect();
    write_csv(&header, &rows)
}

/// Moodle's grade import: every roster column (the import maps one of them to the
/// user: email, ID number or username), the grade, and its feedback (the status),
/// which the import can map to the grade item's feedback. A blank grade is skipped.
pub(super) fn moodle(grades: &[Grade], layout: &Layout) -> String {
    let assignment = &layout.assignment;
    let mut header = roster_header(grades);
    header.push(assignment.clone());
    header.push(format!("{assignment} feedback"));
    let rows: Vec<Vec<String>> = grades.iter().map(graded_row).collect();
    write_csv(&header, &rows)
}

pub(super) fn json_records(lab: &Lab, grades: &[Grade]) -> String {
    let records: Vec<Document> = grades
        .iter()
        .map(|grade| {
            let extra: Vec<&(String, String)> = grade.student.extra().collect();
            let columns = (!extra.is_empty()).then(|| {
                extra
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
                    account: &grade.student.account,
                    region: grade.student.region.as_deref().unwrap_or(""),
                    ..Document::ungraded(&lab.id, why)
                },
            }
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&records).expect("records serialize");
    text.push('\n');
    text
}
