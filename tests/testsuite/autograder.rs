//! `lab autograder`: the autograders run as Gradescope and GitHub Classroom would
//! run them, against the sandbox. Gradescope's `run_autograder` in a temporary
//! `AUTOGRADER_ROOT`, its `results.json` checked against the results spec; the
//! Classroom workflow parsed, its tests' partition and points checked, and each
//! test's command run with only what the command grader gives it.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use serde_yaml_ng::Value as Yaml;

use crate::sandbox::StartedSandbox;
use crate::support::faults::{Fault, Proxy};
use crate::support::{Ran, run};

const ACCOUNT: &str = "123456789012";

fn auto_through(sandbox: &StartedSandbox, stage: &str) {
    let ran = run(sandbox.lab().args([
        "run",
        "--sandbox",
        "--auto",
        "--set",
        "email=learner@example.com",
        "--through",
        stage,
    ]));
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
}

/// What `lab check --format json` scores the sandbox's account.
fn score(sandbox: &StartedSandbox, args: &[&str]) -> Value {
    let ran = run(sandbox
        .lab()
        .args(["check", "--sandbox", "--format", "json"])
        .args(args));
    let report: Value = serde_json::from_str(&ran.stdout).unwrap();
    report["score"].clone()
}

/// A Gradescope container's `/autograder`, in a temporary folder.
struct Container {
    root: tempfile::TempDir,
}

impl Container {
    /// The autograder `lab autograder gradescope` writes, unpacked into `source/`,
    /// with the grader's credentials filled in as the instructor would.
    fn new(sandbox: &StartedSandbox, endpoint: &str) -> Container {
        let root = tempfile::tempdir().unwrap();
        let source = root.path().join("source");
        let ran = run(sandbox.lab().args([
            "autograder",
            "gradescope",
            "--out",
            source.to_str().unwrap(),
            "--role-name",
            "LabGrader",
            "--external-id",
            "class-42",
            "--region",
            "us-east-1",
            "--lab-binary",
            env!("CARGO_BIN_EXE_lab"),
        ]));
        assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
        let env = std::fs::read_to_string(source.join("grader.env")).unwrap();
        // Filled in on Windows, say: lines end in two characters.
        let filled = (env
            .replace("AWS_ACCESS_KEY_ID=\n", "AWS_ACCESS_KEY_ID=LABSANDBOXKEY\n")
            .replace(
                "AWS_SECRET_ACCESS_KEY=\n",
                "AWS_SECRET_ACCESS_KEY=sandbox\n",
            )
            + &format!("AWS_ENDPOINT_URL={endpoint}\n"))
            .replace('\n', "\r\n");
        std::fs::write(source.join("grader.env"), filled).unwrap();
        std::fs::create_dir_all(root.path().join("submission")).unwrap();
        for script in ["setup.sh", "run_autograder"] {
            let ran = run(Command::new("bash").arg("-n").arg(source.join(script)));
            assert_eq!(ran.code, 0, "{script} parses: {}", ran.stderr);
        }
        Container { root }
    }

    fn submit(&self, account_txt: Option<&str>) {
        let path = self.root.path().join("submission/account.txt");
        let _ = std::fs::remove_file(&path);
        if let Some(text) = account_txt {
            std::fs::write(path, text).unwrap();
        }
    }

    /// Runs `run_autograder` as Gradescope does: from `/autograder`, with a bare
    /// environment.
    fn run_autograder(&self) -> (Ran, Option<Value>) {
        let ran = run(Command::new(self.root.path().join("source/run_autograder"))
            .current_dir(self.root.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.root.path())
            .env("NO_COLOR", "1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AUTOGRADER_ROOT", self.root.path()));
        let results = std::fs::read_to_string(self.root.path().join("results/results.json"))
            .ok()
            .map(|text| serde_json::from_str(&text).unwrap());
        (ran, results)
    }
}

#[test]
fn the_gradescope_autograder_grades_the_submitted_account() {
    let sandbox = StartedSandbox::start();
    auto_through(&sandbox, "5");
    let expected = score(&sandbox, &[]);
    let container = Container::new(&sandbox, &sandbox.url());

    container.submit(Some(&format!("My AWS account: {}\n", "1234-5678-9012")));
    let (ran, results) = container.run_autograder();
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    let results = results.expect("results.json");
    crate::support::gradescope::assert_valid(&results);
    // The moto account behind the sandbox is the one submitted.
    assert_eq!(results["extra_data"]["account"], ACCOUNT);
    assert_eq!(results["score"], expected["earned"], "{results:#}");
    let tests = results["tests"].as_array().unwrap();
    let points: f64 = tests.iter().map(|t| t["max_score"].as_f64().unwrap()).sum();
    assert_eq!(points, expected["possible"].as_f64().unwrap());
    assert!(tests.iter().all(|t| t["status"] == "passed"), "{results:#}");

    // No account id: a failing result that says what to submit, still valid.
    container.submit(Some("my account id is TODO\n"));
    let (ran, results) = container.run_autograder();
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    let results = results.expect("results.json");
    crate::support::gradescope::assert_valid(&results);
    assert_eq!(results["score"], 0);
    let said = results["tests"][0]["output"].as_str().unwrap();
    assert!(said.contains("no 12-digit AWS account id"), "{said}");
    assert_eq!(results["tests"][0]["visibility"], "visible");
    container.submit(None);
    let (_, results) = container.run_autograder();
    let said = results.expect("results.json")["output"].to_string();
    assert!(said.contains("has no account.txt"), "{said}");
}

