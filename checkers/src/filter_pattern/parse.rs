//! Filter-pattern text to a [`Pattern`].

use super::{Expr, Op, Pattern, Selector, Step, Term, Terms, Test, Value};

/// Why a pattern could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Whether AWS would refuse it too, or `lab` does not read that form yet.
    pub kind: ParseErrorKind,
    /// What is wrong, in words: `a \`(\` is never closed`.
    pub message: String,
    /// Where, in characters from the start of the pattern as written.
    pub at: usize,
}

/// The two reasons a pattern cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// A form of the language this evaluator does not implement yet.
    Unsupported,
    /// Not a valid filter pattern (AWS would refuse it too).
    Invalid,
}

impl ParseError {
    fn invalid(message: impl Into<String>, at: usize) -> Self {
        ParseError {
            kind: ParseErrorKind::Invalid,
            message: message.into(),
            at,
        }
    }

    fn unsupported(what: &str, at: usize) -> Self {
        ParseError {
            kind: ParseErrorKind::Unsupported,
            message: format!("{what} are not supported by lab yet"),
            at,
        }
    }

    /// The message with the pattern beneath it and a caret under the spot:
    ///
    /// ```text
    /// a `(` is never closed
    ///     { ($.eventName = "GetSecretValue" }
    ///       ^
    /// ```
    pub fn explain(&self, pattern: &str) -> String {
        let line: String = pattern
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let at = self.at.min(line.chars().count());
        format!("{self}\n    {line}\n    {}^", " ".repeat(at))
    }
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            ParseErrorKind::Unsupported => write!(f, "{}", self.message),
            ParseErrorKind::Invalid => write!(f, "not a valid filter pattern: {}", self.message),
        }
    }
}

/// The longest pattern CloudWatch Logs accepts, in characters.
pub const MAX_PATTERN_CHARS: usize = 1024;

/// How deeply parentheses may nest (far beyond any pattern a person writes).
const MAX_NESTING: usize = 32;

/// Parses a filter pattern.
pub fn parse(text: &str) -> Result<Pattern, ParseError> {
    let length = text.chars().count();
    if length > MAX_PATTERN_CHARS {
        return Err(ParseError::invalid(
            format!(
                "it is {length} characters long; CloudWatch Logs takes at most {MAX_PATTERN_CHARS}"
            ),
            MAX_PATTERN_CHARS,
        ));
    }
    // ASCII spaces only, as between terms: a no-break space is text, not a gap.
    let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let lead = text[..text.len()
        - text
            .trim_start_matches(|c: char| c.is_ascii_whitespace())
            .len()]
        .chars()
        .count();
    // `""`, and a quoted space (`" "`), which "returns all log events" (CloudWatch
    // Logs User Guide, "Filter pattern syntax").
    let quoted_blank = trimmed.len() >= 2
        && trimmed.starts_with('"')
        && trimmed.ends_with('"')
        && trimmed[1..trimmed.len() - 1].chars().all(|c| c == ' ');
    if trimmed.is_empty() || quoted_blank {
        return Ok(Pattern::Everything);
    }
    let shift = |mut e: ParseError| {
        e.at += lead;
        e
    };
    if trimmed.starts_with('{') {
        return json(trimmed).map(Pattern::Json).map_err(shift);
    }
    if trimmed.starts_with('[') {
        return Err(shift(ParseError::unsupported(
            "space-delimited patterns (`[a, b, ...]`)",
            0,
        )));
    }
    if trimmed.starts_with('%') {
        return Err(shift(ParseError::unsupported(
            "regular-expression patterns (`%...%`)",
            0,
        )));
    }
    terms(trimmed).map(Pattern::Terms).map_err(shift)
}

/// The text being read, a character at a time, with the position of each.
struct Cursor {
    chars: Vec<char>,
    at: usize,
}

impl Cursor {
    fn new(text: &str) -> Self {
        Cursor {
            chars: text.chars().collect(),
            at: 0,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.at += 1;
        }
        c
    }

    fn next_if(&mut self, wanted: impl Fn(char) -> bool) -> Option<char> {
        self.peek().filter(|c| wanted(*c)).inspect(|_| self.at += 1)
    }

    fn skip_spaces(&mut self) {
        // Only ASCII spaces separate: a no-break space is part of a term, as text.
        while self.next_if(|c| c.is_ascii_whitespace()).is_some() {}
    }
}

fn terms(text: &str) -> Result<Terms, ParseError> {
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

/// The rest of a double-quoted string, the opening quote (at `start`) already read.
fn quoted(cursor: &mut Cursor, start: usize) -> Result<String, ParseError> {
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

/// JSON patterns: a small recursive-descent parser over tokens.
fn json(text: &str) -> Result<Expr, ParseError> {
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

impl Token {
    /// The token in words, for messages.
    fn describe(&self) -> String {
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

fn tokenize(text: &str) -> Result<Vec<(Token, usize)>, ParseError> {
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
fn number(word: &str) -> Result<f64, ()> {
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
