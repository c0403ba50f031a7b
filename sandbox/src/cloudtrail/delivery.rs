//! Delivery, in batches after a delay, to each logging trail whose selectors take
//! the event: a log file in its bucket, the events in its log group, a notification
//! to its topic.

use std::collections::BTreeMap;

use serde_json::json;

use super::log_files::{log_file, log_file_key};
use crate::state::Sandbox;
use crate::world::Event;
use checkers::trail_events::{EventShape, records};

/// A trail as delivery needs it.
#[derive(Debug, Clone)]
struct Trail {
    arn: String,
    bucket: Option<String>,
    prefix: Option<String>,
    log_group_arn: Option<String>,
    role_arn: Option<String>,
    topic_arn: Option<String>,
}

/// Delivers every event older than the delivery delay that has not been delivered
/// yet. Failures (a missing bucket, log group or role) are logged and skipped, as
/// CloudTrail skips a delivery it cannot make.
pub async fn deliver(sandbox: &Sandbox) {
    let cutoff = sandbox.clock.now() - sandbox.settings.delivery_delay.as_secs_f64();
    let batch: Vec<Event> = {
        let mut world = sandbox.world();
        let start = world.delivered;
        let end = start
            + world.events[start..]
                .iter()
                .take_while(|e| e.time <= cutoff)
                .count();
        world.delivered = end;
        world.events[start..end].to_vec()
    };
    let mut by_place: BTreeMap<(String, String), Vec<Event>> = BTreeMap::new();
    for event in batch {
        by_place
            .entry((event.account.clone(), event.region.clone()))
            .or_default()
            .push(event);
    }
    for ((account, region), events) in by_place {
        let Some(access_key) = sandbox.world().access_key_for(&account) else {
            continue;
        };
        if let Err(e) = deliver_to_trails(sandbox, &access_key, &account, &region, &events).await {
            tracing::warn!("CloudTrail delivery in {account}/{region}: {e}");
        }
    }
    sandbox.world().prune(sandbox.clock.now());
}

async fn deliver_to_trails(
    sandbox: &Sandbox,
    access_key: &str,
    account: &str,
    region: &str,
    events: &[Event],
) -> Result<(), String> {
    let aws = sandbox.backend.as_caller(access_key, region);
    let ct = aws.cloudtrail;
    let listed = ct
        .describe_trails()
        .send()
        .await
        .map_err(|e| format!("DescribeTrails: {}", crate::backend::explain(&e)))?;
    for t in listed.trail_list() {
        let Some(arn) = t.trail_arn() else { continue };
        if t.home_region() != Some(region) && t.is_multi_region_trail() != Some(true) {
            continue;
        }
        let trail = Trail {
            arn: arn.to_string(),
            bucket: t.s3_bucket_name().map(str::to_string),
            prefix: t.s3_key_prefix().map(str::to_string),
            log_group_arn: t.cloud_watch_logs_log_group_arn().map(str::to_string),
            role_arn: t.cloud_watch_logs_role_arn().map(str::to_string),
            topic_arn: t.sns_topic_arn().map(str::to_string),
        };
        let logging = ct
            .get_trail_status()
            .name(arn)
            .send()
            .await
            .map_err(|e| format!("GetTrailStatus: {}", crate::backend::explain(&e)))?
            .is_logging()
            .unwrap_or(false);
        if !logging {
            continue;
        }
        let selectors = ct
            .get_event_selectors()
            .trail_name(arn)
            .send()
            .await
            .map_err(|e| format!("GetEventSelectors: {}", crate::backend::explain(&e)))?;
        let selectors = checkers::fetch::selectors_from(&selectors);
        let taken: Vec<&Event> = events
            .iter()
            .filter(|e| {
                records(
                    &selectors,
                    EventShape {
                        source: &e.source,
                        name: &e.name,
                        read_only: e.read_only,
                    },
                )
                .unwrap_or(true)
            })
            .collect();
        if taken.is_empty() {
            continue;
        }
        deliver_file(sandbox, access_key, account, region, &trail, &taken).await;
    }
    Ok(())
}

