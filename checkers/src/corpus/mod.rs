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
mod record;
pub mod rng;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

pub use identity::IdentityKind;
use identity::kind_of;
use operations::{About, OPERATIONS, Operation};
use record::{Call, record};
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
    /// The secret's name, e.g. `payroll-db-password`.
    pub secret_name: String,
    /// The secret's full ARN (with its random six-character suffix).
    pub secret_arn: String,
    /// The account the trail records.
    pub account: String,
    /// The secret's region.
    pub region: String,
}

/// The secret the records name when the lab has none of its own: they still make
/// calls about secrets, which such a lab's metric must not count.
pub const UNNAMED_SECRET: &str = "example-secret";

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

/// What kind of event a record is (`eventType`), as a `watch:` shape names it.
///
/// CloudTrail writes `AwsApiCall` for a call to an API, `AwsConsoleSignIn` for a
/// sign-in to the console, and `AwsServiceEvent` for an event a service made itself,
/// which no request triggered ("Non-API events captured by CloudTrail",
/// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-non-api-events.html>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    /// A call to an API (`AwsApiCall`).
    ApiCall,
    /// An event a service made itself (`AwsServiceEvent`).
    ServiceEvent,
    /// A sign-in to the console (`AwsConsoleSignIn`).
    ConsoleSignIn,
}

impl EventType {
    /// The value CloudTrail writes in `eventType`.
    pub fn as_recorded(self) -> &'static str {
        match self {
            EventType::ApiCall => "AwsApiCall",
            EventType::ServiceEvent => "AwsServiceEvent",
            EventType::ConsoleSignIn => "AwsConsoleSignIn",
        }
    }
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
    /// Whether an AWS service made the call on the caller's behalf (the record's
    /// `userIdentity.invokedBy`).
    pub via_service: bool,
    /// What kind of event it is.
    pub event_type: EventType,
    /// Whether the caller proved multi-factor authentication ([`mfa_of`]).
    pub mfa: bool,
    /// The caller, in a few words (an ARN or a service).
    pub who: String,
}

/// Whether the record's caller proved multi-factor authentication, as CloudTrail
/// writes it: a console sign-in's `additionalEventData.MFAUsed` is `Yes`; a call with
/// session credentials has `sessionContext.attributes.mfaAuthenticated` `true`
/// ("CloudTrail userIdentity element",
/// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html>;
/// "AWS console sign-in events",
/// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html>).
pub fn mfa_of(json: &Value) -> bool {
    let text = |pointer: &str| json.pointer(pointer).and_then(Value::as_str);
    if text("/eventName") == Some("ConsoleLogin") {
        text("/additionalEventData/MFAUsed") == Some("Yes")
    } else {
        text("/userIdentity/sessionContext/attributes/mfaAuthenticated") == Some("true")
    }
}

