//! `--format ocsf`: every event is validated against the OCSF 1.8.0 schema files shipped in
//! `tests/ocsf/1.8.0` (copied from the OCSF schema repository), by a validator written from the
//! schema's own definition format: a class or object is its `attributes` merged over those of
//! what it `extends`; an attribute's type, `is_array` and enum come from `dictionary.json`,
//! patched by the class or object; `requirement: required` must be present; attributes of a
//! profile (`$include: profiles/<p>.json`, or `profile: "<p>"`) are allowed only when
//! `metadata.profiles` names the profile, whose required attributes are then required;
//! `@deprecated` attributes are not written; `sibling` strings are the caption of their `_id`;
//! object `constraints` (`at_least_one`, `just_one`) hold.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::*;

fn schema_dir() -> PathBuf {
    root().join("tests/ocsf/1.8.0")
}

fn load(rel: &str) -> Value {
    let path = schema_dir().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (ship the OCSF file under tests/ocsf)",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap()
}

/// One attribute's effective definition.
#[derive(Debug, Clone, Default)]
struct Attr {
    requirement: String,
    /// `string_t`, `integer_t`, … or an object name.
    ty: String,
    is_array: bool,
    enum_captions: BTreeMap<String, String>,
    sibling: Option<String>,
    profile: Option<String>,
    deprecated: bool,
}

struct Ocsf {
    dictionary: Map<String, Value>,
    /// Type name → its base type (`timestamp_t` → `long_t`).
    types: BTreeMap<String, String>,
}

