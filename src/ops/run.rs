//! `lab run`, the guide: the lab opened in the learner's account with their saved
//! progress, the questions asked once, then the [`crate::runner`] walking the steps.

use std::io::IsTerminal;
use std::time::Duration;

use crate::Outcome;
use crate::aws::AwsOptions;
use crate::error::Error;
use crate::progress::StepState;
use crate::runner::{PlainUi, Runner, TerminalUi, Ui, intro};
use crate::session::{Saved, Session};

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

/// Runs the guide in `session`: interactive on a terminal, or on its own (`auto`).
/// `aws_options` are the learner's, carried into the commands the guide prints.
pub async fn guide(
    mut session: Session<'_>,
    aws_options: &AwsOptions,
    options: &Options,
) -> Result<Outcome, Error> {
    let lab = session.lab;
    let auto = options.auto.is_some();
    let terminal = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if !auto && !terminal {
        return Err(Error::NeedsTerminal);
    }
    let start_stage = options
        .stage
        .as_deref()
        .map(|key| lab.find_stage(key))
        .transpose()?;
    let through = options
        .auto
        .as_ref()
        .and_then(Option::as_deref)
        .map(|key| lab.find_stage(key))
        .transpose()?
        .map_or(u8::MAX, |s| s.number);
    // Values given with --set are remembered like answers, for the next run.
    let given = session.assignments.clone();
    let Saved {
        store,
        mut progress,
    } = session.recall()?;
    for (name, value) in given.iter() {
        progress.answers.insert(name.to_string(), value.to_string());
    }
    let flags = aws_options.flags();
    let mut ui: Box<dyn Ui> = if auto {
        Box::new(PlainUi)
    } else {
        Box::new(TerminalUi::new(format!("lab run{flags}")))
    };
    if auto {
        for variable in lab.variables.iter().filter(|v| v.default.is_none()) {
            if session.assignments.get(&variable.name).is_none() {
                return Err(Error::NoValue {
                    variable: variable.name.clone(),
                    what: variable.description.to_lowercase(),
                    context: Some("`lab run --auto`"),
                });
            }
        }
        // What --auto builds with, the guide asks no more: the values a learner
        // would have been asked for are remembered as their answers.
        for variable in lab.variables.iter().filter(|v| v.ask.is_some()) {
            if let Some(value) = session.values.0.get(&variable.name) {
                progress
                    .answers
                    .entry(variable.name.clone())
                    .or_insert_with(|| value.clone());
            }
        }
    } else {
        let intro = intro(
            lab,
            &session.identity,
            session.aws.config().endpoint_url(),
            session.aws.sandbox().is_some(),
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
            if session.assignments.get(&variable.name).is_some() {
                continue;
            }
            let kind = variable.kind;
            let answer = ui.ask(
                variable.ask.as_deref().unwrap_or(&variable.description),
                session.values.0.get(&variable.name).map(String::as_str),
                &|value| kind.check(value).map_err(|why| format!("`{value}` {why}")),
            )?;
            progress
                .answers
                .insert(variable.name.clone(), answer.clone());
            session.answer(&variable.name, &answer)?;
        }
        store.save(&progress)?;
    }

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
