//! The guide's screens, as a learner reads them: stage 1 walked through with a
//! scripted learner (check before doing, a hint, the CLI commands, "Do it for me",
//! then quit at the next step), the whole transcript compared with a snapshot.
//!
//! The script stands in for the terminal: it records everything the guide says and
//! every menu it offers, and answers from a list. The pty tests in `run.rs` drive
//! the real terminal; this one pins the words.

use std::collections::VecDeque;
use std::time::Duration;

use lab::error::Error;
use lab::runner::{Choice, Runner, Ui};

use crate::support::build::EMAIL;
use crate::support::moto;
use crate::support::snapshot::assert_snapshot;

/// A learner who answers from a script and remembers every screen.
struct ScriptedLearner {
    choices: VecDeque<Choice>,
    transcript: String,
}

impl ScriptedLearner {
    fn new(choices: &[Choice]) -> Self {
        ScriptedLearner {
            choices: choices.iter().copied().collect(),
            transcript: String::new(),
        }
    }
}

impl Ui for ScriptedLearner {
    fn say(&mut self, text: &str) {
        self.transcript.push_str(text);
        self.transcript.push('\n');
    }

    fn confirm(&mut self, question: &str) -> Result<bool, Error> {
        self.transcript
            .push_str(&format!("[confirm] {question} → yes\n"));
        Ok(true)
    }

    fn ask(
        &mut self,
        question: &str,
        _: Option<&str>,
        _: &dyn Fn(&str) -> Result<(), String>,
    ) -> Result<String, Error> {
        panic!("the guide asked `{question}`, which the script cannot answer")
    }

    fn choose(&mut self, title: &str, choices: &[Choice]) -> Result<Choice, Error> {
        let labels: Vec<&str> = choices.iter().map(|c| c.label()).collect();
        let choice = self
            .choices
            .pop_front()
            .unwrap_or_else(|| panic!("the script ran out at `{title}`: {labels:?}"));
        assert!(
            choices.contains(&choice),
            "`{}` is not offered at `{title}`: {labels:?}",
            choice.label()
        );
        self.transcript.push_str(&format!(
            "[menu] {title} {} → {}\n",
            labels.join(" | "),
            choice.label()
        ));
        Ok(choice)
    }

    fn wait_started(&mut self, what: &str, _: Duration) {
        self.transcript.push_str(&format!("[wait] {what}\n"));
    }

    fn wait_tick(&mut self, _: Duration) {}

    fn wait_ended(&mut self) {}
}

#[tokio::test]
async fn stage_one_reads_as_written() {
    let account = moto::account().await;
    let aws = lab::aws::Aws::new(account.config.clone());
    let lab = lab::lesson::load(&lab::lesson::LessonSource::Embedded).unwrap();
    let session = lab::session::Session::open(&lab, aws, &[("email".into(), EMAIL.into())])
        .await
        .unwrap();
    console::set_colors_enabled(false);
    let home = tempfile::tempdir().unwrap();
    let store = lab::progress::Store::at(home.path());
    let progress =
        lab::progress::Progress::new(&lab.id, &session.identity.account, &session.identity.region);
    let learner = ScriptedLearner::new(&[
        Choice::Check,
        Choice::Hint,
        Choice::Cli,
        Choice::DoIt,
        Choice::Quit,
    ]);
    let options = lab::runner::Options {
        wait_timeout: Duration::from_secs(5),
        first_poll: Duration::from_millis(100),
    };
    let mut runner = Runner::new(&session, store, progress, Box::new(learner), options);
    let start = runner.start_index(None);
    runner.run_interactive(start).await.unwrap();

    let transcript = &runner.ui().transcript;
    assert_snapshot(
        "guide-stage-1-screens",
        transcript,
        &[
            (session.identity.account.as_str(), "[ACCOUNT]"),
            (session.identity.region.as_str(), "[REGION]"),
        ],
    );
}
