//! Strict egress (`verify --strict-egress`, issue 11 item 5): for each device subnet and
//! on-premises range, no IPv4 destination address at all reaches an internet gateway, a NAT
//! gateway or an internet VPN.
//!
//! Exhaustive, not sampled: every routing and filtering decision of the walk depends on the
//! destination address only through prefix membership (longest-prefix match over VPC route
//! tables and managed prefix list entries, Transit Gateway routes, network ACL rule CIDRs,
//! subnet and VPC CIDRs, interface and endpoint addresses; VPC user guide "Route priority",
//! Transit Gateway guide "Route evaluation order", "Network ACL rules"). Every prefix and
//! address in the snapshot is a boundary; between two consecutive boundaries every address is
//! in exactly the same prefixes, so one walk per interval decides the whole interval
//! (an equivalence class). Classes with the same outcome and path are reported together as a
//! minimal set of CIDRs.
//!
//! A class leaks when a branch of its walk ends at an internet or egress-only internet gateway,
//! crosses a NAT gateway, or leaves through a VPN over the internet (a Transit Gateway VPN
//! attachment or a virtual private gateway whose VPN connection has public outside addresses).
//! The judgement is on routing: a network ACL or security group that drops some ports on the
//! way does not make the route private (it is listed with the class). A class whose walk cannot
//! be followed is unproven (PP016 naming the resource).
//!
//! IPv6 destinations are not split into classes. A subnet without an IPv6 CIDR has no IPv6
//! address to send from (VPC user guide, "IPv6 support for your VPC": IPv6 addresses come from
//! the subnet's IPv6 CIDR block), so it has no IPv6 egress. A device subnet with one is proven
//! only when its route table sends no IPv6 destination beyond the VPC (only `local` IPv6
//! routes, and prefix-list routes whose entries are all IPv4); otherwise it is unproven (PP016
//! naming the subnet and the route), never passed unexamined.
use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, Ipv4Addr};

use ipnet::{IpNet, Ipv4Net, Ipv4Subnets};
use serde::Serialize;

use super::findings::Findings;
use super::intent::{Intent, IotService, Role};
use super::scope::{source_subnets, OnpremEntry};
use super::transport::{
    attachment_kind, attachment_transport, vpn_transport, AttachmentKind, Transport,
};
use super::walk::{Branch, End, Flow, Src, Walker};
use crate::graph::Model;
use crate::snapshot::Snapshot;

/// More classes than this is not walked: the proof is unproven rather than slow.
pub const MAX_CLASSES: usize = 200_000;

/// Every boundary of the IPv4 space the snapshot's prefixes induce: the first address of each
/// prefix and the one after its last (as u64 so 2^32 fits). Always holds 0 and 2^32.
pub fn boundaries(snapshot: &Snapshot, extra: &[IpNet]) -> BTreeSet<u64> {
    let mut out = BTreeSet::from([0u64, 1u64 << 32]);
    let mut add = |n: Ipv4Net| {
        let n = n.trunc();
        out.insert(u64::from(u32::from(n.network())));
        out.insert(u64::from(u32::from(n.broadcast())) + 1);
    };
    for n in extra {
        if let IpNet::V4(n) = n {
            add(*n);
        }
    }
    let mut values = Vec::new();
    for r in &snapshot.regional {
        let parts = [
            serde_json::to_value(&r.vpcs),
            serde_json::to_value(&r.subnets),
            serde_json::to_value(&r.route_tables),
            serde_json::to_value(&r.prefix_lists),
            serde_json::to_value(&r.prefix_list_entries),
            serde_json::to_value(&r.tgw_routes),
            serde_json::to_value(&r.network_acls),
            serde_json::to_value(&r.network_interfaces),
            serde_json::to_value(&r.nat_gateways),
            serde_json::to_value(&r.vpc_endpoints),
            serde_json::to_value(&r.security_groups),
            serde_json::to_value(&r.load_balancers),
            serde_json::to_value(&r.resolver_endpoints),
            serde_json::to_value(&r.vpn_connections),
        ];
        values.extend(parts.into_iter().flatten());
    }
    let mut stack: Vec<&serde_json::Value> = values.iter().collect();
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::String(s) => {
                if let Ok(n) = s.parse::<Ipv4Net>() {
                    add(n);
                } else if let Ok(a) = s.parse::<Ipv4Addr>() {
                    add(Ipv4Net::from(a));
                }
            }
            serde_json::Value::Array(items) => stack.extend(items),
            serde_json::Value::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    out
}

