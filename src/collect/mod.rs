//! Live AWS collection: SDK calls → snapshot files in the layout of the snapshot spec
//! (`docs/snapshot-layout.md`; every data file is what the AWS CLI prints for the same call).
//! Invariant: the only module that talks to AWS.
//!
//! Code map:
//! - `mod.rs`: flags → plan (accounts, roles, regions), credentials, the run, `manifest.json`.
//! - [`engine`]: the call budget (`--concurrency`), pagination, error entries, file writing.
//! - `ec2.rs`, `elbv2.rs`, `resolver.rs`, `iot.rs`, `route53.rs`: one module per service,
//!   each listing every operation of the layout and the per-resource calls that follow.
//! - [`tgw`]: `search-transit-gateway-routes` split until complete.
//! - [`convert`]: SDK types → AWS CLI JSON, one table per resource type.
//!
//! A call that fails (denied, throttled past the retries, unsupported in a region, not
//! implemented by the server) does not stop the run: it becomes an `errors` entry in the
//! manifest and its file is not written. What stops the run (an `Err`, exit 2) is what makes
//! the whole snapshot impossible: bad flags, no credentials, an unwritable `--out`.
use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{bail, Context};
use aws_config::retry::RetryConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_config::timeout::TimeoutConfig;
use aws_config::{AppName, BehaviorVersion, Region, SdkConfig};
use aws_sdk_sts::config::SharedCredentialsProvider;
use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use serde::Serialize;
use tokio::task::JoinSet;

use crate::cli::{CollectArgs, SnapshotArgs};
use crate::Outcome;

pub mod convert;
mod ec2;
mod elbv2;
pub mod engine;
mod iot;
mod resolver;
mod route53;
pub mod tgw;

use engine::{ErrorEntry, Run, Scope};

/// The `format` of the manifest this collector writes.
pub const FORMAT: &str = "pathproof-snapshot/1";

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
    ("iot:describe-endpoint", "iot:DescribeEndpoint"),
    ("iot:list-policies", "iot:ListPolicies"),
    ("iot:get-policy", "iot:GetPolicy"),
    ("iot:list-targets-for-policy", "iot:ListTargetsForPolicy"),
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

/// `pathproof snapshot`: collect into `args.out`. `Pass` when every call succeeded, `Fail`
/// (exit 1) when the manifest has errors; `Err` (exit 2) when no snapshot could be made.
pub fn run_snapshot(args: &SnapshotArgs) -> anyhow::Result<Outcome> {
    let summary = collect_blocking(&args.collect, &args.out)?;
    Ok(if summary.errors == 0 {
        Outcome::Pass
    } else {
        Outcome::Fail
    })
}

/// Collects a complete snapshot into `out` (created; must be empty or missing), with progress
/// (when stderr is a terminal) and a summary on stderr. Builds its own tokio runtime, so call it
/// from synchronous code, not from within a runtime.
pub fn collect_blocking(args: &CollectArgs, out: &Path) -> anyhow::Result<CollectSummary> {
    let plan = Plan::from_args(args)?;
    prepare_out(out)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(collect(plan, out))
}

/// One account to collect: with a role to assume, or the caller's own credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Role {
    /// The caller's credentials, the caller's account.
    Caller,
    /// `--role-arn`: the account is the ARN's.
    Arn { arn: String, account: String },
    /// `--accounts` with `--role-name`: the ARN is built in the caller's partition.
    Named { account: String, name: String },
}

/// Validated flags: nothing here has touched AWS yet.
#[derive(Debug, Clone)]
struct Plan {
    roles: Vec<Role>,
    /// Empty: the configured region.
    regions: Vec<String>,
    profile: Option<String>,
    external_id: Option<String>,
    endpoint_url: Option<String>,
    concurrency: usize,
}

