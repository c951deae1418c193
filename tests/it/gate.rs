//! The CI gate: finding fingerprints, `--baseline`, `--waivers`, `--today` (issue 11 item 3).
//!
//! Oracle (from the issue text, not from pathproof's output): a fingerprint depends on rule and
//! resource only, so re-collecting the same estate with every JSON array in another order gives
//! the same fingerprints; a baselined or current waived finding is listed but does not fail; a
//! waiver is valid through its `expires` day and expired the day after; an expired waiver fails
//! the run and suppresses nothing; a malformed waivers file is exit 2 naming file and field.
use super::*;

use pathproof::Outcome;

const NAT: &str = "violations/PP002-nat-gateway-on-path";

/// (rule, resource) the NAT fixture must report (its README row in fixtures/README.md).
fn nat_expected() -> Vec<(String, String)> {
    [
        ("PP001", "igw-0ccc00000000000e1"),
        ("PP002", "nat-0ccc000000000a7a1"),
        ("PP003", "vpc-0ccc00000000000c1"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect()
}

fn fingerprints(report: &serde_json::Value) -> Vec<(String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap().to_string(),
                f["fingerprint"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn reverse_arrays(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Array(items) => {
            items.reverse();
            items.iter_mut().for_each(reverse_arrays);
        }
        serde_json::Value::Object(map) => map.values_mut().for_each(reverse_arrays),
        _ => {}
    }
}

fn json_files(dir: &Path, base: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            json_files(&p, base, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p.strip_prefix(base).unwrap().to_str().unwrap().to_string());
        }
    }
}

#[test]
fn fingerprints_survive_a_recollection_with_arrays_in_another_order() {
    let (_, before) = verify_json(&fixture(NAT), &[]);
    let tmp = copy_fixture(NAT);
    let mut files = Vec::new();
    json_files(tmp.path(), tmp.path(), &mut files);
    for rel in files.iter().filter(|f| f.as_str() != "manifest.json") {
        edit_json(tmp.path(), rel, reverse_arrays);
    }
    let (_, after) = verify_json(tmp.path(), &[]);
    assert_eq!(findings(&before), nat_expected());
    let mut a = fingerprints(&before);
    let mut b = fingerprints(&after);
    a.sort();
    b.sort();
    assert_eq!(a, b);
    // Distinct findings have distinct fingerprints.
    let set: std::collections::BTreeSet<_> = a.iter().map(|x| &x.2).collect();
    assert_eq!(set.len(), a.len());
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn baseline_fails_only_on_new_findings() {
    let (outcome, mut base) = verify_json(&fixture(NAT), &[]);
    assert_eq!(outcome, Outcome::Fail);
    let tmp = tempfile::tempdir().unwrap();
    let full = write(tmp.path(), "full.json", &base.to_string());
    let (outcome, report) = verify_json(&fixture(NAT), &["--baseline", &full]);
    assert_eq!(outcome, Outcome::Pass);
    assert_eq!(
        findings(&report),
        nat_expected(),
        "baselined findings are still listed"
    );
    for f in report["findings"].as_array().unwrap() {
        assert_eq!(f["suppressed"]["kind"], "baseline");
    }
    assert_eq!(report["gate"]["baselined"], 3);
    assert_eq!(report["gate"]["new"], 0);

    // Drop the PP002 finding from the baseline: PP002 nat-… is new and fails the gate.
    base["findings"]
        .as_array_mut()
        .unwrap()
        .retain(|f| f["rule_id"] != "PP002");
    let partial = write(tmp.path(), "partial.json", &base.to_string());
    let (outcome, report) = verify_json(&fixture(NAT), &["--baseline", &partial]);
    assert_eq!(outcome, Outcome::Fail);
    let new: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("suppressed").is_none())
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap(),
                f["resource"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(new, vec![("PP002", "nat-0ccc000000000a7a1")]);
    assert_eq!(report["gate"]["new"], 1);
}

#[test]
fn baseline_that_is_not_a_report_is_an_input_error_naming_the_field() {
    let tmp = tempfile::tempdir().unwrap();
    let nat = fixture(NAT);
    let dir = nat.to_str().unwrap();
    let cases = [
        ("{}", "$.format"),
        (r#"{"format":"pathproof-report/1"}"#, "$.findings"),
        (
            r#"{"format":"pathproof-report/1","findings":[{"rule_id":"PP002"}]}"#,
            "$.findings[0].resource",
        ),
        (
            r#"{"format":"pathproof-report/1","findings":[{"rule_id":"PP002","resource":"nat-1","fingerprint":"pp1:00"}]}"#,
            "$.findings[0].fingerprint",
        ),
    ];
    for (text, field) in cases {
        let b = write(tmp.path(), "b.json", text);
        let (result, _) = run(&["verify", "--snapshot", dir, "--baseline", &b]);
        let err = format!("{:#}", result.unwrap_err());
        assert!(
            err.contains("b.json") && err.contains(field),
            "{field}: {err}"
        );
    }
}

fn waiver(rule: &str, resource: &str, expires: &str) -> String {
    format!(
        "[[waiver]]\nrule = \"{rule}\"\nresource = \"{resource}\"\njustification = \"NAT removed in change CHG-1\"\nowner = \"network-team\"\nexpires = {expires}\n"
    )
}

fn all_nat_waivers(expires: &str) -> String {
    nat_expected()
        .iter()
        .map(|(r, res)| waiver(r, res, expires))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn current_waivers_pass_and_are_marked_in_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    let w = write(tmp.path(), "w.toml", &all_nat_waivers("2027-01-31"));
    // Valid through the expires day itself.
    let gate = ["--waivers", w.as_str(), "--today", "2027-01-31"];
    let (outcome, report) = verify_json(&fixture(NAT), &gate);
    assert_eq!(outcome, Outcome::Pass);
    assert_eq!(findings(&report), nat_expected());
    for f in report["findings"].as_array().unwrap() {
        assert_eq!(f["suppressed"]["kind"], "waiver");
        assert_eq!(f["suppressed"]["owner"], "network-team");
        assert_eq!(f["suppressed"]["expires"], "2027-01-31");
    }
    assert_eq!(report["gate"]["waived"], 3);
    assert_eq!(report["gate"]["today"], "2027-01-31");
    let fps: Vec<String> = fingerprints(&report).into_iter().map(|x| x.2).collect();

    let nat = fixture(NAT);
    let dir = nat.to_str().unwrap();
    let render = |format: &str| {
        let mut args = vec!["verify", "--snapshot", dir, "--format", format];
        args.extend_from_slice(&gate);
        let (result, out) = run(&args);
        assert_eq!(result.unwrap(), Outcome::Pass, "{format}");
        out
    };
    let sarif: serde_json::Value = serde_json::from_str(&render("sarif")).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    for r in results {
        let fp = r["partialFingerprints"]["pathproof/v1"].as_str().unwrap();
        assert!(fps.iter().any(|x| x == fp), "{fp}");
        assert_eq!(r["suppressions"][0]["kind"], "external");
    }
    for format in ["table", "markdown", "html", "junit"] {
        let out = render(format);
        for fp in &fps {
            assert!(out.contains(fp.as_str()), "{format} lacks {fp}");
        }
        if format != "junit" {
            assert!(
                out.contains("waived (waiver 1, owner network-team"),
                "{format}"
            );
        } else {
            assert!(out.contains("waived"), "{format}");
        }
    }
}

#[test]
fn expired_waiver_fails_with_its_own_message_and_suppresses_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let w = write(tmp.path(), "w.toml", &all_nat_waivers("2027-01-31"));
    let (outcome, report) = verify_json(&fixture(NAT), &["--waivers", &w, "--today", "2027-02-01"]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(findings(&report), nat_expected());
    for f in report["findings"].as_array().unwrap() {
        assert!(f.get("suppressed").is_none(), "{f}");
    }
    let expired = report["gate"]["expired"].as_array().unwrap();
    assert_eq!(expired.len(), 3);
    assert_eq!(expired[1]["selector"], "PP002 on nat-0ccc000000000a7a1");
    assert!(expired[1]["message"]
        .as_str()
        .unwrap()
        .contains("expired on 2027-01-31"));
}

#[test]
fn expired_waiver_fails_even_when_the_findings_are_baselined() {
    let (_, base) = verify_json(&fixture(NAT), &[]);
    let tmp = tempfile::tempdir().unwrap();
    let b = write(tmp.path(), "b.json", &base.to_string());
    let w = write(
        tmp.path(),
        "w.toml",
        &waiver("PP002", "nat-0ccc000000000a7a1", "2026-01-01"),
    );
    let args = [
        "--baseline",
        b.as_str(),
        "--waivers",
        w.as_str(),
        "--today",
        "2026-06-01",
    ];
    let (outcome, report) = verify_json(&fixture(NAT), &args);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(report["gate"]["baselined"], 3);
    assert_eq!(report["gate"]["expired"].as_array().unwrap().len(), 1);
}

#[test]
fn waiver_matching_nothing_is_a_warning_only() {
    let tmp = tempfile::tempdir().unwrap();
    let mut text = all_nat_waivers("2030-01-01");
    text.push('\n');
    text.push_str(&waiver("PP002", "nat-0000000000000dead", "2030-01-01"));
    // By fingerprint too.
    let (_, report) = verify_json(&fixture(NAT), &[]);
    let fp = fingerprints(&report)[0].2.clone();
    text.push_str(&format!(
        "\n[[waiver]]\nfingerprint = \"{fp}\"\njustification = \"j\"\nowner = \"o\"\nexpires = 2030-01-01\n"
    ));
    let w = write(tmp.path(), "w.toml", &text);
    let (outcome, report) = verify_json(&fixture(NAT), &["--waivers", &w, "--today", "2029-12-31"]);
    assert_eq!(outcome, Outcome::Pass);
    let unmatched = report["gate"]["unmatched"].as_array().unwrap();
    assert_eq!(unmatched.len(), 1);
    assert_eq!(unmatched[0]["entry"], 4);
    assert_eq!(unmatched[0]["selector"], "PP002 on nat-0000000000000dead");
}

#[test]
fn malformed_waivers_file_is_an_input_error_naming_file_and_field() {
    let tmp = tempfile::tempdir().unwrap();
    let nat = fixture(NAT);
    let dir = nat.to_str().unwrap();
    let good = waiver("PP002", "nat-1", "2027-01-31");
    let cases = [
        (good.replace("owner = \"network-team\"\n", ""), "owner"),
        (good.replace("= 2027-01-31", "= \"next year\""), "expires"),
        (good.replace("= 2027-01-31", "= 2027-02-30"), "expires"),
        (good.replace("justification", "reason"), "reason"),
        (good.replace("rule = \"PP002\"\n", ""), "fingerprint"),
        ("waiver = 3".to_string(), "waiver"),
    ];
    for (text, field) in cases {
        let w = write(tmp.path(), "bad-waivers.toml", &text);
        let (result, _) = run(&[
            "verify",
            "--snapshot",
            dir,
            "--waivers",
            &w,
            "--today",
            "2027-01-01",
        ]);
        let err = format!("{:#}", result.unwrap_err());
        assert!(
            err.contains("bad-waivers.toml") && err.contains(field),
            "{field}: {err}"
        );
    }
}

#[test]
fn today_must_be_a_calendar_date() {
    let mut argv = vec!["pathproof", "verify", "--snapshot", "x", "--today"];
    for bad in ["2027-02-30", "tomorrow", "2027-1-1"] {
        argv.push(bad);
        assert!(Cli::try_parse_from(&argv).is_err(), "{bad}");
        argv.pop();
    }
}

// ---------------------------------------------------------------------------------------------
// `pathproof diff` (issue 11 item 2). Oracle: the fixture README rows. PP001 adds
// `0.0.0.0/0 -> igw-0aaa00000000000e1` to the device route table and makes the IoT names resolve
// publicly, so every device-subnet proof to the data endpoint goes from private to violation,
// through that route table (another route decides) and the new internet gateway.

const DEVICE_A: &str = "subnet subnet-0aaa0000000000a01";
const DATA: &str = "a1b2c3d4e5f6g7-ats.iot.us-west-2.amazonaws.com";
const PP001: &str = "violations/PP001-internet-gateway-on-path";

fn diff_json(old: &Path, new: &Path, extra: &[&str]) -> (Outcome, serde_json::Value) {
    let (o, n) = (old.to_str().unwrap(), new.to_str().unwrap());
    let mut args = vec!["diff", o, n, "--format", "json"];
    args.extend_from_slice(extra);
    let (result, out) = run(&args);
    let outcome = result.unwrap_or_else(|e| panic!("diff failed: {e:#}"));
    (
        outcome,
        serde_json::from_str(&out).expect("diff prints JSON"),
    )
}

fn proof<'a>(d: &'a serde_json::Value, source: &str, dest: &str) -> &'a serde_json::Value {
    d["proofs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["source"] == source && p["destination"] == dest)
        .unwrap_or_else(|| panic!("no proof {source} → {dest} in {d}"))
}

fn resource_change(p: &serde_json::Value, id: &str) -> String {
    p["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .map(|r| r["change"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("{id} not among the changed resources of {p}"))
}

#[test]
fn diff_of_a_snapshot_with_itself_changes_nothing() {
    let r = fixture("reference");
    let (outcome, d) = diff_json(&r, &r, &[]);
    assert_eq!(outcome, Outcome::Pass);
    assert_eq!(d["worse"], false);
    assert_eq!(d["proofs"].as_array().unwrap().len(), 0);
    assert_eq!(d["findings"].as_array().unwrap().len(), 0);
    let (result, table) = run(&["diff", r.to_str().unwrap(), r.to_str().unwrap()]);
    assert_eq!(result.unwrap(), Outcome::Pass);
    assert!(table.contains("no proof changed"), "{table}");
}

#[test]
fn diff_names_the_proofs_that_got_worse_and_the_resources_on_their_paths() {
    let (outcome, d) = diff_json(&fixture("reference"), &fixture(PP001), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(d["worse"], true);
    let p = proof(&d, DEVICE_A, DATA);
    assert_eq!(p["old"], "private");
    assert_eq!(p["new"], "violation");
    assert_eq!(p["change"], "worse");
    assert_eq!(resource_change(p, "igw-0aaa00000000000e1"), "added");
    assert_eq!(resource_change(p, "rtb-0aaa00000000000d1"), "changed");
    assert!(p["findings_added"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "PP001 igw-0aaa00000000000e1"));
    // The table says the same.
    let (o, n) = (fixture("reference"), fixture(PP001));
    let (result, table) = run(&["diff", o.to_str().unwrap(), n.to_str().unwrap()]);
    assert_eq!(result.unwrap(), Outcome::Fail);
    assert!(
        table.contains("[WORSE]") && table.contains("igw-0aaa00000000000e1"),
        "{table}"
    );

    // The other way round every change is an improvement: exit 0.
    let (outcome, d) = diff_json(&fixture(PP001), &fixture("reference"), &[]);
    assert_eq!(outcome, Outcome::Pass);
    assert_eq!(proof(&d, DEVICE_A, DATA)["change"], "better");
}

#[test]
fn diff_of_a_snapshot_and_the_snapshot_with_a_plan() {
    let r = fixture("reference");
    let plans = fixture("plans");
    let plan = plans.join("break-igw-route.json");
    let (outcome, d) = diff_json(&r, &r, &["--plan", plan.to_str().unwrap()]);
    assert_eq!(outcome, Outcome::Fail);
    let p = proof(&d, DEVICE_A, DATA);
    assert_eq!(p["change"], "worse");
    assert_eq!(
        resource_change(p, "igw-planned:aws_internet_gateway.device"),
        "added"
    );
    assert!(d["new"]["plan"]
        .as_str()
        .unwrap()
        .ends_with("break-igw-route.json"));
    // A plan that keeps privacy: no proof changes verdict.
    let plan = plans.join("keep-igw-default-route.json");
    let (outcome, d) = diff_json(&r, &r, &["--plan", plan.to_str().unwrap()]);
    assert_eq!(outcome, Outcome::Pass, "{d}");
    assert_eq!(d["worse"], false);
}

#[test]
fn diff_reports_a_new_failing_finding_without_paths_as_worse() {
    // PP010: the endpoint service opened to every principal (no path involved).
    let (outcome, d) = diff_json(
        &fixture("reference"),
        &fixture("violations/PP010-endpoint-service-open-principals"),
        &[],
    );
    assert_eq!(outcome, Outcome::Fail);
    let f = d["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "PP010")
        .unwrap_or_else(|| panic!("{d}"));
    assert_eq!(f["resource"], "vpce-svc-0bbb00000000005e1");
    assert_eq!(f["change"], "added");
    assert_eq!(f["worse"], true);
}

#[test]
fn diff_of_a_missing_snapshot_is_an_input_error() {
    let r = fixture("reference");
    let (result, _) = run(&["diff", r.to_str().unwrap(), "/nonexistent/snapshot"]);
    assert!(result.is_err());
}

// ---------------------------------------------------------------------------------------------
// `pathproof explain` (issue 11 item 4). Oracle: fixtures/README.md's reference diagram (device
// subnet a01 → rtb-0aaa00000000000d1 route 10.20.0.0/16 → TGW → tgw-rtb-0aaa00000000000f1 →
// gatekeeper attachment → the iot.data endpoint), and the PP006 / PP007 rows for blockers.

fn explain_json(snapshot: &Path, args: &[&str]) -> (Outcome, serde_json::Value) {
    let mut argv = vec![
        "explain",
        "--snapshot",
        snapshot.to_str().unwrap(),
        "--format",
        "json",
    ];
    argv.extend_from_slice(args);
    let (result, out) = run(&argv);
    let outcome = result.unwrap_or_else(|e| panic!("explain failed: {e:#}"));
    (
        outcome,
        serde_json::from_str(&out).expect("explain prints JSON"),
    )
}

fn hop_ids(branch: &serde_json::Value) -> Vec<String> {
    branch["hops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn explain_shows_every_hop_and_what_decided_it() {
    let (outcome, e) = explain_json(
        &fixture("reference"),
        &[
            "--from",
            "subnet-0aaa0000000000a01",
            "--to",
            DATA,
            "--port",
            "8883",
        ],
    );
    assert_eq!(outcome, Outcome::Pass);
    assert_eq!(e["verdict"], "reaches");
    assert_eq!(e["ports"], serde_json::json!([8883]));
    let walks = e["walks"].as_array().unwrap();
    // The data zone's apex alias answers with the endpoint's two addresses.
    let mut addrs: Vec<&str> = walks
        .iter()
        .map(|w| w["address"].as_str().unwrap())
        .collect();
    addrs.sort();
    assert_eq!(addrs, ["10.20.1.10", "10.20.2.10"]);
    for w in walks {
        assert_eq!(w["verdict"], "reaches");
        assert_eq!(w["blockers"].as_array().unwrap().len(), 0, "{w}");
        for b in w["branches"].as_array().unwrap() {
            let ids = hop_ids(b);
            assert_eq!(ids[0], "subnet-0aaa0000000000a01");
            assert!(
                ids.contains(&"tgw-rtb-0aaa00000000000f1".to_string()),
                "{ids:?}"
            );
            let rt = b["hops"]
                .as_array()
                .unwrap()
                .iter()
                .find(|h| h["id"] == "rtb-0aaa00000000000d1")
                .unwrap();
            assert_eq!(rt["via"], "route 10.20.0.0/16 → tgw-0aaa00000000000f1");
            assert_eq!(b["end"]["kind"], "iot-endpoint");
            assert_eq!(b["end"]["endpoint"], "vpce-0bbb00000000da7a1");
        }
    }
    // The table lists the same hops.
    let snap = fixture("reference");
    let (result, table) = run(&[
        "explain",
        "--snapshot",
        snap.to_str().unwrap(),
        "--from",
        "subnet-0aaa0000000000a01",
        "--to",
        DATA,
    ]);
    assert_eq!(result.unwrap(), Outcome::Pass);
    assert!(
        table.contains("route 10.20.0.0/16 → tgw-0aaa00000000000f1"),
        "{table}"
    );
}

#[test]
fn explain_lists_every_blocker_not_only_the_first() {
    // Both the PP006 change (no TCP 8883 in the endpoint security group) and the PP007 change
    // (network ACL deny 8883 from 10.10.0.0/16 on the endpoint subnets) in one snapshot.
    let tmp = copy_fixture("violations/PP007-network-acl-blocks-mqtt");
    std::fs::copy(
        fixture("violations/PP006-security-group-blocks-mqtt")
            .join("222222222222/us-west-2/ec2/describe-security-groups.json"),
        tmp.path()
            .join("222222222222/us-west-2/ec2/describe-security-groups.json"),
    )
    .unwrap();
    let (outcome, e) = explain_json(
        tmp.path(),
        &[
            "--from",
            "10.10.1.7",
            "--to",
            "10.20.1.10",
            "--port",
            "8883",
        ],
    );
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(e["verdict"], "blocked");
    let w = &e["walks"][0];
    assert_eq!(
        w["source"],
        "subnet-0aaa0000000000a01 (vpc-0aaa00000000000d1)"
    );
    let blockers: Vec<(String, String)> = w["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["rule"].as_str().unwrap().into(),
                b["resource"].as_str().unwrap().into(),
            )
        })
        .collect();
    for want in [
        ("PP006", "sg-0bbb00000000e0e01"),
        ("PP007", "acl-0bbb00000000000e7"),
    ] {
        assert!(
            blockers.contains(&(want.0.to_string(), want.1.to_string())),
            "{want:?} missing from {blockers:?}"
        );
    }
    // Port 443 is still open in both: it reaches.
    let (outcome, e) = explain_json(
        tmp.path(),
        &["--from", "10.10.1.7", "--to", "10.20.1.10", "--port", "443"],
    );
    assert_eq!(outcome, Outcome::Pass, "{e}");
}

#[test]
fn explain_from_a_vpc_walks_each_subnet_and_from_on_premises_enters_the_tgw() {
    let (_, e) = explain_json(
        &fixture("reference"),
        &["--from", "vpc-0aaa00000000000d1", "--to", "10.20.1.10"],
    );
    let mut sources: Vec<&str> = e["walks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["source"].as_str().unwrap())
        .collect();
    sources.sort();
    sources.dedup();
    assert_eq!(
        sources,
        [
            "subnet-0aaa0000000000a01 (vpc-0aaa00000000000d1)",
            "subnet-0aaa0000000000b01 (vpc-0aaa00000000000d1)"
        ]
    );
    let (outcome, e) = explain_json(
        &fixture("reference"),
        &["--from", "192.168.10.0/24", "--to", DATA],
    );
    assert_eq!(outcome, Outcome::Pass, "{e}");
    let w = &e["walks"][0];
    assert_eq!(
        w["source"],
        "on-premises 192.168.10.0/24 (via tgw-attach-0aaa0000000000dc1)"
    );
    assert_eq!(
        w["branches"][0]["hops"][0]["id"],
        "tgw-attach-0aaa0000000000dc1"
    );
}

#[test]
fn explain_of_a_public_name_shows_the_internet_gateway() {
    let (outcome, e) = explain_json(
        &fixture(PP001),
        &["--from", "subnet-0aaa0000000000a01", "--to", DATA],
    );
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(e["verdict"], "leaves");
    let rules: Vec<(String, String)> = e["walks"][0]["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["rule"].as_str().unwrap().into(),
                b["resource"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        rules.contains(&("PP001".into(), "igw-0aaa00000000000e1".into())),
        "{rules:?}"
    );
    assert!(
        rules.contains(&("PP003".into(), "vpc-0aaa00000000000d1".into())),
        "{rules:?}"
    );
}

#[test]
fn explain_rejects_sources_it_cannot_place() {
    let snap = fixture("reference");
    let dir = snap.to_str().unwrap();
    for (from, want) in [
        ("subnet-0000000000000dead", "no such subnet"),
        ("vpc-0000000000000dead", "no such VPC"),
        ("172.31.0.5", "no subnet or on-premises range"),
        ("not-an-address", "expected subnet-"),
    ] {
        let (result, _) = run(&["explain", "--snapshot", dir, "--from", from, "--to", DATA]);
        let err = format!("{:#}", result.unwrap_err());
        assert!(err.contains(want), "{from}: {err}");
    }
}

// ---------------------------------------------------------------------------------------------
// `verify --strict-egress` (issue 11 item 5). Oracle: an independent longest-prefix match over
// the fixture's own JSON (VPC user guide "Route priority": the most specific route wins, a
// blackhole route drops; Transit Gateway guide "Route evaluation order"), run for every address
// of 192.168.0.0/16 and for probes outside it, against the CIDRs pathproof reports (PP030).

const IGW_DEFAULT: &str = "compliant/device-igw-default-route";
const STRICT: &[&str] = &["--strict-egress"];

fn pp030_cidrs(report: &serde_json::Value, source: &str) -> Vec<ipnet::Ipv4Net> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "PP030" && f["resource"] == source)
        .flat_map(|f| f["evidence"].as_array().unwrap().clone())
        .flat_map(|c| {
            c["cidrs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().parse::<ipnet::Ipv4Net>().unwrap())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn strict_egress_is_off_by_default_and_passes_the_reference() {
    let (outcome, report) = verify_json(&fixture(IGW_DEFAULT), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
    let (outcome, report) = verify_json(&fixture("reference"), STRICT);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
    assert!(!findings(&report).iter().any(|(r, _)| r == "PP030"));
}

#[test]
fn strict_egress_reports_every_address_a_default_route_sends_to_the_internet() {
    let (outcome, report) = verify_json(&fixture(IGW_DEFAULT), STRICT);
    assert_eq!(outcome, Outcome::Fail);
    let pp030: Vec<String> = findings(&report)
        .into_iter()
        .filter(|(r, _)| r == "PP030")
        .map(|(_, res)| res)
        .collect();
    assert_eq!(
        pp030,
        ["subnet-0aaa0000000000a01", "subnet-0aaa0000000000b01"]
    );
    // rtb-0aaa00000000000d1: local 10.10/16, 10.20/16 and 192.168/16 to the TGW (private there),
    // 0.0.0.0/0 to the IGW: everything else leaks, as the minimal CIDRs of the complement.
    let mut expected: Vec<String> = Vec::new();
    let keep: [ipnet::Ipv4Net; 3] = [
        "10.10.0.0/16".parse().unwrap(),
        "10.20.0.0/16".parse().unwrap(),
        "192.168.0.0/16".parse().unwrap(),
    ];
    // Complement of the three blocks, by brute force over /16 blocks (all boundaries are /16).
    let mut run_start: Option<u32> = None;
    for block in 0u32..=0xffff {
        let net = ipnet::Ipv4Net::new(std::net::Ipv4Addr::from(block << 16), 16).unwrap();
        let leaks = !keep.contains(&net);
        match (leaks, run_start) {
            (true, None) => run_start = Some(block),
            (false, Some(s)) => {
                expected.extend(
                    ipnet::Ipv4Subnets::new((s << 16).into(), ((block << 16) - 1).into(), 0)
                        .map(|n| n.to_string()),
                );
                run_start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = run_start {
        expected.extend(
            ipnet::Ipv4Subnets::new((s << 16).into(), u32::MAX.into(), 0).map(|n| n.to_string()),
        );
    }
    let got: Vec<String> = pp030_cidrs(&report, "subnet-0aaa0000000000a01")
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(got, expected);
    let f = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "PP030")
        .unwrap();
    assert_eq!(
        f["evidence"][0]["exits"],
        serde_json::json!(["internet gateway igw-0aaa00000000000e1"])
    );
    // Every format carries the finding.
    let snap = fixture(IGW_DEFAULT);
    for format in ["sarif", "junit", "markdown", "html", "table"] {
        let (result, out) = run(&[
            "verify",
            "--snapshot",
            snap.to_str().unwrap(),
            "--strict-egress",
            "--format",
            format,
        ]);
        assert_eq!(result.unwrap(), Outcome::Fail, "{format}");
        assert!(out.contains("PP030"), "{format}");
    }
}

/// The estate of the oracle test: `compliant/device-igw-default-route` plus routes that split
/// 192.168.0.0/16 into classes with different fates.
fn egress_estate() -> tempfile::TempDir {
    let tmp = copy_fixture(IGW_DEFAULT);
    let ec2 = |acct: &str, file: &str| format!("{acct}/us-west-2/ec2/{file}");
    let route = |cidr: &str, key: &str, target: &str, state: &str| serde_json::json!({"DestinationCidrBlock": cidr, key: target, "Origin": "CreateRoute", "State": state});
    edit_json(
        tmp.path(),
        &ec2("111111111111", "describe-route-tables.json"),
        |d| {
            for rt in d["RouteTables"].as_array_mut().unwrap() {
                if rt["RouteTableId"] == "rtb-0aaa00000000000d1" {
                    let routes = rt["Routes"].as_array_mut().unwrap();
                    routes.push(route(
                        "192.168.4.0/22",
                        "GatewayId",
                        "igw-0aaa00000000000e1",
                        "active",
                    ));
                    // A route to a deleted internet gateway is a blackhole (describe-route-tables).
                    routes.push(route(
                        "192.168.5.0/24",
                        "GatewayId",
                        "igw-0aaa0000000000dea",
                        "blackhole",
                    ));
                    routes.push(route(
                        "172.16.0.0/12",
                        "TransitGatewayId",
                        "tgw-0aaa00000000000f1",
                        "active",
                    ));
                }
            }
        },
    );
    // The gatekeeper's TGW subnets (main route table) get a default route to a new IGW, and the
    // TGW sends 192.168.8.0/21 to the gatekeeper attachment: a leak two hops away.
    edit_json(
        tmp.path(),
        &ec2("222222222222", "describe-route-tables.json"),
        |d| {
            for rt in d["RouteTables"].as_array_mut().unwrap() {
                if rt["RouteTableId"] == "rtb-0bbb00000000000e0" {
                    rt["Routes"].as_array_mut().unwrap().push(route(
                        "0.0.0.0/0",
                        "GatewayId",
                        "igw-0bbb00000000000e9",
                        "active",
                    ));
                }
            }
        },
    );
    edit_json(
        tmp.path(),
        &ec2("222222222222", "describe-internet-gateways.json"),
        |d| {
            d["InternetGateways"] = serde_json::json!([{
                "Attachments": [{"State": "available", "VpcId": "vpc-0bbb00000000000e1"}],
                "InternetGatewayId": "igw-0bbb00000000000e9",
                "OwnerId": "222222222222",
                "Tags": []
            }]);
        },
    );
    edit_json(
        tmp.path(),
        &ec2(
            "111111111111",
            "search-transit-gateway-routes/tgw-rtb-0aaa00000000000f1.json",
        ),
        |d| {
            d["Routes"].as_array_mut().unwrap().push(serde_json::json!({
                "DestinationCidrBlock": "192.168.8.0/21",
                "TransitGatewayAttachments": [{
                    "ResourceId": "vpc-0bbb00000000000e1",
                    "TransitGatewayAttachmentId": "tgw-attach-0bbb0000000000e01",
                    "ResourceType": "vpc"
                }],
                "Type": "static",
                "State": "active"
            }));
        },
    );
    tmp
}

/// Independent oracle over the estate's JSON: does `addr`, sent from a VPC route table `rt`
/// (or into the TGW when `rt` is None), reach an internet gateway or NAT gateway?
struct Oracle {
    vpc_routes: std::collections::BTreeMap<String, Vec<serde_json::Value>>,
    main_rt: std::collections::BTreeMap<String, String>,
    subnet_rt: std::collections::BTreeMap<String, String>,
    tgw_routes: Vec<serde_json::Value>,
    attachment_subnets: std::collections::BTreeMap<String, (String, Vec<String>)>,
}

impl Oracle {
    fn load(dir: &Path) -> Oracle {
        let read = |rel: &str| -> serde_json::Value {
            serde_json::from_str(&std::fs::read_to_string(dir.join(rel)).unwrap()).unwrap()
        };
        let mut o = Oracle {
            vpc_routes: Default::default(),
            main_rt: Default::default(),
            subnet_rt: Default::default(),
            tgw_routes: read("111111111111/us-west-2/ec2/search-transit-gateway-routes/tgw-rtb-0aaa00000000000f1.json")["Routes"].as_array().unwrap().clone(),
            attachment_subnets: Default::default(),
        };
        for acct in ["111111111111", "222222222222", "333333333333"] {
            let d = read(&format!("{acct}/us-west-2/ec2/describe-route-tables.json"));
            for rt in d["RouteTables"].as_array().unwrap() {
                let id = rt["RouteTableId"].as_str().unwrap().to_string();
                o.vpc_routes
                    .insert(id.clone(), rt["Routes"].as_array().unwrap().clone());
                for a in rt["Associations"].as_array().unwrap() {
                    if a["Main"] == true {
                        o.main_rt
                            .insert(rt["VpcId"].as_str().unwrap().into(), id.clone());
                    } else if let Some(s) = a["SubnetId"].as_str() {
                        o.subnet_rt.insert(s.into(), id.clone());
                    }
                }
            }
        }
        let d = read("111111111111/us-west-2/ec2/describe-transit-gateway-vpc-attachments.json");
        for a in d["TransitGatewayVpcAttachments"].as_array().unwrap() {
            let subnets = a["SubnetIds"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect();
            o.attachment_subnets.insert(
                a["TransitGatewayAttachmentId"].as_str().unwrap().into(),
                (a["VpcId"].as_str().unwrap().into(), subnets),
            );
        }
        o
    }

    fn lpm(routes: &[serde_json::Value], addr: std::net::Ipv4Addr) -> Option<&serde_json::Value> {
        routes
            .iter()
            .filter_map(|r| {
                let n: ipnet::Ipv4Net = r["DestinationCidrBlock"].as_str()?.parse().ok()?;
                n.contains(&addr).then_some((n.prefix_len(), r))
            })
            .max_by_key(|(len, _)| *len)
            .map(|(_, r)| r)
    }

    fn rt_of(&self, subnet: &str, vpc: &str) -> &str {
        self.subnet_rt
            .get(subnet)
            .or_else(|| self.main_rt.get(vpc))
            .unwrap()
    }

    fn leaks_from_vpc_rt(&self, rt: &str, addr: std::net::Ipv4Addr, depth: u8) -> bool {
        let Some(r) = Self::lpm(&self.vpc_routes[rt], addr) else {
            return false;
        };
        if r["State"] == "blackhole" {
            return false;
        }
        if r["NatGatewayId"].is_string() {
            return true;
        }
        match r["GatewayId"].as_str() {
            Some(g) if g.starts_with("igw-") => return true,
            Some("local") => return false,
            _ => {}
        }
        r["TransitGatewayId"].is_string() && depth < 4 && self.leaks_from_tgw(addr, depth + 1)
    }

    fn leaks_from_tgw(&self, addr: std::net::Ipv4Addr, depth: u8) -> bool {
        let Some(r) = Self::lpm(&self.tgw_routes, addr) else {
            return false;
        };
        if r["State"] != "active" {
            return false;
        }
        let att = r["TransitGatewayAttachments"][0]["TransitGatewayAttachmentId"]
            .as_str()
            .unwrap();
        match self.attachment_subnets.get(att) {
            // Delivered into the VPC through an attachment subnet: that subnet's route table.
            Some((vpc, subnets)) => subnets
                .iter()
                .any(|s| self.leaks_from_vpc_rt(self.rt_of(s, vpc), addr, depth)),
            // Direct Connect gateway: private transport, not the internet.
            None => false,
        }
    }
}

#[test]
fn strict_egress_matches_a_brute_force_oracle_over_every_address_of_a_small_space() {
    let tmp = egress_estate();
    let (outcome, report) = verify_json(tmp.path(), STRICT);
    assert_eq!(outcome, Outcome::Fail);
    let oracle = Oracle::load(tmp.path());
    let probes: Vec<std::net::Ipv4Addr> = [
        "0.0.0.0",
        "8.8.8.8",
        "9.255.255.255",
        "10.10.1.5",
        "10.20.1.10",
        "10.30.1.1",
        "172.16.0.1",
        "172.31.255.255",
        "192.167.255.255",
        "192.169.0.0",
        "255.255.255.255",
    ]
    .iter()
    .map(|s| s.parse().unwrap())
    .chain((0u32..=0xffff).map(|i| std::net::Ipv4Addr::from(0xc0a8_0000 | i)))
    .collect();
    let sources: [(&str, Option<&str>); 3] = [
        ("subnet-0aaa0000000000a01", Some("rtb-0aaa00000000000d1")),
        ("subnet-0aaa0000000000b01", Some("rtb-0aaa00000000000d1")),
        ("192.168.0.0/16", None),
    ];
    for (source, rt) in sources {
        let reported = pp030_cidrs(&report, source);
        let mut mismatches = Vec::new();
        for &a in &probes {
            let want = match rt {
                Some(rt) => oracle.leaks_from_vpc_rt(rt, a, 0),
                None => oracle.leaks_from_tgw(a, 0),
            };
            let got = reported.iter().any(|n| n.contains(&a));
            if want != got {
                mismatches.push(format!("{a}: oracle {want}, pathproof {got}"));
            }
        }
        assert!(
            mismatches.is_empty(),
            "{source}: {} mismatches, first {:?}",
            mismatches.len(),
            &mismatches[..mismatches.len().min(5)]
        );
    }
    // The classes name their exits: the device IGW directly, the gatekeeper IGW through the TGW.
    let exits: std::collections::BTreeSet<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "PP030")
        .flat_map(|f| f["evidence"].as_array().unwrap().clone())
        .flat_map(|c| c["exits"].as_array().unwrap().clone())
        .map(|e| e.as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        exits,
        [
            "internet gateway igw-0aaa00000000000e1",
            "internet gateway igw-0bbb00000000000e9"
        ]
        .map(String::from)
        .into()
    );
}

/// Strict egress does not split IPv6 into classes, so a device subnet with an IPv6 CIDR whose
/// route table sends IPv6 beyond the VPC is unproven (PP016 naming the subnet and the route),
/// never passed unexamined; with only `local` IPv6 routes it has no IPv6 egress (VPC user guide,
/// "IPv6 support for your VPC"; "Route tables": the local route covers the VPC's CIDRs).
#[test]
fn strict_egress_never_passes_ipv6_egress_it_does_not_examine() {
    const SUBNET: &str = "subnet-0aaa0000000000a01";
    let ipv6_pp016 = |report: &serde_json::Value| -> Vec<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| {
                f["rule_id"] == "PP016"
                    && f["resource"] == SUBNET
                    && f["message"].as_str().unwrap().contains("IPv6 destinations")
            })
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect()
    };
    for rel in [
        "violations/PP023-egress-only-internet-gateway-on-path",
        "compliant/ipv6-device-subnet-ipv4-endpoint",
    ] {
        let (outcome, report) = verify_json(&fixture(rel), STRICT);
        assert_eq!(outcome, Outcome::Fail, "{rel}");
        let found = ipv6_pp016(&report);
        assert_eq!(found.len(), 1, "{rel}: {:?}", findings(&report));
        assert!(
            found[0].contains("rtb-0aaa00000000000d1 sends ::/0 beyond the VPC"),
            "{rel}: {}",
            found[0]
        );
        // Without --strict-egress the claim is not made, so nothing is said about it.
        let (_, report) = verify_json(&fixture(rel), &[]);
        assert!(ipv6_pp016(&report).is_empty(), "{rel}");
    }
    // A CIDR still `associating` gives addresses soon: examined too (EC2 API reference,
    // SubnetCidrBlockState); a `disassociated` one gives none.
    for (state, examined) in [("associating", true), ("disassociated", false)] {
        let tmp = copy_fixture("compliant/ipv6-device-subnet-ipv4-endpoint");
        edit_json(
            tmp.path(),
            "111111111111/us-west-2/ec2/describe-subnets.json",
            |doc| {
                for s in doc["Subnets"].as_array_mut().unwrap() {
                    if s["SubnetId"] == SUBNET {
                        for a in s["Ipv6CidrBlockAssociationSet"].as_array_mut().unwrap() {
                            a["Ipv6CidrBlockState"]["State"] = state.into();
                        }
                    }
                }
            },
        );
        let (_, report) = verify_json(tmp.path(), STRICT);
        assert_eq!(!ipv6_pp016(&report).is_empty(), examined, "{state}");
    }
    // The same dual-stack subnet with only its local IPv6 routes: no IPv6 egress to examine.
    let tmp = copy_fixture("compliant/ipv6-device-subnet-ipv4-endpoint");
    edit_json(
        tmp.path(),
        "111111111111/us-west-2/ec2/describe-route-tables.json",
        |doc| {
            for t in doc["RouteTables"].as_array_mut().unwrap() {
                t["Routes"].as_array_mut().unwrap().retain(|r| {
                    r.get("DestinationIpv6CidrBlock").is_none() || r["GatewayId"] == "local"
                });
            }
        },
    );
    let (_, report) = verify_json(tmp.path(), STRICT);
    assert!(ipv6_pp016(&report).is_empty(), "{:?}", findings(&report));
}
