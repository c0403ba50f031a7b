//! The account as plain data: what `fetch` reads, and all that the checks judge.
//!
//! No SDK types cross this line, so every check is a pure function that unit tests
//! drive with hand-built snapshots. Each read is a [`Read`]: its value, or the
//! [`ReadError`] that kept it from being read, so one failing service never hides
//! the others, and an unreadable resource becomes an `error` finding, never a fail.
//!
//! Here: reads and their errors, the names looked for, and the snapshot itself. The
//! plain data of each service is in a module of its own, re-exported here.

mod cloudtrail;
mod cloudwatch;
mod iam;
mod kms;
mod logs;
mod secretsmanager;
mod sns;

pub use cloudtrail::{
    AdvancedSelector, BasicSelector, FieldSelector, HistoryEvent, ReadWrite, Selectors, Trail,
    TrailStatus, WatchedEvents, WriteEvent,
};
pub use cloudwatch::{Alarm, AlarmHistoryItem, MetricPoint};
pub use iam::{Role, RolePolicies};
pub use kms::{Key, is_aws_alias};
pub use logs::{LogGroup, LogStream, MetricFilter, MetricTransformation};
pub use secretsmanager::Secret;
pub use sns::{Subscription, SubscriptionAttributes, TopicAttributes};

use std::collections::BTreeMap;

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
    /// The secret, e.g. `payroll-db-password`, for a lab that has one.
    pub secret: Option<String>,
    /// The trail, e.g. `audit-trail`.
    pub trail: String,
    /// The trail's bucket.
    pub bucket: String,
    /// The log group, e.g. `audit-logs`.
    pub log_group: String,
    /// The role CloudTrail uses to write to the log group.
    pub role: String,
    /// The metric's namespace, e.g. `Audit`.
    pub namespace: String,
    /// The metric, e.g. `Sensitive calls`.
    pub metric: String,
    /// The alarm, e.g. `Sensitive calls`.
    pub alarm: String,
    /// The SNS topic, e.g. `alerts`.
    pub topic: String,
}

impl Names {
    /// The secret's name, or the one generated records use when the lab has none.
    pub fn secret_or_unnamed(&self) -> &str {
        self.secret
            .as_deref()
            .unwrap_or(crate::corpus::UNNAMED_SECRET)
    }
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
    /// Events from CloudTrail's event history, looked up as the lab's watch asks
    /// ([`crate::watch::Watch::lookups`]): among them, the lab's counted events.
    pub watched_events: Read<WatchedEvents>,
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
                Part::WatchedEvents => s.watched_events = unread(part),
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

/// What a snapshot was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// AWS's own endpoints.
    Aws,
    /// A custom endpoint: the lab sandbox or a plain emulator.
    Emulator,
}
