//! Route 53 Resolver DNS Firewall as a VPC's queries meet it (Route 53 developer guide, "Using DNS
//! Firewall to filter outbound DNS traffic", "DNS Firewall rule groups and rules", "Rule actions
//! in DNS Firewall", "DNS Firewall Advanced"; API reference `FirewallRule`, `FirewallConfig`).
//!
//! - Rule groups associated with the VPC (directly, or through its Route 53 Profile) are evaluated
//!   in association priority order (lowest first), and the rules of a group in rule priority order.
//! - The first rule whose domain list matches the name decides: ALLOW and ALERT let the query
//!   through and stop inspection ("Rule actions in DNS Firewall": Alert "stops inspecting the
//!   query, allows it to go through and logs an alert"); BLOCK answers NODATA or NXDOMAIN, or with
//!   OVERRIDE a CNAME to `BlockOverrideDomain`, which is then resolved like any CNAME target.
//! - By default (`INSPECT_REDIRECTION_DOMAIN`) every name of a CNAME chain is inspected;
//!   `TRUST_REDIRECTION_DOMAIN` on the ALLOW rule that matched the query trusts the chain.
//! - DNS Firewall also filters names in private hosted zones and endpoint names (overview page).
//!
//! What cannot be decided offline is [`Effect::Unknown`] naming the rule: an AWS-managed domain
//! list (`ManagedOwnerName`, contents not in the snapshot), a DNS Firewall Advanced rule
//! (`DnsThreatProtection`: matches by traffic analysis), a domain list or rule group whose file is
//! missing, a wildcard other than a leading `*.` label or `*` alone, a rule group whose priority is
//! unknown, and orderings AWS does not document (a VPC's own rule groups against its Profile's).
use super::{normalize, QueryType};
use crate::graph::Model;
use crate::snapshot::dnsx::FirewallRule;

/// What DNS Firewall does to one query name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Effect {
    /// The query goes on to resolution; `trust_chain` when an ALLOW rule with
    /// `TRUST_REDIRECTION_DOMAIN` matched (the CNAME chain is not inspected).
    Pass { trust_chain: bool },
    /// BLOCK with NODATA or NXDOMAIN.
    Block {
        group: String,
        rule: String,
        response: String,
    },
    /// BLOCK with OVERRIDE: the answer is a CNAME to `target`.
    Override {
        group: String,
        rule: String,
        target: String,
    },
    /// The snapshot cannot settle what the firewall does.
    Unknown { resource: String, reason: String },
}

/// A rule group associated with the VPC, with its evaluation priority.
struct Group {
    id: String,
    priority: Option<i64>,
    /// The Route 53 Profile that brought it, if any.
    profile: Option<String>,
    status: String,
}

fn groups(model: &Model<'_>, vpc: &str, region: &str) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for r in model
        .snapshot
        .regional
        .iter()
        .filter(|r| r.region == region)
    {
        for a in r.dnsx.firewall_associations.iter().flatten() {
            if a.vpc_id == vpc
                && !out
                    .iter()
                    .any(|g| g.id == a.firewall_rule_group_id && g.profile.is_none())
            {
                out.push(Group {
                    id: a.firewall_rule_group_id.clone(),
                    priority: Some(a.priority),
                    profile: None,
                    status: a.status.clone().unwrap_or_else(|| "COMPLETE".into()),
                });
            }
        }
    }
    for i in super::profiles::items(model, vpc, region) {
        if let super::profiles::Item::FirewallGroup {
            group_id,
            priority,
            profile,
        } = i
        {
            out.push(Group {
                id: group_id,
                priority,
                profile: Some(profile),
                status: "COMPLETE".into(),
            });
        }
    }
    out
}

/// Does the VPC have any DNS Firewall rule group (directly or through its Profile)?
pub(super) fn has_groups(model: &Model<'_>, vpc: &str, region: &str) -> bool {
    !groups(model, vpc, region).is_empty()
}

