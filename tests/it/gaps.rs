//! Regression tests for the mutation harness's known-gap classes (issue 8), one per class, on
//! the reference estate: each breaks one AWS rule the way the harness's mutant does and asserts
//! the exact rule id and resource the documentation makes the verdict depend on. The expected
//! verdicts come from the AWS pages named on each test, not from pathproof's output.
use super::*;
use serde_json::{json, Value};

const DEV: &str = "111111111111";
const GK: &str = "222222222222";
const CONS: &str = "333333333333";
const NLB: &str =
    "arn:aws:elasticloadbalancing:us-west-2:222222222222:loadbalancer/net/iot-data-nlb/0123456789abcdef";
const TG_443: &str =
    "arn:aws:elasticloadbalancing:us-west-2:222222222222:targetgroup/iot-data-443/2222222222222222";
const TG_8883: &str =
    "arn:aws:elasticloadbalancing:us-west-2:222222222222:targetgroup/iot-data-8883/1111111111111111";

fn rel(account: &str, op: &str) -> String {
    format!("{account}/us-west-2/{op}.json")
}

/// Verify `dir`; assert it does not pass and that every `(rule, resource)` is among the findings.
fn fails_with(dir: &Path, want: &[(&str, &str)]) -> Vec<(String, String)> {
    let (outcome, report) = verify_json(dir, &[]);
    let got = findings(&report);
    assert_eq!(outcome, Outcome::Fail, "must not pass; findings {got:?}");
    for (rule, resource) in want {
        assert!(
            got.iter().any(|(r, x)| r == rule && x == resource),
            "expected {rule} on {resource}; findings {got:?}"
        );
    }
    got
}

fn reference() -> tempfile::TempDir {
    copy_fixture("reference")
}

