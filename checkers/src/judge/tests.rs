//! Every check against hand-built snapshots: it passes on a correct account, fails
//! for each way the account can be wrong, and is an error when the state cannot be
//! read. No server is involved.

use super::*;
use crate::catalogue;
use crate::params::ParamValue;
use crate::snapshot::*;
use crate::test_snapshot::*;

/// Judges one check (with `params`) on `snapshot`; and, so that every state these
/// tests build also tests the check's scope, judges it again on what a fetch scoped
/// to the check would have read, which must not change the verdict.
pub(super) fn check_with(snapshot: &Snapshot, id: &str, params: Params) -> Finding {
    let spec = catalogue::find(id).expect("a catalogue id");
    let request = [Request {
        spec,
        params,
        stage: 1,
    }];
    let judged = |s: &Snapshot| {
        judge(s, &names(), &lab_watch(), &metric::lab_teaching(), &request).remove(0)
    };
    let finding = judged(snapshot);
    let scoped = judged(&within(snapshot, catalogue::scope_of([spec])));
    assert_eq!(
        finding, scoped,
        "{id} judges differently on its scope alone: its catalogue `reads` miss a part"
    );
    finding
}

pub(super) fn check(snapshot: &Snapshot, id: &str) -> Finding {
    check_with(snapshot, id, Params::new())
}

#[track_caller]
pub(super) fn assert_status(finding: &Finding, status: Status, message_has: &str) {
    assert_eq!(
        finding.status, status,
        "{}: {}",
        finding.id, finding.message
    );
    assert!(
        finding.message.contains(message_has),
        "{}: {:?} lacks {message_has:?}",
        finding.id,
        finding.message
    );
    match status {
        Status::Pass => assert!(finding.fix.is_none(), "{}", finding.id),
        _ => assert!(
            finding.fix.as_deref().is_some_and(|f| !f.is_empty()),
            "{} has no fix",
            finding.id
        ),
    }
}

pub(super) fn with(change: impl FnOnce(&mut Snapshot)) -> Snapshot {
    let mut s = correct();
    change(&mut s);
    s
}

pub(super) fn trail(s: &mut Snapshot) -> &mut Trail {
    &mut s.trails.as_mut().unwrap()[0]
}

pub(super) fn the_alarm(s: &mut Snapshot) -> &mut Alarm {
    &mut s.alarms.as_mut().unwrap()[0]
}

pub(super) fn the_filter(s: &mut Snapshot) -> &mut MetricFilter {
    &mut s.metric_filters.as_mut().unwrap()[0]
}

#[test]
fn a_correct_account_passes_every_check_of_stages_1_to_5() {
    let s = correct();
    for spec in catalogue::CATALOGUE {
        let finding = match spec.id {
            "cleanup.done" => continue,
            "trail.sns_notifications" => check_with(
                &s,
                spec.id,
                Params::from([("enabled".into(), ParamValue::Bool(false))]),
            ),
            id => check(&s, id),
        };
        assert_status(&finding, Status::Pass, "");
        assert!(!finding.message.is_empty());
    }
}

#[test]
fn secret_exists() {
    assert_status(
        &check(&correct(), "secret.exists"),
        Status::Pass,
        "`TopSecretInfo` exists",
    );
    assert_status(
        &check(&with(|s| s.secret = Ok(None)), "secret.exists"),
        Status::Fail,
        "no secret named `TopSecretInfo`",
    );
    let scheduled = with(|s| {
        s.secret.as_mut().unwrap().as_mut().unwrap().deleted_date = Some("2026-12-05".into())
    });
    assert_status(
        &check(&scheduled, "secret.exists"),
        Status::Fail,
        "scheduled for deletion",
    );
    let denied = with(|s| s.secret = Err(denied("secretsmanager:DescribeSecret")));
    let f = check(&denied, "secret.exists");
    assert_status(
        &f,
        Status::Error,
        "access denied to `secretsmanager:DescribeSecret`",
    );
    assert!(f.fix.unwrap().contains("secretsmanager:DescribeSecret"));
}

const READ_AT: &str = "2026-11-28T09:00:00Z";
const LEARNER: &str = "arn:aws:iam::111122223333:user/learner";

