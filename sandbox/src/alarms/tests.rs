//! Alarm evaluation in the sandbox: the average trap, the windows, missing data,
//! datapoints to alarm, each statistic and comparison, and the email.

use super::*;
use crate::world::{Datapoint, cloudwatch_time};

fn alarm(statistic: &str, period: i32) -> Alarm {
    Alarm {
        name: "Secret accessed".into(),
        arn: "arn:aws:cloudwatch:us-east-1:1:alarm:Secret accessed".into(),
        description: None,
        namespace: Some("SecurityMetrics".into()),
        metric: Some("Secret is accessed".into()),
        dimensions: vec![],
        unit: None,
        statistic: Some(statistic.into()),
        extended_statistic: None,
        period: Some(period),
        evaluation_periods: Some(1),
        datapoints_to_alarm: Some(1),
        threshold: Some(1.0),
        comparison: Some("GreaterThanOrEqualToThreshold".into()),
        actions_enabled: true,
        alarm_actions: vec!["arn:aws:sns:us-east-1:1:SecurityAlarms".into()],
        ok_actions: vec![],
        insufficient_data_actions: vec![],
        treat_missing_data: None,
        state: Some("INSUFFICIENT_DATA".into()),
        state_reason: None,
        state_reason_data: None,
    }
}

fn point(time: f64, value: f64) -> Datapoint {
    Datapoint {
        account: "1".into(),
        region: "us-east-1".into(),
        namespace: "SecurityMetrics".into(),
        metric: "Secret is accessed".into(),
        dimensions: vec![],
        unit: "None".into(),
        time,
        value,
    }
}

/// One read among nineteen other events, as the metric filter emits them.
fn one_read_among_twenty(now: f64) -> Vec<Datapoint> {
    (0..20)
        .map(|i| point(now - 30.0 + i as f64, if i == 7 { 1.0 } else { 0.0 }))
        .collect()
}

#[test]
fn the_average_trap_is_real() {
    // `now` is a minute's end: the data, in the minute before, is evaluated.
    let now = 1_000_020.0;
    let data = one_read_among_twenty(now);
    let points: Vec<&Datapoint> = data.iter().collect();
    let average = evaluate(&alarm("Average", 300), &points, now).unwrap();
    assert_eq!(average.state, State::Ok);
    assert_eq!(average.reason_data["recentDatapoints"][0], 0.05);
    let sum = evaluate(&alarm("Sum", 60), &points, now).unwrap();
    assert_eq!(sum.state, State::Alarm);
    assert!(
        sum.reason
            .starts_with("Threshold Crossed: 1 out of the last 1 datapoint"),
        "{}",
        sum.reason
    );
    assert_eq!(sum.reason_data["statistic"], "Sum");
}

#[test]
fn windows_are_whole_minutes_ending_at_the_last_one() {
    // At 30 s into a minute, a read in that minute is not evaluated yet; the
    // window is the whole minute before, and its datapoint is stamped with the
    // minute's start.
    let now = 1_000_050.0;
    let data = [point(1_000_030.0, 1.0), point(999_970.0, 0.0)];
    let refs: Vec<&Datapoint> = data.iter().collect();
    let evaluation = evaluate(&alarm("Sum", 60), &refs, now).unwrap();
    assert_eq!(evaluation.state, State::Ok);
    assert_eq!(
        evaluation.reason_data["evaluatedDatapoints"][0]["timestamp"],
        cloudwatch_time(999_960.0)
    );
    let next_minute = evaluate(&alarm("Sum", 60), &refs, 1_000_080.0).unwrap();
    assert_eq!(next_minute.state, State::Alarm);
}

