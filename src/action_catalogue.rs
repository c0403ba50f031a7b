//! What `lab` can do for a learner: the "do it for me" actions, by stable id.
//!
//! A lesson step names its action with `do:`; lesson loading rejects any id not listed
//! here, and any parameter its spec does not declare. Performing the actions through
//! the AWS SDK is the runner's job (`lab run`); this catalogue is what lessons and the
//! runner agree on.

use checkers::{ParamKind, ParamSpec, ParamValue, Params};

/// Every action, as a value: each is the action of the id its name spells
/// (`SecretCreate` is `secret.create`), as [`CATALOGUE`] lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    SecretCreate,
    TrailCreate,
    TrailEventSelectors,
    SecretRead,
    LogsDeliverTrail,
    LogsMetricFilter,
    SnsTopic,
    SnsConfirm,
    AlarmPut,
    AlarmSetState,
    RootUse,
    TrailLogFileValidation,
    TrailSnsNotifications,
    CleanupAll,
}

/// An action as a step invokes it, its parameters typed: what "do it for me"
/// performs. Built once, when the lessons load ([`invoke`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invocation {
    /// Store the secret.
    SecretCreate,
    /// Read the secret once: as a script does, or as the console's secret page does.
    SecretRead {
        /// Through the console's page: its details first, then the value.
        console: bool,
    },
    /// The bucket, its policy, the trail, logging.
    TrailCreate {
        /// A trail that records every region, not only its home.
        multi_region: bool,
    },
    /// The trail's event selectors.
    TrailEventSelectors(SelectorChoice),
    /// The trail's SNS notifications on or off.
    TrailSnsNotifications {
        /// On (`true`) or off.
        enabled: bool,
    },
    /// The trail delivering to the log group through its role.
    LogsDeliverTrail,
    /// The metric filter.
    LogsMetricFilter(FilterChoice),
    /// The topic and the email subscription.
    SnsTopic,
    /// The subscription confirmed (the sandbox only).
    SnsConfirm,
    /// The alarm.
    AlarmPut(AlarmChoice),
    /// The alarm set to ALARM by hand.
    AlarmSetState,
    /// One call as the account's root user (the sandbox only).
    RootUse,
    /// The trail's log file validation on or off.
    TrailLogFileValidation {
        /// On (`true`) or off.
        enabled: bool,
    },
    /// Every resource the lab created, deleted.
    CleanupAll,
}

/// What `trail.event_selectors` records: management events of one kind, with or
/// without the two noisy sources the console offers to leave out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SelectorChoice {
    /// `All`, `ReadOnly` or `WriteOnly`, as CloudTrail spells them.
    pub read_write: &'static str,
    /// Leave out AWS KMS events (`kms.amazonaws.com`).
    pub exclude_kms: bool,
    /// Leave out Amazon RDS Data API events (`rdsdata.amazonaws.com`).
    pub exclude_rds_data: bool,
}

impl SelectorChoice {
    /// The event sources left out, as CloudTrail names them.
    pub fn excluded_sources(&self) -> Vec<&'static str> {
        [
            (self.exclude_kms, "kms.amazonaws.com"),
            (self.exclude_rds_data, "rdsdata.amazonaws.com"),
        ]
        .into_iter()
        .filter_map(|(left_out, source)| left_out.then_some(source))
        .collect()
    }
}

/// What `logs.metric_filter` emits: 1 per match into the lab's metric, and these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilterChoice {
    /// The value emitted for every event the pattern does not match; `None` emits
    /// nothing then.
    pub default_value: Option<i64>,
    /// The unit the metric is published with; `None` for none.
    pub unit: Option<&'static str>,
}

/// The alarm `alarm.put` makes: Sum or another statistic over a period, firing at
/// one, notifying the lab's topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlarmChoice {
    /// One of [`STATISTICS`].
    pub statistic: &'static str,
    /// Seconds.
    pub period: i32,
    /// The unit the alarm asks the metric for; `None` for any.
    pub unit: Option<&'static str>,
    /// One of [`MISSING_DATA`]; `None` leaves CloudWatch's default (`missing`).
    pub treat_missing_data: Option<&'static str>,
}

