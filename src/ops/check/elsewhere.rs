//! Grading accounts other than the caller's: a class (`lab check --roster`) or one
//! account (`lab check --account`, an autograder).
//!
//! For each student it assumes a role in their account (session name `lab-grader`),
//! then reads and judges the account exactly as `lab check` does for one. Accounts
//! are graded concurrently, at most `concurrency` at a time, and reported in roster
//! order. An account that cannot be reached (the role is missing, access is
//! denied) becomes an error row; the rest go on.

use std::future::Future;

use aws_config::{Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use futures_util::StreamExt;

use super::report;
use crate::aws::Aws;
use crate::grading::Grading;
use crate::lesson::{Lab, Stage};
pub use crate::report::Grade;
use crate::report::Report;
use crate::roster::Student;
use crate::session::Session;
use crate::variables::Assignments;

/// `name` as IAM allows a role name: 1 to 64 letters, digits and `_+=,.@-`.
pub fn check_role_name(name: &str) -> Result<(), crate::Error> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c);
    if name.is_empty() || name.len() > 64 || !name.chars().all(allowed) {
        return Err(crate::Error::BadRoleName { name: name.into() });
    }
    Ok(())
}

/// `id` as STS allows an external id: 2 to 1224 letters, digits and `_+=,.@:/-`.
pub fn check_external_id(id: &str) -> Result<(), crate::Error> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_+=,.@:/-".contains(c);
    if id.len() < 2 || id.len() > 1224 || !id.chars().all(allowed) {
        return Err(crate::Error::BadExternalId { id: id.into() });
    }
    Ok(())
}

/// The role session name graders appear under in the students' CloudTrail.
pub const SESSION_NAME: &str = "lab-grader";

/// How a class is graded.
#[derive(Debug, Clone, Copy)]
pub struct How {
    /// How many accounts at once.
    pub concurrency: usize,
    /// How each account is graded.
    pub grading: Grading,
}

/// A configuration acting in the student's account: the grader's identity (through
/// `sts`, built from `base`) assumes the student's role (their `role_arn`, else
/// `role_name` in their account).
pub async fn assume(
    sts: &aws_sdk_sts::Client,
    base: &SdkConfig,
    student: &Student,
    role_name: &str,
    external_id: Option<&str>,
) -> Result<SdkConfig, String> {
    let role_arn = student
        .role_arn
        .clone()
        .unwrap_or_else(|| format!("arn:aws:iam::{}:role/{role_name}", student.account));
    let out = sts
        .assume_role()
        .role_arn(&role_arn)
        .role_session_name(SESSION_NAME)
        .set_external_id(external_id.map(str::to_string))
        .send()
        .await
        .map_err(|e| {
            tracing::debug!(
                "cannot assume {role_arn}: {}",
                aws_smithy_types::error::display::DisplayErrorContext(&e)
            );
            let hint = match checkers::read_error::code(&e) {
                Some("AccessDenied") if external_id.is_none() => {
                    "does the role exist, and does its trust policy allow you? If it requires an external id, pass --external-id"
                }
                Some("AccessDenied") => {
                    "does the role exist, does its trust policy allow you, and is the external id the one it expects?"
                }
                Some(_) => "check the role ARN and your own credentials",
                None => "is the endpoint up, and the network reachable?",
            };
            format!(
                "cannot assume {role_arn}: {}: {hint}",
                checkers::read_error::one_line(&e)
            )
        })?;
    let c = out
        .credentials()
        .ok_or_else(|| format!("assuming {role_arn} returned no credentials"))?;
    let expiry = std::time::SystemTime::try_from(*c.expiration()).ok();
    let credentials = Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_string()),
        expiry,
        SESSION_NAME,
    );
    let mut config = base
        .to_builder()
        .credentials_provider(SharedCredentialsProvider::new(credentials));
    if let Some(region) = &student.region {
        config = config.region(Region::new(region.clone()));
    }
    Ok(config.build())
}

