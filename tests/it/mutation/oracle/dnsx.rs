//! The DNS layout extensions as a VPC's queries meet them: Resolver DNS Firewall, Route 53
//! Profiles and VPC Lattice endpoints (issue 9 items 7, 8, 12).
//!
//! | rule | source |
//! |---|---|
//! | The rule groups associated with a VPC are evaluated by association priority, lowest first, and a group's rules by rule priority; the first rule whose domain list matches the query name decides | https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-dns-firewall-rule-group-settings.html, https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-dns-firewall-rule-settings.html ("Priority") |
//! | ALLOW and ALERT let the query through; BLOCK answers NODATA (the default) or NXDOMAIN, without an address; BLOCK with OVERRIDE answers a CNAME to `BlockOverrideDomain` | https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-dns-firewall-rule-actions.html, https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_FirewallRule.html |
//! | A domain list entry is a name, `*.domain` (the names below domain) or `*` (every name) | https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-dns-firewall-domain-lists.html |
//! | A rule with a query type inspects that type only; `TYPE<n>` is the type numbered n (1 = A) | https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-dns-firewall-rule-settings.html ("Query type") |
//! | Fail open lets queries DNS Firewall cannot evaluate through unfiltered; a Profile manages the failure mode | https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_UpdateFirewallConfig.html, https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/profiles.html |
//! | A Route 53 Profile associated with the VPC brings its private hosted zones and DNS Firewall rule groups (priority in `ResourceProperties`) | https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/profiles.html |
//! | A VPC Lattice resource or service-network endpoint with private DNS gets private zones for custom domain names no listing shows, unless `SPECIFIED_DOMAINS_ONLY` limits them | https://docs.aws.amazon.com/vpc/latest/privatelink/use-resource-endpoint.html, https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DnsOptions.html |
//!
//! Not modelled, so *unknown*: AWS-managed domain lists, DNS Firewall Advanced rules,
//! TRUST_REDIRECTION_DOMAIN, associations not COMPLETE, a block or override that fail open could
//! skip, one that decides a query arriving through a Resolver inbound endpoint (the guide does not
//! say whether those are filtered), entries `*.x` for `x` itself and other wildcards, a VPC's own
//! rule groups against its Profile's when the order matters, Profile resources other than zones
//! and rule groups, a Profile whose resource list is not in the snapshot.
use super::world::{arr, fqdn, s, World};
use super::{Class, Problem};
use crate::mutation::snap::Snap;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Default)]
pub struct Ext {
    /// (rule group, VPC, priority, status)
    assocs: Vec<(String, String, i64, String)>,
    rules: BTreeMap<String, Vec<Value>>,
    domains: BTreeMap<String, Vec<String>>,
    managed: Vec<String>,
    /// VPC → FirewallFailOpen
    fail_open: BTreeMap<String, String>,
    /// VPC → (Profile, association status)
    profiles: BTreeMap<String, (String, String)>,
    profile_resources: BTreeMap<String, Vec<Value>>,
    lattice: Vec<Value>,
}

