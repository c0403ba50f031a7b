//! What the benchmarks share: a moto server of their own on loopback, a
//! configuration pointing at it (static credentials, no retries), and a sandbox
//! front before it.

use std::path::PathBuf;

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use sandbox::moto::{MotoInstall, MotoServer};

/// Starts moto (installing it when missing) and returns it with a configuration for it.
pub(crate) fn moto() -> (MotoServer, SdkConfig) {
    let venv = std::env::var_os("LAB_MOTO_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv-moto"));
    let server = MotoInstall::ensure(&venv)
        .and_then(|m| m.start())
        .expect("moto starts");
    let config = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(server.endpoint_url())
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "testing", "testing", None, None, "bench",
        )))
        .retry_config(RetryConfig::disabled())
        .build();
    (server, config)
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
