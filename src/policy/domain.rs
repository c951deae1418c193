//! The finite abstraction of condition-key values.
//!
//! Every clause on a key asks a question about its value: "equals `vpce-1`?", "is like
//! `vpce-*`?", "is less than 10?", "is in 10.0.0.0/8?". Values that answer every question
//! the same way are interchangeable, so one representative per *region* (a satisfiable
//! combination of answers) stands for all of them. A key's domain is then: absent, plus one
//! representative per region — or, for multivalued keys, present with no values (an empty
//! set) and every non-empty set of representatives. The empty string is a region of its own
//! where the evaluator treats it specially (a key used with a set operator, where it is an
//! empty data set, or with `Null` when not documented single-valued) and for `iot:ClientId`
//! (an empty MQTT client id is left unproven, see `proof`).
//!
//! String regions are found by splitting: start with one region ("anything"), split it by
//! each question into the part that answers yes and the part that answers no, and keep a
//! part only if some string lives there — checked by a candidate list and, failing that, by
//! the exact witness search of the `glob` module. Numbers and dates split at each named
//! constant (below, at, between, above); IP addresses at CIDR boundaries.
//!
//! `aws:SourceVpce` and `aws:SourceVpc` only take resource ids: AWS sets them to the id of
//! the VPC endpoint / VPC (`vpce-`/`vpc-` followed by lower-case hexadecimal, see
//! [`ID_KEYS`]), so their string regions are split over such ids only. A policy value that is
//! no such id keeps its meaning (`StringEquals` `"VPCE-1"`, `"vpce-*"` or, on
//! `aws:SourceVpc`, `"vpce-1"` matches no request; `StringEqualsIgnoreCase` `"VPCE-1"`
//! matches `vpce-1`), it just has no request value to match.
//!
//! Some uses are not captured by regions: a condition value with a policy variable relates
//! two keys, and a key used with operators of different kinds (string and numeric, say)
//! would need a joint split. Such a domain is marked *imprecise*: its representatives are
//! still real values (so a counterexample found with them is real), but the prover does not
//! trust them to cover every value.
use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;

use super::condition::{
    format_date, known_single, parse_date, parse_net, parse_number, Family, Test,
};
use super::document::{Condition, Piece, Template};
use super::glob::{arn_like, glob_match, pat_literal, pat_wild, Glob, PChar, Pat};
use super::search::{find_witness_in, Budget, Chars, Req};

/// Lower-cased `aws:SourceVpce`.
pub(crate) const SOURCE_VPCE: &str = "aws:sourcevpce";

/// Lower-cased keys whose values are resource ids, with the id prefix. AWS sets
/// `aws:SourceVpce` to the id of the VPC endpoint the request came through and
/// `aws:SourceVpc` to the id of that endpoint's VPC (IAM "AWS global condition context
/// keys", sections `aws:SourceVpce` and `aws:SourceVpc`; IoT developer guide "AWS IoT Core
/// and interface VPC endpoints" (IoTCore-VPC), "Controlling access to AWS IoT Core over VPC
/// endpoints"): an endpoint id is `vpce-` and a VPC id `vpc-`, each followed by lower-case
/// hexadecimal digits (the ids the EC2 API returns, e.g. `vpce-1a2b3c4d`). So
/// `aws:SourceVpc` never holds an endpoint id, and neither key ever holds `*` or `?`
/// (`StringEquals` compares literally: `"vpce-*"` matches no request).
const ID_KEYS: &[(&str, &str)] = &[("aws:sourcevpce", "vpce-"), ("aws:sourcevpc", "vpc-")];

/// The digits of an id after its prefix.
const ID_DIGITS: &str = "0123456789abcdef";

/// Every character an id can contain (its digits and the prefix letters).
const ID_CHARS: &str = "0123456789abcdefpv-";

/// The id prefix of `key_lc` if its values are resource ids (see [`ID_KEYS`]).
pub(crate) fn id_prefix(key_lc: &str) -> Option<&'static str> {
    ID_KEYS
        .iter()
        .find(|(k, _)| *k == key_lc)
        .map(|(_, prefix)| *prefix)
}

