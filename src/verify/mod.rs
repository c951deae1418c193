//! The proofs: enumerate every (source, IoT endpoint name, address) path, walk it, check the
//! on-premises leg, the endpoint services and the IoT policies, and turn what was found into
//! findings named by rule id.
//!
//! Invariant: `verify` never returns a passing verdict when evidence is incomplete, when nothing
//! was there to prove, or when any path or policy is unproven.
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use ipnet::IpNet;
use serde::Serialize;

pub mod cli;
pub mod filters;
pub mod intent;
mod policies;
pub mod walk;

use crate::dns::{self, DnsTarget, Resolution, Via};
use crate::graph::Model;
use crate::rules::{self, Severity};
use crate::snapshot::{EvidenceFile, Snapshot};
use intent::{iot_service_of, Intent, IotService, Role};
use walk::{Branch, End, Hop, Issue, Src, Walker};

/// A representative public address for names that resolve publicly: traffic to IoT Core's public
/// endpoint follows whatever route covers the public internet (TEST-NET-3, never routed privately).
pub const PUBLIC_PROBE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 10));

#[derive(Debug, Clone, Serialize)]
pub struct SnapshotInfo {
    pub path: String,
    pub format: String,
    pub collected_at: Option<String>,
    pub collector: Option<String>,
    /// SHA-256 over every file's path and SHA-256.
    pub digest: String,
    pub file_count: usize,
    pub targets: Vec<crate::snapshot::Target>,
}

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
            End::IotEndpoint { .. } | End::InternetGateway { .. } | End::Returned { .. } => {
                String::new()
            }
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

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule_id: &'static str,
    pub rule_name: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    /// Control mappings of the rule (framework → control ids), for GRC tooling.
    pub controls: &'static std::collections::BTreeMap<String, Vec<String>>,
    /// The offending resource id (or file, for evidence gaps).
    pub resource: String,
    pub message: String,
    /// Ids of the paths this finding was seen on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<usize>,
    /// Rule-specific evidence (e.g. a policy counterexample).
    #[serde(skip_serializing_if = "serde_json::Value::is_null")]
    pub evidence: serde_json::Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// `proven`, `violations` or `unproven`.
    pub verdict: &'static str,
    pub paths: usize,
    pub paths_private: usize,
    pub violations: usize,
    pub unproven: usize,
    pub warnings: usize,
    pub info: usize,
}

/// The whole result of `verify`: what `report` renders.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub tool: String,
    pub snapshot: SnapshotInfo,
    pub intent: Intent,
    pub summary: Summary,
    pub paths: Vec<PathRecord>,
    pub findings: Vec<Finding>,
    pub evidence: Vec<EvidenceFile>,
}

impl Report {
    /// True when nothing at or above `threshold` was found (and nothing unproven).
    pub fn passes(&self, fail_on_warning: bool) -> bool {
        self.findings.iter().all(|f| match f.severity {
            Severity::Violation | Severity::Unproven => false,
            Severity::Warning => !fail_on_warning,
            Severity::Info => true,
        })
    }
}

/// Collects findings, merging those with the same rule and resource.
#[derive(Default)]
struct Findings {
    by_key: BTreeMap<(&'static str, String), Finding>,
}

impl Findings {
    fn add(
        &mut self,
        rule_id: &'static str,
        resource: &str,
        message: impl Into<String>,
        path: Option<usize>,
        evidence: serde_json::Value,
    ) {
        let rule = rules::get(rule_id);
        let entry = self
            .by_key
            .entry((rule.id_static(), resource.to_string()))
            .or_insert_with(|| Finding {
                rule_id: rule.id_static(),
                rule_name: rule.name_static(),
                severity: rule.severity,
                title: rule.title_static(),
                controls: &rule.controls,
                resource: resource.to_string(),
                message: message.into(),
                paths: Vec::new(),
                evidence: serde_json::Value::Null,
            });
        if let Some(p) = path {
            if !entry.paths.contains(&p) {
                entry.paths.push(p);
            }
        }
        if !evidence.is_null() {
            match &mut entry.evidence {
                serde_json::Value::Null => {
                    entry.evidence = serde_json::Value::Array(vec![evidence])
                }
                serde_json::Value::Array(items) => items.push(evidence),
                _ => {}
            }
        }
    }

