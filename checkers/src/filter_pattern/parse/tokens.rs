//! A JSON pattern's text as tokens: punctuation, operators, selectors, strings and
//! words, each with where it starts.

use super::ParseError;
use super::cursor::{Cursor, quoted};
use crate::filter_pattern::{Op, Selector, Step};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Token {
    Open,
    Close,
    LParen,
    RParen,
    And,
    Or,
    Op(Op),
    Selector(Selector),
    Text(String),
    Word(String),
    Regex,
}

impl Token {
    /// The token in words, for messages.
    pub(super) fn describe(&self) -> String {
        match self {
            Token::Open => "`{`".into(),
            Token::Close => "`}`".into(),
            Token::LParen => "`(`".into(),
            Token::RParen => "`)`".into(),
            Token::And => "`&&`".into(),
            Token::Or => "`||`".into(),
            Token::Op(_) => "an operator".into(),
            Token::Selector(s) => format!("the selector `{s}`"),
            Token::Text(t) => format!("the string \"{t}\""),
            Token::Word(w) => format!("`{w}`"),
            Token::Regex => "a regular expression".into(),
        }
    }
}

pub(super) fn tokenize(text: &str) -> Result<Vec<(Token, usize)>, ParseError> {
    let mut tokens = Vec::new();
    let mut cursor = Cursor::new(text);
    loop {
        cursor.skip_spaces();
        let start = cursor.at;
        let Some(c) = cursor.next() else { break };
        let pair = |cursor: &mut Cursor, second: char| cursor.next_if(|c| c == second).is_some();
        let token = match c {
            '{' => Token::Open,
            '}' => Token::Close,
            '(' => Token::LParen,
            ')' => Token::RParen,
            '&' if pair(&mut cursor, '&') => Token::And,
            '|' if pair(&mut cursor, '|') => Token::Or,
            '&' | '|' => {
                return Err(ParseError::invalid(
                    format!("`{c}` alone is not an operator: write `{c}{c}`"),
                    start,
                ));
            }
            '=' => Token::Op(Op::Eq),
            '!' if pair(&mut cursor, '=') => Token::Op(Op::Ne),
            '<' if pair(&mut cursor, '=') => Token::Op(Op::Le),
            '>' if pair(&mut cursor, '=') => Token::Op(Op::Ge),
            '<' => Token::Op(Op::Lt),
            '>' => Token::Op(Op::Gt),
            '"' => Token::Text(quoted(&mut cursor, start)?),
            '%' => {
                while cursor.next_if(|c| c != '%').is_some() {}
                cursor.next();
                Token::Regex
            }
            '$' => Token::Selector(selector(&mut cursor, start)?),
            c if is_word_char(c) => {
                let mut word = c.to_string();
                while let Some(c) = cursor.next_if(is_word_char) {
                    word.push(c);
                }
                Token::Word(word)
            }
            other => {
                return Err(ParseError::invalid(
                    format!("`{other}` has no meaning here"),
                    start,
                ));
            }
        };
        tokens.push((token, start));
    }
    Ok(tokens)
}

/// A number as a pattern writes one: digits, a sign, a fraction, an exponent (not
/// `inf` or `NaN`, which are words).
pub(super) fn number(word: &str) -> Result<f64, ()> {
    let digits = word.trim_start_matches(['-', '+']);
    if !digits.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        || !digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
    {
        return Err(());
    }
    word.parse::<f64>().map_err(|_| ())
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '*' | ':' | '/' | '+' | '@')
}

/// `$.a.b[0].c`, the `$` (at `start`) already read.
fn selector(cursor: &mut Cursor, start: usize) -> Result<Selector, ParseError> {
    let mut steps = Vec::new();
    loop {
        let at = cursor.at;
        if cursor.next_if(|c| c == '.').is_some() {
            let mut key = String::new();
            while let Some(c) =
                cursor.next_if(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '@'))
            {
                key.push(c);
            }
            if key.is_empty() {
                return Err(ParseError::invalid(
                    "a field name must follow `.` in a selector",
                    at + 1,
                ));
            }
            steps.push(Step::Key(key));
        } else if cursor.next_if(|c| c == '[').is_some() {
            let mut digits = String::new();
            while let Some(c) = cursor.next_if(|c| c != ']') {
                digits.push(c);
            }
            if cursor.next().is_none() {
                return Err(ParseError::invalid("this `[` is never closed", at));
            }
            match digits.trim().parse::<usize>() {
                Ok(index) => steps.push(Step::Index(index)),
                Err(_) if digits.trim() == "*" => {
                    return Err(ParseError::unsupported(
                        "array wildcards (`[*]`) in selectors",
                        at,
                    ));
                }
                Err(_) => {
                    return Err(ParseError::invalid(
                        format!("`[{digits}]` is not an array index: write a number, like `[0]`"),
                        at,
                    ));
                }
            }
        } else {
            break;
        }
    }
    if steps.is_empty() {
        return Err(ParseError::invalid(
            "a selector must name a field, like `$.eventName`",
            start,
        ));
    }
    Ok(Selector(steps))
}
