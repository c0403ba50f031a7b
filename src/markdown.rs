//! Lesson Markdown for the terminal: headings, **bold**, *emphasis*, `code`, fenced
//! code blocks and lists, styled with `console` (plain where colour is off) and
//! wrapped to the terminal's width. Enough for lesson text; not a general Markdown
//! engine.
//!
//! Lessons are written with line breaks of their own; a paragraph or a list item is
//! read whole (so `**bold**` may span a break) and wrapped anew, each word styled on
//! its own so that no style runs on past the end of a line.

use console::style;

/// The widest a paragraph is wrapped to, whatever the terminal: longer lines are
/// hard to read.
const MAX_WIDTH: usize = 100;

/// The width to wrap to: the terminal's, at most [`MAX_WIDTH`]. Output that is
/// not a terminal (a log, a pipe) is not wrapped: a paragraph is one line, for
/// whatever reads it to wrap or search.
pub fn terminal_width() -> usize {
    let term = console::Term::stdout();
    if term.is_term() {
        usize::from(term.size().1).min(MAX_WIDTH)
    } else {
        usize::MAX / 2
    }
}

/// The terminal's height in lines, when stdout is a terminal.
pub fn terminal_height() -> Option<usize> {
    let term = console::Term::stdout();
    term.is_term().then(|| usize::from(term.size().0))
}

/// Renders `text` for the terminal, indenting every line by `indent` spaces.
pub fn render(text: &str, indent: usize) -> String {
    render_to(text, indent, terminal_width())
}

/// Renders `text` with every line indented by `indent` spaces and, but for code
/// blocks and words longer than the line, at most `width` columns wide.
pub fn render_to(text: &str, indent: usize, width: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    for block in blocks(text) {
        match block {
            // Flush left, whatever the indent: pasted into a shell, a here-document's
            // end marker must start its line, and leading spaces would hide it.
            Block::Code(lines) => {
                for line in lines {
                    out.push_str(&format!("{}\n", style(line).cyan()));
                }
            }
            Block::Heading(text) => {
                let heading = style(text).bold().underlined();
                out.push_str(&format!("{pad}{heading}\n"));
            }
            Block::Blank => out.push('\n'),
            Block::Text { marker, text } => {
                let hang = " ".repeat(marker.chars().count());
                let first = format!("{pad}{marker}");
                let rest = format!("{pad}{hang}");
                let room = width.saturating_sub(indent + hang.len()).max(20);
                for (i, line) in wrap(&words(&text), room).iter().enumerate() {
                    let lead = if i == 0 { &first } else { &rest };
                    out.push_str(&format!("{lead}{line}\n"));
                }
            }
        }
    }
    out
}

/// Plain text (no markup read: backticks and stars stay) wrapped to `width`,
/// every line indented by `indent` spaces, the first led by `lead` (already styled,
/// e.g. `fix: `) and the others hanging under it.
pub fn wrap_text(lead: &str, text: &str, indent: usize, width: usize) -> String {
    let pad = " ".repeat(indent);
    let hang = " ".repeat(console::measure_text_width(lead));
    let room = width.saturating_sub(indent + hang.len()).max(20);
    let words: Vec<Vec<(Style, String)>> = text
        .split_whitespace()
        .map(|w| vec![(Style::Plain, w.to_string())])
        .collect();
    let mut out = String::new();
    for (i, line) in wrap(&words, room).iter().enumerate() {
        let lead = if i == 0 { lead } else { &hang };
        out.push_str(&format!("{pad}{lead}{line}\n"));
    }
    out
}

/// A piece of lesson text.
#[derive(Debug, PartialEq)]
enum Block<'t> {
    /// A fenced code block's lines, as written.
    Code(Vec<&'t str>),
    /// A heading's text.
    Heading(&'t str),
    /// A blank line between paragraphs.
    Blank,
    /// A paragraph, or a list item with its marker (`- `, `1. `), its lines joined.
    Text { marker: String, text: String },
}

/// Splits `text` into blocks: fenced code, headings, blank lines, and paragraphs or
/// list items (a line that starts a list item, or follows a blank line or a
/// heading, starts a new one; any other line continues the one before).
fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut blocks = Vec::new();
    let mut code: Option<Vec<&str>> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            match code.take() {
                Some(lines) => blocks.push(Block::Code(lines)),
                None => code = Some(Vec::new()),
            }
            continue;
        }
        if let Some(lines) = &mut code {
            lines.push(line);
            continue;
        }
        if trimmed.is_empty() {
            blocks.push(Block::Blank);
        } else if let Some(heading) = trimmed.strip_prefix('#') {
            blocks.push(Block::Heading(heading.trim_start_matches('#').trim()));
        } else if let Some((marker, rest)) = list_marker(line) {
            blocks.push(Block::Text {
                marker,
                text: rest.trim().to_string(),
            });
        } else if let Some(Block::Text { text, .. }) = blocks.last_mut() {
            text.push(' ');
            text.push_str(trimmed);
        } else {
            blocks.push(Block::Text {
                marker: String::new(),
                text: trimmed.to_string(),
            });
        }
    }
    if let Some(lines) = code {
        blocks.push(Block::Code(lines));
    }
    blocks
}

