//! A generated corpus of realistic CloudTrail records, to judge a metric against.
//!
//! A metric filter is only right if it counts what the lab watches in *every* record
//! CloudTrail may deliver, not in a handful of examples it could be fitted to. So the
//! corpus holds, for every operation in [`operations::OPERATIONS`], records about the
//! lab's secret (named by name, by full ARN, by partial ARN), about other secrets, or
//! about nothing, made by every kind of caller ([`IdentityKind`]), succeeding and
//! failing, with times, source addresses, user agents, request and event ids drawn at
//! random.
//!
//! The corpus is seeded: [`generate`] with the same [`Subject`] and seed gives the same
//! records on every machine, so a verdict that names its seed can be reproduced. The
//! records know their own [`Facts`]; what the metric must do with each is the lab's to
//! say ([`crate::watch::Watch`]).

mod identity;
pub mod operations;
pub mod rng;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

pub use identity::IdentityKind;
use identity::caller;
use operations::{About, OPERATIONS, Operation, Target};
use rng::Rng;

/// What a call was about (as a `watch:` shape names it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Resource {
    /// The lab's secret.
    LabSecret,
    /// Any other secret.
    OtherSecret,
}

/// Whether a call succeeded (as a `watch:` shape names it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    /// It succeeded: the record has no `errorCode`.
    Success,
    /// It was refused or failed: the record has an `errorCode`.
    Failure,
}

/// What the records are about: the lab's secret, in its account and region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// The secret's name, e.g. `TopSecretInfo`.
    pub secret_name: String,
    /// The secret's full ARN (with its random six-character suffix).
    pub secret_arn: String,
    /// The account the trail records.
    pub account: String,
    /// The secret's region.
    pub region: String,
}

impl Subject {
    /// The subject for a secret that may not exist yet: its ARN is made up, with the
    /// suffix AWS would add.
    pub fn new(secret_name: &str, secret_arn: Option<&str>, account: &str, region: &str) -> Self {
        Subject {
            secret_name: secret_name.to_string(),
            secret_arn: secret_arn.map_or_else(
                || format!("arn:aws:secretsmanager:{region}:{account}:secret:{secret_name}-AbCdEf"),
                str::to_string,
            ),
            account: account.to_string(),
            region: region.to_string(),
        }
    }

    /// The ARN without its random suffix, as AWS also accepts it (a partial ARN).
    pub fn partial_arn(&self) -> String {
        match self.secret_arn.rsplit_once('-') {
            Some((partial, suffix)) if suffix.len() == 6 => partial.to_string(),
            _ => self.secret_arn.clone(),
        }
    }
}

/// How a request names a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// By name, as the CLI usually does.
    Name,
    /// By full ARN, as the console does.
    FullArn,
    /// By ARN without the random suffix.
    PartialArn,
}

/// What a record is, as a lesson's record shapes ask about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// `eventSource`.
    pub source: String,
    /// `eventName`.
    pub event: String,
    /// Which secret the call was about, if any.
    pub resource: Option<Resource>,
    /// How the request named the secret, if it was about one.
    pub naming: Option<Naming>,
    /// Whether it succeeded.
    pub outcome: CallOutcome,
    /// Who made it.
    pub identity: IdentityKind,
    /// The caller, in a few words (an ARN or a service).
    pub who: String,
}

/// One generated record.
#[derive(Debug, Clone)]
pub struct Record {
    /// What it is.
    pub facts: Facts,
    /// The record as CloudTrail writes it to CloudWatch Logs: one JSON object.
    pub text: String,
    /// The same, parsed.
    pub json: Value,
}

impl Record {
    /// The record in a sentence, for messages: `a GetSecretValue on the secret by full
    /// ARN by an assumed role (arn:…), refused (AccessDenied)`.
    pub fn gist(&self) -> String {
        let f = &self.facts;
        let about = match (f.resource, f.naming) {
            (Some(Resource::LabSecret), Some(Naming::Name)) => " on the secret by name",
            (Some(Resource::LabSecret), Some(Naming::FullArn)) => " on the secret by full ARN",
            (Some(Resource::LabSecret), Some(Naming::PartialArn)) => {
                " on the secret by partial ARN"
            }
            (Some(Resource::LabSecret), None) => " on the secret",
            (Some(Resource::OtherSecret), _) => " on another secret",
            (None, _) => "",
        };
        let outcome = match (
            f.outcome,
            self.json.get("errorCode").and_then(Value::as_str),
        ) {
            (CallOutcome::Failure, Some(code)) => format!(", refused ({code})"),
            _ => String::new(),
        };
        let service = f.source.trim_end_matches(".amazonaws.com");
        format!(
            "a {service} {}{about} by {} ({}){outcome}",
            f.event,
            f.identity.describe(),
            f.who
        )
    }
}

/// How many ways a call is refused (error codes, and wordings of access denied).
const REFUSALS: u64 = 8;

/// The seed `lab` uses for the records it sends to TestMetricFilter.
pub const CONFIRMATION_SEED: u64 = 0x5EC2_E7AC_CE55;

/// The corpus for `subject` drawn from `seed`: several hundred records.
///
/// Each operation's records are drawn from a generator of their own
/// ([`Rng::stream`]), so the operations are drawn on as many threads as the machine
/// has cores (up to four) and the records are the same whatever their number.
pub fn generate(subject: &Subject, seed: u64) -> Vec<Record> {
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, 4);
    drawn_on(subject, seed, workers)
}

