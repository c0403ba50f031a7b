//! What the front adds to particular calls: the ones it answers itself (moto lacks
//! them), and what happens before and after others reach moto.
//!
//! | Call | The front |
//! |---|---|
//! | `cloudtrail:LookupEvents` | answers from the events it recorded |
//! | `logs:TestMetricFilter` | answers with the filter-pattern evaluator |
//! | `monitoring:DescribeAlarmHistory` | answers from the history it keeps |
//! | `monitoring:GetMetricStatistics` | answers from the data it keeps: periods from the start rounded to the minute, exact dimensions, the unit asked for |
//! | `sns:ConfirmSubscription` | confirms a pending email subscription, given its token |
//! | `monitoring:PutMetricAlarm` | a new alarm starts in `INSUFFICIENT_DATA`; an update keeps the state |
//! | `monitoring:SetAlarmState` | history, and the actions for the new state |
//! | `monitoring:PutMetricData` | the values count for alarms |
//! | `logs:PutLogEvents` | metric filters applied |
//! | `logs:DescribeLogStreams` | `lastIngestionTime` on the sandbox's clock |
//! | `logs:PutMetricFilter`, `DescribeMetricFilters` | a filter of the same name replaced, as AWS does; its `creationTime` kept, and shown |
//! | `monitoring:ListMetrics` | each metric once (moto: once per datum) |
//! | `cloudtrail:CreateTrail` | the new trail records all management events, as on AWS (moto: none) |
//! | `cloudtrail:GetTrailStatus` | the latest deliveries to the bucket and to CloudWatch Logs, and the latest CloudWatch Logs delivery error |
//! | `sns:Subscribe` (email) | pending, with a confirmation message in the mailbox |
//! | `sns:ListSubscriptions*`, `GetSubscriptionAttributes` | pending ones shown as pending |
//! | `sns:Publish` | mail for confirmed email subscriptions |

use bytes::Bytes;
use serde_json::Value;

use super::alarms::{self, Change, State};
use super::answer::{Answer, Refusal, json_answer, query_answer};
use super::call::{Call, Params};
use super::sns;
use super::state::Sandbox;
use super::world::Principal;
use super::xml::element;
use checkers::snapshot::Alarm;

const SNS_NS: &str = "http://sns.amazonaws.com/doc/2010-03-31/";

/// A call the front does something with: found once per call in [`HOOKS`], then
/// each phase ([`answer_here`], [`before`], [`after`]) matches on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    /// `cloudtrail:LookupEvents`.
    LookupEvents,
    /// `logs:TestMetricFilter`.
    TestMetricFilter,
    /// `monitoring:DescribeAlarmHistory`.
    DescribeAlarmHistory,
    /// `monitoring:GetMetricStatistics`.
    GetMetricStatistics,
    /// `sns:ConfirmSubscription`.
    ConfirmSubscription,
    /// `monitoring:PutMetricAlarm`.
    PutMetricAlarm,
    /// `monitoring:SetAlarmState`.
    SetAlarmState,
    /// `monitoring:PutMetricData`.
    PutMetricData,
    /// `logs:DescribeLogStreams`.
    DescribeLogStreams,
    /// `logs:PutLogEvents`.
    PutLogEvents,
    /// `logs:PutMetricFilter`.
    PutMetricFilter,
    /// `logs:DescribeMetricFilters`.
    DescribeMetricFilters,
    /// `monitoring:ListMetrics`.
    ListMetrics,
    /// `cloudtrail:CreateTrail`.
    CreateTrail,
    /// `cloudtrail:GetTrailStatus`.
    GetTrailStatus,
    /// `sns:Subscribe`.
    Subscribe,
    /// `sns:ListSubscriptions` and its kin.
    ListSubscriptions,
    /// `sns:GetSubscriptionAttributes`.
    GetSubscriptionAttributes,
    /// `sns:Publish`.
    Publish,
    /// `sns:Unsubscribe`.
    Unsubscribe,
    /// `sns:DeleteTopic`.
    DeleteTopic,
}

/// The calls the front does something with, by service (as the front reads it from
/// the request's signature) and operation.
const HOOKS: &[(&str, &str, Hook)] = &[
    ("cloudtrail", "LookupEvents", Hook::LookupEvents),
    ("logs", "TestMetricFilter", Hook::TestMetricFilter),
    (
        "monitoring",
        "DescribeAlarmHistory",
        Hook::DescribeAlarmHistory,
    ),
    (
        "monitoring",
        "GetMetricStatistics",
        Hook::GetMetricStatistics,
    ),
    ("sns", "ConfirmSubscription", Hook::ConfirmSubscription),
    ("monitoring", "PutMetricAlarm", Hook::PutMetricAlarm),
    ("monitoring", "SetAlarmState", Hook::SetAlarmState),
    ("monitoring", "PutMetricData", Hook::PutMetricData),
    ("logs", "DescribeLogStreams", Hook::DescribeLogStreams),
    ("logs", "PutLogEvents", Hook::PutLogEvents),
    ("logs", "PutMetricFilter", Hook::PutMetricFilter),
    ("logs", "DescribeMetricFilters", Hook::DescribeMetricFilters),
    ("monitoring", "ListMetrics", Hook::ListMetrics),
    ("cloudtrail", "CreateTrail", Hook::CreateTrail),
    ("cloudtrail", "GetTrailStatus", Hook::GetTrailStatus),
    ("sns", "Subscribe", Hook::Subscribe),
    ("sns", "ListSubscriptionsByTopic", Hook::ListSubscriptions),
    ("sns", "ListSubscriptions", Hook::ListSubscriptions),
    (
        "sns",
        "GetSubscriptionAttributes",
        Hook::GetSubscriptionAttributes,
    ),
    ("sns", "Publish", Hook::Publish),
    ("sns", "Unsubscribe", Hook::Unsubscribe),
    ("sns", "DeleteTopic", Hook::DeleteTopic),
];

