//! `--organization`: the accounts to collect, from AWS Organizations, called with the caller's
//! credentials (the management account or a delegated administrator: the Organizations API
//! reference says of `ListAccounts`, `ListAccountsForParent` and
//! `ListOrganizationalUnitsForParent` "You can only call this operation from the management
//! account or a member account that is a delegated administrator").
//!
//! - Without `--ou`: `organizations:ListAccounts`, every account of the organisation.
//! - With `--ou`: for each given OU (or root), breadth first: `ListAccountsForParent` (the
//!   accounts directly in that parent — "If you specify an OU, you get a list of all the accounts
//!   in only that OU and not in any child OUs") and `ListOrganizationalUnitsForParent` (its child
//!   OUs), then the same for every child OU, until no parent has children. Each parent is
//!   listed once, however many given OUs contain it.
//!
//! Every page is read until `NextToken` is absent: the API reference warns that these calls "can
//! occasionally return an empty set of results even when more results are available".
//!
//! Which accounts are collected: `Account.State` when present (`PENDING_ACTIVATION | ACTIVE |
//! SUSPENDED | PENDING_CLOSURE | CLOSED`, the newer field; `Status` "will be retired on September
//! 9, 2026"), else `Account.Status` (`ACTIVE | SUSPENDED | PENDING_CLOSURE`) — Organizations API
//! reference, `Account`, and the Organizations User Guide, "Monitor the state of your AWS
//! accounts". ACTIVE accounts are collected; the documented inactive values are skipped and listed
//! in the manifest's `skipped`. A value these documents do not name, or no value at all, is not
//! a reason to leave an account out: it is collected, and if its role cannot be assumed that is
//! an `errors` entry, so the evidence is incomplete rather than silently smaller.
//!
//! Any failure here is an `Err` (exit 2): without the account list there is no scope to collect.
use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};
use std::future::Future;

use anyhow::{anyhow, bail};
use aws_sdk_ec2::config::http::HttpResponse;
use aws_sdk_ec2::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_organizations::Client;
use serde_json::{json, Map, Value};

use super::engine::Scope;
use super::manifest::Skipped;
use super::plan::is_account;

/// The operations, as the CLI names them (`organizations list-accounts`).
pub(crate) const LIST_ACCOUNTS: &str = "list-accounts";
pub(crate) const LIST_ACCOUNTS_FOR_PARENT: &str = "list-accounts-for-parent";
pub(crate) const LIST_OUS_FOR_PARENT: &str = "list-organizational-units-for-parent";

/// Bounds on what a server may make discovery do. The default quota is far lower (Organizations
/// User Guide, "Quotas for AWS Organizations": OUs and accounts per organisation).
const MAX_PARENTS: usize = 20_000;
const MAX_PAGES: usize = 100_000;
const MAX_ACCOUNTS: usize = 100_000;

/// What discovery found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Discovery {
    /// Accounts to collect, sorted.
    pub active: Vec<String>,
    /// Accounts listed but not collected, sorted by account.
    pub skipped: Vec<Skipped>,
    /// The manifest's `organization` extension.
    pub organization: Value,
}

/// One account as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Listed {
    state: Option<String>,
    status: Option<String>,
    organization: Option<String>,
}

pub(crate) async fn discover(
    scope: &Scope,
    client: &Client,
    ous: &[String],
) -> anyhow::Result<Discovery> {
    let mut listed: BTreeMap<String, Listed> = BTreeMap::new();
    if ous.is_empty() {
        let pages = all_pages(
            scope,
            LIST_ACCOUNTS,
            None,
            |token| {
                client
                    .list_accounts()
                    .max_results(20)
                    .set_next_token(token)
                    .send()
            },
            |page| page.next_token.clone(),
        )
        .await?;
        for page in pages {
            add_accounts(
                &mut listed,
                page.accounts.unwrap_or_default(),
                LIST_ACCOUNTS,
            )?;
        }
    } else {
        let mut queue: VecDeque<String> = ous.iter().cloned().collect();
        let mut seen: HashSet<String> = ous.iter().cloned().collect();
        while let Some(parent) = queue.pop_front() {
            let pages = all_pages(
                scope,
                LIST_ACCOUNTS_FOR_PARENT,
                Some(&parent),
                |token| {
                    client
                        .list_accounts_for_parent()
                        .parent_id(parent.clone())
                        .max_results(20)
                        .set_next_token(token)
                        .send()
                },
                |page| page.next_token.clone(),
            )
            .await?;
            for page in pages {
                add_accounts(
                    &mut listed,
                    page.accounts.unwrap_or_default(),
                    LIST_ACCOUNTS_FOR_PARENT,
                )?;
            }
            let pages = all_pages(
                scope,
                LIST_OUS_FOR_PARENT,
                Some(&parent),
                |token| {
                    client
                        .list_organizational_units_for_parent()
                        .parent_id(parent.clone())
                        .max_results(20)
                        .set_next_token(token)
                        .send()
                },
                |page| page.next_token.clone(),
            )
            .await?;
            for page in pages {
                for ou in page.organizational_units.unwrap_or_default() {
                    let Some(id) = ou.id else {
                        bail!("organizations:{LIST_OUS_FOR_PARENT} {parent}: an organizational unit without an Id");
                    };
                    if seen.insert(id.clone()) {
                        if seen.len() > MAX_PARENTS {
                            bail!("organizations: more than {MAX_PARENTS} organizational units under --ou; refusing to go on");
                        }
                        queue.push_back(id);
                    }
                }
            }
        }
    }
    Ok(decide(listed, ous))
}

