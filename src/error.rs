//! What can stop a command, each with what to do about it, worded here: a variant
//! per error carries the values, its `#[error]` says what went wrong and
//! [`Error::help`] what to do, so that changing what a user reads means changing
//! this module (a group of errors that belong together, such as a roster's, is a
//! nested enum in a file of its own). Only what is composed elsewhere is not: an
//! AWS failure, told by the helper that classifies the SDK's error ([`Error::Aws`],
//! [`Error::Unreachable`]), the sandbox's own errors ([`Error::Sandbox`]), and the
//! option a command names for writing a file elsewhere ([`Error::Write`]).
//!
//! Every variant maps to exit code 2 ("could not run") but [`Error::Submission`], a
//! student's own mistake, which fails like a failing check (exit code 1), and
//! [`Error::Stopped`], the learner's Ctrl-C (130); a command that ran and found
//! problems returns [`crate::Outcome::Failed`] instead.

use std::path::PathBuf;

use crate::lesson::Diagnostics;

mod account;
mod autograder;
mod progress;
mod roster;
mod submission;

pub use account::{NotCreatedByLab, Undeleted};
pub use autograder::AutograderError;
pub use progress::ProgressError;
pub use roster::RosterError;
pub use submission::SubmissionError;

/// Why a command could not do its job.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The lesson set does not load.
    #[error("{0}")]
    Lessons(#[from] Diagnostics),

    // The lab's variables, stages, steps and checks, as named on the command line.
    /// `--set` names a variable the lab does not have.
    #[error("`--set {name}=...`: the lab has no variable `{name}`")]
    UnknownVariable {
        /// The name given.
        name: String,
        /// The lab's variables.
        known: Vec<String>,
    },

    /// A variable's value does not fit its kind.
    #[error("{variable} `{value}` {why}")]
    UnfitValue {
        /// The variable.
        variable: String,
        /// The value given or rendered.
        value: String,
        /// What is wrong with it, as the kind says it.
        why: String,
    },

    /// A variable a command needs has no value, and none can be asked for.
    #[error("{}", match context { Some(context) => format!("{context} needs {what}"), None => format!("the lab variable `{variable}` has no value") })]
    NoValue {
        /// The variable.
        variable: String,
        /// What it is, as the lesson describes it.
        what: String,
        /// The command that needs it (`lab run --auto`), if one asks.
        context: Option<&'static str>,
    },

    /// `--lab` (or `LAB_ID`) names no built-in lab.
    #[error("there is no built-in lab `{id}`{}", if *from_environment { " (from LAB_ID)" } else { "" })]
    UnknownLab {
        /// The id given.
        id: String,
        /// Whether it came from the environment rather than `--lab`.
        from_environment: bool,
        /// The built-in labs.
        known: Vec<String>,
    },

    /// A step's action needs a variable that has no value.
    #[error("this step needs the lab variable `{variable}`")]
    StepNeedsVariable {
        /// The variable.
        variable: String,
    },

    /// No stage has this number or id.
    #[error("there is no stage `{key}`")]
    UnknownStage {
        /// The number or id given.
        key: String,
        /// The stages, as `number (id)`.
        known: Vec<String>,
    },

    /// No step has this number (`2.1`) or id.
    #[error("there is no step `{key}`")]
    UnknownStep {
        /// The number or id given.
        key: String,
        /// The steps, as `number (id)`.
        known: Vec<String>,
    },

    /// The lab uses no check with this id.
    #[error("this lab has no check `{id}`")]
    UnknownCheck {
        /// The id given.
        id: String,
        /// The checks the lab uses.
        known: Vec<String>,
    },

    /// A check named with `--check` that no step of the stages checked uses.
    #[error("no step of the stages checked uses the check `{id}`")]
    CheckOutsideStages {
        /// The check.
        id: String,
        /// The stage that first uses it.
        stage: String,
    },

    // The guide.
    /// `lab run` without `--auto` where there is no terminal to ask on.
    #[error("`lab run` is interactive and needs a terminal")]
    NeedsTerminal,

    /// `lab run --auto` came to a question it has no answer for.
    #[error("--auto cannot ask: {question}")]
    AutoCannotAsk {
        /// The question.
        question: String,
    },

    /// `lab run --auto` came to a menu: a bug, since the guide offers none then.
    #[error("--auto cannot offer a menu")]
    AutoCannotChoose,

    /// A prompt could not be answered (the terminal went away); the progress is
    /// already saved.
    #[error(
        "the prompt was interrupted ({source}); your progress is saved: run `{rerun}` to continue"
    )]
    PromptInterrupted {
        /// Why.
        source: dialoguer::Error,
        /// The command that goes on from here.
        rerun: String,
    },

    /// The learner stopped the command (Ctrl-C at a prompt): not a failure, said
    /// with how to go on.
    #[error("stopped at Ctrl-C; your progress is saved: run `{rerun}` to continue")]
    Stopped {
        /// The command that goes on from here.
        rerun: String,
    },

    /// Ctrl-C cannot be listened for while the guide waits for the checks.
    #[error("cannot watch for Ctrl-C: {0}")]
    SignalUnwatched(#[source] std::io::Error),

    /// The progress file cannot be found, read or saved.
    #[error("{0}")]
    Progress(#[from] ProgressError),

    // Acting in the account (`lab run`, `lab cleanup`).
    /// A step acts on a resource that an earlier step creates, and it is not there.
    #[error("there is no {kind} `{name}`")]
    NoResource {
        /// What it is: `trail`, `topic`, `alarm`.
        kind: &'static str,
        /// Its name.
        name: String,
        /// The stage that creates it, as ` (stage N)`, or empty.
        stage: String,
    },

    /// The alarm's step comes before there is a topic for it to notify.
    #[error("there is no topic `{topic}` for the alarm to notify")]
    NoTopicToNotify {
        /// The topic's name.
        topic: String,
        /// The stage that creates it, as ` (stage N)`, or empty.
        stage: String,
    },

    /// Confirming the subscription before the topic is created.
    #[error("there is no topic `{topic}` yet")]
    NoTopicYet {
        /// The topic's name.
        topic: String,
    },

    /// Confirming the subscription before the email is subscribed.
    #[error("the topic `{topic}` has no email subscription to confirm")]
    NoEmailSubscription {
        /// The topic's name.
        topic: String,
    },

    /// On AWS only the inbox's owner can confirm an email subscription: lab reads
    /// the confirmation only in the sandbox.
    #[error("only the owner of {} can confirm the subscription", emails.join(", "))]
    OnlyOwnerConfirms {
        /// The addresses waiting for confirmation.
        emails: Vec<String>,
    },

    /// lab never signs in as an account's root user: it acts as root only in the
    /// sandbox, whose root needs no password.
    #[error("lab cannot use the root user of an AWS account for you")]
    OnlyYouUseRoot,

    /// The bucket's name is taken in another account (AWS answers 403).
    #[error("the bucket `{bucket}` belongs to someone else (bucket names are global)")]
    BucketTaken {
        /// The name.
        bucket: String,
    },

    /// Cleanup could not delete some resources; it deleted the rest.
    #[error("could not delete {}", failures.iter().map(Undeleted::to_string).collect::<Vec<_>>().join("; "))]
    NotDeleted {
        /// Each resource left, with why.
        failures: Vec<Undeleted>,
    },

    /// A resource of the lab's name exists that lab did not create: lab will not
    /// change or tag it unless the learner says it may (see [`NotCreatedByLab`]).
    #[error("{0}")]
    NotCreatedByLab(NotCreatedByLab),

    // Reaching AWS.
    /// `--endpoint-url` is not an HTTP URL.
    #[error("--endpoint-url `{url}` is not an http:// or https:// URL")]
    BadEndpointUrl {
        /// The value given.
        url: String,
    },

    /// A region given (`--region`, the profile) is not a region's name.
    #[error("`{region}` is not an AWS region name")]
    BadRegion {
        /// The value given.
        region: String,
    },

    /// Nothing in the options, the environment or the profile names a region.
    #[error("no AWS region is set")]
    NoRegion,

    /// The SDK finds no credentials.
    #[error("no AWS credentials found ({})", detail.as_deref().unwrap_or("no credentials provider is configured"))]
    NoCredentials {
        /// The credential provider's own account of it; `None` when there is no
        /// provider at all.
        detail: Option<String>,
    },

    /// The endpoint did not answer (refused, dropped, timed out): going on with
    /// other calls would only wait for it again.
    #[error("{message}")]
    Unreachable {
        /// What failed, naming the endpoint or service.
        message: String,
        /// What to do.
        help: String,
    },

    /// AWS failed or refused a call. The message and fix are composed from the
    /// SDK's error by the helper that classifies it (`actions::failed`,
    /// `Aws::identity_failed`).
    #[error("{message}")]
    Aws {
        /// What failed, naming the service or setting.
        message: String,
        /// What to do.
        help: String,
    },

    // Grading other accounts (`lab check --account`, `--roster`).
    /// `--role-name` is not a name IAM allows.
    #[error("`{name}` is not an IAM role name")]
    BadRoleName {
        /// The value given.
        name: String,
    },

    /// `--external-id` is not one STS accepts.
    #[error("`{id}` is not an external id STS accepts")]
    BadExternalId {
        /// The value given.
        id: String,
    },

    /// `--account` is not a 12-digit account id.
    #[error("`{id}` is not an AWS account id")]
    BadAccountId {
        /// The value given.
        id: String,
    },

    /// The grader could not assume the role in the student's account.
    #[error("{why}")]
    NotAssumed {
        /// What STS said, in a line.
        why: String,
        /// The role's name.
        role: String,
        /// The student's account.
        account: String,
        /// The grader's ARN.
        grader: String,
    },

    /// The student's account was reached but could not be graded.
    #[error("{why}")]
    NotGraded {
        /// What failed, in a line.
        why: String,
    },

    /// What a student submitted to an autograder names no account to grade: their
    /// submission fails, saying what to submit.
    #[error("{0}")]
    Submission(#[from] SubmissionError),

    /// The roster cannot be read, or cannot make the gradebook asked for.
    #[error("{0}")]
    Roster(#[from] RosterError),

    // Reports and gradebooks.
    /// A gradebook format asked for one account.
    #[error("--format csv, canvas and moodle are gradebook formats")]
    GradebookFormatForOne,

    /// `--format gradescope` for a class without `--output`.
    #[error("--format gradescope writes one results.json per student")]
    GradescopeNeedsFolder,

    /// Two students' names make the same folder of a Gradescope gradebook.
    #[error("{name} and {other} would both write {}/results.json", folder.display())]
    SameFolder {
        /// The student met second.
        name: String,
        /// The student met first.
        other: String,
        /// The folder both would write.
        folder: PathBuf,
    },

    /// A file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
        /// What to do: which option names another place.
        help: &'static str,
    },

    /// An autograder cannot be made as asked (`lab autograder`).
    #[error("{0}")]
    Autograder(#[from] AutograderError),

    // The sandbox.
    /// A sandbox command with no sandbox running.
    #[error("no sandbox is running")]
    NoSandbox,

    /// The sandbox failed or did not answer, in its own words (the sandbox crate
    /// words its errors).
    #[error("{0}")]
    Sandbox(#[from] sandbox::Error),

    // The program itself.
    /// The path of the running program is unknown (to run it again, or copy it).
    #[error("cannot find lab's own program: {0}")]
    OwnProgram(#[source] std::io::Error),

    /// The async runtime AWS calls run on cannot start.
    #[error("cannot start the async runtime: {0}")]
    NoRuntime(#[source] std::io::Error),

    /// The written book cannot be loaded to render it as HTML.
    #[error("cannot load the book in {}: {why}", out.display())]
    BookNotLoaded {
        /// The book's folder.
        out: PathBuf,
        /// The renderer's account of it, with its causes.
        why: String,
    },

    /// The book cannot be rendered as HTML.
    #[error("cannot build the book: {why}")]
    BookNotBuilt {
        /// The renderer's account of it, with its causes.
        why: String,
    },
}

impl From<crate::lesson::Unknown> for Error {
    fn from(unknown: crate::lesson::Unknown) -> Self {
        let crate::lesson::Unknown { what, key, known } = unknown;
        match what {
            crate::lesson::Part::Stage => Error::UnknownStage { key, known },
            crate::lesson::Part::Step => Error::UnknownStep { key, known },
        }
    }
}

impl Error {
    /// The exit code: 1 for a submission that fails, 130 for Ctrl-C (as a shell
    /// reports it), 2 for everything else that stops a command.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Submission(_) => 1,
            Error::Stopped { .. } => 130,
            _ => 2,
        }
    }

    /// Whether AWS failed, refused or could not be reached, rather than lab being
    /// asked wrongly: the account was not graded, and a report says why.
    pub fn is_aws_failure(&self) -> bool {
        matches!(
            self,
            Error::Aws { .. }
                | Error::Unreachable { .. }
                | Error::NoRegion
                | Error::NoCredentials { .. }
                | Error::BucketTaken { .. }
                | Error::NotDeleted { .. }
                | Error::NotAssumed { .. }
                | Error::NotGraded { .. }
        )
    }

    /// What to do about it, where there is something to say.
    pub fn help(&self) -> Option<String> {
        Some(match self {
            Error::Aws { help, .. } | Error::Unreachable { help, .. } => help.clone(),
            Error::NotCreatedByLab(found) => format!(
                "if it is yours for this lab, do the step yourself, or tag it {} and ask again; \
                 otherwise choose another name with --set {}=...",
                found.tag, found.variable
            ),
            Error::Write { help, .. } => help.to_string(),
            Error::Progress(problem) => problem.help().into(),
            Error::Submission(problem) => problem.help(),
            Error::Roster(problem) => problem.help().into(),
            Error::Autograder(problem) => problem.help().into(),
            Error::Sandbox(sandbox::Error::Usage { help, .. }) => help.clone(),
            Error::UnknownVariable { known, .. } => {
                format!("the lab's variables are: {}", known.join(", "))
            }
            Error::UnfitValue { variable, .. } => {
                format!("pass a valid value with --set {variable}=...")
            }
            Error::NoValue {
                variable, context, ..
            } => match context {
                Some(_) => format!("give it with --set {variable}=..."),
                None => format!("give it one with --set {variable}=..."),
            },
            Error::StepNeedsVariable { variable } => format!("give it with --set {variable}=..."),
            Error::UnknownLab { known, .. } => format!(
                "the labs are: {} (`lab labs` describes them); a lab in a folder runs with --lessons DIR",
                known.join(", ")
            ),
            Error::UnknownStage { known, .. } => format!("the stages are: {}", known.join(", ")),
            Error::UnknownStep { known, .. } => format!("the steps are: {}", known.join(", ")),
            Error::UnknownCheck { known, .. } => format!("its checks are: {}", known.join(", ")),
            Error::CheckOutsideStages { stage, .. } => {
                format!("add --stage {stage}, where it is first used, or leave out --stage")
            }
            Error::NeedsTerminal => "use `lab run --auto` to do and check every step without \
                                     asking, or `lab check` to grade"
                .into(),
            Error::AutoCannotAsk { .. } => "give the value with --set NAME=VALUE".into(),
            Error::NoResource { stage, .. } | Error::NoTopicToNotify { stage, .. } => {
                format!("create it first{stage}")
            }
            Error::NoTopicYet { .. } => {
                "do the step that creates the topic and subscribes your email first".into()
            }
            Error::NoEmailSubscription { .. } => {
                "do the step that subscribes your email first".into()
            }
            Error::OnlyOwnerConfirms { .. } => {
                "open the email \"AWS Notification - Subscription Confirmation\" and choose \
                 Confirm subscription, then check again"
                    .into()
            }
            Error::OnlyYouUseRoot => {
                "sign in to the console as the root user yourself (its email address, password \
                 and MFA), open any page, sign out, then check again"
                    .into()
            }
            Error::BucketTaken { .. } => "pick another name with --set bucket_name=...".into(),
            Error::NotDeleted { .. } => {
                "fix what the messages say and run cleanup again: it deletes only what is left"
                    .into()
            }
            Error::BadEndpointUrl { .. } => {
                "give the full URL, for example http://127.0.0.1:5000".into()
            }
            Error::BadRegion { .. } => {
                "region names look like us-east-1 or eu-west-2: pass a valid one with --region"
                    .into()
            }
            Error::NoRegion => "pass --region (for example --region us-east-1), set AWS_REGION, \
                                or set `region` in your profile with `aws configure`"
                .into(),
            Error::NoCredentials { .. } => {
                "sign in with `aws configure` or `aws sso login`, choose a profile with \
                 --profile or AWS_PROFILE, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
                    .into()
            }
            Error::BadRoleName { .. } => {
                "a role name is 1 to 64 letters, digits and _+=,.@-".into()
            }
            Error::BadExternalId { .. } => {
                "an external id is 2 to 1224 letters, digits and _+=,.@:/-".into()
            }
            Error::BadAccountId { .. } => "give the 12 digits, e.g. --account 123456789012".into(),
            Error::NotAssumed {
                role,
                account,
                grader,
                ..
            } => format!(
                "the role `{role}` must exist in account {account} and trust {grader}, the identity grading"
            ),
            Error::NotGraded { .. } => {
                "grade again; if it persists, check the role and its permissions".into()
            }
            Error::GradebookFormatForOne => "use them with --roster FILE; for one account, use \
                                             table, json, junit, ctrf or gradescope"
                .into(),
            Error::GradescopeNeedsFolder => "give the folder with --output DIR".into(),
            Error::SameFolder { .. } => {
                "give them names that differ in more than punctuation, or separate accounts".into()
            }
            Error::NoSandbox => "start one with `lab sandbox start` (or `lab run --sandbox`, \
                                 which starts one); its state, if it was stopped, is gone"
                .into(),
            Error::Lessons(_)
            | Error::AutoCannotChoose
            | Error::PromptInterrupted { .. }
            | Error::Stopped { .. }
            | Error::SignalUnwatched(_)
            | Error::Sandbox(sandbox::Error::Other(_))
            | Error::OwnProgram(_)
            | Error::NoRuntime(_)
            | Error::BookNotLoaded { .. }
            | Error::BookNotBuilt { .. } => return None,
        })
    }
}

/// The fix for an AWS failure that passes on its own, then `again` (what to run once
/// it has): throttling, or a service answering 5xx. `None` for any other failure,
/// whose fix depends on what was being done.
pub fn passing_fix(
    kind: checkers::snapshot::ReadErrorKind,
    status: Option<u16>,
    again: &str,
) -> Option<String> {
    match kind {
        checkers::snapshot::ReadErrorKind::Throttled => Some(format!(
            "AWS is limiting how fast you call it: wait a minute, {again}"
        )),
        _ if status.is_some_and(|s| s >= 500) => Some(format!(
            "the service is having trouble: wait a little, {again}"
        )),
        _ => None,
    }
}

/// Writes `text` to `path`, creating its folder; `help` says how to write elsewhere.
pub fn write_file(
    path: &std::path::Path,
    text: impl AsRef<[u8]>,
    help: &'static str,
) -> Result<(), Error> {
    path.parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(path, text))
        .map_err(|source| Error::Write {
            path: path.to_path_buf(),
            source,
            help,
        })
}
