//! What can stop a command, each with what to do about it. Every variant maps to
//! exit code 2 ("could not run") but [`Error::Submission`], a student's own mistake,
//! which fails like a failing check (exit code 1), and [`Error::Stopped`], the
//! learner's Ctrl-C (130); a command that ran and found
//! problems returns [`crate::Outcome::Failed`] instead.

use crate::lesson::Diagnostics;

/// Why a command could not do its job.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The lesson set does not load.
    #[error("{0}")]
    Lessons(#[from] Diagnostics),
    /// Bad arguments or values, with what to do instead.
    #[error("{message}")]
    Usage {
        /// What is wrong.
        message: String,
        /// What to do.
        help: String,
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
    /// A resource of the lab's name exists that lab did not create: lab will not
    /// change or tag it unless the learner says it may (see [`NotCreatedByLab`]).
    #[error("{0}")]
    NotCreatedByLab(NotCreatedByLab),
    /// AWS could not be reached or configured.
    #[error("{message}")]
    Aws {
        /// What failed, naming the service or setting.
        message: String,
        /// What to do.
        help: String,
    },
    /// What a student submitted to an autograder names no account to grade: their
    /// submission fails, saying what to submit.
    #[error("{message}")]
    Submission {
        /// What is wrong with it.
        message: String,
        /// What to submit instead.
        help: String,
    },
    /// A file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
        /// What to do: which option names another place.
        help: &'static str,
    },
    /// The learner stopped the command (Ctrl-C at a prompt): not a failure, said
    /// with how to go on.
    #[error("{0}")]
    Stopped(String),
    /// Anything else, in a sentence.
    #[error("{0}")]
    Other(String),
}

impl From<sandbox::Error> for Error {
    fn from(error: sandbox::Error) -> Self {
        match error {
            sandbox::Error::Usage { message, help } => Error::Usage { message, help },
            sandbox::Error::Other(message) => Error::Other(message),
        }
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

impl Error {
    /// A usage error with what to do about it.
    pub fn usage(message: impl Into<String>, help: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            help: help.into(),
        }
    }

    /// The exit code: 1 for a submission that fails, 130 for Ctrl-C (as a shell
    /// reports it), 2 for everything else that stops a command.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Submission { .. } => 1,
            Error::Stopped(_) => 130,
            _ => 2,
        }
    }

    /// What to do about it, where there is something to say.
    pub fn help(&self) -> Option<&str> {
        match self {
            Error::Usage { help, .. }
            | Error::Aws { help, .. }
            | Error::Unreachable { help, .. }
            | Error::Submission { help, .. } => Some(help),
            Error::NotCreatedByLab(found) => Some(&found.help),
            Error::Write { help, .. } => Some(help),
            Error::Lessons(_) | Error::Stopped(_) | Error::Other(_) => None,
        }
    }
}

/// A resource with one of the lab's names that exists without the lab's tag: someone
/// made it, perhaps the learner by hand. lab changes it only with their leave, and
/// never tags it, so cleanup leaves it too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotCreatedByLab {
    /// What it is, as the learner says it: `bucket`, `trail`, `secret`...
    pub kind: &'static str,
    /// Its name.
    pub name: String,
    /// What to do instead of letting lab change it.
    pub help: String,
    /// The lab's tag it lacks, as `key=value`.
    pub tag: String,
}

impl std::fmt::Display for NotCreatedByLab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the {} `{}` exists and lab did not create it (it has no `{}` tag): lab will not change or tag it",
            self.kind, self.name, self.tag
        )
    }
}
