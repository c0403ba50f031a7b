//! Endpoints that misbehave, on loopback, for tests of time limits and faults: a
//! [`Proxy`] in front of moto that hangs, stalls, drops, answers garbage, 503 or
//! throttling errors when told, and passes requests on again when told.

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// What [`Proxy`] does with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Passes it on to the backend and relays the answer.
    Pass,
    /// Keeps the connection open and never answers.
    Hang,
    /// Passes it on after a pause.
    Slow(Duration),
    /// Reads it, then closes the connection without a word.
    Drop,
    /// Answers bytes that are not HTTP.
    Garbage,
    /// Answers HTTP 503 with the service's "unavailable" error.
    Unavailable,
    /// Answers the service's throttling error (HTTP 400; S3's is a 503 `SlowDown`).
    Throttle,
}

/// Every way an endpoint can fail.
pub(crate) const FAULTS: [Fault; 5] = [
    Fault::Hang,
    Fault::Drop,
    Fault::Garbage,
    Fault::Unavailable,
    Fault::Throttle,
];

impl Fault {
    /// What `lab` must call this fault (lower case, a fragment of its message).
    pub(crate) fn said_as(self) -> &'static str {
        match self {
            Fault::Hang => "no answer in time",
            Fault::Drop => "closed before message completed",
            Fault::Garbage => "invalid http version",
            Fault::Unavailable => "serviceunavailable",
            Fault::Throttle => "throttl",
            Fault::Pass | Fault::Slow(_) => panic!("{self:?} is not a fault"),
        }
    }
}

/// A loopback proxy in front of a backend (moto) that passes the first requests on
/// and then misbehaves as told, until told otherwise: a service failing mid-job and
/// coming back.
pub(crate) struct Proxy {
    url: String,
    plan: Arc<std::sync::Mutex<Plan>>,
    stop: Arc<AtomicBool>,
}

#[derive(Debug, Clone, Copy)]
struct Plan {
    /// Requests still to pass before `fault` applies.
    passes_left: usize,
    fault: Fault,
}

impl Proxy {
    /// An endpoint with no backend behind it that applies `fault` (never
    /// [`Fault::Pass`]) to every request.
    pub(crate) fn failing(fault: Fault) -> Proxy {
        Proxy::start("127.0.0.1:9", fault)
    }

