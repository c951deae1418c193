//! The CLI contract: exit codes, input errors naming file and JSON path, formats, intent files.
use std::process::Command;

use super::*;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pathproof"))
}

#[test]
fn exit_codes_of_the_real_binary() {
    let ok = bin()
        .args(["verify", "--snapshot"])
        .arg(fixture("reference"))
        .output()
        .unwrap();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let text = String::from_utf8(ok.stdout).unwrap();
    assert!(text.contains("verdict: PROVEN"), "{text}");

    let bad = bin()
        .args(["verify", "--snapshot"])
        .arg(fixture("violations/PP005-no-private-path"))
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));

    let missing = bin()
        .args(["verify", "--snapshot", "/nonexistent/snapshot"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/snapshot"));

    let usage = bin().args(["verify"]).output().unwrap();
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn malformed_json_names_file_and_json_path() {
    let tmp = copy_fixture("reference");
    edit_json(
        tmp.path(),
        "111111111111/us-west-2/ec2/describe-route-tables.json",
        |doc| {
            doc["RouteTables"][1]["Routes"] = serde_json::json!({"not": "an array"});
        },
    );
    let out = bin()
        .args(["verify", "--snapshot"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("111111111111/us-west-2/ec2/describe-route-tables.json: RouteTables[1].Routes: invalid type: map, expected a sequence"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "no partial report on an input error");
}

#[test]
fn truncated_json_is_an_input_error() {
    let tmp = copy_fixture("reference");
    let file = tmp
        .path()
        .join("222222222222/us-west-2/ec2/describe-vpc-endpoints.json");
    std::fs::write(&file, "{\"VpcEndpoints\": [").unwrap();
    let (result, _) = run(&["verify", "--snapshot", tmp.path().to_str().unwrap()]);
    let err = format!("{:#}", result.unwrap_err());
    assert!(
        err.contains("222222222222/us-west-2/ec2/describe-vpc-endpoints.json: not valid JSON"),
        "{err}"
    );
}

#[test]
fn missing_required_field_is_an_input_error() {
    // botocore marks ResourceRecordSets[].Type required: AWS never omits it.
    let tmp = copy_fixture("reference");
    edit_json(
        tmp.path(),
        "222222222222/global/route53/list-resource-record-sets/Z0222222DATA0000000001.json",
        |doc| {
            doc["ResourceRecordSets"][0]
                .as_object_mut()
                .unwrap()
                .remove("Type");
        },
    );
    let (result, _) = run(&["verify", "--snapshot", tmp.path().to_str().unwrap()]);
    let err = format!("{:#}", result.unwrap_err());
    assert!(
        err.contains("list-resource-record-sets/Z0222222DATA0000000001.json: ResourceRecordSets[0]: missing field `Type`"),
        "{err}"
    );
}

#[test]
fn unknown_fields_from_newer_clis_are_ignored() {
    let tmp = copy_fixture("reference");
    edit_json(
        tmp.path(),
        "111111111111/us-west-2/ec2/describe-route-tables.json",
        |doc| {
            doc["RouteTables"][0]["SomeFieldAwsAddsIn2030"] = serde_json::json!({"x": [1, 2]});
            doc["NextToken"] = serde_json::json!(null);
        },
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
}

#[test]
fn missing_file_is_an_evidence_gap_not_a_pass() {
    let tmp = copy_fixture("reference");
    std::fs::remove_file(
        tmp.path()
            .join("222222222222/us-west-2/ec2/describe-security-groups.json"),
    )
    .unwrap();
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert!(findings(&report).contains(&(
        "PP017".into(),
        "222222222222/us-west-2/ec2/describe-security-groups.json".into()
    )));
}

#[test]
fn unknown_route_target_is_unproven() {
    let tmp = copy_fixture("reference");
    let file = tmp
        .path()
        .join("111111111111/us-west-2/ec2/describe-route-tables.json");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replacen(
        "\"TransitGatewayId\": \"tgw-0aaa00000000000f1\"",
        "\"QuantumGatewayId\": \"qgw-0123\"",
        1,
    );
    std::fs::write(&file, text).unwrap();
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert!(
        findings(&report).contains(&("PP016".into(), "rtb-0aaa00000000000d1".into())),
        "{:?}",
        findings(&report)
    );
}

#[test]
fn intent_file_overrides_roles_and_approved_endpoints() {
    let tmp = tempfile::tempdir().unwrap();
    let intent = tmp.path().join("intent.toml");
    // Approving another endpoint makes the real one unapproved: policies and paths now fail.
    std::fs::write(
        &intent,
        "approved_endpoints = [\"vpce-0fffffffffffffff1\"]\nmqtt_ports = [8883]\n",
    )
    .unwrap();
    let (outcome, report) = verify_json(
        &fixture("reference"),
        &["--intent", intent.to_str().unwrap()],
    );
    assert_eq!(outcome, Outcome::Fail);
    let f = findings(&report);
    assert!(
        f.iter()
            .any(|(id, r)| id == "PP014" && r == "iot-device-policy"),
        "{f:?}"
    );
    assert!(
        f.iter()
            .any(|(id, r)| id == "PP005" && r == "vpce-0bbb00000000da7a1"),
        "{f:?}"
    );

    // Taking the consumer VPC out of scope makes its account an unintended principal of the
    // endpoint service, unless the intent names it.
    std::fs::write(&intent, "[roles]\n\"vpc-0ccc00000000000c1\" = \"none\"\n").unwrap();
    let (outcome, report) = verify_json(
        &fixture("reference"),
        &["--intent", intent.to_str().unwrap()],
    );
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(
        findings(&report),
        [(
            "PP010".to_string(),
            "vpce-svc-0bbb00000000005e1".to_string()
        )]
    );
    std::fs::write(
        &intent,
        "consumer_accounts = [\"333333333333\"]\n[roles]\n\"vpc-0ccc00000000000c1\" = \"none\"\n",
    )
    .unwrap();
    let (outcome, report) = verify_json(
        &fixture("reference"),
        &["--intent", intent.to_str().unwrap()],
    );
    assert_eq!(outcome, Outcome::Pass);
    assert_eq!(report["paths"].as_array().unwrap().len(), 12);
}

/// A file that cannot be read names the file and its cause once (found by review: the cause
/// was printed twice, once in the message and once as the error's source).
#[test]
fn an_unreadable_file_names_the_file_and_its_cause_once() {
    let missing = root().join("no-such-intent.toml");
    let snap = fixture("reference");
    let (result, _) = run(&[
        "verify",
        "--snapshot",
        snap.to_str().unwrap(),
        "--intent",
        missing.to_str().unwrap(),
    ]);
    let err = format!("{:#}", result.unwrap_err());
    assert!(
        err.starts_with(&format!("{}: cannot read: ", missing.display())),
        "{err}"
    );
    assert_eq!(err.matches("os error").count(), 1, "{err}");
}

#[test]
fn intent_file_typos_are_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let intent = tmp.path().join("intent.toml");
    std::fs::write(&intent, "aproved_endpoints = [\"vpce-1\"]\n").unwrap();
    let out = bin()
        .args(["verify", "--snapshot"])
        .arg(fixture("reference"))
        .arg("--intent")
        .arg(&intent)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("aproved_endpoints"));
}

#[test]
fn sarif_junit_markdown_outputs() {
    let dir = fixture("violations/PP006-security-group-blocks-mqtt");
    let dir = dir.to_str().unwrap();
    let (result, sarif) = run(&["verify", "--snapshot", dir, "--format", "sarif"]);
    assert_eq!(result.unwrap(), Outcome::Fail);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "PP006"
        && r["level"] == "error"
        && r["locations"][0]["logicalLocations"][0]["name"] == "sg-0bbb00000000e0e01"));
    assert_eq!(
        sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        pathproof::rules::all().len()
    );

    let (_, junit) = run(&["verify", "--snapshot", dir, "--format", "junit"]);
    assert!(junit.starts_with("<?xml"), "{junit}");
    assert!(
        junit.contains("<failure") && junit.contains("testsuite name=\"pathproof.paths\""),
        "{junit}"
    );

    let (_, md) = run(&["verify", "--snapshot", dir, "--format", "markdown"]);
    assert!(md.contains("# pathproof compliance report"));
    assert!(md.contains("### PP006 `sg-0bbb00000000e0e01`"));
    assert!(md.contains("Evidence digest (SHA-256)"));

    let (_, html) = run(&["verify", "--snapshot", dir, "--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<code>sg-0bbb00000000e0e01</code>"));
    assert!(!html.contains("<script"), "self-contained, no scripts");
}

#[test]
fn evidence_digest_is_stable_and_changes_with_the_evidence() {
    let (_, a) = verify_json(&fixture("reference"), &[]);
    let (_, b) = verify_json(&fixture("reference"), &[]);
    assert_eq!(a["snapshot"]["digest"], b["snapshot"]["digest"]);
    let (_, c) = verify_json(
        &fixture("violations/PP011-endpoint-service-auto-accept"),
        &[],
    );
    assert_ne!(a["snapshot"]["digest"], c["snapshot"]["digest"]);
    assert_eq!(
        a["snapshot"]["file_count"],
        a["evidence"].as_array().unwrap().len()
    );
}

#[test]
fn graph_command_prints_the_topology_as_dot() {
    let dir = fixture("reference");
    let (result, dot) = run(&["graph", "--snapshot", dir.to_str().unwrap()]);
    assert_eq!(result.unwrap(), Outcome::Pass);
    assert!(dot.starts_with("digraph pathproof {"), "{dot}");
    assert!(dot.contains("vpc-0aaa00000000000d1") && dot.contains("tgw-attach-0bbb0000000000e01"));
    assert!(
        dot.contains("route 10.20.0.0/16"),
        "route edges are labelled with their destination"
    );
}

#[test]
fn newer_resource_shapes_without_optional_fields_load() {
    // VPC Lattice resource endpoints have no ServiceName; regional NAT gateways no SubnetId;
    // IPv6-only subnets no CidrBlock; GWLB listeners no Port.
    let tmp = copy_fixture("reference");
    edit_json(
        tmp.path(),
        "333333333333/us-west-2/ec2/describe-vpc-endpoints.json",
        |doc| {
            doc["VpcEndpoints"].as_array_mut().unwrap().push(serde_json::json!({
            "VpcEndpointId": "vpce-0ccc0000000000f99", "VpcEndpointType": "Resource",
            "VpcId": "vpc-0ccc00000000000c1", "State": "available",
            "ResourceConfigurationArn": "arn:aws:vpc-lattice:us-west-2:333333333333:resourceconfiguration/rcfg-0123456789abcdef0"
        }));
        },
    );
    edit_json(
        tmp.path(),
        "333333333333/us-west-2/ec2/describe-nat-gateways.json",
        |doc| {
            doc["NatGateways"].as_array_mut().unwrap().push(serde_json::json!({
            "NatGatewayId": "nat-0ccc0000000000f99", "VpcId": "vpc-0ccc00000000000c1",
            "State": "available", "ConnectivityType": "public", "AvailabilityMode": "regional"
        }));
        },
    );
    edit_json(
        tmp.path(),
        "333333333333/us-west-2/ec2/describe-subnets.json",
        |doc| {
            doc["Subnets"].as_array_mut().unwrap().push(serde_json::json!({
            "SubnetId": "subnet-0ccc0000000000f99", "VpcId": "vpc-0ccc00000000000c1",
            "AvailabilityZone": "us-west-2a", "AvailabilityZoneId": "usw2-az1", "Ipv6Native": true,
            "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600:1f14:abc:de00::/64"}]
        }));
        },
    );
    let (_, report) = verify_json(tmp.path(), &[]);
    // The IPv6-only consumer subnet is reported as not modelled; nothing else changes.
    assert_eq!(
        findings(&report),
        [("PP016".to_string(), "subnet-0ccc0000000000f99".to_string())]
    );
}

