//! What an incoming request is: which service and operation, from which caller, in
//! which region, with which parameters. Read from the request alone (the SigV4
//! `Authorization` header, `X-Amz-Target`, the form body, the S3 path), so every
//! client that signs its requests (the SDK, the AWS CLI) is understood the same way.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// One AWS API call, as the front understands it.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The signing name of the service: `secretsmanager`, `cloudtrail`, `logs`,
    /// `monitoring` (CloudWatch), `sns`, `s3`, `iam`, `sts`...
    pub service: String,
    /// The operation, e.g. `GetSecretValue`.
    pub operation: String,
    /// The region the request was signed for.
    pub region: String,
    /// The caller's access key id.
    pub access_key: String,
    /// The parameters.
    pub params: Params,
    /// Whether the caller spoke Smithy RPC v2 CBOR (its parameters are then read
    /// into [`Params::Json`], and the front's own answers to it are CBOR).
    pub cbor: bool,
    /// The caller's address, as CloudTrail records it (`sourceIPAddress`); set by
    /// the front from the connection.
    pub source_ip: String,
    /// The caller's `User-Agent`, as CloudTrail records it.
    pub user_agent: String,
    /// Whether CloudTrail counts it as a management event (S3 object operations and
    /// CloudWatch Logs' log-event operations are data events, which a trail records
    /// only when asked to).
    pub management: bool,
}

/// A call's parameters, as its protocol carries them.
#[derive(Debug, Clone, PartialEq)]
pub enum Params {
    /// A JSON body (Secrets Manager, CloudTrail, CloudWatch Logs).
    Json(Value),
    /// Form fields (awsQuery: SNS, CloudWatch, IAM, STS), flattened as sent, e.g.
    /// `AlarmActions.member.1`.
    Query(BTreeMap<String, String>),
    /// A REST call (S3): the bucket, if any.
    Rest {
        /// The bucket named in the path.
        bucket: Option<String>,
    },
}

