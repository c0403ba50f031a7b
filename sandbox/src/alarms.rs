//! CloudWatch alarms in the sandbox: evaluated on a schedule from the metric data
//! (statistic, period, threshold, comparison, evaluation periods and datapoints to
//! alarm, missing-data treatment); every state change kept in the alarm's history
//! (`DescribeAlarmHistory`) and announced to the SNS topics among its actions.
//!
//! The evaluation itself, [`evaluate`], is a pure function of the alarm, its data and
//! the time. It looks at the last `EvaluationPeriods` periods ending at the
//! evaluation (a sliding window, AWS's default; evaluations fall on the clock's round
//! numbers) and compares each period's statistic with the threshold. This is how the lab's trap comes out: with the metric filter's
//! default value 0, one read among nineteen other events averages 0.05, below 1,
//! while their Sum is 1.

use serde_json::{Value, json};

use super::alarm_history::{Entry, add_history};
use super::state::Sandbox;
use super::world::{Datapoint, cloudwatch_time, iso_millis, reason_number, reason_time};
use checkers::snapshot::Alarm;

/// An alarm's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// `OK`.
    Ok,
    /// `ALARM`.
    Alarm,
    /// `INSUFFICIENT_DATA`.
    InsufficientData,
}

impl State {
    /// As CloudWatch writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Ok => "OK",
            State::Alarm => "ALARM",
            State::InsufficientData => "INSUFFICIENT_DATA",
        }
    }

    /// From CloudWatch's spelling.
    pub fn parse(text: &str) -> Option<State> {
        match text {
            "OK" => Some(State::Ok),
            "ALARM" => Some(State::Alarm),
            "INSUFFICIENT_DATA" => Some(State::InsufficientData),
            _ => None,
        }
    }
}

/// The outcome of one evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The state the data calls for.
    pub state: State,
    /// Why, in CloudWatch's words.
    pub reason: String,
    /// The data behind it (`stateReasonData`).
    pub reason_data: Value,
}

/// The data points of `alarm`'s metric among `points`: same namespace, name and
/// dimensions, and, when the alarm names a unit, that unit (CloudWatch API
/// reference, PutMetricAlarm, `Unit`: a unit not published for the metric leaves
/// the alarm "stuck in the INSUFFICIENT DATA state").
pub fn points_of<'p>(
    alarm: &Alarm,
    account: &str,
    region: &str,
    points: &'p [Datapoint],
) -> Vec<&'p Datapoint> {
    let mut dimensions = alarm.dimensions.clone();
    dimensions.sort();
    points
        .iter()
        .filter(|p| {
            p.account == account
                && p.region == region
                && Some(&p.namespace) == alarm.namespace.as_ref()
                && Some(&p.metric) == alarm.metric.as_ref()
                && p.dimensions == dimensions
                && alarm.unit.as_ref().is_none_or(|unit| *unit == p.unit)
        })
        .collect()
}

