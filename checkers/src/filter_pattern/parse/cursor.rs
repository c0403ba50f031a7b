//! Reading the text a character at a time, and the quoted strings both forms of
//! pattern share.

use super::ParseError;

/// The text being read, a character at a time, with the position of each.
pub(super) struct Cursor {
    chars: Vec<char>,
    pub(super) at: usize,
}

impl Cursor {
    pub(super) fn new(text: &str) -> Self {
        Cursor {
            chars: text.chars().collect(),
            at: 0,
        }
    }

    pub(super) fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    pub(super) fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.at += 1;
        }
        c
    }

    pub(super) fn next_if(&mut self, wanted: impl Fn(char) -> bool) -> Option<char> {
        self.peek().filter(|c| wanted(*c)).inspect(|_| self.at += 1)
    }

    pub(super) fn skip_spaces(&mut self) {
        // Only ASCII spaces separate: a no-break space is part of a term, as text.
        while self.next_if(|c| c.is_ascii_whitespace()).is_some() {}
    }
}

/// The rest of a double-quoted string, the opening quote (at `start`) already read.
pub(super) fn quoted(cursor: &mut Cursor, start: usize) -> Result<String, ParseError> {
    let mut out = String::new();
    loop {
        match cursor.next() {
            None => {
                return Err(ParseError::invalid(
                    "this quote is never closed: add a `\"` at the end of the text",
                    start,
                ));
            }
            Some('"') => return Ok(out),
            Some('\\') => match cursor.next() {
                Some(c @ ('"' | '\\')) => out.push(c),
                Some(c) => {
                    return Err(ParseError::unsupported(
                        &format!("backslash escapes other than `\\\"` and `\\\\` (here `\\{c}`)"),
                        cursor.at - 2,
                    ));
                }
                None => {
                    return Err(ParseError::invalid(
                        "the pattern ends in `\\` inside a quoted string",
                        cursor.at,
                    ));
                }
            },
            Some(c) => out.push(c),
        }
    }
}
