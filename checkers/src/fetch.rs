//! Reading the account: the only part of this crate that talks to AWS.
//!
//! Three phases, each concurrent inside: first what is found by name or listed whole
//! (the secret, the trails, the alarms, the topics, every metric filter in the region,
//! CloudTrail's event history); then what those
//! point to (the trail's status, selectors, bucket, log group, role; the alarm's
//! history; the topic's subscriptions); last, when asked ([`Options::test_patterns`]),
//! TestMetricFilter on the filters that feed the lab's metric. No call puts the word
//! a learner's filter counts in its request: CloudTrail records the grader's calls
//! too, and they must not add to the metric being graded.
//! Only what [`Options::scope`] names is read: `--stage 1` asks for the secret alone.
//! Every call is made once, paginated to the end (event history and alarm history
//! to a bounded depth), read-only, and never GetSecretValue. A failed call becomes a
//! [`ReadError`] in the snapshot and the rest goes on; so does a part left out of the
//! scope, as [`ReadErrorKind::NotRead`].

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};

use futures_util::future::join_all;
use futures_util::join;

use crate::arn::{last_name, log_group_name};
use crate::corpus::{Subject, confirmation_set};
use crate::policy::url_decode;
use crate::read_error::{classify, code, status};
use crate::scope::{Part, Scope};
use crate::snapshot::*;

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
        }
    }
}

/// How deep to read histories that can be long.
const EVENT_HISTORY_PAGES: usize = 10;
const ALARM_HISTORY_PAGES: usize = 5;

const NOT_FOUND: &[&str] = &[
    "ResourceNotFoundException",
    "NoSuchEntity",
    "TrailNotFoundException",
    "NotFound",
    "NoSuchBucket",
];

/// Counts the requests a fetch makes, pages included.
struct Calls(AtomicU32);

impl Calls {
    fn tick(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// The phases of a fetch as they end: each one's requests and wall time.
struct Phases<'c> {
    calls: &'c Calls,
    started: std::time::Instant,
    requests_before: u32,
    done: Vec<Phase>,
}

impl<'c> Phases<'c> {
    fn new(calls: &'c Calls) -> Self {
        Phases {
            calls,
            started: std::time::Instant::now(),
            requests_before: 0,
            done: Vec::new(),
        }
    }

    /// Ends the phase `name` now; the next begins.
    fn end(&mut self, name: &'static str) {
        let requests = self.calls.0.load(Ordering::Relaxed);
        self.done.push(Phase {
            name,
            requests: requests - self.requests_before,
            took: self.started.elapsed(),
        });
        self.requests_before = requests;
        self.started = std::time::Instant::now();
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
    let (secret, secret_reads, trails, alarms, topics, metric_filters) = join!(
        part(scope, Part::Secret, secret(c, calls, &names.secret)),
        part(scope, Part::SecretReads, secret_reads(c, calls)),
        part(scope, Part::Trails, trails(c, calls)),
        part(scope, Part::Alarms, alarms(c, calls)),
        part(scope, Part::Topics, topics(c, calls)),
        part(scope, Part::MetricFilters, metric_filters(c, calls)),
    );
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
    let alarm_exists = alarms
        .as_ref()
        .is_ok_and(|a| a.iter().any(|a| a.name == names.alarm));
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
        roles,
        alarm_history,
        subscriptions,
    ) = join!(
        by_name(
            scope,
            Part::TrailStatus,
            trail.iter().map(|t| (t.name.clone(), t.arn.clone())),
            move |arn| async move { trail_status(c, calls, &arn).await }
        ),
        by_name(
            scope,
            Part::Selectors,
            trail.iter().map(|t| (t.name.clone(), t.arn.clone())),
            move |arn| async move { selectors(c, calls, &arn).await }
        ),
        by_name(
            scope,
            Part::Buckets,
            bucket_names.into_iter().map(|b| (b.clone(), b)),
            move |b| async move { bucket_exists(c, calls, &b).await }
        ),
        by_name(
            scope,
            Part::LogGroups,
            group_names.into_iter().map(|g| (g.clone(), g)),
            move |g| async move { log_group(c, calls, &g).await }
        ),
        by_name(
            scope,
            Part::LogStreams,
            delivered.iter().map(|g| (g.clone(), g.clone())),
            move |g| async move { log_streams(c, calls, &g).await }
        ),
        by_name(
            scope,
            Part::Roles,
            role_names.into_iter().map(|r| (r.clone(), r)),
            move |r| async move { role(c, calls, &r).await }
        ),
        by_name(
            scope,
            Part::AlarmHistory,
            alarm_exists.then(|| (names.alarm.clone(), names.alarm.clone())),
            move |a| async move { alarm_history(c, calls, &a).await }
        ),
        by_name(
            scope,
            Part::Subscriptions,
            topic_arn.iter().map(|t| (t.clone(), t.clone())),
            move |t| async move { subscriptions(c, calls, &t).await }
        ),
    );
    phases.end("what those point to");