    fn into_vec(self) -> Vec<Finding> {
        let mut v: Vec<Finding> = self.by_key.into_values().collect();
        v.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(a.rule_id.cmp(b.rule_id))
                .then(a.resource.cmp(&b.resource))
        });
        v
    }
}

/// A destination: an IoT endpoint name, its service, and who must reach it.
#[derive(Debug, Clone)]
struct Destination {
    name: String,
    service: IotService,
    /// Device VPCs and on-premises reach every destination; consumers only the data endpoint.
    for_consumers: bool,
}

/// Verify a loaded snapshot.
pub fn verify(snapshot: &Snapshot, intent_file: Option<&intent::IntentFile>) -> Report {
    let model = Model::build(snapshot);
    let intent = Intent::resolve(&model, intent_file);
    let mut findings = Findings::default();
    let mut paths: Vec<PathRecord> = Vec::new();

    for gap in &snapshot.gaps {
        findings.add(
            "PP017",
            &gap.file,
            gap.reason.clone(),
            None,
            serde_json::Value::Null,
        );
    }

    let destinations = destinations(&model, &intent);
    check_intent(&model, &intent, &destinations, &mut findings);

    let walker = Walker {
        model: &model,
        intent: &intent,
    };

    // Device and consumer subnets.
    for (vpc_id, role) in intent
        .roles
        .iter()
        .filter(|(_, r)| matches!(r, Role::Device | Role::Consumer))
    {
        let Some(vpc) = model.vpcs.get(vpc_id.as_str()) else {
            findings.add(
                "PP018",
                vpc_id,
                format!("intent names {vpc_id}, which is not in the snapshot"),
                None,
                serde_json::Value::Null,
            );
            continue;
        };
        let tgw_subnets = attachment_subnets(&model, vpc_id);
        let mut subnets: Vec<_> = model
            .subnets
            .values()
            .filter(|s| s.vpc_id == *vpc_id && !tgw_subnets.contains(&s.subnet_id))
            .copied()
            .collect();
        subnets.sort_by(|a, b| a.subnet_id.cmp(&b.subnet_id));
        if subnets.is_empty() {
            findings.add(
                "PP018",
                vpc_id,
                format!("{role:?} VPC {vpc_id} has no subnets in the snapshot").to_lowercase(),
                None,
                serde_json::Value::Null,
            );
        }
        for subnet in subnets {
            let Some(cidr) = subnet
                .cidr_block
                .as_deref()
                .and_then(|c| c.parse::<IpNet>().ok())
            else {
                // IoT endpoint names resolve to IPv4 addresses; an IPv6-only subnet needs DNS64
                // and NAT64, which this version does not model.
                findings.add(
                    "PP016",
                    &subnet.subnet_id,
                    format!(
                        "subnet has no IPv4 CIDR ({:?}); IPv6-only paths are not modelled",
                        subnet.cidr_block
                    ),
                    None,
                    serde_json::Value::Null,
                );
                continue;
            };
            let source = Source {
                kind: "subnet",
                id: subnet.subnet_id.clone(),
                role: *role,
                vpc: Some(vpc_id.clone()),
                account: vpc.loc.account.to_string(),
                region: vpc.loc.region.to_string(),
                cidr: cidr.to_string(),
            };
            let src = Src {
                nets: vec![cidr.trunc()],
                groups: Vec::new(),
                subnet: Some(subnet.subnet_id.clone()),
            };
            for dest in destinations
                .iter()
                .filter(|d| *role == Role::Device || d.for_consumers)
            {
                let resolution = resolve_in_vpc(&model, vpc_id, &dest.name, false, &mut findings);
                let walk = |dst: IpAddr| {
                    walker.from_subnet(&subnet.subnet_id, src.clone(), dst, dest.service)
                };
                record_paths(
                    &mut paths,
                    &mut findings,
                    &source,
                    dest,
                    resolution,
                    &intent,
                    walk,
                );
            }
        }
    }

    // On-premises, entering at the Transit Gateway.
    for entry in onprem_entries(&model, &intent, &mut findings) {
        check_onprem_transport(&model, &entry, &mut findings);
        let resolver_vpc = entry
            .device_vpcs
            .iter()
            .find(|v| has_inbound_resolver(&model, v))
            .cloned();
        if resolver_vpc.is_none() {
            for v in &entry.device_vpcs {
                findings.add(
                    "PP009",
                    v,
                    format!("{v} has no operational Route 53 Resolver inbound endpoint; on-premises {} resolves the IoT names publicly", entry.cidr),
                    None,
                    serde_json::Value::Null,
                );
            }
        }
        let source = Source {
            kind: "on-premises",
            id: entry.cidr.to_string(),
            role: Role::Device,
            vpc: None,
            account: entry.account.clone(),
            region: entry.region.clone(),
            cidr: entry.cidr.to_string(),
        };
        let src = Src {
            nets: vec![entry.cidr],
            groups: Vec::new(),
            subnet: None,
        };
        for dest in &destinations {
            let resolution = match &resolver_vpc {
                Some(v) => resolve_in_vpc(&model, v, &dest.name, true, &mut findings),
                None => Resolution::unanswered(&dest.name, Via::Public),
            };
            let walk = |dst: IpAddr| {
                walker.from_attachment(&entry.attachment, src.clone(), dst, dest.service)
            };
            record_paths(
                &mut paths,
                &mut findings,
                &source,
                dest,
                resolution,
                &intent,
                walk,
            );
        }
    }

    check_endpoint_services(&model, &intent, &mut findings);
    policies::check(&model, &intent, &mut findings);

    let findings = findings.into_vec();
    // A path's verdict also reflects findings attached to it later (dedup keeps path ids).
    for f in &findings {
        for &p in &f.paths {
            if let Some(path) = paths.get_mut(p) {
                let v = match f.severity {
                    Severity::Violation => PathVerdict::Violation,
                    Severity::Unproven => PathVerdict::Unproven,
                    _ => continue,
                };
                path.verdict = path.verdict.max(v);
            }
        }
    }
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let summary = Summary {
        verdict: if count(Severity::Violation) > 0 {
            "violations"
        } else if count(Severity::Unproven) > 0 {
            "unproven"
        } else {
            "proven"
        },
        paths: paths.len(),
        paths_private: paths
            .iter()
            .filter(|p| p.verdict == PathVerdict::Private)
            .count(),
        violations: count(Severity::Violation),
        unproven: count(Severity::Unproven),
        warnings: count(Severity::Warning),
        info: count(Severity::Info),
    };
    Report {
        tool: format!("pathproof {}", env!("CARGO_PKG_VERSION")),
        snapshot: SnapshotInfo {
            path: snapshot.root.display().to_string(),
            format: snapshot.manifest.format.clone(),
            collected_at: snapshot.manifest.collected_at.clone(),
            collector: snapshot.manifest.collector.clone(),
            digest: snapshot.digest.clone(),
            file_count: snapshot.evidence.len(),
            targets: snapshot.manifest.targets.clone(),
        },
        intent,
        summary,
        paths,
        findings,
        evidence: snapshot.evidence.clone(),
    }
}

