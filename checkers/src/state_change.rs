//! What an alarm's history says of one of its state changes: the state it went to,
//! when, and the evaluation behind it (`stateReasonData`): the statistic, the period
//! and each datapoint CloudWatch evaluated, with the time its period starts.
//!
//! The fetch reads it to know which periods of the metric to ask CloudWatch for;
//! `alarm.fired` reads it to find the read that caused an ALARM. A manual
//! `SetAlarmState` may carry reason data too (CloudWatch API reference,
//! SetAlarmState: `StateReasonData`, "in JSON format"), so what it claims is checked
//! against the metric's own data, never taken on trust.

use serde_json::Value;

use crate::snapshot::AlarmHistoryItem;

/// One state change from an alarm's history.
#[derive(Debug, Clone, PartialEq)]
pub struct StateChange {
    /// The state it went to: `ALARM`, `OK`, `INSUFFICIENT_DATA`.
    pub state: String,
    /// When (seconds since the epoch), when the history's timestamp can be read.
    pub at: Option<i64>,
    /// The evaluation it reports, when it carries one that can be read.
    pub evaluation: Option<Evaluation>,
}

/// An evaluation, as `stateReasonData` reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The statistic: `Sum`, `Average`...
    pub statistic: String,
    /// The period, in seconds.
    pub period: i64,
    /// The threshold.
    pub threshold: f64,
    /// Each datapoint evaluated, oldest first.
    pub datapoints: Vec<EvaluatedPoint>,
}

/// One datapoint an evaluation looked at.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EvaluatedPoint {
    /// When its period starts (seconds since the epoch).
    pub start: i64,
    /// The statistic over the period.
    pub value: f64,
}

impl StateChange {
    /// The change `item` records; `None` when its data is not a state change.
    pub fn of(item: &AlarmHistoryItem) -> Option<StateChange> {
        let data: Value = serde_json::from_str(&item.data).ok()?;
        let new_state = data.get("newState")?;
        let state = new_state.get("stateValue")?.as_str()?.to_string();
        // The reason data is JSON, written in the history's JSON as an object or
        // as a string holding one.
        let reason = match new_state.get("stateReasonData") {
            Some(Value::String(text)) => serde_json::from_str(text).ok(),
            Some(object @ Value::Object(_)) => Some(object.clone()),
            _ => None,
        };
        Some(StateChange {
            state,
            at: epoch(&item.timestamp),
            evaluation: reason.as_ref().and_then(Evaluation::of),
        })
    }

    /// Whether it went into ALARM.
    pub fn is_alarm(&self) -> bool {
        self.state == "ALARM"
    }
}

impl Evaluation {
    fn of(reason: &Value) -> Option<Evaluation> {
        let datapoints = reason
            .get("evaluatedDatapoints")?
            .as_array()?
            .iter()
            .map(|p| {
                Some(EvaluatedPoint {
                    start: epoch(p.get("timestamp")?.as_str()?)?,
                    value: p.get("value")?.as_f64()?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let mut datapoints = datapoints;
        datapoints.sort_by_key(|p| p.start);
        Some(Evaluation {
            statistic: reason.get("statistic")?.as_str()?.to_string(),
            period: reason.get("period")?.as_i64().filter(|p| *p > 0)?,
            threshold: reason.get("threshold")?.as_f64()?,
            datapoints,
        })
    }

    /// The datapoints that crossed the threshold under `comparison` (the alarm's
    /// `ComparisonOperator`); none for an operator lab does not know.
    pub fn breaching(&self, comparison: &str) -> Vec<EvaluatedPoint> {
        self.datapoints
            .iter()
            .copied()
            .filter(|p| crosses(comparison, p.value, self.threshold))
            .collect()
    }
}

/// Whether `value` crosses `threshold` under `comparison`.
pub fn crosses(comparison: &str, value: f64, threshold: f64) -> bool {
    match comparison {
        "GreaterThanOrEqualToThreshold" => value >= threshold,
        "GreaterThanThreshold" => value > threshold,
        "LessThanThreshold" => value < threshold,
        "LessThanOrEqualToThreshold" => value <= threshold,
        _ => false,
    }
}

/// Seconds since the epoch of a time as AWS writes them: RFC 3339
/// (`2026-11-28T09:06:00Z`), or CloudWatch's reason-data form with a `+0000` offset
/// (`2026-11-28T09:06:00.000+0000`).
pub fn epoch(time: &str) -> Option<i64> {
    use aws_smithy_types::DateTime;
    use aws_smithy_types::date_time::Format;
    let time = time.trim();
    let normal = match time.strip_suffix("+0000") {
        Some(rest) => format!("{rest}Z"),
        None => time.to_string(),
    };
    DateTime::from_str(&normal, Format::DateTime)
        .ok()
        .map(|t| t.secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(data: &str) -> AlarmHistoryItem {
        AlarmHistoryItem {
            timestamp: "2026-11-28T09:06:10Z".into(),
            summary: "Alarm updated from OK to ALARM".into(),
            data: data.into(),
        }
    }

    #[test]
    fn reads_cloudwatchs_own_reason_data() {
        // The shape of CloudWatch's stateReasonData, as DescribeAlarmHistory returns
        // it (the reason data nested as a JSON object).
        let change = StateChange::of(&item(
            r#"{"version":"1.0","oldState":{"stateValue":"OK"},"newState":{"stateValue":"ALARM",
            "stateReason":"Threshold Crossed: 1 out of the last 1 datapoints [1.0 (28/11/26 09:00:00)] was greater than or equal to the threshold (1.0).",
            "stateReasonData":{"version":"1.0","queryDate":"2026-11-28T09:06:09.581+0000","startDate":"2026-11-28T09:00:00.000+0000",
            "statistic":"Sum","period":300,"recentDatapoints":[1.0],"threshold":1.0,
            "evaluatedDatapoints":[{"timestamp":"2026-11-28T09:00:00.000+0000","sampleCount":20.0,"value":1.0}]}}}"#,
        ))
        .expect("a state change");
        assert!(change.is_alarm());
        assert_eq!(change.at, epoch("2026-11-28T09:06:10Z"));
        let evaluation = change.evaluation.expect("an evaluation");
        assert_eq!(evaluation.statistic, "Sum");
        assert_eq!(evaluation.period, 300);
        assert_eq!(
            evaluation.breaching("GreaterThanOrEqualToThreshold"),
            [EvaluatedPoint {
                start: epoch("2026-11-28T09:00:00Z").unwrap(),
                value: 1.0
            }]
        );
        assert!(evaluation.breaching("GreaterThanThreshold").is_empty());
    }

    #[test]
    fn a_change_by_hand_or_with_unreadable_data_has_no_evaluation() {
        let by_hand = StateChange::of(&item(
            r#"{"newState":{"stateValue":"ALARM","stateReason":"testing"}}"#,
        ))
        .unwrap();
        assert!(by_hand.is_alarm());
        assert_eq!(by_hand.evaluation, None);
        let as_text = StateChange::of(&item(
            r#"{"newState":{"stateValue":"ALARM","stateReasonData":"{\"statistic\":\"Sum\"}"}}"#,
        ))
        .unwrap();
        assert_eq!(as_text.evaluation, None, "no period or datapoints");
        assert_eq!(StateChange::of(&item("not json")), None);
    }

    #[test]
    fn times_in_either_of_aws_forms() {
        assert_eq!(epoch("1970-01-01T00:01:00Z"), Some(60));
        assert_eq!(epoch("1970-01-01T00:01:00.000+0000"), Some(60));
        assert_eq!(epoch("yesterday"), None);
    }
}
