//! `GetMetricStatistics` in the sandbox, answered from the data the sandbox keeps,
//! as CloudWatch answers it (CloudWatch API reference, GetMetricStatistics): a
//! metric's standard-resolution data is kept per minute; the start time is rounded
//! down to the minute and the periods run from it; only the metric with exactly the
//! dimensions asked for is read (a metric with dimensions is another metric), and
//! only data in the unit asked for, when one is. Moto buckets periods from the first
//! datum it holds and mixes dimensions, which would move and blur the very periods an
//! alarm's history names. Percentiles (`ExtendedStatistics`) are left to moto.

use serde_json::{Value, json};

use super::alarms::minute;
use super::answer::Refusal;
use super::call::{Call, Params};
use super::world::{Datapoint, iso};
use super::xml;

/// What a request asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    namespace: String,
    metric: String,
    /// Sorted by name.
    dimensions: Vec<(String, String)>,
    start: f64,
    end: f64,
    period: f64,
    statistics: Vec<String>,
    unit: Option<String>,
}

/// One period's values.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    start: f64,
    count: f64,
    sum: f64,
    minimum: f64,
    maximum: f64,
    unit: String,
}

const STATISTICS: [&str; 5] = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

/// The query `call` makes; `None` for one the sandbox leaves to moto (percentiles).
pub fn query(call: &Call) -> Result<Option<Query>, Refusal> {
    if !call.list_param("ExtendedStatistics").is_empty() {
        return Ok(None);
    }
    let time = |key: &str| -> Result<f64, Refusal> {
        let text = call
            .param(key)
            .ok_or_else(|| Refusal::new("MissingParameter", format!("{key} is required")))?;
        text.parse::<f64>()
            .ok()
            .or_else(|| {
                aws_smithy_types::DateTime::from_str(
                    &text,
                    aws_smithy_types::date_time::Format::DateTime,
                )
                .ok()
                .map(|t| t.as_secs_f64())
            })
            .ok_or_else(|| Refusal::new("InvalidParameterValue", format!("{key} is not a time")))
    };
    let start = minute(time("StartTime")?);
    let end = time("EndTime")?;
    if start >= end {
        return Err(Refusal::new(
            "InvalidParameterValue",
            "The parameter StartTime must be less than the parameter EndTime.",
        ));
    }
    let period: f64 = call
        .param("Period")
        .and_then(|p| p.parse().ok())
        .filter(|p: &f64| *p > 0.0)
        .ok_or_else(|| Refusal::new("InvalidParameterValue", "Period must be positive"))?;
    let statistics = call.list_param("Statistics");
    if statistics.is_empty() || statistics.iter().any(|s| !STATISTICS.contains(&s.as_str())) {
        return Err(Refusal::new(
            "InvalidParameterValue",
            "Statistics must be some of SampleCount, Average, Sum, Minimum, Maximum",
        ));
    }
    let mut dimensions = dimensions(call);
    dimensions.sort();
    Ok(Some(Query {
        namespace: call.param("Namespace").unwrap_or_default(),
        metric: call.param("MetricName").unwrap_or_default(),
        dimensions,
        start,
        end,
        period,
        statistics,
        unit: call.param("Unit"),
    }))
}

/// The request's dimensions: `Dimensions.member.N.Name`/`.Value` in a form, a
/// list of `{Name, Value}` in JSON.
fn dimensions(call: &Call) -> Vec<(String, String)> {
    match &call.params {
        Params::Json(json) => json
            .get("Dimensions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|d| {
                Some((
                    d.get("Name")?.as_str()?.to_string(),
                    d.get("Value")?.as_str()?.to_string(),
                ))
            })
            .collect(),
        Params::Query(_) => (1..)
            .map_while(|n| {
                Some((
                    call.param(&format!("Dimensions.member.{n}.Name"))?,
                    call.param(&format!("Dimensions.member.{n}.Value"))?,
                ))
            })
            .collect(),
        Params::Rest { .. } => Vec::new(),
    }
}

