//! `secret.exists`.

use super::{Ctx, Judged, error, fail, pass, read};
use crate::catalogue::Check;

/// The secret exists and is not scheduled for deletion.
pub(super) fn exists(ctx: &Ctx) -> Judged {
    let Some(name) = &ctx.n.secret else {
        return Err(error(
            "the lab names no secret (it has no `secret_name` variable), so there is none to look for",
            "report this to the lab's author: `lab lessons lint` says which variable is missing",
        ));
    };
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
