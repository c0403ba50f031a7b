//! `lab sandbox`: start, stop, status, env, mail, confirm, and the hidden `serve`
//! that runs one in the background. The sandbox itself is the `sandbox` crate; here
//! is where its folder is, and what a person sees.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sandbox::control::Control;
use sandbox::lifecycle::{folder_error, info_path};
use sandbox::mailbox::{Mail, Mailbox};
use sandbox::{ACCESS_KEY, DEFAULT_REGION, Info, SECRET_KEY, StartOptions, Started, running};

use super::runtime;
use crate::Outcome;
use crate::cli::{SandboxCommand, SandboxEnvArgs, SandboxMailArgs, SandboxStartArgs};
use crate::error::Error;
use crate::progress::Store;

pub(super) fn execute(command: SandboxCommand) -> Result<Outcome, Error> {
    let start = |args: &SandboxStartArgs| StartOptions {
        port: args.port,
        delivery_delay: args.delivery_delay,
        evaluation_interval: args.evaluation_interval,
    };
    match command {
        SandboxCommand::Start(args) => runtime()?.block_on(start_command(&start(&args))),
        SandboxCommand::Stop => runtime()?.block_on(stop_command()),
        SandboxCommand::Status => runtime()?.block_on(status_command()),
        SandboxCommand::Env(args) => runtime()?.block_on(env_command(&args)),
        SandboxCommand::Mail(args) => mail_command(&args),
        SandboxCommand::Confirm => runtime()?.block_on(confirm_command()),
        SandboxCommand::Advance(args) => runtime()?.block_on(advance_command(args.by)),
        SandboxCommand::Serve(args) => {
            runtime()?.block_on(sandbox::serve(&args.dir, &args.python, &start(&args.start)))?;
            Ok(Outcome::Success)
        }
    }
}

/// The sandbox's folder: `$LAB_SANDBOX_DIR`, else `sandbox/` in the folder progress
/// is kept in.
fn dir() -> Result<PathBuf, Error> {
    if let Some(dir) = std::env::var_os("LAB_SANDBOX_DIR") {
        return Ok(PathBuf::from(dir));
    }
    Ok(Store::default_location()?.dir().join("sandbox"))
}

/// The command that serves a sandbox in the background: this program's hidden
/// `lab sandbox serve`.
fn serve_command() -> Result<std::process::Command, Error> {
    let exe = std::env::current_exe().map_err(Error::OwnProgram)?;
    let mut command = std::process::Command::new(exe);
    command.args(["sandbox", "serve"]);
    Ok(command)
}

/// A new sandbox has none of the old one's resources: the progress in its account
/// is forgotten.
fn forget_progress() -> Result<(), Error> {
    Store::default_location()?.forget_account(sandbox::ACCOUNT)?;
    Ok(())
}

/// Starts a new sandbox in `dir`.
fn start(dir: &Path, options: &StartOptions) -> Result<Info, Error> {
    let info = sandbox::start_in(dir, options, serve_command()?)?;
    forget_progress()?;
    Ok(info)
}

/// The running sandbox, started if there is none (`--sandbox`).
pub(super) async fn ensure_running() -> Result<Info, Error> {
    let (info, started) =
        sandbox::ensure_running(&dir()?, &StartOptions::default(), serve_command()?).await?;
    if started == Started::New {
        forget_progress()?;
    }
    Ok(info)
}

/// `lab sandbox start`.
async fn start_command(options: &StartOptions) -> Result<Outcome, Error> {
    let dir = dir()?;
    let (info, already) = match running(&dir).await {
        Some(info) => (info, true),
        None => (start(&dir, options)?, false),
    };
    if already {
        println!("The sandbox is already running at {}.", info.url);
    } else {
        println!("The sandbox is running at {}.", info.url);
    }
    print_env(&info);
    Ok(Outcome::Success)
}

fn print_env(info: &Info) {
    println!(
        "\nUse it with `--sandbox` on lab's commands (lab run --sandbox, lab check --sandbox).\n\
         Point the AWS CLI at it with `eval \"$(lab sandbox env)\"`, which runs:\n\n  {}\n\n\
         Mail SNS sends lands in `lab sandbox mail`.",
        exports(info)
    );
}

/// The shell line that points the AWS CLI (and SDKs) at the sandbox, as the
/// learner.
fn exports(info: &Info) -> String {
    exports_as(info, ACCESS_KEY)
}

/// The same, signing with `access_key`.
fn exports_as(info: &Info, access_key: &str) -> String {
    format!(
        "export AWS_ENDPOINT_URL={} AWS_ACCESS_KEY_ID={access_key} AWS_SECRET_ACCESS_KEY={SECRET_KEY} \
         AWS_REGION={DEFAULT_REGION} AWS_DEFAULT_REGION={DEFAULT_REGION}",
        info.url
    )
}

/// `lab sandbox env [--as IDENTITY [--via SERVICE]]`: the `export` line, for
/// `eval`; exit code 1 when none runs.
async fn env_command(args: &SandboxEnvArgs) -> Result<Outcome, Error> {
    let access_key = match &args.as_identity {
        Some(identity) => sandbox::identities::access_key_via(identity, args.via.as_deref()),
        None => ACCESS_KEY.to_string(),
    };
    match running(&dir()?).await {
        Some(info) => {
            println!("{}", exports_as(&info, &access_key));
            Ok(Outcome::Success)
        }
        None => {
            eprintln!("No sandbox is running. Start one with `lab sandbox start`.");
            Ok(Outcome::Failed)
        }
    }
}

