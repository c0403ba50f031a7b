//! The command line, as clap definitions. Parsing only: [`crate::commands`] does the work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::variables::parse_assignment;

/// Learn, build and grade AWS security labs on one chain: CloudTrail → CloudWatch Logs →
/// metric filter → alarm → SNS email (`lab labs` lists them; the default watches reads
/// of a secret in Secrets Manager).
#[derive(Debug, Parser)]
#[command(name = "lab", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Options every command shares.
    #[command(flatten)]
    pub global: GlobalOptions,
}

/// Options every command shares.
#[derive(Debug, Args)]
pub struct GlobalOptions {
    /// AWS profile to use (default: AWS_PROFILE, then `default`).
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// AWS region to use (default: AWS_REGION, then the profile's region).
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,
    /// Send every AWS call to this endpoint instead, e.g. a local emulator
    /// (default: AWS_ENDPOINT_URL).
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// The built-in lab to work on (`lab labs` lists them; default: LAB_ID, else
    /// secrets-access-monitoring).
    #[arg(long, global = true, value_name = "ID")]
    pub lab: Option<String>,
    /// Read lessons from this folder instead of a built-in lab (for lesson authors).
    #[arg(long, global = true, value_name = "DIR", conflicts_with = "lab")]
    pub lessons: Option<PathBuf>,
    /// Override a lab variable, e.g. `--set email=me@example.com`; repeatable.
    #[arg(long = "set", global = true, value_name = "NAME=VALUE", value_parser = parse_assignment)]
    pub set: Vec<(String, String)>,
    /// Work in the local sandbox (moto behind lab's front) instead of AWS; starts
    /// one if none is running. See `lab sandbox`.
    #[arg(long, global = true, conflicts_with_all = ["profile", "endpoint_url"])]
    pub sandbox: bool,
    /// The longest one AWS call may take, retries included, in seconds (default 60).
    #[arg(long, global = true, value_name = "SECS", value_parser = clap::value_parser!(u16).range(1..=3600))]
    pub timeout: Option<u16>,
    /// Say more about what is happening (-v, -vv, -vvv).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Walk through the lab stage by stage: read, do it yourself or let lab do it, check.
    Run(RunArgs),
    /// Grade the account: check each stage and report pass/fail (read-only).
    Check(CheckArgs),
    /// Show your progress: the stages done and the next step.
    Status,
    /// Forget your progress in this account and region (your AWS resources stay).
    Reset,
    /// Delete what the lab created (a dry run unless you confirm).
    Cleanup(CleanupArgs),
    /// Render the handbook (an mdbook) from the lessons.
    Book(BookArgs),
    /// Show the account, identity and region lab would use, and the lab's resource names there.
    Whoami,
    /// List the built-in labs: choose one with --lab ID.
    Labs,
    /// Work on lesson files.
    #[command(subcommand)]
    Lessons(LessonsCommand),
    /// The local sandbox: the whole lab on this machine, no AWS account needed.
    #[command(subcommand)]
    Sandbox(SandboxCommand),
    /// Write an autograder that runs `lab check` for each student: for Gradescope,
    /// or a GitHub Classroom workflow.
    #[command(subcommand)]
    Autograder(AutograderCommand),
}

/// `lab autograder`.
#[derive(Debug, Subcommand)]
pub enum AutograderCommand {
    /// A Gradescope autograder folder (setup.sh, run_autograder, this lab, a README):
    /// each submission's account.txt names the student's account, graded through a
    /// role assumed there with the course's grader credentials.
    Gradescope(GradescopeAutograderArgs),
    /// A GitHub Classroom workflow: one test per stage for the command grader, the
    /// points as the lab weighs them, and the reporter.
    Classroom(ClassroomAutograderArgs),
}

/// What every autograder needs: whom it grades, where, and how.
#[derive(Debug, Args)]
pub struct AutograderArgs {
    /// The role the grader assumes in each student's account: one that may only
    /// read (not OrganizationAccountAccessRole, which may do anything).
    #[arg(long, value_name = "NAME")]
    pub role_name: String,
    /// The external id that role requires, if any.
    #[arg(long, value_name = "ID")]
    pub external_id: Option<String>,
    /// Grade every stage, cleanup included (default: stages 1 to 5).
    #[arg(long)]
    pub all: bool,
    /// The Linux x86-64 build of lab the autograder runs (default: this one, when
    /// it is one).
    #[arg(long, value_name = "PATH")]
    pub lab_binary: Option<PathBuf>,
}

