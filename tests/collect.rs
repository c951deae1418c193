//! `pathproof snapshot` against a real AWS API server: moto, started by `./scripts/test`, which
//! exports `PATHPROOF_MOTO_URL` and `PATHPROOF_PYTHON`. Without them the moto tests print why
//! and pass (so a bare `cargo test` works); the flag checks below need no server.
//!
//! Every test owns its account ids (moto keys everything by the account of the assumed role),
//! so the tests share one server and run in parallel without resets. Estates are made with
//! boto3 by `tests/moto/scenario.py`; `tests/moto/reference.py` recomputes every file with
//! botocore, the AWS CLI's own engine, and compares the text byte for byte.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use serde_json::Value;

/// The files every target account and region must have (or be named in `errors`).
const REGIONAL_FILES: &[(&str, &str)] = &[
    ("ec2/describe-vpcs.json", "Vpcs"),
    ("ec2/describe-subnets.json", "Subnets"),
    ("ec2/describe-dhcp-options.json", "DhcpOptions"),
    ("ec2/describe-route-tables.json", "RouteTables"),
    ("ec2/describe-internet-gateways.json", "InternetGateways"),
    (
        "ec2/describe-egress-only-internet-gateways.json",
        "EgressOnlyInternetGateways",
    ),
    ("ec2/describe-nat-gateways.json", "NatGateways"),
    (
        "ec2/describe-vpc-peering-connections.json",
        "VpcPeeringConnections",
    ),
    ("ec2/describe-vpc-endpoints.json", "VpcEndpoints"),
    (
        "ec2/describe-vpc-endpoint-service-configurations.json",
        "ServiceConfigurations",
    ),
    ("ec2/describe-network-interfaces.json", "NetworkInterfaces"),
    ("ec2/describe-security-groups.json", "SecurityGroups"),
    ("ec2/describe-network-acls.json", "NetworkAcls"),
    ("ec2/describe-managed-prefix-lists.json", "PrefixLists"),
    ("ec2/describe-transit-gateways.json", "TransitGateways"),
    (
        "ec2/describe-transit-gateway-attachments.json",
        "TransitGatewayAttachments",
    ),
    (
        "ec2/describe-transit-gateway-vpc-attachments.json",
        "TransitGatewayVpcAttachments",
    ),
    (
        "ec2/describe-transit-gateway-route-tables.json",
        "TransitGatewayRouteTables",
    ),
    ("ec2/describe-vpn-connections.json", "VpnConnections"),
    ("ec2/describe-vpn-gateways.json", "VpnGateways"),
    ("elbv2/describe-load-balancers.json", "LoadBalancers"),
    ("elbv2/describe-target-groups.json", "TargetGroups"),
    (
        "route53resolver/list-resolver-endpoints.json",
        "ResolverEndpoints",
    ),
    ("route53resolver/list-resolver-rules.json", "ResolverRules"),
    (
        "route53resolver/list-resolver-rule-associations.json",
        "ResolverRuleAssociations",
    ),
    ("iot/list-policies.json", "policies"),
    (
        "iot/list-domain-configurations.json",
        "domainConfigurations",
    ),
    ("iot/list-thing-groups.json", "thingGroups"),
    ("iot/describe-endpoint/iot-data-ats.json", "endpointAddress"),
    (
        "iot/describe-endpoint/iot-credentialprovider.json",
        "endpointAddress",
    ),
    ("iot/describe-endpoint/iot-jobs.json", "endpointAddress"),
];

const GLOBAL_FILES: &[(&str, &str)] = &[("route53/list-hosted-zones.json", "HostedZones")];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Moto {
    url: String,
    python: PathBuf,
}

/// The moto server, or `None` (with a message saying so) when the tests run without one.
fn moto(test: &str) -> Option<Moto> {
    match std::env::var("PATHPROOF_MOTO_URL") {
        Ok(url) if !url.trim().is_empty() => Some(Moto {
            url: url.trim().trim_end_matches('/').to_owned(),
            python: std::env::var_os("PATHPROOF_PYTHON")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("python3")),
        }),
        _ => {
            eprintln!(
                "SKIPPED {test}: PATHPROOF_MOTO_URL is not set (./scripts/test starts moto and sets it)"
            );
            None
        }
    }
}

