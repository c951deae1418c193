//! Applying the plan's changes to the snapshot's records, one resource type at a time.
//!
//! Attribute names are the Terraform AWS provider's (registry.terraform.io/providers/hashicorp/aws,
//! "Resources": aws_route, aws_route_table, aws_route_table_association, aws_internet_gateway,
//! aws_route53_zone_association, aws_vpc_endpoint_service, aws_vpc_endpoint_service_allowed_principal,
//! aws_iot_policy, aws_iot_policy_attachment); the records built are the AWS CLI shapes the
//! snapshot holds (EC2/Route 53/IoT API references), so the rest of the flow cannot tell a planned
//! record from a collected one except by its placeholder id.
use std::collections::BTreeSet;

use anyhow::Context;
use serde_json::{json, Map, Value};

use super::refs::Refs;
use super::{placeholder, Action, Change, Overlay, Plan, Unproven};
use crate::snapshot::records::*;
use crate::snapshot::Snapshot;

/// The types this version applies exactly; every other AWS type goes through [`generic`].
pub const MODELLED: &[&str] = &[
    "aws_route_table",
    "aws_internet_gateway",
    "aws_egress_only_internet_gateway",
    "aws_nat_gateway",
    "aws_main_route_table_association",
    "aws_route53_zone",
    "aws_route",
    "aws_route_table_association",
    "aws_route53_zone_association",
    "aws_vpc_endpoint_service",
    "aws_vpc_endpoint_service_allowed_principal",
    "aws_iot_policy",
    "aws_iot_policy_attachment",
];

/// Types that decide a path or a policy proof (issue 11's list): not modelled here, they are
/// unproven wherever they touch a resource on a path, and everywhere when they cannot be scoped.
const ON_PATH_TYPES: &[&str] = &[
    "aws_default_route_table",
    "aws_vpc_peering_connection",
    "aws_vpc_peering_connection_accepter",
    "aws_ec2_transit_gateway",
    "aws_ec2_transit_gateway_route",
    "aws_ec2_transit_gateway_route_table",
    "aws_ec2_transit_gateway_route_table_association",
    "aws_ec2_transit_gateway_route_table_propagation",
    "aws_ec2_transit_gateway_vpc_attachment",
    "aws_ec2_transit_gateway_vpc_attachment_accepter",
    "aws_vpn_connection",
    "aws_vpn_gateway",
    "aws_vpc_endpoint",
    "aws_vpc_endpoint_subnet_association",
    "aws_vpc_endpoint_security_group_association",
    "aws_vpc_endpoint_policy",
    "aws_lb",
    "aws_lb_listener",
    "aws_lb_target_group",
    "aws_lb_target_group_attachment",
    "aws_route53_zone",
    "aws_route53_record",
    "aws_route53_resolver_rule",
    "aws_route53_resolver_rule_association",
    "aws_route53_resolver_endpoint",
    "aws_security_group",
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
    "aws_network_acl",
    "aws_network_acl_rule",
    "aws_network_acl_association",
    "aws_default_network_acl",
    "aws_default_security_group",
    "aws_subnet",
    "aws_vpc",
    "aws_vpc_dhcp_options",
    "aws_vpc_dhcp_options_association",
    "aws_network_interface",
    "aws_ec2_managed_prefix_list",
    "aws_ec2_managed_prefix_list_entry",
];

pub fn apply(snapshot: &mut Snapshot, plan: &Plan) -> anyhow::Result<Overlay> {
    let mut o = Overlay {
        file: plan.file.clone(),
        sha256: plan.sha256.clone(),
        ..Default::default()
    };
    for (address, actions) in &plan.unknown_actions {
        o.unproven.push(Unproven {
            address: address.clone(),
            reason: format!("actions {actions} are not ones this version knows"),
            scope: None,
            policy: false,
        });
    }
    let refs = Refs::new(&plan.changes, &plan.configuration);
    // Containers first (route tables, gateways, policies), then what goes into them.
    let order = |c: &Change| match c.rtype.as_str() {
        "aws_route_table"
        | "aws_internet_gateway"
        | "aws_egress_only_internet_gateway"
        | "aws_nat_gateway"
        | "aws_iot_policy" => 0,
        _ => 1,
    };
    let mut changes: Vec<&Change> = plan.changes.iter().collect();
    changes.sort_by_key(|c| order(c));
    for c in changes {
        let ctx = || format!("{}: {}", plan.file, c.json_path);
        match c.rtype.as_str() {
            "aws_route_table" => route_table(snapshot, c, &refs, &mut o).with_context(ctx)?,
            "aws_route" => route(snapshot, c, &refs, &mut o).with_context(ctx)?,
            "aws_route_table_association" => association(snapshot, c, &refs, &mut o),
            "aws_internet_gateway" => internet_gateway(snapshot, c, &refs, &mut o),
            "aws_egress_only_internet_gateway" => egress_only_gateway(snapshot, c, &refs, &mut o),
            "aws_nat_gateway" => nat_gateway(snapshot, c, &refs, &mut o).with_context(ctx)?,
            "aws_main_route_table_association" => main_association(snapshot, c, &refs, &mut o),
            "aws_route53_zone" => zone(snapshot, c, &mut o),
            "aws_route53_zone_association" => zone_association(snapshot, c, &refs, &mut o),
            "aws_vpc_endpoint_service" => endpoint_service(snapshot, c, &mut o),
            "aws_vpc_endpoint_service_allowed_principal" => allowed_principal(snapshot, c, &mut o),
            "aws_iot_policy" => iot_policy(snapshot, c, plan, &mut o),
            "aws_iot_policy_attachment" => iot_attachment(snapshot, c, &refs, &mut o),
            _ => generic(snapshot, c, &refs, &mut o),
        }
    }
    for u in &mut o.unproven {
        if let Some(scope) = &mut u.scope {
            *scope = expand(snapshot, scope);
        }
    }
    Ok(o)
}

