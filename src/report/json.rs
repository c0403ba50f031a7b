//! The JSON view: stable keys, in a fixed order, for programs and graders.

use checkers::Finding;
use serde::Serialize;

use super::{Report, Summary};

/// The JSON document; a struct, so its keys come out in this order however
/// `serde_json` was built.
#[derive(Serialize)]
struct Document<'r> {
    lab: &'r str,
    account: &'r str,
    region: &'r str,
    checks: &'r [Finding],
    summary: Summary,
    api_calls: u32,
}

/// `{"lab", "account", "region", "checks": [...], "summary": {...}, "api_calls"}`.
pub fn render(report: &Report) -> String {
    let document = Document {
        lab: &report.lab,
        account: &report.account,
        region: &report.region,
        checks: &report.findings,
        summary: report.summary(),
        api_calls: report.api_calls,
    };
    let mut text = serde_json::to_string_pretty(&document).expect("a report serializes");
    text.push('\n');
    text
}
