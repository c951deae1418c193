//! The on-premises DNS leg, end to end on the reference: on-premises 192.168.0.0/16 queries the
//! Route 53 Resolver inbound endpoint `rslvr-in-0aaa000000000001a` (10.10.1.53 in device subnet
//! a01, 10.10.2.53 in b01) through the Direct Connect attachment and the Transit Gateway; the
//! replies go back from the resolver subnets through `rtb-0aaa00000000000d1`.
//!
//! Oracle (from the Route 53 developer guide, "Forwarding inbound DNS queries to your VPCs", and
//! the Resolver API's `SecurityGroupIds`: inbound endpoints need TCP and UDP 53): every address
//! must answer over UDP and TCP, or the address and what breaks it is PP009. When no address
//! answers over UDP, on-premises resolves publicly: PP003 on 192.168.0.0/16 and PP009 on the
//! device VPC. What cannot be followed is PP016, never PP009.
use super::tgw_nacl::{entry, isolate, DEV};
use super::*;
use rstest::rstest;
use serde_json::{json, Value};

const ONPREM: &str = "192.168.0.0/16";
const DEVICE_VPC: &str = "vpc-0aaa00000000000d1";
const RESOLVER: &str = "rslvr-in-0aaa000000000001a";
const RESOLVER_RT: &str = "rtb-0aaa00000000000d1";
const TGW_SUBNETS_RT: &str = "rtb-0aaa00000000000d0";
const TGW_RT: &str = "tgw-rtb-0aaa00000000000f1";
const NET: &str = "111111111111/us-west-2";

fn has(report: &Value, rule: &str, resource: &str) -> bool {
    findings(report).contains(&(rule.to_string(), resource.to_string()))
}

fn finding<'r>(report: &'r Value, rule: &str, resource: &str) -> &'r Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == rule && f["resource"] == resource)
        .unwrap_or_else(|| panic!("no {rule} on {resource}: {:?}", findings(report)))
}

