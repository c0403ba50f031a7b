//! Benchmark: the sandbox with many CloudTrail events. Stages 1 to 5 are built on
//! moto through a front (the trail with its bucket, log group and role, the metric
//! filter, the alarm on Sum); then, for 10,000, 30,000 and 100,000 reads of the
//! secret, a sandbox of its own (simulated clock, no background tasks, so that every
//! step is timed alone) records the events, answers `LookupEvents` (the first page,
//! and every page to the end), delivers them (a log file to S3, `PutLogEvents`,
//! the metric filter, `PutMetricData`: moto's time included) and evaluates the
//! alarm. Each step is printed with its time per event: if they stay level as the
//! events grow tenfold, nothing scans quadratically.
//! Run with `cargo bench --bench events`. Loopback only.

use std::time::{Duration, Instant};

use lab::lesson::{LessonSource, load};
use lab::session::Session;
use sandbox::call::Call;
use sandbox::state::{Sandbox, Settings};
use sandbox::world::Principal;
use serde_json::json;

#[path = "support/mod.rs"]
mod support;

const SIZES: [usize; 3] = [10_000, 30_000, 100_000];

fn main() {
    let (moto, config) = support::moto();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        // The lab, built through a front (its background tasks see nothing to do).
        let (_front, aws, _mail) = support::front(
            &moto,
            &config,
            Duration::from_secs(300),
            Duration::from_secs(60),
        )
        .await;
        let lab = load(&LessonSource::default()).expect("lessons");
        let set = vec![("email".to_string(), "learner@example.com".to_string())];
        let assignments = lab::variables::Assignments::new(&lab, &set).expect("assignments");
        let session = Session::open(&lab, aws, &assignments)
            .await
            .expect("session");
        support::perform_steps(&session, lab.steps().filter(|(s, _)| s.number <= 5)).await;
        let secret = "TopSecretInfo";

        println!(
            "{:>8} {:>22} {:>22} {:>22} {:>22} {:>22}",
            "events", "record", "lookup: first page", "lookup: every page", "delivery", "evaluation"
        );
        for size in SIZES {
            let start = 1_800_000_000.0;
            let dir = tempfile::tempdir().expect("a folder for the mailbox");
            let sandbox = Sandbox::new(
                moto.endpoint_url(),
                "http://127.0.0.1:1".into(),
                Settings {
                    delivery_delay: Duration::from_secs(5),
                    evaluation_interval: Duration::from_secs(60),
                    dir: dir.path().to_path_buf(),
                    simulated_clock: Some(start),
                },
            );
            let who = Principal {
                access_key: "testing".into(),
                account: sandbox::ACCOUNT.into(),
                arn: format!("arn:aws:iam::{}:user/moto", sandbox::ACCOUNT),
                invoked_by: None,
            };
            {
                let mut world = sandbox.world();
                world.principals.insert(who.access_key.clone(), who.clone());
                world
                    .places
                    .insert((who.account.clone(), "us-east-1".into()), who.access_key.clone());
            }

            // Recording: each read parsed as the front parses it, and recorded, over
            // ten seconds of the simulated clock (within one period of the alarm).
            let headers = read_headers();
            let body = json!({ "SecretId": secret }).to_string();
            let timer = Instant::now();
            for i in 0..size {
                let call = Call::parse("POST", "/", None, &headers, body.as_bytes())
                    .expect("a signed call");
                let time = start + 10.0 * i as f64 / size as f64;
                let mut world = sandbox.world();
                let ids = sandbox::cloudtrail::Ids {
                    request: world.next_id(time),
                    event: world.next_id(time),
                };
                let event = sandbox::cloudtrail::record(&call, &who, time, ids, None);
                world.events.push(event);
            }
            let record = timer.elapsed();

            // LookupEvents, by event name, as the grader asks.
            let request = json!({"LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "GetSecretValue"}]});
            let timer = Instant::now();
            let page = lookup(&sandbox, &request);
            let first_page = timer.elapsed();
            assert_eq!(page["Events"].as_array().map(Vec::len), Some(50));
            let timer = Instant::now();
            let (mut seen, mut request) = (0, request);
            loop {
                let page = lookup(&sandbox, &request);
                seen += page["Events"].as_array().map_or(0, Vec::len);
                match page.get("NextToken") {
                    Some(token) => request["NextToken"] = token.clone(),
                    None => break,
                }
            }
            let every_page = timer.elapsed();
            assert_eq!(seen, size, "every read is found once");

            // Delivery, once the delay has passed: all the events at once, in time
            // for the evaluation at the end of the alarm's one-minute period.
            sandbox.clock.advance(Duration::from_secs(61));
            let timer = Instant::now();
            sandbox::cloudtrail::deliver(&sandbox).await;
            let delivery = timer.elapsed();
            let (delivered, points) = {
                let world = sandbox.world();
                (world.delivered, world.datapoints.len())
            };
            assert_eq!(delivered, size, "every event is delivered");
            assert_eq!(points, size, "the metric filter counts every read");

            // One evaluation of the alarm over the period's data points.
            let timer = Instant::now();
            sandbox::alarms::evaluate_all(&sandbox).await;
            let evaluation = timer.elapsed();
            let alarms = sandbox::alarms::describe(&sandbox, "testing", "us-east-1", None)
                .await
                .expect("the alarms");
            assert!(
                alarms.iter().any(|a| a.state.as_deref() == Some("ALARM")),
                "the alarm is in ALARM on the reads"
            );

            let cell = |d: Duration| {
                format!(
                    "{:>9.1} ms {:>5.2} µs/ev",
                    d.as_secs_f64() * 1e3,
                    d.as_secs_f64() * 1e6 / size as f64
                )
            };
            println!(
                "{size:>8} {:>22} {:>22} {:>22} {:>22} {:>22}",
                cell(record),
                format!("{:>9.3} ms", first_page.as_secs_f64() * 1e3),
                cell(every_page),
                cell(delivery),
                cell(evaluation),
            );
        }
    });
    drop(moto);
}

/// The headers of a signed `GetSecretValue`, as the SDK sends them.
fn read_headers() -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    headers.insert(
        "authorization",
        "AWS4-HMAC-SHA256 Credential=testing/20270115/us-east-1/secretsmanager/aws4_request, SignedHeaders=host;x-amz-date, Signature=0"
            .parse()
            .expect("a header"),
    );
    headers.insert(
        "x-amz-target",
        "secretsmanager.GetSecretValue".parse().expect("a header"),
    );
    headers.insert(
        "user-agent",
        "aws-sdk-rust/1.3 os/linux lang/rust"
            .parse()
            .expect("a header"),
    );
    headers
}

/// One `LookupEvents` page, answered as the front answers it (under its lock).
fn lookup(sandbox: &Sandbox, request: &serde_json::Value) -> serde_json::Value {
    let world = sandbox.world();
    sandbox::cloudtrail::lookup_events(
        &world.events,
        world.pruned,
        sandbox::ACCOUNT,
        "us-east-1",
        request,
    )
    .expect("a page")
}
