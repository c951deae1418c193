//! Live AWS collection: SDK calls → snapshot files in the layout of the snapshot spec
//! (`docs/snapshot-layout.md`; every data file is what the AWS CLI prints for the same call).
//! Invariant: the only module that talks to AWS.
//!
//! Code map:
//! - `mod.rs`: the run: credentials, accounts, one task per account, `manifest.json`.
//! - [`plan`]: flags → plan (accounts, roles, Regions) and the `--shard` split.
//! - `org.rs`: `--organization`: the accounts from AWS Organizations.
//! - [`engine`]: the call budget (`--concurrency`), pagination, error entries, file writing.
//! - `ec2.rs`, `elbv2.rs`, `resolver.rs`, `iot.rs`, `route53.rs`: one module per service,
//!   each listing every operation of the layout and the per-resource calls that follow.
//! - [`tgw`]: `search-transit-gateway-routes` split until complete.
//! - [`convert`]: SDK types → AWS CLI JSON, one table per resource type.
//! - `manifest.rs`: `manifest.json` and its pathproof extensions.
//! - `progress.rs`: what a run prints on stderr.
//! - [`merge`]: `pathproof snapshot merge`: shards (or other snapshots) into one.
//!
//! A call that fails (denied, throttled past the retries, unsupported in a region, not
//! implemented by the server) does not stop the run: it becomes an `errors` entry in the
//! manifest and its file is not written. What stops the run (an `Err`, exit 2) is what makes
//! the whole snapshot impossible: bad flags, no credentials, no account list from AWS
//! Organizations, an unwritable `--out`.
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use aws_config::retry::RetryConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_config::timeout::TimeoutConfig;
use aws_config::{AppName, BehaviorVersion, Region, SdkConfig};
use aws_sdk_sts::config::SharedCredentialsProvider;
use tokio::task::JoinSet;

use crate::cli::{CollectArgs, SnapshotArgs, SnapshotCommand};
use crate::Outcome;

pub mod convert;
mod ec2;
mod elbv2;
pub mod engine;
mod iot;
mod manifest;
pub mod merge;
mod org;
pub mod plan;
mod profiles;
mod progress;
mod resolver;
mod route53;
pub mod tgw;

use engine::{ErrorEntry, Run, Scope};
pub use manifest::FORMAT;
use manifest::{rfc3339_now, write_manifest, Manifest, ShardInfo, Target};
use plan::{Plan, Role};
use progress::{Accounts, Progress};

