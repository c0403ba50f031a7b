//! The walk along what the learner really built, shared by every check.
//!
//! Unlike a lookup by name at every step, each link is found from the one before:
//! the log group is the one the lab's trail *delivers to*, the filter is on *that*
//! group, the alarm must watch the metric *that filter* emits, and the topic must be
//! in *that alarm's* actions. A link that points somewhere else is reported as
//! such, naming what it points to.

use super::{Judgement, read};
use crate::snapshot::{Alarm, Names, Snapshot, Trail};

/// The links of the chain that can be found from the snapshot alone.
pub struct Chain<'s> {
    snapshot: &'s Snapshot,
    names: &'s Names,
}

impl<'s> Chain<'s> {
    /// The chain through `snapshot` for the lab's `names`.
    pub fn new(snapshot: &'s Snapshot, names: &'s Names) -> Self {
        Chain { snapshot, names }
    }

    /// The lab's trail, by name; `None` when there is none.
    pub fn trail(&self) -> Result<Option<&'s Trail>, Judgement> {
        let trails = read(&self.snapshot.trails)?;
        Ok(trails.iter().find(|t| t.name == self.names.trail))
    }

    /// The name of the log group the lab's trail delivers to, if it delivers.
    pub fn delivered_group(&self) -> Result<Option<String>, Judgement> {
        Ok(self
            .trail()?
            .and_then(|t| t.log_group_arn.as_deref())
            .map(log_group_name))
    }

    /// The ARN of the lab's topic; `None` when there is none.
    pub fn topic_arn(&self) -> Result<Option<&'s str>, Judgement> {
        let topics = read(&self.snapshot.topics)?;
        Ok(topics
            .iter()
            .find(|arn| arn.rsplit(':').next() == Some(self.names.topic.as_str()))
            .map(String::as_str))
    }

    /// The lab's alarm, by name; `None` when there is none.
    pub fn alarm(&self) -> Result<Option<&'s Alarm>, Judgement> {
        let alarms = read(&self.snapshot.alarms)?;
        Ok(alarms.iter().find(|a| a.name == self.names.alarm))
    }
}

/// The group name in a log group ARN: `arn:aws:logs:R:A:log-group:NAME:*` → `NAME`.
pub fn log_group_name(arn: &str) -> String {
    let rest = arn.split_once(":log-group:").map_or(arn, |(_, rest)| rest);
    rest.strip_suffix(":*").unwrap_or(rest).to_string()
}

/// The last segment of an ARN's resource part: a role's name, a topic's name.
pub fn arn_name(arn: &str) -> &str {
    arn.rsplit(['/', ':']).next().unwrap_or(arn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_arns() {
        assert_eq!(
            log_group_name("arn:aws:logs:us-east-1:1:log-group:my-group:*"),
            "my-group"
        );
        assert_eq!(
            log_group_name("arn:aws:logs:us-east-1:1:log-group:/aws/a:b"),
            "/aws/a:b"
        );
        assert_eq!(
            arn_name("arn:aws:iam::1:role/service-role/MyRole"),
            "MyRole"
        );
        assert_eq!(
            arn_name("arn:aws:sns:us-east-1:1:SecurityAlarms"),
            "SecurityAlarms"
        );
    }
}
