//! IoT domain configurations and custom authorizers (issue 9 items 1 and 2), on copies of the
//! reference edited the way AWS would print them. The expected findings come from the IoT
//! Developer Guide, not from pathproof's output:
//! - "Domain configurations" / "Managing domain configurations": an ENABLED configuration is a
//!   name devices dial (it must resolve privately everywhere the ATS name must); a DISABLED one
//!   answers devices with an authentication error.
//! - "Custom authentication and authorization": a device connecting through an ACTIVE custom
//!   authorizer gets the policies its Lambda returns at connect time (not in any snapshot).
use std::path::Path;

use pathproof::Outcome;
use serde_json::{json, Value};

use crate::{copy_fixture, edit_json, findings, run, verify_json};

const IOT: &str = "222222222222/us-west-2/iot";
const DEVICE_VPC: &str = "vpc-0aaa00000000000d1";
const CONSUMER_VPC: &str = "vpc-0ccc00000000000c1";
const ONPREM: &str = "192.168.0.0/16";
const DATA_ZONE: &str = "Z0222222DATA0000000001";
const CONSUMER_ZONE: &str = "Z0333333DATA0000000001";

fn write(dir: &Path, rel: &str, v: &Value) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, serde_json::to_string_pretty(v).unwrap()).unwrap();
}

/// Adds a domain configuration to the IoT account, as list and describe print it.
fn add_config(
    dir: &Path,
    name: &str,
    domain: &str,
    status: &str,
    service: &str,
    authorizer: Option<&str>,
) {
    let arn = format!("arn:aws:iot:us-west-2:222222222222:domainconfiguration/{name}/x1y2z");
    edit_json(
        dir,
        &format!("{IOT}/list-domain-configurations.json"),
        |d| {
            d["domainConfigurations"].as_array_mut().unwrap().push(json!({
            "domainConfigurationName": name, "domainConfigurationArn": arn, "serviceType": service,
        }));
        },
    );
    let mut describe = json!({
        "domainConfigurationName": name,
        "domainConfigurationArn": arn,
        "domainName": domain,
        "serverCertificates": [{
            "serverCertificateArn": "arn:aws:acm:us-west-2:222222222222:certificate/0f0e0d0c-1111-2222-3333-444455556666",
            "serverCertificateStatus": "VALID",
            "serverCertificateStatusDetail": ""
        }],
        "domainConfigurationStatus": status,
        "serviceType": service,
        "domainType": "CUSTOMER_MANAGED",
        "lastStatusChangeDate": "2025-05-01T10:00:00+00:00",
        "tlsConfig": {"securityPolicy": "IoTSecurityPolicy_TLS13_1_2_2022_10"},
        "authenticationType": "DEFAULT",
        "applicationProtocol": "DEFAULT"
    });
    if let Some(a) = authorizer {
        describe["authorizerConfig"] =
            json!({"defaultAuthorizerName": a, "allowAuthorizerOverride": false});
    }
    write(
        dir,
        &format!("{IOT}/describe-domain-configuration/{name}.json"),
        &describe,
    );
}

fn add_authorizer(dir: &Path, name: &str, status: &str) {
    let arn = format!("arn:aws:iot:us-west-2:222222222222:authorizer/{name}");
    edit_json(dir, &format!("{IOT}/list-authorizers.json"), |d| {
        d["authorizers"]
            .as_array_mut()
            .unwrap()
            .push(json!({"authorizerName": name, "authorizerArn": arn}));
    });
    write(
        dir,
        &format!("{IOT}/describe-authorizer/{name}.json"),
        &json!({"authorizerDescription": {
            "authorizerName": name,
            "authorizerArn": arn,
            "authorizerFunctionArn": format!("arn:aws:lambda:us-west-2:222222222222:function:{name}"),
            "tokenKeyName": "x-token",
            "tokenSigningPublicKeys": {"k1": "-----BEGIN PUBLIC KEY-----"},
            "status": status,
            "creationDate": "2025-04-02T11:20:13.551000+00:00",
            "lastModifiedDate": "2025-04-02T11:20:13.551000+00:00",
            "signingDisabled": false,
            "enableCachingForHttp": false
        }}),
    );
}

/// A private hosted zone for `name` like the reference's data zone (same VPC associations, an
/// alias to the iot.data endpoint) in the IoT account, and like the consumer's zone (an alias to
/// its own endpoint) in the consumer account, as a custom domain needs on both sides.
fn add_private_zones(dir: &Path, name: &str) {
    add_private_zone(
        dir,
        "222222222222",
        DATA_ZONE,
        "Z0222222MQTT0000000001",
        name,
    );
    add_private_zone(
        dir,
        "333333333333",
        CONSUMER_ZONE,
        "Z0333333MQTT0000000001",
        name,
    );
}

