//! `trail.create`, `trail.event_selectors`, `trail.sns_notifications`.

use aws_sdk_cloudtrail::types::{EventSelector, ReadWriteType};

use super::{Context, Done, code, failed, may_change_untagged, policy, same_json};
use crate::action_catalogue::SelectorChoice;
use crate::error::Error;

/// The lab's trail as CloudTrail describes it, if it exists.
pub(super) async fn find(
    ctx: &Context<'_>,
) -> Result<Option<aws_sdk_cloudtrail::types::Trail>, Error> {
    let out = ctx
        .aws
        .cloudtrail()
        .describe_trails()
        .send()
        .await
        .map_err(|e| failed("list the trails", e))?;
    Ok(out
        .trail_list()
        .iter()
        .find(|t| t.name() == Some(ctx.names.trail.as_str()))
        .cloned())
}

/// The bucket (CloudTrail may write to it, for this trail only), the trail (in every
/// region when `multi_region`; a trail that already records every region, as one
/// made in the console does, is never narrowed to one), logging.
pub(super) async fn create(
    ctx: &Context<'_>,
    multi_region: bool,
    done: &mut Done,
) -> Result<(), Error> {
    bucket(ctx, done).await?;
    let client = ctx.aws.cloudtrail();
    let (name, bucket) = (&ctx.names.trail, &ctx.names.bucket);
    let existing = find(ctx).await?;
    if let Some(trail) = &existing
        && !trail_tagged(ctx, trail).await
    {
        may_change_untagged(ctx, "trail", name, "trail_name")?;
    }
    match existing {
        None => {
            client
                .create_trail()
                .name(name)
                .s3_bucket_name(bucket)
                .is_multi_region_trail(multi_region)
                .tags_list(
                    aws_sdk_cloudtrail::types::Tag::builder()
                        .key(&ctx.tag.key)
                        .value(&ctx.tag.value)
                        .build()
                        .map_err(|e| failed("tag the trail", e))?,
                )
                .send()
                .await
                .map_err(|e| failed("create the trail", e))?;
            done.changed(format!(
                "created the trail `{name}`{}, writing to `{bucket}`",
                regions(multi_region)
            ));
        }
        Some(trail)
            if trail.s3_bucket_name() != Some(bucket.as_str())
                || (multi_region && trail.is_multi_region_trail() != Some(true)) =>
        {
            let every_region = multi_region || trail.is_multi_region_trail() == Some(true);
            client
                .update_trail()
                .name(name)
                .s3_bucket_name(bucket)
                .set_is_multi_region_trail(multi_region.then_some(true))
                .send()
                .await
                .map_err(|e| failed("update the trail", e))?;
            done.changed(format!(
                "updated the trail `{name}`{}: it writes to `{bucket}`",
                regions(every_region)
            ));
        }
        Some(_) => done.kept(format!("the trail `{name}` exists")),
    }
    let status = client
        .get_trail_status()
        .name(name)
        .send()
        .await
        .map_err(|e| failed("read the trail's status", e))?;
    if status.is_logging() == Some(true) {
        done.kept(format!("the trail `{name}` is logging"));
    } else {
        client
            .start_logging()
            .name(name)
            .send()
            .await
            .map_err(|e| failed("start logging", e))?;
        done.changed(format!("started logging on `{name}`"));
    }
    Ok(())
}

/// How many regions a trail records, for what lab says it did.
fn regions(multi_region: bool) -> &'static str {
    if multi_region {
        " (every region)"
    } else {
        " (this region only)"
    }
}

/// Whether the trail carries the lab's tag.
async fn trail_tagged(ctx: &Context<'_>, trail: &aws_sdk_cloudtrail::types::Trail) -> bool {
    ctx.aws
        .cloudtrail()
        .list_tags()
        .resource_id_list(trail.trail_arn().unwrap_or_default())
        .send()
        .await
        .is_ok_and(|t| {
            t.resource_tag_list()
                .iter()
                .flat_map(|r| r.tags_list())
                .any(|t| t.key == ctx.tag.key && t.value.as_deref() == Some(ctx.tag.value.as_str()))
        })
}

/// The bucket's tags (none when it has none or they cannot be read).
async fn bucket_tags(ctx: &Context<'_>) -> Vec<aws_sdk_s3::types::Tag> {
    ctx.aws
        .s3()
        .get_bucket_tagging()
        .bucket(&ctx.names.bucket)
        .send()
        .await
        .map(|t| t.tag_set().to_vec())
        .unwrap_or_default()
}

fn lab_tagged(tags: &[aws_sdk_s3::types::Tag], ctx: &Context<'_>) -> bool {
    tags.iter()
        .any(|t| t.key() == ctx.tag.key && t.value() == ctx.tag.value)
}

