//! AWS IoT Core (control plane) for one account and region.
use aws_sdk_iot::Client;
use tokio::task::JoinSet;

use super::convert::ToCli;
use super::engine::{Op, Scope};

const fn op(name: &'static str) -> Op {
    Op::new("iot", name)
}

/// The endpoint types collected, each to `iot/describe-endpoint/<file key>.json`.
pub const ENDPOINT_TYPES: [&str; 3] = ["iot:Data-ATS", "iot:CredentialProvider", "iot:Jobs"];

/// `iot:Data-ATS` → `iot-data-ats`: lower case, `:` as `-`.
pub fn endpoint_file_key(endpoint_type: &str) -> String {
    endpoint_type.to_ascii_lowercase().replace(':', "-")
}

/// The largest page IoT allows.
const PAGE_SIZE: i32 = 250;

fn marker(next: &Option<String>) -> Option<String> {
    next.clone().filter(|t| !t.is_empty())
}

/// Endpoints, policies, each policy's document and targets; domain configurations (a layout
/// extension).
pub async fn collect(scope: Scope, client: Client) {
    let mut set = JoinSet::new();
    for endpoint_type in ENDPOINT_TYPES {
        let (s, c) = (scope.clone(), client.clone());
        set.spawn(async move {
            let describe = op("describe-endpoint");
            let key = endpoint_file_key(endpoint_type);
            let call = c.describe_endpoint().endpoint_type(endpoint_type).send();
            if let Some(out) = s.call(describe, Some(&key), call).await {
                if let Some(value) = out.to_cli() {
                    s.write(describe, Some(&key), &value);
                }
            }
        });
    }
    set.spawn(policies(scope.clone(), client.clone()));
    // Custom authorizers (layout extension); `PATHPROOF_SKIP_EXTENSIONS=iot-authorizers`
    // leaves them out where the API is missing (moto): no file, no error, and verify says what
    // it assumed (PP019).
    if !super::ec2::skipped("iot-authorizers") {
        set.spawn(authorizers(scope.clone(), client.clone()));
    }
    set.spawn(domain_configurations(scope.clone(), client.clone()));
    set.spawn(thing_groups(scope.clone(), client));
    scope.drain(&mut set).await;
}

/// `list-thing-groups --recursive` (every group), `describe-thing-group` per group (parent,
/// dynamic query) and, for static groups, `list-things-in-thing-group` (direct members): what
/// the effective policy of a thing needs, one call per group, never one per thing (layout
/// extension). The groups' and certificates' policies are the `list-targets-for-policy` files.
async fn thing_groups(scope: Scope, client: Client) {
    let Some(groups) = scope
        .listing(
            op("list-thing-groups"),
            None,
            "thingGroups",
            |m| {
                client
                    .list_thing_groups()
                    .recursive(true)
                    .set_next_token(m)
                    .max_results(PAGE_SIZE)
                    .send()
            },
            |o| marker(&o.next_token),
            |o| o.thing_groups,
        )
        .await
    else {
        return;
    };
    let mut set = JoinSet::new();
    for name in groups.into_iter().filter_map(|g| g.group_name) {
        let (s, c) = (scope.clone(), client.clone());
        set.spawn(async move {
            let describe = op("describe-thing-group");
            let call = c.describe_thing_group().thing_group_name(&name).send();
            let Some(out) = s.call(describe, Some(&name), call).await else {
                return;
            };
            if let Some(value) = out.to_cli() {
                s.write(describe, Some(&name), &value);
            }
            if out.query_string.is_some() {
                // Dynamic: members follow a fleet indexing query (not collected).
                return;
            }
            s.listing(
                op("list-things-in-thing-group"),
                Some(&name),
                "things",
                |m| {
                    c.list_things_in_thing_group()
                        .thing_group_name(&name)
                        .recursive(false)
                        .set_next_token(m)
                        .max_results(PAGE_SIZE)
                        .send()
                },
                |o| marker(&o.next_token),
                |o| o.things,
            )
            .await;
        });
    }
    scope.drain(&mut set).await;
}