#[test]
fn a_gradescope_run_that_cannot_finish_records_no_score_and_a_rerun_grades() {
    let sandbox = StartedSandbox::start();
    auto_through(&sandbox, "1");
    let proxy = Proxy::start(&sandbox.url(), Fault::Throttle);
    let container = Container::new(&sandbox, proxy.url());
    container.submit(Some(ACCOUNT));
    let (ran, results) = container.run_autograder();
    assert_eq!(ran.code, 1, "the run fails: {}", ran.stdout);
    assert!(
        results.is_none(),
        "no results.json, so no score: {results:?}"
    );
    assert!(
        ran.stdout.contains("no score is recorded"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout.to_lowercase().contains("throttl"),
        "the cause is named: {}",
        ran.stdout
    );
    // Once AWS stops throttling, grading the submission again grades it.
    proxy.set(Fault::Pass);
    let (ran, results) = container.run_autograder();
    assert_eq!(ran.code, 0, "{}", ran.stdout);
    let results = results.expect("results.json");
    crate::support::gradescope::assert_valid(&results);
    assert_eq!(results["extra_data"]["complete"], true, "{results:#}");
    assert_eq!(results["tests"][0]["status"], "passed", "stage 1 was built");
}

/// The workflow `lab autograder classroom` writes, parsed.
fn workflow(sandbox: &StartedSandbox, dir: &Path) -> Yaml {
    // A stand-in for the Linux build the workflow downloads: only its SHA-256 is used.
    let mut elf = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0];
    elf.resize(18, 0);
    elf.extend([0x3e, 0, 1, 0]);
    let binary = dir.join("lab-linux");
    std::fs::write(&binary, &elf).unwrap();
    let out = dir.join("classroom.yml");
    let ran = run(sandbox.lab().args([
        "autograder",
        "classroom",
        "--out",
        out.to_str().unwrap(),
        "--lab-url",
        "https://example.edu/course/lab",
        "--lab-binary",
        binary.to_str().unwrap(),
        "--region",
        "us-east-1",
        "--role-name",
        "LabGrader",
    ]));
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    serde_yaml_ng::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

/// A test of the workflow: its step id, command and max-score.
struct GradedTest {
    id: String,
    command: String,
    max_score: u64,
}

fn graded_tests(workflow: &Yaml) -> (Vec<GradedTest>, Vec<&Yaml>) {
    let steps = workflow["jobs"]["run-autograding-tests"]["steps"]
        .as_sequence()
        .expect("steps");
    let tests = steps
        .iter()
        .filter(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("classroom-resources/autograding-command-grader@"))
        })
        .map(|s| {
            let with = &s["with"];
            assert!(
                with["test-name"].as_str().is_some_and(|n| !n.is_empty()),
                "{s:?}"
            );
            assert!(
                with["timeout"]
                    .as_u64()
                    .is_some_and(|t| (1..=60).contains(&t)),
                "{s:?}"
            );
            GradedTest {
                id: s["id"].as_str().expect("an id").to_string(),
                command: with["command"].as_str().expect("a command").to_string(),
                max_score: with["max-score"].as_u64().expect("a max-score"),
            }
        })
        .collect();
    (tests, steps.iter().collect())
}

