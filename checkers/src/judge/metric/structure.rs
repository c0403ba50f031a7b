//! The structure rule: what a pattern's shape decides before any record is counted
//! (each alternative names the operation, meets some read, and tests only fields the
//! records judge).

use super::feeders::{json_suggestion, standard_fix, suggested};
use super::records::{Corpus, reaches, visible};
use crate::filter_pattern::structure::{Alternative, alternatives, show};
use crate::filter_pattern::{Expr, Op, Pattern, Terms, Test};
use crate::judge::{Ctx, Judgement, error, fail};
use crate::snapshot::MetricFilter;

/// What the pattern's structure decides, before the records are counted.
pub(super) fn structure(
    ctx: &Ctx,
    corpus: &Corpus,
    filter: &MetricFilter,
    pattern: &Pattern,
) -> Result<(), Judgement> {
    let name = &filter.name;
    let counts = &ctx.w.counts;
    let written = &visible(&filter.pattern);
    let failed = |why: String, fix: String| Err(fail(why, fix, None));
    match pattern {
        Pattern::Everything => failed(
            format!(
                "the metric filter `{name}` has an empty pattern, which counts every record, not {counts}"
            ),
            standard_fix(ctx),
        ),
        Pattern::Terms(terms) if terms.include.is_empty() => failed(
            format!(
                "the metric filter `{name}` (pattern `{written}`) only excludes terms, so it counts every other record, not {counts}"
            ),
            standard_fix(ctx),
        ),
        Pattern::Terms(terms) => {
            if let Some(term) = terms
                .include
                .iter()
                .chain(&terms.exclude)
                .find(|t| t.spans_json())
            {
                return Err(error(
                    format!(
                        "the metric filter `{name}` (pattern `{written}`) has the term `{}`, which holds JSON punctuation: \
                         whether it matches depends on how CloudTrail orders and spaces a record's keys, which lab cannot know",
                        term.text
                    ),
                    format!(
                        "test the fields instead, with a JSON pattern: `{}`",
                        json_suggestion(ctx)
                    ),
                ));
            }
            if !terms.exclude.is_empty() {
                let excluded: Vec<String> = terms
                    .exclude
                    .iter()
                    .map(|t| format!("`{}`", t.text))
                    .collect();
                return failed(
                    format!(
                        "the metric filter `{name}` (pattern `{written}`) excludes {}: any of the {counts} whose record holds that text \
                         anywhere (a user agent, a role session name, an address, all chosen by the caller) is missed",
                        excluded.join(", ")
                    ),
                    format!(
                        "count by what every one of them shares, without exclusions: {}",
                        suggested(ctx)
                    ),
                );
            }
            // Each alternative (each `?` term, or the required terms together) names
            // an operation the lab counts, and meets some read.
            let named = ctx.w.named_events();
            let alternatives: Vec<Terms> = if terms.any {
                terms
                    .include
                    .iter()
                    .map(|t| Terms {
                        include: vec![t.clone()],
                        any: false,
                        exclude: vec![],
                    })
                    .collect()
            } else {
                vec![terms.clone()]
            };
            for alternative in &alternatives {
                let shown = alternative
                    .include
                    .iter()
                    .map(|t| visible(&t.text))
                    .collect::<Vec<_>>()
                    .join(" ");
                let names_one = alternative
                    .include
                    .iter()
                    .any(|t| named.contains(&t.text.as_str()));
                if ctx.w.counted_events().is_some() && !names_one {
                    return failed(
                        format!(
                            "the metric filter `{name}` (pattern `{written}`) counts other records: `{shown}` names no operation the lab counts ({}), \
                             so whatever record holds it counts",
                            named.join(", ")
                        ),
                        standard_fix(ctx),
                    );
                }
                if !reaches(corpus, &Pattern::Terms(alternative.clone())).any() {
                    return failed(
                        format!(
                            "the metric filter `{name}` (pattern `{written}`): `{shown}` matches none of the {counts} lab tries, so whatever it counts is something else"
                        ),
                        standard_fix(ctx),
                    );
                }
            }
            Ok(())
        }
        Pattern::Json(expr) => {
            let Some(alternatives) = alternatives(expr) else {
                return Err(error(
                    format!(
                        "the pattern of the metric filter `{name}` has too many alternatives to read one by one \
                         (written as ORs of ANDs it would have more than 256)"
                    ),
                    format!("simplify it: `{}` is all it takes", json_suggestion(ctx)),
                ));
            };
            let named = ctx.w.named_events();
            for alternative in &alternatives {
                let reach = reaches(corpus, &Pattern::Json(conjunction(alternative)));
                let unjudged = alternative.iter().find(|(selector, test)| {
                    if corpus.judges(&selector.to_string()) {
                        corpus.excludes_only_unseen(selector, test)
                    } else {
                        !tautology(test)
                    }
                });
                // An alternative that counts reads, or was meant to, misses the reads
                // that differ in a field it tests.
                let meant_for_reads = ctx.w.counted_events().is_some_and(|counted| {
                    alternative.iter().any(|(selector, test)| {
                        selector.is("eventName") && names_only(test, &counted)
                    })
                });
                if let (Some((selector, _)), true) =
                    (unjudged, reach.counted || (!reach.any() && meant_for_reads))
                {
                    return failed(
                        format!(
                            "the metric filter `{name}` (pattern `{written}`) can never count all {counts}: it tests `{selector}`, \
                             which differs between {counts} or which some of them lack \
                             (another time, address, agent, caller, version or endpoint), so those that differ are missed"
                        ),
                        format!(
                            "test only what all of them share, as {} does",
                            suggested(ctx)
                        ),
                    );
                }
                if !reach.any() {
                    let what = if alternatives.len() == 1 {
                        format!("matches none of the {counts} lab tries")
                    } else {
                        format!(
                            "has an alternative, `{}`, that matches none of the {counts} lab tries, so whatever it counts is something else",
                            show(alternative)
                        )
                    };
                    return failed(
                        format!(
                            "the metric filter `{name}` (pattern `{written}`) {what} (values are compared exactly: case, spaces and punctuation count)"
                        ),
                        standard_fix(ctx),
                    );
                }
            }
            if let Some(events) = ctx.w.counted_events() {
                if let Some(open) = alternatives.iter().find(|a| !names_operation(a)) {
                    return failed(
                        format!(
                            "the metric filter `{name}` (pattern `{written}`) counts other calls: its alternative `{}` has no test of the operation, \
                             so any call that meets it counts, not only {}",
                            show(open),
                            events.join(" or ")
                        ),
                        standard_fix(ctx),
                    );
                }
                for alternative in &alternatives {
                    // The tests of the operation together admit only named ones when
                    // one of them does.
                    let operation: Vec<&Test> = alternative
                        .iter()
                        .filter(|(selector, test)| selector.is("eventName") && test.pins())
                        .map(|(_, test)| *test)
                        .collect();
                    if !operation.iter().any(|test| names_only(test, &named)) {
                        let shown: Vec<String> = operation
                            .iter()
                            .map(|t| format!("`$.eventName {t}`"))
                            .collect();
                        return failed(
                            format!(
                                "the metric filter `{name}` (pattern `{written}`) counts other calls: {} admits operations \
                                 other than {}, including ones no corpus can list",
                                shown.join(" and "),
                                named.join(" and ")
                            ),
                            format!(
                                "name the operation exactly: $.eventName = \"{}\"",
                                events[0]
                            ),
                        );
                    }
                }
            }
            if ctx.w.counted_identities().is_some()
                && let Some(open) = alternatives.iter().find(|a| !picks_caller(corpus, a))
            {
                return failed(
                    format!(
                        "the metric filter `{name}` (pattern `{written}`) counts other callers: its alternative `{}` picks no caller \
                         by a field of `$.userIdentity` (only excludes some, or tests none), so calls by kinds of caller no corpus \
                         can list count too, not only {counts}",
                        show(open)
                    ),
                    standard_fix(ctx),
                );
            }
            Ok(())
        }
    }
}

