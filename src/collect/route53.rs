//! Route 53 (global): hosted zones, their VPCs, records and VPC association authorizations.
use aws_sdk_route53::types::RrType;
use aws_sdk_route53::Client;
use serde_json::{Map, Value};
use tokio::task::JoinSet;

use super::convert::{list, ToCli};
use super::engine::{Op, Scope};

const fn op(name: &'static str) -> Op {
    Op::new("route53", name)
}

/// `/hostedzone/Z123` → `Z123`, as `get-hosted-zone --id` takes it and file names use it.
pub fn zone_key(id: &str) -> &str {
    id.strip_prefix("/hostedzone/").unwrap_or(id)
}

/// Every Route 53 file of the layout for one account (`<account>/global/route53/`).
pub async fn collect(scope: Scope, client: Client) {
    let Some(zones) = scope
        .listing(
            op("list-hosted-zones"),
            None,
            "HostedZones",
            |m| client.list_hosted_zones().set_marker(m).send(),
            |o| {
                if o.is_truncated {
                    o.next_marker.clone().filter(|t| !t.is_empty())
                } else {
                    None
                }
            },
            |o| Some(o.hosted_zones),
        )
        .await
    else {
        return;
    };
    let mut set = JoinSet::new();
    for zone in zones {
        let id = zone_key(&zone.id).to_owned();
        let private = zone.config.as_ref().is_some_and(|c| c.private_zone);
        {
            let (s, c, id) = (scope.clone(), client.clone(), id.clone());
            set.spawn(async move {
                let get = op("get-hosted-zone");
                if let Some(out) = s
                    .call(get, Some(&id), c.get_hosted_zone().id(&id).send())
                    .await
                {
                    if let Some(value) = out.to_cli() {
                        s.write(get, Some(&id), &value);
                    }
                }
            });
        }
        {
            let (s, c, id) = (scope.clone(), client.clone(), id.clone());
            set.spawn(async move {
                s.listing(
                    op("list-resource-record-sets"),
                    Some(&id),
                    "ResourceRecordSets",
                    |start: Option<(String, String, Option<String>)>| {
                        let (name, kind, identifier) = match start {
                            Some((n, t, i)) => (Some(n), Some(RrType::from(t.as_str())), i),
                            None => (None, None, None),
                        };
                        c.list_resource_record_sets()
                            .hosted_zone_id(&id)
                            .set_start_record_name(name)
                            .set_start_record_type(kind)
                            .set_start_record_identifier(identifier)
                            .send()
                    },
                    |o| match (o.is_truncated, &o.next_record_name, &o.next_record_type) {
                        (true, Some(name), Some(kind)) => Some((
                            name.clone(),
                            kind.as_str().to_owned(),
                            o.next_record_identifier.clone(),
                        )),
                        _ => None,
                    },
                    |o| Some(o.resource_record_sets),
                )
                .await;
            });
        }
        if private {
            let (s, c) = (scope.clone(), client.clone());
            set.spawn(async move { authorizations(s, c, id).await });
        }
    }
    scope.drain(&mut set).await;
}

/// `list-vpc-association-authorizations` for a private zone: `{"VPCs": [...], "HostedZoneId"}`
/// (the CLI puts the non-list member after the merged list).
async fn authorizations(scope: Scope, client: Client, id: String) {
    let authorizations = op("list-vpc-association-authorizations");
    let Some(pages) = scope
        .pages(
            authorizations,
            Some(&id),
            |t| {
                client
                    .list_vpc_association_authorizations()
                    .hosted_zone_id(&id)
                    .set_next_token(t)
                    .send()
            },
            |o| o.next_token.clone().filter(|t| !t.is_empty()),
        )
        .await
    else {
        return;
    };
    let zone_id = pages.first().map(|p| p.hosted_zone_id.clone());
    let vpcs: Vec<_> = pages.into_iter().flat_map(|p| p.vpcs).collect();
    let mut file = Map::new();
    file.insert("VPCs".to_owned(), list(&vpcs));
    if let Some(zone_id) = zone_id.and_then(|z| z.to_cli()) {
        file.insert("HostedZoneId".to_owned(), zone_id);
    }
    scope.write(authorizations, Some(&id), &Value::Object(file));
}
