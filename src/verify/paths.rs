//! Paths: the record of one walked flow, and turning walks into paths and findings.
use std::collections::BTreeSet;
use std::net::IpAddr;

use serde::Serialize;

use super::findings::Findings;
use super::intent::{Intent, IotService, Role};
use super::scope::Destination;
use super::walk::{Branch, End, Hop, Issue};
use crate::dns::{DnsTarget, Resolution, Via};
use crate::rules::{self, Severity};

#[derive(Debug, Clone, Serialize)]
pub struct Source {
    /// `subnet` or `on-premises`.
    pub kind: &'static str,
    pub id: String,
    pub role: Role,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc: Option<String>,
    pub account: String,
    pub region: String,
    pub cidr: String,
}

impl Source {
    pub fn label(&self) -> String {
        match &self.vpc {
            Some(vpc) => format!("{} ({} {})", self.id, self.role.as_str(), vpc),
            None => format!("on-premises {}", self.cidr),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PathVerdict {
    Private,
    Unproven,
    Violation,
}

impl PathVerdict {
    pub fn as_str(self) -> &'static str {
        match self {
            PathVerdict::Private => "private",
            PathVerdict::Unproven => "unproven",
            PathVerdict::Violation => "violation",
        }
    }
}

/// The address a publicly resolved name is walked to. Which public addresses IoT Core's name
/// has cannot be known offline, so the walk follows a documentation address (TEST-NET-3 or
/// 2001:db8::/32, which no private route covers) the way any public address would go. Auditors
/// read texts that name it, so every text says what it stands for.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct StandIn {
    pub address: IpAddr,
    /// `the public IoT Core address of <name>`.
    pub means: String,
}

impl StandIn {
    pub fn new(address: IpAddr, service: IotService, name: &str) -> StandIn {
        let what = match service {
            IotService::Data => "IoT Core",
            IotService::Credentials => "IoT Core credential provider",
            IotService::Greengrass => "IoT Greengrass",
        };
        StandIn {
            address,
            means: format!("the public {what} address of {name}"),
        }
    }

    /// `text` with every mention of the address followed by what it stands for. A mention is
    /// the address not part of a longer one (`203.0.113.100`, `1203.0.113.10`, `203.0.113.10.5`;
    /// for IPv6 a hex digit or `:` around it); `203.0.113.10/32` names it too.
    pub fn explain(&self, text: &str) -> String {
        let needle = self.address.to_string();
        let v6 = self.address.is_ipv6();
        // Characters that would make the match part of a longer address.
        let part = |c: char| {
            if v6 {
                c.is_ascii_hexdigit() || c == ':'
            } else {
                c.is_ascii_digit()
            }
        };
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(i) = rest.find(&needle) {
            let before = rest[..i].chars().next_back();
            let after = &rest[i + needle.len()..];
            let joined = before.is_some_and(|c| part(c) || (!v6 && c == '.'))
                || after.chars().next().is_some_and(part)
                || (!v6
                    && after.starts_with('.')
                    && after[1..].starts_with(|c: char| c.is_ascii_digit()));
            out.push_str(&rest[..i + needle.len()]);
            if !joined {
                out.push_str(&format!(" ({})", self.means));
            }
            rest = after;
        }
        out.push_str(rest);
        out
    }

