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
//! `glob` module, which also produces the counterexample's resource.
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
//!   matches the ARN up to the name. Other placements of `${iot:ClientId}` stay doubts.
//!   (`iot:DeleteConnection` also names `client/<id>`, but of the client being
//!   disconnected, by a caller over HTTPS, so it is not bound);
//! - `aws:SourceVpce` and `aws:SourceVpc` are lower case (endpoint and VPC ids), so only
//!   lower-case values are tried for them, and the approved ids are compared in lower case;
//! - keys are single-valued unless some policy uses them with `ForAllValues:`/`ForAnyValue:`
//!   and they are not documented single-valued; `aws:CurrentTime` and friends range over
//!   all values, like every key other than `aws:SourceVpce`;
//! - unproven where it matters: unsupported operators (`BinaryEquals`, other spellings or
//!   letter case), invalid values (`Bool: "yes"`), named principals and `NotPrincipal`,
//!   condition values that are policy variables (they relate two keys), policy variables
//!   in a Deny's resource (only the representative values are tried), a multivalued key
//!   used without a set operator, one key compared with operators of different kinds, and
//!   the size limits (64 kinds of value per key, 20 000 contexts per action, 200 000
//!   automaton states per search);
//! - `...IgnoreCase` and case-insensitive action names use per-character Unicode simple
//!   case mapping (as `wildmatch` does).
use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::condition::{eval_condition, static_problem, Context, Tri};
use super::document::{Condition, Effect, Piece, Policy, Statement, Template};
use super::domain::{build_domain, Domain, SOURCE_VPCE};
use super::eval::{action_matches, evaluate, principal_applies, statement_ref, Decision, Request};
use super::glob::{find_witness, pat_literal, pat_wild, Glob, PChar, Pat, Tok, MARK, SEARCH_LIMIT};
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

/// Upper bound on abstract contexts per action.
const MAX_COMBOS: usize = 20_000;

/// Keys present exactly when the request came through a VPC endpoint.
const VPC_ONLY_KEYS: &[&str] = &["aws:sourcevpc", "aws:vpcsourceip"];

/// Lower-cased `iot:ClientId`.
const CLIENT_ID: &str = "iot:clientid";

/// Like [`super::prove_target`], with partition/region/account fixed where known.
pub fn prove_target_in(
    policies: &[&Policy],
    approved: &BTreeSet<String>,
    scope: &Scope,
) -> TargetProof {
    Prover::new(policies, approved, scope).run()
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
}

/// A compiled resource entry.
#[derive(Debug, Clone, Copy)]
enum Entry {
    All,
    Nothing,
    Glob(usize),
}

struct Active {
    stmt: usize,
    negated: bool,
    entries: Vec<Entry>,
}

/// The outcome of one search.
#[derive(Debug, Clone)]
enum Found {
    Yes(String),
    No,
    /// The search gave up.
    Limit,
}

/// Doubts that made over mode differ from under mode.
type Doubts = Vec<(Option<StatementRef>, String)>;

struct Prover<'p> {
    policies: &'p [&'p Policy],
    /// The approved endpoint ids, lower-cased (endpoint ids are lower case).
    approved: BTreeSet<String>,
    scope: &'p Scope,
    stmts: Vec<Stmt<'p>>,
    domains: BTreeMap<String, Domain>,
    display: BTreeMap<String, String>,
    hints: Hints,
    memo: HashMap<MemoKey, Found>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct MemoKey {
    mode: Mode,
    kind: ResourceKind,
    allows: Vec<usize>,
    denies: Vec<usize>,
    vars: Vec<(String, Option<Vec<String>>)>,
}

