//! The alarm: `alarm.exists`, `alarm.threshold`, `alarm.notifies_topic`,
//! `alarm.statistic`, `alarm.fired`.

use crate::catalogue::Check;
use serde_json::Value;

use super::metric::{feeders, feeding};
use super::secret::reads_of_secret;
use super::sns::lab_topic;
use super::{Ctx, Judged, Judgement, error, fail, pass, read_named};
use crate::snapshot::{Alarm, ReadErrorKind};

/// The lab's alarm, or a failure naming any other alarm that watches the metric.
fn lab_alarm<'s>(ctx: &Ctx<'s>) -> Result<&'s Alarm, Judgement> {
    let (name, namespace, metric) = (&ctx.n.alarm, &ctx.n.namespace, &ctx.n.metric);
    if let Some(alarm) = ctx.chain.alarm()? {
        return Ok(alarm);
    }
    let others: Vec<String> = super::read(&ctx.s.alarms)?
        .iter()
        .filter(|a| {
            a.namespace.as_deref() == Some(namespace) && a.metric.as_deref() == Some(metric)
        })
        .map(|a| format!("`{}`", a.name))
        .collect();
    let found = if others.is_empty() {
        String::new()
    } else {
        format!(" (alarms on the metric: {})", others.join(", "))
    };
    Err(fail(
        format!("there is no alarm named `{name}`{found}"),
        format!(
            "create it on `{namespace}` / `{metric}`{}, or pass its name with --set alarm_name=...",
            ctx.stage(Check::AlarmExists)
        ),
        None,
    ))
}

/// The alarm watches the metric the filter emits, with no dimensions.
pub(super) fn exists(ctx: &Ctx) -> Judged {
    let alarm = lab_alarm(ctx)?;
    let (namespace, metric) = (&ctx.n.namespace, &ctx.n.metric);
    let (Some(a_namespace), Some(a_metric)) = (&alarm.namespace, &alarm.metric) else {
        return Err(error(
            format!(
                "the alarm `{}` uses metric math, which lab does not judge",
                alarm.name
            ),
            format!("make it a plain alarm on `{namespace}` / `{metric}`"),
        ));
    };
    if a_namespace != namespace || a_metric != metric {
        return Err(fail(
            format!(
                "the alarm `{}` watches `{a_namespace}` / `{a_metric}`, but the filter emits `{namespace}` / `{metric}`",
                alarm.name
            ),
            format!("edit the alarm's metric: `{namespace}` / `{metric}`, no dimensions"),
            Some(&alarm.arn),
        ));
    }
    if !alarm.dimensions.is_empty() {
        let dims: Vec<String> = alarm
            .dimensions
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        return Err(fail(
            format!(
                "the alarm `{}` watches the metric with dimensions ({}); the filter emits it without any, so the alarm never sees data",
                alarm.name,
                dims.join(", ")
            ),
            "edit the alarm and choose the metric under \"Metrics with no dimensions\"",
            Some(&alarm.arn),
        ));
    }
    Ok(pass(
        format!(
            "the alarm `{}` watches `{namespace}` / `{metric}`",
            alarm.name
        ),
        Some(&alarm.arn),
    ))
}

/// One read in one period crosses the threshold: `>= t` with 0 < t <= 1, or `> t`
/// with 0 <= t < 1; a period of at most 5 minutes; one datapoint to alarm.
pub(super) fn threshold(ctx: &Ctx) -> Judged {
    let alarm = lab_alarm(ctx)?;
    let mut problems = Vec::new();
    let threshold = alarm.threshold.unwrap_or(f64::NAN);
    let comparison = alarm.comparison.as_deref().unwrap_or("none");
    let fires_on_one = match comparison {
        "GreaterThanOrEqualToThreshold" => threshold > 0.0 && threshold <= 1.0,
        "GreaterThanThreshold" => (0.0..1.0).contains(&threshold),
        _ => false,
    };
    if !fires_on_one {
        problems.push(format!(
            "its condition ({comparison} {threshold}) is not crossed by exactly one read (a value of 1) without also being crossed by none (0)"
        ));
    }
    match alarm.period {
        Some(p) if p <= 300 => {}
        Some(p) => problems.push(format!("its period is {p} seconds, longer than 5 minutes")),
        None => problems.push("it has no period".into()),
    }
    let needed = alarm
        .datapoints_to_alarm
        .or(alarm.evaluation_periods)
        .unwrap_or(1);
    if needed != 1 {
        problems.push(format!(
            "it needs {needed} breaching datapoints, so one read in one period is not enough"
        ));
    }
    if problems.is_empty() {
        Ok(pass(
            format!(
                "the condition of `{}` is met by a count of one read: {comparison} {threshold}, one datapoint in {} s (the statistic is checked apart)",
                alarm.name,
                alarm.period.unwrap_or(0)
            ),
            Some(&alarm.arn),
        ))
    } else {
        Err(fail(
            format!(
                "the alarm `{}` would not fire on a single read: {}",
                alarm.name,
                problems.join("; ")
            ),
            "edit the alarm: threshold Static, Greater/Equal 1, period 1 or 5 minutes, 1 out of 1 datapoints",
            Some(&alarm.arn),
        ))
    }
}

