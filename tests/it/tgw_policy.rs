//! Transit Gateway policy tables and VPC Block Public Access (issue 9, items 9 and 10).
//!
//! Oracle (Transit Gateway guide, "Transit gateway policy tables" / "Policy table concepts";
//! API TransitGatewayPolicyRule): the rules of a policy table are evaluated in ascending rule
//! number, the first match chooses the route table, no match drops. The compliant fixture's
//! table has one rule per flow and direction (MQTT and HTTPS replies by source port, requests by
//! destination port, DNS queries and replies over UDP and TCP), so removing one rule breaks
//! exactly that flow: the finding names the policy table.
//!
//! VPC User Guide, "Block public access to VPCs and subnets": Block Public Access is a
//! mitigation; an internet gateway path stays PP001 whatever its mode, and the finding says
//! whether AWS blocks it (bidirectional, ingress-only, exclusions).
use pathproof::Outcome;

use super::*;

const PTB: &str = "tgw-ptb-0aaa00000000000f1";
const COMPLIANT: &str = "compliant/tgw-policy-table-iot-and-dns";
const ENTRIES: &str =
    "111111111111/us-west-2/ec2/get-transit-gateway-policy-table-entries/tgw-ptb-0aaa00000000000f1.json";

fn set(found: &[(String, String)]) -> std::collections::BTreeSet<(String, String)> {
    found.iter().cloned().collect()
}

fn pair(rule: &str, resource: &str) -> (String, String) {
    (rule.to_string(), resource.to_string())
}

fn without_rule(n: &str) -> tempfile::TempDir {
    let tmp = copy_fixture(COMPLIANT);
    edit_json(tmp.path(), ENTRIES, |d| {
        let list = d["TransitGatewayPolicyTableEntries"]
            .as_array_mut()
            .unwrap();
        let before = list.len();
        list.retain(|e| e["PolicyRuleNumber"] != n);
        assert_eq!(list.len(), before - 1, "rule {n} is in the fixture");
    });
    tmp
}

