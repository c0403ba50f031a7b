//! Meaning: from the raw schema types to the typed [`Lab`], or every problem found.
//!
//! Parsing already rejected bad YAML, unknown fields and a newer format. This pass
//! checks what serde cannot: ids are well formed and unique, every check and action
//! exists and its parameters fit, every template names a known variable, durations
//! parse. It collects every problem rather than stopping at the first, and each one
//! points at its value in its file.

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use checkers::corpus::{self, Subject};
use checkers::watch::Watch;
use checkers::{ParamValue, Params, catalogue as checks};

use super::diagnostic::{Diagnostic, Diagnostics};
use super::locate::{YamlPath, locate};
use super::model::{
    ActionRef, Appendix, ChainLink, CheckRef, Lab, Period, Stage, Step, Tag, Troubleshoot,
    TroubleshootExample, Variable, Wait,
};
use super::parse::parse;
use super::schema::{Invocation, LabFile, StageFile, StepDef, VariableDef};
use super::source::{LAB_FILE, LessonSource, SourceFile};
use super::suggest;
use super::template::{self, BUILT_INS, Template};
use crate::action_catalogue;

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
    lab_checker.kebab(&YamlPath::root().key("id"), &raw.id, "lab id");
    for (field, text) in [
        ("title", &raw.title),
        ("summary", &raw.summary),
        ("cost", &raw.cost),
        ("sandbox_cost", &raw.sandbox_cost),
        ("handbook_usage", &raw.handbook_usage),
    ] {
        lab_checker.non_empty(&YamlPath::root().key(field), text, field);
    }
    lab_checker.non_empty(
        &YamlPath::root().key("tag").key("key"),
        &raw.tag.key,
        "tag key",
    );
    lab_checker.non_empty(
        &YamlPath::root().key("tag").key("value"),
        &raw.tag.value,
        "tag value",
    );
    let check_ids: Vec<&str> = checks::CATALOGUE.iter().map(|c| c.id).collect();
    for id in raw.points.keys() {
        if checks::find(id).is_none() {
            lab_checker.error(
                &YamlPath::root().key("points").key(id),
                &format!("`points` names an unknown check `{id}`"),
                Some(suggest::help(id, "checks", &check_ids)),
            );
        }
    }
    if raw.stages.is_empty() {
        lab_checker.error(
            &YamlPath::root().key("stages"),
            "a lab needs at least one stage",
            None,
        );
    }
    // Whether the watch can count anything takes generating the whole corpus of
    // CloudTrail records, which is most of a start-up: it is done for lessons from a
    // folder, which an author may have changed, and for the embedded lessons by a
    // test (below), since they cannot change after the build.
    match source {
        LessonSource::Dir(_) => check_watch(&mut lab_checker, &raw.watch),
        LessonSource::Embedded => {}
    }
    lab_checker.non_empty(
        &YamlPath::root().key("motivation"),
        &raw.motivation,
        "motivation",
    );
    if raw.chain.len() < 2 {
        lab_checker.error(
            &YamlPath::root().key("chain"),
            "a chain has at least two links",
            Some("list the services from where the event starts to where the alert ends".into()),
        );
    }
    let mut appendix_ids = HashSet::new();
    for (i, appendix) in raw.appendices.iter().enumerate() {
        let path = YamlPath::root().key("appendices").index(i);
        lab_checker.kebab(&path.key("id"), &appendix.id, "appendix id");
        if !appendix_ids.insert(appendix.id.as_str()) {
            lab_checker.error(
                &path.key("id"),
                &format!("appendix id `{}` is used twice", appendix.id),
                Some("give each appendix its own id".into()),
            );
        }
        lab_checker.non_empty(&path.key("title"), &appendix.title, "appendix title");
        lab_checker.non_empty(&path.key("text"), &appendix.text, "appendix text");
    }
    let troubleshoot = raw.troubleshoot.as_ref().map(|t| {
        let path = YamlPath::root().key("troubleshoot");
        let when_failing = t
            .when_failing
            .iter()
            .enumerate()
            .filter_map(|(i, id)| match checks::find(id) {
                Some(spec) => Some(spec.check),
                None => {
                    lab_checker.error(
                        &path.key("when_failing").index(i),
                        &format!("`troubleshoot` names an unknown check `{id}`"),
                        Some(suggest::help(id, "checks", &check_ids)),
                    );
                    None
                }
            })
            .collect();
        lab_checker.non_empty(&path.key("explain"), &t.explain, "troubleshoot explanation");
        let example = t.example.as_ref().map(|example| {
            let path = path.key("example");
            lab_checker.non_empty(&path.key("caption"), &example.caption, "example caption");
            if example.periods.is_empty() {
                lab_checker.error(
                    &path.key("periods"),
                    "the example has no periods",
                    Some("give at least one period: `- {events: 20, reads: 1}`".into()),
                );
            }
            if !(example.threshold.is_finite() && example.threshold > 0.0) {
                lab_checker.error(
                    &path.key("threshold"),
                    &format!("threshold {} is not a positive number", example.threshold),
                    None,
                );
            }
            for (i, period) in example.periods.iter().enumerate() {
                if period.events == 0 || period.reads > period.events {
                    lab_checker.error(
                        &path.key("periods").index(i),
                        &format!(
                            "a period of {} events cannot hold {} reads",
                            period.events, period.reads
                        ),
                        Some(
                            "every period has at least one event, and no more reads than events"
                                .into(),
                        ),
                    );
                }
            }
            TroubleshootExample {
                caption: example.caption.clone(),
                threshold: example.threshold,
                periods: example
                    .periods
                    .iter()
                    .map(|p| Period {
                        events: p.events,
                        reads: p.reads,
                    })
                    .collect(),
            }
        });
        Troubleshoot {
            when_failing,
            after_steps: t.after_steps.clone(),
            explain: t.explain.clone(),
            example,
        }
    });
    if raw.stages.len() > usize::from(u8::MAX) {
        lab_checker.error(
            &YamlPath::root().key("stages"),
            "a lab has at most 255 stages",
            None,
        );
    }

    let known: HashSet<String> = variables
        .iter()
        .map(|v| v.name.clone())
        .chain(BUILT_INS.iter().map(|b| b.to_string()))
        .collect();
    let handbook_usage = Checker {
        file: &lab_file,
        problems: &mut problems,
    }
    .template(
        &YamlPath::root().key("handbook_usage"),
        &raw.handbook_usage,
        &known,
    );
    let mut stages = Vec::new();
    let mut stage_ids = HashSet::new();
    let mut step_ids = HashSet::new();
    let mut stage_files = HashSet::new();
    for (index, name) in raw.stages.iter().enumerate() {
        let path = YamlPath::root().key("stages").index(index);
        if !stage_files.insert(name.as_str()) {
            Checker {
                file: &lab_file,
                problems: &mut problems,
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
            problems: &mut problems,
        };
        let ids = Ids {
            stages: &mut stage_ids,
            steps: &mut step_ids,
        };
        if let Some(stage) = checker.stage(raw_stage, number, name, &known, ids) {
            stages.push(stage);
        }
    }

    if let Some(t) = &raw.troubleshoot {
        let mut ids: Vec<&str> = step_ids.iter().map(String::as_str).collect();
        ids.sort_unstable();
        for (i, id) in t.after_steps.iter().enumerate() {
            if !step_ids.contains(id) {
                Checker {
                    file: &lab_file,
                    problems: &mut problems,
                }
                .error(
                    &YamlPath::root()
                        .key("troubleshoot")
                        .key("after_steps")
                        .index(i),
                    &format!("`troubleshoot` names an unknown step `{id}`"),
                    Some(suggest::help(id, "steps", &ids)),
                );
            }
        }
    }

    if problems.is_empty() {
        Ok(Lab {
            id: raw.id,
            title: raw.title,
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
        })
    } else {
        Err(Diagnostics(problems))
    }
}

