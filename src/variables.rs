//! The lab's variables resolved to values: defaults filled from the account and
//! region, overridden by `--set name=value`, each checked against its kind.

use std::collections::BTreeMap;

use crate::error::Error;
use crate::lesson::Lab;

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

/// Resolves the lab's variables, in order: an override if given, else the default
/// rendered with the values before it. Every value is checked against its kind.
pub fn resolve(
    lab: &Lab,
    account_id: Option<&str>,
    region: Option<&str>,
    overrides: &[(String, String)],
) -> Result<Values, Error> {
    for (name, _) in overrides {
        if !lab.variables.iter().any(|v| &v.name == name) {
            let names: Vec<&str> = lab.variables.iter().map(|v| v.name.as_str()).collect();
            return Err(Error::usage(
                format!("`--set {name}=...`: the lab has no variable `{name}`"),
                format!("the lab's variables are: {}", names.join(", ")),
            ));
        }
    }
    let mut values = BTreeMap::new();
    if let Some(account_id) = account_id {
        values.insert("account_id".to_string(), account_id.to_string());
    }
    if let Some(region) = region {
        values.insert("region".to_string(), region.to_string());
    }
    for variable in &lab.variables {
        let given = overrides
            .iter()
            .rev()
            .find(|(name, _)| name == &variable.name);
        let value = match (given, &variable.default) {
            (Some((_, value)), _) => Some(value.clone()),
            (None, Some(default)) if default.names().iter().all(|n| values.contains_key(*n)) => {
                Some(default.render(&values))
            }
            _ => None,
        };
        if let Some(value) = value {
            if let Err(why) = variable.kind.check(&value) {
                return Err(Error::usage(
                    format!("{} `{value}` {why}", variable.name),
                    format!("pass a valid value with --set {}=...", variable.name),
                ));
            }
            values.insert(variable.name.clone(), value);
        }
    }
    Ok(Values(values))
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
