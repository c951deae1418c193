//! `verify --plan`: Terraform plans (fixtures/plans/, written by fixtures/gen_plans.py) applied on
//! top of fixtures/reference. Expectations come from the AWS and Terraform documents named at each
//! case, not from pathproof's output: every breaking plan names its rule, resource and Terraform
//! address; every keeping plan passes with no finding.
use std::process::Command;

use super::*;

const DEVICE_VPC: &str = "vpc-0aaa00000000000d1";
const DEVICE_RTB: &str = "rtb-0aaa00000000000d1";
const SVC_ID: &str = "vpce-svc-0bbb00000000005e1";

fn plan_path(name: &str) -> String {
    fixture(&format!("plans/{name}.json"))
        .to_str()
        .unwrap()
        .to_string()
}

fn verify_plan(plan: &str) -> (Outcome, serde_json::Value) {
    verify_json(&fixture("reference"), &["--plan", plan])
}

/// The finding with `rule` on `resource`, or a panic listing what was found.
fn finding<'r>(report: &'r serde_json::Value, rule: &str, resource: &str) -> &'r serde_json::Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == rule && f["resource"] == resource)
        .unwrap_or_else(|| panic!("no {rule} on {resource}: {:?}", findings(report)))
}

fn message(f: &serde_json::Value) -> &str {
    f["message"].as_str().unwrap()
}

/// VPC guide (route tables: longest prefix match; internet gateways) and Route 53 developer guide
/// ("Working with private hosted zones": a VPC not associated with the zone resolves the name
/// with public DNS): with the device VPC's association to the IoT data zone destroyed, the data
/// name resolves publicly and 0.0.0.0/0 → the new internet gateway carries it: PP001 on the
/// gateway, whose placeholder id names its address, and the route's address is named too.
#[test]
fn a_route_to_a_new_internet_gateway_with_the_zone_association_removed_is_pp001() {
    let (outcome, report) = verify_plan(&plan_path("break-igw-route"));
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(report["summary"]["verdict"], "violations");
    let f = finding(&report, "PP001", "igw-planned:aws_internet_gateway.device");
    assert!(
        message(f).contains("aws_route.device_default"),
        "{}",
        message(f)
    );
    let f = finding(&report, "PP003", DEVICE_VPC);
    assert!(message(f).contains("aws_route53_zone_association.device_data"));
}

/// Route 53 developer guide, private hosted zones: without the association the device VPC
/// resolves the IoT data name publicly (PP003 on the VPC, naming the destroyed association).
#[test]
fn removing_the_private_zone_association_is_pp003_naming_the_address() {
    let (outcome, report) = verify_plan(&plan_path("break-zone-association-removed"));
    assert_eq!(outcome, Outcome::Fail);
    let f = finding(&report, "PP003", DEVICE_VPC);
    assert!(
        message(f).contains("aws_route53_zone_association.device_data"),
        "{}",
        message(f)
    );
}

/// AWS IoT developer guide, "AWS IoT Core policies" / VPC endpoints: without the aws:SourceVpce
/// condition the PublishReceive statement allows iot:Publish from anywhere: PP014 on the policy.
#[test]
fn a_policy_update_without_the_sourcevpce_condition_is_pp014() {
    let (outcome, report) = verify_plan(&plan_path("break-policy-without-sourcevpce"));
    assert_eq!(outcome, Outcome::Fail);
    let f = finding(&report, "PP014", "iot-device-policy");
    assert!(
        message(f).contains("aws_iot_policy.device"),
        "{}",
        message(f)
    );
    assert!(message(f).contains("iot:Publish"), "{}", message(f));
}

/// PrivateLink guide, "Manage permissions" (`*` allows all principals): PP010 on the service.
#[test]
fn opening_the_endpoint_service_to_everyone_is_pp010() {
    let (outcome, report) = verify_plan(&plan_path("break-service-open-to-all"));
    assert_eq!(outcome, Outcome::Fail);
    let f = finding(&report, "PP010", SVC_ID);
    assert!(
        message(f).contains("aws_vpc_endpoint_service_allowed_principal.everyone"),
        "{}",
        message(f)
    );
}