/// `lab autograder gradescope`.
#[derive(Debug, Args)]
pub struct GradescopeAutograderArgs {
    /// The folder to write (zip its contents, not the folder, to upload).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// As for every autograder.
    #[command(flatten)]
    pub common: AutograderArgs,
    /// Who sees the results in Gradescope.
    #[arg(long, value_enum, value_name = "WHO", default_value = "visible")]
    pub gradescope_visibility: GradescopeVisibility,
}

/// `lab autograder classroom`.
#[derive(Debug, Args)]
pub struct ClassroomAutograderArgs {
    /// The workflow file to write (in the template repository:
    /// `.github/workflows/classroom.yml`).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Where the workflow downloads lab from (for example a release asset of your
    /// course's repository); it checks the download against --lab-binary's SHA-256.
    #[arg(long, value_name = "URL")]
    pub lab_url: String,
    /// As for every autograder.
    #[command(flatten)]
    pub common: AutograderArgs,
    /// Minutes each stage's test may take.
    #[arg(long, value_name = "MINUTES", default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=60))]
    pub test_timeout: u16,
}

/// `lab sandbox`.
#[derive(Debug, Subcommand)]
pub enum SandboxCommand {
    /// Start the sandbox in the background (moto behind lab's front, on loopback).
    Start(SandboxStartArgs),
    /// Stop it; everything in it is gone.
    Stop,
    /// Say whether it runs, where, and what it has recorded and delivered.
    Status,
    /// Print the variables that point the AWS CLI at it: `eval "$(lab sandbox env)"`.
    Env(SandboxEnvArgs),
    /// Show the email SNS has sent (confirmation requests, alarms, notifications).
    Mail(SandboxMailArgs),
    /// Confirm every email subscription waiting for it, as a click on its link would.
    Confirm,
    /// Move the sandbox's clock forward (e.g. `5m`, `90s`, `1h`): CloudTrail delivers
    /// and alarms are evaluated as that time passes, so nothing needs waiting for.
    Advance(SandboxAdvanceArgs),
    /// Run the sandbox in this process (what `start` runs in the background).
    #[command(hide = true)]
    Serve(SandboxServeArgs),
}

/// `lab sandbox env`.
#[derive(Debug, Clone, Args)]
pub struct SandboxEnvArgs {
    /// Act as someone else: `root` (the account's root user), `user/NAME` or
    /// `role/NAME`. CloudTrail records the calls made with these credentials as that
    /// identity, in event history and in the log group.
    #[arg(long = "as", value_name = "IDENTITY", value_parser = |text: &str| text.parse::<sandbox::identities::Identity>())]
    pub as_identity: Option<sandbox::identities::Identity>,
    /// With `--as`: make the calls as the AWS service SERVICE makes them for that
    /// identity (e.g. cloudformation.amazonaws.com). CloudTrail records them with
    /// `userIdentity.invokedBy` SERVICE.
    #[arg(long, value_name = "SERVICE", requires = "as_identity", value_parser = sandbox::identities::service)]
    pub via: Option<String>,
}

/// `lab sandbox start`.
#[derive(Debug, Clone, Args)]
pub struct SandboxStartArgs {
    /// The front's port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Seconds CloudTrail waits before delivering events (AWS: about 300).
    #[arg(long, value_name = "SECONDS", default_value = "5", value_parser = parse_seconds)]
    pub delivery_delay: std::time::Duration,
    /// Seconds between alarm evaluations (AWS: 60).
    #[arg(long, value_name = "SECONDS", default_value = "5", value_parser = parse_seconds)]
    pub evaluation_interval: std::time::Duration,
}

/// `lab sandbox advance`.
#[derive(Debug, Args)]
pub struct SandboxAdvanceArgs {
    /// How far: a number with `s`, `m` or `h` (seconds if none), up to `1h`.
    #[arg(value_name = "DURATION", value_parser = parse_span)]
    pub by: std::time::Duration,
}

