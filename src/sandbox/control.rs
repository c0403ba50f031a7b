//! The front's own endpoints, under `/_lab/`, and the client `lab` uses to reach
//! them.
//!
//! | Endpoint | What it does |
//! |---|---|
//! | `GET /_lab/status` | counts: events recorded and delivered, log files, datapoints, mail... |
//! | `POST /_lab/settle` | waits until every event recorded so far is delivered and the alarms have been evaluated since |
//! | `GET /_lab/pending` | email subscriptions waiting for confirmation, with their tokens |
//! | `POST /_lab/confirm` | confirms them all, as if each owner had clicked the link |
//! | `POST /_lab/shutdown` | stops the sandbox |

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::StatusCode;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::front::{Answer, Sandbox, typed};
use super::world::now;

/// What `GET /_lab/status` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    /// moto's URL.
    pub moto: String,
    /// The delivery delay, in milliseconds.
    pub delivery_delay_ms: u64,
    /// The alarm evaluation interval, in milliseconds.
    pub evaluation_interval_ms: u64,
    /// CloudTrail events recorded.
    pub events: usize,
    /// Of which delivered (or dropped, for want of a trail).
    pub delivered: usize,
    /// Log files written to buckets.
    pub log_files: u64,
    /// Metric datapoints.
    pub datapoints: usize,
    /// Alarm history entries.
    pub history: usize,
    /// Subscriptions waiting for confirmation.
    pub pending: usize,
}

/// A subscription waiting for confirmation, as `GET /_lab/pending` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSubscription {
    /// The topic.
    pub topic_arn: String,
    /// The email address.
    pub endpoint: String,
    /// The token of the confirmation link.
    pub token: String,
}

/// Answers a request for `/_lab/{endpoint}`.
pub async fn answer(sandbox: &Sandbox, method: &str, endpoint: &str) -> Answer {
    match (method, endpoint) {
        ("GET", "status") => {
            let status = {
                let world = sandbox.world();
                Status {
                    moto: sandbox.backend.url().to_string(),
                    delivery_delay_ms: sandbox.settings.delivery_delay.as_millis() as u64,
                    evaluation_interval_ms: sandbox.settings.evaluation_interval.as_millis() as u64,
                    events: world.events.len(),
                    delivered: world.delivered,
                    log_files: world.log_files,
                    datapoints: world.datapoints.len(),
                    history: world.history.len(),
                    pending: world.pending.len(),
                }
            };
            json_ok(serde_json::to_value(status).unwrap_or_default())
        }
        ("GET", "pending") => json_ok(serde_json::to_value(pending(sandbox)).unwrap_or_default()),
        ("POST", "confirm") => {
            let confirmed: Vec<PendingSubscription> = {
                let mut world = sandbox.world();
                let all = world.pending.clone();
                all.into_iter()
                    .filter(|p| super::sns::confirm(&mut world, &p.topic_arn, &p.token).is_some())
                    .map(|p| PendingSubscription {
                        topic_arn: p.topic_arn,
                        endpoint: p.endpoint,
                        token: p.token,
                    })
                    .collect()
            };
            json_ok(serde_json::to_value(confirmed).unwrap_or_default())
        }
        ("POST", "settle") => {
            let settled = settle(sandbox).await;
            json_ok(json!({ "settled": settled }))
        }
        ("POST", "shutdown") => {
            sandbox.stop();
            json_ok(json!({ "stopping": true }))
        }
        _ => typed(
            StatusCode::NOT_FOUND,
            "application/json",
            json!({ "error": format!("no endpoint {method} /_lab/{endpoint}") }).to_string(),
        ),
    }
}

fn pending(sandbox: &Sandbox) -> Vec<PendingSubscription> {
    sandbox
        .world()
        .pending
        .iter()
        .map(|p| PendingSubscription {
            topic_arn: p.topic_arn.clone(),
            endpoint: p.endpoint.clone(),
            token: p.token.clone(),
        })
        .collect()
}

/// Waits until every event recorded before now has been through delivery and the
/// alarms have been evaluated twice since (so one evaluation started after it).
/// `false` if that takes longer than it should.
async fn settle(sandbox: &Sandbox) -> bool {
    let target = now();
    let settings = &sandbox.settings;
    let deadline = tokio::time::Instant::now()
        + settings.delivery_delay
        + settings.evaluation_interval * 3
        + Duration::from_secs(10);
    let delivered = |s: &Sandbox| {
        let world = s.world();
        world.events[world.delivered..]
            .iter()
            .all(|e| e.time > target)
    };
    while !delivered(sandbox) {
        if tokio::time::Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let start = sandbox.world().evaluations;
    while sandbox.world().evaluations < start + 2 {
        if tokio::time::Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    true
}

fn json_ok(value: serde_json::Value) -> Answer {
    typed(StatusCode::OK, "application/json", value.to_string())
}

/// Calls a control endpoint of the front at `url`: the status code and the body.
pub async fn call(url: &str, method: &str, endpoint: &str) -> Result<(u16, String), String> {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let request = hyper::Request::builder()
        .method(method)
        .uri(format!("{}/_lab/{endpoint}", url.trim_end_matches('/')))
        .body(Full::new(Bytes::new()))
        .map_err(|e| e.to_string())?;
    let response = client
        .request(request)
        .await
        .map_err(|e| format!("the sandbox at {url} does not answer ({e})"))?;
    let status = response.status().as_u16();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok((status, String::from_utf8_lossy(&body).to_string()))
}

/// Calls a control endpoint and reads its JSON answer.
pub async fn call_json<T: serde::de::DeserializeOwned>(
    url: &str,
    method: &str,
    endpoint: &str,
) -> Result<T, String> {
    let (status, body) = call(url, method, endpoint).await?;
    if status != 200 {
        return Err(format!(
            "{url} is not a lab sandbox (HTTP {status} for /_lab/{endpoint})"
        ));
    }
    serde_json::from_str(&body)
        .map_err(|e| format!("the sandbox's answer is not what lab expects: {e}"))
}
