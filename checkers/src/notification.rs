//! The message CloudWatch publishes to an SNS topic when an alarm changes state, as
//! JSON: what a subscription's filter policy on the message body is applied to.
//! `lab check` judges filter policies against it; the sandbox publishes it.
//!
//! CloudWatch's alarm notifications carry no SNS message attributes: only the body.
//! AWS documents no field list for this message; these are the fields CloudWatch
//! sends (`AlarmName`, `NewStateValue`, `Trigger`...), as alarm emails show them.

use serde_json::{Value, json};

use crate::snapshot::Alarm;

/// One state change to announce.
#[derive(Debug, Clone, Copy)]
pub struct Change<'a> {
    /// The state before.
    pub old: &'a str,
    /// The state now.
    pub new: &'a str,
    /// Why, in CloudWatch's words.
    pub reason: &'a str,
    /// When, as CloudWatch writes it (`2026-12-06T10:00:00.000+0000`).
    pub time: &'a str,
}

/// The notification for `change` of `alarm`, in `account` and `region`.
pub fn alarm_message(alarm: &Alarm, account: &str, region: &str, change: &Change) -> Value {
    let statistic = alarm.statistic.clone().unwrap_or_default();
    json!({
        "AlarmName": alarm.name,
        "AlarmDescription": alarm.description,
        "AWSAccountId": account,
        "NewStateValue": change.new,
        "NewStateReason": change.reason,
        "StateChangeTime": change.time,
        "Region": region,
        "AlarmArn": alarm.arn,
        "OldStateValue": change.old,
        "Trigger": {
            "MetricName": alarm.metric,
            "Namespace": alarm.namespace,
            "StatisticType": "Statistic",
            "Statistic": statistic.to_uppercase(),
            "Unit": alarm.unit,
            "Dimensions": alarm.dimensions.iter().map(|(n, v)| json!({"name": n, "value": v})).collect::<Vec<_>>(),
            "Period": alarm.period,
            "EvaluationPeriods": alarm.evaluation_periods,
            "DatapointsToAlarm": alarm.datapoints_to_alarm,
            "ComparisonOperator": alarm.comparison,
            "Threshold": alarm.threshold,
            "TreatMissingData": alarm.treat_missing_data.as_deref().unwrap_or("missing"),
        }
    })
}

/// The ALARM notifications `alarm` may send, whatever state it leaves and whenever
/// it fires: what a subscription must take, every one, for a read to reach the inbox.
pub fn alarm_notifications(alarm: &Alarm, account: &str, region: &str) -> Vec<Value> {
    let threshold = alarm.threshold.unwrap_or(1.0);
    let mut all = Vec::new();
    for old in ["OK", "INSUFFICIENT_DATA"] {
        for (time, count) in [
            ("2026-01-15T03:04:05.678+0000", 1.0),
            ("2031-07-30T21:59:59.999+0000", 3.0),
        ] {
            let reason = format!(
                "Threshold Crossed: 1 out of the last 1 datapoints [{count:.1} ({})] was greater than or equal to the threshold ({threshold:.1}) \
                 (minimum 1 datapoint for {old} -> ALARM transition).",
                &time[..16]
            );
            all.push(alarm_message(
                alarm,
                account,
                region,
                &Change {
                    old,
                    new: "ALARM",
                    reason: &reason,
                    time,
                },
            ));
        }
    }
    all
}
