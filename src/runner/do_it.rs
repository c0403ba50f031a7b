//! *Do it for me*: a step's action, done through the SDK, with the learner's leave
//! for what lab did not create.

use console::style;

use super::quiet::Quiet;
use super::{Runner, Ui};
use crate::actions::{Context, perform};
use crate::error::Error;
use crate::lesson::Step;
use crate::progress::{ActionRecord, now};

/// How doing a step's action went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Attempt {
    /// Done (or nothing to do).
    Done,
    /// It failed, for a reason shown with its fix.
    Failed,
    /// The endpoint did not answer.
    Unreachable,
    /// The learner said no: nothing was done.
    Declined,
}

impl<U: Ui + ?Sized> Runner<'_, U> {
    /// Does the step's action, saying what changed; an action that failed is shown
    /// with its fix. When the action finds a resource of the lab's name that lab did
    /// not create, the learner is asked whether lab may change it, if `may_ask`.
    pub(super) async fn do_step(&mut self, step: &Step, may_ask: bool) -> Result<Attempt, Error> {
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
        // An experiment's action has a minute of its own.
        if step.is_quiet() && self.own_minute(true).await? == Quiet::Interrupted {
            self.ui
                .say("    Stopped waiting (Ctrl-C): nothing was done.");
            return Ok(Attempt::Declined);
        }
        let doing = format!("{} ", style("doing:").cyan());
        self.say_wrapped(&doing, action.spec.summary, 4);
        let done = loop {
            let context = Context {
                adopted: &self.adopted,
                ..self.session.context()
            };
            let performed = perform(action, &context).await;
            self.called_aws();
            let error = match performed {
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
                    self.say_wrapped(&lead, &help, 4);
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
}
