//! The trail: `trail.exists`, `trail.logging`, `trail.management_events`,
//! `trail.excludes_noisy_sources`, `trail.multi_region`, `trail.sns_notifications`.

use super::{Ctx, Judged, error, fail, pass, read, read_named};
use crate::arn::last_name;
use crate::catalogue::Check;
use crate::corpus::operations::{OPERATIONS, Operation, service_name};
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

fn shape_of(op: &Operation) -> EventShape<'static> {
    EventShape {
        source: op.source,
        name: op.name,
        read_only: op.read_only,
    }
}

/// A call of `source` that reads (`read_only`) or writes, for asking the selectors
/// about each kind: an operation of the corpus where it has one.
fn probe(source: &str, read_only: bool) -> EventShape<'_> {
    match OPERATIONS
        .iter()
        .find(|op| op.source == source && op.read_only == read_only && !op.service_event)
    {
        Some(op) => shape_of(op),
        None => EventShape {
            source,
            name: "Any",
            read_only,
        },
    }
}

/// It records management events, read and write, and every operation the lab's
/// metric counts ([`crate::watch::Watch::counted_operations`]): a source left out,
/// or a kind of event the selectors skip, is a link to the inbox cut.
pub(super) fn management_events(ctx: &Ctx) -> Judged {
    let trail = lab_trail(ctx)?;
    let counted = ctx.w.counted_operations();
    let Some(first) = counted.first() else {
        return Err(error(
            format!(
                "the lab's watch names no operation CloudTrail records, so lab cannot tell which events the trail must record for {}",
                ctx.w.counts
            ),
            "name the operations under `watch:` in the lab's lab.yaml (lab lessons lint shows the shapes)",
        ));
    };
    let mut missed = None;
    for op in &counted {
        if !trail_records(ctx, trail, shape_of(op))? {
            missed = Some(*op);
            break;
        }
    }
    let source = missed.unwrap_or(first).source;
    let reads = trail_records(ctx, trail, probe(source, true))?;
    let writes = trail_records(ctx, trail, probe(source, false))?;
    let name = &trail.name;
    let arn = Some(trail.arn.as_str());
    let fix = "edit the trail's management events: tick both Read and Write";
    // The call of that kind the trail misses: the counted one, else any.
    let missed_call = |read_only: bool| match missed {
        Some(op) if op.read_only == read_only => op.name.to_string(),
        _ => match probe(source, read_only).name {
            "Any" => format!("any call of {}", service_name(source)),
            name => name.to_string(),
        },
    };
    match (missed, reads, writes) {
        (None, true, true) => Ok(pass(
            format!(
                "the trail `{name}` records read and write management events, {} among them",
                ctx.w.counts
            ),
            arn,
        )),
        (_, false, false) => Err(fail(
            format!(
                "the trail `{name}` records no management events from {} ({source}), so it never sees {} such as {}",
                service_name(source),
                ctx.w.one,
                missed.unwrap_or(first).name
            ),
            format!(
                "edit the trail's event selectors: management events, Read and Write, with {source} not excluded"
            ),
            arn,
        )),
        (_, false, true) => Err(fail(
            format!(
                "the trail `{name}` records only write management events, so it never sees {} (a read)",
                missed_call(true)
            ),
            fix,
            arn,
        )),
        (_, true, false) => Err(fail(
            format!(
                "the trail `{name}` records only read management events, so it never sees {} (a write)",
                missed_call(false)
            ),
            fix,
            arn,
        )),
        (Some(op), true, true) => Err(fail(
            format!(
                "the trail `{name}`'s event selectors leave out {} from {source}, and such a call is {}",
                op.name, ctx.w.one
            ),
            format!(
                "edit the trail's event selectors so they record every management event of {}",
                service_name(source)
            ),
            arn,
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

/// The trail records every enabled region, not only its home. A single-region trail
/// records only calls made in its own region (and, with global service events, those
/// of global services such as IAM), so a call made anywhere else is never seen
/// ("Creating a multi-Region trail",
/// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail-by-using-the-aws-cli-create-trail.html>;
/// "Receiving CloudTrail log files from multiple Regions",
/// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html>).
/// Every trail made in the console is multi-Region; only the CLI and the API make
/// single-Region ones ("Understanding multi-Region trails and opt-in Regions",
/// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-multi-region-trails.html>).
pub(super) fn multi_region(ctx: &Ctx) -> Judged {
    let trail = lab_trail(ctx)?;
    let name = &trail.name;
    let home = trail.home_region.as_deref().unwrap_or(&ctx.s.region);
    if trail.multi_region {
        Ok(pass(
            format!("the trail `{name}` records every region of the account (its home is {home})"),
            Some(&trail.arn),
        ))
    } else {
        Err(fail(
            format!(
                "the trail `{name}` records only {home}: a call made in any other region is never recorded, so it never reaches the alarm"
            ),
            format!(
                "make it a multi-region trail (from {home}): aws cloudtrail update-trail --region {home} --name {name} --is-multi-region-trail"
            ),
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