/// [`generate`] on `workers` threads (at least one).
fn drawn_on(subject: &Subject, seed: u64, workers: usize) -> Vec<Record> {
    let workers = workers.max(1);
    let draw = |worker: usize| -> Vec<(usize, Vec<Record>)> {
        OPERATIONS
            .iter()
            .enumerate()
            .filter(|(index, _)| index % workers == worker)
            .map(|(index, op)| (index, records_of(subject, index, op, seed)))
            .collect()
    };
    let mut drawn: Vec<(usize, Vec<Record>)> = if workers == 1 {
        draw(0)
    } else {
        std::thread::scope(|scope| {
            let others: Vec<_> = (1..workers)
                .map(|worker| scope.spawn(move || draw(worker)))
                .collect();
            let mut all = draw(0);
            for other in others {
                // A worker's panic is this thread's: a corpus short of records could
                // let a wrong pattern pass.
                match other.join() {
                    Ok(drawn) => all.extend(drawn),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            all
        })
    };
    drawn.sort_by_key(|(index, _)| *index);
    drawn.into_iter().flat_map(|(_, records)| records).collect()
}

/// The records of one operation (the `index`-th of [`OPERATIONS`]).
fn records_of(subject: &Subject, index: usize, op: &Operation, seed: u64) -> Vec<Record> {
    let mut rng = Rng::stream(seed, index as u64);
    let mut records = Vec::new();
    for (target_index, (resource, naming)) in targets(op).into_iter().enumerate() {
        let variant = index + target_index;
        let callers: Vec<IdentityKind> = if op.service_event {
            vec![IdentityKind::AwsService]
        } else if op.source == "secretsmanager.amazonaws.com" {
            IdentityKind::ALL.to_vec()
        } else {
            (0..3).map(|_| *rng.pick(&IdentityKind::ALL)).collect()
        };
        // Refusals: of a call that reads a secret, access denied to every kind of
        // caller (so a pattern that picks some refused reads meets them); of any
        // other call, one caller refused for any reason.
        let refused: Vec<(IdentityKind, Option<u64>)> = if op.service_event {
            vec![]
        } else if op.read_only && op.about == About::Secret {
            let denied = callers.iter().map(|c| (*c, Some(0)));
            let every_other_reason = (1..REFUSALS)
                .map(|reason| (callers[reason as usize % callers.len()], Some(reason)));
            denied.chain(every_other_reason).collect()
        } else {
            vec![(*rng.pick(&callers), Some(rng.below(REFUSALS)))]
        };
        let succeeded = callers.iter().map(|c| (*c, None));
        for (identity, refusal) in succeeded.chain(refused) {
            let call = Call {
                resource,
                naming,
                identity,
                variant,
                refusal,
            };
            records.push(record(subject, op, &call, &mut rng));
        }
    }
    records
}

/// A small, fixed set of records (at most 50, what TestMetricFilter takes at once):
/// one of each kind of call about the secret or about nothing, by a random caller.
pub fn confirmation_set(subject: &Subject) -> Vec<Record> {
    let mut rng = Rng::new(CONFIRMATION_SEED);
    let mut records = Vec::new();
    for op in OPERATIONS.iter().filter(|op| !op.service_event) {
        let all = targets(op);
        let picked: Vec<_> = if op.name == "GetSecretValue" {
            all
        } else {
            vec![all[0]]
        };
        for (variant, (resource, naming)) in picked.into_iter().enumerate() {
            let identity = *rng.pick(&IdentityKind::ALL);
            let call = Call {
                resource,
                naming,
                identity,
                variant,
                refusal: None,
            };
            records.push(record(subject, op, &call, &mut rng));
        }
    }
    records.truncate(50);
    records
}

/// The targets an operation's records are made about.
fn targets(op: &Operation) -> Vec<(Option<Resource>, Option<Naming>)> {
    match op.about {
        About::Nothing => vec![(None, None)],
        About::Secret => vec![
            (Some(Resource::LabSecret), Some(Naming::Name)),
            (Some(Resource::LabSecret), Some(Naming::FullArn)),
            (Some(Resource::LabSecret), Some(Naming::PartialArn)),
            (Some(Resource::OtherSecret), Some(Naming::FullArn)),
        ],
    }
}

/// Names of other secrets, some close to the lab's.
const OTHER_SECRETS: &[&str] = &["prod/db/password", "{}-old", "My{}", "{}2", "api-key"];

/// One call to make a record of.
struct Call {
    resource: Option<Resource>,
    naming: Option<Naming>,
    identity: IdentityKind,
    /// Which way of recording the caller (see `identity::caller`).
    variant: usize,
    /// `None` for a call that succeeded; for a refused one, which error (0: access
    /// denied, then not found, throttled).
    refusal: Option<u64>,
}

fn record(subject: &Subject, op: &Operation, call: &Call, rng: &mut Rng) -> Record {
    let Call {
        resource,
        naming,
        identity,
        variant,
        refusal,
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
    let (source_ip, agent) = match &caller.service {
        Some(service) => (service.clone(), service.clone()),
        None => (source_ip(rng), user_agent(rng)),
    };
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
        "eventType": if op.service_event { "AwsServiceEvent" } else if op.name == "ConsoleLogin" { "AwsConsoleSignIn" } else { "AwsApiCall" },
        "managementEvent": true,
        "recipientAccountId": account,
        "eventCategory": "Management"
    });
    if op.service_event {
        json["userIdentity"] =
            json!({ "accountId": account, "invokedBy": "secretsmanager.amazonaws.com" });
        json["additionalEventData"] = json!({ "SecretId": arn });
        json.as_object_mut().map(|o| o.remove("requestParameters"));
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
    let text = json.to_string();
    Record {
        facts: Facts {
            source: op.source.to_string(),
            event: op.name.to_string(),
            resource,
            naming,
            outcome,
            identity,
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

#[cfg(test)]
mod tests;
