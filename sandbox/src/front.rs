//! The front: an HTTP server on a loopback port that the SDK and the AWS CLI talk
//! to. It forwards each API call to moto and adds what AWS does and moto does not
//! (see [`super::hooks`]), records the call as a CloudTrail event, and runs the
//! background work: CloudTrail delivery and alarm evaluation. Paths under `/_lab/`
//! are its own control endpoints (status, settle, pending confirmations, shutdown).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tracing::Instrument;

use super::answer::{Answer, Refusal, text};
use super::call::Call;
pub use super::state::{Sandbox, Settings};

/// The largest request the front reads (AWS's own APIs take far less; a larger one
/// is refused rather than buffered).
const MAX_BODY: usize = 20 * 1024 * 1024;

/// How long a client may take to send a request's headers.
const HEADER_READ_TIME: Duration = Duration::from_secs(10);

/// A running front.
#[derive(Debug)]
pub struct Front {
    sandbox: Arc<Sandbox>,
    address: SocketAddr,
    tasks: Vec<JoinHandle<()>>,
}

impl Front {
    /// Starts a front for the moto at `moto` on `127.0.0.1:port` (0: any free port),
    /// with its background tasks.
    pub async fn start(moto: String, port: u16, settings: Settings) -> std::io::Result<Front> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let address = listener.local_addr()?;
        let sandbox = Arc::new(Sandbox::new(moto, format!("http://{address}"), settings));
        let mut tasks = Vec::new();
        let server = sandbox.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                let Ok((stream, peer)) = listener.accept().await else {
                    continue;
                };
                let sandbox = server.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let sandbox = sandbox.clone();
                        // One span per call: the time it is entered is the front's own
                        // work on the call (benches/front.rs measures it).
                        let span = tracing::trace_span!("call");
                        async move { Ok::<_, Infallible>(handle(&sandbox, request, peer).await) }
                            .instrument(span)
                    });
                    // A client that sends half a request is dropped, not waited on.
                    let _ = hyper::server::conn::http1::Builder::new()
                        .timer(hyper_util::rt::TokioTimer::new())
                        .header_read_timeout(HEADER_READ_TIME)
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        }));
        let delivery = sandbox.clone();
        let tick = (sandbox.settings.delivery_delay / 4)
            .clamp(Duration::from_millis(100), Duration::from_secs(1));
        tasks.push(tokio::spawn(async move {
            loop {
                tokio::time::sleep(tick).await;
                super::cloudtrail::deliver(&delivery).await;
            }
        }));
        let evaluation = sandbox.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                tokio::time::sleep(evaluation.settings.evaluation_interval).await;
                super::alarms::evaluate_all(&evaluation).await;
            }
        }));
        Ok(Front {
            sandbox,
            address,
            tasks,
        })
    }

    /// The URL to give the SDK and the AWS CLI.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// What its tasks share.
    pub fn sandbox(&self) -> &Arc<Sandbox> {
        &self.sandbox
    }

    /// Waits until someone asks it to stop (`POST /_lab/shutdown`).
    pub async fn stopped(&self) {
        self.sandbox.stopped().await;
    }
}

