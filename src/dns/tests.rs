//! DNS answer tables written from the Route 53 developer guide and API reference (record types,
//! alias records, wildcards per RFC 4592, weighted routing) and the PrivateLink guide (DNS
//! record IP type).
use std::path::Path;

use rstest::rstest;
use serde_json::{json, Value};

use super::zone::{answer, Answer};
use super::*;
use crate::graph::Model;
use crate::snapshot::records::ResourceRecordSet;
use crate::snapshot::Snapshot;

#[test]
fn normalization() {
    assert_eq!(
        normalize("A1-ats.IOT.us-west-2.amazonaws.com."),
        "a1-ats.iot.us-west-2.amazonaws.com"
    );
    assert_eq!(normalize("\\052.example.com."), "*.example.com");
}

#[test]
fn suffix_is_label_wise() {
    assert!(is_suffix(
        "iot.us-west-2.amazonaws.com",
        "x-ats.iot.us-west-2.amazonaws.com"
    ));
    assert!(!is_suffix(
        "t.us-west-2.amazonaws.com",
        "x-ats.iot.us-west-2.amazonaws.com"
    ));
    assert!(is_suffix("a.b", "a.b"));
}

#[test]
fn zonal_labels() {
    assert!(aws::is_zonal_label("vpce-0abc-4a5b6c7d-us-west-2a"));
    assert!(!aws::is_zonal_label("vpce-0abc-4a5b6c7d"));
}

// ---------------------------------------------------------------- one zone, record sets only

const EP: &str = "vpce-0abc-1234.data.iot.us-west-2.vpce.amazonaws.com.";

/// The apex records every zone has, plus `extra`.
fn zone(extra: Value) -> Vec<ResourceRecordSet> {
    let mut sets = vec![
        json!({"Name": "example.com.", "Type": "NS", "TTL": 172800, "ResourceRecords": [{"Value": "ns-0.awsdns-00.com."}]}),
        json!({"Name": "example.com.", "Type": "SOA", "TTL": 900, "ResourceRecords": [{"Value": "ns-0.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"}]}),
    ];
    sets.extend(extra.as_array().unwrap().iter().cloned());
    serde_json::from_value(Value::Array(sets)).unwrap()
}

fn a(name: &str, ip: &str) -> Value {
    json!({"Name": name, "Type": "A", "TTL": 300, "ResourceRecords": [{"Value": ip}]})
}

fn alias(name: &str, ty: &str, zone: &str, target: &str) -> Value {
    json!({"Name": name, "Type": ty, "AliasTarget": {"HostedZoneId": zone, "DNSName": target, "EvaluateTargetHealth": false}})
}

fn rr(name: &str, ty: &str, values: &[&str]) -> Value {
    let values: Vec<Value> = values.iter().map(|v| json!({"Value": v})).collect();
    json!({"Name": name, "Type": ty, "TTL": 300, "ResourceRecords": values})
}

fn weighted(mut set: Value, id: &str, weight: i64, health_check: bool) -> Value {
    set["SetIdentifier"] = json!(id);
    set["Weight"] = json!(weight);
    if health_check {
        set["HealthCheckId"] = json!("4b5c6d7e-1111-2222-3333-444455556666");
    }
    set
}

/// An answer as a short string: `value:…`, `cname:…`, `alias:…`, `nxdomain`, `nodata:T,T`, `bad`.
fn show(answers: Vec<Answer>) -> Vec<String> {
    let mut out: Vec<String> = answers
        .into_iter()
        .map(|a| match a {
            Answer::Value { value } => format!("value:{value}"),
            Answer::Cname { target } => format!("cname:{target}"),
            Answer::AliasOut { target } => format!("alias:{target}"),
            Answer::NxDomain => "nxdomain".into(),
            Answer::NoData { types } => format!("nodata:{}", types.join(",")),
            Answer::Bad { .. } => "bad".into(),
        })
        .collect();
    out.sort();
    out
}

const ALIAS_EP: &str = "alias:vpce-0abc-1234.data.iot.us-west-2.vpce.amazonaws.com";

