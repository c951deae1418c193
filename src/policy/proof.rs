//! The proof: for each AWS IoT data-plane action, is there any request that the target's
//! policies allow while `aws:SourceVpce` is absent or not an approved endpoint?
//!
//! A request is (action, resource, context). The action is fixed per question. The context
//! ranges over the finite abstraction of the `domain` module: every condition key the relevant
//! statements test takes each of its abstract values (absent, each region representative,
//! or sets of them for multivalued keys). `aws:SourceVpce` takes only values outside the
//! approved set; every other key is adversarial — the caller controls the request, so any
//! value, including absent, is possible. (Only documented facts narrow this down:
//! `aws:SourceVpc`/`aws:VpcSourceIp` are present exactly when `aws:SourceVpce` is, since
//! all three are set only for requests that come through a VPC endpoint.)
//!
//! For one abstract context, which statements apply is settled, and what remains is the
//! resource: is there an ARN of the action's resource type that some applying Allow matches
//! and no applying Deny matches? That is decided exactly by the witness search of the
//! `search` module, which also produces the counterexample's resource. Contexts are not
//! enumerated one by one but in classes that make every statement fare alike (see
//! `Prover::prove_action`), and searches are shared between actions and modes that pose the
//! same question.
//!
//! Where the model is not exact — an unsupported operator, a named `Principal`, a policy
//! variable, a wildcard whose reach across ARN segments is ambiguous, a key whose values
//! the abstraction cannot split — each question is asked twice:
//! - *under* mode resolves every doubt toward "denied": Allows shrink, Denies grow. A request
//!   found here is allowed for certain; it is re-checked with the concrete evaluator and
//!   reported as a [`Counterexample`];
//! - *over* mode resolves every doubt toward "allowed". If nothing is found here, no request
//!   is allowed and the action is proven;
//! - found in over mode only: [`Unproven`], naming the statements and the doubt.
//!
//! So the prover never reports "proven" on a guess, and every counterexample is real under
//! the stated model.
//!
//! The model, and what is left unproven by design:
//! - request resources are `arn:<partition>:iot:<region>:<account>:<type>/<name>` with the
//!   documented type per action (`client`, `topic`, `topicfilter`, `thing`), names may
//!   contain `:` and `/`; actions without resource-level permissions use `*`. Partition,
//!   region and account are any (non-empty) value unless a [`Scope`] fixes them;
//! - `iot:Connect` is the one action whose resource name *is* a condition key: the client
//!   connects as `client/<id>` with `iot:ClientId` = `<id>` ([`ResourceKind::OwnClient`]).
//!   The witness search then looks for the ARN and the client id together: the id must
//!   stay in the region of `iot:ClientId` being tried (see `domain`), and a resource
//!   entry that ends in `${iot:ClientId}` right after the five ARN colons (for example
//!   `arn:aws:iot:*:*:client/${iot:ClientId}`) matches exactly when the rest of the entry
//!   matches the ARN up to the name. Other placements of `${iot:ClientId}` stay doubts
//!   unless a counterexample is found with them read as wildcards (and then confirmed).
//!   An empty client id is never a counterexample: a Connect only it gets is unproven
//!   ([`EMPTY_CLIENT_ID`]), as the AWS IoT documentation does not say the broker takes one.
//!   (`iot:DeleteConnection` also names `client/<id>`, but of the client being
//!   disconnected, by a caller over HTTPS, so it is not bound);
//! - `aws:SourceVpce` and `aws:SourceVpc` are non-empty and lower case (endpoint and VPC
//!   ids), so only such values are tried for them, and the approved ids are compared in
//!   lower case;
//! - a policy variable without a value makes a resource entry match nothing and a
//!   condition value match nothing (IAM "Policy variables with no value"); defaults
//!   (`${key, 'default'}`) are used when the key is absent;
//! - keys are single-valued unless some policy uses them with `ForAllValues:`/`ForAnyValue:`
//!   and they are not documented single-valued; `aws:CurrentTime` and friends range over
//!   all values, like every key other than `aws:SourceVpce`;
//! - unproven where it matters: unsupported operators (`BinaryEquals`, other spellings or
//!   letter case), invalid values (`Bool: "yes"`), named principals and `NotPrincipal`,
//!   condition values that are policy variables (they relate two keys), policy variables
//!   in a resource (only the representative values are tried), a multivalued key used
//!   without a set operator, one key compared with operators of different kinds, the
//!   combinations the IAM documentation leaves open (see `condition`: a key present with no
//!   values under `...IfExists`, an empty string among several values of a set, `Null` on an
//!   empty string for a key of unknown arity, `*`/`?` in a substituted variable value), a
//!   request the symbolic search finds but the concrete evaluator does not allow, and the
//!   size limits (64 kinds of value per key, 20 000 classes of contexts per action, 200 000
//!   automaton states per search, and a work budget of [`PROOF_BUDGET`] steps per proof:
//!   "search budget exhausted");
//! - `...IgnoreCase` and case-insensitive action names use per-character Unicode simple
//!   case mapping (as `wildmatch` does).
use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::condition::{eval_condition, static_problem, Context, Tri};
use super::document::{Condition, Effect, Piece, Policy, Statement, Template};
use super::domain::{build_domain, Domain, SOURCE_VPCE};
use super::eval::{action_matches, evaluate, principal_applies, statement_ref, Decision, Request};
use super::glob::{pat_literal, pat_wild, Glob, PChar, Pat, Tok, MARK};
use super::search::{find_witness, first_candidate, Budget, FxMap, Req};
use super::{Counterexample, StatementRef, TargetProof, Unproven};

/// What the resource of a request for an action looks like (AWS IoT Core Developer Guide,
/// "AWS IoT Core action resources").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    /// `arn:<partition>:iot:<region>:<account>:<type>/<name>`.
    Typed(&'static str),
    /// `arn:<partition>:iot:<region>:<account>:client/<id>`, where `<id>` is the request's
    /// own `iot:ClientId` ("The client's client ID"; `iot:ClientId` is "the client ID used
    /// to connect to the AWS IoT Core message broker").
    OwnClient,
    /// The action has no resource-level permissions; only `Resource: "*"` covers it.
    All,
}

