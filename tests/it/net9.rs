//! Issue 9 items 5, 6 and 11: IPv6 and dual-stack sources, inspection hops, leaving the Region.
//! Each case is a row of what the AWS documentation says happens, asserted by exact rule id and
//! resource (or, for compliant cases, no finding at all):
//! - VPC user guide, "IPv6 support for your VPC" / "Enable outbound IPv6 traffic using an
//!   egress-only internet gateway": a dual-stack client uses IPv6 when the name has AAAA records;
//!   an egress-only internet gateway carries outbound IPv6 to the internet.
//! - VPC user guide, "DNS64 and NAT64": DNS64 synthesizes AAAA answers for A-only names.
//! - EC2 API reference, `CreateTransitGatewayVpcAttachmentRequestOptions.Ipv6Support`: "The setting
//!   does not filter IPv6 traffic."
//! - Network Firewall guide, "VPC route table configuration": the firewall subnet's route table
//!   forwards what passes the firewall endpoint.
//! - Transit Gateway guide, "Transit gateway peering attachments"; PrivateLink guide,
//!   "Cross-Region connectivity" (`ServiceRegion`).
use super::*;
use serde_json::{json, Value};

const NET: &str = "111111111111/us-west-2/ec2";
const IOT: &str = "222222222222/us-west-2/ec2";
const CON: &str = "333333333333/us-west-2/ec2";
const PP023: &str = "violations/PP023-egress-only-internet-gateway-on-path";
const PP024: &str = "violations/PP024-inspection-hop-not-proven";
const PP025: &str = "violations/PP025-path-leaves-region";
const DUAL_DEVICE: &str = "compliant/ipv6-device-subnet-ipv4-endpoint";
const EIGW: &str = "eigw-0aaa0000000000e61";
const GWLBE: &str = "vpce-0aaa0000000000f24";
const PEER: &str = "tgw-attach-0aaa0000000000f25";
const DEVICE_V6: &str = "2600:1f14:aaa:d100::/56";
const DEVICE_A_V6: &str = "2600:1f14:aaa:d101::/64";
const GK_V6: &str = "2600:1f14:bbb:e100::/56";

fn distinct(report: &Value) -> Vec<(String, String)> {
    let mut f = findings(report);
    f.sort();
    f.dedup();
    f
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<_> = list
        .iter()
        .map(|(r, s)| (r.to_string(), s.to_string()))
        .collect();
    v.sort();
    v
}

fn array<'a>(doc: &'a mut Value, key: &str) -> &'a mut Vec<Value> {
    doc[key].as_array_mut().unwrap()
}

fn find<'a>(list: &'a mut [Value], key: &str, id: &str) -> &'a mut Value {
    list.iter_mut().find(|v| v[key] == id).unwrap()
}

/// Paths whose address is IPv6.
fn v6_paths(report: &Value) -> Vec<&Value> {
    report["paths"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["address"].as_str().is_some_and(|a| a.contains(':')))
        .collect()
}

// ------------------------------------------------------------------------------ IPv6

