//! PP014 / PP015 / PP017 for IoT policies: for every principal, prove with `crate::policy` that
//! the union of the policies AWS evaluates for it admits IoT data-plane actions only under an
//! approved `aws:SourceVpce`.
//!
//! Which policies a principal gets (IoT Developer Guide, "AWS IoT Core policies": policies attach
//! to certificates, Cognito identities and thing groups; "the policies attached to a thing group
//! apply to any thing within that group", and only when the client id is the thing name;
//! "Static thing groups": a parent group's policy is inherited by its child groups and their
//! things):
//! - each certificate or Cognito identity on its own: a device may connect with a client id that
//!   is no thing's name, and then gets only its own policies (HTTPS requests have no client id);
//! - each thing in a static thing group: the union of the policies of every static group it is a
//!   direct member of (`list-things-in-thing-group`) and of all their ancestors
//!   (`parentGroupName`, up to the root). The thing's certificate may have no policy of its own
//!   (the reason to use group policies), so this union is proven without it. With the certificate's
//!   policies added the union can only be allowed where one of these two already is: a request
//!   the union allows is allowed by an Allow of one part with no Deny applying in either part, so
//!   proving both parts proves every combination;
//! - a static group without known members, and a dynamic group (members follow a fleet indexing
//!   query and change without any call), with its ancestors, on its own;
//! - without the thing group files (a snapshot made to the base layout), every target on its own
//!   (sound for the same reason, but a Deny on a parent group is not counted for its children),
//!   and PP019 says so.
use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::findings::Findings;
use super::intent::Intent;
use crate::graph::Model;
use crate::policy::{self, Policy};

/// At most this many counterexamples are kept as evidence per finding (the message counts all).
const MAX_EVIDENCE: usize = 20;

pub(super) fn check(model: &Model<'_>, intent: &Intent, findings: &mut Findings) {
    for r in &model.snapshot.regional {
        let mut parsed: BTreeMap<&str, Policy> = BTreeMap::new();
        for p in &r.iot_policies {
            match policy::parse_policy(&p.policy_name, &p.policy_document) {
                Ok(doc) => {
                    parsed.insert(&p.policy_name, doc);
                }
                Err(e) => findings.add(
                    "PP017",
                    &format!(
                        "{}/{}/iot/get-policy/{}.json",
                        r.account, r.region, p.policy_name
                    ),
                    format!("policyDocument does not parse: {e}"),
                    None,
                    serde_json::Value::Null,
                ),
            }
        }
        let mut by_target: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (name, targets) in &r.iot_policy_targets {
            for t in targets {
                by_target.entry(t).or_default().push(name);
            }
        }
        let principals = principals(r, &by_target, findings);
        let mut kept: BTreeMap<String, usize> = BTreeMap::new();
        for (target, names) in &principals {
            let target = target.as_str();
            let policies: Vec<&Policy> = names
                .iter()
                .filter_map(|n| parsed.get(n.as_str()))
                .collect();
            if policies.is_empty() {
                continue;
            }
            // Requests to this account's IoT Core: resources are in its partition, region and
            // account, so a Deny scoped to them covers every request that matters.
            let partition = r
                .iot_policies
                .iter()
                .find_map(|p| {
                    p.policy_arn
                        .as_deref()?
                        .split(':')
                        .nth(1)
                        .map(str::to_string)
                })
                .unwrap_or_else(|| "aws".to_string());
            let scope = policy::Scope {
                partition: Some(partition),
                region: Some(r.region.clone()),
                account: Some(r.account.clone()),
            };
            let proof = policy::prove_target_in(&policies, &intent.approved_endpoints, &scope);
            for cx in &proof.counterexamples {
                for by in &cx.allowed_by {
                    let n = kept.entry(by.policy.clone()).or_default();
                    *n += 1;
                    let vpce = cx.source_vpce.as_deref().unwrap_or("absent");
                    let evidence = if *n <= MAX_EVIDENCE {
                        json!({ "target": target, "counterexample": cx })
                    } else {
                        serde_json::Value::Null
                    };
                    findings.add(
                        "PP014",
                        &by.policy,
                        format!(
                            "policy {} allows {} on {} with aws:SourceVpce {vpce} (target {target}); {}",
                            by.policy, cx.action, cx.resource, cx.why_no_deny
                        ),
                        None,
                        evidence,
                    );
                }
            }
            for u in &proof.unproven {
                findings.add(
                    "PP015",
                    &u.policy,
                    format!(
                        "policy {} cannot be proven for target {target}: {}",
                        u.policy, u.reason
                    ),
                    None,
                    json!({ "target": target, "unproven": u }),
                );
            }
        }
    }
}

