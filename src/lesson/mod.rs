//! Lessons: the lab's content, read from YAML and validated into a typed [`Lab`].
//!
//! - [`schema`]: the raw file format, documented field by field (the spec);
//! - [`source`]: where the files come from (built in, or a folder);
//! - [`parse`] and [`validate`]: text to raw types, raw types to a [`Lab`], with every
//!   problem reported as a [`Diagnostic`] at `file:line:column`;
//! - [`model`]: the validated types the rest of `lab` uses;
//! - [`template`]: `{{variable}}` placeholders in lesson text.

pub mod diagnostic;
pub mod locate;
pub mod model;
mod parse;
pub mod schema;
pub mod source;
mod suggest;
pub mod template;
mod validate;

pub use diagnostic::{Diagnostic, Diagnostics};
pub use model::{ActionRef, CheckRef, Lab, Stage, Step, Tag, Variable, Wait};
pub use source::LessonSource;
pub use validate::load;

/// The JSON Schema of both kinds of lesson file, as written to `lessons/schema.json`,
/// with every object's keys sorted: the same bytes whichever way `serde_json` was
/// built (some dependencies turn on its insertion-ordered maps).
pub fn json_schema() -> String {
    let schema = serde_json::to_value(schemars::schema_for!(schema::AnyLessonFile))
        .expect("a schema serializes");
    let mut text = serde_json::to_string_pretty(&sorted(schema)).expect("a schema serializes");
    text.push('\n');
    text
}

fn sorted(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<(String, serde_json::Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(sorted).collect())
        }
        other => other,
    }
}
