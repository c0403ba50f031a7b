//! Gradescope's autograder format, `results.json`: for one account (so that
//! `lab check --format gradescope --output /autograder/results/results.json` is a
//! `run_autograder`), and for a class, one file per student.
//!
//! Every test carries an explicit status and its points. A check that could not be
//! graded is worth 0 of 0 points, named "(not graded)", and says so: it neither earns
//! nor loses. Gradescope has no "not graded" state in `results.json` (a valid file
//! always records a score), so an incomplete grade also leads with a visible failing
//! test, "Not graded yet", that says what could not be judged and to run the
//! autograder again; an account that could not be read at all is one such test,
//! worth 0 of 0. `lab autograder gradescope`'s `run_autograder` goes further: it
//! fails the run then, so Gradescope records no score and offers a rerun.

use std::path::{Path, PathBuf};

use checkers::Status;
use serde_json::{Value, json};

use super::Grade;
use super::{LAB_VERSION, Report};
use crate::error::Error;

/// Who sees the results in Gradescope, as its `visibility` field says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Students see them at once.
    Visible,
    /// Students see them after the due date.
    AfterDueDate,
    /// Students see them once grades are published.
    AfterPublished,
    /// Only instructors see them.
    Hidden,
}

impl Visibility {
    /// As `results.json` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Visible => "visible",
            Visibility::AfterDueDate => "after_due_date",
            Visibility::AfterPublished => "after_published",
            Visibility::Hidden => "hidden",
        }
    }
}

/// How Gradescope renders the text of the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFormat {
    /// Markdown.
    Md,
    /// Plain text.
    Text,
}

/// Gradescope's display options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Who sees the results.
    pub visibility: Visibility,
    /// How the outputs are rendered.
    pub format: TextFormat,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            visibility: Visibility::Visible,
            format: TextFormat::Md,
        }
    }
}

impl Options {
    fn bold(&self, text: &str) -> String {
        match self.format {
            TextFormat::Md => format!("**{text}**"),
            TextFormat::Text => text.to_string(),
        }
    }

    fn format_name(&self) -> &'static str {
        match self.format {
            TextFormat::Md => "md",
            TextFormat::Text => "text",
        }
    }
}

/// One account's `results.json`.
pub fn render(report: &Report, options: &Options) -> String {
    format!("{:#}\n", results(report, options))
}

/// The `results.json` of an account that could not be graded.
pub fn render_unreachable(why: &str, options: &Options) -> String {
    format!("{:#}\n", unreachable(why, options))
}

fn results(report: &Report, options: &Options) -> Value {
    let score = report.score();
    // Each test numbered within its stage (`2.3`), so that Gradescope's order is the
    // lab's and no two share a number.
    let mut within: std::collections::BTreeMap<u8, usize> = Default::default();
    let tests: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let n = within.entry(f.stage).or_default();
            *n += 1;
            let number = format!("{}.{n}", f.stage);
            let points = report.points_of(&f.id);
            let (name, score, max_score, output) = match f.status {
                Status::Pass => (f.title.clone(), points, points, f.message.clone()),
                Status::Fail | Status::Skipped => (
                    f.title.clone(),
                    0,
                    points,
                    match &f.fix {
                        Some(fix) => format!("{}\n\n{} {fix}", f.message, options.bold("Fix:")),
                        None => f.message.clone(),
                    },
                ),
                Status::Error => (
                    format!("{} (not graded)", f.title),
                    0,
                    0,
                    format!(
                        "{} {}\n\n{} {}\n\nThis check could not be judged, so it is not scored yet: your instructor will grade it again.",
                        options.bold("Not graded:"),
                        f.message,
                        options.bold("What to do:"),
                        f.fix.as_deref().unwrap_or("nothing")
                    ),
                ),
            };
            json!({
                "name": format!("{} · {name}", f.id),
                "number": number,
                "score": score,
                "max_score": max_score,
                "status": if f.status == Status::Pass { "passed" } else { "failed" },
                "output": output,
                "output_format": options.format_name(),
                "tags": [format!("stage {}", f.stage), format!("{:?}", f.status).to_lowercase()],
            })
        })
        .collect();
    let mut summary = format!(
        "Score {}/{} points for {} in account {} ({}).",
        score.earned, score.possible, report.title, report.account, report.region
    );
    if let Some(evidence) = report.evidence() {
        summary.push_str(&format!(
            "\n\n{} {evidence}.",
            options.bold("From event history:")
        ));
    }
    let mut tests = tests;
    if !score.complete() {
        summary.push_str(&format!(
            "\n\n{} {} point(s) could not be graded; they count neither for nor against you.",
            options.bold("Incomplete:"),
            score.not_graded
        ));
        let checks: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.status == Status::Error)
            .map(|f| f.id.as_str())
            .collect();
        tests.insert(
            0,
            not_graded_yet(
                &format!(
                    "{} point(s) could not be judged ({}): this grade is not final. Your instructor will run the autograder again.",
                    score.not_graded,
                    checks.join(", ")
                ),
                options,
            ),
        );
    }
    json!({
        "score": score.earned,
        "execution_time": report.seconds.ceil() as u64,
        "output": summary,
        "output_format": options.format_name(),
        "test_output_format": options.format_name(),
        "visibility": options.visibility.as_str(),
        "extra_data": {
            "lab": report.lab,
            "lab_version": LAB_VERSION,
            "graded_at": report.graded_at,
            "account": report.account,
            "region": report.region,
            "possible": score.possible,
            "not_graded": score.not_graded,
            "complete": score.complete(),
        },
        "tests": tests,
    })
}

