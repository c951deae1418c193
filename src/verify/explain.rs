//! `pathproof explain`: one source, one destination, every hop (issue 11 item 4).
//!
//! The walk is the one `verify` proves with (`walk/`), so an explanation can never disagree with
//! the verdict: every hop carries the route, record, rule or association that decided it
//! (`Hop::via`), and the branch's issues are every blocker the walk met (each network ACL and
//! security group evaluation of every leg is recorded, not only the first that denies); a
//! routing dead end (no route, blackhole, wrong attachment) ends the branch and is its last
//! blocker.
use std::net::IpAddr;

use ipnet::IpNet;
use serde::Serialize;

use super::dns_leg::{self, DnsLeg};
use super::findings::Findings;
use super::intent::{Intent, IotService};
use super::scope::{destinations, onprem_entries, resolve_in_vpc, source_subnets};
use super::walk::{Branch, End, Flow, Issue, Src, Walker};
use crate::dns::{DnsTarget, Resolution, Via};
use crate::graph::Model;
use crate::rules::{self, Severity};
use crate::snapshot::Snapshot;

/// What `explain` was asked.
#[derive(Debug, Clone)]
pub struct Query {
    /// `subnet-…`, `vpc-…`, or a CIDR / address (a subnet holding it, else an on-premises range).
    pub from: String,
    /// A DNS name or an IP address.
    pub to: String,
    /// Destination port; default the IoT service's ports.
    pub port: Option<u16>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub format: &'static str,
    pub from: String,
    pub to: String,
    pub ports: Vec<u16>,
    /// `reaches`: every branch arrives privately at the IoT endpoint; else `blocked`, `leaves`
    /// (an internet gateway on the way) or `unproven`.
    pub verdict: &'static str,
    pub walks: Vec<ExplainedWalk>,
    /// Findings made while resolving (DNS settings assumed, a VPC using public DNS, …).
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub rule: String,
    pub resource: String,
    pub message: String,
}

/// One source walked to one address.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainedWalk {
    pub source: String,
    /// The source's CIDR (subnet) or range (on-premises).
    pub source_cidr: String,
    /// How the destination name was answered, with the records followed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns: Option<Resolution>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<IpAddr>,
    pub verdict: &'static str,
    /// Every branch AWS could take (ECMP, several attachment subnets or targets).
    pub branches: Vec<Branch>,
    /// Every blocker on every branch: rule, resource and what decided it.
    pub blockers: Vec<Blocker>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Blocker {
    pub rule: String,
    pub resource: String,
    pub detail: String,
}

enum From {
    Subnet {
        id: String,
        vpc: String,
        cidr: IpNet,
    },
    Onprem {
        cidr: IpNet,
        entry: usize,
    },
}

fn bad(msg: String) -> anyhow::Error {
    anyhow::anyhow!(msg)
}

