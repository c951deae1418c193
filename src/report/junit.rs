//! JUnit XML (for CI test dashboards): one test case per (source, destination) and one per
//! finding that is not about a path, with `quick-junit`.
//!
//! Only violations and unproven findings are `<failure>`: a passing gate must not show red in a
//! dashboard. A warning is a passing test case that carries the warning as a `severity`
//! property and its message in `<system-out>`; a warning on a path is listed in the path case's
//! `<system-out>`.
//!
//! quick-junit escapes `& < > " '` but only drops ANSI sequences and C0 controls silently, and
//! lets U+FFFE/U+FFFF through (not XML 1.0 characters): every string goes through [`xml`] first,
//! which spells those characters visibly, so what reaches quick-junit is plain text.
use std::collections::BTreeMap;
use std::io::Write;

use quick_junit::{
    NonSuccessKind, Property, Report as JunitReport, TestCase, TestCaseStatus, TestSuite,
};

use super::escape::xml;
use crate::rules::Severity;
use crate::verify::{Finding, PathVerdict, Report};

pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    // Warnings seen on paths, by (source label, destination): shown in that row's case.
    let mut warnings: BTreeMap<(String, &str), Vec<&Finding>> = BTreeMap::new();
    for f in report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
    {
        for &id in &f.paths {
            if let Some(p) = report.paths.iter().find(|p| p.id == id) {
                let list = warnings
                    .entry((p.source.label(), p.destination.as_str()))
                    .or_default();
                if !list.iter().any(|g| std::ptr::eq(*g, f)) {
                    list.push(f);
                }
            }
        }
    }
    let mut paths = TestSuite::new("pathproof.paths");
    for row in super::rows(report) {
        let status = match row.verdict {
            PathVerdict::Private => TestCaseStatus::success(),
            v => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                s.set_type(v.as_str()).set_message(xml(&row.path));
                s
            }
        };
        let name = format!("{} → {}", row.source, row.destination);
        let mut case = TestCase::new(xml(&name), status);
        case.set_classname("pathproof.paths");
        if let Some(list) = warnings.get(&(row.source.clone(), row.destination)) {
            let text: Vec<String> = list
                .iter()
                .map(|f| format!("warning {} {}: {}", f.rule_id, f.resource, f.message))
                .collect();
            case.set_system_out(xml(&text.join("\n")));
        }
        paths.add_test_case(case);
    }
    let mut checks = TestSuite::new("pathproof.findings");
    // Every finding's fingerprint (and gate status), path findings included, as suite properties.
    for f in &report.findings {
        let mut value = f.fingerprint.clone();
        if let Some(s) = &f.suppressed {
            value = format!("{value} {}", s.label());
        }
        checks.add_property(quick_junit::Property::new(
            xml(&format!("{} {}", f.rule_id, f.resource)),
            value,
        ));
    }
    for f in report.findings.iter().filter(|f| f.paths.is_empty()) {
        let gate = crate::gate::status_text(f.suppressed.as_ref());
        let status = match f.severity {
            // Baselined or waived: listed, not failing (src/gate/).
            _ if gate.is_some() => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(xml(gate.as_deref().unwrap_or_default()));
                s
            }
            Severity::Violation | Severity::Unproven => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                s.set_type(f.severity.as_str()).set_message(xml(&f.message));
                s
            }
            Severity::Warning | Severity::Info => TestCaseStatus::success(),
        };
        let name = format!("{} {} {}", f.rule_id, f.rule_name, f.resource);
        let mut case = TestCase::new(xml(&name), status);
        case.set_classname(format!("pathproof.{}", f.rule_id));
        case.add_property(quick_junit::Property::new(
            "fingerprint",
            xml(&f.fingerprint),
        ));
        if matches!(f.severity, Severity::Warning | Severity::Info) {
            case.add_property(Property::new("severity", f.severity.as_str()));
            case.set_system_out(xml(&format!("{}: {}", f.severity.as_str(), f.message)));
        }
        checks.add_test_case(case);
    }
    // Context only: VPC Block Public Access per account and Region.
    checks.add_property(quick_junit::Property::new(
        "block-public-access",
        xml(&super::block_public_access(report)),
    ));
    let mut junit = JunitReport::new("pathproof");
    junit.add_test_suite(paths).add_test_suite(checks);
    junit.serialize(&mut *out).map_err(std::io::Error::other)?;
    writeln!(out)
}
