//! The Common Test Report Format (CTRF, `reportFormat: "CTRF"`): one JSON document for
//! one account or a whole class, read by CTRF's reporters and dashboards.
//!
//! Statuses map as CTRF defines them: a pass `passed`, a fail `failed`, a check skipped
//! because a prerequisite failed `failed` too (its points are lost; `extra.skipped`
//! says why it was not run), and a check that could not be graded `other`. Each test's
//! `extra` carries the fix, the resource, the points and, in a class, the student.

use checkers::{Finding, Status};
use serde_json::{Value, json};

use super::Grade;
use super::{LAB_VERSION, Report};

/// One account's report as CTRF.
pub(super) fn render(report: &Report) -> String {
    let tests: Vec<Value> = report
        .findings
        .iter()
        .map(|f| test(report, f, None))
        .collect();
    document(
        tests,
        report.seconds,
        json!({ "account": report.account, "region": report.region, "lab": report.lab, "graded_at": report.graded_at }),
    )
}

/// A class's gradebook as one CTRF document: a test per student and check, each
/// student's checks as a suite; an account that could not be graded is one `other`.
pub(super) fn render_gradebook(grades: &[Grade]) -> String {
    let mut tests = Vec::new();
    let mut seconds = 0.0;
    for grade in grades {
        let student = &grade.student;
        match &grade.outcome {
            Ok(report) => {
                seconds += report.seconds;
                tests.extend(
                    report
                        .findings
                        .iter()
                        .map(|f| test(report, f, Some(&student.name))),
                );
            }
            Err(why) => tests.push(json!({
                "name": format!("{} · reach the account", student.name),
                "status": "other",
                "duration": 0,
                "message": format!("could not be graded: {why}"),
                "suite": student.name,
                "extra": { "student": student.name, "account": student.account, "graded": false },
            })),
        }
    }
    document(tests, seconds, json!({ "students": grades.len() }))
}

/// One `other` test: the account could not be graded at all.
pub(super) fn render_ungraded(why: &str) -> String {
    let tests = vec![json!({
        "name": "reach the account",
        "status": "other",
        "duration": 0,
        "message": format!("could not be graded: {why}"),
        "extra": { "graded": false },
    })];
    document(tests, 0.0, json!({}))
}

fn test(report: &Report, f: &Finding, student: Option<&str>) -> Value {
    let points = report.points_of(&f.id);
    let (status, earned) = match f.status {
        Status::Pass => ("passed", points),
        Status::Fail => ("failed", 0),
        // Skipped because a prerequisite failed: its points are lost, a failure.
        Status::Skipped => ("failed", 0),
        Status::Error => ("other", 0),
    };
    let mut extra = json!({
        "id": f.id,
        "stage": f.stage,
        "fix": f.fix,
        "resource": f.resource,
        "points": earned,
        "possible": if f.status == Status::Error { 0 } else { points },
        "graded": f.status != Status::Error,
        "skipped": f.status == Status::Skipped,
        "account": report.account,
        "region": report.region,
    });
    if let Some(evidence) = &f.evidence {
        extra["evidence"] = json!(evidence);
    }
    if let Some(student) = student {
        extra["student"] = json!(student);
    }
    let name = match student {
        Some(student) => format!("{student} · {} · {}", f.id, f.title),
        None => format!("{} · {}", f.id, f.title),
    };
    json!({
        "name": name,
        "status": status,
        "duration": 0,
        "message": f.message,
        "suite": student.map_or_else(|| format!("stage {}", f.stage), str::to_string),
        "extra": extra,
    })
}

fn document(tests: Vec<Value>, seconds: f64, extra: Value) -> String {
    let count = |status: &str| tests.iter().filter(|t| t["status"] == status).count();
    let stop = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let start = stop.saturating_sub((seconds * 1000.0) as u64);
    let document = json!({
        "reportFormat": "CTRF",
        "specVersion": "0.0.0",
        "results": {
            "tool": { "name": "lab", "version": LAB_VERSION },
            "summary": {
                "tests": tests.len(),
                "passed": count("passed"),
                "failed": count("failed"),
                "pending": 0,
                "skipped": count("skipped"),
                "other": count("other"),
                "start": start,
                "stop": stop,
            },
            "tests": tests,
            "extra": extra,
        },
    });
    format!("{document:#}\n")
}
