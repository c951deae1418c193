//! Longest-prefix route lookup for VPC route tables and Transit Gateway route tables.
//!
//! Priority follows the AWS documentation ("Route priority" in the VPC user guide and "Route
//! evaluation order" in the Transit Gateway guide): the most specific prefix wins; for the same
//! prefix a CIDR route beats a prefix-list route, and static beats propagated. A route whose
//! destination or target cannot be interpreted is returned as [`VpcTarget::Unknown`] or as an
//! error so the caller reports *unproven*; it is never skipped silently.
use std::net::IpAddr;

use ipnet::IpNet;

use crate::snapshot::records::{Route, TgwRoute};

/// Resolves a managed prefix list id to its CIDRs (`None` when the list is not in the snapshot).
pub trait PrefixLists {
    fn cidrs(&self, prefix_list_id: &str) -> Option<Vec<IpNet>>;
}

impl<F: Fn(&str) -> Option<Vec<IpNet>>> PrefixLists for F {
    fn cidrs(&self, id: &str) -> Option<Vec<IpNet>> {
        self(id)
    }
}

/// Where a VPC route sends traffic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VpcTarget {
    Local,
    InternetGateway(String),
    EgressOnlyInternetGateway(String),
    NatGateway(String),
    TransitGateway(String),
    Peering(String),
    NetworkInterface(String),
    Instance(String),
    /// `vpce-…` in `GatewayId`: a gateway endpoint (S3/DynamoDB) or a Gateway Load Balancer endpoint.
    VpcEndpoint(String),
    VpnGateway(String),
    /// A target pathproof does not model (carrier/local gateway, Cloud WAN, a field AWS added later).
    Unknown {
        field: String,
        id: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VpcRouteMatch {
    /// Index of the route in the table's `Routes`.
    pub index: usize,
    /// The destination as written (CIDR or prefix list id).
    pub destination: String,
    pub prefix: IpNet,
    pub target: VpcTarget,
    pub blackhole: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    #[error("Routes[{index}]: destination {value:?} is not a CIDR")]
    BadCidr { index: usize, value: String },
    #[error("Routes[{index}]: prefix list {id} is not in the snapshot")]
    UnknownPrefixList { index: usize, id: String },
    #[error("Routes[{index}]: route has no destination")]
    NoDestination { index: usize },
}

fn parse_net(s: &str) -> Option<IpNet> {
    s.trim().parse::<IpNet>().ok().map(|n| n.trunc())
}

/// The destinations of one route: its CIDR(s), expanded through prefix lists.
fn route_prefixes(
    index: usize,
    cidr: Option<&str>,
    cidr6: Option<&str>,
    prefix_list: Option<&str>,
    lists: &dyn PrefixLists,
) -> Result<(String, Vec<IpNet>, bool), RouteError> {
    if let Some(c) = cidr.or(cidr6) {
        let net = parse_net(c).ok_or_else(|| RouteError::BadCidr {
            index,
            value: c.to_string(),
        })?;
        return Ok((c.to_string(), vec![net], false));
    }
    if let Some(pl) = prefix_list {
        let nets = lists
            .cidrs(pl)
            .ok_or_else(|| RouteError::UnknownPrefixList {
                index,
                id: pl.to_string(),
            })?;
        return Ok((pl.to_string(), nets, true));
    }
    Err(RouteError::NoDestination { index })
}

/// The target of a VPC route.
pub fn vpc_target(route: &Route) -> VpcTarget {
    let some = |v: &Option<String>| v.clone();
    if let Some(id) = some(&route.nat_gateway_id) {
        return VpcTarget::NatGateway(id);
    }
    if let Some(id) = some(&route.transit_gateway_id) {
        return VpcTarget::TransitGateway(id);
    }
    if let Some(id) = some(&route.vpc_peering_connection_id) {
        return VpcTarget::Peering(id);
    }
    if let Some(id) = some(&route.egress_only_internet_gateway_id) {
        return VpcTarget::EgressOnlyInternetGateway(id);
    }
    if let Some(id) = some(&route.gateway_id) {
        return match id.as_str() {
            "local" => VpcTarget::Local,
            s if s.starts_with("igw-") => VpcTarget::InternetGateway(id),
            s if s.starts_with("vgw-") => VpcTarget::VpnGateway(id),
            s if s.starts_with("vpce-") => VpcTarget::VpcEndpoint(id),
            _ => VpcTarget::Unknown {
                field: "GatewayId".into(),
                id,
            },
        };
    }
    // An instance route lists both InstanceId and NetworkInterfaceId: the ENI is what forwards.
    if let Some(id) = some(&route.network_interface_id) {
        return VpcTarget::NetworkInterface(id);
    }
    if let Some(id) = some(&route.instance_id) {
        return VpcTarget::Instance(id);
    }
    for (field, value) in [
        ("CarrierGatewayId", &route.carrier_gateway_id),
        ("LocalGatewayId", &route.local_gateway_id),
        ("CoreNetworkArn", &route.core_network_arn),
    ] {
        if let Some(id) = value {
            return VpcTarget::Unknown {
                field: field.into(),
                id: id.clone(),
            };
        }
    }
    // A target field this version does not know about (AWS adds route targets over time).
    for (field, value) in &route.other {
        if (field.ends_with("Id") || field.ends_with("Arn")) && !field.starts_with("Destination") {
            if let Some(id) = value.as_str() {
                return VpcTarget::Unknown {
                    field: field.clone(),
                    id: id.to_string(),
                };
            }
        }
    }
    VpcTarget::Unknown {
        field: "(none)".into(),
        id: "(no target)".into(),
    }
}

/// A route's destinations, parsed once (prefix lists expanded), and its rank among routes to the
/// same prefix. Lookups run against compiled tables so a route is parsed once per snapshot, not
/// once per packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compiled {
    /// Index of the route in the table's `Routes`.
    pub index: usize,
    /// The destination as written (CIDR or prefix list id).
    pub destination: String,
    pub nets: Vec<IpNet>,
    rank: u8,
}

