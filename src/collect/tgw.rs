//! All routes of one transit gateway route table.
//!
//! `search-transit-gateway-routes` returns at most 1,000 routes per query and says so with
//! `AdditionalRoutesAvailable` (newer API versions may also page with `NextToken`, which the
//! [`RouteSource`] follows). When a query is cut short, the search is split (snapshot layout, "Notes
//! for collectors"): the address space is halved with `route-search.subnet-of-match`, recursively,
//! each split prefix itself fetched with `route-search.exact-match`, and routes to prefix lists are
//! fetched per referenced prefix list. Routes are merged without duplicates; when a query still
//! cannot be completed (more than 1,000 routes for a single prefix, or too many queries), the
//! result is an error and no file is written.
use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;

use aws_sdk_ec2::types::{Filter, TransitGatewayRoute};
use ipnet::IpNet;

/// A boxed, sendable future (the sources are called from spawned tasks).
pub type BoxFut<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One search query's answer, all of its `NextToken` pages merged.
#[derive(Debug, Default)]
pub struct SearchPage {
    pub routes: Vec<TransitGatewayRoute>,
    /// `AdditionalRoutesAvailable`: the query matched more routes than it returned.
    pub more: bool,
}

/// A call that failed: the operation (`ec2:...`) and the message for the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    pub operation: &'static str,
    pub message: String,
}

/// Where routes come from: the EC2 API for one route table, or a fake in tests.
pub trait RouteSource: Sync {
    /// `search-transit-gateway-routes` with these filters (plus the route table id).
    fn search(&self, filters: Vec<Filter>) -> BoxFut<'_, Result<SearchPage, Failed>>;
    /// Ids of the prefix lists the route table references
    /// (`get-transit-gateway-prefix-list-references`).
    fn prefix_list_ids(&self) -> BoxFut<'_, Result<Vec<String>, Failed>>;
}

/// Upper bound on queries for one route table; 1,000 routes per query makes that millions of
/// routes, far beyond any AWS quota, so hitting it means the answers do not add up.
const MAX_QUERIES: usize = 4_096;

pub const SEARCH: &str = "ec2:search-transit-gateway-routes";
pub const PREFIX_LIST_REFERENCES: &str = "ec2:get-transit-gateway-prefix-list-references";

fn filter(name: &str, values: &[&str]) -> Filter {
    let mut builder = Filter::builder().name(name);
    for value in values {
        builder = builder.values(*value);
    }
    builder.build()
}

/// Every route (static, propagated, blackhole) of the table.
pub async fn all_routes(source: &dyn RouteSource) -> Result<Vec<TransitGatewayRoute>, Failed> {
    let kinds = || vec![filter("type", &["static", "propagated"])];
    let first = source.search(kinds()).await?;
    let mut merged = Merged::default();
    merged.add(first.routes);
    if !first.more {
        return Ok(merged.routes);
    }

    let mut queries = 1usize;
    let mut stack: Vec<IpNet> = ["::/0", "0.0.0.0/0"]
        .iter()
        .filter_map(|c| c.parse().ok())
        .collect();
    while let Some(net) = stack.pop() {
        queries += 1;
        if queries > MAX_QUERIES {
            return Err(too_many(queries));
        }
        let cidr = net.to_string();
        let mut filters = kinds();
        filters.push(filter("route-search.subnet-of-match", &[&cidr]));
        let page = source.search(filters).await?;
        merged.add(page.routes);
        if !page.more {
            continue;
        }
        // The prefix itself is in neither half.
        let mut filters = kinds();
        filters.push(filter("route-search.exact-match", &[&cidr]));
        let exact = source.search(filters).await?;
        queries += 1;
        if exact.more {
            return Err(Failed {
                operation: SEARCH,
                message: format!("more than 1000 routes for the single prefix {cidr}"),
            });
        }
        merged.add(exact.routes);
        let halves = net
            .subnets(net.prefix_len().saturating_add(1))
            .map(|s| s.collect::<Vec<_>>())
            .unwrap_or_default();
        if halves.is_empty() {
            return Err(Failed {
                operation: SEARCH,
                message: format!("more than 1000 routes within {cidr}, which cannot be split"),
            });
        }
        stack.extend(halves.into_iter().rev());
    }

    for id in source.prefix_list_ids().await? {
        queries += 1;
        if queries > MAX_QUERIES {
            return Err(too_many(queries));
        }
        let mut filters = kinds();
        filters.push(filter("prefix-list-id", &[&id]));
        let page = source.search(filters).await?;
        if page.more {
            return Err(Failed {
                operation: SEARCH,
                message: format!("more than 1000 routes to prefix list {id}"),
            });
        }
        merged.add(page.routes);
    }
    Ok(merged.routes)
}

fn too_many(queries: usize) -> Failed {
    Failed {
        operation: SEARCH,
        message: format!(
            "AdditionalRoutesAvailable was still true after {queries} split queries; giving up"
        ),
    }
}

/// Routes in first-seen order, each destination and type once.
#[derive(Default)]
struct Merged {
    seen: HashSet<(Option<String>, Option<String>, Option<String>)>,
    routes: Vec<TransitGatewayRoute>,
}

