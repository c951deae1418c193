//! The snapshot indexed by resource id, read straight from the AWS CLI JSON (serde_json only).
//! Field names are AWS's own (EC2, ELBv2, Route 53, Route 53 Resolver and IoT API references).
use super::net::{ip, Cuts, Net};
use crate::mutation::snap::Snap;
use serde_json::Value;
use std::collections::BTreeMap;

pub fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}
pub fn arr<'a>(v: &'a Value, k: &str) -> &'a [Value] {
    v.get(k)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}
fn strs(v: &Value, k: &str) -> Vec<String> {
    arr(v, k)
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}
fn tag(v: &Value, key: &str) -> Option<String> {
    arr(v, "Tags")
        .iter()
        .find(|t| s(t, "Key") == key)
        .map(|t| s(t, "Value").to_string())
}

pub struct Vpc {
    pub account: String,
    pub region: String,
    pub cidrs: Vec<Net>,
    pub role: Option<String>,
    pub dhcp: String,
}
pub struct Subnet {
    pub vpc: String,
    pub cidr: Option<Net>,
    /// Availability Zone id when AWS shows it (stable across accounts), else the name.
    pub az: String,
    pub az_name: String,
}
pub struct Rtb {
    pub id: String,
    pub vpc: String,
    pub routes: Vec<Route>,
    pub subnets: Vec<String>,
    pub main: bool,
}
pub struct Route {
    pub dest: Dest,
    pub target: Target,
    pub state: String,
    pub origin: String,
}
pub enum Dest {
    V4(Net),
    PrefixList(String),
    Other,
}
#[derive(Clone, Debug)]
pub enum Target {
    Local,
    Igw(String),
    Vgw(String),
    Nat(String),
    Tgw(String),
    Pcx(String),
    Eni(String),
    Vpce(String),
    /// A target the oracle does not model (Cloud WAN, carrier/local gateway, a field it has never
    /// seen, or an entry with no or several targets).
    Other(String),
}
pub struct Eni {
    pub id: String,
    pub vpc: String,
    pub subnet: String,
    pub ips: Vec<u32>,
    pub groups: Vec<String>,
    pub kind: String,
}
pub struct Sg {
    pub vpc: String,
    pub ingress: Vec<Perm>,
}
pub struct Perm {
    pub proto: String,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub cidrs: Vec<Net>,
    pub group_refs: usize,
    pub prefix_lists: Vec<String>,
}
pub struct Nacl {
    pub id: String,
    pub entries: Vec<Entry>,
    pub subnets: Vec<String>,
}
pub struct Entry {
    pub number: i64,
    pub egress: bool,
    pub allow: bool,
    pub proto: String,
    pub cidr: Option<Net>,
    pub ports: Option<(u32, u32)>,
}
pub struct Vpce {
    pub id: String,
    pub vpc: String,
    pub kind: String,
    pub service: String,
    pub state: String,
    pub enis: Vec<String>,
    pub groups: Vec<String>,
    pub dns: Vec<(String, String)>,
    pub private_dns: bool,
}
pub struct Service {
    pub id: String,
    pub account: String,
    pub name: String,
    pub state: String,
    pub acceptance: bool,
    pub nlbs: Vec<String>,
    pub gwlbs: usize,
}
pub struct Lb {
    pub arn: String,
    pub scheme: String,
    pub state: String,
    pub kind: String,
    pub nodes: Vec<(String, u32)>,
    pub dns: String,
}
pub struct Tg {
    pub arn: String,
    pub name: String,
    pub protocol: String,
    pub target_type: String,
    pub targets: Option<Vec<(String, Option<i64>)>>,
}
pub struct Attachment {
    pub kind: String,
    pub resource: String,
    pub state: String,
    /// `Association` as the owner account shows it: (route table, state).
    pub assoc: Option<(String, String)>,
}
pub struct VpcAttachment {
    pub id: String,
    pub tgw: String,
    pub vpc: String,
    pub subnets: Vec<String>,
    pub state: String,
}
pub struct TgwRtb {
    pub id: String,
    pub state: String,
    pub routes: Vec<TgwRoute>,
    pub assocs: Option<Vec<(String, String)>>,
    pub props: Option<Vec<(String, String)>>,
}
pub struct TgwRoute {
    pub dest: Option<Net>,
    pub kind: String,
    pub state: String,
    pub atts: Vec<String>,
}
pub struct Vpn {
    pub id: String,
    pub state: String,
    pub outside: String,
    pub transport: String,
}
pub struct Zone {
    pub id: String,
    pub name: String,
    pub private: bool,
    pub vpcs: Vec<(String, String)>,
    pub records: Vec<Record>,
}
pub struct Record {
    pub name: String,
    pub kind: String,
    pub alias: Option<(String, String)>,
    pub values: Vec<String>,
}
pub struct ResolverEndpoint {
    pub id: String,
    pub direction: String,
    pub vpc: String,
    pub status: String,
    pub sgs: Vec<String>,
    pub count: i64,
    pub ips: Option<Vec<(Option<u32>, String, String)>>,
}
pub struct Policy {
    pub account: String,
    pub name: String,
    pub doc: String,
}

