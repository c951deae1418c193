//! Mutant generators. Each walks the *base* snapshot and emits one mutant per resource and per
//! fault, so every route, association, rule, record, principal, target, policy statement and file
//! of the estate is covered, not a hand-picked sample. A mutant is one realistic change, with the
//! other files updated the way AWS would show them after the real API call (see each generator);
//! a change AWS cannot produce is marked `inconsistent` (pathproof may then exit 2).
use super::snap::Snap;
use serde_json::{json, Value};

mod dns;
mod dnsx;
mod evidence;
mod filters;
mod network;
mod policy;
mod safe;
mod service;
mod settings;
mod tgw;

pub type Apply = Box<dyn Fn(&mut Snap) + Send + Sync>;

pub struct Mutant {
    pub id: String,
    pub kind: &'static str,
    pub desc: String,
    /// AWS cannot produce this state: pathproof may reject it (exit 2) but must not pass it.
    pub inconsistent: bool,
    /// Start from this fixture instead of `reference`.
    pub seed: &'static str,
    pub apply: Apply,
}

pub struct Out(pub Vec<Mutant>);

impl Out {
    pub fn add(
        &mut self,
        kind: &'static str,
        id: impl Into<String>,
        desc: impl Into<String>,
        f: impl Fn(&mut Snap) + Send + Sync + 'static,
    ) {
        self.push(
            kind,
            id.into(),
            desc.into(),
            false,
            "reference",
            Box::new(f),
        );
    }
    pub fn bad(
        &mut self,
        kind: &'static str,
        id: impl Into<String>,
        desc: impl Into<String>,
        f: impl Fn(&mut Snap) + Send + Sync + 'static,
    ) {
        self.push(kind, id.into(), desc.into(), true, "reference", Box::new(f));
    }
    pub fn push(
        &mut self,
        kind: &'static str,
        id: String,
        desc: String,
        inconsistent: bool,
        seed: &'static str,
        apply: Apply,
    ) {
        assert!(
            !self.0.iter().any(|m| m.id == id),
            "duplicate mutant id {id}"
        );
        self.0.push(Mutant {
            id,
            kind,
            desc,
            inconsistent,
            seed,
            apply,
        });
    }
}

pub const KINDS: [&str; 17] = [
    "vpc-route",
    "rtb-assoc",
    "nacl-assoc",
    "sg-rule",
    "nacl-rule",
    "tgw",
    "dns",
    "endpoint-service",
    "interface-endpoint",
    "iot-policy",
    "evidence",
    "dns-settings",
    "vpn",
    "safe-reorder",
    "safe-extra-fields",
    "safe-unrelated",
    "dns-ext",
];

pub fn all(base: &Snap, vpn_seed: &Snap) -> Vec<Mutant> {
    let mut out = Out(Vec::new());
    let idx: Idx = std::sync::Arc::new(Index::of(base));
    network::routes(&idx, &mut out);
    network::route_table_associations(&idx, &mut out);
    filters::nacl_associations(&idx, &mut out);
    filters::security_groups(&idx, &mut out);
    filters::nacl_rules(&idx, &mut out);
    tgw::all(&idx, &mut out);
    dns::all(&idx, &mut out);
    dnsx::all(&idx, &mut out);
    service::endpoint_service(&idx, &mut out);
    service::interface_endpoints(&idx, &mut out);
    policy::all(&idx, &mut out);
    evidence::all(base, &mut out);
    settings::all(&idx, &mut out);
    settings::vpn(&std::sync::Arc::new(Index::of(vpn_seed)), &mut out);
    safe::all(base, &idx, &mut out);
    out.0
}

// ---------------------------------------------------------------------------------------------
// What the generators need to know about the base snapshot.

pub type Idx = std::sync::Arc<Index>;

pub const REGION: &str = "us-west-2";
pub const STRANGER: &str = "444444444444";

pub fn reg(acct: &str, op: &str) -> String {
    format!("{acct}/{REGION}/{op}.json")
}
pub fn glob(acct: &str, op: &str) -> String {
    format!("{acct}/global/route53/{op}.json")
}

#[derive(Clone)]
pub struct SubnetInfo {
    pub acct: String,
    pub id: String,
    pub vpc: String,
    pub cidr: String,
    pub az: String,
}