/// The equivalence classes: consecutive boundaries as inclusive ranges.
pub fn classes(bounds: &BTreeSet<u64>) -> Vec<(u32, u32)> {
    let b: Vec<u64> = bounds.iter().copied().collect();
    b.windows(2)
        .map(|w| (w[0] as u32, (w[1] - 1) as u32))
        .collect()
}

/// The minimal CIDRs covering sorted, possibly adjacent inclusive ranges.
pub fn cidrs(ranges: &[(u32, u32)]) -> Vec<Ipv4Net> {
    let mut merged: Vec<(u32, u32)> = Vec::new();
    for &(a, b) in ranges {
        match merged.last_mut() {
            Some(last) if u64::from(last.1) + 1 == u64::from(a) => last.1 = b,
            _ => merged.push((a, b)),
        }
    }
    merged
        .into_iter()
        .flat_map(|(a, b)| Ipv4Subnets::new(Ipv4Addr::from(a), Ipv4Addr::from(b), 0))
        .collect()
}

/// One leaking (or unproven) set of destinations from one source.
#[derive(Debug, Clone, Serialize)]
pub struct LeakClass {
    /// The destinations, as a minimal set of CIDRs.
    pub cidrs: Vec<String>,
    /// Where it leaves: `internet gateway igw-…`, `NAT gateway nat-…`, `internet VPN vpn-…`.
    pub exits: Vec<String>,
    /// The hops of the first leaking branch.
    pub path: Vec<String>,
    /// Filters on the way that drop some of this traffic (rule and resource), for review.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub filtered_by: Vec<String>,
}

enum Outcome {
    Contained,
    Leak {
        exits: Vec<String>,
        path: Vec<String>,
        filtered: Vec<String>,
    },
    Unproven {
        resource: String,
        reason: String,
    },
}

fn judge(model: &Model<'_>, branches: &[Branch]) -> Outcome {
    let mut exits = BTreeSet::new();
    let mut path = Vec::new();
    let mut filtered = BTreeSet::new();
    let mut unproven = None;
    for b in branches {
        let mut here = Vec::new();
        for h in &b.hops {
            match h.kind {
                "nat-gateway" => here.push(format!("NAT gateway {}", h.id)),
                "vpn-gateway" => {
                    for vpn in model
                        .vpn_connections
                        .values()
                        .filter(|v| v.vpn_gateway_id.as_deref() == Some(h.id.as_str()))
                    {
                        if let Transport::Internet { resource, .. } =
                            vpn_transport(model, &vpn.vpn_connection_id)
                        {
                            here.push(format!("internet VPN {resource}"));
                        }
                    }
                }
                _ => {}
            }
        }
        match &b.end {
            End::InternetGateway { gateway } => here.push(format!("internet gateway {gateway}")),
            End::NoPath { resource, .. } => {
                let onprem = model
                    .tgw_attachments
                    .get(resource.as_str())
                    .is_some_and(|a| {
                        attachment_kind(&a.resource_type) == AttachmentKind::OnPremises
                    });
                if onprem {
                    if let Transport::Internet { resource, .. } =
                        attachment_transport(model, resource)
                    {
                        here.push(format!("internet VPN {resource}"));
                    }
                }
            }
            End::Unproven { resource, reason } if unproven.is_none() => {
                unproven = Some((resource.clone(), reason.clone()));
            }
            _ => {}
        }
        if !here.is_empty() {
            if path.is_empty() {
                path = b.hops.iter().map(|h| h.id.clone()).collect();
            }
            exits.extend(here);
            for i in &b.issues {
                if i.rule == "PP006" || i.rule == "PP007" {
                    filtered.insert(format!("{} {}", i.rule, i.resource));
                }
            }
        }
    }
    if !exits.is_empty() {
        return Outcome::Leak {
            exits: exits.into_iter().collect(),
            path,
            filtered: filtered.into_iter().collect(),
        };
    }
    match unproven {
        Some((resource, reason)) => Outcome::Unproven { resource, reason },
        None => Outcome::Contained,
    }
}

/// (exits, path, filtered_by) of a leaking class.
type LeakKey = (Vec<String>, Vec<String>, Vec<String>);

