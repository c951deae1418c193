//! Checks that are not about one path: intent, on-premises transport, endpoint services.
use std::collections::BTreeSet;

use super::findings::Findings;
use super::intent::iot_service_of;
use super::intent::{Intent, Role};
use super::scope::{Destination, OnpremEntry};
use super::transport::{attachment_transport, vpn_transport, Transport};
use crate::graph::Model;
use crate::snapshot::records::Exposure;

pub(super) fn check_intent(intent: &Intent, destinations: &[Destination], findings: &mut Findings) {
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
}

/// PP008: on-premises traffic must not enter over a VPN with public outside addresses.
pub(super) fn check_onprem_transport(
    model: &Model<'_>,
    entry: &OnpremEntry,
    findings: &mut Findings,
) {
    match attachment_transport(model, &entry.attachment) {
        Transport::Private => {}
        Transport::Internet { resource, why } => findings.add(
            "PP008",
            &resource,
            format!(
                "on-premises {} reaches the Transit Gateway over the internet: {why}",
                entry.cidr
            ),
            None,
            serde_json::Value::Null,
        ),
        Transport::Unknown { resource, why } => findings.add(
            "PP016",
            &resource,
            format!(
                "transport of on-premises {} cannot be proven: {why}",
                entry.cidr
            ),
            None,
            serde_json::Value::Null,
        ),
    }
}

/// PP008 beyond the routes on-premises is seen to use: any internet-transport attachment whose
/// Transit Gateway route table reaches an approved endpoint interface (a backup VPN behind
/// Direct Connect, a VPN in another route-table segment), and any internet VPN on a virtual
/// private gateway attached to a device or gatekeeper VPC. Either lets traffic from outside
/// reach IoT Core's private endpoint over the internet.
pub(super) fn check_internet_reach(model: &Model<'_>, intent: &Intent, findings: &mut Findings) {
    let endpoint_ips: Vec<std::net::IpAddr> = intent
        .approved_endpoints
        .iter()
        .filter_map(|id| model.endpoints.get(id.as_str()))
        .flat_map(|ep| ep.network_interface_ids.iter())
        .filter_map(|eni| {
            model
                .enis
                .get(eni.as_str())?
                .private_ip_address
                .as_deref()?
                .parse()
                .ok()
        })
        .collect();
    let mut attachments: Vec<_> = model.tgw_attachments.keys().copied().collect();
    attachments.sort_unstable();
    for att in attachments {
        let Transport::Internet { resource, why } = attachment_transport(model, att) else {
            continue;
        };
        let Some(rt) = model.tgw_route_table_of(att) else {
            continue;
        };
        for ip in &endpoint_ips {
            // A lookup that cannot be decided (unknown prefix list, routes not in the snapshot)
            // may reach the endpoint: unproven, never assumed not to.
            let found = match model.lookup_tgw(rt, *ip) {
                Some(Ok(found)) => found,
                Some(Err(e)) => {
                    findings.add(
                        "PP016",
                        rt,
                        format!("{why}; whether its Transit Gateway route table {rt} routes to IoT endpoint address {ip} cannot be decided: {e}"),
                        None,
                        serde_json::Value::Null,
                    );
                    break;
                }
                None => {
                    findings.add(
                        "PP016",
                        rt,
                        format!("{why}; its Transit Gateway route table {rt} has no routes in the snapshot, so whether it reaches IoT endpoint address {ip} is unknown"),
                        None,
                        serde_json::Value::Null,
                    );
                    break;
                }
            };
            let reaches = found.is_some_and(|m| !m.blackhole && !m.attachments.is_empty());
            if reaches {
                findings.add(
                    "PP008",
                    &resource,
                    format!("{why}; its Transit Gateway route table {rt} routes to IoT endpoint address {ip}"),
                    None,
                    serde_json::Value::Null,
                );
                break;
            }
        }
    }
    let mut vpns: Vec<_> = model.vpn_connections.values().copied().collect();
    vpns.sort_by(|a, b| a.vpn_connection_id.cmp(&b.vpn_connection_id));
    for vpn in vpns {
        let Some(vgw) = vpn.vpn_gateway_id.as_deref() else {
            continue;
        };
        let attached: Vec<&str> = model
            .snapshot
            .regional
            .iter()
            .flat_map(|r| &r.vpn_gateways)
            .filter(|g| g.vpn_gateway_id == vgw)
            .flat_map(|g| &g.vpc_attachments)
            .filter(|a| a.state.as_deref().is_none_or(|s| s == "attached"))
            .map(|a| a.vpc_id.as_str())
            .filter(|v| matches!(intent.roles.get(*v), Some(Role::Device | Role::Gatekeeper)))
            .collect();
        if let (Some(vpc), Transport::Internet { resource, why }) = (
            attached.first(),
            vpn_transport(model, &vpn.vpn_connection_id),
        ) {
            findings.add(
                "PP008",
                &resource,
                format!("{why}; it terminates on {vgw}, attached to {vpc}"),
                None,
                serde_json::Value::Null,
            );
        }
    }
}