impl Ext {
    pub fn build(snap: &Snap, targets: &[(String, String)]) -> Ext {
        let mut x = Ext::default();
        for (acct, region) in targets {
            let base = format!("{acct}/{region}/");
            let doc = |op: &str| snap.doc(&format!("{base}{op}.json"));
            if let Some(d) = doc("route53resolver/list-firewall-rule-group-associations") {
                for a in arr(d, "FirewallRuleGroupAssociations") {
                    x.assocs.push((
                        s(a, "FirewallRuleGroupId").into(),
                        s(a, "VpcId").into(),
                        a["Priority"].as_i64().unwrap_or(i64::MAX),
                        s(a, "Status").into(),
                    ));
                }
            }
            if let Some(d) = doc("route53resolver/list-firewall-domain-lists") {
                for l in arr(d, "FirewallDomainLists") {
                    if !s(l, "ManagedOwnerName").is_empty() {
                        x.managed.push(s(l, "Id").into());
                    }
                }
            }
            if let Some(d) = doc("route53resolver/list-firewall-configs") {
                for c in arr(d, "FirewallConfigs") {
                    x.fail_open
                        .insert(s(c, "ResourceId").into(), s(c, "FirewallFailOpen").into());
                }
            }
            if let Some(d) = doc("route53profiles/list-profile-associations") {
                for a in arr(d, "ProfileAssociations") {
                    x.profiles.insert(
                        s(a, "ResourceId").into(),
                        (s(a, "ProfileId").into(), s(a, "Status").into()),
                    );
                }
            }
            if let Some(d) = doc("ec2/describe-vpc-endpoints") {
                for e in arr(d, "VpcEndpoints") {
                    if matches!(s(e, "VpcEndpointType"), "Resource" | "ServiceNetwork") {
                        x.lattice.push(e.clone());
                    }
                }
            }
            for (rel, doc) in snap.files.range(base.clone()..) {
                let Some(rest) = rel.strip_prefix(&base) else {
                    break;
                };
                let id = |dir: &str| {
                    rest.strip_prefix(dir)
                        .and_then(|f| f.strip_suffix(".json"))
                        .map(str::to_string)
                };
                if let Some(g) = id("route53resolver/list-firewall-rules/") {
                    x.rules.insert(g, arr(doc, "FirewallRules").to_vec());
                } else if let Some(l) = id("route53resolver/list-firewall-domains/") {
                    let domains = arr(doc, "Domains")
                        .iter()
                        .filter_map(Value::as_str)
                        .map(fqdn)
                        .collect();
                    x.domains.insert(l, domains);
                } else if let Some(p) = id("route53profiles/list-profile-resource-associations/") {
                    x.profile_resources
                        .insert(p, arr(doc, "ProfileResourceAssociations").to_vec());
                }
            }
        }
        x
    }
}

/// What DNS Firewall answers for a name: go on resolving it, or resolve this CNAME target instead.
pub enum Screen {
    Resolve,
    Cname(String),
}

fn covers(domain: &str, name: &str) -> bool {
    let d = fqdn(domain.strip_prefix("*.").unwrap_or(domain));
    name == d || name.ends_with(&format!(".{d}"))
}

/// The private zone ids the VPC's Profile brings in, or why the Profile cannot be followed.
pub fn profile_zones(w: &World, vpc: &str) -> Result<Vec<String>, Problem> {
    let x = &w.ext;
    let Some((profile, status)) = x.profiles.get(vpc) else {
        return Ok(Vec::new());
    };
    if status != "COMPLETE" {
        return Err(Problem::unknown(
            profile,
            format!("Profile association {status}"),
        ));
    }
    let Some(resources) = x.profile_resources.get(profile) else {
        return Err(Problem::unknown(
            profile,
            "Profile resources not in the snapshot",
        ));
    };
    let mut zones = Vec::new();
    for r in resources {
        let arn = s(r, "ResourceArn");
        if s(r, "Status") != "COMPLETE" {
            return Err(Problem::unknown(
                arn,
                "Profile resource association not COMPLETE",
            ));
        }
        if let Some(zone) = arn.split(":hostedzone/").nth(1) {
            zones.push(zone.to_string());
        } else if !arn.contains(":firewall-rule-group/") {
            return Err(Problem::unknown(arn, "Profile resource not modelled"));
        }
    }
    Ok(zones)
}

enum Effect {
    Pass,
    Block(String),
    Override(String, String),
}

/// Rule groups in evaluation order: (group, priority).
type Order = Vec<(String, i64)>;

