//! Smithy RPC v2 CBOR, the protocol the newest AWS SDKs and CLI speak to CloudWatch:
//! `POST /service/{service}/operation/{operation}` with a CBOR body, marked by the
//! header `smithy-protocol: rpc-v2-cbor`. moto does not read it, so the front
//! translates: the request to awsJson 1.0 (the same operation, `X-Amz-Target:
//! {service}.{operation}`), which moto reads, and the answer back to CBOR. The
//! front's hooks see the JSON; its own answers (alarm history, refusals) are
//! translated the same way.
//!
//! JSON and CBOR carry the same data but for two kinds of value the model decides:
//! a timestamp (a number in JSON; tag 1 around the seconds in CBOR, which the SDKs
//! insist on) and a double written without a fraction (`1` in JSON). The names of the
//! CloudWatch members of those kinds are listed here, from the service's model.

use bytes::Bytes;
use ciborium::Value as Cbor;
use http_body_util::Full;
use hyper::{Response, StatusCode};
use serde_json::Value as Json;

use super::answer::Answer;

/// The header that marks the protocol, and its value.
pub const PROTOCOL_HEADER: (&str, &str) = ("smithy-protocol", "rpc-v2-cbor");

/// CBOR's tag for a time in seconds since the epoch.
const EPOCH_TAG: u64 = 1;

/// CloudWatch's members whose values are timestamps (or lists of them). No member
/// of another type has any of these names. From the model
/// (`botocore/data/cloudwatch/2010-08-01/service-2.json`: members whose shape is a
/// `timestamp`, or a list of them).
pub const CLOUDWATCH_TIMESTAMPS: [&str; 16] = [
    "AlarmConfigurationUpdatedTimestamp",
    "CreatedAt",
    "CreationDate",
    "EndDate",
    "EndTime",
    "ExpireDate",
    "LastModified",
    "LastUpdateDate",
    "LastUpdatedTimestamp",
    "StartDate",
    "StartTime",
    "StateTransitionedTimestamp",
    "StateUpdatedTimestamp",
    "Timestamp",
    "Timestamps",
    "UpdatedAt",
];

/// CloudWatch's members whose numbers are doubles (or lists of them), from the same
/// model. (`Value` is a string elsewhere; only its numbers are doubles.)
const CLOUDWATCH_DOUBLES: [&str; 14] = [
    "AggregateValue",
    "ApproximateAggregateValue",
    "ApproximateValue",
    "Average",
    "Counts",
    "MaxContributorValue",
    "Maximum",
    "Minimum",
    "SampleCount",
    "Sum",
    "Threshold",
    "UniqueContributors",
    "Value",
    "Values",
];

/// The JSON protocol's content type the translated request carries.
const JSON_1_0: &str = "application/x-amz-json-1.0";

/// Whether the request speaks RPC v2 CBOR.
pub fn is_cbor(headers: &http::HeaderMap) -> bool {
    headers
        .get(PROTOCOL_HEADER.0)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case(PROTOCOL_HEADER.1))
}

/// The operation a request's path names: `/service/S/operation/Op` → `Op`.
pub fn operation(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/service/")?;
    let (_, operation) = rest.split_once("/operation/")?;
    (!operation.is_empty() && !operation.contains('/')).then(|| operation.to_string())
}

/// A CBOR body as JSON: timestamps as seconds since the epoch (as the JSON protocols
/// write them), byte strings as base64. `None` when it is not CBOR; an empty body is
/// an empty object.
pub fn to_json(body: &[u8]) -> Option<Json> {
    if body.is_empty() {
        return Some(Json::Object(serde_json::Map::new()));
    }
    let value: Cbor = ciborium::from_reader(body).ok()?;
    Some(json_of(&value))
}

fn json_of(value: &Cbor) -> Json {
    match value {
        Cbor::Integer(i) => {
            let i = i128::from(*i);
            i64::try_from(i).map_or_else(|_| Json::from(i as f64), Json::from)
        }
        Cbor::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Cbor::Bytes(bytes) => Json::String(aws_smithy_types::base64::encode(bytes)),
        Cbor::Text(text) => Json::String(text.clone()),
        Cbor::Bool(b) => Json::Bool(*b),
        Cbor::Null => Json::Null,
        Cbor::Tag(_, inner) => json_of(inner),
        Cbor::Array(items) => Json::Array(items.iter().map(json_of).collect()),
        Cbor::Map(entries) => Json::Object(
            entries
                .iter()
                .filter_map(|(k, v)| Some((k.as_text()?.to_string(), json_of(v))))
                .collect(),
        ),
        _ => Json::Null,
    }
}

/// JSON as CBOR: numbers under a member named in `timestamps` become tagged times,
/// under one of CloudWatch's double members floats.
pub fn from_json(value: &Json, timestamps: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = ciborium::into_writer(&cbor_of(value, timestamps, Kind::Any), &mut out);
    out
}

/// What a member's numbers are.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Any,
    Time,
    Double,
}

