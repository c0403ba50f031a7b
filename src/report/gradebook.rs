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

use checkers::Status;

use super::json::Document;
use super::{Grade, Report, Summary, junit, mark};
use crate::Outcome;
use crate::lesson::Lab;
use crate::roster::Student;

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
            Some(crate::Error::usage(
                "--format canvas needs the columns Canvas matches students by (ID, SIS User ID or SIS Login ID)",
                "export the gradebook from Canvas, add an account_id column, and give that file as the roster",
            ))
        }
        GradebookFormat::Moodle if !has(&["Email address", "ID number", "Username", "email"]) => {
            Some(crate::Error::usage(
                "--format moodle needs a column Moodle matches users by (Email address, ID number or Username)",
                "export the grades or the participants from Moodle, add an account_id column, and give that file as the roster",
            ))
        }
        _ => None,
    }
}

/// The width of `text` in a terminal's columns (a CJK character takes two).
fn width(text: &str) -> usize {
    console::measure_text_width(text)
}

/// `text` padded with spaces to `columns` display columns.
fn pad(text: &str, columns: usize) -> String {
    format!("{text}{}", " ".repeat(columns.saturating_sub(width(text))))
}

/// Check ids as a person reads them: every one when there are few, else how many
/// and which stages.
fn checks_said(report: &Report, ids: &[&str], verb: &str) -> String {
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

fn table(grades: &[Grade]) -> String {
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
fn csv(grades: &[Grade], layout: &Layout) -> String {
    let assignment = &layout.assignment;
    let mut header: Vec<String> = grades
        .first()
        .map(|g| {
            roster_columns(&g.student)
                .into_iter()
                .map(|(k, _)| k)
                .collect()
        })
        .unwrap_or_default();
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
            let entry = entry(grade);
            let mut row: Vec<String> = roster_columns(&grade.student)
                .into_iter()
                .map(|(_, v)| v)
                .collect();
            row.push(entry.grade.map(|g| g.to_string()).unwrap_or_default());
            row.push(entry.status);
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
fn canvas(grades: &[Grade], layout: &Layout) -> String {
    const IDENTITY: [&str; 5] = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"];
    let keep = |name: &str| IDENTITY.iter().any(|i| i.eq_ignore_ascii_case(name));
    let mut header: Vec<String> = grades
        .first()
        .map(|g| {
            roster_columns(&g.student)
                .into_iter()
                .map(|(k, _)| k)
                .filter(|k| keep(k))
                .collect()
        })
        .unwrap_or_default();
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
fn moodle(grades: &[Grade], layout: &Layout) -> String {
    let assignment = &layout.assignment;
    let mut header: Vec<String> = grades
        .first()
        .map(|g| {
            roster_columns(&g.student)
                .into_iter()
                .map(|(k, _)| k)
                .collect()
        })
        .unwrap_or_default();
    header.push(assignment.clone());
    header.push(format!("{assignment} feedback"));
    let rows: Vec<Vec<String>> = grades
        .iter()
        .map(|grade| {
            let entry = entry(grade);
            let mut row: Vec<String> = roster_columns(&grade.student)
                .into_iter()
                .map(|(_, v)| v)
                .collect();
            row.push(entry.grade.map(|g| g.to_string()).unwrap_or_default());
            row.push(entry.status);
            row
        })
        .collect();
    write_csv(&header, &rows)
}

fn json_records(lab: &Lab, grades: &[Grade]) -> String {
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
                    error: Some(why),
                    lab: &lab.id,
                    lab_version: super::LAB_VERSION,
                    graded_at: "",
                    account: &grade.student.account,
                    region: grade.student.region.as_deref().unwrap_or(""),
                    complete: false,
                    score: None,
                    checks: Vec::new(),
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
    use super::*;

    fn finding(id: &str, stage: u8, status: Status) -> checkers::Finding {
        checkers::Finding {
            id: id.into(),
            stage,
            title: id.into(),
            status,
            message: String::new(),
            fix: None,
            resource: None,
            evidence: None,
        }
    }

    fn report(findings: Vec<checkers::Finding>) -> Report {
        Report {
            lab: "lab".into(),
            title: "Lab".into(),
            account: "111122223333".into(),
            region: "us-east-1".into(),
            stages: vec![],
            findings,
            points: Default::default(),
            api_calls: 0,
            graded_at: String::new(),
            seconds: 0.0,
            timings: vec![],
        }
    }

    /// A student of a Canvas export with an account_id column added.
    fn canvas_student(name: &str, account: &str) -> Student {
        Student {
            name: name.into(),
            account: account.into(),
            region: None,
            role_arn: None,
            columns: [
                ("Student", name),
                ("ID", "101"),
                ("SIS User ID", "s101"),
                ("SIS Login ID", "ada@uni.example"),
                ("Section", "A"),
                ("Lab 3 (4242)", "7"),
                ("account_id", account),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        }
    }

    fn class() -> Vec<Grade> {
        vec![
            Grade {
                student: canvas_student("Zoë Ådahl", "111122223333"),
                outcome: Ok(report(vec![
                    finding("secret.exists", 1, Status::Pass),
                    finding("trail.exists", 2, Status::Fail),
                ])),
            },
            Grade {
                student: canvas_student("李小龍", "222233334444"),
                outcome: Ok(report(vec![
                    finding("secret.exists", 1, Status::Pass),
                    finding("alarm.fired", 5, Status::Error),
                ])),
            },
            Grade {
                student: canvas_student("Grace", "333344445555"),
                outcome: Err("cannot assume the role".into()),
            },
        ]
    }

    fn layout() -> Layout {
        Layout {
            assignment: "Lab 3 (4242)".into(),
            detail: false,
            bom: false,
        }
    }

    fn rows(text: &str) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn an_incomplete_or_ungraded_grade_is_never_a_number() {
        let grades = class();
        assert_eq!(entry(&grades[0]).grade, Some(1));
        let incomplete = entry(&grades[1]);
        assert_eq!(incomplete.grade, None);
        assert!(
            incomplete
                .status
                .starts_with("incomplete: 1 point could not be graded (alarm.fired)")
        );
        assert_eq!(entry(&grades[2]).grade, None);
        assert_eq!(
            entry(&grades[2]).status,
            "not graded: cannot assume the role"
        );
    }

    #[test]
    fn canvas_gets_its_identity_columns_and_one_grade() {
        let text = csv(&class()[..1], &layout());
        assert!(text.starts_with("Student,ID,SIS User ID,SIS Login ID,Section,Lab 3 (4242),account_id,Lab 3 (4242),Lab 3 (4242) status"));
        let canvas = rows(&canvas(&class(), &layout()));
        assert_eq!(
            canvas[0],
            [
                "Student",
                "ID",
                "SIS User ID",
                "SIS Login ID",
                "Section",
                "Lab 3 (4242)"
            ]
        );
        assert_eq!(canvas[1][5], "1");
        assert_eq!(
            canvas[2][5], "",
            "incomplete: left blank, Canvas changes nothing"
        );
        assert_eq!(canvas[3][5], "", "not graded: left blank");
    }

    #[test]
    fn moodle_gets_the_roster_a_grade_and_its_feedback() {
        let moodle = rows(&moodle(&class(), &layout()));
        let header = &moodle[0];
        assert_eq!(header[header.len() - 2], "Lab 3 (4242)");
        assert_eq!(header[header.len() - 1], "Lab 3 (4242) feedback");
        assert_eq!(moodle[3][header.len() - 2], "");
        assert!(moodle[3][header.len() - 1].starts_with("not graded:"));
    }

    #[test]
    fn a_bom_for_excel_and_the_formats_that_need_identity_columns() {
        let grades = class();
        let mut with_bom = layout();
        with_bom.bom = true;
        let lab = crate::lesson::load(&crate::lesson::LessonSource::Embedded).unwrap();
        assert!(render(&lab, &grades, GradebookFormat::Csv, &with_bom).starts_with('\u{feff}'));
        assert!(!render(&lab, &grades, GradebookFormat::Json, &with_bom).starts_with('\u{feff}'));
        let plain: Vec<String> = ["student", "account_id"].map(String::from).to_vec();
        assert!(unfit(GradebookFormat::Canvas, &plain).is_some());
        assert!(unfit(GradebookFormat::Moodle, &plain).is_some());
        assert!(unfit(GradebookFormat::Csv, &plain).is_none());
        let roster: Vec<String> = grades[0]
            .student
            .columns
            .iter()
            .map(|(k, _)| k.clone())
            .collect();
        assert!(unfit(GradebookFormat::Canvas, &roster).is_none());
    }

    #[test]
    fn the_table_lines_up_wide_names_and_says_not_graded() {
        let table = table(&class());
        let lines: Vec<&str> = table.lines().collect();
        let column = |line: &str| {
            let at = line
                .find("111122223333")
                .or_else(|| line.find("222233334444"))
                .or_else(|| line.find("333344445555"))
                .unwrap();
            width(&line[..at])
        };
        assert_eq!(column(lines[1]), column(lines[2]), "{table}");
        assert_eq!(column(lines[2]), column(lines[3]), "{table}");
        assert!(lines[3].contains("not graded"), "{table}");
    }

    #[test]
    fn many_failures_are_summed_up_by_stage() {
        let many = report(
            ["a.a", "b.b", "c.c", "d.d"]
                .iter()
                .enumerate()
                .map(|(i, id)| finding(id, i as u8 + 2, Status::Fail))
                .collect(),
        );
        let ids = failing(&many);
        assert_eq!(
            checks_said(&many, &ids, "failed"),
            "4 checks failed: stages 2–5"
        );
        assert_eq!(checks_said(&many, &ids[..2], "failed"), "a.a, b.b");
    }

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