/// Can DNS Firewall let a query for `vpc` through unfiltered when it cannot evaluate it (fail
/// open)? API reference `UpdateFirewallConfig`, `FirewallFailOpen`: DISABLED (the default) is fail
/// closed, "DNS Firewall blocks queries that it is unable to evaluate properly"; ENABLED is fail
/// open, "DNS Firewall allows queries to proceed if it is unable to properly evaluate them".
///
/// Open is the sound reading whenever the snapshot does not show closed: a name DNS Firewall
/// blocks or overrides then has its own answer as well (a superset of what closed allows). That
/// covers ENABLED, `USE_LOCAL_RESOURCE_SETTING` or any other value on the VPC's configuration,
/// and a VPC with a Route 53 Profile: "What are Amazon Route 53 Profiles?" lists the DNS Firewall
/// failure mode among the VPC settings a Profile manages, and its value is in no listing the
/// snapshot holds. Only DISABLED, or no configuration listed for the VPC, without a Profile, is
/// closed.
pub(super) fn may_fail_open(model: &Model<'_>, vpc: &str, region: &str) -> bool {
    let own = model
        .snapshot
        .regional
        .iter()
        .filter(|r| r.region == region)
        .flat_map(|r| r.dnsx.firewall_configs.iter().flatten())
        .find(|c| c.resource_id == vpc)
        .and_then(|c| c.firewall_fail_open.clone());
    let closed = matches!(own.as_deref(), None | Some("DISABLED"));
    !closed || !super::profiles::profile_of(model, vpc, region).is_empty()
}

/// Does a domain list entry match `name`? `None`: cannot tell.
fn entry_matches(entry: &str, name: &str) -> Option<bool> {
    let e = normalize(entry);
    if e == "*" {
        return Some(true);
    }
    if let Some(parent) = e.strip_prefix("*.") {
        if parent.contains('*') {
            return None;
        }
        if name == parent {
            // Whether `*.example.com` also matches `example.com` itself is not stated in the
            // domain list documentation: unproven rather than guessed.
            return None;
        }
        return Some(name.ends_with(&format!(".{parent}")));
    }
    if e.contains('*') {
        return None;
    }
    Some(e == name)
}

/// A rule's query type as a mnemonic. "Rule settings in DNS Firewall" lists the types a rule can
/// inspect (A, AAAA, CAA, CNAME, DS, MX, NAPTR, NS, PTR, SOA, SPF, SRV, TXT) and a type given by
/// its number as `TYPE<number>` (1-65334; "for example 28 for AAAA"), so `TYPE1` is A, `TYPE5`
/// CNAME and `TYPE28` AAAA (RFC 1035 and RFC 3596 type codes). Anything else cannot be told.
fn canonical_qtype(q: &str) -> Result<String, String> {
    const NAMED: &[&str] = &[
        "A", "AAAA", "CAA", "CNAME", "DS", "MX", "NAPTR", "NS", "PTR", "SOA", "SPF", "SRV", "TXT",
    ];
    let up = q.trim().to_ascii_uppercase();
    if NAMED.contains(&up.as_str()) {
        return Ok(up);
    }
    let number = up
        .strip_prefix("TYPE")
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|n| n.parse::<u32>().ok())
        .filter(|n| (1..=65334).contains(n));
    match number {
        Some(1) => Ok("A".into()),
        Some(5) => Ok("CNAME".into()),
        Some(28) => Ok("AAAA".into()),
        Some(n) => Ok(format!("TYPE{n}")),
        None => Err(format!(
            "its query type {q:?} is not one DNS Firewall documents"
        )),
    }
}

/// Does `rule` match `name` for a query of `qtype`? `Err` says why it cannot be told.
fn rule_matches(
    model: &Model<'_>,
    region: &str,
    rule: &FirewallRule,
    name: &str,
    qtype: QueryType,
) -> Result<bool, String> {
    if let Some(q) = rule.qtype.as_deref() {
        let q = canonical_qtype(q)?;
        if q != qtype.as_str() && q != "CNAME" {
            // The rule inspects another query type only (FirewallRule.Qtype).
            return Ok(false);
        }
        if q != qtype.as_str() {
            return Err(format!(
                "its query type {q} could apply to the {qtype} query's CNAME chain"
            ));
        }
    }
    if rule.firewall_threat_protection_id.is_some() || rule.dns_threat_protection.is_some() {
        return Err(format!(
            "it is a DNS Firewall Advanced rule ({}): it matches by analysing traffic, not by a domain list",
            rule.dns_threat_protection.as_deref().unwrap_or("threat protection")
        ));
    }
    let Some(list) = rule.firewall_domain_list_id.as_deref() else {
        return Err("it names no domain list".into());
    };
    let regionals = || {
        model
            .snapshot
            .regional
            .iter()
            .filter(|r| r.region == region)
    };
    let managed = regionals()
        .flat_map(|r| r.dnsx.firewall_domain_lists.iter().flatten())
        .find(|l| l.id == list)
        .and_then(|l| l.managed_owner_name.clone());
    if let Some(owner) = managed {
        return Err(format!(
            "its domain list {list} is managed by {owner}; its domains are not in the snapshot"
        ));
    }
    let Some(domains) = regionals().find_map(|r| r.dnsx.firewall_domains.get(list)) else {
        return Err(format!(
            "its domain list {list} (list-firewall-domains/{list}.json) is not in the snapshot"
        ));
    };
    let mut unsure = None;
    for d in domains {
        match entry_matches(d, name) {
            Some(true) => return Ok(true),
            Some(false) => {}
            None => unsure = Some(d.clone()),
        }
    }
    match unsure {
        Some(d) => Err(format!(
            "its domain list {list} entry {d:?} may or may not match {name}"
        )),
        None => Ok(false),
    }
}

