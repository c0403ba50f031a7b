//! CloudWatch Logs: `logs.trail_delivery` (the trail can deliver: where, through a
//! role it may assume and write with) and `logs.events_arriving` (it does, and goes
//! on doing so); `logs.metric_filter` judges the metric as a whole, in
//! [`super::metric`].

use super::{Ctx, Judged, Judgement, error, fail, pass, read_named};
use crate::arn::{Arn, last_name, log_group_name};
use crate::catalogue::Check;
use crate::policy::{Access, Caller, Request, allowed_within, service_may_assume};
use crate::snapshot::{Role, Trail};

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

/// The trail delivers to the lab's log group, which exists in this account and
/// region, through a role that exists, that CloudTrail may assume for this trail, and
/// whose permissions (within its boundary) let it create the trail's log stream and
/// put events in it.
pub(super) fn trail_delivery(ctx: &Ctx) -> Judged {
    let group = delivered_group(ctx)?;
    let trail = ctx.chain.trail()?.expect("delivered_group found the trail");
    where_delivered(ctx, trail)?;
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
        Access::Allowed => {}
        Access::Denied(why) => {
            return Err(fail(
                format!("CloudTrail cannot assume the role `{role_name}`: {why}"),
                "let `cloudtrail.amazonaws.com` assume the role (its trust policy), or let the console create a new role",
                Some(&role.arn),
            ));
        }
        Access::Unknown(why) => {
            return Err(error(
                format!("cannot judge the trust policy of `{role_name}`: {why}"),
                "check by hand that cloudtrail.amazonaws.com may assume it for this trail",
            ));
        }
    }
    may_write(ctx, role, &group)?;
    Ok(pass(
        format!(
            "the trail `{}` delivers to `{group}` through the role `{role_name}`, which CloudTrail may assume and write with",
            trail.name
        ),
        log_group.arn.as_deref(),
    ))
}

/// The log group the trail names is in this account and region, and the trail's
/// own home is this region: CloudTrail delivers a trail's events to a log group in
/// the trail's home region ("You must use a log group that exists in your account";
/// CloudTrail User Guide, "Sending events to CloudWatch Logs": "in the same region
/// as the trail"), and the lab's filter and alarm in this region see only this
/// region's log groups.
fn where_delivered(ctx: &Ctx, trail: &Trail) -> Result<(), Judgement> {
    let region = &ctx.s.region;
    if let Some(home) = trail.home_region.as_deref().filter(|home| home != region) {
        return Err(fail(
            format!(
                "the trail `{}` belongs to {home} (it records {region} too, as a multi-region trail),                  so it delivers to a log group in {home}, where the metric filter and alarm in {region} never see it",
                trail.name
            ),
            format!(
                "build the log group, filter, alarm and topic in {home} and grade there (--region {home}),                  or create a trail of your own in {region}"
            ),
            Some(&trail.arn),
        ));
    }
    let named = trail.log_group_arn.as_deref().and_then(Arn::parse);
    if let Some(arn) = named
        && ((!arn.region.is_empty() && arn.region != region)
            || (!arn.account.is_empty() && arn.account != ctx.s.account))
    {
        return Err(fail(
            format!(
                "the trail `{}` names the log group `{}` in account {} and {}, not in this account ({}) and region ({region})",
                trail.name,
                log_group_name(trail.log_group_arn.as_deref().unwrap_or_default()),
                arn.account,
                arn.region,
                ctx.s.account
            ),
            format!(
                "point the trail at the log group `{}` in {region} (its ARN: arn:aws:logs:{region}:{}:log-group:{}:*)",
                ctx.n.log_group, ctx.s.account, ctx.n.log_group
            ),
            Some(&trail.arn),
        ));
    }
    Ok(())
}

