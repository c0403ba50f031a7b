//! SNS subscription filter policies: does a subscription take a message?
//!
//! A subscription with a filter policy gets a message only when the policy accepts
//! it: every property the policy names must be in the message (its attributes, or
//! its JSON body, as the policy's scope says) with a value one of the property's
//! conditions accepts; `$or` joins alternatives. The conditions are exact strings
//! and numbers, `prefix`, `suffix`, `equals-ignore-case`, `wildcard`, `numeric`
//! comparisons and ranges, `cidr`, `exists` and `anything-but` (of values, a prefix,
//! a suffix or a wildcard). What this reader does not know is [`Verdict::Unknown`],
//! never a guess.
//!
//! Follows the Amazon SNS Developer Guide: "Amazon SNS subscription filter policies",
//! "Amazon SNS subscription filter policy scope", "String value matching", "Numeric
//! value matching", "Key matching", "AND/OR logic" and "Filter policy constraints"
//! (<https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html>).
//! `tests/conformance_sns_filter.rs` holds those pages' examples with their results.
//! `lab check` judges a subscription with it, and the sandbox delivers with it.

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde_json::{Map, Value};

/// What a filter policy is applied to (the subscription's `FilterPolicyScope`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The message's attributes (the default).
    MessageAttributes,
    /// The message's body, a JSON object.
    MessageBody,
}

impl Scope {
    /// The scope a subscription's `FilterPolicyScope` attribute names (absent means
    /// `MessageAttributes`); `None` for a value SNS does not have.
    pub fn of(attribute: Option<&str>) -> Option<Scope> {
        match attribute {
            None | Some("MessageAttributes") => Some(Scope::MessageAttributes),
            Some("MessageBody") => Some(Scope::MessageBody),
            Some(_) => None,
        }
    }
}

/// A message attribute's value, by its SNS data type.
#[derive(Debug, Clone, PartialEq)]
pub enum Attribute {
    /// `String`.
    String(String),
    /// `Number`, as written.
    Number(String),
    /// `String.Array`: a JSON array, as written.
    StringArray(String),
    /// `Binary`: never compared ("Amazon SNS ignores message attributes with the
    /// Binary data type").
    Binary,
}

/// A message as a subscription's filter sees it.
#[derive(Debug, Clone, Copy)]
pub struct Message<'m> {
    /// Its attributes, by name.
    pub attributes: &'m BTreeMap<String, Attribute>,
    /// Its body.
    pub body: &'m str,
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The subscription takes the message.
    Accepts,
    /// It does not; the reason names the property that stops it.
    Rejects(String),
    /// The policy uses something this reader does not know.
    Unknown(String),
}

/// A filter policy, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy(Map<String, Value>);

/// The operators a condition object may use; an `$or` whose alternatives use one
/// of them as a property name is not an `$or` ("AND/OR logic").
const OPERATORS: &[&str] = &[
    "anything-but",
    "numeric",
    "prefix",
    "suffix",
    "exists",
    "equals-ignore-case",
    "cidr",
    "wildcard",
];

impl Policy {
    /// Reads a policy's JSON text; an error says what is wrong with it.
    pub fn parse(text: &str) -> Result<Policy, String> {
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => Ok(Policy(map)),
            Ok(_) => Err("a filter policy is a JSON object".into()),
            Err(e) => Err(format!("the filter policy is not valid JSON ({e})")),
        }
    }

    /// Whether a subscription with this policy, applied as `scope` says, takes
    /// `message`.
    pub fn accepts(&self, scope: Scope, message: &Message) -> Verdict {
        match scope {
            Scope::MessageAttributes => {
                let values: Map<String, Value> = message
                    .attributes
                    .iter()
                    .filter_map(|(name, a)| Some((name.clone(), attribute_value(a)?)))
                    .collect();
                if values.is_empty() {
                    // Every property the policy names must be an attribute of the
                    // message, and `"exists": false` "only matches if at least one
                    // attribute is present" ("Key matching").
                    let named: Vec<String> =
                        self.0.keys().take(3).map(|k| format!("`{k}`")).collect();
                    return Verdict::Rejects(format!(
                        "it needs the message attribute{} {}, and the message carries no attributes",
                        if named.len() == 1 { "" } else { "s" },
                        named.join(", ")
                    ));
                }
                object(&self.0, &values, "", false)
            }
            Scope::MessageBody => match serde_json::from_str::<Value>(message.body) {
                Ok(Value::Object(body)) => object(&self.0, &body, "", true),
                _ => Verdict::Rejects(
                    "the message body is not a JSON object, and the policy filters on the body"
                        .into(),
                ),
            },
        }
    }
}

