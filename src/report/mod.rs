//! Reports of `lab check`: one list of findings, and its views: a table for people,
//! JSON for programs, JUnit XML and CTRF for CI, Gradescope's `results.json` for
//! autograders.
//! A class's gradebook ([`gradebook`]) is the same views over many reports.

mod ctrf;
pub mod gradebook;
pub mod gradescope;
mod json;
mod junit;
mod table;

pub use table::why_no_email;

/// How one account's report is written (`lab check --format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// A table for people.
    Table,
    /// JSON for programs (its schema: [`json_schema`]).
    Json,
    /// JUnit XML for CI.
    Junit,
    /// Common Test Report Format JSON for CI.
    Ctrf,
    /// Gradescope's `results.json`.
    Gradescope,
}

/// The report in `format` for an account that could not be graded at all (`why`):
/// written all the same, so that CI or an autograder never shows a previous run's
/// results, and never a zero. Nothing for the table: the error says it.
pub fn render_ungraded(
    format: ReportFormat,
    lab: &str,
    why: &str,
    gradescope: &gradescope::Options,
) -> String {
    match format {
        ReportFormat::Table => String::new(),
        ReportFormat::Json => json::render_ungraded(lab, why),
        ReportFormat::Junit => junit::render_ungraded(lab, why),
        ReportFormat::Ctrf => ctrf::render_ungraded(why),
        ReportFormat::Gradescope => gradescope::render_unreachable(why, gradescope),
    }
}

/// The report for a submission that names no account to grade (`--account-file`):
/// in Gradescope, a failing grade that says what to submit (the student's to fix,
/// so a grade, unlike an account that could not be read); elsewhere, a report with
/// no score that says why.
pub fn render_unsubmitted(
    format: ReportFormat,
    lab: &str,
    problem: &crate::Error,
    gradescope: &gradescope::Options,
) -> String {
    let help = problem.help().unwrap_or_default();
    match format {
        ReportFormat::Gradescope => {
            gradescope::render_unsubmitted(&problem.to_string(), &help, gradescope)
        }
        other => render_ungraded(other, lab, &format!("{problem}: {help}"), gradescope),
    }
}

/// The JSON Schema of the JSON report (`--format json`).
pub fn json_schema() -> String {
    crate::json_schema::render::<json::Document>()
}

/// `lab`'s version, as reports carry it.
pub const LAB_VERSION: &str = env!("CARGO_PKG_VERSION");

use checkers::{Finding, Status};

use crate::Outcome;

/// The mark for a status, as every view shows it: ✓ pass, ✗ fail, ! error, - skipped.
pub fn mark(status: Status) -> console::StyledObject<&'static str> {
    match status {
        Status::Pass => console::style("✓").green().bold(),
        Status::Fail => console::style("✗").red().bold(),
        Status::Error => console::style("!").yellow().bold(),
        Status::Skipped => console::style("-").dim(),
    }
}

/// One student's result, in a roster's gradebook.
#[derive(Debug, Clone)]
pub struct Grade {
    /// The student, with the roster's own columns.
    pub student: crate::roster::Student,
    /// The report, or why the account could not be graded.
    pub outcome: Result<Report, String>,
}

/// The result of one `lab check` on one account.
#[derive(Debug, Clone)]
pub struct Report {
    /// The lab id.
    pub lab: String,
    /// The lab title.
    pub title: String,
    /// The account checked.
    pub account: String,
    /// The region checked.
    pub region: String,
    /// The stages checked, as number and title.
    pub stages: Vec<(u8, String)>,
    /// The verdicts, in lab order.
    pub findings: Vec<Finding>,
    /// What each check is worth, by id (`points:` in lab.yaml, 1 when not listed).
    pub points: std::collections::BTreeMap<String, u32>,
    /// How many API requests the read took.
    pub api_calls: u32,
    /// When the account was read, in UTC (RFC 3339).
    pub graded_at: String,
    /// How long reading and judging took, in seconds.
    pub seconds: f64,
    /// Where that time went (shown by `lab check -v`): connecting, where the
    /// command connected, each phase of reads, judging.
    pub timings: Vec<crate::timing::Lap>,
    /// What the grader should know about how the account was read, said on
    /// standard error, never in the report (e.g. that it was read as the root user).
    pub warnings: Vec<String>,
}

