//! The JSON form: a small recursive-descent parser over the tokens, for `&&`, `||`,
//! parentheses and the tests on each field.

use super::tokens::{Token, number, tokenize};
use super::{ParseError, ParseErrorKind};
use crate::filter_pattern::{Expr, Op, Selector, Test, Value};

/// How deeply parentheses may nest (far beyond any pattern a person writes).
const MAX_NESTING: usize = 32;

/// JSON patterns: a small recursive-descent parser over tokens.
pub(super) fn json(text: &str) -> Result<Expr, ParseError> {
    let tokens = tokenize(text)?;
    let end = text.chars().count();
    let mut parser = Parser {
        tokens,
        at: 0,
        end,
        depth: 0,
    };
    parser.expect(&Token::Open, "a JSON pattern starts with `{`")?;
    let expr = parser.or()?;
    parser.expect(&Token::Close, "close the pattern with `}`")?;
    if let Some((_, at)) = parser.tokens.get(parser.at) {
        return Err(ParseError::invalid(
            "there is text after the closing `}`",
            *at,
        ));
    }
    Ok(expr)
}

struct Parser {
    tokens: Vec<(Token, usize)>,
    at: usize,
    /// The position just past the text, for errors at its end.
    end: usize,
    /// How many `(` are open.
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|(t, _)| t)
    }

    /// The next token and where it starts (`None` at the end, placed there).
    fn next(&mut self) -> (Option<Token>, usize) {
        let next = match self.tokens.get(self.at) {
            Some((token, at)) => (Some(token.clone()), *at),
            None => (None, self.end),
        };
        self.at += 1;
        next
    }

    fn found(token: &Option<Token>) -> String {
        token
            .as_ref()
            .map_or_else(|| "the end of the pattern".into(), Token::describe)
    }

    fn expect(&mut self, wanted: &Token, hint: &str) -> Result<(), ParseError> {
        match self.next() {
            (Some(token), _) if token == *wanted => Ok(()),
            (Some(Token::Word(word)), at)
                if matches!(word.as_str(), "AND" | "and" | "OR" | "or") =>
            {
                let write = if word.eq_ignore_ascii_case("and") {
                    "&&"
                } else {
                    "||"
                };
                Err(ParseError::invalid(
                    format!("`{word}` is not an operator here: write `{write}`"),
                    at,
                ))
            }
            (other, at) => Err(ParseError::invalid(
                format!(
                    "expected {} here, found {}: {hint}",
                    wanted.describe(),
                    Self::found(&other)
                ),
                at,
            )),
        }
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.and()?;
        while self.peek() == Some(&Token::Or) {
            self.next();
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.atom()?;
        while self.peek() == Some(&Token::And) {
            self.next();
            left = Expr::And(Box::new(left), Box::new(self.atom()?));
        }
        Ok(left)
    }

    fn atom(&mut self) -> Result<Expr, ParseError> {
        match self.next() {
            (Some(Token::LParen), at) => {
                if self.depth == MAX_NESTING {
                    return Err(ParseError {
                        kind: ParseErrorKind::Unsupported,
                        message: format!(
                            "parentheses nested more than {MAX_NESTING} deep are not read by lab"
                        ),
                        at,
                    });
                }
                self.depth += 1;
                let expr = self.or()?;
                self.depth -= 1;
                match self.next() {
                    (Some(Token::RParen), _) => Ok(expr),
                    (other, _) => Err(ParseError::invalid(
                        format!(
                            "this `(` is never closed: expected `)` before {}",
                            Self::found(&other)
                        ),
                        at,
                    )),
                }
            }
            (Some(Token::Selector(selector)), _) => self.test(selector),
            (other, at) => Err(ParseError::invalid(
                format!(
                    "expected a selector like `$.eventName` here, found {}",
                    Self::found(&other)
                ),
                at,
            )),
        }
    }

    fn test(&mut self, selector: Selector) -> Result<Expr, ParseError> {
        let (token, at) = self.next();
        let test = match token {
            Some(Token::Op(op)) => match self.next() {
                (Some(Token::Text(text)), _) if matches!(op, Op::Eq | Op::Ne) => {
                    Test::Compare(op, Value::Text(text))
                }
                (Some(Token::Text(_)), value_at) => {
                    return Err(ParseError::invalid(
                        "strings can only be compared with `=` and `!=`",
                        value_at,
                    ));
                }
                (Some(Token::Word(word)), value_at) => match number(&word) {
                    Ok(number) => Test::Compare(op, Value::Number(number)),
                    Err(_) if matches!(op, Op::Eq | Op::Ne) => Test::Compare(op, Value::Text(word)),
                    Err(_) => {
                        return Err(ParseError::invalid(
                            "strings can only be compared with `=` and `!=`",
                            value_at,
                        ));
                    }
                },
                (Some(Token::Regex), value_at) => {
                    return Err(ParseError::unsupported(
                        "regular expressions in JSON patterns",
                        value_at,
                    ));
                }
                (Some(Token::Op(Op::Eq)), value_at) if op == Op::Eq => {
                    return Err(ParseError::invalid(
                        "`==` is not an operator: write `=`",
                        value_at - 1,
                    ));
                }
                (other, value_at) => {
                    return Err(ParseError::invalid(
                        format!(
                            "expected a value after the operator, found {}",
                            Self::found(&other)
                        ),
                        value_at,
                    ));
                }
            },
            Some(Token::Word(word)) if word == "IS" => match self.next() {
                (Some(Token::Word(w)), _) if w == "TRUE" => Test::IsBool(true),
                (Some(Token::Word(w)), _) if w == "FALSE" => Test::IsBool(false),
                (Some(Token::Word(w)), _) if w == "NULL" => Test::IsNull,
                (other, at) => {
                    return Err(ParseError::invalid(
                        format!(
                            "expected TRUE, FALSE or NULL after IS, found {}",
                            Self::found(&other)
                        ),
                        at,
                    ));
                }
            },
            Some(Token::Word(word)) if word == "NOT" => match self.next() {
                (Some(Token::Word(w)), _) if w == "EXISTS" => Test::NotExists,
                (other, at) => {
                    return Err(ParseError::invalid(
                        format!("expected EXISTS after NOT, found {}", Self::found(&other)),
                        at,
                    ));
                }
            },
            other => {
                return Err(ParseError::invalid(
                    format!(
                        "expected an operator (`=`, `!=`, `<`, `>`, `IS`, `NOT EXISTS`) after `{selector}`, found {}",
                        Self::found(&other)
                    ),
                    at,
                ));
            }
        };
        Ok(Expr::Test(selector, test))
    }
}