/// Every operation the collector calls (as the CLI names it) and the IAM action it needs:
/// `docs/iam-policy.json` is exactly these actions (a test keeps them in step).
/// `sts:GetCallerIdentity` needs no permission; `sts:AssumeRole` is the caller's, not the role's.
pub const OPERATIONS: &[(&str, &str)] = &[
    ("ec2:describe-vpcs", "ec2:DescribeVpcs"),
    ("ec2:describe-vpc-attribute", "ec2:DescribeVpcAttribute"),
    ("ec2:describe-dhcp-options", "ec2:DescribeDhcpOptions"),
    ("ec2:describe-subnets", "ec2:DescribeSubnets"),
    ("ec2:describe-route-tables", "ec2:DescribeRouteTables"),
    (
        "ec2:describe-internet-gateways",
        "ec2:DescribeInternetGateways",
    ),
    (
        "ec2:describe-egress-only-internet-gateways",
        "ec2:DescribeEgressOnlyInternetGateways",
    ),
    ("ec2:describe-nat-gateways", "ec2:DescribeNatGateways"),
    (
        "ec2:describe-vpc-peering-connections",
        "ec2:DescribeVpcPeeringConnections",
    ),
    ("ec2:describe-vpc-endpoints", "ec2:DescribeVpcEndpoints"),
    (
        "ec2:describe-vpc-endpoint-service-configurations",
        "ec2:DescribeVpcEndpointServiceConfigurations",
    ),
    (
        "ec2:describe-vpc-endpoint-service-permissions",
        "ec2:DescribeVpcEndpointServicePermissions",
    ),
    (
        "ec2:describe-network-interfaces",
        "ec2:DescribeNetworkInterfaces",
    ),
    ("ec2:describe-security-groups", "ec2:DescribeSecurityGroups"),
    ("ec2:describe-network-acls", "ec2:DescribeNetworkAcls"),
    (
        "ec2:describe-managed-prefix-lists",
        "ec2:DescribeManagedPrefixLists",
    ),
    (
        "ec2:get-managed-prefix-list-entries",
        "ec2:GetManagedPrefixListEntries",
    ),
    (
        "ec2:describe-transit-gateways",
        "ec2:DescribeTransitGateways",
    ),
    (
        "ec2:describe-transit-gateway-attachments",
        "ec2:DescribeTransitGatewayAttachments",
    ),
    (
        "ec2:describe-transit-gateway-vpc-attachments",
        "ec2:DescribeTransitGatewayVpcAttachments",
    ),
    (
        "ec2:describe-transit-gateway-route-tables",
        "ec2:DescribeTransitGatewayRouteTables",
    ),
    (
        "ec2:search-transit-gateway-routes",
        "ec2:SearchTransitGatewayRoutes",
    ),
    (
        "ec2:get-transit-gateway-prefix-list-references",
        "ec2:GetTransitGatewayPrefixListReferences",
    ),
    (
        "ec2:get-transit-gateway-route-table-associations",
        "ec2:GetTransitGatewayRouteTableAssociations",
    ),
    (
        "ec2:get-transit-gateway-route-table-propagations",
        "ec2:GetTransitGatewayRouteTablePropagations",
    ),
    (
        "ec2:describe-transit-gateway-policy-tables",
        "ec2:DescribeTransitGatewayPolicyTables",
    ),
    (
        "ec2:get-transit-gateway-policy-table-associations",
        "ec2:GetTransitGatewayPolicyTableAssociations",
    ),
    (
        "ec2:get-transit-gateway-policy-table-entries",
        "ec2:GetTransitGatewayPolicyTableEntries",
    ),
    (
        "ec2:describe-vpc-block-public-access-options",
        "ec2:DescribeVpcBlockPublicAccessOptions",
    ),
    (
        "ec2:describe-vpc-block-public-access-exclusions",
        "ec2:DescribeVpcBlockPublicAccessExclusions",
    ),
    ("ec2:describe-vpn-connections", "ec2:DescribeVpnConnections"),
    ("ec2:describe-vpn-gateways", "ec2:DescribeVpnGateways"),
    (
        "elbv2:describe-load-balancers",
        "elasticloadbalancing:DescribeLoadBalancers",
    ),
    (
        "elbv2:describe-target-groups",
        "elasticloadbalancing:DescribeTargetGroups",
    ),
    (
        "elbv2:describe-listeners",
        "elasticloadbalancing:DescribeListeners",
    ),
    (
        "elbv2:describe-target-health",
        "elasticloadbalancing:DescribeTargetHealth",
    ),
    (
        "route53resolver:list-resolver-endpoints",
        "route53resolver:ListResolverEndpoints",
    ),
    (
        "route53resolver:list-resolver-endpoint-ip-addresses",
        "route53resolver:ListResolverEndpointIpAddresses",
    ),
    (
        "route53resolver:list-resolver-rules",
        "route53resolver:ListResolverRules",
    ),
    (
        "route53resolver:list-resolver-rule-associations",
        "route53resolver:ListResolverRuleAssociations",
    ),
    // DNS Firewall and Route 53 Profiles (layout extensions).
    (
        "route53resolver:list-firewall-rule-group-associations",
        "route53resolver:ListFirewallRuleGroupAssociations",
    ),
    (
        "route53resolver:list-firewall-rules",
        "route53resolver:ListFirewallRules",
    ),
    (
        "route53resolver:list-firewall-domain-lists",
        "route53resolver:ListFirewallDomainLists",
    ),
    (
        "route53resolver:list-firewall-domains",
        "route53resolver:ListFirewallDomains",
    ),
    (
        "route53resolver:list-firewall-configs",
        "route53resolver:ListFirewallConfigs",
    ),
    (
        "route53profiles:list-profile-associations",
        "route53profiles:ListProfileAssociations",
    ),
    (
        "route53profiles:list-profile-resource-associations",
        "route53profiles:ListProfileResourceAssociations",
    ),
    ("iot:describe-endpoint", "iot:DescribeEndpoint"),
    ("iot:list-policies", "iot:ListPolicies"),
    ("iot:get-policy", "iot:GetPolicy"),
    ("iot:list-targets-for-policy", "iot:ListTargetsForPolicy"),
    ("iot:list-authorizers", "iot:ListAuthorizers"),
    ("iot:describe-authorizer", "iot:DescribeAuthorizer"),
    (
        "iot:list-domain-configurations",
        "iot:ListDomainConfigurations",
    ),
    (
        "iot:describe-domain-configuration",
        "iot:DescribeDomainConfiguration",
    ),
    ("iot:list-thing-groups", "iot:ListThingGroups"),
    ("iot:describe-thing-group", "iot:DescribeThingGroup"),
    (
        "iot:list-things-in-thing-group",
        "iot:ListThingsInThingGroup",
    ),
    ("route53:list-hosted-zones", "route53:ListHostedZones"),
    ("route53:get-hosted-zone", "route53:GetHostedZone"),
    (
        "route53:list-resource-record-sets",
        "route53:ListResourceRecordSets",
    ),
    (
        "route53:list-vpc-association-authorizations",
        "route53:ListVPCAssociationAuthorizations",
    ),
    // `--organization` only, in the caller's account (management or delegated administrator).
    ("organizations:list-accounts", "organizations:ListAccounts"),
    (
        "organizations:list-accounts-for-parent",
        "organizations:ListAccountsForParent",
    ),
    (
        "organizations:list-organizational-units-for-parent",
        "organizations:ListOrganizationalUnitsForParent",
    ),
];

