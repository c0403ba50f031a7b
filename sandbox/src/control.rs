//! The front's own endpoints, under `/_lab/`, and the client `lab` uses to reach
//! them.
//!
//! | Endpoint | What it does |
//! |---|---|
//! | `GET /_lab/status` | counts: events recorded and delivered, log files, datapoints, mail... |
//! | `POST /_lab/settle` | moves the clock on until every event recorded so far is delivered and the alarms have evaluated its minute |
//! | `GET /_lab/pending` | email subscriptions waiting for confirmation, with their tokens |
//! | `POST /_lab/confirm` | confirms them all, as if each owner had clicked the link |
//! | `POST /_lab/advance?seconds=N` | moves the sandbox's clock forward, delivering and evaluating alarms as the time passes |
//! | `POST /_lab/shutdown` | stops the sandbox |

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::StatusCode;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::answer::{Answer, typed};
use super::state::Sandbox;

/// What `GET /_lab/status` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    /// moto's URL.
    pub moto: String,
    /// The delivery delay, in milliseconds.
    pub delivery_delay_ms: u64,
    /// The alarm evaluation interval, in milliseconds.
    pub evaluation_interval_ms: u64,
    /// The sandbox's clock, in milliseconds since the epoch: ahead of this
    /// machine's by as much as it was moved on.
    pub clock_ms: u64,
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

/// The control endpoints: what the front answers and [`Control`] calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// `GET /_lab/status`.
    Status,
    /// `POST /_lab/settle`.
    Settle,
    /// `GET /_lab/pending`.
    Pending,
    /// `POST /_lab/confirm`.
    Confirm,
    /// `POST /_lab/advance?seconds=N`.
    Advance,
    /// `POST /_lab/shutdown`.
    Shutdown,
}

impl Endpoint {
    const ALL: [Endpoint; 6] = [
        Endpoint::Status,
        Endpoint::Settle,
        Endpoint::Pending,
        Endpoint::Confirm,
        Endpoint::Advance,
        Endpoint::Shutdown,
    ];

    /// Its HTTP method and its name under `/_lab/`.
    pub fn route(self) -> (&'static str, &'static str) {
        match self {
            Endpoint::Status => ("GET", "status"),
            Endpoint::Settle => ("POST", "settle"),
            Endpoint::Pending => ("GET", "pending"),
            Endpoint::Confirm => ("POST", "confirm"),
            Endpoint::Advance => ("POST", "advance"),
            Endpoint::Shutdown => ("POST", "shutdown"),
        }
    }

    /// The endpoint a request names, if any.
    pub fn find(method: &str, name: &str) -> Option<Endpoint> {
        Endpoint::ALL
            .into_iter()
            .find(|e| e.route() == (method, name))
    }
}

/// How long a control endpoint other than settle may take to answer.
const ANSWER_TIME: Duration = Duration::from_secs(10);

/// A client for a running sandbox's control endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Control {
    url: String,
}

impl Control {
    /// The sandbox whose front listens at `url`.
    pub fn new(url: impl Into<String>) -> Control {
        Control { url: url.into() }
    }

    /// The front's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Its settings and counts.
    pub async fn status(&self) -> Result<Status, String> {
        self.call_json(Endpoint::Status, ANSWER_TIME, None).await
    }

    /// Waits until everything recorded so far is delivered and the alarms have been
    /// evaluated since; `false` if that took longer than it should. The sandbox
    /// gives up by itself after its delivery delay, three evaluation intervals and
    /// 10 s; this waits at most `within` for its answer.
    pub async fn settle(&self, within: Duration) -> Result<bool, String> {
        #[derive(Deserialize)]
        struct Settled {
            settled: bool,
        }
        Ok(self
            .call_json::<Settled>(Endpoint::Settle, within, None)
            .await?
            .settled)
    }

