//! Which network ACL rules a packet is evaluated against as it crosses subnets, and the filters
//! at the end of a leg (network ACLs recorded on the way, the destination's security groups).
//!
//! Network ACLs are stateless and evaluated per packet: outbound rules of the subnet a packet
//! leaves (matched on its destination address), inbound rules of the subnet it enters (matched
//! on its source address), never for traffic inside one subnet (VPC user guide, "Control
//! subnet traffic with network access control lists"). A Transit Gateway attachment subnet is
//! special (Transit Gateway guide, "Network ACLs for transit gateways",
//! <https://docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html>):
//!
//! | scenario | traffic | instance subnet | attachment subnet |
//! |---|---|---|---|
//! | same subnet | instances → TGW | outbound (dst IP) and inbound (src IP) | (same ACL) |
//! | same subnet | TGW → instances | not evaluated | not evaluated |
//! | different subnets | instances → TGW | outbound (dst IP) | inbound (src IP); outbound not used |
//! | different subnets | TGW → instances | inbound (src IP) | outbound (dst IP); inbound not used |
//!
//! Both rows collapse to two recording rules, which [`Leg`] implements and the tests below check
//! against the table: a packet entering the Transit Gateway from subnet S through attachment
//! subnet A is evaluated by S's outbound and A's inbound rules (S = A included); a packet
//! delivered inside a VPC from the subnet it is in (its origin, or the attachment subnet the
//! TGW put it in) to subnet D is evaluated by the first's outbound and D's inbound rules, and
//! not at all when the two are the same subnet. The walk records crossings for requests on the
//! forward walk and for replies on the return walk, at both ends of the Transit Gateway.
use std::collections::BTreeSet;

use ipnet::IpNet;

use super::super::filters::{self, Direction, Ports};
use super::{block_issue, Ctx, Issue, Mode, Walker};

/// One evaluation of a subnet's network ACL for the leg's packets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Check {
    pub(super) subnet: String,
    pub(super) direction: Direction,
    /// The addresses rules match on: the packet's destination (outbound) or source (inbound).
    pub(super) remote: Vec<IpNet>,
}

/// The network ACL evaluations of one leg of one packet direction, and where the packet is.
#[derive(Debug, Clone, Default)]
pub(super) struct Leg {
    /// The subnet the packet is in now: where it started, or where the Transit Gateway or a
    /// NAT gateway put it. `None` before it enters a VPC (on-premises traffic).
    pub(super) at: Option<String>,
    pub(super) checks: Vec<Check>,
}

impl Leg {
    /// The packet is now in `subnet` (it starts there, or the route table of `subnet` is the
    /// one that forwards it next).
    pub(super) fn enter(&mut self, subnet: &str) {
        self.at = Some(subnet.to_string());
    }

    /// The packet leaves the subnet it is in for the Transit Gateway through attachment subnet
    /// `attachment`: the leaving subnet's outbound rules (destination address) and the
    /// attachment subnet's inbound rules (source address), also when both are one subnet.
    pub(super) fn leave_for_tgw(&mut self, attachment: &str, src: &[IpNet], dst: &[IpNet]) {
        if let Some(from) = self.at.clone() {
            self.push(&from, Direction::Outbound, dst);
        }
        self.push(attachment, Direction::Inbound, src);
    }

    /// The packet is delivered from the subnet it is in to an interface in subnet `to`: the
    /// first's outbound and `to`'s inbound rules, none when they are the same subnet (also when
    /// the Transit Gateway delivered it into its own attachment subnet).
    pub(super) fn deliver(&mut self, to: &str, src: &[IpNet], dst: &[IpNet]) {
        match self.at.clone() {
            Some(from) if from == to => {}
            Some(from) => {
                self.push(&from, Direction::Outbound, dst);
                self.push(to, Direction::Inbound, src);
            }
            None => self.push(to, Direction::Inbound, src),
        }
        self.at = Some(to.to_string());
    }

