//! Record types end to end (issue 8, item 2): an A query is answered only by A records (or a
//! CNAME); NODATA in a private zone is PP004 like NXDOMAIN, not a public fallback; wildcards,
//! CNAME consistency, weighted routing and endpoint DNS record IP types per the Route 53
//! developer guide, the Route 53 API reference and the PrivateLink guide.
use super::*;
use serde_json::{json, Value};

const ZONES: &str = "222222222222/global/route53";
const DATA_ZONE: &str = "Z0222222DATA0000000001";
const DATA_NAME: &str = "a1b2c3d4e5f6g7-ats.iot.us-west-2.amazonaws.com.";
const DATA_EP_DNS: &str = "vpce-0bbb00000000da7a1-4a5b6c7d.data.iot.us-west-2.vpce.amazonaws.com.";

fn records_file() -> String {
    format!("{ZONES}/list-resource-record-sets/{DATA_ZONE}.json")
}

fn edit_data_records(dir: &std::path::Path, edit: impl FnOnce(&mut Vec<Value>)) {
    edit_json(dir, &records_file(), |doc| {
        edit(doc["ResourceRecordSets"].as_array_mut().unwrap())
    });
}

fn apex_alias(ty: &str) -> Value {
    json!({"Name": DATA_NAME, "Type": ty, "AliasTarget": {"HostedZoneId": "Z1YSA3EXCYUU9Z", "DNSName": DATA_EP_DNS, "EvaluateTargetHealth": false}})
}

/// (rule, resource) pairs, sorted and deduplicated.
fn distinct(report: &Value) -> Vec<(String, String)> {
    let mut f = findings(report);
    f.sort();
    f.dedup();
    f
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(r, s)| (r.to_string(), s.to_string()))
        .collect()
}

fn messages(report: &Value, rule: &str) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == rule)
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect()
}

/// Make the data zone a zone for the parent domain `iot.us-west-2.amazonaws.com`, so the IoT
/// name is a name inside it (not its apex); `records` replace the apex alias.
fn parent_zone(dir: &std::path::Path, records: Vec<Value>) {
    const PARENT: &str = "iot.us-west-2.amazonaws.com.";
    edit_json(dir, &format!("{ZONES}/list-hosted-zones.json"), |doc| {
        for z in doc["HostedZones"].as_array_mut().unwrap() {
            if z["Id"] == format!("/hostedzone/{DATA_ZONE}") {
                z["Name"] = json!(PARENT);
            }
        }
    });
    edit_json(
        dir,
        &format!("{ZONES}/get-hosted-zone/{DATA_ZONE}.json"),
        |doc| doc["HostedZone"]["Name"] = json!(PARENT),
    );
    edit_data_records(dir, |sets| {
        sets.retain(|s| s["Type"] == "NS" || s["Type"] == "SOA");
        for s in sets.iter_mut() {
            s["Name"] = json!(PARENT);
        }
        sets.extend(records);
    });
}

/// Route 53 API reference, `ResourceRecordSet.Type`: an alias to an interface endpoint is an A
/// record. An AAAA alias in its place answers AAAA queries only: for the clients' A query the
/// zone, which is authoritative, answers NODATA.
#[test]
fn aaaa_alias_instead_of_the_a_alias_is_nodata_for_a() {
    let tmp = copy_fixture("reference");
    edit_data_records(tmp.path(), |sets| {
        for s in sets.iter_mut() {
            if s["Type"] == "A" {
                s["Type"] = json!("AAAA");
            }
        }
    });
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(
        distinct(&report),
        pairs(&[("PP004", DATA_ZONE), ("PP005", DATA_ZONE)])
    );
    let msgs = messages(&report, "PP004");
    assert!(
        msgs.iter()
            .all(|m| m.contains("NODATA for A") && m.contains("only AAAA, NS, SOA records")),
        "{msgs:?}"
    );
}

#[test]
fn aaaa_alias_beside_the_a_alias_passes() {
    let tmp = copy_fixture("reference");
    edit_data_records(tmp.path(), |sets| sets.insert(1, apex_alias("AAAA")));
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
}

/// Other types (TXT, MX, CAA) answer nothing for A.
#[test]
fn only_txt_and_mx_records_at_the_name_is_nodata() {
    let tmp = copy_fixture("reference");
    edit_data_records(tmp.path(), |sets| {
        sets.retain(|s| s["Type"] != "A");
        sets.push(json!({"Name": DATA_NAME, "Type": "MX", "TTL": 300, "ResourceRecords": [{"Value": "10 mail.example.com."}]}));
        sets.push(json!({"Name": DATA_NAME, "Type": "TXT", "TTL": 300, "ResourceRecords": [{"Value": "\"iot\""}]}));
    });
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(
        distinct(&report),
        pairs(&[("PP004", DATA_ZONE), ("PP005", DATA_ZONE)])
    );
    assert!(messages(&report, "PP004")
        .iter()
        .all(|m| m.contains("only MX, NS, SOA, TXT records")));
}

/// A CNAME inside the zone (not at its apex, where Route 53 does not allow one) to the
/// endpoint's regional DNS name is followed, for the same query type.
#[test]
fn cname_below_the_apex_to_the_endpoint_name_passes() {
    let tmp = copy_fixture("reference");
    parent_zone(
        tmp.path(),
        vec![
            json!({"Name": DATA_NAME, "Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": DATA_EP_DNS}]}),
        ],
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
}

/// A CNAME that shares its name with another record cannot exist in Route 53: unproven, naming
/// the zone.
#[test]
fn cname_beside_a_txt_record_is_unproven() {
    let tmp = copy_fixture("reference");
    parent_zone(
        tmp.path(),
        vec![
            json!({"Name": DATA_NAME, "Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": DATA_EP_DNS}]}),
            json!({"Name": DATA_NAME, "Type": "TXT", "TTL": 300, "ResourceRecords": [{"Value": "\"x\""}]}),
        ],
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(distinct(&report), pairs(&[("PP016", DATA_ZONE)]));
}