/// An attribute as the JSON value its conditions are compared with; `None` for a
/// binary one, which is ignored.
fn attribute_value(attribute: &Attribute) -> Option<Value> {
    Some(match attribute {
        Attribute::String(s) => Value::String(s.clone()),
        Attribute::Number(n) => match n.trim().parse::<f64>() {
            Ok(x) => serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number),
            Err(_) => Value::String(n.clone()),
        },
        Attribute::StringArray(text) => match serde_json::from_str::<Value>(text) {
            Ok(array @ Value::Array(_)) => array,
            _ => Value::String(text.clone()),
        },
        Attribute::Binary => return None,
    })
}

/// Every property of `policy` against `message` (AND), with `$or` where it is one.
/// `nested` allows objects in the policy (a body's properties).
fn object(
    policy: &Map<String, Value>,
    message: &Map<String, Value>,
    path: &str,
    nested: bool,
) -> Verdict {
    let mut verdicts = Vec::new();
    for (key, condition) in policy {
        let here = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        if key == "$or"
            && let Some(alternatives) = or_alternatives(condition)
        {
            verdicts.push(any(alternatives
                .iter()
                .map(|alternative| object(alternative, message, path, nested))
                .collect()));
            continue;
        }
        verdicts.push(match condition {
            Value::Array(conditions) => leaf(conditions, message.get(key), &here),
            Value::Object(inner) if nested => match message.get(key) {
                Some(Value::Object(found)) => object(inner, found, &here, nested),
                Some(_) => Verdict::Rejects(format!("`{here}` in the message is not an object")),
                None => Verdict::Rejects(format!("the message has no `{here}`")),
            },
            Value::Object(_) => Verdict::Unknown(format!(
                "`{here}` nests properties, which a policy on message attributes may not"
            )),
            _ => Verdict::Unknown(format!("`{here}` is not a list of conditions")),
        });
    }
    all(verdicts)
}

/// The alternatives of an `$or`, when it is one ("AND/OR logic": an array of at
/// least two objects, none of whose property names is an operator); otherwise
/// `$or` is a property name like any other.
fn or_alternatives(condition: &Value) -> Option<Vec<&Map<String, Value>>> {
    let list = condition.as_array()?;
    let objects: Vec<&Map<String, Value>> = list.iter().filter_map(Value::as_object).collect();
    let is_or = list.len() >= 2
        && objects.len() == list.len()
        && objects
            .iter()
            .all(|o| o.keys().all(|k| !OPERATORS.contains(&k.as_str())));
    is_or.then_some(objects)
}

fn all(verdicts: Vec<Verdict>) -> Verdict {
    if let Some(no) = verdicts.iter().find(|v| matches!(v, Verdict::Rejects(_))) {
        return no.clone();
    }
    if let Some(unknown) = verdicts.iter().find(|v| matches!(v, Verdict::Unknown(_))) {
        return unknown.clone();
    }
    Verdict::Accepts
}

fn any(verdicts: Vec<Verdict>) -> Verdict {
    if verdicts.contains(&Verdict::Accepts) {
        return Verdict::Accepts;
    }
    if let Some(unknown) = verdicts.iter().find(|v| matches!(v, Verdict::Unknown(_))) {
        return unknown.clone();
    }
    verdicts
        .into_iter()
        .next()
        .unwrap_or(Verdict::Rejects("an empty `$or`".into()))
}

