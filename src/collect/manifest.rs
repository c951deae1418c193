//! `manifest.json` as pathproof writes it (collection and merge), with the layout's pathproof
//! extensions (`docs/snapshot-layout.md`, "Manifest extensions"): `partition`, `organization`,
//! `skipped`, `shard` and `merged_from`. Readers that do not know them ignore them.
use std::path::Path;
use std::time::SystemTime;

use anyhow::Context;
use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::convert;

/// The `format` of the manifest this collector writes.
pub const FORMAT: &str = "pathproof-snapshot/1";

/// `manifest.json`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Manifest {
    pub format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<String>,
    pub collector: String,
    /// Extension: the partition of the caller (`aws`, `aws-cn`, `aws-us-gov`, ...). Account ids
    /// are unique only within a partition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition: Option<String>,
    pub targets: Vec<Target>,
    pub errors: Vec<Value>,
    /// Extension: how the accounts were found, when they came from AWS Organizations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<Value>,
    /// Extension: accounts AWS Organizations listed that were not collected (not ACTIVE).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<Vec<Value>>,
    /// Extension: this snapshot is shard `index` of `count` of a collection of `scope`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardInfo>,
    /// Extension: a merged snapshot names what it was merged from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged_from: Option<Vec<Value>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Target {
    pub account: String,
    pub regions: Vec<String>,
}

/// The `shard` extension: which shard, and the whole collection's targets, so that a merge can
/// tell that every shard of the same collection is there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ShardInfo {
    pub index: usize,
    pub count: usize,
    pub scope: Vec<Target>,
}

/// One entry of the `skipped` extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Skipped {
    pub account: String,
    /// `Account.State` as Organizations returned it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// `Account.Status` (the older field) as Organizations returned it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    pub message: String,
}

pub(crate) fn write_manifest(out: &Path, manifest: &Manifest) -> anyhow::Result<()> {
    let value = serde_json::to_value(manifest).context("cannot encode manifest.json")?;
    let path = out.join("manifest.json");
    std::fs::write(&path, convert::to_cli_text(&value))
        .with_context(|| format!("cannot write {}", path.display()))
}

/// `2026-11-25T18:00:00Z`.
pub(crate) fn rfc3339_now() -> String {
    let now = DateTime::from(SystemTime::now());
    DateTime::from_secs(now.secs())
        .fmt(Format::DateTime)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

/// Seconds since the epoch of an RFC 3339 time (`collected_at`), or `None`.
pub(crate) fn parse_time(s: &str) -> Option<i64> {
    DateTime::from_str(s, Format::DateTime)
        .ok()
        .map(|t| t.secs())
}

/// The partition a Region belongs to, by the `regionRegex` of each partition in botocore's
/// `partitions.json` (the table the SDKs resolve endpoints with):
///
/// | partition | regionRegex |
/// |---|---|
/// | `aws` | `^(us\|eu\|ap\|sa\|ca\|me\|af\|il\|mx)\-\w+\-\d+$` |
/// | `aws-cn` | `^cn\-\w+\-\d+$` |
/// | `aws-eusc` | `^eusc\-(de)\-\w+\-\d+$` |
/// | `aws-iso` | `^us\-iso\-\w+\-\d+$` |
/// | `aws-iso-b` | `^us\-isob\-\w+\-\d+$` |
/// | `aws-iso-e` | `^eu\-isoe\-\w+\-\d+$` |
/// | `aws-iso-f` | `^us\-isof\-\w+\-\d+$` |
/// | `aws-us-gov` | `^us\-gov\-\w+\-\d+$` |
///
/// `None` for a name no partition's pattern matches.
pub(crate) fn partition_of_region(region: &str) -> Option<&'static str> {
    let parts: Vec<&str> = region.split('-').collect();
    let word = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [prefix, middle, name, number] if word(name) && digits(number) => {
            match (*prefix, *middle) {
                ("us", "gov") => Some("aws-us-gov"),
                ("us", "iso") => Some("aws-iso"),
                ("us", "isob") => Some("aws-iso-b"),
                ("us", "isof") => Some("aws-iso-f"),
                ("eu", "isoe") => Some("aws-iso-e"),
                ("eusc", "de") => Some("aws-eusc"),
                _ => None,
            }
        }
        [prefix, name, number] if word(name) && digits(number) => match *prefix {
            "us" | "eu" | "ap" | "sa" | "ca" | "me" | "af" | "il" | "mx" => Some("aws"),
            "cn" => Some("aws-cn"),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cases from the regionRegex table of botocore's partitions.json.
    #[test]
    fn regions_name_their_partition() {
        for (region, partition) in [
            ("us-west-2", Some("aws")),
            ("eu-central-1", Some("aws")),
            ("ap-southeast-5", Some("aws")),
            ("mx-central-1", Some("aws")),
            ("il-central-1", Some("aws")),
            ("cn-north-1", Some("aws-cn")),
            ("cn-northwest-1", Some("aws-cn")),
            ("us-gov-west-1", Some("aws-us-gov")),
            ("us-iso-east-1", Some("aws-iso")),
            ("us-isob-east-1", Some("aws-iso-b")),
            ("us-isof-south-1", Some("aws-iso-f")),
            ("eu-isoe-west-1", Some("aws-iso-e")),
            ("eusc-de-east-1", Some("aws-eusc")),
            ("xx-west-1", None),
            ("us-west", None),
            ("us-west-2a", None),
            ("us--2", None),
            ("eusc-fr-east-1", None),
        ] {
            assert_eq!(partition_of_region(region), partition, "{region}");
        }
    }

    #[test]
    fn times_parse_as_rfc3339() {
        assert_eq!(parse_time("1970-01-01T00:01:00Z"), Some(60));
        assert!(parse_time("yesterday").is_none());
        assert!(parse_time(&rfc3339_now()).is_some());
    }
}
