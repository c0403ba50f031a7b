//! What the lab's metric must count, as the lab declares it (the `watch:` block of
//! `lab.yaml`).
//!
//! The checker judges a metric by running every metric filter that feeds it over a
//! generated corpus of CloudTrail records (see [`crate::corpus`]). Which of those
//! records the metric must count, which it may count, and which it must not is the
//! lab's to say, so it lives here as data: a list of record *shapes* it must count
//! and a list it may count. Every other record the corpus holds must not be counted.
//!
//! A shape names what a record is, never how it is written: the service and
//! operation, the kind of event, whether the call succeeded, whom it was about, who
//! made it and whether a service made it for them. The corpus's generator varies
//! everything else (times, addresses, agents, ids, the way the resource is named), so
//! a shape cannot be met by fitting a pattern to one example.
//!
//! What the shapes name is also what a pattern may test: a field a shape speaks
//! about ([`Watch::judged_fields`]) is one the corpus varies along, so a test of it
//! is judged by the records; a test of any other field is a guess about records no
//! corpus can list.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::corpus::operations::{About, OPERATIONS, Operation};
pub use crate::corpus::{CallOutcome, EventType, Resource};
use crate::corpus::{Facts, IdentityKind};

/// What the lab's metric counts.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Watch {
    /// What the metric counts, in a few words for messages, e.g. `reads of the secret`.
    pub counts: String,
    /// One of them, for messages and check titles, e.g. `a read of the secret`.
    pub one: String,
    /// What the learner does to make one, in the imperative, for fixes, e.g. `read
    /// the secret`.
    pub cause: String,
    /// Records the metric must count, each exactly once. At least one; each must
    /// describe records the corpus can make (an operation it knows).
    pub count: Vec<Shape>,
    /// Records the metric may count or not: counting them is not wrong, but when a
    /// filter does, the verdict says so with the shape's `note`.
    #[serde(default)]
    pub allow: Vec<Noted>,
    /// Records the metric must never count, named so that a verdict can say why
    /// (their `note`), e.g. calls a service makes for the root user. Every record
    /// that is neither counted nor allowed must not be counted either; these are the
    /// ones a pattern is most likely to count by mistake.
    #[serde(default)]
    pub never: Vec<Noted>,
    /// A filter pattern that counts exactly what the watch asks, suggested in fixes
    /// beside the lesson's own pattern, e.g. a JSON pattern on the event's fields.
    #[serde(default)]
    pub suggest: Option<String>,
}

/// One search of CloudTrail's event history (LookupEvents takes one attribute).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The events one service recorded (`EventSource`). Never by `EventName`: the
    /// grader's own LookupEvents record would then hold the operation's name, which
    /// a learner's filter may count.
    EventSource(String),
    /// The latest events, whatever they are.
    Latest,
}

/// A record shape with what to tell the learner about it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Noted {
    /// Which records.
    #[serde(flatten)]
    pub shape: Shape,
    /// For an `allow` shape, said in a passing verdict when the metric counts such
    /// records, e.g. `it also counts records that merely mention the word`; for a
    /// `never` shape, said in the failing verdict, e.g. why such records are left
    /// out. Without a note, nothing is said.
    #[serde(default)]
    pub note: Option<String>,
}

