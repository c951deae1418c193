//! A small reference evaluator written from the IAM documentation (the table in
//! `condition_table`), independent of `condition.rs`/`eval.rs`/`glob.rs`, and property tests
//! of the symbolic proof against brute-force enumeration with it:
//! - set operators × `IfExists` × missing / empty / multivalued keys;
//! - policy variables in resources and condition values (`${iot:ClientId}`,
//!   `${iot:Connection.Thing.ThingName}`, `${aws:SourceVpce}`, defaults), where every
//!   counterexample must re-validate and no disagreement between the symbolic search and
//!   the evaluator may surface.
//!
//! Both also check that the concrete evaluator (`eval.rs`) decides every enumerated request
//! as the reference does.
use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::super::eval::{evaluate, Decision, Request};
use super::super::{parse_policy, prove_target, Policy, TargetProof};
use super::{approved, request_of, B_ACTIONS, B_PRA, B_VPCE, P_ACTIONS};

/// Three-valued truth, as in the documentation tables: `U` where AWS leaves it open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum T3 {
    T,
    F,
    U,
}

impl T3 {
    fn of(b: bool) -> T3 {
        if b {
            T3::T
        } else {
            T3::F
        }
    }
    fn and(self, o: T3) -> T3 {
        match (self, o) {
            (T3::F, _) | (_, T3::F) => T3::F,
            (T3::T, T3::T) => T3::T,
            _ => T3::U,
        }
    }
    fn or(self, o: T3) -> T3 {
        match (self, o) {
            (T3::T, _) | (_, T3::T) => T3::T,
            (T3::F, T3::F) => T3::F,
            _ => T3::U,
        }
    }
    fn not(self) -> T3 {
        match self {
            T3::T => T3::F,
            T3::F => T3::T,
            T3::U => T3::U,
        }
    }
}

type Ctx = BTreeMap<String, Vec<String>>;

/// `*` any run, `?` one character; `wild[i]` says whether pattern character `i` is a
/// wildcard; `colon_ok(i)` whether it may consume `:`.
fn like_at(p: &[char], wild: &[bool], s: &[char], colon_ok: &dyn Fn(usize) -> bool) -> bool {
    fn go(
        p: &[char],
        wild: &[bool],
        s: &[char],
        pi: usize,
        si: usize,
        ok: &dyn Fn(usize) -> bool,
    ) -> bool {
        if pi == p.len() {
            return si == s.len();
        }
        match (p[pi], wild[pi]) {
            ('*', true) => {
                let mut k = si;
                loop {
                    if go(p, wild, s, pi + 1, k, ok) {
                        return true;
                    }
                    if k == s.len() || (s[k] == ':' && !ok(pi)) {
                        return false;
                    }
                    k += 1;
                }
            }
            ('?', true) => {
                si < s.len() && (s[si] != ':' || ok(pi)) && go(p, wild, s, pi + 1, si + 1, ok)
            }
            (c, _) => si < s.len() && s[si] == c && go(p, wild, s, pi + 1, si + 1, ok),
        }
    }
    go(p, wild, s, 0, 0, colon_ok)
}

/// A pattern after substitution: characters and which of them are wildcards.
type RPat = (Vec<char>, Vec<bool>);

fn plain_like((p, w): &RPat, s: &str) -> bool {
    let s: Vec<char> = s.chars().collect();
    like_at(p, w, &s, &|_| true)
}

/// IAM "Resource": in the first five ARN segments wildcards stay inside their segment,
/// except a `*` that ends a segment; the resource segment is plain. `U` if that and plain
/// whole-string matching differ (as the crate models it).
fn resource_like(pat: &RPat, arn: &str) -> T3 {
    let (p, w) = pat;
    let mut colons_before = vec![0usize; p.len()];
    let mut n = 0;
    for (i, c) in p.iter().enumerate() {
        colons_before[i] = n;
        if *c == ':' && !w[i] {
            n += 1;
        }
    }
    let ends_segment = |i: usize| i + 1 == p.len() || (p[i + 1] == ':' && !w[i + 1]);
    let ok = |i: usize| colons_before[i] >= 5 || (p[i] == '*' && ends_segment(i));
    let s: Vec<char> = arn.chars().collect();
    let narrow = like_at(p, w, &s, &ok);
    let broad = plain_like(pat, arn);
    if narrow == broad {
        T3::of(narrow)
    } else {
        T3::U
    }
}