#[derive(Default)]
pub struct World {
    pub targets: Vec<(String, String)>,
    pub vpcs: BTreeMap<String, Vpc>,
    pub subnets: BTreeMap<String, Subnet>,
    pub rtbs: Vec<Rtb>,
    pub igws: BTreeMap<String, Vec<String>>,
    pub nats: BTreeMap<String, String>,
    pub enis: BTreeMap<String, Eni>,
    pub sgs: BTreeMap<String, Sg>,
    pub nacls: Vec<Nacl>,
    pub vpces: BTreeMap<String, Vpce>,
    pub services: BTreeMap<String, Service>,
    pub principals: BTreeMap<String, Vec<(String, String)>>,
    pub lbs: Vec<Lb>,
    pub listeners: BTreeMap<String, Vec<Value>>,
    pub tgs: BTreeMap<String, Tg>,
    pub tgws: BTreeMap<String, (String, String)>,
    pub attachments: BTreeMap<String, Attachment>,
    pub vpc_attachments: BTreeMap<String, VpcAttachment>,
    pub tgw_rtbs: BTreeMap<String, TgwRtb>,
    pub vpns: BTreeMap<String, Vpn>,
    pub zones: Vec<Zone>,
    pub resolver_endpoints: Vec<ResolverEndpoint>,
    /// (rule id, domain, rule type, status)
    pub resolver_rules: BTreeMap<String, (String, String, String)>,
    /// (rule id, vpc, status)
    pub rule_assocs: Vec<(String, String, String)>,
    /// DHCP options id → domain-name-servers; `None` for an account without the extension file.
    pub dhcp: BTreeMap<String, Vec<String>>,
    pub dhcp_files: Vec<String>,
    /// VPC → (enableDnsSupport, enableDnsHostnames) from the extension files.
    pub dns_attrs: BTreeMap<String, (Option<bool>, Option<bool>)>,
    pub iot_endpoints: BTreeMap<(String, String), String>,
    pub policies: Vec<Policy>,
    pub prefix_lists: BTreeMap<String, Vec<Net>>,
    /// Facts two files disagree on: the oracle cannot tell which one AWS would show.
    pub inconsistent: Vec<String>,
    pub cuts: Cuts,
    /// DNS Firewall, Route 53 Profiles, VPC Lattice endpoints (layout extensions).
    pub ext: super::dnsx::Ext,
}