    let secret_arn = match &secret {
        Ok(Some(s)) => Some(s.arn.as_str()),
        _ => None,
    };
    let subject = Subject::new(&names.secret, secret_arn, account, region);
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
        move |p| async move { test_filter(c, calls, &p, messages).await },
    )
    .await;
    phases.end("TestMetricFilter");

    Snapshot {
        account: account.to_string(),
        region: region.to_string(),
        secret,
        secret_reads,
        trails,
        trail_status,
        selectors,
        buckets,
        log_groups,
        log_streams,
        metric_filters,
        filter_tests,
        roles,
        alarms,
        alarm_history,
        topics,
        subscriptions,
        grader: options.grader.clone(),
        endpoint: options.endpoint,
        api_calls: counter.0.load(Ordering::Relaxed),
        phases: phases.done,
    }
}

/// `read` when `scope` asks for `part`; otherwise a [`ReadErrorKind::NotRead`]
/// naming the call not made, and `read`, never polled, makes no request.
async fn part<T>(
    scope: Scope,
    part: Part,
    read: impl std::future::Future<Output = Read<T>>,
) -> Read<T> {
    if scope.reads(part) {
        read.await
    } else {
        Err(ReadError {
            action: part.action().to_string(),
            kind: ReadErrorKind::NotRead,
            detail: "not needed by the checks asked for".to_string(),
        })
    }
}

fn set<const N: usize>(names: [Option<String>; N]) -> BTreeSet<String> {
    names.into_iter().flatten().collect()
}

/// Runs `read` on every (key, input) concurrently and collects the results by key,
/// when `scope` reads `part`; otherwise reads nothing, and the map stays empty.
async fn by_name<T, I, F, Fut>(scope: Scope, part: Part, items: I, read: F) -> Reads<T>
where
    I: IntoIterator<Item = (String, String)>,
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Read<T>>,
{
    if !scope.reads(part) {
        return Reads::new();
    }
    let (keys, inputs): (Vec<String>, Vec<String>) = items.into_iter().unzip();
    let results = join_all(inputs.into_iter().map(read)).await;
    keys.into_iter().zip(results).collect()
}

/// Reads pages until there are no more (or `limit` pages): `page` fetches the page
/// after `token` and returns its items and the next token.
async fn all_pages<T, F, Fut>(calls: &Calls, limit: Option<usize>, mut page: F) -> Read<Vec<T>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Read<(Vec<T>, Option<String>)>>,
{
    let mut items = Vec::new();
    let mut token = None;
    for pages in 1.. {
        calls.tick();
        let (batch, next) = page(token).await?;
        items.extend(batch);
        token = next;
        if token.is_none() || limit.is_some_and(|limit| pages >= limit) {
            break;
        }
    }
    Ok(items)
}

fn is_not_found(code: Option<&str>) -> bool {
    code.is_some_and(|c| NOT_FOUND.contains(&c))
}

