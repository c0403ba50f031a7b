//! The lesson format, version 1: the raw shape of the YAML files, exactly as written.
//!
//! These types are the spec. Their doc comments are the field documentation, and
//! `lab lessons schema` turns them into `lessons/schema.json` for editors. Every struct
//! rejects unknown fields, so a misspelt key is an error with its line and column,
//! never silently ignored. Meaning (ids that exist, no duplicates, variables that are
//! defined) is checked afterwards by [`super::validate`], which turns these raw values
//! into the typed [`super::Lab`].
//!
//! A lesson set is one lab file (`lab.yaml`) and one stage file per stage of the lab,
//! listed in the lab file in the order a learner does them.
//!
//! Text fields marked *template* may use `{{variable}}` to insert a lab variable, or
//! one of the built-ins `{{account_id}}` and `{{region}}`.

use std::collections::BTreeMap;

use checkers::{ParamKind, ParamSpec, ParamValue};
use schemars::JsonSchema;
use serde::Deserialize;

/// The newest `format_version` this build of `lab` reads.
pub const FORMAT_VERSION: u32 = 1;

/// The lab file (`lab.yaml`): what the lab is, its variables, and its stages in order.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LabFile {
    /// Version of the lesson format the file is written in. This build reads `1`.
    pub format_version: u32,
    /// Stable identifier of the lab, lowercase words joined by `-`. Reports and
    /// progress files carry it, so it never changes once published.
    pub id: String,
    /// The lab's title, as the handbook and the runner show it.
    pub title: String,
    /// About how many minutes the lab takes on AWS, waits included: `lab labs`
    /// shows it so a learner can choose one that fits their time.
    pub minutes: u16,
    /// What the learner builds and why it matters, in Markdown (a few sentences).
    pub summary: String,
    /// What the lab may cost and how to keep that at zero, in Markdown.
    pub cost: String,
    /// What the lab costs in the local sandbox, in Markdown: the guide shows it in
    /// place of `cost` when it runs with `--sandbox`.
    pub sandbox_cost: String,
    /// How to use the handbook and the `lab` command with it, in Markdown: the
    /// handbook's introduction, after the cost. It may name the lab's variables as
    /// `{{name}}`, shown with their defaults.
    pub handbook_usage: String,
    /// Why the lab matters, in Markdown: the handbook's introduction after the
    /// summary and the picture of the chain (it may have `##` sections).
    pub motivation: String,
    /// The chain the lab builds, left to right: the guide draws it before the first
    /// stage, and the handbook shows it as a picture.
    pub chain: Vec<ChainLinkDef>,
    /// One line under the handbook's picture of the chain: which stages build
    /// which part.
    #[serde(default)]
    pub chain_caption: String,
    /// The handbook's appendices, after the stages and before the generated one on
    /// IAM policies.
    #[serde(default)]
    pub appendices: Vec<AppendixDef>,
    /// What the guide explains with the metric's own numbers when some checks fail
    /// (the classic Average-instead-of-Sum mistake).
    #[serde(default)]
    pub troubleshoot: Option<TroubleshootDef>,
    /// The tag `lab` puts on every resource it creates, so that cleanup can find them.
    pub tag: TagDef,
    /// The names and values the lab uses, in the order a learner is asked for them.
    pub variables: Vec<VariableDef>,
    /// The stage files, relative to this file, in the order a learner does them.
    /// Stage numbers (1, 2, ...) follow this order.
    pub stages: Vec<String>,
    /// Points a check is worth in a class gradebook, by check id; a check not
    /// listed is worth 1.
    #[serde(default)]
    pub points: BTreeMap<String, u32>,
    /// What the lab's metric must count, judged by `logs.metric_filter` against
    /// generated CloudTrail records: the records it must count, and those it may.
    /// Every other record must not be counted.
    pub watch: checkers::watch::Watch,
}

/// One link of the chain: a service and what it does with a read of the secret.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChainLinkDef {
    /// The service or part, as a box's title: `CloudTrail`, `Metric filter`.
    pub service: String,
    /// What of it the lab builds, under the title in the picture: `the trail`.
    pub part: String,
    /// What it does with the read, in two or three words, under its box in the
    /// terminal: `records it`.
    pub does: String,
    /// What passes on to the next link, on the arrow between them: `JSON records`.
    /// On the last link: where the chain ends (`✉ you`).
    #[serde(default)]
    pub then: Option<String>,
}

