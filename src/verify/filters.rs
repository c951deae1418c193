//! Security group and network ACL evaluation over address *ranges*.
//!
//! A source is a set of CIDRs (a subnet, an on-premises range, a NAT or load balancer address),
//! so a filter must admit every address of it, not one sample. Both evaluators split the source
//! range and the port range at every rule boundary and evaluate one point per cell: the decision
//! is constant inside a cell, so this is exact.
//!
//! Hand-written interval code: `ipnet` has containment but no set difference or splitting at
//! arbitrary boundaries, and the cell walk needs both.
use std::net::IpAddr;

use ipnet::IpNet;
use serde::Serialize;

use crate::graph::Model;
use crate::snapshot::records::{NetworkAcl, SecurityGroup};

/// Inclusive address range in one family, as integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Range {
    v6: bool,
    lo: u128,
    hi: u128,
}

fn range(net: &IpNet) -> Range {
    match net {
        IpNet::V4(n) => Range {
            v6: false,
            lo: u32::from(n.network()) as u128,
            hi: u32::from(n.broadcast()) as u128,
        },
        IpNet::V6(n) => Range {
            v6: true,
            lo: u128::from(n.network()),
            hi: u128::from(n.broadcast()),
        },
    }
}

/// Boundaries inside `[lo, hi]` induced by the rule ranges: the cell starts.
fn cell_starts(lo: u128, hi: u128, cuts: impl Iterator<Item = (u128, u128)>) -> Vec<u128> {
    let mut starts = vec![lo];
    for (a, b) in cuts {
        if a > lo && a <= hi {
            starts.push(a);
        }
        if b < hi && b >= lo {
            starts.push(b + 1);
        }
    }
    starts.sort_unstable();
    starts.dedup();
    starts
}

/// A port or port range, inclusive.
pub type Ports = (u16, u16);

/// Why a filter does not admit the traffic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Denied: the resource, and a description of the first denied cell.
    Denied { resource: String, detail: String },
    /// Cannot be decided (security group references, missing prefix list, missing group).
    Unknown { resource: String, detail: String },
}

/// Check that the union of the security groups' inbound rules admits `proto` to `port` from
/// every address of `sources`. `member_of` lists security groups the sources are known to belong
/// to (e.g. a load balancer's groups), for rules that reference groups. Security groups are
/// stateful, so replies need no rule (VPC user guide, "Security group rules").
pub fn security_groups_admit(
    model: &Model<'_>,
    group_ids: &[String],
    sources: &[IpNet],
    member_of: &[String],
    proto: Proto,
    port: u16,
) -> Result<(), Block> {
    let protocol = proto.as_str();
    // An interface without security groups (a Network Load Balancer created without them) is
    // not filtered by security groups at all.
    if group_ids.is_empty() {
        return Ok(());
    }
    let groups: Vec<&SecurityGroup> = group_ids
        .iter()
        .filter_map(|id| model.security_groups.get(id.as_str()).map(|g| g.item))
        .collect();
    if groups.len() != group_ids.len() {
        let missing: Vec<_> = group_ids
            .iter()
            .filter(|id| !model.security_groups.contains_key(id.as_str()))
            .cloned()
            .collect();
        return Err(Block::Unknown {
            resource: missing.join(","),
            detail: "security group is not in describe-security-groups".into(),
        });
    }
    let mut allowed: Vec<Range> = Vec::new();
    let mut group_rule = false;
    let mut unknown_list: Option<String> = None;
    for g in &groups {
        for p in &g.ip_permissions {
            if !protocol_matches(&p.ip_protocol, protocol) {
                continue;
            }
            let all_ports = p.ip_protocol == "-1";
            let (from, to) = (p.from_port.unwrap_or(0), p.to_port.unwrap_or(65535));
            if !all_ports && !(from..=to).contains(&i64::from(port)) {
                continue;
            }
            for r in &p.ip_ranges {
                if let Ok(n) = r.cidr_ip.parse::<IpNet>() {
                    allowed.push(range(&n));
                }
            }
            for r in &p.ipv6_ranges {
                if let Ok(n) = r.cidr_ipv6.parse::<IpNet>() {
                    allowed.push(range(&n));
                }
            }
            for pl in &p.prefix_list_ids {
                match model.prefix_list(&pl.prefix_list_id) {
                    Some(nets) => allowed.extend(nets.iter().map(range)),
                    None => unknown_list = Some(pl.prefix_list_id.clone()),
                }
            }
            for pair in &p.user_id_group_pairs {
                match &pair.group_id {
                    Some(gid) if member_of.contains(gid) => {
                        return Ok(());
                    }
                    _ => group_rule = true,
                }
            }
        }
    }
    let resource = group_ids.join(",");
    for src in sources {
        let s = range(src);
        if let Some(gap) = uncovered(s, &allowed) {
            if group_rule || unknown_list.is_some() {
                return Err(Block::Unknown {
                    resource,
                    detail: format!(
                        "{} on {protocol}/{port} is admitted only if it matches {}; that cannot be proven from addresses",
                        describe(gap, src),
                        unknown_list
                            .map(|pl| format!("prefix list {pl} (not in the snapshot)"))
                            .unwrap_or_else(|| "a security-group reference".into())
                    ),
                });
            }
            return Err(Block::Denied {
                resource,
                detail: format!(
                    "no inbound rule admits {} on {protocol}/{port}",
                    describe(gap, src)
                ),
            });
        }
    }
    Ok(())
}