/// The periods of `query` that hold data, oldest first.
fn rows(points: &[Datapoint], account: &str, region: &str, query: &Query) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    for p in points.iter().filter(|p| {
        p.account == account
            && p.region == region
            && p.namespace == query.namespace
            && p.metric == query.metric
            && p.dimensions == query.dimensions
            && query.unit.as_ref().is_none_or(|u| *u == p.unit)
    }) {
        let at = minute(p.time);
        if at < query.start || at >= query.end {
            continue;
        }
        let start = query.start + ((at - query.start) / query.period).floor() * query.period;
        match rows.iter_mut().find(|r| r.start == start) {
            Some(row) => {
                row.count += 1.0;
                row.sum += p.value;
                row.minimum = row.minimum.min(p.value);
                row.maximum = row.maximum.max(p.value);
            }
            None => rows.push(Row {
                start,
                count: 1.0,
                sum: p.value,
                minimum: p.value,
                maximum: p.value,
                unit: p.unit.clone(),
            }),
        }
    }
    rows.sort_by(|a, b| a.start.total_cmp(&b.start));
    rows
}

/// Each statistic asked for, with its value in `row`.
fn values<'q>(row: &Row, query: &'q Query) -> Vec<(&'q str, f64)> {
    query
        .statistics
        .iter()
        .map(|s| {
            let value = match s.as_str() {
                "SampleCount" => row.count,
                "Average" => row.sum / row.count,
                "Sum" => row.sum,
                "Minimum" => row.minimum,
                _ => row.maximum,
            };
            (s.as_str(), value)
        })
        .collect()
}

/// The answer as awsQuery XML.
pub fn xml(
    points: &[Datapoint],
    account: &str,
    region: &str,
    query: &Query,
    request_id: &str,
) -> String {
    let members: String = rows(points, account, region, query)
        .iter()
        .map(|row| {
            let stats: String = values(row, query)
                .into_iter()
                .map(|(name, value)| xml::element(name, &value.to_string()))
                .collect();
            format!(
                "<member>{}{stats}{}</member>",
                xml::element("Timestamp", &iso(row.start)),
                xml::element("Unit", &row.unit)
            )
        })
        .collect();
    xml::response(
        "GetMetricStatistics",
        "http://monitoring.amazonaws.com/doc/2010-08-01/",
        &format!(
            "{}<Datapoints>{members}</Datapoints>",
            xml::element("Label", &query.metric)
        ),
        request_id,
    )
}

/// The answer as JSON (the AWS CLI v2 speaks JSON 1.0 to CloudWatch).
pub fn json(points: &[Datapoint], account: &str, region: &str, query: &Query) -> Value {
    let datapoints: Vec<Value> = rows(points, account, region, query)
        .iter()
        .map(|row| {
            let mut point = json!({ "Timestamp": row.start, "Unit": row.unit });
            for (name, value) in values(row, query) {
                point[name] = json!(value);
            }
            point
        })
        .collect();
    json!({ "Label": query.metric, "Datapoints": datapoints })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(time: f64, value: f64, dimensions: &[(&str, &str)], unit: &str) -> Datapoint {
        Datapoint {
            account: "1".into(),
            region: "r".into(),
            namespace: "N".into(),
            metric: "M".into(),
            dimensions: dimensions
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            unit: unit.into(),
            time,
            value,
        }
    }

    fn query(start: f64, end: f64, period: f64) -> Query {
        Query {
            namespace: "N".into(),
            metric: "M".into(),
            dimensions: vec![],
            start: minute(start),
            end,
            period,
            statistics: vec!["Sum".into(), "SampleCount".into(), "Average".into()],
            unit: None,
        }
    }

    #[test]
    fn periods_run_from_the_start_rounded_to_the_minute() {
        let points = [
            point(605.0, 1.0, &[], "None"),
            point(650.0, 0.0, &[], "None"),
            point(700.0, 0.0, &[], "None"),
            point(905.0, 0.0, &[], "None"),
        ];
        // Start 10:30 past the epoch's minute 10 → periods of 5 minutes from 600.
        let rows = rows(&points, "1", "r", &query(630.0, 1200.0, 300.0));
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].start, rows[0].count, rows[0].sum),
            (600.0, 3.0, 1.0)
        );
        assert_eq!((rows[1].start, rows[1].count), (900.0, 1.0));
    }

    #[test]
    fn another_dimension_or_unit_is_another_metric() {
        let points = [
            point(600.0, 1.0, &[("Secret", "a")], "None"),
            point(600.0, 1.0, &[], "Count"),
        ];
        assert!(rows(&points, "1", "r", &query(600.0, 660.0, 60.0)).len() == 1);
        let mut by_unit = query(600.0, 660.0, 60.0);
        by_unit.unit = Some("Seconds".into());
        assert!(rows(&points, "1", "r", &by_unit).is_empty());
    }
}
