//! Secrets Manager: the lab's secret (never its value).

use super::{Calls, Clients, is_not_found};
use crate::read_error::{classify, code};
use crate::snapshot::{Read, Secret};

/// The secret named `name`; none when the lab names no secret.
pub(super) async fn secret(c: &Clients, calls: &Calls, name: Option<&str>) -> Read<Option<Secret>> {
    let Some(name) = name else {
        return Ok(None);
    };
    calls.tick();
    match c
        .secretsmanager
        .describe_secret()
        .secret_id(name)
        .send()
        .await
    {
        Ok(out) => Ok(Some(Secret {
            arn: out.arn().unwrap_or_default().to_string(),
            name: out.name().unwrap_or(name).to_string(),
            deleted_date: out.deleted_date().map(|d| d.to_string()),
        })),
        Err(e) if is_not_found(code(&e)) => Ok(None),
        Err(e) => Err(classify("secretsmanager:DescribeSecret", &e)),
    }
}