struct Source {
    id: String,
    label: String,
    start: Start,
}

enum Start {
    Subnet { id: String, net: IpNet },
    Attachment { id: String, net: IpNet },
}

/// Why IPv6 egress from `subnet` cannot be ruled out, if it cannot (module docs): the subnet
/// has an IPv6 CIDR and its route table has an IPv6 route beyond the VPC (or a prefix-list route
/// whose entries are unknown or IPv6), or no route table is known.
fn ipv6_egress_unproven(
    model: &Model<'_>,
    subnet: &crate::snapshot::records::Subnet,
) -> Option<String> {
    // Every IPv6 CIDR the subnet has or is getting (an `associating` one included: the proof
    // must not depend on when the snapshot was taken); `disassociated` and `failed` ones give
    // no address.
    let has_ipv6 = subnet.ipv6_cidr_block_association_set.iter().any(|a| {
        !matches!(
            a.ipv6_cidr_block_state
                .as_ref()
                .and_then(|s| s.state.as_deref()),
            Some("disassociated" | "failed")
        )
    });
    if !has_ipv6 {
        return None;
    }
    let Some(rt) = model.route_table_of_subnet(&subnet.subnet_id) else {
        return Some("its route table is not in the snapshot".into());
    };
    for r in &rt.routes {
        if let Some(dst) = &r.destination_ipv6_cidr_block {
            // The walker's own reading of the target (a record naming `local` and another
            // target is not the local route).
            if !matches!(crate::route::vpc_target(r), crate::route::VpcTarget::Local) {
                return Some(format!(
                    "route table {} sends {dst} beyond the VPC",
                    rt.route_table_id
                ));
            }
        }
        if let Some(pl) = &r.destination_prefix_list_id {
            let v4_only = model
                .prefix_list(pl)
                .is_some_and(|entries| entries.iter().all(|n| n.addr().is_ipv4()));
            if !v4_only {
                return Some(format!(
                    "route table {} routes prefix list {pl}, whose entries are not all IPv4 (or are not in the snapshot)",
                    rt.route_table_id
                ));
            }
        }
    }
    None
}