/// An appendix of the handbook.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppendixDef {
    /// Stable identifier, lowercase words joined by `-`: its page is
    /// `appendix-ID.md`.
    pub id: String,
    /// Its title, after "Appendix A ·".
    pub title: String,
    /// Its text, in Markdown.
    pub text: String,
}

/// When and how the guide explains a failure with the metric's numbers.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TroubleshootDef {
    /// The checks whose failure calls for the numbers: the guide then shows the
    /// metric's Average, Sum and count of events per alarm period for the last hour.
    pub when_failing: Vec<String>,
    /// Steps after whose checks the guide shows the numbers, passed or not, without
    /// `explain`: the learner compares them with the threshold before being told.
    #[serde(default)]
    pub after_steps: Vec<String>,
    /// Steps after whose checks the guide shows the numbers with `explain` under
    /// them, passed or not: the experiment that answers the question.
    #[serde(default)]
    pub explain_after: Vec<String>,
    /// What the numbers mean, in Markdown, shown under them (when a check in
    /// `when_failing` fails, and after the steps in `explain_after`).
    pub explain: String,
    /// A worked example of the numbers, drawn in the handbook as a chart of the
    /// Average and the Sum per period against the threshold, after the steps in
    /// `after_steps`.
    #[serde(default)]
    pub example: Option<TroubleshootExampleDef>,
}

/// Made-up numbers that show what the guide shows with the learner's own.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TroubleshootExampleDef {
    /// What the example is, in one sentence, shown under the chart.
    pub caption: String,
    /// The alarm's threshold, drawn as a line across both charts.
    pub threshold: f64,
    /// The alarm periods, oldest first. At least one.
    pub periods: Vec<PeriodDef>,
}

/// One alarm period of an example: what the metric filter saw in it.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodDef {
    /// The CloudTrail events in the log group during the period (each one adds a
    /// value to the metric: 1 for a read, 0 otherwise). At least 1.
    pub events: u32,
    /// How many of them were reads of the secret. At most `events`.
    pub reads: u32,
}

/// A tag: a key and its value.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TagDef {
    /// The tag key, e.g. `lab`.
    pub key: String,
    /// The tag value, e.g. the lab id.
    pub value: String,
}

/// One lab variable: a name used in templates, with a default or a question.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VariableDef {
    /// The name templates use, in `snake_case`: `{{secret_name}}`.
    pub name: String,
    /// What the value names, in one line (shown when the learner is asked, and in help).
    pub description: String,
    /// The value used unless the learner overrides it (`--set name=value`).
    /// A *template*: it may use the built-ins and variables defined above it.
    #[serde(default)]
    pub default: Option<String>,
    /// The question the runner asks when the value is needed and has no default
    /// (for example the learner's email address). A variable needs a `default`, an
    /// `ask`, or both.
    #[serde(default)]
    pub ask: Option<String>,
    /// An example value, for a variable with no default: the handbook sets its shell
    /// variable to it at the top of a chapter (`EMAIL='you@example.com'`) for the
    /// reader to change. Checked against `kind`.
    #[serde(default)]
    pub example: Option<String>,
    /// What kind of value it is; values given on the command line are checked against it.
    #[serde(default)]
    pub kind: VariableKind,
}

/// The kinds of value a variable can hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VariableKind {
    /// Any non-empty text.
    #[default]
    Text,
    /// An email address (`name@domain`).
    Email,
    /// An S3 bucket name: 3 to 63 characters of lowercase letters, digits, `-` and `.`,
    /// starting and ending with a letter or digit.
    BucketName,
}

