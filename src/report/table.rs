//! The table view, for people: stage headings, a mark per check, what was found,
//! the fix under every failure, and a score line.

use checkers::Status;
use console::style;

use super::Report;

/// The report as text for a terminal (coloured when colour is enabled).
pub(super) fn render(report: &Report) -> String {
    let mut out = format!(
        "{}\naccount {} · region {}\n",
        style(&report.title).bold(),
        report.account,
        report.region
    );
    if let Some(evidence) = report.evidence() {
        out.push_str(&format!(
            "{} {evidence}\n",
            style("From event history:").yellow().bold()
        ));
    }
    for (number, title, findings) in report.by_stage() {
        out.push_str(&format!(
            "\n{}\n",
            style(format!("Stage {number} · {title}"))
                .bold()
                .underlined()
        ));
        for f in findings {
            let mark = super::mark(f.status);
            out.push_str(&format!("  {mark} {:<30} {}\n", f.id, f.title));
            // A message may carry a pattern with a caret under it: keep its lines together.
            let message = f.message.replace('\n', "\n      ");
            out.push_str(&format!("      {}\n", style(message).dim()));
            if let Some(fix) = &f.fix
                && f.status != Status::Pass
            {
                out.push_str(&format!("      {} {fix}\n", style("fix:").cyan().bold()));
            }
        }
    }
    if let Some(path) = report.path() {
        out.push_str(&why_no_email(&path, usize::MAX));
    }
    let s = report.summary();
    let score = report.score();
    out.push_str(&format!(
        "\n{} {}/{} points · {} passed · {} failed · {} skipped · {} not graded\n",
        style("Score").bold(),
        score.earned,
        score.possible,
        s.pass,
        s.fail,
        s.skipped,
        s.error,
    ));
    if !score.complete() {
        out.push_str(&format!(
            "{} {} point{} could not be graded (marked !): they count neither for nor against; fix what they say and check again\n",
            style("Incomplete:").yellow().bold(),
            score.not_graded,
            if score.not_graded == 1 { "" } else { "s" }
        ));
    }
    out
}

/// The answer to "why no email?": the path's first break, with what the check that
/// owns it found and the fix; or that a read reaches the inbox. The guide says it in
/// the same words, wrapped to `width` columns.
pub fn why_no_email(path: &checkers::path::Diagnosis, width: usize) -> String {
    use crate::markdown::wrap_text;
    let heading = style("From a read to your inbox").bold().underlined();
    let Some(broken) = &path.first_break else {
        return format!(
            "\n{heading}\n{}",
            wrap_text(
                &format!("{} ", super::mark(Status::Pass)),
                "every link holds: a read of the secret reaches the inbox",
                4,
                width
            )
        );
    };
    let holding = path
        .links
        .iter()
        .take_while(|l| l.link != broken.link)
        .count();
    let verb = if broken.status == Status::Error {
        "lab cannot tell whether"
    } else {
        "it breaks where"
    };
    let mut out = format!("\n{heading}\n");
    out.push_str(&wrap_text(
        &format!("{} ", super::mark(broken.status)),
        &format!(
            "{holding} of {} links hold; {verb} {} ({})",
            path.links.len(),
            broken.holds,
            broken.check
        ),
        4,
        width,
    ));
    if width == usize::MAX {
        // Unwrapped, a pattern's caret stays under its spot.
        out.push_str(&format!(
            "      {}\n",
            style(broken.message.replace('\n', "\n      ")).dim()
        ));
    } else {
        out.push_str(&wrap_text("", &broken.message, 6, width));
    }
    if let Some(fix) = &broken.fix {
        let lead = format!("{} ", style("fix:").cyan().bold());
        out.push_str(&wrap_text(&lead, fix, 6, width));
    }
    out
}
