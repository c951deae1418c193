//! Longest-prefix route lookup for VPC route tables and Transit Gateway route tables.
//!
//! Priority follows the AWS documentation ("How route priority works" in the VPC user guide and
//! "Route evaluation order" in the Transit Gateway guide): the most specific prefix wins; for the
//! same prefix a static CIDR route beats a prefix-list route, which beats a propagated route.
//!
//! A route whose destination cannot be read (a prefix list whose entries are not in the snapshot,
//! a destination that is not a CIDR) is kept as a route whose prefixes are *unknown*: it could
//! hold any prefix of its address family. A lookup is answered only when no such route could be
//! selected for the destination in a way that changes the outcome (see [`select`]); otherwise it
//! is an error naming the route, so the caller reports *unproven* for that destination only.
//! A route with no destination at all is inconsistent input and makes its whole table an error.
use std::net::IpAddr;

use ipnet::IpNet;

use crate::snapshot::records::{Route, TgwRoute};

mod select;
pub use select::Table;

#[cfg(test)]
mod tests;

/// An IP address family, as `describe-managed-prefix-lists` names it in `AddressFamily`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    V4,
    V6,
}

impl Family {
    /// `IPv4` / `IPv6` (EC2 API reference, `ManagedPrefixList.AddressFamily`); anything else is
    /// not a family pathproof knows.
    pub fn from_aws(s: &str) -> Option<Family> {
        match s {
            "IPv4" => Some(Family::V4),
            "IPv6" => Some(Family::V6),
            _ => None,
        }
    }

    pub fn of(ip: IpAddr) -> Family {
        match ip {
            IpAddr::V4(_) => Family::V4,
            IpAddr::V6(_) => Family::V6,
        }
    }

    /// The longest prefix of the family (a host route).
    pub fn max_len(self) -> u8 {
        match self {
            Family::V4 => 32,
            Family::V6 => 128,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Family::V4 => "IPv4",
            Family::V6 => "IPv6",
        }
    }
}

/// Resolves a managed prefix list id to its CIDRs (`None` when its entries are not in the
/// snapshot), and for such a list what `describe-managed-prefix-lists` still says about it.
pub trait PrefixLists {
    fn cidrs(&self, prefix_list_id: &str) -> Option<Vec<IpNet>>;
    /// `AddressFamily` of a list whose entries are unknown; `None` when the list is not described.
    fn family(&self, _prefix_list_id: &str) -> Option<Family> {
        None
    }
    /// `MaxEntries` of a list whose entries are unknown (absent for AWS-managed lists).
    fn max_entries(&self, _prefix_list_id: &str) -> Option<i64> {
        None
    }
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

impl VpcTarget {
    fn label(&self) -> String {
        match self {
            VpcTarget::Local => "local".into(),
            VpcTarget::InternetGateway(id)
            | VpcTarget::EgressOnlyInternetGateway(id)
            | VpcTarget::NatGateway(id)
            | VpcTarget::TransitGateway(id)
            | VpcTarget::Peering(id)
            | VpcTarget::NetworkInterface(id)
            | VpcTarget::Instance(id)
            | VpcTarget::VpcEndpoint(id)
            | VpcTarget::VpnGateway(id) => id.clone(),
            VpcTarget::Unknown { field, id } => format!("{field} {id}"),
        }
    }
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
    #[error("Routes[{index}]: destination {value:?} is not a CIDR; it could be the most specific route for {dst} (to {target}) instead of {instead}")]
    BadCidr {
        index: usize,
        value: String,
        dst: IpAddr,
        target: String,
        instead: String,
    },
    #[error("Routes[{index}]: prefix list {id} is not in the snapshot ({what}); one of its entries could be the most specific route for {dst} (to {target}) instead of {instead}")]
    UnknownPrefixList {
        index: usize,
        id: String,
        what: String,
        dst: IpAddr,
        target: String,
        instead: String,
    },
    #[error("Routes[{index}] and Routes[{other}] are equally preferred for {dst} ({prefix}) but send it to different targets ({target} / {other_target}); AWS picks one of them")]
    Tie {
        index: usize,
        other: usize,
        dst: IpAddr,
        prefix: IpNet,
        target: String,
        other_target: String,
    },
    #[error("Routes[{index}]: route has no destination (no CIDR, IPv6 CIDR or prefix list); describe-route-tables never prints such a route, so no lookup in this table can be trusted")]
    NoDestination { index: usize },
}

/// A destination pathproof could not read: the route could hold any prefix of `family`
/// (`None` = of either family).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unknown {
    PrefixList {
        id: String,
        family: Option<Family>,
        max_entries: Option<i64>,
    },
    BadCidr {
        value: String,
        family: Option<Family>,
    },
}

