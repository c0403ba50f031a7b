//! The account as plain data: what `fetch` reads, and all that the checks judge.
//!
//! No SDK types cross this line, so every check is a pure function that unit tests
//! drive with hand-built snapshots. Each read is a [`Read`]: its value, or the
//! [`ReadError`] that kept it from being read, so one failing service never hides
//! the others, and an unreadable resource becomes an `error` finding, never a fail.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::scope::{Part, Scope};

/// One read: the value, or why it could not be read.
pub type Read<T> = Result<T, ReadError>;

/// Reads of the same kind, by resource name (bucket name, log group name, ...).
pub type Reads<T> = BTreeMap<String, Read<T>>;

/// Why a read failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// The IAM action of the failed call, e.g. `cloudtrail:DescribeTrails`.
    pub action: String,
    /// What kind of failure.
    pub kind: ReadErrorKind,
    /// What the service said.
    pub detail: String,
}

/// Kinds of read failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadErrorKind {
    /// The caller lacks the permission.
    AccessDenied,
    /// Still throttled after the SDK's retries.
    Throttled,
    /// The endpoint does not implement the operation (an emulator).
    NotImplemented,
    /// The service could not be reached or failed.
    Unavailable,
    /// Not asked for: the checks being judged do not need it (see
    /// [`crate::scope`]). A judge that meets this has a gap in its `reads`.
    NotRead,
    /// The lab was cleaned up, and CloudTrail's event history, from which it was
    /// rebuilt, does not show this (see [`crate::history`]).
    NotInHistory,
}

/// The names the checks look for: the lab's variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// The secret, e.g. `TopSecretInfo`.
    pub secret: String,
    /// The trail, e.g. `secrets-manager-trail`.
    pub trail: String,
    /// The trail's bucket.
    pub bucket: String,
    /// The log group, e.g. `my-secretsmanager-loggroup`.
    pub log_group: String,
    /// The role CloudTrail uses to write to the log group.
    pub role: String,
    /// The metric's namespace, e.g. `SecurityMetrics`.
    pub namespace: String,
    /// The metric, e.g. `Secret is accessed`.
    pub metric: String,
    /// The alarm, e.g. `Secret is accessed`.
    pub alarm: String,
    /// The SNS topic, e.g. `SecurityAlarms`.
    pub topic: String,
}

/// Everything the checks judge, read once.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The 12-digit account id.
    pub account: String,
    /// The region read.
    pub region: String,
    /// The lab's secret, `None` when there is none by that name.
    pub secret: Read<Option<Secret>>,
    /// GetSecretValue events from CloudTrail event history (any secret).
    pub secret_reads: Read<Vec<SecretRead>>,
    /// Every trail visible in the region.
    pub trails: Read<Vec<Trail>>,
    /// Status of the lab's trail, by trail name (absent when the trail is missing).
    pub trail_status: Reads<TrailStatus>,
    /// Event selectors of the lab's trail, by trail name.
    pub selectors: Reads<Selectors>,
    /// Whether each bucket exists, by bucket name.
    pub buckets: Reads<bool>,
    /// Log groups by name; `None` when there is none of that name.
    pub log_groups: Reads<Option<LogGroup>>,
    /// The most recently written log streams, by log group name.
    pub log_streams: Reads<Vec<LogStream>>,
    /// Every metric filter in the region, on any log group: a metric is fed by all
    /// the filters that emit into it, wherever they are.
    pub metric_filters: Read<Vec<MetricFilter>>,
    /// TestMetricFilter answers, by filter pattern: the indexes of the records of
    /// [`crate::corpus::confirmation_set`] that CloudWatch Logs says match.
    pub filter_tests: Reads<Vec<usize>>,
    /// The identity grading, when it is not the learner's own (a class's grading
    /// role), as an ARN: secret reads it made never count as the learner's.
    pub grader: Option<String>,
    /// What answered the reads: AWS itself, or an emulator (the sandbox or moto),
    /// whose TestMetricFilter answers confirm nothing.
    pub endpoint: Endpoint,
    /// IAM roles by name; `None` when there is none of that name.
    pub roles: Reads<Option<Role>>,
    /// What each role of [`Snapshot::roles`] that exists may do, by role name.
    pub role_policies: Reads<RolePolicies>,
    /// Every metric alarm in the region.
    pub alarms: Read<Vec<Alarm>>,
    /// State changes of alarms, by alarm name.
    pub alarm_history: Reads<Vec<AlarmHistoryItem>>,
    /// Every SNS topic ARN in the region.
    pub topics: Read<Vec<String>>,
    /// Subscriptions, by topic ARN.
    pub subscriptions: Reads<Vec<Subscription>>,
    /// The lab's topic's settings, by topic ARN.
    pub topic_attributes: Reads<TopicAttributes>,
    /// The KMS key each encrypted topic names, by the key id the topic gives.
    pub topic_keys: Reads<Key>,
    /// The settings of each confirmed email subscription of the lab's topic, by
    /// subscription ARN.
    pub subscription_attributes: Reads<SubscriptionAttributes>,
    /// The lab's metric as CloudWatch stored it over the periods that sent the lab's
    /// alarm into ALARM, by the timestamp of that state change in the alarm's history.
    pub metric_data: Reads<Vec<MetricPoint>>,
    /// The account's write calls in CloudTrail's event history (the latest first, to
    /// a bounded depth), read when the checks ask for them or the lab is gone.
    pub write_history: Read<Vec<WriteEvent>>,
    /// When every resource of the lab is gone and the history shows it was built
    /// and then cleaned up: the lab as it was just before. The checks judge it
    /// instead (`cleanup.done` apart), and say so.
    pub before_cleanup: Option<Box<BeforeCleanup>>,
    /// How many API requests the fetch made, pages included.
    pub api_calls: u32,
    /// How long each phase of the fetch took, in order (for `lab check -v`).
    pub phases: Vec<Phase>,
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

