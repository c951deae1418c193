//! Control coverage (issue 12): every rule file maps NIST SP 800-53 rev5, ISO/IEC 27001:2022
//! Annex A, PCI DSS v4.0 (requirements 1.3 and 1.4 only) and CIS Controls v8; `pathproof rules
//! --framework <id>` lists each control with the rules covering it; the Markdown and HTML
//! reports group findings by control. The oracle reads the rule files themselves.
use std::collections::BTreeMap;

use super::*;

const FRAMEWORKS: &[&str] = &[
    "nist-800-53",
    "iso-27001-2022",
    "pci-dss-4.0",
    "cis-controls-8",
];

/// framework → control → rule ids, read straight from `rules/*.toml`.
fn mappings() -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let mut out: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    let mut files: Vec<_> = std::fs::read_dir(root().join("rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let doc: toml::Table = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let id = doc["id"].as_str().unwrap().to_string();
        let controls = doc["controls"].as_table().unwrap();
        for f in FRAMEWORKS {
            let list = controls
                .get(*f)
                .unwrap_or_else(|| panic!("{}: no {f} mapping", path.display()))
                .as_array()
                .unwrap();
            for c in list {
                out.entry(f.to_string())
                    .or_default()
                    .entry(c.as_str().unwrap().to_string())
                    .or_default()
                    .push(id.clone());
            }
        }
        for k in controls.keys() {
            assert!(
                FRAMEWORKS.contains(&k.as_str()),
                "{}: framework {k}",
                path.display()
            );
        }
    }
    out
}

#[test]
fn every_rule_maps_every_framework_with_well_formed_ids() {
    let m = mappings();
    for (f, controls) in &m {
        for c in controls.keys() {
            let ok = match f.as_str() {
                // SP 800-53 rev5: family, number, optional enhancement: SC-7, SC-7(4).
                "nist-800-53" => {
                    let (fam, rest) = c.split_once('-').unwrap();
                    fam.len() == 2
                        && fam.bytes().all(|b| b.is_ascii_uppercase())
                        && rest
                            .trim_end_matches(|ch: char| {
                                ch.is_ascii_digit() || ch == '(' || ch == ')'
                            })
                            .is_empty()
                }
                // 27001:2022 Annex A has themes 5 to 8: A.5.1 … A.8.34.
                "iso-27001-2022" => c
                    .strip_prefix("A.")
                    .and_then(|r| r.split_once('.'))
                    .is_some_and(|(t, n)| {
                        ["5", "6", "7", "8"].contains(&t) && n.parse::<u8>().is_ok()
                    }),
                // Only requirements 1.3 and 1.4 of PCI DSS v4.0 are in scope (the issue).
                "pci-dss-4.0" => c.starts_with("1.3.") || c.starts_with("1.4."),
                // CIS Controls v8 safeguards: control 1 to 18, safeguard number.
                "cis-controls-8" => c.split_once('.').is_some_and(|(a, b)| {
                    a.parse::<u8>().is_ok_and(|n| (1..=18).contains(&n)) && b.parse::<u8>().is_ok()
                }),
                _ => false,
            };
            assert!(ok, "{f}: {c}");
        }
    }
    // Each framework is mapped by some rule, and every path-privacy violation maps PCI 1.3/1.4.
    for f in FRAMEWORKS {
        assert!(m.get(*f).is_some_and(|c| !c.is_empty()), "{f} unmapped");
    }
    for id in [
        "PP001", "PP002", "PP003", "PP005", "PP008", "PP012", "PP014", "PP023",
    ] {
        assert!(
            m["pci-dss-4.0"]
                .values()
                .any(|rules| rules.iter().any(|r| r == id)),
            "{id} maps no PCI DSS requirement"
        );
    }
}

#[test]
fn rules_framework_lists_controls_and_their_rules() {
    let m = mappings();
    for f in FRAMEWORKS {
        let (result, out) = run(&["rules", "--framework", f, "--format", "json"]);
        result.unwrap();
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        let listed: BTreeMap<String, Vec<String>> = doc["controls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["control"].as_str().unwrap().to_string(),
                    c["rules"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|r| r.as_str().unwrap().to_string())
                        .collect(),
                )
            })
            .collect();
        assert_eq!(listed, m[*f], "{f}");
        let (result, table) = run(&["rules", "--framework", f]);
        result.unwrap();
        for (c, rules) in &m[*f] {
            let line = table
                .lines()
                .find(|l| l.contains(&format!(" {c} ")))
                .unwrap_or_else(|| panic!("{f}: {c} not listed"));
            for r in rules {
                assert!(line.contains(r.as_str()), "{f} {c}: {r} missing in {line}");
            }
        }
    }
    let (result, _) = run(&["rules", "--framework", "sox"]);
    let err = format!("{:#}", result.unwrap_err());
    assert!(
        err.contains("unknown framework") && err.contains("pci-dss-4.0"),
        "{err}"
    );
}

/// Controls are listed in natural order (A.8.3 before A.8.20, SC-7 before SC-7(4) before SC-20).
#[test]
fn controls_are_in_natural_order() {
    let (_, out) = run(&["rules", "--framework", "nist-800-53", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let order: Vec<&str> = doc["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["control"].as_str().unwrap())
        .collect();
    let pos = |c: &str| order.iter().position(|x| *x == c).unwrap();
    assert!(
        pos("SC-7") < pos("SC-7(4)") && pos("SC-7(4)") < pos("SC-20"),
        "{order:?}"
    );
    assert!(pos("AC-3") < pos("AC-17"), "{order:?}");
}

/// The Markdown and HTML reports of a violating fixture list, under each framework, the failing
/// controls with the finding, and the other controls as having no findings.
#[test]
fn reports_group_findings_by_control() {
    let rel = "violations/PP001-internet-gateway-on-path";
    let m = mappings();
    let dir = fixture(rel);
    let (_, json) = verify_json(&dir, &[]);
    let found: Vec<(String, String)> = findings(&json);
    for format in ["markdown", "html"] {
        let (result, out) = run(&[
            "verify",
            "--snapshot",
            dir.to_str().unwrap(),
            "--format",
            format,
        ]);
        result.unwrap();
        let section = &out[out.find("Findings by control").expect("a control section")..];
        for (f, controls) in &m {
            for (c, rules) in controls {
                let fails = found.iter().any(|(r, _)| rules.contains(r));
                let row = section
                    .lines()
                    .find(|l| {
                        l.starts_with(&format!("| {c} |"))
                            || l.starts_with(&format!("<tr><td>{c}</td>"))
                    })
                    .unwrap_or_else(|| panic!("{format} {f}: no row for {c}"));
                if fails {
                    assert!(
                        row.contains("fail") || row.contains("warning"),
                        "{format} {c}: {row}"
                    );
                    let (rule, resource) = found.iter().find(|(r, _)| rules.contains(r)).unwrap();
                    assert!(
                        row.contains(rule.as_str()) && row.contains(resource.as_str()),
                        "{format} {c}: {row}"
                    );
                } else {
                    assert!(row.contains("no findings"), "{format} {c}: {row}");
                }
            }
        }
    }
}
