//! Every built-in lab, whole: in a sandbox of its own, `lab run --sandbox --auto`
//! through its last building stage, then `lab check --sandbox` with every check
//! passing (its alarm fired by its own counted event), then `lab cleanup` leaving
//! nothing.

use serde_json::Value;

use crate::sandbox::StartedSandbox;
use crate::support::run;

#[test]
fn every_built_in_lab_runs_checks_and_cleans_up_in_the_sandbox() {
    for built_in in lab::lesson::source::BUILT_IN {
        let id = built_in.id;
        let lab = lab::lesson::load(&lab::lesson::LessonSource::BuiltIn(built_in)).unwrap();
        let last_building = lab.stages[lab.stages.len() - 2].number.to_string();
        let sandbox = StartedSandbox::start();
        let ran = run(sandbox.lab().args([
            "--lab",
            id,
            "run",
            "--sandbox",
            "--auto",
            "--through",
            &last_building,
            "--set",
            "email=learner@example.com",
        ]));
        assert_eq!(ran.code, 0, "{id}: {}{}", ran.stdout, ran.stderr);

        let ran = run(sandbox
            .lab()
            .args(["--lab", id, "check", "--sandbox", "--format", "json"]));
        let report: Value = serde_json::from_str(&ran.stdout)
            .unwrap_or_else(|e| panic!("{id}: {e}: {}{}", ran.stdout, ran.stderr));
        let findings = report["checks"].as_array().unwrap();
        let not_passed: Vec<String> = findings
            .iter()
            .filter(|f| f["status"] != "pass")
            .map(|f| format!("{}: {}", f["id"], f["message"]))
            .collect();
        assert!(not_passed.is_empty(), "{id}: {not_passed:#?}");
        assert!(
            findings.iter().any(|f| f["id"] == "alarm.fired"),
            "{id} never checks that its alarm fired"
        );
        assert_eq!(ran.code, 0, "{id}: {}", ran.stderr);

        let ran = run(sandbox
            .lab()
            .args(["--lab", id, "cleanup", "--sandbox", "--yes"]));
        assert_eq!(ran.code, 0, "{id}: {}{}", ran.stdout, ran.stderr);
        assert!(
            ran.stdout.contains("None of the lab's resources remain"),
            "{id}: {}",
            ran.stdout
        );
    }
}

/// Each built-in lab's handbook: a chapter per stage, every placeholder filled, no
/// command for another lab, and no Secrets Manager permission for a lab without a
/// secret.
#[test]
fn every_built_in_lab_has_a_handbook_of_its_own() {
    for built_in in lab::lesson::source::BUILT_IN {
        let id = built_in.id;
        let lab = lab::lesson::load(&lab::lesson::LessonSource::BuiltIn(built_in)).unwrap();
        let files = lab::book::generate(&lab);
        for stage in &lab.stages {
            let chapter = format!("src/{}", lab::book::chapter_file(stage));
            assert!(
                files
                    .iter()
                    .any(|f| f.path.to_str() == Some(chapter.as_str())),
                "{id}: no {chapter}"
            );
        }
        let has_secret = lab.variables.iter().any(|v| v.name == "secret_name");
        for file in &files {
            let shown = file.path.display();
            assert!(
                !file.text.contains("{{"),
                "{id}: {shown} keeps a placeholder"
            );
            if !has_secret {
                assert!(
                    !file.text.contains("secretsmanager:"),
                    "{id}: {shown} names Secrets Manager"
                );
            }
        }
    }
}
