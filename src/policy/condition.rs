//! Condition operators and their evaluation on a concrete request context.
//!
//! Semantics follow the IAM User Guide ("IAM JSON policy elements: Condition operators",
//! "Single-valued vs. multivalued context keys", "Creating a condition with multiple keys
//! or values", "Multivalued context key examples", "IAM policy elements: Variables and
//! tags"):
//! - a `Condition` block is the AND of its operators, each operator block is the AND of its
//!   keys, and the values listed for one key are ORed; for a negated operator
//!   (`StringNotEquals`, `NotIpAddress`, ...) the clause holds when the request value matches
//!   *none* of the listed values;
//! - condition keys are case-insensitive; string values are compared case-sensitively except
//!   by the `...IgnoreCase` operators; `StringLike` and the `Arn*` operators take `*`/`?`;
//! - a key that is missing from the request makes a positive operator false and a negated
//!   operator **true** ("If the key that you specify in a policy condition is not present in
//!   the request context, the values do not match" — and a "not match" operator then holds);
//! - `...IfExists` makes the clause true when the key is missing — which is why
//!   `StringEqualsIfExists aws:SourceVpce` admits a request through the public endpoint,
//!   where `aws:SourceVpce` is absent;
//! - `Null: true` holds when the key is missing, `Null: false` when it is present;
//! - `ForAllValues:` holds when every request value satisfies the operator, *including when
//!   the key is missing or its values resolve to an empty data set* ("such as an empty
//!   string"); `ForAnyValue:` holds when at least one does, so it is *false* when the key is
//!   missing or empty ("For no matching key or a null dataset, the condition returns
//!   false") — a Deny written with `ForAnyValue:StringNotEquals aws:SourceVpce` therefore
//!   never fires for a request without `aws:SourceVpce`;
//! - `IfExists` on a set operator does not change that: the set operators' own rule for a
//!   missing key decides, so `ForAnyValue:StringNotEqualsIfExists` is still false without the
//!   key (IfExists applies to each request value, and there is none). A request that AWS
//!   denied under `ForAnyValue:StringEqualsIfExists` with the key absent is reported on AWS
//!   re:Post ("ForAnyValue:StringEqualsIfExists behaving unexpectedly");
//! - a multivalued key must be used with a set operator; without one this crate answers
//!   "unknown" for a request carrying several values;
//! - a policy variable whose key has no value makes that condition value match nothing
//!   ("Policy variables with no value": `StringEquals`/`StringLike` do not match, the negated
//!   operators do), unless it has a default (`${key, 'default'}`).
//!
//! Where two documented readings apply to one request and disagree, the answer is
//! `Unknown` (see [`eval_condition`] for the cases: a key present with no values under a
//! plain operator, an empty string among several values of a set, an empty string under
//! `Null` for a key not documented single-valued, and a substituted value containing
//! `*`/`?` in a wildcard operator). The full table is in `tests.rs` (`condition_table`).
//!
//! Everything returns a three-valued [`Tri`]: `Unknown` stands for "this crate cannot tell"
//! (an unsupported operator, an unparsable date, a multivalued key used as a variable).
use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

use ipnet::IpNet;

use super::document::{Condition, Piece, Template};
use super::glob::{arn_like, glob_match, pat_literal, PChar, Pat};

/// A request context: lower-cased condition key → its values. A key that is not in the
/// map is absent from the request; single-valued keys have exactly one value.
pub type Context = BTreeMap<String, Vec<String>>;

/// Three-valued truth (Kleene logic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    pub fn from_bool(b: bool) -> Tri {
        if b {
            Tri::True
        } else {
            Tri::False
        }
    }

    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::True, Tri::True) => Tri::True,
            _ => Tri::Unknown,
        }
    }

    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::True, _) | (_, Tri::True) => Tri::True,
            (Tri::False, Tri::False) => Tri::False,
            _ => Tri::Unknown,
        }
    }

    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }
}

impl fmt::Display for Tri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Tri::True => "true",
            Tri::False => "false",
            Tri::Unknown => "unknown",
        })
    }
}

/// `ForAllValues:` / `ForAnyValue:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOp {
    ForAllValues,
    ForAnyValue,
}