impl World {
    pub fn build(snap: &Snap) -> World {
        let mut w = World::default();
        let manifest = &snap.files["manifest.json"];
        for t in arr(manifest, "targets") {
            for r in arr(t, "regions") {
                w.targets.push((
                    s(t, "account").to_string(),
                    r.as_str().unwrap_or("").to_string(),
                ));
            }
        }
        collect_cuts(snap, &mut w.cuts);
        let targets = w.targets.clone();
        w.ext = super::dnsx::Ext::build(snap, &targets);
        for (acct, region) in &targets {
            let rel = |op: &str| format!("{acct}/{region}/{op}.json");
            let doc = |op: &str| snap.doc(&rel(op));
            if let Some(d) = doc("ec2/describe-vpcs") {
                for v in arr(d, "Vpcs") {
                    let mut cidrs: Vec<Net> = arr(v, "CidrBlockAssociationSet")
                        .iter()
                        .filter(|c| s(&c["CidrBlockState"], "State") == "associated")
                        .filter_map(|c| Net::parse(s(c, "CidrBlock")))
                        .collect();
                    if cidrs.is_empty() {
                        cidrs.extend(Net::parse(s(v, "CidrBlock")));
                    }
                    w.vpcs.insert(
                        s(v, "VpcId").into(),
                        Vpc {
                            account: acct.clone(),
                            region: region.clone(),
                            cidrs,
                            role: tag(v, "pathproof:role"),
                            dhcp: s(v, "DhcpOptionsId").into(),
                        },
                    );
                }
            }
            if let Some(d) = doc("ec2/describe-subnets") {
                for v in arr(d, "Subnets") {
                    let az = match s(v, "AvailabilityZoneId") {
                        "" => s(v, "AvailabilityZone"),
                        id => id,
                    };
                    w.subnets.insert(
                        s(v, "SubnetId").into(),
                        Subnet {
                            vpc: s(v, "VpcId").into(),
                            cidr: Net::parse(s(v, "CidrBlock")),
                            az: az.into(),
                            az_name: s(v, "AvailabilityZone").into(),
                        },
                    );
                }
            }
            if let Some(d) = doc("ec2/describe-route-tables") {
                for t in arr(d, "RouteTables") {
                    let assocs: Vec<&Value> = arr(t, "Associations")
                        .iter()
                        .filter(|a| matches!(s(&a["AssociationState"], "State"), "associated" | ""))
                        .collect();
                    w.rtbs.push(Rtb {
                        id: s(t, "RouteTableId").into(),
                        vpc: s(t, "VpcId").into(),
                        routes: arr(t, "Routes").iter().map(route).collect(),
                        subnets: assocs
                            .iter()
                            .filter_map(|a| a.get("SubnetId").and_then(Value::as_str))
                            .map(str::to_string)
                            .collect(),
                        main: assocs.iter().any(|a| a["Main"] == true),
                    });
                }
            }
            if let Some(d) = doc("ec2/describe-internet-gateways") {
                for g in arr(d, "InternetGateways") {
                    let vpcs = arr(g, "Attachments")
                        .iter()
                        .map(|a| s(a, "VpcId").to_string())
                        .collect();
                    w.igws.insert(s(g, "InternetGatewayId").into(), vpcs);
                }
            }
            if let Some(d) = doc("ec2/describe-nat-gateways") {
                for g in arr(d, "NatGateways") {
                    w.nats
                        .insert(s(g, "NatGatewayId").into(), s(g, "VpcId").into());
                }
            }
            if let Some(d) = doc("ec2/describe-network-interfaces") {
                for e in arr(d, "NetworkInterfaces") {
                    let mut ips: Vec<u32> = arr(e, "PrivateIpAddresses")
                        .iter()
                        .filter_map(|p| ip(s(p, "PrivateIpAddress")))
                        .collect();
                    ips.extend(ip(s(e, "PrivateIpAddress")));
                    ips.sort();
                    ips.dedup();
                    w.enis.insert(
                        s(e, "NetworkInterfaceId").into(),
                        Eni {
                            id: s(e, "NetworkInterfaceId").into(),
                            vpc: s(e, "VpcId").into(),
                            subnet: s(e, "SubnetId").into(),
                            ips,
                            groups: arr(e, "Groups")
                                .iter()
                                .map(|g| s(g, "GroupId").to_string())
                                .collect(),
                            kind: s(e, "InterfaceType").into(),
                        },
                    );
                }
            }
            if let Some(d) = doc("ec2/describe-security-groups") {
                for g in arr(d, "SecurityGroups") {
                    w.sgs.insert(
                        s(g, "GroupId").into(),
                        Sg {
                            vpc: s(g, "VpcId").into(),
                            ingress: arr(g, "IpPermissions").iter().map(perm).collect(),
                        },
                    );
                }
            }
            if let Some(d) = doc("ec2/describe-network-acls") {
                for n in arr(d, "NetworkAcls") {
                    w.nacls.push(Nacl {
                        id: s(n, "NetworkAclId").into(),
                        entries: arr(n, "Entries").iter().map(entry).collect(),
                        subnets: arr(n, "Associations")
                            .iter()
                            .map(|a| s(a, "SubnetId").to_string())
                            .collect(),
                    });
                }
            }
            if let Some(d) = doc("ec2/describe-vpc-endpoints") {
                for e in arr(d, "VpcEndpoints") {
                    w.vpces.insert(
                        s(e, "VpcEndpointId").into(),
                        Vpce {
                            id: s(e, "VpcEndpointId").into(),
                            vpc: s(e, "VpcId").into(),
                            kind: s(e, "VpcEndpointType").into(),
                            service: s(e, "ServiceName").into(),
                            state: s(e, "State").to_ascii_lowercase(),
                            enis: strs(e, "NetworkInterfaceIds"),
                            groups: arr(e, "Groups")
                                .iter()
                                .map(|g| s(g, "GroupId").to_string())
                                .collect(),
                            dns: arr(e, "DnsEntries")
                                .iter()
                                .map(|d| {
                                    (
                                        s(d, "DnsName").to_ascii_lowercase(),
                                        s(d, "HostedZoneId").into(),
                                    )
                                })
                                .collect(),
                            private_dns: e["PrivateDnsEnabled"] == true,
                        },
                    );
                }
            }
            if let Some(d) = doc("ec2/describe-vpc-endpoint-service-configurations") {
                for c in arr(d, "ServiceConfigurations") {
                    let id = s(c, "ServiceId").to_string();
                    let perms = snap
                        .doc(&rel(&format!(
                            "ec2/describe-vpc-endpoint-service-permissions/{id}"
                        )))
                        .map(|p| {
                            arr(p, "AllowedPrincipals")
                                .iter()
                                .map(|a| (s(a, "PrincipalType").into(), s(a, "Principal").into()))
                                .collect()
                        });
                    if let Some(p) = perms {
                        w.principals.insert(id.clone(), p);
                    }
                    w.services.insert(
                        id.clone(),
                        Service {
                            id,
                            account: acct.clone(),
                            name: s(c, "ServiceName").into(),
                            state: s(c, "ServiceState").into(),
                            acceptance: c["AcceptanceRequired"] != false,
                            nlbs: strs(c, "NetworkLoadBalancerArns"),
                            gwlbs: arr(c, "GatewayLoadBalancerArns").len(),
                        },
                    );
                }
            }
            if let Some(d) = doc("ec2/describe-managed-prefix-lists") {
                for p in arr(d, "PrefixLists") {
                    let id = s(p, "PrefixListId").to_string();
                    if let Some(e) =
                        snap.doc(&rel(&format!("ec2/get-managed-prefix-list-entries/{id}")))
                    {
                        let nets = arr(e, "Entries")
                            .iter()
                            .filter_map(|x| Net::parse(s(x, "Cidr")))
                            .collect();
                        w.prefix_lists.insert(id, nets);
                    }
                }
            }
            if let Some(d) = doc("elbv2/describe-load-balancers") {
                for lb in arr(d, "LoadBalancers") {
                    let mut nodes = Vec::new();
                    for z in arr(lb, "AvailabilityZones") {
                        for a in arr(z, "LoadBalancerAddresses") {
                            if let Some(x) = ip(s(a, "PrivateIPv4Address")) {
                                nodes.push((s(z, "SubnetId").to_string(), x));
                            }
                        }
                    }
                    let name = s(lb, "LoadBalancerName").to_string();
                    if let Some(l) = snap.doc(&rel(&format!("elbv2/describe-listeners/{name}"))) {
                        w.listeners.insert(
                            s(lb, "LoadBalancerArn").into(),
                            arr(l, "Listeners").to_vec(),
                        );
                    }
                    w.lbs.push(Lb {
                        arn: s(lb, "LoadBalancerArn").into(),
                        scheme: s(lb, "Scheme").into(),
                        state: s(&lb["State"], "Code").into(),
                        kind: s(lb, "Type").into(),
                        nodes,
                        dns: s(lb, "DNSName").to_ascii_lowercase(),
                    });
                }
            }
            if let Some(d) = doc("elbv2/describe-target-groups") {
                for tg in arr(d, "TargetGroups") {
                    let name = s(tg, "TargetGroupName").to_string();
                    let targets = snap
                        .doc(&rel(&format!("elbv2/describe-target-health/{name}")))
                        .map(|h| {
                            arr(h, "TargetHealthDescriptions")
                                .iter()
                                .map(|t| {
                                    (
                                        s(&t["Target"], "Id").to_string(),
                                        t["Target"]["Port"].as_i64(),
                                    )
                                })
                                .collect()
                        });
                    w.tgs.insert(
                        s(tg, "TargetGroupArn").into(),
                        Tg {
                            arn: s(tg, "TargetGroupArn").into(),
                            name,
                            protocol: s(tg, "Protocol").into(),
                            target_type: s(tg, "TargetType").into(),
                            targets,
                        },
                    );
                }
            }
            if let Some(d) = doc("ec2/describe-transit-gateways") {
                for t in arr(d, "TransitGateways") {
                    let id = s(t, "TransitGatewayId").to_string();
                    let entry = (s(t, "OwnerId").to_string(), s(t, "State").to_string());
                    if let Some(old) = w.tgws.get(&id) {
                        if *old != entry {
                            w.inconsistent
                                .push(format!("{id}: accounts disagree on owner/state"));
                        }
                    }
                    w.tgws.insert(id, entry);
                }
            }
            if let Some(d) = doc("ec2/describe-transit-gateway-attachments") {
                for t in arr(d, "TransitGatewayAttachments") {
                    let id = s(t, "TransitGatewayAttachmentId").to_string();
                    let owner_view = s(t, "TransitGatewayOwnerId") == acct;
                    let att = Attachment {
                        kind: s(t, "ResourceType").into(),
                        resource: s(t, "ResourceId").into(),
                        state: s(t, "State").into(),
                        assoc: t.get("Association").map(|a| {
                            (
                                s(a, "TransitGatewayRouteTableId").into(),
                                s(a, "State").into(),
                            )
                        }),
                    };
                    match w.attachments.get(&id) {
                        Some(old) if old.state != att.state => w
                            .inconsistent
                            .push(format!("{id}: accounts disagree on the attachment state")),
                        Some(_) if !owner_view => continue,
                        _ => {}
                    }
                    if owner_view || !w.attachments.contains_key(&id) {
                        w.attachments.insert(id, att);
                    }
                }
            }
            if let Some(d) = doc("ec2/describe-transit-gateway-vpc-attachments") {
                for t in arr(d, "TransitGatewayVpcAttachments") {
                    let id = s(t, "TransitGatewayAttachmentId").to_string();
                    let att = VpcAttachment {
                        id: id.clone(),
                        tgw: s(t, "TransitGatewayId").into(),
                        vpc: s(t, "VpcId").into(),
                        subnets: strs(t, "SubnetIds"),
                        state: s(t, "State").into(),
                    };
                    if let Some(old) = w.vpc_attachments.get(&id) {
                        let set = |v: &Vec<String>| {
                            v.iter().cloned().collect::<std::collections::BTreeSet<_>>()
                        };
                        if set(&old.subnets) != set(&att.subnets) || old.state != att.state {
                            w.inconsistent
                                .push(format!("{id}: accounts disagree on the VPC attachment"));
                        }
                    }
                    w.vpc_attachments.insert(id, att);
                }
            }
            if let Some(d) = doc("ec2/describe-transit-gateway-route-tables") {
                for t in arr(d, "TransitGatewayRouteTables") {
                    let id = s(t, "TransitGatewayRouteTableId").to_string();
                    let routes = snap
                        .doc(&rel(&format!("ec2/search-transit-gateway-routes/{id}")))
                        .map(|r| arr(r, "Routes").iter().map(tgw_route).collect())
                        .unwrap_or_default();
                    let pairs = |op: &str, key: &str| {
                        snap.doc(&rel(&format!("ec2/{op}/{id}"))).map(|d| {
                            arr(d, key)
                                .iter()
                                .map(|a| {
                                    (
                                        s(a, "TransitGatewayAttachmentId").into(),
                                        s(a, "State").into(),
                                    )
                                })
                                .collect()
                        })
                    };
                    let assocs = pairs(
                        "get-transit-gateway-route-table-associations",
                        "Associations",
                    );
                    let props = pairs(
                        "get-transit-gateway-route-table-propagations",
                        "TransitGatewayRouteTablePropagations",
                    );
                    w.tgw_rtbs.insert(
                        id.clone(),
                        TgwRtb {
                            id,
                            state: s(t, "State").into(),
                            routes,
                            assocs,
                            props,
                        },
                    );
                }
            }
            if let Some(d) = doc("ec2/describe-vpn-connections") {
                for v in arr(d, "VpnConnections") {
                    w.vpns.insert(
                        s(v, "VpnConnectionId").into(),
                        Vpn {
                            id: s(v, "VpnConnectionId").into(),
                            state: s(v, "State").into(),
                            outside: s(&v["Options"], "OutsideIpAddressType").into(),
                            transport: s(&v["Options"], "TransportTransitGatewayAttachmentId")
                                .into(),
                        },
                    );
                }
            }
            if let Some(d) = doc("route53resolver/list-resolver-endpoints") {
                for e in arr(d, "ResolverEndpoints") {
                    let id = s(e, "Id").to_string();
                    let ips = snap
                        .doc(&rel(&format!(
                            "route53resolver/list-resolver-endpoint-ip-addresses/{id}"
                        )))
                        .map(|f| {
                            arr(f, "IpAddresses")
                                .iter()
                                .map(|a| {
                                    (
                                        ip(s(a, "Ip")),
                                        s(a, "SubnetId").into(),
                                        s(a, "Status").into(),
                                    )
                                })
                                .collect()
                        });
                    w.resolver_endpoints.push(ResolverEndpoint {
                        id,
                        direction: s(e, "Direction").into(),
                        vpc: s(e, "HostVPCId").into(),
                        status: s(e, "Status").into(),
                        sgs: strs(e, "SecurityGroupIds"),
                        count: e["IpAddressCount"].as_i64().unwrap_or(-1),
                        ips,
                    });
                }
            }
            if let Some(d) = doc("route53resolver/list-resolver-rules") {
                for r in arr(d, "ResolverRules") {
                    w.resolver_rules.insert(
                        s(r, "Id").into(),
                        (
                            s(r, "DomainName").to_ascii_lowercase(),
                            s(r, "RuleType").into(),
                            s(r, "Status").into(),
                        ),
                    );
                }
            }
            if let Some(d) = doc("route53resolver/list-resolver-rule-associations") {
                for a in arr(d, "ResolverRuleAssociations") {
                    w.rule_assocs.push((
                        s(a, "ResolverRuleId").into(),
                        s(a, "VPCId").into(),
                        s(a, "Status").into(),
                    ));
                }
            }
            if let Some(d) = doc("ec2/describe-dhcp-options") {
                w.dhcp_files.push(format!("{acct}/{region}"));
                for o in arr(d, "DhcpOptions") {
                    let servers = arr(o, "DhcpConfigurations")
                        .iter()
                        .filter(|c| s(c, "Key") == "domain-name-servers")
                        .flat_map(|c| arr(c, "Values"))
                        .map(|v| s(v, "Value").to_string())
                        .collect();
                    w.dhcp.insert(s(o, "DhcpOptionsId").into(), servers);
                }
            }
            for (name, _) in w.vpcs.iter().filter(|(_, v)| v.account == *acct) {
                let attr = |a: &str| {
                    snap.doc(&rel(&format!("ec2/describe-vpc-attribute/{name}-{a}")))
                        .map(|d| {
                            let key = format!("{}{}", a[..1].to_ascii_uppercase(), &a[1..]);
                            d[key.as_str()]["Value"] == true
                        })
                };
                let pair = (attr("enableDnsSupport"), attr("enableDnsHostnames"));
                w.dns_attrs.insert(name.clone(), pair);
            }
            for ty in ["iot-data-ats", "iot-credentialprovider", "iot-jobs"] {
                if let Some(d) = doc(&format!("iot/describe-endpoint/{ty}")) {
                    w.iot_endpoints.insert(
                        (acct.clone(), ty.to_string()),
                        s(d, "endpointAddress").to_ascii_lowercase(),
                    );
                }
            }
            if let Some(d) = doc("iot/list-policies") {
                for p in arr(d, "policies") {
                    let name = s(p, "policyName").to_string();
                    if let Some(g) = doc(&format!("iot/get-policy/{name}")) {
                        w.policies.push(Policy {
                            account: acct.clone(),
                            name,
                            doc: s(g, "policyDocument").into(),
                        });
                    }
                }
            }
        }
        // Route 53 is global: one set of files per account.
        let accounts: Vec<String> = {
            let mut a: Vec<String> = targets.iter().map(|t| t.0.clone()).collect();
            a.dedup();
            a
        };
        for acct in accounts {
            let Some(list) = snap.doc(&format!("{acct}/global/route53/list-hosted-zones.json"))
            else {
                continue;
            };
            for z in arr(list, "HostedZones") {
                let id = s(z, "Id").trim_start_matches("/hostedzone/").to_string();
                let get = snap.doc(&format!("{acct}/global/route53/get-hosted-zone/{id}.json"));
                let vpcs = get
                    .map(|g| {
                        arr(g, "VPCs")
                            .iter()
                            .map(|v| (s(v, "VPCId").to_string(), s(v, "VPCRegion").to_string()))
                            .collect()
                    })
                    .unwrap_or_default();
                let records = snap
                    .doc(&format!(
                        "{acct}/global/route53/list-resource-record-sets/{id}.json"
                    ))
                    .map(|r| arr(r, "ResourceRecordSets").iter().map(record).collect())
                    .unwrap_or_default();
                w.zones.push(Zone {
                    id,
                    name: fqdn(s(z, "Name")),
                    private: z["Config"]["PrivateZone"] == true,
                    vpcs,
                    records,
                });
            }
        }
        w
    }