#[test]
fn compliant_policy_table_proves_mqtt_https_and_dns_through_it() {
    let (outcome, report) = verify_json(&fixture(COMPLIANT), &["--fail-on", "warning"]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
    assert!(findings(&report).is_empty(), "{:?}", findings(&report));
    // The device subnets and on-premises are both sources, and their paths cross the table.
    let paths = report["paths"].as_array().unwrap();
    for kind in ["subnet", "on-premises"] {
        assert!(
            paths.iter().any(|p| p["source"]["kind"] == kind
                && p["hops"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|h| h["kind"] == "tgw-policy-table" && h["id"] == PTB)),
            "no {kind} path through {PTB}"
        );
    }
}

#[test]
fn removing_a_rule_breaks_exactly_its_flow_naming_the_policy_table() {
    // (rule removed, the findings the oracle expects)
    let cases: &[(&str, &[(&str, &str)])] = &[
        // MQTT / HTTPS replies from the gatekeeper VPC: dropped, the return path is broken.
        ("10", &[("PP005", PTB)]),
        ("20", &[("PP005", PTB)]),
        // MQTT / HTTPS requests to the gatekeeper VPC: dropped.
        ("30", &[("PP005", PTB)]),
        ("40", &[("PP005", PTB)]),
        // DNS over TCP only (query or reply): UDP still answers, TCP fallback broken (PP009).
        ("60", &[("PP009", PTB)]),
        ("80", &[("PP009", PTB)]),
    ];
    for (n, expected) in cases {
        let tmp = without_rule(n);
        let (outcome, report) = verify_json(tmp.path(), &[]);
        assert_eq!(outcome, Outcome::Fail, "rule {n} removed");
        let want: std::collections::BTreeSet<_> =
            expected.iter().map(|(r, x)| pair(r, x)).collect();
        assert_eq!(set(&findings(&report)), want, "rule {n} removed");
    }
    // DNS over UDP (query or reply): no address answers over UDP, so on-premises resolves the
    // names publicly (PP003 on its paths), whose packets the table drops too (PP005), and the
    // DNS leg is broken at the table (PP009) for the device VPC.
    for n in ["50", "70"] {
        let tmp = without_rule(n);
        let (outcome, report) = verify_json(tmp.path(), &[]);
        assert_eq!(outcome, Outcome::Fail);
        let found = set(&findings(&report));
        for want in [
            pair("PP009", PTB),
            pair("PP005", PTB),
            pair("PP003", "192.168.0.0/16"),
            pair("PP009", "vpc-0aaa00000000000d1"),
        ] {
            assert!(
                found.contains(&want),
                "rule {n} removed: {want:?} not in {found:?}"
            );
        }
    }
}

#[test]
fn a_catch_all_rule_before_the_others_decides_for_every_flow() {
    // Rule 1 sends everything to a route table whose routes are not in the snapshot: the first
    // match decides, so every path through the table is unproven at that route table.
    let tmp = copy_fixture(COMPLIANT);
    edit_json(tmp.path(), ENTRIES, |d| {
        d["TransitGatewayPolicyTableEntries"]
            .as_array_mut()
            .unwrap()
            .insert(
                0,
                serde_json::json!({"PolicyRuleNumber": "1", "PolicyRule": {"SourcePortRange": "*", "DestinationPortRange": "*"},
                 "TargetRouteTableId": "tgw-rtb-0aaa00000000000ff", "State": "active"}),
            );
    });
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    let found = set(&findings(&report));
    assert!(
        found.contains(&pair("PP016", "tgw-rtb-0aaa00000000000ff")),
        "{found:?}"
    );
    assert!(!found.iter().any(|(_, r)| r == PTB), "{found:?}");
}

#[test]
fn what_cannot_be_evaluated_is_unproven_naming_the_policy_table() {
    type Edit = fn(&mut serde_json::Value);
    let cases: &[(&str, &str, Edit)] = &[
        ("meta-data rule", ENTRIES, |d| {
            d["TransitGatewayPolicyTableEntries"][7]["PolicyRule"]["MetaData"] =
                serde_json::json!({"MetaDataKey": "segment", "MetaDataValue": "prod"});
        }),
        ("source port range inside the ephemeral range", ENTRIES, |d| {
            d["TransitGatewayPolicyTableEntries"][2]["PolicyRule"]["SourcePortRange"] =
                serde_json::json!("1024-2048");
        }),
        ("association in transition", "111111111111/us-west-2/ec2/get-transit-gateway-policy-table-associations/tgw-ptb-0aaa00000000000f1.json", |d| {
            d["Associations"][0]["State"] = serde_json::json!("associating");
        }),
        ("policy table not available", "111111111111/us-west-2/ec2/describe-transit-gateway-policy-tables.json", |d| {
            d["TransitGatewayPolicyTables"][0]["State"] = serde_json::json!("pending");
        }),
    ];
    for (what, file, edit) in cases {
        let tmp = copy_fixture(COMPLIANT);
        edit_json(tmp.path(), file, edit);
        let (outcome, report) = verify_json(tmp.path(), &[]);
        assert_eq!(outcome, Outcome::Fail, "{what}");
        let found = set(&findings(&report));
        assert!(found.contains(&pair("PP016", PTB)), "{what}: {found:?}");
        assert!(
            found.iter().all(|(r, _)| r == "PP016"),
            "{what}: only unproven expected, got {found:?}"
        );
    }
}

#[test]
fn an_attachment_in_a_policy_table_and_a_route_table_is_unproven() {
    // AWS associates an attachment with one or the other: the snapshot is inconsistent.
    let tmp = copy_fixture(COMPLIANT);
    edit_json(
        tmp.path(),
        "111111111111/us-west-2/ec2/get-transit-gateway-route-table-associations/tgw-rtb-0aaa00000000000f1.json",
        |d| {
            d["Associations"].as_array_mut().unwrap().push(serde_json::json!({
                "TransitGatewayAttachmentId": "tgw-attach-0aaa0000000000d01",
                "ResourceId": "vpc-0aaa00000000000d1", "ResourceType": "vpc", "State": "associated"}));
        },
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert!(set(&findings(&report)).contains(&pair("PP016", PTB)));
}

#[test]
fn a_missing_entries_file_is_incomplete_evidence_and_unproven() {
    let tmp = copy_fixture(COMPLIANT);
    std::fs::remove_file(tmp.path().join(ENTRIES)).unwrap();
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    let found = set(&findings(&report));
    assert!(found.contains(&pair("PP017", ENTRIES)), "{found:?}");
    assert!(found.contains(&pair("PP016", PTB)), "{found:?}");
}

#[test]
fn absent_extension_files_are_a_warning_saying_what_was_assumed() {
    let (outcome, report) = verify_json(
        &fixture("violations/PP026-policy-tables-and-bpa-not-in-snapshot"),
        &[],
    );
    assert_eq!(outcome, Outcome::Pass, "a warning only");
    let found = set(&findings(&report));
    let mut want = std::collections::BTreeSet::new();
    // The policy-table listing only where the transit gateway is (its owner, the network
    // account: policy tables are shown to the owner only, and the snapshot keeps the owner's
    // copy of the shared attachments); BPA files wherever there are VPCs.
    want.insert(pair(
        "PP026",
        "111111111111/us-west-2/ec2/describe-transit-gateway-policy-tables.json",
    ));
    for a in ["111111111111", "222222222222", "333333333333"] {
        for op in [
            "describe-vpc-block-public-access-options",
            "describe-vpc-block-public-access-exclusions",
        ] {
            want.insert(pair("PP026", &format!("{a}/us-west-2/ec2/{op}.json")));
        }
    }
    assert_eq!(found, want);
    let (outcome, _) = verify_json(
        &fixture("violations/PP026-policy-tables-and-bpa-not-in-snapshot"),
        &["--fail-on", "warning"],
    );
    assert_eq!(outcome, Outcome::Fail);
}

// ------------------------------------------------------------------ VPC Block Public Access

const BPA_OPTIONS: &str =
    "111111111111/us-west-2/ec2/describe-vpc-block-public-access-options.json";
const BPA_EXCLUSIONS: &str =
    "111111111111/us-west-2/ec2/describe-vpc-block-public-access-exclusions.json";

fn pp001_with_bpa(mode: &str, exclusion: Option<(&str, &str)>) -> tempfile::TempDir {
    let tmp = copy_fixture("violations/PP001-internet-gateway-on-path");
    edit_json(tmp.path(), BPA_OPTIONS, |d| {
        d["VpcBlockPublicAccessOptions"]["InternetGatewayBlockMode"] = serde_json::json!(mode);
        d["VpcBlockPublicAccessOptions"]["State"] = serde_json::json!("update-complete");
    });
    if let Some((mode, arn)) = exclusion {
        edit_json(tmp.path(), BPA_EXCLUSIONS, |d| {
            d["VpcBlockPublicAccessExclusions"] = serde_json::json!([{
                "ExclusionId": "vpcbpa-exclude-0aaa00000000000d1",
                "InternetGatewayExclusionMode": mode,
                "ResourceArn": arn,
                "State": "create-complete",
                "CreationTimestamp": "2026-11-21T08:00:00+00:00"}]);
        });
    }
    tmp
}

fn pp001(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "PP001")
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn block_public_access_never_clears_an_internet_gateway_finding() {
    let vpc_arn = "arn:aws:ec2:us-west-2:111111111111:vpc/vpc-0aaa00000000000d1";
    // (mode, exclusion, whether AWS blocks the device's outbound connection through the IGW)
    type Case<'a> = (&'a str, Option<(&'a str, &'a str)>, Option<bool>);
    let cases: &[Case] = &[
        ("off", None, None),
        ("block-bidirectional", None, Some(true)),
        ("block-ingress", None, Some(true)),
        (
            "block-bidirectional",
            Some(("allow-egress", vpc_arn)),
            Some(false),
        ),
        (
            "block-bidirectional",
            Some(("allow-bidirectional", vpc_arn)),
            Some(false),
        ),
    ];
    for (mode, exclusion, blocked) in cases {
        let tmp = pp001_with_bpa(mode, *exclusion);
        let (outcome, report) = verify_json(tmp.path(), &[]);
        assert_eq!(outcome, Outcome::Fail, "{mode} {exclusion:?}");
        let messages = pp001(&report);
        assert!(!messages.is_empty(), "{mode}: PP001 stays");
        let m = &messages[0];
        match blocked {
            None => assert!(!m.contains("Block Public Access"), "{m}"),
            Some(true) => assert!(
                m.contains(&format!("Block Public Access is {mode}"))
                    && m.contains("so AWS blocks this traffic today"),
                "{m}"
            ),
            Some(false) => assert!(
                m.contains("vpcbpa-exclude-0aaa00000000000d1") && m.contains("not blocked"),
                "{m}"
            ),
        }
        // The context is in the JSON report.
        let ctx = report["block_public_access"].as_array().unwrap();
        assert!(ctx
            .iter()
            .any(|c| c["account"] == "111111111111" && c["mode"] == *mode));
    }
}

#[test]
fn block_public_access_is_context_in_every_report_format() {
    let tmp = pp001_with_bpa(
        "block-bidirectional",
        Some((
            "allow-egress",
            "arn:aws:ec2:us-west-2:111111111111:subnet/subnet-0aaa0000000000a01",
        )),
    );
    let dir = tmp.path().to_str().unwrap();
    for format in ["table", "json", "sarif", "junit", "markdown", "html"] {
        let (_, out) = run(&["verify", "--snapshot", dir, "--format", format]);
        assert!(out.contains("block-bidirectional"), "{format}: {out}");
        assert!(out.contains("vpcbpa-exclude-0aaa00000000000d1"), "{format}");
    }
}

#[test]
fn ingress_only_mode_allows_nat_connections_and_organisation_policy_voids_exclusions() {
    // PP002: consumer subnet → NAT gateway → internet gateway, in account 333333333333.
    let options = "333333333333/us-west-2/ec2/describe-vpc-block-public-access-options.json";
    let exclusions = "333333333333/us-west-2/ec2/describe-vpc-block-public-access-exclusions.json";
    let nat_path = |mode: &str, allowed: &str, exclude_nat_subnet: bool| {
        let tmp = copy_fixture("violations/PP002-nat-gateway-on-path");
        edit_json(tmp.path(), options, |d| {
            let o = &mut d["VpcBlockPublicAccessOptions"];
            o["InternetGatewayBlockMode"] = serde_json::json!(mode);
            o["ExclusionsAllowed"] = serde_json::json!(allowed);
        });
        if exclude_nat_subnet {
            edit_json(tmp.path(), exclusions, |d| {
                d["VpcBlockPublicAccessExclusions"] = serde_json::json!([{
                    "ExclusionId": "vpcbpa-exclude-0ccc0000000000a09",
                    "InternetGatewayExclusionMode": "allow-egress",
                    "ResourceArn": "arn:aws:ec2:us-west-2:333333333333:subnet/subnet-0ccc0000000000a09",
                    "State": "create-complete"}]);
            });
        }
        let (outcome, report) = verify_json(tmp.path(), &[]);
        assert_eq!(outcome, Outcome::Fail, "{mode}: PP001/PP002 stay");
        let found = set(&findings(&report));
        assert!(
            found.contains(&pair("PP002", "nat-0ccc000000000a7a1")),
            "{found:?}"
        );
        pp001(&report).remove(0)
    };
    // Ingress-only: connections made through a NAT gateway are allowed.
    let m = nat_path("block-ingress", "allowed", false);
    assert!(
        m.contains("NAT gateway") && m.contains("not blocked"),
        "{m}"
    );
    // Bidirectional: blocked, the NAT subnet is not excluded.
    let m = nat_path("block-bidirectional", "allowed", false);
    assert!(m.contains("so AWS blocks this traffic today"), "{m}");
    // An allow-egress exclusion of the subnet that reaches the gateway lets it through...
    let m = nat_path("block-bidirectional", "allowed", true);
    assert!(
        m.contains("vpcbpa-exclude-0ccc0000000000a09") && m.contains("not blocked"),
        "{m}"
    );
    // ... unless exclusions are not allowed (an organisation's declarative policy).
    let m = nat_path("block-bidirectional", "not-allowed", true);
    assert!(m.contains("so AWS blocks this traffic today"), "{m}");
}

const ATTACHMENTS: &str = "111111111111/us-west-2/ec2/describe-transit-gateway-attachments.json";
const ASSOCIATIONS: &str =
    "111111111111/us-west-2/ec2/get-transit-gateway-policy-table-associations/tgw-ptb-0aaa00000000000f1.json";
const DEVICE_ATT: &str = "tgw-attach-0aaa0000000000d01";
const VPN_ATT: &str = "tgw-attach-0aaa0000000000f81";

#[test]
fn attachment_records_name_the_policy_table_as_aws_prints_it() {
    // TransitGatewayAttachmentAssociation has TransitGatewayRouteTableId or
    // TransitGatewayPolicyTableId (botocore ec2 model): the compliant fixture's attachment records
    // carry the latter, and the snapshot loads and proves.
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture(COMPLIANT).join(ATTACHMENTS)).unwrap())
            .unwrap();
    let device = doc["TransitGatewayAttachments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["TransitGatewayAttachmentId"] == DEVICE_ATT)
        .unwrap();
    assert_eq!(device["Association"]["TransitGatewayPolicyTableId"], PTB);
    assert!(device["Association"]
        .get("TransitGatewayRouteTableId")
        .is_none());
}

