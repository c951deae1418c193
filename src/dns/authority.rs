//! Which authority answers a name in a VPC: the most specific associated private hosted zone,
//! interface endpoint private DNS name, or Resolver forwarding rule (Route 53 developer guide,
//! "Working with private hosted zones", "Forwarding outbound DNS queries to your network": the most
//! specific match wins, and a forwarding rule wins a tie with a private zone).
use super::{is_suffix, labels, normalize, Via};
use crate::graph::{At, Model, ZoneRef};
use crate::snapshot::records::{ResourceRecordSet, VpcEndpoint};

/// Who answers a name in a VPC.
pub(super) enum Authority<'s> {
    Zone {
        id: &'s str,
        name: String,
        records: &'s [ResourceRecordSet],
    },
    Endpoint(At<'s, VpcEndpoint>),
    /// A Resolver rule sends the name elsewhere; `depth` is the labels of its domain
    /// (`usize::MAX` for an associated rule that is not in the snapshot).
    Forward {
        depth: usize,
    },
    /// A VPC's own zone or rule and a Route 53 Profile's overlap at the same depth: AWS documents
    /// no precedence between them, so the answer is unproven ([`super::profiles`]).
    Conflict {
        resource: String,
        reason: String,
    },
}

/// The most specific zone, endpoint private DNS name or forwarding rule for `name` in the VPC.
pub(super) fn authority_for<'s>(
    model: &Model<'s>,
    vpc: &str,
    region: &str,
    name: &str,
) -> Option<(Authority<'s>, Via)> {
    let (auth, via) = most_specific(model, vpc, region, name, true)?;
    if let Authority::Forward { depth } = auth {
        // A more specific SYSTEM rule takes the name back to the Resolver's own view (Route 53
        // developer guide, "How Resolver determines whether the domain name in a query matches
        // any rules": the most specific rule wins). An associated rule that is not in the
        // snapshot is never overridden: its domain is unknown.
        if depth != usize::MAX && system_rule_overrides(model, vpc, name, depth) {
            return most_specific(model, vpc, region, name, false);
        }
    }
    Some((auth, via))
}