#[test]
fn secret_access_recorded() {
    let id = "trail.secret_access_recorded";
    assert_status(
        &check(&correct(), id),
        Status::Pass,
        "CloudTrail recorded a read of the secret (1 in all)",
    );
    let by_arn = with(|s| {
        s.watched_events = Ok(WatchedEvents::all(vec![secret_read(
            READ_AT,
            LEARNER,
            &String::from(SECRET_ARN),
        )]))
    });
    assert_status(&check(&by_arn, id), Status::Pass, "read");
    let partial_arn = with(|s| {
        s.watched_events = Ok(WatchedEvents::all(vec![secret_read(
            READ_AT,
            LEARNER,
            &String::from(SECRET_ARN.trim_end_matches("-AbCdEf")),
        )]))
    });
    assert_status(&check(&partial_arn, id), Status::Pass, "read");
    let other = with(|s| {
        s.watched_events = Ok(WatchedEvents::all(vec![secret_read(
            READ_AT,
            LEARNER,
            &String::from("OtherSecret"),
        )]))
    });
    assert_status(
        &check(&other, id),
        Status::Fail,
        "holds none of the reads of the secret (among the 1 events",
    );
    // A partial ARN is the ARN without its random `-XXXXXX` suffix, not any prefix.
    let prefix_arn = with(|s| {
        s.watched_events = Ok(WatchedEvents::all(vec![secret_read(
            READ_AT,
            LEARNER,
            &String::from("arn:aws:secretsmanager:us-east-1:111122223333:secret:TopSecret"),
        )]))
    });
    assert_status(
        &check(&prefix_arn, id),
        Status::Fail,
        "holds none of the reads",
    );
    let prefix_name = with(|s| {
        s.watched_events = Ok(WatchedEvents::all(vec![secret_read(
            READ_AT,
            LEARNER,
            &String::from("TopSecret"),
        )]))
    });
    assert_status(
        &check(&prefix_name, id),
        Status::Fail,
        "holds none of the reads",
    );
    assert_status(
        &check(
            &with(|s| s.watched_events = Ok(WatchedEvents::default())),
            id,
        ),
        Status::Fail,
        "holds none of the reads",
    );
    let not_implemented = with(|s| {
        s.watched_events = Err(ReadError {
            action: "cloudtrail:LookupEvents".into(),
            kind: ReadErrorKind::NotImplemented,
            detail: "HTTP 500".into(),
        })
    });
    assert_status(
        &check(&not_implemented, id),
        Status::Error,
        "does not implement `cloudtrail:LookupEvents`",
    );
    assert_status(
        &check(&with(|s| s.secret = Ok(None)), id),
        Status::Skipped,
        "`secret.exists` did not pass",
    );
}

#[test]
fn trail_exists_and_logging() {
    assert_status(
        &check(&correct(), "trail.exists"),
        Status::Pass,
        "writes to the bucket",
    );
    let renamed = with(|s| trail(s).name = "other-trail".into());
    assert_status(
        &check(&renamed, "trail.exists"),
        Status::Fail,
        "no trail named `secrets-manager-trail`",
    );
    let no_bucket = with(|s| {
        s.buckets
            .insert(BUCKET.into(), Ok(false))
            .map(|_| ())
            .unwrap_or(())
    });
    assert_status(
        &check(&no_bucket, "trail.exists"),
        Status::Fail,
        "which does not exist",
    );
    let denied_bucket = with(|s| {
        s.buckets
            .insert(BUCKET.into(), Err(denied("s3:ListBucket")));
    });
    assert_status(
        &check(&denied_bucket, "trail.exists"),
        Status::Error,
        "`s3:ListBucket`",
    );
    assert_status(
        &check(
            &with(|s| s.trails = Err(denied("cloudtrail:DescribeTrails"))),
            "trail.exists",
        ),
        Status::Error,
        "DescribeTrails",
    );

    let stopped = with(|s| {
        s.trail_status.insert(
            "secrets-manager-trail".into(),
            Ok(TrailStatus {
                is_logging: false,
                ..TrailStatus::default()
            }),
        );
    });
    assert_status(
        &check(&stopped, "trail.logging"),
        Status::Fail,
        "is not logging",
    );
    let unreadable = with(|s| {
        s.trail_status.insert(
            "secrets-manager-trail".into(),
            Err(denied("cloudtrail:GetTrailStatus")),
        );
    });
    assert_status(
        &check(&unreadable, "trail.logging"),
        Status::Error,
        "GetTrailStatus",
    );
    assert_status(
        &check(&renamed, "trail.logging"),
        Status::Skipped,
        "`trail.exists`",
    );
}

/// `id` judged on `snapshot` for the lab whose watch is the JSON `watch`.
fn check_for_watch(snapshot: &Snapshot, id: &str, watch: &str) -> Finding {
    let watch: crate::watch::Watch = serde_json::from_str(watch).expect("a watch");
    let request = [Request {
        spec: catalogue::find(id).expect("a catalogue id"),
        params: Params::new(),
        stage: 1,
    }];
    judge(
        snapshot,
        &names(),
        &watch,
        &metric::lab_teaching(),
        &request,
    )
    .remove(0)
}