/// A stage file: one stage of the lab, with its steps in order.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageFile {
    /// Version of the lesson format the file is written in. This build reads `1`.
    pub format_version: u32,
    /// Stable identifier of the stage, lowercase words joined by `-` (e.g. `secret`).
    /// `lab run --stage` and `lab check --stage` accept it as well as the number.
    pub id: String,
    /// The stage's title.
    pub title: String,
    /// What the stage achieves, in one sentence.
    pub goal: String,
    /// The story of the stage, in Markdown: why it matters and how the pieces fit.
    /// A *template*.
    pub narrative: String,
    /// Whether `lab check` without `--stage` or `--all` checks this stage. The
    /// default scope is the lab as built; stages that undo or toggle it (the direct
    /// notification comparison, cleanup) set this to `false`.
    #[serde(default = "yes")]
    pub checked_by_default: bool,
    /// The steps, in the order a learner does them.
    pub steps: Vec<StepDef>,
    /// What exists once every step is done, in Markdown: the guide shows it when the
    /// learner finishes the stage, the handbook at the end of the chapter. A
    /// *template*.
    pub summary: String,
}

fn yes() -> bool {
    true
}

/// One step: something the learner does, and how `lab` checks it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepDef {
    /// Identifier of the step, unique within the lab, lowercase words joined by `-`.
    pub id: String,
    /// The step's title, in the imperative ("Create the trail").
    pub title: String,
    /// How to do the step in the AWS console, in Markdown. A *template*.
    pub instructions: String,
    /// The same step with the AWS CLI, as shell commands. A *template*.
    /// Left out where the step has no CLI form (confirming an email subscription).
    #[serde(default)]
    pub cli: Option<String>,
    /// The action `lab` performs through the AWS SDK when the learner asks it to do
    /// the step for them. Left out where only the learner can do it.
    #[serde(default, rename = "do")]
    #[schemars(schema_with = "action_schema")]
    pub action: Option<Invocation>,
    /// The checks that must pass for the step to be done (at least one): ids from
    /// the check catalogue, with parameters where the check takes them.
    #[schemars(schema_with = "checks_schema")]
    pub check: Vec<Invocation>,
    /// Hints, ordered from a gentle nudge to the full answer. *Templates*.
    #[serde(default)]
    pub hints: Vec<String>,
    /// For steps whose result takes AWS a while to show: what to wait for.
    #[serde(default)]
    pub wait: Option<WaitDef>,
    /// What the learner should see when the step is done, in Markdown. A *template*.
    pub expect: String,
}

/// A wait: what AWS is doing and how long it usually takes.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WaitDef {
    /// What the learner is waiting for, as a phrase ("CloudTrail to deliver events").
    #[serde(rename = "for")]
    pub for_what: String,
    /// How long it usually takes, as a duration such as `30s`, `5m` or `1m30s`.
    pub usual: String,
    /// The step's action must have the account to itself, as an experiment on a
    /// metric's window does: the guide lets a new minute begin after its own last
    /// call before the action, and makes no call for `usual` after it, so nothing of
    /// its own shares the window (in the sandbox the clock is moved on instead).
    #[serde(default)]
    pub quiet: bool,
}

/// A reference to a check or an action: its id, and parameters if it takes any.
///
/// Written either as the bare id (`secret.exists`) or as a map with `id` and `with`:
///
/// ```yaml
/// check:
///   - trail.exists
///   - id: trail.sns_notifications
///     with: { enabled: true }
/// ```
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(untagged, deny_unknown_fields)]
pub enum Invocation {
    /// The bare id.
    Id(String),
    /// The id with parameters.
    WithParams {
        /// The check or action id.
        id: String,
        /// Parameter values by name.
        #[serde(default)]
        with: BTreeMap<String, ParamValue>,
    },
}

/// The schema of a step's `check:` list: each entry names a check of the catalogue,
/// so an editor completes the ids and marks a misspelt one.
fn checks_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let entries: Vec<(&str, &[ParamSpec])> = checkers::catalogue::CATALOGUE
        .iter()
        .map(|c| (c.id, c.params))
        .collect();
    let entry = invocation_schema(&entries, "The check's id.");
    schemars::json_schema!({ "type": "array", "items": entry })
}

/// The schema of a step's `do:`: an action of the catalogue.
fn action_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let entries: Vec<(&str, &[ParamSpec])> = crate::action_catalogue::CATALOGUE
        .iter()
        .map(|a| (a.id, a.params))
        .collect();
    invocation_schema(&entries, "The action's id.")
}

