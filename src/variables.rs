//! The lab's variables resolved to values: defaults filled from the account and
//! region, overridden by `--set name=value`, each checked against its kind.

use std::collections::BTreeMap;

use crate::error::Error;
use crate::lesson::Lab;
use crate::lesson::model::Variable;

/// Variable values by name, built-ins (`account_id`, `region`) included where known.
/// A variable with no value yet (one the learner will be asked for) is absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values(pub BTreeMap<String, String>);

/// Parses one `--set` argument, `name=value`.
pub fn parse_assignment(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.to_string()))
        }
        _ => Err(format!(
            "`{text}` is not `name=value` (for example `email=me@example.com`)"
        )),
    }
}

/// The values given for the lab's variables (`--set`, then the learner's saved
/// answers behind them), each naming one of the lab's variables. Checked once, where
/// they are given, so a typo is reported before anything touches the network.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assignments(Vec<(String, String)>);

impl Assignments {
    /// `given` (`--set`), each checked: the lab has the variable, and the value
    /// fits its kind.
    pub fn new(lab: &Lab, given: &[(String, String)]) -> Result<Assignments, Error> {
        for (name, value) in given {
            let Some(variable) = lab.variables.iter().find(|v| &v.name == name) else {
                return Err(Error::UnknownVariable {
                    name: name.clone(),
                    known: lab.variables.iter().map(|v| v.name.clone()).collect(),
                });
            };
            fits(variable, value)?;
        }
        Ok(Assignments(given.to_vec()))
    }

    /// The learner's `saved` answers with these in front: a value given now wins
    /// over one saved before. Saved answers the lab no longer has are left out.
    pub fn over(&self, lab: &Lab, saved: &BTreeMap<String, String>) -> Assignments {
        let mut all: Vec<(String, String)> = saved
            .iter()
            .filter(|(name, _)| lab.variables.iter().any(|v| &v.name == *name))
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        all.extend(self.0.iter().cloned());
        Assignments(all)
    }

    /// Adds an answer the learner just gave (already checked by the question).
    pub fn answer(&mut self, name: &str, value: &str) {
        self.0.push((name.to_string(), value.to_string()));
    }

    /// The value given to `name`, the last one if given more than once.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(given, _)| given == name)
            .map(|(_, value)| value.as_str())
    }

    /// Each name and value, in the order given.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }
}

/// Resolves the lab's variables, in order: the value assigned if any, else the
/// default rendered with the values before it. Every value is checked against its
/// kind (a default rendered from the account can be unfit too).
pub fn resolve(
    lab: &Lab,
    account_id: Option<&str>,
    region: Option<&str>,
    assignments: &Assignments,
) -> Result<Values, Error> {
    let mut values = BTreeMap::new();
    if let Some(account_id) = account_id {
        values.insert("account_id".to_string(), account_id.to_string());
    }
    if let Some(region) = region {
        values.insert("region".to_string(), region.to_string());
    }
    for variable in &lab.variables {
        let value = match (assignments.get(&variable.name), &variable.default) {
            (Some(value), _) => Some(value.to_string()),
            (None, Some(default)) if default.names().iter().all(|n| values.contains_key(*n)) => {
                Some(default.render(&values))
            }
            _ => None,
        };
        if let Some(value) = value {
            fits(variable, &value)?;
            values.insert(variable.name.clone(), value);
        }
    }
    Ok(Values(values))
}

/// Whether `value` fits `variable`'s kind.
fn fits(variable: &Variable, value: &str) -> Result<(), Error> {
    variable.kind.check(value).map_err(|why| Error::UnfitValue {
        variable: variable.name.clone(),
        value: value.to_string(),
        why: why.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::model::VariableKind;

    #[test]
    fn assignments() {
        assert_eq!(
            parse_assignment("email=a@b.co"),
            Ok(("email".into(), "a@b.co".into()))
        );
        assert_eq!(parse_assignment("x=a=b"), Ok(("x".into(), "a=b".into())));
        assert!(parse_assignment("novalue").is_err());
        assert!(parse_assignment("=v").is_err());
    }

    #[test]
    fn kinds() {
        assert!(VariableKind::Email.check("learner@example.com").is_ok());
        for bad in ["learner", "@example.com", "a@b", "a@.com", "a b@c.com"] {
            assert!(VariableKind::Email.check(bad).is_err(), "{bad}");
        }
        assert!(
            VariableKind::BucketName
                .check("secrets-trail-123456789012-us-east-1")
                .is_ok()
        );
        for bad in [
            "ab",
            "Upper-case",
            "-start",
            "end-",
            "a..b",
            &"x".repeat(64),
        ] {
            assert!(VariableKind::BucketName.check(bad).is_err(), "{bad}");
        }
        assert!(VariableKind::Text.check(" ").is_err());
    }
}
