//! Route 53 Profiles (Route 53 developer guide, "What are Amazon Route 53 Profiles?"): a Profile
//! associated with a VPC (one per VPC) brings private hosted zones, Resolver rules (forwarding and
//! system), DNS Firewall rule groups and interface VPC endpoints into the VPC. Its zones and rules
//! take part in resolution as the VPC's own associations do (the most specific match wins).
//!
//! What the snapshot cannot settle stays unproven ([`Item::Unknown`]):
//! - AWS documents no precedence between a VPC's own zone or rule and a Profile's for the same
//!   domain, so an equal-depth overlap is a conflict naming both (see `authority.rs`);
//! - a Profile whose resource list is not in the snapshot, a resource whose zone or rule is not
//!   in the snapshot, an association still CREATING or DELETING, an interface endpoint brought in
//!   by the Profile (its private DNS in other VPCs is not modelled), or a resource type pathproof
//!   does not know.
use super::{is_suffix, normalize};
use crate::graph::Model;
use crate::snapshot::dnsx::ProfileResourceAssociation;
use crate::snapshot::records::ResolverRule;

/// What one Profile resource does to resolution in the VPC.
pub(super) enum Item<'s> {
    /// A private hosted zone (short id) from the Profile.
    Zone { zone_id: String, profile: String },
    /// A Resolver rule from the Profile.
    Rule {
        rule: &'s ResolverRule,
        profile: String,
    },
    /// A DNS Firewall rule group from the Profile, with its priority (`ResourceProperties`).
    FirewallGroup {
        group_id: String,
        priority: Option<i64>,
        profile: String,
    },
    /// Something that could answer names: the domains it covers when known (`None`: any name).
    Unknown {
        resource: String,
        domains: Option<Vec<String>>,
        reason: String,
    },
}

/// The Profile associated with `vpc` (in `region`), if any: (profile id, association status).
pub(super) fn profile_of(model: &Model<'_>, vpc: &str, region: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    // Through the index: a scan of every Regional's associations per VPC is quadratic at
    // organisation scale. Same associations, same (snapshot) order.
    for a in model.idx.profile_associations_of_vpc(vpc, region) {
        let status = a.status.clone().unwrap_or_else(|| "COMPLETE".into());
        if matches!(status.as_str(), "DELETED" | "FAILED") {
            continue;
        }
        if !out.iter().any(|(p, _)| *p == a.profile_id) {
            out.push((a.profile_id.clone(), status));
        }
    }
    out
}

/// Every resource the VPC's Profile brings in.
pub(super) fn items<'s>(model: &Model<'s>, vpc: &str, region: &str) -> Vec<Item<'s>> {
    let mut out = Vec::new();
    for (profile, status) in profile_of(model, vpc, region) {
        let transitional = !matches!(status.as_str(), "COMPLETE" | "UPDATING");
        let mut resources: Vec<&'s ProfileResourceAssociation> = Vec::new();
        let mut listed = false;
        for r in model
            .snapshot
            .regional
            .iter()
            .filter(|r| r.region == region)
        {
            if let Some(list) = r.dnsx.profile_resources.get(&profile) {
                listed = true;
                for x in list {
                    if !resources.iter().any(|y| y.resource_arn == x.resource_arn) {
                        resources.push(x);
                    }
                }
            }
        }
        if !listed {
            out.push(Item::Unknown {
                resource: profile.clone(),
                domains: None,
                reason: format!("Route 53 Profile {profile} is associated with {vpc}, but its resources (list-profile-resource-associations/{profile}.json) are not in the snapshot"),
            });
            continue;
        }
        for res in resources {
            out.extend(item(model, vpc, &profile, res, transitional));
        }
    }
    out
}

