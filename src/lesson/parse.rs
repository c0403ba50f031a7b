//! Raw parsing: YAML text into the schema types, or a [`Diagnostic`] at the spot.

use serde::de::DeserializeOwned;

use super::diagnostic::Diagnostic;
use super::locate::{Position, YamlPath, locate};
use super::schema::{FORMAT_VERSION, VersionProbe};
use super::source::SourceFile;

/// Parses `file` as a `T`, refusing a newer `format_version` before anything else so
/// that an author gets an upgrade hint rather than a list of unknown fields.
pub fn parse<T: DeserializeOwned>(file: &SourceFile) -> Result<T, Diagnostic> {
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
