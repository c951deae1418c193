//! Route lookup tables from the VPC and Transit Gateway guides.
use super::*;
use rstest::rstest;
use serde_json::json;

/// Routes from AWS CLI JSON. The snapshot rejects a destination that is not a CIDR when it loads
/// (exit 2); route tables built otherwise must still fail closed, so a bad destination here is
/// put back into the record after decoding.
fn routes(mut v: serde_json::Value) -> Vec<Route> {
    let mut bad = Vec::new();
    for (i, r) in v.as_array_mut().unwrap().iter_mut().enumerate() {
        for (field, placeholder) in [
            ("DestinationCidrBlock", "0.0.0.0/32"),
            ("DestinationIpv6CidrBlock", "::/128"),
        ] {
            if let Some(text) = r.get(field).and_then(|x| x.as_str()).map(str::to_string) {
                if text.parse::<IpNet>().is_err() {
                    r[field] = json!(placeholder);
                    bad.push((i, field, text));
                }
            }
        }
    }
    let mut out: Vec<Route> = serde_json::from_value(v).unwrap();
    for (i, field, text) in bad {
        match field {
            "DestinationCidrBlock" => out[i].destination_cidr_block = Some(text),
            _ => out[i].destination_ipv6_cidr_block = Some(text),
        }
    }
    out
}

fn no_lists(id: &str) -> Option<Vec<IpNet>> {
    (id == "pl-1").then(|| vec!["10.20.0.0/16".parse().unwrap()])
}

fn table() -> Vec<Route> {
    routes(json!([
        {"DestinationCidrBlock": "10.10.0.0/16", "GatewayId": "local", "State": "active"},
        {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "State": "active"},
        {"DestinationCidrBlock": "10.20.0.0/16", "TransitGatewayId": "tgw-1", "State": "active"},
        {"DestinationPrefixListId": "pl-1", "GatewayId": "vpce-9", "State": "active"},
        {"DestinationCidrBlock": "10.20.5.0/24", "NatGatewayId": "nat-1", "State": "blackhole"},
        {"DestinationCidrBlock": "10.30.0.0/16", "CoreNetworkArn": "arn:aws:networkmanager::1:core-network/x", "State": "active"},
        {"DestinationCidrBlock": "10.40.0.0/16", "FutureGatewayId": "fgw-1", "State": "active"},
        {"DestinationCidrBlock": "10.50.0.0/16", "InstanceId": "i-1", "NetworkInterfaceId": "eni-1", "State": "active"}
    ]))
}

#[rstest]
#[case("10.10.3.4", VpcTarget::Local, false)]
#[case("8.8.8.8", VpcTarget::InternetGateway("igw-1".into()), false)]
#[case("10.20.1.10", VpcTarget::TransitGateway("tgw-1".into()), false)]
#[case("10.20.5.1", VpcTarget::NatGateway("nat-1".into()), true)]
#[case("10.30.0.1", VpcTarget::Unknown { field: "CoreNetworkArn".into(), id: "arn:aws:networkmanager::1:core-network/x".into() }, false)]
#[case("10.40.0.1", VpcTarget::Unknown { field: "FutureGatewayId".into(), id: "fgw-1".into() }, false)]
#[case("10.50.0.1", VpcTarget::NetworkInterface("eni-1".into()), false)]
fn vpc_longest_prefix(#[case] dst: &str, #[case] target: VpcTarget, #[case] blackhole: bool) {
    let m = lookup_vpc(&table(), dst.parse().unwrap(), &no_lists)
        .unwrap()
        .unwrap();
    assert_eq!(m.target, target);
    assert_eq!(m.blackhole, blackhole);
}

#[test]
fn cidr_route_beats_prefix_list_of_same_length() {
    let m = lookup_vpc(&table(), "10.20.9.9".parse().unwrap(), &no_lists)
        .unwrap()
        .unwrap();
    assert_eq!(m.destination, "10.20.0.0/16");
    assert_eq!(m.target, VpcTarget::TransitGateway("tgw-1".into()));
}

