//! The validated lab: what the rest of `lab` works with.
//!
//! Every value here has passed validation: ids are unique and well formed, every check
//! and action exists with parameters that fit, every template names known variables,
//! and every wait has a real duration. Code that holds a [`Lab`] never re-checks.

use std::time::Duration;

use checkers::{CheckSpec, Params};

pub use super::schema::VariableKind;
use super::template::Template;
use crate::action_catalogue::ActionSpec;

/// A whole lab: its identity, variables and stages in order.
#[derive(Debug, Clone)]
pub struct Lab {
    /// Stable lab id, e.g. `secrets-access-monitoring`.
    pub id: String,
    /// The lab's title.
    pub title: String,
    /// About how many minutes it takes on AWS.
    pub minutes: u16,
    /// What the learner builds and why, in Markdown.
    pub summary: String,
    /// The cost note, in Markdown.
    pub cost: String,
    /// The cost note in the local sandbox, in Markdown.
    pub sandbox_cost: String,
    /// How to use the handbook, in Markdown with the lab's variables.
    pub handbook_usage: Template,
    /// Why the lab matters, in Markdown (the handbook's introduction).
    pub motivation: String,
    /// The chain the lab builds, left to right.
    pub chain: Vec<ChainLink>,
    /// The line under the handbook's picture of the chain.
    pub chain_caption: String,
    /// The handbook's appendices, in order.
    pub appendices: Vec<Appendix>,
    /// When the guide shows the metric's numbers, and what they mean.
    pub troubleshoot: Option<Troubleshoot>,
    /// The tag put on everything `lab` creates.
    pub tag: Tag,
    /// The lab's variables, in the order they are asked for.
    pub variables: Vec<Variable>,
    /// The stages, in order; `stages[0]` is stage 1.
    pub stages: Vec<Stage>,
    /// Points per check id in a gradebook (1 when not listed).
    pub points: std::collections::BTreeMap<String, u32>,
    /// What the lab's metric must count.
    pub watch: checkers::watch::Watch,
}

/// One link of the chain (see the lesson schema's `chain`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainLink {
    /// The box's title.
    pub service: String,
    /// What of it the lab builds.
    pub part: String,
    /// What it does with the read.
    pub does: String,
    /// What passes on to the next link (on the last: where the chain ends).
    pub then: Option<String>,
}

/// An appendix of the handbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appendix {
    /// Its id: the page is `appendix-ID.md`.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its Markdown.
    pub text: String,
}

/// When the guide shows the metric's numbers, and what they mean.
#[derive(Debug, Clone, PartialEq)]
pub struct Troubleshoot {
    /// The checks whose failure calls for them.
    pub when_failing: Vec<checkers::Check>,
    /// The steps after which the numbers are shown, without the explanation.
    pub after_steps: Vec<String>,
    /// The steps after which the numbers are shown with the explanation.
    pub explain_after: Vec<String>,
    /// What the numbers mean, in Markdown.
    pub explain: String,
    /// A worked example, drawn in the handbook.
    pub example: Option<TroubleshootExample>,
}

/// Made-up numbers for the handbook's chart.
#[derive(Debug, Clone, PartialEq)]
pub struct TroubleshootExample {
    /// What the example is, in one sentence.
    pub caption: String,
    /// The alarm's threshold.
    pub threshold: f64,
    /// The periods, oldest first; never empty.
    pub periods: Vec<Period>,
}

/// One alarm period: events seen, and reads among them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// Every event the filter saw (at least 1).
    pub events: u32,
    /// The reads among them (at most `events`).
    pub reads: u32,
}

impl Period {
    /// The metric's Average over the period: the reads' share of the events.
    pub fn average(self) -> f64 {
        f64::from(self.reads) / f64::from(self.events.max(1))
    }

    /// The metric's Sum over the period: the reads.
    pub fn sum(self) -> f64 {
        f64::from(self.reads)
    }
}

/// A tag key and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The key.
    pub key: String,
    /// The value.
    pub value: String,
}