/// Walk `q` in `snapshot`; `Err` (exit 2) when the source or destination names nothing.
pub fn explain(
    snapshot: &Snapshot,
    intent_file: Option<&super::intent::IntentFile>,
    q: &Query,
) -> anyhow::Result<Explanation> {
    let model = Model::build(snapshot);
    let intent = Intent::resolve(&model, intent_file);
    let walker = Walker::new(&model, &intent);
    let mut findings = Findings::default();
    let entries = onprem_entries(&model, &intent, &mut findings);
    let sources = sources(&model, &entries, &q.from)?;
    let to_ip: Option<IpAddr> = q.to.parse().ok();
    if let (None, Some(bad_char)) = (
        to_ip,
        q.to.chars().find(|c| c.is_whitespace() || c.is_control()),
    ) {
        return Err(bad(format!(
            "--to {:?}: not a DNS name or an IP address ({bad_char:?})",
            q.to
        )));
    }
    // The IoT service: the destination the intent proves that has this name, else the data
    // endpoint (MQTT ports).
    let dests = destinations(&model, &intent);
    let service = dests
        .iter()
        .find(|d| to_ip.is_none() && crate::dns::normalize(&d.name) == crate::dns::normalize(&q.to))
        .map(|d| d.service)
        .unwrap_or(IotService::Data);
    let mut flow = Flow::iot(service, &intent);
    if let Some(p) = q.port {
        flow.ports = vec![p];
    }
    let mut walks = Vec::new();
    for src in &sources {
        let (label, cidr, resolver_vpc, extra): (String, IpNet, Option<String>, Vec<Issue>) =
            match src {
                From::Subnet { id, vpc, cidr } => (
                    format!("{id} ({vpc})"),
                    *cidr,
                    Some(vpc.clone()),
                    Vec::new(),
                ),
                From::Onprem { cidr, entry } => {
                    let e = &entries[*entry];
                    let (vpc, issues) = match to_ip {
                        Some(_) => (None, Vec::new()),
                        None => match dns_leg::prove(&walker, e, &mut findings) {
                            DnsLeg::Private { vpc } => (Some(vpc), Vec::new()),
                            DnsLeg::Unproven { vpc, issue } => (Some(vpc), vec![issue]),
                            DnsLeg::Public => (None, Vec::new()),
                        },
                    };
                    (
                        format!("on-premises {cidr} (via {})", e.attachment),
                        *cidr,
                        vpc,
                        issues,
                    )
                }
            };
        let walk = |dst: IpAddr| -> Vec<Branch> {
            match src {
                From::Subnet { id, cidr, .. } => walker.from_subnet(
                    id,
                    Src {
                        nets: vec![cidr.trunc()],
                        groups: Vec::new(),
                        subnet: Some(id.clone()),
                    },
                    dst,
                    flow.clone(),
                ),
                From::Onprem { cidr, entry } => walker.from_attachment(
                    &entries[*entry].attachment,
                    Src {
                        nets: vec![*cidr],
                        groups: Vec::new(),
                        subnet: None,
                    },
                    dst,
                    flow.clone(),
                ),
            }
        };
        let mut push = |dns: Option<Resolution>,
                        address: Option<IpAddr>,
                        branches: Vec<Branch>,
                        mut extra_blockers: Vec<Blocker>| {
            for i in &extra {
                extra_blockers.push(blocker(i));
            }
            walks.push(finish(
                label.clone(),
                cidr,
                dns,
                address,
                branches,
                extra_blockers,
            ));
        };
        match to_ip {
            Some(ip) => push(None, Some(ip), walk(ip), Vec::new()),
            None => {
                let resolution = match (&resolver_vpc, src) {
                    (Some(vpc), From::Subnet { .. }) => {
                        resolve_in_vpc(&model, vpc, &q.to, false, &mut findings)
                    }
                    (Some(vpc), From::Onprem { .. }) => {
                        resolve_in_vpc(&model, vpc, &q.to, true, &mut findings)
                    }
                    (None, _) => Resolution::unanswered(&q.to, Via::Public),
                };
                let addresses: Vec<IpAddr> = resolution
                    .targets
                    .iter()
                    .filter_map(|t| match t {
                        DnsTarget::Address { ip, .. } => Some(*ip),
                        _ => None,
                    })
                    .collect();
                let mut dns_blockers: Vec<Blocker> = resolution
                    .targets
                    .iter()
                    .filter_map(|t| match t {
                        DnsTarget::NxDomain { record, zone } => Some(Blocker {
                            rule: "PP004".into(),
                            resource: zone.clone().unwrap_or_else(|| record.clone()),
                            detail: format!(
                                "{record} does not exist in the private hosted zone (NXDOMAIN)"
                            ),
                        }),
                        DnsTarget::NoData {
                            record,
                            detail,
                            zone,
                            ..
                        } => Some(Blocker {
                            rule: "PP004".into(),
                            resource: zone.clone().unwrap_or_else(|| record.clone()),
                            detail: format!("{record}: {detail}"),
                        }),
                        DnsTarget::Unresolvable {
                            record,
                            reason,
                            zone,
                        } => Some(Blocker {
                            rule: "PP016".into(),
                            resource: zone.clone().unwrap_or_else(|| record.clone()),
                            detail: format!("{record}: {reason}"),
                        }),
                        DnsTarget::Blocked {
                            record,
                            rule_group,
                            rule,
                            response,
                        } => Some(Blocker {
                            rule: "PP027".into(),
                            resource: rule_group.clone(),
                            detail: format!(
                                "{record}: blocked by DNS Firewall rule {rule} ({response})"
                            ),
                        }),
                        DnsTarget::Hidden {
                            record,
                            resource,
                            reason,
                        } => Some(Blocker {
                            rule: "PP028".into(),
                            resource: resource.clone(),
                            detail: format!("{record}: {reason}"),
                        }),
                        DnsTarget::Address { .. } => None,
                    })
                    .collect();
                if addresses.is_empty() {
                    if dns_blockers.is_empty() {
                        // Not answered privately: the public name resolves to public addresses,
                        // which leave through whatever route covers the internet.
                        let why = match &resolution.via {
                            Via::Public => "no private hosted zone, endpoint private DNS or Resolver rule answers: the public DNS answer is used".to_string(),
                            other => format!("answered outside the VPC's private view ({other:?})"),
                        };
                        dns_blockers.push(Blocker {
                            rule: "PP003".into(),
                            resource: resolver_vpc.clone().unwrap_or_else(|| label.clone()),
                            detail: format!(
                                "{}: {why}; walked with public address {}",
                                q.to,
                                super::PUBLIC_PROBE
                            ),
                        });
                        let branches = walk(super::PUBLIC_PROBE);
                        push(
                            Some(resolution),
                            Some(super::PUBLIC_PROBE),
                            branches,
                            dns_blockers,
                        );
                    } else {
                        push(Some(resolution), None, Vec::new(), dns_blockers);
                    }
                } else {
                    for ip in addresses {
                        let branches = walk(ip);
                        push(
                            Some(resolution.clone()),
                            Some(ip),
                            branches,
                            dns_blockers.clone(),
                        );
                    }
                }
            }
        }
    }
    let notes = findings
        .into_vec()
        .into_iter()
        .map(|f| Note {
            rule: f.rule_id.to_string(),
            resource: f.resource,
            message: f.message,
        })
        .collect();
    let verdict = walks
        .iter()
        .map(|w| w.verdict)
        .max_by_key(|v| rank(v))
        .unwrap_or("unproven");
    Ok(Explanation {
        format: "pathproof-explain/1",
        from: q.from.clone(),
        to: q.to.clone(),
        ports: flow.ports.clone(),
        verdict,
        walks,
        notes,
    })
}

