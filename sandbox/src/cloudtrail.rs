//! CloudTrail in the sandbox: a management event for every call that passes the
//! front, Event history (`LookupEvents`) over them, and delivery, in batches after a
//! delay, to each logging trail whose selectors take the event: a gzip log file in
//! its bucket, the events in its log group, and a notification per log file to its
//! SNS topic when that is on.
//!
//! Here: the record of each call. Event history's lookup, the log files and their
//! delivery are in modules of their own, re-exported here.

mod delivery;
mod log_files;
mod lookup;
#[cfg(test)]
mod tests;

pub use delivery::deliver;
pub use log_files::{log_file, log_file_key};
pub use lookup::{Answer, lookup_events};

use serde_json::{Value, json};

use super::answer::Refusal;
use super::call::Call;
use super::world::{Event, Principal, iso};

/// Which request a record is of: the request's id (the `requestID` the caller was
/// answered with) and the event's own id (`eventID`), as AWS keeps both.
#[derive(Debug, Clone)]
pub struct Ids {
    /// The request's id.
    pub request: String,
    /// The event's id.
    pub event: String,
}

/// The CloudTrail record of `call`, made by `who` at `time`; `error` is the error
/// code and message when the call failed (CloudTrail records attempts too).
pub fn record(call: &Call, who: &Principal, time: f64, ids: Ids, error: Option<Refusal>) -> Event {
    let (kind, user_name) = identity_kind(&who.arn);
    let principal_id = principal_id(who);
    let mut record = json!({
        "eventVersion": "1.09",
        "userIdentity": {
            "type": kind,
            "principalId": principal_id,
            "arn": who.arn,
            "accountId": who.account,
            "accessKeyId": who.access_key,
        },
        "eventTime": iso(time),
        "eventSource": call.event_source(),
        "eventName": call.operation,
        "awsRegion": call.region,
        "sourceIPAddress": call.source_ip,
        "userAgent": call.user_agent,
        "requestParameters": call.request_parameters(),
        "responseElements": Value::Null,
        "requestID": ids.request,
        "eventID": ids.event,
        "readOnly": call.read_only(),
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": who.account,
        "eventCategory": "Management",
    });
    // A call a service made for the caller: CloudTrail names the service in
    // `invokedBy`, and gives its name as the source address and the user agent
    // ("CloudTrail userIdentity element"; "CloudTrail record contents",
    // <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html>).
    if let Some(service) = &who.invoked_by {
        record["userIdentity"]["invokedBy"] = Value::String(service.clone());
        record["sourceIPAddress"] = Value::String(service.clone());
        record["userAgent"] = Value::String(service.clone());
    }
    if let Some(Refusal { code, message }) = error {
        record["errorCode"] = Value::String(code);
        record["errorMessage"] = Value::String(message);
    }
    let mut mentions = Vec::new();
    texts_in(&record["requestParameters"], &mut mentions);
    mentions.sort();
    mentions.dedup();
    Event {
        id: ids.event,
        account: who.account.clone(),
        region: call.region.clone(),
        time,
        name: call.operation.clone(),
        source: call.event_source(),
        read_only: call.read_only(),
        access_key: who.access_key.clone(),
        user_name,
        record: record.to_string(),
        mentions,
    }
}

/// The caller's principal id, as CloudTrail writes it and STS's GetCallerIdentity
/// gives it (`UserId`): the root user's is its account's; a user's and a role's are
/// ids of their own, a session's with its name ("CloudTrail userIdentity element").
pub fn principal_id(who: &Principal) -> String {
    let (kind, user_name) = identity_kind(&who.arn);
    let id = who.access_key.chars().rev().take(12).collect::<String>();
    match kind {
        "Root" => who.account.clone(),
        "AssumedRole" => format!("AROA{id}:{user_name}"),
        _ => format!("AIDA{id}"),
    }
}

/// Every string in `value`, however deep.
fn texts_in(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| texts_in(v, out)),
        Value::Object(map) => map.values().for_each(|v| texts_in(v, out)),
        _ => {}
    }
}

/// The identity type and the user name Event history shows, from a caller's ARN.
fn identity_kind(arn: &str) -> (&'static str, String) {
    let resource = checkers::arn::Arn::parse(arn).map_or("", |a| a.resource);
    if let Some(rest) = resource.strip_prefix("assumed-role/") {
        (
            "AssumedRole",
            rest.rsplit('/').next().unwrap_or(rest).to_string(),
        )
    } else if let Some(user) = resource.strip_prefix("user/") {
        (
            "IAMUser",
            user.rsplit('/').next().unwrap_or(user).to_string(),
        )
    } else {
        ("Root", "root".to_string())
    }
}
