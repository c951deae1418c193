//! Before a name is looked up: what DNS Firewall does to it ([`super::firewall`]), and whether a
//! construct outside the snapshot could answer it (VPC Lattice endpoints, [`super::lattice`];
//! Route 53 Profile resources, [`super::profiles`]).
use super::firewall::{self, Effect};
use super::{lattice, profiles, DnsTarget, Via, Walk};

pub(super) enum Screen {
    /// Go on and resolve the name.
    Continue,
    /// The firewall answered; targets hold what it answered.
    Stop(Via),
}

impl Walk<'_, '_> {
    fn hidden(&mut self, name: &str, resource: String, reason: String) {
        self.targets.push(DnsTarget::Hidden {
            record: name.to_string(),
            resource,
            reason,
        });
    }

    /// After DNS Firewall blocked or overrode a name: when it may fail open (it cannot evaluate
    /// the query and lets it through, [`firewall::may_fail_open`]), the name's own answer is
    /// possible too and is resolved as well; fail closed, the firewall's answer is the only one.
    fn after_firewall(&self, rule_group: String, rule: String) -> Screen {
        if firewall::may_fail_open(self.model, self.vpc, self.region) {
            Screen::Continue
        } else {
            Screen::Stop(Via::Firewall { rule_group, rule })
        }
    }

    /// Screen `name` (reached through `path`).
    pub(super) fn screen(&mut self, name: &str, path: &mut Vec<String>) -> Screen {
        let (model, vpc, region) = (self.model, self.vpc, self.region);
        for (resource, reason) in lattice::covering(model, vpc, name)
            .into_iter()
            .chain(profiles::unknown_covering(model, vpc, region, name))
        {
            self.hidden(name, resource, reason);
        }
        if self.trusted {
            return Screen::Continue;
        }
        let effect = firewall::decide(model, vpc, region, name, self.qtype);
        if self.inbound {
            // The DNS Firewall guide describes filtering of queries from the VPC's own resources;
            // it does not say whether queries arriving through a Resolver inbound endpoint are
            // filtered. Where a rule would decide the name, that is unproven.
            let what = match &effect {
                Effect::Pass { .. } => return Screen::Continue,
                Effect::Block { group, rule, .. } => (group.clone(), format!("rule {rule} of DNS Firewall rule group {group} blocks {name}")),
                Effect::Override { group, rule, target } => (group.clone(), format!("rule {rule} of DNS Firewall rule group {group} overrides {name} with {target}")),
                Effect::Unknown { resource, reason } => (resource.clone(), reason.clone()),
            };
            self.hidden(
                name,
                what.0,
                format!("{}; AWS does not document whether DNS Firewall filters queries arriving through a Resolver inbound endpoint of {vpc}", what.1),
            );
            return Screen::Continue;
        }
        if let Some(trusted_at) = self.mid_trust.clone() {
            if !matches!(effect, Effect::Pass { .. }) {
                let (resource, what) = match &effect {
                    Effect::Block { group, rule, .. } => (group.clone(), format!("rule {rule} of DNS Firewall rule group {group} blocks {name}")),
                    Effect::Override { group, rule, target } => (group.clone(), format!("rule {rule} of DNS Firewall rule group {group} overrides {name} with {target}")),
                    Effect::Unknown { resource, reason } => (resource.clone(), reason.clone()),
                    Effect::Pass { .. } => unreachable!(),
                };
                self.hidden(
                    name,
                    resource,
                    format!("{what}, but {trusted_at}, earlier in its CNAME chain, matched an ALLOW rule with TRUST_REDIRECTION_DOMAIN; AWS documents that this inspects only the first domain of the chain, not whether names after a later match are inspected"),
                );
            }
        }
        let first = self.chain.first().is_some_and(|q| q == name);
        match effect {
            Effect::Pass { trust_chain } => {
                if trust_chain && first {
                    self.trusted = true;
                } else if trust_chain {
                    self.mid_trust = Some(name.to_string());
                }
                Screen::Continue
            }
            Effect::Block {
                group,
                rule,
                response,
            } => {
                self.targets.push(DnsTarget::Blocked {
                    record: name.to_string(),
                    rule_group: group.clone(),
                    rule: rule.clone(),
                    response,
                });
                self.after_firewall(group, rule)
            }
            Effect::Override {
                group,
                rule,
                target,
            } => {
                // The override is a CNAME answer: its target is resolved and must be proven.
                path.push(name.to_string());
                self.follow(&target, path, &group);
                path.pop();
                self.after_firewall(group, rule)
            }
            Effect::Unknown { resource, reason } => {
                self.hidden(name, resource, reason);
                Screen::Continue
            }
        }
    }
}
