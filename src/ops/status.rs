//! `lab status`: the stages with what is done, and the next step.

use console::style;

use crate::progress::{Progress, StepState};
use crate::session::Session;

/// The learner's progress in `session`'s account, as printed; `flags` are the
/// options the commands it names need.
pub fn status(session: &Session<'_>, progress: &Progress, flags: &str) -> String {
    let (lab, identity) = (session.lab, &session.identity);
    let mut out = format!(
        "{}\naccount {} · region {}\n\n",
        style(&lab.title).bold(),
        identity.account,
        identity.region
    );
    for stage in &lab.stages {
        let done = stage
            .steps
            .iter()
            .filter(|s| progress.is_done(&s.id))
            .count();
        let skipped = stage
            .steps
            .iter()
            .filter(|s| {
                progress
                    .steps
                    .get(&s.id)
                    .is_some_and(|r| r.state == StepState::Skipped)
            })
            .count();
        let mark = if done == stage.steps.len() {
            style("✓").green().bold()
        } else if done + skipped > 0 {
            style("◐").yellow().bold()
        } else {
            style("○").dim()
        };
        let skipped = if skipped > 0 {
            format!(", {skipped} skipped")
        } else {
            String::new()
        };
        out.push_str(&format!(
            "  {mark} Stage {} · {}  ({done}/{} steps{skipped})\n",
            stage.number,
            stage.title,
            stage.steps.len()
        ));
    }
    let next = progress
        .current
        .as_ref()
        .and_then(|id| lab.steps().find(|(_, s)| &s.id == id))
        .or_else(|| lab.steps().find(|(_, s)| !progress.is_done(&s.id)));
    out.push_str(&match (next, lab.stages.last()) {
        (Some((stage, step)), _) => format!(
            "\nNext: stage {} · {} (`lab run{flags}` continues there)\n",
            stage.number, step.title
        ),
        (None, Some(last)) => format!(
            "\nEvery step is done. `lab check{flags} --stage {}` confirms the last stage, {}.\n",
            last.id, last.title
        ),
        (None, None) => "\nEvery step is done.\n".to_string(),
    });
    out
}