fn most_specific<'s>(
    model: &Model<'s>,
    vpc: &str,
    region: &str,
    name: &str,
    forwarding: bool,
) -> Option<(Authority<'s>, Via)> {
    let mut best: Option<(usize, u8, Authority<'s>, Via)> = None;
    // Every candidate's depth, whether a Route 53 Profile brought it, its id, and whether it is
    // a private hosted zone.
    let mut seen: Vec<(usize, Option<String>, String, bool)> = Vec::new();
    let profile = super::profiles::items(model, vpc, region);
    let profile_zones: Vec<(&str, &str)> = profile
        .iter()
        .filter_map(|i| match i {
            super::profiles::Item::Zone { zone_id, profile } => {
                Some((zone_id.as_str(), profile.as_str()))
            }
            _ => None,
        })
        .collect();
    let mut consider = |depth: usize, prio: u8, auth: Authority<'s>, via: Via| {
        if best
            .as_ref()
            .is_none_or(|(d, p, _, _)| (depth, prio) > (*d, *p))
        {
            best = Some((depth, prio, auth, via));
        }
    };
    // The private zones associated with this VPC whose details are in the snapshot (an index
    // built once; see `graph::Indexes`), and the zones its Route 53 Profile brings, in snapshot
    // order, each once.
    let mut candidates: Vec<(ZoneRef, bool)> = model
        .idx
        .zones_of_vpc(vpc, region)
        .map(|z| (z, true))
        .collect();
    if !profile_zones.is_empty() {
        for (gi, g) in model.globals().iter().enumerate() {
            for (zi, zone) in g.hosted_zones.iter().enumerate() {
                let z = ZoneRef {
                    global: gi,
                    zone: zi,
                };
                if zone.is_private()
                    && g.zone_details.contains_key(zone.short_id())
                    && profile_zones.iter().any(|(id, _)| *id == zone.short_id())
                    && !candidates.iter().any(|(c, _)| *c == z)
                {
                    candidates.push((z, false));
                }
            }
        }
        candidates.sort_by_key(|(z, _)| (z.global, z.zone));
    }
    for (z, associated) in candidates {
        let g = &model.globals()[z.global];
        let zone = &g.hosted_zones[z.zone];
        let zname = normalize(&zone.name);
        if !is_suffix(&zname, name) {
            continue;
        }
        let id = zone.short_id();
        let from_profile = profile_zones
            .iter()
            .find(|(z, _)| *z == id)
            .map(|(_, p)| *p);
        if !associated && from_profile.is_none() {
            continue;
        }
        seen.push((
            labels(&zname),
            (!associated).then(|| from_profile.unwrap_or_default().to_string()),
            id.to_string(),
            true,
        ));
        let records = g.record_sets.get(id).map(Vec::as_slice).unwrap_or(&[]);
        let via = Via::PrivateZone {
            zone_id: id.to_string(),
            zone_name: zname.clone(),
            account: g.account.clone(),
        };
        consider(
            labels(&zname),
            1,
            Authority::Zone {
                id,
                name: zname.clone(),
                records,
            },
            via,
        );
    }
    for ep in model
        .idx
        .endpoints_of_vpc(vpc)
        .iter()
        .filter_map(|e| model.endpoints.get(e.vpc_endpoint_id.as_str()))
    {
        if ep.vpc_id != vpc || !ep.private_dns_enabled || ep.vpc_endpoint_type != "Interface" {
            continue;
        }
        for entry in &ep.dns_entries {
            let Some(dns) = entry.dns_name.as_deref().map(normalize) else {
                continue;
            };
            if dns.ends_with(".vpce.amazonaws.com") {
                continue;
            }
            let (zone, matches) = match dns.strip_prefix("*.") {
                Some(parent) => (
                    parent.to_string(),
                    is_suffix(parent, name) && name != parent,
                ),
                None => (dns.clone(), dns == name),
            };
            if matches {
                seen.push((labels(&zone), None, ep.vpc_endpoint_id.clone(), false));
                consider(
                    labels(&zone),
                    1,
                    Authority::Endpoint(*ep),
                    Via::EndpointPrivateDns {
                        endpoint: ep.vpc_endpoint_id.clone(),
                    },
                );
            }
        }
    }
    // The VPC's own rule associations, then the rules its Route 53 Profile brings.
    let mut rule_ids: Vec<(String, Option<String>)> = Vec::new();
    for &(ri, ai) in model
        .idx
        .rule_associations_of_vpc(vpc)
        .iter()
        .filter(|_| forwarding)
    {
        let assoc = &model.snapshot.regional[ri].resolver_rule_associations[ai];
        if assoc.vpc_id != vpc || assoc.status.as_deref().is_some_and(|s| s != "COMPLETE") {
            continue;
        }
        rule_ids.push((assoc.resolver_rule_id.clone(), None));
    }
    for i in profile.iter().filter(|_| forwarding) {
        if let super::profiles::Item::Rule { rule, profile } = i {
            rule_ids.push((rule.id.clone(), Some(profile.clone())));
        }
    }
    for (rule_id, from_profile) in &rule_ids {
        {
            // Rules shared through RAM are listed in the owner's account: look everywhere.
            let rule = model.idx.resolver_rule(rule_id);
            let Some(rule) = rule else {
                // An associated rule we cannot see could forward this very name: unproven.
                consider(
                    usize::MAX,
                    2,
                    Authority::Forward { depth: usize::MAX },
                    Via::Forwarded {
                        rule_id: rule_id.clone(),
                        domain: "(rule not in the snapshot)".into(),
                    },
                );
                continue;
            };
            // FORWARD rules send the name to other DNS servers; DELEGATE rules hand the
            // delegated subdomain to them too. Either way the answer is outside the snapshot.
            // A rule for "." (the root, `domain` empty) matches every name, at depth 0, so any
            // zone, endpoint name or rule for a real domain is more specific ("How Resolver
            // determines whether the domain name in a query matches any rules").
            let domain = normalize(rule.domain());
            let outbound = matches!(rule.rule_type.as_str(), "FORWARD" | "DELEGATE");
            if !outbound || !is_suffix(&domain, name) {
                continue;
            }
            seen.push((
                labels(&domain),
                from_profile.clone(),
                rule.id.clone(),
                false,
            ));
            consider(
                labels(&domain),
                2,
                Authority::Forward {
                    depth: labels(&domain),
                },
                Via::Forwarded {
                    rule_id: rule.id.clone(),
                    domain: if domain.is_empty() {
                        ".".into()
                    } else {
                        domain
                    },
                },
            );
        }
    }
    let (depth, _, auth, via) = best?;
    // The same zone associated directly and through the Profile is one zone, not a conflict.
    let at: Vec<&(usize, Option<String>, String, bool)> =
        seen.iter().filter(|(d, ..)| *d == depth).collect();
    let local: Vec<&str> = at
        .iter()
        .filter(|(_, p, ..)| p.is_none())
        .map(|(_, _, id, _)| id.as_str())
        .collect();
    let from_profile: Vec<(&str, &str)> = at
        .iter()
        .filter_map(|(_, p, id, _)| p.as_deref().map(|p| (p, id.as_str())))
        .filter(|(_, id)| !local.contains(id))
        .collect();
    // Two private hosted zones of the same name associated with the VPC: AWS refuses the second
    // association (Route 53 API reference, `AssociateVPCWithHostedZone`, ConflictingDomainExists:
    // "The VPC that you specified is already associated with another hosted zone that has the
    // same name"), so the snapshot is inconsistent and neither zone can be picked.
    let mut own_zones: Vec<&str> = at
        .iter()
        .filter(|(_, p, _, zone)| p.is_none() && *zone)
        .map(|(_, _, id, _)| id.as_str())
        .collect();
    own_zones.sort_unstable();
    own_zones.dedup();
    if let [first, second, ..] = own_zones.as_slice() {
        if matches!(auth, Authority::Zone { .. }) {
            return Some((
                Authority::Conflict {
                    resource: second.to_string(),
                    reason: format!("private hosted zones {first} and {second} have the same name and are both associated with {vpc}, which AWS does not allow (ConflictingDomainExists); the snapshot is inconsistent, so which answers {name} cannot be told"),
                },
                via,
            ));
        }
    }
    if let (Some(own), Some((profile, theirs))) = (local.first(), from_profile.first()) {
        return Some((
            Authority::Conflict {
                resource: theirs.to_string(),
                reason: format!("{name} is answered both by {own} (associated with {vpc}) and by {theirs} (from Route 53 Profile {profile}) at the same domain depth; AWS documents no precedence between a VPC's own associations and its Profile's"),
            },
            via,
        ));
    }
    Some((auth, via))
}

fn system_rule_overrides(model: &Model<'_>, vpc: &str, name: &str, depth: usize) -> bool {
    let region = model
        .vpcs
        .get(vpc)
        .map(|v| v.loc.region)
        .unwrap_or_default();
    let from_profile = super::profiles::items(model, vpc, region)
        .into_iter()
        .any(|i| match i {
            super::profiles::Item::Rule { rule, .. } => {
                rule.rule_type == "SYSTEM"
                    && is_suffix(&normalize(rule.domain()), name)
                    && labels(&normalize(rule.domain())) > depth
            }
            _ => false,
        });
    from_profile
        || model
            .idx
            .rule_associations_of_vpc(vpc)
            .iter()
            .any(|&(ri, ai)| {
                let a = &model.snapshot.regional[ri].resolver_rule_associations[ai];
                a.vpc_id == vpc
                    && model
                        .idx
                        .resolver_rules_with_id(&a.resolver_rule_id)
                        .iter()
                        .any(|rule| {
                            rule.rule_type == "SYSTEM"
                                && is_suffix(&normalize(rule.domain()), name)
                                && labels(&normalize(rule.domain())) > depth
                        })
            })
}
