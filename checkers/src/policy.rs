//! Reads IAM policy documents: may a service (or an identity) do an action on a
//! resource, in a given context? Resource policies (a bucket's, a topic's), trust
//! policies and identity policies are read the same way: a `Deny` that applies wins,
//! else an `Allow` that applies, else no.
//!
//! Conditions are evaluated on the keys the caller puts in the request's context
//! (`aws:SourceArn`, `aws:SourceAccount`, `s3:x-amz-acl`...). A key, operator or
//! element this reader does not model makes the answer [`Access::Unknown`]: the
//! grader reports it as an error, never as a guess.

use serde_json::Value;

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// The policy allows it.
    Allowed,
    /// It does not; the reason says why.
    Denied(String),
    /// The policy uses something this reader does not model.
    Unknown(String),
}

/// Who asks, as the policy's `Principal` element sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller<'a> {
    /// An AWS service acting for a resource, e.g. `cloudtrail.amazonaws.com`.
    Service(&'a str),
    /// The identity the policy is attached to: an identity policy, which has no
    /// `Principal` element.
    Holder,
}

/// What is asked of a policy.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// Who asks.
    pub caller: Caller<'a>,
    /// The action, e.g. `s3:PutObject`.
    pub action: &'a str,
    /// The resource's ARN; `None` where the policy's statements name none (a trust
    /// policy).
    pub resource: Option<&'a str>,
    /// The condition keys the request carries, with their values.
    pub context: &'a [(&'a str, &'a str)],
    /// Keys the request is known not to carry: a condition on one holds only if it
    /// is negated (`StringNotEquals`...) or `...IfExists`, as in IAM. Any key in
    /// neither list is one this reader cannot answer for.
    pub absent: &'a [&'a str],
}

/// Whether `policy` (a JSON document) allows `request`.
pub fn allows(policy: &str, request: &Request) -> Access {
    allowed_together(&[policy], request)
}

/// Whether several policies that apply together (a role's inline and attached
/// ones) allow `request`: their statements are read as one set, so a `Deny` in any
/// of them wins, as in IAM.
pub fn allowed_together(policies: &[&str], request: &Request) -> Access {
    let mut statements = Vec::new();
    for policy in policies {
        let Ok(document) = serde_json::from_str::<Value>(policy) else {
            return Access::Unknown("the policy is not valid JSON".into());
        };
        match document.get("Statement") {
            Some(Value::Array(list)) => statements.extend(list.iter().cloned()),
            Some(single @ Value::Object(_)) => statements.push(single.clone()),
            _ => {}
        }
    }
    if statements.is_empty() {
        return Access::Denied("the policy has no statements".into());
    }
    let mut allowed = false;
    let mut unknown = None;
    for statement in &statements {
        let applies = match applies(statement, request) {
            Ok(applies) => applies,
            Err(why) => {
                unknown = Some(why);
                continue;
            }
        };
        match (statement.get("Effect").and_then(Value::as_str), applies) {
            (Some("Deny"), true) => {
                return Access::Denied(format!(
                    "a Deny statement stops {} on {}",
                    request.action,
                    request.resource.unwrap_or("it")
                ));
            }
            (Some("Allow"), true) => allowed = true,
            _ => {}
        }
    }
    match (allowed, unknown) {
        (true, None) => Access::Allowed,
        (_, Some(why)) => Access::Unknown(why),
        (false, None) => Access::Denied(format!(
            "no statement allows {}{}{}",
            match request.caller {
                Caller::Service(service) => format!("{service} to call "),
                Caller::Holder => String::new(),
            },
            request.action,
            request
                .resource
                .map(|r| format!(" on {r}"))
                .unwrap_or_default()
        )),
    }
}

/// Whether an identity may do `request` with the permission policies `policies`,
/// within its permissions boundary `boundary` when it has one: "the resulting
/// permissions are the intersection of the two", and "an explicit deny in either of
/// these policies overrides the allow" (IAM User Guide, "Permissions boundaries for
/// IAM entities").
pub fn allowed_within(policies: &[&str], boundary: Option<&str>, request: &Request) -> Access {
    let allowed = allowed_together(policies, request);
    match (&allowed, boundary) {
        (Access::Allowed, Some(boundary)) => match allows(boundary, request) {
            Access::Denied(why) => {
                Access::Denied(format!("its permissions boundary stops it: {why}"))
            }
            other => other,
        },
        _ => allowed,
    }
}

/// Whether `service` (e.g. `cloudtrail.amazonaws.com`) may call `sts:AssumeRole` on
/// the role whose trust policy is `policy`, on behalf of `source_arn` in `account`.
pub fn service_may_assume(policy: &str, service: &str, source_arn: &str, account: &str) -> Access {
    allows(
        policy,
        &Request {
            caller: Caller::Service(service),
            action: "sts:AssumeRole",
            resource: None,
            context: &[
                ("aws:SourceArn", source_arn),
                ("aws:SourceAccount", account),
            ],
            absent: &[],
        },
    )
}

