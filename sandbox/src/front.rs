//! The front: an HTTP server on a loopback port that the SDK and the AWS CLI talk
//! to. It forwards each API call to moto and adds what AWS does and moto does not
//! (see [`super::hooks`]), records the call as a CloudTrail event, and runs the
//! background work: CloudTrail delivery and alarm evaluation. Paths under `/_lab/`
//! are its own control endpoints (status, settle, pending confirmations, shutdown).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use super::backend::Backend;
use super::call::Call;
use super::mailbox::Mailbox;
use super::world::{Principal, World, now};

/// How the sandbox behaves.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long CloudTrail waits before delivering an event (AWS: about five minutes).
    pub delivery_delay: Duration,
    /// How often alarms are evaluated (AWS: every minute).
    pub evaluation_interval: Duration,
    /// The folder of the mailbox.
    pub dir: PathBuf,
}

/// The largest request the front reads (AWS's own APIs take far less; a larger one
/// is refused rather than buffered).
const MAX_BODY: usize = 20 * 1024 * 1024;

/// How long a client may take to send a request's headers.
const HEADER_READ_TIME: Duration = Duration::from_secs(10);

/// How long moto may take to answer one request.
const MOTO_ANSWER_TIME: Duration = Duration::from_secs(30);

/// What the front's tasks share.
#[derive(Debug)]
pub struct Sandbox {
    /// The settings.
    pub settings: Settings,
    /// Calls to moto on AWS's behalf.
    pub backend: Backend,
    /// Where email goes.
    pub mailbox: Mailbox,
    url: String,
    world: Mutex<World>,
    http: Client<HttpConnector, Full<Bytes>>,
    shutdown: Notify,
}

/// A response the front sends.
pub type Answer = Response<Full<Bytes>>;

/// A call the front refuses, as AWS would: an error code and a message.
pub type Refusal = (String, String);

impl Sandbox {
    /// What the sandbox remembers, locked. Never hold it across an `.await`.
    pub fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The front's own URL, e.g. `http://127.0.0.1:4599`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Asks the front to stop.
    pub fn stop(&self) {
        self.shutdown.notify_one();
    }

    /// Forwards a request to moto as it is.
    pub async fn forward(
        &self,
        parts: &hyper::http::request::Parts,
        body: Bytes,
    ) -> Result<(hyper::http::response::Parts, Bytes), String> {
        let path = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let uri: hyper::Uri = format!("{}{path}", self.backend.url())
            .parse()
            .map_err(|e| format!("{e}"))?;
        let mut request = Request::builder().method(parts.method.clone()).uri(uri);
        // The body is whole now: its length is set anew, and hop-by-hop headers stay here.
        use hyper::header::{CONNECTION, CONTENT_LENGTH, HOST, TRANSFER_ENCODING};
        for (name, value) in &parts.headers {
            if ![HOST, CONTENT_LENGTH, TRANSFER_ENCODING, CONNECTION].contains(name) {
                request = request.header(name, value);
            }
        }
        let request = request.body(Full::new(body)).map_err(|e| e.to_string())?;
        let answer = async {
            let response = self
                .http
                .request(request)
                .await
                .map_err(|e| format!("moto did not answer: {e}"))?;
            let (parts, body) = response.into_parts();
            let body = body
                .collect()
                .await
                .map_err(|e| format!("moto's answer was cut short: {e}"))?
                .to_bytes();
            Ok((parts, body))
        };
        tokio::time::timeout(MOTO_ANSWER_TIME, answer)
            .await
            .unwrap_or_else(|_| {
                Err(format!(
                    "moto did not answer within {} s",
                    MOTO_ANSWER_TIME.as_secs()
                ))
            })
    }

    async fn principal(&self, call: &Call) -> Principal {
        if let Some(p) = self.world().principals.get(&call.access_key) {
            return p.clone();
        }
        let principal = self
            .backend
            .principal(&call.access_key, &call.region)
            .await
            .unwrap_or_else(|e| {
                tracing::warn!("who is {}? {e}", call.access_key);
                Principal {
                    access_key: call.access_key.clone(),
                    account: "123456789012".into(),
                    arn: "arn:aws:iam::123456789012:root".into(),
                }
            });
        self.world()
            .principals
            .insert(call.access_key.clone(), principal.clone());
        principal
    }
}

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
        let http = Client::builder(TokioExecutor::new()).build_http();
        let sandbox = Arc::new(Sandbox {
            mailbox: Mailbox::in_dir(&settings.dir),
            settings,
            backend: Backend::new(moto),
            url: format!("http://{address}"),
            world: Mutex::new(World::default()),
            http,
            shutdown: Notify::new(),
        });
        let mut tasks = Vec::new();
        let server = sandbox.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let sandbox = server.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let sandbox = sandbox.clone();
                        async move { Ok::<_, Infallible>(handle(&sandbox, request).await) }
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
        self.sandbox.shutdown.notified().await;
    }
}

impl Drop for Front {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

async fn handle(sandbox: &Sandbox, request: Request<Incoming>) -> Answer {
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
        return super::control::answer(sandbox, parts.method.as_str(), endpoint).await;
    }
    match Call::parse(parts.method.as_str(), path, query, &parts.headers, &body) {
        Some(call) => api_call(sandbox, parts, body, call).await,
        None if parts.method == hyper::Method::GET && super::hooks::is_link(query) => {
            super::hooks::link(sandbox, query.unwrap_or("")).await
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
        world.next_id(now())
    };
    let answer = match super::hooks::answer_here(sandbox, &call, &who, &request_id) {
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
        None => {
            let before = super::hooks::before(sandbox, &call).await;
            match sandbox.forward(&parts, body).await {
                Ok((parts, body)) => {
                    let ok = parts.status.is_success();
                    let body = if ok {
                        super::hooks::after(sandbox, &call, &who, before, body).await
                    } else {
                        body
                    };
                    let mut response = Response::from_parts(parts, Full::new(body));
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
        let event = super::cloudtrail::record(&call, &who, now(), request_id, error);
        sandbox.world().events.push(event);
    }
    answer
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
    Some((code, message))
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
        Err((code, message)) => {
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
        Err((code, message)) => typed(
            StatusCode::BAD_REQUEST,
            "text/xml",
            super::xml::error(&code, &message, request_id),
        ),
    }
}