    fn push(&mut self, subnet: &str, direction: Direction, remote: &[IpNet]) {
        let check = Check {
            subnet: subnet.to_string(),
            direction,
            remote: remote.to_vec(),
        };
        if !self.checks.contains(&check) {
            self.checks.push(check);
        }
    }
}

impl<'a, 's> Walker<'a, 's> {
    /// Ports of the leg's packets network ACL rules match on: the service ports for requests,
    /// the ephemeral range for replies.
    fn acl_ports(&self, ctx: &Ctx) -> Vec<Ports> {
        match ctx.mode {
            Mode::Forward => ctx.flow.ports.iter().map(|&p| (p, p)).collect(),
            Mode::Return { .. } => vec![self.intent.ephemeral_ports],
        }
    }

    /// Evaluate the network ACLs recorded for this leg; a deny is PP007, a subnet without an
    /// ACL association is PP016. Clears the record (the next leg records its own).
    pub(super) fn settle_acls(&self, ctx: &mut Ctx) {
        let checks = std::mem::take(&mut ctx.acl.checks);
        let ports = self.acl_ports(ctx);
        let mut seen = BTreeSet::new();
        for check in checks {
            let Some(acl) = self.model.nacl_of_subnet(&check.subnet) else {
                if seen.insert(format!("missing/{}", check.subnet)) {
                    ctx.issues.push(Issue {
                        rule: "PP016",
                        resource: check.subnet.clone(),
                        detail: "subnet has no network ACL association in describe-network-acls"
                            .into(),
                    });
                }
                continue;
            };
            let rules = self.acl_rules(acl.item);
            for net in &check.remote {
                for &p in &ports {
                    if let Err(b) =
                        rules.allows(&acl.network_acl_id, check.direction, ctx.flow.proto, net, p)
                    {
                        let mut issue = block_issue("PP007", b);
                        if matches!(ctx.mode, Mode::Return { .. }) {
                            issue.detail = format!("reply: {}", issue.detail);
                        }
                        if seen.insert(format!("{}/{}", issue.resource, issue.detail)) {
                            ctx.issues.push(issue);
                        }
                    }
                }
            }
        }
    }

    /// A PrivateLink hop: the network ACL of `subnet` (a consumer endpoint's interface subnet, a
    /// load balancer node's subnet) must admit `ports` in `direction` for every IPv4 address.
    /// The addresses the hop exchanges packets with are not in the snapshot: for PrivateLink
    /// traffic the load balancer may see the client's private address, from any consumer VPC,
    /// and the endpoint's interface forwards to load balancer nodes the consumer cannot list
    /// (Network Load Balancer guide, "Security groups for your Network Load Balancer" and
    /// "Client IP preservation",
    /// https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html,
    /// https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#client-ip-preservation;
    /// network ACLs are stateless and evaluated per packet, VPC user guide,
    /// https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html). An ACL that does
    /// not admit every address makes the path unproven (PP016) naming it: it may drop packets
    /// from addresses the snapshot does not show.
    pub(super) fn any_peer_acl(
        &self,
        ctx: &mut Ctx,
        subnet: &str,
        direction: Direction,
        ports: Ports,
        hop: &str,
    ) {
        let Some(acl) = self.model.nacl_of_subnet(subnet) else {
            let issue = Issue {
                rule: "PP016",
                resource: subnet.to_string(),
                detail: "subnet has no network ACL association in describe-network-acls".into(),
            };
            if !ctx.issues.contains(&issue) {
                ctx.issues.push(issue);
            }
            return;
        };
        let every: IpNet = "0.0.0.0/0".parse().expect("literal CIDR");
        if let Err(b) = self.acl_rules(acl.item).allows(
            &acl.network_acl_id,
            direction,
            ctx.flow.proto,
            &every,
            ports,
        ) {
            let (resource, detail) = match b {
                filters::Block::Denied { resource, detail }
                | filters::Block::Unknown { resource, detail } => (resource, detail),
            };
            let issue = Issue {
                rule: "PP016",
                resource,
                detail: format!(
                    "PrivateLink hop ({hop}) in {subnet}: the addresses it exchanges packets with are not in the snapshot, and {detail}"
                ),
            };
            if !ctx.issues.contains(&issue) {
                ctx.issues.push(issue);
            }
        }
    }

