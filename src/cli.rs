//! Command-line definitions (clap derive). `main.rs` parses, `lib::run` dispatches.
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "pathproof",
    version,
    about = "Proves that every path to AWS IoT Core from device and consumer VPCs stays private"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Verify a snapshot (or the live estate with --live) and print the verdict.
    Verify(VerifyArgs),
    /// Collect a snapshot of the live estate from AWS APIs into a folder.
    Snapshot(SnapshotArgs),
    /// Policy tools.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// List the compliance rules pathproof checks.
    Rules(RulesArgs),
    /// Benchmark load, verify and render on a snapshot (wall time and peak memory).
    Bench(BenchArgs),
    /// Print the JSON Schema of the JSON report (`pathproof-report/1`).
    Schema,
    /// Print the snapshot's resource graph (VPCs, subnets, route tables, gateways, attachments,
    /// endpoints, load balancers and their relations) in Graphviz DOT.
    Graph(GraphArgs),
    /// Compare the proofs of two snapshots (or a snapshot and the same snapshot with --plan):
    /// which proofs changed verdict and which resources changed along those paths.
    Diff(DiffArgs),
    /// Explain one path: every hop from a source to a destination with the route, record, rule
    /// or association that decided it, and every blocker.
    Explain(ExplainArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Sarif,
    Junit,
    Markdown,
    Html,
    /// OCSF Compliance Finding events (class 2003), one per finding and per passed rule.
    Ocsf,
    /// AWS Security Finding Format, for Security Hub `BatchImportFindings`.
    Asff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum FailOn {
    /// Exit 1 on violations and anything unproven (default).
    #[default]
    Violation,
    /// Also exit 1 on warnings.
    Warning,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Snapshot folder (see the snapshot layout in README.md).
    #[arg(long, required_unless_present = "live", conflicts_with = "live")]
    pub snapshot: Option<PathBuf>,
    /// Collect from live AWS APIs into a temporary folder, then verify it.
    #[arg(long)]
    pub live: bool,
    /// Intent file (TOML): roles by VPC id, on-prem CIDRs, approved endpoints, MQTT ports.
    #[arg(long)]
    pub intent: Option<PathBuf>,
    /// Terraform plan JSON (`terraform show -json tfplan`) to apply on top of the snapshot
    /// before verifying: "would this change break privacy?" (docs/plan.md).
    #[arg(long, value_name = "PLAN.json")]
    pub plan: Option<PathBuf>,
    /// Output format; default `table`.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Which severities make the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Violation)]
    pub fail_on: FailOn,
    /// Also write the report to a file, as FORMAT:PATH (repeatable), e.g.
    /// `--report sarif:pathproof.sarif --report junit:pathproof.xml` in CI.
    #[arg(long, value_name = "FORMAT:PATH", value_parser = parse_report_target)]
    pub report: Vec<(Format, PathBuf)>,
    /// A previous `verify --format json` report: only findings whose fingerprint is not in it
    /// fail the run (all are still listed, baselined ones marked).
    #[arg(long, value_name = "REPORT.json")]
    pub baseline: Option<PathBuf>,
    /// Waivers file (TOML, `[[waiver]]` entries): a waived finding is listed as waived and does
    /// not fail the run; an expired waiver fails it.
    #[arg(long, value_name = "WAIVERS.toml")]
    pub waivers: Option<PathBuf>,
    /// The date waiver expiry is judged against (YYYY-MM-DD); default today in UTC.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<crate::gate::Date>,
    /// Also prove that no destination address at all (not only the IoT endpoints' addresses)
    /// reaches an internet gateway, a NAT gateway or an internet VPN from each device subnet and
    /// on-premises range (PP030, docs/gate.md).
    #[arg(long)]
    pub strict_egress: bool,
    #[command(flatten)]
    pub collect: CollectArgs,
}

fn parse_date(s: &str) -> Result<crate::gate::Date, String> {
    crate::gate::Date::parse(s).ok_or_else(|| format!("{s:?} is not a date YYYY-MM-DD"))
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct SnapshotArgs {
    #[command(subcommand)]
    pub command: Option<SnapshotCommand>,
    /// Folder to write the snapshot into (created if missing; must be empty).
    #[arg(long, required = true)]
    pub out: Option<PathBuf>,
    /// Collect only shard I of N (1 <= I <= N): every N-th (account, Region) pair in sorted
    /// order, for N parallel jobs; merge the shards with `pathproof snapshot merge`.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,
    #[command(flatten)]
    pub collect: CollectArgs,
}

#[derive(Debug, Subcommand)]
pub enum SnapshotCommand {
    /// Merge snapshots (e.g. the shards of `snapshot --shard I/N`) into one folder.
    Merge(MergeArgs),
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Folder to write the merged snapshot into (created if missing; must be empty).
    pub out: PathBuf,
    /// The snapshot folders to merge.
    #[arg(required = true, num_args = 1..)]
    pub inputs: Vec<PathBuf>,
}

/// Flags shared by `snapshot` and `verify --live`.
#[derive(Debug, Args, Clone, Default)]
pub struct CollectArgs {
    /// AWS profile to use (default credential chain otherwise).
    #[arg(long)]
    pub profile: Option<String>,
    /// Regions to collect, comma separated (default: the configured region).
    #[arg(long, value_delimiter = ',')]
    pub regions: Vec<String>,
    /// Accounts to collect by assuming `--role-name` in each, comma separated.
    #[arg(long, value_delimiter = ',', requires = "role_name")]
    pub accounts: Vec<String>,
    /// Role name assumed in each of `--accounts` (or of the organisation's accounts).
    #[arg(long)]
    pub role_name: Option<String>,
    /// Full role ARNs to assume (repeatable), instead of --accounts/--role-name.
    #[arg(long, conflicts_with = "accounts")]
    pub role_arn: Vec<String>,
    /// Collect every ACTIVE account of the caller's AWS Organizations organisation (run in the
    /// management or a delegated administrator account), assuming `--role-name` in each.
    #[arg(long, requires = "role_name", conflicts_with_all = ["accounts", "role_arn"])]
    pub organization: bool,
    /// With --organization: only the accounts under these OUs (or roots), nested OUs included
    /// (repeatable or comma separated).
    #[arg(long, value_delimiter = ',', requires = "organization")]
    pub ou: Vec<String>,
    /// External id passed to sts:AssumeRole.
    #[arg(long)]
    pub external_id: Option<String>,
    /// Endpoint URL for every AWS service (also AWS_ENDPOINT_URL).
    #[arg(long)]
    pub endpoint_url: Option<String>,
    /// Maximum number of API calls in flight.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Also collect Route 53 Profiles and Resolver DNS Firewall (layout extensions; the role
    /// needs the route53profiles:List* and route53resolver:ListFirewall* actions of
    /// docs/iam-policy.json). Without it `verify` reports what it assumed (PP019).
    #[arg(long)]
    pub dns_extensions: bool,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Prove that IoT policy documents admit data-plane actions only under aws:SourceVpce.
    Check(PolicyCheckArgs),
}

#[derive(Debug, Args)]
pub struct PolicyCheckArgs {
    /// Policy documents (JSON files). All of them are treated as attached to one target.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Approved VPC endpoint ids for aws:SourceVpce (repeatable or comma separated).
    #[arg(long, value_delimiter = ',', required = true)]
    pub approved: Vec<String>,
    /// Output format; default `table`.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// The account the policies live in (requests target its resources). Default: any account.
    #[arg(long)]
    pub account: Option<String>,
    /// The region the policies live in. Default: any region.
    #[arg(long)]
    pub region: Option<String>,
    /// The partition (`aws`, `aws-cn`, `aws-us-gov`). Default: any partition.
    #[arg(long)]
    pub partition: Option<String>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format: table (default), json or markdown.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// List the controls of this framework and the rules that cover each (nist-800-53,
    /// iso-27001-2022, pci-dss-4.0, cis-controls-8).
    #[arg(long, value_name = "ID")]
    pub framework: Option<String>,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Snapshot folder to benchmark on.
    #[arg(long)]
    pub snapshot: PathBuf,
    /// How many times to run load → verify → render.
    #[arg(long, default_value_t = 20)]
    pub iterations: usize,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// Snapshot folder.
    #[arg(long)]
    pub snapshot: PathBuf,
}

/// Output of `diff` and `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum TextFormat {
    #[default]
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The snapshot before.
    pub old: PathBuf,
    /// The snapshot after (with `--plan`: this snapshot with the plan applied).
    pub new: PathBuf,
    /// Terraform plan JSON applied on top of NEW (`terraform show -json tfplan`).
    #[arg(long, value_name = "PLAN.json")]
    pub plan: Option<PathBuf>,
    /// Intent file for both sides.
    #[arg(long)]
    pub intent: Option<PathBuf>,
    /// Output format; default `table`.
    #[arg(long, value_enum, default_value_t)]
    pub format: TextFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Snapshot folder.
    #[arg(long)]
    pub snapshot: PathBuf,
    /// Terraform plan JSON applied on top of the snapshot first.
    #[arg(long, value_name = "PLAN.json")]
    pub plan: Option<PathBuf>,
    /// Intent file.
    #[arg(long)]
    pub intent: Option<PathBuf>,
    /// Source: `subnet-…`, `vpc-…` (each of its subnets), or a CIDR / address (the subnet that
    /// holds it, else the on-premises range that does).
    #[arg(long)]
    pub from: String,
    /// Destination: a DNS name (resolved as the source sees it) or an IP address.
    #[arg(long)]
    pub to: String,
    /// Destination port (default: the IoT service's ports, e.g. the intent's MQTT ports).
    #[arg(long)]
    pub port: Option<u16>,
    /// Output format; default `table`.
    #[arg(long, value_enum, default_value_t)]
    pub format: TextFormat,
}

/// `FORMAT:PATH` for `--report`.
fn parse_report_target(s: &str) -> Result<(Format, PathBuf), String> {
    let (format, path) = s
        .split_once(':')
        .ok_or_else(|| format!("{s:?}: expected FORMAT:PATH, e.g. sarif:pathproof.sarif"))?;
    let format = Format::from_str(format, true).map_err(|_| {
        format!(
            "{format:?}: unknown format (table, json, sarif, junit, markdown, html, ocsf, asff)"
        )
    })?;
    if path.is_empty() {
        return Err(format!("{s:?}: the path is empty"));
    }
    Ok((format, PathBuf::from(path)))
}

/// `I/N` for `--shard`: 1 <= I <= N.
fn parse_shard(s: &str) -> Result<(usize, usize), String> {
    let (i, n) = s
        .split_once('/')
        .ok_or_else(|| format!("{s:?}: expected I/N, e.g. 2/4"))?;
    let parse = |x: &str| x.trim().parse::<usize>().ok();
    match (parse(i), parse(n)) {
        (Some(i), Some(n)) if (1..=n).contains(&i) && n <= MAX_SHARDS => Ok((i, n)),
        (Some(_), Some(n)) if n > MAX_SHARDS => Err(format!("{s:?}: at most {MAX_SHARDS} shards")),
        _ => Err(format!("{s:?}: expected I/N with 1 <= I <= N, e.g. 2/4")),
    }
}

/// More shards than this would be more jobs than any CI matrix runs (GitHub Actions: 256).
pub const MAX_SHARDS: usize = 10_000;