// ------------------------------------------------------------------ lookups

fn vpc_home(s: &Snapshot, vpc: &str) -> Option<usize> {
    s.regional
        .iter()
        .position(|r| r.vpcs.iter().any(|v| v.vpc_id == vpc))
}

fn find_rtb<'a>(s: &'a mut Snapshot, id: &str) -> Option<&'a mut RouteTable> {
    s.regional
        .iter_mut()
        .flat_map(|r| r.route_tables.iter_mut())
        .find(|t| t.route_table_id == id)
}

/// The value of `attr` after the change: known, resolved to a planned resource's placeholder, or
/// `Err(reason)` when it is unknown until apply and no reference resolves it.
fn after_value(c: &Change, refs: &Refs, attr: &str) -> Result<Option<String>, String> {
    if c.unknown(attr) {
        return refs
            .resolve(c, attr)
            .map(Some)
            .ok_or_else(|| format!("{attr} is known only after apply"));
    }
    Ok(c.after_str(attr).map(str::to_string))
}

/// Ids a change's values mention (AWS ids, ARNs, hosted zone ids, placeholders).
fn ids_in(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::String(s) if looks_like_id(s) => {
            out.insert(s.clone());
        }
        Value::Array(a) => a.iter().for_each(|x| ids_in(x, out)),
        Value::Object(m) => m.values().for_each(|x| ids_in(x, out)),
        _ => {}
    }
}

fn looks_like_id(s: &str) -> bool {
    if s.starts_with("arn:") || s.contains("-planned:") {
        return true;
    }
    let zone = s.len() >= 10
        && s.starts_with('Z')
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    let aws = match s.rsplit_once('-') {
        Some((prefix, hex)) => {
            !prefix.is_empty()
                && prefix
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && (8..=17).contains(&hex.len())
                && hex.chars().all(|c| c.is_ascii_hexdigit())
        }
        None => false,
    };
    zone || aws
}

/// Add the VPCs the scoped resources live in: paths name VPCs (subnet hops), not every security
/// group, network ACL or zone they cross.
fn expand(s: &Snapshot, ids: &[String]) -> Vec<String> {
    let mut out: BTreeSet<String> = ids.iter().cloned().collect();
    let has = |id: &str| ids.iter().any(|x| x == id);
    for r in &s.regional {
        let mut add = |owner: &str, vpc: &str| {
            if has(owner) {
                out.insert(vpc.to_string());
            }
        };
        r.subnets.iter().for_each(|x| add(&x.subnet_id, &x.vpc_id));
        r.route_tables
            .iter()
            .for_each(|x| add(&x.route_table_id, &x.vpc_id));
        r.network_acls
            .iter()
            .for_each(|x| add(&x.network_acl_id, &x.vpc_id));
        r.nat_gateways
            .iter()
            .for_each(|x| add(&x.nat_gateway_id, &x.vpc_id));
        r.vpc_endpoints
            .iter()
            .for_each(|x| add(&x.vpc_endpoint_id, &x.vpc_id));
        r.tgw_vpc_attachments
            .iter()
            .for_each(|x| add(&x.transit_gateway_attachment_id, &x.vpc_id));
        for g in &r.security_groups {
            if let Some(v) = &g.vpc_id {
                add(&g.group_id, v);
            }
        }
        for lb in &r.load_balancers {
            if let Some(v) = &lb.vpc_id {
                add(&lb.load_balancer_arn, v);
            }
        }
        for igw in &r.internet_gateways {
            for a in &igw.attachments {
                add(&igw.internet_gateway_id, &a.vpc_id);
            }
        }
    }
    for g in &s.global {
        for (zone, detail) in &g.zone_details {
            if has(zone) || has(&detail.hosted_zone.id) {
                out.extend(detail.vpcs.iter().map(|v| v.vpc_id.clone()));
            }
        }
    }
    out.into_iter().collect()
}

// ------------------------------------------------------------------ routes

/// Terraform route target attribute → AWS CLI route field (aws_route / aws_route_table `route`
/// docs; EC2 API Reference, Route). A Gateway Load Balancer endpoint route shows its `vpce-` id in
/// `GatewayId` in describe-route-tables.
const TARGETS: &[(&str, &str)] = &[
    ("gateway_id", "GatewayId"),
    ("nat_gateway_id", "NatGatewayId"),
    ("transit_gateway_id", "TransitGatewayId"),
    ("vpc_peering_connection_id", "VpcPeeringConnectionId"),
    ("egress_only_gateway_id", "EgressOnlyInternetGatewayId"),
    ("network_interface_id", "NetworkInterfaceId"),
    ("carrier_gateway_id", "CarrierGatewayId"),
    ("local_gateway_id", "LocalGatewayId"),
    ("core_network_arn", "CoreNetworkArn"),
    ("vpc_endpoint_id", "GatewayId"),
];

