//! Filter-pattern text to a [`Pattern`].

use super::{Expr, Op, Pattern, Selector, Step, Term, Terms, Test, Value};

/// Why a pattern could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// A form of the language this evaluator does not implement yet.
    Unsupported(String),
    /// Not a valid filter pattern (AWS would refuse it too).
    Invalid(String),
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseError::Unsupported(what) => write!(f, "{what} are not supported by lab yet"),
            ParseError::Invalid(why) => write!(f, "not a valid filter pattern: {why}"),
        }
    }
}

/// Parses a filter pattern.
pub fn parse(text: &str) -> Result<Pattern, ParseError> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed == "\"\"" {
        return Ok(Pattern::Everything);
    }
    if trimmed.starts_with('{') {
        return json(trimmed).map(Pattern::Json);
    }
    if trimmed.starts_with('[') {
        return Err(ParseError::Unsupported(
            "space-delimited patterns (`[a, b, ...]`)".into(),
        ));
    }
    if trimmed.starts_with('%') {
        return Err(ParseError::Unsupported(
            "regular-expression patterns (`%...%`)".into(),
        ));
    }
    terms(trimmed).map(Pattern::Terms)
}

fn terms(text: &str) -> Result<Terms, ParseError> {
    let mut chars = text.chars().peekable();
    let (mut include, mut exclude, mut optional) = (Vec::new(), Vec::new(), 0usize);
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else { break };
        let prefix = match first {
            '?' | '-' => {
                chars.next();
                Some(first)
            }
            _ => None,
        };
        let term = if chars.next_if_eq(&'"').is_some() {
            Term {
                text: quoted(&mut chars)?,
                quoted: true,
            }
        } else {
            let mut word = String::new();
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                word.push(c);
            }
            if word.is_empty() {
                return Err(ParseError::Invalid(format!(
                    "`{first}` is not followed by a term"
                )));
            }
            if word.contains('%') {
                return Err(ParseError::Unsupported(
                    "regular expressions in terms".into(),
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
                optional += 1;
                include.push(term);
            }
            None => include.push(term),
        }
    }
    if optional > 0 && optional != include.len() {
        return Err(ParseError::Unsupported(
            "patterns that mix `?` terms with required terms".into(),
        ));
    }
    Ok(Terms {
        include,
        any: optional > 0,
        exclude,
    })
}

/// The rest of a double-quoted string, the opening quote already read.
fn quoted(chars: &mut std::iter::Peekable<std::str::Chars>) -> Result<String, ParseError> {
    let mut out = String::new();
    loop {
        match chars.next() {
            None => return Err(ParseError::Invalid("a quoted term is not closed".into())),
            Some('"') => return Ok(out),
            Some('\\') => match chars.next() {
                Some(c) => out.push(c),
                None => return Err(ParseError::Invalid("a quoted term ends in `\\`".into())),
            },
            Some(c) => out.push(c),
        }
    }
}

/// JSON patterns: a small recursive-descent parser over tokens.
fn json(text: &str) -> Result<Expr, ParseError> {
    let tokens = tokenize(text)?;
    let mut parser = Parser { tokens, at: 0 };
    parser.expect(&Token::Open)?;
    let expr = parser.or()?;
    parser.expect(&Token::Close)?;
    if parser.at != parser.tokens.len() {
        return Err(ParseError::Invalid("text after the closing `}`".into()));
    }
    Ok(expr)
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
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

fn tokenize(text: &str) -> Result<Vec<Token>, ParseError> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let token = match c {
            c if c.is_whitespace() => continue,
            '{' => Token::Open,
            '}' => Token::Close,
            '(' => Token::LParen,
            ')' => Token::RParen,
            '&' if chars.next_if_eq(&'&').is_some() => Token::And,
            '|' if chars.next_if_eq(&'|').is_some() => Token::Or,
            '=' => Token::Op(Op::Eq),
            '!' if chars.next_if_eq(&'=').is_some() => Token::Op(Op::Ne),
            '<' if chars.next_if_eq(&'=').is_some() => Token::Op(Op::Le),
            '>' if chars.next_if_eq(&'=').is_some() => Token::Op(Op::Ge),
            '<' => Token::Op(Op::Lt),
            '>' => Token::Op(Op::Gt),
            '"' => Token::Text(quoted(&mut chars)?),
            '%' => {
                while chars.next_if(|c| *c != '%').is_some() {}
                chars.next();
                Token::Regex
            }
            '$' => Token::Selector(selector(&mut chars)?),
            c if is_word_char(c) => {
                let mut word = c.to_string();
                while let Some(c) = chars.next_if(|c| is_word_char(*c)) {
                    word.push(c);
                }
                Token::Word(word)
            }
            other => return Err(ParseError::Invalid(format!("unexpected `{other}`"))),
        };
        tokens.push(token);
    }
    Ok(tokens)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '*' | ':' | '/' | '+' | '@')
}

