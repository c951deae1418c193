//! Follow one packet flow hop by hop: subnet → route table → target → … → the resource where it
//! ends. Branches where AWS would (ECMP, several attachment subnets, several NLB targets).
//!
//! Invariant: every branch ends in exactly one [`End`]; anything the walker cannot interpret ends
//! the branch as [`End::Unproven`], never as a private end.
use std::collections::BTreeSet;
use std::net::IpAddr;

use ipnet::IpNet;
use serde::Serialize;

use super::filters::{self, Block, Direction};
use super::intent::{iot_service_of, Intent, IotService};
use super::transport::{attachment_kind, attachment_transport, AttachmentKind, Transport};
use crate::graph::{At, Model};
use crate::route::VpcTarget;
use crate::snapshot::records::{Exposure, LoadBalancer, NetworkInterface, VpcEndpoint};

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
    /// At an internet gateway (or egress-only internet gateway).
    InternetGateway { gateway: String },
    /// Somewhere that is not IoT Core.
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

/// How a path crosses a subnet that is neither where it starts nor where it ends. AWS evaluates
/// the network ACL of a Transit Gateway attachment subnet only on one side ("Network ACLs for
/// transit gateways"): inbound rules for VPC → TGW, outbound rules for TGW → VPC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Crossing {
    /// Into the Transit Gateway through this attachment subnet.
    IntoTgw,
    /// Out of the Transit Gateway through this attachment subnet.
    OutOfTgw,
    /// Through an ordinary subnet (a NAT gateway's): both directions are evaluated.
    Through,
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
    src: Src,
    dst: IpAddr,
    ports: Vec<u16>,
    service: IotService,
    hops: Vec<Hop>,
    /// Subnets crossed after the start (TGW attachment subnets, NAT subnet), with how.
    crossed: Vec<(String, Crossing)>,
    /// The Availability Zone where the packet entered the Transit Gateway: with appliance mode
    /// off, the TGW delivers through the destination's attachment subnet in that AZ.
    tgw_az: Option<String>,
    issues: Vec<Issue>,
    visited: BTreeSet<String>,
}

impl Ctx {
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
}

const MAX_HOPS: usize = 40;

pub struct Walker<'a, 's> {
    pub model: &'a Model<'s>,
    pub intent: &'a Intent,
}

impl<'a, 's> Walker<'a, 's> {
    /// Walk from a subnet (a device or consumer subnet) to `dst`.
    pub fn from_subnet(
        &self,
        subnet: &str,
        src: Src,
        dst: IpAddr,
        service: IotService,
    ) -> Vec<Branch> {
        let ctx = self.ctx(src, dst, service);
        self.route_from_subnet(ctx, subnet)
    }

    /// Walk from on-premises, entering the Transit Gateway through `attachment`.
    pub fn from_attachment(
        &self,
        attachment: &str,
        src: Src,
        dst: IpAddr,
        service: IotService,
    ) -> Vec<Branch> {
        let mut ctx = self.ctx(src, dst, service);
        ctx.hop(
            "tgw-attachment",
            attachment,
            "on-premises traffic enters the Transit Gateway",
        );
        self.enter_tgw(ctx, attachment)
    }

    fn ctx(&self, src: Src, dst: IpAddr, service: IotService) -> Ctx {
        Ctx {
            src,
            dst,
            ports: service.ports(self.intent),
            service,
            hops: Vec::new(),
            crossed: Vec::new(),
            tgw_az: None,
            issues: Vec::new(),
            visited: BTreeSet::new(),
            mode: Mode::Forward,
        }
    }

