//! `lab`'s own commands, as printed for a learner: with the flags they run `lab`
//! with (`--lab ID`, `--lessons DIR`, `--sandbox`, `--profile NAME`, ...), so that what they copy
//! runs the same lab in the same account, each word quoted for a shell as needed. Lesson texts and check fixes name commands plainly (`lab cleanup`); the
//! guide adds the learner's flags as it prints them.

/// The flag that names `lab` (empty for the default lab), with a leading space.
pub fn lab_flag(lab: &crate::lesson::LessonSource) -> String {
    match lab {
        crate::lesson::LessonSource::Dir(dir) => {
            format!(" --lessons {}", shell_quote(&dir.to_string_lossy()))
        }
        crate::lesson::LessonSource::BuiltIn(built_in)
            if built_in.id != crate::lesson::source::BUILT_IN[0].id =>
        {
            format!(" --lab {}", shell_quote(built_in.id))
        }
        crate::lesson::LessonSource::BuiltIn(_) => String::new(),
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
