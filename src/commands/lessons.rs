//! `lab lessons lint` and `lab lessons schema`: for lesson authors.

use super::lesson_source;
use crate::Outcome;
use crate::cli::{GlobalOptions, LessonsCommand};
use crate::error::Error;
use crate::lesson::{self, LessonSource};
use crate::lint;

pub(super) fn execute(command: LessonsCommand, global: &GlobalOptions) -> Result<Outcome, Error> {
    match command {
        LessonsCommand::Lint { dir } => {
            let source = match dir {
                Some(dir) => LessonSource::Dir(dir),
                None => lesson_source(global)?,
            };
            Ok(lint_lessons(&source))
        }
        LessonsCommand::Schema => {
            print!("{}", lesson::json_schema());
            Ok(Outcome::Success)
        }
    }
}

fn lint_lessons(source: &LessonSource) -> Outcome {
    match lint::lint(source) {
        Ok(report) => {
            let count =
                |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
            println!(
                "{} {}: {}, {}, {}; lessons and catalogues agree",
                console::style("✓").green().bold(),
                source.describe(),
                count(report.stages, "stage"),
                count(report.steps, "step"),
                count(report.checks, "check")
            );
            Outcome::Success
        }
        Err(diagnostics) => {
            println!("{diagnostics}");
            Outcome::Failed
        }
    }
}