/// Whether `v` is an id with `prefix`: the prefix, then one or more lower-case hex digits.
pub(crate) fn is_id(prefix: &str, v: &str) -> bool {
    v.strip_prefix(prefix)
        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| ID_DIGITS.contains(c)))
}

/// Whether every value of `key_lc` is a non-empty, lower-case resource id.
pub(crate) fn lower_case_only(key_lc: &str) -> bool {
    id_prefix(key_lc).is_some()
}

const MAX_REGIONS: usize = 64;
const MAX_SET_BASE: usize = 8;

/// The abstract values of one key.
#[derive(Debug, Clone)]
pub(crate) struct Domain {
    /// `None` = absent; `Some(values)` = present with these values.
    pub values: Vec<Option<Vec<String>>>,
    /// Why the representatives may not cover every value (see the module docs).
    pub imprecise: Option<String>,
    /// The key is treated as multivalued (used with a set operator, not known single-valued).
    pub multi: bool,
    /// The string questions the regions are made of, when every clause on the key is a
    /// string (or `Null`) clause: then two values answer every clause alike iff they answer
    /// these alike. `None` when the key is also compared with other kinds of operator.
    atoms: Option<Vec<StrAtom>>,
}

impl Domain {
    /// Patterns, each with the answer `rep` gives, that together describe the region of
    /// `rep`: every string answering each pattern as `rep` does answers every clause on the
    /// key as `rep` does. `None` when the regions are not made of string questions only.
    pub(crate) fn region_of(&self, rep: &str) -> Option<Vec<(Glob, bool)>> {
        self.atoms
            .as_ref()?
            .iter()
            .map(|a| Some((a.glob()?, a.holds(rep)?)))
            .collect()
    }
}

/// A question about a string value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum StrAtom {
    Eq(String),
    EqIc(String),
    Like(Pat),
    Arn(Pat),
}

impl StrAtom {
    /// Same functions the evaluator uses; `None` if not decidable (reserved characters).
    fn holds(&self, v: &str) -> Option<bool> {
        match self {
            StrAtom::Eq(s) => Some(s == v),
            StrAtom::EqIc(s) => glob_match(&pat_literal(s), v, true),
            StrAtom::Like(p) => glob_match(p, v, false),
            StrAtom::Arn(p) => arn_like(p, v),
        }
    }

    fn glob(&self) -> Option<Glob> {
        match self {
            StrAtom::Eq(s) => Some(Glob::literal(s)),
            StrAtom::EqIc(s) => Some(Glob::whole(&pat_literal(s), true)),
            StrAtom::Like(p) => Some(Glob::whole(p, false)),
            StrAtom::Arn(p) => Glob::arn_condition(p),
        }
    }
}

/// The text of a template that has no variables.
fn plain_text(t: &Template) -> Option<String> {
    if t.unsupported.is_some() {
        return None;
    }
    let mut s = String::new();
    for p in &t.pieces {
        match p {
            Piece::Text(x) => s.push_str(x),
            Piece::Literal(c) => s.push(*c),
            Piece::Var(_) => return None,
        }
    }
    Some(s)
}

/// The pattern of a wildcard template that has no variables.
fn plain_pat(t: &Template) -> Option<Pat> {
    if t.unsupported.is_some() {
        return None;
    }
    let mut pat = Pat::new();
    for p in &t.pieces {
        match p {
            Piece::Text(x) => pat.extend(pat_wild(x)),
            Piece::Literal(c) => pat.push(PChar::Lit(*c)),
            Piece::Var(_) => return None,
        }
    }
    Some(pat)
}

