//! Return walks: the reply of each leg, from the interface that answers back to the leg's
//! source, over the same routing code as the request. Replies go to the ephemeral ports; their
//! network ACL crossings are recorded on the way like the request's.
use std::net::IpAddr;

use ipnet::{IpNet, Ipv4Subnets, Ipv6Subnets};

use super::super::filters;
use super::{Branch, Ctx, End, Goal, Hop, Issue, Mode, Walker};

impl<'a, 's> Walker<'a, 's> {
    /// Walk the reply from `eni`'s subnet back to the leg's source: every range of the source
    /// that routes alike, one walk per range. A reply that does not get back is a broken path
    /// (PP005), or an unproven one (PP016). Returns the hops of the first return walk, for the
    /// report. Forward walks only.
    pub(super) fn check_return(&self, ctx: &mut Ctx, eni: &str) -> Vec<Hop> {
        if ctx.mode != Mode::Forward {
            return Vec::new();
        }
        let Some(subnet) = self.model.enis.get(eni).map(|e| e.subnet_id.clone()) else {
            return Vec::new();
        };
        self.check_return_from(ctx, &subnet, eni)
    }

    /// [`Self::check_return`] from `subnet`, for an answering interface the snapshot does not
    /// list (a load balancer node reached by its address); `from` names it in messages.
    pub(super) fn check_return_from(&self, ctx: &mut Ctx, subnet: &str, from: &str) -> Vec<Hop> {
        if ctx.mode != Mode::Forward {
            return Vec::new();
        }
        let (subnet, eni) = (subnet.to_string(), from);
        let expected = match &ctx.src.subnet {
            Some(s) => match self.model.subnets.get(s.as_str()) {
                Some(sn) => Some(sn.vpc_id.clone()),
                None => return Vec::new(),
            },
            None => None,
        };
        let mut first_hops = Vec::new();
        for (addr, cell) in self.reply_cells(&ctx.src.nets, expected.as_deref()) {
            let back = Ctx::new(
                Mode::Return {
                    vpc: expected.clone(),
                },
                ctx.flow.clone(),
                super::Src {
                    nets: vec![filters::host(ctx.dst)],
                    groups: Vec::new(),
                    subnet: Some(subnet.clone()),
                },
                addr,
                cell,
            );
            for b in self.route_from_subnet(back, &subnet) {
                if first_hops.is_empty() {
                    first_hops = b.hops.clone();
                }
                ctx.issues.extend(b.issues);
                let (rule, resource, reason) = match b.end {
                    End::Returned { .. } => continue,
                    End::Unproven { resource, reason } => ("PP016", resource, reason),
                    End::NoPath { resource, reason } => ("PP005", resource, reason),
                    End::InternetGateway { gateway } => {
                        let reason = format!("reply leaves through internet gateway {gateway}");
                        ("PP005", gateway, reason)
                    }
                    End::IotEndpoint { endpoint, .. } | End::ResolverEndpoint { endpoint, .. } => {
                        ("PP005", endpoint, "reply reaches an endpoint".to_string())
                    }
                };
                // A DNS reply is reported where it goes wrong: the route table or Transit
                // Gateway route table that sends it away, not the place it ends up.
                let resource = match ctx.flow.goal {
                    Goal::ResolverInbound { .. } => {
                        // A reply to on-premises has no business in a VPC attachment; a reply to
                        // a VPC none in another VPC's.
                        let wrong_turn = |h: &Hop| {
                            h.kind == "tgw-attachment"
                                && self
                                    .model
                                    .tgw_vpc_attachments
                                    .get(h.id.as_str())
                                    .is_some_and(|a| Some(&a.vpc_id) != expected.as_ref())
                        };
                        deciding_resource(&resource, &b.hops, wrong_turn)
                    }
                    Goal::Iot(_) => resource,
                };
                ctx.issues.push(Issue {
                    rule,
                    resource: resource.clone(),
                    detail: format!(
                        "return path from {eni} to {addr} ends at {resource}: {reason}"
                    ),
                });
            }
        }
        first_hops
    }

    /// A reply arrived back in the source VPC `vpc` (routed locally, or across peering): it is
    /// delivered to the subnet that holds its destination. Record that delivery and evaluate
    /// the leg's network ACLs.
    pub(super) fn returned_to_vpc(&self, mut ctx: Ctx, vpc: &str) -> Vec<Branch> {
        let dst = ctx.dst;
        let Some(to) = self.subnet_of_address(vpc, dst) else {
            return ctx.unproven(
                vpc,
                format!("no subnet of {vpc} in describe-subnets holds {dst}"),
            );
        };
        let (src, dst_nets) = (ctx.src.nets.clone(), ctx.dst_nets.clone());
        ctx.acl.deliver(&to, &src, &dst_nets);
        self.settle_acls(&mut ctx);
        ctx.end(End::Returned {
            to: vpc.to_string(),
        })
    }

    /// The subnet of `vpc` whose CIDR holds `ip`, the smallest if several do.
    fn subnet_of_address(&self, vpc: &str, ip: IpAddr) -> Option<String> {
        self.subnets_of(vpc)
            .iter()
            .filter(|(net, _)| net.contains(&ip))
            .max_by_key(|(net, id)| (net.prefix_len(), std::cmp::Reverse(*id)))
            .map(|(_, id)| id.to_string())
    }

