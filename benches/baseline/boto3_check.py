#!/usr/bin/env python3
"""The grader an instructor would otherwise write: the checks of `lab check`'s
default scope (stages 1 to 5) as one boto3 process, reading the same calls in turn.
It is the baseline `benches/compare.sh` times `lab check` against, not a second
grader: its judgements are the plain ones (names and values compared as written).

Reads the endpoint, region and credentials from the usual AWS_* variables (point it
at the sandbox with `eval "$(lab sandbox env)"`). Prints one line per check and
exits 1 if any fails.
"""
import json
import sys

import boto3

SECRET = "TopSecretInfo"
TRAIL = "secrets-manager-trail"
GROUP = "my-secretsmanager-loggroup"
NAMESPACE, METRIC = "SecurityMetrics", "Secret is accessed"
ALARM = "Secret is accessed"
TOPIC = "SecurityAlarms"

results = []


def check(name, passed, detail=""):
    results.append(passed)
    print(f"{'PASS' if passed else 'FAIL'} {name} {detail}".rstrip())


def main():
    session = boto3.session.Session()
    sm, ct, logs = session.client("secretsmanager"), session.client("cloudtrail"), session.client("logs")
    cw, sns, s3, iam = session.client("cloudwatch"), session.client("sns"), session.client("s3"), session.client("iam")
    session.client("sts").get_caller_identity()

    try:
        secret = sm.describe_secret(SecretId=SECRET)
        check("secret.exists", "DeletedDate" not in secret)
    except sm.exceptions.ResourceNotFoundException:
        secret = None
        check("secret.exists", False)

    trails = ct.describe_trails()["trailList"]
    trail = next((t for t in trails if t["Name"] == TRAIL), None)
    bucket_ok = False
    if trail:
        try:
            s3.head_bucket(Bucket=trail["S3BucketName"])
            bucket_ok = True
        except Exception:
            pass
    check("trail.exists", bool(trail) and bucket_ok)
    if trail:
        status = ct.get_trail_status(Name=trail["TrailARN"])
        check("trail.logging", status.get("IsLogging", False))
        selectors = ct.get_event_selectors(TrailName=trail["TrailARN"])
        basic = selectors.get("EventSelectors", [])
        check("trail.management_events",
              any(s.get("IncludeManagementEvents") and s.get("ReadWriteType") == "All" for s in basic))
        excluded = {x for s in basic for x in s.get("ExcludeManagementEventSources", [])}
        check("trail.excludes_noisy_sources", {"kms.amazonaws.com", "rdsdata.amazonaws.com"} <= excluded)

    events = ct.lookup_events(LookupAttributes=[
        {"AttributeKey": "EventSource", "AttributeValue": "secretsmanager.amazonaws.com"}])["Events"]
    reads = [e for e in events if e["EventName"] == "GetSecretValue"
             and secret and SECRET in json.dumps(e.get("Resources", [])) + e.get("CloudTrailEvent", "")]
    check("trail.secret_access_recorded", bool(reads))

    group_arn = (trail or {}).get("CloudWatchLogsLogGroupArn", "")
    group = group_arn.split(":log-group:")[-1].split(":")[0] if group_arn else None
    role_arn = (trail or {}).get("CloudWatchLogsRoleArn", "")
    groups = logs.describe_log_groups(logGroupNamePrefix=GROUP)["logGroups"]
    role_ok = False
    if role_arn:
        role = iam.get_role(RoleName=role_arn.split("/")[-1])["Role"]
        role_ok = "cloudtrail.amazonaws.com" in json.dumps(role["AssumeRolePolicyDocument"])
    check("logs.trail_delivery", group == GROUP and any(g["logGroupName"] == GROUP for g in groups) and role_ok)
    if group:
        streams = logs.describe_log_streams(logGroupName=group, orderBy="LastEventTime",
                                            descending=True, limit=5)["logStreams"]
        check("logs.events_arriving", bool(streams))
    filters = logs.describe_metric_filters()["metricFilters"]
    feeding = [f for f in filters if any(t["metricNamespace"] == NAMESPACE and t["metricName"] == METRIC
                                         for t in f["metricTransformations"])]
    check("logs.metric_filter", any("GetSecretValue" in f["filterPattern"] and f["logGroupName"] == GROUP
                                    for f in feeding))

    topics = [t["TopicArn"] for t in sns.list_topics()["Topics"]]
    topic = next((t for t in topics if t.split(":")[-1] == TOPIC), None)
    check("sns.topic", bool(topic))
    if topic:
        subs = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
        check("sns.email_confirmed", any(s["Protocol"] == "email" and s["SubscriptionArn"].startswith("arn:")
                                         for s in subs))

    alarms = cw.describe_alarms(AlarmNames=[ALARM])["MetricAlarms"]
    alarm = alarms[0] if alarms else None
    check("alarm.exists", bool(alarm) and alarm.get("Namespace") == NAMESPACE
          and alarm.get("MetricName") == METRIC and not alarm.get("Dimensions"))
    if alarm:
        check("alarm.threshold", alarm["Threshold"] <= 1
              and alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold")
        check("alarm.notifies_topic", alarm.get("ActionsEnabled") and topic in alarm.get("AlarmActions", []))
        check("alarm.statistic", alarm.get("Statistic") in ("Sum", "Maximum"))
        history = cw.describe_alarm_history(AlarmName=ALARM, HistoryItemType="StateUpdate")["AlarmHistoryItems"]
        check("alarm.fired", any("to ALARM" in h["HistorySummary"] for h in history))

    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