/// The fields that are *templates* (the schema says so): only they replace
/// `{{variable}}`. Invocations (`do`, `check`) are checked by their own rules.
const TEMPLATE_FIELDS: [&str; 8] = [
    "handbook_usage",
    "narrative",
    "summary",
    "instructions",
    "cli",
    "hints",
    "expect",
    "default",
];

/// Every `{{...}}` in a field that is not a template, where it would show as
/// written, braces and all (in a title, in the book).
fn placeholders_outside_templates(file: &SourceFile) -> Vec<Diagnostic> {
    fn walk(
        value: &serde_yaml_ng::Value,
        path: YamlPath,
        keys: &[String],
        out: &mut Vec<(YamlPath, String)>,
    ) {
        match value {
            serde_yaml_ng::Value::Mapping(map) => {
                for (key, child) in map {
                    if let Some(key) = key.as_str() {
                        let mut keys = keys.to_vec();
                        keys.push(key.to_string());
                        walk(child, path.key(key), &keys, out);
                    }
                }
            }
            serde_yaml_ng::Value::Sequence(items) => {
                for (index, child) in items.iter().enumerate() {
                    walk(child, path.index(index), keys, out);
                }
            }
            serde_yaml_ng::Value::String(text) if text.contains("{{") => {
                let templated = keys
                    .last()
                    .is_some_and(|k| TEMPLATE_FIELDS.contains(&k.as_str()))
                    || keys.iter().any(|k| k == "do" || k == "check");
                if !templated {
                    out.push((path, keys.last().cloned().unwrap_or_default()));
                }
            }
            _ => {}
        }
    }
    let Ok(value) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&file.text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    walk(&value, YamlPath::root(), &[], &mut found);
    found
        .into_iter()
        .map(|(path, field)| {
            Diagnostic::at(
                &file.display,
                &file.text,
                locate(&file.text, &path),
                format!("`{field}` is not a template: a `{{{{...}}}}` in it would show as written"),
            )
            .with_help(format!(
                "write the value itself, or move it to a template field ({})",
                TEMPLATE_FIELDS.join(", ")
            ))
        })
        .collect()
}

