//! `lab autograder`: autograders that run `lab check` for each student, written
//! ready to upload. Both grade the account a student names in `account.txt`,
//! through a role the course's grader credentials may assume there, so no student
//! hands over credentials of their own.
//!
//! - [`gradescope`]: a folder to zip (`setup.sh`, `run_autograder`, `lab`, the
//!   credentials file to fill in, a README for the course);
//! - [`classroom`]: a GitHub Classroom workflow for the command grader, a test per
//!   stage.
//!
//! What they are made of is worked out here, as text; [`write`] puts it on disk.

pub mod classroom;
pub mod gradescope;

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{AutograderError, Error};
pub use crate::lab_commands::shell_quote;

/// How the autograder grades: the same for Gradescope and Classroom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grading {
    /// The role assumed in each student's account.
    pub role_name: String,
    /// The external id it requires, if any.
    pub external_id: Option<String>,
    /// The region the students build the lab in.
    pub region: String,
    /// Every stage, cleanup included, rather than the default scope.
    pub all: bool,
    /// The built-in lab graded, when it is not the default one (`--lab ID`).
    pub lab: Option<String>,
}

impl Grading {
    /// Validated: each value ends up in a shell command line, so each must be what
    /// AWS allows for it, and nothing else.
    pub fn new(
        role_name: &str,
        external_id: Option<&str>,
        region: &str,
        all: bool,
    ) -> Result<Grading, Error> {
        crate::ops::check::elsewhere::check_role_name(role_name)?;
        if let Some(id) = external_id {
            crate::ops::check::elsewhere::check_external_id(id)?;
        }
        if region.is_empty()
            || !region
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(AutograderError::BadRegion {
                region: region.into(),
            }
            .into());
        }
        Ok(Grading {
            role_name: role_name.into(),
            external_id: external_id.map(str::to_string),
            region: region.into(),
            all,
            lab: None,
        })
    }

    /// The options of `lab check` that reach the account this way, each with its
    /// value, after the one naming the account.
    fn check_options(&self) -> Vec<(&'static str, String)> {
        let mut options = vec![("--role-name", self.role_name.clone())];
        if let Some(id) = &self.lab {
            options.push(("--lab", id.clone()));
        }
        if let Some(id) = &self.external_id {
            options.push(("--external-id", id.clone()));
        }
        options
    }
}

/// One file of an autograder, by its path inside what is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Where it goes, relative to the autograder's folder.
    pub path: PathBuf,
    /// What it holds.
    pub contents: Contents,
    /// Whether it is run (mode 755; 600 for secrets, 644 otherwise).
    pub mode: Mode,
}

/// What a file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    /// This text.
    Text(String),
    /// A copy of this file (the lab binary).
    Copy(PathBuf),
}

/// Who may read and run a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A program or script.
    Executable,
    /// Text anyone may read.
    Readable,
    /// Only its owner may read it: it will hold credentials.
    Private,
}

/// Writes `files` under `dir`; an existing file is replaced, except a private
/// one (credentials filled in by hand), which is kept.
pub fn write(dir: &Path, files: &[File]) -> Result<Vec<PathBuf>, Error> {
    let mut written = Vec::new();
    for file in files {
        let path = dir.join(&file.path);
        if file.mode == Mode::Private && path.exists() {
            continue;
        }
        let fail = |source| Error::Write {
            path: path.clone(),
            source,
            help: "choose a folder you can write with --out",
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(fail)?;
        }
        match &file.contents {
            Contents::Text(text) => std::fs::write(&path, text).map_err(fail)?,
            Contents::Copy(from) => {
                let _ = std::fs::remove_file(&path);
                // A hard link when the folder is on the same disk (no 40 MB copy), a
                // copy otherwise.
                if std::fs::hard_link(from, &path).is_err() {
                    std::fs::copy(from, &path).map_err(fail)?;
                }
            }
        }
        set_mode(&path, file.mode).map_err(fail)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: Mode) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let bits = match mode {
        Mode::Executable => 0o755,
        Mode::Readable => 0o644,
        Mode::Private => 0o600,
    };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(bits))
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: Mode) -> std::io::Result<()> {
    Ok(())
}