#[test]
fn the_classroom_workflow_partitions_the_lab_and_grades_as_lab_check_does() {
    let sandbox = StartedSandbox::start();
    auto_through(&sandbox, "3");
    let dir = tempfile::tempdir().unwrap();
    let workflow = workflow(&sandbox, dir.path());
    let (tests, steps) = graded_tests(&workflow);
    assert_eq!(tests.len(), 5, "one test per stage of the lab as built");

    // Each check in exactly one test; the max-scores add up to the lab's points.
    let mut checks: Vec<&str> = tests
        .iter()
        .flat_map(|t| {
            t.command
                .split(" --check ")
                .skip(1)
                .map(|c| c.split(' ').next().unwrap())
        })
        .collect();
    let count = checks.len();
    checks.sort_unstable();
    checks.dedup();
    assert_eq!(checks.len(), count, "no check in two tests: {checks:?}");
    let whole = score(&sandbox, &[]);
    let total: u64 = tests.iter().map(|t| t.max_score).sum();
    assert_eq!(
        total,
        whole["possible"].as_u64().unwrap() + whole["not_graded"].as_u64().unwrap()
    );
    assert_eq!(count, 17, "every check of stages 1 to 5");

    // The reporter reads every test's result, by the name it looks up.
    let reporter = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("classroom-resources/autograding-grading-reporter@"))
        })
        .expect("the reporter");
    let runners: Vec<&str> = reporter["with"]["runners"]
        .as_str()
        .unwrap()
        .split(',')
        .collect();
    assert_eq!(
        runners,
        tests.iter().map(|t| t.id.as_str()).collect::<Vec<_>>()
    );
    for id in &runners {
        let value = reporter["env"][format!("{}_RESULTS", id.to_uppercase()).as_str()]
            .as_str()
            .unwrap_or_else(|| panic!("{id} has no results variable"));
        assert_eq!(value, format!("${{{{ steps.{id}.outputs.result }}}}"));
    }

    // Run as the runner would: the credentials step's script, then each command
    // with only PATH and HOME (what the command grader passes on), in a checkout
    // holding account.txt. The sandbox's address is the one thing added.
    let home = dir.path().join("home");
    let checkout = dir.path().join("checkout");
    std::fs::create_dir_all(home.join(".local/bin")).unwrap();
    std::fs::create_dir_all(&checkout).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_lab"), home.join(".local/bin/lab")).unwrap();
    std::fs::write(checkout.join("account.txt"), format!("{ACCOUNT}\n")).unwrap();
    let credentials = steps
        .iter()
        .find(|s| s["env"]["KEY_ID"].is_string())
        .expect("the credentials step");
    let ran = run(Command::new("bash")
        .args(["-e", "-c", credentials["run"].as_str().unwrap()])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("KEY_ID", "LABSANDBOXKEY")
        .env("SECRET_KEY", "sandbox"));
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    let mut earned = 0;
    for test in &tests {
        let ran = run(Command::new("sh")
            .args(["-c", &test.command])
            .current_dir(&checkout)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &home)
            .env("AWS_ENDPOINT_URL", sandbox.url())
            .env("AWS_EC2_METADATA_DISABLED", "true"));
        assert!(
            matches!(ran.code, 0 | 1),
            "{}: {}{}",
            test.id,
            ran.stdout,
            ran.stderr
        );
        if ran.code == 0 {
            earned += test.max_score;
        }
    }
    // Through stage 3, stages 1 to 3 pass whole and 4 and 5 fail: the tests award
    // what lab check does.
    assert_eq!(earned, whole["earned"].as_u64().unwrap(), "{whole}");
    assert_eq!(earned, 9);

    // A stage lab cannot grade (AWS unreachable) fails its test and marks the run;
    // the step before the reporter then stops it, so no points are posted.
    let stop = steps
        .iter()
        .position(|s| s["name"].as_str().is_some_and(|n| n.starts_with("Stop if")))
        .expect("a step that stops before the reporter");
    let reporter_at = steps
        .iter()
        .position(|s| s["name"] == "Autograding Reporter")
        .unwrap();
    assert!(stop < reporter_at, "it comes before the reporter");
    let stop_script = steps[stop]["run"].as_str().unwrap();
    let stopped = |home: &Path| {
        run(Command::new("bash")
            .args(["-e", "-c", stop_script])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home))
    };
    assert_eq!(stopped(&home).code, 0, "everything was graded");
    let ran = run(Command::new("sh")
        .args(["-c", &tests[0].command])
        .current_dir(&checkout)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .env("AWS_EC2_METADATA_DISABLED", "true"));
    assert_eq!(ran.code, 2, "{}{}", ran.stdout, ran.stderr);
    let ran = stopped(&home);
    assert_eq!(ran.code, 1, "the run stops: {}{}", ran.stdout, ran.stderr);
    assert!(
        ran.stdout.contains("no points are reported"),
        "{}",
        ran.stdout
    );
}

/// An autograder asked for with bad values is refused before anything is written.
#[test]
fn an_autograder_with_values_aws_would_refuse_is_not_written() {
    let home = tempfile::tempdir().unwrap();
    let out: PathBuf = home.path().join("ag");
    let text_file = home.path().join("lab.txt");
    std::fs::write(&text_file, "not a program").unwrap();
    for (args, said) in [
        (
            vec!["--role-name", "Lab Grader", "--region", "us-east-1"],
            "not an IAM role name",
        ),
        (
            vec![
                "--role-name",
                "LabGrader",
                "--external-id",
                "$(id)",
                "--region",
                "us-east-1",
            ],
            "not an external id",
        ),
        (vec!["--role-name", "LabGrader"], "needs the region"),
        (vec!["--region", "us-east-1"], "--role-name"),
        (
            vec![
                "--role-name",
                "LabGrader",
                "--region",
                "us-east-1",
                "--lab-binary",
                text_file.to_str().unwrap(),
            ],
            "not a Linux x86-64 executable",
        ),
    ] {
        let ran = run(crate::support::lab(home.path())
            .args(["autograder", "gradescope", "--out", out.to_str().unwrap()])
            .args(&args));
        assert_eq!(ran.code, 2, "{args:?}: {}{}", ran.stdout, ran.stderr);
        assert!(ran.stderr.contains(said), "{args:?}: {}", ran.stderr);
        assert!(!out.exists(), "{args:?} wrote nothing");
    }
}
