//! May CloudTrail deliver a trail's events to a log group through a role? Asked by
//! CloudTrail when a trail is changed (an UpdateTrail it would refuse: see
//! [`super::refusals`]) and again before every delivery ([`super::cloudtrail`]).

use checkers::fetch::Clients;
use checkers::policy::{self, Access, Caller, Request};

const CLOUDTRAIL: &str = "cloudtrail.amazonaws.com";

/// Why CloudTrail may not deliver the trail's events to a log group through a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    /// The role is missing, or CloudTrail may not assume it for this trail.
    Role,
    /// The role's permissions (within its boundary) do not let it create the
    /// trail's log stream in the group and put events in it.
    Group,
}

/// AWS's words when CloudTrail cannot use the role, at UpdateTrail and in
/// GetTrailStatus's `LatestCloudWatchLogsDeliveryError`.
pub const DELIVERY_DENIED: &str =
    "Access denied. Verify in IAM that the role has adequate permissions.";

/// Whether CloudTrail may deliver the events of the trail `trail_arn` (in `account`
/// and `region`) to `group_arn` through `role_arn`: the role exists, its trust
/// policy lets `cloudtrail.amazonaws.com` assume it for this trail, and its
/// permissions, within its boundary, allow `logs:CreateLogStream` and
/// `logs:PutLogEvents` on the trail's log stream (CloudTrail User Guide, "Role policy
/// document for CloudTrail to use CloudWatch Logs for monitoring"). Asked when a
/// trail is changed, and again before every delivery: a role narrowed or untrusted
/// since stops the deliveries, as on AWS.
pub async fn delivery_denied(
    aws: &Clients,
    trail_arn: &str,
    account: &str,
    region: &str,
    role_arn: &str,
    group_arn: &str,
) -> Option<Denial> {
    let role = checkers::arn::last_name(role_arn);
    let Ok(found) = aws.iam.get_role().role_name(role).send().await else {
        return Some(Denial::Role);
    };
    let found = found.role()?;
    let trust = found
        .assume_role_policy_document()
        .map(policy::url_decode)
        .unwrap_or_default();
    let trusted = policy::service_may_assume(&trust, CLOUDTRAIL, trail_arn, account);
    if refuses(&trusted, "trust policy") {
        return Some(Denial::Role);
    }
    let boundary = found
        .permissions_boundary()
        .and_then(|b| b.permissions_boundary_arn());
    let Ok(policies) = checkers::fetch::role_policies(&aws.iam, role, boundary, &|| {}).await
    else {
        return Some(Denial::Group);
    };
    let group = checkers::arn::log_group_name(group_arn);
    let stream = format!(
        "arn:aws:logs:{region}:{account}:log-group:{group}:log-stream:{account}_CloudTrail_{region}"
    );
    let documents: Vec<&str> = policies.documents.iter().map(String::as_str).collect();
    for action in ["logs:CreateLogStream", "logs:PutLogEvents"] {
        let access = policy::allowed_within(
            &documents,
            policies.boundary.as_deref(),
            &Request {
                caller: Caller::Holder,
                action,
                resource: Some(&stream),
                context: &[],
                absent: &[],
            },
        );
        if refuses(&access, "role's permissions") {
            return Some(Denial::Group);
        }
    }
    None
}

/// Whether AWS would refuse on this answer: a denial. A policy the sandbox cannot
/// read all of is let through, and said in the sandbox's log.
pub(crate) fn refuses(access: &Access, what: &str) -> bool {
    match access {
        Access::Allowed => false,
        Access::Denied(_) => true,
        Access::Unknown(why) => {
            tracing::info!("let through: cannot read all of the {what} ({why})");
            false
        }
    }
}
