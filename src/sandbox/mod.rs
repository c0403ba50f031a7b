//! `lab sandbox`: the whole lab on one machine, no AWS account needed.
//!
//! The sandbox is the moto emulator behind a front written here (see [`front`]), on
//! a loopback port. The SDK, and the learner's own `aws --endpoint-url ...`, talk to
//! the front; it forwards each call to moto and adds what AWS does and moto does not:
//! CloudTrail events and their delivery ([`cloudtrail`]), metric filters
//! ([`logs`], [`metrics`]), alarm evaluation and history ([`alarms`],
//! [`alarm_history`]), and email subscriptions that wait for confirmation, with a
//! local mailbox ([`sns`], [`mailbox`]). Which calls get what is in [`hooks`]; what
//! the front remembers is in [`world`].
//!
//! `lab sandbox start` runs it in the background (`lab sandbox serve`, a process of
//! its own, with moto as its child: see [`lifecycle`]; the commands are in
//! [`commands`]); `sandbox.json` in the sandbox's folder says where it listens. The folder is `$LAB_SANDBOX_DIR`, else `sandbox/` in the folder
//! progress is kept in. `--sandbox` on other commands starts one when none runs.

pub mod alarm_history;
pub mod alarms;
pub mod backend;
pub mod call;
pub mod cloudtrail;
pub mod commands;
pub mod control;
pub mod front;
pub mod hooks;
pub mod lifecycle;
pub mod logs;
pub mod mailbox;
pub mod metrics;
pub mod sns;
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

pub use commands::{
    MailOptions, confirm_command, env_command, mail_command, start_command, status_command,
    stop_command,
};
pub use lifecycle::{Info, StartOptions, dir, ensure_running, running, serve};
