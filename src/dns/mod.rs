//! Name resolution as a VPC sees it (Route 53 Resolver, "VPC+2").
//!
//! Model (Route 53 developer guide, "Working with private hosted zones" and Resolver docs):
//! - The private hosted zones associated with the VPC (from any account, `get-hosted-zone` VPCs)
//!   and the private DNS names of interface endpoints in the VPC with `PrivateDnsEnabled`.
//! - The most specific zone whose name is a suffix of the query wins. A matching zone without the
//!   record answers NXDOMAIN: there is no fallback to public DNS.
//! - Resolver FORWARD rules associated with the VPC take part in the same most-specific match and
//!   win a tie; a forwarded query's answer is not in the snapshot, so it is reported as such.
//! - Alias A/AAAA records resolve to interface endpoint DNS names (`DnsEntries`), load balancer
//!   DNS names, or other records of the zone; CNAMEs are followed (at most 8 steps).
//! - No matching zone or rule: public resolution.
use std::net::IpAddr;

use serde::Serialize;

use crate::graph::{At, Model};
use crate::snapshot::records::{ResourceRecordSet, VpcEndpoint};

/// How a name was answered.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Via {
    PrivateZone {
        zone_id: String,
        zone_name: String,
        account: String,
    },
    EndpointPrivateDns {
        endpoint: String,
    },
    Forwarded {
        rule_id: String,
        domain: String,
    },
    Public,
}

/// One answer of a resolution.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum DnsTarget {
    /// An address, with what the record pointed at.
    Address {
        record: String,
        ip: IpAddr,
        #[serde(skip_serializing_if = "Option::is_none")]
        endpoint: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        load_balancer: Option<String>,
    },
    /// The zone answers, but has no address record for the name.
    NxDomain { record: String },
    /// A record pathproof cannot follow (an alias to a resource it does not model).
    Unresolvable { record: String, reason: String },
}

#[derive(Debug, Clone, Serialize)]
pub struct Resolution {
    pub name: String,
    pub via: Via,
    /// Names followed (CNAME / alias chain), first is the query.
    pub chain: Vec<String>,
    pub targets: Vec<DnsTarget>,
}

impl Resolution {
    /// A name answered by something other than the VPC's private view: `via` with no targets.
    pub fn unanswered(name: &str, via: Via) -> Resolution {
        let name = normalize(name);
        Resolution {
            chain: vec![name.clone()],
            name,
            via,
            targets: Vec::new(),
        }
    }
}

/// Lower-case, no trailing dot, Route 53's `\052` escape turned back into `*`.
pub fn normalize(name: &str) -> String {
    name.trim()
        .trim_end_matches('.')
        .replace("\\052", "*")
        .to_ascii_lowercase()
}

/// True when `zone` is `name` or a parent domain of it (label-wise).
fn is_suffix(zone: &str, name: &str) -> bool {
    zone.is_empty() || name == zone || name.ends_with(&format!(".{zone}"))
}

fn labels(name: &str) -> usize {
    if name.is_empty() {
        0
    } else {
        name.split('.').count()
    }
}

enum Authority<'s> {
    Zone {
        id: &'s str,
        records: &'s [ResourceRecordSet],
    },
    Endpoint(At<'s, VpcEndpoint>),
    Forward {
        domain: String,
    },
}

/// Resolve `name` from inside `vpc` (in `region`).
pub fn resolve(model: &Model<'_>, vpc: &str, region: &str, name: &str) -> Resolution {
    let query = normalize(name);
    let mut chain = vec![query.clone()];
    let mut current = query.clone();
    let mut via = Via::Public;
    for _ in 0..8 {
        let Some((authority, auth_via)) = authority_for(model, vpc, region, &current) else {
            if chain.len() > 1 {
                // A CNAME out of the private zone: an endpoint or load balancer DNS name is
                // answered by AWS; anything else resolves publicly and cannot be followed.
                let targets = alias_targets(model, &query, &current);
                return Resolution {
                    name: query,
                    via,
                    chain,
                    targets,
                };
            }
            return Resolution {
                name: query,
                via,
                chain,
                targets: Vec::new(),
            };
        };
        if chain.len() == 1 {
            via = auth_via;
        }
        match authority {
            Authority::Forward { .. } => {
                return Resolution {
                    name: query,
                    via,
                    chain,
                    targets: Vec::new(),
                };
            }
            Authority::Endpoint(ep) => {
                let targets = endpoint_addresses(model, ep, &current, &current);
                return Resolution {
                    name: query,
                    via,
                    chain,
                    targets,
                };
            }
            Authority::Zone { id, records, .. } => {
                match answer_in_zone(model, id, records, &current) {
                    ZoneAnswer::Targets(targets) => {
                        return Resolution {
                            name: query,
                            via,
                            chain,
                            targets,
                        }
                    }
                    ZoneAnswer::Follow(next) => {
                        current = normalize(&next);
                        chain.push(current.clone());
                    }
                }
            }
        }
    }
    Resolution {
        name: query,
        via,
        targets: vec![DnsTarget::Unresolvable {
            record: current,
            reason: "CNAME/alias chain longer than 8".into(),
        }],
        chain,
    }
}

