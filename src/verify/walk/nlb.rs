//! Network Load Balancers: listener on each port → target groups → targets, each the start of
//! a second leg from the load balancer's own addresses (the consumer path behind PrivateLink).
use std::net::IpAddr;

use ipnet::IpNet;

use super::super::filters;
use super::super::intent::{iot_service_of, IotService};
use super::{acl, block_issue, Branch, Ctx, Goal, Issue, Src, Walker};
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
        self.model
            .load_balancers
            .values()
            .find(|lb| {
                lb.load_balancer_arn
                    .ends_with(&format!("loadbalancer/{suffix}"))
            })
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
                .or_else(|| c.flow.ports.first().copied())
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
            c.dst_nets = vec![filters::host(ip)];
            c.flow.ports = vec![port];
            c.flow.goal = Goal::Iot(IotService::Data);
            c.src = Src {
                nets: lb_nets.clone(),
                groups: lb.security_groups.clone(),
                subnet: Some(start.clone()),
            };
            c.acl = acl::Leg::default();
            c.tgw_az = None;
            out.extend(self.route_from_subnet(c, &start));
        }
        out
    }
}
