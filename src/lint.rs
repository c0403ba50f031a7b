//! `lab lessons lint`: a lesson set is checked both ways.
//!
//! Loading already proves lessons → catalogues (every id a lesson names exists and its
//! parameters fit). Lint adds what a whole lab must hold together: a check's
//! prerequisites come no later than the check, the variables `lab check` takes
//! resource names from are defined with defaults, the variables each action reads are
//! defined, and every YAML file in the folder is a listed stage (a forgotten file is
//! a lost stage). A lab uses only the checks and actions it teaches.

use crate::lesson::locate::{YamlPath, locate};
use crate::lesson::source::LAB_FILE;
use crate::lesson::{Diagnostic, Diagnostics, Lab, LessonSource, load};

/// What a clean lesson set holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintReport {
    /// Number of stages.
    pub stages: usize,
    /// Number of steps.
    pub steps: usize,
    /// Number of distinct checks used.
    pub checks: usize,
}

/// Lints `source`: every problem, or a summary of a clean set.
pub fn lint(source: &LessonSource) -> Result<LintReport, Diagnostics> {
    let lab = load(source)?;
    let lab_file = format!("{}/{LAB_FILE}", source.describe());
    let mut problems = Vec::new();
    let problem =
        |message: String, help: &str| Diagnostic::at(&lab_file, "", None, message).with_help(help);

    // A lab uses the checks and actions it teaches; the catalogue serves every lab,
    // so an entry one lab leaves out is not a problem (a test keeps every entry in
    // use by some built-in lab). What a lab uses must come in an order that works.
    problems.extend(step_rules(&lab, source));
    for check in lab.troubleshoot.iter().flat_map(|t| &t.when_failing) {
        let id = check.spec().id;
        if lab.stage_of_check(id).is_none() {
            problems.push(problem(
                format!("`troubleshoot` waits for `{id}` to fail, but no step checks it"),
                "name a check some step uses, or remove it from `when_failing`",
            ));
        }
    }
    for name in name_variables(&lab) {
        match lab.variables.iter().find(|v| v.name == name) {
            None => problems.push(problem(
                format!(
                    "the lab has no variable `{name}`, which `lab check` reads a resource name from"
                ),
                "define it under `variables:` in lab.yaml, with the resource's default name",
            )),
            // Every account's names must be known without asking: a grader has no
            // one to ask, and the guide offers the default as its answer.
            Some(variable) if variable.default.is_none() => problems.push(problem(
                format!(
                    "the variable `{name}` has no default, and `lab check` reads a resource name from it"
                ),
                "give it a `default:` (it may use {{account_id}} and {{region}}); `ask:` still lets the learner change it",
            )),
            Some(_) => {}
        }
    }
    let listed: Vec<&str> = lab.stages.iter().map(|s| s.file.as_str()).collect();
    match source.yaml_files() {
        Ok(files) => {
            for file in files
                .iter()
                .filter(|f| *f != LAB_FILE && !listed.contains(&f.as_str()))
            {
                problems.push(problem(
                    format!("`{file}` is in the lesson folder but not listed in `stages`"),
                    "list it under `stages:` in lab.yaml, or remove it",
                ));
            }
        }
        Err(message) => problems.push(problem(message, "check the folder's permissions")),
    }

    if problems.is_empty() {
        Ok(summary(&lab))
    } else {
        Err(Diagnostics(problems))
    }
}

