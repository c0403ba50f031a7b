//! Reading the account: the only part of this crate that talks to AWS, one module
//! per service.
//!
//! Three phases, each concurrent inside: first what is found by name or listed whole
//! (the secret, the trails, the alarms, the topics, every metric filter in the region,
//! CloudTrail's event history); then what those point to (the trail's status,
//! selectors, bucket, log group, role and what the role may do; the alarm's history
//! and the metric over the periods that sent it into ALARM; the topic's settings,
//! its key, its subscriptions and their filter policies), each chain of dependent
//! reads going on as soon as its own answer is in; last, when asked
//! ([`Options::test_patterns`]), TestMetricFilter on the filters that feed the lab's
//! metric. No call puts the word a learner's filter counts in its request:
//! CloudTrail records the grader's calls too, and they must not add to the metric
//! being graded.
//! Only what [`Options::scope`] names is read: `--stage 1` asks for the secret alone.
//! Every call is made once, paginated to the end (event history and alarm history
//! to a bounded depth), read-only, and never GetSecretValue. A failed call becomes a
//! [`ReadError`] in the snapshot and the rest goes on; so does a part left out of the
//! scope, as [`ReadErrorKind::NotRead`].
//!
//! Beside the services: `requests` counts and pages the calls, `parts` reads only
//! what the scope asks for, concurrently, and `gone` decides whether the lab is
//! gone (and so is to be rebuilt from its history).

mod cloudtrail;
mod cloudwatch;
mod gone;
mod iam;
mod kms;
mod logs;
mod parts;
mod requests;
mod s3;
mod secretsmanager;
mod sns;

pub use cloudtrail::selectors_from;
pub use cloudwatch::alarm_from;
pub use iam::role_policies;
pub use kms::read_key;
pub use logs::metric_filter_from;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};

use futures_util::join;

use crate::arn::{last_name, log_group_name};
use crate::corpus::{Subject, confirmation_set};
use crate::scope::{Part, Scope};
use crate::snapshot::*;
use gone::lab_gone;
use parts::{by_name, not_read, part, then};
// The service modules take these from here too.
use requests::{
    ALARM_HISTORY_PAGES, Calls, EVENT_HISTORY_PAGES, Phases, all_pages, is_not_found, pages_up_to,
};

/// The service clients a fetch uses, all built from one configuration.
#[derive(Debug, Clone)]
pub struct Clients {
    /// Secrets Manager.
    pub secretsmanager: aws_sdk_secretsmanager::Client,
    /// CloudTrail.
    pub cloudtrail: aws_sdk_cloudtrail::Client,
    /// CloudWatch Logs.
    pub logs: aws_sdk_cloudwatchlogs::Client,
    /// CloudWatch.
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    /// SNS.
    pub sns: aws_sdk_sns::Client,
    /// S3.
    pub s3: aws_sdk_s3::Client,
    /// IAM.
    pub iam: aws_sdk_iam::Client,
    /// KMS.
    pub kms: aws_sdk_kms::Client,
}

impl Clients {
    /// Every client, from one configuration; S3 with path-style addressing when
    /// `path_style` (emulators serve buckets under the path, not as subdomains).
    pub fn new(config: &aws_types::SdkConfig, path_style: bool) -> Clients {
        Clients {
            secretsmanager: aws_sdk_secretsmanager::Client::new(config),
            cloudtrail: aws_sdk_cloudtrail::Client::new(config),
            logs: aws_sdk_cloudwatchlogs::Client::new(config),
            cloudwatch: aws_sdk_cloudwatch::Client::new(config),
            sns: aws_sdk_sns::Client::new(config),
            s3: aws_sdk_s3::Client::from_conf(
                aws_sdk_s3::config::Builder::from(config)
                    .force_path_style(path_style)
                    .build(),
            ),
            iam: aws_sdk_iam::Client::new(config),
            kms: aws_sdk_kms::Client::new(config),
        }
    }
}

/// How a fetch reads, beyond what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// What answers the calls: AWS, or an emulator.
    pub endpoint: Endpoint,
    /// Ask CloudWatch's TestMetricFilter to confirm the verdicts on filter patterns.
    /// Off by default: CloudTrail records the call with its sample records, which
    /// hold the word a learner's filter counts, so each check would add to the very
    /// metric it grades.
    pub test_patterns: bool,
    /// The identity grading, when it is not the learner's own (a class's grading
    /// role), as an ARN: its reads never count as the learner's.
    pub grader: Option<String>,
    /// What to read: the scope of the checks to judge ([`crate::catalogue::scope_of`]), or
    /// [`Scope::everything`].
    pub scope: Scope,
    /// How to look for the lab's counted events in CloudTrail's event history
    /// ([`crate::watch::Watch::lookups`]).
    pub lookups: Vec<crate::watch::Lookup>,
}

