//! Troubleshooting with the metric's real numbers for recent periods, so the
//! learner sees why an Average alarm stays below 1 while the Sum reaches it. When
//! it is shown, and what the numbers mean, is the lessons' `troubleshoot`.

use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::Statistic;
use console::style;

use crate::session::Session;

/// What the guide shows of the metric: the numbers, and, when asked for, what they
/// mean. Two screens' worth, held apart so that the numbers are read first.
#[derive(Debug, Clone, Default)]
pub struct Numbers {
    /// The last hour per minute, the alarm's statistic and state, and what the
    /// alarm's own window made of each read.
    pub numbers: String,
    /// The lessons' explanation, wrapped; `None` when not asked for.
    pub explanation: Option<String>,
}

/// The last hour of the metric, per minute (as CloudWatch keeps a metric filter's
/// data): events, Average and Sum, the alarm's statistic and state; when `explain`
/// (the lessons' Markdown) is given, what the alarm's own window made of each read,
/// and `explain` apart. Wrapped to `width`.
pub async fn metric_numbers(session: &Session<'_>, explain: Option<&str>, width: usize) -> Numbers {
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
        .period(MINUTE as i32)
        .statistics(Statistic::Average)
        .statistics(Statistic::Sum)
        .statistics(Statistic::SampleCount)
        .send()
        .await;
    let heading = style(format!(
        "The metric `{}` over the last hour, per minute:",
        names.metric
    ))
    .bold();
    let mut points = match statistics {
        Ok(out) => out.datapoints().to_vec(),
        Err(e) => {
            return Numbers {
                numbers: format!(
                    "\n  {heading}\n    (could not read it: {})",
                    checkers::read_error::one_line(&e)
                ),
                explanation: explain.map(|e| crate::markdown::render_to(e, 4, width)),
            };
        }
    };
    if points.is_empty() {
        return Numbers {
            numbers: format!(
                "\n  {heading}\n    no data points yet: CloudTrail delivers about every 5 minutes, then the filter emits."
            ),
            explanation: explain.map(|e| crate::markdown::render_to(e, 4, width)),
        };
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
        text.push_str(&crate::markdown::wrap_text(
            "",
            &format!(
                "The alarm `{}`{rule} is {}.",
                names.alarm,
                style(state).bold()
            ),
            4,
            width,
        ));
    }
    let shown = shown_rows(&rows);
    text.push_str(&table(&shown, threshold));
    if shown.len() < rows.len() {
        text.push_str(&format!(
            "    ({} quieter minutes with data not shown)\n",
            rows.len() - shown.len()
        ));
    }
    // What the alarm's window made of each read, in the learner's numbers, then
    // what that means.
    if explain.is_some()
        && let Some(threshold) = threshold
    {
        for sentence in in_your_numbers(&rows, i64::from(period), threshold, sign) {
            text.push_str(&crate::markdown::wrap_text("", &sentence, 4, width));
        }
    }
    Numbers {
        numbers: text,
        explanation: explain.map(|e| crate::markdown::render_to(e, 4, width)),
    }
}

/// A minute, in seconds: the resolution of a metric filter's data.
const MINUTE: i64 = 60;

/// At most this many minutes are listed, so that the table, the alarm's state and
/// the menu fit one screen.
const ROWS_SHOWN: usize = 8;

/// The minutes worth a row, oldest first: every minute that counted something (a
/// read), then the latest of the others, up to [`ROWS_SHOWN`].
fn shown_rows(rows: &[Row]) -> Vec<Row> {
    let mut keep: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].sum > 0.0).collect();
    keep.drain(..keep.len().saturating_sub(ROWS_SHOWN));
    let others = (0..rows.len()).rev().filter(|&i| rows[i].sum <= 0.0);
    let room = ROWS_SHOWN - keep.len();
    keep.extend(others.take(room));
    keep.sort_unstable();
    keep.into_iter().map(|i| rows[i]).collect()
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

/// What the alarm's own window made of each of the latest minutes that counted
/// something (the two experiments), said in the learner's numbers. CloudWatch
/// evaluates an alarm over whole minutes, `period` seconds at a time, sliding a
/// minute at a time ("Alarm evaluation window",
/// <https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation-window.html>):
/// of the windows that hold the minute, the one with the highest Average is the
/// best the alarm could see, and its Average and Sum are set against the threshold.
pub fn in_your_numbers(rows: &[Row], period: i64, threshold: f64, sign: &str) -> Vec<String> {
    let window_secs = period.max(MINUTE) / MINUTE * MINUTE;
    let counted: Vec<&Row> = rows.iter().filter(|r| r.sum > 0.0).collect();
    let side = |value: f64| {
        let reaches = match sign {
            "≥" => value >= threshold,
            ">" => value > threshold,
            "≤" => value <= threshold,
            "<" => value < threshold,
            _ => return String::new(),
        };
        if reaches {
            format!(" ({sign} {threshold}: ALARM)")
        } else {
            format!(" (not {sign} {threshold}: no alarm)")
        }
    };
    counted[counted.len().saturating_sub(2)..]
        .iter()
        .filter_map(|row| {
            let best = (0..window_secs / MINUTE)
                .map(|k| window(rows, row.start - k * MINUTE, window_secs))
                .max_by(|a, b| {
                    a.average()
                        .total_cmp(&b.average())
                        .then(a.start.cmp(&b.start))
                })?;
            let window_words = if window_secs == MINUTE {
                "The alarm's window is that minute".to_string()
            } else {
                format!(
                    "Of the alarm's {window_secs} s windows that hold it, the best for the Average, \
                     from {}, counted {} among {}",
                    time_of_day(best.start),
                    best.sum,
                    best.events
                )
            };
            Some(format!(
                "In your numbers: the minute from {} counted {} among {}. {window_words}: \
                 Average {:.3}{}; Sum {}{}.",
                time_of_day(row.start),
                row.sum,
                events(row.events),
                best.average(),
                side(best.average()),
                best.sum,
                side(best.sum),
            ))
        })
        .collect()
}

