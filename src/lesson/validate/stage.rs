//! A stage file: its stage and its steps, each step's templates, action, checks and
//! wait; ids unique across the whole lab.

use std::collections::HashSet;
use std::time::Duration;

use checkers::catalogue as checks;

use super::checker::Checker;
use crate::action_catalogue;
use crate::lesson::locate::YamlPath;
use crate::lesson::model::{ActionRef, CheckRef, Stage, Step, Wait};
use crate::lesson::schema::{StageFile, StepDef};

/// Ids already taken in the lab: stage ids and step ids are unique across files.
pub(super) struct Ids<'a> {
    pub(super) stages: &'a mut HashSet<String>,
    pub(super) steps: &'a mut HashSet<String>,
}

impl Checker<'_> {
    /// A stage file's stage and its steps, as stage `number`; `ids` holds those the
    /// files before it took.
    pub(super) fn stage(
        &mut self,
        raw: StageFile,
        number: u8,
        file_name: &str,
        known: &HashSet<String>,
        ids: Ids,
    ) -> Option<Stage> {
        let root = YamlPath::root();
        self.kebab(&root.key("id"), &raw.id, "stage id");
        if !ids.stages.insert(raw.id.clone()) {
            self.error(
                &root.key("id"),
                &format!("stage id `{}` is used by another stage", raw.id),
                None,
            );
        }
        self.non_empty(&root.key("title"), &raw.title, "title");
        self.non_empty(&root.key("goal"), &raw.goal, "goal");
        let narrative = self.template(&root.key("narrative"), &raw.narrative, known);
        self.non_empty(&root.key("summary"), &raw.summary, "summary");
        let summary = self.template(&root.key("summary"), &raw.summary, known);
        if raw.steps.is_empty() {
            self.error(&root.key("steps"), "a stage needs at least one step", None);
        }
        let problems_before = self.problems.len();
        let steps: Vec<Step> = raw
            .steps
            .iter()
            .enumerate()
            .map(|(index, def)| self.step(def, &root.key("steps").index(index), known, ids.steps))
            .collect();
        (self.problems.len() == problems_before).then(|| Stage {
            number,
            id: raw.id,
            title: raw.title,
            goal: raw.goal,
            narrative,
            checked_by_default: raw.checked_by_default,
            steps,
            summary,
            file: file_name.to_string(),
        })
    }

    fn step(
        &mut self,
        def: &StepDef,
        path: &YamlPath,
        known: &HashSet<String>,
        step_ids: &mut HashSet<String>,
    ) -> Step {
        self.kebab(&path.key("id"), &def.id, "step id");
        if !step_ids.insert(def.id.clone()) {
            self.error(
                &path.key("id"),
                &format!("duplicate step id `{}`", def.id),
                Some("step ids are unique across the whole lab: rename one of them".into()),
            );
        }
        self.non_empty(&path.key("title"), &def.title, "title");
        let instructions = self.template(&path.key("instructions"), &def.instructions, known);
        let cli = def
            .cli
            .as_ref()
            .map(|cli| self.template(&path.key("cli"), cli, known));
        let expect = self.template(&path.key("expect"), &def.expect, known);
        let hints = def
            .hints
            .iter()
            .enumerate()
            .map(|(i, hint)| self.template(&path.key("hints").index(i), hint, known))
            .collect();

        let action = def.action.as_ref().and_then(|invocation| {
            let ids: Vec<&str> = action_catalogue::CATALOGUE.iter().map(|a| a.id).collect();
            let spec = self.known_id(
                &path.key("do"),
                invocation,
                "action",
                &ids,
                action_catalogue::find,
            )?;
            let params = self.params(&path.key("do"), invocation, spec.params)?;
            let Some(typed) = action_catalogue::invoke(spec, &params) else {
                self.error(
                    &path.key("do"),
                    &format!("the parameters of `{}` are not as it takes them", spec.id),
                    None,
                );
                return None;
            };
            Some(ActionRef {
                spec,
                params,
                invocation: typed,
            })
        });

        if def.check.is_empty() {
            self.error(
                &path.key("check"),
                &format!("step `{}` has no checks", def.id),
                Some("every step names at least one check that shows it is done".into()),
            );
        }
        let check_ids: Vec<&str> = checks::CATALOGUE.iter().map(|c| c.id).collect();
        let mut seen = HashSet::new();
        let mut checks = Vec::new();
        for (index, invocation) in def.check.iter().enumerate() {
            let at = path.key("check").index(index);
            if !seen.insert(invocation.id()) {
                self.error(
                    &at,
                    &format!("check `{}` is listed twice in this step", invocation.id()),
                    None,
                );
                continue;
            }
            let Some(spec) = self.known_id(&at, invocation, "check", &check_ids, checks::find)
            else {
                continue;
            };
            if let Some(params) = self.params(&at, invocation, spec.params) {
                checks.push(CheckRef { spec, params });
            }
        }

        let wait = def.wait.as_ref().and_then(|wait| {
            self.non_empty(&path.key("wait").key("for"), &wait.for_what, "wait.for");
            match parse_duration(&wait.usual) {
                Some(usual) => Some(Wait {
                    for_what: wait.for_what.clone(),
                    usual,
                    quiet: wait.quiet,
                }),
                None => {
                    self.error(
                        &path.key("wait").key("usual"),
                        &format!("`{}` is not a duration", wait.usual),
                        Some("write it like `30s`, `5m` or `1m30s`".into()),
                    );
                    None
                }
            }
        });

        Step {
            id: def.id.clone(),
            title: def.title.clone(),
            instructions,
            cli,
            action,
            checks,
            hints,
            wait,
            expect,
        }
    }
}

/// `30s`, `5m`, `1h`, `1m30s` and the like.
pub(super) fn parse_duration(text: &str) -> Option<Duration> {
    let mut total = 0u64;
    let mut number = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            _ => return None,
        };
        total = total.checked_add(number.parse::<u64>().ok()?.checked_mul(unit)?)?;
        number.clear();
    }
    (number.is_empty() && total > 0).then(|| Duration::from_secs(total))
}
