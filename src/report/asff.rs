//! AWS Security Finding Format (ASFF, schema 2018-10-08) for Security Hub CSPM: a JSON array
//! of `AwsSecurityFinding`s, one per finding and one per passed requirement (rule), for
//! `aws securityhub batch-import-findings --findings file://pathproof.asff.json` (at most 100
//! findings per call: split larger arrays). Tests validate every finding against the botocore
//! shapes of `BatchImportFindings` (`tests/asff/`), with the length limits the API reference
//! states, and the required top-level attributes of the Security Hub user guide ("Required
//! top-level ASFF attributes", which adds `Severity` and `Types` to the API's list).
//!
//! - `ProductArn`: the custom-integration ARN `arn:<partition>:securityhub:<region>:<account>:
//!   product/<account>/default` of the account and Region the finding is in (the resource's, or
//!   the first in scope when the resource has none); import in that account and Region.
//! - `Id`: `pathproof/<fingerprint>` ([`super::fingerprint`]): the same finding keeps its id, so a
//!   re-import updates it; `CreatedAt`/`UpdatedAt`: the manifest's `collected_at`.
//! - `Compliance.Status`: FAILED for violations and unproven findings, WARNING for warnings,
//!   PASSED for info findings and passed rules (WARNING when the report has unproven findings).
//! - Displayed text (title, description, recommendation, resource id) is spelled with
//!   [`visible`] and cut to the documented maximum length.
use std::io::Write;

use serde_json::{json, Value};

use super::escape::{to_json_writer, visible};
use crate::rules::{self, Rule, Severity};
use crate::verify::{Finding, Report};

const SCHEMA_VERSION: &str = "2018-10-08";
const TYPE: &str = "Software and Configuration Checks/Industry and Regulatory Standards/pathproof";

pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let at = super::time::iso8601(super::time::collected(report, "asff")?);
    let mut findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| finding(report, f, &at))
        .collect();
    let proven = super::passes_are_proven(report);
    for rule in super::passed_rules(report) {
        findings.push(passed(report, rule, &at, proven));
    }
    to_json_writer(&mut *out, &findings)?;
    writeln!(out)
}

/// `s` made visible and cut to at most `max` characters (ending in `…` when cut).
fn text(s: &str, max: usize) -> String {
    let v = visible(s);
    if v.chars().count() <= max {
        return v.into_owned();
    }
    let mut cut: String = v.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// The first (account, Region) in scope, for findings whose resource has neither.
fn first_scope(report: &Report) -> (String, String) {
    let t = report.snapshot.targets.first();
    (
        t.map(|t| t.account.clone()).unwrap_or_default(),
        t.and_then(|t| t.regions.iter().find(|r| *r != "global").cloned())
            .unwrap_or_default(),
    )
}

fn related(rule: &Rule) -> Vec<String> {
    let mut out = Vec::new();
    for (framework, controls) in &rule.controls {
        for c in controls {
            out.push(format!("{} {c}", rules::framework_name(framework)));
        }
    }
    out.truncate(32);
    out
}

#[allow(clippy::too_many_arguments)]
fn common(
    report: &Report,
    id: String,
    rule: &Rule,
    account: &str,
    region: &str,
    at: &str,
    label: &str,
    title: &str,
    description: &str,
    status: &str,
    resources: Value,
) -> Value {
    json!({
        "SchemaVersion": SCHEMA_VERSION,
        "Id": id,
        "ProductArn": format!(
            "arn:{}:securityhub:{region}:{account}:product/{account}/default",
            partition(region)
        ),
        "GeneratorId": format!("pathproof/{}", rule.id),
        "AwsAccountId": account,
        "Types": [TYPE],
        "CreatedAt": at,
        "UpdatedAt": at,
        "Severity": { "Label": label, "Original": label },
        "Title": text(title, 256),
        "Description": text(description, 1024),
        "Remediation": { "Recommendation": { "Text": text(&rule.remediation, 512) } },
        "ProductFields": {
            "pathproof/rule": rule.id,
            "pathproof/snapshot-digest": report.snapshot.digest,
            "pathproof/tool": text(&report.tool, 2048),
        },
        "Resources": resources,
        "Compliance": { "Status": status, "RelatedRequirements": related(rule) },
        "RecordState": "ACTIVE",
    })
}

fn finding(report: &Report, f: &Finding, at: &str) -> Value {
    let rule = rules::get(f.rule_id);
    let (scope_account, scope_region) = first_scope(report);
    let account = f
        .location
        .as_ref()
        .map(|l| l.account.clone())
        .unwrap_or(scope_account);
    let region = f
        .location
        .as_ref()
        .and_then(|l| l.region.clone())
        .unwrap_or(scope_region);
    let (label, status) = match f.severity {
        Severity::Violation => ("HIGH", "FAILED"),
        Severity::Unproven => ("MEDIUM", "FAILED"),
        Severity::Warning => ("LOW", "WARNING"),
        Severity::Info => ("INFORMATIONAL", "PASSED"),
    };
    let mut resource = json!({
        "Type": super::resource_type(&f.resource),
        "Id": text(&f.resource, 512),
        "Partition": partition(&region),
    });
    if let Some(r) = f.location.as_ref().and_then(|l| l.region.as_ref()) {
        resource["Region"] = json!(text(r, 16));
    }
    common(
        report,
        format!("pathproof/{}", f.fingerprint),
        rule,
        &account,
        &region,
        at,
        label,
        &format!("{} {}", f.rule_id, f.title),
        &f.message,
        status,
        json!([resource]),
    )
}

fn passed(report: &Report, rule: &Rule, at: &str, proven: bool) -> Value {
    let (account, region) = first_scope(report);
    let (status, description) = if proven {
        ("PASSED", format!("No {} finding. {}", rule.id, rule.checks))
    } else {
        (
            "WARNING",
            format!(
                "No {} finding, but the report has unproven findings: the evidence does not prove this requirement. {}",
                rule.id, rule.checks
            ),
        )
    };
    let resources: Vec<Value> = report
        .snapshot
        .targets
        .iter()
        .map(|t| {
            json!({
                "Type": "AwsAccount",
                "Id": format!("AWS::::Account:{}", text(&t.account, 64)),
                "Partition": partition(&region),
            })
        })
        .collect();
    common(
        report,
        format!("pathproof/{}", super::pass_fingerprint(report, &rule.id)),
        rule,
        &account,
        &region,
        at,
        "INFORMATIONAL",
        &format!("{} {}", rule.id, rule.title),
        &description,
        status,
        json!(resources),
    )
}