/// "Using an asterisk (*) in the names of hosted zones and records" / RFC 4592: the wildcard
/// answers for a name that does not exist.
#[test]
fn wildcard_alias_answers_a_name_that_does_not_exist() {
    let tmp = copy_fixture("reference");
    parent_zone(
        tmp.path(),
        vec![
            json!({"Name": "\\052.iot.us-west-2.amazonaws.com.", "Type": "A", "AliasTarget": {"HostedZoneId": "Z1YSA3EXCYUU9Z", "DNSName": DATA_EP_DNS, "EvaluateTargetHealth": false}}),
        ],
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
}

/// ... but not for a name that exists with any other type: NODATA, PP004.
#[test]
fn wildcard_does_not_answer_a_name_that_exists_with_another_type() {
    let tmp = copy_fixture("reference");
    parent_zone(
        tmp.path(),
        vec![
            json!({"Name": "\\052.iot.us-west-2.amazonaws.com.", "Type": "A", "AliasTarget": {"HostedZoneId": "Z1YSA3EXCYUU9Z", "DNSName": DATA_EP_DNS, "EvaluateTargetHealth": false}}),
            json!({"Name": DATA_NAME, "Type": "TXT", "TTL": 300, "ResourceRecords": [{"Value": "\"x\""}]}),
        ],
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(
        distinct(&report),
        pairs(&[("PP004", DATA_ZONE), ("PP005", DATA_ZONE)])
    );
}

fn weighted_pair(dir: &std::path::Path, health_check_on_the_endpoint_record: bool) {
    edit_data_records(dir, |sets| {
        for s in sets.iter_mut() {
            if s["Type"] == "A" {
                s["SetIdentifier"] = json!("endpoint");
                s["Weight"] = json!(255);
                if health_check_on_the_endpoint_record {
                    s["HealthCheckId"] = json!("4b5c6d7e-1111-2222-3333-444455556666");
                }
            }
        }
        sets.insert(
            1,
            json!({"Name": DATA_NAME, "Type": "A", "SetIdentifier": "public", "Weight": 0, "TTL": 60,
                   "ResourceRecords": [{"Value": "52.10.20.30"}]}),
        );
    });
}

/// API reference, `ResourceRecordSet.Weight`: a weighted (non-alias) record with weight 0 is
/// never answered while another record of the group has a positive weight. The positive one
/// has no health check, so it is never unhealthy and the weight-0 record never answers.
#[test]
fn weight_zero_record_beside_a_healthy_positive_weight_is_never_answered() {
    let tmp = copy_fixture("reference");
    weighted_pair(tmp.path(), false);
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
}

/// Developer guide, "Health checks and weighted routing": when every positive-weight record is
/// unhealthy, Route 53 answers with the weight-0 records. With a health check the endpoint record
/// can be unhealthy, so the public address can be answered: the path to it is walked.
#[test]
fn weight_zero_record_answers_when_the_positive_one_can_be_unhealthy() {
    let tmp = copy_fixture("reference");
    weighted_pair(tmp.path(), true);
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    let paths = report["paths"].as_array().unwrap();
    assert!(
        paths.iter().any(|p| p["address"] == "52.10.20.30"),
        "the weight-0 record's address is walked"
    );
    // No route to the public address from the device VPC, nor from on-premises through the TGW.
    assert_eq!(
        distinct(&report),
        pairs(&[
            ("PP005", "rtb-0aaa00000000000d1"),
            ("PP005", "tgw-rtb-0aaa00000000000f1")
        ])
    );
}

fn set_record_ip_type(dir: &std::path::Path, value: &str) {
    edit_json(
        dir,
        "222222222222/us-west-2/ec2/describe-vpc-endpoints.json",
        |doc| {
            for e in doc["VpcEndpoints"].as_array_mut().unwrap() {
                if e["VpcEndpointId"] == "vpce-0bbb00000000da7a1" {
                    e["DnsOptions"]["DnsRecordIpType"] = json!(value);
                }
            }
        },
    );
}

/// PrivateLink guide, "DNS record IP type": with `ipv6` the endpoint's names have AAAA records
/// only, so the zone's A alias to it answers NODATA.
#[test]
fn endpoint_with_ipv6_dns_records_only_is_nodata_for_the_a_alias() {
    let tmp = copy_fixture("reference");
    set_record_ip_type(tmp.path(), "ipv6");
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(
        distinct(&report),
        pairs(&[("PP004", DATA_ZONE), ("PP005", DATA_ZONE)])
    );
    assert!(messages(&report, "PP004")
        .iter()
        .all(|m| m.contains("NODATA for A") && m.contains("DnsRecordIpType ipv6")));
}

/// `dualstack` and `service-defined` both create A records for the regional name.
#[test]
fn endpoint_with_dualstack_or_service_defined_dns_records_passes() {
    for value in ["dualstack", "service-defined"] {
        let tmp = copy_fixture("reference");
        set_record_ip_type(tmp.path(), value);
        let (outcome, report) = verify_json(tmp.path(), &[]);
        assert_eq!(outcome, Outcome::Pass, "{value}: {:?}", findings(&report));
    }
}

/// A record IP type the API does not define: unproven, never a guess.
#[test]
fn endpoint_with_an_unknown_dns_record_ip_type_is_unproven() {
    let tmp = copy_fixture("reference");
    set_record_ip_type(tmp.path(), "ipv7");
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(distinct(&report), pairs(&[("PP016", DATA_ZONE)]));
}
