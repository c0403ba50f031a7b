//! CloudWatch: the alarms, the lab's alarm's history, and the lab's metric over the
//! periods its history says sent it into ALARM.

use super::{ALARM_HISTORY_PAGES, Calls, Clients, all_pages};
use crate::read_error::classify;
use crate::snapshot::{Alarm, AlarmHistoryItem, MetricPoint, Read, Reads};
use crate::state_change::StateChange;

/// How many of the latest ALARM changes have their periods read back.
const ALARMS_CONFIRMED: usize = 5;

pub(super) async fn alarms(c: &Clients, calls: &Calls) -> Read<Vec<Alarm>> {
    all_pages(calls, None, |token| async move {
        let out = c
            .cloudwatch
            .describe_alarms()
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| classify("cloudwatch:DescribeAlarms", &e))?;
        Ok((
            out.metric_alarms().iter().map(alarm_from).collect(),
            out.next_token().map(str::to_string),
        ))
    })
    .await
}

/// An alarm as CloudWatch describes it, as plain data.
pub fn alarm_from(a: &aws_sdk_cloudwatch::types::MetricAlarm) -> Alarm {
    Alarm {
        name: a.alarm_name().unwrap_or_default().to_string(),
        arn: a.alarm_arn().unwrap_or_default().to_string(),
        description: a.alarm_description().map(str::to_string),
        namespace: a.namespace().map(str::to_string),
        metric: a.metric_name().map(str::to_string),
        dimensions: a
            .dimensions()
            .iter()
            .map(|d| {
                (
                    d.name().unwrap_or_default().to_string(),
                    d.value().unwrap_or_default().to_string(),
                )
            })
            .collect(),
        unit: a.unit().map(|u| u.as_str().to_string()),
        statistic: a.statistic().map(|s| s.as_str().to_string()),
        extended_statistic: a.extended_statistic().map(str::to_string),
        period: a.period(),
        evaluation_periods: a.evaluation_periods(),
        datapoints_to_alarm: a.datapoints_to_alarm(),
        threshold: a.threshold(),
        comparison: a.comparison_operator().map(|o| o.as_str().to_string()),
        actions_enabled: a.actions_enabled().unwrap_or(true),
        alarm_actions: a.alarm_actions().to_vec(),
        ok_actions: a.ok_actions().to_vec(),
        insufficient_data_actions: a.insufficient_data_actions().to_vec(),
        treat_missing_data: a.treat_missing_data().map(str::to_string),
        state: a.state_value().map(|s| s.as_str().to_string()),
        state_reason: a.state_reason().map(str::to_string),
        state_reason_data: a.state_reason_data().map(str::to_string),
    }
}

pub(super) async fn alarm_history(
    c: &Clients,
    calls: &Calls,
    name: &str,
) -> Read<Vec<AlarmHistoryItem>> {
    use aws_sdk_cloudwatch::types::HistoryItemType;
    all_pages(calls, Some(ALARM_HISTORY_PAGES), |token| async move {
        let out = c
            .cloudwatch
            .describe_alarm_history()
            .alarm_name(name)
            .history_item_type(HistoryItemType::StateUpdate)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| classify("cloudwatch:DescribeAlarmHistory", &e))?;
        let items = out
            .alarm_history_items()
            .iter()
            .map(|i| AlarmHistoryItem {
                timestamp: i.timestamp().map(|t| t.to_string()).unwrap_or_default(),
                summary: i.history_summary().unwrap_or_default().to_string(),
                data: i.history_data().unwrap_or_default().to_string(),
            })
            .collect();
        Ok((items, out.next_token().map(str::to_string)))
    })
    .await
}

/// The metric `alarm` watches, as CloudWatch stored it over the breaching periods of
/// each of the latest ALARM changes in `history` that carry an evaluation: one
/// GetMetricStatistics per change, for the statistic and period that evaluation
/// used, starting at its first breaching period (so the periods returned are the
/// evaluation's own), keyed by the change's timestamp.
pub(super) async fn metric_data(
    c: &Clients,
    calls: &Calls,
    alarm: &Alarm,
    history: &[AlarmHistoryItem],
) -> Reads<Vec<MetricPoint>> {
    use aws_sdk_cloudwatch::types::{Dimension, StandardUnit, Statistic};
    let (Some(namespace), Some(metric), Some(comparison)) =
        (&alarm.namespace, &alarm.metric, &alarm.comparison)
    else {
        return Reads::new();
    };
    let wanted: Vec<(String, i64, i64, i64, Statistic)> = history
        .iter()
        .filter_map(|item| {
            let change = StateChange::of(item).filter(StateChange::is_alarm)?;
            let evaluation = change.evaluation?;
            let breaching = evaluation.breaching(comparison);
            let first = breaching.first()?.start;
            let last = breaching.last()?.start;
            if !Statistic::values().contains(&evaluation.statistic.as_str()) {
                return None;
            }
            let statistic = Statistic::from(evaluation.statistic.as_str());
            Some((
                item.timestamp.clone(),
                first,
                last + evaluation.period,
                evaluation.period,
                statistic,
            ))
        })
        .take(ALARMS_CONFIRMED)
        .collect();
    let dimensions: Vec<Dimension> = alarm
        .dimensions
        .iter()
        .map(|(name, value)| Dimension::builder().name(name).value(value).build())
        .collect();
    let reads = futures_util::future::join_all(wanted.into_iter().map(
        |(key, start, end, period, statistic)| {
            let dimensions = dimensions.clone();
            async move {
                calls.tick();
                let read = c
                    .cloudwatch
                    .get_metric_statistics()
                    .namespace(namespace)
                    .metric_name(metric)
                    .set_dimensions(Some(dimensions))
                    .set_unit(alarm.unit.as_deref().map(StandardUnit::from))
                    .start_time(aws_smithy_types::DateTime::from_secs(start))
                    .end_time(aws_smithy_types::DateTime::from_secs(end))
                    .period(i32::try_from(period).unwrap_or(i32::MAX))
                    .statistics(statistic.clone())
                    .send()
                    .await
                    .map_err(|e| classify("cloudwatch:GetMetricStatistics", &e))
                    .map(|out| {
                        let mut points: Vec<MetricPoint> = out
                            .datapoints()
                            .iter()
                            .filter_map(|p| {
                                let value = match statistic {
                                    Statistic::Sum => p.sum(),
                                    Statistic::Average => p.average(),
                                    Statistic::Maximum => p.maximum(),
                                    Statistic::Minimum => p.minimum(),
                                    Statistic::SampleCount => p.sample_count(),
                                    _ => None,
                                }?;
                                Some(MetricPoint {
                                    start: p.timestamp()?.secs(),
                                    value,
                                })
                            })
                            .collect();
                        points.sort_by_key(|p| p.start);
                        points
                    });
                (key, read)
            }
        },
    ))
    .await;
    reads.into_iter().collect()
}