/// The lab as it was before it was cleaned up.
#[derive(Debug, Clone)]
pub struct BeforeCleanup {
    /// When its cleanup began (seconds since the epoch): the first deletion of one
    /// of its resources that was never undone.
    pub at: i64,
    /// The lab just before, as the checks read an account.
    pub lab: Snapshot,
}

impl Snapshot {
    /// The snapshot as a fetch scoped to `scope` would have read it: every part
    /// outside the scope unread (a top-level read says so; a by-name map is empty),
    /// the lab before its cleanup too.
    pub fn within(mut self, scope: Scope) -> Snapshot {
        fn unread<T>(part: Part) -> Read<T> {
            Err(ReadError {
                action: part.action().into(),
                kind: ReadErrorKind::NotRead,
                detail: String::new(),
            })
        }
        let s = &mut self;
        for part in Part::ALL.into_iter().filter(|p| !scope.reads(*p)) {
            match part {
                Part::Secret => s.secret = unread(part),
                Part::SecretReads => s.secret_reads = unread(part),
                Part::Trails => s.trails = unread(part),
                Part::TrailStatus => s.trail_status.clear(),
                Part::Selectors => s.selectors.clear(),
                Part::Buckets => s.buckets.clear(),
                Part::LogGroups => s.log_groups.clear(),
                Part::LogStreams => s.log_streams.clear(),
                Part::Roles => s.roles.clear(),
                Part::RolePolicies => s.role_policies.clear(),
                Part::MetricFilters => s.metric_filters = unread(part),
                Part::FilterTests => s.filter_tests.clear(),
                Part::Alarms => s.alarms = unread(part),
                Part::AlarmHistory => s.alarm_history.clear(),
                Part::MetricData => s.metric_data.clear(),
                Part::Topics => s.topics = unread(part),
                Part::Subscriptions => s.subscriptions.clear(),
                Part::TopicAttributes => s.topic_attributes.clear(),
                Part::TopicKey => s.topic_keys.clear(),
                Part::SubscriptionAttributes => s.subscription_attributes.clear(),
                Part::WriteHistory => s.write_history = unread(part),
            }
        }
        if let Some(before) = self.before_cleanup.take() {
            let BeforeCleanup { at, lab } = *before;
            self.before_cleanup = Some(Box::new(BeforeCleanup {
                at,
                lab: lab.within(scope),
            }));
        }
        self
    }
}

/// One phase of a fetch: the reads it made at once, and how long they took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phase {
    /// What the phase reads, e.g. `what those point to`.
    pub name: &'static str,
    /// The requests it made, pages included.
    pub requests: u32,
    /// Its wall time.
    pub took: std::time::Duration,
}