fn rank(v: &str) -> u8 {
    match v {
        "reaches" => 0,
        "blocked" => 1,
        "unproven" => 2,
        _ => 3,
    }
}

fn blocker(i: &Issue) -> Blocker {
    Blocker {
        rule: i.rule.to_string(),
        resource: i.resource.clone(),
        detail: i.detail.clone(),
    }
}

fn finish(
    source: String,
    cidr: IpNet,
    dns: Option<Resolution>,
    address: Option<IpAddr>,
    branches: Vec<Branch>,
    mut blockers: Vec<Blocker>,
) -> ExplainedWalk {
    let mut verdict = if branches.is_empty() {
        "blocked"
    } else {
        "reaches"
    };
    let mut worse = |v: &'static str| {
        if rank(v) > rank(verdict) {
            verdict = v;
        }
    };
    for b in &branches {
        for i in &b.issues {
            blockers.push(blocker(i));
            match rules::get(i.rule).severity {
                Severity::Violation => worse("blocked"),
                Severity::Unproven => worse("unproven"),
                _ => {}
            }
        }
        match &b.end {
            End::IotEndpoint { .. } | End::Returned { .. } => {}
            End::ResolverEndpoint { endpoint, .. } => {
                blockers.push(Blocker {
                    rule: "PP005".into(),
                    resource: endpoint.clone(),
                    detail: format!("ends at Resolver endpoint {endpoint}, not IoT Core"),
                });
                worse("blocked");
            }
            End::InternetGateway { gateway } => {
                blockers.push(Blocker {
                    rule: if gateway.starts_with("eigw-") {
                        "PP023"
                    } else {
                        "PP001"
                    }
                    .into(),
                    resource: gateway.clone(),
                    detail: format!("traffic leaves through internet gateway {gateway}"),
                });
                worse("leaves");
            }
            End::NoPath { resource, reason } => {
                blockers.push(Blocker {
                    rule: "PP005".into(),
                    resource: resource.clone(),
                    detail: reason.clone(),
                });
                worse("blocked");
            }
            End::Unproven { resource, reason } => {
                blockers.push(Blocker {
                    rule: "PP016".into(),
                    resource: resource.clone(),
                    detail: reason.clone(),
                });
                worse("unproven");
            }
        }
    }
    // A blocker found on the DNS leg (no answer, NXDOMAIN) fails the walk as well.
    if blockers
        .iter()
        .any(|b| b.rule == "PP004" || b.rule == "PP003")
    {
        worse("blocked");
    }
    if blockers.iter().any(|b| b.rule == "PP016") {
        worse("unproven");
    }
    blockers.sort();
    blockers.dedup();
    ExplainedWalk {
        source,
        source_cidr: cidr.to_string(),
        dns,
        address,
        verdict,
        branches,
        blockers,
    }
}

