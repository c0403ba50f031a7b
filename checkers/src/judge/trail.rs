//! The trail: `trail.exists`, `trail.logging`, `trail.management_events`,
//! `trail.excludes_noisy_sources`, `trail.sns_notifications`.

use super::{Ctx, Judged, error, fail, pass, read, read_named};
use crate::arn::last_name;
use crate::catalogue::Check;
use crate::params::{ParamValue, Params};
use crate::snapshot::Trail;
use crate::trail_events::{EventShape, records};

/// The lab's trail, or a failure that says it is missing.
fn lab_trail<'s>(ctx: &Ctx<'s>) -> Result<&'s Trail, super::Judgement> {
    let name = &ctx.n.trail;
    ctx.chain.trail()?.ok_or_else(|| {
        fail(
            format!("there is no trail named `{name}` in {}", ctx.s.region),
            format!(
                "create it in CloudTrail{}, or pass its name with --set trail_name=...",
                ctx.stage(Check::TrailExists)
            ),
            None,
        )
    })
}

/// The trail exists and writes to a bucket that exists.
pub(super) fn exists(ctx: &Ctx) -> Judged {
    let trail = lab_trail(ctx)?;
    let name = &trail.name;
    let Some(bucket) = &trail.s3_bucket else {
        return Err(fail(
            format!("the trail `{name}` has no S3 bucket"),
            "edit the trail's storage location and choose a bucket",
            Some(&trail.arn),
        ));
    };
    if *read_named(&ctx.s.buckets, bucket, "the bucket")? {
        Ok(pass(
            format!("the trail `{name}` exists and writes to the bucket `{bucket}`"),
            Some(&trail.arn),
        ))
    } else {
        Err(fail(
            format!("the trail `{name}` writes to the bucket `{bucket}`, which does not exist"),
            "edit the trail and create a new bucket for it (the console writes the bucket policy)",
            Some(&trail.arn),
        ))
    }
}

/// The trail is logging.
pub(super) fn logging(ctx: &Ctx) -> Judged {
    let trail = lab_trail(ctx)?;
    let status = read_named(&ctx.s.trail_status, &trail.name, "the status of trail")?;
    if status.is_logging {
        Ok(pass(
            format!("the trail `{}` is logging", trail.name),
            Some(&trail.arn),
        ))
    } else {
        Err(fail(
            format!("the trail `{}` exists but is not logging", trail.name),
            format!(
                "start it: aws cloudtrail start-logging --name {}",
                trail.name
            ),
            Some(&trail.arn),
        ))
    }
}

const SECRETS: &str = "secretsmanager.amazonaws.com";
const NOISY: [&str; 2] = ["kms.amazonaws.com", "rdsdata.amazonaws.com"];

/// Whether the trail records `event`, or the error verdict when its selectors use
/// something lab cannot simulate.
fn trail_records(ctx: &Ctx, trail: &Trail, event: EventShape) -> Result<bool, super::Judgement> {
    let selectors = read_named(
        &ctx.s.selectors,
        &trail.name,
        "the event selectors of trail",
    )?;
    records(selectors, event).map_err(|why| {
        error(
            format!(
                "cannot judge the event selectors of `{}`: {why}",
                trail.name
            ),
            format!(
                "compare them with the lessons' event selectors{} by hand, or use basic event selectors",
                ctx.stage(Check::TrailManagementEvents)
            ),
        )
    })
}

/// It records management events, read (GetSecretValue) and write.
pub(super) fn management_events(ctx: &Ctx) -> Judged {
    let trail = lab_trail(ctx)?;
    let reads = trail_records(
        ctx,
        trail,
        EventShape {
            source: SECRETS,
            name: "GetSecretValue",
            read_only: true,
        },
    )?;
    let writes = trail_records(
        ctx,
        trail,
        EventShape {
            source: SECRETS,
            name: "PutSecretValue",
            read_only: false,
        },
    )?;
    let name = &trail.name;
    let fix = "edit the trail's management events: tick both Read and Write";
    match (reads, writes) {
        (true, true) => Ok(pass(
            format!("the trail `{name}` records read and write management events"),
            Some(&trail.arn),
        )),
        (false, true) => Err(fail(
            format!(
                "the trail `{name}` records only write management events, so it never sees GetSecretValue (a read)"
            ),
            fix,
            Some(&trail.arn),
        )),
        (true, false) => Err(fail(
            format!("the trail `{name}` records only read management events"),
            fix,
            Some(&trail.arn),
        )),
        (false, false) => Err(fail(
            format!("the trail `{name}` records no management events from Secrets Manager"),
            "edit the trail's event selectors: management events, Read and Write",
            Some(&trail.arn),
        )),
    }
}

