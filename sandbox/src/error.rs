//! Why the sandbox could not start or serve, with what to do about it.

/// Why the sandbox could not start or serve.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Something the person starting it can fix (a port, a folder, moto).
    #[error("{message}")]
    Usage {
        /// What is wrong.
        message: String,
        /// What to do.
        help: String,
    },
    /// Anything else, in a sentence.
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// An error the person starting the sandbox can fix, with what to do.
    pub fn usage(message: impl Into<String>, help: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            help: help.into(),
        }
    }
}
