//! `cleanup.all`: delete the lab's resources, and nothing else.
//!
//! A resource is the lab's when it has the lab's exact name in this account and
//! region; it was *created* by lab when it also carries the lab's tag. Only those are
//! deleted: one with the name but not the tag (made by hand in the console, or
//! someone else's) is listed and kept, unless `include_untagged` says otherwise.
//! [`plan`] finds what exists and says what will happen to each;
//! [`execute`] deletes in an order AWS accepts (the trail before its bucket, the
//! bucket emptied first, the role's policies before the role). A resource already
//! gone is fine, and one failure does not stop the rest.

use super::{Context, Done, code, failed};
use crate::error::{Error, Undeleted};

/// How to clean up.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Delete the secret at once instead of after the recovery window.
    pub force_delete_secret: bool,
    /// Also delete resources with the lab's names that lab did not create (no tag).
    pub include_untagged: bool,
}

/// What kind of resource of the lab a cleanup item is, in deletion order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The CloudTrail trail.
    Trail,
    /// The trail's S3 bucket.
    Bucket,
    /// The CloudWatch alarm.
    Alarm,
    /// The CloudWatch Logs log group, with its metric filters.
    LogGroup,
    /// The IAM role CloudTrail delivers with.
    Role,
    /// The SNS topic, with its subscriptions.
    Topic,
    /// The Secrets Manager secret.
    Secret,
}

impl Kind {
    /// The API call that creates one, as CloudTrail names it.
    fn created_by_call(self) -> &'static str {
        match self {
            Kind::Trail => "CreateTrail",
            Kind::Bucket => "CreateBucket",
            Kind::Alarm => "PutMetricAlarm",
            Kind::LogGroup => "CreateLogGroup",
            Kind::Role => "CreateRole",
            Kind::Topic => "CreateTopic",
            Kind::Secret => "CreateSecret",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // As the learner says it; `{:<10}` lines them up.
        f.pad(match self {
            Kind::Trail => "trail",
            Kind::Bucket => "bucket",
            Kind::Alarm => "alarm",
            Kind::LogGroup => "log group",
            Kind::Role => "role",
            Kind::Topic => "topic",
            Kind::Secret => "secret",
        })
    }
}

/// One resource that will be deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What it is.
    pub kind: Kind,
    /// Its name.
    pub name: String,
    /// Whether it also carries the lab's tag (it was matched by its exact name).
    pub tagged: bool,
    /// Without the tag: when the learner's own identity created it, as CloudTrail's
    /// event history shows (the learner made it for the lab, by hand).
    pub created_by_you: Option<String>,
    /// What will happen to it, in words.
    pub plan: String,
    /// Whether it will be deleted (an untagged one is kept unless asked).
    pub delete: bool,
}

