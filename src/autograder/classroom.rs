//! A GitHub Classroom workflow: one test per stage for the command grader
//! (`classroom-resources/autograding-command-grader`), then its reporter.
//!
//! Each test is `lab check` on the checks its stage introduces (`--check`), so the
//! tests partition the lab: every check counts in exactly one test, and the tests'
//! `max-score`s add up to the lab's points. The command grader passes a test on exit
//! code 0 and runs its command with only `PATH` and `HOME` from the environment (not
//! the step's `env:`), so a step before the tests writes the grader's credentials to
//! `~/.aws/credentials`, and each test names its region. A check `lab` could not
//! judge fails its stage's test, as any non-zero exit does, and leaves a mark: the
//! step before the reporter then fails the run, so no points are posted for it.

use super::{Grading, shell_quote};
use crate::error::AutograderError;
use crate::grading::requests;
use crate::lesson::{Lab, Stage};

/// The command grader's action, and the reporter's.
const GRADER: &str = "classroom-resources/autograding-command-grader@v1";
const REPORTER: &str = "classroom-resources/autograding-grading-reporter@v1";

/// Where the workflow installs lab on the runner.
const LAB: &str = "$HOME/.local/bin/lab";

/// The mark a test leaves when lab could not grade every check of its stage.
const NOT_GRADED: &str = "$HOME/.lab-not-graded";

/// One test of the workflow: a stage's own checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Test {
    /// The step id (`stage-3`).
    pub id: String,
    /// The test's name (`Stage 3 · Turn trail records into a metric`).
    pub name: String,
    /// The stage.
    pub stage: u8,
    /// The checks it grades, each in no other test.
    pub checks: Vec<String>,
    /// Their points.
    pub max_score: u32,
}

/// The tests for `stages`: one per stage that introduces checks.
pub fn tests(lab: &Lab, stages: &[&Stage]) -> Vec<Test> {
    let requests = requests(lab, stages);
    stages
        .iter()
        .filter_map(|stage| {
            let checks: Vec<String> = requests
                .iter()
                .filter(|r| r.stage == stage.number)
                .map(|r| r.spec.id.to_string())
                .collect();
            (!checks.is_empty()).then(|| Test {
                id: format!("stage-{}", stage.number),
                name: format!("Stage {} · {}", stage.number, stage.title),
                stage: stage.number,
                max_score: checks.iter().map(|id| lab.points(id)).sum(),
                checks,
            })
        })
        .collect()
}

/// Where lab comes from on the runner: a URL, checked against a SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    /// The URL of the Linux x86-64 build.
    pub url: String,
    /// Its SHA-256, in hex.
    pub sha256: String,
}

impl Download {
    /// Refused unless `url` is HTTPS and plain enough to sit in a shell line.
    pub fn new(url: &str, sha256: String) -> Result<Download, crate::Error> {
        // Any printable URL: the workflow quotes it for the shell.
        let rest = url.strip_prefix("https://").unwrap_or_default();
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if rest.is_empty() || host.is_empty() || !url.chars().all(|c| c.is_ascii_graphic()) {
            return Err(AutograderError::NotHttps { url: url.into() }.into());
        }
        // The workflow is in every student's repository: no password in it.
        if host.contains('@') {
            return Err(AutograderError::UrlCredentials { url: url.into() }.into());
        }
        Ok(Download {
            url: url.into(),
            sha256,
        })
    }
}

