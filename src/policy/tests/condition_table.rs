//! The documented condition-operator table: operator × set prefix (none, `ForAllValues`,
//! `ForAnyValue`) × `IfExists` × how the key appears in the request, checked against the
//! concrete evaluator, and the symbolic proof checked to agree with it.
//!
//! Sources (IAM User Guide):
//! - "IAM JSON policy elements: Condition operators": a key not present in the request
//!   context makes a condition false, and a negated one ("requires that the key is not
//!   matched") true; "This logic applies to all condition operators except ...IfExists and
//!   Null check". `...IfExists`: "If the key is not present, evaluate the condition element
//!   as true". `Null`: `true` "the key doesn't exist — it is null", `false` "the key exists
//!   and its value is not null".
//! - "Creating a condition with multiple keys or values" (set operators): `ForAllValues`
//!   "returns true if every key value in the request matches at least one value in the
//!   policy. It also returns true if there are no keys in the request, or if the key values
//!   resolve to a null data set, such as an empty string"; `ForAnyValue` "returns true if
//!   any one of the key values in the request matches any one of the condition values in
//!   the policy. For no matching key or a null dataset, the condition returns false".
//!   Negated operators: the value "cannot match any of the values listed".
//! - "Single-valued vs. multivalued condition keys": "Multivalued condition keys require
//!   condition set operators".
//! - "Multivalued context key examples": `Null: false` prevents "missing context keys or
//!   context keys with empty values" from evaluating to true.
//! - "IAM policy elements: Variables and tags", "Policy variables with no value".
//!
//! Decisions where the documented rules leave a combination open (answer `U`, so the proof
//! is unproven there, never proven):
//! - `ForAnyValue:...IfExists` on a missing key is **false**: the set operators state their
//!   own rule for a missing key, and `IfExists` (a test of each request value) has nothing to
//!   apply to; AWS re:Post "ForAnyValue:StringEqualsIfExists behaving unexpectedly" shows AWS
//!   denying such a request. `ForAllValues:...IfExists` on a missing key is true by both rules.
//! - a plain operator on a key present with no values: read as "absent" or as "present, no
//!   value matches"; `U` where they differ (only `...IfExists` on a positive operator);
//! - several values without a set operator: `U` (a multivalued key requires one);
//! - a set with an empty string among other values: `U` where keeping the empty string as
//!   a member and dropping it as a null data set differ; a lone empty string is the
//!   documented null data set;
//! - `Null` on a lone empty string: `U` unless the key is documented single-valued (then
//!   the key exists).
use std::collections::BTreeSet;

use rstest::rstest;

use super::super::condition::{eval_condition, Context, Tri};
use super::super::document::parse_policy;
use super::super::prove_target;
use super::approved;

const KEY: &str = "demo:tags";

/// The request states, in column order: how `demo:tags` appears. `m`/`m2` satisfy the
/// operator's positive test, `o`/`o2` do not.
const COLUMNS: &[&str] = &[
    "absent", "[]", "[\"\"]", "[m]", "[o]", "[m,m2]", "[m,o]", "[o,o2]", "[\"\",m]", "[\"\",o]",
];

fn column_values(col: usize, [m, m2, o, o2]: [&str; 4]) -> Option<Vec<String>> {
    let v = |xs: &[&str]| Some(xs.iter().map(|s| s.to_string()).collect());
    match col {
        0 => None,
        1 => v(&[]),
        2 => v(&[""]),
        3 => v(&[m]),
        4 => v(&[o]),
        5 => v(&[m, m2]),
        6 => v(&[m, o]),
        7 => v(&[o, o2]),
        8 => v(&["", m]),
        9 => v(&["", o]),
        _ => unreachable!("ten columns"),
    }
}

fn tri(c: char) -> Option<Tri> {
    match c {
        'T' => Some(Tri::True),
        'F' => Some(Tri::False),
        'U' => Some(Tri::Unknown),
        _ => None,
    }
}

