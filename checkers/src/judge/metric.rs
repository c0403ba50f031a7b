//! `logs.metric_filter`: the lab's metric, judged whole.
//!
//! An alarm watches a *metric*, and every metric filter in the region that emits into
//! that metric (same namespace and name, no dimensions) adds to it, on whatever log
//! group it sits. So the judge gathers all of them (the *feeders*) and asks of the
//! set what the lab's `watch:` asks of the metric:
//!
//! 1. **Where.** Every feeder sits on the log group the trail delivers to; a feeder
//!    anywhere else adds whatever that group receives, which is not reads.
//! 2. **What it adds.** Each feeder adds 1 per match and nothing (or 0) otherwise: a
//!    value of 2 or −1 or `$.field` miscounts, a default value of 1 counts every
//!    record.
//! 3. **Structure.** Every alternative of a JSON pattern (the pattern as an OR of
//!    ANDs) must test the operation positively (`$.eventName = …`), or it counts
//!    other calls; must match some read the corpus holds, or what it counts is
//!    something else; and may only test fields every read shares (the event source,
//!    the operation, the region…), the field that names the secret, or the outcome
//!    (`errorCode`): a test of any other field (a time, an address, an agent, the
//!    caller, a version, an endpoint), `=` or `!=` or `NOT EXISTS`, misses the reads
//!    that differ there, including ones no corpus can foresee. A term pattern may not
//!    exclude terms, for the same reason: any word can occur in a read's user agent or
//!    session name.
//! 4. **Records.** The feeders run over a corpus of several hundred generated records
//!    ([`crate::corpus`]), seeded from the patterns themselves so no pattern can be
//!    fitted to it. Each record the watch counts must add exactly 1; each it ignores,
//!    0; each it allows, 0 or 1.
//!
//! What cannot be settled (a term found only inside a longer word) is an error, never
//! a pass. TestMetricFilter's answers, where the fetch has them, settle those records
//! it was asked about, and confirm the verdict only when they came from AWS.

use crate::catalogue::Check;
use std::collections::{BTreeMap, BTreeSet};

use super::logs::delivered_group;
use super::{Ctx, Judged, Judgement, error, fail, pass, read};
use crate::corpus::{self, Record, Subject};
use crate::filter_pattern::structure::{Alternative, alternatives, show};
use serde_json::Value;

use crate::filter_pattern::{self, Expr, Op, ParseErrorKind, Pattern, Terms, Test, Verdict};
use crate::snapshot::{Endpoint, MetricFilter, MetricTransformation, ReadErrorKind};
use crate::watch::Class;

/// Fields that name the resource a call is about, whose every form the corpus
/// holds (the secret by name, by full ARN, by partial ARN): tests on them are judged
/// by the records.
pub(super) const RESOURCE_FIELDS: &[&str] = &["$.requestParameters.secretId"];

/// The field that says how a call ended: absent on every success, one of a few codes
/// on a refusal, so tests on it are judged by the records too. (`errorMessage` is
/// free text that varies with the caller and the policy: not judged.)
pub(super) const OUTCOME_FIELDS: &[&str] = &["$.errorCode"];

/// How many example records a failure names.
const EXAMPLES: usize = 3;

/// The lab's metric as the filters that feed it, once judged right.
pub(super) struct Metric<'s> {
    /// The filters that add to it, all on the delivered log group.
    pub feeders: Vec<&'s MetricFilter>,
    /// What else the metric counts that the lab allows, in words.
    notes: Vec<String>,
    /// How many records it was judged on (a failure also names their seed).
    records: usize,
    /// Whether AWS's TestMetricFilter agreed on every feeder.
    confirmed_by_aws: bool,
}

/// The fix for any metric that does not count what the lab watches.
fn standard_fix(ctx: &Ctx) -> String {
    format!(
        "keep one metric filter on `{}` with the pattern `{}` (or {{ ($.eventSource = \"secretsmanager.amazonaws.com\") && ($.eventName = \"GetSecretValue\") }}), \
         value 1, default 0, emitting to `{}` / `{}` with no dimensions, and no other filter emitting to that metric",
        ctx.n.log_group, ctx.t.pattern, ctx.n.namespace, ctx.n.metric
    )
}

