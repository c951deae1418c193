//! A straightforward concrete evaluator: one request in, a decision out.
//!
//! This follows the IAM "Policy evaluation logic" for the policies attached to one
//! principal: every statement is checked; an explicit `Deny` that applies wins; otherwise an
//! `Allow` that applies allows; otherwise the request is implicitly denied (default deny).
//! Policies attached to the same target are a union: their statements are pooled.
//!
//! The prover uses it to re-check every counterexample and to explain why no Deny applies;
//! the tests use it as the brute-force reference.
use super::condition::{eval_condition, resolve, Context, Resolved, Tri};
use super::document::{Effect, Policy, Principal, Statement, Template};
use super::glob::{glob_match, pat_wild, Glob};
use super::StatementRef;

/// A concrete request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// e.g. `iot:Publish`.
    pub action: String,
    /// The resource ARN, e.g. `arn:aws:iot:us-east-1:123456789012:topic/a`, or `*` for
    /// actions without resource-level permissions.
    pub resource: String,
    /// Condition keys (lower-cased) and values; missing keys are absent.
    pub context: Context,
}

/// The outcome for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Decision {
    Allowed,
    /// An applicable `Deny`.
    ExplicitDeny,
    /// No applicable `Allow` (default deny).
    ImplicitDeny,
    /// Something this crate does not model decides it.
    Unknown,
}

/// How one statement fared.
#[derive(Debug, Clone)]
pub struct StatementEval {
    pub statement: StatementRef,
    pub effect: Effect,
    pub action_matches: bool,
    /// Whether the statement applies to the request (action, resource, principal, conditions).
    pub applies: Tri,
    /// Why it does not apply / why that is unknown / "applies".
    pub detail: String,
}

#[derive(Debug, Clone)]
pub struct Evaluation {
    pub decision: Decision,
    pub statements: Vec<StatementEval>,
}

/// Evaluates `req` against the union of `policies`.
pub fn evaluate(policies: &[&Policy], req: &Request) -> Evaluation {
    let mut statements = Vec::new();
    for policy in policies {
        for st in policy.statements() {
            statements.push(eval_statement(policy, st, req));
        }
    }
    let fold = |effect: Effect| {
        statements
            .iter()
            .filter(|s| s.effect == effect)
            .fold(Tri::False, |acc, s| acc.or(s.applies))
    };
    let (allow, deny) = (fold(Effect::Allow), fold(Effect::Deny));
    let decision = match (deny, allow) {
        (Tri::True, _) => Decision::ExplicitDeny,
        (_, Tri::False) => Decision::ImplicitDeny,
        (Tri::False, Tri::True) => Decision::Allowed,
        _ => Decision::Unknown,
    };
    Evaluation {
        decision,
        statements,
    }
}

pub(crate) fn statement_ref(policy: &Policy, st: &Statement) -> StatementRef {
    StatementRef {
        policy: policy.name().to_string(),
        sid: st.sid.clone(),
        index: st.index,
    }
}

/// Action names are case-insensitive and take `*`/`?` (IAM User Guide, "IAM JSON policy
/// elements: Action"); `NotAction` matches every action its list does not.
pub(crate) fn action_matches(st: &Statement, action: &str) -> bool {
    let any = st
        .action
        .items
        .iter()
        .any(|p| glob_match(&pat_wild(p), action, true) == Some(true));
    any != st.action.negated
}

