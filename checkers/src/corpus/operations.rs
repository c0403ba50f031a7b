//! The operations the corpus records, and the `requestParameters` of each, as
//! CloudTrail writes them.
//!
//! Every Secrets Manager operation is here, with the secret named the ways its API
//! accepts; beside them, the calls of other services that a lab on this chain makes or
//! meets and that *mention* a secret or a read without being one: the KMS calls behind
//! a read, a search of the event history, a metric filter's own definition, an IAM
//! policy that grants reads, Parameter Store's reference to a secret.

use serde_json::{Value, json};

use super::rng::Rng;

/// What an operation's record is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum About {
    /// One secret, named in the request (`secretId`, `name`, or an ARN elsewhere).
    Secret,
    /// No secret.
    Nothing,
}

/// One operation.
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    /// `eventSource`.
    pub source: &'static str,
    /// `eventName`.
    pub name: &'static str,
    /// `readOnly`.
    pub read_only: bool,
    /// What its records are about.
    pub about: About,
    /// Recorded by the service itself (`eventType: AwsServiceEvent`), not by a caller.
    pub service_event: bool,
}

impl Operation {
    /// The `eventType` of its records.
    pub fn event_type(&self) -> super::EventType {
        if self.service_event {
            super::EventType::ServiceEvent
        } else if self.name == "ConsoleLogin" {
            super::EventType::ConsoleSignIn
        } else {
            super::EventType::ApiCall
        }
    }
}

/// A service's name as AWS writes it in prose, for its event source
/// (`kms.amazonaws.com` → `AWS KMS`); the source itself where it is not one the
/// corpus records.
pub fn service_name(source: &str) -> &str {
    match source {
        "secretsmanager.amazonaws.com" => "Secrets Manager",
        "kms.amazonaws.com" => "AWS KMS",
        "rdsdata.amazonaws.com" => "the RDS Data API",
        "ssm.amazonaws.com" => "Systems Manager",
        "cloudtrail.amazonaws.com" => "CloudTrail",
        "logs.amazonaws.com" => "CloudWatch Logs",
        "monitoring.amazonaws.com" => "CloudWatch",
        "iam.amazonaws.com" => "IAM",
        "sts.amazonaws.com" => "AWS STS",
        "s3.amazonaws.com" => "Amazon S3",
        "sns.amazonaws.com" => "Amazon SNS",
        "signin.amazonaws.com" => "the console's sign-in",
        "ec2.amazonaws.com" => "Amazon EC2",
        "lambda.amazonaws.com" => "AWS Lambda",
        other => other,
    }
}

const fn op(source: &'static str, name: &'static str, read_only: bool, about: About) -> Operation {
    Operation {
        source,
        name,
        read_only,
        about,
        service_event: false,
    }
}

const SM: &str = "secretsmanager.amazonaws.com";
const S: About = About::Secret;
const N: About = About::Nothing;

/// Every operation the corpus makes records of.
pub const OPERATIONS: &[Operation] = &[
    op(SM, "GetSecretValue", true, S),
    op(SM, "BatchGetSecretValue", true, S),
    op(SM, "DescribeSecret", true, S),
    op(SM, "ListSecretVersionIds", true, S),
    op(SM, "GetResourcePolicy", true, S),
    op(SM, "ListSecrets", true, N),
    op(SM, "GetRandomPassword", true, N),
    op(SM, "ValidateResourcePolicy", true, S),
    op(SM, "CreateSecret", false, S),
    op(SM, "PutSecretValue", false, S),
    op(SM, "UpdateSecret", false, S),
    op(SM, "UpdateSecretVersionStage", false, S),
    op(SM, "RotateSecret", false, S),
    op(SM, "CancelRotateSecret", false, S),
    op(SM, "DeleteSecret", false, S),
    op(SM, "RestoreSecret", false, S),
    op(SM, "PutResourcePolicy", false, S),
    op(SM, "DeleteResourcePolicy", false, S),
    op(SM, "TagResource", false, S),
    op(SM, "UntagResource", false, S),
    op(SM, "ReplicateSecretToRegions", false, S),
    op(SM, "RemoveRegionsFromReplication", false, S),
    op(SM, "StopReplicationToReplica", false, S),
    Operation {
        service_event: true,
        ..op(SM, "RotationSucceeded", false, S)
    },
    Operation {
        service_event: true,
        ..op(SM, "EndSecretVersionDelete", false, S)
    },
    op("kms.amazonaws.com", "Decrypt", true, S),
    op("kms.amazonaws.com", "GenerateDataKey", true, S),
    op("ssm.amazonaws.com", "GetParameter", true, S),
    op("cloudtrail.amazonaws.com", "LookupEvents", true, N),
    op("cloudtrail.amazonaws.com", "DescribeTrails", true, N),
    op("cloudtrail.amazonaws.com", "PutEventSelectors", false, N),
    op("cloudtrail.amazonaws.com", "CreateTrail", false, N),
    op("logs.amazonaws.com", "PutMetricFilter", false, N),
    op("logs.amazonaws.com", "TestMetricFilter", true, N),
    op("logs.amazonaws.com", "DescribeMetricFilters", true, N),
    op("logs.amazonaws.com", "CreateLogGroup", false, N),
    op("monitoring.amazonaws.com", "PutMetricAlarm", false, N),
    op("monitoring.amazonaws.com", "DescribeAlarms", true, N),
    op("iam.amazonaws.com", "PutRolePolicy", false, N),
    op("iam.amazonaws.com", "AttachRolePolicy", false, N),
    op("iam.amazonaws.com", "GetRole", true, N),
    op("sts.amazonaws.com", "AssumeRole", true, N),
    op("sts.amazonaws.com", "GetCallerIdentity", true, N),
    op("s3.amazonaws.com", "ListBuckets", true, N),
    op("s3.amazonaws.com", "PutBucketPolicy", false, N),
    op("sns.amazonaws.com", "Subscribe", false, N),
    op("signin.amazonaws.com", "ConsoleLogin", false, N),
    op("ec2.amazonaws.com", "DescribeInstances", true, N),
    op("lambda.amazonaws.com", "GetFunction", true, N),
    // Appended, not inserted: each operation's records are drawn from a stream of
    // its own, by its place in this list, so earlier operations keep theirs.
    op("cloudtrail.amazonaws.com", "UpdateTrail", false, N),
    op("cloudtrail.amazonaws.com", "StopLogging", false, N),
    op("cloudtrail.amazonaws.com", "StartLogging", false, N),
    op("cloudtrail.amazonaws.com", "DeleteTrail", false, N),
    op("cloudtrail.amazonaws.com", "GetTrailStatus", true, N),
];

