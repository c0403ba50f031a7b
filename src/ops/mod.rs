//! One operation per command (as cargo's `src/cargo/ops/`): each does the command's
//! work (most in a [`crate::session::Session`]) and returns what happened; `commands/`
//! turns arguments into its inputs and prints. `run` and `cleanup` talk with the
//! learner as they go, through the guide's [`crate::runner::Ui`] and a typed
//! confirmation.

pub mod check;
pub mod cleanup;
pub mod labs;
pub mod reset;
pub mod run;
pub mod status;
pub mod whoami;