/// Reads everything the checks judge, for the lab's `names`, in `account` and `region`.
pub async fn read_account(
    clients: &Clients,
    names: &Names,
    account: &str,
    region: &str,
    options: &Options,
) -> Snapshot {
    let counter = Calls(AtomicU32::new(0));
    let calls = &counter;
    let c = clients;

    let scope = options.scope;
    let mut phases = Phases::new(calls);
    // Each phase's reads run on the heap: together they are a large future, and a
    // caller's stack (a test thread's, in a debug build) need not hold them.
    let (secret, watched_events, trails, alarms, topics, metric_filters) = Box::pin(async {
        join!(
            part(
                scope,
                Part::Secret,
                secretsmanager::secret(c, calls, names.secret.as_deref())
            ),
            part(
                scope,
                Part::WatchedEvents,
                cloudtrail::watched_events(c, calls, &options.lookups)
            ),
            part(scope, Part::Trails, cloudtrail::trails(c, calls)),
            part(scope, Part::Alarms, cloudwatch::alarms(c, calls)),
            part(scope, Part::Topics, sns::topics(c, calls)),
            part(scope, Part::MetricFilters, logs::metric_filters(c, calls)),
        )
    })
    .await;
    phases.end("by name and whole lists");

    let trail = trails
        .as_ref()
        .ok()
        .and_then(|t| t.iter().find(|t| t.name == names.trail))
        .cloned();
    let delivered = trail
        .as_ref()
        .and_then(|t| t.log_group_arn.as_deref())
        .map(log_group_name);
    let bucket_names = set([
        trail.as_ref().and_then(|t| t.s3_bucket.clone()),
        Some(names.bucket.clone()),
    ]);
    let group_names = set([delivered.clone(), Some(names.log_group.clone())]);
    let role_names = set([
        trail
            .as_ref()
            .and_then(|t| t.logs_role_arn.as_deref())
            .map(|arn| last_name(arn).to_string()),
        Some(names.role.clone()),
    ]);
    let alarm = alarms
        .as_ref()
        .ok()
        .and_then(|a| a.iter().find(|a| a.name == names.alarm))
        .cloned();
    // Every resource of the lab gone: the history may show it built and cleaned up,
    // and what AWS keeps of it after (the alarm's history) is read by its name.
    // Whether it is all gone is decided on all four of its main resources, whatever
    // the scope read, so that every scope grades the same account the same way.
    let gone = Box::pin(lab_gone(
        c, calls, names, &secret, &trails, &alarms, &topics,
    ))
    .await;
    let history_of = alarm
        .as_ref()
        .map(|a| a.name.clone())
        .or_else(|| gone.then(|| names.alarm.clone()));
    let topic_arn = topics
        .as_ref()
        .ok()
        .and_then(|t| t.iter().find(|arn| last_name(arn) == names.topic))
        .cloned();

    let (
        trail_status,
        selectors,
        buckets,
        log_groups,
        log_streams,
        (roles, role_policies),
        (alarm_history, metric_data),
        (subscriptions, subscription_attributes),
        (topic_attributes, topic_keys),
        write_history,
    ) = Box::pin(async {
        join!(
            by_name(
                scope,
                Part::TrailStatus,
                trail.iter().map(|t| (t.name.clone(), t.arn.clone())),
                move |arn| async move { cloudtrail::trail_status(c, calls, &arn).await }
            ),
            by_name(
                scope,
                Part::Selectors,
                trail.iter().map(|t| (t.name.clone(), t.arn.clone())),
                move |arn| async move { cloudtrail::selectors(c, calls, &arn).await }
            ),
            by_name(
                scope,
                Part::Buckets,
                bucket_names.into_iter().map(|b| (b.clone(), b)),
                move |b| async move { s3::bucket_exists(c, calls, &b).await }
            ),
            by_name(
                scope,
                Part::LogGroups,
                group_names.into_iter().map(|g| (g.clone(), g)),
                move |g| async move { logs::log_group(c, calls, &g).await }
            ),
            by_name(
                scope,
                Part::LogStreams,
                delivered.iter().map(|g| (g.clone(), g.clone())),
                move |g| async move { logs::log_streams(c, calls, &g).await }
            ),
            then(
                scope,
                (Part::Roles, Part::RolePolicies),
                role_names.into_iter().map(|r| (r.clone(), r)),
                move |r| async move { iam::role(c, calls, &r).await },
                move |role: Option<Role>| async move {
                    let role = role?;
                    let tick = || calls.tick();
                    let policies =
                        iam::role_policies(&c.iam, &role.name, role.boundary.as_deref(), &tick)
                            .await;
                    Some(Reads::from([(role.name, policies)]))
                }
            ),
            then(
                scope,
                (Part::AlarmHistory, Part::MetricData),
                history_of.iter().map(|a| (a.clone(), a.clone())),
                move |a| async move { cloudwatch::alarm_history(c, calls, &a).await },
                |history: Vec<AlarmHistoryItem>| {
                    let alarm = alarm.clone();
                    async move {
                        Some(cloudwatch::metric_data(c, calls, alarm.as_ref()?, &history).await)
                    }
                }
            ),
            then(
                scope,
                (Part::Subscriptions, Part::SubscriptionAttributes),
                topic_arn.iter().map(|t| (t.clone(), t.clone())),
                move |t| async move { sns::subscriptions(c, calls, &t).await },
                move |subscriptions: Vec<Subscription>| async move {
                    Some(sns::subscription_attributes(c, calls, &subscriptions).await)
                }
            ),
            then(
                scope,
                (Part::TopicAttributes, Part::TopicKey),
                topic_arn.iter().map(|t| (t.clone(), t.clone())),
                move |t| async move { sns::topic_attributes(c, calls, &t).await },
                move |attributes: TopicAttributes| async move {
                    let key = attributes.kms_key.filter(|k| !is_aws_alias(k))?;
                    let read = kms::topic_key(c, calls, &key).await;
                    Some(Reads::from([(key, read)]))
                }
            ),
            async {
                if scope.reads(Part::WriteHistory) || gone {
                    cloudtrail::write_history(c, calls).await
                } else {
                    Err(not_read(Part::WriteHistory))
                }
            },
        )
    })
    .await;
    phases.end("what those point to");

    let secret_arn = match &secret {
        Ok(Some(s)) => Some(s.arn.as_str()),
        _ => None,
    };
    let subject = Subject::new(names.secret_or_unnamed(), secret_arn, account, region);
    // The records are made only when TestMetricFilter is to be asked.
    let test_patterns = options.test_patterns && scope.reads(Part::FilterTests);
    let messages: &[String] = &if test_patterns {
        confirmation_set(&subject)
            .into_iter()
            .map(|r| r.text)
            .collect::<Vec<_>>()
    } else {
        Vec::new()
    };
    // Only the filters that feed the lab's metric are tried, and only when asked.
    let patterns: BTreeSet<String> = metric_filters
        .iter()
        .flatten()
        .filter(|_| test_patterns)
        .filter(|f| {
            f.transformations
                .iter()
                .any(|t| t.namespace == names.namespace && t.metric == names.metric)
        })
        .map(|f| f.pattern.clone())
        .collect();
    let filter_tests = by_name(
        scope,
        Part::FilterTests,
        patterns.into_iter().map(|p| (p.clone(), p)),
        move |p| async move { logs::test_filter(c, calls, &p, messages).await },
    )
    .await;
    phases.end("TestMetricFilter");

    let mut snapshot = Snapshot {
        account: account.to_string(),
        region: region.to_string(),
        secret,
        watched_events,
        trails,
        trail_status,
        selectors,
        buckets,
        log_groups,
        log_streams,
        metric_filters,
        filter_tests,
        roles,
        role_policies,
        alarms,
        alarm_history,
        metric_data,
        topics,
        subscriptions,
        topic_attributes,
        topic_keys,
        subscription_attributes,
        grader: options.grader.clone(),
        endpoint: options.endpoint,
        write_history,
        before_cleanup: None,
        api_calls: 0,
        phases: Vec::new(),
    };
    if gone && let Ok(events) = snapshot.write_history.clone() {
        // What the rebuild reads of what AWS keeps: the alarm's history (whether
        // events arrived, whether it fired), whatever the scope.
        if !matches!(snapshot.alarm_history.get(&names.alarm), Some(Ok(_))) {
            let history = cloudwatch::alarm_history(c, calls, &names.alarm).await;
            snapshot.alarm_history.insert(names.alarm.clone(), history);
        }
        snapshot.before_cleanup = match crate::history::rebuild(&snapshot, &events, names) {
            Some(mut before) => {
                Box::pin(what_the_rebuilt_lab_points_to(
                    c,
                    calls,
                    scope,
                    names,
                    &mut before.lab,
                ))
                .await;
                phases.end("the lab before its cleanup");
                Some(Box::new(BeforeCleanup {
                    at: before.at,
                    lab: before.lab.within(scope),
                }))
            }
            None => None,
        };
    }
    snapshot.api_calls = counter.0.load(Ordering::Relaxed);
    snapshot.phases = phases.done;
    snapshot
}

