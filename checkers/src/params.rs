//! Parameters that a check or a lesson action accepts.
//!
//! Lessons pass parameters with `with:` (for example the SNS-notification check takes
//! `enabled: true` while the learner compares the two alert paths, and `enabled: false`
//! at the end). Each catalogue entry declares its parameters with a [`ParamSpec`], and
//! lesson loading validates the lesson's values against them, so a typo is an error at
//! load time rather than a surprise at check time.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The value of one parameter, as written in a lesson file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ParamValue {
    /// `true` or `false`.
    Bool(bool),
    /// A whole number, e.g. a period in seconds.
    Integer(i64),
    /// Any text.
    Text(String),
}

impl ParamValue {
    /// A short word for the value's type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            ParamValue::Bool(_) => "a boolean",
            ParamValue::Integer(_) => "a whole number",
            ParamValue::Text(_) => "text",
        }
    }
}

/// Parameter values by name, as validated against a [`ParamSpec`] list.
pub type Params = BTreeMap<String, ParamValue>;

/// What kind of value a parameter takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// `true` or `false`.
    Bool,
    /// A whole number between the two bounds, inclusive.
    Integer {
        /// Smallest value accepted.
        min: i64,
        /// Largest value accepted.
        max: i64,
    },
    /// One of a fixed list of words.
    OneOf(&'static [&'static str]),
    /// A whole number between the two bounds, inclusive, or one word meaning none
    /// (e.g. a metric filter's default value, or `none` for no default).
    IntegerOr {
        /// Smallest value accepted.
        min: i64,
        /// Largest value accepted.
        max: i64,
        /// The word that stands for no number.
        word: &'static str,
    },
}

/// One parameter that a check or an action declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamSpec {
    /// The name used under `with:` in a lesson.
    pub name: &'static str,
    /// What it means, for error messages and the handbook.
    pub description: &'static str,
    /// The values it takes.
    pub kind: ParamKind,
    /// Whether a lesson must give it.
    pub required: bool,
}

/// Why a lesson's parameters do not fit a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamError {
    /// A parameter the spec does not declare.
    Unknown {
        /// The name given.
        name: String,
        /// The names the spec declares.
        known: Vec<&'static str>,
    },
    /// A required parameter is missing.
    Missing {
        /// The missing parameter's name.
        name: &'static str,
    },
    /// A value of the wrong type or out of range.
    Invalid {
        /// The parameter's name.
        name: String,
        /// What the spec expects, in words.
        expected: String,
        /// What was given, in words.
        found: String,
    },
}

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParamError::Unknown { name, known } if known.is_empty() => {
                write!(f, "unknown parameter `{name}`: this takes no parameters")
            }
            ParamError::Unknown { name, known } => write!(
                f,
                "unknown parameter `{name}`: expected one of {}",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ParamError::Missing { name } => write!(f, "missing required parameter `{name}`"),
            ParamError::Invalid {
                name,
                expected,
                found,
            } => {
                write!(f, "parameter `{name}` must be {expected}, found {found}")
            }
        }
    }
}

impl ParamKind {
    /// The values this kind accepts, in words.
    pub fn describe(&self) -> String {
        match self {
            ParamKind::Bool => "true or false".to_string(),
            ParamKind::Integer { min, max } => format!("a whole number from {min} to {max}"),
            ParamKind::OneOf(words) => format!("one of {}", words.join(", ")),
            ParamKind::IntegerOr { min, max, word } => {
                format!("a whole number from {min} to {max}, or {word}")
            }
        }
    }

    fn accepts(&self, value: &ParamValue) -> bool {
        match (self, value) {
            (ParamKind::Bool, ParamValue::Bool(_)) => true,
            (ParamKind::Integer { min, max }, ParamValue::Integer(n)) => (min..=max).contains(&n),
            (ParamKind::OneOf(words), ParamValue::Text(t)) => words.contains(&t.as_str()),
            (ParamKind::IntegerOr { min, max, .. }, ParamValue::Integer(n)) => {
                (min..=max).contains(&n)
            }
            (ParamKind::IntegerOr { word, .. }, ParamValue::Text(t)) => t == word,
            _ => false,
        }
    }
}