fn rule_effect(group: &str, rule: &FirewallRule) -> Effect {
    let name = rule
        .name
        .clone()
        .unwrap_or_else(|| format!("priority {}", rule.priority));
    match rule.action.as_str() {
        "ALLOW" => Effect::Pass {
            trust_chain: rule.firewall_domain_redirection_action.as_deref()
                == Some("TRUST_REDIRECTION_DOMAIN"),
        },
        "ALERT" => Effect::Pass { trust_chain: false },
        "BLOCK" => match rule.block_response.as_deref() {
            Some("OVERRIDE") => match (
                rule.block_override_domain.as_deref(),
                rule.block_override_dns_type.as_deref(),
            ) {
                (Some(target), None | Some("CNAME")) if !target.trim().is_empty() => {
                    Effect::Override {
                        group: group.to_string(),
                        rule: name,
                        target: normalize(target),
                    }
                }
                _ => Effect::Unknown {
                    resource: group.to_string(),
                    reason: format!("rule {name} of {group} overrides without a CNAME target"),
                },
            },
            Some(r @ ("NODATA" | "NXDOMAIN")) => Effect::Block {
                group: group.to_string(),
                rule: name,
                response: r.to_string(),
            },
            // BlockResponse is absent: AWS's default is NODATA (FirewallRule.BlockResponse).
            None => Effect::Block {
                group: group.to_string(),
                rule: name,
                response: "NODATA".into(),
            },
            Some(other) => Effect::Unknown {
                resource: group.to_string(),
                reason: format!("rule {name} of {group} has block response {other:?}"),
            },
        },
        other => Effect::Unknown {
            resource: group.to_string(),
            reason: format!("rule {name} of {group} has action {other:?}"),
        },
    }
}

/// The possible effects of evaluating `order` (rule groups in order) on `name`.
fn evaluate(
    model: &Model<'_>,
    region: &str,
    order: &[&Group],
    name: &str,
    qtype: QueryType,
) -> Effect {
    // Effects a rule that may or may not match would have had; the first certain effect ends it.
    let mut possible: Vec<Effect> = Vec::new();
    let mut doubt: Option<(String, String)> = None;
    for g in order {
        let rules: Option<&Vec<FirewallRule>> = model
            .snapshot
            .regional
            .iter()
            .filter(|r| r.region == region)
            .find_map(|r| r.dnsx.firewall_rules.get(&g.id));
        let Some(rules) = rules else {
            return Effect::Unknown {
                resource: g.id.clone(),
                reason: format!("DNS Firewall rule group {} is associated, but its rules (list-firewall-rules/{}.json) are not in the snapshot", g.id, g.id),
            };
        };
        let mut rules: Vec<&FirewallRule> = rules.iter().collect();
        rules.sort_by_key(|r| r.priority);
        for rule in rules {
            let effect = rule_effect(&g.id, rule);
            match rule_matches(model, region, rule, name, qtype) {
                Ok(false) => {}
                Ok(true) => {
                    possible.push(effect);
                    return settle(possible, doubt);
                }
                Err(why) => {
                    let rname = rule
                        .name
                        .clone()
                        .unwrap_or_else(|| format!("priority {}", rule.priority));
                    if doubt.is_none() {
                        doubt = Some((g.id.clone(), format!("rule {rname} of DNS Firewall rule group {} may or may not match {name}: {why}", g.id)));
                    }
                    possible.push(effect);
                }
            }
        }
    }
    possible.push(Effect::Pass { trust_chain: false });
    settle(possible, doubt)
}

/// One effect when every possibility agrees, else unknown naming the first doubtful rule.
fn settle(possible: Vec<Effect>, doubt: Option<(String, String)>) -> Effect {
    let first = possible[0].clone();
    let same = |a: &Effect, b: &Effect| match (a, b) {
        (Effect::Pass { trust_chain: x }, Effect::Pass { trust_chain: y }) => x == y,
        (Effect::Block { .. }, Effect::Block { .. }) => true,
        _ => a == b,
    };
    if possible.iter().all(|e| same(e, &first)) {
        return first;
    }
    let (resource, reason) = doubt.unwrap_or_default();
    Effect::Unknown { resource, reason }
}

