//! One record as CloudTrail writes it to CloudWatch Logs: the call, its caller, its
//! request, and how it ended, with everything a pattern should not depend on (times,
//! addresses, agents, ids) drawn at random.

use serde_json::{Value, json};

use super::identity::caller;
use super::operations::{self, Operation, Target};
use super::rng::Rng;
use super::{CallOutcome, Facts, IdentityKind, Naming, REFUSALS, Record, Resource, Subject};

/// Names of other secrets, some close to the lab's.
const OTHER_SECRETS: &[&str] = &["prod/db/password", "{}-old", "My{}", "{}2", "api-key"];

/// One call to make a record of.
pub(super) struct Call {
    pub(super) resource: Option<Resource>,
    pub(super) naming: Option<Naming>,
    pub(super) identity: IdentityKind,
    /// Which way of recording the caller (see `identity::caller`).
    pub(super) variant: usize,
    /// `None` for a call that succeeded; for a refused one, which error (0: access
    /// denied, then not found, throttled).
    pub(super) refusal: Option<u64>,
    /// The service that made the call on the caller's behalf, if one did.
    pub(super) via: Option<&'static str>,
}

pub(super) fn record(subject: &Subject, op: &Operation, call: &Call, rng: &mut Rng) -> Record {
    let Call {
        resource,
        naming,
        identity,
        variant,
        refusal,
        via,
    } = *call;
    let outcome = if refusal.is_some() {
        CallOutcome::Failure
    } else {
        CallOutcome::Success
    };
    let time = time(rng);
    let Subject {
        account, region, ..
    } = subject;
    let caller = caller(identity, variant, account, &time, rng);
    let other_name;
    let other_arn;
    let (name, arn) = match resource {
        Some(Resource::OtherSecret) => {
            other_name = rng.pick(OTHER_SECRETS).replace("{}", &subject.secret_name);
            let suffix = rng.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 6);
            other_arn =
                format!("arn:aws:secretsmanager:{region}:{account}:secret:{other_name}-{suffix}");
            (other_name.as_str(), other_arn.as_str())
        }
        _ => (subject.secret_name.as_str(), subject.secret_arn.as_str()),
    };
    let partial = match resource {
        Some(Resource::LabSecret) => subject.partial_arn(),
        _ => arn.rsplit_once('-').map_or(arn, |(p, _)| p).to_string(),
    };
    let reference = match naming {
        Some(Naming::Name) => name,
        Some(Naming::FullArn) => arn,
        Some(Naming::PartialArn) => partial.as_str(),
        None => "",
    };
    let target = resource.map(|_| Target {
        reference,
        arn,
        name,
    });
    let host = op
        .source
        .replace(".amazonaws.com", &format!(".{region}.amazonaws.com"));
    let (source_ip, agent) = match (&caller.service, via) {
        (Some(service), _) => (service.clone(), service.clone()),
        (None, Some(service)) => (service.to_string(), service.to_string()),
        (None, None) => (source_ip(rng), user_agent(rng)),
    };
    let event_type = op.event_type();
    let mut json = json!({
        "eventVersion": *rng.pick(&["1.08", "1.09", "1.10", "1.11"]),
        "userIdentity": caller.identity,
        "eventTime": time,
        "eventSource": op.source,
        "eventName": op.name,
        "awsRegion": if op.source == "iam.amazonaws.com" { "us-east-1" } else { region.as_str() },
        "sourceIPAddress": source_ip,
        "userAgent": agent,
        "requestParameters": operations::request(op, target.as_ref(), rng),
        "responseElements": Value::Null,
        "requestID": rng.uuid(),
        "eventID": rng.uuid(),
        "readOnly": op.read_only,
        "eventType": event_type.as_recorded(),
        "managementEvent": true,
        "recipientAccountId": account,
        "eventCategory": "Management"
    });
    if op.service_event {
        json["userIdentity"] = if identity == IdentityKind::Root {
            json!({ "type": "Root", "principalId": account, "arn": format!("arn:aws:iam::{account}:root"), "accountId": account })
        } else {
            json!({ "accountId": account, "invokedBy": "secretsmanager.amazonaws.com" })
        };
        json["additionalEventData"] = json!({ "SecretId": arn });
        json.as_object_mut().map(|o| o.remove("requestParameters"));
    }
    if let Some(service) = via {
        json["userIdentity"]["invokedBy"] = json!(service);
    }
    if identity != IdentityKind::AwsService && rng.chance(70) {
        json["tlsDetails"] = json!({
            "tlsVersion": *rng.pick(&["TLSv1.2", "TLSv1.3"]),
            "cipherSuite": *rng.pick(&["ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_128_GCM_SHA256"]),
            "clientProvidedHostHeader": host
        });
    }
    if identity == IdentityKind::CrossAccount {
        json["sharedEventID"] = json!(rng.uuid());
        json["resources"] =
            json!([{ "accountId": account, "type": "AWS::SecretsManager::Secret", "ARN": arn }]);
    }
    if let Some(refusal) = refusal {
        let service = op.source.trim_end_matches(".amazonaws.com");
        let action = format!("{service}:{}", op.name);
        let resource = if reference.is_empty() { "*" } else { reference };
        let who = &caller.who;
        let (code, message) = match refusal % REFUSALS {
            0 => (
                "AccessDenied",
                format!(
                    "User: {who} is not authorized to perform: {action} on resource: {resource} because no identity-based policy allows the {action} action"
                ),
            ),
            1 => (
                "AccessDenied",
                format!(
                    "User: {who} is not authorized to perform: {action} on resource: {resource} with an explicit deny in a resource-based policy"
                ),
            ),
            2 => (
                "ResourceNotFoundException",
                "Secrets Manager can't find the specified secret.".to_string(),
            ),
            3 => ("ThrottlingException", "Rate exceeded".to_string()),
            4 => (
                "DecryptionFailure",
                "Secrets Manager can't decrypt the protected secret text using the provided KMS key.".to_string(),
            ),
            5 => (
                "InvalidRequestException",
                "You can't perform this operation on the secret because it was marked for deletion.".to_string(),
            ),
            6 => (
                "InvalidParameterException",
                "An error occurred (InvalidParameterException) when calling the operation: Invalid name.".to_string(),
            ),
            _ => (
                "InternalServiceError",
                "An error occurred on the server side.".to_string(),
            ),
        };
        json["errorCode"] = json!(code);
        json["errorMessage"] = json!(message);
    } else if op.name == "CreateSecret" {
        json["responseElements"] = json!({ "arn": arn });
    } else if op.name == "ConsoleLogin" {
        json["responseElements"] = json!({ "ConsoleLogin": "Success" });
    }
    if op.name == "ConsoleLogin" {
        // With MFA or without, half and half: decided by the event's own id, so
        // the records' other draws stay as they were.
        let with_mfa = json["eventID"]
            .as_str()
            .and_then(|id| id.bytes().last())
            .is_some_and(|b| b % 2 == 0);
        json["additionalEventData"] = json!({
            "LoginTo": "https://console.aws.amazon.com/console/home",
            "MobileVersion": "No",
            "MFAUsed": if with_mfa { "Yes" } else { "No" }
        });
    }
    let text = json.to_string();
    Record {
        facts: Facts {
            source: op.source.to_string(),
            event: op.name.to_string(),
            resource,
            naming,
            outcome,
            identity,
            via_service: json.pointer("/userIdentity/invokedBy").is_some(),
            event_type,
            mfa: super::mfa_of(&json),
            who: caller.who,
        },
        text,
        json,
    }
}