#[test]
fn data_leaves_the_window_after_a_period() {
    let data = one_read_among_twenty(1_000_020.0);
    let points: Vec<&Datapoint> = data.iter().collect();
    let later = evaluate(&alarm("Sum", 60), &points, 1_000_081.0).unwrap();
    assert_eq!(later.state, State::InsufficientData);
    let mut not_breaching = alarm("Sum", 60);
    not_breaching.treat_missing_data = Some("notBreaching".into());
    assert_eq!(
        evaluate(&not_breaching, &points, 1_000_081.0)
            .unwrap()
            .state,
        State::Ok
    );
    let mut breaching = alarm("Sum", 60);
    breaching.treat_missing_data = Some("breaching".into());
    assert_eq!(
        evaluate(&breaching, &points, 1_000_081.0).unwrap().state,
        State::Alarm
    );
    let mut ignore = alarm("Sum", 60);
    ignore.treat_missing_data = Some("ignore".into());
    assert_eq!(evaluate(&ignore, &points, 1_000_081.0), None);
}

#[test]
fn datapoints_to_alarm_counts_breaching_periods() {
    let mut two_of_three = alarm("Sum", 60);
    two_of_three.evaluation_periods = Some(3);
    two_of_three.datapoints_to_alarm = Some(2);
    let now = 1_000_020.0;
    let once = [
        point(now - 10.0, 1.0),
        point(now - 70.0, 0.0),
        point(now - 130.0, 0.0),
    ];
    let refs: Vec<&Datapoint> = once.iter().collect();
    assert_eq!(
        evaluate(&two_of_three, &refs, now).unwrap().state,
        State::Ok
    );
    let twice = [
        point(now - 10.0, 1.0),
        point(now - 70.0, 0.0),
        point(now - 130.0, 2.0),
    ];
    let refs: Vec<&Datapoint> = twice.iter().collect();
    assert_eq!(
        evaluate(&two_of_three, &refs, now).unwrap().state,
        State::Alarm
    );
}

#[test]
fn every_statistic_and_comparison() {
    let now = 1_020.0;
    let data = [point(990.0, 1.0), point(991.0, 3.0)];
    let refs: Vec<&Datapoint> = data.iter().collect();
    for (statistic, comparison, threshold, state) in [
        ("Maximum", "GreaterThanThreshold", 2.5, State::Alarm),
        ("Minimum", "LessThanThreshold", 1.0, State::Ok),
        ("Minimum", "LessThanOrEqualToThreshold", 1.0, State::Alarm),
        (
            "SampleCount",
            "GreaterThanOrEqualToThreshold",
            2.0,
            State::Alarm,
        ),
        ("Average", "GreaterThanThreshold", 2.0, State::Ok),
    ] {
        let mut a = alarm(statistic, 60);
        a.comparison = Some(comparison.into());
        a.threshold = Some(threshold);
        assert_eq!(
            evaluate(&a, &refs, now).unwrap().state,
            state,
            "{statistic} {comparison}"
        );
    }
    let mut percentile = alarm("Sum", 60);
    percentile.statistic = None;
    percentile.extended_statistic = Some("p99".into());
    assert_eq!(evaluate(&percentile, &refs, now), None);
}

#[test]
fn only_the_alarms_metric_counts() {
    let mut other = point(990.0, 5.0);
    other.metric = "Other".into();
    let mut elsewhere = point(990.0, 5.0);
    elsewhere.account = "2".into();
    let data = [other, elsewhere, point(991.0, 1.0)];
    let mine = points_of(&alarm("Sum", 60), "1", "us-east-1", &data);
    assert_eq!(mine.len(), 1);
}

#[test]
fn the_email_names_the_statistic() {
    let change = Change {
        old: "OK".into(),
        old_reason: String::new(),
        new: State::Alarm,
        reason: "Threshold Crossed".into(),
        reason_data: None,
    };
    let message = notification(&alarm("Sum", 60), "1", "us-east-1", &change, 0.0);
    assert_eq!(message.subject, "ALARM: \"Secret accessed\" in us-east-1");
    assert!(
        message
            .email
            .as_deref()
            .unwrap()
            .contains("- Statistic:                  Sum")
    );
    let json: Value = serde_json::from_str(&message.default).unwrap();
    assert_eq!(json["Trigger"]["Statistic"], "SUM");
}