#[test]
fn aaaa_answer_routed_to_an_egress_only_gateway_is_pp023() {
    let (outcome, report) = verify_json(&fixture(PP023), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(distinct(&report), pairs(&[("PP023", EIGW)]));
    // Both IPv6 addresses of the dual-stack endpoint are walked from the dual-stack subnet only.
    let v6 = v6_paths(&report);
    let addrs: Vec<&str> = v6.iter().map(|p| p["address"].as_str().unwrap()).collect();
    assert_eq!(addrs, ["2600:1f14:bbb:e101::10", "2600:1f14:bbb:e102::10"]);
    for p in v6 {
        assert_eq!(p["source"]["id"], "subnet-0aaa0000000000a01");
        assert_eq!(p["end"]["gateway"], EIGW);
        assert_eq!(p["verdict"], "violation");
    }
}

#[test]
fn ipv4_only_endpoint_gives_dual_stack_clients_nodata_and_no_ipv6_path() {
    let (outcome, report) = verify_json(&fixture(DUAL_DEVICE), &[]);
    assert_eq!(outcome, Outcome::Pass);
    assert_eq!(distinct(&report), pairs(&[]));
    assert!(v6_paths(&report).is_empty());
}

/// The PP023 estate with IPv6 routed like IPv4: device → TGW → gatekeeper and back, the
/// endpoint's security group open to the device subnet's IPv6 CIDR. Private in both families.
fn dual_stack_done_right() -> tempfile::TempDir {
    let tmp = copy_fixture(PP023);
    let route6 = |cidr: &str| json!({"DestinationIpv6CidrBlock": cidr, "TransitGatewayId": "tgw-0aaa00000000000f1", "Origin": "CreateRoute", "State": "active"});
    edit_json(
        tmp.path(),
        &format!("{NET}/describe-route-tables.json"),
        |d| {
            let rt = find(
                array(d, "RouteTables"),
                "RouteTableId",
                "rtb-0aaa00000000000d1",
            );
            array(rt, "Routes").push(route6(GK_V6));
        },
    );
    edit_json(
        tmp.path(),
        &format!("{IOT}/describe-route-tables.json"),
        |d| {
            let rt = find(
                array(d, "RouteTables"),
                "RouteTableId",
                "rtb-0bbb00000000000e1",
            );
            array(rt, "Routes").push(route6(DEVICE_V6));
        },
    );
    edit_json(
        tmp.path(),
        &format!("{NET}/search-transit-gateway-routes/tgw-rtb-0aaa00000000000f1.json"),
        |d| {
            let r = |cidr: &str, att: &str, vpc: &str| json!({"DestinationCidrBlock": cidr, "TransitGatewayAttachments": [{"ResourceId": vpc, "TransitGatewayAttachmentId": att, "ResourceType": "vpc"}], "Type": "propagated", "State": "active"});
            array(d, "Routes").push(r(
                DEVICE_V6,
                "tgw-attach-0aaa0000000000d01",
                "vpc-0aaa00000000000d1",
            ));
            array(d, "Routes").push(r(
                GK_V6,
                "tgw-attach-0bbb0000000000e01",
                "vpc-0bbb00000000000e1",
            ));
        },
    );
    edit_json(
        tmp.path(),
        &format!("{IOT}/describe-security-groups.json"),
        |d| {
            let sg = find(
                array(d, "SecurityGroups"),
                "GroupId",
                "sg-0bbb00000000e0e01",
            );
            for p in array(sg, "IpPermissions") {
                array(p, "Ipv6Ranges")
                    .push(json!({"CidrIpv6": DEVICE_A_V6, "Description": "device VPC IPv6"}));
            }
        },
    );
    tmp
}

#[test]
fn dual_stack_routed_privately_in_both_families_is_proven() {
    let tmp = dual_stack_done_right();
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(distinct(&report), pairs(&[]), "{:#}", report["paths"]);
    assert_eq!(outcome, Outcome::Pass);
    let v6 = v6_paths(&report);
    assert_eq!(v6.len(), 2);
    for p in v6 {
        assert_eq!(p["end"]["endpoint"], "vpce-0bbb00000000da7a1");
        assert_eq!(p["verdict"], "private");
        assert!(!p["return_hops"].as_array().unwrap().is_empty());
    }
}

#[test]
fn tgw_ipv6_support_does_not_filter_ipv6() {
    for setting in ["disable", "enable"] {
        let tmp = dual_stack_done_right();
        for acct in [NET, IOT] {
            edit_json(
                tmp.path(),
                &format!("{acct}/describe-transit-gateway-vpc-attachments.json"),
                |d| {
                    for a in array(d, "TransitGatewayVpcAttachments") {
                        a["Options"]["Ipv6Support"] = json!(setting);
                    }
                },
            );
        }
        let (outcome, report) = verify_json(tmp.path(), &[]);
        assert_eq!(distinct(&report), pairs(&[]), "Ipv6Support {setting}");
        assert_eq!(outcome, Outcome::Pass);
    }
}

#[test]
fn ipv6_blocked_by_the_endpoint_security_group_is_pp006() {
    // Routed in both families, but the security group admits only the IPv4 ranges.
    let tmp = dual_stack_done_right();
    edit_json(
        tmp.path(),
        &format!("{IOT}/describe-security-groups.json"),
        |d| {
            let sg = find(
                array(d, "SecurityGroups"),
                "GroupId",
                "sg-0bbb00000000e0e01",
            );
            for p in array(sg, "IpPermissions") {
                array(p, "Ipv6Ranges").clear();
            }
        },
    );
    let (_, report) = verify_json(tmp.path(), &[]);
    assert_eq!(
        distinct(&report),
        pairs(&[("PP006", "sg-0bbb00000000e0e01")])
    );
}

#[test]
fn public_name_from_a_dual_stack_subnet_also_leaves_by_ipv6() {
    // The device VPC is removed from the data zone: the name resolves publicly. The public name's
    // AAAA records cannot be known offline, so the IPv6 probe is walked: ::/0 → EIGW.
    let tmp = copy_fixture(DUAL_DEVICE);
    edit_json(
        tmp.path(),
        "222222222222/global/route53/get-hosted-zone/Z0222222DATA0000000001.json",
        |d| array(d, "VPCs").retain(|v| v["VPCId"] != "vpc-0aaa00000000000d1"),
    );
    let (_, report) = verify_json(tmp.path(), &[]);
    let found = distinct(&report);
    assert!(found.contains(&("PP023".into(), EIGW.into())), "{found:?}");
    assert!(found.contains(&("PP003".into(), "vpc-0aaa00000000000d1".into())));
}

/// An IPv6-only consumer subnet (no IPv4 CIDR) in the consumer VPC, whose name has only A
/// records (an alias to an ipv4 endpoint).
fn ipv6_only_consumer(dns64: Option<bool>) -> tempfile::TempDir {
    let tmp = copy_fixture("reference");
    edit_json(tmp.path(), &format!("{CON}/describe-subnets.json"), |d| {
        let mut s = json!({
            "SubnetId": "subnet-0ccc0000000000f99", "VpcId": "vpc-0ccc00000000000c1",
            "AvailabilityZone": "us-west-2a", "AvailabilityZoneId": "usw2-az1", "Ipv6Native": true,
            "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600:1f14:ccc:c199::/64",
                "Ipv6CidrBlockState": {"State": "associated"}}]
        });
        if let Some(on) = dns64 {
            s["EnableDns64"] = json!(on);
        }
        array(d, "Subnets").push(s);
    });
    tmp
}