/// The positive test behind an operator (`StringNotEquals` tests `StrEq`, negated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Test {
    StrEq,
    StrEqIc,
    StrLike,
    Arn,
    NumEq,
    NumLt,
    NumLe,
    NumGt,
    NumGe,
    DateEq,
    DateLt,
    DateLe,
    DateGt,
    DateGe,
    Bool,
    Ip,
    Null,
}

/// The kind of value an operator compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    String,
    Numeric,
    Date,
    Bool,
    Ip,
    Null,
}

impl Test {
    pub fn family(self) -> Family {
        match self {
            Test::StrEq | Test::StrEqIc | Test::StrLike | Test::Arn => Family::String,
            Test::NumEq | Test::NumLt | Test::NumLe | Test::NumGt | Test::NumGe => Family::Numeric,
            Test::DateEq | Test::DateLt | Test::DateLe | Test::DateGt | Test::DateGe => {
                Family::Date
            }
            Test::Bool => Family::Bool,
            Test::Ip => Family::Ip,
            Test::Null => Family::Null,
        }
    }

    /// Whether the operator's values are wildcard patterns.
    pub fn wildcards(self) -> bool {
        matches!(self, Test::StrLike | Test::Arn)
    }
}

/// A parsed condition operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operator {
    pub set: Option<SetOp>,
    pub test: Test,
    pub negated: bool,
    pub if_exists: bool,
}

const OPERATORS: &[(&str, Test, bool)] = &[
    ("StringEquals", Test::StrEq, false),
    ("StringNotEquals", Test::StrEq, true),
    ("StringEqualsIgnoreCase", Test::StrEqIc, false),
    ("StringNotEqualsIgnoreCase", Test::StrEqIc, true),
    ("StringLike", Test::StrLike, false),
    ("StringNotLike", Test::StrLike, true),
    ("NumericEquals", Test::NumEq, false),
    ("NumericNotEquals", Test::NumEq, true),
    ("NumericLessThan", Test::NumLt, false),
    ("NumericLessThanEquals", Test::NumLe, false),
    ("NumericGreaterThan", Test::NumGt, false),
    ("NumericGreaterThanEquals", Test::NumGe, false),
    ("DateEquals", Test::DateEq, false),
    ("DateNotEquals", Test::DateEq, true),
    ("DateLessThan", Test::DateLt, false),
    ("DateLessThanEquals", Test::DateLe, false),
    ("DateGreaterThan", Test::DateGt, false),
    ("DateGreaterThanEquals", Test::DateGe, false),
    ("Bool", Test::Bool, false),
    ("IpAddress", Test::Ip, false),
    ("NotIpAddress", Test::Ip, true),
    ("ArnEquals", Test::Arn, false),
    ("ArnLike", Test::Arn, false),
    ("ArnNotEquals", Test::Arn, true),
    ("ArnNotLike", Test::Arn, true),
    ("Null", Test::Null, false),
];

/// Parses an operator name such as `ForAnyValue:StringNotEqualsIfExists`. Operators this
/// crate does not model (e.g. `BinaryEquals`, misspellings, other letter case) are `Err`
/// with a reason; they make the statement's condition unknown.
pub fn parse_operator(name: &str) -> Result<Operator, String> {
    let (set, rest) = if let Some(rest) = name.strip_prefix("ForAllValues:") {
        (Some(SetOp::ForAllValues), rest)
    } else if let Some(rest) = name.strip_prefix("ForAnyValue:") {
        (Some(SetOp::ForAnyValue), rest)
    } else {
        (None, name)
    };
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(base) => (base, true),
        None => (rest, false),
    };
    let Some(&(_, test, negated)) = OPERATORS.iter().find(|(n, _, _)| *n == base) else {
        return Err(format!("condition operator {name:?} is not supported"));
    };
    if test == Test::Null && (if_exists || set.is_some()) {
        return Err(format!(
            "condition operator {name:?} is not a valid form of Null"
        ));
    }
    Ok(Operator {
        set,
        test,
        negated,
        if_exists,
    })
}

