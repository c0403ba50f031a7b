//! `secret.exists` and `trail.secret_access_recorded`.

use super::{Ctx, Judged, Judgement, fail, pass, read};
use crate::catalogue::Check;
use crate::snapshot::SecretRead;

/// The secret exists and is not scheduled for deletion.
pub(super) fn exists(ctx: &Ctx) -> Judged {
    let name = &ctx.n.secret;
    let region = &ctx.s.region;
    match read(&ctx.s.secret)? {
        None => Err(fail(
            format!("there is no secret named `{name}` in {region}"),
            format!(
                "store it in Secrets Manager in {region}{}, or if it has another name, \
                 pass it with --set secret_name=...",
                ctx.stage(Check::SecretExists)
            ),
            None,
        )),
        Some(secret) => match &secret.deleted_date {
            Some(when) => Err(fail(
                format!("the secret `{name}` is scheduled for deletion ({when})"),
                format!("restore it: aws secretsmanager restore-secret --secret-id \"{name}\""),
                Some(&secret.arn),
            )),
            None => Ok(pass(
                format!("the secret `{name}` exists"),
                Some(&secret.arn),
            )),
        },
    }
}

/// The reads of the lab's secret in CloudTrail's event history, made by anyone but
/// a separate grader.
pub(super) fn reads_of_secret<'s>(ctx: &Ctx<'s>) -> Result<Vec<&'s SecretRead>, Judgement> {
    let name = &ctx.n.secret;
    let arn = read(&ctx.s.secret)?.as_ref().map(|s| s.arn.as_str());
    let reads = read(&ctx.s.secret_reads)?;
    Ok(reads
        .iter()
        .filter(|r| {
            r.secret_id.as_deref().is_some_and(|id| {
                // The name, the full ARN, or the partial ARN (the ARN without the
                // random `-XXXXXX` suffix Secrets Manager adds); never any prefix.
                let partial = arn.and_then(|a| a.get(..a.len().saturating_sub(7)));
                id == *name || Some(id) == arn || Some(id) == partial
            })
        })
        .filter(|r| ctx.s.grader.is_none() || r.principal != ctx.s.grader)
        .collect())
}

/// CloudTrail's event history holds a GetSecretValue on the lab's secret.
pub(super) fn access_recorded(ctx: &Ctx) -> Judged {
    let name = &ctx.n.secret;
    let secret = read(&ctx.s.secret)?.as_ref();
    let arn = secret.map(|s| s.arn.as_str());
    let reads = read(&ctx.s.secret_reads)?;
    let ours = reads_of_secret(ctx)?;
    match ours.iter().max_by(|a, b| a.time.cmp(&b.time)) {
        Some(latest) => Ok(pass(
            format!(
                "CloudTrail recorded {} read{} of `{name}`, the latest at {}{}",
                ours.len(),
                if ours.len() == 1 { "" } else { "s" },
                latest.time,
                latest
                    .user
                    .as_deref()
                    .map(|u| format!(" by {u}"))
                    .unwrap_or_default()
            ),
            arn,
        )),
        None => Err(fail(
            format!(
                "CloudTrail's event history has no GetSecretValue on `{name}` ({} on other secrets)",
                reads.len()
            ),
            format!(
                "read the secret (console: Retrieve secret value; CLI: aws secretsmanager \
                 get-secret-value --secret-id \"{name}\"), then wait about 5 minutes: event \
                 history lags behind"
            ),
            arn,
        )),
    }
}