/// Does a rule's protocol (`-1`, a name or an IANA number) cover `wanted` (`tcp` or `udp`)?
fn protocol_matches(rule: &str, wanted: &str) -> bool {
    let number = match wanted {
        "tcp" => "6",
        "udp" => "17",
        _ => "",
    };
    let rule = rule.to_ascii_lowercase();
    rule == "-1" || rule == "all" || rule == wanted || rule == number
}

/// The first address of `s` not covered by any of `allowed`, if any.
fn uncovered(s: Range, allowed: &[Range]) -> Option<u128> {
    let mut cursor = s.lo;
    loop {
        let next = allowed
            .iter()
            .filter(|r| r.v6 == s.v6 && r.lo <= cursor && r.hi >= cursor)
            .map(|r| r.hi)
            .max();
        match next {
            None => return Some(cursor),
            Some(hi) if hi >= s.hi => return None,
            Some(hi) => cursor = hi + 1,
        }
    }
}

fn describe(addr: u128, net: &IpNet) -> String {
    let ip = match net {
        IpNet::V4(_) => IpAddr::V4((addr as u32).into()),
        IpNet::V6(_) => IpAddr::V6(addr.into()),
    };
    if net.prefix_len() == net.max_prefix_len() {
        ip.to_string()
    } else {
        format!("{ip} (in {net})")
    }
}

/// Direction of the NACL rules to evaluate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Direction {
    Inbound,
    Outbound,
}

/// A transport protocol a path carries: MQTT and HTTPS use TCP; DNS uses UDP and, for answers
/// that do not fit a UDP message, TCP (RFC 7766).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Proto {
    Tcp,
    Udp,
}

impl Proto {
    /// The name security group rules use (`tcp`, `udp`).
    pub fn as_str(self) -> &'static str {
        match self {
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
        }
    }
}

/// Check that a network ACL allows `proto` between every address of `remote` (the packet's
/// source for inbound rules, its destination for outbound rules) and every port of `ports` (the
/// packet's destination port). Rules are evaluated in rule-number order, first match wins; no
/// match denies (VPC user guide, "Network ACL rules").
pub fn nacl_allows(
    acl: &NetworkAcl,
    direction: Direction,
    proto: Proto,
    remote: &IpNet,
    ports: Ports,
) -> Result<(), Block> {
    AclRules::new(acl).allows(&acl.network_acl_id, direction, proto, remote, ports)
}

/// One network ACL entry, parsed: which protocols it matches, its action, addresses and ports.
#[derive(Debug, Clone)]
struct AclRule {
    number: i64,
    egress: bool,
    tcp: bool,
    udp: bool,
    allow: bool,
    addrs: Range,
    ports: (u16, u16),
}

impl AclRule {
    fn matches(&self, egress: bool, proto: Proto) -> bool {
        self.egress == egress
            && match proto {
                Proto::Tcp => self.tcp,
                Proto::Udp => self.udp,
            }
    }
}

/// A network ACL's entries parsed once, in rule-number order (a walk evaluates the same ACL for
/// many packets). [`AclRules::allows`] is [`nacl_allows`].
#[derive(Debug, Clone)]
pub struct AclRules(Vec<AclRule>);

impl AclRules {
    pub fn new(acl: &NetworkAcl) -> AclRules {
        let mut rules: Vec<AclRule> = acl
            .entries
            .iter()
            .filter_map(|e| {
                // Validated when the snapshot is read (`opt_cidr4`, `opt_cidr6`).
                let cidr = e.cidr_block.as_deref().or(e.ipv6_cidr_block.as_deref())?;
                let net = cidr.parse::<IpNet>().ok()?;
                let ports = if e.protocol == "-1" {
                    (0u16, 65535u16)
                } else {
                    e.port_range
                        .as_ref()
                        .map(|r| (r.from.clamp(0, 65535) as u16, r.to.clamp(0, 65535) as u16))
                        .unwrap_or((0, 65535))
                };
                Some(AclRule {
                    number: e.rule_number,
                    egress: e.egress,
                    tcp: protocol_matches(&e.protocol, Proto::Tcp.as_str()),
                    udp: protocol_matches(&e.protocol, Proto::Udp.as_str()),
                    allow: e.rule_action.eq_ignore_ascii_case("allow"),
                    addrs: range(&net),
                    ports,
                })
            })
            .collect();
        // Stable: entries of one number keep their order (the reader rejects two per direction).
        rules.sort_by_key(|r| r.number);
        AclRules(rules)
    }