/// Which CloudTrail records: every field given must hold; a field left out holds
/// for every record.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Shape {
    /// The shape in a few words, for messages: `a GetSecretValue on the secret`.
    pub label: String,
    /// The service that records the event (`eventSource`), e.g. `secretsmanager.amazonaws.com`.
    #[serde(default)]
    pub source: Option<String>,
    /// The operations (`eventName`), any of them, e.g. `[GetSecretValue]`.
    #[serde(default)]
    pub events: Vec<String>,
    /// What the call was about: the lab's secret (named any way AWS accepts: by
    /// name, full ARN or partial ARN) or another secret.
    #[serde(default)]
    pub resource: Option<Resource>,
    /// Whether the call succeeded or was refused (a record with `errorCode`).
    #[serde(default)]
    pub outcome: Option<CallOutcome>,
    /// Who made the call.
    #[serde(default)]
    pub identity: Option<IdentityKind>,
    /// Whether an AWS service made the call on the caller's behalf (CloudTrail then
    /// names it in `userIdentity.invokedBy`).
    #[serde(default)]
    pub via_service: Option<bool>,
    /// Whether the caller proved multi-factor authentication: for a console sign-in,
    /// `additionalEventData.MFAUsed` is `Yes`; for a call with session credentials,
    /// `userIdentity.sessionContext.attributes.mfaAuthenticated` is `true`. A call
    /// with long-term access keys proves none.
    #[serde(default)]
    pub mfa: Option<bool>,
    /// The kinds of event (`eventType`), any of them.
    #[serde(default)]
    pub event_types: Vec<EventType>,
    /// Records whose text contains this word anywhere, whatever they are (for
    /// records that only *mention* an operation, like a search of the event history).
    #[serde(default)]
    pub mentions: Option<String>,
}

/// The field that names the resource a call is about (the secret, by name, by full
/// ARN or by partial ARN, every form of which the corpus holds).
const RESOURCE_FIELD: &str = "$.requestParameters.secretId";

/// The fields the corpus varies whatever the shapes say: it holds every operation
/// it knows, of several services, each succeeding and refused in several ways.
const ALWAYS_VARIED: &[&str] = &["$.eventSource", "$.eventName", "$.errorCode"];