/// Build an AWS CLI route from Terraform route attributes. `dest` names the destination
/// attributes (aws_route: `destination_*`; aws_route_table `route`: `cidr_block`, …).
/// `value(attr)` is the attribute's value or `Err(reason)` when it is unknown and unresolved;
/// `Ok(Err(reason))` is a route that cannot be proven.
fn build_route(
    dest: [&str; 3],
    value: &dyn Fn(&str) -> Result<Option<String>, String>,
) -> anyhow::Result<Result<Route, String>> {
    let mut m = Map::new();
    for (attr, field) in dest.iter().zip([
        "DestinationCidrBlock",
        "DestinationIpv6CidrBlock",
        "DestinationPrefixListId",
    ]) {
        match value(attr) {
            Ok(Some(v)) => {
                m.insert(field.into(), json!(v));
            }
            Ok(None) => {}
            Err(why) => return Ok(Err(why)),
        }
    }
    let mut targets = Vec::new();
    let mut unknown = Vec::new();
    for (attr, field) in TARGETS {
        match value(attr) {
            Ok(Some(v)) => targets.push((*field, v)),
            Ok(None) => {}
            Err(why) => unknown.push((*attr, why)),
        }
    }
    // `network_interface_id` is also computed (filled in for instance routes): unknown next to
    // a known target it is that target's, not a second one.
    if !targets.is_empty() {
        unknown.retain(|(a, _)| *a != "network_interface_id");
    }
    if let Some((_, why)) = unknown.into_iter().next() {
        return Ok(Err(why));
    }
    // "You must specify one of the following targets" (aws_route docs; EC2 CreateRoute).
    if targets.len() != 1 {
        return Ok(Err(format!(
            "the route has {} targets, not exactly one",
            targets.len()
        )));
    }
    let (field, v) = targets.remove(0);
    m.insert(field.into(), json!(v));
    m.insert("Origin".into(), json!("CreateRoute"));
    m.insert("State".into(), json!("active"));
    if !m.contains_key("DestinationCidrBlock")
        && !m.contains_key("DestinationIpv6CidrBlock")
        && !m.contains_key("DestinationPrefixListId")
    {
        return Ok(Err("the route has no destination".into()));
    }
    let route: Route = serde_json::from_value(Value::Object(m))
        .map_err(|e| anyhow::anyhow!("not a valid route: {e}"))?;
    Ok(Ok(route))
}

fn same_destination(a: &Route, b: &Route) -> bool {
    a.destination_cidr_block == b.destination_cidr_block
        && a.destination_ipv6_cidr_block == b.destination_ipv6_cidr_block
        && a.destination_prefix_list_id == b.destination_prefix_list_id
}

fn known(v: &Value) -> impl Fn(&str) -> Result<Option<String>, String> + '_ {
    move |attr| Ok(str_of(v, attr))
}