/// IAM "Policy variables": `${key}` and `${key, 'default'}`, `${*}`/`${?}`/`${$}`. `None`:
/// a variable without a value (matches nothing); two readings when a substituted value has
/// `*`/`?` in a wildcard position; `Err` for a multivalued variable.
fn substitute(raw: &str, ctx: &Ctx, wildcards: bool) -> Result<Option<Vec<RPat>>, ()> {
    let mut lit: RPat = (Vec::new(), Vec::new());
    let mut alt: RPat = (Vec::new(), Vec::new());
    let mut two = false;
    let mut rest = raw;
    let push = |pat: &mut RPat, s: &str, as_wild: bool| {
        for c in s.chars() {
            pat.0.push(c);
            pat.1.push(as_wild && (c == '*' || c == '?'));
        }
    };
    while let Some(pos) = rest.find("${") {
        push(&mut lit, &rest[..pos], wildcards);
        push(&mut alt, &rest[..pos], wildcards);
        let after = &rest[pos + 2..];
        let end = after.find('}').ok_or(())?;
        let inner = &after[..end];
        rest = &after[end + 1..];
        let text: String = match inner {
            "*" | "?" | "$" => inner.to_string(),
            _ => {
                let (key, default) = match inner.split_once(',') {
                    Some((k, d)) => (k.trim(), Some(d.trim().trim_matches('\'').to_string())),
                    None => (inner.trim(), None),
                };
                match ctx.get(&key.to_lowercase()).map(Vec::as_slice) {
                    Some([one]) => one.clone(),
                    Some([]) | None => match default {
                        Some(d) => d,
                        None => return Ok(None),
                    },
                    Some(_) => return Err(()),
                }
            }
        };
        if matches!(inner, "*" | "?" | "$") {
            push(&mut lit, &text, false);
            push(&mut alt, &text, false);
        } else {
            push(&mut lit, &text, false);
            push(&mut alt, &text, wildcards);
            two |= wildcards && text.contains(['*', '?']);
        }
    }
    push(&mut lit, rest, wildcards);
    push(&mut alt, rest, wildcards);
    Ok(Some(if two { vec![lit, alt] } else { vec![lit] }))
}

/// All readings agree, or `U`.
fn agree(rs: impl IntoIterator<Item = T3>) -> T3 {
    let rs: Vec<T3> = rs.into_iter().collect();
    if rs.iter().all(|r| *r == rs[0]) {
        rs[0]
    } else {
        T3::U
    }
}

