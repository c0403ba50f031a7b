//! Reports of `lab check`: one list of findings, three views of it.

pub mod gradebook;
mod json;
mod junit;
mod table;

use checkers::{Finding, Status};

use crate::Outcome;
use crate::cli::Format;

/// The mark for a status, as every view shows it: ✓ pass, ✗ fail, ! error, - skipped.
pub fn mark(status: Status) -> console::StyledObject<&'static str> {
    match status {
        Status::Pass => console::style("✓").green().bold(),
        Status::Fail => console::style("✗").red().bold(),
        Status::Error => console::style("!").yellow().bold(),
        Status::Skipped => console::style("-").dim(),
    }
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
    /// How many API requests the read took.
    pub api_calls: u32,
}

/// How many findings of each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Passed.
    pub pass: usize,
    /// Failed.
    pub fail: usize,
    /// Could not be judged.
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
    /// could not be judged (an error outranks a failure: the grade is incomplete).
    pub fn exit_code(&self) -> u8 {
        let s = self.summary();
        if s.error > 0 {
            2
        } else if s.fail > 0 || s.skipped > 0 {
            1
        } else {
            0
        }
    }

    /// The outcome for `lab`'s own exit-code mapping.
    pub fn outcome(&self) -> Outcome {
        match self.exit_code() {
            0 => Outcome::Success,
            1 => Outcome::Failed,
            _ => Outcome::Incomplete,
        }
    }

    /// The report in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Table => table::render(self),
            Format::Json => json::render(self),
            Format::Junit => junit::render(self),
            // `lab check` refuses these for one account before reading anything.
            Format::Csv | Format::Gradescope => {
                "csv and gradescope are gradebook formats: use them with --roster\n".to_string()
            }
        }
    }
}