/// The state `alarm` should be in at `now`, given its metric's `points`. `None`
/// when it cannot be evaluated here (metric math, percentiles, anomaly bands) or when
/// missing data is to be ignored and there is none.
pub fn evaluate(alarm: &Alarm, points: &[&Datapoint], now: f64) -> Option<Evaluation> {
    let statistic = alarm.statistic.as_deref()?;
    let period = f64::from(alarm.period.filter(|p| *p > 0)?);
    let periods = alarm.evaluation_periods.filter(|n| *n > 0)? as usize;
    let needed = alarm
        .datapoints_to_alarm
        .filter(|n| *n > 0)
        .unwrap_or(periods as i32) as usize;
    let threshold = alarm.threshold?;
    let comparison = alarm.comparison.as_deref()?;
    let breaches = |v: f64| match comparison {
        "GreaterThanOrEqualToThreshold" => Some(v >= threshold),
        "GreaterThanThreshold" => Some(v > threshold),
        "LessThanThreshold" => Some(v < threshold),
        "LessThanOrEqualToThreshold" => Some(v <= threshold),
        _ => None,
    };
    breaches(0.0)?;
    // A metric filter's data is standard resolution: CloudWatch keeps it per minute,
    // and evaluates "at the end of minute 5 ... based on data from minutes 1 to 5"
    // (CloudWatch User Guide, "Alarm evaluation"). So the windows end at the last
    // whole minute, and a datum counts in the minute it falls in.
    let now = minute(now);
    // Oldest period first, as CloudWatch lists recent datapoints.
    let windows: Vec<(f64, Vec<f64>)> = (0..periods)
        .rev()
        .map(|k| {
            let end = now - k as f64 * period;
            let start = end - period;
            let values = points
                .iter()
                .filter(|p| (start..end).contains(&minute(p.time)))
                .map(|p| p.value)
                .collect();
            (start, values)
        })
        .collect();
    let mut values = Vec::new();
    for (start, data) in &windows {
        if data.is_empty() {
            continue;
        }
        values.push((*start, data.len(), statistic_of(statistic, data)?));
    }
    let missing = periods - values.len();
    let treatment = alarm.treat_missing_data.as_deref().unwrap_or("missing");
    let breaching = values
        .iter()
        .filter(|(_, _, v)| breaches(*v) == Some(true))
        .count()
        + if treatment == "breaching" { missing } else { 0 };
    let recent: Vec<Value> = values.iter().map(|(_, _, v)| json!(v)).collect();
    let reason_data = json!({
        "version": "1.0",
        "queryDate": cloudwatch_time(now),
        "startDate": cloudwatch_time(now - periods as f64 * period),
        "statistic": statistic,
        "period": period as i64,
        "recentDatapoints": recent,
        "threshold": threshold,
        "evaluatedDatapoints": values.iter().rev().map(|(start, n, v)| json!({
            "timestamp": cloudwatch_time(*start),
            "sampleCount": *n as f64,
            "value": v,
        })).collect::<Vec<_>>(),
    });
    let listed: Vec<String> = values
        .iter()
        .map(|(start, _, v)| format!("{} ({})", reason_number(*v), reason_time(*start)))
        .collect();
    let words = comparison_words(comparison);
    let plural = |n: usize| if n == 1 { "datapoint" } else { "datapoints" };
    if values.is_empty() && matches!(treatment, "missing" | "ignore") {
        if treatment == "ignore" {
            return None;
        }
        return Some(Evaluation {
            state: State::InsufficientData,
            reason: format!(
                "Insufficient Data: {periods} {} {} unknown.",
                plural(periods),
                if periods == 1 { "was" } else { "were" }
            ),
            reason_data,
        });
    }
    if breaching >= needed {
        Some(Evaluation {
            state: State::Alarm,
            reason: format!(
                "Threshold Crossed: {breaching} out of the last {periods} {} [{}] {} {words} the threshold ({}) (minimum {needed} {} for OK -> ALARM transition).",
                plural(periods),
                listed.join(", "),
                if breaching == 1 { "was" } else { "were" },
                reason_number(threshold),
                plural(needed),
            ),
            reason_data,
        })
    } else {
        Some(Evaluation {
            state: State::Ok,
            reason: format!(
                "Threshold Crossed: {} {} [{}] {} not {words} the threshold ({}) (minimum {needed} {} for ALARM -> OK transition).",
                values.len(),
                plural(values.len()),
                listed.join(", "),
                if values.len() == 1 { "was" } else { "were" },
                reason_number(threshold),
                plural(needed),
            ),
            reason_data,
        })
    }
}

/// The start of the minute `time` falls in.
pub fn minute(time: f64) -> f64 {
    (time / 60.0).floor() * 60.0
}

fn statistic_of(statistic: &str, values: &[f64]) -> Option<f64> {
    let n = values.len() as f64;
    let sum: f64 = values.iter().sum();
    match statistic {
        "Sum" => Some(sum),
        "Average" => Some(sum / n),
        "Minimum" => values.iter().copied().reduce(f64::min),
        "Maximum" => values.iter().copied().reduce(f64::max),
        "SampleCount" => Some(n),
        _ => None,
    }
}

