//! The topology graph: a petgraph of resources and their relations (VPC ⊃ subnet → route
//! table → target, attachment → TGW route table, endpoint → ENI, endpoint service → NLB), for
//! `pathproof graph`. Built from the [`Model`] on demand; verification walks the model's
//! indexes and never reads it.
use petgraph::graph::{DiGraph, NodeIndex};

use super::{HashMap, Model, Node, Relation};
use crate::report::escape::dot;
use crate::snapshot::Regional;

#[derive(Default)]
pub struct Topology {
    graph: DiGraph<Node, Relation>,
    node_index: HashMap<Node, NodeIndex>,
}

impl Topology {
    /// Every Region's relations, in snapshot order.
    pub fn build(model: &Model<'_>) -> Topology {
        let mut t = Topology::default();
        for r in &model.snapshot.regional {
            t.link_regional(model, r);
        }
        t
    }

    fn node(&mut self, kind: &'static str, id: &str) -> NodeIndex {
        let node = Node {
            kind,
            id: id.to_string(),
        };
        if let Some(&i) = self.node_index.get(&node) {
            return i;
        }
        let i = self.graph.add_node(node.clone());
        self.node_index.insert(node, i);
        i
    }

    fn edge(
        &mut self,
        from: (&'static str, &str),
        to: (&'static str, &str),
        kind: &'static str,
        detail: String,
    ) {
        let a = self.node(from.0, from.1);
        let b = self.node(to.0, to.1);
        self.graph.add_edge(a, b, Relation { kind, detail });
    }

    /// Relations between resources, for the topology graph.
    fn link_regional(&mut self, model: &Model<'_>, r: &Regional) {
        for s in &r.subnets {
            self.edge(
                ("vpc", &s.vpc_id),
                ("subnet", &s.subnet_id),
                "contains",
                String::new(),
            );
            if let Some(rt) = model.route_table_of_subnet(&s.subnet_id) {
                let rt = rt.route_table_id.clone();
                self.edge(
                    ("subnet", &s.subnet_id),
                    ("route-table", &rt),
                    "routes-via",
                    String::new(),
                );
            }
        }
        for t in &r.route_tables {
            for route in &t.routes {
                let dest = route
                    .destination_cidr_block
                    .clone()
                    .or_else(|| route.destination_ipv6_cidr_block.clone())
                    .or_else(|| route.destination_prefix_list_id.clone())
                    .unwrap_or_default();
                let (kind, id) = match crate::route::vpc_target(route) {
                    crate::route::VpcTarget::Local => continue,
                    crate::route::VpcTarget::InternetGateway(id) => ("internet-gateway", id),
                    crate::route::VpcTarget::EgressOnlyInternetGateway(id) => {
                        ("egress-only-internet-gateway", id)
                    }
                    crate::route::VpcTarget::NatGateway(id) => ("nat-gateway", id),
                    crate::route::VpcTarget::TransitGateway(id) => ("transit-gateway", id),
                    crate::route::VpcTarget::Peering(id) => ("vpc-peering-connection", id),
                    crate::route::VpcTarget::NetworkInterface(id) => ("network-interface", id),
                    crate::route::VpcTarget::Instance(id) => ("instance", id),
                    crate::route::VpcTarget::VpcEndpoint(id) => ("vpc-endpoint", id),
                    crate::route::VpcTarget::VpnGateway(id) => ("vpn-gateway", id),
                    crate::route::VpcTarget::Unknown { id, .. } => ("unknown", id),
                };
                self.edge(
                    ("route-table", &t.route_table_id),
                    (kind, &id),
                    "route",
                    dest,
                );
            }
        }
        for e in &r.vpc_endpoints {
            self.edge(
                ("vpc", &e.vpc_id),
                ("vpc-endpoint", &e.vpc_endpoint_id),
                "contains",
                e.service_name.clone(),
            );
            for eni in &e.network_interface_ids {
                self.edge(
                    ("vpc-endpoint", &e.vpc_endpoint_id),
                    ("network-interface", eni),
                    "has-interface",
                    String::new(),
                );
            }
        }
        for a in &r.tgw_attachments {
            if let Some(res) = &a.resource_id {
                self.edge(
                    ("transit-gateway", &a.transit_gateway_id),
                    ("tgw-attachment", &a.transit_gateway_attachment_id),
                    "attachment",
                    String::new(),
                );
                self.edge(
                    ("tgw-attachment", &a.transit_gateway_attachment_id),
                    (resource_kind(&a.resource_type), res),
                    "attaches",
                    a.resource_type.clone(),
                );
            }
        }
        for (rt, routes) in &r.tgw_routes {
            for route in routes {
                for att in route
                    .transit_gateway_attachments
                    .iter()
                    .filter_map(|a| a.transit_gateway_attachment_id.as_deref())
                {
                    self.edge(
                        ("tgw-route-table", rt),
                        ("tgw-attachment", att),
                        "route",
                        route.destination_cidr_block.clone().unwrap_or_default(),
                    );
                }
            }
        }
        for s in &r.service_configurations {
            for lb in &s.network_load_balancer_arns {
                self.edge(
                    ("endpoint-service", &s.service_id),
                    ("load-balancer", lb),
                    "backed-by",
                    String::new(),
                );
            }
        }
    }

    /// The graph in Graphviz DOT.
    pub fn to_dot(&self) -> String {
        let mut out = String::from("digraph pathproof {\n  rankdir=LR;\n");
        for i in self.graph.node_indices() {
            let n = &self.graph[i];
            // Ids come from the snapshot: escaped for a DOT quoted string (no quote or
            // backslash breaks out of the label, no control character reaches the output).
            out.push_str(&format!(
                "  n{} [label=\"{}\\n{}\"];\n",
                i.index(),
                dot(n.kind),
                dot(&n.id)
            ));
        }
        for e in self.graph.edge_indices() {
            if let Some((a, b)) = self.graph.edge_endpoints(e) {
                let r = &self.graph[e];
                let label = if r.detail.is_empty() {
                    r.kind.to_string()
                } else {
                    format!("{} {}", r.kind, r.detail)
                };
                out.push_str(&format!(
                    "  n{} -> n{} [label=\"{}\"];\n",
                    a.index(),
                    b.index(),
                    dot(&label)
                ));
            }
        }
        out.push_str("}\n");
        out
    }
}

fn resource_kind(resource_type: &str) -> &'static str {
    match resource_type {
        "vpc" => "vpc",
        "vpn" => "vpn-connection",
        "direct-connect-gateway" => "direct-connect-gateway",
        "peering" => "transit-gateway",
        "connect" => "tgw-connect",
        _ => "unknown",
    }
}