impl Ocsf {
    fn new() -> Ocsf {
        let d = load("dictionary.json");
        let types = d["types"]["attributes"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v["type"].as_str().map(str::to_string).unwrap_or(k.clone()),
                )
            })
            .collect();
        Ocsf {
            dictionary: d["attributes"].as_object().unwrap().clone(),
            types,
        }
    }

    /// The attributes of a class (`events/...`) or object (`objects/<name>.json`), `extends`
    /// followed to the root; the child's fields patch the parent's.
    fn attributes(&self, file: &str) -> BTreeMap<String, Attr> {
        let def = load(file);
        let mut attrs = match def["extends"].as_str() {
            Some(parent) if file.starts_with("events/") => {
                let parent_file = if parent == "base_event" {
                    "events/base_event.json".to_string()
                } else {
                    format!("events/findings/{parent}.json")
                };
                self.attributes(&parent_file)
            }
            Some(parent) => self.attributes(&format!("objects/{parent}.json")),
            None => BTreeMap::new(),
        };
        for (name, spec) in def["attributes"].as_object().unwrap() {
            if name == "$include" {
                for inc in spec.as_array().unwrap() {
                    let inc = inc.as_str().unwrap();
                    let profile = inc
                        .strip_prefix("profiles/")
                        .and_then(|p| p.strip_suffix(".json"))
                        .unwrap_or_else(|| panic!("{file}: unsupported $include {inc}"));
                    // A profile's attributes: loaded only when its file is shipped (i.e. when
                    // pathproof applies it); others stay unknown and so are rejected.
                    if schema_dir().join(inc).is_file() {
                        for (pname, pspec) in load(inc)["attributes"].as_object().unwrap() {
                            let mut a = self.merge(attrs.get(pname).cloned(), pname, pspec);
                            a.profile = Some(profile.to_string());
                            attrs.insert(pname.clone(), a);
                        }
                    }
                }
                continue;
            }
            let a = self.merge(attrs.get(name).cloned(), name, spec);
            attrs.insert(name.clone(), a);
        }
        attrs
    }

    fn merge(&self, base: Option<Attr>, name: &str, spec: &Value) -> Attr {
        let dict = self.dictionary.get(name).unwrap_or_else(|| {
            panic!("attribute {name} is not in the OCSF dictionary");
        });
        let mut a = base.unwrap_or_else(|| Attr {
            ty: dict["type"].as_str().unwrap_or("").to_string(),
            is_array: dict["is_array"].as_bool().unwrap_or(false),
            sibling: dict["sibling"].as_str().map(str::to_string),
            requirement: "optional".into(),
            ..Attr::default()
        });
        for src in [&dict["enum"], &spec["enum"]] {
            if let Some(e) = src.as_object() {
                for (k, v) in e {
                    a.enum_captions
                        .insert(k.clone(), v["caption"].as_str().unwrap_or("").to_string());
                }
            }
        }
        if let Some(r) = spec["requirement"].as_str() {
            a.requirement = r.to_string();
        }
        if let Some(t) = spec["type"].as_str() {
            a.ty = t.to_string();
        }
        if let Some(s) = spec["sibling"].as_str() {
            a.sibling = Some(s.to_string());
        }
        match spec.get("profile") {
            Some(Value::String(p)) => a.profile = Some(p.clone()),
            Some(Value::Null) => a.profile = None,
            _ => {}
        }
        if spec.get("@deprecated").is_some() || dict.get("@deprecated").is_some() {
            a.deprecated = true;
        }
        // The schema compiler sets these three from the class (`base_event` lists only 0):
        // `validate` checks them against the class's uid and category instead.
        if matches!(name, "class_uid" | "category_uid" | "type_uid") {
            a.enum_captions.clear();
        }
        a
    }

    /// Validate `value` as an instance of `file`'s class or object; errors go to `errors`.
    fn check(
        &self,
        file: &str,
        value: &Value,
        profiles: &BTreeSet<String>,
        at: &str,
        errors: &mut Vec<String>,
    ) {
        let Some(obj) = value.as_object() else {
            errors.push(format!("{at}: not an object"));
            return;
        };
        let attrs = self.attributes(file);
        for (name, a) in &attrs {
            let applies = a.profile.as_ref().is_none_or(|p| profiles.contains(p));
            if a.requirement == "required" && applies && !obj.contains_key(name) {
                errors.push(format!("{at}: required attribute {name} is missing"));
            }
        }
        for (name, v) in obj {
            let at = format!("{at}.{name}");
            let Some(a) = attrs.get(name) else {
                errors.push(format!("{at}: not an attribute of {file}"));
                continue;
            };
            if let Some(p) = &a.profile {
                if !profiles.contains(p) {
                    errors.push(format!(
                        "{at}: belongs to profile {p}, not in metadata.profiles"
                    ));
                }
            }
            if a.deprecated {
                errors.push(format!("{at}: deprecated"));
            }
            if a.is_array {
                match v.as_array() {
                    Some(items) => {
                        for (i, item) in items.iter().enumerate() {
                            self.check_value(a, item, profiles, &format!("{at}[{i}]"), errors);
                        }
                    }
                    None => errors.push(format!("{at}: not an array")),
                }
            } else {
                self.check_value(a, v, profiles, &at, errors);
            }
            if let (Some(sib), false) = (&a.sibling, a.enum_captions.is_empty()) {
                let id = v.as_i64().map(|n| n.to_string()).unwrap_or_default();
                if let (Some(text), Some(caption)) = (
                    obj.get(sib).and_then(Value::as_str),
                    a.enum_captions.get(&id),
                ) {
                    if id != "99" && text != caption {
                        errors.push(format!(
                            "{at}: {sib} is {text:?}, the caption of {id} is {caption:?}"
                        ));
                    }
                }
            }
        }
        // The nearest constraints up the `extends` chain (objects only).
        let mut def = load(file);
        let mut constraints = def["constraints"].clone();
        while constraints.is_null() && !file.starts_with("events/") {
            let Some(parent) = def["extends"].as_str().map(str::to_string) else {
                break;
            };
            def = load(&format!("objects/{parent}.json"));
            constraints = def["constraints"].clone();
        }
        if let Some(c) = constraints.as_object() {
            let count = |names: &Value| {
                names
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|n| obj.contains_key(n.as_str().unwrap()))
                    .count()
            };
            if let Some(names) = c.get("at_least_one") {
                if count(names) == 0 {
                    errors.push(format!("{at}: needs at least one of {names}"));
                }
            }
            if let Some(names) = c.get("just_one") {
                if count(names) != 1 {
                    errors.push(format!("{at}: needs exactly one of {names}"));
                }
            }
        }
    }

    fn check_value(
        &self,
        a: &Attr,
        v: &Value,
        profiles: &BTreeSet<String>,
        at: &str,
        errors: &mut Vec<String>,
    ) {
        let mut base = a.ty.as_str();
        while let Some(next) = self.types.get(base).filter(|n| *n != base) {
            base = next;
        }
        let ok = match base {
            "string_t" => v.is_string(),
            "integer_t" => v.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            "long_t" => v.is_i64() || v.is_u64(),
            "float_t" => v.is_number(),
            "boolean_t" => v.is_boolean(),
            "json_t" => true,
            object if !object.ends_with("_t") => {
                self.check(&format!("objects/{object}.json"), v, profiles, at, errors);
                true
            }
            other => panic!("{at}: type {other} not handled by this validator"),
        };
        if !ok {
            errors.push(format!("{at}: {v} is not a {}", a.ty));
        }
        if !a.enum_captions.is_empty() {
            let key = v.as_i64().map(|n| n.to_string()).unwrap_or_default();
            if !a.enum_captions.contains_key(&key) {
                errors.push(format!("{at}: {v} is not one of {:?}", a.enum_captions));
            }
        }
    }
}

