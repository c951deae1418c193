//! States AWS cannot produce, across the records of one estate (after [`super::consistency`]
//! left one record per id). Each is incomplete or inconsistent evidence (a [`Gap`], PP017)
//! naming the file and the resource, never silently used:
//!
//! | state | why AWS cannot show it | doc |
//! |---|---|---|
//! | a route table without a route for one of its VPC's associated IPv4 CIDRs | every route table has a local route per VPC CIDR; it cannot be deleted (its target may be replaced by an appliance, so any target counts) | VPC user guide, "Route tables", https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html |
//! | a propagated Transit Gateway route to an attachment that does not propagate to that route table | propagated routes exist only while the attachment propagates | Transit Gateway guide, "Transit gateway route tables", https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html |
//! | an association shown by the attachment (`Association`) but not by the route table's association list, or the reverse | both are views of one association | EC2 API reference, TransitGatewayAttachment `Association`, GetTransitGatewayRouteTableAssociations |
//! | an inbound Resolver endpoint with fewer than two addresses, or whose `IpAddressCount` differs from its address list | "Route 53 requires that you create at least two IP addresses" for inbound endpoints | Route 53 developer guide, https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/best-practices-resolver-endpoint-high-availability.html; API ResolverEndpoint `IpAddressCount` |
use std::collections::{BTreeMap, BTreeSet, HashMap};

use ipnet::IpNet;

use super::records::TgwAttachment;
use super::{Gap, Regional};

pub(super) fn check(regional: &[Regional], gaps: &mut Vec<Gap>) {
    local_routes(regional, gaps);
    tgw_propagated_routes(regional, gaps);
    tgw_associations(regional, gaps);
    resolver_addresses(regional, gaps);
}

fn file(r: &Regional, op: &str) -> String {
    format!("{}/{}/{op}.json", r.account, r.region)
}

fn local_routes(regional: &[Regional], gaps: &mut Vec<Gap>) {
    // VPC id → its associated IPv4 CIDRs.
    let mut cidrs: BTreeMap<&str, BTreeSet<IpNet>> = BTreeMap::new();
    for v in regional.iter().flat_map(|r| &r.vpcs) {
        let set = cidrs.entry(v.vpc_id.as_str()).or_default();
        if let Ok(n) = v.cidr_block.parse::<IpNet>() {
            set.insert(n.trunc());
        }
        for a in &v.cidr_block_association_set {
            let state = a.cidr_block_state.as_ref().and_then(|s| s.state.as_deref());
            if state == Some("associated") {
                if let Ok(n) = a.cidr_block.parse::<IpNet>() {
                    set.insert(n.trunc());
                }
            }
        }
    }
    for r in regional {
        for rt in &r.route_tables {
            let Some(want) = cidrs.get(rt.vpc_id.as_str()) else {
                continue;
            };
            let have: BTreeSet<IpNet> = rt
                .routes
                .iter()
                .filter_map(|x| x.destination_cidr_block.as_deref()?.parse::<IpNet>().ok())
                .map(|n| n.trunc())
                .collect();
            for cidr in want.difference(&have) {
                gaps.push(Gap {
                    file: file(r, "ec2/describe-route-tables"),
                    reason: format!(
                        "route table {} has no route for {cidr}, a CIDR of {}: AWS keeps a local route for every VPC CIDR in every route table",
                        rt.route_table_id, rt.vpc_id
                    ),
                });
            }
        }
    }
}