fn unreachable(why: &str, options: &Options) -> Value {
    json!({
        "execution_time": 0,
        "output": format!(
            "{} {why}\n\nNothing was scored: this is not a zero. Your instructor will grade it again.",
            options.bold("This account could not be graded:")
        ),
        "output_format": options.format_name(),
        "test_output_format": options.format_name(),
        "visibility": options.visibility.as_str(),
        "extra_data": { "lab_version": LAB_VERSION, "complete": false, "error": why },
        "tests": [not_graded_yet(&format!("The account could not be read: {why}"), options)],
    })
}

/// The `results.json` of a submission that names no account to grade: 0 points,
/// with one visible failing test that says what to submit.
pub fn render_unsubmitted(problem: &str, help: &str, options: &Options) -> String {
    let output = format!(
        "{} {problem}.\n\n{} {help}.",
        options.bold("Nothing to grade:"),
        options.bold("What to do:")
    );
    let results = json!({
        "score": 0,
        "execution_time": 0,
        "output": output,
        "output_format": options.format_name(),
        "test_output_format": options.format_name(),
        "visibility": options.visibility.as_str(),
        "extra_data": { "lab_version": LAB_VERSION, "complete": true, "submission": problem },
        "tests": [{
            "name": "Your submission names your AWS account",
            "score": 0,
            "max_score": 0,
            "status": "failed",
            "output": output,
            "output_format": options.format_name(),
            "visibility": "visible",
        }],
    });
    format!("{results:#}\n")
}

/// The visible failing test that says a grade is not final: worth 0 of 0, so it
/// neither earns nor loses, and shown whatever the other tests' visibility.
fn not_graded_yet(why: &str, options: &Options) -> Value {
    json!({
        "name": "Not graded yet: run the autograder again",
        "score": 0,
        "max_score": 0,
        "status": "failed",
        "output": format!("{} {why}", options.bold("Not graded yet:")),
        "output_format": options.format_name(),
        "visibility": "visible",
    })
}

/// The folder each student's `results.json` goes in: their name, made safe for a
/// path, and their account id; refused when two would share one.
fn folders(grades: &[Grade]) -> Result<Vec<PathBuf>, Error> {
    let mut seen: Vec<(PathBuf, &str)> = Vec::new();
    for grade in grades {
        let student = &grade.student;
        let safe: String = student
            .name
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let folder = PathBuf::from(format!("{safe}_{}", student.account));
        if let Some((_, other)) = seen.iter().find(|(f, _)| *f == folder) {
            return Err(Error::SameFolder {
                name: student.name.clone(),
                other: other.to_string(),
                folder,
            });
        }
        seen.push((folder, &student.name));
    }
    Ok(seen.into_iter().map(|(f, _)| f).collect())
}

/// Writes `DIR/<name>_<account>/results.json` for each student; returns the files.
/// Folders in `DIR` from an earlier roster are named in a warning, never deleted.
pub fn write_gradebook(
    grades: &[Grade],
    dir: &Path,
    options: &Options,
) -> Result<Vec<PathBuf>, Error> {
    let folders = folders(grades)?;
    let stale: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("results.json").is_file())
        .map(|e| PathBuf::from(e.file_name()))
        .filter(|name| !folders.contains(name))
        .map(|name| name.display().to_string())
        .collect();
    if !stale.is_empty() {
        eprintln!(
            "warning: {} holds results of students not on this roster ({}): remove them before uploading",
            dir.display(),
            stale.join(", ")
        );
    }
    let mut written = Vec::new();
    for (grade, folder) in grades.iter().zip(folders) {
        let mut results = match &grade.outcome {
            Ok(report) => results(report, options),
            Err(why) => unreachable(why, options),
        };
        // The student and the roster's own columns, for matching uploads to people.
        results["extra_data"]["student"] = json!(grade.student.name);
        for (key, value) in grade.student.extra() {
            results["extra_data"][key] = json!(value);
        }
        let text = format!("{results:#}\n");
        let path = dir.join(folder).join("results.json");
        crate::error::write_file(&path, text, "give --output a folder you can write")?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::Student;

    fn grade(name: &str, account: &str) -> Grade {
        Grade {
            student: Student {
                name: name.into(),
                account: account.into(),
                ..Student::default()
            },
            outcome: Err("unreachable".into()),
        }
    }

    #[test]
    fn folders_are_unique_per_student_and_account_or_refused() {
        let grades = [
            grade("Lovelace, Ada", "111111111111"),
            grade("Lovelace  Ada", "222222222222"),
            grade("Lovelace_ Ada", "333333333333"),
        ];
        let made = folders(&grades).unwrap();
        assert_eq!(made.len(), 3);
        assert_eq!(made[0], PathBuf::from("Lovelace__Ada_111111111111"));
        let clash = [
            grade("Lovelace, Ada", "111111111111"),
            grade("Lovelace  Ada", "111111111111"),
        ];
        let error = folders(&clash).unwrap_err();
        assert!(matches!(error, Error::SameFolder { .. }), "{error:?}");
        assert!(error.to_string().contains("would both write"), "{error}");
    }
}