/// An [`Invocation`] of one of `entries` (ids with their parameters): the bare id
/// when it needs no parameter, or `{id, with}` where `with` takes exactly that id's
/// parameters, typed, so an editor completes and checks them too.
fn invocation_schema(entries: &[(&str, &[ParamSpec])], id_doc: &str) -> schemars::Schema {
    let bare: Vec<&str> = entries
        .iter()
        .filter(|(_, params)| params.iter().all(|p| !p.required))
        .map(|(id, _)| *id)
        .collect();
    let mut alternatives = vec![serde_json::json!({ "type": "string", "enum": bare })];
    for (id, params) in entries {
        let properties: serde_json::Map<String, serde_json::Value> = params
            .iter()
            .map(|p| (p.name.to_string(), param_schema(p)))
            .collect();
        let required: Vec<&str> = params
            .iter()
            .filter(|p| p.required)
            .map(|p| p.name)
            .collect();
        let mut with = serde_json::json!({
            "type": "object",
            "additionalProperties": false,
            "properties": properties,
        });
        let mut object_required = vec!["id"];
        if !required.is_empty() {
            with["required"] = serde_json::json!(required);
            object_required.push("with");
        }
        alternatives.push(serde_json::json!({
            "type": "object",
            "additionalProperties": false,
            "required": object_required,
            "properties": {
                "id": { "const": id, "description": id_doc },
                "with": with,
            },
        }));
    }
    schemars::json_schema!({ "anyOf": alternatives })
}

/// The values one parameter takes, as JSON Schema says it, with its description.
fn param_schema(spec: &ParamSpec) -> serde_json::Value {
    let mut schema = match spec.kind {
        ParamKind::Bool => serde_json::json!({ "type": "boolean" }),
        ParamKind::Integer { min, max } => {
            serde_json::json!({ "type": "integer", "minimum": min, "maximum": max })
        }
        ParamKind::OneOf(words) => serde_json::json!({ "type": "string", "enum": words }),
        ParamKind::IntegerOr { min, max, word } => serde_json::json!({
            "anyOf": [
                { "type": "integer", "minimum": min, "maximum": max },
                { "const": word },
            ]
        }),
    };
    schema["description"] = serde_json::json!(spec.description);
    schema
}

impl Invocation {
    /// The referenced id.
    pub fn id(&self) -> &str {
        match self {
            Invocation::Id(id) | Invocation::WithParams { id, .. } => id,
        }
    }

    /// The parameters given (none for a bare id).
    pub fn params(&self) -> BTreeMap<String, ParamValue> {
        match self {
            Invocation::Id(_) => BTreeMap::new(),
            Invocation::WithParams { with, .. } => with.clone(),
        }
    }
}

/// Parses a bare string or an `{id, with}` map, with errors that name the keys
/// expected (an untagged enum would only say "did not match any variant").
impl<'de> Deserialize<'de> for Invocation {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{self, MapAccess, Visitor};

        struct InvocationVisitor;

        impl<'de> Visitor<'de> for InvocationVisitor {
            type Value = Invocation;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an id such as `secret.exists`, or a map with `id` and `with`")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Invocation, E> {
                Ok(Invocation::Id(value.to_string()))
            }

            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Invocation, M::Error> {
                let mut id: Option<String> = None;
                let mut with: Option<BTreeMap<String, ParamValue>> = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "id" if id.is_none() => id = Some(map.next_value()?),
                        "with" if with.is_none() => with = Some(map.next_value()?),
                        "id" | "with" => return Err(de::Error::duplicate_field("id or with")),
                        other => return Err(de::Error::unknown_field(other, &["id", "with"])),
                    }
                }
                let id = id.ok_or_else(|| de::Error::missing_field("id"))?;
                Ok(Invocation::WithParams {
                    id,
                    with: with.unwrap_or_default(),
                })
            }
        }

        deserializer.deserialize_any(InvocationVisitor)
    }
}

/// Only the version: read first, so that a file from a newer `lab` gets an upgrade
/// hint instead of a list of fields this build does not know.
#[derive(Debug, Deserialize)]
pub(crate) struct VersionProbe {
    pub format_version: Option<u32>,
}

/// A lesson file of `lab`: the lab file (`lab.yaml`) or a stage file. Generated from
/// the documented Rust types by `lab lessons schema`; do not edit by hand.
#[derive(JsonSchema)]
#[schemars(untagged, title = "lab lesson file")]
#[allow(dead_code)]
pub(crate) enum AnyLessonFile {
    Lab(Box<LabFile>),
    Stage(StageFile),
}
