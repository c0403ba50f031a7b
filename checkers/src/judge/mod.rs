//! The checks themselves: pure functions from a [`Snapshot`] to verdicts.
//!
//! One module per area (`secret`, `trail`, `logs`, `sns`, `alarm`, `cleanup`), and
//! [`chain`], the shared walk along what the learner really built: the lab's trail,
//! the log group that trail delivers to, the filter on that group that counts reads,
//! the alarm on the metric that filter emits, the topic in that alarm's actions.
//!
//! [`judge`] runs the requested checks. A check whose prerequisite (its catalogue
//! `needs`) did not pass is skipped and names the prerequisite; prerequisites are
//! judged even when not requested, so `--stage 5` alone still skips correctly.

mod alarm;
pub(crate) mod chain;
mod cleanup;
mod fired;
mod logs;
mod metric;
mod publish;
mod recorded;
mod secret;
mod sns;
mod trail;

use std::collections::HashMap;

use crate::catalogue::{Check, CheckSpec};
use crate::finding::{Finding, Status};
use crate::params::Params;
use crate::snapshot::{Names, Read, ReadError, ReadErrorKind, Snapshot};
use crate::watch::Watch;

pub use chain::Chain;

/// One check to judge: its id, parameters, and the stage the lessons give it.
#[derive(Debug, Clone)]
pub struct Request {
    /// The catalogue entry.
    pub spec: &'static CheckSpec,
    /// Parameters, already validated against the spec.
    pub params: Params,
    /// The stage the check belongs to.
    pub stage: u8,
}

/// A verdict before it is dressed as a [`Finding`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    /// The verdict.
    pub status: Status,
    /// What was found, naming the resource.
    pub message: String,
    /// What to do; `None` on pass.
    pub fix: Option<String>,
    /// The resource's ARN, where there is one.
    pub resource: Option<String>,
}

/// The result of a check function: `Err` is an early verdict (usually a failure or
/// an unreadable resource), so check code can use `?` on the way down the chain.
pub(crate) type Judged = Result<Judgement, Judgement>;

pub(crate) fn pass(message: impl Into<String>, resource: Option<&str>) -> Judgement {
    Judgement {
        status: Status::Pass,
        message: message.into(),
        fix: None,
        resource: resource.map(str::to_string),
    }
}

pub(crate) fn fail(
    message: impl Into<String>,
    fix: impl Into<String>,
    resource: Option<&str>,
) -> Judgement {
    Judgement {
        status: Status::Fail,
        message: message.into(),
        fix: Some(fix.into()),
        resource: resource.map(str::to_string),
    }
}

pub(crate) fn error(message: impl Into<String>, fix: impl Into<String>) -> Judgement {
    Judgement {
        status: Status::Error,
        message: message.into(),
        fix: Some(fix.into()),
        resource: None,
    }
}

/// The verdict for a read that failed: always an error, naming the permission or
/// the cause, never a pass or a fail.
pub(crate) fn unreadable(e: &ReadError) -> Judgement {
    let action = &e.action;
    match e.kind {
        ReadErrorKind::AccessDenied => error(
            format!("cannot read: access denied to `{action}` ({})", e.detail),
            format!(
                "allow `{action}` for the identity lab uses (the AWS managed policy ReadOnlyAccess \
                 covers every check), then run the check again"
            ),
        ),
        ReadErrorKind::Throttled => error(
            format!("AWS kept throttling `{action}` after several retries"),
            "run the check again in a minute; if you grade many accounts, lower the concurrency",
        ),
        ReadErrorKind::NotImplemented => error(
            format!("the endpoint does not implement `{action}` ({})", e.detail),
            "this check needs a real AWS account or the lab sandbox; a plain emulator cannot show it",
        ),
        ReadErrorKind::Unavailable => error(
            format!("`{action}` failed: {}", e.detail),
            "check the network and the endpoint, then run the check again",
        ),
        ReadErrorKind::NotInHistory => error(
            e.detail.clone(),
            "nothing to do now: the lab was graded from the history of its calls after it was cleaned up, \
             and this part cannot be seen any more; grade before the last stage to see all of it",
        ),
        ReadErrorKind::NotRead => error(
            format!("lab did not call `{action}` for this check (a gap in the check's scope)"),
            "report this as a bug in lab; `lab check --all` reads everything",
        ),
    }
}