/// What of the lab exists, in deletion order.
pub async fn plan(ctx: &Context<'_>, options: &Options) -> Result<Vec<Item>, Error> {
    let n = ctx.names;
    let tag = (&ctx.tag.key, &ctx.tag.value);
    let mut items = Vec::new();
    // The sandbox's account is the lab's alone: whatever has a lab name there, the
    // learner made for the lab, by hand or with the guide's commands.
    let include_untagged = options.include_untagged || ctx.aws.sandbox().is_some();
    let mut item = |kind, name: &str, tagged, plan: String| {
        items.push(Item {
            kind,
            name: name.to_string(),
            tagged,
            created_by_you: None,
            plan,
            delete: tagged || include_untagged,
        })
    };

    if let Some(trail) = super::trail::find(ctx).await? {
        let tags = ctx
            .aws
            .cloudtrail()
            .list_tags()
            .resource_id_list(trail.trail_arn().unwrap_or_default())
            .send()
            .await;
        let tagged = tags.is_ok_and(|t| {
            t.resource_tag_list()
                .iter()
                .flat_map(|r| r.tags_list())
                .any(|t| (&t.key, t.value.as_deref()) == (tag.0, Some(tag.1.as_str())))
        });
        item(
            Kind::Trail,
            &n.trail,
            tagged,
            "turn off SNS notifications and logging, then delete".into(),
        );
    }
    let s3 = ctx.aws.s3();
    // Only "not found" means absent: a bucket or role that could not be read may
    // still be there, and the cleanup's last word is what remains.
    let bucket = match s3.head_bucket().bucket(&n.bucket).send().await {
        Ok(_) => true,
        Err(e) if e.as_service_error().is_some_and(|e| e.is_not_found()) => false,
        Err(e) => return Err(failed("look for the bucket", e)),
    };
    if bucket {
        let tagged = s3
            .get_bucket_tagging()
            .bucket(&n.bucket)
            .send()
            .await
            .is_ok_and(|t| {
                t.tag_set()
                    .iter()
                    .any(|t| t.key() == tag.0 && t.value() == tag.1)
            });
        item(
            Kind::Bucket,
            &n.bucket,
            tagged,
            "delete every object version and delete marker, then the bucket".into(),
        );
    }
    let alarms = ctx
        .aws
        .cloudwatch()
        .describe_alarms()
        .alarm_names(&n.alarm)
        .send()
        .await
        .map_err(|e| failed("read the alarm", e))?;
    if let Some(alarm) = alarms.metric_alarms().first() {
        let tags = ctx
            .aws
            .cloudwatch()
            .list_tags_for_resource()
            .resource_arn(alarm.alarm_arn().unwrap_or_default())
            .send()
            .await;
        let tagged = tags.is_ok_and(|t| {
            t.tags()
                .iter()
                .any(|t| t.key() == Some(tag.0.as_str()) && t.value() == Some(tag.1.as_str()))
        });
        item(Kind::Alarm, &n.alarm, tagged, "delete".into());
    }
    let groups = ctx
        .aws
        .logs()
        .describe_log_groups()
        .log_group_name_prefix(&n.log_group)
        .send()
        .await
        .map_err(|e| failed("look for the log group", e))?;
    if let Some(group) = groups
        .log_groups()
        .iter()
        .find(|g| g.log_group_name() == Some(n.log_group.as_str()))
    {
        let arn = group
            .arn()
            .unwrap_or_default()
            .trim_end_matches(":*")
            .to_string();
        let tags = ctx
            .aws
            .logs()
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await;
        let tagged = tags.is_ok_and(|t| t.tags().and_then(|t| t.get(tag.0)) == Some(tag.1));
        item(
            Kind::LogGroup,
            &n.log_group,
            tagged,
            "delete, with its metric filters and events".into(),
        );
    }
    let role = match ctx.aws.iam().get_role().role_name(&n.role).send().await {
        Ok(role) => Some(role),
        Err(e) if code(&e) == Some("NoSuchEntity") => None,
        Err(e) => return Err(failed("look for the role", e)),
    };
    if let Some(role) = role {
        let tagged = role.role().is_some_and(|r| {
            r.tags()
                .iter()
                .any(|t| t.key() == tag.0 && t.value() == tag.1)
        });
        item(
            Kind::Role,
            &n.role,
            tagged,
            "delete its policies, then the role".into(),
        );
    }
    if let Some(topic) = super::sns::find(ctx).await? {
        let tags = ctx
            .aws
            .sns()
            .list_tags_for_resource()
            .resource_arn(&topic)
            .send()
            .await;
        let tagged = tags.is_ok_and(|t| {
            t.tags()
                .iter()
                .any(|t| t.key() == tag.0 && t.value() == tag.1)
        });
        item(
            Kind::Topic,
            &n.topic,
            tagged,
            "delete, with its subscriptions".into(),
        );
    }
    if let Some(name) = &n.secret {
        match ctx
            .aws
            .secretsmanager()
            .describe_secret()
            .secret_id(name)
            .send()
            .await
        {
            Ok(secret) if secret.deleted_date().is_none() => {
                let tagged = secret
                    .tags()
                    .iter()
                    .any(|t| t.key() == Some(tag.0) && t.value() == Some(tag.1));
                let plan = if options.force_delete_secret {
                    "delete at once, without recovery (the name is free again right away)"
                        .to_string()
                } else {
                    "schedule for deletion with the standard 30-day recovery window (the name stays taken until then)".to_string()
                };
                item(Kind::Secret, name, tagged, plan);
            }
            Ok(_) => {}
            Err(e) if code(&e) == Some("ResourceNotFoundException") => {}
            Err(e) => return Err(failed("look for the secret", e)),
        }
    }
    // Untagged: the learner's own, if event history shows their identity created it;
    // anyone else's is kept.
    for item in items.iter_mut().filter(|i| !i.delete) {
        item.created_by_you = created_by(ctx, item.kind, &item.name).await;
        item.delete = item.created_by_you.is_some();
        if !item.delete {
            item.plan =
                "keep: lab did not create it (no lab tag); --include-untagged deletes it too"
                    .into();
        }
    }
    Ok(items)
}

