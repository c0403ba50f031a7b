//! Reading a write call's parameters as CloudTrail records them: numbers and
//! booleans as written or as text, lists, and the shapes of event selectors, metric
//! filters and alarms.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::snapshot::*;

/// The names a call puts a resource under: `key`'s text, or the last part of an ARN.
pub(super) fn named(event: &WriteEvent, key: &str) -> Option<String> {
    event
        .text(key)
        .map(|v| crate::arn::last_name(&v).to_string())
}

/// A JSON list of strings from a request parameter.
pub(super) fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// A number from a request parameter, whether CloudTrail wrote it as a number or as
/// text.
pub(super) fn number(value: Option<&Value>) -> Option<f64> {
    match value? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub(super) fn boolean(value: Option<&Value>) -> Option<bool> {
    match value? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A trail's event selectors, from PutEventSelectors's parameters.
pub(super) fn selectors_of(request: &Value) -> Option<Selectors> {
    if let Some(Value::Array(advanced)) = request.get("advancedEventSelectors") {
        return Some(Selectors::Advanced(
            advanced
                .iter()
                .map(|s| AdvancedSelector {
                    name: s.get("name").and_then(Value::as_str).map(str::to_string),
                    fields: s
                        .get("fieldSelectors")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .map(|f| FieldSelector {
                            field: f
                                .get("field")
                                .and_then(Value::as_str)
                                .unwrap_or_default()
                                .to_string(),
                            equals: strings(f.get("equals")),
                            not_equals: strings(f.get("notEquals")),
                            starts_with: strings(f.get("startsWith")),
                            not_starts_with: strings(f.get("notStartsWith")),
                            ends_with: strings(f.get("endsWith")),
                            not_ends_with: strings(f.get("notEndsWith")),
                        })
                        .collect(),
                })
                .collect(),
        ));
    }
    let basic = request.get("eventSelectors")?.as_array()?;
    Some(Selectors::Basic(
        basic
            .iter()
            .map(|s| BasicSelector {
                read_write: match s.get("readWriteType").and_then(Value::as_str) {
                    Some("ReadOnly") => ReadWrite::ReadOnly,
                    Some("WriteOnly") => ReadWrite::WriteOnly,
                    _ => ReadWrite::All,
                },
                include_management_events: boolean(s.get("includeManagementEvents"))
                    .unwrap_or(true),
                exclude_management_event_sources: strings(s.get("excludeManagementEventSources")),
            })
            .collect(),
    ))
}

/// A metric filter, from PutMetricFilter's parameters.
pub(super) fn filter_of(event: &WriteEvent) -> Option<MetricFilter> {
    let request = &event.request;
    Some(MetricFilter {
        name: event.text("filterName")?,
        log_group: event.text("logGroupName")?,
        created: Some(event.time * 1000),
        pattern: event.text("filterPattern").unwrap_or_default(),
        transformations: request
            .get("metricTransformations")?
            .as_array()?
            .iter()
            .map(|t| {
                let text = |k: &str| t.get(k).and_then(Value::as_str).map(str::to_string);
                MetricTransformation {
                    namespace: text("metricNamespace").unwrap_or_default(),
                    metric: text("metricName").unwrap_or_default(),
                    value: match t.get("metricValue") {
                        Some(Value::String(v)) => v.clone(),
                        Some(other) => other.to_string(),
                        None => String::new(),
                    },
                    default_value: number(t.get("defaultValue")),
                    dimensions: match t.get("dimensions") {
                        Some(Value::Object(map)) => map
                            .iter()
                            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                            .collect(),
                        _ => Vec::new(),
                    },
                    unit: text("unit"),
                }
            })
            .collect(),
        selection: event
            .text("fieldSelectionCriteria")
            .filter(|s| !s.trim().is_empty()),
        on_transformed_logs: boolean(request.get("applyOnTransformedLogs")).unwrap_or(false),
    })
}

/// An alarm, from PutMetricAlarm's parameters.
pub(super) fn alarm_of(event: &WriteEvent, account: &str, region: &str) -> Option<Alarm> {
    let request = &event.request;
    let name = event.text("alarmName")?;
    let int = |key: &str| number(request.get(key)).map(|n| n as i32);
    Some(Alarm {
        arn: format!("arn:aws:cloudwatch:{region}:{account}:alarm:{name}"),
        name,
        description: event.text("alarmDescription"),
        namespace: event.text("namespace"),
        metric: event.text("metricName"),
        dimensions: request
            .get("dimensions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|d| {
                Some((
                    d.get("name")?.as_str()?.to_string(),
                    d.get("value")?.as_str()?.to_string(),
                ))
            })
            .collect(),
        unit: event.text("unit"),
        statistic: event.text("statistic"),
        extended_statistic: event.text("extendedStatistic"),
        period: int("period"),
        evaluation_periods: int("evaluationPeriods"),
        datapoints_to_alarm: int("datapointsToAlarm"),
        threshold: number(request.get("threshold")),
        comparison: event.text("comparisonOperator"),
        actions_enabled: boolean(request.get("actionsEnabled")).unwrap_or(true),
        alarm_actions: strings(request.get("alarmActions")),
        ok_actions: strings(request.get("oKActions").or(request.get("okActions"))),
        insufficient_data_actions: strings(request.get("insufficientDataActions")),
        treat_missing_data: event.text("treatMissingData"),
        state: None,
        state_reason: None,
        state_reason_data: None,
    })
}

/// A JSON object of strings (SNS's `attributes`), its other values left out; empty
/// when there is none.
pub(super) fn string_map(value: Option<&Value>) -> BTreeMap<String, String> {
    match value {
        Some(Value::Object(map)) => map
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            .collect(),
        _ => BTreeMap::new(),
    }
}
