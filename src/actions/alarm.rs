//! `alarm.put` and `alarm.set_state`.

use aws_sdk_cloudwatch::types::{ComparisonOperator, StandardUnit, StateValue, Statistic};

use super::{Context, Done, failed, may_change_untagged};
use crate::action_catalogue::AlarmChoice;
use crate::error::Error;

/// Creates or updates the alarm: the lesson's statistic over its period, `>= 1` in
/// one datapoint, with its unit and missing-data treatment, notifying the topic.
pub(super) async fn put(
    ctx: &Context<'_>,
    choice: &AlarmChoice,
    done: &mut Done,
) -> Result<(), Error> {
    let &AlarmChoice {
        statistic,
        period,
        unit,
        treat_missing_data,
    } = choice;
    let cloudwatch = ctx.aws.cloudwatch();
    let (name, topic) = (&ctx.names.alarm, &ctx.names.topic);
    let topic_arn = super::sns::find(ctx)
        .await?
        .ok_or_else(|| Error::NoTopicToNotify {
            topic: topic.clone(),
            stage: ctx.teaching.stage(checkers::Check::SnsTopic),
        })?;
    let description = ctx.value("alarm_description")?;
    let current = cloudwatch
        .describe_alarms()
        .alarm_names(name)
        .send()
        .await
        .map_err(|e| failed("read the alarm", e))?;
    let existing = current.metric_alarms().first();
    if let Some(alarm) = existing {
        let tags = cloudwatch
            .list_tags_for_resource()
            .resource_arn(alarm.alarm_arn().unwrap_or_default())
            .send()
            .await;
        let tagged = tags.is_ok_and(|t| {
            t.tags().iter().any(|t| {
                t.key() == Some(ctx.tag.key.as_str()) && t.value() == Some(ctx.tag.value.as_str())
            })
        });
        if !tagged {
            may_change_untagged(ctx, "alarm", name, "alarm_name")?;
        }
    }
    let wanted = Statistic::from(statistic);
    let same = existing.is_some_and(|a| {
        a.namespace() == Some(ctx.names.namespace.as_str())
            && a.metric_name() == Some(ctx.names.metric.as_str())
            && a.dimensions().is_empty()
            && a.statistic() == Some(&wanted)
            && a.period() == Some(period)
            && a.evaluation_periods() == Some(1)
            && a.datapoints_to_alarm().is_none_or(|d| d == 1)
            && a.threshold() == Some(1.0)
            && a.unit().map(StandardUnit::as_str) == unit
            && a.treat_missing_data().unwrap_or("missing")
                == treat_missing_data.unwrap_or("missing")
            && a.comparison_operator() == Some(&ComparisonOperator::GreaterThanOrEqualToThreshold)
            && a.actions_enabled() != Some(false)
            && a.alarm_actions() == [topic_arn.clone()]
            && a.alarm_description() == Some(description)
    });
    if same {
        done.kept(format!(
            "the alarm `{name}` uses {statistic} over {period} s and notifies `{topic}`"
        ));
        return Ok(());
    }
    let mut request = cloudwatch
        .put_metric_alarm()
        .alarm_name(name)
        .alarm_description(description)
        .namespace(&ctx.names.namespace)
        .metric_name(&ctx.names.metric)
        .statistic(wanted)
        .period(period)
        .evaluation_periods(1)
        .datapoints_to_alarm(1)
        .threshold(1.0)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
        .actions_enabled(true)
        .alarm_actions(&topic_arn)
        .set_unit(unit.map(StandardUnit::from))
        .set_treat_missing_data(treat_missing_data.map(str::to_string));
    if existing.is_none() {
        request = request.tags(
            aws_sdk_cloudwatch::types::Tag::builder()
                .key(&ctx.tag.key)
                .value(&ctx.tag.value)
                .build(),
        );
    }
    request
        .send()
        .await
        .map_err(|e| failed("create the alarm", e))?;
    let verb = if existing.is_some() {
        "updated"
    } else {
        "created"
    };
    let unit = unit.map(|u| format!(", unit {u}")).unwrap_or_default();
    let missing = treat_missing_data
        .map(|t| format!(", missing data {t}"))
        .unwrap_or_default();
    done.changed(format!(
        "{verb} the alarm `{name}`: {statistic} over {period} s, >= 1{unit}{missing}, notifying `{topic}`"
    ));
    Ok(())
}

/// Puts the alarm into ALARM by hand, to test the notification path on its own.
pub(super) async fn set_state(ctx: &Context<'_>, done: &mut Done) -> Result<(), Error> {
    let name = &ctx.names.alarm;
    let current = ctx
        .aws
        .cloudwatch()
        .describe_alarms()
        .alarm_names(name)
        .send()
        .await
        .map_err(|e| failed("read the alarm", e))?;
    match current.metric_alarms().first() {
        None => {
            return Err(Error::NoResource {
                kind: "alarm",
                name: name.clone(),
                stage: ctx.teaching.stage(checkers::Check::AlarmExists),
            });
        }
        Some(alarm) if alarm.state_value() == Some(&StateValue::Alarm) => {
            done.kept(format!("the alarm `{name}` is already in ALARM"));
            return Ok(());
        }
        Some(_) => {}
    }
    ctx.aws
        .cloudwatch()
        .set_alarm_state()
        .alarm_name(name)
        .state_value(StateValue::Alarm)
        .state_reason("Manually triggered for testing")
        .send()
        .await
        .map_err(|e| failed("set the alarm's state", e))?;
    done.changed(format!("set the alarm `{name}` to ALARM by hand; it returns to its real state at the next evaluation"));
    Ok(())
}
