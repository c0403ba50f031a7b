//! Filter-pattern text to a [`Pattern`].
//!
//! Here: the errors, and which form a pattern is written in. Each form is read in a
//! module of its own (`terms`, and `json` over the `tokens` of a JSON pattern), on a
//! `cursor` over the text.

mod cursor;
mod json;
mod terms;
mod tokens;

use super::Pattern;
use json::json;
use terms::terms;

/// Why a pattern could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Whether AWS would refuse it too, or `lab` does not read that form yet.
    pub kind: ParseErrorKind,
    /// What is wrong, in words: `a \`(\` is never closed`.
    pub message: String,
    /// Where, in characters from the start of the pattern as written.
    pub at: usize,
}

/// The two reasons a pattern cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// A form of the language this evaluator does not implement yet.
    Unsupported,
    /// Not a valid filter pattern (AWS would refuse it too).
    Invalid,
}

impl ParseError {
    fn invalid(message: impl Into<String>, at: usize) -> Self {
        ParseError {
            kind: ParseErrorKind::Invalid,
            message: message.into(),
            at,
        }
    }

    fn unsupported(what: &str, at: usize) -> Self {
        ParseError {
            kind: ParseErrorKind::Unsupported,
            message: format!("{what} are not supported by lab yet"),
            at,
        }
    }

    /// The message with the pattern beneath it and a caret under the spot:
    ///
    /// ```text
    /// a `(` is never closed
    ///     { ($.eventName = "GetSecretValue" }
    ///       ^
    /// ```
    pub fn explain(&self, pattern: &str) -> String {
        let line: String = pattern
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let at = self.at.min(line.chars().count());
        format!("{self}\n    {line}\n    {}^", " ".repeat(at))
    }
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            ParseErrorKind::Unsupported => write!(f, "{}", self.message),
            ParseErrorKind::Invalid => write!(f, "not a valid filter pattern: {}", self.message),
        }
    }
}

/// The longest pattern CloudWatch Logs accepts, in characters.
pub const MAX_PATTERN_CHARS: usize = 1024;

/// Parses a filter pattern.
pub fn parse(text: &str) -> Result<Pattern, ParseError> {
    let length = text.chars().count();
    if length > MAX_PATTERN_CHARS {
        return Err(ParseError::invalid(
            format!(
                "it is {length} characters long; CloudWatch Logs takes at most {MAX_PATTERN_CHARS}"
            ),
            MAX_PATTERN_CHARS,
        ));
    }
    // ASCII spaces only, as between terms: a no-break space is text, not a gap.
    let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let lead = text[..text.len()
        - text
            .trim_start_matches(|c: char| c.is_ascii_whitespace())
            .len()]
        .chars()
        .count();
    // `""`, and a quoted space (`" "`), which "returns all log events" (CloudWatch
    // Logs User Guide, "Filter pattern syntax").
    let quoted_blank = trimmed.len() >= 2
        && trimmed.starts_with('"')
        && trimmed.ends_with('"')
        && trimmed[1..trimmed.len() - 1].chars().all(|c| c == ' ');
    if trimmed.is_empty() || quoted_blank {
        return Ok(Pattern::Everything);
    }
    let shift = |mut e: ParseError| {
        e.at += lead;
        e
    };
    if trimmed.starts_with('{') {
        return json(trimmed).map(Pattern::Json).map_err(shift);
    }
    if trimmed.starts_with('[') {
        return Err(shift(ParseError::unsupported(
            "space-delimited patterns (`[a, b, ...]`)",
            0,
        )));
    }
    if trimmed.starts_with('%') {
        return Err(shift(ParseError::unsupported(
            "regular-expression patterns (`%...%`)",
            0,
        )));
    }
    terms(trimmed).map(Pattern::Terms).map_err(shift)
}
