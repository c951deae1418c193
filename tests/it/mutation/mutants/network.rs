//! VPC routes and route table associations.
use super::*;

const KIND: &str = "vpc-route";

/// Every route of every route table: retargeted, removed, blackholed, or shadowed by a more
/// specific route to a bad target; every local route shadowed per subnet (middlebox routing).
pub fn routes(idx: &Idx, out: &mut Out) {
    for acct in idx.accounts.clone() {
        for t in idx.items(&acct, "ec2/describe-route-tables", "RouteTables") {
            let rtb = str_of(&t, "RouteTableId");
            let vpc = idx.vpc(&str_of(&t, "VpcId"));
            let work = idx.workload_subnets(&vpc.id);
            let host = work
                .first()
                .cloned()
                .unwrap_or_else(|| idx.subnets_of(&vpc.id)[0].clone());
            let file = reg(&acct, "ec2/describe-route-tables");
            for (i, r) in t["Routes"].as_array().unwrap().iter().enumerate() {
                let dest = str_of(r, "DestinationCidrBlock");
                let at = format!("{rtb}:{dest}");
                let route = {
                    let (file, rtb) = (file.clone(), rtb.clone());
                    place(move |s: &mut Snap| {
                        &mut s.item(&file, "RouteTables", "RouteTableId", &rtb)["Routes"][i]
                    })
                };
                if r["GatewayId"] == "local" {
                    let (f, r) = (file.clone(), rtb.clone());
                    out.bad(
                        KIND,
                        format!("route:{at}:removed"),
                        format!("local route {dest} of {rtb} removed (AWS cannot delete it)"),
                        move |s| {
                            s.item(&f, "RouteTables", "RouteTableId", &r)["Routes"]
                                .as_array_mut()
                                .unwrap()
                                .remove(i);
                        },
                    );
                    for sub in idx.subnets_of(&vpc.id) {
                        let appliance_home = work
                            .iter()
                            .find(|w| w.id != sub.id)
                            .cloned()
                            .unwrap_or(host.clone());
                        let (idx2, f2, rtb2) = (idx.clone(), file.clone(), rtb.clone());
                        out.add(
                            KIND,
                            format!("route:{at}:shadow-subnet:{}:appliance", sub.id),
                            format!("{rtb}: {} (subnet {}) → appliance ENI, more specific than the local route", sub.cidr, sub.id),
                            move |s| {
                                let (e, inst) = add_appliance(s, &idx2, &appliance_home, &format!("{rtb2}/{}", sub.id));
                                s.item(&f2, "RouteTables", "RouteTableId", &rtb2)["Routes"]
                                    .as_array_mut()
                                    .unwrap()
                                    .push(json!({"DestinationCidrBlock": sub.cidr, "InstanceId": inst,
                                        "InstanceOwnerId": sub.acct, "NetworkInterfaceId": e,
                                        "Origin": "CreateRoute", "State": "active"}));
                            },
                        );
                    }
                    continue;
                }
                let seed = at.clone();
                // Retargets: the new target exists, as AWS requires before a route can name it.
                let targets: Vec<(&str, String)> = vec![
                    ("igw", "internet gateway attached to the VPC".into()),
                    ("nat", format!("public NAT gateway in {}", host.id)),
                    (
                        "pcx",
                        "active peering connection to a VPC of another account".into(),
                    ),
                    ("appliance", format!("firewall instance ENI in {}", host.id)),
                    (
                        "gwlbe",
                        format!("Gateway Load Balancer endpoint in {}", host.id),
                    ),
                    ("vgw", "virtual private gateway attached to the VPC".into()),
                    ("cloudwan", "Cloud WAN core network (CoreNetworkArn)".into()),
                    ("carrier", "carrier gateway (CarrierGatewayId)".into()),
                    (
                        "unknown-field",
                        "a target field AWS may add later (ZetaGatewayId)".into(),
                    ),
                ];
                for (name, what) in targets {
                    let (rt, vpc, host, idx2, seed, dest) = (
                        route.clone(),
                        vpc.clone(),
                        host.clone(),
                        idx.clone(),
                        seed.clone(),
                        dest.clone(),
                    );
                    let name_s = name.to_string();
                    let desc = format!("{rtb}: {dest} retargeted to a {what}");
                    out.add(KIND, format!("route:{at}:to-{name}"), desc, move |s| {
                        let target = bad_target(s, &idx2, &name_s, &vpc, &host, &dest, &seed);
                        retarget(rt(s), target);
                    });
                }
                let (f, r) = (file.clone(), rtb.clone());
                out.add(
                    KIND,
                    format!("route:{at}:removed"),
                    format!("{rtb}: route {dest} deleted"),
                    move |s| {
                        s.item(&f, "RouteTables", "RouteTableId", &r)["Routes"]
                            .as_array_mut()
                            .unwrap()
                            .remove(i);
                    },
                );
                let rt = route.clone();
                out.add(
                    KIND,
                    format!("route:{at}:blackhole"),
                    format!("{rtb}: route {dest} is blackhole (its target was deleted)"),
                    move |s| {
                        rt(s)["State"] = json!("blackhole");
                    },
                );
                let (narrow, _) = halves(&dest);
                for name in ["igw", "nat", "appliance"] {
                    let (vpc, host, idx2, seed, file, rtb, narrow) = (
                        vpc.clone(),
                        host.clone(),
                        idx.clone(),
                        format!("{seed}/shadow"),
                        file.clone(),
                        rtb.clone(),
                        narrow.clone(),
                    );
                    let name_s = name.to_string();
                    out.add(
                        KIND,
                        format!("route:{at}:shadow-{name}"),
                        format!("{rtb}: more specific {narrow} → {name} added next to {dest}"),
                        move |s| {
                            let target = bad_target(s, &idx2, &name_s, &vpc, &host, &narrow, &seed);
                            let mut r = json!({"DestinationCidrBlock": narrow});
                            retarget(&mut r, target);
                            s.item(&file, "RouteTables", "RouteTableId", &rtb)["Routes"]
                                .as_array_mut()
                                .unwrap()
                                .push(r);
                        },
                    );
                }
            }
        }
    }
}