/// The trail must record what each lab's metric counts, whatever the lab: the
/// sources and kinds of event come from its watch.
#[test]
fn trail_management_events_follow_what_the_lab_counts() {
    let root = include_str!("../../tests/data/root-watch.json");
    let trails = include_str!("../../tests/data/trail-watch.json");
    let (m, noisy) = (
        "trail.management_events",
        ["kms.amazonaws.com", "rdsdata.amazonaws.com"],
    );
    // The Secrets lab's selectors (KMS left out) cut the root user's KMS calls.
    let kms_out = with(|s| set_selectors(s, basic(ReadWrite::All, &noisy)));
    assert_status(
        &check_for_watch(&kms_out, m, root),
        Status::Fail,
        "records no management events from AWS KMS (kms.amazonaws.com), so it never sees a use of the root user such as Decrypt",
    );
    let everything = with(|s| set_selectors(s, basic(ReadWrite::All, &[])));
    assert_status(
        &check_for_watch(&everything, m, root),
        Status::Pass,
        "uses of the root user among them",
    );
    // Changes to trails are writes: a read-only trail never sees one.
    let reads_only = with(|s| set_selectors(s, basic(ReadWrite::ReadOnly, &[])));
    assert_status(
        &check_for_watch(&reads_only, m, trails),
        Status::Fail,
        "only read management events, so it never sees CreateTrail (a write)",
    );
    // Leaving out KMS costs the trail lab nothing.
    assert_status(
        &check_for_watch(&kms_out, m, trails),
        Status::Pass,
        "changes to trails among them",
    );
    // An advanced selector that keeps only some of CloudTrail's own calls.
    let some = with(|s| {
        set_selectors(
            s,
            Selectors::Advanced(vec![AdvancedSelector {
                name: None,
                fields: vec![
                    FieldSelector {
                        field: "eventCategory".into(),
                        equals: vec!["Management".into()],
                        ..FieldSelector::default()
                    },
                    FieldSelector {
                        field: "eventName".into(),
                        not_equals: vec!["StopLogging".into()],
                        ..FieldSelector::default()
                    },
                ],
            }]),
        )
    });
    assert_status(
        &check_for_watch(&some, m, trails),
        Status::Fail,
        "leave out StopLogging from cloudtrail.amazonaws.com",
    );
}

#[test]
fn trail_multi_region() {
    assert_status(
        &check(&correct(), "trail.multi_region"),
        Status::Pass,
        "records every region",
    );
    let single = with(|s| trail(s).multi_region = false);
    let f = check(&single, "trail.multi_region");
    assert_status(&f, Status::Fail, "records only us-east-1");
    assert!(
        f.fix.unwrap().contains("--is-multi-region-trail"),
        "the fix says how"
    );
    let gone = with(|s| s.trails = Ok(vec![]));
    assert_status(
        &check(&gone, "trail.multi_region"),
        Status::Skipped,
        "`trail.exists`",
    );
}

fn set_selectors(s: &mut Snapshot, selectors: Selectors) {
    s.selectors
        .insert("secrets-manager-trail".into(), Ok(selectors));
}

fn basic(read_write: ReadWrite, exclude: &[&str]) -> Selectors {
    Selectors::Basic(vec![BasicSelector {
        read_write,
        include_management_events: true,
        exclude_management_event_sources: exclude.iter().map(|x| x.to_string()).collect(),
    }])
}