/// The watch must count something the corpus can make records of: a `count` shape
/// no record has would make `logs.metric_filter` pass any pattern that counts nothing.
fn check_watch(checker: &mut Checker, watch: &Watch) {
    let path = YamlPath::root().key("watch").key("count");
    if watch.count.is_empty() {
        checker.error(
            &path,
            "the watch must count at least one kind of record",
            None,
        );
        return;
    }
    let subject = Subject::new("lab-secret", None, "111122223333", "us-east-1");
    let records = corpus::generate(&subject, corpus::CONFIRMATION_SEED);
    for (index, shape) in watch.count.iter().enumerate() {
        if !records.iter().any(|r| shape.holds(&r.facts, &r.text)) {
            let known: Vec<&str> = corpus::operations::OPERATIONS
                .iter()
                .map(|op| op.name)
                .collect();
            checker.error(
                &path.index(index),
                &format!(
                    "no CloudTrail record lab can generate has the shape `{}`",
                    shape.label
                ),
                Some(format!(
                    "check its source, events and outcome; the operations lab knows are {}",
                    known.join(", ")
                )),
            );
        }
    }
}

fn read(source: &LessonSource, name: &str) -> Result<SourceFile, Diagnostic> {
    source.read(name).map_err(|message| {
        Diagnostic::at(name, "", None, message).with_help(format!(
            "a lesson set is a folder with {LAB_FILE} and its stage files"
        ))
    })
}

/// Ids already taken in the lab: stage ids and step ids are unique across files.
struct Ids<'a> {
    stages: &'a mut HashSet<String>,
    steps: &'a mut HashSet<String>,
}