/// `lab sandbox stop`.
async fn stop_command() -> Result<Outcome, Error> {
    let dir = dir()?;
    let Some(info) = running(&dir).await else {
        let stale = std::fs::read_to_string(info_path(&dir))
            .ok()
            .and_then(|t| serde_json::from_str::<Info>(&t).ok());
        let _ = std::fs::remove_file(info_path(&dir));
        match stale {
            // Never signal a process by a recorded id: it may be another's by now.
            Some(info) => println!(
                "The sandbox recorded at {} does not answer. If process {} is still a \
                 `lab sandbox serve`, stop it yourself (kill {}).",
                info.url, info.pid, info.pid
            ),
            None => println!("No sandbox is running."),
        }
        return Ok(Outcome::Success);
    };
    Control::new(&info.url)
        .shutdown()
        .await
        .map_err(sandbox::Error::Other)?;
    for _ in 0..100 {
        if !info_path(&dir).exists() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!(
        "Stopped the sandbox at {}. Its resources are gone; the next one starts empty.",
        info.url
    );
    Ok(Outcome::Success)
}

/// `lab sandbox status`: exit code 0 when one runs, 1 when none does.
async fn status_command() -> Result<Outcome, Error> {
    let dir = dir()?;
    let Some(info) = running(&dir).await else {
        println!("No sandbox is running. Start one with `lab sandbox start`.");
        return Ok(Outcome::Failed);
    };
    let status = Control::new(&info.url)
        .status()
        .await
        .map_err(sandbox::Error::Other)?;
    println!(
        "The sandbox is running at {} (moto at {}).",
        info.url, status.moto
    );
    println!(
        "CloudTrail: {} recorded, {} through delivery, {} (delivery after {:.1} s)",
        count(status.events, "event", "events"),
        status.delivered,
        count(status.log_files as usize, "log file", "log files"),
        status.delivery_delay_ms as f64 / 1000.0
    );
    println!(
        "CloudWatch: {}, {} (evaluation every {:.1} s)",
        count(status.datapoints, "datapoint", "datapoints"),
        count(
            status.history,
            "alarm history entry",
            "alarm history entries"
        ),
        status.evaluation_interval_ms as f64 / 1000.0
    );
    let mail = Mailbox::in_dir(&dir)
        .read()
        .map_err(|e| folder_error(&dir, &e))?;
    println!(
        "SNS: {} waiting for confirmation; {} in the mailbox",
        count(status.pending, "email subscription", "email subscriptions"),
        count(mail.len(), "email", "emails")
    );
    print_env(&info);
    Ok(Outcome::Success)
}

/// `lab sandbox mail`: the mailbox, oldest first; with `follow`, then every new
/// message as it arrives, until interrupted.
fn mail_command(options: &SandboxMailArgs) -> Result<Outcome, Error> {
    let dir = dir()?;
    let mailbox = Mailbox::in_dir(&dir);
    let read = || -> Result<Vec<Mail>, Error> {
        let mut mail = mailbox.read().map_err(|e| folder_error(&dir, &e))?;
        mail.retain(|m| options.to.as_ref().is_none_or(|to| m.to == *to));
        Ok(mail)
    };
    let mut mail = read()?;
    let seen = mail.len();
    if let Some(last) = options.last {
        mail.drain(..mail.len().saturating_sub(last));
    }
    if options.json && !options.follow {
        println!(
            "{}",
            serde_json::to_string_pretty(&mail).expect("mail serializes")
        );
        return Ok(Outcome::Success);
    }
    if mail.is_empty() && !options.follow {
        println!("The mailbox is empty.");
    }
    show(&mail, options.json);
    if options.follow {
        let mut seen = seen;
        loop {
            std::thread::sleep(Duration::from_millis(500));
            let now = read()?;
            show(now.get(seen..).unwrap_or_default(), options.json);
            seen = now.len();
        }
    }
    Ok(Outcome::Success)
}

fn show(mail: &[Mail], json: bool) {
    use std::io::Write;
    for m in mail {
        if json {
            println!("{}", serde_json::to_string(m).expect("mail serializes"));
        } else {
            println!(
                "{}\nDate:    {}\nTo:      {}\nSubject: {}\n\n{}\n",
                console::style("─".repeat(60)).dim(),
                m.time,
                m.to,
                console::style(&m.subject).bold(),
                m.body.trim_end()
            );
        }
    }
    let _ = std::io::stdout().flush();
}

/// The running sandbox, for a command that needs one.
pub(super) async fn running_sandbox() -> Result<sandbox::lifecycle::Info, Error> {
    running(&dir()?).await.ok_or(Error::NoSandbox)
}

async fn advance_command(by: std::time::Duration) -> Result<Outcome, Error> {
    let info = running_sandbox().await?;
    let advanced = Control::new(&info.url)
        .advance(by)
        .await
        .map_err(sandbox::Error::Other)?;
    println!(
        "The sandbox's clock now reads {}; {} alarm state {} on the way.",
        advanced.now,
        advanced.changes,
        if advanced.changes == 1 {
            "change"
        } else {
            "changes"
        }
    );
    Ok(Outcome::Success)
}

/// `lab sandbox confirm`: confirms every email subscription waiting for it, as if
/// each owner had clicked the link in the confirmation message.
async fn confirm_command() -> Result<Outcome, Error> {
    let info = running_sandbox().await?;
    let confirmed = Control::new(&info.url)
        .confirm()
        .await
        .map_err(sandbox::Error::Other)?;
    if confirmed.is_empty() {
        println!("No subscription is waiting for confirmation.");
    }
    for c in &confirmed {
        println!("Confirmed {} on {}", c.endpoint, c.topic_arn);
    }
    Ok(Outcome::Success)
}

/// `n` things, in the singular or the plural: `1 email`, `2 emails`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