async fn bucket(ctx: &Context<'_>, done: &mut Done) -> Result<(), Error> {
    let s3 = ctx.aws.s3();
    let bucket = &ctx.names.bucket;
    match s3.head_bucket().bucket(bucket).send().await {
        Ok(_) => {
            // lab changes only a bucket it made: one without its tag is someone's own.
            if !lab_tagged(&bucket_tags(ctx).await, ctx) {
                may_change_untagged(ctx, "bucket", bucket, "bucket_name")?;
            }
            done.kept(format!("the bucket `{bucket}` exists"));
        }
        Err(e) if e.raw_response().is_some_and(|r| r.status().as_u16() == 404) => {
            let mut create = s3.create_bucket().bucket(bucket);
            if ctx.region != "us-east-1" {
                create = create.create_bucket_configuration(
                    aws_sdk_s3::types::CreateBucketConfiguration::builder()
                        .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::from(
                            ctx.region,
                        ))
                        .build(),
                );
            }
            create
                .send()
                .await
                .map_err(|e| failed("create the bucket", e))?;
            done.changed(format!("created the bucket `{bucket}`"));
        }
        // Someone else's bucket of that name answers 403: bucket names are global.
        Err(e) if checkers::read_error::status(&e) == Some(403) => {
            return Err(Error::BucketTaken {
                bucket: bucket.clone(),
            });
        }
        Err(e) => {
            return Err(failed(&format!("look for the bucket `{bucket}`"), e));
        }
    }
    let ours = policy::bucket(ctx.scope(), bucket);
    let current = s3
        .get_bucket_policy()
        .bucket(bucket)
        .send()
        .await
        .ok()
        .and_then(|p| p.policy().map(str::to_string));
    // The lab's statements go beside any others the policy has, never over them.
    let wanted = policy::merged(current.as_deref(), &ours);
    if current.is_some_and(|p| same_json(&p, &wanted)) {
        done.kept("the bucket policy lets this trail write");
    } else {
        s3.put_bucket_policy()
            .bucket(bucket)
            .policy(wanted.to_string())
            .send()
            .await
            .map_err(|e| failed("set the bucket policy", e))?;
        done.changed("set the bucket policy: this trail may write (other statements kept)");
    }
    let tags = bucket_tags(ctx).await;
    // A bucket the learner let lab use stays as untagged as it was.
    if lab_tagged(&tags, ctx) || ctx.adopts("bucket", bucket) {
        return Ok(());
    }
    let mut set: Vec<aws_sdk_s3::types::Tag> = tags
        .into_iter()
        .filter(|t| t.key() != ctx.tag.key)
        .collect();
    set.push(
        aws_sdk_s3::types::Tag::builder()
            .key(&ctx.tag.key)
            .value(&ctx.tag.value)
            .build()
            .map_err(|e| failed("tag the bucket", e))?,
    );
    s3.put_bucket_tagging()
        .bucket(bucket)
        .tagging(
            aws_sdk_s3::types::Tagging::builder()
                .set_tag_set(Some(set))
                .build()
                .map_err(|e| failed("tag the bucket", e))?,
        )
        .send()
        .await
        .map_err(|e| failed("tag the bucket", e))?;
    done.changed(format!("tagged the bucket `{bucket}`"));
    Ok(())
}

/// The one basic selector `choice` describes.
fn wanted_selector(choice: &SelectorChoice) -> EventSelector {
    EventSelector::builder()
        .read_write_type(ReadWriteType::from(choice.read_write))
        .include_management_events(true)
        .set_exclude_management_event_sources(Some(
            choice
                .excluded_sources()
                .into_iter()
                .map(str::to_string)
                .collect(),
        ))
        .build()
}

/// What `choice` records, in words.
fn recorded(choice: &SelectorChoice) -> String {
    let kind = match choice.read_write {
        "ReadOnly" => "read",
        "WriteOnly" => "write",
        _ => "read and write",
    };
    let left_out = match (choice.exclude_kms, choice.exclude_rds_data) {
        (true, true) => ", KMS and RDS Data API excluded",
        (true, false) => ", KMS excluded",
        (false, true) => ", RDS Data API excluded",
        (false, false) => ", none excluded",
    };
    format!("{kind} management events{left_out}")
}

/// The management events `choice` asks for (by default read and write, KMS and RDS
/// Data API excluded).
pub(super) async fn event_selectors(
    ctx: &Context<'_>,
    choice: &SelectorChoice,
    done: &mut Done,
) -> Result<(), Error> {
    let client = ctx.aws.cloudtrail();
    let name = &ctx.names.trail;
    let current = client
        .get_event_selectors()
        .trail_name(name)
        .send()
        .await
        .map_err(|e| failed("read the event selectors", e))?;
    let wanted = wanted_selector(choice);
    let mut wanted_sources = wanted.exclude_management_event_sources().to_vec();
    wanted_sources.sort();
    let already = current.advanced_event_selectors().is_empty()
        && matches!(current.event_selectors(), [only] if only.read_write_type() == wanted.read_write_type()
            && only.include_management_events() == Some(true)
            && only.data_resources().is_empty()
            && { let mut s = only.exclude_management_event_sources().to_vec(); s.sort(); s == wanted_sources });
    let what = recorded(choice);
    if already {
        done.kept(format!("`{name}` records {what}"));
    } else {
        client
            .put_event_selectors()
            .trail_name(name)
            .event_selectors(wanted)
            .send()
            .await
            .map_err(|e| failed("set the event selectors", e))?;
        done.changed(format!("`{name}` now records {what}"));
    }
    Ok(())
}