/// What DNS Firewall does to a query for `name` from `vpc`.
pub(super) fn decide(
    model: &Model<'_>,
    vpc: &str,
    region: &str,
    name: &str,
    qtype: QueryType,
) -> Effect {
    let groups = groups(model, vpc, region);
    if groups.is_empty() {
        return Effect::Pass { trust_chain: false };
    }
    if let Some(g) = groups
        .iter()
        .find(|g| g.priority.is_none() || g.status == "DELETING")
    {
        // Evaluate with and without it below is not possible without its place: fail closed if
        // its rules could decide the name.
        let alone = evaluate(model, region, &[g], name, qtype);
        if alone != (Effect::Pass { trust_chain: false }) {
            return Effect::Unknown {
                resource: g.id.clone(),
                reason: format!(
                    "DNS Firewall rule group {} ({}) could decide {name}, but its evaluation order is unknown",
                    g.id,
                    if g.status == "DELETING" { "association DELETING".to_string() } else { format!("priority not given by Route 53 Profile {}", g.profile.clone().unwrap_or_default()) }
                ),
            };
        }
    }
    let known: Vec<&Group> = groups
        .iter()
        .filter(|g| g.priority.is_some() && g.status != "DELETING")
        .collect();
    // By priority across all groups; AWS does not document how a VPC's own rule groups order
    // against its Profile's, so the two other orders are tried as well and must agree.
    let mut by_priority = known.clone();
    by_priority.sort_by_key(|g| (g.priority, g.profile.is_some()));
    let own: Vec<&Group> = by_priority
        .iter()
        .copied()
        .filter(|g| g.profile.is_none())
        .collect();
    let theirs: Vec<&Group> = by_priority
        .iter()
        .copied()
        .filter(|g| g.profile.is_some())
        .collect();
    let first = evaluate(model, region, &by_priority, name, qtype);
    if own.is_empty() || theirs.is_empty() {
        return first;
    }
    let own_first: Vec<&Group> = own.iter().chain(theirs.iter()).copied().collect();
    let theirs_first: Vec<&Group> = theirs.iter().chain(own.iter()).copied().collect();
    for order in [own_first, theirs_first] {
        if evaluate(model, region, &order, name, qtype) != first {
            return Effect::Unknown {
                resource: theirs[0].id.clone(),
                reason: format!(
                    "{vpc}'s own DNS Firewall rule groups ({}) and those of its Route 53 Profile ({}) decide {name} differently depending on their order, which AWS does not document",
                    own.iter().map(|g| g.id.as_str()).collect::<Vec<_>>().join(", "),
                    theirs.iter().map(|g| g.id.as_str()).collect::<Vec<_>>().join(", ")
                ),
            };
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use super::{canonical_qtype, entry_matches};

    /// "Rule settings in DNS Firewall": query types by mnemonic or as `TYPE<number>`.
    #[test]
    fn query_types() {
        assert_eq!(canonical_qtype("aaaa").as_deref(), Ok("AAAA"));
        assert_eq!(canonical_qtype("TYPE28").as_deref(), Ok("AAAA"));
        assert_eq!(canonical_qtype("TYPE1").as_deref(), Ok("A"));
        assert_eq!(canonical_qtype("type5").as_deref(), Ok("CNAME"));
        assert_eq!(canonical_qtype("TYPE15").as_deref(), Ok("TYPE15"));
        assert_eq!(canonical_qtype("MX").as_deref(), Ok("MX"));
        assert!(canonical_qtype("TYPE0").is_err());
        assert!(canonical_qtype("TYPE99999").is_err());
        assert!(canonical_qtype("TYPE").is_err());
        assert!(canonical_qtype("ANY").is_err());
        assert!(canonical_qtype("A6").is_err());
    }

    /// Domain list entries (Route 53 developer guide, "Domain lists in DNS Firewall"): a name,
    /// a leading `*.` wildcard for the names below a domain, or `*` for every name.
    #[test]
    fn domain_list_entries() {
        let n = "abc-ats.iot.us-west-2.amazonaws.com";
        assert_eq!(entry_matches("*", n), Some(true));
        assert_eq!(entry_matches("*.amazonaws.com", n), Some(true));
        assert_eq!(
            entry_matches("*.iot.us-west-2.amazonaws.com.", n),
            Some(true)
        );
        assert_eq!(
            entry_matches("ABC-ats.iot.us-west-2.amazonaws.com.", n),
            Some(true)
        );
        assert_eq!(entry_matches("iot.us-west-2.amazonaws.com", n), Some(false));
        assert_eq!(entry_matches("*.example.com", n), Some(false));
        assert_eq!(
            entry_matches("*.abc-ats.iot.us-west-2.amazonaws.com", n),
            None
        );
        assert_eq!(entry_matches("abc-*.iot.us-west-2.amazonaws.com", n), None);
    }
}
