//! The term form: `ERROR`, `"quoted phrase"`, `?a ?b`, `-term`.

use super::ParseError;
use super::cursor::{Cursor, quoted};
use crate::filter_pattern::{Term, Terms};

pub(super) fn terms(text: &str) -> Result<Terms, ParseError> {
    let mut cursor = Cursor::new(text);
    let (mut include, mut exclude, mut optional) = (Vec::new(), Vec::new(), Vec::new());
    loop {
        cursor.skip_spaces();
        let Some(first) = cursor.peek() else { break };
        let start = cursor.at;
        let prefix = cursor.next_if(|c| c == '?' || c == '-');
        let term = if cursor.next_if(|c| c == '"').is_some() {
            Term {
                text: quoted(&mut cursor, start)?,
                quoted: true,
            }
        } else {
            let mut word = String::new();
            while let Some(c) = cursor.next_if(|c| !c.is_ascii_whitespace()) {
                word.push(c);
            }
            if word.is_empty() {
                return Err(ParseError::invalid(
                    format!("`{first}` must be followed by a term, with no space between"),
                    start,
                ));
            }
            if word.contains('%') {
                return Err(ParseError::unsupported(
                    "regular expressions in terms",
                    start,
                ));
            }
            Term {
                text: word,
                quoted: false,
            }
        };
        match prefix {
            Some('-') => exclude.push(term),
            Some(_) => {
                optional.push(start);
                include.push(term);
            }
            None => include.push(term),
        }
    }
    if !optional.is_empty() && optional.len() != include.len() {
        return Err(ParseError::unsupported(
            "patterns that mix `?` terms with required terms",
            optional[0],
        ));
    }
    Ok(Terms {
        include,
        any: !optional.is_empty(),
        exclude,
    })
}
