//! What a JSON pattern's structure says on its own, before any record is tried: its
//! alternatives (the pattern as an OR of ANDs) and, in each, which fields it tests.

use std::fmt;

use super::{Expr, Op, Selector, Step, Test, Value};

/// One alternative of a pattern: tests that must all hold.
pub type Alternative<'p> = Vec<(&'p Selector, &'p Test)>;

/// More alternatives than this and the pattern is left to the records alone.
const MAX_ALTERNATIVES: usize = 256;

/// The pattern as an OR of ANDs, or `None` when that form would be too large.
pub fn alternatives(expr: &Expr) -> Option<Vec<Alternative<'_>>> {
    match expr {
        Expr::Test(selector, test) => Some(vec![vec![(selector, test)]]),
        Expr::Or(a, b) => {
            let mut all = alternatives(a)?;
            all.extend(alternatives(b)?);
            (all.len() <= MAX_ALTERNATIVES).then_some(all)
        }
        Expr::And(a, b) => {
            let (left, right) = (alternatives(a)?, alternatives(b)?);
            if left.len() * right.len() > MAX_ALTERNATIVES {
                return None;
            }
            Some(
                left.iter()
                    .flat_map(|l| {
                        right
                            .iter()
                            .map(move |r| l.iter().chain(r).copied().collect())
                    })
                    .collect(),
            )
        }
    }
}

impl Selector {
    /// The first key of the selector: `userIdentity` for `$.userIdentity.arn`.
    pub fn root(&self) -> Option<&str> {
        match self.0.first() {
            Some(Step::Key(key)) => Some(key),
            _ => None,
        }
    }

    /// Whether this is the one-key selector `$.key`.
    pub fn is(&self, key: &str) -> bool {
        self.0.len() == 1 && self.root() == Some(key)
    }
}

impl Test {
    /// Whether the test admits only some values: an equality with something other
    /// than `*`, a number comparison, `IS`, `NOT EXISTS`. A `!=` excludes values but
    /// admits every other, so it pins nothing.
    pub fn pins(&self) -> bool {
        match self {
            Test::Compare(Op::Ne, _) => false,
            Test::Compare(Op::Eq, Value::Text(text)) => text.chars().any(|c| c != '*'),
            Test::Compare(_, _) | Test::IsBool(_) | Test::IsNull | Test::NotExists => true,
        }
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "$")?;
        for step in &self.0 {
            match step {
                Step::Key(key) => write!(f, ".{key}")?,
                Step::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for Test {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Test::Compare(op, value) => {
                let op = match op {
                    Op::Eq => "=",
                    Op::Ne => "!=",
                    Op::Lt => "<",
                    Op::Le => "<=",
                    Op::Gt => ">",
                    Op::Ge => ">=",
                };
                match value {
                    Value::Text(text) => {
                        write!(
                            f,
                            "{op} \"{}\"",
                            text.replace('\\', "\\\\").replace('"', "\\\"")
                        )
                    }
                    Value::Number(n) => write!(f, "{op} {n}"),
                }
            }
            Test::IsBool(b) => write!(f, "IS {}", if *b { "TRUE" } else { "FALSE" }),
            Test::IsNull => write!(f, "IS NULL"),
            Test::NotExists => write!(f, "NOT EXISTS"),
        }
    }
}

/// An alternative as pattern text: `$.a = "x" && $.b != "y"`.
pub fn show(alternative: &Alternative) -> String {
    alternative
        .iter()
        .map(|(selector, test)| format!("{selector} {test}"))
        .collect::<Vec<_>>()
        .join(" && ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter_pattern::{Pattern, parse};

    fn alts(text: &str) -> Vec<String> {
        let Ok(Pattern::Json(expr)) = parse(text) else {
            panic!("not a JSON pattern: {text}")
        };
        alternatives(&expr).unwrap().iter().map(show).collect()
    }

    #[test]
    fn distributes_and_over_or() {
        assert_eq!(
            alts(r#"{ ($.a = 1 || $.b = "x") && $.c != "y" }"#),
            vec![r#"$.a = 1 && $.c != "y""#, r#"$.b = "x" && $.c != "y""#]
        );
        assert_eq!(alts(r#"{ $.x[0].y IS TRUE }"#), vec!["$.x[0].y IS TRUE"]);
    }

    #[test]
    fn gives_up_on_huge_forms() {
        let wide = (0..10)
            .map(|i| format!("($.a = {i} || $.b = {i})"))
            .collect::<Vec<_>>()
            .join(" && ");
        let Ok(Pattern::Json(expr)) = parse(&format!("{{ {wide} }}")) else {
            panic!()
        };
        assert!(alternatives(&expr).is_none());
    }

    #[test]
    fn what_pins_a_field() {
        let pins = |t: &str| {
            let Ok(Pattern::Json(Expr::Test(_, test))) = parse(&format!("{{ $.f {t} }}")) else {
                panic!()
            };
            test.pins()
        };
        assert!(pins(r#"= "1.2.3.4""#));
        assert!(pins(r#"= "10.*""#));
        assert!(pins("NOT EXISTS"));
        assert!(!pins(r#"= "*""#));
        assert!(!pins(r#"!= "1.2.3.4""#));
    }
}
