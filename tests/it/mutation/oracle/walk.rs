//! Packet forwarding: VPC route tables, the Transit Gateway, and the network ACLs on the way.
//!
//! | rule | source |
//! |---|---|
//! | A subnet uses the route table explicitly associated with it, else the VPC's main route table | https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html ("Subnet route tables") |
//! | The most specific route that matches the destination wins (longest prefix); a CIDR route beats a prefix-list route of the same length; static beats propagated | https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html |
//! | The local route delivers inside the VPC; routes more specific than it (middlebox routing) send traffic to their target | https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html |
//! | A route whose target is gone is `blackhole`: traffic is dropped; no matching route drops the traffic | https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html ("Route table concepts") |
//! | An internet gateway or NAT gateway target leaves the private network | https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html, .../vpc-nat-gateway.html |
//! | Peering, appliances (ENI/instance), Gateway Load Balancer endpoints, VGWs and other targets forward to places this oracle does not model: unknown | (fail closed) |
//! | A TGW routes traffic from an attachment with the route table associated with that attachment; an attachment with no association has no route table: traffic is dropped | https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html, https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html |
//! | TGW route evaluation: most specific route; for the same prefix static beats propagated; a blackhole route drops | https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html ("Route evaluation order") |
//! | A propagated route exists only while its attachment propagates to the table | https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html ("Route propagation") |
//! | Only `available` attachments carry traffic | https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html |
//! | Traffic enters the TGW through the attachment ENI in the source's Availability Zone; traffic from the TGW enters a VPC through an attachment subnet and is then routed by that subnet's route table (any attachment subnet may be used: all are checked) | https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html ("Availability Zones") |
//! | NACLs with a TGW: instance→TGW is checked by the instance subnet's outbound rules (destination) and the TGW subnet's inbound rules (source); TGW→instance by the TGW subnet's outbound rules (destination) and the instance subnet's inbound rules (source); none when both are in the same subnet | https://docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html |
//! | Inside a VPC, traffic between two subnets is checked by the source subnet's outbound and the destination subnet's inbound NACL rules; traffic inside one subnet by neither | https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html |
use super::filters::nacl;
use super::net::{show, Net, Ports};
use super::world::{Dest, Route, Target, World};
use super::{Class, Problem};

#[derive(Clone, Debug)]
pub struct Flow {
    pub src: u32,
    pub dst: u32,
    pub proto: u8,
    pub ports: Ports,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arrival {
    /// Delivered to the ENI that owns the destination address.
    Eni(String),
    /// Delivered into this subnet (no ENI in the snapshot owns the address: an instance).
    Subnet(String),
    /// Sent to on-premises through this Direct Connect gateway or VPN attachment.
    OnPrem(String),
}

const MAX_HOPS: usize = 8;

pub fn route_table<'w>(w: &'w World, subnet: &str) -> Result<&'w super::world::Rtb, Problem> {
    let explicit: Vec<_> = w
        .rtbs
        .iter()
        .filter(|t| t.subnets.iter().any(|s| s == subnet))
        .collect();
    match explicit.as_slice() {
        [one] => return Ok(one),
        [] => {}
        _ => return Err(Problem::unknown(subnet, "several route table associations")),
    }
    let vpc = w
        .subnet_vpc(subnet)
        .ok_or_else(|| Problem::unknown(subnet, "subnet not in the snapshot"))?;
    let mains: Vec<_> = w.rtbs.iter().filter(|t| t.vpc == vpc && t.main).collect();
    match mains.as_slice() {
        [one] => Ok(one),
        [] => Err(Problem::unknown(vpc, "VPC without a main route table")),
        _ => Err(Problem::unknown(vpc, "VPC with several main route tables")),
    }
}

/// The route a VPC route table uses for `dst`.
fn lookup<'w>(w: &'w World, rtb: &'w super::world::Rtb, dst: u32) -> Result<&'w Route, Problem> {
    // (prefix length, CIDR over prefix list, static over propagated)
    let mut best: Vec<((u8, bool, bool), &Route)> = Vec::new();
    for r in &rtb.routes {
        let len = match &r.dest {
            Dest::V4(n) => n.contains(dst).then_some((n.len, true)),
            Dest::PrefixList(pl) => match w.prefix_lists.get(pl) {
                Some(nets) => nets
                    .iter()
                    .filter(|n| n.contains(dst))
                    .map(|n| (n.len, false))
                    .max(),
                None => {
                    return Err(Problem::unknown(
                        &rtb.id,
                        format!("route to prefix list {pl} whose entries are not in the snapshot"),
                    ))
                }
            },
            Dest::Other => None,
        };
        if let Some((len, cidr)) = len {
            let key = (len, cidr, r.origin != "EnableVgwRoutePropagation");
            best.push((key, r));
        }
    }
    let Some(top) = best.iter().map(|b| b.0).max() else {
        return Err(Problem::unsafe_(
            Class::NoPath,
            &rtb.id,
            format!("no route for {}", show(dst)),
        ));
    };
    let winners: Vec<&Route> = best.iter().filter(|b| b.0 == top).map(|b| b.1).collect();
    match winners.as_slice() {
        [one] => Ok(one),
        _ => Err(Problem::unknown(
            &rtb.id,
            format!("several routes of equal priority for {}", show(dst)),
        )),
    }
}