/// One condition clause, from the documentation table.
fn ref_clause(operator: &str, key: &str, values: &[String], ctx: &Ctx) -> T3 {
    let (set, rest) = if let Some(r) = operator.strip_prefix("ForAllValues:") {
        (Some(true), r)
    } else if let Some(r) = operator.strip_prefix("ForAnyValue:") {
        (Some(false), r)
    } else {
        (None, operator)
    };
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(b) => (b, true),
        None => (rest, false),
    };
    let key = key.to_lowercase();
    let request = ctx.get(&key).map(Vec::as_slice);
    if base == "Null" {
        let single = [
            "aws:sourcevpce",
            "iot:clientid",
            "iot:connection.thing.thingname",
        ]
        .contains(&key.as_str());
        let null = match request {
            None | Some([]) => T3::T,
            Some([one]) if one.is_empty() && !single => T3::U,
            Some(_) => T3::F,
        };
        return values.iter().fold(T3::F, |acc, v| {
            acc.or(match v.as_str() {
                "true" => null,
                "false" => null.not(),
                _ => T3::U,
            })
        });
    }
    let (negated, wild, ci) = match base {
        "StringEquals" => (false, false, false),
        "StringNotEquals" => (true, false, false),
        "StringEqualsIgnoreCase" => (false, false, true),
        "StringNotEqualsIgnoreCase" => (true, false, true),
        "StringLike" => (false, true, false),
        "StringNotLike" => (true, true, false),
        _ => return T3::U,
    };
    // Does one request value match one policy value (all readings agree)?
    let one = |x: &str| -> T3 {
        let mut any = T3::F;
        for v in values {
            let m = match substitute(v, ctx, wild) {
                Err(()) => T3::U,
                Ok(None) => T3::F,
                Ok(Some(readings)) => agree(readings.iter().map(|pat| {
                    if ci {
                        let s: String = pat.0.iter().collect();
                        T3::of(s.to_lowercase() == x.to_lowercase())
                    } else {
                        T3::of(plain_like(pat, x))
                    }
                })),
            };
            any = any.or(m);
        }
        if negated {
            any.not()
        } else {
            any
        }
    };
    let absent = match set {
        Some(all) => T3::of(all),
        None => T3::of(if_exists || negated),
    };
    match (set, request) {
        (_, None) => absent,
        (None, Some([])) => agree([absent, T3::of(negated)]),
        (None, Some([x])) => one(x),
        (None, Some(_)) => T3::U,
        (Some(all), Some(xs)) => {
            let fold = |xs: &[&String]| -> T3 {
                if xs.is_empty() || (xs.len() == 1 && xs[0].is_empty()) {
                    return T3::of(all);
                }
                if all {
                    xs.iter().fold(T3::T, |a, x| a.and(one(x)))
                } else {
                    xs.iter().fold(T3::F, |a, x| a.or(one(x)))
                }
            };
            let with: Vec<&String> = xs.iter().collect();
            let without: Vec<&String> = xs.iter().filter(|x| !x.is_empty()).collect();
            if with.len() > 1 && with.len() != without.len() {
                agree([fold(&with), fold(&without)])
            } else {
                fold(&with)
            }
        }
    }
}

/// A generated statement in JSON form, read back for the reference.
struct RStmt {
    allow: bool,
    actions: Vec<String>,
    not_action: bool,
    resources: Vec<String>,
    not_resource: bool,
    conditions: Vec<(String, String, Vec<String>)>,
}

fn read_statements(doc: &str) -> Vec<RStmt> {
    let v: serde_json::Value = serde_json::from_str(doc).expect("generated JSON");
    let strings = |x: &serde_json::Value| -> Vec<String> {
        match x {
            serde_json::Value::String(s) => vec![s.clone()],
            serde_json::Value::Array(a) => a
                .iter()
                .map(|i| i.as_str().expect("string").to_string())
                .collect(),
            _ => panic!("unexpected {x}"),
        }
    };
    v["Statement"]
        .as_array()
        .expect("statements")
        .iter()
        .map(|s| {
            let (not_action, actions) = match s.get("Action") {
                Some(a) => (false, strings(a)),
                None => (true, strings(&s["NotAction"])),
            };
            let (not_resource, resources) = match s.get("Resource") {
                Some(r) => (false, strings(r)),
                None => (true, strings(&s["NotResource"])),
            };
            let mut conditions = Vec::new();
            if let Some(c) = s.get("Condition").and_then(|c| c.as_object()) {
                for (op, block) in c {
                    for (key, vals) in block.as_object().expect("block") {
                        conditions.push((op.clone(), key.clone(), strings(vals)));
                    }
                }
            }
            RStmt {
                allow: s["Effect"] == "Allow",
                actions,
                not_action,
                resources,
                not_resource,
                conditions,
            }
        })
        .collect()
}

