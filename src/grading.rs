//! The one way `lab` grades, for `lab check` and for *Check my work* alike: the
//! checks a choice of stages asks for, the account read once for exactly what they
//! need, then judged.

use crate::aws::{Aws, Identity};
use crate::lesson::{Lab, Stage};
use crate::session::Session;
use checkers::catalogue::scope_of;
use checkers::fetch::{Clients, Options as FetchOptions, read_account};
use checkers::judge::{Request, judge};
use checkers::snapshot::Endpoint;
use checkers::watch::Watch;

/// The checks of `stages`, each once, in lesson order, with the parameters of
/// their last use; each reported under the stage that first uses it in the lab, or,
/// when that stage is not checked, under the first checked stage that uses it. So
/// `--stage 5` shows, counts and exits on exactly the checks its steps name, in every
/// format (prerequisites outside the scope are still judged, to skip what needs them).
pub fn requests(lab: &Lab, stages: &[&Stage]) -> Vec<Request> {
    let chosen: Vec<u8> = stages.iter().map(|s| s.number).collect();
    let mut requests: Vec<Request> = Vec::new();
    for stage in stages {
        for step in &stage.steps {
            for check in &step.checks {
                match requests.iter_mut().find(|r| r.spec.id == check.spec.id) {
                    Some(existing) => existing.params = check.params.clone(),
                    None => requests.push(Request {
                        spec: check.spec,
                        params: check.params.clone(),
                        stage: lab
                            .stage_of_check(check.spec.id)
                            .filter(|first| chosen.contains(first))
                            .unwrap_or(stage.number),
                    }),
                }
            }
        }
    }
    requests.sort_by_key(|r| r.stage);
    requests
}

/// The clients `fetch` needs, from the one client factory.
pub fn clients(aws: &Aws) -> Clients {
    Clients::new(aws.config(), aws.has_custom_endpoint())
}

/// How an account is graded, beyond which stages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Grading {
    /// Ask CloudWatch's TestMetricFilter to confirm lab's verdicts on filter
    /// patterns (it leaves a CloudTrail record that a learner's filter may count).
    pub confirm_patterns: bool,
    /// The identity reading is a grader's, not the learner's own (a class).
    pub separate_grader: bool,
}

/// How to read through `aws` as `identity` what `requests` need, graded as
/// `grading` says, looking for the counted events `watch` names.
fn fetch_options(
    aws: &Aws,
    identity: &Identity,
    grading: Grading,
    requests: &[Request],
    watch: &Watch,
) -> FetchOptions {
    FetchOptions {
        endpoint: if aws.has_custom_endpoint() {
            Endpoint::Emulator
        } else {
            Endpoint::Aws
        },
        test_patterns: grading.confirm_patterns,
        grader: grading.separate_grader.then(|| identity.arn.clone()),
        scope: scope_of(requests.iter().map(|r| r.spec)),
        lookups: watch.lookups(),
    }
}

/// Reads the account once and judges `checks`, each reported under the stage that
/// first uses it: what `lab run` does to check one step.
pub async fn judge_checks(
    session: &Session<'_>,
    checks: &[crate::lesson::CheckRef],
) -> Vec<checkers::Finding> {
    let requests: Vec<Request> = checks
        .iter()
        .map(|c| Request {
            spec: c.spec,
            params: c.params.clone(),
            stage: session.lab.stage_of_check(c.spec.id).unwrap_or(0),
        })
        .collect();
    read_and_judge(session, &requests, Grading::default())
        .await
        .findings
}

/// An account read and judged.
pub struct Judged {
    /// What was read.
    pub snapshot: checkers::snapshot::Snapshot,
    /// The verdicts.
    pub findings: Vec<checkers::Finding>,
    /// How long judging took (reading's phases are in the snapshot).
    pub judging: std::time::Duration,
}

/// The one way `lab` grades: read what `requests` need from the session's account,
/// once, then judge them.
pub async fn read_and_judge(
    session: &Session<'_>,
    requests: &[Request],
    grading: Grading,
) -> Judged {
    let Identity {
        account, region, ..
    } = &session.identity;
    let options = fetch_options(
        &session.aws,
        &session.identity,
        grading,
        requests,
        &session.lab.watch,
    );
    let snapshot = read_account(
        &clients(&session.aws),
        &session.names,
        account,
        region,
        &options,
    )
    .await;
    tracing::debug!(api_calls = snapshot.api_calls, "read the account");
    let judging = std::time::Instant::now();
    let findings = judge(
        &snapshot,
        &session.names,
        &session.lab.watch,
        &session.teaching,
        requests,
    );
    Judged {
        snapshot,
        findings,
        judging: judging.elapsed(),
    }
}

/// Judges every link from a read of the secret to the inbox (the checks that own
/// them, read once) and names the first that breaks: "why no email?", as the guide
/// asks it in stage 5 and `lab check` answers it.
pub async fn judge_path(session: &Session<'_>) -> Option<checkers::path::Diagnosis> {
    let owners: Vec<crate::lesson::CheckRef> = checkers::path::PATH
        .iter()
        .flat_map(|link| link.owners)
        .map(|check| crate::lesson::CheckRef {
            spec: check.spec(),
            params: checkers::Params::new(),
        })
        .collect();
    let findings = judge_checks(session, &owners).await;
    checkers::path::diagnose(&findings)
}