    pub fn subnet_vpc(&self, subnet: &str) -> Option<&str> {
        self.subnets.get(subnet).map(|s| s.vpc.as_str())
    }
}

/// Lower case with exactly one trailing dot (Route 53 names are case-insensitive).
pub fn fqdn(name: &str) -> String {
    let mut n = name.to_ascii_lowercase();
    // Route 53 shows `*` in record names as the octal escape \052.
    n = n.replace("\\052", "*");
    if !n.ends_with('.') {
        n.push('.');
    }
    n
}

fn route(r: &Value) -> Route {
    let dest = if let Some(n) = Net::parse(s(r, "DestinationCidrBlock")) {
        Dest::V4(n)
    } else if !s(r, "DestinationPrefixListId").is_empty() {
        Dest::PrefixList(s(r, "DestinationPrefixListId").into())
    } else {
        Dest::Other
    };
    // Route targets of the EC2 `Route` shape; anything else is not a destination or state field
    // and is ignored (AWS adds fields over time).
    const NOT_TARGET: [&str; 6] = [
        "DestinationCidrBlock",
        "DestinationIpv6CidrBlock",
        "DestinationPrefixListId",
        "Origin",
        "State",
        "InstanceOwnerId",
    ];
    const TARGETS: [&str; 11] = [
        "GatewayId",
        "NatGatewayId",
        "TransitGatewayId",
        "VpcPeeringConnectionId",
        "NetworkInterfaceId",
        "InstanceId",
        "EgressOnlyInternetGatewayId",
        "LocalGatewayId",
        "CarrierGatewayId",
        "CoreNetworkArn",
        "OdbNetworkArn",
    ];
    let obj = r.as_object().cloned().unwrap_or_default();
    let known: Vec<&str> = TARGETS
        .iter()
        .copied()
        .filter(|k| obj.contains_key(*k))
        .collect();
    let others: Vec<&String> = obj
        .keys()
        .filter(|k| !NOT_TARGET.contains(&k.as_str()) && !TARGETS.contains(&k.as_str()))
        .collect();
    let target = match known.as_slice() {
        ["GatewayId"] => match s(r, "GatewayId") {
            "local" => Target::Local,
            g if g.starts_with("igw-") => Target::Igw(g.into()),
            g if g.starts_with("vgw-") => Target::Vgw(g.into()),
            g if g.starts_with("vpce-") => Target::Vpce(g.into()),
            g => Target::Other(format!("GatewayId {g}")),
        },
        ["NatGatewayId"] => Target::Nat(s(r, "NatGatewayId").into()),
        ["TransitGatewayId"] => Target::Tgw(s(r, "TransitGatewayId").into()),
        ["VpcPeeringConnectionId"] => Target::Pcx(s(r, "VpcPeeringConnectionId").into()),
        ["NetworkInterfaceId"] | ["NetworkInterfaceId", "InstanceId"] => {
            Target::Eni(s(r, "NetworkInterfaceId").into())
        }
        ["InstanceId"] => Target::Other(format!("instance {}", s(r, "InstanceId"))),
        [one] => Target::Other(format!("{one} {}", r[*one])),
        [] => Target::Other(format!("no known target field (fields {others:?})")),
        many => Target::Other(format!("several targets {many:?}")),
    };
    Route {
        dest,
        target,
        state: s(r, "State").into(),
        origin: s(r, "Origin").into(),
    }
}

