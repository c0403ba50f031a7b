//! The moto emulator for tests: one server per test process, started on first use
//! (installing the pinned moto when missing), and an AWS account of its own for each
//! test, so tests never see each other's resources.
//!
//! The server stops when the test process ends, however it ends: see `sandbox::moto`.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use sandbox::moto::{MotoInstall, MotoServer};

/// The region every test uses.
pub(crate) const REGION: &str = "us-east-1";

/// The account moto uses for plain static credentials.
pub(crate) const DEFAULT_ACCOUNT: &str = "123456789012";

/// The shared server's endpoint URL, starting it on first use.
pub(crate) fn endpoint() -> String {
    static SERVER: OnceLock<MotoServer> = OnceLock::new();
    SERVER
        .get_or_init(|| install().start().unwrap_or_else(|e| panic!("moto: {e}")))
        .endpoint_url()
}

/// The tests' moto install (`LAB_MOTO_VENV`, else `.venv-moto`), installed on first use.
pub(crate) fn install() -> MotoInstall {
    static INSTALL: OnceLock<MotoInstall> = OnceLock::new();
    INSTALL
        .get_or_init(|| {
            let venv = std::env::var_os("LAB_MOTO_VENV")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv-moto"));
            MotoInstall::ensure(&venv).unwrap_or_else(|e| panic!("moto: {e}"))
        })
        .clone()
}

/// The AWS CLI, installed beside moto (`tests/aws-cli-requirements.txt`) on first
/// use: the folder holding `aws`.
pub(crate) fn aws_cli() -> PathBuf {
    static CLI: OnceLock<PathBuf> = OnceLock::new();
    CLI.get_or_init(|| {
        let python = install().python().to_path_buf();
        let bin = python
            .parent()
            .expect("the venv's bin folder")
            .to_path_buf();
        if !bin.join("aws").exists() {
            let requirements =
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/aws-cli-requirements.txt");
            let status = std::process::Command::new(&python)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "-r",
                ])
                .arg(requirements)
                .status()
                .expect("pip runs");
            assert!(
                status.success(),
                "installing the AWS CLI beside moto failed"
            );
        }
        bin
    })
    .clone()
}

/// An AWS account of the test's own on the shared server.
pub(crate) struct TestAccount {
    /// The 12-digit account id.
    pub id: String,
    /// A configuration acting in that account: its credentials, the region, moto's
    /// endpoint, and no retries (moto answers unimplemented calls with HTTP 500, which
    /// would otherwise be retried with back-off).
    pub config: SdkConfig,
    /// The account's credentials, for running the `lab` binary in it.
    pub credentials: Credentials,
}

impl TestAccount {
    /// The `lab` binary, acting in this account on the shared server.
    pub(crate) fn lab(&self, home: &std::path::Path) -> std::process::Command {
        let mut command = super::lab(home);
        command
            .env("AWS_ACCESS_KEY_ID", self.credentials.access_key_id())
            .env(
                "AWS_SECRET_ACCESS_KEY",
                self.credentials.secret_access_key(),
            )
            .env(
                "AWS_SESSION_TOKEN",
                self.credentials.session_token().unwrap_or_default(),
            )
            .env("AWS_REGION", REGION)
            .env("AWS_ENDPOINT_URL", endpoint());
        command
    }
}

/// Static credentials for moto's default account.
pub(crate) fn static_credentials() -> Credentials {
    Credentials::new("testing", "testing", None, None, "lab-tests")
}

fn config(credentials: Credentials) -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(endpoint())
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(credentials),
        )
        .retry_config(RetryConfig::disabled())
        .build()
}

/// A fresh account: AssumeRole into an account id no other test uses. moto acts in
/// the account the STS-issued credentials belong to.
pub(crate) async fn account() -> TestAccount {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let id = format!(
        "{:012}",
        200_000_000_000
            + u64::from(std::process::id()) * 1000
            + NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let sts = aws_sdk_sts::Client::new(&config(static_credentials()));
    let assumed = sts
        .assume_role()
        .role_arn(format!("arn:aws:iam::{id}:role/lab-test"))
        .role_session_name("lab-test")
        .send()
        .await
        .expect("AssumeRole on moto");
    let c = assumed
        .credentials()
        .expect("AssumeRole returns credentials");
    let credentials = Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_string()),
        None,
        "lab-tests-assumed",
    );
    TestAccount {
        id,
        config: config(credentials.clone()),
        credentials,
    }
}