/// PP012 for any internet-facing load balancer that forwards to an IoT interface endpoint: it
/// exposes the private endpoint (and its approved aws:SourceVpce) to the internet.
pub(super) fn check_exposed_endpoints(model: &Model<'_>, findings: &mut Findings) {
    let mut lbs: Vec<_> = model.load_balancers.values().copied().collect();
    lbs.sort_by(|a, b| a.load_balancer_arn.cmp(&b.load_balancer_arn));
    for lb in lbs
        .into_iter()
        .filter(|lb| lb.exposure() != Exposure::Internal)
    {
        let groups = model
            .listeners(lb)
            .iter()
            .flat_map(|l| &l.default_actions)
            .flat_map(|a| {
                a.target_group_arn.iter().chain(
                    a.forward_config
                        .iter()
                        .flat_map(|f| f.target_groups.iter().map(|t| &t.target_group_arn)),
                )
            });
        for tg in groups.filter_map(|arn| model.target_groups.get(arn.as_str()).copied()) {
            let exposed = model.target_health(tg).iter().find_map(|t| {
                let ip = t.target.id.parse().ok()?;
                model.enis_with_ip(ip).into_iter().find_map(|eni| {
                    let ep = model.endpoint_of_eni(&eni.network_interface_id)?;
                    iot_service_of(&ep.service_name).map(|_| ep.vpc_endpoint_id.clone())
                })
            });
            if let Some(endpoint) = exposed {
                // No Scheme on a load balancer that is not a GWLB: unknown, so unproven.
                let (rule, what) = match lb.exposure() {
                    Exposure::InternetFacing => ("PP012", "internet-facing load balancer"),
                    _ => ("PP016", "load balancer without a Scheme (exposure unknown)"),
                };
                findings.add(
                    rule,
                    &lb.load_balancer_arn,
                    format!(
                        "{what} {} forwards to IoT endpoint {endpoint} (target group {})",
                        lb.load_balancer_name, tg.target_group_name
                    ),
                    None,
                    serde_json::Value::Null,
                );
            }
        }
    }
}

/// PP010 / PP011 / PP012: endpoint services whose load balancers are in a gatekeeper VPC or that
/// consumer endpoints connect to.
pub(super) fn check_endpoint_services(model: &Model<'_>, intent: &Intent, findings: &mut Findings) {
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
                let rule = match lb.exposure() {
                    Exposure::Internal => None,
                    Exposure::InternetFacing => Some("PP012"),
                    Exposure::Unknown => Some("PP016"),
                };
                if let Some(rule) = rule {
                    findings.add(
                        rule,
                        arn,
                        format!(
                            "load balancer {} behind {} has scheme {}",
                            lb.load_balancer_name,
                            svc.service_id,
                            lb.scheme_text()
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
pub(super) fn principal_account(p: &str) -> Option<String> {
    if p.len() == 12 && p.chars().all(|c| c.is_ascii_digit()) {
        return Some(p.to_string());
    }
    let parts: Vec<&str> = p.split(':').collect();
    (parts.len() >= 6 && parts[0] == "arn")
        .then(|| parts[4].to_string())
        .filter(|a| !a.is_empty())
}

/// PP017 for accounts the estate depends on that the snapshot does not cover: the owner of a
/// Transit Gateway a covered VPC is attached to, and the owners of VPCs attached to a covered
/// Transit Gateway. Their route tables and filters could change every verdict.
pub(super) fn check_coverage(model: &Model<'_>, findings: &mut Findings) {
    let targets: BTreeSet<&str> = model
        .snapshot
        .manifest
        .targets
        .iter()
        .map(|t| t.account.as_str())
        .collect();
    let mut missing: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
    for a in model.tgw_attachments.values() {
        for (owner, what) in [
            (
                a.transit_gateway_owner_id.as_deref(),
                format!("owns {}", a.transit_gateway_id),
            ),
            (
                a.resource_owner_id.as_deref(),
                format!(
                    "owns the {} attached as {}",
                    a.resource_type, a.transit_gateway_attachment_id
                ),
            ),
        ] {
            if let Some(owner) = owner.filter(|o| !targets.contains(o)) {
                missing.entry(owner.to_string()).or_default().insert(what);
            }
        }
    }
    for (account, what) in missing {
        let what: Vec<String> = what.into_iter().collect();
        findings.add(
            "PP017",
            &format!("account {account}"),
            format!(
                "account {account} {} but is not a target of the snapshot",
                what.join(", ")
            ),
            None,
            serde_json::Value::Null,
        );
    }
}