/// What the front does with `call`, if anything.
pub fn hook(call: &Call) -> Option<Hook> {
    HOOKS
        .iter()
        .find(|(service, operation, _)| *service == call.service && *operation == call.operation)
        .map(|(_, _, hook)| *hook)
}

/// The answer to a call the front answers itself, if it is one.
pub fn answer_here(
    sandbox: &Sandbox,
    call: &Call,
    hook: Hook,
    who: &Principal,
    request_id: &str,
) -> Option<Answer> {
    let region = &call.region;
    match (hook, &call.params) {
        (Hook::LookupEvents, Params::Json(request)) => {
            let world = sandbox.world();
            Some(json_answer(super::cloudtrail::lookup_events(
                &world.events,
                world.pruned,
                &who.account,
                region,
                request,
            )))
        }
        (Hook::TestMetricFilter, Params::Json(request)) => {
            Some(json_answer(super::logs::test_metric_filter(request)))
        }
        (Hook::DescribeAlarmHistory, params) => {
            let world = sandbox.world();
            let page =
                super::alarm_history::history_page(&world.history, &who.account, region, |k| {
                    call.param(k)
                });
            Some(match params {
                Params::Query(_) => query_answer(
                    page.map(|(items, next)| {
                        super::alarm_history::history_xml(&items, next.as_deref(), request_id)
                    }),
                    request_id,
                ),
                _ => json_answer(page.map(|(items, next)| {
                    super::alarm_history::history_json(&items, next.as_deref())
                })),
            })
        }
        (Hook::GetMetricStatistics, params) => {
            let query = match super::statistics::query(call) {
                Ok(Some(query)) => query,
                Ok(None) => return None,
                Err(refusal) => {
                    return Some(match params {
                        Params::Query(_) => query_answer(Err(refusal), request_id),
                        _ => json_answer(Err(refusal)),
                    });
                }
            };
            let world = sandbox.world();
            let points = &world.datapoints;
            Some(match params {
                Params::Query(_) => query_answer(
                    Ok(super::statistics::xml(
                        points,
                        &who.account,
                        region,
                        &query,
                        request_id,
                    )),
                    request_id,
                ),
                _ => json_answer(Ok(super::statistics::json(
                    points,
                    &who.account,
                    region,
                    &query,
                ))),
            })
        }
        (Hook::ConfirmSubscription, _) => {
            let topic = call.param("TopicArn").unwrap_or_default();
            let token = call.param("Token").unwrap_or_default();
            let confirmed = sns::confirm(&mut sandbox.world(), &topic, &token);
            Some(query_answer(
                match confirmed {
                    Some(arn) => Ok(super::xml::response(
                        "ConfirmSubscription",
                        SNS_NS,
                        &element("SubscriptionArn", &arn),
                        request_id,
                    )),
                    None => Err(Refusal::new("InvalidParameter", "Invalid token")),
                },
                request_id,
            ))
        }
        _ => None,
    }
}

/// A metric filter's key in [`super::world::World::filters_created`].
fn filter_key(account: &str, region: &str, call: &Call) -> (String, String, String, String) {
    (
        account.to_string(),
        region.to_string(),
        call.param("logGroupName").unwrap_or_default(),
        call.param("filterName").unwrap_or_default(),
    )
}

/// What the front looks up (or does) before a call reaches moto.
#[derive(Debug)]
pub enum Before {
    /// Nothing.
    Nothing,
    /// The alarm the call names, as it was (`None`: it did not exist).
    Alarm(Option<Box<Alarm>>),
}