/// Lower-cased keys that are documented as single-valued (IAM "AWS global condition context
/// keys"; AWS IoT Core policy variables). A set operator on them sees a one-element set.
pub(crate) const KNOWN_SINGLE: &[&str] = &[
    "aws:sourcevpce",
    "aws:sourcevpc",
    "aws:vpcsourceip",
    "aws:sourceip",
    "aws:securetransport",
    "aws:currenttime",
    "aws:epochtime",
    "aws:principalarn",
    "aws:principalaccount",
    "aws:principalorgid",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:userid",
    "aws:username",
    "aws:requestedregion",
    "iot:clientid",
    "iot:connection.thing.thingname",
    "iot:connection.thing.thingtypename",
    "iot:connection.thing.isattached",
];

/// Whether `key_lc` is documented single-valued ([`KNOWN_SINGLE`]).
pub(crate) fn known_single(key_lc: &str) -> bool {
    KNOWN_SINGLE.contains(&key_lc)
}

/// A template after policy-variable substitution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// A policy variable without a value and without a default: the value is "effectively
    /// null", nothing is equal to or like it (IAM "Policy variables with no value").
    Null,
    /// The pattern (`*`/`?` are wildcards only for wildcard operators). Substituted text is
    /// literal in `lit`; when it contains `*` or `?` in a wildcard position, `wild` is the
    /// other reading, with those characters as wildcards: AWS documents that the variable
    /// "is replaced in the policy document" by the value (AWS IoT Core policy variables),
    /// not whether a wildcard in the value then acts as one.
    Pat { lit: Pat, wild: Option<Pat> },
}

/// Resolves a template against a request context. `Err` says why it cannot be resolved
/// (variable syntax this crate does not understand, a multivalued key as a variable).
pub(crate) fn resolve(t: &Template, ctx: &Context, wildcards: bool) -> Result<Resolved, String> {
    if let Some(why) = &t.unsupported {
        return Err(why.clone());
    }
    let mut lit = Pat::new();
    let mut wild = Pat::new();
    let mut ambiguous = false;
    for piece in &t.pieces {
        match piece {
            Piece::Text(s) if wildcards => {
                let p = super::glob::pat_wild(s);
                lit.extend(p.iter().copied());
                wild.extend(p);
            }
            Piece::Text(s) => {
                lit.extend(pat_literal(s));
                wild.extend(pat_literal(s));
            }
            Piece::Literal(c) => {
                lit.push(PChar::Lit(*c));
                wild.push(PChar::Lit(*c));
            }
            Piece::Var(v) => {
                let text = match ctx.get(&v.key_lc).map(Vec::as_slice) {
                    Some([one]) => one.as_str(),
                    Some([]) | None => match &v.default {
                        Some(d) => d.as_str(),
                        None => return Ok(Resolved::Null),
                    },
                    Some(_) => {
                        return Err(format!(
                            "policy variable ${{{}}} refers to a multivalued key (IAM: a \
                             multivalued key cannot be a policy variable)",
                            v.name
                        ))
                    }
                };
                lit.extend(pat_literal(text));
                if wildcards && text.contains(['*', '?']) {
                    ambiguous = true;
                    wild.extend(super::glob::pat_wild(text));
                } else {
                    wild.extend(pat_literal(text));
                }
            }
        }
    }
    Ok(Resolved::Pat {
        lit,
        wild: ambiguous.then_some(wild),
    })
}

/// Evaluates `test` on both readings of `r` (see [`Resolved`]): `Unknown` if they disagree.
pub(crate) fn test_resolved(r: &Resolved, test: &dyn Fn(&[PChar]) -> Tri) -> Tri {
    match r {
        Resolved::Null => Tri::False,
        Resolved::Pat { lit, wild } => {
            let a = test(lit);
            match wild {
                Some(w) if test(w) != a => Tri::Unknown,
                _ => a,
            }
        }
    }
}

