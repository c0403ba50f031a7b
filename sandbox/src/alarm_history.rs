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
    let ascending = param("ScanBy").as_deref() == Some("TimestampAscending");
    // A token is the position in the history to go on from (newest first: the end,
    // exclusive, of what is left; oldest first: its start), so that items added
    // between two pages neither repeat nor shift the next one.
    let from = match param("NextToken") {
        Some(t) => t
            .parse::<usize>()
            .ok()
            .filter(|position| *position <= history.len())
            .ok_or_else(|| {
                Refusal::new(
                    "InvalidNextToken",
                    "the NextToken is not one this sandbox gave out",
                )
            })?,
        None if ascending => 0,
        None => history.len(),
    };
    let name = param("AlarmName");
    let kind = param("HistoryItemType");
    let wanted = |h: &HistoryItem| {
        h.account == account
            && h.region == region
            && name.as_ref().is_none_or(|n| *n == h.alarm)
            && kind.as_ref().is_none_or(|k| k == h.kind)
            && start.is_none_or(|s| h.time >= s)
            && end.is_none_or(|e| h.time <= e)
    };
    let mut items = Vec::new();
    let mut next = None;
    if ascending {
        for (i, h) in history.iter().enumerate().skip(from) {
            if !wanted(h) {
                continue;
            }
            if items.len() == max {
                next = Some(i);
                break;
            }
            items.push(h);
        }
    } else {
        for (i, h) in history[..from].iter().enumerate().rev() {
            if !wanted(h) {
                continue;
            }
            if items.len() == max {
                next = Some(i + 1);
                break;
            }
            items.push(h);
        }
    }
    Ok((items, next.map(|n| n.to_string())))
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
        let token = next.expect("a next page");
        assert!(page.contains(&format!("<NextToken>{token}</NextToken>")));
        // An item added before the next page is asked for is not in it.
        let entry = Entry {
            account: "1",
            region: "us-east-1",
            alarm: "A",
            time: 20.0,
        };
        add_history(&mut world, entry, "StateUpdate", "s3".into(), "{}".into());
        let mut second = form.clone();
        second.insert("NextToken".into(), token);
        let (items, next) =
            history_page(&world.history, "1", "us-east-1", |k| second.get(k).cloned()).unwrap();
        let summaries: Vec<&str> = items.iter().map(|h| h.summary.as_str()).collect();
        assert_eq!((summaries, next), (vec!["s1"], None));
    }

    #[test]
    fn history_pages_oldest_first_and_refuses_tokens_it_never_gave() {
        let mut world = World::default();
        for i in 0..5 {
            let entry = Entry {
                account: "1",
                region: "us-east-1",
                alarm: "A",
                time: f64::from(i),
            };
            add_history(
                &mut world,
                entry,
                "StateUpdate",
                format!("s{i}"),
                "{}".into(),
            );
        }
        let mut form: std::collections::BTreeMap<String, String> =
            [("ScanBy", "TimestampAscending"), ("MaxRecords", "2")]
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .into_iter()
                .collect();
        let mut seen = Vec::new();
        loop {
            let (items, next) =
                history_page(&world.history, "1", "us-east-1", |k| form.get(k).cloned()).unwrap();
            seen.extend(items.iter().map(|h| h.summary.clone()));
            match next {
                Some(token) => form.insert("NextToken".into(), token),
                None => break,
            };
        }
        assert_eq!(seen, ["s0", "s1", "s2", "s3", "s4"]);
        form.insert("NextToken".into(), "99".into());
        let refusal =
            history_page(&world.history, "1", "us-east-1", |k| form.get(k).cloned()).unwrap_err();
        assert_eq!(refusal.code, "InvalidNextToken");
    }
}