/// IAM "Policy evaluation logic" for one principal's policies: an applicable Deny wins,
/// else an applicable Allow allows, else implicit deny. `U`-parts make the decision unknown.
fn ref_decide(stmts: &[RStmt], action: &str, resource: &str, ctx: &Ctx) -> Decision {
    let mut allow = T3::F;
    let mut deny = T3::F;
    for s in stmts {
        let named = s.actions.iter().any(|a| {
            let p: Vec<char> = a.to_lowercase().chars().collect();
            let w = vec![true; p.len()];
            plain_like(&(p, w), &action.to_lowercase())
        });
        if named == s.not_action {
            continue;
        }
        let mut applies = T3::T;
        for (op, key, vals) in &s.conditions {
            applies = applies.and(ref_clause(op, key, vals, ctx));
        }
        let mut res = T3::F;
        for r in &s.resources {
            res = res.or(match substitute(r, ctx, true) {
                Err(()) => T3::U,
                Ok(None) => T3::F,
                Ok(Some(readings)) => agree(readings.iter().map(|p| resource_like(p, resource))),
            });
        }
        applies = applies.and(if s.not_resource { res.not() } else { res });
        if s.allow {
            allow = allow.or(applies);
        } else {
            deny = deny.or(applies);
        }
    }
    match (deny, allow) {
        (T3::T, _) => Decision::ExplicitDeny,
        (_, T3::F) => Decision::ImplicitDeny,
        (T3::F, T3::T) => Decision::Allowed,
        _ => Decision::Unknown,
    }
}

/// The actions of `proof` that are unproven (named in an unproven reason).
fn unproven_actions(proof: &TargetProof) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for u in &proof.unproven {
        if let Some((_, list)) = u.reason.rsplit_once("(cannot decide ") {
            for a in list.trim_end_matches(')').split(", ") {
                out.insert(a.to_string());
            }
        }
    }
    out
}

/// Brute force: for each action, whether some request is allowed for certain, and whether
/// some request is undecided. Also checks the concrete evaluator against the reference on
/// every request.
struct Brute {
    allowed: BTreeSet<String>,
    unknown: BTreeSet<String>,
}

fn brute(
    docs: &[String],
    policies: &[&Policy],
    requests: &dyn Fn(&str) -> Vec<(String, Ctx)>,
) -> Result<Brute, TestCaseError> {
    let stmts: Vec<RStmt> = docs.iter().flat_map(|d| read_statements(d)).collect();
    let mut out = Brute {
        allowed: BTreeSet::new(),
        unknown: BTreeSet::new(),
    };
    for action in B_ACTIONS {
        for (resource, ctx) in requests(action) {
            let want = ref_decide(&stmts, action, &resource, &ctx);
            let req = Request {
                action: action.to_string(),
                resource: resource.clone(),
                context: ctx.clone(),
            };
            let got = evaluate(policies, &req).decision;
            prop_assert_eq!(
                got,
                want,
                "evaluator vs reference on {:?} {} {:?}\npolicies: {:?}",
                action,
                resource,
                ctx,
                docs
            );
            match want {
                Decision::Allowed => {
                    out.allowed.insert(action.to_string());
                }
                Decision::Unknown => {
                    out.unknown.insert(action.to_string());
                }
                _ => {}
            }
        }
    }
    Ok(out)
}

/// The resources to try for an action (clients are the `iot:Connect` client ids).
fn resources_for(action: &str, names: &[&str], clients: &[&str]) -> Vec<(String, Option<String>)> {
    let kind = super::DATA_PLANE_ACTIONS
        .iter()
        .find(|(a, _)| *a == action)
        .map(|(_, k)| *k)
        .expect("known action");
    let mut out = Vec::new();
    // The policies' own partition, region and account, and another partition.
    for pra in [B_PRA[0], B_PRA[2]] {
        match kind {
            super::proof::ResourceKind::All => {
                out.push(("*".to_string(), None));
                break;
            }
            super::proof::ResourceKind::OwnClient => {
                for c in clients {
                    out.push((format!("arn:{pra}:client/{c}"), Some(c.to_string())));
                }
            }
            super::proof::ResourceKind::Typed(ty) => {
                for n in names {
                    out.push((format!("arn:{pra}:{ty}/{n}"), None));
                }
            }
        }
    }
    out
}

