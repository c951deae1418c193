//! Load and validate an on-disk snapshot (layout: `docs/snapshot-layout.md`) into typed records.
//!
//! Invariants:
//! - The evidence is exactly the regular files inside the folder, each read once (parsed and
//!   hashed from the same bytes, `files.rs`); a link, FIFO, socket or device inside, or a file over
//!   [`files::MAX_FILE_BYTES`], is an input error.
//! - A file that exists but is not what the AWS CLI prints (malformed JSON, a duplicate key, a
//!   wrong type, an invalid CIDR or address, a `null`, a resource key that is not a safe file name,
//!   a per-resource file for a resource the listing lacks or whose content names another resource,
//!   an id twice in one listing or in two accounts where AWS never shows it twice) is an input
//!   error ([`SnapshotError`], exit 2) naming the file and the JSON path.
//! - A file that is missing for a manifest target, an entry in the manifest's `errors`, a search
//!   result flagged `AdditionalRoutesAvailable`, a field AWS's model allows omitting but the model
//!   needs, or two collections of one shared resource that disagree, is an evidence gap ([`Gap`]);
//!   `verify` can never pass while a gap exists.
//! - After loading, each resource id appears once across [`Snapshot::regional`]
//!   (`consistency.rs`), so the graph indexes without choosing between copies.
//! - Folders and files the manifest does not cover are listed in [`Snapshot::uncovered`] (PP020).
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

mod coherence;
mod consistency;
pub mod dnsx;
pub mod files;
pub mod iot_records;
pub(crate) mod json;
mod reader;
pub mod records;
pub mod valid;

pub use reader::{generic_path, is_botocore_required};
use records::*;

/// The manifest `format` this version reads.
pub const FORMAT: &str = "pathproof-snapshot/1";

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("{}: not a snapshot folder: {message}", dir.display())]
    NotASnapshot { dir: PathBuf, message: String },
    /// The cause is part of the message (not a `source`, which would print it twice).
    #[error("{file}: cannot read: {cause}")]
    Io { file: String, cause: std::io::Error },
    #[error("{file}: not valid JSON: {message}")]
    Json { file: String, message: String },
    #[error("{file}: {path}: {message}")]
    Field {
        file: String,
        path: String,
        message: String,
    },
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Manifest {
    pub format: String,
    #[serde(default, deserialize_with = "valid::present")]
    pub collected_at: Option<String>,
    #[serde(default, deserialize_with = "valid::present")]
    pub collector: Option<String>,
    pub targets: Vec<Target>,
    #[serde(default)]
    pub errors: Vec<CollectionError>,
    /// Layout extension (`pathproof snapshot --org`): `{"id": "o-…", …}`; PP021 takes its id
    /// as the intended organisation.
    #[serde(default, deserialize_with = "valid::present")]
    pub organization: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Target {
    /// A 12-digit account id: it names the account's folder.
    #[serde(deserialize_with = "valid::account_id")]
    pub account: String,
    /// AWS Region names (`global` is the Route 53 folder, not a Region): each names a folder.
    #[serde(deserialize_with = "regions")]
    pub regions: Vec<String>,
}

fn regions<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    use serde::de::Error as _;
    let regions = Vec::<String>::deserialize(d)?;
    for (i, r) in regions.iter().enumerate() {
        valid::region_ok(r).map_err(|e| D::Error::custom(format!("[{i}]: {e}")))?;
        if regions[..i].contains(r) {
            return Err(D::Error::custom(format!("[{i}]: {r} is listed twice")));
        }
    }
    Ok(regions)
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct CollectionError {
    #[serde(default, deserialize_with = "valid::present")]
    pub account: Option<String>,
    #[serde(default, deserialize_with = "valid::present")]
    pub region: Option<String>,
    #[serde(default, deserialize_with = "valid::present")]
    pub operation: Option<String>,
    /// The policy, zone or route table of a per-resource call.
    #[serde(default, deserialize_with = "valid::present")]
    pub resource: Option<String>,
    #[serde(default, deserialize_with = "valid::present")]
    pub message: Option<String>,
}

/// Evidence that is missing or incomplete. The verdict cannot be "pass" while any exists.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Gap {
    /// The snapshot-relative file (or `manifest.json`) the gap is about.
    pub file: String,
    pub reason: String,
}

