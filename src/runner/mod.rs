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

mod intro;
mod plain;
mod terminal;
pub mod troubleshoot;

use std::time::{Duration, Instant};

use checkers::{Finding, Status};
use console::style;

pub use intro::{chain_diagram, intro};
pub use plain::PlainUi;
pub use terminal::TerminalUi;

use crate::Outcome;
use crate::actions::{Context, perform};
use crate::check::judge_checks;
use crate::error::{Error, NotCreatedByLab};
use crate::lesson::{Stage, Step, template::Template};
use crate::markdown::{render_to, wrap_text};
use crate::progress::{ActionRecord, Progress, StepState, Store, now};
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
}

/// How doing a step's action went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attempt {
    /// Done (or nothing to do).
    Done,
    /// It failed, for a reason shown with its fix.
    Failed,
    /// The endpoint did not answer.
    Unreachable,
    /// The learner said no: nothing was done.
    Declined,
}

/// How a step's checks came out after trying.
enum Checked {
    /// All passed; `evidence` when the metric's numbers were shown with them.
    Passed {
        evidence: bool,
    },
    /// Not all passed; `unreadable` when something could not be judged.
    NotYet {
        unreadable: bool,
        evidence: bool,
    },
    Interrupted,
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

    /// After a check that showed the metric's numbers: they stay on the screen
    /// until the learner goes on, to the step at `next` (or the closing screen after
    /// the last), or back to the menu (`None`).
    fn hold_evidence(&mut self, next: Option<usize>) -> Result<(), Error> {
        let to = match next {
            Some(next) if next < self.steps.len() => self.step_label(next),
            Some(_) => "the end of the lab".to_string(),
            None => "the menu".to_string(),
        };
        self.ui.pause(&format!(
            "Read the numbers above, then press Enter for {to}"
        ))
    }

    /// The closing screen: each stage as the learner left it, and what to run next,
    /// with the learner's flags.
    fn closing(&self) -> String {
        let flags = &self.options.flags;
        let stages = &self.session.lab.stages;
        let open = stages
            .iter()
            .filter(|stage| !stage.steps.iter().all(|s| self.progress.is_done(&s.id)))
            .count();
        // Said as it is: the end of the guide is not the end of the lab while
        // stages are open.
        let mut text = if open == 0 {
            format!(
                "\n  {} You have been through every stage.\n\n",
                style("✓").green().bold()
            )
        } else {
            format!(
                "\n  {} That was the last step; {open} of {} stages {} still open:\n\n",
                style("·").yellow().bold(),
                stages.len(),
                if open == 1 { "is" } else { "are" }
            )
        };
        for stage in stages {
            let done = stage
                .steps
                .iter()
                .filter(|s| self.progress.is_done(&s.id))
                .count();
            let mark = if done == stage.steps.len() {
                style("✓").green()
            } else {
                style("·").yellow()
            };
            text.push_str(&format!(
                "    {mark} Stage {} · {} ({done} of {} steps done)\n",
                stage.number,
                stage.title,
                stage.steps.len()
            ));
        }
        if let Some(last) = stages.last() {
            if last.steps.iter().all(|s| self.progress.is_done(&s.id)) {
                text.push_str(&format!(
                    "\n  `lab check{flags} --stage {}` confirms the last stage, {}.\n",
                    last.id, last.title
                ));
            } else {
                text.push_str(&format!(
                    "\n  `lab check{flags}` grades what you built; `lab run{flags} --stage {}` \
                     ({}) removes it when you are done.\n",
                    last.id, last.title
                ));
            }
        }
        text
    }

    fn show_stage(&mut self, stage: &Stage) {
        let narrative = render_to(&self.text(&stage.narrative), 2, self.options.width);
        let heading = style(format!("Stage {} · {}", stage.number, stage.title))
            .bold()
            .underlined();
        let goal = wrap_text("", &stage.goal, 2, self.options.width);
        self.ui.say(&format!(
            "\n{heading}\n{}\n{narrative}",
            style(goal).italic()
        ));
    }

    /// The end of a stage: what now exists, when every step is done.
    fn show_summary(&mut self, stage: &Stage) {
        if !stage.steps.iter().all(|s| self.progress.is_done(&s.id)) {
            return;
        }
        let summary = render_to(&self.text(&stage.summary), 4, self.options.width);
        let summary = summary.trim_end();
        self.ui.say(&format!(
            "\n  {} {}\n{summary}",
            style("✓").green().bold(),
            style(format!("Stage {} done: {}", stage.number, stage.title)).bold()
        ));
    }

