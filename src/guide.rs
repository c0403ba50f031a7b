//! The guide (`lab run`): the lab opened in the learner's account with their saved
//! progress, the questions asked once, then the [`crate::runner`] walking the steps.

use std::io::IsTerminal;
use std::time::Duration;

use console::style;

use crate::Outcome;
use crate::aws::AwsOptions;
use crate::check::find_stage;
use crate::error::Error;
use crate::lesson::Lab;
use crate::progress::StepState;
use crate::runner::{PlainUi, Runner, TerminalUi, Ui, intro};
use crate::session::{Opening, Session};
use crate::variables::resolve;

/// How the guide runs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Where to start (a stage's number or id); `None`: where the learner left off.
    pub stage: Option<String>,
    /// `Some`: do and check every step without asking, through this stage (a number
    /// or id; `None` inside: to the end). `None`: the interactive guide.
    pub auto: Option<Option<String>>,
    /// The longest wait for AWS to show a step's result; `None`: 900 s on AWS, 30 s
    /// on a custom endpoint.
    pub wait_timeout: Option<Duration>,
}

/// Runs the guide: interactive on a terminal, or on its own (`auto`).
pub async fn guide(
    lab: &Lab,
    aws_options: &AwsOptions,
    set: &[(String, String)],
    options: &Options,
) -> Result<Outcome, Error> {
    let auto = options.auto.is_some();
    let terminal = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if !auto && !terminal {
        return Err(Error::usage(
            "`lab run` is interactive and needs a terminal",
            "use `lab run --auto` to do and check every step without asking, or `lab check` to grade",
        ));
    }
    let start_stage = options
        .stage
        .as_deref()
        .map(|key| find_stage(lab, key))
        .transpose()?;
    let through = options
        .auto
        .as_ref()
        .and_then(Option::as_deref)
        .map(|key| find_stage(lab, key))
        .transpose()?
        .map_or(u8::MAX, |s| s.number);
    resolve(lab, None, None, set)?;
    let opening = Opening::open(lab, aws_options).await?;
    let mut values = opening.assignments(set);
    let Opening {
        aws,
        identity,
        store,
        mut progress,
    } = opening;
    // Values given with --set are remembered like answers, for the next run.
    for (name, value) in set {
        progress.answers.insert(name.clone(), value.clone());
    }
    let flags = aws_options.flags();
    let mut ui: Box<dyn Ui> = if auto {
        Box::new(PlainUi)
    } else {
        Box::new(TerminalUi::new(format!("lab run{flags}")))
    };
    // Each variable's value from what is known so far: the defaults the guide
    // offers, and what --auto builds with.
    let known = resolve(
        lab,
        Some(&identity.account),
        Some(&identity.region),
        &values,
    )?;
    if auto {
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
        // What --auto builds with, the guide asks no more: the values a learner
        // would have been asked for are remembered as their answers.
        for variable in lab.variables.iter().filter(|v| v.ask.is_some()) {
            if let Some(value) = known.0.get(&variable.name) {
                progress
                    .answers
                    .entry(variable.name.clone())
                    .or_insert_with(|| value.clone());
            }
        }
    } else {
        let intro = intro(
            lab,
            &identity,
            aws.config().endpoint_url(),
            aws.sandbox().is_some(),
        );
        ui.say(&intro.what);
        if !intro.fits(crate::markdown::terminal_height()) {
            ui.pause("Press Enter for what it costs and where it runs")?;
        }
        ui.say(&intro.cost_and_where);
        let question = if progress.steps.is_empty() {
            ui.say("  Nothing is created until you choose \"Do it for me\".");
            "Start the lab here?".to_string()
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
            ui.say(&crate::markdown::wrap_text(
                "",
                &format!(
                    "Nothing was changed. `lab run{flags} --stage N` starts at stage N; \
                     `lab reset{flags}` forgets your progress and starts over."
                ),
                2,
                crate::markdown::terminal_width(),
            ));
            return Ok(Outcome::Success);
        }
        for variable in lab.variables.iter().filter(|v| v.ask.is_some()) {
            if values.iter().any(|(name, _)| name == &variable.name) {
                continue;
            }
            let kind = variable.kind;
            let answer = ui.ask(
                variable.ask.as_deref().unwrap_or(&variable.description),
                known.0.get(&variable.name).map(String::as_str),
                &|value| kind.check(value).map_err(|why| format!("`{value}` {why}")),
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
    let runner_options = crate::runner::Options {
        wait_timeout: options
            .wait_timeout
            .unwrap_or(Duration::from_secs(default_timeout)),
        first_poll,
        flags,
        width: crate::markdown::terminal_width(),
        height: crate::markdown::terminal_height(),
    };
    let mut runner = Runner::new(&session, store, progress, ui, runner_options);
    if auto {
        let start = start_stage.map_or(0, |stage| runner.start_index(Some(stage)));
        runner.run_auto(start, through).await
    } else {
        let start = runner.start_index(start_stage);
        runner.run_interactive(start).await
    }
}

/// `lab status`: the stages with what is done, and the next step.
pub async fn status(lab: &Lab, options: &AwsOptions) -> Result<Outcome, Error> {
    let Opening {
        identity, progress, ..
    } = Opening::open(lab, options).await?;
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
    let flags = options.flags();
    match (next, lab.stages.last()) {
        (Some((stage, step)), _) => println!(
            "\nNext: stage {} · {} (`lab run{flags}` continues there)",
            stage.number, step.title
        ),
        (None, Some(last)) => println!(
            "\nEvery step is done. `lab check{flags} --stage {}` confirms the last stage, {}.",
            last.id, last.title
        ),
        (None, None) => println!("\nEvery step is done."),
    }
    Ok(Outcome::Success)
}

/// `lab reset`: forgets the progress in this account and region.
pub async fn reset(lab: &Lab, options: &AwsOptions) -> Result<Outcome, Error> {
    let Opening {
        identity, store, ..
    } = Opening::open(lab, options).await?;
    let forgot = store.reset(&lab.id, &identity.account, &identity.region)?;
    if forgot {
        println!(
            "Forgot your progress in account {} · {}. Your AWS resources are untouched (`lab cleanup{}` removes them).",
            identity.account,
            identity.region,
            options.flags()
        );
    } else {
        println!(
            "There was no progress to forget in account {} · {}.",
            identity.account, identity.region
        );
    }
    Ok(Outcome::Success)
}