/// A problem with the clause itself, whatever the request: an unsupported operator, no
/// values, or a value that is not valid for the operator (`Bool` with `"yes"`, an
/// unparsable date or CIDR, an ARN pattern without six components).
pub fn static_problem(cond: &Condition) -> Option<String> {
    let op = match &cond.op {
        Err(why) => return Some(why.clone()),
        Ok(op) => op,
    };
    let head = || format!("{} on {}", cond.operator, cond.key);
    if cond.values.is_empty() {
        return Some(format!("{}: the condition lists no values", head()));
    }
    for v in &cond.values {
        if let Some(why) = &v.unsupported {
            return Some(format!("{}: {why}", head()));
        }
        if v.has_vars() {
            continue;
        }
        let Ok(Resolved::Pat { lit: pat, .. }) = resolve(v, &Context::new(), op.test.wildcards())
        else {
            continue;
        };
        let text = pat_text(&pat);
        let t = text.as_deref();
        let (valid, kind) = match op.test.family() {
            Family::Numeric => (t.and_then(parse_number).is_some(), "number"),
            Family::Date => (t.and_then(parse_date).is_some(), "date"),
            Family::Bool | Family::Null => (t.and_then(parse_bool).is_some(), "\"true\"/\"false\""),
            Family::Ip => (t.and_then(parse_net).is_some(), "IP address or CIDR"),
            Family::String if op.test == Test::Arn => (
                super::glob::Glob::arn_condition(&pat).is_some(),
                "ARN pattern with six components",
            ),
            Family::String => (true, ""),
        };
        if !valid {
            return Some(format!("{}: {:?} is not a valid {kind}", head(), v.raw));
        }
    }
    None
}

fn pat_text(pat: &[PChar]) -> Option<String> {
    pat.iter()
        .map(|p| match p {
            PChar::Lit(c) => Some(*c),
            _ => None,
        })
        .collect()
}

/// The result of evaluating one clause, with an explanation.
#[derive(Debug, Clone)]
pub struct ClauseResult {
    pub tri: Tri,
    pub detail: String,
}

/// How the key looks in the request, for explanations.
pub(crate) fn describe_key(key: &str, value: Option<&Vec<String>>) -> String {
    match value.map(Vec::as_slice) {
        None => format!("{key} is absent"),
        Some([]) => format!("{key} is present with no values"),
        Some([one]) => format!("{key} is {one:?}"),
        Some(many) => format!("{key} is {many:?}"),
    }
}

/// The result of a clause on a request without the key (IAM "Condition operators":
/// positive operators do not match, negated ones do, `...IfExists` holds; the set operators'
/// rule for a missing key: `ForAllValues` true, `ForAnyValue` false).
fn absent_result(op: &Operator) -> (Tri, &'static str) {
    match op.set {
        Some(SetOp::ForAllValues) => (Tri::True, "the key is absent (ForAllValues)"),
        Some(SetOp::ForAnyValue) => (Tri::False, "the key is absent (ForAnyValue)"),
        None if op.if_exists => (Tri::True, "the key is absent (IfExists)"),
        None if op.negated => (Tri::True, "the key is absent (negated operator)"),
        None => (Tri::False, "the key is absent"),
    }
}

