//! `pathproof policy check` prints policy names, statement ids, resources and condition
//! values from the files it is given: attacker-controlled text (issue 8, class 10). The table
//! spells control characters visibly (`report::escape::terminal`), the JSON escapes them and
//! decodes to exactly the original strings.
use pathproof::Outcome;

use crate::run;

/// ESC (a CSI colour and an OSC window title), BEL, NUL, CR, a newline, DEL, a C1 control and
/// a bidi override.
const HOSTILE: &str = "evil\u{1b}[31mred\u{1b}]0;title\u{7}\u{0}\r\nline\u{7f}\u{9b}\u{202e}";

fn hostile_policy(dir: &std::path::Path) -> std::path::PathBuf {
    // A get-policy output: the name comes from `policyName`, the document is a string.
    let document = serde_json::json!({"Version": "2012-10-17", "Statement": [
        {"Sid": format!("Open{HOSTILE}"), "Effect": "Allow", "Action": "iot:Publish",
         "Resource": format!("arn:aws:iot:us-east-1:123456789012:topic/{HOSTILE}"),
         "Condition": {"StringEquals": {"iot:ClientId": HOSTILE}}},
        // Unproven: a condition value with an unsupported policy variable.
        {"Sid": format!("Odd{HOSTILE}"), "Effect": "Allow", "Action": "iot:Subscribe",
         "Resource": "*",
         "Condition": {"StringEquals": {"aws:SourceVpce": format!("${{aws:{HOSTILE}}}")}}}
    ]});
    let file = dir.join("hostile.json");
    std::fs::write(
        &file,
        serde_json::json!({
            "policyName": format!("name-{HOSTILE}"),
            "policyArn": "arn:aws:iot:us-east-1:123456789012:policy/hostile",
            "policyDocument": document.to_string(),
            "defaultVersionId": "1"
        })
        .to_string(),
    )
    .unwrap();
    file
}

fn assert_no_raw_controls(out: &str) {
    for c in out.chars() {
        assert!(
            c == '\n' || !pathproof::report::escape::is_unsafe(c),
            "raw {c:?} in output:\n{out}"
        );
    }
}

#[test]
fn policy_check_table_spells_control_characters_visibly() {
    let tmp = tempfile::tempdir().unwrap();
    let file = hostile_policy(tmp.path());
    let (result, out) = run(&[
        "policy",
        "check",
        file.to_str().unwrap(),
        "--approved",
        "vpce-0bbb00000000da7a1",
    ]);
    assert_eq!(result.unwrap(), Outcome::Fail, "{out}");
    assert_no_raw_controls(&out);
    // The policy name (header), the resource and the client id (counterexample) are there,
    // spelled visibly, not dropped.
    let spelled = r"evil\x1b[31mred\x1b]0;title\x07\x00\r\nline\x7f\x9b\u{202e}";
    assert!(out.contains(&format!("name-{spelled}")), "{out}");
    assert!(out.contains("VIOLATION"), "{out}");
    assert!(out.contains(r"\x1b[31m"), "{out}");
}

#[test]
fn policy_check_json_escapes_control_characters_losslessly() {
    let tmp = tempfile::tempdir().unwrap();
    let file = hostile_policy(tmp.path());
    let (result, out) = run(&[
        "policy",
        "check",
        file.to_str().unwrap(),
        "--approved",
        "vpce-0bbb00000000da7a1",
        "--format",
        "json",
    ]);
    assert_eq!(result.unwrap(), Outcome::Fail, "{out}");
    assert_no_raw_controls(&out);
    let report: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(report["verdict"], "violation");
    assert_eq!(report["policies"][0], format!("name-{HOSTILE}"));
    let cx = report["counterexamples"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["action"] == "iot:Publish")
        .expect("a Publish counterexample");
    assert_eq!(
        cx["resource"],
        format!("arn:aws:iot:us-east-1:123456789012:topic/{HOSTILE}")
    );
}