#[derive(Clone)]
pub struct VpcInfo {
    pub acct: String,
    pub id: String,
    pub cidr: String,
}

pub struct Index {
    pub snap: Snap,
    pub accounts: Vec<String>,
    pub vpcs: Vec<VpcInfo>,
    pub subnets: Vec<SubnetInfo>,
}

impl Index {
    pub fn of(snap: &Snap) -> Index {
        let mut accounts: Vec<String> = snap.files["manifest.json"]["targets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["account"].as_str().unwrap().to_string())
            .collect();
        accounts.dedup();
        let mut vpcs = Vec::new();
        let mut subnets = Vec::new();
        for a in &accounts {
            for v in items(snap, &reg(a, "ec2/describe-vpcs"), "Vpcs") {
                vpcs.push(VpcInfo {
                    acct: a.clone(),
                    id: str_of(&v, "VpcId"),
                    cidr: str_of(&v, "CidrBlock"),
                });
            }
            for s in items(snap, &reg(a, "ec2/describe-subnets"), "Subnets") {
                subnets.push(SubnetInfo {
                    acct: a.clone(),
                    id: str_of(&s, "SubnetId"),
                    vpc: str_of(&s, "VpcId"),
                    cidr: str_of(&s, "CidrBlock"),
                    az: str_of(&s, "AvailabilityZone"),
                });
            }
        }
        Index {
            snap: snap.clone(),
            accounts,
            vpcs,
            subnets,
        }
    }

    pub fn items(&self, acct: &str, op: &str, key: &str) -> Vec<Value> {
        items(&self.snap, &reg(acct, op), key)
    }

    pub fn vpc(&self, id: &str) -> VpcInfo {
        self.vpcs.iter().find(|v| v.id == id).unwrap().clone()
    }

    pub fn subnets_of(&self, vpc: &str) -> Vec<SubnetInfo> {
        self.subnets
            .iter()
            .filter(|s| s.vpc == vpc)
            .cloned()
            .collect()
    }

    /// The subnets of a VPC that are not Transit Gateway attachment subnets (where instances live).
    pub fn workload_subnets(&self, vpc: &str) -> Vec<SubnetInfo> {
        let mut tgw = Vec::new();
        for a in &self.accounts {
            for att in self.items(
                a,
                "ec2/describe-transit-gateway-vpc-attachments",
                "TransitGatewayVpcAttachments",
            ) {
                for s in att["SubnetIds"].as_array().unwrap() {
                    tgw.push(s.as_str().unwrap().to_string());
                }
            }
        }
        self.subnets_of(vpc)
            .into_iter()
            .filter(|s| !tgw.contains(&s.id))
            .collect()
    }

    pub fn default_sg(&self, vpc: &str) -> String {
        let acct = self.vpc(vpc).acct;
        self.items(&acct, "ec2/describe-security-groups", "SecurityGroups")
            .iter()
            .find(|g| g["VpcId"] == vpc && g["GroupName"] == "default")
            .map(|g| str_of(g, "GroupId"))
            .unwrap()
    }
}

/// A place in a snapshot (a closure from the snapshot to one JSON value), for mutants that edit it.
pub fn place<F>(f: F) -> F
where
    F: for<'a> Fn(&'a mut Snap) -> &'a mut Value + Clone,
{
    f
}

pub fn items(snap: &Snap, rel: &str, key: &str) -> Vec<Value> {
    snap.doc(rel)
        .and_then(|d| d[key].as_array().cloned())
        .unwrap_or_default()
}

pub fn str_of(v: &Value, k: &str) -> String {
    v[k].as_str().unwrap_or("").to_string()
}

/// A deterministic AWS-style hex id suffix (17 hex digits) from a seed.
pub fn hid(seed: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in seed.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("0{:016x}", h)
}

/// An unused address in a subnet for a new ENI (.150 in a /24, .12 in a /28).
pub fn free_ip(cidr: &str, nth: u32) -> String {
    let (base, len) = cidr.split_once('/').unwrap();
    let base: std::net::Ipv4Addr = base.parse().unwrap();
    let len: u32 = len.parse().unwrap();
    let off = if len <= 24 { 150 + nth } else { 12 - nth };
    std::net::Ipv4Addr::from(u32::from(base) + off).to_string()
}