#[test]
fn ipv6_only_subnet_without_aaaa_depends_on_dns64() {
    // DNS64 on: synthesized 64:ff9b::/96 answers and NAT64 are not modelled → unproven naming
    // the subnet; not in the snapshot → likewise; off → the name has no usable address (PP004 on
    // the zone that answers NODATA).
    for (dns64, want) in [
        (Some(true), ("PP016", "subnet-0ccc0000000000f99")),
        (None, ("PP016", "subnet-0ccc0000000000f99")),
        (Some(false), ("PP004", "Z0333333DATA0000000001")),
    ] {
        let tmp = ipv6_only_consumer(dns64);
        let (outcome, report) = verify_json(tmp.path(), &[]);
        let found = distinct(&report);
        assert!(
            found.contains(&(want.0.into(), want.1.into())),
            "{dns64:?}: {found:?}"
        );
        assert!(
            found.iter().all(|(r, _)| r == want.0 || r == "PP005"),
            "{dns64:?}: {found:?}"
        );
        assert_eq!(outcome, Outcome::Fail);
    }
}

// ------------------------------------------------------------------------------ inspection

#[test]
fn gateway_load_balancer_endpoint_is_followed_through_its_subnet() {
    let (outcome, report) = verify_json(&fixture(PP024), &[]);
    assert_eq!(distinct(&report), pairs(&[("PP024", GWLBE)]));
    assert_eq!(outcome, Outcome::Pass);
    let through: Vec<&Value> = report["paths"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| {
            p["hops"]
                .as_array()
                .unwrap()
                .iter()
                .any(|h| h["id"] == GWLBE)
        })
        .collect();
    assert!(!through.is_empty());
    for p in through {
        let hops: Vec<(&str, &str)> = p["hops"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h["kind"].as_str().unwrap(), h["id"].as_str().unwrap()))
            .collect();
        let i = hops.iter().position(|h| h.1 == GWLBE).unwrap();
        assert_eq!(hops[i].0, "inspection-endpoint");
        assert_eq!(hops[i + 1], ("subnet", "subnet-0aaa0000000000a24"));
        assert_eq!(hops[i + 2], ("route-table", "rtb-0aaa0000000000f24"));
        assert_eq!(p["end"]["kind"], "iot-endpoint");
        assert!(p["findings"].as_array().unwrap().contains(&json!("PP024")));
    }
    let (strict, _) = verify_json(&fixture(PP024), &["--fail-on", "warning"]);
    assert_eq!(strict, Outcome::Fail);
}

#[test]
fn firewall_subnet_route_table_decides_the_next_hop() {
    // The firewall subnet routes IoT traffic to an internet gateway: PP001 after the hop.
    let tmp = copy_fixture(PP024);
    edit_json(
        tmp.path(),
        &format!("{NET}/describe-internet-gateways.json"),
        |d| {
            array(d, "InternetGateways").push(json!({"Attachments": [{"State": "available", "VpcId": "vpc-0aaa00000000000d1"}], "InternetGatewayId": "igw-0aaa00000000000e1", "OwnerId": "111111111111", "Tags": []}));
        },
    );
    edit_json(
        tmp.path(),
        &format!("{NET}/describe-route-tables.json"),
        |d| {
            let rt = find(
                array(d, "RouteTables"),
                "RouteTableId",
                "rtb-0aaa0000000000f24",
            );
            let r = find(array(rt, "Routes"), "DestinationCidrBlock", "10.20.0.0/16");
            *r = json!({"DestinationCidrBlock": "10.20.0.0/16", "GatewayId": "igw-0aaa00000000000e1", "Origin": "CreateRoute", "State": "active"});
        },
    );
    let (_, report) = verify_json(tmp.path(), &[]);
    assert_eq!(
        distinct(&report),
        pairs(&[("PP001", "igw-0aaa00000000000e1"), ("PP024", GWLBE)])
    );
}

