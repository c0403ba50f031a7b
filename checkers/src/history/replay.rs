//! The replay of a lab's write calls: each call's effect on the resources it names,
//! read from its request parameters as CloudTrail records them, and the lab the
//! replay leaves, read as the checks read an account.

use std::collections::BTreeMap;

use serde_json::Value;

use super::parse::{alarm_of, filter_of, named, selectors_of, string_map, strings};
use crate::snapshot::*;

/// Everything the replay tracks, by the names the calls use.
#[derive(Debug, Default)]
pub(super) struct Replay {
    pub(super) secret: Option<Secret>,
    pub(super) trails: BTreeMap<String, Trail>,
    pub(super) logging: BTreeMap<String, bool>,
    pub(super) selectors: BTreeMap<String, Selectors>,
    pub(super) buckets: BTreeMap<String, bool>,
    pub(super) log_groups: BTreeMap<String, bool>,
    /// Metric filters by (log group, filter name).
    pub(super) filters: BTreeMap<(String, String), MetricFilter>,
    pub(super) roles: BTreeMap<String, Role>,
    /// Inline policies by role, then by policy name.
    pub(super) inline: BTreeMap<String, BTreeMap<String, String>>,
    /// Managed policies attached, by role: their documents are not in the history.
    pub(super) attached: BTreeMap<String, Vec<String>>,
    pub(super) alarms: BTreeMap<String, Alarm>,
    /// Topics by ARN, with their attributes as set.
    pub(super) topics: BTreeMap<String, BTreeMap<String, String>>,
    /// Subscriptions by topic ARN.
    pub(super) subscriptions: BTreeMap<String, Vec<Replayed>>,
    /// Topics with a call on a subscription the replay cannot tie to one: their
    /// subscriptions are unknown.
    pub(super) untied: std::collections::BTreeSet<String>,
    /// Subscription ARNs that later calls used but no response ever gave: SNS gives
    /// an email subscription's ARN only once it is confirmed, so such an ARN is one
    /// the learner read from a confirmed subscription (see [`Replay::evidence`]).
    pub(super) learned_arns: std::collections::BTreeSet<String>,
}

/// A subscription as the replay knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Replayed {
    /// Its ARN, when a response gave it or a later call bound it.
    pub(super) arn: Option<String>,
    /// Whether the history shows it confirmed.
    pub(super) confirmed: bool,
    /// `email`, `sqs`...
    pub(super) protocol: String,
    /// Where it delivers.
    pub(super) endpoint: String,
    /// Its settings: those given when subscribing, then those set.
    pub(super) attributes: BTreeMap<String, String>,
}

/// An ARN as a response gives it: one that starts with `arn:` (an email
/// subscription's is "pending confirmation" until it is confirmed).
fn given_arn(response: &Value, key: &str) -> Option<String> {
    response
        .get(key)
        .and_then(Value::as_str)
        .filter(|a| a.starts_with("arn:"))
        .map(str::to_string)
}

/// The topic a subscription ARN belongs to: all but its last part.
fn topic_of(subscription: &str) -> &str {
    subscription
        .rsplit_once(':')
        .map_or(subscription, |(topic, _)| topic)
}

impl Replay {
    /// Whether any of the lab's resources existed.
    pub(super) fn built_any(&self, names: &Names) -> bool {
        self.secret.is_some()
            || self.trails.contains_key(&names.trail)
            || self.alarms.contains_key(&names.alarm)
            || !self.topics.is_empty()
    }

    /// What the whole history shows about subscriptions beyond the cleanup's start:
    /// the ARNs calls used that no response gave (see [`Replay::learned_arns`]).
    pub(super) fn evidence(&mut self, events: &[&WriteEvent]) {
        let given: std::collections::BTreeSet<String> = events
            .iter()
            .filter(|e| e.source == "sns.amazonaws.com")
            .filter_map(|e| given_arn(&e.response, "subscriptionArn"))
            .collect();
        self.learned_arns = events
            .iter()
            .filter(|e| {
                e.source == "sns.amazonaws.com"
                    && matches!(e.name.as_str(), "SetSubscriptionAttributes" | "Unsubscribe")
            })
            .filter_map(|e| e.text("subscriptionArn"))
            .filter(|arn| arn.starts_with("arn:") && !given.contains(arn))
            .collect();
    }

