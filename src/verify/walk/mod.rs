//! Follow one packet flow hop by hop: subnet → route table → target → … → the resource where it
//! ends. Branches where AWS would (ECMP, several attachment subnets, several NLB targets).
//!
//! One code path serves every flow: MQTT/HTTPS to an IoT interface endpoint (TCP), and DNS to a
//! Route 53 Resolver inbound endpoint (UDP or TCP 53); what the walk must reach is its [`Goal`].
//! A forward walk carries requests; at the end of every leg it starts a return walk for the
//! replies over the same code ([`back`]). Network ACLs are recorded per packet direction as the
//! packet crosses subnets ([`acl`]) and evaluated when the leg ends.
//!
//! - [`forward`]: routing inside a VPC, NAT, peering, delivery to an interface, endpoints,
//!   Resolver endpoints;
//! - [`tgw`]: into, through and out of a Transit Gateway (AZ affinity, appliance mode);
//! - [`tgw_policy`]: the route table a Transit Gateway policy table chooses per packet;
//! - [`nlb`]: Network Load Balancer listener → target group → targets (the second leg);
//! - [`back`]: return walks;
//! - [`acl`]: which network ACL rules a crossing evaluates, and security groups at the end.
//!
//! Invariant: every branch ends in exactly one [`End`]; anything the walker cannot interpret ends
//! the branch as [`End::Unproven`], never as a private end.
use std::collections::BTreeSet;
use std::net::IpAddr;

use ipnet::IpNet;
use serde::Serialize;

pub use super::filters::Proto;
use super::filters::{self, Block};
use super::intent::{Intent, IotService};
use crate::graph::{HashMap, Model};
use crate::route::VpcTarget;
use crate::snapshot::records::NetworkAcl;

mod acl;
pub(crate) use back::deciding_resource;
mod back;
mod forward;
mod inspect;
mod nlb;
mod region;
mod tgw;
mod tgw_policy;

/// One hop of a path: the resource, and the route/record/rule that sent the packet there.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Hop {
    pub kind: &'static str,
    pub id: String,
    pub via: String,
}

/// How a branch ends.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum End {
    /// At a network interface of an interface endpoint of the right IoT service: private.
    IotEndpoint {
        endpoint: String,
        service: String,
        network_interface: String,
    },
    /// (DNS walks only) at a network interface of the Route 53 Resolver inbound endpoint.
    ResolverEndpoint {
        endpoint: String,
        network_interface: String,
    },
    /// At an internet gateway (or egress-only internet gateway).
    InternetGateway { gateway: String },
    /// Somewhere that is not the goal.
    NoPath { resource: String, reason: String },
    /// Somewhere pathproof cannot see through.
    Unproven { resource: String, reason: String },
    /// (Return walks only) back at the source VPC or on-premises attachment.
    Returned { to: String },
}

/// Something wrong found on the way (a rule id, the resource, and what).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Issue {
    pub rule: &'static str,
    pub resource: String,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Branch {
    pub hops: Vec<Hop>,
    pub end: End,
    pub issues: Vec<Issue>,
    /// The reply's way back from the endpoint to the source, when the forward path arrived.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub return_hops: Vec<Hop>,
}

/// Where the traffic comes from.
#[derive(Debug, Clone)]
pub struct Src {
    /// Every source address (a subnet CIDR, an on-premises range, a NAT or load balancer address).
    pub nets: Vec<IpNet>,
    /// Security groups the sources are known to be in.
    pub groups: Vec<String>,
    /// The subnet the traffic starts in (its ACL is checked outbound), if it starts in a VPC.
    pub subnet: Option<String>,
}

/// What a walk must reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Goal {
    /// An interface endpoint of this IoT service (the data endpoint must be approved).
    Iot(IotService),
    /// A network interface of this Route 53 Resolver inbound endpoint.
    ResolverInbound { endpoint: String },
}

/// The traffic of a walk: what it must reach, its protocol, and its destination ports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub goal: Goal,
    pub proto: Proto,
    pub ports: Vec<u16>,
}

impl Flow {
    /// MQTT/HTTPS to an IoT service: TCP on the service's ports.
    pub fn iot(service: IotService, intent: &Intent) -> Flow {
        Flow {
            goal: Goal::Iot(service),
            proto: Proto::Tcp,
            ports: service.ports(intent),
        }
    }

    /// DNS to a Resolver inbound endpoint: port 53 over `proto`.
    pub fn dns(endpoint: &str, proto: Proto) -> Flow {
        Flow {
            goal: Goal::ResolverInbound {
                endpoint: endpoint.to_string(),
            },
            proto,
            ports: vec![53],
        }
    }
}

/// Which way the walk goes. A return walk carries reply traffic from the endpoint back to the
/// source: it must reach the source VPC (`Some`) or an on-premises attachment (`None`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    Forward,
    Return { vpc: Option<String> },
}