#[rstest]
// Record type: only the queried type answers.
#[case::a_record(json!([a("www.example.com.", "10.0.0.1")]), "www.example.com", QueryType::A, &["value:10.0.0.1"])]
#[case::aaaa_only_is_nodata_for_a(json!([rr("www.example.com.", "AAAA", &["2600:1f14::1"])]), "www.example.com", QueryType::A, &["nodata:AAAA"])]
#[case::aaaa_record_for_aaaa(json!([rr("www.example.com.", "AAAA", &["2600:1f14::1"])]), "www.example.com", QueryType::Aaaa, &["value:2600:1f14::1"])]
#[case::a_only_is_nodata_for_aaaa(json!([a("www.example.com.", "10.0.0.1")]), "www.example.com", QueryType::Aaaa, &["nodata:A"])]
#[case::other_types_answer_nothing(json!([rr("www.example.com.", "TXT", &["\"v=1\""]), rr("www.example.com.", "MX", &["10 mail.example.com."]), rr("www.example.com.", "CAA", &["0 issue \"amazon.com\""])]), "www.example.com", QueryType::A, &["nodata:CAA,MX,TXT"])]
#[case::srv_answers_nothing(json!([rr("_mqtt._tcp.example.com.", "SRV", &["0 0 8883 www.example.com."])]), "_mqtt._tcp.example.com", QueryType::A, &["nodata:SRV"])]
// Alias records answer for their own type only.
#[case::alias_a(json!([alias("example.com.", "A", "Z1YSA3EXCYUU9Z", EP)]), "example.com", QueryType::A, &[ALIAS_EP])]
#[case::alias_aaaa_only_is_nodata_for_a(json!([alias("example.com.", "AAAA", "Z1YSA3EXCYUU9Z", EP)]), "example.com", QueryType::A, &["nodata:AAAA,NS,SOA"])]
#[case::alias_a_and_aaaa(json!([alias("example.com.", "A", "Z1YSA3EXCYUU9Z", EP), alias("example.com.", "AAAA", "Z1YSA3EXCYUU9Z", EP)]), "example.com", QueryType::A, &[ALIAS_EP])]
#[case::alias_aaaa_for_aaaa(json!([alias("example.com.", "AAAA", "Z1YSA3EXCYUU9Z", EP)]), "example.com", QueryType::Aaaa, &[ALIAS_EP])]
// Alias to a record of the same zone: the target's records of the same type.
#[case::alias_to_same_zone_a(json!([alias("example.com.", "A", "Z1", "www.example.com."), a("www.example.com.", "10.0.0.1")]), "example.com", QueryType::A, &["value:10.0.0.1"])]
#[case::alias_chain_in_zone(json!([alias("example.com.", "A", "Z1", "www.example.com."), alias("www.example.com.", "A", "Z1YSA3EXCYUU9Z", EP)]), "example.com", QueryType::A, &[ALIAS_EP])]
#[case::alias_to_other_type_is_bad(json!([alias("example.com.", "A", "Z1", "www.example.com."), rr("www.example.com.", "AAAA", &["2600:1f14::1"])]), "example.com", QueryType::A, &["bad"])]
#[case::alias_to_missing_record_is_bad(json!([alias("example.com.", "A", "/hostedzone/Z1", "www.example.com.")]), "example.com", QueryType::A, &["bad"])]
#[case::alias_loop_is_bad(json!([alias("a.example.com.", "A", "Z1", "b.example.com."), alias("b.example.com.", "A", "Z1", "a.example.com.")]), "a.example.com", QueryType::A, &["bad"])]
// CNAME: answers every type, alone at its name, one value.
#[case::cname_for_a(json!([rr("www.example.com.", "CNAME", &["other.example.net."])]), "www.example.com", QueryType::A, &["cname:other.example.net"])]
#[case::cname_for_aaaa(json!([rr("www.example.com.", "CNAME", &["other.example.net."])]), "www.example.com", QueryType::Aaaa, &["cname:other.example.net"])]
#[case::cname_beside_other_types_is_bad(json!([rr("www.example.com.", "CNAME", &["other.example.net."]), rr("www.example.com.", "TXT", &["\"x\""])]), "www.example.com", QueryType::A, &["bad"])]
#[case::cname_beside_a_is_bad(json!([rr("www.example.com.", "CNAME", &["other.example.net."]), a("www.example.com.", "10.0.0.1")]), "www.example.com", QueryType::A, &["bad"])]
#[case::cname_with_two_values_is_bad(json!([rr("www.example.com.", "CNAME", &["a.example.net.", "b.example.net."])]), "www.example.com", QueryType::A, &["bad"])]
#[case::alias_cname_to_same_zone_cname(json!([alias("www.example.com.", "CNAME", "Z1", "w2.example.com."), rr("w2.example.com.", "CNAME", &["other.example.net."])]), "www.example.com", QueryType::A, &["cname:other.example.net"])]
#[case::alias_cname_to_a_is_bad(json!([alias("www.example.com.", "CNAME", "Z1", "w2.example.com."), a("w2.example.com.", "10.0.0.1")]), "www.example.com", QueryType::A, &["bad"])]
#[case::alias_cname_out_of_zone_is_bad(json!([alias("www.example.com.", "CNAME", "Z1YSA3EXCYUU9Z", EP)]), "www.example.com", QueryType::A, &["bad"])]
#[case::weighted_cnames_both_followed(json!([weighted(rr("www.example.com.", "CNAME", &["a.example.net."]), "one", 1, false), weighted(rr("www.example.com.", "CNAME", &["b.example.net."]), "two", 1, false)]), "www.example.com", QueryType::A, &["cname:a.example.net", "cname:b.example.net"])]
// Names that do not exist.
#[case::nxdomain(json!([a("www.example.com.", "10.0.0.1")]), "ftp.example.com", QueryType::A, &["nxdomain"])]
#[case::empty_non_terminal_is_nodata(json!([a("c.b.example.com.", "10.0.0.1")]), "b.example.com", QueryType::A, &["nodata:"])]
// Wildcards (RFC 4592): only for names that do not exist, at the closest encloser.
#[case::wildcard(json!([a("*.example.com.", "10.0.0.9")]), "ftp.example.com", QueryType::A, &["value:10.0.0.9"])]
#[case::wildcard_escaped(json!([a("\\052.example.com.", "10.0.0.9")]), "ftp.example.com", QueryType::A, &["value:10.0.0.9"])]
#[case::wildcard_several_labels(json!([a("*.example.com.", "10.0.0.9")]), "x.y.example.com", QueryType::A, &["value:10.0.0.9"])]
#[case::wildcard_not_for_its_parent(json!([a("*.example.com.", "10.0.0.9")]), "example.com", QueryType::A, &["nodata:NS,SOA"])]
#[case::wildcard_not_for_a_name_with_other_types(json!([a("*.example.com.", "10.0.0.9"), rr("ftp.example.com.", "TXT", &["\"x\""])]), "ftp.example.com", QueryType::A, &["nodata:TXT"])]
#[case::wildcard_not_for_an_empty_non_terminal(json!([a("*.example.com.", "10.0.0.9"), a("c.b.example.com.", "10.0.0.1")]), "b.example.com", QueryType::A, &["nodata:"])]
#[case::wildcard_not_below_another_encloser(json!([a("*.example.com.", "10.0.0.9"), a("c.b.example.com.", "10.0.0.1")]), "x.b.example.com", QueryType::A, &["nxdomain"])]
#[case::wildcard_at_the_closest_encloser(json!([a("*.example.com.", "10.0.0.9"), a("*.b.example.com.", "10.0.0.8")]), "x.b.example.com", QueryType::A, &["value:10.0.0.8"])]
#[case::wildcard_has_types_too(json!([rr("*.example.com.", "AAAA", &["2600:1f14::9"])]), "ftp.example.com", QueryType::A, &["nodata:AAAA"])]
#[case::wildcard_cname(json!([rr("*.example.com.", "CNAME", &["other.example.net."])]), "ftp.example.com", QueryType::A, &["cname:other.example.net"])]
#[case::wildcard_alias(json!([alias("*.example.com.", "A", "Z1YSA3EXCYUU9Z", EP)]), "ftp.example.com", QueryType::A, &[ALIAS_EP])]
#[case::wildcard_name_queried_literally(json!([a("*.example.com.", "10.0.0.9")]), "*.example.com", QueryType::A, &["value:10.0.0.9"])]
// Routing policies: every record set that could answer.
#[case::weight_zero_never_answers(json!([weighted(a("www.example.com.", "10.0.0.1"), "one", 1, false), weighted(a("www.example.com.", "203.0.113.9"), "two", 0, false)]), "www.example.com", QueryType::A, &["value:10.0.0.1"])]
#[case::all_weights_zero_all_answer(json!([weighted(a("www.example.com.", "10.0.0.1"), "one", 0, false), weighted(a("www.example.com.", "203.0.113.9"), "two", 0, false)]), "www.example.com", QueryType::A, &["value:10.0.0.1", "value:203.0.113.9"])]
#[case::weight_zero_answers_when_the_others_can_fail(json!([weighted(a("www.example.com.", "10.0.0.1"), "one", 1, true), weighted(a("www.example.com.", "203.0.113.9"), "two", 0, false)]), "www.example.com", QueryType::A, &["value:10.0.0.1", "value:203.0.113.9"])]
#[case::weight_zero_alias_is_still_walked(json!([weighted(a("www.example.com.", "10.0.0.1"), "one", 1, false), weighted(alias("www.example.com.", "A", "Z1YSA3EXCYUU9Z", EP), "two", 0, false)]), "www.example.com", QueryType::A, &[ALIAS_EP, "value:10.0.0.1"])]
#[case::failover_both(json!([
    {"Name": "www.example.com.", "Type": "A", "SetIdentifier": "p", "Failover": "PRIMARY", "TTL": 60, "ResourceRecords": [{"Value": "10.0.0.1"}]},
    {"Name": "www.example.com.", "Type": "A", "SetIdentifier": "s", "Failover": "SECONDARY", "TTL": 60, "ResourceRecords": [{"Value": "203.0.113.9"}]}
]), "www.example.com", QueryType::A, &["value:10.0.0.1", "value:203.0.113.9"])]
#[case::multivalue_all(json!([
    {"Name": "www.example.com.", "Type": "A", "SetIdentifier": "1", "MultiValueAnswer": true, "TTL": 60, "ResourceRecords": [{"Value": "10.0.0.1"}]},
    {"Name": "www.example.com.", "Type": "A", "SetIdentifier": "2", "MultiValueAnswer": true, "TTL": 60, "ResourceRecords": [{"Value": "10.0.0.2"}]}
]), "www.example.com", QueryType::A, &["value:10.0.0.1", "value:10.0.0.2"])]
fn zone_answers(
    #[case] records: Value,
    #[case] qname: &str,
    #[case] qtype: QueryType,
    #[case] want: &[&str],
) {
    let records = zone(records);
    let got = show(answer(&records, "Z1", "example.com", qname, qtype));
    assert_eq!(got, want);
}