/// Records the listed accounts; the same account listed twice with different states is an
/// inconsistent answer (an error), never silently one of them.
fn add_accounts(
    listed: &mut BTreeMap<String, Listed>,
    accounts: Vec<aws_sdk_organizations::types::Account>,
    op: &str,
) -> anyhow::Result<()> {
    for account in accounts {
        let Some(id) = account.id.clone() else {
            bail!("organizations:{op} returned an account without an Id");
        };
        if !is_account(&id) {
            bail!("organizations:{op} returned the account id {id:?}, which is not 12 digits");
        }
        let entry = Listed {
            state: account.state.as_ref().map(|s| s.as_str().to_owned()),
            status: account.status.as_ref().map(|s| s.as_str().to_owned()),
            organization: account.arn.as_deref().and_then(organization_of_arn),
        };
        match listed.get(&id) {
            Some(previous) if previous != &entry => bail!(
                "organizations:{op} listed account {id} twice with different states ({:?}/{:?} and {:?}/{:?})",
                previous.state,
                previous.status,
                entry.state,
                entry.status
            ),
            Some(_) => {}
            None => {
                if listed.len() >= MAX_ACCOUNTS {
                    bail!("organizations: more than {MAX_ACCOUNTS} accounts; refusing to go on");
                }
                listed.insert(id, entry);
            }
        }
    }
    Ok(())
}

/// Whether an account is collected, from `State` (preferred) or `Status`; see the module doc.
pub(crate) fn is_active(state: Option<&str>, status: Option<&str>) -> bool {
    const INACTIVE_STATES: &[&str] = &[
        "PENDING_ACTIVATION",
        "SUSPENDED",
        "PENDING_CLOSURE",
        "CLOSED",
    ];
    const INACTIVE_STATUSES: &[&str] = &["SUSPENDED", "PENDING_CLOSURE"];
    match (state, status) {
        (Some(state), _) => !INACTIVE_STATES.contains(&state),
        (None, Some(status)) => !INACTIVE_STATUSES.contains(&status),
        (None, None) => true,
    }
}

fn decide(listed: BTreeMap<String, Listed>, ous: &[String]) -> Discovery {
    let mut active = Vec::new();
    let mut skipped = Vec::new();
    let orgs: BTreeSet<&str> = listed
        .values()
        .filter_map(|l| l.organization.as_deref())
        .collect();
    for (account, l) in &listed {
        if is_active(l.state.as_deref(), l.status.as_deref()) {
            active.push(account.clone());
        } else {
            skipped.push(Skipped {
                account: account.clone(),
                state: l.state.clone(),
                status: l.status.clone(),
                message: "not ACTIVE in AWS Organizations: not collected".to_owned(),
            });
        }
    }
    let mut organization = Map::new();
    if let (1, Some(id)) = (orgs.len(), orgs.iter().next()) {
        organization.insert("id".into(), json!(id));
    }
    if !ous.is_empty() {
        organization.insert("ous".into(), json!(ous));
    }
    Discovery {
        active,
        skipped,
        organization: Value::Object(organization),
    }
}

