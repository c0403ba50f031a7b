//! The one place that reaches AWS: it loads the configuration through the standard
//! chain (environment, profiles, SSO, instance roles), checks that a region and
//! credentials are there, and builds every service client from that one config.

use std::time::Duration;

use aws_config::{BehaviorVersion, SdkConfig};
use aws_credential_types::provider::ProvideCredentials;

use crate::error::Error;

/// Where to reach AWS, as given on the command line. Anything left out comes from
/// the standard chain: `AWS_PROFILE`, `AWS_REGION`, `AWS_ENDPOINT_URL` and friends.
#[derive(Debug, Clone, Default)]
pub struct AwsOptions {
    /// A named profile from `~/.aws/config`.
    pub profile: Option<String>,
    /// The region, e.g. `us-east-1`.
    pub region: Option<String>,
    /// Another endpoint for every service, e.g. a local emulator.
    pub endpoint_url: Option<String>,
    /// The sandbox, when working in it: its fixed credentials are used, and the
    /// runner may ask it to settle.
    pub sandbox: Option<sandbox::control::Control>,
    /// The longest one AWS call may take, retries included (`None`: the default,
    /// [`DEFAULT_TIMEOUT`]).
    pub timeout: Option<Duration>,
    /// The lab worked on (`--lab`, `--lessons`): not where AWS is, but carried in
    /// [`AwsOptions::flags`], so that the commands `lab` prints work on it too.
    pub lab: crate::lesson::LessonSource,
}

impl AwsOptions {
    /// The options as the learner gave them on the command line, each with its
    /// leading space (` --sandbox`, ` --profile dev --region eu-west-1`): what the
    /// hints `lab` prints carry, so that a command it suggests acts where this one
    /// did.
    pub fn flags(&self) -> String {
        let mut flags = crate::lab_commands::lab_flag(&self.lab);
        if self.sandbox.is_some() {
            flags.push_str(" --sandbox");
            return flags;
        }
        for (flag, value) in [
            ("--profile", &self.profile),
            ("--region", &self.region),
            ("--endpoint-url", &self.endpoint_url),
        ] {
            if let Some(value) = value {
                flags.push_str(&format!(" {flag} {value}"));
            }
        }
        flags
    }
}

/// How long one AWS call may take, retries included, unless `--timeout` says.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The time limits of every call: connecting within 10 s (or the whole limit, if
/// shorter), each attempt within half the limit, the call with its retries within
/// the limit. An endpoint that accepts a connection and never answers ends the call,
/// not the command.
pub fn timeout_config(limit: Duration) -> aws_config::timeout::TimeoutConfig {
    aws_config::timeout::TimeoutConfig::builder()
        .connect_timeout(limit.min(Duration::from_secs(10)))
        .operation_attempt_timeout(limit / 2)
        .operation_timeout(limit)
        .build()
}

/// Builds every service client from one configuration.
#[derive(Debug, Clone)]
pub struct Aws {
    config: SdkConfig,
    sandbox: Option<sandbox::control::Control>,
    calls: Option<crate::call_log::CallLog>,
}

/// A client of one service, built from `aws`'s configuration with `extra` applied
/// to its builder, writing its calls down when `aws` has a call log.
macro_rules! client {
    ($aws:expr, $sdk:ident) => {
        client!($aws, $sdk, |builder| builder)
    };
    ($aws:expr, $sdk:ident, $extra:expr) => {{
        let mut builder = $sdk::config::Builder::from(&$aws.config);
        if let Some(calls) = &$aws.calls {
            builder = builder.interceptor(calls.clone());
        }
        $sdk::Client::from_conf($extra(builder).build())
    }};
}

/// Who and where `lab` is working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The 12-digit account id.
    pub account: String,
    /// The caller's ARN.
    pub arn: String,
    /// The region every client uses.
    pub region: String,
}