/// A property's conditions (any may match) against its value in the message.
fn leaf(conditions: &[Value], value: Option<&Value>, here: &str) -> Verdict {
    let mut verdicts = Vec::new();
    for condition in conditions {
        verdicts.push(match one(condition, value) {
            Ok(true) => Verdict::Accepts,
            Ok(false) => Verdict::Rejects(match value {
                None => format!("the message has no `{here}`"),
                Some(v) => format!("`{here}` is {v}, which the policy's `{here}` does not take"),
            }),
            Err(why) => Verdict::Unknown(format!("`{here}`: {why}")),
        });
    }
    if verdicts.is_empty() {
        return Verdict::Rejects(format!("the policy gives `{here}` no condition"));
    }
    any(verdicts)
}

/// One condition against a property's value (`None`: the message lacks it).
fn one(condition: &Value, value: Option<&Value>) -> Result<bool, String> {
    if let Some(test) = condition.as_object() {
        if let Some(exists) = test.get("exists") {
            return match exists {
                Value::Bool(wanted) => Ok(present(value) == *wanted),
                _ => Err("`exists` takes true or false".into()),
            };
        }
        let Some(value) = value else {
            return Ok(false);
        };
        // Each element of an array is compared on its own.
        let elements: Vec<&Value> = match value {
            Value::Array(list) => list.iter().collect(),
            single => vec![single],
        };
        for element in elements {
            if operator(test, element)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    let Some(value) = value else {
        return Ok(false);
    };
    let elements: Vec<&Value> = match value {
        Value::Array(list) => list.iter().collect(),
        single => vec![single],
    };
    Ok(elements
        .into_iter()
        .any(|element| equal(condition, element)))
}

/// `"exists": true` needs "a non-null and non-empty value".
fn present(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(_) => true,
    }
}

/// An exact value condition: strings as strings, numbers by value, `true`, `false`
/// and `null` as themselves.
fn equal(condition: &Value, value: &Value) -> bool {
    match (condition, value) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (a, b) => a == b,
    }
}

/// A condition object with one operator, against one value.
fn operator(test: &Map<String, Value>, value: &Value) -> Result<bool, String> {
    let [(name, argument)] = test.iter().collect::<Vec<_>>()[..] else {
        return Err("a condition object holds exactly one operator".into());
    };
    let text = value.as_str();
    let string_argument = || {
        argument
            .as_str()
            .ok_or_else(|| format!("`{name}` takes a string"))
    };
    match name.as_str() {
        "prefix" => {
            let prefix = string_argument()?;
            Ok(text.is_some_and(|t| t.starts_with(prefix)))
        }
        "suffix" => {
            let suffix = string_argument()?;
            Ok(text.is_some_and(|t| t.ends_with(suffix)))
        }
        "equals-ignore-case" => {
            let wanted = string_argument()?.to_lowercase();
            Ok(text.is_some_and(|t| t.to_lowercase() == wanted))
        }
        "wildcard" => {
            let pattern = string_argument()?;
            Ok(text.is_some_and(|t| wildcard(pattern, t)))
        }
        "cidr" => cidr(string_argument()?, text),
        "numeric" => numeric(argument, value),
        "anything-but" => anything_but(argument, value),
        other => Err(format!(
            "the operator `{other}` is not understood by lab yet"
        )),
    }
}

/// `*` matches any run of characters.
fn wildcard(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, rest)) => {
            let Some(after) = text.strip_prefix(head) else {
                return false;
            };
            (0..=after.len())
                .filter(|i| after.is_char_boundary(*i))
                .any(|i| wildcard(rest, &after[i..]))
        }
    }
}

