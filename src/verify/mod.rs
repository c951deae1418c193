//! The proofs: enumerate every (source, IoT endpoint name, address) path, walk it, check the
//! on-premises leg, the endpoint services and the IoT policies, and turn what was found into
//! findings named by rule id.
//!
//! Invariant: `verify` never returns a passing verdict when evidence is incomplete, when nothing
//! was there to prove, or when any path or policy is unproven.
use std::net::IpAddr;

use ipnet::IpNet;
use rayon::prelude::*;
use serde::Serialize;

mod authorizers;
pub mod bpa;
mod checks;
pub mod cli;
mod custom_domains;
mod dns_leg;
pub mod egress;
mod endpoint_access;
mod endpoint_policies;
pub mod explain;
mod extensions;
pub mod filters;
mod findings;
pub mod fingerprint;
pub mod intent;
mod ipv6;
mod paths;
mod policies;
mod scope;
mod transport;
pub mod walk;

pub use findings::Finding;
pub use paths::{PathRecord, PathVerdict, Source, StandIn};

use crate::dns::{Resolution, Via};
use crate::graph::{self, Model};
use crate::rules::Severity;
use crate::snapshot::{EvidenceFile, Snapshot};
use checks::{
    check_coverage, check_endpoint_services, check_exposed_endpoints, check_intent,
    check_internet_reach, check_onprem_transport,
};
use dns_leg::DnsLeg;
use findings::Findings;
use intent::{Intent, Role};
use paths::record_paths;
use scope::{destinations, onprem_entries, source_subnets};
use walk::{Flow, Src, Walker};

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
    /// `pathproof-report/1`: bumped only when a field changes meaning or disappears.
    pub format: &'static str,
    pub tool: String,
    pub snapshot: SnapshotInfo,
    pub intent: Intent,
    /// VPC Block Public Access per account and Region (context: it never changes the verdict).
    pub block_public_access: Vec<bpa::BpaContext>,
    pub summary: Summary,
    pub paths: Vec<PathRecord>,
    pub findings: Vec<Finding>,
    pub evidence: Vec<EvidenceFile>,
    /// What `--baseline` / `--waivers` did (absent when neither was given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gate: Option<crate::gate::GateSummary>,
}

impl Report {
    /// True when nothing at or above `threshold` was found (and nothing unproven).
    pub fn passes(&self, fail_on_warning: bool) -> bool {
        // An expired waiver fails the gate on its own (src/gate/).
        if self.gate.as_ref().is_some_and(|g| !g.expired.is_empty()) {
            return false;
        }
        // A baselined or waived finding is still listed but does not fail.
        self.findings
            .iter()
            .filter(|f| f.suppressed.is_none())
            .all(|f| match f.severity {
                Severity::Violation | Severity::Unproven => false,
                Severity::Warning => !fail_on_warning,
                Severity::Info => true,
            })
    }
}

/// What `verify` proves beyond the default.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// `--strict-egress`: no destination address at all leaves to the internet (`egress.rs`).
    pub strict_egress: bool,
}

/// The account and Region of a resource: the snapshot folder its record came from, or what its
/// ARN says (`arn:partition:service:region:account:…`, IAM ARN format in the IAM user guide,
/// "IAM identifiers"), or the `<account>/<region>/` folder of an evidence file. `None` when none
/// of these says (a name, a CIDR).
fn locate(model: &Model<'_>, resource: &str) -> Option<findings::Location> {
    let at = |loc: graph::Loc<'_>| findings::Location {
        account: loc.account.to_string(),
        region: Some(loc.region.to_string()),
    };
    let r = resource;
    let found = model
        .vpcs
        .get(r)
        .map(|x| x.loc)
        .or_else(|| model.subnets.get(r).map(|x| x.loc))
        .or_else(|| model.route_tables.get(r).map(|x| x.loc))
        .or_else(|| model.internet_gateways.get(r).map(|x| x.loc))
        .or_else(|| model.nat_gateways.get(r).map(|x| x.loc))
        .or_else(|| model.peerings.get(r).map(|x| x.loc))
        .or_else(|| model.endpoints.get(r).map(|x| x.loc))
        .or_else(|| model.service_configs.get(r).map(|x| x.loc))
        .or_else(|| model.enis.get(r).map(|x| x.loc))
        .or_else(|| model.security_groups.get(r).map(|x| x.loc))
        .or_else(|| model.nacls.get(r).map(|x| x.loc))
        .or_else(|| model.tgw_attachments.get(r).map(|x| x.loc))
        .or_else(|| model.tgw_vpc_attachments.get(r).map(|x| x.loc))
        .or_else(|| model.tgw_route_tables.get(r).map(|x| x.loc))
        .or_else(|| model.vpn_connections.get(r).map(|x| x.loc))
        .or_else(|| model.load_balancers.get(r).map(|x| x.loc))
        .or_else(|| model.target_groups.get(r).map(|x| x.loc));
    if let Some(loc) = found {
        return Some(at(loc));
    }
    let is_account = |a: &str| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit());
    if let Some(rest) = r.strip_prefix("arn:") {
        let parts: Vec<&str> = rest.splitn(5, ':').collect();
        if let [_, _, region, account, _] = parts[..] {
            if is_account(account) {
                return Some(findings::Location {
                    account: account.to_string(),
                    region: (!region.is_empty()).then(|| region.to_string()),
                });
            }
        }
        return None;
    }
    let mut parts = r.split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(account), Some(region), Some(_))
            if is_account(account)
                && model
                    .snapshot
                    .manifest
                    .targets
                    .iter()
                    .any(|t| t.account == account) =>
        {
            Some(findings::Location {
                account: account.to_string(),
                region: (region != "global").then(|| region.to_string()),
            })
        }
        _ => None,
    }
}

