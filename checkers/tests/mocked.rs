//! `fetch` and `judge` against mocked AWS clients (aws-smithy-mocks), for what the
//! moto emulator cannot show: CloudTrail event history, a pending subscription,
//! alarm history, TestMetricFilter, access denied, and throttling.
//!
//! `Account::correct()` answers every read as a correctly built lab would; each
//! test puts its own rules first (the first matching rule answers), so one change
//! shows one behaviour. Requests no rule matches get HTTP 418 and become
//! "unavailable" reads.

use std::time::Duration;

use aws_smithy_mocks::{MockResponseInterceptor, Rule, RuleMode, create_mock_http_client, mock};
use aws_smithy_types::DateTime;
use checkers::catalogue;
use checkers::fetch::{Clients, Options, read_account};
use checkers::judge::{Request, judge};
use checkers::params::Params;
use checkers::scope::Scope;
use checkers::snapshot::{Endpoint, Names, ReadErrorKind, Snapshot};
use checkers::watch::Watch;
use checkers::{Finding, Status};

const ACCOUNT: &str = "111122223333";
const REGION: &str = "us-east-1";
const SECRET_ARN: &str =
    "arn:aws:secretsmanager:us-east-1:111122223333:secret:TopSecretInfo-AbCdEf";
const TRAIL_ARN: &str = "arn:aws:cloudtrail:us-east-1:111122223333:trail/secrets-manager-trail";
const TOPIC_ARN: &str = "arn:aws:sns:us-east-1:111122223333:SecurityAlarms";
const GROUP: &str = "my-secretsmanager-loggroup";
const ROLE: &str = "CloudTrailRoleForCloudWatchLogs_secrets-manager-trail";
const BUCKET: &str = "secrets-manager-trail-111122223333-us-east-1";

/// What the lab's metric must count, as the lessons declare it.
/// A record of `event` on the secret `secret_id` by an IAM user, as CloudTrail
/// writes it.
fn record(event: &str, secret_id: &str) -> String {
    serde_json::json!({
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "arn": format!("arn:aws:iam::{ACCOUNT}:user/learner"),
            "accountId": ACCOUNT, "userName": "learner"},
        "eventTime": "2026-11-28T09:00:00Z",
        "eventSource": "secretsmanager.amazonaws.com",
        "eventName": event,
        "awsRegion": REGION,
        "requestParameters": {"secretId": secret_id},
        "eventType": "AwsApiCall",
        "recipientAccountId": ACCOUNT
    })
    .to_string()
}

fn watch() -> Watch {
    serde_json::from_str(include_str!("data/watch.json")).expect("the test watch")
}

fn names() -> Names {
    Names {
        secret: Some("TopSecretInfo".into()),
        trail: "secrets-manager-trail".into(),
        bucket: BUCKET.into(),
        log_group: GROUP.into(),
        role: ROLE.into(),
        namespace: "SecurityMetrics".into(),
        metric: "Secret is accessed".into(),
        alarm: "Secret is accessed".into(),
        topic: "SecurityAlarms".into(),
    }
}

/// Mock rules per service; earlier rules win.
#[derive(Default)]
struct Account {
    secrets: Vec<Rule>,
    trail: Vec<Rule>,
    logs: Vec<Rule>,
    cloudwatch: Vec<Rule>,
    sns: Vec<Rule>,
    s3: Vec<Rule>,
    iam: Vec<Rule>,
    kms: Vec<Rule>,
}

macro_rules! client {
    ($krate:ident, $rules:expr) => {{
        let mut interceptor = MockResponseInterceptor::new()
            .rule_mode(RuleMode::MatchAny)
            .allow_passthrough();
        for rule in $rules {
            interceptor = interceptor.with_rule(rule);
        }
        $krate::Client::from_conf(
            $krate::Config::builder()
                .behavior_version($krate::config::BehaviorVersion::latest())
                .region($krate::config::Region::new(REGION))
                .credentials_provider($krate::config::Credentials::new(
                    "test", "test", None, None, "mocks",
                ))
                .http_client(create_mock_http_client())
                .interceptor(interceptor)
                .retry_config(
                    $krate::config::retry::RetryConfig::standard()
                        .with_max_attempts(4)
                        .with_initial_backoff(Duration::from_millis(1)),
                )
                .build(),
        )
    }};
}