/// Whether one `Resource` entry matches a concrete resource. The documented ARN semantics
/// (wildcards stay within a segment unless they end it) and plain whole-string matching
/// are both computed; if they disagree the answer is unknown. An entry with a policy
/// variable that has no value "will not match any resource" (IAM "Policy variables with no
/// value"); a substituted value with `*`/`?` is tried both literally and as wildcards (see
/// [`super::condition::Resolved`]), unknown if that matters.
pub(crate) fn resource_entry_matches(
    entry: &Template,
    resource: &str,
    ctx: &Context,
) -> (Tri, Option<String>) {
    let (lit, wild) = match resolve(entry, ctx, true) {
        Ok(Resolved::Null) => return (Tri::False, None),
        Ok(Resolved::Pat { lit, wild }) => (lit, wild),
        Err(why) => {
            return (
                Tri::Unknown,
                Some(format!("Resource {:?}: {why}", entry.raw)),
            )
        }
    };
    let one = |pat: &[super::glob::PChar]| -> (Tri, Option<String>) {
        let narrow = Glob::arn_resource(pat).matches(resource);
        let Some(broad) = glob_match(pat, resource, false) else {
            return (
                Tri::Unknown,
                Some(format!("Resource {:?} uses reserved characters", entry.raw)),
            );
        };
        if narrow == broad {
            (Tri::from_bool(narrow), None)
        } else {
            (
                Tri::Unknown,
                Some(format!(
                    "Resource {:?} matches {resource:?} only if its wildcards may span ARN segments",
                    entry.raw
                )),
            )
        }
    };
    let (a, why) = one(&lit);
    if let Some(w) = wild {
        let (b, _) = one(&w);
        if a != b {
            return (
                Tri::Unknown,
                Some(format!(
                    "Resource {:?} matches {resource:?} only if `*`/`?` in a policy variable's \
                     value act as wildcards",
                    entry.raw
                )),
            );
        }
    }
    (a, why)
}

/// `Principal` is only modelled as "everyone" (`"*"` or `{"AWS": "*"}`); a named principal
/// may or may not be the caller.
pub(crate) fn principal_applies(st: &Statement) -> (Tri, Option<String>) {
    let Some(m) = &st.principal else {
        return (Tri::True, None);
    };
    let mut any = Tri::False;
    let mut why = None;
    for p in &m.items {
        match p {
            Principal::Any => any = any.or(Tri::True),
            Principal::Named { kind, id } => {
                any = any.or(Tri::Unknown);
                why.get_or_insert_with(|| {
                    format!("named principals ({kind}: {id}) are not modelled")
                });
            }
        }
    }
    let tri = if m.negated { any.not() } else { any };
    (tri, why)
}

fn eval_statement(policy: &Policy, st: &Statement, req: &Request) -> StatementEval {
    let statement = statement_ref(policy, st);
    let action_ok = action_matches(st, &req.action);
    let mut out = StatementEval {
        statement,
        effect: st.effect,
        action_matches: action_ok,
        applies: Tri::False,
        detail: String::new(),
    };
    if !action_ok {
        out.detail = format!("{} is not in its Action", req.action);
        return out;
    }
    // The statement applies iff every part does (Kleene AND). Parts are checked in order
    // conditions, principal, resource; the first false part ends the check and is the
    // explanation, otherwise the first unknown part is.
    let mut unknown: Option<String> = None;
    for cond in &st.conditions {
        let r = eval_condition(cond, &req.context);
        match r.tri {
            Tri::False => {
                out.detail = r.detail;
                return out;
            }
            Tri::Unknown => {
                unknown.get_or_insert(r.detail);
            }
            Tri::True => {}
        }
    }

    let (p, why) = principal_applies(st);
    match p {
        Tri::False => {
            out.detail = "the principal is excluded".to_string();
            return out;
        }
        Tri::Unknown => {
            unknown.get_or_insert(why.unwrap_or_default());
        }
        Tri::True => {}
    }

    let mut res_any = Tri::False;
    let mut res_why = None;
    for entry in &st.resource.items {
        let (t, why) = resource_entry_matches(entry, &req.resource, &req.context);
        res_any = res_any.or(t);
        if t == Tri::Unknown && res_why.is_none() {
            res_why = why;
        }
    }
    let res = if st.resource.negated {
        res_any.not()
    } else {
        res_any
    };
    match res {
        Tri::False => {
            let listed: Vec<&str> = st.resource.items.iter().map(|t| t.raw.as_str()).collect();
            out.detail = if st.resource.negated {
                format!(
                    "resource {} is excluded by NotResource {listed:?}",
                    req.resource
                )
            } else {
                format!("resource {} is not in Resource {listed:?}", req.resource)
            };
            return out;
        }
        Tri::Unknown => {
            unknown.get_or_insert(res_why.unwrap_or_default());
        }
        Tri::True => {}
    }

    match unknown {
        Some(why) => {
            out.applies = Tri::Unknown;
            out.detail = why;
        }
        None => {
            out.applies = Tri::True;
            out.detail = "applies".to_string();
        }
    }
    out
}