/// Keeping plans: an internet gateway and a default route to it while the private zones still
/// answer (the IoT names resolve to 10.20.x, and 10.20.0.0/16 → TGW is longer than 0.0.0.0/0:
/// VPC guide, route priority), a narrower policy that keeps the condition, the consumer account
/// as a principal (an intended consumer), and an S3 bucket on no path: proven, nothing found.
#[test]
fn plans_that_keep_privacy_pass() {
    for name in [
        "keep-igw-default-route",
        "keep-narrower-policy-consumer-principal",
    ] {
        let (outcome, report) = verify_plan(&plan_path(name));
        assert_eq!(outcome, Outcome::Pass, "{name}: {:?}", findings(&report));
        assert_eq!(report["summary"]["verdict"], "proven", "{name}");
        assert!(
            findings(&report).is_empty(),
            "{name}: {:?}",
            findings(&report)
        );
        assert!(report["summary"]["paths_private"].as_u64().unwrap() > 0);
    }
}

/// A route target unknown until apply (a module output): the paths through the route table
/// cannot be proven (PP016 on the address); paths elsewhere stay private.
#[test]
fn an_unknown_route_target_makes_the_paths_through_its_table_unproven() {
    let (outcome, report) = verify_plan(&plan_path("unknown-route-target"));
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(report["summary"]["verdict"], "unproven");
    let f = finding(&report, "PP016", "aws_route.via_inspection");
    assert!(message(f).contains("network_interface_id is known only after apply"));
    let on: Vec<u64> = f["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_u64().unwrap())
        .collect();
    assert!(!on.is_empty());
    for p in report["paths"].as_array().unwrap() {
        let through = p["hops"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["id"] == DEVICE_RTB)
            || p["return_hops"]
                .as_array()
                .is_some_and(|hs| hs.iter().any(|h| h["id"] == DEVICE_RTB));
        let id = p["id"].as_u64().unwrap();
        assert_eq!(through, on.contains(&id), "path {id}");
        let expected = if through { "unproven" } else { "private" };
        assert_eq!(p["verdict"], expected, "path {id}");
    }
}

/// A type this version does not model, on the paths (the TGW route table every path crosses):
/// PP016 naming the address.
#[test]
fn an_unmodelled_change_on_a_path_is_unproven_by_address() {
    let (outcome, report) = verify_plan(&plan_path("unmodelled-tgw-route"));
    assert_eq!(outcome, Outcome::Fail);
    let f = finding(
        &report,
        "PP016",
        "aws_ec2_transit_gateway_route.gatekeeper_blackhole",
    );
    assert!(!f["paths"].as_array().unwrap().is_empty());
    assert_eq!(report["summary"]["verdict"], "unproven");
}

/// Terraform "JSON Output Format": reject an unsupported major version (exit 2, naming the field).
#[test]
fn an_unknown_major_format_version_is_exit_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_pathproof"))
        .args(["verify", "--snapshot"])
        .arg(fixture("reference"))
        .args(["--plan", &plan_path("bad-format-version")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("format_version") && stderr.contains("\"2.0\""),
        "{stderr}"
    );
}

fn edited_plan(name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture(&format!("plans/{name}.json")),
        tmp.path().join("plan.json"),
    )
    .unwrap();
    edit_json(tmp.path(), "plan.json", edit);
    tmp
}

#[test]
fn a_plan_without_format_version_or_with_a_bad_cidr_is_an_input_error() {
    let tmp = edited_plan("keep-igw-default-route", |d| {
        d.as_object_mut().unwrap().remove("format_version");
    });
    let plan = tmp.path().join("plan.json");
    let snap = fixture("reference");
    let (result, _) = run(&[
        "verify",
        "--snapshot",
        snap.to_str().unwrap(),
        "--plan",
        plan.to_str().unwrap(),
    ]);
    let err = format!("{:#}", result.unwrap_err());
    assert!(err.contains("format_version: missing"), "{err}");

    let tmp = edited_plan("keep-igw-default-route", |d| {
        for rc in d["resource_changes"].as_array_mut().unwrap() {
            if rc["type"] == "aws_route" {
                rc["change"]["after"]["destination_cidr_block"] = "0.0.0.0/33".into();
            }
        }
    });
    let plan = tmp.path().join("plan.json");
    let (result, _) = run(&[
        "verify",
        "--snapshot",
        snap.to_str().unwrap(),
        "--plan",
        plan.to_str().unwrap(),
    ]);
    let err = format!("{:#}", result.unwrap_err());
    assert!(err.contains("resource_changes[1]"), "{err}");
}