/// Actions are enabled and the ALARM actions include the lab's topic.
pub(super) fn notifies_topic(ctx: &Ctx) -> Judged {
    let alarm = lab_alarm(ctx)?;
    let topic_arn = lab_topic(ctx)?;
    let topic = &ctx.n.topic;
    if !alarm.actions_enabled {
        return Err(fail(
            format!("the alarm `{}` has its actions disabled", alarm.name),
            format!(
                "enable them: aws cloudwatch enable-alarm-actions --alarm-names \"{}\"",
                alarm.name
            ),
            Some(&alarm.arn),
        ));
    }
    if alarm.alarm_actions.iter().any(|a| a == topic_arn) {
        return Ok(pass(
            format!(
                "the alarm `{}` notifies `{topic}` when it goes into ALARM",
                alarm.name
            ),
            Some(&alarm.arn),
        ));
    }
    let only_ok = alarm.ok_actions.iter().any(|a| a == topic_arn);
    let found = if alarm.alarm_actions.is_empty() {
        "no ALARM actions".to_string()
    } else {
        format!("ALARM actions {}", alarm.alarm_actions.join(", "))
    };
    Err(fail(
        format!(
            "the alarm `{}` has {found}{}",
            alarm.name,
            if only_ok {
                format!("; `{topic}` is notified only on OK")
            } else {
                String::new()
            }
        ),
        format!("edit the alarm's notification: when In alarm, send to `{topic}`"),
        Some(&alarm.arn),
    ))
}

/// One read fires the alarm, given the filter's default value: Sum always works;
/// with a default value of 0, Average is diluted by every other event, Minimum is 0,
/// and SampleCount counts every event (a read or not).
pub(super) fn statistic(ctx: &Ctx) -> Judged {
    let alarm = lab_alarm(ctx)?;
    let name = &alarm.name;
    let fix = "edit the alarm's metric: statistic Sum";
    if let Some(percentile) = &alarm.extended_statistic {
        return Err(error(
            format!(
                "the alarm `{name}` uses the percentile statistic `{percentile}`, which lab does not judge"
            ),
            fix,
        ));
    }
    let statistic = alarm.statistic.as_deref().unwrap_or("none");
    // The metric is judged right by now: every feeder's default is 0 or unset.
    // What every event that matches no filter adds: a feeder's default value.
    let defaults: Vec<f64> = feeders(ctx)?
        .iter()
        .filter_map(|f| feeding(ctx, f).and_then(|t| t.default_value))
        .collect();
    let default = defaults
        .iter()
        .copied()
        .find(|d| *d != 0.0)
        .or_else(|| defaults.first().copied());
    let arn = Some(alarm.arn.as_str());
    match (statistic, default) {
        ("Sum", _) => Ok(pass(
            format!("the alarm `{name}` uses Sum: one read in a period adds up to 1"),
            arn,
        )),
        ("Maximum", _) => Ok(pass(
            format!(
                "the alarm `{name}` uses Maximum, which also fires on one read (Sum would also say how many)"
            ),
            arn,
        )),
        (_, None) => Ok(pass(
            format!(
                "the alarm `{name}` uses {statistic}; that fires on one read only because the filter has no default value (Sum is what the lab uses)"
            ),
            arn,
        )),
        (_, Some(d)) if d != 0.0 => Err(error(
            format!(
                "the filter's default value is {d}; lab only judges statistics for a default of 0 or none"
            ),
            "set the filter's default value to 0 and the alarm's statistic to Sum",
        )),
        ("Average", _) => Err(fail(
            format!(
                "the alarm `{name}` uses Average: every other CloudTrail event in the period adds a 0 (the filter's default value), \
                 so one read among nineteen other events averages 0.05 and never reaches 1"
            ),
            fix,
            arn,
        )),
        ("Minimum", _) => Err(fail(
            format!(
                "the alarm `{name}` uses Minimum: any other event in the period adds a 0, so the minimum stays 0"
            ),
            fix,
            arn,
        )),
        ("SampleCount", _) => Err(fail(
            format!(
                "the alarm `{name}` uses SampleCount, which counts every CloudTrail event (each adds a 0 or a 1), \
                 so it fires on any activity, not on reads of the secret"
            ),
            fix,
            arn,
        )),
        (other, _) => Err(fail(
            format!("the alarm `{name}` uses the statistic `{other}`"),
            fix,
            arn,
        )),
    }
}