    /// [`nacl_allows`] for the ACL these rules were parsed from (`acl_id` names it).
    pub fn allows(
        &self,
        acl_id: &str,
        direction: Direction,
        proto: Proto,
        remote: &IpNet,
        ports: Ports,
    ) -> Result<(), Block> {
        let egress = direction == Direction::Outbound;
        let rules = || self.0.iter().filter(move |r| r.matches(egress, proto));
        let s = range(remote);
        let addr_cells = cell_starts(
            s.lo,
            s.hi,
            rules()
                .filter(|r| r.addrs.v6 == s.v6)
                .map(|r| (r.addrs.lo, r.addrs.hi)),
        );
        let port_cells = cell_starts(
            ports.0 as u128,
            ports.1 as u128,
            rules().map(|r| (r.ports.0 as u128, r.ports.1 as u128)),
        );
        let dir = if egress { "outbound" } else { "inbound" };
        for &a in &addr_cells {
            for &p in &port_cells {
                let hit = rules().find(|r| {
                    r.addrs.v6 == s.v6
                        && r.addrs.lo <= a
                        && a <= r.addrs.hi
                        && (r.ports.0 as u128) <= p
                        && p <= (r.ports.1 as u128)
                });
                if hit.is_some_and(|r| r.allow) {
                    continue;
                }
                let by = match hit {
                    Some(r) => format!("rule {}", r.number),
                    None => "the default deny".to_string(),
                };
                return Err(Block::Denied {
                    resource: acl_id.to_string(),
                    detail: format!(
                        "{dir} {by} denies {} port {p} {} {}",
                        proto.as_str(),
                        if egress { "to" } else { "from" },
                        describe(a, remote)
                    ),
                });
            }
        }
        Ok(())
    }
}