/// The most specific, best-ranked compiled route containing `dst`.
fn best(table: &[Compiled], dst: IpAddr) -> Option<(&Compiled, IpNet)> {
    let mut best: Option<((u8, u8), &Compiled, IpNet)> = None;
    for route in table {
        for net in &route.nets {
            if net.contains(&dst) {
                let rank = (net.prefix_len(), route.rank);
                if best.as_ref().is_none_or(|(r, _, _)| rank > *r) {
                    best = Some((rank, route, *net));
                }
            }
        }
    }
    best.map(|(_, r, n)| (r, n))
}

/// Parse a VPC route table. Any route that cannot be interpreted makes the table an error.
pub fn compile_vpc(routes: &[Route], lists: &dyn PrefixLists) -> Result<Vec<Compiled>, RouteError> {
    routes
        .iter()
        .enumerate()
        .map(|(index, route)| {
            let (destination, nets, via_list) = route_prefixes(
                index,
                route.destination_cidr_block.as_deref(),
                route.destination_ipv6_cidr_block.as_deref(),
                route.destination_prefix_list_id.as_deref(),
                lists,
            )?;
            // Same prefix: static CIDR routes, then prefix-list routes, then propagated routes.
            let propagated = route.origin.as_deref() == Some("EnableVgwRoutePropagation");
            let rank = if propagated {
                0
            } else if via_list {
                1
            } else {
                2
            };
            Ok(Compiled {
                index,
                destination,
                nets,
                rank,
            })
        })
        .collect()
}

/// Longest-prefix match of `dst` in a compiled VPC route table. `None` = no route matches.
pub fn lookup_vpc_compiled(
    routes: &[Route],
    table: &[Compiled],
    dst: IpAddr,
) -> Option<VpcRouteMatch> {
    let (mut c, mut prefix) = best(table, dst)?;
    // A propagated route never overrides the local route, however specific (Site-to-Site VPN
    // guide, "Route priority"); only static routes can be more specific than local.
    if c.rank == 0 {
        let local = table.iter().find_map(|t| {
            let is_local = routes[t.index].gateway_id.as_deref() == Some("local");
            let net = t.nets.iter().find(|n| n.contains(&dst))?;
            is_local.then_some((t, *net))
        });
        if let Some((t, net)) = local {
            (c, prefix) = (t, net);
        }
    }
    let route = &routes[c.index];
    Some(VpcRouteMatch {
        index: c.index,
        destination: c.destination.clone(),
        prefix,
        target: vpc_target(route),
        blackhole: route.state.as_deref() == Some("blackhole"),
    })
}

/// Longest-prefix match of `dst` in a VPC route table. `Ok(None)` = no route matches.
pub fn lookup_vpc(
    routes: &[Route],
    dst: IpAddr,
    lists: &dyn PrefixLists,
) -> Result<Option<VpcRouteMatch>, RouteError> {
    let table = compile_vpc(routes, lists)?;
    Ok(lookup_vpc_compiled(routes, &table, dst))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TgwRouteMatch {
    pub index: usize,
    pub destination: String,
    pub prefix: IpNet,
    /// Attachment ids (several = ECMP).
    pub attachments: Vec<String>,
    pub blackhole: bool,
    /// `static` or `propagated`.
    pub route_type: String,
}

/// Rank of a TGW route among routes to the same prefix (higher wins): static CIDR routes, then
/// prefix-list routes, then propagated routes by attachment type (VPC, Direct Connect gateway,
/// Connect, VPN).
fn tgw_rank(route: &TgwRoute, via_list: bool) -> u8 {
    if route.r#type.as_deref() == Some("static") {
        return if via_list { 8 } else { 9 };
    }
    match route
        .transit_gateway_attachments
        .first()
        .and_then(|a| a.resource_type.as_deref())
    {
        Some("vpc") => 4,
        Some("direct-connect-gateway") => 3,
        Some("connect") => 2,
        Some("vpn") => 1,
        _ => 0,
    }
}