fn perm(p: &Value) -> Perm {
    Perm {
        proto: s(p, "IpProtocol").to_ascii_lowercase(),
        from: p["FromPort"].as_i64(),
        to: p["ToPort"].as_i64(),
        cidrs: arr(p, "IpRanges")
            .iter()
            .filter_map(|r| Net::parse(s(r, "CidrIp")))
            .collect(),
        group_refs: arr(p, "UserIdGroupPairs").len(),
        prefix_lists: arr(p, "PrefixListIds")
            .iter()
            .map(|x| s(x, "PrefixListId").to_string())
            .collect(),
    }
}

fn entry(e: &Value) -> Entry {
    let ports = e.get("PortRange").map(|p| {
        (
            p["From"].as_u64().unwrap_or(0) as u32,
            p["To"].as_u64().unwrap_or(65535) as u32,
        )
    });
    Entry {
        number: e["RuleNumber"].as_i64().unwrap_or(i64::MAX),
        egress: e["Egress"] == true,
        allow: s(e, "RuleAction") == "allow",
        proto: s(e, "Protocol").into(),
        cidr: Net::parse(s(e, "CidrBlock")),
        ports,
    }
}

fn tgw_route(r: &Value) -> TgwRoute {
    TgwRoute {
        dest: Net::parse(s(r, "DestinationCidrBlock")),
        kind: s(r, "Type").into(),
        state: s(r, "State").into(),
        atts: arr(r, "TransitGatewayAttachments")
            .iter()
            .map(|a| s(a, "TransitGatewayAttachmentId").to_string())
            .collect(),
    }
}

fn record(r: &Value) -> Record {
    Record {
        name: fqdn(s(r, "Name")),
        kind: s(r, "Type").into(),
        alias: r
            .get("AliasTarget")
            .map(|a| (s(a, "HostedZoneId").to_string(), fqdn(s(a, "DNSName")))),
        values: arr(r, "ResourceRecords")
            .iter()
            .map(|v| s(v, "Value").to_string())
            .collect(),
    }
}

/// Every CIDR string in the snapshot (and every address, as a /32) is a prefix boundary.
fn collect_cuts(snap: &Snap, cuts: &mut Cuts) {
    fn walk(v: &Value, cuts: &mut Cuts) {
        match v {
            Value::String(t) => {
                if let Some(n) = Net::parse(t) {
                    cuts.add(n);
                } else if let Some(a) = ip(t) {
                    cuts.add(Net { addr: a, len: 32 });
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, cuts)),
            Value::Object(o) => o.values().for_each(|x| walk(x, cuts)),
            _ => {}
        }
    }
    for doc in snap.files.values() {
        walk(doc, cuts);
    }
}
