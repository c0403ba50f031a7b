//! SNS as plain data: subscriptions and the settings of topics and subscriptions.

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

impl Subscription {
    /// Confirmed subscriptions have an ARN; pending ones say `PendingConfirmation`.
    pub fn is_confirmed(&self) -> bool {
        self.arn.starts_with("arn:")
    }
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
