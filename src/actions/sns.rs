//! `sns.topic`: the topic, and the learner's email subscribed to it.

use super::{Context, Done, failed};
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
            .find(|arn| arn.rsplit(':').next() == Some(ctx.names.topic.as_str()))
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
pub async fn topic(ctx: &Context<'_>, done: &mut Done) -> Result<(), Error> {
    let sns = ctx.aws.sns();
    let (topic, email) = (&ctx.names.topic, ctx.value("email")?);
    let arn = match find(ctx).await? {
        Some(arn) => {
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
