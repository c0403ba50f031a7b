//! Which filters feed the lab's metric, why none does, and the fix for a metric
//! that does not count what the lab watches.

use crate::catalogue::Check;
use crate::judge::{Ctx, Judgement, fail, read};
use crate::snapshot::{MetricFilter, MetricTransformation};

/// The fix for any metric that does not count what the lab watches.
pub(super) fn standard_fix(ctx: &Ctx) -> String {
    format!(
        "keep one metric filter on `{}` with the pattern {}, \
         value 1, default 0, emitting to `{}` / `{}` with no dimensions, and no other filter emitting to that metric",
        ctx.n.log_group,
        suggested(ctx),
        ctx.n.namespace,
        ctx.n.metric
    )
}

/// The patterns the lab suggests, quoted: the lesson's own, and the lab's JSON
/// pattern where it names one (`` `GetSecretValue` (or `{ … }`) ``).
pub(super) fn suggested(ctx: &Ctx) -> String {
    match &ctx.w.suggest {
        Some(json) if *json != ctx.t.pattern => format!("`{}` (or `{json}`)", ctx.t.pattern),
        _ => format!("`{}`", ctx.t.pattern),
    }
}

/// The lab's JSON pattern where it names one, else the lesson's own.
pub(super) fn json_suggestion<'c>(ctx: &'c Ctx) -> &'c str {
    ctx.w.suggest.as_deref().unwrap_or(&ctx.t.pattern)
}

/// The filters that emit into the lab's metric (namespace and name, no dimensions),
/// wherever they are, as they are: what the alarm's checks reason about, whether or
/// not the metric counts the right things.
pub(in crate::judge) fn feeders<'s>(ctx: &Ctx<'s>) -> Result<Vec<&'s MetricFilter>, Judgement> {
    Ok(read(&ctx.s.metric_filters)?
        .iter()
        .filter(|f| feeding(ctx, f).is_some())
        .collect())
}

/// What `filter` emits into the lab's metric (same namespace and name, no
/// dimensions), if it feeds it.
pub(in crate::judge) fn feeding<'f>(
    ctx: &Ctx,
    filter: &'f MetricFilter,
) -> Option<&'f MetricTransformation> {
    filter.transformations.iter().find(|t| {
        t.namespace == ctx.n.namespace && t.metric == ctx.n.metric && t.dimensions.is_empty()
    })
}

/// Why nothing feeds the metric.
pub(super) fn no_feeder(ctx: &Ctx, all: &[MetricFilter], group: &str) -> Judgement {
    let (namespace, metric) = (&ctx.n.namespace, &ctx.n.metric);
    // Nothing feeds the plain metric: any transformation into it has dimensions.
    let with_dimensions = all.iter().find_map(|f| {
        f.transformations
            .iter()
            .find(|t| t.namespace == *namespace && t.metric == *metric)
            .map(|t| (f, t))
    });
    if let Some((filter, t)) = with_dimensions {
        return fail(
            format!(
                "the metric filter `{}` emits `{namespace}` / `{metric}` with dimensions ({}), so an alarm on the plain metric never sees it",
                filter.name,
                t.dimensions
                    .iter()
                    .map(|(name, _)| name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "edit the filter: remove its dimensions",
            None,
        );
    }
    let on_group: Vec<String> = all
        .iter()
        .filter(|f| f.log_group == group)
        .map(|f| {
            let emits: Vec<String> = f
                .transformations
                .iter()
                .map(|t| format!("`{}` / `{}`", t.namespace, t.metric))
                .collect();
            format!("`{}` emits {}", f.name, emits.join(", "))
        })
        .collect();
    if on_group.is_empty() {
        return fail(
            format!("the log group `{group}` has no metric filter"),
            format!(
                "create one on `{group}`: pattern `{}`, namespace `{namespace}`, metric `{metric}`, value 1, default 0{}",
                ctx.t.pattern,
                ctx.stage(Check::LogsMetricFilter)
            ),
            None,
        );
    }
    fail(
        format!(
            "no metric filter emits `{namespace}` / `{metric}`: on `{group}`, {}",
            on_group.join("; ")
        ),
        format!("edit the filter's metric: namespace `{namespace}`, name `{metric}`"),
        None,
    )
}
