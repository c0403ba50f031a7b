//! `sns.accepts_alarms`: the topic takes what the alarm publishes. Its access policy
//! must let `cloudwatch.amazonaws.com` publish for this alarm, and when it is
//! encrypted, CloudWatch must be able to use its key: a key its owner manages, that
//! is enabled, whose key policy grants CloudWatch `kms:GenerateDataKey*` and
//! `kms:Decrypt` (Amazon SNS Developer Guide, "Key management", "Enable
//! compatibility between event sources from AWS services and encrypted topics":
//! "Use a customer managed KMS key"; AWS Knowledge Center: with the AWS managed key
//! `alias/aws/sns`, "CloudWatch alarms cannot start alarm actions").

use super::sns::{alarm_or_stand_in, lab_topic};
use super::{Ctx, Judged, Judgement, error, fail, pass, read_named};
use crate::policy::{Access, Caller, Request, allows};
use crate::snapshot::is_aws_alias;

const CLOUDWATCH: &str = "cloudwatch.amazonaws.com";

pub(super) fn accepts_alarms(ctx: &Ctx) -> Judged {
    let topic_arn = lab_topic(ctx)?;
    let topic = &ctx.n.topic;
    let attributes = read_named(&ctx.s.topic_attributes, topic_arn, "the settings of topic")?;
    let alarm = alarm_or_stand_in(ctx)?;
    let account = ctx.s.account.as_str();
    // What CloudWatch's publish carries: the alarm, its account, and (as a topic's
    // default policy expects) the topic owner's account.
    let context = [
        ("aws:SourceArn", alarm.arn.as_str()),
        ("aws:SourceAccount", account),
        ("AWS:SourceOwner", account),
        ("aws:SecureTransport", "true"),
    ];
    if let Some(policy) = &attributes.policy {
        let access = allows(
            policy,
            &Request {
                caller: Caller::Service(CLOUDWATCH),
                action: "sns:Publish",
                resource: Some(topic_arn),
                context: &context,
                absent: &[],
            },
        );
        verdict(
            access,
            |why| {
                (
                    format!(
                        "the email can't arrive: the access policy of `{topic}` stops CloudWatch from publishing the alarm's notifications ({why})"
                    ),
                    format!(
                        "let cloudwatch.amazonaws.com publish: add a statement allowing sns:Publish on {topic_arn} to the service cloudwatch.amazonaws.com \
                     (or restore the topic's default policy), and remove any Deny that covers it"
                    ),
                )
            },
            &format!("the access policy of `{topic}`"),
            topic_arn,
        )?;
    }
    if let Some(key) = &attributes.kms_key {
        usable_key(ctx, topic_arn, key, &alarm.arn)?;
    }
    Ok(pass(
        format!(
            "`{topic}` lets CloudWatch publish the alarm's notifications{}",
            if attributes.kms_key.is_some() {
                ", and CloudWatch may use its encryption key"
            } else {
                ""
            }
        ),
        Some(topic_arn),
    ))
}

/// The topic's key can be used by CloudWatch for `alarm_arn`.
fn usable_key(ctx: &Ctx, topic_arn: &str, key: &str, alarm_arn: &str) -> Result<(), Judgement> {
    let topic = &ctx.n.topic;
    let customer_key = "encrypt it with a key you manage whose key policy allows cloudwatch.amazonaws.com kms:GenerateDataKey* and kms:Decrypt, \
         or turn its encryption off";
    if is_aws_alias(key) {
        return Err(fail(
            format!(
                "the email can't arrive: `{topic}` is encrypted with the AWS managed key `{key}`, which CloudWatch alarms cannot use"
            ),
            customer_key,
            Some(topic_arn),
        ));
    }
    let found = read_named(&ctx.s.topic_keys, key, "the KMS key")?;
    if found.aws_managed {
        return Err(fail(
            format!(
                "the email can't arrive: `{topic}` is encrypted with `{}`, a key AWS manages for another service, which CloudWatch alarms cannot use",
                found.arn
            ),
            customer_key,
            Some(topic_arn),
        ));
    }
    if found.state != "Enabled" {
        return Err(fail(
            format!(
                "the email can't arrive: the key `{}` that encrypts `{topic}` is {}",
                found.arn, found.state
            ),
            "enable the key (aws kms enable-key), or encrypt the topic with an enabled key",
            Some(topic_arn),
        ));
    }
    let context = [
        ("aws:SourceArn", alarm_arn),
        ("aws:SourceAccount", ctx.s.account.as_str()),
    ];
    for action in ["kms:GenerateDataKey", "kms:Decrypt"] {
        let access = allows(
            &found.policy,
            &Request {
                caller: Caller::Service(CLOUDWATCH),
                action,
                resource: Some(&found.arn),
                context: &context,
                absent: &[],
            },
        );
        verdict(
            access,
            |why| {
                (
                    format!(
                        "the email can't arrive: the key policy of `{}`, which encrypts `{topic}`, does not let CloudWatch call {action} ({why})",
                        found.arn
                    ),
                    customer_key.to_string(),
                )
            },
            &format!("the key policy of `{}`", found.arn),
            topic_arn,
        )?;
    }
    Ok(())
}

/// A policy's answer as a verdict: denied is a failure worded by `denied`; an
/// answer `policy` (named in words) cannot give is an error.
fn verdict(
    access: Access,
    denied: impl FnOnce(&str) -> (String, String),
    policy: &str,
    resource: &str,
) -> Result<(), Judgement> {
    match access {
        Access::Allowed => Ok(()),
        Access::Denied(why) => {
            let (message, fix) = denied(&why);
            Err(fail(message, fix, Some(resource)))
        }
        Access::Unknown(why) => Err(error(
            format!(
                "cannot judge whether CloudWatch may publish: {policy} uses something lab does not read ({why})"
            ),
            format!("check by hand that {policy} lets cloudwatch.amazonaws.com do it"),
        )),
    }
}