/// Grades every student, at most `concurrency` at once; `reach` gives a
/// configuration acting in a student's account (normally [`assume`]); `done` is
/// called as each student finishes (for a progress bar).
pub async fn grade<R, Fut>(
    lab: &Lab,
    students: Vec<Student>,
    stages: &[&Stage],
    assignments: &Assignments,
    how: How,
    reach: R,
    done: impl Fn(&Student),
) -> Vec<Grade>
where
    R: Fn(Student) -> Fut,
    Fut: Future<Output = Result<SdkConfig, String>>,
{
    let reach = &reach;
    let done = &done;
    futures_util::stream::iter(students)
        .map(|student| async move {
            let outcome = match reach(student.clone()).await {
                Ok(config) => {
                    graded(
                        Aws::new(config),
                        &student,
                        lab,
                        assignments,
                        stages,
                        how.grading,
                    )
                    .await
                }
                Err(why) => Err(why),
            };
            done(&student);
            Grade { student, outcome }
        })
        .buffered(how.concurrency.max(1))
        .collect()
        .await
}

/// One student's account read and judged, once AWS confirms the identity reached is
/// in the roster's account: a role that lands elsewhere grades nothing.
async fn graded(
    aws: Aws,
    student: &Student,
    lab: &Lab,
    assignments: &Assignments,
    stages: &[&Stage],
    grading: Grading,
) -> Result<Report, String> {
    let identity = aws.identity().await.map_err(|e| e.to_string())?;
    if identity.account != student.account {
        return Err(format!(
            "the role reached account {} (as {}), not {}, the account to grade for {}: nothing was graded; \
             fix the role's ARN (the roster's role_arn) or the account id",
            identity.account, identity.arn, student.account, student.name
        ));
    }
    let grading = Grading {
        separate_grader: true,
        ..grading
    };
    let session =
        Session::in_account(lab, aws, identity, assignments).map_err(|e| e.to_string())?;
    Ok(report(&session, stages, grading).await)
}

/// One account to grade that is not the one the credentials are in (`lab check
/// --account`, an autograder): reached through a role assumed there, as a class's
/// grader reaches a student's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Elsewhere {
    /// The account's 12-digit id.
    pub account: String,
    /// The role assumed there.
    pub role_name: String,
    /// The external id the role requires, if any.
    pub external_id: Option<String>,
}

/// Connects as the grader, assumes the role in `target`'s account, and reads and
/// judges it there: `lab check --account` short of printing.
pub async fn account_elsewhere(
    lab: &Lab,
    aws_options: &crate::aws::AwsOptions,
    assignments: &Assignments,
    stages: &[&Stage],
    grading: Grading,
    target: &Elsewhere,
) -> Result<Report, crate::Error> {
    let base = crate::aws::connect(aws_options).await?;
    let grader = base.identity().await?;
    let student = Student {
        name: target.account.clone(),
        account: target.account.clone(),
        ..Default::default()
    };
    let reached = assume(
        &base.sts(),
        base.config(),
        &student,
        &target.role_name,
        target.external_id.as_deref(),
    )
    .await
    .map_err(|why| crate::Error::NotAssumed {
        why,
        role: target.role_name.clone(),
        account: target.account.clone(),
        grader: grader.arn.clone(),
    })?;
    graded(
        Aws::new(reached),
        &student,
        lab,
        assignments,
        stages,
        grading,
    )
    .await
    .map_err(|why| crate::Error::NotGraded { why })
}

/// A class to grade (`lab check --roster FILE`): who, how each account is reached
/// from the grader's, and how.
#[derive(Debug, Clone)]
pub struct Class {
    /// The students, from the roster.
    pub students: Vec<Student>,
    /// The role assumed in each student's account.
    pub role_name: String,
    /// The external id the role requires, if any.
    pub external_id: Option<String>,
    /// How many at once, and how each is graded.
    pub how: How,
}

/// Grades `class` on `stages`: the grader's own identity first (if it cannot reach
/// AWS, nothing is graded, so nothing already written is replaced by a gradebook of
/// error rows), then every student, calling `on_graded` as each is done.
pub async fn class(
    lab: &Lab,
    aws_options: &crate::aws::AwsOptions,
    assignments: &Assignments,
    stages: &[&Stage],
    class: Class,
    on_graded: impl Fn(&Student),
) -> Result<Vec<Grade>, crate::Error> {
    let base = crate::aws::connect(aws_options).await?;
    base.identity().await?;
    let (role_name, external_id) = (class.role_name.as_str(), class.external_id.as_deref());
    let base_config = base.config();
    let sts = &base.sts();
    Ok(grade(
        lab,
        class.students,
        stages,
        assignments,
        class.how,
        |student| async move { assume(sts, base_config, &student, role_name, external_id).await },
        on_graded,
    )
    .await)
}
