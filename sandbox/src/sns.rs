//! SNS in the sandbox: email subscriptions that wait for confirmation (a
//! confirmation message with a link served on loopback, or `ConfirmSubscription`),
//! and every message a confirmed email subscription takes put in the local mailbox:
//! its filter policy applied, by the evaluator `lab check` judges filter policies
//! with ([`checkers::sns_filter`]). A service (CloudWatch, CloudTrail) publishes
//! only where the topic's policy and its encryption key let it.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::call::Call;
use super::mailbox::Mail;
use super::state::Sandbox;
use super::world::{Pending, World, iso};
use checkers::sns_filter::{Attribute, Policy, Scope, Verdict};

/// A message for a topic.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// The subject (email subject line); empty for none.
    pub subject: String,
    /// The message every protocol gets by default.
    pub default: String,
    /// The text email subscribers get instead, if different.
    pub email: Option<String>,
    /// Its message attributes, by name (CloudWatch's and CloudTrail's messages
    /// carry none).
    pub attributes: BTreeMap<String, Attribute>,
}

impl Message {
    /// The same text for everyone.
    pub fn plain(subject: &str, text: &str) -> Message {
        Message {
            subject: subject.to_string(),
            default: text.to_string(),
            email: None,
            attributes: BTreeMap::new(),
        }
    }

    /// The message a `Publish` call carries, with its message attributes.
    pub fn from_publish(call: &Call) -> Message {
        let mut found = Message::structured(
            call.param("Subject"),
            &call.param("Message").unwrap_or_default(),
            call.param("MessageStructure").as_deref(),
        );
        found.attributes = message_attributes(call);
        found
    }

    /// A message as `Publish` takes it: with `structure` `json`, a text per protocol.
    pub fn structured(subject: Option<String>, message: &str, structure: Option<&str>) -> Message {
        let subject = subject.unwrap_or_default();
        if structure == Some("json")
            && let Ok(Value::Object(per)) = serde_json::from_str::<Value>(message)
        {
            let text = |k: &str| per.get(k).and_then(Value::as_str).map(str::to_string);
            return Message {
                subject,
                default: text("default").unwrap_or_default(),
                email: text("email"),
                attributes: BTreeMap::new(),
            };
        }
        Message::plain(&subject, message)
    }
}

/// A `Publish` call's message attributes
/// (`MessageAttributes.entry.N.Name`, `.Value.DataType`, `.Value.StringValue`).
fn message_attributes(call: &Call) -> BTreeMap<String, Attribute> {
    let mut attributes = BTreeMap::new();
    for n in 1.. {
        let field = |name: &str| call.param(&format!("MessageAttributes.entry.{n}.{name}"));
        let Some(name) = field("Name") else {
            break;
        };
        let kind = field("Value.DataType").unwrap_or_default();
        let text = field("Value.StringValue").unwrap_or_default();
        let attribute = match kind.split('.').next().unwrap_or_default() {
            "Number" => Attribute::Number(text),
            "Binary" => Attribute::Binary,
            _ if kind == "String.Array" => Attribute::StringArray(text),
            _ => Attribute::String(text),
        };
        attributes.insert(name, attribute);
    }
    attributes
}

/// The AWS service that publishes, as the topic policy sees it.
#[derive(Debug, Clone, Copy)]
pub struct Publisher<'a> {
    /// Its service principal, e.g. `cloudwatch.amazonaws.com`.
    pub service: &'a str,
    /// Its name in AWS's error message, e.g. `CloudWatch Alarms`.
    pub called: &'a str,
    /// What it publishes for (`aws:SourceArn`): the alarm or the trail; AWS names
    /// it when the topic refuses.
    pub source_arn: &'a str,
    /// Its account (`aws:SourceAccount`).
    pub account: &'a str,
    /// Whether its requests carry `AWS:SourceOwner` (CloudWatch's do, so a topic's
    /// default policy lets its alarms publish; CloudTrail's do not).
    pub source_owner: bool,
}