/// Evaluates one condition clause against a request context.
///
/// The request value of the key is one of: absent; present with no values (an empty set,
/// only for a multivalued key); one value; several values. Beyond the documented rules (see
/// the module docs), these cases have two readings and are `Unknown` where the readings
/// disagree:
/// - a plain (non-set) operator on a key present with no values: "absent", or "present and
///   no value matches" (so `StringEqualsIfExists` is unknown, `StringEquals` false,
///   `StringNotEquals` true);
/// - a set operator on several values one of which is the empty string: with the empty
///   string as a member, or dropped as an empty data set; a single empty string is the
///   documented empty data set;
/// - `Null` on a single empty string, for a key not documented single-valued: "the key
///   exists", or an "empty value" (which `Null: false` is documented to catch).
pub fn eval_condition(cond: &Condition, ctx: &Context) -> ClauseResult {
    // Explanations are only needed when the clause does not simply hold.
    let tri_detail = |tri: Tri, why: &dyn Fn() -> String| ClauseResult {
        tri,
        detail: if tri == Tri::True {
            String::new()
        } else {
            format!("{} on {} is {tri}: {}", cond.operator, cond.key, why())
        },
    };
    let op = match &cond.op {
        Ok(op) => *op,
        Err(why) => {
            return ClauseResult {
                tri: Tri::Unknown,
                detail: why.clone(),
            }
        }
    };
    if cond.values.is_empty() {
        return tri_detail(Tri::Unknown, &|| {
            "the condition lists no values".to_string()
        });
    }
    let value = ctx.get(&cond.key_lc);
    let described = || describe_key(&cond.key, value);
    let values: Option<&[String]> = value.map(Vec::as_slice);

    if op.test == Test::Null {
        let null = match values {
            None | Some([]) => Tri::True,
            Some([one]) if one.is_empty() && !known_single(&cond.key_lc) => Tri::Unknown,
            Some(_) => Tri::False,
        };
        let mut tri = Tri::False;
        for t in &cond.values {
            let text = match resolve(t, ctx, false) {
                Ok(Resolved::Pat { lit, .. }) => pat_text(&lit),
                _ => None,
            };
            let want_absent = match text {
                Some(s) if s.eq_ignore_ascii_case("true") => Tri::True,
                Some(s) if s.eq_ignore_ascii_case("false") => Tri::False,
                _ => Tri::Unknown,
            };
            // Null:true holds when absent; Null:false when present.
            let holds = match want_absent {
                Tri::True => null,
                Tri::False => null.not(),
                Tri::Unknown => Tri::Unknown,
            };
            tri = tri.or(holds);
        }
        return tri_detail(tri, &described);
    }

    let single = |v: &str| -> Tri {
        let mut any = Tri::False;
        for t in &cond.values {
            let m = match resolve(t, ctx, op.test.wildcards()) {
                Ok(r) => test_resolved(&r, &|pat| test_value(op.test, v, pat)),
                Err(_) => Tri::Unknown,
            };
            any = any.or(m);
        }
        if op.negated {
            any.not()
        } else {
            any
        }
    };

    let Some(values) = values else {
        let (tri, why) = absent_result(&op);
        return tri_detail(tri, &|| format!("{}; {why}", described()));
    };
    let tri = match op.set {
        None => match values {
            [] => {
                let (absent, _) = absent_result(&op);
                let present = Tri::from_bool(op.negated);
                if absent == present {
                    absent
                } else {
                    Tri::Unknown
                }
            }
            [one] => single(one),
            _ => {
                return tri_detail(Tri::Unknown, &|| {
                    format!(
                        "{}; a multivalued key needs ForAllValues/ForAnyValue",
                        described()
                    )
                })
            }
        },
        Some(set) => {
            let over = |vals: &mut dyn Iterator<Item = &String>| -> Tri {
                match set {
                    SetOp::ForAllValues => vals.fold(Tri::True, |acc, v| acc.and(single(v))),
                    SetOp::ForAnyValue => vals.fold(Tri::False, |acc, v| acc.or(single(v))),
                }
            };
            let empty = Tri::from_bool(set == SetOp::ForAllValues);
            match values {
                [] => empty,
                [one] if one.is_empty() => empty,
                _ => {
                    let with = over(&mut values.iter());
                    if values.iter().any(String::is_empty) {
                        let mut rest = values.iter().filter(|v| !v.is_empty()).peekable();
                        let without = if rest.peek().is_none() {
                            empty
                        } else {
                            over(&mut rest)
                        };
                        if with == without {
                            with
                        } else {
                            Tri::Unknown
                        }
                    } else {
                        with
                    }
                }
            }
        }
    };
    tri_detail(tri, &described)
}

/// The positive test of one request value against one (resolved) condition value.
pub(crate) fn test_value(test: Test, v: &str, pat: &[PChar]) -> Tri {
    let text = || pat_text(pat);
    let opt = |o: Option<bool>| o.map_or(Tri::Unknown, Tri::from_bool);
    match test {
        Test::StrEq => opt(text().map(|t| t == v)),
        Test::StrEqIc => match text() {
            Some(t) => opt(glob_match(&pat_literal(&t), v, true)),
            None => Tri::Unknown,
        },
        Test::StrLike => opt(glob_match(pat, v, false)),
        Test::Arn => opt(arn_like(pat, v)),
        Test::NumEq | Test::NumLt | Test::NumLe | Test::NumGt | Test::NumGe => {
            let (Some(a), Some(b)) = (parse_number(v), text().as_deref().and_then(parse_number))
            else {
                return Tri::Unknown;
            };
            Tri::from_bool(compare(test, a.partial_cmp(&b)))
        }
        Test::DateEq | Test::DateLt | Test::DateLe | Test::DateGt | Test::DateGe => {
            let (Some(a), Some(b)) = (parse_date(v), text().as_deref().and_then(parse_date)) else {
                return Tri::Unknown;
            };
            Tri::from_bool(compare(test, Some(a.cmp(&b))))
        }
        Test::Bool => {
            let (Some(a), Some(b)) = (parse_bool(v), text().as_deref().and_then(parse_bool)) else {
                return Tri::Unknown;
            };
            Tri::from_bool(a == b)
        }
        Test::Ip => {
            let (Ok(addr), Some(net)) =
                (v.parse::<IpAddr>(), text().as_deref().and_then(parse_net))
            else {
                return Tri::Unknown;
            };
            Tri::from_bool(net.contains(&addr))
        }
        Test::Null => Tri::Unknown,
    }
}

