//! Names AWS answers itself: interface endpoint DNS names (regional, zonal, private DNS) and load
//! balancer DNS names, reached by an alias record, a CNAME, or the endpoint's private DNS.
//!
//! Which record types an endpoint's names have is `DnsOptions.DnsRecordIpType` (EC2 API
//! reference `DnsOptions`; PrivateLink guide, "DNS record IP type"): `ipv4` creates A records for
//! the private, regional and zonal names; `ipv6` AAAA records for all of them; `dualstack` both;
//! `service-defined` A records for all of them and AAAA records for the regional and zonal names
//! only. When `DnsOptions` is absent the endpoint is taken to have A records only, as endpoints
//! had before the option existed (the API marks it optional and documents no default; this is
//! the lead's reading of the VPC endpoint docs, not a quoted rule), and only when its interfaces
//! have IPv4 addresses (`IpAddressType` absent, `ipv4` or `dualstack`); otherwise unresolvable.
//! An A query is answered with the IPv4 addresses of the endpoint's interfaces; IPv6 addresses are
//! not modelled, so an AAAA query that has records is *unresolvable*, not answered.
use std::net::IpAddr;

use super::{is_suffix, normalize, DnsTarget, QueryType};
use crate::graph::{At, Model};
use crate::snapshot::records::VpcEndpoint;

/// Which of an endpoint's names are asked for: its private DNS name or a regional/zonal name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EndpointName {
    Private,
    RegionalOrZonal,
}

/// Does the endpoint's `name` have records of `qtype`? `Err` = the options cannot be read.
fn endpoint_has(ep: &VpcEndpoint, name: EndpointName, qtype: QueryType) -> Result<bool, String> {
    let record_type = ep
        .dns_options
        .as_ref()
        .and_then(|o| o.dns_record_ip_type.as_deref());
    let (a, aaaa) = match record_type {
        None => match ep.ip_address_type.as_deref() {
            None | Some("ipv4") | Some("dualstack") => (true, false),
            Some(other) => {
                return Err(format!(
                    "endpoint {} has IpAddressType {other} and no DnsOptions.DnsRecordIpType",
                    ep.vpc_endpoint_id
                ))
            }
        },
        Some("ipv4") => (true, false),
        Some("dualstack") => (true, true),
        Some("ipv6") => (false, true),
        Some("service-defined") => (true, name == EndpointName::RegionalOrZonal),
        Some(other) => {
            return Err(format!(
            "endpoint {} has DnsOptions.DnsRecordIpType {other:?}, which pathproof does not know",
            ep.vpc_endpoint_id
        ))
        }
    };
    Ok(match qtype {
        QueryType::A => a,
        QueryType::Aaaa => aaaa,
    })
}

/// What an endpoint answers for one of its names (`dns`, as matched) queried as `record`.
/// `zone` is the zone whose record led here (for findings), if any.
pub(super) fn endpoint_answer(
    model: &Model<'_>,
    ep: At<'_, VpcEndpoint>,
    record: &str,
    dns: &str,
    name: EndpointName,
    qtype: QueryType,
    zone: Option<&str>,
) -> Vec<DnsTarget> {
    let zone = zone.map(str::to_string);
    match endpoint_has(&ep, name, qtype) {
        Err(reason) => vec![DnsTarget::Unresolvable {
            record: record.to_string(),
            reason,
            zone,
        }],
        Ok(false) => {
            let record_type = ep
                .dns_options
                .as_ref()
                .and_then(|o| o.dns_record_ip_type.clone())
                .unwrap_or_else(|| "ipv4 (no DnsOptions)".into());
            vec![DnsTarget::NoData {
                record: record.to_string(),
                query_type: qtype.as_str().to_string(),
                types: Vec::new(),
                detail: format!(
                    "{dns} of endpoint {} has no {qtype} records (DnsRecordIpType {record_type})",
                    ep.vpc_endpoint_id
                ),
                zone,
            }]
        }
        Ok(true) if qtype == QueryType::Aaaa => vec![DnsTarget::Unresolvable {
            record: record.to_string(),
            reason: format!(
                "IPv6 addresses of endpoint {} are not modelled",
                ep.vpc_endpoint_id
            ),
            zone,
        }],
        Ok(true) => endpoint_addresses(model, ep, record, dns, zone),
    }
}

