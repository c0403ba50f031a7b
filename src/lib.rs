//! `lab` teaches and grades one hands-on AWS security lab: monitoring access to
//! AWS Secrets Manager. The checks themselves live in the `checkers` crate.
//!
//! A map of the crate, from the command line inwards:
//! - [`cli`]: the command line (clap), parsing only; [`commands`]: a module per
//!   command, turning its arguments into the inputs of its operation, once, and
//!   printing what it returns; [`ops`]: an operation per command (`run`, `check`,
//!   `status`, `reset`, `cleanup`, `whoami`);
//! - [`lesson`]: the lab's content, loaded from YAML and validated; [`lint`]:
//!   `lab lessons lint`; [`variables`]: the lab's names and values;
//! - [`aws`]: the one place that reaches AWS; [`call_log`]: the calls its clients
//!   make; [`session`]: the lab opened in an account (identity, progress, values,
//!   resource names);
//! - [`runner`]: the guide's step walker and screens; [`progress`]: the learner's
//!   saved progress; [`markdown`]: lesson text for the terminal; [`lab_commands`]:
//!   `lab`'s commands printed with the learner's flags;
//! - [`actions`]: what `lab` can do for a learner ("do it for me"), listed in
//!   [`action_catalogue`], and `lab cleanup`'s deletions;
//! - [`grading`]: the one way `lab` grades, read once then judged; [`report`]:
//!   `lab check`'s reports, as a table, JSON, JUnit, CTRF or Gradescope,
//!   and a class's gradebook; [`roster`]: the class; [`submission`]: the account a
//!   student names to an autograder; [`autograder`]: `lab autograder`, the
//!   Gradescope and GitHub Classroom autograders that run `lab check`;
//!   [`json_schema`]: the schemas of what `lab` writes;
//! - [`book`]: `lab book`, the handbook; [`permissions`]: the IAM actions lab uses;
//!   [`xml`]: text inside the XML `lab` writes;
//! - the local sandbox (`lab sandbox`, `--sandbox`) is the `sandbox` crate: moto
//!   behind a front that adds what AWS does and moto does not;
//! - [`timing`]: where a command's time goes, for `-v`;
//! - [`error`]: why a command could not do its job, with what to do about it, worded
//!   in one place.

pub mod action_catalogue;
pub mod actions;
pub mod autograder;
pub mod aws;
pub mod book;
pub mod call_log;
pub mod cli;
pub mod commands;
pub mod error;
pub mod grading;
pub mod json_schema;
pub mod lab_commands;
pub mod lesson;
pub mod lint;
pub mod markdown;
pub mod ops;
pub mod permissions;
pub mod progress;
pub mod report;
pub mod roster;
pub mod runner;
pub mod session;
pub mod submission;
pub mod timing;
pub mod variables;
pub mod xml;

pub use error::Error;

/// How a command that ran came out, ordered from best to worst: outcomes combine
/// by taking the worst (`max`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Everything it looked at is fine (exit code 0).
    Success,
    /// It ran and found problems, which it reported (exit code 1).
    Failed,
    /// It ran, but some of what it had to judge could not be judged (exit code 2).
    Incomplete,
}

impl Outcome {
    /// What one finding means for the command: a pass is fine, a fail or a skipped
    /// check is a problem, an error means it could not be judged.
    pub fn of(status: checkers::Status) -> Outcome {
        match status {
            checkers::Status::Pass => Outcome::Success,
            checkers::Status::Fail | checkers::Status::Skipped => Outcome::Failed,
            checkers::Status::Error => Outcome::Incomplete,
        }
    }

    /// The process exit code: 0, 1 or 2.
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::Failed => 1,
            Outcome::Incomplete => 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkers::Status;

    #[test]
    fn outcomes_combine_to_the_worst() {
        let worst = |statuses: &[Status]| {
            statuses
                .iter()
                .map(|s| Outcome::of(*s))
                .max()
                .unwrap_or(Outcome::Success)
        };
        assert_eq!(worst(&[]), Outcome::Success);
        assert_eq!(worst(&[Status::Pass, Status::Skipped]), Outcome::Failed);
        assert_eq!(
            worst(&[Status::Fail, Status::Error, Status::Pass]),
            Outcome::Incomplete
        );
        assert_eq!(Outcome::Incomplete.exit_code(), 2);
    }
}