#[test]
fn an_attachment_record_naming_a_policy_table_the_listings_lack_is_unproven() {
    // The device attachment's record names the policy table, but the table's association listing
    // does not show it: which route table the rules choose for it is unknown.
    let tmp = copy_fixture(COMPLIANT);
    edit_json(tmp.path(), ASSOCIATIONS, |d| {
        d["Associations"]
            .as_array_mut()
            .unwrap()
            .retain(|a| a["TransitGatewayAttachmentId"] != DEVICE_ATT);
    });
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    let found = set(&findings(&report));
    assert!(found.contains(&pair("PP016", PTB)), "{found:?}");
    assert!(found.iter().all(|(r, _)| r == "PP016"), "{found:?}");
    // The same with every policy-table file absent (a base-layout snapshot): PP026 says the
    // files are missing, and the attachment's own record still makes its paths unproven.
    let tmp = copy_fixture(COMPLIANT);
    let ec2 = tmp.path().join("111111111111/us-west-2/ec2");
    std::fs::remove_file(ec2.join("describe-transit-gateway-policy-tables.json")).unwrap();
    for d in [
        "get-transit-gateway-policy-table-associations",
        "get-transit-gateway-policy-table-entries",
    ] {
        std::fs::remove_dir_all(ec2.join(d)).unwrap();
    }
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    let found = set(&findings(&report));
    assert!(found.contains(&pair("PP016", PTB)), "{found:?}");
    assert!(
        found.contains(&pair(
            "PP026",
            "111111111111/us-west-2/ec2/describe-transit-gateway-policy-tables.json"
        )),
        "{found:?}"
    );
}

