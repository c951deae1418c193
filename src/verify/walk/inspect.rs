//! Inspection hops: a route whose target is a Gateway Load Balancer endpoint (`vpce-…` of type
//! `GatewayLoadBalancer`). AWS Network Firewall endpoints are such endpoints too: the firewall
//! creates one per firewall subnet, and route tables name it as the target (Network Firewall
//! guide, "VPC route table configuration for AWS Network Firewall": "Create a route table for the
//! firewall endpoint so that it directs … traffic"; Elastic Load Balancing guide, "Gateway Load
//! Balancer endpoints": the appliance returns inspected traffic to the endpoint, which forwards
//! it). The endpoint is a pass-through hop: traffic the appliance lets through leaves the
//! endpoint by the route table of the endpoint's subnet, so the walk continues from that subnet.
//!
//! What the appliance or firewall allows, drops or rewrites is not in the snapshot: every path
//! through one carries PP024 (a warning naming the endpoint), and its hop says so in every report
//! format. With Transit Gateway appliance mode the TGW keeps a flow in one AZ, chosen by hash
//! (Transit Gateway guide, "Appliance mode"): [`super::tgw`] then walks every attachment subnet.
//!
//! An endpoint the route names that `describe-vpc-endpoints` does not list cannot be followed:
//! unproven naming it (pathproof does not read `network-firewall describe-firewall`; the route's
//! endpoint record is what gives the subnet).
use super::{Branch, Ctx, Issue, Walker};

impl<'a, 's> Walker<'a, 's> {
    /// The route in `rt` for `destination` sends the packet to Gateway Load Balancer endpoint `id`.
    pub(super) fn through_inspection(
        &self,
        mut ctx: Ctx,
        id: &str,
        rt: &str,
        destination: &str,
    ) -> Vec<Branch> {
        let Some(ep) = self.model.endpoints.get(id).copied() else {
            return ctx.unproven(rt, unknown_endpoint_reason(id));
        };
        // The routing step named the endpoint as a plain `vpc-endpoint` hop: this hop replaces
        // it, saying what it is.
        if ctx.hops.last().is_some_and(|h| h.id == id) {
            ctx.hops.pop();
        }
        ctx.hop(
            "inspection-endpoint",
            id,
            format!(
                "route {destination} → Gateway Load Balancer endpoint ({}); inspection rules are not proven",
                ep.service_name
            ),
        );
        ctx.issues.push(Issue {
            rule: "PP024",
            resource: id.to_string(),
            detail: format!(
                "traffic to {} passes inspection endpoint {id} ({}) by route {destination} in {rt}; what the firewall or appliance behind it allows, drops or rewrites is not proven",
                ctx.dst, ep.service_name
            ),
        });
        if !ep.state.eq_ignore_ascii_case("available") {
            return ctx.no_path(id, format!("endpoint state is {}", ep.state));
        }
        // A Gateway Load Balancer endpoint lives in exactly one subnet (VPC API reference,
        // `CreateVpcEndpoint`: "For a Gateway Load Balancer endpoint, you can specify only one
        // subnet").
        let subnet = match ep.subnet_ids.as_slice() {
            [one] => one.clone(),
            [] => return ctx.unproven(id, "Gateway Load Balancer endpoint has no subnet"),
            _ => {
                return ctx.unproven(
                    id,
                    "Gateway Load Balancer endpoint lists several subnets; which one forwards is not known",
                )
            }
        };
        // The packet is delivered into the endpoint's subnet, then leaves it by that subnet's
        // route table, with its addresses unchanged (the appliance is transparent).
        let (src, dst) = (ctx.src.nets.clone(), ctx.dst_nets.clone());
        ctx.acl.deliver(&subnet, &src, &dst);
        self.route_from_subnet(ctx, &subnet)
    }
}

/// Why a route target `vpce-…` that `describe-vpc-endpoints` does not list stops the walk.
pub(super) fn unknown_endpoint_reason(id: &str) -> String {
    format!("route target {id} is not in describe-vpc-endpoints (an inspection endpoint, e.g. AWS Network Firewall, is followed only through its describe-vpc-endpoints record)")
}
