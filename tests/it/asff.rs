//! `--format asff`: every finding is validated against the `BatchImportFindings` input shapes of
//! the Security Hub API model (botocore, shipped in `tests/asff/securityhub-shapes.json`):
//! structure members known and required ones present, strings non-empty where the model's
//! pattern `.*\S.*` says so and within the length limits the API reference states, enums,
//! lists, maps, numbers; and the required top-level attributes of the Security Hub user guide
//! ("Required top-level ASFF attributes": the API's list plus `Severity` and `Types`), with
//! `SchemaVersion` 2018-10-08 and ISO 8601 times.
use std::collections::BTreeSet;

use serde_json::Value;

use super::*;

fn shapes() -> Value {
    let text = std::fs::read_to_string(root().join("tests/asff/securityhub-shapes.json")).unwrap();
    serde_json::from_str::<Value>(&text).unwrap()["shapes"].clone()
}

fn check(
    shapes: &Value,
    shape: &str,
    limits: &Value,
    v: &Value,
    at: &str,
    errors: &mut Vec<String>,
) {
    let s = &shapes[shape];
    assert!(s.is_object(), "{at}: shape {shape} not shipped");
    let len_ok = |n: usize| {
        limits["min_length"].as_u64().is_none_or(|m| n as u64 >= m)
            && limits["max_length"].as_u64().is_none_or(|m| n as u64 <= m)
    };
    match s["type"].as_str().unwrap() {
        "structure" => {
            let Some(obj) = v.as_object() else {
                return errors.push(format!("{at}: not an object"));
            };
            for r in s["required"].as_array().into_iter().flatten() {
                if !obj.contains_key(r.as_str().unwrap()) {
                    errors.push(format!("{at}: required {r} missing"));
                }
            }
            for (k, x) in obj {
                let m = &s["members"][k];
                match m["shape"].as_str() {
                    Some(ms) => check(shapes, ms, m, x, &format!("{at}.{k}"), errors),
                    None => errors.push(format!("{at}.{k}: not a member of {shape}")),
                }
            }
        }
        "list" => {
            let Some(items) = v.as_array() else {
                return errors.push(format!("{at}: not a list"));
            };
            if limits["max_items"]
                .as_u64()
                .is_some_and(|m| items.len() as u64 > m)
            {
                errors.push(format!("{at}: more than {} items", limits["max_items"]));
            }
            for (i, x) in items.iter().enumerate() {
                let ms = s["member"]["shape"].as_str().unwrap();
                check(shapes, ms, &Value::Null, x, &format!("{at}[{i}]"), errors);
            }
        }
        "map" => {
            let Some(obj) = v.as_object() else {
                return errors.push(format!("{at}: not a map"));
            };
            for (k, x) in obj {
                check(
                    shapes,
                    s["key"]["shape"].as_str().unwrap(),
                    &Value::Null,
                    &Value::String(k.clone()),
                    &format!("{at} key"),
                    errors,
                );
                check(
                    shapes,
                    s["value"]["shape"].as_str().unwrap(),
                    &Value::Null,
                    x,
                    &format!("{at}.{k}"),
                    errors,
                );
            }
        }
        "string" => {
            let Some(text) = v.as_str() else {
                return errors.push(format!("{at}: not a string"));
            };
            if let Some(p) = s["pattern"].as_str() {
                assert_eq!(p, ".*\\S.*", "{at}: pattern not handled by this validator");
                if text.trim().is_empty() {
                    errors.push(format!("{at}: empty or blank"));
                }
            }
            if let Some(e) = s["enum"].as_array() {
                if !e.iter().any(|x| x == v) {
                    errors.push(format!("{at}: {v} not in {e:?}"));
                }
            }
            if !len_ok(text.chars().count()) {
                errors.push(format!(
                    "{at}: length {} outside {limits}",
                    text.chars().count()
                ));
            }
        }
        "integer" | "long" => {
            if !v.is_i64() {
                errors.push(format!("{at}: not an integer"));
            }
        }
        "double" => {
            if !v.is_number() {
                errors.push(format!("{at}: not a number"));
            }
        }
        "boolean" => {
            if !v.is_boolean() {
                errors.push(format!("{at}: not a boolean"));
            }
        }
        other => panic!("{at}: shape type {other} not handled"),
    }
}

/// The user guide's required top-level attributes (AwsAccountId, CreatedAt, Description,
/// GeneratorId, Id, ProductArn, Resources, SchemaVersion, Severity, Title, Types, UpdatedAt).
const REQUIRED: &[&str] = &[
    "AwsAccountId",
    "CreatedAt",
    "Description",
    "GeneratorId",
    "Id",
    "ProductArn",
    "Resources",
    "SchemaVersion",
    "Severity",
    "Title",
    "Types",
    "UpdatedAt",
];