/// An action this version does not know (a newer minor format) is unproven, never skipped.
#[test]
fn an_unknown_action_is_unproven() {
    let tmp = edited_plan("keep-igw-default-route", |d| {
        for rc in d["resource_changes"].as_array_mut().unwrap() {
            if rc["type"] == "aws_route" {
                rc["change"]["actions"] = serde_json::json!(["transmogrify"]);
            }
        }
    });
    let plan = tmp.path().join("plan.json");
    let (outcome, report) = verify_json(&fixture("reference"), &["--plan", plan.to_str().unwrap()]);
    assert_eq!(outcome, Outcome::Fail);
    finding(&report, "PP016", "aws_route.device_default");
}

/// Deleting the default route again (`["delete"]` with `before`): back to the snapshot's table.
/// Replacing the device route to the Transit Gateway by one to the new internet gateway
/// (`["delete", "create"]`) sends the IoT data addresses to the internet: PP001.
#[test]
fn replace_applies_before_and_after() {
    let tmp = edited_plan("keep-igw-default-route", |d| {
        for rc in d["resource_changes"].as_array_mut().unwrap() {
            if rc["type"] == "aws_route" {
                let c = &mut rc["change"];
                c["actions"] = serde_json::json!(["delete", "create"]);
                let mut before = c["after"].clone();
                before["destination_cidr_block"] = "10.20.0.0/16".into();
                before["transit_gateway_id"] = "tgw-0aaa00000000000f1".into();
                before["id"] = "r-rtb-0aaa00000000000d11080289494".into();
                c["before"] = before;
                c["after"]["destination_cidr_block"] = "10.20.0.0/16".into();
            }
        }
    });
    let plan = tmp.path().join("plan.json");
    let (outcome, report) = verify_json(&fixture("reference"), &["--plan", plan.to_str().unwrap()]);
    assert_eq!(outcome, Outcome::Fail);
    let f = finding(&report, "PP001", "igw-planned:aws_internet_gateway.device");
    assert!(
        message(f).contains("aws_route.device_default"),
        "{}",
        message(f)
    );
}

/// Placeholder ids carry the Terraform address into every report format.
#[test]
fn the_address_of_a_new_resource_is_in_every_format() {
    let snap = fixture("reference");
    let plan = plan_path("break-igw-route");
    for format in ["table", "json", "sarif", "junit", "markdown", "html"] {
        let (result, out) = run(&[
            "verify",
            "--snapshot",
            snap.to_str().unwrap(),
            "--plan",
            &plan,
            "--format",
            format,
        ]);
        assert_eq!(result.unwrap(), Outcome::Fail, "{format}");
        // Markdown escapes `_` as `\_`.
        let text = out.replace("\\_", "_");
        assert!(
            text.contains("aws_internet_gateway.device"),
            "{format}: address missing"
        );
    }
}

/// The plan file is part of the evidence (its SHA-256 in the report).
#[test]
fn the_plan_is_listed_as_evidence() {
    let (_, report) = verify_plan(&plan_path("keep-igw-default-route"));
    let ev = report["evidence"].as_array().unwrap();
    assert!(ev
        .iter()
        .any(|e| e["path"].as_str().unwrap().starts_with("plan:")
            && e["sha256"].as_str().unwrap().len() == 64));
}