fn add_private_zone(dir: &Path, account: &str, from: &str, id: &str, name: &str) {
    let g = format!("{account}/global/route53");
    let data_zone = from;
    let fqdn = format!("{name}.");
    edit_json(dir, &format!("{g}/list-hosted-zones.json"), |d| {
        let mut z = d["HostedZones"]
            .as_array()
            .unwrap()
            .iter()
            .find(|z| z["Id"] == format!("/hostedzone/{data_zone}"))
            .unwrap()
            .clone();
        z["Id"] = json!(format!("/hostedzone/{id}"));
        z["Name"] = json!(fqdn);
        z["CallerReference"] = json!(format!("test-{id}"));
        d["HostedZones"].as_array_mut().unwrap().push(z);
    });
    let read = |rel: String| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(rel)).unwrap()).unwrap()
    };
    let mut hz = read(format!("{g}/get-hosted-zone/{data_zone}.json"));
    hz["HostedZone"]["Id"] = json!(format!("/hostedzone/{id}"));
    hz["HostedZone"]["Name"] = json!(fqdn);
    hz["HostedZone"]["CallerReference"] = json!(format!("test-{id}"));
    write(dir, &format!("{g}/get-hosted-zone/{id}.json"), &hz);
    let mut auth = read(format!(
        "{g}/list-vpc-association-authorizations/{data_zone}.json"
    ));
    auth["HostedZoneId"] = json!(id);
    write(
        dir,
        &format!("{g}/list-vpc-association-authorizations/{id}.json"),
        &auth,
    );
    let mut rr = read(format!("{g}/list-resource-record-sets/{data_zone}.json"));
    for r in rr["ResourceRecordSets"].as_array_mut().unwrap() {
        r["Name"] = json!(fqdn);
    }
    write(
        dir,
        &format!("{g}/list-resource-record-sets/{id}.json"),
        &rr,
    );
}

fn of_rule<'a>(found: &'a [(String, String)], rule: &str) -> Vec<&'a str> {
    let mut v: Vec<&str> = found
        .iter()
        .filter(|(r, _)| r == rule)
        .map(|(_, x)| x.as_str())
        .collect();
    v.sort();
    v
}

fn message<'a>(report: &'a Value, rule: &str, resource: &str) -> &'a str {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == rule && f["resource"] == resource)
        .and_then(|f| f["message"].as_str())
        .unwrap_or_else(|| panic!("no {rule} on {resource}"))
}

