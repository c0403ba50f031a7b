//! Secrets Manager: the lab's secret (never its value), and the reads of secrets in
//! CloudTrail's event history.

use super::{Calls, Clients, EVENT_HISTORY_PAGES, all_pages, is_not_found};
use crate::read_error::{classify, code};
use crate::snapshot::{Read, ReadError, ReadErrorKind, Secret, SecretRead};

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
    use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};
    let attribute = LookupAttribute::builder()
        .attribute_key(LookupAttributeKey::EventSource)
        .attribute_value("secretsmanager.amazonaws.com")
        .build()
        .map_err(|e| ReadError {
            action: "cloudtrail:LookupEvents".into(),
            kind: ReadErrorKind::Unavailable,
            detail: e.to_string(),
        })?;
    all_pages(calls, Some(EVENT_HISTORY_PAGES), |token| {
        let attribute = attribute.clone();
        async move {
            let out = c
                .cloudtrail
                .lookup_events()
                .lookup_attributes(attribute)
                .max_results(50)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| classify("cloudtrail:LookupEvents", &e))?;
            let reads = out
                .events()
                .iter()
                .filter(|event| event.event_name() == Some("GetSecretValue"))
                .map(|event| {
                    let record: serde_json::Value = event
                        .cloud_trail_event()
                        .and_then(|t| serde_json::from_str(t).ok())
                        .unwrap_or_default();
                    SecretRead {
                        time: event
                            .event_time()
                            .map(|t| t.to_string())
                            .unwrap_or_default(),
                        user: event.username().map(str::to_string),
                        principal: record
                            .pointer("/userIdentity/arn")
                            .and_then(|v| v.as_str())
                            .map(str::to_string),
                        secret_id: record
                            .pointer("/requestParameters/secretId")
                            .and_then(|v| v.as_str())
                            .map(str::to_string),
                    }
                })
                .collect();
            Ok((reads, out.next_token().map(str::to_string)))
        }
    })
    .await
}
