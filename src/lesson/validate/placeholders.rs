//! Placeholders where they would not be replaced: a `{{variable}}` in a field that is
//! not a template would show as written.

use crate::lesson::diagnostic::Diagnostic;
use crate::lesson::locate::{YamlPath, locate};
use crate::lesson::source::SourceFile;

/// The fields that are *templates* (the schema says so): only they replace
/// `{{variable}}`. Invocations (`do`, `check`) are checked by their own rules.
const TEMPLATE_FIELDS: [&str; 8] = [
    "handbook_usage",
    "narrative",
    "summary",
    "instructions",
    "cli",
    "hints",
    "expect",
    "default",
];

/// Every `{{...}}` in a field that is not a template, where it would show as
/// written, braces and all (in a title, in the book).
pub(super) fn placeholders_outside_templates(file: &SourceFile) -> Vec<Diagnostic> {
    fn walk(
        value: &serde_yaml_ng::Value,
        path: YamlPath,
        keys: &[String],
        out: &mut Vec<(YamlPath, String)>,
    ) {
        match value {
            serde_yaml_ng::Value::Mapping(map) => {
                for (key, child) in map {
                    if let Some(key) = key.as_str() {
                        let mut keys = keys.to_vec();
                        keys.push(key.to_string());
                        walk(child, path.key(key), &keys, out);
                    }
                }
            }
            serde_yaml_ng::Value::Sequence(items) => {
                for (index, child) in items.iter().enumerate() {
                    walk(child, path.index(index), keys, out);
                }
            }
            serde_yaml_ng::Value::String(text) if text.contains("{{") => {
                let templated = keys
                    .last()
                    .is_some_and(|k| TEMPLATE_FIELDS.contains(&k.as_str()))
                    || keys.iter().any(|k| k == "do" || k == "check");
                if !templated {
                    out.push((path, keys.last().cloned().unwrap_or_default()));
                }
            }
            _ => {}
        }
    }
    let Ok(value) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&file.text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    walk(&value, YamlPath::root(), &[], &mut found);
    found
        .into_iter()
        .map(|(path, field)| {
            Diagnostic::at(
                &file.display,
                &file.text,
                locate(&file.text, &path),
                format!("`{field}` is not a template: a `{{{{...}}}}` in it would show as written"),
            )
            .with_help(format!(
                "write the value itself, or move it to a template field ({})",
                TEMPLATE_FIELDS.join(", ")
            ))
        })
        .collect()
}