#[test]
fn the_reference_still_passes() {
    let (outcome, report) = verify_json(&fixture("reference"), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
}

/// Set rule `number` of `acl`'s entries in direction `egress` to `cidr`.
fn narrow(dir: &Path, account: &str, acl: &str, egress: bool, number: i64, cidr: &str) {
    edit_json(dir, &rel(account, "ec2/describe-network-acls"), |doc| {
        for a in doc["NetworkAcls"].as_array_mut().unwrap() {
            if a["NetworkAclId"] != acl {
                continue;
            }
            for e in a["Entries"].as_array_mut().unwrap() {
                if e["Egress"] == egress && e["RuleNumber"] == number {
                    e["CidrBlock"] = json!(cidr);
                }
            }
        }
    });
}

/// Insert a deny entry at rule 50 of `acl`.
fn deny(dir: &Path, account: &str, acl: &str, egress: bool, cidr: &str) {
    edit_json(dir, &rel(account, "ec2/describe-network-acls"), |doc| {
        for a in doc["NetworkAcls"].as_array_mut().unwrap() {
            if a["NetworkAclId"] == acl {
                a["Entries"].as_array_mut().unwrap().push(json!({
                    "CidrBlock": cidr, "Egress": egress, "Protocol": "-1",
                    "RuleAction": "deny", "RuleNumber": 50}));
            }
        }
    });
}

// ---- privatelink-nacl-unknown: a PrivateLink hop's subnets must admit every address it may
// see (NLB guide, "Security groups for your Network Load Balancer", "Client IP preservation";
// VPC guide, "Control subnet traffic with network ACLs").

#[test]
fn consumer_endpoint_subnet_acl_admitting_only_its_vpc_is_unproven() {
    for egress in [false, true] {
        let tmp = reference();
        narrow(
            tmp.path(),
            CONS,
            "acl-0ccc00000000000c0",
            egress,
            100,
            "10.30.0.0/16",
        );
        fails_with(tmp.path(), &[("PP016", "acl-0ccc00000000000c0")]);
    }
}

#[test]
fn nlb_node_subnet_acl_denying_the_consumer_range_is_unproven() {
    for egress in [false, true] {
        let tmp = reference();
        deny(
            tmp.path(),
            GK,
            "acl-0bbb00000000000e0",
            egress,
            "10.30.0.0/16",
        );
        fails_with(tmp.path(), &[("PP016", "acl-0bbb00000000000e0")]);
    }
}

// ---- inconsistent-evidence: states AWS cannot produce are PP017 naming the file.

#[test]
fn route_table_without_its_local_route_is_incomplete_evidence() {
    // VPC guide, "Route tables": every route table has a local route per VPC CIDR.
    let tmp = reference();
    edit_json(tmp.path(), &rel(DEV, "ec2/describe-route-tables"), |doc| {
        for t in doc["RouteTables"].as_array_mut().unwrap() {
            if t["RouteTableId"] == "rtb-0aaa00000000000d1" {
                t["Routes"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|r| r["GatewayId"] != "local");
            }
        }
    });
    fails_with(
        tmp.path(),
        &[(
            "PP017",
            "111111111111/us-west-2/ec2/describe-route-tables.json",
        )],
    );
}

#[test]
fn propagated_route_without_its_propagation_is_incomplete_evidence() {
    // Transit Gateway guide, "Transit gateway route tables": propagated routes exist only while
    // the attachment propagates.
    let tmp = reference();
    let f = rel(
        DEV,
        "ec2/get-transit-gateway-route-table-propagations/tgw-rtb-0aaa00000000000f1",
    );
    edit_json(tmp.path(), &f, |doc| {
        doc["TransitGatewayRouteTablePropagations"]
            .as_array_mut()
            .unwrap()
            .retain(|p| p["TransitGatewayAttachmentId"] != "tgw-attach-0bbb0000000000e01");
    });
    fails_with(tmp.path(), &[("PP017", f.as_str())]);
}

#[test]
fn association_in_only_one_file_is_incomplete_evidence() {
    // EC2 API: the attachment's Association and the route table's associations are one fact.
    let tmp = reference();
    let f = rel(
        DEV,
        "ec2/get-transit-gateway-route-table-associations/tgw-rtb-0aaa00000000000f1",
    );
    edit_json(tmp.path(), &f, |doc| {
        doc["Associations"]
            .as_array_mut()
            .unwrap()
            .retain(|p| p["TransitGatewayAttachmentId"] != "tgw-attach-0aaa0000000000dc1");
    });
    fails_with(tmp.path(), &[("PP017", f.as_str())]);
}

#[test]
fn inbound_resolver_endpoint_with_one_address_is_incomplete_evidence() {
    // Route 53 guide, "High availability for Resolver endpoints": at least two addresses.
    let tmp = reference();
    let f = rel(
        DEV,
        "route53resolver/list-resolver-endpoint-ip-addresses/rslvr-in-0aaa000000000001a",
    );
    edit_json(tmp.path(), &f, |doc| {
        doc["IpAddresses"].as_array_mut().unwrap().truncate(1);
    });
    edit_json(
        tmp.path(),
        &rel(DEV, "route53resolver/list-resolver-endpoints"),
        |doc| doc["ResolverEndpoints"][0]["IpAddressCount"] = json!(1),
    );
    fails_with(tmp.path(), &[("PP017", f.as_str())]);
    // The count disagreeing with the list is the same gap.
    let tmp = reference();
    edit_json(
        tmp.path(),
        &rel(DEV, "route53resolver/list-resolver-endpoints"),
        |doc| doc["ResolverEndpoints"][0]["IpAddressCount"] = json!(3),
    );
    fails_with(tmp.path(), &[("PP017", f.as_str())]);
}

#[test]
fn a_list_file_with_a_next_token_is_incomplete_evidence() {
    // AWS CLI pagination: a token left in the output means more pages were not fetched.
    for (op, token) in [
        ("ec2/describe-subnets", "NextToken"),
        ("elbv2/describe-load-balancers", "NextMarker"),
    ] {
        let tmp = reference();
        let f = rel(GK, op);
        edit_json(tmp.path(), &f, |doc| doc[token] = json!("eyJ2IjoxfQ=="));
        fails_with(tmp.path(), &[("PP017", f.as_str())]);
    }
}

// ---- nlb-port-protocol: listener → target group → target with ports and protocols (NLB guide,
// "Listeners for your Network Load Balancers"; IoT guide, "Device communication protocols").

fn listeners(dir: &Path, edit: impl Fn(&mut Value)) {
    edit_json(
        dir,
        &rel(GK, "elbv2/describe-listeners/iot-data-nlb"),
        |doc| {
            for l in doc["Listeners"].as_array_mut().unwrap() {
                edit(l);
            }
        },
    );
}

#[test]
fn tls_listener_terminates_the_devices_tls_and_is_unproven() {
    let tmp = reference();
    let mut arn = String::new();
    edit_json(
        tmp.path(),
        &rel(GK, "elbv2/describe-listeners/iot-data-nlb"),
        |doc| {
            let l = doc["Listeners"]
                .as_array_mut()
                .unwrap()
                .iter_mut()
                .find(|l| l["Port"] == 8883)
                .unwrap();
            l["Protocol"] = json!("TLS");
            l["Certificates"] = json!([{"CertificateArn": "arn:aws:acm:us-west-2:222222222222:certificate/0f1e2d3c-aaaa-bbbb-cccc-123456789012"}]);
            l["SslPolicy"] = json!("ELBSecurityPolicy-TLS13-1-2-2021-06");
            arn = l["ListenerArn"].as_str().unwrap().to_string();
        },
    );
    fails_with(tmp.path(), &[("PP016", arn.as_str())]);
}

#[test]
fn listener_forwarding_to_the_other_ports_group_is_unproven() {
    let tmp = reference();
    listeners(tmp.path(), |l| {
        if l["Port"] == 8883 {
            l["DefaultActions"] = json!([{"Type": "forward", "TargetGroupArn": TG_443,
                "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": TG_443, "Weight": 1}],
                "TargetGroupStickinessConfig": {"Enabled": false}}}]);
        }
    });
    fails_with(tmp.path(), &[("PP016", TG_443)]);
}

