//! Secondary indexes of the [`Model`](super::Model): by VPC, subnet, (account, Region) and id,
//! built once, so no lookup scans every record of a type (at organisation scale — 10,000 VPCs —
//! a scan per query makes verification quadratic).
//!
//! Every list keeps the order in which the records appear in the snapshot (Regional by Regional,
//! record by record), which is the order the scans they replace visited them in, so a
//! first-match or a tie-break decided by order gives the same answer.
use super::{HashMap, HashSet};

use crate::snapshot::dnsx::ProfileAssociation;
use crate::snapshot::records::{NetworkInterface, ResolverRule, TgwVpcAttachment, VpcEndpoint};
use crate::snapshot::{Global, Regional, Snapshot};

/// A private hosted zone of the snapshot: `Global` index and zone index in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZoneRef {
    pub global: usize,
    pub zone: usize,
}

#[derive(Default)]
pub struct Indexes<'s> {
    /// account → (Region, index in `snapshot.regional`), in snapshot order.
    regional: HashMap<&'s str, Vec<(&'s str, usize)>>,
    /// (VPC id, VPC Region) → the private zones associated with it (`get-hosted-zone` VPCs) that
    /// have their details in the snapshot, in snapshot order, each once.
    /// Keyed by VPC id, each entry with the association's Region.
    zones_of_vpc: HashMap<&'s str, Vec<(&'s str, ZoneRef)>>,
    /// VPC id → its VPC endpoints, in snapshot order.
    endpoints_of_vpc: HashMap<&'s str, Vec<&'s VpcEndpoint>>,
    /// VPC id → its Resolver rule associations as (Regional index, association index), in
    /// snapshot order.
    rule_associations_of_vpc: HashMap<&'s str, Vec<(usize, usize)>>,
    /// Resolver rule id → the rules with that id, in snapshot order.
    resolver_rules: HashMap<&'s str, Vec<&'s ResolverRule>>,
    /// Subnet id → the network interfaces in it, in snapshot order.
    enis_of_subnet: HashMap<&'s str, Vec<&'s NetworkInterface>>,
    /// VPC id → its Transit Gateway VPC attachments, in snapshot order.
    tgw_vpc_attachments_of_vpc: HashMap<&'s str, Vec<&'s TgwVpcAttachment>>,
    /// VPC id → its subnets' ids, sorted.
    subnets_of_vpc: HashMap<&'s str, Vec<&'s str>>,
    /// Route 53 Profile association resource id (a VPC) → (its Regional's Region, the
    /// association), in snapshot order.
    profile_associations_of_vpc: HashMap<&'s str, Vec<(&'s str, &'s ProfileAssociation)>>,
    /// Files the snapshot reports a gap for.
    gap_files: HashSet<&'s str>,
}