fn str_of(v: &Value, attr: &str) -> Option<String> {
    v.get(attr)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

const ROUTE_DEST: [&str; 3] = [
    "destination_cidr_block",
    "destination_ipv6_cidr_block",
    "destination_prefix_list_id",
];
const INLINE_DEST: [&str; 3] = [
    "cidr_block",
    "ipv6_cidr_block",
    "destination_prefix_list_id",
];

/// `aws_route`: one route in a route table.
fn route(s: &mut Snapshot, c: &Change, refs: &Refs, o: &mut Overlay) -> anyhow::Result<()> {
    if matches!(c.action, Action::Delete | Action::Replace | Action::Update) {
        let rtb = c.before_str("route_table_id").unwrap_or("").to_string();
        if let Ok(old) = build_route(ROUTE_DEST, &known(&c.before))? {
            match find_rtb(s, &rtb) {
                Some(t) => {
                    t.routes.retain(|r| !same_destination(r, &old));
                    o.touch(&rtb, &c.address);
                }
                None => o.unproven(
                    c,
                    format!("route table {rtb} is not in the snapshot"),
                    Some(vec![rtb.clone()]),
                ),
            }
        }
    }
    if c.action == Action::Delete {
        return Ok(());
    }
    let rtb = match after_value(c, refs, "route_table_id") {
        Ok(Some(id)) => id,
        Ok(None) | Err(_) => {
            o.unproven(c, "route_table_id is known only after apply", None);
            return Ok(());
        }
    };
    let value = |attr: &str| after_value(c, refs, attr);
    let built = build_route(ROUTE_DEST, &value)?;
    let Some(t) = find_rtb(s, &rtb) else {
        o.unproven(
            c,
            format!("route table {rtb} is not in the snapshot"),
            Some(vec![rtb.clone()]),
        );
        return Ok(());
    };
    match built {
        Ok(new) => {
            t.routes.retain(|r| !same_destination(r, &new));
            t.routes.push(new);
            o.touch(&rtb, &c.address);
            o.applied += 1;
        }
        Err(why) => o.unproven(c, why, Some(vec![rtb])),
    }
    Ok(())
}

/// `aws_route_table` with inline `route` blocks. The provider's `route` set lists the table's
/// routes except the local route (and routes from propagation), so an update applies the
/// difference between `before.route` and `after.route`.
fn route_table(s: &mut Snapshot, c: &Change, refs: &Refs, o: &mut Overlay) -> anyhow::Result<()> {
    let routes_of = |v: &Value| -> Vec<Value> {
        v.get("route")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let old_id = c.before_str("id").map(str::to_string);
    if matches!(c.action, Action::Delete | Action::Replace) {
        if let Some(id) = &old_id {
            for r in &mut s.regional {
                r.route_tables.retain(|t| &t.route_table_id != id);
            }
            o.touch(id, &c.address);
        }
        if c.action == Action::Delete {
            return Ok(());
        }
    }
    let id = match (c.action, &old_id) {
        (Action::Update, Some(id)) => id.clone(),
        _ => placeholder(&c.rtype, &c.address),
    };
    if c.action != Action::Update {
        // A new table: the local route for each VPC CIDR ("Every route table contains a local
        // route for communication within the VPC", VPC guide, route tables).
        let vpc = match after_value(c, refs, "vpc_id") {
            Ok(Some(v)) => v,
            _ => {
                o.unproven(c, "vpc_id is known only after apply", None);
                return Ok(());
            }
        };
        let Some(home) = vpc_home(s, &vpc) else {
            // A table in a VPC that is not in the snapshot (a VPC this plan creates) is on no
            // path of the snapshot.
            o.unproven(
                c,
                format!("VPC {vpc} is not in the snapshot"),
                Some(vec![vpc]),
            );
            return Ok(());
        };
        let v = s.regional[home]
            .vpcs
            .iter()
            .find(|x| x.vpc_id == vpc)
            .cloned()
            .expect("vpc_home found it");
        let mut cidrs = vec![v.cidr_block.clone()];
        for a in &v.cidr_block_association_set {
            let active = a
                .cidr_block_state
                .as_ref()
                .and_then(|x| x.state.as_deref())
                .is_none_or(|x| x == "associated");
            if active && !cidrs.contains(&a.cidr_block) {
                cidrs.push(a.cidr_block.clone());
            }
        }
        let routes = cidrs
            .into_iter()
            .map(|cidr| {
                serde_json::from_value(json!({"DestinationCidrBlock": cidr, "GatewayId": "local",
                    "Origin": "CreateRouteTable", "State": "active"}))
                .expect("a valid local route")
            })
            .collect();
        let owner = s.regional[home].account.clone();
        s.regional[home].route_tables.push(RouteTable {
            route_table_id: id.clone(),
            vpc_id: vpc,
            owner_id: Some(owner),
            routes,
            associations: Vec::new(),
        });
    }
    o.touch(&id, &c.address);
    if c.unknown("route") {
        let unknown_all = c.after_unknown.get("route") == Some(&Value::Bool(true));
        let any = c
            .after_unknown
            .get("route")
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(super::any_true));
        if unknown_all || any {
            o.unproven(
                c,
                "inline routes are known only after apply",
                Some(vec![id]),
            );
            return Ok(());
        }
    }
    let before = if c.action == Action::Update {
        routes_of(&c.before)
    } else {
        Vec::new()
    };
    let after = routes_of(&c.after);
    let Some(t) = find_rtb(s, &id) else {
        return Ok(());
    };
    for gone in before.iter().filter(|b| !after.contains(b)) {
        if let Ok(old) = build_route(INLINE_DEST, &known(gone))? {
            t.routes.retain(|r| !same_destination(r, &old));
        }
    }
    for new in after.iter().filter(|a| !before.contains(a)) {
        match build_route(INLINE_DEST, &known(new))? {
            Ok(r) => {
                t.routes.retain(|x| !same_destination(x, &r));
                t.routes.push(r);
            }
            Err(why) => {
                o.unproven(c, format!("inline route: {why}"), Some(vec![id.clone()]));
            }
        }
    }
    o.applied += 1;
    Ok(())
}

/// `aws_route_table_association`: a subnet's explicit association (a subnet is associated with
/// one route table at a time; without an explicit one it uses the main table — VPC guide,
/// "Subnet route tables"). A `gateway_id` (edge) association is not modelled.
fn association(s: &mut Snapshot, c: &Change, refs: &Refs, o: &mut Overlay) {
    let subnet_before = c.before_str("subnet_id").map(str::to_string);
    if matches!(c.action, Action::Delete | Action::Replace | Action::Update) {
        if let Some(subnet) = &subnet_before {
            for t in s
                .regional
                .iter_mut()
                .flat_map(|r| r.route_tables.iter_mut())
            {
                let n = t.associations.len();
                t.associations
                    .retain(|a| a.main || a.subnet_id.as_deref() != Some(subnet));
                if t.associations.len() != n {
                    o.touch(&t.route_table_id, &c.address);
                }
            }
            o.touch(subnet, &c.address);
        } else if let Some(g) = c.before_str("gateway_id") {
            o.unproven(
                c,
                "gateway (edge) route table associations are not modelled",
                Some(vec![g.to_string()]),
            );
        }
    }
    if c.action == Action::Delete {
        return;
    }
    if c.after_str("gateway_id").is_some() || c.unknown("gateway_id") {
        let mut scope = Vec::new();
        if let Some(g) = c.after_str("gateway_id") {
            scope.push(g.to_string());
        }
        if let Some(t) = c.after_str("route_table_id") {
            scope.push(t.to_string());
        }
        o.unproven(
            c,
            "gateway (edge) route table associations are not modelled",
            (!scope.is_empty()).then_some(scope),
        );
        return;
    }
    let (subnet, rtb) = match (
        after_value(c, refs, "subnet_id"),
        after_value(c, refs, "route_table_id"),
    ) {
        (Ok(Some(s)), Ok(Some(t))) => (s, t),
        (Ok(Some(sub)), _) => {
            o.unproven(
                c,
                "route_table_id is known only after apply",
                Some(vec![sub]),
            );
            return;
        }
        _ => {
            o.unproven(c, "subnet_id is known only after apply", None);
            return;
        }
    };
    for t in s
        .regional
        .iter_mut()
        .flat_map(|r| r.route_tables.iter_mut())
    {
        t.associations
            .retain(|a| a.main || a.subnet_id.as_deref() != Some(subnet.as_str()));
    }
    let Some(t) = find_rtb(s, &rtb) else {
        o.unproven(
            c,
            format!("route table {rtb} is not in the snapshot"),
            Some(vec![subnet]),
        );
        return;
    };
    t.associations.push(RouteTableAssociation {
        main: false,
        subnet_id: Some(subnet.clone()),
        gateway_id: None,
        association_state: Some(StateCode {
            state: Some("associated".into()),
        }),
    });
    o.touch(&rtb, &c.address);
    o.touch(&subnet, &c.address);
    o.applied += 1;
}

/// `aws_internet_gateway` (`vpc_id` attaches it).
fn internet_gateway(s: &mut Snapshot, c: &Change, refs: &Refs, o: &mut Overlay) {
    let old = c.before_str("id").map(str::to_string);
    if matches!(c.action, Action::Delete | Action::Replace) {
        if let Some(id) = &old {
            for r in &mut s.regional {
                r.internet_gateways.retain(|g| &g.internet_gateway_id != id);
            }
            o.touch(id, &c.address);
        }
        if c.action == Action::Delete {
            return;
        }
    }
    let id = match (c.action, old) {
        (Action::Update, Some(id)) => id,
        _ => placeholder(&c.rtype, &c.address),
    };
    let vpc = match after_value(c, refs, "vpc_id") {
        Ok(v) => v,
        Err(why) => {
            o.unproven(c, why, Some(vec![id]));
            return;
        }
    };
    for r in &mut s.regional {
        r.internet_gateways.retain(|g| g.internet_gateway_id != id);
    }
    let home = vpc.as_deref().and_then(|v| vpc_home(s, v)).unwrap_or(0);
    if let Some(r) = s.regional.get_mut(home) {
        r.internet_gateways.push(InternetGateway {
            internet_gateway_id: id.clone(),
            owner_id: Some(r.account.clone()),
            attachments: vpc
                .into_iter()
                .map(|v| GatewayAttachment {
                    vpc_id: v,
                    state: Some("available".into()),
                })
                .collect(),
        });
    }
    o.touch(&id, &c.address);
    o.applied += 1;
}

/// `aws_egress_only_internet_gateway` (`vpc_id`): IPv6 outbound to the internet.
fn egress_only_gateway(s: &mut Snapshot, c: &Change, refs: &Refs, o: &mut Overlay) {
    let old = c.before_str("id").map(str::to_string);
    if let Some(id) = old.as_ref().filter(|_| c.action != Action::Create) {
        for r in &mut s.regional {
            r.egress_only_internet_gateways
                .retain(|g| &g.egress_only_internet_gateway_id != id);
        }
        o.touch(id, &c.address);
    }
    if c.action == Action::Delete {
        return;
    }
    let id = match (c.action, old) {
        (Action::Update, Some(id)) => id,
        _ => placeholder(&c.rtype, &c.address),
    };
    let vpc = match after_value(c, refs, "vpc_id") {
        Ok(v) => v,
        Err(why) => return o.unproven(c, why, Some(vec![id])),
    };
    let home = vpc.as_deref().and_then(|v| vpc_home(s, v)).unwrap_or(0);
    if let Some(r) = s.regional.get_mut(home) {
        r.egress_only_internet_gateways
            .push(EgressOnlyInternetGateway {
                egress_only_internet_gateway_id: id.clone(),
                attachments: vpc
                    .into_iter()
                    .map(|v| GatewayAttachment {
                        vpc_id: v,
                        state: Some("attached".into()),
                    })
                    .collect(),
            });
    }
    o.touch(&id, &c.address);
    o.applied += 1;
}

/// `aws_nat_gateway` (`subnet_id`, `connectivity_type` public|private, `private_ip`): a NAT
/// gateway in its subnet (VPC guide, NAT gateways). Its private address, when known only after
/// apply, decides the filters after it: the paths through it are unproven.
fn nat_gateway(s: &mut Snapshot, c: &Change, refs: &Refs, o: &mut Overlay) -> anyhow::Result<()> {
    let old = c.before_str("id").map(str::to_string);
    if let Some(id) = old.as_ref().filter(|_| c.action != Action::Create) {
        for r in &mut s.regional {
            r.nat_gateways.retain(|g| &g.nat_gateway_id != id);
        }
        o.touch(id, &c.address);
    }
    if c.action == Action::Delete {
        return Ok(());
    }
    let id = match (c.action, old) {
        (Action::Update, Some(id)) => id,
        _ => placeholder(&c.rtype, &c.address),
    };
    o.touch(&id, &c.address);
    let subnet = match after_value(c, refs, "subnet_id") {
        Ok(Some(v)) => v,
        Ok(None) => {
            o.unproven(
                c,
                "a NAT gateway without subnet_id (regional NAT) is not modelled",
                Some(vec![id]),
            );
            return Ok(());
        }
        Err(why) => {
            o.unproven(c, why, Some(vec![id]));
            return Ok(());
        }
    };
    let home = s.regional.iter().enumerate().find_map(|(i, r)| {
        r.subnets
            .iter()
            .find(|x| x.subnet_id == subnet)
            .map(|x| (i, x.vpc_id.clone()))
    });
    let Some((home, vpc)) = home else {
        o.unproven(
            c,
            format!("subnet {subnet} is not in the snapshot"),
            Some(vec![id]),
        );
        return Ok(());
    };
    let private_ip = if c.unknown("private_ip") {
        o.unproven(
            c,
            "private_ip is known only after apply",
            Some(vec![id.clone()]),
        );
        None
    } else {
        c.after_str("private_ip").map(str::to_string)
    };
    let nat: NatGateway = serde_json::from_value(json!({
        "NatGatewayId": id,
        "VpcId": vpc,
        "SubnetId": subnet,
        "State": "available",
        "ConnectivityType": c.after_str("connectivity_type").unwrap_or("public"),
        "NatGatewayAddresses": match &private_ip {
            Some(ip) => json!([{ "PrivateIp": ip }]),
            None => json!([]),
        },
    }))
    .map_err(|e| anyhow::anyhow!("not a valid NAT gateway: {e}"))?;
    s.regional[home].nat_gateways.push(nat);
    o.applied += 1;
    Ok(())
}

/// `aws_main_route_table_association` (`vpc_id`, `route_table_id`): which table is the VPC's
/// main table, used by every subnet without an explicit association (VPC guide, "Main route
/// table"). Deleting it restores the VPC's original main table, which the plan does not show.
fn main_association(s: &mut Snapshot, c: &Change, refs: &Refs, o: &mut Overlay) {
    let vpc = c
        .after_str("vpc_id")
        .or(c.before_str("vpc_id"))
        .map(str::to_string);
    if c.action == Action::Delete {
        let scope = vpc.map(|v| vec![v]);
        return o.unproven(
            c,
            "deleting it makes the VPC's original main route table main again; which one that is is not in the plan",
            scope,
        );
    }
    let (Some(vpc), Ok(Some(rtb))) = (vpc, after_value(c, refs, "route_table_id")) else {
        return o.unproven(
            c,
            "vpc_id or route_table_id is known only after apply",
            None,
        );
    };
    if find_rtb(s, &rtb).is_none_or(|t| t.vpc_id != vpc) {
        return o.unproven(
            c,
            format!("route table {rtb} is not a table of {vpc} in the snapshot"),
            Some(vec![vpc]),
        );
    }
    for t in s
        .regional
        .iter_mut()
        .flat_map(|r| r.route_tables.iter_mut())
    {
        if t.vpc_id == vpc {
            t.associations.retain(|a| !a.main);
        }
    }
    if let Some(t) = find_rtb(s, &rtb) {
        t.associations.push(RouteTableAssociation {
            main: true,
            subnet_id: None,
            gateway_id: None,
            association_state: Some(StateCode {
                state: Some("associated".into()),
            }),
        });
    }
    o.touch(&rtb, &c.address);
    o.touch(&vpc, &c.address);
    o.applied += 1;
}

// ------------------------------------------------------------------ Route 53

/// `aws_route53_zone` `vpc` blocks (`vpc_id`, `vpc_region`) of a private zone in the snapshot:
/// the difference between `before` and `after` is associated / disassociated. Creating,
/// replacing or deleting a zone, and a changed name, are not modelled.
fn zone(s: &mut Snapshot, c: &Change, o: &mut Overlay) {
    let zone_id = c.before_str("zone_id").map(str::to_string);
    let name_same = c.before.get("name") == c.after.get("name");
    let (Some(zone_id), Action::Update, true) = (zone_id, c.action, name_same) else {
        return generic_scoped(s, c, o);
    };
    if c.unknown("vpc") {
        return o.unproven(
            c,
            "its vpc blocks are known only after apply",
            Some(vec![zone_id]),
        );
    }
    let blocks = |v: &Value| -> Vec<(String, Option<String>)> {
        v.get("vpc")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|b| Some((str_of(b, "vpc_id")?, str_of(b, "vpc_region"))))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (before, after) = (blocks(&c.before), blocks(&c.after));
    let Some(d) = s
        .global
        .iter_mut()
        .find_map(|g| g.zone_details.get_mut(&zone_id))
    else {
        return generic_scoped(s, c, o);
    };
    for (vpc, region) in before.iter().filter(|b| !after.contains(b)) {
        d.vpcs
            .retain(|v| !(v.vpc_id == *vpc && region.as_ref().is_none_or(|r| *r == v.vpc_region)));
    }
    let mut unplaced = Vec::new();
    for (vpc, region) in after.iter().filter(|a| !before.contains(a)) {
        match region {
            Some(region) => {
                if !d
                    .vpcs
                    .iter()
                    .any(|v| v.vpc_id == *vpc && v.vpc_region == *region)
                {
                    d.vpcs.push(ZoneVpc {
                        vpc_region: region.clone(),
                        vpc_id: vpc.clone(),
                    });
                }
            }
            None => unplaced.push(vpc.clone()),
        }
    }
    if !unplaced.is_empty() {
        o.unproven(c, "a vpc block's vpc_region is not known", Some(unplaced));
    }
    o.touch(&zone_id, &c.address);
    for (vpc, _) in before.iter().chain(&after) {
        o.touch(vpc, &c.address);
    }
    o.applied += 1;
}

/// `aws_route53_zone_association` (`zone_id`, `vpc_id`, `vpc_region`): Route 53
/// AssociateVPCWithHostedZone / DisassociateVPCFromHostedZone; the zone's `VPCs` list is what
/// get-hosted-zone prints.
fn zone_association(s: &mut Snapshot, c: &Change, refs: &Refs, o: &mut Overlay) {
    let edit = |s: &mut Snapshot, zone: &str, f: &mut dyn FnMut(&mut Vec<ZoneVpc>)| -> bool {
        let short = zone.strip_prefix("/hostedzone/").unwrap_or(zone);
        let mut hit = false;
        for g in &mut s.global {
            if let Some(d) = g.zone_details.get_mut(short) {
                f(&mut d.vpcs);
                hit = true;
            }
        }
        hit
    };
    if matches!(c.action, Action::Delete | Action::Replace | Action::Update) {
        let (zone, vpc) = (c.before_str("zone_id"), c.before_str("vpc_id"));
        if let (Some(zone), Some(vpc)) = (zone, vpc) {
            let region = c.before_str("vpc_region").map(str::to_string);
            let hit = edit(s, zone, &mut |vpcs| {
                vpcs.retain(|v| {
                    !(v.vpc_id == vpc && region.as_ref().is_none_or(|r| *r == v.vpc_region))
                })
            });
            if hit {
                o.touch(zone, &c.address);
                o.touch(vpc, &c.address);
            } else {
                o.unproven(
                    c,
                    format!("hosted zone {zone} is not in the snapshot"),
                    Some(vec![vpc.to_string()]),
                );
            }
        }
    }
    if c.action == Action::Delete {
        return;
    }
    let (zone, vpc) = match (
        after_value(c, refs, "zone_id"),
        after_value(c, refs, "vpc_id"),
    ) {
        (Ok(Some(z)), Ok(Some(v))) => (z, v),
        (_, Ok(Some(v))) => {
            o.unproven(c, "zone_id is known only after apply", Some(vec![v]));
            return;
        }
        _ => {
            o.unproven(c, "vpc_id is known only after apply", None);
            return;
        }
    };
    // `vpc_region` defaults to the provider's Region (computed): the VPC's Region in the snapshot.
    let region = c
        .after_str("vpc_region")
        .map(str::to_string)
        .or_else(|| vpc_home(s, &vpc).map(|i| s.regional[i].region.clone()));
    let Some(region) = region else {
        o.unproven(
            c,
            format!("the Region of {vpc} is not known"),
            Some(vec![vpc]),
        );
        return;
    };
    let hit = edit(s, &zone, &mut |vpcs| {
        if !vpcs
            .iter()
            .any(|v| v.vpc_id == vpc && v.vpc_region == region)
        {
            vpcs.push(ZoneVpc {
                vpc_region: region.clone(),
                vpc_id: vpc.clone(),
            });
        }
    });
    if !hit {
        o.unproven(
            c,
            format!("hosted zone {zone} is not in the snapshot"),
            Some(vec![vpc]),
        );
        return;
    }
    o.touch(&zone, &c.address);
    o.touch(&vpc, &c.address);
    o.applied += 1;
}

// ------------------------------------------------------------------ endpoint services

fn service_home(s: &Snapshot, id: &str) -> Option<usize> {
    s.regional
        .iter()
        .position(|r| r.service_configurations.iter().any(|x| x.service_id == id))
}

/// `PrincipalType` as describe-vpc-endpoint-service-permissions prints it (EC2 API Reference,
/// AllowedPrincipal: All | Service | OrganizationUnit | Account | User | Role).
fn principal_type(p: &str) -> Option<String> {
    let t = if p == "*" {
        "All"
    } else if p.ends_with(":root") {
        "Account"
    } else if p.contains(":role/") {
        "Role"
    } else if p.contains(":user/") {
        "User"
    } else {
        return None;
    };
    Some(t.into())
}

fn set_principals(s: &mut Snapshot, svc: &str, add: &[String], remove: &[String]) -> bool {
    let Some(home) = service_home(s, svc) else {
        return false;
    };
    let list = s.regional[home]
        .service_permissions
        .entry(svc.to_string())
        .or_default();
    list.retain(|p| !remove.contains(&p.principal));
    for p in add {
        if !list.iter().any(|x| &x.principal == p) {
            list.push(AllowedPrincipal {
                principal_type: principal_type(p),
                principal: p.clone(),
                service_id: Some(svc.to_string()),
            });
        }
    }
    true
}

/// `aws_vpc_endpoint_service_allowed_principal` (`vpc_endpoint_service_id`, `principal_arn`).
fn allowed_principal(s: &mut Snapshot, c: &Change, o: &mut Overlay) {
    let mut remove = Vec::new();
    let mut svc_before = None;
    if matches!(c.action, Action::Delete | Action::Replace | Action::Update) {
        svc_before = c.before_str("vpc_endpoint_service_id").map(str::to_string);
        remove.extend(c.before_str("principal_arn").map(str::to_string));
    }
    if let Some(svc) = &svc_before {
        if set_principals(s, svc, &[], &remove) {
            o.touch(svc, &c.address);
        }
    }
    if c.action == Action::Delete {
        return;
    }
    if c.unknown("vpc_endpoint_service_id") || c.unknown("principal_arn") {
        o.unproven(
            c,
            "the endpoint service or principal is known only after apply",
            None,
        );
        return;
    }
    let (Some(svc), Some(p)) = (
        c.after_str("vpc_endpoint_service_id"),
        c.after_str("principal_arn"),
    ) else {
        o.unproven(c, "vpc_endpoint_service_id or principal_arn is empty", None);
        return;
    };
    if !set_principals(s, svc, &[p.to_string()], &[]) {
        o.unproven(
            c,
            format!("endpoint service {svc} is not in the snapshot"),
            Some(vec![svc.to_string()]),
        );
        return;
    }
    o.touch(svc, &c.address);
    o.applied += 1;
}

/// `aws_vpc_endpoint_service` updates of `acceptance_required` and `allowed_principals` on a
/// service in the snapshot; creating, replacing or deleting one, or changing its load balancers,
/// is not modelled.
fn endpoint_service(s: &mut Snapshot, c: &Change, o: &mut Overlay) {
    let id = c.before_str("id").map(str::to_string);
    let Some(id) = id.filter(|_| c.action == Action::Update) else {
        return generic_scoped(s, c, o);
    };
    let list = |v: &Value, k: &str| -> Vec<String> {
        v.get(k)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let lbs = |v: &Value| {
        (
            list(v, "network_load_balancer_arns"),
            list(v, "gateway_load_balancer_arns"),
        )
    };
    if c.unknown("allowed_principals")
        || c.unknown("acceptance_required")
        || c.unknown("network_load_balancer_arns")
        || lbs(&c.before) != lbs(&c.after)
    {
        o.unproven(
            c,
            "its load balancers or principals change in a way this version does not model",
            Some(vec![id]),
        );
        return;
    }
    let (before, after) = (
        list(&c.before, "allowed_principals"),
        list(&c.after, "allowed_principals"),
    );
    let add: Vec<String> = after
        .iter()
        .filter(|p| !before.contains(p))
        .cloned()
        .collect();
    let remove: Vec<String> = before
        .iter()
        .filter(|p| !after.contains(p))
        .cloned()
        .collect();
    if !set_principals(s, &id, &add, &remove) {
        return;
    }
    if let Some(home) = service_home(s, &id) {
        if let Some(cfg) = s.regional[home]
            .service_configurations
            .iter_mut()
            .find(|x| x.service_id == id)
        {
            if let Some(b) = c.after.get("acceptance_required").and_then(Value::as_bool) {
                cfg.acceptance_required = Some(b);
            }
        }
    }
    o.touch(&id, &c.address);
    o.applied += 1;
}

// ------------------------------------------------------------------ IoT

fn policy_homes(s: &Snapshot, name: &str) -> Vec<usize> {
    (0..s.regional.len())
        .filter(|&i| {
            s.regional[i]
                .iot_policies
                .iter()
                .any(|p| p.policy_name == name)
        })
        .collect()
}

fn policy_unproven(o: &mut Overlay, c: &Change, reason: impl Into<String>) {
    o.unproven.push(Unproven {
        address: c.address.clone(),
        reason: reason.into(),
        scope: Some(Vec::new()),
        policy: true,
    });
}

/// The (account, Region) of an IoT ARN (`arn:aws:iot:us-west-2:222222222222:cert/…`).
fn arn_home(s: &Snapshot, arn: &str) -> Option<usize> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, _, _, region, account, _] = parts.as_slice() else {
        return None;
    };
    s.regional
        .iter()
        .position(|r| r.account == *account && r.region == *region)
}