    fn route_from_subnet(&self, mut ctx: Ctx, subnet_id: &str) -> Vec<Branch> {
        if ctx.hops.len() > MAX_HOPS || !ctx.visited.insert(format!("subnet/{subnet_id}")) {
            return ctx.no_path(subnet_id, "routing loop");
        }
        let Some(subnet) = self.model.subnets.get(subnet_id).copied() else {
            return ctx.unproven(subnet_id, "subnet is not in describe-subnets");
        };
        ctx.hop("subnet", subnet_id, format!("in {}", subnet.vpc_id));
        let Some(rt) = self.model.route_table_of_subnet(subnet_id) else {
            return ctx.unproven(
                subnet_id,
                "no route table (explicit or main) in describe-route-tables",
            );
        };
        let found = match self.model.lookup_vpc(&rt.route_table_id, ctx.dst) {
            Ok(m) => m,
            Err(e) => return ctx.unproven(&rt.route_table_id, e.to_string()),
        };
        let Some(m) = found else {
            ctx.hop("route-table", &rt.route_table_id, "no route matches");
            let dst = ctx.dst;
            return ctx.no_path(&rt.route_table_id, format!("no route to {dst}"));
        };
        let via = format!("route {} → {}", m.destination, target_label(&m.target));
        ctx.hop("route-table", &rt.route_table_id, via);
        if m.blackhole {
            return ctx.no_path(
                &rt.route_table_id,
                format!("route {} is a blackhole", m.destination),
            );
        }
        let vpc = subnet.vpc_id.as_str();
        match m.target {
            VpcTarget::Local => {
                if let Mode::Return { vpc: expected } = &ctx.mode {
                    return if expected.as_deref() == Some(vpc) {
                        let to = vpc.to_string();
                        ctx.end(End::Returned { to })
                    } else {
                        ctx.no_path(
                            vpc,
                            format!("reply is delivered locally in {vpc}, not to the source"),
                        )
                    };
                }
                self.deliver(ctx, vpc)
            }
            VpcTarget::InternetGateway(id) | VpcTarget::EgressOnlyInternetGateway(id) => {
                ctx.hop("internet-gateway", &id, format!("route {}", m.destination));
                ctx.end(End::InternetGateway { gateway: id })
            }
            VpcTarget::NatGateway(id) => self.via_nat(ctx, &id),
            VpcTarget::TransitGateway(tgw) => {
                let az = subnet
                    .availability_zone_id
                    .clone()
                    .or_else(|| subnet.availability_zone.clone());
                self.to_tgw(ctx, &tgw, vpc, az.as_deref())
            }
            VpcTarget::Peering(id) => self.via_peering(ctx, &id, vpc),
            VpcTarget::NetworkInterface(id) | VpcTarget::Instance(id) => {
                ctx.hop("network-interface", &id, format!("route {}", m.destination));
                ctx.unproven(&rt.route_table_id, format!("route {} sends traffic to appliance {id}; what it forwards is not in the snapshot", m.destination))
            }
            VpcTarget::VpcEndpoint(id) => {
                let kind = self
                    .model
                    .endpoints
                    .get(id.as_str())
                    .map(|e| e.vpc_endpoint_type.clone());
                ctx.hop("vpc-endpoint", &id, format!("route {}", m.destination));
                match kind.as_deref() {
                    Some("Gateway") => {
                        ctx.no_path(&id, "gateway endpoint (S3/DynamoDB), not IoT Core")
                    }
                    Some(t) => ctx.unproven(
                        &rt.route_table_id,
                        format!(
                            "route {} sends traffic to {t} endpoint {id} (inspection appliance)",
                            m.destination
                        ),
                    ),
                    None => ctx.unproven(
                        &rt.route_table_id,
                        format!("route target {id} is not in describe-vpc-endpoints"),
                    ),
                }
            }
            VpcTarget::VpnGateway(id) => {
                ctx.hop("vpn-gateway", &id, format!("route {}", m.destination));
                ctx.no_path(&id, "traffic leaves the VPC to a virtual private gateway (VPN / Direct Connect), not IoT Core")
            }
            VpcTarget::Unknown { field, id } => ctx.unproven(
                &rt.route_table_id,
                format!(
                    "route {} has a target pathproof does not model ({field} {id})",
                    m.destination
                ),
            ),
        }
    }

    fn via_nat(&self, mut ctx: Ctx, id: &str) -> Vec<Branch> {
        let Some(nat) = self.model.nat_gateways.get(id).copied() else {
            return ctx.unproven(id, "NAT gateway is not in describe-nat-gateways");
        };
        ctx.hop(
            "nat-gateway",
            id,
            format!(
                "{} NAT in {}",
                nat.connectivity_type.as_deref().unwrap_or("public"),
                nat.subnet_id.as_deref().unwrap_or(&nat.vpc_id)
            ),
        );
        ctx.issues.push(Issue {
            rule: "PP002",
            resource: id.to_string(),
            detail: format!("path crosses NAT gateway {id}"),
        });
        if nat.state != "available" {
            return ctx.no_path(id, format!("NAT gateway is {}", nat.state));
        }
        let ips: Vec<IpNet> = nat
            .nat_gateway_addresses
            .iter()
            .filter_map(|a| a.private_ip.as_deref()?.parse::<IpAddr>().ok())
            .map(filters::host)
            .collect();
        if !ips.is_empty() {
            ctx.src.nets = ips;
        }
        ctx.src.groups.clear();
        let Some(subnet) = nat.subnet_id.clone() else {
            // A regional NAT gateway forwards per AZ through route tables not tied to a subnet.
            return ctx.unproven(id, "regional NAT gateway: onward routing is not modelled");
        };
        ctx.crossed.push((subnet.clone(), Crossing::Through));
        self.route_from_subnet(ctx, &subnet)
    }

