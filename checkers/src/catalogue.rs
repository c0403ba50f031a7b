//! Every check the lab knows, defined once.
//!
//! Lessons refer to checks by these ids (`check:` on a step), graders parse them in
//! reports, and lesson loading rejects any id not listed here. A test in the `lab`
//! crate asserts the lessons and this catalogue agree both ways: every id a lesson
//! names exists, and every check here is used by some step.
//!
//! A check's stage is not stored here: it is the stage of the lesson step that uses
//! it, so the lessons stay the single source for the lab's order.

use crate::params::{ParamKind, ParamSpec};
use crate::scope::{Part, Scope};

/// Every check, as a value: what the judge dispatches on, so a check without a
/// judge (or a judge without a check) does not compile. In the catalogue's order:
/// `CATALOGUE[check as usize]` is its entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Check {
    /// `secret.exists`.
    SecretExists,
    /// `trail.exists`.
    TrailExists,
    /// `trail.logging`.
    TrailLogging,
    /// `trail.management_events`.
    TrailManagementEvents,
    /// `trail.excludes_noisy_sources`.
    TrailExcludesNoisySources,
    /// `trail.multi_region`.
    TrailMultiRegion,
    /// `trail.secret_access_recorded`.
    TrailSecretAccessRecorded,
    /// `trail.event_recorded`.
    TrailEventRecorded,
    /// `logs.trail_delivery`.
    LogsTrailDelivery,
    /// `logs.events_arriving`.
    LogsEventsArriving,
    /// `logs.metric_filter`.
    LogsMetricFilter,
    /// `sns.topic`.
    SnsTopic,
    /// `sns.email_confirmed`.
    SnsEmailConfirmed,
    /// `sns.accepts_alarms`.
    SnsAcceptsAlarms,
    /// `alarm.exists`.
    AlarmExists,
    /// `alarm.threshold`.
    AlarmThreshold,
    /// `alarm.notifies_topic`.
    AlarmNotifiesTopic,
    /// `alarm.statistic`.
    AlarmStatistic,
    /// `alarm.fired`.
    AlarmFired,
    /// `trail.sns_notifications`.
    TrailSnsNotifications,
    /// `cleanup.done`.
    CleanupDone,
}

impl Check {
    /// Its catalogue entry.
    pub fn spec(self) -> &'static CheckSpec {
        &CATALOGUE[self as usize]
    }
}

/// One check: its stable id, what it verifies, and what it depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckSpec {
    /// The check, for dispatch.
    pub check: Check,
    /// Stable id, `area.name`, e.g. `alarm.statistic`. Never renamed once shipped.
    pub id: &'static str,
    /// One line saying what passes, in the imperative voice of a goal. `{counts}`,
    /// `{one}` and `{One}` stand for the lab's words (see [`CheckSpec::title_for`]).
    pub title: &'static str,
    /// Checks that must pass before this one means anything. When one of them does
    /// not pass, this check is reported as skipped and names it.
    pub needs: &'static [Check],
    /// The parts of the account its judge looks at; with those of its `needs`,
    /// what a fetch for it reads (see [`crate::scope`]).
    pub reads: &'static [Part],
    /// Parameters a lesson may or must pass with `with:`.
    pub params: &'static [ParamSpec],
}

impl CheckSpec {
    /// The title in the words of the lab whose metric counts what `watch` says.
    pub fn title_for(&self, watch: &crate::watch::Watch) -> String {
        watch.words(self.title)
    }
}

/// The `enabled` parameter of `trail.sns_notifications`.
const SNS_NOTIFICATIONS_ENABLED: ParamSpec = ParamSpec {
    name: "enabled",
    description: "whether SNS notification delivery should be on (true) or off (false)",
    kind: ParamKind::Bool,
    required: true,
};

