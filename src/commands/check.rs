//! `lab check`: grade one account, or a class with `--roster`, and write the report
//! or gradebook where and how the options say.

use std::borrow::Cow;
use std::io::IsTerminal;

use super::{InAccount, SandboxStart, load_lab};
use crate::Outcome;
use crate::cli::{CheckArgs, Format, GlobalOptions, GradescopeText, GradescopeVisibility};
use crate::error::{Error, write_file};
use crate::grading::Grading;
use crate::lesson::Stage;
use crate::ops::check;
use crate::ops::check::elsewhere::{self, Class, Elsewhere, How};
use crate::report::gradebook::{self, GradebookFormat};
use crate::report::{self, ReportFormat, gradescope};
use crate::roster;
use crate::timing::Stopwatch;

const WRITE_ELSEWHERE: &str = "choose a file you can write with --output";

pub(super) fn execute(args: &CheckArgs, global: &GlobalOptions) -> Result<Outcome, Error> {
    if args.json_schema {
        print!("{}", report::json_schema());
        return Ok(Outcome::Success);
    }
    let stopwatch = Stopwatch::start();
    let lab = load_lab(global)?;
    match &args.roster {
        Some(roster) => class(&lab, args, global, roster),
        None => account(&lab, args, global, stopwatch),
    }
}

/// One account: the report in the format asked, to standard output or `--output`.
fn account(
    lab: &crate::lesson::Lab,
    args: &CheckArgs,
    global: &GlobalOptions,
    mut stopwatch: Stopwatch,
) -> Result<Outcome, Error> {
    let format = match args.format {
        Format::Table => ReportFormat::Table,
        Format::Json => ReportFormat::Json,
        Format::Junit => ReportFormat::Junit,
        Format::Ctrf => ReportFormat::Ctrf,
        Format::Gradescope => ReportFormat::Gradescope,
        Format::Csv | Format::Canvas | Format::Moodle => {
            return Err(Error::GradebookFormatForOne);
        }
    };
    let (chosen, checks) = selection(lab, args)?;
    let stages: Vec<&Stage> = chosen.iter().map(|s| s.as_ref()).collect();
    let gradescope = gradescope_options(args);
    if args.output.is_some() {
        console::set_colors_enabled(false);
    }
    let elsewhere = match elsewhere(args) {
        Ok(target) => target,
        // A submission that names no account still gets a report: the student's
        // autograder result says what to submit.
        Err(e @ Error::Submission(_)) => {
            let text = report::render_unsubmitted(format, &lab.id, &e, &gradescope);
            write_report(args, text)?;
            return Err(e);
        }
        Err(e) => return Err(e),
    };
    let grading = Grading {
        confirm_patterns: args.confirm_patterns,
        separate_grader: elsewhere.is_some(),
    };
    let here = InAccount::resolve(lab, global, SandboxStart::Never)?;
    stopwatch.lap("start-up (lessons, arguments, runtime)", None);
    let (options, assignments) = (&here.aws, &here.assignments);
    let mut checked = here.runtime.block_on(async {
        match &elsewhere {
            None => check::grade_account(lab, options, assignments, &stages, grading).await,
            Some(target) => {
                elsewhere::account_elsewhere(lab, options, assignments, &stages, grading, target)
                    .await
            }
        }
    });
    if let Ok(report) = &mut checked {
        for warning in &report.warnings {
            eprintln!("{} {warning}", console::style("warning:").yellow().bold());
        }
        report.keep_only(&checks);
        // The learner's own account: the commands its fixes name act where this
        // one did. (Graded elsewhere, the options are the grader's.)
        if elsewhere.is_none() {
            report.carry_flags(&options.flags());
        }
        stopwatch.extend(report.timings.iter().cloned());
    }
    let text = match &checked {
        Ok(report) => report.render(format, &gradescope),
        // CI and autograders must say why the account was not graded, not show a
        // previous run's file or a zero. (An error in how lab was called is the
        // caller's to fix: no report.)
        Err(e) if e.is_aws_failure() => {
            report::render_ungraded(format, &lab.id, &e.to_string(), &gradescope)
        }
        Err(_) => String::new(),
    };
    if !text.is_empty() {
        write_report(args, text)?;
        stopwatch.lap("rendering and writing the report", None);
        if global.verbose > 0 {
            eprint!("{}", stopwatch.render());
        }
    }
    Ok(checked?.outcome())
}

/// The stages to read and the checks to report: `--step`'s (its stage cut after
/// it), or `--stage`, `--all` and `--check`'s.
fn selection<'l>(
    lab: &'l crate::lesson::Lab,
    args: &CheckArgs,
) -> Result<(Vec<Cow<'l, Stage>>, Vec<String>), Error> {
    Ok(match &args.step {
        Some(key) => {
            let (stage, checks) = check::step_scope(lab, key)?;
            (vec![Cow::Owned(stage)], checks)
        }
        None => (
            check::scope(lab, &args.stage, args.all, &args.checks)?
                .into_iter()
                .map(Cow::Borrowed)
                .collect(),
            args.checks.clone(),
        ),
    })
}

