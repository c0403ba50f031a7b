//! CloudWatch Logs as plain data: log groups, log streams and metric filters.

/// A log group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogGroup {
    /// Its name.
    pub name: String,
    /// Its ARN.
    pub arn: Option<String>,
}

/// A log stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogStream {
    /// Its name.
    pub name: String,
    /// When its last event was written (ms since the epoch).
    pub last_event_timestamp: Option<i64>,
    /// When it last received data (ms since the epoch).
    pub last_ingestion_time: Option<i64>,
}

/// A metric filter.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricFilter {
    /// Its name.
    pub name: String,
    /// The log group it sits on.
    pub log_group: String,
    /// When it was created (ms since the epoch), where the service says: it counts
    /// only what arrives after.
    pub created: Option<i64>,
    /// Its pattern, as written.
    pub pattern: String,
    /// What it emits.
    pub transformations: Vec<MetricTransformation>,
    /// Its field selection criteria, if any: only events that meet them are filtered.
    pub selection: Option<String>,
    /// Whether it runs on the log group's transformed events rather than on what
    /// CloudTrail delivered.
    pub on_transformed_logs: bool,
}

/// What a metric filter emits for each matching event.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricTransformation {
    /// The namespace.
    pub namespace: String,
    /// The metric name.
    pub metric: String,
    /// The value emitted per match, as written (`1`, or a selector like `$.bytes`).
    pub value: String,
    /// The value emitted for every event that does not match, if set.
    pub default_value: Option<f64>,
    /// Dimensions, if any: each name with where its value comes from (`$.field`,
    /// or a system field such as `@aws.account`).
    pub dimensions: Vec<(String, String)>,
    /// The unit of the values emitted; `None` when not set, which CloudWatch stores
    /// as the unit `None`.
    pub unit: Option<String>,
}

impl MetricTransformation {
    /// The unit its data is stored with: the one set, else `None` (CloudWatch Logs
    /// API reference, MetricTransformation: "If you omit this, the unit is set as None").
    pub fn stored_unit(&self) -> &str {
        self.unit.as_deref().unwrap_or("None")
    }
}