fn cbor_of(value: &Json, timestamps: &[&str], kind: Kind) -> Cbor {
    match value {
        Json::Number(n) if kind == Kind::Time => {
            Cbor::Tag(EPOCH_TAG, Box::new(Cbor::Float(n.as_f64().unwrap_or(0.0))))
        }
        Json::Number(n) => match n.as_i64() {
            Some(i) if kind != Kind::Double => Cbor::Integer(i.into()),
            _ => Cbor::Float(n.as_f64().unwrap_or(0.0)),
        },
        Json::String(s) => Cbor::Text(s.clone()),
        Json::Bool(b) => Cbor::Bool(*b),
        Json::Null => Cbor::Null,
        Json::Array(items) => {
            Cbor::Array(items.iter().map(|v| cbor_of(v, timestamps, kind)).collect())
        }
        Json::Object(map) => Cbor::Map(
            map.iter()
                .map(|(k, v)| {
                    let kind = if timestamps.contains(&k.as_str()) {
                        Kind::Time
                    } else if CLOUDWATCH_DOUBLES.contains(&k.as_str()) {
                        Kind::Double
                    } else {
                        Kind::Any
                    };
                    (Cbor::Text(k.clone()), cbor_of(v, timestamps, kind))
                })
                .collect(),
        ),
    }
}

/// The awsJson 1.0 request moto reads for a CBOR call: the same operation named in
/// `X-Amz-Target`, the parameters as JSON.
pub fn json_request(
    parts: &hyper::http::request::Parts,
    params: &Json,
) -> (hyper::http::request::Parts, Bytes) {
    let mut parts = parts.clone();
    let path = parts.uri.path();
    let target = path
        .strip_prefix("/service/")
        .and_then(|rest| rest.split_once("/operation/"))
        .map(|(service, operation)| format!("{service}.{operation}"))
        .unwrap_or_default();
    parts.uri = hyper::Uri::from_static("/");
    let headers = &mut parts.headers;
    headers.remove(PROTOCOL_HEADER.0);
    headers.remove(hyper::header::ACCEPT);
    headers.insert(
        hyper::header::CONTENT_TYPE,
        JSON_1_0.parse().expect("static"),
    );
    if let Ok(target) = target.parse() {
        headers.insert("x-amz-target", target);
    }
    headers.insert("x-amzn-query-mode", "true".parse().expect("static"));
    (parts, Bytes::from(params.to_string()))
}

/// An answer the front made in a JSON protocol (`json_answer`), re-written in CBOR
/// for a caller that spoke it: the body, and an error's code as `__type` with the
/// awsQuery-compatible header the SDKs read it from too.
pub fn answer(json: Answer, timestamps: &[&str]) -> Answer {
    let (mut parts, body) = json.into_parts();
    let body = futures_util::FutureExt::now_or_never(http_body_util::BodyExt::collect(body))
        .and_then(Result::ok)
        .map(|c| c.to_bytes())
        .unwrap_or_default();
    let value: Json = serde_json::from_slice(&body).unwrap_or(Json::Null);
    let headers = &mut parts.headers;
    headers.remove(hyper::header::CONTENT_LENGTH);
    headers.insert(
        hyper::header::CONTENT_TYPE,
        "application/cbor".parse().expect("static"),
    );
    headers.insert(
        PROTOCOL_HEADER.0,
        PROTOCOL_HEADER.1.parse().expect("static"),
    );
    if parts.status != StatusCode::OK
        && !headers.contains_key("x-amzn-query-error")
        && let Some(code) = value.get("__type").and_then(Json::as_str)
        && let Ok(v) = format!("{};Sender", code.rsplit('#').next().unwrap_or(code)).parse()
    {
        headers.insert("x-amzn-query-error", v);
    }
    Response::from_parts(parts, Full::new(Bytes::from(from_json(&value, timestamps))))
}

/// An error answer's code and message, if `body` is a CBOR error.
pub fn error(body: &[u8]) -> Option<(String, String)> {
    let json = to_json(body)?;
    let code = json.get("__type")?.as_str()?;
    let code = code.rsplit('#').next().unwrap_or(code).to_string();
    let message = json
        .get("message")
        .or_else(|| json.get("Message"))
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_string();
    Some((code, message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operations_come_from_the_path() {
        assert_eq!(
            operation("/service/GraniteServiceVersion20100801/operation/PutMetricAlarm"),
            Some("PutMetricAlarm".into())
        );
        assert_eq!(operation("/"), None);
        assert_eq!(operation("/service/X/operation/"), None);
    }

    #[test]
    fn timestamps_are_tagged_and_the_rest_round_trips() {
        let value = json!({
            "AlarmHistoryItems": [{ "AlarmName": "a", "Timestamp": 1_795_860_000.5, "Count": 3 }],
            "NextToken": "t",
        });
        let bytes = from_json(&value, &["Timestamp"]);
        let cbor: Cbor = ciborium::from_reader(&bytes[..]).unwrap();
        let item = &cbor.as_map().unwrap()[0].1.as_array().unwrap()[0];
        let (_, time) = item
            .as_map()
            .unwrap()
            .iter()
            .find(|(k, _)| k.as_text() == Some("Timestamp"))
            .unwrap();
        assert!(matches!(time, Cbor::Tag(1, inner) if inner.as_float() == Some(1_795_860_000.5)));
        assert_eq!(to_json(&bytes).unwrap(), value);
        assert_eq!(to_json(b"").unwrap(), json!({}));
        assert!(to_json(b"\xff\xff").is_none());
    }

    #[test]
    fn errors_carry_their_code() {
        let error = from_json(
            &json!({ "__type": "com.amazonaws.cloudwatch#ResourceNotFound", "message": "no" }),
            &[],
        );
        assert_eq!(
            super::error(&error),
            Some(("ResourceNotFound".into(), "no".into()))
        );
    }
}
