//! CloudTrail: the trails, the lab's trail's status and event selectors, the
//! account's write calls in event history, and the events among which the lab's
//! counted events are looked for.

use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};

use super::{Calls, Clients, EVENT_HISTORY_PAGES, pages_up_to};
use crate::read_error::classify;
use crate::snapshot::{
    AdvancedSelector, BasicSelector, FieldSelector, HistoryEvent, Read, ReadError, ReadErrorKind,
    ReadWrite, Selectors, Trail, TrailStatus, WatchedEvents, WriteEvent,
};
use crate::watch::Lookup;

/// How many pages of write calls are read: 1,000 calls, more than a lab's life
/// makes in a practice account.
const WRITE_HISTORY_PAGES: usize = 20;

/// The account's write calls in the region's event history, newest first. Looked up
/// by `ReadOnly` = `false`: no request names a lab resource or the word a
/// learner's filter counts.
pub(super) async fn write_history(c: &Clients, calls: &Calls) -> Read<Vec<WriteEvent>> {
    lookup_events(
        c,
        calls,
        Some((LookupAttributeKey::ReadOnly, "false")),
        WRITE_HISTORY_PAGES,
        |event| WriteEvent::from_record(event.event_time()?.secs(), event.cloud_trail_event()?),
    )
    .await
    .map(|(events, _)| events)
}

/// The events of CloudTrail's event history the lab's `lookups` find, each once (two
/// lookups may find the same event), at most [`EVENT_HISTORY_PAGES`] pages each, and
/// where a lookup that had more stopped.
pub(super) async fn watched_events(
    c: &Clients,
    calls: &Calls,
    lookups: &[Lookup],
) -> Read<WatchedEvents> {
    let mut watched = WatchedEvents::default();
    let mut seen = std::collections::HashSet::new();
    for lookup in lookups {
        let attribute = match lookup {
            Lookup::EventSource(source) => Some((LookupAttributeKey::EventSource, source.as_str())),
            Lookup::Latest => None,
        };
        let (found, stopped) = lookup_events(c, calls, attribute, EVENT_HISTORY_PAGES, |event| {
            Some(history_event(event))
        })
        .await?;
        if stopped {
            // History comes newest first: the last event read is the oldest.
            let oldest = found.last().map(|(_, e)| e.time.clone());
            watched.cut_at = watched.cut_at.max(oldest);
        }
        for (id, event) in found {
            if id.is_none_or(|id| seen.insert(id)) {
                watched.events.push(event);
            }
        }
    }
    Ok(watched)
}

/// The events of the region's history with `attribute` (all of them with none), at
/// most `pages` pages, as `keep` makes them; and whether pages were left unread.
async fn lookup_events<T>(
    c: &Clients,
    calls: &Calls,
    attribute: Option<(LookupAttributeKey, &str)>,
    pages: usize,
    keep: impl Fn(&aws_sdk_cloudtrail::types::Event) -> Option<T> + Copy,
) -> Read<(Vec<T>, bool)> {
    let attribute = match attribute {
        Some((key, value)) => Some(
            LookupAttribute::builder()
                .attribute_key(key)
                .attribute_value(value)
                .build()
                .map_err(|e| ReadError {
                    action: "cloudtrail:LookupEvents".into(),
                    kind: ReadErrorKind::Unavailable,
                    detail: e.to_string(),
                })?,
        ),
        None => None,
    };
    pages_up_to(calls, Some(pages), |token| {
        let attribute = attribute.clone();
        async move {
            let out = c
                .cloudtrail
                .lookup_events()
                .set_lookup_attributes(attribute.map(|a| vec![a]))
                .max_results(50)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| classify("cloudtrail:LookupEvents", &e))?;
            let kept = out.events().iter().filter_map(keep).collect();
            Ok((kept, out.next_token().map(str::to_string)))
        }
    })
    .await
}

/// One event of the history as plain data, with its id.
fn history_event(event: &aws_sdk_cloudtrail::types::Event) -> (Option<String>, HistoryEvent) {
    let record = event.cloud_trail_event().unwrap_or_default().to_string();
    let principal = serde_json::from_str::<serde_json::Value>(&record)
        .ok()
        .and_then(|r| {
            r.pointer("/userIdentity/arn")
                .and_then(serde_json::Value::as_str)
                .map(str::to_string)
        });
    (
        event.event_id().map(str::to_string),
        HistoryEvent {
            time: event
                .event_time()
                .map(|t| t.to_string())
                .unwrap_or_default(),
            user: event.username().map(str::to_string),
            principal,
            record,
        },
    )
}