#[test]
fn trail_management_events_and_exclusions() {
    let (m, x) = ("trail.management_events", "trail.excludes_noisy_sources");
    let noisy = ["kms.amazonaws.com", "rdsdata.amazonaws.com"];
    let writes_only = with(|s| set_selectors(s, basic(ReadWrite::WriteOnly, &noisy)));
    assert_status(
        &check(&writes_only, m),
        Status::Fail,
        "only write management events",
    );
    let reads_only = with(|s| set_selectors(s, basic(ReadWrite::ReadOnly, &noisy)));
    assert_status(
        &check(&reads_only, m),
        Status::Fail,
        "only read management events",
    );
    let secrets_excluded =
        with(|s| set_selectors(s, basic(ReadWrite::All, &["secretsmanager.amazonaws.com"])));
    assert_status(
        &check(&secrets_excluded, m),
        Status::Fail,
        "no management events from Secrets Manager",
    );

    let kms_kept = with(|s| set_selectors(s, basic(ReadWrite::All, &["rdsdata.amazonaws.com"])));
    assert_status(&check(&kms_kept, x), Status::Fail, "kms.amazonaws.com");
    let none_excluded = with(|s| set_selectors(s, basic(ReadWrite::All, &[])));
    assert_status(
        &check(&none_excluded, x),
        Status::Fail,
        "kms.amazonaws.com and rdsdata.amazonaws.com",
    );

    let advanced = with(|s| {
        set_selectors(
            s,
            Selectors::Advanced(vec![AdvancedSelector {
                name: Some("Log all management events except KMS and RDS Data API".into()),
                fields: vec![
                    FieldSelector {
                        field: "eventCategory".into(),
                        equals: vec!["Management".into()],
                        ..Default::default()
                    },
                    FieldSelector {
                        field: "eventSource".into(),
                        not_equals: noisy.iter().map(|x| x.to_string()).collect(),
                        ..Default::default()
                    },
                ],
            }]),
        )
    });
    assert_status(&check(&advanced, m), Status::Pass, "read and write");
    assert_status(&check(&advanced, x), Status::Pass, "leaves out");
    let unknown_field = with(|s| {
        set_selectors(
            s,
            Selectors::Advanced(vec![AdvancedSelector {
                name: None,
                fields: vec![FieldSelector {
                    field: "vpcEndpointId".into(),
                    equals: vec!["vpce-1".into()],
                    ..Default::default()
                }],
            }]),
        )
    });
    assert_status(&check(&unknown_field, m), Status::Error, "`vpcEndpointId`");
    let denied = with(|s| {
        s.selectors.insert(
            "secrets-manager-trail".into(),
            Err(denied("cloudtrail:GetEventSelectors")),
        );
    });
    assert_status(&check(&denied, x), Status::Error, "GetEventSelectors");
}

#[test]
fn trail_sns_notifications_follow_the_parameter() {
    let on = Params::from([("enabled".into(), ParamValue::Bool(true))]);
    let off = Params::from([("enabled".into(), ParamValue::Bool(false))]);
    let id = "trail.sns_notifications";
    let notifying = with(|s| trail(s).sns_topic_arn = Some(TOPIC_ARN.into()));
    assert_status(
        &check_with(&notifying, id, on.clone()),
        Status::Pass,
        "notifies `SecurityAlarms`",
    );
    assert_status(
        &check_with(&notifying, id, off.clone()),
        Status::Fail,
        "still on",
    );
    assert_status(
        &check_with(&correct(), id, on.clone()),
        Status::Fail,
        "is off",
    );
    assert_status(&check_with(&correct(), id, off), Status::Pass, "is off");
    let elsewhere =
        with(|s| trail(s).sns_topic_arn = Some("arn:aws:sns:us-east-1:111122223333:Other".into()));
    assert_status(
        &check_with(&elsewhere, id, on),
        Status::Fail,
        "notifies `Other`, not `SecurityAlarms`",
    );
}

#[test]
fn logs_trail_delivery() {
    let id = "logs.trail_delivery";
    assert_status(
        &check(&correct(), id),
        Status::Pass,
        "delivers to `my-secretsmanager-loggroup` through the role",
    );
    assert_status(
        &check(&with(|s| trail(s).log_group_arn = None), id),
        Status::Fail,
        "does not send its events to CloudWatch Logs",
    );
    let other = with(|s| {
        trail(s).log_group_arn =
            Some("arn:aws:logs:us-east-1:111122223333:log-group:other:*".into())
    });
    let f = check(&other, id);
    assert_status(
        &f,
        Status::Fail,
        "to the log group `other`, not `my-secretsmanager-loggroup`",
    );
    assert!(f.fix.unwrap().contains("--set log_group=other"));
    let gone = with(|s| {
        s.log_groups.insert(GROUP.into(), Ok(None));
    });
    assert_status(
        &check(&gone, id),
        Status::Fail,
        "that log group does not exist",
    );
    assert_status(
        &check(&with(|s| trail(s).logs_role_arn = None), id),
        Status::Fail,
        "no role",
    );
    let no_role = with(|s| {
        s.roles.insert(ROLE.into(), Ok(None));
    });
    assert_status(&check(&no_role, id), Status::Fail, "which does not exist");
    let wrong_trust = with(|s| {
        s.roles.get_mut(ROLE).unwrap().as_mut().unwrap().as_mut().unwrap().trust_policy =
            r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#.into();
    });
    assert_status(
        &check(&wrong_trust, id),
        Status::Fail,
        "CloudTrail cannot assume the role",
    );
    let odd_trust = with(|s| {
        s.roles.get_mut(ROLE).unwrap().as_mut().unwrap().as_mut().unwrap().trust_policy =
            r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}"#.into();
    });
    assert_status(
        &check(&odd_trust, id),
        Status::Error,
        "cannot judge the trust policy",
    );
    let denied_role = with(|s| {
        s.roles.insert(ROLE.into(), Err(denied("iam:GetRole")));
    });
    assert_status(&check(&denied_role, id), Status::Error, "iam:GetRole");
}

