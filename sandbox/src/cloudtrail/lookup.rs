//! Event history: `LookupEvents` over the events the sandbox keeps, with its one
//! lookup attribute, its time range and its paging.

use serde_json::{Value, json};

use crate::answer::Refusal;
use crate::world::Event;

/// An answer the front sends itself: a JSON body, or a refusal.
pub type Answer = Result<Value, Refusal>;

/// `LookupEvents` over the events of `account` in `region`, newest first, with one
/// lookup attribute, a time range, `MaxResults` (at most 50) and paging.
///
/// `first` is the position in Event history of `events[0]` (events forgotten before
/// it: [`crate::world::World::pruned`]). A `NextToken` is the position to go on
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
            // The record's own time, whole seconds as CloudTrail keeps it.
            "EventTime": event.time.floor(),
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