// ---- set operators × IfExists × missing / empty / multivalued keys -------------------------

const S_OPS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringLike",
    "StringNotLike",
    "StringEqualsIfExists",
    "StringNotEqualsIfExists",
    "StringLikeIfExists",
    "StringNotLikeIfExists",
    "Null",
];
const S_PREFIX: &[&str] = &["", "ForAllValues:", "ForAnyValue:"];
const S_KEYS: &[&str] = &["aws:SourceVpce", "demo:tags"];
const S_VPCE_VALUES: &[&str] = &["vpce-1", "vpce-2", "vpce-*", "VPCE-1"];
const S_TAG_VALUES: &[&str] = &["a", "b", "a*", ""];
const S_RESOURCES: &[&str] = &[
    "*",
    "arn:aws:iot:*:*:topic/*",
    "arn:aws:iot:us-east-1:123456789012:topic/a",
    "arn:aws:iot:*:*:client/*",
    "arn:aws:s3:::b/*",
];
/// Request values of `demo:tags`: absent, and every set of up to three of these (the
/// regions of the generated conditions: equal to `a`/`b`/`a*`, like `a*`, other, empty).
const S_TAG_BASE: &[&str] = &["", "a", "b", "a*", "ab", "zz"];

#[derive(Debug, Clone)]
struct SCond {
    prefix: usize,
    op: usize,
    key: usize,
    values: Vec<usize>,
}

#[derive(Debug, Clone)]
struct SStmt {
    allow: bool,
    action: usize,
    not_resource: bool,
    resource: usize,
    conds: Vec<SCond>,
}

fn s_stmt() -> impl Strategy<Value = SStmt> {
    let cond = (
        0..S_PREFIX.len(),
        0..S_OPS.len(),
        0..S_KEYS.len(),
        proptest::collection::vec(0..4usize, 1..=2),
    )
        .prop_map(|(prefix, op, key, values)| SCond {
            prefix,
            op,
            key,
            values,
        });
    (
        any::<bool>(),
        0..P_ACTIONS.len(),
        proptest::bool::weighted(0.15),
        0..S_RESOURCES.len(),
        proptest::collection::vec(cond, 0..=2),
    )
        .prop_map(|(allow, action, not_resource, resource, conds)| SStmt {
            allow,
            action,
            not_resource,
            resource,
            conds,
        })
}

fn s_render(stmts: &[SStmt]) -> String {
    let list: Vec<serde_json::Value> = stmts
        .iter()
        .map(|s| {
            let mut cond = serde_json::Map::new();
            for c in &s.conds {
                let op = if S_OPS[c.op] == "Null" {
                    "Null".to_string()
                } else {
                    format!("{}{}", S_PREFIX[c.prefix], S_OPS[c.op])
                };
                let key = S_KEYS[c.key];
                let values: Vec<&str> = c
                    .values
                    .iter()
                    .map(|&v| match (op.as_str(), key) {
                        ("Null", _) => ["true", "false"][v % 2],
                        (_, "demo:tags") => S_TAG_VALUES[v],
                        _ => S_VPCE_VALUES[v],
                    })
                    .collect();
                let block = cond.entry(op).or_insert_with(|| serde_json::json!({}));
                if let Some(obj) = block.as_object_mut() {
                    obj.insert(key.to_string(), serde_json::json!(values));
                }
            }
            let mut st = serde_json::Map::new();
            st.insert(
                "Effect".into(),
                (if s.allow { "Allow" } else { "Deny" }).into(),
            );
            st.insert("Action".into(), P_ACTIONS[s.action].into());
            st.insert(
                (if s.not_resource {
                    "NotResource"
                } else {
                    "Resource"
                })
                .into(),
                S_RESOURCES[s.resource].into(),
            );
            if !cond.is_empty() {
                st.insert("Condition".into(), serde_json::Value::Object(cond));
            }
            serde_json::Value::Object(st)
        })
        .collect();
    serde_json::json!({"Version": "2012-10-17", "Statement": list}).to_string()
}