#[test]
fn records_disagreeing_on_the_association_are_incomplete_evidence() {
    // The attachment record says route table, the policy table's listing says policy table: AWS
    // allows one (Transit Gateway guide, "Transit gateway policy table limitations"). Two files
    // disagree: PP017 naming the file, and the paths are unproven at the policy table.
    let tmp = copy_fixture(COMPLIANT);
    edit_json(tmp.path(), ATTACHMENTS, |d| {
        for a in d["TransitGatewayAttachments"].as_array_mut().unwrap() {
            if a["TransitGatewayAttachmentId"] == DEVICE_ATT {
                a["Association"] = serde_json::json!({
                    "TransitGatewayRouteTableId": "tgw-rtb-0aaa00000000000f1", "State": "associated"});
            }
        }
    });
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    let found = set(&findings(&report));
    assert!(found.contains(&pair("PP016", PTB)), "{found:?}");
    assert!(
        found
            .iter()
            .any(|(r, x)| r == "PP017" && (x == ASSOCIATIONS || x == ATTACHMENTS)),
        "{found:?}"
    );
}

#[test]
fn a_system_managed_entry_makes_the_table_unproven() {
    // System-managed entries show rule number `*` and take precedence over customer entries
    // (Transit Gateway guide, "Transit gateway policy table limitations").
    let tmp = copy_fixture(COMPLIANT);
    edit_json(tmp.path(), ENTRIES, |d| {
        d["TransitGatewayPolicyTableEntries"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"PolicyRuleNumber": "*", "PolicyRule": {
                "SourcePortRange": "*", "DestinationPortRange": "*",
                "MetaData": {"MetaDataKey": "segment", "MetaDataValue": "shared"}},
                "TargetRouteTableId": "tgw-rtb-0aaa00000000000f1", "State": "active"}));
    });
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    let found = set(&findings(&report));
    assert!(found.contains(&pair("PP016", PTB)), "{found:?}");
    assert!(found.iter().all(|(r, _)| r == "PP016"), "{found:?}");
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["message"].as_str().unwrap().contains("system-managed")));
}

