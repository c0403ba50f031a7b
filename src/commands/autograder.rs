//! `lab autograder gradescope|classroom`: write an autograder that runs `lab check`
//! for each student.

use super::{lesson_source, load_lab};
use crate::Outcome;
use crate::autograder::{self, Grading, LabBinary, classroom, gradescope};
use crate::cli::{AutograderArgs, AutograderCommand, GlobalOptions, GradescopeVisibility};
use crate::error::{AutograderError, Error, write_file};
use crate::lesson::LessonSource;
use crate::report::gradescope::Visibility;

pub(super) fn execute(
    command: AutograderCommand,
    global: &GlobalOptions,
) -> Result<Outcome, Error> {
    let lab = load_lab(global)?;
    match command {
        AutograderCommand::Gradescope(args) => {
            let grading = grading(&args.common, global)?;
            let binary = LabBinary::find(args.common.lab_binary.as_deref())?;
            let visibility = match args.gradescope_visibility {
                GradescopeVisibility::Visible => Visibility::Visible,
                GradescopeVisibility::AfterDueDate => Visibility::AfterDueDate,
                GradescopeVisibility::AfterPublished => Visibility::AfterPublished,
                GradescopeVisibility::Hidden => Visibility::Hidden,
            };
            let files = gradescope::files(&grading, &binary, visibility);
            let credentials = args.out.join("grader.env");
            let kept = credentials.exists();
            autograder::write(&args.out, &files)?;
            println!(
                "Wrote the Gradescope autograder for \"{}\" to {}.",
                lab.title,
                args.out.display()
            );
            if kept {
                println!(
                    "Kept {} as it was (the credentials you filled in).",
                    credentials.display()
                );
            } else {
                println!(
                    "Next: fill in {} with the grader's credentials (its README.md says which).",
                    credentials.display()
                );
            }
            println!(
                "Then zip the folder's contents and upload them:\n  cd {} && zip -r ../lab-autograder.zip .",
                args.out.display()
            );
        }
        AutograderCommand::Classroom(args) => {
            let grading = grading(&args.common, global)?;
            let binary = LabBinary::find(args.common.lab_binary.as_deref())?;
            let download = classroom::Download::new(&args.lab_url, binary.sha256()?)?;
            let stages = lab.chosen_stages(&[], args.common.all)?;
            let text = classroom::workflow(&lab, &stages, &grading, &download, args.test_timeout);
            write_file(&args.out, text, "choose a file you can write with --out")?;
            let tests = classroom::tests(&lab, &stages);
            println!(
                "Wrote {} ({} tests, {} points). Next: put {} (SHA-256 {}) at {}, add the organization secrets LAB_GRADER_AWS_ACCESS_KEY_ID and LAB_GRADER_AWS_SECRET_ACCESS_KEY, and commit the workflow to the assignment's template repository as .github/workflows/classroom.yml.",
                args.out.display(),
                tests.len(),
                tests.iter().map(|t| t.max_score).sum::<u32>(),
                binary.path.display(),
                download.sha256,
                download.url
            );
        }
    }
    Ok(Outcome::Success)
}

/// How the autograder grades, validated; the region is the course's: `--region`,
/// else `AWS_REGION` or `AWS_DEFAULT_REGION`.
fn grading(args: &AutograderArgs, global: &GlobalOptions) -> Result<Grading, Error> {
    let region = global
        .region
        .clone()
        .or_else(|| std::env::var("AWS_REGION").ok())
        .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
        .filter(|r| !r.is_empty())
        .ok_or(AutograderError::NoRegion)?;
    let mut grading = Grading::new(
        &args.role_name,
        args.external_id.as_deref(),
        &region,
        args.all,
    )?;
    // The lab graded is the one this command was given: carried as --lab.
    let source = lesson_source(global)?;
    grading.lab = match &source {
        LessonSource::Dir(dir) => {
            return Err(AutograderError::LabFromFolder {
                dir: dir.display().to_string(),
            }
            .into());
        }
        LessonSource::BuiltIn(_) if source.is_default() => None,
        LessonSource::BuiltIn(lab) => Some(lab.id.to_string()),
    };
    Ok(grading)
}