/// The AWS IoT data-plane actions the proof covers. Each is checked on its own: HTTPS
/// publish needs no `iot:Connect`, so denying Connect alone does not protect Publish.
/// The device Jobs API is authorised as `iotjobsdata:*` over HTTPS and appears as `iot:*`
/// in older documentation; both spellings are checked.
pub const DATA_PLANE_ACTIONS: &[(&str, ResourceKind)] = &[
    ("iot:Connect", ResourceKind::OwnClient),
    ("iot:Publish", ResourceKind::Typed("topic")),
    ("iot:Subscribe", ResourceKind::Typed("topicfilter")),
    ("iot:Receive", ResourceKind::Typed("topic")),
    ("iot:RetainPublish", ResourceKind::Typed("topic")),
    ("iot:GetRetainedMessage", ResourceKind::Typed("topic")),
    ("iot:ListRetainedMessages", ResourceKind::All),
    ("iot:DeleteThingShadow", ResourceKind::Typed("thing")),
    ("iot:GetThingShadow", ResourceKind::Typed("thing")),
    ("iot:UpdateThingShadow", ResourceKind::Typed("thing")),
    ("iot:ListNamedShadowsForThing", ResourceKind::All),
    ("iot:DeleteConnection", ResourceKind::Typed("client")),
    ("iot:DescribeJobExecution", ResourceKind::Typed("thing")),
    ("iot:GetPendingJobExecutions", ResourceKind::Typed("thing")),
    (
        "iot:StartNextPendingJobExecution",
        ResourceKind::Typed("thing"),
    ),
    ("iot:UpdateJobExecution", ResourceKind::Typed("thing")),
    (
        "iotjobsdata:DescribeJobExecution",
        ResourceKind::Typed("thing"),
    ),
    (
        "iotjobsdata:GetPendingJobExecutions",
        ResourceKind::Typed("thing"),
    ),
    (
        "iotjobsdata:StartNextPendingJobExecution",
        ResourceKind::Typed("thing"),
    ),
    (
        "iotjobsdata:UpdateJobExecution",
        ResourceKind::Typed("thing"),
    ),
];

/// Where the policies are evaluated. Unknown parts are adversarial (any value); a policy
/// only ever sees requests for its own partition, region and account, so fixing them
/// avoids counterexamples in accounts the policy cannot be evaluated for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub partition: Option<String>,
    pub region: Option<String>,
    pub account: Option<String>,
}

/// Upper bound on the distinct classes of abstract contexts per action (contexts that make
/// every relevant statement fare alike are one class, see [`Prover::prove_action`]).
const MAX_COMBOS: usize = 20_000;

/// Keys present exactly when the request came through a VPC endpoint.
const VPC_ONLY_KEYS: &[&str] = &["aws:sourcevpc", "aws:vpcsourceip"];

/// Lower-cased `iot:ClientId`.
const CLIENT_ID: &str = "iot:clientid";

/// The work budget of one proof, in search steps (see the `search` module). Large enough
/// that every realistic policy set is decided; a pathological one ends unproven with
/// "search budget exhausted" after a few seconds instead of running for minutes.
pub const PROOF_BUDGET: u64 = 40_000_000;

/// At most this many steps go into finding a more readable counterexample resource.
const COSMETIC_STEPS: u64 = 200_000;

/// Steps charged for evaluating one condition clause while classifying contexts.
const CLAUSE_STEPS: u64 = 20;

/// Like [`super::prove_target`], with partition/region/account fixed where known.
pub fn prove_target_in(
    policies: &[&Policy],
    approved: &BTreeSet<String>,
    scope: &Scope,
) -> TargetProof {
    prove_target_budget(policies, approved, scope, PROOF_BUDGET)
}

/// [`prove_target_in`] with an explicit work budget (in search steps).
pub fn prove_target_budget(
    policies: &[&Policy],
    approved: &BTreeSet<String>,
    scope: &Scope,
    budget: u64,
) -> TargetProof {
    let budget = Budget::new(budget);
    Prover::new(policies, approved, scope, &budget).run()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Mode {
    /// Doubts resolved toward "denied".
    Under,
    /// Doubts resolved toward "allowed".
    Over,
}

struct Stmt<'p> {
    st: &'p Statement,
    r: StatementRef,
    /// Lower-cased keys this statement's conditions and variables use.
    keys: BTreeSet<String>,
    /// Keys used as variables in its resources.
    resource_vars: BTreeSet<String>,
    /// Keys used as variables in its condition values.
    condition_vars: BTreeSet<String>,
    /// Keys tested by a clause whose values contain a policy variable.
    keys_with_var_values: BTreeSet<String>,
}

/// A compiled resource entry.
#[derive(Debug, Clone, Copy)]
enum Entry {
    All,
    Nothing,
    Glob(usize),
}

/// The outcome of one search.
#[derive(Debug, Clone)]
enum Found {
    Yes(String),
    No,
    /// The search gave up, with the reason.
    Limit(String),
}

/// Doubts that made over mode differ from under mode.
type Doubts = Vec<(Option<StatementRef>, String)>;

/// How one relevant statement fares in a class of contexts: its conditions (and principal)
/// in under mode (`under`, doubts unresolved) and over mode (`over`, clauses the abstraction
/// does not settle count as unknown), with the reasons for the unknown parts of `over`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct StEval {
    under: Tri,
    over: Tri,
    /// Interned reasons (see [`Reasons`]).
    why: Vec<u32>,
}

/// A clause's value and, if over mode must take it as unknown, why (interned).
type Outcome = (Tri, Option<u32>);

/// Folds a clause outcome into a statement's state.
fn apply_clause(e: &mut StEval, (tri, why): Outcome) {
    e.under = e.under.and(tri);
    if e.over == Tri::False {
        return;
    }
    let over = match why {
        Some(w) => {
            e.why.push(w);
            Tri::Unknown
        }
        None => tri,
    };
    e.over = e.over.and(over);
    if e.over == Tri::False {
        e.why.clear();
    }
}

/// Reasons interned as small numbers, so that classes compare and hash cheaply.
#[derive(Debug, Default)]
struct Reasons {
    list: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Reasons {
    fn id(&mut self, why: String) -> u32 {
        if let Some(&i) = self.ids.get(&why) {
            return i;
        }
        let i = self.list.len() as u32;
        self.list.push(why.clone());
        self.ids.insert(why, i);
        i
    }
}

/// A class of abstract contexts: its first member (value index per key) and how every
/// relevant statement fares.
#[derive(Debug, Clone)]
struct Class {
    rep: Vec<usize>,
    evals: Vec<StEval>,
}

struct Prover<'p> {
    policies: &'p [&'p Policy],
    /// The approved endpoint ids, lower-cased (endpoint ids are lower case).
    approved: BTreeSet<String>,
    scope: &'p Scope,
    stmts: Vec<Stmt<'p>>,
    domains: BTreeMap<String, Domain>,
    display: BTreeMap<String, String>,
    hints: Hints,
    budget: &'p Budget,
    /// Search results by problem (the automata and the requirement), shared by actions and
    /// modes that pose the same question.
    memo: HashMap<(Vec<Glob>, Req), Found>,
}