fn comparison_words(comparison: &str) -> &'static str {
    match comparison {
        "GreaterThanOrEqualToThreshold" => "greater than or equal to",
        "GreaterThanThreshold" => "greater than",
        "LessThanThreshold" => "less than",
        _ => "less than or equal to",
    }
}

/// Evaluates every alarm in every account and region the sandbox has seen, and acts
/// on each change.
pub async fn evaluate_all(sandbox: &Sandbox) {
    let places: Vec<(String, String, String)> = sandbox
        .world()
        .places
        .iter()
        .map(|((account, region), key)| (account.clone(), region.clone(), key.clone()))
        .collect();
    for (account, region, access_key) in places {
        let alarms = match describe(sandbox, &access_key, &region, None).await {
            Ok(alarms) => alarms,
            Err(e) => {
                tracing::warn!("alarms in {account}/{region}: {e}");
                continue;
            }
        };
        // CloudWatch evaluates on the clock's round numbers (every minute; here
        // every evaluation interval).
        let time =
            super::clock::last_tick(sandbox.clock.now(), sandbox.settings.evaluation_interval);
        for alarm in alarms {
            let evaluation = {
                let world = sandbox.world();
                let points = points_of(&alarm, &account, &region, &world.datapoints);
                evaluate(&alarm, &points, time)
            };
            let Some(evaluation) = evaluation else {
                continue;
            };
            let current = alarm.state.as_deref().and_then(State::parse);
            if current == Some(evaluation.state) {
                continue;
            }
            let set = sandbox
                .backend
                .as_caller(&access_key, &region)
                .cloudwatch
                .set_alarm_state()
                .alarm_name(&alarm.name)
                .state_value(evaluation.state.as_str().into())
                .state_reason(&evaluation.reason)
                .state_reason_data(evaluation.reason_data.to_string())
                .send()
                .await;
            if let Err(e) = set {
                tracing::warn!(
                    "SetAlarmState {}: {}",
                    alarm.name,
                    super::backend::explain(&e)
                );
                continue;
            }
            let change = Change {
                old: current
                    .map(State::as_str)
                    .unwrap_or("INSUFFICIENT_DATA")
                    .to_string(),
                old_reason: alarm.state_reason.clone().unwrap_or_default(),
                new: evaluation.state,
                reason: evaluation.reason,
                reason_data: Some(evaluation.reason_data),
            };
            changed(sandbox, &access_key, &account, &region, &alarm, change).await;
        }
    }
    sandbox.world().evaluations += 1;
}

/// The alarms moto has, all of them or the one named.
pub async fn describe(
    sandbox: &Sandbox,
    access_key: &str,
    region: &str,
    name: Option<&str>,
) -> Result<Vec<Alarm>, String> {
    let cloudwatch = sandbox.backend.as_caller(access_key, region).cloudwatch;
    let mut alarms = Vec::new();
    let mut token = None;
    loop {
        let out = cloudwatch
            .describe_alarms()
            .set_alarm_names(name.map(|n| vec![n.to_string()]))
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| format!("DescribeAlarms: {}", super::backend::explain(&e)))?;
        alarms.extend(out.metric_alarms().iter().map(checkers::fetch::alarm_from));
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            return Ok(alarms);
        }
    }
}

/// A state change that has happened.
#[derive(Debug, Clone)]
pub struct Change {
    /// The state before.
    pub old: String,
    /// Why it was in that state.
    pub old_reason: String,
    /// The state now.
    pub new: State,
    /// Why.
    pub reason: String,
    /// The data behind it; `None` for a change made by hand.
    pub reason_data: Option<Value>,
}

