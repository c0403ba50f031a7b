//! `lab` teaches and grades one hands-on AWS security lab: monitoring access to
//! AWS Secrets Manager.
//!
//! A map of the crate:
//! - [`cli`]: the command line (clap); [`run`] dispatches it;
//! - [`lesson`]: the lab's content, loaded from YAML and validated;
//! - [`variables`]: the lab's names and values (`--set`, defaults from the account);
//! - [`actions`]: what `lab` can do for a learner, by id;
//! - [`aws`]: the one place that reaches AWS; [`session`]: the lab opened in an
//!   account (identity, values, resource names);
//! - [`moto`]: the local AWS emulator, for tests and the sandbox; [`sandbox`]: `lab
//!   sandbox`, moto behind a front that adds what AWS does and moto does not (CloudTrail
//!   delivery, metric filters, alarm evaluation, email), and `--sandbox`;
//! - [`check`] and [`report`]: `lab check`, reading the account through the
//!   `checkers` crate and reporting as a table, JSON or JUnit; [`roster`] and
//!   [`grade`]: `lab check --roster`, a whole class at once, into a gradebook;
//! - [`run`] and [`runner`]: `lab run` (the guide), `lab status`, `lab reset`;
//!   [`progress`], the learner's saved progress; [`markdown`], lesson text for
//!   the terminal;
//! - [`cleanup`]: `lab cleanup`;
//! - [`book`]: `lab book`, the handbook; [`permissions`], the IAM actions lab uses;
//! - [`lint`], [`whoami`]: commands.
//!
//! The checks themselves live in the `checkers` crate.

pub mod actions;
pub mod aws;
pub mod book;
pub mod check;
pub mod cleanup;
pub mod cli;
pub mod error;
pub mod grade;
pub mod json_schema;
pub mod lesson;
pub mod lint;
pub mod markdown;
pub mod moto;
pub mod permissions;
pub mod progress;
pub mod report;
pub mod roster;
pub mod run;
pub mod runner;
pub mod sandbox;
pub mod session;
pub mod variables;
pub mod whoami;

use cli::{Cli, Command, LessonsCommand};
pub use error::Error;
use lesson::{Lab, LessonSource};

/// How a command that ran came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything it looked at is fine (exit code 0).
    Success,
    /// It ran and found problems, which it reported (exit code 1).
    Failed,
    /// It ran, but some of what it had to judge could not be judged (exit code 2).
    Incomplete,
}

/// Runs one command line. Errors mean the command could not do its job (exit code 2).
pub fn run(cli: Cli) -> Result<Outcome, Error> {
    init_output(cli.global.verbose);
    let source = match &cli.global.lessons {
        Some(dir) => LessonSource::Dir(dir.clone()),
        None => LessonSource::Embedded,
    };
    match cli.command {
        Command::Lessons(LessonsCommand::Lint { dir }) => {
            let source = dir.map(LessonSource::Dir).unwrap_or(source);
            Ok(lint_command(&source))
        }
        Command::Lessons(LessonsCommand::Schema) => {
            print!("{}", lesson::json_schema());
            Ok(Outcome::Success)
        }
        Command::Whoami => {
            let lab = lesson::load(&source)?;
            runtime()?.block_on(whoami_command(
                &lab,
                &aws_options(&cli.global)?,
                &cli.global.set,
            ))
        }
        Command::Run(args) => {
            let lab = lesson::load(&source)?;
            runtime()?.block_on(run::run(
                &lab,
                &aws_options(&cli.global)?,
                &cli.global.set,
                &args,
            ))
        }
        Command::Check(args) => {
            if args.json_schema {
                print!("{}", report::json_schema());
                return Ok(Outcome::Success);
            }
            let lab = lesson::load(&source)?;
            let options = aws_options(&cli.global)?;
            if let Some(roster) = &args.roster {
                return runtime()?.block_on(grade::class(
                    &lab,
                    &options,
                    &cli.global.set,
                    &args,
                    roster,
                ));
            }
            if args.format == cli::Format::Csv {
                return Err(Error::usage(
                    "--format csv is a gradebook format",
                    "use it with --roster FILE; for one account, use table, json, junit, ctrf or gradescope",
                ));
            }
            let gradescope = args.gradescope();
            if args.output.is_some() {
                console::set_colors_enabled(false);
            }
            let grading = check::Grading {
                confirm_patterns: args.confirm_patterns,
                separate_grader: false,
            };
            let checked = runtime()?.block_on(check::check(
                &lab,
                &options,
                &cli.global.set,
                &args.stage,
                args.all,
                grading,
            ));
            let text = match &checked {
                Ok(report) => report.render(args.format, &gradescope),
                // CI and autograders must say why the account was not graded, not show a
                // previous run's file or a zero. (A usage error is the caller's to fix:
                // no report.)
                Err(e @ (Error::Aws { .. } | Error::Unreachable { .. })) => {
                    report::render_ungraded(args.format, &lab.id, &e.to_string(), &gradescope)
                }
                Err(_) => String::new(),
            };
            if !text.is_empty() {
                match &args.output {
                    Some(path) => {
                        std::fs::write(path, text).map_err(|e| {
                            Error::usage(
                                format!("cannot write {}: {e}", path.display()),
                                "choose a file you can write",
                            )
                        })?;
                    }
                    None => print!("{text}"),
                }
            }
            let report = checked?;
            Ok(report.outcome())
        }
        Command::Status => {
            let lab = lesson::load(&source)?;
            runtime()?.block_on(run::status(&lab, &aws_options(&cli.global)?))
        }
        Command::Reset => {
            let lab = lesson::load(&source)?;
            runtime()?.block_on(run::reset(&lab, &aws_options(&cli.global)?))
        }
        Command::Cleanup(args) => {
            let lab = lesson::load(&source)?;
            runtime()?.block_on(cleanup::cleanup(
                &lab,
                &aws_options(&cli.global)?,
                &cli.global.set,
                &args,
            ))
        }
        Command::Sandbox(command) => sandbox_command(command),
        Command::Book(args) => {
            let lab = lesson::load(&source)?;
            let out = args.out.unwrap_or_else(|| std::path::PathBuf::from("book"));
            let files = book::generate(&lab);
            book::write(&out, &files)?;
            let html = book::build_html(&out)?;
            println!(
                "Wrote {} files to {}; the HTML book is in {}",
                files.len(),
                out.display(),
                html.join("index.html").display()
            );
            Ok(Outcome::Success)
        }
    }
}

