//! Why an autograder cannot be made as asked.

use std::path::PathBuf;

/// Why an autograder cannot be made as asked (see [`crate::autograder`]).
#[derive(Debug, thiserror::Error)]
pub enum AutograderError {
    /// The lab comes from a folder (`--lessons`), which the autograder cannot carry.
    #[error("an autograder grades a built-in lab, and this one comes from the folder {dir}")]
    LabFromFolder {
        /// The folder.
        dir: String,
    },
    /// Neither `--region` nor the environment names the course's region.
    #[error("the autograder needs the region the students build the lab in")]
    NoRegion,
    /// The region given cannot be a region (it ends up in a shell line).
    #[error("`{region}` is not an AWS region")]
    BadRegion {
        /// The value given.
        region: String,
    },
    /// This lab cannot run on the autograder, and `--lab-binary` names none that can.
    #[error("this lab is built for {os} on {arch}, and the autograder runs Linux on x86-64")]
    WrongPlatform {
        /// This build's operating system.
        os: &'static str,
        /// This build's architecture.
        arch: &'static str,
    },
    /// The lab program to ship cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    UnreadableBinary {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The lab program to ship is not one the autograder can run.
    #[error("{} is not a Linux x86-64 executable", path.display())]
    NotLinuxBinary {
        /// The file.
        path: PathBuf,
    },
    /// The download URL is not HTTPS, or not plain enough for a shell line.
    #[error("`{url}` is not an HTTPS URL the workflow can download from")]
    NotHttps {
        /// The value given.
        url: String,
    },
    /// The download URL holds a user or password, which every student would see.
    #[error("`{url}` carries credentials, which every student would read in the workflow")]
    UrlCredentials {
        /// The value given.
        url: String,
    },
}

impl AutograderError {
    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self {
            AutograderError::LabFromFolder { .. } => {
                "choose a built-in lab with --lab ID (`lab labs` lists them), or grade with `lab check --lessons DIR --roster FILE`"
            }
            AutograderError::NoRegion => "give it with --region, e.g. --region us-east-1",
            AutograderError::BadRegion { .. } => {
                "give the course's region with --region, e.g. --region us-east-1"
            }
            AutograderError::WrongPlatform { .. } => {
                "build one (cargo build --profile dist --target x86_64-unknown-linux-gnu) and pass it with --lab-binary"
            }
            AutograderError::UnreadableBinary { .. } => {
                "pass the Linux x86-64 build of lab with --lab-binary"
            }
            AutograderError::NotLinuxBinary { .. } => {
                "pass the Linux x86-64 build of lab with --lab-binary (cargo build --profile dist --target x86_64-unknown-linux-gnu)"
            }
            AutograderError::NotHttps { .. } => {
                "give the https:// address of the Linux x86-64 build of lab (e.g. a release asset)"
            }
            AutograderError::UrlCredentials { .. } => {
                "put lab where it can be downloaded without them (a public release asset)"
            }
        }
    }
}
