//! Route 53 Profiles, Resolver DNS Firewall and VPC Lattice endpoints (issue 9 items 7, 8, 12).
//! Each case's expectation is written from the AWS page named on it, not from pathproof's output:
//! - Route 53 developer guide, "What are Amazon Route 53 Profiles?" (zones and rules a Profile
//!   brings take part in resolution; no documented precedence against the VPC's own);
//! - Route 53 developer guide, "Using DNS Firewall to filter outbound DNS traffic", "Rule actions
//!   in DNS Firewall" (ALLOW and ALERT stop inspection and let the query through; BLOCK answers
//!   NODATA, NXDOMAIN or an OVERRIDE CNAME), "DNS Firewall Advanced", API `FirewallRule` (`Qtype`,
//!   `ManagedOwnerName` lists), `FirewallConfig` (fail open);
//! - AWS PrivateLink guide, resource and service-network VPC endpoints (private DNS for custom
//!   domains, EC2 `DnsOptions.PrivateDnsPreference` / `PrivateDnsSpecifiedDomains`).
use super::*;
use serde_json::{json, Value};

const NET: &str = "111111111111/us-west-2";
const CON: &str = "333333333333/us-west-2";
const DEVICE_VPC: &str = "vpc-0aaa00000000000d1";
const CON_VPC: &str = "vpc-0ccc00000000000c1";
const FRG_BLOCK: &str = "rslvr-frg-0d9a00000000000b1";
const FRG_GARDEN: &str = "rslvr-frg-0d9a00000000000a1";
const FDL_IOT: &str = "rslvr-fdl-0d9a00000000000a1";
const FDL_ALL: &str = "rslvr-fdl-0d9a00000000000a2";
const PROFILE: &str = "rp-0d9a000000000000a1";
const LATTICE: &str = "vpce-0d9a0000000000c01";
const ZONE_DATA: &str = "Z0222222DATA0000000001";
const DATA_EP_DNS: &str = "vpce-0bbb00000000da7a1-4a5b6c7d.data.iot.us-west-2.vpce.amazonaws.com";

/// (rule, resource) of the findings with one of `rules`, sorted and deduplicated.
fn only(report: &Value, rules: &[&str]) -> Vec<(String, String)> {
    let mut f: Vec<_> = findings(report)
        .into_iter()
        .filter(|(r, _)| rules.contains(&r.as_str()))
        .collect();
    f.sort();
    f.dedup();
    f
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(r, s)| (r.to_string(), s.to_string()))
        .collect()
}

const OURS: &[&str] = &["PP027", "PP028", "PP019"];

fn rules_file(group: &str) -> String {
    format!("{NET}/route53resolver/list-firewall-rules/{group}.json")
}

fn garden_rules(dir: &Path, edit: impl FnOnce(&mut Vec<Value>)) {
    edit_json(dir, &rules_file(FRG_GARDEN), |d| {
        edit(d["FirewallRules"].as_array_mut().unwrap())
    });
}

// ------------------------------------------------------------------ DNS Firewall