/// Why `publisher` may not publish to the topic, if its policy or its encryption key
/// stops it, in AWS's words; a policy the sandbox cannot read all of lets it through.
async fn refused(
    clients: &checkers::fetch::Clients,
    topic_arn: &str,
    publisher: &Publisher<'_>,
) -> Option<String> {
    use checkers::policy::{self, Access, Caller, Request};
    let found = clients
        .sns
        .get_topic_attributes()
        .topic_arn(topic_arn)
        .send()
        .await
        .ok()?;
    let attributes = found.attributes()?;
    if let Some(document) = attributes.get("Policy") {
        let owner = [("AWS:SourceOwner", publisher.account)];
        let context = [
            ("aws:SourceArn", publisher.source_arn),
            ("aws:SourceAccount", publisher.account),
            ("aws:SecureTransport", "true"),
        ];
        let with_owner: Vec<(&str, &str)> = context
            .iter()
            .chain(if publisher.source_owner {
                &owner[..]
            } else {
                &[]
            })
            .copied()
            .collect();
        let access = policy::allows(
            document,
            &Request {
                caller: Caller::Service(publisher.service),
                action: "sns:Publish",
                resource: Some(topic_arn),
                context: &with_owner,
                absent: if publisher.source_owner {
                    &[]
                } else {
                    &["AWS:SourceOwner"]
                },
            },
        );
        // AWS Knowledge Center, "Why didn't I receive an SNS notification for my
        // CloudWatch alarm trigger?": the alarm history's words.
        if let Access::Denied(_) = access {
            return Some(format!(
                "Resource: {} is not authorized to perform: SNS:Publish on resource: {topic_arn}",
                publisher.source_arn
            ));
        }
    }
    let key = attributes
        .get("KmsMasterKeyId")
        .filter(|k| !k.trim().is_empty())?;
    let key_refused = Some(format!(
        "{} does not have authorization to access the SNS topic encryption key.",
        publisher.called
    ));
    // Amazon SNS Developer Guide, "Key management", "Enable compatibility between
    // event sources from AWS services and encrypted topics": a customer managed key
    // whose policy grants the service kms:GenerateDataKey* and kms:Decrypt. The AWS
    // managed key's policy grants no service.
    if checkers::snapshot::is_aws_alias(key) {
        return key_refused;
    }
    let Ok(key) = checkers::fetch::read_key(&clients.kms, key, &|| {}).await else {
        return key_refused;
    };
    if key.aws_managed || key.state != "Enabled" {
        return key_refused;
    }
    let context = [
        ("aws:SourceArn", publisher.source_arn),
        ("aws:SourceAccount", publisher.account),
    ];
    for action in ["kms:GenerateDataKey", "kms:Decrypt"] {
        let access = policy::allows(
            &key.policy,
            &Request {
                caller: Caller::Service(publisher.service),
                action,
                resource: Some(&key.arn),
                context: &context,
                absent: &[],
            },
        );
        if let Access::Denied(_) = access {
            return key_refused;
        }
    }
    None
}

/// Publishes `message` to `topic_arn` for `publisher`, in the account of
/// `access_key`: refused if the topic policy does not let the publisher publish, as
/// AWS refuses it; else through moto, then into the mailbox for each confirmed email
/// subscription.
pub async fn publish(
    sandbox: &Sandbox,
    access_key: &str,
    region: &str,
    topic_arn: &str,
    message: &Message,
    publisher: &Publisher<'_>,
) -> Result<(), String> {
    let clients = sandbox.backend.as_caller(access_key, region);
    if let Some(why) = refused(&clients, topic_arn, publisher).await {
        return Err(why);
    }
    clients
        .sns
        .publish()
        .topic_arn(topic_arn)
        .message(&message.default)
        .set_subject((!message.subject.is_empty()).then(|| message.subject.clone()))
        .send()
        .await
        .map_err(|e| super::backend::explain(&e))?;
    to_mailbox(sandbox, access_key, region, topic_arn, message).await
}

