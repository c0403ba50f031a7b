//! The sandbox's life: where its folder is, whether one runs, starting one in the
//! background (`lab sandbox serve`, with moto as its child), and serving until asked
//! to stop.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{control, front};
use crate::error::Error;
use crate::mailbox::Mailbox;
use crate::moto::MotoInstall;

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

/// Where a running sandbox records where it listens: `sandbox.json` in its folder.
pub fn info_path(dir: &Path) -> PathBuf {
    dir.join("sandbox.json")
}

/// The running sandbox, if there is one that answers.
pub async fn running(dir: &Path) -> Option<Info> {
    let text = std::fs::read_to_string(info_path(dir)).ok()?;
    let info: Info = serde_json::from_str(&text).ok()?;
    control::Control::new(&info.url)
        .status()
        .await
        .ok()
        .map(|_| info)
}

/// The sandbox running in `dir`, started if there is none (see [`start_in`]).
pub async fn ensure_running(
    dir: &Path,
    options: &StartOptions,
    serve: Command,
) -> Result<(Info, Started), Error> {
    if let Some(info) = running(dir).await {
        return Ok((info, Started::AlreadyRunning));
    }
    start_in(dir, options, serve).map(|info| (info, Started::New))
}

/// Whether [`ensure_running`] found a sandbox or started a new one (which has none
/// of an earlier one's resources).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Started {
    /// One was running already.
    AlreadyRunning,
    /// A new, empty one.
    New,
}

/// Starts a sandbox in `dir`, in the background: `serve` is the command that runs
/// [`serve`] (lab's `lab sandbox serve`), given `--dir`, `--python` and the
/// options; it prints `ready URL` when the sandbox answers.
pub fn start_in(dir: &Path, options: &StartOptions, mut serve: Command) -> Result<Info, Error> {
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
                "Installing the moto emulator into {} (once; under a minute)...",
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
    let log = std::fs::File::create(dir.join("sandbox.log")).map_err(|e| folder_error(dir, &e))?;
    let command = &mut serve;
    command
        .arg("--dir")
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
    std::os::unix::process::CommandExt::process_group(command, 0);
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
            Err(Error::usage(
                format!("the sandbox did not start:\n{}", log.trim()),
                format!(
                    "read the lines above (they are also in {}); a port in use needs another \
                     --port, or 0 for any free one",
                    dir.join("sandbox.log").display()
                ),
            ))
        }
    }
}

/// The error for a sandbox folder that cannot be used.
pub fn folder_error(dir: &Path, e: &std::io::Error) -> Error {
    Error::usage(
        format!("cannot use the sandbox folder {}: {e}", dir.display()),
        "set LAB_SANDBOX_DIR to a folder lab may write",
    )
}

/// Runs moto (with `python`) and the front until asked to stop, recording in `dir`
/// where it listens: what `lab sandbox serve` runs, in the background.
pub async fn serve(dir: &Path, python: &Path, options: &StartOptions) -> Result<(), Error> {
    let moto = MotoInstall::with_python(python)
        .start()
        .map_err(|e| Error::Other(format!("cannot start moto: {e}")))?;
    Mailbox::start_afresh(dir).map_err(|e| {
        Error::Other(format!(
            "cannot empty the mailbox in {}: {e}",
            dir.display()
        ))
    })?;
    let settings = front::Settings {
        delivery_delay: options.delivery_delay,
        evaluation_interval: options.evaluation_interval,
        dir: dir.to_path_buf(),
        simulated_clock: None,
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
    Ok(())
}