/// The rule groups of the VPC: its own and its Profile's.
fn groups(w: &World, vpc: &str) -> Result<(Order, Order), Problem> {
    let x = &w.ext;
    let mut own = Vec::new();
    for (g, v, priority, status) in &x.assocs {
        if v == vpc {
            if status != "COMPLETE" {
                return Err(Problem::unknown(
                    g,
                    format!("rule group association {status}"),
                ));
            }
            own.push((g.clone(), *priority));
        }
    }
    let mut theirs = Vec::new();
    if let Some((profile, _)) = x.profiles.get(vpc) {
        profile_zones(w, vpc)?;
        for r in x.profile_resources.get(profile).into_iter().flatten() {
            let arn = s(r, "ResourceArn");
            if let Some(g) = arn.split(":firewall-rule-group/").nth(1) {
                let priority = serde_json::from_str::<Value>(s(r, "ResourceProperties"))
                    .ok()
                    .and_then(|p| p["priority"].as_i64())
                    .ok_or_else(|| Problem::unknown(g, "Profile rule group without priority"))?;
                theirs.push((g.to_string(), priority));
            }
        }
    }
    own.sort_by_key(|g| g.1);
    theirs.sort_by_key(|g| g.1);
    Ok((own, theirs))
}

fn rule_matches(w: &World, group: &str, r: &Value, name: &str) -> Result<bool, Problem> {
    let x = &w.ext;
    let q = s(r, "Qtype").to_ascii_uppercase();
    match q.as_str() {
        "" | "A" | "TYPE1" => {}
        "CNAME" | "TYPE5" => {
            return Err(Problem::unknown(
                group,
                "a CNAME-type rule on an A query's chain",
            ))
        }
        "AAAA" | "CAA" | "DS" | "MX" | "NAPTR" | "NS" | "PTR" | "SOA" | "SPF" | "SRV" | "TXT" => {
            return Ok(false)
        }
        other => match other
            .strip_prefix("TYPE")
            .and_then(|n| n.parse::<u32>().ok())
        {
            Some(n) if (2..=65334).contains(&n) => return Ok(false),
            _ => return Err(Problem::unknown(group, format!("query type {other}"))),
        },
    }
    if r.get("FirewallThreatProtectionId").is_some() || r.get("DnsThreatProtection").is_some() {
        return Err(Problem::unknown(group, "DNS Firewall Advanced rule"));
    }
    let list = s(r, "FirewallDomainListId");
    if x.managed.iter().any(|m| m == list) {
        return Err(Problem::unknown(
            group,
            format!("AWS-managed domain list {list}"),
        ));
    }
    let Some(domains) = x.domains.get(list) else {
        return Err(Problem::unknown(
            group,
            format!("domain list {list} not in the snapshot"),
        ));
    };
    for d in domains {
        if d == "*." {
            return Ok(true);
        }
        if let Some(parent) = d.strip_prefix("*.") {
            if parent.contains('*') || name == parent {
                return Err(Problem::unknown(group, format!("entry {d} against {name}")));
            }
            if name.ends_with(&format!(".{parent}")) {
                return Ok(true);
            }
        } else if d.contains('*') {
            return Err(Problem::unknown(group, format!("entry {d}")));
        } else if d == name {
            return Ok(true);
        }
    }
    Ok(false)
}

