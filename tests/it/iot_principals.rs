//! Effective IoT policies per principal (issue 9 item 3) and endpoint policies where AWS enforces
//! them (item 4, PP021), on fixtures and on copies of them edited the way AWS would print them.
//! The expectations come from the AWS documentation, not from pathproof's output:
//! - IoT Developer Guide, "AWS IoT Core policies": policies attach to certificates, Cognito
//!   identities and thing groups; a thing group's policies apply to the things in it (client id =
//!   thing name); evaluation is IAM's (default deny, an explicit Deny wins over any Allow).
//! - "Static thing groups": a parent's policy is inherited by its child groups and their things.
//!   "Dynamic thing groups": membership follows a fleet indexing query.
//! - PrivateLink Guide, "Control access to VPC endpoints using endpoint policies": the default
//!   policy allows every principal; IAM "Condition operators": a missing key does not match.
use pathproof::Outcome;
use serde_json::{json, Value};

use crate::{copy_fixture, edit_json, findings, fixture, run, verify_json};

const IOT: &str = "222222222222/us-west-2/iot";
const S3_ENDPOINT: &str = "vpce-0aaa0000000053a01";

fn message<'a>(report: &'a Value, rule: &str, resource: &str) -> &'a str {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == rule && f["resource"] == resource)
        .and_then(|f| f["message"].as_str())
        .unwrap_or_else(|| panic!("no {rule} on {resource}: {report}"))
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// A parent group's Allow without aws:SourceVpce reaches the thing in its child group.
#[test]
fn an_allow_on_a_parent_group_is_not_missed() {
    let (outcome, report) = verify_json(&fixture("violations/PP014-parent-group-allow"), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(findings(&report), pairs(&[("PP014", "plant-telemetry")]));
    let m = message(&report, "PP014", "plant-telemetry");
    assert!(
        m.contains("iot:Publish") && m.contains("sensor-0002"),
        "{m}"
    );
}

/// The Deny guard sits on the parent, the broad Allow on the child: the fleet's things get both,
/// so nothing is allowed outside the approved endpoint.
#[test]
fn a_deny_guard_on_a_parent_group_counts() {
    let (outcome, report) = verify_json(&fixture("compliant/parent-group-deny-guard"), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
    assert!(findings(&report).is_empty(), "{:?}", findings(&report));
}

fn remove_thing_group_files(dir: &std::path::Path) {
    std::fs::remove_file(dir.join(format!("{IOT}/list-thing-groups.json"))).unwrap();
    for d in ["describe-thing-group", "list-things-in-thing-group"] {
        std::fs::remove_dir_all(dir.join(format!("{IOT}/{d}"))).unwrap();
    }
}

/// Without the thing group files nothing is known about the hierarchy: each target is proven on
/// its own (the child's Allow without the parent's Deny), and PP019 says what was assumed.
#[test]
fn without_thing_group_files_each_target_is_proven_alone_and_pp019_says_so() {
    let tmp = copy_fixture("compliant/parent-group-deny-guard");
    remove_thing_group_files(tmp.path());
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(
        findings(&report),
        pairs(&[
            ("PP014", "fleet-allow"),
            ("PP019", &format!("{IOT}/list-thing-groups.json")),
        ])
    );
    // The reference without them: proven (each of its targets is proven alone), with the warning.
    let tmp = copy_fixture("reference");
    remove_thing_group_files(tmp.path());
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Pass);
    assert_eq!(
        findings(&report),
        pairs(&[("PP019", &format!("{IOT}/list-thing-groups.json"))])
    );
}

/// A dynamic group's members change with the fleet index: its Deny cannot be counted for any
/// thing, so the guard moved onto a dynamic group leaves fleet-allow open.
#[test]
fn a_deny_on_a_dynamic_group_does_not_count() {
    let tmp = copy_fixture("compliant/parent-group-deny-guard");
    let dir = tmp.path();
    edit_json(
        dir,
        &format!("{IOT}/describe-thing-group/all-devices.json"),
        |d| {
            d["indexName"] = json!("AWS_Things");
            d["queryString"] = json!("attributes.plant:a");
            d["queryVersion"] = json!("2017-09-30");
            d["status"] = json!("ACTIVE");
        },
    );
    edit_json(
        dir,
        &format!("{IOT}/describe-thing-group/fleet.json"),
        |d| {
            d["thingGroupMetadata"] = json!({"creationDate": "2025-03-14T10:05:41.220000+00:00"});
        },
    );
    std::fs::remove_file(dir.join(format!("{IOT}/list-things-in-thing-group/all-devices.json")))
        .unwrap();
    let (outcome, report) = verify_json(dir, &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(findings(&report), pairs(&[("PP014", "fleet-allow")]));
}

/// A parent the listing does not have: what the child's things inherit is unknown (PP015 naming
/// the group), never proven.
#[test]
fn an_unknown_parent_group_is_pp015_naming_the_child() {
    let tmp = copy_fixture("reference");
    edit_json(
        tmp.path(),
        &format!("{IOT}/describe-thing-group/fleet.json"),
        |d| {
            d["thingGroupMetadata"]["parentGroupName"] = json!("ghost");
        },
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(findings(&report), pairs(&[("PP015", "fleet")]));
    assert!(message(&report, "PP015", "fleet").contains("ghost"));
}

/// With the listing, each group's describe file and each static group's members are required.
#[test]
fn missing_thing_group_files_are_pp017() {
    for rel in [
        "describe-thing-group/fleet.json",
        "list-things-in-thing-group/fleet.json",
    ] {
        let tmp = copy_fixture("reference");
        std::fs::remove_file(tmp.path().join(format!("{IOT}/{rel}"))).unwrap();
        let (outcome, report) = verify_json(tmp.path(), &[]);
        assert_eq!(outcome, Outcome::Fail, "{rel}");
        assert_eq!(
            findings(&report),
            pairs(&[("PP017", &format!("{IOT}/{rel}"))]),
            "{rel}"
        );
    }
}

#[test]
fn inconsistent_thing_group_files_are_input_errors() {
    let cases: [(&str, fn(&mut Value), &str); 3] = [
        (
            "describe-thing-group/fleet.json",
            |d| d["thingGroupName"] = json!("other"),
            "thingGroupName",
        ),
        (
            "describe-thing-group/fleet.json",
            |d| d["thingGroupArn"] = json!("arn:aws:iot:us-west-2:222222222222:thinggroup/x"),
            "thingGroupArn",
        ),
        (
            "list-things-in-thing-group/fleet.json",
            |d| d["things"] = json!(["../x"]),
            "things[0]",
        ),
    ];
    for (rel, edit, path) in cases {
        let tmp = copy_fixture("reference");
        edit_json(tmp.path(), &format!("{IOT}/{rel}"), edit);
        let (result, _) = run(&["verify", "--snapshot", tmp.path().to_str().unwrap()]);
        let err = format!("{:#}", result.unwrap_err());
        assert!(err.contains(rel) && err.contains(path), "{err}");
    }
}

/// PP021: the default policy on the device VPC's S3 gateway endpoint admits every account.
#[test]
fn an_s3_endpoint_with_the_default_policy_is_pp021() {
    let (outcome, report) = verify_json(
        &fixture("violations/PP021-endpoint-policy-admits-outside-principals"),
        &[],
    );
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(findings(&report), pairs(&[("PP021", S3_ENDPOINT)]));
    let f = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "PP021")
        .unwrap();
    let cx = &f["evidence"][0]["counterexample"];
    let account = cx["context"]["aws:principalaccount"][0].as_str().unwrap();
    assert!(
        !["111111111111", "222222222222", "333333333333"].contains(&account),
        "{cx}"
    );
    assert_eq!(cx["action"], "s3:GetObject");
}

#[test]
fn an_s3_endpoint_limited_to_the_estates_accounts_is_proven() {
    let (outcome, report) = verify_json(&fixture("compliant/s3-endpoint-accounts-only"), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
    assert!(findings(&report).is_empty());
}

fn set_s3_policy(dir: &std::path::Path, policy: &Value) {
    edit_json(
        dir,
        "111111111111/us-west-2/ec2/describe-vpc-endpoints.json",
        |d| {
            for e in d["VpcEndpoints"].as_array_mut().unwrap() {
                if e["VpcEndpointId"] == S3_ENDPOINT {
                    e["PolicyDocument"] = json!(serde_json::to_string(policy).unwrap());
                }
            }
        },
    );
}

/// The organisation is intended only when the manifest says the accounts came from it.
#[test]
fn an_organisation_condition_counts_only_for_the_manifests_organisation() {
    let policy = json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*",
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]});
    let tmp = copy_fixture("compliant/s3-endpoint-accounts-only");
    set_s3_policy(tmp.path(), &policy);
    // No organisation in the manifest: o-a1b2c3d4e5 is just another organisation.
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(findings(&report), pairs(&[("PP021", S3_ENDPOINT)]));
    edit_json(tmp.path(), "manifest.json", |m| {
        m["organization"] = json!({"id": "o-a1b2c3d4e5"});
    });
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
    // StringEqualsIfExists lets callers without an organisation through.
    let mut open = policy.clone();
    open["Statement"][0]["Condition"] =
        json!({"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}});
    set_s3_policy(tmp.path(), &open);
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(findings(&report), pairs(&[("PP021", S3_ENDPOINT)]));
}

/// What the evaluator cannot decide is unproven naming the endpoint; a guard with a Deny for
/// everyone outside the accounts is proven.
#[test]
fn undecided_endpoint_policies_are_pp015_and_a_deny_guard_is_proven() {
    let tmp = copy_fixture("compliant/s3-endpoint-accounts-only");
    set_s3_policy(
        tmp.path(),
        &json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*",
            "Condition": {"BinaryEquals": {"aws:PrincipalAccount": "AAAA"}}}]}),
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(findings(&report), pairs(&[("PP015", S3_ENDPOINT)]));
    set_s3_policy(
        tmp.path(),
        &json!({"Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
             "Condition": {"StringNotEquals": {"aws:PrincipalAccount": ["111111111111", "222222222222", "333333333333"]}}}]}),
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
}

/// Only endpoints of the estate's VPCs count: the same endpoint in a VPC with role `none` is
/// not evaluated.
#[test]
fn endpoints_outside_the_estates_vpcs_are_not_evaluated() {
    let tmp = copy_fixture("violations/PP021-endpoint-policy-admits-outside-principals");
    let other = tempfile::tempdir().unwrap();
    let intent = other.path().join("intent.toml");
    std::fs::write(&intent, "[roles]\n\"vpc-0aaa00000000000d1\" = \"none\"\n").unwrap();
    let (_, report) = verify_json(tmp.path(), &["--intent", intent.to_str().unwrap()]);
    assert!(
        !findings(&report).iter().any(|(r, _)| r == "PP021"),
        "{:?}",
        findings(&report)
    );
}