/// Verify a loaded snapshot.
pub fn verify(snapshot: &Snapshot, intent_file: Option<&intent::IntentFile>) -> Report {
    verify_with(snapshot, intent_file, Options::default())
}

/// The paths from every subnet of one device or consumer VPC to each destination it must
/// reach, numbered from 0 (the caller renumbers them), and the findings made on the way.
fn walk_source_vpc(
    (model, walker, intent, destinations): (
        &Model<'_>,
        &Walker<'_, '_>,
        &Intent,
        &[scope::Destination],
    ),
    vpc_id: &str,
    role: Role,
) -> (Vec<PathRecord>, Findings) {
    let mut paths = Vec::new();
    let mut findings = Findings::default();
    // Its names resolve as this VPC sees them: no other task shares the keys.
    let mut resolved = scope::Resolutions::default();
    let Some(vpc) = model.vpcs.get(vpc_id) else {
        findings.add(
            "PP018",
            vpc_id,
            format!("intent names {vpc_id}, which is not in the snapshot"),
            None,
            serde_json::Value::Null,
        );
        return (paths, findings);
    };
    let subnets = source_subnets(model, vpc_id);
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
        // IPv6 and dual-stack sources (ipv6.rs): AAAA answers are walked too.
        let v6 = ipv6::V6Source {
            subnet: subnet.item,
            vpc: vpc_id,
            role,
            account: vpc.loc.account,
            region: vpc.loc.region,
            nets: ipv6::subnet_ipv6_cidrs(subnet.item),
            ipv6_only: subnet.cidr_block.is_none(),
        };
        let Some(cidr) = subnet
            .cidr_block
            .as_deref()
            .and_then(|c| c.parse::<IpNet>().ok())
        else {
            if !v6.nets.is_empty() {
                ipv6::walk_subnet(
                    model,
                    walker,
                    intent,
                    destinations,
                    &v6,
                    &mut paths,
                    &mut findings,
                );
                continue;
            }
            findings.add(
                "PP016",
                &subnet.subnet_id,
                format!(
                    "subnet has neither an IPv4 CIDR ({:?}) nor an associated IPv6 CIDR",
                    subnet.cidr_block
                ),
                None,
                serde_json::Value::Null,
            );
            continue;
        };
        if !v6.nets.is_empty() {
            ipv6::walk_subnet(
                model,
                walker,
                intent,
                destinations,
                &v6,
                &mut paths,
                &mut findings,
            );
        }
        let source = Source {
            kind: "subnet",
            id: subnet.subnet_id.clone(),
            role,
            vpc: Some(vpc_id.to_string()),
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
            .filter(|d| role == Role::Device || d.for_consumers)
        {
            let resolution = resolved.resolve(model, vpc_id, &dest.name, false, &mut findings);
            let walk = |dst: IpAddr| {
                walker.from_subnet(
                    &subnet.subnet_id,
                    src.clone(),
                    dst,
                    Flow::iot(dest.service, intent),
                )
            };
            record_paths(
                &mut paths,
                &mut findings,
                &source,
                dest,
                resolution,
                &[],
                intent,
                model,
                PUBLIC_PROBE,
                walk,
            );
        }
    }
    (paths, findings)
}

