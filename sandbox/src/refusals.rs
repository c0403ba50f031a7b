//! AWS's refusals where the lab's resources meet, which moto does not make.
//!
//! When a trail is created or changed, CloudTrail checks that it will be allowed
//! to do its work, and refuses the call if not:
//!
//! | The call names | CloudTrail checks | Refused with |
//! |---|---|---|
//! | a bucket (and key prefix) | the bucket policy lets `cloudtrail.amazonaws.com` call `s3:GetBucketAcl` on the bucket and `s3:PutObject` where the log files go | `InsufficientS3BucketPolicyException` |
//! | an SNS topic | the topic policy lets it call `sns:Publish` | `InsufficientSnsTopicPolicyException` |
//! | a CloudWatch Logs role | the role's trust policy lets it assume the role for this trail | `InvalidCloudWatchLogsRoleArnException` |
//! | a CloudWatch Logs log group | the role's policies allow `logs:CreateLogStream` and `logs:PutLogEvents` on the trail's stream | `InvalidCloudWatchLogsLogGroupArnException` |
//!
//! CloudWatch Logs refuses a metric filter whose pattern is not a filter pattern, or
//! that has both dimensions and a default value (`InvalidParameterException`), or
//! whose log group does not exist (`ResourceNotFoundException`); a pattern in a form
//! the sandbox's evaluator does not read yet is let through.
//!
//! CloudTrail asks the same of the role before every delivery to CloudWatch Logs
//! ([`super::delivery_role`]): a role narrowed or untrusted after UpdateTrail stops
//! the deliveries, and `GetTrailStatus` says so. SNS refuses a publish by CloudWatch or CloudTrail
//! that the topic policy does not allow: see [`super::sns::publish`].
//!
//! (CloudTrail API reference, CreateTrail and UpdateTrail, "Errors"; CloudTrail
//! User Guide, "Amazon S3 bucket policy for CloudTrail" and "Amazon SNS topic policy
//! for CloudTrail".) A policy this sandbox cannot read all of (a condition key it
//! does not model) is allowed: it cannot know what AWS would say. KMS keys are out
//! of scope.

use checkers::fetch::Clients;
use checkers::policy::{self, Caller, Request};

use super::answer::Refusal;
use super::call::Call;
use super::delivery_role::{DELIVERY_DENIED, Denial, refuses};
use super::state::Sandbox;
use super::world::Principal;

const CLOUDTRAIL: &str = "cloudtrail.amazonaws.com";

/// AWS's refusal of `call`, if AWS would refuse it; `None` lets it through to moto.
pub async fn refusal(sandbox: &Sandbox, call: &Call, who: &Principal) -> Option<Refusal> {
    match (call.service.as_str(), call.operation.as_str()) {
        ("cloudtrail", "CreateTrail" | "UpdateTrail") => {
            let aws = sandbox.backend.as_caller(&call.access_key, &call.region);
            trail_refusal(&aws, call, who, sandbox.clock.now()).await
        }
        ("logs", "PutMetricFilter") => {
            let aws = sandbox.backend.as_caller(&call.access_key, &call.region);
            metric_filter_refusal(&aws, call).await
        }
        _ => None,
    }
}

/// CloudWatch Logs API reference, PutMetricFilter, "Errors".
async fn metric_filter_refusal(aws: &Clients, call: &Call) -> Option<Refusal> {
    let pattern = call.param("filterPattern").unwrap_or_default();
    if let Err(e) = checkers::filter_pattern::parse(&pattern)
        && e.kind == checkers::filter_pattern::ParseErrorKind::Invalid
    {
        return Some(Refusal::new(
            "InvalidParameterException",
            "Invalid metric filter pattern",
        ));
    }
    // "If you assign dimensions to a metric created by a metric filter, you can't
    // assign a default value for that metric" (CloudWatch Logs User Guide,
    // "Creating metrics from log events using filters").
    let both = match &call.params {
        super::call::Params::Json(request) => request
            .get("metricTransformations")
            .and_then(serde_json::Value::as_array)
            .is_some_and(|all| {
                all.iter().any(|t| {
                    t.get("defaultValue").is_some_and(|d| !d.is_null())
                        && t.get("dimensions")
                            .and_then(serde_json::Value::as_object)
                            .is_some_and(|d| !d.is_empty())
                })
            }),
        _ => false,
    };
    if both {
        return Some(Refusal::new(
            "InvalidParameterException",
            "A metric filter with dimensions cannot have a default value",
        ));
    }
    let group = call.param("logGroupName")?;
    let found = aws
        .logs
        .describe_log_groups()
        .log_group_name_prefix(&group)
        .send()
        .await
        .ok()?;
    if found
        .log_groups()
        .iter()
        .any(|g| g.log_group_name() == Some(group.as_str()))
    {
        None
    } else {
        Some(Refusal::new(
            "ResourceNotFoundException",
            "The specified log group does not exist.",
        ))
    }
}

/// Where the trail will write, as CloudTrail checks it.
struct TrailTarget {
    arn: String,
    /// The sandbox's time: where today's log files go.
    time: f64,
    account: String,
    region: String,
}

