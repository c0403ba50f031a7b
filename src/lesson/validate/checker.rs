//! The checker of one file's values: each problem it finds points at its value in
//! that file, and the common rules (not empty, kebab-case ids, templates, known ids).

use std::collections::{BTreeMap, HashSet};

use checkers::{ParamValue, Params};

use crate::lesson::diagnostic::Diagnostic;
use crate::lesson::locate::{YamlPath, locate};
use crate::lesson::schema::Invocation;
use crate::lesson::source::SourceFile;
use crate::lesson::suggest;
use crate::lesson::template::{self, Template};

/// Validates one file's values, adding problems that point into that file.
pub(super) struct Checker<'a> {
    pub(super) file: &'a SourceFile,
    pub(super) problems: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    pub(super) fn error(&mut self, path: &YamlPath, message: &str, help: Option<String>) {
        let position = locate(&self.file.text, path);
        let mut diagnostic = Diagnostic::at(
            &self.file.display,
            &self.file.text,
            position,
            message.to_string(),
        );
        diagnostic.help = help;
        self.problems.push(diagnostic);
    }

    pub(super) fn non_empty(&mut self, path: &YamlPath, text: &str, what: &str) {
        if text.trim().is_empty() {
            self.error(path, &format!("{what} must not be empty"), None);
        }
    }

    pub(super) fn kebab(&mut self, path: &YamlPath, id: &str, what: &str) {
        let ok = !id.is_empty()
            && id.split('-').all(|word| {
                !word.is_empty()
                    && word
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            });
        if !ok {
            self.error(
                path,
                &format!("{what} `{id}` is not lowercase words joined by `-`"),
                Some(format!("write it like `{}`", kebab_case(id))),
            );
        }
    }

    pub(super) fn template(
        &mut self,
        path: &YamlPath,
        text: &str,
        known: &HashSet<String>,
    ) -> Template {
        match template::parse(text, |name| known.contains(name)) {
            Ok(template) => template,
            Err(error) => {
                let mut names: Vec<&str> = known.iter().map(String::as_str).collect();
                names.sort_unstable();
                let help = match &error {
                    template::TemplateError::Unknown(name) => {
                        suggest::help(name, "variables", &names)
                    }
                    _ => "placeholders are written `{{variable_name}}`".to_string(),
                };
                self.error(path, &error.to_string(), Some(help));
                // Keep going with the text as plain prose; the load fails anyway.
                template::parse("", |_| true).expect("empty text is a template")
            }
        }
    }

    /// The catalogue entry an invocation names, or a problem at its id.
    pub(super) fn known_id<T>(
        &mut self,
        path: &YamlPath,
        invocation: &Invocation,
        what: &str,
        ids: &[&str],
        find: fn(&str) -> Option<&'static T>,
    ) -> Option<&'static T> {
        let id = invocation.id();
        let found = find(id);
        if found.is_none() {
            let at = match invocation {
                Invocation::Id(_) => path.clone(),
                Invocation::WithParams { .. } => path.key("id"),
            };
            self.error(
                &at,
                &format!("unknown {what} `{id}`"),
                Some(suggest::help(id, &format!("{what}s"), ids)),
            );
        }
        found
    }

    /// The invocation's parameters, validated against `specs`, or problems at them.
    pub(super) fn params(
        &mut self,
        path: &YamlPath,
        invocation: &Invocation,
        specs: &[checkers::ParamSpec],
    ) -> Option<Params> {
        let given: BTreeMap<String, ParamValue> = invocation.params();
        let errors = checkers::params::validate(specs, &given);
        for error in &errors {
            let at = match error {
                checkers::params::ParamError::Unknown { name, .. }
                | checkers::params::ParamError::Invalid { name, .. } => path.key("with").key(name),
                checkers::params::ParamError::Missing { .. } => path.clone(),
            };
            self.error(
                &at,
                &format!("{} of `{}`", error, invocation.id()),
                param_help(error, specs, &given),
            );
        }
        errors.is_empty().then_some(given)
    }
}

/// "Did you mean …?" for a misspelt parameter, or a word of the wrong case or
/// spelling where the parameter takes one of a list.
fn param_help(
    error: &checkers::params::ParamError,
    specs: &[checkers::ParamSpec],
    given: &BTreeMap<String, ParamValue>,
) -> Option<String> {
    use checkers::params::ParamError;
    let best = match error {
        ParamError::Unknown { name, known } => suggest::closest(name, known.iter().copied()),
        ParamError::Invalid { name, .. } => {
            let kind = specs.iter().find(|s| s.name == name)?.kind;
            match (kind, given.get(name)?) {
                (checkers::ParamKind::OneOf(words), ParamValue::Text(text)) => words
                    .iter()
                    .copied()
                    .find(|w| w.eq_ignore_ascii_case(text))
                    .or_else(|| suggest::closest(text, words.iter().copied())),
                _ => None,
            }
        }
        ParamError::Missing { .. } => None,
    }?;
    Some(format!("did you mean `{best}`?"))
}

pub(super) fn kebab_case(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}
