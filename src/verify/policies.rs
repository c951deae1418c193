//! PP014 / PP015 / PP017 for IoT policies: for every policy target (certificate, thing group,
//! Cognito identity), prove with `crate::policy` that the union of its policies admits IoT
//! data-plane actions only under an approved `aws:SourceVpce`.
use std::collections::{BTreeMap, HashMap};

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
        // One proof per distinct set of policies: the proof depends only on the documents, the
        // approved endpoints and the scope, never on the target (which only names the findings).
        // Thousands of certificates with the same policies cost one proof.
        let mut proofs: HashMap<Vec<&str>, policy::TargetProof> = HashMap::new();
        let mut kept: BTreeMap<String, usize> = BTreeMap::new();
        for (target, names) in by_target {
            let names: Vec<&str> = names
                .into_iter()
                .filter(|n| parsed.contains_key(n))
                .collect();
            if names.is_empty() {
                continue;
            }
            let proof = proofs.entry(names).or_insert_with_key(|names| {
                let policies: Vec<&Policy> = names.iter().filter_map(|n| parsed.get(n)).collect();
                policy::prove_target_in(&policies, &intent.approved_endpoints, &scope)
            });
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