impl<'p> Prover<'p> {
    fn new(policies: &'p [&'p Policy], approved: &'p BTreeSet<String>, scope: &'p Scope) -> Self {
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
                for c in &st.conditions {
                    keys.insert(c.key_lc.clone());
                    display
                        .entry(c.key_lc.clone())
                        .or_insert_with(|| c.key.clone());
                    by_key.entry(c.key_lc.clone()).or_default().push(c);
                    for v in c.values.iter().flat_map(Template::vars) {
                        keys.insert(v.key_lc.clone());
                        condition_vars.insert(v.key_lc.clone());
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
                let d = build_domain(&k, conds, extra);
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
        let mut keys: Vec<String> = vec![SOURCE_VPCE.to_string()];
        let mut rest: BTreeSet<String> = relevant
            .iter()
            .flat_map(|&i| self.stmts[i].keys.iter().cloned())
            .filter(|k| k != SOURCE_VPCE)
            .collect();
        // The connecting client always has a client id: its resource name.
        if kind == ResourceKind::OwnClient {
            rest.insert(CLIENT_ID.to_string());
        }
        keys.extend(rest);
        let mut domains: Vec<Vec<Option<Vec<String>>>> = Vec::with_capacity(keys.len());
        for k in &keys {
            let Some(d) = self.domains.get(k) else {
                return ActionVerdict::Unproven(vec![(
                    None,
                    format!("internal: no domain for {k}"),
                )]);
            };
            let mut values = d.values.clone();
            if k == SOURCE_VPCE {
                values.retain(|v| match v {
                    None => true,
                    Some(vals) => !vals.iter().all(|x| self.approved.contains(x)),
                });
            }
            if k == CLIENT_ID && kind == ResourceKind::OwnClient {
                values.retain(Option::is_some);
            }
            domains.push(values);
        }
        let total = domains
            .iter()
            .try_fold(1usize, |acc, d| acc.checked_mul(d.len()))
            .unwrap_or(usize::MAX);
        if total > MAX_COMBOS {
            return ActionVerdict::Unproven(vec![(
                None,
                format!(
                    "too many combinations of condition-key values ({}) to enumerate",
                    if total == usize::MAX {
                        "overflow".to_string()
                    } else {
                        total.to_string()
                    }
                ),
            )]);
        }
        if domains.iter().any(Vec::is_empty) {
            return ActionVerdict::Proven;
        }

        let mut doubts: Doubts = Vec::new();
        let mut idx = vec![0usize; keys.len()];
        loop {
            let ctx: Context = keys
                .iter()
                .zip(&idx)
                .zip(&domains)
                .filter_map(|((k, &i), d)| d[i].clone().map(|v| (k.clone(), v)))
                .collect();
            if Self::consistent(&ctx, &keys) {
                let (found, _) = self.search(kind, Mode::Under, &relevant, &ctx);
                if let Found::Yes(resource) = found {
                    return self.counterexample(action, kind, resource, ctx, &keys);
                }
                if doubts.len() < 32 {
                    let (found, mut why) = self.search(kind, Mode::Over, &relevant, &ctx);
                    match found {
                        Found::No => {}
                        Found::Yes(_) => {
                            if why.is_empty() {
                                why.push((
                                    None,
                                    "the abstraction could not settle this request".to_string(),
                                ));
                            }
                            for d in why {
                                if !doubts.contains(&d) {
                                    doubts.push(d);
                                }
                            }
                        }
                        Found::Limit => {
                            let d = (
                                None,
                                "the resource patterns are too complex to search exhaustively"
                                    .to_string(),
                            );
                            if !doubts.contains(&d) {
                                doubts.push(d);
                            }
                        }
                    }
                }
            }
            // Odometer: the last key varies fastest, aws:SourceVpce (first) slowest, so
            // "absent" is tried with every other combination first.
            let mut pos = keys.len();
            loop {
                if pos == 0 {
                    return if doubts.is_empty() {
                        ActionVerdict::Proven
                    } else {
                        ActionVerdict::Unproven(doubts)
                    };
                }
                pos -= 1;
                idx[pos] += 1;
                if idx[pos] < domains[pos].len() {
                    break;
                }
                idx[pos] = 0;
            }
        }
    }

    /// `aws:SourceVpc` and `aws:VpcSourceIp` exist exactly when `aws:SourceVpce` does
    /// (IAM "AWS global condition context keys": each is "included in the request context
    /// only if the requester uses a VPC endpoint").
    /// Only keys the current action's statements use (`keys`) are in `ctx`.
    fn consistent(ctx: &Context, keys: &[String]) -> bool {
        let via_endpoint = ctx.contains_key(SOURCE_VPCE);
        VPC_ONLY_KEYS
            .iter()
            .all(|k| !keys.iter().any(|x| x == k) || ctx.contains_key(*k) == via_endpoint)
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

    /// Whether statement `i` takes part under `mode`, and the doubts involved.
    fn statement_active(&self, i: usize, mode: Mode, ctx: &Context) -> (bool, Vec<String>) {
        let st = self.stmts[i].st;
        let (p, pwhy) = principal_applies(st);
        let mut t = p;
        let mut why: Vec<String> = pwhy.into_iter().filter(|_| p == Tri::Unknown).collect();
        for c in &st.conditions {
            let r = eval_condition(c, ctx);
            let mut tri = r.tri;
            if tri == Tri::Unknown {
                why.push(static_problem(c).unwrap_or(r.detail));
            } else if mode == Mode::Over {
                if let Some(doubt) = self.clause_doubt(c) {
                    tri = Tri::Unknown;
                    why.push(doubt);
                }
            }
            t = t.and(tri);
        }
        let active = match (st.effect, mode) {
            (Effect::Allow, Mode::Under) => t == Tri::True,
            (Effect::Allow, Mode::Over) => t != Tri::False,
            (Effect::Deny, Mode::Under) => t != Tri::False,
            (Effect::Deny, Mode::Over) => t == Tri::True,
        };
        if t != Tri::Unknown {
            why.clear();
        }
        (active, why)
    }

    /// Compiles one resource entry. `big`: the entry should rather match too much than too
    /// little (its statement grows in this mode and it is a `Resource`, or shrinks and it is
    /// a `NotResource`). `bound`: the searched resource carries the boundary marker before
    /// its name, which is the request's `iot:ClientId` (so the context's representative is
    /// not its value).
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
        for piece in pieces {
            match piece {
                Piece::Text(s) => pat.extend(pat_wild(s)),
                Piece::Literal(c) => pat.push(PChar::Lit(*c)),
                Piece::Var(v) => match (mode, ctx.get(&v.key_lc).map(Vec::as_slice)) {
                    (Mode::Under, _) if bound && v.key_lc == CLIENT_ID => return unknown,
                    (Mode::Under, Some([one])) => pat.extend(pat_literal(one)),
                    (Mode::Under, None | Some([])) if v.default.is_some() => {
                        pat.extend(pat_literal(v.default.as_deref().unwrap_or_default()))
                    }
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
                },
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

    /// For `iot:Connect`: how the client id (the resource name, after the marker) is tied
    /// to the context's `iot:ClientId` representative. Returns patterns the name must (not)
    /// match, whether resource entries ending in `${iot:ClientId}` are compiled against the
    /// name (`bound`), and a doubt.
    /// - Normally the name ranges over the region of the representative (every value that
    ///   answers each clause on `iot:ClientId` as it does), and entries are bound.
    /// - Under mode, where that is not exact (`iot:ClientId` compared with other kinds of
    ///   operator, used as a variable in a condition value or elsewhere in a resource), the
    ///   name is the representative itself and variables take it as their value, as usual.
    /// - Over mode, where the region is not known to be exact, the name is left free.
    fn client_id_binding(
        &self,
        mode: Mode,
        ctx: &Context,
        allows: &[usize],
        denies: &[usize],
    ) -> (Vec<(Glob, bool)>, bool, Option<String>) {
        let rep = ctx
            .get(CLIENT_ID)
            .and_then(|v| v.first())
            .cloned()
            .unwrap_or_default();
        let domain = self.domains.get(CLIENT_ID);
        let region = domain.and_then(|d| d.region_of(&rep));
        match mode {
            Mode::Under => {
                let inexact = |i: &usize| {
                    let s = &self.stmts[*i];
                    s.condition_vars.contains(CLIENT_ID)
                        || s.st.resource.items.iter().any(|t| {
                            t.vars().any(|v| v.key_lc == CLIENT_ID) && !ends_with_own_name(t)
                        })
                };
                match region {
                    Some(r) if !allows.iter().chain(denies).any(inexact) => (r, true, None),
                    _ => (vec![(Glob::literal(&rep), true)], false, None),
                }
            }
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

    /// Searches for a resource allowed under `mode` in context `ctx`.
    fn search(
        &mut self,
        kind: ResourceKind,
        mode: Mode,
        relevant: &[usize],
        ctx: &Context,
    ) -> (Found, Doubts) {
        let mut allows = Vec::new();
        let mut denies = Vec::new();
        let mut doubts: Doubts = Vec::new();
        for &i in relevant {
            let (active, why) = self.statement_active(i, mode, ctx);
            for w in why {
                doubts.push((Some(self.stmts[i].r.clone()), w));
            }
            if active {
                match self.stmts[i].st.effect {
                    Effect::Allow => allows.push(i),
                    Effect::Deny => denies.push(i),
                }
            }
        }
        if allows.is_empty() {
            return (Found::No, doubts);
        }
        let client_key = CLIENT_ID.to_string();
        let mut var_keys: BTreeSet<&String> = allows
            .iter()
            .chain(&denies)
            .flat_map(|&i| self.stmts[i].resource_vars.iter())
            .collect();
        let own = kind == ResourceKind::OwnClient;
        if own {
            var_keys.insert(&client_key);
        }
        let key = MemoKey {
            mode,
            kind,
            allows: allows.clone(),
            denies: denies.clone(),
            vars: var_keys
                .iter()
                .map(|k| ((*k).clone(), ctx.get(*k).cloned()))
                .collect(),
        };

        let (generic_shape, preferred) = self.shapes(kind);
        let mut globs = vec![generic_shape.clone()];
        // The client id: which of `globs` the name after the marker must (not) match.
        let mut name_cons: Vec<(usize, bool)> = Vec::new();
        let mut bound = false;
        if own {
            let (cons, b, why) = self.client_id_binding(mode, ctx, &allows, &denies);
            bound = b;
            for (g, want) in cons {
                let mut toks = vec![Tok::Star, Tok::Mark];
                toks.extend(g.0);
                globs.push(Glob(toks));
                name_cons.push((globs.len() - 1, want));
            }
            doubts.extend(why.map(|w| (None, w)));
        }
        let mut compiled: Vec<Active> = Vec::new();
        let order: Vec<(usize, Effect)> = allows
            .iter()
            .map(|&i| (i, Effect::Allow))
            .chain(denies.iter().map(|&i| (i, Effect::Deny)))
            .collect();
        for (i, effect) in order {
            let st = self.stmts[i].st;
            let grows = matches!(
                (effect, mode),
                (Effect::Allow, Mode::Over) | (Effect::Deny, Mode::Under)
            );
            let big = grows != st.resource.negated;
            let mut why = Vec::new();
            let entries = st
                .resource
                .items
                .iter()
                .map(|t| self.entry(t, big, mode, ctx, bound, &mut globs, &mut why))
                .collect();
            for w in why {
                doubts.push((Some(self.stmts[i].r.clone()), w));
            }
            compiled.push(Active {
                stmt: i,
                negated: st.resource.negated,
                entries,
            });
        }
        if let Some(found) = self.memo.get(&key) {
            return (found.clone(), doubts);
        }
        let n_allows = allows.len();
        let accept = |m: &[bool]| -> bool {
            if !m[0] || name_cons.iter().any(|&(g, want)| m[g] != want) {
                return false;
            }
            let hit = |a: &Active| {
                let any = a.entries.iter().any(|e| match e {
                    Entry::All => true,
                    Entry::Nothing => false,
                    Entry::Glob(g) => m[*g],
                });
                any != a.negated
            };
            compiled[..n_allows].iter().any(hit) && !compiled[n_allows..].iter().any(hit)
        };
        debug_assert!(compiled.iter().all(|a| a.stmt < self.stmts.len()));
        let found = match find_witness(&globs, &accept, SEARCH_LIMIT) {
            Err(_) => Found::Limit,
            Ok(None) => Found::No,
            Ok(Some(generic_witness)) => {
                // A nicer witness: the same search restricted to a familiar-looking ARN.
                let mut best = generic_witness;
                for shape in preferred {
                    globs[0] = shape;
                    if let Ok(Some(w)) = find_witness(&globs, &accept, SEARCH_LIMIT) {
                        best = w;
                        break;
                    }
                }
                // A shortest witness may end in a bare "topic/dt/"; a name reads better.
                if best.ends_with('/') || best.ends_with(MARK) {
                    let longer = format!("{best}x");
                    let mut m = vec![generic_shape.matches(&longer)];
                    m.extend(globs[1..].iter().map(|g| g.matches(&longer)));
                    if accept(&m) {
                        best = longer;
                    }
                }
                Found::Yes(best)
            }
        };
        self.memo.insert(key, found.clone());
        (found, doubts)
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
    ) -> ActionVerdict {
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
        if ev.decision != Decision::Allowed {
            return ActionVerdict::Unproven(vec![(
                None,
                format!(
                    "internal: the request found ({} on {}) did not re-validate as allowed ({:?})",
                    action, req.resource, ev.decision
                ),
            )]);
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
        ActionVerdict::Violation(Box::new(Counterexample {
            action: action.to_string(),
            resource: req.resource,
            source_vpce,
            allowed_by,
            why_no_deny,
            context,
        }))
    }
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
