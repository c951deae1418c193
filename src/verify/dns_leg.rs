//! The on-premises DNS leg. On-premises DNS forwarders send the IoT names to the addresses of a
//! Route 53 Resolver inbound endpoint (Route 53 developer guide, "Forwarding inbound DNS queries
//! to your VPCs"); names then resolve as the endpoint's VPC sees them. Without a working private
//! DNS path the forwarders fall back to public resolution, and the devices connect to IoT Core's
//! public address.
//!
//! Every address of the endpoint is proven like an MQTT path, with the same walker: the query
//! from the on-premises range through its Transit Gateway attachment to the address (UDP 53 and
//! TCP 53: DNS falls back to TCP for answers that do not fit a UDP message, RFC 7766, and
//! inbound endpoints accept both), then the reply back to every address of the range on the
//! ephemeral ports.
//!
//! Decisions (documented in the PP009 rule file):
//! - Which addresses the forwarders list is not in the snapshot. They usually list every
//!   address of the endpoint and fail over, so every address of every inbound endpoint of the
//!   resolver VPC must work over UDP and TCP; each that does not is a PP009 finding naming the
//!   route table, Transit Gateway route table, attachment, network ACL or security group that
//!   breaks it, and the address and protocol (finding evidence).
//! - The IoT names resolve privately when at least one address answers over UDP: the answers are
//!   small A records that fit a UDP message, so TCP is only the fallback.
//! - A walk that reaches something pathproof cannot see through is PP016 (unproven), never
//!   PP009: when no address is proven to work and one is unproven, the on-premises MQTT paths
//!   are unproven (they carry that PP016). When every address is broken, on-premises resolves
//!   the names publicly (PP003 on its paths, PP009 on the device VPCs).
//! - The resolver VPC is the first VPC, device VPCs first and then the other VPCs on the
//!   Transit Gateway (a central DNS VPC), with an inbound endpoint that works; endpoints of the
//!   VPCs tried before it are reported too, since the forwarders may use them.
use std::net::IpAddr;

use serde_json::json;

use super::findings::Findings;
use super::scope::{inbound_endpoints, vpcs_on_tgw_of, OnpremEntry};
use super::walk::{deciding_resource, Branch, End, Flow, Hop, Issue, Proto, Src, Walker};
use crate::rules::{self, Severity};

/// How on-premises resolves the IoT names.
pub(super) enum DnsLeg {
    /// Through an inbound endpoint in this VPC: names resolve as it sees them.
    Private { vpc: String },
    /// Perhaps through an inbound endpoint in this VPC: no address is proven to work and one
    /// is unproven. Every on-premises MQTT path carries `issue` (PP016).
    Unproven { vpc: String, issue: Issue },
    /// No inbound endpoint works: the names resolve publicly.
    Public,
}

/// What the walks of one address over one protocol showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Works,
    Broken,
    Unproven,
}

struct Found {
    rule: &'static str,
    resource: String,
    message: String,
    evidence: serde_json::Value,
}

