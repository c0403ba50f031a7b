//! The lessons' CLI as bash that pastes as it is: where the guide fills a
//! placeholder with the learner's value, the handbook writes a shell variable set
//! once at the top of the chapter (`${REGION}`, `${ACCOUNT_ID}`), quoted so that
//! bash expands it wherever it stands, inside `'…'` JSON included.

use std::collections::{BTreeMap, BTreeSet};

use crate::lesson::template::{Piece, Template};
use crate::lesson::{Lab, Variable};

/// A value in a CLI block: text as it is, or a shell variable's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Word {
    /// Text written as it is (a lab default such as `TopSecretInfo`).
    Text(String),
    /// A shell variable (`REGION`), set at the top of the chapter.
    Variable(String),
}

/// How each placeholder reads in the handbook's bash: built-ins and variables with
/// no default are shell variables; a default is its own text, its placeholders
/// read the same way (`secrets-manager-trail-${ACCOUNT_ID}-${REGION}`).
pub(super) fn words(lab: &Lab) -> BTreeMap<String, Vec<Word>> {
    let mut words: BTreeMap<String, Vec<Word>> = crate::lesson::template::BUILT_INS
        .iter()
        .map(|name| (name.to_string(), vec![Word::Variable(variable_name(name))]))
        .collect();
    for variable in &lab.variables {
        let value = match &variable.default {
            None => vec![Word::Variable(variable_name(&variable.name))],
            Some(default) => default
                .pieces()
                .into_iter()
                .flat_map(|piece| match piece {
                    Piece::Text(text) => vec![Word::Text(text.to_string())],
                    Piece::Name(name) => words.get(name).cloned().unwrap_or_default(),
                })
                .collect(),
        };
        words.insert(variable.name.clone(), value);
    }
    words
}

/// The shell variable that stands for a lab variable: its name in capitals.
pub(super) fn variable_name(name: &str) -> String {
    name.to_ascii_uppercase()
}

/// The shell variables `template` uses once rendered with `words`.
pub(super) fn variables_used(
    template: &Template,
    words: &BTreeMap<String, Vec<Word>>,
) -> BTreeSet<String> {
    template
        .names()
        .into_iter()
        .flat_map(|name| words.get(name).into_iter().flatten())
        .filter_map(|word| match word {
            Word::Variable(name) => Some(name.clone()),
            Word::Text(_) => None,
        })
        .collect()
}

/// `template` as bash: each placeholder's words, every shell variable quoted for
/// where it stands (`${REGION}` in plain words and `"…"`, `'"${REGION}"'` inside
/// `'…'`).
pub(super) fn render(template: &Template, words: &BTreeMap<String, Vec<Word>>) -> String {
    let mut out = String::new();
    let mut quoting = Quoting::default();
    for piece in template.pieces() {
        match piece {
            Piece::Text(text) => {
                quoting.read(text);
                out.push_str(text);
            }
            Piece::Name(name) => {
                for word in words.get(name).into_iter().flatten() {
                    let text = match word {
                        Word::Text(text) => text.clone(),
                        Word::Variable(variable) if quoting.in_single_quotes() => {
                            format!("'\"${{{variable}}}\"'")
                        }
                        Word::Variable(variable) => format!("${{{variable}}}"),
                    };
                    quoting.read(&text);
                    out.push_str(&text);
                }
            }
        }
    }
    out
}

/// The lines that set a chapter's shell variables, one per variable, each with
/// what it holds: the region and account are asked of the AWS CLI, a variable the
/// lab asks for takes the lessons' example.
pub(super) fn setup(lab: &Lab, variables: &BTreeSet<String>) -> String {
    let mut lines = Vec::new();
    for variable in variables {
        let line = match variable.as_str() {
            "REGION" => {
                // The environment first: the sandbox's `eval "$(lab sandbox env)"` and
                // CloudShell set AWS_REGION and leave the CLI's configuration empty.
                "REGION=${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region)}}   # or set it: REGION=us-east-1".to_string()
            }
            "ACCOUNT_ID" => {
                "ACCOUNT_ID=$(aws sts get-caller-identity --query Account --output text)"
                    .to_string()
            }
            _ => match lab
                .variables
                .iter()
                .find(|v| &variable_name(&v.name) == variable)
            {
                Some(Variable {
                    description,
                    example,
                    ..
                }) => format!(
                    "{variable}='{}'   # {description}",
                    example.as_deref().unwrap_or("")
                ),
                None => format!("{variable}=''"),
            },
        };
        lines.push(line);
    }
    lines.join("\n")
}

/// Where bash is at a point of a script, as far as quoting goes: enough of its
/// grammar to know whether `${NAME}` would expand there as it stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Quoting {
    /// The quotes, comment or here-document the point is in.
    inside: Inside,
    /// The last character read, if any.
    previous: Option<char>,
    /// Here-documents opened on the current line (`<<EOF`), which start on the
    /// next: each one's closing word.
    pending: Vec<String>,
    /// The current line of a here-document, to spot its closing word.
    line: String,
}

/// What a point of a script is inside.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum Inside {
    /// Nothing: plain words.
    #[default]
    Nothing,
    /// `'…'`, where nothing expands.
    Single,
    /// `"…"`.
    Double,
    /// A `#` comment, to the end of the line.
    Comment,
    /// The body of a here-document, until a line holding only its closing word.
    HereDocument(String),
}