fn tag_sets() -> Vec<Option<Vec<String>>> {
    let mut out = vec![None];
    let n = S_TAG_BASE.len();
    for mask in 0u32..(1 << n) {
        if mask.count_ones() <= 3 {
            out.push(Some(
                (0..n)
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| S_TAG_BASE[i].to_string())
                    .collect(),
            ));
        }
    }
    out
}

fn parse_docs(docs: &[String]) -> Vec<Policy> {
    docs.iter()
        .enumerate()
        .map(|(i, d)| parse_policy(&format!("g{i}"), d).expect("generated policy parses"))
        .collect()
}

proptest! {
    #![proptest_config(super::config(96))]

    /// The proof against brute force over set operators, IfExists and missing, empty and
    /// multivalued keys: the counterexample actions are exactly those some request is
    /// allowed for; a proven action has no allowed or undecided request; an unproven one
    /// has an undecided request (the documented rules leave it open).
    #[test]
    fn set_operators_match_brute_force(
        a in proptest::collection::vec(s_stmt(), 1..=3),
        b in proptest::option::weighted(0.3, proptest::collection::vec(s_stmt(), 1..=2)),
    ) {
        let mut docs = vec![s_render(&a)];
        if let Some(b) = &b {
            docs.push(s_render(b));
        }
        let policies = parse_docs(&docs);
        let refs: Vec<&Policy> = policies.iter().collect();
        let proof = prove_target(&refs, &approved());
        let mentions = |k: &str| docs.iter().any(|d| d.contains(k));
        // Keys are single-valued unless a policy uses them with a set operator (the model's
        // documented assumption, see proof.rs).
        let tags_as_set = docs.iter().any(|d| {
            read_statements(d).iter().any(|s| s.conditions.iter().any(|(op, k, _)| k == "demo:tags" && op.starts_with("For")))
        });
        let tags = if !mentions("demo:tags") {
            vec![None]
        } else if tags_as_set {
            tag_sets()
        } else {
            tag_sets().into_iter().filter(|t| t.as_ref().is_none_or(|t| t.len() == 1)).collect()
        };
        let vpces: Vec<Option<&str>> = if mentions("aws:SourceVpce") { B_VPCE.to_vec() } else { vec![None] };
        let requests = |action: &str| {
            let mut out = Vec::new();
            for (resource, client) in resources_for(action, &["a", "b", "x:topic/a", "x:client/a"], &["a", "x:topic/a"]) {
                for vpce in &vpces {
                    for t in &tags {
                        let mut ctx = Ctx::new();
                        if let Some(v) = vpce {
                            ctx.insert("aws:sourcevpce".into(), vec![v.to_string()]);
                        }
                        if let Some(t) = t {
                            ctx.insert("demo:tags".into(), t.clone());
                        }
                        if let Some(c) = &client {
                            ctx.insert("iot:clientid".into(), vec![c.clone()]);
                        }
                        out.push((resource.clone(), ctx));
                    }
                }
            }
            out
        };
        let brute = brute(&docs, &refs, &requests)?;
        let symbolic: BTreeSet<String> = proof
            .counterexamples
            .iter()
            .map(|c| c.action.clone())
            .filter(|a| B_ACTIONS.contains(&a.as_str()))
            .collect();
        prop_assert_eq!(&symbolic, &brute.allowed, "policies: {:?}\n{:#?}", docs, proof);
        let unproven = unproven_actions(&proof);
        for action in B_ACTIONS {
            let a = action.to_string();
            if symbolic.contains(&a) {
                continue;
            }
            if unproven.contains(&a) {
                prop_assert!(brute.unknown.contains(&a), "{} unproven, but every request is decided: {:?}\n{:#?}", a, docs, proof);
            } else {
                prop_assert!(!brute.unknown.contains(&a), "{} proven, but a request is undecided: {:?}\n{:#?}", a, docs, proof);
            }
        }
        for cx in &proof.counterexamples {
            let req = request_of(cx);
            let stmts: Vec<RStmt> = docs.iter().flat_map(|d| read_statements(d)).collect();
            prop_assert_eq!(ref_decide(&stmts, &req.action, &req.resource, &req.context), Decision::Allowed, "{:#?}", cx);
        }
    }
}