/// A grade in points, as the lessons weigh the checks. A check that could not be
/// graded (an `error`: unreadable, undecidable) neither earns nor loses points: it is
/// left out of `possible` and counted in `not_graded`, and the grade is incomplete. A
/// check `skipped` because a prerequisite failed is lost, like a failure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Score {
    /// Points of the checks that passed.
    pub earned: u32,
    /// Points of the checks that were graded: passed, failed or skipped.
    pub possible: u32,
    /// Points of the checks that could not be graded.
    pub not_graded: u32,
}

impl Score {
    /// Whether every check was graded.
    pub fn complete(&self) -> bool {
        self.not_graded == 0
    }
}

/// How many findings of each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Summary {
    /// Passed.
    pub pass: usize,
    /// Failed.
    pub fail: usize,
    /// Could not be judged (not graded).
    pub error: usize,
    /// Not judged because a prerequisite did not pass.
    pub skipped: usize,
    /// All of them.
    pub total: usize,
}

impl Report {
    /// The stages that have findings, in order, each with its number, title and
    /// findings (what every sectioned view walks).
    pub fn by_stage(&self) -> impl Iterator<Item = (u8, &str, Vec<&Finding>)> {
        self.stages.iter().filter_map(|(number, title)| {
            let findings: Vec<&Finding> = self
                .findings
                .iter()
                .filter(|f| f.stage == *number)
                .collect();
            (!findings.is_empty()).then_some((*number, title.as_str(), findings))
        })
    }

    /// The path from a read to the inbox, link by link, with the first that breaks;
    /// `None` when the checks judged do not cover every link.
    pub fn path(&self) -> Option<checkers::path::Diagnosis> {
        checkers::path::diagnose(&self.findings)
    }

    /// Where the verdicts come from when it is not the account as it is now (the lab
    /// rebuilt from event history after its cleanup), in words.
    pub fn evidence(&self) -> Option<&str> {
        self.findings.iter().find_map(|f| f.evidence.as_deref())
    }

    /// Keeps only the findings of `checks` (`--check`), when any are named.
    pub fn keep_only(&mut self, checks: &[String]) {
        if !checks.is_empty() {
            self.findings.retain(|f| checks.contains(&f.id));
        }
    }

    /// The `lab` commands the fixes name, with the options the learner gave
    /// (`--sandbox`, `--profile`, ...), so that a fix copied from a check of the
    /// sandbox runs in the sandbox.
    pub fn carry_flags(&mut self, flags: &str) {
        for fix in self.findings.iter_mut().filter_map(|f| f.fix.as_mut()) {
            *fix = crate::lab_commands::with_flags(fix, flags);
        }
    }

    /// What check `id` is worth.
    pub fn points_of(&self, id: &str) -> u32 {
        self.points.get(id).copied().unwrap_or(1)
    }

    /// The grade in points.
    pub fn score(&self) -> Score {
        let mut score = Score::default();
        for f in &self.findings {
            let points = self.points_of(&f.id);
            match f.status {
                Status::Pass => {
                    score.earned += points;
                    score.possible += points;
                }
                Status::Fail | Status::Skipped => score.possible += points,
                Status::Error => score.not_graded += points,
            }
        }
        score
    }

    /// Counts by status.
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            total: self.findings.len(),
            ..Summary::default()
        };
        for f in &self.findings {
            match f.status {
                Status::Pass => s.pass += 1,
                Status::Fail => s.fail += 1,
                Status::Error => s.error += 1,
                Status::Skipped => s.skipped += 1,
            }
        }
        s
    }

    /// Exit 0 when everything passed, 1 when something failed, 2 when something
    /// could not be graded (an error outranks a failure: the grade is incomplete).
    pub fn exit_code(&self) -> u8 {
        self.outcome().exit_code()
    }

    /// The worst of its findings' outcomes.
    pub fn outcome(&self) -> Outcome {
        self.findings
            .iter()
            .map(|f| Outcome::of(f.status))
            .max()
            .unwrap_or(Outcome::Success)
    }

    /// The report in `format`; `gradescope` sets Gradescope's display options.
    pub fn render(&self, format: ReportFormat, gradescope: &gradescope::Options) -> String {
        match format {
            ReportFormat::Table => table::render(self),
            ReportFormat::Json => json::render(self),
            ReportFormat::Junit => junit::render(self),
            ReportFormat::Gradescope => gradescope::render(self, gradescope),
            ReportFormat::Ctrf => ctrf::render(self),
        }
    }
}
