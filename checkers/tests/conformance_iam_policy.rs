//! The IAM policy evaluator against AWS's own worked examples, each with the result
//! the documentation gives. Transcribed from the IAM User Guide, not generated from
//! lab's code:
//!
//! - "Policy evaluation logic" (explicit deny, implicit deny, allow; the examples of
//!   Carlos's bucket and of `AllowGetList` with `DenyReports`):
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>
//! - "Permissions boundaries for IAM entities" (the intersection; Shirley's
//!   boundary): <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html>
//!
//! The sandbox refuses and delivers with this evaluator, and `lab check` judges
//! roles, topic policies and key policies with it, so a mistake in it would make
//! both agree; these rows keep it honest.

use checkers::policy::{Access, Caller, Request, allowed_together, allowed_within};

fn holder(action: &'static str, resource: &'static str) -> Request<'static> {
    Request {
        caller: Caller::Holder,
        action,
        resource: Some(resource),
        context: &[],
        absent: &[],
    }
}

/// Carlos's identity-based policy (the "Example identity-based and resource-based
/// policies" of "Policy evaluation logic").
const CARLOS: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Sid":"AllowS3ListRead","Effect":"Allow","Action":["s3:GetBucketLocation","s3:GetAccountPublicAccessBlock","s3:ListAccessPoints","s3:ListAllMyBuckets"],"Resource":"arn:aws:s3:::*"},
  {"Sid":"AllowS3Self","Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::carlossalazar/*","arn:aws:s3:::carlossalazar"]},
  {"Sid":"DenyS3Logs","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::*log*"}]}"#;

/// "An example of an explicit and default denial": `AllowGetList` and `DenyReports`.
const GET_LIST: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Sid":"AllowGetList","Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"},
  {"Sid":"DenyReports","Effect":"Deny","Action":"iam:*Report","Resource":"*"}]}"#;

/// Shirley's permissions boundary: S3, CloudWatch and EC2 only.
const SHIRLEY_BOUNDARY: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":["s3:*","cloudwatch:*","ec2:*"],"Resource":"*"}]}"#;

/// What the examples decide.
#[derive(Debug, PartialEq, Eq)]
enum Decision {
    Allowed,
    ExplicitDeny,
    ImplicitDeny,
}

fn decision(access: Access) -> Decision {
    match access {
        Access::Allowed => Decision::Allowed,
        Access::Denied(why) if why.contains("Deny statement") => Decision::ExplicitDeny,
        Access::Denied(_) => Decision::ImplicitDeny,
        Access::Unknown(why) => panic!("undecided: {why}"),
    }
}

#[test]
fn carlos_may_not_save_to_his_logs_bucket() {
    // "AWS first checks for a Deny statement ... It finds one."
    let access = allowed_together(
        &[CARLOS],
        &holder("s3:PutObject", "arn:aws:s3:::carlossalazar-logs/photo.jpg"),
    );
    assert_eq!(decision(access), Decision::ExplicitDeny);
}

#[test]
fn carlos_may_save_to_his_own_bucket() {
    let access = allowed_together(
        &[CARLOS],
        &holder("s3:PutObject", "arn:aws:s3:::carlossalazar/photo.jpg"),
    );
    assert_eq!(decision(access), Decision::Allowed);
}

#[test]
fn get_and_list_are_allowed() {
    let access = allowed_together(&[GET_LIST], &holder("iam:GetRole", "*"));
    assert_eq!(decision(access), Decision::Allowed);
    let access = allowed_together(&[GET_LIST], &holder("iam:ListUsers", "*"));
    assert_eq!(decision(access), Decision::Allowed);
}

#[test]
fn other_iam_actions_are_denied_by_default() {
    let access = allowed_together(&[GET_LIST], &holder("iam:CreatePolicy", "*"));
    assert_eq!(decision(access), Decision::ImplicitDeny);
}

#[test]
fn reports_are_denied_explicitly_even_where_another_policy_allows_them() {
    let everything = r#"{"Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}"#;
    let access = allowed_together(
        &[everything, GET_LIST],
        &holder("iam:GetOrganizationsAccessReport", "*"),
    );
    assert_eq!(decision(access), Decision::ExplicitDeny);
}

#[test]
fn a_boundary_keeps_shirley_out_of_iam_whatever_her_policy_allows() {
    // "Shirley can never perform operations in any other service, including IAM,
    // even if she has a permissions policy that allows it."
    let admin = r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    let access = allowed_within(
        &[admin],
        Some(SHIRLEY_BOUNDARY),
        &holder("iam:CreateUser", "*"),
    );
    assert_eq!(decision(access), Decision::ImplicitDeny);
}

#[test]
fn within_the_boundary_what_her_policy_allows_she_may_do() {
    let s3 = r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
    let access = allowed_within(
        &[s3],
        Some(SHIRLEY_BOUNDARY),
        &holder("s3:GetObject", "arn:aws:s3:::bucket/key"),
    );
    assert_eq!(decision(access), Decision::Allowed);
}

#[test]
fn a_boundary_grants_nothing_by_itself() {
    // "it limits the user's permissions but does not provide permissions on its own".
    let nothing = r#"{"Statement":[{"Effect":"Allow","Action":"sns:Publish","Resource":"*"}]}"#;
    let access = allowed_within(
        &[nothing],
        Some(SHIRLEY_BOUNDARY),
        &holder("ec2:RunInstances", "*"),
    );
    assert_eq!(decision(access), Decision::ImplicitDeny);
}
