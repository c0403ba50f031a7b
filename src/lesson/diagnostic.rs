//! Errors in lesson files, pointing at the exact spot: `file:line:column`, the line
//! itself, and a caret under the offending value, then what to do about it.
//!
//! ```text
//! error: unknown check `secret.exist`
//!   --> lessons/secrets-access-monitoring/01-secret.yaml:31:9
//!    |
//! 31 |       - secret.exist
//!    |         ^^^^^^^^^^^^
//!    = help: did you mean `secret.exists`?
//! ```

use std::fmt;

use super::locate::Position;

/// One problem in one lesson file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as the learner or author would name it (e.g. `lessons/secrets-access-monitoring/lab.yaml`).
    pub file: String,
    /// Where in the file; `None` when the problem is the file as a whole.
    pub position: Option<Position>,
    /// What is wrong, in one line.
    pub message: String,
    /// What to do about it, where there is something to say.
    pub help: Option<String>,
    /// The source line at `position` and how many characters to underline.
    snippet: Option<Box<(String, usize, usize)>>,
}

impl Diagnostic {
    /// A problem at `position` in `text` (the file's contents), underlining the token
    /// that starts there.
    pub fn at(file: &str, text: &str, position: Option<Position>, message: String) -> Self {
        let snippet = position.and_then(|p| {
            let line = text.lines().nth(p.line.checked_sub(1)?)?;
            let width = token_width(line, p.column).min(MAX_SHOWN);
            let (shown, column) = window(line, p.column);
            Some(Box::new((shown, width, column)))
        });
        Diagnostic {
            file: file.to_string(),
            position,
            message: bounded(message),
            help: None,
            snippet,
        }
    }

    /// Points at one character instead of underlining a whole value: for syntax
    /// errors, where the spot is not the start of a value.
    pub fn with_single_caret(mut self) -> Self {
        if let Some(snippet) = &mut self.snippet {
            snippet.1 = 1;
        }
        self
    }

    /// Adds what to do about it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `file:line:column`, or just the file.
    pub fn location(&self) -> String {
        match self.position {
            Some(p) => format!("{}:{}:{}", self.file, p.line, p.column),
            None => self.file.clone(),
        }
    }
}

/// How many characters of the value starting at `column` (1-based) to underline:
/// a quoted string up to its closing quote, otherwise up to a YAML delimiter.
fn token_width(line: &str, column: usize) -> usize {
    let rest: Vec<char> = line.chars().skip(column.saturating_sub(1)).collect();
    let width = match rest.first() {
        Some(quote @ ('"' | '\'')) => rest[1..]
            .iter()
            .position(|c| c == quote)
            .map_or(rest.len(), |end| end + 2),
        Some(_) => rest
            .iter()
            .enumerate()
            .position(|(i, c)| {
                let ends_key = *c == ':' && rest.get(i + 1).is_none_or(|next| *next == ' ');
                ends_key || matches!(c, ',' | ']' | '}' | '#')
            })
            .unwrap_or(rest.len()),
        None => 1,
    };
    let token: String = rest.iter().take(width).collect();
    token.trim_end().chars().count().max(1)
}

/// The most characters of a file's line, or of a message, a diagnostic shows: a
/// megabyte on one line gives a line's worth of diagnostic, not megabytes.
const MAX_SHOWN: usize = 160;

/// A window of at most [`MAX_SHOWN`] characters of `line` around `column`, with `…`
/// where it was cut, and the column within the window.
fn window(line: &str, column: usize) -> (String, usize) {
    let length = line.chars().count();
    if length <= MAX_SHOWN {
        return (line.to_string(), column);
    }
    let start = column
        .saturating_sub(MAX_SHOWN / 3)
        .min(length.saturating_sub(MAX_SHOWN));
    let mut shown: String = line.chars().skip(start).take(MAX_SHOWN).collect();
    let mut column = column - start;
    if start > 0 {
        shown.insert(0, '…');
        column += 1;
    }
    if start + MAX_SHOWN < length {
        shown.push('…');
    }
    (shown, column)
}

