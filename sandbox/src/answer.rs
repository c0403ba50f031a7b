//! The answers the front sends: plain text, a content type, and AWS's JSON and
//! awsQuery shapes, errors included.

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Response, StatusCode};
use serde_json::json;

/// A response the front sends.
pub type Answer = Response<Full<Bytes>>;

/// A call refused as AWS would refuse it: its error code and message (also what
/// CloudTrail records of a failed call).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// AWS's error code, e.g. `InvalidParameterException`.
    pub code: String,
    /// Its message.
    pub message: String,
}

impl Refusal {
    /// A refusal with this code and message.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Refusal {
        Refusal {
            code: code.into(),
            message: message.into(),
        }
    }
}

/// A plain-text answer.
pub fn text(status: StatusCode, body: &str) -> Answer {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        "text/plain; charset=utf-8".parse().expect("static"),
    );
    response
}

/// An answer with a content type.
pub fn typed(status: StatusCode, content_type: &'static str, body: String) -> Answer {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        content_type.parse().expect("static"),
    );
    response
}

/// A JSON-protocol answer (awsJson 1.1): the body, or an error.
pub fn json_answer(result: Result<serde_json::Value, Refusal>) -> Answer {
    match result {
        Ok(body) => typed(
            StatusCode::OK,
            "application/x-amz-json-1.1",
            body.to_string(),
        ),
        Err(Refusal { code, message }) => {
            let mut response = typed(
                StatusCode::BAD_REQUEST,
                "application/x-amz-json-1.1",
                json!({ "__type": code, "message": message }).to_string(),
            );
            if let Ok(v) = code.parse() {
                response.headers_mut().insert("x-amzn-errortype", v);
            }
            response
        }
    }
}

/// An awsQuery answer: the XML body, or an error.
pub fn query_answer(result: Result<String, Refusal>, request_id: &str) -> Answer {
    match result {
        Ok(body) => typed(StatusCode::OK, "text/xml", body),
        Err(Refusal { code, message }) => typed(
            StatusCode::BAD_REQUEST,
            "text/xml",
            super::xml::error(&code, &message, request_id),
        ),
    }
}