impl Unknown {
    /// Could one of this route's prefixes contain `dst`?
    fn admits(&self, dst: IpAddr) -> bool {
        let family = match self {
            Unknown::PrefixList { family, .. } | Unknown::BadCidr { family, .. } => *family,
        };
        family.is_none_or(|f| f == Family::of(dst))
    }
}

fn parse_net(s: &str) -> Option<IpNet> {
    s.trim().parse::<IpNet>().ok().map(|n| n.trunc())
}

/// The destination of one route: its CIDR, or the entries of its prefix list.
struct Destination {
    written: String,
    nets: Vec<IpNet>,
    via_list: bool,
    unknown: Option<Unknown>,
}

/// Read a route's destination. `cidr_family` is the family the CIDR field holds
/// (`DestinationCidrBlock` of a VPC route is IPv4; a TGW route's field holds either).
fn route_destination(
    index: usize,
    cidr: Option<(&str, Option<Family>)>,
    prefix_list: Option<&str>,
    lists: &dyn PrefixLists,
) -> Result<Destination, RouteError> {
    if let Some((c, family)) = cidr {
        return Ok(match parse_net(c) {
            Some(net) => Destination {
                written: c.to_string(),
                nets: vec![net],
                via_list: false,
                unknown: None,
            },
            None => Destination {
                written: c.to_string(),
                nets: Vec::new(),
                via_list: false,
                unknown: Some(Unknown::BadCidr {
                    value: c.to_string(),
                    family,
                }),
            },
        });
    }
    if let Some(pl) = prefix_list {
        let (nets, unknown) = match lists.cidrs(pl) {
            Some(nets) => (nets.iter().map(|n| n.trunc()).collect(), None),
            None => (
                Vec::new(),
                Some(Unknown::PrefixList {
                    id: pl.to_string(),
                    family: lists.family(pl),
                    max_entries: lists.max_entries(pl),
                }),
            ),
        };
        return Ok(Destination {
            written: pl.to_string(),
            nets,
            via_list: true,
            unknown,
        });
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
    /// Known prefixes (empty when [`Compiled::unknown`] is set).
    pub nets: Vec<IpNet>,
    rank: u8,
    unknown: Option<Unknown>,
}

/// Parse a VPC route table. Only a route with no destination at all makes the table an error.
pub fn compile_vpc(routes: &[Route], lists: &dyn PrefixLists) -> Result<Table, RouteError> {
    routes
        .iter()
        .enumerate()
        .map(|(index, route)| {
            // DestinationCidrBlock is the IPv4 field, DestinationIpv6CidrBlock the IPv6 one
            // (EC2 API reference, `Route`).
            let cidr = route
                .destination_cidr_block
                .as_deref()
                .map(|c| (c, Some(Family::V4)))
                .or_else(|| {
                    route
                        .destination_ipv6_cidr_block
                        .as_deref()
                        .map(|c| (c, Some(Family::V6)))
                });
            let d = route_destination(
                index,
                cidr,
                route.destination_prefix_list_id.as_deref(),
                lists,
            )?;
            // Same prefix: static CIDR routes, then prefix-list routes, then propagated routes.
            let propagated = route.origin.as_deref() == Some("EnableVgwRoutePropagation");
            let rank = if propagated {
                0
            } else if d.via_list {
                1
            } else {
                2
            };
            Ok(Compiled {
                index,
                destination: d.written,
                nets: d.nets,
                rank,
                unknown: d.unknown,
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Table::new)
}

/// Longest-prefix match of `dst` in a compiled VPC route table. `Ok(None)` = no route matches;
/// `Err` = a route pathproof cannot read could change the answer for `dst`.
pub fn lookup_vpc_compiled<'t>(
    routes: &[Route],
    table: &'t Table,
    dst: IpAddr,
) -> Result<Option<VpcRouteMatch>, RouteError> {
    let outcome = |c: &Compiled| {
        let r = &routes[c.index];
        (vpc_target(r), r.state.as_deref() == Some("blackhole"))
    };
    let describe = |o: &(VpcTarget, bool)| {
        if o.1 {
            format!("{} (blackhole)", o.0.label())
        } else {
            o.0.label()
        }
    };
    // A propagated route never overrides the local route, however specific (Site-to-Site VPN
    // guide, "Route tables and AWS Site-to-Site VPN route priority"); only static routes can be
    // more specific than local.
    let local_rule = |pick: select::Pick<'t>| -> select::Pick<'t> {
        if pick.route.rank != 0 {
            return pick;
        }
        table
            .routes
            .iter()
            .filter(|t| routes[t.index].gateway_id.as_deref() == Some("local"))
            .find_map(|t| {
                let net = t.nets.iter().find(|n| n.contains(&dst))?;
                Some(select::Pick {
                    route: t,
                    net: *net,
                })
            })
            .unwrap_or(pick)
    };
    let Some(pick) = select::decide(table, dst, outcome, describe, local_rule)? else {
        return Ok(None);
    };
    let route = &routes[pick.route.index];
    Ok(Some(VpcRouteMatch {
        index: pick.route.index,
        destination: pick.route.destination.clone(),
        prefix: pick.net,
        target: vpc_target(route),
        blackhole: route.state.as_deref() == Some("blackhole"),
    }))
}

/// Longest-prefix match of `dst` in a VPC route table. `Ok(None)` = no route matches.
pub fn lookup_vpc(
    routes: &[Route],
    dst: IpAddr,
    lists: &dyn PrefixLists,
) -> Result<Option<VpcRouteMatch>, RouteError> {
    let table = compile_vpc(routes, lists)?;
    lookup_vpc_compiled(routes, &table, dst)
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

/// Rank of a TGW route among routes to the same prefix (higher wins), from "Route evaluation
/// order" in the Transit Gateway guide: static routes, then prefix-list referenced routes, then
/// propagated routes by attachment type (VPC, Direct Connect gateway, Connect, VPN). A
/// prefix-list route ranks as such whatever its `Type`: the guide ("View prefix list references")
/// says the console shows prefix-list routes as *propagated*.
fn tgw_rank(route: &TgwRoute, via_list: bool) -> u8 {
    if via_list {
        return 8;
    }
    if route.r#type.as_deref() == Some("static") {
        return 9;
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
pub fn compile_tgw(routes: &[TgwRoute], lists: &dyn PrefixLists) -> Result<Table, RouteError> {
    let mut out = Vec::new();
    for (index, route) in routes.iter().enumerate() {
        if route.state != "active" && route.state != "blackhole" {
            continue;
        }
        // `search-transit-gateway-routes` lists each entry of a referenced prefix list as its own
        // route ("Prefix list references": "each entry in the prefix list is represented as a
        // route"), with the CIDR and the list id; only a route with the list id alone needs the
        // list's entries. The CIDR field holds IPv4 or IPv6 (EC2 API reference,
        // `TransitGatewayRoute`).
        let d = route_destination(
            index,
            route.destination_cidr_block.as_deref().map(|c| (c, None)),
            route.prefix_list_id.as_deref(),
            lists,
        )?;
        let via_list = d.via_list || route.prefix_list_id.is_some();
        out.push(Compiled {
            index,
            destination: d.written,
            nets: d.nets,
            rank: tgw_rank(route, via_list),
            unknown: d.unknown,
        });
    }
    Ok(Table::new(out))
}

fn tgw_attachments(route: &TgwRoute) -> Vec<String> {
    route
        .transit_gateway_attachments
        .iter()
        .filter_map(|a| a.transit_gateway_attachment_id.clone())
        .collect()
}

/// Longest-prefix match of `dst` in a compiled TGW route table. `Err` = a route pathproof cannot
/// read could change the answer for `dst`.
pub fn lookup_tgw_compiled(
    routes: &[TgwRoute],
    table: &Table,
    dst: IpAddr,
) -> Result<Option<TgwRouteMatch>, RouteError> {
    // What the walker does with a match: a blackhole (or a route without attachments) drops the
    // packet, otherwise every attachment is a branch (ECMP). Two routes lead to the same place
    // only if both drop, or both have the same set of attachments.
    let outcome = |c: &Compiled| {
        let r = &routes[c.index];
        let mut atts = tgw_attachments(r);
        atts.sort();
        atts.dedup();
        if r.state == "blackhole" || atts.is_empty() {
            Vec::new()
        } else {
            atts
        }
    };
    let describe = |o: &Vec<String>| {
        if o.is_empty() {
            "blackhole".to_string()
        } else {
            o.join("+")
        }
    };
    let Some(pick) = select::decide(table, dst, outcome, describe, |p| p)? else {
        return Ok(None);
    };
    let route = &routes[pick.route.index];
    Ok(Some(TgwRouteMatch {
        index: pick.route.index,
        destination: pick.route.destination.clone(),
        prefix: pick.net,
        attachments: tgw_attachments(route),
        blackhole: route.state == "blackhole",
        route_type: route.r#type.clone().unwrap_or_default(),
    }))
}

/// Longest-prefix match of `dst` in a TGW route table (routes in `active` or `blackhole` state).
pub fn lookup_tgw(
    routes: &[TgwRoute],
    dst: IpAddr,
    lists: &dyn PrefixLists,
) -> Result<Option<TgwRouteMatch>, RouteError> {
    let table = compile_tgw(routes, lists)?;
    lookup_tgw_compiled(routes, &table, dst)
}