    /// The email subscriptions waiting for confirmation, with their tokens.
    pub async fn pending(&self) -> Result<Vec<PendingSubscription>, String> {
        self.call_json(Endpoint::Pending, ANSWER_TIME, None).await
    }

    /// Confirms every pending subscription; the ones it confirmed.
    pub async fn confirm(&self) -> Result<Vec<PendingSubscription>, String> {
        self.call_json(Endpoint::Confirm, ANSWER_TIME, None).await
    }

    /// Asks the sandbox to stop.
    pub async fn shutdown(&self) -> Result<(), String> {
        self.call(Endpoint::Shutdown, ANSWER_TIME, None)
            .await
            .map(drop)
    }

    /// Moves the sandbox's clock forward by `by`, one evaluation interval at a
    /// time: what CloudTrail delivers and what the alarms do in that time happens
    /// on the way. The sandbox's time afterwards.
    pub async fn advance(&self, by: Duration) -> Result<Advanced, String> {
        self.call_json(
            Endpoint::Advance,
            ANSWER_TIME + Duration::from_secs(60),
            Some(&format!("seconds={}", by.as_secs_f64())),
        )
        .await
    }

    /// Calls `endpoint` (with `query`), waiting at most `within`: the status code
    /// and the body.
    async fn call(
        &self,
        endpoint: Endpoint,
        within: Duration,
        query: Option<&str>,
    ) -> Result<(u16, String), String> {
        let (method, name) = endpoint.route();
        let query = query.map(|q| format!("?{q}")).unwrap_or_default();
        let url = &self.url;
        let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
        let request = hyper::Request::builder()
            .method(method)
            .uri(format!("{}/_lab/{name}{query}", url.trim_end_matches('/')))
            .body(Full::new(Bytes::new()))
            .map_err(|e| e.to_string())?;
        let exchange = async {
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
        };
        tokio::time::timeout(within, exchange)
            .await
            .unwrap_or_else(|_| {
                Err(format!(
                    "the sandbox at {url} did not answer within {} s",
                    within.as_secs()
                ))
            })
    }

    /// Calls `endpoint` and reads its JSON answer.
    async fn call_json<T: serde::de::DeserializeOwned>(
        &self,
        endpoint: Endpoint,
        within: Duration,
        query: Option<&str>,
    ) -> Result<T, String> {
        let (status, body) = self.call(endpoint, within, query).await?;
        if status != 200 {
            return Err(format!(
                "{} is not a lab sandbox (HTTP {status} for /_lab/{})",
                self.url,
                endpoint.route().1
            ));
        }
        serde_json::from_str(&body)
            .map_err(|e| format!("the sandbox's answer is not what lab expects: {e}"))
    }
}

/// What `POST /_lab/advance` answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advanced {
    /// The sandbox's time now, e.g. `2026-12-01T10:05:00Z`.
    pub now: String,
    /// Alarm state changes on the way.
    pub changes: usize,
}

/// The longest one advance may move the clock: an hour, more than CloudTrail waits
/// or the lab's alarms look back. (moto refuses log events more than two hours
/// ahead of its own clock, so the sandbox's must stay within that.)
const LONGEST_ADVANCE: f64 = 3600.0;