fn clause_doc(operator: &str, values: &[&str]) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"iot:Publish","Resource":"*","Condition":{{"{operator}":{{"{KEY}":{}}}}}}}]}}"#,
        serde_json::json!(values)
    )
}

/// One row per operator: the expected result in each column of [`COLUMNS`] (`T`, `F`, `U`,
/// or `-` where the column does not apply to the operator's value type).
#[rstest]
// ---- plain string operators: absent → positive false, negated true; IfExists → true;
// several values → unknown (a multivalued key requires a set operator).
#[case::string_like("StringLike", &["a*"], ["a1", "a2", "b", "c"], "FFFTFUUUUU")]
#[case::string_not_like("StringNotLike", &["a*"], ["a1", "a2", "b", "c"], "TTTFTUUUUU")]
#[case::string_like_if_exists("StringLikeIfExists", &["a*"], ["a1", "a2", "b", "c"], "TUFTFUUUUU")]
#[case::string_not_like_if_exists("StringNotLikeIfExists", &["a*"], ["a1", "a2", "b", "c"], "TTTFTUUUUU")]
#[case::string_equals("StringEquals", &["a1", "a2"], ["a1", "a2", "b", "c"], "FFFTFUUUUU")]
#[case::string_not_equals("StringNotEquals", &["a1", "a2"], ["a1", "a2", "b", "c"], "TTTFTUUUUU")]
#[case::string_equals_if_exists("StringEqualsIfExists", &["a1", "a2"], ["a1", "a2", "b", "c"], "TUFTFUUUUU")]
#[case::string_not_equals_if_exists("StringNotEqualsIfExists", &["a1", "a2"], ["a1", "a2", "b", "c"], "TTTFTUUUUU")]
#[case::string_equals_empty_value("StringEquals", &[""], ["", "", "b", "c"], "FFT-FU-U--")]
// ---- ForAllValues: true when absent or a null data set (empty, or a lone empty string);
// IfExists changes nothing.
#[case::all_like("ForAllValues:StringLike", &["a*"], ["a1", "a2", "b", "c"], "TTTTFTFFUF")]
#[case::all_not_like("ForAllValues:StringNotLike", &["a*"], ["a1", "a2", "b", "c"], "TTTFTFFTFT")]
#[case::all_like_if_exists("ForAllValues:StringLikeIfExists", &["a*"], ["a1", "a2", "b", "c"], "TTTTFTFFUF")]
#[case::all_not_like_if_exists("ForAllValues:StringNotLikeIfExists", &["a*"], ["a1", "a2", "b", "c"], "TTTFTFFTFT")]
#[case::all_equals("ForAllValues:StringEquals", &["a1", "a2"], ["a1", "a2", "b", "c"], "TTTTFTFFUF")]
#[case::all_not_equals_if_exists("ForAllValues:StringNotEqualsIfExists", &["a1", "a2"], ["a1", "a2", "b", "c"], "TTTFTFFTFT")]
// ---- ForAnyValue: false when absent or a null data set; IfExists does not rescue it.
#[case::any_like("ForAnyValue:StringLike", &["a*"], ["a1", "a2", "b", "c"], "FFFTFTTFTF")]
#[case::any_not_like("ForAnyValue:StringNotLike", &["a*"], ["a1", "a2", "b", "c"], "FFFFTFTTUT")]
#[case::any_like_if_exists("ForAnyValue:StringLikeIfExists", &["a*"], ["a1", "a2", "b", "c"], "FFFTFTTFTF")]
#[case::any_not_like_if_exists("ForAnyValue:StringNotLikeIfExists", &["a*"], ["a1", "a2", "b", "c"], "FFFFTFTTUT")]
#[case::any_equals_if_exists("ForAnyValue:StringEqualsIfExists", &["a1", "a2"], ["a1", "a2", "b", "c"], "FFFTFTTFTF")]
#[case::any_not_equals_if_exists("ForAnyValue:StringNotEqualsIfExists", &["a1", "a2"], ["a1", "a2", "b", "c"], "FFFFTFTTUT")]
// ---- other operator families follow the same rules (the "Important" note applies to all
// condition operators); the empty-string columns do not apply to them.
#[case::numeric_lt("NumericLessThan", &["5"], ["3", "4", "7", "8"], "FF-TFUUU--")]
#[case::numeric_not_equals("NumericNotEquals", &["5"], ["3", "4", "5", "5"], "TT-TFUUU--")]
#[case::numeric_lt_if_exists("NumericLessThanIfExists", &["5"], ["3", "4", "7", "8"], "TU-TFUUU--")]
#[case::all_numeric_lt("ForAllValues:NumericLessThan", &["5"], ["3", "4", "7", "8"], "TT-TFTFF--")]
#[case::any_numeric_lt_if_exists("ForAnyValue:NumericLessThanIfExists", &["5"], ["3", "4", "7", "8"], "FF-TFTTF--")]
#[case::date_lt("DateLessThan", &["2020-01-01T00:00:00Z"], ["2019-01-01T00:00:00Z", "2019-06-01T00:00:00Z", "2021-01-01T00:00:00Z", "2022-01-01T00:00:00Z"], "FF-TFUUU--")]
#[case::date_not_equals_if_exists("DateNotEqualsIfExists", &["2020-01-01T00:00:00Z"], ["2019-01-01T00:00:00Z", "2019-06-01T00:00:00Z", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z"], "TT-TFUUU--")]
#[case::bool_true("Bool", &["true"], ["true", "TRUE", "false", "FALSE"], "FF-TFUUU--")]
#[case::bool_if_exists("BoolIfExists", &["true"], ["true", "TRUE", "false", "FALSE"], "TU-TFUUU--")]
#[case::any_bool("ForAnyValue:Bool", &["true"], ["true", "TRUE", "false", "FALSE"], "FF-TFTTF--")]
#[case::ip("IpAddress", &["10.0.0.0/8"], ["10.0.0.1", "10.0.0.2", "192.0.2.1", "192.0.2.2"], "FF-TFUUU--")]
#[case::not_ip("NotIpAddress", &["10.0.0.0/8"], ["10.0.0.1", "10.0.0.2", "192.0.2.1", "192.0.2.2"], "TT-FTUUU--")]
#[case::all_not_ip_if_exists("ForAllValues:NotIpAddressIfExists", &["10.0.0.0/8"], ["10.0.0.1", "10.0.0.2", "192.0.2.1", "192.0.2.2"], "TT-FTFFT--")]
#[case::arn_like("ArnLike", &["arn:aws:iot:*:*:thing/*"], ["arn:aws:iot:r:1:thing/t", "arn:aws:iot:r:2:thing/u", "arn:aws:s3:::b", "arn:aws:iot:r:1:topic/t"], "FF-TFUUU--")]
#[case::arn_not_like("ArnNotLike", &["arn:aws:iot:*:*:thing/*"], ["arn:aws:iot:r:1:thing/t", "arn:aws:iot:r:2:thing/u", "arn:aws:s3:::b", "arn:aws:iot:r:1:topic/t"], "TT-FTUUU--")]
#[case::any_arn_not_like_if_exists("ForAnyValue:ArnNotLikeIfExists", &["arn:aws:iot:*:*:thing/*"], ["arn:aws:iot:r:1:thing/t", "arn:aws:iot:r:2:thing/u", "arn:aws:s3:::b", "arn:aws:iot:r:1:topic/t"], "FF-FTFTT--")]
fn condition_table(
    #[case] operator: &str,
    #[case] values: &[&str],
    #[case] samples: [&str; 4],
    #[case] expected: &str,
) {
    let policy = parse_policy("t", &clause_doc(operator, values)).expect("table policy parses");
    let cond = &policy.statements()[0].conditions[0];
    let mut wrong = Vec::new();
    for (col, want) in expected.chars().enumerate() {
        let Some(want) = tri(want) else { continue };
        let mut ctx = Context::new();
        if let Some(v) = column_values(col, samples) {
            ctx.insert(KEY.to_string(), v);
        }
        let got = eval_condition(cond, &ctx).tri;
        if got != want {
            wrong.push(format!("{}: expected {want}, got {got}", COLUMNS[col]));
        }
    }
    assert!(wrong.is_empty(), "{operator} {values:?}: {wrong:?}");
    prover_agrees(operator, values, expected);
}