/// Run the strict egress proof, adding PP030 (leaks) and PP016 (classes that cannot be
/// followed) to `findings`.
pub(super) fn check(
    snapshot: &Snapshot,
    model: &Model<'_>,
    walker: &Walker<'_, '_>,
    intent: &Intent,
    entries: &[OnpremEntry],
    findings: &mut Findings,
) {
    let mut sources = Vec::new();
    for vpc in intent.vpcs_with(Role::Device) {
        for s in source_subnets(model, vpc) {
            if let Some(why) = ipv6_egress_unproven(model, s.item) {
                findings.add(
                    "PP016",
                    &s.subnet_id,
                    format!("strict egress from {} ({vpc}): IPv6 destinations are not covered by the proof, and {why}", s.subnet_id),
                    None,
                    serde_json::Value::Null,
                );
            }
            let Some(net) = s
                .cidr_block
                .as_deref()
                .and_then(|c| c.parse::<IpNet>().ok())
            else {
                continue; // IPv6-only: no IPv4 source; IPv6 checked above.
            };
            sources.push(Source {
                id: s.subnet_id.clone(),
                label: format!("{} ({vpc})", s.subnet_id),
                start: Start::Subnet {
                    id: s.subnet_id.clone(),
                    net: net.trunc(),
                },
            });
        }
    }
    for e in entries.iter().filter(|e| e.cidr.addr().is_ipv4()) {
        sources.push(Source {
            id: e.cidr.to_string(),
            label: format!("on-premises {} (via {})", e.cidr, e.attachment),
            start: Start::Attachment {
                id: e.attachment.clone(),
                net: e.cidr,
            },
        });
    }
    if sources.is_empty() {
        return;
    }
    let extra: Vec<IpNet> = intent.onprem_cidrs.clone();
    let bounds = boundaries(snapshot, &extra);
    let classes = classes(&bounds);
    if classes.len() > MAX_CLASSES {
        for s in &sources {
            findings.add(
                "PP016",
                &s.id,
                format!(
                    "strict egress from {}: the snapshot's prefixes split the IPv4 space into {} classes (more than {MAX_CLASSES}); not proven",
                    s.label,
                    classes.len()
                ),
                None,
                serde_json::Value::Null,
            );
        }
        return;
    }
    let flow = Flow::iot(IotService::Data, intent);
    for s in &sources {
        let mut leaks: BTreeMap<LeakKey, Vec<(u32, u32)>> = BTreeMap::new();
        let mut unknown: BTreeMap<(String, String), Vec<(u32, u32)>> = BTreeMap::new();
        for &(a, b) in &classes {
            let dst = IpAddr::V4(Ipv4Addr::from(a));
            let branches = match &s.start {
                Start::Subnet { id, net } => walker.from_subnet(
                    id,
                    Src {
                        nets: vec![*net],
                        groups: Vec::new(),
                        subnet: Some(id.clone()),
                    },
                    dst,
                    flow.clone(),
                ),
                Start::Attachment { id, net } => walker.from_attachment(
                    id,
                    Src {
                        nets: vec![*net],
                        groups: Vec::new(),
                        subnet: None,
                    },
                    dst,
                    flow.clone(),
                ),
            };
            match judge(model, &branches) {
                Outcome::Contained => {}
                Outcome::Leak {
                    exits,
                    path,
                    filtered,
                } => leaks
                    .entry((exits, path, filtered))
                    .or_default()
                    .push((a, b)),
                Outcome::Unproven { resource, reason } => {
                    unknown.entry((resource, reason)).or_default().push((a, b))
                }
            }
        }
        for ((exits, path, filtered), ranges) in leaks {
            let nets: Vec<String> = cidrs(&ranges).iter().map(Ipv4Net::to_string).collect();
            let shown = if nets.len() > 8 {
                format!("{} … ({} CIDRs)", nets[..8].join(", "), nets.len())
            } else {
                nets.join(", ")
            };
            let class = LeakClass {
                cidrs: nets.clone(),
                exits: exits.clone(),
                path: path.clone(),
                filtered_by: filtered,
            };
            findings.add(
                "PP030",
                &s.id,
                format!(
                    "strict egress: from {} destinations {shown} leave through {} (path {})",
                    s.label,
                    exits.join(", "),
                    path.join(" → ")
                ),
                None,
                serde_json::to_value(&class).unwrap_or_default(),
            );
        }
        for ((resource, reason), ranges) in unknown {
            let nets: Vec<String> = cidrs(&ranges).iter().map(Ipv4Net::to_string).collect();
            findings.add(
                "PP016",
                &resource,
                format!(
                    "strict egress from {}: destinations {} cannot be followed past {resource}: {reason}",
                    s.label,
                    nets.join(", ")
                ),
                None,
                serde_json::json!({ "strict_egress": { "source": s.id, "cidrs": nets } }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_cover_the_space_and_cidrs_are_minimal() {
        let mut b = BTreeSet::from([0u64, 1u64 << 32]);
        for n in [
            "10.0.0.0/8",
            "10.1.0.0/16",
            "0.0.0.0/0",
            "255.255.255.255/32",
        ] {
            let n: Ipv4Net = n.parse().unwrap();
            b.insert(u64::from(u32::from(n.network())));
            b.insert(u64::from(u32::from(n.broadcast())) + 1);
        }
        let c = classes(&b);
        assert_eq!(c.first().unwrap().0, 0);
        assert_eq!(c.last().unwrap().1, u32::MAX);
        for w in c.windows(2) {
            assert_eq!(u64::from(w[0].1) + 1, u64::from(w[1].0));
        }
        // 10.0.0.0/8 minus 10.1.0.0/16 as CIDRs.
        let ten: Vec<(u32, u32)> = c
            .iter()
            .copied()
            .filter(|&(a, _)| (a >> 24) == 10 && (a >> 16) != 0x0a01)
            .collect();
        let got: Vec<String> = cidrs(&ten).iter().map(|n| n.to_string()).collect();
        assert_eq!(
            got,
            [
                "10.0.0.0/16",
                "10.2.0.0/15",
                "10.4.0.0/14",
                "10.8.0.0/13",
                "10.16.0.0/12",
                "10.32.0.0/11",
                "10.64.0.0/10",
                "10.128.0.0/9"
            ]
        );
        assert_eq!(cidrs(&[(0, u32::MAX)])[0].to_string(), "0.0.0.0/0");
    }
}
