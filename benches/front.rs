//! Benchmark: what the sandbox's front adds to each call.
//!
//! 1. One call at a time: the same calls go to moto directly and through the front
//!    (which parses the call, forwards it, runs its hooks and records a CloudTrail
//!    event), interleaved so both see the same moto; the latency per call (median
//!    and 95th percentile) of each path, and the difference.
//! 2. 200 calls at once: the front's own time per call (the time its span is
//!    entered: parsing, hooks, recording, answering; not the wait on moto), for a
//!    call it answers itself (`LookupEvents`) and one it forwards
//!    (`DescribeSecret`), with the latency the callers saw beside it.
//!
//! Run with `cargo bench --bench front`. Loopback only.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lab::aws::Aws;
use sandbox::front::{Front, Settings};

#[path = "support/mod.rs"]
mod support;

const CALLS: usize = 400;
/// Calls in flight at once in the second part.
const CONCURRENT: usize = 200;
/// Calls each of them makes, one after another.
const ROUNDS: usize = 10;

fn main() {
    let spans = FrontTime::install();
    let (moto, config) = support::moto();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let dir = std::env::temp_dir().join(format!("lab-front-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a folder for the mailbox");
        let settings = Settings {
            delivery_delay: Duration::from_secs(5),
            evaluation_interval: Duration::from_secs(60),
            dir: dir.clone(),
            simulated_clock: None,
        };
        let front = Front::start(moto.endpoint_url(), 0, settings)
            .await
            .expect("front");
        let direct = Aws::new(config.clone());
        let fronted = Aws::new(config.to_builder().endpoint_url(front.url()).build());
        direct
            .secretsmanager()
            .create_secret()
            .name("bench")
            .secret_string("not-a-secret")
            .send()
            .await
            .expect("secret");
        // What each kind of call costs: a JSON protocol read, an awsQuery read, and a
        // read the front answers from its own records.
        let kinds: [(&str, Call); 3] = [
            ("secretsmanager:DescribeSecret (JSON)", describe_secret),
            ("sns:ListTopics (awsQuery)", list_topics),
            ("sts:GetCallerIdentity (awsQuery)", caller),
        ];
        println!("{CALLS} calls of each kind, direct to moto and through the front, interleaved:");
        println!(
            "{:<40} {:>12} {:>12} {:>12} {:>12} {:>10}",
            "call", "moto p50", "front p50", "moto p95", "front p95", "added p50"
        );
        for (name, call) in kinds {
            call(&direct).await;
            call(&fronted).await;
            let (mut a, mut b) = (Vec::new(), Vec::new());
            for _ in 0..CALLS {
                let t = Instant::now();
                call(&direct).await;
                a.push(t.elapsed());
                let t = Instant::now();
                call(&fronted).await;
                b.push(t.elapsed());
            }
            println!(
                "{name:<40} {:>12.2?} {:>12.2?} {:>12.2?} {:>12.2?} {:>10.2?}",
                support::percentile(&mut a, 0.5),
                support::percentile(&mut b, 0.5),
                support::percentile(&mut a, 0.95),
                support::percentile(&mut b, 0.95),
                support::percentile(&mut b, 0.5).saturating_sub(support::percentile(&mut a, 0.5))
            );
        }
        println!();
        println!(
            "{CONCURRENT} calls at once, {ROUNDS} each (the front's own time per call; the latency callers saw):"
        );
        println!(
            "{:<40} {:>12} {:>12} {:>14} {:>14}",
            "call", "front p50", "front p95", "latency p50", "latency p95"
        );
        let lookups: [(&str, Call); 2] = [
            ("cloudtrail:LookupEvents (front)", lookup_events),
            ("secretsmanager:DescribeSecret (moto)", describe_secret),
        ];
        for (name, call) in lookups {
            spans.take();
            let latencies = Arc::new(Mutex::new(Vec::new()));
            let tasks: Vec<_> = (0..CONCURRENT)
                .map(|_| {
                    let (aws, latencies) = (fronted.clone(), latencies.clone());
                    tokio::spawn(async move {
                        for _ in 0..ROUNDS {
                            let t = Instant::now();
                            call(&aws).await;
                            latencies.lock().expect("latencies").push(t.elapsed());
                        }
                    })
                })
                .collect();
            for task in tasks {
                task.await.expect("a caller");
            }
            let mut own = spans.take();
            let mut seen = latencies.lock().expect("latencies").clone();
            assert_eq!(own.len(), CONCURRENT * ROUNDS, "one span per call");
            println!(
                "{name:<40} {:>12.2?} {:>12.2?} {:>14.2?} {:>14.2?}",
                support::percentile(&mut own, 0.5),
                support::percentile(&mut own, 0.95),
                support::percentile(&mut seen, 0.5),
                support::percentile(&mut seen, 0.95)
            );
        }
        let events = front.sandbox().world().events.len();
        println!("events recorded by the front: {events}");
        let _ = std::fs::remove_dir_all(dir);
    });
}

