//! JUnit XML (for CI test dashboards): one test case per (source, destination) and one per
//! finding that is not about a path, with `quick-junit`.
//!
//! quick-junit escapes `& < > " '` but only drops ANSI sequences and C0 controls silently, and
//! lets U+FFFE/U+FFFF through (not XML 1.0 characters): every string goes through [`xml`] first,
//! which spells those characters visibly, so what reaches quick-junit is plain text.
use std::io::Write;

use quick_junit::{NonSuccessKind, Report as JunitReport, TestCase, TestCaseStatus, TestSuite};

use super::escape::xml;
use crate::rules::Severity;
use crate::verify::{PathVerdict, Report};

pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
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
        paths.add_test_case(case);
    }
    let mut checks = TestSuite::new("pathproof.findings");
    for f in report.findings.iter().filter(|f| f.paths.is_empty()) {
        let status = match f.severity {
            Severity::Violation | Severity::Unproven | Severity::Warning => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                s.set_type(f.severity.as_str()).set_message(xml(&f.message));
                s
            }
            Severity::Info => TestCaseStatus::success(),
        };
        let name = format!("{} {} {}", f.rule_id, f.rule_name, f.resource);
        let mut case = TestCase::new(xml(&name), status);
        case.set_classname(format!("pathproof.{}", f.rule_id));
        checks.add_test_case(case);
    }
    let mut junit = JunitReport::new("pathproof");
    junit.add_test_suite(paths).add_test_suite(checks);
    junit.serialize(&mut *out).map_err(std::io::Error::other)?;
    writeln!(out)
}
