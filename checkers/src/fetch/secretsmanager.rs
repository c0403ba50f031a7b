//! Secrets Manager: the lab's secret (never its value), and the reads of secrets in
//! CloudTrail's event history.

use super::{Calls, Clients, EVENT_HISTORY_PAGES, is_not_found};
use crate::read_error::{classify, code};
use crate::snapshot::{Read, Secret, SecretRead};

pub(super) async fn secret(c: &Clients, calls: &Calls, name: &str) -> Read<Option<Secret>> {
    calls.tick();
    match c
        .secretsmanager
        .describe_secret()
        .secret_id(name)
        .send()
        .await
    {
        Ok(out) => Ok(Some(Secret {
            arn: out.arn().unwrap_or_default().to_string(),
            name: out.name().unwrap_or(name).to_string(),
            deleted_date: out.deleted_date().map(|d| d.to_string()),
        })),
        Err(e) if is_not_found(code(&e)) => Ok(None),
        Err(e) => Err(classify("secretsmanager:DescribeSecret", &e)),
    }
}

/// Reads of secrets in CloudTrail's event history. Looked up by event *source*, and
/// filtered by name here: a lookup by the name `GetSecretValue` would put that word in
/// the grader's own LookupEvents record, which a learner's metric filter counts.
pub(super) async fn secret_reads(c: &Clients, calls: &Calls) -> Read<Vec<SecretRead>> {
    use aws_sdk_cloudtrail::types::LookupAttributeKey;
    super::cloudtrail::lookup_events(
        c,
        calls,
        (
            LookupAttributeKey::EventSource,
            "secretsmanager.amazonaws.com",
        ),
        EVENT_HISTORY_PAGES,
        |event| {
            if event.event_name() != Some("GetSecretValue") {
                return None;
            }
            let record: serde_json::Value = event
                .cloud_trail_event()
                .and_then(|t| serde_json::from_str(t).ok())
                .unwrap_or_default();
            let text = |pointer: &str| {
                record
                    .pointer(pointer)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            Some(SecretRead {
                time: event
                    .event_time()
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
                user: event.username().map(str::to_string),
                principal: text("/userIdentity/arn"),
                secret_id: text("/requestParameters/secretId"),
            })
        },
    )
    .await
}