impl Call {
    /// Reads a request. `None` when it is not a signed AWS API call.
    pub fn parse(
        method: &str,
        path: &str,
        query: Option<&str>,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Option<Call> {
        let authorization = headers.get("authorization")?.to_str().ok()?;
        let scope = credential_scope(authorization)?;
        let cbor = super::cbor::is_cbor(headers);
        let (operation, params) = if cbor {
            let operation = super::cbor::operation(path)?;
            (operation, Params::Json(super::cbor::to_json(body)?))
        } else if let Some(target) = header(headers, "x-amz-target") {
            let operation = target.rsplit('.').next()?.to_string();
            let json = serde_json::from_slice(body).unwrap_or(Value::Object(Map::new()));
            (operation, Params::Json(json))
        } else if scope.service == "s3" {
            let (operation, bucket) = s3_operation(method, path, query.unwrap_or(""));
            (operation, Params::Rest { bucket })
        } else {
            let form = form(body);
            let operation = form.get("Action")?.clone();
            (operation, Params::Query(form))
        };
        let management = !is_data_event(&scope.service, &operation);
        Some(Call {
            service: scope.service,
            operation,
            region: scope.region,
            access_key: scope.access_key,
            params,
            cbor,
            source_ip: String::new(),
            user_agent: header(headers, "user-agent")
                .unwrap_or_default()
                .to_string(),
            management,
        })
    }

    /// A top-level parameter as text, e.g. `AlarmName` or `SecretId`.
    pub fn param(&self, name: &str) -> Option<String> {
        match &self.params {
            Params::Json(json) => match json.get(name)? {
                Value::String(s) => Some(s.clone()),
                Value::Null => None,
                other => Some(other.to_string()),
            },
            Params::Query(form) => form.get(name).cloned(),
            Params::Rest { bucket } => (name == "Bucket").then(|| bucket.clone()).flatten(),
        }
    }

    /// A list parameter: `Name.member.N` in a form, an array in JSON.
    pub fn list_param(&self, name: &str) -> Vec<String> {
        match &self.params {
            Params::Json(json) => json
                .get(name)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            Params::Query(form) => {
                let prefix = format!("{name}.member.");
                let mut items: Vec<(u32, String)> = form
                    .iter()
                    .filter_map(|(k, v)| Some((k.strip_prefix(&prefix)?.parse().ok()?, v.clone())))
                    .collect();
                items.sort();
                items.into_iter().map(|(_, v)| v).collect()
            }
            Params::Rest { .. } => Vec::new(),
        }
    }

    /// The event source CloudTrail names the service by.
    pub fn event_source(&self) -> String {
        format!("{}.amazonaws.com", self.service)
    }

    /// Whether the operation only reads, as CloudTrail's `readOnly` says.
    pub fn read_only(&self) -> bool {
        [
            "Get", "List", "Describe", "Lookup", "Head", "Test", "BatchGet",
        ]
        .iter()
        .any(|p| self.operation.starts_with(p))
    }

    /// The parameters as CloudTrail's `requestParameters`: camelCase keys, and
    /// never a secret's value (AWS leaves those out of the record too).
    pub fn request_parameters(&self) -> Value {
        match &self.params {
            Params::Json(json) => redact(json),
            Params::Query(form) => unflatten(
                form.iter()
                    .filter(|(k, _)| *k != "Action" && *k != "Version" && !is_secret_field(k)),
            ),
            Params::Rest { bucket } => match bucket {
                Some(b) => serde_json::json!({ "bucketName": b }),
                None => Value::Null,
            },
        }
    }
}

/// The parts of a SigV4 credential scope: `Credential=AKID/DATE/REGION/SERVICE/aws4_request`.
struct Scope {
    access_key: String,
    region: String,
    service: String,
}

fn credential_scope(authorization: &str) -> Option<Scope> {
    let credential = authorization
        .split([',', ' '])
        .find_map(|part| part.trim().strip_prefix("Credential="))?;
    let mut parts = credential.split('/');
    let access_key = parts.next()?.to_string();
    let _date = parts.next()?;
    let region = parts.next()?.to_string();
    let service = parts.next()?.to_string();
    // A region like `..` or `x` is no region: the request is not an AWS call.
    if !checkers::region::is_region_name(&region) || service.is_empty() {
        return None;
    }
    Some(Scope {
        access_key,
        region,
        service,
    })
}

fn header<'h>(headers: &'h http::HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Form fields of a URL-encoded body or query string.
pub fn form(body: &[u8]) -> BTreeMap<String, String> {
    form_urlencoded::parse(body).into_owned().collect()
}

/// S3's REST operations that matter to a trail, from method, path and query.
/// Object operations are named too, though they are data events.
fn s3_operation(method: &str, path: &str, query: &str) -> (String, Option<String>) {
    let path = path.trim_start_matches('/');
    let (bucket, key) = match path.split_once('/') {
        Some((b, k)) => (b, k),
        None => (path, ""),
    };
    let keys: Vec<&str> = query
        .split('&')
        .map(|p| p.split('=').next().unwrap_or(""))
        .collect();
    let has = |k: &str| keys.contains(&k);
    let bucket_name = (!bucket.is_empty()).then(|| bucket.to_string());
    let operation = if bucket.is_empty() {
        "ListBuckets"
    } else if !key.is_empty() {
        match method {
            "GET" => "GetObject",
            "HEAD" => "HeadObject",
            "DELETE" => "DeleteObject",
            _ => "PutObject",
        }
    } else {
        let config = [
            "policy",
            "tagging",
            "versioning",
            "acl",
            "location",
            "notification",
        ]
        .into_iter()
        .find(|k| has(k));
        match (method, config) {
            ("PUT", None) => "CreateBucket",
            ("DELETE", None) => "DeleteBucket",
            ("HEAD", None) => "HeadBucket",
            ("POST", None) if has("delete") => "DeleteObjects",
            ("GET", None) if has("versions") => "ListObjectVersions",
            ("GET", None) => "ListObjects",
            ("GET", Some("policy")) => "GetBucketPolicy",
            ("PUT", Some("policy")) => "PutBucketPolicy",
            ("DELETE", Some("policy")) => "DeleteBucketPolicy",
            ("GET", Some("tagging")) => "GetBucketTagging",
            ("PUT", Some("tagging")) => "PutBucketTagging",
            ("GET", Some("versioning")) => "GetBucketVersioning",
            ("PUT", Some("versioning")) => "PutBucketVersioning",
            ("GET", Some("location")) => "GetBucketLocation",
            ("GET", Some("acl")) => "GetBucketAcl",
            ("PUT", Some("acl")) => "PutBucketAcl",
            ("GET", Some(_)) => "GetBucketNotification",
            _ => "PutBucketNotification",
        }
    };
    (operation.to_string(), bucket_name)
}

/// Data events: object-level S3 operations and CloudWatch Logs' log-event calls.
fn is_data_event(service: &str, operation: &str) -> bool {
    match service {
        "s3" => matches!(
            operation,
            "GetObject"
                | "HeadObject"
                | "PutObject"
                | "DeleteObject"
                | "DeleteObjects"
                | "ListObjects"
                | "ListObjectVersions"
        ),
        "logs" => matches!(
            operation,
            "PutLogEvents" | "GetLogEvents" | "FilterLogEvents"
        ),
        _ => false,
    }
}

fn is_secret_field(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    [
        "secretstring",
        "secretbinary",
        "password",
        "secretaccesskey",
    ]
    .iter()
    .any(|s| key == *s)
}

/// An awsQuery form as the structure CloudTrail records for it: `AlarmActions.member.1`
/// becomes the list `alarmActions`, `Attributes.entry.1.key` and `.value` the map
/// `attributes`, every name camelCase (as CloudTrail writes `requestParameters`).
fn unflatten<'f>(fields: impl Iterator<Item = (&'f String, &'f String)>) -> Value {
    let mut root = Value::Object(serde_json::Map::new());
    for (key, value) in fields {
        let parts: Vec<&str> = key.split('.').collect();
        insert(&mut root, &parts, value);
    }
    finish(root)
}

