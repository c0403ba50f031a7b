//! The IAM actions `lab` calls, listed once: the handbook's appendix prints them as
//! minimal policies. A test checks the read-only list against what `lab check` calls.

/// What `lab check` reads (and `lab run` reads to check steps). All read-only.
pub const CHECK: &[&str] = &[
    "sts:GetCallerIdentity",
    "secretsmanager:DescribeSecret",
    "cloudtrail:DescribeTrails",
    "cloudtrail:GetTrailStatus",
    "cloudtrail:GetEventSelectors",
    "cloudtrail:LookupEvents",
    "s3:ListBucket",
    "logs:DescribeLogGroups",
    "logs:DescribeLogStreams",
    "logs:DescribeMetricFilters",
    "logs:TestMetricFilter",
    "iam:GetRole",
    "iam:ListRolePolicies",
    "iam:GetRolePolicy",
    "iam:ListAttachedRolePolicies",
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
    "cloudwatch:DescribeAlarms",
    "cloudwatch:DescribeAlarmHistory",
    "cloudwatch:GetMetricStatistics",
    "sns:ListTopics",
    "sns:ListSubscriptionsByTopic",
    "sns:GetTopicAttributes",
    "sns:GetSubscriptionAttributes",
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
];

/// What "do it for me" and `lab cleanup` add to that.
pub const DO_IT_FOR_ME: &[&str] = &[
    "secretsmanager:CreateSecret",
    "secretsmanager:TagResource",
    "secretsmanager:RestoreSecret",
    "secretsmanager:GetSecretValue",
    "secretsmanager:DeleteSecret",
    "s3:CreateBucket",
    "s3:GetBucketPolicy",
    "s3:PutBucketPolicy",
    "s3:GetBucketTagging",
    "s3:PutBucketTagging",
    "s3:ListBucketVersions",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:DeleteBucket",
    "cloudtrail:CreateTrail",
    "cloudtrail:UpdateTrail",
    "cloudtrail:StartLogging",
    "cloudtrail:StopLogging",
    "cloudtrail:PutEventSelectors",
    "cloudtrail:AddTags",
    "cloudtrail:ListTags",
    "cloudtrail:DeleteTrail",
    "logs:CreateLogGroup",
    "logs:TagResource",
    "logs:ListTagsForResource",
    "logs:PutMetricFilter",
    "logs:DeleteLogGroup",
    "iam:CreateRole",
    "iam:TagRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:GetRolePolicy",
    "iam:PutRolePolicy",
    "iam:PassRole",
    "iam:ListRolePolicies",
    "iam:DeleteRolePolicy",
    "iam:ListAttachedRolePolicies",
    "iam:DetachRolePolicy",
    "iam:DeleteRole",
    "sns:CreateTopic",
    "sns:TagResource",
    "sns:ListTagsForResource",
    "sns:Subscribe",
    "sns:GetTopicAttributes",
    "sns:SetTopicAttributes",
    "sns:Unsubscribe",
    "sns:DeleteTopic",
    "cloudwatch:PutMetricAlarm",
    "cloudwatch:TagResource",
    "cloudwatch:ListTagsForResource",
    "cloudwatch:SetAlarmState",
    "cloudwatch:GetMetricStatistics",
    "cloudwatch:DeleteAlarms",
];

/// A policy document, typed so that its keys print in IAM's usual order whichever
/// way `serde_json` was built.
#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct Document<'a> {
    version: &'a str,
    statement: [Statement<'a>; 1],
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct Statement<'a> {
    effect: &'a str,
    action: &'a [&'a str],
    resource: &'a str,
}

/// An IAM policy document allowing `actions` on every resource.
pub fn policy(actions: &[&str]) -> String {
    let document = Document {
        version: "2012-10-17",
        statement: [Statement {
            effect: "Allow",
            action: actions,
            resource: "*",
        }],
    };
    serde_json::to_string_pretty(&document).expect("a policy serializes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_read_the_check_reports_is_listed() {
        // The actions `fetch` names in its errors are the ones it calls.
        let fetch = [
            include_str!("../checkers/src/fetch/cloudtrail.rs"),
            include_str!("../checkers/src/fetch/cloudwatch.rs"),
            include_str!("../checkers/src/fetch/iam.rs"),
            include_str!("../checkers/src/fetch/kms.rs"),
            include_str!("../checkers/src/fetch/logs.rs"),
            include_str!("../checkers/src/fetch/s3.rs"),
            include_str!("../checkers/src/fetch/secretsmanager.rs"),
            include_str!("../checkers/src/fetch/sns.rs"),
        ]
        .concat();
        let called: Vec<&str> = fetch
            .split('"')
            .filter(|s| {
                s.split(':').count() == 2
                    && s.chars().all(|c| c.is_ascii_alphanumeric() || c == ':')
            })
            .collect();
        assert!(called.len() >= 24, "found only {called:?} in fetch/");
        for action in called {
            assert!(
                CHECK.contains(&action),
                "{action} is called by fetch but missing from permissions::CHECK"
            );
        }
        assert!(
            CHECK.iter().chain(DO_IT_FOR_ME).all(|a| !a.ends_with('*')),
            "no wildcards"
        );
    }
}