/// The report, to `--output` or standard output.
fn write_report(args: &CheckArgs, text: String) -> Result<(), Error> {
    match &args.output {
        Some(path) => write_file(path, text, WRITE_ELSEWHERE),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

/// The account to grade through a role, from `--account` or `--account-file`.
fn elsewhere(args: &CheckArgs) -> Result<Option<Elsewhere>, Error> {
    let account = match (&args.account, &args.account_file) {
        (Some(id), _) => match crate::submission::first_account_id(id) {
            // The whole value, as the console shows it or not: `1234-5678-9012`.
            Some(digits) if digits.len() + id.matches(['-', ' ']).count() == id.trim().len() => {
                digits
            }
            _ => {
                return Err(Error::BadAccountId { id: id.clone() });
            }
        },
        (None, Some(file)) => crate::submission::account_in(file)?,
        (None, None) => return Ok(None),
    };
    elsewhere::check_role_name(&args.role_name)?;
    if let Some(id) = &args.external_id {
        elsewhere::check_external_id(id)?;
    }
    Ok(Some(Elsewhere {
        account,
        role_name: args.role_name.clone(),
        external_id: args.external_id.clone(),
    }))
}

/// Gradescope's display options, from the flags.
fn gradescope_options(args: &CheckArgs) -> gradescope::Options {
    gradescope::Options {
        visibility: match args.gradescope_visibility {
            GradescopeVisibility::Visible => gradescope::Visibility::Visible,
            GradescopeVisibility::AfterDueDate => gradescope::Visibility::AfterDueDate,
            GradescopeVisibility::AfterPublished => gradescope::Visibility::AfterPublished,
            GradescopeVisibility::Hidden => gradescope::Visibility::Hidden,
        },
        format: match args.gradescope_text {
            GradescopeText::Md => gradescope::TextFormat::Md,
            GradescopeText::Text => gradescope::TextFormat::Text,
        },
    }
}

/// Where and how a class's gradebook goes.
enum Gradebook<'a> {
    /// A `results.json` per student under this folder.
    Gradescope(&'a std::path::Path),
    /// One text, to this file or standard output.
    Text(GradebookFormat, Option<&'a std::path::Path>),
}

/// A class: every account in the roster, into a gradebook.
fn class(
    lab: &crate::lesson::Lab,
    args: &CheckArgs,
    global: &GlobalOptions,
    roster: &std::path::Path,
) -> Result<Outcome, Error> {
    let output = args.output.as_deref();
    let destination = match args.format {
        Format::Gradescope => Gradebook::Gradescope(output.ok_or(Error::GradescopeNeedsFolder)?),
        Format::Table => Gradebook::Text(GradebookFormat::Table, output),
        Format::Csv => Gradebook::Text(GradebookFormat::Csv, output),
        Format::Canvas => Gradebook::Text(GradebookFormat::Canvas, output),
        Format::Moodle => Gradebook::Text(GradebookFormat::Moodle, output),
        Format::Json => Gradebook::Text(GradebookFormat::Json, output),
        Format::Junit => Gradebook::Text(GradebookFormat::Junit, output),
        Format::Ctrf => Gradebook::Text(GradebookFormat::Ctrf, output),
    };
    elsewhere::check_role_name(&args.role_name)?;
    if let Some(id) = &args.external_id {
        elsewhere::check_external_id(id)?;
    }
    let roster = roster::read(roster)?;
    if let Gradebook::Text(format, _) = &destination
        && let Some(unfit) = gradebook::unfit(*format, &roster.columns)
    {
        return Err(unfit);
    }
    for warning in &roster.warnings {
        eprintln!("{} {warning}", console::style("warning:").yellow().bold());
    }
    let layout = gradebook::Layout {
        assignment: args.assignment.clone().unwrap_or_else(|| lab.id.clone()),
        detail: args.detail,
        bom: args.bom,
    };
    let (chosen, checks) = selection(lab, args)?;
    let stages: Vec<&Stage> = chosen.iter().map(|s| s.as_ref()).collect();
    let here = InAccount::resolve(lab, global, SandboxStart::Never)?;
    let bar = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(roster.students.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("  grading {bar:30} {pos}/{len} {msg}")
            .expect("a valid template"),
    );
    let students = roster.students.clone();
    let class = Class {
        students: roster.students,
        role_name: args.role_name.clone(),
        external_id: args.external_id.clone(),
        how: How {
            concurrency: usize::from(args.concurrency),
            grading: Grading {
                confirm_patterns: args.confirm_patterns,
                separate_grader: true,
            },
        },
    };
    let graded = here.runtime.block_on(elsewhere::class(
        lab,
        &here.aws,
        &here.assignments,
        &stages,
        class,
        |student| {
            bar.set_message(student.name.clone());
            bar.inc(1);
        },
    ));
    bar.finish_and_clear();
    // When the grader cannot reach AWS at all, every student is an error row: the
    // gradebook still replaces the last one, and nobody gets a zero. (An error in how
    // lab was called is the caller's to fix: no gradebook.)
    let (mut grades, cannot_start) = match graded {
        Ok(grades) => (grades, None),
        Err(e) if e.is_aws_failure() => {
            let why = e.to_string();
            let grades = students
                .into_iter()
                .map(|student| elsewhere::Grade {
                    student,
                    outcome: Err(format!("the grader could not start: {why}")),
                })
                .collect();
            (grades, Some(e))
        }
        Err(e) => return Err(e),
    };
    for grade in &mut grades {
        if let Ok(report) = &mut grade.outcome {
            report.keep_only(&checks);
        }
    }
    if args.output.is_some() {
        console::set_colors_enabled(false);
    }
    match destination {
        Gradebook::Gradescope(dir) => {
            let written = gradescope::write_gradebook(&grades, dir, &gradescope_options(args))?;
            println!(
                "Wrote {} results.json file{} under {}",
                written.len(),
                if written.len() == 1 { "" } else { "s" },
                dir.display()
            );
        }
        Gradebook::Text(format, Some(path)) => write_file(
            path,
            gradebook::render(lab, &grades, format, &layout),
            WRITE_ELSEWHERE,
        )?,
        Gradebook::Text(format, None) => {
            print!("{}", gradebook::render(lab, &grades, format, &layout))
        }
    }
    if let Some(e) = cannot_start {
        return Err(e);
    }
    Ok(gradebook::outcome(&grades))
}