/// First and second half of a CIDR (one bit longer).
pub fn halves(cidr: &str) -> (String, String) {
    let (base, len) = cidr.split_once('/').unwrap();
    let base = u32::from(base.parse::<std::net::Ipv4Addr>().unwrap());
    let len: u32 = len.parse().unwrap();
    let hi = base | (1u32 << (31 - len));
    (
        format!("{}/{}", std::net::Ipv4Addr::from(base), len + 1),
        format!("{}/{}", std::net::Ipv4Addr::from(hi), len + 1),
    )
}

// ---------------------------------------------------------------------------------------------
// AWS-shaped records (field names and order as the AWS CLI prints them, see fixtures/README.md).

/// A new ENI for `eni`.
pub struct NewEni<'a> {
    pub id: &'a str,
    pub subnet: &'a SubnetInfo,
    pub ip: &'a str,
    pub kind: &'a str,
    pub description: &'a str,
    pub groups: &'a [String],
    pub attachment: Value,
    pub requester: Option<&'a str>,
}

pub fn eni(n: NewEni) -> Value {
    let NewEni {
        id,
        subnet: s,
        ip,
        kind,
        description,
        groups,
        attachment,
        requester,
    } = n;
    let dns = format!("ip-{}.{REGION}.compute.internal", ip.replace('.', "-"));
    let mut e = json!({
        "Attachment": attachment,
        "AvailabilityZone": s.az,
        "Description": description,
        "Groups": groups.iter().map(|g| json!({"GroupId": g, "GroupName": g})).collect::<Vec<_>>(),
        "InterfaceType": kind,
        "Ipv6Addresses": [],
        "MacAddress": "06:00:00:00:00:01",
        "NetworkInterfaceId": id,
        "OwnerId": s.acct,
        "PrivateDnsName": dns,
        "PrivateIpAddress": ip,
        "PrivateIpAddresses": [{"Primary": true, "PrivateDnsName": dns, "PrivateIpAddress": ip}],
    });
    let o = e.as_object_mut().unwrap();
    if let Some(r) = requester {
        o.insert("RequesterId".into(), json!(r));
    }
    o.insert("RequesterManaged".into(), json!(requester.is_some()));
    o.insert("SourceDestCheck".into(), json!(kind != "interface"));
    o.insert("Status".into(), json!("in-use"));
    o.insert("SubnetId".into(), json!(s.id));
    o.insert("TagSet".into(), json!([]));
    o.insert("VpcId".into(), json!(s.vpc));
    o.insert("Ipv6Native".into(), json!(false));
    e
}

pub fn instance_attachment(instance: &str, owner: &str) -> Value {
    json!({
        "AttachTime": "2026-11-20T13:52:37+00:00",
        "AttachmentId": format!("eni-attach-{}", hid(instance)),
        "DeleteOnTermination": true,
        "DeviceIndex": 0,
        "InstanceId": instance,
        "InstanceOwnerId": owner,
        "Status": "attached",
    })
}

pub fn service_attachment(seed: &str) -> Value {
    json!({
        "AttachTime": "2026-11-20T13:52:37+00:00",
        "AttachmentId": format!("ela-attach-{}", hid(seed)),
        "DeleteOnTermination": false,
        "DeviceIndex": 1,
        "InstanceOwnerId": "amazon-aws",
        "Status": "attached",
    })
}

/// An appliance instance (firewall) with SourceDestCheck off in subnet `s`; returns
/// (ENI id, instance id) after adding its ENI.
pub fn add_appliance(snap: &mut Snap, idx: &Index, s: &SubnetInfo, seed: &str) -> (String, String) {
    let (e, i) = (
        format!("eni-{}", hid(seed)),
        format!("i-{}", hid(&format!("{seed}/i"))),
    );
    let mut rec = eni(NewEni {
        id: &e,
        subnet: s,
        ip: &free_ip(&s.cidr, 0),
        kind: "interface",
        description: "Primary network interface",
        groups: &[idx.default_sg(&s.vpc)],
        attachment: instance_attachment(&i, &s.acct),
        requester: None,
    });
    rec["SourceDestCheck"] = json!(false);
    snap.list(
        &reg(&s.acct, "ec2/describe-network-interfaces"),
        "NetworkInterfaces",
    )
    .push(rec);
    (e, i)
}

