//! Route selection when some routes' prefixes are unknown.
//!
//! Every route is ranked by (prefix length, rank) and the highest wins (VPC guide "How route
//! priority works", TGW guide "Route evaluation order"). A route whose prefixes are unknown (a
//! prefix list not in the snapshot, a destination that is not a CIDR) could hold *any* prefix of
//! its family, so for a destination `dst` it could be selected unless
//! - its family cannot contain `dst`, or
//! - the best known route for `dst` beats it even at the family's longest prefix: a static CIDR
//!   host route (`/32`, `/128`) beats a prefix-list route of the same prefix;
//!
//! and where it could be selected, the selection does not matter only if it leads to the same
//! outcome (same target, same blackhole state; for a TGW the same set of ECMP attachments) as the
//! route that is selected otherwise (the best known route, or no route at all). Several unknown
//! routes are each compared with that route, which covers every combination: whichever of them
//! wins, the outcome is one of theirs or the known one.
//!
//! Two known routes that are equally preferred (same prefix, same rank; e.g. two prefix lists
//! with overlapping entries, which the VPC guide says AWS resolves by picking one) are a tie: the
//! lookup is an error unless both lead to the same outcome.
//!
//! The decision depends only on which known prefixes contain `dst`, so every address of a range
//! that no known prefix splits gets the same answer; [`crate::graph::Model::representatives`]
//! relies on this.
use std::collections::BTreeMap;
use std::net::IpAddr;

use ipnet::IpNet;

use super::{Compiled, Family, RouteError, Unknown};

/// Probed once per prefix length per lookup: foldhash, not SipHash, for the address keys.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A compiled route table and an index of its known prefixes by (prefix length, network
/// address), so a lookup probes one bucket per prefix length in the table instead of comparing
/// every route: a Transit Gateway route table with a propagated route per device VPC holds
/// thousands of them, and every packet of every path is looked up in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub routes: Vec<Compiled>,
    /// IPv4 and IPv6: prefix length → network address → (route position, net position) of the
    /// prefixes with that network, in table order.
    v4: BTreeMap<u8, HashMap<u128, Vec<(usize, usize)>>>,
    v6: BTreeMap<u8, HashMap<u128, Vec<(usize, usize)>>>,
    /// Positions of the routes whose prefixes are unknown, in table order.
    unknown: Vec<usize>,
}

fn bits(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(a) => u128::from(u32::from(a)),
        IpAddr::V6(a) => u128::from(a),
    }
}

impl Table {
    pub fn new(routes: Vec<Compiled>) -> Table {
        let mut t = Table {
            routes,
            v4: BTreeMap::new(),
            v6: BTreeMap::new(),
            unknown: Vec::new(),
        };
        for (ri, route) in t.routes.iter().enumerate() {
            if route.unknown.is_some() {
                t.unknown.push(ri);
                continue;
            }
            for (ni, net) in route.nets.iter().enumerate() {
                let by_len = match net {
                    IpNet::V4(_) => &mut t.v4,
                    IpNet::V6(_) => &mut t.v6,
                };
                // `IpNet::contains` compares the masked addresses, so the key is the network.
                by_len
                    .entry(net.prefix_len())
                    .or_default()
                    .entry(bits(net.network()))
                    .or_default()
                    .push((ri, ni));
            }
        }
        t
    }

    /// The best known routes for `dst`: every (route, prefix) pair with the highest (prefix
    /// length, rank) among the known prefixes containing `dst`, each route once (its first such
    /// prefix), in table order; and that key.
    pub(super) fn best_known(&self, dst: IpAddr) -> (Vec<Pick<'_>>, Option<(u8, u8)>) {
        let by_len = match dst {
            IpAddr::V4(_) => &self.v4,
            IpAddr::V6(_) => &self.v6,
        };
        let max = Family::of(dst).max_len();
        for (&len, buckets) in by_len.iter().rev() {
            let mask = if len == 0 {
                0
            } else {
                (!0u128 >> (128 - u32::from(max))) & !((1u128 << (max - len)) - 1)
            };
            let Some(hits) = buckets.get(&(bits(dst) & mask)) else {
                continue;
            };
            let rank = hits
                .iter()
                .map(|&(ri, _)| self.routes[ri].rank)
                .max()
                .unwrap_or(0);
            let mut best: Vec<Pick<'_>> = Vec::new();
            for &(ri, ni) in hits.iter().filter(|(ri, _)| self.routes[*ri].rank == rank) {
                let route = &self.routes[ri];
                if !best.iter().any(|p| std::ptr::eq(p.route, route)) {
                    best.push(Pick {
                        route,
                        net: route.nets[ni],
                    });
                }
            }
            return (best, Some((len, rank)));
        }
        (Vec::new(), None)
    }
}

