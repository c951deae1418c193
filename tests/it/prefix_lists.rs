//! Routes pathproof cannot read (issue 8, item 8): a prefix list whose entries are not in the
//! snapshot, or a destination that is not a CIDR, makes a lookup unproven only where that route
//! could be selected for the destination and change where the packet goes (VPC guide, "How route
//! priority works"; Transit Gateway guide, "Route evaluation order" and "Prefix list
//! references").
use super::*;
use serde_json::{json, Value};

const NET: &str = "111111111111/us-west-2";
const GK: &str = "222222222222/us-west-2";
const DEVICE_RTB: &str = "rtb-0aaa00000000000d1";
const GATEKEEPER_RTB: &str = "rtb-0bbb00000000000e1";
const TGW_RTB: &str = "tgw-rtb-0aaa00000000000f1";
const TGW: &str = "tgw-0aaa00000000000f1";
const IGW: &str = "igw-0aaa00000000000e1";
/// A customer-managed list that no account describes.
const GONE: &str = "pl-0aaa00000000000b1";

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

fn messages(report: &Value, rule: &str, resource: &str) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == rule && f["resource"] == resource)
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect()
}

/// Append routes to a VPC route table of `account_region`.
fn add_routes(dir: &std::path::Path, account_region: &str, rtb: &str, routes: Vec<Value>) {
    edit_json(
        dir,
        &format!("{account_region}/ec2/describe-route-tables.json"),
        |doc| {
            for t in doc["RouteTables"].as_array_mut().unwrap() {
                if t["RouteTableId"] == rtb {
                    t["Routes"].as_array_mut().unwrap().extend(routes.clone());
                }
            }
        },
    );
}

fn list_route(list: &str, target: (&str, &str)) -> Value {
    json!({"DestinationPrefixListId": list, target.0: target.1, "Origin": "CreateRoute", "State": "active"})
}

fn host_route(ip: &str) -> Value {
    json!({"DestinationCidrBlock": format!("{ip}/32"), "TransitGatewayId": TGW, "Origin": "CreateRoute", "State": "active"})
}

/// Describe a customer-managed list in the network account without its entries file.
fn describe_list(dir: &std::path::Path, id: &str, family: &str) {
    edit_json(
        dir,
        &format!("{NET}/ec2/describe-managed-prefix-lists.json"),
        |doc| {
            doc["PrefixLists"].as_array_mut().unwrap().push(json!({
                "PrefixListId": id,
                "AddressFamily": family,
                "State": "create-complete",
                "PrefixListArn": format!("arn:aws:ec2:us-west-2:111111111111:prefix-list/{id}"),
                "PrefixListName": "partner-ranges",
                "MaxEntries": 20,
                "Version": 3,
                "Tags": [],
                "OwnerId": "111111111111"
            }));
        },
    );
}

/// Same target, same state as the routes it could displace: whichever route is selected, the
/// packet goes to the transit gateway, so the unknown list does not matter.
#[test]
fn unknown_list_to_the_same_transit_gateway_passes() {
    let tmp = copy_fixture("reference");
    add_routes(
        tmp.path(),
        NET,
        DEVICE_RTB,
        vec![list_route(GONE, ("TransitGatewayId", TGW))],
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Pass, "{:?}", findings(&report));
}