/// A secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    /// Its ARN.
    pub arn: String,
    /// Its name.
    pub name: String,
    /// When it is scheduled for deletion, if it is.
    pub deleted_date: Option<String>,
}

/// One GetSecretValue event from CloudTrail event history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretRead {
    /// When.
    pub time: String,
    /// Who (the user name CloudTrail gives).
    pub user: Option<String>,
    /// Who, as the caller's ARN (`userIdentity.arn`), where the record gives one.
    pub principal: Option<String>,
    /// The `secretId` the caller passed: a name or an ARN.
    pub secret_id: Option<String>,
}

/// A trail.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Trail {
    /// Its name.
    pub name: String,
    /// Its ARN.
    pub arn: String,
    /// The region it was created in.
    pub home_region: Option<String>,
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

/// A log group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogGroup {
    /// Its name.
    pub name: String,
    /// Its ARN.
    pub arn: Option<String>,
}

/// A log stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogStream {
    /// Its name.
    pub name: String,
    /// When its last event was written (ms since the epoch).
    pub last_event_timestamp: Option<i64>,
    /// When it last received data (ms since the epoch).
    pub last_ingestion_time: Option<i64>,
}

/// What a snapshot was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// AWS's own endpoints.
    Aws,
    /// A custom endpoint: the lab sandbox or a plain emulator.
    Emulator,
}

/// A metric filter.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricFilter {
    /// Its name.
    pub name: String,
    /// The log group it sits on.
    pub log_group: String,
    /// When it was created (ms since the epoch), where the service says: it counts
    /// only what arrives after.
    pub created: Option<i64>,
    /// Its pattern, as written.
    pub pattern: String,
    /// What it emits.
    pub transformations: Vec<MetricTransformation>,
    /// Its field selection criteria, if any: only events that meet them are filtered.
    pub selection: Option<String>,
    /// Whether it runs on the log group's transformed events rather than on what
    /// CloudTrail delivered.
    pub on_transformed_logs: bool,
}

/// What a metric filter emits for each matching event.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricTransformation {
    /// The namespace.
    pub namespace: String,
    /// The metric name.
    pub metric: String,
    /// The value emitted per match, as written (`1`, or a selector like `$.bytes`).
    pub value: String,
    /// The value emitted for every event that does not match, if set.
    pub default_value: Option<f64>,
    /// Dimensions, if any: each name with where its value comes from (`$.field`,
    /// or a system field such as `@aws.account`).
    pub dimensions: Vec<(String, String)>,
    /// The unit of the values emitted; `None` when not set, which CloudWatch stores
    /// as the unit `None`.
    pub unit: Option<String>,
}

impl MetricTransformation {
    /// The unit its data is stored with: the one set, else `None` (CloudWatch Logs
    /// API reference, MetricTransformation: "If you omit this, the unit is set as None").
    pub fn stored_unit(&self) -> &str {
        self.unit.as_deref().unwrap_or("None")
    }
}

/// An IAM role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// Its name.
    pub name: String,
    /// Its ARN.
    pub arn: String,
    /// Its trust policy, as JSON text (already URL-decoded).
    pub trust_policy: String,
    /// The ARN of its permissions boundary, if it has one.
    pub boundary: Option<String>,
}

/// What a role may do: its permission policies, and the boundary that limits them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RolePolicies {
    /// Every permission policy: inline, and the default version of each attached
    /// managed policy; JSON text, URL-decoded.
    pub documents: Vec<String>,
    /// Its permissions boundary's document, when it has one.
    pub boundary: Option<String>,
}