/// Looks up what [`after`] will need to know of the state before the call.
pub async fn before(sandbox: &Sandbox, call: &Call, hook: Hook) -> Before {
    match hook {
        Hook::PutMetricAlarm | Hook::SetAlarmState => {
            let name = call.param("AlarmName").unwrap_or_default();
            let alarm = alarms::describe(sandbox, &call.access_key, &call.region, Some(&name))
                .await
                .ok()
                .and_then(|mut a| a.pop())
                .map(Box::new);
            Before::Alarm(alarm)
        }
        Hook::PutMetricFilter => {
            // AWS replaces a filter put under a name it already has; moto would add a
            // second one beside it.
            let logs = sandbox
                .backend
                .as_caller(&call.access_key, &call.region)
                .logs;
            let _ = logs
                .delete_metric_filter()
                .log_group_name(call.param("logGroupName").unwrap_or_default())
                .filter_name(call.param("filterName").unwrap_or_default())
                .send()
                .await;
            Before::Nothing
        }
        _ => Before::Nothing,
    }
}

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
    let key = &call.access_key;
    let region = &call.region;
    let account = &who.account;
    match hook {
        Hook::PutMetricAlarm => {
            let Before::Alarm(old) = before else {
                return body;
            };
            alarm_put(sandbox, call, who, old).await;
        }
        Hook::SetAlarmState => {
            let Before::Alarm(Some(alarm)) = before else {
                return body;
            };
            let Some(new) = call.param("StateValue").as_deref().and_then(State::parse) else {
                return body;
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
            alarms::changed(sandbox, key, account, region, &alarm, change).await;
        }
        Hook::PutMetricData => {
            let points = super::metrics::from_put_metric_data(call, account, sandbox.clock.now());
            sandbox.world().datapoints.extend(points);
        }
        Hook::DescribeLogStreams => {
            return ingestion_times(sandbox, call, account, body);
        }
        Hook::PutLogEvents => {
            let Params::Json(request) = &call.params else {
                return body;
            };
            let group = call.param("logGroupName").unwrap_or_default();
            let stream = call.param("logStreamName").unwrap_or_default();
            sandbox.world().ingested.insert(
                (account.clone(), region.clone(), group, stream),
                (sandbox.clock.now() * 1000.0) as i64,
            );
            let group = call.param("logGroupName").unwrap_or_default();
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
            super::logs::ingest(sandbox, key, account, region, &group, &events).await;
        }
        Hook::Subscribe => {
            let protocol = call.param("Protocol").unwrap_or_default();
            let text = String::from_utf8_lossy(&body).to_string();
            let (Some(arn), true) = (sns::subscription_arn(&text), protocol.starts_with("email"))
            else {
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
        }
        Hook::ListMetrics => {
            return super::metrics::unique_metrics(&body).map_or(body, Bytes::from);
        }
        Hook::CreateTrail => {
            // AWS: a new trail records all management events, reads and writes;
            // moto starts it with none.
            if let Some(name) = call.param("Name") {
                let aws = sandbox.backend.as_caller(key, region);
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
                        super::backend::explain(&e)
                    );
                }
            }
        }
        Hook::GetTrailStatus => {
            return trail_status(sandbox, call, account, body);
        }
        Hook::PutMetricFilter => {
            let key = filter_key(account, region, call);
            let created = (sandbox.clock.now() * 1000.0) as i64;
            sandbox.world().filters_created.insert(key, created);
        }
        Hook::DescribeMetricFilters => {
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
                    account.clone(),
                    region.clone(),
                    field("logGroupName"),
                    field("filterName"),
                );
                if let Some(created) = world.filters_created.get(&key) {
                    filter["creationTime"] = Value::from(*created);
                }
            }
            return Bytes::from(answer.to_string());
        }
        Hook::ListSubscriptions => {
            let text = String::from_utf8_lossy(&body).to_string();
            return Bytes::from(sns::hide_pending(&text, &sandbox.world().pending));
        }
        Hook::GetSubscriptionAttributes => {
            let arn = call.param("SubscriptionArn").unwrap_or_default();
            if sandbox
                .world()
                .pending
                .iter()
                .any(|p| p.subscription_arn == arn)
            {
                let text = String::from_utf8_lossy(&body).replace(
                    "<key>PendingConfirmation</key><value>false</value>",
                    "<key>PendingConfirmation</key><value>true</value>",
                );
                return Bytes::from(text);
            }
        }
        Hook::Publish => {
            let topic = call
                .param("TopicArn")
                .or_else(|| call.param("TargetArn"))
                .unwrap_or_default();
            let message = sns::Message::from_publish(call);
            if let Err(e) = sns::to_mailbox(sandbox, key, region, &topic, &message).await {
                tracing::warn!("mail for {topic}: {e}");
            }
        }
        Hook::Unsubscribe => {
            let arn = call.param("SubscriptionArn").unwrap_or_default();
            sandbox
                .world()
                .pending
                .retain(|p| p.subscription_arn != arn);
        }
        Hook::DeleteTopic => {
            let topic = call.param("TopicArn").unwrap_or_default();
            sandbox.world().pending.retain(|p| p.topic_arn != topic);
        }
        _ => {}
    }
    body
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
        tracing::warn!("SetAlarmState {name}: {}", super::backend::explain(&e));
    }
    let (kind, summary) = match old {
        None => ("Create", format!("Alarm \"{name}\" created")),
        Some(_) => ("Update", format!("Alarm \"{name}\" updated")),
    };
    let data = serde_json::json!({ "version": "1.0", "type": kind, "alarmName": name });
    let entry = super::alarm_history::Entry {
        account: &who.account,
        region: &call.region,
        alarm: &name,
        time: sandbox.clock.now(),
    };
    super::alarm_history::add_history(
        &mut sandbox.world(),
        entry,
        "ConfigurationUpdate",
        summary,
        data.to_string(),
    );
}

#[cfg(test)]
mod tests;
