//! The sandbox's mailbox: every email SNS would have sent, one JSON object per line
//! in `mail.jsonl` in the sandbox's folder. The front appends; `lab sandbox mail` reads.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// One email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mail {
    /// When it was sent, as `2026-11-28T10:00:00Z`.
    pub time: String,
    /// The address.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The text.
    pub body: String,
    /// The topic that sent it.
    pub topic_arn: String,
}

/// The mailbox file.
#[derive(Debug, Clone)]
pub struct Mailbox {
    path: PathBuf,
}

impl Mailbox {
    /// The mailbox in `dir`.
    pub fn in_dir(dir: &Path) -> Mailbox {
        Mailbox {
            path: dir.join("mail.jsonl"),
        }
    }

    /// Adds an email.
    pub fn deliver(&self, mail: &Mail) -> std::io::Result<()> {
        let mut line = serde_json::to_string(mail).map_err(std::io::Error::other)?;
        line.push('\n');
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?
            .write_all(line.as_bytes())
    }

    /// Every email, oldest first; none when the file does not exist yet.
    pub fn read(&self) -> std::io::Result<Vec<Mail>> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).map_err(std::io::Error::other))
            .collect()
    }
}