/// All checks, in the order of the lab.
pub const CATALOGUE: &[CheckSpec] = &[
    CheckSpec {
        check: Check::SecretExists,
        id: "secret.exists",
        title: "The secret exists and is not scheduled for deletion",
        needs: &[],
        reads: &[Part::Secret],
        params: &[],
    },
    CheckSpec {
        check: Check::TrailExists,
        id: "trail.exists",
        title: "The trail exists and delivers to an S3 bucket that exists",
        needs: &[],
        reads: &[Part::Trails, Part::Buckets],
        params: &[],
    },
    CheckSpec {
        check: Check::TrailLogging,
        id: "trail.logging",
        title: "The trail is logging",
        needs: &[Check::TrailExists],
        reads: &[Part::Trails, Part::TrailStatus],
        params: &[],
    },
    CheckSpec {
        check: Check::TrailManagementEvents,
        id: "trail.management_events",
        title: "The trail records management events, both read and write",
        needs: &[Check::TrailExists],
        reads: &[Part::Trails, Part::Selectors],
        params: &[],
    },
    CheckSpec {
        check: Check::TrailExcludesNoisySources,
        id: "trail.excludes_noisy_sources",
        title: "The trail excludes AWS KMS and RDS Data API management events",
        needs: &[Check::TrailExists],
        reads: &[Part::Trails, Part::Selectors],
        params: &[],
    },
    CheckSpec {
        check: Check::TrailMultiRegion,
        id: "trail.multi_region",
        title: "The trail records every region of the account, not only its own",
        needs: &[Check::TrailExists],
        reads: &[Part::Trails],
        params: &[],
    },
    CheckSpec {
        check: Check::TrailSecretAccessRecorded,
        id: "trail.secret_access_recorded",
        title: "CloudTrail has recorded {one}",
        needs: &[Check::SecretExists],
        reads: &[Part::Secret, Part::WatchedEvents],
        params: &[],
    },
    // The same judgement as `trail.secret_access_recorded`, for any lab: that id
    // names the Secrets lab's event, and ids never change once shipped.
    CheckSpec {
        check: Check::TrailEventRecorded,
        id: "trail.event_recorded",
        title: "CloudTrail has recorded {one}",
        needs: &[],
        reads: &[Part::Secret, Part::WatchedEvents],
        params: &[],
    },
    CheckSpec {
        check: Check::LogsTrailDelivery,
        id: "logs.trail_delivery",
        title: "The trail delivers to the log group through a role CloudTrail may assume and write with",
        needs: &[Check::TrailExists],
        reads: &[
            Part::Trails,
            Part::LogGroups,
            Part::Roles,
            Part::RolePolicies,
        ],
        params: &[],
    },
    CheckSpec {
        check: Check::LogsEventsArriving,
        id: "logs.events_arriving",
        title: "CloudTrail events keep arriving in the log group",
        needs: &[Check::LogsTrailDelivery],
        reads: &[Part::Trails, Part::TrailStatus, Part::LogStreams],
        params: &[],
    },
    CheckSpec {
        check: Check::LogsMetricFilter,
        id: "logs.metric_filter",
        title: "A metric filter on the log group counts {counts} into the metric",
        needs: &[Check::LogsTrailDelivery],
        reads: &[
            Part::Secret,
            Part::Trails,
            Part::MetricFilters,
            Part::FilterTests,
        ],
        params: &[],
    },
    CheckSpec {
        check: Check::SnsTopic,
        id: "sns.topic",
        title: "The SNS topic exists",
        needs: &[],
        reads: &[Part::Topics],
        params: &[],
    },
    CheckSpec {
        check: Check::SnsEmailConfirmed,
        id: "sns.email_confirmed",
        title: "A confirmed email subscription takes the alarm's notifications",
        needs: &[Check::SnsTopic],
        reads: &[
            Part::Topics,
            Part::Subscriptions,
            Part::SubscriptionAttributes,
            Part::Alarms,
        ],
        params: &[],
    },
    CheckSpec {
        check: Check::SnsAcceptsAlarms,
        id: "sns.accepts_alarms",
        title: "The topic lets CloudWatch publish the alarm's notifications",
        needs: &[Check::SnsTopic],
        reads: &[
            Part::Topics,
            Part::TopicAttributes,
            Part::TopicKey,
            Part::Alarms,
        ],
        params: &[],
    },
    CheckSpec {
        check: Check::AlarmExists,
        id: "alarm.exists",
        title: "The alarm watches the metric the filter emits: its name, no dimensions, its unit",
        // The alarm is judged on the lab's metric whether or not the filter that
        // feeds it is right: one filter mistake does not cost the alarm's checks.
        needs: &[],
        reads: &[Part::Alarms, Part::MetricFilters],
        params: &[],
    },
    CheckSpec {
        check: Check::AlarmThreshold,
        id: "alarm.threshold",
        title: "{One} crosses the alarm's threshold, and without one, no alarm",
        needs: &[Check::AlarmExists],
        reads: &[Part::Alarms],
        params: &[],
    },
    CheckSpec {
        check: Check::AlarmNotifiesTopic,
        id: "alarm.notifies_topic",
        title: "The alarm's actions are enabled and notify the topic in ALARM",
        needs: &[Check::AlarmExists, Check::SnsTopic],
        reads: &[Part::Alarms, Part::Topics],
        params: &[],
    },
    CheckSpec {
        check: Check::AlarmStatistic,
        id: "alarm.statistic",
        title: "The alarm's statistic lets {one} alone fire it",
        needs: &[Check::AlarmExists],
        reads: &[Part::MetricFilters, Part::Alarms],
        params: &[],
    },
    CheckSpec {
        check: Check::AlarmFired,
        id: "alarm.fired",
        title: "{One} has sent the alarm into ALARM",
        needs: &[Check::AlarmExists],
        reads: &[
            Part::Secret,
            Part::WatchedEvents,
            Part::MetricFilters,
            Part::Alarms,
            Part::AlarmHistory,
            Part::MetricData,
        ],
        params: &[],
    },
    CheckSpec {
        check: Check::TrailSnsNotifications,
        id: "trail.sns_notifications",
        title: "The trail's SNS notification delivery is as the step expects",
        needs: &[Check::TrailExists],
        reads: &[Part::Trails, Part::WriteHistory],
        params: &[SNS_NOTIFICATIONS_ENABLED],
    },
    CheckSpec {
        check: Check::CleanupDone,
        id: "cleanup.done",
        title: "None of the lab's resources remain",
        needs: &[],
        reads: &[
            Part::Secret,
            Part::Trails,
            Part::Buckets,
            Part::LogGroups,
            Part::Roles,
            Part::Alarms,
            Part::Topics,
            // Nothing left of a lab never built is not a cleanup.
            Part::WriteHistory,
        ],
        params: &[],
    },
];