#[test]
fn inspection_endpoint_not_available_or_not_listed() {
    // Not available: the traffic goes nowhere (PP005 on the endpoint).
    let tmp = copy_fixture(PP024);
    edit_json(
        tmp.path(),
        &format!("{NET}/describe-vpc-endpoints.json"),
        |d| {
            find(array(d, "VpcEndpoints"), "VpcEndpointId", GWLBE)["State"] = json!("pending");
        },
    );
    let (_, report) = verify_json(tmp.path(), &[]);
    assert_eq!(
        distinct(&report),
        pairs(&[("PP005", GWLBE), ("PP024", GWLBE)])
    );
    // Not in describe-vpc-endpoints: unproven at the route table that names it.
    let tmp = copy_fixture(PP024);
    edit_json(
        tmp.path(),
        &format!("{NET}/describe-vpc-endpoints.json"),
        |d| {
            array(d, "VpcEndpoints").retain(|e| e["VpcEndpointId"] != GWLBE);
        },
    );
    let (_, report) = verify_json(tmp.path(), &[]);
    assert_eq!(
        distinct(&report),
        pairs(&[("PP016", "rtb-0aaa00000000000d1")])
    );
}

// ------------------------------------------------------------------------------ Regions

#[test]
fn tgw_peering_is_shown_leaving_the_region_and_unproven() {
    let (outcome, report) = verify_json(&fixture(PP025), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(
        distinct(&report),
        pairs(&[("PP016", PEER), ("PP025", PEER)])
    );
}

#[test]
fn cross_region_endpoint_service_is_followed_and_shown() {
    // The consumer endpoint names another ServiceRegion: the walk goes on to the service, and
    // PP025 names the endpoint.
    let tmp = copy_fixture("reference");
    edit_json(
        tmp.path(),
        &format!("{CON}/describe-vpc-endpoints.json"),
        |d| {
            find(
                array(d, "VpcEndpoints"),
                "VpcEndpointId",
                "vpce-0ccc000000000c0e1",
            )["ServiceRegion"] = json!("us-east-1");
        },
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(
        distinct(&report),
        pairs(&[("PP025", "vpce-0ccc000000000c0e1")])
    );
    assert_eq!(outcome, Outcome::Pass);
}

#[test]
fn iot_endpoint_of_another_region_is_unproven() {
    let tmp = copy_fixture("reference");
    edit_json(
        tmp.path(),
        &format!("{IOT}/describe-vpc-endpoints.json"),
        |d| {
            find(
                array(d, "VpcEndpoints"),
                "VpcEndpointId",
                "vpce-0bbb00000000da7a1",
            )["ServiceRegion"] = json!("us-east-1");
        },
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    let found = distinct(&report);
    assert!(
        found.contains(&("PP025".into(), "vpce-0bbb00000000da7a1".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("PP016".into(), "vpce-0bbb00000000da7a1".into())),
        "{found:?}"
    );
}

#[test]
fn onprem_ipv6_range_is_unproven_naming_it() {
    // Direct Connect also announces an IPv6 range: the IPv4 range stays proven; the IPv6 range
    // is not modelled and is unproven naming it, never walked with IPv4 answers.
    let tmp = dual_stack_done_right();
    edit_json(
        tmp.path(),
        &format!("{NET}/search-transit-gateway-routes/tgw-rtb-0aaa00000000000f1.json"),
        |d| {
            array(d, "Routes").push(json!({"DestinationCidrBlock": "2001:db8:1000::/36", "TransitGatewayAttachments": [{"ResourceId": "5f2a7c1e-0b3d-4e8f-9a6b-1c2d3e4f5a6b", "TransitGatewayAttachmentId": "tgw-attach-0aaa0000000000dc1", "ResourceType": "direct-connect-gateway"}], "Type": "propagated", "State": "active"}));
        },
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(distinct(&report), pairs(&[("PP016", "2001:db8:1000::/36")]));
    assert_eq!(outcome, Outcome::Fail);
}
