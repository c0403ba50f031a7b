//! Meaning: from the raw schema types to the typed [`Lab`], or every problem found.
//!
//! Parsing already rejected bad YAML, unknown fields and a newer format. This pass
//! checks what serde cannot: ids are well formed and unique, every check and action
//! exists and its parameters fit, every template names a known variable, durations
//! parse. It collects every problem rather than stopping at the first, and each one
//! points at its value in its file.
//!
//! [`load`] runs the passes in order: the lab file's own fields (`lab_file`), its
//! variables (`variables`), each stage file (`stage`), all through one file's
//! `checker`; `placeholders` finds `{{...}}` where it would not be replaced.

mod checker;
mod lab_file;
mod placeholders;
mod stage;
mod variables;

use std::collections::HashSet;

use super::diagnostic::{Diagnostic, Diagnostics};
use super::locate::{YamlPath, locate};
use super::model::{Appendix, ChainLink, Lab, Stage, Tag, Troubleshoot, Variable};
use super::parse::parse;
use super::schema::{LabFile, StageFile};
use super::source::{LAB_FILE, LessonSource, SourceFile};
use super::template::{BUILT_INS, Template};
use checker::Checker;
use placeholders::placeholders_outside_templates;
use stage::Ids;

/// Loads and validates the lesson set in `source`.
pub fn load(source: &LessonSource) -> Result<Lab, Diagnostics> {
    let mut problems = Vec::new();
    let lab_file = read(source, LAB_FILE).map_err(|d| Diagnostics(vec![d]))?;
    let raw: LabFile = parse(&lab_file).map_err(|d| Diagnostics(vec![d]))?;
    problems.extend(placeholders_outside_templates(&lab_file));

    let mut lab_checker = Checker {
        file: &lab_file,
        problems: &mut problems,
    };
    let variables = lab_checker.variables(&raw.variables);
    lab_file::lab_fields(&mut lab_checker, &raw, source);
    lab_file::appendices(&mut lab_checker, &raw.appendices);
    let troubleshoot = raw
        .troubleshoot
        .as_ref()
        .map(|t| lab_file::troubleshoot(&mut lab_checker, t));
    lab_file::stage_limit(&mut lab_checker, &raw.stages);

    let known: HashSet<String> = variables
        .iter()
        .map(|v| v.name.clone())
        .chain(BUILT_INS.iter().map(|b| b.to_string()))
        .collect();
    let handbook_usage = lab_checker.template(
        &YamlPath::root().key("handbook_usage"),
        &raw.handbook_usage,
        &known,
    );
    let (stages, step_ids) = stage_files(source, &lab_file, &raw.stages, &known, &mut problems);

    if let Some(t) = &raw.troubleshoot {
        let mut lab_checker = Checker {
            file: &lab_file,
            problems: &mut problems,
        };
        lab_file::troubleshoot_steps(&mut lab_checker, t, &step_ids);
    }

    if problems.is_empty() {
        Ok(assemble(
            raw,
            handbook_usage,
            troubleshoot,
            variables,
            stages,
        ))
    } else {
        Err(Diagnostics(problems))
    }
}

/// Each stage file the lab lists, read once, in order: its stage and steps, with
/// stage and step ids unique across the files. Returns the valid stages and every
/// step id named.
fn stage_files(
    source: &LessonSource,
    lab_file: &SourceFile,
    names: &[String],
    known: &HashSet<String>,
    problems: &mut Vec<Diagnostic>,
) -> (Vec<Stage>, HashSet<String>) {
    let mut stages = Vec::new();
    let mut stage_ids = HashSet::new();
    let mut step_ids = HashSet::new();
    let mut stage_files = HashSet::new();
    for (index, name) in names.iter().enumerate() {
        let path = YamlPath::root().key("stages").index(index);
        if !stage_files.insert(name.as_str()) {
            Checker {
                file: lab_file,
                problems,
            }
            .error(
                &path,
                &format!("stage file `{name}` is listed twice"),
                Some("list each stage file once, in the order a learner does them".into()),
            );
            continue;
        }
        let file = match read(source, name) {
            Ok(file) => file,
            Err(mut d) => {
                let position = locate(&lab_file.text, &path);
                d = Diagnostic::at(&lab_file.display, &lab_file.text, position, d.message)
                    .with_help("create the file next to lab.yaml, or fix its name here");
                problems.push(d);
                continue;
            }
        };
        let raw_stage: StageFile = match parse(&file) {
            Ok(stage) => stage,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        problems.extend(placeholders_outside_templates(&file));
        let number = u8::try_from(index + 1).unwrap_or(u8::MAX);
        let mut checker = Checker {
            file: &file,
            problems,
        };
        let ids = Ids {
            stages: &mut stage_ids,
            steps: &mut step_ids,
        };
        if let Some(stage) = checker.stage(raw_stage, number, name, known, ids) {
            stages.push(stage);
        }
    }
    (stages, step_ids)
}

/// The lab, once nothing is wrong: the checked parts, and the raw fields that are
/// taken as written.
fn assemble(
    raw: LabFile,
    handbook_usage: Template,
    troubleshoot: Option<Troubleshoot>,
    variables: Vec<Variable>,
    stages: Vec<Stage>,
) -> Lab {
    Lab {
        id: raw.id,
        title: raw.title,
        minutes: raw.minutes,
        summary: raw.summary,
        cost: raw.cost,
        sandbox_cost: raw.sandbox_cost,
        handbook_usage,
        motivation: raw.motivation,
        chain: raw
            .chain
            .into_iter()
            .map(|l| ChainLink {
                service: l.service,
                part: l.part,
                does: l.does,
                then: l.then,
            })
            .collect(),
        chain_caption: raw.chain_caption,
        appendices: raw
            .appendices
            .into_iter()
            .map(|a| Appendix {
                id: a.id,
                title: a.title,
                text: a.text,
            })
            .collect(),
        troubleshoot,
        tag: Tag {
            key: raw.tag.key,
            value: raw.tag.value,
        },
        variables,
        stages,
        points: raw.points,
        watch: raw.watch,
    }
}

fn read(source: &LessonSource, name: &str) -> Result<SourceFile, Diagnostic> {
    source.read(name).map_err(|message| {
        Diagnostic::at(name, "", None, message).with_help(format!(
            "a lesson set is a folder with {LAB_FILE} and its stage files"
        ))
    })
}

#[cfg(test)]
mod tests;
