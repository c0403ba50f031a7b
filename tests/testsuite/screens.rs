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

use crate::support::moto;
use crate::support::snapshot::assert_snapshot;

/// A learner who answers from a script and remembers every screen.
struct ScriptedLearner {
    choices: VecDeque<Choice>,
    /// Answers to yes/no questions, in turn; yes once they run out.
    answers: VecDeque<bool>,
    transcript: String,
}

impl ScriptedLearner {
    fn new(choices: &[Choice]) -> Self {
        ScriptedLearner {
            choices: choices.iter().copied().collect(),
            answers: VecDeque::new(),
            transcript: String::new(),
        }
    }

    fn answering(mut self, answers: &[bool]) -> Self {
        self.answers = answers.iter().copied().collect();
        self
    }
}

impl Ui for ScriptedLearner {
    fn say(&mut self, text: &str) {
        self.transcript.push_str(text);
        self.transcript.push('\n');
    }

    fn confirm(&mut self, question: &str) -> Result<bool, Error> {
        let answer = self.answers.pop_front().unwrap_or(true);
        let said = if answer { "yes" } else { "no" };
        self.transcript
            .push_str(&format!("[confirm] {question} → {said}\n"));
        Ok(answer)
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

    fn pause(&mut self, prompt: &str) -> Result<(), Error> {
        self.transcript.push_str(&format!("[pause] {prompt}\n"));
        Ok(())
    }
}

/// The guide run by `learner` in a fresh moto account, from `stage` (or the
/// start), with the sandbox's flags: the transcript and the progress left.
async fn walk(learner: ScriptedLearner, stage: Option<&str>) -> (String, lab::progress::Progress) {
    let account = moto::account().await;
    walk_with(lab::aws::Aws::new(account.config.clone()), learner, stage).await
}

/// The same, with `aws`.
async fn walk_with(
    aws: lab::aws::Aws,
    learner: ScriptedLearner,
    stage: Option<&str>,
) -> (String, lab::progress::Progress) {
    let lab = lab::lesson::load(&lab::lesson::LessonSource::default()).unwrap();
    let session = crate::support::build::open_session(&lab, aws).await;
    console::set_colors_enabled(false);
    let home = tempfile::tempdir().unwrap();
    let store = lab::progress::Store::at(home.path());
    let progress =
        lab::progress::Progress::new(&lab.id, &session.identity.account, &session.identity.region);
    let options = lab::runner::Options {
        wait_timeout: Duration::from_secs(5),
        first_poll: Duration::from_millis(100),
        flags: " --sandbox".into(),
        width: 80,
        height: Some(24),
    };
    let mut runner = Runner::new(&session, store, progress, Box::new(learner), options);
    let stage = stage.map(|key| lab.find_stage(key).unwrap());
    let start = runner.start_index(stage);
    runner.run_interactive(start).await.unwrap();
    (runner.ui().transcript.clone(), runner.progress().clone())
}

#[tokio::test]
async fn a_step_done_offers_continue_not_skip() {
    let (transcript, progress) = walk(
        ScriptedLearner::new(&[Choice::DoIt, Choice::Back, Choice::Continue, Choice::Quit]),
        None,
    )
    .await;
    let menus: Vec<&str> = transcript
        .lines()
        .filter(|l| l.starts_with("[menu]"))
        .collect();
    assert!(menus[0].contains("Skip this step"), "{}", menus[0]);
    assert!(
        menus[2].contains("Continue (this step is done)"),
        "{}",
        menus[2]
    );
    assert!(!menus[2].contains("Skip this step"), "{}", menus[2]);
    let first = progress.steps.keys().next().unwrap().clone();
    assert!(progress.is_done(&first), "{progress:?}");
    assert!(
        transcript.contains("Run `lab run --sandbox` to continue"),
        "the hint carries the learner's flags:\n{transcript}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_stage_asks_before_deleting_and_the_closing_screen_fits_the_mode() {
    // "No" deletes nothing and goes back to the menu.
    let (transcript, _) = walk(
        ScriptedLearner::new(&[Choice::DoIt, Choice::Quit]).answering(&[false]),
        Some("cleanup"),
    )
    .await;
    assert!(
        transcript.contains("[confirm] This deletes what the lab built in account"),
        "{transcript}"
    );
    assert!(transcript.contains("Nothing was deleted."), "{transcript}");
    assert!(!transcript.contains("doing:"), "{transcript}");

    // "Yes" cleans up, and the closing screen's commands carry --sandbox. Behind a
    // sandbox front, whose event history shows the secret was built (stage 7 is a
    // cleanup only of a lab that existed).
    let account = moto::account().await;
    let (_front, aws, _dir) = crate::sandbox::front(&account, 60_000).await;
    crate::support::build::perform_through(&aws, 1).await;
    let (transcript, _) = walk_with(
        aws,
        ScriptedLearner::new(&[Choice::DoIt]).answering(&[true]),
        Some("cleanup"),
    )
    .await;
    assert!(transcript.contains("doing:"), "{transcript}");
    // Started at stage 7: the end of the guide, said as it is.
    assert!(
        transcript.contains("That was the last step; 6 of 7 stages are still open"),
        "{transcript}"
    );
    assert!(
        !transcript.contains("You have been through every stage."),
        "{transcript}"
    );
    assert!(
        transcript.contains("`lab check --sandbox --stage cleanup`"),
        "{transcript}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_the_sandbox_a_check_that_fails_says_so_at_once() {
    // On AWS the guide polls for up to --wait-timeout; the sandbox need not be
    // waited for: it delivers and evaluates at once, and the check judges once.
    let account = moto::account().await;
    let (front, aws, _dir) = crate::sandbox::front(&account, 60_000).await;
    let aws = lab::aws::Aws::in_sandbox(
        aws.config().clone(),
        sandbox::control::Control::new(front.url()),
    );
    let (transcript, _) = walk_with(
        aws,
        ScriptedLearner::new(&[Choice::Skip, Choice::Skip, Choice::Check, Choice::Quit]),
        Some("2"),
    )
    .await;
    // Nothing is waited for, and no wait is announced: the clock jumps.
    assert!(
        transcript.contains("the sandbox moves its clock on"),
        "{transcript}"
    );
    assert!(!transcript.contains("[wait]"), "{transcript}");
    assert!(
        transcript.contains("CloudTrail has recorded a read of the secret"),
        "{transcript}"
    );
    assert!(
        !transcript.contains("still not there"),
        "no polling in the sandbox:\n{transcript}"
    );
    // The CLI is the way in the sandbox, led by the line that points a shell at it;
    // the console's steps are a menu item away.
    assert!(
        transcript.contains("eval \"$(lab sandbox env)\"\naws s3 mb"),
        "{transcript}"
    );
    assert!(!transcript.contains("Open CloudTrail"), "{transcript}");
    assert!(
        transcript.contains("Show the console steps"),
        "{transcript}"
    );
}

#[tokio::test]
async fn after_the_read_the_numbers_come_before_the_explanation() {
    let (transcript, _) = walk(
        ScriptedLearner::new(&[Choice::DoIt, Choice::Quit]),
        Some("test"),
    )
    .await;
    assert!(
        transcript.contains("The metric `Secret is accessed` over the last hour"),
        "{transcript}"
    );
    assert!(
        !transcript.contains("the Sum counts the reads"),
        "the learner reads the numbers before being told:\n{transcript}"
    );
    // Why an email comes or not: the path, in `lab check`'s words.
    assert!(
        transcript.contains("From a read to your inbox") && transcript.contains("links hold"),
        "{transcript}"
    );
}

#[tokio::test]
async fn stage_one_reads_as_written() {
    let (transcript, progress) = walk(
        ScriptedLearner::new(&[
            Choice::Check,
            Choice::Hint,
            Choice::Cli,
            Choice::DoIt,
            Choice::Quit,
        ]),
        None,
    )
    .await;
    assert_snapshot(
        "guide-stage-1-screens",
        &transcript,
        &[
            (progress.account.as_str(), "[ACCOUNT]"),
            (progress.region.as_str(), "[REGION]"),
        ],
    );
}

#[tokio::test]
async fn a_finished_stage_says_what_now_exists_and_a_skipped_one_does_not() {
    let lab = lab::lesson::load(&lab::lesson::LessonSource::default()).unwrap();
    let first = &lab.stages[0];
    let done_heading = format!("Stage {} done: {}", first.number, first.title);
    let mut done = vec![Choice::DoIt; first.steps.len()];
    done.push(Choice::Quit);
    let (transcript, _) = walk(ScriptedLearner::new(&done), None).await;
    let (_, after) = transcript
        .split_once(&done_heading)
        .unwrap_or_else(|| panic!("no summary after stage 1:\n{transcript}"));
    // The summary's last sentence, which names nothing to fill in.
    let last_sentence = first
        .summary
        .raw()
        .trim_end()
        .trim_end_matches('.')
        .rsplit(". ")
        .next()
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(!last_sentence.contains("{{"), "{last_sentence}");
    let shown = after.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        shown.contains(&last_sentence),
        "{last_sentence:?} in {after}"
    );
    let mut skipped = vec![Choice::Skip; first.steps.len()];
    skipped.push(Choice::Quit);
    let (transcript, _) = walk(ScriptedLearner::new(&skipped), None).await;
    assert!(!transcript.contains(&done_heading), "{transcript}");
}

#[tokio::test]
async fn commands_taller_than_the_screen_are_also_a_script() {
    let (transcript, _) = walk(
        ScriptedLearner::new(&[Choice::Cli, Choice::Quit]),
        Some("trail"),
    )
    .await;
    let (_, note) = transcript
        .split_once("also in this script")
        .unwrap_or_else(|| panic!("no script for the long commands:\n{transcript}"));
    let path = note
        .lines()
        .map(str::trim)
        .find(|line| line.ends_with(".sh"))
        .unwrap_or_default()
        .to_string();
    assert!(
        path.ends_with("commands/create-trail.sh"),
        "the script's path on a line of its own: {note}"
    );
    // A short block stays as it is.
    let (transcript, _) = walk(ScriptedLearner::new(&[Choice::Cli, Choice::Quit]), None).await;
    assert!(!transcript.contains("also in this script"), "{transcript}");
}

#[tokio::test]
async fn a_failure_the_numbers_explain_is_held_before_the_menu() {
    // Step 5.4 checked before the fix: the statistic fails, the numbers and the
    // explanation come, and they are held on the screen before the menu is drawn
    // under them (at 80x24 the menu would push the table off).
    let account = moto::account().await;
    let aws = crate::support::build::build(&account, 4).await;
    let (transcript, _) = walk_with(
        aws,
        ScriptedLearner::new(&[
            Choice::Skip,
            Choice::Skip,
            Choice::Skip,
            Choice::Check,
            Choice::Quit,
        ]),
        Some("test"),
    )
    .await;
    // On the way, the read alone (5.3) was shown with the time after which it has
    // a minute to itself: the guide's own calls are in an earlier one.
    let flat = transcript.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("lab last called AWS at") && flat.contains("UTC: do this step after"),
        "{transcript}"
    );
    let numbers = transcript
        .find("The metric `Secret is accessed`")
        .unwrap_or_else(|| panic!("{transcript}"));
    let pause = transcript
        .find("[pause] Read the numbers above, then press Enter for the menu")
        .unwrap_or_else(|| panic!("{transcript}"));
    let menu = transcript[pause..]
        .find("[menu]")
        .unwrap_or_else(|| panic!("{transcript}"));
    assert!(numbers < pause && menu > 0, "{transcript}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stage_five_reads_as_written_both_experiments() {
    // Stage 5 done for the learner, step by step, in a sandbox whose clock stands
    // still until the guide moves it: the read among the console's calls, the
    // notification forced by hand, the read alone, the fix, the read again. Each
    // read's numbers are on the screen, and the explanation comes after the second.
    let account = moto::account().await;
    let start = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 60
        * 60;
    let (front, aws, _dir) = crate::sandbox::front_with(
        &account,
        Duration::from_secs(5),
        Duration::from_secs(5),
        Some(start as f64),
    )
    .await;
    let aws = lab::aws::Aws::in_sandbox(
        aws.config().clone(),
        sandbox::control::Control::new(front.url()),
    );
    // Stages 1 to 4, as "Do it for me" builds them; the sandbox delivers for real.
    let lab = lab::lesson::load(&lab::lesson::LessonSource::default()).unwrap();
    let session = crate::support::build::open_session(&lab, aws.clone()).await;
    for (_, step) in lab.steps().filter(|(stage, _)| stage.number <= 4) {
        if let Some(action) = &step.action {
            lab::actions::perform(action, &session.context())
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", step.id));
        }
    }
    // The learner comes to stage 5 ten minutes later.
    let control = aws.sandbox().unwrap();
    control.advance(Duration::from_secs(600)).await.unwrap();
    let mut script = vec![Choice::DoIt; 5];
    script.push(Choice::Quit);
    let (transcript, progress) = walk_with(aws, ScriptedLearner::new(&script), Some("test")).await;

    // The first read shared its minute and the alarm stayed OK; the read alone
    // sent the Average alarm into ALARM, as it would on AWS; what that means comes
    // after both.
    let flat = transcript.split_whitespace().collect::<Vec<_>>().join(" ");
    let at = |text: &str| {
        flat.find(text)
            .unwrap_or_else(|| panic!("no `{text}` in:\n{transcript}"))
    };
    let first = at("(Average over 300 s, ≥ 1) is OK.");
    let alone = at("(Average over 300 s, ≥ 1) is ALARM.");
    let explained = at("The Sum counts the reads");
    assert!(first < alone && alone < explained, "{transcript}");
    assert!(
        at("counted 1 among 1 event.") < at("press Enter for what they mean"),
        "{transcript}"
    );
    at("A read of the secret has sent the alarm into ALARM");
    // Nothing wider than the terminal.
    for line in transcript.lines() {
        assert!(
            console::measure_text_width(line) <= 80 || line.starts_with('['),
            "wider than 80: {line}"
        );
    }

    // Times relative to the clock's start, so that the snapshot holds on any day.
    let minutes: Vec<(String, String)> = (-10i64..=90)
        .flat_map(|k| {
            let at = aws_smithy_types::DateTime::from_secs(start as i64 + k * 60)
                .fmt(aws_smithy_types::date_time::Format::DateTime)
                .unwrap();
            let marker = format!("[T{k:+}]");
            [
                // As wide as the time it stands for, so that the table lines up.
                (at[..16].replace('T', " "), format!("{marker:<16}")),
                (format!("from {}", &at[11..16]), format!("from {marker}")),
                (at[..16].to_string(), marker),
            ]
        })
        .collect();
    let mut redactions: Vec<(&str, &str)> = vec![
        (progress.account.as_str(), "[ACCOUNT]"),
        (progress.region.as_str(), "[REGION]"),
    ];
    redactions.extend(minutes.iter().map(|(a, b)| (a.as_str(), b.as_str())));
    // The folder of the scripts for commands taller than the screen.
    let scripts: Vec<&str> = transcript
        .lines()
        .filter_map(|l| Some(l.trim().split_once("/commands/")?.0))
        .collect();
    redactions.extend(scripts.iter().map(|dir| (*dir, "[STATE]")));
    assert_snapshot("guide-stage-5-screens", &transcript, &redactions);
}
