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
pub use model::{ActionRef, CheckRef, Lab, Part, Stage, Step, Tag, Unknown, Variable, Wait};
pub use source::LessonSource;
pub use validate::load;

/// The JSON Schema of both kinds of lesson file, as written to `lessons/schema.json`.
pub fn json_schema() -> String {
    crate::json_schema::render::<schema::AnyLessonFile>()
}
