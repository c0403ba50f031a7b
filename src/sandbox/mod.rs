//! `lab sandbox`: the whole lab on one machine, no AWS account needed.
//!
//! The sandbox is the moto emulator behind a front written here (see [`front`]), on
//! a loopback port. The SDK, and the learner's own `aws --endpoint-url ...`, talk to
//! the front; it forwards each call to moto and adds what AWS does and moto does not:
//! CloudTrail events and their delivery ([`cloudtrail`]), metric filters
//! ([`logs`], [`metrics`]), alarm evaluation ([`alarms`]), and email subscriptions
//! that wait for confirmation, with a local mailbox ([`sns`], [`mailbox`]).
//!
//! `lab sandbox start` runs it in the background (`lab sandbox serve`, a process of
//! its own, with moto as its child); `sandbox.json` in the sandbox's folder says
//! where it listens. The folder is `$LAB_SANDBOX_DIR`, else `sandbox/` in the folder
//! progress is kept in. `--sandbox` on other commands starts one when none runs.

pub mod alarms;
pub mod backend;
pub mod call;
pub mod cloudtrail;
pub mod control;
pub mod front;
pub mod hooks;
pub mod logs;
pub mod mailbox;
pub mod metrics;
pub mod sns;
pub mod world;
pub mod xml;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::Outcome;
use crate::error::Error;
use crate::moto::MotoInstall;

/// The access key the sandbox's learner signs with (moto's default account).
pub const ACCESS_KEY: &str = "LABSANDBOXKEY";
/// Its secret key (moto checks no signatures).
pub const SECRET_KEY: &str = "sandbox";
/// The region used when none is given.
pub const DEFAULT_REGION: &str = "us-east-1";
/// The account moto gives callers it does not know.
pub const ACCOUNT: &str = "123456789012";

/// Where a running sandbox is, as `sandbox.json` records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Info {
    /// The serving process.
    pub pid: u32,
    /// The front's URL: the endpoint to give the SDK and the AWS CLI.
    pub url: String,
    /// moto's own URL, behind the front.
    pub moto: String,
}

/// How to start a sandbox.
#[derive(Debug, Clone)]
pub struct StartOptions {
    /// The port of the front (0: any free one).
    pub port: u16,
    /// CloudTrail's delivery delay.
    pub delivery_delay: Duration,
    /// How often alarms are evaluated.
    pub evaluation_interval: Duration,
}

impl Default for StartOptions {
    fn default() -> Self {
        StartOptions {
            port: 0,
            delivery_delay: Duration::from_secs(5),
            evaluation_interval: Duration::from_secs(5),
        }
    }
}

/// The sandbox's folder.
pub fn dir() -> Result<PathBuf, Error> {
    if let Some(dir) = std::env::var_os("LAB_SANDBOX_DIR") {
        return Ok(PathBuf::from(dir));
    }
    Ok(crate::progress::Store::default_location()?
        .dir()
        .join("sandbox"))
}

fn info_path(dir: &Path) -> PathBuf {
    dir.join("sandbox.json")
}

/// The running sandbox, if there is one that answers.
pub async fn running(dir: &Path) -> Option<Info> {
    let text = std::fs::read_to_string(info_path(dir)).ok()?;
    let info: Info = serde_json::from_str(&text).ok()?;
    control::call_json::<control::Status>(&info.url, "GET", "status")
        .await
        .ok()
        .map(|_| info)
}

/// The running sandbox, started if there is none.
pub async fn ensure_running(options: &StartOptions) -> Result<Info, Error> {
    let dir = dir()?;
    if let Some(info) = running(&dir).await {
        return Ok(info);
    }
    start_in(&dir, options)
}