/// Resolve `name` as clients in `vpc` do. Private hosted zones answer only when the VPC uses the
/// Route 53 Resolver: `enableDnsSupport` and `enableDnsHostnames` true (Route 53 guide, "Considerations
/// when working with a private hosted zone") and, for instances, DHCP options pointing at
/// AmazonProvidedDNS. Queries arriving through a Resolver inbound endpoint (`via_inbound`) use the
/// Resolver whatever the DHCP options say. These settings come from optional layout extension
/// files; when a snapshot lacks them, the assumption is reported (PP019).
fn resolve_in_vpc(
    model: &Model<'_>,
    vpc_id: &str,
    name: &str,
    via_inbound: bool,
    findings: &mut Findings,
) -> Resolution {
    let none = serde_json::Value::Null;
    let Some(vpc) = model.vpcs.get(vpc_id) else {
        return dns::resolve(model, vpc_id, "", name);
    };
    let regional = model.regional_of(vpc.loc);
    let public = |why: String, findings: &mut Findings| {
        findings.add("PP003", vpc_id, why, None, serde_json::Value::Null);
        Resolution::unanswered(name, Via::Public)
    };
    match regional.and_then(|r| r.vpc_dns.get(vpc_id)) {
        Some(d) if d.support == Some(false) => {
            return public(format!("{vpc_id} has enableDnsSupport false: the Route 53 Resolver and its private hosted zones do not answer"), findings);
        }
        Some(d) if d.hostnames == Some(false) && !via_inbound => {
            return public(format!("{vpc_id} has enableDnsHostnames false: private hosted zones do not answer its instances"), findings);
        }
        Some(_) => {}
        None => findings.add(
            "PP019",
            vpc_id,
            format!("enableDnsSupport/enableDnsHostnames of {vpc_id} are not in the snapshot; assumed true"),
            None,
            none.clone(),
        ),
    }
    if !via_inbound {
        match (regional.and_then(|r| r.dhcp_options.as_ref()), vpc.dhcp_options_id.as_deref()) {
            (_, None | Some("default")) => {}
            (None, Some(dopt)) => findings.add(
                "PP019",
                vpc_id,
                format!("DHCP options {dopt} of {vpc_id} are not in the snapshot; assumed AmazonProvidedDNS"),
                None,
                none,
            ),
            (Some(options), Some(dopt)) => {
                let servers: Vec<String> = options
                    .iter()
                    .find(|o| o.dhcp_options_id == dopt)
                    .map(|o| {
                        o.dhcp_configurations
                            .iter()
                            .filter(|c| c.key == "domain-name-servers")
                            .flat_map(|c| &c.values)
                            .map(|v| v.value.as_str().map(str::to_string).unwrap_or_else(|| v.value.to_string()))
                            .collect()
                    })
                    .unwrap_or_else(|| vec!["(options set not in describe-dhcp-options)".into()]);
                if !servers.is_empty() && servers.iter().any(|s| s != "AmazonProvidedDNS") {
                    return Resolution::unanswered(
                        name,
                        Via::Forwarded {
                            rule_id: dopt.to_string(),
                            domain: format!("every name, to DHCP DNS servers {}", servers.join(", ")),
                        },
                    );
                }
            }
        }
    }
    dns::resolve(model, vpc_id, vpc.loc.region, name)
}

