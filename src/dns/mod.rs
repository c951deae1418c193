//! Name resolution as a VPC sees it (Route 53 Resolver, "VPC+2").
//!
//! Model (Route 53 developer guide, "Working with private hosted zones" and Resolver docs):
//! - The private hosted zones associated with the VPC (from any account, `get-hosted-zone` VPCs)
//!   and the private DNS names of interface endpoints in the VPC with `PrivateDnsEnabled`
//!   ([`authority`]).
//! - The most specific zone whose name is a suffix of the query wins. A matching zone without the
//!   record answers NXDOMAIN, and without a record of the queried type NODATA: either way there is
//!   no fallback to public DNS.
//! - Resolver FORWARD rules associated with the VPC take part in the same most-specific match and
//!   win a tie; a forwarded query's answer is not in the snapshot, so it is reported as such.
//! - A query has a type ([`QueryType`]): clients here ask for A (IPv4) records. Only records of
//!   that type, or CNAMEs, answer it; a CNAME's target is asked for the same type ([`zone`]).
//!   Alias records answer for their own type; an alias to an interface endpoint or load balancer
//!   yields that resource's addresses of the queried family ([`aws`]).
//! - Every record set that could answer (routing policies) is followed; CNAME/alias chains at
//!   most 8 steps.
//! - No matching zone or rule: public resolution.
//! - Route 53 Profiles bring zones and rules into the VPC ([`profiles`]); Resolver DNS Firewall
//!   screens every name of the chain first ([`firewall`]); VPC Lattice endpoints with private DNS
//!   may answer names no listing shows ([`lattice`]). What the snapshot cannot settle is a
//!   [`DnsTarget::Hidden`] target naming the resource (PP028).
use std::collections::BTreeSet;
use std::fmt;
use std::net::IpAddr;

use serde::Serialize;

use crate::graph::Model;

mod authority;
mod aws;
mod firewall;
mod lattice;
mod profiles;
mod screen;
mod zone;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_firewall;

pub use aws::load_balancer_eni_ips;

use authority::{authority_for, Authority};
use aws::EndpointName;
use zone::Answer;

/// CNAME chains are followed at most this far.
const MAX_CHAIN: usize = 8;

/// The record type a client asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum QueryType {
    /// IPv4 addresses: what the clients of this tool ask for.
    A,
    /// IPv6 addresses.
    Aaaa,
}

impl QueryType {
    pub fn as_str(self) -> &'static str {
        match self {
            QueryType::A => "A",
            QueryType::Aaaa => "AAAA",
        }
    }

    /// Does an address record value of this type hold `ip`?
    fn holds(self, ip: IpAddr) -> bool {
        match self {
            QueryType::A => ip.is_ipv4(),
            QueryType::Aaaa => ip.is_ipv6(),
        }
    }
}

impl fmt::Display for QueryType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    /// Resolver DNS Firewall answered the query itself (BLOCK, or OVERRIDE to another name).
    Firewall {
        rule_group: String,
        rule: String,
    },
    /// No zone or rule in the snapshot answers, but a construct whose zones the snapshot does not
    /// hold may (a VPC Lattice endpoint's private DNS, a Route 53 Profile's unknown resource).
    Hidden {
        resource: String,
    },
    Public,
}