impl Moto {
    /// `pathproof snapshot` of one account through its `audit` role in one Region: exit 0, the
    /// layout complete, no manifest error, every file printed like the AWS CLI.
    fn clean_snapshot_of_one_role(
        &self,
        account: &str,
        region: &str,
    ) -> (tempfile::TempDir, std::path::PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("snap");
        let out = self.snapshot(
            &dir,
            &[
                "--role-arn",
                &format!("arn:aws:iam::{account}:role/audit"),
                "--regions",
                region,
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let manifest = assert_layout_complete(&dir);
        assert_eq!(manifest["errors"], serde_json::json!([]));
        self.assert_prints_like_the_cli(&dir);
        (tmp, dir)
    }

    fn python(&self, script: &str, args: &[&str]) -> Value {
        let out = Command::new(&self.python)
            .arg(root().join("tests/moto").join(script))
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.python.display()));
        assert!(
            out.status.success(),
            "{script} {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{script} printed no JSON ({e}):\n{}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    /// Builds a `scenario.py` estate in one account and region; the ids it made.
    fn scenario(&self, kind: &str, account: &str, region: &str) -> Value {
        self.python("scenario.py", &[&self.url, kind, account, region])
    }

    /// `pathproof snapshot` against moto with `args` (plus `--out`).
    fn snapshot(&self, out: &Path, args: &[&str]) -> Output {
        pathproof(&self.url)
            .arg("snapshot")
            .arg("--out")
            .arg(out)
            .args(["--endpoint-url", &self.url])
            .args(args)
            .output()
            .expect("run pathproof")
    }

    /// The reference comparison; panics listing every problem.
    fn assert_prints_like_the_cli(&self, dir: &Path) -> Value {
        let report = self.python("reference.py", &[&self.url, dir.to_str().unwrap()]);
        let problems = report["problems"].as_array().unwrap();
        assert!(
            problems.is_empty(),
            "snapshot differs from what the AWS CLI prints:\n{}",
            serde_json::to_string_pretty(problems).unwrap()
        );
        report
    }
}

/// The real binary with test credentials and nothing from the machine's AWS set-up.
/// Layout extensions whose calls moto does not implement (`PATHPROOF_SKIP_EXTENSIONS`).
const MOTO_LACKS_EXTENSIONS: &str = "tgw-policy-tables,block-public-access,iot-authorizers";

fn pathproof(endpoint: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pathproof"));
    for var in [
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_MAX_ATTEMPTS",
    ] {
        cmd.env_remove(var);
    }
    // moto does not implement these extension calls (`extension_calls_moto_lacks_land_in_manifest_errors`
    // shows them landing in `errors`).
    cmd.env("PATHPROOF_SKIP_EXTENSIONS", MOTO_LACKS_EXTENSIONS);
    cmd.env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_CONFIG_FILE", "/nonexistent/pathproof-test-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/pathproof-test-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ENDPOINT_URL", endpoint);
    cmd
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn has_error(manifest: &Value, account: &str, region: &str, operation: &str) -> bool {
    manifest["errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["account"] == account && e["region"] == region && e["operation"] == operation)
}

/// Every file of the layout is there for every target, with its top-level key, or the call
/// is named in `errors`.
fn assert_layout_complete(dir: &Path) -> Value {
    let manifest = read_json(&dir.join("manifest.json"));
    assert_eq!(manifest["format"], "pathproof-snapshot/1");
    assert_eq!(
        manifest["collector"],
        format!("pathproof {}", env!("CARGO_PKG_VERSION"))
    );
    let at = manifest["collected_at"].as_str().unwrap();
    assert!(
        at.len() == 20 && at.ends_with('Z') && at.as_bytes()[10] == b'T',
        "collected_at {at}"
    );
    for target in manifest["targets"].as_array().unwrap() {
        let account = target["account"].as_str().unwrap();
        let mut scopes: Vec<(&str, &[(&str, &str)])> = target["regions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r.as_str().unwrap(), REGIONAL_FILES))
            .collect();
        scopes.push(("global", GLOBAL_FILES));
        for (region, files) in scopes {
            for (file, key) in files {
                let path = dir.join(account).join(region).join(file);
                let (service, rest) = file.split_once('/').unwrap();
                let op = rest.trim_end_matches(".json").split('/').next().unwrap();
                if path.exists() {
                    let value = read_json(&path);
                    assert!(value.get(key).is_some(), "{} lacks {key}", path.display());
                } else {
                    assert!(
                        has_error(&manifest, account, region, &format!("{service}:{op}")),
                        "{} is missing and not in errors",
                        path.display()
                    );
                }
            }
        }
    }
    manifest
}

/// `pathproof verify --snapshot DIR --format json`: exit code and report.
fn verify(dir: &Path) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_pathproof"))
        .args(["verify", "--format", "json", "--snapshot"])
        .arg(dir)
        .output()
        .expect("run pathproof verify");
    let code = out.status.code().unwrap_or(-1);
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (code, report)
}

fn findings(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|f| {
                    (
                        f["rule_id"].as_str().unwrap_or_default().to_owned(),
                        f["resource"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn two_accounts_two_regions_complete_and_printed_like_the_aws_cli() {
    let Some(moto) = moto("two_accounts_two_regions_complete_and_printed_like_the_aws_cli") else {
        return;
    };
    let (a, b) = ("310000000001", "310000000002");
    let east = moto.scenario("estate", a, "us-west-2");
    let west = moto.scenario("estate", b, "eu-west-1");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("snap");
    let out = moto.snapshot(
        &dir,
        &[
            "--accounts",
            &format!("{a},{b}"),
            "--role-name",
            "pathproof-audit",
            "--regions",
            "us-west-2,eu-west-1",
            "--concurrency",
            "16",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2 accounts, 2 regions"),
        "summary: {}",
        stderr(&out)
    );

    let manifest = assert_layout_complete(&dir);
    assert_eq!(
        manifest["targets"],
        serde_json::json!([
            {"account": a, "regions": ["us-west-2", "eu-west-1"]},
            {"account": b, "regions": ["us-west-2", "eu-west-1"]},
        ])
    );
    assert_eq!(manifest["errors"], serde_json::json!([]));

    // The per-resource files of each estate.
    for (account, region, ids) in [(a, "us-west-2", &east), (b, "eu-west-1", &west)] {
        let base = dir.join(account).join(region);
        let id = |k: &str| ids[k].as_str().unwrap().to_owned();
        for rel in [
            format!(
                "ec2/search-transit-gateway-routes/{}.json",
                id("tgw_route_table")
            ),
            format!(
                "ec2/get-transit-gateway-route-table-associations/{}.json",
                id("tgw_route_table")
            ),
            format!(
                "ec2/get-transit-gateway-route-table-propagations/{}.json",
                id("tgw_route_table")
            ),
            format!(
                "ec2/describe-vpc-endpoint-service-permissions/{}.json",
                id("endpoint_service")
            ),
            format!(
                "ec2/get-managed-prefix-list-entries/{}.json",
                id("prefix_list")
            ),
            "elbv2/describe-listeners/mqtt-nlb.json".to_owned(),
            "elbv2/describe-target-health/mqtt-tg.json".to_owned(),
            format!(
                "route53resolver/list-resolver-endpoint-ip-addresses/{}.json",
                id("resolver_inbound")
            ),
            "iot/get-policy/devices-private.json".to_owned(),
            "iot/list-targets-for-policy/devices-private.json".to_owned(),
        ] {
            assert!(base.join(&rel).exists(), "{account}/{region}/{rel} missing");
        }
        let zone = id("public_zone");
        for rel in [
            format!("route53/get-hosted-zone/{zone}.json"),
            format!("route53/list-resource-record-sets/{zone}.json"),
        ] {
            assert!(
                dir.join(account).join("global").join(&rel).exists(),
                "{rel}"
            );
        }

        // Shapes a reader relies on.
        let routes = read_json(&base.join(format!(
            "ec2/search-transit-gateway-routes/{}.json",
            id("tgw_route_table")
        )));
        assert_eq!(routes["AdditionalRoutesAvailable"], false);
        let cidrs: Vec<&str> = routes["Routes"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["DestinationCidrBlock"].as_str())
            .collect();
        assert!(cidrs.contains(&"10.10.0.0/16") && cidrs.contains(&"192.168.0.0/16"));
        let policy = read_json(&base.join("iot/get-policy/devices-private.json"));
        let doc = policy["policyDocument"].as_str().expect("a JSON string");
        assert!(doc.contains("aws:SourceVpce"));
        let vpcs = read_json(&base.join("ec2/describe-vpcs.json"));
        let tagged = vpcs["Vpcs"].as_array().unwrap().iter().any(|v| {
            v["VpcId"] == ids["device"]
                && v["Tags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|t| t["Key"] == "pathproof:role" && t["Value"] == "device")
        });
        assert!(tagged, "the device VPC keeps its tags");
        let vpn = std::fs::read_to_string(base.join("ec2/describe-vpn-connections.json")).unwrap();
        assert!(!vpn.contains("pre_shared_key") && !vpn.contains("PreSharedKey"));
    }

    // Every file, byte for byte, is what the AWS CLI prints for the same call.
    let report = moto.assert_prints_like_the_cli(&dir);
    assert!(report["compared"].as_u64().unwrap() >= 100, "{report}");
}

#[test]
fn a_failing_call_is_an_error_entry_and_no_file() {
    let Some(moto) = moto("a_failing_call_is_an_error_entry_and_no_file") else {
        return;
    };
    // moto does not implement list-vpc-association-authorizations: every private zone makes
    // that call fail, as a denied call would.
    let account = "320000000001";
    let ids = moto.scenario("private-zone", account, "ap-southeast-2");
    let zone = ids["private_zone"].as_str().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("snap");
    let out = moto.snapshot(
        &dir,
        &[
            "--role-arn",
            &format!("arn:aws:iam::{account}:role/audit"),
            "--regions",
            "ap-southeast-2",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("route53:list-vpc-association-authorizations"),
        "{}",
        stderr(&out)
    );
    let manifest = assert_layout_complete(&dir);
    let errors = manifest["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["account"], account);
    assert_eq!(errors[0]["region"], "global");
    assert_eq!(
        errors[0]["operation"],
        "route53:list-vpc-association-authorizations"
    );
    assert_eq!(errors[0]["resource"], zone);
    assert!(!errors[0]["message"].as_str().unwrap().is_empty());
    let global = dir.join(account).join("global/route53");
    assert!(!global
        .join(format!("list-vpc-association-authorizations/{zone}.json"))
        .exists());
    // The rest of the zone is there: its VPCs and records.
    let zone_file = read_json(&global.join(format!("get-hosted-zone/{zone}.json")));
    assert_eq!(zone_file["VPCs"][0]["VPCId"], ids["device"]);
    assert!(global
        .join(format!("list-resource-record-sets/{zone}.json"))
        .exists());
    moto.assert_prints_like_the_cli(&dir);

    // Incomplete evidence is never a pass.
    let (code, _) = verify(&dir);
    assert_ne!(code, 0, "verify passed a snapshot with errors");
}

#[test]
fn pp001_device_vpc_with_a_default_route_to_an_internet_gateway() {
    let Some(moto) = moto("pp001_device_vpc_with_a_default_route_to_an_internet_gateway") else {
        return;
    };
    let account = "330000000001";
    let ids = moto.scenario("pp001", account, "us-east-2");
    let igw = ids["internet_gateway"].as_str().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("snap");
    let out = moto.snapshot(
        &dir,
        &[
            "--accounts",
            account,
            "--role-name",
            "audit",
            "--regions",
            "us-east-2",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_layout_complete(&dir);
    let (code, report) = verify(&dir);
    assert_eq!(code, 1, "{report}");
    let found = findings(&report);
    assert!(
        found
            .iter()
            .any(|(rule, res)| rule == "PP001" && res == igw),
        "no PP001 on {igw}: {found:?}"
    );
}

#[test]
fn pp014_iot_policy_without_source_vpce_attached_to_a_certificate() {
    let Some(moto) = moto("pp014_iot_policy_without_source_vpce_attached_to_a_certificate") else {
        return;
    };
    let account = "340000000001";
    let ids = moto.scenario("pp014", account, "eu-central-1");
    let policy = ids["iot_policy"].as_str().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("snap");
    let out = moto.snapshot(
        &dir,
        &[
            "--role-arn",
            &format!("arn:aws:iam::{account}:role/audit"),
            "--external-id",
            "pathproof-ci",
            "--regions",
            "eu-central-1",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_layout_complete(&dir);
    let targets = read_json(&dir.join(account).join(format!(
        "eu-central-1/iot/list-targets-for-policy/{policy}.json"
    )));
    assert_eq!(targets["targets"][0], ids["certificate"]);
    let (code, report) = verify(&dir);
    assert_eq!(code, 1, "{report}");
    let found = findings(&report);
    assert!(
        found
            .iter()
            .any(|(rule, res)| rule == "PP014" && res.contains(policy)),
        "no PP014 naming {policy}: {found:?}"
    );
}

/// moto implements the IoT domain configuration calls: a customer-managed domain is collected
/// (listing + describe, printed like the CLI) and, with no private zone for it, every source
/// resolves it publicly (PP003 naming the configuration). moto does not implement
/// ListAuthorizers (`extension_calls_moto_lacks_land_in_manifest_errors`).
#[test]
fn domain_configurations_are_collected_and_proven_like_the_ats_name() {
    let Some(moto) = moto("domain_configurations_are_collected_and_proven_like_the_ats_name")
    else {
        return;
    };
    let account = "340000000029";
    let ids = moto.scenario("domain-config", account, "eu-central-1");
    let (_tmp, dir) = moto.clean_snapshot_of_one_role(account, "eu-central-1");
    let base = dir.join(account).join("eu-central-1/iot");
    let listed = read_json(&base.join("list-domain-configurations.json"));
    assert_eq!(
        listed["domainConfigurations"][0]["domainConfigurationName"],
        ids["domain_configuration"]
    );
    let described = read_json(&base.join("describe-domain-configuration/fleet-mqtt.json"));
    assert_eq!(described["domainName"], ids["domain_name"]);
    assert_eq!(described["domainConfigurationStatus"], "ENABLED");
    let (code, report) = verify(&dir);
    assert_eq!(code, 1, "{report}");
    // The configuration's name is a destination like the ATS name; this moto estate resolves
    // neither privately in its device VPC (enableDnsHostnames false), so its paths fail.
    let to_custom: Vec<&Value> = report["paths"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["destination"] == ids["domain_name"])
        .collect();
    assert!(
        !to_custom.is_empty(),
        "no path to the custom domain: {report}"
    );
    assert!(to_custom.iter().all(|p| p["verdict"] != "private"));
    assert!(to_custom.iter().all(|p| p["findings"]
        .as_array()
        .unwrap()
        .contains(&Value::from("PP003"))));
}

/// moto implements ListThingGroups, DescribeThingGroup and ListThingsInThingGroup: a parent
/// group's policy without aws:SourceVpce reaches the thing in its child group (IoT Developer
/// Guide, "Static thing groups": policies are inherited by child groups and their things), and
/// the collected files print like the CLI.
#[test]
fn thing_groups_are_collected_and_a_parent_groups_policy_reaches_the_childs_thing() {
    let Some(moto) =
        moto("thing_groups_are_collected_and_a_parent_groups_policy_reaches_the_childs_thing")
    else {
        return;
    };
    let account = "340000000031";
    let ids = moto.scenario("thing-groups", account, "eu-central-1");
    let (_tmp, dir) = moto.clean_snapshot_of_one_role(account, "eu-central-1");
    let base = dir.join(account).join("eu-central-1/iot");
    let listed = read_json(&base.join("list-thing-groups.json"));
    let mut names: Vec<&str> = listed["thingGroups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["groupName"].as_str().unwrap())
        .collect();
    names.sort();
    // `devices` is the estate's own group (scenario.py).
    assert_eq!(names, ["devices", "plant", "plant-line-1"]);
    let child = read_json(&base.join("describe-thing-group/plant-line-1.json"));
    assert_eq!(child["thingGroupMetadata"]["parentGroupName"], "plant");
    let members = read_json(&base.join("list-things-in-thing-group/plant-line-1.json"));
    assert_eq!(members["things"], serde_json::json!([ids["thing"]]));
    let (code, report) = verify(&dir);
    assert_eq!(code, 1, "{report}");
    let found = findings(&report);
    let policy = ids["iot_policy"].as_str().unwrap();
    assert!(
        found
            .iter()
            .any(|(rule, res)| rule == "PP014" && res == policy),
        "no PP014 naming {policy}: {found:?}"
    );
    let msg = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "PP014" && f["resource"] == policy)
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        msg.contains("sensor-7") || msg.contains("thinggroup/plant"),
        "{msg}"
    );
}

#[test]
fn without_roles_the_callers_account_is_collected() {
    let Some(moto) = moto("without_roles_the_callers_account_is_collected") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("snap");
    // The region from the environment, as the default chain would find it.
    let out = pathproof(&moto.url)
        .env("AWS_REGION", "sa-east-1")
        .args(["snapshot", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let manifest = assert_layout_complete(&dir);
    // moto's caller account for plain test credentials.
    assert_eq!(
        manifest["targets"],
        serde_json::json!([{"account": "123456789012", "regions": ["sa-east-1"]}])
    );
}

#[test]
fn every_page_of_a_paginated_listing_is_merged() {
    let Some(moto) = moto("every_page_of_a_paginated_listing_is_merged") else {
        return;
    };
    // 650 records: three pages of list-resource-record-sets (300 a page), whose page token has
    // three parts (name, type, identifier).
    let account = "350000000001";
    let zone = moto.python(
        "scenario.py",
        &[&moto.url, "records", account, "ca-central-1", "650"],
    )["zone"]
        .as_str()
        .unwrap()
        .to_owned();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("snap");
    let out = moto.snapshot(
        &dir,
        &[
            "--accounts",
            account,
            "--role-name",
            "audit",
            "--regions",
            "ca-central-1",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let records = read_json(&dir.join(account).join(format!(
        "global/route53/list-resource-record-sets/{zone}.json"
    )));
    // 650 A records, plus the zone's SOA and NS.
    assert_eq!(records["ResourceRecordSets"].as_array().unwrap().len(), 652);
    assert_eq!(records.as_object().unwrap().len(), 1, "no page tokens kept");
    moto.assert_prints_like_the_cli(&dir);
}

#[test]
fn no_credentials_is_exit_2_before_any_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("snap");
    let out = pathproof("http://127.0.0.1:9")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .args(["snapshot", "--regions", "us-west-2", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("sts:GetCallerIdentity"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("manifest.json").exists());
}

#[test]
fn bad_flags_and_a_used_out_folder_are_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let used = tmp.path().join("used");
    std::fs::create_dir_all(&used).unwrap();
    std::fs::write(used.join("old.json"), "{}").unwrap();
    let fresh = tmp.path().join("fresh");
    let cases: Vec<(Vec<&str>, &Path, &str)> = vec![
        (vec!["--regions", "us-west-2"], &used, "not empty"),
        (vec!["--regions", "../../etc"], &fresh, "not a region"),
        (
            vec!["--accounts", "12345", "--role-name", "audit"],
            &fresh,
            "12-digit",
        ),
        (
            vec!["--role-arn", "arn:aws:iam::111111111111:user/bob"],
            &fresh,
            "not an IAM role ARN",
        ),
        (vec!["--concurrency", "0"], &fresh, "at least 1"),
        (vec!["--organization"], &fresh, "--role-name"),
        (
            vec![
                "--organization",
                "--role-name",
                "a",
                "--accounts",
                "111111111111",
            ],
            &fresh,
            "cannot be used with",
        ),
        (
            vec![
                "--organization",
                "--role-name",
                "a",
                "--role-arn",
                "arn:aws:iam::111111111111:role/a",
            ],
            &fresh,
            "cannot be used with",
        ),
        (vec!["--ou", "ou-ab12-cdefgh34"], &fresh, "--organization"),
        (
            vec!["--organization", "--role-name", "a", "--ou", "ou-x"],
            &fresh,
            "not an organizational unit id",
        ),
        (vec!["--shard", "0/3"], &fresh, "1 <= I <= N"),
        (vec!["--shard", "4/3"], &fresh, "1 <= I <= N"),
        (vec!["--shard", "2"], &fresh, "expected I/N"),
    ];
    for (args, out_dir, expect) in cases {
        let out = pathproof("http://127.0.0.1:9")
            .arg("snapshot")
            .arg("--out")
            .arg(out_dir)
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(expect), "{args:?}: {}", stderr(&out));
    }
    assert!(!fresh.exists(), "nothing is created for bad flags");
}

/// Benchmark: 200 VPCs over 3 accounts, 2 regions. Not run by default (nor in CI):
/// `./scripts/test --test collect -- --ignored --nocapture bench_` (or with cargo test).
#[test]
#[ignore = "benchmark; run with --ignored"]
fn bench_200_vpcs_3_accounts() {
    let Some(moto) = moto("bench_200_vpcs_3_accounts") else {
        return;
    };
    // Fresh account ids on every run, so the benchmark can run again on the same server.
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() % 1_000_000)
        .unwrap_or(0);
    let accounts: Vec<String> = (1..=3).map(|i| format!("39{seed:06}{i:04}")).collect();
    let regions = ["us-west-2", "eu-west-1"];
    let started = Instant::now();
    // 200 VPCs: 34 per account and region, 4 fewer in the last.
    let mut made = 0;
    for (i, account) in accounts.iter().enumerate() {
        for (j, region) in regions.iter().enumerate() {
            let n = if i == 2 && j == 1 { 30 } else { 34 };
            moto.python(
                "scenario.py",
                &[&moto.url, "vpcs", account, region, &n.to_string()],
            );
            made += n;
        }
    }
    assert_eq!(made, 200);
    let setup = started.elapsed().as_secs_f64();

    // A counting proxy in front of moto measures the calls independently.
    let (_proxy, proxy_url) = start_proxy(&moto);

    let tmp = tempfile::tempdir().unwrap();
    for concurrency in ["8", "32"] {
        let dir = tmp.path().join(format!("snap-{concurrency}"));
        proxy_get(&proxy_url, "/__reset");
        let t = Instant::now();
        let out = pathproof(&proxy_url)
            .args(["snapshot", "--endpoint-url", &proxy_url, "--out"])
            .arg(&dir)
            .args([
                "--accounts",
                &accounts.join(","),
                "--role-name",
                "audit",
                "--regions",
                &regions.join(","),
                "--concurrency",
                concurrency,
            ])
            .output()
            .unwrap();
        let wall = t.elapsed().as_secs_f64();
        let counts = proxy_get(&proxy_url, "/__counts");
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let vpcs: usize = accounts
            .iter()
            .flat_map(|a| regions.iter().map(move |r| (a, r)))
            .map(|(a, r)| {
                read_json(&dir.join(a).join(r).join("ec2/describe-vpcs.json"))["Vpcs"]
                    .as_array()
                    .unwrap()
                    .len()
            })
            .sum();
        let requests = counts["requests"].as_u64().unwrap();
        let repeated = counts["repeated"].as_u64().unwrap();
        eprintln!(
            "bench: concurrency {concurrency}: {wall:.2} s wall, {requests} requests at the server \
             ({:.0} calls/s), {repeated} repeated, {vpcs} VPCs collected (200 made + 6 default); \
             setup {setup:.1} s\n\
             bench: pathproof says: {}",
            requests as f64 / wall,
            stderr(&out).lines().last().unwrap_or_default()
        );
        eprintln!("bench: requests by operation: {}", counts["by_operation"]);
        assert_eq!(repeated, 0, "{:?}", counts["repeated_examples"]);
        assert_eq!(vpcs, 206);
    }
}

/// The counting proxy (`tests/moto/count_proxy.py`) in front of moto, and its URL.
fn start_proxy(moto: &Moto) -> (Reaped, String) {
    let mut proxy = Reaped(
        std::process::Command::new(&moto.python)
            .arg(root().join("tests/moto/count_proxy.py"))
            .arg(&moto.url)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start the counting proxy"),
    );
    let mut line = String::new();
    {
        use std::io::BufRead;
        let stdout = proxy.0.stdout.take().unwrap();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .unwrap();
    }
    let port = line.trim().trim_start_matches("PORT ").to_owned();
    (proxy, format!("http://127.0.0.1:{port}"))
}

/// Benchmark: an organisation of 10 ACTIVE accounts (and a closed one) × 2 Regions, 10 VPCs in
/// each member account and Region, collected with `--organization` (concurrency 8 and 32) and
/// as 3 shards run at the same time (concurrency 8 each) then merged. Calls are counted at the
/// server (the counting proxy). Not run by default:
/// `./scripts/test --test collect -- --ignored --nocapture bench_organization`.
#[test]
#[ignore = "benchmark; run with --ignored"]
fn bench_organization_shards() {
    let Some(moto) = moto("bench_organization_shards") else {
        return;
    };
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() % 1_000_000)
        .unwrap_or(0);
    let regions = ["us-west-2", "eu-west-1"];
    let started = Instant::now();
    let org = moto.org(&format!("38{seed:06}0001"), regions[0], 5);
    let members: Vec<String> = org["accounts"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| k.as_str() != "closed_a")
        .map(|(_, v)| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(members.len(), 9);
    for account in &members {
        for region in regions {
            moto.python("scenario.py", &[&moto.url, "vpcs", account, region, "10"]);
        }
    }
    let setup = started.elapsed().as_secs_f64();
    let (_proxy, proxy_url) = start_proxy(&moto);
    let flags = [
        "--organization",
        "--role-name",
        "audit",
        "--regions",
        "us-west-2,eu-west-1",
    ];
    let tmp = tempfile::tempdir().unwrap();
    let report = |what: &str, wall: f64| {
        let counts = proxy_get(&proxy_url, "/__counts");
        let requests = counts["requests"].as_u64().unwrap();
        // Only what every job does for itself may repeat: who am I, the account list, the
        // role of an account whose Regions are in several shards. No data call twice.
        for op in counts["repeated_by_operation"].as_object().unwrap().keys() {
            assert!(
                [
                    "sts:GetCallerIdentity",
                    "sts:AssumeRole",
                    "organizations:ListAccounts"
                ]
                .contains(&op.as_str()),
                "{op} repeated: {:?}",
                counts["repeated_examples"]
            );
        }
        eprintln!(
            "bench: {what}: {wall:.2} s wall, {requests} requests at the server ({} repeated: {}), {:.0} calls/s; setup {setup:.1} s",
            counts["repeated"],
            counts["repeated_by_operation"],
            requests as f64 / wall
        );
    };
    for concurrency in ["8", "32"] {
        let dir = tmp.path().join(format!("org-{concurrency}"));
        proxy_get(&proxy_url, "/__reset");
        let t = Instant::now();
        let out = as_management(&proxy_url, &org)
            .args(["snapshot", "--endpoint-url", &proxy_url, "--out"])
            .arg(&dir)
            .args(flags)
            .args(["--concurrency", concurrency])
            .output()
            .unwrap();
        let wall = t.elapsed().as_secs_f64();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        report(
            &format!("--organization, 10 accounts x 2 regions, concurrency {concurrency}"),
            wall,
        );
    }
    proxy_get(&proxy_url, "/__reset");
    let t = Instant::now();
    let jobs: Vec<(PathBuf, std::process::Child)> = (1..=3)
        .map(|i| {
            let dir = tmp.path().join(format!("shard-{i}"));
            let child = as_management(&proxy_url, &org)
                .args(["snapshot", "--endpoint-url", &proxy_url, "--out"])
                .arg(&dir)
                .args(flags)
                .args(["--concurrency", "8", "--shard", &format!("{i}/3")])
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            (dir, child)
        })
        .collect();
    let mut dirs = Vec::new();
    for (dir, child) in jobs {
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        dirs.push(dir);
    }
    let wall = t.elapsed().as_secs_f64();
    report("3 shards in parallel, concurrency 8 each", wall);
    let merged = tmp.path().join("merged");
    let t = Instant::now();
    let out = merge(
        &merged,
        &dirs.iter().map(PathBuf::as_path).collect::<Vec<_>>(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    eprintln!(
        "bench: merge of 3 shards: {:.2} s ({})",
        t.elapsed().as_secs_f64(),
        stderr(&out).trim()
    );
    let (want, got) = (files_of(&tmp.path().join("org-8")), files_of(&merged));
    assert_eq!(
        want.keys().collect::<Vec<_>>(),
        got.keys().collect::<Vec<_>>()
    );
}

/// A child process that is stopped when the test ends, even when it fails.
struct Reaped(std::process::Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn proxy_get(proxy: &str, path: &str) -> Value {
    // The proxy answers plain HTTP; a tiny client keeps the test free of HTTP crates.
    use std::io::{Read, Write};
    let addr = proxy.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    let body = text.split("\r\n\r\n").nth(1).unwrap_or_default();
    serde_json::from_str(body).unwrap()
}

/// `verify --live` collects into a temporary folder and verifies in one step (the CI form).
#[test]
fn verify_live_collects_and_verifies_in_one_step() {
    let Some(moto) = moto("verify_live_collects_and_verifies_in_one_step") else {
        return;
    };
    let account = "330000000077";
    let ids = moto.scenario("pp001", account, "us-east-2");
    let igw = ids["internet_gateway"].as_str().unwrap();
    let out = pathproof(&moto.url)
        .args(["verify", "--live", "--format", "json"])
        .args(["--endpoint-url", &moto.url])
        .args([
            "--accounts",
            account,
            "--role-name",
            "audit",
            "--regions",
            "us-east-2",
        ])
        .output()
        .expect("run pathproof");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let found = findings(&report);
    assert!(
        found
            .iter()
            .any(|(rule, res)| rule == "PP001" && res == igw),
        "no PP001 on {igw}: {found:?}"
    );
    assert!(
        report["snapshot"]["collector"]
            .as_str()
            .is_some_and(|c| c.starts_with("pathproof")),
        "{}",
        report["snapshot"]
    );
}

// ---------------------------------------------------------------------------------------------
// Organisation scale: --organization, --ou, --shard and snapshot merge.

impl Moto {
    /// An AWS Organizations organisation managed by `management` (`scenario.py org`).
    fn org(&self, management: &str, region: &str, extra: usize) -> Value {
        self.python(
            "scenario.py",
            &[&self.url, "org", management, region, &extra.to_string()],
        )
    }
}

/// pathproof with the credentials of `org`'s management account (the caller).
fn as_management(endpoint: &str, org: &Value) -> Command {
    let mut cmd = pathproof(endpoint);
    for (k, v) in org["credentials"].as_object().unwrap() {
        cmd.env(k, v.as_str().unwrap());
    }
    cmd
}

fn targets_of(manifest: &Value) -> Vec<(String, Vec<String>)> {
    manifest["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["account"].as_str().unwrap().to_owned(),
                t["regions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn organization_collects_every_active_account_and_lists_the_skipped() {
    let Some(moto) = moto("organization_collects_every_active_account_and_lists_the_skipped")
    else {
        return;
    };
    let region = "us-west-2";
    let org = moto.org("363000000001", region, 0);
    let id = |k: &str| org["accounts"][k].as_str().unwrap().to_owned();
    let ou = |k: &str| org["ous"][k].as_str().unwrap().to_owned();
    let management = org["management"].as_str().unwrap().to_owned();
    let closed = id("closed_a");
    // moto makes random 12-digit ids; the test relies only on them being distinct.
    let members = ["member_root", "member_a", "member_b", "member_c"].map(id);
    assert_eq!(
        members
            .iter()
            .chain([&closed, &management])
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        6
    );

    let tmp = tempfile::tempdir().unwrap();
    let run = |name: &str, ous: &[String]| {
        let dir = tmp.path().join(name);
        let mut cmd = as_management(&moto.url, &org);
        cmd.args(["snapshot", "--endpoint-url", &moto.url, "--out"])
            .arg(&dir)
            .args([
                "--organization",
                "--role-name",
                "audit",
                "--regions",
                region,
            ]);
        for o in ous {
            cmd.args(["--ou", o]);
        }
        let out = cmd.output().unwrap();
        (dir, out)
    };

    // The whole organisation: ListAccounts lists the management account and every member;
    // the closed (SUSPENDED) one is skipped.
    let (dir, out) = run("all", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let manifest = assert_layout_complete(&dir);
    let mut want: Vec<String> = members.to_vec();
    want.push(management.clone());
    let want = sorted(want);
    assert_eq!(
        targets_of(&manifest),
        want.iter()
            .map(|a| (a.clone(), vec![region.to_owned()]))
            .collect::<Vec<_>>(),
        "every ACTIVE account, sorted"
    );
    assert_eq!(
        manifest["skipped"].as_array().unwrap().len(),
        1,
        "{}",
        manifest["skipped"]
    );
    assert_eq!(manifest["skipped"][0]["account"], closed.as_str());
    assert_eq!(manifest["skipped"][0]["state"], "SUSPENDED");
    assert_eq!(manifest["skipped"][0]["status"], "SUSPENDED");
    assert_eq!(
        manifest["organization"],
        serde_json::json!({"id": org["organization"]})
    );
    assert!(
        !dir.join(&closed).exists(),
        "nothing collected from the closed account"
    );
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "pathproof: skipped account {closed} (State SUSPENDED, Status SUSPENDED)"
        )),
        "{err}"
    );
    // Not a terminal: one line per finished account.
    for account in &want {
        assert!(
            err.lines().any(
                |l| l.starts_with(&format!("pathproof: account {account} ("))
                    && l.contains("): 1 region, ")
                    && l.contains(" 0 errors, ")
            ),
            "no progress line for {account}: {err}"
        );
    }
    assert!(err.contains("(5/5)"), "{err}");
    // The role was assumed in the right account: each member's VPC carries its own name.
    for key in ["member_root", "member_a", "member_b", "member_c"] {
        let vpcs = read_json(
            &dir.join(id(key))
                .join(region)
                .join("ec2/describe-vpcs.json"),
        );
        let named = vpcs["Vpcs"].as_array().unwrap().iter().any(|v| {
            v["Tags"]
                .as_array()
                .is_some_and(|t| t.iter().any(|t| t["Key"] == "Name" && t["Value"] == key))
        });
        assert!(named, "{key}: {vpcs}");
    }

    // --ou a: the accounts in a and in its nested OU b; the closed account in a is skipped.
    let (dir, out) = run("ou-a", &[ou("a")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let manifest = assert_layout_complete(&dir);
    let accounts: Vec<String> = targets_of(&manifest).into_iter().map(|(a, _)| a).collect();
    assert_eq!(accounts, sorted(vec![id("member_a"), id("member_b")]));
    assert_eq!(manifest["skipped"][0]["account"], closed.as_str());
    assert_eq!(
        manifest["organization"]["ous"],
        serde_json::json!([ou("a")])
    );

    // --ou b --ou c: nothing of a above b, and nothing skipped.
    let (dir, out) = run("ou-b-c", &[ou("b"), ou("c")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let manifest = read_json(&dir.join("manifest.json"));
    let accounts: Vec<String> = targets_of(&manifest).into_iter().map(|(a, _)| a).collect();
    assert_eq!(accounts, sorted(vec![id("member_b"), id("member_c")]));
    assert_eq!(manifest["skipped"], serde_json::json!([]));

    // The root, recursively, is the whole organisation again.
    let root = org["root"].as_str().unwrap().to_owned();
    let (dir, out) = run("root", &[root]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let manifest = read_json(&dir.join("manifest.json"));
    let accounts: Vec<String> = targets_of(&manifest).into_iter().map(|(a, _)| a).collect();
    assert_eq!(accounts, want);

    // verify --live takes the same flags.
    let out = as_management(&moto.url, &org)
        .args([
            "verify",
            "--live",
            "--format",
            "json",
            "--endpoint-url",
            &moto.url,
        ])
        .args([
            "--organization",
            "--ou",
            &ou("c"),
            "--role-name",
            "audit",
            "--regions",
            region,
        ])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    assert!(
        stderr(&out).contains("collected 1 account,"),
        "{}",
        stderr(&out)
    );
    assert!(report["snapshot"]["collector"]
        .as_str()
        .is_some_and(|c| c.starts_with("pathproof")));
}

#[test]
fn organizations_not_answering_is_exit_2_and_no_snapshot() {
    let Some(moto) = moto("organizations_not_answering_is_exit_2_and_no_snapshot") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    // Organizations does not answer (here: nothing listens where its calls go; in AWS, a member
    // account that is not a delegated administrator gets AccessDenied): no account list, no
    // scope, no snapshot. Everything else still goes to moto.
    let dir = tmp.path().join("unreachable");
    let out = pathproof(&moto.url)
        .env("AWS_ENDPOINT_URL_ORGANIZATIONS", "http://127.0.0.1:9")
        .args(["snapshot", "--out"])
        .arg(&dir)
        .args([
            "--organization",
            "--role-name",
            "audit",
            "--regions",
            "us-west-2",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("cannot list the organisation's accounts"),
        "{err}"
    );
    assert!(err.contains("organizations:list-accounts failed"), "{err}");
    assert!(
        err.contains("management account or in a delegated administrator account"),
        "{err}"
    );
    assert!(!dir.join("manifest.json").exists(), "no scope, no snapshot");

    // moto's default caller account (123456789012) has no organisation and moto lists no
    // account for it (AWS would answer AWSOrganizationsNotInUseException): nothing to collect
    // is not an empty snapshot either.
    let dir = tmp.path().join("empty");
    let out = moto.snapshot(
        &dir,
        &[
            "--organization",
            "--role-name",
            "audit",
            "--regions",
            "us-west-2",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no ACTIVE account"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("manifest.json").exists(), "no scope, no snapshot");
}

/// Every file of a snapshot folder, relative path → bytes.
fn files_of(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_str().unwrap().to_owned();
                files.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// moto invents a new IoT endpoint address on every `describe-endpoint` call
/// (moto/iot/models.py `describe_endpoint` makes a new `FakeEndpoint` each time; AWS has one per
/// account and Region), so two collections never agree on those files: they are compared by
/// shape (the same key, an address of the type's form in the file's Region).
fn is_moto_random(rel: &str) -> bool {
    rel.contains("/iot/describe-endpoint/")
}

#[test]
fn shards_merged_equal_one_unsharded_run_file_for_file() {
    let Some(moto) = moto("shards_merged_equal_one_unsharded_run_file_for_file") else {
        return;
    };
    // A is listed first but sorts last: the split must not follow the command line.
    let (a, b) = ("364000000002", "364000000001");
    moto.scenario("estate", a, "us-west-2");
    moto.scenario("estate", b, "eu-west-1");
    // A private zone in A: its list-vpc-association-authorizations fails in moto (not
    // implemented), an errors entry of A's Route 53 (region global) that must survive the merge.
    moto.scenario("private-zone", a, "us-west-2");
    let flags = [
        "--accounts",
        &format!("{a},{b}"),
        "--role-name",
        "audit",
        "--regions",
        "us-west-2,eu-west-1",
        "--concurrency",
        "16",
    ];
    let tmp = tempfile::tempdir().unwrap();
    let full = tmp.path().join("full");
    let out = moto.snapshot(&full, &flags);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the private zone's error: {}",
        stderr(&out)
    );

    // The oracle, from the documented rule: pairs sorted by (account, Region) are
    // (B,eu-west-1) (B,us-west-2) (A,eu-west-1) (A,us-west-2); the k-th goes to shard k mod 3 + 1.
    // Route 53 of an account goes with its first Region in sorted order (eu-west-1).
    // Targets keep the plan's order: A before B, us-west-2 before eu-west-1.
    let t = |account: &str, regions: &[&str]| {
        (
            account.to_owned(),
            regions.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
        )
    };
    // (targets, accounts whose Route 53 the shard holds, exit code)
    type Shard<'a> = (Vec<(String, Vec<String>)>, Vec<&'a str>, i32);
    let expected: [Shard; 3] = [
        (vec![t(a, &["us-west-2"]), t(b, &["eu-west-1"])], vec![b], 0),
        (vec![t(b, &["us-west-2"])], vec![], 0),
        (vec![t(a, &["eu-west-1"])], vec![a], 1),
    ];
    let mut shards = Vec::new();
    for (i, (targets, route53, code)) in expected.iter().enumerate() {
        let dir = tmp.path().join(format!("shard-{}", i + 1));
        let mut args: Vec<&str> = flags.to_vec();
        let shard = format!("{}/3", i + 1);
        args.extend(["--shard", &shard]);
        let out = moto.snapshot(&dir, &args);
        assert_eq!(
            out.status.code(),
            Some(*code),
            "shard {shard}: {}",
            stderr(&out)
        );
        let manifest = read_json(&dir.join("manifest.json"));
        assert_eq!(
            &targets_of(&manifest),
            targets,
            "shard {shard} lists exactly its pairs"
        );
        assert_eq!(manifest["shard"]["index"], i + 1);
        assert_eq!(manifest["shard"]["count"], 3);
        assert_eq!(
            targets_of(&serde_json::json!({"targets": manifest["shard"]["scope"]})),
            vec![
                t(a, &["us-west-2", "eu-west-1"]),
                t(b, &["us-west-2", "eu-west-1"])
            ]
        );
        for account in [a, b] {
            assert_eq!(
                dir.join(account).join("global").exists(),
                route53.contains(&account),
                "shard {shard}: Route 53 of {account}"
            );
        }
        shards.push(dir);
    }
    // The private zone's error is A's, in the shard that holds A's Route 53 only.
    let shard3 = read_json(&shards[2].join("manifest.json"));
    assert!(has_error(
        &shard3,
        a,
        "global",
        "route53:list-vpc-association-authorizations"
    ));

    let merged = tmp.path().join("merged");
    let out = pathproof(&moto.url)
        .args(["snapshot", "merge"])
        .arg(&merged)
        .args(&shards)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "errors make exit 1: {}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("merged 3 snapshots"),
        "{}",
        stderr(&out)
    );

    // File for file, byte for byte, as the unsharded run — but for moto's random IoT endpoints.
    let (want, got) = (files_of(&full), files_of(&merged));
    assert_eq!(
        want.keys().collect::<Vec<_>>(),
        got.keys().collect::<Vec<_>>(),
        "the same files"
    );
    let mut compared = 0;
    for (rel, bytes) in &want {
        if rel == "manifest.json" {
            continue;
        }
        if is_moto_random(rel) {
            let (w, g): (Value, Value) = (
                serde_json::from_slice(bytes).unwrap(),
                serde_json::from_slice(&got[rel]).unwrap(),
            );
            let region = rel.split('/').nth(1).unwrap();
            assert_eq!(w.as_object().unwrap().len(), 1, "{rel}");
            assert!(
                g["endpointAddress"]
                    .as_str()
                    .is_some_and(|s| s.ends_with(&format!(".iot.{region}.amazonaws.com"))),
                "{rel}: {g}"
            );
            assert_eq!(g.as_object().unwrap().len(), 1, "{rel}");
            continue;
        }
        assert!(got[rel] == *bytes, "{rel} differs");
        compared += 1;
    }
    let random = want.keys().filter(|rel| is_moto_random(rel)).count();
    assert_eq!(random, 12, "3 endpoint types × 2 accounts × 2 Regions");
    assert_eq!(compared, want.len() - 1 - random);
    assert!(compared > 150, "{compared} files compared");

    // The manifest: the same but for collected_at (the merge's is the earliest shard's start;
    // the unsharded run started before the shards) and merged_from (one entry per shard).
    let (mf, mm) = (
        read_json(&full.join("manifest.json")),
        read_json(&merged.join("manifest.json")),
    );
    for field in ["format", "collector", "partition", "targets", "errors"] {
        assert_eq!(mf[field], mm[field], "manifest {field}");
    }
    let first_shard = read_json(&shards[0].join("manifest.json"));
    assert_eq!(
        mm["collected_at"], first_shard["collected_at"],
        "the earliest shard's"
    );
    let from = mm["merged_from"].as_array().unwrap();
    assert_eq!(from.len(), 3);
    for (i, entry) in from.iter().enumerate() {
        assert_eq!(
            entry["shard"],
            serde_json::json!({"index": i + 1, "count": 3})
        );
    }
    assert!(mm.get("shard").is_none(), "the merge is not a shard");
    let mut fields: Vec<&String> = mm.as_object().unwrap().keys().collect();
    fields.retain(|k| !["collected_at", "merged_from"].contains(&k.as_str()));
    let mut full_fields: Vec<&String> = mf.as_object().unwrap().keys().collect();
    full_fields.retain(|k| k.as_str() != "collected_at");
    assert_eq!(fields, full_fields, "no other manifest field differs");

    // It loads, and verifies, as the unsharded snapshot does.
    assert_layout_complete(&merged);
    moto.assert_prints_like_the_cli(&merged);
    let (code_full, report_full) = verify(&full);
    let (code_merged, report_merged) = verify(&merged);
    assert_eq!(code_merged, code_full);
    let rules = |r: &Value| {
        let mut v: Vec<String> = findings(r).into_iter().map(|(rule, _)| rule).collect();
        v.sort();
        v
    };
    assert_eq!(rules(&report_merged), rules(&report_full));
    assert!(
        rules(&report_full).contains(&"PP017".to_owned()),
        "the private zone's error is incomplete evidence"
    );
}

// --- merge without a server: small hand-made snapshots --------------------------------------

const A: &str = "111111111111";
const B: &str = "222222222222";

/// A snapshot folder with `manifest` and `files` (relative path, content).
fn fake(dir: &Path, manifest: Value, files: &[(&str, &str)]) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("manifest.json"), manifest.to_string()).unwrap();
    for (rel, text) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir.to_path_buf()
}

fn manifest(targets: Value) -> Value {
    serde_json::json!({
        "format": "pathproof-snapshot/1",
        "collected_at": "2026-11-25T18:00:00Z",
        "collector": "pathproof 0.1.0",
        "targets": targets,
        "errors": []
    })
}

fn merge(out: &Path, inputs: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pathproof"))
        .args(["snapshot", "merge"])
        .arg(out)
        .args(inputs)
        .output()
        .unwrap()
}

const VPCS: &str = "{\n    \"Vpcs\": []\n}\n";
const ZONES: &str = "{\n    \"HostedZones\": []\n}\n";

#[test]
fn merge_unions_disjoint_snapshots_and_accepts_identical_overlaps() {
    let tmp = tempfile::tempdir().unwrap();
    let x = fake(
        &tmp.path().join("x"),
        manifest(serde_json::json!([{"account": A, "regions": ["us-west-2"]}])),
        &[
            (&format!("{A}/us-west-2/ec2/describe-vpcs.json"), VPCS),
            (&format!("{A}/global/route53/list-hosted-zones.json"), ZONES),
        ],
    );
    let mut later = manifest(serde_json::json!([
        {"account": B, "regions": ["eu-west-1"]},
        {"account": A, "regions": ["us-west-2", "eu-west-1"]}
    ]));
    later["collected_at"] = "2026-11-25T19:00:00Z".into();
    later["errors"] = serde_json::json!([{"account": B, "region": "eu-west-1", "operation": "ec2:describe-subnets", "message": "AccessDenied"}]);
    // y overlaps x in A/us-west-2 and A/global with the same bytes, and adds more.
    let y = fake(
        &tmp.path().join("y"),
        later,
        &[
            (&format!("{A}/us-west-2/ec2/describe-vpcs.json"), VPCS),
            (&format!("{A}/eu-west-1/ec2/describe-vpcs.json"), VPCS),
            (&format!("{A}/global/route53/list-hosted-zones.json"), ZONES),
            (&format!("{B}/eu-west-1/ec2/describe-vpcs.json"), VPCS),
        ],
    );
    let out_dir = tmp.path().join("merged");
    let out = merge(&out_dir, &[&x, &y]);
    assert_eq!(out.status.code(), Some(1), "y's error: {}", stderr(&out));
    let m = read_json(&out_dir.join("manifest.json"));
    assert_eq!(
        m["targets"],
        serde_json::json!([
            {"account": A, "regions": ["us-west-2", "eu-west-1"]},
            {"account": B, "regions": ["eu-west-1"]}
        ]),
        "unioned per account, in order of first mention"
    );
    assert_eq!(m["errors"].as_array().unwrap().len(), 1);
    assert_eq!(m["collected_at"], "2026-11-25T18:00:00Z", "the earliest");
    assert_eq!(m["partition"], "aws", "from the Regions");
    assert_eq!(
        m["merged_from"],
        serde_json::json!([
            {"collected_at": "2026-11-25T18:00:00Z", "collector": "pathproof 0.1.0"},
            {"collected_at": "2026-11-25T19:00:00Z", "collector": "pathproof 0.1.0"}
        ])
    );
    let files: Vec<String> = files_of(&out_dir).into_keys().collect();
    assert_eq!(
        files,
        [
            format!("{A}/eu-west-1/ec2/describe-vpcs.json"),
            format!("{A}/global/route53/list-hosted-zones.json"),
            format!("{A}/us-west-2/ec2/describe-vpcs.json"),
            format!("{B}/eu-west-1/ec2/describe-vpcs.json"),
            "manifest.json".to_owned(),
        ]
    );
    // A merge is itself an input: merging it again gives the same targets and files.
    let again = tmp.path().join("again");
    let out = merge(&again, &[&out_dir]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let m2 = read_json(&again.join("manifest.json"));
    assert_eq!(m2["targets"], m["targets"]);
    assert_eq!(
        m2["merged_from"], m["merged_from"],
        "the original inputs, not the merge"
    );
    assert_eq!(files_of(&again).len(), files.len());
}

#[test]
fn merge_refuses_inputs_that_disagree() {
    let tmp = tempfile::tempdir().unwrap();
    let one = |name: &str, targets: Value, files: &[(&str, &str)]| {
        fake(&tmp.path().join(name), manifest(targets), files)
    };
    let at = |region: &str| format!("{A}/{region}/ec2/describe-vpcs.json");
    let west = serde_json::json!([{"account": A, "regions": ["us-west-2"]}]);
    let base = one("base", west.clone(), &[(&at("us-west-2"), VPCS)]);
    let other_vpcs = "{\n    \"Vpcs\": [{\"VpcId\": \"vpc-1\"}]\n}\n";
    let differing = one("differing", west.clone(), &[(&at("us-west-2"), other_vpcs)]);
    let lacking = one(
        "lacking",
        west.clone(),
        &[(
            &format!("{A}/us-west-2/ec2/describe-subnets.json"),
            "{\"Subnets\": []}",
        )],
    );
    let empty = one("empty", west.clone(), &[]);
    let zones_a = one(
        "zones-a",
        serde_json::json!([{"account": A, "regions": ["eu-west-1"]}]),
        &[(&format!("{A}/global/route53/list-hosted-zones.json"), ZONES)],
    );
    let zones_b = one(
        "zones-b",
        serde_json::json!([{"account": A, "regions": ["eu-central-1"]}]),
        &[(
            &format!("{A}/global/route53/list-hosted-zones.json"),
            "{\"HostedZones\": [1]}",
        )],
    );
    let mut v2 = manifest(west.clone());
    v2["format"] = "pathproof-snapshot/2".into();
    let format2 = fake(&tmp.path().join("format2"), v2, &[]);
    let china = one(
        "china",
        serde_json::json!([{"account": B, "regions": ["cn-north-1"]}]),
        &[],
    );
    let mut mislabelled = manifest(serde_json::json!([{"account": B, "regions": ["eu-west-1"]}]));
    mislabelled["partition"] = "aws-cn".into();
    let mislabelled = fake(&tmp.path().join("mislabelled"), mislabelled, &[]);
    let linked = one("linked", west.clone(), &[]);
    std::fs::create_dir_all(linked.join(A).join("us-west-2/ec2")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(base.join(at("us-west-2")), linked.join(at("us-west-2"))).unwrap();
    let bad_region = one(
        "bad-region",
        serde_json::json!([{"account": A, "regions": ["../../etc"]}]),
        &[],
    );

    let cases: Vec<(&str, Vec<&Path>, Vec<String>)> = vec![
        (
            "differing duplicate",
            vec![&base, &differing],
            vec![
                at("us-west-2"),
                "differs between".into(),
                base.display().to_string(),
                differing.display().to_string(),
            ],
        ),
        (
            "overlapping target, a file in one only",
            vec![&base, &lacking],
            vec![
                format!("{A}/us-west-2/ is in both"),
                "describe-subnets.json is only in".into(),
            ],
        ),
        (
            "overlapping target without its files",
            vec![&base, &empty],
            vec![format!("{}/us-west-2/ is in both", A), at("us-west-2")],
        ),
        (
            "Route 53 of one account from two inputs, different",
            vec![&zones_a, &zones_b],
            vec![format!("{A}/global/route53/list-hosted-zones.json differs")],
        ),
        (
            "another format",
            vec![&base, &format2],
            vec!["pathproof-snapshot/2".into()],
        ),
        (
            "two partitions",
            vec![&base, &china],
            vec!["aws-cn".into(), "different partitions".into()],
        ),
        (
            "a partition its Regions are not in",
            vec![&mislabelled],
            vec!["eu-west-1 is in partition aws, not aws-cn".into()],
        ),
        (
            "the same input twice",
            vec![&base, &base],
            vec!["given twice".into()],
        ),
        (
            "a Region that is not a name",
            vec![&bad_region],
            vec!["targets[0].regions[0]".into()],
        ),
    ];
    #[cfg(unix)]
    let cases = {
        let mut c = cases;
        c.push((
            "a symbolic link",
            vec![&base, &linked],
            vec!["only regular files".into()],
        ));
        c
    };
    for (what, inputs, expect) in cases {
        let out_dir = tmp.path().join(format!("out-{}", what.replace(' ', "-")));
        let out = merge(&out_dir, &inputs);
        assert_eq!(out.status.code(), Some(2), "{what}: {}", stderr(&out));
        for e in &expect {
            assert!(
                stderr(&out).contains(e.as_str()),
                "{what}: expected {e:?} in {}",
                stderr(&out)
            );
        }
        assert!(
            !out_dir.join("manifest.json").exists(),
            "{what}: nothing written"
        );
    }

    // OUT must be new or empty, and not inside an input.
    let used = one("used", west.clone(), &[]);
    let out = merge(&used, &[&base]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not empty"), "{}", stderr(&out));
    let inside = base.join("merged");
    let out = merge(&inside, &[&base]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("inside the input"),
        "{}",
        stderr(&out)
    );
    assert!(!inside.exists(), "the input is left as it was");
}

#[test]
fn merge_of_shards_needs_every_shard_and_keeps_an_unfinished_one_incomplete() {
    let tmp = tempfile::tempdir().unwrap();
    let scope = serde_json::json!([{"account": A, "regions": ["us-west-2", "eu-west-1"]}]);
    let shard = |name: &str, index: usize, region: &str, scope: &Value| {
        let mut m = manifest(serde_json::json!([{"account": A, "regions": [region]}]));
        m["shard"] = serde_json::json!({"index": index, "count": 2, "scope": scope});
        let mut files = vec![(format!("{A}/{region}/ec2/describe-vpcs.json"), VPCS)];
        if region == "eu-west-1" {
            files.push((format!("{A}/global/route53/list-hosted-zones.json"), ZONES));
        }
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
        (
            fake(&tmp.path().join(name), m, &files),
            read_json(&tmp.path().join(name).join("manifest.json")),
        )
    };
    // Sorted pairs (A,eu-west-1) (A,us-west-2): shard 1 holds eu-west-1 (and Route 53).
    let (one, _) = shard("one", 1, "eu-west-1", &scope);
    let (two, mut two_manifest) = shard("two", 2, "us-west-2", &scope);

    // Both: complete.
    let out_dir = tmp.path().join("merged");
    let out = merge(&out_dir, &[&one, &two]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        read_json(&out_dir.join("manifest.json"))["targets"],
        scope,
        "in the scope's order"
    );

    // One missing.
    let out = merge(&tmp.path().join("m1"), &[&one]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("shard 2/2 is missing"),
        "{}",
        stderr(&out)
    );

    // A shard of another scope (an account joined between the jobs) is not the missing one.
    let wider = serde_json::json!([
        {"account": A, "regions": ["us-west-2", "eu-west-1"]},
        {"account": B, "regions": ["us-west-2", "eu-west-1"]}
    ]);
    let (other, _) = shard("other", 2, "us-west-2", &wider);
    let out = merge(&tmp.path().join("m2"), &[&one, &other]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("different scope"), "{}", stderr(&out));

    // An unfinished shard (its provisional manifest): the merge is made, and incomplete.
    two_manifest["errors"] = serde_json::json!([{
        "account": A, "region": "global", "operation": "pathproof:collect",
        "message": "the collection did not finish"
    }]);
    std::fs::write(two.join("manifest.json"), two_manifest.to_string()).unwrap();
    let out_dir = tmp.path().join("m3");
    let out = merge(&out_dir, &[&one, &two]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("unfinished collection"),
        "{}",
        stderr(&out)
    );
    let m = read_json(&out_dir.join("manifest.json"));
    assert!(has_error(&m, A, "global", "pathproof:collect"), "{m}");
    let (code, report) = verify(&out_dir);
    assert_eq!(code, 1, "{report}");
    assert!(
        findings(&report).iter().any(|(rule, _)| rule == "PP017"),
        "{report}"
    );
}

/// `docs/ci/org-collect.yml` is documentation, not run here: it must still parse, collect in a
/// matrix of shards with OIDC credentials, merge, verify with SARIF and JUnit reports, pin every
/// action to a commit, comment every step — and its pathproof commands must be valid flags.
#[test]
fn the_documented_ci_workflow_is_valid() {
    let Ok(python) = std::env::var("PATHPROOF_PYTHON") else {
        eprintln!("SKIPPED the_documented_ci_workflow_is_valid: PATHPROOF_PYTHON is not set (./scripts/test sets it; the check needs PyYAML)");
        return;
    };
    let workflow = root().join("docs/ci/org-collect.yml");
    let out = Command::new(&python)
        .arg(root().join("tests/moto/check_workflow.py"))
        .arg(&workflow)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let w: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        w["uncommented_steps"],
        serde_json::json!([]),
        "every step has a comment"
    );
    assert_eq!(
        w["permissions"],
        serde_json::json!({}),
        "nothing by default"
    );
    let jobs = &w["jobs"];
    let steps = |job: &str| jobs[job]["steps"].as_array().unwrap().clone();
    let all_steps: Vec<Value> = ["build", "collect", "merge-and-verify"]
        .iter()
        .flat_map(|j| steps(j))
        .collect();
    for step in &all_steps {
        if let Some(uses) = step["uses"].as_str() {
            let (_, pin) = uses.split_once('@').unwrap();
            assert!(
                pin.len() == 40 && pin.bytes().all(|b| b.is_ascii_hexdigit()),
                "{uses}: pin actions to a commit"
            );
        }
    }
    let uses = |job: &str, action: &str| {
        steps(job)
            .into_iter()
            .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(action)))
    };

    // Collect: OIDC, a matrix of N shards each running --shard i/N.
    let collect = &jobs["collect"];
    assert_eq!(collect["permissions"]["id-token"], "write");
    assert_eq!(collect["fail_fast"], false);
    let shards: Vec<u64> = collect["matrix"]["shard"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let n = shards.len() as u64;
    assert_eq!(shards, (1..=n).collect::<Vec<_>>());
    let oidc = uses("collect", "aws-actions/configure-aws-credentials@").expect("OIDC credentials");
    assert!(oidc["with"]["role-to-assume"].as_str().is_some());
    assert!(
        oidc["with"].get("aws-access-key-id").is_none(),
        "no stored keys"
    );
    let run_of = |job: &str, needle: &str| {
        steps(job)
            .into_iter()
            .filter_map(|s| s["run"].as_str().map(str::to_owned))
            .find(|r| r.contains(needle))
            .unwrap_or_else(|| panic!("{job}: no step runs {needle}"))
    };
    let snapshot = run_of("collect", "pathproof snapshot");
    assert!(
        snapshot.contains(&format!("--shard ${{{{ matrix.shard }}}}/{n}")),
        "{snapshot}"
    );
    assert!(snapshot.contains("--organization"), "{snapshot}");
    let upload = uses("collect", "actions/upload-artifact@").expect("each shard uploaded");
    assert!(upload["with"]["name"]
        .as_str()
        .unwrap()
        .contains("${{ matrix.shard }}"));

    // Merge and verify: after every shard, without AWS credentials.
    let merge_job = &jobs["merge-and-verify"];
    assert!(merge_job["needs"]
        .as_array()
        .unwrap()
        .contains(&"collect".into()));
    assert!(merge_job["permissions"].get("id-token").is_none());
    assert!(uses("merge-and-verify", "aws-actions/").is_none());
    assert_eq!(merge_job["permissions"]["security-events"], "write");
    let download = uses("merge-and-verify", "actions/download-artifact@").unwrap();
    let merge_cmd = run_of("merge-and-verify", "pathproof snapshot merge");
    let verify_cmd = run_of("merge-and-verify", "pathproof verify");
    assert!(
        verify_cmd.contains("--report sarif:pathproof.sarif")
            && verify_cmd.contains("--report junit:pathproof.xml"),
        "{verify_cmd}"
    );
    let sarif =
        uses("merge-and-verify", "github/codeql-action/upload-sarif@").expect("SARIF upload");
    assert_eq!(sarif["with"]["sarif_file"], "pathproof.sarif");
    assert!(sarif["if"]
        .as_str()
        .unwrap()
        .contains("hashFiles('pathproof.sarif')"));
    let junit = steps("merge-and-verify")
        .into_iter()
        .find(|s| s["with"]["path"] == "pathproof.xml")
        .expect("JUnit upload");
    assert!(junit["if"].as_str().unwrap().contains("!cancelled()"));
    let _ = download;

    // The commands parse: each reaches its first real check (credentials, input folders) rather
    // than a usage error.
    let tmp = tempfile::tempdir().unwrap();
    let shell_words = |cmd: &str| -> Vec<String> {
        cmd.replace("\\\n", " ")
            .replace("${{ matrix.shard }}", "1")
            .replace("\"$REGIONS\"", "us-west-2,eu-west-1")
            .split(" || ")
            .next()
            .unwrap()
            .split_whitespace()
            .map(|w| w.trim_matches('"').to_owned())
            .skip(1) // bin/pathproof
            .collect()
    };
    for (cmd, expect) in [
        (&snapshot, "sts:GetCallerIdentity"),
        (&merge_cmd, "not a snapshot folder"),
        (&verify_cmd, "pathproof-intent.toml"),
    ] {
        let out = pathproof("http://127.0.0.1:9")
            .current_dir(tmp.path())
            .env_remove("AWS_ACCESS_KEY_ID")
            .args(shell_words(cmd))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{cmd}: {}", stderr(&out));
        assert!(!stderr(&out).contains("Usage:"), "{cmd}: {}", stderr(&out));
        assert!(stderr(&out).contains(expect), "{cmd}: {}", stderr(&out));
    }
}

/// `--dns-extensions` collects Route 53 Profiles and DNS Firewall (issue 9 items 7 and 8). moto
/// 5.2 implements neither service's calls, so each lands in the manifest's errors (no file), the
/// rest of the layout is complete, and the verdict cannot pass.
#[test]
fn dns_extension_calls_moto_lacks_are_manifest_errors() {
    let Some(moto) = moto("dns_extension_calls_moto_lacks_are_manifest_errors") else {
        return;
    };
    let account = "390000000009";
    moto.scenario("estate", account, "us-west-2");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("snap");
    let out = moto.snapshot(
        &dir,
        &[
            "--role-arn",
            &format!("arn:aws:iam::{account}:role/audit"),
            "--regions",
            "us-west-2",
            "--dns-extensions",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let manifest = assert_layout_complete(&dir);
    let mut ops: Vec<String> = manifest["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["account"], account);
            assert_eq!(e["region"], "us-west-2");
            e["operation"].as_str().unwrap().to_owned()
        })
        .collect();
    ops.sort();
    assert_eq!(
        ops,
        [
            "route53profiles:list-profile-associations",
            "route53resolver:list-firewall-configs",
            "route53resolver:list-firewall-domain-lists",
            "route53resolver:list-firewall-rule-group-associations",
        ]
    );
    let base = dir.join(account).join("us-west-2");
    for rel in [
        "route53profiles/list-profile-associations.json",
        "route53resolver/list-firewall-configs.json",
        "route53resolver/list-firewall-domain-lists.json",
        "route53resolver/list-firewall-rule-group-associations.json",
    ] {
        assert!(!base.join(rel).exists(), "{rel} written for a failed call");
    }
    let (code, _) = verify(&dir);
    assert_ne!(code, 0, "verify passed a snapshot with errors");
}

// ---------------------------------------------------------------------------------------------
// Transit Gateway policy tables and VPC Block Public Access (issue 9): moto implements none of
// describe-transit-gateway-policy-tables, describe-vpc-block-public-access-options/-exclusions.

/// Collected against moto, the extension calls fail and land in the manifest's `errors`, their
/// files are not written, and verify treats them as incomplete evidence (PP017). With
/// `PATHPROOF_SKIP_EXTENSIONS` they are not called: no error, and verify warns what it assumed
/// (PP026).
#[test]
fn extension_calls_moto_lacks_land_in_manifest_errors() {
    let Some(moto) = moto("extension_calls_moto_lacks_land_in_manifest_errors") else {
        return;
    };
    let account = "350000000009";
    let region = "us-east-2";
    moto.scenario("pp001", account, region);
    let ops = [
        "describe-transit-gateway-policy-tables",
        "describe-vpc-block-public-access-options",
        "describe-vpc-block-public-access-exclusions",
    ];
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("snap");
    let out = pathproof(&moto.url)
        .env_remove("PATHPROOF_SKIP_EXTENSIONS")
        // moto answers 500: one attempt is enough to see the error.
        .env("AWS_MAX_ATTEMPTS", "1")
        .arg("snapshot")
        .arg("--out")
        .arg(&dir)
        .args(["--endpoint-url", &moto.url])
        .args([
            "--accounts",
            account,
            "--role-name",
            "audit",
            "--regions",
            region,
        ])
        .output()
        .expect("run pathproof");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let manifest = read_json(&dir.join("manifest.json"));
    for op in ops {
        assert!(
            has_error(&manifest, account, region, &format!("ec2:{op}")),
            "ec2:{op} not in errors: {}",
            manifest["errors"]
        );
        assert!(!dir
            .join(account)
            .join(region)
            .join(format!("ec2/{op}.json"))
            .exists());
    }
    // IoT custom authorizers (IoT API Reference, ListAuthorizers): moto has no such call.
    let authorizers = format!("{account}/{region}/iot/list-authorizers.json");
    assert!(
        has_error(&manifest, account, region, "iot:list-authorizers"),
        "iot:list-authorizers not in errors: {}",
        manifest["errors"]
    );
    assert!(!dir.join(&authorizers).exists());
    let (code, report) = verify(&dir);
    assert_eq!(code, 1, "{report}");
    let found = findings(&report);
    // A failed listing is incomplete evidence, never "no authorizer".
    assert!(
        found
            .iter()
            .any(|(rule, res)| rule == "PP017" && res == &authorizers),
        "no PP017 on {authorizers}: {found:?}"
    );
    for op in ops {
        let file = format!("{account}/{region}/ec2/{op}.json");
        assert!(
            found
                .iter()
                .any(|(rule, res)| rule == "PP017" && res == &file),
            "no PP017 on {file}: {found:?}"
        );
        assert!(!found
            .iter()
            .any(|(rule, res)| rule == "PP026" && res == &file));
    }

    // Skipped: not called, no error; the assumption is a PP026 warning naming each file.
    let dir = tmp.path().join("skipped");
    let out = moto.snapshot(
        &dir,
        &[
            "--accounts",
            account,
            "--role-name",
            "audit",
            "--regions",
            region,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let manifest = read_json(&dir.join("manifest.json"));
    assert_eq!(manifest["errors"], serde_json::json!([]));
    let (_, report) = verify(&dir);
    let found = findings(&report);
    assert!(
        found
            .iter()
            .any(|(rule, res)| rule == "PP019" && res == &authorizers),
        "no PP019 on {authorizers}: {found:?}"
    );
    for op in &ops[1..] {
        let file = format!("{account}/{region}/ec2/{op}.json");
        assert!(
            found
                .iter()
                .any(|(rule, res)| rule == "PP026" && res == &file),
            "no PP026 on {file}: {found:?}"
        );
    }
}