#[test]
fn prefix_list_beats_propagated_route_of_same_length() {
    let t = routes(json!([
        {"DestinationCidrBlock": "10.20.0.0/16", "GatewayId": "vgw-1", "Origin": "EnableVgwRoutePropagation", "State": "active"},
        {"DestinationPrefixListId": "pl-1", "TransitGatewayId": "tgw-1", "Origin": "CreateRoute", "State": "active"}
    ]));
    let m = lookup_vpc(&t, "10.20.0.1".parse().unwrap(), &no_lists)
        .unwrap()
        .unwrap();
    assert_eq!(m.target, VpcTarget::TransitGateway("tgw-1".into()));
}

#[test]
fn propagated_route_more_specific_than_local_does_not_win() {
    let t = routes(json!([
        {"DestinationCidrBlock": "10.20.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"},
        {"DestinationCidrBlock": "10.20.1.0/24", "GatewayId": "vgw-1", "Origin": "EnableVgwRoutePropagation", "State": "active"}
    ]));
    let m = lookup_vpc(&t, "10.20.1.10".parse().unwrap(), &no_lists)
        .unwrap()
        .unwrap();
    assert_eq!(m.target, VpcTarget::Local);
}

#[test]
fn no_route_is_none() {
    let t = routes(json!([{"DestinationCidrBlock": "10.10.0.0/16", "GatewayId": "local"}]));
    assert_eq!(
        lookup_vpc(&t, "8.8.8.8".parse().unwrap(), &no_lists).unwrap(),
        None
    );
}

#[test]
fn missing_prefix_list_with_no_other_route_is_an_error() {
    let t = routes(json!([{"DestinationPrefixListId": "pl-404", "GatewayId": "vpce-1"}]));
    assert!(matches!(
        lookup_vpc(&t, "1.1.1.1".parse().unwrap(), &no_lists),
        Err(RouteError::UnknownPrefixList { index: 0, .. })
    ));
}

#[test]
fn bad_cidr_that_could_be_selected_is_an_error() {
    let t = routes(json!([{"DestinationCidrBlock": "10.10.0.0/33", "GatewayId": "local"}]));
    assert!(matches!(
        lookup_vpc(&t, "10.10.0.1".parse().unwrap(), &no_lists),
        Err(RouteError::BadCidr { index: 0, .. })
    ));
}

fn tgw_routes(v: serde_json::Value) -> Vec<TgwRoute> {
    serde_json::from_value(v).unwrap()
}

#[rstest]
#[case("10.20.1.1", Some("att-static"), false)]
#[case("10.20.200.1", Some("att-vpc"), false)]
#[case("10.99.0.1", None, true)]
#[case("172.16.0.1", Some("att-dx"), false)]
fn tgw_lookup(#[case] dst: &str, #[case] att: Option<&str>, #[case] blackhole: bool) {
    let t = tgw_routes(json!([
        {"DestinationCidrBlock": "10.20.0.0/16", "Type": "propagated", "State": "active",
         "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-vpc", "ResourceType": "vpc"}]},
        {"DestinationCidrBlock": "10.20.0.0/17", "Type": "propagated", "State": "active",
         "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-vpc", "ResourceType": "vpc"}]},
        {"DestinationCidrBlock": "10.20.0.0/17", "Type": "static", "State": "active",
         "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-static", "ResourceType": "vpc"}]},
        {"DestinationCidrBlock": "10.99.0.0/16", "Type": "static", "State": "blackhole"},
        {"DestinationCidrBlock": "172.16.0.0/12", "Type": "propagated", "State": "active",
         "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-vpn", "ResourceType": "vpn"}]},
        {"DestinationCidrBlock": "172.16.0.0/12", "Type": "propagated", "State": "active",
         "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-dx", "ResourceType": "direct-connect-gateway"}]},
        {"DestinationCidrBlock": "0.0.0.0/0", "Type": "static", "State": "deleted",
         "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-x", "ResourceType": "vpc"}]}
    ]));
    let m = lookup_tgw(&t, dst.parse().unwrap(), &no_lists)
        .unwrap()
        .unwrap();
    assert_eq!(m.attachments.first().map(String::as_str), att);
    assert_eq!(m.blackhole, blackhole);
}

