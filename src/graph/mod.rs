//! The network model built from snapshot records: indexes by id across every account and region,
//! compiled route tables, and (on demand, `topology.rs`) a petgraph of resources and their
//! relations.
//!
//! Invariant: built only from the [`Snapshot`]; never talks to AWS; lookups that miss return
//! `None` and the caller decides (the verifier treats a miss as "unproven" or "no path").
use std::collections::BTreeMap;
use std::net::IpAddr;

use ipnet::IpNet;
use serde::Serialize;

use crate::route::{self, Family, RouteError, Table, TgwRouteMatch, VpcRouteMatch};
use crate::snapshot::records::*;
use crate::snapshot::{Global, Regional, Snapshot};

mod index;
pub use index::{Indexes, ZoneRef};
mod topology;

/// The model's maps, keyed by AWS ids: hashed with foldhash (seeded per process), a few times
/// faster than std's SipHash on short ids; lookups by id are most of a walk.
pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;
pub mod tgw_policy;

/// Where a record was collected.
#[derive(Debug, Clone, Copy)]
pub struct Loc<'s> {
    pub account: &'s str,
    pub region: &'s str,
}

/// A record with where it came from.
#[derive(Debug)]
pub struct At<'s, T> {
    pub loc: Loc<'s>,
    pub item: &'s T,
}

impl<T> Clone for At<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for At<'_, T> {}

impl<T> std::ops::Deref for At<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.item
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Node {
    pub kind: &'static str,
    pub id: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Relation {
    pub kind: &'static str,
    /// Extra detail, e.g. the route's destination.
    pub detail: String,
}

/// Indexes over the whole snapshot. Ids are global in AWS, so one map per resource type serves
/// every account. The snapshot holds each id once (`snapshot/consistency.rs` keeps the owner's
/// copy of a shared resource and checks that the links AWS allows once, such as a subnet's route
/// table, are claimed once), so indexing never chooses between records.
pub struct Model<'s> {
    pub snapshot: &'s Snapshot,
    pub vpcs: BTreeMap<&'s str, At<'s, Vpc>>,
    pub subnets: HashMap<&'s str, At<'s, Subnet>>,
    pub route_tables: HashMap<&'s str, At<'s, RouteTable>>,
    subnet_route_table: HashMap<&'s str, &'s str>,
    main_route_table: HashMap<&'s str, &'s str>,
    pub internet_gateways: HashMap<&'s str, At<'s, InternetGateway>>,
    pub nat_gateways: HashMap<&'s str, At<'s, NatGateway>>,
    pub peerings: HashMap<&'s str, At<'s, VpcPeeringConnection>>,
    pub endpoints: HashMap<&'s str, At<'s, VpcEndpoint>>,
    endpoint_by_eni: HashMap<&'s str, &'s str>,
    pub service_configs: HashMap<&'s str, At<'s, ServiceConfiguration>>,
    service_by_name: HashMap<&'s str, &'s str>,
    pub enis: HashMap<&'s str, At<'s, NetworkInterface>>,
    /// Address → (VPC, interface) owners in first-seen order; one owner per VPC.
    eni_by_ip: HashMap<IpAddr, Vec<(&'s str, &'s str)>>,
    pub security_groups: HashMap<&'s str, At<'s, SecurityGroup>>,
    nacl_by_subnet: HashMap<&'s str, &'s str>,
    pub nacls: HashMap<&'s str, At<'s, NetworkAcl>>,
    /// Prefix lists whose entries are in the snapshot (every entry a CIDR).
    prefix_lists: HashMap<&'s str, Vec<IpNet>>,
    /// What `describe-managed-prefix-lists` says of each list: (`AddressFamily`, `MaxEntries`).
    prefix_list_meta: HashMap<&'s str, (Option<Family>, Option<i64>)>,
    pub tgw_attachments: HashMap<&'s str, At<'s, TgwAttachment>>,
    pub tgw_vpc_attachments: HashMap<&'s str, At<'s, TgwVpcAttachment>>,
    /// (transit gateway, VPC) → its available VPC attachment with the lowest id.
    tgw_vpc_attachment_of: HashMap<(&'s str, &'s str), &'s str>,
    pub tgw_route_tables: HashMap<&'s str, At<'s, TgwRouteTable>>,
    tgw_routes: HashMap<&'s str, &'s [TgwRoute]>,
    /// Attachment id → route table id, from the route tables' association files.
    tgw_association: HashMap<&'s str, &'s str>,
    pub vpn_connections: HashMap<&'s str, At<'s, VpnConnection>>,
    /// Transit Gateway policy tables (extension files).
    pub tgw_policy: tgw_policy::PolicyIndex<'s>,
    pub load_balancers: HashMap<&'s str, At<'s, LoadBalancer>>,
    pub target_groups: HashMap<&'s str, At<'s, TargetGroup>>,
    /// Route tables parsed once: VPC route table id / TGW route table id → compiled routes.
    compiled_vpc: HashMap<&'s str, Result<Table, RouteError>>,
    compiled_tgw: HashMap<&'s str, Result<Table, RouteError>>,
    /// Every route destination and prefix-list entry, sorted by network address.
    all_prefixes: Vec<IpNet>,
    /// Secondary indexes (by VPC, subnet, id), built once.
    pub idx: Indexes<'s>,
}