/// The resolver addresses (and protocols) a finding's evidence names.
fn evidence_addresses(f: &Value) -> Vec<String> {
    let mut out: Vec<String> = f["evidence"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|e| e["address"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out.dedup();
    out
}

/// On-premises resolves publicly: the names fall back to public DNS.
fn resolves_publicly(report: &Value) -> bool {
    has(report, "PP003", ONPREM) && has(report, "PP009", DEVICE_VPC)
}

fn edit_route_table(dir: &Path, rt: &str, edit: impl Fn(&mut Vec<Value>)) {
    edit_json(
        dir,
        &format!("{NET}/ec2/describe-route-tables.json"),
        |doc| {
            for t in doc["RouteTables"].as_array_mut().unwrap() {
                if t["RouteTableId"] == rt {
                    edit(t["Routes"].as_array_mut().unwrap());
                }
            }
        },
    );
}

fn add_tgw_route(dir: &Path, route: Value) {
    edit_json(
        dir,
        &format!("{NET}/ec2/search-transit-gateway-routes/{TGW_RT}.json"),
        |doc| doc["Routes"].as_array_mut().unwrap().push(route),
    );
}

#[test]
fn reference_dns_leg_is_proven() {
    let (outcome, report) = verify_json(&fixture("reference"), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
    let onprem: Vec<&Value> = report["paths"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["source"]["kind"] == "on-premises")
        .collect();
    assert!(!onprem.is_empty());
    for p in onprem {
        assert_eq!(p["dns"]["via"]["kind"], "private-zone", "{p}");
        assert_eq!(p["verdict"], "private");
    }
}

#[test]
fn reply_route_removed_breaks_every_address() {
    let tmp = copy_fixture("reference");
    edit_route_table(tmp.path(), RESOLVER_RT, |routes| {
        routes.retain(|r| r["DestinationCidrBlock"] != ONPREM)
    });
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    let f = finding(&report, "PP009", RESOLVER_RT);
    assert_eq!(evidence_addresses(f), ["10.10.1.53", "10.10.2.53"]);
    assert!(resolves_publicly(&report), "{:?}", findings(&report));
}

#[test]
fn blackholed_query_route_names_the_tgw_route_table_and_the_address() {
    let tmp = copy_fixture("reference");
    add_tgw_route(
        tmp.path(),
        json!({"DestinationCidrBlock": "10.10.1.0/24", "Type": "static", "State": "blackhole"}),
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    let f = finding(&report, "PP009", TGW_RT);
    assert_eq!(evidence_addresses(f), ["10.10.1.53"]);
    assert!(f["message"].as_str().unwrap().contains("10.10.1.53"), "{f}");
    // 10.10.2.53 still answers: the forwarders fail over, names resolve privately.
    assert!(!has(&report, "PP003", ONPREM), "{:?}", findings(&report));
    assert!(!has(&report, "PP009", DEVICE_VPC));
}

#[test]
fn more_specific_tgw_route_to_another_vpc_names_the_tgw_route_table() {
    let tmp = copy_fixture("reference");
    add_tgw_route(
        tmp.path(),
        json!({"DestinationCidrBlock": "10.10.2.0/24", "TransitGatewayAttachments": [{
            "ResourceId": "vpc-0bbb00000000000e1", "TransitGatewayAttachmentId": "tgw-attach-0bbb0000000000e01",
            "ResourceType": "vpc"}], "Type": "static", "State": "active"}),
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    let f = finding(&report, "PP009", TGW_RT);
    assert_eq!(evidence_addresses(f), ["10.10.2.53"]);
    assert!(!has(&report, "PP003", ONPREM));
}

#[test]
fn reply_to_an_internet_gateway_is_pp009_on_the_route_table() {
    let tmp = copy_fixture("reference");
    edit_json(
        tmp.path(),
        &format!("{NET}/ec2/describe-internet-gateways.json"),
        |doc| {
            doc["InternetGateways"] = json!([{"Attachments": [{"State": "available", "VpcId": DEVICE_VPC}],
                "InternetGatewayId": "igw-0aaa00000000000e1", "OwnerId": "111111111111", "Tags": []}]);
        },
    );
    edit_route_table(tmp.path(), RESOLVER_RT, |routes| {
        for r in routes.iter_mut() {
            if r["DestinationCidrBlock"] == ONPREM {
                *r = json!({"DestinationCidrBlock": ONPREM, "GatewayId": "igw-0aaa00000000000e1",
                    "Origin": "CreateRoute", "State": "active"});
            }
        }
    });
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert!(
        has(&report, "PP009", RESOLVER_RT),
        "{:?}",
        findings(&report)
    );
    assert!(resolves_publicly(&report));
}

#[test]
fn query_sent_to_a_nat_gateway_is_pp009_on_the_route_table() {
    let tmp = copy_fixture("reference");
    edit_route_table(tmp.path(), TGW_SUBNETS_RT, |routes| {
        routes.push(
            json!({"DestinationCidrBlock": "10.10.1.0/24", "NatGatewayId": "nat-0aaa000000000a7a1",
            "Origin": "CreateRoute", "State": "active"}),
        )
    });
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    let f = finding(&report, "PP009", TGW_SUBNETS_RT);
    assert_eq!(evidence_addresses(f), ["10.10.1.53"]);
    assert!(!has(&report, "PP003", ONPREM));
}

#[test]
fn reply_sent_to_a_peering_connection_is_pp009_on_the_route_table() {
    let tmp = copy_fixture("reference");
    edit_json(
        tmp.path(),
        &format!("{NET}/ec2/describe-vpc-peering-connections.json"),
        |doc| {
            doc["VpcPeeringConnections"] = json!([{
                "AccepterVpcInfo": {"CidrBlock": "10.30.0.0/16", "CidrBlockSet": [{"CidrBlock": "10.30.0.0/16"}],
                    "OwnerId": "333333333333", "VpcId": "vpc-0ccc00000000000c1", "Region": "us-west-2"},
                "RequesterVpcInfo": {"CidrBlock": "10.10.0.0/16", "CidrBlockSet": [{"CidrBlock": "10.10.0.0/16"}],
                    "OwnerId": "111111111111", "VpcId": DEVICE_VPC, "Region": "us-west-2"},
                "Status": {"Code": "active", "Message": "Active"}, "Tags": [],
                "VpcPeeringConnectionId": "pcx-0aaa0000000000c01"}]);
        },
    );
    edit_route_table(tmp.path(), RESOLVER_RT, |routes| {
        for r in routes.iter_mut() {
            if r["DestinationCidrBlock"] == ONPREM {
                *r = json!({"DestinationCidrBlock": ONPREM, "VpcPeeringConnectionId": "pcx-0aaa0000000000c01",
                    "Origin": "CreateRoute", "State": "active"});
            }
        }
    });
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert!(
        has(&report, "PP009", RESOLVER_RT),
        "{:?}",
        findings(&report)
    );
    assert!(resolves_publicly(&report));
}

fn appliance_route(dir: &Path, cidr: &str) {
    edit_route_table(dir, TGW_SUBNETS_RT, |routes| {
        routes.push(
            json!({"DestinationCidrBlock": cidr, "InstanceId": "i-0aaa0000000000f01",
            "InstanceOwnerId": "111111111111", "NetworkInterfaceId": "eni-0aaa0000000000f01",
            "Origin": "CreateRoute", "State": "active"}),
        )
    });
}

#[test]
fn appliance_on_one_address_is_unproven_for_that_address_only() {
    let tmp = copy_fixture("reference");
    appliance_route(tmp.path(), "10.10.1.0/24");
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(report["summary"]["verdict"], "unproven");
    let f = finding(&report, "PP016", TGW_SUBNETS_RT);
    assert_eq!(evidence_addresses(f), ["10.10.1.53"]);
    assert!(!findings(&report)
        .iter()
        .any(|(r, _)| r == "PP009" || r == "PP003"));
}

#[test]
fn appliance_on_every_address_leaves_onprem_paths_unproven() {
    let tmp = copy_fixture("reference");
    appliance_route(tmp.path(), "10.10.0.0/22");
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(report["summary"]["verdict"], "unproven");
    assert!(has(&report, "PP016", TGW_SUBNETS_RT));
    assert!(!findings(&report)
        .iter()
        .any(|(r, _)| r == "PP009" || r == "PP003"));
    for p in report["paths"].as_array().unwrap() {
        if p["source"]["kind"] == "on-premises" {
            assert_eq!(p["verdict"], "unproven", "{p}");
            assert!(p["findings"].as_array().unwrap().contains(&json!("PP016")));
        }
    }
}

const ACL: &str = "acl-0000000000000e753";
const EPH: (u16, u16) = (1024, 65535);
const DNS: (u16, u16) = (53, 53);

/// One deny in one position of the DNS leg (different subnets: resolver subnet a01, device TGW
/// subnet a02). Evaluated positions break 10.10.1.53 only: PP009 on the ACL, names still
/// resolve privately through 10.10.2.53. Positions the Transit Gateway guide says are not
/// evaluated pass.
#[rstest]
// query, TGW → resolver: attachment subnet outbound (destination), resolver subnet inbound (source)
#[case::attachment_out_query_udp(
    "subnet-0aaa0000000000a02",
    entry(true, "17", "10.10.1.53/32", DNS),
    true
)]
#[case::attachment_out_query_tcp(
    "subnet-0aaa0000000000a02",
    entry(true, "6", "10.10.1.53/32", DNS),
    true
)]
#[case::resolver_in_query_udp("subnet-0aaa0000000000a01", entry(false, "17", ONPREM, DNS), true)]
#[case::resolver_in_query_tcp("subnet-0aaa0000000000a01", entry(false, "6", ONPREM, DNS), true)]
#[case::attachment_in_query_udp("subnet-0aaa0000000000a02", entry(false, "17", ONPREM, DNS), false)]
#[case::attachment_in_query_tcp("subnet-0aaa0000000000a02", entry(false, "6", ONPREM, DNS), false)]
// reply, resolver → TGW: resolver subnet outbound (destination), attachment subnet inbound (source)
#[case::resolver_out_reply_udp("subnet-0aaa0000000000a01", entry(true, "17", ONPREM, EPH), true)]
#[case::resolver_out_reply_tcp("subnet-0aaa0000000000a01", entry(true, "6", ONPREM, EPH), true)]
#[case::attachment_in_reply_udp(
    "subnet-0aaa0000000000a02",
    entry(false, "17", "10.10.1.53/32", EPH),
    true
)]
#[case::attachment_in_reply_tcp(
    "subnet-0aaa0000000000a02",
    entry(false, "6", "10.10.1.53/32", EPH),
    true
)]
#[case::attachment_out_reply_udp("subnet-0aaa0000000000a02", entry(true, "17", ONPREM, EPH), false)]
#[case::attachment_out_reply_tcp("subnet-0aaa0000000000a02", entry(true, "6", ONPREM, EPH), false)]
fn dns_deny_per_position(#[case] subnet: &str, #[case] deny: Value, #[case] evaluated: bool) {
    let tmp = copy_fixture("reference");
    isolate(tmp.path(), DEV, subnet, ACL, deny);
    let (outcome, report) = verify_json(tmp.path(), &[]);
    if evaluated {
        assert_eq!(outcome, Outcome::Fail);
        let f = finding(&report, "PP009", ACL);
        assert_eq!(evidence_addresses(f), ["10.10.1.53"]);
        assert!(!has(&report, "PP003", ONPREM), "{:?}", findings(&report));
    } else {
        assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
    }
}