    /// The destination's security groups must admit the request from every source address on
    /// every port (PP006; PP016 when it cannot be decided).
    pub(super) fn check_security_groups(&self, ctx: &mut Ctx, groups: &[String]) {
        for &port in &ctx.flow.ports.clone() {
            if let Err(b) = filters::security_groups_admit(
                self.model,
                groups,
                &ctx.src.nets,
                &ctx.src.groups,
                ctx.flow.proto,
                port,
            ) {
                ctx.issues.push(block_issue("PP006", b));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! The Transit Gateway guide's table ("Network ACLs for transit gateways") as a case table,
    //! checked against an oracle written from the page and against what [`Leg`] records.
    use super::*;
    use rstest::rstest;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Scenario {
        SameSubnet,
        DifferentSubnets,
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Role {
        /// The EC2 instance (any interface: endpoint, Resolver, NLB) subnet.
        Instance,
        /// The Transit Gateway attachment subnet.
        Attachment,
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Traffic {
        InstancesToTgw,
        TgwToInstances,
    }

    use Direction::{Inbound, Outbound};
    use Role::{Attachment, Instance};
    use Scenario::{DifferentSubnets, SameSubnet};
    use Traffic::{InstancesToTgw, TgwToInstances};

    /// The page, sentence by sentence.
    fn oracle(scenario: Scenario, role: Role, traffic: Traffic, rule: Direction) -> bool {
        match (scenario, traffic) {
            // "NACL rules are applied as follows for traffic from instances to the transit
            // gateway: Outbound rules use the destination IP address for evaluation. Inbound
            // rules use the source IP address for evaluation." (one ACL for both roles)
            (SameSubnet, InstancesToTgw) => true,
            // "...for traffic from the transit gateway to the instances: Outbound rules are not
            // evaluated. Inbound rules are not evaluated."
            (SameSubnet, TgwToInstances) => false,
            (DifferentSubnets, _) => match (role, traffic, rule) {
                // Instance subnet: "Outbound rules use the destination IP address to evaluate
                // traffic from the instances to the transit gateway." "Inbound rules use the
                // source IP address to evaluate traffic from the transit gateway to the
                // instances."
                (Instance, InstancesToTgw, Outbound) => true,
                (Instance, TgwToInstances, Inbound) => true,
                (Instance, _, _) => false,
                // Transit gateway subnet: "Outbound rules use the destination IP address to
                // evaluate traffic from the transit gateway to the instances." "Outbound rules
                // are not used to evaluate traffic from the instances to the transit gateway."
                // "Inbound rules use the source IP address to evaluate traffic from the
                // instances to the transit gateway." "Inbound rules are not used to evaluate
                // traffic from the transit gateway to the instances."
                (Attachment, TgwToInstances, Outbound) => true,
                (Attachment, InstancesToTgw, Outbound) => false,
                (Attachment, InstancesToTgw, Inbound) => true,
                (Attachment, TgwToInstances, Inbound) => false,
            },
        }
    }

    fn net(s: &str) -> IpNet {
        s.parse().unwrap()
    }

    /// What [`Leg`] records for one packet between an instance in `instance` and the TGW.
    fn recorded(scenario: Scenario, traffic: Traffic) -> (Vec<Check>, &'static str, &'static str) {
        let instance = "subnet-instance";
        let attachment = match scenario {
            SameSubnet => instance,
            DifferentSubnets => "subnet-attachment",
        };
        let inst_ip = [net("10.0.1.10/32")];
        let remote_ip = [net("192.168.0.0/16")];
        let mut leg = Leg::default();
        match traffic {
            InstancesToTgw => {
                leg.enter(instance);
                leg.leave_for_tgw(attachment, &inst_ip, &remote_ip);
            }
            TgwToInstances => {
                // Out of the TGW into its attachment subnet, whose route table delivers locally.
                leg.enter(attachment);
                leg.deliver(instance, &remote_ip, &inst_ip);
            }
        }
        (leg.checks, instance, attachment)
    }

    #[rstest]
    // scenario, subnet, traffic, rule, evaluated (the page's table)
    #[case(SameSubnet, Instance, InstancesToTgw, Outbound, true)]
    #[case(SameSubnet, Instance, InstancesToTgw, Inbound, true)]
    #[case(SameSubnet, Instance, TgwToInstances, Outbound, false)]
    #[case(SameSubnet, Instance, TgwToInstances, Inbound, false)]
    #[case(SameSubnet, Attachment, InstancesToTgw, Outbound, true)]
    #[case(SameSubnet, Attachment, InstancesToTgw, Inbound, true)]
    #[case(SameSubnet, Attachment, TgwToInstances, Outbound, false)]
    #[case(SameSubnet, Attachment, TgwToInstances, Inbound, false)]
    #[case(DifferentSubnets, Instance, InstancesToTgw, Outbound, true)]
    #[case(DifferentSubnets, Instance, InstancesToTgw, Inbound, false)]
    #[case(DifferentSubnets, Instance, TgwToInstances, Outbound, false)]
    #[case(DifferentSubnets, Instance, TgwToInstances, Inbound, true)]
    #[case(DifferentSubnets, Attachment, InstancesToTgw, Outbound, false)]
    #[case(DifferentSubnets, Attachment, InstancesToTgw, Inbound, true)]
    #[case(DifferentSubnets, Attachment, TgwToInstances, Outbound, true)]
    #[case(DifferentSubnets, Attachment, TgwToInstances, Inbound, false)]
    fn transit_gateway_nacl_table(
        #[case] scenario: Scenario,
        #[case] role: Role,
        #[case] traffic: Traffic,
        #[case] rule: Direction,
        #[case] evaluated: bool,
    ) {
        assert_eq!(oracle(scenario, role, traffic, rule), evaluated, "oracle");
        let (checks, instance, attachment) = recorded(scenario, traffic);
        let subnet = match role {
            Instance => instance,
            Attachment => attachment,
        };
        let hit: Vec<&Check> = checks
            .iter()
            .filter(|c| c.subnet == subnet && c.direction == rule)
            .collect();
        assert_eq!(!hit.is_empty(), evaluated, "recorded {checks:?}");
        // Outbound rules match the destination address, inbound rules the source address.
        let (src, dst) = match traffic {
            InstancesToTgw => (net("10.0.1.10/32"), net("192.168.0.0/16")),
            TgwToInstances => (net("192.168.0.0/16"), net("10.0.1.10/32")),
        };
        for c in hit {
            let want = if rule == Outbound { dst } else { src };
            assert_eq!(c.remote, vec![want], "{c:?}");
        }
    }

    #[test]
    fn delivery_inside_one_subnet_is_not_evaluated_and_between_subnets_is() {
        let a = [net("10.0.1.0/24")];
        let b = [net("10.0.2.10/32")];
        let mut leg = Leg::default();
        leg.enter("subnet-a");
        leg.deliver("subnet-a", &a, &b);
        assert!(leg.checks.is_empty());
        leg.deliver("subnet-b", &a, &b);
        assert_eq!(
            leg.checks,
            vec![
                Check {
                    subnet: "subnet-a".into(),
                    direction: Outbound,
                    remote: b.to_vec()
                },
                Check {
                    subnet: "subnet-b".into(),
                    direction: Inbound,
                    remote: a.to_vec()
                },
            ]
        );
    }
}