// ---------------------------------------------------------------- the reference estate

const DATA_ZONE: &str = "Z0222222DATA0000000001";
const DATA_NAME: &str = "a1b2c3d4e5f6g7-ats.iot.us-west-2.amazonaws.com";
const DEVICE_VPC: &str = "vpc-0aaa00000000000d1";
const CONSUMER_VPC: &str = "vpc-0ccc00000000000c1";
const DATA_EP: &str = "vpce-0bbb00000000da7a1";
const CONSUMER_EP: &str = "vpce-0ccc000000000c0e1";

fn reference() -> Snapshot {
    Snapshot::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/reference"))
        .expect("reference loads")
}

fn data_zone_records(s: &mut Snapshot) -> &mut Vec<ResourceRecordSet> {
    s.global
        .iter_mut()
        .find_map(|g| g.record_sets.get_mut(DATA_ZONE))
        .unwrap()
}

fn endpoint<'s>(s: &'s mut Snapshot, id: &str) -> &'s mut crate::snapshot::records::VpcEndpoint {
    s.regional
        .iter_mut()
        .flat_map(|r| r.vpc_endpoints.iter_mut())
        .find(|e| e.vpc_endpoint_id == id)
        .unwrap()
}

fn set_record_ip_type(s: &mut Snapshot, id: &str, value: Option<&str>) {
    endpoint(s, id).dns_options =
        value.map(|v| serde_json::from_value(json!({"DnsRecordIpType": v})).unwrap());
}

