//! Benchmark: "Check my work" on a step that is not done, in the sandbox. On AWS
//! the guide would poll for minutes; the sandbox can tell at once, since it moves
//! its own clock past delivery and evaluation instead of waiting. The target is an
//! answer within 1 s. The step is 2.3 (the read of the secret, which CloudTrail
//! must record), checked before any read, with AWS's own timings: delivery after
//! 5 minutes, alarms evaluated every minute. Run with
//! `cargo bench --bench sandbox_check`. Loopback only.

use std::time::{Duration, Instant};

use lab::error::Error;
use lab::lesson::{LessonSource, load};
use lab::runner::{Choice, Runner, Ui};
use lab::session::Session;

#[path = "support/mod.rs"]
mod support;

const RUNS: usize = 15;
/// The step checked: the first read of the secret.
const STEP: &str = "read-secret";

/// A learner who checks once, then quits.
struct CheckThenQuit {
    /// The choices still to make, the next one last.
    choices: Vec<Choice>,
}

impl Ui for CheckThenQuit {
    fn say(&mut self, _: &str) {}
    fn confirm(&mut self, _: &str) -> Result<bool, Error> {
        Ok(true)
    }
    fn ask(
        &mut self,
        question: &str,
        _: Option<&str>,
        _: &dyn Fn(&str) -> Result<(), String>,
    ) -> Result<String, Error> {
        panic!("the guide asked {question:?}")
    }
    fn choose(&mut self, _: &str, _: &[Choice]) -> Result<Choice, Error> {
        Ok(self.choices.pop().unwrap_or(Choice::Quit))
    }
    fn wait_started(&mut self, _: &str, _: Duration) {}
    fn wait_tick(&mut self, _: Duration) {}
    fn wait_ended(&mut self) {}
}

fn main() {
    let (moto, config) = support::moto();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let (_front, aws, _mailbox) = support::front(
            &moto,
            &config,
            Duration::from_secs(300),
            Duration::from_secs(60),
        )
        .await;
        let lab = load(&LessonSource::default()).expect("lessons");
        let set = [("email".to_string(), "learner@example.com".to_string())];
        let assignments = lab::variables::Assignments::new(&lab, &set).expect("assignments");
        let session = Session::open(&lab, aws, &assignments)
            .await
            .expect("session");
        // Everything before the step, done by the lessons' own actions.
        support::perform_steps(&session, lab.steps().take_while(|(_, s)| s.id != STEP)).await;
        let start = lab
            .steps()
            .position(|(_, s)| s.id == STEP)
            .expect("the step");
        let mut times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let home = tempfile::tempdir().expect("a state folder");
            let progress = lab::progress::Progress::new(
                &lab.id,
                &session.identity.account,
                &session.identity.region,
            );
            let ui = CheckThenQuit {
                choices: vec![Choice::Quit, Choice::Check],
            };
            let options = lab::runner::Options {
                wait_timeout: Duration::from_secs(900),
                first_poll: Duration::from_secs(5),
                flags: " --sandbox".into(),
                width: 80,
                height: None,
            };
            let mut runner = Runner::new(
                &session,
                lab::progress::Store::at(home.path()),
                progress,
                Box::new(ui),
                options,
            );
            let began = Instant::now();
            runner.run_interactive(start).await.expect("the guide runs");
            times.push(began.elapsed());
            assert!(
                !runner.progress().is_done(STEP),
                "the check passed, though nothing read the secret"
            );
        }
        let median = support::percentile(&mut times, 0.5);
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "\"Check my work\" on step {STEP} before the read, in the sandbox (AWS timings), {RUNS} runs"
        );
        println!(
            "  wall time: min {:.1} ms, median {:.1} ms, max {:.1} ms (target: under 1000 ms)",
            ms(times[0]),
            ms(median),
            ms(times[RUNS - 1])
        );
    });
    drop(moto);
}