/// A message cut to a few lines' worth, where a value from the file made it long.
fn bounded(message: String) -> String {
    let limit = MAX_SHOWN * 4;
    match message.char_indices().nth(limit) {
        Some((at, _)) => format!("{}…", &message[..at]),
        None => message,
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let error = console::style("error").red().bold();
        writeln!(f, "{error}: {}", console::style(&self.message).bold())?;
        let arrow = console::style("-->").blue().bold();
        match (&self.position, self.snippet.as_deref()) {
            (Some(p), Some((line, width, column))) => {
                let number = p.line.to_string();
                let pad = " ".repeat(number.len());
                let bar = console::style("|").blue().bold();
                writeln!(f, "{pad}{arrow} {}", self.location())?;
                writeln!(f, "{pad} {bar}")?;
                writeln!(f, "{} {bar} {line}", console::style(&number).blue().bold())?;
                let indent = " ".repeat(column.saturating_sub(1));
                let carets = console::style("^".repeat(*width)).red().bold();
                writeln!(f, "{pad} {bar} {indent}{carets}")?;
                if let Some(help) = &self.help {
                    writeln!(
                        f,
                        "{pad} {} help: {help}",
                        console::style("=").blue().bold()
                    )?;
                }
            }
            _ => {
                writeln!(f, " {arrow} {}", self.location())?;
                if let Some(help) = &self.help {
                    writeln!(f, "  {} help: {help}", console::style("=").blue().bold())?;
                }
            }
        }
        Ok(())
    }
}

/// Every problem found in a lesson set; loading fails with all of them at once so an
/// author can fix them in one pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        let count = self.0.len();
        write!(
            f,
            "{count} problem{} in the lessons",
            if count == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(d: &Diagnostic) -> String {
        console::set_colors_enabled(false);
        d.to_string()
    }

    #[test]
    fn renders_location_line_caret_and_help() {
        let text = "steps:\n  - check: [secret.exist, x]\n";
        let d = Diagnostic::at(
            "lessons/a.yaml",
            text,
            Some(Position {
                line: 2,
                column: 13,
            }),
            "unknown check `secret.exist`".into(),
        )
        .with_help("did you mean `secret.exists`?");
        assert_eq!(
            plain(&d),
            "error: unknown check `secret.exist`\n \
             --> lessons/a.yaml:2:13\n  \
             |\n\
             2 |   - check: [secret.exist, x]\n  \
             |             ^^^^^^^^^^^^\n  \
             = help: did you mean `secret.exists`?\n"
        );
    }

    #[test]
    fn underlines_quoted_strings_whole() {
        assert_eq!(token_width(r#"  a: "x, y" # c"#, 6), 6);
        assert_eq!(token_width("  a: plain words  # c", 6), 11);
        assert_eq!(token_width("a:", 9), 1);
        assert_eq!(token_width("    chek: 1", 5), 4, "a key ends at its colon");
        assert_eq!(
            token_width("  - arn:aws:sns:x", 5),
            13,
            "a colon inside a value does not end it"
        );
    }

    #[test]
    fn a_file_level_problem_has_no_snippet() {
        let d = Diagnostic::at("lessons/lab.yaml", "", None, "cannot read".into());
        assert_eq!(d.location(), "lessons/lab.yaml");
        assert_eq!(plain(&d), "error: cannot read\n --> lessons/lab.yaml\n");
    }
}

#[cfg(test)]
mod bound_tests {
    use super::*;

    #[test]
    fn a_megabyte_on_one_line_gives_a_line_of_diagnostic() {
        console::set_colors_enabled(false);
        let value = "x".repeat(1_000_000);
        let text = format!("title: {value}\n");
        let d = Diagnostic::at(
            "lab.yaml",
            &text,
            Some(Position { line: 1, column: 8 }),
            format!("`{value}` is not a title"),
        );
        let shown = d.to_string();
        assert!(shown.len() < 2_000, "{} bytes", shown.len());
        assert!(shown.contains('…'));
        let caret = shown.lines().find(|l| l.contains('^')).unwrap();
        assert_eq!(caret.find('^'), Some(4 + 7), "{shown}");
    }
}