/// The proof agrees with the table: an Allow under the clause is a violation iff some
/// column makes the clause true; a Deny under it (after a broad Allow) iff some column makes
/// it false; otherwise unproven iff some column is unknown, else proven. Without a set
/// operator the key is single-valued in the model, so only the columns with at most one
/// value count.
fn prover_agrees(operator: &str, values: &[&str], expected: &str) {
    let set_op = operator.starts_with("For");
    let results: BTreeSet<char> = expected
        .chars()
        .enumerate()
        .filter(|&(col, c)| c != '-' && (set_op || matches!(col, 0 | 2 | 3 | 4)))
        .map(|(_, c)| c)
        .collect();
    let verdict = |docs: &[String]| {
        let policies: Vec<_> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| parse_policy(&format!("p{i}"), d).expect("parses"))
            .collect();
        let refs: Vec<_> = policies.iter().collect();
        let proof = prove_target(&refs, &approved());
        if proof
            .counterexamples
            .iter()
            .any(|c| c.action == "iot:Publish")
        {
            'V'
        } else if proof.unproven.is_empty() {
            'P'
        } else {
            'U'
        }
    };
    let expect = |hit: char| {
        if results.contains(&hit) {
            'V'
        } else if results.contains(&'U') {
            'U'
        } else {
            'P'
        }
    };
    let allow = clause_doc(operator, values);
    assert_eq!(
        verdict(std::slice::from_ref(&allow)),
        expect('T'),
        "Allow under {operator} {values:?}"
    );
    let deny = allow
        .replace(r#""Effect":"Allow""#, r#""Effect":"Deny""#)
        .replace(r#""Action":"iot:Publish""#, r#""Action":"iot:*""#);
    let broad = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:*","Resource":"*"}]}"#;
    assert_eq!(
        verdict(&[broad.to_string(), deny]),
        expect('F'),
        "Deny under {operator} {values:?}"
    );
}

/// `Null` (IAM "Condition operator to check existence of condition keys"; empty values count
/// as null per "Multivalued context key examples"). Columns: absent, `[]`, `[""]`, `["a"]`,
/// `["a","b"]`, for a key of unknown arity and for `iot:ClientId` (documented single-valued).
#[rstest]
#[case::null_true("demo:tags", "true", "TTUFF")]
#[case::null_false("demo:tags", "false", "FFUTT")]
#[case::null_true_single_valued("iot:ClientId", "true", "TTFFF")]
#[case::null_false_single_valued("iot:ClientId", "false", "FFTTT")]
fn null_table(#[case] key: &str, #[case] value: &str, #[case] expected: &str) {
    let doc = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"iot:Publish","Resource":"*","Condition":{{"Null":{{"{key}":"{value}"}}}}}}]}}"#
    );
    let policy = parse_policy("t", &doc).expect("parses");
    let cond = &policy.statements()[0].conditions[0];
    let states: [Option<&[&str]>; 5] = [
        None,
        Some(&[]),
        Some(&[""]),
        Some(&["a"]),
        Some(&["a", "b"]),
    ];
    for (state, want) in states.iter().zip(expected.chars()) {
        let mut ctx = Context::new();
        if let Some(v) = state {
            ctx.insert(
                key.to_lowercase(),
                v.iter().map(|s| s.to_string()).collect(),
            );
        }
        assert_eq!(
            Some(eval_condition(cond, &ctx).tri),
            tri(want),
            "Null {key} {value} with {state:?}"
        );
    }
}