    fn explain_branch(&self, mut branch: Branch) -> Branch {
        for h in branch.hops.iter_mut().chain(branch.return_hops.iter_mut()) {
            h.via = self.explain(&h.via);
        }
        for i in &mut branch.issues {
            i.detail = self.explain(&i.detail);
        }
        match &mut branch.end {
            End::NoPath { reason, .. } | End::Unproven { reason, .. } => {
                *reason = self.explain(reason)
            }
            _ => {}
        }
        branch
    }
}

/// One examined path: a source, a name, one resolved address, and the hops to where it ended.
#[derive(Debug, Clone, Serialize)]
pub struct PathRecord {
    pub id: usize,
    pub source: Source,
    pub destination: String,
    pub service: IotService,
    pub dns: Resolution,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<IpAddr>,
    /// When the name resolved publicly: the address the path was walked to instead, and what
    /// it stands for (texts that name the address say so too).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stand_in: Option<StandIn>,
    pub ports: Vec<u16>,
    pub hops: Vec<Hop>,
    pub end: End,
    /// The reply's way back from the endpoint to the source.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub return_hops: Vec<Hop>,
    pub verdict: PathVerdict,
    /// Rule ids of the findings on this path.
    pub findings: Vec<String>,
}

impl PathRecord {
    /// `subnet-… → rtb-… → tgw-attach-… → … → vpce-…` for tables (ARNs shortened to names).
    pub fn one_line(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for (i, h) in self.hops.iter().enumerate() {
            if h.kind == "subnet" && i > 0 {
                continue;
            }
            parts.push(short_hop(h));
        }
        let end = match &self.end {
            End::IotEndpoint { .. }
            | End::ResolverEndpoint { .. }
            | End::InternetGateway { .. }
            | End::Returned { .. } => String::new(),
            End::NoPath { reason, .. } | End::Unproven { reason, .. } => format!(" ✗ {reason}"),
        };
        format!("{}{end}", parts.join(" → "))
    }
}

/// A hop's id for one-line paths: load balancer ARNs become `nlb:<name>`, listeners
/// `listener:<port>`, target groups `tg:<name>`.
fn short_hop(h: &Hop) -> String {
    let name = |arn: &str, n: usize| arn.split('/').nth(n).unwrap_or(arn).to_string();
    match h.kind {
        "load-balancer" => format!("nlb:{}", name(&h.id, 2)),
        "listener" => format!("listener:{}", h.via.trim_start_matches("port ")),
        "target-group" => format!("tg:{}", name(&h.id, 1)),
        _ => h.id.clone(),
    }
}

/// Resolve, walk each address, and record paths and the findings on them. `extra` issues hold
/// for every path of this source (e.g. an unproven DNS leg on-premises resolves through).
#[allow(clippy::too_many_arguments)]
pub(super) fn record_paths(
    paths: &mut Vec<PathRecord>,
    findings: &mut Findings,
    source: &Source,
    dest: &Destination,
    resolution: Resolution,
    extra: &[Issue],
    intent: &Intent,
    model: &crate::graph::Model<'_>,
    public_probe: IpAddr,
    walk: impl Fn(IpAddr) -> Vec<Branch>,
) {
    let ports = dest.service.ports(intent);
    let mut push = |findings: &mut Findings,
                    address: Option<IpAddr>,
                    stand_in: Option<StandIn>,
                    branch: Branch,
                    dns_issue: Option<Issue>| {
        let id = paths.len();
        let mut issues = branch.issues.clone();
        issues.extend(dns_issue);
        issues.extend(extra.iter().cloned());
        match &branch.end {
            End::IotEndpoint { .. } | End::Returned { .. } => {}
            End::ResolverEndpoint { endpoint, .. } => issues.push(Issue {
                rule: "PP005",
                resource: endpoint.clone(),
                detail: format!(
                    "path from {} to {} ends at Resolver endpoint {endpoint}, not IoT Core",
                    source.label(),
                    dest.name
                ),
            }),
            // An egress-only internet gateway carries outbound IPv6 to the internet like an
            // internet gateway (VPC user guide, "Enable outbound IPv6 traffic using an
            // egress-only internet gateway"): its own rule, PP023.
            End::InternetGateway { gateway } => issues.push(Issue {
                rule: if gateway.starts_with("eigw-") {
                    "PP023"
                } else {
                    "PP001"
                },
                resource: gateway.clone(),
                detail: format!(
                    "path from {} to {} reaches {} {gateway}{}",
                    source.label(),
                    dest.name,
                    if gateway.starts_with("eigw-") {
                        "egress-only internet gateway"
                    } else {
                        "internet gateway"
                    },
                    // VPC Block Public Access: context only, never a pass (`bpa.rs`).
                    super::bpa::annotate(model, &branch.hops)
                        .map(|n| format!(" ({n})"))
                        .unwrap_or_default()
                ),
            }),
            End::NoPath { resource, reason } => issues.push(Issue {
                rule: "PP005",
                resource: resource.clone(),
                detail: format!(
                    "path from {} to {} ends at {resource}: {reason}",
                    source.label(),
                    dest.name
                ),
            }),
            End::Unproven { resource, reason } => issues.push(Issue {
                rule: "PP016",
                resource: resource.clone(),
                detail: format!(
                    "path from {} to {} cannot be followed past {resource}: {reason}",
                    source.label(),
                    dest.name
                ),
            }),
        }
        issues.sort();
        issues.dedup();
        let mut verdict = PathVerdict::Private;
        for i in &issues {
            let v = match rules::get(i.rule).severity {
                Severity::Violation => PathVerdict::Violation,
                Severity::Unproven => PathVerdict::Unproven,
                _ => PathVerdict::Private,
            };
            verdict = verdict.max(v);
            findings.add(
                i.rule,
                &i.resource,
                i.detail.clone(),
                Some(id),
                serde_json::Value::Null,
            );
        }
        paths.push(PathRecord {
            id,
            source: source.clone(),
            destination: dest.name.clone(),
            service: dest.service,
            dns: resolution.clone(),
            address,
            stand_in,
            ports: ports.clone(),
            hops: branch.hops,
            end: branch.end,
            return_hops: branch.return_hops,
            verdict,
            findings: issues
                .iter()
                .map(|i| i.rule.to_string())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
        });
    };
    match &resolution.via {
        Via::Public => {
            let issue = Issue {
                rule: "PP003",
                resource: source.vpc.clone().unwrap_or_else(|| source.id.clone()),
                detail: format!(
                    "{} resolves {} publicly (no private hosted zone answers for it)",
                    source.label(),
                    dest.label()
                ),
            };
            let stand_in = StandIn::new(public_probe, dest.service, &dest.name);
            for branch in walk(public_probe) {
                let branch = stand_in.explain_branch(branch);
                push(
                    findings,
                    None,
                    Some(stand_in.clone()),
                    branch,
                    Some(issue.clone()),
                );
            }
            return;
        }
        Via::Forwarded { rule_id, domain } => {
            let branch = Branch {
                hops: vec![],
                end: End::Unproven {
                    resource: rule_id.clone(),
                    reason: format!("{rule_id} sends {domain} to DNS servers outside the snapshot"),
                },
                issues: vec![],
                return_hops: vec![],
            };
            push(findings, None, None, branch, None);
            return;
        }
        _ => {}
    }
    if resolution.targets.is_empty() {
        let branch = Branch {
            hops: vec![],
            end: End::NoPath {
                resource: zone_of(&resolution),
                reason: "the name has no address".into(),
            },
            issues: vec![],
            return_hops: vec![],
        };
        push(findings, None, None, branch, None);
    }
    for target in &resolution.targets {
        match target {
            DnsTarget::Address { ip, .. } => {
                for branch in walk(*ip) {
                    push(findings, Some(*ip), None, branch, None);
                }
            }
            DnsTarget::NxDomain { record, zone } => {
                let zone = zone.clone().unwrap_or_else(|| zone_of(&resolution));
                let branch = Branch {
                    hops: vec![],
                    end: End::NoPath {
                        resource: zone.clone(),
                        reason: format!("NXDOMAIN for {record}"),
                    },
                    issues: vec![],
                    return_hops: vec![],
                };
                let issue = Issue { rule: "PP004", resource: zone.clone(), detail: format!("private hosted zone {zone} has no address record for {record} (NXDOMAIN for {}, resolving {})", source.label(), dest.label()) };
                push(findings, None, None, branch, Some(issue));
            }
            // The name exists but not with the queried type: the private view is authoritative,
            // so this is no more a public fallback than NXDOMAIN is.
            DnsTarget::NoData {
                record,
                query_type,
                detail,
                zone,
                ..
            } => {
                let zone = zone.clone().unwrap_or_else(|| zone_of(&resolution));
                let branch = Branch {
                    hops: vec![],
                    end: End::NoPath {
                        resource: zone.clone(),
                        reason: format!("NODATA for {query_type} {record}: {detail}"),
                    },
                    issues: vec![],
                    return_hops: vec![],
                };
                let what = if zone.starts_with("vpce-") {
                    "endpoint private DNS"
                } else {
                    "private hosted zone"
                };
                let issue = Issue {
                    rule: "PP004",
                    resource: zone.clone(),
                    detail: format!(
                        "{what} {zone} answers NODATA for {query_type} {record}: {detail} ({}, resolving {})",
                        source.label(),
                        dest.label()
                    ),
                };
                push(findings, None, None, branch, Some(issue));
            }
            // Resolver DNS Firewall blocks the name: like NXDOMAIN, there is no address (PP027).
            DnsTarget::Blocked {
                record,
                rule_group,
                rule,
                response,
            } => {
                let branch = Branch {
                    hops: vec![],
                    end: End::NoPath {
                        resource: rule_group.clone(),
                        reason: format!("DNS Firewall blocks {record} ({response})"),
                    },
                    issues: vec![],
                    return_hops: vec![],
                };
                let issue = Issue {
                    rule: "PP027",
                    resource: rule_group.clone(),
                    detail: format!(
                        "rule {rule} of DNS Firewall rule group {rule_group} blocks {record} ({response}) for {}",
                        source.label()
                    ),
                };
                push(findings, None, None, branch, Some(issue));
            }
            // A construct the snapshot does not settle could answer or filter the name (PP028).
            DnsTarget::Hidden {
                record,
                resource,
                reason,
            } => {
                let branch = Branch {
                    hops: vec![],
                    end: End::Unproven {
                        resource: resource.clone(),
                        reason: format!("{record}: {reason}"),
                    },
                    issues: vec![],
                    return_hops: vec![],
                };
                let issue = Issue {
                    rule: "PP028",
                    resource: resource.clone(),
                    detail: format!("{reason} ({} resolving {record})", source.label()),
                };
                push(findings, None, None, branch, Some(issue));
            }
            DnsTarget::Unresolvable {
                record,
                reason,
                zone,
            } => {
                let branch = Branch {
                    hops: vec![],
                    end: End::Unproven {
                        resource: zone.clone().unwrap_or_else(|| zone_of(&resolution)),
                        reason: format!("{record}: {reason}"),
                    },
                    issues: vec![],
                    return_hops: vec![],
                };
                push(findings, None, None, branch, None);
            }
        }
    }
}

pub(super) fn zone_of(r: &Resolution) -> String {
    match &r.via {
        Via::PrivateZone { zone_id, .. } => zone_id.clone(),
        Via::EndpointPrivateDns { endpoint } => endpoint.clone(),
        Via::Forwarded { rule_id, .. } => rule_id.clone(),
        Via::Firewall { rule_group, .. } => rule_group.clone(),
        Via::Hidden { resource } => resource.clone(),
        Via::Public => r.name.clone(),
    }
}
