//! The typed verdict of one check. Output formats (table, JSON, JUnit) are views of
//! a list of these; nothing downstream ever parses a message string.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The account is as the step wants it.
    Pass,
    /// The account was read and it is not as the step wants it.
    Fail,
    /// The state could not be read or judged (access denied, throttled past retries,
    /// a form the checker does not understand). Never counted as pass or fail.
    Error,
    /// Not judged because a check it depends on did not pass; the message names it.
    Skipped,
}

impl Status {
    /// The lowercase word used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Error => "error",
            Status::Skipped => "skipped",
        }
    }
}

/// One check's verdict on one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// The check's stable id, e.g. `alarm.statistic`.
    pub id: String,
    /// The lab stage the check belongs to (1-based, in lesson order).
    pub stage: u8,
    /// The check's one-line title.
    pub title: String,
    /// The verdict.
    pub status: Status,
    /// What was found, naming the resource.
    pub message: String,
    /// What to do about it; `None` on pass.
    pub fix: Option<String>,
    /// The ARN of the resource judged, where there is one.
    pub resource: Option<String>,
    /// Where the verdict comes from when it is not the account as it is now: the lab
    /// rebuilt from CloudTrail's event history after its cleanup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}
