//! The handbook: the committed Markdown matches the lessons, and `lab book` builds an
//! HTML book with a chapter per stage, every step, working links, the diagram and a
//! search index.

use std::path::Path;

use lab::book::generate;
use lab::lesson::{LessonSource, load};

use crate::support::{lab, run};

#[test]
fn the_committed_book_matches_the_lessons() {
    let lab = load(&LessonSource::default()).unwrap();
    let book = Path::new(env!("CARGO_MANIFEST_DIR")).join("book");
    for file in generate(&lab) {
        let committed = std::fs::read_to_string(book.join(&file.path)).unwrap_or_default();
        assert!(
            committed == file.text,
            "book/{} is stale against the lessons: run `cargo run -- book` and commit book/",
            file.path.display()
        );
    }
}

/// Every `href`/`src` in `html` that points inside the book.
#[cfg(feature = "handbook")]
fn local_links(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    for attribute in ["href=\"", "src=\"", "srcset=\""] {
        for piece in html.split(attribute).skip(1) {
            let target = piece.split('"').next().unwrap_or_default();
            let external = target.starts_with("http://")
                || target.starts_with("https://")
                || target.starts_with("mailto:")
                || target.starts_with("data:");
            if !external && !target.starts_with('#') && !target.is_empty() {
                links.push(target.split('#').next().unwrap().to_string());
            }
        }
    }
    links
}

#[test]
#[cfg(not(feature = "handbook"))]
fn lab_book_without_the_renderer_writes_the_markdown_and_says_how_to_read_it() {
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("handbook");
    let ran = run(lab(home.path()).args(["book", "--out"]).arg(&out));
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    assert!(out.join("book.toml").is_file());
    assert!(out.join("src").join("SUMMARY.md").is_file());
    assert!(!out.join("html").exists(), "no HTML without the renderer");
    assert!(ran.stdout.contains("mdbook build"), "{}", ran.stdout);
    assert!(ran.stdout.contains("--features handbook"), "{}", ran.stdout);
}

#[test]
#[cfg(feature = "handbook")]
fn lab_book_builds_every_stage_links_the_diagram_and_indexes_for_search() {
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("handbook");
    let ran = run(lab(home.path()).args(["book", "--out"]).arg(&out));
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    let html = out.join("html");
    let read = |name: &str| {
        std::fs::read_to_string(html.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    };

    let lessons = load(&LessonSource::default()).unwrap();
    let index = read("index.html");
    let mut last = 0;
    for stage in &lessons.stages {
        let page = lab::book::chapter_file(stage).replace(".md", ".html");
        let at = index
            .find(&format!("href=\"{page}\""))
            .unwrap_or_else(|| panic!("{page} is not in the table of contents"));
        assert!(
            at > last,
            "stage {} is out of lesson order in the table of contents",
            stage.number
        );
        last = at;
        // HTML escapes and smart punctuation aside, the text is the lessons'.
        let chapter = read(&page)
            .replace("&#39;", "'")
            .replace("&apos;", "'")
            .replace('\u{2019}', "'")
            .replace("&amp;", "&");
        for (n, step) in stage.steps.iter().enumerate() {
            let heading = format!("Step {}.{} · {}", stage.number, n + 1, step.title);
            assert!(chapter.contains(&heading), "{page} lacks {heading:?}");
        }
        assert!(
            chapter.contains("<details>"),
            "{page}: hints are folded away"
        );
        assert!(
            chapter.contains(&format!("lab check --step {}.1", stage.number)),
            "{page}"
        );
    }

    let introduction = read("introduction.html");
    assert!(
        introduction.contains("src=\"chain.svg\""),
        "the diagram is on the introduction page"
    );
    assert!(read("chain.svg").starts_with("<svg"));
    let search_index = std::fs::read_dir(&html)
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().starts_with("searchindex"));
    let search_index =
        std::fs::read_to_string(search_index.expect("a search index").path()).unwrap();
    assert!(
        search_index.contains("GetSecretValue"),
        "the search index covers the chapters"
    );

    let mut checked = 0;
    for entry in std::fs::read_dir(&html).unwrap() {
        let path: std::path::PathBuf = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "html") {
            let page = std::fs::read_to_string(&path).unwrap();
            for link in local_links(&page) {
                assert!(
                    html.join(&link).exists(),
                    "{} links to {link}, which does not exist",
                    path.display()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "only {checked} links checked");
    let appendix = read("appendix-policies.html");
    let (read_only, do_it) = appendix
        .split_once("Doing it for you")
        .expect("two policies");
    assert!(
        read_only.contains("cloudtrail:LookupEvents"),
        "the read-only policy lists the reads"
    );
    assert!(
        !read_only.contains("&quot;secretsmanager:GetSecretValue&quot;")
            && !read_only.contains("\"secretsmanager:GetSecretValue\""),
        "grading never reads the secret"
    );
    assert!(do_it.contains("iam:PassRole"));
}

/// The fenced blocks of `language` in a Markdown text, in order.
fn code_blocks<'t>(markdown: &'t str, language: &str) -> Vec<&'t str> {
    let fence = format!("```{language}\n");
    markdown
        .split(fence.as_str())
        .skip(1)
        .filter_map(|rest| rest.split_once("\n```").map(|(code, _)| code))
        .collect()
}