/// `lab sandbox mail`.
#[derive(Debug, Args)]
pub struct SandboxMailArgs {
    /// Only mail to this address.
    #[arg(long, value_name = "ADDRESS")]
    pub to: Option<String>,
    /// Only the last N messages.
    #[arg(long, value_name = "N")]
    pub last: Option<usize>,
    /// As JSON, for programs (with --follow, one message per line).
    #[arg(long)]
    pub json: bool,
    /// Keep watching: show new mail as it arrives, until Ctrl-C.
    #[arg(long, short)]
    pub follow: bool,
}

/// `lab sandbox serve`.
#[derive(Debug, Args)]
pub struct SandboxServeArgs {
    /// The sandbox's folder.
    #[arg(long)]
    pub dir: PathBuf,
    /// The Python that has moto.
    #[arg(long)]
    pub python: PathBuf,
    /// As for `start`.
    #[command(flatten)]
    pub start: SandboxStartArgs,
}

fn parse_seconds(text: &str) -> Result<std::time::Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !(0.0..=3600.0).contains(&seconds) {
        return Err(format!("{seconds} is not between 0 and 3600 seconds"));
    }
    Ok(std::time::Duration::from_secs_f64(seconds))
}

/// A span of time: `90`, `90s`, `5m`, `0.5h`; at most an hour.
fn parse_span(text: &str) -> Result<std::time::Duration, String> {
    let (number, unit) = match text.trim().char_indices().last() {
        Some((at, 's')) => (&text[..at], 1.0),
        Some((at, 'm')) => (&text[..at], 60.0),
        Some((at, 'h')) => (&text[..at], 3600.0),
        _ => (text, 1.0),
    };
    let amount: f64 = number.trim().parse().map_err(|_| {
        format!("`{text}` is not a span of time like `90s`, `5m` or `1h` (up to 1h)")
    })?;
    let seconds = amount * unit;
    if !(0.0..=3600.0).contains(&seconds) {
        return Err(format!("`{text}` is not between 0 and 1h"));
    }
    Ok(std::time::Duration::from_secs_f64(seconds))
}

/// `lab run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Start at this stage (number or id).
    #[arg(long, value_name = "STAGE")]
    pub stage: Option<String>,
    /// Do and check every step without asking (no terminal needed).
    #[arg(long)]
    pub auto: bool,
    /// With --auto: stop after this stage (number or id).
    #[arg(long, value_name = "STAGE", requires = "auto")]
    pub through: Option<String>,
    /// Longest wait for AWS to show a step's result, in seconds (default: 900; 30
    /// with a custom endpoint, where a plain emulator may never show it).
    #[arg(long, value_name = "SECONDS")]
    pub wait_timeout: Option<u64>,
}