/// The session name in CloudTrail for roles pathproof assumes.
const SESSION_NAME: &str = "pathproof";

/// What a collection did, for the caller's report.
#[derive(Debug, Clone, PartialEq)]
pub struct CollectSummary {
    /// Target accounts (each in `targets` of the manifest).
    pub accounts: usize,
    /// Regions per account.
    pub regions: usize,
    /// API calls made (every page counts; SDK retries do not).
    pub calls: usize,
    /// Entries in the manifest's `errors`.
    pub errors: usize,
    /// Wall time.
    pub seconds: f64,
}

/// `pathproof snapshot` (and `snapshot merge`): collect into `--out`. `Pass` when every call
/// succeeded, `Fail` (exit 1) when the manifest has errors; `Err` (exit 2) when no snapshot
/// could be made.
pub fn run_snapshot(args: &SnapshotArgs) -> anyhow::Result<Outcome> {
    if let Some(SnapshotCommand::Merge(merge)) = &args.command {
        return merge::run(merge);
    }
    let Some(out) = &args.out else {
        bail!("--out DIR is required: the folder to write the snapshot into");
    };
    let summary = collect_shard_blocking(&args.collect, args.shard, out)?;
    Ok(if summary.errors == 0 {
        Outcome::Pass
    } else {
        Outcome::Fail
    })
}

/// Collects a complete snapshot into `out` (created; must be empty or missing), with progress
/// and a summary on stderr. Builds its own tokio runtime, so call it from synchronous code, not
/// from within a runtime.
pub fn collect_blocking(args: &CollectArgs, out: &Path) -> anyhow::Result<CollectSummary> {
    collect_shard_blocking(args, None, out)
}

/// [`collect_blocking`] for shard `I/N` of the (account, Region) pairs (`--shard`).
pub fn collect_shard_blocking(
    args: &CollectArgs,
    shard: Option<(usize, usize)>,
    out: &Path,
) -> anyhow::Result<CollectSummary> {
    let plan = Plan::from_args(args, shard)?;
    prepare_out(out)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(collect(plan, out))
}

/// `--out` must be a new or empty folder: files left from another run would be evidence of
/// something this run did not see.
pub(crate) fn prepare_out(out: &Path) -> anyhow::Result<()> {
    check_out(out, "--out")?;
    std::fs::create_dir_all(out).with_context(|| format!("cannot create --out {}", out.display()))
}

/// `out` is missing or an empty folder (`flag` names it in the message).
pub(crate) fn check_out(out: &Path, flag: &str) -> anyhow::Result<()> {
    if out.exists() {
        if !out.is_dir() {
            bail!("{flag} {} exists and is not a folder", out.display());
        }
        let mut entries = std::fs::read_dir(out)
            .with_context(|| format!("cannot read {flag} {}", out.display()))?;
        if entries.next().is_some() {
            bail!(
                "{flag} {} is not empty; a snapshot must come from one run: remove it or choose a new folder",
                out.display()
            );
        }
    }
    Ok(())
}