impl Merged {
    fn add(&mut self, routes: Vec<TransitGatewayRoute>) {
        for route in routes {
            let key = (
                route.destination_cidr_block.clone(),
                route.prefix_list_id.clone(),
                route.r#type.as_ref().map(|t| t.as_str().to_owned()),
            );
            if self.seen.insert(key) {
                self.routes.push(route);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::{TransitGatewayRouteState, TransitGatewayRouteType};
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A route table that answers like EC2: at most `limit` routes per query.
    struct Fake {
        routes: Vec<TransitGatewayRoute>,
        prefix_lists: Vec<String>,
        limit: usize,
        calls: AtomicUsize,
    }

    fn route(cidr: Option<&str>, pl: Option<&str>) -> TransitGatewayRoute {
        TransitGatewayRoute::builder()
            .set_destination_cidr_block(cidr.map(str::to_owned))
            .set_prefix_list_id(pl.map(str::to_owned))
            .r#type(TransitGatewayRouteType::Static)
            .state(TransitGatewayRouteState::Active)
            .build()
    }

    impl Fake {
        fn new(routes: Vec<TransitGatewayRoute>, prefix_lists: &[&str], limit: usize) -> Self {
            Fake {
                routes,
                prefix_lists: prefix_lists.iter().map(|s| s.to_string()).collect(),
                limit,
                calls: AtomicUsize::new(0),
            }
        }

        fn matches(route: &TransitGatewayRoute, filters: &[Filter]) -> bool {
            let cidr: Option<IpNet> = route
                .destination_cidr_block
                .as_deref()
                .and_then(|c| c.parse().ok());
            filters.iter().all(|f| {
                let value: &str = f.values().first().map(String::as_str).unwrap_or("");
                match f.name().unwrap_or("") {
                    "type" => true,
                    "route-search.subnet-of-match" => {
                        let net: IpNet = value.parse().unwrap();
                        cidr.is_some_and(|c| net.contains(&c))
                    }
                    "route-search.exact-match" => {
                        let net: IpNet = value.parse().unwrap();
                        cidr == Some(net)
                    }
                    "prefix-list-id" => route.prefix_list_id.as_deref() == Some(value),
                    other => panic!("unexpected filter {other}"),
                }
            })
        }
    }

    impl RouteSource for Fake {
        fn search(&self, filters: Vec<Filter>) -> BoxFut<'_, Result<SearchPage, Failed>> {
            self.calls.fetch_add(1, Ordering::Relaxed);
            let all: Vec<_> = self
                .routes
                .iter()
                .filter(|r| Fake::matches(r, &filters))
                .cloned()
                .collect();
            let more = all.len() > self.limit;
            let routes = all.into_iter().take(self.limit).collect();
            Box::pin(async move { Ok(SearchPage { routes, more }) })
        }

        fn prefix_list_ids(&self) -> BoxFut<'_, Result<Vec<String>, Failed>> {
            let ids = self.prefix_lists.clone();
            Box::pin(async move { Ok(ids) })
        }
    }

    fn run(fake: &Fake) -> Result<Vec<TransitGatewayRoute>, Failed> {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(all_routes(fake))
    }

    fn cidrs(routes: &[TransitGatewayRoute]) -> HashSet<String> {
        routes
            .iter()
            .map(|r| {
                r.destination_cidr_block
                    .clone()
                    .or_else(|| r.prefix_list_id.clone())
                    .unwrap()
            })
            .collect()
    }

    #[test]
    fn a_small_table_takes_one_query() {
        let fake = Fake::new(vec![route(Some("10.0.0.0/16"), None)], &[], 1000);
        let routes = run(&fake).unwrap();
        assert_eq!(routes.len(), 1);
        assert_eq!(fake.calls.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn a_cut_short_table_is_split_until_every_route_is_found() {
        // 2,500 /24s in 10.0.0.0/8, a default route, an IPv6 route and a prefix-list route.
        let mut routes: Vec<_> = (0..2500)
            .map(|i| route(Some(&format!("10.{}.{}.0/24", i / 256, i % 256)), None))
            .collect();
        routes.push(route(Some("0.0.0.0/0"), None));
        routes.push(route(Some("2001:db8::/32"), None));
        routes.push(route(None, Some("pl-1")));
        let expected = cidrs(&routes);
        let fake = Fake::new(routes, &["pl-1"], 1000);
        let found = run(&fake).unwrap();
        assert_eq!(found.len(), expected.len(), "no duplicates");
        assert_eq!(cidrs(&found), expected);
        assert!(fake.calls.load(Ordering::Relaxed) < 100);
    }

    #[test]
    fn too_many_routes_for_one_prefix_is_an_error_not_a_partial_file() {
        // A limit of 0 makes every non-empty answer "cut short", down to the single prefix.
        let fake = Fake::new(vec![route(Some("10.0.0.0/8"), None)], &[], 0);
        let err = run(&fake).unwrap_err();
        assert_eq!(err.operation, SEARCH);
        assert!(err.message.contains("single prefix"), "{}", err.message);
    }
}