/// Subnets of `vpc` that are Transit Gateway attachment subnets and hold nothing but the
/// Transit Gateway's own interfaces: infrastructure, not sources. An attachment subnet that also
/// hosts workloads is a source like any other.
fn attachment_subnets(model: &Model<'_>, vpc: &str) -> BTreeSet<String> {
    model
        .tgw_vpc_attachments
        .values()
        .filter(|a| a.vpc_id == vpc)
        .flat_map(|a| a.subnet_ids.iter().cloned())
        .filter(|s| {
            model
                .enis
                .values()
                .filter(|e| e.subnet_id == *s)
                .all(|e| e.interface_type.as_deref() == Some("transit_gateway"))
        })
        .collect()
}

/// Resolve, walk each address, and record paths and the findings on them.
fn record_paths(
    paths: &mut Vec<PathRecord>,
    findings: &mut Findings,
    source: &Source,
    dest: &Destination,
    resolution: Resolution,
    intent: &Intent,
    walk: impl Fn(IpAddr) -> Vec<Branch>,
) {
    let ports = dest.service.ports(intent);
    let mut push = |findings: &mut Findings,
                    address: Option<IpAddr>,
                    branch: Branch,
                    dns_issue: Option<Issue>| {
        let id = paths.len();
        let mut issues = branch.issues.clone();
        issues.extend(dns_issue);
        match &branch.end {
            End::IotEndpoint { .. } | End::Returned { .. } => {}
            End::InternetGateway { gateway } => issues.push(Issue {
                rule: "PP001",
                resource: gateway.clone(),
                detail: format!(
                    "path from {} to {} reaches internet gateway {gateway}",
                    source.label(),
                    dest.name
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
                    dest.name
                ),
            };
            for branch in walk(PUBLIC_PROBE) {
                push(findings, None, branch, Some(issue.clone()));
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
            push(findings, None, branch, None);
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
        push(findings, None, branch, None);
    }
    for target in &resolution.targets {
        match target {
            DnsTarget::Address { ip, .. } => {
                for branch in walk(*ip) {
                    push(findings, Some(*ip), branch, None);
                }
            }
            DnsTarget::NxDomain { record } => {
                let zone = zone_of(&resolution);
                let branch = Branch {
                    hops: vec![],
                    end: End::NoPath {
                        resource: zone.clone(),
                        reason: format!("NXDOMAIN for {record}"),
                    },
                    issues: vec![],
                    return_hops: vec![],
                };
                let issue = Issue { rule: "PP004", resource: zone.clone(), detail: format!("private hosted zone {zone} has no address record for {record} (NXDOMAIN for {})", source.label()) };
                push(findings, None, branch, Some(issue));
            }
            DnsTarget::Unresolvable { record, reason } => {
                let branch = Branch {
                    hops: vec![],
                    end: End::Unproven {
                        resource: zone_of(&resolution),
                        reason: format!("{record}: {reason}"),
                    },
                    issues: vec![],
                    return_hops: vec![],
                };
                push(findings, None, branch, None);
            }
        }
    }
}

fn zone_of(r: &Resolution) -> String {
    match &r.via {
        Via::PrivateZone { zone_id, .. } => zone_id.clone(),
        Via::EndpointPrivateDns { endpoint } => endpoint.clone(),
        Via::Forwarded { rule_id, .. } => rule_id.clone(),
        Via::Public => r.name.clone(),
    }
}

/// IoT endpoint names of the accounts/regions that hold a gatekeeper VPC.
fn destinations(model: &Model<'_>, intent: &Intent) -> Vec<Destination> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for vpc_id in intent.vpcs_with(Role::Gatekeeper) {
        let Some(vpc) = model.vpcs.get(vpc_id) else {
            continue;
        };
        let key = (vpc.loc.account, vpc.loc.region);
        if !seen.insert(key) {
            continue;
        }
        let Some(regional) = model.regional_of(vpc.loc) else {
            continue;
        };
        let services: BTreeSet<IotService> = model
            .endpoints
            .values()
            .filter(|e| {
                e.loc.account == vpc.loc.account
                    && e.loc.region == vpc.loc.region
                    && intent.roles.get(&e.vpc_id) == Some(&Role::Gatekeeper)
                    && e.vpc_endpoint_type == "Interface"
            })
            .filter_map(|e| iot_service_of(&e.service_name))
            .collect();
        if let Some(data) = regional.iot_endpoints.get("iot-data-ats") {
            out.push(Destination {
                name: data.clone(),
                service: IotService::Data,
                for_consumers: true,
            });
        }
        if services.contains(&IotService::Credentials) {
            if let Some(name) = regional.iot_endpoints.get("iot-credentialprovider") {
                out.push(Destination {
                    name: name.clone(),
                    service: IotService::Credentials,
                    for_consumers: false,
                });
            }
        }
        if services.contains(&IotService::Greengrass) {
            out.push(Destination {
                name: format!("greengrass-ats.iot.{}.amazonaws.com", vpc.loc.region),
                service: IotService::Greengrass,
                for_consumers: false,
            });
        }
    }
    out
}

fn check_intent(
    model: &Model<'_>,
    intent: &Intent,
    destinations: &[Destination],
    findings: &mut Findings,
) {
    let none = serde_json::Value::Null;
    if intent.vpcs_with(Role::Device).next().is_none()
        && intent.vpcs_with(Role::Consumer).next().is_none()
    {
        findings.add("PP018", "snapshot", "no device or consumer VPC: tag VPCs with pathproof:role or list them in an intent file", None, none.clone());
    }
    if intent.vpcs_with(Role::Gatekeeper).next().is_none() {
        findings.add(
            "PP018",
            "snapshot",
            "no gatekeeper VPC: tag the IoT account's VPC with pathproof:role = gatekeeper",
            None,
            none.clone(),
        );
    } else if destinations.is_empty() {
        findings.add("PP018", "snapshot", "no IoT endpoint name (iot/describe-endpoint/iot-data-ats.json) in the gatekeeper's account", None, none.clone());
    }
    if intent.approved_endpoints.is_empty() {
        findings.add("PP018", "snapshot", "no approved endpoint: no iot.data interface endpoint in a gatekeeper VPC and none in the intent file", None, none);
    }
    let _ = model;
}

/// An on-premises range and where it enters the Transit Gateway.
struct OnpremEntry {
    cidr: IpNet,
    attachment: String,
    device_vpcs: Vec<String>,
    account: String,
    region: String,
}

/// On-premises ranges: from the intent file, else from TGW routes to Direct Connect gateway and
/// VPN attachments in the route tables of device VPC attachments.
fn onprem_entries(model: &Model<'_>, intent: &Intent, findings: &mut Findings) -> Vec<OnpremEntry> {
    let mut by_rt: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for vpc in intent.vpcs_with(Role::Device) {
        for att in model
            .tgw_vpc_attachments
            .values()
            .filter(|a| a.vpc_id == vpc && a.state == "available")
        {
            if let Some(rt) = model.tgw_route_table_of(&att.transit_gateway_attachment_id) {
                let list = by_rt.entry(rt.to_string()).or_default();
                if !list.iter().any(|v| v == vpc) {
                    list.push(vpc.to_string());
                }
            }
        }
    }
    let mut out: Vec<OnpremEntry> = Vec::new();
    for (rt, device_vpcs) in &by_rt {
        let Some(routes) = model.tgw_routes(rt) else {
            continue;
        };
        let (account, region) = model
            .tgw_route_tables
            .get(rt.as_str())
            .map(|t| (t.loc.account.to_string(), t.loc.region.to_string()))
            .unwrap_or_default();
        let onprem_att = |att: &str| {
            model.tgw_attachments.get(att).is_some_and(|a| {
                matches!(a.resource_type.as_str(), "direct-connect-gateway" | "vpn")
            })
        };
        if intent.onprem_cidrs.is_empty() {
            for r in routes.iter().filter(|r| r.state == "active") {
                let Some(cidr) = r
                    .destination_cidr_block
                    .as_deref()
                    .and_then(|c| c.parse::<IpNet>().ok())
                else {
                    continue;
                };
                for att in r
                    .transit_gateway_attachments
                    .iter()
                    .filter_map(|a| a.transit_gateway_attachment_id.as_deref())
                {
                    if onprem_att(att) && !out.iter().any(|e| e.cidr == cidr && e.attachment == att)
                    {
                        out.push(OnpremEntry {
                            cidr,
                            attachment: att.to_string(),
                            device_vpcs: device_vpcs.clone(),
                            account: account.clone(),
                            region: region.clone(),
                        });
                    }
                }
            }
        } else {
            let lists = |id: &str| model.prefix_list(id);
            for cidr in &intent.onprem_cidrs {
                let entry = crate::route::lookup_tgw(routes, cidr.network(), &lists)
                    .ok()
                    .flatten()
                    .and_then(|m| m.attachments.into_iter().find(|a| onprem_att(a)));
                match entry {
                    Some(att) => out.push(OnpremEntry { cidr: *cidr, attachment: att, device_vpcs: device_vpcs.clone(), account: account.clone(), region: region.clone() }),
                    None => findings.add("PP016", &cidr.to_string(), format!("on-premises {cidr} has no route to a Direct Connect gateway or VPN attachment in {rt}"), None, serde_json::Value::Null),
                }
            }
        }
    }
    out.sort_by(|a, b| (a.cidr, &a.attachment).cmp(&(b.cidr, &b.attachment)));
    out
}

fn has_inbound_resolver(model: &Model<'_>, vpc: &str) -> bool {
    model.snapshot.regional.iter().any(|r| {
        r.resolver_endpoints.iter().any(|e| {
            e.host_vpc_id == vpc
                && e.direction.eq_ignore_ascii_case("INBOUND")
                && e.status
                    .as_deref()
                    .is_none_or(|s| s == "OPERATIONAL" || s == "UPDATING")
        })
    })
}

/// PP008: on-premises traffic must not enter over a VPN with public outside addresses.
fn check_onprem_transport(model: &Model<'_>, entry: &OnpremEntry, findings: &mut Findings) {
    let Some(att) = model.tgw_attachments.get(entry.attachment.as_str()) else {
        return;
    };
    if att.resource_type != "vpn" {
        return;
    }
    let Some(vpn_id) = att.resource_id.as_deref() else {
        return;
    };
    match model.vpn_connections.get(vpn_id) {
        Some(vpn) => {
            let outside = vpn
                .options
                .as_ref()
                .and_then(|o| o.outside_ip_address_type.clone());
            if outside.as_deref() != Some("PrivateIpv4") {
                findings.add(
                    "PP008",
                    vpn_id,
                    format!(
                        "on-premises {} reaches the Transit Gateway over VPN {vpn_id} with outside IP type {} (over the internet)",
                        entry.cidr,
                        outside.as_deref().unwrap_or("unset = PublicIpv4")
                    ),
                    None,
                    serde_json::Value::Null,
                );
            }
        }
        None => findings.add(
            "PP016",
            vpn_id,
            format!(
                "VPN connection {vpn_id} (attachment {}) is not in describe-vpn-connections",
                entry.attachment
            ),
            None,
            serde_json::Value::Null,
        ),
    }
}

/// PP010 / PP011 / PP012: endpoint services whose load balancers are in a gatekeeper VPC or that
/// consumer endpoints connect to.
fn check_endpoint_services(model: &Model<'_>, intent: &Intent, findings: &mut Findings) {
    let consumer_services: BTreeSet<&str> = model
        .endpoints
        .values()
        .filter(|e| intent.roles.get(&e.vpc_id) == Some(&Role::Consumer))
        .map(|e| e.service_name.as_str())
        .collect();
    let mut services: Vec<_> = model.service_configs.values().copied().collect();
    services.sort_by(|a, b| a.service_id.cmp(&b.service_id));
    for svc in services {
        let in_gatekeeper = svc.network_load_balancer_arns.iter().any(|arn| {
            model
                .load_balancers
                .get(arn.as_str())
                .and_then(|lb| lb.vpc_id.as_deref())
                .is_some_and(|v| intent.roles.get(v) == Some(&Role::Gatekeeper))
        });
        if !in_gatekeeper && !consumer_services.contains(svc.service_name.as_str()) {
            continue;
        }
        let none = serde_json::Value::Null;
        if svc.acceptance_required != Some(true) {
            findings.add(
                "PP011",
                &svc.service_id,
                format!(
                    "endpoint service {} accepts endpoint connections automatically",
                    svc.service_id
                ),
                None,
                none.clone(),
            );
        }
        let principals = model
            .regional_of(svc.loc)
            .and_then(|r| r.service_permissions.get(&svc.service_id));
        for p in principals.into_iter().flatten() {
            let principal = p.principal.trim();
            let account = principal_account(principal);
            let intended = account
                .as_deref()
                .is_some_and(|a| intent.consumer_accounts.contains(a) || a == svc.loc.account);
            if principal == "*" || !intended {
                findings.add(
                    "PP010",
                    &svc.service_id,
                    format!("endpoint service {} allows principal {principal}, which is not an intended consumer", svc.service_id),
                    None,
                    none.clone(),
                );
            }
        }
        for arn in &svc.network_load_balancer_arns {
            if let Some(lb) = model.load_balancers.get(arn.as_str()) {
                if lb.scheme != "internal" {
                    findings.add(
                        "PP012",
                        arn,
                        format!(
                            "load balancer {} behind {} has scheme {}",
                            lb.load_balancer_name, svc.service_id, lb.scheme
                        ),
                        None,
                        none.clone(),
                    );
                }
            }
        }
    }
}

/// The account of a principal ARN (`arn:aws:iam::123456789012:root`, `…:role/x`) or a bare id.
fn principal_account(p: &str) -> Option<String> {
    if p.len() == 12 && p.chars().all(|c| c.is_ascii_digit()) {
        return Some(p.to_string());
    }
    let parts: Vec<&str> = p.split(':').collect();
    (parts.len() >= 6 && parts[0] == "arn")
        .then(|| parts[4].to_string())
        .filter(|a| !a.is_empty())
}

impl rules::Rule {
    fn id_static(&'static self) -> &'static str {
        &self.id
    }
    fn name_static(&'static self) -> &'static str {
        &self.name
    }
    fn title_static(&'static self) -> &'static str {
        &self.title
    }
}
