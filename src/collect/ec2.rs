//! EC2 (VPC networking and Transit Gateway) for one account and region.
use aws_sdk_ec2::types::{Filter, TransitGatewayRoute, VpcAttributeName};
use aws_sdk_ec2::Client;
use serde_json::{json, Value};
use tokio::task::JoinSet;

use super::convert::{list, ToCli};
use super::engine::{Op, Scope};
use super::tgw::{self, BoxFut, Failed, RouteSource, SearchPage};

const fn op(name: &'static str) -> Op {
    Op::new("ec2", name)
}

/// A `NextToken` that ends the listing when absent or empty.
fn token(next: &Option<String>) -> Option<String> {
    next.clone().filter(|t| !t.is_empty())
}

/// Every EC2 file of the layout for this scope.
pub async fn collect(scope: Scope, client: Client) {
    let mut set = JoinSet::new();

    // Plain listings: one call per page, one file.
    macro_rules! listing {
        ($name:literal, $key:literal, $method:ident, $field:ident) => {{
            let (s, c) = (scope.clone(), client.clone());
            set.spawn(async move {
                s.listing(
                    op($name),
                    None,
                    $key,
                    |t| c.$method().set_next_token(t).send(),
                    |o| token(&o.next_token),
                    |o| o.$field,
                )
                .await;
            });
        }};
    }
    listing!(
        "describe-dhcp-options",
        "DhcpOptions",
        describe_dhcp_options,
        dhcp_options
    );
    listing!("describe-subnets", "Subnets", describe_subnets, subnets);
    listing!(
        "describe-route-tables",
        "RouteTables",
        describe_route_tables,
        route_tables
    );
    listing!(
        "describe-internet-gateways",
        "InternetGateways",
        describe_internet_gateways,
        internet_gateways
    );
    listing!(
        "describe-egress-only-internet-gateways",
        "EgressOnlyInternetGateways",
        describe_egress_only_internet_gateways,
        egress_only_internet_gateways
    );
    listing!(
        "describe-nat-gateways",
        "NatGateways",
        describe_nat_gateways,
        nat_gateways
    );
    listing!(
        "describe-vpc-peering-connections",
        "VpcPeeringConnections",
        describe_vpc_peering_connections,
        vpc_peering_connections
    );
    listing!(
        "describe-vpc-endpoints",
        "VpcEndpoints",
        describe_vpc_endpoints,
        vpc_endpoints
    );
    listing!(
        "describe-network-interfaces",
        "NetworkInterfaces",
        describe_network_interfaces,
        network_interfaces
    );
    listing!(
        "describe-security-groups",
        "SecurityGroups",
        describe_security_groups,
        security_groups
    );
    listing!(
        "describe-network-acls",
        "NetworkAcls",
        describe_network_acls,
        network_acls
    );
    listing!(
        "describe-transit-gateways",
        "TransitGateways",
        describe_transit_gateways,
        transit_gateways
    );
    listing!(
        "describe-transit-gateway-attachments",
        "TransitGatewayAttachments",
        describe_transit_gateway_attachments,
        transit_gateway_attachments
    );
    listing!(
        "describe-transit-gateway-vpc-attachments",
        "TransitGatewayVpcAttachments",
        describe_transit_gateway_vpc_attachments,
        transit_gateway_vpc_attachments
    );

    // Not paginated.
    {
        let (s, c) = (scope.clone(), client.clone());
        set.spawn(async move {
            s.listing(
                op("describe-vpn-connections"),
                None,
                "VpnConnections",
                |_: Option<String>| c.describe_vpn_connections().send(),
                |_| None,
                |o| o.vpn_connections,
            )
            .await;
        });
    }
    {
        let (s, c) = (scope.clone(), client.clone());
        set.spawn(async move {
            s.listing(
                op("describe-vpn-gateways"),
                None,
                "VpnGateways",
                |_: Option<String>| c.describe_vpn_gateways().send(),
                |_| None,
                |o| o.vpn_gateways,
            )
            .await;
        });
    }

    set.spawn(vpcs(scope.clone(), client.clone()));
    set.spawn(endpoint_services(scope.clone(), client.clone()));
    set.spawn(prefix_lists(scope.clone(), client.clone()));
    set.spawn(transit_gateway_route_tables(scope.clone(), client.clone()));
    // Layout extensions; `PATHPROOF_SKIP_EXTENSIONS` leaves them out where the API does not
    // exist (a partition or an emulator without it): no file, no error, and verify says what
    // it assumed (PP026).
    if !skipped("tgw-policy-tables") {
        set.spawn(transit_gateway_policy_tables(scope.clone(), client.clone()));
    }
    if !skipped("block-public-access") {
        set.spawn(block_public_access(scope.clone(), client));
    }
    scope.drain(&mut set).await;
}