/// Loads the configuration through the standard chain and checks that it names a
/// valid region and yields credentials, so that no command fails later on a vague
/// SDK error.
pub async fn connect(options: &AwsOptions) -> Result<Aws, Error> {
    if let Some(region) = &options.region {
        check_region(region)?;
    }
    if let Some(url) = &options.endpoint_url
        && !(url.starts_with("http://") || url.starts_with("https://"))
    {
        return Err(Error::BadEndpointUrl { url: url.clone() });
    }
    let limit = options.timeout.unwrap_or(DEFAULT_TIMEOUT);
    let endpoint = options
        .endpoint_url
        .clone()
        .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok());
    let local = endpoint.is_some();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(retry_config(local, limit))
        .timeout_config(timeout_config(limit));
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &options.region {
        loader = loader.region(aws_config::Region::new(region.clone()));
    }
    if let Some(url) = &options.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    // Per-service endpoints (AWS_ENDPOINT_URL_S3, ...) may still need TLS.
    let plain_http = endpoint.is_some_and(|url| url.starts_with("http://"))
        && std::env::vars()
            .filter(|(name, _)| name.starts_with("AWS_ENDPOINT_URL_"))
            .all(|(_, url)| url.starts_with("http://"));
    if plain_http {
        loader = loader.http_client(plain_http_client());
    }
    if options.sandbox.is_some() {
        loader = loader.credentials_provider(aws_credential_types::Credentials::new(
            sandbox::ACCESS_KEY,
            sandbox::SECRET_KEY,
            None,
            None,
            "lab-sandbox",
        ));
    }
    let config = loader.load().await;
    let Some(region) = config.region() else {
        return Err(Error::NoRegion);
    };
    check_region(region.as_ref())?;
    let Some(provider) = config.credentials_provider() else {
        return Err(Error::NoCredentials { detail: None });
    };
    if let Err(error) = provider.provide_credentials().await {
        return Err(Error::NoCredentials {
            detail: Some(error.to_string()),
        });
    }
    Ok(Aws {
        config,
        sandbox: options.sandbox.clone(),
        calls: None,
    })
}

/// The HTTP client for an endpoint reached over plain HTTP (the sandbox, an
/// emulator): the SDK's own, without the system's root certificates, whose loading
/// is most of a short command's start-up and which plain HTTP never uses.
fn plain_http_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    use aws_smithy_http_client::tls;
    let no_roots = tls::TlsContext::builder()
        .with_trust_store(tls::TrustStore::empty().with_native_roots(false))
        .build()
        .expect("an empty trust store is a valid TLS context");
    aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::AwsLc,
        ))
        .tls_context(no_roots)
        .build_https()
}

/// Throttling and transient errors are retried with exponential back-off and
/// jitter; five attempts ride out the bursts that a class of students' reads
/// causes. A `local` endpoint (an emulator, the sandbox) does not throttle, but it
/// may answer an operation it lacks with HTTP 500, which the SDK would retry: there,
/// two attempts 50 ms apart, so each such read costs milliseconds rather than
/// seconds. The pauses between attempts stay within an eighth of the call's time
/// `limit` each, so a service that keeps failing is reported with its own error,
/// not as a time-out.
pub fn retry_config(local: bool, limit: Duration) -> aws_config::retry::RetryConfig {
    let standard = aws_config::retry::RetryConfig::standard()
        .with_max_backoff((limit / 8).min(Duration::from_secs(20)));
    if local {
        standard
            .with_max_attempts(2)
            .with_initial_backoff(Duration::from_millis(50))
    } else {
        standard.with_max_attempts(5)
    }
}

fn check_region(region: &str) -> Result<(), Error> {
    if checkers::region::is_region_name(region) {
        Ok(())
    } else {
        Err(Error::BadRegion {
            region: region.into(),
        })
    }
}

impl Aws {
    /// A client factory for a sandbox whose front `control` reaches (`config`
    /// points at it).
    pub fn in_sandbox(config: SdkConfig, control: sandbox::control::Control) -> Self {
        Aws {
            config,
            sandbox: Some(control),
            calls: None,
        }
    }

    /// Clients built from `config`, as it is.
    pub fn new(config: SdkConfig) -> Self {
        Aws {
            config,
            sandbox: None,
            calls: None,
        }
    }

    /// The same clients, writing every call down in `calls`.
    pub fn with_call_log(self, calls: crate::call_log::CallLog) -> Self {
        Aws {
            calls: Some(calls),
            ..self
        }
    }

