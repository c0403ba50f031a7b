//! The command-line surface: every command is listed, bad input gets a message that
//! says what to do, and the committed schema and embedded lesson list are current.

use std::path::Path;

use crate::support::{lab, run};

#[test]
fn help_lists_every_command() {
    let home = tempfile::tempdir().unwrap();
    let ran = run(lab(home.path()).arg("--help"));
    assert_eq!(ran.code, 0);
    for command in [
        "run", "check", "status", "cleanup", "book", "whoami", "lessons",
    ] {
        assert!(
            ran.stdout
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("{command} "))),
            "`{command}` missing from:\n{}",
            ran.stdout
        );
    }
    for option in [
        "--profile",
        "--region",
        "--endpoint-url",
        "--lessons",
        "--set",
        "--verbose",
    ] {
        assert!(ran.stdout.contains(option), "{option} missing");
    }
}

#[test]
fn a_malformed_set_is_a_usage_error() {
    let home = tempfile::tempdir().unwrap();
    let ran = run(lab(home.path()).args(["whoami", "--set", "email"]));
    assert_eq!(ran.code, 2);
    assert!(ran.stderr.contains("is not `name=value`"), "{}", ran.stderr);
}

#[test]
fn the_committed_schema_is_current() {
    let home = tempfile::tempdir().unwrap();
    let ran = run(lab(home.path()).args(["lessons", "schema"]));
    assert_eq!(ran.code, 0);
    let committed =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons/schema.json"))
            .unwrap();
    if let Some((n, (now, then))) = ran
        .stdout
        .lines()
        .zip(committed.lines())
        .enumerate()
        .find(|(_, (a, b))| a != b)
    {
        panic!(
            "lessons/schema.json is stale at line {}: generated {now:?}, committed {then:?}; \
             run `cargo run -- lessons schema > lessons/schema.json`",
            n + 1
        );
    }
    assert_eq!(
        ran.stdout.lines().count(),
        committed.lines().count(),
        "lessons/schema.json is stale: run `cargo run -- lessons schema > lessons/schema.json` (stderr: {})",
        ran.stderr
    );
    let schema: serde_json::Value = serde_json::from_str(&committed).unwrap();
    let step = &schema["$defs"]["StepDef"];
    assert_eq!(
        step["additionalProperties"], false,
        "unknown fields are rejected"
    );
    assert!(
        step["properties"]["hints"]["description"]
            .as_str()
            .unwrap()
            .contains("nudge")
    );
}

#[test]
fn the_built_in_labs_are_exactly_the_lesson_folders() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
    let listed = |dir: &Path, folders: bool| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| e.path().is_dir() == folders)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| folders || n.ends_with(".yaml"))
            .collect();
        names.sort();
        names
    };
    let mut built_in: Vec<String> = lab::lesson::source::BUILT_IN
        .iter()
        .map(|lab| lab.id.to_string())
        .collect();
    built_in.sort();
    assert_eq!(
        built_in,
        listed(&root, true),
        "add each lab folder under lessons/ to BUILT_IN in src/lesson/source.rs"
    );
    for lab in lab::lesson::source::BUILT_IN {
        let dir = root.join(lab.id);
        let mut embedded: Vec<String> = lab.files.iter().map(|(n, _)| n.to_string()).collect();
        embedded.sort();
        assert_eq!(
            embedded,
            listed(&dir, false),
            "add new lesson files of {} to BUILT_IN in src/lesson/source.rs",
            lab.id
        );
        for (name, text) in lab.files {
            assert_eq!(
                *text,
                std::fs::read_to_string(dir.join(name)).unwrap(),
                "{}/{name}",
                lab.id
            );
        }
    }
}

#[test]
fn gradebook_formats_need_a_roster_and_roster_options_need_a_roster() {
    let home = tempfile::tempdir().unwrap();
    let ran = run(lab(home.path()).args(["check", "--format", "csv"]));
    assert_eq!(ran.code, 2);
    assert!(ran.stderr.contains("gradebook format"), "{}", ran.stderr);
    assert!(ran.stderr.contains("--roster"), "{}", ran.stderr);
    let ran = run(lab(home.path()).args(["check", "--concurrency", "4"]));
    assert_eq!(ran.code, 2, "clap refuses --concurrency without --roster");
    assert!(ran.stderr.contains("--roster"), "{}", ran.stderr);
    let missing = home.path().join("nope.csv");
    let ran = run(lab(home.path()).args(["check", "--roster"]).arg(&missing));
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr.contains("cannot read the roster"),
        "{}",
        ran.stderr
    );
}

#[test]
fn output_read_only_in_part_ends_quietly() {
    // `lab lessons schema | head -1`: the reader goes away before lab has written
    // everything. lab ends as a shell's own tools do (141, 128 + SIGPIPE), without
    // a panic's message.
    let home = tempfile::tempdir().unwrap();
    let mut child = lab(home.path())
        .args(["lessons", "schema"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    // The whole schema may fit the pipe before it closes: then lab ends as usual.
    assert!(
        matches!(out.status.code(), Some(141) | Some(0)),
        "{:?} {stderr}",
        out.status
    );
}
