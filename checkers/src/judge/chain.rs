//! The walk along what the learner really built, shared by every check.
//!
//! Unlike a lookup by name at every step, each link is found from the one before:
//! the log group is the one the lab's trail *delivers to*, the filter is on *that*
//! group, the alarm must watch the metric *that filter* emits, and the topic must be
//! in *that alarm's* actions. A link that points somewhere else is reported as
//! such, naming what it points to.

use super::{Judgement, read};
use crate::arn::log_group_name;
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