#[derive(Debug, Clone)]
struct Ctx {
    mode: Mode,
    flow: Flow,
    src: Src,
    /// The address routing looks up.
    dst: IpAddr,
    /// The packet's destination addresses for network ACL rules: the host `dst` on a forward
    /// walk; on a return walk the range of source addresses `dst` stands for.
    dst_nets: Vec<IpNet>,
    hops: Vec<Hop>,
    /// Network ACL rules this leg's packets are evaluated against.
    acl: acl::Leg,
    /// The Availability Zone where the packet entered the Transit Gateway: with appliance mode
    /// off, the TGW delivers through the destination's attachment subnet in that AZ.
    tgw_az: Option<String>,
    issues: Vec<Issue>,
    visited: BTreeSet<String>,
}

impl Ctx {
    fn new(mode: Mode, flow: Flow, src: Src, dst: IpAddr, dst_nets: Vec<IpNet>) -> Ctx {
        Ctx {
            mode,
            flow,
            src,
            dst,
            dst_nets,
            hops: Vec::new(),
            acl: acl::Leg::default(),
            tgw_az: None,
            issues: Vec::new(),
            visited: BTreeSet::new(),
        }
    }

    fn hop(&mut self, kind: &'static str, id: &str, via: impl Into<String>) {
        self.hops.push(Hop {
            kind,
            id: id.to_string(),
            via: via.into(),
        });
    }

    fn end(self, end: End) -> Vec<Branch> {
        vec![Branch {
            hops: self.hops,
            end,
            issues: self.issues,
            return_hops: Vec::new(),
        }]
    }

    fn no_path(self, resource: &str, reason: impl Into<String>) -> Vec<Branch> {
        self.end(End::NoPath {
            resource: resource.to_string(),
            reason: reason.into(),
        })
    }

    fn unproven(self, resource: &str, reason: impl Into<String>) -> Vec<Branch> {
        self.end(End::Unproven {
            resource: resource.to_string(),
            reason: reason.into(),
        })
    }

    /// What the walk must reach, for messages.
    fn goal_label(&self) -> &'static str {
        match self.flow.goal {
            Goal::Iot(_) => "IoT Core",
            Goal::ResolverInbound { .. } => "the Resolver endpoint",
        }
    }

    /// The IoT service a walk must reach, if it is an IoT walk.
    fn service(&self) -> Option<IotService> {
        match self.flow.goal {
            Goal::Iot(s) => Some(s),
            Goal::ResolverInbound { .. } => None,
        }
    }
}

const MAX_HOPS: usize = 40;

/// One walk per item, each from its own copy of `ctx` (the last one takes `ctx` itself),
/// their branches in item order.
fn fan_out<T>(
    ctx: Ctx,
    items: impl IntoIterator<Item = T>,
    mut walk: impl FnMut(Ctx, T) -> Vec<Branch>,
) -> Vec<Branch> {
    let mut items = items.into_iter().peekable();
    let mut out = Vec::new();
    let mut ctx = Some(ctx);
    while let Some(item) = items.next() {
        let c = match items.peek() {
            Some(_) => ctx.clone(),
            None => ctx.take(),
        };
        out.extend(walk(c.expect("taken only for the last item"), item));
    }
    out
}

pub struct Walker<'a, 's> {
    pub model: &'a Model<'s>,
    pub intent: &'a Intent,
    /// VPC id → its subnets' IPv4 and IPv6 CIDRs and ids (return walks find where a reply lands).
    subnets_by_vpc: HashMap<&'s str, Vec<(IpNet, &'s str)>>,
    /// Network ACL id → its rules, parsed once (every leg evaluates some).
    acl_rules: HashMap<&'s str, filters::AclRules>,
}