/// After a state change: the history entry, and the notifications to the SNS topics
/// among the actions for the new state (when actions are enabled).
pub async fn changed(
    sandbox: &Sandbox,
    access_key: &str,
    account: &str,
    region: &str,
    alarm: &Alarm,
    change: Change,
) {
    let time = sandbox.clock.now();
    let mut new_state = json!({ "stateValue": change.new.as_str(), "stateReason": change.reason });
    if let Some(data) = &change.reason_data {
        new_state["stateReasonData"] = data.clone();
    }
    let data = json!({
        "version": "1.0",
        "oldState": { "stateValue": change.old, "stateReason": change.old_reason },
        "newState": new_state,
    });
    let summary = format!(
        "Alarm updated from {} to {}",
        change.old,
        change.new.as_str()
    );
    let entry = Entry {
        account,
        region,
        alarm: &alarm.name,
        time,
    };
    add_history(
        &mut sandbox.world(),
        entry,
        "StateUpdate",
        summary,
        data.to_string(),
    );
    if !alarm.actions_enabled {
        return;
    }
    let actions = match change.new {
        State::Alarm => &alarm.alarm_actions,
        State::Ok => &alarm.ok_actions,
        State::InsufficientData => &alarm.insufficient_data_actions,
    };
    for topic in actions.iter().filter(|a| a.starts_with("arn:aws:sns:")) {
        let message = notification(alarm, account, region, &change, time);
        let publisher = super::sns::Publisher {
            service: "cloudwatch.amazonaws.com",
            called: "CloudWatch Alarms",
            source_arn: &alarm.arn,
            account,
            source_owner: true,
        };
        let outcome =
            super::sns::publish(sandbox, access_key, region, topic, &message, &publisher).await;
        let summary = match &outcome {
            Ok(()) => format!("Successfully executed action {topic}"),
            Err(e) => format!("Failed to execute action {topic}. Received error: \"{e}\""),
        };
        let data = json!({ "actionState": if outcome.is_ok() { "Succeeded" } else { "Failed" }, "notificationResource": topic });
        add_history(
            &mut sandbox.world(),
            entry,
            "Action",
            summary,
            data.to_string(),
        );
    }
}

