//! Intent: which VPCs are sources and gatekeepers, on-premises ranges, approved endpoints, ports.
//!
//! Defaults come from the snapshot (VPC tag `pathproof:role`, iot.data interface endpoints in
//! gatekeeper VPCs); an intent file (TOML, documented in README.md) adds to or overrides them.
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::graph::Model;
use crate::snapshot::records::tag;

pub const ROLE_TAG: &str = "pathproof:role";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Device,
    Consumer,
    Gatekeeper,
    /// Explicitly not part of the proof (overrides a tag).
    None,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Device => "device",
            Role::Consumer => "consumer",
            Role::Gatekeeper => "gatekeeper",
            Role::None => "none",
        }
    }
}

/// The intent file as written by the user. Unknown keys are an error: a typo must not silently
/// weaken the proof.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntentFile {
    /// Where it was read from (set by [`IntentFile::load`], never a key of the file).
    #[serde(skip)]
    pub origin: Option<IntentOrigin>,
    /// VPC id → role.
    #[serde(default)]
    pub roles: BTreeMap<String, Role>,
    /// On-premises CIDRs. Default: inferred from TGW routes to Direct Connect / VPN attachments.
    #[serde(default)]
    pub onprem_cidrs: Vec<IpNet>,
    /// Approved VPC endpoint ids for `aws:SourceVpce`. Default: iot.data interface endpoints in
    /// gatekeeper VPCs.
    #[serde(default)]
    pub approved_endpoints: Vec<String>,
    /// Ports IoT Core data traffic uses. Default: 8883 (MQTT over TLS) and 443 (MQTT/HTTPS with ALPN).
    #[serde(default)]
    pub mqtt_ports: Option<Vec<u16>>,
    /// Accounts allowed to connect to the IoT endpoint service, besides accounts with a consumer VPC.
    #[serde(default)]
    pub consumer_accounts: Vec<String>,
    /// Ephemeral port range return traffic must be allowed on by network ACLs. Default 1024-65535.
    #[serde(default)]
    pub ephemeral_ports: Option<[u16; 2]>,
    /// IoT custom authorizers (by name) accepted although the policies their Lambda returns are
    /// not in any snapshot: name → justification, printed in every report. An ACTIVE authorizer
    /// not listed here makes the IoT policy proof unproven (PP015).
    #[serde(default)]
    pub accepted_authorizers: BTreeMap<String, String>,
}

#[derive(Debug, thiserror::Error)]
pub enum IntentError {
    /// The cause is part of the message (not a `source`, which would print it twice).
    #[error("{file}: cannot read: {cause}")]
    Io { file: String, cause: std::io::Error },
    #[error("{file}: {message}")]
    Parse { file: String, message: String },
}

impl IntentFile {
    pub fn load(path: &Path) -> Result<IntentFile, IntentError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|cause| IntentError::Io {
            file: file.clone(),
            cause,
        })?;
        let mut parsed: IntentFile = toml::from_str(&text).map_err(|e| IntentError::Parse {
            file: file.clone(),
            message: e.to_string().trim().to_string(),
        })?;
        parsed.origin = Some(IntentOrigin {
            path: file.clone(),
            sha256: crate::snapshot::files::hex(&sha2::Sha256::digest(text.as_bytes())),
        });
        if parsed.mqtt_ports.as_ref().is_some_and(|p| p.is_empty()) {
            return Err(IntentError::Parse {
                file,
                message: "mqtt_ports: must name at least one port".into(),
            });
        }
        if let Some([lo, hi]) = parsed.ephemeral_ports {
            if lo > hi {
                return Err(IntentError::Parse {
                    file,
                    message: format!("ephemeral_ports: {lo} is greater than {hi}"),
                });
            }
        }
        if let Some((name, _)) = parsed
            .accepted_authorizers
            .iter()
            .find(|(_, why)| why.trim().is_empty())
        {
            return Err(IntentError::Parse {
                file,
                message: format!(
                    "accepted_authorizers: {name:?} needs a justification (a non-empty string)"
                ),
            });
        }
        Ok(parsed)
    }
}

/// An intent file as read: its path as given on the command line and the SHA-256 of its bytes,
/// so a report can say how to re-verify it and an auditor can check it is the same file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntentOrigin {
    pub path: String,
    pub sha256: String,
}

/// The effective intent for one snapshot.
#[derive(Debug, Clone, Serialize)]
pub struct Intent {
    /// VPC id → role, for VPCs that have one.
    pub roles: BTreeMap<String, Role>,
    /// Explicit on-premises CIDRs (empty = infer from the Transit Gateway).
    pub onprem_cidrs: Vec<IpNet>,
    pub approved_endpoints: BTreeSet<String>,
    /// `intent-file` or `gatekeeper-endpoints`.
    pub approved_from: &'static str,
    pub mqtt_ports: Vec<u16>,
    pub consumer_accounts: BTreeSet<String>,
    pub ephemeral_ports: (u16, u16),
    /// Custom authorizer name → the justification the intent file gives for accepting it.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub accepted_authorizers: BTreeMap<String, String>,
    /// The intent file's path and digest. The JSON report carries the digest only
    /// (`file_sha256`, so GRC tooling can tie a report to the file it was made with): the path
    /// depends on where the command ran. The HTML report's re-verify command names both.
    #[serde(
        rename = "file_sha256",
        skip_serializing_if = "Option::is_none",
        serialize_with = "origin_digest"
    )]
    pub origin: Option<IntentOrigin>,
}

