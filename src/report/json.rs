//! The JSON view: stable keys, in a fixed order, for programs and graders.

use checkers::Finding;
use serde::Serialize;

use super::{Report, Summary};

/// The JSON document; a struct, so its keys come out in this order however
/// `serde_json` was built. In a gradebook each record adds `student` (and `error`
/// for an account that could not be graded).
#[derive(Serialize)]
pub(super) struct Document<'r> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub student: Option<&'r str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'r str>,
    pub lab: &'r str,
    pub account: &'r str,
    pub region: &'r str,
    pub checks: &'r [Finding],
    pub summary: Summary,
    pub api_calls: u32,
}

impl<'r> Document<'r> {
    /// The document for one account's report.
    pub fn of(report: &'r Report) -> Self {
        Document {
            student: None,
            error: None,
            lab: &report.lab,
            account: &report.account,
            region: &report.region,
            checks: &report.findings,
            summary: report.summary(),
            api_calls: report.api_calls,
        }
    }
}

/// `{"lab", "account", "region", "checks": [...], "summary": {...}, "api_calls"}`.
pub fn render(report: &Report) -> String {
    let mut text =
        serde_json::to_string_pretty(&Document::of(report)).expect("a report serializes");
    text.push('\n');
    text
}
