//! What the benchmarks share: a moto server of their own on loopback, a
//! configuration pointing at it (static credentials, no retries), a sandbox front
//! before it (in this process, or a whole sandbox in a process of its own), steps
//! done by the lessons' own actions, percentiles, and the process's peak memory.

use std::path::PathBuf;

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use sandbox::moto::{MotoInstall, MotoServer};

/// The benchmarks' moto install (`LAB_MOTO_VENV`, else `.venv-moto`), installed
/// when missing.
pub(crate) fn moto_install() -> MotoInstall {
    let venv = std::env::var_os("LAB_MOTO_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv-moto"));
    MotoInstall::ensure(&venv).expect("moto is installed")
}

/// Starts moto (installing it when missing) and returns it with a configuration for it.
#[allow(dead_code)] // not every benchmark talks to moto directly
pub(crate) fn moto() -> (MotoServer, SdkConfig) {
    let server = moto_install().start().expect("moto starts");
    let config = config(&server.endpoint_url());
    (server, config)
}

/// A configuration for the endpoint at `url`: us-east-1, static credentials that
/// moto takes for its default account, no retries.
pub(crate) fn config(url: &str) -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(url)
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "testing", "testing", None, None, "bench",
        )))
        .retry_config(RetryConfig::disabled())
        .build()
}

/// A sandbox front before `moto` (reached with `config`) that delivers CloudTrail
/// events after `delivery` and evaluates alarms every `evaluation`, and a client
/// factory that goes through it. Keep the folder (the front's mailbox) alive as
/// long as the front.
#[allow(dead_code)] // not every benchmark goes through a front
pub(crate) async fn front(
    moto: &MotoServer,
    config: &SdkConfig,
    delivery: std::time::Duration,
    evaluation: std::time::Duration,
) -> (sandbox::front::Front, lab::aws::Aws, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a folder for the mailbox");
    let settings = sandbox::front::Settings {
        delivery_delay: delivery,
        evaluation_interval: evaluation,
        dir: dir.path().to_path_buf(),
        simulated_clock: None,
    };
    let front = sandbox::front::Front::start(moto.endpoint_url(), 0, settings)
        .await
        .expect("front");
    let aws = lab::aws::Aws::in_sandbox(
        config.to_builder().endpoint_url(front.url()).build(),
        sandbox::control::Control::new(front.url()),
    );
    (front, aws, dir)
}

/// A whole sandbox (moto and its front) in a process of its own, started with
/// `lab sandbox start` in a folder of its own and stopped when dropped: what is
/// measured in the benchmark's own process is then the grader alone.
#[allow(dead_code)] // not every benchmark starts one
pub(crate) struct SandboxProcess {
    dir: tempfile::TempDir,
    /// Where its front listens.
    pub(crate) url: String,
}

#[allow(dead_code)]
impl SandboxProcess {
    /// Starts one, with the benchmarks' moto.
    pub(crate) fn start() -> SandboxProcess {
        let dir = tempfile::tempdir().expect("a folder for the sandbox");
        let python = moto_install().python().to_path_buf();
        let started = std::process::Command::new(env!("CARGO_BIN_EXE_lab"))
            .args(["sandbox", "start"])
            .env("LAB_SANDBOX_DIR", dir.path())
            .env("LAB_MOTO_PYTHON", python)
            .output()
            .expect("lab sandbox start runs");
        assert!(
            started.status.success(),
            "lab sandbox start: {}",
            String::from_utf8_lossy(&started.stderr)
        );
        let info: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dir.path().join("sandbox.json")).expect("sandbox.json"),
        )
        .expect("sandbox.json is JSON");
        let url = info["url"].as_str().expect("its url").to_string();
        SandboxProcess { dir, url }
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = std::process::Command::new(env!("CARGO_BIN_EXE_lab"))
            .args(["sandbox", "stop"])
            .env("LAB_SANDBOX_DIR", self.dir.path())
            .output();
    }
}

/// This process's resident-set high-water mark, in MiB (Linux).
#[allow(dead_code)] // not every benchmark reports memory
pub(crate) fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

/// Does `steps` by the lessons' own actions (what "Do it for me" does) in `session`.
#[allow(dead_code)] // not every benchmark builds the lab
pub(crate) async fn perform_steps<'l>(
    session: &lab::session::Session<'_>,
    steps: impl Iterator<Item = (&'l lab::lesson::Stage, &'l lab::lesson::Step)>,
) {
    for (stage, step) in steps {
        if let Some(action) = &step.action {
            lab::actions::perform(action, &session.context())
                .await
                .unwrap_or_else(|e| panic!("stage {} {}: {e}", stage.number, step.id));
        }
    }
}

/// The `q`-quantile (0.5: the median) of `times` (not empty), which it sorts.
#[allow(dead_code)] // not every benchmark reports percentiles
pub(crate) fn percentile(times: &mut [std::time::Duration], q: f64) -> std::time::Duration {
    times.sort();
    times[((times.len() - 1) as f64 * q).round() as usize]
}