impl Plan {
    fn from_args(args: &CollectArgs) -> anyhow::Result<Plan> {
        if args.concurrency == 0 {
            bail!("--concurrency must be at least 1");
        }
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
        let mut accounts = BTreeSet::new();
        if !args.role_arn.is_empty() {
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
            let Some(name) = args.role_name.as_deref().filter(|n| !n.trim().is_empty()) else {
                bail!("--accounts needs --role-name (the role to assume in each account)");
            };
            if name.contains(':') || name.starts_with("role/") {
                bail!("--role-name takes a role name (like PathproofReadOnly); use --role-arn for ARNs");
            }
            for account in &args.accounts {
                let account = account.trim();
                if !is_account(account) {
                    bail!("--accounts: {account:?} is not a 12-digit AWS account id");
                }
                if accounts.insert(account.to_owned()) {
                    roles.push(Role::Named {
                        account: account.to_owned(),
                        name: name.trim().to_owned(),
                    });
                }
            }
        } else {
            if args.role_name.is_some() {
                bail!("--role-name needs --accounts (the accounts to assume it in)");
            }
            if args.external_id.is_some() {
                bail!("--external-id is used when assuming roles: give --accounts or --role-arn");
            }
            roles.push(Role::Caller);
        }
        Ok(Plan {
            roles,
            regions,
            profile: args.profile.clone(),
            external_id: args.external_id.clone(),
            endpoint_url: args.endpoint_url.clone(),
            concurrency: args.concurrency,
        })
    }
}

fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Region names are used as folder names: lower-case letters, digits and inner dashes only.
fn is_region(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 32
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s != "global"
}

/// `arn:<partition>:iam::<account>:role/<path/name>` → the account.
fn role_arn_account(arn: &str) -> Option<String> {
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

/// `--out` must be a new or empty folder: files left from another run would be evidence of
/// something this run did not see.
fn prepare_out(out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        if !out.is_dir() {
            bail!("--out {} exists and is not a folder", out.display());
        }
        let mut entries = std::fs::read_dir(out)
            .with_context(|| format!("cannot read --out {}", out.display()))?;
        if entries.next().is_some() {
            bail!(
                "--out {} is not empty; a snapshot must come from one run: remove it or choose a new folder",
                out.display()
            );
        }
    }
    std::fs::create_dir_all(out).with_context(|| format!("cannot create --out {}", out.display()))
}

/// `manifest.json`.
#[derive(Debug, Serialize)]
struct Manifest<'a> {
    format: &'static str,
    collected_at: &'a str,
    collector: String,
    targets: Vec<Target<'a>>,
    errors: Vec<ErrorEntry>,
}

#[derive(Debug, Serialize)]
struct Target<'a> {
    account: &'a str,
    regions: &'a [String],
}

fn write_manifest(out: &Path, manifest: &Manifest<'_>) -> anyhow::Result<()> {
    let value = serde_json::to_value(manifest).context("cannot encode manifest.json")?;
    let path = out.join("manifest.json");
    std::fs::write(&path, convert::to_cli_text(&value))
        .with_context(|| format!("cannot write {}", path.display()))
}

/// `2026-11-25T18:00:00Z`.
fn rfc3339_now() -> String {
    let now = DateTime::from(SystemTime::now());
    DateTime::from_secs(now.secs())
        .fmt(Format::DateTime)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

async fn base_config(plan: &Plan) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).timeout_config(
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
            Some(region) if is_region(region.as_ref()) => vec![region.to_string()],
            Some(region) => bail!("the configured region {region:?} is not a region name"),
            None => {
                bail!("no region: pass --regions, or set AWS_REGION or a region in the profile")
            }
        }
    } else {
        plan.regions.clone()
    };

    let run = Run::new(out, plan.concurrency);
    // Who are we? Also proves that there are credentials at all.
    run.count_call();
    let caller = aws_sdk_sts::Client::new(&base)
        .get_caller_identity()
        .send()
        .await
        .map_err(|err| anyhow::anyhow!(engine::describe(&err)))
        .context("cannot call sts:GetCallerIdentity with the configured credentials")?;
    let caller_account = caller.account.clone().unwrap_or_default();
    let partition = caller
        .arn
        .as_deref()
        .and_then(|arn| arn.split(':').nth(1))
        .filter(|p| !p.is_empty())
        .unwrap_or("aws")
        .to_owned();

    let accounts: Vec<String> = plan
        .roles
        .iter()
        .map(|role| match role {
            Role::Caller => caller_account.clone(),
            Role::Arn { account, .. } | Role::Named { account, .. } => account.clone(),
        })
        .collect();
    if accounts.iter().any(|a| !is_account(a)) {
        bail!("sts:GetCallerIdentity did not return a 12-digit account id");
    }

    let manifest = |errors: Vec<ErrorEntry>| Manifest {
        format: FORMAT,
        collected_at: &collected_at,
        collector: format!("pathproof {}", env!("CARGO_PKG_VERSION")),
        targets: accounts
            .iter()
            .map(|account| Target {
                account,
                regions: &regions,
            })
            .collect(),
        errors,
    };
    // Until the run ends, the manifest says the evidence is incomplete: an interrupted run
    // never looks like a complete snapshot.
    let unfinished = ErrorEntry {
        account: accounts.first().cloned().unwrap_or_default(),
        region: "global".to_owned(),
        operation: "pathproof:collect".to_owned(),
        resource: None,
        message: "the collection did not finish".to_owned(),
    };
    write_manifest(out, &manifest(vec![unfinished]))?;

    let progress = Progress::start(Arc::clone(&run), started);
    let mut set = JoinSet::new();
    for (role, account) in plan.roles.iter().zip(&accounts) {
        let arn = match role {
            Role::Caller => None,
            Role::Arn { arn, .. } => Some(arn.clone()),
            Role::Named { account, name } => {
                Some(format!("arn:{partition}:iam::{account}:role/{name}"))
            }
        };
        set.spawn(collect_account(
            Arc::clone(&run),
            base.clone(),
            arn,
            plan.external_id.clone(),
            account.clone(),
            regions.clone(),
        ));
    }
    Scope::new(&run, &caller_account, "global")
        .drain(&mut set)
        .await;
    progress.stop().await;

    let errors = run.errors();
    write_manifest(out, &manifest(errors.clone()))?;
    let summary = CollectSummary {
        accounts: accounts.len(),
        regions: regions.len(),
        calls: run.calls(),
        errors: errors.len(),
        seconds: started.elapsed().as_secs_f64(),
    };
    report(&summary, &errors, run.files(), out);
    Ok(summary)
}