pub(super) async fn trails(c: &Clients, calls: &Calls) -> Read<Vec<Trail>> {
    calls.tick();
    let out = c
        .cloudtrail
        .describe_trails()
        .include_shadow_trails(true)
        .send()
        .await
        .map_err(|e| classify("cloudtrail:DescribeTrails", &e))?;
    Ok(out
        .trail_list()
        .iter()
        .map(|t| Trail {
            name: t.name().unwrap_or_default().to_string(),
            arn: t.trail_arn().unwrap_or_default().to_string(),
            home_region: t.home_region().map(str::to_string),
            multi_region: t.is_multi_region_trail() == Some(true),
            s3_bucket: t.s3_bucket_name().map(str::to_string),
            log_group_arn: t.cloud_watch_logs_log_group_arn().map(str::to_string),
            logs_role_arn: t.cloud_watch_logs_role_arn().map(str::to_string),
            sns_topic_arn: t
                .sns_topic_arn()
                .filter(|arn| !arn.is_empty())
                .map(str::to_string),
        })
        .collect())
}

pub(super) async fn trail_status(c: &Clients, calls: &Calls, arn: &str) -> Read<TrailStatus> {
    calls.tick();
    let out = c
        .cloudtrail
        .get_trail_status()
        .name(arn)
        .send()
        .await
        .map_err(|e| classify("cloudtrail:GetTrailStatus", &e))?;
    let secs = |t: Option<&aws_smithy_types::DateTime>| t.map(|t| t.secs());
    Ok(TrailStatus {
        is_logging: out.is_logging().unwrap_or(false),
        latest_delivery: secs(out.latest_delivery_time()),
        latest_logs_delivery: secs(out.latest_cloud_watch_logs_delivery_time()),
        latest_logs_delivery_error: out
            .latest_cloud_watch_logs_delivery_error()
            .filter(|e| !e.trim().is_empty())
            .map(str::to_string),
    })
}

pub(super) async fn selectors(c: &Clients, calls: &Calls, arn: &str) -> Read<Selectors> {
    calls.tick();
    let out = c
        .cloudtrail
        .get_event_selectors()
        .trail_name(arn)
        .send()
        .await
        .map_err(|e| classify("cloudtrail:GetEventSelectors", &e))?;
    Ok(selectors_from(&out))
}

/// A trail's event selectors as CloudTrail returns them, as plain data: advanced
/// ones when it has any, else basic ones.
pub fn selectors_from(
    out: &aws_sdk_cloudtrail::operation::get_event_selectors::GetEventSelectorsOutput,
) -> Selectors {
    if !out.advanced_event_selectors().is_empty() {
        return Selectors::Advanced(
            out.advanced_event_selectors()
                .iter()
                .map(|s| AdvancedSelector {
                    name: s.name().map(str::to_string),
                    fields: s
                        .field_selectors()
                        .iter()
                        .map(|f| FieldSelector {
                            field: f.field().to_string(),
                            equals: f.equals().to_vec(),
                            not_equals: f.not_equals().to_vec(),
                            starts_with: f.starts_with().to_vec(),
                            not_starts_with: f.not_starts_with().to_vec(),
                            ends_with: f.ends_with().to_vec(),
                            not_ends_with: f.not_ends_with().to_vec(),
                        })
                        .collect(),
                })
                .collect(),
        );
    }
    use aws_sdk_cloudtrail::types::ReadWriteType;
    Selectors::Basic(
        out.event_selectors()
            .iter()
            .map(|s| BasicSelector {
                read_write: match s.read_write_type() {
                    Some(ReadWriteType::ReadOnly) => ReadWrite::ReadOnly,
                    Some(ReadWriteType::WriteOnly) => ReadWrite::WriteOnly,
                    _ => ReadWrite::All,
                },
                include_management_events: s.include_management_events().unwrap_or(true),
                exclude_management_event_sources: s.exclude_management_event_sources().to_vec(),
            })
            .collect(),
    )
}
