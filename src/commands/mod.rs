//! One module per command. Each turns its clap arguments into the domain's options,
//! once, and calls the domain, which never sees clap (as cargo's
//! `src/bin/cargo/commands/`). [`execute`] picks the module.

mod autograder;
mod book;
mod check;
mod cleanup;
mod labs;
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
use crate::session::Session;
use crate::variables::Assignments;

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
        Command::Labs => labs::execute(),
        Command::Lessons(command) => lessons::execute(command, global),
        Command::Sandbox(command) => sandbox::execute(command),
        Command::Autograder(command) => autograder::execute(command, global),
    }
}

/// The environment variable that chooses a built-in lab when `--lab` does not.
const LAB_VARIABLE: &str = "LAB_ID";

/// Where the lessons come from: `--lessons DIR`, else the built-in lab `--lab ID`
/// (or `LAB_ID`) names, else the default lab.
fn lesson_source(global: &GlobalOptions) -> Result<LessonSource, Error> {
    if let Some(dir) = &global.lessons {
        return Ok(LessonSource::Dir(dir.clone()));
    }
    let named = global.lab.clone().or_else(|| {
        std::env::var(LAB_VARIABLE)
            .ok()
            .filter(|id| !id.trim().is_empty())
    });
    let Some(id) = named else {
        return Ok(LessonSource::default());
    };
    LessonSource::built_in(id.trim()).ok_or_else(|| Error::UnknownLab {
        id,
        from_environment: global.lab.is_none(),
        known: lesson::source::BUILT_IN
            .iter()
            .map(|lab| lab.id.to_string())
            .collect(),
    })
}

/// The lab, loaded and validated.
fn load_lab(global: &GlobalOptions) -> Result<Lab, Error> {
    Ok(lesson::load(&lesson_source(global)?)?)
}

/// What a command that works in an account needs, resolved once from the global
/// options before it starts (as ripgrep's `HiArgs`): the lab, the values given for
/// its variables (checked before anything waits on the network), where to reach
/// AWS, and the runtime its calls run on.
struct InAccount<'l> {
    lab: &'l Lab,
    assignments: Assignments,
    aws: AwsOptions,
    runtime: tokio::runtime::Runtime,
}

impl<'l> InAccount<'l> {
    /// Checks `--set` against `lab`, and finds AWS (with `--sandbox`, the sandbox,
    /// started only if `start` allows).
    fn resolve(
        lab: &'l Lab,
        global: &GlobalOptions,
        start: SandboxStart,
    ) -> Result<InAccount<'l>, Error> {
        let assignments = Assignments::new(lab, &global.set)?;
        let runtime = runtime()?;
        let aws = aws_options(global, start, &runtime)?;
        Ok(InAccount {
            lab,
            assignments,
            aws,
            runtime,
        })
    }

    /// Connects and opens the lab in the account: the session every command in
    /// an account starts from.
    async fn open(&self) -> Result<Session<'l>, Error> {
        let aws = crate::aws::connect(&self.aws).await?;
        Session::open(self.lab, aws, &self.assignments).await
    }
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
fn aws_options(
    global: &GlobalOptions,
    start: SandboxStart,
    runtime: &tokio::runtime::Runtime,
) -> Result<AwsOptions, Error> {
    let timeout = global
        .timeout
        .map(|seconds| Duration::from_secs(seconds.into()));
    let lab = lesson_source(global)?;
    if global.sandbox {
        let info = runtime.block_on(async {
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
            lab,
        });
    }
    Ok(AwsOptions {
        profile: global.profile.clone(),
        region: global.region.clone(),
        endpoint_url: global.endpoint_url.clone(),
        sandbox: None,
        timeout,
        lab,
    })
}

/// The async runtime a command's AWS calls run on.
fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(Error::NoRuntime)
}