/// Validate every event of an OCSF document; the list of errors (empty when valid).
pub fn validate(doc: &Value) -> Vec<String> {
    let ocsf = Ocsf::new();
    let categories = load("categories.json");
    let class = load("events/findings/compliance_finding.json");
    // The class's category is its parent's (`finding`: category `findings`).
    let parent = class["extends"].as_str().unwrap();
    let category = load(&format!("events/findings/{parent}.json"))["category"].clone();
    let category_uid = categories["attributes"][category.as_str().unwrap()]["uid"]
        .as_i64()
        .unwrap();
    let class_uid = category_uid * 1000 + class["uid"].as_i64().unwrap();
    let version = load("version.json")["version"]
        .as_str()
        .unwrap()
        .to_string();
    let mut errors = Vec::new();
    for (i, e) in doc
        .as_array()
        .expect("an array of events")
        .iter()
        .enumerate()
    {
        let at = format!("[{i}]");
        let profiles: BTreeSet<String> = e["metadata"]["profiles"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p.as_str().map(str::to_string))
            .collect();
        ocsf.check(
            "events/findings/compliance_finding.json",
            e,
            &profiles,
            &at,
            &mut errors,
        );
        if e["class_uid"] != class_uid || e["category_uid"] != category_uid {
            errors.push(format!(
                "{at}: class_uid/category_uid not {class_uid}/{category_uid}"
            ));
        }
        if e["type_uid"].as_i64() != e["activity_id"].as_i64().map(|a| class_uid * 100 + a) {
            errors.push(format!(
                "{at}: type_uid is not class_uid * 100 + activity_id"
            ));
        }
        if e["metadata"]["version"] != version.as_str() {
            errors.push(format!("{at}: metadata.version is not {version}"));
        }
    }
    errors
}

fn ocsf_of(dir: &Path) -> Value {
    let (result, out) = run(&[
        "verify",
        "--snapshot",
        dir.to_str().unwrap(),
        "--format",
        "ocsf",
    ]);
    result.unwrap();
    serde_json::from_str(&out).unwrap()
}

/// Every report fixture's events are valid OCSF 1.8.0; one event per finding (by fingerprint)
/// and one per rule without a finding; Fail for violations, Pass for passed rules.
#[test]
fn ocsf_events_validate_against_the_ocsf_schema() {
    for rel in super::reports::REPORT_FIXTURES {
        let doc = ocsf_of(&fixture(rel));
        let errors = validate(&doc);
        assert!(errors.is_empty(), "{rel}: {errors:#?}");
        let (_, report) = verify_json(&fixture(rel), &[]);
        let events = doc.as_array().unwrap();
        let findings = report["findings"].as_array().unwrap();
        let with_findings: BTreeSet<&str> = findings
            .iter()
            .map(|f| f["rule_id"].as_str().unwrap())
            .collect();
        assert_eq!(
            events.len(),
            findings.len() + pathproof::rules::all().len() - with_findings.len(),
            "{rel}"
        );
        let uids: BTreeSet<&str> = events
            .iter()
            .map(|e| e["finding_info"]["uid"].as_str().unwrap())
            .collect();
        assert_eq!(
            uids.len(),
            events.len(),
            "{rel}: finding_info.uid not unique"
        );
        let unproven = findings.iter().any(|f| f["severity"] == "unproven");
        for (f, e) in findings.iter().zip(events) {
            assert_eq!(e["resources"][0]["uid"], f["resource"], "{rel}");
            let expected = match f["severity"].as_str().unwrap() {
                "violation" | "unproven" => 3,
                "warning" => 2,
                _ => 1,
            };
            assert_eq!(e["compliance"]["status_id"], expected, "{rel} {f}");
            let rule = pathproof::rules::get(f["rule_id"].as_str().unwrap());
            assert_eq!(e["remediation"]["desc"], rule.remediation.as_str());
            assert!(e["compliance"]["control"]
                .as_str()
                .unwrap()
                .starts_with(&rule.id));
        }
        for e in &events[findings.len()..] {
            assert_eq!(
                e["compliance"]["status_id"],
                if unproven { 2 } else { 1 },
                "{rel}"
            );
        }
    }
}

/// The validator rejects what OCSF rejects (else the test above proves nothing).
#[test]
fn ocsf_validator_rejects_broken_events() {
    let doc = ocsf_of(&fixture("violations/PP001-internet-gateway-on-path"));
    assert!(validate(&doc).is_empty());
    let broken: Vec<(&str, Box<dyn Fn(&mut Value)>)> = vec![
        (
            "required",
            Box::new(|e| {
                e["finding_info"].as_object_mut().unwrap().remove("uid");
            }),
        ),
        (
            "unknown",
            Box::new(|e| e["compliance"]["verdict"] = "fail".into()),
        ),
        (
            "enum",
            Box::new(|e| e["compliance"]["status_id"] = 7.into()),
        ),
        (
            "type",
            Box::new(|e| e["time"] = "2026-11-25T18:00:00Z".into()),
        ),
        (
            "array",
            Box::new(|e| e["compliance"]["standards"] = "NIST".into()),
        ),
        ("sibling", Box::new(|e| e["severity"] = "Low".into())),
        (
            "profile",
            Box::new(|e| {
                e["metadata"]["profiles"] = serde_json::json!([]);
            }),
        ),
        (
            "deprecated",
            Box::new(|e| e["resource"] = serde_json::json!({"uid": "x"})),
        ),
        (
            "constraint",
            Box::new(|e| {
                e["metadata"]["product"] = serde_json::json!({"vendor_name": "pathproof"});
            }),
        ),
        ("class", Box::new(|e| e["class_uid"] = 2004.into())),
    ];
    for (what, edit) in broken {
        let mut d = doc.clone();
        edit(&mut d[0]);
        assert!(!validate(&d).is_empty(), "{what}: accepted");
    }
}
