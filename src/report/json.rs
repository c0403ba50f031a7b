//! The JSON view: stable keys, in a fixed order, for programs and graders.

use checkers::Finding;
use serde::Serialize;

use super::{LAB_VERSION, Report, Score, Summary};

/// The JSON document; a struct, so its keys come out in this order however
/// `serde_json` was built. In a gradebook each record adds `student` and the roster's
/// own columns (`columns`), and, for an account that could not be graded, `error`.
#[derive(Serialize)]
pub(super) struct Document<'r> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub student: Option<&'r str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub columns: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'r str>,
    pub lab: &'r str,
    pub lab_version: &'static str,
    pub graded_at: &'r str,
    pub account: &'r str,
    pub region: &'r str,
    /// Whether every check was graded (false for an account that could not be read).
    pub complete: bool,
    pub score: Option<Score>,
    pub checks: &'r [Finding],
    pub summary: Summary,
    pub api_calls: u32,
}

impl<'r> Document<'r> {
    /// The document for one account's report.
    pub fn of(report: &'r Report) -> Self {
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
            checks: &report.findings,
            summary: report.summary(),
            api_calls: report.api_calls,
        }
    }
}

/// `{"lab", "lab_version", "graded_at", "account", "region", "complete", "score",
/// "checks": [...], "summary": {...}, "api_calls"}`.
pub fn render(report: &Report) -> String {
    let mut text =
        serde_json::to_string_pretty(&Document::of(report)).expect("a report serializes");
    text.push('\n');
    text
}
