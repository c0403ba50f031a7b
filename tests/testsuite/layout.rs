//! The layout: no import cycle between modules at any depth, in any crate: the
//! top-level modules of each crate, and the modules inside each folder module, so
//! each crate reads from the edges (commands, the front) down to plain data, and any
//! module can be moved out without taking the rest with it.
//!
//! A module's imports are the `crate::…`, `super::…` and `self::…` paths in its
//! files, outside comments and its `#[cfg(test)]` part, resolved to the modules they
//! name. An import between two modules counts between the siblings that hold them
//! (`report::ctrf` using `report::gradebook` is an edge `ctrf → gradebook` inside
//! `report`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Modules → the sibling modules they use.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// A module's path from the crate root (`["report", "ctrf"]`).
type ModulePath = Vec<String>;

/// For each module that holds modules (the crate root is `[]`), the graph between
/// the modules it holds.
fn levels(root: &Path) -> BTreeMap<ModulePath, Graph> {
    let mut files = Vec::new();
    collect(root, &mut files);
    let modules: Vec<(ModulePath, std::path::PathBuf)> = files
        .into_iter()
        .map(|file| (module_path(file.strip_prefix(root).unwrap()), file))
        .collect();
    let known: BTreeSet<ModulePath> = modules.iter().map(|(m, _)| m.clone()).collect();
    let mut levels: BTreeMap<ModulePath, Graph> = BTreeMap::new();
    for (module, file) in &modules {
        if module.is_empty() {
            continue;
        }
        // Every module is a node of its parent's graph, used or not.
        levels
            .entry(module[..module.len() - 1].to_vec())
            .or_default()
            .entry(module[module.len() - 1].clone())
            .or_default();
        let text = std::fs::read_to_string(file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for line in code.lines() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            for used in uses(line, module) {
                let used = within(&known, used);
                let shared = module.iter().zip(&used).take_while(|(a, b)| a == b).count();
                if shared < module.len() && shared < used.len() {
                    levels
                        .entry(module[..shared].to_vec())
                        .or_default()
                        .entry(module[shared].clone())
                        .or_default()
                        .insert(used[shared].clone());
                }
            }
        }
    }
    levels
}

/// `report/mod.rs` → `["report"]`; `report/ctrf.rs` → `["report", "ctrf"]`;
/// `lib.rs`, `main.rs` → `[]`.
fn module_path(relative: &Path) -> ModulePath {
    let mut parts: ModulePath = relative
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if parts.len() == 1 && (parts[0] == "lib" || parts[0] == "main") {
        parts.clear();
    }
    parts
}

/// The longest start of `path` that is a module.
fn within(known: &BTreeSet<ModulePath>, mut path: ModulePath) -> ModulePath {
    while !path.is_empty() && !known.contains(&path) {
        path.pop();
    }
    path
}

/// The paths `line`, in `module`, names from the crate root: `crate::a::b`,
/// `super::a` (from the module's parent; `super::super::` from its grandparent),
/// `self::a`, and each item of a brace group (`crate::{a, b::c}`).
fn uses(line: &str, module: &[String]) -> Vec<ModulePath> {
    let mut found = Vec::new();
    let bytes = line.as_bytes();
    let mut at = 0;
    while at < line.len() {
        let rest = &line[at..];
        let word_start =
            at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        let base: Option<(ModulePath, &str)> = if !word_start {
            None
        } else if let Some(after) = rest.strip_prefix("crate::") {
            Some((Vec::new(), after))
        } else if let Some(after) = rest.strip_prefix("self::") {
            Some((module.to_vec(), after))
        } else if rest.starts_with("super::") {
            let mut after = rest;
            let mut base = module.to_vec();
            while let Some(more) = after.strip_prefix("super::") {
                base.pop();
                after = more;
            }
            Some((base, after))
        } else {
            None
        };
        match base {
            Some((base, after)) => {
                for chain in chains(after) {
                    let mut path = base.clone();
                    path.extend(chain);
                    found.push(path);
                }
                at = line.len() - after.len();
            }
            None => at += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    found
}

/// The module names a path goes through: `a::b::Item` → `[a, b]`, and for a brace
/// group each item's (`{a, b::c}` → `[a]`, `[b, c]`).
fn chains(text: &str) -> Vec<ModulePath> {
    match text.strip_prefix('{') {
        Some(inside) => inside
            .split('}')
            .next()
            .unwrap_or_default()
            .split(',')
            .map(|item| chain(item.trim()))
            .collect(),
        None => vec![chain(text)],
    }
}

fn chain(text: &str) -> ModulePath {
    text.split("::")
        .map(identifier)
        .take_while(|n| !n.is_empty() && n.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .collect()
}

fn identifier(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

fn collect(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// A cycle in `graph`, as the path that closes it, if there is one.
fn cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        graph: &Graph,
        node: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_string());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(graph, next, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(graph, node, &mut Vec::new(), &mut done))
}

#[test]
fn no_crate_has_an_import_cycle_between_its_modules_at_any_depth() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut folders = 0;
    for krate in ["src", "checkers/src", "sandbox/src"] {
        let levels = levels(&workspace.join(krate));
        assert!(
            levels[&Vec::new()].len() > 5,
            "{krate}: the modules were found"
        );
        folders += levels.len() - 1;
        for (parent, graph) in &levels {
            if let Some(found) = cycle(graph) {
                panic!(
                    "{krate}{}: {} import each other",
                    parent.iter().map(|p| format!("/{p}")).collect::<String>(),
                    found.join(" → ")
                );
            }
        }
    }
    assert!(
        folders > 10,
        "the modules inside folder modules were found: {folders}"
    );
}

#[test]
fn a_cycle_is_found() {
    let mut graph = Graph::new();
    graph.entry("a".into()).or_default().insert("b".into());
    graph.entry("b".into()).or_default().insert("c".into());
    graph.entry("c".into()).or_default().insert("a".into());
    assert_eq!(cycle(&graph).unwrap(), ["a", "b", "c", "a"]);
    graph.get_mut("c").unwrap().clear();
    assert_eq!(cycle(&graph), None);
    let module = ["report".to_string(), "ctrf".to_string()];
    assert_eq!(
        uses("use crate::{lesson::Lab, error};", &module),
        [vec!["lesson".to_string()], vec!["error".to_string()]]
    );
    assert_eq!(
        uses(
            "use super::gradebook::Grade; super::super::roster::x()",
            &module
        ),
        [
            vec!["report".to_string(), "gradebook".to_string()],
            vec!["roster".to_string(), "x".to_string()]
        ]
    );
}

#[test]
fn a_cycle_inside_a_folder_module_is_found() {
    // report/ctrf.rs and report/gradebook.rs using each other, one by `super::`,
    // the other by `crate::`.
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("lib.rs", "pub mod report;\n");
    write("report/mod.rs", "mod ctrf;\nmod gradebook;\n");
    write("report/ctrf.rs", "use super::gradebook::Grade;\n");
    write(
        "report/gradebook.rs",
        "pub fn f() { crate::report::ctrf::render() }\n",
    );
    let levels = levels(dir.path());
    let report = &levels[&vec!["report".to_string()]];
    assert_eq!(cycle(report).unwrap(), ["ctrf", "gradebook", "ctrf"]);
    assert_eq!(cycle(&levels[&Vec::new()]), None);
}

#[test]
fn every_path_the_architecture_names_exists() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"));
    let map = std::fs::read_to_string(workspace.join("ARCHITECTURE.md")).unwrap();
    let named: Vec<&str> = map
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|token| {
            !token.contains(' ')
                && token.contains('/')
                && (token.ends_with('/') || token.rsplit('.').next().is_some_and(|e| e.len() <= 4))
        })
        .collect();
    assert!(named.len() > 30, "the paths were found: {named:?}");
    let missing: Vec<&&str> = named
        .iter()
        .filter(|path| !workspace.join(path).exists())
        .collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names paths that do not exist: {missing:?}"
    );
}