/// `lab check`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("elsewhere").args(["roster", "account", "account_file"])))]
pub struct CheckArgs {
    /// Check only these stages (number or id); repeatable. Default: stages 1 to 5.
    #[arg(long, value_name = "STAGE")]
    pub stage: Vec<String>,
    /// Check every stage, cleanup included.
    #[arg(long, conflicts_with = "stage")]
    pub all: bool,
    /// Report only these checks (ids, as `lab check` shows them); repeatable. Their
    /// stages are read as `--stage` reads them, so their prerequisites are judged.
    #[arg(long = "check", value_name = "ID", conflicts_with = "all")]
    pub checks: Vec<String>,
    /// Check one step, as the guide's *Check my work* does: its checks, as it names
    /// them (`2.1`, or the step's id).
    #[arg(long, value_name = "STEP", conflicts_with_all = ["all", "stage", "checks"])]
    pub step: Option<String>,
    /// Grade this account, through a role assumed there (`--role-name`), rather
    /// than the one the credentials are in: what an autograder does for a student.
    #[arg(long, value_name = "ACCOUNT_ID")]
    pub account: Option<String>,
    /// Like --account, with the account id read from this file: its first 12-digit
    /// number (`1234-5678-9012` as the console shows it is fine). A file without
    /// one is a failing grade that says what to submit.
    #[arg(long, value_name = "FILE", conflicts_with = "account")]
    pub account_file: Option<PathBuf>,
    /// How to report.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to this file instead of standard output (with `--roster`
    /// and `--format gradescope`, a folder: one `results.json` per student).
    #[arg(long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Print the JSON Schema of `--format json` (one account; a class's gradebook is
    /// an array of the same records) and exit.
    #[arg(long)]
    pub json_schema: bool,
    /// Also ask CloudWatch's TestMetricFilter to confirm lab's verdicts on filter
    /// patterns. Off by default: CloudTrail records that call with sample records
    /// holding `GetSecretValue`, which the learner's own filter then counts.
    #[arg(long)]
    pub confirm_patterns: bool,
    /// With `--format gradescope`: who sees the results.
    #[arg(long, value_enum, value_name = "WHO", default_value = "visible")]
    pub gradescope_visibility: GradescopeVisibility,
    /// With `--format gradescope`: how Gradescope renders the messages.
    #[arg(long, value_enum, value_name = "FORMAT", default_value = "md")]
    pub gradescope_text: GradescopeText,
    /// Grade a whole class: a CSV file with student, account_id, and optionally
    /// region, role_arn and columns of your own (passed through to the gradebook).
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    /// With --roster, --account or --account-file: the role to assume in each
    /// account (unless the roster names one).
    #[arg(
        long,
        value_name = "NAME",
        default_value = DEFAULT_ROLE_NAME,
        requires = "elsewhere"
    )]
    pub role_name: String,
    /// With --roster, --account or --account-file: the external id the roles
    /// require, if any.
    #[arg(long, value_name = "ID", requires = "elsewhere")]
    pub external_id: Option<String>,
    /// With --roster: how many accounts to grade at once.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64), requires = "roster")]
    pub concurrency: u16,
    /// With --roster, in csv, canvas and moodle: the grade column's name, the
    /// assignment as your LMS knows it (Canvas matches `Name (id)`). Default: the lab's id.
    #[arg(long, value_name = "NAME", requires = "roster")]
    pub assignment: Option<String>,
    /// With --roster --format csv: also the detail columns (points possible and not
    /// graded, counts, the checks failed and not graded).
    #[arg(long, requires = "roster")]
    pub detail: bool,
    /// With --roster, in csv, canvas and moodle: start the file with a byte order
    /// mark, so that Excel reads names such as Zoë right.
    #[arg(long, requires = "roster")]
    pub bom: bool,
}

/// The role a grader assumes in a student's account unless told otherwise: the one
/// AWS Organizations creates in every account it creates.
pub const DEFAULT_ROLE_NAME: &str = "OrganizationAccountAccessRole";

/// `--gradescope-visibility`: who sees the results in Gradescope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GradescopeVisibility {
    /// Students see them at once.
    Visible,
    /// Students see them after the due date.
    AfterDueDate,
    /// Students see them once grades are published.
    AfterPublished,
    /// Only instructors see them.
    Hidden,
}

/// `--gradescope-text`: how Gradescope renders the messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GradescopeText {
    /// Markdown.
    Md,
    /// Plain text.
    Text,
}

/// Report formats of `lab check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for people.
    Table,
    /// JSON for programs.
    Json,
    /// JUnit XML for CI systems.
    Junit,
    /// The Common Test Report Format (JSON) for CI dashboards.
    Ctrf,
    /// CSV, one row per student: the roster's columns, the grade and its status
    /// (with --roster).
    Csv,
    /// CSV for Canvas's gradebook import (with --roster, a roster exported from Canvas).
    Canvas,
    /// CSV for Moodle's grade import (with --roster).
    Moodle,
    /// Gradescope's results.json (with --roster: one per student, under --output DIR).
    Gradescope,
}

/// `lab cleanup`.
#[derive(Debug, Args)]
pub struct CleanupArgs {
    /// Delete without asking (otherwise: list only, or type the account id to confirm).
    #[arg(long)]
    pub yes: bool,
    /// Delete the secret at once instead of after the recovery window.
    #[arg(long)]
    pub force_delete_secret: bool,
    /// Also delete resources with the lab's names that lab did not create (no lab
    /// tag), such as ones made by hand in the console.
    #[arg(long)]
    pub include_untagged: bool,
}

/// `lab book`.
#[derive(Debug, Args)]
pub struct BookArgs {
    /// Where to write the book.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// `lab lessons ...`.
#[derive(Debug, Subcommand)]
pub enum LessonsCommand {
    /// Check a lesson set: the files parse, and lessons and catalogues agree both ways.
    Lint {
        /// The lesson folder (default: --lessons, else the built-in lessons).
        dir: Option<PathBuf>,
    },
    /// Print the JSON Schema of lesson files (what lessons/schema.json holds).
    Schema,
}
