//! What a set of checks needs read: the parts of an account a fetch can read, and
//! a [`Scope`], a set of them. [`crate::catalogue::scope_of`] gives the scope of a set
//! of checks, so `lab check --stage 1` asks for the secret and nothing else.
//!
//! Each check lists the parts its judge looks at (the catalogue's `reads`); a scope
//! adds the parts of the checks it needs (judged first, to skip what depends on
//! them) and the parts whose answers name what another part reads (a trail's status
//! is asked for by the trail's ARN, found in the list of trails). A part outside the
//! scope is not read: the snapshot says so, and a judge that looked at it anyway
//! would report an error, never a verdict. A test in the judge drives every check
//! with every other part missing to keep the lists honest.

/// One thing the fetch can read: a call, or a set of calls of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// The lab's secret (DescribeSecret; never its value).
    Secret,
    /// Events of CloudTrail's event history among which the lab's counted events
    /// are looked for (LookupEvents).
    WatchedEvents,
    /// Every trail in the region (DescribeTrails).
    Trails,
    /// The lab's trail's status (GetTrailStatus).
    TrailStatus,
    /// The lab's trail's event selectors (GetEventSelectors).
    Selectors,
    /// Whether the trail's bucket and the lab's bucket exist (HeadBucket).
    Buckets,
    /// The log group the trail delivers to, and the lab's (DescribeLogGroups).
    LogGroups,
    /// The latest log streams in the delivered group (DescribeLogStreams).
    LogStreams,
    /// The trail's delivery role and the lab's (GetRole).
    Roles,
    /// What those roles may do: their permission policies and boundary
    /// (ListRolePolicies, GetRolePolicy, ListAttachedRolePolicies, GetPolicy,
    /// GetPolicyVersion).
    RolePolicies,
    /// Every metric filter in the region (DescribeMetricFilters).
    MetricFilters,
    /// TestMetricFilter on the filters that feed the lab's metric, when asked.
    FilterTests,
    /// Every metric alarm in the region (DescribeAlarms).
    Alarms,
    /// The lab's alarm's history (DescribeAlarmHistory).
    AlarmHistory,
    /// The lab's metric over the periods that sent its alarm into ALARM
    /// (GetMetricStatistics).
    MetricData,
    /// Every SNS topic in the region (ListTopics).
    Topics,
    /// The lab's topic's subscriptions (ListSubscriptionsByTopic).
    Subscriptions,
    /// The lab's topic's policy and encryption (GetTopicAttributes).
    TopicAttributes,
    /// The KMS key the lab's topic is encrypted with (DescribeKey, GetKeyPolicy).
    TopicKey,
    /// The filter policies of the topic's confirmed email subscriptions
    /// (GetSubscriptionAttributes).
    SubscriptionAttributes,
    /// The account's write calls in CloudTrail's event history (LookupEvents).
    WriteHistory,
}

impl Part {
    /// Every part, in the order above.
    pub const ALL: [Part; 21] = [
        Part::Secret,
        Part::WatchedEvents,
        Part::Trails,
        Part::TrailStatus,
        Part::Selectors,
        Part::Buckets,
        Part::LogGroups,
        Part::LogStreams,
        Part::Roles,
        Part::RolePolicies,
        Part::MetricFilters,
        Part::FilterTests,
        Part::Alarms,
        Part::AlarmHistory,
        Part::MetricData,
        Part::Topics,
        Part::Subscriptions,
        Part::TopicAttributes,
        Part::TopicKey,
        Part::SubscriptionAttributes,
        Part::WriteHistory,
    ];

    /// The parts whose answers say what this part asks for. Buckets, log groups
    /// and roles are also read by the lab's own names, so they need nothing.
    pub fn found_through(self) -> &'static [Part] {
        match self {
            Part::TrailStatus | Part::Selectors | Part::LogStreams => &[Part::Trails],
            Part::RolePolicies => &[Part::Roles],
            Part::AlarmHistory => &[Part::Alarms],
            Part::MetricData => &[Part::AlarmHistory],
            Part::Subscriptions | Part::TopicAttributes => &[Part::Topics],
            Part::TopicKey => &[Part::TopicAttributes],
            Part::SubscriptionAttributes => &[Part::Subscriptions],
            Part::FilterTests => &[Part::MetricFilters, Part::Secret],
            _ => &[],
        }
    }

    /// The API call that reads it, as IAM names it.
    pub fn action(self) -> &'static str {
        match self {
            Part::Secret => "secretsmanager:DescribeSecret",
            Part::WatchedEvents => "cloudtrail:LookupEvents",
            Part::Trails => "cloudtrail:DescribeTrails",
            Part::TrailStatus => "cloudtrail:GetTrailStatus",
            Part::Selectors => "cloudtrail:GetEventSelectors",
            Part::Buckets => "s3:ListBucket",
            Part::LogGroups => "logs:DescribeLogGroups",
            Part::LogStreams => "logs:DescribeLogStreams",
            Part::Roles => "iam:GetRole",
            Part::RolePolicies => "iam:GetRolePolicy",
            Part::MetricFilters => "logs:DescribeMetricFilters",
            Part::FilterTests => "logs:TestMetricFilter",
            Part::Alarms => "cloudwatch:DescribeAlarms",
            Part::AlarmHistory => "cloudwatch:DescribeAlarmHistory",
            Part::MetricData => "cloudwatch:GetMetricStatistics",
            Part::Topics => "sns:ListTopics",
            Part::Subscriptions => "sns:ListSubscriptionsByTopic",
            Part::TopicAttributes => "sns:GetTopicAttributes",
            Part::TopicKey => "kms:GetKeyPolicy",
            Part::SubscriptionAttributes => "sns:GetSubscriptionAttributes",
            Part::WriteHistory => "cloudtrail:LookupEvents",
        }
    }

    fn bit(self) -> u32 {
        1 << self as u32
    }
}

/// A set of parts to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scope(u32);

impl Scope {
    /// Every part: what judging every check reads.
    pub fn everything() -> Scope {
        Part::ALL.into_iter().fold(Scope::default(), Scope::with)
    }

    /// This scope and `part`, with what `part` is found through.
    pub fn with(self, part: Part) -> Scope {
        let scope = Scope(self.0 | part.bit());
        part.found_through()
            .iter()
            .copied()
            .fold(scope, Scope::with)
    }

    /// Whether `part` is to be read.
    pub fn reads(self, part: Part) -> bool {
        self.0 & part.bit() != 0
    }

    /// The parts to read, in [`Part::ALL`]'s order.
    pub fn parts(self) -> impl Iterator<Item = Part> {
        Part::ALL.into_iter().filter(move |p| self.reads(*p))
    }
}
