//! Snapshot tests: a command's whole output compared with a file under
//! `tests/testsuite/snapshots/`, so any change to what people read shows in review.
//!
//! A missing snapshot is written and the test fails, asking for a review; set
//! `UPDATE_SNAPSHOTS=1` to rewrite the snapshots after an intended change, then read
//! the diff before committing. What differs from run to run (account ids, times,
//! durations) is replaced by a `[NAME]` marker first.

use std::path::PathBuf;

/// Asserts that `text` (with `redactions` applied) is the snapshot `name`.
#[track_caller]
pub(crate) fn assert_snapshot(name: &str, text: &str, redactions: &[(&str, &str)]) {
    let mut text = text.to_string();
    for (value, marker) in redactions {
        text = text.replace(value, marker);
    }
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/testsuite/snapshots")
        .join(format!("{name}.snap"));
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    match std::fs::read_to_string(&path) {
        Ok(expected) if expected == text => {}
        Ok(_) if update => std::fs::write(&path, &text).unwrap(),
        Ok(expected) => panic!(
            "{} differs from its snapshot; if the change is intended, run with UPDATE_SNAPSHOTS=1 \
             and review the diff\n--- snapshot\n{expected}\n+++ now\n{text}",
            path.display()
        ),
        Err(_) => {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
            assert!(
                update,
                "wrote the new snapshot {}: review it, commit it, and run again",
                path.display()
            );
        }
    }
}

/// Replaces every value of the JSON or XML field `key` (`"key": value` or
/// `key="value"`) with `[key]`: times and durations that change from run to run.
pub(crate) fn redact_field(text: &str, key: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    let patterns = [format!("\"{key}\": "), format!("{key}=\"")];
    loop {
        let found = patterns
            .iter()
            .filter_map(|p| rest.find(p.as_str()).map(|at| (at, p)))
            .min_by_key(|(at, _)| *at);
        let Some((at, pattern)) = found else {
            out.push_str(rest);
            return out;
        };
        let start = at + pattern.len();
        out.push_str(&rest[..start]);
        let value = &rest[start..];
        let end = if pattern.ends_with('"') {
            value.find('"').unwrap_or(value.len())
        } else if let Some(quoted) = value.strip_prefix('"') {
            quoted.find('"').map_or(value.len(), |e| e + 2)
        } else {
            value.find([',', '\n', '}']).unwrap_or(value.len())
        };
        out.push_str(&format!("[{key}]"));
        rest = &value[end..];
    }
}