/// `docs/ci/pr-gate.yml` is documentation, not run here: it must parse, grant nothing by default,
/// pin and comment every step, run `terraform show -json` into the plan that `pathproof verify
/// --plan` reads with SARIF and JUnit reports, the checked-in baseline and waivers, upload the
/// SARIF — and its pathproof flags parse.
#[test]
fn the_documented_pr_gate_workflow_is_valid() {
    let Ok(python) = std::env::var("PATHPROOF_PYTHON") else {
        eprintln!("SKIPPED the_documented_pr_gate_workflow_is_valid: PATHPROOF_PYTHON is not set (./scripts/test sets it; the check needs PyYAML)");
        return;
    };
    let out = Command::new(&python)
        .arg(root().join("tests/moto/check_workflow.py"))
        .arg(root().join("docs/ci/pr-gate.yml"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let w: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(w["uncommented_steps"], serde_json::json!([]));
    assert_eq!(w["permissions"], serde_json::json!({}));
    assert_eq!(w["triggers"], serde_json::json!(["pull_request"]));
    let gate = &w["jobs"]["gate"];
    assert_eq!(gate["permissions"]["security-events"], "write");
    assert_eq!(gate["permissions"]["id-token"], "write");
    let steps = gate["steps"].as_array().unwrap();
    for s in steps {
        if let Some(uses) = s["uses"].as_str() {
            let (_, pin) = uses.split_once('@').unwrap();
            assert!(
                pin.len() == 40 && pin.bytes().all(|b| b.is_ascii_hexdigit()),
                "{uses}: pin actions to a commit"
            );
        }
    }
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let plan_step = runs
        .iter()
        .find(|r| r.contains("terraform plan"))
        .expect("a terraform plan step");
    assert!(plan_step.contains("terraform show -json tfplan > \"$GITHUB_WORKSPACE/plan.json\""));
    let verify = runs
        .iter()
        .find(|r| r.contains("pathproof verify"))
        .expect("a verify step");
    // The verify command's flags are pathproof's (line continuations joined).
    let joined = verify.replace("\\\n", " ");
    let line = joined
        .lines()
        .find(|l| l.contains("pathproof verify"))
        .unwrap();
    let args: Vec<&str> = line
        .split_whitespace()
        .skip_while(|a| !a.ends_with("pathproof"))
        .skip(1)
        .collect();
    for needed in [
        "--plan",
        "sarif:pathproof.sarif",
        "junit:pathproof.xml",
        "--baseline",
        "pathproof/baseline.json",
        "--waivers",
        "pathproof/waivers.toml",
    ] {
        assert!(args.contains(&needed), "{line}");
    }
    let mut argv = vec!["pathproof"];
    argv.extend(args);
    pathproof::cli::Cli::try_parse_from(argv).expect("the workflow's verify flags parse");
    let sarif = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("SARIF upload");
    assert_eq!(sarif["with"]["sarif_file"], "pathproof.sarif");
    assert!(sarif["if"].as_str().unwrap().contains("always()"));
}

/// VPC guide, NAT gateways: 10.20.1.0/24 from the device table through a new private NAT gateway
/// crosses it (PP002 on its placeholder, naming both addresses).
#[test]
fn a_route_through_a_new_nat_gateway_is_pp002() {
    let (outcome, report) = verify_plan(&plan_path("break-nat-route"));
    assert_eq!(outcome, Outcome::Fail);
    let f = finding(&report, "PP002", "nat-planned:aws_nat_gateway.device");
    assert!(message(f).contains("aws_route.via_nat"), "{}", message(f));
    assert!(!f["paths"].as_array().unwrap().is_empty());
}

/// Route 53 private hosted zones: dropping the device VPC's inline `vpc` block of
/// `aws_route53_zone` disassociates it: public resolution (PP003), naming the zone's address.
#[test]
fn dropping_a_zone_vpc_block_is_pp003() {
    let (outcome, report) = verify_plan(&plan_path("break-zone-vpc-block-removed"));
    assert_eq!(outcome, Outcome::Fail);
    let f = finding(&report, "PP003", DEVICE_VPC);
    assert!(
        message(f).contains("aws_route53_zone.data"),
        "{}",
        message(f)
    );
}

/// VPC guide, "Subnet route tables": a subnet without an explicit association uses the main
/// route table, which here has only the local route: no path to the endpoint (PP005 on the main
/// table), naming the destroyed association.
#[test]
fn removing_a_subnet_association_falls_back_to_the_main_table() {
    let (outcome, report) = verify_plan(&plan_path("break-subnet-association-removed"));
    assert_eq!(outcome, Outcome::Fail);
    let f = finding(&report, "PP005", "rtb-0aaa00000000000d0");
    assert!(
        message(f).contains("aws_route_table_association.device_a"),
        "{}",
        message(f)
    );
}
