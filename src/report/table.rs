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
