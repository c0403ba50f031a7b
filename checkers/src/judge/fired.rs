//! `alarm.fired`: one of the lab's counted events sent the alarm into ALARM, judged
//! by cause.
//!
//! Three things must meet. The alarm's history holds an ALARM that CloudWatch's own
//! evaluation made, with the datapoints it evaluated (`stateReasonData`). The metric's
//! own stored data, read back for the same statistic and periods (GetMetricStatistics),
//! crossed the threshold in a period the evaluation found breaching: a reason written
//! by hand with `set-alarm-state --state-reason-data` claims data the metric never
//! had. And CloudTrail's event history holds an event the lab's watch counts (a
//! read of the secret, a use of the root user…), by anyone but a separate grader,
//! that was delivered into that period: made in it, or up to the
//! delivery delay before it (CloudWatch Logs stamps CloudTrail's events with their
//! delivery, "within an average of about 5 minutes of an API call", not their
//! `eventTime`), and not so long before the metric's filters existed that they
//! could not have counted it. Re-putting a filter after the alarm fired changes
//! nothing: only filters created before the ALARM are asked.

use super::alarm::lab_alarm;
use super::logs::time;
use super::metric::feeders;
use super::recorded::{by, counted_events};
use super::{Ctx, Judged, Judgement, error, fail, pass, read_named, unreadable};
use crate::catalogue::Check;
use crate::snapshot::{HistoryEvent, MetricPoint, ReadErrorKind};
use crate::state_change::{EvaluatedPoint, StateChange, crosses, epoch};

/// How long CloudTrail may take to deliver a read to the log group. AWS gives an
/// average of about five minutes and no bound; twenty keeps a slow delivery from
/// failing a real read.
const DELIVERY_SLACK_SECS: i64 = 20 * 60;

/// How many of the latest ALARM changes are examined: as many as the fetch reads the
/// metric back for.
const ALARMS_EXAMINED: usize = 5;

/// What the history showed, when no ALARM passes.
#[derive(Default)]
struct Seen {
    /// ALARMs with no evaluation behind them: set by hand.
    by_hand: usize,
    /// ALARMs whose claimed breach the metric's stored data does not show.
    unconfirmed: Option<String>,
    /// ALARMs the metric really caused, with no counted event delivered into their
    /// periods.
    unexplained: Option<String>,
    /// Why an ALARM could not be examined.
    undecided: Option<Judgement>,
}

pub(super) fn fired(ctx: &Ctx) -> Judged {
    let alarm = lab_alarm(ctx)?;
    let name = &alarm.name;
    let arn = Some(alarm.arn.as_str());
    let history = match ctx.s.alarm_history.get(name) {
        Some(Ok(items)) => items,
        Some(Err(e)) if e.kind == ReadErrorKind::NotImplemented => return Err(unreadable(e)),
        _ => read_named(&ctx.s.alarm_history, name, "the history of alarm")?,
    };
    let comparison = alarm.comparison.as_deref().unwrap_or_default();
    let mut seen = Seen::default();
    let alarms = history
        .iter()
        .filter_map(|item| Some((item, StateChange::of(item)?)))
        .filter(|(_, change)| change.is_alarm());
    let mut examined = 0;
    for (item, change) in alarms {
        let Some(evaluation) = change.evaluation else {
            seen.by_hand += 1;
            continue;
        };
        let breaching = evaluation.breaching(comparison);
        if breaching.is_empty() {
            seen.by_hand += 1;
            continue;
        }
        examined += 1;
        if examined > ALARMS_EXAMINED {
            break;
        }
        let stored = match ctx.s.metric_data.get(&item.timestamp) {
            Some(Ok(points)) => points,
            Some(Err(e)) => {
                seen.undecided.get_or_insert(unreadable(e));
                continue;
            }
            None => {
                seen.undecided.get_or_insert(error(
                    format!(
                        "lab did not read the metric back for the ALARM at {}",
                        item.timestamp
                    ),
                    "report this as a bug in lab",
                ));
                continue;
            }
        };
        let confirmed: Vec<EvaluatedPoint> = breaching
            .into_iter()
            .filter(|p| {
                stored.iter().any(|s: &MetricPoint| {
                    s.start == p.start && crosses(comparison, s.value, evaluation.threshold)
                })
            })
            .collect();
        if confirmed.is_empty() {
            if stored.is_empty() {
                seen.undecided.get_or_insert(error(
                    format!(
                        "the alarm `{name}` went into ALARM at {}, but CloudWatch no longer returns the metric's data for that period at a {} s resolution, \
                         so lab cannot confirm it",
                        item.timestamp, evaluation.period
                    ),
                    format!("{} again and check within the next 15 days", ctx.w.cause),
                ));
            } else {
                seen.unconfirmed.get_or_insert(item.timestamp.clone());
            }
            continue;
        }
        let created_before: Vec<i64> = feeders(ctx)?
            .iter()
            .filter_map(|f| f.created.map(|ms| ms.div_euclid(1000)))
            .filter(|created| change.at.is_none_or(|at| *created <= at))
            .collect();
        let counted = counted_events(ctx)?;
        let cause = confirmed.iter().find_map(|period| {
            counted
                .iter()
                .find(|event| delivered_into(event, period, evaluation.period, &created_before))
                .map(|event| (period, event))
        });
        match cause {
            Some((period, event)) => {
                return Ok(pass(
                    format!(
                        "the alarm `{name}` went into ALARM at {}: the metric's {} was {} in the period from {}, \
                         which {} at {}{} was delivered into",
                        item.timestamp,
                        evaluation.statistic,
                        period.value,
                        time(period.start),
                        ctx.w.one,
                        event.time,
                        by(event)
                    ),
                    arn,
                ));
            }
            // lab read only the latest events: the cause may lie beyond them.
            None if !confirmed
                .iter()
                .all(|period| events_reach_back_to(ctx, period.start - DELIVERY_SLACK_SECS)) =>
            {
                seen.undecided
                    .get_or_insert(history_too_long(ctx, &item.timestamp));
            }
            None => {
                seen.unexplained.get_or_insert(item.timestamp.clone());
            }
        }
    }
    if alarm.state.as_deref() == Some("ALARM")
        && alarm.state_reason_data.is_some()
        && seen.unexplained.is_none()
        && seen.unconfirmed.is_none()
        && seen.undecided.is_none()
    {
        return Err(error(
            format!(
                "the alarm `{name}` is in ALARM, but its history does not show when it went there, so lab cannot tell whether {} caused it",
                ctx.w.one
            ),
            format!(
                "check again in a minute; if this persists, {} and wait for the next ALARM",
                ctx.w.cause
            ),
        ));
    }
    verdict_without_cause(ctx, alarm.name.as_str(), arn, seen)
}