/// Validate an ASFF document (an array of findings, the `Findings` of `BatchImportFindings`).
pub fn validate(doc: &Value) -> Vec<String> {
    let shapes = shapes();
    let mut errors = Vec::new();
    let request = serde_json::json!({ "Findings": doc });
    check(
        &shapes,
        "BatchImportFindingsRequest",
        &Value::Null,
        &request,
        "",
        &mut errors,
    );
    for (i, f) in doc.as_array().unwrap().iter().enumerate() {
        for r in REQUIRED {
            if f.get(*r).is_none() {
                errors.push(format!("[{i}]: required top-level {r} missing"));
            }
        }
        if f["SchemaVersion"] != "2018-10-08" {
            errors.push(format!("[{i}]: SchemaVersion is not 2018-10-08"));
        }
        for t in ["CreatedAt", "UpdatedAt"] {
            let ok = f[t]
                .as_str()
                .and_then(pathproof::report::time::epoch_millis)
                .is_some();
            if !ok {
                errors.push(format!("[{i}].{t}: not an ISO 8601 time"));
            }
        }
        if f["Severity"]["Label"].is_null() {
            errors.push(format!("[{i}].Severity: no Label"));
        }
        if f["Resources"].as_array().is_none_or(|r| r.is_empty()) {
            errors.push(format!("[{i}].Resources: empty"));
        }
        let account = f["AwsAccountId"].as_str().unwrap_or("");
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            errors.push(format!("[{i}].AwsAccountId: not 12 digits"));
        }
        for t in f["Types"].as_array().into_iter().flatten() {
            let ns = t.as_str().unwrap_or("").split('/').next().unwrap_or("");
            let valid = [
                "Software and Configuration Checks",
                "TTPs",
                "Effects",
                "Unusual Behaviors",
                "Sensitive Data Identifications",
            ];
            if !valid.contains(&ns) {
                errors.push(format!("[{i}].Types: namespace {ns:?}"));
            }
        }
    }
    errors
}

fn asff_of(dir: &std::path::Path) -> Value {
    let (result, out) = run(&[
        "verify",
        "--snapshot",
        dir.to_str().unwrap(),
        "--format",
        "asff",
    ]);
    result.unwrap();
    serde_json::from_str(&out).unwrap()
}

#[test]
fn asff_findings_validate_against_the_security_hub_model() {
    let mut arns = 0;
    for rel in super::reports::REPORT_FIXTURES {
        let doc = asff_of(&fixture(rel));
        let errors = validate(&doc);
        assert!(errors.is_empty(), "{rel}: {errors:#?}");
        let (_, report) = verify_json(&fixture(rel), &[]);
        let findings = report["findings"].as_array().unwrap();
        let ids: BTreeSet<&str> = doc
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["Id"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids.len(),
            doc.as_array().unwrap().len(),
            "{rel}: Id not unique"
        );
        for (f, a) in findings.iter().zip(doc.as_array().unwrap()) {
            assert_eq!(
                a["GeneratorId"],
                format!("pathproof/{}", f["rule_id"].as_str().unwrap())
            );
            // The ARN of an EC2/Resolver id with a known account and Region, else the id; the
            // id itself always in Details.Other.
            let resource = f["resource"].as_str().unwrap();
            let id = a["Resources"][0]["Id"].as_str().unwrap();
            assert_eq!(
                a["Resources"][0]["Details"]["Other"]["pathproofResource"], resource,
                "{rel}"
            );
            if let (Some(account), Some(region)) = (
                f["location"]["account"].as_str(),
                f["location"]["region"].as_str(),
            ) {
                if resource.starts_with("vpc-") || resource.starts_with("rtb-") {
                    let kind = if resource.starts_with("vpc-") {
                        "vpc"
                    } else {
                        "route-table"
                    };
                    assert_eq!(
                        id,
                        format!("arn:aws:ec2:{region}:{account}:{kind}/{resource}"),
                        "{rel}"
                    );
                    arns += 1;
                }
            }
            if !id.starts_with("arn:") {
                assert_eq!(id, resource, "{rel}");
            }
            if let Some(account) = f["location"]["account"].as_str() {
                assert_eq!(a["AwsAccountId"], account, "{rel}");
            }
            let status = match f["severity"].as_str().unwrap() {
                "violation" | "unproven" => "FAILED",
                "warning" => "WARNING",
                _ => "PASSED",
            };
            assert_eq!(a["Compliance"]["Status"], status, "{rel}");
        }
    }
    assert!(
        arns > 0,
        "no finding on a VPC or route table in the report fixtures"
    );
}

#[test]
fn asff_validator_rejects_broken_findings() {
    let doc = asff_of(&fixture("violations/PP001-internet-gateway-on-path"));
    assert!(validate(&doc).is_empty());
    let broken: Vec<(&str, Box<dyn Fn(&mut Value)>)> = vec![
        (
            "required",
            Box::new(|f| {
                f.as_object_mut().unwrap().remove("ProductArn");
            }),
        ),
        (
            "guide-required",
            Box::new(|f| {
                f.as_object_mut().unwrap().remove("Types");
            }),
        ),
        ("unknown", Box::new(|f| f["Verdict"] = "x".into())),
        (
            "enum",
            Box::new(|f| f["Compliance"]["Status"] = "FAIL".into()),
        ),
        ("length", Box::new(|f| f["Title"] = "x".repeat(257).into())),
        ("blank", Box::new(|f| f["Description"] = " ".into())),
        ("time", Box::new(|f| f["CreatedAt"] = "yesterday".into())),
        (
            "nested",
            Box::new(|f| {
                f["Resources"][0].as_object_mut().unwrap().remove("Type");
            }),
        ),
        (
            "details",
            Box::new(|f| f["Resources"][0]["Details"]["AwsEc2Vpc"] = serde_json::json!({})),
        ),
    ];
    for (what, edit) in broken {
        let mut d = doc.clone();
        edit(&mut d[0]);
        assert!(!validate(&d).is_empty(), "{what}: accepted");
    }
}
