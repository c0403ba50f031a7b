//! "Do it for me": the actions a lesson step can perform through the AWS SDK.
//!
//! - [`catalogue`]: every action by stable id, with its parameters (what lessons
//!   name with `do:`);
//! - [`perform`]: runs one, as the lab describes it, faithful mistakes included
//!   (stage 4's alarm uses Average; stage 5 fixes it);
//! - one module per service, and [`policy`] for the IAM documents they write.
//!
//! Every action is idempotent: it reads first and changes only what differs from
//! the wanted state, so running it again, or resuming after a crash, never creates
//! twins and never fails on "already exists". [`Done::changes`] says what it
//! changed; empty means it found everything as wanted. Everything it creates carries
//! the lab's tag. No action prints or keeps a secret's value.

mod alarm;
pub mod cleanup;
mod logs;
pub mod policy;
mod root;
mod secret;
mod sns;
mod trail;

pub use crate::action_catalogue::{ActionSpec, CATALOGUE, Invocation, STATISTICS, find};
use checkers::read_error::code;
use checkers::snapshot::Names;

use crate::aws::Aws;
use crate::error::{Error, NotCreatedByLab};
use crate::lesson::{ActionRef, Tag};
use crate::variables::Values;

/// What an action needs: the clients, the lab's names and values, and where.
pub struct Context<'a> {
    /// The client factory.
    pub aws: &'a Aws,
    /// The names of the lab's resources.
    pub names: &'a Names,
    /// All variable values (the email address, descriptions, the filter pattern...).
    pub values: &'a Values,
    /// The tag put on everything created.
    pub tag: &'a Tag,
    /// What the lessons teach, for fixes that point back to a stage.
    pub teaching: &'a checkers::judge::Teaching,
    /// The account id.
    pub account: &'a str,
    /// The region.
    pub region: &'a str,
    /// The caller's ARN (whose own creations cleanup may take as the lab's).
    pub caller: &'a str,
    /// Resources of the lab's names that lab did not create but the learner said it
    /// may change (it still never tags them).
    pub adopted: &'a [NotCreatedByLab],
}

impl Context<'_> {
    /// A variable's value, or an error saying how to give it.
    pub fn value(&self, name: &str) -> Result<&str, Error> {
        self.values
            .0
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| Error::StepNeedsVariable {
                variable: name.into(),
            })
    }

    /// Whether the learner said lab may change the `kind` named `name`.
    fn adopts(&self, kind: &str, name: &str) -> bool {
        self.adopted
            .iter()
            .any(|a| a.kind == kind && a.name == name)
    }

    fn scope(&self) -> policy::Scope<'_> {
        policy::Scope {
            account: self.account,
            region: self.region,
            trail: &self.names.trail,
        }
    }
}

/// What an action did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Done {
    /// Each change it made, in order, as a sentence; empty when all was as wanted.
    pub changes: Vec<String>,
    /// What it found already as wanted, as sentences.
    pub unchanged: Vec<String>,
}

impl Done {
    fn changed(&mut self, what: impl Into<String>) {
        self.changes.push(what.into());
    }

    fn kept(&mut self, what: impl Into<String>) {
        self.unchanged.push(what.into());
    }
}

/// The text of every module that performs actions, for the tests that hold the
/// action table (its IAM actions, its variables) to what the code calls and reads.
#[cfg(test)]
pub(crate) const SOURCES: [&str; 8] = [
    include_str!("alarm.rs"),
    include_str!("cleanup.rs"),
    include_str!("logs.rs"),
    include_str!("mod.rs"),
    include_str!("root.rs"),
    include_str!("secret.rs"),
    include_str!("sns.rs"),
    include_str!("trail.rs"),
];

