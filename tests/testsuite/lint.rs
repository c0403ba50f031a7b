//! `lab lessons lint`: the shipped lessons pass; each way a lesson can be wrong fails
//! with exit code 1 and points at the exact `file:line:column`.

use crate::support::lessons::LessonDir;
use crate::support::{Ran, lab, run};

fn lint(dir: &LessonDir) -> Ran {
    run(lab(dir.path()).args(["lessons", "lint"]).arg(dir.path()))
}

/// Asserts a lint failure that names `location` with `message` in one diagnostic.
fn assert_fails_at(ran: &Ran, location: &str, message: &str) {
    assert_eq!(
        ran.code, 1,
        "stdout:\n{}\nstderr:\n{}",
        ran.stdout, ran.stderr
    );
    let diagnostic = ran
        .stdout
        .split("\n\n")
        .find(|d| d.contains(&format!("--> {location}\n")))
        .unwrap_or_else(|| panic!("no diagnostic at {location} in:\n{}", ran.stdout));
    assert!(
        diagnostic.contains(message),
        "expected {message:?} in:\n{diagnostic}"
    );
}

#[test]
fn shipped_lessons_pass() {
    let home = tempfile::tempdir().unwrap();
    let ran = run(lab(home.path()).args(["lessons", "lint"]));
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    assert!(ran.stdout.contains("7 stages"), "{}", ran.stdout);
    // The folder on disk is the same set, and passes too.
    let dir = LessonDir::shipped();
    assert_eq!(lint(&dir).code, 0);
    // So does every other built-in lab.
    for built_in in lab::lesson::source::BUILT_IN {
        let ran = run(lab(home.path()).args(["--lab", built_in.id, "lessons", "lint"]));
        assert_eq!(ran.code, 0, "{}: {}{}", built_in.id, ran.stdout, ran.stderr);
    }
}

#[test]
fn yaml_syntax_error() {
    let dir = LessonDir::shipped();
    dir.replace(
        "01-secret.yaml",
        "title: Store a secret",
        "title: [Store a secret",
    );
    let ran = lint(&dir);
    assert_eq!(ran.code, 1, "{}", ran.stdout);
    assert!(
        ran.stdout
            .contains(&format!("--> {}", dir.file("01-secret.yaml").display())),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout.contains('^'),
        "a caret points at the spot:\n{}",
        ran.stdout
    );
}

#[test]
fn unknown_field() {
    let dir = LessonDir::shipped();
    dir.replace(
        "02-trail.yaml",
        "    do: trail.create\n",
        "    do: trail.create\n    chek: [trail.exists]\n",
    );
    let at = dir.position_of("02-trail.yaml", "chek:");
    assert_fails_at(&lint(&dir), &at, "unknown field `chek`");
}

#[test]
fn unknown_check_id_with_suggestion() {
    let dir = LessonDir::shipped();
    dir.replace(
        "01-secret.yaml",
        "      - secret.exists",
        "      - secret.exist",
    );
    let at = dir.position_of("01-secret.yaml", "secret.exist\n");
    let ran = lint(&dir);
    assert_fails_at(&ran, &at, "unknown check `secret.exist`");
    assert!(
        ran.stdout.contains("did you mean `secret.exists`?"),
        "{}",
        ran.stdout
    );
}

#[test]
fn unknown_check_id_in_a_map() {
    let dir = LessonDir::shipped();
    dir.replace(
        "06-direct.yaml",
        "      - id: trail.sns_notifications",
        "      - id: trail.sns_notification",
    );
    let at = dir.position_of("06-direct.yaml", "trail.sns_notification\n");
    assert_fails_at(&lint(&dir), &at, "unknown check `trail.sns_notification`");
}

#[test]
fn unknown_action() {
    let dir = LessonDir::shipped();
    dir.replace(
        "03-logs.yaml",
        "do: logs.metric_filter",
        "do: logs.make_metric_filter",
    );
    let at = dir.position_of("03-logs.yaml", "logs.make_metric_filter");
    assert_fails_at(&lint(&dir), &at, "unknown action `logs.make_metric_filter`");
}