#[test]
fn walled_garden_allow_before_block_everything_passes() {
    let (outcome, report) = verify_json(&fixture("compliant/dns-firewall-walled-garden"), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
}

/// BLOCK NXDOMAIN on `*.iot.us-west-2.amazonaws.com`: the device VPC's subnets cannot resolve
/// the IoT names (PP027 naming the rule group). On-premises queries arrive through the inbound
/// endpoint in the same VPC; whether DNS Firewall filters those is not documented (PP028).
#[test]
fn blocklist_covering_the_iot_names_is_pp027() {
    let (outcome, report) = verify_json(
        &fixture("violations/PP027-dns-firewall-blocks-iot-name"),
        &[],
    );
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(
        only(&report, OURS),
        pairs(&[("PP027", FRG_BLOCK), ("PP028", FRG_BLOCK)])
    );
    let on_prem_only = report["paths"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| {
            p["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r == "PP028")
        })
        .all(|p| p["source"]["kind"] == "on-premises");
    assert!(on_prem_only);
}

/// "Rule actions in DNS Firewall": Alert stops inspecting the query and lets it through, so a
/// later BLOCK of every name does not apply to the alerted names.
#[test]
fn alert_stops_inspection_like_allow() {
    let dir = copy_fixture("compliant/dns-firewall-walled-garden");
    garden_rules(dir.path(), |rules| rules[0]["Action"] = json!("ALERT"));
    let (outcome, report) = verify_json(dir.path(), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
}

/// Without the ALLOW rule, BLOCK `*` blocks the IoT names too.
#[test]
fn block_everything_without_allow_is_pp027() {
    let dir = copy_fixture("compliant/dns-firewall-walled-garden");
    garden_rules(dir.path(), |rules| {
        rules.remove(0);
    });
    let (outcome, report) = verify_json(dir.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(
        only(&report, OURS),
        pairs(&[("PP027", FRG_GARDEN), ("PP028", FRG_GARDEN)])
    );
}

/// A rule with `Qtype` AAAA inspects AAAA queries only (API `FirewallRule.Qtype`); devices ask
/// for A records.
#[test]
fn block_rule_for_another_query_type_does_not_apply() {
    let dir = copy_fixture("violations/PP027-dns-firewall-blocks-iot-name");
    edit_json(dir.path(), &rules_file(FRG_BLOCK), |d| {
        d["FirewallRules"][0]["Qtype"] = json!("AAAA")
    });
    let (outcome, report) = verify_json(dir.path(), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
}

/// BLOCK with OVERRIDE answers a CNAME: here to the data endpoint's regional DNS name, which
/// resolves to the endpoint's private addresses, so the path is still proven.
#[test]
fn override_to_the_endpoint_name_is_followed_and_proven() {
    let dir = copy_fixture("violations/PP027-dns-firewall-blocks-iot-name");
    edit_json(dir.path(), &rules_file(FRG_BLOCK), |d| {
        let r = &mut d["FirewallRules"][0];
        r["BlockResponse"] = json!("OVERRIDE");
        r["BlockOverrideDomain"] = json!(format!("{DATA_EP_DNS}."));
        r["BlockOverrideDnsType"] = json!("CNAME");
        r["BlockOverrideTtl"] = json!(0);
    });
    let (_, report) = verify_json(dir.path(), &[]);
    // Device subnets: proven through the override; on-premises: the undocumented inbound case.
    assert_eq!(only(&report, OURS), pairs(&[("PP028", FRG_BLOCK)]));
    let device_paths: Vec<&Value> = report["paths"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["source"]["kind"] == "subnet" && p["source"]["vpc"] == DEVICE_VPC)
        .collect();
    assert!(!device_paths.is_empty());
    assert!(device_paths
        .iter()
        .filter(|p| p["destination"].as_str().unwrap().contains("-ats.iot."))
        .all(|p| p["verdict"] == "private"));
}

/// FirewallFailOpen ENABLED: when DNS Firewall cannot answer, queries pass unfiltered, so the
/// name's own answer is possible as well as the override. With the IoT zone disassociated from
/// the device VPC, that answer is public (PP003).
#[test]
fn override_with_fail_open_also_proves_the_unfiltered_answer() {
    let dir = copy_fixture("violations/PP027-dns-firewall-blocks-iot-name");
    edit_json(dir.path(), &rules_file(FRG_BLOCK), |d| {
        let r = &mut d["FirewallRules"][0];
        r["BlockResponse"] = json!("OVERRIDE");
        r["BlockOverrideDomain"] = json!(format!("{DATA_EP_DNS}."));
        r["BlockOverrideDnsType"] = json!("CNAME");
    });
    for zone in [ZONE_DATA, "Z0222222CRED0000000001"] {
        edit_json(
            dir.path(),
            &format!("222222222222/global/route53/get-hosted-zone/{zone}.json"),
            |d| {
                d["VPCs"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|v| v["VPCId"] != DEVICE_VPC)
            },
        );
    }
    let (_, closed) = verify_json(dir.path(), &[]);
    assert!(!only(&closed, &["PP003"]).contains(&("PP003".into(), DEVICE_VPC.into())));
    edit_json(
        dir.path(),
        &format!("{NET}/route53resolver/list-firewall-configs.json"),
        |d| d["FirewallConfigs"][0]["FirewallFailOpen"] = json!("ENABLED"),
    );
    let (outcome, open) = verify_json(dir.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert!(only(&open, &["PP003"]).contains(&("PP003".into(), DEVICE_VPC.into())));
}

/// An AWS-managed domain list's domains are not in the snapshot: a BLOCK rule on it could match
/// the IoT names (PP028 naming the rule group), unless an earlier ALLOW decides first.
#[test]
fn managed_domain_list_is_unproven_where_it_could_match() {
    let dir = copy_fixture("violations/PP027-dns-firewall-blocks-iot-name");
    edit_json(
        dir.path(),
        &format!("{NET}/route53resolver/list-firewall-domain-lists.json"),
        |d| {
            d["FirewallDomainLists"][0]["ManagedOwnerName"] =
                json!("Route 53 Resolver DNS Firewall")
        },
    );
    let (outcome, report) = verify_json(dir.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(only(&report, OURS), pairs(&[("PP028", FRG_BLOCK)]));
}

/// DNS Firewall Advanced rules match by traffic analysis: a BLOCK one is unproven; an ALERT one
/// changes nothing.
#[test]
fn advanced_threat_protection_rules() {
    let advanced = |action: &str| {
        let dir = copy_fixture("violations/PP027-dns-firewall-blocks-iot-name");
        edit_json(dir.path(), &rules_file(FRG_BLOCK), |d| {
            let r = d["FirewallRules"][0].as_object_mut().unwrap();
            r.remove("FirewallDomainListId");
            r.insert(
                "FirewallThreatProtectionId".into(),
                json!("rslvr-ftp-0d9a00000000001"),
            );
            r.insert("DnsThreatProtection".into(), json!("DNS_TUNNELING"));
            r.insert("ConfidenceThreshold".into(), json!("HIGH"));
            r.insert("Action".into(), json!(action));
        });
        verify_json(dir.path(), &[])
    };
    let (outcome, report) = advanced("BLOCK");
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(only(&report, OURS), pairs(&[("PP028", FRG_BLOCK)]));
    let (outcome, report) = advanced("ALERT");
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
}

/// A rule group whose rules are not in the snapshot could do anything.
#[test]
fn missing_rules_file_is_unproven() {
    let dir = copy_fixture("violations/PP027-dns-firewall-blocks-iot-name");
    std::fs::remove_file(dir.path().join(rules_file(FRG_BLOCK))).unwrap();
    let (outcome, report) = verify_json(dir.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(only(&report, OURS), pairs(&[("PP028", FRG_BLOCK)]));
}

/// A domain that is not the IoT name's and not a parent wildcard does not match.
#[test]
fn unrelated_blocklist_passes() {
    let dir = copy_fixture("violations/PP027-dns-firewall-blocks-iot-name");
    edit_json(
        dir.path(),
        &format!("{NET}/route53resolver/list-firewall-domains/{FDL_IOT}.json"),
        |d| d["Domains"] = json!(["*.badexample.com.", "iot.us-west-2.amazonaws.com."]),
    );
    let (outcome, report) = verify_json(dir.path(), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
    let _ = FDL_ALL;
}

/// An absent association listing is an assumption said out loud (PP019), not silence.
#[test]
fn absent_firewall_listing_is_a_warning_saying_what_was_assumed() {
    let dir = copy_fixture("reference");
    std::fs::remove_file(dir.path().join(format!(
        "{NET}/route53resolver/list-firewall-rule-group-associations.json"
    )))
    .unwrap();
    let (outcome, report) = verify_json(dir.path(), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
    assert_eq!(only(&report, OURS), pairs(&[("PP019", DEVICE_VPC)]));
    let msg = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "PP019")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        msg.contains("assumed vpc-0aaa00000000000d1 has none"),
        "{msg}"
    );
}

// ------------------------------------------------------------------ Route 53 Profiles

#[test]
fn zone_brought_by_a_profile_answers_like_an_associated_zone() {
    let (outcome, report) = verify_json(&fixture("compliant/route53-profile-zone"), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
}

/// Without the Profile the consumer VPC has no private zone for the name: public (PP003).
#[test]
fn without_the_profile_association_the_name_is_public() {
    let dir = copy_fixture("compliant/route53-profile-zone");
    edit_json(
        dir.path(),
        &format!("{CON}/route53profiles/list-profile-associations.json"),
        |d| d["ProfileAssociations"] = json!([]),
    );
    let (outcome, report) = verify_json(dir.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert!(only(&report, &["PP003"]).contains(&("PP003".into(), CON_VPC.into())));
}

/// The consumer VPC's own zone for the IoT data name and a Profile zone for the same name: AWS
/// documents no precedence, so it is unproven naming the Profile's zone (and, in the message,
/// the VPC's own).
#[test]
fn own_zone_and_profile_zone_for_the_same_name_is_unproven() {
    let dir = copy_fixture("compliant/route53-profile-zone");
    edit_json(
        dir.path(),
        "333333333333/global/route53/get-hosted-zone/Z0333333DATA0000000001.json",
        |d| {
            d["VPCs"]
                .as_array_mut()
                .unwrap()
                .push(json!({"VPCRegion": "us-west-2", "VPCId": CON_VPC}))
        },
    );
    edit_json(
        dir.path(),
        &format!("{CON}/route53profiles/list-profile-resource-associations/{PROFILE}.json"),
        |d| {
            d["ProfileResourceAssociations"][0]["ResourceArn"] =
                json!(format!("arn:aws:route53:::hostedzone/{ZONE_DATA}"))
        },
    );
    let (outcome, report) = verify_json(dir.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(only(&report, OURS), pairs(&[("PP028", ZONE_DATA)]));
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule_id"] == "PP028"
            && f["message"]
                .as_str()
                .unwrap()
                .contains("Z0333333DATA0000000001")));
}

/// A Profile whose resource list is not in the snapshot could bring any zone.
#[test]
fn profile_without_its_resource_list_is_unproven() {
    let dir = copy_fixture("compliant/route53-profile-zone");
    std::fs::remove_file(dir.path().join(format!(
        "{CON}/route53profiles/list-profile-resource-associations/{PROFILE}.json"
    )))
    .unwrap();
    let (outcome, report) = verify_json(dir.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(only(&report, OURS), pairs(&[("PP028", PROFILE)]));
}

/// A DNS Firewall rule group brought by the Profile filters like an associated one.
#[test]
fn firewall_rule_group_from_a_profile_blocks() {
    let dir = copy_fixture("compliant/route53-profile-zone");
    let blocked = copy_fixture("violations/PP027-dns-firewall-blocks-iot-name");
    for rel in [
        format!("route53resolver/list-firewall-rules/{FRG_BLOCK}.json"),
        format!("route53resolver/list-firewall-domains/{FDL_IOT}.json"),
        "route53resolver/list-firewall-domain-lists.json".to_string(),
    ] {
        let to = dir.path().join(CON).join(&rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(blocked.path().join(NET).join(&rel), to).unwrap();
    }
    edit_json(
        dir.path(),
        &format!("{CON}/route53profiles/list-profile-resource-associations/{PROFILE}.json"),
        |d| {
            let mut fw = d["ProfileResourceAssociations"][0].clone();
            fw["Id"] = json!("rpr-0d9a000000000000b1");
            fw["Name"] = json!("dns-firewall");
            fw["ResourceArn"] = json!(format!(
                "arn:aws:route53resolver:us-west-2:333333333333:firewall-rule-group/{FRG_BLOCK}"
            ));
            fw["ResourceType"] = json!("FIREWALL_RULE_GROUP");
            fw["ResourceProperties"] = json!("{\"priority\":102}");
            d["ProfileResourceAssociations"]
                .as_array_mut()
                .unwrap()
                .push(fw);
        },
    );
    let (outcome, report) = verify_json(dir.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(only(&report, OURS), pairs(&[("PP027", FRG_BLOCK)]));
}

// ------------------------------------------------------------------ VPC Lattice endpoints

#[test]
fn lattice_endpoint_with_unlisted_private_dns_domains_is_pp028() {
    let (outcome, report) = verify_json(
        &fixture("violations/PP028-dns-construct-not-in-snapshot"),
        &[],
    );
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(only(&report, OURS), pairs(&[("PP028", LATTICE)]));
}

fn lattice_dns(dir: &Path, edit: impl FnOnce(&mut Value)) {
    edit_json(
        dir,
        &format!("{NET}/ec2/describe-vpc-endpoints.json"),
        |d| {
            let ep = d["VpcEndpoints"]
                .as_array_mut()
                .unwrap()
                .iter_mut()
                .find(|e| e["VpcEndpointId"] == LATTICE)
                .unwrap();
            edit(ep)
        },
    );
}

#[test]
fn lattice_private_dns_only_for_other_domains_passes() {
    let dir = copy_fixture("violations/PP028-dns-construct-not-in-snapshot");
    lattice_dns(dir.path(), |ep| {
        ep["DnsOptions"]["PrivateDnsPreference"] = json!("SPECIFIED_DOMAINS_ONLY");
        ep["DnsOptions"]["PrivateDnsSpecifiedDomains"] = json!(["*.partner.example.com"]);
    });
    let (outcome, report) = verify_json(dir.path(), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
}

#[test]
fn lattice_private_dns_for_a_domain_covering_the_iot_names_is_pp028() {
    let dir = copy_fixture("violations/PP028-dns-construct-not-in-snapshot");
    lattice_dns(dir.path(), |ep| {
        ep["DnsOptions"]["PrivateDnsPreference"] = json!("SPECIFIED_DOMAINS_ONLY");
        ep["DnsOptions"]["PrivateDnsSpecifiedDomains"] = json!(["*.amazonaws.com"]);
    });
    let (outcome, report) = verify_json(dir.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(only(&report, OURS), pairs(&[("PP028", LATTICE)]));
}

#[test]
fn lattice_endpoint_without_private_dns_passes() {
    let dir = copy_fixture("violations/PP028-dns-construct-not-in-snapshot");
    lattice_dns(dir.path(), |ep| ep["PrivateDnsEnabled"] = json!(false));
    let (outcome, report) = verify_json(dir.path(), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
}

// ------------------------------------------------------------------ inbound endpoint

/// "Considerations when working with a private hosted zone": private hosted zones need
/// enableDnsSupport and enableDnsHostnames true; no page exempts queries that arrive through a
/// Resolver inbound endpoint. With enableDnsHostnames false on the device VPC, which hosts the
/// inbound endpoint, on-premises resolves the IoT names publicly too, not privately.
#[test]
fn inbound_queries_need_enable_dns_hostnames_too() {
    let dir = copy_fixture("reference");
    edit_json(
        dir.path(),
        &format!("{NET}/ec2/describe-vpc-attribute/{DEVICE_VPC}-enableDnsHostnames.json"),
        |d| d["EnableDnsHostnames"]["Value"] = json!(false),
    );
    let (outcome, report) = verify_json(dir.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    let onprem: Vec<&Value> = report["paths"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["source"]["kind"] == "on-premises")
        .collect();
    assert!(!onprem.is_empty());
    assert!(
        onprem.iter().all(|p| p["verdict"] != "private"),
        "{onprem:?}"
    );
}
