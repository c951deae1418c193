//! Route 53 Profiles for one account and region (layout extension, issue 9 item 7): the
//! Profile associations of the account's VPCs, and each associated Profile's resources.
use aws_sdk_route53profiles::Client;

use super::engine::{Op, Scope};

const fn op(name: &'static str) -> Op {
    Op::new("route53profiles", name)
}

fn token(next: &Option<String>) -> Option<String> {
    next.clone().filter(|t| !t.is_empty())
}

pub async fn collect(scope: Scope, client: Client) {
    let Some(assocs) = scope
        .listing(
            op("list-profile-associations"),
            None,
            "ProfileAssociations",
            |t| client.list_profile_associations().set_next_token(t).send(),
            |o| token(&o.next_token),
            |o| o.profile_associations,
        )
        .await
    else {
        return;
    };
    let mut profiles: Vec<String> = assocs.into_iter().filter_map(|a| a.profile_id).collect();
    profiles.sort();
    profiles.dedup();
    for id in profiles {
        scope
            .listing(
                op("list-profile-resource-associations"),
                Some(&id),
                "ProfileResourceAssociations",
                |t| {
                    client
                        .list_profile_resource_associations()
                        .profile_id(&id)
                        .set_next_token(t)
                        .send()
                },
                |o| token(&o.next_token),
                |o| o.profile_resource_associations,
            )
            .await;
    }
}