/// Policy variables in condition values (IAM "Policy variables with no value"; "Specifying
/// default values"): `(operator, policy value, demo:tags value, demo:who value, expected)`.
#[rstest]
#[case::no_value_equals("StringEquals", "${demo:who}", Some("a"), None, Tri::False)]
#[case::no_value_not_equals("StringNotEquals", "${demo:who}", Some("a"), None, Tri::True)]
#[case::no_value_like("StringLike", "${demo:who}", Some("a"), None, Tri::False)]
#[case::default_used("StringEquals", "${demo:who, 'a'}", Some("a"), None, Tri::True)]
#[case::value_used("StringEquals", "${demo:who, 'z'}", Some("a"), Some("a"), Tri::True)]
#[case::value_with_star_equals("StringEquals", "${demo:who}", Some("a*"), Some("a*"), Tri::True)]
// `*` in a substituted value: literal and wildcard readings agree here ...
#[case::value_with_star_like_same("StringLike", "${demo:who}", Some("a*"), Some("a*"), Tri::True)]
// ... and differ here, so unknown.
#[case::value_with_star_like_differs(
    "StringLike",
    "${demo:who}",
    Some("ab"),
    Some("a*"),
    Tri::Unknown
)]
#[case::key_absent_too("StringEquals", "${demo:who}", None, None, Tri::False)]
#[case::key_absent_negated("StringNotEquals", "${demo:who}", None, None, Tri::True)]
fn variable_table(
    #[case] operator: &str,
    #[case] value: &str,
    #[case] tags: Option<&str>,
    #[case] who: Option<&str>,
    #[case] want: Tri,
) {
    let doc = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"iot:Publish","Resource":"*","Condition":{{"{operator}":{{"{KEY}":"{value}"}}}}}}]}}"#
    );
    let policy = parse_policy("t", &doc).expect("parses");
    let cond = &policy.statements()[0].conditions[0];
    let mut ctx = Context::new();
    if let Some(t) = tags {
        ctx.insert(KEY.to_string(), vec![t.to_string()]);
    }
    if let Some(w) = who {
        ctx.insert("demo:who".to_string(), vec![w.to_string()]);
    }
    assert_eq!(eval_condition(cond, &ctx).tri, want, "{operator} {value}");
}

