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

    /// Empties the mailbox in `dir` for a new sandbox: the mail of the last one
    /// (whose links and tokens mean nothing to the new one) is kept aside as
    /// `mail.previous.jsonl`.
    pub fn start_afresh(dir: &Path) -> std::io::Result<()> {
        let mailbox = Mailbox::in_dir(dir);
        match std::fs::rename(&mailbox.path, dir.join("mail.previous.jsonl")) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_sandbox_starts_with_an_empty_mailbox() {
        let dir = tempfile::tempdir().unwrap();
        let mailbox = Mailbox::in_dir(dir.path());
        Mailbox::start_afresh(dir.path()).unwrap();
        let mail = Mail {
            time: "2026-12-01T10:00:00Z".into(),
            to: "a@example.com".into(),
            subject: "s".into(),
            body: "b".into(),
            topic_arn: "t".into(),
        };
        mailbox.deliver(&mail).unwrap();
        assert_eq!(mailbox.read().unwrap(), std::slice::from_ref(&mail));
        Mailbox::start_afresh(dir.path()).unwrap();
        assert!(mailbox.read().unwrap().is_empty());
        let previous = std::fs::read_to_string(dir.path().join("mail.previous.jsonl")).unwrap();
        assert!(previous.contains("a@example.com"));
    }
}
