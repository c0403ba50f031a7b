//! Which management events a trail records, from its event selectors, basic or
//! advanced, whatever the selectors are named.
//!
//! A selector set is judged by simulation: would it record this event? That answers
//! "does it record reads of Secrets Manager?" and "does it leave out KMS?" the same
//! way for every shape of selector a console, CLI or template can produce.

use crate::snapshot::{AdvancedSelector, FieldSelector, ReadWrite, Selectors};

/// The parts of a management event that selectors look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventShape<'a> {
    /// e.g. `secretsmanager.amazonaws.com`.
    pub source: &'a str,
    /// e.g. `GetSecretValue`.
    pub name: &'a str,
    /// Whether it only reads.
    pub read_only: bool,
}

/// Whether the selectors record `event`. `Err` names a selector field this
/// simulation does not model, so the caller reports an error instead of guessing.
pub fn records(selectors: &Selectors, event: EventShape) -> Result<bool, String> {
    match selectors {
        Selectors::Basic(list) => Ok(list.iter().any(|s| {
            s.include_management_events
                && match s.read_write {
                    ReadWrite::All => true,
                    ReadWrite::ReadOnly => event.read_only,
                    ReadWrite::WriteOnly => !event.read_only,
                }
                && !s
                    .exclude_management_event_sources
                    .iter()
                    .any(|x| x == event.source)
        })),
        Selectors::Advanced(list) => {
            for selector in list {
                if advanced_records(selector, event)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
    }
}

fn advanced_records(selector: &AdvancedSelector, event: EventShape) -> Result<bool, String> {
    for field in &selector.fields {
        let value = match field.field.as_str() {
            "eventCategory" => "Management",
            "eventSource" => event.source,
            "eventName" => event.name,
            "readOnly" => {
                if event.read_only {
                    "true"
                } else {
                    "false"
                }
            }
            "eventType" => "AwsApiCall",
            other => {
                return Err(format!(
                    "the advanced event selector field `{other}` is not understood by lab yet"
                ));
            }
        };
        if !field_matches(field, value) {
            return Ok(false);
        }
    }
    Ok(true)
}

fn field_matches(f: &FieldSelector, value: &str) -> bool {
    (f.equals.is_empty() || f.equals.iter().any(|v| v == value))
        && !f.not_equals.iter().any(|v| v == value)
        && (f.starts_with.is_empty() || f.starts_with.iter().any(|v| value.starts_with(v.as_str())))
        && !f
            .not_starts_with
            .iter()
            .any(|v| value.starts_with(v.as_str()))
        && (f.ends_with.is_empty() || f.ends_with.iter().any(|v| value.ends_with(v.as_str())))
        && !f.not_ends_with.iter().any(|v| value.ends_with(v.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::BasicSelector;

    const READ: EventShape = EventShape {
        source: "secretsmanager.amazonaws.com",
        name: "GetSecretValue",
        read_only: true,
    };
    const KMS: EventShape = EventShape {
        source: "kms.amazonaws.com",
        name: "Decrypt",
        read_only: true,
    };

    fn basic(read_write: ReadWrite, exclude: &[&str]) -> Selectors {
        Selectors::Basic(vec![BasicSelector {
            read_write,
            include_management_events: true,
            exclude_management_event_sources: exclude.iter().map(|s| s.to_string()).collect(),
        }])
    }

    fn field(name: &str, equals: &[&str], not_equals: &[&str]) -> FieldSelector {
        FieldSelector {
            field: name.into(),
            equals: equals.iter().map(|s| s.to_string()).collect(),
            not_equals: not_equals.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn basic_selectors() {
        let s = basic(ReadWrite::All, &["kms.amazonaws.com"]);
        assert_eq!(records(&s, READ), Ok(true));
        assert_eq!(records(&s, KMS), Ok(false));
        assert_eq!(records(&basic(ReadWrite::WriteOnly, &[]), READ), Ok(false));
        assert_eq!(records(&basic(ReadWrite::ReadOnly, &[]), READ), Ok(true));
        let off = Selectors::Basic(vec![BasicSelector {
            read_write: ReadWrite::All,
            include_management_events: false,
            exclude_management_event_sources: vec![],
        }]);
        assert_eq!(records(&off, READ), Ok(false));
    }

    #[test]
    fn advanced_selectors_by_meaning_not_by_name() {
        let s = Selectors::Advanced(vec![AdvancedSelector {
            name: Some("anything at all".into()),
            fields: vec![
                field("eventCategory", &["Management"], &[]),
                field(
                    "eventSource",
                    &[],
                    &["kms.amazonaws.com", "rdsdata.amazonaws.com"],
                ),
            ],
        }]);
        assert_eq!(records(&s, READ), Ok(true));
        assert_eq!(records(&s, KMS), Ok(false));
        let writes_only = Selectors::Advanced(vec![AdvancedSelector {
            name: None,
            fields: vec![
                field("eventCategory", &["Management"], &[]),
                field("readOnly", &["false"], &[]),
            ],
        }]);
        assert_eq!(records(&writes_only, READ), Ok(false));
        let data_only = Selectors::Advanced(vec![AdvancedSelector {
            name: None,
            fields: vec![
                field("eventCategory", &["Data"], &[]),
                field("resources.type", &["AWS::S3::Object"], &[]),
            ],
        }]);
        assert_eq!(
            records(&data_only, READ),
            Ok(false),
            "a data selector fails on eventCategory first"
        );
        let unknown = Selectors::Advanced(vec![AdvancedSelector {
            name: None,
            fields: vec![
                field("eventCategory", &["Management"], &[]),
                field("userIdentity.arn", &["x"], &[]),
            ],
        }]);
        assert!(records(&unknown, READ).is_err());
    }
}