/// The most specific zone, endpoint private DNS name or forwarding rule for `name` in the VPC.
fn authority_for<'s>(
    model: &Model<'s>,
    vpc: &str,
    region: &str,
    name: &str,
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
    for g in model.globals() {
        for zone in &g.hosted_zones {
            if !zone.is_private() {
                continue;
            }
            let zname = normalize(&zone.name);
            if !is_suffix(&zname, name) {
                continue;
            }
            let id = zone.short_id();
            let Some(detail) = g.zone_details.get(id) else {
                continue;
            };
            let associated = detail
                .vpcs
                .iter()
                .any(|v| v.vpc_id == vpc && v.vpc_region == region);
            if !associated {
                continue;
            }
            let records = g.record_sets.get(id).map(Vec::as_slice).unwrap_or(&[]);
            let via = Via::PrivateZone {
                zone_id: id.to_string(),
                zone_name: zname.clone(),
                account: g.account.clone(),
            };
            consider(labels(&zname), 1, Authority::Zone { id, records }, via);
        }
    }
    for ep in model.endpoints.values() {
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
    for r in &model.snapshot.regional {
        for assoc in &r.resolver_rule_associations {
            if assoc.vpc_id != vpc || assoc.status.as_deref().is_some_and(|s| s != "COMPLETE") {
                continue;
            }
            // Rules shared through RAM are listed in the owner's account: look everywhere.
            let rule = model
                .snapshot
                .regional
                .iter()
                .flat_map(|x| &x.resolver_rules)
                .find(|x| x.id == assoc.resolver_rule_id);
            let Some(rule) = rule else {
                // An associated rule we cannot see could forward this very name: unproven.
                consider(
                    usize::MAX,
                    2,
                    Authority::Forward {
                        domain: "(rule not in the snapshot)".into(),
                    },
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
                    domain: domain.clone(),
                },
                Via::Forwarded {
                    rule_id: rule.id.clone(),
                    domain,
                },
            );
        }
    }
    let (_, _, auth, via) = best?;
    if let Authority::Forward { ref domain, .. } = auth {
        if system_rule_overrides(model, vpc, name, labels(domain)) {
            return authority_without_forwarding(model, vpc, region, name);
        }
    }
    Some((auth, via))
}

fn system_rule_overrides(model: &Model<'_>, vpc: &str, name: &str, depth: usize) -> bool {
    model.snapshot.regional.iter().any(|r| {
        r.resolver_rule_associations.iter().any(|a| {
            a.vpc_id == vpc
                && model
                    .snapshot
                    .regional
                    .iter()
                    .flat_map(|x| &x.resolver_rules)
                    .any(|rule| {
                        rule.id == a.resolver_rule_id
                            && rule.rule_type == "SYSTEM"
                            && is_suffix(&normalize(rule.domain()), name)
                            && labels(&normalize(rule.domain())) > depth
                    })
        })
    })
}

fn authority_without_forwarding<'s>(
    model: &Model<'s>,
    vpc: &str,
    region: &str,
    name: &str,
) -> Option<(Authority<'s>, Via)> {
    // Re-run the zone/endpoint part only: forwarding was overridden by a SYSTEM rule.
    let mut best: Option<(usize, Authority<'s>, Via)> = None;
    for g in model.globals() {
        for zone in g.hosted_zones.iter().filter(|z| z.is_private()) {
            let zname = normalize(&zone.name);
            let id = zone.short_id();
            let associated = g.zone_details.get(id).is_some_and(|d| {
                d.vpcs
                    .iter()
                    .any(|v| v.vpc_id == vpc && v.vpc_region == region)
            });
            if associated
                && is_suffix(&zname, name)
                && best.as_ref().is_none_or(|(d, _, _)| labels(&zname) > *d)
            {
                let records = g.record_sets.get(id).map(Vec::as_slice).unwrap_or(&[]);
                best = Some((
                    labels(&zname),
                    Authority::Zone { id, records },
                    Via::PrivateZone {
                        zone_id: id.to_string(),
                        zone_name: zname,
                        account: g.account.clone(),
                    },
                ));
            }
        }
    }
    best.map(|(_, a, v)| (a, v))
}

enum ZoneAnswer {
    Targets(Vec<DnsTarget>),
    Follow(String),
}

/// Record sets of `name` in the zone: exact match, else the closest wildcard (`*.parent`).
fn records_for<'s>(records: &'s [ResourceRecordSet], name: &str) -> Vec<&'s ResourceRecordSet> {
    let exact: Vec<_> = records
        .iter()
        .filter(|r| normalize(&r.name) == name)
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    let mut parent = name;
    while let Some((_, rest)) = parent.split_once('.') {
        let wildcard = format!("*.{rest}");
        let found: Vec<_> = records
            .iter()
            .filter(|r| normalize(&r.name) == wildcard)
            .collect();
        if !found.is_empty() {
            return found;
        }
        parent = rest;
    }
    Vec::new()
}

