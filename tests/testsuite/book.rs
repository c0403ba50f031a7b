//! The handbook: the committed Markdown matches the lessons, and `lab book` builds an
//! HTML book with a chapter per stage, every step, working links, the diagram and a
//! search index.

use std::path::{Path, PathBuf};

use lab::book::{chapter_file, generate};
use lab::lesson::{LessonSource, load};

use crate::support::{lab, run};

#[test]
fn the_committed_book_matches_the_lessons() {
    let lab = load(&LessonSource::Embedded).unwrap();
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
fn local_links(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    for attribute in ["href=\"", "src=\""] {
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
fn lab_book_builds_every_stage_links_the_diagram_and_indexes_for_search() {
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("handbook");
    let ran = run(lab(home.path()).args(["book", "--out"]).arg(&out));
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    let html = out.join("html");
    let read = |name: &str| {
        std::fs::read_to_string(html.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    };

    let lessons = load(&LessonSource::Embedded).unwrap();
    let index = read("index.html");
    let mut last = 0;
    for stage in &lessons.stages {
        let page = chapter_file(stage).replace(".md", ".html");
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
            chapter.contains(&format!("lab check --stage {}", stage.number)),
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
        let path: PathBuf = entry.unwrap().path();
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
