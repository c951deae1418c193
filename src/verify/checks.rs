//! Checks that are not about one path: intent, on-premises transport, endpoint services.
use std::collections::BTreeSet;

use super::findings::Findings;
use super::intent::{Intent, Role};
use super::scope::{Destination, OnpremEntry};
use crate::graph::Model;

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
pub(super) fn principal_account(p: &str) -> Option<String> {
    if p.len() == 12 && p.chars().all(|c| c.is_ascii_digit()) {
        return Some(p.to_string());
    }
    let parts: Vec<&str> = p.split(':').collect();
    (parts.len() >= 6 && parts[0] == "arn")
        .then(|| parts[4].to_string())
        .filter(|a| !a.is_empty())
}
