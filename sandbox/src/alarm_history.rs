//! Alarm history in the sandbox: what `DescribeAlarmHistory` answers from (moto keeps
//! none it will serve). Entries are added when an alarm is created or updated, when
//! its state changes, and when it notifies a topic.

use serde_json::{Value, json};

use super::answer::Refusal;
use super::world::{HistoryItem, World, iso_millis};
use super::xml;

/// Which alarm an entry is of, and when.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// The alarm's account.
    pub account: &'a str,
    /// Its region.
    pub region: &'a str,
    /// Its name.
    pub alarm: &'a str,
    /// When, in seconds since the epoch.
    pub time: f64,
}

/// Adds an entry to an alarm's history.
pub fn add_history(
    world: &mut World,
    entry: Entry,
    kind: &'static str,
    summary: String,
    data: String,
) {
    world.history.push(HistoryItem {
        account: entry.account.to_string(),
        region: entry.region.to_string(),
        alarm: entry.alarm.to_string(),
        time: entry.time,
        kind,
        summary,
        data,
    });
}

/// A page of history items, and the next page's token.
pub type HistoryPage<'h> = (Vec<&'h HistoryItem>, Option<String>);

/// One page of `DescribeAlarmHistory` over `history`, for one account and region:
/// the items, newest first unless `ScanBy` says otherwise, and the next page's token.
/// `param` reads the request's parameters, whatever its protocol.
pub fn history_page<'h>(
    history: &'h [HistoryItem],
    account: &str,
    region: &str,
    param: impl Fn(&str) -> Option<String>,
) -> Result<HistoryPage<'h>, Refusal> {
    let date = |key: &str| -> Result<Option<f64>, Refusal> {
        let Some(text) = param(key) else {
            return Ok(None);
        };
        // awsQuery sends ISO 8601 dates; the JSON protocols send epoch seconds.
        if let Ok(seconds) = text.parse::<f64>() {
            return Ok(Some(seconds));
        }
        aws_smithy_types::DateTime::from_str(&text, aws_smithy_types::date_time::Format::DateTime)
            .map(|d| Some(d.as_secs_f64()))
            .map_err(|_| {
                Refusal::new(
                    "InvalidParameterValue",
                    format!("{key} is not a date: {text}"),
                )
            })
    };
    let start = date("StartDate")?;
    let end = date("EndDate")?;
    let max = param("MaxRecords")
        .and_then(|m| m.parse::<usize>().ok())
        .unwrap_or(100)
        .clamp(1, 100);
    let skip = match param("NextToken") {
        Some(t) => t.parse::<usize>().map_err(|_| {
            Refusal::new(
                "InvalidNextToken",
                "the NextToken is not one this sandbox gave out",
            )
        })?,
        None => 0,
    };
    let name = param("AlarmName");
    let kind = param("HistoryItemType");
    let mut items: Vec<&HistoryItem> = history
        .iter()
        .filter(|h| {
            h.account == account
                && h.region == region
                && name.as_ref().is_none_or(|n| *n == h.alarm)
                && kind.as_ref().is_none_or(|k| k == h.kind)
                && start.is_none_or(|s| h.time >= s)
                && end.is_none_or(|e| h.time <= e)
        })
        .collect();
    if param("ScanBy").as_deref() != Some("TimestampAscending") {
        items.reverse();
    }
    let next = (skip + max < items.len()).then(|| (skip + max).to_string());
    Ok((items.into_iter().skip(skip).take(max).collect(), next))
}

/// A history page as awsQuery XML.
pub fn history_xml(items: &[&HistoryItem], next: Option<&str>, request_id: &str) -> String {
    let members: String = items
        .iter()
        .map(|h| {
            format!(
                "<member>{}<AlarmType>MetricAlarm</AlarmType>{}{}{}{}</member>",
                xml::element("AlarmName", &h.alarm),
                xml::element("Timestamp", &iso_millis(h.time)),
                xml::element("HistoryItemType", h.kind),
                xml::element("HistorySummary", &h.summary),
                xml::element("HistoryData", &h.data),
            )
        })
        .collect();
    let next = next
        .map(|t| xml::element("NextToken", t))
        .unwrap_or_default();
    xml::response(
        "DescribeAlarmHistory",
        "http://monitoring.amazonaws.com/doc/2010-08-01/",
        &format!("<AlarmHistoryItems>{members}</AlarmHistoryItems>{next}"),
        request_id,
    )
}

/// A history page as JSON (the AWS CLI speaks JSON 1.0 to CloudWatch).
pub fn history_json(items: &[&HistoryItem], next: Option<&str>) -> Value {
    let items: Vec<Value> = items
        .iter()
        .map(|h| {
            json!({
                "AlarmName": h.alarm,
                "AlarmType": "MetricAlarm",
                "Timestamp": h.time,
                "HistoryItemType": h.kind,
                "HistorySummary": h.summary,
                "HistoryData": h.data,
            })
        })
        .collect();
    let mut page = json!({ "AlarmHistoryItems": items });
    if let Some(next) = next {
        page["NextToken"] = Value::String(next.to_string());
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_is_newest_first_filtered_and_paged() {
        let mut world = World::default();
        for (i, kind) in ["ConfigurationUpdate", "StateUpdate", "StateUpdate"]
            .iter()
            .enumerate()
        {
            let entry = Entry {
                account: "1",
                region: "us-east-1",
                alarm: "A",
                time: i as f64,
            };
            add_history(&mut world, entry, kind, format!("s{i}"), "{}".into());
        }
        let entry = Entry {
            account: "2",
            region: "us-east-1",
            alarm: "A",
            time: 10.0,
        };
        add_history(
            &mut world,
            entry,
            "StateUpdate",
            "other".into(),
            "{}".into(),
        );
        let form: std::collections::BTreeMap<String, String> = [
            ("AlarmName", "A"),
            ("HistoryItemType", "StateUpdate"),
            ("MaxRecords", "1"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .into_iter()
        .collect();
        let (items, next) =
            history_page(&world.history, "1", "us-east-1", |k| form.get(k).cloned()).unwrap();
        let page = history_xml(&items, next.as_deref(), "r");
        assert_eq!(
            history_json(&items, next.as_deref())["AlarmHistoryItems"][0]["HistorySummary"],
            "s2"
        );
        assert!(
            page.contains("<HistorySummary>s2</HistorySummary>"),
            "{page}"
        );
        assert!(!page.contains("s1<"));
        assert!(page.contains("<NextToken>1</NextToken>"));
    }
}