/// Whether the events lab read from the history reach back to `secs`: no lookup
/// stopped at a later event.
fn events_reach_back_to(ctx: &Ctx, secs: i64) -> bool {
    match ctx.s.watched_events.as_ref().map(|w| w.cut_at.as_deref()) {
        Ok(None) => true,
        Ok(Some(cut)) => epoch(cut).is_some_and(|cut| cut <= secs),
        Err(_) => false,
    }
}

/// The verdict when the events lab read do not reach back to an ALARM at `at`.
fn history_too_long(ctx: &Ctx, at: &str) -> Judgement {
    error(
        format!(
            "the alarm `{}` went into ALARM at {at}, earlier than the events lab reads from CloudTrail's event history reach back, \
             so lab cannot tell whether {} caused it",
            ctx.n.alarm, ctx.w.one
        ),
        format!(
            "{}, wait for the alarm's next ALARM, and check again",
            ctx.w.cause
        ),
    )
}

/// Whether `event` reached the log group in `period` (of `length` seconds): made in
/// it or up to the delivery delay before it, and not so long before every filter
/// that existed by then (`created`, seconds) that none could count it.
fn delivered_into(
    event: &HistoryEvent,
    period: &EvaluatedPoint,
    length: i64,
    created: &[i64],
) -> bool {
    let Some(at) = epoch(&event.time) else {
        return false;
    };
    let in_reach = at >= period.start - DELIVERY_SLACK_SECS && at < period.start + length;
    let counted = created.is_empty() || created.iter().any(|c| at + DELIVERY_SLACK_SECS >= *c);
    in_reach && counted
}

fn verdict_without_cause(ctx: &Ctx, name: &str, arn: Option<&str>, seen: Seen) -> Judged {
    let (one, cause) = (&ctx.w.one, &ctx.w.cause);
    if let Some(at) = seen.unexplained {
        return Err(fail(
            format!(
                "the alarm `{name}` went into ALARM at {at} on the metric's data, but none of the {} in CloudTrail's event history \
                 was delivered into the periods that crossed the threshold: something else fed the metric",
                ctx.w.counts
            ),
            format!(
                "{cause} yourself{} and check again in about 10 minutes; if the alarm fires without {one}, look at what else the metric filter counts",
                ctx.stage(Check::AlarmFired)
            ),
            arn,
        ));
    }
    if let Some(undecided) = seen.undecided {
        return Err(undecided);
    }
    let fix = format!(
        "make sure the statistic is Sum{}, {cause}, and wait 5 to 10 minutes",
        ctx.stage(Check::AlarmStatistic)
    );
    if let Some(at) = seen.unconfirmed {
        return Err(fail(
            format!(
                "the alarm `{name}` went into ALARM at {at}, but the metric's stored data never crossed the threshold in the periods its reason names: \
                 the state was set by hand, not by {one}"
            ),
            fix,
            arn,
        ));
    }
    if seen.by_hand > 0 {
        return Err(fail(
            format!(
                "the alarm `{name}` has only been put into ALARM by hand (set-alarm-state), never by {one}"
            ),
            fix,
            arn,
        ));
    }
    Err(fail(
        format!("the alarm `{name}` has never gone into ALARM"),
        fix,
        arn,
    ))
}
