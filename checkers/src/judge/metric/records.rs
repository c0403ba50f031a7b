//! Judging by records: the corpus a metric is judged on (the fixed confirmation set
//! and the records drawn for these feeders), and the feeders run over it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::feeders::standard_fix;
use crate::corpus::{self, Record, Subject};
use crate::filter_pattern::{Expr, Op, Pattern, Selector, Test, Verdict};
use crate::judge::{Ctx, Judgement, error, fail, unreadable};
use crate::snapshot::{Endpoint, MetricFilter, ReadErrorKind};
use crate::watch::Class;

/// How many example records a failure names.
const EXAMPLES: usize = 3;

/// The records a metric is judged on: the fixed confirmation set (which
/// TestMetricFilter may have answered) and the corpus drawn for these feeders, each
/// with what the watch says of it.
pub(super) struct Corpus<'w> {
    /// Index into the confirmation set, or `None` for a drawn record; the record;
    /// what the metric must do with it.
    records: Vec<(Option<usize>, Record, Class<'w>)>,
    seed: u64,
    /// Fields every counted record holds, with the same value in all of them.
    shared: BTreeSet<String>,
    /// Fields the lab's shapes speak about, which the corpus varies along.
    named: Vec<&'static str>,
}

impl<'w> Corpus<'w> {
    pub(super) fn for_patterns(ctx: &Ctx<'w>, patterns: &[Pattern]) -> Result<Self, Judgement> {
        let subject = ctx.subject()?;
        let seed = corpus_seed(patterns, &subject);
        let records: Vec<(Option<usize>, Record, Class)> = corpus::confirmation_set(&subject)
            .into_iter()
            .enumerate()
            .map(|(i, r)| (Some(i), r))
            .chain(
                corpus::generate(&subject, seed, &ctx.w.focus())
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
            named: ctx.w.judged_fields(),
        })
    }

    /// Whether a test of `selector` is judged fairly by the records: a field every
    /// counted record shares, or one the lab's shapes speak about (the operation,
    /// the resource's name, the outcome, the caller…), which the corpus varies.
    /// (`errorMessage`, say, is free text that varies with the caller and the
    /// policy: not judged.)
    pub(super) fn judges(&self, selector: &str) -> bool {
        self.shared.contains(selector) || self.named.contains(&selector)
    }

    /// Whether `test` (a `!=`) excludes only values no record holds: it is aimed at
    /// records the corpus cannot show (`$.errorCode != "SomeOtherError"`), so the
    /// records cannot say what it misses.
    pub(super) fn excludes_only_unseen(&self, selector: &Selector, test: &Test) -> bool {
        if !matches!(test, Test::Compare(Op::Ne, _)) {
            return false;
        }
        let has = Pattern::Json(Expr::Test(selector.clone(), Test::NotExists));
        let passes = Pattern::Json(Expr::Test(selector.clone(), test.clone()));
        !self.records.iter().any(|(_, r, _)| {
            has.matches_record(&r.text, &r.json) == Verdict::NoMatch
                && passes.matches_record(&r.text, &r.json) == Verdict::NoMatch
        })
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

/// Which records an alternative meets.
pub(super) struct Reach {
    /// Some record the watch counts.
    pub(super) counted: bool,
    /// Some record the watch allows by its operation (not one that merely mentions
    /// a word: meeting only those is counting something else).
    allowed: bool,
}

impl Reach {
    pub(super) fn any(&self) -> bool {
        self.counted || self.allowed
    }
}

/// Which of the corpus's records `pattern` may match.
pub(super) fn reaches(corpus: &Corpus, pattern: &Pattern) -> Reach {
    let mut reach = Reach {
        counted: false,
        allowed: false,
    };
    for (_, record, class) in &corpus.records {
        let relevant = match class {
            Class::Count(_) => !reach.counted,
            Class::Allow(allow) => !reach.allowed && !allow.shape.events.is_empty(),
            Class::Never(_) | Class::Ignore => false,
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

/// What running the feeders over the records found.
pub(super) struct ByRecords {
    pub(super) notes: Vec<String>,
    pub(super) records: usize,
    pub(super) confirmed_by_aws: bool,
}

/// The feeders over the corpus: each record the watch counts adds exactly 1, each it
/// ignores adds 0, each it allows adds at most 1.
pub(super) fn by_records(
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
            Class::Never(_) | Class::Ignore if m >= 1 => extra.push((record, class, matched)),
            Class::Count(_) if m == 1 && u == 0 => {}
            Class::Allow(allow) if m + u <= 1 => {
                if m == 1
                    && let Some(note) = &allow.note
                    && !allowed.contains(&note.as_str())
                {
                    allowed.push(note);
                }
            }
            Class::Never(_) | Class::Ignore if u == 0 => {}
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
            // The records the lab names as never counted come first, with why.
            extra.sort_by_key(|(_, class, _)| !matches!(class, Class::Never(_)));
            let mut why: Vec<&str> = Vec::new();
            for (_, class, _) in &extra {
                if let Class::Never(never) = class
                    && let Some(note) = &never.note
                    && !why.contains(&note.as_str())
                {
                    why.push(note);
                }
            }
            let why = if why.is_empty() {
                String::new()
            } else {
                format!(" ({})", why.join("; "))
            };
            // Examples as unlike each other as the records allow: one of each
            // kind the lab names, then other operations.
            let mut shown: Vec<usize> = Vec::new();
            let mut kinds: Vec<&str> = Vec::new();
            for (index, (_, class, _)) in extra.iter().enumerate() {
                if let Class::Never(never) = class
                    && !kinds.contains(&never.shape.label.as_str())
                {
                    kinds.push(&never.shape.label);
                    shown.push(index);
                }
            }
            for (index, (record, _, _)) in extra.iter().enumerate() {
                let new_operation = !shown
                    .iter()
                    .any(|i| extra[*i].0.facts.event == record.facts.event);
                if shown.len() < EXAMPLES && new_operation {
                    shown.push(index);
                }
            }
            parts.push(format!(
                "it also counts {} other records, e.g. {}{why}",
                extra.len(),
                examples(shown.iter().map(|i| {
                    let (record, _, by) = &extra[*i];
                    format!("{} (matched by `{}`)", record.gist(), by[0].name)
                }))
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
                unreadable(e).message
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
            format!(
                "use the pattern `{}`, or check the filter with Test pattern in the console",
                ctx.t.pattern
            ),
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
pub(super) fn visible(pattern: &str) -> String {
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
