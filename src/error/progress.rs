//! Why the progress file cannot be found, read or saved.

use std::path::PathBuf;

/// The progress file (see [`crate::progress`]) cannot be found, read or saved.
#[derive(Debug, thiserror::Error)]
pub enum ProgressError {
    /// No `LAB_STATE_DIR`, `XDG_STATE_HOME` or `HOME` to keep it in.
    #[error("cannot tell where to keep your progress")]
    NoFolder,
    /// The file, or its folder, cannot be read or removed.
    #[error("cannot read your progress in {}: {source}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not progress as lab writes it.
    #[error("cannot read your progress in {}: {source}", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// Why.
        source: serde_json::Error,
    },
    /// The file says it is another lab's, account's or region's (copied or renamed).
    #[error("cannot read your progress in {}: it belongs to another lab, account or region", path.display())]
    OfAnother {
        /// The file.
        path: PathBuf,
    },
    /// The file is in a format newer than this lab reads.
    #[error("{} was written by a newer lab (format {version})", path.display())]
    Newer {
        /// The file.
        path: PathBuf,
        /// Its format.
        version: u64,
    },
    /// The file cannot be written.
    #[error("cannot save your progress to {}: {source}", path.display())]
    NotSaved {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl ProgressError {
    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self {
            ProgressError::NoFolder => "set LAB_STATE_DIR to a folder lab may write",
            ProgressError::Unreadable { .. }
            | ProgressError::Corrupt { .. }
            | ProgressError::OfAnother { .. } => {
                "fix or delete the file, or start over with `lab reset` (your AWS resources are not touched)"
            }
            ProgressError::Newer { .. } => "upgrade lab, or start over with `lab reset`",
            ProgressError::NotSaved { .. } => {
                "check that the folder is writable, or set LAB_STATE_DIR"
            }
        }
    }
}