/// `spec` invoked with `params`; `None` when the parameters are not as the spec
/// says (lesson loading checks that first, and reports where). A parameter left out
/// takes the default its [`ParamSpec`] describes.
pub fn invoke(spec: &ActionSpec, params: &Params) -> Option<Invocation> {
    Some(match spec.action {
        Action::SecretCreate => Invocation::SecretCreate,
        Action::SecretRead => Invocation::SecretRead {
            console: word(params, "via", &["cli", "console"])? == Some("console"),
        },
        Action::TrailCreate => Invocation::TrailCreate {
            multi_region: flag(params, "multi_region", false)?,
        },
        Action::TrailEventSelectors => Invocation::TrailEventSelectors(SelectorChoice {
            read_write: word(params, "read_write", READ_WRITE)?.unwrap_or("All"),
            exclude_kms: flag(params, "exclude_kms", true)?,
            exclude_rds_data: flag(params, "exclude_rds_data", true)?,
        }),
        Action::TrailSnsNotifications => Invocation::TrailSnsNotifications {
            enabled: required_flag(params, "enabled")?,
        },
        Action::LogsDeliverTrail => Invocation::LogsDeliverTrail,
        Action::LogsMetricFilter => Invocation::LogsMetricFilter(FilterChoice {
            default_value: match params.get("default_value") {
                None => Some(0),
                Some(ParamValue::Integer(n)) => Some(*n),
                Some(ParamValue::Text(t)) if t == "none" => None,
                Some(_) => return None,
            },
            unit: word(params, "unit", UNITS)?,
        }),
        Action::SnsTopic => Invocation::SnsTopic,
        Action::SnsConfirm => Invocation::SnsConfirm,
        Action::AlarmPut => Invocation::AlarmPut(AlarmChoice {
            statistic: word(params, "statistic", STATISTICS)??,
            period: match params.get("period")? {
                ParamValue::Integer(period) => i32::try_from(*period).ok()?,
                _ => return None,
            },
            unit: word(params, "unit", UNITS)?,
            treat_missing_data: word(params, "treat_missing_data", MISSING_DATA)?,
        }),
        Action::AlarmSetState => Invocation::AlarmSetState,
        Action::RootUse => Invocation::RootUse,
        Action::TrailLogFileValidation => Invocation::TrailLogFileValidation {
            enabled: required_flag(params, "enabled")?,
        },
        Action::CleanupAll => Invocation::CleanupAll,
    })
}

/// The boolean `name`, or `default` when it is not given; `None` when it is not a
/// boolean.
fn flag(params: &Params, name: &str, default: bool) -> Option<bool> {
    match params.get(name) {
        None => Some(default),
        Some(ParamValue::Bool(value)) => Some(*value),
        Some(_) => None,
    }
}

fn required_flag(params: &Params, name: &str) -> Option<bool> {
    params.get(name)?;
    flag(params, name, false)
}

/// The word `name`, one of `words` (`Some(None)` when it is not given); `None` when
/// it is not one of them.
fn word(
    params: &Params,
    name: &str,
    words: &'static [&'static str],
) -> Option<Option<&'static str>> {
    match params.get(name) {
        None => Some(None),
        Some(ParamValue::Text(text)) => words.iter().find(|w| *w == text).copied().map(Some),
        Some(_) => None,
    }
}

/// One action: its id, what it does, and its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionSpec {
    /// The action, for dispatch.
    pub action: Action,
    /// Stable id, `area.verb`, e.g. `alarm.put`.
    pub id: &'static str,
    /// What it does, in one line, as the runner announces it.
    pub summary: &'static str,
    /// Parameters a lesson may or must pass with `with:`.
    pub params: &'static [ParamSpec],
    /// Whether it deletes what the lab built: the interactive guide asks first.
    pub deletes: bool,
    /// The lab variables it reads beyond the chain's resource names
    /// ([`crate::session::NAME_VARIABLES`]): `secret_name`, `email`, ...; a lab that
    /// uses the action must define them.
    pub variables: &'static [&'static str],
    /// The IAM actions it needs beyond `lab check`'s reads
    /// ([`crate::permissions::CHECK`]): what its code calls, as IAM names them.
    pub iam: &'static [&'static str],
}

/// The statistics CloudWatch alarms accept, as lessons write them.
pub const STATISTICS: &[&str] = &["Sum", "Average", "Maximum", "Minimum", "SampleCount"];

/// CloudTrail's kinds of management event a basic selector takes (`ReadWriteType`).
pub const READ_WRITE: &[&str] = &["All", "ReadOnly", "WriteOnly"];

/// What an alarm does with a period that has no data (`TreatMissingData`,
/// "Configuring how CloudWatch alarms treat missing data",
/// <https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html>).
pub const MISSING_DATA: &[&str] = &["missing", "notBreaching", "breaching", "ignore"];

/// CloudWatch's units (`StandardUnit`, "MetricDatum",
/// <https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html>),
/// which a metric filter's metric and an alarm may name.
pub const UNITS: &[&str] = &[
    "Seconds",
    "Microseconds",
    "Milliseconds",
    "Bytes",
    "Kilobytes",
    "Megabytes",
    "Gigabytes",
    "Terabytes",
    "Bits",
    "Kilobits",
    "Megabits",
    "Gigabits",
    "Terabits",
    "Percent",
    "Count",
    "Bytes/Second",
    "Kilobytes/Second",
    "Megabytes/Second",
    "Gigabytes/Second",
    "Terabytes/Second",
    "Bits/Second",
    "Kilobits/Second",
    "Megabits/Second",
    "Gigabits/Second",
    "Terabits/Second",
    "Count/Second",
    "None",
];

