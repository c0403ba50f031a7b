//! CloudTrail in the sandbox: records, Event history's lookup and its paging, log
//! file names and log batches.

use super::delivery::{LOG_BATCH_BYTES, log_batches};
use super::*;

fn event(name: &str, time: f64, account: &str) -> Event {
    Event {
        id: format!("id-{time}"),
        account: account.into(),
        region: "us-east-1".into(),
        time,
        name: name.into(),
        source: "secretsmanager.amazonaws.com".into(),
        read_only: true,
        access_key: "AKID".into(),
        user_name: "learner".into(),
        record: json!({"requestParameters": {"secretId": "TopSecretInfo"}}).to_string(),
        mentions: vec!["TopSecretInfo".into()],
    }
}

#[test]
fn lookup_filters_by_name_newest_first_and_pages() {
    let events: Vec<Event> = (0..60)
        .map(|i| {
            event(
                if i % 2 == 0 {
                    "GetSecretValue"
                } else {
                    "ListSecrets"
                },
                i as f64,
                "111111111111",
            )
        })
        .chain([event("GetSecretValue", 100.0, "222222222222")])
        .collect();
    let request = json!({"LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "GetSecretValue"}], "MaxResults": 20});
    let first = lookup_events(&events, 0, "111111111111", "us-east-1", &request).unwrap();
    let page = first["Events"].as_array().unwrap();
    assert_eq!(page.len(), 20);
    assert_eq!(page[0]["EventTime"], 58.0);
    assert!(page.iter().all(|e| e["EventName"] == "GetSecretValue"));
    let mut next = request.clone();
    next["NextToken"] = first["NextToken"].clone();
    let second = lookup_events(&events, 0, "111111111111", "us-east-1", &next).unwrap();
    assert_eq!(second["Events"].as_array().unwrap().len(), 10);
    assert!(second.get("NextToken").is_none());
    let by_resource = json!({"LookupAttributes": [{"AttributeKey": "ResourceName", "AttributeValue": "TopSecretInfo"}]});
    assert_eq!(
        lookup_events(&events, 0, "222222222222", "us-east-1", &by_resource).unwrap()["Events"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn lookup_rejects_what_aws_rejects() {
    let two = json!({"LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "a"}, {"AttributeKey": "EventName", "AttributeValue": "b"}]});
    assert!(lookup_events(&[], 0, "1", "us-east-1", &two).is_err());
    let unknown = json!({"LookupAttributes": [{"AttributeKey": "Colour", "AttributeValue": "a"}]});
    let refusal = lookup_events(&[], 0, "1", "us-east-1", &unknown).unwrap_err();
    assert_eq!(
        refusal.code, "InvalidLookupAttributesException",
        "refused even when there is nothing to look at"
    );
    let forged = json!({"NextToken": "5"});
    let refusal = lookup_events(&[], 0, "1", "us-east-1", &forged).unwrap_err();
    assert_eq!(refusal.code, "InvalidNextTokenException");
    let garbage = json!({"NextToken": "page-two"});
    assert!(lookup_events(&[], 0, "1", "us-east-1", &garbage).is_err());
}

/// Every event of one account, paged through to the end.
fn page_through(events: &mut Vec<Event>, first: usize, arrive: bool) -> Vec<String> {
    let mut seen = Vec::new();
    let mut request = json!({"MaxResults": 7});
    loop {
        let page = lookup_events(events, first, "111111111111", "us-east-1", &request).unwrap();
        seen.extend(
            page["Events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["EventId"].as_str().unwrap().to_string()),
        );
        let Some(token) = page.get("NextToken") else {
            return seen;
        };
        request["NextToken"] = token.clone();
        if arrive {
            // The lookup itself is an event, recorded between two pages.
            let time = 1_000.0 + seen.len() as f64;
            events.push(event("LookupEvents", time, "111111111111"));
        }
    }
}

#[test]
fn pages_neither_repeat_nor_skip_while_events_arrive() {
    let mut events: Vec<Event> = (0..40)
        .map(|i| event("GetSecretValue", i as f64, "111111111111"))
        .collect();
    let quiet = page_through(&mut events.clone(), 0, false);
    let busy = page_through(&mut events, 0, true);
    let expected: Vec<String> = (0..40).rev().map(|i| format!("id-{i}")).collect();
    assert_eq!(quiet, expected);
    assert_eq!(
        busy, expected,
        "what arrived after the first page is not in it"
    );
}

#[test]
fn a_token_outlives_the_events_forgotten_before_it() {
    let events: Vec<Event> = (0..30)
        .map(|i| event("GetSecretValue", i as f64, "111111111111"))
        .collect();
    let request = json!({"MaxResults": 10});
    let first = lookup_events(&events, 0, "111111111111", "us-east-1", &request).unwrap();
    let mut next = request.clone();
    next["NextToken"] = first["NextToken"].clone();
    // The five oldest events are forgotten between the two pages.
    let second = lookup_events(&events[5..], 5, "111111111111", "us-east-1", &next).unwrap();
    let times: Vec<f64> = second["Events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["EventTime"].as_f64().unwrap())
        .collect();
    assert_eq!(times, (10..20).rev().map(f64::from).collect::<Vec<_>>());
    let mut last = request.clone();
    last["NextToken"] = second["NextToken"].clone();
    let third = lookup_events(&events[15..], 15, "111111111111", "us-east-1", &last).unwrap();
    assert!(
        third["Events"].as_array().unwrap().is_empty(),
        "what was forgotten is not shown"
    );
    assert!(third.get("NextToken").is_none());
}

#[test]
fn log_batches_keep_within_aws_quotas() {
    let small: Vec<(i64, String)> = (0..25_000).map(|i| (i, "x".repeat(10))).collect();
    let batches = log_batches(&small);
    assert_eq!(batches, vec![0..10_000, 10_000..20_000, 20_000..25_000]);
    // Ten of these pass a mebibyte with their overhead, so nine go at a time.
    let large: Vec<(i64, String)> = (0..20).map(|i| (i, "y".repeat(104_850))).collect();
    assert_eq!(log_batches(&large), vec![0..9, 9..18, 18..20]);
    let day = 24 * 3600 * 1000;
    let spread: Vec<(i64, String)> = [0, day, day + 1, 3 * day]
        .into_iter()
        .map(|t| (t, "z".into()))
        .collect();
    assert_eq!(log_batches(&spread), vec![0..2, 2..3, 3..4]);
    assert!(log_batches(&[]).is_empty());
    let one_too_big = vec![(0, "w".repeat(LOG_BATCH_BYTES))];
    assert_eq!(
        log_batches(&one_too_big),
        vec![0..1],
        "sent alone, for AWS to judge"
    );
}

#[test]
fn log_files_are_named_like_cloudtrails() {
    let key = log_file_key(
        Some("logs/"),
        "111111111111",
        "us-east-1",
        1_795_860_000.0,
        "0a1b2c3d-0000",
    );
    assert_eq!(
        key,
        "logs/AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/28/111111111111_CloudTrail_us-east-1_20261128T1000Z_0a1b2c3d0000.json.gz"
    );
}

/// The headers of a request signed with `key` for `service` in us-east-1.
fn signed_by(key: &str, service: &str) -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    headers.insert(
        "authorization",
        format!("AWS4-HMAC-SHA256 Credential={key}/20261128/us-east-1/{service}/aws4_request")
            .parse()
            .unwrap(),
    );
    headers
}

#[test]
fn records_say_who_and_hide_values() {
    let who = Principal {
        access_key: "AKIDEXAMPLE".into(),
        account: "111111111111".into(),
        arn: "arn:aws:sts::111111111111:assumed-role/Admin/alice".into(),
        invoked_by: None,
    };
    let mut headers = signed_by("AKIDEXAMPLE", "secretsmanager");
    headers.insert(
        "x-amz-target",
        "secretsmanager.PutSecretValue".parse().unwrap(),
    );
    headers.insert(
        "user-agent",
        "aws-cli/2.22.0 md/command#secretsmanager.put-secret-value"
            .parse()
            .unwrap(),
    );
    let call = Call::parse(
        "POST",
        "/",
        None,
        &headers,
        br#"{"SecretId":"s","SecretString":"v4lue"}"#,
    )
    .unwrap();
    let e = record(
        &call,
        &who,
        10.0,
        ids(),
        Some(Refusal::new("AccessDenied", "no")),
    );
    assert_eq!(e.id, "event");
    assert!(!e.record.contains("v4lue"));
    assert_eq!(
        e.mentions,
        vec!["s".to_string()],
        "the secret's name, not its value"
    );
    let record: Value = serde_json::from_str(&e.record).unwrap();
    assert_eq!(
        record["sourceIPAddress"], "",
        "set by the front from the connection"
    );
    assert_eq!(record["requestID"], "request");
    assert_eq!(record["eventID"], "event");
    assert_eq!(
        record["userAgent"], "aws-cli/2.22.0 md/command#secretsmanager.put-secret-value",
        "the caller's own user agent"
    );
    assert_eq!(e.user_name, "alice");
    assert_eq!(record["userIdentity"]["type"], "AssumedRole");
    assert_eq!(record["errorCode"], "AccessDenied");
    assert_eq!(record["readOnly"], false);
}

#[test]
fn a_call_a_service_makes_for_the_root_user_is_marked_with_it() {
    let who = Principal {
        access_key: "LABASEXAMPLE".into(),
        account: "111111111111".into(),
        arn: "arn:aws:iam::111111111111:root".into(),
        invoked_by: Some("cloudformation.amazonaws.com".into()),
    };
    let call = Call::parse(
        "POST",
        "/",
        None,
        &signed_by("LABASEXAMPLE", "iam"),
        b"Action=ListAccountAliases&Version=2010-05-08",
    )
    .unwrap();
    let e = record(&call, &who, 10.0, ids(), None);
    let record: Value = serde_json::from_str(&e.record).unwrap();
    assert_eq!(record["userIdentity"]["type"], "Root");
    assert_eq!(record["userIdentity"]["principalId"], "111111111111");
    assert_eq!(
        record["userIdentity"]["invokedBy"],
        "cloudformation.amazonaws.com"
    );
    assert_eq!(record["sourceIPAddress"], "cloudformation.amazonaws.com");
    assert_eq!(record["userAgent"], "cloudformation.amazonaws.com");
    assert_eq!(record["eventType"], "AwsApiCall");
}

#[test]
fn event_history_gives_the_records_whole_second() {
    let events = [event("GetSecretValue", 12.75, "111111111111")];
    let page = lookup_events(&events, 0, "111111111111", "us-east-1", &json!({})).unwrap();
    assert_eq!(page["Events"][0]["EventTime"], 12.0);
}

/// The ids of a record made in a test.
fn ids() -> Ids {
    Ids {
        request: "request".into(),
        event: "event".into(),
    }
}
