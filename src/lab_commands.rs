//! `lab`'s own commands, as printed for a learner: with the flags they run `lab`
//! with (`--lab ID`, `--lessons DIR`, `--sandbox`, `--profile NAME`, ...), so that
//! what they copy runs the same lab in the same account, each word quoted for a
//! shell as needed. Lesson texts and check fixes name commands plainly (`lab
//! cleanup`); the guide and the handbook add the learner's flags as they print them.

/// The flag that names `lab` (empty for the default lab), with a leading space.
pub fn lab_flag(lab: &crate::lesson::LessonSource) -> String {
    match lab {
        crate::lesson::LessonSource::Dir(dir) => {
            format!(" --lessons {}", shell_quote(&dir.to_string_lossy()))
        }
        crate::lesson::LessonSource::BuiltIn(_) if lab.is_default() => String::new(),
        crate::lesson::LessonSource::BuiltIn(built_in) => {
            format!(" --lab {}", shell_quote(built_in.id))
        }
    }
}

/// `markdown` with `flags` after each of `lab`'s commands that reaches an account:
/// in inline code (as [`with_flags`]) and at the start of a line in a code block,
/// where a reader pastes it from (the handbook of a lab other than the default).
pub fn in_markdown(markdown: &str, flags: &str) -> String {
    if flags.is_empty() {
        return markdown.to_string();
    }
    let mut in_code = false;
    let mut out = String::with_capacity(markdown.len());
    for line in markdown.split_inclusive('\n') {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            out.push_str(line);
        } else if in_code {
            out.push_str(&command_line(line, flags));
        } else {
            out.push_str(&with_flags(line, flags));
        }
    }
    out
}

/// A line of a code block with `flags` after `lab SUBCOMMAND`, if it starts so.
fn command_line(line: &str, flags: &str) -> String {
    let command = line.trim_start();
    let indent = &line[..line.len() - command.len()];
    let Some(rest) = command.strip_prefix("lab ") else {
        return line.to_string();
    };
    let word_end = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    let (word, tail) = rest.split_at(word_end);
    if REACHING.contains(&word) && !tail.starts_with(flags) {
        format!("{indent}lab {word}{flags}{tail}")
    } else {
        line.to_string()
    }
}

/// The subcommands that reach an account, and so take the learner's flags.
const REACHING: &[&str] = &["run", "check", "cleanup", "status", "reset", "whoami"];

/// `text` with `flags` after every `` `lab SUBCOMMAND`` that reaches an account and
/// does not already carry them.
pub fn with_flags(text: &str, flags: &str) -> String {
    if flags.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("`lab ") {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let after_lab = &from["`lab ".len()..];
        let word_end = after_lab
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(after_lab.len());
        let word = &after_lab[..word_end];
        let tail = &after_lab[word_end..];
        out.push_str("`lab ");
        out.push_str(word);
        if REACHING.contains(&word)
            && (tail.starts_with(' ') || tail.starts_with('`'))
            && !tail.starts_with(flags)
        {
            out.push_str(flags);
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// `word` quoted for a POSIX shell: as it is when it needs no quoting, else in
/// single quotes.
pub fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@:/-".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_only_when_they_must_be() {
        assert_eq!(
            shell_quote("OrganizationAccountAccessRole"),
            "OrganizationAccountAccessRole"
        );
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn commands_that_reach_an_account_carry_the_flags_once() {
        let text = "run `lab check --stage cleanup`, then `lab cleanup`; `lab sandbox mail` \
                    and `lab checks` are other words; `lab run --sandbox` has them already";
        assert_eq!(
            with_flags(text, " --sandbox"),
            "run `lab check --sandbox --stage cleanup`, then `lab cleanup --sandbox`; \
             `lab sandbox mail` and `lab checks` are other words; `lab run --sandbox` has them already"
        );
        assert_eq!(with_flags(text, ""), text);
    }

    #[test]
    fn a_handbook_names_its_lab_in_code_blocks_and_inline() {
        let text = "Run `lab run --sandbox`.\n\n```bash\nlab check --step 2.1\n  lab cleanup\nlab sandbox mail\necho lab check\n```\n";
        assert_eq!(
            in_markdown(text, " --lab other"),
            "Run `lab run --lab other --sandbox`.\n\n```bash\nlab check --lab other --step 2.1\n  lab cleanup --lab other\nlab sandbox mail\necho lab check\n```\n"
        );
        assert_eq!(in_markdown(text, ""), text);
    }

    #[test]
    fn the_flags_carry_the_lessons_folder_quoted_for_a_shell() {
        let options = crate::aws::AwsOptions {
            lab: crate::lesson::LessonSource::Dir("my labs/root".into()),
            profile: Some("dev".into()),
            ..Default::default()
        };
        assert_eq!(options.flags(), " --lessons 'my labs/root' --profile dev");
        assert_eq!(
            with_flags("then `lab check --stage 2`", &options.flags()),
            "then `lab check --lessons 'my labs/root' --profile dev --stage 2`"
        );
    }
}