/// Performs `action`.
pub async fn perform(action: &ActionRef, ctx: &Context<'_>) -> Result<Done, Error> {
    let mut done = Done::default();
    match &action.invocation {
        Invocation::SecretCreate => secret::create(ctx, &mut done).await?,
        Invocation::SecretRead { console } => secret::read(ctx, *console, &mut done).await?,
        Invocation::TrailCreate { multi_region } => {
            trail::create(ctx, *multi_region, &mut done).await?
        }
        Invocation::TrailEventSelectors(choice) => {
            trail::event_selectors(ctx, choice, &mut done).await?
        }
        Invocation::TrailSnsNotifications { enabled } => {
            trail::sns_notifications(ctx, *enabled, &mut done).await?
        }
        Invocation::LogsDeliverTrail => logs::deliver_trail(ctx, &mut done).await?,
        Invocation::LogsMetricFilter(choice) => logs::metric_filter(ctx, choice, &mut done).await?,
        Invocation::SnsTopic => sns::topic(ctx, &mut done).await?,
        Invocation::SnsConfirm => sns::confirm(ctx, &mut done).await?,
        Invocation::AlarmPut(choice) => alarm::put(ctx, choice, &mut done).await?,
        Invocation::AlarmSetState => alarm::set_state(ctx, &mut done).await?,
        Invocation::RootUse => root::use_once(ctx, &mut done).await?,
        Invocation::TrailLogFileValidation { enabled } => {
            trail::log_file_validation(ctx, *enabled, &mut done).await?
        }
        Invocation::CleanupAll => {
            cleanup::all(ctx, &cleanup::Options::default(), &mut done).await?
        }
    }
    Ok(done)
}

/// Whether lab may change the `kind` named `name`, which exists without the lab's
/// tag; when it may not, the refusal that says so. lab changes only what it
/// created, unless the learner has said it may use this one ([`Context::adopted`]).
fn may_change_untagged(
    ctx: &Context<'_>,
    kind: &'static str,
    name: &str,
    variable: &str,
) -> Result<(), Error> {
    if ctx.adopts(kind, name) {
        return Ok(());
    }
    let (key, value) = (&ctx.tag.key, &ctx.tag.value);
    Err(Error::NotCreatedByLab(NotCreatedByLab {
        kind,
        name: name.to_string(),
        tag: format!("{key}={value}"),
        variable: variable.to_string(),
    }))
}

/// An error from the SDK told in one line, and what caused it.
trait OneLine {
    fn one_line(&self) -> String;
    /// What kind of failure it is, as `lab check` classifies a failed read; `None`
    /// for an error the SDK made before sending anything.
    fn kind(&self) -> Option<checkers::snapshot::ReadErrorKind> {
        None
    }
    /// Whether the endpoint never answered (refused, dropped, timed out).
    fn unreachable(&self) -> bool {
        false
    }
    /// The HTTP status of the answer, if one came.
    fn status(&self) -> Option<u16> {
        None
    }
}

impl<E> OneLine
    for aws_smithy_runtime_api::client::result::SdkError<
        E,
        aws_smithy_runtime_api::client::orchestrator::HttpResponse,
    >
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
{
    fn one_line(&self) -> String {
        checkers::read_error::one_line(self)
    }

    fn kind(&self) -> Option<checkers::snapshot::ReadErrorKind> {
        Some(checkers::read_error::classify("", self).kind)
    }

    fn unreachable(&self) -> bool {
        checkers::read_error::unreachable(self)
    }

    fn status(&self) -> Option<u16> {
        checkers::read_error::status(self)
    }
}

impl OneLine for aws_smithy_types::error::operation::BuildError {
    fn one_line(&self) -> String {
        self.to_string()
    }
}

