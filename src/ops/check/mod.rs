//! `lab check`: read the account once, judge the requested stages, report.
//!
//! Which checks run comes from the lessons: the checks of the steps of the chosen
//! stages, each once, in lesson order, with the parameters of its *last* use in
//! scope (the state a stage ends in: stage 6 turns SNS notifications on, then off).

pub mod elsewhere;

use crate::aws::{AwsOptions, connect};
use crate::error::Error;
use crate::grading::{Grading, Judged, read_and_judge, requests};
use crate::lesson::{Lab, Stage};
use crate::report::Report;
use crate::session::Session;
use crate::timing::Lap;
use crate::variables::Assignments;

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
            let mut known: Vec<String> = lab
                .steps()
                .flat_map(|(_, step)| step.checks.iter().map(|c| c.spec.id.to_string()))
                .collect();
            known.sort_unstable();
            known.dedup();
            Error::UnknownCheck {
                id: id.clone(),
                known,
            }
        })?;
        first.push(stage.to_string());
    }
    let chosen = if named.is_empty() && !all && !checks.is_empty() {
        lab.chosen_stages(&first, false)?
    } else {
        lab.chosen_stages(named, all)?
    };
    let in_scope = requests(lab, &chosen);
    if let Some((id, stage)) = checks
        .iter()
        .zip(&first)
        .find(|(id, _)| !in_scope.iter().any(|r| r.spec.id == id.as_str()))
    {
        return Err(Error::CheckOutsideStages {
            id: id.clone(),
            stage: stage.clone(),
        });
    }
    Ok(chosen)
}

/// What `--step KEY` checks: the step (`2.1`, or its id) with the checks it names,
/// as *Check my work* judges them. Returned as its stage cut after the step, so that
/// each check takes the parameters this step gives it (a later step may use it
/// otherwise), with the ids to report.
pub fn step_scope(lab: &Lab, key: &str) -> Result<(Stage, Vec<String>), Error> {
    let (stage, at) = lab.find_step(key)?;
    let checks = stage.steps[at]
        .checks
        .iter()
        .map(|c| c.spec.id.to_string())
        .collect();
    let mut cut = stage.clone();
    cut.steps.truncate(at + 1);
    Ok((cut, checks))
}

/// Connects, reads and judges the account the credentials are in: the whole of
/// `lab check` short of printing.
pub async fn grade_account(
    lab: &Lab,
    options: &AwsOptions,
    assignments: &Assignments,
    stages: &[&Stage],
    grading: Grading,
) -> Result<Report, Error> {
    let started = std::time::Instant::now();
    let session = Session::open(lab, connect(options).await?, assignments).await?;
    let mut report = report(&session, stages, grading).await;
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

/// Reads the session's account and judges `stages` of its lab: the report, with
/// what each part took.
pub async fn report(session: &Session<'_>, stages: &[&Stage], grading: Grading) -> Report {
    let started = std::time::Instant::now();
    let graded_at = aws_smithy_types::DateTime::from(std::time::SystemTime::now())
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_default();
    let lab = session.lab;
    let requests = requests(lab, stages);
    let Judged {
        snapshot,
        findings,
        judging,
    } = read_and_judge(session, &requests, grading).await;
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
        took: judging,
    });
    let points = findings
        .iter()
        .map(|f| (f.id.clone(), lab.points(&f.id)))
        .collect();
    Report {
        lab: lab.id.clone(),
        title: lab.title.clone(),
        account: session.identity.account.clone(),
        region: session.identity.region.clone(),
        stages: stages.iter().map(|s| (s.number, s.title.clone())).collect(),
        findings,
        points,
        api_calls: snapshot.api_calls,
        graded_at,
        seconds: started.elapsed().as_secs_f64(),
        timings,
        warnings: as_root(&session.identity).into_iter().collect(),
    }
}

/// The warning for reading an account as its root user: AWS advises against it,
/// and every call `lab` makes is then a use of the root user, which a lab that
/// watches the root user counts (and its alarm may fire on).
fn as_root(identity: &crate::aws::Identity) -> Option<String> {
    identity.arn.ends_with(":root").then(|| {
        format!(
            "you are signed in as the root user of {}: every call lab makes is a use of it, \
             which an alarm on root usage counts; use an IAM user or role instead",
            identity.account
        )
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
    fn reading_as_the_root_user_is_warned_of() {
        let identity = |arn: &str| crate::aws::Identity {
            account: "111122223333".into(),
            arn: arn.into(),
            region: "us-east-1".into(),
        };
        let warned = as_root(&identity("arn:aws:iam::111122223333:root")).unwrap();
        assert!(warned.contains("root user of 111122223333"), "{warned}");
        assert_eq!(
            as_root(&identity("arn:aws:iam::111122223333:user/root")),
            None
        );
        assert_eq!(
            as_root(&identity("arn:aws:sts::111122223333:assumed-role/Grader/s")),
            None
        );
    }

    #[test]
    fn checks_named_alone_read_the_stages_that_first_use_them() {
        let lab = load(&LessonSource::default()).unwrap();
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
