//! Flags → plan: which accounts (given, or discovered in AWS Organizations), which roles,
//! which Regions, and which (account, Region) pairs this run collects (`--shard I/N`).
//! Nothing here talks to AWS.
use std::collections::BTreeSet;

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};

use crate::cli::CollectArgs;

/// One account to collect: with a role to assume, or the caller's own credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Role {
    /// The caller's credentials, the caller's account.
    Caller,
    /// `--role-arn`: the account is the ARN's.
    Arn { arn: String, account: String },
    /// `--accounts` (or `--organization`) with `--role-name`: the ARN is built in the caller's
    /// partition.
    Named { account: String, name: String },
}

impl Role {
    /// The account, `caller` for [`Role::Caller`].
    pub(crate) fn account<'a>(&'a self, caller: &'a str) -> &'a str {
        match self {
            Role::Caller => caller,
            Role::Arn { account, .. } | Role::Named { account, .. } => account,
        }
    }

    /// The ARN to assume, if any.
    pub(crate) fn arn(&self, partition: &str) -> Option<String> {
        match self {
            Role::Caller => None,
            Role::Arn { arn, .. } => Some(arn.clone()),
            Role::Named { account, name } => {
                Some(format!("arn:{partition}:iam::{account}:role/{name}"))
            }
        }
    }
}

/// `--organization`: the accounts come from AWS Organizations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OrgPlan {
    /// `--ou`: roots or OUs to list (with their nested OUs); empty: the whole organisation.
    pub ous: Vec<String>,
    pub role_name: String,
}

/// Validated flags: nothing here has touched AWS yet.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// Empty with `organization` (filled after discovery).
    pub roles: Vec<Role>,
    pub organization: Option<OrgPlan>,
    /// Empty: the configured region.
    pub regions: Vec<String>,
    pub profile: Option<String>,
    pub external_id: Option<String>,
    pub endpoint_url: Option<String>,
    pub concurrency: usize,
    pub shard: Option<Shard>,
    /// `--dns-extensions`: collect Route 53 Profiles and DNS Firewall.
    pub dns_extensions: bool,
}

impl Plan {
    pub(crate) fn from_args(
        args: &CollectArgs,
        shard: Option<(usize, usize)>,
    ) -> anyhow::Result<Plan> {
        if args.concurrency == 0 {
            bail!("--concurrency must be at least 1");
        }
        let shard = match shard {
            None => None,
            Some((index, count)) => {
                if index == 0 || index > count {
                    bail!("--shard {index}/{count}: expected I/N with 1 <= I <= N");
                }
                Some(Shard { index, count })
            }
        };
        let mut regions = Vec::new();
        for region in &args.regions {
            let region = region.trim();
            if !is_region(region) {
                bail!("--regions: {region:?} is not a region name (like us-west-2)");
            }
            if !regions.iter().any(|r| r == region) {
                regions.push(region.to_owned());
            }
        }
        let mut roles = Vec::new();
        let mut organization = None;
        let mut accounts = BTreeSet::new();
        if args.organization {
            if !args.accounts.is_empty() || !args.role_arn.is_empty() {
                bail!("--organization lists the accounts itself: give it without --accounts or --role-arn");
            }
            let Some(name) = role_name(args)? else {
                bail!("--organization needs --role-name (the role to assume in each account)");
            };
            let mut ous: Vec<String> = Vec::new();
            for ou in &args.ou {
                let ou = ou.trim();
                if !is_parent_id(ou) {
                    bail!(
                        "--ou: {ou:?} is not an organizational unit id (ou-…) or a root id (r-…)"
                    );
                }
                if !ous.iter().any(|o| o == ou) {
                    ous.push(ou.to_owned());
                }
            }
            organization = Some(OrgPlan {
                ous,
                role_name: name,
            });
        } else if !args.ou.is_empty() {
            bail!("--ou needs --organization");
        } else if !args.role_arn.is_empty() {
            for arn in &args.role_arn {
                let account = role_arn_account(arn).with_context(|| {
                    format!("--role-arn {arn:?} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)")
                })?;
                if !accounts.insert(account.clone()) {
                    bail!("--role-arn: two roles for account {account}; give one per account");
                }
                roles.push(Role::Arn {
                    arn: arn.clone(),
                    account,
                });
            }
        } else if !args.accounts.is_empty() {
            let Some(name) = role_name(args)? else {
                bail!("--accounts needs --role-name (the role to assume in each account)");
            };
            for account in &args.accounts {
                let account = account.trim();
                if !is_account(account) {
                    bail!("--accounts: {account:?} is not a 12-digit AWS account id");
                }
                if accounts.insert(account.to_owned()) {
                    roles.push(Role::Named {
                        account: account.to_owned(),
                        name: name.clone(),
                    });
                }
            }
        } else {
            if args.role_name.is_some() {
                bail!(
                    "--role-name needs --accounts or --organization (the accounts to assume it in)"
                );
            }
            if args.external_id.is_some() {
                bail!("--external-id is used when assuming roles: give --accounts, --organization or --role-arn");
            }
            roles.push(Role::Caller);
        }
        Ok(Plan {
            roles,
            organization,
            regions,
            profile: args.profile.clone(),
            external_id: args.external_id.clone(),
            endpoint_url: args.endpoint_url.clone(),
            concurrency: args.concurrency,
            shard,
            dns_extensions: args.dns_extensions,
        })
    }
}

