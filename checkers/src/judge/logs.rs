//! CloudWatch Logs: `logs.trail_delivery`, `logs.events_arriving` (`logs.metric_filter`
//! judges the metric as a whole, in [`super::metric`]).

use super::{Ctx, Judged, Judgement, error, fail, pass, read_named};
use crate::arn::last_name;
use crate::catalogue::Check;
use crate::policy::{Access, service_may_assume};

/// The log group the trail delivers to (which must be the lab's), or why not.
pub(super) fn delivered_group(ctx: &Ctx) -> Result<String, Judgement> {
    let trail = ctx.chain.trail()?.ok_or_else(|| {
        fail(
            "the trail is missing",
            format!("create the trail first{}", ctx.stage(Check::TrailExists)),
            None,
        )
    })?;
    let wanted = &ctx.n.log_group;
    match ctx.chain.delivered_group()? {
        None => Err(fail(
            format!(
                "the trail `{}` does not send its events to CloudWatch Logs",
                trail.name
            ),
            format!(
                "edit the trail: enable CloudWatch Logs with the log group `{wanted}`{}",
                ctx.stage(Check::LogsTrailDelivery)
            ),
            Some(&trail.arn),
        )),
        Some(group) if group != *wanted => Err(fail(
            format!(
                "the trail `{}` sends its events to the log group `{group}`, not `{wanted}`",
                trail.name
            ),
            format!(
                "point the trail at `{wanted}`, or if `{group}` is yours, pass --set log_group={group}"
            ),
            Some(&trail.arn),
        )),
        Some(group) => Ok(group),
    }
}

/// The trail delivers to the lab's log group, which exists, through a role that
/// exists and that CloudTrail may assume for this trail.
pub(super) fn trail_delivery(ctx: &Ctx) -> Judged {
    let group = delivered_group(ctx)?;
    let trail = ctx.chain.trail()?.expect("delivered_group found the trail");
    let Some(log_group) = read_named(&ctx.s.log_groups, &group, "the log group")? else {
        return Err(fail(
            format!(
                "the trail `{}` sends its events to `{group}`, but that log group does not exist",
                trail.name
            ),
            format!(
                "create it (aws logs create-log-group --log-group-name {group}) or let the trail's CloudWatch Logs settings create it"
            ),
            Some(&trail.arn),
        ));
    };
    let Some(role_arn) = &trail.logs_role_arn else {
        return Err(fail(
            format!("the trail `{}` has no role for CloudWatch Logs", trail.name),
            format!(
                "edit the trail's CloudWatch Logs settings and choose the role `{}`",
                ctx.n.role
            ),
            Some(&trail.arn),
        ));
    };
    let role_name = last_name(role_arn);
    let Some(role) = read_named(&ctx.s.roles, role_name, "the role")? else {
        return Err(fail(
            format!(
                "the trail `{}` uses the role `{role_name}`, which does not exist",
                trail.name
            ),
            "edit the trail's CloudWatch Logs settings and create a new role",
            Some(&trail.arn),
        ));
    };
    match service_may_assume(
        &role.trust_policy,
        "cloudtrail.amazonaws.com",
        &trail.arn,
        &ctx.s.account,
    ) {
        Access::Allowed => Ok(pass(
            format!(
                "the trail `{}` delivers to `{group}` through the role `{role_name}`",
                trail.name
            ),
            log_group.arn.as_deref(),
        )),
        Access::Denied(why) => Err(fail(
            format!("CloudTrail cannot assume the role `{role_name}`: {why}"),
            "let `cloudtrail.amazonaws.com` assume the role (its trust policy), or let the console create a new role",
            Some(&role.arn),
        )),
        Access::Unknown(why) => Err(error(
            format!("cannot judge the trust policy of `{role_name}`: {why}"),
            "check by hand that cloudtrail.amazonaws.com may assume it for this trail",
        )),
    }
}

/// Events have arrived in the log group.
pub(super) fn events_arriving(ctx: &Ctx) -> Judged {
    let group = delivered_group(ctx)?;
    let streams = read_named(&ctx.s.log_streams, &group, "the log streams of")?;
    let latest = streams
        .iter()
        .filter_map(|s| {
            s.last_event_timestamp
                .or(s.last_ingestion_time)
                .map(|t| (t, s))
        })
        .max_by_key(|(t, _)| *t);
    match latest {
        Some((_, stream)) => Ok(pass(
            format!(
                "events are arriving in `{group}` (latest in stream `{}`)",
                stream.name
            ),
            None,
        )),
        None => Err(fail(
            format!("no events have arrived in `{group}` yet"),
            "CloudTrail delivers about every 5 minutes: read the secret, wait, and check again; \
             if nothing arrives within 15 minutes, check the trail's CloudWatch Logs role",
            None,
        )),
    }
}
