//! Raw parsing: YAML text into the schema types, or a [`Diagnostic`] at the spot.

use serde::de::DeserializeOwned;

use super::diagnostic::Diagnostic;
use super::locate::{Position, YamlPath, locate};
use super::schema::{FORMAT_VERSION, VersionProbe};
use super::source::SourceFile;

/// Parses `file` as a `T`, refusing a newer `format_version` before anything else so
/// that an author gets an upgrade hint rather than a list of unknown fields.
pub(super) fn parse<T: DeserializeOwned>(file: &SourceFile) -> Result<T, Diagnostic> {
    if let Some((position, message)) = too_deep(&file.text) {
        return Err(
            Diagnostic::at(&file.display, &file.text, Some(position), message).with_help(
                "lesson files are a few levels deep: look for brackets that are never closed, \
                 or indentation that runs away",
            ),
        );
    }
    if let Ok(VersionProbe {
        format_version: Some(version),
    }) = serde_yaml_ng::from_str::<VersionProbe>(&file.text)
        && version != FORMAT_VERSION
    {
        let position = locate(&file.text, &YamlPath::root().key("format_version"));
        let help = if version > FORMAT_VERSION {
            "this lesson was written for a newer `lab`: upgrade `lab` (cargo install --path . \
             in a newer checkout), or use lessons written for format 1"
        } else {
            "format 1 is the first lesson format: set `format_version: 1`"
        };
        return Err(Diagnostic::at(
            &file.display,
            &file.text,
            position,
            format!(
                "unsupported format_version {version}: this `lab` reads lesson format {FORMAT_VERSION}"
            ),
        )
        .with_help(help));
    }
    serde_yaml_ng::from_str(&file.text).map_err(|error| from_yaml_error(file, &error))
}

/// How deep a lesson file may nest: brackets (`[`, `{`) within brackets, and
/// indentation, in columns. Real lesson files stay far below; a deeper one would cost
/// the YAML parser time that grows with the square of its depth.
const MAX_BRACKETS: usize = 64;
const MAX_INDENT: usize = 256;

/// Where `text` nests deeper than a lesson file ever needs, and how, if it does.
fn too_deep(text: &str) -> Option<(Position, String)> {
    let mut depth = 0usize;
    for (index, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent > MAX_INDENT {
            return Some((
                Position {
                    line: index + 1,
                    column: indent + 1,
                },
                format!(
                    "this line is indented {indent} columns; a lesson file nests at most {MAX_INDENT}"
                ),
            ));
        }
        let mut quote: Option<char> = None;
        for (column, c) in line.chars().enumerate() {
            match (quote, c) {
                (None, '#')
                    if column == 0
                        || line[..line.char_indices().nth(column).map_or(0, |(i, _)| i)]
                            .ends_with(' ') =>
                {
                    break;
                }
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '[' | '{') => {
                    depth += 1;
                    if depth > MAX_BRACKETS {
                        return Some((
                            Position {
                                line: index + 1,
                                column: column + 1,
                            },
                            format!("brackets nest more than {MAX_BRACKETS} deep here"),
                        ));
                    }
                }
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    None
}

/// A serde/YAML error as a diagnostic: the position it carries, its message without
/// the trailing "at line L column C" (the location line says that already).
fn from_yaml_error(file: &SourceFile, error: &serde_yaml_ng::Error) -> Diagnostic {
    let position = error.location().map(|l| Position {
        line: l.line(),
        column: l.column(),
    });
    let mut message = error.to_string();
    if let Some(p) = position {
        let suffix = format!(" at line {} column {}", p.line, p.column);
        if let Some(cut) = message.find(&suffix) {
            message.replace_range(cut..cut + suffix.len(), "");
        }
    }
    let help = if message.contains("unknown field") {
        "check the spelling: every field is documented in lessons/schema.json \
         (`lab lessons schema` prints it)"
    } else if message.contains("missing field") {
        "add the field: every field is documented in lessons/schema.json"
    } else {
        "fix the YAML at this spot; the lesson format is documented in lessons/schema.json"
    };
    let syntax = is_syntax_error(&message);
    let diagnostic = Diagnostic::at(&file.display, &file.text, position, message).with_help(help);
    if syntax {
        diagnostic.with_single_caret()
    } else {
        diagnostic
    }
}

/// Errors from the YAML scanner itself, as opposed to serde's errors about values.
fn is_syntax_error(message: &str) -> bool {
    [
        "while scanning",
        "while parsing",
        "not allowed in this context",
        "did not find expected",
    ]
    .iter()
    .any(|marker| message.contains(marker))
}

#[cfg(test)]
mod depth_tests {
    use super::*;

    fn file(text: String) -> SourceFile {
        SourceFile {
            display: "lab.yaml".into(),
            text,
        }
    }

    #[test]
    fn deep_nesting_is_refused_at_its_spot_and_quickly() {
        let started = std::time::Instant::now();
        let brackets = file(format!(
            "a: {}1{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ));
        let error = parse::<serde_yaml_ng::Value>(&brackets).unwrap_err();
        assert!(
            error.message.contains("brackets nest more than 64"),
            "{}",
            error.message
        );
        assert_eq!(error.location(), "lab.yaml:1:68");
        let indented: String = (0..400)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        let error = parse::<serde_yaml_ng::Value>(&file(indented)).unwrap_err();
        assert!(
            error.message.contains("indented 257 columns"),
            "{}",
            error.message
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        // Templates, quoted brackets and comments are not nesting.
        let fine = file("t: \"{{a}} [x\"\n# [[[[\nu: '{ ['\nv: [1, {a: 2}]\n".into());
        assert!(parse::<serde_yaml_ng::Value>(&fine).is_ok());
    }
}
