//! Who makes a call: the `userIdentity` block of a CloudTrail record, for every kind
//! of caller a read of a secret can come from.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use super::rng::Rng;

/// The kind of caller, as a lesson's record shape names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IdentityKind {
    /// An IAM user with access keys or a console password.
    IamUser,
    /// A role assumed in the account (an application, a CI job, a Lambda function).
    AssumedRole,
    /// A person signed in through IAM Identity Center (a role `AWSReservedSSO_…`).
    IdentityCenter,
    /// The account's root user.
    Root,
    /// An AWS service acting on its own (`type: AWSService`).
    AwsService,
    /// A principal of another account (a resource policy allowed it).
    CrossAccount,
    /// A federated user (`GetFederationToken`).
    FederatedUser,
    /// Any other kind CloudTrail records (`SAMLUser`, `WebIdentityUser`,
    /// `Unknown`, …), as a record read back from event history may have. No shape
    /// names it and the corpus makes it only when asked.
    #[serde(skip)]
    Other,
}

impl IdentityKind {
    /// Every kind, in a fixed order.
    pub const ALL: [IdentityKind; 7] = [
        IdentityKind::IamUser,
        IdentityKind::AssumedRole,
        IdentityKind::IdentityCenter,
        IdentityKind::Root,
        IdentityKind::AwsService,
        IdentityKind::CrossAccount,
        IdentityKind::FederatedUser,
    ];

    /// The kind in a few words, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            IdentityKind::IamUser => "an IAM user",
            IdentityKind::AssumedRole => "an assumed role",
            IdentityKind::IdentityCenter => "an Identity Center user",
            IdentityKind::Root => "the root user",
            IdentityKind::AwsService => "an AWS service",
            IdentityKind::CrossAccount => "another account",
            IdentityKind::FederatedUser => "a federated user",
            IdentityKind::Other => "another kind of caller",
        }
    }
}

/// A caller as CloudTrail records it.
pub(super) struct Caller {
    /// The `userIdentity` block.
    pub identity: Value,
    /// The principal in a few words, for messages.
    pub who: String,
    /// The service host, for an AWS service (its `sourceIPAddress` and `userAgent`).
    pub service: Option<String>,
}

const UPPER_DIGITS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const PEOPLE: &[&str] = &[
    "alice", "bob", "carol", "dev-ops", "mallory", "learner", "j.doe",
];
const ROLES: &[&str] = &[
    "Admin",
    "ci-deployer",
    "SecretsRotationLambda",
    "app-backend",
    "OrganizationAccountAccessRole",
];
const SERVICES: &[&str] = &[
    "lambda.amazonaws.com",
    "ecs-tasks.amazonaws.com",
    "rds.amazonaws.com",
    "redshift.amazonaws.com",
    "secretsmanager.amazonaws.com",
];