/// `$.a.b[0].c`, the `$` already read.
fn selector(chars: &mut std::iter::Peekable<std::str::Chars>) -> Result<Selector, ParseError> {
    let mut steps = Vec::new();
    loop {
        if chars.next_if_eq(&'.').is_some() {
            let mut key = String::new();
            while let Some(c) =
                chars.next_if(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '@'))
            {
                key.push(c);
            }
            if key.is_empty() {
                return Err(ParseError::Invalid(
                    "a selector has an empty key after `.`".into(),
                ));
            }
            steps.push(Step::Key(key));
        } else if chars.next_if_eq(&'[').is_some() {
            let mut digits = String::new();
            while let Some(c) = chars.next_if(|c| *c != ']') {
                digits.push(c);
            }
            chars.next();
            match digits.trim().parse::<usize>() {
                Ok(index) => steps.push(Step::Index(index)),
                Err(_) if digits.trim() == "*" => {
                    return Err(ParseError::Unsupported(
                        "array wildcards (`[*]`) in selectors".into(),
                    ));
                }
                Err(_) => {
                    return Err(ParseError::Invalid(format!(
                        "`[{digits}]` is not an array index"
                    )));
                }
            }
        } else {
            break;
        }
    }
    if steps.is_empty() {
        return Err(ParseError::Invalid(
            "a selector must name a field, like `$.eventName`".into(),
        ));
    }
    Ok(Selector(steps))
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn expect(&mut self, wanted: &Token) -> Result<(), ParseError> {
        match self.next() {
            Some(token) if token == *wanted => Ok(()),
            other => Err(ParseError::Invalid(format!(
                "expected {wanted:?}, found {other:?}"
            ))),
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
            Some(Token::LParen) => {
                let expr = self.or()?;
                self.expect(&Token::RParen)?;
                Ok(expr)
            }
            Some(Token::Selector(selector)) => self.test(selector),
            other => Err(ParseError::Invalid(format!(
                "expected a selector like `$.eventName`, found {other:?}"
            ))),
        }
    }

    fn test(&mut self, selector: Selector) -> Result<Expr, ParseError> {
        let test = match self.next() {
            Some(Token::Op(op)) => match self.next() {
                Some(Token::Text(text)) => Test::Compare(op, Value::Text(text)),
                Some(Token::Word(word)) => match word.parse::<f64>() {
                    Ok(number) => Test::Compare(op, Value::Number(number)),
                    Err(_) => Test::Compare(op, Value::Text(word)),
                },
                Some(Token::Regex) => {
                    return Err(ParseError::Unsupported(
                        "regular expressions in JSON patterns".into(),
                    ));
                }
                other => {
                    return Err(ParseError::Invalid(format!(
                        "expected a value after the operator, found {other:?}"
                    )));
                }
            },
            Some(Token::Word(word)) if word == "IS" => match self.next() {
                Some(Token::Word(w)) if w == "TRUE" => Test::IsBool(true),
                Some(Token::Word(w)) if w == "FALSE" => Test::IsBool(false),
                Some(Token::Word(w)) if w == "NULL" => Test::IsNull,
                other => {
                    return Err(ParseError::Invalid(format!(
                        "expected TRUE, FALSE or NULL after IS, found {other:?}"
                    )));
                }
            },
            Some(Token::Word(word)) if word == "NOT" => match self.next() {
                Some(Token::Word(w)) if w == "EXISTS" => Test::NotExists,
                other => {
                    return Err(ParseError::Invalid(format!(
                        "expected EXISTS after NOT, found {other:?}"
                    )));
                }
            },
            other => {
                return Err(ParseError::Invalid(format!(
                    "expected an operator after the selector, found {other:?}"
                )));
            }
        };
        if let Test::Compare(op, Value::Text(_)) = &test
            && !matches!(op, Op::Eq | Op::Ne)
        {
            return Err(ParseError::Invalid(
                "strings can only be compared with = and !=".into(),
            ));
        }
        Ok(Expr::Test(selector, test))
    }
}