impl<'p> Prover<'p> {
    fn new(
        policies: &'p [&'p Policy],
        approved: &'p BTreeSet<String>,
        scope: &'p Scope,
        budget: &'p Budget,
    ) -> Self {
        let approved: BTreeSet<String> = approved.iter().map(|a| a.to_lowercase()).collect();
        let mut stmts = Vec::new();
        let mut display: BTreeMap<String, String> = BTreeMap::new();
        display.insert(SOURCE_VPCE.to_string(), "aws:SourceVpce".to_string());
        display.insert(CLIENT_ID.to_string(), "iot:ClientId".to_string());
        let mut by_key: BTreeMap<String, Vec<&'p Condition>> = BTreeMap::new();
        let mut hints = Hints::default();
        for policy in policies.iter().copied() {
            for st in policy.statements() {
                let mut keys = BTreeSet::new();
                let mut resource_vars = BTreeSet::new();
                let mut condition_vars = BTreeSet::new();
                let mut keys_with_var_values = BTreeSet::new();
                for c in &st.conditions {
                    keys.insert(c.key_lc.clone());
                    display
                        .entry(c.key_lc.clone())
                        .or_insert_with(|| c.key.clone());
                    by_key.entry(c.key_lc.clone()).or_default().push(c);
                    for v in c.values.iter().flat_map(Template::vars) {
                        keys.insert(v.key_lc.clone());
                        condition_vars.insert(v.key_lc.clone());
                        keys_with_var_values.insert(c.key_lc.clone());
                        display
                            .entry(v.key_lc.clone())
                            .or_insert_with(|| v.name.clone());
                    }
                }
                for t in &st.resource.items {
                    for v in t.vars() {
                        keys.insert(v.key_lc.clone());
                        resource_vars.insert(v.key_lc.clone());
                        display
                            .entry(v.key_lc.clone())
                            .or_insert_with(|| v.name.clone());
                    }
                    hints.collect(&t.raw);
                }
                stmts.push(Stmt {
                    st,
                    r: statement_ref(policy, st),
                    keys,
                    resource_vars,
                    condition_vars,
                    keys_with_var_values,
                });
            }
        }
        let all_keys: BTreeSet<String> = stmts
            .iter()
            .flat_map(|s| s.keys.iter().cloned())
            .chain([SOURCE_VPCE.to_string(), CLIENT_ID.to_string()])
            .collect();
        let approved_list: Vec<String> = approved.iter().cloned().collect();
        let domains = all_keys
            .into_iter()
            .map(|k| {
                let conds = by_key.get(&k).map(Vec::as_slice).unwrap_or(&[]);
                let extra: &[String] = if k == SOURCE_VPCE {
                    &approved_list
                } else {
                    &[]
                };
                let d = build_domain(&k, conds, extra, budget);
                (k, d)
            })
            .collect();
        Prover {
            policies,
            approved,
            scope,
            stmts,
            domains,
            display,
            hints,
            budget,
            memo: HashMap::new(),
        }
    }

    fn run(mut self) -> TargetProof {
        let mut proof = TargetProof::default();
        // (statement, reason) -> actions
        let mut doubts: BTreeMap<(Option<StatementRef>, String), BTreeSet<String>> =
            BTreeMap::new();
        for &(action, kind) in DATA_PLANE_ACTIONS {
            match self.prove_action(action, kind) {
                ActionVerdict::Proven => {}
                ActionVerdict::Violation(cx) => proof.counterexamples.push(*cx),
                ActionVerdict::Unproven(list) => {
                    for (sref, reason) in list {
                        doubts
                            .entry((sref, reason))
                            .or_default()
                            .insert(action.to_string());
                    }
                }
            }
        }
        let all_names = || {
            self.policies
                .iter()
                .map(|p| p.name().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        for ((sref, reason), actions) in doubts {
            let actions: Vec<String> = actions.into_iter().collect();
            proof.unproven.push(Unproven {
                policy: sref.as_ref().map_or_else(all_names, |r| r.policy.clone()),
                statement: sref,
                reason: format!("{reason} (cannot decide {})", actions.join(", ")),
            });
        }
        proof
    }

    /// The key order for an action: `aws:SourceVpce` first, then every other key the
    /// relevant statements use, and the value domains (approved endpoints left out of
    /// `aws:SourceVpce`; the connecting client always has a client id).
    fn action_keys(&self, relevant: &[usize], kind: ResourceKind) -> Result<KeyValues, String> {
        let mut keys: Vec<String> = vec![SOURCE_VPCE.to_string()];
        let mut rest: BTreeSet<String> = relevant
            .iter()
            .flat_map(|&i| self.stmts[i].keys.iter().cloned())
            .filter(|k| k != SOURCE_VPCE)
            .collect();
        if kind == ResourceKind::OwnClient {
            rest.insert(CLIENT_ID.to_string());
        }
        keys.extend(rest);
        let mut domains = Vec::with_capacity(keys.len());
        for k in &keys {
            let Some(d) = self.domains.get(k) else {
                return Err(format!("no value domain was built for {k}"));
            };
            let mut values = d.values.clone();
            if k == SOURCE_VPCE {
                values.retain(|v| match v {
                    None => true,
                    Some(vals) => !vals.iter().all(|x| self.approved.contains(x)),
                });
            }
            if k == CLIENT_ID && kind == ResourceKind::OwnClient {
                values.retain(|v| matches!(v, Some(vals) if !vals.is_empty()));
            }
            domains.push(values);
        }
        Ok((keys, domains))
    }

    /// Proves one action.
    ///
    /// The abstract contexts are the combinations of every key's abstract values, but they
    /// are never enumerated one by one: keys are assigned one at a time (`aws:SourceVpce`
    /// first), each clause is evaluated as soon as every key it depends on is assigned, and
    /// partial contexts that leave every relevant statement in the same state (and agree on
    /// the keys still needed later: resource variables, the client id, keys of clauses not
    /// yet evaluated) are merged into one class, represented by its first member. The
    /// classes are then searched in the order of their representatives, which is the order
    /// in which the contexts themselves would be, so the counterexample reported is the
    /// first context (with `aws:SourceVpce` absent tried first) that has one.
    fn prove_action(&mut self, action: &str, kind: ResourceKind) -> ActionVerdict {
        let relevant: Vec<usize> = (0..self.stmts.len())
            .filter(|&i| action_matches(self.stmts[i].st, action))
            .collect();
        if !relevant
            .iter()
            .any(|&i| self.stmts[i].st.effect == Effect::Allow)
        {
            return ActionVerdict::Proven;
        }
        let (keys, domains) = match self.action_keys(&relevant, kind) {
            Ok(x) => x,
            Err(why) => return ActionVerdict::Unproven(vec![(None, why)]),
        };
        if domains.iter().any(Vec::is_empty) {
            return ActionVerdict::Proven;
        }
        let mut reasons = Reasons::default();
        let classes = match self.classify(&relevant, kind, &keys, &domains, &mut reasons) {
            Ok(c) => c,
            Err(why) => return ActionVerdict::Unproven(vec![(None, why)]),
        };

        let mut doubts: Doubts = Vec::new();
        let add = |doubts: &mut Doubts, d: (Option<StatementRef>, String)| {
            if !doubts.contains(&d) {
                doubts.push(d);
            }
        };
        // Where the representative binds the client id literally, the region is tried too.
        let retry_region = kind == ResourceKind::OwnClient && self.client_id_inexact(&relevant);
        for class in &classes {
            let ctx = context_of(&keys, &domains, &class.rep);
            let (found, _) = self.search(
                kind,
                Mode::Under,
                &relevant,
                (&class.evals, &reasons),
                &ctx,
                false,
            );
            if retry_region && matches!(found, Found::No) {
                // The literal representative may miss a client id the region allows (a
                // `client/sensor-*` Allow beside `${iot:ClientId}` in a topic): try the
                // region, with the other placements of the variable read as wildcards. Only
                // a witness the concrete evaluator allows counts; anything else is left to
                // the Over search below, as if this one had not run.
                let statements = (class.evals.as_slice(), &reasons);
                if let (Found::Yes(resource), _) =
                    self.search(kind, Mode::Under, &relevant, statements, &ctx, true)
                {
                    if let Ok(cx) = self.counterexample(action, kind, resource, ctx.clone(), &keys)
                    {
                        return ActionVerdict::Violation(Box::new(cx));
                    }
                }
            }
            match found {
                Found::Yes(resource) => {
                    match self.counterexample(action, kind, resource, ctx.clone(), &keys) {
                        Ok(cx) => return ActionVerdict::Violation(Box::new(cx)),
                        Err(why) => add(&mut doubts, (None, why)),
                    }
                }
                Found::Limit(why) => add(&mut doubts, (None, why)),
                Found::No => {}
            }
            if doubts.len() < 32 {
                let (found, why) = self.search(
                    kind,
                    Mode::Over,
                    &relevant,
                    (&class.evals, &reasons),
                    &ctx,
                    false,
                );
                match found {
                    Found::No => {}
                    Found::Yes(_) => {
                        if why.is_empty() {
                            add(
                                &mut doubts,
                                (
                                    None,
                                    "the abstraction could not settle this request".to_string(),
                                ),
                            );
                        }
                        for d in why {
                            add(&mut doubts, d);
                        }
                    }
                    Found::Limit(why) => add(&mut doubts, (None, why)),
                }
            }
        }
        if doubts.is_empty() {
            ActionVerdict::Proven
        } else {
            ActionVerdict::Unproven(doubts)
        }
    }

    /// The classes of abstract contexts for an action (see [`Prover::prove_action`]).
    ///
    /// A class is also dropped when another one with the same retained key values
    /// *dominates* it: every Allow fares at least as well and every Deny at most as well
    /// (in the order false < unknown < true, in both modes). Conditions are monotone in that
    /// order and the resource search is monotone in the statements that take part (more
    /// Allows, fewer Denies: more requests), so a dominated class has no request that its
    /// dominator lacks.
    fn classify(
        &self,
        relevant: &[usize],
        kind: ResourceKind,
        keys: &[String],
        domains: &[Vec<Option<Vec<String>>>],
        reasons: &mut Reasons,
    ) -> Result<Vec<Class>, String> {
        let pos = |k: &str| keys.iter().position(|x| x == k);
        // Clauses by the position of the last key they depend on, with their dependencies.
        let mut clauses_at: Vec<Vec<(usize, &Condition, Vec<usize>)>> =
            vec![Vec::new(); keys.len()];
        // The last position at which each key is still needed.
        let keep = usize::MAX;
        let mut last_use: Vec<usize> = vec![0; keys.len()];
        last_use[0] = keep;
        for (si, &i) in relevant.iter().enumerate() {
            for c in &self.stmts[i].st.conditions {
                let mut deps: Vec<usize> = std::iter::once(c.key_lc.as_str())
                    .chain(
                        c.values
                            .iter()
                            .flat_map(Template::vars)
                            .map(|v| v.key_lc.as_str()),
                    )
                    .filter_map(pos)
                    .collect();
                deps.sort_unstable();
                deps.dedup();
                let at = deps.last().copied().unwrap_or(0);
                for &d in &deps {
                    if last_use[d] != keep {
                        last_use[d] = last_use[d].max(at);
                    }
                }
                clauses_at[at].push((si, c, deps));
            }
            for k in &self.stmts[i].resource_vars {
                if let Some(p) = pos(k) {
                    last_use[p] = keep;
                }
            }
        }
        if kind == ResourceKind::OwnClient {
            if let Some(p) = pos(CLIENT_ID) {
                last_use[p] = keep;
            }
        }
        let vpc_only: Vec<bool> = keys
            .iter()
            .map(|k| VPC_ONLY_KEYS.contains(&k.as_str()))
            .collect();
        let allow: Vec<bool> = relevant
            .iter()
            .map(|&i| self.stmts[i].st.effect == Effect::Allow)
            .collect();
        let retained_at = |j: usize, rep: &[usize]| -> Vec<usize> {
            (0..=j)
                .filter(|&k| last_use[k] > j)
                .map(|k| rep[k])
                .collect()
        };

        let initial: Vec<StEval> = relevant
            .iter()
            .map(|&i| {
                let (p, why) = principal_applies(self.stmts[i].st);
                StEval {
                    under: p,
                    over: p,
                    why: why
                        .into_iter()
                        .filter(|_| p == Tri::Unknown)
                        .map(|w| reasons.id(w))
                        .collect(),
                }
            })
            .collect();
        let mut layer = vec![Class {
            rep: Vec::new(),
            evals: initial,
        }];
        for (j, values) in domains.iter().enumerate() {
            let mut next: Vec<Class> = Vec::new();
            let mut index: FxMap<(Vec<StEval>, Vec<usize>), ()> = FxMap::default();
            // Clause results by (clause, values of its dependencies).
            let mut results: FxMap<(usize, Vec<usize>), Outcome> = FxMap::default();
            for class in &layer {
                for (vi, v) in values.iter().enumerate() {
                    // aws:SourceVpc and aws:VpcSourceIp exist exactly when aws:SourceVpce
                    // does (IAM "AWS global condition context keys": each is "included in
                    // the request context only if the requester uses a VPC endpoint").
                    if vpc_only[j] && v.is_some() != domains[0][class.rep[0]].is_some() {
                        continue;
                    }
                    let mut rep = class.rep.clone();
                    rep.push(vi);
                    let mut evals = class.evals.clone();
                    for (ci, (si, c, deps)) in clauses_at[j].iter().enumerate() {
                        let key = (ci, deps.iter().map(|&d| rep[d]).collect::<Vec<usize>>());
                        let r = match results.get(&key) {
                            Some(r) => *r,
                            None => {
                                self.budget
                                    .charge(CLAUSE_STEPS)
                                    .map_err(|e| e.to_string())?;
                                let ctx = context_of_some(keys, domains, &rep, deps);
                                let r = self.clause_outcome(c, &ctx, reasons);
                                results.insert(key, r);
                                r
                            }
                        };
                        apply_clause(&mut evals[*si], r);
                    }
                    self.budget
                        .charge(1 + evals.len() as u64)
                        .map_err(|e| e.to_string())?;
                    if index
                        .insert((evals.clone(), retained_at(j, &rep)), ())
                        .is_none()
                    {
                        next.push(Class { rep, evals });
                    }
                }
            }
            let next = self.undominated(next, &allow, |c: &Class| retained_at(j, &c.rep))?;
            if next.len() > MAX_COMBOS {
                return Err(format!(
                    "too many combinations of condition-key values (more than {MAX_COMBOS} \
                     distinct cases) to enumerate"
                ));
            }
            layer = next;
        }
        Ok(layer)
    }

    /// `classes` without the ones another class with the same retained values dominates
    /// (see [`Prover::classify`]), in their original order.
    fn undominated(
        &self,
        classes: Vec<Class>,
        allow: &[bool],
        retained: impl Fn(&Class) -> Vec<usize>,
    ) -> Result<Vec<Class>, String> {
        let rank = |t: Tri| match t {
            Tri::False => 0,
            Tri::Unknown => 1,
            Tri::True => 2,
        };
        // `a` is at least as good as `b` for allowing requests.
        let dominates = |a: &Class, b: &Class| {
            a.evals
                .iter()
                .zip(&b.evals)
                .zip(allow)
                .all(|((x, y), &al)| {
                    let (xu, xo, yu, yo) =
                        (rank(x.under), rank(x.over), rank(y.under), rank(y.over));
                    if al {
                        xu >= yu && xo >= yo
                    } else {
                        xu <= yu && xo <= yo
                    }
                })
        };
        let mut groups: FxMap<Vec<usize>, Vec<usize>> = FxMap::default();
        let mut dropped = vec![false; classes.len()];
        for (i, c) in classes.iter().enumerate() {
            let group = groups.entry(retained(c)).or_default();
            let mut k = 0;
            let mut beaten = false;
            while k < group.len() {
                self.budget
                    .charge(1 + allow.len() as u64)
                    .map_err(|e| e.to_string())?;
                let other = &classes[group[k]];
                if dominates(other, c) {
                    beaten = true;
                    break;
                }
                if dominates(c, other) {
                    dropped[group[k]] = true;
                    group.swap_remove(k);
                    continue;
                }
                k += 1;
            }
            if beaten {
                dropped[i] = true;
            } else {
                group.push(i);
            }
        }
        Ok(classes
            .into_iter()
            .zip(dropped)
            .filter(|(_, d)| !d)
            .map(|(c, _)| c)
            .collect())
    }

    /// One clause's result on `ctx`: its value, and the (interned) reason that makes it
    /// unknown in over mode, if any: its own unknownness, or a doubt of the abstraction.
    fn clause_outcome(&self, c: &Condition, ctx: &Context, reasons: &mut Reasons) -> Outcome {
        let r = eval_condition(c, ctx);
        if r.tri == Tri::Unknown {
            let why = static_problem(c).unwrap_or(r.detail);
            return (Tri::Unknown, Some(reasons.id(why)));
        }
        (r.tri, self.clause_doubt(c).map(|d| reasons.id(d)))
    }

    /// Why a clause cannot be trusted in over mode, if it cannot.
    fn clause_doubt(&self, c: &Condition) -> Option<String> {
        if let Some(v) = c.values.iter().flat_map(Template::vars).next() {
            return Some(format!(
                "condition {} on {} compares with policy variable ${{{}}}",
                c.operator, c.key, v.name
            ));
        }
        // `Null` only looks at presence, which the domain always covers exactly.
        if matches!(&c.op, Ok(op) if op.test == super::condition::Test::Null) {
            return None;
        }
        let d = self.domains.get(&c.key_lc)?;
        if let Some(why) = &d.imprecise {
            return Some(why.clone());
        }
        if d.multi {
            if let Ok(op) = &c.op {
                if op.set.is_none() && op.test != super::condition::Test::Null {
                    return Some(format!(
                        "{} is used with set operators elsewhere but {} has none",
                        c.key, c.operator
                    ));
                }
            }
        }
        None
    }

    /// Which relevant statements take part under `mode`, and the doubts involved.
    fn actives(
        &self,
        mode: Mode,
        relevant: &[usize],
        evals: &[StEval],
        reasons: &Reasons,
    ) -> (Vec<usize>, Vec<usize>, Doubts) {
        let (mut allows, mut denies, mut doubts) = (Vec::new(), Vec::new(), Doubts::new());
        for (&i, e) in relevant.iter().zip(evals) {
            let effect = self.stmts[i].st.effect;
            let t = match mode {
                Mode::Under => e.under,
                Mode::Over => e.over,
            };
            let active = match (effect, mode) {
                (Effect::Allow, Mode::Under) => t == Tri::True,
                (Effect::Allow, Mode::Over) => t != Tri::False,
                (Effect::Deny, Mode::Under) => t != Tri::False,
                (Effect::Deny, Mode::Over) => t == Tri::True,
            };
            if mode == Mode::Over && t == Tri::Unknown {
                for &w in &e.why {
                    let why = reasons.list[w as usize].clone();
                    doubts.push((Some(self.stmts[i].r.clone()), why));
                }
            }
            if active {
                match effect {
                    Effect::Allow => allows.push(i),
                    Effect::Deny => denies.push(i),
                }
            }
        }
        (allows, denies, doubts)
    }

    /// Compiles one resource entry. `big`: the entry should rather match too much than too
    /// little (its statement grows in this mode and it is a `Resource`, or shrinks and it is
    /// a `NotResource`). `bound`: the searched resource carries the boundary marker before
    /// its name, which is the request's `iot:ClientId` (so the context's representative is
    /// not its value).
    ///
    /// A policy variable without a value (and without a default) makes the entry match no
    /// resource (IAM "Policy variables with no value"); "absent" is an exact abstract value,
    /// so this holds in both modes. A value with `*`/`?` is read literally where the entry
    /// should be small and as wildcards where it should be big (the literal reading matches
    /// a subset of the other), as the evaluator leaves the difference unknown.
    #[allow(clippy::too_many_arguments)]
    fn entry(
        &self,
        t: &Template,
        big: bool,
        mode: Mode,
        ctx: &Context,
        bound: bool,
        globs: &mut Vec<Glob>,
        doubts: &mut Vec<String>,
    ) -> Entry {
        let unknown = if big { Entry::All } else { Entry::Nothing };
        if let Some(why) = &t.unsupported {
            doubts.push(format!("Resource {:?}: {why}", t.raw));
            return unknown;
        }
        // `...:client/${iot:ClientId}`: the rest of the entry must match the ARN up to the
        // name (the marker), and the name is the client id whatever it is.
        let own_name = bound && ends_with_own_name(t);
        let pieces = if own_name {
            &t.pieces[..t.pieces.len() - 1]
        } else {
            &t.pieces[..]
        };
        let mut pat = Pat::new();
        let value_pat = |text: &str| -> Pat {
            if big {
                pat_wild(text)
            } else {
                pat_literal(text)
            }
        };
        for piece in pieces {
            match piece {
                Piece::Text(s) => pat.extend(pat_wild(s)),
                Piece::Literal(c) => pat.push(PChar::Lit(*c)),
                Piece::Var(v) => {
                    let value = ctx.get(&v.key_lc).map(Vec::as_slice);
                    let default = v.default.as_deref();
                    match (mode, value) {
                        (_, None | Some([])) if default.is_none() => return Entry::Nothing,
                        (_, None | Some([])) => pat.extend(value_pat(default.unwrap_or_default())),
                        // Bound, the client id is the name, not the representative: where
                        // the entry should be big, any value (a superset of what it matches
                        // for every id); where small, none.
                        (Mode::Under, _) if bound && v.key_lc == CLIENT_ID => {
                            if big {
                                pat.push(PChar::Star);
                            } else {
                                return Entry::Nothing;
                            }
                        }
                        (Mode::Under, Some([one])) => pat.extend(value_pat(one)),
                        (Mode::Under, _) => return unknown,
                        (Mode::Over, _) => {
                            doubts.push(format!(
                                "Resource {:?} depends on policy variable ${{{}}}",
                                t.raw, v.name
                            ));
                            if big {
                                pat.push(PChar::Star);
                            } else {
                                return Entry::Nothing;
                            }
                        }
                    }
                }
            }
        }
        let mut whole = Glob::whole(&pat, false);
        let mut arn = Glob::arn_resource(&pat);
        if mode == Mode::Over && whole != arn {
            doubts.push(format!(
                "Resource {:?} has wildcards inside ARN segments, whose reach is ambiguous",
                t.raw
            ));
        }
        if own_name {
            // `pat` has five colons, so its compilation does not depend on what follows it.
            whole.0.extend([Tok::Mark, Tok::Star]);
            arn.0.extend([Tok::Mark, Tok::Star]);
        }
        globs.push(if big { whole } else { arn });
        Entry::Glob(globs.len() - 1)
    }

    /// Whether a relevant statement uses `iot:ClientId` where the region of its
    /// representative does not answer for every id (see [`Prover::client_id_binding`]): as a
    /// variable in a condition value or a resource other than as the client's own name, or
    /// compared with a policy variable.
    fn client_id_inexact(&self, relevant: &[usize]) -> bool {
        relevant.iter().any(|&i| {
            let s = &self.stmts[i];
            s.condition_vars.contains(CLIENT_ID)
                || s.keys_with_var_values.contains(CLIENT_ID)
                || s.st
                    .resource
                    .items
                    .iter()
                    .any(|t| t.vars().any(|v| v.key_lc == CLIENT_ID) && !ends_with_own_name(t))
        })
    }

    /// For `iot:Connect`: how the client id (the resource name, after the marker) is tied
    /// to the context's `iot:ClientId` representative. Returns patterns the name must (not)
    /// match, whether resource entries ending in `${iot:ClientId}` are compiled against the
    /// name (`bound`), and a doubt.
    /// - Normally the name ranges over the region of the representative (every value that
    ///   answers each clause on `iot:ClientId` as it does), and entries are bound.
    /// - Under mode, where that is not exact — `iot:ClientId` compared with other kinds of
    ///   operator, used as a variable in a condition value or elsewhere in a resource, or
    ///   compared with a policy variable, by *any* relevant statement (a Deny that does not
    ///   apply to the representative could apply to another id of the region) — the name is
    ///   the representative itself and variables take it as their value, as usual.
    /// - Over mode, where the region is not known to be exact, the name is left free.
    fn client_id_binding(
        &self,
        mode: Mode,
        ctx: &Context,
        relevant: &[usize],
        region_anyway: bool,
    ) -> ClientBinding {
        let rep = ctx
            .get(CLIENT_ID)
            .and_then(|v| v.first())
            .cloned()
            .unwrap_or_default();
        let domain = self.domains.get(CLIENT_ID);
        let region = domain.and_then(|d| d.region_of(&rep));
        match mode {
            Mode::Under => match region {
                Some(r) if region_anyway || !self.client_id_inexact(relevant) => (r, true, None),
                _ => (vec![(Glob::literal(&rep), true)], false, None),
            },
            Mode::Over => match region {
                Some(r) if domain.is_some_and(|d| d.imprecise.is_none()) => (r, true, None),
                // The clauses on the key are doubts already.
                Some(_) => (Vec::new(), true, None),
                None => (
                    Vec::new(),
                    true,
                    Some(
                        "iot:ClientId is compared with non-string operators, which the client \
                         id in an iot:Connect resource is not tied to"
                            .to_string(),
                    ),
                ),
            },
        }
    }

    /// Searches for a resource allowed under `mode` in a class of contexts (`ctx` its
    /// representative, `evals` how its statements fare). `region`: in Under mode, bind
    /// `iot:Connect`'s client id to the region of the representative even where that is not
    /// exact (see [`Prover::client_id_binding`]); a witness is then a candidate the concrete
    /// evaluator confirms or refutes, as every counterexample is.
    fn search(
        &mut self,
        kind: ResourceKind,
        mode: Mode,
        relevant: &[usize],
        (evals, reasons): (&[StEval], &Reasons),
        ctx: &Context,
        region: bool,
    ) -> (Found, Doubts) {
        let (allows, denies, mut doubts) = self.actives(mode, relevant, evals, reasons);
        if allows.is_empty() {
            return (Found::No, doubts);
        }
        let own = kind == ResourceKind::OwnClient;
        let (generic_shape, preferred) = self.shapes(kind);
        let mut globs = vec![generic_shape.clone()];
        let mut req = vec![Req::var(0)];
        let mut bound = false;
        if own {
            // The client id: which of `globs` the name after the marker must (not) match.
            let (cons, b, why) = self.client_id_binding(mode, ctx, relevant, region);
            bound = b;
            for (g, want) in cons {
                let mut toks = vec![Tok::Star, Tok::Mark];
                toks.extend(g.0);
                globs.push(Glob(toks));
                let v = Req::var(globs.len() - 1);
                req.push(if want { v } else { Req::not(v) });
            }
            doubts.extend(why.map(|w| (None, w)));
            // A zero-byte client id (`client/` with nothing after the marker): MQTT 3.1.1
            // section 3.1.3.1 lets a server accept one and assign an id of its own; the AWS
            // IoT Device SDK v2 documents that AWS IoT assigns one over MQTT 5 (a non-empty
            // id, which the search covers), and the AWS IoT Developer Guide ("AWS IoT
            // differences from MQTT specifications", "Message broker and protocol limits and
            // quotas") says neither that the broker rejects it over MQTT 3.1.1 nor which
            // `iot:ClientId` a policy then sees. So it is never a counterexample (Under), and
            // a request only it reaches is a doubt (Over). `domain` keeps "" a region of its
            // own, so no non-empty id is represented by it.
            globs.push(Glob(vec![Tok::Star, Tok::Mark]));
            if mode == Mode::Under {
                req.push(Req::not(Req::var(globs.len() - 1)));
            }
        }
        let mut hits: [Vec<Req>; 2] = [Vec::new(), Vec::new()];
        let mut allow_globs: Vec<usize> = Vec::new();
        for (i, effect) in allows
            .iter()
            .map(|&i| (i, Effect::Allow))
            .chain(denies.iter().map(|&i| (i, Effect::Deny)))
        {
            let st = self.stmts[i].st;
            let grows = matches!(
                (effect, mode),
                (Effect::Allow, Mode::Over) | (Effect::Deny, Mode::Under)
            );
            let big = grows != st.resource.negated;
            let mut why = Vec::new();
            let entries: Vec<Entry> = st
                .resource
                .items
                .iter()
                .map(|t| self.entry(t, big, mode, ctx, bound, &mut globs, &mut why))
                .collect();
            for w in why {
                doubts.push((Some(self.stmts[i].r.clone()), w));
            }
            let any = Req::any(entries.iter().map(|e| match e {
                Entry::All => Req::Const(true),
                Entry::Nothing => Req::Const(false),
                Entry::Glob(g) => Req::var(*g),
            }));
            if effect == Effect::Allow && !st.resource.negated {
                allow_globs.extend(entries.iter().filter_map(|e| match e {
                    Entry::Glob(g) => Some(*g),
                    _ => None,
                }));
            }
            let hit = if st.resource.negated {
                Req::not(any)
            } else {
                any
            };
            hits[usize::from(effect == Effect::Deny)].push(hit);
        }
        let [allow_hits, deny_hits] = hits;
        req.push(Req::any(allow_hits));
        req.push(Req::not(Req::any(deny_hits)));
        let req = Req::all(req);
        // Compiling and hashing the problem is work too.
        let size: usize = globs.iter().map(Glob::len).sum();
        if let Err(e) = self.budget.charge(1 + size as u64 / 8) {
            return (Found::Limit(e.to_string()), doubts);
        }
        let key = (globs.clone(), req.clone());
        let found = match self.memo.get(&key) {
            Some(found) => found.clone(),
            None => {
                let found = self.solve(&globs, &req, &preferred, &allow_globs);
                self.memo.insert(key, found.clone());
                found
            }
        };
        if own && matches!(&found, Found::Yes(w) if w.ends_with(MARK)) {
            doubts.push((None, EMPTY_CLIENT_ID.to_string()));
        }
        (found, doubts)
    }

    /// Finds a resource: first readable obvious candidates (the familiar ARN shapes, the
    /// allowing patterns themselves), then the exact search; a witness of the exact search
    /// is then made readable if a familiar shape admits one within a small budget.
    fn solve(&self, globs: &[Glob], req: &Req, preferred: &[Glob], allow_globs: &[usize]) -> Found {
        if *req == Req::Const(false) {
            return Found::No;
        }
        let mut candidates: Vec<String> = preferred.iter().map(|g| instantiate(g, "x")).collect();
        for &g in allow_globs {
            for star in ["x", ""] {
                candidates.push(instantiate(&globs[g], star));
            }
        }
        match first_candidate(globs, req, &candidates, self.budget) {
            Ok(Some(w)) => return Found::Yes(w),
            Ok(None) => {}
            Err(e) => return Found::Limit(e.to_string()),
        }
        let generic_witness = match find_witness(globs, req, self.budget) {
            Err(e) => return Found::Limit(e.to_string()),
            Ok(None) => return Found::No,
            Ok(Some(w)) => w,
        };
        // A nicer witness: the same search restricted to a familiar-looking ARN.
        let mut best = generic_witness;
        let cosmetic = self.budget.sub(COSMETIC_STEPS);
        let mut shaped = globs.to_vec();
        for shape in preferred {
            shaped[0] = shape.clone();
            match find_witness(&shaped, req, &cosmetic) {
                Ok(Some(w)) => {
                    best = w;
                    break;
                }
                Ok(None) => {}
                Err(_) => break,
            }
        }
        self.budget.settle(&cosmetic);
        // A shortest witness may end in a bare "topic/dt/"; a name reads better.
        if best.ends_with('/') || best.ends_with(MARK) {
            let longer = format!("{best}x");
            let m: Vec<bool> = globs.iter().map(|g| g.matches(&longer)).collect();
            if req.eval(&m) {
                best = longer;
            }
        }
        Found::Yes(best)
    }

    /// The resource language of an action (complete), and readable sub-languages to try
    /// first for the counterexample.
    ///
    /// Actions without resource-level permissions are documented to be covered only by
    /// `Resource: "*"` ("The resource ARN specified for this action must be `*`"), so their
    /// request resource is taken to be the string `*`, which no ARN pattern matches.
    fn shapes(&self, kind: ResourceKind) -> (Glob, Vec<Glob>) {
        let (ty, own) = match kind {
            ResourceKind::Typed(ty) => (ty, false),
            ResourceKind::OwnClient => ("client", true),
            ResourceKind::All => return (Glob::literal("*"), Vec::new()),
        };
        // The name of a client's own resource is its client id, after the marker.
        let name = |toks: &[Tok]| -> Vec<Tok> {
            let mut v = if own { vec![Tok::Mark] } else { Vec::new() };
            v.extend_from_slice(toks);
            v
        };
        // `None`: any non-empty segment without colons.
        let build = |p: Option<&str>, r: Option<&str>, a: Option<&str>, name: &[Tok]| {
            let seg = |v: Option<&str>| -> Vec<Tok> {
                match v {
                    Some(s) => s.chars().map(Tok::Lit).collect(),
                    None => vec![Tok::OneNoColon, Tok::StarNoColon],
                }
            };
            let mut g = Glob::literal("arn:").0;
            g.extend(seg(p));
            g.extend(Glob::literal(":iot:").0);
            g.extend(seg(r));
            g.push(Tok::Lit(':'));
            g.extend(seg(a));
            g.extend(Glob::literal(&format!(":{ty}/")).0);
            g.extend_from_slice(name);
            Glob(g)
        };
        let generic = build(
            self.scope.partition.as_deref(),
            self.scope.region.as_deref(),
            self.scope.account.as_deref(),
            &name(&[Tok::Star]),
        );
        // Readable choices first: the scope, values the policies name, a common default;
        // then "any".
        let choices = |fixed: &Option<String>, hints: &[String], default: &str| {
            let mut out: Vec<Option<String>> = Vec::new();
            match fixed {
                Some(v) => out.push(Some(v.clone())),
                None => {
                    out.extend(hints.iter().take(2).cloned().map(Some));
                    if !hints.iter().take(2).any(|h| h == default) {
                        out.push(Some(default.to_string()));
                    }
                    out.push(None);
                }
            }
            out
        };
        let partitions = choices(&self.scope.partition, &self.hints.partitions, "aws");
        let regions = choices(&self.scope.region, &self.hints.regions, "us-east-1");
        let accounts = choices(&self.scope.account, &self.hints.accounts, "123456789012");
        let mut preferred = Vec::new();
        for p in &partitions {
            for r in &regions {
                for a in &accounts {
                    preferred.push(build(
                        p.as_deref(),
                        r.as_deref(),
                        a.as_deref(),
                        &name(&[Tok::One, Tok::Star]),
                    ));
                }
            }
        }
        (generic, preferred)
    }

    fn counterexample(
        &self,
        action: &str,
        kind: ResourceKind,
        resource: String,
        mut ctx: Context,
        keys: &[String],
    ) -> Result<Counterexample, String> {
        // `iot:Connect`: the name after the marker is the request's client id.
        let split = (kind == ResourceKind::OwnClient)
            .then(|| resource.split_once(MARK))
            .flatten();
        let resource = match split {
            Some((head, name)) => {
                ctx.insert(CLIENT_ID.to_string(), vec![name.to_string()]);
                format!("{head}{name}")
            }
            None => resource,
        };
        let req = Request {
            action: action.to_string(),
            resource,
            context: ctx,
        };
        let ev = evaluate(self.policies, &req);
        // Fail closed: a request the symbolic search found but the concrete evaluator does
        // not allow means the two disagree; that is a doubt, never a counterexample.
        if ev.decision != Decision::Allowed {
            return Err(format!(
                "the symbolic search and the concrete evaluator disagree on a request ({} on \
                 {}, evaluated as {:?}), so the abstraction cannot be trusted here",
                action, req.resource, ev.decision
            ));
        }
        let allowed_by: Vec<StatementRef> = ev
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Allow && s.applies == Tri::True)
            .map(|s| s.statement.clone())
            .collect();
        let deny_notes: Vec<String> = ev
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Deny && s.action_matches)
            .map(|s| format!("{}: {}", s.statement, s.detail))
            .collect();
        let why_no_deny = if deny_notes.is_empty() {
            format!("no Deny statement covers {action}")
        } else {
            deny_notes.join("; ")
        };
        let context = keys
            .iter()
            .filter(|k| k.as_str() != SOURCE_VPCE)
            .map(|k| {
                let name = self.display.get(k).cloned().unwrap_or_else(|| k.clone());
                let value = match req.context.get(k).map(Vec::as_slice) {
                    None | Some([]) => "(absent)".to_string(),
                    Some([one]) => one.clone(),
                    Some(many) => format!("{many:?}"),
                };
                (name, value)
            })
            .collect();
        let source_vpce = req
            .context
            .get(SOURCE_VPCE)
            .and_then(|v| v.first())
            .cloned();
        Ok(Counterexample {
            action: action.to_string(),
            resource: req.resource,
            source_vpce,
            allowed_by,
            why_no_deny,
            context,
        })
    }
}

