//! Benchmark: a full `lab check` (stages 1 to 5) against moto on loopback.
//!
//! Builds the lab once with the lessons' own actions, then reads and judges the
//! account repeatedly, reporting wall time (min / median / max) and the number of
//! API requests a check makes. Run with `cargo bench --bench check`.
//! Everything stays on 127.0.0.1; the moto server is started and stopped here.

use std::time::{Duration, Instant};

use lab::actions::perform;
use lab::aws::Aws;
use lab::check::{report, stages};
use lab::lesson::{LessonSource, load};
use lab::session::Session;

#[path = "support/mod.rs"]
mod support;

const RUNS: usize = 20;

fn main() {
    let (moto, config) = support::moto();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let aws = Aws::new(config);
        let lab = load(&LessonSource::Embedded).expect("lessons");
        let set = [("email".to_string(), "learner@example.com".to_string())];
        let session = Session::open(&lab, aws.clone(), &set)
            .await
            .expect("session");
        for (stage, step) in lab.steps().filter(|(s, _)| s.number <= 5) {
            if let Some(action) = &step.action {
                perform(action, &session.context())
                    .await
                    .unwrap_or_else(|e| panic!("stage {} {}: {e}", stage.number, step.id));
            }
        }
        let chosen = stages(&lab, &[], false).expect("default stages");
        let mut times = Vec::with_capacity(RUNS);
        let mut calls = 0;
        let mut checks = 0;
        for _ in 0..RUNS {
            let start = Instant::now();
            let result = report(&aws, &lab, &set, &chosen, Default::default())
                .await
                .expect("check");
            times.push(start.elapsed());
            calls = result.api_calls;
            checks = result.findings.len();
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!("lab check, stages 1-5 ({checks} checks), moto on loopback, {RUNS} runs");
        println!(
            "  wall time: min {:.1} ms, median {:.1} ms, max {:.1} ms",
            ms(times[0]),
            ms(times[RUNS / 2]),
            ms(times[RUNS - 1])
        );
        println!("  API requests per check: {calls} reads, plus 1 sts:GetCallerIdentity");
    });
    drop(moto);
}