/// A lab variable.
#[derive(Debug, Clone)]
pub struct Variable {
    /// The name templates use.
    pub name: String,
    /// What it names, in one line.
    pub description: String,
    /// The default, which may use built-ins and earlier variables.
    pub default: Option<Template>,
    /// The question to ask when there is no value.
    pub ask: Option<String>,
    /// An example value, for the handbook's shell variables.
    pub example: Option<String>,
    /// What kind of value it holds.
    pub kind: VariableKind,
}

/// One stage of the lab.
#[derive(Debug, Clone)]
pub struct Stage {
    /// The stage number, from 1, in lesson order.
    pub number: u8,
    /// The stage's stable id.
    pub id: String,
    /// The stage's title.
    pub title: String,
    /// What the stage achieves, in one sentence.
    pub goal: String,
    /// The story of the stage, in Markdown.
    pub narrative: Template,
    /// Whether `lab check` checks it when no stage is named.
    pub checked_by_default: bool,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// What exists once every step is done, in Markdown.
    pub summary: Template,
    /// The file the stage came from, as named in `lab.yaml`.
    pub file: String,
}

/// One step of a stage.
#[derive(Debug, Clone)]
pub struct Step {
    /// The step id, unique in the lab.
    pub id: String,
    /// The step's title.
    pub title: String,
    /// How to do it in the console, in Markdown.
    pub instructions: Template,
    /// The AWS CLI equivalent, where there is one.
    pub cli: Option<Template>,
    /// What `lab` does when asked to do the step, where it can.
    pub action: Option<ActionRef>,
    /// The checks that must pass for the step to be done; never empty.
    pub checks: Vec<CheckRef>,
    /// Hints from a nudge to the answer.
    pub hints: Vec<Template>,
    /// What to wait for, where AWS takes a while.
    pub wait: Option<Wait>,
    /// What the learner should see when done, in Markdown.
    pub expect: Template,
}

impl Step {
    /// Whether the step's action must have the account to itself ([`Wait::quiet`]).
    pub fn is_quiet(&self) -> bool {
        self.wait.as_ref().is_some_and(|w| w.quiet)
    }
}

/// A check a step uses, with its parameters.
#[derive(Debug, Clone)]
pub struct CheckRef {
    /// The catalogue entry.
    pub spec: &'static CheckSpec,
    /// Parameter values, validated against the spec.
    pub params: Params,
}

/// An action a step performs, with its parameters.
#[derive(Debug, Clone)]
pub struct ActionRef {
    /// The catalogue entry.
    pub spec: &'static ActionSpec,
    /// Parameter values, validated against the spec.
    pub params: Params,
    /// The action with its parameters typed: what "do it for me" performs.
    pub invocation: crate::action_catalogue::Invocation,
}

/// A wait on AWS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wait {
    /// What the learner waits for.
    pub for_what: String,
    /// How long it usually takes.
    pub usual: Duration,
    /// The action must have the account to itself: a minute of its own before it,
    /// and no call of the guide's for `usual` after it.
    pub quiet: bool,
}

/// A key (`--stage 9`, `--step 2.7`) that names none of the lab's stages or steps,
/// with the ones there are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    /// Whether a stage or a step was asked for.
    pub what: Part,
    /// The key given.
    pub key: String,
    /// What there is, each as `number (id)`.
    pub known: Vec<String>,
}

/// A part of a lab named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// A stage, by number (`3`) or id (`logs`).
    Stage,
    /// A step, by number (`2.1`) or id.
    Step,
}

impl Lab {
    /// The stage named by `key`: its number (`3`) or its id (`logs`).
    pub fn find_stage(&self, key: &str) -> Result<&Stage, Unknown> {
        let found = match key.parse::<u8>() {
            Ok(number) => self.stages.iter().find(|s| s.number == number),
            Err(_) => self.stages.iter().find(|s| s.id == key),
        };
        found.ok_or_else(|| Unknown {
            what: Part::Stage,
            key: key.to_string(),
            known: self
                .stages
                .iter()
                .map(|s| format!("{} ({})", s.number, s.id))
                .collect(),
        })
    }