/// The filters that emit into the lab's metric (namespace and name, no dimensions),
/// wherever they are, as they are: what the alarm's checks reason about, whether or
/// not the metric counts the right things.
pub(super) fn feeders<'s>(ctx: &Ctx<'s>) -> Result<Vec<&'s MetricFilter>, Judgement> {
    Ok(read(&ctx.s.metric_filters)?
        .iter()
        .filter(|f| feeding(ctx, f).is_some())
        .collect())
}

/// What `filter` emits into the lab's metric (same namespace and name, no
/// dimensions), if it feeds it.
pub(super) fn feeding<'f>(ctx: &Ctx, filter: &'f MetricFilter) -> Option<&'f MetricTransformation> {
    filter.transformations.iter().find(|t| {
        t.namespace == ctx.n.namespace && t.metric == ctx.n.metric && t.dimensions.is_empty()
    })
}

/// The filters feeding the lab's metric, judged; or the verdict that says why the
/// metric does not count what the lab watches.
pub(super) fn counting_metric<'s>(ctx: &Ctx<'s>) -> Result<Metric<'s>, Judgement> {
    let group = delivered_group(ctx)?;
    let (namespace, metric) = (&ctx.n.namespace, &ctx.n.metric);
    let feeders = feeders(ctx)?;
    if feeders.is_empty() {
        return Err(no_feeder(ctx, read(&ctx.s.metric_filters)?, &group));
    }
    let elsewhere: Vec<String> = feeders
        .iter()
        .filter(|f| f.log_group != group)
        .map(|f| format!("`{}` on `{}`", f.name, f.log_group))
        .collect();
    if !elsewhere.is_empty() {
        let also = if feeders.iter().any(|f| f.log_group == group) {
            "also "
        } else {
            ""
        };
        return Err(fail(
            format!(
                "`{namespace}` / `{metric}` is {also}fed by {}: the trail delivers only to `{group}`, \
                 so whatever that filter counts is not reads",
                elsewhere.join(", ")
            ),
            "delete that filter, or make it emit another metric",
            None,
        ));
    }
    for filter in &feeders {
        let name = &filter.name;
        if let Some(selection) = &filter.selection {
            return Err(error(
                format!(
                    "the metric filter `{name}` only filters events that meet its field selection criteria (`{selection}`), which lab does not judge"
                ),
                "remove the field selection criteria: the lab's filter reads every record the trail delivers",
            ));
        }
        if filter.on_transformed_logs {
            return Err(error(
                format!(
                    "the metric filter `{name}` runs on the log group's transformed events, which lab does not judge"
                ),
                "turn off \"apply on transformed logs\": the lab's filter reads the records as CloudTrail delivers them",
            ));
        }
        let t = feeding(ctx, filter).expect("a feeder emits the metric");
        if t.value.trim().parse::<f64>().ok() != Some(1.0) {
            return Err(fail(
                format!(
                    "the metric filter `{}` adds `{}` to `{namespace}` / `{metric}` per match instead of 1",
                    filter.name, t.value
                ),
                "set its metric value to 1",
                None,
            ));
        }
        match t.default_value {
            Some(d) if d != 0.0 => {
                return Err(fail(
                    format!(
                        "the metric filter `{}` has a default value of {d}: it adds {d} for every record it does not match, \
                         so `{namespace}` / `{metric}` counts every record, not {}",
                        filter.name, ctx.w.counts
                    ),
                    "set its default value to 0, or leave it empty",
                    None,
                ));
            }
            Some(_) | None => {}
        }
    }
    let mut patterns = Vec::new();
    for filter in &feeders {
        match filter_pattern::parse(&filter.pattern) {
            Ok(pattern) => patterns.push(pattern),
            Err(e) => {
                let taught = &ctx.t.pattern;
                let (what, fix) = match e.kind {
                    ParseErrorKind::Unsupported => (
                        "lab cannot judge",
                        format!(
                            "use the pattern `{taught}`, or check the filter with Test pattern in the console"
                        ),
                    ),
                    ParseErrorKind::Invalid => (
                        "lab cannot read",
                        format!("rewrite the pattern where the caret points, or use `{taught}`"),
                    ),
                };
                return Err(error(
                    format!(
                        "{what} the pattern of the metric filter `{}`: {}",
                        filter.name,
                        e.explain(&filter.pattern)
                    ),
                    fix,
                ));
            }
        }
    }
    let corpus = Corpus::for_patterns(ctx, &patterns)?;
    for (filter, pattern) in feeders.iter().zip(&patterns) {
        structure(ctx, &corpus, filter, pattern)?;
    }
    let judged = by_records(ctx, &corpus, &feeders, &patterns)?;
    Ok(Metric {
        feeders,
        notes: judged.notes,
        records: judged.records,
        confirmed_by_aws: judged.confirmed_by_aws,
    })
}

