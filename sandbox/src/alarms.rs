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
//!
//! Here: evaluating on the schedule and acting on each change. The evaluation and
//! the message a change sends are in modules of their own, re-exported here.

mod evaluation;
mod message;
#[cfg(test)]
mod tests;

pub use evaluation::{Evaluation, evaluate, minute, points_of};
pub use message::notification;

use serde_json::{Value, json};

use super::alarm_history::{Entry, add_history};
use super::state::Sandbox;
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
