//! What the front's tasks share: the settings, the calls to moto on AWS's behalf,
//! the mailbox and what the sandbox remembers ([`World`]), and passing a request on
//! to moto.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tokio::sync::Notify;

use super::backend::Backend;
use super::call::Call;
use super::clock::Clock;
use super::mailbox::Mailbox;
use super::world::{Principal, World};

/// How the sandbox behaves.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long CloudTrail waits before delivering an event (AWS: about five minutes).
    pub delivery_delay: Duration,
    /// How often alarms are evaluated (AWS: every minute).
    pub evaluation_interval: Duration,
    /// The folder of the mailbox.
    pub dir: PathBuf,
    /// A simulated clock starting at this time (seconds since the epoch), which
    /// moves only when advanced; `None`: the system's clock.
    pub simulated_clock: Option<f64>,
}

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
    /// The time, as the sandbox sees it.
    pub clock: Clock,
    url: String,
    world: Mutex<World>,
    http: Client<HttpConnector, Full<Bytes>>,
    shutdown: Notify,
}

impl Sandbox {
    /// The shared state of a front at `url` in front of the moto at `moto`.
    pub fn new(moto: String, url: String, settings: Settings) -> Sandbox {
        Sandbox {
            mailbox: Mailbox::in_dir(&settings.dir),
            clock: settings
                .simulated_clock
                .map_or_else(Clock::system, Clock::simulated),
            settings,
            backend: Backend::new(moto),
            url,
            world: Mutex::new(World::default()),
            http: Client::builder(TokioExecutor::new()).build_http(),
            shutdown: Notify::new(),
        }
    }

    /// Waits until someone asks the front to stop ([`Sandbox::stop`]).
    pub async fn stopped(&self) {
        self.shutdown.notified().await;
    }

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

    /// Who signed `call`, as moto's STS says (remembered).
    pub async fn principal(&self, call: &Call) -> Principal {
        if let Some(p) = self.world().principals.get(&call.access_key) {
            return p.clone();
        }
        // moto knows one caller per account; a key that acts as someone else is
        // that someone in the account moto gives it.
        let principal = self
            .backend
            .principal(&call.access_key, &call.region)
            .await
            .map(|p| crate::identities::principal(&call.access_key, &p.account).unwrap_or(p))
            .unwrap_or_else(|e| {
                tracing::warn!("who is {}? {e}", call.access_key);
                Principal {
                    access_key: call.access_key.clone(),
                    account: "123456789012".into(),
                    arn: "arn:aws:iam::123456789012:root".into(),
                    invoked_by: None,
                }
            });
        self.world()
            .principals
            .insert(call.access_key.clone(), principal.clone());
        principal
    }
}