/// The value of a read, or the error verdict for it.
pub(crate) fn read<T>(r: &Read<T>) -> Result<&T, Judgement> {
    r.as_ref().map_err(unreadable)
}

/// A read from a by-name map, or the error verdict for it. A missing entry means
/// the fetch never asked, which is a bug in `fetch`, reported as an error.
pub(crate) fn read_named<'a, T>(
    reads: &'a crate::snapshot::Reads<T>,
    name: &str,
    what: &str,
) -> Result<&'a T, Judgement> {
    match reads.get(name) {
        Some(r) => read(r),
        None => Err(error(
            format!("lab did not read {what} `{name}` (an internal gap in lab's fetch)"),
            "report this as a bug in lab",
        )),
    }
}

/// What every check reads: the snapshot, the lab's names, what its metric must
/// count, and the chain through them.
pub(crate) struct Ctx<'s> {
    pub s: &'s Snapshot,
    pub n: &'s Names,
    pub w: &'s Watch,
    pub t: &'s Teaching,
    pub chain: Chain<'s>,
}

impl<'s> Ctx<'s> {
    fn new(s: &'s Snapshot, n: &'s Names, w: &'s Watch, t: &'s Teaching) -> Ctx<'s> {
        Ctx {
            s,
            n,
            w,
            t,
            chain: Chain::new(s, n),
        }
    }

    /// What the records a judge generates or reads back are about: the lab's secret
    /// (by the ARN the account gives it, where it exists), in the snapshot's account
    /// and region.
    pub(crate) fn subject(&self) -> Result<crate::corpus::Subject, Judgement> {
        let secret_arn = read(&self.s.secret)?.as_ref().map(|s| s.arn.as_str());
        Ok(crate::corpus::Subject::new(
            self.n.secret_or_unnamed(),
            secret_arn,
            &self.s.account,
            &self.s.region,
        ))
    }

    /// ` (stage N)`, where the lessons teach what `check` checks; empty where they
    /// do not use it.
    pub(crate) fn stage(&self, check: Check) -> String {
        self.t.stage(check)
    }
}

/// What the lessons teach that verdicts point back to, so fixes speak the lab's
/// own words: the stage where each check is met, and the filter pattern taught.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Teaching {
    /// The stage of the lesson step that uses each check.
    pub stages: HashMap<Check, u8>,
    /// The metric filter pattern the lessons teach (the `filter_pattern` variable).
    pub pattern: String,
}

impl Teaching {
    /// ` (stage N)` for `check`, or nothing where no stage uses it.
    pub fn stage(&self, check: Check) -> String {
        self.stages
            .get(&check)
            .map(|n| format!(" (stage {n})"))
            .unwrap_or_default()
    }
}