#[test]
fn bad_parameter_value() {
    let dir = LessonDir::shipped();
    dir.replace(
        "05-test.yaml",
        "with: { statistic: Sum, period: 60 }",
        "with: { statistic: Median, period: 60 }",
    );
    let at = dir.position_of("05-test.yaml", "Median");
    assert_fails_at(
        &lint(&dir),
        &at,
        "parameter `statistic` must be one of Sum, Average",
    );
}

#[test]
fn a_misspelt_parameter_or_word_gets_a_suggestion() {
    let dir = LessonDir::shipped();
    dir.replace(
        "05-test.yaml",
        "with: { statistic: Sum, period: 60 }",
        "with: { statistic: sum, periode: 60 }",
    );
    let ran = lint(&dir);
    assert_fails_at(
        &ran,
        &dir.position_of("05-test.yaml", "sum,"),
        "did you mean `Sum`?",
    );
    assert!(
        ran.stdout.contains("unknown parameter `periode`")
            && ran.stdout.contains("did you mean `period`?"),
        "{}",
        ran.stdout
    );
}

#[test]
fn missing_required_parameter() {
    let dir = LessonDir::shipped();
    dir.replace(
        "06-direct.yaml",
        "    do:\n      id: trail.sns_notifications\n      with: { enabled: true }\n",
        "    do: trail.sns_notifications\n",
    );
    let at = dir.position_of("06-direct.yaml", "trail.sns_notifications\n");
    assert_fails_at(&lint(&dir), &at, "missing required parameter `enabled`");
}

#[test]
fn duplicate_step_id_across_files() {
    let dir = LessonDir::shipped();
    dir.replace(
        "03-logs.yaml",
        "  - id: see-events",
        "  - id: create-secret",
    );
    let at = dir.position_of("03-logs.yaml", "create-secret");
    assert_fails_at(&lint(&dir), &at, "duplicate step id `create-secret`");
}

#[test]
fn newer_format_version() {
    let dir = LessonDir::shipped();
    dir.replace(
        "04-alarm.yaml",
        "format_version: 1\n",
        "format_version: 2\nnew_field_from_the_future: true\n",
    );
    let at = dir.position_of("04-alarm.yaml", "2\nnew_field");
    let ran = lint(&dir);
    assert_fails_at(
        &ran,
        &at,
        "unsupported format_version 2: this `lab` reads lesson format 1",
    );
    assert!(ran.stdout.contains("upgrade `lab`"), "{}", ran.stdout);
    assert!(
        !ran.stdout.contains("new_field_from_the_future"),
        "the version is judged first:\n{}",
        ran.stdout
    );
}

