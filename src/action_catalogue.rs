//! What `lab` can do for a learner: the "do it for me" actions, by stable id.
//!
//! A lesson step names its action with `do:`; lesson loading rejects any id not listed
//! here, and any parameter its spec does not declare. Performing the actions through
//! the AWS SDK is the runner's job (`lab run`); this catalogue is what lessons and the
//! runner agree on.

use checkers::{ParamKind, ParamSpec};

/// One action: its id, what it does, and its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionSpec {
    /// Stable id, `area.verb`, e.g. `alarm.put`.
    pub id: &'static str,
    /// What it does, in one line, as the runner announces it.
    pub summary: &'static str,
    /// Parameters a lesson may or must pass with `with:`.
    pub params: &'static [ParamSpec],
}

/// The statistics CloudWatch alarms accept, as lessons write them.
pub const STATISTICS: &[&str] = &["Sum", "Average", "Maximum", "Minimum", "SampleCount"];

/// Every action, in the order of the lab.
pub const CATALOGUE: &[ActionSpec] = &[
    ActionSpec {
        id: "secret.create",
        summary: "Store the secret in Secrets Manager (a demo value, default encryption, no rotation)",
        params: &[],
    },
    ActionSpec {
        id: "trail.create",
        summary: "Create the log bucket (only this trail may write) and the trail, then start logging",
        params: &[],
    },
    ActionSpec {
        id: "trail.event_selectors",
        summary: "Record read and write management events, excluding AWS KMS and RDS Data API",
        params: &[],
    },
    ActionSpec {
        id: "secret.read",
        summary: "Read the secret once (GetSecretValue) so CloudTrail records an access; the value is never shown",
        params: &[],
    },
    ActionSpec {
        id: "logs.deliver_trail",
        summary: "Create the log group and the role CloudTrail uses to write to it, and connect the trail",
        params: &[],
    },
    ActionSpec {
        id: "logs.metric_filter",
        summary: "Create the metric filter that counts GetSecretValue events into the metric",
        params: &[],
    },
    ActionSpec {
        id: "sns.topic",
        summary: "Create the SNS topic and subscribe the learner's email address to it",
        params: &[],
    },
    ActionSpec {
        id: "sns.confirm",
        summary: "Confirm the email subscription with the token from its confirmation message (the sandbox's mailbox only: on AWS, only the inbox's owner can)",
        params: &[],
    },
    ActionSpec {
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
    },
    ActionSpec {
        id: "alarm.set_state",
        summary: "Set the alarm to ALARM by hand, to test the notification path on its own",
        params: &[],
    },
    ActionSpec {
        id: "trail.sns_notifications",
        summary: "Turn the trail's SNS notification delivery on or off",
        params: &[ParamSpec {
            name: "enabled",
            description: "true to send a notification for every log file, false to stop",
            kind: ParamKind::Bool,
            required: true,
        }],
    },
    ActionSpec {
        id: "cleanup.all",
        summary: "Delete every resource the lab created, in an order AWS accepts",
        params: &[],
    },
];

/// The catalogue entry for `id`, if there is one.
pub fn find(id: &str) -> Option<&'static ActionSpec> {
    CATALOGUE.iter().find(|a| a.id == id)
}