/// Builds the domain of `key_lc` from every clause on it. `extra_equals` adds
/// "equals X" questions (the approved endpoints, for `aws:SourceVpce`). The witness searches
/// for representatives are charged to `budget`.
pub(crate) fn build_domain(
    key_lc: &str,
    conds: &[&Condition],
    extra_equals: &[String],
    budget: &Budget,
) -> Domain {
    let mut families = BTreeSet::new();
    let mut set_ops = false;
    let mut null_clause = false;
    let mut str_atoms: Vec<StrAtom> = extra_equals.iter().cloned().map(StrAtom::Eq).collect();
    let mut nums = Vec::new();
    let mut dates = Vec::new();
    let mut nets = Vec::new();
    for c in conds {
        let Ok(op) = &c.op else { continue };
        let family = op.test.family();
        if family == Family::Null {
            null_clause = true;
            continue;
        }
        families.insert(family);
        set_ops |= op.set.is_some();
        for v in &c.values {
            match op.test {
                Test::StrEq => str_atoms.extend(plain_text(v).map(StrAtom::Eq)),
                Test::StrEqIc => str_atoms.extend(plain_text(v).map(StrAtom::EqIc)),
                Test::StrLike => str_atoms.extend(plain_pat(v).map(StrAtom::Like)),
                Test::Arn => str_atoms.extend(
                    plain_pat(v)
                        .filter(|p| Glob::arn_condition(p).is_some())
                        .map(StrAtom::Arn),
                ),
                Test::NumEq | Test::NumLt | Test::NumLe | Test::NumGt | Test::NumGe => {
                    nums.extend(plain_text(v).as_deref().and_then(parse_number))
                }
                Test::DateEq | Test::DateLt | Test::DateLe | Test::DateGt | Test::DateGe => {
                    dates.extend(plain_text(v).as_deref().and_then(parse_date))
                }
                Test::Ip => nets.extend(plain_text(v).as_deref().and_then(parse_net)),
                Test::Bool | Test::Null => {}
            }
        }
    }
    let mut imprecise = None;
    if families.is_empty() {
        families.insert(Family::String);
    }
    if families.len() > 1 {
        imprecise = Some(format!(
            "{key_lc} is compared with operators of different kinds ({families:?})"
        ));
    }
    // The empty string is an empty data set for set operators, and ambiguous for `Null` on
    // a key that is not documented single-valued (see `condition::eval_condition`).
    // And for `iot:ClientId`, which is also `iot:Connect`'s resource name: an empty client id
    // is never a counterexample (`proof::EMPTY_CLIENT_ID`), so it must not be the one value
    // standing for non-empty ids that answer every question alike (`StringNotLike "o*"`).
    // Without string questions there is one region, whose representative is `other`.
    let empty_apart = set_ops
        || (null_clause && !known_single(key_lc))
        || (key_lc == "iot:clientid" && !str_atoms.is_empty());
    if empty_apart && !lower_case_only(key_lc) {
        str_atoms.push(StrAtom::Eq(String::new()));
    }
    let str_atoms = dedup_atoms(&str_atoms);
    let atoms = (families.iter().all(|f| *f == Family::String)).then(|| str_atoms.clone());
    let mut reps: Vec<String> = Vec::new();
    for family in &families {
        let family_reps = match family {
            Family::String => match string_reps(key_lc, &str_atoms, budget) {
                Ok(r) => r,
                Err((why, partial)) => {
                    imprecise.get_or_insert(why);
                    partial
                }
            },
            Family::Numeric => number_reps(&nums),
            Family::Date => date_reps(&dates),
            Family::Ip => ip_reps(&nets),
            Family::Bool => vec!["true".to_string(), "false".to_string()],
            Family::Null => Vec::new(),
        };
        for r in family_reps {
            if !reps.contains(&r) {
                reps.push(r);
            }
        }
    }

    let multi = set_ops && !known_single(key_lc);
    let mut values: Vec<Option<Vec<String>>> = vec![None];
    if multi {
        // Present with no values (IAM: "resolve to an empty data set").
        values.push(Some(Vec::new()));
    }
    if multi && reps.len() <= MAX_SET_BASE {
        for mask in 1u32..(1u32 << reps.len()) {
            let set: Vec<String> = reps
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, r)| r.clone())
                .collect();
            values.push(Some(set));
        }
    } else {
        if multi {
            imprecise.get_or_insert(format!(
                "{key_lc} is multivalued with too many distinct values to enumerate its sets"
            ));
            values.push(Some(reps.clone()));
        }
        values.extend(reps.into_iter().map(|r| Some(vec![r])));
    }
    Domain {
        values,
        imprecise,
        multi,
        atoms,
    }
}

/// The distinct questions that can be decided (atoms with reserved characters are left to
/// the evaluator, which answers "unknown" for them).
fn dedup_atoms(atoms: &[StrAtom]) -> Vec<StrAtom> {
    let mut out: Vec<StrAtom> = Vec::new();
    for a in atoms {
        if a.holds("").is_some() && a.glob().is_some() && !out.contains(a) {
            out.push(a.clone());
        }
    }
    out
}

