//! A learner's whole path through stages 1 to 5 in the sandbox, in a terminal of
//! 80 columns and 24 lines: every step done by running the lessons' own AWS CLI
//! commands in a shell of their own (the confirmation link aside, which the guide
//! follows), then *Check my work*. The screens must show the line that points a
//! shell at the sandbox, the metric per period after the first read (an Average
//! below 1 beside a Sum of 1), the fix, and no line wider than the terminal; the
//! sandbox's mailbox must end up with the ALARM email.

use std::process::Command;

use lab::lesson::{LessonSource, Step, load};
use rexpect::ReadUntil;
use rexpect::session::PtySession;

use crate::sandbox::StartedSandbox;
use crate::support::build::EMAIL;
use crate::support::moto;

const DOWN: &str = "\x1b[B";
const ENTER: &str = "\r";

/// The guide in a pseudo-terminal, and everything it has shown so far.
struct Terminal {
    session: PtySession,
    /// rexpect reads bytes as Latin-1 characters: one `char` per byte.
    seen: String,
}

impl Terminal {
    fn keys(&mut self, text: &str) {
        self.session.send(text).unwrap();
        self.session.flush().unwrap();
    }

    fn expect(&mut self, text: &str) {
        let before = self
            .session
            .exp_string(text)
            .unwrap_or_else(|e| panic!("waiting for {text:?}: {e}\n{}", self.screens()));
        self.seen.push_str(&before);
        self.seen.push_str(text);
    }

    /// Waits for the first of `texts`; which one it was.
    fn expect_any(&mut self, texts: &[&str]) -> usize {
        let needles = texts
            .iter()
            .map(|t| ReadUntil::String(t.to_string()))
            .collect();
        let (before, found) = self
            .session
            .exp_any(needles)
            .unwrap_or_else(|e| panic!("waiting for {texts:?}: {e}\n{}", self.screens()));
        self.seen.push_str(&before);
        self.seen.push_str(&found);
        texts.iter().position(|t| *t == found).unwrap()
    }

    /// Moves `n` places down a menu and picks the item.
    fn pick(&mut self, n: usize) {
        self.keys(&format!("{}{ENTER}", DOWN.repeat(n)));
    }

    /// What was shown, as text: UTF-8 again, colours and cursor moves left out.
    fn screens(&self) -> String {
        let bytes: Vec<u8> = self.seen.chars().map(|c| c as u8).collect();
        console::strip_ansi_codes(&String::from_utf8_lossy(&bytes)).into_owned()
    }
}

