//! `logs.metric_filter`: the lab's metric, judged whole.
//!
//! An alarm watches a *metric*, and every metric filter in the region that emits into
//! that metric (same namespace and name, no dimensions) adds to it, on whatever log
//! group it sits. So the judge gathers all of them (the *feeders*) and asks of the
//! set what the lab's `watch:` asks of the metric:
//!
//! 1. **Where.** Every feeder sits on the log group the trail delivers to; a feeder
//!    anywhere else adds whatever that group receives, which is not reads.
//! 2. **What it adds.** Each feeder adds 1 per match and nothing (or 0) otherwise: a
//!    value of 2 or −1 or `$.field` miscounts, a default value of 1 counts every
//!    record.
//! 3. **Structure.** Every alternative of a JSON pattern (the pattern as an OR of
//!    ANDs) must test the operation positively (`$.eventName = …`), or it counts
//!    other calls; must match some read the corpus holds, or what it counts is
//!    something else; and may only test fields every read shares (the event source,
//!    the operation, the region…), the field that names the secret, or the outcome
//!    (`errorCode`): a test of any other field (a time, an address, an agent, the
//!    caller, a version, an endpoint), `=` or `!=` or `NOT EXISTS`, misses the reads
//!    that differ there, including ones no corpus can foresee. A term pattern may not
//!    exclude terms, for the same reason: any word can occur in a read's user agent or
//!    session name.
//! 4. **Records.** The feeders run over a corpus of several hundred generated records
//!    ([`crate::corpus`]), seeded from the patterns themselves so no pattern can be
//!    fitted to it. Each record the watch counts must add exactly 1; each it ignores,
//!    0; each it allows, 0 or 1.
//!
//! What cannot be settled (a term found only inside a longer word) is an error, never
//! a pass. TestMetricFilter's answers, where the fetch has them, settle those records
//! it was asked about, and confirm the verdict only when they came from AWS.
//!
//! The entry point and the order of the rules are here; the rules' work is in
//! modules of their own: `feeders` (which filters feed the metric, why none does,
//! the standard fix), `structure` (what a pattern's shape decides alone) and
//! `records` (the corpus, and the feeders run over it).

mod feeders;
mod records;
mod structure;

use super::logs::delivered_group;
use super::{Ctx, Judged, Judgement, error, fail, pass, read};
use crate::filter_pattern::{self, ParseErrorKind};
use crate::snapshot::MetricFilter;
use feeders::no_feeder;
use records::{Corpus, by_records, visible};
use structure::structure;

pub(super) use feeders::{feeders, feeding};

/// The lab's metric as the filters that feed it, once judged right.
pub(super) struct Metric<'s> {
    /// The filters that add to it, all on the delivered log group.
    pub feeders: Vec<&'s MetricFilter>,
    /// What else the metric counts that the lab allows, in words.
    notes: Vec<String>,
    /// How many records it was judged on (a failure also names their seed).
    records: usize,
    /// Whether AWS's TestMetricFilter agreed on every feeder.
    confirmed_by_aws: bool,
}

/// The filters feeding the lab's metric, judged; or the verdict that says why the
/// metric does not count what the lab watches.
pub(super) fn counting_metric<'s>(ctx: &Ctx<'s>) -> Result<Metric<'s>, Judgement> {
    let group = delivered_group(ctx)?;
    let (namespace, metric) = (&ctx.n.namespace, &ctx.n.metric);
    let feeders = feeders(ctx)?;
    if feeders.is_empty() {
        return Err(no_feeder(ctx, read(&ctx.s.metric_filters)?, &group));
    }
    let elsewhere: Vec<String> = feeders
        .iter()
        .filter(|f| f.log_group != group)
        .map(|f| format!("`{}` on `{}`", f.name, f.log_group))
        .collect();
    if !elsewhere.is_empty() {
        let also = if feeders.iter().any(|f| f.log_group == group) {
            "also "
        } else {
            ""
        };
        return Err(fail(
            format!(
                "`{namespace}` / `{metric}` is {also}fed by {}: the trail delivers only to `{group}`, \
                 so whatever that filter counts is not {}",
                elsewhere.join(", "),
                ctx.w.counts
            ),
            "delete that filter, or make it emit another metric",
            None,
        ));
    }
    for filter in &feeders {
        let name = &filter.name;
        if let Some(selection) = &filter.selection {
            return Err(error(
                format!(
                    "the metric filter `{name}` only filters events that meet its field selection criteria (`{selection}`), which lab does not judge"
                ),
                "remove the field selection criteria: the lab's filter reads every record the trail delivers",
            ));
        }
        if filter.on_transformed_logs {
            return Err(error(
                format!(
                    "the metric filter `{name}` runs on the log group's transformed events, which lab does not judge"
                ),
                "turn off \"apply on transformed logs\": the lab's filter reads the records as CloudTrail delivers them",
            ));
        }
        let t = feeding(ctx, filter).expect("a feeder emits the metric");
        if t.value.trim().parse::<f64>().ok() != Some(1.0) {
            return Err(fail(
                format!(
                    "the metric filter `{}` adds `{}` to `{namespace}` / `{metric}` per match instead of 1",
                    filter.name, t.value
                ),
                "set its metric value to 1",
                None,
            ));
        }
        match t.default_value {
            Some(d) if d != 0.0 => {
                return Err(fail(
                    format!(
                        "the metric filter `{}` has a default value of {d}: it adds {d} for every record it does not match, \
                         so `{namespace}` / `{metric}` counts every record, not {}",
                        filter.name, ctx.w.counts
                    ),
                    "set its default value to 0, or leave it empty",
                    None,
                ));
            }
            Some(_) | None => {}
        }
    }
    let mut patterns = Vec::new();
    for filter in &feeders {
        match filter_pattern::parse(&filter.pattern) {
            Ok(pattern) => patterns.push(pattern),
            Err(e) => {
                let taught = &ctx.t.pattern;
                let (what, fix) = match e.kind {
                    ParseErrorKind::Unsupported => (
                        "lab cannot judge",
                        format!(
                            "use the pattern `{taught}`, or check the filter with Test pattern in the console"
                        ),
                    ),
                    ParseErrorKind::Invalid => (
                        "lab cannot read",
                        format!("rewrite the pattern where the caret points, or use `{taught}`"),
                    ),
                };
                return Err(error(
                    format!(
                        "{what} the pattern of the metric filter `{}`: {}",
                        filter.name,
                        e.explain(&filter.pattern)
                    ),
                    fix,
                ));
            }
        }
    }
    let corpus = Corpus::for_patterns(ctx, &patterns)?;
    for (filter, pattern) in feeders.iter().zip(&patterns) {
        structure(ctx, &corpus, filter, pattern)?;
    }
    let judged = by_records(ctx, &corpus, &feeders, &patterns)?;
    Ok(Metric {
        feeders,
        notes: judged.notes,
        records: judged.records,
        confirmed_by_aws: judged.confirmed_by_aws,
    })
}