    /// "Step 5.2 · Test the notification path by hand", for the step at `index`.
    fn step_label(&self, index: usize) -> String {
        let (stage, step) = self.steps[index];
        let position = stage
            .steps
            .iter()
            .position(|s| s.id == step.id)
            .unwrap_or(0)
            + 1;
        format!("Step {}.{position} · {}", stage.number, step.title)
    }

    fn show_step(&mut self, index: usize) {
        let (_, step) = self.steps[index];
        let mark = if self.progress.is_done(&step.id) {
            style(" ✓ done").green().to_string()
        } else {
            String::new()
        };
        let heading = style(self.step_label(index)).bold();
        // In the sandbox there is no console: the CLI is the way.
        let instructions = match (self.session.aws.sandbox(), self.cli_block(step)) {
            (Some(_), Some(cli)) => format!("    With the AWS CLI, in a shell of your own:\n{cli}"),
            _ => render_to(&self.text(&step.instructions), 4, self.options.width),
        };
        let expect = render_to(&self.text(&step.expect), 4, self.options.width);
        self.ui.say(&format!(
            "\n  {heading}{mark}\n\n{instructions}\n  {}\n{expect}",
            style("When it is done:").dim()
        ));
    }

    /// The step's CLI commands as a code block; in the sandbox led by the line that
    /// points a shell at it.
    fn cli_block(&self, step: &Step) -> Option<String> {
        let cli = self.text(step.cli.as_ref()?);
        let cli = match self.session.aws.sandbox() {
            Some(_) => format!(
                "# Once per shell: point the AWS CLI at the sandbox.\neval \"$(lab sandbox env)\"\n{cli}"
            ),
            None => cli,
        };
        let block = render_to(&format!("```\n{cli}\n```"), 0, self.options.width);
        // Taller than a screen, its first commands would scroll away: they are also
        // in a script, to page through or run as a whole.
        let screen = self.options.height.unwrap_or(usize::MAX);
        let script = self
            .store
            .dir()
            .join("commands")
            .join(format!("{}.sh", step.id));
        let written = cli.lines().count() + 8 > screen
            && crate::error::write_file(&script, format!("{cli}\n"), "").is_ok();
        if !written {
            return Some(block);
        }
        let note = format!(
            "These {} lines are also in this script: page through it with `less`, or run it \
             all with `bash`:",
            cli.lines().count()
        );
        Some(format!(
            "{block}{}\n    {}\n",
            crate::markdown::wrap_text("", &note, 4, self.options.width),
            script.display()
        ))
    }

    fn menu(&self, index: usize, hints_shown: usize) -> Vec<Choice> {
        let (_, step) = self.steps[index];
        let done = self.progress.is_done(&step.id);
        let mut choices = Vec::new();
        if done {
            choices.push(Choice::Continue);
        }
        choices.push(Choice::Check);
        if step.action.is_some() {
            choices.push(Choice::DoIt);
        }
        if hints_shown < step.hints.len() {
            choices.push(Choice::Hint);
        }
        if step.cli.is_some() {
            choices.push(if self.session.aws.sandbox().is_some() {
                Choice::Console
            } else {
                Choice::Cli
            });
        }
        if !done {
            choices.push(Choice::Skip);
        }
        if index > 0 {
            choices.push(Choice::Back);
        }
        choices.push(Choice::Quit);
        choices
    }