// ---------------------------------------------------------------- routes pathproof cannot read

/// Prefix lists as `describe-managed-prefix-lists` and `get-managed-prefix-list-entries` show
/// them: `pl-a`/`pl-b` have known entries, `pl-v4`/`pl-v6` are described but their entries are
/// missing, anything else is not described at all.
struct Lists;

impl PrefixLists for Lists {
    fn cidrs(&self, id: &str) -> Option<Vec<IpNet>> {
        match id {
            "pl-a" | "pl-b" => Some(vec!["10.30.0.0/16".parse().unwrap()]),
            _ => None,
        }
    }
    fn family(&self, id: &str) -> Option<Family> {
        match id {
            "pl-v4" => Some(Family::V4),
            "pl-v6" => Some(Family::V6),
            _ => None,
        }
    }
    fn max_entries(&self, id: &str) -> Option<i64> {
        (id == "pl-v4").then_some(10)
    }
}

#[derive(Debug, PartialEq)]
enum Want {
    To(&'static str, bool),
    NoRoute,
    /// Unproven because of the route at this index.
    Unproven(usize),
}

fn vpc_want(routes: &[Route], dst: &str) -> Want {
    match lookup_vpc(routes, dst.parse().unwrap(), &Lists) {
        Ok(Some(m)) => {
            let label: &'static str = Box::leak(m.target.label().into_boxed_str());
            Want::To(label, m.blackhole)
        }
        Ok(None) => Want::NoRoute,
        Err(RouteError::UnknownPrefixList { index, .. })
        | Err(RouteError::BadCidr { index, .. })
        | Err(RouteError::NoDestination { index }) => Want::Unproven(index),
        Err(RouteError::Tie { other, .. }) => Want::Unproven(other),
    }
}

/// VPC guide, "How route priority works": longest prefix, then static CIDR routes, then
/// prefix-list routes, then propagated routes; a propagated route never beats the local route.
/// Base table: `10.10.0.0/16 local`, `10.20.0.0/16 → tgw-1`; each case adds routes from index 2.
#[rstest]
// The list's family cannot hold the destination.
#[case(json!([{"DestinationPrefixListId": "pl-v6", "GatewayId": "igw-1", "State": "active"}]), "10.20.1.10", Want::To("tgw-1", false))]
#[case(json!([{"DestinationPrefixListId": "pl-v4", "GatewayId": "igw-1", "State": "active"}]), "2600:1f14::1", Want::NoRoute)]
// An IPv4 list could hold 10.20.1.0/24 → igw-1, more specific than 10.20.0.0/16.
#[case(json!([{"DestinationPrefixListId": "pl-v4", "GatewayId": "igw-1", "State": "active"}]), "10.20.1.10", Want::Unproven(2))]
// Not described: any family.
#[case(json!([{"DestinationPrefixListId": "pl-gone", "GatewayId": "igw-1", "State": "active"}]), "2600:1f14::1", Want::Unproven(2))]
// No known route at all: the list could route what would otherwise have no route.
#[case(json!([{"DestinationPrefixListId": "pl-v4", "GatewayId": "igw-1", "State": "active"}]), "172.16.0.1", Want::Unproven(2))]
// A static CIDR host route beats a prefix-list route of the same (longest) prefix.
#[case(json!([{"DestinationPrefixListId": "pl-v4", "GatewayId": "igw-1", "State": "active"},
              {"DestinationCidrBlock": "10.20.1.10/32", "TransitGatewayId": "tgw-1", "State": "active"}]), "10.20.1.10", Want::To("tgw-1", false))]
// ... but a propagated host route does not: a prefix-list route beats it.
#[case(json!([{"DestinationPrefixListId": "pl-v4", "GatewayId": "igw-1", "State": "active"},
              {"DestinationCidrBlock": "10.20.1.10/32", "GatewayId": "vgw-1", "Origin": "EnableVgwRoutePropagation", "State": "active"}]), "10.20.1.10", Want::Unproven(2))]