/// Run `verify --format json` on a fixture with stdout closed before anything is read.
fn verify_into_closed_pipe(rel: &str) -> std::process::Output {
    use std::process::Stdio;
    let mut child = bin()
        .args(["verify", "--format", "json", "--snapshot"])
        .arg(fixture(rel))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn broken_pipe_is_not_an_error_and_keeps_the_verdict() {
    for (rel, code) in [
        ("reference", 0),
        ("violations/PP006-security-group-blocks-mqtt", 1),
    ] {
        let out = verify_into_closed_pipe(rel);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{rel}: {stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("error"),
            "{rel}: {stderr}"
        );
    }
}

/// A `--report` file whose reader left (here `/dev/stdout` of a closed pipe; a FIFO is the
/// same) is an error, exit 2: only the main report on a closed stdout keeps the verdict. It
/// used to turn findings into exit 0.
#[test]
fn report_file_into_a_closed_pipe_is_an_error_not_a_pass() {
    for rel in ["reference", "violations/PP006-security-group-blocks-mqtt"] {
        let mut child = bin()
            .args(["verify", "--snapshot"])
            .arg(fixture(rel))
            .args(["--report", "json:/dev/stdout"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{rel}: {stderr}");
        assert!(
            stderr.contains("cannot write report /dev/stdout"),
            "{rel}: {stderr}"
        );
    }
}

#[test]
fn policy_check_scopes_requests_to_the_given_partition() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("connect-guard.json");
    std::fs::write(
        &file,
        serde_json::json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*",
             "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-0bbb00000000da7a1"}}},
            {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"},
            {"Effect": "Deny", "Action": "iot:Connect", "Resource": "arn:aws:iot:*:*:client/${iot:ClientId}",
             "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-0bbb00000000da7a1"}}}
        ]})
        .to_string(),
    )
    .unwrap();
    let f = file.to_str().unwrap();
    // Unscoped, a request in another partition escapes the Deny written for `arn:aws:`.
    let (result, _) = run(&["policy", "check", f, "--approved", "vpce-0bbb00000000da7a1"]);
    assert_eq!(result.unwrap(), Outcome::Fail);
    let (result, out) = run(&[
        "policy",
        "check",
        f,
        "--approved",
        "vpce-0bbb00000000da7a1",
        "--partition",
        "aws",
    ]);
    assert_eq!(result.unwrap(), Outcome::Pass, "{out}");
}

#[test]
fn report_files_are_written_beside_the_printed_report() {
    let tmp = tempfile::tempdir().unwrap();
    let sarif = tmp.path().join("out.sarif");
    let junit = tmp.path().join("out.xml");
    let out = bin()
        .args(["verify", "--snapshot"])
        .arg(fixture("violations/PP006-security-group-blocks-mqtt"))
        .arg("--report")
        .arg(format!("sarif:{}", sarif.display()))
        .arg("--report")
        .arg(format!("junit:{}", junit.display()))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("verdict: VIOLATIONS"));
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "PP006");
    assert!(std::fs::read_to_string(&junit)
        .unwrap()
        .contains("<failure"));

    let bad = bin()
        .args(["verify", "--snapshot"])
        .arg(fixture("reference"))
        .args(["--report", "pdf:out.pdf"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown format"));
}
