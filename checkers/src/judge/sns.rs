//! SNS: `sns.topic`, `sns.email_confirmed`.

use super::{Ctx, Judged, Judgement, fail, pass, read_named};
use crate::catalogue::Check;

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

/// The topic has a confirmed email subscription; pending ones do not count.
pub(super) fn email_confirmed(ctx: &Ctx) -> Judged {
    let arn = lab_topic(ctx)?;
    let topic = &ctx.n.topic;
    let subscriptions = read_named(&ctx.s.subscriptions, arn, "the subscriptions of topic")?;
    let emails: Vec<_> = subscriptions
        .iter()
        .filter(|s| s.protocol.starts_with("email"))
        .collect();
    if let Some(confirmed) = emails.iter().find(|s| s.is_confirmed()) {
        return Ok(pass(
            format!(
                "`{}` is subscribed to `{topic}` and confirmed",
                confirmed.endpoint
            ),
            Some(&confirmed.arn),
        ));
    }
    match emails.first() {
        Some(pending) => Err(fail(
            format!(
                "the email subscription of `{}` to `{topic}` is still pending confirmation",
                pending.endpoint
            ),
            "open the email \"AWS Notification - Subscription Confirmation\" and choose Confirm subscription \
             (links expire after 3 days: subscribe again for a new one)",
            Some(arn),
        )),
        None => Err(fail(
            format!("the topic `{topic}` has no email subscription"),
            format!(
                "subscribe your address: aws sns subscribe --topic-arn {arn} --protocol email --notification-endpoint YOU@EXAMPLE.COM"
            ),
            Some(arn),
        )),
    }
}