/// `--role-name`, validated: a name, not an ARN.
fn role_name(args: &CollectArgs) -> anyhow::Result<Option<String>> {
    let Some(name) = args
        .role_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    else {
        return Ok(None);
    };
    if name.contains(':') || name.starts_with("role/") {
        bail!("--role-name takes a role name (like PathproofReadOnly); use --role-arn for ARNs");
    }
    Ok(Some(name.to_owned()))
}

pub(crate) fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Region names are used as folder names: lower-case letters, digits and inner dashes only.
pub(crate) fn is_region(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 32
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s != "global"
}

/// A root or OU id, as the Organizations API reference gives `ParentId`'s pattern
/// (botocore `organizations` model, shape `ParentId`):
/// `^(r-[0-9a-z]{4,32})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$`.
pub(crate) fn is_parent_id(s: &str) -> bool {
    let part = |p: &str, min: usize, max: usize| {
        (min..=max).contains(&p.len())
            && p.bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
    };
    if let Some(root) = s.strip_prefix("r-") {
        return part(root, 4, 32);
    }
    if let Some(ou) = s.strip_prefix("ou-") {
        return match ou.split_once('-') {
            Some((root, rest)) => part(root, 4, 32) && part(rest, 8, 32),
            None => false,
        };
    }
    false
}

/// `arn:<partition>:iam::<account>:role/<path/name>` → the account.
pub(crate) fn role_arn_account(arn: &str) -> Option<String> {
    let mut parts = arn.splitn(6, ':');
    let (prefix, partition, service, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    let ok = prefix == "arn"
        && partition.starts_with("aws")
        && service == "iam"
        && region.is_empty()
        && is_account(account)
        && resource
            .strip_prefix("role/")
            .is_some_and(|n| !n.is_empty());
    ok.then(|| account.to_owned())
}

/// `--shard I/N`, recorded in the shard's manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

/// What one account contributes to this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Assignment {
    pub account: String,
    /// The account's Regions this run collects, in the order of `--regions`.
    pub regions: Vec<String>,
    /// Whether this run collects the account's Route 53 (global) data.
    pub route53: bool,
}