// ---- policy variables ----------------------------------------------------------------------

const V_RESOURCES: &[&str] = &[
    "*",
    "arn:aws:iot:*:*:topic/*",
    "arn:aws:iot:*:*:topic/a",
    "arn:aws:iot:*:*:topic/${iot:ClientId}",
    "arn:aws:iot:*:*:topic/${iot:Connection.Thing.ThingName}/*",
    "arn:aws:iot:*:*:topic/${aws:SourceVpce}",
    "arn:aws:iot:*:*:topic/${iot:Connection.Thing.ThingName, 'none'}",
    "arn:aws:iot:*:*:topic/${iot:ClientId}*",
    "arn:aws:iot:*:*:client/${iot:ClientId}",
    "arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}",
    "arn:aws:iot:*:*:client/*",
];
const V_OPS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringLike",
    "StringNotLike",
    "StringEqualsIfExists",
    "StringNotEqualsIfExists",
    "Null",
];
const V_KEYS: &[&str] = &[
    "aws:SourceVpce",
    "iot:ClientId",
    "iot:Connection.Thing.ThingName",
];
const V_VALUES: &[&str] = &[
    "vpce-1",
    "a",
    "a*",
    "${iot:ClientId}",
    "${iot:Connection.Thing.ThingName}",
    "${aws:SourceVpce}",
    "${iot:Connection.Thing.ThingName, 'a'}",
];
/// Request values: chosen so that equal / unequal / like combinations of the keys (and the
/// policy's literals) all occur.
/// `aws:SourceVpce` is an endpoint id (`vpce-` and lower-case hex digits), never `a`.
const V_VPCE: &[Option<&str>] = &[None, Some("vpce-2"), Some("vpce-ff")];
const V_CLIENT: &[&str] = &["a", "b", "a*", "vpce-2", "t1"];
const V_THING: &[Option<&str>] = &[None, Some("a"), Some("t1"), Some("zz")];
/// Topic names: every value above, with and without a suffix, and defaults.
const V_NAMES: &[&str] = &[
    "a", "b", "a*", "ab", "vpce-2", "vpce-ff", "t1", "t1/x", "a/x", "zz/x", "none", "x",
];

#[derive(Debug, Clone)]
struct VCond {
    op: usize,
    key: usize,
    values: Vec<usize>,
}

#[derive(Debug, Clone)]
struct VStmt {
    allow: bool,
    action: usize,
    not_resource: bool,
    resource: usize,
    conds: Vec<VCond>,
}

fn v_stmt() -> impl Strategy<Value = VStmt> {
    let cond = (
        0..V_OPS.len(),
        0..V_KEYS.len(),
        proptest::collection::vec(0..V_VALUES.len(), 1..=2),
    )
        .prop_map(|(op, key, values)| VCond { op, key, values });
    (
        proptest::bool::weighted(0.6),
        0..4usize,
        proptest::bool::weighted(0.1),
        0..V_RESOURCES.len(),
        proptest::collection::vec(cond, 0..=2),
    )
        .prop_map(|(allow, action, not_resource, resource, conds)| VStmt {
            allow,
            action,
            not_resource,
            resource,
            conds,
        })
}