pub fn add_igw(snap: &mut Snap, acct: &str, vpc: &str, seed: &str) -> String {
    let id = format!("igw-{}", hid(seed));
    snap.list(
        &reg(acct, "ec2/describe-internet-gateways"),
        "InternetGateways",
    )
    .push(json!({
        "Attachments": [{"State": "available", "VpcId": vpc}],
        "InternetGatewayId": id,
        "OwnerId": acct,
        "Tags": [{"Key": "Name", "Value": "mutant-igw"}],
    }));
    id
}

/// A public NAT gateway (with its ENI) in subnet `s`.
pub fn add_nat(snap: &mut Snap, s: &SubnetInfo, seed: &str) -> String {
    let id = format!("nat-{}", hid(seed));
    let e = format!("eni-{}", hid(&format!("{seed}/eni")));
    let ip = free_ip(&s.cidr, 1);
    snap.list(&reg(&s.acct, "ec2/describe-nat-gateways"), "NatGateways")
        .push(json!({
            "CreateTime": "2026-11-20T15:02:44+00:00",
            "NatGatewayAddresses": [{
                "AllocationId": format!("eipalloc-{}", hid(seed)),
                "NetworkInterfaceId": e,
                "PrivateIp": ip,
                "PublicIp": "35.163.72.19",
                "AssociationId": format!("eipassoc-{}", hid(seed)),
                "IsPrimary": true,
                "Status": "succeeded",
            }],
            "NatGatewayId": id,
            "State": "available",
            "SubnetId": s.id,
            "VpcId": s.vpc,
            "Tags": [{"Key": "Name", "Value": "mutant-nat"}],
            "ConnectivityType": "public",
        }));
    let rec = eni(NewEni {
        id: &e,
        subnet: s,
        ip: &ip,
        kind: "nat_gateway",
        description: &format!("Interface for NAT Gateway {id}"),
        groups: &[],
        attachment: service_attachment(&e),
        requester: Some("AROAEXAMPLENATGW0001:mutant"),
    });
    snap.list(
        &reg(&s.acct, "ec2/describe-network-interfaces"),
        "NetworkInterfaces",
    )
    .push(rec);
    id
}

/// An active peering connection from `vpc` to a VPC of an account outside the snapshot.
pub fn add_peering(snap: &mut Snap, v: &VpcInfo, peer_cidr: &str, seed: &str) -> String {
    let id = format!("pcx-{}", hid(seed));
    let info = |acct: &str, vpc: &str, cidr: &str| {
        json!({
            "CidrBlock": cidr,
            "CidrBlockSet": [{"CidrBlock": cidr}],
            "OwnerId": acct,
            "PeeringOptions": {"AllowDnsResolutionFromRemoteVpc": false,
                "AllowEgressFromLocalClassicLinkToRemoteVpc": false,
                "AllowEgressFromLocalVpcToRemoteClassicLink": false},
            "VpcId": vpc,
            "Region": REGION,
        })
    };
    snap.list(
        &reg(&v.acct, "ec2/describe-vpc-peering-connections"),
        "VpcPeeringConnections",
    )
    .push(json!({
        "AccepterVpcInfo": info(STRANGER, "vpc-0ddd00000000000d9", peer_cidr),
        "RequesterVpcInfo": info(&v.acct, &v.id, &v.cidr),
        "Status": {"Code": "active", "Message": "Active"},
        "Tags": [],
        "VpcPeeringConnectionId": id,
    }));
    id
}