/// Turns off the SNS notification delivery of the trail `name`.
pub(super) async fn notifications_off(ctx: &Context<'_>, name: &str) -> Result<(), Error> {
    ctx.aws
        .cloudtrail()
        .update_trail()
        .name(name)
        .sns_topic_name("")
        .send()
        .await
        .map_err(|e| failed("turn SNS notifications off", e))?;
    Ok(())
}

/// Turns the trail's SNS notification delivery on (to the lab's topic, which
/// CloudTrail may then publish to) or off.
pub(super) async fn sns_notifications(
    ctx: &Context<'_>,
    enabled: bool,
    done: &mut Done,
) -> Result<(), Error> {
    let client = ctx.aws.cloudtrail();
    let (name, topic) = (&ctx.names.trail, &ctx.names.topic);
    let trail = existing(ctx).await?;
    let current = trail.sns_topic_arn().filter(|arn| !arn.is_empty());
    if !enabled {
        if current.is_none() {
            done.kept(format!("SNS notifications are off on `{name}`"));
        } else {
            notifications_off(ctx, name).await?;
            done.changed(format!("turned SNS notifications off on `{name}`"));
        }
        return Ok(());
    }
    let topic_arn = super::sns::find(ctx)
        .await?
        .ok_or_else(|| Error::NoResource {
            kind: "topic",
            name: topic.clone(),
            stage: ctx.teaching.stage(checkers::Check::SnsTopic),
        })?;
    let sns = ctx.aws.sns();
    let attributes = sns
        .get_topic_attributes()
        .topic_arn(&topic_arn)
        .send()
        .await
        .map_err(|e| failed("read the topic's policy", e))?;
    let current_policy = attributes.attributes().and_then(|a| a.get("Policy"));
    // The lab's statements go beside the topic's others, never over them.
    let wanted = policy::merged(
        current_policy.map(String::as_str),
        &policy::topic(ctx.scope(), &topic_arn),
    );
    if current_policy.is_some_and(|p| same_json(p, &wanted)) {
        done.kept(format!("`{topic}` lets this trail publish"));
    } else {
        sns.set_topic_attributes()
            .topic_arn(&topic_arn)
            .attribute_name("Policy")
            .attribute_value(wanted.to_string())
            .send()
            .await
            .map_err(|e| failed("let the trail publish to the topic", e))?;
        done.changed(format!("let the trail publish to `{topic}`"));
    }
    if current.is_some_and(|arn| arn == topic_arn) {
        done.kept(format!("`{name}` notifies `{topic}`"));
    } else {
        match client
            .update_trail()
            .name(name)
            .sns_topic_name(topic)
            .send()
            .await
        {
            Ok(_) => done.changed(format!("`{name}` now notifies `{topic}` for each log file")),
            Err(e) if code(&e) == Some("InsufficientSnsTopicPolicyException") => {
                return Err(failed(
                    "turn SNS notifications on (the topic policy is not in effect yet: wait a minute and run the step again)",
                    e,
                ));
            }
            Err(e) => return Err(failed("turn SNS notifications on", e)),
        }
    }
    Ok(())
}

/// Turns log file validation on or off on the lab's trail (UpdateTrail): CloudTrail
/// then signs a digest of every log file it delivers, so a file changed or deleted
/// afterwards shows ("Validating CloudTrail log file integrity",
/// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html>).
pub(super) async fn log_file_validation(
    ctx: &Context<'_>,
    enabled: bool,
    done: &mut Done,
) -> Result<(), Error> {
    let name = &ctx.names.trail;
    let trail = existing(ctx).await?;
    let state = if enabled { "on" } else { "off" };
    if trail.log_file_validation_enabled() == Some(enabled) {
        done.kept(format!("log file validation is {state} on `{name}`"));
        return Ok(());
    }
    ctx.aws
        .cloudtrail()
        .update_trail()
        .name(name)
        .enable_log_file_validation(enabled)
        .send()
        .await
        .map_err(|e| failed("update the trail", e))?;
    done.changed(format!("turned log file validation {state} on `{name}`"));
    Ok(())
}

/// The lab's trail, or the error that names the stage that creates it.
async fn existing(ctx: &Context<'_>) -> Result<aws_sdk_cloudtrail::types::Trail, Error> {
    find(ctx).await?.ok_or_else(|| Error::NoResource {
        kind: "trail",
        name: ctx.names.trail.clone(),
        stage: ctx.teaching.stage(checkers::Check::TrailExists),
    })
}