/// Puts `message` in the mailbox for every confirmed email subscription of the topic
/// that takes it: one without a filter policy, or whose policy accepts it (Amazon
/// SNS Developer Guide, "Amazon SNS subscription filter policies"). A policy the
/// sandbox cannot settle delivers nothing: it never sends what AWS might not.
pub async fn to_mailbox(
    sandbox: &Sandbox,
    access_key: &str,
    region: &str,
    topic_arn: &str,
    message: &Message,
) -> Result<(), String> {
    let sns = sandbox.backend.as_caller(access_key, region).sns;
    let mut token = None;
    let mut subscriptions = Vec::new();
    loop {
        let out = sns
            .list_subscriptions_by_topic()
            .topic_arn(topic_arn)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| super::backend::explain(&e))?;
        subscriptions.extend(out.subscriptions().iter().cloned());
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    let pending: Vec<String> = sandbox
        .world()
        .pending
        .iter()
        .map(|p| p.subscription_arn.clone())
        .collect();
    let time = sandbox.clock.now();
    for s in subscriptions {
        let (Some(arn), Some(protocol), Some(endpoint)) =
            (s.subscription_arn(), s.protocol(), s.endpoint())
        else {
            continue;
        };
        if pending.iter().any(|p| p == arn) || !protocol.starts_with("email") {
            continue;
        }
        if let Some(why) = filtered_out(&sns, arn, message).await {
            tracing::info!("not delivered to {endpoint}: {why}");
            continue;
        }
        let unsubscribe = format!(
            "{}/?Action=Unsubscribe&SubscriptionArn={}",
            sandbox.url(),
            encode(arn)
        );
        let body = match protocol {
            "email" => format!(
                "{}\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n{unsubscribe}\n",
                message.email.as_deref().unwrap_or(&message.default)
            ),
            "email-json" => json!({
                "Type": "Notification",
                "TopicArn": topic_arn,
                "Subject": message.subject,
                "Message": message.default,
                "Timestamp": iso(time),
                "UnsubscribeURL": unsubscribe,
            })
            .to_string(),
            _ => continue,
        };
        let subject = if message.subject.is_empty() {
            "AWS Notification Message".to_string()
        } else {
            message.subject.clone()
        };
        sandbox
            .mailbox
            .deliver(&Mail {
                time: iso(time),
                to: endpoint.to_string(),
                subject,
                body,
                topic_arn: topic_arn.to_string(),
            })
            .map_err(|e| format!("cannot write the mailbox: {e}"))?;
    }
    Ok(())
}

/// Why the subscription `arn`'s filter policy keeps `message` from it, if it does.
async fn filtered_out(sns: &aws_sdk_sns::Client, arn: &str, message: &Message) -> Option<String> {
    let found = match sns
        .get_subscription_attributes()
        .subscription_arn(arn)
        .send()
        .await
    {
        Ok(found) => found,
        Err(e) => return Some(super::backend::explain(&e)),
    };
    let attributes = checkers::snapshot::SubscriptionAttributes::from_attributes(
        found.attributes().cloned().unwrap_or_default(),
    );
    let policy = attributes.filter_policy?;
    let Some(scope) = Scope::of(attributes.filter_policy_scope.as_deref()) else {
        return Some("an unknown filter policy scope".into());
    };
    let policy = match Policy::parse(&policy) {
        Ok(policy) => policy,
        Err(why) => return Some(why),
    };
    let verdict = policy.accepts(
        scope,
        &checkers::sns_filter::Message {
            attributes: &message.attributes,
            body: &message.default,
        },
    );
    match verdict {
        Verdict::Accepts => None,
        Verdict::Rejects(why) => Some(format!("its filter policy drops the message: {why}")),
        Verdict::Unknown(why) => Some(format!(
            "the sandbox cannot tell whether its filter policy takes the message ({why}), so it sends nothing"
        )),
    }
}

/// A new email subscription: remember it as pending and send the confirmation
/// message. Returns whether it is pending (an address already confirmed is not).
pub fn subscribed(
    sandbox: &Sandbox,
    subscription_arn: &str,
    topic_arn: &str,
    endpoint: &str,
) -> bool {
    let token = {
        let mut world = sandbox.world();
        if world.confirmed.values().any(|a| a == subscription_arn) {
            return false;
        }
        match world
            .pending
            .iter()
            .find(|p| p.subscription_arn == subscription_arn)
        {
            Some(p) => p.token.clone(),
            None => {
                let t = sandbox.clock.now();
                let token = format!("{}{}", world.next_id(t), world.next_id(t)).replace('-', "");
                world.pending.push(Pending {
                    subscription_arn: subscription_arn.to_string(),
                    topic_arn: topic_arn.to_string(),
                    endpoint: endpoint.to_string(),
                    token: token.clone(),
                });
                token
            }
        }
    };
    let link = format!(
        "{}/?Action=ConfirmSubscription&TopicArn={}&Token={}",
        sandbox.url(),
        encode(topic_arn),
        token
    );
    let mail = Mail {
        time: iso(sandbox.clock.now()),
        to: endpoint.to_string(),
        subject: "AWS Notification - Subscription Confirmation".to_string(),
        body: format!(
            "You have chosen to subscribe to the topic:\n{topic_arn}\n\n\
             To confirm this subscription, click or visit the link below (If this was in error no action is necessary):\n\
             Confirm subscription: {link}\n"
        ),
        topic_arn: topic_arn.to_string(),
    };
    if let Err(e) = sandbox.mailbox.deliver(&mail) {
        tracing::warn!("cannot write the mailbox: {e}");
    }
    true
}

