//! CloudWatch Logs: `logs.trail_delivery`, `logs.events_arriving`, `logs.metric_filter`.

use super::chain::arn_name;
use super::{Ctx, Judgement, Outcome, error, fail, pass, read, read_named, unreadable};
use crate::filter_pattern::{self, Verdict};
use crate::samples::{Sample, placeholder_arn, samples};
use crate::snapshot::{MetricFilter, ReadErrorKind};
use crate::trust_policy::{Trust, service_may_assume};

/// The log group the trail delivers to (which must be the lab's), or why not.
fn delivered_group(ctx: &Ctx) -> Result<String, Judgement> {
    let trail = ctx.chain.trail()?.ok_or_else(|| {
        fail(
            "the trail is missing",
            "create the trail first (stage 2)",
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
                "edit the trail: enable CloudWatch Logs with the log group `{wanted}` (stage 3)"
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
pub(super) fn trail_delivery(ctx: &Ctx) -> Outcome {
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
    let role_name = arn_name(role_arn);
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
        Trust::Allowed => Ok(pass(
            format!(
                "the trail `{}` delivers to `{group}` through the role `{role_name}`",
                trail.name
            ),
            log_group.arn.as_deref(),
        )),
        Trust::Denied(why) => Err(fail(
            format!("CloudTrail cannot assume the role `{role_name}`: {why}"),
            "let `cloudtrail.amazonaws.com` assume the role (its trust policy), or let the console create a new role",
            Some(&role.arn),
        )),
        Trust::Unknown(why) => Err(error(
            format!("cannot judge the trust policy of `{role_name}`: {why}"),
            "check by hand that cloudtrail.amazonaws.com may assume it for this trail",
        )),
    }
}

/// Events have arrived in the log group.
pub(super) fn events_arriving(ctx: &Ctx) -> Outcome {
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

/// Why one filter does not count reads of the secret into the metric.
enum Problem {
    /// It does something else; the message says what.
    Fails(String),
    /// lab cannot tell; the message says why.
    Unknown(String),
}

/// A filter on the delivered group that counts reads of the secret into the lab's
/// metric, or the verdict that explains why there is none.
pub(super) fn counting_filter<'s>(ctx: &Ctx<'s>) -> Result<&'s MetricFilter, Judgement> {
    let group = delivered_group(ctx)?;
    let filters = read_named(&ctx.s.metric_filters, &group, "the metric filters of")?;
    if filters.is_empty() {
        return Err(fail(
            format!("the log group `{group}` has no metric filter"),
            format!(
                "create one on `{group}`: pattern `GetSecretValue`, namespace `{}`, metric `{}`, value 1, default 0 (stage 3)",
                ctx.n.namespace, ctx.n.metric
            ),
            None,
        ));
    }
    let secret = read(&ctx.s.secret)?.as_ref();
    let arn = secret.map_or_else(
        || placeholder_arn(&ctx.n.secret, &ctx.s.account, &ctx.s.region),
        |s| s.arn.clone(),
    );
    let samples = samples(&ctx.n.secret, &arn, &ctx.s.account, &ctx.s.region);
    let mut fails = Vec::new();
    let mut unknowns = Vec::new();
    for filter in filters {
        match judge_filter(ctx, filter, &samples) {
            Ok(()) => return Ok(filter),
            Err(Problem::Fails(why)) => fails.push(format!("`{}` {why}", filter.name)),
            Err(Problem::Unknown(why)) => unknowns.push(format!("`{}`: {why}", filter.name)),
        }
    }
    if !unknowns.is_empty() {
        return Err(error(
            format!(
                "cannot judge the metric filter {} on `{group}`",
                unknowns.join("; ")
            ),
            "use the pattern `GetSecretValue`, or check the filter with Test pattern in the console",
        ));
    }
    Err(fail(
        format!(
            "no metric filter on `{group}` counts reads of `{}`: {}",
            ctx.n.secret,
            fails.join("; ")
        ),
        format!(
            "use the pattern `GetSecretValue` (or {{ ($.eventSource = \"secretsmanager.amazonaws.com\") && ($.eventName = \"GetSecretValue\") }}), \
             emitting value 1 to `{}` / `{}` with no dimensions",
            ctx.n.namespace, ctx.n.metric
        ),
        None,
    ))
}

fn judge_filter(ctx: &Ctx, filter: &MetricFilter, samples: &[Sample]) -> Result<(), Problem> {
    let (namespace, metric) = (&ctx.n.namespace, &ctx.n.metric);
    let Some(t) = filter
        .transformations
        .iter()
        .find(|t| t.namespace == *namespace && t.metric == *metric)
    else {
        let emits: Vec<String> = filter
            .transformations
            .iter()
            .map(|t| format!("`{}` / `{}`", t.namespace, t.metric))
            .collect();
        return Err(Problem::Fails(format!(
            "emits {}, not `{namespace}` / `{metric}`",
            emits.join(", ")
        )));
    };
    if t.value.trim().parse::<f64>().ok() != Some(1.0) {
        return Err(Problem::Fails(format!(
            "emits `{}` per match instead of 1",
            t.value
        )));
    }
    if !t.dimensions.is_empty() {
        return Err(Problem::Fails(format!(
            "emits the metric with dimensions ({}), so an alarm on the plain metric never sees it",
            t.dimensions.join(", ")
        )));
    }

    let parsed = filter_pattern::parse(&filter.pattern);
    let confirmed: Option<&Vec<usize>> = match ctx.s.filter_tests.get(&filter.pattern) {
        Some(Ok(matched)) => Some(matched),
        Some(Err(e))
            if matches!(
                e.kind,
                ReadErrorKind::NotImplemented | ReadErrorKind::Unavailable
            ) =>
        {
            None
        }
        Some(Err(e)) => return Err(Problem::Unknown(unreadable(e).message)),
        None => None,
    };
    let mut missed = Vec::new();
    let mut extra = Vec::new();
    for (index, sample) in samples.iter().enumerate() {
        let ours = match &parsed {
            Ok(pattern) => pattern.matches(&sample.message),
            Err(_) => Verdict::Unknown,
        };
        let aws = confirmed.map(|m| {
            if m.contains(&index) {
                Verdict::Match
            } else {
                Verdict::NoMatch
            }
        });
        let verdict = match (ours, aws) {
            (Verdict::Unknown, Some(aws)) => aws,
            (ours, Some(aws)) if ours != aws => {
                return Err(Problem::Unknown(format!(
                    "CloudWatch's TestMetricFilter and lab disagree on {} (CloudWatch: {}, lab: {})",
                    sample.label,
                    if aws == Verdict::Match {
                        "matches"
                    } else {
                        "no match"
                    },
                    if ours == Verdict::Match {
                        "matches"
                    } else {
                        "no match"
                    }
                )));
            }
            (ours, _) => ours,
        };
        match (verdict, sample.should_match) {
            (Verdict::Unknown, _) => {
                let why = match &parsed {
                    Err(e) => e.to_string(),
                    Ok(_) => format!(
                        "whether the pattern `{}` matches {} depends on details AWS does not document",
                        filter.pattern, sample.label
                    ),
                };
                return Err(Problem::Unknown(why));
            }
            (Verdict::NoMatch, true) => missed.push(sample.label.clone()),
            (Verdict::Match, false) => extra.push(sample.label.clone()),
            _ => {}
        }
    }
    match (missed.is_empty(), extra.is_empty()) {
        (true, true) => Ok(()),
        (false, _) => Err(Problem::Fails(format!(
            "(pattern `{}`) misses {}",
            filter.pattern,
            missed.join(" and ")
        ))),
        (true, false) => Err(Problem::Fails(format!(
            "(pattern `{}`) also counts {}",
            filter.pattern,
            extra.join(", ")
        ))),
    }
}

/// A filter on the delivered log group counts reads of the secret, by meaning, and
/// emits 1 to the lab's metric.
pub(super) fn metric_filter(ctx: &Ctx) -> Outcome {
    let filter = counting_filter(ctx)?;
    let confirmed = matches!(ctx.s.filter_tests.get(&filter.pattern), Some(Ok(_)));
    Ok(pass(
        format!(
            "the metric filter `{}` (pattern `{}`) counts reads of `{}` into `{}` / `{}`{}",
            filter.name,
            filter.pattern,
            ctx.n.secret,
            ctx.n.namespace,
            ctx.n.metric,
            if confirmed {
                ", confirmed by CloudWatch's TestMetricFilter"
            } else {
                ""
            }
        ),
        None,
    ))
}
