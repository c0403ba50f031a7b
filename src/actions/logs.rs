//! `logs.deliver_trail` and `logs.metric_filter`.

use std::time::Duration;

use aws_sdk_cloudwatchlogs::types::{MetricTransformation, StandardUnit};

use super::{Context, Done, code, failed, may_change_untagged, policy, same_json};
use crate::action_catalogue::FilterChoice;
use crate::error::Error;

/// The log group, the role CloudTrail assumes to write to it, and the trail
/// pointed at both.
pub(super) async fn deliver_trail(ctx: &Context<'_>, done: &mut Done) -> Result<(), Error> {
    let logs = ctx.aws.logs();
    let (group, role, trail) = (&ctx.names.log_group, &ctx.names.role, &ctx.names.trail);
    let groups = logs
        .describe_log_groups()
        .log_group_name_prefix(group)
        .send()
        .await
        .map_err(|e| failed("look for the log group", e))?;
    if groups
        .log_groups()
        .iter()
        .any(|g| g.log_group_name() == Some(group.as_str()))
    {
        done.kept(format!("the log group `{group}` exists"));
    } else {
        logs.create_log_group()
            .log_group_name(group)
            .tags(&ctx.tag.key, &ctx.tag.value)
            .send()
            .await
            .map_err(|e| failed("create the log group", e))?;
        done.changed(format!("created the log group `{group}`"));
    }

    let iam = ctx.aws.iam();
    let trust = policy::trust(ctx.scope());
    match iam.get_role().role_name(role).send().await {
        Ok(found) => {
            let tagged = found.role().is_some_and(|r| {
                r.tags()
                    .iter()
                    .any(|t| t.key() == ctx.tag.key && t.value() == ctx.tag.value)
            });
            if !tagged {
                may_change_untagged(ctx, "role", role, "role_name")?;
            }
            let current = found
                .role()
                .and_then(|r| r.assume_role_policy_document())
                .unwrap_or_default();
            if same_json(current, &trust) {
                done.kept(format!("the role `{role}` exists and trusts this trail"));
            } else {
                iam.update_assume_role_policy()
                    .role_name(role)
                    .policy_document(trust.to_string())
                    .send()
                    .await
                    .map_err(|e| failed("update the role's trust policy", e))?;
                done.changed(format!("let CloudTrail assume `{role}` for this trail"));
            }
        }
        Err(e) if code(&e) == Some("NoSuchEntity") => {
            iam.create_role()
                .role_name(role)
                .assume_role_policy_document(trust.to_string())
                .description("Lets CloudTrail write the lab's trail to its log group")
                .tags(
                    aws_sdk_iam::types::Tag::builder()
                        .key(&ctx.tag.key)
                        .value(&ctx.tag.value)
                        .build()
                        .map_err(|e| failed("tag the role", e))?,
                )
                .send()
                .await
                .map_err(|e| failed("create the role", e))?;
            done.changed(format!("created the role `{role}`"));
        }
        Err(e) => return Err(failed("look for the role", e)),
    }
    let writer = policy::logs_writer(ctx.scope(), group);
    let current = iam
        .get_role_policy()
        .role_name(role)
        .policy_name(policy::LOGS_WRITER_POLICY)
        .send()
        .await
        .ok();
    if current.is_some_and(|p| same_json(p.policy_document(), &writer)) {
        done.kept(format!("`{role}` may write to `{group}` only"));
    } else {
        iam.put_role_policy()
            .role_name(role)
            .policy_name(policy::LOGS_WRITER_POLICY)
            .policy_document(writer.to_string())
            .send()
            .await
            .map_err(|e| failed("give the role its permissions", e))?;
        done.changed(format!(
            "let `{role}` create streams and put events in `{group}` only"
        ));
    }

    let group_arn = format!(
        "arn:aws:logs:{}:{}:log-group:{group}:*",
        ctx.region, ctx.account
    );
    let role_arn = format!("arn:aws:iam::{}:role/{role}", ctx.account);
    let current = super::trail::find(ctx).await?;
    let connected = current.as_ref().is_some_and(|t| {
        t.cloud_watch_logs_log_group_arn() == Some(group_arn.as_str())
            && t.cloud_watch_logs_role_arn() == Some(role_arn.as_str())
    });
    if connected {
        done.kept(format!("`{trail}` sends its events to `{group}`"));
        return Ok(());
    }
    // A new role takes a few seconds to be usable by CloudTrail; AWS says so with
    // an "invalid role" error until then.
    let mut wait = Duration::from_secs(2);
    for attempt in 1.. {
        let result = ctx
            .aws
            .cloudtrail()
            .update_trail()
            .name(trail)
            .cloud_watch_logs_log_group_arn(&group_arn)
            .cloud_watch_logs_role_arn(&role_arn)
            .send()
            .await;
        match result {
            Ok(_) => break,
            Err(e) if attempt < 6 && code(&e) == Some("InvalidCloudWatchLogsRoleArnException") => {
                tracing::info!("the new role is not usable by CloudTrail yet; waiting {wait:?}");
                tokio::time::sleep(wait).await;
                wait *= 2;
            }
            Err(e) => return Err(failed("connect the trail to the log group", e)),
        }
    }
    done.changed(format!(
        "`{trail}` now sends its events to `{group}` through `{role}`"
    ));
    Ok(())
}

/// The metric filter: the lab's pattern, 1 per match (and the lesson's default
/// value otherwise, with its unit), into the metric.
pub(super) async fn metric_filter(
    ctx: &Context<'_>,
    choice: &FilterChoice,
    done: &mut Done,
) -> Result<(), Error> {
    let default_value = choice.default_value.map(|n| n as f64);
    let logs = ctx.aws.logs();
    let group = &ctx.names.log_group;
    let (name, pattern) = (ctx.value("filter_name")?, ctx.value("filter_pattern")?);
    let (namespace, metric) = (&ctx.names.namespace, &ctx.names.metric);
    let current = logs
        .describe_metric_filters()
        .log_group_name(group)
        .filter_name_prefix(name)
        .send()
        .await
        .map_err(|e| failed("read the metric filters", e))?;
    let already = current.metric_filters().iter().any(|f| {
        f.filter_name() == Some(name)
            && f.filter_pattern() == Some(pattern)
            && matches!(f.metric_transformations(), [t] if t.metric_namespace() == namespace
                && t.metric_name() == metric && t.metric_value() == "1" && t.default_value() == default_value
                && t.unit().map(StandardUnit::as_str) == choice.unit
                && t.dimensions().is_none_or(|d| d.is_empty()))
    });
    if already {
        done.kept(format!(
            "the metric filter `{name}` counts `{pattern}` into `{namespace}` / `{metric}`"
        ));
        return Ok(());
    }
    let transformation = MetricTransformation::builder()
        .metric_namespace(namespace)
        .metric_name(metric)
        .metric_value("1")
        .set_default_value(default_value)
        .set_unit(choice.unit.map(StandardUnit::from))
        .build()
        .map_err(|e| failed("describe the metric", e))?;
    logs.put_metric_filter()
        .log_group_name(group)
        .filter_name(name)
        .filter_pattern(pattern)
        .metric_transformations(transformation)
        .send()
        .await
        .map_err(|e| failed("create the metric filter", e))?;
    let default = match choice.default_value {
        Some(n) => format!("default {n}"),
        None => "no default".to_string(),
    };
    let unit = choice
        .unit
        .map(|u| format!(", unit {u}"))
        .unwrap_or_default();
    done.changed(format!("created the metric filter `{name}`: `{pattern}` counts 1 into `{namespace}` / `{metric}`, {default}{unit}"));
    Ok(())
}