/// Validates one file's values, adding problems that point into that file.
struct Checker<'a> {
    file: &'a SourceFile,
    problems: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, path: &YamlPath, message: &str, help: Option<String>) {
        let position = locate(&self.file.text, path);
        let mut diagnostic = Diagnostic::at(
            &self.file.display,
            &self.file.text,
            position,
            message.to_string(),
        );
        diagnostic.help = help;
        self.problems.push(diagnostic);
    }

    fn non_empty(&mut self, path: &YamlPath, text: &str, what: &str) {
        if text.trim().is_empty() {
            self.error(path, &format!("{what} must not be empty"), None);
        }
    }

    fn kebab(&mut self, path: &YamlPath, id: &str, what: &str) {
        let ok = !id.is_empty()
            && id.split('-').all(|word| {
                !word.is_empty()
                    && word
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            });
        if !ok {
            self.error(
                path,
                &format!("{what} `{id}` is not lowercase words joined by `-`"),
                Some(format!("write it like `{}`", kebab_case(id))),
            );
        }
    }

    fn template(&mut self, path: &YamlPath, text: &str, known: &HashSet<String>) -> Template {
        match template::parse(text, |name| known.contains(name)) {
            Ok(template) => template,
            Err(error) => {
                let mut names: Vec<&str> = known.iter().map(String::as_str).collect();
                names.sort_unstable();
                let help = match &error {
                    template::TemplateError::Unknown(name) => {
                        suggest::help(name, "variables", &names)
                    }
                    _ => "placeholders are written `{{variable_name}}`".to_string(),
                };
                self.error(path, &error.to_string(), Some(help));
                // Keep going with the text as plain prose; the load fails anyway.
                template::parse("", |_| true).expect("empty text is a template")
            }
        }
    }

    fn variables(&mut self, defs: &[VariableDef]) -> Vec<Variable> {
        let mut known: HashSet<String> = BUILT_INS.iter().map(|b| b.to_string()).collect();
        let mut variables = Vec::new();
        for (index, def) in defs.iter().enumerate() {
            let path = YamlPath::root().key("variables").index(index);
            let name = &def.name;
            let snake = !name.is_empty()
                && name.starts_with(|c: char| c.is_ascii_lowercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !snake {
                self.error(
                    &path.key("name"),
                    &format!("variable name `{name}` is not snake_case"),
                    None,
                );
            } else if BUILT_INS.contains(&name.as_str()) {
                self.error(
                    &path.key("name"),
                    &format!("`{name}` is a built-in variable and cannot be redefined"),
                    Some("pick another name".into()),
                );
            } else if known.contains(name) {
                self.error(
                    &path.key("name"),
                    &format!("variable `{name}` is defined twice"),
                    None,
                );
            }
            self.non_empty(&path.key("description"), &def.description, "description");
            if def.default.is_none() && def.ask.is_none() {
                self.error(
                    &path,
                    &format!("variable `{name}` has neither a `default` nor an `ask`"),
                    Some("give it a default value, or a question to ask the learner".into()),
                );
            }
            let default = def.default.as_ref().map(|text| {
                let template = self.template(&path.key("default"), text, &known);
                if template.names().is_empty()
                    && let Err(why) = def.kind.check(text)
                {
                    self.error(
                        &path.key("default"),
                        &format!("default of `{name}` {why}"),
                        None,
                    );
                }
                template
            });
            if let Some(example) = &def.example
                && let Err(why) = def.kind.check(example)
            {
                self.error(
                    &path.key("example"),
                    &format!("example of `{name}` {why}"),
                    None,
                );
            }
            known.insert(name.clone());
            variables.push(Variable {
                name: name.clone(),
                description: def.description.clone(),
                default,
                ask: def.ask.clone(),
                example: def.example.clone(),
                kind: def.kind,
            });
        }
        variables
    }

    fn stage(
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

    /// The catalogue entry an invocation names, or a problem at its id.
    fn known_id<T>(
        &mut self,
        path: &YamlPath,
        invocation: &Invocation,
        what: &str,
        ids: &[&str],
        find: fn(&str) -> Option<&'static T>,
    ) -> Option<&'static T> {
        let id = invocation.id();
        let found = find(id);
        if found.is_none() {
            let at = match invocation {
                Invocation::Id(_) => path.clone(),
                Invocation::WithParams { .. } => path.key("id"),
            };
            self.error(
                &at,
                &format!("unknown {what} `{id}`"),
                Some(suggest::help(id, &format!("{what}s"), ids)),
            );
        }
        found
    }

    /// The invocation's parameters, validated against `specs`, or problems at them.
    fn params(
        &mut self,
        path: &YamlPath,
        invocation: &Invocation,
        specs: &[checkers::ParamSpec],
    ) -> Option<Params> {
        let given: BTreeMap<String, ParamValue> = invocation.params();
        let errors = checkers::params::validate(specs, &given);
        for error in &errors {
            let at = match error {
                checkers::params::ParamError::Unknown { name, .. }
                | checkers::params::ParamError::Invalid { name, .. } => path.key("with").key(name),
                checkers::params::ParamError::Missing { .. } => path.clone(),
            };
            self.error(&at, &format!("{} of `{}`", error, invocation.id()), None);
        }
        errors.is_empty().then_some(given)
    }
}

/// `30s`, `5m`, `1h`, `1m30s` and the like.
fn parse_duration(text: &str) -> Option<Duration> {
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

fn kebab_case(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s"), Some(Duration::from_secs(30)));
        assert_eq!(parse_duration("5m"), Some(Duration::from_secs(300)));
        assert_eq!(parse_duration("1m30s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("1h"), Some(Duration::from_secs(3600)));
        for bad in [
            "",
            "5",
            "m",
            "5 minutes",
            "0s",
            "-5m",
            "99999999999999999999s",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_embedded_watch_counts_records_the_corpus_holds() {
        let lab = load(&LessonSource::Embedded).expect("the embedded lessons load");
        let file = read(&LessonSource::Embedded, LAB_FILE).expect("lab.yaml");
        let mut problems = Vec::new();
        let mut checker = Checker {
            file: &file,
            problems: &mut problems,
        };
        check_watch(&mut checker, &lab.watch);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn kebab_suggestions() {
        assert_eq!(kebab_case("Create_The Secret"), "create-the-secret");
    }
}
