//! The layout: no import cycle between the top-level modules of any crate, so each
//! crate reads from the edges (commands, the front) down to plain data, and any
//! module can be moved out without taking the rest with it.
//!
//! A module's imports are the `crate::NAME` paths in its files (and `super::NAME` in
//! its top file), outside comments and its `#[cfg(test)]` part.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module → the top-level modules it uses.
type Graph = BTreeMap<String, BTreeSet<String>>;

fn graph(root: &Path) -> Graph {
    let mut graph = Graph::new();
    let mut files = Vec::new();
    collect(root, &mut files);
    for file in files {
        let relative = file.strip_prefix(root).unwrap();
        let parts: Vec<String> = relative
            .with_extension("")
            .iter()
            .map(|p| p.to_string_lossy().to_string())
            .collect();
        let module = parts[0].clone();
        if module == "lib" || module == "main" {
            continue;
        }
        let top_file = parts.len() == 1 || (parts.len() == 2 && parts[1] == "mod");
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let uses = graph.entry(module.clone()).or_default();
        for line in code.lines() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            for name in used(line, "crate::").chain(
                top_file
                    .then(|| used(line, "super::"))
                    .into_iter()
                    .flatten(),
            ) {
                if name != module {
                    uses.insert(name);
                }
            }
        }
    }
    graph
}

/// The module names after each `prefix` in `line`, braces included
/// (`crate::{a, b::c}` names `a` and `b`).
fn used<'l>(line: &'l str, prefix: &'l str) -> impl Iterator<Item = String> + 'l {
    line.match_indices(prefix).flat_map(move |(at, _)| {
        let rest = &line[at + prefix.len()..];
        let names: Vec<String> = match rest.strip_prefix('{') {
            Some(inside) => inside
                .split('}')
                .next()
                .unwrap_or_default()
                .split(',')
                .map(|item| identifier(item.trim()))
                .collect(),
            None => vec![identifier(rest)],
        };
        names
            .into_iter()
            .filter(|n| !n.is_empty() && n.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
    })
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
fn no_crate_has_an_import_cycle_between_its_modules() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"));
    for krate in ["src", "checkers/src", "sandbox/src"] {
        let graph = graph(&workspace.join(krate));
        assert!(graph.len() > 5, "{krate}: the modules were found");
        if let Some(found) = cycle(&graph) {
            panic!("{krate}: {} import each other", found.join(" → "));
        }
    }
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
    let names: Vec<String> = used("use crate::{lesson::Lab, error};", "crate::").collect();
    assert_eq!(names, ["lesson", "error"]);
}
