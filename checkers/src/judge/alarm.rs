//! The alarm: `alarm.exists` (it sees the metric), `alarm.threshold` (one read
//! crosses it, nothing else does), `alarm.notifies_topic`, `alarm.statistic`
//! (`alarm.fired` is in [`super::fired`]).

use crate::catalogue::Check;

use super::metric::{feeders, feeding};
use super::sns::lab_topic;
use super::{Ctx, Judged, Judgement, error, fail, pass};
use crate::snapshot::Alarm;

/// The lab's alarm, or a failure naming any other alarm that watches the metric.
pub(super) fn lab_alarm<'s>(ctx: &Ctx<'s>) -> Result<&'s Alarm, Judgement> {
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
    same_unit(ctx, alarm)?;
    Ok(pass(
        format!(
            "the alarm `{}` watches `{namespace}` / `{metric}`",
            alarm.name
        ),
        Some(&alarm.arn),
    ))
}

/// An alarm that names a unit sees only the data stored in it (CloudWatch API
/// reference, PutMetricAlarm, `Unit`: a unit "that is not published for this metric
/// ... causes the alarm to be stuck in the INSUFFICIENT DATA state"); a metric filter
/// stores its data in the unit it names, else in `None`.
fn same_unit(ctx: &Ctx, alarm: &Alarm) -> Result<(), Judgement> {
    let Some(unit) = &alarm.unit else {
        return Ok(());
    };
    let feeders = feeders(ctx)?;
    let emitted: Vec<(&str, &str)> = feeders
        .iter()
        .filter_map(|f| feeding(ctx, f).map(|t| (f.name.as_str(), t.stored_unit())))
        .collect();
    let others: Vec<String> = if emitted.is_empty() {
        // No filter yet: the lab's filter, as taught, names no unit.
        (unit != "None")
            .then(|| "the metric filter the lab builds stores it in `None` (no unit)".to_string())
            .into_iter()
            .collect()
    } else {
        emitted
            .iter()
            .filter(|(_, emits)| emits != unit)
            .map(|(name, emits)| format!("the metric filter `{name}` stores it in `{emits}`"))
            .collect()
    };
    if others.is_empty() {
        return Ok(());
    }
    Err(fail(
        format!(
            "the alarm `{}` only looks at data in the unit `{unit}`, but {}: the alarm never sees those counts and stays in INSUFFICIENT_DATA",
            alarm.name,
            others.join("; ")
        ),
        "edit the alarm and leave its unit unset (aws cloudwatch put-metric-alarm without --unit), as AWS recommends",
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
            "its condition ({comparison} {threshold}) is not crossed by a count of one ({}, a value of 1) without also being crossed by none (0)",
            ctx.w.one
        ));
    }
    match alarm.period {
        // Periods under a minute are for high-resolution metrics; a metric filter
        // stores one value a minute, so such an alarm "might often lapse into
        // INSUFFICIENT_DATA" (PutMetricAlarm, `Period`).
        Some(p) if p % 60 != 0 => problems.push(format!(
            "its period of {p} seconds is shorter than the minute a metric filter's data is stored by, so it often sees no data"
        )),
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
            "it needs {needed} breaching datapoints, so {} in one period is not enough",
            ctx.w.one
        ));
    }
    // "breaching – Missing data points are treated as bad and breaching the
    // threshold" (CloudWatch User Guide, "Alarm evaluation"): a period in which no
    // event at all reaches the log group would fire the alarm with no read.
    if alarm.treat_missing_data.as_deref() == Some("breaching") {
        problems.push(format!(
            "it treats missing data as breaching, so a quiet period with no events at all fires it without {}",
            ctx.w.one
        ));
    }
    if problems.is_empty() {
        Ok(pass(
            format!(
                "the condition of `{}` is met by a count of one ({}): {comparison} {threshold}, one datapoint in {} s (the statistic is checked apart)",
                alarm.name,
                ctx.w.one,
                alarm.period.unwrap_or(0)
            ),
            Some(&alarm.arn),
        ))
    } else {
        Err(fail(
            format!(
                "the alarm `{}` would not fire on {}: {}",
                alarm.name,
                ctx.w.one,
                problems.join("; ")
            ),
            "edit the alarm: threshold Static, Greater/Equal 1, period 1 or 5 minutes, 1 out of 1 datapoints, missing data treated as missing",
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
    let one = &ctx.w.one;
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
            format!("the alarm `{name}` uses Sum: {one} in a period adds up to 1"),
            arn,
        )),
        ("Maximum", _) => Ok(pass(
            format!(
                "the alarm `{name}` uses Maximum, which also fires on {one} (Sum would also say how many)"
            ),
            arn,
        )),
        (_, None) => Ok(pass(
            format!(
                "the alarm `{name}` uses {statistic}; that fires on {one} only because the filter has no default value (Sum is what the lab uses)"
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
                 so the Average reaches 1 only when {one} is the only event in its period; \
                 among other calls it stays below 1"
            ),
            fix,
            arn,
        )),
        ("Minimum", _) => Err(fail(
            format!(
                "the alarm `{name}` uses Minimum: every other event in the period adds a 0 (the filter's default value), \
                 so the minimum reaches 1 only when {one} is the only event in its period"
            ),
            fix,
            arn,
        )),
        ("SampleCount", _) => Err(fail(
            format!(
                "the alarm `{name}` uses SampleCount, which counts every CloudTrail event (each adds a 0 or a 1), \
                 so it fires on any activity, not on {counts}",
                counts = ctx.w.counts
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
