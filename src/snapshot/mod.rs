//! Load and validate an on-disk snapshot (layout: `docs/snapshot-layout.md`) into typed records.
//!
//! Invariants:
//! - A file that exists but does not parse, or lacks a field pathproof needs, is an input error
//!   ([`SnapshotError`], exit 2) naming the file and the JSON path.
//! - A file that is missing for a manifest target, an entry in the manifest's `errors`, or a
//!   search result flagged `AdditionalRoutesAvailable` is an evidence gap ([`Gap`]); the data is
//!   treated as empty and `verify` can never pass while a gap exists.
//! - Every file of the folder is hashed (SHA-256) so a report names exactly the evidence it used.
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub mod records;

use records::*;

/// The manifest `format` this version reads.
pub const FORMAT: &str = "pathproof-snapshot/1";

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("{}: not a snapshot folder: {message}", dir.display())]
    NotASnapshot { dir: PathBuf, message: String },
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
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
    #[serde(default)]
    pub collected_at: Option<String>,
    #[serde(default)]
    pub collector: Option<String>,
    pub targets: Vec<Target>,
    #[serde(default)]
    pub errors: Vec<CollectionError>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Target {
    pub account: String,
    pub regions: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct CollectionError {
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub operation: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
}

/// Evidence that is missing or incomplete. The verdict cannot be "pass" while any exists.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Gap {
    /// The snapshot-relative file (or `manifest.json`) the gap is about.
    pub file: String,
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
        let manifest_path = dir.join("manifest.json");
        if !manifest_path.is_file() {
            return Err(SnapshotError::NotASnapshot {
                dir: dir.to_path_buf(),
                message: "manifest.json is missing".into(),
            });
        }
        let mut reader = Reader {
            root: dir.to_path_buf(),
            gaps: Vec::new(),
        };
        let manifest: Manifest = reader.parse_whole("manifest.json")?;
        if manifest.format != FORMAT {
            return Err(SnapshotError::Field {
                file: "manifest.json".into(),
                path: "format".into(),
                message: format!(
                    "unsupported format {:?}, expected {FORMAT:?}",
                    manifest.format
                ),
            });
        }
        for (i, e) in manifest.errors.iter().enumerate() {
            let file = match (&e.account, &e.region, &e.operation) {
                (Some(a), Some(r), Some(op)) => operation_file(a, r, op),
                _ => format!("manifest.json#errors[{i}]"),
            };
            reader.gaps.push(Gap {
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
        let mut regional = Vec::new();
        let mut global = Vec::new();
        for target in &manifest.targets {
            for region in &target.regions {
                regional.push(reader.regional(&target.account, region)?);
            }
            global.push(reader.global(&target.account)?);
        }
        let evidence = hash_tree(dir)?;
        let mut hasher = Sha256::new();
        for f in &evidence {
            hasher.update(f.path.as_bytes());
            hasher.update([0]);
            hasher.update(f.sha256.as_bytes());
            hasher.update([b'\n']);
        }
        let digest = hex(&hasher.finalize());
        let mut gaps = reader.gaps;
        gaps.sort();
        gaps.dedup();
        Ok(Snapshot {
            root: dir.to_path_buf(),
            manifest,
            regional,
            global,
            gaps,
            evidence,
            digest,
        })
    }
}

/// The file an operation like `ec2:describe-route-tables` writes, for a manifest error entry.
fn operation_file(account: &str, region: &str, operation: &str) -> String {
    let (service, op) = operation.split_once(':').unwrap_or(("", operation));
    let region = if service == "route53" {
        "global"
    } else {
        region
    };
    format!("{account}/{region}/{service}/{op}.json")
}

struct Reader {
    root: PathBuf,
    gaps: Vec<Gap>,
}

impl Reader {
    fn read(&self, rel: &str) -> Result<Option<Value>, SnapshotError> {
        let path = self.root.join(rel);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(SnapshotError::Io {
                    file: rel.to_string(),
                    source,
                })
            }
        };
        // Windows PowerShell's `Out-File -Encoding utf8` writes a byte-order mark; JSON parsers
        // reject it, but the content is the AWS CLI's output all the same.
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        serde_json::from_slice(bytes)
            .map(Some)
            .map_err(|e| SnapshotError::Json {
                file: rel.to_string(),
                message: e.to_string(),
            })
    }

    fn parse_whole<T: DeserializeOwned>(&self, rel: &str) -> Result<T, SnapshotError> {
        let value = self.read(rel)?.ok_or_else(|| SnapshotError::NotASnapshot {
            dir: self.root.clone(),
            message: format!("{rel} is missing"),
        })?;
        decode(rel, "", &value)
    }

    /// Read `rel` and decode its top-level `key`. A missing file is a gap and yields `T::default()`.
    fn field<T: DeserializeOwned + Default>(
        &mut self,
        rel: &str,
        key: &str,
    ) -> Result<T, SnapshotError> {
        let Some(value) = self.read(rel)? else {
            self.missing(rel);
            return Ok(T::default());
        };
        let Some(inner) = value.get(key) else {
            return Err(SnapshotError::Field {
                file: rel.to_string(),
                path: key.to_string(),
                message: if value.is_object() {
                    "missing field".into()
                } else {
                    "expected an object at the top level".into()
                },
            });
        };
        decode(rel, key, inner)
    }

    /// Like [`Reader::field`] for optional (extension) files: a missing file is `None`, not a gap.
    fn optional<T: DeserializeOwned>(
        &mut self,
        rel: &str,
        key: &str,
    ) -> Result<Option<T>, SnapshotError> {
        let Some(value) = self.read(rel)? else {
            return Ok(None);
        };
        match value.get(key) {
            Some(inner) => decode(rel, key, inner).map(Some),
            None => Err(SnapshotError::Field {
                file: rel.to_string(),
                path: key.to_string(),
                message: "missing field".into(),
            }),
        }
    }

    fn missing(&mut self, rel: &str) {
        if !self
            .gaps
            .iter()
            .any(|g| g.file == rel && g.reason.starts_with("collection error"))
        {
            self.gaps.push(Gap {
                file: rel.to_string(),
                reason: "file is missing".into(),
            });
        }
    }

    fn regional(&mut self, account: &str, region: &str) -> Result<Regional, SnapshotError> {
        let base = format!("{account}/{region}");
        let ec2 = |op: &str| format!("{base}/ec2/{op}.json");
        let mut r = Regional {
            account: account.to_string(),
            region: region.to_string(),
            ..Default::default()
        };
        r.vpcs = self.field(&ec2("describe-vpcs"), "Vpcs")?;
        // Extension files (layout section "Extensions"): optional, read when present.
        r.dhcp_options = self.optional(&ec2("describe-dhcp-options"), "DhcpOptions")?;
        for vpc in &r.vpcs {
            let mut dns = VpcDns::default();
            let mut any = false;
            for attr in ["enableDnsSupport", "enableDnsHostnames"] {
                let rel = ec2(&format!("describe-vpc-attribute/{}-{attr}", vpc.vpc_id));
                if let Some(value) = self.read(&rel)? {
                    let a: VpcAttribute = decode(&rel, "", &value)?;
                    any = true;
                    if let Some(v) = a.enable_dns_support {
                        dns.support = Some(v.value);
                    }
                    if let Some(v) = a.enable_dns_hostnames {
                        dns.hostnames = Some(v.value);
                    }
                }
            }
            if any {
                r.vpc_dns.insert(vpc.vpc_id.clone(), dns);
            }
        }
        r.subnets = self.field(&ec2("describe-subnets"), "Subnets")?;
        r.route_tables = self.field(&ec2("describe-route-tables"), "RouteTables")?;
        r.internet_gateways = self.field(&ec2("describe-internet-gateways"), "InternetGateways")?;
        r.egress_only_internet_gateways = self.field(
            &ec2("describe-egress-only-internet-gateways"),
            "EgressOnlyInternetGateways",
        )?;
        r.nat_gateways = self.field(&ec2("describe-nat-gateways"), "NatGateways")?;
        r.peering_connections = self.field(
            &ec2("describe-vpc-peering-connections"),
            "VpcPeeringConnections",
        )?;
        r.vpc_endpoints = self.field(&ec2("describe-vpc-endpoints"), "VpcEndpoints")?;
        r.service_configurations = self.field(
            &ec2("describe-vpc-endpoint-service-configurations"),
            "ServiceConfigurations",
        )?;
        for svc in &r.service_configurations {
            let rel = ec2(&format!(
                "describe-vpc-endpoint-service-permissions/{}",
                svc.service_id
            ));
            let principals = self.field(&rel, "AllowedPrincipals")?;
            r.service_permissions
                .insert(svc.service_id.clone(), principals);
        }
        r.network_interfaces =
            self.field(&ec2("describe-network-interfaces"), "NetworkInterfaces")?;
        r.security_groups = self.field(&ec2("describe-security-groups"), "SecurityGroups")?;
        r.network_acls = self.field(&ec2("describe-network-acls"), "NetworkAcls")?;
        r.prefix_lists = self.field(&ec2("describe-managed-prefix-lists"), "PrefixLists")?;
        for pl in &r.prefix_lists {
            let rel = ec2(&format!(
                "get-managed-prefix-list-entries/{}",
                pl.prefix_list_id
            ));
            let entries = self.field(&rel, "Entries")?;
            r.prefix_list_entries
                .insert(pl.prefix_list_id.clone(), entries);
        }
        r.transit_gateways = self.field(&ec2("describe-transit-gateways"), "TransitGateways")?;
        r.tgw_attachments = self.field(
            &ec2("describe-transit-gateway-attachments"),
            "TransitGatewayAttachments",
        )?;
        r.tgw_vpc_attachments = self.field(
            &ec2("describe-transit-gateway-vpc-attachments"),
            "TransitGatewayVpcAttachments",
        )?;
        r.tgw_route_tables = self.field(
            &ec2("describe-transit-gateway-route-tables"),
            "TransitGatewayRouteTables",
        )?;
        for rt in &r.tgw_route_tables {
            let id = &rt.transit_gateway_route_table_id;
            let rel = ec2(&format!("search-transit-gateway-routes/{id}"));
            if let Some(value) = self.read(&rel)? {
                let search: TgwRouteSearch = decode(&rel, "", &value)?;
                if search.additional_routes_available {
                    self.gaps.push(Gap {
                        file: rel.clone(),
                        reason: "AdditionalRoutesAvailable is true: the route list is truncated"
                            .into(),
                    });
                }
                r.tgw_routes.insert(id.clone(), search.routes);
            } else {
                self.missing(&rel);
            }
            let rel = ec2(&format!(
                "get-transit-gateway-route-table-associations/{id}"
            ));
            let assoc = self.field(&rel, "Associations")?;
            r.tgw_associations.insert(id.clone(), assoc);
            let rel = ec2(&format!(
                "get-transit-gateway-route-table-propagations/{id}"
            ));
            let _: Vec<Value> = self.field(&rel, "TransitGatewayRouteTablePropagations")?;
        }
        r.vpn_connections = self.field(&ec2("describe-vpn-connections"), "VpnConnections")?;
        r.vpn_gateways = self.field(&ec2("describe-vpn-gateways"), "VpnGateways")?;

        let elb = |op: &str| format!("{base}/elbv2/{op}.json");
        r.load_balancers = self.field(&elb("describe-load-balancers"), "LoadBalancers")?;
        r.target_groups = self.field(&elb("describe-target-groups"), "TargetGroups")?;
        for lb in &r.load_balancers {
            let rel = elb(&format!("describe-listeners/{}", lb.load_balancer_name));
            let listeners = self.field(&rel, "Listeners")?;
            r.listeners.insert(lb.load_balancer_name.clone(), listeners);
        }
        for tg in &r.target_groups {
            let rel = elb(&format!("describe-target-health/{}", tg.target_group_name));
            let health = self.field(&rel, "TargetHealthDescriptions")?;
            r.target_health.insert(tg.target_group_name.clone(), health);
        }

        let resolver = |op: &str| format!("{base}/route53resolver/{op}.json");
        r.resolver_endpoints =
            self.field(&resolver("list-resolver-endpoints"), "ResolverEndpoints")?;
        for ep in &r.resolver_endpoints {
            let rel = resolver(&format!("list-resolver-endpoint-ip-addresses/{}", ep.id));
            let ips = self.field(&rel, "IpAddresses")?;
            r.resolver_ips.insert(ep.id.clone(), ips);
        }
        r.resolver_rules = self.field(&resolver("list-resolver-rules"), "ResolverRules")?;
        r.resolver_rule_associations = self.field(
            &resolver("list-resolver-rule-associations"),
            "ResolverRuleAssociations",
        )?;

        let iot = |op: &str| format!("{base}/iot/{op}.json");
        for (_, key) in IOT_ENDPOINT_TYPES {
            let rel = iot(&format!("describe-endpoint/{key}"));
            let address: Option<String> = self.field(&rel, "endpointAddress")?;
            if let Some(address) = address {
                r.iot_endpoints.insert(key.to_string(), address);
            }
        }
        let summaries: Vec<IotPolicySummary> = self.field(&iot("list-policies"), "policies")?;
        for s in &summaries {
            let rel = iot(&format!("get-policy/{}", s.policy_name));
            match self.read(&rel)? {
                Some(value) => r.iot_policies.push(decode(&rel, "", &value)?),
                None => self.missing(&rel),
            }
            let rel = iot(&format!("list-targets-for-policy/{}", s.policy_name));
            let targets = self.field(&rel, "targets")?;
            r.iot_policy_targets.insert(s.policy_name.clone(), targets);
        }
        Ok(r)
    }

    fn global(&mut self, account: &str) -> Result<Global, SnapshotError> {
        let r53 = |op: &str| format!("{account}/global/route53/{op}.json");
        let mut g = Global {
            account: account.to_string(),
            ..Default::default()
        };
        g.hosted_zones = self.field(&r53("list-hosted-zones"), "HostedZones")?;
        for zone in &g.hosted_zones {
            let id = zone.short_id().to_string();
            let rel = r53(&format!("get-hosted-zone/{id}"));
            match self.read(&rel)? {
                Some(value) => {
                    g.zone_details.insert(id.clone(), decode(&rel, "", &value)?);
                }
                None => self.missing(&rel),
            }
            let rel = r53(&format!("list-resource-record-sets/{id}"));
            let sets = self.field(&rel, "ResourceRecordSets")?;
            g.record_sets.insert(id.clone(), sets);
            if zone.is_private() {
                let rel = r53(&format!("list-vpc-association-authorizations/{id}"));
                let _: Vec<Value> = self.field(&rel, "VPCs")?;
            }
        }
        Ok(g)
    }
}