impl Drop for Front {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

async fn handle(sandbox: &Sandbox, request: Request<Incoming>, peer: SocketAddr) -> Answer {
    let (parts, body) = request.into_parts();
    let body = match http_body_util::Limited::new(body, MAX_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => {
            return text(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!("the request is larger than the sandbox takes ({MAX_BODY} bytes)"),
            );
        }
        Err(e) => {
            return text(
                StatusCode::BAD_REQUEST,
                &format!("cannot read the request: {e}"),
            );
        }
    };
    let path = parts.uri.path();
    let query = parts.uri.query();
    if let Some(endpoint) = path.strip_prefix("/_lab/") {
        return super::control::answer(sandbox, parts.method.as_str(), endpoint, query).await;
    }
    match Call::parse(parts.method.as_str(), path, query, &parts.headers, &body) {
        Some(mut call) => {
            call.source_ip = peer.ip().to_string();
            api_call(sandbox, parts, body, call).await
        }
        None if parts.method == hyper::Method::GET && super::email_links::is_link(query) => {
            super::email_links::link(sandbox, query.unwrap_or("")).await
        }
        // Signed, but not in a form the sandbox reads (a region like `..`): refused,
        // never passed on to moto.
        None if parts.headers.contains_key(hyper::header::AUTHORIZATION) => text(
            StatusCode::BAD_REQUEST,
            "the request's signature names no AWS region and service the sandbox knows",
        ),
        None => match sandbox.forward(&parts, body).await {
            Ok((parts, body)) => Response::from_parts(parts, Full::new(body)),
            Err(e) => text(StatusCode::BAD_GATEWAY, &e),
        },
    }
}

async fn api_call(
    sandbox: &Sandbox,
    parts: hyper::http::request::Parts,
    body: Bytes,
    call: Call,
) -> Answer {
    let who = sandbox.principal(&call).await;
    let request_id = {
        let mut world = sandbox.world();
        world
            .places
            .entry((who.account.clone(), call.region.clone()))
            .or_insert_with(|| call.access_key.clone());
        world.next_id(sandbox.clock.now())
    };
    let hook = super::hooks::hook(&call);
    let answer = match hook
        .and_then(|hook| super::hooks::answer_here(sandbox, &call, hook, &who, &request_id))
    {
        Some(answer) if call.cbor => {
            super::cbor::answer(answer, &super::cbor::CLOUDWATCH_TIMESTAMPS)
        }
        Some(mut answer) => {
            // Answer JSON in the JSON version the caller spoke (1.0 or 1.1).
            if let Some(kind) = parts.headers.get(hyper::header::CONTENT_TYPE)
                && kind
                    .to_str()
                    .is_ok_and(|k| k.starts_with("application/x-amz-json"))
                && !matches!(call.params, super::call::Params::Query(_))
            {
                answer
                    .headers_mut()
                    .insert(hyper::header::CONTENT_TYPE, kind.clone());
            }
            answer
        }
        None if let Some(refusal) = super::refusals::refusal(sandbox, &call, &who).await => {
            refused(&call, refusal, &request_id)
        }
        None => {
            let before = match hook {
                Some(hook) => super::hooks::before(sandbox, &call, hook).await,
                None => super::hooks::Before::Nothing,
            };
            // moto reads no CBOR: such a call goes to it as awsJson 1.0.
            let (parts, body) = match (&call.params, call.cbor) {
                (super::call::Params::Json(params), true) => {
                    super::cbor::json_request(&parts, params)
                }
                _ => (parts, body),
            };
            match sandbox.forward(&parts, body).await {
                Ok((parts, body)) => {
                    let ok = parts.status.is_success();
                    let body = match hook {
                        Some(hook) if ok => {
                            super::hooks::after(sandbox, &call, hook, &who, before, body).await
                        }
                        _ => body,
                    };
                    let mut response = Response::from_parts(parts, Full::new(body));
                    if call.cbor {
                        response =
                            super::cbor::answer(response, &super::cbor::CLOUDWATCH_TIMESTAMPS);
                    }
                    response.headers_mut().remove(hyper::header::CONTENT_LENGTH);
                    response
                        .headers_mut()
                        .remove(hyper::header::TRANSFER_ENCODING);
                    response
                }
                Err(e) => text(StatusCode::BAD_GATEWAY, &e),
            }
        }
    };
    if call.management {
        let error = error_of(&answer);
        // Stamped when recorded, so that the events stay in time order.
        let time = sandbox.clock.now();
        let ids = super::cloudtrail::Ids {
            event: sandbox.world().next_id(time),
            request: request_id,
        };
        let event = super::cloudtrail::record(&call, &who, time, ids, error);
        sandbox.world().events.push(event);
    }
    answer
}

/// `refusal` in the protocol the caller spoke.
fn refused(call: &Call, refusal: Refusal, request_id: &str) -> Answer {
    match call.params {
        super::call::Params::Query(_) => super::answer::query_answer(Err(refusal), request_id),
        _ if call.cbor => super::cbor::answer(super::answer::json_answer(Err(refusal)), &[]),
        _ => super::answer::json_answer(Err(refusal)),
    }
}

/// The error code and message of a failed answer, as CloudTrail records them.
fn error_of(answer: &Answer) -> Option<Refusal> {
    let status = answer.status();
    if status.is_success() {
        return None;
    }
    let body = answer.body().clone();
    // A Full body is already in memory: read it without waiting.
    let bytes = futures_util::FutureExt::now_or_never(body.collect())
        .and_then(Result::ok)
        .map(|c| c.to_bytes())
        .unwrap_or_default();
    let is_cbor = answer
        .headers()
        .get(hyper::header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"application/cbor"));
    if is_cbor && let Some((code, message)) = super::cbor::error(&bytes) {
        return Some(Refusal { code, message });
    }
    let text = String::from_utf8_lossy(&bytes);
    let between = |open: &str, close: &str| {
        let start = text.find(open)? + open.len();
        let end = start + text[start..].find(close)?;
        Some(text[start..end].to_string())
    };
    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let code = answer
        .headers()
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(':').next().unwrap_or(v).to_string())
        .or_else(|| between("<Code>", "</Code>"))
        .or_else(|| {
            json.get("__type")
                .and_then(|t| t.as_str())
                .map(|t| t.rsplit('#').next().unwrap_or(t).to_string())
        })
        .unwrap_or_else(|| format!("HTTP{}", status.as_u16()));
    let message = between("<Message>", "</Message>")
        .or_else(|| {
            json.get("message")
                .or_else(|| json.get("Message"))
                .and_then(|m| m.as_str())
                .map(str::to_string)
        })
        .unwrap_or_default();
    Some(Refusal { code, message })
}