/// A plain operator on a key that other clauses use as multivalued is never proven: the
/// request may carry several values, for which it is undefined.
#[test]
fn plain_operator_on_multivalued_key_is_a_doubt() {
    let docs = [
        // Every single value is denied (by the first or second Deny), absence by the third;
        // whether a request with several values escapes the plain operator is undefined.
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:*","Resource":"*"},{"Effect":"Deny","Action":"iot:*","Resource":"*","Condition":{"StringNotEquals":{"demo:tags":"ok"}}},{"Effect":"Deny","Action":"iot:*","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"demo:tags":"ok"}}},{"Effect":"Deny","Action":"iot:*","Resource":"*","Condition":{"Null":{"demo:tags":"true"}}}]}"#,
    ];
    let policies: Vec<_> = docs
        .iter()
        .map(|d| parse_policy("p", d).expect("parses"))
        .collect();
    let refs: Vec<_> = policies.iter().collect();
    let proof = prove_target(&refs, &approved());
    assert!(
        proof.counterexamples.is_empty() && !proof.unproven.is_empty(),
        "{proof:#?}"
    );
    assert!(
        proof
            .unproven
            .iter()
            .any(|u| u.reason.contains("set operators elsewhere")
                || u.reason
                    .contains("a multivalued key needs ForAllValues/ForAnyValue")),
        "{proof:#?}"
    );
}