/// Everything for one account: assume its role (if any), then Route 53 once and every
/// regional service in every region, concurrently.
async fn collect_account(
    run: Arc<Run>,
    base: SdkConfig,
    role_arn: Option<String>,
    external_id: Option<String>,
    account: String,
    regions: Vec<String>,
) {
    let global = Scope::new(&run, &account, "global");
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
            run.count_call();
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
                    return;
                }
                Err(message) => {
                    global.fail("sts:assume-role".to_owned(), Some(&arn), message);
                    return;
                }
            }
        }
    };

    let mut set = JoinSet::new();
    set.spawn(route53::collect(
        global.clone(),
        aws_sdk_route53::Client::new(&config),
    ));
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
        set.spawn(iot::collect(scope, aws_sdk_iot::Client::new(&config)));
    }
    global.drain(&mut set).await;
}

fn aws_credential_provider(provider: AssumeRoleProvider) -> SharedCredentialsProvider {
    // One shared provider per account: every regional client of the account reuses the same
    // cached credentials (one sts:AssumeRole per account, refreshed when they expire).
    SharedCredentialsProvider::new(provider)
}

/// A one-line progress display on stderr, only when stderr is a terminal.
struct Progress {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Progress {
    fn start(run: Arc<Run>, started: Instant) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress {
                stop: None,
                task: None,
            };
        }
        let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(200));
            loop {
                tokio::select! {
                    _ = &mut stopped => break,
                    _ = tick.tick() => {
                        eprint!(
                            "\r\x1b[2Kpathproof: collecting… {} calls, {} files, {} errors, {:.0} s",
                            run.calls(),
                            run.files(),
                            run.error_count(),
                            started.elapsed().as_secs_f64()
                        );
                    }
                }
            }
            eprint!("\r\x1b[2K");
        });
        Progress {
            stop: Some(stop),
            task: Some(task),
        }
    }

    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

/// The end-of-run summary on stderr: the first errors, then one line of numbers. Error entries
/// carry AWS error messages and resource names, which are spelled visibly
/// ([`crate::report::escape::terminal`]) so that none of them acts on the terminal.
fn report(summary: &CollectSummary, errors: &[ErrorEntry], files: usize, out: &Path) {
    use crate::report::escape::terminal;
    for line in error_lines(errors) {
        eprintln!("{line}");
    }
    eprintln!(
        "pathproof: snapshot {}: {} account{}, {} region{}, {} calls, {} files, {} error{}, {:.1} s",
        terminal(&out.display().to_string()),
        summary.accounts,
        plural(summary.accounts),
        summary.regions,
        plural(summary.regions),
        summary.calls,
        files,
        summary.errors,
        plural(summary.errors),
        summary.seconds
    );
}