async fn secret(c: &Clients, calls: &Calls, name: &str) -> Read<Option<Secret>> {
    calls.tick();
    match c
        .secretsmanager
        .describe_secret()
        .secret_id(name)
        .send()
        .await
    {
        Ok(out) => Ok(Some(Secret {
            arn: out.arn().unwrap_or_default().to_string(),
            name: out.name().unwrap_or(name).to_string(),
            deleted_date: out.deleted_date().map(|d| d.to_string()),
        })),
        Err(e) if is_not_found(code(&e)) => Ok(None),
        Err(e) => Err(classify("secretsmanager:DescribeSecret", &e)),
    }
}

/// Reads of secrets in CloudTrail's event history. Looked up by event *source*, and
/// filtered by name here: a lookup by the name `GetSecretValue` would put that word in
/// the grader's own LookupEvents record, which a learner's metric filter counts.
async fn secret_reads(c: &Clients, calls: &Calls) -> Read<Vec<SecretRead>> {
    use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};
    let attribute = LookupAttribute::builder()
        .attribute_key(LookupAttributeKey::EventSource)
        .attribute_value("secretsmanager.amazonaws.com")
        .build()
        .map_err(|e| ReadError {
            action: "cloudtrail:LookupEvents".into(),
            kind: ReadErrorKind::Unavailable,
            detail: e.to_string(),
        })?;
    all_pages(calls, Some(EVENT_HISTORY_PAGES), |token| {
        let attribute = attribute.clone();
        async move {
            let out = c
                .cloudtrail
                .lookup_events()
                .lookup_attributes(attribute)
                .max_results(50)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| classify("cloudtrail:LookupEvents", &e))?;
            let reads = out
                .events()
                .iter()
                .filter(|event| event.event_name() == Some("GetSecretValue"))
                .map(|event| {
                    let record: serde_json::Value = event
                        .cloud_trail_event()
                        .and_then(|t| serde_json::from_str(t).ok())
                        .unwrap_or_default();
                    SecretRead {
                        time: event
                            .event_time()
                            .map(|t| t.to_string())
                            .unwrap_or_default(),
                        user: event.username().map(str::to_string),
                        principal: record
                            .pointer("/userIdentity/arn")
                            .and_then(|v| v.as_str())
                            .map(str::to_string),
                        secret_id: record
                            .pointer("/requestParameters/secretId")
                            .and_then(|v| v.as_str())
                            .map(str::to_string),
                    }
                })
                .collect();
            Ok((reads, out.next_token().map(str::to_string)))
        }
    })
    .await
}

async fn trails(c: &Clients, calls: &Calls) -> Read<Vec<Trail>> {
    calls.tick();
    let out = c
        .cloudtrail
        .describe_trails()
        .include_shadow_trails(true)
        .send()
        .await
        .map_err(|e| classify("cloudtrail:DescribeTrails", &e))?;
    Ok(out
        .trail_list()
        .iter()
        .map(|t| Trail {
            name: t.name().unwrap_or_default().to_string(),
            arn: t.trail_arn().unwrap_or_default().to_string(),
            home_region: t.home_region().map(str::to_string),
            s3_bucket: t.s3_bucket_name().map(str::to_string),
            log_group_arn: t.cloud_watch_logs_log_group_arn().map(str::to_string),
            logs_role_arn: t.cloud_watch_logs_role_arn().map(str::to_string),
            sns_topic_arn: t
                .sns_topic_arn()
                .filter(|arn| !arn.is_empty())
                .map(str::to_string),
        })
        .collect())
}

async fn trail_status(c: &Clients, calls: &Calls, arn: &str) -> Read<TrailStatus> {
    calls.tick();
    let out = c
        .cloudtrail
        .get_trail_status()
        .name(arn)
        .send()
        .await
        .map_err(|e| classify("cloudtrail:GetTrailStatus", &e))?;
    Ok(TrailStatus {
        is_logging: out.is_logging().unwrap_or(false),
    })
}

async fn selectors(c: &Clients, calls: &Calls, arn: &str) -> Read<Selectors> {
    calls.tick();
    let out = c
        .cloudtrail
        .get_event_selectors()
        .trail_name(arn)
        .send()
        .await
        .map_err(|e| classify("cloudtrail:GetEventSelectors", &e))?;
    Ok(selectors_from(&out))
}