async fn trail_refusal(aws: &Clients, call: &Call, who: &Principal, time: f64) -> Option<Refusal> {
    let name = call.param("Name")?;
    let target = TrailTarget {
        arn: if name.starts_with("arn:") {
            name.clone()
        } else {
            format!(
                "arn:aws:cloudtrail:{}:{}:trail/{name}",
                call.region, who.account
            )
        },
        account: who.account.clone(),
        region: call.region.clone(),
        time,
    };
    let bucket = call.param("S3BucketName").filter(|b| !b.is_empty());
    let prefix = call.param("S3KeyPrefix");
    let bucket = match (bucket, &prefix) {
        (Some(bucket), _) => Some(bucket),
        // A new prefix for the trail's bucket.
        (None, Some(_)) => current_bucket(aws, &name).await,
        (None, None) => None,
    };
    if let Some(bucket) = bucket
        && let Some(refusal) = bucket_refusal(aws, &target, &bucket, prefix.as_deref()).await
    {
        return Some(refusal);
    }
    if let Some(topic) = call.param("SnsTopicName").filter(|t| !t.is_empty())
        && let Some(refusal) = topic_refusal(aws, &target, &topic).await
    {
        return Some(refusal);
    }
    if let Some(role) = call
        .param("CloudWatchLogsRoleArn")
        .filter(|r| !r.is_empty())
    {
        let group = call.param("CloudWatchLogsLogGroupArn").unwrap_or_default();
        return role_refusal(aws, &target, &role, &group).await;
    }
    None
}

async fn current_bucket(aws: &Clients, trail: &str) -> Option<String> {
    let found = aws.cloudtrail.get_trail().name(trail).send().await.ok()?;
    found.trail()?.s3_bucket_name().map(str::to_string)
}

/// The conditions CloudTrail's requests carry.
fn cloudtrail_context(target: &TrailTarget) -> [(&str, &str); 4] {
    [
        ("aws:SourceArn", target.arn.as_str()),
        ("aws:SourceAccount", target.account.as_str()),
        ("aws:SecureTransport", "true"),
        ("s3:x-amz-acl", "bucket-owner-full-control"),
    ]
}

/// Keys CloudTrail's requests do not carry (an SNS topic's default policy names
/// `AWS:SourceOwner`, which does not cover CloudTrail).
const NOT_CARRIED: [&str; 1] = ["AWS:SourceOwner"];

async fn bucket_refusal(
    aws: &Clients,
    target: &TrailTarget,
    bucket: &str,
    prefix: Option<&str>,
) -> Option<Refusal> {
    let refused = || {
        Some(Refusal::new(
            "InsufficientS3BucketPolicyException",
            format!("Incorrect S3 bucket policy is detected for bucket: {bucket}"),
        ))
    };
    let policy = match aws.s3.get_bucket_policy().bucket(bucket).send().await {
        Ok(found) => found.policy.unwrap_or_default(),
        Err(e) => {
            let code = aws_smithy_types::error::metadata::ProvideErrorMetadata::code(&e);
            // No bucket: moto refuses that itself, as AWS does.
            return match code {
                Some("NoSuchBucketPolicy") => refused(),
                _ => None,
            };
        }
    };
    let context = cloudtrail_context(target);
    let key = super::cloudtrail::log_file_key(
        prefix.filter(|p| !p.is_empty()),
        &target.account,
        &target.region,
        target.time,
        "0000",
    );
    let bucket_arn = format!("arn:aws:s3:::{bucket}");
    let object_arn = format!("arn:aws:s3:::{bucket}/{key}");
    for (action, resource) in [
        ("s3:GetBucketAcl", bucket_arn.as_str()),
        ("s3:PutObject", object_arn.as_str()),
    ] {
        let access = policy::allows(
            &policy,
            &Request {
                caller: Caller::Service(CLOUDTRAIL),
                action,
                resource: Some(resource),
                context: &context,
                absent: &NOT_CARRIED,
            },
        );
        if refuses(&access, "bucket policy") {
            return refused();
        }
    }
    None
}

async fn topic_refusal(aws: &Clients, target: &TrailTarget, topic: &str) -> Option<Refusal> {
    let arn = if topic.starts_with("arn:") {
        topic.to_string()
    } else {
        format!("arn:aws:sns:{}:{}:{topic}", target.region, target.account)
    };
    let refused = Some(Refusal::new(
        "InsufficientSnsTopicPolicyException",
        "SNS Topic does not exist or the topic policy is incorrect!",
    ));
    let Ok(found) = aws.sns.get_topic_attributes().topic_arn(&arn).send().await else {
        return refused;
    };
    let policy = found
        .attributes
        .as_ref()
        .and_then(|a| a.get("Policy"))
        .cloned()
        .unwrap_or_default();
    let context = cloudtrail_context(target);
    let access = policy::allows(
        &policy,
        &Request {
            caller: Caller::Service(CLOUDTRAIL),
            action: "sns:Publish",
            resource: Some(&arn),
            context: &context,
            absent: &NOT_CARRIED,
        },
    );
    if refuses(&access, "topic policy") {
        refused
    } else {
        None
    }
}

async fn role_refusal(
    aws: &Clients,
    target: &TrailTarget,
    role_arn: &str,
    group_arn: &str,
) -> Option<Refusal> {
    let code = match super::delivery_role::delivery_denied(
        aws,
        &target.arn,
        &target.account,
        &target.region,
        role_arn,
        group_arn,
    )
    .await?
    {
        Denial::Role => "InvalidCloudWatchLogsRoleArnException",
        Denial::Group => "InvalidCloudWatchLogsLogGroupArnException",
    };
    Some(Refusal::new(code, DELIVERY_DENIED))
}
