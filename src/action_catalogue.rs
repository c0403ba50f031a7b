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
    TrailCreate,
    /// The trail's event selectors.
    TrailEventSelectors,
    /// The trail's SNS notifications on or off.
    TrailSnsNotifications {
        /// On (`true`) or off.
        enabled: bool,
    },
    /// The trail delivering to the log group through its role.
    LogsDeliverTrail,
    /// The metric filter.
    LogsMetricFilter,
    /// The topic and the email subscription.
    SnsTopic,
    /// The subscription confirmed (the sandbox only).
    SnsConfirm,
    /// The alarm, with this statistic and period.
    AlarmPut {
        /// One of [`STATISTICS`].
        statistic: &'static str,
        /// Seconds.
        period: i32,
    },
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

/// `spec` invoked with `params`; `None` when the parameters are not as the spec
/// says (lesson loading checks that first, and reports where).
pub fn invoke(spec: &ActionSpec, params: &Params) -> Option<Invocation> {
    Some(match spec.action {
        Action::SecretCreate => Invocation::SecretCreate,
        Action::SecretRead => Invocation::SecretRead {
            console: match params.get("via") {
                None => false,
                Some(ParamValue::Text(via)) => match via.as_str() {
                    "console" => true,
                    "cli" => false,
                    _ => return None,
                },
                Some(_) => return None,
            },
        },
        Action::TrailCreate => Invocation::TrailCreate,
        Action::TrailEventSelectors => Invocation::TrailEventSelectors,
        Action::TrailSnsNotifications => Invocation::TrailSnsNotifications {
            enabled: match params.get("enabled")? {
                ParamValue::Bool(enabled) => *enabled,
                _ => return None,
            },
        },
        Action::LogsDeliverTrail => Invocation::LogsDeliverTrail,
        Action::LogsMetricFilter => Invocation::LogsMetricFilter,
        Action::SnsTopic => Invocation::SnsTopic,
        Action::SnsConfirm => Invocation::SnsConfirm,
        Action::AlarmPut => Invocation::AlarmPut {
            statistic: match params.get("statistic")? {
                ParamValue::Text(text) => STATISTICS.iter().find(|s| *s == text)?,
                _ => return None,
            },
            period: match params.get("period")? {
                ParamValue::Integer(period) => i32::try_from(*period).ok()?,
                _ => return None,
            },
        },
        Action::AlarmSetState => Invocation::AlarmSetState,
        Action::RootUse => Invocation::RootUse,
        Action::TrailLogFileValidation => Invocation::TrailLogFileValidation {
            enabled: match params.get("enabled")? {
                ParamValue::Bool(enabled) => *enabled,
                _ => return None,
            },
        },
        Action::CleanupAll => Invocation::CleanupAll,
    })
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
        params: &[],
        deletes: false,
        variables: &[],
        iam: &[
            "s3:CreateBucket",
            "s3:GetBucketPolicy",
            "s3:PutBucketPolicy",
            "s3:GetBucketTagging",
            "s3:PutBucketTagging",
            "cloudtrail:CreateTrail",
            "cloudtrail:AddTags",
            "cloudtrail:ListTags",
            "cloudtrail:StartLogging",
        ],
    },
    ActionSpec {
        action: Action::TrailEventSelectors,
        id: "trail.event_selectors",
        summary: "Record read and write management events, excluding AWS KMS and RDS Data API",
        params: &[],
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
        summary: "Create the metric filter that counts GetSecretValue events into the metric",
        params: &[],
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
mod tests {
    use super::*;

    /// The variables each action lists are the ones the actions' code reads (by
    /// `ctx.value("...")`), both ways, so lint's check of a lab's variables holds.
    #[test]
    fn the_variables_actions_list_are_those_their_code_reads() {
        let code = crate::actions::SOURCES.concat();
        let mut read: Vec<&str> = code
            .split("ctx.value(\"")
            .skip(1)
            .filter_map(|rest| rest.split_once('"').map(|(name, _)| name))
            .collect();
        read.sort_unstable();
        read.dedup();
        let mut listed: Vec<&str> = CATALOGUE
            .iter()
            .flat_map(|a| a.variables)
            .copied()
            .collect();
        listed.sort_unstable();
        listed.dedup();
        assert!(read.len() >= 4, "found only {read:?}");
        assert_eq!(listed, read);
    }

    #[test]
    fn each_action_is_invoked_with_its_parameters_typed() {
        let put = find("alarm.put").unwrap();
        let mut params = Params::new();
        assert_eq!(
            invoke(put, &params),
            None,
            "statistic and period are required"
        );
        params.insert("statistic".into(), ParamValue::Text("Sum".into()));
        params.insert("period".into(), ParamValue::Integer(60));
        assert_eq!(
            invoke(put, &params),
            Some(Invocation::AlarmPut {
                statistic: "Sum",
                period: 60
            })
        );
        params.insert("statistic".into(), ParamValue::Text("Median".into()));
        assert_eq!(invoke(put, &params), None);
        for spec in CATALOGUE.iter().filter(|s| s.params.is_empty()) {
            assert!(invoke(spec, &Params::new()).is_some(), "{}", spec.id);
        }
    }
}