#[test]
fn target_registered_on_another_port_is_unproven() {
    let tmp = reference();
    edit_json(
        tmp.path(),
        &rel(GK, "elbv2/describe-target-health/iot-data-8883"),
        |doc| doc["TargetHealthDescriptions"][0]["Target"]["Port"] = json!(443),
    );
    fails_with(tmp.path(), &[("PP016", TG_8883)]);
}

// ---- lifecycle-state: only Available services, active load balancers and available VPNs
// carry traffic (EC2 API ServiceConfiguration, ELB API LoadBalancerState, EC2 API VpnConnection).

#[test]
fn endpoint_service_not_available_is_no_path() {
    for state in ["Pending", "Failed", "Deleting"] {
        let tmp = reference();
        edit_json(
            tmp.path(),
            &rel(GK, "ec2/describe-vpc-endpoint-service-configurations"),
            |doc| doc["ServiceConfigurations"][0]["ServiceState"] = json!(state),
        );
        fails_with(tmp.path(), &[("PP005", "vpce-svc-0bbb00000000005e1")]);
    }
}

#[test]
fn load_balancer_not_active_is_no_path() {
    for code in ["provisioning", "failed"] {
        let tmp = reference();
        edit_json(
            tmp.path(),
            &rel(GK, "elbv2/describe-load-balancers"),
            |doc| doc["LoadBalancers"][0]["State"] = json!({"Code": code}),
        );
        fails_with(tmp.path(), &[("PP005", NLB)]);
    }
}

fn private_vpn(edit: impl FnOnce(&mut Value)) -> tempfile::TempDir {
    let tmp = copy_fixture("compliant/private-ip-vpn");
    edit_json(
        tmp.path(),
        &rel(DEV, "ec2/describe-vpn-connections"),
        |doc| edit(&mut doc["VpnConnections"][0]),
    );
    tmp
}

#[test]
fn private_ip_vpn_not_available_is_unproven() {
    let (outcome, _) = verify_json(&fixture("compliant/private-ip-vpn"), &[]);
    assert_eq!(outcome, Outcome::Pass);
    for state in ["pending", "deleted"] {
        let tmp = private_vpn(|v| v["State"] = json!(state));
        fails_with(tmp.path(), &[("PP016", "vpn-0aaa00000000000f8")]);
    }
}

// ---- vpn-transport: a private IP VPN runs over a Direct Connect gateway attachment (VPN guide,
// "Private IP VPN with AWS Direct Connect").

