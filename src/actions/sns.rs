//! `sns.topic`: the topic, and the learner's email subscribed to it; `sns.confirm`:
//! the subscription confirmed, where `lab` can see the confirmation message (the sandbox).

use super::{Context, Done, failed, may_change_untagged};
use crate::error::Error;

/// The ARN of the lab's topic, if it exists.
pub(super) async fn find(ctx: &Context<'_>) -> Result<Option<String>, Error> {
    let sns = ctx.aws.sns();
    let mut token = None;
    loop {
        let out = sns
            .list_topics()
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| failed("list the topics", e))?;
        if let Some(arn) = out
            .topics()
            .iter()
            .filter_map(|t| t.topic_arn())
            .find(|arn| checkers::arn::last_name(arn) == ctx.names.topic)
        {
            return Ok(Some(arn.to_string()));
        }
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            return Ok(None);
        }
    }
}

/// Creates the topic (tagged) and subscribes the email address, once.
pub(super) async fn topic(ctx: &Context<'_>, done: &mut Done) -> Result<(), Error> {
    let sns = ctx.aws.sns();
    let (topic, email) = (&ctx.names.topic, ctx.value("email")?);
    let arn = match find(ctx).await? {
        Some(arn) => {
            let tags = sns.list_tags_for_resource().resource_arn(&arn).send().await;
            let tagged = tags.is_ok_and(|t| {
                t.tags()
                    .iter()
                    .any(|t| t.key() == ctx.tag.key && t.value() == ctx.tag.value)
            });
            if !tagged {
                may_change_untagged(ctx, "topic", topic, "topic_name")?;
            }
            done.kept(format!("the topic `{topic}` exists"));
            arn
        }
        None => {
            let created = sns
                .create_topic()
                .name(topic)
                .tags(
                    aws_sdk_sns::types::Tag::builder()
                        .key(&ctx.tag.key)
                        .value(&ctx.tag.value)
                        .build()
                        .map_err(|e| failed("tag the topic", e))?,
                )
                .send()
                .await
                .map_err(|e| failed("create the topic", e))?;
            done.changed(format!("created the topic `{topic}`"));
            created.topic_arn().unwrap_or_default().to_string()
        }
    };
    let subscriptions = sns
        .list_subscriptions_by_topic()
        .topic_arn(&arn)
        .send()
        .await
        .map_err(|e| failed("list the subscriptions", e))?;
    if subscriptions
        .subscriptions()
        .iter()
        .any(|s| s.protocol() == Some("email") && s.endpoint() == Some(email))
    {
        done.kept(format!("`{email}` is subscribed to `{topic}`"));
    } else {
        sns.subscribe()
            .topic_arn(&arn)
            .protocol("email")
            .endpoint(email)
            .send()
            .await
            .map_err(|e| failed("subscribe your email", e))?;
        done.changed(format!(
            "subscribed `{email}` to `{topic}`: confirm it from the email AWS sends"
        ));
    }
    Ok(())
}

/// Confirms the pending email subscriptions of the lab's topic with the tokens from
/// their confirmation messages, through SNS's `ConfirmSubscription`, as the link in
/// the message does. Only the sandbox lets `lab` read those messages; on AWS they
/// are in the learner's inbox, so there this says what to do instead.
pub(super) async fn confirm(ctx: &Context<'_>, done: &mut Done) -> Result<(), Error> {
    let topic = &ctx.names.topic;
    let Some(arn) = find(ctx).await? else {
        return Err(Error::NoTopicYet {
            topic: topic.clone(),
        });
    };
    let sns = ctx.aws.sns();
    let listed = sns
        .list_subscriptions_by_topic()
        .topic_arn(&arn)
        .send()
        .await
        .map_err(|e| failed("list the subscriptions", e))?;
    let emails: Vec<_> = listed
        .subscriptions()
        .iter()
        .filter(|s| s.protocol().is_some_and(|p| p.starts_with("email")))
        .collect();
    if emails.is_empty() {
        return Err(Error::NoEmailSubscription {
            topic: topic.clone(),
        });
    }
    let pending: Vec<&str> = emails
        .iter()
        .filter(|s| s.subscription_arn() == Some("PendingConfirmation"))
        .filter_map(|s| s.endpoint())
        .collect();
    if pending.is_empty() {
        done.kept(format!("the email subscription to `{topic}` is confirmed"));
        return Ok(());
    }
    let Some(sandbox) = ctx.aws.sandbox() else {
        return Err(Error::OnlyOwnerConfirms {
            emails: pending.iter().map(|e| e.to_string()).collect(),
        });
    };
    let tokens = sandbox.pending().await.map_err(sandbox::Error::Other)?;
    for p in tokens.iter().filter(|p| p.topic_arn == arn) {
        sns.confirm_subscription()
            .topic_arn(&arn)
            .token(&p.token)
            .send()
            .await
            .map_err(|e| failed("confirm the subscription", e))?;
        done.changed(format!(
            "confirmed the subscription of `{}` to `{topic}` with the token from its confirmation message",
            p.endpoint
        ));
    }
    Ok(())
}