/// Content of the snapshot folder that the manifest does not cover (PP020, a warning).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Uncovered {
    /// The snapshot-relative folder or file.
    pub path: String,
    pub reason: String,
}

/// One file of the evidence with its SHA-256.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceFile {
    pub path: String,
    pub sha256: String,
}

/// Everything collected in one account and region.
#[derive(Debug, Clone, Default)]
pub struct Regional {
    pub account: String,
    pub region: String,
    pub vpcs: Vec<Vpc>,
    /// Extension files (optional, see the layout): `None` when the snapshot does not have them.
    pub dhcp_options: Option<Vec<DhcpOptions>>,
    /// VPC id → DNS attributes (extension files; absent VPCs were not collected).
    pub vpc_dns: BTreeMap<String, VpcDns>,
    pub subnets: Vec<Subnet>,
    pub route_tables: Vec<RouteTable>,
    pub internet_gateways: Vec<InternetGateway>,
    pub egress_only_internet_gateways: Vec<EgressOnlyInternetGateway>,
    pub nat_gateways: Vec<NatGateway>,
    pub peering_connections: Vec<VpcPeeringConnection>,
    pub vpc_endpoints: Vec<VpcEndpoint>,
    pub service_configurations: Vec<ServiceConfiguration>,
    /// Endpoint service id → allowed principals.
    pub service_permissions: BTreeMap<String, Vec<AllowedPrincipal>>,
    pub network_interfaces: Vec<NetworkInterface>,
    pub security_groups: Vec<SecurityGroup>,
    pub network_acls: Vec<NetworkAcl>,
    pub prefix_lists: Vec<ManagedPrefixList>,
    /// Prefix list id → entries.
    pub prefix_list_entries: BTreeMap<String, Vec<PrefixListEntry>>,
    pub transit_gateways: Vec<TransitGateway>,
    pub tgw_attachments: Vec<TgwAttachment>,
    pub tgw_vpc_attachments: Vec<TgwVpcAttachment>,
    pub tgw_route_tables: Vec<TgwRouteTable>,
    /// TGW route table id → routes.
    pub tgw_routes: BTreeMap<String, Vec<TgwRoute>>,
    /// TGW route table id → associations.
    pub tgw_associations: BTreeMap<String, Vec<TgwRouteTableAssociation>>,
    /// TGW route table id → propagations (same fields as associations).
    pub tgw_propagations: BTreeMap<String, Vec<TgwRouteTableAssociation>>,
    /// Extension (optional): `describe-vpc-block-public-access-options`; `None` when absent.
    pub bpa_options: Option<VpcBpaOptions>,
    /// Extension (optional): `describe-vpc-block-public-access-exclusions`; `None` when absent.
    pub bpa_exclusions: Option<Vec<VpcBpaExclusion>>,
    /// Extension (optional): `describe-transit-gateway-policy-tables`; `None` when absent.
    pub tgw_policy_tables: Option<Vec<TgwPolicyTable>>,
    /// TGW policy table id → associations (extension).
    pub tgw_policy_associations: BTreeMap<String, Vec<TgwPolicyTableAssociation>>,
    /// TGW policy table id → entries (extension).
    pub tgw_policy_entries: BTreeMap<String, Vec<TgwPolicyTableEntry>>,
    pub vpn_connections: Vec<VpnConnection>,
    pub vpn_gateways: Vec<VpnGateway>,
    pub load_balancers: Vec<LoadBalancer>,
    pub target_groups: Vec<TargetGroup>,
    /// Load balancer name → listeners.
    pub listeners: BTreeMap<String, Vec<Listener>>,
    /// Target group name → target health.
    pub target_health: BTreeMap<String, Vec<TargetHealthDescription>>,
    pub resolver_endpoints: Vec<ResolverEndpoint>,
    /// Resolver endpoint id → IP addresses.
    pub resolver_ips: BTreeMap<String, Vec<ResolverIpAddress>>,
    pub resolver_rules: Vec<ResolverRule>,
    pub resolver_rule_associations: Vec<ResolverRuleAssociation>,
    /// Endpoint type file key (`iot-data-ats`, ...) → endpoint address.
    pub iot_endpoints: BTreeMap<String, String>,
    pub iot_policies: Vec<IotPolicy>,
    /// IoT policy name → target ARNs.
    pub iot_policy_targets: BTreeMap<String, Vec<String>>,
    /// Route 53 Profiles and DNS Firewall (layout extensions, optional).
    pub dnsx: dnsx::DnsExt,
    /// Extension (`iot/list-domain-configurations.json` + describe files): `None` when the
    /// snapshot has no listing. Configurations whose file was missing are gaps, not here.
    pub iot_domain_configurations: Option<Vec<iot_records::DomainConfiguration>>,
    /// The listing was read and every entry could be modelled.
    pub iot_domain_configurations_complete: bool,
    /// Extension (`iot/list-authorizers.json` + describe files): `None` when absent.
    pub iot_authorizers: Option<Vec<iot_records::Authorizer>>,
    pub iot_authorizers_complete: bool,
    /// Extension (`iot/list-thing-groups.json` + `describe-thing-group/<name>.json`): `None`
    /// when the snapshot has no listing. Groups whose describe file was missing are gaps.
    pub iot_thing_groups: Option<Vec<iot_records::ThingGroup>>,
    pub iot_thing_groups_complete: bool,
    /// Static thing group name → its direct members (`list-things-in-thing-group/<name>.json`),
    /// for the groups whose file was read completely.
    pub iot_group_things: BTreeMap<String, Vec<String>>,
    /// While loading: listing key (`Vpcs`, …) → the file index of each record, for messages.
    pub(crate) origin: BTreeMap<&'static str, Vec<usize>>,
}