/// The sources `--from` names.
fn sources(
    model: &Model<'_>,
    entries: &[super::scope::OnpremEntry],
    from: &str,
) -> anyhow::Result<Vec<From>> {
    let subnet_source = |id: &str| -> anyhow::Result<From> {
        let s = model
            .subnets
            .get(id)
            .ok_or_else(|| bad(format!("--from {id}: no such subnet in the snapshot")))?;
        let cidr = s
            .cidr_block
            .as_deref()
            .and_then(|c| c.parse::<IpNet>().ok())
            .ok_or_else(|| {
                bad(format!(
                    "--from {id}: the subnet has no IPv4 CIDR (IPv6 sources are not explained)"
                ))
            })?;
        Ok(From::Subnet {
            id: id.to_string(),
            vpc: s.vpc_id.clone(),
            cidr,
        })
    };
    if from.starts_with("subnet-") {
        return Ok(vec![subnet_source(from)?]);
    }
    if from.starts_with("vpc-") {
        if !model.vpcs.contains_key(from) {
            return Err(bad(format!("--from {from}: no such VPC in the snapshot")));
        }
        let ids: Vec<&str> = source_subnets(model, from)
            .into_iter()
            .map(|s| s.item.subnet_id.as_str())
            .collect();
        if ids.is_empty() {
            return Err(bad(format!(
                "--from {from}: the VPC has no subnets in the snapshot"
            )));
        }
        return ids.into_iter().map(subnet_source).collect();
    }
    let net: IpNet = match from.parse::<IpNet>() {
        Ok(n) => n.trunc(),
        Err(_) => match from.parse::<IpAddr>() {
            Ok(a) => IpNet::from(a),
            Err(_) => {
                return Err(bad(format!(
                    "--from {from:?}: expected subnet-…, vpc-…, a CIDR or an address"
                )))
            }
        },
    };
    // A VPC subnet holding the whole range, the most specific first; subnets of two VPCs with
    // overlapping CIDRs would be a guess.
    let mut holding: Vec<(&str, &str, IpNet)> = model
        .subnets
        .values()
        .filter_map(|s| {
            let c = s.cidr_block.as_deref()?.parse::<IpNet>().ok()?.trunc();
            c.contains(&net)
                .then_some((s.subnet_id.as_str(), s.vpc_id.as_str(), c))
        })
        .collect();
    holding.sort_by(|a, b| b.2.prefix_len().cmp(&a.2.prefix_len()).then(a.0.cmp(b.0)));
    match holding.as_slice() {
        [] => {}
        [(id, vpc, c)] => {
            return Ok(vec![From::Subnet {
                id: id.to_string(),
                vpc: vpc.to_string(),
                cidr: *c,
            }])
        }
        many => {
            let ids: Vec<&str> = many.iter().map(|m| m.0).collect();
            return Err(bad(format!(
                "--from {from}: held by several subnets ({}); name one with --from subnet-…",
                ids.join(", ")
            )));
        }
    }
    let onprem: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.cidr.contains(&net))
        .map(|(i, _)| i)
        .collect();
    if onprem.is_empty() {
        return Err(bad(format!(
            "--from {from}: no subnet or on-premises range (intent onprem_cidrs or Transit Gateway routes to Direct Connect / VPN) holds it"
        )));
    }
    Ok(onprem
        .into_iter()
        .map(|entry| From::Onprem { cidr: net, entry })
        .collect())
}

