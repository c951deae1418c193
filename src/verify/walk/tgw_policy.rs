//! Transit Gateway policy tables (policy-based routing): the route table a policy table chooses
//! for a packet that enters the Transit Gateway through an attachment associated with it.
//!
//! AWS semantics encoded here (Transit Gateway guide, "Transit gateway policy tables" and
//! "Policy table concepts"; EC2 API Reference, `TransitGatewayPolicyRule`,
//! `TransitGatewayRequestPolicyRule`, `TransitGatewayPolicyTableEntry`):
//! - an attachment is associated with either a policy table or a route table, never both;
//! - rules are evaluated in ascending numeric rule number; the first rule whose match criteria
//!   (source CIDR, destination CIDR, protocol, source port range, destination port range) all
//!   hold chooses its target route table; an omitted criterion (or `*`) matches anything;
//! - protocol is `1`, `6`, `17`, `47` or `*`; port ranges are `*`, a port, or `from-to`;
//! - when no rule matches, the packet is dropped (implicit deny);
//! - entries with `MetaData` match on Cloud WAN segment metadata the packet carries, and
//!   system-managed entries (rule number `*`, read-only, higher priority than customer entries;
//!   "Transit gateway policy table limitations") have no evaluation order pathproof can know:
//!   a table holding any active one is unproven for every packet;
//! - the Transit Gateway advertises no routes over BGP to a VPN or Connect attachment
//!   associated with a policy table ("Transit gateway policy table limitations"): on-premises
//!   traffic entering through one is unproven (`Walker::no_bgp_advertisements`).
//!
//! A request (forward walk) has the source ranges and the client's ephemeral source ports, and
//! goes to the service port; a reply (return walk) comes from the service port of the endpoint
//! and goes to the ephemeral ports of the source ranges. A criterion that holds for part of the
//! packets only (a source CIDR covering half the source range, a source port range inside the
//! ephemeral range) makes the table unproven: which packets it sends where is not one answer.
//! Service ports are evaluated one by one: 8883 and 443 may choose different route tables.
use std::collections::BTreeMap;

use ipnet::IpNet;

use super::super::filters::Proto;
use super::{Branch, Ctx, Mode, Walker};
use crate::graph::tgw_policy::PolicyAssociation;
use crate::snapshot::records::TgwPolicyTableEntry;

/// Whether a criterion holds for the packets of a walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holds {
    All,
    None,
    Some,
}

/// What a policy table does with the packets of one service port.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Choice {
    /// Rule `rule` chooses route table `table`.
    Table { rule: String, table: String },
    /// No rule matches: dropped.
    Drop,
    /// Cannot be evaluated offline.
    Unknown(String),
}

/// The packet attributes a policy rule matches on.
#[derive(Debug, Clone)]
pub(super) struct Packet<'a> {
    pub src: &'a [IpNet],
    pub dst: &'a [IpNet],
    pub proto: Proto,
    pub src_ports: (u16, u16),
    pub dst_ports: (u16, u16),
}

fn cidr_holds(rule: Option<&str>, nets: &[IpNet]) -> Result<Holds, String> {
    let Some(c) = rule else {
        return Ok(Holds::All);
    };
    let rule: IpNet = c
        .parse()
        .map_err(|_| format!("CIDR {c:?} cannot be evaluated"))?;
    if nets.is_empty() {
        return Err("the packet addresses are unknown".into());
    }
    let inside = nets.iter().filter(|n| rule.contains(*n)).count();
    if inside == nets.len() {
        return Ok(Holds::All);
    }
    let overlaps = nets.iter().any(|n| n.contains(&rule) || rule.contains(n));
    Ok(if inside == 0 && !overlaps {
        Holds::None
    } else {
        Holds::Some
    })
}

/// `*`, `443` or `1024-65535` (TransitGatewayRequestPolicyRule: "port or port range").
fn port_range(s: &str) -> Option<(u16, u16)> {
    if s == "*" {
        return Some((0, 65535));
    }
    let (lo, hi) = match s.split_once('-') {
        Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
        None => {
            let p: u16 = s.parse().ok()?;
            (p, p)
        }
    };
    (lo <= hi).then_some((lo, hi))
}