impl<'s> Model<'s> {
    pub fn build(snapshot: &'s Snapshot) -> Model<'s> {
        let mut m = Model {
            snapshot,
            vpcs: BTreeMap::new(),
            subnets: HashMap::default(),
            route_tables: HashMap::default(),
            subnet_route_table: HashMap::default(),
            main_route_table: HashMap::default(),
            internet_gateways: HashMap::default(),
            nat_gateways: HashMap::default(),
            peerings: HashMap::default(),
            endpoints: HashMap::default(),
            endpoint_by_eni: HashMap::default(),
            service_configs: HashMap::default(),
            service_by_name: HashMap::default(),
            enis: HashMap::default(),
            eni_by_ip: HashMap::default(),
            security_groups: HashMap::default(),
            nacl_by_subnet: HashMap::default(),
            nacls: HashMap::default(),
            prefix_lists: HashMap::default(),
            prefix_list_meta: HashMap::default(),
            tgw_attachments: HashMap::default(),
            tgw_vpc_attachments: HashMap::default(),
            tgw_vpc_attachment_of: HashMap::default(),
            tgw_route_tables: HashMap::default(),
            tgw_routes: HashMap::default(),
            tgw_association: HashMap::default(),
            vpn_connections: HashMap::default(),
            tgw_policy: tgw_policy::PolicyIndex::default(),
            load_balancers: HashMap::default(),
            target_groups: HashMap::default(),
            compiled_vpc: HashMap::default(),
            compiled_tgw: HashMap::default(),
            all_prefixes: Vec::new(),
            idx: Indexes::build(snapshot),
        };
        for r in &snapshot.regional {
            m.index_regional(r);
        }
        m.compile_routes();
        for a in m
            .tgw_vpc_attachments
            .values()
            .filter(|a| a.state == "available")
        {
            let id = a.item.transit_gateway_attachment_id.as_str();
            let slot = m
                .tgw_vpc_attachment_of
                .entry((a.item.transit_gateway_id.as_str(), a.item.vpc_id.as_str()))
                .or_insert(id);
            if id < *slot {
                *slot = id;
            }
        }
        m
    }

    fn index_regional(&mut self, r: &'s Regional) {
        let loc = Loc {
            account: &r.account,
            region: &r.region,
        };
        /// Relies on the snapshot's invariant that each id appears once (see [`Model`]).
        fn put<'s, T>(
            map: &mut HashMap<&'s str, At<'s, T>>,
            id: &'s str,
            loc: Loc<'s>,
            item: &'s T,
        ) {
            let old = map.insert(id, At { loc, item });
            debug_assert!(old.is_none(), "{id} is in the snapshot twice");
        }
        for v in &r.vpcs {
            let old = self.vpcs.insert(&v.vpc_id, At { loc, item: v });
            debug_assert!(old.is_none(), "{} is in the snapshot twice", v.vpc_id);
        }
        for s in &r.subnets {
            put(&mut self.subnets, &s.subnet_id, loc, s);
        }
        for t in &r.route_tables {
            put(&mut self.route_tables, &t.route_table_id, loc, t);
            for a in &t.associations {
                // `associating`/`disassociating` are transitions: the association is what the
                // owner configured, so it counts; `disassociated` and `failed` do not.
                let disassociated = a
                    .association_state
                    .as_ref()
                    .and_then(|s| s.state.as_deref())
                    .is_some_and(|s| matches!(s, "disassociated" | "failed"));
                if disassociated {
                    continue;
                }
                if a.main {
                    self.main_route_table.insert(&t.vpc_id, &t.route_table_id);
                }
                if let Some(s) = &a.subnet_id {
                    self.subnet_route_table.insert(s, &t.route_table_id);
                }
            }
        }
        for g in &r.internet_gateways {
            put(&mut self.internet_gateways, &g.internet_gateway_id, loc, g);
        }
        for n in &r.nat_gateways {
            put(&mut self.nat_gateways, &n.nat_gateway_id, loc, n);
        }
        for p in &r.peering_connections {
            put(&mut self.peerings, &p.vpc_peering_connection_id, loc, p);
        }
        for e in &r.vpc_endpoints {
            put(&mut self.endpoints, &e.vpc_endpoint_id, loc, e);
            for eni in &e.network_interface_ids {
                self.endpoint_by_eni.insert(eni, &e.vpc_endpoint_id);
            }
        }
        for s in &r.service_configurations {
            put(&mut self.service_configs, &s.service_id, loc, s);
            self.service_by_name.insert(&s.service_name, &s.service_id);
        }
        for e in &r.network_interfaces {
            put(&mut self.enis, &e.network_interface_id, loc, e);
            for ip in e
                .private_ip_address
                .iter()
                .chain(e.private_ip_addresses.iter().map(|p| &p.private_ip_address))
            {
                if let Ok(ip) = ip.parse::<IpAddr>() {
                    let owners = self.eni_by_ip.entry(ip).or_default();
                    if !owners.iter().any(|(vpc, _)| *vpc == e.vpc_id) {
                        owners.push((&e.vpc_id, &e.network_interface_id));
                    }
                }
            }
            // IPv6 addresses are owned the same way (EC2 API reference,
            // `NetworkInterface.Ipv6Addresses`).
            for ip in e
                .ipv6_addresses
                .iter()
                .filter_map(|a| a.ipv6_address.as_deref())
            {
                if let Ok(ip) = ip.parse::<IpAddr>() {
                    let owners = self.eni_by_ip.entry(ip).or_default();
                    if !owners.iter().any(|(vpc, _)| *vpc == e.vpc_id) {
                        owners.push((&e.vpc_id, &e.network_interface_id));
                    }
                }
            }
        }
        for g in &r.security_groups {
            put(&mut self.security_groups, &g.group_id, loc, g);
        }
        for n in &r.network_acls {
            put(&mut self.nacls, &n.network_acl_id, loc, n);
            for a in &n.associations {
                self.nacl_by_subnet.insert(&a.subnet_id, &n.network_acl_id);
            }
        }
        for pl in &r.prefix_lists {
            let family = pl.address_family.as_deref().and_then(Family::from_aws);
            self.prefix_list_meta
                .entry(&pl.prefix_list_id)
                .or_insert((family, pl.max_entries));
        }
        for (id, entries) in &r.prefix_list_entries {
            // A missing entries file is loaded as an empty list (and reported as a gap): its
            // entries are unknown, not empty. So is a list with an entry that is not a CIDR.
            let file = format!(
                "{}/{}/ec2/get-managed-prefix-list-entries/{id}.json",
                r.account, r.region
            );
            if self.idx.has_gap(&file) {
                continue;
            }
            let nets: Option<Vec<IpNet>> = entries
                .iter()
                .map(|e| e.cidr.trim().parse::<IpNet>().ok().map(|n| n.trunc()))
                .collect();
            if let Some(nets) = nets {
                self.prefix_lists.entry(id).or_insert(nets);
            }
        }
        for a in &r.tgw_attachments {
            // The snapshot keeps the TGW owner's view, which carries the association.
            put(
                &mut self.tgw_attachments,
                &a.transit_gateway_attachment_id,
                loc,
                a,
            );
        }
        for a in &r.tgw_vpc_attachments {
            put(
                &mut self.tgw_vpc_attachments,
                &a.transit_gateway_attachment_id,
                loc,
                a,
            );
        }
        for t in &r.tgw_route_tables {
            put(
                &mut self.tgw_route_tables,
                &t.transit_gateway_route_table_id,
                loc,
                t,
            );
        }
        for (id, routes) in &r.tgw_routes {
            self.tgw_routes.insert(id, routes);
        }
        for (rt, assocs) in &r.tgw_associations {
            for a in assocs {
                if a.state.as_deref().is_none_or(|s| s == "associated") {
                    self.tgw_association
                        .insert(&a.transit_gateway_attachment_id, rt);
                }
            }
        }
        self.tgw_policy.add(r);
        for v in &r.vpn_connections {
            put(&mut self.vpn_connections, &v.vpn_connection_id, loc, v);
        }
        for lb in &r.load_balancers {
            put(&mut self.load_balancers, &lb.load_balancer_arn, loc, lb);
        }
        for tg in &r.target_groups {
            put(&mut self.target_groups, &tg.target_group_arn, loc, tg);
        }
    }