/// The VPC attributes of the layout's extension files, each with its own call (the API takes
/// one attribute at a time).
const VPC_ATTRIBUTES: [VpcAttributeName; 2] = [
    VpcAttributeName::EnableDnsSupport,
    VpcAttributeName::EnableDnsHostnames,
];

/// `describe-vpcs`, then each VPC's DNS attributes
/// (`describe-vpc-attribute/<vpc-id>-<attribute>.json`, a pathproof extension of the layout).
async fn vpcs(scope: Scope, client: Client) {
    let Some(vpcs) = scope
        .listing(
            op("describe-vpcs"),
            None,
            "Vpcs",
            |t| client.describe_vpcs().set_next_token(t).send(),
            |o| token(&o.next_token),
            |o| o.vpcs,
        )
        .await
    else {
        return;
    };
    let mut set = JoinSet::new();
    for id in vpcs.into_iter().filter_map(|v| v.vpc_id) {
        for attribute in VPC_ATTRIBUTES {
            let (s, c) = (scope.clone(), client.clone());
            let key = format!("{id}-{}", attribute.as_str());
            let id = id.clone();
            set.spawn(async move {
                let describe = op("describe-vpc-attribute");
                let call = c
                    .describe_vpc_attribute()
                    .vpc_id(&id)
                    .attribute(attribute)
                    .send();
                if let Some(out) = s.call(describe, Some(&key), call).await {
                    if let Some(value) = out.to_cli() {
                        s.write(describe, Some(&key), &value);
                    }
                }
            });
        }
    }
    scope.drain(&mut set).await;
}

/// `describe-vpc-endpoint-service-configurations`, then each service's permissions.
async fn endpoint_services(scope: Scope, client: Client) {
    let Some(services) = scope
        .listing(
            op("describe-vpc-endpoint-service-configurations"),
            None,
            "ServiceConfigurations",
            |t| {
                client
                    .describe_vpc_endpoint_service_configurations()
                    .set_next_token(t)
                    .send()
            },
            |o| token(&o.next_token),
            |o| o.service_configurations,
        )
        .await
    else {
        return;
    };
    let mut set = JoinSet::new();
    for id in services.into_iter().filter_map(|s| s.service_id) {
        let (s, c) = (scope.clone(), client.clone());
        set.spawn(async move {
            s.listing(
                op("describe-vpc-endpoint-service-permissions"),
                Some(&id),
                "AllowedPrincipals",
                |t| {
                    c.describe_vpc_endpoint_service_permissions()
                        .service_id(&id)
                        .set_next_token(t)
                        .send()
                },
                |o| token(&o.next_token),
                |o| o.allowed_principals,
            )
            .await;
        });
    }
    scope.drain(&mut set).await;
}

/// `describe-managed-prefix-lists`, then each list's entries.
async fn prefix_lists(scope: Scope, client: Client) {
    let Some(lists) = scope
        .listing(
            op("describe-managed-prefix-lists"),
            None,
            "PrefixLists",
            |t| {
                client
                    .describe_managed_prefix_lists()
                    .set_next_token(t)
                    .send()
            },
            |o| token(&o.next_token),
            |o| o.prefix_lists,
        )
        .await
    else {
        return;
    };
    let mut set = JoinSet::new();
    for id in lists.into_iter().filter_map(|l| l.prefix_list_id) {
        let (s, c) = (scope.clone(), client.clone());
        set.spawn(async move {
            s.listing(
                op("get-managed-prefix-list-entries"),
                Some(&id),
                "Entries",
                |t| {
                    c.get_managed_prefix_list_entries()
                        .prefix_list_id(&id)
                        .set_next_token(t)
                        .send()
                },
                |o| token(&o.next_token),
                |o| o.entries,
            )
            .await;
        });
    }
    scope.drain(&mut set).await;
}