/// A trail's event selectors as CloudTrail returns them, as plain data: advanced
/// ones when it has any, else basic ones.
pub fn selectors_from(
    out: &aws_sdk_cloudtrail::operation::get_event_selectors::GetEventSelectorsOutput,
) -> Selectors {
    if !out.advanced_event_selectors().is_empty() {
        return Selectors::Advanced(
            out.advanced_event_selectors()
                .iter()
                .map(|s| AdvancedSelector {
                    name: s.name().map(str::to_string),
                    fields: s
                        .field_selectors()
                        .iter()
                        .map(|f| FieldSelector {
                            field: f.field().to_string(),
                            equals: f.equals().to_vec(),
                            not_equals: f.not_equals().to_vec(),
                            starts_with: f.starts_with().to_vec(),
                            not_starts_with: f.not_starts_with().to_vec(),
                            ends_with: f.ends_with().to_vec(),
                            not_ends_with: f.not_ends_with().to_vec(),
                        })
                        .collect(),
                })
                .collect(),
        );
    }
    use aws_sdk_cloudtrail::types::ReadWriteType;
    Selectors::Basic(
        out.event_selectors()
            .iter()
            .map(|s| BasicSelector {
                read_write: match s.read_write_type() {
                    Some(ReadWriteType::ReadOnly) => ReadWrite::ReadOnly,
                    Some(ReadWriteType::WriteOnly) => ReadWrite::WriteOnly,
                    _ => ReadWrite::All,
                },
                include_management_events: s.include_management_events().unwrap_or(true),
                exclude_management_event_sources: s.exclude_management_event_sources().to_vec(),
            })
            .collect(),
    )
}

async fn bucket_exists(c: &Clients, calls: &Calls, bucket: &str) -> Read<bool> {
    calls.tick();
    match c.s3.head_bucket().bucket(bucket).send().await {
        Ok(_) => Ok(true),
        Err(e) if status(&e) == Some(404) || is_not_found(code(&e)) => Ok(false),
        Err(e) => Err(classify("s3:ListBucket", &e)),
    }
}

async fn log_group(c: &Clients, calls: &Calls, name: &str) -> Read<Option<LogGroup>> {
    let mut token = None;
    loop {
        calls.tick();
        let out = c
            .logs
            .describe_log_groups()
            .log_group_name_prefix(name)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| classify("logs:DescribeLogGroups", &e))?;
        if let Some(group) = out
            .log_groups()
            .iter()
            .find(|g| g.log_group_name() == Some(name))
        {
            return Ok(Some(LogGroup {
                name: name.to_string(),
                arn: group.arn().map(str::to_string),
            }));
        }
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            return Ok(None);
        }
    }
}

async fn log_streams(c: &Clients, calls: &Calls, group: &str) -> Read<Vec<LogStream>> {
    use aws_sdk_cloudwatchlogs::types::OrderBy;
    calls.tick();
    match c
        .logs
        .describe_log_streams()
        .log_group_name(group)
        .order_by(OrderBy::LastEventTime)
        .descending(true)
        .limit(5)
        .send()
        .await
    {
        Ok(out) => Ok(out
            .log_streams()
            .iter()
            .map(|s| LogStream {
                name: s.log_stream_name().unwrap_or_default().to_string(),
                last_event_timestamp: s.last_event_timestamp(),
                last_ingestion_time: s.last_ingestion_time(),
            })
            .collect()),
        Err(e) if is_not_found(code(&e)) => Ok(Vec::new()),
        Err(e) => Err(classify("logs:DescribeLogStreams", &e)),
    }
}

