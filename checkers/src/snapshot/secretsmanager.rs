//! Secrets Manager as plain data: the secret, and the reads of secrets event history
//! holds.

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
