//! The links from a read to the inbox, one case per test: each way AWS would let
//! the email fail to arrive (or arrive with no read) fails the check that owns the
//! link, for the right reason; each unusual but correct form still passes; and what
//! lab cannot read or decide is an error. The whole path's first break is named.

use super::tests::{assert_status, check, check_with, the_alarm, the_filter, trail, with};
use super::*;
use crate::catalogue;
use crate::path::{Link, diagnose};
use crate::snapshot::*;
use crate::test_snapshot::*;

const STREAM: &str = "arn:aws:logs:us-east-1:111122223333:log-group:my-secretsmanager-loggroup:log-stream:111122223333_CloudTrail_us-east-1*";

fn role_allows(statements: &str) -> Snapshot {
    let document = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
    with(|s| {
        s.role_policies.insert(
            ROLE.into(),
            Ok(RolePolicies {
                documents: vec![document],
                boundary: None,
            }),
        );
    })
}

fn allow(actions: &str, resource: &str) -> String {
    format!(r#"{{"Effect":"Allow","Action":{actions},"Resource":"{resource}"}}"#)
}

// logs.trail_delivery: where, and a role CloudTrail may assume *and write with*.

#[test]
fn delivery_passes_with_the_consoles_role() {
    assert_status(
        &check(&correct(), "logs.trail_delivery"),
        Status::Pass,
        "may assume and write with",
    );
}

#[test]
fn delivery_fails_when_the_role_may_only_create_streams() {
    let s = role_allows(&allow(r#"["logs:CreateLogStream"]"#, STREAM));
    assert_status(
        &check(&s, "logs.trail_delivery"),
        Status::Fail,
        "may not call `logs:PutLogEvents`",
    );
}

#[test]
fn delivery_fails_when_the_role_may_write_only_to_another_group() {
    let s = role_allows(&allow(
        r#"["logs:CreateLogStream","logs:PutLogEvents"]"#,
        "arn:aws:logs:us-east-1:111122223333:log-group:other-group:*",
    ));
    assert_status(
        &check(&s, "logs.trail_delivery"),
        Status::Fail,
        "may not call `logs:CreateLogStream`",
    );
}

#[test]
fn delivery_fails_when_a_deny_stops_the_writes() {
    let statements = format!(
        r#"{},{{"Effect":"Deny","Action":"logs:PutLogEvents","Resource":"*"}}"#,
        allow(r#"["logs:CreateLogStream","logs:PutLogEvents"]"#, STREAM)
    );
    assert_status(
        &check(&role_allows(&statements), "logs.trail_delivery"),
        Status::Fail,
        "a Deny statement stops logs:PutLogEvents",
    );
}

#[test]
fn delivery_passes_with_a_broad_managed_policy() {
    let s = role_allows(&allow(r#""logs:*""#, "*"));
    assert_status(
        &check(&s, "logs.trail_delivery"),
        Status::Pass,
        "write with",
    );
}

#[test]
fn delivery_fails_when_the_boundary_leaves_logs_out() {
    let s = with(|s| {
        s.role_policies.insert(
            ROLE.into(),
            Ok(RolePolicies {
                documents: vec![role_policy()],
                boundary: Some(
                    r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#.into(),
                ),
            }),
        );
    });
    assert_status(
        &check(&s, "logs.trail_delivery"),
        Status::Fail,
        "its permissions boundary stops it",
    );
}

#[test]
fn delivery_passes_within_a_boundary_that_allows_logs() {
    let s = with(|s| {
        s.role_policies.insert(
            ROLE.into(),
            Ok(RolePolicies {
                documents: vec![role_policy()],
                boundary: Some(
                    r#"{"Statement":[{"Effect":"Allow","Action":"logs:*","Resource":"*"}]}"#.into(),
                ),
            }),
        );
    });
    assert_status(
        &check(&s, "logs.trail_delivery"),
        Status::Pass,
        "write with",
    );
}

#[test]
fn delivery_is_an_error_when_a_condition_cannot_be_read() {
    let s = role_allows(
        r#"{"Effect":"Allow","Action":"logs:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"a"}}}"#,
    );
    assert_status(
        &check(&s, "logs.trail_delivery"),
        Status::Error,
        "cannot judge whether the role",
    );
}

#[test]
fn delivery_is_an_error_when_the_role_policies_cannot_be_read() {
    let s = with(|s| {
        s.role_policies
            .insert(ROLE.into(), Err(denied("iam:ListRolePolicies")));
    });
    assert_status(
        &check(&s, "logs.trail_delivery"),
        Status::Error,
        "iam:ListRolePolicies",
    );
}

#[test]
fn delivery_fails_to_a_log_group_in_another_region() {
    let s = with(|s| {
        trail(s).log_group_arn = Some(format!(
            "arn:aws:logs:eu-west-1:111122223333:log-group:{GROUP}:*"
        ));
    });
    assert_status(
        &check(&s, "logs.trail_delivery"),
        Status::Fail,
        "in account 111122223333 and eu-west-1",
    );
}

#[test]
fn delivery_fails_to_a_log_group_in_another_account() {
    let s = with(|s| {
        trail(s).log_group_arn = Some(format!(
            "arn:aws:logs:us-east-1:999999999999:log-group:{GROUP}:*"
        ));
    });
    assert_status(
        &check(&s, "logs.trail_delivery"),
        Status::Fail,
        "not in this account (111122223333)",
    );
}

#[test]
fn delivery_fails_for_a_trail_homed_in_another_region() {
    let s = with(|s| trail(s).home_region = Some("eu-west-1".into()));
    assert_status(
        &check(&s, "logs.trail_delivery"),
        Status::Fail,
        "belongs to eu-west-1",
    );
}

// logs.events_arriving: they arrive, and go on arriving.

fn status(change: impl FnOnce(&mut TrailStatus)) -> Snapshot {
    with(|s| {
        let status = s
            .trail_status
            .get_mut("secrets-manager-trail")
            .unwrap()
            .as_mut()
            .unwrap();
        change(status);
    })
}

#[test]
fn arriving_fails_on_a_delivery_error_with_no_delivery_since() {
    let s = status(|t| {
        t.latest_logs_delivery_error = Some("AccessDenied".into());
        t.latest_logs_delivery = Some(1_795_850_000);
    });
    assert_status(
        &check(&s, "logs.events_arriving"),
        Status::Fail,
        "cannot deliver the trail `secrets-manager-trail`'s events to CloudWatch Logs: AccessDenied",
    );
}

#[test]
fn arriving_passes_when_delivery_recovered_from_an_old_error() {
    let s = status(|t| t.latest_logs_delivery_error = Some("AccessDenied".into()));
    assert_status(&check(&s, "logs.events_arriving"), Status::Pass, "arriving");
}

#[test]
fn arriving_fails_when_events_stopped_while_the_trail_goes_on() {
    let s = status(|t| t.latest_delivery = Some(1_795_856_700 + 3 * 3600));
    assert_status(
        &check(&s, "logs.events_arriving"),
        Status::Fail,
        "events stopped arriving",
    );
}

#[test]
fn arriving_passes_on_existence_where_the_trail_says_nothing_of_its_deliveries() {
    let s = status(|t| {
        t.latest_delivery = None;
        t.latest_logs_delivery = None;
    });
    assert_status(&check(&s, "logs.events_arriving"), Status::Pass, "arriving");
}

// alarm.exists: the alarm sees the data, unit included.

#[test]
fn an_alarm_in_another_unit_never_sees_the_data() {
    let s = with(|s| the_alarm(s).unit = Some("Seconds".into()));
    assert_status(
        &check(&s, "alarm.exists"),
        Status::Fail,
        "only looks at data in the unit `Seconds`, but the metric filter `GetSecretValue` stores it in `None`",
    );
}

#[test]
fn an_alarm_in_the_filters_unit_sees_it() {
    let s = with(|s| {
        the_alarm(s).unit = Some("Count".into());
        the_filter(s).transformations[0].unit = Some("Count".into());
    });
    assert_status(&check(&s, "alarm.exists"), Status::Pass, "watches");
}

#[test]
fn an_alarm_naming_the_unit_none_sees_a_filter_without_one() {
    let s = with(|s| the_alarm(s).unit = Some("None".into()));
    assert_status(&check(&s, "alarm.exists"), Status::Pass, "watches");
}

#[test]
fn an_alarm_with_a_unit_before_any_filter_is_judged_on_the_lessons_filter() {
    let s = with(|s| {
        the_alarm(s).unit = Some("Count".into());
        s.metric_filters = Ok(vec![]);
    });
    assert_status(
        &check(&s, "alarm.exists"),
        Status::Fail,
        "the metric filter the lab builds stores it in `None`",
    );
}

// alarm.threshold: one read crosses it, and nothing but reads does.

#[test]
fn missing_data_treated_as_breaching_fires_with_no_read() {
    let s = with(|s| the_alarm(s).treat_missing_data = Some("breaching".into()));
    assert_status(
        &check(&s, "alarm.threshold"),
        Status::Fail,
        "treats missing data as breaching",
    );
}

#[test]
fn missing_data_treated_as_not_breaching_is_fine() {
    let s = with(|s| the_alarm(s).treat_missing_data = Some("notBreaching".into()));
    assert_status(&check(&s, "alarm.threshold"), Status::Pass, "count of one");
}

#[test]
fn a_period_under_a_minute_often_sees_no_data() {
    let s = with(|s| the_alarm(s).period = Some(30));
    assert_status(
        &check(&s, "alarm.threshold"),
        Status::Fail,
        "shorter than the minute",
    );
}

// sns.accepts_alarms: the topic policy and the key.

fn topic(policy: Option<&str>, key: Option<&str>) -> Snapshot {
    let (policy, key) = (policy.map(str::to_string), key.map(str::to_string));
    with(|s| {
        s.topic_attributes.insert(
            TOPIC_ARN.into(),
            Ok(TopicAttributes {
                policy,
                kms_key: key,
            }),
        );
    })
}

fn publish(principal: &str, condition: &str) -> String {
    format!(
        r#"{{"Statement":[{{"Effect":"Allow","Principal":{principal},"Action":"sns:Publish","Resource":"{TOPIC_ARN}"{condition}}}]}}"#
    )
}

#[test]
fn the_default_topic_policy_lets_the_accounts_alarms_publish() {
    assert_status(
        &check(&correct(), "sns.accepts_alarms"),
        Status::Pass,
        "lets CloudWatch publish",
    );
}

#[test]
fn a_topic_policy_for_cloudtrail_alone_stops_the_alarm() {
    let policy = publish(r#"{"Service":"cloudtrail.amazonaws.com"}"#, "");
    assert_status(
        &check(&topic(Some(&policy), None), "sns.accepts_alarms"),
        Status::Fail,
        "stops CloudWatch from publishing",
    );
}

#[test]
fn an_explicit_deny_of_cloudwatch_stops_it() {
    let policy = format!(
        r#"{{"Statement":[{},{{"Effect":"Deny","Principal":{{"Service":"cloudwatch.amazonaws.com"}},"Action":"sns:Publish","Resource":"*"}}]}}"#,
        &default_topic_policy()
            [default_topic_policy().find("{\"Sid\"").unwrap()..default_topic_policy().len() - 2]
    );
    assert_status(
        &check(&topic(Some(&policy), None), "sns.accepts_alarms"),
        Status::Fail,
        "a Deny statement stops sns:Publish",
    );
}

#[test]
fn a_policy_for_this_alarm_only_passes() {
    let policy = publish(
        r#"{"Service":"cloudwatch.amazonaws.com"}"#,
        r#","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:cloudwatch:us-east-1:111122223333:alarm:Secret*"}}"#,
    );
    assert_status(
        &check(&topic(Some(&policy), None), "sns.accepts_alarms"),
        Status::Pass,
        "lets CloudWatch publish",
    );
}

#[test]
fn a_policy_for_another_alarm_only_stops_this_one() {
    let policy = publish(
        r#"{"Service":"cloudwatch.amazonaws.com"}"#,
        r#","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:cloudwatch:us-east-1:111122223333:alarm:Other"}}"#,
    );
    assert_status(
        &check(&topic(Some(&policy), None), "sns.accepts_alarms"),
        Status::Fail,
        "stops CloudWatch",
    );
}

#[test]
fn a_policy_condition_lab_cannot_read_is_an_error() {
    let policy = publish(
        r#"{"Service":"cloudwatch.amazonaws.com"}"#,
        r#","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#,
    );
    assert_status(
        &check(&topic(Some(&policy), None), "sns.accepts_alarms"),
        Status::Error,
        "cannot judge whether CloudWatch may publish",
    );
}

#[test]
fn the_aws_managed_sns_key_cannot_be_used_by_alarms() {
    let s = topic(Some(&default_topic_policy()), Some("alias/aws/sns"));
    assert_status(
        &check(&s, "sns.accepts_alarms"),
        Status::Fail,
        "the AWS managed key `alias/aws/sns`, which CloudWatch alarms cannot use",
    );
}

const KEY_ARN: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn encrypted(key: Key) -> Snapshot {
    let mut s = topic(Some(&default_topic_policy()), Some("alias/alarms"));
    s.topic_keys.insert("alias/alarms".into(), Ok(key));
    s
}

fn key(policy: &str) -> Key {
    Key {
        arn: KEY_ARN.into(),
        aws_managed: false,
        state: "Enabled".into(),
        policy: policy.into(),
    }
}

const ROOT_ONLY: &str = r#"{"Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#;

fn for_cloudwatch() -> String {
    format!(
        r#"{{"Statement":[{},{{"Sid":"Allow_CloudWatch_for_CMK","Effect":"Allow","Principal":{{"Service":"cloudwatch.amazonaws.com"}},"Action":["kms:Decrypt","kms:GenerateDataKey*"],"Resource":"*"}}]}}"#,
        &ROOT_ONLY[ROOT_ONLY.find("{\"Sid\"").unwrap()..ROOT_ONLY.len() - 2]
    )
}

#[test]
fn a_customer_key_whose_policy_grants_cloudwatch_passes() {
    assert_status(
        &check(&encrypted(key(&for_cloudwatch())), "sns.accepts_alarms"),
        Status::Pass,
        "CloudWatch may use its encryption key",
    );
}

#[test]
fn a_customer_key_with_the_default_key_policy_stops_cloudwatch() {
    assert_status(
        &check(&encrypted(key(ROOT_ONLY)), "sns.accepts_alarms"),
        Status::Fail,
        "does not let CloudWatch call kms:GenerateDataKey",
    );
}

#[test]
fn a_disabled_key_stops_cloudwatch() {
    let mut disabled = key(&for_cloudwatch());
    disabled.state = "Disabled".into();
    assert_status(
        &check(&encrypted(disabled), "sns.accepts_alarms"),
        Status::Fail,
        "is Disabled",
    );
}

#[test]
fn another_services_aws_managed_key_stops_cloudwatch() {
    let mut managed = key(ROOT_ONLY);
    managed.aws_managed = true;
    assert_status(
        &check(&encrypted(managed), "sns.accepts_alarms"),
        Status::Fail,
        "a key AWS manages for another service",
    );
}

#[test]
fn a_key_lab_cannot_read_is_an_error() {
    let mut s = topic(Some(&default_topic_policy()), Some("alias/alarms"));
    s.topic_keys
        .insert("alias/alarms".into(), Err(denied("kms:GetKeyPolicy")));
    assert_status(
        &check(&s, "sns.accepts_alarms"),
        Status::Error,
        "kms:GetKeyPolicy",
    );
}

// sns.email_confirmed: a confirmed inbox that takes the alarm's notifications.

fn filtered(policy: &str, scope: Option<&str>) -> Snapshot {
    let (policy, scope) = (policy.to_string(), scope.map(str::to_string));
    with(|s| {
        s.subscription_attributes.insert(
            SUBSCRIPTION_ARN.into(),
            Ok(SubscriptionAttributes {
                filter_policy: Some(policy),
                filter_policy_scope: scope,
            }),
        );
    })
}

#[test]
fn a_filter_on_attributes_drops_every_alarm_notification() {
    let s = filtered(r#"{"severity":["high"]}"#, None);
    assert_status(
        &check(&s, "sns.email_confirmed"),
        Status::Fail,
        "the email can't arrive: the subscription of `learner@example.com` has a filter policy that drops the alarm's notifications \
         (it needs the message attribute `severity`, and the message carries no attributes)",
    );
}

#[test]
fn exists_false_on_attributes_drops_them_too() {
    let s = filtered(r#"{"store":[{"exists":false}]}"#, Some("MessageAttributes"));
    assert_status(
        &check(&s, "sns.email_confirmed"),
        Status::Fail,
        "drops the alarm's notifications",
    );
}

#[test]
fn a_body_filter_that_takes_alarms_passes() {
    let s = filtered(r#"{"NewStateValue":["ALARM"]}"#, Some("MessageBody"));
    assert_status(
        &check(&s, "sns.email_confirmed"),
        Status::Pass,
        "its filter policy takes the alarm's notifications",
    );
}

#[test]
fn a_body_filter_on_the_alarms_name_passes() {
    let s = filtered(
        r#"{"AlarmName":[{"prefix":"Secret"}],"Trigger":{"Namespace":["SecurityMetrics"]}}"#,
        Some("MessageBody"),
    );
    assert_status(&check(&s, "sns.email_confirmed"), Status::Pass, "takes");
}

#[test]
fn a_body_filter_for_ok_only_drops_alarms() {
    let s = filtered(r#"{"NewStateValue":["OK"]}"#, Some("MessageBody"));
    assert_status(
        &check(&s, "sns.email_confirmed"),
        Status::Fail,
        "`NewStateValue` is \"ALARM\"",
    );
}

#[test]
fn a_body_filter_that_takes_only_some_alarms_fails() {
    // An alarm goes into ALARM from INSUFFICIENT_DATA too (after a quiet spell).
    let s = filtered(r#"{"OldStateValue":["OK"]}"#, Some("MessageBody"));
    assert_status(
        &check(&s, "sns.email_confirmed"),
        Status::Fail,
        "`OldStateValue` is \"INSUFFICIENT_DATA\"",
    );
}

#[test]
fn one_inbox_that_takes_them_is_enough() {
    let mut s = filtered(r#"{"severity":["high"]}"#, None);
    let second =
        "arn:aws:sns:us-east-1:111122223333:SecurityAlarms:11111111-2222-3333-4444-555555555555";
    s.subscriptions
        .get_mut(TOPIC_ARN)
        .unwrap()
        .as_mut()
        .unwrap()
        .push(Subscription {
            arn: second.into(),
            protocol: "email".into(),
            endpoint: "team@example.com".into(),
        });
    s.subscription_attributes
        .insert(second.into(), Ok(SubscriptionAttributes::default()));
    assert_status(
        &check(&s, "sns.email_confirmed"),
        Status::Pass,
        "`team@example.com` is subscribed",
    );
}

#[test]
fn a_filter_operator_lab_does_not_know_is_an_error() {
    let s = filtered(r#"{"AlarmName":[{"regex":"^S"}]}"#, Some("MessageBody"));
    assert_status(
        &check(&s, "sns.email_confirmed"),
        Status::Error,
        "cannot judge the filter policy",
    );
}

#[test]
fn subscription_settings_lab_cannot_read_are_an_error() {
    let s = with(|s| {
        s.subscription_attributes.insert(
            SUBSCRIPTION_ARN.into(),
            Err(denied("sns:GetSubscriptionAttributes")),
        );
    });
    assert_status(
        &check(&s, "sns.email_confirmed"),
        Status::Error,
        "sns:GetSubscriptionAttributes",
    );
}

// alarm.fired, by cause.

#[test]
fn an_alarm_set_by_hand_with_made_up_reason_data_does_not_count() {
    // `set-alarm-state --state-reason-data` claims an Average of 1; the metric's
    // stored Average for that minute was 0.05.
    let s = with(|s| {
        s.alarm_history.insert(
            ALARM.into(),
            Ok(vec![AlarmHistoryItem {
                timestamp: ALARMED_AT.into(),
                summary: "Alarm updated from OK to ALARM".into(),
                data: alarm_change("Average", "2026-11-28T09:05:00.000+0000", 1.0),
            }]),
        );
        s.metric_data.insert(
            ALARMED_AT.into(),
            Ok(vec![MetricPoint {
                start: 1_795_856_700,
                value: 0.05,
            }]),
        );
    });
    assert_status(
        &check(&s, "alarm.fired"),
        Status::Fail,
        "the metric's stored data never crossed the threshold",
    );
}

#[test]
fn re_putting_the_filter_after_the_alarm_fired_costs_nothing() {
    let s = with(|s| the_filter(s).created = Some(1_795_857_000_000));
    assert_status(&check(&s, "alarm.fired"), Status::Pass, "delivered into");
}

#[test]
fn a_read_long_before_the_filter_existed_was_not_counted() {
    // The filter appeared at 09:04:50, just before the ALARM; the only read was at
    // 08:44, long enough before that it had been delivered already.
    let s = with(|s| {
        the_filter(s).created = Some(1_795_856_690_000);
        s.watched_events.as_mut().unwrap().events[0].time = "2026-11-28T08:44:00Z".into();
    });
    assert_status(
        &check(&s, "alarm.fired"),
        Status::Fail,
        "something else fed the metric",
    );
}

#[test]
fn metric_data_lab_cannot_read_is_an_error() {
    let s = with(|s| {
        s.metric_data.insert(
            ALARMED_AT.into(),
            Err(denied("cloudwatch:GetMetricStatistics")),
        );
    });
    assert_status(
        &check(&s, "alarm.fired"),
        Status::Error,
        "cloudwatch:GetMetricStatistics",
    );
}

#[test]
fn metric_data_no_longer_kept_is_an_error_not_a_verdict() {
    let s = with(|s| {
        s.metric_data.insert(ALARMED_AT.into(), Ok(vec![]));
    });
    assert_status(
        &check(&s, "alarm.fired"),
        Status::Error,
        "no longer returns the metric's data",
    );
}

// The whole path: the first break, in the owning check's words.

fn first_break(snapshot: &Snapshot) -> (Link, String, String) {
    let requests: Vec<Request> = catalogue::CATALOGUE
        .iter()
        .filter(|c| !matches!(c.id, "cleanup.done" | "trail.sns_notifications"))
        .map(|spec| Request {
            spec,
            params: Params::new(),
            stage: 1,
        })
        .collect();
    let findings = judge(
        snapshot,
        &names(),
        &lab_watch(),
        &metric::lab_teaching(),
        &requests,
    );
    let diagnosis = diagnose(&findings).expect("every link judged");
    let first = diagnosis.first_break.clone().expect("a break");
    (first.link, first.check, diagnosis.headline())
}

#[test]
fn a_correct_account_has_no_break() {
    let requests: Vec<Request> = catalogue::CATALOGUE
        .iter()
        .map(|spec| Request {
            spec,
            params: Params::from([("enabled".into(), crate::params::ParamValue::Bool(false))])
                .into_iter()
                .filter(|_| spec.id == "trail.sns_notifications")
                .collect(),
            stage: 1,
        })
        .filter(|r| r.spec.id != "cleanup.done")
        .collect();
    let findings = judge(
        &correct(),
        &names(),
        &lab_watch(),
        &metric::lab_teaching(),
        &requests,
    );
    assert_eq!(diagnose(&findings).unwrap().first_break, None);
}

#[test]
fn the_first_break_is_named_where_the_email_stops() {
    let cases: Vec<(&str, Snapshot, Link, &str)> = vec![
        (
            "a role that may not write",
            role_allows(&allow(r#"["logs:CreateLogStream"]"#, STREAM)),
            Link::Delivered,
            "logs.trail_delivery",
        ),
        (
            "an alarm in another unit",
            with(|s| the_alarm(s).unit = Some("Seconds".into())),
            Link::Watched,
            "alarm.exists",
        ),
        (
            "missing data as breaching",
            with(|s| the_alarm(s).treat_missing_data = Some("breaching".into())),
            Link::Crosses,
            "alarm.threshold",
        ),
        (
            "the AWS managed key",
            topic(Some(&default_topic_policy()), Some("alias/aws/sns")),
            Link::Published,
            "sns.accepts_alarms",
        ),
        (
            "a filter policy on attributes",
            filtered(r#"{"severity":["high"]}"#, None),
            Link::Received,
            "sns.email_confirmed",
        ),
    ];
    let mut wrong = Vec::new();
    for (case, snapshot, link, check) in cases {
        let (found, owner, headline) = first_break(&snapshot);
        if found != link || owner != check || !headline.starts_with("no email can arrive") {
            wrong.push(format!("{case}: {found:?} by {owner}: {headline}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

// trail.sns_notifications: off at the end of stage 6, having been on.

#[test]
fn notifications_off_after_being_on_pass() {
    let off = Params::from([("enabled".into(), crate::params::ParamValue::Bool(false))]);
    assert_status(
        &check_with(&correct(), "trail.sns_notifications", off),
        Status::Pass,
        "off on `secrets-manager-trail` again, after it was turned on",
    );
}

#[test]
fn notifications_never_turned_on_fail_whatever_their_state() {
    let off = Params::from([("enabled".into(), crate::params::ParamValue::Bool(false))]);
    let never = with(|s| s.write_history = Ok(vec![]));
    assert_status(
        &check_with(&never, "trail.sns_notifications", off),
        Status::Fail,
        "shows it was never turned on",
    );
}

#[test]
fn notifications_with_an_unreadable_history_are_an_error() {
    let off = Params::from([("enabled".into(), crate::params::ParamValue::Bool(false))]);
    let unreadable = with(|s| s.write_history = Err(denied("cloudtrail:LookupEvents")));
    assert_status(
        &check_with(&unreadable, "trail.sns_notifications", off),
        Status::Error,
        "cloudtrail:LookupEvents",
    );
}
