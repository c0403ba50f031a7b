//! What the sandbox remembers beyond moto: the callers it has seen, the CloudTrail
//! events it recorded, the metric data its filters emitted, the alarms' history and
//! the email subscriptions still waiting for confirmation. Plain data behind one
//! lock, which is never held across an `.await`.

use std::collections::{BTreeMap, HashMap};

/// A caller, known by access key: who moto says it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The access key id the caller signs with.
    pub access_key: String,
    /// Its 12-digit account.
    pub account: String,
    /// Its ARN, e.g. `arn:aws:iam::123456789012:user/moto`.
    pub arn: String,
    /// The AWS service that makes its calls for it (`userIdentity.invokedBy`), if
    /// one does.
    pub invoked_by: Option<String>,
}

/// One CloudTrail management event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// `eventID`.
    pub id: String,
    /// The account it happened in.
    pub account: String,
    /// The region it happened in.
    pub region: String,
    /// When, in seconds since the epoch.
    pub time: f64,
    /// `eventName`.
    pub name: String,
    /// `eventSource`.
    pub source: String,
    /// `readOnly`.
    pub read_only: bool,
    /// The caller's access key.
    pub access_key: String,
    /// The user name Event history shows.
    pub user_name: String,
    /// The whole CloudTrail record, as JSON text: written once when the call is
    /// recorded, then shown and delivered as it is.
    pub record: String,
    /// Every text among the record's request parameters (what a `ResourceName`
    /// lookup matches), each once.
    pub mentions: Vec<String>,
}

/// One value a metric received.
#[derive(Debug, Clone, PartialEq)]
pub struct Datapoint {
    /// The account.
    pub account: String,
    /// The region.
    pub region: String,
    /// The namespace.
    pub namespace: String,
    /// The metric name.
    pub metric: String,
    /// Dimensions, sorted by name.
    pub dimensions: Vec<(String, String)>,
    /// The unit it was stored with (`None` when the sender named none, as
    /// CloudWatch stores it).
    pub unit: String,
    /// When, in seconds since the epoch.
    pub time: f64,
    /// The value.
    pub value: f64,
}

/// One entry of an alarm's history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryItem {
    /// The account.
    pub account: String,
    /// The region.
    pub region: String,
    /// The alarm's name.
    pub alarm: String,
    /// When, in seconds since the epoch.
    pub time: f64,
    /// `ConfigurationUpdate`, `StateUpdate` or `Action`.
    pub kind: &'static str,
    /// The one-line summary.
    pub summary: String,
    /// The detail, as JSON text.
    pub data: String,
}

/// An email subscription waiting for its owner to confirm it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// The subscription ARN moto gave it.
    pub subscription_arn: String,
    /// The topic.
    pub topic_arn: String,
    /// The email address.
    pub endpoint: String,
    /// The token the confirmation link carries.
    pub token: String,
}

/// How a trail's deliveries went, as `GetTrailStatus` reports them (moto keeps
/// none of it).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Deliveries {
    /// When a log file last reached the bucket.
    pub s3: Option<f64>,
    /// When events last reached CloudWatch Logs.
    pub logs: Option<f64>,
    /// Why the last delivery to CloudWatch Logs failed, in AWS's words; cleared
    /// by the next one that succeeds.
    pub logs_error: Option<String>,
}

/// Everything the sandbox remembers.
#[derive(Debug, Default)]
pub struct World {
    /// Callers, by access key.
    pub principals: HashMap<String, Principal>,
    /// Every account and region a call was made in, with an access key that acts there.
    pub places: BTreeMap<(String, String), String>,
    /// Recorded events, oldest first.
    pub events: Vec<Event>,
    /// How many of `events` have been through delivery.
    pub delivered: usize,
    /// How many events were forgotten from the front of `events` ([`World::prune`]):
    /// an event's position in Event history is `pruned` plus its index.
    pub pruned: usize,
    /// Metric data, oldest first.
    pub datapoints: Vec<Datapoint>,
    /// Alarm history, oldest first.
    pub history: Vec<HistoryItem>,
    /// Subscriptions awaiting confirmation.
    pub pending: Vec<Pending>,
    /// Subscriptions confirmed through the sandbox: ARN by confirmation token.
    pub confirmed: HashMap<String, String>,
    /// Log files delivered so far.
    pub log_files: u64,
    /// How each trail's deliveries went, by trail ARN.
    pub deliveries: HashMap<String, Deliveries>,
    /// Alarm evaluations completed so far.
    pub evaluations: u64,
    /// When each metric filter was put (ms since the epoch), by account, region, log
    /// group and filter name: moto does not say, AWS does (`creationTime`).
    pub filters_created: HashMap<(String, String, String, String), i64>,
    /// When events last reached each log stream, on the sandbox's clock (ms since
    /// the epoch), by account, region, log group and stream: moto stamps
    /// `lastIngestionTime` with this machine's clock, which `lab sandbox advance`
    /// leaves behind.
    pub ingested: HashMap<(String, String, String, String), i64>,
    /// A counter for ids.
    pub serial: u64,
}

