//! What can stop a command, each with what to do about it. Every variant maps to
//! exit code 2 ("could not run"); a command that ran and found problems returns
//! [`crate::Outcome::Failed`] instead (exit code 1).

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
    /// AWS could not be reached or configured.
    #[error("{message}")]
    Aws {
        /// What failed, naming the service or setting.
        message: String,
        /// What to do.
        help: String,
    },
    /// Anything else, in a sentence.
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// A usage error with what to do about it.
    pub fn usage(message: impl Into<String>, help: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            help: help.into(),
        }
    }

    /// What to do about it, where there is something to say.
    pub fn help(&self) -> Option<&str> {
        match self {
            Error::Usage { help, .. }
            | Error::Aws { help, .. }
            | Error::Unreachable { help, .. } => Some(help),
            Error::Lessons(_) | Error::Other(_) => None,
        }
    }
}
