// Test tables of (input, expected) tuples read better inline than behind type aliases.
#![allow(clippy::type_complexity)]
//! Integration tests: the CLI on fixtures, in-process and as the real binary.
mod cli;
mod dns9;
mod dns_types;
mod escaping;
mod fixtures;
mod gaps;
mod gate;
mod golden;
mod input;
mod iot_ext;
mod iot_principals;
mod mutation;
mod net9;
mod onprem_dns;
mod plan;
mod policy_check_output;
mod prefix_lists;
mod regressions;
mod reports;
mod rules_meta;
mod tgw_nacl;
mod tgw_policy;
// report12 (issue 12)
mod asff;
mod controls;
mod ocsf;

use std::path::{Path, PathBuf};

use clap::Parser;
use pathproof::cli::Cli;
use pathproof::Outcome;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> PathBuf {
    root().join("fixtures").join(rel)
}

/// Run pathproof in-process with `args` (without the program name).
pub fn run(args: &[&str]) -> (anyhow::Result<Outcome>, String) {
    let mut argv = vec!["pathproof"];
    argv.extend_from_slice(args);
    let cli = Cli::try_parse_from(argv).expect("arguments parse");
    let mut out = Vec::new();
    let result = pathproof::run(cli, &mut out);
    (result, String::from_utf8(out).expect("utf-8 output"))
}

/// `verify --format json` on a snapshot folder; returns the outcome and the parsed report.
pub fn verify_json(dir: &Path, extra: &[&str]) -> (Outcome, serde_json::Value) {
    let dir = dir.to_str().unwrap();
    let mut args = vec!["verify", "--snapshot", dir, "--format", "json"];
    args.extend_from_slice(extra);
    let (result, out) = run(&args);
    let outcome = result.unwrap_or_else(|e| panic!("verify {dir} failed: {e:#}"));
    let report = serde_json::from_str(&out).expect("verify prints JSON");
    reports::assert_valid_report(&report);
    (outcome, report)
}

/// (rule id, resource) of every finding in a JSON report.
pub fn findings(report: &serde_json::Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Edit one JSON file of a (copied) snapshot in place.
pub fn edit_json(dir: &Path, rel: &str, edit: impl FnOnce(&mut serde_json::Value)) {
    let file = dir.join(rel);
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    edit(&mut doc);
    std::fs::write(&file, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
}

/// Copy a fixture into a temporary folder so a test can break it.
pub fn copy_fixture(rel: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture(rel), tmp.path());
    tmp
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