/// One kind of call, made through the given clients.
type Call = for<'a> fn(&'a Aws) -> Pending<'a>;
type Pending<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'a>>;

fn describe_secret(aws: &Aws) -> Pending<'_> {
    Box::pin(async move {
        aws.secretsmanager()
            .describe_secret()
            .secret_id("bench")
            .send()
            .await
            .expect("DescribeSecret");
    })
}

fn list_topics(aws: &Aws) -> Pending<'_> {
    Box::pin(async move {
        aws.sns().list_topics().send().await.expect("ListTopics");
    })
}

fn caller(aws: &Aws) -> Pending<'_> {
    Box::pin(async move {
        aws.sts()
            .get_caller_identity()
            .send()
            .await
            .expect("GetCallerIdentity");
    })
}

fn lookup_events(aws: &Aws) -> Pending<'_> {
    Box::pin(async move {
        aws.cloudtrail()
            .lookup_events()
            .lookup_attributes(
                aws_sdk_cloudtrail::types::LookupAttribute::builder()
                    .attribute_key(aws_sdk_cloudtrail::types::LookupAttributeKey::EventName)
                    .attribute_value("GetSecretValue")
                    .build()
                    .expect("an attribute"),
            )
            .send()
            .await
            .expect("LookupEvents");
    })
}

/// The time each of the front's `call` spans was entered, collected as they close.
#[derive(Clone, Default)]
struct FrontTime {
    closed: Arc<Mutex<Vec<Duration>>>,
}

/// A span's time so far, and since when it is entered.
struct Entered {
    total: Duration,
    since: Option<Instant>,
}

impl FrontTime {
    /// Listens to the sandbox's spans (and nothing else) for this process.
    fn install() -> FrontTime {
        use tracing_subscriber::layer::SubscriberExt;
        use tracing_subscriber::{Layer, filter};
        let time = FrontTime::default();
        let layer = time
            .clone()
            .with_filter(filter::filter_fn(|m| m.target().starts_with("sandbox")));
        tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer))
            .expect("one subscriber");
        time
    }

    /// The times collected since the last take.
    fn take(&self) -> Vec<Duration> {
        std::mem::take(&mut *self.closed.lock().expect("spans"))
    }
}

impl<S> tracing_subscriber::Layer<S> for FrontTime
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    fn on_new_span(
        &self,
        attributes: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        context: tracing_subscriber::layer::Context<'_, S>,
    ) {
        if attributes.metadata().name() == "call"
            && let Some(span) = context.span(id)
        {
            span.extensions_mut().insert(Entered {
                total: Duration::ZERO,
                since: None,
            });
        }
    }

    fn on_enter(&self, id: &tracing::span::Id, context: tracing_subscriber::layer::Context<'_, S>) {
        if let Some(span) = context.span(id)
            && let Some(entered) = span.extensions_mut().get_mut::<Entered>()
        {
            entered.since = Some(Instant::now());
        }
    }

    fn on_exit(&self, id: &tracing::span::Id, context: tracing_subscriber::layer::Context<'_, S>) {
        if let Some(span) = context.span(id)
            && let Some(entered) = span.extensions_mut().get_mut::<Entered>()
            && let Some(since) = entered.since.take()
        {
            entered.total += since.elapsed();
        }
    }

    fn on_close(&self, id: tracing::span::Id, context: tracing_subscriber::layer::Context<'_, S>) {
        if let Some(span) = context.span(&id)
            && let Some(entered) = span.extensions().get::<Entered>()
        {
            self.closed.lock().expect("spans").push(entered.total);
        }
    }
}
