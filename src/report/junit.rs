//! The JUnit XML view, for CI systems: one test suite per stage, one test case per
//! check; a fail is a `<failure>`, an error an `<error>`, a skip `<skipped>`.

use checkers::Status;

use super::Report;

/// The report as JUnit XML.
pub fn render(report: &Report) -> String {
    let s = report.summary();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n",
        escape(&report.lab),
        s.total,
        s.fail,
        s.error,
        s.skipped
    ));
    for (number, title, findings) in report.by_stage() {
        let count = |status| findings.iter().filter(|f| f.status == status).count();
        out.push_str(&format!(
            "  <testsuite name=\"stage {number}: {}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n",
            escape(title),
            findings.len(),
            count(Status::Fail),
            count(Status::Error),
            count(Status::Skipped)
        ));
        out.push_str(&format!(
            "    <properties><property name=\"account\" value=\"{}\"/><property name=\"region\" value=\"{}\"/></properties>\n",
            escape(&report.account),
            escape(&report.region)
        ));
        for f in findings {
            out.push_str(&format!(
                "    <testcase classname=\"{}.stage{number}\" name=\"{}\">",
                escape(&report.lab),
                escape(&f.id)
            ));
            let body = format!(
                "{}{}",
                f.message,
                f.fix
                    .as_deref()
                    .map(|x| format!("\nfix: {x}"))
                    .unwrap_or_default()
            );
            match f.status {
                Status::Pass => {
                    out.push_str(&format!("<system-out>{}</system-out>", escape(&f.message)))
                }
                Status::Fail => out.push_str(&format!(
                    "<failure message=\"{}\">{}</failure>",
                    escape(&f.message),
                    escape(&body)
                )),
                Status::Error => out.push_str(&format!(
                    "<error message=\"{}\">{}</error>",
                    escape(&f.message),
                    escape(&body)
                )),
                Status::Skipped => {
                    out.push_str(&format!("<skipped message=\"{}\"/>", escape(&f.message)))
                }
            }
            out.push_str("</testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            escape("a <b> & \"c\" 'd'\u{1}"),
            "a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;"
        );
    }
}