fn start_in(dir: &Path, options: &StartOptions) -> Result<Info, Error> {
    std::fs::create_dir_all(dir).map_err(|e| folder_error(dir, &e))?;
    let venv = dir.join("moto-venv");
    let found = MotoInstall::find(&venv).map_err(|e| {
        Error::usage(
            e,
            "unset LAB_MOTO_PYTHON, or point it at a Python with moto[server]",
        )
    })?;
    let moto = match found {
        Some(moto) => Ok(moto),
        None => {
            eprintln!(
                "Installing the moto emulator into {} (once; a minute or two)...",
                venv.display()
            );
            MotoInstall::ensure(&venv)
        }
    }
    .map_err(|e| {
        Error::usage(
            format!("the sandbox needs the moto emulator: {e}"),
            "install Python 3 with venv and pip (Debian: apt install python3-venv), \
             or point LAB_MOTO_PYTHON at a Python that has moto[server]",
        )
    })?;
    // A new sandbox has none of the old one's resources: forget its progress.
    crate::progress::Store::default_location()?.forget_account(ACCOUNT)?;
    let log = std::fs::File::create(dir.join("sandbox.log")).map_err(|e| folder_error(dir, &e))?;
    let exe = std::env::current_exe()
        .map_err(|e| Error::Other(format!("cannot find lab's own program: {e}")))?;
    let mut command = Command::new(exe);
    command
        .args(["sandbox", "serve", "--dir"])
        .arg(dir)
        .arg("--python")
        .arg(moto.python())
        .args([
            "--port".to_string(),
            options.port.to_string(),
            "--delivery-delay".to_string(),
            format!("{}", options.delivery_delay.as_secs_f64()),
            "--evaluation-interval".to_string(),
            format!("{}", options.evaluation_interval.as_secs_f64()),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log);
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .spawn()
        .map_err(|e| Error::Other(format!("cannot start the sandbox: {e}")))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut line = String::new();
    let _ = BufReader::new(stdout).read_line(&mut line);
    match line.trim().strip_prefix("ready ") {
        Some(_) => {
            let text =
                std::fs::read_to_string(info_path(dir)).map_err(|e| folder_error(dir, &e))?;
            serde_json::from_str(&text)
                .map_err(|e| Error::Other(format!("the sandbox wrote a file lab cannot read: {e}")))
        }
        None => {
            let _ = child.kill();
            let log = std::fs::read_to_string(dir.join("sandbox.log")).unwrap_or_default();
            Err(Error::Other(format!(
                "the sandbox did not start:\n{}",
                log.trim()
            )))
        }
    }
}

fn folder_error(dir: &Path, e: &std::io::Error) -> Error {
    Error::usage(
        format!("cannot use the sandbox folder {}: {e}", dir.display()),
        "set LAB_SANDBOX_DIR to a folder lab may write",
    )
}

/// `lab sandbox serve`: runs moto and the front until asked to stop. The process
/// `lab sandbox start` runs in the background.
pub async fn serve(dir: &Path, python: &Path, options: &StartOptions) -> Result<Outcome, Error> {
    let moto = MotoInstall::with_python(python)
        .start()
        .map_err(|e| Error::Other(format!("cannot start moto: {e}")))?;
    let settings = front::Settings {
        delivery_delay: options.delivery_delay,
        evaluation_interval: options.evaluation_interval,
        dir: dir.to_path_buf(),
    };
    let front = front::Front::start(moto.endpoint_url(), options.port, settings)
        .await
        .map_err(|e| {
            Error::usage(
                format!("cannot listen on 127.0.0.1:{}: {e}", options.port),
                "choose another port with --port, or 0 for any free one",
            )
        })?;
    let info = Info {
        pid: std::process::id(),
        url: front.url(),
        moto: moto.endpoint_url(),
    };
    let text = serde_json::to_string_pretty(&info).expect("info serializes");
    std::fs::write(info_path(dir), text).map_err(|e| folder_error(dir, &e))?;
    println!("ready {}", info.url);
    tracing::info!("sandbox at {} (moto at {})", info.url, info.moto);
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|e| Error::Other(format!("cannot watch for signals: {e}")))?;
    tokio::select! {
        _ = front.stopped() => {}
        _ = terminate.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    if std::fs::read_to_string(info_path(dir))
        .is_ok_and(|t| t == serde_json::to_string_pretty(&info).unwrap_or_default())
    {
        let _ = std::fs::remove_file(info_path(dir));
    }
    drop(front);
    drop(moto);
    Ok(Outcome::Success)
}

/// `lab sandbox start`.
pub async fn start_command(options: &StartOptions) -> Result<Outcome, Error> {
    let dir = dir()?;
    let (info, already) = match running(&dir).await {
        Some(info) => (info, true),
        None => (start_in(&dir, options)?, false),
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

/// The shell line that points the AWS CLI (and SDKs) at the sandbox.
fn exports(info: &Info) -> String {
    format!(
        "export AWS_ENDPOINT_URL={} AWS_ACCESS_KEY_ID={ACCESS_KEY} AWS_SECRET_ACCESS_KEY={SECRET_KEY} \
         AWS_REGION={DEFAULT_REGION} AWS_DEFAULT_REGION={DEFAULT_REGION}",
        info.url
    )
}

/// `lab sandbox env`: the `export` line, for `eval`; exit code 1 when none runs.
pub async fn env_command() -> Result<Outcome, Error> {
    match running(&dir()?).await {
        Some(info) => {
            println!("{}", exports(&info));
            Ok(Outcome::Success)
        }
        None => {
            eprintln!("No sandbox is running. Start one with `lab sandbox start`.");
            Ok(Outcome::Failed)
        }
    }
}

/// `lab sandbox stop`.
pub async fn stop_command() -> Result<Outcome, Error> {
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
    control::call(&info.url, "POST", "shutdown")
        .await
        .map_err(Error::Other)?;
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
pub async fn status_command() -> Result<Outcome, Error> {
    let dir = dir()?;
    let Some(info) = running(&dir).await else {
        println!("No sandbox is running. Start one with `lab sandbox start`.");
        return Ok(Outcome::Failed);
    };
    let status: control::Status = control::call_json(&info.url, "GET", "status")
        .await
        .map_err(Error::Other)?;
    println!(
        "The sandbox is running at {} (moto at {}).",
        info.url, status.moto
    );
    println!(
        "CloudTrail: {} events recorded, {} through delivery, {} log files (delivery after {:.1} s)",
        status.events,
        status.delivered,
        status.log_files,
        status.delivery_delay_ms as f64 / 1000.0
    );
    println!(
        "CloudWatch: {} datapoints, {} alarm history entries (evaluation every {:.1} s)",
        status.datapoints,
        status.history,
        status.evaluation_interval_ms as f64 / 1000.0
    );
    let mail = mailbox::Mailbox::in_dir(&dir)
        .read()
        .map_err(|e| folder_error(&dir, &e))?;
    println!(
        "SNS: {} email subscriptions waiting for confirmation; {} emails in the mailbox",
        status.pending,
        mail.len()
    );
    print_env(&info);
    Ok(Outcome::Success)
}

/// What `lab sandbox mail` shows.
#[derive(Debug, Clone, Default)]
pub struct MailOptions {
    /// Only mail to this address.
    pub to: Option<String>,
    /// Only the last N messages.
    pub last: Option<usize>,
    /// As JSON.
    pub json: bool,
    /// Keep watching, and show new mail as it arrives.
    pub follow: bool,
}

/// `lab sandbox mail`: the mailbox, oldest first; with `follow`, then every new
/// message as it arrives, until interrupted.
pub fn mail_command(options: &MailOptions) -> Result<Outcome, Error> {
    let dir = dir()?;
    let mailbox = mailbox::Mailbox::in_dir(&dir);
    let read = || -> Result<Vec<mailbox::Mail>, Error> {
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

fn show(mail: &[mailbox::Mail], json: bool) {
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

/// `lab sandbox confirm`: confirms every email subscription waiting for it, as if
/// each owner had clicked the link in the confirmation message.
pub async fn confirm_command() -> Result<Outcome, Error> {
    let dir = dir()?;
    let Some(info) = running(&dir).await else {
        return Err(Error::usage(
            "no sandbox is running",
            "start one with `lab sandbox start`",
        ));
    };
    let confirmed: Vec<control::PendingSubscription> =
        control::call_json(&info.url, "POST", "confirm")
            .await
            .map_err(Error::Other)?;
    if confirmed.is_empty() {
        println!("No subscription is waiting for confirmation.");
    }
    for c in &confirmed {
        println!("Confirmed {} on {}", c.endpoint, c.topic_arn);
    }
    Ok(Outcome::Success)
}
