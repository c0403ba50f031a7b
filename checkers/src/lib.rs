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
//! Reading an account into plain data and judging it with pure functions comes with
//! the `lab check` work; the types here are what both sides agree on.

pub mod catalogue;
pub mod finding;
pub mod params;

pub use catalogue::{CATALOGUE, CheckSpec};
pub use finding::{Finding, Status};
pub use params::{ParamKind, ParamSpec, ParamValue, Params};
