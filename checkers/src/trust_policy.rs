//! Reads an IAM role's trust policy: may a service assume the role, for a given
//! source (the trail's ARN)? Conditions on `aws:SourceArn` and `aws:SourceAccount`
//! are evaluated; anything else this reader does not model makes the answer
//! [`Trust::Unknown`], which the check reports as an error, never as a guess.

use serde_json::Value;

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// The service may assume the role for that source.
    Allowed,
    /// It may not; the reason says why.
    Denied(String),
    /// The policy uses something this reader does not model.
    Unknown(String),
}

/// Whether `service` (e.g. `cloudtrail.amazonaws.com`) may call `sts:AssumeRole` on
/// the role whose trust policy is `policy`, on behalf of `source_arn` in `account`.
pub fn service_may_assume(policy: &str, service: &str, source_arn: &str, account: &str) -> Trust {
    let Ok(document) = serde_json::from_str::<Value>(policy) else {
        return Trust::Unknown("the trust policy is not valid JSON".into());
    };
    let statements = match document.get("Statement") {
        Some(Value::Array(list)) => list.clone(),
        Some(single @ Value::Object(_)) => vec![single.clone()],
        _ => return Trust::Denied("the trust policy has no statements".into()),
    };
    let mut allowed = false;
    let mut unknown = None;
    for statement in &statements {
        let applies = match applies(statement, service, source_arn, account) {
            Ok(applies) => applies,
            Err(why) => {
                unknown = Some(why);
                continue;
            }
        };
        match (statement.get("Effect").and_then(Value::as_str), applies) {
            (Some("Deny"), true) => {
                return Trust::Denied(format!("a Deny statement stops {service}"));
            }
            (Some("Allow"), true) => allowed = true,
            _ => {}
        }
    }
    match (allowed, unknown) {
        (true, None) => Trust::Allowed,
        (_, Some(why)) => Trust::Unknown(why),
        (false, None) => Trust::Denied(format!(
            "no statement lets {service} call sts:AssumeRole for {source_arn}"
        )),
    }
}

/// Whether the statement covers `service` assuming the role for `source_arn`.
fn applies(
    statement: &Value,
    service: &str,
    source_arn: &str,
    account: &str,
) -> Result<bool, String> {
    for unmodelled in ["NotPrincipal", "NotAction"] {
        if statement.get(unmodelled).is_some() {
            return Err(format!(
                "`{unmodelled}` in the trust policy is not understood by lab yet"
            ));
        }
    }
    let principal = match statement.get("Principal") {
        Some(Value::String(star)) if star == "*" => true,
        Some(Value::Object(map)) => map
            .get("Service")
            .is_some_and(|s| strings(s).iter().any(|v| v == service)),
        _ => false,
    };
    let action = statement.get("Action").is_some_and(|a| {
        strings(a)
            .iter()
            .any(|v| ["sts:assumerole", "sts:*", "*"].contains(&v.to_lowercase().as_str()))
    });
    if !(principal && action) {
        return Ok(false);
    }
    let Some(conditions) = statement.get("Condition").and_then(Value::as_object) else {
        return Ok(true);
    };
    for (operator, keys) in conditions {
        let Some(keys) = keys.as_object() else {
            return Err(format!("the condition `{operator}` is not a map of keys"));
        };
        for (key, wanted) in keys {
            let actual = match key.to_lowercase().as_str() {
                "aws:sourcearn" => source_arn,
                "aws:sourceaccount" => account,
                _ => {
                    return Err(format!(
                        "the condition key `{key}` is not understood by lab yet"
                    ));
                }
            };
            let wanted = strings(wanted);
            let holds = match operator.as_str() {
                "StringEquals" | "ArnEquals" => wanted.iter().any(|w| w == actual),
                "StringLike" | "ArnLike" => wanted.iter().any(|w| glob(w, actual)),
                other => {
                    return Err(format!(
                        "the condition operator `{other}` is not understood by lab yet"
                    ));
                }
            };
            if !holds {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// A string or a list of strings, as IAM allows either.
fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(list) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// IAM wildcards: `*` any run of characters, `?` any one character.
fn glob(pattern: &str, text: &str) -> bool {
    fn go(p: &[char], t: &[char]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (Some('*'), _) => go(&p[1..], t) || (!t.is_empty() && go(p, &t[1..])),
            (Some('?'), Some(_)) => go(&p[1..], &t[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &t[1..]),
            _ => false,
        }
    }
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    go(&p, &t)
}

/// Decodes a URL-encoded policy document, as IAM's API returns them (`%XX`
/// escapes; anything else is kept as it is).
pub fn url_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |b: u8| char::from(b).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(high), Some(low)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push(high * 16 + low);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRAIL: &str = "arn:aws:cloudtrail:us-east-1:111122223333:trail/secrets-manager-trail";
    const SVC: &str = "cloudtrail.amazonaws.com";

    fn judge(policy: &str) -> Trust {
        service_may_assume(policy, SVC, TRAIL, "111122223333")
    }

    #[test]
    fn plain_and_conditioned_trust() {
        let plain = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        assert_eq!(judge(plain), Trust::Allowed);
        let single = r#"{"Statement":{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com","cloudtrail.amazonaws.com"]},"Action":["sts:AssumeRole"]}}"#;
        assert_eq!(judge(single), Trust::Allowed);
        let scoped = format!(
            r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"Service":"cloudtrail.amazonaws.com"}},"Action":"sts:AssumeRole","Condition":{{"StringEquals":{{"aws:SourceArn":"{TRAIL}"}}}}}}]}}"#
        );
        assert_eq!(judge(&scoped), Trust::Allowed);
        let like = r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:cloudtrail:*:111122223333:trail/*"},"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}"#;
        assert_eq!(judge(like), Trust::Allowed);
    }

    #[test]
    fn wrong_service_other_trail_or_deny() {
        let ec2 = r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        assert!(matches!(judge(ec2), Trust::Denied(_)));
        let other = r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111122223333:trail/other"}}}]}"#;
        assert!(matches!(judge(other), Trust::Denied(_)));
        let denied = r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":"*","Action":"*"}]}"#;
        assert!(matches!(judge(denied), Trust::Denied(_)));
        assert!(matches!(
            judge(r#"{"Version":"2012-10-17"}"#),
            Trust::Denied(_)
        ));
    }

    #[test]
    fn unmodelled_policies_are_unknown() {
        let mfa = r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#;
        assert!(matches!(judge(mfa), Trust::Unknown(_)));
        assert!(matches!(judge("not json"), Trust::Unknown(_)));
    }

    #[test]
    fn decodes_url_encoded_documents() {
        assert_eq!(url_decode("%7B%22a%22%3A%201%7D"), r#"{"a": 1}"#);
        assert_eq!(url_decode("100%"), "100%");
        assert_eq!(url_decode("a+b%2"), "a+b%2");
        assert_eq!(url_decode("é%C3%A9"), "éé");
    }
}