// Same target, same state: whichever is selected, the packet goes to tgw-1.
#[case(json!([{"DestinationPrefixListId": "pl-v4", "TransitGatewayId": "tgw-1", "State": "active"}]), "10.20.1.10", Want::To("tgw-1", false))]
// Same target but the list's route is a blackhole: the selection matters.
#[case(json!([{"DestinationPrefixListId": "pl-v4", "TransitGatewayId": "tgw-1", "State": "blackhole"}]), "10.20.1.10", Want::Unproven(2))]
// A propagated route under the local route loses to local, but a prefix-list route would not.
#[case(json!([{"DestinationCidrBlock": "10.10.1.0/24", "GatewayId": "vgw-1", "Origin": "EnableVgwRoutePropagation", "State": "active"},
              {"DestinationPrefixListId": "pl-v4", "GatewayId": "igw-1", "State": "active"}]), "10.10.1.5", Want::Unproven(3))]
#[case(json!([{"DestinationCidrBlock": "10.10.1.0/24", "GatewayId": "vgw-1", "Origin": "EnableVgwRoutePropagation", "State": "active"}]), "10.10.1.5", Want::To("local", false))]
// A destination that is not a CIDR: DestinationCidrBlock is the IPv4 field.
#[case(json!([{"DestinationCidrBlock": "10.20.0.0/99", "GatewayId": "igw-1", "State": "active"}]), "10.20.1.10", Want::Unproven(2))]
#[case(json!([{"DestinationCidrBlock": "10.20.0.0/99", "GatewayId": "igw-1", "State": "active"}]), "2600:1f14::1", Want::NoRoute)]
#[case(json!([{"DestinationCidrBlock": "10.20.0.0/99", "TransitGatewayId": "tgw-1", "State": "active"}]), "10.20.1.10", Want::To("tgw-1", false))]
#[case(json!([{"DestinationIpv6CidrBlock": "2600:zz::/56", "GatewayId": "igw-1", "State": "active"}]), "10.20.1.10", Want::To("tgw-1", false))]
// Two known prefix lists with overlapping entries to different targets: AWS picks one.
#[case(json!([{"DestinationPrefixListId": "pl-a", "GatewayId": "igw-1", "State": "active"},
              {"DestinationPrefixListId": "pl-b", "TransitGatewayId": "tgw-1", "State": "active"}]), "10.30.0.1", Want::Unproven(3))]
#[case(json!([{"DestinationPrefixListId": "pl-a", "TransitGatewayId": "tgw-1", "State": "active"},
              {"DestinationPrefixListId": "pl-b", "TransitGatewayId": "tgw-1", "State": "active"}]), "10.30.0.1", Want::To("tgw-1", false))]
fn vpc_routes_with_unknown_prefixes(
    #[case] extra: serde_json::Value,
    #[case] dst: &str,
    #[case] want: Want,
) {
    let mut t = routes(json!([
        {"DestinationCidrBlock": "10.10.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"},
        {"DestinationCidrBlock": "10.20.0.0/16", "TransitGatewayId": "tgw-1", "Origin": "CreateRoute", "State": "active"}
    ]));
    t.extend(routes(extra));
    assert_eq!(vpc_want(&t, dst), want);
}

#[test]
fn unknown_prefix_list_error_names_the_list_and_what_it_displaces() {
    let t = routes(json!([
        {"DestinationCidrBlock": "10.20.0.0/16", "TransitGatewayId": "tgw-1", "State": "active"},
        {"DestinationPrefixListId": "pl-v4", "GatewayId": "igw-1", "State": "active"}
    ]));
    let e = lookup_vpc(&t, "10.20.1.10".parse().unwrap(), &Lists).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Routes[1]: prefix list pl-v4 is not in the snapshot (IPv4 list of up to 10 entries: any IPv4 prefix); \
         one of its entries could be the most specific route for 10.20.1.10 (to igw-1) instead of route 10.20.0.0/16 (to tgw-1)"
    );
}

