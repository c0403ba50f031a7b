use std::time::Duration;

use super::checker::{Checker, kebab_case};
use super::lab_file::check_watch;
use super::stage::parse_duration;
use super::*;

#[test]
fn durations() {
    assert_eq!(parse_duration("30s"), Some(Duration::from_secs(30)));
    assert_eq!(parse_duration("5m"), Some(Duration::from_secs(300)));
    assert_eq!(parse_duration("1m30s"), Some(Duration::from_secs(90)));
    assert_eq!(parse_duration("1h"), Some(Duration::from_secs(3600)));
    for bad in [
        "",
        "5",
        "m",
        "5 minutes",
        "0s",
        "-5m",
        "99999999999999999999s",
    ] {
        assert_eq!(parse_duration(bad), None, "{bad}");
    }
}

#[test]
fn the_embedded_watch_counts_records_the_corpus_holds() {
    let lab = load(&LessonSource::default()).expect("the embedded lessons load");
    let file = read(&LessonSource::default(), LAB_FILE).expect("lab.yaml");
    let mut problems = Vec::new();
    let mut checker = Checker {
        file: &file,
        problems: &mut problems,
    };
    check_watch(&mut checker, &lab.watch);
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn kebab_suggestions() {
    assert_eq!(kebab_case("Create_The Secret"), "create-the-secret");
}
