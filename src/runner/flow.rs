//! The walk through the steps: the interactive menu loop, and `--auto`, which does
//! and checks each step without asking.

use console::style;

use super::check_work::Checked;
use super::do_it::Attempt;
use super::{Choice, Runner, Ui};
use crate::Outcome;
use crate::error::Error;
use crate::lesson::Step;
use crate::markdown::render_to;
use crate::progress::StepState;

impl<U: Ui + ?Sized> Runner<'_, U> {
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
            // An experiment's action needs a minute of its own: the learner is told
            // when it begins (the sandbox's clock moves to it).
            if step.is_quiet() && !self.progress.is_done(&step.id) {
                self.own_minute(false).await?;
            }
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
                        // Tried again, an experiment needs a minute without the
                        // calls the check just made.
                        if step.is_quiet() {
                            self.own_minute(false).await?;
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
}
