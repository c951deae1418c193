//! Network ACLs on Transit Gateway hops, end to end on the reference (Transit Gateway guide,
//! "Network ACLs for transit gateways", <https://docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html>).
//!
//! Each case gives one subnet its own network ACL with one deny rule in front of allow-all, then
//! checks the verdict against the page: a deny in a position the page says is evaluated is PP007
//! on exactly that ACL; a deny in a position it says is not evaluated passes.
//!
//! Positions in the reference (instances and TGW attachment in different subnets on both sides):
//! device subnet a01 (10.10.1.0/24) and device TGW subnet a02 (10.10.250.0/28); gatekeeper TGW
//! subnet a02 and gatekeeper endpoint subnet a01 (10.20.1.10/.11). Requests are TCP 8883/443,
//! replies TCP 1024-65535.
use super::*;
use rstest::rstest;
use serde_json::{json, Value};

pub(crate) const DEV: &str = "111111111111";
pub(crate) const GK: &str = "222222222222";

/// A network ACL entry as `describe-network-acls` prints it.
pub(crate) fn entry(egress: bool, proto: &str, cidr: &str, ports: (u16, u16)) -> Value {
    json!({"CidrBlock": cidr, "Egress": egress, "PortRange": {"From": ports.0, "To": ports.1},
        "Protocol": proto, "RuleAction": "deny", "RuleNumber": 50})
}

/// Move `subnet` of `account` off its network ACL onto a new ACL `acl_id` holding `deny`, then
/// allow-all and the default deny, in both directions.
pub(crate) fn isolate(dir: &Path, account: &str, subnet: &str, acl_id: &str, deny: Value) {
    edit_json(
        dir,
        &format!("{account}/us-west-2/ec2/describe-network-acls.json"),
        |doc| {
            let acls = doc["NetworkAcls"].as_array_mut().unwrap();
            let mut vpc = Value::Null;
            for acl in acls.iter_mut() {
                let here = acl["Associations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| a["SubnetId"] == subnet);
                if here {
                    vpc = acl["VpcId"].clone();
                }
                acl["Associations"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|a| a["SubnetId"] != subnet);
            }
            let mut entries = vec![deny];
            for egress in [true, false] {
                entries.push(
                    json!({"CidrBlock": "0.0.0.0/0", "Egress": egress, "Protocol": "-1",
                    "RuleAction": "allow", "RuleNumber": 100}),
                );
                entries.push(
                    json!({"CidrBlock": "0.0.0.0/0", "Egress": egress, "Protocol": "-1",
                    "RuleAction": "deny", "RuleNumber": 32767}),
                );
            }
            acls.push(json!({
                "Associations": [{"NetworkAclAssociationId": format!("aclassoc-{}", &acl_id[4..]),
                    "NetworkAclId": acl_id, "SubnetId": subnet}],
                "Entries": entries,
                "IsDefault": false,
                "NetworkAclId": acl_id,
                "Tags": [],
                "VpcId": vpc,
                "OwnerId": account,
            }));
        },
    );
}

/// The reference with one variation of where instances and the TGW attachment sit.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Setup {
    /// Different subnets on both sides.
    Reference,
    /// Same subnet on the source side: an instance in the device TGW subnet a02, which uses
    /// the device route table (10.20.0.0/16 → TGW), so it is a source.
    DeviceInstanceInAttachmentSubnet,
    /// Same subnet on the destination side: the gatekeeper attachment uses the endpoint subnets
    /// a01/b01 (its TGW interfaces move there).
    GatekeeperAttachmentInEndpointSubnets,
}