/// A metric alarm.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Alarm {
    /// Its name.
    pub name: String,
    /// Its ARN.
    pub arn: String,
    /// Its description.
    pub description: Option<String>,
    /// The metric's namespace (`None` for metric-math alarms).
    pub namespace: Option<String>,
    /// The metric's name (`None` for metric-math alarms).
    pub metric: Option<String>,
    /// Dimensions, as name and value.
    pub dimensions: Vec<(String, String)>,
    /// The unit of the data it looks at, when it names one: data in any other unit
    /// is invisible to it.
    pub unit: Option<String>,
    /// The statistic (`Sum`, `Average`, ...).
    pub statistic: Option<String>,
    /// A percentile statistic (`p99`, ...), instead of `statistic`.
    pub extended_statistic: Option<String>,
    /// The period, in seconds.
    pub period: Option<i32>,
    /// How many periods are evaluated.
    pub evaluation_periods: Option<i32>,
    /// How many of them must breach (defaults to `evaluation_periods`).
    pub datapoints_to_alarm: Option<i32>,
    /// The threshold.
    pub threshold: Option<f64>,
    /// The comparison operator, e.g. `GreaterThanOrEqualToThreshold`.
    pub comparison: Option<String>,
    /// Whether actions run.
    pub actions_enabled: bool,
    /// What is notified on entering ALARM.
    pub alarm_actions: Vec<String>,
    /// What is notified on entering OK.
    pub ok_actions: Vec<String>,
    /// What is notified on entering INSUFFICIENT_DATA.
    pub insufficient_data_actions: Vec<String>,
    /// How missing data is treated: `missing` (the default), `notBreaching`,
    /// `breaching` or `ignore`.
    pub treat_missing_data: Option<String>,
    /// The state now: `OK`, `ALARM` or `INSUFFICIENT_DATA`.
    pub state: Option<String>,
    /// Why it is in that state.
    pub state_reason: Option<String>,
    /// The data behind the state, as JSON; absent when set by hand.
    pub state_reason_data: Option<String>,
}

/// One state change of an alarm, from its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlarmHistoryItem {
    /// When.
    pub timestamp: String,
    /// The summary line.
    pub summary: String,
    /// The detail, as JSON (`oldState`, `newState`, ...).
    pub data: String,
}

/// An SNS subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Its ARN, or `PendingConfirmation` until it is confirmed.
    pub arn: String,
    /// The protocol: `email`, `email-json`, `sqs`, ...
    pub protocol: String,
    /// Where it delivers.
    pub endpoint: String,
}

/// An SNS topic's settings (GetTopicAttributes).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TopicAttributes {
    /// Its access policy, as JSON text; `None` when it has none.
    pub policy: Option<String>,
    /// The KMS key it encrypts messages with, as written (an id, an ARN, or an alias
    /// such as `alias/aws/sns`); `None` when it is not encrypted.
    pub kms_key: Option<String>,
}

/// Whether `key` (as a topic names it) is an alias of a key AWS manages for a
/// service, such as `alias/aws/sns`: its policy lets only that service use it.
pub fn is_aws_alias(key: &str) -> bool {
    let alias = key.rsplit_once(':').map_or(key, |(_, rest)| rest);
    alias.starts_with("alias/aws/")
}

/// A KMS key (DescribeKey, GetKeyPolicy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// Its ARN.
    pub arn: String,
    /// Whether AWS manages it (an `alias/aws/...` key), rather than its owner.
    pub aws_managed: bool,
    /// Its state: `Enabled`, `Disabled`, `PendingDeletion`...
    pub state: String,
    /// Its key policy, as JSON text.
    pub policy: String,
}

/// An SNS subscription's settings (GetSubscriptionAttributes).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SubscriptionAttributes {
    /// Its filter policy, as JSON text; `None` when it takes every message.
    pub filter_policy: Option<String>,
    /// What the filter policy is applied to: `MessageAttributes` (the default) or
    /// `MessageBody`.
    pub filter_policy_scope: Option<String>,
}

impl SubscriptionAttributes {
    /// The settings among a subscription's attributes, as GetSubscriptionAttributes
    /// returns them (and as SetSubscriptionAttributes sets them).
    pub fn from_attributes(
        attributes: impl IntoIterator<Item = (String, String)>,
    ) -> SubscriptionAttributes {
        let mut settings = SubscriptionAttributes::default();
        for (name, value) in attributes {
            let value = Some(value).filter(|v| !v.trim().is_empty());
            match name.as_str() {
                "FilterPolicy" => settings.filter_policy = value,
                "FilterPolicyScope" => settings.filter_policy_scope = value,
                _ => {}
            }
        }
        settings
    }
}

/// One period of a metric as CloudWatch stores it (GetMetricStatistics).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MetricPoint {
    /// When the period starts (seconds since the epoch).
    pub start: i64,
    /// The statistic asked for, over the period.
    pub value: f64,
}

impl Subscription {
    /// Confirmed subscriptions have an ARN; pending ones say `PendingConfirmation`.
    pub fn is_confirmed(&self) -> bool {
        self.arn.starts_with("arn:")
    }
}
