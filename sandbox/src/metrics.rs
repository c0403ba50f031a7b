//! Metric data in the sandbox: what metric filters emit and what callers put with
//! `PutMetricData`, kept for alarm evaluation and copied into moto so that
//! `GetMetricStatistics` and `ListMetrics` show it.

use std::collections::BTreeMap;

use super::call::{Call, Params};
use super::state::Sandbox;
use super::world::Datapoint;

/// Records `points`, here and in moto.
///
/// The sandbox keeps every value, for its alarms. Moto gets them as statistic sets,
/// one per metric and second (count, sum, minimum, maximum): what
/// `GetMetricStatistics` answers is the same for any period of whole seconds, and a
/// burst of reads costs moto a few data, not one per read.
pub async fn record(sandbox: &Sandbox, access_key: &str, region: &str, points: Vec<Datapoint>) {
    if points.is_empty() {
        return;
    }
    let cloudwatch = sandbox.backend.as_caller(access_key, region).cloudwatch;
    let mut by_namespace: BTreeMap<&str, Vec<Summary>> = BTreeMap::new();
    for summary in per_second(&points) {
        by_namespace
            .entry(summary.namespace)
            .or_default()
            .push(summary);
    }
    for (namespace, group) in by_namespace {
        // AWS takes up to 1,000 data in one call.
        for chunk in group.chunks(500) {
            let data = chunk.iter().map(Summary::datum).collect();
            if let Err(e) = cloudwatch
                .put_metric_data()
                .namespace(namespace)
                .set_metric_data(Some(data))
                .send()
                .await
            {
                tracing::warn!("PutMetricData to moto: {}", super::backend::explain(&e));
            }
        }
    }
    sandbox.world().datapoints.extend(points);
}

/// The values one metric received in one second.
#[derive(Debug, Clone, PartialEq)]
struct Summary<'p> {
    namespace: &'p str,
    metric: &'p str,
    dimensions: &'p [(String, String)],
    unit: &'p str,
    /// The second, since the epoch.
    second: i64,
    count: f64,
    sum: f64,
    minimum: f64,
    maximum: f64,
}

impl Summary<'_> {
    /// As a datum of `PutMetricData`.
    fn datum(&self) -> aws_sdk_cloudwatch::types::MetricDatum {
        use aws_sdk_cloudwatch::types::{Dimension, MetricDatum, StatisticSet};
        MetricDatum::builder()
            .metric_name(self.metric)
            .set_dimensions(Some(
                self.dimensions
                    .iter()
                    .map(|(n, v)| Dimension::builder().name(n).value(v).build())
                    .collect(),
            ))
            .unit(aws_sdk_cloudwatch::types::StandardUnit::from(self.unit))
            .timestamp(aws_smithy_types::DateTime::from_secs(self.second))
            .statistic_values(
                StatisticSet::builder()
                    .sample_count(self.count)
                    .sum(self.sum)
                    .minimum(self.minimum)
                    .maximum(self.maximum)
                    .build(),
            )
            .build()
    }
}

/// What a summary is of: namespace, metric name, dimensions, unit and second.
type SummaryKey<'p> = (&'p str, &'p str, &'p [(String, String)], &'p str, i64);

/// `points` summed up per metric (namespace, name, dimensions), unit and whole
/// second.
fn per_second(points: &[Datapoint]) -> Vec<Summary<'_>> {
    let mut summaries: BTreeMap<SummaryKey<'_>, Summary<'_>> = BTreeMap::new();
    for p in points {
        let second = p.time.floor() as i64;
        let key = (
            p.namespace.as_str(),
            p.metric.as_str(),
            p.dimensions.as_slice(),
            p.unit.as_str(),
            second,
        );
        summaries
            .entry(key)
            .and_modify(|s| {
                s.count += 1.0;
                s.sum += p.value;
                s.minimum = s.minimum.min(p.value);
                s.maximum = s.maximum.max(p.value);
            })
            .or_insert(Summary {
                namespace: &p.namespace,
                metric: &p.metric,
                dimensions: &p.dimensions,
                unit: &p.unit,
                second,
                count: 1.0,
                sum: p.value,
                minimum: p.value,
                maximum: p.value,
            });
    }
    summaries.into_values().collect()
}

