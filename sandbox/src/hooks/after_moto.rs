//! What the front does after moto answered a call it has a [`Hook`] for: what AWS
//! would also do, and the answer changed where AWS would answer differently. One
//! small function per call; [`after`] picks it.

use bytes::Bytes;
use serde_json::Value;

use super::{Before, Hook};
use crate::alarms::{self, Change, State};
use crate::call::{Call, Params};
use crate::sns;
use crate::state::Sandbox;
use crate::world::Principal;
use checkers::snapshot::Alarm;

/// After a call succeeded in moto: what AWS would also do. Returns the body to send
/// back, changed where AWS would answer differently.
pub async fn after(
    sandbox: &Sandbox,
    call: &Call,
    hook: Hook,
    who: &Principal,
    before: Before,
    body: Bytes,
) -> Bytes {
    let account = &who.account;
    match hook {
        Hook::PutMetricAlarm => {
            if let Before::Alarm(old) = before {
                alarm_put(sandbox, call, who, old).await;
            }
            body
        }
        Hook::SetAlarmState => {
            if let Before::Alarm(Some(alarm)) = before {
                set_alarm_state(sandbox, call, account, &alarm).await;
            }
            body
        }
        Hook::PutMetricData => {
            let points = crate::metrics::from_put_metric_data(call, account, sandbox.clock.now());
            sandbox.world().datapoints.extend(points);
            body
        }
        Hook::DescribeLogStreams => ingestion_times(sandbox, call, account, body),
        Hook::PutLogEvents => {
            put_log_events(sandbox, call, account).await;
            body
        }
        Hook::Subscribe => subscribe(sandbox, call, body),
        Hook::ListMetrics => crate::metrics::unique_metrics(&body).map_or(body, Bytes::from),
        Hook::CreateTrail => {
            create_trail(sandbox, call).await;
            body
        }
        Hook::GetTrailStatus => trail_status(sandbox, call, account, body),
        Hook::PutMetricFilter => {
            let created = (sandbox.clock.now() * 1000.0) as i64;
            let key = filter_key(account, &call.region, call);
            sandbox.world().filters_created.insert(key, created);
            body
        }
        Hook::DescribeMetricFilters => creation_times(sandbox, call, account, body),
        Hook::ListSubscriptions => {
            let text = String::from_utf8_lossy(&body).to_string();
            Bytes::from(sns::hide_pending(&text, &sandbox.world().pending))
        }
        Hook::GetSubscriptionAttributes => pending_attribute(sandbox, call, body),
        Hook::Publish => {
            publish(sandbox, call).await;
            body
        }
        Hook::Unsubscribe => {
            let arn = call.param("SubscriptionArn").unwrap_or_default();
            sandbox
                .world()
                .pending
                .retain(|p| p.subscription_arn != arn);
            body
        }
        Hook::DeleteTopic => {
            let topic = call.param("TopicArn").unwrap_or_default();
            sandbox.world().pending.retain(|p| p.topic_arn != topic);
            body
        }
        // Answered by the front itself: moto never sees them.
        Hook::LookupEvents
        | Hook::TestMetricFilter
        | Hook::DescribeAlarmHistory
        | Hook::GetMetricStatistics
        | Hook::ConfirmSubscription => body,
        // Answered by the front for the identities it made; moto's own answer for
        // its caller passes unchanged.
        Hook::GetCallerIdentity => body,
    }
}

/// An alarm set to a state by hand: its history, and the actions for the new state.
async fn set_alarm_state(sandbox: &Sandbox, call: &Call, account: &str, alarm: &Alarm) {
    let Some(new) = call.param("StateValue").as_deref().and_then(State::parse) else {
        return;
    };
    let change = Change {
        old: alarm.state.clone().unwrap_or_default(),
        old_reason: alarm.state_reason.clone().unwrap_or_default(),
        new,
        reason: call.param("StateReason").unwrap_or_default(),
        reason_data: call
            .param("StateReasonData")
            .and_then(|d| serde_json::from_str(&d).ok()),
    };
    alarms::changed(
        sandbox,
        &call.access_key,
        account,
        &call.region,
        alarm,
        change,
    )
    .await;
}

