//! What both benchmarks share: a moto server of their own on loopback, and a
//! configuration pointing at it (static credentials, no retries).

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
