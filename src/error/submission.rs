//! Why a student's submission names no account to grade.

/// What is wrong with the file a student submitted to name their account (see
/// [`crate::submission`]); `name` is the file's name as they submit it.
#[derive(Debug, thiserror::Error)]
pub enum SubmissionError {
    /// The file is not in the submission.
    #[error("your submission has no {name}")]
    Missing {
        /// The file's name.
        name: String,
        /// The files the submission has (the first few), to spot a typo.
        found: Vec<String>,
    },
    /// The file is there but cannot be opened.
    #[error("{name} cannot be read: {source}")]
    Unopenable {
        /// The file's name.
        name: String,
        /// Why.
        source: std::io::Error,
        /// The files the submission has (the first few).
        found: Vec<String>,
    },
    /// The file opened but reading it failed.
    #[error("{name} cannot be read: {source}")]
    Unreadable {
        /// The file's name.
        name: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is far larger than an account id needs.
    #[error("{name} is larger than {kib} KiB")]
    TooLarge {
        /// The file's name.
        name: String,
        /// The most read, in KiB.
        kib: u64,
    },
    /// The file holds no 12-digit number.
    #[error("{name} holds no 12-digit AWS account id")]
    NoAccountId {
        /// The file's name.
        name: String,
    },
}

impl SubmissionError {
    /// What to submit instead.
    pub fn help(&self) -> String {
        match self {
            SubmissionError::Missing { name, found }
            | SubmissionError::Unopenable { name, found, .. } => format!(
                "submit a file named {name} that holds your 12-digit AWS account id{}",
                if found.is_empty() {
                    String::new()
                } else {
                    format!(" (your submission has: {})", found.join(", "))
                }
            ),
            SubmissionError::Unreadable { name, .. } => {
                format!("submit {name} again, as plain text")
            }
            SubmissionError::TooLarge { name, .. } => {
                format!("{name} should hold just your 12-digit AWS account id")
            }
            SubmissionError::NoAccountId { name } => format!(
                "put your account id in {name}, for example 123456789012: the AWS console shows it \
                 in the menu under your name, and `aws sts get-caller-identity` prints it"
            ),
        }
    }
}