/// What AWS keeps of a lab rebuilt from the history, read now: the metric behind
/// its alarm's ALARM changes, and the key its topic was encrypted with.
async fn what_the_rebuilt_lab_points_to(
    c: &Clients,
    calls: &Calls,
    scope: Scope,
    names: &Names,
    lab: &mut Snapshot,
) {
    let alarm = lab
        .alarms
        .as_ref()
        .ok()
        .and_then(|a| a.iter().find(|a| a.name == names.alarm))
        .cloned();
    let history = lab
        .alarm_history
        .get(&names.alarm)
        .and_then(|h| h.as_ref().ok())
        .cloned();
    if let (Some(alarm), Some(history), true) = (alarm, history, scope.reads(Part::MetricData)) {
        lab.metric_data = cloudwatch::metric_data(c, calls, &alarm, &history).await;
    }
    let keys: Vec<String> = lab
        .topic_attributes
        .values()
        .filter_map(|a| a.as_ref().ok()?.kms_key.clone())
        .filter(|k| !is_aws_alias(k))
        .collect();
    if scope.reads(Part::TopicKey) {
        for key in keys {
            let read = kms::topic_key(c, calls, &key).await;
            lab.topic_keys.insert(key, read);
        }
    }
}

fn set<const N: usize>(names: [Option<String>; N]) -> BTreeSet<String> {
    names.into_iter().flatten().collect()
}
