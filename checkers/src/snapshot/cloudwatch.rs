//! CloudWatch as plain data: alarms, their history, and the metric as stored.

/// A metric alarm.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Alarm {
    /// Its name.
    pub name: String,
    /// Its ARN.
    pub arn: String,
    /// Its description.
    pub description: Option<String>,
    /// The metric's namespace (`None` for metric-math alarms).
    pub namespace: Option<String>,
    /// The metric's name (`None` for metric-math alarms).
    pub metric: Option<String>,
    /// Dimensions, as name and value.
    pub dimensions: Vec<(String, String)>,
    /// The unit of the data it looks at, when it names one: data in any other unit
    /// is invisible to it.
    pub unit: Option<String>,
    /// The statistic (`Sum`, `Average`, ...).
    pub statistic: Option<String>,
    /// A percentile statistic (`p99`, ...), instead of `statistic`.
    pub extended_statistic: Option<String>,
    /// The period, in seconds.
    pub period: Option<i32>,
    /// How many periods are evaluated.
    pub evaluation_periods: Option<i32>,
    /// How many of them must breach (defaults to `evaluation_periods`).
    pub datapoints_to_alarm: Option<i32>,
    /// The threshold.
    pub threshold: Option<f64>,
    /// The comparison operator, e.g. `GreaterThanOrEqualToThreshold`.
    pub comparison: Option<String>,
    /// Whether actions run.
    pub actions_enabled: bool,
    /// What is notified on entering ALARM.
    pub alarm_actions: Vec<String>,
    /// What is notified on entering OK.
    pub ok_actions: Vec<String>,
    /// What is notified on entering INSUFFICIENT_DATA.
    pub insufficient_data_actions: Vec<String>,
    /// How missing data is treated: `missing` (the default), `notBreaching`,
    /// `breaching` or `ignore`.
    pub treat_missing_data: Option<String>,
    /// The state now: `OK`, `ALARM` or `INSUFFICIENT_DATA`.
    pub state: Option<String>,
    /// Why it is in that state.
    pub state_reason: Option<String>,
    /// The data behind the state, as JSON; absent when set by hand.
    pub state_reason_data: Option<String>,
}

/// One state change of an alarm, from its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlarmHistoryItem {
    /// When.
    pub timestamp: String,
    /// The summary line.
    pub summary: String,
    /// The detail, as JSON (`oldState`, `newState`, ...).
    pub data: String,
}

/// One period of a metric as CloudWatch stores it (GetMetricStatistics).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MetricPoint {
    /// When the period starts (seconds since the epoch).
    pub start: i64,
    /// The statistic asked for, over the period.
    pub value: f64,
}