/// Management events from KMS and the RDS Data API are left out.
pub(super) fn excludes_noisy_sources(ctx: &Ctx) -> Judged {
    let trail = lab_trail(ctx)?;
    let mut recorded = Vec::new();
    for source in NOISY {
        for read_only in [true, false] {
            if trail_records(
                ctx,
                trail,
                EventShape {
                    source,
                    name: "Any",
                    read_only,
                },
            )? && !recorded.contains(&source)
            {
                recorded.push(source);
            }
        }
    }
    if recorded.is_empty() {
        Ok(pass(
            format!(
                "the trail `{}` leaves out KMS and RDS Data API events",
                trail.name
            ),
            Some(&trail.arn),
        ))
    } else {
        Err(fail(
            format!(
                "the trail `{}` still records management events from {}",
                trail.name,
                recorded.join(" and ")
            ),
            "edit the trail's management events and tick Exclude AWS KMS events and Exclude Amazon RDS Data API events",
            Some(&trail.arn),
        ))
    }
}

/// SNS notification delivery is off, and the history shows it was on before: the
/// step ends with it off, which is also how a trail that never had it looks.
fn turned_off_again(ctx: &Ctx, trail: &Trail) -> Judged {
    let name = &trail.name;
    let history = read(&ctx.s.write_history)?;
    let turned_on = history.iter().find(|e| {
        !e.failed
            && e.source == "cloudtrail.amazonaws.com"
            && matches!(e.name.as_str(), "CreateTrail" | "UpdateTrail")
            && e.text("name")
                .is_some_and(|n| last_name(&n) == name.as_str())
            && e.text("snsTopicName").is_some_and(|t| !t.is_empty())
    });
    match turned_on {
        Some(on) => Ok(pass(
            format!(
                "SNS notification delivery is off on `{name}` again, after it was turned on at {}",
                super::logs::time(on.time)
            ),
            Some(&trail.arn),
        )),
        None => Err(fail(
            format!(
                "SNS notification delivery is off on `{name}`, but CloudTrail's event history shows it was never turned on"
            ),
            format!(
                "do the step that turns it on, see a notice arrive, then turn it off again{}",
                ctx.stage(Check::TrailSnsNotifications)
            ),
            Some(&trail.arn),
        )),
    }
}

/// SNS notification delivery is on (to the lab's topic) or off, as `enabled` says.
pub(super) fn sns_notifications(ctx: &Ctx, params: &Params) -> Judged {
    let trail = lab_trail(ctx)?;
    let name = &trail.name;
    let topic = &ctx.n.topic;
    let wanted = matches!(params.get("enabled"), Some(ParamValue::Bool(true)));
    match (&trail.sns_topic_arn, wanted) {
        (None, false) => turned_off_again(ctx, trail),
        (None, true) => Err(fail(
            format!("SNS notification delivery is off on `{name}`"),
            format!(
                "edit the trail's general details: enable SNS notification delivery to `{topic}`"
            ),
            Some(&trail.arn),
        )),
        (Some(arn), true) if last_name(arn) == topic => Ok(pass(
            format!("the trail `{name}` notifies `{topic}` for each log file"),
            Some(&trail.arn),
        )),
        (Some(arn), true) => Err(fail(
            format!(
                "the trail `{name}` notifies `{}`, not `{topic}`",
                last_name(arn)
            ),
            format!("edit the trail's SNS notification delivery and choose `{topic}`"),
            Some(&trail.arn),
        )),
        (Some(arn), false) => Err(fail(
            format!(
                "SNS notification delivery is still on for `{name}` (to `{}`)",
                last_name(arn)
            ),
            format!("turn it off: aws cloudtrail update-trail --name {name} --sns-topic-name \"\""),
            Some(&trail.arn),
        )),
    }
}
