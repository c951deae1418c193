//! Findings: what a rule found on which resource, merged per (rule, resource).
use std::collections::BTreeMap;

use serde::Serialize;

use crate::rules::{self, Severity};

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule_id: &'static str,
    pub rule_name: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    /// Control mappings of the rule (framework → control ids), for GRC tooling.
    pub controls: &'static std::collections::BTreeMap<String, Vec<String>>,
    /// The offending resource id (or file, for evidence gaps).
    pub resource: String,
    /// Stable identity of (rule, resource) for baselines and waivers (`fingerprint.rs`).
    pub fingerprint: String,
    /// Set by `--baseline` / `--waivers` (`src/gate/`): the finding is listed but does not fail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<crate::gate::Suppression>,
    pub message: String,
    /// Ids of the paths this finding was seen on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<usize>,
    /// The account (and Region) of the resource, when the snapshot or the id says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Rule-specific evidence (e.g. a policy counterexample).
    #[serde(skip_serializing_if = "serde_json::Value::is_null")]
    pub evidence: serde_json::Value,
}

/// Where a finding's resource lives: the account and Region whose snapshot folder holds it
/// (no Region for global resources such as hosted zones).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Location {
    pub account: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// Collects findings, merging those with the same rule and resource.
#[derive(Default)]
pub(super) struct Findings {
    by_key: BTreeMap<(&'static str, String), Finding>,
}

impl Findings {
    pub(super) fn add(
        &mut self,
        rule_id: &'static str,
        resource: &str,
        message: impl Into<String>,
        path: Option<usize>,
        evidence: serde_json::Value,
    ) {
        let rule = rules::get(rule_id);
        let entry = self
            .by_key
            .entry((&rule.id, resource.to_string()))
            .or_insert_with(|| Finding {
                rule_id: &rule.id,
                rule_name: &rule.name,
                severity: rule.severity,
                title: &rule.title,
                controls: &rule.controls,
                resource: resource.to_string(),
                fingerprint: super::fingerprint::fingerprint(&rule.id, resource),
                suppressed: None,
                message: message.into(),
                paths: Vec::new(),
                location: None,
                evidence: serde_json::Value::Null,
            });
        if let Some(p) = path {
            // Kept sorted, so a finding on many paths costs no scan per path; paths are numbered
            // in the order they are recorded, so this is also the order they were added in.
            if let Err(at) = entry.paths.binary_search(&p) {
                entry.paths.insert(at, p);
            }
        }
        if !evidence.is_null() {
            push_evidence(&mut entry.evidence, evidence);
        }
    }

    /// Appends findings made apart, as if each had been added here in turn: `other`'s paths
    /// were numbered from 0 and are all recorded after this set's (so `offset` is the number of
    /// paths before them). A finding already here keeps its message, as [`Findings::add`] does.
    pub(super) fn absorb(&mut self, other: Findings, offset: usize) {
        for (key, mut theirs) in other.by_key {
            for p in &mut theirs.paths {
                *p += offset;
            }
            match self.by_key.entry(key) {
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert(theirs);
                }
                std::collections::btree_map::Entry::Occupied(mut o) => {
                    let ours = o.get_mut();
                    // Every path here is below `offset`: appending keeps them sorted.
                    ours.paths.extend(theirs.paths);
                    if let serde_json::Value::Array(items) = theirs.evidence {
                        for e in items {
                            push_evidence(&mut ours.evidence, e);
                        }
                    }
                }
            }
        }
    }

    pub(super) fn into_vec(self) -> Vec<Finding> {
        let mut v: Vec<Finding> = self.by_key.into_values().collect();
        v.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(a.rule_id.cmp(b.rule_id))
                .then(a.resource.cmp(&b.resource))
        });
        v
    }
}

/// A finding's evidence is null until its first item, then the array of items in the order
/// they were added.
fn push_evidence(into: &mut serde_json::Value, item: serde_json::Value) {
    match into {
        serde_json::Value::Null => *into = serde_json::Value::Array(vec![item]),
        serde_json::Value::Array(items) => items.push(item),
        _ => {}
    }
}
