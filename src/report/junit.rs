//! The JUnit XML view, for CI systems, valid against the widely used `junit-10.xsd`:
//! one test suite per stage (for a class: per student), one test case per check; a
//! fail is a `<failure>`, and so is a check skipped because a prerequisite failed
//! (its points are lost: `type="skipped"`), each with the fix in its message; a
//! check that could not be graded an `<error>`. Every suite carries its counts, `time`,
//! `timestamp`, and the account and region as properties.

use checkers::{Finding, Status};

use super::Grade;
use super::{LAB_VERSION, Report};
use crate::xml::escape;

/// The report as JUnit XML.
pub(super) fn render(report: &Report) -> String {
    let s = report.summary();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3}\">\n",
        escape(&report.lab),
        s.total,
        s.fail + s.skipped,
        s.error,
        report.seconds
    ));
    let stages: Vec<_> = report.by_stage().collect();
    for (number, title, findings) in &stages {
        let suite = Suite {
            name: format!("stage {number}: {title}"),
            classname: format!("{}.stage{number}", report.lab),
            // The read is shared; each stage is given its part of the time.
            seconds: report.seconds / stages.len() as f64,
            timestamp: &report.graded_at,
            properties: properties(report, &[]),
        };
        suite.write(&mut out, findings);
    }
    out.push_str("</testsuites>\n");
    out
}

/// A class's gradebook as JUnit XML: one suite per student.
pub(super) fn render_gradebook(grades: &[Grade]) -> String {
    let (mut tests, mut failures, mut errors, mut seconds) = (0, 0, 0, 0.0);
    let mut suites = String::new();
    for grade in grades {
        let student = &grade.student;
        let name = format!("{} ({})", student.name, student.account);
        let extra: Vec<(&str, &str)> = std::iter::once(("student", student.name.as_str()))
            .chain(student.extra().map(|(k, v)| (k.as_str(), v.as_str())))
            .collect();
        match &grade.outcome {
            Ok(report) => {
                let s = report.summary();
                tests += s.total;
                failures += s.fail + s.skipped;
                errors += s.error;
                seconds += report.seconds;
                let findings: Vec<&Finding> = report.findings.iter().collect();
                Suite {
                    name,
                    classname: "stage".into(),
                    seconds: report.seconds,
                    timestamp: &report.graded_at,
                    properties: properties(report, &extra),
                }
                .write_with_stages(&mut suites, &findings);
            }
            Err(why) => {
                tests += 1;
                errors += 1;
                let mut properties: Vec<(String, String)> = vec![
                    ("account".into(), student.account.clone()),
                    ("region".into(), student.region.clone().unwrap_or_default()),
                ];
                properties.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
                suites.push_str(&format!(
                    "  <testsuite name=\"{}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0.000\">\n",
                    escape(&name)
                ));
                write_properties(&mut suites, &properties);
                suites.push_str(&format!(
                    "    <testcase classname=\"account\" name=\"reach the account\" time=\"0.000\"><error type=\"not graded\" message=\"{}\">{}</error></testcase>\n",
                    escape(&format!("could not be graded: {why}")),
                    escape(why)
                ));
                suites.push_str("  </testsuite>\n");
            }
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"lab gradebook\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{seconds:.3}\">\n{suites}</testsuites>\n"
    )
}

/// One suite with one `<error>`: the account could not be graded at all.
pub(super) fn render_ungraded(lab: &str, why: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"{lab}\" tests=\"1\" failures=\"0\" errors=\"1\" time=\"0.000\">\n  <testsuite name=\"reach the account\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0.000\">\n    <testcase classname=\"account\" name=\"reach the account\" time=\"0.000\"><error type=\"not graded\" message=\"{}\">{}</error></testcase>\n  </testsuite>\n</testsuites>\n",
        escape(&format!("could not be graded: {why}")),
        escape(why),
        lab = escape(lab)
    )
}

/// What every suite of `report` carries as properties.
fn properties(report: &Report, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let score = report.score();
    let mut properties: Vec<(String, String)> = vec![
        ("account".into(), report.account.clone()),
        ("region".into(), report.region.clone()),
        ("lab".into(), report.lab.clone()),
        ("lab_version".into(), LAB_VERSION.into()),
        (
            "score".into(),
            format!("{}/{}", score.earned, score.possible),
        ),
        ("complete".into(), score.complete().to_string()),
    ];
    if let Some(evidence) = report.evidence() {
        properties.push(("evidence".into(), evidence.to_string()));
    }
    properties.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    properties
}

struct Suite<'r> {
    name: String,
    classname: String,
    seconds: f64,
    timestamp: &'r str,
    properties: Vec<(String, String)>,
}

impl Suite<'_> {
    fn write(&self, out: &mut String, findings: &[&Finding]) {
        self.write_cases(out, findings, |_| self.classname.clone());
    }

    /// The same, with each case's class named for its stage.
    fn write_with_stages(&self, out: &mut String, findings: &[&Finding]) {
        self.write_cases(out, findings, |f| format!("{}{}", self.classname, f.stage));
    }

    fn write_cases(
        &self,
        out: &mut String,
        findings: &[&Finding],
        class: impl Fn(&Finding) -> String,
    ) {
        let count = |status| findings.iter().filter(|f| f.status == status).count();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3}\" timestamp=\"{}\">\n",
            escape(&self.name),
            findings.len(),
            count(Status::Fail) + count(Status::Skipped),
            count(Status::Error),
            0,
            self.seconds,
            escape(&junit_timestamp(self.timestamp))
        ));
        write_properties(out, &self.properties);
        for f in findings {
            out.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{}\" time=\"0.000\">",
                escape(&class(f)),
                escape(&f.id)
            ));
            let with_fix = match &f.fix {
                Some(fix) => format!("{} Fix: {fix}", f.message),
                None => f.message.clone(),
            };
            let element = match f.status {
                Status::Pass => None,
                Status::Fail => Some(("failure", "fail")),
                Status::Error => Some(("error", "not graded")),
                // A check skipped because a prerequisite failed loses its points:
                // a failure to CI, said so, not a neutral skip.
                Status::Skipped => Some(("failure", "skipped")),
            };
            match element {
                None => out.push_str(&format!("<system-out>{}</system-out>", escape(&f.message))),
                Some((tag, kind)) => out.push_str(&format!(
                    "<{tag} type=\"{kind}\" message=\"{}\">{}</{tag}>",
                    escape(&with_fix),
                    escape(&with_fix)
                )),
            }
            out.push_str("</testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
}

fn write_properties(out: &mut String, properties: &[(String, String)]) {
    out.push_str("    <properties>");
    for (name, value) in properties {
        out.push_str(&format!(
            "<property name=\"{}\" value=\"{}\"/>",
            escape(name),
            escape(value)
        ));
    }
    out.push_str("</properties>\n");
}

/// JUnit's timestamps are ISO 8601 without a zone suffix (`2026-12-01T17:21:41`).
fn junit_timestamp(rfc3339: &str) -> String {
    rfc3339
        .trim_end_matches('Z')
        .split('.')
        .next()
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::junit_timestamp;

    #[test]
    fn timestamps_drop_the_zone_and_fraction() {
        assert_eq!(
            junit_timestamp("2026-12-01T17:21:41.123Z"),
            "2026-12-01T17:21:41"
        );
    }
}