    /// The interactive guide, from `start`, until the lab is done or the learner quits.
    pub async fn run_interactive(&mut self, start: usize) -> Result<Outcome, Error> {
        let mut index = start;
        let mut shown_stage = None;
        while index < self.steps.len() {
            let (stage, step) = self.steps[index];
            if shown_stage != Some(stage.number) {
                self.show_stage(stage);
                shown_stage = Some(stage.number);
            }
            self.show_step(index);
            self.progress.current = Some(step.id.clone());
            self.save()?;
            let before = index;
            let mut hints_shown = 0;
            loop {
                let choices = self.menu(index, hints_shown);
                let choice = self.ui.choose("What next?", &choices)?;
                match choice {
                    Choice::Check | Choice::DoIt => {
                        if choice == Choice::DoIt
                            && self.do_step(step, true).await? == Attempt::Declined
                        {
                            continue;
                        }
                        match self.check(step, true).await? {
                            Checked::Passed { evidence } => {
                                self.finish_step(step, StepState::Done)?;
                                index += 1;
                                if evidence {
                                    self.hold_evidence(Some(index))?;
                                }
                                break;
                            }
                            // Taller than a screen with the menu under it: held
                            // first, the menu after.
                            Checked::NotYet { evidence: true, .. } => {
                                self.hold_evidence(None)?;
                            }
                            _ => {}
                        }
                    }
                    Choice::Hint => {
                        let hint = self.text(&step.hints[hints_shown]);
                        hints_shown += 1;
                        let label = style(format!("Hint {hints_shown}/{}:", step.hints.len()))
                            .yellow()
                            .bold();
                        self.ui.say(&format!(
                            "\n  {label}\n{}",
                            render_to(&hint, 4, self.options.width)
                        ));
                    }
                    Choice::Cli => {
                        let cli = self.cli_block(step).unwrap_or_default();
                        self.ui.say(&format!("\n{cli}"));
                    }
                    Choice::Console => {
                        let console =
                            render_to(&self.text(&step.instructions), 4, self.options.width);
                        self.ui.say(&format!("\n{console}"));
                    }
                    Choice::Skip => {
                        self.finish_step(step, StepState::Skipped)?;
                        index += 1;
                        break;
                    }
                    Choice::Continue => {
                        self.finish_step(step, StepState::Done)?;
                        index += 1;
                        break;
                    }
                    Choice::Back => {
                        index -= 1;
                        shown_stage = None;
                        break;
                    }
                    Choice::Quit => {
                        let saved = format!(
                            "Progress saved. Run `lab run{}` to continue at \"{}\".",
                            self.options.flags, step.title
                        );
                        self.say_wrapped("", &format!("\n{saved}"), 2);
                        return Ok(Outcome::Success);
                    }
                }
            }
            let left_stage = self
                .steps
                .get(index)
                .is_none_or(|(next, _)| next.number != stage.number);
            if index > before && left_stage {
                self.show_summary(stage);
            }
        }
        self.progress.current = None;
        self.save()?;
        let closing = self.closing();
        self.ui.say(&closing);
        Ok(Outcome::Success)
    }

    /// Does and checks every step from `start` through stage `through`, without
    /// asking. A step that does not pass is reported, and the run goes on, unless the
    /// endpoint stopped answering: then it stops there, since every later step would
    /// only wait for it again.
    pub async fn run_auto(&mut self, start: usize, through: u8) -> Result<Outcome, Error> {
        let mut worst = Outcome::Success;
        let mut shown_stage = None;
        for index in start..self.steps.len() {
            let (stage, step) = self.steps[index];
            if stage.number > through {
                break;
            }
            if shown_stage != Some(stage.number) {
                self.ui.say(&format!(
                    "\n{}",
                    style(format!("Stage {} · {}", stage.number, stage.title)).bold()
                ));
                shown_stage = Some(stage.number);
            }
            self.ui.say(&format!("  ▶ {}", step.title));
            self.progress.current = Some(step.id.clone());
            self.save()?;
            if step.action.is_some() {
                if self.do_step(step, false).await? == Attempt::Unreachable {
                    // Every step after this would only wait for the endpoint again.
                    self.ui.say(&format!(
                        "\n  {} Stopped: the endpoint does not answer. Run the same command again once it does; \
                         it picks up at this step.",
                        style("!").yellow().bold()
                    ));
                    self.save()?;
                    return Ok(Outcome::Incomplete);
                }
            } else {
                self.ui.say("    (only you can do this step; checking it)");
            }
            match self.check(step, true).await? {
                Checked::Passed { .. } => self.finish_step(step, StepState::Done)?,
                Checked::Interrupted => return Ok(Outcome::Failed),
                Checked::NotYet { unreadable, .. } => {
                    worst = worst.max(if unreadable {
                        Outcome::Incomplete
                    } else {
                        Outcome::Failed
                    });
                }
            }
        }
        self.save()?;
        Ok(worst)
    }

    fn finish_step(&mut self, step: &Step, state: StepState) -> Result<(), Error> {
        self.progress.mark(&step.id, state);
        let next = self
            .steps
            .iter()
            .position(|(_, s)| s.id == step.id)
            .and_then(|i| self.steps.get(i + 1));
        self.progress.current = next.map(|(_, s)| s.id.clone());
        self.save()
    }