    /// The step named by `key` (its number, `2.1`, or its id), with its stage and
    /// its place there.
    pub fn find_step(&self, key: &str) -> Result<(&Stage, usize), Unknown> {
        let numbered = |stage: &Stage, at: usize| format!("{}.{}", stage.number, at + 1);
        let found = self.stages.iter().find_map(|stage| {
            let mut steps = stage.steps.iter().enumerate();
            steps
                .find(|(at, step)| step.id == key || numbered(stage, *at) == key)
                .map(|(at, _)| (stage, at))
        });
        found.ok_or_else(|| Unknown {
            what: Part::Step,
            key: key.to_string(),
            known: self
                .stages
                .iter()
                .flat_map(|stage| {
                    let numbered = &numbered;
                    stage
                        .steps
                        .iter()
                        .enumerate()
                        .map(move |(at, step)| format!("{} ({})", numbered(stage, at), step.id))
                })
                .collect(),
        })
    }

    /// The stages named (by number or id, each once, in lab order), all of them, or
    /// by default those the lessons mark `checked_by_default`.
    pub fn chosen_stages(&self, named: &[String], all: bool) -> Result<Vec<&Stage>, Unknown> {
        if all {
            return Ok(self.stages.iter().collect());
        }
        if named.is_empty() {
            return Ok(self
                .stages
                .iter()
                .filter(|s| s.checked_by_default)
                .collect());
        }
        let mut chosen: Vec<&Stage> = Vec::new();
        for key in named {
            let stage = self.find_stage(key)?;
            if !chosen.iter().any(|s| s.number == stage.number) {
                chosen.push(stage);
            }
        }
        chosen.sort_by_key(|s| s.number);
        Ok(chosen)
    }

    /// The number of the first stage whose steps use check `id`.
    pub fn stage_of_check(&self, id: &str) -> Option<u8> {
        self.stages
            .iter()
            .find(|stage| {
                stage
                    .steps
                    .iter()
                    .any(|step| step.checks.iter().any(|c| c.spec.id == id))
            })
            .map(|stage| stage.number)
    }

    /// What check `id` is worth in a gradebook.
    pub fn points(&self, id: &str) -> u32 {
        self.points.get(id).copied().unwrap_or(1)
    }

    /// Every step in lab order, with its stage.
    pub fn steps(&self) -> impl Iterator<Item = (&Stage, &Step)> {
        self.stages
            .iter()
            .flat_map(|stage| stage.steps.iter().map(move |step| (stage, step)))
    }
}

impl VariableKind {
    /// Checks `value` against this kind; the error completes "value `x` ...".
    pub fn check(self, value: &str) -> Result<(), String> {
        match self {
            VariableKind::Text if value.trim().is_empty() => Err("must not be empty".into()),
            VariableKind::Text => Ok(()),
            VariableKind::Email => {
                let valid = value.split_once('@').is_some_and(|(local, domain)| {
                    !local.is_empty()
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && !value.chars().any(char::is_whitespace)
                });
                if valid {
                    Ok(())
                } else {
                    Err("is not an email address".into())
                }
            }
            VariableKind::BucketName => {
                let chars_ok = value
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
                let ends_ok = value.starts_with(|c: char| c.is_ascii_alphanumeric())
                    && value.ends_with(|c: char| c.is_ascii_alphanumeric());
                if !(3..=63).contains(&value.len()) {
                    Err("is not a valid S3 bucket name: it must be 3 to 63 characters long".into())
                } else if !chars_ok || !ends_ok || value.contains("..") {
                    Err(
                        "is not a valid S3 bucket name: use lowercase letters, digits, `-` and `.`, \
                         starting and ending with a letter or digit"
                            .into(),
                    )
                } else {
                    Ok(())
                }
            }
        }
    }
}
