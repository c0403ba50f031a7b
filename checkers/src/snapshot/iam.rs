//! IAM as plain data: a role, and what it may do.

/// An IAM role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// Its name.
    pub name: String,
    /// Its ARN.
    pub arn: String,
    /// Its trust policy, as JSON text (already URL-decoded).
    pub trust_policy: String,
    /// The ARN of its permissions boundary, if it has one.
    pub boundary: Option<String>,
}

/// What a role may do: its permission policies, and the boundary that limits them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RolePolicies {
    /// Every permission policy: inline, and the default version of each attached
    /// managed policy; JSON text, URL-decoded.
    pub documents: Vec<String>,
    /// Its permissions boundary's document, when it has one.
    pub boundary: Option<String>,
}