fn deny_in_default_acl(dir: &Path, deny: Value) {
    edit_json(
        dir,
        &format!("{NET}/ec2/describe-network-acls.json"),
        |doc| {
            for acl in doc["NetworkAcls"].as_array_mut().unwrap() {
                if acl["NetworkAclId"] == "acl-0aaa00000000000d0" {
                    acl["Entries"]
                        .as_array_mut()
                        .unwrap()
                        .insert(0, deny.clone());
                }
            }
        },
    );
}

#[test]
fn udp_53_denied_on_every_address_resolves_publicly() {
    let tmp = copy_fixture("reference");
    deny_in_default_acl(tmp.path(), entry(false, "17", ONPREM, DNS));
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    let f = finding(&report, "PP009", "acl-0aaa00000000000d0");
    assert_eq!(evidence_addresses(f), ["10.10.1.53", "10.10.2.53"]);
    assert!(resolves_publicly(&report), "{:?}", findings(&report));
}

#[test]
fn tcp_53_denied_on_every_address_is_pp009_but_names_resolve_over_udp() {
    let tmp = copy_fixture("reference");
    deny_in_default_acl(tmp.path(), entry(false, "6", ONPREM, DNS));
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    let f = finding(&report, "PP009", "acl-0aaa00000000000d0");
    assert!(f["message"].as_str().unwrap().contains("tcp 53"), "{f}");
    assert!(!has(&report, "PP003", ONPREM));
}

