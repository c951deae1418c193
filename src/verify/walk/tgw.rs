//! Into, through and out of a Transit Gateway.
use std::collections::BTreeSet;

use ipnet::IpNet;

use super::super::transport::{attachment_kind, attachment_transport, AttachmentKind, Transport};
use super::{subnet_az, Branch, Ctx, End, Issue, Mode, Walker, MAX_HOPS};

impl<'a, 's> Walker<'a, 's> {
    /// From a VPC into the Transit Gateway through the VPC's attachment subnet in the source AZ
    /// (Transit Gateway guide, "Transit gateway attachments to a VPC": resources in an AZ reach
    /// the transit gateway only through an attachment subnet in that AZ). When the source
    /// subnet's AZ is unknown, every attachment subnet is a possible way in.
    pub(super) fn to_tgw(
        &self,
        mut ctx: Ctx,
        tgw: &str,
        vpc: &str,
        az: Option<&str>,
    ) -> Vec<Branch> {
        let Some(att) = self.model.tgw_vpc_attachment(tgw, vpc) else {
            ctx.hop("transit-gateway", tgw, "route");
            return ctx.no_path(tgw, format!("{vpc} has no available attachment to {tgw}"));
        };
        let att_id = att.transit_gateway_attachment_id.clone();
        let ways_in: Vec<&String> = match az {
            Some(az) => att
                .subnet_ids
                .iter()
                .filter(|s| subnet_az(self.model, s).as_deref() == Some(az))
                .take(1)
                .collect(),
            None => att.subnet_ids.iter().collect(),
        };
        if ways_in.is_empty() {
            ctx.hop("tgw-attachment", &att_id, "route");
            let reason = match az {
                Some(az) => format!("attachment has no subnet in Availability Zone {az}, so the source cannot reach the Transit Gateway"),
                None => "VPC attachment has no subnets".to_string(),
            };
            return ctx.no_path(&att_id, reason);
        }
        ctx.tgw_az = az.map(str::to_string);
        ctx.hop("tgw-attachment", &att_id, format!("{vpc} → {tgw}"));
        let mut seen = BTreeSet::new();
        let ways_in: Vec<&String> = ways_in
            .into_iter()
            .filter(|s| {
                let acl = self
                    .model
                    .nacl_of_subnet(s)
                    .map(|n| n.network_acl_id.clone());
                seen.insert((acl, ctx.acl.at.as_deref() == Some(s.as_str())))
            })
            .collect();
        super::fan_out(ctx, ways_in, |mut c, s| {
            let (src, dst) = (c.src.nets.clone(), c.dst_nets.clone());
            c.acl.leave_for_tgw(s, &src, &dst);
            self.enter_tgw(c, &att_id)
        })
    }

    /// Route inside the Transit Gateway from the route table `attachment` is associated with.
    pub(super) fn enter_tgw(&self, mut ctx: Ctx, attachment: &str) -> Vec<Branch> {
        if ctx.hops.len() > MAX_HOPS || !ctx.visited.insert(format!("tgw-in/{attachment}")) {
            return ctx.no_path(attachment, "routing loop");
        }
        // The packet is in the Transit Gateway, in no subnet.
        ctx.acl.at = None;
        // An attachment associated with a policy table has its route table chosen per packet
        // by the table's rules (`tgw_policy.rs`).
        if let Some(assoc) = self.model.tgw_policy.association(attachment) {
            return self.enter_policy_table(ctx, attachment, assoc);
        }
        // The attachment's own record names a policy table whose association listing does not
        // show it (absent extension files, or a disagreeing collection): its rules decide, and
        // they are unknown.
        if let Some((ptb, state)) = self.model.tgw_policy_table_named_by(attachment) {
            ctx.hop(
                "tgw-policy-table",
                ptb,
                format!("associated with {attachment}"),
            );
            return ctx.unproven(
                ptb,
                format!(
                    "{attachment} is associated with policy table {ptb} ({}), whose associations are not in the snapshot's get-transit-gateway-policy-table-associations files: the route table its rules choose is unknown",
                    state.unwrap_or("state not shown")
                ),
            );
        }
        let Some(rt) = self.model.tgw_route_table_of(attachment) else {
            return ctx.no_path(
                attachment,
                "attachment is not associated with a Transit Gateway route table",
            );
        };
        self.route_in_tgw_table(ctx, rt, attachment)
    }

    /// Longest-prefix match in Transit Gateway route table `rt`, for a packet that entered
    /// through `attachment`, and out of the Transit Gateway.
    pub(super) fn route_in_tgw_table(
        &self,
        mut ctx: Ctx,
        rt: &str,
        attachment: &str,
    ) -> Vec<Branch> {
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
        super::fan_out(ctx, &m.attachments, |c, target| {
            self.leave_tgw(c, target, &m.destination)
        })
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
                // chosen by hash, so any subnet may be used (Transit Gateway guide, "Appliance
                // mode"). Branch once per distinct route table, ACL, and whether the subnet
                // holds the destination (delivery inside the attachment subnet evaluates no ACL).
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
                            || subnet_az(self.model, s) == ctx.tgw_az
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
                        self.subnet_holds(s, &ctx.dst_nets),
                    );
                    if !seen.insert(key) {
                        continue;
                    }
                    out.extend(self.route_from_subnet(ctx.clone(), s));
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
                    self.settle_acls(&mut ctx);
                    ctx.end(End::Returned {
                        to: attachment.to_string(),
                    })
                }
                AttachmentKind::OnPremises => {
                    ctx.hop("tgw-attachment", attachment, format!("route {destination}"));
                    let goal = ctx.goal_label();
                    ctx.no_path(
                        attachment,
                        format!("traffic leaves the Transit Gateway to a {other} attachment, not {goal}"),
                    )
                }
                AttachmentKind::Peering => self.via_tgw_peering(ctx, attachment, destination),
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

    /// Whether subnet `s` holds any of `nets` (its CIDR overlaps them).
    fn subnet_holds(&self, s: &str, nets: &[IpNet]) -> bool {
        self.model
            .subnets
            .get(s)
            .and_then(|sn| sn.cidr_block.as_deref()?.parse::<IpNet>().ok())
            .is_some_and(|c| nets.iter().any(|n| c.contains(n) || n.contains(&c)))
    }
}
