//! `lab sandbox`: the whole lab on one machine, no AWS account needed.
//!
//! The sandbox is the moto emulator behind a front written here (see [`front`]), on
//! a loopback port. The SDK, and the learner's own `aws --endpoint-url ...`, talk to
//! the front; it forwards each call to moto and adds what AWS does and moto does not:
//! CloudTrail events and their delivery ([`cloudtrail`]), metric filters
//! ([`logs`], [`metrics`]), alarm evaluation and history ([`alarms`],
//! [`alarm_history`]), and email subscriptions that wait for confirmation, with a
//! local mailbox ([`sns`], [`mailbox`]) whose links work ([`email_links`]). Which
//! calls get what is in [`hooks`], one table; what the front remembers is in
//! [`world`].
//!
//! `lab sandbox start` runs it in the background (`lab sandbox serve`, a process of
//! its own, with moto as its child: see [`lifecycle`]); `sandbox.json` in the
//! sandbox's folder says where it listens, and [`control`] talks to it. [`moto`]
//! finds, installs and runs the emulator (the tests use it too).
//!
//! A crate of its own: it depends on `checkers` for the filter-pattern evaluator and
//! the trail's event selection, and knows nothing of `lab`, whose commands start,
//! stop and query it.

// Its public items are what `lab` builds on: each says what it is for.
#![warn(missing_docs)]

pub mod alarm_history;
pub mod alarms;
pub mod answer;
pub mod backend;
pub mod call;
pub mod cbor;
pub mod clock;
pub mod cloudtrail;
pub mod control;
pub mod delivery_role;
pub mod email_links;
pub mod error;
pub mod front;
pub mod hooks;
pub mod identities;
pub mod lifecycle;
pub mod logs;
pub mod mailbox;
pub mod metrics;
pub mod moto;
pub mod refusals;
pub mod sns;
pub mod state;
pub mod statistics;
pub mod world;
pub mod xml;

/// The access key the sandbox's learner signs with (moto's default account).
pub const ACCESS_KEY: &str = "LABSANDBOXKEY";
/// Its secret key (moto checks no signatures).
pub const SECRET_KEY: &str = "sandbox";
/// The region used when none is given.
pub const DEFAULT_REGION: &str = "us-east-1";
/// The account moto gives callers it does not know.
pub const ACCOUNT: &str = "123456789012";

pub use error::Error;
pub use lifecycle::{Info, StartOptions, Started, ensure_running, running, serve, start_in};