    fn compile_routes(&mut self) {
        let lists = KnownLists {
            entries: &self.prefix_lists,
            meta: &self.prefix_list_meta,
        };
        // Each table on its own, on every core (an organisation has tens of thousands).
        use rayon::prelude::*;
        let (vpc, tgw): (HashMap<&'s str, _>, HashMap<&'s str, _>) = rayon::join(
            || {
                self.route_tables
                    .par_iter()
                    .map(|(id, t)| (*id, route::compile_vpc(&t.item.routes, &lists)))
                    .collect()
            },
            || {
                self.tgw_routes
                    .par_iter()
                    .map(|(id, routes)| (*id, route::compile_tgw(routes, &lists)))
                    .collect()
            },
        );
        let mut all: Vec<IpNet> = vpc
            .values()
            .chain(tgw.values())
            .flatten()
            .flat_map(|t| t.routes.iter())
            .flat_map(|c| c.nets.iter().copied())
            .chain(self.prefix_lists.values().flatten().map(|n| n.trunc()))
            .collect();
        all.sort_by_key(|n| (n.network(), n.prefix_len()));
        all.dedup();
        self.compiled_vpc = vpc;
        self.compiled_tgw = tgw;
        self.all_prefixes = all;
    }

    /// Longest-prefix match in a VPC route table (parsed once at build).
    pub fn lookup_vpc(&self, rt: &str, dst: IpAddr) -> Result<Option<VpcRouteMatch>, RouteError> {
        let (Some(table), Some(compiled)) = (self.route_tables.get(rt), self.compiled_vpc.get(rt))
        else {
            return Ok(None);
        };
        let compiled = compiled.as_ref().map_err(Clone::clone)?;
        route::lookup_vpc_compiled(&table.item.routes, compiled, dst)
    }