/// The workflow, as YAML text.
pub fn workflow(
    lab: &Lab,
    stages: &[&Stage],
    grading: &Grading,
    lab_from: &Download,
    minutes: u16,
) -> String {
    let tests = tests(lab, stages);
    let total: u32 = tests.iter().map(|t| t.max_score).sum();
    let mut out = format!(
        r#"# GitHub Classroom autograding for "{title}": one test per stage, {total} points.
# Written by `lab autograder classroom` (lab {version}).
#
# Each student's repository holds account.txt with their 12-digit AWS account id.
# lab assumes the role {role} there with the course's grader credentials: the
# organization secrets LAB_GRADER_AWS_ACCESS_KEY_ID and
# LAB_GRADER_AWS_SECRET_ACCESS_KEY, shared with the assignment's repositories.
# Students can edit this workflow, so they can reach what it can: give the grader
# credentials nothing but sts:AssumeRole on {role}, and that role nothing but reads.
name: Autograding Tests
"on":
  - push
  - repository_dispatch
  - workflow_dispatch
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
      - name: Install lab
        run: |
          mkdir -p "$HOME/.local/bin"
          curl --fail --silent --show-error --location --retry 3 --max-time 300 \
            --output "{lab_path}" {url}
          echo "{sha}  {lab_path}" | sha256sum --check --strict -
          chmod 755 "{lab_path}"
          "{lab_path}" --version
      # The command grader runs each test with only PATH and HOME from the
      # environment, so the credentials go where the AWS SDK finds them by HOME.
      - name: Give lab the grader's credentials
        env:
          KEY_ID: ${{{{ secrets.LAB_GRADER_AWS_ACCESS_KEY_ID }}}}
          SECRET_KEY: ${{{{ secrets.LAB_GRADER_AWS_SECRET_ACCESS_KEY }}}}
        run: |
          if [ -z "$KEY_ID" ] || [ -z "$SECRET_KEY" ]; then
            echo "::error::The organization secrets LAB_GRADER_AWS_ACCESS_KEY_ID and LAB_GRADER_AWS_SECRET_ACCESS_KEY are not set, or not shared with this repository"
            exit 1
          fi
          umask 077
          mkdir -p "$HOME/.aws"
          printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
            "$KEY_ID" "$SECRET_KEY" > "$HOME/.aws/credentials"
"#,
        title = lab.title,
        version = crate::report::LAB_VERSION,
        role = grading.role_name,
        lab_path = LAB,
        url = shell_quote(&lab_from.url),
        sha = lab_from.sha256,
    );
    for test in &tests {
        out.push_str(&format!(
            r#"      - name: {name}
        id: {id}
        uses: {GRADER}
        with:
          test-name: {name}
          command: {command}
          timeout: {minutes}
          max-score: {max_score}
"#,
            name = yaml_string(&test.name),
            id = test.id,
            command = yaml_string(&command(grading, test)),
            max_score = test.max_score,
        ));
    }
    // A check lab could not judge is not a zero: the command grader would count its
    // stage as failed, so the run stops before the reporter and posts no points.
    out.push_str(&format!(
        r#"      - name: Stop if lab could not grade every check
        run: |
          if [ -e "{NOT_GRADED}" ]; then
            echo "::error::lab could not grade every check (the tests' logs say why): no points are reported for this run. Re-run the jobs once the cause is fixed."
            exit 1
          fi
"#
    ));
    out.push_str(&format!(
        "      - name: Autograding Reporter\n        uses: {REPORTER}\n        env:\n"
    ));
    for test in &tests {
        out.push_str(&format!(
            "          {}_RESULTS: \"${{{{ steps.{}.outputs.result }}}}\"\n",
            test.id.to_uppercase(),
            test.id
        ));
    }
    let runners: Vec<&str> = tests.iter().map(|t| t.id.as_str()).collect();
    out.push_str(&format!(
        "        with:\n          runners: {}\n",
        runners.join(",")
    ));
    out
}

/// The command of `test`: `lab check` on its stage, reporting its checks only.
fn command(grading: &Grading, test: &Test) -> String {
    let mut words = vec![
        format!("\"{LAB}\""),
        "check".into(),
        "--account-file".into(),
        "account.txt".into(),
    ];
    for (flag, value) in grading.check_options() {
        words.extend([flag.to_string(), shell_quote(&value)]);
    }
    words.extend(["--region".into(), shell_quote(&grading.region)]);
    words.extend(["--stage".into(), test.stage.to_string()]);
    for check in &test.checks {
        words.extend(["--check".into(), shell_quote(check)]);
    }
    // Exit code 2 (not all graded) leaves the mark the step before the reporter
    // looks for; the test fails either way.
    format!(
        "{} || {{ status=$?; [ \"$status\" -ne 2 ] || touch \"{NOT_GRADED}\"; exit \"$status\"; }}",
        words.join(" ")
    )
}

/// `text` as a YAML double-quoted scalar (JSON's string syntax is YAML's).
fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::{LessonSource, load};

    #[test]
    fn the_tests_partition_the_lab_and_its_points() {
        let lab = load(&LessonSource::default()).unwrap();
        for all in [false, true] {
            let stages = lab.chosen_stages(&[], all).unwrap();
            let tests = tests(&lab, &stages);
            let mut counted: Vec<&str> = tests
                .iter()
                .flat_map(|t| t.checks.iter().map(String::as_str))
                .collect();
            let total: u32 = tests.iter().map(|t| t.max_score).sum();
            let in_scope: Vec<String> = requests(&lab, &stages)
                .iter()
                .map(|r| r.spec.id.to_string())
                .collect();
            assert_eq!(counted.len(), in_scope.len(), "each check in one test");
            counted.sort_unstable();
            counted.dedup();
            assert_eq!(counted.len(), in_scope.len(), "no check in two tests");
            assert_eq!(total, in_scope.iter().map(|id| lab.points(id)).sum::<u32>());
        }
    }
}
