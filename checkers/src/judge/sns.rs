//! SNS: `sns.topic`, `sns.email_confirmed` (a confirmed inbox that takes the alarm's
//! notifications); `sns.accepts_alarms` is in [`super::publish`].

use std::collections::BTreeMap;

use super::{Ctx, Judged, Judgement, error, fail, pass, read_named};
use crate::catalogue::Check;
use crate::notification::alarm_notifications;
use crate::snapshot::Alarm;
use crate::sns_filter::{Message, Policy, Scope, Verdict};

/// The lab's topic ARN, or a failure saying it is missing.
pub(super) fn lab_topic<'s>(ctx: &Ctx<'s>) -> Result<&'s str, Judgement> {
    let topic = &ctx.n.topic;
    ctx.chain.topic_arn()?.ok_or_else(|| {
        fail(
            format!("there is no SNS topic named `{topic}` in {}", ctx.s.region),
            format!(
                "create it (aws sns create-topic --name {topic}) and subscribe your email{}",
                ctx.stage(Check::SnsTopic)
            ),
            None,
        )
    })
}

/// The topic exists.
pub(super) fn topic(ctx: &Ctx) -> Judged {
    let arn = lab_topic(ctx)?;
    Ok(pass(
        format!("the topic `{}` exists", ctx.n.topic),
        Some(arn),
    ))
}

/// The topic has a confirmed email subscription whose filter policy, if it has one,
/// takes every ALARM notification the lab's alarm may send; pending ones do not
/// count (they receive nothing).
pub(super) fn email_confirmed(ctx: &Ctx) -> Judged {
    let arn = lab_topic(ctx)?;
    let topic = &ctx.n.topic;
    let subscriptions = read_named(&ctx.s.subscriptions, arn, "the subscriptions of topic")?;
    let emails: Vec<_> = subscriptions
        .iter()
        .filter(|s| s.protocol.starts_with("email"))
        .collect();
    let confirmed: Vec<_> = emails.iter().filter(|s| s.is_confirmed()).collect();
    if confirmed.is_empty() {
        return Err(match emails.first() {
            Some(pending) => fail(
                format!(
                    "the email subscription of `{}` to `{topic}` is still pending confirmation",
                    pending.endpoint
                ),
                "open the email \"AWS Notification - Subscription Confirmation\" and choose Confirm subscription \
                 (links expire after 3 days: subscribe again for a new one); in the lab's sandbox, the email is in \
                 `lab sandbox mail`, and `lab sandbox confirm` confirms it",
                Some(arn),
            ),
            None => fail(
                format!("the topic `{topic}` has no email subscription"),
                format!(
                    "subscribe your address: aws sns subscribe --topic-arn {arn} --protocol email --notification-endpoint YOU@EXAMPLE.COM"
                ),
                Some(arn),
            ),
        });
    }
    let mut dropped = None;
    let mut undecided = None;
    for subscription in confirmed {
        let attributes = match read_named(
            &ctx.s.subscription_attributes,
            &subscription.arn,
            "the settings of subscription",
        ) {
            Ok(attributes) => attributes,
            Err(e) => {
                undecided.get_or_insert(e);
                continue;
            }
        };
        let Some(policy) = &attributes.filter_policy else {
            return Ok(pass(
                format!(
                    "`{}` is subscribed to `{topic}` and confirmed",
                    subscription.endpoint
                ),
                Some(&subscription.arn),
            ));
        };
        match takes_alarms(ctx, policy, attributes.filter_policy_scope.as_deref()) {
            Ok(Verdict::Accepts) => {
                return Ok(pass(
                    format!(
                        "`{}` is subscribed to `{topic}` and confirmed, and its filter policy takes the alarm's notifications",
                        subscription.endpoint
                    ),
                    Some(&subscription.arn),
                ));
            }
            Ok(Verdict::Rejects(why)) => {
                dropped.get_or_insert((subscription, why));
            }
            Ok(Verdict::Unknown(why)) => {
                undecided.get_or_insert(error(
                    format!(
                        "cannot judge the filter policy of `{}`'s subscription: {why}",
                        subscription.endpoint
                    ),
                    "check by hand that it lets CloudWatch's alarm notifications through, or remove it",
                ));
            }
            Err(e) => {
                undecided.get_or_insert(e);
            }
        }
    }
    if let Some(undecided) = undecided {
        return Err(undecided);
    }
    let (subscription, why) = dropped.expect("a confirmed subscription was judged");
    Err(fail(
        format!(
            "the email can't arrive: the subscription of `{}` has a filter policy that drops the alarm's notifications ({why})",
            subscription.endpoint
        ),
        format!(
            "remove its filter policy: aws sns set-subscription-attributes --subscription-arn {} --attribute-name FilterPolicy --attribute-value \"{{}}\"",
            subscription.arn
        ),
        Some(&subscription.arn),
    ))
}

/// Whether a filter policy, in `scope`, takes every ALARM notification the lab's
/// alarm may send (CloudWatch's carry no message attributes).
fn takes_alarms(ctx: &Ctx, policy: &str, scope: Option<&str>) -> Result<Verdict, Judgement> {
    let policy = match Policy::parse(policy) {
        Ok(policy) => policy,
        Err(why) => return Ok(Verdict::Unknown(why)),
    };
    let Some(scope) = Scope::of(scope) else {
        return Ok(Verdict::Unknown(format!(
            "the filter policy scope `{}` is not one SNS has",
            scope.unwrap_or_default()
        )));
    };
    let alarm = alarm_or_stand_in(ctx)?;
    let none = BTreeMap::new();
    for notification in alarm_notifications(&alarm, &ctx.s.account, &ctx.s.region) {
        let body = notification.to_string();
        let verdict = policy.accepts(
            scope,
            &Message {
                attributes: &none,
                body: &body,
            },
        );
        if verdict != Verdict::Accepts {
            return Ok(verdict);
        }
    }
    Ok(Verdict::Accepts)
}

/// The lab's alarm as it is, or, before it exists, as the lessons build it: what its
/// notifications are made from.
pub(super) fn alarm_or_stand_in(ctx: &Ctx) -> Result<Alarm, Judgement> {
    if let Some(alarm) = ctx.chain.alarm()? {
        return Ok(alarm.clone());
    }
    let n = ctx.n;
    Ok(Alarm {
        name: n.alarm.clone(),
        arn: format!(
            "arn:aws:cloudwatch:{}:{}:alarm:{}",
            ctx.s.region, ctx.s.account, n.alarm
        ),
        namespace: Some(n.namespace.clone()),
        metric: Some(n.metric.clone()),
        statistic: Some("Sum".into()),
        period: Some(300),
        evaluation_periods: Some(1),
        datapoints_to_alarm: Some(1),
        threshold: Some(1.0),
        comparison: Some("GreaterThanOrEqualToThreshold".into()),
        actions_enabled: true,
        ..Alarm::default()
    })
}
