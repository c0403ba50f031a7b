//! The log files a trail writes to its bucket: their key, as CloudTrail names them,
//! and their gzip content.

use std::io::Write;

use crate::world::{Event, iso};

/// The key of a log file, as CloudTrail names them:
/// `[prefix/]AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_ID.json.gz`.
pub fn log_file_key(
    prefix: Option<&str>,
    account: &str,
    region: &str,
    time: f64,
    id: &str,
) -> String {
    let stamp = iso(time); // 2026-11-28T10:05:00Z
    let (date, clock) = stamp.split_once('T').unwrap_or((&stamp, "00:00:00Z"));
    let day = date.replace('-', "/");
    let compact = format!(
        "{}T{}Z",
        date.replace('-', ""),
        clock.replace(':', "").get(..4).unwrap_or("0000")
    );
    let short: String = id
        .chars()
        .filter(|c| c.is_ascii_hexdigit())
        .take(16)
        .collect();
    let prefix = prefix
        .filter(|p| !p.is_empty())
        .map(|p| format!("{}/", p.trim_end_matches('/')))
        .unwrap_or_default();
    format!(
        "{prefix}AWSLogs/{account}/CloudTrail/{region}/{day}/{account}_CloudTrail_{region}_{compact}_{short}.json.gz"
    )
}

/// A log file's content: `{"Records": [...]}`, gzip-compressed.
pub fn log_file(events: &[&Event]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = gz.write_all(b"{\"Records\":[");
    for (i, event) in events.iter().enumerate() {
        if i > 0 {
            let _ = gz.write_all(b",");
        }
        let _ = gz.write_all(event.record.as_bytes());
    }
    let _ = gz.write_all(b"]}");
    gz.finish().unwrap_or_default()
}