/// [`Table::best_known`] by comparing every route, as the route priority rules read: the oracle
/// the index is tested against.
#[cfg(test)]
pub(super) fn best_known_by_scan(table: &Table, dst: IpAddr) -> (Vec<Pick<'_>>, Option<(u8, u8)>) {
    let mut best: Vec<Pick<'_>> = Vec::new();
    let mut best_key: Option<(u8, u8)> = None;
    for route in table.routes.iter().filter(|r| r.unknown.is_none()) {
        for net in route.nets.iter().filter(|n| n.contains(&dst)) {
            let key = (net.prefix_len(), route.rank);
            match best_key {
                Some(k) if key < k => {}
                Some(k) if key == k => {
                    if !best.iter().any(|p| std::ptr::eq(p.route, route)) {
                        best.push(Pick { route, net: *net });
                    }
                }
                _ => {
                    best_key = Some(key);
                    best = vec![Pick { route, net: *net }];
                }
            }
        }
    }
    (best, best_key)
}

/// A selected route and the prefix of it that contains the destination.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pick<'a> {
    pub route: &'a Compiled,
    pub net: IpNet,
}

/// The route selected for `dst`. `outcome` says what a route does with the packet, `describe`
/// names an outcome in errors, `adjust` applies a table-specific rule to the known winner (the
/// VPC local-route rule).
pub(super) fn decide<'a, O: PartialEq>(
    table: &'a Table,
    dst: IpAddr,
    outcome: impl Fn(&Compiled) -> O,
    describe: impl Fn(&O) -> String,
    adjust: impl Fn(Pick<'a>) -> Pick<'a>,
) -> Result<Option<Pick<'a>>, RouteError> {
    // The best known routes (all of them when several are equally preferred).
    let (best, best_key) = table.best_known(dst);
    // The known winner after the table rule.
    let chosen = best.first().copied().map(&adjust);
    // A tie the table rule overrides (propagated routes under the local route) does not matter.
    let overridden = best
        .first()
        .zip(chosen)
        .is_some_and(|(p, c)| !std::ptr::eq(c.route, p.route));
    // What the chosen route does (an outcome depends on the route only).
    let mut known = None;
    if let Some(first) = best.first().filter(|_| !overridden) {
        let first_outcome = outcome(first.route);
        if let Some(other) = best[1..].iter().find(|p| outcome(p.route) != first_outcome) {
            return Err(RouteError::Tie {
                index: first.route.index,
                other: other.route.index,
                dst,
                prefix: first.net,
                target: describe(&first_outcome),
                other_target: describe(&outcome(other.route)),
            });
        }
        known = Some(first_outcome);
    }
    if overridden {
        known = chosen.map(|p| outcome(p.route));
    }
    // What the lookup would answer without the unknown route (for its error only).
    let instead = || match (&chosen, &known) {
        (Some(p), Some(o)) => format!("route {} (to {})", p.route.destination, describe(o)),
        _ => "no route".to_string(),
    };
    let longest = Family::of(dst).max_len();
    for route in table.unknown.iter().map(|&i| &table.routes[i]) {
        let Some(unknown) = &route.unknown else {
            continue;
        };
        if !unknown.admits(dst) {
            continue;
        }
        // Equal keys count as "could be selected": AWS does not say which of two equally
        // preferred routes wins.
        if best_key.is_some_and(|k| (longest, route.rank) < k) {
            continue;
        }
        let theirs = outcome(route);
        if known.as_ref() == Some(&theirs) {
            continue;
        }
        let target = describe(&theirs);
        let instead = instead();
        return Err(match unknown {
            Unknown::PrefixList {
                id,
                family,
                max_entries,
            } => RouteError::UnknownPrefixList {
                index: route.index,
                id: id.clone(),
                what: match (family, max_entries) {
                    (None, _) => "not described either: its entries could be any prefix".into(),
                    (Some(f), Some(n)) => {
                        format!(
                            "{} list of up to {n} entries: any {} prefix",
                            f.name(),
                            f.name()
                        )
                    }
                    (Some(f), None) => format!("{} list: any {} prefix", f.name(), f.name()),
                },
                dst,
                target,
                instead,
            },
            Unknown::BadCidr { value, .. } => RouteError::BadCidr {
                index: route.index,
                value: value.clone(),
                dst,
                target,
                instead,
            },
        });
    }
    Ok(chosen)
}
