//! The lab's counted events in CloudTrail's event history, and
//! `trail.event_recorded` (and the Secrets lab's `trail.secret_access_recorded`):
//! CloudTrail has recorded one.
//!
//! An event of the history is one of the lab's counted events when the lab's watch
//! says a metric must count it: the same shapes the metric is judged by, applied to
//! the record as CloudTrail wrote it.

use serde_json::Value;

use super::{Ctx, Judged, Judgement, error, fail, pass, read};
use crate::corpus::Facts;
use crate::snapshot::HistoryEvent;
use crate::watch::Class;

/// The events of the history the lab's watch counts, made by anyone but a separate
/// grader.
pub(super) fn counted_events<'s>(ctx: &Ctx<'s>) -> Result<Vec<&'s HistoryEvent>, Judgement> {
    let subject = ctx.subject()?;
    let watched = read(&ctx.s.watched_events)?;
    Ok(watched
        .events
        .iter()
        .filter(|e| ctx.s.grader.is_none() || e.principal != ctx.s.grader)
        .filter(|e| {
            serde_json::from_str::<Value>(&e.record).is_ok_and(|json| {
                let facts = Facts::of_record(&json, &subject);
                matches!(ctx.w.classify(&facts, &e.record), Class::Count(_))
            })
        })
        .collect())
}

/// ` by {user}`, where the history names who.
pub(super) fn by(event: &HistoryEvent) -> String {
    event
        .user
        .as_deref()
        .map(|u| format!(" by {u}"))
        .unwrap_or_default()
}

/// CloudTrail's event history holds one of the lab's counted events.
pub(super) fn access_recorded(ctx: &Ctx) -> Judged {
    let arn = read(&ctx.s.secret)?.as_ref().map(|s| s.arn.as_str());
    let watched = read(&ctx.s.watched_events)?;
    let looked_at = watched.events.len();
    let ours = counted_events(ctx)?;
    match ours.iter().max_by(|a, b| a.time.cmp(&b.time)) {
        Some(latest) => Ok(pass(
            format!(
                "CloudTrail recorded {} ({} in all), the latest at {}{}",
                ctx.w.one,
                ours.len(),
                latest.time,
                by(latest)
            ),
            arn,
        )),
        // The history goes further back than lab read: an older one may be there.
        None if watched.cut_at.is_some() => Err(error(
            format!(
                "the latest {looked_at} events of CloudTrail's event history, back to {}, hold none of the {}, and lab reads no further back",
                watched.cut_at.as_deref().unwrap_or_default(),
                ctx.w.counts
            ),
            format!(
                "{}, then wait about 5 minutes and check again: the newest events are always read",
                ctx.w.cause
            ),
        )),
        None => Err(fail(
            format!(
                "CloudTrail's event history holds none of the {} (among the {looked_at} events lab looked at)",
                ctx.w.counts
            ),
            format!(
                "{}, then wait about 5 minutes: event history lags behind",
                ctx.w.cause
            ),
            arn,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Request, Teaching, judge};
    use crate::catalogue;
    use crate::finding::{Finding, Status};
    use crate::params::Params;
    use crate::snapshot::{HistoryEvent, Snapshot, WatchedEvents};
    use crate::test_snapshot::*;
    use crate::watch::Watch;

    fn root_watch() -> Watch {
        serde_json::from_str(include_str!("../../tests/data/root-watch.json")).unwrap()
    }

    /// A call at 09:00, when the fixture's alarm fired at 09:06, made as `identity`.
    fn call_by(identity: serde_json::Value, event_type: &str) -> HistoryEvent {
        let record = serde_json::json!({
            "eventVersion": "1.11",
            "userIdentity": identity,
            "eventTime": "2026-11-28T09:00:00Z",
            "eventSource": "iam.amazonaws.com",
            "eventName": "ListUsers",
            "awsRegion": "us-east-1",
            "eventType": event_type,
            "recipientAccountId": "111122223333"
        });
        HistoryEvent {
            time: "2026-11-28T09:00:00Z".into(),
            user: Some("root".into()),
            principal: record["userIdentity"]["arn"].as_str().map(str::to_string),
            record: record.to_string(),
        }
    }

    fn root() -> serde_json::Value {
        serde_json::json!({ "type": "Root", "principalId": "111122223333",
            "arn": "arn:aws:iam::111122223333:root", "accountId": "111122223333" })
    }

    fn judged(id: &str, events: Vec<HistoryEvent>) -> Finding {
        let mut s: Snapshot = correct();
        s.watched_events = Ok(WatchedEvents::all(events));
        let request = [Request {
            spec: catalogue::find(id).unwrap(),
            params: Params::new(),
            stage: 5,
        }];
        judge(&s, &names(), &root_watch(), &Teaching::default(), &request).remove(0)
    }

    #[test]
    fn the_cause_of_an_alarm_is_the_labs_counted_event_not_a_read_of_a_secret() {
        let fired = judged("alarm.fired", vec![call_by(root(), "AwsApiCall")]);
        assert_eq!(fired.status, Status::Pass, "{}", fired.message);
        assert!(
            fired.message.contains("which a use of the root user at"),
            "{}",
            fired.message
        );

        // A coincidental read of a secret explains nothing in this lab.
        let read = secret_read(
            "2026-11-28T09:00:00Z",
            "arn:aws:iam::111122223333:user/learner",
            "TopSecretInfo",
        );
        let fired = judged("alarm.fired", vec![read]);
        assert_eq!(fired.status, Status::Fail, "{}", fired.message);
        assert!(
            fired.message.contains("none of the uses of the root user"),
            "{}",
            fired.message
        );

        // Nor does what a service did for root, or a service event.
        let mut via = root();
        via["invokedBy"] = "support.amazonaws.com".into();
        for event in [
            call_by(via, "AwsApiCall"),
            call_by(root(), "AwsServiceEvent"),
        ] {
            let fired = judged("alarm.fired", vec![event]);
            assert_eq!(fired.status, Status::Fail, "{}", fired.message);
        }
    }

    #[test]
    fn the_recorded_check_looks_for_the_labs_counted_event() {
        let found = judged(
            "trail.event_recorded",
            vec![call_by(root(), "AwsConsoleSignIn")],
        );
        assert_eq!(found.status, Status::Pass, "{}", found.message);
        assert!(
            found.message.contains("a use of the root user (1 in all)"),
            "{}",
            found.message
        );
        assert_eq!(
            found.title,
            "CloudTrail has recorded a use of the root user"
        );
        let none = judged("trail.event_recorded", vec![]);
        assert_eq!(none.status, Status::Fail);
        assert_eq!(
            none.fix.as_deref(),
            Some(
                "sign in as the root user and make a call, then wait about 5 minutes: event history lags behind"
            )
        );
    }
}