/// Why a request with an empty MQTT client id is left unproven (see `Prover::search`).
pub(crate) const EMPTY_CLIENT_ID: &str =
    "iot:Connect may be allowed with an empty (zero-byte) MQTT client id; the AWS IoT \
     documentation does not say whether the broker accepts one or which iot:ClientId it \
     then evaluates";

/// How `iot:Connect`'s client id is tied to the context (see `Prover::client_id_binding`).
type ClientBinding = (Vec<(Glob, bool)>, bool, Option<String>);

/// The part of a representative's context that `deps` (key positions) name.
fn context_of_some(
    keys: &[String],
    domains: &[Vec<Option<Vec<String>>>],
    rep: &[usize],
    deps: &[usize],
) -> Context {
    deps.iter()
        .filter_map(|&d| domains[d][rep[d]].clone().map(|v| (keys[d].clone(), v)))
        .collect()
}

/// The context of a class representative: each key with its chosen abstract value.
fn context_of(keys: &[String], domains: &[Vec<Option<Vec<String>>>], rep: &[usize]) -> Context {
    keys.iter()
        .zip(rep)
        .zip(domains)
        .filter_map(|((k, &i), d)| d[i].clone().map(|v| (k.clone(), v)))
        .collect()
}

/// A string a glob matches: wildcards read as `x` (`*` as `star`), the marker as itself.
fn instantiate(g: &Glob, star: &str) -> String {
    let mut out = String::new();
    for t in &g.0 {
        match *t {
            Tok::Lit(c) | Tok::LitIc(c) => out.push(c),
            Tok::One | Tok::OneNoColon => out.push('x'),
            Tok::Star | Tok::StarNoColon => out.push_str(star),
            Tok::Mark => out.push(MARK),
        }
    }
    out
}

