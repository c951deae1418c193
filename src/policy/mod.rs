//! IAM / IoT policy evaluator: proves that AWS IoT data-plane actions are admitted only
//! under an approved `aws:SourceVpce`, and shows a counterexample request otherwise.
//!
//! Matching the text `aws:SourceVpce` in a policy is wrong both ways: it misses
//! `StringEqualsIfExists` (a request through the public endpoint has no `aws:SourceVpce`,
//! so the clause holds), a second policy that allows `iot:*`, `NotAction`, and a Deny guard
//! written with `ForAnyValue:` (false when the key is missing, so the Deny never fires);
//! and it flags the correct "broad Allow + Deny unless `aws:SourceVpce` is approved".
//! This module decides the question the way IAM evaluates policies instead.
//!
//! Two documented facts about requests narrow the adversary: `aws:SourceVpce` and
//! `aws:SourceVpc` are endpoint / VPC ids, which are lower case (so `...IgnoreCase` on the
//! approved id admits nothing more), and `iot:Connect`'s resource is
//! `client/<the request's own iot:ClientId>` (so `client/${iot:ClientId}` covers every
//! connection).
//!
//! - [`document`]: the policy grammar and its parser ([`parse_policy`]).
//! - [`condition`]: condition operators on a concrete request context.
//! - [`eval`]: a concrete evaluator for one request (default deny, Deny wins, union of
//!   the target's policies).
//! - `domain`, `glob` and `search`: the finite abstraction of key values, wildcard patterns
//!   and their automata, and the exact witness search over them (bounded by a deterministic
//!   work budget) that the proof is built on.
//! - [`proof`]: the proof itself ([`prove_target`]).
//! - `check`: the `pathproof policy check` command.
use std::collections::BTreeSet;
use std::fmt;

mod check;
pub mod condition;
pub mod document;
mod domain;
pub mod eval;
mod glob;
pub mod proof;
mod search;

#[cfg(test)]
mod tests;

pub use check::check_cli;
pub use document::{parse_policy, parse_policy_file, Effect, Policy, PolicyError, Statement};
pub use proof::{prove_target_budget, prove_target_in, Scope, DATA_PLANE_ACTIONS, PROOF_BUDGET};

/// Proves, for every AWS IoT data-plane action, that no request is allowed by the union of
/// `policies` (all attached to one target) unless its `aws:SourceVpce` is in `approved`.
/// Region and account are unknown (any); see [`prove_target_in`] to fix them.
pub fn prove_target(policies: &[&Policy], approved: &BTreeSet<String>) -> TargetProof {
    prove_target_in(policies, approved, &Scope::default())
}

/// The verdict for one target: proven iff there is no counterexample and nothing unproven.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct TargetProof {
    pub counterexamples: Vec<Counterexample>,
    pub unproven: Vec<Unproven>,
}

impl TargetProof {
    pub fn is_proven(&self) -> bool {
        self.counterexamples.is_empty() && self.unproven.is_empty()
    }
}

/// A request that the policies allow although `aws:SourceVpce` is absent or not approved.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Counterexample {
    /// e.g. `iot:Publish`.
    pub action: String,
    /// A resource ARN the allowing statement matches (or `*` for actions without
    /// resource-level permissions). Unknown region/account are filled with placeholders.
    pub resource: String,
    /// `None`: the request carries no `aws:SourceVpce` (it did not come through a VPC
    /// endpoint, e.g. the public endpoint).
    pub source_vpce: Option<String>,
    /// The statements that allow the request.
    pub allowed_by: Vec<StatementRef>,
    /// Why no Deny statement applies to the request.
    pub why_no_deny: String,
    /// Other condition keys of the request that the policies test (key → value, or
    /// `(absent)`), so the request can be reproduced.
    pub context: std::collections::BTreeMap<String, String>,
}

/// A statement: policy name, `Sid` if any, and 0-based position in the policy.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct StatementRef {
    pub policy: String,
    pub sid: Option<String>,
    pub index: usize,
}

impl fmt::Display for StatementRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} Statement[{}]", self.policy, self.index)?;
        if let Some(sid) = &self.sid {
            write!(f, " ({sid})")?;
        }
        Ok(())
    }
}

/// Something the prover could not decide; the target is then not proven.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Unproven {
    pub policy: String,
    pub statement: Option<StatementRef>,
    pub reason: String,
}
