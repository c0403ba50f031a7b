//! Matching one event against a [`Pattern`], three-valued.

use serde_json::Value as Json;

use super::{Expr, Op, Pattern, Selector, Step, Term, Terms, Test, Value, Verdict};

pub(super) fn matches(pattern: &Pattern, event: &str) -> Verdict {
    match pattern {
        Pattern::Everything => Verdict::Match,
        Pattern::Terms(terms) => match_terms(terms, event),
        Pattern::Json(expr) => match serde_json::from_str::<Json>(event) {
            Ok(json) => eval(expr, &json),
            // A JSON pattern never matches an event that is not JSON.
            Err(_) => Verdict::NoMatch,
        },
    }
}

pub(super) fn matches_parsed(pattern: &Pattern, text: &str, json: &Json) -> Verdict {
    match pattern {
        Pattern::Json(expr) => eval(expr, json),
        _ => matches(pattern, text),
    }
}

fn match_terms(terms: &Terms, event: &str) -> Verdict {
    let found: Vec<Verdict> = terms.include.iter().map(|t| find(t, event)).collect();
    let included = if terms.include.is_empty() {
        Verdict::Match
    } else if terms.any {
        found.into_iter().fold(Verdict::NoMatch, or)
    } else {
        found.into_iter().fold(Verdict::Match, and)
    };
    terms
        .exclude
        .iter()
        .map(|t| not(find(t, event)))
        .fold(included, and)
}

/// Whether `term` occurs in `event`. A term found as a whole word (not inside a
/// longer run of letters, digits or `_`) is a match; found only inside longer words
/// it is Unknown, because whether CloudWatch matches part of a word is not settled by
/// its documentation, quoted or not. A term that holds JSON punctuation (`"`, `{`,
/// `}`, `,`) is always Unknown: whether it matches depends on how CloudTrail orders
/// and spaces a record's keys, which no emulation can promise.
fn find(term: &Term, event: &str) -> Verdict {
    if spans_json(&term.text) {
        return Verdict::Unknown;
    }
    let mut any = false;
    for (start, _) in event.match_indices(&term.text) {
        any = true;
        let before = event[..start].chars().next_back();
        let after = event[start + term.text.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        if !word(before) && !word(after) {
            return Verdict::Match;
        }
    }
    if any {
        Verdict::Unknown
    } else {
        Verdict::NoMatch
    }
}

/// Whether a term holds JSON punctuation, so that it spans the record's syntax.
pub(super) fn spans_json(text: &str) -> bool {
    text.contains(['"', '{', '}', ','])
}

fn eval(expr: &Expr, event: &Json) -> Verdict {
    match expr {
        Expr::And(a, b) => and(eval(a, event), eval(b, event)),
        Expr::Or(a, b) => or(eval(a, event), eval(b, event)),
        Expr::Test(selector, test) => check(lookup(selector, event), test),
    }
}

fn lookup<'e>(selector: &Selector, event: &'e Json) -> Option<&'e Json> {
    selector.0.iter().try_fold(event, |node, step| match step {
        Step::Key(key) => node.get(key),
        Step::Index(index) => node.get(index),
    })
}

fn check(field: Option<&Json>, test: &Test) -> Verdict {
    let verdict = |b: bool| if b { Verdict::Match } else { Verdict::NoMatch };
    match (test, field) {
        (Test::NotExists, field) => verdict(field.is_none()),
        (Test::IsNull, field) => verdict(matches!(field, Some(Json::Null))),
        (Test::IsBool(wanted), field) => verdict(field == Some(&Json::Bool(*wanted))),
        // A missing field never equals anything; whether it "differs" is not documented.
        (Test::Compare(Op::Eq, _), None) => Verdict::NoMatch,
        (Test::Compare(_, _), None) => Verdict::Unknown,
        (Test::Compare(op, Value::Text(pattern)), Some(Json::String(actual))) => {
            let equal = wildcard(pattern, actual);
            verdict(if *op == Op::Eq { equal } else { !equal })
        }
        (Test::Compare(op, Value::Number(wanted)), Some(Json::Number(actual))) => {
            let actual = actual.as_f64().unwrap_or(f64::NAN);
            verdict(match op {
                Op::Eq => actual == *wanted,
                Op::Ne => actual != *wanted,
                Op::Lt => actual < *wanted,
                Op::Le => actual <= *wanted,
                Op::Gt => actual > *wanted,
                Op::Ge => actual >= *wanted,
            })
        }
        // Strings against numbers, objects, arrays, booleans or null: undocumented.
        (Test::Compare(_, _), Some(_)) => Verdict::Unknown,
    }
}

/// `*` matches any run of characters, including none; everything else literally.
fn wildcard(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(at) => rest = &rest[at + middle.len()..],
            None => return false,
        }
    }
    true
}

fn and(a: Verdict, b: Verdict) -> Verdict {
    match (a, b) {
        (Verdict::NoMatch, _) | (_, Verdict::NoMatch) => Verdict::NoMatch,
        (Verdict::Match, Verdict::Match) => Verdict::Match,
        _ => Verdict::Unknown,
    }
}

fn or(a: Verdict, b: Verdict) -> Verdict {
    match (a, b) {
        (Verdict::Match, _) | (_, Verdict::Match) => Verdict::Match,
        (Verdict::NoMatch, Verdict::NoMatch) => Verdict::NoMatch,
        _ => Verdict::Unknown,
    }
}

fn not(a: Verdict) -> Verdict {
    match a {
        Verdict::Match => Verdict::NoMatch,
        Verdict::NoMatch => Verdict::Match,
        Verdict::Unknown => Verdict::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::wildcard;

    #[test]
    fn wildcards() {
        assert!(wildcard("Get*", "GetSecretValue"));
        assert!(wildcard("*Value", "GetSecretValue"));
        assert!(wildcard("Get*Value", "GetSecretValue"));
        assert!(wildcard("*", ""));
        assert!(wildcard("a*b*c", "aXbYc"));
        assert!(!wildcard("a*b*c", "aXcYb"));
        assert!(!wildcard("ab*ba", "aba"));
        assert!(!wildcard("Get", "GetSecretValue"));
    }
}
