//! The integration tests: one crate, a module per feature (as in mdBook).
//! `support` holds the shared harness: the `lab` command builder, lesson-set
//! fixtures, and the moto emulator.

mod actions;
mod autograder;
mod aws_clients;
mod book;
mod check;
mod cleanup;
mod cli;
mod faults;
mod fidelity;
mod finished;
mod inbox;
mod labs;
mod layout;
mod lint;
mod roster;
mod run;
mod sandbox;
mod screens;
mod support;
mod walk;
mod whoami;