/// The metric counts what the lab watches: every filter feeding it is on the
/// delivered log group, adds 1 per match, and together they count each watched
/// record once and nothing else.
pub(super) fn metric_filter(ctx: &Ctx) -> Judged {
    let metric = counting_metric(ctx)?;
    let filters: Vec<String> = metric
        .feeders
        .iter()
        .map(|f| format!("`{}` (pattern `{}`)", f.name, visible(&f.pattern)))
        .collect();
    // The resource's name where the lab watches one.
    let about = match &ctx.n.secret {
        Some(secret) if ctx.w.count.iter().any(|s| s.resource.is_some()) => {
            format!(" (`{secret}`)")
        }
        _ => String::new(),
    };
    let mut message = format!(
        "`{}` / `{}` counts {}{about} through the metric filter {} on `{}` (judged on {} generated CloudTrail records)",
        ctx.n.namespace,
        ctx.n.metric,
        ctx.w.counts,
        filters.join(" and "),
        metric.feeders[0].log_group,
        metric.records,
    );
    for note in &metric.notes {
        message.push_str("; note: ");
        message.push_str(note);
    }
    if metric.confirmed_by_aws {
        message.push_str("; CloudWatch's TestMetricFilter agrees");
    }
    Ok(pass(message, None))
}

/// What the lab's own lessons teach, for tests: the pattern, and stage numbers as
/// the shipped lessons have them for a few checks.
#[cfg(test)]
pub(crate) fn lab_teaching() -> super::Teaching {
    use crate::catalogue::Check;
    super::Teaching {
        stages: [
            (Check::SecretExists, 1),
            (Check::TrailExists, 2),
            (Check::LogsMetricFilter, 3),
            (Check::AlarmExists, 4),
            (Check::AlarmStatistic, 5),
        ]
        .into_iter()
        .collect(),
        pattern: "GetSecretValue".into(),
    }
}

/// `logs.metric_filter` on the correct account of the tests with one filter of
/// `pattern`, for a lab whose metric counts what `watch` says and whose lessons
/// teach `taught`.
#[cfg(test)]
pub(crate) fn metric_verdict(
    watch: &crate::watch::Watch,
    taught: &str,
    pattern: &str,
) -> crate::finding::Finding {
    use crate::test_snapshot::{correct, filter, names};
    let mut s = correct();
    s.metric_filters = Ok(vec![filter(pattern)]);
    let request = [super::Request {
        spec: crate::catalogue::find("logs.metric_filter").expect("the check"),
        params: crate::params::Params::new(),
        stage: 2,
    }];
    let teaching = super::Teaching {
        stages: Default::default(),
        pattern: taught.into(),
    };
    super::judge(&s, &names(), watch, &teaching, &request).remove(0)
}

/// Asserts that [`metric_verdict`] has `status` and says each of `has`.
#[cfg(test)]
#[track_caller]
pub(crate) fn assert_metric_verdict(
    watch: &crate::watch::Watch,
    taught: &str,
    pattern: &str,
    status: crate::finding::Status,
    has: &[&str],
) {
    let found = metric_verdict(watch, taught, pattern);
    assert_eq!(found.status, status, "{pattern}: {}", found.message);
    for part in has {
        assert!(
            found.message.contains(part),
            "{pattern}: expected `{part}` in: {}",
            found.message
        );
    }
}

#[cfg(test)]
mod mfa_tests;
#[cfg(test)]
mod root_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod trail_tests;