async fn deliver_file(
    sandbox: &Sandbox,
    access_key: &str,
    account: &str,
    region: &str,
    trail: &Trail,
    events: &[&Event],
) {
    let aws = sandbox.backend.as_caller(access_key, region);
    let time = sandbox.clock.now();
    let id = sandbox.world().next_id(time);
    let Some(bucket) = &trail.bucket else { return };
    let key = log_file_key(trail.prefix.as_deref(), account, region, time, &id);
    let put = aws
        .s3
        .put_object()
        .bucket(bucket)
        .key(&key)
        .content_type("application/json")
        .content_encoding("gzip")
        .body(log_file(events).into())
        .send()
        .await;
    if let Err(e) = put {
        tracing::warn!(
            "trail {}: cannot write {key} to {bucket}: {}",
            trail.arn,
            crate::backend::explain(&e)
        );
        return;
    }
    {
        let mut world = sandbox.world();
        world.log_files += 1;
        world.deliveries.entry(trail.arn.clone()).or_default().s3 = Some(time);
    }
    if trail.log_group_arn.is_some() && trail.role_arn.is_some() {
        let delivered = to_log_group(sandbox, access_key, account, region, trail, events).await;
        let mut world = sandbox.world();
        let record = world.deliveries.entry(trail.arn.clone()).or_default();
        match delivered {
            Ok(()) => {
                record.logs = Some(time);
                record.logs_error = None;
            }
            Err(e) => {
                tracing::warn!(
                    "trail {}: cannot deliver to CloudWatch Logs: {e}",
                    trail.arn
                );
                record.logs_error = Some(e);
            }
        }
    }
    if let Some(topic) = &trail.topic_arn {
        let message = json!({ "s3Bucket": bucket, "s3ObjectKey": [key] }).to_string();
        let notice = crate::sns::Message::plain("", &message);
        let publisher = crate::sns::Publisher {
            service: "cloudtrail.amazonaws.com",
            called: "CloudTrail",
            source_arn: &trail.arn,
            account,
            source_owner: false,
        };
        let sent = crate::sns::publish(sandbox, access_key, region, topic, &notice, &publisher);
        if let Err(e) = sent.await {
            tracing::warn!("trail {}: cannot notify {topic}: {e}", trail.arn);
        }
    }
}

/// Delivers `events` to the trail's log group, when CloudTrail may still do so
/// through its role (checked at every delivery, as AWS does); the error, in
/// CloudTrail's words, when it may not.
async fn to_log_group(
    sandbox: &Sandbox,
    access_key: &str,
    account: &str,
    region: &str,
    trail: &Trail,
    events: &[&Event],
) -> Result<(), String> {
    let (Some(group_arn), Some(role_arn)) = (&trail.log_group_arn, &trail.role_arn) else {
        return Ok(());
    };
    let aws = sandbox.backend.as_caller(access_key, region);
    if crate::delivery_role::delivery_denied(&aws, &trail.arn, account, region, role_arn, group_arn)
        .await
        .is_some()
    {
        return Err(crate::delivery_role::DELIVERY_DENIED.to_string());
    }
    let group = checkers::arn::log_group_name(group_arn);
    let stream = format!("{account}_CloudTrail_{region}");
    let logs = aws.logs;
    if let Err(e) = logs
        .create_log_stream()
        .log_group_name(&group)
        .log_stream_name(&stream)
        .send()
        .await
    {
        let exists = e
            .as_service_error()
            .is_some_and(|s| s.is_resource_already_exists_exception());
        if !exists {
            return Err(format!(
                "CreateLogStream {group}/{stream}: {}",
                crate::backend::explain(&e)
            ));
        }
    }
    // PutLogEvents wants a batch in time order.
    let mut lines: Vec<(i64, String)> = events
        .iter()
        .map(|e| ((e.time * 1000.0) as i64, e.record.clone()))
        .collect();
    lines.sort_by_key(|(t, _)| *t);
    for batch in log_batches(&lines) {
        let input = lines[batch]
            .iter()
            .map(|(t, m)| {
                aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
                    .timestamp(*t)
                    .message(m)
                    .build()
                    .map_err(|e| e.to_string())
            })
            .collect::<Result<_, _>>()?;
        logs.put_log_events()
            .log_group_name(&group)
            .log_stream_name(&stream)
            .set_log_events(Some(input))
            .send()
            .await
            .map_err(|e| format!("PutLogEvents {group}: {}", crate::backend::explain(&e)))?;
    }
    sandbox.world().ingested.insert(
        (account.into(), region.into(), group.clone(), stream),
        (sandbox.clock.now() * 1000.0) as i64,
    );
    crate::logs::ingest(sandbox, access_key, account, region, &group, &lines).await;
    Ok(())
}

/// What one `PutLogEvents` call may carry (AWS's quotas): 10,000 events, 1,048,576
/// bytes counting 26 bytes per event beside its message, and 24 hours from the
/// first event to the last.
const LOG_BATCH_EVENTS: usize = 10_000;
pub(super) const LOG_BATCH_BYTES: usize = 1_048_576;
const LOG_EVENT_OVERHEAD: usize = 26;
const LOG_BATCH_SPAN_MS: i64 = 24 * 3600 * 1000;

/// `lines` (in time order) cut into the ranges of successive `PutLogEvents` calls,
/// each within AWS's quotas, as CloudTrail delivers a large batch.
pub(super) fn log_batches(lines: &[(i64, String)]) -> Vec<std::ops::Range<usize>> {
    let mut batches = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (i, (time, message)) in lines.iter().enumerate() {
        let size = message.len() + LOG_EVENT_OVERHEAD;
        let full = i - start == LOG_BATCH_EVENTS
            || bytes + size > LOG_BATCH_BYTES
            || time - lines[start].0 > LOG_BATCH_SPAN_MS;
        if i > start && full {
            batches.push(start..i);
            start = i;
            bytes = 0;
        }
        bytes += size;
    }
    if start < lines.len() {
        batches.push(start..lines.len());
    }
    batches
}
