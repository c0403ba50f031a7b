//! Benchmark: what the sandbox's front adds to each call. The same calls go to
//! moto directly and through the front (which parses the call, forwards it, runs its
//! hooks and records a CloudTrail event), interleaved so both see the same moto;
//! reports the latency per call (median and 95th percentile) of each path and the
//! difference. Run with `cargo bench --bench front`. Loopback only.

use std::time::{Duration, Instant};

use lab::aws::Aws;
use sandbox::front::{Front, Settings};

#[path = "support/mod.rs"]
mod support;

const CALLS: usize = 400;

fn main() {
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
            a.sort();
            b.sort();
            let p = |v: &[Duration], q: f64| v[((v.len() - 1) as f64 * q) as usize];
            println!(
                "{name:<40} {:>12.2?} {:>12.2?} {:>12.2?} {:>12.2?} {:>10.2?}",
                p(&a, 0.5),
                p(&b, 0.5),
                p(&a, 0.95),
                p(&b, 0.95),
                p(&b, 0.5).saturating_sub(p(&a, 0.5))
            );
        }
        let events = front.sandbox().world().events.len();
        println!("events recorded by the front: {events}");
        let _ = std::fs::remove_dir_all(dir);
    });
}

/// One kind of call, made through the given clients.
type Call = for<'a> fn(&'a Aws) -> Pending<'a>;
type Pending<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + 'a>>;

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
