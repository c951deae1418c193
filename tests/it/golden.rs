//! Golden reports: the JSON report of the reference fixture and of one violation variant, kept in
//! `tests/it/golden/`. GRC tooling consumes this document, so any change to it must be deliberate:
//! regenerate with `PATHPROOF_BLESS=1 cargo test --test it golden` and review the diff.
use super::*;

fn check_golden(fixture_rel: &str, golden: &str) {
    let (_, mut report) = verify_json(&fixture(fixture_rel), &[]);
    // Redact what depends on where the checkout lives.
    report["snapshot"]["path"] = serde_json::json!(format!("fixtures/{fixture_rel}"));
    let actual = serde_json::to_string_pretty(&report).unwrap() + "\n";
    let path = root().join("tests/it/golden").join(golden);
    if std::env::var_os("PATHPROOF_BLESS").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing: run with PATHPROOF_BLESS=1", path.display()));
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{golden} differs from the report at line {}:\n  expected: {}\n  actual:   {}\n(re-bless with PATHPROOF_BLESS=1 if intended)",
            first + 1,
            expected.lines().nth(first).unwrap_or("(end)"),
            actual.lines().nth(first).unwrap_or("(end)")
        );
    }
}

#[test]
fn golden_reference_report() {
    check_golden("reference", "reference.json");
}

#[test]
fn golden_nat_variant_report() {
    check_golden(
        "violations/PP002-nat-gateway-on-path",
        "PP002-nat-gateway-on-path.json",
    );
}