/// `{"numeric": ["<", 0]}`, `[">", 0, "<=", 150]`, `["=", 301.5]`.
fn numeric(argument: &Value, value: &Value) -> Result<bool, String> {
    let list = argument
        .as_array()
        .ok_or("`numeric` takes a list such as [\">\", 0, \"<=\", 150]")?;
    if list.is_empty() || list.len() % 2 != 0 {
        return Err("`numeric` takes pairs of an operator and a number".into());
    }
    let Some(x) = value.as_f64() else {
        return Ok(false);
    };
    for pair in list.chunks(2) {
        let (Some(op), Some(n)) = (pair[0].as_str(), pair[1].as_f64()) else {
            return Err("`numeric` takes pairs of an operator and a number".into());
        };
        let holds = match op {
            "=" => x == n,
            "<" => x < n,
            "<=" => x <= n,
            ">" => x > n,
            ">=" => x >= n,
            other => return Err(format!("`numeric` has no operator `{other}`")),
        };
        if !holds {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `{"anything-but": ...}`: a value, a list of values, or a `prefix`, `suffix` or
/// `wildcard` it must not meet.
fn anything_but(argument: &Value, value: &Value) -> Result<bool, String> {
    match argument {
        Value::Array(list) => Ok(!list.iter().any(|listed| equal(listed, value))),
        Value::Object(test) => {
            let [(name, _)] = test.iter().collect::<Vec<_>>()[..] else {
                return Err("`anything-but` holds one operator".into());
            };
            if !matches!(name.as_str(), "prefix" | "suffix" | "wildcard") {
                return Err(format!(
                    "`anything-but` with `{name}` is not understood by lab yet"
                ));
            }
            Ok(value.is_string() && !operator(test, value)?)
        }
        single => Ok(!equal(single, value)),
    }
}

/// Whether `value` is an IP address in the block `block` (`10.0.0.0/24`).
fn cidr(block: &str, value: Option<&str>) -> Result<bool, String> {
    let (base, bits) = block
        .split_once('/')
        .ok_or_else(|| format!("`{block}` is not a CIDR block"))?;
    let base: IpAddr = base
        .parse()
        .map_err(|_| format!("`{block}` is not a CIDR block"))?;
    let bits: u32 = bits
        .parse()
        .map_err(|_| format!("`{block}` is not a CIDR block"))?;
    let Some(Ok(address)) = value.map(str::parse::<IpAddr>) else {
        return Ok(false);
    };
    let within = |a: u128, b: u128, width: u32| {
        bits <= width && (bits == 0 || (a ^ b) >> (width - bits) == 0)
    };
    Ok(match (base, address) {
        (IpAddr::V4(b), IpAddr::V4(a)) => within(u32::from(a).into(), u32::from(b).into(), 32),
        (IpAddr::V6(b), IpAddr::V6(a)) => within(u128::from(a), u128::from(b), 128),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(policy: &str, body: &str) -> Verdict {
        Policy::parse(policy).unwrap().accepts(
            Scope::MessageBody,
            &Message {
                attributes: &BTreeMap::new(),
                body,
            },
        )
    }

    #[test]
    fn wildcards_and_blocks() {
        assert!(wildcard("*ball", "baseball"));
        assert!(wildcard("b*l", "basketball"));
        assert!(!wildcard("*ball", "rugby"));
        assert_eq!(cidr("10.0.0.0/24", Some("10.0.0.255")), Ok(true));
        assert_eq!(cidr("10.0.0.0/24", Some("10.0.1.0")), Ok(false));
        assert_eq!(cidr("0.0.0.0/0", Some("192.0.2.1")), Ok(true));
        assert_eq!(cidr("2001:db8::/32", Some("2001:db8::1")), Ok(true));
        assert!(cidr("10.0.0.0", Some("10.0.0.1")).is_err());
    }

    #[test]
    fn unknown_operators_and_bad_policies_are_not_guessed() {
        assert!(matches!(
            body(r#"{"a":[{"regex":"x"}]}"#, r#"{"a":"x"}"#),
            Verdict::Unknown(_)
        ));
        assert!(Policy::parse("[1]").is_err());
        assert!(Policy::parse("{").is_err());
        assert_eq!(Scope::of(Some("MessageBody")), Some(Scope::MessageBody));
        assert_eq!(Scope::of(None), Some(Scope::MessageAttributes));
        assert_eq!(Scope::of(Some("Body")), None);
    }

    #[test]
    fn a_body_that_is_not_json_is_not_taken() {
        assert!(matches!(
            body(r#"{"a":["x"]}"#, "plain text"),
            Verdict::Rejects(_)
        ));
    }
}
