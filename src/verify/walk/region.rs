//! Leaving the Region: Transit Gateway peering attachments and cross-Region PrivateLink.
//!
//! - A Transit Gateway peering attachment carries traffic to a transit gateway in another Region
//!   (or account) over the AWS global network (Transit Gateway guide, "Transit gateway peering
//!   attachments"). Both sides associate the attachment with their own route tables, so the
//!   peer side's routing is not this side's; the walk does not follow it: the path is unproven
//!   naming the attachment (PP016), and PP025 says that it leaves the Region.
//! - An interface endpoint whose `ServiceRegion` differs from its own Region reaches a service
//!   in another Region (PrivateLink guide, "Cross-Region connectivity"; EC2 API reference,
//!   `VpcEndpoint.ServiceRegion`). The traffic stays on AWS's network: PP025 names the endpoint
//!   and the walk goes on. An IoT Core endpoint of another Region serves that Region's IoT Core,
//!   whose endpoint names and policies are not the ones proven here: unproven.
use super::super::intent::iot_service_of;
use super::{Branch, Ctx, Issue, Walker};
use crate::graph::At;
use crate::snapshot::records::VpcEndpoint;

impl<'a, 's> Walker<'a, 's> {
    pub(super) fn via_tgw_peering(
        &self,
        mut ctx: Ctx,
        attachment: &str,
        destination: &str,
    ) -> Vec<Branch> {
        ctx.hop(
            "tgw-attachment",
            attachment,
            format!("route {destination} (Transit Gateway peering)"),
        );
        let att = self.model.tgw_attachments.get(attachment).copied();
        let here = att.map(|a| a.loc.region).unwrap_or("");
        let peer_tgw = att.and_then(|a| a.resource_id.clone()).unwrap_or_default();
        let peer_region = self
            .model
            .tgw_route_tables
            .values()
            .filter(|t| t.transit_gateway_id == peer_tgw)
            .map(|t| t.loc.region)
            // A transit gateway is in one Region; the lowest keeps the message independent
            // of the map's order even on an inconsistent snapshot.
            .min()
            .map(str::to_string);
        let whither = match &peer_region {
            Some(r) if r != here => format!("Region {r}"),
            Some(_) => "the same Region".to_string(),
            None => "a Region not in the snapshot".to_string(),
        };
        ctx.issues.push(Issue {
            rule: "PP025",
            resource: attachment.to_string(),
            detail: format!(
                "path to {} leaves {here} over Transit Gateway peering attachment {attachment} to transit gateway {peer_tgw} in {whither}",
                ctx.dst
            ),
        });
        ctx.unproven(
            attachment,
            format!("Transit Gateway peering to {peer_tgw} ({whither}): the peer transit gateway's routing is not followed"),
        )
    }

    /// PP025 for an interface endpoint that reaches a service in another Region; `Some` ends
    /// the branch (an IoT Core endpoint of another Region).
    pub(super) fn cross_region_endpoint(
        &self,
        ctx: &mut Ctx,
        ep: At<'s, VpcEndpoint>,
    ) -> Option<Vec<Branch>> {
        let here = ep.loc.region;
        let from_name = ep
            .service_name
            .strip_prefix("com.amazonaws.")
            .and_then(|r| r.split('.').next())
            .filter(|r| crate::snapshot::valid::region_ok(r).is_ok() && *r != "vpce");
        let there = ep.service_region.as_deref().or(from_name)?;
        if there == here {
            return None;
        }
        let id = ep.vpc_endpoint_id.clone();
        ctx.issues.push(Issue {
            rule: "PP025",
            resource: id.clone(),
            detail: format!(
                "endpoint {id} in {here} connects to {} in Region {there} (cross-Region PrivateLink)",
                ep.service_name
            ),
        });
        if iot_service_of(&ep.service_name).is_some() {
            let c = ctx.clone();
            return Some(c.unproven(
                &id,
                format!("endpoint serves IoT Core in Region {there}, not the {here} IoT Core whose names and policies are proven"),
            ));
        }
        None
    }
}
