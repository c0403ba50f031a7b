//! `cleanup.done`: none of the lab's resources remain.

use super::{Ctx, Judged, error, fail, pass};
use crate::catalogue::Check;
use crate::snapshot::{Read, ReadError, ReadErrorKind, Reads};

/// A by-name read; one the fetch never made is unknown, never "gone".
fn named<T: Clone>(reads: &Reads<T>, name: &str) -> Read<T> {
    reads.get(name).cloned().unwrap_or_else(|| {
        Err(ReadError {
            action: "lab's fetch".into(),
            kind: ReadErrorKind::Unavailable,
            detail: format!("`{name}` was not read"),
        })
    })
}

/// Every lab resource, by its lab name, is gone. A secret scheduled for deletion
/// counts as gone. Anything known to remain is a failure even if something else
/// could not be read; with nothing remaining and something unreadable, an error.
pub(super) fn done(ctx: &Ctx) -> Judged {
    let n = ctx.n;
    let s = ctx.s;
    let mut remaining = Vec::new();
    let mut unreadable = Vec::new();
    let mut note = |what: String, present: Read<bool>| match present {
        Ok(true) => remaining.push(what),
        Ok(false) => {}
        Err(e) => unreadable.push(format!("{what} ({})", super::unreadable(&e).message)),
    };
    if let Some(name) = &n.secret {
        note(
            format!("secret `{name}`"),
            s.secret
                .clone()
                .map(|secret| secret.is_some_and(|x| x.deleted_date.is_none())),
        );
    }
    note(
        format!("trail `{}`", n.trail),
        s.trails
            .clone()
            .map(|t| t.iter().any(|t| t.name == n.trail)),
    );
    note(
        format!("bucket `{}`", n.bucket),
        named(&s.buckets, &n.bucket),
    );
    note(
        format!("log group `{}` (with its metric filter)", n.log_group),
        named(&s.log_groups, &n.log_group).map(|g| g.is_some()),
    );
    note(
        format!("role `{}`", n.role),
        named(&s.roles, &n.role).map(|r| r.is_some()),
    );
    note(
        format!("alarm `{}`", n.alarm),
        s.alarms
            .clone()
            .map(|a| a.iter().any(|a| a.name == n.alarm)),
    );
    note(
        format!("topic `{}`", n.topic),
        s.topics.clone().map(|t| {
            t.iter()
                .any(|arn| arn.rsplit(':').next() == Some(n.topic.as_str()))
        }),
    );
    match (remaining.is_empty(), unreadable.is_empty()) {
        (true, true) => built_then_gone(ctx),
        (false, _) => Err(fail(
            format!(
                "still there: {}{}",
                remaining.join(", "),
                if unreadable.is_empty() {
                    String::new()
                } else {
                    format!("; could not check: {}", unreadable.join(", "))
                }
            ),
            format!(
                "delete them{}, or run `lab cleanup`",
                ctx.stage(Check::CleanupDone)
            ),
            None,
        )),
        (true, false) => Err(error(
            format!("could not check: {}", unreadable.join(", ")),
            "grant read access to those services, then run the check again",
        )),
    }
}

/// Nothing of the lab remains: a cleanup, if the lab was ever built here. An
/// account that never had it has nothing to clean up, and earns nothing for it.
fn built_then_gone(ctx: &Ctx) -> Judged {
    if ctx.s.before_cleanup.is_some() {
        return Ok(pass("none of the lab's resources remain", None));
    }
    match &ctx.s.write_history {
        Ok(events) if crate::history::created_any(events, ctx.n) => {
            Ok(pass("none of the lab's resources remain", None))
        }
        Ok(_) => Err(fail(
            "none of the lab's resources exist, and CloudTrail's event history (the last 90 days) shows none was ever created here: there was nothing to clean up",
            "build the lab before its cleanup",
            None,
        )),
        Err(e) => Err(super::unreadable(e)),
    }
}
