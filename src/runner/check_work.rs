//! *Check my work*: a step's checks, judged, waited on while AWS catches up (the
//! sandbox's clock moved on instead), and shown with the numbers lessons ask for.

use std::time::{Duration, Instant};

use checkers::{Finding, Status};
use console::style;

use super::quiet::Quiet;
use super::{Runner, Ui, troubleshoot};
use crate::error::Error;
use crate::grading::judge_checks;
use crate::lesson::Step;

/// How a step's checks came out after trying.
pub(super) enum Checked {
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

impl<U: Ui + ?Sized> Runner<'_, U> {
    /// Runs the step's checks, waiting on AWS (polling with back-off) when the step
    /// says AWS takes a while and nothing is unreadable; shows the outcome. In the
    /// sandbox nothing is waited for: its clock is moved on (delivering what it
    /// recorded, evaluating the alarms) and the checks judge once.
    pub(super) async fn check(&mut self, step: &Step, wait: bool) -> Result<Checked, Error> {
        let sandbox = self.session.aws.sandbox();
        // An experiment's window holds nothing of the guide's: it stays quiet first.
        if wait
            && step.is_quiet()
            && let Some(wait) = &step.wait
            && self.stay_quiet(wait).await? == Quiet::Interrupted
        {
            self.say_stopped_waiting();
            return Ok(Checked::Interrupted);
        }
        if wait
            && !step.is_quiet()
            && let (Some(wait), Some(sandbox)) = (&step.wait, sandbox)
        {
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
            let mut interrupt = super::interrupt()?;
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
            let mut interrupt = super::interrupt()?;
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
        // failure they explain, or the experiment that answers, the explanation too.
        if let Some(troubleshoot) = &self.session.lab.troubleshoot {
            let explained = findings.iter().any(|f| {
                f.status == Status::Fail
                    && troubleshoot
                        .when_failing
                        .iter()
                        .any(|check| check.spec().id == f.id)
            });
            let explained = explained || troubleshoot.explain_after.contains(&step.id);
            if explained || troubleshoot.after_steps.contains(&step.id) {
                evidence = true;
                let explain = explained.then_some(troubleshoot.explain.as_str());
                let shown =
                    troubleshoot::metric_numbers(self.session, explain, self.options.width).await;
                self.ui.say(shown.numbers.trim_end());
                // What they mean comes after they were read: held apart, since
                // together they are taller than a screen.
                if let Some(explanation) = shown.explanation {
                    self.ui
                        .pause("Read the numbers above, then press Enter for what they mean")?;
                    self.ui.say(explanation.trim_end());
                }
                // Why an email comes or not: the first link that breaks, in
                // `lab check`'s words.
                if let Some(path) = crate::grading::judge_path(self.session).await {
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
        self.called_aws();
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
}

/// Worth waiting: something failed, and nothing is unreadable (waiting does not fix
/// a missing permission or an emulator's gap).
fn needs_waiting(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.status != Status::Pass)
        && findings.iter().all(|f| f.status != Status::Error)
}
