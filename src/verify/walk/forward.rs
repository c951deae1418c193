//! Routing inside a VPC (route table → target), NAT, peering, and what the packet reaches:
//! an interface, an interface endpoint, a Resolver inbound endpoint, a load balancer.
use std::net::IpAddr;

use ipnet::IpNet;

use super::super::intent::{iot_service_of, IotService};
use super::{target_label, Ctx, End, Goal, Issue, Mode, Walker, MAX_HOPS};
use crate::graph::At;
use crate::route::VpcTarget;
use crate::snapshot::records::{NetworkInterface, ResolverEndpoint, VpcEndpoint};

impl<'a, 's> Walker<'a, 's> {
    pub(super) fn route_from_subnet(&self, mut ctx: Ctx, subnet_id: &str) -> Vec<super::Branch> {
        if ctx.hops.len() > MAX_HOPS || !ctx.visited.insert(format!("subnet/{subnet_id}")) {
            return ctx.no_path(subnet_id, "routing loop");
        }
        let Some(subnet) = self.model.subnets.get(subnet_id).copied() else {
            return ctx.unproven(subnet_id, "subnet is not in describe-subnets");
        };
        ctx.acl.enter(subnet_id);
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
        let dns = matches!(ctx.flow.goal, Goal::ResolverInbound { .. });
        match m.target {
            VpcTarget::Local => {
                if let Mode::Return { vpc: expected } = &ctx.mode {
                    return if expected.as_deref() == Some(vpc) {
                        self.returned_to_vpc(ctx, vpc)
                    } else {
                        ctx.no_path(
                            vpc,
                            format!("reply is delivered locally in {vpc}, not to the source"),
                        )
                    };
                }
                self.deliver(ctx, vpc)
            }
            VpcTarget::InternetGateway(id) | VpcTarget::EgressOnlyInternetGateway(id) if dns => {
                ctx.hop("internet-gateway", &id, format!("route {}", m.destination));
                ctx.no_path(
                    &rt.route_table_id,
                    format!(
                        "route {} sends DNS to internet gateway {id}, not to the Resolver endpoint",
                        m.destination
                    ),
                )
            }
            VpcTarget::InternetGateway(id) | VpcTarget::EgressOnlyInternetGateway(id) => {
                ctx.hop("internet-gateway", &id, format!("route {}", m.destination));
                ctx.end(End::InternetGateway { gateway: id })
            }
            VpcTarget::NatGateway(id) if dns => {
                ctx.hop("nat-gateway", &id, format!("route {}", m.destination));
                ctx.no_path(
                    &rt.route_table_id,
                    format!("route {} sends DNS to NAT gateway {id}; the Resolver endpoint is reached by the local route only", m.destination),
                )
            }
            VpcTarget::NatGateway(id) => self.via_nat(ctx, &id),
            VpcTarget::TransitGateway(tgw) => {
                let az = super::subnet_az(self.model, subnet_id);
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
                    Some("GatewayLoadBalancer") => {
                        let rt_id = rt.route_table_id.clone();
                        self.through_inspection(ctx, &id, &rt_id, &m.destination)
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
                        super::inspect::unknown_endpoint_reason(&id),
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

    fn via_nat(&self, mut ctx: Ctx, id: &str) -> Vec<super::Branch> {
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
        let Some(subnet) = nat.subnet_id.clone() else {
            // A regional NAT gateway forwards per AZ through route tables not tied to a subnet.
            return ctx.unproven(id, "regional NAT gateway: onward routing is not modelled");
        };
        // The packet is delivered to the NAT gateway's interface in its subnet, then leaves it
        // with the NAT gateway's address as its source.
        let (src, dst) = (ctx.src.nets.clone(), ctx.dst_nets.clone());
        ctx.acl.deliver(&subnet, &src, &dst);
        let ips: Vec<IpNet> = nat
            .nat_gateway_addresses
            .iter()
            .filter_map(|a| a.private_ip.as_deref()?.parse::<IpAddr>().ok())
            .map(super::filters::host)
            .collect();
        if !ips.is_empty() {
            ctx.src.nets = ips;
        }
        ctx.src.groups.clear();
        self.route_from_subnet(ctx, &subnet)
    }

    fn via_peering(&self, mut ctx: Ctx, id: &str, from_vpc: &str) -> Vec<super::Branch> {
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
                self.returned_to_vpc(ctx, &peer)
            } else {
                ctx.no_path(
                    &peer,
                    "reply is delivered to a peer VPC that is not the source",
                )
            };
        }
        self.deliver(ctx, &peer)
    }

    /// Deliver to the owner of `dst` inside `vpc`.
    pub(super) fn deliver(&self, mut ctx: Ctx, vpc: &str) -> Vec<super::Branch> {
        if let Some(eni) = self.model.eni_by_ip(vpc, ctx.dst) {
            return self.at_interface(ctx, eni);
        }
        let dst = ctx.dst;
        if let Goal::ResolverInbound { endpoint } = &ctx.flow.goal {
            let endpoint = endpoint.clone();
            let host = self
                .resolver_endpoint(&endpoint)
                .map(|e| e.host_vpc_id.as_str());
            if host == Some(vpc) {
                return ctx.unproven(
                    &endpoint,
                    format!("no network interface in {vpc} has the Resolver endpoint's address {dst} in describe-network-interfaces"),
                );
            }
            return ctx.no_path(
                vpc,
                format!("the query is delivered in {vpc}, not in the Resolver endpoint's VPC"),
            );
        }
        if let Some(lb) = self.load_balancer_with_address(vpc, dst) {
            ctx.hop(
                "load-balancer",
                &lb.load_balancer_arn,
                format!("address {dst}"),
            );
            // The load balancer's interface is not in the snapshot, but the subnet of the node
            // with this address is: the packet is delivered into it (its inbound rules, and the
            // leaving subnet's outbound rules, apply), and the node answers from it.
            let node_subnet = lb
                .availability_zones
                .iter()
                .find(|z| {
                    z.load_balancer_addresses
                        .iter()
                        .filter_map(|a| a.private_ipv4_address.as_deref())
                        .any(|a| a.parse::<IpAddr>().ok() == Some(dst))
                })
                .and_then(|z| z.subnet_id.clone());
            let Some(node_subnet) = node_subnet else {
                return ctx.unproven(
                    &lb.load_balancer_arn,
                    format!("the load balancer node with address {dst} has no subnet in describe-load-balancers"),
                );
            };
            let (src, dst_nets) = (ctx.src.nets.clone(), ctx.dst_nets.clone());
            ctx.acl.deliver(&node_subnet, &src, &dst_nets);
            self.settle_acls(&mut ctx);
            self.check_return_from(&mut ctx, &node_subnet, &lb.load_balancer_arn);
            return self.through_load_balancer(ctx, lb);
        }
        ctx.no_path(
            vpc,
            format!("no network interface in {vpc} has address {dst}"),
        )
    }

    /// The end of a leg at `eni`: record the delivery into its subnet, check the filters, and
    /// classify the interface.
    fn at_interface(&self, mut ctx: Ctx, eni: At<'s, NetworkInterface>) -> Vec<super::Branch> {
        let eni_id = eni.network_interface_id.clone();
        let (src, dst) = (ctx.src.nets.clone(), ctx.dst_nets.clone());
        ctx.acl.deliver(&eni.subnet_id, &src, &dst);
        if let Goal::ResolverInbound { endpoint } = &ctx.flow.goal {
            let endpoint = endpoint.clone();
            return self.at_resolver(ctx, eni, &endpoint);
        }
        let groups: Vec<String> = eni.groups.iter().map(|g| g.group_id.clone()).collect();
        self.check_security_groups(&mut ctx, &groups);
        self.settle_acls(&mut ctx);
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
                // The load balancer answers the client: that reply is a leg of its own.
                self.check_return(&mut ctx, &eni_id);
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

    fn at_endpoint(&self, mut ctx: Ctx, ep: At<'s, VpcEndpoint>, eni: &str) -> Vec<super::Branch> {
        let id = ep.vpc_endpoint_id.clone();
        ctx.hop(
            "vpc-endpoint",
            &id,
            format!("{} owns {} ({})", eni, ctx.dst, ep.service_name),
        );
        if !ep.state.eq_ignore_ascii_case("available") {
            return ctx.no_path(&id, format!("endpoint state is {}", ep.state));
        }
        if let Some(stop) = self.cross_region_endpoint(&mut ctx, ep) {
            return stop;
        }
        if let Some(service) = iot_service_of(&ep.service_name) {
            let wanted = ctx.service();
            if Some(service) != wanted {
                return ctx.no_path(
                    &id,
                    format!(
                        "endpoint is for {}, but the name is for {}",
                        service.as_str(),
                        wanted
                            .map(IotService::as_str)
                            .unwrap_or("a Resolver endpoint")
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
            // Only an `Available` service accepts and carries connections; `Pending`,
            // `Deleting`, `Deleted` and `Failed` do not (EC2 API reference,
            // ServiceConfiguration `ServiceState`,
            // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ServiceConfiguration.html).
            match svc.service_state.as_deref() {
                Some("Available") => {}
                Some(state) => {
                    let state = state.to_string();
                    return ctx.no_path(
                        &svc.service_id,
                        format!("endpoint service is {state}, not Available"),
                    );
                }
                None => {
                    return ctx.unproven(
                        &svc.service_id,
                        "endpoint service has no ServiceState in describe-vpc-endpoint-service-configurations",
                    )
                }
            }
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
            // The endpoint's interface answers the consumer: that reply is a leg of its own.
            self.check_return(&mut ctx, eni);
            // PrivateLink hop: the endpoint's interface forwards the connection to the service
            // and receives its replies; the subnet's ACL must admit both for every address.
            if let Some(subnet) = self.model.enis.get(eni).map(|e| e.subnet_id.clone()) {
                for port in ctx.flow.ports.clone() {
                    self.any_peer_acl(
                        &mut ctx,
                        &subnet,
                        super::filters::Direction::Outbound,
                        (port, port),
                        "consumer endpoint interface",
                    );
                }
                self.any_peer_acl(
                    &mut ctx,
                    &subnet,
                    super::filters::Direction::Inbound,
                    self.intent.ephemeral_ports,
                    "consumer endpoint interface",
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

    /// A DNS walk reached `eni`, which owns the Resolver endpoint address it was sent to. The
    /// interface must be the endpoint's (AWS describes it as `Route 53 Resolver: <endpoint>:…`);
    /// the endpoint's security groups (and the interface's, if they differ) must admit the query
    /// from every on-premises address ("Inbound and outbound rules must allow TCP and UDP access.
    /// For inbound access, open port 53", Route 53 Resolver API, `ResolverEndpoint`
    /// `SecurityGroupIds`); then the reply must get back.
    fn at_resolver(
        &self,
        mut ctx: Ctx,
        eni: At<'s, NetworkInterface>,
        endpoint: &str,
    ) -> Vec<super::Branch> {
        let eni_id = eni.network_interface_id.clone();
        ctx.hop(
            "network-interface",
            &eni_id,
            format!("owns {} ({})", ctx.dst, endpoint),
        );
        let owned = eni
            .description
            .as_deref()
            .is_some_and(|d| d.starts_with(&format!("Route 53 Resolver: {endpoint}:")));
        let Some(ep) = self.resolver_endpoint(endpoint) else {
            return ctx.unproven(
                endpoint,
                "Resolver endpoint is not in list-resolver-endpoints",
            );
        };
        if eni.vpc_id != ep.host_vpc_id {
            let vpc = eni.vpc_id.clone();
            return ctx.no_path(
                &vpc,
                format!("the query is delivered in {vpc}, not in the Resolver endpoint's VPC"),
            );
        }
        if !owned {
            return ctx.unproven(
                &eni_id,
                format!(
                    "network interface owns the address of {endpoint} but is not described as that Resolver endpoint's ({:?})",
                    eni.description.as_deref().unwrap_or("")
                ),
            );
        }
        let eni_groups: Vec<String> = eni.groups.iter().map(|g| g.group_id.clone()).collect();
        self.check_security_groups(&mut ctx, &ep.security_group_ids);
        let mut a = eni_groups.clone();
        let mut b = ep.security_group_ids.clone();
        a.sort();
        b.sort();
        if a != b {
            self.check_security_groups(&mut ctx, &eni_groups);
        }
        self.settle_acls(&mut ctx);
        let return_hops = self.check_return(&mut ctx, &eni_id);
        let mut branches = ctx.end(End::ResolverEndpoint {
            endpoint: endpoint.to_string(),
            network_interface: eni_id,
        });
        branches[0].return_hops = return_hops;
        branches
    }

    fn resolver_endpoint(&self, id: &str) -> Option<&'s ResolverEndpoint> {
        self.model
            .snapshot
            .regional
            .iter()
            .flat_map(|r| r.resolver_endpoints.iter())
            .find(|e| e.id == id)
    }
}