fn origin_digest<S: serde::Serializer>(o: &Option<IntentOrigin>, s: S) -> Result<S::Ok, S::Error> {
    match o {
        Some(o) => s.serialize_str(&o.sha256),
        None => s.serialize_none(),
    }
}

impl Intent {
    pub fn resolve(model: &Model<'_>, file: Option<&IntentFile>) -> Intent {
        let mut roles = BTreeMap::new();
        for (id, vpc) in &model.vpcs {
            let role = match tag(&vpc.tags, ROLE_TAG).map(|v| v.trim().to_ascii_lowercase()) {
                Some(v) if v == "device" => Role::Device,
                Some(v) if v == "consumer" => Role::Consumer,
                Some(v) if v == "gatekeeper" => Role::Gatekeeper,
                _ => continue,
            };
            roles.insert(id.to_string(), role);
        }
        let default = IntentFile::default();
        let file = file.unwrap_or(&default);
        for (id, role) in &file.roles {
            roles.insert(id.clone(), *role);
        }
        roles.retain(|_, r| *r != Role::None);
        let (approved_endpoints, approved_from) = if file.approved_endpoints.is_empty() {
            let approved = model
                .endpoints
                .values()
                .filter(|e| {
                    e.vpc_endpoint_type == "Interface"
                        && iot_service_of(&e.service_name) == Some(IotService::Data)
                        && roles.get(&e.vpc_id) == Some(&Role::Gatekeeper)
                })
                .map(|e| e.vpc_endpoint_id.clone())
                .collect();
            (approved, "gatekeeper-endpoints")
        } else {
            (
                file.approved_endpoints.iter().cloned().collect(),
                "intent-file",
            )
        };
        let mut consumer_accounts: BTreeSet<String> =
            file.consumer_accounts.iter().cloned().collect();
        for (id, role) in &roles {
            if *role == Role::Consumer {
                if let Some(v) = model.vpcs.get(id.as_str()) {
                    consumer_accounts.insert(v.loc.account.to_string());
                }
            }
        }
        Intent {
            roles,
            onprem_cidrs: file.onprem_cidrs.iter().map(|n| n.trunc()).collect(),
            approved_endpoints,
            approved_from,
            mqtt_ports: file.mqtt_ports.clone().unwrap_or_else(|| vec![8883, 443]),
            consumer_accounts,
            ephemeral_ports: file
                .ephemeral_ports
                .map(|[a, b]| (a, b))
                .unwrap_or((1024, 65535)),
            accepted_authorizers: file.accepted_authorizers.clone(),
            origin: file.origin.clone(),
        }
    }

    pub fn vpcs_with(&self, role: Role) -> impl Iterator<Item = &str> {
        self.roles
            .iter()
            .filter(move |(_, r)| **r == role)
            .map(|(id, _)| id.as_str())
    }
}

/// IoT services reachable through interface endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IotService {
    /// `com.amazonaws.<region>.iot.data` — MQTT / HTTPS data plane (`iot:Data-ATS`).
    Data,
    /// `com.amazonaws.<region>.iot.credentials` — credential provider.
    Credentials,
    /// `com.amazonaws.<region>.greengrass` — Greengrass data/control plane.
    Greengrass,
}

impl IotService {
    pub fn as_str(self) -> &'static str {
        match self {
            IotService::Data => "iot.data",
            IotService::Credentials => "iot.credentials",
            IotService::Greengrass => "greengrass",
        }
    }

    /// Ports the service is used on.
    pub fn ports(self, intent: &Intent) -> Vec<u16> {
        match self {
            IotService::Data => intent.mqtt_ports.clone(),
            IotService::Credentials => vec![443],
            IotService::Greengrass => vec![443, 8443],
        }
    }
}

/// The IoT service of an AWS service name `com.amazonaws.<region>.<service>`.
pub fn iot_service_of(service_name: &str) -> Option<IotService> {
    let rest = service_name.strip_prefix("com.amazonaws.")?;
    let (_, service) = rest.split_once('.')?;
    match service {
        "iot.data" => Some(IotService::Data),
        "iot.credentials" => Some(IotService::Credentials),
        "greengrass" => Some(IotService::Greengrass),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_names() {
        assert_eq!(
            iot_service_of("com.amazonaws.us-west-2.iot.data"),
            Some(IotService::Data)
        );
        assert_eq!(
            iot_service_of("com.amazonaws.eu-west-1.iot.credentials"),
            Some(IotService::Credentials)
        );
        assert_eq!(iot_service_of("com.amazonaws.us-west-2.s3"), None);
        assert_eq!(
            iot_service_of("com.amazonaws.vpce.us-west-2.vpce-svc-1"),
            None
        );
    }

    #[test]
    fn unknown_intent_keys_are_errors() {
        let err = toml::from_str::<IntentFile>("approved_endpoint = [\"vpce-1\"]").unwrap_err();
        assert!(err.to_string().contains("unknown field"), "{err}");
    }
}