#[test]
fn logs_events_arriving() {
    let id = "logs.events_arriving";
    assert_status(&check(&correct(), id), Status::Pass, "events are arriving");
    let empty = with(|s| {
        s.log_streams.insert(GROUP.into(), Ok(vec![]));
    });
    assert_status(&check(&empty, id), Status::Fail, "no events have arrived");
    let silent = with(|s| {
        s.log_streams.insert(
            GROUP.into(),
            Ok(vec![LogStream {
                name: "x".into(),
                last_event_timestamp: None,
                last_ingestion_time: None,
            }]),
        );
    });
    assert_status(&check(&silent, id), Status::Fail, "no events have arrived");
    let denied = with(|s| {
        s.log_streams
            .insert(GROUP.into(), Err(denied("logs:DescribeLogStreams")));
    });
    assert_status(&check(&denied, id), Status::Error, "DescribeLogStreams");
    assert_status(
        &check(&with(|s| trail(s).log_group_arn = None), id),
        Status::Skipped,
        "`logs.trail_delivery`",
    );
}

#[test]
fn sns_topic_and_subscription() {
    assert_status(
        &check(&correct(), "sns.topic"),
        Status::Pass,
        "`SecurityAlarms` exists",
    );
    let other = with(|s| {
        s.topics = Ok(vec![
            "arn:aws:sns:us-east-1:111122223333:SecurityAlarms2".into(),
        ])
    });
    assert_status(
        &check(&other, "sns.topic"),
        Status::Fail,
        "no SNS topic named `SecurityAlarms`",
    );
    assert_status(
        &check(
            &with(|s| s.topics = Err(denied("sns:ListTopics"))),
            "sns.topic",
        ),
        Status::Error,
        "sns:ListTopics",
    );

    let id = "sns.email_confirmed";
    assert_status(&check(&correct(), id), Status::Pass, "learner@example.com");
    let pending = with(|s| {
        s.subscriptions
            .get_mut(TOPIC_ARN)
            .unwrap()
            .as_mut()
            .unwrap()[0]
            .arn = "PendingConfirmation".into();
    });
    assert_status(&check(&pending, id), Status::Fail, "pending confirmation");
    let sqs_only = with(|s| {
        s.subscriptions
            .get_mut(TOPIC_ARN)
            .unwrap()
            .as_mut()
            .unwrap()[0]
            .protocol = "sqs".into();
    });
    assert_status(&check(&sqs_only, id), Status::Fail, "no email subscription");
    let denied = with(|s| {
        s.subscriptions.insert(
            TOPIC_ARN.into(),
            Err(denied("sns:ListSubscriptionsByTopic")),
        );
    });
    assert_status(
        &check(&denied, id),
        Status::Error,
        "ListSubscriptionsByTopic",
    );
    assert_status(&check(&other, id), Status::Skipped, "`sns.topic`");
}

#[test]
fn alarm_exists() {
    let id = "alarm.exists";
    assert_status(
        &check(&correct(), id),
        Status::Pass,
        "watches `SecurityMetrics` / `Secret is accessed`",
    );
    let renamed = with(|s| the_alarm(s).name = "Secret alarm".into());
    assert_status(
        &check(&renamed, id),
        Status::Fail,
        "no alarm named `Secret is accessed` (alarms on the metric: `Secret alarm`)",
    );
    let other_metric = with(|s| the_alarm(s).metric = Some("Secret was accessed".into()));
    assert_status(
        &check(&other_metric, id),
        Status::Fail,
        "watches `SecurityMetrics` / `Secret was accessed`",
    );
    let dims =
        with(|s| the_alarm(s).dimensions = vec![("SecretName".into(), "TopSecretInfo".into())]);
    assert_status(&check(&dims, id), Status::Fail, "never sees data");
    let math = with(|s| {
        the_alarm(s).metric = None;
        the_alarm(s).namespace = None;
    });
    assert_status(&check(&math, id), Status::Error, "metric math");
    assert_status(
        &check(
            &with(|s| s.alarms = Err(denied("cloudwatch:DescribeAlarms"))),
            id,
        ),
        Status::Error,
        "DescribeAlarms",
    );
    // The alarm is judged on the lab's metric even when no filter feeds it yet.
    let no_filter = with(|s| {
        s.metric_filters = Ok(vec![]);
    });
    assert_status(&check(&no_filter, id), Status::Pass, "watches");
}