/// When the caller's identity created the `kind` named `name`, by CloudTrail's
/// event history (the last 90 days): the call that creates that kind, naming it in
/// its request, successful, by the same ARN. Anything less certain (no such call,
/// another creator, history that cannot be read) is `None`: the resource is kept.
/// (CloudTrail API Reference, LookupEvents: a `ResourceName` lookup, newest event
/// first; CloudTrail User Guide, "CloudTrail userIdentity element": `arn` is the
/// caller's, as STS GetCallerIdentity gives it.)
async fn created_by(ctx: &Context<'_>, kind: Kind, name: &str) -> Option<String> {
    use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};
    let attribute = LookupAttribute::builder()
        .attribute_key(LookupAttributeKey::ResourceName)
        .attribute_value(name)
        .build()
        .ok()?;
    let mut pages = ctx
        .aws
        .cloudtrail()
        .lookup_events()
        .lookup_attributes(attribute)
        .into_paginator()
        .send();
    // Newest first: the call that made the resource there now is the first
    // creation met. A few pages at most; beyond them, nothing is assumed.
    for _ in 0..5 {
        let page = pages.next().await?.ok()?;
        for event in page.events() {
            let Some(record) = event
                .cloud_trail_event()
                .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())
            else {
                continue;
            };
            // A lookup by name also finds calls that only mention it (CreateTrail
            // names its bucket): only the call that makes this kind counts.
            let names_it = record["requestParameters"]
                .as_object()
                .is_some_and(|p| p.values().any(|v| v.as_str() == Some(name)));
            let creation = record["eventName"].as_str() == Some(kind.created_by_call());
            if !creation || !names_it || record.get("errorCode").is_some_and(|c| !c.is_null()) {
                continue;
            }
            return (record["userIdentity"]["arn"].as_str() == Some(ctx.caller))
                .then(|| record["eventTime"].as_str().unwrap_or_default().to_string());
        }
    }
    None
}