/// A caller of kind `kind` in `account`, drawn from `rng`. `variant` picks between the
/// ways one kind is recorded (keys or a console session; a role or `AWSAccount` for
/// another account), so that a corpus that steps through it holds both.
pub(super) fn caller(
    kind: IdentityKind,
    variant: usize,
    account: &str,
    time: &str,
    rng: &mut Rng,
) -> Caller {
    let second_way = variant % 2 == 1;
    let key = |rng: &mut Rng, prefix: &str| format!("{prefix}{}", rng.chars(UPPER_DIGITS, 16));
    let session_context = |rng: &mut Rng, issuer: Value| {
        json!({
            "sessionIssuer": issuer,
            "attributes": {
                "creationDate": time,
                "mfaAuthenticated": if rng.chance(50) { "true" } else { "false" }
            }
        })
    };
    let person = rng.pick(PEOPLE).to_string();
    match kind {
        IdentityKind::IamUser => {
            let arn = format!("arn:aws:iam::{account}:user/{person}");
            let mut identity = json!({
                "type": "IAMUser",
                "principalId": key(rng, "AIDA"),
                "arn": arn,
                "accountId": account,
                "accessKeyId": key(rng, "AKIA"),
                "userName": person
            });
            if second_way {
                identity["accessKeyId"] = json!(key(rng, "ASIA"));
                identity["sessionContext"] = session_context(rng, json!({}));
            }
            Caller {
                identity,
                who: arn,
                service: None,
            }
        }
        IdentityKind::AssumedRole | IdentityKind::CrossAccount => {
            let home = if kind == IdentityKind::CrossAccount {
                other_account(account, rng)
            } else {
                account.to_string()
            };
            let role = rng.pick(ROLES).to_string();
            let session = if rng.chance(50) {
                person
            } else {
                format!("session-{}", rng.below(1_000_000))
            };
            let role_id = key(rng, "AROA");
            let (assumed, arn) = assumed_role(
                rng,
                time,
                &home,
                &format!("arn:aws:iam::{home}:role/{role}"),
                &role,
                &role_id,
                &session,
            );
            let identity = if kind == IdentityKind::CrossAccount && second_way {
                json!({ "type": "AWSAccount", "principalId": format!("{role_id}:{session}"), "accountId": home })
            } else {
                assumed
            };
            Caller {
                identity,
                who: arn,
                service: None,
            }
        }
        IdentityKind::IdentityCenter => {
            let set = rng.pick(&["AdministratorAccess", "PowerUserAccess", "ReadOnly"]);
            let role = format!("AWSReservedSSO_{set}_{}", rng.chars("0123456789abcdef", 16));
            let email = format!("{person}@example.com");
            let role_id = key(rng, "AROA");
            let (mut identity, arn) = assumed_role(
                rng,
                time,
                account,
                &format!("arn:aws:iam::{account}:role/aws-reserved/sso.amazonaws.com/{role}"),
                &role,
                &role_id,
                &email,
            );
            if !second_way {
                identity["onBehalfOf"] = json!({
                    "userId": rng.uuid(),
                    "identityStoreArn": format!("arn:aws:identitystore::{account}:identitystore/d-{}", rng.chars("0123456789abcdef", 10))
                });
            }
            Caller {
                identity,
                who: arn,
                service: None,
            }
        }
        IdentityKind::Root => {
            let arn = format!("arn:aws:iam::{account}:root");
            Caller {
                identity: json!({
                    "type": "Root",
                    "principalId": account,
                    "arn": arn,
                    "accountId": account,
                    "accessKeyId": key(rng, "ASIA"),
                    "sessionContext": session_context(rng, json!({}))
                }),
                who: arn,
                service: None,
            }
        }
        IdentityKind::AwsService => {
            let service = rng.pick(SERVICES).to_string();
            Caller {
                identity: json!({ "type": "AWSService", "invokedBy": service }),
                who: service.clone(),
                service: Some(service),
            }
        }
        IdentityKind::Other => {
            let arn = format!("arn:aws:sts::{account}:assumed-role/saml-{person}");
            Caller {
                identity: json!({
                    "type": "SAMLUser",
                    "principalId": format!("{}:{person}", rng.chars(UPPER_DIGITS, 20)),
                    "userName": person
                }),
                who: arn,
                service: None,
            }
        }
        IdentityKind::FederatedUser => {
            let arn = format!("arn:aws:sts::{account}:federated-user/{person}");
            let user_id = key(rng, "AIDA");
            Caller {
                identity: json!({
                    "type": "FederatedUser",
                    "principalId": format!("{account}:{person}"),
                    "arn": arn,
                    "accountId": account,
                    "accessKeyId": key(rng, "ASIA"),
                    "sessionContext": session_context(rng, json!({
                        "type": "IAMUser",
                        "principalId": user_id,
                        "arn": format!("arn:aws:iam::{account}:user/{person}"),
                        "accountId": account,
                        "userName": person
                    }))
                }),
                who: arn,
                service: None,
            }
        }
    }
}

/// The `userIdentity` of a session of role `role` (ARN `role_arn`, id `role_id`)
/// in account `home`, begun at `time`, and the session's ARN.
fn assumed_role(
    rng: &mut Rng,
    time: &str,
    home: &str,
    role_arn: &str,
    role: &str,
    role_id: &str,
    session: &str,
) -> (Value, String) {
    let arn = format!("arn:aws:sts::{home}:assumed-role/{role}/{session}");
    let issuer = json!({
        "type": "Role",
        "principalId": role_id,
        "arn": role_arn,
        "accountId": home,
        "userName": role
    });
    let creation = json!({
        "creationDate": time,
        "mfaAuthenticated": if rng.chance(50) { "true" } else { "false" }
    });
    let identity = json!({
        "type": "AssumedRole",
        "principalId": format!("{role_id}:{session}"),
        "arn": arn,
        "accountId": home,
        "accessKeyId": format!("ASIA{}", rng.chars(UPPER_DIGITS, 16)),
        "sessionContext": { "sessionIssuer": issuer, "attributes": creation }
    });
    (identity, arn)
}

/// A twelve-digit account id other than `account`.
pub(super) fn other_account(account: &str, rng: &mut Rng) -> String {
    loop {
        let other = format!("{:012}", rng.below(1_000_000_000_000));
        if other != account {
            return other;
        }
    }
}

/// The kind of caller a recorded `userIdentity` block names, for an event read back
/// from event history in `account`: the inverse of [`caller`].
pub(super) fn kind_of(identity: &Value, account: &str) -> IdentityKind {
    let text = |key: &str| identity.get(key).and_then(Value::as_str);
    match text("type") {
        Some("Root") => IdentityKind::Root,
        Some("IAMUser") => IdentityKind::IamUser,
        Some("AWSService") => IdentityKind::AwsService,
        Some("AWSAccount") => IdentityKind::CrossAccount,
        Some("FederatedUser") => IdentityKind::FederatedUser,
        Some("AssumedRole") if text("accountId").is_some_and(|a| a != account) => {
            IdentityKind::CrossAccount
        }
        Some("AssumedRole") if text("arn").is_some_and(|a| a.contains("/AWSReservedSSO_")) => {
            IdentityKind::IdentityCenter
        }
        Some("AssumedRole") => IdentityKind::AssumedRole,
        // A service event names the service alone.
        None if text("invokedBy").is_some() => IdentityKind::AwsService,
        _ => IdentityKind::Other,
    }
}