/// Prove the DNS leg of one on-premises entry, adding what is wrong to `findings`.
pub(super) fn prove(
    walker: &Walker<'_, '_>,
    entry: &OnpremEntry,
    findings: &mut Findings,
) -> DnsLeg {
    let model = walker.model;
    let mut candidates = entry.device_vpcs.clone();
    candidates.extend(
        vpcs_on_tgw_of(model, &entry.attachment)
            .into_iter()
            .filter(|v| !entry.device_vpcs.contains(v)),
    );
    let mut found: Vec<Found> = Vec::new();
    let mut why_not: Vec<String> = Vec::new();
    let mut unproven: Option<(String, Issue)> = None;
    let mut chosen = None;
    for vpc in &candidates {
        let endpoints = inbound_endpoints(model, vpc);
        if endpoints.is_empty() {
            why_not.push(format!("{vpc} has no Route 53 Resolver inbound endpoint"));
            continue;
        }
        let mut usable = false;
        for ep in endpoints {
            let ep = match ep {
                Ok(ep) => ep,
                Err(reason) => {
                    why_not.push(reason);
                    continue;
                }
            };
            for (ip, status) in &ep.addresses {
                let ip = match ip {
                    Ok(ip) => ip,
                    Err(text) => {
                        let message = format!("whether on-premises {} can use Route 53 Resolver inbound endpoint {} is unproven: its address {text:?} is not an IP address", entry.cidr, ep.id);
                        unproven.get_or_insert_with(|| {
                            (
                                vpc.clone(),
                                Issue {
                                    rule: "PP016",
                                    resource: ep.id.clone(),
                                    detail: message.clone(),
                                },
                            )
                        });
                        found.push(Found {
                            rule: "PP016",
                            resource: ep.id.clone(),
                            message,
                            evidence: serde_json::Value::Null,
                        });
                        continue;
                    }
                };
                let label = format!("{} address {ip}", ep.id);
                match address_status(status.as_deref()) {
                    Verdict::Works => {}
                    Verdict::Broken => {
                        let status = status.as_deref().unwrap_or("");
                        found.push(Found {
                            rule: "PP009",
                            resource: ep.id.clone(),
                            message: format!("on-premises {} cannot use Route 53 Resolver inbound endpoint {label}: the address is {status}", entry.cidr),
                            evidence: json!({"resolver_endpoint": ep.id, "address": ip, "status": status}),
                        });
                        why_not.push(format!("{label} is {status}"));
                        continue;
                    }
                    Verdict::Unproven => {
                        let status = status.as_deref().unwrap_or("");
                        let message = format!("whether on-premises {} can use Route 53 Resolver inbound endpoint {label} is unproven: the address is {status}", entry.cidr);
                        unproven.get_or_insert_with(|| {
                            (
                                vpc.clone(),
                                Issue {
                                    rule: "PP016",
                                    resource: ep.id.clone(),
                                    detail: message.clone(),
                                },
                            )
                        });
                        found.push(Found {
                            rule: "PP016",
                            resource: ep.id.clone(),
                            message,
                            evidence: json!({"resolver_endpoint": ep.id, "address": ip, "status": status}),
                        });
                        continue;
                    }
                }
                for proto in [Proto::Udp, Proto::Tcp] {
                    let src = Src {
                        nets: vec![entry.cidr],
                        groups: Vec::new(),
                        subnet: None,
                    };
                    let branches = walker.from_attachment(
                        &entry.attachment,
                        src,
                        *ip,
                        Flow::dns(&ep.id, proto),
                    );
                    let (verdict, mut fs) =
                        classify(walker, entry, vpc, &ep.id, *ip, proto, branches);
                    if proto == Proto::Udp {
                        match verdict {
                            Verdict::Works => usable = true,
                            Verdict::Unproven => {
                                if let Some(f) = fs.iter().find(|f| f.rule == "PP016") {
                                    unproven.get_or_insert_with(|| {
                                        (vpc.clone(), Issue {
                                            rule: "PP016",
                                            resource: f.resource.clone(),
                                            detail: format!("on-premises {}: the DNS path to Route 53 Resolver inbound endpoint {label} is unproven, so whether the IoT names resolve privately is unproven", entry.cidr),
                                        })
                                    });
                                }
                            }
                            Verdict::Broken => {
                                if let Some(f) = fs.iter().find(|f| f.rule == "PP009") {
                                    why_not.push(format!("{label} over udp: {}", f.resource));
                                }
                            }
                        }
                    }
                    found.append(&mut fs);
                }
            }
        }
        if usable {
            chosen = Some(vpc.clone());
            break;
        }
    }
    for f in found {
        findings.add(f.rule, &f.resource, f.message, None, f.evidence);
    }
    if let Some(vpc) = chosen {
        return DnsLeg::Private { vpc };
    }
    if let Some((vpc, issue)) = unproven {
        return DnsLeg::Unproven { vpc, issue };
    }
    for v in &entry.device_vpcs {
        findings.add(
            "PP009",
            v,
            format!("on-premises {} cannot use a Route 53 Resolver inbound endpoint ({}), so it resolves the IoT names publicly", entry.cidr, why_not.join("; ")),
            None,
            serde_json::Value::Null,
        );
    }
    DnsLeg::Public
}

