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
//! | `sts:GetCallerIdentity` | for a key of `lab sandbox env --as`, answers with that identity (moto knows one caller) |

use super::alarms;
use super::answer::{Answer, Refusal, json_answer, query_answer};
use super::call::{Call, Params};
use super::sns;
use super::state::Sandbox;
use super::world::Principal;
use super::xml::element;
use checkers::snapshot::Alarm;

const SNS_NS: &str = "http://sns.amazonaws.com/doc/2010-03-31/";
const STS_NS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";

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
    /// `sts:GetCallerIdentity`.
    GetCallerIdentity,
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
    ("sts", "GetCallerIdentity", Hook::GetCallerIdentity),
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
        // moto's STS knows one caller; a key made to act as someone is that someone,
        // answered with the fields AWS gives: Arn, UserId, Account (STS API
        // reference, GetCallerIdentity,
        // <https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html>).
        (Hook::GetCallerIdentity, params)
            if super::identities::acting(&call.access_key).is_some() =>
        {
            let user_id = super::cloudtrail::principal_id(who);
            Some(match params {
                Params::Query(_) => query_answer(
                    Ok(super::xml::response(
                        "GetCallerIdentity",
                        STS_NS,
                        &format!(
                            "{}{}{}",
                            element("Arn", &who.arn),
                            element("UserId", &user_id),
                            element("Account", &who.account)
                        ),
                        request_id,
                    )),
                    request_id,
                ),
                _ => json_answer(Ok(serde_json::json!({
                    "Arn": who.arn,
                    "UserId": user_id,
                    "Account": who.account,
                }))),
            })
        }
        _ => None,
    }
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

mod after_moto;
pub use after_moto::after;

#[cfg(test)]
mod tests;
