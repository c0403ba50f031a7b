//! Benchmark: grading a class of 200 accounts at wire speed.
//!
//! A sandbox runs in a process of its own (`lab sandbox start`); 200 student
//! accounts are seeded through it (student i has built the lab through stage
//! i % 6), then graded (stages 1 to 5) as `lab check --roster` grades them: assume
//! each student's role, then read and judge, a bounded number of accounts at once.
//! Every HTTP request the grader makes is timed as it goes. For each run the bench
//! prints the requests, the wall time, the median request latency, and the bound
//! `requests × median latency ÷ concurrency`: the time the requests take if the
//! grader always keeps `concurrency` of them in flight and adds nothing between
//! them. The wall time over the bound is what the grader itself costs (target: at
//! most 2×). Each account's own reads go several at once, so the grader keeps more
//! requests in flight than accounts, and the ratio can be under 1. Behind the front,
//! moto serves one request at a time: the latency grows with what is in flight, and
//! the wall time per request is moto's own pace. Peak memory is this process's: the
//! grader alone (target: under 50 MiB).
//! Run with `cargo bench --bench class`. Everything stays on 127.0.0.1.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use futures_util::StreamExt;
use lab::aws::Aws;
use lab::lesson::{LessonSource, load};
use lab::ops::check::elsewhere::{How, assume, grade};
use lab::roster::Student;
use lab::session::Session;

#[path = "support/mod.rs"]
mod support;

const CLASS: usize = 200;
const SEEDING_CONCURRENCY: usize = 8;

fn main() {
    let running = support::SandboxProcess::start();
    let latencies = Latencies::default();
    let base = support::config(&running.url)
        .to_builder()
        .http_client(latencies.client())
        .build();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let lab = load(&LessonSource::default()).expect("lessons");
        let given = [("email".to_string(), "student@example.com".to_string())];
        let set = lab::variables::Assignments::new(&lab, &given).expect("assignments");
        let sts = Aws::new(base.clone()).sts();
        let students: Vec<Student> = (0..CLASS)
            .map(|i| Student {
                name: format!("student-{i:03}"),
                account: format!("{:012}", 300_000_000_000u64 + i as u64),
                region: None,
                role_arn: None,
                columns: vec![],
            })
            .collect();

        let seeding = Instant::now();
        futures_util::stream::iter(students.iter().enumerate())
            .for_each_concurrent(SEEDING_CONCURRENCY, |(i, student)| {
                let (lab, set, sts, base, url) = (&lab, &set, &sts, &base, &running.url);
                async move {
                    let config = assume(sts, base, student, "Grader", None)
                        .await
                        .expect("assume");
                    // In the sandbox, as a learner: its mailbox confirms the subscription.
                    let aws = Aws::in_sandbox(config, sandbox::control::Control::new(url));
                    let session = Session::open(lab, aws, set).await.expect("session");
                    let built = lab.steps().filter(|(s, _)| usize::from(s.number) <= i % 6);
                    support::perform_steps(&session, built).await;
                }
            })
            .await;
        println!(
            "seeded {CLASS} accounts through the sandbox in {:.1} s; peak memory so far {:.1} MiB",
            seeding.elapsed().as_secs_f64(),
            support::peak_mib()
        );

        let chosen = lab.chosen_stages(&[], false).expect("stages");
        println!(
            "grading stages 1-5 through a sandbox in its own process (release build, loopback):"
        );
        println!(
            "{:<30} {:>8} {:>9} {:>12} {:>11} {:>9} {:>11} {:>9}",
            "run", "requests", "wall", "wall/request", "latency p50", "bound", "wall/bound", "peak"
        );
        for (label, class, concurrency) in [
            ("200 students, one at a time", CLASS, 1),
            ("200 students, 8 at a time", CLASS, 8),
            ("200 students, 32 at a time", CLASS, 32),
        ] {
            latencies.take();
            let start = Instant::now();
            let how = How {
                concurrency,
                grading: Default::default(),
            };
            let reach = |s: Student| {
                let (sts, base) = (&sts, &base);
                async move { assume(sts, base, &s, "Grader", None).await }
            };
            let grades = grade(
                &lab,
                students[..class].to_vec(),
                &chosen,
                &set,
                how,
                reach,
                |_| {},
            )
            .await;
            let wall = start.elapsed();
            let graded = grades.iter().filter(|g| g.outcome.is_ok()).count();
            assert_eq!(graded, class, "every student is graded");
            let mut taken = latencies.take();
            let median = support::percentile(&mut taken, 0.5);
            let bound = median * taken.len() as u32 / concurrency as u32;
            println!(
                "{label:<30} {:>8} {:>7.2} s {:>9.2} ms {:>8.2} ms {:>7.2} s {:>10.2}× {:>5.1} MiB",
                taken.len(),
                wall.as_secs_f64(),
                wall.as_secs_f64() * 1e3 / taken.len() as f64,
                median.as_secs_f64() * 1e3,
                bound.as_secs_f64(),
                wall.as_secs_f64() / bound.as_secs_f64(),
                support::peak_mib()
            );
        }
    });
}

/// The latency of every request made through [`Latencies::client`] (to the
/// response's head), collected until taken.
#[derive(Clone, Default)]
struct Latencies(Arc<Mutex<Vec<Duration>>>);

impl Latencies {
    /// The SDK's plain-HTTP client, timing each request.
    fn client(&self) -> SharedHttpClient {
        SharedHttpClient::new(Timed {
            inner: aws_smithy_http_client::Builder::new().build_http(),
            latencies: self.clone(),
        })
    }

    /// The latencies recorded since the last take.
    fn take(&self) -> Vec<Duration> {
        std::mem::take(&mut *self.0.lock().expect("latencies"))
    }
}

#[derive(Debug)]
struct Timed {
    inner: SharedHttpClient,
    latencies: Latencies,
}

impl std::fmt::Debug for Latencies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Latencies")
    }
}

impl HttpClient for Timed {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(TimedConnector {
            inner: self.inner.http_connector(settings, components),
            latencies: self.latencies.clone(),
        })
    }
}

#[derive(Debug)]
struct TimedConnector {
    inner: SharedHttpConnector,
    latencies: Latencies,
}

impl HttpConnector for TimedConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let (inner, latencies) = (self.inner.clone(), self.latencies.clone());
        HttpConnectorFuture::new(async move {
            let start = Instant::now();
            let response = inner.call(request).await;
            latencies.0.lock().expect("latencies").push(start.elapsed());
            response
        })
    }
}