    /// The sandbox's control endpoints, when these clients talk to the sandbox
    /// (`--sandbox`).
    pub fn sandbox(&self) -> Option<&sandbox::control::Control> {
        self.sandbox.as_ref()
    }

    /// The configuration every client is built from.
    pub fn config(&self) -> &SdkConfig {
        &self.config
    }

    /// Whether the clients talk to a custom endpoint (an emulator, the sandbox)
    /// rather than AWS: `--endpoint-url` or `AWS_ENDPOINT_URL`.
    pub fn has_custom_endpoint(&self) -> bool {
        self.config.endpoint_url().is_some()
    }

    /// The region every client uses.
    pub fn region(&self) -> &str {
        self.config.region().map_or("", |r| r.as_ref())
    }

    /// Secrets Manager.
    pub fn secretsmanager(&self) -> aws_sdk_secretsmanager::Client {
        client!(self, aws_sdk_secretsmanager)
    }

    /// CloudTrail.
    pub fn cloudtrail(&self) -> aws_sdk_cloudtrail::Client {
        client!(self, aws_sdk_cloudtrail)
    }

    /// CloudWatch Logs.
    pub fn logs(&self) -> aws_sdk_cloudwatchlogs::Client {
        client!(self, aws_sdk_cloudwatchlogs)
    }

    /// CloudWatch (metrics and alarms).
    pub fn cloudwatch(&self) -> aws_sdk_cloudwatch::Client {
        client!(self, aws_sdk_cloudwatch)
    }

    /// SNS.
    pub fn sns(&self) -> aws_sdk_sns::Client {
        client!(self, aws_sdk_sns)
    }

    /// S3. Path-style addressing when a custom endpoint is set: emulators serve
    /// buckets under the path, not as subdomains.
    pub fn s3(&self) -> aws_sdk_s3::Client {
        let path_style = self.has_custom_endpoint();
        client!(self, aws_sdk_s3, |builder: aws_sdk_s3::config::Builder| {
            builder.force_path_style(path_style)
        })
    }

    /// IAM.
    pub fn iam(&self) -> aws_sdk_iam::Client {
        client!(self, aws_sdk_iam)
    }

    /// STS.
    pub fn sts(&self) -> aws_sdk_sts::Client {
        client!(self, aws_sdk_sts)
    }

    /// Why GetCallerIdentity failed, with the fix that fits the cause: the endpoint,
    /// a throttle, the service, or (the usual case) the credentials.
    fn identity_failed<E>(
        &self,
        error: &aws_smithy_runtime_api::client::result::SdkError<
            E,
            aws_smithy_runtime_api::client::orchestrator::HttpResponse,
        >,
    ) -> Error
    where
        E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
    {
        let endpoint = self.config.endpoint_url();
        let message = format!(
            "cannot tell who you are (sts:GetCallerIdentity{} failed: {})",
            endpoint.map(|url| format!(" at {url}")).unwrap_or_default(),
            checkers::read_error::one_line(error)
        );
        if checkers::read_error::unreachable(error) {
            return Error::Unreachable {
                message,
                help: match endpoint {
                    Some(url) => format!("is {url} running? Start it, then run the command again"),
                    None => "check the network (and any proxy), then run the command again".into(),
                },
            };
        }
        let kind = checkers::read_error::classify("sts:GetCallerIdentity", error).kind;
        let help = crate::error::passing_fix(
            kind,
            checkers::read_error::status(error),
            "then run the command again",
        )
        .unwrap_or_else(|| {
            "check that your credentials are current (`aws sso login` renews SSO ones) \
             and that the endpoint, if you set one, is running"
                .to_string()
        });
        Error::Aws { message, help }
    }

    /// The account, caller and region in use (STS GetCallerIdentity).
    pub async fn identity(&self) -> Result<Identity, Error> {
        let output = self
            .sts()
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| self.identity_failed(&e))?;
        Ok(Identity {
            account: output.account().unwrap_or_default().to_string(),
            arn: output.arn().unwrap_or_default().to_string(),
            region: self.region().to_string(),
        })
    }
}