#[test]
fn alarm_threshold() {
    let id = "alarm.threshold";
    assert_status(
        &check(&correct(), id),
        Status::Pass,
        "met by a count of one (a read of the secret)",
    );
    let ok_variants: [fn(&mut Alarm); 3] = [
        |a| a.period = Some(300),
        |a| {
            a.comparison = Some("GreaterThanThreshold".into());
            a.threshold = Some(0.0);
        },
        |a| {
            a.evaluation_periods = Some(3);
            a.datapoints_to_alarm = Some(1);
        },
    ];
    for variant in ok_variants {
        assert_status(
            &check(&with(|s| variant(the_alarm(s))), id),
            Status::Pass,
            "met by a count of one (a read of the secret)",
        );
    }
    type Change = fn(&mut Alarm);
    let bad: [(Change, &str); 6] = [
        (
            |a| a.threshold = Some(2.0),
            "not crossed by a count of one (a read of the secret",
        ),
        (
            |a| a.threshold = Some(0.0),
            "not crossed by a count of one (a read of the secret",
        ),
        (
            |a| a.comparison = Some("LessThanThreshold".into()),
            "LessThanThreshold",
        ),
        (|a| a.period = Some(600), "600 seconds"),
        (
            |a| a.datapoints_to_alarm = Some(2),
            "needs 2 breaching datapoints",
        ),
        (
            |a| {
                a.datapoints_to_alarm = None;
                a.evaluation_periods = Some(3);
            },
            "needs 3",
        ),
    ];
    for (change, why) in bad {
        assert_status(
            &check(&with(|s| change(the_alarm(s))), id),
            Status::Fail,
            why,
        );
    }
}

#[test]
fn alarm_notifies_topic() {
    let id = "alarm.notifies_topic";
    assert_status(
        &check(&correct(), id),
        Status::Pass,
        "notifies `SecurityAlarms`",
    );
    assert_status(
        &check(&with(|s| the_alarm(s).actions_enabled = false), id),
        Status::Fail,
        "actions disabled",
    );
    let ok_only = with(|s| {
        the_alarm(s).alarm_actions.clear();
        the_alarm(s).ok_actions = vec![TOPIC_ARN.into()];
    });
    assert_status(&check(&ok_only, id), Status::Fail, "only on OK");
    let other = with(|s| {
        the_alarm(s).alarm_actions = vec!["arn:aws:sns:us-east-1:111122223333:Other".into()]
    });
    assert_status(&check(&other, id), Status::Fail, "Other");
    assert_status(
        &check(&with(|s| s.topics = Ok(vec![])), id),
        Status::Skipped,
        "`sns.topic`",
    );
}

#[test]
fn alarm_statistic_follows_the_filters_default_value() {
    let id = "alarm.statistic";
    let stat = |name: &str| {
        let name = name.to_string();
        with(move |s| the_alarm(s).statistic = Some(name))
    };
    assert_status(&check(&stat("Sum"), id), Status::Pass, "Sum");
    assert_status(&check(&stat("Maximum"), id), Status::Pass, "Maximum");
    assert_status(
        &check(&stat("Average"), id),
        Status::Fail,
        "only event in its period",
    );
    assert_status(
        &check(&stat("Minimum"), id),
        Status::Fail,
        "minimum reaches 1 only when a read of the secret is the only event",
    );
    assert_status(
        &check(&stat("SampleCount"), id),
        Status::Fail,
        "counts every CloudTrail event",
    );
    // Without a default value only reads emit data, and every statistic sees a 1.
    let no_default = with(|s| {
        the_alarm(s).statistic = Some("Average".into());
        the_filter(s).transformations[0].default_value = None;
    });
    assert_status(&check(&no_default, id), Status::Pass, "no default value");
    let percentile = with(|s| {
        the_alarm(s).statistic = None;
        the_alarm(s).extended_statistic = Some("p99".into());
    });
    assert_status(&check(&percentile, id), Status::Error, "p99");
}

