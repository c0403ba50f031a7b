//! The moto AWS emulator: installed into a virtual environment, started on a
//! loopback port, stopped when its owner goes away.
//!
//! The test harness uses this to give tests a real AWS API on this machine; the
//! sandbox will use it too. moto is started through a tiny Python launcher that binds
//! an ephemeral port on 127.0.0.1, prints it, and exits as soon as its standard input
//! closes. Our end of that pipe closes when the [`MotoServer`] is dropped *or* when
//! this process dies for any reason, so a crashed test run never leaves a server behind.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};

/// The pinned requirement, shared with `.ci/run`.
pub const REQUIREMENTS: &str = include_str!("../../moto-requirements.txt");

/// The launcher: serve on 127.0.0.1 (any free port), say which port, serve until
/// standard input closes.
const LAUNCHER: &str = r#"
import sys
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print(server.get_host_and_port()[1], flush=True)
sys.stdin.read()
server.stop()
"#;

/// A Python with moto installed: a virtual environment, or one found on this machine.
#[derive(Debug, Clone)]
pub struct MotoInstall {
    python: PathBuf,
}

impl MotoInstall {
    /// A moto already on this machine, in this order: the Python named by
    /// `LAB_MOTO_PYTHON` (an error if it lacks moto); the virtual environment `venv`
    /// if moto is installed there; `python3` if it has the pinned version of moto
    /// (another version might emulate AWS differently). `Ok(None)`: none yet.
    pub fn find(venv: &Path) -> Result<Option<MotoInstall>, String> {
        if let Some(python) = std::env::var_os("LAB_MOTO_PYTHON") {
            let install = MotoInstall {
                python: PathBuf::from(python),
            };
            return if install.has_moto() {
                Ok(Some(install))
            } else {
                Err(format!(
                    "LAB_MOTO_PYTHON is {}, which cannot import moto.server",
                    install.python.display()
                ))
            };
        }
        let own = MotoInstall {
            python: venv.join("bin").join("python"),
        };
        if own.has_moto() {
            return Ok(Some(own));
        }
        let system = MotoInstall {
            python: PathBuf::from("python3"),
        };
        Ok(system.has_pinned_moto().then_some(system))
    }

    /// Whether this Python has exactly the moto version `REQUIREMENTS` pins.
    fn has_pinned_moto(&self) -> bool {
        let Some(pinned) = REQUIREMENTS
            .lines()
            .find_map(|l| l.trim().strip_prefix("moto[server]=="))
        else {
            return false;
        };
        Command::new(self.python())
            .args(["-c", "import moto.server, moto; print(moto.__version__)"])
            .stderr(Stdio::null())
            .output()
            .is_ok_and(|o| {
                o.status.success() && String::from_utf8_lossy(&o.stdout).trim() == pinned.trim()
            })
    }

    /// The install in `venv`, creating the environment and installing the pinned
    /// moto with `python3 -m venv` and `pip` when it is not there yet.
    pub fn ensure(venv: &Path) -> Result<MotoInstall, String> {
        let install = MotoInstall {
            python: venv.join("bin").join("python"),
        };
        if install.has_moto() {
            return Ok(install);
        }
        run(
            Command::new("python3").arg("-m").arg("venv").arg(venv),
            "create the moto environment",
        )?;
        let requirements: Vec<&str> = REQUIREMENTS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        // Without byte-compiling every module (moto emulates every AWS service; the
        // sandbox uses eight): ten seconds less to install, and Python compiles what
        // is imported, once, the first time it is.
        run(
            Command::new(install.python())
                .args(["-m", "pip", "install", "--quiet", "--no-compile"])
                .arg("--disable-pip-version-check")
                .args(&requirements),
            "install moto",
        )?;
        if install.has_moto() {
            Ok(install)
        } else {
            Err(format!(
                "moto is still missing from {} after installing it",
                venv.display()
            ))
        }
    }

    /// A Python known to have moto (as `find` found it).
    pub fn with_python(python: &Path) -> MotoInstall {
        MotoInstall {
            python: python.to_path_buf(),
        }
    }

    /// The Python that runs moto.
    pub fn python(&self) -> &Path {
        &self.python
    }

    fn has_moto(&self) -> bool {
        Command::new(self.python())
            .args(["-c", "import moto.server"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// Starts a server of its own on a free loopback port.
    pub fn start(&self) -> Result<MotoServer, String> {
        let mut child = Command::new(self.python())
            .args(["-c", LAUNCHER])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start moto with {}: {e}", self.python.display()))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut line = String::new();
        let read = BufReader::new(stdout).read_line(&mut line);
        let port = match (read, line.trim().parse::<u16>()) {
            (Ok(_), Ok(port)) => port,
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("moto did not start (it said {:?})", line.trim()));
            }
        };
        let stdin = child.stdin.take();
        Ok(MotoServer { child, stdin, port })
    }
}

/// A running moto server; stopped when dropped.
#[derive(Debug)]
pub struct MotoServer {
    child: Child,
    /// Held open: the launcher exits when this closes.
    stdin: Option<ChildStdin>,
    port: u16,
}

impl MotoServer {
    /// The port it listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The endpoint URL to give the SDK.
    pub fn endpoint_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run(command: &mut Command, what: &str) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot {what}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "cannot {what}: {}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}