/// `list-authorizers` (every status) and `describe-authorizer` per authorizer (layout
/// extension): an ACTIVE custom authorizer hands devices policies no snapshot holds.
async fn authorizers(scope: Scope, client: Client) {
    let Some(list) = scope
        .listing(
            op("list-authorizers"),
            None,
            "authorizers",
            |m| {
                client
                    .list_authorizers()
                    .set_marker(m)
                    .page_size(PAGE_SIZE)
                    .send()
            },
            |o| marker(&o.next_marker),
            |o| o.authorizers,
        )
        .await
    else {
        return;
    };
    let mut set = JoinSet::new();
    for name in list.into_iter().filter_map(|a| a.authorizer_name) {
        let (s, c) = (scope.clone(), client.clone());
        set.spawn(async move {
            let describe = op("describe-authorizer");
            let call = c.describe_authorizer().authorizer_name(&name).send();
            if let Some(out) = s.call(describe, Some(&name), call).await {
                if let Some(value) = out.to_cli() {
                    s.write(describe, Some(&name), &value);
                }
            }
        });
    }
    scope.drain(&mut set).await;
}

/// `list-domain-configurations` and `describe-domain-configuration` per configuration (layout
/// extension): the names devices may dial besides `describe-endpoint`'s.
async fn domain_configurations(scope: Scope, client: Client) {
    let Some(configs) = scope
        .listing(
            op("list-domain-configurations"),
            None,
            "domainConfigurations",
            |m| {
                client
                    .list_domain_configurations()
                    .set_marker(m)
                    .page_size(PAGE_SIZE)
                    .send()
            },
            |o| marker(&o.next_marker),
            |o| o.domain_configurations,
        )
        .await
    else {
        return;
    };
    let mut set = JoinSet::new();
    for name in configs
        .into_iter()
        .filter_map(|c| c.domain_configuration_name)
    {
        let (s, c) = (scope.clone(), client.clone());
        set.spawn(async move {
            let describe = op("describe-domain-configuration");
            let call = c
                .describe_domain_configuration()
                .domain_configuration_name(&name)
                .send();
            if let Some(out) = s.call(describe, Some(&name), call).await {
                if let Some(value) = out.to_cli() {
                    s.write(describe, Some(&name), &value);
                }
            }
        });
    }
    scope.drain(&mut set).await;
}

async fn policies(scope: Scope, client: Client) {
    let Some(policies) = scope
        .listing(
            op("list-policies"),
            None,
            "policies",
            |m| {
                client
                    .list_policies()
                    .set_marker(m)
                    .page_size(PAGE_SIZE)
                    .send()
            },
            |o| marker(&o.next_marker),
            |o| o.policies,
        )
        .await
    else {
        return;
    };
    let mut set = JoinSet::new();
    for name in policies.into_iter().filter_map(|p| p.policy_name) {
        {
            let (s, c, name) = (scope.clone(), client.clone(), name.clone());
            set.spawn(async move {
                let get = op("get-policy");
                let call = c.get_policy().policy_name(&name).send();
                if let Some(out) = s.call(get, Some(&name), call).await {
                    if let Some(value) = out.to_cli() {
                        s.write(get, Some(&name), &value);
                    }
                }
            });
        }
        let (s, c) = (scope.clone(), client.clone());
        set.spawn(async move {
            s.listing(
                op("list-targets-for-policy"),
                Some(&name),
                "targets",
                |m| {
                    c.list_targets_for_policy()
                        .policy_name(&name)
                        .set_marker(m)
                        .page_size(PAGE_SIZE)
                        .send()
                },
                |o| marker(&o.next_marker),
                |o| o.targets,
            )
            .await;
        });
    }
    scope.drain(&mut set).await;
}