/// A time in the last few years, as CloudTrail writes it.
fn time(rng: &mut Rng) -> String {
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        2023 + rng.below(4),
        1 + rng.below(12),
        1 + rng.below(28),
        rng.below(24),
        rng.below(60),
        rng.below(60)
    )
}

fn source_ip(rng: &mut Rng) -> String {
    match rng.below(5) {
        0 => "AWS Internal".to_string(),
        1 => format!(
            "2001:db8:{:x}:{:x}::{:x}",
            rng.below(0xffff),
            rng.below(0xffff),
            rng.below(0xffff)
        ),
        _ => format!(
            "{}.{}.{}.{}",
            1 + rng.below(223),
            rng.below(256),
            rng.below(256),
            1 + rng.below(254)
        ),
    }
}

fn user_agent(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => "AWS Internal".to_string(),
        1 => format!(
            "aws-cli/2.{}.{} md/awscrt#0.{} ua/2.0 os/linux#6.{} md/arch#x86_64 lang/python#3.12.{} exec-env/CloudShell",
            rng.below(30),
            rng.below(20),
            rng.below(30),
            rng.below(12),
            rng.below(9)
        ),
        2 => format!(
            "Boto3/1.{}.{} md/Botocore#1.{}.{} ua/2.0 os/linux lang/python#3.11",
            rng.below(40),
            rng.below(90),
            rng.below(40),
            rng.below(90)
        ),
        3 => format!(
            "aws-sdk-rust/1.{}.{} os/linux lang/rust/1.{}",
            rng.below(9),
            rng.below(20),
            80 + rng.below(20)
        ),
        4 => "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36".to_string(),
        _ => format!("aws-sdk-java/2.{}.{} Linux/5.10 OpenJDK_64-Bit_Server_VM/17", rng.below(30), rng.below(900)),
    }
}