pub(crate) fn prepare(setup: Setup) -> tempfile::TempDir {
    let tmp = copy_fixture("reference");
    let dir = tmp.path();
    match setup {
        Setup::Reference => {}
        Setup::DeviceInstanceInAttachmentSubnet => {
            edit_json(
                dir,
                &format!("{DEV}/us-west-2/ec2/describe-network-interfaces.json"),
                |doc| {
                    doc["NetworkInterfaces"].as_array_mut().unwrap().push(json!({
                        "Attachment": {"AttachTime": "2025-03-14T10:02:11+00:00", "AttachmentId": "eni-attach-0aaa00000000000a5",
                            "DeleteOnTermination": true, "DeviceIndex": 0, "NetworkCardIndex": 0,
                            "InstanceId": "i-0aaa00000000000a5", "InstanceOwnerId": DEV, "Status": "attached"},
                        "AvailabilityZone": "us-west-2a", "Description": "", "Groups": [{"GroupId": "sg-0aaa00000000000d0", "GroupName": "default"}],
                        "InterfaceType": "interface", "Ipv6Addresses": [], "MacAddress": "06:1e:0a:55:02:05",
                        "NetworkInterfaceId": "eni-0aaa00000000000a5", "OwnerId": DEV,
                        "PrivateDnsName": "ip-10-10-250-5.us-west-2.compute.internal", "PrivateIpAddress": "10.10.250.5",
                        "PrivateIpAddresses": [{"Primary": true, "PrivateDnsName": "ip-10-10-250-5.us-west-2.compute.internal", "PrivateIpAddress": "10.10.250.5"}],
                        "RequesterManaged": false, "SourceDestCheck": true, "Status": "in-use",
                        "SubnetId": "subnet-0aaa0000000000a02", "TagSet": [], "VpcId": "vpc-0aaa00000000000d1", "Ipv6Native": false
                    }));
                },
            );
            edit_json(
                dir,
                &format!("{DEV}/us-west-2/ec2/describe-route-tables.json"),
                |doc| {
                    for rt in doc["RouteTables"].as_array_mut().unwrap() {
                        if rt["RouteTableId"] == "rtb-0aaa00000000000d1" {
                            rt["Associations"].as_array_mut().unwrap().push(json!({
                                "Main": false, "RouteTableAssociationId": "rtbassoc-0aaa000000000a02a",
                                "RouteTableId": "rtb-0aaa00000000000d1", "SubnetId": "subnet-0aaa0000000000a02",
                                "AssociationState": {"State": "associated"}}));
                        }
                    }
                },
            );
        }
        Setup::GatekeeperAttachmentInEndpointSubnets => {
            for account in [DEV, GK] {
                edit_json(
                    dir,
                    &format!(
                        "{account}/us-west-2/ec2/describe-transit-gateway-vpc-attachments.json"
                    ),
                    |doc| {
                        for a in doc["TransitGatewayVpcAttachments"].as_array_mut().unwrap() {
                            if a["VpcId"] == "vpc-0bbb00000000000e1" {
                                a["SubnetIds"] =
                                    json!(["subnet-0bbb0000000000a01", "subnet-0bbb0000000000b01"]);
                            }
                        }
                    },
                );
            }
            edit_json(
                dir,
                &format!("{GK}/us-west-2/ec2/describe-network-interfaces.json"),
                |doc| {
                    for e in doc["NetworkInterfaces"].as_array_mut().unwrap() {
                        let (subnet, ip) = match e["NetworkInterfaceId"].as_str().unwrap() {
                            "eni-0bbb0000000007a02" => ("subnet-0bbb0000000000a01", "10.20.1.250"),
                            "eni-0bbb0000000007b02" => ("subnet-0bbb0000000000b01", "10.20.2.250"),
                            _ => continue,
                        };
                        let name =
                            format!("ip-{}.us-west-2.compute.internal", ip.replace('.', "-"));
                        e["SubnetId"] = json!(subnet);
                        e["PrivateIpAddress"] = json!(ip);
                        e["PrivateDnsName"] = json!(name);
                        e["PrivateIpAddresses"] = json!([{"Primary": true, "PrivateDnsName": name, "PrivateIpAddress": ip}]);
                    }
                },
            );
        }
    }
    tmp
}

fn has(report: &Value, rule: &str, resource: &str) -> bool {
    findings(report).contains(&(rule.to_string(), resource.to_string()))
}

const ACL: &str = "acl-0000000000000e750";

#[rstest]
fn every_setup_is_proven_without_a_deny(
    #[values(
        Setup::Reference,
        Setup::DeviceInstanceInAttachmentSubnet,
        Setup::GatekeeperAttachmentInEndpointSubnets
    )]
    setup: Setup,
) {
    let tmp = prepare(setup);
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Pass, "{setup:?}: {:?}", findings(&report));
}