/// The datapoints a caller's `PutMetricData` carries (awsQuery form, or JSON from
/// the AWS CLI), for the alarms; a datum without a timestamp is stamped `received`.
/// Values lists with counts are expanded; statistic sets are left out.
pub fn from_put_metric_data(call: &Call, account: &str, received: f64) -> Vec<Datapoint> {
    let form = match &call.params {
        Params::Query(form) => form.clone(),
        Params::Json(json) => flatten(json),
        Params::Rest { .. } => return Vec::new(),
    };
    let namespace = form.get("Namespace").cloned().unwrap_or_default();
    let mut points = Vec::new();
    for n in 1.. {
        let prefix = format!("MetricData.member.{n}.");
        let field = |name: &str| form.get(&format!("{prefix}{name}"));
        let Some(metric) = field("MetricName") else {
            break;
        };
        // ISO 8601 in a form; seconds since the epoch from JSON or CBOR.
        let time = field("Timestamp")
            .and_then(|t| {
                aws_smithy_types::DateTime::from_str(
                    t,
                    aws_smithy_types::date_time::Format::DateTime,
                )
                .map(|t| t.as_secs_f64())
                .ok()
                .or_else(|| t.parse::<f64>().ok())
            })
            .unwrap_or(received);
        let mut dimensions: Vec<(String, String)> = (1..)
            .map_while(|d| {
                Some((
                    field(&format!("Dimensions.member.{d}.Name"))?.clone(),
                    field(&format!("Dimensions.member.{d}.Value"))?.clone(),
                ))
            })
            .collect();
        dimensions.sort();
        let unit = field("Unit").cloned().unwrap_or_else(|| "None".to_string());
        let mut values: Vec<f64> = field("Value")
            .and_then(|v| v.parse().ok())
            .into_iter()
            .collect();
        for v in 1.. {
            let Some(value) =
                field(&format!("Values.member.{v}")).and_then(|v| v.parse::<f64>().ok())
            else {
                break;
            };
            let count = field(&format!("Counts.member.{v}"))
                .and_then(|c| c.parse::<f64>().ok())
                .unwrap_or(1.0) as usize;
            values.extend(std::iter::repeat_n(value, count.max(1)));
        }
        for value in values {
            points.push(Datapoint {
                account: account.to_string(),
                region: call.region.clone(),
                namespace: namespace.clone(),
                metric: metric.clone(),
                dimensions: dimensions.clone(),
                unit: unit.clone(),
                time,
                value,
            });
        }
    }
    points
}

/// A JSON request as the awsQuery form would carry it (`MetricData.member.1.Value`),
/// so one reader serves both protocols. JSON timestamps are epoch seconds.
fn flatten(json: &serde_json::Value) -> BTreeMap<String, String> {
    fn walk(prefix: &str, value: &serde_json::Value, out: &mut BTreeMap<String, String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&key, v, out);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(&format!("{prefix}.member.{}", i + 1), v, out);
                }
            }
            serde_json::Value::String(s) => {
                out.insert(prefix.to_string(), s.clone());
            }
            other => {
                let text = match (prefix.ends_with("Timestamp"), other.as_f64()) {
                    (true, Some(t)) => aws_smithy_types::DateTime::from_secs_f64(t)
                        .fmt(aws_smithy_types::date_time::Format::DateTime)
                        .unwrap_or_default(),
                    _ => other.to_string(),
                };
                out.insert(prefix.to_string(), text);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk("", json, &mut out);
    out
}

