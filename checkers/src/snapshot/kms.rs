//! KMS as plain data: the key an encrypted topic names.

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
