//! The "do it for me" actions on moto: they build the lab as the lessons describe,
//! run twice they change nothing the second time, everything they create carries the
//! lab's tag, their policies are scoped to the lab, the secret's value never shows,
//! and cleanup removes the lab and nothing else.

use lab::actions::{Done, perform};
use lab::aws::Aws;
use lab::lesson::{LessonSource, load};

use crate::support::build::{self, ALARM, EMAIL, GROUP, ROLE, SECRET, TRAIL, perform_through};
use crate::support::moto;

/// How many of each lab resource the account holds: equal before and after a
/// second run means the second run created no twins and deleted nothing.
async fn census(aws: &Aws) -> Vec<(&'static str, usize)> {
    let secrets = aws
        .secretsmanager()
        .list_secrets()
        .send()
        .await
        .unwrap()
        .secret_list()
        .len();
    let trails = aws
        .cloudtrail()
        .describe_trails()
        .send()
        .await
        .unwrap()
        .trail_list()
        .len();
    let buckets = aws
        .s3()
        .list_buckets()
        .send()
        .await
        .unwrap()
        .buckets()
        .len();
    let groups = aws
        .logs()
        .describe_log_groups()
        .send()
        .await
        .unwrap()
        .log_groups()
        .len();
    let filters = aws
        .logs()
        .describe_metric_filters()
        .log_group_name(GROUP)
        .send()
        .await
        .map(|f| f.metric_filters().len())
        .unwrap_or(0);
    let roles = aws.iam().list_roles().send().await.unwrap().roles().len();
    let topics = aws.sns().list_topics().send().await.unwrap().topics().len();
    let subscriptions = aws
        .sns()
        .list_subscriptions()
        .send()
        .await
        .unwrap()
        .subscriptions()
        .len();
    let alarms = aws
        .cloudwatch()
        .describe_alarms()
        .send()
        .await
        .unwrap()
        .metric_alarms()
        .len();
    vec![
        ("secrets", secrets),
        ("trails", trails),
        ("buckets", buckets),
        ("log groups", groups),
        ("metric filters", filters),
        ("roles", roles),
        ("topics", topics),
        ("subscriptions", subscriptions),
        ("alarms", alarms),
    ]
}

#[tokio::test]
async fn each_action_run_twice_changes_nothing_the_second_time() {
    let account = moto::account().await;
    let aws = Aws::new(account.config.clone());
    let lab = load(&LessonSource::default()).unwrap();
    let session = crate::support::build::open_session(&lab, aws.clone()).await;
    for (stage, step) in lab.steps().filter(|(s, _)| s.number <= 6) {
        let Some(action) = &step.action else { continue };
        let first = perform(action, &session.context())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", step.id));
        if step.id == "deliver-to-logs" {
            build::deliver_an_event(&aws, &account.id).await;
        }
        let before = census(&aws).await;
        let second = perform(action, &session.context())
            .await
            .unwrap_or_else(|e| panic!("{} again: {e}", step.id));
        assert_eq!(
            second.changes,
            Vec::<String>::new(),
            "stage {} step {} changed something the second time",
            stage.number,
            step.id
        );
        assert!(
            !second.unchanged.is_empty(),
            "{} says what it found",
            step.id
        );
        assert_eq!(
            census(&aws).await,
            before,
            "{} created or deleted something the second time",
            step.id
        );
        // Reading changes nothing; and moto confirms email subscriptions at once,
        // so there is nothing left for `sns.confirm` to do.
        if !matches!(action.spec.id, "secret.read" | "sns.confirm") {
            assert!(
                !first.changes.is_empty() || step.id == "watch-inbox",
                "{} changed nothing the first time",
                step.id
            );
        }
    }
}