/// Parse a TGW route table: routes in `active` or `blackhole` state (others are being created
/// or deleted and carry no traffic).
pub fn compile_tgw(
    routes: &[TgwRoute],
    lists: &dyn PrefixLists,
) -> Result<Vec<Compiled>, RouteError> {
    let mut out = Vec::new();
    for (index, route) in routes.iter().enumerate() {
        if route.state != "active" && route.state != "blackhole" {
            continue;
        }
        let (destination, nets, via_list) = route_prefixes(
            index,
            route.destination_cidr_block.as_deref(),
            None,
            route.prefix_list_id.as_deref(),
            lists,
        )?;
        // Search results can carry both the CIDR and the prefix list it came from.
        let via_list = via_list || route.prefix_list_id.is_some();
        out.push(Compiled {
            index,
            destination,
            nets,
            rank: tgw_rank(route, via_list),
        });
    }
    Ok(out)
}

/// Longest-prefix match of `dst` in a compiled TGW route table.
pub fn lookup_tgw_compiled(
    routes: &[TgwRoute],
    table: &[Compiled],
    dst: IpAddr,
) -> Option<TgwRouteMatch> {
    let (c, prefix) = best(table, dst)?;
    let route = &routes[c.index];
    Some(TgwRouteMatch {
        index: c.index,
        destination: c.destination.clone(),
        prefix,
        attachments: route
            .transit_gateway_attachments
            .iter()
            .filter_map(|a| a.transit_gateway_attachment_id.clone())
            .collect(),
        blackhole: route.state == "blackhole",
        route_type: route.r#type.clone().unwrap_or_default(),
    })
}