#[test]
fn route_without_destination_makes_the_table_unproven() {
    let t = routes(json!([
        {"DestinationCidrBlock": "10.20.0.0/16", "TransitGatewayId": "tgw-1", "State": "active"},
        {"GatewayId": "igw-1", "State": "active"}
    ]));
    assert_eq!(
        lookup_vpc(&t, "10.20.1.10".parse().unwrap(), &Lists),
        Err(RouteError::NoDestination { index: 1 })
    );
}

fn tgw_want(routes: &[TgwRoute], dst: &str) -> Want {
    match lookup_tgw(routes, dst.parse().unwrap(), &Lists) {
        Ok(Some(m)) => {
            let mut atts = m.attachments.clone();
            atts.sort();
            let label: &'static str = Box::leak(atts.join("+").into_boxed_str());
            Want::To(label, m.blackhole)
        }
        Ok(None) => Want::NoRoute,
        Err(RouteError::UnknownPrefixList { index, .. })
        | Err(RouteError::BadCidr { index, .. })
        | Err(RouteError::NoDestination { index }) => Want::Unproven(index),
        Err(RouteError::Tie { other, .. }) => Want::Unproven(other),
    }
}

/// Transit Gateway guide, "Route evaluation order": longest prefix, then static routes, then
/// prefix-list referenced routes, then VPC, Direct Connect gateway, Connect and VPN propagated
/// routes. Base table: `10.20.0.0/16` propagated from att-vpc, `10.40.0.0/16` propagated from two
/// VPN attachments (ECMP), `10.99.0.0/16` static blackhole; cases add routes from index 3.
#[rstest]
// A prefix-list entry route (CIDR + PrefixListId; the guide says its type shows as propagated)
// beats a VPC-propagated route of the same prefix.
#[case(json!([{"DestinationCidrBlock": "10.20.0.0/16", "PrefixListId": "pl-v4", "Type": "propagated", "State": "active",
               "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-pl", "ResourceType": "vpc"}]}]), "10.20.1.1", Want::To("att-pl", false))]
// A reference whose entries are unknown could hold 10.20.1.0/24.
#[case(json!([{"PrefixListId": "pl-v4", "Type": "static", "State": "active",
               "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-x", "ResourceType": "vpc"}]}]), "10.20.1.1", Want::Unproven(3))]
#[case(json!([{"PrefixListId": "pl-v6", "Type": "static", "State": "active",
               "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-x", "ResourceType": "vpc"}]}]), "10.20.1.1", Want::To("att-vpc", false))]
// A static host route beats it, a propagated host route does not.
#[case(json!([{"PrefixListId": "pl-v4", "Type": "static", "State": "active",
               "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-x", "ResourceType": "vpc"}]},
              {"DestinationCidrBlock": "10.20.1.1/32", "Type": "static", "State": "active",
               "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-vpc", "ResourceType": "vpc"}]}]), "10.20.1.1", Want::To("att-vpc", false))]
#[case(json!([{"PrefixListId": "pl-v4", "Type": "static", "State": "active",
               "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-x", "ResourceType": "vpc"}]},
              {"DestinationCidrBlock": "10.20.1.1/32", "Type": "propagated", "State": "active",
               "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-vpc", "ResourceType": "vpc"}]}]), "10.20.1.1", Want::Unproven(3))]
// Same attachment: the selection does not matter.
#[case(json!([{"PrefixListId": "pl-v4", "Type": "static", "State": "active",
               "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-vpc", "ResourceType": "vpc"}]}]), "10.20.1.1", Want::To("att-vpc", false))]
// ECMP: one of the two attachments is a different outcome; both (in any order) is the same.
#[case(json!([{"PrefixListId": "pl-v4", "Type": "static", "State": "active",
               "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-vpn1", "ResourceType": "vpn"}]}]), "10.40.0.1", Want::Unproven(3))]
#[case(json!([{"PrefixListId": "pl-v4", "Type": "static", "State": "active",
               "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-vpn2", "ResourceType": "vpn"},
                                             {"TransitGatewayAttachmentId": "att-vpn1", "ResourceType": "vpn"}]}]), "10.40.0.1", Want::To("att-vpn1+att-vpn2", false))]
