//! CloudTrail in the sandbox: a management event for every call that passes the
//! front, Event history (`LookupEvents`) over them, and delivery, in batches after a
//! delay, to each logging trail whose selectors take the event: a gzip log file in
//! its bucket, the events in its log group, and a notification per log file to its
//! SNS topic when that is on.

use std::collections::BTreeMap;
use std::io::Write;

use serde_json::{Value, json};

use super::answer::Refusal;
use super::call::Call;
use super::state::Sandbox;
use super::world::{Event, Principal, iso};
use checkers::trail_events::{EventShape, records};

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
    let mut record = json!({
        "eventVersion": "1.09",
        "userIdentity": {
            "type": kind,
            "principalId": format!("AIDA{}", &who.access_key.chars().rev().take(12).collect::<String>()),
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

/// An answer the front sends itself: a JSON body, or a refusal.
pub type Answer = Result<Value, Refusal>;

/// `LookupEvents` over the events of `account` in `region`, newest first, with one
/// lookup attribute, a time range, `MaxResults` (at most 50) and paging.
///
/// `first` is the position in Event history of `events[0]` (events forgotten before
/// it: [`super::world::World::pruned`]). A `NextToken` is the position to go on
/// from, so that a page costs the events it passes over, whatever page it is, and
/// events recorded between two pages (the lookups themselves among them) neither
/// repeat nor shift what the next page holds.
pub fn lookup_events(
    events: &[Event],
    first: usize,
    account: &str,
    region: &str,
    request: &Value,
) -> Answer {
    let attributes = request
        .get("LookupAttributes")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if attributes.len() > 1 {
        return Err(invalid("LookupAttributes takes at most one attribute"));
    }
    let attribute = match attributes.first() {
        Some(a) => Some(Attribute::read(
            a.get("AttributeKey").and_then(Value::as_str).unwrap_or(""),
            a.get("AttributeValue")
                .and_then(Value::as_str)
                .unwrap_or(""),
        )?),
        None => None,
    };
    let start = request.get("StartTime").and_then(Value::as_f64);
    let end = request.get("EndTime").and_then(Value::as_f64);
    let max = request
        .get("MaxResults")
        .and_then(Value::as_u64)
        .unwrap_or(50)
        .clamp(1, 50) as usize;
    let newest = first + events.len();
    let from = match request.get("NextToken").and_then(Value::as_str) {
        Some(token) => token
            .parse::<usize>()
            .ok()
            .filter(|position| *position <= newest)
            .ok_or_else(|| {
                Refusal::new(
                    "InvalidNextTokenException",
                    "the NextToken is not one this sandbox gave out",
                )
            })?,
        None => newest,
    };
    // Positions before `first` were forgotten: nothing older is left to show.
    let before = from.saturating_sub(first);
    let mut page = Vec::new();
    let mut next = None;
    for (i, event) in events[..before].iter().enumerate().rev() {
        if event.account != account
            || event.region != region
            || start.is_some_and(|s| event.time < s)
            || end.is_some_and(|e| event.time > e)
            || attribute.as_ref().is_some_and(|a| !a.holds(event))
        {
            continue;
        }
        if page.len() == max {
            next = Some(first + i + 1);
            break;
        }
        page.push(json!({
            "EventId": event.id,
            "EventName": event.name,
            "ReadOnly": event.read_only.to_string(),
            "AccessKeyId": event.access_key,
            "EventTime": event.time,
            "EventSource": event.source,
            "Username": event.user_name,
            "Resources": [],
            "CloudTrailEvent": event.record,
        }));
    }
    let mut answer = json!({ "Events": page });
    if let Some(next) = next {
        answer["NextToken"] = Value::String(next.to_string());
    }
    Ok(answer)
}

/// The one lookup attribute of a `LookupEvents` request.
enum Attribute<'r> {
    EventName(&'r str),
    EventSource(&'r str),
    EventId(&'r str),
    Username(&'r str),
    AccessKeyId(&'r str),
    ReadOnly(&'r str),
    ResourceName(&'r str),
}

impl<'r> Attribute<'r> {
    /// The attribute `key` = `value`, refused when the sandbox cannot look it up.
    fn read(key: &str, value: &'r str) -> Result<Attribute<'r>, Refusal> {
        Ok(match key {
            "EventName" => Attribute::EventName(value),
            "EventSource" => Attribute::EventSource(value),
            "EventId" => Attribute::EventId(value),
            "Username" => Attribute::Username(value),
            "AccessKeyId" => Attribute::AccessKeyId(value),
            "ReadOnly" => Attribute::ReadOnly(value),
            "ResourceName" => Attribute::ResourceName(value),
            other => {
                return Err(invalid(&format!(
                    "the lookup attribute {other} is not supported by the sandbox"
                )));
            }
        })
    }

    /// Whether `event` has it.
    fn holds(&self, event: &Event) -> bool {
        match *self {
            Attribute::EventName(v) => event.name == v,
            Attribute::EventSource(v) => event.source == v,
            Attribute::EventId(v) => event.id == v,
            Attribute::Username(v) => event.user_name == v,
            Attribute::AccessKeyId(v) => event.access_key == v,
            Attribute::ReadOnly(v) => event.read_only.to_string() == v,
            Attribute::ResourceName(v) => event.mentions.iter().any(|m| m == v),
        }
    }
}

fn invalid(message: &str) -> Refusal {
    Refusal::new("InvalidLookupAttributesException", message)
}

/// The key of a log file, as CloudTrail names them:
/// `[prefix/]AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_ID.json.gz`.
pub fn log_file_key(
    prefix: Option<&str>,
    account: &str,
    region: &str,
    time: f64,
    id: &str,
) -> String {
    let stamp = iso(time); // 2026-11-28T10:05:00Z
    let (date, clock) = stamp.split_once('T').unwrap_or((&stamp, "00:00:00Z"));
    let day = date.replace('-', "/");
    let compact = format!(
        "{}T{}Z",
        date.replace('-', ""),
        clock.replace(':', "").get(..4).unwrap_or("0000")
    );
    let short: String = id
        .chars()
        .filter(|c| c.is_ascii_hexdigit())
        .take(16)
        .collect();
    let prefix = prefix
        .filter(|p| !p.is_empty())
        .map(|p| format!("{}/", p.trim_end_matches('/')))
        .unwrap_or_default();
    format!(
        "{prefix}AWSLogs/{account}/CloudTrail/{region}/{day}/{account}_CloudTrail_{region}_{compact}_{short}.json.gz"
    )
}

/// A log file's content: `{"Records": [...]}`, gzip-compressed.
pub fn log_file(events: &[&Event]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = gz.write_all(b"{\"Records\":[");
    for (i, event) in events.iter().enumerate() {
        if i > 0 {
            let _ = gz.write_all(b",");
        }
        let _ = gz.write_all(event.record.as_bytes());
    }
    let _ = gz.write_all(b"]}");
    gz.finish().unwrap_or_default()
}

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
        .map_err(|e| format!("DescribeTrails: {}", super::backend::explain(&e)))?;
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
            .map_err(|e| format!("GetTrailStatus: {}", super::backend::explain(&e)))?
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
            .map_err(|e| format!("GetEventSelectors: {}", super::backend::explain(&e)))?;
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
            super::backend::explain(&e)
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
        let notice = super::sns::Message::plain("", &message);
        let publisher = super::sns::Publisher {
            service: "cloudtrail.amazonaws.com",
            called: "CloudTrail",
            source_arn: &trail.arn,
            account,
            source_owner: false,
        };
        let sent = super::sns::publish(sandbox, access_key, region, topic, &notice, &publisher);
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
    if super::delivery_role::delivery_denied(&aws, &trail.arn, account, region, role_arn, group_arn)
        .await
        .is_some()
    {
        return Err(super::delivery_role::DELIVERY_DENIED.to_string());
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
                super::backend::explain(&e)
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
            .map_err(|e| format!("PutLogEvents {group}: {}", super::backend::explain(&e)))?;
    }
    sandbox.world().ingested.insert(
        (account.into(), region.into(), group.clone(), stream),
        (sandbox.clock.now() * 1000.0) as i64,
    );
    super::logs::ingest(sandbox, access_key, account, region, &group, &lines).await;
    Ok(())
}

/// What one `PutLogEvents` call may carry (AWS's quotas): 10,000 events, 1,048,576
/// bytes counting 26 bytes per event beside its message, and 24 hours from the
/// first event to the last.
const LOG_BATCH_EVENTS: usize = 10_000;
const LOG_BATCH_BYTES: usize = 1_048_576;
const LOG_EVENT_OVERHEAD: usize = 26;
const LOG_BATCH_SPAN_MS: i64 = 24 * 3600 * 1000;

/// `lines` (in time order) cut into the ranges of successive `PutLogEvents` calls,
/// each within AWS's quotas, as CloudTrail delivers a large batch.
fn log_batches(lines: &[(i64, String)]) -> Vec<std::ops::Range<usize>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn event(name: &str, time: f64, account: &str) -> Event {
        Event {
            id: format!("id-{time}"),
            account: account.into(),
            region: "us-east-1".into(),
            time,
            name: name.into(),
            source: "secretsmanager.amazonaws.com".into(),
            read_only: true,
            access_key: "AKID".into(),
            user_name: "learner".into(),
            record: json!({"requestParameters": {"secretId": "TopSecretInfo"}}).to_string(),
            mentions: vec!["TopSecretInfo".into()],
        }
    }

    #[test]
    fn lookup_filters_by_name_newest_first_and_pages() {
        let events: Vec<Event> = (0..60)
            .map(|i| {
                event(
                    if i % 2 == 0 {
                        "GetSecretValue"
                    } else {
                        "ListSecrets"
                    },
                    i as f64,
                    "111111111111",
                )
            })
            .chain([event("GetSecretValue", 100.0, "222222222222")])
            .collect();
        let request = json!({"LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "GetSecretValue"}], "MaxResults": 20});
        let first = lookup_events(&events, 0, "111111111111", "us-east-1", &request).unwrap();
        let page = first["Events"].as_array().unwrap();
        assert_eq!(page.len(), 20);
        assert_eq!(page[0]["EventTime"], 58.0);
        assert!(page.iter().all(|e| e["EventName"] == "GetSecretValue"));
        let mut next = request.clone();
        next["NextToken"] = first["NextToken"].clone();
        let second = lookup_events(&events, 0, "111111111111", "us-east-1", &next).unwrap();
        assert_eq!(second["Events"].as_array().unwrap().len(), 10);
        assert!(second.get("NextToken").is_none());
        let by_resource = json!({"LookupAttributes": [{"AttributeKey": "ResourceName", "AttributeValue": "TopSecretInfo"}]});
        assert_eq!(
            lookup_events(&events, 0, "222222222222", "us-east-1", &by_resource).unwrap()["Events"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn lookup_rejects_what_aws_rejects() {
        let two = json!({"LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "a"}, {"AttributeKey": "EventName", "AttributeValue": "b"}]});
        assert!(lookup_events(&[], 0, "1", "us-east-1", &two).is_err());
        let unknown =
            json!({"LookupAttributes": [{"AttributeKey": "Colour", "AttributeValue": "a"}]});
        let refusal = lookup_events(&[], 0, "1", "us-east-1", &unknown).unwrap_err();
        assert_eq!(
            refusal.code, "InvalidLookupAttributesException",
            "refused even when there is nothing to look at"
        );
        let forged = json!({"NextToken": "5"});
        let refusal = lookup_events(&[], 0, "1", "us-east-1", &forged).unwrap_err();
        assert_eq!(refusal.code, "InvalidNextTokenException");
        let garbage = json!({"NextToken": "page-two"});
        assert!(lookup_events(&[], 0, "1", "us-east-1", &garbage).is_err());
    }

    /// Every event of one account, paged through to the end.
    fn page_through(events: &mut Vec<Event>, first: usize, arrive: bool) -> Vec<String> {
        let mut seen = Vec::new();
        let mut request = json!({"MaxResults": 7});
        loop {
            let page = lookup_events(events, first, "111111111111", "us-east-1", &request).unwrap();
            seen.extend(
                page["Events"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e["EventId"].as_str().unwrap().to_string()),
            );
            let Some(token) = page.get("NextToken") else {
                return seen;
            };
            request["NextToken"] = token.clone();
            if arrive {
                // The lookup itself is an event, recorded between two pages.
                let time = 1_000.0 + seen.len() as f64;
                events.push(event("LookupEvents", time, "111111111111"));
            }
        }
    }

    #[test]
    fn pages_neither_repeat_nor_skip_while_events_arrive() {
        let mut events: Vec<Event> = (0..40)
            .map(|i| event("GetSecretValue", i as f64, "111111111111"))
            .collect();
        let quiet = page_through(&mut events.clone(), 0, false);
        let busy = page_through(&mut events, 0, true);
        let expected: Vec<String> = (0..40).rev().map(|i| format!("id-{i}")).collect();
        assert_eq!(quiet, expected);
        assert_eq!(
            busy, expected,
            "what arrived after the first page is not in it"
        );
    }

    #[test]
    fn a_token_outlives_the_events_forgotten_before_it() {
        let events: Vec<Event> = (0..30)
            .map(|i| event("GetSecretValue", i as f64, "111111111111"))
            .collect();
        let request = json!({"MaxResults": 10});
        let first = lookup_events(&events, 0, "111111111111", "us-east-1", &request).unwrap();
        let mut next = request.clone();
        next["NextToken"] = first["NextToken"].clone();
        // The five oldest events are forgotten between the two pages.
        let second = lookup_events(&events[5..], 5, "111111111111", "us-east-1", &next).unwrap();
        let times: Vec<f64> = second["Events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["EventTime"].as_f64().unwrap())
            .collect();
        assert_eq!(times, (10..20).rev().map(f64::from).collect::<Vec<_>>());
        let mut last = request.clone();
        last["NextToken"] = second["NextToken"].clone();
        let third = lookup_events(&events[15..], 15, "111111111111", "us-east-1", &last).unwrap();
        assert!(
            third["Events"].as_array().unwrap().is_empty(),
            "what was forgotten is not shown"
        );
        assert!(third.get("NextToken").is_none());
    }

    #[test]
    fn log_batches_keep_within_aws_quotas() {
        let small: Vec<(i64, String)> = (0..25_000).map(|i| (i, "x".repeat(10))).collect();
        let batches = log_batches(&small);
        assert_eq!(batches, vec![0..10_000, 10_000..20_000, 20_000..25_000]);
        // Ten of these pass a mebibyte with their overhead, so nine go at a time.
        let large: Vec<(i64, String)> = (0..20).map(|i| (i, "y".repeat(104_850))).collect();
        assert_eq!(log_batches(&large), vec![0..9, 9..18, 18..20]);
        let day = 24 * 3600 * 1000;
        let spread: Vec<(i64, String)> = [0, day, day + 1, 3 * day]
            .into_iter()
            .map(|t| (t, "z".into()))
            .collect();
        assert_eq!(log_batches(&spread), vec![0..2, 2..3, 3..4]);
        assert!(log_batches(&[]).is_empty());
        let one_too_big = vec![(0, "w".repeat(LOG_BATCH_BYTES))];
        assert_eq!(
            log_batches(&one_too_big),
            vec![0..1],
            "sent alone, for AWS to judge"
        );
    }

    #[test]
    fn log_files_are_named_like_cloudtrails() {
        let key = log_file_key(
            Some("logs/"),
            "111111111111",
            "us-east-1",
            1_795_860_000.0,
            "0a1b2c3d-0000",
        );
        assert_eq!(
            key,
            "logs/AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/28/111111111111_CloudTrail_us-east-1_20261128T1000Z_0a1b2c3d0000.json.gz"
        );
    }

    #[test]
    fn records_say_who_and_hide_values() {
        let who = Principal {
            access_key: "AKIDEXAMPLE".into(),
            account: "111111111111".into(),
            arn: "arn:aws:sts::111111111111:assumed-role/Admin/alice".into(),
        };
        let mut headers = http::HeaderMap::new();
        headers.insert("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/secretsmanager/aws4_request".parse().unwrap());
        headers.insert(
            "x-amz-target",
            "secretsmanager.PutSecretValue".parse().unwrap(),
        );
        headers.insert(
            "user-agent",
            "aws-cli/2.22.0 md/command#secretsmanager.put-secret-value"
                .parse()
                .unwrap(),
        );
        let call = Call::parse(
            "POST",
            "/",
            None,
            &headers,
            br#"{"SecretId":"s","SecretString":"v4lue"}"#,
        )
        .unwrap();
        let e = record(
            &call,
            &who,
            10.0,
            Ids {
                request: "request".into(),
                event: "event".into(),
            },
            Some(Refusal::new("AccessDenied", "no")),
        );
        assert_eq!(e.id, "event");
        assert!(!e.record.contains("v4lue"));
        assert_eq!(
            e.mentions,
            vec!["s".to_string()],
            "the secret's name, not its value"
        );
        let record: Value = serde_json::from_str(&e.record).unwrap();
        assert_eq!(
            record["sourceIPAddress"], "",
            "set by the front from the connection"
        );
        assert_eq!(record["requestID"], "request");
        assert_eq!(record["eventID"], "event");
        assert_eq!(
            record["userAgent"], "aws-cli/2.22.0 md/command#secretsmanager.put-secret-value",
            "the caller's own user agent"
        );
        assert_eq!(e.user_name, "alice");
        assert_eq!(record["userIdentity"]["type"], "AssumedRole");
        assert_eq!(record["errorCode"], "AccessDenied");
        assert_eq!(record["readOnly"], false);
    }
}