/// What each step must hold, each problem reported where it is in its stage file:
/// a check's prerequisites are checked no later than its stage (else its verdict
/// is "skipped" until then), and the variables the step's action reads are defined
/// ("do it for me" would stop there).
fn step_rules(lab: &Lab, source: &LessonSource) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for stage in &lab.stages {
        let file = source.read(&stage.file).map(|f| (f.display, f.text));
        let at = |path: YamlPath, message: String| located(&file, &stage.file, &path, message);
        for (index, step) in stage.steps.iter().enumerate() {
            let step_path = YamlPath::root().key("steps").index(index);
            for (nth, check) in step.checks.iter().enumerate() {
                for need in check.spec.needs.iter().map(|need| need.spec().id) {
                    if lab
                        .stage_of_check(need)
                        .is_some_and(|first| first <= stage.number)
                    {
                        continue;
                    }
                    let message = format!(
                        "check `{}` (stage {}) needs `{need}`, which no earlier step checks",
                        check.spec.id, stage.number
                    );
                    problems.push(at(step_path.key("check").index(nth), message).with_help(
                        format!(
                            "check `{need}` in this stage or an earlier one, before `{}`",
                            check.spec.id
                        ),
                    ));
                }
            }
            let Some(action) = &step.action else { continue };
            for variable in action.spec.variables {
                if lab.variables.iter().any(|v| v.name == *variable) {
                    continue;
                }
                let message = format!(
                    "action `{}` reads the lab variable `{variable}`, which the lab does not define",
                    action.spec.id
                );
                problems.push(at(step_path.key("do"), message).with_help(format!(
                    "define `{variable}` under `variables:` in lab.yaml (with a default, or `ask:` for the learner)"
                )));
            }
        }
    }
    problems
}

/// A problem at `path` in a stage file read as `file` (its name and text), or at
/// the file alone (`fallback`) when it could not be read again.
fn located(
    file: &Result<(String, String), String>,
    fallback: &str,
    path: &YamlPath,
    message: String,
) -> Diagnostic {
    match file {
        Ok((name, text)) => Diagnostic::at(name, text, locate(text, path), message),
        Err(_) => Diagnostic::at(fallback, "", None, message),
    }
}

fn summary(lab: &Lab) -> LintReport {
    let mut ids: Vec<&str> = lab
        .steps()
        .flat_map(|(_, step)| step.checks.iter().map(|c| c.spec.id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    LintReport {
        stages: lab.stages.len(),
        steps: lab.steps().count(),
        checks: ids.len(),
    }
}

/// The variables `lab check` reads resource names from, for `lab`: the chain's, and
/// the secret's where a check the lab uses needs the secret (`secret.exists` or a
/// check that waits for it) or its watch counts calls about it.
fn name_variables(lab: &Lab) -> Vec<&'static str> {
    use checkers::catalogue::Check;
    fn needs_secret(check: Check) -> bool {
        check == Check::SecretExists || check.spec().needs.iter().any(|n| needs_secret(*n))
    }
    let mut names = crate::session::NAME_VARIABLES.to_vec();
    let checks_secret = checkers::CATALOGUE
        .iter()
        .any(|spec| lab.stage_of_check(spec.id).is_some() && needs_secret(spec.check));
    let watches_secret = lab
        .watch
        .count
        .iter()
        .chain(lab.watch.allow.iter().map(|a| &a.shape))
        .chain(lab.watch.never.iter().map(|n| &n.shape))
        .any(|shape| shape.resource.is_some());
    if checks_secret || watches_secret {
        names.insert(0, crate::session::SECRET_VARIABLE);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::name_variables;
    use crate::lesson::{LessonSource, load};

    #[test]
    fn the_secrets_name_is_asked_for_where_the_lab_uses_the_secret() {
        let mut lab = load(&LessonSource::default()).unwrap();
        assert_eq!(name_variables(&lab)[0], "secret_name");
        // Without the checks that need the secret, and a watch that counts calls
        // about nothing in particular, the chain's names are all a lab needs.
        for stage in &mut lab.stages {
            for step in &mut stage.steps {
                step.checks.retain(|c| {
                    !matches!(c.spec.id, "secret.exists" | "trail.secret_access_recorded")
                });
            }
        }
        for shape in &mut lab.watch.count {
            shape.resource = None;
        }
        for noted in lab.watch.allow.iter_mut().chain(&mut lab.watch.never) {
            noted.shape.resource = None;
        }
        assert_eq!(
            name_variables(&lab),
            crate::session::NAME_VARIABLES.to_vec()
        );
    }
}