/// Whether `t` ends in `${iot:ClientId}`, uses it nowhere else, and has five literal colons
/// before it: the variable is then in the resource part of the ARN, where wildcards are
/// plain, so the entry matches `<ARN up to the name><id>` iff the rest matches the ARN up
/// to the name.
fn ends_with_own_name(t: &Template) -> bool {
    let Some((Piece::Var(last), rest)) = t.pieces.split_last() else {
        return false;
    };
    let colons: usize = rest
        .iter()
        .map(|p| match p {
            Piece::Text(s) => s.matches(':').count(),
            Piece::Literal(c) => usize::from(*c == ':'),
            Piece::Var(_) => 0,
        })
        .sum();
    last.key_lc == CLIENT_ID
        && colons >= 5
        && !rest
            .iter()
            .any(|p| matches!(p, Piece::Var(v) if v.key_lc == CLIENT_ID))
}

enum ActionVerdict {
    Proven,
    Violation(Box<Counterexample>),
    Unproven(Doubts),
}

/// Literal partition, region and account segments of IoT ARNs in the policies, to make
/// counterexample resources look like the user's own.
#[derive(Debug, Default)]
struct Hints {
    partitions: Vec<String>,
    regions: Vec<String>,
    accounts: Vec<String>,
}

impl Hints {
    fn collect(&mut self, raw: &str) {
        let parts: Vec<&str> = raw.splitn(6, ':').collect();
        if parts.len() < 6 || parts[0] != "arn" || parts[2] != "iot" {
            return;
        }
        let literal = |s: &str| !s.is_empty() && !s.contains(['*', '?', '$', '{', '}']);
        for (value, list) in [
            (parts[1], &mut self.partitions),
            (parts[3], &mut self.regions),
            (parts[4], &mut self.accounts),
        ] {
            if literal(value) && !list.iter().any(|v| v == value) {
                list.push(value.to_string());
            }
        }
    }
}

/// Context keys and, per key, the candidate value sets (`None`: key absent).
type KeyValues = (Vec<String>, Vec<Vec<Option<Vec<String>>>>);