/// A newcomer can hold any one file: no source file is over 600 lines. Tests are
/// kept apart (`tests.rs`, `*_tests.rs`) and are not counted.
#[test]
fn no_source_file_is_over_600_lines() {
    const MOST: usize = 600;
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for root in ["src", "checkers/src", "sandbox/src"] {
        collect(&workspace.join(root), &mut files);
    }
    assert!(files.len() > 100, "found only {} files", files.len());
    let mut long: Vec<String> = files
        .iter()
        .filter(|file| {
            let name = file
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            name != "tests.rs" && !name.ends_with("_tests.rs")
        })
        .filter_map(|file| {
            let lines = std::fs::read_to_string(file).ok()?.lines().count();
            let shown = file.strip_prefix(workspace).unwrap_or(file).display();
            (lines > MOST).then(|| format!("{shown}: {lines} lines"))
        })
        .collect();
    long.sort();
    assert!(long.is_empty(), "over {MOST} lines: {long:#?}");
}

/// The grader and the sandbox hold no lab: no built-in lab's id, tag, or default
/// names and sentences (its variables' defaults) appear in `checkers/src` or
/// `sandbox/src` outside their tests. AWS's own names (the operations the corpus
/// knows, such as `GetSecretValue`) are AWS's, not a lab's.
#[test]
fn no_lab_is_written_into_the_grader_or_the_sandbox() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"));
    let aws_names: Vec<&str> = checkers::corpus::operations::OPERATIONS
        .iter()
        .map(|op| op.name)
        .collect();
    let mut words: BTreeSet<String> = BTreeSet::new();
    for built_in in lab::lesson::source::BUILT_IN {
        let lab = lab::lesson::load(&lab::lesson::LessonSource::BuiltIn(built_in)).unwrap();
        words.insert(lab.id.clone());
        words.insert(lab.tag.value.clone());
        for variable in &lab.variables {
            if let Some(default) = variable.default.as_ref().map(|d| d.raw())
                && !default.contains("{{")
                && default.len() >= 6
                && !aws_names.contains(&default)
            {
                words.insert(default.to_string());
            }
        }
    }
    assert!(words.len() >= 15, "{words:?}");
    let mut files = Vec::new();
    for root in ["checkers/src", "sandbox/src"] {
        collect(&workspace.join(root), &mut files);
    }
    let mut found = Vec::new();
    for file in &files {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name == "tests.rs"
            || name.ends_with("_tests.rs")
            || name == "test_snapshot.rs"
            || name == "fixtures.rs"
        {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        // A file's own test module, at its end, is a test.
        let code = text.split("#[cfg(test)]\nmod ").next().unwrap_or_default();
        for word in &words {
            if code.contains(word.as_str()) {
                let shown = file.strip_prefix(workspace).unwrap_or(file).display();
                found.push(format!("{shown}: `{word}`"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "a lab's words in the grader or the sandbox: {found:#?}"
    );
}
