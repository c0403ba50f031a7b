//! The evaluation: the state an alarm's data calls for at a time, a pure function of
//! the alarm, its metric's data points and the time.

use serde_json::{Value, json};

use super::State;
use crate::world::{Datapoint, cloudwatch_time, reason_number, reason_time};
use checkers::snapshot::Alarm;

/// The outcome of one evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The state the data calls for.
    pub state: State,
    /// Why, in CloudWatch's words.
    pub reason: String,
    /// The data behind it (`stateReasonData`).
    pub reason_data: Value,
}

/// The data points of `alarm`'s metric among `points`: same namespace, name and
/// dimensions, and, when the alarm names a unit, that unit (CloudWatch API
/// reference, PutMetricAlarm, `Unit`: a unit not published for the metric leaves
/// the alarm "stuck in the INSUFFICIENT DATA state").
pub fn points_of<'p>(
    alarm: &Alarm,
    account: &str,
    region: &str,
    points: &'p [Datapoint],
) -> Vec<&'p Datapoint> {
    let mut dimensions = alarm.dimensions.clone();
    dimensions.sort();
    points
        .iter()
        .filter(|p| {
            p.account == account
                && p.region == region
                && Some(&p.namespace) == alarm.namespace.as_ref()
                && Some(&p.metric) == alarm.metric.as_ref()
                && p.dimensions == dimensions
                && alarm.unit.as_ref().is_none_or(|unit| *unit == p.unit)
        })
        .collect()
}

/// The state `alarm` should be in at `now`, given its metric's `points`. `None`
/// when it cannot be evaluated here (metric math, percentiles, anomaly bands) or when
/// missing data is to be ignored and there is none.
pub fn evaluate(alarm: &Alarm, points: &[&Datapoint], now: f64) -> Option<Evaluation> {
    let statistic = alarm.statistic.as_deref()?;
    let period = f64::from(alarm.period.filter(|p| *p > 0)?);
    let periods = alarm.evaluation_periods.filter(|n| *n > 0)? as usize;
    let needed = alarm
        .datapoints_to_alarm
        .filter(|n| *n > 0)
        .unwrap_or(periods as i32) as usize;
    let threshold = alarm.threshold?;
    let comparison = alarm.comparison.as_deref()?;
    let breaches = |v: f64| match comparison {
        "GreaterThanOrEqualToThreshold" => Some(v >= threshold),
        "GreaterThanThreshold" => Some(v > threshold),
        "LessThanThreshold" => Some(v < threshold),
        "LessThanOrEqualToThreshold" => Some(v <= threshold),
        _ => None,
    };
    breaches(0.0)?;
    // A metric filter's data is standard resolution: CloudWatch keeps it per minute,
    // and evaluates "at the end of minute 5 ... based on data from minutes 1 to 5"
    // (CloudWatch User Guide, "Alarm evaluation"). So the windows end at the last
    // whole minute, and a datum counts in the minute it falls in.
    let now = minute(now);
    // Oldest period first, as CloudWatch lists recent datapoints.
    let windows: Vec<(f64, Vec<f64>)> = (0..periods)
        .rev()
        .map(|k| {
            let end = now - k as f64 * period;
            let start = end - period;
            let values = points
                .iter()
                .filter(|p| (start..end).contains(&minute(p.time)))
                .map(|p| p.value)
                .collect();
            (start, values)
        })
        .collect();
    let mut values = Vec::new();
    for (start, data) in &windows {
        if data.is_empty() {
            continue;
        }
        values.push((*start, data.len(), statistic_of(statistic, data)?));
    }
    let missing = periods - values.len();
    let treatment = alarm.treat_missing_data.as_deref().unwrap_or("missing");
    let breaching = values
        .iter()
        .filter(|(_, _, v)| breaches(*v) == Some(true))
        .count()
        + if treatment == "breaching" { missing } else { 0 };
    let recent: Vec<Value> = values.iter().map(|(_, _, v)| json!(v)).collect();
    let reason_data = json!({
        "version": "1.0",
        "queryDate": cloudwatch_time(now),
        "startDate": cloudwatch_time(now - periods as f64 * period),
        "statistic": statistic,
        "period": period as i64,
        "recentDatapoints": recent,
        "threshold": threshold,
        "evaluatedDatapoints": values.iter().rev().map(|(start, n, v)| json!({
            "timestamp": cloudwatch_time(*start),
            "sampleCount": *n as f64,
            "value": v,
        })).collect::<Vec<_>>(),
    });
    let listed: Vec<String> = values
        .iter()
        .map(|(start, _, v)| format!("{} ({})", reason_number(*v), reason_time(*start)))
        .collect();
    let words = comparison_words(comparison);
    let plural = |n: usize| if n == 1 { "datapoint" } else { "datapoints" };
    if values.is_empty() && matches!(treatment, "missing" | "ignore") {
        if treatment == "ignore" {
            return None;
        }
        return Some(Evaluation {
            state: State::InsufficientData,
            reason: format!(
                "Insufficient Data: {periods} {} {} unknown.",
                plural(periods),
                if periods == 1 { "was" } else { "were" }
            ),
            reason_data,
        });
    }
    if breaching >= needed {
        Some(Evaluation {
            state: State::Alarm,
            reason: format!(
                "Threshold Crossed: {breaching} out of the last {periods} {} [{}] {} {words} the threshold ({}) (minimum {needed} {} for OK -> ALARM transition).",
                plural(periods),
                listed.join(", "),
                if breaching == 1 { "was" } else { "were" },
                reason_number(threshold),
                plural(needed),
            ),
            reason_data,
        })
    } else {
        Some(Evaluation {
            state: State::Ok,
            reason: format!(
                "Threshold Crossed: {} {} [{}] {} not {words} the threshold ({}) (minimum {needed} {} for ALARM -> OK transition).",
                values.len(),
                plural(values.len()),
                listed.join(", "),
                if values.len() == 1 { "was" } else { "were" },
                reason_number(threshold),
                plural(needed),
            ),
            reason_data,
        })
    }
}

/// The start of the minute `time` falls in.
pub fn minute(time: f64) -> f64 {
    (time / 60.0).floor() * 60.0
}

fn statistic_of(statistic: &str, values: &[f64]) -> Option<f64> {
    let n = values.len() as f64;
    let sum: f64 = values.iter().sum();
    match statistic {
        "Sum" => Some(sum),
        "Average" => Some(sum / n),
        "Minimum" => values.iter().copied().reduce(f64::min),
        "Maximum" => values.iter().copied().reduce(f64::max),
        "SampleCount" => Some(n),
        _ => None,
    }
}

fn comparison_words(comparison: &str) -> &'static str {
    match comparison {
        "GreaterThanOrEqualToThreshold" => "greater than or equal to",
        "GreaterThanThreshold" => "greater than",
        "LessThanThreshold" => "less than",
        _ => "less than or equal to",
    }
}
