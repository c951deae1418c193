//! Which authority answers a name in a VPC: the most specific associated private hosted zone,
//! interface endpoint private DNS name, or Resolver forwarding rule (Route 53 developer guide,
//! "Working with private hosted zones", "Forwarding outbound DNS queries to your network": the most
//! specific match wins, and a forwarding rule wins a tie with a private zone).
use super::{is_suffix, labels, normalize, Via};
use crate::graph::{At, Model};
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
    let mut consider = |depth: usize, prio: u8, auth: Authority<'s>, via: Via| {
        if best
            .as_ref()
            .is_none_or(|(d, p, _, _)| (depth, prio) > (*d, *p))
        {
            best = Some((depth, prio, auth, via));
        }
    };
    // The private zones associated with this VPC whose details are in the snapshot, in the
    // order of the snapshot (an index built once; see `graph::Indexes`).
    for z in model.idx.zones_of_vpc(vpc, region) {
        let g = &model.globals()[z.global];
        {
            let zone = &g.hosted_zones[z.zone];
            let zname = normalize(&zone.name);
            if !is_suffix(&zname, name) {
                continue;
            }
            let id = zone.short_id();
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
    let associations = model.idx.rule_associations_of_vpc(vpc);
    for &(ri, ai) in associations.iter().filter(|_| forwarding) {
        {
            let assoc = &model.snapshot.regional[ri].resolver_rule_associations[ai];
            if assoc.vpc_id != vpc || assoc.status.as_deref().is_some_and(|s| s != "COMPLETE") {
                continue;
            }
            // Rules shared through RAM are listed in the owner's account: look everywhere.
            let rule = model.idx.resolver_rule(&assoc.resolver_rule_id);
            let Some(rule) = rule else {
                // An associated rule we cannot see could forward this very name: unproven.
                consider(
                    usize::MAX,
                    2,
                    Authority::Forward { depth: usize::MAX },
                    Via::Forwarded {
                        rule_id: assoc.resolver_rule_id.clone(),
                        domain: "(rule not in the snapshot)".into(),
                    },
                );
                continue;
            };
            // FORWARD rules send the name to other DNS servers; DELEGATE rules hand the
            // delegated subdomain to them too. Either way the answer is outside the snapshot.
            let domain = normalize(rule.domain());
            let outbound = matches!(rule.rule_type.as_str(), "FORWARD" | "DELEGATE");
            if !outbound || domain.is_empty() || !is_suffix(&domain, name) {
                continue;
            }
            consider(
                labels(&domain),
                2,
                Authority::Forward {
                    depth: labels(&domain),
                },
                Via::Forwarded {
                    rule_id: rule.id.clone(),
                    domain,
                },
            );
        }
    }
    best.map(|(_, _, auth, via)| (auth, via))
}

fn system_rule_overrides(model: &Model<'_>, vpc: &str, name: &str, depth: usize) -> bool {
    model
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