/// Decode `value` (found at `prefix` in `file`) into `T`, reporting the JSON path on error.
fn decode<T: DeserializeOwned>(
    file: &str,
    prefix: &str,
    value: &Value,
) -> Result<T, SnapshotError> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let inner = err.path().to_string();
        let path = match (prefix.is_empty(), inner.as_str()) {
            (true, ".") => "(top level)".to_string(),
            (true, _) => inner.clone(),
            (false, ".") => prefix.to_string(),
            (false, p) if p.starts_with('[') => format!("{prefix}{p}"),
            (false, p) => format!("{prefix}.{p}"),
        };
        SnapshotError::Field {
            file: file.to_string(),
            path,
            message: err.into_inner().to_string(),
        }
    })
}

/// SHA-256 of every regular file under `root`, sorted by relative path ('/' separated).
fn hash_tree(root: &Path) -> Result<Vec<EvidenceFile>, SnapshotError> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = fs::read_dir(&dir).map_err(|source| SnapshotError::Io {
            file: rel_path(root, &dir),
            source,
        })?;
        for entry in entries {
            let entry = entry.map_err(|source| SnapshotError::Io {
                file: rel_path(root, &dir),
                source,
            })?;
            let path = entry.path();
            let kind = entry.file_type().map_err(|source| SnapshotError::Io {
                file: rel_path(root, &path),
                source,
            })?;
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() {
                let bytes = fs::read(&path).map_err(|source| SnapshotError::Io {
                    file: rel_path(root, &path),
                    source,
                })?;
                out.push(EvidenceFile {
                    path: rel_path(root, &path),
                    sha256: hex(&Sha256::digest(&bytes)),
                });
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_path_names_the_nested_field() {
        let value: Value = serde_json::json!([{"RouteTableId": "rtb-1", "VpcId": "vpc-1"},
            {"RouteTableId": "rtb-2", "VpcId": "vpc-1", "Routes": {"x": 1}}]);
        let err =
            decode::<Vec<RouteTable>>("a/b/ec2/describe-route-tables.json", "RouteTables", &value)
                .unwrap_err();
        assert_eq!(
            err.to_string(),
            "a/b/ec2/describe-route-tables.json: RouteTables[1].Routes: invalid type: map, expected a sequence"
        );
    }

    #[test]
    fn operation_file_maps_route53_to_global() {
        assert_eq!(
            operation_file("1", "us-west-2", "route53:list-hosted-zones"),
            "1/global/route53/list-hosted-zones.json"
        );
        assert_eq!(
            operation_file("1", "us-west-2", "ec2:describe-vpcs"),
            "1/us-west-2/ec2/describe-vpcs.json"
        );
    }
}
