//! Realistic CloudTrail records that a metric filter is judged against.
//!
//! A filter that counts reads of the secret must match both ways a read is recorded
//! (the CLI passes the name, the console passes the ARN) and must not match the
//! neighbours that share words with a read: listing or describing secrets, the KMS
//! decryption Secrets Manager makes on each read, and an unrelated service's call.

use serde_json::json;

/// One sample record and what a correct filter does with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// What it is, in a few words, for messages.
    pub label: String,
    /// Whether a correct filter counts it.
    pub should_match: bool,
    /// The record, as CloudTrail writes it to CloudWatch Logs (one JSON object).
    pub message: String,
}

/// The samples for a secret `name` with ARN `arn`, in `account` and `region`.
pub fn samples(name: &str, arn: &str, account: &str, region: &str) -> Vec<Sample> {
    let record = |source: &str, event: &str, read_only: bool, params: serde_json::Value| {
        json!({
            "eventVersion": "1.09",
            "userIdentity": {
                "type": "IAMUser",
                "principalId": "AIDAEXAMPLEPRINCIPAL",
                "arn": format!("arn:aws:iam::{account}:user/learner"),
                "accountId": account,
                "accessKeyId": "AKIAEXAMPLEKEY",
                "userName": "learner"
            },
            "eventTime": "2026-11-28T09:00:00Z",
            "eventSource": source,
            "eventName": event,
            "awsRegion": region,
            "sourceIPAddress": "198.51.100.7",
            "userAgent": "aws-cli/2.22.0",
            "requestParameters": params,
            "responseElements": null,
            "requestID": "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
            "eventID": "1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809",
            "readOnly": read_only,
            "eventType": "AwsApiCall",
            "managementEvent": true,
            "recipientAccountId": account,
            "eventCategory": "Management"
        })
        .to_string()
    };
    let sample = |label: &str, should_match: bool, message: String| Sample {
        label: label.to_string(),
        should_match,
        message,
    };
    let secrets = "secretsmanager.amazonaws.com";
    vec![
        sample(
            "a GetSecretValue on the secret by name (as the CLI records it)",
            true,
            record(secrets, "GetSecretValue", true, json!({ "secretId": name })),
        ),
        sample(
            "a GetSecretValue on the secret by ARN (as the console records it)",
            true,
            record(secrets, "GetSecretValue", true, json!({ "secretId": arn })),
        ),
        sample(
            "a ListSecrets call",
            false,
            record(secrets, "ListSecrets", true, serde_json::Value::Null),
        ),
        sample(
            "a DescribeSecret on the secret",
            false,
            record(secrets, "DescribeSecret", true, json!({ "secretId": arn })),
        ),
        sample(
            "the KMS Decrypt that Secrets Manager makes for a read",
            false,
            record(
                "kms.amazonaws.com",
                "Decrypt",
                true,
                json!({
                    "encryptionAlgorithm": "SYMMETRIC_DEFAULT",
                    "encryptionContext": { "SecretARN": arn, "SecretVersionId": "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE" }
                }),
            ),
        ),
        sample(
            "an unrelated S3 ListBuckets call",
            false,
            record(
                "s3.amazonaws.com",
                "ListBuckets",
                true,
                json!({ "Host": "s3.amazonaws.com" }),
            ),
        ),
    ]
}

/// The ARN to use for the samples when the secret does not exist (yet).
pub fn placeholder_arn(name: &str, account: &str, region: &str) -> String {
    format!("arn:aws:secretsmanager:{region}:{account}:secret:{name}-AbCdEf")
}
