//! Every rule is a documented unit with fixtures that trigger it and fixtures that must not.
use std::collections::BTreeSet;

use pathproof::rules::{self, Severity};

use super::*;

#[test]
fn rule_files_on_disk_are_all_embedded() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(root().join("rules"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    let embedded: BTreeSet<String> = rules::RULE_FILES
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    assert_eq!(on_disk, embedded);
}

#[test]
fn every_rule_is_documented_and_has_fixtures() {
    let mut ids = BTreeSet::new();
    for rule in rules::all() {
        assert!(ids.insert(rule.id.clone()), "duplicate id {}", rule.id);
        for (what, text) in [
            ("title", &rule.title),
            ("checks", &rule.checks),
            ("rationale", &rule.rationale),
            ("remediation", &rule.remediation),
        ] {
            assert!(text.len() > 20, "{} has no {what}", rule.id);
        }
        assert!(
            !rule.controls.is_empty(),
            "{} has no control mappings",
            rule.id
        );
        assert!(
            !rule.fixtures.fail.is_empty(),
            "{} has no failing fixture",
            rule.id
        );
        assert!(
            !rule.fixtures.pass.is_empty(),
            "{} has no passing fixture",
            rule.id
        );
        for f in &rule.fixtures.fail {
            assert!(
                fixture(&f.snapshot).join("manifest.json").is_file(),
                "{}: no fixture {}",
                rule.id,
                f.snapshot
            );
        }
        for p in &rule.fixtures.pass {
            assert!(
                fixture(p).join("manifest.json").is_file(),
                "{}: no fixture {p}",
                rule.id
            );
        }
    }
}

/// The heart of the suite: each rule fires on its failing fixtures naming the expected resource,
/// and the verdict fails (warnings only with --fail-on warning).
#[test]
fn every_rule_fires_on_its_failing_fixture_with_the_expected_resource() {
    for rule in rules::all() {
        for f in &rule.fixtures.fail {
            let args: Vec<&str> = f.args.iter().map(String::as_str).collect();
            let (outcome, report) = verify_json(&fixture(&f.snapshot), &args);
            let found = findings(&report);
            assert!(
                found.contains(&(rule.id.clone(), f.resource.clone())),
                "{} on {}: expected a finding on {}, got {found:?}",
                rule.id,
                f.snapshot,
                f.resource
            );
            match rule.severity {
                Severity::Violation | Severity::Unproven => {
                    assert_eq!(
                        outcome,
                        Outcome::Fail,
                        "{} on {} must fail the gate",
                        rule.id,
                        f.snapshot
                    )
                }
                Severity::Warning => {
                    assert_eq!(
                        outcome,
                        Outcome::Pass,
                        "{}: a warning alone passes by default",
                        rule.id
                    );
                    let (strict, _) = verify_json(&fixture(&f.snapshot), &["--fail-on", "warning"]);
                    assert_eq!(
                        strict,
                        Outcome::Fail,
                        "{}: --fail-on warning must fail",
                        rule.id
                    );
                }
                Severity::Info => {}
            }
        }
    }
}

#[test]
fn every_rule_is_silent_on_its_passing_fixtures() {
    for rule in rules::all() {
        for p in &rule.fixtures.pass {
            let (outcome, report) = verify_json(&fixture(p), &[]);
            let found = findings(&report);
            assert!(
                !found.iter().any(|(id, _)| *id == rule.id),
                "{} must not fire on {p}: {found:?}",
                rule.id
            );
            assert_eq!(outcome, Outcome::Pass, "{p} must pass: {found:?}");
        }
    }
}

#[test]
fn rules_command_lists_every_rule() {
    let (result, out) = run(&["rules", "--format", "json"]);
    assert_eq!(result.unwrap(), Outcome::Pass);
    let listed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), rules::all().len());
    let (_, table) = run(&["rules"]);
    assert!(table.contains("PP001") && table.contains("internet-gateway-on-path"));
}

#[test]
fn readme_rule_table_is_current() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(
        readme.contains(&rules::markdown_table()),
        "README.md rule table is stale: paste `pathproof rules --format markdown-table` output"
    );
}