/// `aws_iot_policy` (`name`, `policy`): IoT CreatePolicy / CreatePolicyVersion (the new version
/// is the default: the provider sets it as default) / DeletePolicy.
fn iot_policy(s: &mut Snapshot, c: &Change, plan: &Plan, o: &mut Overlay) {
    if matches!(c.action, Action::Delete | Action::Replace) {
        if let Some(name) = c.before_str("name") {
            for r in &mut s.regional {
                r.iot_policies.retain(|p| p.policy_name != name);
                r.iot_policy_targets.remove(name);
            }
            o.touch(name, &c.address);
        }
        if c.action == Action::Delete {
            return;
        }
    }
    if c.unknown("name") || c.unknown("policy") {
        return policy_unproven(o, c, "the policy document is known only after apply");
    }
    let (Some(name), Some(doc)) = (c.after_str("name"), c.after_str("policy")) else {
        return policy_unproven(o, c, "the policy has no name or document");
    };
    let mut homes = policy_homes(s, name);
    if homes.is_empty() {
        // A new policy: the account and Region of the targets this plan attaches it to.
        homes = plan
            .changes
            .iter()
            .filter(|a| a.rtype == "aws_iot_policy_attachment" && a.action != Action::Delete)
            .filter(|a| a.after_str("policy") == Some(name))
            .filter_map(|a| a.after_str("target").and_then(|t| arn_home(s, t)))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
    }
    let [home] = homes.as_slice() else {
        return policy_unproven(
            o,
            c,
            format!(
                "policy {name} is in {} account/Region pairs of the snapshot and the plan; its place is not known",
                homes.len()
            ),
        );
    };
    let r = &mut s.regional[*home];
    let arn = format!("arn:aws:iot:{}:{}:policy/{name}", r.region, r.account);
    r.iot_policies.retain(|p| p.policy_name != name);
    r.iot_policies.push(IotPolicy {
        policy_name: name.to_string(),
        policy_arn: Some(arn),
        policy_document: doc.to_string(),
    });
    o.touch(name, &c.address);
    o.applied += 1;
}