/// Verify a loaded snapshot with `options`.
pub fn verify_with(
    snapshot: &Snapshot,
    intent_file: Option<&intent::IntentFile>,
    options: Options,
) -> Report {
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
    for u in &snapshot.uncovered {
        findings.add(
            "PP020",
            &u.path,
            format!("{} {}", u.path, u.reason),
            None,
            serde_json::Value::Null,
        );
    }

    extensions::check_extension_files(snapshot, &mut findings);

    let destinations = destinations(&model, &intent);
    check_intent(&intent, &destinations, &mut findings);

    let walker = Walker::new(&model, &intent);

    // Device and consumer subnets, one VPC per task on every core. Each VPC's paths and
    // findings are kept apart and then appended in the order of the VPCs, with path ids
    // renumbered, so the report is the one a walk of the VPCs in turn would make.
    let sources: Vec<(&String, &Role)> = intent
        .roles
        .iter()
        .filter(|(_, r)| matches!(r, Role::Device | Role::Consumer))
        .collect();
    // The IoT policy proofs depend on no path: they run beside the walks, and their findings
    // join below where a sequential run adds them.
    let (parts, policy_findings): (Vec<(Vec<PathRecord>, Findings)>, Findings) = rayon::join(
        || {
            sources
                .par_iter()
                .map(|&(vpc_id, role)| {
                    walk_source_vpc((&model, &walker, &intent, &destinations), vpc_id, *role)
                })
                .collect()
        },
        || {
            let mut f = Findings::default();
            policies::check(&model, &intent, &mut f);
            f
        },
    );
    for (part_paths, part_findings) in parts {
        let offset = paths.len();
        paths.extend(part_paths.into_iter().map(|mut p| {
            p.id += offset;
            p
        }));
        findings.absorb(part_findings, offset);
    }
    // On-premises resolutions go through the inbound endpoint (a key of their own).
    let mut resolved = scope::Resolutions::default();

    // On-premises, entering at the Transit Gateway.
    let entries = onprem_entries(&model, &intent, &mut findings);
    for entry in &entries {
        check_onprem_transport(&model, entry, &mut findings);
        if entry.cidr.addr().is_ipv6() {
            // An on-premises IPv6 range would use AAAA answers and reach the Resolver inbound
            // endpoint over IPv6; neither leg is modelled (ipv6.rs covers VPC sources only).
            findings.add(
                "PP016",
                &entry.cidr.to_string(),
                format!(
                    "on-premises IPv6 range {} (via {}): IPv6 paths from on-premises are not modelled",
                    entry.cidr, entry.attachment
                ),
                None,
                serde_json::Value::Null,
            );
            continue;
        }
        // On-premises DNS forwards to a Resolver inbound endpoint: in a device VPC, or in any
        // other VPC on the same Transit Gateway (a central DNS VPC). The query and reply paths
        // to every endpoint address are walked; names resolve as that VPC sees them.
        let (resolver_vpc, dns_issues) = match dns_leg::prove(&walker, entry, &mut findings) {
            DnsLeg::Private { vpc } => (Some(vpc), Vec::new()),
            DnsLeg::Unproven { vpc, issue } => (Some(vpc), vec![issue]),
            DnsLeg::Public => (None, Vec::new()),
        };
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
                Some(v) => resolved.resolve(&model, v, &dest.name, true, &mut findings),
                None => Resolution::unanswered(&dest.name, Via::Public),
            };
            let walk = |dst: IpAddr| {
                walker.from_attachment(
                    &entry.attachment,
                    src.clone(),
                    dst,
                    Flow::iot(dest.service, &intent),
                )
            };
            record_paths(
                &mut paths,
                &mut findings,
                &source,
                dest,
                resolution,
                &dns_issues,
                &intent,
                &model,
                PUBLIC_PROBE,
                walk,
            );
        }
    }

    if options.strict_egress {
        egress::check(snapshot, &model, &walker, &intent, &entries, &mut findings);
    }
    check_endpoint_services(&model, &intent, &mut findings);
    check_internet_reach(&model, &intent, &mut findings);
    check_exposed_endpoints(&model, &mut findings);
    check_coverage(&model, &mut findings);
    findings.absorb(policy_findings, paths.len());
    endpoint_policies::check(&model, &mut findings);
    endpoint_access::check(&model, &intent, &mut findings);
    // Domain configurations and custom authorizers of the IoT account(s): the gatekeepers'.
    let mut iot_regions = std::collections::BTreeSet::new();
    for vpc_id in intent.vpcs_with(Role::Gatekeeper) {
        if let Some(vpc) = model.vpcs.get(vpc_id) {
            if let Some(r) = model.regional_of(vpc.loc) {
                if iot_regions.insert((vpc.loc.account, vpc.loc.region)) {
                    custom_domains::check_present(r, &mut findings);
                    authorizers::check(r, &intent, &mut findings);
                }
            }
        }
    }

    let mut findings = findings.into_vec();
    for f in &mut findings {
        f.location = locate(&model, &f.resource);
    }
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
        format: "pathproof-report/1",
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
        block_public_access: bpa::contexts(snapshot),
        summary,
        paths,
        findings,
        gate: None,
        evidence: snapshot.evidence.clone(),
    }
}
