//! Steps whose action must have the account to itself (`wait.quiet`): an experiment
//! on a metric's window, which anything else in the same minutes would spoil, the
//! guide's own calls included. Before the action, a minute of its own; after it, no
//! call of the guide's for as long as the step's wait.
//!
//! CloudWatch keeps a metric filter's data per minute, as standard-resolution data
//! ("Amazon CloudWatch concepts", Resolution,
//! <https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Resolution_definition>),
//! and an alarm's window is whole periods of it, sliding by default ("Alarm
//! evaluation window",
//! <https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation-window.html>):
//! a call in the same minute as the action shares its window whatever its second.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use console::style;

use super::{Runner, Ui};
use crate::error::Error;
use crate::lesson::Wait;

/// How a quiet stretch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Quiet {
    /// The time passed (or the sandbox's clock was moved on).
    Kept,
    /// Ctrl-C: the learner stopped waiting.
    Interrupted,
}

impl<U: Ui + ?Sized> Runner<'_, U> {
    /// A minute of its own for a quiet step's action. In the sandbox the clock moves
    /// on to the start of the next minute. On AWS, when `wait`, the guide waits for
    /// the first minute after its own last call to begin; otherwise it says when
    /// that is, for the learner to act after it.
    pub(super) async fn own_minute(&mut self, wait: bool) -> Result<Quiet, Error> {
        if let Some(sandbox) = self.session.aws.sandbox() {
            if self.minute_kept {
                return Ok(Quiet::Kept);
            }
            let Ok(status) = sandbox.status().await else {
                return Ok(Quiet::Kept);
            };
            let into_minute = status.clock_ms % 60_000;
            let to_next = Duration::from_millis(60_000 - into_minute);
            let mark = format!("{} ", style("»").dim());
            self.say_wrapped(
                &mark,
                &format!(
                    "the sandbox moves its clock on {} s to the start of a new minute: \
                     nothing of lab's shares it with this step",
                    to_next.as_secs().max(1)
                ),
                4,
            );
            match sandbox.advance(to_next).await {
                Ok(_) => self.minute_kept = true,
                Err(e) => self.ui.say(&format!("    {} {e}", style("!").yellow())),
            }
            return Ok(Quiet::Kept);
        }
        let from = next_minute(self.last_call);
        let left = from
            .duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO);
        if left.is_zero() {
            return Ok(Quiet::Kept);
        }
        if !wait {
            let mark = format!("{} ", style("»").dim());
            self.say_wrapped(
                &mark,
                &format!(
                    "lab last called AWS at {} UTC: do this step after {} UTC, and nothing else, \
                     so that it has a minute of its own",
                    clock(self.last_call),
                    clock(from)
                ),
                4,
            );
            return Ok(Quiet::Kept);
        }
        self.keep_quiet("a minute of its own for this step", left)
            .await
    }

    /// After a quiet step's action: no call for `wait.usual`. The sandbox's clock is
    /// moved on by as much, plus its delivery and one evaluation, so that the window
    /// that starts with the action is delivered and evaluated; on AWS the guide
    /// waits without calling.
    pub(super) async fn stay_quiet(&mut self, wait: &Wait) -> Result<Quiet, Error> {
        if let Some(sandbox) = self.session.aws.sandbox() {
            let by = sandbox
                .status()
                .await
                .map(|s| {
                    Duration::from_millis(s.delivery_delay_ms + s.evaluation_interval_ms)
                        + wait.usual
                })
                .unwrap_or(wait.usual);
            let mark = format!("{} ", style("»").dim());
            self.say_wrapped(
                &mark,
                &format!(
                    "the sandbox moves its clock on {} s for {}, with no call of lab's in between",
                    by.as_secs(),
                    wait.for_what
                ),
                4,
            );
            let mut interrupt = super::interrupt()?;
            return Ok(tokio::select! {
                advanced = sandbox.advance(by) => {
                    if let Err(e) = advanced {
                        self.ui.say(&format!("    {} {e}", style("!").yellow()));
                    }
                    Quiet::Kept
                }
                _ = interrupt.recv() => Quiet::Interrupted,
            });
        }
        self.keep_quiet(
            &format!("{}, without calling AWS", wait.for_what),
            wait.usual,
        )
        .await
    }

    /// Waits `how_long` without calling AWS, showing the wait, and no longer than
    /// the learner lets the guide wait on AWS (`--wait-timeout`); Ctrl-C ends it.
    async fn keep_quiet(&mut self, what: &str, how_long: Duration) -> Result<Quiet, Error> {
        let how_long = how_long.min(self.options.wait_timeout);
        let mut interrupt = super::interrupt()?;
        self.ui.wait_started(what, how_long);
        let started = std::time::Instant::now();
        let mut quiet = Quiet::Kept;
        while started.elapsed() < how_long {
            let pause = Duration::from_secs(1).min(how_long - started.elapsed());
            tokio::select! {
                _ = tokio::time::sleep(pause) => self.ui.wait_tick(started.elapsed()),
                _ = interrupt.recv() => { quiet = Quiet::Interrupted; break; }
            }
        }
        self.ui.wait_ended();
        Ok(quiet)
    }
}

/// The start of the first whole minute after `time`.
fn next_minute(time: SystemTime) -> SystemTime {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    UNIX_EPOCH + Duration::from_secs((secs / 60 + 1) * 60)
}

/// `21:05:43`: a time of day in UTC.
fn clock(time: SystemTime) -> String {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
        % 86_400;
    format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_minute_starts_after_the_last_call_even_on_the_minute() {
        let at = |secs: u64| UNIX_EPOCH + Duration::from_secs(secs);
        assert_eq!(next_minute(at(1_795_860_043)), at(1_795_860_060));
        // A call at :00 shares that minute: the next one starts a minute later.
        assert_eq!(next_minute(at(1_795_860_060)), at(1_795_860_120));
        assert_eq!(clock(at(1_795_860_043)), "10:00:43");
    }
}