    pub(super) fn apply(&mut self, event: &WriteEvent, account: &str, region: &str) {
        if event.failed {
            return;
        }
        let request = &event.request;
        match (event.source.as_str(), event.name.as_str()) {
            ("secretsmanager.amazonaws.com", "CreateSecret") => {
                if let Some(name) = event.text("name") {
                    let arn = event
                        .response
                        .get("arn")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                        .unwrap_or_else(|| {
                            format!("arn:aws:secretsmanager:{region}:{account}:secret:{name}")
                        });
                    self.secret = Some(Secret {
                        arn,
                        name,
                        deleted_date: None,
                    });
                }
            }
            ("secretsmanager.amazonaws.com", "DeleteSecret") => {
                let id = event.text("secretId").unwrap_or_default();
                if self
                    .secret
                    .as_ref()
                    .is_some_and(|s| s.name == id || s.arn == id || id.contains(&s.name))
                {
                    self.secret = None;
                }
            }
            ("s3.amazonaws.com", "CreateBucket") => {
                if let Some(bucket) = event.text("bucketName") {
                    self.buckets.insert(bucket, true);
                }
            }
            ("s3.amazonaws.com", "DeleteBucket") => {
                if let Some(bucket) = event.text("bucketName") {
                    self.buckets.insert(bucket, false);
                }
            }
            ("cloudtrail.amazonaws.com", "CreateTrail" | "UpdateTrail") => {
                let Some(name) = named(event, "name") else {
                    return;
                };
                let trail = self.trails.entry(name.clone()).or_insert_with(|| Trail {
                    name: name.clone(),
                    arn: format!("arn:aws:cloudtrail:{region}:{account}:trail/{name}"),
                    home_region: Some(region.to_string()),
                    ..Trail::default()
                });
                let text = |key: &str| event.text(key);
                if let Some(bucket) = text("s3BucketName") {
                    trail.s3_bucket = Some(bucket);
                }
                if let Some(multi) = super::parse::boolean(event.request.get("isMultiRegionTrail"))
                {
                    trail.multi_region = multi;
                }
                if let Some(group) = text("cloudWatchLogsLogGroupArn") {
                    trail.log_group_arn = (!group.is_empty()).then_some(group);
                }
                if let Some(role) = text("cloudWatchLogsRoleArn") {
                    trail.logs_role_arn = (!role.is_empty()).then_some(role);
                }
                if let Some(topic) = text("snsTopicName") {
                    trail.sns_topic_arn = (!topic.is_empty()).then(|| {
                        if topic.starts_with("arn:") {
                            topic
                        } else {
                            format!("arn:aws:sns:{region}:{account}:{topic}")
                        }
                    });
                }
            }
            ("cloudtrail.amazonaws.com", "StartLogging" | "StopLogging") => {
                if let Some(name) = named(event, "name") {
                    self.logging.insert(name, event.name == "StartLogging");
                }
            }
            ("cloudtrail.amazonaws.com", "PutEventSelectors") => {
                if let (Some(name), Some(selectors)) =
                    (named(event, "trailName"), selectors_of(request))
                {
                    self.selectors.insert(name, selectors);
                }
            }
            ("cloudtrail.amazonaws.com", "DeleteTrail") => {
                if let Some(name) = named(event, "name") {
                    self.trails.remove(&name);
                    self.logging.remove(&name);
                    self.selectors.remove(&name);
                }
            }
            ("logs.amazonaws.com", "CreateLogGroup") => {
                if let Some(group) = event.text("logGroupName") {
                    self.log_groups.insert(group, true);
                }
            }
            ("logs.amazonaws.com", "DeleteLogGroup") => {
                if let Some(group) = event.text("logGroupName") {
                    self.filters.retain(|(g, _), _| *g != group);
                    self.log_groups.insert(group, false);
                }
            }
            ("logs.amazonaws.com", "PutMetricFilter") => {
                if let Some(filter) = filter_of(event) {
                    self.filters
                        .insert((filter.log_group.clone(), filter.name.clone()), filter);
                }
            }
            ("logs.amazonaws.com", "DeleteMetricFilter") => {
                if let (Some(group), Some(name)) =
                    (event.text("logGroupName"), event.text("filterName"))
                {
                    self.filters.remove(&(group, name));
                }
            }
            ("iam.amazonaws.com", "CreateRole") => {
                if let Some(name) = event.text("roleName") {
                    self.roles.insert(
                        name.clone(),
                        Role {
                            arn: format!("arn:aws:iam::{account}:role/{name}"),
                            name: name.clone(),
                            trust_policy: crate::policy::url_decode(
                                &event.text("assumeRolePolicyDocument").unwrap_or_default(),
                            ),
                            boundary: event.text("permissionsBoundary"),
                        },
                    );
                    self.inline.entry(name.clone()).or_default();
                    self.attached.entry(name).or_default();
                }
            }
            ("iam.amazonaws.com", "UpdateAssumeRolePolicy") => {
                if let (Some(name), Some(document)) =
                    (event.text("roleName"), event.text("policyDocument"))
                    && let Some(role) = self.roles.get_mut(&name)
                {
                    role.trust_policy = crate::policy::url_decode(&document);
                }
            }
            ("iam.amazonaws.com", "PutRolePolicy") => {
                if let (Some(role), Some(policy), Some(document)) = (
                    event.text("roleName"),
                    event.text("policyName"),
                    event.text("policyDocument"),
                ) {
                    self.inline
                        .entry(role)
                        .or_default()
                        .insert(policy, crate::policy::url_decode(&document));
                }
            }
            ("iam.amazonaws.com", "DeleteRolePolicy") => {
                if let (Some(role), Some(policy)) =
                    (event.text("roleName"), event.text("policyName"))
                    && let Some(policies) = self.inline.get_mut(&role)
                {
                    policies.remove(&policy);
                }
            }
            ("iam.amazonaws.com", "AttachRolePolicy" | "DetachRolePolicy") => {
                if let (Some(role), Some(arn)) = (event.text("roleName"), event.text("policyArn")) {
                    let attached = self.attached.entry(role).or_default();
                    attached.retain(|a| *a != arn);
                    if event.name == "AttachRolePolicy" {
                        attached.push(arn);
                    }
                }
            }
            ("iam.amazonaws.com", "PutRolePermissionsBoundary") => {
                if let (Some(name), Some(boundary)) =
                    (event.text("roleName"), event.text("permissionsBoundary"))
                    && let Some(role) = self.roles.get_mut(&name)
                {
                    role.boundary = Some(boundary);
                }
            }
            ("iam.amazonaws.com", "DeleteRole") => {
                if let Some(name) = event.text("roleName") {
                    self.roles.remove(&name);
                    self.inline.remove(&name);
                    self.attached.remove(&name);
                }
            }
            ("monitoring.amazonaws.com", "PutMetricAlarm") => {
                if let Some(alarm) = alarm_of(event, account, region) {
                    self.alarms.insert(alarm.name.clone(), alarm);
                }
            }
            ("monitoring.amazonaws.com", "DeleteAlarms") => {
                for name in strings(request.get("alarmNames")) {
                    self.alarms.remove(&name);
                }
            }
            ("monitoring.amazonaws.com", "EnableAlarmActions" | "DisableAlarmActions") => {
                for name in strings(request.get("alarmNames")) {
                    if let Some(alarm) = self.alarms.get_mut(&name) {
                        alarm.actions_enabled = event.name == "EnableAlarmActions";
                    }
                }
            }
            ("sns.amazonaws.com", "CreateTopic") => {
                if let Some(name) = event.text("name") {
                    let arn = event
                        .response
                        .get("topicArn")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("arn:aws:sns:{region}:{account}:{name}"));
                    let attributes = string_map(request.get("attributes"));
                    self.topics.entry(arn).or_insert(attributes);
                }
            }
            ("sns.amazonaws.com", "SetTopicAttributes") => {
                if let (Some(topic), Some(name)) =
                    (event.text("topicArn"), event.text("attributeName"))
                    && let Some(attributes) = self.topics.get_mut(&topic)
                {
                    attributes.insert(name, event.text("attributeValue").unwrap_or_default());
                }
            }
            ("sns.amazonaws.com", "DeleteTopic") => {
                if let Some(topic) = event.text("topicArn") {
                    self.topics.remove(&topic);
                    self.subscriptions.remove(&topic);
                    self.untied.remove(&topic);
                }
            }
            ("sns.amazonaws.com", "Subscribe") => {
                let Some(topic) = event.text("topicArn") else {
                    return;
                };
                let protocol = event.text("protocol").unwrap_or_default();
                let endpoint = event.text("endpoint").unwrap_or_default();
                let subs = self.subscriptions.entry(topic).or_default();
                // Subscribing again with the same endpoint returns the same
                // subscription (SNS API reference, Subscribe).
                if subs
                    .iter()
                    .any(|s| s.protocol == protocol && s.endpoint == endpoint)
                {
                    return;
                }
                let attributes = string_map(request.get("attributes"));
                subs.push(Replayed {
                    arn: given_arn(&event.response, "subscriptionArn"),
                    // An email subscription waits for its owner (SNS Developer
                    // Guide): only a confirmation makes it one.
                    confirmed: !protocol.starts_with("email"),
                    protocol,
                    endpoint,
                    attributes,
                });
            }
            ("sns.amazonaws.com", "ConfirmSubscription") => {
                // Only a confirmation made with credentials is in the history; the
                // email's link confirms "in unauthenticated mode", which CloudTrail
                // does not log (SNS Developer Guide, "Logging Amazon SNS API calls
                // using CloudTrail").
                let Some(topic) = event.text("topicArn") else {
                    return;
                };
                let arn = given_arn(&event.response, "subscriptionArn");
                let subs = self.subscriptions.entry(topic.clone()).or_default();
                let pending: Vec<usize> = (0..subs.len()).filter(|&i| !subs[i].confirmed).collect();
                match (arn, pending.as_slice()) {
                    (Some(arn), _) if subs.iter().any(|s| s.arn.as_deref() == Some(&arn)) => {
                        for s in subs.iter_mut().filter(|s| s.arn.as_deref() == Some(&arn)) {
                            s.confirmed = true;
                        }
                    }
                    (arn, [one]) => {
                        subs[*one].confirmed = true;
                        subs[*one].arn = arn.or(subs[*one].arn.clone());
                    }
                    // Which of several pending subscriptions its token confirmed, the
                    // history does not say.
                    _ => {
                        self.untied.insert(topic);
                    }
                }
            }
            ("sns.amazonaws.com", "SetSubscriptionAttributes" | "Unsubscribe") => {
                let Some(arn) = event.text("subscriptionArn") else {
                    return;
                };
                let topic = topic_of(&arn).to_string();
                let subs = self.subscriptions.entry(topic.clone()).or_default();
                let at = match subs.iter().position(|s| s.arn.as_deref() == Some(&arn)) {
                    Some(at) => Some(at),
                    // A subscription whose ARN no response gave: the one it must be,
                    // when only one is unnamed.
                    None => {
                        let unnamed: Vec<usize> =
                            (0..subs.len()).filter(|&i| subs[i].arn.is_none()).collect();
                        match unnamed.as_slice() {
                            [one] => {
                                subs[*one].arn = Some(arn.clone());
                                // An ARN no response gave was read from a
                                // confirmed subscription.
                                if self.learned_arns.contains(&arn) {
                                    subs[*one].confirmed = true;
                                }
                                Some(*one)
                            }
                            _ => None,
                        }
                    }
                };
                let Some(at) = at else {
                    self.untied.insert(topic);
                    return;
                };
                if event.name == "Unsubscribe" {
                    subs.remove(at);
                } else if let Some(name) = event.text("attributeName") {
                    subs[at]
                        .attributes
                        .insert(name, event.text("attributeValue").unwrap_or_default());
                }
            }
            _ => {}
        }
    }
}
