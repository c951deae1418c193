//! Network Load Balancers: listener on each port → target groups → targets, each the start of
//! a second leg from the load balancer's own addresses (the consumer path behind PrivateLink).
use std::net::IpAddr;

use ipnet::IpNet;

use super::super::filters;
use super::super::intent::{iot_service_of, IotService};
use super::{acl, block_issue, Branch, Ctx, Issue, Src, Walker};
use crate::graph::At;
use crate::snapshot::records::{Exposure, LoadBalancer, NetworkInterface};

impl<'a, 's> Walker<'a, 's> {
    pub(super) fn load_balancer_with_address(
        &self,
        vpc: &str,
        ip: IpAddr,
    ) -> Option<At<'s, LoadBalancer>> {
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

    pub(super) fn load_balancer_of_eni(
        &self,
        eni: At<'s, NetworkInterface>,
    ) -> Option<At<'s, LoadBalancer>> {
        let suffix = eni.description.as_deref()?.strip_prefix("ELB ")?;
        let tail = format!("loadbalancer/{suffix}");
        // A load balancer's interfaces are in its own Region: it creates one in each subnet it
        // is enabled in (Elastic Load Balancing, Network Load Balancers guide, "Availability
        // Zones and subnets"), and a subnet is in the VPC's Region. Of several
        // candidates (only an inconsistent snapshot has two ARNs ending alike) the lowest ARN,
        // so the answer never depends on the map's order.
        self.model
            .load_balancers
            .values()
            .filter(|lb| lb.loc.region == eni.loc.region && lb.load_balancer_arn.ends_with(&tail))
            .min_by(|a, b| a.load_balancer_arn.cmp(&b.load_balancer_arn))
            .copied()
    }

    /// A Network Load Balancer: listener on each port → target groups → targets, each of which
    /// must be an interface of an approved iot.data endpoint. Continues the walk to each target.
    pub(super) fn through_load_balancer(&self, ctx: Ctx, lb: At<'s, LoadBalancer>) -> Vec<Branch> {
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
        // Only an `active` load balancer routes traffic; `provisioning`, `active_impaired` and
        // `failed` are not proven to (ELB API reference, LoadBalancerState,
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerState.html).
        match lb.state.as_ref().and_then(|s| s.code.as_deref()) {
            Some("active") => {}
            Some(code) => {
                let code = code.to_string();
                return ctx.no_path(&arn, format!("load balancer is {code}, not active"));
            }
            None => {
                return ctx.unproven(
                    &arn,
                    "load balancer has no State.Code in describe-load-balancers",
                )
            }
        }
        let listeners = self.model.listeners(lb);
        let mut out = Vec::new();
        for port in ctx.flow.ports.clone() {
            let mut c = ctx.clone();
            c.flow.ports = vec![port];
            let Some(listener) = listeners.iter().find(|l| l.port == Some(i64::from(port))) else {
                out.extend(c.no_path(
                    &arn,
                    format!("load balancer has no listener on port {port}"),
                ));
                continue;
            };
            c.hop("listener", &listener.listener_arn, format!("port {port}"));
            // A TCP listener passes the client's TLS session through to the target, so the
            // device authenticates to IoT Core itself. A TLS listener terminates TLS at the load
            // balancer with its own certificate and opens a new connection to the target
            // (Network Load Balancer guide, "Listeners for your Network Load Balancers",
            // https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html):
            // the device's X.509 client certificate never reaches IoT Core, which authenticates
            // MQTT devices by mutual TLS (IoT developer guide, "Device communication protocols",
            // https://docs.aws.amazon.com/iot/latest/developerguide/protocols.html). Anything but
            // TCP is not proven to carry the device's connection.
            match listener.protocol.as_deref() {
                Some("TCP" | "TCP_UDP") => {}
                other => {
                    let what = other.unwrap_or("(no protocol)").to_string();
                    out.extend(c.unproven(
                        &listener.listener_arn,
                        format!("listener on port {port} uses {what}, not TCP: a TLS listener terminates the device's TLS session at the load balancer, so its client certificate does not reach IoT Core"),
                    ));
                    continue;
                }
            }
            // PrivateLink hop: every node's subnet ACL must admit the connection from, and the
            // replies to, every address (see `any_peer_acl`).
            for subnet in lb
                .availability_zones
                .iter()
                .filter_map(|z| z.subnet_id.as_deref())
            {
                self.any_peer_acl(
                    &mut c,
                    subnet,
                    filters::Direction::Inbound,
                    (port, port),
                    "load balancer node",
                );
                self.any_peer_acl(
                    &mut c,
                    subnet,
                    filters::Direction::Outbound,
                    self.intent.ephemeral_ports,
                    "load balancer node",
                );
            }
            // A load balancer with security groups filters client traffic, PrivateLink traffic
            // included (EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic defaults to on;
            // the attribute is not in the snapshot, so the stricter setting is assumed).
            if !lb.security_groups.is_empty() {
                if let Err(b) = filters::security_groups_admit(
                    self.model,
                    &lb.security_groups,
                    &c.src.nets,
                    &c.src.groups,
                    c.flow.proto,
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
                out.extend(self.to_targets(c.clone(), lb, &tg_arn, port));
            }
        }
        out
    }

    /// The load balancer's nodes: each subnet, and the addresses its node sends from (its
    /// private address in that zone, else its interfaces' addresses in the subnet, else the
    /// subnet's CIDR).
    fn nodes(&self, lb: At<'s, LoadBalancer>) -> Vec<(String, Vec<IpNet>)> {
        let eni_ips = crate::dns::load_balancer_eni_ips(self.model, &lb.load_balancer_arn);
        lb.availability_zones
            .iter()
            .filter_map(|z| {
                let subnet = z.subnet_id.clone()?;
                let mut nets: Vec<IpNet> = z
                    .load_balancer_addresses
                    .iter()
                    .filter_map(|a| a.private_ipv4_address.as_deref()?.parse::<IpAddr>().ok())
                    .map(filters::host)
                    .collect();
                if nets.is_empty() {
                    nets = eni_ips
                        .iter()
                        .filter(|ip| {
                            self.model
                                .enis_with_ip(**ip)
                                .iter()
                                .any(|e| e.subnet_id == subnet)
                        })
                        .copied()
                        .map(filters::host)
                        .collect();
                }
                if nets.is_empty() {
                    nets = self
                        .model
                        .subnets
                        .get(subnet.as_str())
                        .and_then(|s| s.cidr_block.as_deref()?.parse::<IpNet>().ok())
                        .into_iter()
                        .collect();
                }
                Some((subnet, nets))
            })
            .collect()
    }

    fn to_targets(
        &self,
        mut ctx: Ctx,
        lb: At<'s, LoadBalancer>,
        tg_arn: &str,
        listener_port: u16,
    ) -> Vec<Branch> {
        let Some(tg) = self.model.target_groups.get(tg_arn).copied() else {
            return ctx.unproven(tg_arn, "target group is not in describe-target-groups");
        };
        ctx.hop("target-group", tg_arn, tg.target_group_name.clone());
        let target_type = tg.target_type.as_deref().unwrap_or("ip");
        // A TLS (or UDP, …) target group does not carry the device's own TLS session to IoT
        // Core unchanged (see the listener check above).
        if target_type == "ip" && !matches!(tg.protocol.as_deref(), Some("TCP" | "TCP_UDP")) {
            let what = tg
                .protocol
                .as_deref()
                .unwrap_or("(no protocol)")
                .to_string();
            return ctx.unproven(
                tg_arn,
                format!("target group uses {what}, not TCP: the device's TLS session is not passed through to IoT Core"),
            );
        }
        let targets = self.model.target_health(tg);
        if targets.is_empty() {
            return ctx.no_path(tg_arn, "target group has no registered targets");
        }
        let Some(wanted) = ctx.service() else {
            return ctx.unproven(
                tg_arn,
                "a load balancer on the way to the Resolver endpoint",
            );
        };
        // Every node may forward to every target: with cross-zone load balancing (an attribute
        // not in the snapshot) a node forwards to targets in every zone ("Cross-zone load
        // balancing", Network Load Balancer guide,
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-cross-zone.html),
        // so each node → target leg is walked. The second leg's source is the node's own
        // address (client IP preservation is off for IP targets over TCP and always for
        // PrivateLink traffic, "Client IP preservation").
        let nodes = self.nodes(lb);
        if nodes.is_empty() {
            return ctx.unproven(&lb.load_balancer_arn, "load balancer has no subnets");
        }
        let mut out = Vec::new();
        // DescribeTargetHealth returns the targets as a set: walk them in (id, port) order so
        // the paths, and every report, do not depend on the order of the response.
        let mut targets: Vec<_> = targets.iter().collect();
        targets.sort_by(|a, b| (&a.target.id, a.target.port).cmp(&(&b.target.id, b.target.port)));
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
            // The targets must be the endpoint the name is for: an approved iot.data endpoint
            // for the data name; for another service's name the walk to the target decides
            // (it ends at that service's endpoint or not).
            if wanted == IotService::Data {
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
            }
            // The target receives the connection on its registered port (the group's port
            // unless registered with another, ELB API reference, TargetDescription `Port`). A
            // listener port that differs from it delivers MQTT to the endpoint's HTTPS port or
            // the reverse, which the documentation does not let one prove works.
            let port = t
                .target
                .port
                .or(tg.port)
                .and_then(|p| u16::try_from(p).ok())
                .unwrap_or(listener_port);
            c.hop(
                "target",
                &t.target.id,
                format!("{} port {port}", tg.target_group_name),
            );
            if port != listener_port {
                out.extend(c.unproven(
                    tg_arn,
                    format!("listener on port {listener_port} forwards to target {ip} on port {port}: the IoT endpoint serves another protocol there"),
                ));
                continue;
            }
            for (start, nets) in &nodes {
                let mut c = c.clone();
                c.dst = ip;
                c.dst_nets = vec![filters::host(ip)];
                c.flow.ports = vec![port];
                c.src = Src {
                    nets: nets.clone(),
                    groups: lb.security_groups.clone(),
                    subnet: Some(start.clone()),
                };
                c.acl = acl::Leg::default();
                c.tgw_az = None;
                out.extend(self.route_from_subnet(c, start));
            }
        }
        out
    }
}