/// The catalogue entry for `id`, if there is one.
pub fn find(id: &str) -> Option<&'static CheckSpec> {
    CATALOGUE.iter().find(|c| c.id == id)
}

/// What judging `checks` needs read: their parts, those of the checks they need
/// (transitively), and the parts those are found through.
pub fn scope_of<'c>(checks: impl IntoIterator<Item = &'c CheckSpec>) -> Scope {
    let mut scope = Scope::default();
    let mut pending: Vec<&CheckSpec> = checks.into_iter().collect();
    let mut seen: Vec<&str> = Vec::new();
    while let Some(check) = pending.pop() {
        if seen.contains(&check.id) {
            continue;
        }
        seen.push(check.id);
        scope = check.reads.iter().copied().fold(scope, Scope::with);
        pending.extend(check.needs.iter().map(|need| need.spec()));
    }
    scope
}

#[cfg(test)]
mod tests {
    #[test]
    fn titles_take_the_labs_words_and_no_placeholder_is_left() {
        let root: crate::watch::Watch =
            serde_json::from_str(include_str!("../tests/data/root-watch.json")).unwrap();
        for spec in super::CATALOGUE {
            let title = spec.title_for(&root);
            assert!(!title.contains('{'), "{title}");
            if spec.title.contains('{') {
                assert!(!title.contains("secret"), "{}: {title}", spec.id);
            }
        }
        let fired = super::Check::AlarmFired.spec().title_for(&root);
        assert_eq!(
            fired,
            "A use of the root user has sent the alarm into ALARM"
        );
    }

    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for check in CATALOGUE {
            assert!(seen.insert(check.id), "duplicate check id {}", check.id);
            let (area, name) = check.id.split_once('.').expect("ids are area.name");
            for part in [area, name] {
                assert!(
                    !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                    "{} is not lowercase area.name",
                    check.id
                );
            }
        }
    }

    #[test]
    fn every_prerequisite_is_a_known_check_listed_earlier() {
        for (index, check) in CATALOGUE.iter().enumerate() {
            for need in check.needs {
                assert!(
                    (*need as usize) < index,
                    "{} needs {}, which is not an earlier check",
                    check.id,
                    need.spec().id
                );
            }
        }
    }

    #[test]
    fn each_check_is_at_its_own_place_in_the_catalogue() {
        for (index, spec) in CATALOGUE.iter().enumerate() {
            assert_eq!(spec.check as usize, index, "{}", spec.id);
            assert_eq!(spec.check.spec().id, spec.id);
        }
    }

    #[test]
    fn find_knows_listed_ids_only() {
        assert_eq!(
            find("alarm.statistic").map(|c| c.id),
            Some("alarm.statistic")
        );
        assert_eq!(find("alarm.statistics"), None);
    }

    fn parts_of(ids: &[&str]) -> Vec<Part> {
        scope_of(ids.iter().map(|id| find(id).expect("a check")))
            .parts()
            .collect()
    }

    #[test]
    fn the_first_stage_reads_the_secret_alone() {
        assert_eq!(parts_of(&["secret.exists"]), [Part::Secret]);
    }

    #[test]
    fn a_scope_takes_in_what_its_checks_need_and_what_that_is_found_through() {
        // trail.logging needs trail.exists (trails, buckets); the status is asked for
        // by the trail's ARN.
        assert_eq!(
            parts_of(&["trail.logging"]),
            [Part::Trails, Part::TrailStatus, Part::Buckets]
        );
        assert_eq!(
            parts_of(&["sns.email_confirmed"]),
            [
                Part::Alarms,
                Part::Topics,
                Part::Subscriptions,
                Part::SubscriptionAttributes
            ]
        );
    }

    #[test]
    fn every_part_is_read_by_some_check_and_all_checks_read_everything() {
        assert_eq!(scope_of(CATALOGUE), Scope::everything());
    }

    #[test]
    fn an_empty_scope_reads_nothing() {
        assert_eq!(scope_of([]).parts().count(), 0);
    }
}