fn tgw_propagated_routes(regional: &[Regional], gaps: &mut Vec<Gap>) {
    for r in regional {
        for (rtb, routes) in &r.tgw_routes {
            let Some(props) = r.tgw_propagations.get(rtb) else {
                continue;
            };
            let propagating: BTreeSet<&str> = props
                .iter()
                .filter(|p| p.state.as_deref() != Some("disabled"))
                .map(|p| p.transit_gateway_attachment_id.as_str())
                .collect();
            for route in routes
                .iter()
                .filter(|x| x.r#type.as_deref() == Some("propagated"))
            {
                for att in route
                    .transit_gateway_attachments
                    .iter()
                    .filter_map(|a| a.transit_gateway_attachment_id.as_deref())
                {
                    if !propagating.contains(att) {
                        gaps.push(Gap {
                            file: format!(
                                "{}/{}/ec2/get-transit-gateway-route-table-propagations/{rtb}.json",
                                r.account, r.region
                            ),
                            reason: format!(
                                "{rtb} has a propagated route {} to {att}, but {att} does not propagate to {rtb}",
                                route.destination_cidr_block.as_deref().unwrap_or("(prefix list)")
                            ),
                        });
                    }
                }
            }
        }
    }
}

fn tgw_associations(regional: &[Regional], gaps: &mut Vec<Gap>) {
    for r in regional {
        let assoc_file = |rtb: &str| {
            format!(
                "{}/{}/ec2/get-transit-gateway-route-table-associations/{rtb}.json",
                r.account, r.region
            )
        };
        // The attachment says it is associated; the route table's list must say so too.
        for a in &r.tgw_attachments {
            let Some(assoc) = &a.association else {
                continue;
            };
            if assoc.state.as_deref().is_some_and(|s| s != "associated") {
                continue;
            }
            // An association to a policy table names no route table (coherence of policy
            // tables is checked where they are read).
            let Some(rtb) = assoc.transit_gateway_route_table_id.as_deref() else {
                continue;
            };
            let Some(list) = r.tgw_associations.get(rtb) else {
                continue;
            };
            if !list
                .iter()
                .any(|x| x.transit_gateway_attachment_id == a.transit_gateway_attachment_id)
            {
                gaps.push(Gap {
                    file: assoc_file(rtb),
                    reason: format!(
                        "attachment {} is associated with {rtb} (describe-transit-gateway-attachments), but {rtb}'s associations do not list it",
                        a.transit_gateway_attachment_id
                    ),
                });
            }
        }
        // The route table lists an association; the attachment (in the same account's view,
        // which carries `Association`) must name that route table. Attachments by id: a hub
        // account has one per VPC and each of its route tables lists a share of them.
        let by_id: HashMap<&str, &TgwAttachment> = r
            .tgw_attachments
            .iter()
            .map(|a| (a.transit_gateway_attachment_id.as_str(), a))
            .collect();
        for (rtb, list) in &r.tgw_associations {
            for x in list
                .iter()
                .filter(|x| x.state.as_deref().is_none_or(|s| s == "associated"))
            {
                let Some(a) = by_id.get(x.transit_gateway_attachment_id.as_str()) else {
                    continue;
                };
                let named = a
                    .association
                    .as_ref()
                    .and_then(|s| s.transit_gateway_route_table_id.as_deref());
                if named != Some(rtb.as_str()) {
                    gaps.push(Gap {
                        file: assoc_file(rtb),
                        reason: format!(
                            "{rtb}'s associations list {}, but describe-transit-gateway-attachments shows it associated with {}",
                            x.transit_gateway_attachment_id,
                            named.unwrap_or("no route table")
                        ),
                    });
                }
            }
        }
    }
}

fn resolver_addresses(regional: &[Regional], gaps: &mut Vec<Gap>) {
    for r in regional {
        for e in &r.resolver_endpoints {
            let Some(ips) = r.resolver_ips.get(&e.id) else {
                continue;
            };
            let file = format!(
                "{}/{}/route53resolver/list-resolver-endpoint-ip-addresses/{}.json",
                r.account, r.region, e.id
            );
            if let Some(n) = e.ip_address_count {
                if usize::try_from(n).ok() != Some(ips.len()) {
                    gaps.push(Gap {
                        file: file.clone(),
                        reason: format!(
                            "Resolver endpoint {} has IpAddressCount {n} in list-resolver-endpoints but {} addresses here",
                            e.id,
                            ips.len()
                        ),
                    });
                }
            }
            if e.direction.eq_ignore_ascii_case("INBOUND") && ips.len() < 2 {
                gaps.push(Gap {
                    file,
                    reason: format!(
                        "inbound Resolver endpoint {} has {} address(es); Route 53 requires at least two",
                        e.id,
                        ips.len()
                    ),
                });
            }
        }
    }
}