impl Quoting {
    /// Whether a variable at this point needs its quotes closed around it.
    fn in_single_quotes(&self) -> bool {
        self.inside == Inside::Single
    }

    /// Reads `text`.
    fn read(&mut self, text: &str) {
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match (&self.inside, c) {
                (Inside::HereDocument(word), '\n') => {
                    if self.line.trim_start_matches('\t') == word {
                        self.inside = self.next_line();
                    }
                    self.line.clear();
                }
                (Inside::HereDocument(_), c) => self.line.push(c),
                (Inside::Nothing | Inside::Double, '\\') => {
                    self.previous = chars.next();
                    continue;
                }
                (Inside::Nothing, '\'') => self.inside = Inside::Single,
                (Inside::Nothing, '"') => self.inside = Inside::Double,
                (Inside::Nothing, '#') if self.previous.is_none_or(char::is_whitespace) => {
                    self.inside = Inside::Comment
                }
                (Inside::Nothing, '<') if chars.peek() == Some(&'<') => {
                    chars.next();
                    if chars.peek() == Some(&'<') {
                        // `<<<`: a here-string; a plain word follows.
                        chars.next();
                    } else {
                        chars.next_if_eq(&'-');
                        while chars.next_if_eq(&' ').is_some() {}
                        let mut word = String::new();
                        while let Some(c) =
                            chars.next_if(|c| !c.is_whitespace() && !";&|)".contains(*c))
                        {
                            if !"'\"\\".contains(c) {
                                word.push(c);
                            }
                        }
                        self.pending.push(word);
                    }
                }
                (Inside::Nothing | Inside::Comment, '\n') => self.inside = self.next_line(),
                (Inside::Single, '\'') | (Inside::Double, '"') => self.inside = Inside::Nothing,
                _ => {}
            }
            self.previous = Some(c);
        }
    }

    /// What a new line starts in: the first pending here-document, or nothing.
    fn next_line(&mut self) -> Inside {
        if self.pending.is_empty() {
            Inside::Nothing
        } else {
            Inside::HereDocument(self.pending.remove(0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(text: &str) -> Template {
        crate::lesson::template::parse(text, |_| true).unwrap()
    }

    fn region_and_bucket() -> BTreeMap<String, Vec<Word>> {
        BTreeMap::from([
            ("region".to_string(), vec![Word::Variable("REGION".into())]),
            (
                "bucket".to_string(),
                vec![Word::Text("trail-".into()), Word::Variable("REGION".into())],
            ),
            ("name".to_string(), vec![Word::Text("My secret".into())]),
        ])
    }

    #[test]
    fn variables_are_quoted_for_where_they_stand() {
        let words = region_and_bucket();
        let script = render(
            &template(
                "aws s3 mb s3://{{bucket}} --region {{region}} --name \"{{name}}\" \
                 --policy '{\"Resource\": \"arn:aws:s3:::{{bucket}}\"}' # it's {{region}}",
            ),
            &words,
        );
        assert_eq!(
            script,
            "aws s3 mb s3://trail-${REGION} --region ${REGION} --name \"My secret\" \
             --policy '{\"Resource\": \"arn:aws:s3:::trail-'\"${REGION}\"'\"}' # it's ${REGION}"
        );
    }

    fn after(text: &str) -> Inside {
        let mut quoting = Quoting::default();
        quoting.read(text);
        quoting.inside
    }

    #[test]
    fn quotes_in_comments_and_escapes_do_not_count() {
        assert_eq!(after("# the account's policy\n"), Inside::Nothing);
        assert_eq!(after("echo don\\'t "), Inside::Nothing);
        assert_eq!(after("echo '#not a comment "), Inside::Single);
        assert_eq!(after("a#b '"), Inside::Single);
        assert_eq!(after("\"it's \\\" "), Inside::Double);
    }

    #[test]
    fn here_documents_run_from_the_next_line_to_their_word() {
        let opened = "cat > p.json <<EOF\n{\"it's\": \"";
        assert_eq!(after(opened), Inside::HereDocument("EOF".into()));
        assert_eq!(after(&format!("{opened}\"}}\nEOF\necho '")), Inside::Single);
        assert_eq!(
            after("cat <<-'END' # a comment\n\tx\n\tEND\n"),
            Inside::Nothing
        );
        assert_eq!(after("cat <<< '"), Inside::Single);
    }

    #[test]
    fn a_here_document_expands_its_variables_as_they_stand() {
        let words = region_and_bucket();
        let script = render(
            &template(
                "cat > p.json <<EOF\n{\"it's\": \"{{bucket}}\", \"r\": {{region}}}\nEOF\necho '{{region}}'",
            ),
            &words,
        );
        assert_eq!(
            script,
            "cat > p.json <<EOF\n{\"it's\": \"trail-${REGION}\", \"r\": ${REGION}}\nEOF\necho ''\"${REGION}\"''"
        );
    }

    #[test]
    fn the_variables_used_follow_defaults() {
        let words = region_and_bucket();
        let used = variables_used(&template("{{name}} {{bucket}}"), &words);
        assert_eq!(used, BTreeSet::from(["REGION".to_string()]));
        assert!(variables_used(&template("{{name}}"), &words).is_empty());
    }
}
