//! CloudWatch Logs: log groups, their latest streams, every metric filter in the
//! region, and TestMetricFilter when asked.

use super::{Calls, Clients, all_pages, is_not_found};
use crate::read_error::{classify, code};
use crate::snapshot::{LogGroup, LogStream, MetricFilter, MetricTransformation, Read};

pub(super) async fn log_group(c: &Clients, calls: &Calls, name: &str) -> Read<Option<LogGroup>> {
    let mut token = None;
    loop {
        calls.tick();
        let out = c
            .logs
            .describe_log_groups()
            .log_group_name_prefix(name)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| classify("logs:DescribeLogGroups", &e))?;
        if let Some(group) = out
            .log_groups()
            .iter()
            .find(|g| g.log_group_name() == Some(name))
        {
            return Ok(Some(LogGroup {
                name: name.to_string(),
                arn: group.arn().map(str::to_string),
            }));
        }
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            return Ok(None);
        }
    }
}

pub(super) async fn log_streams(c: &Clients, calls: &Calls, group: &str) -> Read<Vec<LogStream>> {
    use aws_sdk_cloudwatchlogs::types::OrderBy;
    calls.tick();
    match c
        .logs
        .describe_log_streams()
        .log_group_name(group)
        .order_by(OrderBy::LastEventTime)
        .descending(true)
        .limit(5)
        .send()
        .await
    {
        Ok(out) => Ok(out
            .log_streams()
            .iter()
            .map(|s| LogStream {
                name: s.log_stream_name().unwrap_or_default().to_string(),
                last_event_timestamp: s.last_event_timestamp(),
                last_ingestion_time: s.last_ingestion_time(),
            })
            .collect()),
        Err(e) if is_not_found(code(&e)) => Ok(Vec::new()),
        Err(e) => Err(classify("logs:DescribeLogStreams", &e)),
    }
}

/// A metric filter as CloudWatch Logs describes it, as plain data.
pub fn metric_filter_from(f: &aws_sdk_cloudwatchlogs::types::MetricFilter) -> MetricFilter {
    MetricFilter {
        name: f.filter_name().unwrap_or_default().to_string(),
        log_group: f.log_group_name().unwrap_or_default().to_string(),
        created: f.creation_time(),
        pattern: f.filter_pattern().unwrap_or_default().to_string(),
        selection: f
            .field_selection_criteria()
            .filter(|c| !c.trim().is_empty())
            .map(str::to_string),
        on_transformed_logs: f.apply_on_transformed_logs(),
        transformations: f
            .metric_transformations()
            .iter()
            .map(|t| MetricTransformation {
                namespace: t.metric_namespace().to_string(),
                metric: t.metric_name().to_string(),
                value: t.metric_value().to_string(),
                default_value: t.default_value(),
                // System fields emitted as dimensions are dimensions all the same,
                // their value the field's.
                dimensions: t
                    .dimensions()
                    .map(|d| {
                        d.iter()
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
                    .into_iter()
                    .chain(
                        f.emit_system_field_dimensions()
                            .iter()
                            .map(|field| (field.clone(), field.clone())),
                    )
                    .collect(),
                unit: t.unit().map(|u| u.as_str().to_string()),
            })
            .collect(),
    }
}

/// Every metric filter in the region, on every log group.
pub(super) async fn metric_filters(c: &Clients, calls: &Calls) -> Read<Vec<MetricFilter>> {
    all_pages(calls, None, |token| async move {
        let out = match c
            .logs
            .describe_metric_filters()
            .set_next_token(token)
            .send()
            .await
        {
            Ok(out) => out,
            Err(e) => return Err(classify("logs:DescribeMetricFilters", &e)),
        };
        let filters = out
            .metric_filters()
            .iter()
            .map(metric_filter_from)
            .collect();
        Ok((filters, out.next_token().map(str::to_string)))
    })
    .await
}

pub(super) async fn test_filter(
    c: &Clients,
    calls: &Calls,
    pattern: &str,
    messages: &[String],
) -> Read<Vec<usize>> {
    calls.tick();
    let out = c
        .logs
        .test_metric_filter()
        .filter_pattern(pattern)
        .set_log_event_messages(Some(messages.to_vec()))
        .send()
        .await
        .map_err(|e| classify("logs:TestMetricFilter", &e))?;
    // Matched by text, not by `eventNumber`, so no numbering convention is assumed.
    Ok(out
        .matches()
        .iter()
        .filter_map(|m| m.event_message())
        .filter_map(|text| messages.iter().position(|m| m == text))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::metric_filter_from;
    use aws_sdk_cloudwatchlogs::types::{MetricFilter, MetricTransformation};

    #[test]
    fn newer_filter_settings_are_read_not_dropped() {
        let filter = MetricFilter::builder()
            .filter_name("reads")
            .filter_pattern("GetSecretValue")
            .log_group_name("group")
            .field_selection_criteria("@aws.account = \"999999999999\"")
            .apply_on_transformed_logs(true)
            .emit_system_field_dimensions("@aws.account")
            .metric_transformations(
                MetricTransformation::builder()
                    .metric_namespace("SecurityMetrics")
                    .metric_name("Secret is accessed")
                    .metric_value("1")
                    .build()
                    .unwrap(),
            )
            .build();
        let read = metric_filter_from(&filter);
        assert_eq!(
            read.selection.as_deref(),
            Some("@aws.account = \"999999999999\"")
        );
        assert!(read.on_transformed_logs);
        // System fields emitted as dimensions make the metric a dimensioned one.
        assert_eq!(
            read.transformations[0].dimensions,
            [("@aws.account".to_string(), "@aws.account".to_string())]
        );
    }
}
