//! The passes over the lab file's own fields: what `load` checks in lab.yaml besides
//! the variables and the list of stage files.

use std::collections::HashSet;

use checkers::catalogue as checks;
use checkers::corpus::{self, Subject};
use checkers::watch::Watch;

use super::checker::Checker;
use crate::lesson::locate::YamlPath;
use crate::lesson::model::{Period, Troubleshoot, TroubleshootExample};
use crate::lesson::schema::{AppendixDef, LabFile, TroubleshootDef};
use crate::lesson::source::LessonSource;
use crate::lesson::suggest;

/// The lab's id, the texts a learner reads, its tag, the checks `points` weighs,
/// that there is a stage, the watch (for lessons from a folder), the motivation
/// and the chain.
pub(super) fn lab_fields(checker: &mut Checker, raw: &LabFile, source: &LessonSource) {
    checker.kebab(&YamlPath::root().key("id"), &raw.id, "lab id");
    for (field, text) in [
        ("title", &raw.title),
        ("summary", &raw.summary),
        ("cost", &raw.cost),
        ("sandbox_cost", &raw.sandbox_cost),
        ("handbook_usage", &raw.handbook_usage),
    ] {
        checker.non_empty(&YamlPath::root().key(field), text, field);
    }
    if raw.minutes == 0 {
        checker.error(
            &YamlPath::root().key("minutes"),
            "a lab takes at least a minute",
            Some("say about how many minutes the lab takes on AWS, waits included".into()),
        );
    }
    checker.non_empty(
        &YamlPath::root().key("tag").key("key"),
        &raw.tag.key,
        "tag key",
    );
    checker.non_empty(
        &YamlPath::root().key("tag").key("value"),
        &raw.tag.value,
        "tag value",
    );
    let check_ids: Vec<&str> = checks::CATALOGUE.iter().map(|c| c.id).collect();
    for id in raw.points.keys() {
        if checks::find(id).is_none() {
            checker.error(
                &YamlPath::root().key("points").key(id),
                &format!("`points` names an unknown check `{id}`"),
                Some(suggest::help(id, "checks", &check_ids)),
            );
        }
    }
    if raw.stages.is_empty() {
        checker.error(
            &YamlPath::root().key("stages"),
            "a lab needs at least one stage",
            None,
        );
    }
    // Whether the watch can count anything takes generating the whole corpus of
    // CloudTrail records, which is most of a start-up: it is done for lessons from a
    // folder, which an author may have changed, and for the embedded lessons by a
    // test (`validate/tests.rs`), since they cannot change after the build.
    match source {
        LessonSource::Dir(_) => check_watch(checker, &raw.watch),
        LessonSource::BuiltIn(_) => {}
    }
    checker.non_empty(
        &YamlPath::root().key("motivation"),
        &raw.motivation,
        "motivation",
    );
    if raw.chain.len() < 2 {
        checker.error(
            &YamlPath::root().key("chain"),
            "a chain has at least two links",
            Some("list the services from where the event starts to where the alert ends".into()),
        );
    }
}

/// The watch must count something the corpus can make records of: a `count` shape
/// no record has would make `logs.metric_filter` pass any pattern that counts nothing.
pub(super) fn check_watch(checker: &mut Checker, watch: &Watch) {
    let path = YamlPath::root().key("watch").key("count");
    if watch.count.is_empty() {
        checker.error(
            &path,
            "the watch must count at least one kind of record",
            None,
        );
        return;
    }
    let subject = Subject::new("lab-secret", None, "111122223333", "us-east-1");
    // A shape that names what is not counted must name records that are not
    // counted: one the `count` shapes swallow whole says nothing.
    let watch_path = YamlPath::root().key("watch");
    let records = corpus::generate(&subject, corpus::CONFIRMATION_SEED, &watch.focus());
    for (list, noted) in [("allow", &watch.allow), ("never", &watch.never)] {
        for (index, noted) in noted.iter().enumerate() {
            let uncounted = |r: &corpus::Record| {
                noted.shape.holds(&r.facts, &r.text)
                    && !watch.count.iter().any(|c| c.holds(&r.facts, &r.text))
            };
            if !records.iter().any(uncounted) {
                checker.error(
                    &watch_path.key(list).index(index),
                    &format!(
                        "no CloudTrail record lab can generate has the shape `{}` without being counted",
                        noted.shape.label
                    ),
                    Some("narrow the shape, or remove it: the `count` shapes already take every such record".into()),
                );
            }
        }
    }
    for (index, shape) in watch.count.iter().enumerate() {
        if !records.iter().any(|r| shape.holds(&r.facts, &r.text)) {
            let known: Vec<&str> = corpus::operations::OPERATIONS
                .iter()
                .map(|op| op.name)
                .collect();
            checker.error(
                &path.index(index),
                &format!(
                    "no CloudTrail record lab can generate has the shape `{}`",
                    shape.label
                ),
                Some(format!(
                    "check its source, events and outcome; the operations lab knows are {}",
                    known.join(", ")
                )),
            );
        }
    }
}

