//! A lab that was cleaned up, as it was just before: rebuilt from the learner's own
//! write calls in CloudTrail's event history, which keeps management events for 90
//! days with their request parameters (CloudTrail User Guide, "Working with
//! CloudTrail Event history").
//!
//! A learner who finishes the lab deletes everything in its last stage; graded on
//! what is left, they would score nothing. When every resource of the lab is gone
//! and the history shows it was built, [`rebuild`] replays the calls that built and
//! changed it (create, put, update, start, stop, set...) up to the first call of the
//! cleanup that followed, into a [`Snapshot`] of the lab at that moment, for the same
//! judges to judge. What the history cannot show (events arriving in the log group, a
//! key policy, a managed policy's document, IAM's calls outside us-east-1) is left
//! unread, so the checks that need it are errors that say so, never failures; what
//! AWS keeps after deletion (alarm history, the metric's data, reads of the secret)
//! is read as it is.

mod assemble;
mod parse;
mod replay;

use std::collections::BTreeMap;

use crate::snapshot::*;
use parse::strings;
use replay::Replay;

/// What the history leaves unknown, as a read error that says so.
pub(super) fn not_in_history(action: &str, what: &str) -> ReadError {
    ReadError {
        action: action.to_string(),
        kind: ReadErrorKind::NotInHistory,
        detail: format!(
            "the lab was cleaned up, and CloudTrail's event history does not show {what}"
        ),
    }
}

/// A new topic's access policy, as SNS writes it: the account's own principals may
/// publish (and so its alarms).
pub(super) fn default_topic_policy(topic: &str, account: &str) -> String {
    serde_json::json!({
        "Version": "2008-10-17",
        "Id": "__default_policy_ID",
        "Statement": [{
            "Sid": "__default_statement_ID",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": [
                "SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
                "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe",
                "SNS:ListSubscriptionsByTopic", "SNS:Publish"
            ],
            "Resource": topic,
            "Condition": {"StringEquals": {"AWS:SourceOwner": account}}
        }]
    })
    .to_string()
}

/// How long before the first deletion a call that takes the lab apart still counts
/// as the cleanup's: a learner clearing up does it in one sitting, and a trail whose
/// logging was stopped long before was not the lab as built.
const CLEANUP_SITTING_SECS: i64 = 30 * 60;

/// Where the lab's cleanup began in `events` (oldest first): the earliest of its
/// resources' last deletions, and, just before it (within
/// [`CLEANUP_SITTING_SECS`]), the calls that only took the lab apart on the way
/// there (logging stopped, the log group let go, alarm actions disabled, the
/// topic's subscriptions removed), which the lab "as built" never had. `None` when
/// none of its resources was ever deleted in the history.
fn cleanup_began(
    events: &[&WriteEvent],
    names: &Names,
    region: &str,
    account: &str,
) -> Option<usize> {
    let topic = format!("arn:aws:sns:{region}:{account}:{}", names.topic);
    let deletes = |event: &WriteEvent| -> bool {
        let text = |k: &str| event.text(k).unwrap_or_default();
        match (event.source.as_str(), event.name.as_str()) {
            ("secretsmanager.amazonaws.com", "DeleteSecret") => {
                let id = text("secretId");
                names.secret.as_ref().is_some_and(|secret| {
                    id == *secret || id.contains(&format!(":secret:{secret}"))
                })
            }
            ("cloudtrail.amazonaws.com", "DeleteTrail") => {
                crate::arn::last_name(&text("name")) == names.trail
            }
            ("s3.amazonaws.com", "DeleteBucket") => text("bucketName") == names.bucket,
            ("logs.amazonaws.com", "DeleteLogGroup") => text("logGroupName") == names.log_group,
            ("iam.amazonaws.com", "DeleteRole") => text("roleName") == names.role,
            ("monitoring.amazonaws.com", "DeleteAlarms") => {
                strings(event.request.get("alarmNames")).contains(&names.alarm)
            }
            ("sns.amazonaws.com", "DeleteTopic") => text("topicArn") == topic,
            _ => false,
        }
    };
    // Each resource's last deletion; the cleanup began with the earliest of them.
    let mut last: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (at, event) in events.iter().enumerate().filter(|(_, e)| deletes(e)) {
        last.insert((event.source.clone(), event.name.clone()), at);
    }
    let first_delete = last.values().min().copied()?;
    let takes_apart = |event: &WriteEvent| -> bool {
        let text = |k: &str| event.text(k);
        match (event.source.as_str(), event.name.as_str()) {
            ("cloudtrail.amazonaws.com", "StopLogging") => true,
            ("cloudtrail.amazonaws.com", "UpdateTrail") => {
                text("cloudWatchLogsLogGroupArn").is_some_and(|g| g.is_empty())
            }
            ("monitoring.amazonaws.com", "DisableAlarmActions") => true,
            ("sns.amazonaws.com", "Unsubscribe") => {
                text("subscriptionArn").is_some_and(|arn| arn.starts_with(&format!("{topic}:")))
            }
            _ => false,
        }
    };
    let deleted_at = events[first_delete].time;
    let mut start = first_delete;
    while start > 0
        && takes_apart(events[start - 1])
        && deleted_at - events[start - 1].time <= CLEANUP_SITTING_SECS
    {
        start -= 1;
    }
    Some(start)
}

