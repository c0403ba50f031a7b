//! The fields of Gradescope's autograder `results.json`, as its documentation gives
//! them, checked on lab's output: no unknown key, the types it expects, an explicit
//! status on every test, and a score for every test when the file has none.

use serde_json::Value;

const TOP: &[&str] = &[
    "score",
    "execution_time",
    "output",
    "output_format",
    "test_output_format",
    "test_name_format",
    "visibility",
    "stdout_visibility",
    "extra_data",
    "tests",
    "leaderboard",
];
const TEST: &[&str] = &[
    "score",
    "max_score",
    "status",
    "name",
    "name_format",
    "number",
    "output",
    "output_format",
    "tags",
    "visibility",
    "extra_data",
];
const FORMATS: &[&str] = &["text", "html", "simple_format", "md", "ansi"];
const VISIBILITY: &[&str] = &["hidden", "after_due_date", "after_published", "visible"];

/// Panics, naming the field, unless `results` is a valid `results.json`.
pub(crate) fn assert_valid(results: &Value) {
    let top = results.as_object().expect("an object");
    for key in top.keys() {
        assert!(
            TOP.contains(&key.as_str()),
            "unknown key `{key}` in {results}"
        );
    }
    if let Some(score) = top.get("score") {
        assert!(score.is_number(), "score: {score}");
    }
    for key in ["output_format", "test_output_format"] {
        if let Some(f) = top.get(key) {
            assert!(FORMATS.contains(&f.as_str().unwrap()), "{key}: {f}");
        }
    }
    if let Some(v) = top.get("visibility") {
        assert!(VISIBILITY.contains(&v.as_str().unwrap()), "visibility: {v}");
    }
    let tests = top.get("tests").and_then(Value::as_array).expect("tests");
    assert!(
        top.get("score").is_some() || !tests.is_empty(),
        "a score comes from the file or its tests: {results}"
    );
    for test in tests {
        for key in test.as_object().unwrap().keys() {
            assert!(
                TEST.contains(&key.as_str()),
                "unknown test key `{key}` in {test}"
            );
        }
        let status = test["status"].as_str().expect("every test has a status");
        assert!(matches!(status, "passed" | "failed"), "status {status}");
        if top.get("score").is_none() {
            assert!(
                test["score"].is_number(),
                "without a total, every test needs a score: {test}"
            );
        }
        if let (Some(score), Some(max)) = (test["score"].as_f64(), test["max_score"].as_f64()) {
            assert!(score <= max, "{test}");
        }
    }
}