/// Whether an alternative picks the caller positively: an `=` (or another test that
/// admits only some values) on a field of `userIdentity` that the records judge,
/// such as `$.userIdentity.type = "Root"`. Tests that only exclude (`!=`, `NOT
/// EXISTS`) admit every caller they do not name, including kinds that appear after
/// the corpus was written.
fn picks_caller(corpus: &Corpus, alternative: &Alternative) -> bool {
    alternative.iter().any(|(selector, test)| {
        let field = selector.to_string();
        field.starts_with("$.userIdentity.")
            && test.pins()
            && !matches!(test, Test::NotExists)
            && corpus.judges(&field)
    })
}

/// Whether a test holds for any value a field may have: `= "*"` (a field every
/// record of the shape carries, as the records then show).
fn tautology(test: &Test) -> bool {
    !test.pins() && matches!(test, Test::Compare(Op::Eq, _))
}

/// An alternative as an expression of its own.
fn conjunction(alternative: &Alternative) -> Expr {
    alternative
        .iter()
        .map(|(selector, test)| Expr::Test((*selector).clone(), (*test).clone()))
        .reduce(|a, b| Expr::And(Box::new(a), Box::new(b)))
        .expect("an alternative has a test")
}

/// Whether a test of `$.eventName` admits only operations in `named`: its text,
/// with wildcards at most at its ends, is one of them (`GetSecretValue`,
/// `*GetSecretValue`; not `G*e*t*...`, which admits any name with those letters).
fn names_only(test: &Test, named: &[&str]) -> bool {
    match test {
        Test::Compare(Op::Eq, crate::filter_pattern::Value::Text(text)) => {
            let core = text.trim_matches('*');
            !core.contains('*') && named.contains(&core)
        }
        _ => false,
    }
}

/// Whether an alternative tests the operation positively (`$.eventName = "…"`).
fn names_operation(alternative: &Alternative) -> bool {
    alternative
        .iter()
        .any(|(selector, test)| selector.is("eventName") && test.pins())
}