/// A metric filter as CloudWatch Logs describes it, as plain data.
pub fn metric_filter_from(f: &aws_sdk_cloudwatchlogs::types::MetricFilter) -> MetricFilter {
    MetricFilter {
        name: f.filter_name().unwrap_or_default().to_string(),
        log_group: f.log_group_name().unwrap_or_default().to_string(),
        created: f.creation_time(),
        pattern: f.filter_pattern().unwrap_or_default().to_string(),
        selection: f
            .field_selection_criteria()
            .filter(|c| !c.trim().is_empty())
            .map(str::to_string),
        on_transformed_logs: f.apply_on_transformed_logs(),
        transformations: f
            .metric_transformations()
            .iter()
            .map(|t| MetricTransformation {
                namespace: t.metric_namespace().to_string(),
                metric: t.metric_name().to_string(),
                value: t.metric_value().to_string(),
                default_value: t.default_value(),
                // System fields emitted as dimensions are dimensions all the same.
                dimensions: t
                    .dimensions()
                    .map(|d| d.keys().cloned().collect::<Vec<_>>())
                    .unwrap_or_default()
                    .into_iter()
                    .chain(f.emit_system_field_dimensions().iter().cloned())
                    .collect(),
            })
            .collect(),
    }
}

/// Every metric filter in the region, on every log group.
async fn metric_filters(c: &Clients, calls: &Calls) -> Read<Vec<MetricFilter>> {
    all_pages(calls, None, |token| async move {
        let out = match c
            .logs
            .describe_metric_filters()
            .set_next_token(token)
            .send()
            .await
        {
            Ok(out) => out,
            Err(e) => return Err(classify("logs:DescribeMetricFilters", &e)),
        };
        let filters = out
            .metric_filters()
            .iter()
            .map(metric_filter_from)
            .collect();
        Ok((filters, out.next_token().map(str::to_string)))
    })
    .await
}

async fn test_filter(
    c: &Clients,
    calls: &Calls,
    pattern: &str,
    messages: &[String],
) -> Read<Vec<usize>> {
    calls.tick();
    let out = c
        .logs
        .test_metric_filter()
        .filter_pattern(pattern)
        .set_log_event_messages(Some(messages.to_vec()))
        .send()
        .await
        .map_err(|e| classify("logs:TestMetricFilter", &e))?;
    // Matched by text, not by `eventNumber`, so no numbering convention is assumed.
    Ok(out
        .matches()
        .iter()
        .filter_map(|m| m.event_message())
        .filter_map(|text| messages.iter().position(|m| m == text))
        .collect())
}

async fn role(c: &Clients, calls: &Calls, name: &str) -> Read<Option<Role>> {
    calls.tick();
    match c.iam.get_role().role_name(name).send().await {
        Ok(out) => Ok(out.role().map(|r| Role {
            name: r.role_name().to_string(),
            arn: r.arn().to_string(),
            trust_policy: url_decode(r.assume_role_policy_document().unwrap_or_default()),
        })),
        Err(e) if is_not_found(code(&e)) => Ok(None),
        Err(e) => Err(classify("iam:GetRole", &e)),
    }
}

async fn alarms(c: &Clients, calls: &Calls) -> Read<Vec<Alarm>> {
    all_pages(calls, None, |token| async move {
        let out = c
            .cloudwatch
            .describe_alarms()
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| classify("cloudwatch:DescribeAlarms", &e))?;
        Ok((
            out.metric_alarms().iter().map(alarm_from).collect(),
            out.next_token().map(str::to_string),
        ))
    })
    .await
}

/// An alarm as CloudWatch describes it, as plain data.
pub fn alarm_from(a: &aws_sdk_cloudwatch::types::MetricAlarm) -> Alarm {
    Alarm {
        name: a.alarm_name().unwrap_or_default().to_string(),
        arn: a.alarm_arn().unwrap_or_default().to_string(),
        description: a.alarm_description().map(str::to_string),
        namespace: a.namespace().map(str::to_string),
        metric: a.metric_name().map(str::to_string),
        dimensions: a
            .dimensions()
            .iter()
            .map(|d| {
                (
                    d.name().unwrap_or_default().to_string(),
                    d.value().unwrap_or_default().to_string(),
                )
            })
            .collect(),
        statistic: a.statistic().map(|s| s.as_str().to_string()),
        extended_statistic: a.extended_statistic().map(str::to_string),
        period: a.period(),
        evaluation_periods: a.evaluation_periods(),
        datapoints_to_alarm: a.datapoints_to_alarm(),
        threshold: a.threshold(),
        comparison: a.comparison_operator().map(|o| o.as_str().to_string()),
        actions_enabled: a.actions_enabled().unwrap_or(true),
        alarm_actions: a.alarm_actions().to_vec(),
        ok_actions: a.ok_actions().to_vec(),
        insufficient_data_actions: a.insufficient_data_actions().to_vec(),
        treat_missing_data: a.treat_missing_data().map(str::to_string),
        state: a.state_value().map(|s| s.as_str().to_string()),
        state_reason: a.state_reason().map(str::to_string),
        state_reason_data: a.state_reason_data().map(str::to_string),
    }
}