/// `aws_iot_policy_attachment` (`policy` name, `target` ARN): AttachPolicy / DetachPolicy.
fn iot_attachment(s: &mut Snapshot, c: &Change, refs: &Refs, o: &mut Overlay) {
    if matches!(c.action, Action::Delete | Action::Replace | Action::Update) {
        if let (Some(p), Some(t)) = (c.before_str("policy"), c.before_str("target")) {
            for r in &mut s.regional {
                if let Some(list) = r.iot_policy_targets.get_mut(p) {
                    list.retain(|x| x != t);
                }
            }
            o.touch(p, &c.address);
        }
    }
    if c.action == Action::Delete {
        return;
    }
    let (policy, target) = match (
        after_value(c, refs, "policy"),
        after_value(c, refs, "target"),
    ) {
        (Ok(Some(p)), Ok(Some(t))) if !t.contains("-planned:") => (p, t),
        _ => {
            return policy_unproven(o, c, "the policy or target is known only after apply");
        }
    };
    let home = policy_homes(s, &policy)
        .first()
        .copied()
        .or_else(|| arn_home(s, &target));
    let Some(home) = home else {
        return policy_unproven(
            o,
            c,
            format!("neither policy {policy} nor target {target} is in the snapshot"),
        );
    };
    let list = s.regional[home]
        .iot_policy_targets
        .entry(policy.clone())
        .or_default();
    if !list.contains(&target) {
        list.push(target);
    }
    o.touch(&policy, &c.address);
    o.applied += 1;
}