/// `enableDnsSupport` / `enableDnsHostnames` of a VPC, from the extension files.
#[derive(Debug, Clone, Copy, Default)]
pub struct VpcDns {
    pub support: Option<bool>,
    pub hostnames: Option<bool>,
}

/// Route 53 data of one account (global service).
#[derive(Debug, Clone, Default)]
pub struct Global {
    pub account: String,
    pub hosted_zones: Vec<HostedZone>,
    /// Zone id (short) → `get-hosted-zone` output.
    pub zone_details: BTreeMap<String, GetHostedZone>,
    /// Zone id (short) → record sets.
    pub record_sets: BTreeMap<String, Vec<ResourceRecordSet>>,
}

/// A loaded snapshot.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub root: PathBuf,
    pub manifest: Manifest,
    pub regional: Vec<Regional>,
    pub global: Vec<Global>,
    pub gaps: Vec<Gap>,
    /// Folders and files the manifest does not cover (PP020).
    pub uncovered: Vec<Uncovered>,
    pub evidence: Vec<EvidenceFile>,
    /// SHA-256 over the sorted (path, sha256) list of every file: the snapshot's identity.
    pub digest: String,
}

/// The IoT endpoint types of the layout (`describe-endpoint --endpoint-type`) and their file keys.
pub const IOT_ENDPOINT_TYPES: [(&str, &str); 3] = [
    ("iot:Data-ATS", "iot-data-ats"),
    ("iot:CredentialProvider", "iot-credentialprovider"),
    ("iot:Jobs", "iot-jobs"),
];