#[tokio::test]
async fn the_lab_as_built_follows_the_lessons_and_is_tagged() {
    let account = moto::account().await;
    let aws = build::build(&account, 5).await;
    let tagged = |tags: Vec<(String, String)>| {
        tags.contains(&("lab".to_string(), "secrets-access-monitoring".to_string()))
    };

    let secret = aws
        .secretsmanager()
        .describe_secret()
        .secret_id(SECRET)
        .send()
        .await
        .unwrap();
    assert!(
        tagged(
            secret
                .tags()
                .iter()
                .map(|t| (t.key().unwrap().into(), t.value().unwrap().into()))
                .collect()
        ),
        "secret"
    );
    assert_eq!(
        secret.description(),
        Some("Secret created for monitoring project")
    );

    let trail_arn = format!(
        "arn:aws:cloudtrail:{}:{}:trail/{TRAIL}",
        moto::REGION,
        account.id
    );
    let trail_tags = aws
        .cloudtrail()
        .list_tags()
        .resource_id_list(&trail_arn)
        .send()
        .await
        .unwrap();
    let trail_tags = trail_tags.resource_tag_list()[0]
        .tags_list()
        .iter()
        .map(|t| (t.key.clone(), t.value.clone().unwrap_or_default()))
        .collect();
    assert!(tagged(trail_tags), "trail");

    let bucket = build::bucket(&account);
    let bucket_tags = aws
        .s3()
        .get_bucket_tagging()
        .bucket(&bucket)
        .send()
        .await
        .unwrap();
    assert!(
        tagged(
            bucket_tags
                .tag_set()
                .iter()
                .map(|t| (t.key().into(), t.value().into()))
                .collect()
        ),
        "bucket"
    );
    let policy = aws
        .s3()
        .get_bucket_policy()
        .bucket(&bucket)
        .send()
        .await
        .unwrap();
    assert!(
        policy.policy().unwrap().contains(&trail_arn),
        "only this trail may write: {:?}",
        policy.policy()
    );

    let role = aws.iam().get_role().role_name(ROLE).send().await.unwrap();
    let role = role.role().unwrap();
    assert!(
        tagged(
            role.tags()
                .iter()
                .map(|t| (t.key().into(), t.value().into()))
                .collect()
        ),
        "role"
    );
    let inline = aws
        .iam()
        .get_role_policy()
        .role_name(ROLE)
        .policy_name("cloudtrail-to-logs")
        .send()
        .await
        .unwrap();
    let document = checkers::policy::url_decode(inline.policy_document());
    assert!(
        document.contains(&format!("log-group:{GROUP}:log-stream:*"))
            && !document.contains("logs:*"),
        "{document}"
    );

    let topic = build::topic_arn(&account);
    let topic_tags = aws
        .sns()
        .list_tags_for_resource()
        .resource_arn(&topic)
        .send()
        .await
        .unwrap();
    assert!(
        tagged(
            topic_tags
                .tags()
                .iter()
                .map(|t| (t.key().into(), t.value().into()))
                .collect()
        ),
        "topic"
    );
    let subs = aws
        .sns()
        .list_subscriptions_by_topic()
        .topic_arn(&topic)
        .send()
        .await
        .unwrap();
    assert_eq!(
        subs.subscriptions()
            .iter()
            .filter_map(|s| s.endpoint())
            .collect::<Vec<_>>(),
        vec![EMAIL]
    );

    let alarms = aws
        .cloudwatch()
        .describe_alarms()
        .alarm_names(ALARM)
        .send()
        .await
        .unwrap();
    let alarm = &alarms.metric_alarms()[0];
    assert_eq!(
        alarm.statistic().map(|s| s.as_str()),
        Some("Sum"),
        "stage 5 fixed the statistic"
    );
    assert_eq!(alarm.period(), Some(60));
    let alarm_tags = aws
        .cloudwatch()
        .list_tags_for_resource()
        .resource_arn(alarm.alarm_arn().unwrap())
        .send()
        .await
        .unwrap();
    assert!(
        tagged(
            alarm_tags
                .tags()
                .iter()
                .map(|t| (t.key().unwrap().into(), t.value().unwrap().into()))
                .collect()
        ),
        "alarm"
    );
}

/// `trail.create` never narrows a trail that records every region (as every trail
/// made in the console does) to one, and widens one when the lesson asks.
#[tokio::test]
async fn the_trail_action_widens_a_trails_regions_and_never_narrows_them() {
    let account = moto::account().await;
    let aws = build::build(&account, 2).await;
    let lab = load(&LessonSource::default()).unwrap();
    let session = crate::support::build::open_session(&lab, aws.clone()).await;
    let multi_region = || async {
        aws.cloudtrail()
            .describe_trails()
            .trail_name_list(TRAIL)
            .send()
            .await
            .unwrap()
            .trail_list()[0]
            .is_multi_region_trail()
    };
    let create = |multi_region: bool| {
        let spec = lab::action_catalogue::find("trail.create").unwrap();
        let params = checkers::Params::from([(
            "multi_region".into(),
            checkers::ParamValue::Bool(multi_region),
        )]);
        lab::lesson::ActionRef {
            spec,
            invocation: lab::action_catalogue::invoke(spec, &params).unwrap(),
            params,
        }
    };
    assert_eq!(
        multi_region().await,
        Some(false),
        "the Secrets lab's own trail"
    );
    let widened = perform(&create(true), &session.context()).await.unwrap();
    assert_eq!(multi_region().await, Some(true), "{widened:?}");
    let kept = perform(&create(false), &session.context()).await.unwrap();
    assert_eq!(multi_region().await, Some(true), "{kept:?}");
    assert_eq!(kept.changes, Vec::<String>::new());
}

#[tokio::test]
async fn stage_four_builds_the_faithful_mistake() {
    let account = moto::account().await;
    let aws = build::build(&account, 4).await;
    let alarms = aws
        .cloudwatch()
        .describe_alarms()
        .alarm_names(ALARM)
        .send()
        .await
        .unwrap();
    assert_eq!(
        alarms.metric_alarms()[0].statistic().map(|s| s.as_str()),
        Some("Average")
    );
    assert_eq!(alarms.metric_alarms()[0].period(), Some(300));
}

