//! Lesson Markdown for the terminal: headings, **bold**, *emphasis*, `code`, fenced
//! code blocks and lists, styled with `console` (plain where colour is off).
//! Enough for lesson text; not a general Markdown engine.

use console::style;

/// Renders `text` for a terminal, indenting every line by `indent` spaces.
pub fn render(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    let mut in_code = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            out.push_str(&format!("{pad}    {}\n", style(line).cyan()));
            continue;
        }
        let rendered = if let Some(heading) = trimmed.strip_prefix('#') {
            style(heading.trim_start_matches('#').trim())
                .bold()
                .underlined()
                .to_string()
        } else {
            inline(line)
        };
        out.push_str(&format!("{pad}{rendered}\n"));
    }
    out
}

/// `**bold**`, `*emphasis*` / `_emphasis_`, and `` `code` `` inside one line.
fn inline(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find(['*', '`', '_']) {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let (marker, styled): (&str, fn(&str) -> String) = if from.starts_with("**") {
            ("**", |s| style(s).bold().to_string())
        } else if from.starts_with('`') {
            ("`", |s| style(s).cyan().to_string())
        } else if from.starts_with('*') {
            ("*", |s| style(s).italic().to_string())
        } else {
            ("_", |s| style(s).italic().to_string())
        };
        let body = &from[marker.len()..];
        // A list bullet or a lone marker is text, not emphasis.
        let closes = body
            .find(marker)
            .filter(|&end| end > 0 && !body.starts_with(' '));
        match closes {
            Some(end) if marker != "_" || word_boundary(before) => {
                out.push_str(&styled(&body[..end]));
                rest = &body[end + marker.len()..];
            }
            _ => {
                out.push_str(marker);
                rest = body;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `_` only opens emphasis at the start of a word (snake_case names stay as they are).
fn word_boundary(before: &str) -> bool {
    before
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> String {
        console::set_colors_enabled(false);
        render(text, 2)
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
        assert_eq!(plain("```\naws --x\n```"), "      aws --x\n");
        assert_eq!(plain("a * b and 2*3"), "  a * b and 2*3\n");
    }
}
