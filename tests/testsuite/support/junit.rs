//! The rules of `junit-10.xsd`, the JUnit schema CI servers validate against (the
//! Jenkins xUnit plugin's), checked on lab's JUnit output: which elements may hold
//! which, which attributes each may and must carry, and the form of `time`.

use std::collections::HashMap;

/// Names of attributes or elements.
type Names = &'static [&'static str];

/// Element → (required attributes, optional attributes, allowed children).
fn rules() -> HashMap<&'static str, (Names, Names, Names)> {
    let case_children: &[&str] = &[
        "skipped",
        "error",
        "failure",
        "rerunFailure",
        "rerunError",
        "flakyFailure",
        "flakyError",
        "system-out",
        "system-err",
    ];
    HashMap::from([
        (
            "testsuites",
            (
                &[][..],
                &["name", "time", "tests", "failures", "errors"][..],
                &["testsuite"][..],
            ),
        ),
        (
            "testsuite",
            (
                &["name", "tests", "failures", "errors"][..],
                &[
                    "group",
                    "time",
                    "skipped",
                    "timestamp",
                    "hostname",
                    "id",
                    "package",
                    "file",
                    "log",
                    "url",
                ][..],
                &[
                    "testsuite",
                    "properties",
                    "testcase",
                    "system-out",
                    "system-err",
                ][..],
            ),
        ),
        ("properties", (&[][..], &[][..], &["property"][..])),
        ("property", (&["name", "value"][..], &[][..], &[][..])),
        (
            "testcase",
            (
                &["name"][..],
                &["time", "classname", "group"][..],
                case_children,
            ),
        ),
        ("failure", (&[][..], &["type", "message"][..], &[][..])),
        ("error", (&[][..], &["type", "message"][..], &[][..])),
        ("skipped", (&[][..], &["type", "message"][..], &[][..])),
        ("system-out", (&[][..], &[][..], &[][..])),
        ("system-err", (&[][..], &[][..], &[][..])),
    ])
}

/// `SUREFIRE_TIME`: digits, optionally grouped by commas, and an optional fraction.
fn is_surefire_time(text: &str) -> bool {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    fraction.chars().all(|c| c.is_ascii_digit())
        && whole
            .split(',')
            .all(|g| g.len() <= 3 && g.chars().all(|c| c.is_ascii_digit()))
}

/// Panics, naming the spot, unless `xml` follows the junit-10.xsd rules.
pub(crate) fn assert_valid(xml: &str) {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not XML: {e}\n{xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites", "the root element");
    let rules = rules();
    for node in root.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        let (required, optional, children) = rules
            .get(name)
            .unwrap_or_else(|| panic!("<{name}> is not in junit-10.xsd"));
        for attribute in node.attributes() {
            assert!(
                required.contains(&attribute.name()) || optional.contains(&attribute.name()),
                "<{name}> may not carry `{}`",
                attribute.name()
            );
        }
        for needed in *required {
            assert!(
                node.attribute(*needed).is_some(),
                "<{name}> needs `{needed}`"
            );
        }
        for child in node.children().filter(|n| n.is_element()) {
            assert!(
                children.contains(&child.tag_name().name()),
                "<{name}> may not hold <{}>",
                child.tag_name().name()
            );
        }
        if matches!(name, "testsuite" | "testsuites")
            && let Some(time) = node.attribute("time")
        {
            assert!(
                is_surefire_time(time),
                "<{name} time=\"{time}\"> is not a SUREFIRE_TIME"
            );
        }
    }
}

#[test]
fn the_rules_catch_what_junit_10_refuses() {
    let bad = [
        r#"<testsuites skipped="1"/>"#,
        r#"<testsuites><testsuite name="a" tests="1" failures="0"/></testsuites>"#,
        r#"<testsuites><testcase name="a"/></testsuites>"#,
        r#"<testsuites><testsuite name="a" tests="1" failures="0" errors="0" time="1s"/></testsuites>"#,
    ];
    for xml in bad {
        assert!(
            std::panic::catch_unwind(|| assert_valid(xml)).is_err(),
            "{xml}"
        );
    }
    assert_valid(
        r#"<testsuites name="x" time="1,234.5"><testsuite name="a" tests="1" failures="0" errors="0" skipped="0" time="0.100" timestamp="2026-12-01T10:00:00"><properties><property name="k" value="v"/></properties><testcase name="t" classname="c" time="0"><failure type="fail" message="m">m</failure></testcase></testsuite></testsuites>"#,
    );
}