#[tokio::test]
async fn reading_the_secret_never_shows_its_value() {
    let account = moto::account().await;
    let aws = Aws::new(account.config.clone());
    let report = perform_through(&aws, 2).await;
    let all: Vec<&Done> = report.iter().map(|(_, done)| done).collect();
    let text = format!("{all:?}");
    assert!(text.contains("its value is not shown"), "{text}");
    let stored = aws
        .secretsmanager()
        .get_secret_value()
        .secret_id(SECRET)
        .send()
        .await
        .unwrap();
    let value = stored.secret_string().unwrap();
    let inner = serde_json::from_str::<serde_json::Value>(value).unwrap()["The Secret is"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(inner.starts_with("demo-"), "{inner}");
    assert!(!text.contains(&inner), "the value leaked: {text}");
}

#[tokio::test]
async fn cleanup_removes_the_lab_and_spares_lookalikes() {
    let account = moto::account().await;
    let aws = build::build(&account, 6).await;
    aws.secretsmanager()
        .create_secret()
        .name("TopSecretInfo2")
        .secret_string("keep me")
        .send()
        .await
        .unwrap();
    aws.sns()
        .create_topic()
        .name("SecurityAlarms2")
        .send()
        .await
        .unwrap();
    aws.cloudtrail()
        .create_trail()
        .name("another-trail")
        .s3_bucket_name(build::bucket(&account))
        .send()
        .await
        .unwrap();
    aws.logs()
        .create_log_group()
        .log_group_name("my-secretsmanager-loggroup-2")
        .send()
        .await
        .unwrap();
    // A file in the bucket, as CloudTrail would have written.
    aws.s3()
        .put_object()
        .bucket(build::bucket(&account))
        .key("AWSLogs/x.json.gz")
        .body(Vec::from("{}").into())
        .send()
        .await
        .unwrap();

    let lab = load(&LessonSource::default()).unwrap();
    let session = crate::support::build::open_session(&lab, aws.clone()).await;
    let cleanup = lab
        .steps()
        .find_map(|(_, s)| s.action.as_ref().filter(|a| a.spec.id == "cleanup.all"))
        .unwrap();
    // The other trail writes to the lab's bucket too; delete it first so the bucket can go.
    aws.cloudtrail()
        .delete_trail()
        .name("another-trail")
        .send()
        .await
        .unwrap();
    let done = perform(cleanup, &session.context()).await.unwrap();
    assert_eq!(done.changes.len(), 7, "{:?}", done.changes);

    let census = census(&aws).await;
    let count = |what: &str| census.iter().find(|(k, _)| *k == what).unwrap().1;
    assert_eq!(count("trails"), 0);
    assert_eq!(count("buckets"), 0);
    assert_eq!(count("roles"), 0);
    assert_eq!(count("alarms"), 0);
    assert_eq!(count("topics"), 1, "SecurityAlarms2 survives");
    assert_eq!(
        count("log groups"),
        1,
        "my-secretsmanager-loggroup-2 survives"
    );
    let secrets = aws.secretsmanager().list_secrets().send().await.unwrap();
    let live: Vec<&str> = secrets
        .secret_list()
        .iter()
        .filter(|s| s.deleted_date().is_none())
        .filter_map(|s| s.name())
        .collect();
    assert_eq!(live, vec!["TopSecretInfo2"]);

    let again = perform(cleanup, &session.context()).await.unwrap();
    assert_eq!(
        again.changes,
        Vec::<String>::new(),
        "a second cleanup changes nothing"
    );
}

/// Every call each action makes is a permission the action lists, and every
/// permission lab publishes for "do it for me" is one an action lists: the handbook's
/// IAM appendix is what the actions need, no less. (That each listed permission is
/// named by its action's code is a unit test in `src/permissions.rs`.)
#[tokio::test]
async fn every_call_an_action_makes_is_a_permission_it_lists() {
    let account = moto::account().await;
    let calls = lab::call_log::CallLog::default();
    let aws = Aws::new(account.config.clone()).with_call_log(calls.clone());
    let lab = load(&LessonSource::default()).expect("lessons");
    let session = build::open_session(&lab, aws.clone()).await;
    let mut unlisted = Vec::new();
    for (stage, step) in lab.steps() {
        let Some(action) = &step.action else { continue };
        calls.take();
        perform(action, &session.context())
            .await
            .unwrap_or_else(|e| panic!("stage {} step {}: {e}", stage.number, step.id));
        let made = calls.take();
        if step.id == "deliver-to-logs" {
            build::deliver_an_event(&aws, &session.identity.account).await;
        }
        for call in made {
            if !action.spec.iam.contains(&call.as_str())
                && !lab::permissions::CHECK.contains(&call.as_str())
            {
                unlisted.push(format!("{} calls {call}", action.spec.id));
            }
        }
    }
    unlisted.dedup();
    assert!(unlisted.is_empty(), "not listed: {unlisted:#?}");
}
