//! The table view, for people: stage headings, a mark per check, what was found,
//! the fix under every failure, and a score line.

use checkers::Status;
use console::style;

use super::Report;

/// The report as text for a terminal (coloured when colour is enabled).
pub fn render(report: &Report) -> String {
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
            out.push_str(&format!("      {}\n", style(&f.message).dim()));
            if let Some(fix) = &f.fix
                && f.status != Status::Pass
            {
                out.push_str(&format!("      {} {fix}\n", style("fix:").cyan().bold()));
            }
        }
    }
    let s = report.summary();
    out.push_str(&format!(
        "\n{} {}/{} passed · {} failed · {} error{} · {} skipped\n",
        style("Score").bold(),
        s.pass,
        s.total,
        s.fail,
        s.error,
        if s.error == 1 { "" } else { "s" },
        s.skipped
    ));
    out
}
