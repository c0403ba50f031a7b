//! The learner's progress: one file per lab, account and region, owned by this
//! module alone.
//!
//! It holds the answers the learner gave (their email address, a bucket name), the
//! steps done or skipped, where they are, and what `lab` did for them. It never
//! holds a secret's value or credentials. Writes are atomic (a temporary file in the
//! same folder, fsync, rename), so a crash mid-write leaves the previous state.
//!
//! The folder is `$LAB_STATE_DIR`, else `$XDG_STATE_HOME/lab`, else
//! `~/.local/state/lab`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, ProgressError};

/// The version of the file format this build writes and reads.
pub const VERSION: u32 = 1;

/// Progress in one account and region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// The file format's version.
    pub version: u32,
    /// The lab's id.
    pub lab: String,
    /// The account.
    pub account: String,
    /// The region.
    pub region: String,
    /// Values the learner gave when asked, by variable name.
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
    /// Steps done or skipped, by step id.
    #[serde(default)]
    pub steps: BTreeMap<String, StepRecord>,
    /// The step the learner is on, if they have started.
    #[serde(default)]
    pub current: Option<String>,
    /// What `lab` did for the learner, oldest first.
    #[serde(default)]
    pub actions: Vec<ActionRecord>,
}

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepState {
    /// Its checks passed.
    Done,
    /// The learner moved on without passing its checks.
    Skipped,
}

/// A step's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    /// Done or skipped.
    pub state: StepState,
    /// When, in seconds since the Unix epoch.
    pub at: u64,
}

/// One "do it for me" that changed something.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRecord {
    /// The step it did.
    pub step: String,
    /// When, in seconds since the Unix epoch.
    pub at: u64,
    /// What it changed (created, updated, deleted), as sentences.
    pub changes: Vec<String>,
}

impl Progress {
    /// A fresh start.
    pub fn new(lab: &str, account: &str, region: &str) -> Self {
        Progress {
            version: VERSION,
            lab: lab.into(),
            account: account.into(),
            region: region.into(),
            answers: BTreeMap::new(),
            steps: BTreeMap::new(),
            current: None,
            actions: Vec::new(),
        }
    }

    /// Records a step's outcome.
    pub fn mark(&mut self, step: &str, state: StepState) {
        self.steps
            .insert(step.to_string(), StepRecord { state, at: now() });
    }