/// Why nothing feeds the metric.
fn no_feeder(ctx: &Ctx, all: &[MetricFilter], group: &str) -> Judgement {
    let (namespace, metric) = (&ctx.n.namespace, &ctx.n.metric);
    // Nothing feeds the plain metric: any transformation into it has dimensions.
    let with_dimensions = all.iter().find_map(|f| {
        f.transformations
            .iter()
            .find(|t| t.namespace == *namespace && t.metric == *metric)
            .map(|t| (f, t))
    });
    if let Some((filter, t)) = with_dimensions {
        return fail(
            format!(
                "the metric filter `{}` emits `{namespace}` / `{metric}` with dimensions ({}), so an alarm on the plain metric never sees it",
                filter.name,
                t.dimensions
                    .iter()
                    .map(|(name, _)| name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "edit the filter: remove its dimensions",
            None,
        );
    }
    let on_group: Vec<String> = all
        .iter()
        .filter(|f| f.log_group == group)
        .map(|f| {
            let emits: Vec<String> = f
                .transformations
                .iter()
                .map(|t| format!("`{}` / `{}`", t.namespace, t.metric))
                .collect();
            format!("`{}` emits {}", f.name, emits.join(", "))
        })
        .collect();
    if on_group.is_empty() {
        return fail(
            format!("the log group `{group}` has no metric filter"),
            format!(
                "create one on `{group}`: pattern `{}`, namespace `{namespace}`, metric `{metric}`, value 1, default 0{}",
                ctx.t.pattern,
                ctx.stage(Check::LogsMetricFilter)
            ),
            None,
        );
    }
    fail(
        format!(
            "no metric filter emits `{namespace}` / `{metric}`: on `{group}`, {}",
            on_group.join("; ")
        ),
        format!("edit the filter's metric: namespace `{namespace}`, name `{metric}`"),
        None,
    )
}

/// The records a metric is judged on: the fixed confirmation set (which
/// TestMetricFilter may have answered) and the corpus drawn for these feeders, each
/// with what the watch says of it.
struct Corpus<'w> {
    /// Index into the confirmation set, or `None` for a drawn record; the record;
    /// what the metric must do with it.
    records: Vec<(Option<usize>, Record, Class<'w>)>,
    seed: u64,
    /// Fields every counted record holds, with the same value in all of them.
    shared: BTreeSet<String>,
}

impl<'w> Corpus<'w> {
    fn for_patterns(ctx: &Ctx<'w>, patterns: &[Pattern]) -> Result<Self, Judgement> {
        let secret_arn = read(&ctx.s.secret)?.as_ref().map(|s| s.arn.as_str());
        let subject = Subject::new(&ctx.n.secret, secret_arn, &ctx.s.account, &ctx.s.region);
        let seed = corpus_seed(patterns, &subject);
        let records: Vec<(Option<usize>, Record, Class)> = corpus::confirmation_set(&subject)
            .into_iter()
            .enumerate()
            .map(|(i, r)| (Some(i), r))
            .chain(
                corpus::generate(&subject, seed)
                    .into_iter()
                    .map(|r| (None, r)),
            )
            .map(|(i, r)| {
                let class = ctx.w.classify(&r.facts, &r.text);
                (i, r, class)
            })
            .collect();
        let counted: Vec<&Record> = records
            .iter()
            .filter(|(_, _, c)| matches!(c, Class::Count(_)))
            .map(|(_, r, _)| r)
            .collect();
        let mut shared: BTreeMap<String, &Value> = BTreeMap::new();
        if let Some((first, rest)) = counted.split_first() {
            shared = leaves(&first.json).into_iter().collect();
            for record in rest {
                let theirs: BTreeMap<String, &Value> = leaves(&record.json).into_iter().collect();
                shared.retain(|path, value| theirs.get(path) == Some(value));
            }
        }
        let shared = shared.into_keys().collect();
        Ok(Corpus {
            records,
            seed,
            shared,
        })
    }

    /// Whether a test of `selector` is judged fairly by the records: a field every
    /// counted record shares, the resource's name, or the outcome.
    fn judges(&self, selector: &str) -> bool {
        self.shared.contains(selector)
            || RESOURCE_FIELDS.contains(&selector)
            || OUTCOME_FIELDS.contains(&selector)
    }
}

/// Every leaf of a JSON record, as a selector (`$.userIdentity.type`) and its value.
fn leaves(json: &Value) -> Vec<(String, &Value)> {
    fn walk<'j>(path: String, node: &'j Value, out: &mut Vec<(String, &'j Value)>) {
        match node {
            Value::Object(map) => {
                for (key, child) in map {
                    walk(format!("{path}.{key}"), child, out);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    walk(format!("{path}[{index}]"), child, out);
                }
            }
            leaf => out.push((path, leaf)),
        }
    }
    let mut out = Vec::new();
    walk("$".into(), json, &mut out);
    out
}

/// What the pattern's structure decides, before the records are counted.
fn structure(
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
                    "test the fields instead, with a JSON pattern: { ($.eventSource = \"secretsmanager.amazonaws.com\") && ($.eventName = \"GetSecretValue\") }",
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
                        "the metric filter `{name}` (pattern `{written}`) excludes {}: a read whose record holds that text anywhere \
                         (a user agent, a role session name, an address, all chosen by the caller) is missed",
                        excluded.join(", ")
                    ),
                    "count by what every read shares, without exclusions: `GetSecretValue`, or, to leave out records that only \
                     mention it, { ($.eventSource = \"secretsmanager.amazonaws.com\") && ($.eventName = \"GetSecretValue\") }"
                        .into(),
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
                    "simplify it: `{ ($.eventSource = \"secretsmanager.amazonaws.com\") && ($.eventName = \"GetSecretValue\") }` is all it takes",
                ));
            };
            let named = ctx.w.named_events();
            for alternative in &alternatives {
                let reach = reaches(corpus, &Pattern::Json(conjunction(alternative)));
                let unjudged = alternative.iter().find(|(selector, test)| {
                    !corpus.judges(&selector.to_string()) && !tautology(test)
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
                             which differs from one read to the next or which a read may or may not carry \
                             (another time, address, agent, caller, version or endpoint), so the reads that differ are missed"
                        ),
                        "test only what every read shares, the event source and the event name (and, if you like, the secret's name)".into(),
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
                            "name the operation exactly: $.eventName = \"GetSecretValue\"".into(),
                        );
                    }
                }
            }
            Ok(())
        }
    }
}

