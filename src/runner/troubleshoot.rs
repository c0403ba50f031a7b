//! Troubleshooting with the metric's real numbers for recent periods, so the
//! learner sees why an Average alarm stays below 1 while the Sum reaches it. When
//! it is shown, and what the numbers mean, is the lessons' `troubleshoot`.

use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::Statistic;
use console::style;

use crate::session::Session;

/// The last hour of the metric, per alarm period: Average, Sum, SampleCount, then
/// `explain` (the lessons' Markdown) under them.
pub async fn metric_numbers(session: &Session<'_>, explain: &str) -> String {
    let cloudwatch = session.aws.cloudwatch();
    let names = &session.names;
    let period = cloudwatch
        .describe_alarms()
        .alarm_names(&names.alarm)
        .send()
        .await
        .ok()
        .and_then(|a| a.metric_alarms().first().and_then(|a| a.period()))
        .unwrap_or(300);
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
    let mut text = format!(
        "\n  {heading}\n    {:<22} {:>8} {:>6} {:>8}\n",
        "period", "Average", "Sum", "events"
    );
    for p in points {
        text.push_str(&format!(
            "    {:<22} {:>8.3} {:>6} {:>8}\n",
            p.timestamp().map(|t| t.to_string()).unwrap_or_default(),
            p.average().unwrap_or(0.0),
            p.sum().unwrap_or(0.0),
            p.sample_count().unwrap_or(0.0)
        ));
    }
    text.push_str(&crate::markdown::render(explain, 4));
    text
}
