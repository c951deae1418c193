//! Elastic Load Balancing v2 for one account and region.
use aws_sdk_elasticloadbalancingv2::Client;
use tokio::task::JoinSet;

use super::convert::ToCli;
use super::engine::{Op, Scope};

const fn op(name: &'static str) -> Op {
    Op::new("elbv2", name)
}

/// The largest page ELBv2 allows.
const PAGE_SIZE: i32 = 400;

fn marker(next: &Option<String>) -> Option<String> {
    next.clone().filter(|t| !t.is_empty())
}

/// Load balancers and their listeners, target groups and their targets' health.
pub async fn collect(scope: Scope, client: Client) {
    let mut set = JoinSet::new();
    set.spawn(load_balancers(scope.clone(), client.clone()));
    set.spawn(target_groups(scope.clone(), client));
    scope.drain(&mut set).await;
}

async fn load_balancers(scope: Scope, client: Client) {
    let Some(balancers) = scope
        .listing(
            op("describe-load-balancers"),
            None,
            "LoadBalancers",
            |m| {
                client
                    .describe_load_balancers()
                    .set_marker(m)
                    .page_size(PAGE_SIZE)
                    .send()
            },
            |o| marker(&o.next_marker),
            |o| o.load_balancers,
        )
        .await
    else {
        return;
    };
    let mut set = JoinSet::new();
    for lb in balancers {
        let (Some(name), Some(arn)) = (lb.load_balancer_name, lb.load_balancer_arn) else {
            continue;
        };
        let (s, c) = (scope.clone(), client.clone());
        set.spawn(async move {
            s.listing(
                op("describe-listeners"),
                Some(&name),
                "Listeners",
                |m| {
                    c.describe_listeners()
                        .load_balancer_arn(&arn)
                        .set_marker(m)
                        .page_size(PAGE_SIZE)
                        .send()
                },
                |o| marker(&o.next_marker),
                |o| o.listeners,
            )
            .await;
        });
    }
    scope.drain(&mut set).await;
}

async fn target_groups(scope: Scope, client: Client) {
    let Some(groups) = scope
        .listing(
            op("describe-target-groups"),
            None,
            "TargetGroups",
            |m| {
                client
                    .describe_target_groups()
                    .set_marker(m)
                    .page_size(PAGE_SIZE)
                    .send()
            },
            |o| marker(&o.next_marker),
            |o| o.target_groups,
        )
        .await
    else {
        return;
    };
    let mut set = JoinSet::new();
    for group in groups {
        let (Some(name), Some(arn)) = (group.target_group_name, group.target_group_arn) else {
            continue;
        };
        let (s, c) = (scope.clone(), client.clone());
        set.spawn(async move {
            let health = op("describe-target-health");
            let call = c.describe_target_health().target_group_arn(&arn).send();
            if let Some(out) = s.call(health, Some(&name), call).await {
                if let Some(value) = out.to_cli() {
                    s.write(health, Some(&name), &value);
                }
            }
        });
    }
    scope.drain(&mut set).await;
}