fn item<'s>(
    model: &Model<'s>,
    vpc: &str,
    profile: &str,
    res: &'s ProfileResourceAssociation,
    profile_transitional: bool,
) -> Option<Item<'s>> {
    let status = res.status.as_deref().unwrap_or("COMPLETE");
    if matches!(status, "DELETED" | "FAILED") {
        return None;
    }
    let arn = res.resource_arn.as_str();
    let tail = arn.rsplit(['/', ':']).next().unwrap_or(arn).to_string();
    let transitional = profile_transitional || !matches!(status, "COMPLETE" | "UPDATING");
    let unknown = |domain: Option<String>, reason: String| Item::Unknown {
        resource: tail.clone(),
        domains: domain.map(|d| vec![d]),
        reason,
    };
    if arn.contains(":hostedzone/") {
        let zone = model
            .globals()
            .iter()
            .flat_map(|g| &g.hosted_zones)
            .find(|z| z.short_id() == tail);
        return Some(match zone {
            None => unknown(None, format!("Route 53 Profile {profile} brings hosted zone {tail} into {vpc}, but the zone is not in the snapshot")),
            Some(z) if transitional => unknown(
                Some(normalize(&z.name)),
                format!("Route 53 Profile {profile} association of zone {tail} with {vpc} is {status} (in transition)"),
            ),
            Some(z) if !z.is_private() => return None,
            Some(_) => Item::Zone {
                zone_id: tail,
                profile: profile.to_string(),
            },
        });
    }
    if arn.contains(":resolver-rule/") {
        let rule = model.idx.resolver_rule(&tail);
        return Some(match rule {
            None => unknown(None, format!("Route 53 Profile {profile} brings Resolver rule {tail} into {vpc}, but the rule is not in the snapshot")),
            Some(r) if transitional => unknown(
                Some(normalize(r.domain())),
                format!("Route 53 Profile {profile} association of Resolver rule {tail} is {status} (in transition)"),
            ),
            Some(rule) => Item::Rule {
                rule,
                profile: profile.to_string(),
            },
        });
    }
    if arn.contains(":firewall-rule-group/") {
        let priority = res
            .resource_properties
            .as_deref()
            .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok())
            .and_then(|v| v.get("priority").and_then(serde_json::Value::as_i64));
        return Some(Item::FirewallGroup {
            group_id: tail,
            priority: if transitional { None } else { priority },
            profile: profile.to_string(),
        });
    }
    if arn.contains(":resolver-query-log-config/") {
        // Query logging records queries; it does not change answers.
        return None;
    }
    if arn.contains(":vpc-endpoint/") {
        let names: Vec<String> = model
            .endpoints
            .get(tail.as_str())
            .map(|ep| {
                ep.dns_entries
                    .iter()
                    .filter_map(|e| e.dns_name.as_deref().map(normalize))
                    .filter(|n| !n.ends_with(".vpce.amazonaws.com"))
                    .collect()
            })
            .unwrap_or_default();
        let reason = format!("Route 53 Profile {profile} brings interface endpoint {tail} (its private DNS) into {vpc}; how that answers in other VPCs is not modelled");
        let domains: Vec<String> = names
            .iter()
            .map(|n| n.strip_prefix("*.").unwrap_or(n).to_string())
            .collect();
        return Some(Item::Unknown {
            resource: tail,
            domains: (!domains.is_empty()).then_some(domains),
            reason,
        });
    }
    Some(unknown(
        None,
        format!(
            "Route 53 Profile {profile} brings {arn} ({}) into {vpc}, a resource type pathproof does not model",
            res.resource_type.as_deref().unwrap_or("type not given")
        ),
    ))
}

/// An unknown Profile item that could answer `name`.
pub(super) fn unknown_covering(
    model: &Model<'_>,
    vpc: &str,
    region: &str,
    name: &str,
) -> Vec<(String, String)> {
    items(model, vpc, region)
        .into_iter()
        .filter_map(|i| match i {
            Item::Unknown {
                resource,
                domains,
                reason,
            } if domains
                .as_ref()
                .is_none_or(|ds| ds.iter().any(|d| is_suffix(d, name))) =>
            {
                Some((resource, reason))
            }
            _ => None,
        })
        .collect()
}