/// An SDK failure while doing `what`, as an error whose fix fits the cause: one line
/// (the service's code and message); the SDK's full account of it only with `-v`.
fn failed<E>(what: &str, error: E) -> Error
where
    E: OneLine + std::error::Error + 'static,
{
    tracing::debug!(
        "could not {what}: {}",
        aws_smithy_types::error::display::DisplayErrorContext(&error)
    );
    let message = format!("could not {what}: {}", error.one_line());
    let again = "then run the step again: it picks up where it stopped";
    if error.unreachable() {
        return Error::Unreachable {
            message,
            help: format!(
                "is the endpoint up and the network reachable? Wait until it answers, {again}"
            ),
        };
    }
    use checkers::snapshot::ReadErrorKind;
    let help = match error.kind() {
        Some(kind) if let Some(fix) = crate::error::passing_fix(kind, error.status(), again) => fix,
        Some(ReadErrorKind::AccessDenied) => format!(
            "let your identity do this (the lab's do-it-for-me policy is in the handbook), {again}"
        ),
        Some(_) => format!("AWS refused it for the reason it gives: fix that, {again}"),
        None => format!("the request could not be made: {again}"),
    };
    Error::Aws { message, help }
}

/// Whether two JSON documents say the same (policies come back reformatted, and
/// URL-encoded from IAM).
fn same_json(actual: &str, wanted: &serde_json::Value) -> bool {
    let decoded = checkers::policy::url_decode(actual);
    serde_json::from_str::<serde_json::Value>(&decoded).is_ok_and(|v| v == *wanted)
}

#[cfg(test)]
mod tests {
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use aws_smithy_runtime_api::client::result::{ConnectorError, SdkError};
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::error::ErrorMetadata;

    use super::*;

    type Sdk = SdkError<ErrorMetadata, HttpResponse>;

    fn service(code: &str) -> Sdk {
        service_with(code, 400)
    }

    fn service_with(code: &str, status: u16) -> Sdk {
        let raw = HttpResponse::new(StatusCode::try_from(status).unwrap(), SdkBody::empty());
        SdkError::service_error(
            ErrorMetadata::builder()
                .code(code)
                .message("it says why")
                .build(),
            raw,
        )
    }

    #[test]
    fn each_cause_gets_its_own_message_and_fix() {
        let refused: Sdk = SdkError::dispatch_failure(ConnectorError::io(
            std::io::Error::from(std::io::ErrorKind::ConnectionRefused).into(),
        ));
        let error = failed("create the bucket", refused);
        assert!(matches!(error, Error::Unreachable { .. }), "{error:?}");
        assert!(
            error.to_string().contains("cannot connect to the endpoint"),
            "{error}"
        );
        assert!(error.help().unwrap().contains("is the endpoint up"));

        let timed_out: Sdk = SdkError::timeout_error("slow".to_string());
        assert!(matches!(
            failed("create the bucket", timed_out),
            Error::Unreachable { .. }
        ));

        let cases = [
            ("ThrottlingException", "wait a minute"),
            ("AccessDenied", "let your identity do this"),
            ("InvalidParameterValue", "for the reason it gives"),
        ];
        for (code, fix) in cases {
            let error = failed("create the bucket", service(code));
            assert!(matches!(error, Error::Aws { .. }), "{code}");
            assert!(
                error.to_string().contains(&format!("{code}: it says why")),
                "{error}"
            );
            assert!(
                error.help().unwrap().contains(fix),
                "{code}: {:?}",
                error.help()
            );
        }
        let unavailable = failed("create the bucket", service_with("ServiceUnavailable", 503));
        assert!(
            unavailable.help().unwrap().contains("having trouble"),
            "{:?}",
            unavailable.help()
        );
    }

    /// The variables each action lists are the ones the actions' code reads (by
    /// `ctx.value` with a literal name), both ways, so lint's check of a lab's variables holds.
    #[test]
    fn the_variables_actions_list_are_those_their_code_reads() {
        let code = super::SOURCES.concat();
        let mut read: Vec<&str> = code
            .split("ctx.value(\"")
            .skip(1)
            .filter_map(|rest| rest.split_once('"').map(|(name, _)| name))
            .collect();
        read.sort_unstable();
        read.dedup();
        let mut listed: Vec<&str> = crate::action_catalogue::CATALOGUE
            .iter()
            .flat_map(|a| a.variables)
            .copied()
            .collect();
        listed.sort_unstable();
        listed.dedup();
        assert!(read.len() >= 4, "found only {read:?}");
        assert_eq!(listed, read);
    }
}
