//! `lab run`, `lab status`, `lab reset`: opening the lab in the learner's account
//! with their saved progress, then handing over to the [`crate::runner`].

use std::io::IsTerminal;
use std::time::Duration;

use console::style;

use crate::Outcome;
use crate::aws::{AwsOptions, connect};
use crate::check::find_stage;
use crate::cli::RunArgs;
use crate::error::Error;
use crate::lesson::Lab;
use crate::progress::{StepState, Store};
use crate::runner::{Options, PlainUi, Runner, TerminalUi, Ui, intro};
use crate::session::Session;
use crate::variables::{check_kind, resolve};

/// `lab run`: interactive on a terminal, or `--auto`.
pub async fn run(
    lab: &Lab,
    options: &AwsOptions,
    set: &[(String, String)],
    args: &RunArgs,
) -> Result<Outcome, Error> {
    let terminal = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if !args.auto && !terminal {
        return Err(Error::usage(
            "`lab run` is interactive and needs a terminal",
            "use `lab run --auto` to do and check every step without asking, or `lab check` to grade",
        ));
    }
    let start_stage = args
        .stage
        .as_deref()
        .map(|key| find_stage(lab, key))
        .transpose()?;
    let through = args
        .through
        .as_deref()
        .map(|key| find_stage(lab, key))
        .transpose()?
        .map_or(u8::MAX, |s| s.number);
    resolve(lab, None, None, set)?;
    let aws = connect(options).await?;
    let identity = aws.identity().await?;
    let store = Store::default_location()?;
    let mut progress = store.load(&lab.id, &identity.account, &identity.region)?;

    // Answers given before come first; the command line wins over them.
    let mut values: Vec<(String, String)> = progress
        .answers
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    values.extend(set.iter().cloned());
    let mut ui: Box<dyn Ui> = if args.auto {
        Box::new(PlainUi)
    } else {
        Box::new(TerminalUi::new())
    };
    if args.auto {
        for variable in lab.variables.iter().filter(|v| v.default.is_none()) {
            if !values.iter().any(|(name, _)| name == &variable.name) {
                return Err(Error::usage(
                    format!(
                        "`lab run --auto` needs {}",
                        variable.description.to_lowercase()
                    ),
                    format!("give it with --set {}=...", variable.name),
                ));
            }
        }
    } else {
        ui.say(&intro(
            lab,
            &identity,
            aws.config().endpoint_url(),
            aws.sandbox().is_some(),
        ));
        let question = if progress.steps.is_empty() {
            "Start the lab here? Nothing is created until you choose \"Do it for me\"".to_string()
        } else {
            format!(
                "Continue the lab here ({} of {} steps done)?",
                progress
                    .steps
                    .values()
                    .filter(|r| r.state == StepState::Done)
                    .count(),
                lab.steps().count()
            )
        };
        if !ui.confirm(&question)? {
            ui.say("  Nothing was changed.");
            return Ok(Outcome::Success);
        }
        let defaults = resolve(
            lab,
            Some(&identity.account),
            Some(&identity.region),
            &values,
        )?;
        for variable in lab.variables.iter().filter(|v| v.ask.is_some()) {
            if values.iter().any(|(name, _)| name == &variable.name) {
                continue;
            }
            let kind = variable.kind;
            let answer = ui.ask(
                variable.ask.as_deref().unwrap_or(&variable.description),
                defaults.0.get(&variable.name).map(String::as_str),
                &|value| check_kind(kind, value).map_err(|why| format!("`{value}` {why}")),
            )?;
            progress
                .answers
                .insert(variable.name.clone(), answer.clone());
            values.push((variable.name.clone(), answer));
        }
        store.save(&progress)?;
    }

    let session = Session::with_identity(lab, aws, identity, &values)?;
    let local = session.aws.has_custom_endpoint();
    let (first_poll, default_timeout) = if local {
        (Duration::from_millis(500), 30)
    } else {
        (Duration::from_secs(5), 900)
    };
    let options = Options {
        wait_timeout: Duration::from_secs(args.wait_timeout.unwrap_or(default_timeout)),
        first_poll,
    };
    let mut runner = Runner::new(&session, store, progress, ui, options);
    if args.auto {
        let start = start_stage.map_or(0, |stage| runner.start_index(Some(stage)));
        runner.run_auto(start, through).await
    } else {
        let start = runner.start_index(start_stage);
        runner.run_interactive(start).await
    }
}

/// `lab status`: the stages with what is done, and the next step.
pub async fn status(lab: &Lab, options: &AwsOptions) -> Result<Outcome, Error> {
    let identity = connect(options).await?.identity().await?;
    let progress = Store::default_location()?.load(&lab.id, &identity.account, &identity.region)?;
    println!(
        "{}\naccount {} · region {}\n",
        style(&lab.title).bold(),
        identity.account,
        identity.region
    );
    for stage in &lab.stages {
        let done = stage
            .steps
            .iter()
            .filter(|s| progress.is_done(&s.id))
            .count();
        let skipped = stage
            .steps
            .iter()
            .filter(|s| {
                progress
                    .steps
                    .get(&s.id)
                    .is_some_and(|r| r.state == StepState::Skipped)
            })
            .count();
        let mark = if done == stage.steps.len() {
            style("✓").green().bold()
        } else if done + skipped > 0 {
            style("◐").yellow().bold()
        } else {
            style("○").dim()
        };
        let skipped = if skipped > 0 {
            format!(", {skipped} skipped")
        } else {
            String::new()
        };
        println!(
            "  {mark} Stage {} · {}  ({done}/{} steps{skipped})",
            stage.number,
            stage.title,
            stage.steps.len()
        );
    }
    let next = progress
        .current
        .as_ref()
        .and_then(|id| lab.steps().find(|(_, s)| &s.id == id))
        .or_else(|| lab.steps().find(|(_, s)| !progress.is_done(&s.id)));
    match next {
        Some((stage, step)) => println!(
            "\nNext: stage {} · {} (`lab run` continues there)",
            stage.number, step.title
        ),
        None => println!("\nEvery step is done. `lab check --all` grades the whole lab."),
    }
    Ok(Outcome::Success)
}

/// `lab reset`: forgets the progress in this account and region.
pub async fn reset(lab: &Lab, options: &AwsOptions) -> Result<Outcome, Error> {
    let identity = connect(options).await?.identity().await?;
    let forgot = Store::default_location()?.reset(&lab.id, &identity.account, &identity.region)?;
    if forgot {
        println!(
            "Forgot your progress in account {} · {}. Your AWS resources are untouched (`lab cleanup` removes them).",
            identity.account, identity.region
        );
    } else {
        println!(
            "There was no progress to forget in account {} · {}.",
            identity.account, identity.region
        );
    }
    Ok(Outcome::Success)
}