fn v_render(stmts: &[VStmt]) -> String {
    let list: Vec<serde_json::Value> = stmts
        .iter()
        .map(|s| {
            let mut cond = serde_json::Map::new();
            for c in &s.conds {
                let op = V_OPS[c.op];
                let values: Vec<&str> = c
                    .values
                    .iter()
                    .map(|&v| {
                        if op == "Null" {
                            ["true", "false"][v % 2]
                        } else {
                            V_VALUES[v]
                        }
                    })
                    .collect();
                let block = cond
                    .entry(op.to_string())
                    .or_insert_with(|| serde_json::json!({}));
                if let Some(obj) = block.as_object_mut() {
                    obj.insert(V_KEYS[c.key].to_string(), serde_json::json!(values));
                }
            }
            let resource = V_RESOURCES[s.resource];
            // Client resources go with iot:Connect.
            let action = if resource.contains(":client/") {
                "iot:Connect"
            } else {
                ["iot:Publish", "iot:*", "iot:Connect", "*"][s.action]
            };
            let mut st = serde_json::Map::new();
            st.insert(
                "Effect".into(),
                (if s.allow { "Allow" } else { "Deny" }).into(),
            );
            st.insert("Action".into(), action.into());
            st.insert(
                (if s.not_resource {
                    "NotResource"
                } else {
                    "Resource"
                })
                .into(),
                resource.into(),
            );
            if !cond.is_empty() {
                st.insert("Condition".into(), serde_json::Value::Object(cond));
            }
            serde_json::Value::Object(st)
        })
        .collect();
    serde_json::json!({"Version": "2012-10-17", "Statement": list}).to_string()
}

proptest! {
    #![proptest_config(super::config(96))]

    /// Policies with variables: every counterexample is a request the reference allows, the
    /// symbolic search never disagrees with the evaluator (no such doubt is reported), and
    /// a proven action has no allowed or undecided request in the brute-force space.
    #[test]
    fn variables_never_disagree(
        a in proptest::collection::vec(v_stmt(), 1..=3),
        b in proptest::option::weighted(0.3, proptest::collection::vec(v_stmt(), 1..=2)),
    ) {
        let mut docs = vec![v_render(&a)];
        if let Some(b) = &b {
            docs.push(v_render(b));
        }
        let policies = parse_docs(&docs);
        let refs: Vec<&Policy> = policies.iter().collect();
        let proof = prove_target(&refs, &approved());
        for u in &proof.unproven {
            prop_assert!(!u.reason.contains("disagree") && !u.reason.contains("internal"), "{:?}\n{:#?}", docs, proof);
        }
        let stmts: Vec<RStmt> = docs.iter().flat_map(|d| read_statements(d)).collect();
        for cx in &proof.counterexamples {
            let req = request_of(cx);
            prop_assert_eq!(ref_decide(&stmts, &req.action, &req.resource, &req.context), Decision::Allowed, "{:?}\n{:#?}", docs, cx);
        }
        let requests = |action: &str| {
            let mut out = Vec::new();
            for (resource, client) in resources_for(action, V_NAMES, V_CLIENT) {
                let clients: Vec<Option<String>> = match client {
                    Some(c) => vec![Some(c)],
                    None => V_CLIENT.iter().map(|c| Some(c.to_string())).collect(),
                };
                for c in &clients {
                    for vpce in V_VPCE {
                        for thing in V_THING {
                            let mut ctx = Ctx::new();
                            if let Some(v) = vpce {
                                ctx.insert("aws:sourcevpce".into(), vec![v.to_string()]);
                            }
                            if let Some(c) = c {
                                ctx.insert("iot:clientid".into(), vec![c.clone()]);
                            }
                            if let Some(t) = thing {
                                ctx.insert("iot:connection.thing.thingname".into(), vec![t.to_string()]);
                            }
                            out.push((resource.clone(), ctx));
                        }
                    }
                }
            }
            out
        };
        let brute = brute(&docs, &refs, &requests)?;
        let symbolic: BTreeSet<String> = proof.counterexamples.iter().map(|c| c.action.clone()).collect();
        let unproven = unproven_actions(&proof);
        for action in B_ACTIONS {
            let a = action.to_string();
            if !symbolic.contains(&a) && !unproven.contains(&a) {
                prop_assert!(!brute.allowed.contains(&a) && !brute.unknown.contains(&a), "{} proven, but brute force finds a request: {:?}\n{:#?}", a, docs, proof);
            }
        }
    }
}