/// A `ListMetrics` answer with each metric once: AWS lists one entry per metric and
/// set of dimensions, moto one per datum put. In awsQuery XML (the entries are the
/// `<member>`s directly inside `<Metrics>`) or JSON (`Metrics`).
pub fn unique_metrics(body: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(body).ok()?;
    if let Ok(mut json) = serde_json::from_str::<serde_json::Value>(text) {
        let metrics = json.get_mut("Metrics")?.as_array_mut()?;
        let mut seen = std::collections::HashSet::new();
        metrics.retain(|m| seen.insert(m.to_string()));
        return Some(json.to_string().into_bytes());
    }
    let start = text.find("<Metrics>")? + "<Metrics>".len();
    let end = start + text[start..].find("</Metrics>")?;
    let mut members = Vec::new();
    let mut rest = &text[start..end];
    // Top-level members, each with whatever members (dimensions) it holds.
    while let Some(open) = rest.find("<member>") {
        let mut depth = 0;
        let mut at = open;
        let close = loop {
            let next_open = rest[at..].find("<member>").map(|i| at + i);
            let next_close = rest[at..].find("</member>").map(|i| at + i)?;
            match next_open {
                Some(o) if o < next_close => {
                    depth += 1;
                    at = o + "<member>".len();
                }
                _ => {
                    depth -= 1;
                    at = next_close + "</member>".len();
                    if depth == 0 {
                        break at;
                    }
                }
            }
        };
        members.push(&rest[open..close]);
        rest = &rest[close..];
    }
    let mut seen = std::collections::HashSet::new();
    members.retain(|m| seen.insert(*m));
    Some(format!("{}{}{}", &text[..start], members.concat(), &text[end..]).into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(metric: &str, time: f64, value: f64) -> Datapoint {
        Datapoint {
            account: "123456789012".into(),
            region: "us-east-1".into(),
            namespace: "SecurityMetrics".into(),
            metric: metric.into(),
            dimensions: vec![],
            unit: "None".into(),
            time,
            value,
        }
    }

    #[test]
    fn moto_gets_one_statistic_set_per_metric_and_second() {
        let points = vec![
            point("reads", 10.2, 1.0),
            point("reads", 10.9, 0.0),
            point("reads", 10.5, 4.0),
            point("reads", 11.0, 1.0),
            point("writes", 10.2, 2.0),
        ];
        let summaries = per_second(&points);
        let seen: Vec<_> = summaries
            .iter()
            .map(|s| (s.metric, s.second, s.count, s.sum, s.minimum, s.maximum))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("reads", 10, 3.0, 5.0, 0.0, 4.0),
                ("reads", 11, 1.0, 1.0, 1.0, 1.0),
                ("writes", 10, 1.0, 2.0, 2.0, 2.0),
            ]
        );
        let mut dimensioned = point("reads", 10.2, 1.0);
        dimensioned.dimensions = vec![("Secret".into(), "TopSecretInfo".into())];
        let two = [point("reads", 10.2, 1.0), dimensioned];
        assert_eq!(per_second(&two).len(), 2, "dimensions make another metric");
    }

    #[test]
    fn each_metric_is_listed_once() {
        let member = |name: &str, dims: &str| {
            format!(
                "<member><Namespace>N</Namespace><MetricName>{name}</MetricName><Dimensions>{dims}</Dimensions></member>"
            )
        };
        let dim = "<member><Name>k</Name><Value>v</Value></member>";
        let xml = format!(
            "<ListMetricsResponse><ListMetricsResult><Metrics>{}{}{}{}</Metrics></ListMetricsResult></ListMetricsResponse>",
            member("A", ""),
            member("A", ""),
            member("A", dim),
            member("B", dim),
        );
        let unique = String::from_utf8(unique_metrics(xml.as_bytes()).unwrap()).unwrap();
        assert_eq!(
            unique,
            format!(
                "<ListMetricsResponse><ListMetricsResult><Metrics>{}{}{}</Metrics></ListMetricsResult></ListMetricsResponse>",
                member("A", ""),
                member("A", dim),
                member("B", dim),
            )
        );
        let json = r#"{"Metrics":[{"MetricName":"A"},{"MetricName":"A"},{"MetricName":"B"}]}"#;
        let unique: serde_json::Value =
            serde_json::from_slice(&unique_metrics(json.as_bytes()).unwrap()).unwrap();
        assert_eq!(unique["Metrics"].as_array().unwrap().len(), 2);
        assert!(unique_metrics(b"<Other/>").is_none());
    }

    /// Headers of a request signed for CloudWatch.
    fn signed_for_cloudwatch() -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKID/20261128/us-east-1/monitoring/aws4_request"
                .parse()
                .unwrap(),
        );
        headers
    }

    #[test]
    fn put_metric_data_is_read_from_the_form() {
        let headers = signed_for_cloudwatch();
        let body = "Action=PutMetricData&Namespace=SecurityMetrics\
            &MetricData.member.1.MetricName=Secret+is+accessed&MetricData.member.1.Value=1\
            &MetricData.member.1.Timestamp=2026-11-28T10%3A00%3A00Z\
            &MetricData.member.2.MetricName=Other&MetricData.member.2.Values.member.1=3\
            &MetricData.member.2.Counts.member.1=2\
            &MetricData.member.2.Dimensions.member.1.Name=Host&MetricData.member.2.Dimensions.member.1.Value=a";
        let call = Call::parse("POST", "/", None, &headers, body.as_bytes()).unwrap();
        let points = from_put_metric_data(&call, "111111111111", 0.0);
        assert_eq!(points.len(), 3);
        assert_eq!(points[0].metric, "Secret is accessed");
        assert_eq!(points[0].time, 1_795_860_000.0);
        assert_eq!(points[1].value, 3.0);
        assert_eq!(
            points[2].dimensions,
            [("Host".to_string(), "a".to_string())]
        );
    }

    #[test]
    fn put_metric_data_from_the_aws_cli_in_json() {
        let mut headers = signed_for_cloudwatch();
        headers.insert(
            "x-amz-target",
            "GraniteServiceVersion20100801.PutMetricData"
                .parse()
                .unwrap(),
        );
        let body = r#"{"Namespace":"SecurityMetrics","MetricData":[{"MetricName":"Secret is accessed","Value":1,"Timestamp":1795860000,"Dimensions":[{"Name":"Host","Value":"a"}]}]}"#;
        let call = Call::parse("POST", "/", None, &headers, body.as_bytes()).unwrap();
        let points = from_put_metric_data(&call, "1", 0.0);
        assert_eq!(points.len(), 1);
        assert_eq!((points[0].value, points[0].time), (1.0, 1_795_860_000.0));
        assert_eq!(
            points[0].dimensions,
            [("Host".to_string(), "a".to_string())]
        );
    }
}
