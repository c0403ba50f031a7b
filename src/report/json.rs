//! The JSON view: stable keys, in a fixed order, for programs and graders.

use checkers::Finding;
use serde::Serialize;

use super::{LAB_VERSION, Report, Score, Summary};

/// One account's grade, as `lab check --format json` writes it (a class's gradebook
/// is an array of these). A struct, so its keys come out in this order however
/// `serde_json` was built.
#[derive(Serialize, schemars::JsonSchema)]
#[schemars(title = "lab report")]
pub(super) struct Document<'r> {
    /// In a gradebook: the student, as the roster names them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub student: Option<&'r str>,
    /// In a gradebook: the roster's own columns (an email, a student id), by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub columns: Option<serde_json::Map<String, serde_json::Value>>,
    /// Why the account could not be graded at all; then `checks` is empty and
    /// `score` is null: not a zero.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'r str>,
    /// The lab's id, e.g. `secrets-access-monitoring`.
    pub lab: &'r str,
    /// The version of `lab` that graded.
    pub lab_version: &'static str,
    /// When the account was read, in UTC (RFC 3339); empty when it could not be.
    pub graded_at: &'r str,
    /// The 12-digit account id graded.
    pub account: &'r str,
    /// The region graded.
    pub region: &'r str,
    /// Whether every check was graded (false for an account that could not be read).
    pub complete: bool,
    /// The grade in points; null for an account that could not be read.
    pub score: Option<Score>,
    /// One verdict per check, in lab order, with its points.
    pub checks: Vec<Check<'r>>,
    /// The path from a read of the secret to the inbox: each link with the checks
    /// that own it, and the first that breaks (`first_break`, null when a read
    /// reaches the inbox). Absent when the checks asked for do not cover every link.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<checkers::path::Diagnosis>,
    /// How many checks came out each way.
    pub summary: Summary,
    /// How many API requests reading the account took.
    pub api_calls: u32,
}

/// One check's verdict and what it is worth.
#[derive(Serialize, schemars::JsonSchema)]
pub(super) struct Check<'r> {
    /// The verdict.
    #[serde(flatten)]
    pub finding: &'r Finding,
    /// What the check is worth (`points:` in lab.yaml, 1 when not listed).
    pub points: u32,
    /// Of which earned: all on a pass, none on a failure or a skip; null when it
    /// could not be graded (it neither earns nor loses).
    pub earned: Option<u32>,
}

impl<'r> Document<'r> {
    /// The document for one account's report.
    pub(super) fn of(report: &'r Report) -> Self {
        let score = report.score();
        Document {
            student: None,
            columns: None,
            error: None,
            lab: &report.lab,
            lab_version: LAB_VERSION,
            graded_at: &report.graded_at,
            account: &report.account,
            region: &report.region,
            complete: score.complete(),
            score: Some(score),
            checks: report
                .findings
                .iter()
                .map(|finding| {
                    let points = report.points_of(&finding.id);
                    Check {
                        finding,
                        points,
                        earned: match finding.status {
                            checkers::Status::Pass => Some(points),
                            checkers::Status::Error => None,
                            _ => Some(0),
                        },
                    }
                })
                .collect(),
            path: report.path(),
            summary: report.summary(),
            api_calls: report.api_calls,
        }
    }
}

impl<'r> Document<'r> {
    /// The document for an account that could not be graded: `error`, no checks, no
    /// score.
    pub(super) fn ungraded(lab: &'r str, why: &'r str) -> Self {
        Document {
            student: None,
            columns: None,
            error: Some(why),
            lab,
            lab_version: LAB_VERSION,
            graded_at: "",
            account: "",
            region: "",
            complete: false,
            score: None,
            checks: Vec::new(),
            path: None,
            summary: Summary::default(),
            api_calls: 0,
        }
    }
}

/// The document for an account that could not be graded: `error`, no checks, no score.
pub(super) fn render_ungraded(lab: &str, why: &str) -> String {
    let document = Document::ungraded(lab, why);
    let mut text = serde_json::to_string_pretty(&document).expect("a report serializes");
    text.push('\n');
    text
}

/// `{"lab", "lab_version", "graded_at", "account", "region", "complete", "score",
/// "checks": [...], "summary": {...}, "api_calls"}`.
pub(super) fn render(report: &Report) -> String {
    let mut text =
        serde_json::to_string_pretty(&Document::of(report)).expect("a report serializes");
    text.push('\n');
    text
}
