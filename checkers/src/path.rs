//! The path the lab builds, from a read of the secret to an email in a confirmed
//! inbox, link by link, and the check that owns each link:
//!
//! ```text
//! read ─▶ recorded ─▶ delivered ─▶ arriving ─▶ counted ─▶ watched ─▶ crosses ─▶ notifies ─▶ published ─▶ received
//!         CloudTrail   to the log    events      the metric   the alarm   one read,    ALARM →      the topic    a confirmed
//!         records it   group, by a   keep        counts it    sees that   nothing      the topic    takes it     inbox takes it
//!                      role it may   coming      once         metric      else
//! ```
//!
//! Each link holds when every check that owns it passes; a check passes only when
//! its links hold ([`crate::judge`] judges each by what AWS does there: a role's
//! trust *and* permissions, a unit the alarm can see, a topic policy and key
//! CloudWatch may use, a filter policy that lets the notification through...).
//! [`diagnose`] walks the links in order and names the first that breaks: the
//! answer to "why no email?", in the words of the check that owns it.

use schemars::JsonSchema;
use serde::Serialize;

use crate::catalogue::Check;
use crate::finding::{Finding, Status};

/// One link of the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Link {
    /// The secret exists, and the trail records its reads.
    Recorded,
    /// The trail can deliver to the log group: where, and through a role it may
    /// assume and write with.
    Delivered,
    /// Events keep arriving in the log group.
    Arriving,
    /// The metric counts each read once, and nothing else.
    Counted,
    /// The alarm sees that metric.
    Watched,
    /// One read crosses the alarm's threshold, and nothing but reads does.
    Crosses,
    /// In ALARM, the alarm notifies the topic.
    Notifies,
    /// The topic takes CloudWatch's message.
    Published,
    /// A confirmed email subscription takes it.
    Received,
}

/// A link, what it means, and the checks that own it.
#[derive(Debug, Clone, Copy)]
pub struct LinkSpec {
    /// The link.
    pub link: Link,
    /// What holds when it holds, for people: "CloudTrail records the read".
    pub holds: &'static str,
    /// The checks that own it, in the order they are told.
    pub owners: &'static [Check],
}

/// The path, in order from the read to the inbox.
pub const PATH: &[LinkSpec] = &[
    LinkSpec {
        link: Link::Recorded,
        holds: "CloudTrail records a read of the secret",
        owners: &[
            Check::SecretExists,
            Check::TrailExists,
            Check::TrailLogging,
            Check::TrailManagementEvents,
        ],
    },
    LinkSpec {
        link: Link::Delivered,
        holds: "the trail delivers it to the log group",
        owners: &[Check::LogsTrailDelivery],
    },
    LinkSpec {
        link: Link::Arriving,
        holds: "events keep arriving in the log group",
        owners: &[Check::LogsEventsArriving],
    },
    LinkSpec {
        link: Link::Counted,
        holds: "the metric counts it once, and nothing else",
        owners: &[Check::LogsMetricFilter],
    },
    LinkSpec {
        link: Link::Watched,
        holds: "the alarm sees that metric",
        owners: &[Check::AlarmExists],
    },
    LinkSpec {
        link: Link::Crosses,
        holds: "one read crosses the alarm's threshold, and nothing else does",
        owners: &[Check::AlarmThreshold, Check::AlarmStatistic],
    },
    LinkSpec {
        link: Link::Notifies,
        holds: "in ALARM, the alarm notifies the topic",
        owners: &[Check::SnsTopic, Check::AlarmNotifiesTopic],
    },
    LinkSpec {
        link: Link::Published,
        holds: "the topic takes CloudWatch's message",
        owners: &[Check::SnsAcceptsAlarms],
    },
    LinkSpec {
        link: Link::Received,
        holds: "a confirmed email subscription takes it",
        owners: &[Check::SnsEmailConfirmed],
    },
];

/// The links the path's checks own, for `check`; empty for a check that is not a
/// link (evidence such as `alarm.fired`, or a stage's own goal).
pub fn links_of(check: Check) -> Vec<Link> {
    PATH.iter()
        .filter(|spec| spec.owners.contains(&check))
        .map(|spec| spec.link)
        .collect()
}

/// How a link came out: the worst of its owners.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct LinkState {
    /// The link.
    pub link: Link,
    /// What holds when it holds.
    pub holds: &'static str,
    /// `pass` when every owner passed; otherwise the first owner's status that did not.
    pub status: Status,
    /// The checks that own it.
    pub checks: Vec<&'static str>,
}