    fn via_peering(&self, mut ctx: Ctx, id: &str, from_vpc: &str) -> Vec<Branch> {
        let Some(pcx) = self.model.peerings.get(id).copied() else {
            return ctx.unproven(
                id,
                "peering connection is not in describe-vpc-peering-connections",
            );
        };
        ctx.hop("vpc-peering-connection", id, "route");
        if pcx.status.as_ref().and_then(|s| s.code.as_deref()) != Some("active") {
            return ctx.no_path(id, "peering connection is not active");
        }
        let a = pcx.accepter_vpc_info.vpc_id.as_deref();
        let r = pcx.requester_vpc_info.vpc_id.as_deref();
        let peer = if a == Some(from_vpc) { r } else { a };
        let Some(peer) = peer.map(str::to_string) else {
            return ctx.unproven(id, "peering connection has no peer VPC id");
        };
        // Peering is not transitive: the packet is delivered only to an address of the peer VPC.
        let in_peer = self.model.vpcs.get(peer.as_str()).is_some_and(|v| {
            std::iter::once(&v.cidr_block)
                .chain(v.cidr_block_association_set.iter().map(|c| &c.cidr_block))
                .filter_map(|c| c.parse::<IpNet>().ok())
                .any(|n| n.contains(&ctx.dst))
        });
        if !in_peer {
            let dst = ctx.dst;
            return ctx.no_path(
                id,
                format!("{dst} is not in peer VPC {peer}; peering is not transitive"),
            );
        }
        ctx.hop("vpc", &peer, format!("delivered across {id}"));
        if let Mode::Return { vpc: expected } = &ctx.mode {
            return if expected.as_deref() == Some(peer.as_str()) {
                ctx.end(End::Returned { to: peer })
            } else {
                ctx.no_path(
                    &peer,
                    "reply is delivered to a peer VPC that is not the source",
                )
            };
        }
        self.deliver(ctx, &peer)
    }

    /// From a VPC into the Transit Gateway through the VPC's attachment in the source AZ.
    fn to_tgw(&self, mut ctx: Ctx, tgw: &str, vpc: &str, az: Option<&str>) -> Vec<Branch> {
        let Some(att) = self.model.tgw_vpc_attachment(tgw, vpc) else {
            ctx.hop("transit-gateway", tgw, "route");
            return ctx.no_path(tgw, format!("{vpc} has no available attachment to {tgw}"));
        };
        // AWS: resources in an AZ reach the TGW only through an attachment subnet in that AZ.
        if let Some(az) = az {
            let subnet_in_az = att.subnet_ids.iter().find(|s| {
                self.model.subnets.get(s.as_str()).is_some_and(|sn| {
                    sn.availability_zone_id
                        .as_deref()
                        .or(sn.availability_zone.as_deref())
                        == Some(az)
                })
            });
            match subnet_in_az {
                Some(s) => {
                    ctx.crossed.push((s.clone(), Crossing::IntoTgw));
                }
                None => {
                    ctx.hop(
                        "tgw-attachment",
                        &att.transit_gateway_attachment_id,
                        "route",
                    );
                    return ctx.no_path(
                        &att.transit_gateway_attachment_id,
                        format!("attachment has no subnet in Availability Zone {az}, so the source cannot reach the Transit Gateway"),
                    );
                }
            }
        }
        ctx.tgw_az = az.map(str::to_string);
        ctx.hop(
            "tgw-attachment",
            &att.transit_gateway_attachment_id.clone(),
            format!("{vpc} → {tgw}"),
        );
        self.enter_tgw(ctx, &att.transit_gateway_attachment_id.clone())
    }

    /// Route inside the Transit Gateway from the route table `attachment` is associated with.
    fn enter_tgw(&self, mut ctx: Ctx, attachment: &str) -> Vec<Branch> {
        if ctx.hops.len() > MAX_HOPS || !ctx.visited.insert(format!("tgw-in/{attachment}")) {
            return ctx.no_path(attachment, "routing loop");
        }
        let Some(rt) = self.model.tgw_route_table_of(attachment) else {
            return ctx.no_path(
                attachment,
                "attachment is not associated with a Transit Gateway route table",
            );
        };
        let Some(found) = self.model.lookup_tgw(rt, ctx.dst) else {
            return ctx.unproven(
                rt,
                "routes of this Transit Gateway route table are not in the snapshot",
            );
        };
        let m = match found {
            Ok(Some(m)) => m,
            Ok(None) => {
                ctx.hop("tgw-route-table", rt, "no route matches");
                let dst = ctx.dst;
                return ctx.no_path(rt, format!("no Transit Gateway route to {dst}"));
            }
            Err(e) => return ctx.unproven(rt, e.to_string()),
        };
        ctx.hop(
            "tgw-route-table",
            rt,
            format!(
                "{} route {} (associated with {attachment})",
                m.route_type, m.destination
            ),
        );
        if m.blackhole || m.attachments.is_empty() {
            return ctx.no_path(rt, format!("route {} is a blackhole", m.destination));
        }
        let mut out = Vec::new();
        for target in &m.attachments {
            out.extend(self.leave_tgw(ctx.clone(), target, &m.destination));
        }
        out
    }