/// Whether a test holds for any value a field may have: `= "*"` (a field every
/// record of the shape carries, as the records then show).
fn tautology(test: &Test) -> bool {
    !test.pins() && matches!(test, Test::Compare(Op::Eq, _))
}

/// Which records an alternative meets.
struct Reach {
    /// Some record the watch counts.
    counted: bool,
    /// Some record the watch allows by its operation (not one that merely mentions
    /// a word: meeting only those is counting something else).
    allowed: bool,
}

impl Reach {
    fn any(&self) -> bool {
        self.counted || self.allowed
    }
}

/// Which of the corpus's records `pattern` may match.
fn reaches(corpus: &Corpus, pattern: &Pattern) -> Reach {
    let mut reach = Reach {
        counted: false,
        allowed: false,
    };
    for (_, record, class) in &corpus.records {
        let relevant = match class {
            Class::Count(_) => !reach.counted,
            Class::Allow(allow) => !reach.allowed && !allow.shape.events.is_empty(),
            Class::Ignore => false,
        };
        if relevant && pattern.matches_record(&record.text, &record.json) != Verdict::NoMatch {
            match class {
                Class::Count(_) => reach.counted = true,
                _ => reach.allowed = true,
            }
        }
    }
    reach
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

/// What running the feeders over the records found.
struct ByRecords {
    notes: Vec<String>,
    records: usize,
    confirmed_by_aws: bool,
}

/// The feeders over the corpus: each record the watch counts adds exactly 1, each it
/// ignores adds 0, each it allows adds at most 1.
fn by_records(
    ctx: &Ctx,
    corpus: &Corpus,
    feeders: &[&MetricFilter],
    patterns: &[Pattern],
) -> Result<ByRecords, Judgement> {
    let (records, seed) = (&corpus.records, corpus.seed);

    // TestMetricFilter's answers, by pattern, where the fetch has them.
    let mut answers = Vec::new();
    let mut unanswered = None;
    for filter in feeders {
        match ctx.s.filter_tests.get(&filter.pattern) {
            Some(Ok(matched)) => answers.push(Some(matched)),
            Some(Err(e)) => {
                if !matches!(
                    e.kind,
                    ReadErrorKind::NotImplemented | ReadErrorKind::Unavailable
                ) {
                    unanswered.get_or_insert(e);
                }
                answers.push(None);
            }
            None => answers.push(None),
        }
    }

    let mut missed = Vec::new();
    let mut twice = Vec::new();
    let mut extra = Vec::new();
    let mut unknown = None;
    let mut allowed: Vec<&str> = Vec::new();
    for (index, record, class) in records {
        let mut matched = Vec::new();
        let mut undecided = Vec::new();
        for ((filter, pattern), answer) in feeders.iter().zip(patterns).zip(&answers) {
            let ours = pattern.matches_record(&record.text, &record.json);
            let aws = match (index, answer) {
                (Some(i), Some(matched)) => Some(if matched.contains(i) {
                    Verdict::Match
                } else {
                    Verdict::NoMatch
                }),
                _ => None,
            };
            let verdict = match (ours, aws) {
                (Verdict::Unknown, Some(aws)) => aws,
                (ours, Some(aws)) if ours != aws => {
                    return Err(error(
                        format!(
                            "CloudWatch's TestMetricFilter and lab disagree on whether the pattern `{}` matches {} (CloudWatch: {}, lab: {})",
                            visible(&filter.pattern),
                            record.gist(),
                            says(aws),
                            says(ours)
                        ),
                        "check the filter with Test pattern in the console, and report the record to lab's maintainers",
                    ));
                }
                (ours, _) => ours,
            };
            match verdict {
                Verdict::Match => matched.push(*filter),
                Verdict::Unknown => undecided.push(*filter),
                Verdict::NoMatch => {}
            }
        }
        let (m, u) = (matched.len(), undecided.len());
        match class {
            Class::Count(_) if m == 0 && u == 0 => missed.push(record),
            Class::Count(_) | Class::Allow(_) if m >= 2 => twice.push((record, matched)),
            Class::Ignore if m >= 1 => extra.push((record, matched)),
            Class::Count(_) if m == 1 && u == 0 => {}
            Class::Allow(allow) if m + u <= 1 => {
                if m == 1
                    && let Some(note) = &allow.note
                    && !allowed.contains(&note.as_str())
                {
                    allowed.push(note);
                }
            }
            Class::Ignore if u == 0 => {}
            _ => {
                unknown.get_or_insert((record, undecided[0]));
            }
        }
    }

    let judged_on = format!(
        "judged on {} generated CloudTrail records, seed {seed:#x}",
        records.len()
    );
    if !missed.is_empty() || !extra.is_empty() || !twice.is_empty() {
        let mut parts = Vec::new();
        if !missed.is_empty() {
            parts.push(format!(
                "it misses {} of the {} the records hold, e.g. {}",
                missed.len(),
                ctx.w.counts,
                examples(missed.iter().map(|r| r.gist()))
            ));
        }
        if !extra.is_empty() {
            parts.push(format!(
                "it also counts {} other records, e.g. {}",
                extra.len(),
                examples(extra.iter().map(|(r, by)| format!(
                    "{} (matched by `{}`)",
                    r.gist(),
                    by[0].name
                )))
            ));
        }
        if !twice.is_empty() {
            parts.push(format!(
                "it counts {} records more than once, e.g. {}",
                twice.len(),
                examples(twice.iter().map(|(r, by)| {
                    let names: Vec<String> = by.iter().map(|f| format!("`{}`", f.name)).collect();
                    format!("{} (matched by {})", r.gist(), names.join(" and "))
                }))
            ));
        }
        let filters: Vec<String> = feeders
            .iter()
            .map(|f| format!("`{}` (pattern `{}`)", f.name, visible(&f.pattern)))
            .collect();
        return Err(fail(
            format!(
                "`{}` / `{}`, fed by {}, does not count {}: {} ({judged_on})",
                ctx.n.namespace,
                ctx.n.metric,
                filters.join(" and "),
                ctx.w.counts,
                parts.join("; ")
            ),
            standard_fix(ctx),
            None,
        ));
    }
    if let Some((record, filter)) = unknown {
        let why = match unanswered {
            Some(e) => format!(
                "; CloudWatch's TestMetricFilter could have settled it, but {}",
                super::unreadable(e).message
            ),
            None => String::new(),
        };
        return Err(error(
            format!(
                "whether the pattern `{}` of the metric filter `{}` matches {} depends on details AWS does not document \
                 (a term found only inside a longer word, `!=` on a field the record lacks, or a string compared with a \
                 number or a boolean, where `IS TRUE` or a bare number is meant){why}",
                visible(&filter.pattern),
                filter.name,
                record.gist()
            ),
            "use the pattern `GetSecretValue`, or check the filter with Test pattern in the console",
        ));
    }
    Ok(ByRecords {
        notes: allowed.into_iter().map(str::to_string).collect(),
        records: records.len(),
        confirmed_by_aws: ctx.s.endpoint == Endpoint::Aws && answers.iter().all(Option::is_some),
    })
}

/// The corpus seed for these feeders' patterns and the secret: the same account gets
/// the same verdict, and no pattern can be fitted to its corpus.
/// Drawn from what the patterns mean (their parsed form), not their spelling: extra
/// spaces do not draw another corpus.
fn corpus_seed(patterns: &[Pattern], subject: &Subject) -> u64 {
    let mut text = subject.secret_arn.clone();
    for pattern in patterns {
        text.push_str(&format!("\n{pattern:?}"));
    }
    corpus::rng::hash(&text)
}

/// A pattern as a person can read it: characters that do not show (a no-break space,
/// a control character) written as `U+00A0`.
fn visible(pattern: &str) -> String {
    pattern
        .chars()
        .map(|c| {
            if c == ' ' || !(c.is_whitespace() || c.is_control()) {
                c.to_string()
            } else {
                format!("U+{:04X}", u32::from(c))
            }
        })
        .collect()
}

fn says(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Match => "matches",
        Verdict::NoMatch => "no match",
        Verdict::Unknown => "cannot tell",
    }
}