fn compare(test: Test, ord: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::*;
    let Some(ord) = ord else { return false };
    match test {
        Test::NumEq | Test::DateEq => ord == Equal,
        Test::NumLt | Test::DateLt => ord == Less,
        Test::NumLe | Test::DateLe => ord != Greater,
        Test::NumGt | Test::DateGt => ord == Greater,
        Test::NumGe | Test::DateGe => ord != Less,
        _ => false,
    }
}

pub(crate) fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.'))
    {
        return None;
    }
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// An `IpAddress` value: a CIDR block, or a bare address meaning a single host.
pub(crate) fn parse_net(s: &str) -> Option<IpNet> {
    let s = s.trim();
    s.parse::<IpNet>()
        .ok()
        .or_else(|| s.parse::<IpAddr>().ok().map(IpNet::from))
}

/// A date for the `Date*` operators, as milliseconds since the Unix epoch: ISO 8601
/// (`2024-01-31`, `2024-01-31T12:00:00Z`, with optional fraction and `±hh:mm` offset)
/// or epoch seconds (`1706702400`), the two forms IAM accepts.
pub(crate) fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse::<i64>().ok()?.checked_mul(1000);
    }
    let (date, time) = match s.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut parts = date.split('-');
    let y: i64 = parse_digits(parts.next()?, 4)?;
    let m: u32 = parse_digits(parts.next()?, 2)? as u32;
    let d: u32 = parse_digits(parts.next()?, 2)? as u32;
    if parts.next().is_some() || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    let mut ms = days_from_civil(y, m, d) * 86_400_000;
    if let Some(time) = time {
        let (clock, offset_ms) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
            (c, 0)
        } else if let Some(pos) = time.rfind(['+', '-']) {
            let (c, off) = time.split_at(pos);
            let sign = if off.starts_with('-') { -1 } else { 1 };
            let (oh, om) = off[1..].split_once(':').unwrap_or((&off[1..], "00"));
            let (oh, om) = (parse_digits(oh, 2)?, parse_digits(om, 2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            (c, sign * (oh * 3600 + om * 60) * 1000)
        } else {
            (time, 0)
        };
        let (hms, frac) = match clock.split_once('.') {
            Some((hms, frac)) => (hms, Some(frac)),
            None => (clock, None),
        };
        let mut hms = hms.split(':');
        let h = parse_digits(hms.next()?, 2)?;
        let mi = parse_digits(hms.next()?, 2)?;
        let sec = match hms.next() {
            Some(sec) => parse_digits(sec, 2)?,
            None => 0,
        };
        if hms.next().is_some() || h > 23 || mi > 59 || sec > 60 {
            return None;
        }
        let mut frac_ms = 0;
        if let Some(frac) = frac {
            if frac.is_empty() || !frac.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let first3: String = frac.chars().chain("000".chars()).take(3).collect();
            frac_ms = first3.parse::<i64>().ok()?;
        }
        ms += ((h * 60 + mi) * 60 + sec) * 1000 + frac_ms - offset_ms;
    }
    Some(ms)
}

fn parse_digits(s: &str, len: usize) -> Option<i64> {
    if s.len() != len || !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Formats epoch milliseconds as ISO 8601 UTC.
pub(crate) fn format_date(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let (h, mi, s, frac) = (
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000,
    );
    if frac == 0 {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{frac:03}Z")
    }
}