/// A target as a short string: `ip@endpoint`, `nxdomain@zone`, `nodata@zone`, `unresolvable@zone`.
fn targets(r: &Resolution) -> Vec<String> {
    let mut out: Vec<String> = r
        .targets
        .iter()
        .map(|t| match t {
            DnsTarget::Address { ip, endpoint, .. } => {
                format!("{ip}@{}", endpoint.clone().unwrap_or_default())
            }
            DnsTarget::NxDomain { zone, .. } => {
                format!("nxdomain@{}", zone.clone().unwrap_or_default())
            }
            DnsTarget::NoData { zone, .. } => {
                format!("nodata@{}", zone.clone().unwrap_or_default())
            }
            DnsTarget::Unresolvable { zone, .. } => {
                format!("unresolvable@{}", zone.clone().unwrap_or_default())
            }
            DnsTarget::Blocked { rule_group, .. } => format!("blocked@{rule_group}"),
            DnsTarget::Hidden { resource, .. } => format!("hidden@{resource}"),
        })
        .collect();
    out.sort();
    out
}

#[test]
fn reference_apex_alias_answers_a_with_the_endpoint_ipv4_addresses() {
    let s = reference();
    let m = Model::build(&s);
    let r = resolve(&m, DEVICE_VPC, "us-west-2", DATA_NAME);
    assert_eq!(
        targets(&r),
        [
            format!("10.20.1.10@{DATA_EP}"),
            format!("10.20.2.10@{DATA_EP}")
        ]
    );
}

