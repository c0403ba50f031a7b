//! The message a state change sends to a topic among the alarm's actions, as
//! CloudWatch writes it.

use super::Change;
use crate::world::{cloudwatch_time, iso_millis};
use checkers::snapshot::Alarm;

/// The message CloudWatch sends to a topic on a state change: JSON for programs,
/// and the readable text email subscribers get.
pub fn notification(
    alarm: &Alarm,
    account: &str,
    region: &str,
    change: &Change,
    time: f64,
) -> crate::sns::Message {
    let statistic = alarm.statistic.clone().unwrap_or_default();
    let at = cloudwatch_time(time);
    let json = checkers::notification::alarm_message(
        alarm,
        account,
        region,
        &checkers::notification::Change {
            old: &change.old,
            new: change.new.as_str(),
            reason: &change.reason,
            time: &at,
        },
    );
    let subject = format!("{}: \"{}\" in {region}", change.new.as_str(), alarm.name);
    let email = format!(
        "You are receiving this email because your Amazon CloudWatch Alarm \"{name}\" in the {region} region \
         has entered the {new} state, because \"{reason}\" at \"{at}\".\n\n\
         Alarm Details:\n\
         - Name:                       {name}\n\
         - Description:                {description}\n\
         - State Change:               {old} -> {new}\n\
         - Reason for State Change:    {reason}\n\
         - Timestamp:                  {at}\n\
         - AWS Account:                {account}\n\
         - Alarm Arn:                  {arn}\n\n\
         Threshold:\n\
         - The alarm is in the ALARM state when the metric is {comparison} {threshold} for at least {needed} of the last {periods} period(s) of {period} seconds.\n\n\
         Monitored Metric:\n\
         - MetricNamespace:            {namespace}\n\
         - MetricName:                 {metric}\n\
         - Dimensions:                 {dimensions}\n\
         - Period:                     {period} seconds\n\
         - Statistic:                  {statistic}\n\
         - TreatMissingData:           {missing}\n",
        name = alarm.name,
        description = alarm.description.as_deref().unwrap_or(""),
        old = change.old,
        new = change.new.as_str(),
        reason = change.reason,
        at = iso_millis(time),
        arn = alarm.arn,
        comparison = alarm.comparison.as_deref().unwrap_or(""),
        threshold = alarm.threshold.unwrap_or_default(),
        needed = alarm
            .datapoints_to_alarm
            .or(alarm.evaluation_periods)
            .unwrap_or(1),
        periods = alarm.evaluation_periods.unwrap_or(1),
        period = alarm.period.unwrap_or_default(),
        namespace = alarm.namespace.as_deref().unwrap_or(""),
        metric = alarm.metric.as_deref().unwrap_or(""),
        dimensions = alarm
            .dimensions
            .iter()
            .map(|(n, v)| format!("[{n} = {v}]"))
            .collect::<Vec<_>>()
            .join(" "),
        missing = alarm.treat_missing_data.as_deref().unwrap_or("missing"),
    );
    crate::sns::Message {
        subject,
        default: json.to_string(),
        email: Some(email),
        attributes: Default::default(),
    }
}