#[test]
fn private_ip_vpn_without_a_direct_connect_transport_is_unproven() {
    let tmp = private_vpn(|v| {
        v["Options"]
            .as_object_mut()
            .unwrap()
            .remove("TransportTransitGatewayAttachmentId");
    });
    fails_with(tmp.path(), &[("PP016", "vpn-0aaa00000000000f8")]);
    let tmp = private_vpn(|v| {
        v["Options"]["TransportTransitGatewayAttachmentId"] = json!("tgw-attach-0aaa0000000000d01")
    });
    fails_with(tmp.path(), &[("PP016", "vpn-0aaa00000000000f8")]);
}

// ---- onprem-range-lost: on-premises still sends into the TGW when its route is gone (TGW guide,
// "How transit gateways work").

#[test]
fn on_premises_attachment_without_an_active_route_is_unproven() {
    let f = rel(
        DEV,
        "ec2/search-transit-gateway-routes/tgw-rtb-0aaa00000000000f1",
    );
    for blackhole in [true, false] {
        let tmp = reference();
        edit_json(tmp.path(), &f, |doc| {
            let routes = doc["Routes"].as_array_mut().unwrap();
            let r = routes
                .iter_mut()
                .find(|r| r["DestinationCidrBlock"] == "192.168.0.0/16")
                .unwrap();
            if blackhole {
                *r = json!({"DestinationCidrBlock": "192.168.0.0/16", "Type": "static", "State": "blackhole"});
            } else {
                // Re-pointed to the device VPC attachment by a static route.
                *r = json!({"DestinationCidrBlock": "192.168.0.0/16", "Type": "static", "State": "active",
                    "TransitGatewayAttachments": [{"ResourceId": "vpc-0aaa00000000000d1",
                    "TransitGatewayAttachmentId": "tgw-attach-0aaa0000000000d01", "ResourceType": "vpc"}]});
            }
        });
        fails_with(tmp.path(), &[("PP016", "tgw-attach-0aaa0000000000dc1")]);
    }
}

// ---- dns-settings-partial: one attribute file missing is an assumption to state (PP019).

#[test]
fn one_missing_dns_attribute_file_is_stated() {
    for attr in ["enableDnsSupport", "enableDnsHostnames"] {
        let tmp = reference();
        std::fs::remove_file(tmp.path().join(format!(
            "{DEV}/us-west-2/ec2/describe-vpc-attribute/vpc-0aaa00000000000d1-{attr}.json"
        )))
        .unwrap();
        let (_, report) = verify_json(tmp.path(), &[]);
        let got = findings(&report);
        assert!(
            got.contains(&("PP019".into(), "vpc-0aaa00000000000d1".into())),
            "{attr}: {got:?}"
        );
    }
}

// ---- creds-via-nlb: the credentials name must end at a credentials endpoint.

#[test]
fn credentials_name_aliased_to_the_data_nlb_is_not_proven() {
    let tmp = reference();
    let f = format!("{GK}/global/route53/list-resource-record-sets/Z0222222CRED0000000001.json");
    let lb_dns = {
        let doc: Value = serde_json::from_str(
            &std::fs::read_to_string(tmp.path().join(rel(GK, "elbv2/describe-load-balancers")))
                .unwrap(),
        )
        .unwrap();
        (
            doc["LoadBalancers"][0]["DNSName"]
                .as_str()
                .unwrap()
                .to_string(),
            doc["LoadBalancers"][0]["CanonicalHostedZoneId"]
                .as_str()
                .unwrap()
                .to_string(),
        )
    };
    edit_json(tmp.path(), &f, |doc| {
        for r in doc["ResourceRecordSets"].as_array_mut().unwrap() {
            if r["Type"] == "A" {
                r["AliasTarget"] = json!({"HostedZoneId": lb_dns.1, "DNSName": format!("{}.", lb_dns.0),
                    "EvaluateTargetHealth": false});
            }
        }
    });
    let got = fails_with(tmp.path(), &[]);
    // The walk ends at the iot.data endpoint, which does not serve the credentials name.
    assert!(
        got.iter()
            .any(|(r, x)| r == "PP005" && x == "vpce-0bbb00000000da7a1"),
        "{got:?}"
    );
}