fn answer_in_zone(
    model: &Model<'_>,
    zone_id: &str,
    records: &[ResourceRecordSet],
    name: &str,
) -> ZoneAnswer {
    let sets = records_for(records, name);
    let address_sets: Vec<_> = sets
        .iter()
        .filter(|r| r.r#type == "A" || r.r#type == "AAAA")
        .collect();
    if address_sets.is_empty() {
        if let Some(cname) = sets.iter().find(|r| r.r#type == "CNAME") {
            if let Some(v) = cname.resource_records.first() {
                return ZoneAnswer::Follow(v.value.clone());
            }
            if let Some(alias) = &cname.alias_target {
                return ZoneAnswer::Follow(alias.dns_name.clone());
            }
        }
        return ZoneAnswer::Targets(vec![DnsTarget::NxDomain {
            record: name.to_string(),
        }]);
    }
    let mut targets = Vec::new();
    for set in address_sets {
        if let Some(alias) = &set.alias_target {
            let target = normalize(&alias.dns_name);
            let target = target
                .strip_prefix("dualstack.")
                .unwrap_or(&target)
                .to_string();
            if alias.hosted_zone_id.trim_start_matches("/hostedzone/") == zone_id {
                // Alias to another record of the same zone.
                if let ZoneAnswer::Targets(more) =
                    answer_in_zone_once(model, zone_id, records, &target)
                {
                    targets.extend(more);
                } else {
                    targets.push(DnsTarget::Unresolvable {
                        record: name.to_string(),
                        reason: format!(
                            "alias to {target} in the same zone is itself an alias chain"
                        ),
                    });
                }
                continue;
            }
            targets.extend(alias_targets(model, name, &target));
        } else {
            for rr in &set.resource_records {
                match rr.value.trim().parse::<IpAddr>() {
                    Ok(ip) => targets.push(DnsTarget::Address {
                        record: name.to_string(),
                        ip,
                        endpoint: None,
                        load_balancer: None,
                    }),
                    Err(_) => targets.push(DnsTarget::Unresolvable {
                        record: name.to_string(),
                        reason: format!(
                            "{} record value {:?} is not an address",
                            set.r#type, rr.value
                        ),
                    }),
                }
            }
        }
    }
    ZoneAnswer::Targets(targets)
}

fn answer_in_zone_once(
    model: &Model<'_>,
    zone_id: &str,
    records: &[ResourceRecordSet],
    name: &str,
) -> ZoneAnswer {
    let direct: Vec<_> = records_for(records, name)
        .into_iter()
        .filter(|r| r.alias_target.is_none() || r.r#type == "CNAME")
        .collect();
    if direct.is_empty() {
        return ZoneAnswer::Follow(name.to_string());
    }
    answer_in_zone(model, zone_id, records, name)
}

/// What an alias target DNS name points at: an interface endpoint or a load balancer.
fn alias_targets(model: &Model<'_>, record: &str, target: &str) -> Vec<DnsTarget> {
    for ep in model.endpoints.values() {
        for entry in &ep.dns_entries {
            let Some(dns) = entry.dns_name.as_deref().map(normalize) else {
                continue;
            };
            let matches = match dns.strip_prefix("*.") {
                Some(parent) => is_suffix(parent, target),
                None => dns == target,
            };
            if matches {
                return endpoint_addresses(model, *ep, record, &dns);
            }
        }
    }
    for lb in model.load_balancers.values() {
        let Some(dns) = lb.dns_name.as_deref().map(normalize) else {
            continue;
        };
        if dns == target {
            let mut ips: Vec<IpAddr> = lb
                .availability_zones
                .iter()
                .flat_map(|z| &z.load_balancer_addresses)
                .filter_map(|a| a.private_ipv4_address.as_deref())
                .filter_map(|s| s.parse().ok())
                .collect();
            if ips.is_empty() {
                ips = load_balancer_eni_ips(model, &lb.load_balancer_arn);
            }
            if ips.is_empty() {
                return vec![DnsTarget::Unresolvable {
                    record: record.to_string(),
                    reason: format!(
                        "load balancer {} has no private addresses in the snapshot",
                        lb.load_balancer_name
                    ),
                }];
            }
            return ips
                .into_iter()
                .map(|ip| DnsTarget::Address {
                    record: record.to_string(),
                    ip,
                    endpoint: None,
                    load_balancer: Some(lb.load_balancer_arn.clone()),
                })
                .collect();
        }
    }
    vec![DnsTarget::Unresolvable {
        record: record.to_string(),
        reason: format!(
            "alias target {target} is not an interface endpoint or load balancer in the snapshot"
        ),
    }]
}

/// The private IPs of a load balancer's ENIs (description `ELB net/<name>/<id>`).
pub fn load_balancer_eni_ips(model: &Model<'_>, lb_arn: &str) -> Vec<IpAddr> {
    let Some(suffix) = lb_arn.split(":loadbalancer/").nth(1) else {
        return Vec::new();
    };
    let description = format!("ELB {suffix}");
    let mut ips: Vec<IpAddr> = model
        .enis
        .values()
        .filter(|e| e.description.as_deref() == Some(description.as_str()))
        .filter_map(|e| e.private_ip_address.as_deref()?.parse().ok())
        .collect();
    ips.sort();
    ips
}

/// Addresses of an interface endpoint's ENIs; a zonal DNS name (`…-us-west-2a.…`) selects the ENI
/// in that Availability Zone.
fn endpoint_addresses(
    model: &Model<'_>,
    ep: At<'_, VpcEndpoint>,
    record: &str,
    dns: &str,
) -> Vec<DnsTarget> {
    let mut out = Vec::new();
    let first_label = dns.split('.').next().unwrap_or("");
    for eni_id in &ep.network_interface_ids {
        let Some(eni) = model.enis.get(eni_id.as_str()) else {
            out.push(DnsTarget::Unresolvable {
                record: record.to_string(),
                reason: format!(
                    "endpoint {} interface {eni_id} is not in describe-network-interfaces",
                    ep.vpc_endpoint_id
                ),
            });
            continue;
        };
        let az = model
            .subnets
            .get(eni.subnet_id.as_str())
            .and_then(|s| s.availability_zone.clone())
            .unwrap_or_default();
        let zonal = first_label.starts_with(&format!("{}-", ep.vpc_endpoint_id))
            && ep
                .dns_entries
                .iter()
                .filter_map(|e| e.dns_name.as_deref())
                .any(|d| normalize(d).split('.').next() == Some(first_label))
            && first_label.len() > ep.vpc_endpoint_id.len()
            && is_zonal_label(first_label);
        if zonal && !az.is_empty() && !first_label.ends_with(&format!("-{az}")) {
            continue;
        }
        if let Some(ip) = eni
            .private_ip_address
            .as_deref()
            .and_then(|s| s.parse().ok())
        {
            out.push(DnsTarget::Address {
                record: record.to_string(),
                ip,
                endpoint: Some(ep.vpc_endpoint_id.clone()),
                load_balancer: None,
            });
        }
    }
    if out.is_empty() {
        out.push(DnsTarget::Unresolvable {
            record: record.to_string(),
            reason: format!("endpoint {} has no network interfaces", ep.vpc_endpoint_id),
        });
    }
    out
}

/// A zonal endpoint name's first label ends in an Availability Zone name (`…-us-west-2a`).
fn is_zonal_label(label: &str) -> bool {
    let Some(last) = label.rsplit('-').next() else {
        return false;
    };
    (2..=3).contains(&last.len())
        && last.chars().last().is_some_and(|c| c.is_ascii_lowercase())
        && last[..last.len() - 1].chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization() {
        assert_eq!(
            normalize("A1-ats.IOT.us-west-2.amazonaws.com."),
            "a1-ats.iot.us-west-2.amazonaws.com"
        );
        assert_eq!(normalize("\\052.example.com."), "*.example.com");
    }

    #[test]
    fn suffix_is_label_wise() {
        assert!(is_suffix(
            "iot.us-west-2.amazonaws.com",
            "x-ats.iot.us-west-2.amazonaws.com"
        ));
        assert!(!is_suffix(
            "t.us-west-2.amazonaws.com",
            "x-ats.iot.us-west-2.amazonaws.com"
        ));
        assert!(is_suffix("a.b", "a.b"));
    }

    #[test]
    fn zonal_labels() {
        assert!(is_zonal_label("vpce-0abc-4a5b6c7d-us-west-2a"));
        assert!(!is_zonal_label("vpce-0abc-4a5b6c7d"));
    }
}