fn ports_hold(rule: Option<&str>, (lo, hi): (u16, u16)) -> Result<Holds, String> {
    let Some(r) = rule else {
        return Ok(Holds::All);
    };
    let (a, b) = port_range(r).ok_or_else(|| format!("port range {r:?} cannot be evaluated"))?;
    Ok(if a <= lo && hi <= b {
        Holds::All
    } else if b < lo || hi < a {
        Holds::None
    } else {
        Holds::Some
    })
}

fn proto_holds(rule: Option<&str>, proto: Proto) -> Result<Holds, String> {
    let number = match proto {
        Proto::Tcp => "6",
        Proto::Udp => "17",
    };
    match rule {
        None | Some("*") => Ok(Holds::All),
        Some(p) if p == number => Ok(Holds::All),
        Some("1" | "6" | "17" | "47") => Ok(Holds::None),
        Some(p) => Err(format!("protocol {p:?} cannot be evaluated")),
    }
}

/// Whether `entry` matches every packet, none, or some.
fn entry_holds(entry: &TgwPolicyTableEntry, p: &Packet<'_>) -> Result<Holds, String> {
    let Some(rule) = &entry.policy_rule else {
        return Err("the rule has no PolicyRule".into());
    };
    if rule.meta_data.is_some() {
        return Err("the rule matches on meta-data".into());
    }
    let all = [
        proto_holds(rule.protocol.as_deref(), p.proto)?,
        cidr_holds(rule.source_cidr_block.as_deref(), p.src)?,
        cidr_holds(rule.destination_cidr_block.as_deref(), p.dst)?,
        ports_hold(rule.source_port_range.as_deref(), p.src_ports)?,
        ports_hold(rule.destination_port_range.as_deref(), p.dst_ports)?,
    ];
    Ok(if all.contains(&Holds::None) {
        Holds::None
    } else if all.iter().all(|h| *h == Holds::All) {
        Holds::All
    } else {
        Holds::Some
    })
}

/// What policy table `table` (its `entries`) does with `packet`.
pub(super) fn choose(table: &str, entries: &[TgwPolicyTableEntry], packet: &Packet<'_>) -> Choice {
    let mut active: Vec<(u64, &TgwPolicyTableEntry)> = Vec::new();
    for e in entries
        .iter()
        .filter(|e| e.state.as_deref() != Some("deleted"))
    {
        // System-managed entries show rule number `*`, are read-only and take precedence over
        // customer entries (Transit Gateway guide, "Transit gateway policy table limitations"):
        // their order among themselves and what they match (Cloud WAN peering) is not known.
        if e.policy_rule_number.trim() == "*" {
            return Choice::Unknown(format!(
                "policy table {table} holds a system-managed entry (rule number *), which AWS evaluates before customer entries in an order the snapshot does not show"
            ));
        }
        let Ok(n) = e.policy_rule_number.parse::<u64>() else {
            return Choice::Unknown(format!(
                "policy table {table}: rule number {:?} is not a number, so the evaluation order is unknown",
                e.policy_rule_number
            ));
        };
        if e.policy_rule
            .as_ref()
            .is_some_and(|r| r.meta_data.is_some())
        {
            return Choice::Unknown(format!(
                "policy table {table}: rule {n} matches on meta-data (Cloud WAN), which the snapshot cannot show for a packet"
            ));
        }
        active.push((n, e));
    }
    active.sort_by_key(|(n, _)| *n);
    if active.windows(2).any(|w| w[0].0 == w[1].0) {
        return Choice::Unknown(format!(
            "policy table {table}: two rules have the same number, so the evaluation order is unknown"
        ));
    }
    for (n, e) in active {
        match entry_holds(e, packet) {
            Ok(Holds::None) => continue,
            Ok(Holds::All) => {
                return match &e.target_route_table_id {
                    Some(t) => Choice::Table {
                        rule: n.to_string(),
                        table: t.clone(),
                    },
                    None => Choice::Unknown(format!(
                        "policy table {table}: rule {n} has no TargetRouteTableId"
                    )),
                }
            }
            Ok(Holds::Some) => {
                return Choice::Unknown(format!(
                    "policy table {table}: rule {n} matches only part of these packets (its CIDRs or ports cover part of the source, destination or ephemeral range)"
                ))
            }
            Err(why) => return Choice::Unknown(format!("policy table {table}: rule {n}: {why}")),
        }
    }
    Choice::Drop
}