#[test]
fn alarm_fired_only_counts_the_metric_not_a_manual_test() {
    let id = "alarm.fired";
    assert_status(&check(&correct(), id), Status::Pass, "went into ALARM");
    let manual = with(|s| {
        s.alarm_history.insert(
            ALARM.into(),
            Ok(vec![AlarmHistoryItem {
                timestamp: "2026-11-28T09:03:00Z".into(),
                summary: "Alarm updated from OK to ALARM".into(),
                data: r#"{"oldState":{"stateValue":"OK"},"newState":{"stateValue":"ALARM","stateReason":"Manually triggered for testing"}}"#.into(),
            }]),
        );
    });
    assert_status(
        &check(&manual, id),
        Status::Fail,
        "only been put into ALARM by hand",
    );
    let never = with(|s| {
        s.alarm_history.insert(ALARM.into(), Ok(vec![]));
    });
    assert_status(&check(&never, id), Status::Fail, "never gone into ALARM");
    let now = with(|s| {
        s.alarm_history.insert(ALARM.into(), Ok(vec![]));
        the_alarm(s).state = Some("ALARM".into());
    });
    assert_status(
        &check(&now, id),
        Status::Error,
        "cannot tell whether a read of the secret caused it",
    );
    let manual_now = with(|s| {
        s.alarm_history.insert(ALARM.into(), Ok(vec![]));
        the_alarm(s).state = Some("ALARM".into());
        the_alarm(s).state_reason_data = None;
    });
    assert_status(
        &check(&manual_now, id),
        Status::Fail,
        "never gone into ALARM",
    );
    let unreadable = with(|s| {
        s.alarm_history.insert(
            ALARM.into(),
            Err(ReadError {
                action: "cloudwatch:DescribeAlarmHistory".into(),
                kind: ReadErrorKind::NotImplemented,
                detail: "HTTP 500".into(),
            }),
        );
    });
    assert_status(
        &check(&unreadable, id),
        Status::Error,
        "DescribeAlarmHistory",
    );
}

#[test]
fn alarm_fired_needs_a_read_of_the_secret_before_the_alarm() {
    let id = "alarm.fired";
    let read_at = |time: &str, principal: &str, secret: &str| {
        let (time, principal, secret) =
            (time.to_string(), principal.to_string(), secret.to_string());
        with(move |s| {
            s.watched_events = Ok(WatchedEvents::all(vec![secret_read(
                &time, &principal, &secret,
            )]));
        })
    };
    let learner = "arn:aws:iam::111122223333:user/learner";
    // The fixture's ALARM is at 09:06; a read at 09:00 caused it.
    assert_status(
        &check(
            &read_at("2026-11-28T09:00:00Z", learner, "TopSecretInfo"),
            id,
        ),
        Status::Pass,
        "which a read of the secret at 2026-11-28T09:00:00Z by learner was delivered into",
    );
    // An ALARM with no read delivered into its breaching minute (09:05): long
    // before, after it, or of another secret.
    for (time, secret) in [
        ("2026-11-28T08:40:00Z", "TopSecretInfo"),
        ("2026-11-28T09:06:00Z", "TopSecretInfo"),
        ("2026-11-28T09:00:00Z", "OtherSecret"),
    ] {
        assert_status(
            &check(&read_at(time, learner, secret), id),
            Status::Fail,
            "none of the reads of the secret in CloudTrail's event history was delivered into the periods that crossed the threshold",
        );
    }
    let none = with(|s| s.watched_events = Ok(WatchedEvents::default()));
    assert_status(
        &check(&none, id),
        Status::Fail,
        "something else fed the metric",
    );
    // A class's grader never reads the secret; if its role did, that read is not the
    // learner's.
    let grader = "arn:aws:sts::111122223333:assumed-role/OrganizationAccountAccessRole/lab-grader";
    let mut by_grader = read_at("2026-11-28T09:00:00Z", grader, "TopSecretInfo");
    by_grader.grader = Some(grader.into());
    assert_status(&check(&by_grader, id), Status::Fail, "none of the reads");
    let mut by_learner_graded = read_at("2026-11-28T09:00:00Z", learner, "TopSecretInfo");
    by_learner_graded.grader = Some(grader.into());
    assert_status(
        &check(&by_learner_graded, id),
        Status::Pass,
        "delivered into",
    );
    let unreadable = with(|s| s.watched_events = Err(denied("cloudtrail:LookupEvents")));
    assert_status(
        &check(&unreadable, id),
        Status::Error,
        "cloudtrail:LookupEvents",
    );
    // A busy history: lab read back only to 09:30, after the ALARM's period. Whether
    // a read caused it is unknown, not false.
    let cut_short = with(|s| {
        s.watched_events = Ok(WatchedEvents {
            events: vec![secret_read("2026-11-28T09:40:00Z", learner, "OtherSecret")],
            cut_at: Some("2026-11-28T09:30:00Z".into()),
        })
    });
    assert_status(
        &check(&cut_short, id),
        Status::Error,
        "earlier than the events lab reads from CloudTrail's event history reach back",
    );
    // Cut short, but still reaching back past the period: judged as before.
    let reaching = with(|s| {
        s.watched_events = Ok(WatchedEvents {
            events: vec![secret_read("2026-11-28T09:00:00Z", learner, "OtherSecret")],
            cut_at: Some("2026-11-28T08:00:00Z".into()),
        })
    });
    assert_status(
        &check(&reaching, id),
        Status::Fail,
        "something else fed the metric",
    );
    assert_status(
        &check(&cut_short, "trail.secret_access_recorded"),
        Status::Error,
        "back to 2026-11-28T09:30:00Z, hold none of the reads of the secret",
    );
    assert_status(
        &check(&reaching, "trail.secret_access_recorded"),
        Status::Error,
        "lab reads no further back",
    );
}