impl World {
    /// A fresh id, unique in this sandbox, shaped like AWS's (8-4-4-4-12 hex).
    pub fn next_id(&mut self, time: f64) -> String {
        self.serial += 1;
        let t = (time * 1000.0) as u64;
        let s = self.serial;
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            (t >> 16) as u32,
            (t & 0xffff) as u16,
            (s >> 12) & 0xfff,
            s & 0xfff,
            t.wrapping_mul(0x9e37_79b9).wrapping_add(s) & 0xffff_ffff_ffff
        )
    }

    /// Forgets what no one can ask for any more, so that a sandbox left running for
    /// days stays small: delivered events beyond the newest [`KEEP_EVENTS`], and
    /// datapoints older than [`KEEP_DATAPOINTS`] seconds (longer than any alarm looks
    /// back; moto keeps its own copy for `GetMetricStatistics`).
    pub fn prune(&mut self, now: f64) {
        let surplus = self
            .events
            .len()
            .saturating_sub(KEEP_EVENTS)
            .min(self.delivered);
        if surplus > 0 {
            self.events.drain(..surplus);
            self.delivered -= surplus;
            self.pruned += surplus;
        }
        self.datapoints.retain(|p| p.time >= now - KEEP_DATAPOINTS);
    }

    /// The principal that acts in `account`, if one has been seen.
    pub fn access_key_for(&self, account: &str) -> Option<String> {
        self.principals
            .values()
            .find(|p| p.account == account)
            .map(|p| p.access_key.clone())
    }
}

/// How many events Event history keeps (AWS keeps 90 days of them).
pub const KEEP_EVENTS: usize = 100_000;

/// How long datapoints are kept for alarms, in seconds: seven days, the longest an
/// alarm can look back.
pub const KEEP_DATAPOINTS: f64 = 7.0 * 24.0 * 3600.0;

/// A time as AWS writes it in JSON records: `2026-11-28T10:00:00Z`.
pub fn iso(time: f64) -> String {
    use aws_smithy_types::date_time::{DateTime, Format};
    DateTime::from_secs(time as i64)
        .fmt(Format::DateTime)
        .unwrap_or_default()
}

/// A time as CloudWatch writes it in an alarm's reason data and notifications:
/// `2026-11-28T10:00:00.000+0000` (as in the alarm state-change events of the
/// CloudWatch User Guide, "Alarm events and EventBridge").
pub fn cloudwatch_time(time: f64) -> String {
    let millis = (time * 1000.0).round() as i64;
    let seconds = iso(millis.div_euclid(1000) as f64);
    format!(
        "{}.{:03}+0000",
        seconds.trim_end_matches('Z'),
        millis.rem_euclid(1000)
    )
}

/// A datapoint's time as CloudWatch writes it in a state reason:
/// `28/11/26 10:00:00` ("Threshold Crossed: 1 out of the last 1 datapoints
/// [1.0 (28/11/26 10:00:00)] ...").
pub fn reason_time(time: f64) -> String {
    // From `2026-11-28T10:00:00Z`.
    let iso = iso(time);
    let (date, clock) = iso
        .trim_end_matches('Z')
        .split_once('T')
        .unwrap_or_default();
    let mut parts = date.split('-');
    let (year, month, day) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    format!(
        "{day}/{month}/{} {clock}",
        &year[year.len().saturating_sub(2)..]
    )
}

/// A number as CloudWatch writes it in a state reason: a whole number with one
/// decimal (`1.0`), any other as it is (`0.05`).
pub fn reason_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e7 {
        format!("{value:.1}")
    } else {
        format!("{value}")
    }
}

/// A time with milliseconds: `2026-11-28T10:00:00.123Z`.
pub fn iso_millis(time: f64) -> String {
    use aws_smithy_types::date_time::{DateTime, Format};
    DateTime::from_millis((time * 1000.0) as i64)
        .fmt(Format::DateTime)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_numbers_are_written_as_cloudwatch_writes_them() {
        // CloudWatch's reason writes a datapoint's minute day first, as in
        // "[7.272883842388789 (26/04/22 03:06:00)]" for 2022-04-26T03:06:00Z; its
        // JSON times carry milliseconds and "+0000".
        let time = 1_650_942_360.0;
        assert_eq!(reason_time(time), "26/04/22 03:06:00");
        assert_eq!(
            cloudwatch_time(time + 0.218),
            "2022-04-26T03:06:00.218+0000"
        );
        assert_eq!(reason_number(7.272883842388789), "7.272883842388789");
        assert_eq!(reason_number(1234.0), "1234.0");
        assert_eq!(reason_number(0.05), "0.05");
    }

    fn event(time: f64) -> Event {
        Event {
            id: String::new(),
            account: "1".into(),
            region: "us-east-1".into(),
            time,
            name: "ListSecrets".into(),
            source: "secretsmanager.amazonaws.com".into(),
            read_only: true,
            access_key: "AKID".into(),
            user_name: "me".into(),
            record: String::new(),
            mentions: Vec::new(),
        }
    }

    #[test]
    fn pruning_keeps_what_is_not_delivered_and_recent_data() {
        let mut world = World {
            events: (0..KEEP_EVENTS + 10).map(|i| event(i as f64)).collect(),
            delivered: 4,
            ..World::default()
        };
        world.datapoints.push(Datapoint {
            account: "1".into(),
            region: "us-east-1".into(),
            namespace: "N".into(),
            metric: "M".into(),
            dimensions: vec![],
            unit: "None".into(),
            time: 0.0,
            value: 1.0,
        });
        world.prune(KEEP_DATAPOINTS + 1.0);
        assert_eq!(
            world.events.len(),
            KEEP_EVENTS + 6,
            "only delivered events go"
        );
        assert_eq!((world.delivered, world.events[0].time), (0, 4.0));
        assert_eq!(world.pruned, 4, "positions in Event history stay valid");
        assert!(world.datapoints.is_empty());
        let ids: std::collections::BTreeSet<String> =
            (0..1000).map(|_| world.next_id(5.0)).collect();
        assert_eq!(ids.len(), 1000, "ids are unique");
    }
}