/// Puts `value` at `path` (form segments) under `node`. Lists and maps are built
/// as objects keyed by their index first ([`finish`] turns them into what they are).
fn insert(node: &mut Value, path: &[&str], value: &str) {
    let Some((first, rest)) = path.split_first() else {
        *node = Value::String(value.to_string());
        return;
    };
    let Value::Object(map) = node else {
        return;
    };
    let key = match *first {
        // `member.N` and `entry.N`: the index alone, marked so `finish` knows.
        "member" | "entry" if !rest.is_empty() => {
            let child = map
                .entry(format!("#{first}"))
                .or_insert_with(|| Value::Object(serde_json::Map::new()));
            return insert(child, rest, value);
        }
        other => camel(other),
    };
    let child = map
        .entry(key)
        .or_insert_with(|| Value::Object(serde_json::Map::new()));
    insert(child, rest, value);
}

/// Lists from `#member` objects (in index order) and maps from `#entry` objects
/// (their `key` and `value`), all the way down.
fn finish(node: Value) -> Value {
    let Value::Object(mut map) = node else {
        return node;
    };
    let indexed = |items: serde_json::Map<String, Value>| {
        let mut items: Vec<(usize, Value)> = items
            .into_iter()
            .filter_map(|(i, v)| Some((i.parse().ok()?, v)))
            .collect();
        items.sort_by_key(|(i, _)| *i);
        items.into_iter().map(|(_, v)| finish(v))
    };
    if let Some(Value::Object(members)) = map.remove("#member") {
        return Value::Array(indexed(members).collect());
    }
    if let Some(Value::Object(entries)) = map.remove("#entry") {
        return Value::Object(
            indexed(entries)
                .filter_map(|entry| {
                    let key = entry.get("key")?.as_str()?.to_string();
                    Some((key, entry.get("value").cloned().unwrap_or(Value::Null)))
                })
                .collect(),
        );
    }
    Value::Object(map.into_iter().map(|(k, v)| (k, finish(v))).collect())
}

