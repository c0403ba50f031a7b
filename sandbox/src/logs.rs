//! CloudWatch Logs in the sandbox: metric filters applied to events as they arrive
//! in a log group (a match emits the filter's value; an event that does not match
//! emits the default value, when one is set), and `TestMetricFilter`. Patterns are
//! read by the same evaluator `lab check` judges them with.

use serde_json::{Value, json};

use super::answer::Refusal;
use super::state::Sandbox;
use super::world::Datapoint;
use checkers::filter_pattern::{Verdict, parse};
use checkers::snapshot::MetricFilter;

/// The metric values `filters` emit for `events` (time in milliseconds, message).
/// An event the evaluator cannot settle emits nothing: the sandbox never invents a
/// match.
pub fn emitted(
    filters: &[MetricFilter],
    events: &[(i64, String)],
    account: &str,
    region: &str,
) -> Vec<Datapoint> {
    let mut points = Vec::new();
    for filter in filters {
        let Ok(pattern) = parse(&filter.pattern) else {
            continue;
        };
        for (time, message) in events {
            let verdict = pattern.matches(message);
            for t in &filter.transformations {
                let value = match verdict {
                    Verdict::Match => metric_value(&t.value, message),
                    Verdict::NoMatch => t.default_value,
                    Verdict::Unknown => None,
                };
                let Some(dimensions) = dimensions(t, message, account, region) else {
                    continue;
                };
                if let Some(value) = value {
                    points.push(Datapoint {
                        account: account.to_string(),
                        region: region.to_string(),
                        namespace: t.namespace.clone(),
                        metric: t.metric.clone(),
                        dimensions,
                        unit: t.stored_unit().to_string(),
                        time: *time as f64 / 1000.0,
                        value,
                    });
                }
            }
        }
    }
    points
}

/// A transformation's value for one matching event: a number, or `$.field` read
/// from the JSON event.
fn metric_value(spec: &str, message: &str) -> Option<f64> {
    if let Ok(n) = spec.trim().parse::<f64>() {
        return Some(n);
    }
    let here = field(spec, message)?;
    here.as_f64().or_else(|| here.as_str()?.parse().ok())
}

/// The value of `$.a.b` in a JSON event.
fn field(spec: &str, message: &str) -> Option<Value> {
    let path = spec.trim().strip_prefix("$.")?;
    let event: Value = serde_json::from_str(message).ok()?;
    let mut here = &event;
    for part in path.split('.') {
        here = here.get(part)?;
    }
    Some(here.clone())
}

/// The dimensions a transformation gives the value it emits for `message`, sorted
/// by name: each from its field (`$.field`) or system field (`@aws.account`,
/// `@aws.region`). A metric with dimensions is another metric than the one without
/// (CloudWatch User Guide, "Dimensions"): an alarm on the plain metric never sees
/// it. `None` when the event lacks a field a dimension needs: AWS does not say what
/// it emits then, and the sandbox emits nothing rather than invent a value.
fn dimensions(
    t: &checkers::snapshot::MetricTransformation,
    message: &str,
    account: &str,
    region: &str,
) -> Option<Vec<(String, String)>> {
    let mut dimensions = t
        .dimensions
        .iter()
        .map(|(name, spec)| {
            let value = match spec.trim() {
                "@aws.account" => account.to_string(),
                "@aws.region" => region.to_string(),
                selector => match field(selector, message)? {
                    Value::String(text) => text,
                    Value::Null => return None,
                    other => other.to_string(),
                },
            };
            Some((name.clone(), value))
        })
        .collect::<Option<Vec<_>>>()?;
    dimensions.sort();
    Some(dimensions)
}

/// `TestMetricFilter`: which of the messages the pattern matches, numbered from 1.
/// A message the evaluator cannot settle makes the whole answer an error rather
/// than a guess.
pub fn test_metric_filter(request: &Value) -> Result<Value, Refusal> {
    let pattern_text = request
        .get("filterPattern")
        .and_then(Value::as_str)
        .unwrap_or("");
    let pattern = parse(pattern_text).map_err(|e| {
        Refusal::new(
            "InvalidParameterException",
            format!("Invalid metric filter pattern: {e}"),
        )
    })?;
    let messages: Vec<&str> = request
        .get("logEventMessages")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut matches = Vec::new();
    for (i, message) in messages.iter().enumerate() {
        match pattern.matches(message) {
            Verdict::Match => matches.push(json!({
                "eventNumber": i + 1,
                "eventMessage": message,
                "extractedValues": {},
            })),
            Verdict::NoMatch => {}
            Verdict::Unknown => {
                return Err(Refusal::new(
                    "InvalidParameterException",
                    format!(
                        "the sandbox cannot tell whether event {} matches `{pattern_text}`",
                        i + 1
                    ),
                ));
            }
        }
    }
    Ok(json!({ "matches": matches }))
}