fn lint_command(source: &LessonSource) -> Outcome {
    match lint::lint(source) {
        Ok(report) => {
            println!(
                "{} {}: {} stages, {} steps, {} checks; lessons and catalogues agree",
                console::style("✓").green().bold(),
                source.describe(),
                report.stages,
                report.steps,
                report.checks
            );
            Outcome::Success
        }
        Err(diagnostics) => {
            println!("{diagnostics}");
            Outcome::Failed
        }
    }
}

async fn whoami_command(
    lab: &Lab,
    options: &aws::AwsOptions,
    set: &[(String, String)],
) -> Result<Outcome, Error> {
    // Check --set before touching AWS: a typo should not wait on the network.
    variables::resolve(lab, None, None, set)?;
    let aws = aws::connect(options).await?;
    let identity = aws.identity().await?;
    let values = variables::resolve(lab, Some(&identity.account), Some(&identity.region), set)?;
    let endpoint = aws.config().endpoint_url();
    print!("{}", whoami::render(&identity, endpoint, lab, &values));
    Ok(Outcome::Success)
}

/// Where to reach AWS: as the options say, or the sandbox with `--sandbox` (started
/// if none is running).
fn aws_options(global: &cli::GlobalOptions) -> Result<aws::AwsOptions, Error> {
    if global.sandbox {
        let info =
            runtime()?.block_on(sandbox::ensure_running(&sandbox::StartOptions::default()))?;
        return Ok(aws::AwsOptions {
            profile: None,
            region: Some(
                global
                    .region
                    .clone()
                    .unwrap_or_else(|| sandbox::DEFAULT_REGION.into()),
            ),
            endpoint_url: Some(info.url.clone()),
            sandbox: Some(info.url),
            timeout: global
                .timeout
                .map(|s| std::time::Duration::from_secs(s.into())),
        });
    }
    Ok(aws::AwsOptions {
        profile: global.profile.clone(),
        region: global.region.clone(),
        endpoint_url: global.endpoint_url.clone(),
        sandbox: None,
        timeout: global
            .timeout
            .map(|s| std::time::Duration::from_secs(s.into())),
    })
}

fn sandbox_command(command: cli::SandboxCommand) -> Result<Outcome, Error> {
    use cli::SandboxCommand as S;
    let start = |args: &cli::SandboxStartArgs| sandbox::StartOptions {
        port: args.port,
        delivery_delay: args.delivery_delay,
        evaluation_interval: args.evaluation_interval,
    };
    match command {
        S::Start(args) => runtime()?.block_on(sandbox::start_command(&start(&args))),
        S::Stop => runtime()?.block_on(sandbox::stop_command()),
        S::Status => runtime()?.block_on(sandbox::status_command()),
        S::Env => runtime()?.block_on(sandbox::env_command()),
        S::Mail(args) => sandbox::mail_command(&sandbox::MailOptions {
            to: args.to,
            last: args.last,
            json: args.json,
            follow: args.follow,
        }),
        S::Confirm => runtime()?.block_on(sandbox::confirm_command()),
        S::Serve(args) => {
            runtime()?.block_on(sandbox::serve(&args.dir, &args.python, &start(&args.start)))
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("cannot start the async runtime: {e}")))
}

/// Colour only for a terminal, and never with `NO_COLOR`; logs to stderr at the
/// level `-v` asks for.
fn init_output(verbose: u8) {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let colour = !no_color && console::user_attended() && console::user_attended_stderr();
    console::set_colors_enabled(colour);
    console::set_colors_enabled_stderr(colour);
    let level = match verbose {
        0 => tracing::Level::WARN,
        1 => tracing::Level::INFO,
        2 => tracing::Level::DEBUG,
        _ => tracing::Level::TRACE,
    };
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    // Other crates' warnings (the SDK's instance-metadata lookups, profile parsing,
    // its HTTP client's "unrecognized error") say nothing a learner can act on: `lab`
    // reports what failed in its own words; `-v` shows them.
    let others = if verbose == 0 {
        LevelFilter::ERROR
    } else {
        LevelFilter::from_level(level)
    };
    let filter = Targets::new()
        .with_default(others)
        .with_target("lab", level)
        .with_target("checkers", level);
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_ansi(colour)
        .finish()
        .with(filter)
        .try_init();
}
