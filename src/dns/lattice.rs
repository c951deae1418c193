//! VPC Lattice endpoints: resource endpoints (`VpcEndpointType` `Resource`, to a resource
//! configuration) and service-network endpoints (`ServiceNetwork`). With private DNS enabled they
//! give the VPC private zones for the custom domain names of the resources and services behind
//! them (AWS PrivateLink guide, "Access resources through resource VPC endpoints" and "Access
//! service networks through service-network VPC endpoints"; EC2 API `DnsOptions`
//! `PrivateDnsPreference` / `PrivateDnsSpecifiedDomains`). Those zones appear in no listing the
//! snapshot holds, so a name they could cover is unproven, naming the endpoint.
use super::{is_suffix, normalize};
use crate::graph::Model;

/// Endpoints of `vpc` whose private DNS could answer `name`, with why.
pub(super) fn covering(model: &Model<'_>, vpc: &str, name: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut eps: Vec<_> = model
        .endpoints
        .values()
        .filter(|e| {
            e.vpc_id == vpc && matches!(e.vpc_endpoint_type.as_str(), "Resource" | "ServiceNetwork")
        })
        .collect();
    eps.sort_by(|a, b| a.vpc_endpoint_id.cmp(&b.vpc_endpoint_id));
    for ep in eps {
        if matches!(
            ep.state.to_ascii_lowercase().as_str(),
            "deleted" | "deleting" | "rejected" | "failed" | "expired"
        ) {
            continue;
        }
        if !ep.private_dns_enabled {
            continue;
        }
        let id = &ep.vpc_endpoint_id;
        let preference = ep
            .dns_options
            .as_ref()
            .and_then(|d| d.private_dns_preference.as_deref());
        let specified: Vec<String> = ep
            .dns_options
            .as_ref()
            .map(|d| {
                d.private_dns_specified_domains
                    .iter()
                    .map(|s| normalize(s))
                    .collect()
            })
            .unwrap_or_default();
        let reason = match preference {
            // Only the listed domains get private zones: decide by them.
            Some("SPECIFIED_DOMAINS_ONLY") => {
                let hit = specified.iter().find(|d| {
                    let base = d.strip_prefix("*.").unwrap_or(d);
                    is_suffix(base, name)
                });
                match hit {
                    Some(d) => format!("VPC Lattice {} endpoint {id} has private DNS for {d}, which covers {name}; its records are not in the snapshot", ep.vpc_endpoint_type),
                    None => continue,
                }
            }
            Some(p) => format!("VPC Lattice {} endpoint {id} has private DNS ({p}) for domains the snapshot does not list; they could cover {name}", ep.vpc_endpoint_type),
            None => format!("VPC Lattice {} endpoint {id} has private DNS for custom domains the snapshot does not list; they could cover {name}", ep.vpc_endpoint_type),
        };
        out.push((id.clone(), reason));
    }
    out
}
