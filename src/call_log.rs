//! The AWS calls `lab`'s clients make, written down as the IAM actions they need:
//! how the tests hold the permissions `lab` publishes (`src/permissions.rs`) to what
//! its actions really call.

use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// Every call made through clients that carry it, in order, as `service:Action`.
#[derive(Debug, Clone, Default)]
pub struct CallLog(Arc<Mutex<Vec<String>>>);

impl CallLog {
    /// The calls written down since the last `take`, forgetting them.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Intercept for CallLog {
    fn name(&self) -> &'static str {
        "CallLog"
    }

    // Not `read_before_execution`: a client's interceptors run that before the
    // operation's own configuration, which names the call, is in `cfg`. Serialization
    // comes once per call, before any retry.
    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(call) = cfg.load::<Metadata>() {
            let action = iam_action(call.service(), call.name());
            self.0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(action);
        }
        Ok(())
    }
}

/// The IAM action an API call needs: `prefix:Operation`, but for the S3 calls whose
/// permission has another name, as the S3 actions table says
/// (<https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html>:
/// ListObjectsV2 and HeadBucket need `s3:ListBucket`, ListObjectVersions
/// `s3:ListBucketVersions`, DeleteObjects `s3:DeleteObject`).
pub fn iam_action(service: &str, operation: &str) -> String {
    let prefix = match service {
        "CloudWatch Logs" => "logs",
        "CloudWatch" => "cloudwatch",
        "Secrets Manager" => "secretsmanager",
        other => return named(&other.to_ascii_lowercase(), operation),
    };
    format!("{prefix}:{operation}")
}

fn named(prefix: &str, operation: &str) -> String {
    let operation = match (prefix, operation) {
        ("s3", "ListObjectsV2" | "ListObjects" | "HeadBucket") => "ListBucket",
        ("s3", "ListObjectVersions") => "ListBucketVersions",
        ("s3", "DeleteObjects") => "DeleteObject",
        ("s3", "HeadObject") => "GetObject",
        _ => operation,
    };
    format!("{prefix}:{operation}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_become_the_iam_actions_they_need() {
        assert_eq!(
            iam_action("CloudWatch Logs", "PutMetricFilter"),
            "logs:PutMetricFilter"
        );
        assert_eq!(
            iam_action("Secrets Manager", "GetSecretValue"),
            "secretsmanager:GetSecretValue"
        );
        assert_eq!(
            iam_action("CloudWatch", "PutMetricAlarm"),
            "cloudwatch:PutMetricAlarm"
        );
        assert_eq!(
            iam_action("S3", "ListObjectVersions"),
            "s3:ListBucketVersions"
        );
        assert_eq!(iam_action("S3", "DeleteObjects"), "s3:DeleteObject");
        assert_eq!(iam_action("S3", "CreateBucket"), "s3:CreateBucket");
        assert_eq!(iam_action("IAM", "PutRolePolicy"), "iam:PutRolePolicy");
        assert_eq!(iam_action("SNS", "Subscribe"), "sns:Subscribe");
    }
}
