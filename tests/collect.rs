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
    let proxy_url = format!("http://127.0.0.1:{port}");

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
            "bench: concurrency {concurrency}: {wall:.2} s wall, {requests} requests at the server, \
             {repeated} repeated, {vpcs} VPCs collected (200 made + 6 default); setup {setup:.1} s\n\
             bench: pathproof says: {}",
            stderr(&out).lines().last().unwrap_or_default()
        );
        eprintln!("bench: requests by operation: {}", counts["by_operation"]);
        assert_eq!(repeated, 0, "{:?}", counts["repeated_examples"]);
        assert_eq!(vpcs, 206);
    }
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