/// The role's permissions, within its boundary, let CloudTrail create the trail's
/// log stream in `group` and put events in it (CloudTrail User Guide, "Role policy
/// document for CloudTrail to use CloudWatch Logs for monitoring": both actions, on
/// `log-group:NAME:log-stream:ACCOUNT_CloudTrail_REGION*`; IAM User Guide, "Policy
/// evaluation logic": a Deny wins, and a boundary limits what the policies allow).
fn may_write(ctx: &Ctx, role: &Role, group: &str) -> Result<(), Judgement> {
    let policies = read_named(&ctx.s.role_policies, &role.name, "the policies of role")?;
    let (region, account) = (&ctx.s.region, &ctx.s.account);
    let stream = format!(
        "arn:aws:logs:{region}:{account}:log-group:{group}:log-stream:{account}_CloudTrail_{region}"
    );
    let documents: Vec<&str> = policies.documents.iter().map(String::as_str).collect();
    for action in ["logs:CreateLogStream", "logs:PutLogEvents"] {
        let request = Request {
            caller: Caller::Holder,
            action,
            resource: Some(&stream),
            context: &[],
            absent: &[],
        };
        match allowed_within(&documents, policies.boundary.as_deref(), &request) {
            Access::Allowed => {}
            Access::Denied(why) => {
                return Err(fail(
                    format!(
                        "CloudTrail may assume the role `{}`, but the role may not call `{action}` on the trail's log stream in `{group}`: {why}",
                        role.name
                    ),
                    format!(
                        "give the role a policy that allows logs:CreateLogStream and logs:PutLogEvents on \
                         arn:aws:logs:{region}:{account}:log-group:{group}:log-stream:{account}_CloudTrail_{region}* \
                         (the console's \"Create new role\" writes it)"
                    ),
                    Some(&role.arn),
                ));
            }
            Access::Unknown(why) => {
                return Err(error(
                    format!(
                        "cannot judge whether the role `{}` may call `{action}` on `{group}`: {why}",
                        role.name
                    ),
                    "check by hand that the role allows logs:CreateLogStream and logs:PutLogEvents on the trail's log stream",
                ));
            }
        }
    }
    Ok(())
}

/// How far behind the bucket's log files the log group's events may fall before
/// delivery counts as stopped: both get the same events about every five minutes
/// ("CloudTrail typically delivers events to your log group within an average of
/// about 5 minutes of an API call"), so an hour is not jitter.
const STALLED_SECS: i64 = 3600;

/// How long after its latest log file to S3 the trail's latest delivery to
/// CloudWatch Logs may be, for an error CloudTrail reports to count as past: both go
/// out with each batch of events, a few minutes apart at most.
const RECOVERED_SECS: i64 = 15 * 60;

/// Events are arriving in the log group: some have arrived; CloudTrail reports no
/// failure to deliver to CloudWatch Logs that its deliveries since have not put
/// behind it (AWS gives the error no time of its own); and the
/// latest event is not far older than the latest log file the trail wrote to S3
/// (which would mean delivery to the group stopped while the trail goes on).
pub(super) fn events_arriving(ctx: &Ctx) -> Judged {
    let group = delivered_group(ctx)?;
    let trail = ctx.chain.trail()?.expect("delivered_group found the trail");
    let streams = read_named(&ctx.s.log_streams, &group, "the log streams of")?;
    let status = read_named(&ctx.s.trail_status, &trail.name, "the status of trail")?;
    let fix_role = format!(
        "check the role's trust and permissions (`lab check --stage 3` names what is wrong){}, then wait 5 minutes",
        ctx.stage(Check::LogsTrailDelivery)
    );
    if let Some(error) = &status.latest_logs_delivery_error {
        let recovered = match (status.latest_logs_delivery, status.latest_delivery) {
            (Some(logs), Some(s3)) => logs + RECOVERED_SECS >= s3,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if !recovered {
            return Err(fail(
                format!(
                    "CloudTrail reports that it cannot deliver the trail `{}`'s events to CloudWatch Logs: {error}",
                    trail.name
                ),
                fix_role,
                Some(&trail.arn),
            ));
        }
    }
    let latest = streams
        .iter()
        .filter_map(|s| {
            s.last_ingestion_time
                .or(s.last_event_timestamp)
                .map(|t| (t.div_euclid(1000), s))
        })
        .max_by_key(|(t, _)| *t);
    let Some((arrived, stream)) = latest else {
        return Err(fail(
            format!("no events have arrived in `{group}` yet"),
            format!(
                "CloudTrail delivers about every 5 minutes: {}, wait, and check again; \
                 if nothing arrives within 15 minutes, check the trail's CloudWatch Logs role",
                ctx.w.cause
            ),
            None,
        ));
    };
    if let Some(s3) = status.latest_delivery
        && arrived + STALLED_SECS < s3
    {
        return Err(fail(
            format!(
                "events stopped arriving in `{group}`: the latest arrived at {}, but the trail `{}` wrote a log file to its bucket at {}",
                time(arrived),
                trail.name,
                time(s3)
            ),
            fix_role,
            Some(&trail.arn),
        ));
    }
    Ok(pass(
        format!(
            "events are arriving in `{group}` (the latest at {}, in stream `{}`)",
            time(arrived),
            stream.name
        ),
        None,
    ))
}

/// A time as RFC 3339, for messages.
pub(super) fn time(secs: i64) -> String {
    aws_smithy_types::DateTime::from_secs(secs)
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_else(|_| secs.to_string())
}