fn camel(key: &str) -> String {
    let mut chars = key.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

fn redact(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !is_secret_field(k))
                .map(|(k, v)| (camel(k), redact(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redact).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parameters_are_recorded_as_structures_as_cloudtrail_does() {
        let form: BTreeMap<String, String> = [
            ("AlarmName", "a"),
            ("AlarmActions.member.2", "arn:b"),
            ("AlarmActions.member.1", "arn:a"),
            ("Dimensions.member.1.Name", "Secret"),
            ("Dimensions.member.1.Value", "TopSecretInfo"),
            ("Attributes.entry.1.key", "FilterPolicy"),
            ("Attributes.entry.1.value", "{}"),
            ("Period", "60"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(
            unflatten(form.iter()),
            serde_json::json!({
                "alarmName": "a",
                "alarmActions": ["arn:a", "arn:b"],
                "dimensions": [{"name": "Secret", "value": "TopSecretInfo"}],
                "attributes": {"FilterPolicy": "{}"},
                "period": "60",
            })
        );
    }

    fn headers(pairs: &[(&'static str, &str)]) -> http::HeaderMap {
        let mut map = http::HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, v.parse().unwrap());
        }
        map
    }

    const AUTH: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/eu-west-2/SERVICE/aws4_request, SignedHeaders=host, Signature=abc";

    fn auth(service: &str) -> String {
        AUTH.replace("SERVICE", service)
    }

    #[test]
    fn json_calls_name_their_operation_and_hide_secret_values() {
        let h = headers(&[
            ("authorization", &auth("secretsmanager")),
            ("x-amz-target", "secretsmanager.CreateSecret"),
        ]);
        let call = Call::parse(
            "POST",
            "/",
            None,
            &h,
            br#"{"Name":"TopSecretInfo","SecretString":"hunter2","Tags":[{"Key":"lab"}]}"#,
        )
        .unwrap();
        assert_eq!(call.service, "secretsmanager");
        assert_eq!(call.operation, "CreateSecret");
        assert_eq!(call.region, "eu-west-2");
        assert_eq!(call.access_key, "AKIDEXAMPLE");
        assert!(!call.read_only());
        assert!(call.management);
        let params = call.request_parameters();
        assert_eq!(params["name"], "TopSecretInfo");
        assert_eq!(params["tags"][0]["key"], "lab");
        assert!(!params.to_string().contains("hunter2"));
    }

    #[test]
    fn query_calls_read_the_form() {
        let h = headers(&[("authorization", &auth("monitoring"))]);
        let body = b"Action=PutMetricAlarm&Version=2010-08-01&AlarmName=Secret+alarm&AlarmActions.member.2=b&AlarmActions.member.1=a";
        let call = Call::parse("POST", "/", None, &h, body).unwrap();
        assert_eq!(call.operation, "PutMetricAlarm");
        assert_eq!(call.param("AlarmName").as_deref(), Some("Secret alarm"));
        assert_eq!(call.list_param("AlarmActions"), ["a", "b"]);
        assert_eq!(call.request_parameters()["alarmName"], "Secret alarm");
        assert!(call.request_parameters().get("action").is_none());
    }

    #[test]
    fn s3_bucket_calls_are_management_events_and_object_calls_are_not() {
        let h = headers(&[("authorization", &auth("s3"))]);
        let policy = Call::parse("PUT", "/my-bucket", Some("policy"), &h, b"{}").unwrap();
        assert_eq!(policy.operation, "PutBucketPolicy");
        assert!(policy.management);
        assert_eq!(policy.param("Bucket").as_deref(), Some("my-bucket"));
        let object = Call::parse("PUT", "/my-bucket/AWSLogs/x.json.gz", None, &h, b"").unwrap();
        assert_eq!(object.operation, "PutObject");
        assert!(!object.management);
        let create = Call::parse("PUT", "/my-bucket", None, &h, b"").unwrap();
        assert_eq!(create.operation, "CreateBucket");
    }

    #[test]
    fn unsigned_requests_are_not_calls() {
        assert!(
            Call::parse(
                "GET",
                "/",
                Some("Action=ConfirmSubscription"),
                &headers(&[]),
                b""
            )
            .is_none()
        );
    }

    #[test]
    fn reads_are_read_only() {
        let h = headers(&[
            ("authorization", &auth("secretsmanager")),
            ("x-amz-target", "secretsmanager.GetSecretValue"),
        ]);
        let call = Call::parse("POST", "/", None, &h, br#"{"SecretId":"TopSecretInfo"}"#).unwrap();
        assert!(call.read_only());
        assert_eq!(call.event_source(), "secretsmanager.amazonaws.com");
        assert_eq!(call.request_parameters()["secretId"], "TopSecretInfo");
    }
}
