//! The table view, for people: stage headings, a mark per check, what was found,
//! the fix under every failure, and a score line.

use checkers::Status;
use console::style;

use super::Report;

/// The report as text for a terminal (coloured when colour is enabled), wrapped to
/// its width; unwrapped when written to a file or a pipe.
pub(super) fn render(report: &Report) -> String {
    render_within(report, crate::markdown::terminal_width())
}

/// The same, wrapped to `width` columns. A message of several lines (a pattern
/// with a caret under the spot) keeps its lines as they are.
fn render_within(report: &Report, width: usize) -> String {
    use crate::markdown::wrap_text;
    let mut out = format!(
        "{}\naccount {} · region {}\n",
        style(&report.title).bold(),
        report.account,
        report.region
    );
    if let Some(evidence) = report.evidence() {
        let lead = format!("{} ", style("From event history:").yellow().bold());
        out.push_str(&wrap_text(&lead, evidence, 0, width));
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
            out.push_str(&wrap_text(
                &format!("{mark} {:<30} ", f.id),
                &f.title,
                2,
                width,
            ));
            if f.message.contains('\n') {
                // A pattern with a caret under it: its lines together, as written.
                let message = f.message.replace('\n', "\n      ");
                out.push_str(&format!("      {}\n", style(message).dim()));
            } else {
                out.push_str(&style(wrap_text("", &f.message, 6, width)).dim().to_string());
            }
            if let Some(fix) = &f.fix
                && f.status != Status::Pass
            {
                let lead = format!("{} ", style("fix:").cyan().bold());
                out.push_str(&wrap_text(&lead, fix, 6, width));
            }
        }
    }
    if let Some(path) = report.path() {
        out.push_str(&why_no_email(&path, width, true));
    }
    let s = report.summary();
    let score = report.score();
    out.push('\n');
    out.push_str(&wrap_text(
        &format!("{} ", style("Score").bold()),
        &format!(
            "{}/{} points · {} passed · {} failed · {} skipped · {} not graded",
            score.earned, score.possible, s.pass, s.fail, s.skipped, s.error,
        ),
        0,
        width,
    ));
    if !score.complete() {
        out.push_str(&wrap_text(
            &format!("{} ", style("Incomplete:").yellow().bold()),
            &format!(
                "{} point{} could not be graded (marked !): they count neither for nor against; fix what they say and check again",
                score.not_graded,
                if score.not_graded == 1 { "" } else { "s" }
            ),
            0,
            width,
        ));
    }
    out
}

/// The answer to "why no email?": the path's first break, with what the check that
/// owns it found and the fix (unless `detail` is false: said already); or that a
/// read reaches the inbox. The guide says it in the same words, wrapped to `width`
/// columns.
pub fn why_no_email(path: &checkers::path::Diagnosis, width: usize, detail: bool) -> String {
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
    if !detail {
        return out;
    }
    if broken.message.contains('\n') {
        // A pattern with a caret under it: its lines together, as written.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(id: &str, status: Status, message: &str, fix: Option<&str>) -> checkers::Finding {
        checkers::Finding {
            id: id.into(),
            stage: 3,
            title: "The metric filter counts every read of the secret, and nothing else".into(),
            status,
            message: message.into(),
            fix: fix.map(Into::into),
            resource: None,
            evidence: None,
        }
    }

    #[test]
    fn the_table_wraps_within_the_width_and_keeps_a_patterns_caret() {
        let long = "the filter `{ $.eventName = \"GetSecretValue\" }` counts 2 of the 9 kinds of \
                    record it must, and 14 of the 31 it must not: every read of any secret by anyone";
        let caret = "the pattern does not parse:\n  { $.eventName = }\n                  ^ a value";
        let report = Report {
            lab: "lab".into(),
            title: "Monitoring access to AWS Secrets Manager".into(),
            account: "111122223333".into(),
            region: "us-east-1".into(),
            stages: vec![(3, "Count the reads".into())],
            findings: vec![
                finding("logs.metric_filter", Status::Fail, long, Some(long)),
                finding("logs.metric_filter_parses", Status::Fail, caret, None),
            ],
            points: Default::default(),
            api_calls: 0,
            graded_at: String::new(),
            seconds: 0.0,
            timings: vec![],
            warnings: vec![],
        };
        console::set_colors_enabled(false);
        let text = render_within(&report, 80);
        for line in text.lines() {
            assert!(
                console::measure_text_width(line) <= 80,
                "{line:?} in\n{text}"
            );
        }
        assert!(text.contains("\n      fix: the filter"), "{text}");
        assert!(
            text.contains("  { $.eventName = }\n                        ^ a value"),
            "the caret stays under its spot:\n{text}"
        );
    }
}
