//! Secrets Manager as plain data: the secret, and the events of CloudTrail's event
//! history among which a lab's counted events are looked for.

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

/// One event from CloudTrail's event history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEvent {
    /// When.
    pub time: String,
    /// Who (the user name CloudTrail gives).
    pub user: Option<String>,
    /// Who, as the caller's ARN (`userIdentity.arn`), where the record gives one.
    pub principal: Option<String>,
    /// The whole record, as CloudTrail gives it (`CloudTrailEvent`): what the lab's
    /// watch classifies.
    pub record: String,
}
