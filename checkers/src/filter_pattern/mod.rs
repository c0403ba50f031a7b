//! The CloudWatch Logs filter-pattern language, parsed and evaluated, so that a metric
//! filter is judged by what it *means* rather than by what its text looks like.
//!
//! Two forms are understood:
//!
//! - **terms**, for any event: `ERROR`, `"quoted phrase"`, several terms (all must
//!   appear), `?a ?b` (any may appear), `-term` (must not appear), and the empty pattern
//!   (matches every event). Terms are case-sensitive.
//! - **JSON**, for JSON events: `{ $.eventName = "GetSecretValue" }`, with selectors
//!   (`$.a.b`, `$.list[0]`), `=` `!=` `<` `>` `<=` `>=`, strings (quoted or bare, `*` as a
//!   wildcard), numbers, `IS TRUE`, `IS FALSE`, `IS NULL`, `NOT EXISTS`, `&&`, `||` and
//!   parentheses.
//!
//! Anything else (space-delimited `[a, b]` patterns, `%regex%`) is
//! [`ParseErrorKind::Unsupported`]: the checker reports it as an error, never as a
//! guess. Every [`ParseError`] says what is wrong in words and where, and
//! [`ParseError::explain`] shows the pattern with a caret under the spot.
//!
//! [`structure`] reads what a JSON pattern's shape says on its own: its alternatives,
//! and which fields each one tests.
//!
//! Evaluation is three-valued: [`Verdict::Unknown`] where AWS's behaviour is not pinned
//! down by its documentation (a term that occurs only inside a longer word; `!=`
//! against a field the event lacks; comparing a number with a string). A checker must
//! not turn Unknown into pass or fail.

mod eval;
mod parse;
pub mod structure;
#[cfg(test)]
mod tests;

pub use parse::{MAX_PATTERN_CHARS, ParseError, ParseErrorKind, parse};

/// A parsed filter pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum Pattern {
    /// The empty pattern: every event matches.
    Everything,
    /// Terms for any event.
    Terms(Terms),
    /// A JSON expression for JSON events.
    Json(Expr),
}

/// The term form: `include` (all of them, or any of them), and `exclude`.
#[derive(Debug, Clone, PartialEq)]
pub struct Terms {
    /// Terms that must appear.
    pub include: Vec<Term>,
    /// `true` when written `?a ?b`: any one included term is enough.
    pub any: bool,
    /// Terms (`-term`) that must not appear.
    pub exclude: Vec<Term>,
}

/// One term: a bare word, or a quoted phrase (matched as written, anywhere).
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The text to find.
    pub text: String,
    /// Whether it was quoted.
    pub quoted: bool,
}

/// A JSON filter expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Both sides match.
    And(Box<Expr>, Box<Expr>),
    /// Either side matches.
    Or(Box<Expr>, Box<Expr>),
    /// A test on one field.
    Test(Selector, Test),
}

/// A path into a JSON event: `$.requestParameters.secretId`, `$.resources[0].ARN`.
#[derive(Debug, Clone, PartialEq)]
pub struct Selector(pub Vec<Step>);

/// One step of a selector.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// An object key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// What a JSON expression tests a field for.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// A comparison with a value.
    Compare(Op, Value),
    /// `IS TRUE` / `IS FALSE`.
    IsBool(bool),
    /// `IS NULL`.
    IsNull,
    /// `NOT EXISTS`.
    NotExists,
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string, quoted or bare; `*` matches any run of characters.
    Text(String),
    /// A number.
    Number(f64),
}

/// The result of matching one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The event matches.
    Match,
    /// The event does not match.
    NoMatch,
    /// AWS's documented behaviour does not settle it.
    Unknown,
}

impl Term {
    /// Whether the term holds JSON punctuation (`"`, `{`, `}`, `,`): whether it
    /// matches a CloudTrail record then depends on how the record is serialised.
    pub fn spans_json(&self) -> bool {
        eval::spans_json(&self.text)
    }
}

impl Pattern {
    /// Matches one raw log event (for CloudTrail, one JSON record).
    pub fn matches(&self, event: &str) -> Verdict {
        eval::matches(self, event)
    }

    /// Matches one record already parsed: `text` as written, `json` its parsed form
    /// (what a corpus holds, so that each record is parsed once, not once per pattern).
    pub fn matches_record(&self, text: &str, json: &serde_json::Value) -> Verdict {
        eval::matches_parsed(self, text, json)
    }
}
