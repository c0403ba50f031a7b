//! One module per command. Each turns its clap arguments into the domain's options,
//! once, and calls the domain, which never sees clap (as cargo's
//! `src/bin/cargo/commands/`). [`execute`] picks the module.

mod autograder;
mod book;
mod check;
mod cleanup;
mod lessons;
mod reset;
mod run;
mod sandbox;
mod status;
mod whoami;

use std::time::Duration;

use crate::Outcome;
use crate::aws::AwsOptions;
use crate::cli::{Cli, Command, GlobalOptions};
use crate::error::Error;
use crate::lesson::{self, Lab, LessonSource};

/// Runs one command line. An error means the command could not do its job.
pub fn execute(cli: Cli) -> Result<Outcome, Error> {
    let global = &cli.global;
    match cli.command {
        Command::Run(args) => run::execute(&args, global),
        Command::Check(args) => check::execute(&args, global),
        Command::Status => status::execute(global),
        Command::Reset => reset::execute(global),
        Command::Cleanup(args) => cleanup::execute(&args, global),
        Command::Book(args) => book::execute(&args, global),
        Command::Whoami => whoami::execute(global),
        Command::Lessons(command) => lessons::execute(command, global),
        Command::Sandbox(command) => sandbox::execute(command),
        Command::Autograder(command) => autograder::execute(command, global),
    }
}

/// Where the lessons come from: `--lessons DIR`, or the ones built in.
fn lesson_source(global: &GlobalOptions) -> LessonSource {
    match &global.lessons {
        Some(dir) => LessonSource::Dir(dir.clone()),
        None => LessonSource::Embedded,
    }
}

/// The lab, loaded and validated.
fn load_lab(global: &GlobalOptions) -> Result<Lab, Error> {
    Ok(lesson::load(&lesson_source(global))?)
}

/// Whether `--sandbox` may start a sandbox when none is running.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SandboxStart {
    /// `lab run`: the learner's way in starts one.
    IfNone,
    /// Every other command: a new, empty sandbox would answer for an account the
    /// learner never used (and move their shell's endpoint), so it says none runs.
    Never,
}

/// Where to reach AWS: as the options say, or the sandbox with `--sandbox`.
fn aws_options(global: &GlobalOptions, start: SandboxStart) -> Result<AwsOptions, Error> {
    let timeout = global
        .timeout
        .map(|seconds| Duration::from_secs(seconds.into()));
    if global.sandbox {
        let info = runtime()?.block_on(async {
            match start {
                SandboxStart::IfNone => sandbox::ensure_running().await,
                SandboxStart::Never => sandbox::running_sandbox().await,
            }
        })?;
        return Ok(AwsOptions {
            profile: None,
            region: Some(
                global
                    .region
                    .clone()
                    .unwrap_or_else(|| ::sandbox::DEFAULT_REGION.into()),
            ),
            endpoint_url: Some(info.url.clone()),
            sandbox: Some(::sandbox::control::Control::new(info.url)),
            timeout,
            lessons: global.lessons.clone(),
        });
    }
    Ok(AwsOptions {
        profile: global.profile.clone(),
        region: global.region.clone(),
        endpoint_url: global.endpoint_url.clone(),
        sandbox: None,
        timeout,
        lessons: global.lessons.clone(),
    })
}

/// The async runtime a command's AWS calls run on.
fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("cannot start the async runtime: {e}")))
}
