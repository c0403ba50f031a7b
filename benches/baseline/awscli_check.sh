#!/usr/bin/env bash
# The grader an instructor would otherwise write in a shell: the checks of
# `lab check`'s default scope (stages 1 to 5) with the AWS CLI and jq, one `aws`
# process per call. It is the baseline `benches/compare.sh` times `lab check`
# against, not a second grader: its judgements are the plain ones.
#
# Uses the usual AWS_* variables (point it at the sandbox with
# `eval "$(lab sandbox env)"`). Prints one line per check; exits 1 if any fails.
set -u
SECRET=TopSecretInfo TRAIL=secrets-manager-trail GROUP=my-secretsmanager-loggroup
NAMESPACE=SecurityMetrics METRIC="Secret is accessed" ALARM="Secret is accessed"
TOPIC=SecurityAlarms
failed=0
check() { # name, then a command whose success is the verdict
    local name=$1; shift
    if "$@" >/dev/null 2>&1; then echo "PASS $name"; else echo "FAIL $name"; failed=1; fi
}
is_true() { [ "$1" = true ]; }

aws sts get-caller-identity >/dev/null
secret=$(aws secretsmanager describe-secret --secret-id "$SECRET" 2>/dev/null || echo '{}')
check secret.exists is_true "$(jq '.ARN != null and .DeletedDate == null' <<<"$secret")"

trail=$(aws cloudtrail describe-trails | jq -c --arg t "$TRAIL" '.trailList[] | select(.Name == $t)')
bucket=$(jq -r '.S3BucketName // empty' <<<"$trail")
check trail.exists aws s3api head-bucket --bucket "${bucket:-none}"
arn=$(jq -r '.TrailARN // empty' <<<"$trail")
check trail.logging is_true "$(aws cloudtrail get-trail-status --name "${arn:-none}" | jq '.IsLogging')"
selectors=$(aws cloudtrail get-event-selectors --trail-name "${arn:-none}" 2>/dev/null || echo '{}')
check trail.management_events is_true "$(jq '[.EventSelectors[]? |
    select(.IncludeManagementEvents and .ReadWriteType == "All")] | length > 0' <<<"$selectors")"
check trail.excludes_noisy_sources is_true "$(jq '[.EventSelectors[]?.ExcludeManagementEventSources[]?] |
    (index("kms.amazonaws.com") != null) and (index("rdsdata.amazonaws.com") != null)' <<<"$selectors")"
check trail.secret_access_recorded is_true "$(aws cloudtrail lookup-events --lookup-attributes \
    AttributeKey=EventSource,AttributeValue=secretsmanager.amazonaws.com |
    jq --arg s "$SECRET" '[.Events[] | select(.EventName == "GetSecretValue" and
    (.CloudTrailEvent | contains($s)))] | length > 0')"

group=$(jq -r '.CloudWatchLogsLogGroupArn // "" | sub(".*:log-group:"; "") | sub(":.*"; "")' <<<"$trail")
role=$(jq -r '.CloudWatchLogsRoleArn // "" | sub(".*/"; "")' <<<"$trail")
groups=$(aws logs describe-log-groups --log-group-name-prefix "$GROUP")
trust=$(aws iam get-role --role-name "${role:-none}" 2>/dev/null | jq -c '.Role.AssumeRolePolicyDocument')
check logs.trail_delivery is_true "$(jq --arg g "$GROUP" --arg d "$group" --arg t "$trust" \
    '($d == $g) and ([.logGroups[] | select(.logGroupName == $g)] | length > 0) and
    ($t | contains("cloudtrail.amazonaws.com"))' <<<"$groups")"
check logs.events_arriving is_true "$(aws logs describe-log-streams --log-group-name "${group:-none}" \
    --order-by LastEventTime --descending --limit 5 | jq '.logStreams | length > 0')"
check logs.metric_filter is_true "$(aws logs describe-metric-filters | jq --arg g "$GROUP" \
    --arg n "$NAMESPACE" --arg m "$METRIC" '[.metricFilters[] | select(.logGroupName == $g and
    (.filterPattern | contains("GetSecretValue")) and any(.metricTransformations[];
    .metricNamespace == $n and .metricName == $m))] | length > 0')"

topic=$(aws sns list-topics | jq -r --arg t "$TOPIC" '.Topics[].TopicArn | select(endswith(":" + $t))')
check sns.topic test -n "$topic"
check sns.email_confirmed is_true "$(aws sns list-subscriptions-by-topic --topic-arn "${topic:-none}" |
    jq '[.Subscriptions[] | select(.Protocol == "email" and (.SubscriptionArn | startswith("arn:")))] |
    length > 0')"

alarm=$(aws cloudwatch describe-alarms --alarm-names "$ALARM" | jq -c '.MetricAlarms[0] // {}')
check alarm.exists is_true "$(jq --arg n "$NAMESPACE" --arg m "$METRIC" \
    '.Namespace == $n and .MetricName == $m and ((.Dimensions // []) | length == 0)' <<<"$alarm")"
check alarm.threshold is_true "$(jq '.Threshold <= 1 and
    .ComparisonOperator == "GreaterThanOrEqualToThreshold"' <<<"$alarm")"
check alarm.notifies_topic is_true "$(jq --arg t "$topic" \
    '.ActionsEnabled and ((.AlarmActions // []) | index($t) != null)' <<<"$alarm")"
check alarm.statistic is_true "$(jq '.Statistic == "Sum" or .Statistic == "Maximum"' <<<"$alarm")"
check alarm.fired is_true "$(aws cloudwatch describe-alarm-history --alarm-name "$ALARM" \
    --history-item-type StateUpdate | jq '[.AlarmHistoryItems[] |
    select(.HistorySummary | contains("to ALARM"))] | length > 0')"
exit $failed
