//! Troubleshooting with the metric's real numbers for recent periods, so the
//! learner sees why an Average alarm stays below 1 while the Sum reaches it. When
//! it is shown, and what the numbers mean, is the lessons' `troubleshoot`.

use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::Statistic;
use console::style;

use crate::session::Session;

/// The last hour of the metric, per alarm period: events, Average and Sum, the
/// alarm's statistic against its threshold, then `explain` (the lessons' Markdown)
/// under them when given, wrapped to `width`.
pub async fn metric_numbers(session: &Session<'_>, explain: Option<&str>, width: usize) -> String {
    let cloudwatch = session.aws.cloudwatch();
    let names = &session.names;
    let alarm = cloudwatch
        .describe_alarms()
        .alarm_names(&names.alarm)
        .send()
        .await
        .ok()
        .and_then(|a| a.metric_alarms().first().cloned());
    let period = alarm.as_ref().and_then(|a| a.period()).unwrap_or(300);
    let watched = alarm
        .as_ref()
        .and_then(|a| Some((a.statistic()?.as_str().to_string(), a.threshold()?)));
    let now = std::time::SystemTime::now();
    let statistics = cloudwatch
        .get_metric_statistics()
        .namespace(&names.namespace)
        .metric_name(&names.metric)
        .start_time(DateTime::from(now - std::time::Duration::from_secs(3600)))
        // Up to an hour ahead too: a sandbox whose clock was moved on stamps its
        // data ahead of this machine's (on AWS there is none).
        .end_time(DateTime::from(now + std::time::Duration::from_secs(3600)))
        .period(period)
        .statistics(Statistic::Average)
        .statistics(Statistic::Sum)
        .statistics(Statistic::SampleCount)
        .send()
        .await;
    let heading = style(format!(
        "The metric `{}` over the last hour, per {period} s period:",
        names.metric
    ))
    .bold();
    let mut points = match statistics {
        Ok(out) => out.datapoints().to_vec(),
        Err(e) => {
            return format!(
                "\n  {heading}\n    (could not read it: {})",
                checkers::read_error::one_line(&e)
            );
        }
    };
    if points.is_empty() {
        return format!(
            "\n  {heading}\n    no data points yet: CloudTrail delivers about every 5 minutes, then the filter emits."
        );
    }
    points.sort_by_key(|p| p.timestamp().map(|t| t.secs()));
    let rows: Vec<Row> = points
        .iter()
        .map(|p| Row {
            start: p.timestamp().map(|t| t.secs()).unwrap_or_default(),
            events: p.sample_count().unwrap_or(0.0),
            average: p.average().unwrap_or(0.0),
            sum: p.sum().unwrap_or(0.0),
        })
        .collect();
    let mut text = format!("\n  {heading}\n");
    // What the alarm makes of them, in its own terms.
    if let Some(alarm) = &alarm {
        let state = alarm.state_value().map(|s| s.as_str()).unwrap_or("unknown");
        let rule = match (alarm.statistic(), alarm.threshold()) {
            (Some(statistic), Some(threshold)) => format!(
                " ({} over {period} s, {} {threshold})",
                statistic.as_str(),
                comparison_sign(alarm.comparison_operator().map(|c| c.as_str()))
            ),
            _ => String::new(),
        };
        text.push_str(&format!(
            "    The alarm `{}`{rule} is {}.\n",
            names.alarm,
            style(state).bold()
        ));
    }
    text.push_str(&table(
        &rows,
        watched.as_ref().map(|(s, t)| (s.as_str(), *t)),
    ));
    if let Some(explain) = explain {
        text.push_str(&crate::markdown::render_to(explain, 4, width));
    }
    text
}

/// A comparison operator as a sign: `≥` for GreaterThanOrEqualToThreshold.
fn comparison_sign(operator: Option<&str>) -> &'static str {
    match operator {
        Some("GreaterThanOrEqualToThreshold") => "≥",
        Some("GreaterThanThreshold") => ">",
        Some("LessThanThreshold") => "<",
        Some("LessThanOrEqualToThreshold") => "≤",
        _ => "vs",
    }
}

/// One period of the metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    /// When the period starts, in seconds since the epoch.
    pub start: i64,
    /// How many values the filter emitted in it (one per log event).
    pub events: f64,
    /// Their Average.
    pub average: f64,
    /// Their Sum.
    pub sum: f64,
}

/// The periods as a table that lines up, and, when the alarm is known (its
/// statistic and threshold), a bar per period of the statistic it watches against
/// the threshold (`│`).
pub fn table(rows: &[Row], watched: Option<(&str, f64)>) -> String {
    let mut text = format!(
        "    {:<16}  {:>6}  {:>8}  {:>6}",
        "period (UTC)", "events", "Average", "Sum"
    );
    if let Some((statistic, threshold)) = watched {
        text.push_str(&format!("   {statistic} against the threshold {threshold}"));
    }
    text.push('\n');
    for row in rows {
        let when = aws_smithy_types::DateTime::from_secs(row.start)
            .fmt(aws_smithy_types::date_time::Format::DateTime)
            .unwrap_or_default();
        let when = when.get(..16).unwrap_or(&when).replace('T', " ");
        text.push_str(&format!(
            "    {when:<16}  {:>6}  {:>8.3}  {:>6}",
            row.events, row.average, row.sum
        ));
        if let Some((statistic, threshold)) = watched {
            let value = if statistic == "Sum" {
                row.sum
            } else {
                row.average
            };
            text.push_str(&format!("   {}", bar(value, threshold)));
        }
        text.push('\n');
    }
    text
}

/// Columns of a bar; the threshold sits in the middle.
const BAR: usize = 20;

/// `value` as a bar against `threshold` (`│`, halfway along): it covers the mark
/// when the value reaches the threshold.
fn bar(value: f64, threshold: f64) -> String {
    let mark = BAR / 2;
    let scale = if threshold > 0.0 { threshold } else { 1.0 };
    let filled = ((value / scale) * (mark + 1) as f64)
        .round()
        .clamp(0.0, BAR as f64) as usize;
    let filled = if value > 0.0 { filled.max(1) } else { 0 };
    (0..BAR)
        .map(|i| match (i < filled, i == mark) {
            (true, _) => '█',
            (false, true) => '│',
            (false, false) => ' ',
        })
        .collect::<String>()
        .trim_end()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_lines_up_and_the_bars_meet_the_threshold_only_when_reached() {
        let rows = [
            Row {
                start: 1_795_860_000,
                events: 20.0,
                average: 0.05,
                sum: 1.0,
            },
            Row {
                start: 1_795_860_060,
                events: 5.0,
                average: 0.0,
                sum: 0.0,
            },
        ];
        let average = table(&rows, Some(("Average", 1.0)));
        let lines: Vec<&str> = average.lines().collect();
        assert_eq!(
            lines[1],
            "    2026-11-28 10:00      20     0.050       1   █         │"
        );
        assert_eq!(
            lines[2],
            "    2026-11-28 10:01       5     0.000       0             │"
        );
        let sum = table(&rows, Some(("Sum", 1.0)));
        assert!(
            sum.lines().nth(1).unwrap().ends_with(&"█".repeat(11)),
            "{sum}"
        );
        assert!(!table(&rows, None).contains('│'));
        assert_eq!(bar(3.0, 1.0), "█".repeat(20));
    }
}