/// Whether `events` (write calls, any order) created any of the lab's resources:
/// a lab with nothing left was cleaned up only if it was built.
pub fn created_any(events: &[WriteEvent], names: &Names) -> bool {
    events.iter().filter(|e| !e.failed).any(|event| {
        let text = |k: &str| event.text(k).unwrap_or_default();
        match (event.source.as_str(), event.name.as_str()) {
            ("secretsmanager.amazonaws.com", "CreateSecret") => {
                names.secret.as_deref() == Some(text("name").as_str())
            }
            ("cloudtrail.amazonaws.com", "CreateTrail") => text("name") == names.trail,
            ("s3.amazonaws.com", "CreateBucket") => text("bucketName") == names.bucket,
            ("logs.amazonaws.com", "CreateLogGroup") => text("logGroupName") == names.log_group,
            ("iam.amazonaws.com", "CreateRole") => text("roleName") == names.role,
            ("monitoring.amazonaws.com", "PutMetricAlarm") => text("alarmName") == names.alarm,
            ("sns.amazonaws.com", "CreateTopic") => text("name") == names.topic,
            _ => false,
        }
    })
}

/// The lab as it was just before its cleanup, from the account's write calls in
/// event history (`events`, any order) and what `live` read of what AWS keeps
/// (reads of the secret, the alarm's history, the metric's data). `None` when the
/// history shows no cleanup of the lab, or nothing of it built before one.
pub fn rebuild(live: &Snapshot, events: &[WriteEvent], names: &Names) -> Option<BeforeCleanup> {
    let (account, region) = (live.account.as_str(), live.region.as_str());
    // Event history lists the newest first, to the second: oldest first, and calls
    // within one second in the order they were made.
    let mut events: Vec<&WriteEvent> = events.iter().rev().filter(|e| !e.failed).collect();
    events.sort_by_key(|e| e.time);
    let began = cleanup_began(&events, names, region, account)?;
    let at = events[began].time;
    let mut replay = Replay::default();
    replay.evidence(&events);
    for event in &events[..began] {
        replay.apply(event, account, region);
    }
    if !replay.built_any(names) {
        return None;
    }
    // IAM records its calls in us-east-1's event history, whatever the region.
    let iam_seen = events.iter().any(|e| e.source == "iam.amazonaws.com");
    let lab = replay.snapshot(live, names, iam_seen);
    Some(BeforeCleanup { at, lab })
}

/// Whether events reached the log group, from what AWS keeps after the cleanup:
/// the alarm's history, whose evaluations name the datapoints the metric filter
/// emitted for each event that arrived. The latest of them stands for the latest
/// arrival; with none, the history cannot tell.
pub(super) fn arrivals(live: &Snapshot, names: &Names) -> Read<Vec<LogStream>> {
    let evaluated = live
        .alarm_history
        .get(&names.alarm)
        .and_then(|h| h.as_ref().ok())
        .into_iter()
        .flatten()
        .filter_map(crate::state_change::StateChange::of)
        .filter_map(|c| c.evaluation)
        .flat_map(|e| e.datapoints)
        .map(|p| p.start)
        .max();
    match evaluated {
        Some(start) => Ok(vec![LogStream {
            name: format!("{}_CloudTrail_{}", live.account, live.region),
            last_event_timestamp: Some(start * 1000),
            last_ingestion_time: Some(start * 1000),
        }]),
        None => Err(not_in_history(
            "logs:DescribeLogStreams",
            "which events reached the log group, nor does the alarm's history",
        )),
    }
}

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod tests;