fn examples(gists: impl Iterator<Item = String>) -> String {
    gists.take(EXAMPLES).collect::<Vec<_>>().join("; ")
}

/// The metric counts what the lab watches: every filter feeding it is on the
/// delivered log group, adds 1 per match, and together they count each watched
/// record once and nothing else.
pub(super) fn metric_filter(ctx: &Ctx) -> Judged {
    let metric = counting_metric(ctx)?;
    let filters: Vec<String> = metric
        .feeders
        .iter()
        .map(|f| format!("`{}` (pattern `{}`)", f.name, visible(&f.pattern)))
        .collect();
    let mut message = format!(
        "`{}` / `{}` counts {} (`{}`) through the metric filter {} on `{}` (judged on {} generated CloudTrail records)",
        ctx.n.namespace,
        ctx.n.metric,
        ctx.w.counts,
        ctx.n.secret,
        filters.join(" and "),
        metric.feeders[0].log_group,
        metric.records,
    );
    for note in &metric.notes {
        message.push_str("; note: ");
        message.push_str(note);
    }
    if metric.confirmed_by_aws {
        message.push_str("; CloudWatch's TestMetricFilter agrees");
    }
    Ok(pass(message, None))
}

/// What the lab's own lessons teach, for tests: the pattern, and stage numbers as
/// the shipped lessons have them for a few checks.
#[cfg(test)]
pub(crate) fn lab_teaching() -> super::Teaching {
    use crate::catalogue::Check;
    super::Teaching {
        stages: [
            (Check::SecretExists, 1),
            (Check::TrailExists, 2),
            (Check::LogsMetricFilter, 3),
            (Check::AlarmExists, 4),
            (Check::AlarmStatistic, 5),
        ]
        .into_iter()
        .collect(),
        pattern: "GetSecretValue".into(),
    }
}

#[cfg(test)]
mod tests;