    /// A proxy to `backend` (`http://host:port`) that applies `fault` to every request.
    pub(crate) fn start(backend: &str, fault: Fault) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let backend = backend
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        assert!(
            backend.starts_with("127.0.0.1:"),
            "loopback only: {backend}"
        );
        let plan = Arc::new(std::sync::Mutex::new(Plan {
            passes_left: 0,
            fault,
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let (plan_, stop_) = (plan.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop_.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (plan, stop, backend) = (plan_.clone(), stop_.clone(), backend.clone());
                        std::thread::spawn(move || serve(stream, &backend, &plan, &stop));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Proxy { url, plan, stop }
    }

    /// From now on: pass the next `passes` requests, then apply `fault`.
    pub(crate) fn fault_after(&self, passes: usize, fault: Fault) {
        *self.plan.lock().unwrap() = Plan {
            passes_left: passes,
            fault,
        };
    }

    /// From now on, apply `fault` to every request.
    pub(crate) fn set(&self, fault: Fault) {
        self.fault_after(0, fault);
    }

    pub(crate) fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// One connection: each request read whole, then treated as the plan says. The
/// answer always closes the connection, so every request takes the plan afresh.
fn serve(
    mut client: std::net::TcpStream,
    backend: &str,
    plan: &std::sync::Mutex<Plan>,
    stop: &AtomicBool,
) {
    use std::io::Write;
    client.set_nonblocking(false).unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let Some((head, body)) = read_request(&mut client) else {
        return;
    };
    let fault = {
        let mut plan = plan.lock().unwrap();
        if plan.passes_left > 0 {
            plan.passes_left -= 1;
            Fault::Pass
        } else {
            plan.fault
        }
    };
    let lower = head.to_ascii_lowercase();
    let protocol = if lower.contains("x-amz-target:") {
        Protocol::Json
    } else if lower.contains("application/x-www-form-urlencoded") {
        Protocol::Query
    } else {
        Protocol::RestXml
    };
    let answer = match fault {
        Fault::Pass => relay(&head, &body, backend),
        Fault::Slow(pause) => {
            std::thread::sleep(pause);
            relay(&head, &body, backend)
        }
        Fault::Hang => {
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(50));
            }
            return;
        }
        Fault::Drop => return,
        Fault::Garbage => b"\x00\x01 this is not HTTP \xff\r\n\r\n".to_vec(),
        Fault::Unavailable => error_answer(
            protocol,
            503,
            "ServiceUnavailable",
            "Service is unavailable",
        ),
        Fault::Throttle => match protocol {
            Protocol::RestXml => {
                error_answer(protocol, 503, "SlowDown", "Reduce your request rate")
            }
            Protocol::Query => error_answer(protocol, 400, "Throttling", "Rate exceeded"),
            Protocol::Json => error_answer(protocol, 400, "ThrottlingException", "Rate exceeded"),
        },
    };
    let _ = client.write_all(&answer);
}

#[derive(Debug, Clone, Copy)]
enum Protocol {
    /// awsJson (X-Amz-Target): Secrets Manager, CloudTrail, CloudWatch Logs.
    Json,
    /// awsQuery (a form): STS, IAM, SNS, CloudWatch.
    Query,
    /// S3.
    RestXml,
}

/// An AWS error answer in `protocol`'s shape.
fn error_answer(protocol: Protocol, status: u16, code: &str, message: &str) -> Vec<u8> {
    let (content_type, extra, body) = match protocol {
        Protocol::Json => (
            "application/x-amz-json-1.1",
            format!("x-amzn-ErrorType: {code}\r\n"),
            format!(r#"{{"__type":"{code}","message":"{message}"}}"#),
        ),
        Protocol::Query => (
            "text/xml",
            String::new(),
            format!(
                "<ErrorResponse><Error><Type>Receiver</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>fault</RequestId></ErrorResponse>"
            ),
        ),
        Protocol::RestXml => (
            "application/xml",
            String::new(),
            format!("<Error><Code>{code}</Code><Message>{message}</Message></Error>"),
        ),
    };
    format!(
        "HTTP/1.1 {status} Fault\r\nContent-Type: {content_type}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Reads one request: its head (through the blank line) and its body (by
/// Content-Length; the SDK sends no chunked bodies for the calls `lab` makes).
fn read_request(stream: &mut std::net::TcpStream) -> Option<(String, Vec<u8>)> {
    use std::io::Read;
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..end]).to_string();
    let length = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = buffer[end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some((head, body))
}

/// Passes a request to the backend on a connection of its own and returns the
/// answer, marked to close the connection.
fn relay(head: &str, body: &[u8], backend: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut upstream = std::net::TcpStream::connect(backend).unwrap();
    let head = with_close(head);
    upstream.write_all(head.as_bytes()).unwrap();
    upstream.write_all(body).unwrap();
    let mut answer = Vec::new();
    upstream.read_to_end(&mut answer).unwrap();
    let Some(end) = answer.windows(4).position(|w| w == b"\r\n\r\n") else {
        return answer;
    };
    let mut out = with_close(&String::from_utf8_lossy(&answer[..end + 4])).into_bytes();
    out.extend_from_slice(&answer[end + 4..]);
    out
}

/// An HTTP head with `Connection: close` in place of any `Connection` header.
fn with_close(head: &str) -> String {
    let mut lines: Vec<&str> = head
        .trim_end_matches("\r\n")
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    lines.push("Connection: close");
    format!("{}\r\n\r\n", lines.join("\r\n"))
}
