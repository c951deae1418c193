//! Strict decode-time validators for the values pathproof reads (`#[serde(deserialize_with)]`).
//!
//! Each keeps the field's type (a `String` stays a `String`) so the rest of the code is unchanged,
//! and fails the decode with a message, so `serde_path_to_error` names the file and JSON path.
//! Nothing is trimmed or repaired: the AWS CLI prints these values canonically, so anything else is
//! not what AWS printed.
//!
//! - CIDRs: `a.b.c.d/n` (IPv4 fields) or RFC 5952 text with `/n` (IPv6 fields), prefix length in
//!   range, no surrounding space, and no host bits: EC2 stores and prints the network address
//!   (it masks a security-group CIDR given with host bits and rejects such a route destination:
//!   "Value (…) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block").
//! - Addresses: a plain IPv4 (or IPv6) address, no prefix, no space, no leading zeros.
//! - Ports: 0–65535; security-group ports also -1 (all / any ICMP type); network ACL rule numbers
//!   1–32766 plus 32767 and 32768, the default `*` rules for IPv4 and IPv6 (VPC User Guide,
//!   "Network ACL rules"; AWS prints the IPv6 `*` rule of a VPC with an IPv6 CIDR as 32768).
//! - Keys that become file names (policy names, zone ids, load balancer names, EC2 ids …): the
//!   pattern AWS documents for them, which excludes `/`, `\`, NUL, `..` and empty names.
//! - `Option` fields read by pathproof: the CLI omits an absent value and never prints `null` for a
//!   structure member (botocore's parsers drop `None` members), so `null` is rejected
//!   ([`present`]) instead of silently meaning "absent".
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

/// An `Option` field that may be omitted but is never `null` (use with `#[serde(default)]`).
pub fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// A JSON value of any type except `null` (for fields declared as `serde_json::Value`).
pub fn not_null<'de, D: Deserializer<'de>>(d: D) -> Result<serde_json::Value, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    if v.is_null() {
        return Err(D::Error::custom("invalid type: null, expected a value"));
    }
    Ok(v)
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Family {
    V4,
    V6,
    Any,
}

fn family_name(f: Family) -> &'static str {
    match f {
        Family::V4 => "an IPv4",
        Family::V6 => "an IPv6",
        Family::Any => "an IPv4 or IPv6",
    }
}

/// Check a CIDR as AWS prints it. `Err` says why it is not one.
pub fn check_cidr(s: &str, family: Family) -> Result<IpNet, String> {
    let bad = || format!("{s:?} is not {} CIDR", family_name(family));
    let (addr, len) = s.split_once('/').ok_or_else(bad)?;
    // `u8::from_str` accepts a leading `+`; AWS prints plain digits.
    if len.is_empty() || len.len() > 3 || !len.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let len: u8 = len.parse().map_err(|_| bad())?;
    let net = match addr.parse::<IpAddr>().map_err(|_| bad())? {
        IpAddr::V4(a) if family != Family::V6 => {
            IpNet::V4(Ipv4Net::new(a, len).map_err(|_| bad())?)
        }
        IpAddr::V6(a) if family != Family::V4 => {
            IpNet::V6(Ipv6Net::new(a, len).map_err(|_| bad())?)
        }
        _ => return Err(bad()),
    };
    if net.addr() != net.network() {
        return Err(format!(
            "{s:?} has host bits set (AWS prints the network address, {})",
            net.trunc()
        ));
    }
    Ok(net)
}

/// Check an address as AWS prints it.
pub fn check_ip(s: &str, family: Family) -> Result<IpAddr, String> {
    let bad = || format!("{s:?} is not {} address", family_name(family));
    match family {
        Family::V4 => s.parse::<Ipv4Addr>().map(IpAddr::V4).map_err(|_| bad()),
        Family::V6 => s.parse::<Ipv6Addr>().map(IpAddr::V6).map_err(|_| bad()),
        Family::Any => s.parse::<IpAddr>().map_err(|_| bad()),
    }
}

fn with<'de, D: Deserializer<'de>>(
    d: D,
    check: impl Fn(&str) -> Result<(), String>,
) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    check(&s).map_err(D::Error::custom)?;
    Ok(s)
}

macro_rules! validators {
    ($($name:ident, $opt:ident => $check:expr;)*) => {$(
        pub fn $name<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
            with(d, $check)
        }
        pub fn $opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
            $name(d).map(Some)
        }
    )*};
}