/// Longest-prefix match of `dst` in a TGW route table (routes in `active` or `blackhole` state).
pub fn lookup_tgw(
    routes: &[TgwRoute],
    dst: IpAddr,
    lists: &dyn PrefixLists,
) -> Result<Option<TgwRouteMatch>, RouteError> {
    let table = compile_tgw(routes, lists)?;
    Ok(lookup_tgw_compiled(routes, &table, dst))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use serde_json::json;

    fn routes(v: serde_json::Value) -> Vec<Route> {
        serde_json::from_value(v).unwrap()
    }

    fn no_lists(id: &str) -> Option<Vec<IpNet>> {
        (id == "pl-1").then(|| vec!["10.20.0.0/16".parse().unwrap()])
    }

    fn table() -> Vec<Route> {
        routes(json!([
            {"DestinationCidrBlock": "10.10.0.0/16", "GatewayId": "local", "State": "active"},
            {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "State": "active"},
            {"DestinationCidrBlock": "10.20.0.0/16", "TransitGatewayId": "tgw-1", "State": "active"},
            {"DestinationPrefixListId": "pl-1", "GatewayId": "vpce-9", "State": "active"},
            {"DestinationCidrBlock": "10.20.5.0/24", "NatGatewayId": "nat-1", "State": "blackhole"},
            {"DestinationCidrBlock": "10.30.0.0/16", "CoreNetworkArn": "arn:aws:networkmanager::1:core-network/x", "State": "active"},
            {"DestinationCidrBlock": "10.40.0.0/16", "FutureGatewayId": "fgw-1", "State": "active"},
            {"DestinationCidrBlock": "10.50.0.0/16", "InstanceId": "i-1", "NetworkInterfaceId": "eni-1", "State": "active"}
        ]))
    }

    #[rstest]
    #[case("10.10.3.4", VpcTarget::Local, false)]
    #[case("8.8.8.8", VpcTarget::InternetGateway("igw-1".into()), false)]
    #[case("10.20.1.10", VpcTarget::TransitGateway("tgw-1".into()), false)]
    #[case("10.20.5.1", VpcTarget::NatGateway("nat-1".into()), true)]
    #[case("10.30.0.1", VpcTarget::Unknown { field: "CoreNetworkArn".into(), id: "arn:aws:networkmanager::1:core-network/x".into() }, false)]
    #[case("10.40.0.1", VpcTarget::Unknown { field: "FutureGatewayId".into(), id: "fgw-1".into() }, false)]
    #[case("10.50.0.1", VpcTarget::NetworkInterface("eni-1".into()), false)]
    fn vpc_longest_prefix(#[case] dst: &str, #[case] target: VpcTarget, #[case] blackhole: bool) {
        let m = lookup_vpc(&table(), dst.parse().unwrap(), &no_lists)
            .unwrap()
            .unwrap();
        assert_eq!(m.target, target);
        assert_eq!(m.blackhole, blackhole);
    }

    #[test]
    fn cidr_route_beats_prefix_list_of_same_length() {
        let m = lookup_vpc(&table(), "10.20.9.9".parse().unwrap(), &no_lists)
            .unwrap()
            .unwrap();
        assert_eq!(m.destination, "10.20.0.0/16");
        assert_eq!(m.target, VpcTarget::TransitGateway("tgw-1".into()));
    }

    #[test]
    fn prefix_list_beats_propagated_route_of_same_length() {
        let t = routes(json!([
            {"DestinationCidrBlock": "10.20.0.0/16", "GatewayId": "vgw-1", "Origin": "EnableVgwRoutePropagation", "State": "active"},
            {"DestinationPrefixListId": "pl-1", "TransitGatewayId": "tgw-1", "Origin": "CreateRoute", "State": "active"}
        ]));
        let m = lookup_vpc(&t, "10.20.0.1".parse().unwrap(), &no_lists)
            .unwrap()
            .unwrap();
        assert_eq!(m.target, VpcTarget::TransitGateway("tgw-1".into()));
    }

    #[test]
    fn propagated_route_more_specific_than_local_does_not_win() {
        let t = routes(json!([
            {"DestinationCidrBlock": "10.20.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"},
            {"DestinationCidrBlock": "10.20.1.0/24", "GatewayId": "vgw-1", "Origin": "EnableVgwRoutePropagation", "State": "active"}
        ]));
        let m = lookup_vpc(&t, "10.20.1.10".parse().unwrap(), &no_lists)
            .unwrap()
            .unwrap();
        assert_eq!(m.target, VpcTarget::Local);
    }

    #[test]
    fn no_route_is_none() {
        let t = routes(json!([{"DestinationCidrBlock": "10.10.0.0/16", "GatewayId": "local"}]));
        assert_eq!(
            lookup_vpc(&t, "8.8.8.8".parse().unwrap(), &no_lists).unwrap(),
            None
        );
    }

    #[test]
    fn missing_prefix_list_is_an_error() {
        let t = routes(json!([{"DestinationPrefixListId": "pl-404", "GatewayId": "vpce-1"}]));
        assert!(matches!(
            lookup_vpc(&t, "1.1.1.1".parse().unwrap(), &no_lists),
            Err(RouteError::UnknownPrefixList { .. })
        ));
    }

    #[test]
    fn bad_cidr_is_an_error() {
        // The snapshot rejects such a value at load; route tables built otherwise still fail here.
        let mut t = routes(json!([{"DestinationCidrBlock": "10.10.0.0/16", "GatewayId": "local"}]));
        t[0].destination_cidr_block = Some("10.10.0.0/33".into());
        assert!(matches!(
            lookup_vpc(&t, "10.10.0.1".parse().unwrap(), &no_lists),
            Err(RouteError::BadCidr { .. })
        ));
    }

    fn tgw_routes(v: serde_json::Value) -> Vec<TgwRoute> {
        serde_json::from_value(v).unwrap()
    }

    #[rstest]
    #[case("10.20.1.1", Some("att-static"), false)]
    #[case("10.20.200.1", Some("att-vpc"), false)]
    #[case("10.99.0.1", None, true)]
    #[case("172.16.0.1", Some("att-dx"), false)]
    fn tgw_lookup(#[case] dst: &str, #[case] att: Option<&str>, #[case] blackhole: bool) {
        let t = tgw_routes(json!([
            {"DestinationCidrBlock": "10.20.0.0/16", "Type": "propagated", "State": "active",
             "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-vpc", "ResourceType": "vpc"}]},
            {"DestinationCidrBlock": "10.20.0.0/17", "Type": "propagated", "State": "active",
             "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-vpc", "ResourceType": "vpc"}]},
            {"DestinationCidrBlock": "10.20.0.0/17", "Type": "static", "State": "active",
             "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-static", "ResourceType": "vpc"}]},
            {"DestinationCidrBlock": "10.99.0.0/16", "Type": "static", "State": "blackhole"},
            {"DestinationCidrBlock": "172.16.0.0/12", "Type": "propagated", "State": "active",
             "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-vpn", "ResourceType": "vpn"}]},
            {"DestinationCidrBlock": "172.16.0.0/12", "Type": "propagated", "State": "active",
             "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-dx", "ResourceType": "direct-connect-gateway"}]},
            {"DestinationCidrBlock": "0.0.0.0/0", "Type": "static", "State": "deleted",
             "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-x", "ResourceType": "vpc"}]}
        ]));
        let m = lookup_tgw(&t, dst.parse().unwrap(), &no_lists)
            .unwrap()
            .unwrap();
        assert_eq!(m.attachments.first().map(String::as_str), att);
        assert_eq!(m.blackhole, blackhole);
    }
}