#[test]
fn a_bgp_vpn_in_a_policy_table_gets_no_advertisements_and_is_unproven() {
    // Transit Gateway guide, "Transit gateway policy table limitations": no routes are advertised
    // to a BGP-speaking attachment (VPN, Connect) associated with a policy table; Direct Connect
    // keeps advertising. The branch site behind the VPN is unproven naming its attachment; the
    // Direct Connect site in the same table stays private.
    let name = "violations/PP016-tgw-policy-table-on-bgp-vpn";
    let (outcome, report) = verify_json(&fixture(name), &[]);
    assert_eq!(outcome, Outcome::Fail);
    let found = set(&findings(&report));
    assert!(found.contains(&pair("PP016", VPN_ATT)), "{found:?}");
    let paths = report["paths"].as_array().unwrap();
    let onprem = |cidr: &str| {
        paths
            .iter()
            .filter(|p| p["source"]["kind"] == "on-premises" && p["source"]["id"] == cidr)
            .map(|p| p["verdict"].as_str().unwrap().to_string())
            .collect::<std::collections::BTreeSet<_>>()
    };
    assert_eq!(onprem("172.16.0.0/12"), ["unproven".to_string()].into());
    assert_eq!(onprem("192.168.0.0/16"), ["private".to_string()].into());
    // A static VPN has no BGP session to lose: the same snapshot with StaticRoutesOnly proves.
    let tmp = copy_fixture(name);
    edit_json(
        tmp.path(),
        "111111111111/us-west-2/ec2/describe-vpn-connections.json",
        |d| {
            for v in d["VpnConnections"].as_array_mut().unwrap() {
                v["Options"]["StaticRoutesOnly"] = serde_json::json!(true);
            }
        },
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
}

#[test]
fn the_bpa_fixtures_keep_the_verdict_and_say_what_aws_blocks() {
    // Violating: bidirectional BPA, the device subnet not excluded: still PP001 on the gateway.
    let (outcome, report) = verify_json(&fixture("violations/PP001-igw-path-blocked-by-bpa"), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert!(set(&findings(&report)).contains(&pair("PP001", "igw-0aaa00000000000e1")));
    for m in pp001(&report) {
        assert!(
            m.contains("Block Public Access is block-bidirectional in 111111111111/us-west-2")
                && m.contains("subnet state block-bidirectional")
                && m.contains("so AWS blocks this traffic today"),
            "{m}"
        );
    }
    // Compliant: the reference with BPA everywhere is proven, and the report shows the context.
    let (outcome, report) = verify_json(
        &fixture("compliant/bpa-bidirectional-everywhere"),
        &["--fail-on", "warning"],
    );
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
    let accounts: Vec<_> = report["block_public_access"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["mode"] == "block-bidirectional")
        .map(|c| c["account"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(accounts, ["111111111111", "222222222222", "333333333333"]);
}

#[test]
fn bpa_exclusions_in_transition_or_egress_only_under_ingress_mode_are_not_called_blocked() {
    let subnet_arn = "arn:aws:ec2:us-west-2:111111111111:subnet/subnet-0aaa0000000000a01";
    // (mode, exclusion mode, exclusion state, what the finding says)
    let cases = [
        (
            "block-bidirectional",
            "allow-bidirectional",
            "create-in-progress",
            "is not known",
        ),
        (
            "block-bidirectional",
            "allow-bidirectional",
            "delete-complete",
            "so AWS blocks this traffic today",
        ),
        (
            "block-ingress",
            "allow-egress",
            "create-complete",
            "is not known",
        ),
        (
            "block-ingress",
            "allow-bidirectional",
            "create-complete",
            "not blocked",
        ),
    ];
    for (mode, xmode, xstate, says) in cases {
        let tmp = pp001_with_bpa(mode, Some((xmode, subnet_arn)));
        edit_json(tmp.path(), BPA_EXCLUSIONS, |d| {
            d["VpcBlockPublicAccessExclusions"][0]["State"] = serde_json::json!(xstate);
        });
        let (outcome, report) = verify_json(tmp.path(), &[]);
        assert_eq!(outcome, Outcome::Fail);
        let messages = pp001(&report);
        assert!(!messages.is_empty());
        for m in messages {
            assert!(m.contains(says), "{mode} {xmode} {xstate}: {m}");
        }
    }
}