/// The message CloudWatch sends to a topic on a state change: JSON for programs,
/// and the readable text email subscribers get.
pub fn notification(
    alarm: &Alarm,
    account: &str,
    region: &str,
    change: &Change,
    time: f64,
) -> super::sns::Message {
    let statistic = alarm.statistic.clone().unwrap_or_default();
    let at = cloudwatch_time(time);
    let json = checkers::notification::alarm_message(
        alarm,
        account,
        region,
        &checkers::notification::Change {
            old: &change.old,
            new: change.new.as_str(),
            reason: &change.reason,
            time: &at,
        },
    );
    let subject = format!("{}: \"{}\" in {region}", change.new.as_str(), alarm.name);
    let email = format!(
        "You are receiving this email because your Amazon CloudWatch Alarm \"{name}\" in the {region} region \
         has entered the {new} state, because \"{reason}\" at \"{at}\".\n\n\
         Alarm Details:\n\
         - Name:                       {name}\n\
         - Description:                {description}\n\
         - State Change:               {old} -> {new}\n\
         - Reason for State Change:    {reason}\n\
         - Timestamp:                  {at}\n\
         - AWS Account:                {account}\n\
         - Alarm Arn:                  {arn}\n\n\
         Threshold:\n\
         - The alarm is in the ALARM state when the metric is {comparison} {threshold} for at least {needed} of the last {periods} period(s) of {period} seconds.\n\n\
         Monitored Metric:\n\
         - MetricNamespace:            {namespace}\n\
         - MetricName:                 {metric}\n\
         - Dimensions:                 {dimensions}\n\
         - Period:                     {period} seconds\n\
         - Statistic:                  {statistic}\n\
         - TreatMissingData:           {missing}\n",
        name = alarm.name,
        description = alarm.description.as_deref().unwrap_or(""),
        old = change.old,
        new = change.new.as_str(),
        reason = change.reason,
        at = iso_millis(time),
        arn = alarm.arn,
        comparison = alarm.comparison.as_deref().unwrap_or(""),
        threshold = alarm.threshold.unwrap_or_default(),
        needed = alarm
            .datapoints_to_alarm
            .or(alarm.evaluation_periods)
            .unwrap_or(1),
        periods = alarm.evaluation_periods.unwrap_or(1),
        period = alarm.period.unwrap_or_default(),
        namespace = alarm.namespace.as_deref().unwrap_or(""),
        metric = alarm.metric.as_deref().unwrap_or(""),
        dimensions = alarm
            .dimensions
            .iter()
            .map(|(n, v)| format!("[{n} = {v}]"))
            .collect::<Vec<_>>()
            .join(" "),
        missing = alarm.treat_missing_data.as_deref().unwrap_or("missing"),
    );
    super::sns::Message {
        subject,
        default: json.to_string(),
        email: Some(email),
        attributes: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alarm(statistic: &str, period: i32) -> Alarm {
        Alarm {
            name: "Secret accessed".into(),
            arn: "arn:aws:cloudwatch:us-east-1:1:alarm:Secret accessed".into(),
            description: None,
            namespace: Some("SecurityMetrics".into()),
            metric: Some("Secret is accessed".into()),
            dimensions: vec![],
            unit: None,
            statistic: Some(statistic.into()),
            extended_statistic: None,
            period: Some(period),
            evaluation_periods: Some(1),
            datapoints_to_alarm: Some(1),
            threshold: Some(1.0),
            comparison: Some("GreaterThanOrEqualToThreshold".into()),
            actions_enabled: true,
            alarm_actions: vec!["arn:aws:sns:us-east-1:1:SecurityAlarms".into()],
            ok_actions: vec![],
            insufficient_data_actions: vec![],
            treat_missing_data: None,
            state: Some("INSUFFICIENT_DATA".into()),
            state_reason: None,
            state_reason_data: None,
        }
    }

    fn point(time: f64, value: f64) -> Datapoint {
        Datapoint {
            account: "1".into(),
            region: "us-east-1".into(),
            namespace: "SecurityMetrics".into(),
            metric: "Secret is accessed".into(),
            dimensions: vec![],
            unit: "None".into(),
            time,
            value,
        }
    }

    /// One read among nineteen other events, as the metric filter emits them.
    fn one_read_among_twenty(now: f64) -> Vec<Datapoint> {
        (0..20)
            .map(|i| point(now - 30.0 + i as f64, if i == 7 { 1.0 } else { 0.0 }))
            .collect()
    }

    #[test]
    fn the_average_trap_is_real() {
        // `now` is a minute's end: the data, in the minute before, is evaluated.
        let now = 1_000_020.0;
        let data = one_read_among_twenty(now);
        let points: Vec<&Datapoint> = data.iter().collect();
        let average = evaluate(&alarm("Average", 300), &points, now).unwrap();
        assert_eq!(average.state, State::Ok);
        assert_eq!(average.reason_data["recentDatapoints"][0], 0.05);
        let sum = evaluate(&alarm("Sum", 60), &points, now).unwrap();
        assert_eq!(sum.state, State::Alarm);
        assert!(
            sum.reason
                .starts_with("Threshold Crossed: 1 out of the last 1 datapoint"),
            "{}",
            sum.reason
        );
        assert_eq!(sum.reason_data["statistic"], "Sum");
    }

    #[test]
    fn windows_are_whole_minutes_ending_at_the_last_one() {
        // At 30 s into a minute, a read in that minute is not evaluated yet; the
        // window is the whole minute before, and its datapoint is stamped with the
        // minute's start.
        let now = 1_000_050.0;
        let data = [point(1_000_030.0, 1.0), point(999_970.0, 0.0)];
        let refs: Vec<&Datapoint> = data.iter().collect();
        let evaluation = evaluate(&alarm("Sum", 60), &refs, now).unwrap();
        assert_eq!(evaluation.state, State::Ok);
        assert_eq!(
            evaluation.reason_data["evaluatedDatapoints"][0]["timestamp"],
            cloudwatch_time(999_960.0)
        );
        let next_minute = evaluate(&alarm("Sum", 60), &refs, 1_000_080.0).unwrap();
        assert_eq!(next_minute.state, State::Alarm);
    }

    #[test]
    fn data_leaves_the_window_after_a_period() {
        let data = one_read_among_twenty(1_000_020.0);
        let points: Vec<&Datapoint> = data.iter().collect();
        let later = evaluate(&alarm("Sum", 60), &points, 1_000_081.0).unwrap();
        assert_eq!(later.state, State::InsufficientData);
        let mut not_breaching = alarm("Sum", 60);
        not_breaching.treat_missing_data = Some("notBreaching".into());
        assert_eq!(
            evaluate(&not_breaching, &points, 1_000_081.0)
                .unwrap()
                .state,
            State::Ok
        );
        let mut breaching = alarm("Sum", 60);
        breaching.treat_missing_data = Some("breaching".into());
        assert_eq!(
            evaluate(&breaching, &points, 1_000_081.0).unwrap().state,
            State::Alarm
        );
        let mut ignore = alarm("Sum", 60);
        ignore.treat_missing_data = Some("ignore".into());
        assert_eq!(evaluate(&ignore, &points, 1_000_081.0), None);
    }

    #[test]
    fn datapoints_to_alarm_counts_breaching_periods() {
        let mut two_of_three = alarm("Sum", 60);
        two_of_three.evaluation_periods = Some(3);
        two_of_three.datapoints_to_alarm = Some(2);
        let now = 1_000_020.0;
        let once = [
            point(now - 10.0, 1.0),
            point(now - 70.0, 0.0),
            point(now - 130.0, 0.0),
        ];
        let refs: Vec<&Datapoint> = once.iter().collect();
        assert_eq!(
            evaluate(&two_of_three, &refs, now).unwrap().state,
            State::Ok
        );
        let twice = [
            point(now - 10.0, 1.0),
            point(now - 70.0, 0.0),
            point(now - 130.0, 2.0),
        ];
        let refs: Vec<&Datapoint> = twice.iter().collect();
        assert_eq!(
            evaluate(&two_of_three, &refs, now).unwrap().state,
            State::Alarm
        );
    }

    #[test]
    fn every_statistic_and_comparison() {
        let now = 1_020.0;
        let data = [point(990.0, 1.0), point(991.0, 3.0)];
        let refs: Vec<&Datapoint> = data.iter().collect();
        for (statistic, comparison, threshold, state) in [
            ("Maximum", "GreaterThanThreshold", 2.5, State::Alarm),
            ("Minimum", "LessThanThreshold", 1.0, State::Ok),
            ("Minimum", "LessThanOrEqualToThreshold", 1.0, State::Alarm),
            (
                "SampleCount",
                "GreaterThanOrEqualToThreshold",
                2.0,
                State::Alarm,
            ),
            ("Average", "GreaterThanThreshold", 2.0, State::Ok),
        ] {
            let mut a = alarm(statistic, 60);
            a.comparison = Some(comparison.into());
            a.threshold = Some(threshold);
            assert_eq!(
                evaluate(&a, &refs, now).unwrap().state,
                state,
                "{statistic} {comparison}"
            );
        }
        let mut percentile = alarm("Sum", 60);
        percentile.statistic = None;
        percentile.extended_statistic = Some("p99".into());
        assert_eq!(evaluate(&percentile, &refs, now), None);
    }

    #[test]
    fn only_the_alarms_metric_counts() {
        let mut other = point(990.0, 5.0);
        other.metric = "Other".into();
        let mut elsewhere = point(990.0, 5.0);
        elsewhere.account = "2".into();
        let data = [other, elsewhere, point(991.0, 1.0)];
        let mine = points_of(&alarm("Sum", 60), "1", "us-east-1", &data);
        assert_eq!(mine.len(), 1);
    }

    #[test]
    fn the_email_names_the_statistic() {
        let change = Change {
            old: "OK".into(),
            old_reason: String::new(),
            new: State::Alarm,
            reason: "Threshold Crossed".into(),
            reason_data: None,
        };
        let message = notification(&alarm("Sum", 60), "1", "us-east-1", &change, 0.0);
        assert_eq!(message.subject, "ALARM: \"Secret accessed\" in us-east-1");
        assert!(
            message
                .email
                .as_deref()
                .unwrap()
                .contains("- Statistic:                  Sum")
        );
        let json: Value = serde_json::from_str(&message.default).unwrap();
        assert_eq!(json["Trigger"]["Statistic"], "SUM");
    }
}