/// `10:07`, for a time in seconds since the epoch: the table above gives the day.
fn time_of_day(start: i64) -> String {
    minute(start).get(11..).unwrap_or_default().to_string()
}

/// `1 event`, `3 events`.
fn events(count: f64) -> String {
    format!("{count} event{}", if count == 1.0 { "" } else { "s" })
}

/// The minutes from `start`, `width` seconds of them, added up.
fn window(rows: &[Row], start: i64, width: i64) -> Window {
    let inside = rows
        .iter()
        .filter(|r| (start..start + width).contains(&r.start));
    let (events, sum) = inside.fold((0.0, 0.0), |(e, s), r| (e + r.events, s + r.sum));
    Window { start, events, sum }
}

/// An alarm's window over the metric: its events and their Sum.
struct Window {
    start: i64,
    events: f64,
    sum: f64,
}

impl Window {
    fn average(&self) -> f64 {
        if self.events > 0.0 {
            self.sum / self.events
        } else {
            0.0
        }
    }
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
        assert_eq!(bar(3.0, 1.0), "█".repeat(BAR));
    }

    /// A minute of the metric: `at` minutes after 10:00.
    fn at(minutes: i64, events: f64, sum: f64) -> Row {
        Row {
            start: 1_795_860_000 + minutes * MINUTE,
            events,
            sum,
            average: sum / events,
        }
    }

    #[test]
    fn each_experiment_is_told_by_the_alarms_best_window() {
        // A read among nineteen other events, five more the minute after (only a
        // window that ends before them holds the read without them); later, a read
        // alone, and the guide's calls two minutes after it.
        let rows = [
            at(0, 20.0, 1.0),
            at(1, 5.0, 0.0),
            at(7, 1.0, 1.0),
            at(9, 4.0, 0.0),
        ];
        let said = in_your_numbers(&rows, 300, 1.0, "≥");
        assert_eq!(
            said,
            [
                "In your numbers: the minute from 10:00 counted 1 among 20 events. Of the \
                 alarm's 300 s windows that hold it, the best for the Average, from 09:56, \
                 counted 1 among 20: Average 0.050 (not ≥ 1: no alarm); Sum 1 (≥ 1: ALARM).",
                "In your numbers: the minute from 10:07 counted 1 among 1 event. Of the \
                 alarm's 300 s windows that hold it, the best for the Average, from 10:04, \
                 counted 1 among 1: Average 1.000 (≥ 1: ALARM); Sum 1 (≥ 1: ALARM).",
            ]
        );
        // With one-minute windows the read alone is judged by its own minute, and the
        // guide's calls after it do not matter.
        let said = in_your_numbers(&rows[2..], 60, 1.0, ">");
        assert_eq!(
            said,
            [
                "In your numbers: the minute from 10:07 counted 1 among 1 event. The alarm's \
              window is that minute: Average 1.000 (not > 1: no alarm); Sum 1 (not > 1: no \
              alarm)."
            ]
        );
        // Only the latest two are told; nothing counted, nothing to tell.
        assert_eq!(
            in_your_numbers(
                &[at(0, 2.0, 1.0), at(5, 2.0, 1.0), at(10, 2.0, 1.0)],
                60,
                1.0,
                "≥"
            )
            .len(),
            2
        );
        assert!(in_your_numbers(&rows[1..2], 300, 1.0, "≥").is_empty());
    }

    #[test]
    fn the_rows_shown_keep_every_counted_minute_and_the_latest_others() {
        let mut rows: Vec<Row> = (0..20).map(|m| at(m, 3.0, 0.0)).collect();
        rows[2] = at(2, 3.0, 1.0);
        rows[15] = at(15, 1.0, 1.0);
        let shown = shown_rows(&rows);
        let minutes: Vec<i64> = shown
            .iter()
            .map(|r| (r.start - rows[0].start) / MINUTE)
            .collect();
        assert_eq!(minutes, [2, 13, 14, 15, 16, 17, 18, 19]);
        assert_eq!(shown_rows(&rows[..3]).len(), 3);
    }
}
