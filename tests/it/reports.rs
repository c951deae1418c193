//! Report formats for CI dashboards, auditors and GRC tools (issue 12): what each format says
//! about warnings, byte-identical output, and validation of every format.
use std::collections::BTreeMap;

use pathproof::Outcome;
use quick_xml::events::Event;

use super::{fixture, run};

/// One JUnit `<testcase>`: its failure `type` (if any), properties and `<system-out>`.
#[derive(Debug, Default)]
struct Case {
    failure: Option<String>,
    properties: BTreeMap<String, String>,
    system_out: String,
}

/// Parse a JUnit report into (suite, case name) → case; panics on XML that is not well formed.
fn junit_cases(xml: &str) -> BTreeMap<(String, String), Case> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut cases = BTreeMap::new();
    let mut suite = String::new();
    let mut current: Option<(String, Case)> = None;
    let mut in_out = false;
    let attr = |e: &quick_xml::events::BytesStart, name: &[u8]| -> Option<String> {
        e.attributes()
            .map(|a| a.expect("attribute parses"))
            .find(|a| a.key.as_ref() == name)
            .map(|a| {
                a.unescape_value()
                    .expect("attribute unescapes")
                    .into_owned()
            })
    };
    loop {
        match reader.read_event().expect("JUnit XML is well formed") {
            Event::Empty(e) if e.name().as_ref() == b"testcase" => {
                cases.insert((suite.clone(), attr(&e, b"name").unwrap()), Case::default());
            }
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testsuite" => suite = attr(&e, b"name").unwrap(),
                b"testcase" => {
                    let name = attr(&e, b"name").unwrap();
                    current = Some((name, Case::default()));
                }
                b"failure" | b"error" => {
                    if let Some((_, c)) = current.as_mut() {
                        c.failure = Some(attr(&e, b"type").unwrap_or_default());
                    }
                }
                b"property" => {
                    if let Some((_, c)) = current.as_mut() {
                        c.properties
                            .insert(attr(&e, b"name").unwrap(), attr(&e, b"value").unwrap());
                    }
                }
                b"system-out" => in_out = true,
                _ => {}
            },
            Event::Text(t) if in_out => {
                if let Some((_, c)) = current.as_mut() {
                    c.system_out.push_str(&t.decode().expect("text decodes"));
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"system-out" => in_out = false,
                b"testcase" => {
                    if let Some((name, c)) = current.take() {
                        cases.insert((suite.clone(), name), c);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(current.is_none(), "unclosed <testcase>");
    cases
}

fn verify(dir: &str, format: &str) -> (Outcome, String) {
    let path = fixture(dir);
    let (result, out) = run(&[
        "verify",
        "--snapshot",
        path.to_str().unwrap(),
        "--format",
        format,
    ]);
    (result.expect("verify runs"), out)
}

/// A warning (PP011, auto-accept) passes the gate: exit 0, and no `<failure>` in the JUnit
/// report, but the warning is there as a property and in `<system-out>`.
#[test]
fn junit_warning_not_about_a_path_is_not_a_failure() {
    let (outcome, xml) = verify("violations/PP011-endpoint-service-auto-accept", "junit");
    assert_eq!(outcome, Outcome::Pass);
    let cases = junit_cases(&xml);
    assert!(
        cases.values().all(|c| c.failure.is_none()),
        "no failures: {cases:#?}"
    );
    let key = (
        "pathproof.findings".to_string(),
        "PP011 endpoint-service-auto-accept vpce-svc-0bbb00000000005e1".to_string(),
    );
    let case = cases.get(&key).unwrap_or_else(|| panic!("{cases:#?}"));
    assert_eq!(
        case.properties.get("severity").map(String::as_str),
        Some("warning")
    );
    assert!(
        case.system_out.contains("vpce-svc-0bbb00000000005e1"),
        "{case:?}"
    );
    assert!(!xml.contains("<failure"), "{xml}");
}

/// A warning on a path (PP024, an inspection hop) leaves the path case passing, with the
/// warning in that case's `<system-out>`.
#[test]
fn junit_warning_on_a_path_is_system_out() {
    let (outcome, xml) = verify("violations/PP024-inspection-hop-not-proven", "junit");
    assert_eq!(outcome, Outcome::Pass);
    let cases = junit_cases(&xml);
    assert!(cases.values().all(|c| c.failure.is_none()), "{cases:#?}");
    let with_warning: Vec<_> = cases
        .iter()
        .filter(|(_, c)| c.system_out.contains("PP024 vpce-0aaa0000000000f24"))
        .map(|((s, n), _)| (s.as_str(), n.as_str()))
        .collect();
    assert!(
        with_warning.iter().any(|(s, n)| *s == "pathproof.paths"
            && n.starts_with("subnet-0aaa0000000000a01 (device vpc-0aaa00000000000d1) → ")),
        "{with_warning:?}"
    );
}

/// Violations and unproven findings stay failures.
#[test]
fn junit_violation_and_unproven_are_failures() {
    let (outcome, xml) = verify("violations/PP010-endpoint-service-open-principals", "junit");
    assert_eq!(outcome, Outcome::Fail);
    let cases = junit_cases(&xml);
    let key = (
        "pathproof.findings".to_string(),
        "PP010 endpoint-service-open-principals vpce-svc-0bbb00000000005e1".to_string(),
    );
    assert_eq!(
        cases[&key].failure.as_deref(),
        Some("violation"),
        "{cases:#?}"
    );

    let (outcome, xml) = verify("violations/PP016-path-unproven", "junit");
    assert_eq!(outcome, Outcome::Fail);
    let cases = junit_cases(&xml);
    assert!(
        cases
            .iter()
            .any(|((s, _), c)| s == "pathproof.paths" && c.failure.as_deref() == Some("unproven")),
        "{cases:#?}"
    );
}
