//! Benchmark: a full `lab check` (stages 1 to 5), read and judged in-process, against
//! plain moto and against a sandbox front in front of it, on loopback.
//!
//! Builds the lab once with the lessons' own actions, then reads and judges the
//! account repeatedly, reporting wall time (min / median / max), the median of each
//! phase `lab check -v` shows (each phase of reads with its requests, judging), and
//! the requests a check makes. Process start-up and rendering are left to
//! `benches/compare.sh`, which times the whole command. Run with
//! `cargo bench --bench check`. Everything stays on 127.0.0.1.

use std::time::{Duration, Instant};

use lab::aws::Aws;
use lab::lesson::{Lab, LessonSource, load};
use lab::ops::check::report;
use lab::session::Session;
use lab::variables::Assignments;

#[path = "support/mod.rs"]
mod support;

const RUNS: usize = 20;

fn main() {
    let (moto, config) = support::moto();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let lab = load(&LessonSource::default()).expect("lessons");
        let (_front, through_front, _mailbox) = support::front(
            &moto,
            &config,
            Duration::from_secs(5),
            Duration::from_secs(5),
        )
        .await;
        // One account, built through the front (so its trail records and delivers),
        // read both ways.
        build(&lab, &through_front).await;
        time(&lab, "sandbox front", &through_front).await;
        time(&lab, "plain moto", &Aws::new(config.clone())).await;
    });
    drop(moto);
}

const SET: [(&str, &str); 1] = [("email", "learner@example.com")];

fn set(lab: &Lab) -> Assignments {
    let given: Vec<(String, String)> = SET
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Assignments::new(lab, &given).expect("assignments")
}

/// Stages 1 to 5, done by the lessons' own actions.
async fn build(lab: &Lab, aws: &Aws) {
    let session = Session::open(lab, aws.clone(), &set(lab))
        .await
        .expect("session");
    support::perform_steps(&session, lab.steps().filter(|(s, _)| s.number <= 5)).await;
}

/// Checks the default scope `RUNS` times through `aws` and prints the figures.
async fn time(lab: &Lab, name: &str, aws: &Aws) {
    let chosen = lab.chosen_stages(&[], false).expect("default stages");
    let mut times = Vec::with_capacity(RUNS);
    let mut laps: Vec<(String, Option<u32>, Vec<Duration>)> = Vec::new();
    let mut calls = 0;
    let mut checks = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        // As `lab check` does: who and where (STS), then the read and the verdicts.
        let session = Session::open(lab, aws.clone(), &set(lab))
            .await
            .expect("session");
        let result = report(&session, &chosen, Default::default()).await;
        times.push(start.elapsed());
        calls = result.api_calls;
        checks = result.findings.len();
        for lap in result.timings {
            match laps.iter_mut().find(|(what, ..)| *what == lap.what) {
                Some((_, _, took)) => took.push(lap.took),
                None => laps.push((lap.what, lap.requests, vec![lap.took])),
            }
        }
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let wall = support::percentile(&mut times, 0.5);
    println!("lab check, stages 1-5 ({checks} checks), {name} on loopback, {RUNS} runs");
    println!(
        "  wall time: min {:.1} ms, median {:.1} ms, max {:.1} ms",
        ms(times[0]),
        ms(wall),
        ms(times[RUNS - 1])
    );
    for (what, requests, mut took) in laps {
        let requests = requests
            .map(|n| format!(", {n} requests"))
            .unwrap_or_default();
        println!(
            "  {what}: median {:.1} ms{requests}",
            ms(support::percentile(&mut took, 0.5))
        );
    }
    println!("  API requests per check: {calls} reads, plus 1 sts:GetCallerIdentity");
}
