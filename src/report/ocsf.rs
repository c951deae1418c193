//! OCSF 1.8.0 Compliance Finding events (class_uid 2003) for GRC tools and security lakes: a
//! JSON array with one event per finding and one per passed requirement (a rule with no
//! finding). Tests validate every event against the OCSF 1.8.0 schema files in `tests/ocsf/`.
//!
//! Mapping (OCSF 1.8.0 `compliance_finding`, `compliance`, `finding_info` definitions):
//! - `compliance.status_id`: 3 Fail for a violation or unproven finding (both fail the gate);
//!   2 Warning for a warning; 1 Pass for an info finding and for a passed rule, except that a
//!   passed rule is 2 Warning ("did not yield a result due to missing information") when the
//!   report has unproven findings, which may hide what the rule looks for.
//! - `compliance.control`: the rule; `standards`: the frameworks it maps; `requirements`:
//!   `<framework> <control>` for each mapped control.
//! - `severity_id`: violation 4 High, unproven 3 Medium, warning 2 Low, info and passes 1
//!   Informational.
//! - `finding_info.uid`: [`super::fingerprint`]; `time`: the manifest's `collected_at`
//!   (epoch ms): no clock is read, so the same snapshot gives the same bytes.
//! - `resources`: the finding's resource with its account (`owner.account`) and Region when
//!   known; for a passed rule, each account in scope. The `cloud` profile is applied (region is
//!   a cloud-profile attribute): `cloud.provider` `AWS`, with the account and Region if known.
//!
//! Strings are the data as collected (JSON-escaped by [`to_json_writer`]), as in the JSON report.
use std::io::Write;

use serde_json::{json, Value};

use super::escape::to_json_writer;
use crate::rules::{self, Rule, Severity};
use crate::verify::{Finding, Report};

/// The OCSF schema version the events follow (`metadata.version`).
pub const OCSF_VERSION: &str = "1.8.0";

const CLASS_UID: i64 = 2003;
const CATEGORY_UID: i64 = 2;
/// `activity_id` 1 Create: `type_uid` = class_uid × 100 + activity_id.
const ACTIVITY_CREATE: i64 = 1;
/// OCSF `account.type_id` 10: AWS Account.
const AWS_ACCOUNT: i64 = 10;

pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let time = super::time::collected(report, "ocsf")?;
    let mut events: Vec<Value> = report
        .findings
        .iter()
        .map(|f| finding_event(f, time))
        .collect();
    let proven = super::passes_are_proven(report);
    for rule in super::passed_rules(report) {
        events.push(pass_event(report, rule, time, proven));
    }
    to_json_writer(&mut *out, &events)?;
    writeln!(out)
}

fn metadata() -> Value {
    json!({
        "version": OCSF_VERSION,
        "product": {
            "name": "pathproof",
            "vendor_name": "pathproof",
            "version": env!("CARGO_PKG_VERSION"),
        },
        "profiles": ["cloud"],
    })
}

/// The fields every event has; `compliance`, `severity_id` and the rest are added per event.
fn base(time: i64, severity_id: i64, severity: &str) -> serde_json::Map<String, Value> {
    let v = json!({
        "activity_id": ACTIVITY_CREATE,
        "activity_name": "Create",
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "class_uid": CLASS_UID,
        "class_name": "Compliance Finding",
        "type_uid": CLASS_UID * 100 + ACTIVITY_CREATE,
        "type_name": "Compliance Finding: Create",
        "severity_id": severity_id,
        "severity": severity,
        "time": time,
        "metadata": metadata(),
    });
    match v {
        Value::Object(m) => m,
        _ => unreachable!("a JSON object literal"),
    }
}

fn compliance(rule: &Rule, status_id: i64, status: &str, detail: Option<String>) -> Value {
    let mut standards = Vec::new();
    let mut requirements = Vec::new();
    for (framework, controls) in &rule.controls {
        if controls.is_empty() {
            continue;
        }
        let name = rules::framework_name(framework);
        standards.push(name.to_string());
        for c in controls {
            requirements.push(format!("{name} {c}"));
        }
    }
    let mut c = json!({
        "control": format!("{} {}", rule.id, rule.name),
        "desc": rule.checks,
        "standards": standards,
        "requirements": requirements,
        "status_id": status_id,
        "status": status,
    });
    if let Some(d) = detail {
        c["status_details"] = json!([d]);
    }
    c
}

fn account(uid: &str) -> Value {
    json!({ "uid": uid, "type_id": AWS_ACCOUNT, "type": "AWS Account" })
}

fn finding_event(f: &Finding, time: i64) -> Value {
    let rule = rules::get(f.rule_id);
    let (severity_id, severity, status_id, status) = match f.severity {
        Severity::Violation => (4, "High", 3, "Fail"),
        Severity::Unproven => (3, "Medium", 3, "Fail"),
        Severity::Warning => (2, "Low", 2, "Warning"),
        Severity::Info => (1, "Informational", 1, "Pass"),
    };
    let mut e = base(time, severity_id, severity);
    let mut resource = json!({
        "uid": f.resource,
        "type": super::resource_type(&f.resource),
    });
    let mut cloud = json!({ "provider": "AWS" });
    if let Some(loc) = &f.location {
        resource["owner"] = json!({ "account": account(&loc.account) });
        cloud["account"] = account(&loc.account);
        if let Some(region) = &loc.region {
            resource["region"] = json!(region);
            cloud["region"] = json!(region);
        }
    }
    e.insert("message".into(), json!(f.message));
    e.insert("status_id".into(), json!(1));
    e.insert("status".into(), json!("New"));
    e.insert("cloud".into(), cloud);
    e.insert(
        "finding_info".into(),
        json!({
            "uid": f.fingerprint,
            "title": f.title,
            "desc": f.message,
            "types": [format!("{} {}", f.rule_id, f.rule_name)],
        }),
    );
    e.insert(
        "compliance".into(),
        compliance(
            rule,
            status_id,
            status,
            Some(format!("{}: {}", f.severity.as_str(), f.message)),
        ),
    );
    e.insert("remediation".into(), json!({ "desc": rule.remediation }));
    e.insert("resources".into(), json!([resource]));
    Value::Object(e)
}

fn pass_event(report: &Report, rule: &Rule, time: i64, proven: bool) -> Value {
    let mut e = base(time, 1, "Informational");
    let (status_id, status, detail) = if proven {
        (1, "Pass", format!("no {} finding", rule.id))
    } else {
        (
            2,
            "Warning",
            format!(
                "no {} finding, but the report has unproven findings: the evidence does not prove this requirement",
                rule.id
            ),
        )
    };
    let resources: Vec<Value> = report
        .snapshot
        .targets
        .iter()
        .map(|t| {
            json!({
                "uid": t.account,
                "type": "AwsAccount",
                "owner": { "account": account(&t.account) },
            })
        })
        .collect();
    e.insert("message".into(), json!(format!("{}: {}", rule.id, detail)));
    e.insert("status_id".into(), json!(1));
    e.insert("status".into(), json!("New"));
    e.insert("cloud".into(), json!({ "provider": "AWS" }));
    e.insert(
        "finding_info".into(),
        json!({
            "uid": super::pass_fingerprint(report, &rule.id),
            "title": rule.title,
            "desc": rule.checks,
            "types": [format!("{} {}", rule.id, rule.name)],
        }),
    );
    e.insert(
        "compliance".into(),
        compliance(rule, status_id, status, Some(detail)),
    );
    e.insert("remediation".into(), json!({ "desc": rule.remediation }));
    e.insert("resources".into(), json!(resources));
    Value::Object(e)
}