/// A single address as a host prefix.
pub fn host(ip: IpAddr) -> IpNet {
    IpNet::from(ip)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn acl(entries: serde_json::Value) -> NetworkAcl {
        serde_json::from_value(
            json!({"NetworkAclId": "acl-1", "VpcId": "vpc-1", "Entries": entries}),
        )
        .unwrap()
    }

    #[test]
    fn nacl_first_match_wins_over_ranges() {
        let a = acl(json!([
            {"RuleNumber": 90, "Protocol": "6", "RuleAction": "deny", "Egress": false, "CidrBlock": "10.10.2.0/24", "PortRange": {"From": 8883, "To": 8883}},
            {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"},
            {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": false, "CidrBlock": "0.0.0.0/0"}
        ]));
        let src: IpNet = "10.10.0.0/16".parse().unwrap();
        let err = nacl_allows(&a, Direction::Inbound, Proto::Tcp, &src, (8883, 8883)).unwrap_err();
        assert!(
            matches!(err, Block::Denied { ref detail, .. } if detail.contains("rule 90") && detail.contains("10.10.2.0")),
            "{err:?}"
        );
        assert!(nacl_allows(&a, Direction::Inbound, Proto::Tcp, &src, (443, 443)).is_ok());
        assert!(nacl_allows(
            &a,
            Direction::Inbound,
            Proto::Tcp,
            &"10.10.1.0/24".parse().unwrap(),
            (8883, 8883)
        )
        .is_ok());
        // Outbound has no rules at all: default deny.
        assert!(nacl_allows(&a, Direction::Outbound, Proto::Tcp, &src, (1024, 65535)).is_err());
    }

    #[test]
    fn nacl_ephemeral_range_must_be_fully_allowed() {
        let a = acl(json!([
            {"RuleNumber": 100, "Protocol": "6", "RuleAction": "allow", "Egress": true, "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 32768, "To": 65535}}
        ]));
        let err = nacl_allows(
            &a,
            Direction::Outbound,
            Proto::Tcp,
            &"10.0.0.0/8".parse().unwrap(),
            (1024, 65535),
        )
        .unwrap_err();
        assert!(
            matches!(err, Block::Denied { ref detail, .. } if detail.contains("port 1024")),
            "{err:?}"
        );
        assert!(nacl_allows(
            &a,
            Direction::Outbound,
            Proto::Tcp,
            &"10.0.0.0/8".parse().unwrap(),
            (32768, 65535)
        )
        .is_ok());
    }

    #[test]
    fn nacl_rules_match_their_protocol_only() {
        // Protocol "17" is UDP, "6" TCP, "-1" all (EC2 API, NetworkAclEntry Protocol).
        let a = acl(json!([
            {"RuleNumber": 50, "Protocol": "17", "RuleAction": "deny", "Egress": false, "CidrBlock": "192.168.0.0/16", "PortRange": {"From": 53, "To": 53}},
            {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"}
        ]));
        let src: IpNet = "192.168.0.0/16".parse().unwrap();
        let err = nacl_allows(&a, Direction::Inbound, Proto::Udp, &src, (53, 53)).unwrap_err();
        assert!(
            matches!(err, Block::Denied { ref detail, .. } if detail.contains("rule 50 denies udp port 53")),
            "{err:?}"
        );
        assert!(nacl_allows(&a, Direction::Inbound, Proto::Tcp, &src, (53, 53)).is_ok());
    }

    /// The parsed rules against the VPC user guide's "Network ACL rules" evaluated address by
    /// address and port by port: rules in rule-number order, the first whose protocol, range
    /// and ports match decides, none matching denies; every address and port must be allowed.
    mod acl_oracle {
        use super::*;
        use proptest::prelude::*;

        #[derive(Debug, Clone)]
        struct E {
            number: i64,
            protocol: &'static str,
            allow: bool,
            egress: bool,
            net: (u8, u8),
            ports: (u16, u16),
        }

        fn entry() -> impl Strategy<Value = E> {
            (
                1i64..12,
                prop::sample::select(vec!["-1", "6", "17", "tcp", "UDP", "1"]),
                any::<bool>(),
                any::<bool>(),
                (0u8..16, 28u8..=32),
                (0u16..8, 0u16..8),
            )
                .prop_map(|(number, protocol, allow, egress, net, (a, b))| E {
                    number,
                    protocol,
                    allow,
                    egress,
                    net,
                    ports: (a.min(b), a.max(b)),
                })
        }

        fn cidr((base, len): (u8, u8)) -> IpNet {
            format!("10.0.0.{base}/{len}")
                .parse::<IpNet>()
                .unwrap()
                .trunc()
        }

        fn oracle(entries: &[E], egress: bool, proto: Proto, remote: IpNet, ports: Ports) -> bool {
            let mut sorted: Vec<&E> = entries.iter().collect();
            sorted.sort_by_key(|e| e.number);
            let (tcp, udp) = (["-1", "6", "tcp"], ["-1", "17", "udp"]);
            let names: &[&str] = match proto {
                Proto::Tcp => &tcp,
                Proto::Udp => &udp,
            };
            remote
                .hosts()
                .chain([remote.network(), remote.broadcast()])
                .all(|ip| {
                    (ports.0..=ports.1).all(|port| {
                        sorted
                            .iter()
                            .find(|e| {
                                e.egress == egress
                                    && names.contains(&e.protocol.to_ascii_lowercase().as_str())
                                    && cidr(e.net).contains(&ip)
                                    && (e.protocol == "-1"
                                        || (e.ports.0..=e.ports.1).contains(&port))
                            })
                            .is_some_and(|e| e.allow)
                    })
                })
        }

        proptest! {
            #[test]
            fn parsed_rules_decide_as_the_rules_point_by_point(
                entries in prop::collection::vec(entry(), 0..7),
                egress in any::<bool>(),
                udp in any::<bool>(),
                remote in (0u8..16, 28u8..=32),
                ports in (0u16..8, 0u16..8),
            ) {
                // One rule per number and direction (the reader rejects two).
                let mut seen = std::collections::BTreeSet::new();
                let entries: Vec<E> =
                    entries.into_iter().filter(|e| seen.insert((e.number, e.egress))).collect();
                let a = acl(serde_json::Value::Array(entries.iter().map(|e| json!({
                    "RuleNumber": e.number, "Protocol": e.protocol,
                    "RuleAction": if e.allow { "allow" } else { "deny" }, "Egress": e.egress,
                    "CidrBlock": cidr(e.net).to_string(),
                    "PortRange": {"From": e.ports.0, "To": e.ports.1},
                })).collect()));
                let proto = if udp { Proto::Udp } else { Proto::Tcp };
                let direction = if egress { Direction::Outbound } else { Direction::Inbound };
                let (remote, ports) = (cidr(remote), (ports.0.min(ports.1), ports.0.max(ports.1)));
                let got = nacl_allows(&a, direction, proto, &remote, ports);
                prop_assert_eq!(got.is_ok(), oracle(&entries, egress, proto, remote, ports), "{:?}", got);
            }
        }
    }

    #[test]
    fn uncovered_finds_gaps() {
        let a = range(&"10.0.0.0/25".parse().unwrap());
        let b = range(&"10.0.0.128/25".parse().unwrap());
        let s = range(&"10.0.0.0/24".parse().unwrap());
        assert_eq!(uncovered(s, &[a, b]), None);
        assert_eq!(uncovered(s, &[a]), Some(s.lo + 128));
    }
}