/// The SDK's HTTPS client: hyper + rustls on ring, with the platform's trusted roots. Chosen instead
/// of the SDK's default client (rustls on AWS-LC) only for build time: AWS-LC compiles from C on the
/// critical path of a first build (docs/benchmarks.md "First build"). Every client and credential
/// provider built from the base config (STS, assume-role, SSO) uses this one.
fn https_client() -> aws_sdk_sts::config::SharedHttpClient {
    use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

async fn base_config(plan: &Plan) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(https_client())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(10))
                .operation_attempt_timeout(Duration::from_secs(120))
                .build(),
        );
    if let Ok(name) = AppName::new("pathproof") {
        loader = loader.app_name(name);
    }
    // Throttling is retried with backoff (standard mode); a few more attempts than the SDK's
    // default 3, unless the user chose.
    if std::env::var_os("AWS_MAX_ATTEMPTS").is_none() {
        loader = loader.retry_config(RetryConfig::standard().with_max_attempts(5));
    }
    if let Some(profile) = &plan.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &plan.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some(region) = plan.regions.first() {
        loader = loader.region(Region::new(region.clone()));
    }
    loader.load().await
}

async fn collect(plan: Plan, out: &Path) -> anyhow::Result<CollectSummary> {
    let started = Instant::now();
    let collected_at = rfc3339_now();
    let base = base_config(&plan).await;
    let regions = if plan.regions.is_empty() {
        match base.region() {
            Some(region) if plan::is_region(region.as_ref()) => vec![region.to_string()],
            Some(region) => bail!("the configured region {region:?} is not a region name"),
            None => {
                bail!("no region: pass --regions, or set AWS_REGION or a region in the profile")
            }
        }
    } else {
        plan.regions.clone()
    };

    let run = Run::new(out, plan.concurrency);
    run.set_dns_extensions(plan.dns_extensions);
    // Who are we? Also proves that there are credentials at all.
    run.count_call();
    let caller = aws_sdk_sts::Client::new(&base)
        .get_caller_identity()
        .send()
        .await
        .map_err(|err| anyhow::anyhow!(engine::describe(&err)))
        .context("cannot call sts:GetCallerIdentity with the configured credentials")?;
    let caller_account = caller.account.clone().unwrap_or_default();
    if !plan::is_account(&caller_account) {
        bail!("sts:GetCallerIdentity did not return a 12-digit account id");
    }
    let partition = caller
        .arn
        .as_deref()
        .and_then(|arn| arn.split(':').nth(1))
        .filter(|p| !p.is_empty())
        .unwrap_or("aws")
        .to_owned();

    // The accounts: given, or listed by AWS Organizations in the caller's account.
    let mut organization = None;
    let mut skipped = None;
    let roles = match &plan.organization {
        None => plan.roles.clone(),
        Some(org_plan) => {
            let found = org::discover(
                &Scope::new(&run, &caller_account, "global"),
                &aws_sdk_organizations::Client::new(&base),
                &org_plan.ous,
            )
            .await?;
            for line in progress::skipped_lines(&found.skipped) {
                eprintln!("{line}");
            }
            if found.active.is_empty() {
                bail!(
                    "AWS Organizations lists no ACTIVE account{}: nothing to collect",
                    if org_plan.ous.is_empty() {
                        ""
                    } else {
                        " under --ou"
                    }
                );
            }
            organization = Some(found.organization.clone());
            skipped = Some(
                found
                    .skipped
                    .iter()
                    .map(serde_json::to_value)
                    .collect::<Result<Vec<_>, _>>()
                    .context("cannot encode the skipped accounts")?,
            );
            found
                .active
                .iter()
                .map(|account| Role::Named {
                    account: account.clone(),
                    name: org_plan.role_name.clone(),
                })
                .collect()
        }
    };
    let accounts: Vec<String> = roles
        .iter()
        .map(|role| role.account(&caller_account).to_owned())
        .collect();
    let role_of: BTreeMap<&str, &Role> = accounts.iter().map(String::as_str).zip(&roles).collect();

    // This run's share of the (account, Region) pairs.
    let assignments = plan::assign(&accounts, &regions, plan.shard);
    let shard = plan.shard.map(|s| ShardInfo {
        index: s.index,
        count: s.count,
        scope: accounts
            .iter()
            .map(|account| Target {
                account: account.clone(),
                regions: regions.clone(),
            })
            .collect(),
    });
    if let Some(s) = &shard {
        let pairs: usize = assignments.iter().map(|a| a.regions.len()).sum();
        eprintln!(
            "pathproof: shard {}/{}: {pairs} of {} (account, region) pairs, Route 53 of {} of {} account{}",
            s.index,
            s.count,
            accounts.len() * regions.len(),
            assignments.iter().filter(|a| a.route53).count(),
            accounts.len(),
            progress::plural(accounts.len())
        );
    }
    let targets: Vec<Target> = assignments
        .iter()
        .map(|a| Target {
            account: a.account.clone(),
            regions: a.regions.clone(),
        })
        .collect();

    let manifest = |errors: Vec<ErrorEntry>| -> anyhow::Result<Manifest> {
        Ok(Manifest {
            format: FORMAT,
            collected_at: Some(collected_at.clone()),
            collector: format!("pathproof {}", env!("CARGO_PKG_VERSION")),
            partition: Some(partition.clone()),
            targets: targets.clone(),
            errors: errors
                .iter()
                .map(serde_json::to_value)
                .collect::<Result<Vec<_>, _>>()
                .context("cannot encode manifest errors")?,
            organization: organization.clone(),
            skipped: skipped.clone(),
            shard: shard.clone(),
            merged_from: None,
        })
    };
    // Until the run ends, the manifest says the evidence is incomplete: an interrupted run
    // never looks like a complete snapshot.
    let unfinished = ErrorEntry {
        account: targets
            .first()
            .map_or_else(|| caller_account.clone(), |t| t.account.clone()),
        region: "global".to_owned(),
        operation: "pathproof:collect".to_owned(),
        resource: None,
        message: "the collection did not finish".to_owned(),
    };
    write_manifest(out, &manifest(vec![unfinished])?)?;

    let progress = Progress::start(Arc::clone(&run), assignments.len(), started);
    let mut set = JoinSet::new();
    for assignment in &assignments {
        let arn = role_of
            .get(assignment.account.as_str())
            .and_then(|role| role.arn(&partition));
        set.spawn(collect_account(
            Arc::clone(&run),
            base.clone(),
            arn,
            plan.external_id.clone(),
            assignment.clone(),
            progress.accounts(),
        ));
    }
    Scope::new(&run, &caller_account, "global")
        .drain(&mut set)
        .await;
    progress.stop().await;

    let errors = run.errors();
    write_manifest(out, &manifest(errors.clone())?)?;
    let summary = CollectSummary {
        accounts: assignments.len(),
        regions: regions.len(),
        calls: run.calls(),
        errors: errors.len(),
        seconds: started.elapsed().as_secs_f64(),
    };
    progress::report(&summary, &errors, run.files(), out);
    Ok(summary)
}

