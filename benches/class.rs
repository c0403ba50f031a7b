//! Benchmark: grading a class of 200 seeded accounts on moto, concurrently (8 at a
//! time) and one after another, reporting wall time, API requests and peak memory.
//! Run with `cargo bench --bench class`. Everything stays on 127.0.0.1.

use std::time::Instant;

use futures_util::StreamExt;
use lab::actions::perform;
use lab::aws::Aws;
use lab::check::stages;
use lab::grade::{assume, grade};
use lab::lesson::{LessonSource, load};
use lab::roster::Student;
use lab::session::Session;

#[path = "support/mod.rs"]
mod support;

const CLASS: usize = 200;
const CONCURRENCY: usize = 8;

/// The process's resident-set high-water mark, in MiB (Linux).
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn main() {
    let (moto, base) = support::moto();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let lab = load(&LessonSource::Embedded).expect("lessons");
        let set = vec![("email".to_string(), "student@example.com".to_string())];
        let sts = Aws::new(base.clone()).sts();
        let students: Vec<Student> = (0..CLASS)
            .map(|i| Student { name: format!("student-{i:03}"), account: format!("{:012}", 300_000_000_000u64 + i as u64), region: None, role_arn: None, extra: vec![] })
            .collect();

        // Seed: student i has built the lab through stage i % 6.
        let seeding = Instant::now();
        futures_util::stream::iter(students.iter().enumerate())
            .for_each_concurrent(CONCURRENCY, |(i, student)| {
                let (lab, set, sts, base) = (&lab, &set, &sts, &base);
                async move {
                    let config = assume(sts, base, student, "Grader", None).await.expect("assume");
                    let session = Session::open(lab, Aws::new(config), set).await.expect("session");
                    for (stage, step) in lab.steps().filter(|(s, _)| usize::from(s.number) <= i % 6) {
                        if let Some(action) = &step.action {
                            perform(action, &session.context()).await.unwrap_or_else(|e| panic!("stage {} {}: {e}", stage.number, step.id));
                        }
                    }
                }
            })
            .await;
        println!("seeded {CLASS} accounts in {:.1} s", seeding.elapsed().as_secs_f64());
        let baseline = peak_mib();

        let chosen = stages(&lab, &[], false).expect("stages");
        let mut runs = Vec::new();
        for (label, class, concurrency) in [("50 students, 8 at a time", 50, CONCURRENCY), ("200 students, 8 at a time", CLASS, CONCURRENCY), ("200 students, one after another", CLASS, 1)] {
            let start = Instant::now();
            let grades = grade(&lab, students[..class].to_vec(), &chosen, &set, lab::grade::How { concurrency, grading: Default::default() }, |s| { let (sts, base) = (&sts, &base); async move { assume(sts, base, &s, "Grader", None).await } }, |_| {}).await;
            let wall = start.elapsed();
            let graded: Vec<_> = grades.iter().filter_map(|g| g.outcome.as_ref().ok()).collect();
            let reads: Vec<u32> = graded.iter().map(|r| r.api_calls).collect();
            // Per account: AssumeRole and GetCallerIdentity, plus the reads.
            let calls: u32 = reads.iter().map(|r| r + 2).sum();
            let (min, max) = (reads.iter().min().copied().unwrap_or(0), reads.iter().max().copied().unwrap_or(0));
            runs.push((label, wall, graded.len(), calls, min, max, peak_mib()));
        }
        println!("grading stages 1-5 against moto on loopback (release build):");
        for (label, wall, graded, calls, min, max, peak) in runs {
            println!(
                "  {label}: {:.2} s ({:.1} ms per account), {graded} graded, {calls} API requests ({min} to {max} reads per account, plus 2), peak memory {peak:.1} MiB (after seeding: {baseline:.1} MiB)",
                wall.as_secs_f64(),
                wall.as_secs_f64() * 1000.0 / graded.max(1) as f64
            );
        }
    });
    drop(moto);
}