/// One representative per satisfiable combination of the (deduplicated) string questions;
/// only resource ids for [`id_prefix`] keys.
/// `Err` carries why the split was abandoned and the representatives found so far.
fn string_reps(
    key_lc: &str,
    atoms: &[StrAtom],
    budget: &Budget,
) -> Result<Vec<String>, (String, Vec<String>)> {
    let id = id_prefix(key_lc);
    let mut candidates = candidates(key_lc, atoms);
    if let Some(prefix) = id {
        candidates.retain(|c| is_id(prefix, c));
    }

    struct Region {
        cons: Vec<(usize, bool)>,
        rep: String,
    }
    let mut regions = vec![Region {
        cons: Vec::new(),
        rep: candidates[0].clone(),
    }];
    let reps_of = |regions: &[Region]| regions.iter().map(|r| r.rep.clone()).collect::<Vec<_>>();
    for (ai, atom) in atoms.iter().enumerate() {
        let mut next = Vec::new();
        for r in &regions {
            let holds = atom.holds(&r.rep).unwrap_or(false);
            let mut keep = r.cons.clone();
            keep.push((ai, holds));
            let mut other = r.cons.clone();
            other.push((ai, !holds));
            next.push(Region {
                cons: keep,
                rep: r.rep.clone(),
            });
            match find_rep(atoms, &other, &candidates, id, budget) {
                Ok(Some(rep)) => next.push(Region { cons: other, rep }),
                Ok(None) => {}
                Err(why) => return Err((why, reps_of(&regions))),
            }
        }
        regions = next;
        if regions.len() > MAX_REGIONS {
            return Err((
                format!("{key_lc} has more than {MAX_REGIONS} distinguishable kinds of value"),
                reps_of(&regions),
            ));
        }
    }
    Ok(reps_of(&regions))
}

fn satisfies(atoms: &[StrAtom], cons: &[(usize, bool)], v: &str) -> bool {
    cons.iter()
        .all(|(ai, want)| atoms[*ai].holds(v) == Some(*want))
}

/// A value satisfying every constraint (an id with that prefix if `id`), or `None` if
/// there is none. `candidates` are already such ids if `id`.
fn find_rep(
    atoms: &[StrAtom],
    cons: &[(usize, bool)],
    candidates: &[String],
    id: Option<&str>,
    budget: &Budget,
) -> Result<Option<String>, String> {
    if let Some(c) = candidates.iter().find(|c| satisfies(atoms, cons, c)) {
        return Ok(Some(c.clone()));
    }
    let mut globs = Vec::with_capacity(cons.len() + 1);
    let mut req = Vec::with_capacity(cons.len() + 1);
    for (i, (ai, want)) in cons.iter().enumerate() {
        globs.push(
            atoms[*ai]
                .glob()
                .ok_or_else(|| "a condition pattern could not be compiled".to_string())?,
        );
        req.push(if *want {
            Req::var(i)
        } else {
            Req::not(Req::var(i))
        });
    }
    let chars = match id {
        // An id: the prefix, at least one digit, and no prefix letter that is not a digit
        // after it, over the id characters only (see `ID_KEYS`).
        Some(prefix) => {
            globs.push(Glob::whole(&pat_wild(&format!("{prefix}?*")), false));
            req.push(Req::var(globs.len() - 1));
            for c in ID_CHARS.chars().filter(|c| !ID_DIGITS.contains(*c)) {
                globs.push(Glob::whole(&pat_wild(&format!("{prefix}*{c}*")), false));
                req.push(Req::not(Req::var(globs.len() - 1)));
            }
            Chars::Only(ID_CHARS)
        }
        None => Chars::Any,
    };
    let req = Req::all(req);
    let found = find_witness_in(&globs, &req, budget, chars)
        .map_err(|why| format!("condition values are too complex to enumerate ({why})"))?;
    match found {
        Some(v) if satisfies(atoms, cons, &v) && id.is_none_or(|p| is_id(p, &v)) => Ok(Some(v)),
        Some(v) => Err(format!(
            "internal: witness {v:?} does not satisfy the condition patterns"
        )),
        None => Ok(None),
    }
}

