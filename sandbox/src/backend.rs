//! The sandbox's own calls to moto: SDK clients that act as a given caller (moto
//! picks the account from the access key) and never pass through the front, so
//! what the sandbox does on AWS's behalf (delivering logs, evaluating alarms) is not
//! recorded as if the learner had done it.

use std::collections::HashMap;
use std::sync::Mutex;

use aws_config::BehaviorVersion;
use aws_credential_types::Credentials;

use super::world::Principal;
use checkers::fetch::Clients;

/// One caller's configuration, and the clients built from it.
#[derive(Debug, Clone)]
struct Caller {
    config: aws_config::SdkConfig,
    clients: Clients,
}

/// SDK clients pointed at moto, one configuration per access key and region.
#[derive(Debug)]
pub struct Backend {
    moto: String,
    callers: Mutex<HashMap<(String, String), Caller>>,
}

impl Backend {
    /// Clients for the moto at `moto` (an `http://127.0.0.1:PORT` URL).
    pub fn new(moto: String) -> Backend {
        Backend {
            moto,
            callers: Mutex::new(HashMap::new()),
        }
    }

    /// moto's URL.
    pub fn url(&self) -> &str {
        &self.moto
    }

    /// Clients that act as the holder of `access_key`, in `region` (built once per
    /// caller, then shared: every hook and delivery uses them).
    pub fn as_caller(&self, access_key: &str, region: &str) -> Clients {
        self.caller(access_key, region).clients
    }

    /// The configuration and clients of a caller holding `access_key`, in `region`.
    fn caller(&self, access_key: &str, region: &str) -> Caller {
        let key = (access_key.to_string(), region.to_string());
        let mut callers = self.callers.lock().unwrap_or_else(|e| e.into_inner());
        callers
            .entry(key)
            .or_insert_with(|| {
                let config = aws_config::SdkConfig::builder()
                    .behavior_version(BehaviorVersion::latest())
                    .region(aws_config::Region::new(region.to_string()))
                    .endpoint_url(&self.moto)
                    .credentials_provider(
                        aws_credential_types::provider::SharedCredentialsProvider::new(
                            Credentials::new(access_key, "sandbox", None, None, "lab-sandbox"),
                        ),
                    )
                    .retry_config(aws_config::retry::RetryConfig::disabled())
                    // moto is local: an answer takes milliseconds, never half a minute.
                    .timeout_config(
                        aws_config::timeout::TimeoutConfig::builder()
                            .connect_timeout(std::time::Duration::from_secs(5))
                            .operation_timeout(std::time::Duration::from_secs(30))
                            .build(),
                    )
                    .build();
                Caller {
                    clients: Clients::new(&config, true),
                    config,
                }
            })
            .clone()
    }

    /// Who holds `access_key`, as moto's STS says.
    pub async fn principal(&self, access_key: &str, region: &str) -> Result<Principal, String> {
        let out = aws_sdk_sts::Client::new(&self.caller(access_key, region).config)
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| format!("sts:GetCallerIdentity: {}", explain(&e)))?;
        Ok(Principal {
            access_key: access_key.to_string(),
            account: out.account().unwrap_or("123456789012").to_string(),
            arn: out.arn().unwrap_or_default().to_string(),
            invoked_by: None,
        })
    }
}

/// An SDK error from moto, in a sentence with its causes.
pub fn explain(error: &(dyn std::error::Error + 'static)) -> String {
    aws_smithy_types::error::display::DisplayErrorContext(error).to_string()
}