/// Whether a state (from history data or the alarm itself) is an ALARM caused by the
/// metric. `set-alarm-state` leaves no `stateReasonData`, so it does not count.
fn alarm_from_data(state: &Value) -> bool {
    state.get("stateValue").and_then(Value::as_str) == Some("ALARM")
        && state.get("stateReasonData").is_some_and(|d| !d.is_null())
}

/// How long after a read its ALARM may come, beyond the alarm's own periods:
/// CloudTrail delivers to CloudWatch Logs within about 15 minutes.
const DELIVERY_SLACK_SECS: i64 = 20 * 60;

/// Seconds since the epoch of an RFC 3339 time, as the fetch records times.
fn epoch(time: &str) -> Option<i64> {
    aws_smithy_types::DateTime::from_str(time, aws_smithy_types::date_time::Format::DateTime)
        .ok()
        .map(|t| t.secs())
}

/// The alarm has gone into ALARM because of the metric, after a read of the secret:
/// a transition whose history carries the metric's data (`set-alarm-state` leaves
/// none), preceded within the alarm's window by a GetSecretValue on the secret by
/// anyone but a separate grader, made after the metric's filters existed. An ALARM
/// with no such read before it was caused by something else feeding the metric (the
/// filter's own creation, with a pattern that counts mentions), and does not count.
pub(super) fn fired(ctx: &Ctx) -> Judged {
    let alarm = lab_alarm(ctx)?;
    let name = &alarm.name;
    let arn = Some(alarm.arn.as_str());
    let history = match ctx.s.alarm_history.get(name) {
        Some(Ok(items)) => items,
        Some(Err(e)) if e.kind == ReadErrorKind::NotImplemented => {
            return Err(super::unreadable(e));
        }
        _ => read_named(&ctx.s.alarm_history, name, "the history of alarm")?,
    };
    let window = i64::from(alarm.period.unwrap_or(300))
        * i64::from(alarm.evaluation_periods.unwrap_or(1).max(1))
        + DELIVERY_SLACK_SECS;
    // A read before every filter feeding the metric existed was counted by none.
    let counted_from = feeders(ctx)
        .ok()
        .filter(|f| !f.is_empty())
        .and_then(|f| f.iter().map(|f| f.created).collect::<Option<Vec<i64>>>())
        .and_then(|times| times.into_iter().min())
        .map(|ms| ms.div_euclid(1000));
    let mut manual = false;
    let mut unexplained = None;
    for item in history {
        let Ok(data) = serde_json::from_str::<Value>(&item.data) else {
            continue;
        };
        let Some(new_state) = data.get("newState") else {
            continue;
        };
        if !alarm_from_data(new_state) {
            manual |= new_state.get("stateValue").and_then(Value::as_str) == Some("ALARM");
            continue;
        }
        let reads = reads_of_secret(ctx)?;
        let at = epoch(&item.timestamp);
        let cause = reads.iter().find(|r| match (epoch(&r.time), at) {
            (Some(read), Some(at)) => {
                read <= at && at - read <= window && counted_from.is_none_or(|from| read >= from)
            }
            _ => false,
        });
        match cause {
            Some(read) => {
                return Ok(pass(
                    format!(
                        "the alarm `{name}` went into ALARM at {} ({}), after a read of the secret at {}{}",
                        item.timestamp,
                        item.summary,
                        read.time,
                        read.user
                            .as_deref()
                            .map(|u| format!(" by {u}"))
                            .unwrap_or_default()
                    ),
                    arn,
                ));
            }
            None => {
                unexplained.get_or_insert(item);
            }
        }
    }
    let fix = format!(
        "make sure the statistic is Sum{}, read the secret, and wait 5 to 10 minutes",
        ctx.stage(Check::AlarmStatistic)
    );
    if let Some(item) = unexplained {
        return Err(fail(
            format!(
                "the alarm `{name}` went into ALARM at {}, but CloudTrail's event history shows no read of `{}` in the {} minutes before it: \
                 something else fed the metric, so this does not show that a read fires the alarm",
                item.timestamp,
                ctx.n.secret,
                window / 60
            ),
            format!(
                "read the secret yourself{} and check again in about 10 minutes; if the alarm fires without a read, look at what else the metric filter counts",
                ctx.stage(Check::AlarmFired)
            ),
            arn,
        ));
    }
    if alarm.state.as_deref() == Some("ALARM") && alarm.state_reason_data.is_some() {
        return Err(error(
            format!(
                "the alarm `{name}` is in ALARM, but its history does not show when it went there, so lab cannot tell whether a read caused it"
            ),
            "check again in a minute; if this persists, read the secret and wait for the next ALARM",
        ));
    }
    if manual {
        Err(fail(
            format!(
                "the alarm `{name}` has only been put into ALARM by hand (set-alarm-state), never by a read of the secret"
            ),
            fix,
            arn,
        ))
    } else {
        Err(fail(
            format!("the alarm `{name}` has never gone into ALARM"),
            fix,
            arn,
        ))
    }
}