    /// Does the step's action, saying what changed; an action that failed is shown
    /// with its fix. When the action finds a resource of the lab's name that lab did
    /// not create, the learner is asked whether lab may change it, if `may_ask`.
    async fn do_step(&mut self, step: &Step, may_ask: bool) -> Result<Attempt, Error> {
        let Some(action) = &step.action else {
            self.ui.say(
                "\n  Only you can do this step: follow the instructions above, then check it.",
            );
            return Ok(Attempt::Done);
        };
        if action.spec.deletes && may_ask {
            let identity = &self.session.identity;
            let question = format!(
                "This deletes what the lab built in account {} · {} ({}). Go ahead?",
                identity.account,
                identity.region,
                action.spec.summary.to_lowercase()
            );
            if !self.ui.confirm(&question)? {
                self.ui.say("    Nothing was deleted.");
                return Ok(Attempt::Declined);
            }
        }
        let doing = format!("{} ", style("doing:").cyan());
        self.say_wrapped(&doing, action.spec.summary, 4);
        let done = loop {
            let context = Context {
                adopted: &self.adopted,
                ..self.session.context()
            };
            let error = match perform(action, &context).await {
                Ok(done) => break done,
                Err(error) => error,
            };
            // Something of the lab's name that lab did not create: the learner may
            // let lab use it (never in --auto, where nobody can be asked).
            if let (Error::NotCreatedByLab(found), true) = (&error, may_ask) {
                let mark = format!("{} ", style("!").yellow().bold());
                self.say_wrapped(&mark, &found.to_string(), 4);
                let question = format!(
                    "Is the {} `{}` yours for this lab? Let lab change it as this step needs \
                     (it stays untagged, and `lab cleanup` leaves it)",
                    found.kind, found.name
                );
                if self.ui.confirm(&question)? {
                    self.adopted.push(found.clone());
                    continue;
                }
            }
            {
                let mark = format!("{} ", style("✗").red().bold());
                self.say_wrapped(&mark, &error.to_string(), 4);
                if let Some(help) = error.help() {
                    let lead = format!("{} ", style("fix:").cyan().bold());
                    self.say_wrapped(&lead, help, 4);
                }
                return Ok(if matches!(error, Error::Unreachable { .. }) {
                    Attempt::Unreachable
                } else {
                    Attempt::Failed
                });
            }
        };
        for change in &done.changes {
            self.say_wrapped(&format!("{} ", style("+").green()), change, 4);
        }
        for kept in &done.unchanged {
            self.say_wrapped(&format!("{} ", style("=").dim()), kept, 4);
        }
        if !done.changes.is_empty() {
            self.progress.actions.push(ActionRecord {
                step: step.id.clone(),
                at: now(),
                changes: done.changes,
            });
            self.save()?;
        }
        Ok(Attempt::Done)
    }

    /// Runs the step's checks, waiting on AWS (polling with back-off) when the step
    /// says AWS takes a while and nothing is unreadable; shows the outcome. In the
    /// sandbox nothing is waited for: its clock is moved on (delivering what it
    /// recorded, evaluating the alarms) and the checks judge once.
    async fn check(&mut self, step: &Step, wait: bool) -> Result<Checked, Error> {
        let sandbox = self.session.aws.sandbox();
        if wait && let (Some(wait), Some(sandbox)) = (&step.wait, sandbox) {
            // The sandbox need not be waited for: its clock is moved on by as long
            // as delivery takes, then past the end of the minute (alarms evaluate
            // whole minutes) and one evaluation, and all that happens now.
            let usual = sandbox
                .status()
                .await
                .map(|s| {
                    Duration::from_millis(s.delivery_delay_ms + 60_000 + s.evaluation_interval_ms)
                })
                .unwrap_or(wait.usual);
            let mut interrupt = interrupt()?;
            // Said as it is: nothing is waited for, the clock jumps.
            self.say_wrapped(
                &format!("{} ", style("»").dim()),
                &format!(
                    "the sandbox moves its clock on {} s for {}",
                    usual.as_secs(),
                    wait.for_what
                ),
                4,
            );
            let advanced = tokio::select! {
                advanced = sandbox.advance(usual) => Some(advanced),
                _ = interrupt.recv() => None,
            };
            match advanced {
                None => {
                    self.say_stopped_waiting();
                    return Ok(Checked::Interrupted);
                }
                Some(Err(e)) => self.ui.say(&format!("    {} {e}", style("!").yellow())),
                Some(Ok(_)) => {}
            }
        }
        let mut findings = judge_checks(self.session, &step.checks).await;
        let mut interrupted = false;
        // On AWS, what is not there yet may come: poll. The sandbox has already
        // delivered and evaluated all it will.
        if wait
            && sandbox.is_none()
            && let Some(wait) = &step.wait
            && needs_waiting(&findings)
        {
            let mut interrupt = interrupt()?;
            self.ui.wait_started(&wait.for_what, wait.usual);
            let started = Instant::now();
            let mut pause = self.options.first_poll;
            while needs_waiting(&findings) && started.elapsed() < self.options.wait_timeout {
                let left = self.options.wait_timeout.saturating_sub(started.elapsed());
                tokio::select! {
                    _ = tokio::time::sleep(pause.min(left)) => {}
                    _ = interrupt.recv() => { interrupted = true; break; }
                }
                self.ui.wait_tick(started.elapsed());
                tokio::select! {
                    judged = judge_checks(self.session, &step.checks) => findings = judged,
                    _ = interrupt.recv() => { interrupted = true; break; }
                }
                pause = (pause * 2).min(Duration::from_secs(30));
            }
            self.ui.wait_ended();
            if interrupted {
                self.say_stopped_waiting();
            } else if needs_waiting(&findings) {
                self.ui.say(&format!(
                    "    {} still not there after {} s (it usually takes {} s): check again later, or raise --wait-timeout",
                    style("…").yellow(),
                    started.elapsed().as_secs(),
                    wait.usual.as_secs()
                ));
            }
        }
        self.show_findings(&findings);
        let mut evidence = false;
        // The lessons say which failures the metric's own numbers explain.
        // After some steps the numbers alone, for the learner to read; after a
        // failure they explain, the explanation too.
        if let Some(troubleshoot) = &self.session.lab.troubleshoot {
            let explained = findings.iter().any(|f| {
                f.status == Status::Fail
                    && troubleshoot
                        .when_failing
                        .iter()
                        .any(|check| check.spec().id == f.id)
            });
            if explained || troubleshoot.after_steps.contains(&step.id) {
                evidence = true;
                let explain = explained.then_some(troubleshoot.explain.as_str());
                let numbers =
                    troubleshoot::metric_numbers(self.session, explain, self.options.width).await;
                self.ui.say(numbers.trim_end());
                // Why an email comes or not: the first link that breaks, in
                // `lab check`'s words.
                if let Some(path) = crate::check::judge_path(self.session).await {
                    // The break's own words are above already when its check is
                    // one of this step's: then where it breaks is enough.
                    let shown = path
                        .first_break
                        .as_ref()
                        .is_some_and(|b| findings.iter().any(|f| f.id == b.check));
                    let text = crate::report::why_no_email(&path, self.options.width, !shown);
                    self.ui.say(text.trim_end());
                }
            }
        }
        Ok(if interrupted {
            Checked::Interrupted
        } else if findings.iter().all(|f| f.status == Status::Pass) {
            Checked::Passed { evidence }
        } else {
            Checked::NotYet {
                unreadable: findings.iter().any(|f| f.status == Status::Error),
                evidence,
            }
        })
    }