/// Each appendix: a kebab-case id of its own, a title and a text.
pub(super) fn appendices(checker: &mut Checker, appendices: &[AppendixDef]) {
    let mut appendix_ids = HashSet::new();
    for (i, appendix) in appendices.iter().enumerate() {
        let path = YamlPath::root().key("appendices").index(i);
        checker.kebab(&path.key("id"), &appendix.id, "appendix id");
        if !appendix_ids.insert(appendix.id.as_str()) {
            checker.error(
                &path.key("id"),
                &format!("appendix id `{}` is used twice", appendix.id),
                Some("give each appendix its own id".into()),
            );
        }
        checker.non_empty(&path.key("title"), &appendix.title, "appendix title");
        checker.non_empty(&path.key("text"), &appendix.text, "appendix text");
    }
}

/// The troubleshooting: the checks whose failure it explains exist, it has an
/// explanation, and its example's periods and threshold make a chart.
pub(super) fn troubleshoot(checker: &mut Checker, t: &TroubleshootDef) -> Troubleshoot {
    let check_ids: Vec<&str> = checks::CATALOGUE.iter().map(|c| c.id).collect();
    let path = YamlPath::root().key("troubleshoot");
    let when_failing = t
        .when_failing
        .iter()
        .enumerate()
        .filter_map(|(i, id)| match checks::find(id) {
            Some(spec) => Some(spec.check),
            None => {
                checker.error(
                    &path.key("when_failing").index(i),
                    &format!("`troubleshoot` names an unknown check `{id}`"),
                    Some(suggest::help(id, "checks", &check_ids)),
                );
                None
            }
        })
        .collect();
    checker.non_empty(&path.key("explain"), &t.explain, "troubleshoot explanation");
    let example = t.example.as_ref().map(|example| {
        let path = path.key("example");
        checker.non_empty(&path.key("caption"), &example.caption, "example caption");
        if example.periods.is_empty() {
            checker.error(
                &path.key("periods"),
                "the example has no periods",
                Some("give at least one period: `- {events: 20, reads: 1}`".into()),
            );
        }
        if !(example.threshold.is_finite() && example.threshold > 0.0) {
            checker.error(
                &path.key("threshold"),
                &format!("threshold {} is not a positive number", example.threshold),
                None,
            );
        }
        for (i, period) in example.periods.iter().enumerate() {
            if period.events == 0 || period.reads > period.events {
                checker.error(
                    &path.key("periods").index(i),
                    &format!(
                        "a period of {} events cannot hold {} reads",
                        period.events, period.reads
                    ),
                    Some(
                        "every period has at least one event, and no more reads than events".into(),
                    ),
                );
            }
        }
        TroubleshootExample {
            caption: example.caption.clone(),
            threshold: example.threshold,
            periods: example
                .periods
                .iter()
                .map(|p| Period {
                    events: p.events,
                    reads: p.reads,
                })
                .collect(),
        }
    });
    Troubleshoot {
        when_failing,
        after_steps: t.after_steps.clone(),
        explain_after: t.explain_after.clone(),
        explain: t.explain.clone(),
        example,
    }
}

/// A stage's number is a `u8`: at most 255 stages.
pub(super) fn stage_limit(checker: &mut Checker, stages: &[String]) {
    if stages.len() > usize::from(u8::MAX) {
        checker.error(
            &YamlPath::root().key("stages"),
            "a lab has at most 255 stages",
            None,
        );
    }
}

/// The steps the troubleshooting shows its numbers after exist, once every stage
/// file has named its steps.
pub(super) fn troubleshoot_steps(
    checker: &mut Checker,
    t: &TroubleshootDef,
    step_ids: &HashSet<String>,
) {
    let mut ids: Vec<&str> = step_ids.iter().map(String::as_str).collect();
    ids.sort_unstable();
    let named = [
        ("after_steps", &t.after_steps),
        ("explain_after", &t.explain_after),
    ];
    for (key, id, i) in named
        .into_iter()
        .flat_map(|(key, ids)| ids.iter().enumerate().map(move |(i, id)| (key, id, i)))
    {
        if !step_ids.contains(id) {
            checker.error(
                &YamlPath::root().key("troubleshoot").key(key).index(i),
                &format!("`troubleshoot` names an unknown step `{id}`"),
                Some(suggest::help(id, "steps", &ids)),
            );
        }
    }
}