/// A Gateway Load Balancer endpoint (and its ENI) in subnet `s`.
pub fn add_gwlbe(snap: &mut Snap, s: &SubnetInfo, seed: &str) -> String {
    let id = format!("vpce-{}", hid(seed));
    let e = format!("eni-{}", hid(&format!("{seed}/eni")));
    let svc = format!(
        "com.amazonaws.vpce.{REGION}.vpce-svc-{}",
        hid(&format!("{seed}/svc"))
    );
    snap.list(&reg(&s.acct, "ec2/describe-vpc-endpoints"), "VpcEndpoints")
        .push(json!({
            "VpcEndpointId": id,
            "VpcEndpointType": "GatewayLoadBalancer",
            "VpcId": s.vpc,
            "ServiceName": svc,
            "State": "available",
            "RouteTableIds": [],
            "SubnetIds": [s.id],
            "Groups": [],
            "IpAddressType": "ipv4",
            "RequesterManaged": false,
            "NetworkInterfaceIds": [e],
            "DnsEntries": [],
            "CreationTimestamp": "2026-11-20T15:02:44.000000+00:00",
            "Tags": [],
            "OwnerId": s.acct,
        }));
    let rec = eni(NewEni {
        id: &e,
        subnet: s,
        ip: &free_ip(&s.cidr, 2),
        kind: "gateway_load_balancer_endpoint",
        description: &format!("VPC Endpoint Interface {id}"),
        groups: &[],
        attachment: service_attachment(&e),
        requester: Some("AROAEXAMPLEVPCENDPT01:mutant"),
    });
    snap.list(
        &reg(&s.acct, "ec2/describe-network-interfaces"),
        "NetworkInterfaces",
    )
    .push(rec);
    id
}

pub fn add_vgw(snap: &mut Snap, acct: &str, vpc: &str, seed: &str) -> String {
    let id = format!("vgw-{}", hid(seed));
    snap.list(&reg(acct, "ec2/describe-vpn-gateways"), "VpnGateways")
        .push(json!({
            "State": "available",
            "Type": "ipsec.1",
            "VpcAttachments": [{"State": "attached", "VpcId": vpc}],
            "VpnGatewayId": id,
            "AmazonSideAsn": 64512,
            "Tags": [],
        }));
    id
}

/// A new custom network ACL of `vpc` with `entries` (AWS creates one with only the `*` deny rules).
pub fn add_nacl(snap: &mut Snap, acct: &str, vpc: &str, seed: &str, entries: Vec<Value>) -> String {
    let id = format!("acl-{}", hid(seed));
    snap.list(&reg(acct, "ec2/describe-network-acls"), "NetworkAcls")
        .push(json!({
            "Associations": [],
            "Entries": entries,
            "IsDefault": false,
            "NetworkAclId": id,
            "Tags": [{"Key": "Name", "Value": "mutant-acl"}],
            "VpcId": vpc,
            "OwnerId": acct,
        }));
    id
}

pub fn nacl_entry(
    number: i64,
    egress: bool,
    action: &str,
    cidr: &str,
    proto: &str,
    ports: Option<(u32, u32)>,
) -> Value {
    let mut e = json!({"CidrBlock": cidr, "Egress": egress, "Protocol": proto});
    if let Some((a, b)) = ports {
        e["PortRange"] = json!({"From": a, "To": b});
    }
    if proto == "1" {
        e["IcmpTypeCode"] = json!({"Code": -1, "Type": -1});
    }
    e["RuleAction"] = json!(action);
    e["RuleNumber"] = json!(number);
    e
}

/// Set a route's target: drop every target field and put `target` in its place.
pub fn retarget(route: &mut Value, target: Value) {
    let dest = route["DestinationCidrBlock"].clone();
    let origin = route.get("Origin").cloned().unwrap_or(json!("CreateRoute"));
    let state = route.get("State").cloned().unwrap_or(json!("active"));
    let mut r = json!({"DestinationCidrBlock": dest});
    for (k, v) in target.as_object().unwrap() {
        r[k] = v.clone();
    }
    r["Origin"] = origin;
    r["State"] = state;
    *route = r;
}

/// Route 53 record-set count in list-hosted-zones and get-hosted-zone, after adding `delta`.
pub fn bump_record_count(snap: &mut Snap, acct: &str, zone: &str, delta: i64) {
    for z in snap.list(&glob(acct, "list-hosted-zones"), "HostedZones") {
        if z["Id"] == format!("/hostedzone/{zone}") {
            let n = z["ResourceRecordSetCount"].as_i64().unwrap();
            z["ResourceRecordSetCount"] = json!(n + delta);
        }
    }
    let g = snap.edit(&glob(acct, &format!("get-hosted-zone/{zone}")));
    let n = g["HostedZone"]["ResourceRecordSetCount"].as_i64().unwrap();
    g["HostedZone"]["ResourceRecordSetCount"] = json!(n + delta);
}
