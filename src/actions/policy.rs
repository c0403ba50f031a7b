//! The IAM policy documents the actions write, least privilege each: only this
//! trail may write to the bucket; only CloudTrail, for this trail, may assume the
//! role; the role may only create streams and put events in this log group; only
//! this trail may publish to the topic (besides the account itself).

use serde_json::{Value, json};

/// Where the documents point: the account, region and resource names.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    /// The account id.
    pub account: &'a str,
    /// The region.
    pub region: &'a str,
    /// The trail's name.
    pub trail: &'a str,
}

impl Scope<'_> {
    /// The trail's ARN.
    pub fn trail_arn(&self) -> String {
        format!(
            "arn:aws:cloudtrail:{}:{}:trail/{}",
            self.region, self.account, self.trail
        )
    }
}

/// The bucket policy: CloudTrail may check the ACL and write log files, for this trail only.
pub fn bucket(scope: Scope, bucket: &str) -> Value {
    let trail = scope.trail_arn();
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "CloudTrailAclCheck",
                "Effect": "Allow",
                "Principal": { "Service": "cloudtrail.amazonaws.com" },
                "Action": "s3:GetBucketAcl",
                "Resource": format!("arn:aws:s3:::{bucket}"),
                "Condition": { "StringEquals": { "aws:SourceArn": trail } }
            },
            {
                "Sid": "CloudTrailWrite",
                "Effect": "Allow",
                "Principal": { "Service": "cloudtrail.amazonaws.com" },
                "Action": "s3:PutObject",
                "Resource": format!("arn:aws:s3:::{bucket}/AWSLogs/{}/*", scope.account),
                "Condition": { "StringEquals": { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trail } }
            }
        ]
    })
}

/// `current` (a policy document, if there is one) with `ours`'s statements put in:
/// each replaces a statement of the same `Sid`, and every other statement stays.
pub fn merged(current: Option<&str>, ours: &Value) -> Value {
    let decoded = current.map(checkers::policy::url_decode);
    let Some(mut policy) = decoded
        .as_deref()
        .and_then(|c| serde_json::from_str::<Value>(c).ok())
        .filter(|p| p.get("Statement").is_some_and(Value::is_array))
    else {
        return ours.clone();
    };
    let added = ours["Statement"].as_array().cloned().unwrap_or_default();
    let sids: Vec<&Value> = added.iter().filter_map(|s| s.get("Sid")).collect();
    let statements = policy["Statement"].as_array_mut().expect("checked above");
    statements.retain(|s| !s.get("Sid").is_some_and(|sid| sids.contains(&sid)));
    statements.extend(added.iter().cloned());
    policy
}

/// The role's trust policy: CloudTrail may assume it, for this trail only.
pub fn trust(scope: Scope) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": "cloudtrail.amazonaws.com" },
            "Action": "sts:AssumeRole",
            "Condition": { "StringEquals": { "aws:SourceArn": scope.trail_arn() } }
        }]
    })
}

/// The role's permissions: create streams and put events in this log group only.
pub fn logs_writer(scope: Scope, log_group: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": format!("arn:aws:logs:{}:{}:log-group:{log_group}:log-stream:*", scope.region, scope.account)
        }]
    })
}

/// The topic policy: the account keeps full control; this trail may publish, and so
/// may the account's CloudWatch alarms (a policy that names only the trail would stop
/// the alarm's email).
pub fn topic(scope: Scope, topic_arn: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AccountOwner",
                "Effect": "Allow",
                "Principal": { "AWS": format!("arn:aws:iam::{}:root", scope.account) },
                "Action": "sns:*",
                "Resource": topic_arn
            },
            {
                "Sid": "CloudTrailPublish",
                "Effect": "Allow",
                "Principal": { "Service": "cloudtrail.amazonaws.com" },
                "Action": "sns:Publish",
                "Resource": topic_arn,
                "Condition": { "StringEquals": { "aws:SourceArn": scope.trail_arn() } }
            },
            {
                "Sid": "CloudWatchAlarmsPublish",
                "Effect": "Allow",
                "Principal": { "Service": "cloudwatch.amazonaws.com" },
                "Action": "sns:Publish",
                "Resource": topic_arn,
                "Condition": { "ArnLike": { "aws:SourceArn": format!(
                    "arn:aws:cloudwatch:{}:{}:alarm:*", scope.region, scope.account
                ) } }
            }
        ]
    })
}

/// The name of the role's inline policy.
pub const LOGS_WRITER_POLICY: &str = "cloudtrail-to-logs";

#[cfg(test)]
mod tests {
    use super::*;
    use checkers::policy::{Access, service_may_assume};

    const SCOPE: Scope = Scope {
        account: "111122223333",
        region: "us-east-1",
        trail: "secrets-manager-trail",
    };

    #[test]
    fn the_labs_statements_go_beside_others_never_over_them() {
        let ours = bucket(SCOPE, "b");
        let company = r#"{"Version":"2012-10-17","Statement":[{"Sid":"CompanyAuditWriter","Effect":"Allow"},{"Sid":"CloudTrailWrite","Effect":"Deny"}]}"#;
        let merged = merged(Some(company), &ours);
        let sids: Vec<&str> = merged["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["Sid"].as_str().unwrap())
            .collect();
        assert_eq!(
            sids,
            [
                "CompanyAuditWriter",
                "CloudTrailAclCheck",
                "CloudTrailWrite"
            ]
        );
        assert_eq!(
            merged["Statement"][2]["Effect"], "Allow",
            "the lab's own statement, renewed"
        );
        assert_eq!(super::merged(None, &ours), ours);
        assert_eq!(super::merged(Some("not json"), &ours), ours);
    }

    #[test]
    fn the_trust_policy_passes_lab_check_for_this_trail_only() {
        let policy = trust(SCOPE).to_string();
        let cloudtrail = "cloudtrail.amazonaws.com";
        assert_eq!(
            service_may_assume(&policy, cloudtrail, &SCOPE.trail_arn(), "111122223333"),
            Access::Allowed
        );
        let other = "arn:aws:cloudtrail:us-east-1:111122223333:trail/other";
        assert!(matches!(
            service_may_assume(&policy, cloudtrail, other, "111122223333"),
            Access::Denied(_)
        ));
    }

    #[test]
    fn documents_name_exact_resources() {
        let writer = logs_writer(SCOPE, "my-group").to_string();
        assert!(writer.contains("log-group:my-group:log-stream:*"));
        assert!(!writer.contains("logs:*"));
        let bucket = bucket(SCOPE, "b").to_string();
        assert!(bucket.contains("arn:aws:s3:::b/AWSLogs/111122223333/*"));
        assert!(bucket.contains(&SCOPE.trail_arn()));
    }
}