validators! {
    cidr4, opt_cidr4 => |s| check_cidr(s, Family::V4).map(drop);
    cidr6, opt_cidr6 => |s| check_cidr(s, Family::V6).map(drop);
    cidr, opt_cidr => |s| check_cidr(s, Family::Any).map(drop);
    ip4, opt_ip4 => |s| check_ip(s, Family::V4).map(drop);
    ip6, opt_ip6 => |s| check_ip(s, Family::V6).map(drop);
    vpc_id, opt_vpc_id => |s| ec2_id(s, "vpc");
    prefix_list_id, opt_prefix_list_id => |s| ec2_id(s, "pl");
    tgw_route_table_id, opt_tgw_route_table_id => |s| ec2_id(s, "tgw-rtb");
    tgw_policy_table_id, opt_tgw_policy_table_id => |s| ec2_id(s, "tgw-ptb");
    endpoint_service_id, opt_endpoint_service_id => |s| ec2_id(s, "vpce-svc");
    elb_name, opt_elb_name => elb_name_ok;
    resolver_endpoint_id, opt_resolver_endpoint_id => resolver_id_ok;
    iot_policy_name, opt_iot_policy_name => iot_policy_name_ok;
    hosted_zone_id, opt_hosted_zone_id => hosted_zone_id_ok;
    account_id, opt_account_id => account_ok;
    region, opt_region => region_ok;
}

fn int_in<'de, D: Deserializer<'de>>(
    d: D,
    what: &str,
    range: std::ops::RangeInclusive<i64>,
) -> Result<i64, D::Error> {
    let n = i64::deserialize(d)?;
    if !range.contains(&n) {
        return Err(D::Error::custom(format!(
            "{what} {n} is out of range ({}–{})",
            range.start(),
            range.end()
        )));
    }
    Ok(n)
}

/// A TCP/UDP port (network ACL port ranges, listeners, targets).
pub fn port<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    int_in(d, "port", 0..=65535)
}

pub fn opt_port<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    port(d).map(Some)
}

/// A security-group `FromPort`/`ToPort`: a port, an ICMP type/code, or -1 for all.
pub fn opt_sg_port<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    int_in(d, "port", -1..=65535).map(Some)
}

/// A network ACL `RuleNumber`: 1–32766, and 32767 / 32768 for the default IPv4 / IPv6 `*` rules
/// that AWS prints (`describe-network-acls` of a dual-stack VPC lists `::/0 deny` as 32768).
pub fn rule_number<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    int_in(d, "rule number", 1..=32768)
}

/// An EC2 resource id: `<prefix>-` and 8 or 17 lower-case letters and digits (EC2 User Guide,
/// "Resource IDs").
fn ec2_id(s: &str, prefix: &str) -> Result<(), String> {
    let ok = s
        .strip_prefix(prefix)
        .and_then(|r| r.strip_prefix('-'))
        .is_some_and(|r| {
            matches!(r.len(), 8 | 17)
                && r.bytes()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
        });
    ok.then_some(()).ok_or_else(|| {
        format!("{s:?} is not a {prefix}- id ({prefix}- and 8 or 17 lower-case letters or digits)")
    })
}

/// Load balancer and target group names: 1–32 letters, digits and hyphens, not starting or ending
/// with a hyphen (Elastic Load Balancing API Reference, CreateLoadBalancer / CreateTargetGroup).
fn elb_name_ok(s: &str) -> Result<(), String> {
    let ok = (1..=32).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-');
    ok.then_some(()).ok_or_else(|| {
        format!("{s:?} is not a load balancer or target group name (1-32 letters, digits, hyphens)")
    })
}

/// Route 53 Resolver ids (`ResourceId`: 1–64 characters; AWS prints `rslvr-in-…`/`rslvr-out-…`).
fn resolver_id_ok(s: &str) -> Result<(), String> {
    let ok =
        (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    ok.then_some(())
        .ok_or_else(|| format!("{s:?} is not a Resolver endpoint id"))
}

/// IoT policy names: `[\w+=,.@-]+`, 1–128 characters (IoT API Reference, CreatePolicy).
fn iot_policy_name_ok(s: &str) -> Result<(), String> {
    let ok = (1..=128).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b));
    ok.then_some(()).ok_or_else(|| {
        format!("{s:?} is not an IoT policy name (1-128 of letters, digits and _+=,.@-)")
    })
}

/// A hosted zone id as `list-hosted-zones` prints it (`/hostedzone/Z…`) or without the prefix:
/// upper-case letters and digits, at most 32 (Route 53 API Reference, `ResourceId`).
fn hosted_zone_id_ok(s: &str) -> Result<(), String> {
    let short = s.strip_prefix("/hostedzone/").unwrap_or(s);
    let ok = (1..=32).contains(&short.len())
        && short
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
    ok.then_some(())
        .ok_or_else(|| format!("{s:?} is not a hosted zone id"))
}