impl<'a, 's> Walker<'a, 's> {
    pub fn new(model: &'a Model<'s>, intent: &'a Intent) -> Walker<'a, 's> {
        let mut subnets_by_vpc: HashMap<&'s str, Vec<(IpNet, &'s str)>> = HashMap::default();
        for s in model.subnets.values() {
            if let Some(net) = s
                .item
                .cidr_block
                .as_deref()
                .and_then(|c| c.parse::<IpNet>().ok())
            {
                subnets_by_vpc
                    .entry(s.item.vpc_id.as_str())
                    .or_default()
                    .push((net.trunc(), s.item.subnet_id.as_str()));
            }
            // A subnet's IPv6 CIDR holds its IPv6 addresses the same way (VPC user guide,
            // "IPv6 support for your VPC").
            for net in super::ipv6::subnet_ipv6_cidrs(s.item) {
                subnets_by_vpc
                    .entry(s.item.vpc_id.as_str())
                    .or_default()
                    .push((net, s.item.subnet_id.as_str()));
            }
        }
        for v in subnets_by_vpc.values_mut() {
            v.sort();
        }
        let acl_rules = model
            .nacls
            .iter()
            .map(|(id, acl)| (*id, filters::AclRules::new(acl.item)))
            .collect();
        Walker {
            model,
            intent,
            subnets_by_vpc,
            acl_rules,
        }
    }

    /// The parsed rules of `acl` (parsed now if the model did not list it).
    fn acl_rules(&self, acl: &NetworkAcl) -> std::borrow::Cow<'_, filters::AclRules> {
        match self.acl_rules.get(acl.network_acl_id.as_str()) {
            Some(rules) => std::borrow::Cow::Borrowed(rules),
            None => std::borrow::Cow::Owned(filters::AclRules::new(acl)),
        }
    }

    /// The IPv4 and IPv6 CIDRs and ids of `vpc`'s subnets, sorted.
    fn subnets_of(&self, vpc: &str) -> &[(IpNet, &'s str)] {
        self.subnets_by_vpc
            .get(vpc)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Walk from a subnet (a device or consumer subnet) to `dst`.
    pub fn from_subnet(&self, subnet: &str, src: Src, dst: IpAddr, flow: Flow) -> Vec<Branch> {
        let ctx = Ctx::new(Mode::Forward, flow, src, dst, vec![filters::host(dst)]);
        self.route_from_subnet(ctx, subnet)
    }

    /// Walk from on-premises, entering the Transit Gateway through `attachment`.
    pub fn from_attachment(
        &self,
        attachment: &str,
        src: Src,
        dst: IpAddr,
        flow: Flow,
    ) -> Vec<Branch> {
        let mut ctx = Ctx::new(Mode::Forward, flow, src, dst, vec![filters::host(dst)]);
        ctx.hop(
            "tgw-attachment",
            attachment,
            "on-premises traffic enters the Transit Gateway",
        );
        if let Some(why) = self.no_bgp_advertisements(attachment) {
            return ctx.unproven(attachment, why);
        }
        self.enter_tgw(ctx, attachment)
    }

    /// Transit Gateway guide, "Transit gateway policy table limitations" (BGP route
    /// advertisement): the Transit Gateway advertises no routes to a BGP-speaking attachment
    /// (Site-to-Site VPN with dynamic routing, Connect) associated with a policy table, so
    /// whether on-premises sends traffic into it rests on routes outside the snapshot. Direct
    /// Connect gateway attachments keep advertising (allowed prefixes), and a static VPN has no
    /// BGP session to lose.
    fn no_bgp_advertisements(&self, attachment: &str) -> Option<String> {
        let ptb = match self.model.tgw_policy.association(attachment) {
            Some(crate::graph::tgw_policy::PolicyAssociation::One { table, .. }) => table,
            Some(crate::graph::tgw_policy::PolicyAssociation::Several(t)) => t[0],
            None => self.model.tgw_policy_table_named_by(attachment)?.0,
        };
        let att = self.model.tgw_attachments.get(attachment)?;
        let speaks_bgp = match att.resource_type.as_str() {
            "connect" => true,
            "vpn" => {
                let vpn = att
                    .resource_id
                    .as_deref()
                    .and_then(|v| self.model.vpn_connections.get(v));
                // Unknown routing type: it may be BGP.
                vpn.and_then(|v| v.options.as_ref()?.static_routes_only) != Some(true)
            }
            _ => false,
        };
        speaks_bgp.then(|| {
            format!(
                "{} attachment {attachment} is associated with policy table {ptb}: the Transit Gateway advertises no routes over BGP to it, so whether on-premises routes this traffic into the Transit Gateway depends on routes the snapshot does not hold",
                att.resource_type
            )
        })
    }
}

fn block_issue(rule: &'static str, b: Block) -> Issue {
    match b {
        Block::Denied { resource, detail } => Issue {
            rule,
            resource,
            detail,
        },
        Block::Unknown { resource, detail } => Issue {
            rule: "PP016",
            resource,
            detail,
        },
    }
}

fn target_label(t: &VpcTarget) -> String {
    match t {
        VpcTarget::Local => "local".into(),
        VpcTarget::InternetGateway(id)
        | VpcTarget::EgressOnlyInternetGateway(id)
        | VpcTarget::NatGateway(id)
        | VpcTarget::TransitGateway(id)
        | VpcTarget::Peering(id)
        | VpcTarget::NetworkInterface(id)
        | VpcTarget::Instance(id)
        | VpcTarget::VpcEndpoint(id)
        | VpcTarget::VpnGateway(id) => id.clone(),
        VpcTarget::Unknown { field, id } => format!("{field} {id}"),
    }
}

/// The Availability Zone of a subnet (the zone id when AWS gives it, else the zone name).
fn subnet_az(model: &Model<'_>, subnet: &str) -> Option<String> {
    let s = model.subnets.get(subnet)?;
    s.availability_zone_id
        .clone()
        .or_else(|| s.availability_zone.clone())
}