// Blackholes: a blackhole reference under a blackhole route drops either way.
#[case(json!([{"PrefixListId": "pl-v4", "Type": "static", "State": "blackhole"}]), "10.99.0.1", Want::To("", true))]
#[case(json!([{"PrefixListId": "pl-v4", "Type": "static", "State": "active",
               "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-x", "ResourceType": "vpc"}]}]), "10.99.0.1", Want::Unproven(3))]
// A route being deleted carries no traffic, whatever its destination.
#[case(json!([{"PrefixListId": "pl-v4", "Type": "static", "State": "deleting",
               "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-x", "ResourceType": "vpc"}]}]), "10.20.1.1", Want::To("att-vpc", false))]
fn tgw_routes_with_unknown_prefixes(
    #[case] extra: serde_json::Value,
    #[case] dst: &str,
    #[case] want: Want,
) {
    let mut t = tgw_routes(json!([
        {"DestinationCidrBlock": "10.20.0.0/16", "Type": "propagated", "State": "active",
         "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-vpc", "ResourceType": "vpc"}]},
        {"DestinationCidrBlock": "10.40.0.0/16", "Type": "propagated", "State": "active",
         "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "att-vpn1", "ResourceType": "vpn"},
                                       {"TransitGatewayAttachmentId": "att-vpn2", "ResourceType": "vpn"}]},
        {"DestinationCidrBlock": "10.99.0.0/16", "Type": "static", "State": "blackhole"}
    ]));
    t.extend(tgw_routes(extra));
    assert_eq!(tgw_want(&t, dst), want);
}

/// The prefix index of [`Table`] finds exactly the best known routes the route priority rules
/// name (longest prefix, then rank; every route tied at that key, in table order), checked
/// against comparing every route on random tables with colliding prefixes, both families.
mod index_matches_scan {
    use super::*;
    use proptest::prelude::*;

    fn net(v6: bool, addr: u32, len: u8) -> IpNet {
        if v6 {
            let a = std::net::Ipv6Addr::from((0x2001_0db8u128 << 96) | (u128::from(addr) << 64));
            IpNet::new(IpAddr::V6(a), 32 + len).unwrap()
        } else {
            let a = std::net::Ipv4Addr::from(0x0a00_0000 | (addr & 0x00ff_ffff));
            IpNet::new(IpAddr::V4(a), len).unwrap()
        }
    }

    fn route() -> impl Strategy<Value = (Vec<(bool, u32, u8)>, u8, bool)> {
        (
            // Few distinct addresses and lengths, so prefixes collide and nest.
            prop::collection::vec(
                (
                    any::<bool>(),
                    prop::sample::select(vec![0u32, 0x10000, 0x10100, 0x10180, 0xff0000]),
                    prop::sample::select(vec![0u8, 8, 16, 24, 25, 32]),
                ),
                1..3,
            ),
            0u8..3,
            prop::bool::weighted(0.1),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn best_known(routes in prop::collection::vec(route(), 0..12), dst in (any::<bool>(), prop::sample::select(vec![0u32, 1, 0x10000, 0x10101, 0x10180, 0x101ff, 0xff0001, 0x123456]))) {
            let compiled: Vec<Compiled> = routes
                .iter()
                .enumerate()
                .map(|(index, (nets, rank, unknown))| Compiled {
                    index,
                    destination: format!("r{index}"),
                    nets: if *unknown { Vec::new() } else { nets.iter().map(|&(v6, a, l)| net(v6, a, l)).collect() },
                    rank: *rank,
                    unknown: unknown.then(|| Unknown::BadCidr { value: "x".into(), family: None }),
                })
                .collect();
            let table = Table::new(compiled);
            let dst = net(dst.0, dst.1, 32).addr();
            let show = |(picks, key): (Vec<select::Pick<'_>>, Option<(u8, u8)>)| {
                (picks.iter().map(|p| (p.route.index, p.net)).collect::<Vec<_>>(), key)
            };
            prop_assert_eq!(show(table.best_known(dst)), show(select::best_known_by_scan(&table, dst)));
        }
    }
}