/// Log events put: when the stream last ingested, and the metric filters applied.
async fn put_log_events(sandbox: &Sandbox, call: &Call, account: &str) {
    let Params::Json(request) = &call.params else {
        return;
    };
    let group = call.param("logGroupName").unwrap_or_default();
    let stream = call.param("logStreamName").unwrap_or_default();
    sandbox.world().ingested.insert(
        (
            account.to_string(),
            call.region.clone(),
            group.clone(),
            stream,
        ),
        (sandbox.clock.now() * 1000.0) as i64,
    );
    let events: Vec<(i64, String)> = request
        .get("logEvents")
        .and_then(Value::as_array)
        .map(|events| {
            events
                .iter()
                .filter_map(|e| {
                    Some((
                        e.get("timestamp")?.as_i64()?,
                        e.get("message")?.as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    crate::logs::ingest(
        sandbox,
        &call.access_key,
        account,
        &call.region,
        &group,
        &events,
    )
    .await;
}

/// An email subscription: pending, with a confirmation message in the mailbox; its
/// ARN shown as "pending confirmation" unless the caller asked for it.
fn subscribe(sandbox: &Sandbox, call: &Call, body: Bytes) -> Bytes {
    let protocol = call.param("Protocol").unwrap_or_default();
    let text = String::from_utf8_lossy(&body).to_string();
    let (Some(arn), true) = (sns::subscription_arn(&text), protocol.starts_with("email")) else {
        return body;
    };
    let topic = call.param("TopicArn").unwrap_or_default();
    let endpoint = call.param("Endpoint").unwrap_or_default();
    let pending = sns::subscribed(sandbox, arn, &topic, &endpoint);
    if pending && call.param("ReturnSubscriptionArn").as_deref() != Some("true") {
        let shown = text.replace(
            &format!("<SubscriptionArn>{arn}</SubscriptionArn>"),
            "<SubscriptionArn>pending confirmation</SubscriptionArn>",
        );
        return Bytes::from(shown);
    }
    body
}

/// AWS: a new trail records all management events, reads and writes; moto starts
/// it with none.
async fn create_trail(sandbox: &Sandbox, call: &Call) {
    let Some(name) = call.param("Name") else {
        return;
    };
    let aws = sandbox.backend.as_caller(&call.access_key, &call.region);
    let all = aws_sdk_cloudtrail::types::EventSelector::builder()
        .read_write_type(aws_sdk_cloudtrail::types::ReadWriteType::All)
        .include_management_events(true)
        .build();
    if let Err(e) = aws
        .cloudtrail
        .put_event_selectors()
        .trail_name(name)
        .event_selectors(all)
        .send()
        .await
    {
        tracing::warn!(
            "could not give the new trail AWS's default event selectors: {}",
            crate::backend::explain(&e)
        );
    }
}

/// Each metric filter with the `creationTime` the front kept for it (a filter put
/// again under its name is replaced, as on AWS, and keeps its first time).
fn creation_times(sandbox: &Sandbox, call: &Call, account: &str, body: Bytes) -> Bytes {
    let Ok(mut answer) = serde_json::from_slice::<Value>(&body) else {
        return body;
    };
    let world = sandbox.world();
    for filter in answer
        .get_mut("metricFilters")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        let field = |k: &str| {
            filter
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let key = (
            account.to_string(),
            call.region.clone(),
            field("logGroupName"),
            field("filterName"),
        );
        if let Some(created) = world.filters_created.get(&key) {
            filter["creationTime"] = Value::from(*created);
        }
    }
    Bytes::from(answer.to_string())
}

/// A subscription still waiting for its owner's click shows as pending.
fn pending_attribute(sandbox: &Sandbox, call: &Call, body: Bytes) -> Bytes {
    let arn = call.param("SubscriptionArn").unwrap_or_default();
    let pending = sandbox
        .world()
        .pending
        .iter()
        .any(|p| p.subscription_arn == arn);
    if !pending {
        return body;
    }
    let text = String::from_utf8_lossy(&body).replace(
        "<key>PendingConfirmation</key><value>false</value>",
        "<key>PendingConfirmation</key><value>true</value>",
    );
    Bytes::from(text)
}

/// A message published: mail for the topic's confirmed email subscriptions.
async fn publish(sandbox: &Sandbox, call: &Call) {
    let topic = call
        .param("TopicArn")
        .or_else(|| call.param("TargetArn"))
        .unwrap_or_default();
    let message = sns::Message::from_publish(call);
    if let Err(e) = sns::to_mailbox(sandbox, &call.access_key, &call.region, &topic, &message).await
    {
        tracing::warn!("mail for {topic}: {e}");
    }
}

/// A metric filter's key in [`crate::world::World::filters_created`].
fn filter_key(account: &str, region: &str, call: &Call) -> (String, String, String, String) {
    (
        account.to_string(),
        region.to_string(),
        call.param("logGroupName").unwrap_or_default(),
        call.param("filterName").unwrap_or_default(),
    )
}

/// Each log stream's `lastIngestionTime` on the sandbox's clock, as AWS gives it
/// ("the ingestion time, expressed as the number of milliseconds after Jan 1, 1970
/// 00:00:00 UTC", CloudWatch Logs API reference, LogStream), rather than moto's
/// stamp from this machine's clock.
fn ingestion_times(sandbox: &Sandbox, call: &Call, account: &str, body: Bytes) -> Bytes {
    let Ok(mut answer) = serde_json::from_slice::<Value>(&body) else {
        return body;
    };
    let group = call.param("logGroupName").unwrap_or_default();
    let world = sandbox.world();
    for stream in answer
        .get_mut("logStreams")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        let name = stream
            .get("logStreamName")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let key = (
            account.to_string(),
            call.region.clone(),
            group.clone(),
            name,
        );
        if let Some(time) = world.ingested.get(&key) {
            stream["lastIngestionTime"] = Value::from(*time);
        }
    }
    Bytes::from(answer.to_string())
}

/// The trail's status with what moto does not keep: when its log files last reached
/// the bucket and its events CloudWatch Logs, and why the last delivery to CloudWatch
/// Logs failed (CloudTrail API reference, GetTrailStatus:
/// `LatestCloudWatchLogsDeliveryError` "displays any CloudWatch Logs error that
/// CloudTrail encountered when attempting to deliver logs to CloudWatch Logs").
fn trail_status(sandbox: &Sandbox, call: &Call, account: &str, body: Bytes) -> Bytes {
    let name = call.param("Name").unwrap_or_default();
    let arn = if name.starts_with("arn:") {
        name
    } else {
        format!("arn:aws:cloudtrail:{}:{account}:trail/{name}", call.region)
    };
    let Some(record) = sandbox.world().deliveries.get(&arn).cloned() else {
        return body;
    };
    let Ok(mut answer) = serde_json::from_slice::<Value>(&body) else {
        return body;
    };
    if let Some(time) = record.s3 {
        answer["LatestDeliveryTime"] = Value::from(time.floor());
    }
    if let Some(time) = record.logs {
        answer["LatestCloudWatchLogsDeliveryTime"] = Value::from(time.floor());
    }
    if let Some(error) = record.logs_error {
        answer["LatestCloudWatchLogsDeliveryError"] = Value::from(error);
    }
    Bytes::from(answer.to_string())
}

/// A new alarm starts in `INSUFFICIENT_DATA`; an updated one keeps its state (moto
/// would reset it to `OK`). Either way, a configuration entry in its history.
async fn alarm_put(sandbox: &Sandbox, call: &Call, who: &Principal, old: Option<Box<Alarm>>) {
    let name = call.param("AlarmName").unwrap_or_default();
    let (state, reason, data) = match &old {
        None => (
            "INSUFFICIENT_DATA".to_string(),
            "Unchecked: Initial alarm creation".to_string(),
            None,
        ),
        Some(a) => (
            a.state
                .clone()
                .unwrap_or_else(|| "INSUFFICIENT_DATA".into()),
            a.state_reason.clone().unwrap_or_default(),
            a.state_reason_data.clone(),
        ),
    };
    let set = sandbox
        .backend
        .as_caller(&call.access_key, &call.region)
        .cloudwatch
        .set_alarm_state()
        .alarm_name(&name)
        .state_value(state.as_str().into())
        .state_reason(reason)
        .set_state_reason_data(data)
        .send()
        .await;
    if let Err(e) = set {
        tracing::warn!("SetAlarmState {name}: {}", crate::backend::explain(&e));
    }
    let (kind, summary) = match old {
        None => ("Create", format!("Alarm \"{name}\" created")),
        Some(_) => ("Update", format!("Alarm \"{name}\" updated")),
    };
    let data = serde_json::json!({ "version": "1.0", "type": kind, "alarmName": name });
    let entry = crate::alarm_history::Entry {
        account: &who.account,
        region: &call.region,
        alarm: &name,
        time: sandbox.clock.now(),
    };
    crate::alarm_history::add_history(
        &mut sandbox.world(),
        entry,
        "ConfigurationUpdate",
        summary,
        data.to_string(),
    );
}