/// An unknown list to the internet gateway could hold 10.20.1.0/24: more specific than the
/// 10.20.0.0/16 route to the TGW, so the device paths through this table are unproven, naming the
/// table and the list.
#[test]
fn unknown_list_to_another_target_makes_the_table_unproven() {
    let tmp = copy_fixture("compliant/device-igw-default-route");
    add_routes(
        tmp.path(),
        NET,
        DEVICE_RTB,
        vec![list_route(GONE, ("GatewayId", IGW))],
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(distinct(&report), pairs(&[("PP016", DEVICE_RTB)]));
    let msgs = messages(&report, "PP016", DEVICE_RTB);
    assert!(
        msgs.iter().all(|m| m.contains(GONE) && m.contains(IGW)),
        "{msgs:?}"
    );
}

/// Host routes (static CIDR /32) for every IoT endpoint address beat any prefix-list route of
/// the same prefix, and nothing is longer than a /32: every MQTT lookup the device subnets make in
/// this table is decided, so their paths are private although the list's entries are unknown.
/// But the Resolver inbound endpoint lives in these subnets too, and its replies to on-premises
/// (192.168.0.0/16) are looked up in this table, where the unknown list could hold a more specific
/// on-premises prefix: those lookups stay unproven, naming the table and the list.
#[test]
fn unknown_list_beside_host_routes_decides_mqtt_but_not_the_dns_replies() {
    let tmp = copy_fixture("compliant/device-igw-default-route");
    let mut routes = vec![list_route(GONE, ("GatewayId", IGW))];
    routes.extend(
        ["10.20.1.10", "10.20.2.10", "10.20.1.11", "10.20.2.11"]
            .into_iter()
            .map(host_route),
    );
    add_routes(tmp.path(), NET, DEVICE_RTB, routes);
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(distinct(&report), pairs(&[("PP016", DEVICE_RTB)]));
    assert!(messages(&report, "PP016", DEVICE_RTB)
        .iter()
        .all(|m| m.contains(GONE)));
    let subnet_paths: Vec<&Value> = report["paths"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["source"]["kind"] == "subnet")
        .collect();
    assert!(!subnet_paths.is_empty());
    assert!(subnet_paths.iter().all(|p| p["verdict"] == "private"));
}

/// One IoT address without a host route: only that destination is unproven.
#[test]
fn unknown_list_beside_host_routes_for_some_iot_addresses() {
    let tmp = copy_fixture("compliant/device-igw-default-route");
    let mut routes = vec![list_route(GONE, ("GatewayId", IGW))];
    routes.extend(
        ["10.20.1.10", "10.20.2.10", "10.20.1.11"]
            .into_iter()
            .map(host_route),
    );
    add_routes(tmp.path(), NET, DEVICE_RTB, routes);
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(distinct(&report), pairs(&[("PP016", DEVICE_RTB)]));
    let msgs = messages(&report, "PP016", DEVICE_RTB);
    assert!(!msgs.is_empty());
    for m in &msgs {
        assert!(m.contains("10.20.2.11"), "{m}");
    }
    let unproven: Vec<_> = report["paths"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["end"]["kind"] == "unproven")
        .map(|p| p["address"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(!unproven.is_empty());
    assert!(unproven.iter().all(|a| a == "10.20.2.11"), "{unproven:?}");
}

/// `describe-managed-prefix-lists` says the list is IPv6: it cannot hold an IPv4 destination, so
/// no IPv4 lookup is unproven. The missing entries file is still incomplete evidence (PP017).
#[test]
fn described_ipv6_list_without_entries_does_not_touch_ipv4_lookups() {
    let tmp = copy_fixture("compliant/device-igw-default-route");
    let id = "pl-0aaa00000000000b6";
    describe_list(tmp.path(), id, "IPv6");
    add_routes(
        tmp.path(),
        NET,
        DEVICE_RTB,
        vec![list_route(id, ("GatewayId", IGW))],
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    let file = format!("{NET}/ec2/get-managed-prefix-list-entries/{id}.json");
    assert_eq!(distinct(&report), pairs(&[("PP017", &file)]));
}

/// The same list described as IPv4: its unknown entries could route the IoT addresses.
#[test]
fn described_ipv4_list_without_entries_is_unproven_where_it_could_be_selected() {
    let tmp = copy_fixture("compliant/device-igw-default-route");
    let id = "pl-0aaa00000000000b4";
    describe_list(tmp.path(), id, "IPv4");
    add_routes(
        tmp.path(),
        NET,
        DEVICE_RTB,
        vec![list_route(id, ("GatewayId", IGW))],
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    let file = format!("{NET}/ec2/get-managed-prefix-list-entries/{id}.json");
    assert_eq!(
        distinct(&report),
        pairs(&[("PP016", DEVICE_RTB), ("PP017", &file)])
    );
    assert!(messages(&report, "PP016", DEVICE_RTB)
        .iter()
        .all(|m| m.contains("IPv4 list of up to 20 entries")));
}

/// A destination that is not a CIDR is inconsistent input: the AWS CLI never prints one, so the
/// snapshot does not load (exit 2, naming the file and the JSON path), in either family's field.
/// (`src/route` still decides such a route per family when a table is built otherwise.)
#[test]
fn bad_destination_is_an_input_error() {
    let tmp = copy_fixture("compliant/device-igw-default-route");
    add_routes(
        tmp.path(),
        NET,
        DEVICE_RTB,
        vec![
            json!({"DestinationIpv6CidrBlock": "2600:1f14:zz::/56", "GatewayId": IGW, "Origin": "CreateRoute", "State": "active"}),
        ],
    );
    let (result, _) = run(&["verify", "--snapshot", tmp.path().to_str().unwrap()]);
    assert_eq!(
        result.unwrap_err().to_string(),
        "111111111111/us-west-2/ec2/describe-route-tables.json: RouteTables[1].Routes[4].DestinationIpv6CidrBlock: \"2600:1f14:zz::/56\" is not an IPv6 CIDR"
    );

    let tmp = copy_fixture("compliant/device-igw-default-route");
    add_routes(
        tmp.path(),
        NET,
        DEVICE_RTB,
        vec![
            json!({"DestinationCidrBlock": "10.20.1.0/33", "GatewayId": IGW, "Origin": "CreateRoute", "State": "active"}),
        ],
    );
    let (result, _) = run(&["verify", "--snapshot", tmp.path().to_str().unwrap()]);
    assert_eq!(
        result.unwrap_err().to_string(),
        "111111111111/us-west-2/ec2/describe-route-tables.json: RouteTables[1].Routes[4].DestinationCidrBlock: \"10.20.1.0/33\" is not an IPv4 CIDR"
    );
}

/// `Model::representatives` splits a source range only at known prefixes. An unknown list in the
/// gatekeeper table could split the device subnets' reply range anywhere; the reply lookups are
/// unproven (naming the table), never answered for one address of a range the list may split.
#[test]
fn unknown_list_in_the_return_table_keeps_return_paths_unproven() {
    let tmp = copy_fixture("reference");
    add_routes(
        tmp.path(),
        GK,
        GATEKEEPER_RTB,
        vec![list_route(
            GONE,
            ("TransitGatewayId", "tgw-0aaa00000000000f9"),
        )],
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(distinct(&report), pairs(&[("PP016", GATEKEEPER_RTB)]));
    assert!(messages(&report, "PP016", GATEKEEPER_RTB)
        .iter()
        .any(|m| m.contains("return path")));
}

fn add_tgw_routes(dir: &std::path::Path, routes: Vec<Value>) {
    edit_json(
        dir,
        &format!("{NET}/ec2/search-transit-gateway-routes/{TGW_RTB}.json"),
        |doc| doc["Routes"].as_array_mut().unwrap().extend(routes.clone()),
    );
}

/// "Prefix list references": each entry is listed as its own route (CIDR and list id), and the
/// guide shows such routes with type propagated; "Route evaluation order" still ranks them above
/// VPC-propagated routes. A blackhole entry for the gatekeeper's own CIDR wins.
#[test]
fn tgw_prefix_list_entry_route_beats_the_vpc_propagated_route() {
    let tmp = copy_fixture("reference");
    add_tgw_routes(
        tmp.path(),
        vec![
            json!({"DestinationCidrBlock": "10.20.0.0/16", "PrefixListId": GONE, "Type": "propagated", "State": "blackhole"}),
        ],
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(distinct(&report), pairs(&[("PP005", TGW_RTB)]));
}

/// A reference whose entries are not in the route output nor the snapshot, to the device VPC's
/// attachment: it could take the gatekeeper's addresses. Unproven, naming the TGW route table.
#[test]
fn tgw_reference_with_unknown_entries_is_unproven() {
    let tmp = copy_fixture("reference");
    add_tgw_routes(
        tmp.path(),
        vec![
            json!({"PrefixListId": GONE, "TransitGatewayAttachments": [{"ResourceId": "vpc-0aaa00000000000d1",
            "TransitGatewayAttachmentId": "tgw-attach-0aaa0000000000d01", "ResourceType": "vpc"}],
            "Type": "static", "State": "active"}),
        ],
    );
    let (outcome, report) = verify_json(tmp.path(), &[]);
    assert_eq!(outcome, Outcome::Fail);
    assert_eq!(distinct(&report), pairs(&[("PP016", TGW_RTB)]));
    assert!(messages(&report, "PP016", TGW_RTB)
        .iter()
        .all(|m| m.contains(GONE)));
}
