//! The IAM actions `lab` calls, listed once: the handbook's appendix prints them as
//! minimal policies. Tests hold both lists to the code: the read-only one to what
//! `lab check` calls, and each action's to the calls it makes, both ways.

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

/// What "do it for me" and `lab cleanup` add to that, for every action: each
/// action's own list ([`crate::action_catalogue::ActionSpec::iam`]), each permission
/// once, in catalogue order.
pub fn do_it_for_me() -> Vec<&'static str> {
    needed_by(crate::action_catalogue::CATALOGUE.iter())
}

/// The same for `lab`'s own actions: those its steps do, and `lab cleanup`'s.
pub fn do_it_for_me_in(lab: &crate::lesson::Lab) -> Vec<&'static str> {
    let cleanup = crate::action_catalogue::find("cleanup.all");
    let used = crate::action_catalogue::CATALOGUE.iter().filter(|spec| {
        Some(*spec) == cleanup
            || lab
                .steps()
                .any(|(_, step)| step.action.as_ref().is_some_and(|a| a.spec.id == spec.id))
    });
    needed_by(used)
}

/// The permissions `actions` need beyond [`CHECK`], each once, in order.
fn needed_by<'a>(
    actions: impl Iterator<Item = &'a crate::action_catalogue::ActionSpec>,
) -> Vec<&'static str> {
    let mut all: Vec<&'static str> = Vec::new();
    for action in actions {
        for permission in action.iam {
            if !all.contains(permission) && !CHECK.contains(permission) {
                all.push(permission);
            }
        }
    }
    all
}

/// Permissions an action needs that are not the name of a call it makes, each with
/// the call that needs it. Creating a resource with tags needs the service's
/// tagging permission too, and handing CloudTrail the delivery role needs
/// `iam:PassRole` (the Service Authorization Reference lists them as each call's
/// dependent actions:
/// <https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html>);
/// S3 names some permissions apart from their calls.
pub const IMPLIED: &[(&str, &str)] = &[
    ("secretsmanager:TagResource", "secretsmanager:CreateSecret"),
    ("cloudtrail:AddTags", "cloudtrail:CreateTrail"),
    ("logs:TagResource", "logs:CreateLogGroup"),
    ("iam:TagRole", "iam:CreateRole"),
    ("sns:TagResource", "sns:CreateTopic"),
    ("cloudwatch:TagResource", "cloudwatch:PutMetricAlarm"),
    ("iam:PassRole", "cloudtrail:UpdateTrail"),
    ("s3:DeleteObject", "s3:DeleteObjects"),
    ("s3:DeleteObjectVersion", "s3:DeleteObjects"),
    ("s3:ListBucketVersions", "s3:ListObjectVersions"),
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
            CHECK
                .iter()
                .chain(&do_it_for_me())
                .all(|a| !a.ends_with('*')),
            "no wildcards"
        );
    }

    /// `CreateSecret` → `create_secret`: the SDK's method for a call.
    fn method(call: &str) -> String {
        let operation = call.split_once(':').map_or(call, |(_, op)| op);
        let mut snake = String::new();
        for (at, c) in operation.chars().enumerate() {
            if c.is_ascii_uppercase() && at > 0 {
                snake.push('_');
            }
            snake.push(c.to_ascii_lowercase());
        }
        format!(".{snake}()")
    }

    /// The other way from the test that records every call an action makes
    /// (`tests/testsuite/actions.rs`): each permission an action lists is one its
    /// code calls, or one a call it makes needs (`IMPLIED`), so none is stale.
    #[test]
    fn every_permission_an_action_lists_is_called_by_the_actions() {
        let code = crate::actions::SOURCES
            .concat()
            .replace(char::is_whitespace, "");
        let called = |call: &str| code.contains(&method(call));
        for action in crate::action_catalogue::CATALOGUE {
            for permission in action.iam {
                let by = IMPLIED
                    .iter()
                    .find(|(implied, _)| implied == permission)
                    .map(|(_, by)| *by);
                assert!(
                    called(by.unwrap_or(permission)),
                    "{} lists {permission}, but no action calls {}",
                    action.id,
                    method(by.unwrap_or(permission))
                );
            }
        }
        assert_eq!(method("s3:ListObjectVersions"), ".list_object_versions()");
        assert!(!called("cloudtrail:CreateEventDataStore"));
    }
}