/// The principals to prove, each with a label and the policy names AWS evaluates for it;
/// principals with the same policy set are proven once (under the first label).
fn principals(
    r: &crate::snapshot::Regional,
    by_target: &BTreeMap<&str, Vec<&str>>,
    findings: &mut Findings,
) -> Vec<(String, BTreeSet<String>)> {
    let mut out: Vec<(String, BTreeSet<String>)> = Vec::new();
    let mut seen: BTreeSet<BTreeSet<String>> = BTreeSet::new();
    let mut push = |label: String, names: BTreeSet<String>| {
        if !names.is_empty() && seen.insert(names.clone()) {
            out.push((label, names));
        }
    };
    let alone = |t: &str| -> BTreeSet<String> {
        by_target
            .get(t)
            .map(|v| v.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default()
    };
    let Some(groups) = &r.iot_thing_groups else {
        if by_target.keys().any(|t| t.contains(":thinggroup/")) {
            let file = format!("{}/{}/iot/list-thing-groups.json", r.account, r.region);
            findings.add(
                "PP019",
                &file,
                format!(
                    "IoT thing groups of {} {} are not in the snapshot ({file}); assumed nothing about their hierarchy and members: each policy target is proven on its own, so a Deny on a parent thing group is not counted for its child groups' things",
                    r.account, r.region
                ),
                None,
                serde_json::Value::Null,
            );
        }
        for t in by_target.keys() {
            push((*t).to_string(), alone(t));
        }
        return out;
    };
    let by_name: BTreeMap<&str, &crate::snapshot::iot_records::ThingGroup> = groups
        .iter()
        .map(|g| (g.thing_group_name.as_str(), g))
        .collect();
    let by_arn: BTreeMap<&str, &crate::snapshot::iot_records::ThingGroup> = groups
        .iter()
        .map(|g| (g.thing_group_arn.as_str(), g))
        .collect();
    // A group and its ancestors' policies, or the group whose parent is unknown.
    let chain = |start: &str| -> Result<BTreeSet<String>, String> {
        let mut names = BTreeSet::new();
        let mut visited = BTreeSet::new();
        let mut at = start;
        loop {
            if !visited.insert(at) {
                return Err(format!("thing group {at} is its own ancestor"));
            }
            let Some(g) = by_name.get(at) else {
                return Err(format!(
                    "parent thing group {at} is not in list-thing-groups"
                ));
            };
            names.extend(alone(&g.thing_group_arn));
            match g.parent() {
                Some(p) => at = p,
                None => return Ok(names),
            }
        }
    };
    // Certificates, Cognito identities, groups the listing does not have: on their own.
    for t in by_target.keys() {
        if !by_arn.contains_key(t) {
            push((*t).to_string(), alone(t));
        }
    }
    let mut chains: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for g in groups {
        match chain(&g.thing_group_name) {
            Ok(c) => {
                chains.insert(&g.thing_group_name, c);
            }
            Err(why) => findings.add(
                "PP015",
                &g.thing_group_name,
                format!(
                    "the policies things of thing group {} inherit cannot be determined: {why}",
                    g.thing_group_name
                ),
                None,
                serde_json::Value::Null,
            ),
        }
    }
    // Things: the union over their static groups' chains.
    let mut thing_groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (group, things) in &r.iot_group_things {
        for t in things {
            thing_groups.entry(t).or_default().push(group);
        }
    }
    for (thing, gs) in &thing_groups {
        let mut names = BTreeSet::new();
        for g in gs {
            match chains.get(g) {
                Some(c) => names.extend(c.iter().cloned()),
                // Unknown inheritance is PP015 above; the thing's other groups still count.
                None => continue,
            }
        }
        push(
            format!(
                "thing {thing} (thing groups {}, with their parents)",
                gs.join(", ")
            ),
            names,
        );
    }
    // Groups whose members are not known (dynamic, or no members file) and groups without
    // members: the group with its ancestors on its own.
    for g in groups {
        let name = g.thing_group_name.as_str();
        let members_known =
            !g.dynamic() && r.iot_group_things.get(name).is_some_and(|m| !m.is_empty());
        if members_known {
            continue;
        }
        if let Some(c) = chains.get(name) {
            push(
                format!(
                    "{} (thing group {name}, with its parents)",
                    g.thing_group_arn
                ),
                c.clone(),
            );
        }
    }
    out
}