/// A 12-digit AWS account id.
pub fn account_ok(s: &str) -> Result<(), String> {
    let ok = s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit());
    ok.then_some(())
        .ok_or_else(|| format!("{s:?} is not an AWS account id (12 digits)"))
}

/// An AWS Region name such as `us-west-2`, `us-gov-west-1`, `cn-north-1` or `eusc-de-east-1`
/// (botocore's partition region patterns); `global` is the layout's Route 53 folder, not a Region.
pub fn region_ok(s: &str) -> Result<(), String> {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    let ok = (2..=4).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && rest.len() >= 2
        && rest[..rest.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && rest.last().is_some_and(|p| {
            !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit())
        });
    ok.then_some(())
        .ok_or_else(|| format!("{s:?} is not an AWS Region name (such as us-west-2)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs_are_strict() {
        for ok in ["10.0.0.0/8", "0.0.0.0/0", "10.1.2.3/32", "192.168.0.0/16"] {
            assert!(check_cidr(ok, Family::V4).is_ok(), "{ok}");
        }
        for (bad, why) in [
            ("10.0.0.0/33", "is not an IPv4 CIDR"),
            ("abc", "is not an IPv4 CIDR"),
            ("10.0.0.0/8 ", "is not an IPv4 CIDR"),
            (" 10.0.0.0/8", "is not an IPv4 CIDR"),
            ("10.0.0.0", "is not an IPv4 CIDR"),
            ("10.0.0.0/+8", "is not an IPv4 CIDR"),
            ("010.0.0.0/8", "is not an IPv4 CIDR"),
            ("::/0", "is not an IPv4 CIDR"),
            (
                "10.0.0.1/8",
                "has host bits set (AWS prints the network address, 10.0.0.0/8)",
            ),
        ] {
            let err = check_cidr(bad, Family::V4).unwrap_err();
            assert!(err.ends_with(why), "{bad}: {err}");
        }
        assert!(check_cidr("2600:1f14:abc:de00::/56", Family::V6).is_ok());
        assert!(check_cidr("::/0", Family::Any).is_ok());
        assert!(check_cidr("2600::1/64", Family::V6).is_err());
        assert!(check_cidr("10.0.0.0/8", Family::V6).is_err());
    }

    #[test]
    fn addresses_are_strict() {
        assert!(check_ip("10.0.0.1", Family::V4).is_ok());
        for bad in ["10.0.0.1 ", "10.0.0.1/32", "10.0.0.256", "", "fe80::1"] {
            assert!(check_ip(bad, Family::V4).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn keys_that_become_file_names() {
        assert!(ec2_id("vpc-0aaa00000000000d1", "vpc").is_ok());
        assert!(ec2_id("pl-68a54001", "pl").is_ok());
        for bad in [
            "vpc-",
            "vpc-../../x",
            "vpc-0aaa00000000000d1/",
            "vpc-0AAA0000",
            "subnet-0aaa0000",
        ] {
            assert!(ec2_id(bad, "vpc").is_err(), "{bad}");
        }
        assert!(iot_policy_name_ok("iot-device-policy").is_ok());
        for bad in ["", "a/b", "..\\x", "a\0b", "/etc/passwd"] {
            assert!(iot_policy_name_ok(bad).is_err(), "{bad:?}");
        }
        assert!(elb_name_ok("iot-data-nlb").is_ok());
        assert!(
            elb_name_ok("-x").is_err() && elb_name_ok("a/b").is_err() && elb_name_ok("..").is_err()
        );
        assert!(hosted_zone_id_ok("/hostedzone/Z0222222DATA0000000001").is_ok());
        assert!(hosted_zone_id_ok("../Z1").is_err() && hosted_zone_id_ok("").is_err());
        assert!(resolver_id_ok("rslvr-in-0aaa000000000001a").is_ok());
        assert!(resolver_id_ok("rslvr-in-../x").is_err());
    }

    #[test]
    fn accounts_and_regions() {
        assert!(account_ok("111111111111").is_ok());
        for bad in [
            "11111111111",
            "1111111111111",
            "11111111111a",
            "../111111111",
        ] {
            assert!(account_ok(bad).is_err(), "{bad}");
        }
        for ok in [
            "us-west-2",
            "us-gov-west-1",
            "cn-north-1",
            "eusc-de-east-1",
            "ap-southeast-5",
        ] {
            assert!(region_ok(ok).is_ok(), "{ok}");
        }
        for bad in [
            "global",
            "us-west",
            "US-WEST-2",
            "us-west-2/..",
            "..",
            "",
            "us--west-2",
        ] {
            assert!(region_ok(bad).is_err(), "{bad}");
        }
    }
}
