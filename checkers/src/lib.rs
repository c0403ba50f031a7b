//! Verification code for the lab: what can be checked in an AWS account, and the
//! typed verdicts those checks produce.
//!
//! This crate knows nothing of terminals, lesson prose or the interactive runner.
//! It is split in the same way the checks work:
//!
//! - [`catalogue`]: every check the lab knows, by stable id (defined once, here);
//! - [`params`]: the parameters a check (or a lesson action) accepts, and their validation;
//! - [`finding`]: the typed verdict a check produces (pass / fail / error / skipped).
//!
//! - [`scope`]: which parts of the account a set of checks needs read;
//! - [`snapshot`]: the account as plain data, each read a value or a typed error;
//! - [`judge`]: the checks, pure functions from a snapshot to findings;
//! - [`path`]: the links from a read of the secret to an email, the check that owns
//!   each, and the first that breaks;
//! - [`filter_pattern`], [`trail_events`], [`policy`], [`sns_filter`]: the evaluators
//!   the checks judge by meaning rather than by text (the sandbox shares them; each
//!   is pinned to AWS's documented examples in `tests/conformance_*.rs`);
//! - [`state_change`], [`notification`]: an alarm's state changes and the message it
//!   publishes, as AWS writes them;
//! - [`watch`] and [`corpus`]: what the lab's metric must count, and the generated
//!   CloudTrail records a metric is judged against.

// Its public items are what `lab` and the sandbox build on: each says what it is for.
#![warn(missing_docs)]

pub mod arn;
pub mod catalogue;
pub mod corpus;
pub mod fetch;
pub mod filter_pattern;
pub mod finding;
pub mod history;
pub mod judge;
pub mod notification;
pub mod params;
pub mod path;
pub mod policy;
pub mod read_error;
pub mod region;
pub mod scope;
pub mod snapshot;
pub mod sns_filter;
pub mod state_change;
#[cfg(test)]
pub(crate) mod test_snapshot;
pub mod trail_events;
pub mod watch;

pub use catalogue::{CATALOGUE, Check, CheckSpec};
pub use finding::{Finding, Status};
pub use params::{ParamKind, ParamSpec, ParamValue, Params};
