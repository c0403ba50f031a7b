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
//! operation, whether the call succeeded, whom it was about and who made it. The
//! corpus's generator varies everything else (times, addresses, agents, ids, the way
//! the resource is named), so a shape cannot be met by fitting a pattern to one
//! example.

use schemars::JsonSchema;
use serde::Deserialize;

pub use crate::corpus::{CallOutcome, Resource};
use crate::corpus::{Facts, IdentityKind};

/// What the lab's metric counts.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Watch {
    /// What the metric counts, in a few words for messages, e.g. `reads of the secret`.
    pub counts: String,
    /// Records the metric must count, each exactly once. At least one; each must
    /// describe records the corpus can make (an operation it knows).
    pub count: Vec<Shape>,
    /// Records the metric may count or not: counting them is not wrong, but when a
    /// filter does, the verdict says so with the shape's `note`.
    #[serde(default)]
    pub allow: Vec<Allowed>,
}

/// A record shape the metric may count, with what to tell the learner when it does.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Allowed {
    /// Which records.
    #[serde(flatten)]
    pub shape: Shape,
    /// Said in a passing verdict when the metric counts such records, e.g. `it also
    /// counts records that merely mention the word`. Without a note, nothing is said.
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
    /// Records whose text contains this word anywhere, whatever they are (for
    /// records that only *mention* an operation, like a search of the event history).
    #[serde(default)]
    pub mentions: Option<String>,
}

/// What the metric must do with one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class<'w> {
    /// Count it, once.
    Count(&'w Shape),
    /// Count it or not.
    Allow(&'w Allowed),
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
            && self
                .mentions
                .as_ref()
                .is_none_or(|word| text.contains(word.as_str()))
    }
}

impl Watch {
    /// What the metric must do with a record: the first `count` shape that holds,
    /// else the first `allow` shape, else ignore it.
    pub fn classify(&self, facts: &Facts, text: &str) -> Class<'_> {
        if let Some(shape) = self.count.iter().find(|s| s.holds(facts, text)) {
            return Class::Count(shape);
        }
        match self.allow.iter().find(|a| a.shape.holds(facts, text)) {
            Some(allowed) => Class::Allow(allowed),
            None => Class::Ignore,
        }
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