/// What the metric must do with one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class<'w> {
    /// Count it, once.
    Count(&'w Shape),
    /// Count it or not.
    Allow(&'w Noted),
    /// Never count it: a record the lab names as one not to count.
    Never(&'w Noted),
    /// Never count it.
    Ignore,
}

impl Shape {
    /// Whether a record with these `facts` and this text has the shape.
    pub fn holds(&self, facts: &Facts, text: &str) -> bool {
        self.source.as_ref().is_none_or(|s| *s == facts.source)
            && (self.events.is_empty() || self.events.contains(&facts.event))
            && self.resource.is_none_or(|r| facts.resource == Some(r))
            && self.outcome.is_none_or(|o| o == facts.outcome)
            && self.identity.is_none_or(|i| i == facts.identity)
            && self.via_service.is_none_or(|v| v == facts.via_service)
            && self.mfa.is_none_or(|m| m == facts.mfa)
            && (self.event_types.is_empty() || self.event_types.contains(&facts.event_type))
            && self
                .mentions
                .as_ref()
                .is_none_or(|word| text.contains(word.as_str()))
    }

    /// Whether some record of `op` may have the shape: its source, name, kind of
    /// event and, where the shape names a resource, a request about one. (Who calls,
    /// and how it ends, every operation can vary.)
    pub fn may_hold_for(&self, op: &Operation) -> bool {
        self.source.as_ref().is_none_or(|s| s == op.source)
            && (self.events.is_empty() || self.events.iter().any(|e| e == op.name))
            && (self.resource.is_none() || op.about == About::Secret)
            && (self.event_types.is_empty() || self.event_types.contains(&op.event_type()))
    }
}

impl Watch {
    /// `text` with the watch's words put in: `{counts}`, `{one}`, and `{One}` (the
    /// same, capitalised, to begin a sentence).
    pub fn words(&self, text: &str) -> String {
        text.replace("{counts}", &self.counts)
            .replace("{one}", &self.one)
            .replace("{One}", &capitalised(&self.one))
    }

    /// What the metric must do with a record: the first `count` shape that holds,
    /// else the first `allow` shape, else the first `never` shape, else ignore it.
    pub fn classify(&self, facts: &Facts, text: &str) -> Class<'_> {
        if let Some(shape) = self.count.iter().find(|s| s.holds(facts, text)) {
            return Class::Count(shape);
        }
        if let Some(allowed) = self.allow.iter().find(|a| a.shape.holds(facts, text)) {
            return Class::Allow(allowed);
        }
        match self.never.iter().find(|n| n.shape.holds(facts, text)) {
            Some(never) => Class::Never(never),
            None => Class::Ignore,
        }
    }

    /// How to find the counted events in CloudTrail's event history: by the services
    /// the `count` shapes name, when all name one; else the latest events.
    pub fn lookups(&self) -> Vec<Lookup> {
        let mut lookups = Vec::new();
        for shape in &self.count {
            let Some(source) = &shape.source else {
                return vec![Lookup::Latest];
            };
            let lookup = Lookup::EventSource(source.clone());
            if !lookups.contains(&lookup) {
                lookups.push(lookup);
            }
        }
        lookups
    }

    /// Every shape: counted, allowed and never counted.
    fn shapes(&self) -> impl Iterator<Item = &Shape> {
        self.count
            .iter()
            .chain(self.allow.iter().map(|a| &a.shape))
            .chain(self.never.iter().map(|n| &n.shape))
    }

    /// The kinds of caller the shapes name: the corpus makes every operation by
    /// each of them, directly and through a service.
    pub fn focus(&self) -> Vec<IdentityKind> {
        let mut focus: Vec<IdentityKind> = Vec::new();
        for kind in self.shapes().filter_map(|s| s.identity) {
            if !focus.contains(&kind) {
                focus.push(kind);
            }
        }
        focus
    }

    /// The fields some shape speaks about, as selectors (`$.userIdentity.type`): the
    /// corpus varies along each of them, so the records judge a pattern's tests of
    /// them.
    pub fn judged_fields(&self) -> Vec<&'static str> {
        let mut fields: Vec<&'static str> = ALWAYS_VARIED.to_vec();
        for shape in self.shapes() {
            let named = [
                (shape.source.is_some(), "$.eventSource"),
                (!shape.events.is_empty(), "$.eventName"),
                (shape.resource.is_some(), RESOURCE_FIELD),
                (shape.outcome.is_some(), "$.errorCode"),
                (shape.identity.is_some(), "$.userIdentity.type"),
                (shape.via_service.is_some(), "$.userIdentity.invokedBy"),
                (shape.mfa.is_some(), "$.additionalEventData.MFAUsed"),
                (
                    shape.mfa.is_some(),
                    "$.userIdentity.sessionContext.attributes.mfaAuthenticated",
                ),
                (!shape.event_types.is_empty(), "$.eventType"),
            ];
            for (said, field) in named {
                if said && !fields.contains(&field) {
                    fields.push(field);
                }
            }
        }
        fields
    }

    /// The kinds of caller every counted record has, when every `count` shape names
    /// one: a pattern must then pick them positively in every alternative.
    pub fn counted_identities(&self) -> Option<Vec<IdentityKind>> {
        let mut counted = Vec::new();
        for shape in &self.count {
            let kind = shape.identity?;
            if !counted.contains(&kind) {
                counted.push(kind);
            }
        }
        Some(counted)
    }

    /// The operations CloudTrail must record for the metric to see what it counts:
    /// each one some `count` shape may hold for, in the corpus's order.
    pub fn counted_operations(&self) -> Vec<&'static Operation> {
        OPERATIONS
            .iter()
            .filter(|op| self.count.iter().any(|shape| shape.may_hold_for(op)))
            .collect()
    }

    /// Every operation a `count` shape or an `allow` shape names.
    pub fn named_events(&self) -> Vec<&str> {
        let mut named: Vec<&str> = Vec::new();
        for event in self
            .count
            .iter()
            .chain(self.allow.iter().map(|a| &a.shape))
            .flat_map(|s| s.events.iter().map(String::as_str))
        {
            if !named.contains(&event) {
                named.push(event);
            }
        }
        named
    }

    /// The operations every counted record has, when every `count` shape names its
    /// operations: a pattern must then test `$.eventName` in every alternative.
    pub fn counted_events(&self) -> Option<Vec<&str>> {
        if self.count.iter().any(|s| s.events.is_empty()) {
            return None;
        }
        let mut counted: Vec<&str> = Vec::new();
        for event in self
            .count
            .iter()
            .flat_map(|s| s.events.iter().map(String::as_str))
        {
            if !counted.contains(&event) {
                counted.push(event);
            }
        }
        Some(counted)
    }
}

/// `text` with its first letter in upper case.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