/// A list item's marker as it will be printed (its indent, the bullet or number, a
/// space), and the rest of the line.
fn list_marker(line: &str) -> Option<(String, &str)> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    let after = if let Some(rest) = trimmed
        .strip_prefix("- ")
        .or_else(|| trimmed.strip_prefix("* "))
    {
        rest
    } else {
        let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
        let rest = trimmed[digits..].strip_prefix(". ")?;
        (digits > 0).then_some(rest)?
    };
    let marker = &trimmed[..trimmed.len() - after.len()];
    Some((format!("{indent}{marker}"), after))
}

/// How a run of text is styled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Bold,
    Emphasis,
    Code,
}

/// The text as styled words: `**bold**`, `*emphasis*` / `_emphasis_` and
/// `` `code` ``, wherever they open and close. A code span is one word: a command
/// is never broken across lines.
fn words(text: &str) -> Vec<Vec<(Style, String)>> {
    let mut words: Vec<Vec<(Style, String)>> = vec![Vec::new()];
    let mut push = |style: Style, text: &str| {
        let parts: Vec<&str> = if style == Style::Code {
            vec![text]
        } else {
            text.split(' ').collect()
        };
        for (i, part) in parts.into_iter().enumerate() {
            if i > 0 {
                words.push(Vec::new());
            }
            if !part.is_empty() {
                words
                    .last_mut()
                    .expect("never empty")
                    .push((style, part.to_string()));
            }
        }
    };
    let mut rest = text;
    while let Some(start) = rest.find(['*', '`', '_']) {
        let (before, from) = rest.split_at(start);
        push(Style::Plain, before);
        let (marker, style) = if from.starts_with("**") {
            ("**", Style::Bold)
        } else if from.starts_with('`') {
            ("`", Style::Code)
        } else if from.starts_with('*') {
            ("*", Style::Emphasis)
        } else {
            ("_", Style::Emphasis)
        };
        let body = &from[marker.len()..];
        // A lone marker is text, not emphasis; `_` opens only at a word's start
        // (snake_case names stay as they are).
        let closes = body
            .find(marker)
            .filter(|&end| end > 0 && !body.starts_with(' '));
        match closes {
            Some(end) if marker != "_" || word_boundary(before) => {
                push(style, &body[..end]);
                rest = &body[end + marker.len()..];
            }
            _ => {
                push(Style::Plain, marker);
                rest = body;
            }
        }
    }
    push(Style::Plain, rest);
    words.retain(|w| !w.is_empty());
    words
}

fn word_boundary(before: &str) -> bool {
    before
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric())
}

/// The words in lines of at most `width` columns (a longer word has a line of
/// its own), each styled.
fn wrap(words: &[Vec<(Style, String)>], width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in words {
        let size: usize = word
            .iter()
            .map(|(_, t)| console::measure_text_width(t))
            .sum();
        if used > 0 && used + 1 + size > width {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if used > 0 {
            line.push(' ');
            used += 1;
        }
        for (kind, text) in word {
            let styled = match kind {
                Style::Plain => text.clone(),
                Style::Bold => style(text).bold().to_string(),
                Style::Emphasis => style(text).italic().to_string(),
                Style::Code => style(text).cyan().to_string(),
            };
            line.push_str(&styled);
        }
        used += size;
    }
    if used > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> String {
        console::set_colors_enabled(false);
        render_to(text, 2, 80)
    }

    #[test]
    fn strips_markup_when_colour_is_off() {
        assert_eq!(
            plain("# Title\nOpen **Secrets Manager** and run `aws s3 ls`.\n"),
            "  Title\n  Open Secrets Manager and run aws s3 ls.\n"
        );
        assert_eq!(plain("*Pending* and _italic_"), "  Pending and italic\n");
    }

    #[test]
    fn keeps_lists_names_and_code_blocks() {
        assert_eq!(
            plain("- one\n* two\n1. three"),
            "  - one\n  * two\n  1. three\n"
        );
        assert_eq!(
            plain("role_name and my_group"),
            "  role_name and my_group\n"
        );
        // Code stays flush left, as it would be pasted: a here-document's body and
        // end marker start their lines.
        assert_eq!(
            plain("```\naws --x\n    --y\ncat > p.json <<EOF\n{}\nEOF\n```"),
            "aws --x\n    --y\ncat > p.json <<EOF\n{}\nEOF\n"
        );
        assert_eq!(plain("a * b and 2*3"), "  a * b and 2*3\n");
    }

    #[test]
    fn paragraphs_are_wrapped_to_the_width_and_styles_span_breaks() {
        console::set_colors_enabled(false);
        let text = "A **metric\nfilter** counts the reads of every secret in the account, and an alarm watches it.\n\n\
                    10. A numbered item long enough to wrap onto a second line under its own text.";
        let rendered = render_to(text, 2, 40);
        assert_eq!(
            rendered,
            "  A metric filter counts the reads of\n  every secret in the account, and an\n  alarm watches it.\n\n  \
             10. A numbered item long enough to\n      wrap onto a second line under its\n      own text.\n"
        );
        assert!(rendered.lines().all(|l| l.chars().count() <= 40));
        assert!(!rendered.contains("**"));
    }

    #[test]
    fn each_word_carries_its_own_style() {
        let styled = |style: Style, text: &str| vec![(style, text.to_string())];
        assert_eq!(
            words("x **bold words** `lab sandbox mail`."),
            [
                styled(Style::Plain, "x"),
                styled(Style::Bold, "bold"),
                styled(Style::Bold, "words"),
                vec![
                    (Style::Code, "lab sandbox mail".to_string()),
                    (Style::Plain, ".".to_string())
                ],
            ]
        );
    }
}
