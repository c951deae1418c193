//! Route 53 Resolver for one account and region.
use aws_sdk_route53resolver::Client;
use serde_json::Value;
use tokio::task::JoinSet;

use super::engine::{Op, Scope};

const fn op(name: &'static str) -> Op {
    Op::new("route53resolver", name)
}

/// The largest page Route 53 Resolver allows (its default is 10).
const MAX_RESULTS: i32 = 100;

fn token(next: &Option<String>) -> Option<String> {
    next.clone().filter(|t| !t.is_empty())
}

/// The CLI keeps the first page's `MaxResults` after the merged list (botocore's
/// `non_aggregate_keys` for every Route 53 Resolver listing).
fn max_results(max: Option<i32>) -> Option<(&'static str, Value)> {
    max.map(|m| ("MaxResults", Value::from(m)))
}

/// Endpoints (and their IP addresses), rules and rule associations.
pub async fn collect(scope: Scope, client: Client) {
    let mut set = JoinSet::new();
    set.spawn(endpoints(scope.clone(), client.clone()));
    if scope.dns_extensions() {
        set.spawn(firewall(scope.clone(), client.clone()));
    }
    {
        let (s, c) = (scope.clone(), client.clone());
        set.spawn(async move {
            s.listing_with(
                op("list-resolver-rules"),
                None,
                "ResolverRules",
                |t| {
                    c.list_resolver_rules()
                        .set_next_token(t)
                        .max_results(MAX_RESULTS)
                        .send()
                },
                |o| token(&o.next_token),
                |o| o.resolver_rules,
                |o| max_results(o.max_results),
            )
            .await;
        });
    }
    {
        let (s, c) = (scope.clone(), client);
        set.spawn(async move {
            s.listing_with(
                op("list-resolver-rule-associations"),
                None,
                "ResolverRuleAssociations",
                |t| {
                    c.list_resolver_rule_associations()
                        .set_next_token(t)
                        .max_results(MAX_RESULTS)
                        .send()
                },
                |o| token(&o.next_token),
                |o| o.resolver_rule_associations,
                |o| max_results(o.max_results),
            )
            .await;
        });
    }
    scope.drain(&mut set).await;
}

async fn endpoints(scope: Scope, client: Client) {
    let Some(endpoints) = scope
        .listing_with(
            op("list-resolver-endpoints"),
            None,
            "ResolverEndpoints",
            |t| {
                client
                    .list_resolver_endpoints()
                    .set_next_token(t)
                    .max_results(MAX_RESULTS)
                    .send()
            },
            |o| token(&o.next_token),
            |o| o.resolver_endpoints,
            |o| max_results(o.max_results),
        )
        .await
    else {
        return;
    };
    let mut set = JoinSet::new();
    for id in endpoints.into_iter().filter_map(|e| e.id) {
        let (s, c) = (scope.clone(), client.clone());
        set.spawn(async move {
            s.listing_with(
                op("list-resolver-endpoint-ip-addresses"),
                Some(&id),
                "IpAddresses",
                |t| {
                    c.list_resolver_endpoint_ip_addresses()
                        .resolver_endpoint_id(&id)
                        .set_next_token(t)
                        .max_results(MAX_RESULTS)
                        .send()
                },
                |o| token(&o.next_token),
                |o| o.ip_addresses,
                |o| max_results(o.max_results),
            )
            .await;
        });
    }
    scope.drain(&mut set).await;
}

/// DNS Firewall (layout extension, issue 9 item 8): rule group associations and each associated
/// group's rules, the domain lists and each customer list's domains (AWS-managed lists, with
/// `ManagedOwnerName`, cannot be listed), and the per-VPC fail-open configurations.
async fn firewall(scope: Scope, client: Client) {
    let mut set = JoinSet::new();
    {
        let (s, c) = (scope.clone(), client.clone());
        set.spawn(async move {
            let Some(assocs) = s
                .listing(
                    op("list-firewall-rule-group-associations"),
                    None,
                    "FirewallRuleGroupAssociations",
                    |t| {
                        c.list_firewall_rule_group_associations()
                            .set_next_token(t)
                            .send()
                    },
                    |o| token(&o.next_token),
                    |o| o.firewall_rule_group_associations,
                )
                .await
            else {
                return;
            };
            let mut groups: Vec<String> = assocs
                .into_iter()
                .filter_map(|a| a.firewall_rule_group_id)
                .collect();
            groups.sort();
            groups.dedup();
            for id in groups {
                s.listing(
                    op("list-firewall-rules"),
                    Some(&id),
                    "FirewallRules",
                    |t| {
                        c.list_firewall_rules()
                            .firewall_rule_group_id(&id)
                            .set_next_token(t)
                            .send()
                    },
                    |o| token(&o.next_token),
                    |o| o.firewall_rules,
                )
                .await;
            }
        });
    }
    {
        let (s, c) = (scope.clone(), client.clone());
        set.spawn(async move {
            let Some(lists) = s
                .listing(
                    op("list-firewall-domain-lists"),
                    None,
                    "FirewallDomainLists",
                    |t| c.list_firewall_domain_lists().set_next_token(t).send(),
                    |o| token(&o.next_token),
                    |o| o.firewall_domain_lists,
                )
                .await
            else {
                return;
            };
            for id in lists
                .into_iter()
                .filter(|l| l.managed_owner_name.is_none())
                .filter_map(|l| l.id)
            {
                s.listing(
                    op("list-firewall-domains"),
                    Some(&id),
                    "Domains",
                    |t| {
                        c.list_firewall_domains()
                            .firewall_domain_list_id(&id)
                            .set_next_token(t)
                            .send()
                    },
                    |o| token(&o.next_token),
                    |o| o.domains,
                )
                .await;
            }
        });
    }
    {
        let (s, c) = (scope.clone(), client);
        set.spawn(async move {
            s.listing(
                op("list-firewall-configs"),
                None,
                "FirewallConfigs",
                |t| c.list_firewall_configs().set_next_token(t).send(),
                |o| token(&o.next_token),
                |o| o.firewall_configs,
            )
            .await;
        });
    }
    scope.drain(&mut set).await;
}
