//! SNS: the topics, the lab's topic's settings and subscriptions, and the filter
//! policies of its confirmed email subscriptions.

use super::{Calls, Clients, all_pages};
use crate::read_error::classify;
use crate::snapshot::{Read, Reads, Subscription, SubscriptionAttributes, TopicAttributes};

pub(super) async fn topics(c: &Clients, calls: &Calls) -> Read<Vec<String>> {
    all_pages(calls, None, |token| async move {
        let out = c
            .sns
            .list_topics()
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| classify("sns:ListTopics", &e))?;
        let arns = out
            .topics()
            .iter()
            .filter_map(|t| t.topic_arn())
            .map(str::to_string)
            .collect();
        Ok((arns, out.next_token().map(str::to_string)))
    })
    .await
}

pub(super) async fn subscriptions(
    c: &Clients,
    calls: &Calls,
    topic_arn: &str,
) -> Read<Vec<Subscription>> {
    all_pages(calls, None, |token| async move {
        let out = c
            .sns
            .list_subscriptions_by_topic()
            .topic_arn(topic_arn)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| classify("sns:ListSubscriptionsByTopic", &e))?;
        let subscriptions = out
            .subscriptions()
            .iter()
            .map(|s| Subscription {
                arn: s.subscription_arn().unwrap_or_default().to_string(),
                protocol: s.protocol().unwrap_or_default().to_string(),
                endpoint: s.endpoint().unwrap_or_default().to_string(),
            })
            .collect();
        Ok((subscriptions, out.next_token().map(str::to_string)))
    })
    .await
}

/// The topic's access policy and encryption key.
pub(super) async fn topic_attributes(
    c: &Clients,
    calls: &Calls,
    topic_arn: &str,
) -> Read<TopicAttributes> {
    calls.tick();
    let out = c
        .sns
        .get_topic_attributes()
        .topic_arn(topic_arn)
        .send()
        .await
        .map_err(|e| classify("sns:GetTopicAttributes", &e))?;
    let attribute = |name: &str| {
        out.attributes()
            .and_then(|a| a.get(name))
            .filter(|v| !v.trim().is_empty())
            .cloned()
    };
    Ok(TopicAttributes {
        policy: attribute("Policy"),
        kms_key: attribute("KmsMasterKeyId"),
    })
}

/// The settings of each confirmed email subscription among `subscriptions` (a
/// pending one has no ARN to ask about), by subscription ARN.
pub(super) async fn subscription_attributes(
    c: &Clients,
    calls: &Calls,
    subscriptions: &[Subscription],
) -> Reads<SubscriptionAttributes> {
    let confirmed = subscriptions
        .iter()
        .filter(|s| s.is_confirmed() && s.protocol.starts_with("email"));
    let reads = futures_util::future::join_all(confirmed.map(|s| async move {
        calls.tick();
        let read = c
            .sns
            .get_subscription_attributes()
            .subscription_arn(&s.arn)
            .send()
            .await
            .map_err(|e| classify("sns:GetSubscriptionAttributes", &e))
            .map(|out| {
                SubscriptionAttributes::from_attributes(
                    out.attributes().cloned().unwrap_or_default(),
                )
            });
        (s.arn.clone(), read)
    }))
    .await;
    reads.into_iter().collect()
}
