//! IAM: the roles CloudTrail delivers through, their trust, and what they may do.

use super::{Calls, Clients, is_not_found};
use crate::policy::url_decode;
use crate::read_error::{classify, code};
use crate::snapshot::{Read, Role, RolePolicies};

pub(super) async fn role(c: &Clients, calls: &Calls, name: &str) -> Read<Option<Role>> {
    calls.tick();
    match c.iam.get_role().role_name(name).send().await {
        Ok(out) => Ok(out.role().map(|r| Role {
            name: r.role_name().to_string(),
            arn: r.arn().to_string(),
            trust_policy: url_decode(r.assume_role_policy_document().unwrap_or_default()),
            boundary: r
                .permissions_boundary()
                .and_then(|b| b.permissions_boundary_arn())
                .map(str::to_string),
        })),
        Err(e) if is_not_found(code(&e)) => Ok(None),
        Err(e) => Err(classify("iam:GetRole", &e)),
    }
}

/// What the role `name` may do: every inline policy, the default version of every
/// attached managed policy, and the document of its permissions boundary (`boundary`,
/// its ARN), each URL-decoded. `tick` is called once per request, so a caller can
/// count them. The sandbox reads a role this way too, to decide CloudTrail's
/// deliveries.
pub async fn role_policies(
    iam: &aws_sdk_iam::Client,
    name: &str,
    boundary: Option<&str>,
    tick: &(dyn Fn() + Sync),
) -> Read<RolePolicies> {
    let (inline, attached, boundary) = futures_util::join!(
        inline_policies(iam, name, tick),
        attached_policies(iam, name, tick),
        async {
            match boundary {
                Some(arn) => managed_policy(iam, arn, tick).await.map(Some),
                None => Ok(None),
            }
        }
    );
    let mut documents = inline?;
    documents.extend(attached?);
    Ok(RolePolicies {
        documents,
        boundary: boundary?,
    })
}

async fn inline_policies(
    iam: &aws_sdk_iam::Client,
    role: &str,
    tick: &(dyn Fn() + Sync),
) -> Read<Vec<String>> {
    let mut names = Vec::new();
    let mut marker = None;
    loop {
        tick();
        let out = iam
            .list_role_policies()
            .role_name(role)
            .set_marker(marker)
            .send()
            .await
            .map_err(|e| classify("iam:ListRolePolicies", &e))?;
        names.extend(out.policy_names().iter().cloned());
        marker = out.marker().map(str::to_string);
        if !out.is_truncated() || marker.is_none() {
            break;
        }
    }
    let documents = futures_util::future::join_all(names.iter().map(|policy| async move {
        tick();
        iam.get_role_policy()
            .role_name(role)
            .policy_name(policy)
            .send()
            .await
            .map(|out| url_decode(out.policy_document()))
            .map_err(|e| classify("iam:GetRolePolicy", &e))
    }))
    .await;
    documents.into_iter().collect()
}

async fn attached_policies(
    iam: &aws_sdk_iam::Client,
    role: &str,
    tick: &(dyn Fn() + Sync),
) -> Read<Vec<String>> {
    let mut arns = Vec::new();
    let mut marker = None;
    loop {
        tick();
        let out = iam
            .list_attached_role_policies()
            .role_name(role)
            .set_marker(marker)
            .send()
            .await
            .map_err(|e| classify("iam:ListAttachedRolePolicies", &e))?;
        arns.extend(
            out.attached_policies()
                .iter()
                .filter_map(|p| p.policy_arn())
                .map(str::to_string),
        );
        marker = out.marker().map(str::to_string);
        if !out.is_truncated() || marker.is_none() {
            break;
        }
    }
    let documents =
        futures_util::future::join_all(arns.iter().map(|arn| managed_policy(iam, arn, tick))).await;
    documents.into_iter().collect()
}

/// The default version of the managed policy `arn`.
async fn managed_policy(
    iam: &aws_sdk_iam::Client,
    arn: &str,
    tick: &(dyn Fn() + Sync),
) -> Read<String> {
    tick();
    let policy = iam
        .get_policy()
        .policy_arn(arn)
        .send()
        .await
        .map_err(|e| classify("iam:GetPolicy", &e))?;
    let version = policy
        .policy()
        .and_then(|p| p.default_version_id())
        .unwrap_or("v1")
        .to_string();
    tick();
    let found = iam
        .get_policy_version()
        .policy_arn(arn)
        .version_id(version)
        .send()
        .await
        .map_err(|e| classify("iam:GetPolicyVersion", &e))?;
    Ok(url_decode(
        found
            .policy_version()
            .and_then(|v| v.document())
            .unwrap_or_default(),
    ))
}
