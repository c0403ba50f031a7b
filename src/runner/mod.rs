//! `lab run`: the guide that walks a learner through the lab, step by step.
//!
//! [`Runner`] is a state machine over the lesson steps. At each step it shows the
//! instructions and offers a menu ([`Choice`]): check my work, do it for me, the
//! next hint, the CLI command, skip, back, quit. Checking runs the step's checks
//! from `lab check`; where AWS takes minutes it waits, polling with back-off. The
//! progress file is saved after every change, so quitting (or a crash) loses nothing.
//!
//! The runner talks to the learner only through the [`Ui`] trait: [`TerminalUi`]
//! for people, a scripted one in tests. `--auto` ([`Runner::run_auto`]) does and
//! checks every step without asking.
//!
//! Here: the runner's state and the [`Ui`] it talks through. The walk is in `flow`,
//! what a step shows in `screens`, the two menu entries that reach AWS in `do_it`
//! and `check_work`, and the quiet a step's experiment needs in `quiet`.

mod check_work;
mod do_it;
mod flow;
mod intro;
mod plain;
mod quiet;
mod screens;
mod terminal;
pub mod troubleshoot;

use std::time::Duration;

pub use intro::{chain_diagram, intro};
pub use plain::PlainUi;
pub use terminal::TerminalUi;

use crate::error::{Error, NotCreatedByLab};
use crate::lesson::{Stage, Step, template::Template};
use crate::progress::{Progress, Store};
use crate::session::Session;

/// What the learner can do at a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Run the step's checks.
    Check,
    /// Let lab do the step through the SDK, then check it.
    DoIt,
    /// Show the next hint.
    Hint,
    /// Show the AWS CLI commands.
    Cli,
    /// Show the console's steps (in the sandbox, where the CLI is shown first).
    Console,
    /// Move on without passing.
    Skip,
    /// Move on from a step already done.
    Continue,
    /// Go to the previous step.
    Back,
    /// Stop here; progress is kept.
    Quit,
}

impl Choice {
    /// The menu label.
    pub fn label(self) -> &'static str {
        match self {
            Choice::Check => "Check my work",
            Choice::DoIt => "Do it for me",
            Choice::Hint => "Next hint",
            Choice::Cli => "Show the AWS CLI commands",
            Choice::Console => "Show the console steps",
            Choice::Skip => "Skip this step",
            Choice::Continue => "Continue (this step is done)",
            Choice::Back => "Back to the previous step",
            Choice::Quit => "Quit (your progress is saved)",
        }
    }
}

/// How the runner talks to the learner.
pub trait Ui {
    /// Shows text (already styled).
    fn say(&mut self, text: &str);
    /// Asks a yes/no question.
    fn confirm(&mut self, question: &str) -> Result<bool, Error>;
    /// Asks for a value; `check` refuses bad ones with a reason, and the question is
    /// asked again.
    fn ask(
        &mut self,
        question: &str,
        default: Option<&str>,
        check: &dyn Fn(&str) -> Result<(), String>,
    ) -> Result<String, Error>;
    /// Offers a menu.
    fn choose(&mut self, title: &str, choices: &[Choice]) -> Result<Choice, Error>;
    /// A wait on AWS begins.
    fn wait_started(&mut self, what: &str, usual: Duration);
    /// Still waiting.
    fn wait_tick(&mut self, elapsed: Duration);
    /// The wait is over.
    fn wait_ended(&mut self);
    /// Holds what is on the screen until the learner goes on (`prompt` says to
    /// what): evidence a check just showed would otherwise scroll away under the
    /// next step. Without a screen to hold, nothing to do.
    fn pause(&mut self, prompt: &str) -> Result<(), Error> {
        let _ = prompt;
        Ok(())
    }
}

/// Settings of a run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The longest wait for AWS to show a step's result.
    pub wait_timeout: Duration,
    /// The first pause between polls; it doubles, up to 30 s.
    pub first_poll: Duration,
    /// The learner's flags (` --sandbox`), for the commands the guide suggests.
    pub flags: String,
    /// The width text is wrapped to ([`crate::markdown::terminal_width`]).
    pub width: usize,
    /// The terminal's height, when known: CLI commands taller than a screen are also
    /// written to a script the learner can read again and run.
    pub height: Option<usize>,
}

/// The guide, in one account and region.
pub struct Runner<'s, U: Ui + ?Sized> {
    session: &'s Session<'s>,
    store: Store,
    progress: Progress,
    ui: Box<U>,
    options: Options,
    steps: Vec<(&'s Stage, &'s Step)>,
    /// What the learner let lab change though lab did not create it, this run.
    adopted: Vec<NotCreatedByLab>,
    /// When the guide last called AWS, or a moment after: a quiet step's action
    /// needs a minute that holds none of the guide's calls.
    last_call: std::time::SystemTime,
    /// The sandbox's clock was moved to a new minute for a quiet step, and the
    /// guide has called nothing since: that minute is still the step's own.
    minute_kept: bool,
}

impl<'s, U: Ui + ?Sized> Runner<'s, U> {
    /// A runner for `session`, continuing `progress` (saved to `store`).
    pub fn new(
        session: &'s Session<'s>,
        store: Store,
        progress: Progress,
        ui: Box<U>,
        options: Options,
    ) -> Self {
        let steps = session.lab.steps().collect();
        Runner {
            session,
            store,
            progress,
            ui,
            options,
            steps,
            adopted: Vec::new(),
            last_call: std::time::SystemTime::now(),
            minute_kept: false,
        }
    }

    /// The UI, for tests to inspect what was shown.
    pub fn ui(&self) -> &U {
        &self.ui
    }

    /// The progress so far.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// Where to start: the stage asked for, else the saved position, else the first
    /// step not done.
    pub fn start_index(&self, stage: Option<&Stage>) -> usize {
        if let Some(stage) = stage {
            return self
                .steps
                .iter()
                .position(|(s, _)| s.number == stage.number)
                .unwrap_or(0);
        }
        if let Some(current) = &self.progress.current
            && let Some(i) = self.steps.iter().position(|(_, step)| &step.id == current)
        {
            return i;
        }
        self.steps
            .iter()
            .position(|(_, step)| !self.progress.is_done(&step.id))
            .unwrap_or(self.steps.len())
    }

    /// The guide has just called AWS: a minute it called in is no step's own.
    fn called_aws(&mut self) {
        self.last_call = std::time::SystemTime::now();
        self.minute_kept = false;
    }

    fn save(&mut self) -> Result<(), Error> {
        self.store.save(&self.progress)
    }

    /// A lesson text as this learner reads it: their values, and `lab`'s commands
    /// with their flags.
    fn text(&self, template: &Template) -> String {
        crate::lab_commands::with_flags(
            &template.render(&self.session.values.0),
            &self.options.flags,
        )
    }
}

/// Ctrl-C, listened for from now on, so that one pressed while the checks run
/// (between two polls) still ends the wait.
fn interrupt() -> Result<tokio::signal::unix::Signal, Error> {
    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
        .map_err(Error::SignalUnwatched)
}