/// Checks `given` against `specs`: every given name is declared, every value fits its
/// kind, every required parameter is present. Returns every problem, in name order.
pub fn validate(specs: &[ParamSpec], given: &Params) -> Vec<ParamError> {
    let mut errors = Vec::new();
    for (name, value) in given {
        match specs.iter().find(|s| s.name == name) {
            None => errors.push(ParamError::Unknown {
                name: name.clone(),
                known: specs.iter().map(|s| s.name).collect(),
            }),
            Some(spec) if !spec.kind.accepts(value) => errors.push(ParamError::Invalid {
                name: name.clone(),
                expected: spec.kind.describe(),
                found: match value {
                    ParamValue::Bool(b) => format!("{} `{b}`", value.type_name()),
                    ParamValue::Integer(n) => format!("{} `{n}`", value.type_name()),
                    ParamValue::Text(t) => format!("{} `{t}`", value.type_name()),
                },
            }),
            Some(_) => {}
        }
    }
    for spec in specs.iter().filter(|s| s.required) {
        if !given.contains_key(spec.name) {
            errors.push(ParamError::Missing { name: spec.name });
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[ParamSpec] = &[
        ParamSpec {
            name: "enabled",
            description: "on or off",
            kind: ParamKind::Bool,
            required: true,
        },
        ParamSpec {
            name: "period",
            description: "seconds",
            kind: ParamKind::Integer {
                min: 10,
                max: 86_400,
            },
            required: false,
        },
        ParamSpec {
            name: "statistic",
            description: "which statistic",
            kind: ParamKind::OneOf(&["Sum", "Average"]),
            required: false,
        },
    ];

    fn params(pairs: &[(&str, ParamValue)]) -> Params {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn accepts_values_that_fit() {
        let given = params(&[
            ("enabled", ParamValue::Bool(true)),
            ("period", ParamValue::Integer(60)),
            ("statistic", ParamValue::Text("Sum".into())),
        ]);
        assert_eq!(validate(SPECS, &given), vec![]);
    }

    #[test]
    fn reports_unknown_missing_and_invalid() {
        let given = params(&[
            ("enabeld", ParamValue::Bool(true)),
            ("period", ParamValue::Integer(5)),
            ("statistic", ParamValue::Text("Median".into())),
        ]);
        let errors = validate(SPECS, &given);
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(matches!(&errors[0], ParamError::Unknown { name, .. } if name == "enabeld"));
        assert!(matches!(&errors[1], ParamError::Invalid { name, .. } if name == "period"));
        assert!(matches!(&errors[2], ParamError::Invalid { name, .. } if name == "statistic"));
        assert_eq!(errors[3], ParamError::Missing { name: "enabled" });
        assert_eq!(
            errors[2].to_string(),
            "parameter `statistic` must be one of Sum, Average, found text `Median`"
        );
    }

    #[test]
    fn a_number_or_its_word() {
        const DEFAULT: &[ParamSpec] = &[ParamSpec {
            name: "default_value",
            description: "emitted when nothing matches",
            kind: ParamKind::IntegerOr {
                min: 0,
                max: 1,
                word: "none",
            },
            required: false,
        }];
        for fits in [ParamValue::Integer(0), ParamValue::Text("none".into())] {
            assert_eq!(
                validate(DEFAULT, &params(&[("default_value", fits)])),
                vec![]
            );
        }
        let errors = validate(
            DEFAULT,
            &params(&[("default_value", ParamValue::Text("null".into()))]),
        );
        assert_eq!(
            errors[0].to_string(),
            "parameter `default_value` must be a whole number from 0 to 1, or none, found text `null`"
        );
        let errors = validate(
            DEFAULT,
            &params(&[("default_value", ParamValue::Integer(2))]),
        );
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn a_bool_is_not_text() {
        let given = params(&[("enabled", ParamValue::Text("yes".into()))]);
        let errors = validate(SPECS, &given);
        assert!(matches!(&errors[0], ParamError::Invalid { found, .. } if found == "text `yes`"));
    }
}