/// `arn:<partition>:organizations::<management>:account/o-<id>/<account>` → `o-<id>` (Organizations
/// API reference, `Account.Arn` pattern).
fn organization_of_arn(arn: &str) -> Option<String> {
    let resource = arn.splitn(6, ':').nth(5)?;
    let mut parts = resource.split('/');
    let (kind, org) = (parts.next()?, parts.next()?);
    let ok = kind == "account"
        && org.strip_prefix("o-").is_some_and(|rest| {
            (10..=32).contains(&rest.len())
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    ok.then(|| org.to_owned())
}

/// Every page of one listing; a failed page (or a loop of page tokens) is an error.
async fn all_pages<O, E, F, Fut>(
    scope: &Scope,
    op: &str,
    parent: Option<&str>,
    mut call: F,
    next: impl Fn(&O) -> Option<String>,
) -> anyhow::Result<Vec<O>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<O, SdkError<E, HttpResponse>>>,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let what = match parent {
        Some(p) => format!("organizations:{op} --parent-id {p}"),
        None => format!("organizations:{op}"),
    };
    let mut pages = Vec::new();
    let mut token = None;
    let mut seen = HashSet::new();
    loop {
        let page = scope
            .try_call(call(token.take()))
            .await
            .map_err(|message| {
                anyhow!(
                    "cannot list the organisation's accounts: {what} failed: {message}. \
                 --organization must run in the organisation's management account or in a \
                 delegated administrator account, with the organizations: permissions of \
                 docs/iam-policy.json"
                )
            })?;
        let following = next(&page).filter(|t| !t.is_empty());
        pages.push(page);
        match following {
            None => return Ok(pages),
            Some(t) => {
                if !seen.insert(t.clone()) || pages.len() >= MAX_PAGES {
                    bail!(
                        "{what}: the service repeated a page token; the account list is incomplete"
                    );
                }
                token = Some(t);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table of the Organizations API reference (`Account.State`, `Account.Status`) and the
    /// User Guide's account states: only ACTIVE is collected; an undocumented value is tried.
    #[test]
    fn only_active_accounts_are_collected() {
        for (state, status, active) in [
            (Some("ACTIVE"), Some("ACTIVE"), true),
            (Some("ACTIVE"), None, true),
            (Some("PENDING_ACTIVATION"), None, false),
            (Some("SUSPENDED"), Some("SUSPENDED"), false),
            (Some("PENDING_CLOSURE"), Some("PENDING_CLOSURE"), false),
            (Some("CLOSED"), Some("SUSPENDED"), false),
            // State is the field AWS says to use; it decides when both are present.
            (Some("ACTIVE"), Some("SUSPENDED"), true),
            (Some("SUSPENDED"), Some("ACTIVE"), false),
            (None, Some("ACTIVE"), true),
            (None, Some("SUSPENDED"), false),
            (None, Some("PENDING_CLOSURE"), false),
            // Not documented: collected (a failure to reach it is an errors entry).
            (Some("SOMETHING_NEW"), None, true),
            (None, Some("SOMETHING_NEW"), true),
            (None, None, true),
        ] {
            assert_eq!(is_active(state, status), active, "{state:?} {status:?}");
        }
    }

    #[test]
    fn organization_ids_come_from_account_arns() {
        assert_eq!(
            organization_of_arn(
                "arn:aws:organizations::111111111111:account/o-exampleorgid/222222222222"
            )
            .as_deref(),
            Some("o-exampleorgid")
        );
        for bad in [
            "",
            "arn:aws:organizations::111111111111:ou/o-exampleorgid/ou-ab12-cdefgh34",
            "arn:aws:organizations::111111111111:account/o-short/222222222222",
            "arn:aws:organizations::111111111111:account/o-Example0rgid/222222222222",
        ] {
            assert_eq!(organization_of_arn(bad), None, "{bad}");
        }
    }

    #[test]
    fn decisions_sort_and_list_the_skipped() {
        let mut listed = BTreeMap::new();
        let l = |state: Option<&str>| Listed {
            state: state.map(str::to_owned),
            status: None,
            organization: Some("o-exampleorgid".into()),
        };
        listed.insert("333333333333".into(), l(Some("ACTIVE")));
        listed.insert("111111111111".into(), l(Some("SUSPENDED")));
        listed.insert("222222222222".into(), l(Some("ACTIVE")));
        let d = decide(listed, &["ou-ab12-cdefgh34".to_owned()]);
        assert_eq!(d.active, ["222222222222", "333333333333"]);
        assert_eq!(d.skipped.len(), 1);
        assert_eq!(d.skipped[0].account, "111111111111");
        assert_eq!(d.skipped[0].state.as_deref(), Some("SUSPENDED"));
        assert_eq!(
            d.organization,
            json!({"id": "o-exampleorgid", "ous": ["ou-ab12-cdefgh34"]})
        );
    }
}