// ------------------------------------------------------------------ not modelled

fn generic(s: &mut Snapshot, c: &Change, _refs: &Refs, o: &mut Overlay) {
    generic_scoped(s, c, o)
}

/// A type this version does not apply. IoT resources (policies' targets, authorizers, domain
/// configurations) can change any policy proof: unproven. A resource tagged `pathproof:role`
/// adds scope this plan cannot prove. Otherwise it is unproven on every path that mentions what
/// it touches (ids in its values, and their VPCs), and on every path when it is on issue 11's list
/// and its references are unknown.
fn generic_scoped(_s: &mut Snapshot, c: &Change, o: &mut Overlay) {
    let what = format!("{} changes are not modelled by this version", c.rtype);
    if c.rtype.starts_with("aws_iot_") {
        return policy_unproven(o, c, what);
    }
    let role = |v: &Value| {
        ["tags", "tags_all"].iter().any(|k| {
            v.get(k)
                .and_then(|t| t.get("pathproof:role"))
                .is_some_and(|r| !r.is_null())
        })
    };
    if role(&c.after) || role(&c.before) {
        o.unproven(
            c,
            format!("{what}, and it is tagged pathproof:role (a new scope)"),
            None,
        );
        return;
    }
    let mut ids = BTreeSet::new();
    ids_in(&c.before, &mut ids);
    ids_in(&c.after, &mut ids);
    let on_list = ON_PATH_TYPES.contains(&c.rtype.as_str());
    let unknown_ref = c.after_unknown.as_object().is_some_and(|m| {
        m.iter().any(|(k, v)| {
            k != "id"
                && k != "arn"
                && (k.ends_with("_id") || k.ends_with("_ids") || k.ends_with("_arn"))
                && super::any_true(v)
        })
    });
    if on_list && ids.is_empty() && unknown_ref {
        o.unproven(
            c,
            format!("{what}; what it attaches to is known only after apply"),
            None,
        );
        return;
    }
    if ids.is_empty() {
        return;
    }
    o.unproven(c, what, Some(ids.into_iter().collect()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_recognised() {
        for id in [
            "rtb-0aaa00000000000d1",
            "tgw-rtb-0aaa00000000000f1",
            "vpce-svc-0bbb00000000005e1",
            "Z0222222DATA0000000001",
            "arn:aws:iot:us-west-2:222222222222:cert/abc",
            "igw-planned:aws_internet_gateway.x",
        ] {
            assert!(looks_like_id(id), "{id}");
        }
        for s in ["10.0.0.0/16", "tcp", "device-private", "us-west-2"] {
            assert!(!looks_like_id(s), "{s}");
        }
    }
}