#[test]
fn udp_reply_denied_on_ephemeral_ports_resolves_publicly() {
    let tmp = copy_fixture("reference");
    deny_in_default_acl(tmp.path(), entry(true, "17", ONPREM, EPH));
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert!(has(&report, "PP009", "acl-0aaa00000000000d0"));
    assert!(resolves_publicly(&report), "{:?}", findings(&report));
}

/// The resolver's security group keeps only the rule for `keep` ("tcp" or "udp").
fn resolver_sg_keeps(dir: &Path, keep: &str) {
    edit_json(
        dir,
        &format!("{NET}/ec2/describe-security-groups.json"),
        |doc| {
            for g in doc["SecurityGroups"].as_array_mut().unwrap() {
                if g["GroupId"] == "sg-0aaa0000000000053" {
                    g["IpPermissions"]
                        .as_array_mut()
                        .unwrap()
                        .retain(|p| p["IpProtocol"] == keep);
                }
            }
        },
    );
}

#[test]
fn security_group_without_tcp_53_is_pp009_but_names_resolve_over_udp() {
    let tmp = copy_fixture("reference");
    resolver_sg_keeps(tmp.path(), "udp");
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    let f = finding(&report, "PP009", "sg-0aaa0000000000053");
    assert_eq!(evidence_addresses(f), ["10.10.1.53", "10.10.2.53"]);
    assert!(f["message"].as_str().unwrap().contains("tcp/53"), "{f}");
    assert!(!has(&report, "PP003", ONPREM));
    assert!(!has(&report, "PP009", DEVICE_VPC));
}