async fn alarm_history(c: &Clients, calls: &Calls, name: &str) -> Read<Vec<AlarmHistoryItem>> {
    use aws_sdk_cloudwatch::types::HistoryItemType;
    all_pages(calls, Some(ALARM_HISTORY_PAGES), |token| async move {
        let out = c
            .cloudwatch
            .describe_alarm_history()
            .alarm_name(name)
            .history_item_type(HistoryItemType::StateUpdate)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| classify("cloudwatch:DescribeAlarmHistory", &e))?;
        let items = out
            .alarm_history_items()
            .iter()
            .map(|i| AlarmHistoryItem {
                timestamp: i.timestamp().map(|t| t.to_string()).unwrap_or_default(),
                summary: i.history_summary().unwrap_or_default().to_string(),
                data: i.history_data().unwrap_or_default().to_string(),
            })
            .collect();
        Ok((items, out.next_token().map(str::to_string)))
    })
    .await
}

async fn topics(c: &Clients, calls: &Calls) -> Read<Vec<String>> {
    all_pages(calls, None, |token| async move {
        let out = c
            .sns
            .list_topics()
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| classify("sns:ListTopics", &e))?;
        let arns = out
            .topics()
            .iter()
            .filter_map(|t| t.topic_arn())
            .map(str::to_string)
            .collect();
        Ok((arns, out.next_token().map(str::to_string)))
    })
    .await
}

async fn subscriptions(c: &Clients, calls: &Calls, topic_arn: &str) -> Read<Vec<Subscription>> {
    all_pages(calls, None, |token| async move {
        let out = c
            .sns
            .list_subscriptions_by_topic()
            .topic_arn(topic_arn)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| classify("sns:ListSubscriptionsByTopic", &e))?;
        let subscriptions = out
            .subscriptions()
            .iter()
            .map(|s| Subscription {
                arn: s.subscription_arn().unwrap_or_default().to_string(),
                protocol: s.protocol().unwrap_or_default().to_string(),
                endpoint: s.endpoint().unwrap_or_default().to_string(),
            })
            .collect();
        Ok((subscriptions, out.next_token().map(str::to_string)))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::metric_filter_from;
    use aws_sdk_cloudwatchlogs::types::{MetricFilter, MetricTransformation};

    #[test]
    fn newer_filter_settings_are_read_not_dropped() {
        let filter = MetricFilter::builder()
            .filter_name("reads")
            .filter_pattern("GetSecretValue")
            .log_group_name("group")
            .field_selection_criteria("@aws.account = \"999999999999\"")
            .apply_on_transformed_logs(true)
            .emit_system_field_dimensions("@aws.account")
            .metric_transformations(
                MetricTransformation::builder()
                    .metric_namespace("SecurityMetrics")
                    .metric_name("Secret is accessed")
                    .metric_value("1")
                    .build()
                    .unwrap(),
            )
            .build();
        let read = metric_filter_from(&filter);
        assert_eq!(
            read.selection.as_deref(),
            Some("@aws.account = \"999999999999\"")
        );
        assert!(read.on_transformed_logs);
        // System fields emitted as dimensions make the metric a dimensioned one.
        assert_eq!(read.transformations[0].dimensions, ["@aws.account"]);
    }
}