/// Readable values tried before the exact search.
fn candidates(key_lc: &str, atoms: &[StrAtom]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    // A realistic id that no policy is likely to name (ids are 17 hex digits today).
    push(match id_prefix(key_lc) {
        Some(prefix) => format!("{prefix}0ffffffffffffffff"),
        None => "other".to_string(),
    });
    for a in atoms {
        match a {
            StrAtom::Eq(s) | StrAtom::EqIc(s) => {
                push(s.clone());
                push(s.to_uppercase());
                push(s.to_lowercase());
                let mut chars = s.chars();
                if let Some(first) = chars.next() {
                    let swapped: String = if first.is_uppercase() {
                        first.to_lowercase().chain(chars).collect()
                    } else {
                        first.to_uppercase().chain(chars).collect()
                    };
                    push(swapped);
                }
            }
            StrAtom::Like(p) | StrAtom::Arn(p) => {
                for star in ["x", ""] {
                    let s: String = p
                        .iter()
                        .map(|c| match c {
                            PChar::Lit(c) => c.to_string(),
                            PChar::One => "x".to_string(),
                            PChar::Star => star.to_string(),
                        })
                        .collect();
                    push(s);
                }
            }
        }
    }
    out
}

fn fmt_num(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Below the smallest constant, each constant, between neighbours, above the largest.
fn number_reps(nums: &[f64]) -> Vec<String> {
    let mut cs: Vec<f64> = nums.to_vec();
    cs.sort_by(|a, b| a.total_cmp(b));
    cs.dedup();
    let Some((&first, &last)) = cs.first().zip(cs.last()) else {
        return vec!["0".to_string()];
    };
    let mut reps = vec![first - 1.0];
    for w in cs.windows(2) {
        reps.push(w[0]);
        reps.push(w[0] + (w[1] - w[0]) / 2.0);
    }
    reps.push(last);
    reps.push(last + 1.0);
    let mut out: Vec<String> = Vec::new();
    for r in reps {
        let s = fmt_num(r);
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

fn date_reps(dates: &[i64]) -> Vec<String> {
    let mut cs = dates.to_vec();
    cs.sort();
    cs.dedup();
    let Some((&first, &last)) = cs.first().zip(cs.last()) else {
        return vec![format_date(0)];
    };
    let mut reps = vec![first.saturating_sub(1000)];
    for w in cs.windows(2) {
        reps.push(w[0]);
        let mid = w[0] + (w[1] - w[0]) / 2;
        if mid != w[0] {
            reps.push(mid);
        }
    }
    reps.push(last);
    reps.push(last.saturating_add(1000));
    let mut out: Vec<String> = Vec::new();
    for r in reps {
        let s = format_date(r);
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// Network boundaries and their neighbours cover every combination of CIDR membership:
/// CIDR blocks are nested or disjoint, so each gap starts at a block's first address or
/// just after a block.
fn ip_reps(nets: &[IpNet]) -> Vec<String> {
    let mut cands: Vec<IpAddr> = vec![
        IpAddr::V4(Ipv4Addr::new(203, 0, 113, 7)),
        IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 7)),
        IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    ];
    for n in nets {
        let (lo, hi) = (n.network(), n.broadcast());
        cands.push(lo);
        cands.push(hi);
        cands.extend(offset(lo, -1));
        cands.extend(offset(hi, 1));
    }
    let mut seen: Vec<Vec<bool>> = Vec::new();
    let mut out = Vec::new();
    for c in cands {
        let sig: Vec<bool> = nets.iter().map(|n| n.contains(&c)).collect();
        if !seen.contains(&sig) {
            seen.push(sig);
            out.push(c.to_string());
        }
    }
    out
}

fn offset(a: IpAddr, by: i8) -> Option<IpAddr> {
    match a {
        IpAddr::V4(v) => {
            let n = u32::from(v);
            let n = if by < 0 {
                n.checked_sub(1)?
            } else {
                n.checked_add(1)?
            };
            Some(IpAddr::V4(n.into()))
        }
        IpAddr::V6(v) => {
            let n = u128::from(v);
            let n = if by < 0 {
                n.checked_sub(1)?
            } else {
                n.checked_add(1)?
            };
            Some(IpAddr::V6(n.into()))
        }
    }
}