impl Snapshot {
    /// Load the snapshot in `dir`.
    pub fn load(dir: &Path) -> Result<Snapshot, SnapshotError> {
        if !dir.is_dir() {
            return Err(SnapshotError::NotASnapshot {
                dir: dir.to_path_buf(),
                message: "no such folder".into(),
            });
        }
        let files = files::Files::scan(dir)?;
        if !files.contains("manifest.json") {
            return Err(SnapshotError::NotASnapshot {
                dir: dir.to_path_buf(),
                message: "manifest.json is missing (or is not a regular file)".into(),
            });
        }
        let manifest = read_manifest(&files)?;
        let mut seeded = Vec::new();
        for (i, e) in manifest.errors.iter().enumerate() {
            let file = match (&e.account, &e.region, &e.operation) {
                (Some(a), Some(r), Some(op)) => operation_file(a, r, op, e.resource.as_deref()),
                _ => format!("manifest.json#errors[{i}]"),
            };
            seeded.push(Gap {
                file,
                reason: format!(
                    "collection error{}: {}",
                    e.operation
                        .as_deref()
                        .map(|op| format!(" in {op}"))
                        .unwrap_or_default(),
                    e.message.as_deref().unwrap_or("(no message)")
                ),
            });
        }
        // A missing file the manifest reports a collection error for is that error's gap only.
        let collection_errors: HashSet<String> = seeded.iter().map(|g| g.file.clone()).collect();
        let loaded = load_targets(&files, &manifest.targets, &collection_errors);
        let mut regional = Vec::new();
        let mut global = Vec::new();
        let mut gaps = seeded;
        // In target order, as a sequential load would: the first target that fails names the
        // error; a target's gaps follow the ones of the targets before it.
        for result in loaded {
            let (r, g, target_gaps) = result?;
            regional.extend(r);
            global.push(g);
            gaps.extend(target_gaps);
        }
        consistency::reconcile(&mut regional, &global, &mut gaps)?;
        coherence::check(&regional, &mut gaps);
        let mut uncovered = uncovered_folders(&files, &manifest);
        let (evidence, unread) = files.finish()?;
        for path in unread {
            let inside = uncovered
                .iter()
                .any(|u| path.starts_with(&format!("{}/", u.path)));
            if !inside {
                uncovered.push(Uncovered {
                    path,
                    reason: "is not a file of the snapshot layout for the manifest's targets: it is hashed as evidence but not read".into(),
                });
            }
        }
        uncovered.sort();
        let mut hasher = Sha256::new();
        for f in &evidence {
            hasher.update(f.path.as_bytes());
            hasher.update([0]);
            hasher.update(f.sha256.as_bytes());
            hasher.update([b'\n']);
        }
        let digest = files::hex(&hasher.finalize());
        gaps.sort();
        gaps.dedup();
        Ok(Snapshot {
            root: dir.to_path_buf(),
            manifest,
            regional,
            global,
            gaps,
            uncovered,
            evidence,
            digest,
        })
    }
}

fn read_manifest(files: &files::Files) -> Result<Manifest, SnapshotError> {
    let rel = "manifest.json";
    let bytes = files.read(rel)?.unwrap_or_default();
    let value = json::parse(rel, &bytes)?;
    let manifest: Manifest = serde_path_to_error::deserialize(&value).map_err(|err| {
        let path = err.path().to_string();
        SnapshotError::Field {
            file: rel.into(),
            path: if path == "." {
                "(top level)".into()
            } else {
                path
            },
            message: err.into_inner().to_string(),
        }
    })?;
    if manifest.format != FORMAT {
        return Err(SnapshotError::Field {
            file: rel.into(),
            path: "format".into(),
            message: format!(
                "unsupported format {:?}, expected {FORMAT:?}",
                manifest.format
            ),
        });
    }
    for (i, t) in manifest.targets.iter().enumerate() {
        if let Some(first) = manifest.targets[..i]
            .iter()
            .position(|o| o.account == t.account)
        {
            return Err(SnapshotError::Field {
                file: rel.into(),
                path: format!("targets[{i}].account"),
                message: format!(
                    "{} is listed twice (also targets[{first}]); list each account once with all its Regions",
                    t.account
                ),
            });
        }
    }
    Ok(manifest)
}

/// One target's records: its Regionals (in the manifest's Region order), its Route 53 data and
/// the gaps found while reading them.
type TargetRecords = (Vec<Regional>, Global, Vec<Gap>);