/// What AWS answers for `target` (an alias target or a CNAME leaving the private zones): an
/// interface endpoint's name or a load balancer's name; anything else cannot be followed.
pub(super) fn aws_name(
    model: &Model<'_>,
    record: &str,
    target: &str,
    qtype: QueryType,
    zone: Option<&str>,
) -> Vec<DnsTarget> {
    let target = normalize(target);
    let target = target.strip_prefix("dualstack.").unwrap_or(&target);
    let mut endpoints: Vec<_> = model.endpoints.values().copied().collect();
    endpoints.sort_by(|a, b| a.vpc_endpoint_id.cmp(&b.vpc_endpoint_id));
    for ep in endpoints {
        for entry in &ep.dns_entries {
            let Some(dns) = entry.dns_name.as_deref().map(normalize) else {
                continue;
            };
            let matches = match dns.strip_prefix("*.") {
                Some(parent) => is_suffix(parent, target) && parent != target,
                None => dns == target,
            };
            if matches {
                return endpoint_answer(
                    model,
                    ep,
                    record,
                    &dns,
                    EndpointName::RegionalOrZonal,
                    qtype,
                    zone,
                );
            }
        }
    }
    let zone_s = zone.map(str::to_string);
    let mut lbs: Vec<_> = model.load_balancers.values().copied().collect();
    lbs.sort_by(|a, b| a.load_balancer_arn.cmp(&b.load_balancer_arn));
    for lb in lbs {
        let Some(dns) = lb.dns_name.as_deref().map(normalize) else {
            continue;
        };
        if dns != target {
            continue;
        }
        if qtype == QueryType::Aaaa {
            return vec![DnsTarget::Unresolvable {
                record: record.to_string(),
                reason: format!(
                    "IPv6 addresses of load balancer {} are not modelled",
                    lb.load_balancer_name
                ),
                zone: zone_s,
            }];
        }
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
        ips.retain(IpAddr::is_ipv4);
        if ips.is_empty() {
            return vec![DnsTarget::Unresolvable {
                record: record.to_string(),
                reason: format!(
                    "load balancer {} has no private addresses in the snapshot",
                    lb.load_balancer_name
                ),
                zone: zone_s,
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
    vec![DnsTarget::Unresolvable {
        record: record.to_string(),
        reason: format!(
            "{target} is not an interface endpoint or load balancer in the snapshot (it resolves outside the VPC's private view)"
        ),
        zone: zone_s,
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

/// IPv4 addresses of an interface endpoint's ENIs; a zonal DNS name (`…-us-west-2a.…`) selects
/// the ENI in that Availability Zone.
fn endpoint_addresses(
    model: &Model<'_>,
    ep: At<'_, VpcEndpoint>,
    record: &str,
    dns: &str,
    zone: Option<String>,
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
                zone: zone.clone(),
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
            .and_then(|s| s.parse::<IpAddr>().ok())
            .filter(IpAddr::is_ipv4)
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
            reason: format!(
                "endpoint {} has no IPv4 network interface addresses",
                ep.vpc_endpoint_id
            ),
            zone,
        });
    }
    out
}

/// A zonal endpoint name's first label ends in an Availability Zone name (`…-us-west-2a`).
pub(super) fn is_zonal_label(label: &str) -> bool {
    let Some(last) = label.rsplit('-').next() else {
        return false;
    };
    (2..=3).contains(&last.len())
        && last.chars().last().is_some_and(|c| c.is_ascii_lowercase())
        && last[..last.len() - 1].chars().all(|c| c.is_ascii_digit())
}