/// Runs `step`'s commands, as the guide shows them in the sandbox, in a bash of the
/// learner's own: the AWS CLI on the PATH, the sandbox's line first.
fn run_commands(
    sandbox: &StartedSandbox,
    values: &std::collections::BTreeMap<String, String>,
    step: &Step,
    dir: &std::path::Path,
) {
    let cli = step
        .cli
        .as_ref()
        .expect("a step with commands")
        .render(values);
    let script = format!("set -euo pipefail\neval \"$(lab sandbox env)\"\n{cli}\n");
    let lab_command = sandbox.lab();
    let lab_dir = std::path::Path::new(env!("CARGO_BIN_EXE_lab"))
        .parent()
        .unwrap();
    let path = std::env::join_paths([lab_dir.to_path_buf(), moto::aws_cli()].into_iter().chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let mut bash = Command::new("bash");
    bash.env_clear();
    for (key, value) in lab_command.get_envs() {
        if let Some(value) = value {
            bash.env(key, value);
        }
    }
    let ran = bash
        .env("PATH", path)
        .args(["-c", &script])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        ran.status.success(),
        "step {}: the lessons' commands fail in the sandbox:\n{script}\n{}{}",
        step.id,
        String::from_utf8_lossy(&ran.stdout),
        String::from_utf8_lossy(&ran.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learner_walks_stages_one_to_five_by_the_cli_at_80_by_24() {
    let sandbox = StartedSandbox::start();
    let lab = load(&LessonSource::default()).unwrap();
    let session = crate::support::build::open_session(&lab, sandbox.aws()).await;
    let values = session.values.0.clone();
    let workdir = tempfile::tempdir().unwrap();

    let mut guide = sandbox.lab();
    guide
        .env("TERM", "xterm")
        .env("COLUMNS", "80")
        .env("LINES", "24");
    let program = guide.get_program().to_owned();
    let mut command = Command::new("bash");
    command.env_clear();
    for (key, value) in guide.get_envs() {
        if let Some(value) = value {
            command.env(key, value);
        }
    }
    let email = format!("email={EMAIL}");
    command
        .args(["-c", "stty cols 80 rows 24 && exec \"$0\" \"$@\""])
        .arg(program)
        .args(["run", "--sandbox", "--set", &email]);
    let mut terminal = Terminal {
        session: rexpect::session::spawn_command(command, Some(60_000)).expect("lab run starts"),
        seen: String::new(),
    };
    // At 24 lines the introduction's first part is held until Enter.
    terminal.expect("Press Enter for what it costs");
    terminal.keys(ENTER);
    terminal.expect("Start the lab here?");
    terminal.keys("y");
    terminal.expect("Bucket for the trail's log files");
    terminal.keys(ENTER);

    let stages: Vec<_> = lab.stages.iter().filter(|s| s.number <= 5).collect();
    let mut held = 0;
    for stage in &stages {
        for (n, step) in stage.steps.iter().enumerate() {
            // The step's heading: a stage's first is still to come; the others were
            // seen when the step before passed.
            if n == 0 {
                terminal.expect(&format!("Step {}.1", stage.number));
            }
            terminal.expect("? What next?");
            // The menu of a step not done yet starts: Check my work, Do it for me.
            if step.cli.is_some() {
                tokio::task::block_in_place(|| {
                    run_commands(&sandbox, &values, step, workdir.path())
                });
                terminal.pick(0);
            } else {
                terminal.pick(1);
            }
            let next = match stage.steps.get(n + 1) {
                Some(_) => format!("Step {}.{}", stage.number, n + 2),
                None => format!("Stage {} done", stage.number),
            };
            let mut found = terminal.expect_any(&["press Enter for", &next, "? What next?"]);
            let mut pauses = 0;
            while found == 0 {
                if pauses == 0 {
                    // The metric's numbers, held until the learner goes on: the
                    // table and the way on fit one 24-line screen together. What
                    // they mean, and the way on, come after.
                    let screens = terminal.screens();
                    let table = screens
                        .rfind("The metric `")
                        .unwrap_or_else(|| panic!("no numbers before the pause:\n{screens}"));
                    let lines = screens[table..]
                        .split(['\n', '\r'])
                        .filter(|l| !l.is_empty())
                        .count();
                    assert!(
                        lines <= 24,
                        "{lines} lines from the table to the pause:\n{}",
                        &screens[table..]
                    );
                    held += 1;
                }
                pauses += 1;
                terminal.keys(ENTER);
                found = terminal.expect_any(&["press Enter for", &next, "? What next?"]);
            }
            assert_ne!(
                found,
                2,
                "step {} did not pass:\n{}",
                step.id,
                terminal.screens()
            );
        }
    }
    assert!(
        held > 0,
        "the numbers after the read were held on the screen"
    );
    // On to stage 6, then quit: Check, Do it for me, Next hint, the console, Skip,
    // Back, Quit.
    terminal.expect("Step 6.1");
    terminal.expect("? What next?");
    terminal.pick(6);
    terminal.expect("Progress saved");
    terminal.session.exp_eof().unwrap();

    let screens = terminal.screens();
    assert!(
        screens.contains("eval \"$(lab sandbox env)\""),
        "the sandbox's line comes with the commands:\n{screens}"
    );
    assert!(
        !screens.contains("**"),
        "Markdown shown as written:\n{screens}"
    );
    // A line wider than the terminal would wrap mid-word. The one exception is a
    // line of commands holding a JSON key and a value that cannot be broken (an ARN):
    // nothing else on it could move to a line of its own.
    let too_wide: Vec<&str> = screens
        .split(['\n', '\r'])
        .filter(|line| {
            console::measure_text_width(line) > 80 && line.split_whitespace().count() > 2
        })
        .collect();
    assert!(
        too_wide.is_empty(),
        "wider than 80 columns:\n{}",
        too_wide.join("\n")
    );
    // After the first read: the metric per period, an Average below 1 and a Sum of 1.
    let after_read = &screens[screens.find("Step 5.2").expect("stage 5")..];
    let before_fix = &screens[screens.find("Step 5.1").unwrap()..screens.len() - after_read.len()];
    let periods: Vec<(f64, f64)> = before_fix
        .lines()
        .filter_map(|line| {
            let columns: Vec<&str> = line.split_whitespace().collect();
            let date_like = columns.first()?.len() == 10 && columns[0].as_bytes()[4] == b'-';
            (date_like && columns.len() >= 5)
                .then(|| Some((columns[3].parse().ok()?, columns[4].parse().ok()?)))
                .flatten()
        })
        .collect();
    assert!(
        periods
            .iter()
            .any(|(average, sum)| *average < 1.0 && *sum >= 1.0),
        "no period with an Average below 1 and a Sum of 1: {periods:?}\n{before_fix}"
    );
    assert!(
        before_fix.contains('│'),
        "the bars against the threshold:\n{before_fix}"
    );
    // The fix was shown as it is done.
    assert!(screens.contains("--statistic Sum"), "{screens}");
    let mail = sandbox.mail();
    assert!(
        mail.iter()
            .any(|m| m.to == EMAIL && m.subject.contains("ALARM")),
        "no ALARM email: {:?}",
        mail.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
}