/// An inbound endpoint address answers when it is `ATTACHED` (or the status is absent). Failed,
/// detaching, deleted or isolated addresses do not; addresses in transition (creating,
/// attaching, remapping, updating) or in a state this version does not know are unproven
/// (Route 53 Resolver API, `IpAddressResponse` `Status`).
fn address_status(status: Option<&str>) -> Verdict {
    match status {
        None | Some("ATTACHED") => Verdict::Works,
        Some(
            "FAILED_CREATION"
            | "FAILED_CREATION_INSUFFICIENT_EC2_CAPACITY_IN_OUTPOST"
            | "DETACHING"
            | "FAILED_RESOURCE_GONE"
            | "DELETING"
            | "DELETE_FAILED_FAS_EXPIRED"
            | "UPDATE_FAILED"
            | "ISOLATED",
        ) => Verdict::Broken,
        Some(_) => Verdict::Unproven,
    }
}

/// Turn the walks of one address over one protocol into findings: anything that breaks the
/// query or the reply is PP009 on the resource that decides it, anything unproven is PP016;
/// an internet VPN on the way stays PP008 (the transport check reports it too).
fn classify(
    walker: &Walker<'_, '_>,
    entry: &OnpremEntry,
    host_vpc: &str,
    endpoint: &str,
    ip: IpAddr,
    proto: Proto,
    branches: Vec<Branch>,
) -> (Verdict, Vec<Found>) {
    let mut out = Vec::new();
    // A query has no business in an attachment to another VPC than the endpoint's: the Transit
    // Gateway route table that sent it there is what breaks it.
    let wrong_turn = |h: &Hop| {
        h.kind == "tgw-attachment"
            && walker
                .model
                .tgw_vpc_attachments
                .get(h.id.as_str())
                .is_some_and(|a| a.vpc_id != host_vpc)
    };
    let decide = |resource: &str, hops: &[Hop]| deciding_resource(resource, hops, wrong_turn);
    let what = format!(
        "on-premises {} → Route 53 Resolver inbound endpoint {endpoint} address {ip} over {} 53",
        entry.cidr,
        proto.as_str()
    );
    for b in branches {
        let evidence = |detail: &str| {
            json!({
                "resolver_endpoint": endpoint,
                "address": ip,
                "protocol": proto,
                "detail": detail,
                "hops": b.hops,
                "return_hops": b.return_hops,
            })
        };
        for i in &b.issues {
            let rule = match (i.rule, rules::get(i.rule).severity) {
                ("PP008", _) => "PP008",
                (_, Severity::Violation) => "PP009",
                (_, Severity::Unproven) => "PP016",
                (r, _) => r,
            };
            out.push(Found {
                rule,
                resource: i.resource.clone(),
                message: format!("{what}: {}", i.detail),
                evidence: evidence(&i.detail),
            });
        }
        let (rule, resource, detail) = match &b.end {
            End::ResolverEndpoint { .. } | End::Returned { .. } => continue,
            End::NoPath { resource, reason } => (
                "PP009",
                decide(resource, &b.hops),
                format!("the query ends at {resource}: {reason}"),
            ),
            End::InternetGateway { gateway } => (
                "PP009",
                decide(gateway, &b.hops),
                format!("the query leaves through internet gateway {gateway}"),
            ),
            End::IotEndpoint { endpoint: e, .. } => (
                "PP009",
                decide(e, &b.hops),
                format!("the query reaches interface endpoint {e}, not the Resolver endpoint"),
            ),
            End::Unproven { resource, reason } => (
                "PP016",
                resource.clone(),
                format!("the query cannot be followed past {resource}: {reason}"),
            ),
        };
        out.push(Found {
            rule,
            resource,
            message: format!("{what}: {detail}"),
            evidence: evidence(&detail),
        });
    }
    let verdict = if out.iter().any(|f| f.rule == "PP009") {
        Verdict::Broken
    } else if out.iter().any(|f| f.rule == "PP016") {
        Verdict::Unproven
    } else {
        Verdict::Works
    };
    (verdict, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_states_from_the_resolver_api() {
        assert_eq!(address_status(None), Verdict::Works);
        assert_eq!(address_status(Some("ATTACHED")), Verdict::Works);
        for s in [
            "FAILED_CREATION",
            "DETACHING",
            "DELETING",
            "ISOLATED",
            "UPDATE_FAILED",
        ] {
            assert_eq!(address_status(Some(s)), Verdict::Broken, "{s}");
        }
        for s in [
            "CREATING",
            "ATTACHING",
            "REMAP_ATTACHING",
            "UPDATING",
            "SOMETHING_NEW",
        ] {
            assert_eq!(address_status(Some(s)), Verdict::Unproven, "{s}");
        }
    }
}
