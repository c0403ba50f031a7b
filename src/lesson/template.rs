//! Lesson text with `{{variable}}` placeholders.
//!
//! A [`Template`] has been checked at load time: its placeholders are well formed and
//! name a lab variable or a built-in. Rendering fills them from resolved [`Values`](crate::variables::Values).

use std::collections::BTreeMap;

/// The names every template may use without declaring them.
pub const BUILT_INS: &[&str] = &["account_id", "region"];

/// Checked lesson text with `{{name}}` placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template(String);

impl Template {
    /// The text as written, placeholders included.
    pub fn raw(&self) -> &str {
        &self.0
    }

    /// The text with every placeholder replaced by its value; a placeholder whose
    /// value is not known yet (an email not asked for yet) shows as `<name>`.
    pub fn render(&self, values: &BTreeMap<String, String>) -> String {
        let mut out = String::with_capacity(self.0.len());
        for piece in pieces(&self.0).expect("templates are checked when loaded") {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Name(name) => match values.get(name) {
                    Some(value) => out.push_str(value),
                    None => {
                        out.push('<');
                        out.push_str(name);
                        out.push('>');
                    }
                },
            }
        }
        out
    }

    /// The text cut into literal text and placeholders, in order.
    pub fn pieces(&self) -> Vec<Piece<'_>> {
        pieces(&self.0).expect("templates are checked when loaded")
    }

    /// The names of the placeholders, in order of appearance.
    pub fn names(&self) -> Vec<&str> {
        pieces(&self.0)
            .expect("templates are checked when loaded")
            .into_iter()
            .filter_map(|piece| match piece {
                Piece::Name(name) => Some(name),
                Piece::Text(_) => None,
            })
            .collect()
    }
}

/// Why a text is not a valid template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// `{{` with no `}}` after it.
    Unclosed,
    /// `{{ }}` around something that is not a `snake_case` name.
    BadName(String),
    /// A well-formed name that is neither a lab variable nor a built-in.
    Unknown(String),
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TemplateError::Unclosed => f.write_str("`{{` is not closed by `}}`"),
            TemplateError::BadName(name) => {
                write!(
                    f,
                    "`{{{{{name}}}}}` is not a variable name (use snake_case)"
                )
            }
            TemplateError::Unknown(name) => write!(f, "unknown variable `{{{{{name}}}}}`"),
        }
    }
}

/// Checks `text`: every placeholder is well formed and `known(name)` accepts its name.
pub fn parse(text: &str, known: impl Fn(&str) -> bool) -> Result<Template, TemplateError> {
    for piece in pieces(text)? {
        if let Piece::Name(name) = piece
            && !known(name)
        {
            return Err(TemplateError::Unknown(name.to_string()));
        }
    }
    Ok(Template(text.to_string()))
}

/// A part of a template: text as written, or a placeholder's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'t> {
    /// Literal text.
    Text(&'t str),
    /// The name inside `{{ }}`, trimmed.
    Name(&'t str),
}

fn pieces(text: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        pieces.push(Piece::Text(&rest[..open]));
        let after = &rest[open + 2..];
        let close = after.find("}}").ok_or(TemplateError::Unclosed)?;
        let name = after[..close].trim();
        let well_formed = !name.is_empty()
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !well_formed {
            return Err(TemplateError::BadName(name.to_string()));
        }
        pieces.push(Piece::Name(name));
        rest = &after[close + 2..];
    }
    pieces.push(Piece::Text(rest));
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(name: &str) -> bool {
        ["secret_name", "region"].contains(&name)
    }

    #[test]
    fn renders_known_values_and_marks_missing_ones() {
        let t = parse("aws --region {{region}} get {{ secret_name }}", known).unwrap();
        let values = BTreeMap::from([("secret_name".to_string(), "TopSecretInfo".to_string())]);
        assert_eq!(t.render(&values), "aws --region <region> get TopSecretInfo");
        assert_eq!(t.names(), vec!["region", "secret_name"]);
    }

    #[test]
    fn single_braces_are_plain_text() {
        let pattern = r#"{ $.eventName = "GetSecretValue" }"#;
        let t = parse(pattern, known).unwrap();
        assert_eq!(t.render(&BTreeMap::new()), pattern);
    }

    #[test]
    fn rejects_unclosed_bad_and_unknown_names() {
        assert_eq!(parse("a {{region", known), Err(TemplateError::Unclosed));
        assert_eq!(
            parse("{{Region}}", known),
            Err(TemplateError::BadName("Region".into()))
        );
        assert_eq!(
            parse("{{}}", known),
            Err(TemplateError::BadName(String::new()))
        );
        assert_eq!(
            parse("{{emial}}", known),
            Err(TemplateError::Unknown("emial".into()))
        );
        assert_eq!(
            TemplateError::Unknown("emial".into()).to_string(),
            "unknown variable `{{emial}}`"
        );
    }
}