#[test]
fn cleanup_done() {
    let id = "cleanup.done";
    let f = check(&correct(), id);
    assert_status(&f, Status::Fail, "still there");
    for what in [
        "secret `TopSecretInfo`",
        "trail",
        "bucket",
        "log group",
        "role",
        "alarm",
        "topic",
    ] {
        assert!(
            f.message.contains(what),
            "{what} missing from {}",
            f.message
        );
    }
    let empty = with(|s| {
        s.secret = Ok(None);
        s.trails = Ok(vec![]);
        s.buckets.insert(BUCKET.into(), Ok(false));
        s.log_groups.insert(GROUP.into(), Ok(None));
        s.roles.insert(ROLE.into(), Ok(None));
        s.alarms = Ok(vec![]);
        s.topics = Ok(vec![
            "arn:aws:sns:us-east-1:111122223333:SecurityAlarms2".into(),
        ]);
        // The history shows the lab was built: what is gone was cleaned up.
        s.write_history = Ok(vec![WriteEvent {
            time: 100,
            source: "secretsmanager.amazonaws.com".into(),
            name: "CreateSecret".into(),
            request: serde_json::json!({"name": "TopSecretInfo"}),
            response: serde_json::Value::Null,
            failed: false,
        }]);
    });
    assert_status(
        &check(&empty, id),
        Status::Pass,
        "none of the lab's resources remain",
    );
    // Nothing there, and nothing ever built: no cleanup to credit.
    let never_built = with(|s| {
        *s = empty.clone();
        s.write_history = Ok(vec![]);
    });
    assert_status(
        &check(&never_built, id),
        Status::Fail,
        "none was ever created here",
    );
    let history_unread = with(|s| {
        *s = empty.clone();
        s.write_history = Err(denied("cloudtrail:LookupEvents"));
    });
    assert_status(&check(&history_unread, id), Status::Error, "LookupEvents");
    let scheduled = with(|s| {
        *s = empty.clone();
        s.secret = Ok(Some(Secret {
            arn: SECRET_ARN.into(),
            name: "TopSecretInfo".into(),
            deleted_date: Some("2026-12-05".into()),
        }));
    });
    assert_status(&check(&scheduled, id), Status::Pass, "none");
    let one_left = with(|s| {
        *s = empty.clone();
        s.alarms = Ok(vec![alarm()]);
        s.roles.insert(ROLE.into(), Err(denied("iam:GetRole")));
    });
    let f = check(&one_left, id);
    assert_status(
        &f,
        Status::Fail,
        "still there: alarm `Secret is accessed`; could not check: role",
    );
    let unknown = with(|s| {
        *s = empty.clone();
        s.roles.insert(ROLE.into(), Err(denied("iam:GetRole")));
    });
    assert_status(&check(&unknown, id), Status::Error, "iam:GetRole");
    let never_read = with(|s| {
        *s = empty.clone();
        s.buckets.clear();
    });
    assert_status(&check(&never_read, id), Status::Error, "was not read");
}

#[test]
fn fixes_name_the_stage_and_pattern_the_lessons_teach() {
    let mut empty = correct();
    empty.secret = Ok(None);
    let spec = catalogue::find("secret.exists").unwrap();
    let request = [Request {
        spec,
        params: Params::new(),
        stage: 1,
    }];
    let mut teaching = metric::lab_teaching();
    let fix = |teaching: &Teaching| {
        judge(&empty, &names(), &lab_watch(), teaching, &request)[0]
            .fix
            .clone()
            .unwrap_or_default()
    };
    assert!(fix(&teaching).contains("(stage 1)"), "{}", fix(&teaching));
    teaching.stages.insert(Check::SecretExists, 6);
    assert!(fix(&teaching).contains("(stage 6)"), "{}", fix(&teaching));
    teaching.stages.clear();
    assert!(!fix(&teaching).contains("stage"), "{}", fix(&teaching));
}

#[test]
fn findings_carry_stage_title_and_resource() {
    let spec = catalogue::find("secret.exists").unwrap();
    let findings = judge(
        &correct(),
        &names(),
        &lab_watch(),
        &metric::lab_teaching(),
        &[Request {
            spec,
            params: Params::new(),
            stage: 1,
        }],
    );
    assert_eq!(findings[0].stage, 1);
    assert_eq!(findings[0].title, spec.title);
    assert_eq!(findings[0].resource.as_deref(), Some(SECRET_ARN));
}
