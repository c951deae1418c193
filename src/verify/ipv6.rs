//! IPv6 and dual-stack sources.
//!
//! A subnet with an associated IPv6 CIDR gives its instances IPv6 addresses; clients that
//! resolve AAAA records and prefer IPv6 then connect over IPv6 whenever the name has AAAA records
//! (VPC user guide, "IPv6 support for your VPC"; "Compare IPv4 and IPv6"). So from such a subnet
//! every IoT endpoint name is also resolved for AAAA and every IPv6 address walked like an IPv4
//! one: the same route tables (`DestinationIpv6CidrBlock`), Transit Gateway routes, security
//! group `Ipv6Ranges` and network ACL `Ipv6CidrBlock` entries decide. A name must be private in
//! both families.
//!
//! - AAAA answered privately with addresses: each is walked (an egress-only internet gateway on
//!   the way is PP023, an internet gateway PP001).
//! - AAAA answered NODATA/NXDOMAIN by the private view: a dual-stack client uses the A answer,
//!   which the IPv4 walk proves; nothing more to walk. An IPv6-only subnet has no A fallback:
//!   with DNS64 on (`EnableDns64`) the Resolver synthesizes `64:ff9b::/96` answers from the A
//!   records and NAT64 on a NAT gateway translates them (VPC user guide, "DNS64 and NAT64"),
//!   which pathproof does not model: unproven naming the subnet; with DNS64 off the name has no
//!   usable address (PP004); DNS64 not in the snapshot: unproven naming the subnet.
//! - Resolved publicly: whether IoT Core's public name has AAAA records cannot be known offline
//!   (its SDK endpoint rules name dual-stack data endpoints), so the walk also follows a public
//!   IPv6 address ([`PUBLIC_PROBE_V6`]) to see which way IPv6 leaves.
//!
//! Transit Gateway `Ipv6Support` does not change the walk: "The setting does not filter IPv6
//! traffic" (EC2 API reference, `CreateTransitGatewayVpcAttachmentRequestOptions`); the routes it
//! propagates are read from the route tables themselves.
use std::net::{IpAddr, Ipv6Addr};

use ipnet::IpNet;

use super::findings::Findings;
use super::intent::{Intent, Role};
use super::paths::{record_paths, PathRecord, Source};
use super::scope::{resolve_in_vpc_type, Destination};
use super::walk::{Flow, Src, Walker};
use crate::dns::{DnsTarget, QueryType, Via};
use crate::graph::Model;
use crate::snapshot::records::Subnet;

/// A representative public IPv6 address (RFC 3849 documentation prefix, never routed privately).
pub const PUBLIC_PROBE_V6: IpAddr =
    IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0xcb00, 0x710a));

/// The subnet's associated IPv6 CIDRs (an association being disassociated or failed holds no
/// addresses).
pub(crate) fn subnet_ipv6_cidrs(subnet: &Subnet) -> Vec<IpNet> {
    subnet
        .ipv6_cidr_block_association_set
        .iter()
        .filter(|a| {
            a.ipv6_cidr_block_state
                .as_ref()
                .and_then(|s| s.state.as_deref())
                .is_none_or(|s| s == "associated")
        })
        .filter_map(|a| a.ipv6_cidr_block.as_deref()?.parse::<IpNet>().ok())
        .map(|n| n.trunc())
        .collect()
}

/// What one source subnet's IPv6 walks need.
pub(super) struct V6Source<'x> {
    pub(super) subnet: &'x Subnet,
    pub(super) vpc: &'x str,
    pub(super) role: Role,
    pub(super) account: &'x str,
    pub(super) region: &'x str,
    pub(super) nets: Vec<IpNet>,
    /// No IPv4 CIDR: no A fallback.
    pub(super) ipv6_only: bool,
}

/// Resolve every destination for AAAA from `s` and walk what it answers.
#[allow(clippy::too_many_arguments)]
pub(super) fn walk_subnet(
    model: &Model<'_>,
    walker: &Walker<'_, '_>,
    intent: &Intent,
    destinations: &[Destination],
    s: &V6Source<'_>,
    paths: &mut Vec<PathRecord>,
    findings: &mut Findings,
) {
    let subnet_id = s.subnet.subnet_id.as_str();
    let source = Source {
        kind: "subnet",
        id: subnet_id.to_string(),
        role: s.role,
        vpc: Some(s.vpc.to_string()),
        account: s.account.to_string(),
        region: s.region.to_string(),
        cidr: s
            .nets
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    };
    let src = Src {
        nets: s.nets.clone(),
        groups: Vec::new(),
        subnet: Some(subnet_id.to_string()),
    };
    for dest in destinations
        .iter()
        .filter(|d| s.role == Role::Device || d.for_consumers)
    {
        let mut resolution =
            resolve_in_vpc_type(model, s.vpc, &dest.name, false, findings, QueryType::Aaaa);
        match &resolution.via {
            // Forwarded names are unproven on the IPv4 walk already; an IPv6-only subnet has
            // only this one.
            Via::Forwarded { .. } if !s.ipv6_only => continue,
            Via::Public | Via::Forwarded { .. } => {}
            // DNS Firewall answered or screened the name (issue 9 item 8), or a construct the
            // snapshot does not settle could answer it (PP028): its targets are judged as a
            // private zone's are.
            Via::PrivateZone { .. }
            | Via::EndpointPrivateDns { .. }
            | Via::Firewall { .. }
            | Via::Hidden { .. } => {
                let no_address = |t: &DnsTarget| {
                    matches!(t, DnsTarget::NoData { .. } | DnsTarget::NxDomain { .. })
                };
                if !s.ipv6_only {
                    // A dual-stack client whose AAAA query DNS Firewall blocks (a rule for AAAA
                    // only) uses the A answer, which the IPv4 walk proves, as after NODATA.
                    resolution
                        .targets
                        .retain(|t| !no_address(t) && !matches!(t, DnsTarget::Blocked { .. }));
                    if resolution.targets.is_empty() {
                        continue;
                    }
                } else if resolution.targets.iter().any(no_address) {
                    let dns64 = match s.subnet.enable_dns64 {
                        Some(true) => Some("DNS64 is on: the Resolver synthesizes 64:ff9b::/96 addresses from the A records, and NAT64 through a NAT gateway is not modelled"),
                        None => Some("EnableDns64 is not in describe-subnets, so whether the Resolver synthesizes 64:ff9b::/96 addresses is not known"),
                        Some(false) => None,
                    };
                    if let Some(why) = dns64 {
                        for t in resolution.targets.iter_mut().filter(|t| no_address(t)) {
                            let record = match t {
                                DnsTarget::NoData { record, .. }
                                | DnsTarget::NxDomain { record, .. } => record.clone(),
                                _ => String::new(),
                            };
                            *t = DnsTarget::Unresolvable {
                                record,
                                reason: format!(
                                    "IPv6-only subnet {subnet_id} has no AAAA answer; {why}"
                                ),
                                zone: Some(subnet_id.to_string()),
                            };
                        }
                    }
                }
            }
        }
        // A public answer is walked to a public IPv6 address (this walk's family is IPv6).
        let walk = |dst: IpAddr| {
            walker.from_subnet(subnet_id, src.clone(), dst, Flow::iot(dest.service, intent))
        };
        record_paths(
            paths,
            findings,
            &source,
            dest,
            resolution,
            &[],
            intent,
            model,
            PUBLIC_PROBE_V6,
            walk,
        );
    }
}
