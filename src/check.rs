//! `lab check`: read the account once, judge the requested stages, report.
//!
//! Which checks run comes from the lessons: the checks of the steps of the chosen
//! stages, each once, in lesson order, with the parameters of its *last* use in
//! scope (the state a stage ends in: stage 6 turns SNS notifications on, then off).

use crate::aws::{Aws, AwsOptions, Identity, connect};
use crate::error::Error;
use crate::lesson::{Lab, Stage};
use crate::report::Report;
use crate::session::Session;
use crate::timing::Lap;
use crate::variables::resolve;
use checkers::catalogue::scope_of;
use checkers::fetch::{Clients, Options as FetchOptions, read_account};
use checkers::judge::{Request, judge};
use checkers::snapshot::Endpoint;

/// The stages to check: those named (by number or id), all of them, or by default
/// those the lessons mark `checked_by_default`.
pub fn stages<'l>(lab: &'l Lab, named: &[String], all: bool) -> Result<Vec<&'l Stage>, Error> {
    if all {
        return Ok(lab.stages.iter().collect());
    }
    if named.is_empty() {
        return Ok(lab.stages.iter().filter(|s| s.checked_by_default).collect());
    }
    let mut chosen: Vec<&Stage> = Vec::new();
    for key in named {
        let stage = find_stage(lab, key)?;
        if !chosen.iter().any(|s| s.number == stage.number) {
            chosen.push(stage);
        }
    }
    chosen.sort_by_key(|s| s.number);
    Ok(chosen)
}

/// The stages to read for `checks` (ids), as `--check` names them: those given
/// (`named`, or all of them), else the stages each check is first used in. A check
/// the lab does not use, or one not used in the stages given, is a usage error.
pub fn scope<'l>(
    lab: &'l Lab,
    named: &[String],
    all: bool,
    checks: &[String],
) -> Result<Vec<&'l Stage>, Error> {
    let mut first = Vec::new();
    for id in checks {
        let stage = lab.stage_of_check(id).ok_or_else(|| {
            let mut known: Vec<&str> = lab
                .steps()
                .flat_map(|(_, step)| step.checks.iter().map(|c| c.spec.id))
                .collect();
            known.sort_unstable();
            known.dedup();
            Error::usage(
                format!("this lab has no check `{id}`"),
                format!("its checks are: {}", known.join(", ")),
            )
        })?;
        first.push(stage.to_string());
    }
    let chosen = if named.is_empty() && !all && !checks.is_empty() {
        stages(lab, &first, false)?
    } else {
        stages(lab, named, all)?
    };
    let in_scope = requests(lab, &chosen);
    if let Some((id, stage)) = checks
        .iter()
        .zip(&first)
        .find(|(id, _)| !in_scope.iter().any(|r| r.spec.id == id.as_str()))
    {
        return Err(Error::usage(
            format!("no step of the stages checked uses the check `{id}`"),
            format!("add --stage {stage}, where it is first used, or leave out --stage"),
        ));
    }
    Ok(chosen)
}

/// What `--step KEY` checks: the step (`2.1`, or its id) with the checks it names,
/// as *Check my work* judges them. Returned as its stage cut after the step, so that
/// each check takes the parameters this step gives it (a later step may use it
/// otherwise), with the ids to report.
pub fn step_scope(lab: &Lab, key: &str) -> Result<(Stage, Vec<String>), Error> {
    let found = lab.stages.iter().find_map(|stage| {
        stage.steps.iter().enumerate().find_map(|(at, step)| {
            let numbered = format!("{}.{}", stage.number, at + 1);
            (step.id == key || numbered == key).then_some((stage, at))
        })
    });
    let Some((stage, at)) = found else {
        let known: Vec<String> = lab
            .stages
            .iter()
            .flat_map(|stage| {
                stage
                    .steps
                    .iter()
                    .enumerate()
                    .map(move |(at, step)| format!("{}.{} ({})", stage.number, at + 1, step.id))
            })
            .collect();
        return Err(Error::usage(
            format!("there is no step `{key}`"),
            format!("the steps are: {}", known.join(", ")),
        ));
    };
    let checks = stage.steps[at]
        .checks
        .iter()
        .map(|c| c.spec.id.to_string())
        .collect();
    let mut cut = stage.clone();
    cut.steps.truncate(at + 1);
    Ok((cut, checks))
}

/// The stage named by `key` (its number or its id), or an error listing the stages.
pub fn find_stage<'l>(lab: &'l Lab, key: &str) -> Result<&'l Stage, Error> {
    lab.stage(key).ok_or_else(|| {
        let known: Vec<String> = lab
            .stages
            .iter()
            .map(|s| format!("{} ({})", s.number, s.id))
            .collect();
        Error::usage(
            format!("there is no stage `{key}`"),
            format!("the stages are: {}", known.join(", ")),
        )
    })
}

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
/// `grading` says.
fn fetch_options(
    aws: &Aws,
    identity: &Identity,
    grading: Grading,
    requests: &[Request],
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
    }
}