    /// Longest-prefix match in a TGW route table; `None` when its routes are not in the snapshot.
    pub fn lookup_tgw(
        &self,
        rt: &str,
        dst: IpAddr,
    ) -> Option<Result<Option<TgwRouteMatch>, RouteError>> {
        let routes = self.tgw_routes.get(rt)?;
        let compiled = self.compiled_tgw.get(rt)?;
        Some(
            compiled
                .as_ref()
                .map_err(Clone::clone)
                .and_then(|c| route::lookup_tgw_compiled(routes, c, dst)),
        )
    }

    /// The route table a subnet uses: its explicit association, else its VPC's main table.
    pub fn route_table_of_subnet(&self, subnet_id: &str) -> Option<At<'s, RouteTable>> {
        let id = match self.subnet_route_table.get(subnet_id) {
            Some(id) => *id,
            None => {
                let vpc = self.subnets.get(subnet_id)?.vpc_id.as_str();
                *self.main_route_table.get(vpc)?
            }
        };
        self.route_tables.get(id).copied()
    }

    pub fn nacl_of_subnet(&self, subnet_id: &str) -> Option<At<'s, NetworkAcl>> {
        self.nacl_by_subnet
            .get(subnet_id)
            .and_then(|id| self.nacls.get(id).copied())
    }

    /// CIDRs of a managed prefix list, when its entries are in the snapshot.
    pub fn prefix_list(&self, id: &str) -> Option<Vec<IpNet>> {
        self.prefix_lists.get(id).cloned()
    }

    /// One address per range of `net` that every route table treats alike: the network address,
    /// plus the start of, and the address after, every more specific route destination inside
    /// `net` (VPC and Transit Gateway routes, prefix-list entries). Walking each of these covers
    /// the whole range exactly.
    ///
    /// A route whose prefixes are unknown (a prefix list not in the snapshot, a bad CIDR) adds no
    /// split points; that is sound because a lookup answers only when such a route cannot be
    /// selected or cannot change the outcome, a decision that depends only on which *known*
    /// prefixes contain the address (`route::select`). Every address of a class gets the same
    /// answer, and where the unknown route could split the class the lookup is an error
    /// (unproven) for every address of it.
    pub fn representatives(&self, net: IpNet) -> Vec<IpAddr> {
        let net = net.trunc();
        let start = self
            .all_prefixes
            .partition_point(|p| p.network() < net.network());
        let mut out = vec![net.network()];
        for p in self.all_prefixes[start..]
            .iter()
            .take_while(|p| p.network() <= net.broadcast())
        {
            if p.prefix_len() <= net.prefix_len() || !net.contains(&p.network()) {
                continue;
            }
            out.push(p.network());
            if let Some(next) = next_addr(p.broadcast()) {
                if net.contains(&next) {
                    out.push(next);
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// The ENI in `vpc` that owns `ip`.
    pub fn eni_by_ip(&self, vpc: &str, ip: IpAddr) -> Option<At<'s, NetworkInterface>> {
        let (_, id) = self.eni_by_ip.get(&ip)?.iter().find(|(v, _)| *v == vpc)?;
        self.enis.get(id).copied()
    }

    /// Every ENI in the snapshot that owns `ip` (one per VPC), sorted by interface id.
    pub fn enis_with_ip(&self, ip: IpAddr) -> Vec<At<'s, NetworkInterface>> {
        let mut out: Vec<_> = self
            .eni_by_ip
            .get(&ip)
            .into_iter()
            .flatten()
            .filter_map(|(_, id)| self.enis.get(id).copied())
            .collect();
        out.sort_by(|a, b| a.network_interface_id.cmp(&b.network_interface_id));
        out
    }

    /// The interface endpoint that owns an ENI.
    pub fn endpoint_of_eni(&self, eni: &str) -> Option<At<'s, VpcEndpoint>> {
        let id = self.endpoint_by_eni.get(eni)?;
        self.endpoints.get(id).copied()
    }

    pub fn service_by_name(&self, name: &str) -> Option<At<'s, ServiceConfiguration>> {
        let id = self.service_by_name.get(name)?;
        self.service_configs.get(id).copied()
    }

    pub fn tgw_routes(&self, rt: &str) -> Option<&'s [TgwRoute]> {
        self.tgw_routes.get(rt).copied()
    }

    /// The TGW route table an attachment is associated with (from the attachment record, else
    /// from the route tables' association files).
    pub fn tgw_route_table_of(&self, attachment: &str) -> Option<&'s str> {
        if let Some(a) = self.tgw_attachments.get(attachment) {
            if let Some(assoc) = &a.item.association {
                if assoc.state.as_deref().is_none_or(|s| s == "associated") {
                    if let Some(rt) = &assoc.transit_gateway_route_table_id {
                        return Some(rt);
                    }
                }
            }
        }
        self.tgw_association.get(attachment).copied()
    }

    /// The policy table `attachment`'s own record (`describe-transit-gateway-attachments`,
    /// `Association.TransitGatewayPolicyTableId`) names, in any association state.
    pub fn tgw_policy_table_named_by(
        &self,
        attachment: &str,
    ) -> Option<(&'s str, Option<&'s str>)> {
        let assoc = self
            .tgw_attachments
            .get(attachment)?
            .item
            .association
            .as_ref()?;
        let ptb = assoc.transit_gateway_policy_table_id.as_deref()?;
        Some((ptb, assoc.state.as_deref()))
    }

    /// The VPC attachment of `vpc` to transit gateway `tgw`.
    pub fn tgw_vpc_attachment(&self, tgw: &str, vpc: &str) -> Option<At<'s, TgwVpcAttachment>> {
        let id = self.tgw_vpc_attachment_of.get(&(tgw, vpc))?;
        self.tgw_vpc_attachments.get(id).copied()
    }

    /// The listeners and target health of a load balancer's region.
    pub fn regional_of(&self, loc: Loc<'_>) -> Option<&'s Regional> {
        let i = self.idx.regional(loc.account, loc.region)?;
        self.snapshot.regional.get(i)
    }

    pub fn listeners(&self, lb: At<'s, LoadBalancer>) -> &'s [Listener] {
        self.regional_of(lb.loc)
            .and_then(|r| r.listeners.get(&lb.load_balancer_name))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub fn target_health(&self, tg: At<'s, TargetGroup>) -> &'s [TargetHealthDescription] {
        self.regional_of(tg.loc)
            .and_then(|r| r.target_health.get(&tg.target_group_name))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub fn globals(&self) -> &'s [Global] {
        &self.snapshot.global
    }

    /// The topology graph in Graphviz DOT (built on demand: verification does not use it).
    pub fn to_dot(&self) -> String {
        topology::Topology::build(self).to_dot()
    }
}

/// Prefix lists as the route compiler sees them: entries when known, else what
/// `describe-managed-prefix-lists` says (family, maximum entries).
struct KnownLists<'m, 's> {
    entries: &'m HashMap<&'s str, Vec<IpNet>>,
    meta: &'m HashMap<&'s str, (Option<Family>, Option<i64>)>,
}

impl route::PrefixLists for KnownLists<'_, '_> {
    fn cidrs(&self, id: &str) -> Option<Vec<IpNet>> {
        self.entries.get(id).cloned()
    }
    fn family(&self, id: &str) -> Option<Family> {
        self.meta.get(id).and_then(|m| m.0)
    }
    fn max_entries(&self, id: &str) -> Option<i64> {
        self.meta.get(id).and_then(|m| m.1)
    }
}

fn next_addr(ip: IpAddr) -> Option<IpAddr> {
    match ip {
        IpAddr::V4(a) => u32::from(a).checked_add(1).map(|n| IpAddr::V4(n.into())),
        IpAddr::V6(a) => u128::from(a).checked_add(1).map(|n| IpAddr::V6(n.into())),
    }
}