/// The filters that were in force when events arrived at `arrived` (ms since the
/// epoch): as on AWS, a filter counts only what arrives after it is created, never
/// the events already in the group.
pub fn in_force(filters: Vec<MetricFilter>, arrived: i64) -> Vec<MetricFilter> {
    filters
        .into_iter()
        .filter(|f| f.created.is_none_or(|created| created <= arrived))
        .collect()
}

/// Events arrived in `group` (just now): apply the metric filters it had then and
/// record what they emit, in the sandbox and in moto (so `GetMetricStatistics`
/// shows it too).
pub async fn ingest(
    sandbox: &Sandbox,
    access_key: &str,
    account: &str,
    region: &str,
    group: &str,
    events: &[(i64, String)],
) {
    // A filter created while these events were on their way in does not count them.
    let arrived = (sandbox.clock.now() * 1000.0) as i64;
    let aws = sandbox.backend.as_caller(access_key, region);
    let filters = match aws
        .logs
        .describe_metric_filters()
        .log_group_name(group)
        .send()
        .await
    {
        Ok(out) => out
            .metric_filters()
            .iter()
            .map(checkers::fetch::metric_filter_from)
            .collect::<Vec<_>>(),
        Err(e) => {
            tracing::warn!("metric filters of {group}: {}", super::backend::explain(&e));
            return;
        }
    };
    let points = emitted(&in_force(filters, arrived), events, account, region);
    super::metrics::record(sandbox, access_key, region, points).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkers::snapshot::MetricTransformation;

    #[test]
    fn a_filter_counts_only_what_arrives_after_it_is_created() {
        let at = |created| MetricFilter {
            created: Some(created),
            ..filter(None)
        };
        assert_eq!(in_force(vec![at(1_000)], 1_000).len(), 1);
        assert_eq!(in_force(vec![at(1_001)], 1_000).len(), 0);
        assert_eq!(
            in_force(vec![filter(None)], 1_000).len(),
            1,
            "no time: applies"
        );
    }

    fn filter(default_value: Option<f64>) -> MetricFilter {
        MetricFilter {
            name: "GetSecretValue".into(),
            log_group: "my-secretsmanager-loggroup".into(),
            created: None,
            pattern: r#"{ $.eventName = "GetSecretValue" }"#.into(),
            selection: None,
            on_transformed_logs: false,
            transformations: vec![MetricTransformation {
                namespace: "SecurityMetrics".into(),
                metric: "Secret is accessed".into(),
                value: "1".into(),
                default_value,
                dimensions: vec![],
                unit: None,
            }],
        }
    }

    fn events() -> Vec<(i64, String)> {
        vec![
            (1_000, r#"{"eventName":"GetSecretValue"}"#.into()),
            (2_000, r#"{"eventName":"ListSecrets"}"#.into()),
            (3_000, r#"{"eventName":"DescribeSecret"}"#.into()),
        ]
    }

    #[test]
    fn a_match_emits_the_value_and_the_rest_the_default() {
        let points = emitted(&[filter(Some(0.0))], &events(), "1", "us-east-1");
        let values: Vec<f64> = points.iter().map(|p| p.value).collect();
        assert_eq!(values, [1.0, 0.0, 0.0]);
        assert_eq!(points[0].time, 1.0);
        assert_eq!(points[0].metric, "Secret is accessed");
    }

    #[test]
    fn without_a_default_only_matches_emit() {
        let points = emitted(&[filter(None)], &events(), "1", "us-east-1");
        assert_eq!(points.len(), 1);
    }

    #[test]
    fn values_can_come_from_the_event() {
        assert_eq!(
            metric_value("$.detail.bytes", r#"{"detail":{"bytes":42}}"#),
            Some(42.0)
        );
        assert_eq!(metric_value("$.missing", r#"{}"#), None);
    }

    #[test]
    fn test_metric_filter_numbers_matches_from_one() {
        let request = json!({
            "filterPattern": r#"{ $.eventName = "GetSecretValue" }"#,
            "logEventMessages": [r#"{"eventName":"ListSecrets"}"#, r#"{"eventName":"GetSecretValue"}"#],
        });
        let answer = test_metric_filter(&request).unwrap();
        assert_eq!(answer["matches"].as_array().unwrap().len(), 1);
        assert_eq!(answer["matches"][0]["eventNumber"], 2);
        let bad = json!({"filterPattern": "{ $.eventName = ", "logEventMessages": []});
        assert_eq!(
            test_metric_filter(&bad).unwrap_err().code,
            "InvalidParameterException"
        );
    }
}