/// Every action, in the order of the lab.
pub const CATALOGUE: &[ActionSpec] = &[
    ActionSpec {
        action: Action::SecretCreate,
        id: "secret.create",
        summary: "Store the secret in Secrets Manager (a demo value, default encryption, no rotation)",
        params: &[],
        deletes: false,
        variables: &["secret_name", "secret_description"],
        iam: &[
            "secretsmanager:CreateSecret",
            "secretsmanager:TagResource",
            "secretsmanager:RestoreSecret",
        ],
    },
    ActionSpec {
        action: Action::TrailCreate,
        id: "trail.create",
        summary: "Create the log bucket (only this trail may write) and the trail, then start logging",
        params: &[ParamSpec {
            name: "multi_region",
            description: "true for a trail that records every region of the account (CIS 3.1); false (the default) makes a new trail record its own region only, and leaves an existing trail's regions as they are",
            kind: ParamKind::Bool,
            required: false,
        }],
        deletes: false,
        variables: &[],
        iam: &[
            "s3:CreateBucket",
            "s3:GetBucketPolicy",
            "s3:PutBucketPolicy",
            "s3:GetBucketTagging",
            "s3:PutBucketTagging",
            "cloudtrail:CreateTrail",
            "cloudtrail:UpdateTrail",
            "cloudtrail:AddTags",
            "cloudtrail:ListTags",
            "cloudtrail:StartLogging",
        ],
    },
    ActionSpec {
        action: Action::TrailEventSelectors,
        id: "trail.event_selectors",
        summary: "Set which management events the trail records (by default read and write, AWS KMS and RDS Data API left out)",
        params: &[
            ParamSpec {
                name: "read_write",
                description: "which management events: All (the default), ReadOnly or WriteOnly",
                kind: ParamKind::OneOf(READ_WRITE),
                required: false,
            },
            ParamSpec {
                name: "exclude_kms",
                description: "leave out AWS KMS events (true, the default) or record them",
                kind: ParamKind::Bool,
                required: false,
            },
            ParamSpec {
                name: "exclude_rds_data",
                description: "leave out Amazon RDS Data API events (true, the default) or record them",
                kind: ParamKind::Bool,
                required: false,
            },
        ],
        deletes: false,
        variables: &[],
        iam: &["cloudtrail:PutEventSelectors"],
    },
    ActionSpec {
        action: Action::SecretRead,
        id: "secret.read",
        summary: "Read the secret once (GetSecretValue) so CloudTrail records an access; the value is never shown",
        params: &[ParamSpec {
            name: "via",
            description: "`cli` (the default): GetSecretValue alone, as a script reads it; `console`: as the console's secret page reads it, its details (DescribeSecret) first, then the value (GetSecretValue)",
            kind: ParamKind::OneOf(&["cli", "console"]),
            required: false,
        }],
        deletes: false,
        variables: &["secret_name"],
        iam: &["secretsmanager:GetSecretValue"],
    },
    ActionSpec {
        action: Action::LogsDeliverTrail,
        id: "logs.deliver_trail",
        summary: "Create the log group and the role CloudTrail uses to write to it, and connect the trail",
        params: &[],
        deletes: false,
        variables: &[],
        iam: &[
            "logs:CreateLogGroup",
            "logs:TagResource",
            "iam:CreateRole",
            "iam:TagRole",
            "iam:UpdateAssumeRolePolicy",
            "iam:PutRolePolicy",
            "iam:PassRole",
            "cloudtrail:UpdateTrail",
        ],
    },
    ActionSpec {
        action: Action::LogsMetricFilter,
        id: "logs.metric_filter",
        summary: "Create the metric filter: 1 into the metric for every event its pattern matches",
        params: &[
            ParamSpec {
                name: "default_value",
                description: "what the filter emits for an event its pattern does not match: a number (0, the default) or none, for nothing",
                kind: ParamKind::IntegerOr {
                    min: 0,
                    max: 1_000,
                    word: "none",
                },
                required: false,
            },
            ParamSpec {
                name: "unit",
                description: "the unit the metric is published with (none by default), e.g. Count",
                kind: ParamKind::OneOf(UNITS),
                required: false,
            },
        ],
        deletes: false,
        variables: &["filter_name", "filter_pattern"],
        iam: &["logs:PutMetricFilter"],
    },
    ActionSpec {
        action: Action::SnsTopic,
        id: "sns.topic",
        summary: "Create the SNS topic and subscribe the learner's email address to it",
        params: &[],
        deletes: false,
        variables: &["email"],
        iam: &[
            "sns:CreateTopic",
            "sns:TagResource",
            "sns:ListTagsForResource",
            "sns:Subscribe",
        ],
    },
    ActionSpec {
        action: Action::SnsConfirm,
        id: "sns.confirm",
        summary: "Confirm the email subscription with the token from its confirmation message (the sandbox's mailbox only: on AWS, only the inbox's owner can)",
        params: &[],
        deletes: false,
        variables: &[],
        iam: &[],
    },
    ActionSpec {
        action: Action::AlarmPut,
        id: "alarm.put",
        summary: "Create or update the alarm on the metric, notifying the topic",
        params: &[
            ParamSpec {
                name: "statistic",
                description: "the statistic the alarm evaluates",
                kind: ParamKind::OneOf(STATISTICS),
                required: true,
            },
            ParamSpec {
                name: "period",
                description: "the evaluation period, in seconds",
                kind: ParamKind::Integer {
                    min: 10,
                    max: 86_400,
                },
                required: true,
            },
            ParamSpec {
                name: "unit",
                description: "the unit the alarm asks of the metric (any by default); it must be the unit the metric filter publishes, or the alarm sees no data",
                kind: ParamKind::OneOf(UNITS),
                required: false,
            },
            ParamSpec {
                name: "treat_missing_data",
                description: "what a period without data counts as: missing (the default), notBreaching, breaching or ignore",
                kind: ParamKind::OneOf(MISSING_DATA),
                required: false,
            },
        ],
        deletes: false,
        variables: &["alarm_description"],
        iam: &[
            "cloudwatch:PutMetricAlarm",
            "cloudwatch:TagResource",
            "cloudwatch:ListTagsForResource",
        ],
    },
    ActionSpec {
        action: Action::AlarmSetState,
        id: "alarm.set_state",
        summary: "Set the alarm to ALARM by hand, to test the notification path on its own",
        params: &[],
        deletes: false,
        variables: &[],
        iam: &["cloudwatch:SetAlarmState"],
    },
    ActionSpec {
        action: Action::RootUse,
        id: "root.use",
        summary: "Make one call as the account's root user (IAM ListAccountAliases; the sandbox only: on AWS, only you can sign in as root)",
        params: &[],
        deletes: false,
        variables: &[],
        iam: &[],
    },
    ActionSpec {
        action: Action::TrailLogFileValidation,
        id: "trail.log_file_validation",
        summary: "Turn the trail's log file validation on or off (an UpdateTrail: a change to the trail's configuration)",
        params: &[ParamSpec {
            name: "enabled",
            description: "true to have CloudTrail sign a digest of every log file, false to stop",
            kind: ParamKind::Bool,
            required: true,
        }],
        deletes: false,
        variables: &[],
        iam: &["cloudtrail:UpdateTrail"],
    },
    ActionSpec {
        action: Action::TrailSnsNotifications,
        id: "trail.sns_notifications",
        summary: "Turn the trail's SNS notification delivery on or off",
        params: &[ParamSpec {
            name: "enabled",
            description: "true to send a notification for every log file, false to stop",
            kind: ParamKind::Bool,
            required: true,
        }],
        deletes: false,
        variables: &[],
        iam: &["cloudtrail:UpdateTrail", "sns:SetTopicAttributes"],
    },
    ActionSpec {
        action: Action::CleanupAll,
        id: "cleanup.all",
        summary: "Delete every resource the lab created, in an order AWS accepts",
        params: &[],
        deletes: true,
        variables: &[],
        iam: &[
            "cloudtrail:ListTags",
            "cloudtrail:UpdateTrail",
            "cloudtrail:StopLogging",
            "cloudtrail:DeleteTrail",
            "s3:GetBucketTagging",
            "s3:ListBucketVersions",
            "s3:DeleteObject",
            "s3:DeleteObjectVersion",
            "s3:DeleteBucket",
            "logs:ListTagsForResource",
            "logs:DeleteLogGroup",
            "iam:DeleteRolePolicy",
            "iam:DetachRolePolicy",
            "iam:DeleteRole",
            "sns:ListTagsForResource",
            "sns:Unsubscribe",
            "sns:DeleteTopic",
            "cloudwatch:ListTagsForResource",
            "cloudwatch:DeleteAlarms",
            "secretsmanager:DeleteSecret",
        ],
    },
];

/// The catalogue entry for `id`, if there is one.
pub fn find(id: &str) -> Option<&'static ActionSpec> {
    CATALOGUE.iter().find(|a| a.id == id)
}

#[cfg(test)]
mod tests;
