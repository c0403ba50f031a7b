//! The lab the replay leaves, read as the checks read an account: what the history
//! shows, and, for what it cannot show, a read error that says so.

use std::collections::BTreeMap;

use super::replay::Replay;
use super::{arrivals, default_topic_policy, not_in_history};
use crate::snapshot::*;

impl Replay {
    /// The lab as the replay leaves it, read as the checks read an account.
    pub(super) fn snapshot(self, live: &Snapshot, names: &Names, iam_seen: bool) -> Snapshot {
        let (account, region) = (live.account.as_str(), live.region.as_str());
        let trails: Vec<Trail> = self.trails.values().cloned().collect();
        let trail = trails.iter().find(|t| t.name == names.trail);
        let delivered = trail
            .and_then(|t| t.log_group_arn.as_deref())
            .map(crate::arn::log_group_name);
        let mut trail_status = Reads::new();
        let mut selectors = Reads::new();
        for t in &trails {
            trail_status.insert(
                t.name.clone(),
                Ok(TrailStatus {
                    is_logging: self.logging.get(&t.name).copied().unwrap_or(false),
                    ..TrailStatus::default()
                }),
            );
            // A new trail records all management events (CloudTrail User Guide,
            // "Logging management events").
            let chosen = self.selectors.get(&t.name).cloned().unwrap_or_else(|| {
                Selectors::Basic(vec![BasicSelector {
                    read_write: ReadWrite::All,
                    include_management_events: true,
                    exclude_management_event_sources: Vec::new(),
                }])
            });
            selectors.insert(t.name.clone(), Ok(chosen));
        }
        let known = |map: &BTreeMap<String, bool>, name: &str, action: &str, what: &str| {
            map.get(name)
                .copied()
                .ok_or_else(|| not_in_history(action, &format!("{what} `{name}` being made")))
        };
        let mut buckets = Reads::new();
        for bucket in [
            Some(names.bucket.clone()),
            trail.and_then(|t| t.s3_bucket.clone()),
        ]
        .into_iter()
        .flatten()
        {
            let read = known(&self.buckets, &bucket, "s3:ListBucket", "the bucket");
            buckets.insert(bucket, read);
        }
        let mut log_groups = Reads::new();
        for group in [Some(names.log_group.clone()), delivered.clone()]
            .into_iter()
            .flatten()
        {
            let read = known(
                &self.log_groups,
                &group,
                "logs:DescribeLogGroups",
                "the log group",
            )
            .map(|exists| {
                exists.then(|| LogGroup {
                    arn: Some(format!(
                        "arn:aws:logs:{region}:{account}:log-group:{group}:*"
                    )),
                    name: group.clone(),
                })
            });
            log_groups.insert(group, read);
        }
        let mut log_streams = Reads::new();
        if let Some(group) = &delivered {
            log_streams.insert(group.clone(), arrivals(live, names));
        }
        let role_names: Vec<String> = [
            Some(names.role.clone()),
            trail
                .and_then(|t| t.logs_role_arn.as_deref())
                .map(|arn| crate::arn::last_name(arn).to_string()),
        ]
        .into_iter()
        .flatten()
        .collect();
        let mut roles = Reads::new();
        let mut role_policies = Reads::new();
        for name in role_names {
            if !iam_seen {
                let why = not_in_history(
                    "iam:GetRole",
                    "IAM's calls, which CloudTrail records in us-east-1's event history",
                );
                roles.insert(name.clone(), Err(why.clone()));
                role_policies.insert(name, Err(why));
                continue;
            }
            let role = self.roles.get(&name).cloned();
            roles.insert(name.clone(), Ok(role.clone()));
            let Some(role) = role else { continue };
            let attached = self.attached.get(&name).cloned().unwrap_or_default();
            let policies = if !attached.is_empty() {
                Err(not_in_history(
                    "iam:GetPolicyVersion",
                    "the documents of the managed policies attached to the role",
                ))
            } else if role.boundary.is_some() {
                Err(not_in_history(
                    "iam:GetPolicyVersion",
                    "the document of the role's permissions boundary",
                ))
            } else {
                Ok(RolePolicies {
                    documents: self
                        .inline
                        .get(&name)
                        .map(|p| p.values().cloned().collect())
                        .unwrap_or_default(),
                    boundary: None,
                })
            };
            role_policies.insert(name, policies);
        }
        let mut topic_attributes = Reads::new();
        let mut subscriptions = Reads::new();
        let mut subscription_attributes = Reads::new();
        for (arn, attributes) in &self.topics {
            topic_attributes.insert(
                arn.clone(),
                Ok(TopicAttributes {
                    policy: Some(
                        attributes
                            .get("Policy")
                            .cloned()
                            .unwrap_or_else(|| default_topic_policy(arn, account)),
                    ),
                    kms_key: attributes
                        .get("KmsMasterKeyId")
                        .filter(|k| !k.is_empty())
                        .cloned(),
                }),
            );
            let mut subs = self.subscriptions.get(arn).cloned().unwrap_or_default();
            // A pending email subscription whose ARN a later call used (the cleanup's
            // Unsubscribe, say) was confirmed: SNS gives that ARN only then. Which
            // one, when several are unnamed, the history does not say.
            let learned: Vec<&String> = self
                .learned_arns
                .iter()
                .filter(|a| a.starts_with(&format!("{arn}:")))
                .filter(|a| !subs.iter().any(|s| s.arn.as_ref() == Some(*a)))
                .collect();
            let unnamed: Vec<usize> = (0..subs.len())
                .filter(|&i| subs[i].arn.is_none() && !subs[i].confirmed)
                .collect();
            if let ([learned], [one]) = (learned.as_slice(), unnamed.as_slice()) {
                subs[*one].arn = Some((*learned).clone());
                subs[*one].confirmed = true;
            }
            let listed: Vec<Subscription> = subs
                .iter()
                .enumerate()
                .map(|(i, s)| Subscription {
                    arn: match (&s.arn, s.confirmed) {
                        (Some(known), true) => known.clone(),
                        // Confirmed, its ARN not in the history: a stand-in.
                        (None, true) => format!("{arn}:from-history-{i}"),
                        (_, false) => "PendingConfirmation".into(),
                    },
                    protocol: s.protocol.clone(),
                    endpoint: s.endpoint.clone(),
                })
                .collect();
            for (s, listed) in subs.iter().zip(&listed) {
                if s.confirmed {
                    subscription_attributes.insert(
                        listed.arn.clone(),
                        Ok(SubscriptionAttributes::from_attributes(
                            s.attributes.clone(),
                        )),
                    );
                }
            }
            // A confirmation from the email's link is not in the history: a pending
            // email subscription may have been confirmed that way. Unless a confirmed
            // one surely takes every notification (no filter policy), what the
            // subscriptions were is unknown.
            let sure = subs.iter().any(|s| {
                s.confirmed
                    && s.protocol.starts_with("email")
                    && !s.attributes.contains_key("FilterPolicy")
            });
            let maybe_confirmed = subs
                .iter()
                .any(|s| s.protocol.starts_with("email") && !s.confirmed);
            let read = if self.untied.contains(arn) {
                Err(not_in_history(
                    "sns:ListSubscriptionsByTopic",
                    "which subscription a change was made to (several were unnamed)",
                ))
            } else if maybe_confirmed && !sure {
                Err(not_in_history(
                    "sns:ListSubscriptionsByTopic",
                    "whether the email subscription was confirmed: a confirmation from the email's link is not logged (unsubscribing it before deleting the topic would have shown it)",
                ))
            } else {
                Ok(listed)
            };
            subscriptions.insert(arn.clone(), read);
        }
        Snapshot {
            account: live.account.clone(),
            region: live.region.clone(),
            secret: Ok(self.secret),
            watched_events: live.watched_events.clone(),
            trails: Ok(trails),
            trail_status,
            selectors,
            buckets,
            log_groups,
            log_streams,
            metric_filters: Ok(self.filters.into_values().collect()),
            filter_tests: Reads::new(),
            grader: live.grader.clone(),
            endpoint: live.endpoint,
            roles,
            role_policies,
            alarms: Ok(self.alarms.into_values().collect()),
            alarm_history: live.alarm_history.clone(),
            metric_data: live.metric_data.clone(),
            topics: Ok(self.topics.into_keys().collect()),
            subscriptions,
            topic_attributes,
            topic_keys: live.topic_keys.clone(),
            subscription_attributes,
            write_history: live.write_history.clone(),
            before_cleanup: None,
            api_calls: live.api_calls,
            phases: live.phases.clone(),
        }
    }
}