impl<'s> Indexes<'s> {
    pub fn build(snapshot: &'s Snapshot) -> Indexes<'s> {
        let mut ix = Indexes::default();
        for (ri, r) in snapshot.regional.iter().enumerate() {
            ix.regional
                .entry(r.account.as_str())
                .or_default()
                .push((r.region.as_str(), ri));
            ix.index_regional(ri, r);
        }
        for (gi, g) in snapshot.global.iter().enumerate() {
            ix.index_global(gi, g);
        }
        for list in ix.subnets_of_vpc.values_mut() {
            list.sort_unstable();
        }
        ix.gap_files = snapshot.gaps.iter().map(|g| g.file.as_str()).collect();
        ix
    }

    fn index_regional(&mut self, ri: usize, r: &'s Regional) {
        for e in &r.vpc_endpoints {
            self.endpoints_of_vpc.entry(&e.vpc_id).or_default().push(e);
        }
        for (ai, a) in r.resolver_rule_associations.iter().enumerate() {
            self.rule_associations_of_vpc
                .entry(&a.vpc_id)
                .or_default()
                .push((ri, ai));
        }
        for rule in &r.resolver_rules {
            self.resolver_rules.entry(&rule.id).or_default().push(rule);
        }
        for e in &r.network_interfaces {
            self.enis_of_subnet.entry(&e.subnet_id).or_default().push(e);
        }
        for a in &r.tgw_vpc_attachments {
            self.tgw_vpc_attachments_of_vpc
                .entry(&a.vpc_id)
                .or_default()
                .push(a);
        }
        for a in r.dnsx.profile_associations.iter().flatten() {
            self.profile_associations_of_vpc
                .entry(&a.resource_id)
                .or_default()
                .push((&r.region, a));
        }
        for s in &r.subnets {
            self.subnets_of_vpc
                .entry(&s.vpc_id)
                .or_default()
                .push(&s.subnet_id);
        }
    }

    fn index_global(&mut self, gi: usize, g: &'s Global) {
        for (zi, zone) in g.hosted_zones.iter().enumerate() {
            if !zone.is_private() {
                continue;
            }
            let Some(detail) = g.zone_details.get(zone.short_id()) else {
                continue;
            };
            let z = ZoneRef {
                global: gi,
                zone: zi,
            };
            for v in &detail.vpcs {
                let list = self.zones_of_vpc.entry(v.vpc_id.as_str()).or_default();
                let entry = (v.vpc_region.as_str(), z);
                if !list.contains(&entry) {
                    list.push(entry);
                }
            }
        }
    }

    /// Index in `snapshot.regional` of (account, Region).
    pub fn regional(&self, account: &str, region: &str) -> Option<usize> {
        let list = self.regional.get(account)?;
        list.iter().find(|(r, _)| *r == region).map(|(_, i)| *i)
    }

    /// Private zones associated with `vpc` in `region` (details in the snapshot), snapshot order.
    pub fn zones_of_vpc<'a>(
        &'a self,
        vpc: &str,
        region: &'a str,
    ) -> impl Iterator<Item = ZoneRef> + 'a {
        in_region(&self.zones_of_vpc, vpc, region)
    }

    /// VPC endpoints in `vpc`, snapshot order.
    pub fn endpoints_of_vpc(&self, vpc: &str) -> &[&'s VpcEndpoint] {
        self.endpoints_of_vpc.get(vpc).map_or(&[], Vec::as_slice)
    }

    /// Resolver rule associations of `vpc` as (Regional index, association index).
    pub fn rule_associations_of_vpc(&self, vpc: &str) -> &[(usize, usize)] {
        self.rule_associations_of_vpc
            .get(vpc)
            .map_or(&[], Vec::as_slice)
    }

    /// The first Resolver rule with this id in the snapshot (rules shared through RAM are listed
    /// in the owner's account, so every account's rules are looked in).
    pub fn resolver_rule(&self, id: &str) -> Option<&'s ResolverRule> {
        self.resolver_rules_with_id(id).first().copied()
    }

    /// Every Resolver rule with this id, snapshot order.
    pub fn resolver_rules_with_id(&self, id: &str) -> &[&'s ResolverRule] {
        self.resolver_rules.get(id).map_or(&[], Vec::as_slice)
    }

    /// Network interfaces in `subnet`, snapshot order.
    pub fn enis_of_subnet(&self, subnet: &str) -> &[&'s NetworkInterface] {
        self.enis_of_subnet.get(subnet).map_or(&[], Vec::as_slice)
    }

    /// Transit Gateway VPC attachments of `vpc`, snapshot order.
    pub fn tgw_vpc_attachments_of_vpc(&self, vpc: &str) -> &[&'s TgwVpcAttachment] {
        self.tgw_vpc_attachments_of_vpc
            .get(vpc)
            .map_or(&[], Vec::as_slice)
    }

    /// Subnet ids of `vpc`, sorted.
    pub fn subnets_of_vpc(&self, vpc: &str) -> &[&'s str] {
        self.subnets_of_vpc.get(vpc).map_or(&[], Vec::as_slice)
    }

    /// Route 53 Profile associations of `vpc` listed in a Regional of `region`, snapshot order.
    pub fn profile_associations_of_vpc<'a>(
        &'a self,
        vpc: &str,
        region: &'a str,
    ) -> impl Iterator<Item = &'s ProfileAssociation> + 'a {
        in_region(&self.profile_associations_of_vpc, vpc, region)
    }

    /// Whether the snapshot reports a gap for `file`.
    pub fn has_gap(&self, file: &str) -> bool {
        self.gap_files.contains(file)
    }
}

/// The entries of `vpc` in a by-VPC index of (Region, item) whose Region is `region`, in order.
fn in_region<'a, T: Copy>(
    index: &'a HashMap<&str, Vec<(&str, T)>>,
    vpc: &str,
    region: &'a str,
) -> impl Iterator<Item = T> + 'a {
    index
        .get(vpc)
        .into_iter()
        .flatten()
        .filter(move |(r, _)| *r == region)
        .map(|(_, item)| *item)
}