/// Answers a request for `/_lab/{name}`.
pub async fn answer(sandbox: &Sandbox, method: &str, name: &str, query: Option<&str>) -> Answer {
    let Some(endpoint) = Endpoint::find(method, name) else {
        return typed(
            StatusCode::NOT_FOUND,
            "application/json",
            json!({ "error": format!("no endpoint {method} /_lab/{name}") }).to_string(),
        );
    };
    match endpoint {
        Endpoint::Status => {
            let status = {
                let world = sandbox.world();
                Status {
                    moto: sandbox.backend.url().to_string(),
                    delivery_delay_ms: sandbox.settings.delivery_delay.as_millis() as u64,
                    evaluation_interval_ms: sandbox.settings.evaluation_interval.as_millis() as u64,
                    clock_ms: (sandbox.clock.now() * 1000.0) as u64,
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
        Endpoint::Pending => json_ok(serde_json::to_value(pending(sandbox)).unwrap_or_default()),
        Endpoint::Confirm => {
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
        Endpoint::Settle => {
            let settled = settle(sandbox).await;
            json_ok(json!({ "settled": settled }))
        }
        Endpoint::Advance => {
            let form = super::call::form(query.unwrap_or_default().as_bytes());
            let seconds = form.get("seconds").and_then(|s| s.parse::<f64>().ok());
            match seconds {
                Some(s) if s.is_finite() && (0.0..=LONGEST_ADVANCE).contains(&s) => {
                    let advanced = advance(sandbox, Duration::from_secs_f64(s)).await;
                    json_ok(serde_json::to_value(advanced).unwrap_or_default())
                }
                _ => typed(
                    StatusCode::BAD_REQUEST,
                    "application/json",
                    json!({ "error": "give ?seconds=N, from 0 to 3600" }).to_string(),
                ),
            }
        }
        Endpoint::Shutdown => {
            sandbox.stop();
            json_ok(json!({ "stopping": true }))
        }
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

/// Moves the clock forward by `by` in steps of the evaluation interval, delivering
/// and evaluating at each, as the time passing would.
async fn advance(sandbox: &Sandbox, by: Duration) -> Advanced {
    let step = sandbox
        .settings
        .evaluation_interval
        .max(Duration::from_millis(100));
    let before = sandbox.world().history.len();
    let mut left = by;
    while !left.is_zero() {
        let now = step.min(left);
        sandbox.clock.advance(now);
        left -= now;
        super::cloudtrail::deliver(sandbox).await;
        super::alarms::evaluate_all(sandbox).await;
    }
    let changes = sandbox.world().history[before..]
        .iter()
        .filter(|h| h.kind == "StateUpdate")
        .count();
    Advanced {
        now: super::world::iso(sandbox.clock.now()),
        changes,
    }
}

/// Lets as much time pass as it takes for every event recorded so far to be
/// delivered and for the alarms to see it: the delivery delay, and the end of the
/// minute the latest event fell in (CloudWatch evaluates whole minutes), then one
/// more evaluation. The clock is moved, as `advance` moves it; nothing waits.
async fn settle(sandbox: &Sandbox) -> bool {
    let now = sandbox.clock.now();
    let settings = &sandbox.settings;
    let delivered = now + settings.delivery_delay.as_secs_f64();
    let seen = super::alarms::minute(now) + 60.0;
    let until = delivered.max(seen) + settings.evaluation_interval.as_secs_f64();
    advance(sandbox, Duration::from_secs_f64(until - now)).await;
    let world = sandbox.world();
    world.events[world.delivered..].iter().all(|e| e.time > now)
}

fn json_ok(value: serde_json::Value) -> Answer {
    typed(StatusCode::OK, "application/json", value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_endpoint_is_found_by_its_own_route_only() {
        for endpoint in Endpoint::ALL {
            let (method, name) = endpoint.route();
            assert_eq!(Endpoint::find(method, name), Some(endpoint));
            let other = if method == "GET" { "POST" } else { "GET" };
            assert_eq!(Endpoint::find(other, name), None, "{name}");
        }
        assert_eq!(Endpoint::find("GET", "nothing"), None);
    }

    #[tokio::test]
    async fn a_sandbox_that_never_answers_is_given_up_on() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        // Accepts and holds every connection, never answering.
        let held = tokio::spawn(async move {
            let mut streams = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                streams.push(stream);
            }
        });
        let started = std::time::Instant::now();
        let answer = Control::new(&url).settle(Duration::from_millis(300)).await;
        assert!(started.elapsed() < Duration::from_secs(5));
        let why = answer.unwrap_err();
        assert!(why.contains("did not answer within"), "{why}");
        held.abort();
    }
}
