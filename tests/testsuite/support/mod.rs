//! Shared test harness.

pub(crate) mod build;
pub(crate) mod faults;
pub(crate) mod gradescope;
pub(crate) mod junit;
pub(crate) mod lessons;
pub(crate) mod moto;
pub(crate) mod snapshot;

use std::path::Path;
use std::process::{Command, Output};

/// The `lab` binary in a clean environment: no AWS settings from the machine, no
/// colour, no instance-metadata lookups (which would leave the loopback interface),
/// and a HOME of its own so no real `~/.aws` is read.
pub(crate) fn lab(home: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lab"));
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", empty_file(home, "aws-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            empty_file(home, "aws-credentials"),
        );
    command
}

/// An empty file in `home`, so the SDK finds its config files and reads nothing.
fn empty_file(home: &Path, name: &str) -> std::path::PathBuf {
    let path = home.join(name);
    std::fs::write(&path, "").expect("write an empty AWS config file");
    path
}

/// What a finished command said, for assertions.
pub(crate) struct Ran {
    /// Exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs `command` to completion.
pub(crate) fn run(command: &mut Command) -> Ran {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("lab runs");
    Ran {
        code: status.code().expect("lab exits, not killed by a signal"),
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

/// Past the guide's introduction in a pseudo-terminal, up to its cost note: on a
/// terminal too short for all of it, its first part is held until Enter.
pub(crate) fn past_the_intro(session: &mut rexpect::session::PtySession) {
    use rexpect::ReadUntil;
    let (_, found) = session
        .exp_any(vec![
            ReadUntil::String("Press Enter for what it costs".into()),
            ReadUntil::String("What it costs".into()),
        ])
        .expect("the introduction");
    if found.starts_with("Press") {
        session.send("\r").unwrap();
        session.flush().unwrap();
        session.exp_string("What it costs").unwrap();
    }
}