impl Account {
    /// The test's own rules first, then a correct account's.
    fn with_correct_defaults(mut self) -> Self {
        let defaults = Account::correct();
        self.secrets.extend(defaults.secrets);
        self.trail.extend(defaults.trail);
        self.logs.extend(defaults.logs);
        self.cloudwatch.extend(defaults.cloudwatch);
        self.sns.extend(defaults.sns);
        self.s3.extend(defaults.s3);
        self.iam.extend(defaults.iam);
        self.kms.extend(defaults.kms);
        self
    }

    fn clients(&self) -> Clients {
        Clients {
            secretsmanager: client!(aws_sdk_secretsmanager, &self.secrets),
            cloudtrail: client!(aws_sdk_cloudtrail, &self.trail),
            logs: client!(aws_sdk_cloudwatchlogs, &self.logs),
            cloudwatch: client!(aws_sdk_cloudwatch, &self.cloudwatch),
            sns: client!(aws_sdk_sns, &self.sns),
            s3: client!(aws_sdk_s3, &self.s3),
            iam: client!(aws_sdk_iam, &self.iam),
            kms: client!(aws_sdk_kms, &self.kms),
        }
    }

    async fn snapshot(self) -> Snapshot {
        self.snapshot_within(Scope::everything()).await
    }

    /// What a fetch scoped to `scope` reads of this account.
    async fn snapshot_within(self, scope: Scope) -> Snapshot {
        let account = self.with_correct_defaults();
        read_account(
            &account.clients(),
            &names(),
            ACCOUNT,
            REGION,
            &Options {
                endpoint: Endpoint::Aws,
                test_patterns: true,
                grader: None,
                scope,
                lookups: watch().lookups(),
            },
        )
        .await
    }