/// One answer of a resolution. `zone` (when set) is the private zone or endpoint that gave the
/// answer, if it is not the one the query started in.
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
    /// The zone answers, but the name does not exist in it.
    NxDomain {
        record: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        zone: Option<String>,
    },
    /// The zone answers: the name exists, but has no record of the queried type.
    NoData {
        record: String,
        query_type: String,
        /// The record types the name has.
        types: Vec<String>,
        detail: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        zone: Option<String>,
    },
    /// Resolver DNS Firewall blocks the name (NODATA or NXDOMAIN): it does not resolve (PP027).
    Blocked {
        record: String,
        rule_group: String,
        rule: String,
        response: String,
    },
    /// A construct the snapshot does not settle could answer or filter the name (PP028): a VPC
    /// Lattice endpoint's private DNS, a Route 53 Profile resource, an undecidable DNS Firewall
    /// rule, an undocumented precedence.
    Hidden {
        record: String,
        resource: String,
        reason: String,
    },
    /// A record pathproof cannot follow (an alias to a resource it does not model, inconsistent
    /// records).
    Unresolvable {
        record: String,
        reason: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        zone: Option<String>,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct Resolution {
    pub name: String,
    pub via: Via,
    /// Names followed (CNAME chains), first is the query.
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

/// What resolution in `vpc` assumes because a DNS layout extension file is not in the snapshot
/// (reported as PP019): no Route 53 Profile, no DNS Firewall rule groups, fail-open DISABLED.
pub fn assumptions(model: &Model<'_>, vpc: &str) -> Vec<String> {
    let Some(v) = model.vpcs.get(vpc) else {
        return Vec::new();
    };
    let Some(r) = model.regional_of(v.loc) else {
        return Vec::new();
    };
    let at = format!("{}/{}", r.account, r.region);
    let mut out = Vec::new();
    if r.dnsx.profile_associations.is_none() {
        out.push(format!("Route 53 Profile associations of {at} (route53profiles/list-profile-associations.json) are not in the snapshot; assumed {vpc} has no Profile"));
    }
    if r.dnsx.firewall_associations.is_none() {
        out.push(format!("DNS Firewall rule group associations of {at} (route53resolver/list-firewall-rule-group-associations.json) are not in the snapshot; assumed {vpc} has none"));
    } else if r.dnsx.firewall_configs.is_none() && firewall::has_groups(model, vpc, v.loc.region) {
        out.push(format!("DNS Firewall configurations of {at} (route53resolver/list-firewall-configs.json) are not in the snapshot; assumed FirewallFailOpen DISABLED (the AWS default) for {vpc}"));
    }
    out
}

/// Resolve `name` for an A (IPv4) query from inside `vpc` (in `region`).
pub fn resolve(model: &Model<'_>, vpc: &str, region: &str, name: &str) -> Resolution {
    resolve_type(model, vpc, region, name, QueryType::A)
}

/// Resolve `name` for a query of type `qtype` from inside `vpc` (in `region`).
pub fn resolve_type(
    model: &Model<'_>,
    vpc: &str,
    region: &str,
    name: &str,
    qtype: QueryType,
) -> Resolution {
    resolve_from(model, vpc, region, name, qtype, false)
}

/// Resolve `name` as the Resolver of `vpc` does for a query from inside the VPC, or (`inbound`)
/// for one arriving through a Resolver inbound endpoint.
pub fn resolve_from(
    model: &Model<'_>,
    vpc: &str,
    region: &str,
    name: &str,
    qtype: QueryType,
    inbound: bool,
) -> Resolution {
    let query = normalize(name);
    let mut walk = Walk {
        model,
        vpc,
        region,
        qtype,
        inbound,
        trusted: false,
        mid_trust: None,
        chain: vec![query.clone()],
        done: BTreeSet::new(),
        targets: Vec::new(),
    };
    walk.done.insert(query.clone());
    let found = authority_for(model, vpc, region, &query);
    match walk.screen(&query, &mut vec![query.clone()]) {
        screen::Screen::Continue => {}
        screen::Screen::Stop(via) => {
            return Resolution {
                name: query,
                via,
                chain: walk.chain,
                targets: walk.targets,
            }
        }
    }
    let Some((authority, via)) = found else {
        // Only a construct outside the snapshot could answer: unproven, not public.
        if let Some(resource) = walk.targets.iter().find_map(|t| match t {
            DnsTarget::Hidden { resource, .. } => Some(resource.clone()),
            _ => None,
        }) {
            return Resolution {
                name: query,
                via: Via::Hidden { resource },
                chain: walk.chain,
                targets: walk.targets,
            };
        }
        return Resolution::unanswered(&query, Via::Public);
    };
    if matches!(authority, Authority::Forward { .. }) {
        return Resolution::unanswered(&query, via);
    }
    walk.answer(&query, authority, &mut vec![query.clone()]);
    Resolution {
        name: query,
        via,
        chain: walk.chain,
        targets: walk.targets,
    }
}

/// One resolution in progress: every branch (CNAMEs of several record sets) is followed once.
struct Walk<'m, 's> {
    model: &'m Model<'s>,
    vpc: &'m str,
    region: &'m str,
    qtype: QueryType,
    /// The query arrived through a Resolver inbound endpoint.
    inbound: bool,
    /// An ALLOW rule with TRUST_REDIRECTION_DOMAIN matched the query: "Inspects only the first
    /// domain in the redirection chain" (API reference `FirewallRule`,
    /// `FirewallDomainRedirectionAction`), so the rest of the chain is not screened.
    trusted: bool,
    /// Such a rule matched a later name of the chain (this one, on the current branch): whether
    /// the names after it are inspected is not documented, so where that changes the outcome it
    /// is unproven.
    mid_trust: Option<String>,
    chain: Vec<String>,
    /// Names already followed (each adds its targets once).
    done: BTreeSet<String>,
    targets: Vec<DnsTarget>,
}

impl Walk<'_, '_> {
    fn unresolvable(&mut self, record: &str, reason: String, zone: Option<&str>) {
        self.targets.push(DnsTarget::Unresolvable {
            record: record.to_string(),
            reason,
            zone: zone.map(str::to_string),
        });
    }

    /// Follow a CNAME to `name`; `path` holds the names that led here. A later name of a chain
    /// matching an ALLOW rule with TRUST_REDIRECTION_DOMAIN ([`Walk::mid_trust`]) concerns the
    /// names reached from it only, not sibling branches of other record sets.
    fn follow(&mut self, name: &str, path: &mut Vec<String>, from_zone: &str) {
        let mid_trust = self.mid_trust.clone();
        self.follow_branch(name, path, from_zone);
        self.mid_trust = mid_trust;
    }

    fn follow_branch(&mut self, name: &str, path: &mut Vec<String>, from_zone: &str) {
        if path.iter().any(|p| p == name) {
            let record = path.last().cloned().unwrap_or_default();
            let reason = format!("CNAME loop: {} → {name}", path.join(" → "));
            return self.unresolvable(&record, reason, Some(from_zone));
        }
        if path.len() > MAX_CHAIN {
            let record = path.last().cloned().unwrap_or_default();
            return self.unresolvable(
                &record,
                format!("CNAME chain longer than {MAX_CHAIN}"),
                Some(from_zone),
            );
        }
        // A name reached both below a later-name TRUST_REDIRECTION_DOMAIN match and without one
        // is followed in each: the screen differs.
        let key = match &self.mid_trust {
            Some(_) => format!("{name} (after a trusted redirection)"),
            None => name.to_string(),
        };
        if !self.done.insert(key) {
            return;
        }
        if !self.chain.iter().any(|c| c == name) {
            self.chain.push(name.to_string());
        }
        if let screen::Screen::Stop(_) = self.screen(name, path) {
            return;
        }
        match authority_for(self.model, self.vpc, self.region, name) {
            // A CNAME out of the private view: an endpoint or load balancer DNS name is answered
            // by AWS; anything else resolves publicly and cannot be followed.
            None => {
                let more = aws::aws_name(self.model, name, name, self.qtype, None);
                self.targets.extend(more);
            }
            Some((Authority::Forward { .. }, via)) => {
                let rule = match via {
                    Via::Forwarded { rule_id, .. } => rule_id,
                    _ => String::new(),
                };
                let reason = format!(
                    "{name} is sent by Resolver rule {rule} to DNS servers outside the snapshot"
                );
                self.unresolvable(name, reason, Some(&rule));
            }
            Some((authority, _)) => {
                path.push(name.to_string());
                self.answer(name, authority, path);
                path.pop();
            }
        }
    }

    /// Answer `name` from `authority` (a zone or an endpoint's private DNS).
    fn answer(&mut self, name: &str, authority: Authority<'_>, path: &mut Vec<String>) {
        let qtype = self.qtype;
        match authority {
            Authority::Forward { .. } => {}
            Authority::Conflict { resource, reason } => self.targets.push(DnsTarget::Hidden {
                record: name.to_string(),
                resource,
                reason,
            }),
            Authority::Endpoint(ep) => {
                let more = aws::endpoint_answer(
                    self.model,
                    ep,
                    name,
                    name,
                    EndpointName::Private,
                    qtype,
                    Some(&ep.vpc_endpoint_id),
                );
                self.targets.extend(more);
            }
            Authority::Zone {
                id,
                name: zone_name,
                records,
            } => {
                for a in zone::answer(records, id, &zone_name, name, qtype) {
                    match a {
                        Answer::Value { value } => match value.parse::<IpAddr>() {
                            Ok(ip) if qtype.holds(ip) => self.targets.push(DnsTarget::Address {
                                record: name.to_string(),
                                ip,
                                endpoint: None,
                                load_balancer: None,
                            }),
                            _ => self.unresolvable(
                                name,
                                format!(
                                    "{qtype} record value {value:?} is not an {} address",
                                    if qtype == QueryType::A {
                                        "IPv4"
                                    } else {
                                        "IPv6"
                                    }
                                ),
                                Some(id),
                            ),
                        },
                        Answer::Cname { target } => self.follow(&target, path, id),
                        Answer::AliasOut { target } => {
                            let more = aws::aws_name(self.model, name, &target, qtype, Some(id));
                            self.targets.extend(more);
                        }
                        Answer::NxDomain => self.targets.push(DnsTarget::NxDomain {
                            record: name.to_string(),
                            zone: Some(id.to_string()),
                        }),
                        Answer::NoData { types } => self.targets.push(DnsTarget::NoData {
                            record: name.to_string(),
                            query_type: qtype.as_str().to_string(),
                            detail: if types.is_empty() {
                                format!("{name} has no records of its own (only names below it)")
                            } else {
                                format!("{name} has only {} records", types.join(", "))
                            },
                            types,
                            zone: Some(id.to_string()),
                        }),
                        Answer::Bad { reason } => self.unresolvable(name, reason, Some(id)),
                    }
                }
            }
        }
    }
}