    /// The reply destinations: each source range split where any route table or (in the
    /// source VPC) any subnet boundary could treat its addresses differently. Each cell is
    /// walked once from its first address; network ACLs are evaluated over the whole cell.
    fn reply_cells(&self, nets: &[IpNet], vpc: Option<&str>) -> Vec<(IpAddr, Vec<IpNet>)> {
        let subnet_nets: Vec<IpNet> = match vpc {
            Some(vpc) => self.subnets_of(vpc).iter().map(|(n, _)| *n).collect(),
            None => Vec::new(),
        };
        let mut out = Vec::new();
        for net in nets {
            let net = net.trunc();
            let mut starts = self.model.representatives(net);
            for s in &subnet_nets {
                for a in [Some(s.network()), next_addr(s.broadcast())]
                    .into_iter()
                    .flatten()
                {
                    if net.contains(&a) {
                        starts.push(a);
                    }
                }
            }
            starts.sort();
            starts.dedup();
            for (i, &start) in starts.iter().enumerate() {
                let end = match starts.get(i + 1) {
                    Some(&next) => prev_addr(next).unwrap_or(next),
                    None => net.broadcast(),
                };
                out.push((start, cover(start, end)));
            }
        }
        out
    }
}

/// Where a DNS walk went wrong. If the walk took a wrong turn (`wrong_turn` of a hop out of a
/// Transit Gateway route table onto an attachment: one to a VPC it should not enter), the
/// Transit Gateway route table that made that turn. Else `resource` itself when it is a routing or filtering decision
/// (route table, Transit Gateway route table, attachment, ACL, security group), else the last
/// route table or Transit Gateway route table on the way.
pub(crate) fn deciding_resource(
    resource: &str,
    hops: &[Hop],
    wrong_turn: impl Fn(&Hop) -> bool,
) -> String {
    let routing = |h: &&Hop| h.kind == "route-table" || h.kind == "tgw-route-table";
    let turn = hops.windows(2).find(|w| {
        w[0].kind == "tgw-route-table" && w[1].kind == "tgw-attachment" && wrong_turn(&w[1])
    });
    if let Some(w) = turn {
        return w[0].id.clone();
    }
    // A Transit Gateway policy table that drops the packet decides too (`tgw_policy.rs`).
    let decides = ["rtb-", "tgw-rtb-", "tgw-ptb-", "tgw-attach-", "acl-", "sg-"];
    if decides.iter().any(|p| resource.starts_with(p)) {
        return resource.to_string();
    }
    hops.iter()
        .rev()
        .find(routing)
        .map(|h| h.id.clone())
        .unwrap_or_else(|| resource.to_string())
}

fn next_addr(ip: IpAddr) -> Option<IpAddr> {
    match ip {
        IpAddr::V4(a) => u32::from(a).checked_add(1).map(|n| IpAddr::V4(n.into())),
        IpAddr::V6(a) => u128::from(a).checked_add(1).map(|n| IpAddr::V6(n.into())),
    }
}

fn prev_addr(ip: IpAddr) -> Option<IpAddr> {
    match ip {
        IpAddr::V4(a) => u32::from(a).checked_sub(1).map(|n| IpAddr::V4(n.into())),
        IpAddr::V6(a) => u128::from(a).checked_sub(1).map(|n| IpAddr::V6(n.into())),
    }
}

/// The fewest CIDRs covering exactly `start..=end` (same family).
fn cover(start: IpAddr, end: IpAddr) -> Vec<IpNet> {
    match (start, end) {
        (IpAddr::V4(a), IpAddr::V4(b)) => Ipv4Subnets::new(a, b, 0).map(IpNet::V4).collect(),
        (IpAddr::V6(a), IpAddr::V6(b)) => Ipv6Subnets::new(a, b, 0).map(IpNet::V6).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_is_exact() {
        let a: IpAddr = "10.0.0.0".parse().unwrap();
        let b: IpAddr = "10.0.0.255".parse().unwrap();
        assert_eq!(cover(a, b), vec!["10.0.0.0/24".parse::<IpNet>().unwrap()]);
        let c: IpAddr = "10.0.0.5".parse().unwrap();
        let d: IpAddr = "10.0.0.9".parse().unwrap();
        let got: Vec<String> = cover(c, d).iter().map(|n| n.to_string()).collect();
        assert_eq!(got, ["10.0.0.5/32", "10.0.0.6/31", "10.0.0.8/31"]);
    }

    #[test]
    fn deciding_resource_prefers_the_routing_decision() {
        let hops = vec![
            Hop {
                kind: "tgw-route-table",
                id: "tgw-rtb-1".into(),
                via: String::new(),
            },
            Hop {
                kind: "tgw-attachment",
                id: "tgw-attach-2".into(),
                via: String::new(),
            },
        ];
        let never = |_: &Hop| false;
        assert_eq!(deciding_resource("vpc-9", &hops, never), "tgw-rtb-1");
        assert_eq!(deciding_resource("acl-1", &hops, never), "acl-1");
        assert_eq!(deciding_resource("vpc-9", &[], never), "vpc-9");
        // A wrong turn names the route table that made it, whatever ends the walk later.
        let turn = |h: &Hop| h.id == "tgw-attach-2";
        assert_eq!(deciding_resource("rtb-7", &hops, turn), "tgw-rtb-1");
    }
}