#[test]
fn security_group_without_udp_53_resolves_publicly() {
    let tmp = copy_fixture("reference");
    resolver_sg_keeps(tmp.path(), "tcp");
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert!(has(&report, "PP009", "sg-0aaa0000000000053"));
    assert!(resolves_publicly(&report), "{:?}", findings(&report));
}

#[test]
fn attachment_without_a_subnet_in_the_resolver_az_breaks_that_address() {
    let tmp = copy_fixture("reference");
    edit_json(
        tmp.path(),
        &format!("{NET}/ec2/describe-transit-gateway-vpc-attachments.json"),
        |doc| {
            for a in doc["TransitGatewayVpcAttachments"].as_array_mut().unwrap() {
                if a["VpcId"] == DEVICE_VPC {
                    a["SubnetIds"] = json!(["subnet-0aaa0000000000a02"]);
                }
            }
        },
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    let f = finding(&report, "PP009", "tgw-attach-0aaa0000000000d01");
    assert_eq!(evidence_addresses(f), ["10.10.2.53"]);
    assert!(!has(&report, "PP003", ONPREM));
}

fn address_status(dir: &Path, ip: &str, status: &str) {
    edit_json(
        dir,
        &format!("{NET}/route53resolver/list-resolver-endpoint-ip-addresses/{RESOLVER}.json"),
        |doc| {
            for a in doc["IpAddresses"].as_array_mut().unwrap() {
                if a["Ip"] == ip {
                    a["Status"] = json!(status);
                }
            }
        },
    );
}

#[test]
fn failed_resolver_address_is_pp009_on_the_endpoint() {
    let tmp = copy_fixture("reference");
    address_status(tmp.path(), "10.10.2.53", "FAILED_RESOURCE_GONE");
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    let f = finding(&report, "PP009", RESOLVER);
    assert_eq!(evidence_addresses(f), ["10.10.2.53"]);
    assert!(!has(&report, "PP003", ONPREM));
}

#[test]
fn resolver_address_in_transition_is_unproven() {
    let tmp = copy_fixture("reference");
    address_status(tmp.path(), "10.10.2.53", "ATTACHING");
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(report["summary"]["verdict"], "unproven");
    assert!(has(&report, "PP016", RESOLVER), "{:?}", findings(&report));
    assert!(!findings(&report).iter().any(|(r, _)| r == "PP009"));
}

#[test]
fn resolver_interface_missing_from_the_snapshot_is_unproven() {
    let tmp = copy_fixture("reference");
    edit_json(
        tmp.path(),
        &format!("{NET}/ec2/describe-network-interfaces.json"),
        |doc| {
            doc["NetworkInterfaces"]
                .as_array_mut()
                .unwrap()
                .retain(|e| e["PrivateIpAddress"] != "10.10.1.53");
        },
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(report["summary"]["verdict"], "unproven");
    assert!(has(&report, "PP016", RESOLVER), "{:?}", findings(&report));
    assert!(!findings(&report).iter().any(|(r, _)| r == "PP009"));
}

/// The rule file's second failing fixture: the resolver's security group admits only UDP 53.
#[test]
fn tcp_53_fixture_names_the_security_group() {
    let (outcome, report) = verify_json(
        &fixture("violations/PP009-resolver-security-group-without-tcp-53"),
        &[],
    );
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(
        findings(&report),
        [("PP009".to_string(), "sg-0aaa0000000000053".to_string())]
    );
}