/// Confirms the pending subscription with this topic and token; the subscription
/// ARN, or `None` when the token is not one the sandbox sent for the topic.
pub fn confirm(world: &mut World, topic_arn: &str, token: &str) -> Option<String> {
    if let Some(arn) = world.confirmed.get(token) {
        return Some(arn.clone());
    }
    let at = world
        .pending
        .iter()
        .position(|p| p.topic_arn == topic_arn && p.token == token)?;
    let pending = world.pending.remove(at);
    world
        .confirmed
        .insert(pending.token, pending.subscription_arn.clone());
    Some(pending.subscription_arn)
}

/// A response of moto's that lists subscriptions, with pending ones shown as AWS
/// shows them: `PendingConfirmation` instead of an ARN.
pub fn hide_pending(body: &str, pending: &[Pending]) -> String {
    let mut body = body.to_string();
    for p in pending {
        body = body.replace(
            &format!("<SubscriptionArn>{}</SubscriptionArn>", p.subscription_arn),
            "<SubscriptionArn>PendingConfirmation</SubscriptionArn>",
        );
    }
    body
}

/// The subscription ARN in a `Subscribe` response.
pub fn subscription_arn(body: &str) -> Option<&str> {
    let start = body.find("<SubscriptionArn>")? + "<SubscriptionArn>".len();
    let end = start + body[start..].find("</SubscriptionArn>")?;
    Some(&body[start..end])
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world_with_pending() -> World {
        let mut world = World::default();
        world.pending.push(Pending {
            subscription_arn: "arn:aws:sns:us-east-1:1:T:abc".into(),
            topic_arn: "arn:aws:sns:us-east-1:1:T".into(),
            endpoint: "me@example.com".into(),
            token: "tok".into(),
        });
        world
    }

    #[test]
    fn confirming_needs_the_right_token_and_then_sticks() {
        let mut world = world_with_pending();
        assert_eq!(
            confirm(&mut world, "arn:aws:sns:us-east-1:1:T", "wrong"),
            None
        );
        assert_eq!(
            confirm(&mut world, "arn:aws:sns:us-east-1:1:Other", "tok"),
            None
        );
        assert_eq!(
            confirm(&mut world, "arn:aws:sns:us-east-1:1:T", "tok").as_deref(),
            Some("arn:aws:sns:us-east-1:1:T:abc")
        );
        assert!(world.pending.is_empty());
        assert_eq!(
            confirm(&mut world, "arn:aws:sns:us-east-1:1:T", "tok").as_deref(),
            Some("arn:aws:sns:us-east-1:1:T:abc"),
            "a second click on the link is fine"
        );
    }

    #[test]
    fn pending_subscriptions_are_listed_as_aws_lists_them() {
        let world = world_with_pending();
        let body = "<member><SubscriptionArn>arn:aws:sns:us-east-1:1:T:abc</SubscriptionArn></member>\
                    <member><SubscriptionArn>arn:aws:sns:us-east-1:1:T:def</SubscriptionArn></member>";
        let shown = hide_pending(body, &world.pending);
        assert!(shown.contains("<SubscriptionArn>PendingConfirmation</SubscriptionArn>"));
        assert!(shown.contains("T:def"));
        assert!(!shown.contains("T:abc"));
        assert_eq!(
            subscription_arn(body),
            Some("arn:aws:sns:us-east-1:1:T:abc")
        );
    }

    #[test]
    fn structured_messages_give_email_its_own_text() {
        let m = Message::structured(None, r#"{"default":"d","email":"e"}"#, Some("json"));
        assert_eq!((m.default.as_str(), m.email.as_deref()), ("d", Some("e")));
        let plain = Message::structured(Some("S".into()), r#"{"default":"d"}"#, None);
        assert_eq!(plain.default, r#"{"default":"d"}"#);
    }
}
