//! CloudTrail as plain data: trails, their status and event selectors, the write
//! calls event history holds, and the events among which a lab's counted events are
//! looked for.

use serde_json::Value;

/// A trail.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Trail {
    /// Its name.
    pub name: String,
    /// Its ARN.
    pub arn: String,
    /// The region it was created in.
    pub home_region: Option<String>,
    /// Whether it records every region the account has enabled, not only its home.
    pub multi_region: bool,
    /// The bucket it writes log files to.
    pub s3_bucket: Option<String>,
    /// The log group it sends events to, as an ARN.
    pub log_group_arn: Option<String>,
    /// The role it assumes to write to the log group.
    pub logs_role_arn: Option<String>,
    /// The SNS topic it notifies for each log file, as an ARN.
    pub sns_topic_arn: Option<String>,
}

/// How a trail is doing (GetTrailStatus).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrailStatus {
    /// `true` while logging.
    pub is_logging: bool,
    /// When CloudTrail last delivered a log file to the bucket (seconds since the epoch).
    pub latest_delivery: Option<i64>,
    /// When CloudTrail last delivered events to CloudWatch Logs.
    pub latest_logs_delivery: Option<i64>,
    /// The error CloudTrail met when it last failed to deliver to CloudWatch Logs, as
    /// CloudTrail words it.
    pub latest_logs_delivery_error: Option<String>,
}

/// A trail's event selectors: basic or advanced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selectors {
    /// Basic event selectors.
    Basic(Vec<BasicSelector>),
    /// Advanced event selectors.
    Advanced(Vec<AdvancedSelector>),
}

/// Which API calls a basic selector records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadWrite {
    /// Reads and writes.
    All,
    /// Reads only.
    ReadOnly,
    /// Writes only.
    WriteOnly,
}

/// A basic event selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasicSelector {
    /// Which calls.
    pub read_write: ReadWrite,
    /// Whether it records management events.
    pub include_management_events: bool,
    /// Event sources excluded from management events.
    pub exclude_management_event_sources: Vec<String>,
}

/// An advanced event selector: every field selector must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdvancedSelector {
    /// Its name, if any (not used to judge it).
    pub name: Option<String>,
    /// The conditions.
    pub fields: Vec<FieldSelector>,
}

/// One condition of an advanced selector.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldSelector {
    /// The field, e.g. `eventCategory`, `readOnly`, `eventSource`.
    pub field: String,
    /// The value must be one of these.
    pub equals: Vec<String>,
    /// The value must be none of these.
    pub not_equals: Vec<String>,
    /// The value must start with one of these.
    pub starts_with: Vec<String>,
    /// The value must start with none of these.
    pub not_starts_with: Vec<String>,
    /// The value must end with one of these.
    pub ends_with: Vec<String>,
    /// The value must end with none of these.
    pub not_ends_with: Vec<String>,
}

/// One write call from event history.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteEvent {
    /// When (seconds since the epoch).
    pub time: i64,
    /// The service (`eventSource`).
    pub source: String,
    /// The operation (`eventName`).
    pub name: String,
    /// `requestParameters`.
    pub request: Value,
    /// `responseElements`.
    pub response: Value,
    /// Whether it failed (an `errorCode`): failed calls changed nothing.
    pub failed: bool,
}

impl WriteEvent {
    /// A write event from its CloudTrail record (the JSON text event history gives).
    pub fn from_record(time: i64, record: &str) -> Option<WriteEvent> {
        let record: Value = serde_json::from_str(record).ok()?;
        Some(WriteEvent {
            time,
            source: record.get("eventSource")?.as_str()?.to_string(),
            name: record.get("eventName")?.as_str()?.to_string(),
            request: record
                .get("requestParameters")
                .cloned()
                .unwrap_or(Value::Null),
            response: record
                .get("responseElements")
                .cloned()
                .unwrap_or(Value::Null),
            failed: record.get("errorCode").is_some_and(|c| !c.is_null()),
        })
    }

    /// A request parameter as text (numbers and booleans as written).
    pub fn text(&self, key: &str) -> Option<String> {
        match self.request.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }
}

/// One event from CloudTrail's event history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEvent {
    /// When.
    pub time: String,
    /// Who (the user name CloudTrail gives).
    pub user: Option<String>,
    /// Who, as the caller's ARN (`userIdentity.arn`), where the record gives one.
    pub principal: Option<String>,
    /// The whole record, as CloudTrail gives it (`CloudTrailEvent`): what the lab's
    /// watch classifies.
    pub record: String,
}

/// The events a lab's lookups found in CloudTrail's event history, and how far back
/// they reach: lab reads a bounded number of pages, so in a busy account the
/// history can hold older events it never saw.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WatchedEvents {
    /// The events, each once.
    pub events: Vec<HistoryEvent>,
    /// When a lookup stopped before the end of the history: the time of the oldest
    /// event it read (of the latest such cut, when several stopped). Events before
    /// it may exist unseen. `None` when every lookup read the whole history.
    pub cut_at: Option<String>,
}

impl WatchedEvents {
    /// `events`, the whole history.
    #[cfg(test)]
    pub(crate) fn all(events: Vec<HistoryEvent>) -> WatchedEvents {
        WatchedEvents {
            events,
            cut_at: None,
        }
    }
}