/// The stderr lines for the first collection errors, each one line with nothing in it that a
/// terminal would act on.
fn error_lines(errors: &[ErrorEntry]) -> Vec<String> {
    use crate::report::escape::terminal;
    const SHOWN: usize = 20;
    let mut lines: Vec<String> = errors
        .iter()
        .take(SHOWN)
        .map(|e| {
            let resource = e
                .resource
                .as_deref()
                .map(|r| format!(" [{r}]"))
                .unwrap_or_default();
            let line = format!(
                "{} {} {}{}: {}",
                e.account, e.region, e.operation, resource, e.message
            );
            format!("pathproof: error: {}", terminal(&line))
        })
        .collect();
    if errors.len() > SHOWN {
        lines.push(format!(
            "pathproof: … and {} more errors (all in manifest.json)",
            errors.len() - SHOWN
        ));
    }
    lines
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
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
        let plan = Plan::from_args(&args()).unwrap();
        assert_eq!(plan.roles, vec![Role::Caller]);

        let mut a = args();
        a.accounts = vec![
            "111111111111".into(),
            "222222222222".into(),
            "111111111111".into(),
        ];
        a.role_name = Some("Audit".into());
        a.regions = vec!["us-west-2".into(), "eu-west-1".into(), "us-west-2".into()];
        let plan = Plan::from_args(&a).unwrap();
        assert_eq!(plan.roles.len(), 2, "duplicates dropped");
        assert_eq!(plan.regions, ["us-west-2", "eu-west-1"]);

        for (field, value) in [
            ("regions", "../etc"),
            ("regions", "global"),
            ("regions", "US-WEST-2"),
            ("accounts", "12345"),
            ("role_arn", "arn:aws:iam::111111111111:user/x"),
        ] {
            let mut a = args();
            match field {
                "regions" => a.regions = vec![value.into()],
                "accounts" => {
                    a.accounts = vec![value.into()];
                    a.role_name = Some("Audit".into());
                }
                _ => a.role_arn = vec![value.into()],
            }
            let err = Plan::from_args(&a).unwrap_err().to_string();
            assert!(err.contains(value), "{field}={value}: {err}");
        }

        let mut a = args();
        a.concurrency = 0;
        assert!(Plan::from_args(&a).is_err());

        let mut a = args();
        a.role_name = Some("Audit".into());
        assert!(Plan::from_args(&a)
            .unwrap_err()
            .to_string()
            .contains("--accounts"));
        let mut a = args();
        a.external_id = Some("x".into());
        assert!(Plan::from_args(&a).is_err());

        let mut a = args();
        a.role_arn = vec![
            "arn:aws:iam::111111111111:role/a".into(),
            "arn:aws:iam::111111111111:role/b".into(),
        ];
        assert!(Plan::from_args(&a)
            .unwrap_err()
            .to_string()
            .contains("two roles"));
    }

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
            ("iot", include_str!("iot.rs")),
            ("route53", include_str!("route53.rs")),
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

    /// An AWS error message (or resource name) with terminal escape sequences, a window-title
    /// OSC, a carriage return and a bidi override is printed on one line with all of them
    /// spelled visibly.
    #[test]
    fn collection_errors_are_printed_without_control_characters() {
        let entry = |message: &str| ErrorEntry {
            account: "111111111111".into(),
            region: "us-west-2".into(),
            operation: "ec2:describe-vpcs".into(),
            resource: Some("vpc-1\u{1b}[2J".into()),
            message: message.into(),
        };
        let lines = error_lines(&[entry(
            "AccessDenied\u{1b}]0;owned\u{7}\r\nfake: PROVEN\u{202e}\u{0}\u{9b}",
        )]);
        assert_eq!(
            lines,
            [
                "pathproof: error: 111111111111 us-west-2 ec2:describe-vpcs [vpc-1\\x1b[2J]: \
                 AccessDenied\\x1b]0;owned\\x07\\r\\nfake: PROVEN\\u{202e}\\x00\\x9b"
            ]
        );
        let many: Vec<ErrorEntry> = (0..25).map(|_| entry("Throttling")).collect();
        let lines = error_lines(&many);
        assert_eq!(lines.len(), 21);
        assert_eq!(
            lines[20],
            "pathproof: … and 5 more errors (all in manifest.json)"
        );
    }
}