/// Connects, reads and judges the account the credentials are in: the whole of
/// `lab check` short of printing.
pub async fn grade_account(
    lab: &Lab,
    options: &AwsOptions,
    set: &[(String, String)],
    stages: &[&Stage],
    grading: Grading,
) -> Result<Report, Error> {
    // Check --set before touching AWS: a typo should not wait on the network.
    resolve(lab, None, None, set)?;
    let started = std::time::Instant::now();
    let aws = connect(options).await?;
    let identity = aws.identity().await?;
    let mut report = report_as(&aws, identity, lab, set, stages, grading).await?;
    report.timings.insert(
        0,
        Lap {
            what: "configuration and credentials (STS)".into(),
            requests: Some(1),
            took: started
                .elapsed()
                .saturating_sub(report.timings.iter().map(|l| l.took).sum()),
        },
    );
    Ok(report)
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
    let Identity {
        account, region, ..
    } = &session.identity;
    let options = fetch_options(
        &session.aws,
        &session.identity,
        Grading::default(),
        &requests,
    );
    let snapshot = read_account(
        &clients(&session.aws),
        &session.names,
        account,
        region,
        &options,
    )
    .await;
    judge(
        &snapshot,
        &session.names,
        &session.lab.watch,
        &session.teaching,
        &requests,
    )
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

/// Reads the account `aws` reaches and judges `stages` of `lab`.
pub async fn report(
    aws: &Aws,
    lab: &Lab,
    set: &[(String, String)],
    stages: &[&Stage],
    grading: Grading,
) -> Result<Report, Error> {
    let identity = aws.identity().await?;
    report_as(aws, identity, lab, set, stages, grading).await
}

/// The same, for a caller that has already asked AWS who it is (`identity`).
pub async fn report_as(
    aws: &Aws,
    identity: Identity,
    lab: &Lab,
    set: &[(String, String)],
    stages: &[&Stage],
    grading: Grading,
) -> Result<Report, Error> {
    let started = std::time::Instant::now();
    let graded_at = aws_smithy_types::DateTime::from(std::time::SystemTime::now())
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_default();
    let session = Session::with_identity(lab, aws.clone(), identity, set)?;
    let Identity {
        account, region, ..
    } = &session.identity;
    let requests = requests(lab, stages);
    let options = fetch_options(aws, &session.identity, grading, &requests);
    let snapshot = read_account(&clients(aws), &session.names, account, region, &options).await;
    tracing::debug!(api_calls = snapshot.api_calls, "read the account");
    let judging = std::time::Instant::now();
    let findings = judge(
        &snapshot,
        &session.names,
        &lab.watch,
        &session.teaching,
        &requests,
    );
    let mut timings: Vec<Lap> = snapshot
        .phases
        .iter()
        .map(|p| Lap {
            what: format!("reading: {}", p.name),
            requests: Some(p.requests),
            took: p.took,
        })
        .collect();
    timings.push(Lap {
        what: "judging".into(),
        requests: None,
        took: judging.elapsed(),
    });
    let points = findings
        .iter()
        .map(|f| (f.id.clone(), lab.points(&f.id)))
        .collect();
    Ok(Report {
        lab: lab.id.clone(),
        title: lab.title.clone(),
        account: account.clone(),
        region: region.clone(),
        stages: stages.iter().map(|s| (s.number, s.title.clone())).collect(),
        findings,
        points,
        api_calls: snapshot.api_calls,
        graded_at,
        seconds: started.elapsed().as_secs_f64(),
        timings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::{LessonSource, load};

    fn numbers(stages: &[&Stage]) -> Vec<u8> {
        stages.iter().map(|s| s.number).collect()
    }

    #[test]
    fn checks_named_alone_read_the_stages_that_first_use_them() {
        let lab = load(&LessonSource::Embedded).unwrap();
        let ids = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let chosen = scope(&lab, &[], false, &ids(&["alarm.fired", "secret.exists"])).unwrap();
        assert_eq!(numbers(&chosen), [1, 5]);
        // Within the stages given, or refused, saying where the check is first used.
        let within = scope(&lab, &ids(&["4"]), false, &ids(&["sns.topic"])).unwrap();
        assert_eq!(numbers(&within), [4]);
        let outside = scope(&lab, &ids(&["1"]), false, &ids(&["sns.topic"])).unwrap_err();
        assert!(
            outside.help().unwrap().contains("--stage 4"),
            "{outside}: {:?}",
            outside.help()
        );
        let unknown = scope(&lab, &[], false, &ids(&["alarm.fires"])).unwrap_err();
        assert!(
            unknown.to_string().contains("no check `alarm.fires`"),
            "{unknown}"
        );
        assert!(
            unknown.help().unwrap().contains("alarm.fired"),
            "{:?}",
            unknown.help()
        );
        // A step: its checks, with the parameters it gives them (6.1 expects the
        // notifications on; the stage as a whole ends with them off).
        let (cut, checks) = step_scope(&lab, "6.1").unwrap();
        let requests = requests(&lab, &[&cut]);
        let notifications = requests
            .iter()
            .find(|r| r.spec.id == "trail.sns_notifications")
            .expect("6.1 checks the notifications");
        assert_eq!(
            notifications.params,
            lab.stages[5].steps[0]
                .checks
                .iter()
                .find(|c| c.spec.id == "trail.sns_notifications")
                .unwrap()
                .params
        );
        assert!(checks.contains(&"trail.sns_notifications".to_string()));
        let by_id = step_scope(&lab, &lab.stages[5].steps[0].id).unwrap();
        assert_eq!(by_id.1, checks);
        assert!(
            step_scope(&lab, "6.9")
                .unwrap_err()
                .help()
                .unwrap()
                .contains("6.1")
        );
        // Without --check, the stages as named.
        assert_eq!(
            numbers(&scope(&lab, &[], false, &[]).unwrap()),
            [1, 2, 3, 4, 5]
        );
    }
}