/// Create the target resource and return the route's target fields.
fn bad_target(
    s: &mut Snap,
    idx: &Index,
    name: &str,
    vpc: &VpcInfo,
    host: &SubnetInfo,
    dest: &str,
    seed: &str,
) -> Value {
    match name {
        "igw" => json!({"GatewayId": add_igw(s, &vpc.acct, &vpc.id, seed)}),
        "nat" => json!({"NatGatewayId": add_nat(s, host, seed)}),
        "pcx" => {
            let peer = if dest == vpc.cidr || dest == "0.0.0.0/0" {
                "10.99.0.0/16"
            } else {
                dest
            };
            json!({"VpcPeeringConnectionId": add_peering(s, vpc, peer, seed)})
        }
        "appliance" => {
            let (e, i) = add_appliance(s, idx, host, seed);
            json!({"InstanceId": i, "InstanceOwnerId": vpc.acct, "NetworkInterfaceId": e})
        }
        "gwlbe" => json!({"GatewayId": add_gwlbe(s, host, seed)}),
        "vgw" => json!({"GatewayId": add_vgw(s, &vpc.acct, &vpc.id, seed)}),
        "cloudwan" => {
            json!({"CoreNetworkArn": format!("arn:aws:networkmanager::{}:core-network/core-network-{}", vpc.acct, hid(seed))})
        }
        "carrier" => json!({"CarrierGatewayId": format!("cagw-{}", hid(seed))}),
        "unknown-field" => json!({"ZetaGatewayId": format!("zgw-{}", hid(seed))}),
        _ => unreachable!(),
    }
}

/// Every explicit subnet association moved to each other route table of its VPC or removed (the
/// subnet falls back to the main table); every main association moved to each other table.
pub fn route_table_associations(idx: &Idx, out: &mut Out) {
    const KIND: &str = "rtb-assoc";
    for acct in idx.accounts.clone() {
        let file = reg(&acct, "ec2/describe-route-tables");
        let tables = idx.items(&acct, "ec2/describe-route-tables", "RouteTables");
        for t in &tables {
            let rtb = str_of(t, "RouteTableId");
            let vpc = str_of(t, "VpcId");
            let others: Vec<String> = tables
                .iter()
                .filter(|o| o["VpcId"] == vpc.as_str() && o["RouteTableId"] != rtb.as_str())
                .map(|o| str_of(o, "RouteTableId"))
                .collect();
            for a in t["Associations"].as_array().unwrap() {
                let assoc = str_of(a, "RouteTableAssociationId");
                let main = a["Main"] == true;
                let subnet = str_of(a, "SubnetId");
                let what = if main {
                    "main association".to_string()
                } else {
                    format!("association of {subnet}")
                };
                if !main {
                    let (f, r, id) = (file.clone(), rtb.clone(), assoc.clone());
                    out.add(
                        KIND,
                        format!("rtb-assoc:{rtb}:{subnet}:removed"),
                        format!("{rtb}: {what} removed (subnet uses the main table)"),
                        move |s| {
                            take_assoc(s, &f, &r, &id);
                        },
                    );
                }
                for o in &others {
                    let (f, r, id, o2, subnet2) = (
                        file.clone(),
                        rtb.clone(),
                        assoc.clone(),
                        o.clone(),
                        subnet.clone(),
                    );
                    let label = if main {
                        "main".to_string()
                    } else {
                        subnet.clone()
                    };
                    out.add(
                        KIND,
                        format!("rtb-assoc:{rtb}:{label}:moved-to:{o}"),
                        format!("{what} moved from {rtb} to {o}"),
                        move |s| {
                            let mut a = take_assoc(s, &f, &r, &id);
                            a["RouteTableId"] = json!(o2);
                            a["RouteTableAssociationId"] =
                                json!(format!("rtbassoc-{}", hid(&format!("{id}/{o2}"))));
                            if !main {
                                a["SubnetId"] = json!(subnet2);
                            }
                            s.item(&f, "RouteTables", "RouteTableId", &o2)["Associations"]
                                .as_array_mut()
                                .unwrap()
                                .push(a);
                        },
                    );
                }
            }
        }
    }
}

fn take_assoc(s: &mut Snap, file: &str, rtb: &str, id: &str) -> Value {
    let list = s.item(file, "RouteTables", "RouteTableId", rtb)["Associations"]
        .as_array_mut()
        .unwrap();
    let i = list
        .iter()
        .position(|a| a["RouteTableAssociationId"] == id)
        .unwrap();
    list.remove(i)
}