#[test]
fn unknown_template_variable() {
    let dir = LessonDir::shipped();
    dir.replace(
        "01-secret.yaml",
        "name: `{{secret_name}}`; description",
        "name: `{{secret_nme}}`; description",
    );
    let ran = lint(&dir);
    assert_eq!(ran.code, 1);
    assert!(
        ran.stdout.contains("unknown variable `{{secret_nme}}`"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout.contains("did you mean `secret_name`?"),
        "{}",
        ran.stdout
    );
}

#[test]
fn a_step_without_checks() {
    let dir = LessonDir::shipped();
    dir.replace(
        "01-secret.yaml",
        "    check:\n      - secret.exists\n",
        "    check: []\n",
    );
    let at = dir.position_of("01-secret.yaml", "[]");
    assert_fails_at(&lint(&dir), &at, "step `create-secret` has no checks");
}

#[test]
fn a_lab_need_not_use_every_check() {
    let dir = LessonDir::shipped();
    dir.replace(
        "07-cleanup.yaml",
        "      - cleanup.done",
        "      - secret.exists",
    );
    let ran = lint(&dir);
    assert_eq!(ran.code, 0, "{}\n{}", ran.stdout, ran.stderr);
}

/// The catalogues serve every lab: each check and each action is taught by some
/// built-in lab, so none is dead code.
#[test]
fn every_check_and_action_is_used_by_a_built_in_lab() {
    let labs: Vec<lab::lesson::Lab> = lab::lesson::source::BUILT_IN
        .iter()
        .map(|built_in| lab::lesson::load(&lab::lesson::LessonSource::BuiltIn(built_in)).unwrap())
        .collect();
    for check in checkers::catalogue::CATALOGUE {
        assert!(
            labs.iter()
                .any(|lab| lab.stage_of_check(check.id).is_some()),
            "no built-in lab uses the check `{}`",
            check.id
        );
    }
    for action in lab::action_catalogue::CATALOGUE {
        assert!(
            labs.iter().any(|lab| lab
                .steps()
                .any(|(_, step)| step.action.as_ref().is_some_and(|a| a.spec.id == action.id))),
            "no built-in lab does the action `{}`",
            action.id
        );
    }
}

#[test]
fn an_action_reading_a_variable_the_lab_lacks() {
    let dir = LessonDir::shipped();
    dir.replace(
        "lab.yaml",
        "  - name: secret_description\n    description: The secret's description\n    default: Secret created for monitoring project\n",
        "",
    );
    // The texts no longer name it; the action still reads it.
    for _ in 0..2 {
        dir.replace("01-secret.yaml", "{{secret_description}}", "a demo secret");
    }
    // Do it for me would stop at this step: said at its `do:`.
    let at = dir.position_of("01-secret.yaml", "secret.create");
    assert_fails_at(
        &lint(&dir),
        &at,
        "action `secret.create` reads the lab variable `secret_description`, which the lab does not define",
    );
}

#[test]
fn a_prerequisite_checked_too_late() {
    let dir = LessonDir::shipped();
    // sns.topic moves from stage 4 to stage 7; alarm.notifies_topic (stage 4) needs it.
    dir.replace(
        "04-alarm.yaml",
        "    check:\n      - sns.topic\n",
        "    check:\n      - alarm.exists\n",
    );
    dir.replace(
        "07-cleanup.yaml",
        "      - cleanup.done",
        "      - cleanup.done\n      - sns.topic",
    );
    // Reported at the check that needs it, in its stage file.
    let at = dir.position_of("04-alarm.yaml", "alarm.notifies_topic");
    assert_fails_at(
        &lint(&dir),
        &at,
        "needs `sns.topic`, which no earlier step checks",
    );
}

#[test]
fn a_stage_file_not_listed_or_missing() {
    let dir = LessonDir::shipped();
    dir.write("08-extra.yaml", "format_version: 1\n");
    let ran = lint(&dir);
    assert_eq!(ran.code, 1);
    assert!(
        ran.stdout
            .contains("`08-extra.yaml` is in the lesson folder but not listed"),
        "{}",
        ran.stdout
    );

    let dir = LessonDir::shipped();
    dir.replace("lab.yaml", "  - 06-direct.yaml", "  - 06-direkt.yaml");
    let at = dir.position_of("lab.yaml", "06-direkt.yaml");
    assert_fails_at(&lint(&dir), &at, "06-direkt.yaml");
}

#[test]
fn every_problem_is_reported_at_once() {
    let dir = LessonDir::shipped();
    dir.replace(
        "01-secret.yaml",
        "      - secret.exists",
        "      - secret.exist",
    );
    dir.replace(
        "03-logs.yaml",
        "do: logs.metric_filter",
        "do: logs.make_metric_filter",
    );
    let ran = lint(&dir);
    assert_eq!(ran.code, 1);
    assert!(
        ran.stdout.contains("secret.exist`") && ran.stdout.contains("logs.make_metric_filter"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout.contains("2 problems in the lessons"),
        "{}",
        ran.stdout
    );
}

#[test]
fn other_commands_refuse_broken_lessons_with_exit_2() {
    let dir = LessonDir::shipped();
    dir.replace(
        "01-secret.yaml",
        "      - secret.exists",
        "      - secret.exist",
    );
    let ran = run(lab(dir.path())
        .arg("--lessons")
        .arg(dir.path())
        .arg("whoami"));
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("unknown check `secret.exist`"),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_missing_lesson_folder_says_so() {
    let home = tempfile::tempdir().unwrap();
    let ran = run(lab(home.path())
        .args(["lessons", "lint"])
        .arg(home.path().join("nope")));
    assert_eq!(ran.code, 1);
    assert!(ran.stdout.contains("cannot read"), "{}", ran.stdout);
    assert!(ran.stdout.contains("lab.yaml"), "{}", ran.stdout);
}

#[test]
fn points_for_an_unknown_check() {
    let dir = LessonDir::shipped();
    dir.replace("lab.yaml", "  alarm.statistic: 2", "  alarm.statistics: 2");
    let at = dir.position_of("lab.yaml", "2\n  alarm.fired");
    assert_fails_at(
        &lint(&dir),
        &at,
        "`points` names an unknown check `alarm.statistics`",
    );
}

#[test]
fn a_watch_that_counts_nothing_lab_can_generate_is_an_error_at_its_shape() {
    let dir = LessonDir::shipped();
    dir.replace(
        "lab.yaml",
        "      events: [GetSecretValue]\n      resource: lab_secret\n      outcome: success",
        "      events: [GetSecretValues]\n      resource: lab_secret\n      outcome: success",
    );
    let at = dir.position_of("lab.yaml", "label: a GetSecretValue on the secret");
    assert_fails_at(
        &lint(&dir),
        &at,
        "no CloudTrail record lab can generate has the shape `a GetSecretValue on the secret`",
    );
}

#[test]
fn the_checkers_tests_judge_by_the_shipped_watches() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (lab, data) in [
        ("secrets-access-monitoring", "watch.json"),
        ("root-account-usage", "root-watch.json"),
        ("trail-configuration-changes", "trail-watch.json"),
    ] {
        let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(
            &std::fs::read_to_string(root.join(format!("lessons/{lab}/lab.yaml"))).unwrap(),
        )
        .unwrap();
        let shipped: checkers::watch::Watch =
            serde_yaml_ng::from_value(yaml["watch"].clone()).unwrap();
        let tested: checkers::watch::Watch = serde_json::from_str(
            &std::fs::read_to_string(root.join("checkers/tests/data").join(data)).unwrap(),
        )
        .unwrap();
        assert_eq!(
            shipped, tested,
            "checkers/tests/data/{data} must say what lessons/{lab}/lab.yaml's watch says"
        );
    }
}

#[test]
fn a_stage_path_that_leaves_the_lesson_folder_is_refused_unread() {
    let dir = LessonDir::shipped();
    dir.replace(
        "lab.yaml",
        "  - 01-secret.yaml",
        "  - ../../../../etc/passwd",
    );
    let ran = lint(&dir);
    let at = dir.position_of("lab.yaml", "../../../../etc/passwd");
    assert_fails_at(&ran, &at, "is not a file in the lesson folder");
    assert!(
        !ran.stdout.contains("root:"),
        "nothing of the file is shown: {}",
        ran.stdout
    );
}

mod fuzz {
    //! Random edits of the shipped lessons: loading never panics, whatever it finds.
    use proptest::prelude::*;

    use crate::support::lessons::LessonDir;

    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "{",
            "}",
            "[",
            "]",
            ":",
            "- ",
            "\n",
            "  ",
            "\t",
            "\"",
            "'",
            "{{",
            "}}",
            "{{nope}}",
            "&a",
            "*a",
            "!tag ",
            "|",
            ">",
            "#",
            "%",
            "é",
            "\u{0}",
            "99999999999999999999",
            "- stages",
            "check:",
            "do:",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn edited_lessons_load_or_are_refused_without_a_panic(
            file in prop::sample::select(vec!["lab.yaml", "01-secret.yaml", "03-logs.yaml"]),
            at in 0.0f64..1.0,
            cut in 0usize..40,
            inserted in prop::collection::vec(piece(), 0..8),
        ) {
            let dir = LessonDir::shipped();
            let path = dir.file(file);
            let text = std::fs::read_to_string(&path).unwrap();
            let mut spot = (text.len() as f64 * at) as usize;
            while !text.is_char_boundary(spot) {
                spot -= 1;
            }
            let mut end = (spot + cut).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let edited = format!("{}{}{}", &text[..spot], inserted.concat(), &text[end..]);
            std::fs::write(&path, edited).unwrap();
            let loaded = std::panic::catch_unwind(|| {
                lab::lesson::load(&lab::lesson::LessonSource::Dir(dir.path().to_path_buf()))
            });
            prop_assert!(loaded.is_ok(), "loading panicked");
        }
    }
}

#[test]
fn a_placeholder_in_a_field_that_is_not_a_template_is_an_error() {
    let dir = LessonDir::shipped();
    dir.replace(
        "01-secret.yaml",
        "title: Store a secret",
        "title: Store {{nope}}",
    );
    let at = dir.position_of("01-secret.yaml", "Store {{nope}}");
    assert_fails_at(&lint(&dir), &at, "`title` is not a template");
}

#[test]
fn the_lessons_own_the_chain_the_appendices_and_the_troubleshooting() {
    let dir = LessonDir::shipped();
    dir.replace(
        "lab.yaml",
        "when_failing: [alarm.fired, alarm.statistic]",
        "when_failing: [alarm.fired, alarm.statisitc]",
    );
    let ran = lint(&dir);
    assert_eq!(ran.code, 1, "{}{}", ran.stdout, ran.stderr);
    assert!(
        ran.stdout
            .contains("`troubleshoot` names an unknown check `alarm.statisitc`"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout.contains("alarm.statistic"),
        "the near miss: {}",
        ran.stdout
    );

    let dir = LessonDir::shipped();
    dir.replace(
        "lab.yaml",
        "after_steps: [trigger]",
        "after_steps: [triger]",
    );
    let at = dir.position_of("lab.yaml", "triger]");
    let ran = lint(&dir);
    assert_fails_at(&ran, &at, "`troubleshoot` names an unknown step `triger`");
    assert!(
        ran.stdout.contains("trigger"),
        "the near miss: {}",
        ran.stdout
    );

    let dir = LessonDir::shipped();
    dir.replace("lab.yaml", "  - id: alert-paths", "  - id: Alert Paths");
    let ran = lint(&dir);
    assert_eq!(ran.code, 1, "{}{}", ran.stdout, ran.stderr);
    assert!(ran.stdout.contains("appendix id"), "{}", ran.stdout);
}

/// The authors' walk (`lessons/README.md`) is true: its files, written in its order,
/// get the lint answers it shows, and end clean.
#[test]
fn the_authoring_walk_gets_the_answers_it_shows() {
    let walk = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons/README.md"),
    )
    .unwrap();
    let yaml: Vec<&str> = walk
        .split("```yaml\n")
        .skip(1)
        .filter_map(|block| block.split_once("```").map(|(text, _)| text))
        .collect();
    let [lab_file, stage, variables, _parameters] = yaml[..] else {
        panic!("the walk has four YAML blocks, found {}", yaml.len());
    };
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("my-lab");
    std::fs::create_dir(&dir).unwrap();
    let lint = || run(lab(home.path()).args(["lessons", "lint"]).arg(&dir));
    let shows = |ran: &Ran, said: &[&str]| {
        for line in said {
            assert!(
                ran.stdout.contains(line) && walk.contains(line),
                "{line:?} in the walk and in:\n{}",
                ran.stdout
            );
        }
    };

    std::fs::write(dir.join("lab.yaml"), lab_file).unwrap();
    shows(&lint(), &["34 |   - 01-secret.yaml"]);
    std::fs::write(dir.join("01-secret.yaml"), stage).unwrap();
    shows(
        &lint(),
        &[
            "error: unknown check `secret.exist`",
            "did you mean `secret.exists`?",
        ],
    );
    let fixed = stage.replace("      - secret.exist\n", "      - secret.exists\n");
    std::fs::write(dir.join("01-secret.yaml"), fixed).unwrap();
    shows(
        &lint(),
        &[
            "error: the lab has no variable `trail_name`",
            "error: action `secret.create` reads the lab variable `secret_description`",
            "17 |     do: secret.create",
            "9 problems in the lessons",
        ],
    );
    let complete = lab_file.replacen(
        "    default: ShortLabSecret\n",
        &format!("    default: ShortLabSecret\n{variables}"),
        1,
    );
    std::fs::write(dir.join("lab.yaml"), complete).unwrap();
    let clean = lint();
    assert_eq!(clean.code, 0, "{}", clean.stdout);
    shows(
        &clean,
        &["1 stage, 1 step, 1 check; lessons and catalogues agree"],
    );

    // The parameters' example: the built-in root-usage lab's trail step, misspelt.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons/root-account-usage");
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            dir.join(path.file_name().unwrap()),
            text.replace("multi_region: true", "multi_regoin: true"),
        )
        .unwrap();
    }
    std::fs::remove_file(dir.join("01-secret.yaml")).unwrap();
    shows(
        &lint(),
        &[
            "error: unknown parameter `multi_regoin`: expected one of `multi_region` of `trail.create`",
            "71 |       with: { multi_regoin: true }",
            "= help: did you mean `multi_region`?",
        ],
    );
}
