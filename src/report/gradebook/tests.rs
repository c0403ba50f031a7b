use checkers::Status;

use super::lms::cell;
use super::table::{checks_said, width};
use super::*;
use crate::roster::Student;

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
        warnings: vec![],
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
    let lab = crate::lesson::load(&crate::lesson::LessonSource::default()).unwrap();
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