/// Deletes everything in `items` (from [`plan`]); reports each deletion in `done`
/// and fails at the end, naming every resource it could not delete.
pub async fn execute(
    ctx: &Context<'_>,
    items: &[Item],
    options: &Options,
    done: &mut Done,
) -> Result<(), Error> {
    let mut failures = Vec::new();
    for item in items.iter().filter(|i| i.delete) {
        match delete(ctx, item, options).await {
            Ok(()) => done.changed(format!("deleted the {} `{}`", item.kind, item.name)),
            Err(error) => failures.push(Undeleted {
                kind: item.kind.to_string(),
                name: item.name.clone(),
                error,
            }),
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(Error::NotDeleted { failures })
    }
}

/// Plans and executes: the `cleanup.all` action.
pub async fn all(ctx: &Context<'_>, options: &Options, done: &mut Done) -> Result<(), Error> {
    let items = plan(ctx, options).await?;
    if items.is_empty() {
        done.kept("none of the lab's resources remain");
    }
    execute(ctx, &items, options, done).await
}

async fn delete(ctx: &Context<'_>, item: &Item, options: &Options) -> Result<(), Error> {
    let name = item.name.as_str();
    match item.kind {
        Kind::Trail => {
            super::trail::notifications_off(ctx, name).await?;
            let client = ctx.aws.cloudtrail();
            client
                .stop_logging()
                .name(name)
                .send()
                .await
                .map_err(|e| failed("stop logging", e))?;
            client
                .delete_trail()
                .name(name)
                .send()
                .await
                .map_err(|e| failed("delete the trail", e))?;
        }
        Kind::Bucket => empty_and_delete_bucket(ctx, name).await?,
        Kind::Alarm => {
            ctx.aws
                .cloudwatch()
                .delete_alarms()
                .alarm_names(name)
                .send()
                .await
                .map_err(|e| failed("delete the alarm", e))?;
        }
        Kind::LogGroup => {
            ctx.aws
                .logs()
                .delete_log_group()
                .log_group_name(name)
                .send()
                .await
                .map_err(|e| failed("delete the log group", e))?;
        }
        Kind::Role => {
            let iam = ctx.aws.iam();
            let inline = iam
                .list_role_policies()
                .role_name(name)
                .send()
                .await
                .map_err(|e| failed("list the role's policies", e))?;
            for policy in inline.policy_names() {
                iam.delete_role_policy()
                    .role_name(name)
                    .policy_name(policy)
                    .send()
                    .await
                    .map_err(|e| failed("delete a role policy", e))?;
            }
            let attached = iam
                .list_attached_role_policies()
                .role_name(name)
                .send()
                .await
                .map_err(|e| failed("list the role's policies", e))?;
            for policy in attached
                .attached_policies()
                .iter()
                .filter_map(|p| p.policy_arn())
            {
                iam.detach_role_policy()
                    .role_name(name)
                    .policy_arn(policy)
                    .send()
                    .await
                    .map_err(|e| failed("detach a role policy", e))?;
            }
            iam.delete_role()
                .role_name(name)
                .send()
                .await
                .map_err(|e| failed("delete the role", e))?;
        }
        Kind::Topic => {
            let sns = ctx.aws.sns();
            if let Some(arn) = super::sns::find(ctx).await? {
                // Confirmed subscriptions first, one by one: SNS lists a subscription's
                // ARN only once it is confirmed, so these calls leave in event history
                // what a confirmation from the email's link does not (CloudTrail does
                // not log it), for a grader to see once the lab is gone. Pending ones
                // go with the topic.
                let listed = sns
                    .list_subscriptions_by_topic()
                    .topic_arn(&arn)
                    .send()
                    .await
                    .map_err(|e| failed("list the topic's subscriptions", e))?;
                for subscription in listed.subscriptions() {
                    if let Some(confirmed) = subscription
                        .subscription_arn()
                        .filter(|a| a.starts_with("arn:"))
                    {
                        sns.unsubscribe()
                            .subscription_arn(confirmed)
                            .send()
                            .await
                            .map_err(|e| failed("remove the topic's subscription", e))?;
                    }
                }
                sns.delete_topic()
                    .topic_arn(arn)
                    .send()
                    .await
                    .map_err(|e| failed("delete the topic", e))?;
            }
        }
        Kind::Secret => {
            ctx.aws
                .secretsmanager()
                .delete_secret()
                .secret_id(name)
                .set_force_delete_without_recovery(options.force_delete_secret.then_some(true))
                .send()
                .await
                .map_err(|e| failed("delete the secret", e))?;
        }
    }
    Ok(())
}

async fn empty_and_delete_bucket(ctx: &Context<'_>, bucket: &str) -> Result<(), Error> {
    use aws_sdk_s3::types::{Delete, ObjectIdentifier};
    let s3 = ctx.aws.s3();
    loop {
        let listing = s3
            .list_object_versions()
            .bucket(bucket)
            .send()
            .await
            .map_err(|e| failed("list the bucket's objects", e))?;
        let ids: Vec<ObjectIdentifier> = listing
            .versions()
            .iter()
            .map(|v| (v.key(), v.version_id()))
            .chain(
                listing
                    .delete_markers()
                    .iter()
                    .map(|m| (m.key(), m.version_id())),
            )
            .filter_map(|(key, version)| {
                ObjectIdentifier::builder()
                    .set_key(key.map(str::to_string))
                    .set_version_id(version.map(str::to_string))
                    .build()
                    .ok()
            })
            .collect();
        if ids.is_empty() {
            break;
        }
        let delete = Delete::builder()
            .set_objects(Some(ids))
            .quiet(true)
            .build()
            .map_err(|e| failed("list the objects to delete", e))?;
        s3.delete_objects()
            .bucket(bucket)
            .delete(delete)
            .send()
            .await
            .map_err(|e| failed("empty the bucket", e))?;
    }
    s3.delete_bucket()
        .bucket(bucket)
        .send()
        .await
        .map_err(|e| failed("delete the bucket", e))?;
    Ok(())
}