#[test]
fn the_reference_with_its_default_configuration_is_proven() {
    let (outcome, report) = verify_json(&crate::fixture("reference"), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
    assert!(findings(&report).is_empty(), "{:?}", findings(&report));
}

/// A customer domain no private zone answers resolves publicly for every source that must reach
/// the data endpoint: device and consumer VPCs and on-premises (PP003 on each, naming it).
#[test]
fn an_enabled_custom_domain_that_resolves_publicly_is_pp003_on_every_source() {
    let tmp = copy_fixture("reference");
    add_config(
        tmp.path(),
        "fleet-mqtt",
        "mqtt.fleet.example.com",
        "ENABLED",
        "DATA",
        None,
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    let found = findings(&report);
    assert_eq!(
        of_rule(&found, "PP003"),
        vec![ONPREM, DEVICE_VPC, CONSUMER_VPC],
        "{found:?}"
    );
    for source in [DEVICE_VPC, CONSUMER_VPC, ONPREM] {
        let m = message(&report, "PP003", source);
        assert!(
            m.contains("mqtt.fleet.example.com") && m.contains("domain configuration fleet-mqtt"),
            "{m}"
        );
    }
}

#[test]
fn a_disabled_custom_domain_is_not_a_name_devices_dial() {
    let tmp = copy_fixture("reference");
    add_config(
        tmp.path(),
        "fleet-mqtt",
        "mqtt.fleet.example.com",
        "DISABLED",
        "DATA",
        None,
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
}

/// Jobs configurations are not destinations (the Jobs endpoint is not one either).
#[test]
fn a_jobs_configuration_is_not_a_destination() {
    let tmp = copy_fixture("reference");
    add_config(
        tmp.path(),
        "fleet-jobs",
        "jobs.fleet.example.com",
        "ENABLED",
        "JOBS",
        None,
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
}

/// The same custom domain with a private hosted zone aliasing it to the iot.data endpoint,
/// associated like the ATS zone: proven, and its paths are in the report.
#[test]
fn a_custom_domain_with_a_private_zone_is_proven() {
    let tmp = copy_fixture("reference");
    add_config(
        tmp.path(),
        "fleet-mqtt",
        "mqtt.fleet.example.com",
        "ENABLED",
        "DATA",
        None,
    );
    add_private_zones(tmp.path(), "mqtt.fleet.example.com");
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
    let to_custom: Vec<&Value> = report["paths"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["destination"] == "mqtt.fleet.example.com")
        .collect();
    assert!(!to_custom.is_empty());
    assert!(to_custom.iter().all(|p| p["verdict"] == "private"));
}

#[test]
fn an_active_custom_authorizer_is_pp015_naming_it() {
    let tmp = copy_fixture("reference");
    add_authorizer(tmp.path(), "fleet-auth", "ACTIVE");
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(
        findings(&report),
        vec![("PP015".to_string(), "fleet-auth".to_string())]
    );
}

#[test]
fn an_inactive_custom_authorizer_is_not_used() {
    let tmp = copy_fixture("reference");
    add_authorizer(tmp.path(), "fleet-auth", "INACTIVE");
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
}

/// Accepted in the intent file with a justification: no finding, and every report prints it.
#[test]
fn an_accepted_authorizer_passes_and_the_report_prints_the_justification() {
    let tmp = copy_fixture("reference");
    add_authorizer(tmp.path(), "fleet-auth", "ACTIVE");
    let intent = tmp.path().join("intent.toml");
    std::fs::write(
        &intent,
        "[accepted_authorizers]\n\"fleet-auth\" = \"Lambda returns only the device policy; reviewed in SEC-123\"\n",
    )
    .unwrap();
    let intent = intent.to_str().unwrap();
    let snap = tmp.path().join("snap");
    std::fs::create_dir(&snap).unwrap();
    for e in std::fs::read_dir(tmp.path()).unwrap() {
        let e = e.unwrap();
        if e.file_name() != "snap" && e.file_name() != "intent.toml" {
            std::fs::rename(e.path(), snap.join(e.file_name())).unwrap();
        }
    }
    let (outcome, report) = verify_json(&snap, &["--intent", intent]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
    assert_eq!(
        report["intent"]["accepted_authorizers"]["fleet-auth"],
        "Lambda returns only the device policy; reviewed in SEC-123"
    );
    for format in ["table", "markdown", "html"] {
        let (result, out) = run(&[
            "verify",
            "--snapshot",
            snap.to_str().unwrap(),
            "--intent",
            intent,
            "--format",
            format,
        ]);
        assert_eq!(result.unwrap(), Outcome::Pass);
        assert!(
            out.contains("fleet-auth") && out.contains("reviewed in SEC-123"),
            "{format}: {out}"
        );
    }
    // An empty justification is not an acceptance.
    std::fs::write(
        tmp.path().join("intent.toml"),
        "[accepted_authorizers]\n\"fleet-auth\" = \" \"\n",
    )
    .unwrap();
    let (result, _) = run(&[
        "verify",
        "--snapshot",
        snap.to_str().unwrap(),
        "--intent",
        intent,
    ]);
    let err = format!("{:#}", result.unwrap_err());
    assert!(
        err.contains("accepted_authorizers") && err.contains("justification"),
        "{err}"
    );
}

/// A configuration's default authorizer that list-authorizers does not have is unknown.
#[test]
fn a_default_authorizer_missing_from_the_listing_is_pp015() {
    let tmp = copy_fixture("reference");
    add_config(
        tmp.path(),
        "fleet-mqtt",
        "mqtt.fleet.example.com",
        "ENABLED",
        "DATA",
        Some("ghost-auth"),
    );
    add_private_zones(tmp.path(), "mqtt.fleet.example.com");
    let (_, report) = verify_json(tmp.path(), &[]);
    assert_eq!(
        findings(&report),
        vec![("PP015".to_string(), "ghost-auth".to_string())]
    );
    assert!(message(&report, "PP015", "ghost-auth").contains("fleet-mqtt"));
}

/// Without the extension files: what was assumed is a warning on each file (PP019), the rest
/// of the verdict is unchanged.
#[test]
fn absent_extension_files_are_pp019_warnings() {
    let tmp = copy_fixture("reference");
    std::fs::remove_file(
        tmp.path()
            .join(format!("{IOT}/list-domain-configurations.json")),
    )
    .unwrap();
    std::fs::remove_dir_all(
        tmp.path()
            .join(format!("{IOT}/describe-domain-configuration")),
    )
    .unwrap();
    std::fs::remove_file(tmp.path().join(format!("{IOT}/list-authorizers.json"))).unwrap();
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Pass);
    assert_eq!(
        findings(&report),
        vec![
            ("PP019".to_string(), format!("{IOT}/list-authorizers.json")),
            (
                "PP019".to_string(),
                format!("{IOT}/list-domain-configurations.json")
            ),
        ]
    );
}

#[test]
fn a_listed_configuration_without_its_describe_file_is_pp017() {
    let tmp = copy_fixture("reference");
    std::fs::remove_file(tmp.path().join(format!(
        "{IOT}/describe-domain-configuration/iot:Data-ATS.json"
    )))
    .unwrap();
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(
        findings(&report),
        vec![(
            "PP017".to_string(),
            format!("{IOT}/describe-domain-configuration/iot:Data-ATS.json")
        )]
    );
}

#[test]
fn inconsistent_extension_files_are_input_errors() {
    // A describe file naming another configuration.
    let tmp = copy_fixture("reference");
    edit_json(
        tmp.path(),
        &format!("{IOT}/describe-domain-configuration/iot:Data-ATS.json"),
        |d| {
            d["domainConfigurationName"] = json!("other");
        },
    );
    let (result, _) = run(&["verify", "--snapshot", tmp.path().to_str().unwrap()]);
    let err = format!("{:#}", result.unwrap_err());
    assert!(
        err.contains("describe-domain-configuration/iot:Data-ATS.json")
            && err.contains("domainConfigurationName"),
        "{err}"
    );
    // A per-resource file the listing does not have.
    let tmp = copy_fixture("reference");
    add_authorizer(tmp.path(), "fleet-auth", "ACTIVE");
    edit_json(tmp.path(), &format!("{IOT}/list-authorizers.json"), |d| {
        d["authorizers"] = json!([]);
    });
    let (result, _) = run(&["verify", "--snapshot", tmp.path().to_str().unwrap()]);
    let err = format!("{:#}", result.unwrap_err());
    assert!(err.contains("describe-authorizer/fleet-auth.json"), "{err}");
    // A name that cannot be a file name.
    let tmp = copy_fixture("reference");
    edit_json(tmp.path(), &format!("{IOT}/list-authorizers.json"), |d| {
        d["authorizers"] = json!([{"authorizerName": "../x", "authorizerArn": "arn"}]);
    });
    let (result, _) = run(&["verify", "--snapshot", tmp.path().to_str().unwrap()]);
    let err = format!("{:#}", result.unwrap_err());
    assert!(err.contains("authorizers[0].authorizerName"), "{err}");
}

/// PP022 (PrivateLink Guide, endpoint policies; IoTCore-VPC limitations): a restrictive policy on
/// the iot.credentials endpoint and on the consumer's endpoint to the IoT endpoint service (not
/// an AWS service) protects nothing; the default policy (the reference) is no finding.
#[test]
fn endpoint_policies_aws_does_not_enforce_are_pp022_warnings() {
    let tmp = copy_fixture("reference");
    let restrictive = serde_json::to_string(&json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "*", "Resource": "*"}]
    }))
    .unwrap();
    for (account, id) in [
        ("222222222222", "vpce-0bbb00000000c4ed1"),
        ("333333333333", "vpce-0ccc000000000c0e1"),
    ] {
        edit_json(
            tmp.path(),
            &format!("{account}/us-west-2/ec2/describe-vpc-endpoints.json"),
            |d| {
                for e in d["VpcEndpoints"].as_array_mut().unwrap() {
                    if e["VpcEndpointId"] == id {
                        e["PolicyDocument"] = json!(restrictive);
                    }
                }
            },
        );
    }
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Pass, "a warning does not fail the gate");
    assert_eq!(
        findings(&report),
        vec![
            ("PP022".to_string(), "vpce-0bbb00000000c4ed1".to_string()),
            ("PP022".to_string(), "vpce-0ccc000000000c0e1".to_string()),
        ]
    );
    let (outcome, _) = verify_json(tmp.path(), &["--fail-on", "warning"]);
    assert_eq!(outcome, Outcome::Fail);
}

/// A describe file without its listing cannot be matched to a listed resource: it is content the
/// layout does not cover (PP020), next to the PP019 for the missing listing; not an input error.
#[test]
fn a_describe_file_without_its_listing_is_uncovered_content() {
    let tmp = copy_fixture("reference");
    std::fs::remove_file(
        tmp.path()
            .join(format!("{IOT}/list-domain-configurations.json")),
    )
    .unwrap();
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Pass);
    assert_eq!(
        findings(&report),
        vec![
            (
                "PP019".to_string(),
                format!("{IOT}/list-domain-configurations.json")
            ),
            (
                "PP020".to_string(),
                format!("{IOT}/describe-domain-configuration/iot:Data-ATS.json")
            ),
        ]
    );
}