/// Whether the statement covers the request.
fn applies(statement: &Value, request: &Request) -> Result<bool, String> {
    for unmodelled in ["NotPrincipal", "NotAction", "NotResource"] {
        if statement.get(unmodelled).is_some() {
            return Err(format!(
                "`{unmodelled}` in a policy is not understood by lab yet"
            ));
        }
    }
    let principal = match request.caller {
        Caller::Holder => true,
        Caller::Service(service) => match statement.get("Principal") {
            Some(Value::String(star)) if star == "*" => true,
            Some(Value::Object(map)) => {
                map.get("Service")
                    .is_some_and(|s| strings(s).iter().any(|v| v == service))
                    || map
                        .get("AWS")
                        .is_some_and(|s| strings(s).iter().any(|v| v == "*"))
            }
            _ => false,
        },
    };
    let action = statement.get("Action").is_some_and(|a| {
        strings(a)
            .iter()
            .any(|v| glob(&v.to_lowercase(), &request.action.to_lowercase()))
    });
    let resource = match (statement.get("Resource"), request.resource) {
        (None, _) => true,
        (Some(_), None) => true,
        (Some(listed), Some(resource)) => strings(listed).iter().any(|r| glob(r, resource)),
    };
    if !(principal && action && resource) {
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
            if !condition_holds(operator, key, &strings(wanted), request)? {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// One condition key under one operator.
fn condition_holds(
    operator: &str,
    key: &str,
    wanted: &[String],
    request: &Request,
) -> Result<bool, String> {
    let (operator, if_exists) = match operator.strip_suffix("IfExists") {
        Some(base) => (base, true),
        None => (operator, false),
    };
    let actual = request
        .context
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| *v);
    let negated = operator.contains("Not");
    let Some(actual) = actual else {
        let absent = request.absent.iter().any(|k| k.eq_ignore_ascii_case(key));
        return if if_exists || (absent && negated) {
            Ok(true)
        } else if absent {
            Ok(false)
        } else {
            Err(format!(
                "the condition key `{key}` is not understood by lab yet"
            ))
        };
    };
    let any = |test: &dyn Fn(&str) -> bool| wanted.iter().any(|w| test(w));
    Ok(match operator {
        "StringEquals" | "ArnEquals" => any(&|w| w == actual),
        "StringNotEquals" | "ArnNotEquals" => !any(&|w| w == actual),
        "StringEqualsIgnoreCase" => any(&|w| w.eq_ignore_ascii_case(actual)),
        "StringLike" | "ArnLike" => any(&|w| glob(w, actual)),
        "StringNotLike" | "ArnNotLike" => !any(&|w| glob(w, actual)),
        "Bool" => any(&|w| w.eq_ignore_ascii_case(actual)),
        other => {
            return Err(format!(
                "the condition operator `{other}` is not understood by lab yet"
            ));
        }
    })
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

    fn judge(policy: &str) -> Access {
        service_may_assume(policy, SVC, TRAIL, "111122223333")
    }

    #[test]
    fn plain_and_conditioned_trust() {
        let plain = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        assert_eq!(judge(plain), Access::Allowed);
        let single = r#"{"Statement":{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com","cloudtrail.amazonaws.com"]},"Action":["sts:AssumeRole"]}}"#;
        assert_eq!(judge(single), Access::Allowed);
        let scoped = format!(
            r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"Service":"cloudtrail.amazonaws.com"}},"Action":"sts:AssumeRole","Condition":{{"StringEquals":{{"aws:SourceArn":"{TRAIL}"}}}}}}]}}"#
        );
        assert_eq!(judge(&scoped), Access::Allowed);
        let like = r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:cloudtrail:*:111122223333:trail/*"},"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}"#;
        assert_eq!(judge(like), Access::Allowed);
    }

    #[test]
    fn wrong_service_other_trail_or_deny() {
        let ec2 = r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        assert!(matches!(judge(ec2), Access::Denied(_)));
        let other = r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111122223333:trail/other"}}}]}"#;
        assert!(matches!(judge(other), Access::Denied(_)));
        let denied = r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":"*","Action":"*"}]}"#;
        assert!(matches!(judge(denied), Access::Denied(_)));
        assert!(matches!(
            judge(r#"{"Version":"2012-10-17"}"#),
            Access::Denied(_)
        ));
    }

    #[test]
    fn unmodelled_policies_are_unknown() {
        let mfa = r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#;
        assert!(matches!(judge(mfa), Access::Unknown(_)));
        assert!(matches!(judge("not json"), Access::Unknown(_)));
    }

    const BUCKET_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[
        {"Sid":"AclCheck","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::b"},
        {"Sid":"Write","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/AWSLogs/111122223333/*",
         "Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}},
        {"Sid":"TlsOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],
         "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;

    fn cloudtrail_writes(policy: &str, key: &str, acl: &str) -> Access {
        let resource = format!("arn:aws:s3:::b/{key}");
        allows(
            policy,
            &Request {
                caller: Caller::Service(SVC),
                action: "s3:PutObject",
                resource: Some(&resource),
                context: &[
                    ("aws:SourceArn", TRAIL),
                    ("aws:SourceAccount", "111122223333"),
                    ("s3:x-amz-acl", acl),
                    ("aws:SecureTransport", "true"),
                ],
                absent: &[],
            },
        )
    }

    #[test]
    fn resource_policies_match_action_resource_and_conditions() {
        let acl = "bucket-owner-full-control";
        let key = "AWSLogs/111122223333/CloudTrail/us-east-1/f.json.gz";
        assert_eq!(cloudtrail_writes(BUCKET_POLICY, key, acl), Access::Allowed);
        assert!(matches!(
            cloudtrail_writes(BUCKET_POLICY, "prefix/AWSLogs/111122223333/x", acl),
            Access::Denied(_)
        ));
        assert!(matches!(
            cloudtrail_writes(BUCKET_POLICY, key, "private"),
            Access::Denied(_)
        ));
        let https_denied = BUCKET_POLICY.replace(
            r#""aws:SecureTransport":"false""#,
            r#""aws:SecureTransport":"true""#,
        );
        assert!(matches!(
            cloudtrail_writes(&https_denied, key, acl),
            Access::Denied(why) if why.contains("Deny")
        ));
        let wildcard = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:Put*","Resource":"arn:aws:s3:::b/*"}]}"#;
        assert_eq!(cloudtrail_writes(wildcard, key, acl), Access::Allowed);
    }

    #[test]
    fn identity_policies_have_no_principal_and_unknown_keys_are_unknown() {
        let role = r#"{"Statement":[{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:us-east-1:111122223333:log-group:g:log-stream:*"}]}"#;
        let put = |policy: &str, resource: &str| {
            allows(
                policy,
                &Request {
                    caller: Caller::Holder,
                    action: "logs:PutLogEvents",
                    resource: Some(resource),
                    context: &[],
                    absent: &["aws:SourceOwner"],
                },
            )
        };
        let stream = "arn:aws:logs:us-east-1:111122223333:log-group:g:log-stream:111122223333_CloudTrail_us-east-1";
        assert_eq!(put(role, stream), Access::Allowed);
        let other = "arn:aws:logs:us-east-1:111122223333:log-group:h:log-stream:s";
        assert!(matches!(put(role, other), Access::Denied(_)));
        let tagged = r#"{"Statement":[{"Effect":"Allow","Action":"logs:*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"a"}}}]}"#;
        assert!(matches!(put(tagged, stream), Access::Unknown(_)));
        let if_exists = r#"{"Statement":[{"Effect":"Allow","Action":"logs:*","Resource":"*","Condition":{"StringEqualsIfExists":{"aws:ResourceTag/team":"a"}}}]}"#;
        assert_eq!(put(if_exists, stream), Access::Allowed);
        let owner = r#"{"Statement":[{"Effect":"Allow","Action":"logs:*","Resource":"*","Condition":{"StringEquals":{"AWS:SourceOwner":"111122223333"}}}]}"#;
        assert!(
            matches!(put(owner, stream), Access::Denied(_)),
            "a key known to be absent"
        );
        let not_owner = owner.replace("StringEquals", "StringNotEquals");
        assert_eq!(put(&not_owner, stream), Access::Allowed);
        let deny =
            r#"{"Statement":[{"Effect":"Deny","Action":"logs:PutLogEvents","Resource":"*"}]}"#;
        let unrelated = r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
        let together = |policies: &[&str]| {
            allowed_together(
                policies,
                &Request {
                    caller: Caller::Holder,
                    action: "logs:PutLogEvents",
                    resource: Some(stream),
                    context: &[],
                    absent: &[],
                },
            )
        };
        assert_eq!(
            together(&[unrelated, role]),
            Access::Allowed,
            "one of them allows"
        );
        assert!(
            matches!(together(&[role, deny]), Access::Denied(why) if why.contains("Deny")),
            "a Deny in any of them wins"
        );
        assert!(matches!(together(&[unrelated]), Access::Denied(_)));
        assert!(matches!(together(&[]), Access::Denied(_)));
    }

    #[test]
    fn decodes_url_encoded_documents() {
        assert_eq!(url_decode("%7B%22a%22%3A%201%7D"), r#"{"a": 1}"#);
        assert_eq!(url_decode("100%"), "100%");
        assert_eq!(url_decode("a+b%2"), "a+b%2");
        assert_eq!(url_decode("é%C3%A9"), "éé");
    }
}