/// What one request is about, for building its parameters.
pub(super) struct Target<'a> {
    /// How the request names the secret (its name, full ARN or partial ARN).
    pub reference: &'a str,
    /// The secret's full ARN.
    pub arn: &'a str,
    /// The secret's name.
    pub name: &'a str,
}

/// The `requestParameters` of one call of `op`.
pub(super) fn request(op: &Operation, target: Option<&Target>, rng: &mut Rng) -> Value {
    let id = target.map_or("", |t| t.reference);
    let arn = target.map_or("", |t| t.arn);
    let name = target.map_or("", |t| t.name);
    // Policies, filters and searches mention a read sometimes, and sometimes not: a
    // pattern that counts the call itself must show up on the ones that do not.
    let action = *rng.pick(&[
        "secretsmanager:GetSecretValue",
        "secretsmanager:DescribeSecret",
        "s3:GetObject",
        "logs:PutLogEvents",
        "cloudtrail:StopLogging",
    ]);
    let read_policy = || {
        json!({
            "Version": "2012-10-17",
            "Statement": [{ "Effect": "Allow", "Action": [action], "Resource": "*" }]
        })
        .to_string()
    };
    let filter_pattern = *rng.pick(&[
        "GetSecretValue",
        "{ $.eventName = \"GetSecretValue\" }",
        "ERROR",
        "{ $.errorCode = \"*\" }",
        "[ip, user, status = 5*]",
    ]);
    match op.name {
        "GetSecretValue" => match rng.below(3) {
            0 => json!({ "secretId": id }),
            1 => {
                json!({ "secretId": id, "versionStage": rng.pick(&["AWSCURRENT", "AWSPREVIOUS"]) })
            }
            _ => json!({ "secretId": id, "versionId": rng.uuid() }),
        },
        "BatchGetSecretValue" => {
            let other = format!("app/{}", rng.chars("abcdefgh", 6));
            match rng.below(3) {
                0 => json!({ "secretIdList": [id, other] }),
                1 => json!({ "secretIdList": [other, id] }),
                _ => json!({ "filters": [{ "key": "name", "values": [name] }] }),
            }
        }
        "ListSecretVersionIds" => json!({ "secretId": id, "includeDeprecated": rng.chance(50) }),
        "ListSecrets" => {
            if rng.chance(50) {
                Value::Null
            } else {
                json!({ "maxResults": 100, "includePlannedDeletion": false })
            }
        }
        "GetRandomPassword" => json!({ "passwordLength": 32, "excludePunctuation": true }),
        "ValidateResourcePolicy" => json!({ "secretId": id, "resourcePolicy": read_policy() }),
        "PutResourcePolicy" => {
            json!({ "secretId": id, "resourcePolicy": read_policy(), "blockPublicPolicy": true })
        }
        "CreateSecret" => json!({
            "name": name,
            "description": "database credentials for the payroll service",
            "secretString": "HIDDEN_DUE_TO_SECURITY_REASONS",
            "clientRequestToken": rng.uuid(),
            "forceOverwriteReplicaSecret": false
        }),
        "PutSecretValue" => json!({
            "secretId": id,
            "secretString": "HIDDEN_DUE_TO_SECURITY_REASONS",
            "clientRequestToken": rng.uuid()
        }),
        "UpdateSecret" => json!({ "secretId": id, "description": "rotated by the team" }),
        "UpdateSecretVersionStage" => json!({
            "secretId": id,
            "versionStage": "AWSCURRENT",
            "moveToVersionId": rng.uuid()
        }),
        "RotateSecret" => json!({ "secretId": id, "rotateImmediately": true }),
        "DeleteSecret" => json!({ "secretId": id, "recoveryWindowInDays": 7 }),
        "TagResource" => {
            json!({ "secretId": id, "tags": [{ "key": "team", "value": "security" }] })
        }
        "UntagResource" => json!({ "secretId": id, "tagKeys": ["team"] }),
        "ReplicateSecretToRegions" => {
            json!({ "secretId": id, "addReplicaRegions": [{ "region": "eu-west-1" }] })
        }
        "RemoveRegionsFromReplication" => {
            json!({ "secretId": id, "removeReplicaRegions": ["eu-west-1"] })
        }
        "RotationSucceeded" | "EndSecretVersionDelete" => Value::Null,
        "Decrypt" | "GenerateDataKey" => json!({
            "encryptionContext": { "SecretARN": arn, "SecretVersionId": rng.uuid() },
            "encryptionAlgorithm": "SYMMETRIC_DEFAULT"
        }),
        "GetParameter" => json!({
            "name": format!("/aws/reference/secretsmanager/{name}"),
            "withDecryption": true
        }),
        "LookupEvents" => {
            let (key, value) = *rng.pick(&[
                ("EventName", "GetSecretValue"),
                ("EventSource", "secretsmanager.amazonaws.com"),
                ("ResourceType", "AWS::SecretsManager::Secret"),
                ("Username", "learner"),
            ]);
            json!({ "lookupAttributes": [{ "attributeKey": key, "attributeValue": value }], "maxResults": 50 })
        }
        "PutEventSelectors" => json!({
            "trailName": "audit-trail",
            "eventSelectors": [{ "readWriteType": "All", "includeManagementEvents": true,
                "excludeManagementEventSources": ["kms.amazonaws.com"] }]
        }),
        "CreateTrail" => json!({ "name": "audit-trail", "s3BucketName": "trail-logs" }),
        "UpdateTrail" => match rng.below(3) {
            0 => json!({ "name": "audit-trail", "enableLogFileValidation": rng.chance(50) }),
            1 => json!({ "name": "audit-trail", "snsTopicName": "alerts" }),
            _ => {
                json!({ "name": "audit-trail", "cloudWatchLogsLogGroupArn": "arn:aws:logs:us-east-1:111122223333:log-group:audit-logs:*" })
            }
        },
        "StopLogging" | "StartLogging" | "DeleteTrail" | "GetTrailStatus" => {
            json!({ "name": *rng.pick(&["audit-trail", "arn:aws:cloudtrail:us-east-1:111122223333:trail/audit-trail"]) })
        }
        "PutMetricFilter" => json!({
            "logGroupName": "audit-logs",
            "filterName": "reads",
            "filterPattern": filter_pattern,
            "metricTransformations": [{ "metricName": "Sensitive calls", "metricNamespace": "Audit", "metricValue": "1" }]
        }),
        "TestMetricFilter" => json!({
            "filterPattern": filter_pattern,
            "logEventMessages": [*rng.pick(&[
                "{\"eventName\":\"GetSecretValue\",\"eventSource\":\"secretsmanager.amazonaws.com\"}",
                "ERROR 2026-11-28 disk full",
            ])]
        }),
        "DescribeMetricFilters" | "CreateLogGroup" => {
            json!({ "logGroupName": "audit-logs" })
        }
        "PutMetricAlarm" => json!({
            "alarmName": "Sensitive calls",
            "alarmDescription": "Alerts on sensitive calls.",
            "metricName": "Sensitive calls",
            "namespace": "Audit",
            "statistic": "Sum",
            "period": 300,
            "threshold": 1.0
        }),
        "PutRolePolicy" => json!({
            "roleName": "app-backend",
            "policyName": "read-secrets",
            "policyDocument": read_policy()
        }),
        "AttachRolePolicy" => json!({
            "roleName": "app-backend",
            "policyArn": "arn:aws:iam::aws:policy/SecretsManagerReadWrite"
        }),
        "GetRole" => json!({ "roleName": "app-backend" }),
        "AssumeRole" => json!({
            "roleArn": "arn:aws:iam::111122223333:role/app-backend",
            "roleSessionName": format!("session-{}", rng.below(10_000))
        }),
        "PutBucketPolicy" => json!({ "bucketName": "trail-logs", "policy": [""] }),
        "Subscribe" => {
            json!({ "topicArn": "arn:aws:sns:us-east-1:111122223333:alerts", "protocol": "email" })
        }
        "DescribeInstances" => json!({ "instancesSet": {}, "filterSet": {} }),
        "GetFunction" => json!({ "functionName": "SecretsManagerRotation" }),
        // The rest take the secret alone, or nothing.
        _ if target.is_some() => json!({ "secretId": id }),
        _ => Value::Null,
    }
}
