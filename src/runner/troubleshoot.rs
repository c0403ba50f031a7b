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
    let threshold = alarm.as_ref().and_then(|a| a.threshold());
    let sign = comparison_sign(
        alarm
            .as_ref()
            .and_then(|a| a.comparison_operator())
            .map(|c| c.as_str()),
    );
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
    text.push_str(&table(&rows, threshold));
    if let Some(explain) = explain {
        // The explanation after the numbers, starting from them.
        if let Some(sentence) = threshold.and_then(|t| in_your_numbers(&rows, t, sign)) {
            text.push_str(&crate::markdown::wrap_text("", &sentence, 4, width));
        }
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

/// The periods as a table that lines up, and, when the alarm's threshold is known,
/// a bar per period for the Average and one for the Sum against it (`│`): the
/// statistic the alarm watches and the one it could.
pub fn table(rows: &[Row], threshold: Option<f64>) -> String {
    let mut text = format!(
        "    {:<16}  {:>6}  {:>8}  {:>6}",
        "period (UTC)", "events", "Average", "Sum"
    );
    if let Some(threshold) = threshold {
        let against = |statistic: &str| format!("{statistic} vs {threshold}");
        text.push_str(&format!(
            "   {:<BAR$}   {}",
            against("Average"),
            against("Sum")
        ));
    }
    text.push('\n');
    for row in rows {
        text.push_str(&format!(
            "    {:<16}  {:>6}  {:>8.3}  {:>6}",
            minute(row.start),
            row.events,
            row.average,
            row.sum
        ));
        if let Some(threshold) = threshold {
            text.push_str(&format!(
                "   {:<BAR$}   {}",
                bar(row.average, threshold),
                bar(row.sum, threshold)
            ));
        }
        text.push('\n');
    }
    text
}

/// `2026-11-28 10:00`, for a time in seconds since the epoch.
fn minute(start: i64) -> String {
    let when = aws_smithy_types::DateTime::from_secs(start)
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_default();
    when.get(..16).unwrap_or(&when).replace('T', " ")
}

/// The period with the most counted (the reads, when the filter counts 1 per read),
/// said in its own numbers: what each statistic makes of it against the threshold.
pub fn in_your_numbers(rows: &[Row], threshold: f64, sign: &str) -> Option<String> {
    let row = rows
        .iter()
        .filter(|r| r.sum > 0.0)
        .max_by(|a, b| a.sum.total_cmp(&b.sum))?;
    let side = |value: f64| {
        let reaches = match sign {
            "≥" => value >= threshold,
            ">" => value > threshold,
            "≤" => value <= threshold,
            "<" => value < threshold,
            _ => return String::new(),
        };
        if reaches {
            format!(" ({sign} {threshold}: it fires)")
        } else {
            format!(" (not {sign} {threshold}: it does not)")
        }
    };
    Some(format!(
        "In your numbers: the period from {} counted {} among {} events. Their Average is {:.3}{}; their Sum is {}{}.",
        minute(row.start),
        row.sum,
        row.events,
        row.average,
        side(row.average),
        row.sum,
        side(row.sum),
    ))
}

/// Columns of a bar; the threshold sits in the middle.
const BAR: usize = 12;

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
        let drawn = table(&rows, Some(1.0));
        let lines: Vec<&str> = drawn.lines().collect();
        assert_eq!(
            lines[0],
            "    period (UTC)      events   Average     Sum   Average vs 1   Sum vs 1"
        );
        assert_eq!(
            lines[1],
            "    2026-11-28 10:00      20     0.050       1   █     │        ███████"
        );
        assert_eq!(
            lines[2],
            "    2026-11-28 10:01       5     0.000       0         │              │"
        );
        assert!(drawn.lines().all(|l| console::measure_text_width(l) <= 80));
        assert!(!table(&rows, None).contains('│'));
        assert_eq!(
            in_your_numbers(&rows, 1.0, "≥").unwrap(),
            "In your numbers: the period from 2026-11-28 10:00 counted 1 among 20 events. \
             Their Average is 0.050 (not ≥ 1: it does not); their Sum is 1 (≥ 1: it fires)."
        );
        assert_eq!(bar(3.0, 1.0), "█".repeat(BAR));
    }
}