/// Everything for one account: assume its role (if any), then Route 53 once (if this run holds
/// it) and every regional service in every Region of the assignment, concurrently.
async fn collect_account(
    run: Arc<Run>,
    base: SdkConfig,
    role_arn: Option<String>,
    external_id: Option<String>,
    assignment: plan::Assignment,
    accounts: Arc<Accounts>,
) {
    let plan::Assignment {
        account,
        regions,
        route53,
    } = assignment;
    let global = Scope::new(&run, &account, "global");
    let done = || accounts.finished(&account, regions.len(), &run.tally(&account));
    let config = match role_arn {
        None => base,
        Some(arn) => {
            let mut builder = AssumeRoleProvider::builder(arn.clone()).session_name(SESSION_NAME);
            if let Some(id) = external_id {
                builder = builder.external_id(id);
            }
            let provider = builder.configure(&base).build().await;
            let config = base
                .into_builder()
                .credentials_provider(aws_credential_provider(provider))
                .build();
            // The assume-role call happens on first use; make it here, once, so that a role
            // that cannot be assumed is one clear error rather than one per operation.
            global.count_call();
            match global
                .try_call(
                    aws_sdk_sts::Client::new(&config)
                        .get_caller_identity()
                        .send(),
                )
                .await
            {
                Ok(identity) if identity.account.as_deref() == Some(account.as_str()) => config,
                Ok(identity) => {
                    global.fail(
                        "sts:assume-role".to_owned(),
                        Some(&arn),
                        format!(
                            "the role's credentials belong to account {}, not {account}",
                            identity.account.as_deref().unwrap_or("(none)")
                        ),
                    );
                    done();
                    return;
                }
                Err(message) => {
                    global.fail("sts:assume-role".to_owned(), Some(&arn), message);
                    done();
                    return;
                }
            }
        }
    };

    let mut set = JoinSet::new();
    if route53 {
        set.spawn(route53::collect(
            global.clone(),
            aws_sdk_route53::Client::new(&config),
        ));
    }
    for region in &regions {
        let config = config
            .to_builder()
            .region(Region::new(region.clone()))
            .build();
        let scope = Scope::new(&run, &account, region);
        set.spawn(ec2::collect(
            scope.clone(),
            aws_sdk_ec2::Client::new(&config),
        ));
        set.spawn(elbv2::collect(
            scope.clone(),
            aws_sdk_elasticloadbalancingv2::Client::new(&config),
        ));
        set.spawn(resolver::collect(
            scope.clone(),
            aws_sdk_route53resolver::Client::new(&config),
        ));
        if scope.dns_extensions() {
            set.spawn(profiles::collect(
                scope.clone(),
                aws_sdk_route53profiles::Client::new(&config),
            ));
        }
        set.spawn(iot::collect(scope, aws_sdk_iot::Client::new(&config)));
    }
    global.drain(&mut set).await;
    done();
}