/// Which (account, Region) pairs a run collects. Without a shard: all of them, and Route 53 for
/// every account. With shard I/N: the pairs are sorted by (account, Region) — so the split does
/// not depend on the order of `--accounts`, `--regions` or of what Organizations listed — and
/// the k-th pair (counting from 0) belongs to shard `k mod N + 1`: the shards differ in size by
/// at most one pair, and each job can work its share out alone. Route 53 is global: an account's
/// Route 53 data belongs to the shard that holds the account's first Region in sorted order.
/// Accounts keep the plan's order; an account with no pair in the shard is left out.
pub(crate) fn assign(
    accounts: &[String],
    regions: &[String],
    shard: Option<Shard>,
) -> Vec<Assignment> {
    let mut pairs: Vec<(&str, &str)> = accounts
        .iter()
        .flat_map(|a| regions.iter().map(move |r| (a.as_str(), r.as_str())))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let held: BTreeSet<(&str, &str)> = pairs
        .iter()
        .enumerate()
        .filter(|(k, _)| shard.is_none_or(|s| k % s.count == s.index - 1))
        .map(|(_, p)| *p)
        .collect();
    let first_region = regions.iter().min();
    let mut seen = BTreeSet::new();
    accounts
        .iter()
        .filter(|a| seen.insert(a.as_str()))
        .filter_map(|account| {
            let mine: Vec<String> = regions
                .iter()
                .filter(|r| held.contains(&(account.as_str(), r.as_str())))
                .cloned()
                .collect();
            let route53 = first_region
                .is_some_and(|first| held.contains(&(account.as_str(), first.as_str())));
            (!mine.is_empty()).then(|| Assignment {
                account: account.clone(),
                regions: mine,
                route53,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> CollectArgs {
        CollectArgs {
            concurrency: 8,
            ..CollectArgs::default()
        }
    }

    #[test]
    fn role_arns_name_their_account() {
        assert_eq!(
            role_arn_account("arn:aws:iam::111111111111:role/ReadOnly").as_deref(),
            Some("111111111111")
        );
        assert_eq!(
            role_arn_account("arn:aws-us-gov:iam::222222222222:role/path/ReadOnly").as_deref(),
            Some("222222222222")
        );
        for bad in [
            "",
            "arn:aws:iam::111:role/x",
            "arn:aws:iam::111111111111:user/x",
            "arn:aws:iam::111111111111:role/",
            "arn:aws:sts::111111111111:role/x",
            "arn:aws:iam:us-east-1:111111111111:role/x",
        ] {
            assert_eq!(role_arn_account(bad), None, "{bad}");
        }
    }

    #[test]
    fn plans_validate_flags_before_any_call() {
        let plan = Plan::from_args(&args(), None).unwrap();
        assert_eq!(plan.roles, vec![Role::Caller]);

        let mut a = args();
        a.accounts = vec![
            "111111111111".into(),
            "222222222222".into(),
            "111111111111".into(),
        ];
        a.role_name = Some("Audit".into());
        a.regions = vec!["us-west-2".into(), "eu-west-1".into(), "us-west-2".into()];
        let plan = Plan::from_args(&a, None).unwrap();
        assert_eq!(plan.roles.len(), 2, "duplicates dropped");
        assert_eq!(plan.regions, ["us-west-2", "eu-west-1"]);

        for (field, value) in [
            ("regions", "../etc"),
            ("regions", "global"),
            ("regions", "US-WEST-2"),
            ("accounts", "12345"),
            ("role_arn", "arn:aws:iam::111111111111:user/x"),
            ("ou", "ou-../x"),
            ("ou", "o-abcdefghij"),
        ] {
            let mut a = args();
            match field {
                "regions" => a.regions = vec![value.into()],
                "accounts" => {
                    a.accounts = vec![value.into()];
                    a.role_name = Some("Audit".into());
                }
                "ou" => {
                    a.organization = true;
                    a.role_name = Some("Audit".into());
                    a.ou = vec![value.into()];
                }
                _ => a.role_arn = vec![value.into()],
            }
            let err = Plan::from_args(&a, None).unwrap_err().to_string();
            assert!(err.contains(value), "{field}={value}: {err}");
        }

        let mut a = args();
        a.concurrency = 0;
        assert!(Plan::from_args(&a, None).is_err());

        let mut a = args();
        a.role_name = Some("Audit".into());
        assert!(Plan::from_args(&a, None)
            .unwrap_err()
            .to_string()
            .contains("--accounts"));
        let mut a = args();
        a.external_id = Some("x".into());
        assert!(Plan::from_args(&a, None).is_err());

        let mut a = args();
        a.role_arn = vec![
            "arn:aws:iam::111111111111:role/a".into(),
            "arn:aws:iam::111111111111:role/b".into(),
        ];
        assert!(Plan::from_args(&a, None)
            .unwrap_err()
            .to_string()
            .contains("two roles"));

        // --organization: a role name, no account list of its own; --ou only with it.
        let mut a = args();
        a.organization = true;
        assert!(Plan::from_args(&a, None)
            .unwrap_err()
            .to_string()
            .contains("--role-name"));
        a.role_name = Some("Audit".into());
        a.ou = vec![
            "ou-ab12-cdefgh34".into(),
            "r-ab12".into(),
            "ou-ab12-cdefgh34".into(),
        ];
        let plan = Plan::from_args(&a, None).unwrap();
        assert!(plan.roles.is_empty());
        assert_eq!(
            plan.organization,
            Some(OrgPlan {
                ous: vec!["ou-ab12-cdefgh34".into(), "r-ab12".into()],
                role_name: "Audit".into()
            })
        );
        a.accounts = vec!["111111111111".into()];
        assert!(Plan::from_args(&a, None).is_err());
        let mut a = args();
        a.ou = vec!["ou-ab12-cdefgh34".into()];
        assert!(Plan::from_args(&a, None)
            .unwrap_err()
            .to_string()
            .contains("--organization"));

        for bad in [(0, 3), (4, 3), (1, 0)] {
            assert!(Plan::from_args(&args(), Some(bad)).is_err(), "{bad:?}");
        }
        assert_eq!(
            Plan::from_args(&args(), Some((2, 3))).unwrap().shard,
            Some(Shard { index: 2, count: 3 })
        );
    }

    #[test]
    fn parent_ids_follow_the_api_pattern() {
        for good in ["r-ab12", "ou-ab12-cdefgh34", "ou-3zwx-1234abcd5678"] {
            assert!(is_parent_id(good), "{good}");
        }
        for bad in [
            "",
            "r-ab1",
            "ou-ab12",
            "ou-ab12-cdefg",
            "OU-ab12-cdefgh34",
            "ou-ab12-cdefgh34/",
            "o-abcdefghij",
        ] {
            assert!(!is_parent_id(bad), "{bad}");
        }
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    /// The split, worked out by hand from the rule: pairs sorted by (account, Region), the
    /// k-th to shard k mod N + 1; Route 53 with the account's first Region in sorted order.
    #[test]
    fn shards_split_sorted_pairs_round_robin() {
        // B before A and us-west-2 before eu-west-1 on the command line: the order must not
        // matter. Sorted pairs: (A,eu) (A,us) (B,eu) (B,us) → shards 1, 2, 3, 1.
        let accounts = s(&["222222222222", "111111111111"]);
        let regions = s(&["us-west-2", "eu-west-1"]);
        let one = |i| assign(&accounts, &regions, Some(Shard { index: i, count: 3 }));
        let a = |account: &str, regions: &[&str], route53| Assignment {
            account: account.into(),
            regions: s(regions),
            route53,
        };
        assert_eq!(
            one(1),
            [
                a("222222222222", &["us-west-2"], false),
                a("111111111111", &["eu-west-1"], true)
            ]
        );
        assert_eq!(one(2), [a("111111111111", &["us-west-2"], false)]);
        assert_eq!(one(3), [a("222222222222", &["eu-west-1"], true)]);
        // Reordered input, same split.
        let mut sorted_accounts = accounts.clone();
        sorted_accounts.sort();
        let mut sorted_regions = regions.clone();
        sorted_regions.sort();
        for i in 1..=3 {
            let mut x = one(i);
            let mut y = assign(
                &sorted_accounts,
                &sorted_regions,
                Some(Shard { index: i, count: 3 }),
            );
            x.sort_by(|p, q| p.account.cmp(&q.account));
            y.sort_by(|p, q| p.account.cmp(&q.account));
            for v in [&mut x, &mut y] {
                for asg in v.iter_mut() {
                    asg.regions.sort();
                }
            }
            assert_eq!(x, y, "shard {i}");
        }
        // Unsharded: everything, Route 53 everywhere; 1/1 is the same.
        let all = assign(&accounts, &regions, None);
        assert_eq!(
            all,
            [
                a("222222222222", &["us-west-2", "eu-west-1"], true),
                a("111111111111", &["us-west-2", "eu-west-1"], true)
            ]
        );
        assert_eq!(
            assign(&accounts, &regions, Some(Shard { index: 1, count: 1 })),
            all
        );
        // More shards than pairs: the last ones are empty.
        assert!(assign(&accounts, &regions, Some(Shard { index: 5, count: 5 })).is_empty());
    }

    /// Every pair lands in exactly one shard and every account's Route 53 in exactly one, for
    /// many sizes.
    #[test]
    fn shards_partition_the_pairs() {
        for n_accounts in 1..6 {
            for n_regions in 1..5 {
                let accounts: Vec<String> = (0..n_accounts)
                    .map(|i| format!("{:012}", 7 * i + 1))
                    .collect();
                let regions: Vec<String> = (0..n_regions).map(|i| format!("xx-r{i}-1")).collect();
                for count in 1..8 {
                    let mut pairs = Vec::new();
                    let mut route53 = Vec::new();
                    for index in 1..=count {
                        for asg in assign(&accounts, &regions, Some(Shard { index, count })) {
                            for r in &asg.regions {
                                pairs.push((asg.account.clone(), r.clone()));
                            }
                            if asg.route53 {
                                route53.push(asg.account.clone());
                            }
                        }
                    }
                    pairs.sort();
                    route53.sort();
                    assert_eq!(pairs.len(), n_accounts * n_regions);
                    pairs.dedup();
                    assert_eq!(pairs.len(), n_accounts * n_regions);
                    let mut want = accounts.clone();
                    want.sort();
                    assert_eq!(route53, want);
                }
            }
        }
    }
}