/// `describe-transit-gateway-route-tables`, then each table's routes, associations and
/// propagations.
async fn transit_gateway_route_tables(scope: Scope, client: Client) {
    let Some(tables) = scope
        .listing(
            op("describe-transit-gateway-route-tables"),
            None,
            "TransitGatewayRouteTables",
            |t| {
                client
                    .describe_transit_gateway_route_tables()
                    .set_next_token(t)
                    .send()
            },
            |o| token(&o.next_token),
            |o| o.transit_gateway_route_tables,
        )
        .await
    else {
        return;
    };
    let mut set = JoinSet::new();
    for id in tables
        .into_iter()
        .filter_map(|t| t.transit_gateway_route_table_id)
    {
        {
            let (s, c, id) = (scope.clone(), client.clone(), id.clone());
            set.spawn(async move {
                s.listing(
                    op("get-transit-gateway-route-table-associations"),
                    Some(&id),
                    "Associations",
                    |t| {
                        c.get_transit_gateway_route_table_associations()
                            .transit_gateway_route_table_id(&id)
                            .set_next_token(t)
                            .send()
                    },
                    |o| token(&o.next_token),
                    |o| o.associations,
                )
                .await;
            });
        }
        {
            let (s, c, id) = (scope.clone(), client.clone(), id.clone());
            set.spawn(async move {
                s.listing(
                    op("get-transit-gateway-route-table-propagations"),
                    Some(&id),
                    "TransitGatewayRouteTablePropagations",
                    |t| {
                        c.get_transit_gateway_route_table_propagations()
                            .transit_gateway_route_table_id(&id)
                            .set_next_token(t)
                            .send()
                    },
                    |o| token(&o.next_token),
                    |o| o.transit_gateway_route_table_propagations,
                )
                .await;
            });
        }
        let (s, c) = (scope.clone(), client.clone());
        set.spawn(async move {
            let source = TableRoutes {
                scope: s.clone(),
                client: c,
                table: id.clone(),
            };
            let search = op("search-transit-gateway-routes");
            match tgw::all_routes(&source).await {
                Ok(routes) => s.write(search, Some(&id), &routes_file(&routes)),
                Err(failed) => s.fail(failed.operation.to_owned(), Some(&id), failed.message),
            }
        });
    }
    scope.drain(&mut set).await;
}

/// Whether `PATHPROOF_SKIP_EXTENSIONS` (comma separated) names extension `name`.
pub(super) fn skipped(name: &str) -> bool {
    std::env::var("PATHPROOF_SKIP_EXTENSIONS").is_ok_and(|v| v.split(',').any(|x| x.trim() == name))
}

/// `describe-transit-gateway-policy-tables`, then each table's associations and entries (layout
/// extension; Transit Gateway guide, "Transit gateway policy tables").
async fn transit_gateway_policy_tables(scope: Scope, client: Client) {
    let Some(tables) = scope
        .listing(
            op("describe-transit-gateway-policy-tables"),
            None,
            "TransitGatewayPolicyTables",
            |t| {
                client
                    .describe_transit_gateway_policy_tables()
                    .set_next_token(t)
                    .send()
            },
            |o| token(&o.next_token),
            |o| o.transit_gateway_policy_tables,
        )
        .await
    else {
        return;
    };
    let mut set = JoinSet::new();
    for id in tables
        .into_iter()
        .filter_map(|t| t.transit_gateway_policy_table_id)
    {
        {
            let (s, c, id) = (scope.clone(), client.clone(), id.clone());
            set.spawn(async move {
                s.listing(
                    op("get-transit-gateway-policy-table-associations"),
                    Some(&id),
                    "Associations",
                    |t| {
                        c.get_transit_gateway_policy_table_associations()
                            .transit_gateway_policy_table_id(&id)
                            .set_next_token(t)
                            .send()
                    },
                    |o| token(&o.next_token),
                    |o| o.associations,
                )
                .await;
            });
        }
        let (s, c) = (scope.clone(), client.clone());
        set.spawn(async move {
            s.listing(
                op("get-transit-gateway-policy-table-entries"),
                Some(&id),
                "TransitGatewayPolicyTableEntries",
                |t| {
                    c.get_transit_gateway_policy_table_entries()
                        .transit_gateway_policy_table_id(&id)
                        .set_next_token(t)
                        .send()
                },
                |o| token(&o.next_token),
                |o| o.transit_gateway_policy_table_entries,
            )
            .await;
        });
    }
    scope.drain(&mut set).await;
}