/// Forward a packet that starts in (or was just delivered into) `subnet`.
pub fn from_subnet(
    w: &World,
    subnet: &str,
    flow: &Flow,
    from_tgw: bool,
    hops: usize,
) -> Result<Vec<Arrival>, Problem> {
    if hops > MAX_HOPS {
        return Err(Problem::unknown(subnet, "forwarding loop"));
    }
    let vpc_id = w
        .subnet_vpc(subnet)
        .ok_or_else(|| Problem::unknown(subnet, "subnet not in the snapshot"))?;
    let vpc = &w.vpcs[vpc_id];
    let rtb = route_table(w, subnet)?;
    let r = lookup(w, rtb, flow.dst)?;
    match r.state.as_str() {
        "active" => {}
        "blackhole" => {
            return Err(Problem::unsafe_(
                Class::NoPath,
                &rtb.id,
                format!("blackhole route for {}", show(flow.dst)),
            ))
        }
        other => return Err(Problem::unknown(&rtb.id, format!("route state {other}"))),
    }
    match &r.target {
        Target::Local => {
            if !vpc.cidrs.iter().any(|c| c.contains(flow.dst)) {
                return Err(Problem::unknown(
                    &rtb.id,
                    "local route outside the VPC CIDR",
                ));
            }
            let dst_subnet = w
                .subnets
                .iter()
                .find(|(_, s)| s.vpc == vpc_id && s.cidr.is_some_and(|c| c.contains(flow.dst)))
                .map(|(id, _)| id.clone())
                .ok_or_else(|| {
                    Problem::unsafe_(
                        Class::NoPath,
                        vpc_id,
                        format!("no subnet holds {}", show(flow.dst)),
                    )
                })?;
            if dst_subnet != subnet {
                nacl(w, subnet, true, flow.dst, flow.proto, &flow.ports)?;
                nacl(w, &dst_subnet, false, flow.src, flow.proto, &flow.ports)?;
            }
            let eni = w
                .enis
                .values()
                .find(|e| e.vpc == vpc_id && e.ips.contains(&flow.dst));
            Ok(vec![match eni {
                Some(e) => Arrival::Eni(e.id.clone()),
                None => Arrival::Subnet(dst_subnet),
            }])
        }
        Target::Tgw(tgw) => {
            if from_tgw {
                return Err(Problem::unknown(
                    &rtb.id,
                    "traffic from the transit gateway is routed back to it",
                ));
            }
            let att = w
                .vpc_attachments
                .values()
                .find(|a| a.tgw == *tgw && a.vpc == vpc_id)
                .ok_or_else(|| {
                    Problem::unknown(
                        &rtb.id,
                        format!("active route to {tgw}, but no attachment of {vpc_id}"),
                    )
                })?;
            if att.state != "available" {
                return Err(Problem::unsafe_(
                    Class::NoPath,
                    &att.id,
                    format!("attachment is {}", att.state),
                ));
            }
            let az = &w.subnets[subnet].az;
            let entries: Vec<&String> = att
                .subnets
                .iter()
                .filter(|s| w.subnets.get(*s).is_some_and(|x| x.az == *az))
                .collect();
            if entries.is_empty() {
                // "Resources in an Availability Zone where there is no transit gateway
                // attachment cannot reach the transit gateway" (how-transit-gateways-work).
                return Err(Problem::unsafe_(
                    Class::NoPath,
                    &att.id,
                    format!("no attachment subnet in the Availability Zone of {subnet}"),
                ));
            }
            for e in entries {
                nacl(w, subnet, true, flow.dst, flow.proto, &flow.ports)?;
                nacl(w, e, false, flow.src, flow.proto, &flow.ports)?;
            }
            at_tgw(w, &att.id, flow, hops + 1)
        }
        Target::Igw(g) => Err(Problem::unsafe_(
            Class::Internet,
            g,
            format!(
                "{} routes {} to an internet gateway",
                rtb.id,
                show(flow.dst)
            ),
        )),
        Target::Nat(n) => Err(Problem::unsafe_(
            Class::Nat,
            n,
            format!("{} routes {} to a NAT gateway", rtb.id, show(flow.dst)),
        )),
        Target::Vpce(v) => match w.vpces.get(v) {
            Some(e) if e.kind == "Gateway" => Err(Problem::unsafe_(
                Class::NoPath,
                &rtb.id,
                format!(
                    "{} matches the prefix list of gateway endpoint {v}",
                    show(flow.dst)
                ),
            )),
            _ => Err(Problem::unknown(
                &rtb.id,
                format!("route to endpoint {v} (appliance)"),
            )),
        },
        Target::Pcx(p) => Err(Problem::unknown(
            &rtb.id,
            format!("route to peering connection {p}"),
        )),
        Target::Eni(e) => Err(Problem::unknown(&rtb.id, format!("route to appliance {e}"))),
        Target::Vgw(g) => Err(Problem::unknown(
            &rtb.id,
            format!("route to virtual private gateway {g}"),
        )),
        Target::Other(what) => Err(Problem::unknown(
            &rtb.id,
            format!("route target not modelled: {what}"),
        )),
    }
}