impl Facts {
    /// The facts of a record read back from CloudTrail's event history, about
    /// `subject`: the inverse of what [`generate`] writes. An `eventType` other than
    /// a service event or a console sign-in (`AwsConsoleAction`, …) counts as a call.
    pub fn of_record(json: &Value, subject: &Subject) -> Facts {
        let text = |pointer: &str| json.pointer(pointer).and_then(Value::as_str);
        let (resource, naming) = match text("/requestParameters/secretId") {
            Some(id) if id == subject.secret_name => {
                (Some(Resource::LabSecret), Some(Naming::Name))
            }
            Some(id) if id == subject.secret_arn => {
                (Some(Resource::LabSecret), Some(Naming::FullArn))
            }
            Some(id) if id == subject.partial_arn() => {
                (Some(Resource::LabSecret), Some(Naming::PartialArn))
            }
            Some(_) => (Some(Resource::OtherSecret), None),
            None => (None, None),
        };
        let identity = json.get("userIdentity").unwrap_or(&Value::Null);
        Facts {
            source: text("/eventSource").unwrap_or_default().to_string(),
            event: text("/eventName").unwrap_or_default().to_string(),
            resource,
            naming,
            outcome: if json.get("errorCode").is_some() {
                CallOutcome::Failure
            } else {
                CallOutcome::Success
            },
            identity: kind_of(identity, &subject.account),
            via_service: identity.get("invokedBy").is_some(),
            event_type: match text("/eventType") {
                Some("AwsServiceEvent") => EventType::ServiceEvent,
                Some("AwsConsoleSignIn") => EventType::ConsoleSignIn,
                _ => EventType::ApiCall,
            },
            mfa: mfa_of(json),
            who: text("/userIdentity/arn")
                .or(text("/userIdentity/invokedBy"))
                .unwrap_or_default()
                .to_string(),
        }
    }
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
        let via = match self.json.pointer("/userIdentity/invokedBy") {
            Some(Value::String(by)) if f.identity != IdentityKind::AwsService => {
                format!(" through {by}")
            }
            _ => String::new(),
        };
        let kind = match f.event_type {
            EventType::ServiceEvent => " (a service event)",
            EventType::ApiCall | EventType::ConsoleSignIn => "",
        };
        format!(
            "a {service} {}{kind}{about} by {} ({}){via}{outcome}",
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

/// The corpus for `subject` drawn from `seed`: several hundred records, with every
/// operation made by each kind of caller in `focus` (the callers a lab's shapes name)
/// as well as by callers drawn at random.
///
/// Each operation's records are drawn from a generator of their own
/// ([`Rng::stream`]), so the operations are drawn on as many threads as the machine
/// has cores (up to four) and the records are the same whatever their number.
pub fn generate(subject: &Subject, seed: u64, focus: &[IdentityKind]) -> Vec<Record> {
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, 4);
    drawn_on(subject, seed, focus, workers)
}

/// [`generate`] on `workers` threads (at least one).
fn drawn_on(subject: &Subject, seed: u64, focus: &[IdentityKind], workers: usize) -> Vec<Record> {
    let workers = workers.max(1);
    let draw = |worker: usize| -> Vec<(usize, Vec<Record>)> {
        OPERATIONS
            .iter()
            .enumerate()
            .filter(|(index, _)| index % workers == worker)
            .map(|(index, op)| (index, records_of(subject, index, op, seed, focus)))
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
fn records_of(
    subject: &Subject,
    index: usize,
    op: &Operation,
    seed: u64,
    focus: &[IdentityKind],
) -> Vec<Record> {
    let mut rng = Rng::stream(seed, index as u64);
    let mut records = Vec::new();
    for (target_index, (resource, naming)) in targets(op).into_iter().enumerate() {
        let variant = index + target_index;
        let mut callers: Vec<IdentityKind> = if op.service_event {
            vec![IdentityKind::AwsService]
        } else if op.source == "secretsmanager.amazonaws.com" {
            IdentityKind::ALL.to_vec()
        } else {
            (0..3).map(|_| *rng.pick(&IdentityKind::ALL)).collect()
        };
        // The callers a lab watches make every operation. Service events naming the
        // root user are there too: the CIS pattern for root usage (Security Hub
        // CloudWatch.1,
        // https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-1)
        // leaves out `AwsServiceEvent` beside `Root`, so a pattern without that test
        // must be seen to count such a record. AWS documents service events
        // (`eventType` `AwsServiceEvent`, "Non-API events captured by CloudTrail")
        // but not which identities they name: the corpus assumes the strictest.
        for kind in focus {
            let makes_it = !op.service_event || *kind == IdentityKind::Root;
            if makes_it && !callers.contains(kind) {
                callers.push(*kind);
            }
        }
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
                via: None,
            };
            records.push(record(subject, op, &call, &mut rng));
        }
        // A watched caller's calls also come through AWS services acting for them
        // (CloudFormation, the console's own backends): CloudTrail names the service
        // in `userIdentity.invokedBy` ("CloudTrail userIdentity element",
        // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
        let signs_in = op.source == "signin.amazonaws.com";
        for kind in focus {
            if op.service_event || signs_in || *kind == IdentityKind::AwsService {
                continue;
            }
            let call = Call {
                resource,
                naming,
                identity: *kind,
                variant,
                refusal: None,
                via: Some(*rng.pick(ON_BEHALF)),
            };
            records.push(record(subject, op, &call, &mut rng));
        }
    }
    records
}

/// Services that make calls on a caller's behalf, as `invokedBy` names them.
const ON_BEHALF: &[&str] = &[
    "cloudformation.amazonaws.com",
    "support.amazonaws.com",
    "AWS Internal",
    "servicecatalog.amazonaws.com",
];

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
                via: None,
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

#[cfg(test)]
mod tests;