impl<'a, 's> Walker<'a, 's> {
    /// Enter the Transit Gateway through an attachment associated with a policy table: the
    /// table's rules choose the route table per service port (one branch per distinct choice).
    pub(super) fn enter_policy_table(
        &self,
        mut ctx: Ctx,
        attachment: &str,
        assoc: PolicyAssociation<'s>,
    ) -> Vec<Branch> {
        let (table, state) = match assoc {
            PolicyAssociation::One { table, state } => (table, state),
            PolicyAssociation::Several(tables) => {
                let first = tables[0];
                return ctx.unproven(
                    first,
                    format!(
                        "{attachment} is listed by several policy tables ({}); AWS associates an attachment with one",
                        tables.join(", ")
                    ),
                );
            }
        };
        ctx.hop(
            "tgw-policy-table",
            table,
            format!("associated with {attachment}"),
        );
        // The attachment record's `Association` may name the policy table itself; a route table
        // association besides it is what AWS does not allow.
        if let Some(rt) = self
            .model
            .tgw_route_table_of(attachment)
            .filter(|rt| *rt != table)
        {
            return ctx.unproven(
                table,
                format!("{attachment} is associated with policy table {table} and route table {rt}; AWS allows one or the other"),
            );
        }
        if let Some(s) = state.filter(|s| *s != "associated") {
            return ctx.unproven(
                table,
                format!(
                    "the association of {attachment} is {s}: which table decides is in transition"
                ),
            );
        }
        if self.model.tgw_policy.conflicting.contains(table) {
            return ctx.unproven(
                table,
                "the policy table is listed in two accounts or Regions",
            );
        }
        match self
            .model
            .tgw_policy
            .tables
            .get(table)
            .and_then(|t| t.state.as_deref())
        {
            Some("available") => {}
            other => {
                return ctx.unproven(
                    table,
                    format!("policy table state is {}", other.unwrap_or("unknown")),
                )
            }
        }
        let Some(entries) = self.model.tgw_policy.entries(table) else {
            return ctx.unproven(table, "the policy table's entries are not in the snapshot");
        };
        let eph = self.intent.ephemeral_ports;
        let dst_host = [super::super::filters::host(ctx.dst)];
        // Service port → choice.
        let mut by_choice: BTreeMap<Choice, Vec<u16>> = BTreeMap::new();
        for &port in &ctx.flow.ports {
            let packet = match ctx.mode {
                Mode::Forward => Packet {
                    src: &ctx.src.nets,
                    dst: &dst_host,
                    proto: ctx.flow.proto,
                    src_ports: eph,
                    dst_ports: (port, port),
                },
                Mode::Return { .. } => Packet {
                    src: &ctx.src.nets,
                    dst: &ctx.dst_nets,
                    proto: ctx.flow.proto,
                    src_ports: (port, port),
                    dst_ports: eph,
                },
            };
            by_choice
                .entry(choose(table, entries, &packet))
                .or_default()
                .push(port);
        }
        let mut out = Vec::new();
        for (choice, ports) in by_choice {
            let mut c = ctx.clone();
            c.flow.ports = ports.clone();
            let list = ports
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            let proto = c.flow.proto.as_str();
            match choice {
                Choice::Table { rule, table: rt } => {
                    c.hop(
                        "tgw-policy-table",
                        table,
                        format!("rule {rule} ({proto} {list}) → {rt}"),
                    );
                    out.extend(self.route_in_tgw_table(c, &rt, attachment));
                }
                Choice::Drop => out.extend(c.no_path(
                    table,
                    format!("no rule of the policy table matches {proto} {list}: the Transit Gateway drops it"),
                )),
                Choice::Unknown(why) => out.extend(c.unproven(table, why)),
            }
        }
        if out.is_empty() {
            return ctx.unproven(table, "no service port to evaluate");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    //! Cases from the Transit Gateway guide ("Policy table concepts": first match in ascending
    //! rule number, omitted criteria match anything, no match drops) and the API reference
    //! (`TransitGatewayRequestPolicyRule`: protocols, `*`, port ranges).
    use super::*;
    use crate::snapshot::records::{TgwPolicyRule, TgwPolicyRuleMetaData};

    fn entry(n: &str, rule: TgwPolicyRule, rt: &str) -> TgwPolicyTableEntry {
        TgwPolicyTableEntry {
            policy_rule_number: n.into(),
            policy_rule: Some(rule),
            target_route_table_id: Some(rt.into()),
            state: Some("active".into()),
        }
    }

    fn rule(
        src: Option<&str>,
        dst: Option<&str>,
        proto: Option<&str>,
        dport: Option<&str>,
    ) -> TgwPolicyRule {
        TgwPolicyRule {
            source_cidr_block: src.map(Into::into),
            destination_cidr_block: dst.map(Into::into),
            protocol: proto.map(Into::into),
            destination_port_range: dport.map(Into::into),
            ..Default::default()
        }
    }

    fn net(s: &str) -> IpNet {
        s.parse().unwrap()
    }

    fn request<'a>(src: &'a [IpNet], dst: &'a [IpNet], proto: Proto, port: u16) -> Packet<'a> {
        Packet {
            src,
            dst,
            proto,
            src_ports: (1024, 65535),
            dst_ports: (port, port),
        }
    }

    fn table(rt: &str, n: &str) -> Choice {
        Choice::Table {
            rule: n.into(),
            table: rt.into(),
        }
    }

    #[test]
    fn first_matching_rule_in_numeric_order_chooses_the_route_table() {
        let src = [net("10.10.1.0/24")];
        let dst = [net("10.20.1.10/32")];
        let entries = vec![
            entry("100", rule(None, None, None, None), "tgw-rtb-catchall"),
            entry(
                "20",
                rule(
                    Some("10.10.0.0/16"),
                    Some("10.20.0.0/16"),
                    Some("6"),
                    Some("8883"),
                ),
                "tgw-rtb-mqtt",
            ),
            entry("9", rule(None, None, Some("17"), Some("53")), "tgw-rtb-dns"),
        ];
        // 20 < 100 numerically although "100" < "20" as text.
        assert_eq!(
            choose("t", &entries, &request(&src, &dst, Proto::Tcp, 8883)),
            table("tgw-rtb-mqtt", "20")
        );
        // 443 does not match rule 20: the catch-all.
        assert_eq!(
            choose("t", &entries, &request(&src, &dst, Proto::Tcp, 443)),
            table("tgw-rtb-catchall", "100")
        );
        // UDP 53 matches rule 9 first; TCP 53 does not (protocol 17 only).
        assert_eq!(
            choose("t", &entries, &request(&src, &dst, Proto::Udp, 53)),
            table("tgw-rtb-dns", "9")
        );
        assert_eq!(
            choose("t", &entries, &request(&src, &dst, Proto::Tcp, 53)),
            table("tgw-rtb-catchall", "100")
        );
    }

    #[test]
    fn no_matching_rule_drops() {
        let src = [net("10.10.1.0/24")];
        let dst = [net("10.20.1.10/32")];
        let entries = vec![entry(
            "10",
            rule(None, None, Some("6"), Some("443")),
            "tgw-rtb-a",
        )];
        assert_eq!(
            choose("t", &entries, &request(&src, &dst, Proto::Tcp, 8883)),
            Choice::Drop
        );
        assert_eq!(
            choose("t", &[], &request(&src, &dst, Proto::Tcp, 443)),
            Choice::Drop
        );
        // A deleted entry does not match.
        let mut deleted = entries[0].clone();
        deleted.state = Some("deleted".into());
        assert_eq!(
            choose("t", &[deleted], &request(&src, &dst, Proto::Tcp, 443)),
            Choice::Drop
        );
    }

    #[test]
    fn port_ranges_and_wildcards() {
        let src = [net("10.10.1.0/24")];
        let dst = [net("10.20.1.10/32")];
        let entries = vec![entry(
            "10",
            rule(None, None, Some("6"), Some("400-9000")),
            "tgw-rtb-a",
        )];
        for p in [443, 8883] {
            assert_eq!(
                choose("t", &entries, &request(&src, &dst, Proto::Tcp, p)),
                table("tgw-rtb-a", "10")
            );
        }
        let star = vec![entry(
            "10",
            rule(None, None, Some("*"), Some("*")),
            "tgw-rtb-a",
        )];
        assert_eq!(
            choose("t", &star, &request(&src, &dst, Proto::Udp, 53)),
            table("tgw-rtb-a", "10")
        );
        // GRE and ICMP rules never match TCP or UDP.
        let gre = vec![entry("10", rule(None, None, Some("47"), None), "tgw-rtb-a")];
        assert_eq!(
            choose("t", &gre, &request(&src, &dst, Proto::Tcp, 443)),
            Choice::Drop
        );
    }

    #[test]
    fn partial_matches_and_unknowns_are_unproven() {
        let src = [net("10.10.0.0/16")];
        let dst = [net("10.20.1.10/32")];
        // The source CIDR covers half the source range.
        let half = vec![entry(
            "10",
            rule(Some("10.10.0.0/17"), None, None, None),
            "tgw-rtb-a",
        )];
        assert!(matches!(
            choose("t", &half, &request(&src, &dst, Proto::Tcp, 443)),
            Choice::Unknown(_)
        ));
        // A source port range inside the ephemeral range.
        let sport = vec![entry(
            "10",
            TgwPolicyRule {
                source_port_range: Some("2000-3000".into()),
                ..Default::default()
            },
            "tgw-rtb-a",
        )];
        assert!(matches!(
            choose("t", &sport, &request(&src, &dst, Proto::Tcp, 443)),
            Choice::Unknown(_)
        ));
        // Meta-data anywhere in the table (even after a matching rule).
        let meta = vec![
            entry("10", rule(None, None, None, None), "tgw-rtb-a"),
            entry(
                "20",
                TgwPolicyRule {
                    meta_data: Some(TgwPolicyRuleMetaData {
                        meta_data_key: Some("segment".into()),
                        meta_data_value: Some("prod".into()),
                    }),
                    ..Default::default()
                },
                "tgw-rtb-b",
            ),
        ];
        assert!(matches!(
            choose("t", &meta, &request(&src, &dst, Proto::Tcp, 443)),
            Choice::Unknown(_)
        ));
        // A protocol string AWS does not document.
        let odd = vec![entry(
            "10",
            rule(None, None, Some("tcp"), None),
            "tgw-rtb-a",
        )];
        assert!(matches!(
            choose("t", &odd, &request(&src, &dst, Proto::Tcp, 443)),
            Choice::Unknown(_)
        ));
        // A rule that excludes the packet on one criterion does not match, whatever the rest.
        let excluded = vec![entry(
            "10",
            rule(Some("10.10.0.0/17"), Some("192.168.0.0/16"), None, None),
            "tgw-rtb-a",
        )];
        assert_eq!(
            choose("t", &excluded, &request(&src, &dst, Proto::Tcp, 443)),
            Choice::Drop
        );
    }

    #[test]
    fn replies_match_on_the_service_port_as_source_and_ephemeral_destination() {
        let endpoint = [net("10.20.1.10/32")];
        let clients = [net("10.10.1.0/24")];
        let reply = Packet {
            src: &endpoint,
            dst: &clients,
            proto: Proto::Tcp,
            src_ports: (8883, 8883),
            dst_ports: (1024, 65535),
        };
        let by_sport = vec![entry(
            "10",
            TgwPolicyRule {
                source_port_range: Some("8883".into()),
                protocol: Some("6".into()),
                ..Default::default()
            },
            "tgw-rtb-back",
        )];
        assert_eq!(choose("t", &by_sport, &reply), table("tgw-rtb-back", "10"));
        // A rule for the request direction (destination port 8883) may match a reply whose
        // ephemeral destination port happens to be 8883: unproven.
        let by_dport = vec![entry(
            "10",
            rule(None, None, Some("6"), Some("8883")),
            "tgw-rtb-a",
        )];
        assert!(matches!(choose("t", &by_dport, &reply), Choice::Unknown(_)));
        // One for another protocol never matches it.
        let udp = vec![entry(
            "10",
            rule(None, None, Some("17"), Some("53")),
            "tgw-rtb-a",
        )];
        assert_eq!(choose("t", &udp, &reply), Choice::Drop);
    }
}