/// Judges `requests` against `snapshot`, in the order given, for the lab whose
/// resources are `names`, whose metric must count what `watch` says, and whose
/// lessons teach what `teaching` says.
pub fn judge(
    snapshot: &Snapshot,
    names: &Names,
    watch: &Watch,
    teaching: &Teaching,
    requests: &[Request],
) -> Vec<Finding> {
    // A lab cleaned up after it was built is judged as it was just before, rebuilt
    // from the history of its calls; whether it is gone is judged on the account.
    let before = snapshot.before_cleanup.as_deref();
    let lab = before.map_or(snapshot, |b| &b.lab);
    let rebuilt = Ctx::new(lab, names, watch, teaching);
    let now = Ctx::new(snapshot, names, watch, teaching);
    let evidence = before.map(|b| {
        format!(
            "its resources are gone, so it is judged as it was before its cleanup began at {}, rebuilt from its calls in CloudTrail event history",
            logs::time(b.at)
        )
    });
    let mut memo: HashMap<&'static str, Status> = HashMap::new();
    requests
        .iter()
        .map(|request| {
            let on_the_account = request.spec.check == Check::CleanupDone;
            let (ctx, evidence) = if on_the_account {
                (&now, None)
            } else {
                (&rebuilt, evidence.clone())
            };
            let judgement = judge_one(ctx, request.spec, &request.params, &mut memo);
            Finding {
                id: request.spec.id.to_string(),
                stage: request.stage,
                title: request.spec.title_for(watch),
                status: judgement.status,
                message: judgement.message,
                fix: judgement.fix,
                resource: judgement.resource,
                evidence,
            }
        })
        .collect()
}

fn judge_one(
    ctx: &Ctx,
    spec: &'static CheckSpec,
    params: &Params,
    memo: &mut HashMap<&'static str, Status>,
) -> Judgement {
    for need_spec in spec.needs.iter().map(|need| need.spec()) {
        let need = need_spec.id;
        let status = match memo.get(need) {
            Some(status) => *status,
            None => {
                let status = judge_one(ctx, need_spec, &Params::new(), memo).status;
                memo.insert(need, status);
                status
            }
        };
        // What depends on a check that could not be graded cannot be graded either.
        if matches!(status, Status::Error) {
            return Judgement {
                status: Status::Error,
                message: format!(
                    "not graded: `{need}` could not be graded, and this check needs it"
                ),
                fix: Some(format!("see `{need}`: once it can be graded, so can this")),
                resource: None,
            };
        }
        if status != Status::Pass {
            return Judgement {
                status: Status::Skipped,
                message: format!("skipped: `{need}` did not pass ({})", status.as_str()),
                fix: Some(format!("fix `{need}` first")),
                resource: None,
            };
        }
    }
    let judgement = dispatch(ctx, spec.check, params).unwrap_or_else(|early| early);
    if params.is_empty() {
        memo.insert(spec.id, judgement.status);
    }
    judgement
}

/// The judge of `check`: a match with an arm for every check, and no other.
fn dispatch(ctx: &Ctx, check: Check, params: &Params) -> Judged {
    match check {
        Check::SecretExists => secret::exists(ctx),
        Check::TrailExists => trail::exists(ctx),
        Check::TrailLogging => trail::logging(ctx),
        Check::TrailManagementEvents => trail::management_events(ctx),
        Check::TrailExcludesNoisySources => trail::excludes_noisy_sources(ctx),
        Check::TrailMultiRegion => trail::multi_region(ctx),
        Check::TrailSecretAccessRecorded | Check::TrailEventRecorded => {
            recorded::access_recorded(ctx)
        }
        Check::TrailSnsNotifications => trail::sns_notifications(ctx, params),
        Check::LogsTrailDelivery => logs::trail_delivery(ctx),
        Check::LogsEventsArriving => logs::events_arriving(ctx),
        Check::LogsMetricFilter => metric::metric_filter(ctx),
        Check::SnsTopic => sns::topic(ctx),
        Check::SnsEmailConfirmed => sns::email_confirmed(ctx),
        Check::SnsAcceptsAlarms => publish::accepts_alarms(ctx),
        Check::AlarmExists => alarm::exists(ctx),
        Check::AlarmThreshold => alarm::threshold(ctx),
        Check::AlarmNotifiesTopic => alarm::notifies_topic(ctx),
        Check::AlarmStatistic => alarm::statistic(ctx),
        Check::AlarmFired => fired::fired(ctx),
        Check::CleanupDone => cleanup::done(ctx),
    }
}

#[cfg(test)]
mod link_tests;
#[cfg(test)]
mod rebuilt_tests;
#[cfg(test)]
mod tests;