    /// After Ctrl-C during a wait: what happened, and how to look again.
    fn say_stopped_waiting(&mut self) {
        let mark = format!("{} ", style("…").yellow());
        self.say_wrapped(
            &mark,
            "stopped waiting (Ctrl-C). Nothing was lost: choose \"Check my work\" to look again.",
            4,
        );
    }

    /// Says `text` wrapped to the width, indented by `indent`, after `lead` (a mark,
    /// already styled) with the lines after hanging under it. Leading line breaks
    /// are kept.
    fn say_wrapped(&mut self, lead: &str, text: &str, indent: usize) {
        let breaks = text.len() - text.trim_start_matches('\n').len();
        let body = wrap_text(
            lead,
            text.trim_start_matches('\n'),
            indent,
            self.options.width,
        );
        self.ui.say(&format!(
            "{}{}",
            "\n".repeat(breaks),
            body.trim_end_matches('\n')
        ));
    }

    fn show_findings(&mut self, findings: &[Finding]) {
        let mut text = String::new();
        for f in findings {
            let mark = crate::report::mark(f.status);
            text.push_str(&wrap_text(
                &format!("{mark} "),
                &f.title,
                4,
                self.options.width,
            ));
            text.push_str(&wrap_text("", &f.message, 6, self.options.width));
            if let (Some(fix), true) = (&f.fix, f.status != Status::Pass) {
                let lead = format!("{} ", style("fix:").cyan().bold());
                let fix = crate::lab_commands::with_flags(fix, &self.options.flags);
                text.push_str(&wrap_text(&lead, &fix, 6, self.options.width));
            }
        }
        self.ui.say(text.trim_end());
    }
}

/// Ctrl-C, listened for from now on, so that one pressed while the checks run
/// (between two polls) still ends the wait.
fn interrupt() -> Result<tokio::signal::unix::Signal, Error> {
    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
        .map_err(|e| Error::Other(format!("cannot watch for Ctrl-C: {e}")))
}

/// Worth waiting: something failed, and nothing is unreadable (waiting does not fix
/// a missing permission or an emulator's gap).
fn needs_waiting(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.status != Status::Pass)
        && findings.iter().all(|f| f.status != Status::Error)
}