    /// Whether a step is done.
    pub fn is_done(&self, step: &str) -> bool {
        self.steps
            .get(step)
            .is_some_and(|r| r.state == StepState::Done)
    }
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Where progress files live.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// The store in `dir`.
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        Store { dir: dir.into() }
    }

    /// The store in the default folder (see the module docs).
    pub fn default_location() -> Result<Self, Error> {
        let dir = std::env::var_os("LAB_STATE_DIR")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("XDG_STATE_HOME").map(|d| PathBuf::from(d).join("lab")))
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state/lab")))
            .ok_or(ProgressError::NoFolder)?;
        Ok(Store::at(dir))
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Forgets all progress in `account`, every lab and region (the sandbox's
    /// account, when a new sandbox starts empty).
    pub fn forget_account(&self, account: &str) -> Result<(), Error> {
        let Ok(labs) = std::fs::read_dir(&self.dir) else {
            return Ok(());
        };
        for lab in labs.flatten() {
            let Ok(files) = std::fs::read_dir(lab.path()) else {
                continue;
            };
            for file in files.flatten() {
                if file
                    .file_name()
                    .to_string_lossy()
                    .starts_with(&format!("{account}-"))
                {
                    std::fs::remove_file(file.path()).map_err(|source| {
                        ProgressError::Unreadable {
                            path: file.path(),
                            source,
                        }
                    })?;
                }
            }
        }
        Ok(())
    }

    /// The file for `lab` in `account` and `region`.
    pub fn path(&self, lab: &str, account: &str, region: &str) -> PathBuf {
        self.dir.join(lab).join(format!("{account}-{region}.json"))
    }

    /// The saved progress, or a fresh start when there is none.
    pub fn load(&self, lab: &str, account: &str, region: &str) -> Result<Progress, Error> {
        let path = self.path(lab, account, region);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Progress::new(lab, account, region));
            }
            Err(source) => return Err(ProgressError::Unreadable { path, source }.into()),
        };
        let version = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v.get("version")?.as_u64());
        if version.is_some_and(|v| v > u64::from(VERSION)) {
            return Err(ProgressError::Newer {
                path,
                version: version.unwrap_or_default(),
            }
            .into());
        }
        let progress: Progress = match serde_json::from_str(&text) {
            Ok(progress) => progress,
            Err(source) => return Err(ProgressError::Corrupt { path, source }.into()),
        };
        if (
            progress.lab.as_str(),
            progress.account.as_str(),
            progress.region.as_str(),
        ) != (lab, account, region)
        {
            return Err(ProgressError::OfAnother { path }.into());
        }
        Ok(progress)
    }

    /// Saves atomically: write a temporary file next to the real one, flush it to
    /// disk, then rename it over the real one.
    pub fn save(&self, progress: &Progress) -> Result<(), Error> {
        let path = self.path(&progress.lab, &progress.account, &progress.region);
        let dir = path.parent().expect("progress files live in a folder");
        let write = || -> std::io::Result<()> {
            std::fs::create_dir_all(dir)?;
            let temp = dir.join(format!(".{}.tmp-{}", file_name(&path), std::process::id()));
            let mut file = std::fs::File::create(&temp)?;
            file.write_all(
                serde_json::to_string_pretty(progress)
                    .expect("progress serializes")
                    .as_bytes(),
            )?;
            file.write_all(b"\n")?;
            file.sync_all()?;
            drop(file);
            std::fs::rename(&temp, &path)?;
            if let Ok(folder) = std::fs::File::open(dir) {
                let _ = folder.sync_all();
            }
            Ok(())
        };
        write().map_err(|source| ProgressError::NotSaved { path, source }.into())
    }

    /// Forgets the progress (not the resources) for `lab` in `account` and `region`;
    /// `true` when there was something to forget.
    pub fn reset(&self, lab: &str, account: &str, region: &str) -> Result<bool, Error> {
        let path = self.path(lab, account, region);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(source) => Err(ProgressError::Unreadable { path, source }.into()),
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path());
        (dir, store)
    }

    #[test]
    fn saves_and_loads() {
        let (_dir, store) = store();
        assert_eq!(
            store.load("lab", "1", "r").unwrap(),
            Progress::new("lab", "1", "r")
        );
        let mut p = Progress::new("lab", "1", "r");
        p.answers.insert("email".into(), "a@b.co".into());
        p.mark("create-secret", StepState::Done);
        p.current = Some("create-trail".into());
        store.save(&p).unwrap();
        assert_eq!(store.load("lab", "1", "r").unwrap(), p);
        assert!(
            store
                .load("lab", "1", "other-region")
                .unwrap()
                .steps
                .is_empty(),
            "one file per region"
        );
    }

    #[test]
    fn a_half_written_temporary_file_leaves_the_previous_state() {
        let (_dir, store) = store();
        let mut p = Progress::new("lab", "1", "r");
        p.mark("create-secret", StepState::Done);
        store.save(&p).unwrap();
        // A crash between writing the temporary file and renaming it.
        let path = store.path("lab", "1", "r");
        let temp = path
            .parent()
            .unwrap()
            .join(format!(".{}.tmp-99999", file_name(&path)));
        std::fs::write(&temp, "{\"version\": 1, \"lab\": \"lab\", \"acc").unwrap();
        assert_eq!(store.load("lab", "1", "r").unwrap(), p);
        // And the next save still works.
        p.mark("create-trail", StepState::Skipped);
        store.save(&p).unwrap();
        assert_eq!(store.load("lab", "1", "r").unwrap(), p);
    }

    #[test]
    fn a_corrupt_or_newer_file_says_what_to_do() {
        let (_dir, store) = store();
        let path = store.path("lab", "1", "r");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "{ not json").unwrap();
        let error = store.load("lab", "1", "r").unwrap_err();
        assert!(
            matches!(error, Error::Progress(ProgressError::Corrupt { .. })),
            "{error:?}"
        );
        assert!(
            error.to_string().contains("cannot read your progress"),
            "{error}"
        );
        assert!(error.help().unwrap().contains("lab reset"));
        std::fs::write(
            &path,
            r#"{"version": 7, "lab": "lab", "account": "1", "region": "r"}"#,
        )
        .unwrap();
        let error = store.load("lab", "1", "r").unwrap_err();
        assert!(
            matches!(
                error,
                Error::Progress(ProgressError::Newer { version: 7, .. })
            ),
            "{error:?}"
        );
        assert!(error.to_string().contains("newer lab"), "{error}");
    }

    #[test]
    fn reset_forgets() {
        let (_dir, store) = store();
        store.save(&Progress::new("lab", "1", "r")).unwrap();
        assert!(store.reset("lab", "1", "r").unwrap());
        assert!(!store.reset("lab", "1", "r").unwrap());
    }
}