/// Whether `text` holds a `<name>` placeholder, which bash would read as a
/// redirection.
fn has_placeholder(text: &str) -> bool {
    text.split('<').skip(1).any(|rest| {
        rest.split_once('>').is_some_and(|(inside, _)| {
            inside.starts_with(|c: char| c.is_ascii_lowercase())
                && inside.ends_with(|c: char| c.is_ascii_lowercase())
                && inside
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == ' ')
        })
    })
}

/// What bash runs in place of the AWS CLI: it answers the two questions the
/// chapters' variable blocks ask, and records every other call's arguments, a
/// `file://` argument replaced by the file's contents.
const FAKE_AWS: &str = r#"
set -euo pipefail
aws() {
  case "$1 $2" in
    "configure get") echo eu-west-3; return ;;
    "sts get-caller-identity") echo 210987654321; return ;;
  esac
  local arg
  for arg in "$@"; do
    case "$arg" in file://*) arg="$(cat "${arg#file://}")" ;; esac
    printf '%s\x1f' "$arg"
  done >> "$CALLS"
  printf '\x1e' >> "$CALLS"
}
lab() { :; }
"#;

#[test]
fn every_cli_block_in_the_book_pastes_into_bash_as_it_is() {
    let lessons = load(&LessonSource::default()).unwrap();
    let mut calls_seen = 0;
    let mut all_arguments = String::new();
    for file in generate(&lessons) {
        if !file.path.to_string_lossy().contains("stage-") {
            continue;
        }
        let name = file.path.display().to_string();
        let blocks = code_blocks(&file.text, "bash");
        assert!(
            code_blocks(&file.text, "sh").is_empty(),
            "{name}: shell blocks are tagged `bash`"
        );
        for block in &blocks {
            assert!(!has_placeholder(block), "{name}: a placeholder in\n{block}");
            let syntax = std::process::Command::new("bash")
                .args(["-n", "-c", block])
                .output()
                .unwrap();
            assert!(
                syntax.status.success(),
                "{name}: bash cannot parse\n{block}\n{}",
                String::from_utf8_lossy(&syntax.stderr)
            );
        }
        // The whole chapter, pasted in order into one shell: the variables are set
        // once at the top and every command runs with them.
        let dir = tempfile::tempdir().unwrap();
        let calls = dir.path().join("calls");
        let script = format!("{FAKE_AWS}\n{}\n", blocks.join("\n"));
        let ran = std::process::Command::new("bash")
            .args(["-c", &script])
            .current_dir(dir.path())
            .env("CALLS", &calls)
            .output()
            .unwrap();
        assert!(
            ran.status.success(),
            "{name}: the pasted commands fail in bash:\n{}",
            String::from_utf8_lossy(&ran.stderr)
        );
        let recorded = std::fs::read_to_string(&calls).unwrap_or_default();
        for call in recorded.split('\x1e').filter(|c| !c.is_empty()) {
            calls_seen += 1;
            for argument in call.split('\x1f') {
                all_arguments.push_str(argument);
                all_arguments.push('\n');
                assert!(
                    !argument.contains("${") && !has_placeholder(argument),
                    "{name}: an argument was not filled in: {argument}\n(call: {call:?})"
                );
                let trimmed = argument.trim_start();
                if trimmed.starts_with('{') || trimmed.starts_with('[') {
                    assert!(
                        serde_json::from_str::<serde_json::Value>(argument).is_ok(),
                        "{name}: not JSON: {argument}"
                    );
                }
            }
        }
    }
    assert!(calls_seen > 20, "only {calls_seen} AWS CLI calls ran");
    for value in [
        "arn:aws:cloudtrail:eu-west-3:210987654321:trail/secrets-manager-trail",
        "secrets-manager-trail-210987654321-eu-west-3",
        "you@example.com",
    ] {
        assert!(
            all_arguments.contains(value),
            "no call carried {value}: the shell variables were not used"
        );
    }
}

#[test]
fn placeholders_are_told_from_shell_text() {
    assert!(has_placeholder("s3://trail-<account_id>-x"));
    assert!(has_placeholder("<your email>"));
    assert!(!has_placeholder("cat > p.json <<EOF"));
    assert!(!has_placeholder("a < b > c"));
}