    fn correct() -> Self {
        use aws_sdk_cloudtrail::types as ct;
        use aws_sdk_cloudwatch::types as cw;
        use aws_sdk_cloudwatchlogs::types as cwl;
        let secrets =
            vec![mock!(aws_sdk_secretsmanager::Client::describe_secret).then_output(|| {
            aws_sdk_secretsmanager::operation::describe_secret::DescribeSecretOutput::builder()
                .arn(SECRET_ARN)
                .name("TopSecretInfo")
                .build()
        })];
        let trail = vec![
            mock!(aws_sdk_cloudtrail::Client::describe_trails).then_output(|| {
                aws_sdk_cloudtrail::operation::describe_trails::DescribeTrailsOutput::builder()
                    .trail_list(
                        ct::Trail::builder()
                            .name("secrets-manager-trail")
                            .trail_arn(TRAIL_ARN)
                            .home_region(REGION)
                            .is_multi_region_trail(true)
                            .s3_bucket_name(BUCKET)
                            .cloud_watch_logs_log_group_arn(format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{GROUP}:*"))
                            .cloud_watch_logs_role_arn(format!("arn:aws:iam::{ACCOUNT}:role/{ROLE}"))
                            .build(),
                    )
                    .build()
            }),
            mock!(aws_sdk_cloudtrail::Client::get_trail_status).then_output(|| {
                aws_sdk_cloudtrail::operation::get_trail_status::GetTrailStatusOutput::builder().is_logging(true).build()
            }),
            mock!(aws_sdk_cloudtrail::Client::get_event_selectors).then_output(|| {
                aws_sdk_cloudtrail::operation::get_event_selectors::GetEventSelectorsOutput::builder()
                    .event_selectors(
                        ct::EventSelector::builder()
                            .read_write_type(ct::ReadWriteType::All)
                            .include_management_events(true)
                            .exclude_management_event_sources("kms.amazonaws.com")
                            .exclude_management_event_sources("rdsdata.amazonaws.com")
                            .build(),
                    )
                    .build()
            }),
            mock!(aws_sdk_cloudtrail::Client::lookup_events).then_output(|| {
                aws_sdk_cloudtrail::operation::lookup_events::LookupEventsOutput::builder()
                    .events(
                        ct::Event::builder()
                            .event_name("GetSecretValue")
                            .event_time(DateTime::from_secs(1_764_320_400))
                            .username("learner")
                            .cloud_trail_event(record("GetSecretValue", "TopSecretInfo"))
                            .build(),
                    )
                    .build()
            }),
        ];
        let logs = vec![
            mock!(aws_sdk_cloudwatchlogs::Client::describe_log_groups).then_output(|| {
                aws_sdk_cloudwatchlogs::operation::describe_log_groups::DescribeLogGroupsOutput::builder()
                    .log_groups(cwl::LogGroup::builder().log_group_name(GROUP).arn(format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{GROUP}:*")).build())
                    .build()
            }),
            mock!(aws_sdk_cloudwatchlogs::Client::describe_log_streams).then_output(|| {
                aws_sdk_cloudwatchlogs::operation::describe_log_streams::DescribeLogStreamsOutput::builder()
                    .log_streams(
                        cwl::LogStream::builder()
                            .log_stream_name(format!("{ACCOUNT}_CloudTrail_{REGION}"))
                            .last_event_timestamp(1_764_320_400_000)
                            .build(),
                    )
                    .build()
            }),
            mock!(aws_sdk_cloudwatchlogs::Client::describe_metric_filters).then_output(|| {
                aws_sdk_cloudwatchlogs::operation::describe_metric_filters::DescribeMetricFiltersOutput::builder()
                    .metric_filters(
                        cwl::MetricFilter::builder()
                            .filter_name("GetSecretValue")
                            .log_group_name("my-secretsmanager-loggroup")
                            .filter_pattern("GetSecretValue")
                            .metric_transformations(
                                cwl::MetricTransformation::builder()
                                    .metric_namespace("SecurityMetrics")
                                    .metric_name("Secret is accessed")
                                    .metric_value("1")
                                    .default_value(0.0)
                                    .build()
                                    .unwrap(),
                            )
                            .build(),
                    )
                    .build()
            }),
            // Like AWS for the pattern `GetSecretValue`: the records with the word.
            mock!(aws_sdk_cloudwatchlogs::Client::test_metric_filter).then_compute_output(|input| {
                let word = |m: &str| {
                    m.match_indices("GetSecretValue").any(|(at, w)| {
                        let before = m[..at].chars().next_back();
                        let after = m[at + w.len()..].chars().next();
                        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
                    })
                };
                let matches = input
                    .log_event_messages()
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| word(m))
                    .map(|(i, m)| cwl::MetricFilterMatchRecord::builder().event_number(i as i64 + 1).event_message(m).build());
                aws_sdk_cloudwatchlogs::operation::test_metric_filter::TestMetricFilterOutput::builder()
                    .set_matches(Some(matches.collect()))
                    .build()
            }),
        ];
        let cloudwatch = vec![
            mock!(aws_sdk_cloudwatch::Client::describe_alarms).then_output(|| {
                aws_sdk_cloudwatch::operation::describe_alarms::DescribeAlarmsOutput::builder()
                    .metric_alarms(
                        cw::MetricAlarm::builder()
                            .alarm_name("Secret is accessed")
                            .alarm_arn(format!(
                                "arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:Secret is accessed"
                            ))
                            .namespace("SecurityMetrics")
                            .metric_name("Secret is accessed")
                            .statistic(cw::Statistic::Sum)
                            .period(60)
                            .evaluation_periods(1)
                            .datapoints_to_alarm(1)
                            .threshold(1.0)
                            .comparison_operator(
                                cw::ComparisonOperator::GreaterThanOrEqualToThreshold,
                            )
                            .actions_enabled(true)
                            .alarm_actions(TOPIC_ARN)
                            .state_value(cw::StateValue::Ok)
                            .build(),
                    )
                    .build()
            }),
            mock!(aws_sdk_cloudwatch::Client::describe_alarm_history).then_output(|| history(true)),
            // The metric as CloudWatch stored it: one read in the minute from 09:04.
            mock!(aws_sdk_cloudwatch::Client::get_metric_statistics).then_output(|| {
                aws_sdk_cloudwatch::operation::get_metric_statistics::GetMetricStatisticsOutput::builder()
                    .datapoints(
                        cw::Datapoint::builder()
                            .timestamp(DateTime::from_secs(1_764_320_640))
                            .sum(1.0)
                            .build(),
                    )
                    .build()
            }),
        ];
        let sns = vec![
            mock!(aws_sdk_sns::Client::list_topics).then_output(|| {
                aws_sdk_sns::operation::list_topics::ListTopicsOutput::builder()
                    .topics(
                        aws_sdk_sns::types::Topic::builder()
                            .topic_arn(TOPIC_ARN)
                            .build(),
                    )
                    .build()
            }),
            mock!(aws_sdk_sns::Client::list_subscriptions_by_topic)
                .then_output(|| subscriptions(&format!("{TOPIC_ARN}:1f2e3d4c"))),
            mock!(aws_sdk_sns::Client::get_topic_attributes).then_output(|| {
                aws_sdk_sns::operation::get_topic_attributes::GetTopicAttributesOutput::builder()
                    .attributes("TopicArn", TOPIC_ARN)
                    .attributes(
                        "Policy",
                        format!(r#"{{"Version":"2008-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"*"}},"Action":"SNS:Publish","Resource":"{TOPIC_ARN}","Condition":{{"StringEquals":{{"AWS:SourceOwner":"{ACCOUNT}"}}}}}}]}}"#),
                    )
                    .build()
            }),
            mock!(aws_sdk_sns::Client::get_subscription_attributes).then_output(|| {
                aws_sdk_sns::operation::get_subscription_attributes::GetSubscriptionAttributesOutput::builder()
                    .attributes("Protocol", "email")
                    .build()
            }),
        ];
        let s3 = vec![mock!(aws_sdk_s3::Client::head_bucket).then_output(|| {
            aws_sdk_s3::operation::head_bucket::HeadBucketOutput::builder().build()
        })];
        let iam = vec![
            mock!(aws_sdk_iam::Client::list_role_policies).then_output(|| {
                aws_sdk_iam::operation::list_role_policies::ListRolePoliciesOutput::builder()
                    .policy_names("cloudtrail-writes")
                    .build()
                    .unwrap()
            }),
            // URL-encoded, as IAM returns it: the console's policy for the role.
            mock!(aws_sdk_iam::Client::get_role_policy).then_output(|| {
                aws_sdk_iam::operation::get_role_policy::GetRolePolicyOutput::builder()
                    .role_name(ROLE)
                    .policy_name("cloudtrail-writes")
                    .policy_document(format!(
                        "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%5B%22logs%3ACreateLogStream%22%2C%22logs%3APutLogEvents%22%5D%2C%22Resource%22%3A%22arn%3Aaws%3Alogs%3A{REGION}%3A{ACCOUNT}%3Alog-group%3A{GROUP}%3Alog-stream%3A{ACCOUNT}_CloudTrail_{REGION}%2A%22%7D%5D%7D"
                    ))
                    .build()
                    .unwrap()
            }),
            mock!(aws_sdk_iam::Client::list_attached_role_policies).then_output(|| {
                aws_sdk_iam::operation::list_attached_role_policies::ListAttachedRolePoliciesOutput::builder().build()
            }),
            mock!(aws_sdk_iam::Client::get_role).then_output(|| {
            aws_sdk_iam::operation::get_role::GetRoleOutput::builder()
                .role(
                    aws_sdk_iam::types::Role::builder()
                        .path("/")
                        .role_name(ROLE)
                        .role_id("AROAEXAMPLE")
                        .arn(format!("arn:aws:iam::{ACCOUNT}:role/{ROLE}"))
                        .create_date(DateTime::from_secs(1_764_000_000))
                        // URL-encoded, as IAM returns it.
                        .assume_role_policy_document(
                            "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22cloudtrail.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D",
                        )
                        .build()
                        .unwrap(),
                )
                .build()
        })];
        Account {
            secrets,
            trail,
            logs,
            cloudwatch,
            sns,
            s3,
            iam,
            kms: Vec::new(),
        }
    }
}

fn history(
    by_metric: bool,
) -> aws_sdk_cloudwatch::operation::describe_alarm_history::DescribeAlarmHistoryOutput {
    let data = if by_metric {
        r#"{"version":"1.0","oldState":{"stateValue":"OK"},"newState":{"stateValue":"ALARM","stateReason":"Threshold Crossed: 1 datapoint [1.0 (28/11/26 09:05:00)] was greater than or equal to the threshold (1.0).","stateReasonData":{"version":"1.0","statistic":"Sum","period":60,"recentDatapoints":[1.0],"threshold":1.0,"evaluatedDatapoints":[{"timestamp":"2025-11-28T09:04:00.000+0000","sampleCount":12.0,"value":1.0}]}}}"#
    } else {
        r#"{"version":"1.0","oldState":{"stateValue":"OK"},"newState":{"stateValue":"ALARM","stateReason":"Manually triggered for testing"}}"#
    };
    aws_sdk_cloudwatch::operation::describe_alarm_history::DescribeAlarmHistoryOutput::builder()
        .alarm_history_items(
            aws_sdk_cloudwatch::types::AlarmHistoryItem::builder()
                .alarm_name("Secret is accessed")
                .timestamp(DateTime::from_secs(1_764_320_700))
                .history_item_type(aws_sdk_cloudwatch::types::HistoryItemType::StateUpdate)
                .history_summary("Alarm updated from OK to ALARM")
                .history_data(data)
                .build(),
        )
        .build()
}

fn subscriptions(
    arn: &str,
) -> aws_sdk_sns::operation::list_subscriptions_by_topic::ListSubscriptionsByTopicOutput {
    aws_sdk_sns::operation::list_subscriptions_by_topic::ListSubscriptionsByTopicOutput::builder()
        .subscriptions(
            aws_sdk_sns::types::Subscription::builder()
                .subscription_arn(arn)
                .protocol("email")
                .endpoint("learner@example.com")
                .topic_arn(TOPIC_ARN)
                .build(),
        )
        .build()
}

/// Judges every check of stages 1 to 5 (in catalogue order) on `snapshot`.
fn judge_all(snapshot: &Snapshot) -> Vec<Finding> {
    let requests: Vec<Request> = catalogue::CATALOGUE
        .iter()
        .filter(|c| !matches!(c.id, "trail.sns_notifications" | "cleanup.done"))
        .map(|spec| Request {
            spec,
            params: Params::new(),
            stage: 1,
        })
        .collect();
    judge(snapshot, &names(), &watch(), &Default::default(), &requests)
}

fn status_of(findings: &[Finding], id: &str) -> (Status, String) {
    let f = findings.iter().find(|f| f.id == id).unwrap();
    (f.status, f.message.clone())
}

#[tokio::test]
async fn a_correct_account_passes_everything_including_what_moto_cannot_show() {
    let snapshot = Account::default().snapshot().await;
    for f in judge_all(&snapshot) {
        assert_eq!(f.status, Status::Pass, "{}: {}", f.id, f.message);
    }
    let f = judge_all(&snapshot);
    assert!(
        status_of(&f, "logs.metric_filter")
            .1
            .contains("CloudWatch's TestMetricFilter agrees")
    );
    assert!(
        status_of(&f, "trail.secret_access_recorded")
            .1
            .contains("by learner")
    );
    // Each API once: 6 first reads; 15 that follow them (the role's two policy
    // lists and its one inline policy, the topic's and the subscription's settings,
    // the metric over the ALARM's minute, the write calls in event history); 1
    // TestMetricFilter.
    assert_eq!(snapshot.api_calls, 22);
}

/// The requests a fetch for `checks` alone makes on a correct account, and the
/// verdicts of those checks.
async fn scoped(checks: &[&str]) -> (u32, Vec<Status>) {
    let specs: Vec<_> = checks
        .iter()
        .map(|id| catalogue::find(id).expect("a check"))
        .collect();
    let snapshot = Account::default()
        .snapshot_within(catalogue::scope_of(specs.iter().copied()))
        .await;
    let requests: Vec<Request> = specs
        .iter()
        .map(|spec| Request {
            spec,
            params: Params::new(),
            stage: 1,
        })
        .collect();
    let findings = judge(
        &snapshot,
        &names(),
        &watch(),
        &Default::default(),
        &requests,
    );
    let statuses = findings.iter().map(|f| f.status).collect();
    (snapshot.api_calls, statuses)
}

#[tokio::test]
async fn reads_follow_the_checks_asked_for() {
    // DescribeSecret alone.
    assert_eq!(scoped(&["secret.exists"]).await, (1, vec![Status::Pass]));
    // DescribeTrails, then GetTrailStatus and HeadBucket (trail.exists is judged too).
    assert_eq!(scoped(&["trail.logging"]).await, (3, vec![Status::Pass]));
    // ListTopics and DescribeAlarms (what the alarm's notifications say), then
    // ListSubscriptionsByTopic and the confirmed subscription's settings.
    assert_eq!(
        scoped(&["sns.email_confirmed"]).await,
        (4, vec![Status::Pass])
    );
    // DescribeSecret and LookupEvents.
    assert_eq!(
        scoped(&["trail.secret_access_recorded"]).await,
        (2, vec![Status::Pass])
    );
    // Every check: every call, once (LookupEvents twice: the reads of the secret,
    // and the lab's own write calls, which cleanup.done asks whether it was built).
    let all: Vec<&str> = catalogue::CATALOGUE
        .iter()
        .filter(|c| c.params.is_empty())
        .map(|c| c.id)
        .collect();
    assert_eq!(scoped(&all).await.0, 22);
}

#[tokio::test]
async fn lookup_events_without_a_read_of_the_secret_fails() {
    let account = Account {
        trail: vec![
            mock!(aws_sdk_cloudtrail::Client::lookup_events).then_output(|| {
                aws_sdk_cloudtrail::operation::lookup_events::LookupEventsOutput::builder()
                    .events(
                        aws_sdk_cloudtrail::types::Event::builder()
                            .event_name("GetSecretValue")
                            .cloud_trail_event(record("GetSecretValue", "SomeOtherSecret"))
                            .build(),
                    )
                    .build()
            }),
        ],
        ..Default::default()
    };
    let (status, message) = status_of(
        &judge_all(&account.snapshot().await),
        "trail.secret_access_recorded",
    );
    assert_eq!(status, Status::Fail, "{message}");
    assert!(
        message.contains("holds none of the reads of the secret (among the 1 events"),
        "{message}"
    );
}

#[tokio::test]
async fn event_history_is_searched_without_the_word_a_filter_counts() {
    use aws_sdk_cloudtrail::types::{Event, LookupAttributeKey};
    let account = Account {
        trail: vec![
            mock!(aws_sdk_cloudtrail::Client::lookup_events).then_compute_output(|input| {
                // The grader's own LookupEvents records must not hold
                // `GetSecretValue`: reads are looked up by their source, write calls
                // by being writes.
                let attributes = input.lookup_attributes();
                assert_eq!(attributes.len(), 1);
                assert!(matches!(
                    attributes[0].attribute_key(),
                    LookupAttributeKey::EventSource | LookupAttributeKey::ReadOnly
                ));
                assert!(!attributes[0].attribute_value().contains("GetSecretValue"));
                aws_sdk_cloudtrail::operation::lookup_events::LookupEventsOutput::builder()
                    .events(
                        Event::builder()
                            .event_name("DescribeSecret")
                            .cloud_trail_event(record("DescribeSecret", "TopSecretInfo"))
                            .build(),
                    )
                    .build()
            }),
        ],
        ..Default::default()
    };
    // A DescribeSecret of the secret is no read of it.
    let (status, message) = status_of(
        &judge_all(&account.snapshot().await),
        "trail.secret_access_recorded",
    );
    assert_eq!(status, Status::Fail, "{message}");
}

#[tokio::test]
async fn event_history_is_read_page_by_page() {
    use aws_sdk_cloudtrail::operation::lookup_events::LookupEventsOutput;
    use aws_sdk_cloudtrail::types::Event;
    let event = |id: &str| {
        Event::builder()
            .event_name("GetSecretValue")
            .cloud_trail_event(record("GetSecretValue", id))
            .build()
    };
    let pages = mock!(aws_sdk_cloudtrail::Client::lookup_events)
        .sequence()
        .output(move || {
            LookupEventsOutput::builder()
                .events(event("Other"))
                .next_token("page-2")
                .build()
        })
        .output(move || {
            LookupEventsOutput::builder()
                .events(event(SECRET_ARN))
                .build()
        })
        .build();
    let account = Account {
        trail: vec![pages.clone()],
        ..Default::default()
    };
    let (status, message) = status_of(
        &judge_all(&account.snapshot().await),
        "trail.secret_access_recorded",
    );
    assert_eq!(status, Status::Pass, "{message}");
    assert_eq!(pages.num_calls(), 2);
}

#[tokio::test]
async fn a_history_longer_than_lab_reads_is_no_proof_of_absence() {
    use aws_sdk_cloudtrail::operation::lookup_events::LookupEventsOutput;
    use aws_sdk_cloudtrail::types::Event;
    // Every page has another after it, and none holds a read of the lab's secret.
    let pages = mock!(aws_sdk_cloudtrail::Client::lookup_events).then_compute_output(|_| {
        LookupEventsOutput::builder()
            .events(
                Event::builder()
                    .event_name("GetSecretValue")
                    .event_time(aws_smithy_types::DateTime::from_secs(1_795_856_400))
                    .cloud_trail_event(record("GetSecretValue", "SomeOtherSecret"))
                    .build(),
            )
            .next_token("more")
            .build()
    });
    let account = Account {
        trail: vec![pages.clone()],
        ..Default::default()
    };
    let (status, message) = status_of(
        &judge_all(&account.snapshot().await),
        "trail.secret_access_recorded",
    );
    assert_eq!(status, Status::Error, "{message}");
    assert!(message.contains("lab reads no further back"), "{message}");
    assert!(pages.num_calls() > 1, "{}", pages.num_calls());
}

#[tokio::test]
async fn a_pending_subscription_does_not_count() {
    let account = Account {
        sns: vec![
            mock!(aws_sdk_sns::Client::list_subscriptions_by_topic)
                .then_output(|| subscriptions("PendingConfirmation")),
        ],
        ..Default::default()
    };
    let (status, message) = status_of(&judge_all(&account.snapshot().await), "sns.email_confirmed");
    assert_eq!(status, Status::Fail, "{message}");
    assert!(message.contains("pending confirmation"), "{message}");
}

#[tokio::test]
async fn alarm_history_set_by_hand_does_not_count() {
    let account = Account {
        cloudwatch: vec![
            mock!(aws_sdk_cloudwatch::Client::describe_alarm_history)
                .then_output(|| history(false)),
        ],
        ..Default::default()
    };
    let (status, message) = status_of(&judge_all(&account.snapshot().await), "alarm.fired");
    assert_eq!(status, Status::Fail, "{message}");
    assert!(message.contains("by hand"), "{message}");
}

#[tokio::test]
async fn test_metric_filter_disagreeing_with_lab_is_an_error() {
    let account = Account {
        logs: vec![mock!(aws_sdk_cloudwatchlogs::Client::test_metric_filter).then_output(|| {
            aws_sdk_cloudwatchlogs::operation::test_metric_filter::TestMetricFilterOutput::builder().build()
        })],
        ..Default::default()
    };
    let f = judge_all(&account.snapshot().await);
    let (status, message) = status_of(&f, "logs.metric_filter");
    assert_eq!(status, Status::Error, "{message}");
    assert!(message.contains("disagree"), "{message}");
    // The alarm is judged on its own.
    assert_eq!(status_of(&f, "alarm.exists").0, Status::Pass);
}

fn json_error(code: &'static str, message: &'static str) -> String {
    format!(r#"{{"__type":"{code}","message":"{message}"}}"#)
}

fn query_error(code: &'static str) -> String {
    format!(
        "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>Rate exceeded</Message></Error><RequestId>r-1</RequestId></ErrorResponse>"
    )
}

#[tokio::test]
async fn access_denied_on_one_service_is_an_error_and_the_others_are_still_judged() {
    let denied = mock!(aws_sdk_cloudtrail::Client::describe_trails).sequence().http_status(
        400,
        Some(json_error(
            "AccessDeniedException",
            "User: arn:aws:iam::111122223333:user/grader is not authorized to perform: cloudtrail:DescribeTrails",
        )),
    );
    let account = Account {
        trail: vec![denied.build()],
        ..Default::default()
    };
    let snapshot = account.snapshot().await;
    assert_eq!(
        snapshot.trails.as_ref().unwrap_err().kind,
        ReadErrorKind::AccessDenied
    );
    let f = judge_all(&snapshot);
    let (status, message) = status_of(&f, "trail.exists");
    assert_eq!(status, Status::Error, "{message}");
    assert!(
        message.contains("access denied to `cloudtrail:DescribeTrails`"),
        "{message}"
    );
    for (id, expected) in [
        // What needs an ungradable check is not graded either (never a loss).
        ("trail.logging", Status::Error),
        ("logs.trail_delivery", Status::Error),
        ("secret.exists", Status::Pass),
        ("sns.email_confirmed", Status::Pass),
        ("trail.secret_access_recorded", Status::Pass),
    ] {
        assert_eq!(
            status_of(&f, id).0,
            expected,
            "{id}: {}",
            status_of(&f, id).1
        );
    }
    assert!(
        f.iter().all(|f| f.status != Status::Fail),
        "an unreadable trail never fails anything: {f:#?}"
    );
}

#[tokio::test]
async fn throttled_reads_are_retried_and_end_in_the_right_verdicts() {
    let trails = mock!(aws_sdk_cloudtrail::Client::get_event_selectors)
        .sequence()
        .http_status(
            400,
            Some(json_error("ThrottlingException", "Rate exceeded")),
        )
        .times(2)
        .output(|| {
            aws_sdk_cloudtrail::operation::get_event_selectors::GetEventSelectorsOutput::builder()
                .event_selectors(
                    aws_sdk_cloudtrail::types::EventSelector::builder()
                        .read_write_type(aws_sdk_cloudtrail::types::ReadWriteType::WriteOnly)
                        .include_management_events(true)
                        .build(),
                )
                .build()
        })
        .build();
    let alarms = mock!(aws_sdk_cloudwatch::Client::describe_alarms)
        .sequence()
        .http_status(400, Some(query_error("Throttling")))
        .times(3)
        .output(|| {
            aws_sdk_cloudwatch::operation::describe_alarms::DescribeAlarmsOutput::builder().build()
        })
        .build();
    let account = Account {
        trail: vec![trails.clone()],
        cloudwatch: vec![alarms.clone()],
        ..Default::default()
    };
    let f = judge_all(&account.snapshot().await);
    assert_eq!(
        trails.num_calls(),
        3,
        "two throttled answers, then the real one"
    );
    assert_eq!(alarms.num_calls(), 4);
    assert_eq!(
        status_of(&f, "trail.management_events").0,
        Status::Fail,
        "{}",
        status_of(&f, "trail.management_events").1
    );
    let (status, message) = status_of(&f, "alarm.exists");
    assert_eq!(
        status,
        Status::Fail,
        "the alarm list was read after retries, and is empty: {message}"
    );
}

#[tokio::test]
async fn throttling_past_the_retries_is_an_error_not_a_verdict() {
    let alarms = mock!(aws_sdk_cloudwatch::Client::describe_alarms)
        .sequence()
        .http_status(400, Some(query_error("Throttling")))
        .repeatedly()
        .build();
    let account = Account {
        cloudwatch: vec![alarms],
        ..Default::default()
    };
    let snapshot = account.snapshot().await;
    assert_eq!(
        snapshot.alarms.as_ref().unwrap_err().kind,
        ReadErrorKind::Throttled
    );
    let (status, message) = status_of(&judge_all(&snapshot), "alarm.exists");
    assert_eq!(status, Status::Error, "{message}");
    assert!(message.contains("throttling"), "{message}");
}