/// The build of lab an autograder runs: Gradescope's images and GitHub's runners
/// are Linux on x86-64.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabBinary {
    /// Where it is.
    pub path: PathBuf,
}

impl LabBinary {
    /// `given`, or this very program when it is a Linux x86-64 build; refused
    /// unless it is a Linux x86-64 executable.
    pub fn find(given: Option<&Path>) -> Result<LabBinary, Error> {
        let path = match given {
            Some(path) => path.to_path_buf(),
            None if cfg!(all(target_os = "linux", target_arch = "x86_64")) => {
                std::env::current_exe().map_err(Error::OwnProgram)?
            }
            None => {
                return Err(AutograderError::WrongPlatform {
                    os: std::env::consts::OS,
                    arch: std::env::consts::ARCH,
                }
                .into());
            }
        };
        let mut header = Vec::with_capacity(20);
        let read = std::fs::File::open(&path).and_then(|f| f.take(20).read_to_end(&mut header));
        if let Err(source) = read {
            return Err(AutograderError::UnreadableBinary { path, source }.into());
        }
        // ELF, 64-bit, little-endian, machine x86-64 (0x3E).
        let elf = header.len() == 20
            && header[..4] == *b"\x7fELF"
            && header[4] == 2
            && header[5] == 1
            && header[18..20] == [0x3e, 0];
        if !elf {
            return Err(AutograderError::NotLinuxBinary { path }.into());
        }
        Ok(LabBinary { path })
    }

    /// Its SHA-256, in hex, for a download to be checked against.
    pub fn sha256(&self) -> Result<String, Error> {
        use sha2::Digest;
        let unreadable = |source| AutograderError::UnreadableBinary {
            path: self.path.clone(),
            source,
        };
        let mut file = std::fs::File::open(&self.path).map_err(unreadable)?;
        let mut hasher = sha2::Sha256::new();
        let mut buffer = vec![0u8; 1 << 16];
        loop {
            let n = file.read(&mut buffer).map_err(unreadable)?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
        }
        Ok(hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_aws_allows_reaches_a_command_line() {
        assert!(Grading::new("LabGrader", Some("class-42"), "us-east-1", false).is_ok());
        for (role, id, region) in [
            ("Lab Grader", None, "us-east-1"),
            ("LabGrader;rm", None, "us-east-1"),
            ("", None, "us-east-1"),
            ("LabGrader", Some("x"), "us-east-1"),
            ("LabGrader", Some("$(id)"), "us-east-1"),
            ("LabGrader", None, "US East"),
            ("LabGrader", None, ""),
        ] {
            assert!(
                Grading::new(role, id, region, false).is_err(),
                "{role:?} {id:?} {region:?}"
            );
        }
    }

    #[test]
    fn only_a_linux_x86_64_executable_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        let mut elf = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0];
        elf.resize(18, 0);
        elf.extend([0x3e, 0, 1, 0]);
        let good = dir.path().join("lab");
        std::fs::write(&good, &elf).unwrap();
        let found = LabBinary::find(Some(&good)).unwrap();
        assert_eq!(found.sha256().unwrap().len(), 64);
        let mut arm = elf.clone();
        arm[18] = 0xb7;
        let aarch64 = dir.path().join("lab-arm");
        std::fs::write(&aarch64, &arm).unwrap();
        assert!(LabBinary::find(Some(&aarch64)).is_err());
        let script = dir.path().join("lab.sh");
        std::fs::write(&script, "#!/bin/sh\n").unwrap();
        assert!(LabBinary::find(Some(&script)).is_err());
        assert!(LabBinary::find(Some(&dir.path().join("missing"))).is_err());
    }

    #[test]
    fn credentials_filled_in_by_hand_are_kept_and_the_rest_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let files = |text: &str| {
            vec![
                File {
                    path: "grader.env".into(),
                    contents: Contents::Text(text.into()),
                    mode: Mode::Private,
                },
                File {
                    path: "run_autograder".into(),
                    contents: Contents::Text(text.into()),
                    mode: Mode::Executable,
                },
            ]
        };
        write(dir.path(), &files("first")).unwrap();
        write(dir.path(), &files("second")).unwrap();
        let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert_eq!(read("grader.env"), "first");
        assert_eq!(read("run_autograder"), "second");
    }
}