/// Read every target's files, on as many threads as the machine has cores (each target's
/// folder is read by one thread, start to end, exactly as a sequential load reads it; targets
/// share only the file table, whose entries are each read once). Results are in target order.
/// `collection_errors` are the files of the manifest's errors, which a missing file defers to.
fn load_targets(
    files: &files::Files,
    targets: &[Target],
    collection_errors: &HashSet<String>,
) -> Vec<Result<TargetRecords, SnapshotError>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    let load = |target: &Target| -> Result<TargetRecords, SnapshotError> {
        let mut reader = reader::Reader {
            files,
            collection_errors,
            gaps: Vec::new(),
        };
        let mut regional = Vec::with_capacity(target.regions.len());
        for region in &target.regions {
            regional.push(reader.regional(&target.account, region)?);
        }
        let global = reader.global(&target.account)?;
        Ok((regional, global, reader.gaps))
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(targets.len());
    if threads <= 1 {
        return targets.iter().map(load).collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Result<TargetRecords, SnapshotError>>>> =
        targets.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(target) = targets.get(i) else {
                    break;
                };
                let result = load(target);
                let failed = result.is_err();
                *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                if failed {
                    // Later targets cannot change the outcome (the first error in target order
                    // wins, and every earlier target is being read by some thread).
                    next.fetch_max(targets.len(), Ordering::Relaxed);
                }
            });
        }
    });
    let mut out = Vec::with_capacity(targets.len());
    for slot in slots {
        match slot.into_inner().unwrap_or_else(|e| e.into_inner()) {
            Some(result) => {
                let failed = result.is_err();
                out.push(result);
                if failed {
                    break;
                }
            }
            // Not read because an earlier target failed: that failure ends the list first.
            None => break,
        }
    }
    out
}

/// Account folders and Region folders that no manifest target names (PP020).
fn uncovered_folders(files: &files::Files, manifest: &Manifest) -> Vec<Uncovered> {
    let targets: BTreeMap<&str, BTreeSet<&str>> = manifest
        .targets
        .iter()
        .map(|t| {
            let mut regions: BTreeSet<&str> = t.regions.iter().map(String::as_str).collect();
            regions.insert("global");
            (t.account.as_str(), regions)
        })
        .collect();
    let mut out = Vec::new();
    let (_, accounts) = files.children("");
    for account in accounts {
        let Some(regions) = targets.get(account) else {
            out.push(Uncovered {
                path: account.to_string(),
                reason: "is a folder the manifest's targets do not name: nothing in it is read, so the verdict does not cover it".into(),
            });
            continue;
        };
        let (_, folders) = files.children(account);
        for region in folders.into_iter().filter(|r| !regions.contains(r)) {
            out.push(Uncovered {
                path: format!("{account}/{region}"),
                reason: format!("is a Region folder the manifest does not list for {account}: nothing in it is read, so the verdict does not cover it"),
            });
        }
    }
    out
}

/// The file an operation like `ec2:describe-route-tables` writes, for a manifest error entry.
fn operation_file(account: &str, region: &str, operation: &str, resource: Option<&str>) -> String {
    let (service, op) = operation.split_once(':').unwrap_or(("", operation));
    let region = if service == "route53" {
        "global"
    } else {
        region
    };
    match resource {
        Some(key) => {
            let key = key.strip_prefix("/hostedzone/").unwrap_or(key);
            format!("{account}/{region}/{service}/{op}/{key}.json")
        }
        None => format!("{account}/{region}/{service}/{op}.json"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_file_maps_route53_to_global() {
        assert_eq!(
            operation_file("1", "us-west-2", "route53:list-hosted-zones", None),
            "1/global/route53/list-hosted-zones.json"
        );
        assert_eq!(
            operation_file("1", "us-west-2", "ec2:describe-vpcs", None),
            "1/us-west-2/ec2/describe-vpcs.json"
        );
        assert_eq!(
            operation_file(
                "1",
                "global",
                "route53:get-hosted-zone",
                Some("/hostedzone/Z1")
            ),
            "1/global/route53/get-hosted-zone/Z1.json"
        );
    }
}