    fn leave_tgw(&self, mut ctx: Ctx, attachment: &str, destination: &str) -> Vec<Branch> {
        let Some(att) = self.model.tgw_attachments.get(attachment).copied() else {
            return ctx.unproven(
                attachment,
                "attachment is not in describe-transit-gateway-attachments",
            );
        };
        if att.state != "available" {
            ctx.hop("tgw-attachment", attachment, format!("route {destination}"));
            return ctx.no_path(attachment, format!("attachment is {}", att.state));
        }
        match att.resource_type.as_str() {
            "vpc" => {
                let Some(vatt) = self.model.tgw_vpc_attachments.get(attachment).copied() else {
                    return ctx.unproven(
                        attachment,
                        "VPC attachment is not in describe-transit-gateway-vpc-attachments",
                    );
                };
                let vpc = vatt.vpc_id.clone();
                ctx.hop(
                    "tgw-attachment",
                    attachment,
                    format!("route {destination} → {vpc}"),
                );
                // The TGW delivers through the attachment subnet in the AZ where the packet
                // entered it, else through any; with appliance mode on it keeps one AZ per flow,
                // chosen by hash, so any subnet may be used. Branch once per distinct route
                // table and ACL.
                let appliance_mode = vatt
                    .options
                    .as_ref()
                    .and_then(|o| o.appliance_mode_support.as_deref())
                    == Some("enable");
                let mut subnets: Vec<&String> = vatt
                    .subnet_ids
                    .iter()
                    .filter(|s| {
                        appliance_mode
                            || ctx.tgw_az.is_none()
                            || self.model.subnets.get(s.as_str()).is_some_and(|sn| {
                                sn.availability_zone_id
                                    .as_deref()
                                    .or(sn.availability_zone.as_deref())
                                    == ctx.tgw_az.as_deref()
                            })
                    })
                    .collect();
                if subnets.is_empty() {
                    subnets = vatt.subnet_ids.iter().collect();
                }
                let mut seen = BTreeSet::new();
                let mut out = Vec::new();
                for s in subnets {
                    let key = (
                        self.model
                            .route_table_of_subnet(s)
                            .map(|r| r.route_table_id.clone()),
                        self.model
                            .nacl_of_subnet(s)
                            .map(|n| n.network_acl_id.clone()),
                    );
                    if !seen.insert(key) {
                        continue;
                    }
                    let mut c = ctx.clone();
                    c.crossed.push((s.clone(), Crossing::OutOfTgw));
                    out.extend(self.route_from_subnet(c, s));
                }
                if out.is_empty() {
                    return ctx.unproven(attachment, "VPC attachment has no subnets");
                }
                out
            }
            other => match attachment_kind(other) {
                AttachmentKind::OnPremises if ctx.mode == (Mode::Return { vpc: None }) => {
                    ctx.hop("tgw-attachment", attachment, format!("route {destination}"));
                    if let Transport::Internet { resource, why } =
                        attachment_transport(self.model, attachment)
                    {
                        ctx.issues.push(Issue {
                            rule: "PP008",
                            resource,
                            detail: format!(
                                "replies to on-premises leave over the internet: {why}"
                            ),
                        });
                    }
                    ctx.end(End::Returned {
                        to: attachment.to_string(),
                    })
                }
                AttachmentKind::OnPremises => {
                    ctx.hop("tgw-attachment", attachment, format!("route {destination}"));
                    ctx.no_path(
                        attachment,
                        format!("traffic leaves the Transit Gateway to a {other} attachment, not IoT Core"),
                    )
                }
                AttachmentKind::Peering => {
                    ctx.hop("tgw-attachment", attachment, format!("route {destination}"));
                    ctx.unproven(
                        attachment,
                        "Transit Gateway peering is not followed by this version",
                    )
                }
                AttachmentKind::Opaque | AttachmentKind::Vpc => {
                    ctx.hop("tgw-attachment", attachment, format!("route {destination}"));
                    ctx.unproven(
                        attachment,
                        format!("{other} attachment: what it forwards is not in the snapshot"),
                    )
                }
            },
        }
    }