fn evaluate(w: &World, order: &[(String, i64)], name: &str) -> Result<Effect, Problem> {
    for (g, _) in order {
        let Some(rules) = w.ext.rules.get(g) else {
            return Err(Problem::unknown(g, "rule group rules not in the snapshot"));
        };
        let mut rules: Vec<&Value> = rules.iter().collect();
        rules.sort_by_key(|r| r["Priority"].as_i64().unwrap_or(i64::MAX));
        for r in rules {
            if !rule_matches(w, g, r, name)? {
                continue;
            }
            return match (s(r, "Action"), s(r, "BlockResponse")) {
                ("ALLOW" | "ALERT", _)
                    if s(r, "FirewallDomainRedirectionAction") == "TRUST_REDIRECTION_DOMAIN" =>
                {
                    Err(Problem::unknown(g, "TRUST_REDIRECTION_DOMAIN not modelled"))
                }
                ("ALLOW" | "ALERT", _) => Ok(Effect::Pass),
                ("BLOCK", "" | "NODATA" | "NXDOMAIN") => Ok(Effect::Block(g.clone())),
                ("BLOCK", "OVERRIDE")
                    if matches!(s(r, "BlockOverrideDnsType"), "" | "CNAME")
                        && !s(r, "BlockOverrideDomain").is_empty() =>
                {
                    Ok(Effect::Override(
                        g.clone(),
                        fqdn(s(r, "BlockOverrideDomain")),
                    ))
                }
                (a, b) => Err(Problem::unknown(g, format!("action {a} {b}"))),
            };
        }
    }
    Ok(Effect::Pass)
}

fn same(a: &Effect, b: &Effect) -> bool {
    match (a, b) {
        (Effect::Pass, Effect::Pass) => true,
        (Effect::Block(x), Effect::Block(y)) => x == y,
        (Effect::Override(x, t), Effect::Override(y, u)) => x == y && t == u,
        _ => false,
    }
}

/// Screen `name` (FQDN) for a query from `vpc` (`instances`: from inside the VPC, else through
/// its Resolver inbound endpoint): VPC Lattice private DNS, then DNS Firewall.
pub fn screen(w: &World, vpc: &str, name: &str, instances: bool) -> Result<Screen, Problem> {
    let x = &w.ext;
    for e in x.lattice.iter().filter(|e| s(e, "VpcId") == vpc) {
        if e["PrivateDnsEnabled"] != true
            || matches!(
                s(e, "State").to_ascii_lowercase().as_str(),
                "deleted" | "rejected" | "failed"
            )
        {
            continue;
        }
        let opts = &e["DnsOptions"];
        let limited = s(opts, "PrivateDnsPreference") == "SPECIFIED_DOMAINS_ONLY"
            && !arr(opts, "PrivateDnsSpecifiedDomains")
                .iter()
                .filter_map(Value::as_str)
                .any(|d| covers(d, name));
        if !limited {
            return Err(Problem::unknown(
                s(e, "VpcEndpointId"),
                format!("VPC Lattice endpoint private DNS could answer {name}"),
            ));
        }
    }
    let (own, theirs) = groups(w, vpc)?;
    let all: Vec<(String, i64)> = {
        let mut v: Vec<(String, i64)> = own.iter().chain(&theirs).cloned().collect();
        v.sort_by_key(|g| g.1);
        v
    };
    let effect = evaluate(w, &all, name)?;
    if !own.is_empty() && !theirs.is_empty() {
        for order in [
            own.iter().chain(&theirs).cloned().collect::<Vec<_>>(),
            theirs.iter().chain(&own).cloned().collect(),
        ] {
            if !same(&evaluate(w, &order, name)?, &effect) {
                return Err(Problem::unknown(
                    vpc,
                    "own and Profile rule groups disagree by order",
                ));
            }
        }
    }
    let (group, cname) = match effect {
        Effect::Pass => return Ok(Screen::Resolve),
        Effect::Block(g) => (g, None),
        Effect::Override(g, t) => (g, Some(t)),
    };
    if !instances {
        return Err(Problem::unknown(
            &group,
            "DNS Firewall on inbound-endpoint queries",
        ));
    }
    let closed = matches!(
        x.fail_open.get(vpc).map(String::as_str),
        None | Some("DISABLED")
    ) && !x.profiles.contains_key(vpc);
    match cname {
        Some(_) if !closed => Err(Problem::unknown(&group, "override may fail open")),
        Some(t) => Ok(Screen::Cname(t)),
        None => Err(Problem::unsafe_(
            Class::DnsNoAnswer,
            &group,
            format!("DNS Firewall blocks {name}"),
        )),
    }
}