/// The association of an attachment, as both the attachment and the route table files show it.
pub fn association<'w>(
    w: &'w World,
    att: &str,
) -> Result<Option<&'w super::world::TgwRtb>, Problem> {
    let by_file: Vec<&super::world::TgwRtb> = w
        .tgw_rtbs
        .values()
        .filter(|t| {
            t.assocs
                .as_ref()
                .is_some_and(|a| a.iter().any(|(id, st)| id == att && st == "associated"))
        })
        .collect();
    let by_att = w.attachments.get(att).and_then(|a| a.assoc.clone());
    match (by_file.as_slice(), by_att) {
        ([], None) => Ok(None),
        ([t], Some((id, st))) if t.id == id && st == "associated" => Ok(Some(t)),
        _ => Err(Problem::unknown(
            att,
            "the attachment and the route table association files disagree",
        )),
    }
}

/// Route a packet that entered the TGW through attachment `att_in`.
pub fn at_tgw(w: &World, att_in: &str, flow: &Flow, hops: usize) -> Result<Vec<Arrival>, Problem> {
    if hops > MAX_HOPS {
        return Err(Problem::unknown(att_in, "forwarding loop"));
    }
    let Some(rtb) = association(w, att_in)? else {
        return Err(Problem::unsafe_(
            Class::NoPath,
            att_in,
            "attachment not associated with a TGW route table: traffic is dropped",
        ));
    };
    if rtb.state != "available" {
        return Err(Problem::unknown(
            &rtb.id,
            format!("route table {}", rtb.state),
        ));
    }
    let matching: Vec<_> = rtb
        .routes
        .iter()
        .filter(|r| r.dest.is_some_and(|d: Net| d.contains(flow.dst)))
        .collect();
    let Some(len) = matching
        .iter()
        .filter(|r| matches!(r.state.as_str(), "active" | "blackhole"))
        .map(|r| r.dest.unwrap().len)
        .max()
    else {
        if matching.is_empty() {
            return Err(Problem::unsafe_(
                Class::NoPath,
                &rtb.id,
                format!("no TGW route for {}", show(flow.dst)),
            ));
        }
        return Err(Problem::unknown(
            &rtb.id,
            "only pending/deleting routes match",
        ));
    };
    if matching.iter().any(|r| {
        r.dest.unwrap().len > len
            || (r.dest.unwrap().len == len && !matches!(r.state.as_str(), "active" | "blackhole"))
    }) {
        return Err(Problem::unknown(
            &rtb.id,
            "a pending/deleting route is as specific",
        ));
    }
    let top: Vec<_> = matching
        .iter()
        .filter(|r| r.dest.unwrap().len == len)
        .collect();
    let chosen: Vec<_> = if top.iter().any(|r| r.kind == "static") {
        top.into_iter().filter(|r| r.kind == "static").collect()
    } else {
        top
    };
    let mut arrivals = Vec::new();
    for r in chosen {
        if r.state == "blackhole" {
            return Err(Problem::unsafe_(
                Class::NoPath,
                &rtb.id,
                format!(
                    "blackhole TGW route {} for {}",
                    r.dest.unwrap(),
                    show(flow.dst)
                ),
            ));
        }
        if r.atts.is_empty() {
            return Err(Problem::unknown(
                &rtb.id,
                "active TGW route without attachments",
            ));
        }
        for att_out in &r.atts {
            if r.kind == "propagated" {
                let propagates = rtb
                    .props
                    .as_ref()
                    .is_some_and(|p| p.iter().any(|(id, st)| id == att_out && st == "enabled"));
                if !propagates {
                    return Err(Problem::unknown(
                        &rtb.id,
                        format!(
                            "propagated route to {att_out}, which does not propagate to the table"
                        ),
                    ));
                }
            }
            let att = w.attachments.get(att_out).ok_or_else(|| {
                Problem::unknown(&rtb.id, format!("route to {att_out}, not in the snapshot"))
            })?;
            if att.state != "available" {
                return Err(Problem::unsafe_(
                    Class::NoPath,
                    att_out,
                    format!("attachment is {}", att.state),
                ));
            }
            match att.kind.as_str() {
                "vpc" => {
                    let va = w.vpc_attachments.get(att_out).ok_or_else(|| {
                        Problem::unknown(att_out, "VPC attachment details not in the snapshot")
                    })?;
                    if va.state != "available" {
                        return Err(Problem::unsafe_(
                            Class::NoPath,
                            att_out,
                            format!("VPC attachment is {}", va.state),
                        ));
                    }
                    for x in &va.subnets {
                        arrivals.extend(from_subnet(w, x, flow, true, hops + 1)?);
                    }
                }
                "direct-connect-gateway" | "vpn" => arrivals.push(Arrival::OnPrem(att_out.clone())),
                other => {
                    return Err(Problem::unknown(
                        att_out,
                        format!("{other} attachment not modelled"),
                    ))
                }
            }
        }
    }
    Ok(arrivals)
}