/// Table rendering: one block per walk, one line per hop, then every blocker.
pub fn write_table(e: &Explanation, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use crate::report::escape::terminal;
    let ports: Vec<String> = e.ports.iter().map(u16::to_string).collect();
    writeln!(
        out,
        "explain {} → {} (ports {}): {}",
        terminal(&e.from),
        terminal(&e.to),
        ports.join(","),
        e.verdict
    )?;
    for w in &e.walks {
        writeln!(out)?;
        let addr = w
            .address
            .map(|a| a.to_string())
            .unwrap_or_else(|| "(no address)".into());
        writeln!(
            out,
            "from {} [{}] to {}: {}",
            terminal(&w.source),
            w.source_cidr,
            addr,
            w.verdict
        )?;
        if let Some(d) = &w.dns {
            writeln!(
                out,
                "  dns: {} ({:?})",
                terminal(&d.chain.join(" → ")),
                d.via
            )?;
            for t in &d.targets {
                if let DnsTarget::Address { record, ip, .. } = t {
                    writeln!(out, "    {} → {ip}", terminal(record))?;
                }
            }
        }
        for (i, b) in w.branches.iter().enumerate() {
            if w.branches.len() > 1 {
                writeln!(out, "  branch {}:", i + 1)?;
            }
            for (n, h) in b.hops.iter().enumerate() {
                writeln!(
                    out,
                    "  {:>2}. {:<18} {}  [{}]",
                    n + 1,
                    h.kind,
                    terminal(&h.id),
                    terminal(&h.via)
                )?;
            }
            writeln!(out, "      end: {}", terminal(&end_text(&b.end)))?;
            for (n, h) in b.return_hops.iter().enumerate() {
                writeln!(
                    out,
                    "  ←{:>2}. {:<17} {}  [{}]",
                    n + 1,
                    h.kind,
                    terminal(&h.id),
                    terminal(&h.via)
                )?;
            }
        }
        if w.blockers.is_empty() {
            writeln!(out, "  blockers: none")?;
        } else {
            writeln!(out, "  blockers ({}):", w.blockers.len())?;
            for b in &w.blockers {
                writeln!(
                    out,
                    "    {} {}: {}",
                    b.rule,
                    terminal(&b.resource),
                    terminal(&b.detail)
                )?;
            }
        }
    }
    for n in &e.notes {
        writeln!(
            out,
            "note: {} {}: {}",
            n.rule,
            terminal(&n.resource),
            terminal(&n.message)
        )?;
    }
    Ok(())
}

fn end_text(end: &End) -> String {
    match end {
        End::IotEndpoint {
            endpoint,
            service,
            network_interface,
        } => {
            format!("IoT endpoint {endpoint} ({service}) at {network_interface}")
        }
        End::ResolverEndpoint {
            endpoint,
            network_interface,
        } => {
            format!("Resolver endpoint {endpoint} at {network_interface}")
        }
        End::InternetGateway { gateway } => format!("internet gateway {gateway}"),
        End::NoPath { resource, reason } => format!("no path at {resource}: {reason}"),
        End::Unproven { resource, reason } => format!("unproven at {resource}: {reason}"),
        End::Returned { to } => format!("returned to {to}"),
    }
}

/// `pathproof explain`: exit 0 when every walk reaches IoT Core privately, 1 otherwise.
pub fn run(
    args: &crate::cli::ExplainArgs,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<crate::Outcome> {
    let intent = match &args.intent {
        Some(path) => Some(super::intent::IntentFile::load(path)?),
        None => None,
    };
    let mut snapshot = Snapshot::load(&args.snapshot)?;
    if let Some(plan) = &args.plan {
        crate::plan::overlay(&mut snapshot, plan)?;
    }
    let q = Query {
        from: args.from.clone(),
        to: args.to.clone(),
        port: args.port,
    };
    let e = explain(&snapshot, intent.as_ref(), &q)?;
    let written = match args.format {
        crate::cli::TextFormat::Table => write_table(&e, out),
        crate::cli::TextFormat::Json => crate::report::escape::to_json_writer(&mut *out, &e)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out)),
    };
    match written {
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other?,
    }
    Ok(if e.verdict == "reaches" {
        crate::Outcome::Pass
    } else {
        crate::Outcome::Fail
    })
}