fn aws_credential_provider(provider: AssumeRoleProvider) -> SharedCredentialsProvider {
    // One shared provider per account: every regional client of the account reuses the same
    // cached credentials (one sts:AssumeRole per account, refreshed when they expire).
    SharedCredentialsProvider::new(provider)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn out_must_be_new_or_empty() {
        let dir = tempfile::tempdir().unwrap();
        prepare_out(&dir.path().join("new/snap")).unwrap();
        prepare_out(dir.path().join("new/snap").as_path()).unwrap();
        std::fs::write(dir.path().join("new/snap/old.json"), "{}").unwrap();
        let err = prepare_out(&dir.path().join("new/snap")).unwrap_err();
        assert!(err.to_string().contains("not empty"), "{err}");
        let err = prepare_out(&dir.path().join("new/snap/old.json")).unwrap_err();
        assert!(err.to_string().contains("not a folder"), "{err}");
    }

    #[test]
    fn the_iam_policy_is_exactly_the_operations_called() {
        let policy: serde_json::Value =
            serde_json::from_str(include_str!("../../docs/iam-policy.json")).unwrap();
        let mut granted: Vec<String> = policy["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["Action"].as_array().unwrap().clone())
            .map(|a| a.as_str().unwrap().to_owned())
            .collect();
        granted.sort();
        let mut needed: Vec<String> = OPERATIONS.iter().map(|(_, a)| a.to_string()).collect();
        needed.sort();
        needed.dedup();
        assert_eq!(granted, needed);

        // Every operation the service modules name is in the table, and every one in the
        // table is named by a module.
        let sources = [
            ("ec2", include_str!("ec2.rs")),
            ("elbv2", include_str!("elbv2.rs")),
            ("route53resolver", include_str!("resolver.rs")),
            ("route53profiles", include_str!("profiles.rs")),
            ("iot", include_str!("iot.rs")),
            ("route53", include_str!("route53.rs")),
            ("organizations", include_str!("org.rs")),
        ];
        let mut named = BTreeSet::new();
        for (service, source) in sources {
            // String literals (every other piece between quotes) that look like CLI operations.
            for literal in source.split('"').skip(1).step_by(2) {
                let verb = literal.split('-').next().unwrap_or("");
                let is_op = ["describe", "get", "list", "search"].contains(&verb)
                    && literal.contains('-')
                    && literal.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
                if is_op {
                    named.insert(format!("{service}:{literal}"));
                }
            }
        }
        named.insert(tgw::SEARCH.to_owned());
        named.insert(tgw::PREFIX_LIST_REFERENCES.to_owned());
        let table: BTreeSet<String> = OPERATIONS.iter().map(|(o, _)| o.to_string()).collect();
        assert_eq!(named, table);

        // The Organizations actions are the caller's (a statement of their own), the others
        // the read-only role's in each account.
        let org_statement: Vec<&str> = policy["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["Sid"] == "PathproofOrganizationsDiscovery")
            .expect("a statement for --organization")["Action"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        assert_eq!(
            org_statement,
            [
                "organizations:ListAccounts",
                "organizations:ListAccountsForParent",
                "organizations:ListOrganizationalUnitsForParent"
            ]
        );
    }

    #[test]
    fn iot_endpoint_files_are_named_by_type() {
        let keys: Vec<String> = iot::ENDPOINT_TYPES
            .iter()
            .map(|t| iot::endpoint_file_key(t))
            .collect();
        assert_eq!(keys, ["iot-data-ats", "iot-credentialprovider", "iot-jobs"]);
        assert_eq!(route53::zone_key("/hostedzone/Z123"), "Z123");
        assert_eq!(route53::zone_key("Z123"), "Z123");
    }
}