/// The first link that breaks, with the evidence of the check that owns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Break {
    /// The link.
    pub link: Link,
    /// What should hold there.
    pub holds: &'static str,
    /// The check that says why it does not.
    pub check: String,
    /// That check's verdict: `fail`, `error` (cannot tell) or `skipped`.
    pub status: Status,
    /// What it found.
    pub message: String,
    /// What to do.
    pub fix: Option<String>,
}

/// The path through one account: every link, and the first that breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Diagnosis {
    /// Each link in order.
    pub links: Vec<LinkState>,
    /// The first link that does not hold; `null` when a read reaches the inbox.
    pub first_break: Option<Break>,
}

impl Diagnosis {
    /// The answer to "why no email?" in one line, or that a read reaches the inbox.
    pub fn headline(&self) -> String {
        match &self.first_break {
            None => "a read of the secret reaches the inbox: every link holds".to_string(),
            Some(b) if b.status == Status::Error => format!(
                "lab cannot tell whether an email can arrive: whether {} is not known ({}: {})",
                b.holds, b.check, b.message
            ),
            Some(b) => format!(
                "no email can arrive: it breaks where {} ({}: {})",
                b.holds, b.check, b.message
            ),
        }
    }
}

/// The path through the account `findings` judged, when they judge every link;
/// `None` when some link's checks were not asked for (a partial scope says nothing
/// of the whole path).
pub fn diagnose(findings: &[Finding]) -> Option<Diagnosis> {
    let mut links = Vec::new();
    let mut first_break = None;
    for spec in PATH {
        let mut status = Status::Pass;
        for owner in spec.owners {
            let finding = findings.iter().find(|f| f.id == owner.spec().id)?;
            if status == Status::Pass && finding.status != Status::Pass {
                status = finding.status;
                if first_break.is_none() {
                    first_break = Some(Break {
                        link: spec.link,
                        holds: spec.holds,
                        check: finding.id.clone(),
                        status: finding.status,
                        message: finding.message.clone(),
                        fix: finding.fix.clone(),
                    });
                }
            }
        }
        links.push(LinkState {
            link: spec.link,
            holds: spec.holds,
            status,
            checks: spec.owners.iter().map(|c| c.spec().id).collect(),
        });
    }
    Some(Diagnosis { links, first_break })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::CATALOGUE;

    fn finding(id: &str, status: Status) -> Finding {
        Finding {
            id: id.into(),
            stage: 1,
            title: String::new(),
            status,
            message: format!("{id} says so"),
            fix: (status != Status::Pass).then(|| "do this".into()),
            resource: None,
            evidence: None,
        }
    }

    fn all_passing() -> Vec<Finding> {
        CATALOGUE
            .iter()
            .map(|c| finding(c.id, Status::Pass))
            .collect()
    }

    #[test]
    fn every_link_holds_when_every_owner_passes() {
        let diagnosis = diagnose(&all_passing()).unwrap();
        assert_eq!(diagnosis.first_break, None);
        assert!(diagnosis.links.iter().all(|l| l.status == Status::Pass));
        assert!(diagnosis.headline().contains("reaches the inbox"));
    }

    #[test]
    fn the_first_broken_link_is_named_with_its_checks_words() {
        let mut findings = all_passing();
        for (id, status) in [
            ("sns.email_confirmed", Status::Fail),
            ("alarm.statistic", Status::Fail),
        ] {
            findings.iter_mut().find(|f| f.id == id).unwrap().status = status;
        }
        let diagnosis = diagnose(&findings).unwrap();
        let first = diagnosis.first_break.clone().expect("a break");
        assert_eq!(first.link, Link::Crosses);
        assert_eq!(first.check, "alarm.statistic");
        assert!(diagnosis.headline().contains("alarm.statistic says so"));
        let received = diagnosis.links.iter().find(|l| l.link == Link::Received);
        assert_eq!(received.map(|l| l.status), Some(Status::Fail));
    }

    #[test]
    fn an_undecided_link_is_said_as_such() {
        let mut findings = all_passing();
        findings
            .iter_mut()
            .find(|f| f.id == "sns.accepts_alarms")
            .unwrap()
            .status = Status::Error;
        let diagnosis = diagnose(&findings).unwrap();
        assert!(diagnosis.headline().starts_with("lab cannot tell"));
    }

    #[test]
    fn a_partial_scope_has_no_diagnosis() {
        assert_eq!(diagnose(&[finding("secret.exists", Status::Pass)]), None);
    }

    #[test]
    fn every_link_has_an_owner_and_no_check_owns_two_links() {
        for spec in PATH {
            assert!(!spec.owners.is_empty(), "{:?}", spec.link);
        }
        for check in CATALOGUE {
            assert!(links_of(check.check).len() <= 1, "{}", check.id);
        }
    }
}