#[test]
fn reference_has_no_aaaa_answer() {
    let s = reference();
    let m = Model::build(&s);
    let r = resolve_type(&m, DEVICE_VPC, "us-west-2", DATA_NAME, QueryType::Aaaa);
    assert_eq!(targets(&r), [format!("nodata@{DATA_ZONE}")]);
    let DnsTarget::NoData { types, .. } = &r.targets[0] else {
        panic!("{r:?}")
    };
    assert_eq!(types, &["A", "NS", "SOA"]);
}

#[test]
fn aaaa_alias_instead_of_a_is_nodata_for_a_in_the_zone() {
    let mut s = reference();
    for set in data_zone_records(&mut s).iter_mut() {
        if set.r#type == "A" {
            set.r#type = "AAAA".into();
        }
    }
    let m = Model::build(&s);
    let r = resolve(&m, DEVICE_VPC, "us-west-2", DATA_NAME);
    assert_eq!(targets(&r), [format!("nodata@{DATA_ZONE}")]);
    let DnsTarget::NoData {
        types, query_type, ..
    } = &r.targets[0]
    else {
        panic!("{r:?}")
    };
    assert_eq!(query_type, "A");
    assert_eq!(types, &["AAAA", "NS", "SOA"]);
    // The AAAA query follows the alias; the endpoint (DnsRecordIpType ipv4) has no AAAA records.
    let r = resolve_type(&m, DEVICE_VPC, "us-west-2", DATA_NAME, QueryType::Aaaa);
    assert_eq!(targets(&r), [format!("nodata@{DATA_ZONE}")]);
}

/// PrivateLink guide, "DNS record IP type", for the endpoint an A alias points to.
#[rstest]
#[case(Some("ipv4"), None, QueryType::A, "addresses")]
#[case(None, None, QueryType::A, "addresses")]
#[case(None, Some("dualstack"), QueryType::A, "addresses")]
#[case(None, Some("ipv6"), QueryType::A, "unresolvable")]
#[case(Some("dualstack"), None, QueryType::A, "addresses")]
#[case(Some("service-defined"), None, QueryType::A, "addresses")]
#[case(Some("ipv6"), None, QueryType::A, "nodata")]
#[case(Some("not-specified"), None, QueryType::A, "unresolvable")]
#[case(Some("ipv4"), None, QueryType::Aaaa, "nodata")]
#[case(Some("dualstack"), None, QueryType::Aaaa, "unresolvable")]
#[case(Some("ipv6"), None, QueryType::Aaaa, "unresolvable")]
#[case(Some("service-defined"), None, QueryType::Aaaa, "unresolvable")]
fn alias_to_endpoint_by_record_ip_type(
    #[case] record_ip_type: Option<&str>,
    #[case] ip_address_type: Option<&str>,
    #[case] qtype: QueryType,
    #[case] want: &str,
) {
    let mut s = reference();
    if qtype == QueryType::Aaaa {
        let mut aaaa = data_zone_records(&mut s)[0].clone();
        aaaa.r#type = "AAAA".into();
        data_zone_records(&mut s).push(aaaa);
    }
    set_record_ip_type(&mut s, DATA_EP, record_ip_type);
    endpoint(&mut s, DATA_EP).ip_address_type = ip_address_type.map(str::to_string);
    let m = Model::build(&s);
    let r = resolve_type(&m, DEVICE_VPC, "us-west-2", DATA_NAME, qtype);
    let got = targets(&r);
    match want {
        "addresses" => assert_eq!(
            got,
            [
                format!("10.20.1.10@{DATA_EP}"),
                format!("10.20.2.10@{DATA_EP}")
            ]
        ),
        "nodata" => assert_eq!(got, [format!("nodata@{DATA_ZONE}")]),
        "unresolvable" => assert_eq!(got, [format!("unresolvable@{DATA_ZONE}")]),
        _ => unreachable!(),
    }
}