const EPH: (u16, u16) = (1024, 65535);
const MQTT: (u16, u16) = (8883, 8883);

#[rstest]
// ---- different subnets, source side (device VPC) ----
// request, instances → TGW: instance subnet outbound (destination), attachment subnet inbound (source)
#[case::dev_instance_out_request(
    Setup::Reference,
    DEV,
    "subnet-0aaa0000000000a01",
    entry(true, "6", "10.20.0.0/16", MQTT),
    true
)]
#[case::dev_attachment_in_request(
    Setup::Reference,
    DEV,
    "subnet-0aaa0000000000a02",
    entry(false, "6", "10.10.1.0/24", MQTT),
    true
)]
// the attachment subnet's outbound rules are not used for instances → TGW
#[case::dev_attachment_out_request(
    Setup::Reference,
    DEV,
    "subnet-0aaa0000000000a02",
    entry(true, "6", "10.20.0.0/16", MQTT),
    false
)]
// reply, TGW → instances: attachment subnet outbound (destination), instance subnet inbound (source)
#[case::dev_attachment_out_reply(
    Setup::Reference,
    DEV,
    "subnet-0aaa0000000000a02",
    entry(true, "6", "10.10.1.0/24", EPH),
    true
)]
#[case::dev_instance_in_reply(
    Setup::Reference,
    DEV,
    "subnet-0aaa0000000000a01",
    entry(false, "6", "10.20.0.0/16", EPH),
    true
)]
// the attachment subnet's inbound rules are not used for TGW → instances
#[case::dev_attachment_in_reply(
    Setup::Reference,
    DEV,
    "subnet-0aaa0000000000a02",
    entry(false, "6", "10.20.0.0/16", EPH),
    false
)]
// ---- different subnets, destination side (gatekeeper VPC) ----
// request, TGW → instances
#[case::gk_attachment_out_request(
    Setup::Reference,
    GK,
    "subnet-0bbb0000000000a02",
    entry(true, "6", "10.20.0.0/16", MQTT),
    true
)]
#[case::gk_instance_in_request(
    Setup::Reference,
    GK,
    "subnet-0bbb0000000000a01",
    entry(false, "6", "10.10.0.0/16", MQTT),
    true
)]
#[case::gk_attachment_in_request(
    Setup::Reference,
    GK,
    "subnet-0bbb0000000000a02",
    entry(false, "6", "10.10.0.0/16", MQTT),
    false
)]
// reply, instances → TGW
#[case::gk_instance_out_reply(
    Setup::Reference,
    GK,
    "subnet-0bbb0000000000a01",
    entry(true, "6", "10.10.0.0/16", EPH),
    true
)]
#[case::gk_attachment_in_reply(
    Setup::Reference,
    GK,
    "subnet-0bbb0000000000a02",
    entry(false, "6", "10.20.0.0/16", EPH),
    true
)]
#[case::gk_attachment_out_reply(
    Setup::Reference,
    GK,
    "subnet-0bbb0000000000a02",
    entry(true, "6", "10.10.0.0/16", EPH),
    false
)]
// on-premises sources (no instance subnet on their side): the gatekeeper end as above
#[case::onprem_gk_instance_in_request(
    Setup::Reference,
    GK,
    "subnet-0bbb0000000000a01",
    entry(false, "6", "192.168.0.0/16", MQTT),
    true
)]
#[case::onprem_gk_attachment_in_request(
    Setup::Reference,
    GK,
    "subnet-0bbb0000000000a02",
    entry(false, "6", "192.168.0.0/16", MQTT),
    false
)]
#[case::onprem_gk_instance_out_reply(
    Setup::Reference,
    GK,
    "subnet-0bbb0000000000a01",
    entry(true, "6", "192.168.0.0/16", EPH),
    true
)]
#[case::onprem_gk_attachment_out_reply(
    Setup::Reference,
    GK,
    "subnet-0bbb0000000000a02",
    entry(true, "6", "192.168.0.0/16", EPH),
    false
)]
// ---- same subnet, source side: the instance in the device TGW subnet a02 (10.10.250.0/28) ----
// instances → TGW: outbound (destination) and inbound (source) both evaluated
#[case::same_dev_out_request(
    Setup::DeviceInstanceInAttachmentSubnet,
    DEV,
    "subnet-0aaa0000000000a02",
    entry(true, "6", "10.20.0.0/16", MQTT),
    true
)]
#[case::same_dev_in_request(
    Setup::DeviceInstanceInAttachmentSubnet,
    DEV,
    "subnet-0aaa0000000000a02",
    entry(false, "6", "10.10.250.0/28", MQTT),
    true
)]
// TGW → instances: neither evaluated (the AZ1 endpoint addresses reply through a02 itself)
#[case::same_dev_in_reply(
    Setup::DeviceInstanceInAttachmentSubnet,
    DEV,
    "subnet-0aaa0000000000a02",
    entry(false, "6", "10.20.1.0/24", EPH),
    false
)]
#[case::same_dev_out_reply(
    Setup::DeviceInstanceInAttachmentSubnet,
    DEV,
    "subnet-0aaa0000000000a02",
    entry(true, "6", "10.10.250.0/28", EPH),
    false
)]
// ---- same subnet, destination side: the gatekeeper attachment in endpoint subnet a01 ----
// TGW → instances: neither evaluated (AZ1 sources reach the AZ1 endpoint addresses through a01 itself)
#[case::same_gk_in_request(
    Setup::GatekeeperAttachmentInEndpointSubnets,
    GK,
    "subnet-0bbb0000000000a01",
    entry(false, "6", "10.10.1.0/24", MQTT),
    false
)]
#[case::same_gk_out_request(
    Setup::GatekeeperAttachmentInEndpointSubnets,
    GK,
    "subnet-0bbb0000000000a01",
    entry(true, "6", "10.20.1.0/24", MQTT),
    false
)]
// instances → TGW (the reply): outbound (destination) and inbound (source) both evaluated
#[case::same_gk_out_reply(
    Setup::GatekeeperAttachmentInEndpointSubnets,
    GK,
    "subnet-0bbb0000000000a01",
    entry(true, "6", "10.10.1.0/24", EPH),
    true
)]
#[case::same_gk_in_reply(
    Setup::GatekeeperAttachmentInEndpointSubnets,
    GK,
    "subnet-0bbb0000000000a01",
    entry(false, "6", "10.20.1.0/24", EPH),
    true
)]
fn mqtt_deny_per_position(
    #[case] setup: Setup,
    #[case] account: &str,
    #[case] subnet: &str,
    #[case] deny: Value,
    #[case] evaluated: bool,
) {
    let tmp = prepare(setup);
    isolate(tmp.path(), account, subnet, ACL, deny);
    let (outcome, report) = verify_json(tmp.path(), &[]);
    if evaluated {
        assert_eq!(outcome, Outcome::Fail);
        assert!(has(&report, "PP007", ACL), "{:?}", findings(&report));
    } else if NLB_NODE_SUBNETS.contains(&subnet) {
        // Not evaluated at this Transit Gateway position, but the subnet is also a PrivateLink
        // hop (the endpoint service's load balancer nodes), whose ACL must admit every address
        // (tests/it/gaps.rs): unproven on exactly this ACL, never PP007.
        assert_eq!(
            findings(&report),
            vec![("PP016".to_string(), ACL.to_string())],
            "{:?}",
            findings(&report)
        );
    } else {
        assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
    }
}

/// The subnets of the endpoint service's load balancer nodes in the reference.
const NLB_NODE_SUBNETS: [&str; 2] = ["subnet-0bbb0000000000a01", "subnet-0bbb0000000000b01"];

/// The rule the deny matches must be the one the walk names: a TCP rule does not match UDP.
#[test]
fn a_udp_deny_does_not_block_mqtt() {
    let tmp = prepare(Setup::Reference);
    isolate(
        tmp.path(),
        GK,
        "subnet-0bbb0000000000a01",
        ACL,
        entry(false, "17", "10.10.0.0/16", MQTT),
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
}