    /// Deliver to the owner of `dst` inside `vpc`.
    fn deliver(&self, mut ctx: Ctx, vpc: &str) -> Vec<Branch> {
        if let Some(eni) = self.model.eni_by_ip(vpc, ctx.dst) {
            return self.at_interface(ctx, eni);
        }
        if let Some(lb) = self.load_balancer_with_address(vpc, ctx.dst) {
            ctx.hop(
                "load-balancer",
                &lb.load_balancer_arn,
                format!("address {}", ctx.dst),
            );
            return self.through_load_balancer(ctx, lb);
        }
        let dst = ctx.dst;
        ctx.no_path(
            vpc,
            format!("no network interface in {vpc} has address {dst}"),
        )
    }

    fn load_balancer_with_address(&self, vpc: &str, ip: IpAddr) -> Option<At<'s, LoadBalancer>> {
        let mut lbs: Vec<_> = self
            .model
            .load_balancers
            .values()
            .filter(|lb| lb.vpc_id.as_deref() == Some(vpc))
            .filter(|lb| {
                lb.availability_zones
                    .iter()
                    .flat_map(|z| &z.load_balancer_addresses)
                    .filter_map(|a| a.private_ipv4_address.as_deref())
                    .any(|a| a.parse::<IpAddr>().ok() == Some(ip))
            })
            .copied()
            .collect();
        lbs.sort_by(|a, b| a.load_balancer_arn.cmp(&b.load_balancer_arn));
        lbs.into_iter().next()
    }

    /// Check the filters of the leg that ends at `eni`, then classify the interface.
    fn at_interface(&self, mut ctx: Ctx, eni: At<'s, NetworkInterface>) -> Vec<Branch> {
        let eni_id = eni.network_interface_id.clone();
        self.check_filters(&mut ctx, eni);
        if let Some(ep) = self.model.endpoint_of_eni(&eni_id) {
            return self.at_endpoint(ctx, ep, &eni_id);
        }
        if eni.interface_type.as_deref() == Some("network_load_balancer") {
            if let Some(lb) = self.load_balancer_of_eni(eni) {
                ctx.hop(
                    "load-balancer",
                    &lb.load_balancer_arn,
                    format!("via {eni_id}"),
                );
                return self.through_load_balancer(ctx, lb);
            }
        }
        let what = match (&eni.attachment, eni.interface_type.as_deref()) {
            (Some(a), _) if a.instance_id.is_some() => format!(
                "network interface of instance {}",
                a.instance_id.as_deref().unwrap_or("")
            ),
            (_, Some(t)) => format!("network interface of type {t}"),
            _ => "network interface".to_string(),
        };
        ctx.hop("network-interface", &eni_id, format!("owns {}", ctx.dst));
        ctx.no_path(&eni_id, format!("{what}, not an IoT interface endpoint"))
    }

    fn load_balancer_of_eni(&self, eni: At<'s, NetworkInterface>) -> Option<At<'s, LoadBalancer>> {
        let suffix = eni.description.as_deref()?.strip_prefix("ELB ")?;
        self.model
            .load_balancers
            .values()
            .find(|lb| {
                lb.load_balancer_arn
                    .ends_with(&format!("loadbalancer/{suffix}"))
            })
            .copied()
    }

    fn at_endpoint(&self, mut ctx: Ctx, ep: At<'s, VpcEndpoint>, eni: &str) -> Vec<Branch> {
        let id = ep.vpc_endpoint_id.clone();
        ctx.hop(
            "vpc-endpoint",
            &id,
            format!("{} owns {} ({})", eni, ctx.dst, ep.service_name),
        );
        if !ep.state.eq_ignore_ascii_case("available") {
            return ctx.no_path(&id, format!("endpoint state is {}", ep.state));
        }
        if let Some(service) = iot_service_of(&ep.service_name) {
            if service != ctx.service {
                let wanted = ctx.service;
                return ctx.no_path(
                    &id,
                    format!(
                        "endpoint is for {}, but the name is for {}",
                        service.as_str(),
                        wanted.as_str()
                    ),
                );
            }
            if service == IotService::Data && !self.intent.approved_endpoints.contains(&id) {
                return ctx.no_path(
                    &id,
                    "iot.data endpoint is not an approved endpoint for aws:SourceVpce",
                );
            }
            let return_hops = self.check_return(&mut ctx, eni);
            let mut branches = ctx.end(End::IotEndpoint {
                endpoint: id,
                service: service.as_str().to_string(),
                network_interface: eni.to_string(),
            });
            branches[0].return_hops = return_hops;
            return branches;
        }
        if let Some(svc) = self.model.service_by_name(&ep.service_name) {
            ctx.hop(
                "endpoint-service",
                &svc.service_id,
                format!("service {}", ep.service_name),
            );
            if !svc.gateway_load_balancer_arns.is_empty() {
                return ctx.unproven(
                    &svc.service_id,
                    "endpoint service is backed by a Gateway Load Balancer (inspection appliance)",
                );
            }
            if svc.network_load_balancer_arns.is_empty() {
                return ctx.no_path(
                    &svc.service_id,
                    "endpoint service has no Network Load Balancer",
                );
            }
            let mut out = Vec::new();
            for arn in &svc.network_load_balancer_arns {
                let mut c = ctx.clone();
                let Some(lb) = self.model.load_balancers.get(arn.as_str()).copied() else {
                    out.extend(c.unproven(arn, "load balancer is not in describe-load-balancers"));
                    continue;
                };
                c.hop("load-balancer", arn, format!("backs {}", svc.service_id));
                out.extend(self.through_load_balancer(c, lb));
            }
            return out;
        }
        if ep.service_name.starts_with("com.amazonaws.vpce.") {
            return ctx.unproven(
                &id,
                format!(
                    "endpoint service {} is not in the snapshot (collect its owner's account)",
                    ep.service_name
                ),
            );
        }
        ctx.no_path(
            &id,
            format!("endpoint is for {}, not IoT Core", ep.service_name),
        )
    }

    /// A Network Load Balancer: listener on each port → target groups → targets, each of which
    /// must be an interface of an approved iot.data endpoint. Continues the walk to each target.
    fn through_load_balancer(&self, ctx: Ctx, lb: At<'s, LoadBalancer>) -> Vec<Branch> {
        let arn = lb.load_balancer_arn.clone();
        let mut ctx = ctx;
        let rule = match lb.exposure() {
            Exposure::Internal => None,
            Exposure::InternetFacing => Some("PP012"),
            // No Scheme (and not a Gateway Load Balancer): unknown, never assumed internal.
            Exposure::Unknown => Some("PP016"),
        };
        if let Some(rule) = rule {
            ctx.issues.push(Issue {
                rule,
                resource: arn.clone(),
                detail: format!(
                    "load balancer {} has scheme {}",
                    lb.load_balancer_name,
                    lb.scheme_text()
                ),
            });
        }
        let listeners = self.model.listeners(lb);
        let mut out = Vec::new();
        for port in ctx.ports.clone() {
            let mut c = ctx.clone();
            c.ports = vec![port];
            let Some(listener) = listeners.iter().find(|l| l.port == Some(i64::from(port))) else {
                out.extend(c.no_path(
                    &arn,
                    format!("load balancer has no listener on port {port}"),
                ));
                continue;
            };
            c.hop("listener", &listener.listener_arn, format!("port {port}"));
            // A load balancer with security groups filters client traffic, PrivateLink traffic
            // included (EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic defaults to on;
            // the attribute is not in the snapshot, so the stricter setting is assumed).
            if !lb.security_groups.is_empty() {
                if let Err(b) = filters::security_groups_admit(
                    self.model,
                    &lb.security_groups,
                    &c.src.nets,
                    &c.src.groups,
                    port,
                ) {
                    c.issues.push(block_issue("PP006", b));
                }
            }
            let mut groups: Vec<String> = Vec::new();
            for action in &listener.default_actions {
                if action.r#type != "forward" {
                    continue;
                }
                if let Some(fc) = &action.forward_config {
                    groups.extend(fc.target_groups.iter().map(|t| t.target_group_arn.clone()));
                }
                if let Some(tg) = &action.target_group_arn {
                    groups.push(tg.clone());
                }
            }
            groups.sort();
            groups.dedup();
            if groups.is_empty() {
                out.extend(c.no_path(
                    &listener.listener_arn,
                    "listener does not forward to a target group",
                ));
                continue;
            }
            for tg_arn in groups {
                out.extend(self.to_targets(c.clone(), lb, &tg_arn));
            }
        }
        out
    }

    fn to_targets(&self, mut ctx: Ctx, lb: At<'s, LoadBalancer>, tg_arn: &str) -> Vec<Branch> {
        let Some(tg) = self.model.target_groups.get(tg_arn).copied() else {
            return ctx.unproven(tg_arn, "target group is not in describe-target-groups");
        };
        ctx.hop("target-group", tg_arn, tg.target_group_name.clone());
        let targets = self.model.target_health(tg);
        if targets.is_empty() {
            return ctx.no_path(tg_arn, "target group has no registered targets");
        }
        let target_type = tg.target_type.as_deref().unwrap_or("ip");
        // Sources of the second leg: the load balancer's own addresses (client IP preservation
        // is off by default for IP targets), and its security groups.
        let mut lb_nets: Vec<IpNet> = lb
            .availability_zones
            .iter()
            .flat_map(|z| &z.load_balancer_addresses)
            .filter_map(|a| a.private_ipv4_address.as_deref()?.parse::<IpAddr>().ok())
            .map(filters::host)
            .collect();
        if lb_nets.is_empty() {
            lb_nets = crate::dns::load_balancer_eni_ips(self.model, &lb.load_balancer_arn)
                .into_iter()
                .map(filters::host)
                .collect();
        }
        let lb_subnets: Vec<String> = lb
            .availability_zones
            .iter()
            .filter_map(|z| z.subnet_id.clone())
            .collect();
        if lb_nets.is_empty() {
            lb_nets = lb_subnets
                .iter()
                .filter_map(|s| {
                    self.model
                        .subnets
                        .get(s.as_str())?
                        .cidr_block
                        .as_deref()?
                        .parse::<IpNet>()
                        .ok()
                })
                .collect();
        }
        let mut out = Vec::new();
        for t in targets {
            let mut c = ctx.clone();
            if target_type != "ip" {
                c.issues.push(Issue {
                    rule: "PP013",
                    resource: tg_arn.to_string(),
                    detail: format!(
                        "target {} is of type {target_type}, not an IoT endpoint address",
                        t.target.id
                    ),
                });
                c.hop("target", &t.target.id, format!("{target_type} target"));
                out.extend(c.no_path(
                    &t.target.id,
                    format!("{target_type} target is not an IoT endpoint"),
                ));
                continue;
            }
            let Ok(ip) = t.target.id.parse::<IpAddr>() else {
                out.extend(c.unproven(
                    tg_arn,
                    format!("target id {:?} is not an address", t.target.id),
                ));
                continue;
            };
            let approved = self.model.enis_with_ip(ip).into_iter().any(|eni| {
                self.model
                    .endpoint_of_eni(&eni.network_interface_id)
                    .is_some_and(|ep| {
                        iot_service_of(&ep.service_name) == Some(IotService::Data)
                            && self.intent.approved_endpoints.contains(&ep.vpc_endpoint_id)
                    })
            });
            if !approved {
                c.issues.push(Issue {
                    rule: "PP013",
                    resource: tg_arn.to_string(),
                    detail: format!(
                        "target {ip} is not an address of an approved iot.data endpoint"
                    ),
                });
            }
            let port = t
                .target
                .port
                .or(tg.port)
                .and_then(|p| u16::try_from(p).ok())
                .or_else(|| c.ports.first().copied())
                .unwrap_or(443);
            c.hop(
                "target",
                &t.target.id,
                format!("{} port {port}", tg.target_group_name),
            );
            // Walk from the load balancer's subnet in the target's AZ (else its first subnet).
            let target_az = self
                .model
                .enis_with_ip(ip)
                .first()
                .and_then(|e| self.model.subnets.get(e.subnet_id.as_str()))
                .and_then(|s| {
                    s.availability_zone_id
                        .clone()
                        .or_else(|| s.availability_zone.clone())
                });
            let start = lb_subnets
                .iter()
                .find(|s| {
                    self.model.subnets.get(s.as_str()).is_some_and(|sn| {
                        sn.availability_zone_id
                            .clone()
                            .or_else(|| sn.availability_zone.clone())
                            == target_az
                    })
                })
                .or(lb_subnets.first())
                .cloned();
            let Some(start) = start else {
                out.extend(c.unproven(&lb.load_balancer_arn, "load balancer has no subnets"));
                continue;
            };
            c.dst = ip;
            c.ports = vec![port];
            c.src = Src {
                nets: lb_nets.clone(),
                groups: lb.security_groups.clone(),
                subnet: Some(start.clone()),
            };
            c.crossed.clear();
            c.tgw_az = None;
            c.service = IotService::Data;
            out.extend(self.route_from_subnet(c, &start));
        }
        out
    }

    /// Walk the reply from the endpoint interface's subnet back to the source (the first address
    /// of each source range). A reply that does not get back is a broken path (PP005), or an
    /// unproven one (PP016). Returns the hops of the first return walk, for the report.
    fn check_return(&self, ctx: &mut Ctx, eni: &str) -> Vec<Hop> {
        if ctx.mode != Mode::Forward {
            return Vec::new();
        }
        let Some(subnet) = self.model.enis.get(eni).map(|e| e.subnet_id.clone()) else {
            return Vec::new();
        };
        let expected = match &ctx.src.subnet {
            Some(s) => match self.model.subnets.get(s.as_str()) {
                Some(sn) => Some(sn.vpc_id.clone()),
                None => return Vec::new(),
            },
            None => None,
        };
        let mut first_hops = Vec::new();
        let addresses: Vec<IpAddr> = ctx
            .src
            .nets
            .iter()
            .flat_map(|n| self.model.representatives(*n))
            .collect();
        for net in addresses {
            let back = Ctx {
                mode: Mode::Return {
                    vpc: expected.clone(),
                },
                src: Src {
                    nets: vec![filters::host(ctx.dst)],
                    groups: Vec::new(),
                    subnet: Some(subnet.clone()),
                },
                dst: net,
                ports: ctx.ports.clone(),
                service: ctx.service,
                hops: Vec::new(),
                crossed: Vec::new(),
                tgw_az: None,
                issues: Vec::new(),
                visited: BTreeSet::new(),
            };
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
                    End::IotEndpoint { endpoint, .. } => {
                        ("PP005", endpoint, "reply reaches an endpoint".to_string())
                    }
                };
                ctx.issues.push(Issue {
                    rule,
                    resource: resource.clone(),
                    detail: format!("return path from {eni} to {net} ends at {resource}: {reason}"),
                });
            }
        }
        first_hops
    }

    /// Security groups of the destination interface and network ACLs of every subnet crossed.
    fn check_filters(&self, ctx: &mut Ctx, eni: At<'s, NetworkInterface>) {
        let groups: Vec<String> = eni.groups.iter().map(|g| g.group_id.clone()).collect();
        for &port in &ctx.ports {
            if let Err(b) = filters::security_groups_admit(
                self.model,
                &groups,
                &ctx.src.nets,
                &ctx.src.groups,
                port,
            ) {
                ctx.issues.push(block_issue("PP006", b));
            }
        }
        let eph = self.intent.ephemeral_ports;
        let dst_subnet = eni.subnet_id.clone();
        let dst = filters::host(ctx.dst);
        let is_attachment = |subnet: &str| {
            ctx.crossed
                .iter()
                .any(|(s, c)| s == subnet && *c != Crossing::Through)
        };
        let mut checks: Vec<(String, Direction, IpNet, (u16, u16))> = Vec::new();
        // Same subnet: network ACLs are not evaluated at all.
        let origin = ctx.src.subnet.clone().filter(|s| *s != dst_subnet);
        for &port in &ctx.ports {
            let fwd = (port, port);
            if let Some(o) = &origin {
                // Request leaves the origin subnet; the reply comes back into it. When the origin
                // is itself the attachment subnet the packet enters the TGW from, AWS evaluates
                // only the attachment-subnet rules below.
                if !is_attachment(o) {
                    checks.push((o.clone(), Direction::Outbound, dst, fwd));
                    checks.push((o.clone(), Direction::Inbound, dst, eph));
                }
            }
            // Delivery from the TGW to an interface in the attachment subnet itself is not
            // evaluated at all.
            let same_subnet_delivery =
                |s: &String, how: &Crossing| *s == dst_subnet && *how == Crossing::OutOfTgw;
            for (s, how) in ctx
                .crossed
                .iter()
                .filter(|(s, how)| !same_subnet_delivery(s, how))
            {
                match how {
                    Crossing::IntoTgw => {
                        // VPC → TGW: inbound rules for the request, outbound for the reply.
                        for net in &ctx.src.nets {
                            checks.push((s.clone(), Direction::Inbound, *net, fwd));
                            checks.push((s.clone(), Direction::Outbound, *net, eph));
                        }
                    }
                    Crossing::OutOfTgw => {
                        // TGW → VPC: outbound rules for the request, inbound for the reply.
                        checks.push((s.clone(), Direction::Outbound, dst, fwd));
                        checks.push((s.clone(), Direction::Inbound, dst, eph));
                    }
                    Crossing::Through => {
                        for net in &ctx.src.nets {
                            checks.push((s.clone(), Direction::Inbound, *net, fwd));
                            checks.push((s.clone(), Direction::Outbound, *net, eph));
                        }
                        checks.push((s.clone(), Direction::Outbound, dst, fwd));
                        checks.push((s.clone(), Direction::Inbound, dst, eph));
                    }
                }
            }
            // Request enters the destination subnet; the reply leaves it.
            if ctx.src.subnet.as_deref() != Some(dst_subnet.as_str()) && !is_attachment(&dst_subnet)
            {
                for net in &ctx.src.nets {
                    checks.push((dst_subnet.clone(), Direction::Inbound, *net, fwd));
                    checks.push((dst_subnet.clone(), Direction::Outbound, *net, eph));
                }
            }
        }
        let mut seen = BTreeSet::new();
        for (subnet, dir, net, ports) in checks {
            let Some(acl) = self.model.nacl_of_subnet(&subnet) else {
                if seen.insert(format!("missing/{subnet}")) {
                    ctx.issues.push(Issue {
                        rule: "PP016",
                        resource: subnet.clone(),
                        detail: "subnet has no network ACL association in describe-network-acls"
                            .into(),
                    });
                }
                continue;
            };
            if let Err(b) = filters::nacl_allows(acl.item, dir, &net, ports) {
                let issue = block_issue("PP007", b);
                if seen.insert(format!("{}/{}", issue.resource, issue.detail)) {
                    ctx.issues.push(issue);
                }
            }
        }
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