/// Interface endpoint private DNS (`PrivateDnsEnabled`): the private name gets A records unless
/// the record IP type is ipv6; with service-defined it gets no AAAA records.
#[rstest]
#[case(Some("ipv4"), QueryType::A, "addresses")]
#[case(None, QueryType::A, "addresses")]
#[case(Some("service-defined"), QueryType::A, "addresses")]
#[case(Some("ipv6"), QueryType::A, "nodata")]
#[case(Some("bogus"), QueryType::A, "unresolvable")]
#[case(Some("ipv4"), QueryType::Aaaa, "nodata")]
#[case(Some("service-defined"), QueryType::Aaaa, "nodata")]
#[case(Some("dualstack"), QueryType::Aaaa, "unresolvable")]
fn endpoint_private_dns_by_record_ip_type(
    #[case] record_ip_type: Option<&str>,
    #[case] qtype: QueryType,
    #[case] want: &str,
) {
    let mut s = reference();
    let ep = endpoint(&mut s, CONSUMER_EP);
    ep.private_dns_enabled = true;
    ep.dns_entries.push(
        serde_json::from_value(
            json!({"DnsName": "service.example.internal", "HostedZoneId": "Z0PRIVATEDNS000000001"}),
        )
        .unwrap(),
    );
    set_record_ip_type(&mut s, CONSUMER_EP, record_ip_type);
    let m = Model::build(&s);
    let r = resolve_type(
        &m,
        CONSUMER_VPC,
        "us-west-2",
        "service.example.internal",
        qtype,
    );
    assert_eq!(
        r.via,
        Via::EndpointPrivateDns {
            endpoint: CONSUMER_EP.into()
        }
    );
    let got = targets(&r);
    match want {
        "addresses" => assert_eq!(
            got,
            [
                format!("10.30.1.20@{CONSUMER_EP}"),
                format!("10.30.2.20@{CONSUMER_EP}")
            ]
        ),
        "nodata" => assert_eq!(got, [format!("nodata@{CONSUMER_EP}")]),
        "unresolvable" => assert_eq!(got, [format!("unresolvable@{CONSUMER_EP}")]),
        _ => unreachable!(),
    }
}

#[test]
fn cname_chain_keeps_the_query_type() {
    // The apex becomes a CNAME-less name: a CNAME at `www` inside the zone points to the apex,
    // whose only address record is an AAAA alias: NODATA for A, from the same zone.
    let mut s = reference();
    let records = data_zone_records(&mut s);
    records[0].r#type = "AAAA".into();
    records.push(
        serde_json::from_value(
            json!({"Name": format!("www.{DATA_NAME}."), "Type": "CNAME", "TTL": 300,
            "ResourceRecords": [{"Value": format!("{DATA_NAME}.")}]}),
        )
        .unwrap(),
    );
    let m = Model::build(&s);
    let r = resolve(&m, DEVICE_VPC, "us-west-2", &format!("www.{DATA_NAME}"));
    assert_eq!(r.chain, [format!("www.{DATA_NAME}"), DATA_NAME.to_string()]);
    assert_eq!(targets(&r), [format!("nodata@{DATA_ZONE}")]);
}

#[test]
fn cname_loop_is_unresolvable_not_empty() {
    let mut s = reference();
    let records = data_zone_records(&mut s);
    records.retain(|r| r.r#type != "A");
    for (from, to) in [("a", "b"), ("b", "a")] {
        records.push(
            serde_json::from_value(
                json!({"Name": format!("{from}.{DATA_NAME}."), "Type": "CNAME", "TTL": 300,
                "ResourceRecords": [{"Value": format!("{to}.{DATA_NAME}.")}]}),
            )
            .unwrap(),
        );
    }
    let m = Model::build(&s);
    let r = resolve(&m, DEVICE_VPC, "us-west-2", &format!("a.{DATA_NAME}"));
    assert_eq!(targets(&r), [format!("unresolvable@{DATA_ZONE}")]);
}

#[test]
fn weighted_alias_fan_out_is_bounded() {
    // Ten levels of 20 weighted aliases each would be 20^10 answers; the zone gives up instead.
    let mut sets = Vec::new();
    for level in 0..10 {
        for i in 0..20 {
            let mut s = alias(
                &format!("l{level}.example.com."),
                "A",
                "Z1",
                &format!("l{}.example.com.", level + 1),
            );
            s["SetIdentifier"] = json!(format!("w{i}"));
            s["Weight"] = json!(1);
            sets.push(s);
        }
    }
    sets.push(a("l10.example.com.", "10.0.0.1"));
    let records = zone(Value::Array(sets));
    let got = answer(
        &records,
        "Z1",
        "example.com",
        "l0.example.com",
        QueryType::A,
    );
    assert!(got.len() <= 20 * 1025, "{}", got.len());
    assert!(got.iter().any(|a| matches!(a, Answer::Bad { .. })));
}
