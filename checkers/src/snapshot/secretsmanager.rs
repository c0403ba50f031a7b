//! Secrets Manager as plain data: the secret.

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