/// VPC Block Public Access: the Region's options (one object, not paginated) and its exclusions
/// (layout extension; VPC User Guide, "Block public access to VPCs and subnets").
async fn block_public_access(scope: Scope, client: Client) {
    let describe = op("describe-vpc-block-public-access-options");
    let call = client.describe_vpc_block_public_access_options().send();
    if let Some(out) = scope.call(describe, None, call).await {
        let mut file = serde_json::Map::new();
        if let Some(v) = out.vpc_block_public_access_options.to_cli() {
            file.insert("VpcBlockPublicAccessOptions".into(), v);
        }
        scope.write(describe, None, &Value::Object(file));
    }
    scope
        .listing(
            op("describe-vpc-block-public-access-exclusions"),
            None,
            "VpcBlockPublicAccessExclusions",
            |t| {
                client
                    .describe_vpc_block_public_access_exclusions()
                    .set_next_token(t)
                    .send()
            },
            |o| token(&o.next_token),
            |o| o.vpc_block_public_access_exclusions,
        )
        .await;
}

/// The file for all routes of a table: complete, so `AdditionalRoutesAvailable` is false.
fn routes_file(routes: &[TransitGatewayRoute]) -> Value {
    json!({ "Routes": list(routes), "AdditionalRoutesAvailable": false })
}

/// One transit gateway route table, searched through the EC2 API.
struct TableRoutes {
    scope: Scope,
    client: Client,
    table: String,
}

impl RouteSource for TableRoutes {
    fn search(&self, filters: Vec<Filter>) -> BoxFut<'_, Result<SearchPage, Failed>> {
        Box::pin(async move {
            let mut answer = SearchPage::default();
            let mut next: Option<String> = None;
            let mut pages = 0usize;
            loop {
                let out = self
                    .scope
                    .try_call(
                        self.client
                            .search_transit_gateway_routes()
                            .transit_gateway_route_table_id(&self.table)
                            .set_filters(Some(filters.clone()))
                            .set_next_token(next.take())
                            .send(),
                    )
                    .await
                    .map_err(|message| Failed {
                        operation: tgw::SEARCH,
                        message,
                    })?;
                pages += 1;
                answer.routes.extend(out.routes.unwrap_or_default());
                answer.more = out.additional_routes_available == Some(true);
                match token(&out.next_token) {
                    Some(t) if pages < 10_000 => next = Some(t),
                    _ => return Ok(answer),
                }
            }
        })
    }

    fn prefix_list_ids(&self) -> BoxFut<'_, Result<Vec<String>, Failed>> {
        Box::pin(async move {
            let mut ids = Vec::new();
            let mut next: Option<String> = None;
            let mut seen = std::collections::HashSet::new();
            loop {
                let out = self
                    .scope
                    .try_call(
                        self.client
                            .get_transit_gateway_prefix_list_references()
                            .transit_gateway_route_table_id(&self.table)
                            .set_next_token(next.take())
                            .send(),
                    )
                    .await
                    .map_err(|message| Failed {
                        operation: tgw::PREFIX_LIST_REFERENCES,
                        message,
                    })?;
                ids.extend(
                    out.transit_gateway_prefix_list_references
                        .unwrap_or_default()
                        .into_iter()
                        .filter_map(|r| r.prefix_list_id),
                );
                match token(&out.next_token) {
                    Some(t) if seen.insert(t.clone()) => next = Some(t),
                    _ => return Ok(ids),
                }
            }
        })
    }
}