/// The handbook as a reader uses it with the sandbox, for every built-in lab: every
/// `bash` block of its stages, in order, pasted into a shell pointed at a fresh
/// sandbox by `eval "$(lab sandbox env)"` (which sets the region in the environment
/// only). Between blocks the reader waits, as the chapters say (the sandbox's clock
/// is moved on instead), confirms the subscription where a chapter checks it, and
/// after each stage its checks pass.
fn paste_the_handbook(id: &str) {
    let sandbox = crate::sandbox::StartedSandbox::start();
    let source = LessonSource::built_in(id).unwrap();
    let lessons = load(&source).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let lab_dir = Path::new(env!("CARGO_BIN_EXE_lab")).parent().unwrap();
    let path = std::env::join_paths(
        [lab_dir.to_path_buf(), crate::support::moto::aws_cli()]
            .into_iter()
            .chain(std::env::split_paths(
                &std::env::var_os("PATH").unwrap_or_default(),
            )),
    )
    .unwrap();
    let shell = |script: &str| {
        let mut bash = std::process::Command::new("bash");
        bash.env_clear();
        for (key, value) in sandbox.lab().get_envs() {
            if let Some(value) = value {
                bash.env(key, value);
            }
        }
        bash.env("PATH", &path)
            .args(["-c", script])
            .current_dir(dir.path());
        run(&mut bash)
    };
    let advance = |by: &str| {
        let ran = run(sandbox.lab().args(["sandbox", "advance", by]));
        assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    };
    // As `lab --lab ID book` writes them: its commands carry the lab's flag.
    let flag = lab::lab_commands::lab_flag(&source);
    let chapters = generate(&lessons)
        .into_iter()
        .filter(|f| f.path.to_string_lossy().contains("stage-"));
    for (number, mut chapter) in (1..).zip(chapters) {
        chapter.text = lab::lab_commands::in_markdown(&chapter.text, &flag);
        let name = format!("{id}: {}", chapter.path.display());
        assert!(
            name.contains(&format!("stage-{number}-")),
            "{name} is stage {number}"
        );
        let blocks = code_blocks(&chapter.text, "bash");
        // The chapter's variables first (where its commands use any), once per
        // shell, then each step's block.
        let (setup, steps) = match blocks.split_first() {
            Some((first, rest)) if first.lines().all(sets_a_variable) => (*first, rest),
            _ => ("", &blocks[..]),
        };
        for block in steps {
            // A chapter that checks the subscription asks the reader to confirm it
            // from its email first: the sandbox's mailbox stands in for the click.
            if chapter.text.contains("`sns.email_confirmed`") && block.starts_with("lab ") {
                let ran = run(sandbox.lab().args(["sandbox", "confirm"]));
                assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
            }
            let script =
                format!("set -euo pipefail\neval \"$(lab sandbox env)\"\n{setup}\n{block}\n");
            let ran = shell(&script);
            assert_eq!(
                ran.code, 0,
                "{name}: a block fails pasted into a sandbox shell:\n{block}\n{}{}",
                ran.stdout, ran.stderr
            );
            // The reader waits for what the step started (CloudTrail's delivery, the
            // alarm's evaluation) before the next.
            advance("6m");
        }
        let ran = run(sandbox.lab().args([
            "--lab",
            id,
            "check",
            "--sandbox",
            "--set",
            "email=you@example.com",
            "--stage",
            &number.to_string(),
        ]));
        assert_eq!(
            ran.code, 0,
            "{name}: after its blocks, its checks pass:\n{}{}",
            ran.stdout, ran.stderr
        );
    }
}

/// Whether `line` sets a shell variable (`REGION=...`), as a chapter's setup does.
fn sets_a_variable(line: &str) -> bool {
    line.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
    })
}

#[test]
fn the_handbook_pasted_into_a_sandbox_shell_builds_the_lab_stage_by_stage() {
    paste_the_handbook("secrets-access-monitoring");
}

#[test]
fn the_root_usage_handbook_pasted_into_a_sandbox_shell_builds_its_lab() {
    paste_the_handbook("root-account-usage");
}

#[test]
fn the_trail_changes_handbook_pasted_into_a_sandbox_shell_builds_its_lab() {
    paste_the_handbook("trail-configuration-changes");
}

/// Every built-in lab's handbook is pasted by a test above.
#[test]
fn every_built_in_lab_has_its_handbook_pasted() {
    let here = include_str!("book.rs");
    for built_in in lab::lesson::source::BUILT_IN {
        assert!(
            here.contains(&format!("paste_the_handbook(\"{}\")", built_in.id)),
            "add a test that pastes the handbook of `{}`",
            built_in.id
        );
    }
}
