//! Terraform plan overlay: `verify --plan plan.json` applies the AWS resource changes of a plan
//! (what `terraform show -json tfplan` prints) onto the loaded snapshot's records, so the flow
//! stays snapshot → graph → verify → report and the verdict answers "would this change break
//! privacy?" before `terraform apply`.
//!
//! Sources (Terraform "JSON Output Format", developer.hashicorp.com/terraform/internals/json-format):
//! - `format_version` is `major.minor`; a consumer must "reject any input which reports an
//!   unsupported major version" and ignore unknown properties of a known major version. This
//!   version reads major 1; any other is an input error (exit 2) naming `format_version`.
//! - `resource_changes[]` has `address`, `module_address`, `mode` (`managed`/`data`), `type`,
//!   `name`, `index`, `provider_name`, `deposed` and `change` with `actions`, `before`, `after`,
//!   `after_unknown`, `before_sensitive`, `after_sensitive`. `actions` is `["no-op"]`,
//!   `["create"]`, `["read"]`, `["update"]`, `["delete", "create"]` / `["create", "delete"]`
//!   (replace) or `["delete"]`; Terraform 1.7 added `["forget"]` (removed from state, the object
//!   stays in AWS, so the snapshot is unchanged).
//! - Values unknown until apply are left out of `after` and marked `true` in `after_unknown`.
//! - `configuration` holds each resource's `expressions`, whose `references` name the resources
//!   an unknown attribute comes from (`aws_internet_gateway.igw.id`): a reference to the `id` of
//!   a resource this plan creates is that resource's placeholder id.
//!
//! Fail closed: a change this version cannot apply exactly (a type not modelled that touches a
//! resource on a path, an unknown value that no reference resolves, a resource that cannot be
//! placed in an account and Region of the snapshot) is PP016 on the Terraform address for every
//! path it can affect (all paths when it cannot be scoped). Resources this plan creates get
//! placeholder ids `<prefix>-planned:<address>` (`igw-planned:aws_internet_gateway.device`): the
//! AWS prefix keeps the route-target kind, the address names the change in every report format.
use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context};
use serde_json::Value;

mod annotate;
pub mod apply;
mod refs;

pub use annotate::annotate;

/// The largest plan file read (the snapshot's per-file bound).
pub const MAX_PLAN_BYTES: u64 = crate::snapshot::files::MAX_FILE_BYTES;

/// What the plan does to one resource instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Delete,
    /// Delete and create (either order): the old object goes, a new one (new id) comes.
    Replace,
}

/// One managed AWS resource change of the plan.
#[derive(Debug, Clone)]
pub struct Change {
    /// `module.net.aws_route.default["a"]`.
    pub address: String,
    /// `module.net` (empty in the root module).
    pub module_address: String,
    pub rtype: String,
    pub action: Action,
    pub before: Value,
    pub after: Value,
    pub after_unknown: Value,
    /// JSON path of the change in the plan file, for messages.
    pub json_path: String,
}

impl Change {
    /// The `after` value of `attr` unless unknown; `""` and `null` are absent (the AWS provider
    /// stores unset optional strings as `""`).
    pub fn after_str(&self, attr: &str) -> Option<&str> {
        str_of(&self.after, attr)
    }
    pub fn before_str(&self, attr: &str) -> Option<&str> {
        str_of(&self.before, attr)
    }
    /// True when `attr` (or anything inside it) is unknown until apply.
    pub fn unknown(&self, attr: &str) -> bool {
        self.after_unknown.get(attr).is_some_and(any_true)
    }
}

fn str_of<'a>(v: &'a Value, attr: &str) -> Option<&'a str> {
    v.get(attr)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

fn any_true(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Array(a) => a.iter().any(any_true),
        Value::Object(o) => o.values().any(any_true),
        _ => false,
    }
}

/// A parsed plan: the AWS changes and the configuration (for references).
#[derive(Debug, Clone)]
pub struct Plan {
    /// The plan file as given, for messages.
    pub file: String,
    pub sha256: String,
    pub changes: Vec<Change>,
    /// Non-AWS or unrecognised actions, kept so they are reported, never dropped.
    pub unknown_actions: Vec<(String, String)>,
    pub configuration: Value,
}

impl Plan {
    pub fn load(path: &Path) -> anyhow::Result<Plan> {
        let file = path.display().to_string();
        let meta = std::fs::metadata(path).with_context(|| format!("{file}: cannot read"))?;
        if !meta.is_file() {
            bail!("{file}: not a regular file");
        }
        if meta.len() > MAX_PLAN_BYTES {
            bail!(
                "{file}: larger than {} MiB; not a plan pathproof reads",
                MAX_PLAN_BYTES / (1024 * 1024)
            );
        }
        let bytes = std::fs::read(path).with_context(|| format!("{file}: cannot read"))?;
        let value: Value = serde_json::from_slice(&bytes)
            .map_err(|e| anyhow::anyhow!("{file}: not valid JSON: {e}"))?;
        let sha256 = {
            use sha2::{Digest, Sha256};
            crate::snapshot::files::hex(&Sha256::digest(&bytes))
        };
        Plan::parse(&file, sha256, &value)
    }

    /// Parse the plan JSON; errors name the file and the JSON path.
    pub fn parse(file: &str, sha256: String, value: &Value) -> anyhow::Result<Plan> {
        let err = |path: &str, msg: String| anyhow::anyhow!("{file}: {path}: {msg}");
        let Some(top) = value.as_object() else {
            return Err(err("(top level)", "expected an object".into()));
        };
        let version = match top.get("format_version") {
            Some(Value::String(s)) => s.clone(),
            Some(_) => return Err(err("format_version", "expected a string".into())),
            None => {
                return Err(err(
                    "format_version",
                    "missing: not the output of `terraform show -json`".into(),
                ))
            }
        };
        let major = version.split('.').next().unwrap_or("");
        if major != "1" {
            return Err(err(
                "format_version",
                format!("unsupported major version {version:?}; this version reads 1.x"),
            ));
        }
        if !top.contains_key("resource_changes") && !top.contains_key("planned_values") {
            return Err(err(
                "(top level)",
                "no resource_changes or planned_values: a state file, not a plan".into(),
            ));
        }
        let mut changes = Vec::new();
        let mut unknown_actions = Vec::new();
        let list = match top.get("resource_changes") {
            None => &[][..],
            Some(Value::Array(a)) => &a[..],
            Some(_) => return Err(err("resource_changes", "expected an array".into())),
        };
        for (i, rc) in list.iter().enumerate() {
            let jp = format!("resource_changes[{i}]");
            let s = |k: &str| -> anyhow::Result<String> {
                rc.get(k)
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| err(&format!("{jp}.{k}"), "expected a string".into()))
            };
            let address = s("address")?;
            let rtype = s("type")?;
            let mode = s("mode")?;
            if mode != "managed" || !rtype.starts_with("aws_") {
                continue;
            }
            let change = rc
                .get("change")
                .filter(|c| c.is_object())
                .ok_or_else(|| err(&format!("{jp}.change"), "expected an object".into()))?;
            let actions: Vec<&str> = change
                .get("actions")
                .and_then(Value::as_array)
                .ok_or_else(|| err(&format!("{jp}.change.actions"), "expected an array".into()))?
                .iter()
                .map(|a| a.as_str().unwrap_or("(not a string)"))
                .collect();
            let action = match actions.as_slice() {
                ["no-op"] | ["read"] | ["forget"] => continue,
                ["create"] => Action::Create,
                ["update"] => Action::Update,
                ["delete"] => Action::Delete,
                ["delete", "create"] | ["create", "delete"] => Action::Replace,
                other => {
                    unknown_actions.push((address, format!("{other:?}")));
                    continue;
                }
            };
            let get = |k: &str| change.get(k).cloned().unwrap_or(Value::Null);
            let obj_or_null = |k: &str, v: &Value| -> anyhow::Result<()> {
                if v.is_null() || v.is_object() {
                    Ok(())
                } else {
                    Err(err(
                        &format!("{jp}.change.{k}"),
                        "expected an object or null".into(),
                    ))
                }
            };
            let (before, after, after_unknown) =
                (get("before"), get("after"), get("after_unknown"));
            obj_or_null("before", &before)?;
            obj_or_null("after", &after)?;
            let needs = |k: &str, v: &Value| -> anyhow::Result<()> {
                if v.is_object() {
                    Ok(())
                } else {
                    Err(err(
                        &format!("{jp}.change.{k}"),
                        format!("expected an object for actions {actions:?}"),
                    ))
                }
            };
            match action {
                Action::Create => needs("after", &after)?,
                Action::Delete => needs("before", &before)?,
                Action::Update | Action::Replace => {
                    needs("before", &before)?;
                    needs("after", &after)?;
                }
            }
            changes.push(Change {
                address,
                module_address: rc
                    .get("module_address")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                rtype,
                action,
                before,
                after,
                after_unknown: if after_unknown.is_object() {
                    after_unknown
                } else {
                    Value::Object(Default::default())
                },
                json_path: jp,
            });
        }
        Ok(Plan {
            file: file.to_string(),
            sha256,
            changes,
            unknown_actions,
            configuration: top.get("configuration").cloned().unwrap_or(Value::Null),
        })
    }
}

/// A change that cannot be proven: PP016 on `address` for the paths that mention any of
/// `scope` (every path when `scope` is `None`).
#[derive(Debug, Clone)]
pub struct Unproven {
    pub address: String,
    pub reason: String,
    /// Resource ids the change can affect; `None` = it cannot be scoped (every path).
    pub scope: Option<Vec<String>>,
    /// True when the change affects IoT policy proofs rather than paths.
    pub policy: bool,
}

/// The result of applying a plan: what cannot be proven and which ids each address touched.
#[derive(Debug, Clone, Default)]
pub struct Overlay {
    pub file: String,
    pub sha256: String,
    pub unproven: Vec<Unproven>,
    /// Resource id (existing or placeholder) → Terraform addresses that change it.
    pub touched: BTreeMap<String, Vec<String>>,
    /// Counts for the report: changes applied, not modelled.
    pub applied: usize,
}

impl Overlay {
    fn touch(&mut self, id: &str, address: &str) {
        let v = self.touched.entry(id.to_string()).or_default();
        if !v.iter().any(|a| a == address) {
            v.push(address.to_string());
        }
    }
    fn unproven(&mut self, c: &Change, reason: impl Into<String>, scope: Option<Vec<String>>) {
        self.unproven.push(Unproven {
            address: c.address.clone(),
            reason: reason.into(),
            scope,
            policy: false,
        });
    }
}

/// Load `path` and apply it to `snapshot`.
pub fn overlay(snapshot: &mut crate::snapshot::Snapshot, path: &Path) -> anyhow::Result<Overlay> {
    let plan = Plan::load(path)?;
    apply::apply(snapshot, &plan)
}

/// The AWS id prefix of a resource type's placeholder id (`igw` for `aws_internet_gateway`), so
/// a route to a planned gateway keeps its target kind (VPC guide, route table targets).
pub fn id_prefix(rtype: &str) -> &str {
    match rtype {
        "aws_internet_gateway" => "igw",
        "aws_egress_only_internet_gateway" => "eigw",
        "aws_nat_gateway" => "nat",
        "aws_route_table" | "aws_default_route_table" => "rtb",
        "aws_vpc_peering_connection" => "pcx",
        "aws_ec2_transit_gateway" => "tgw",
        "aws_ec2_transit_gateway_route_table" => "tgw-rtb",
        "aws_ec2_transit_gateway_vpc_attachment" => "tgw-attach",
        "aws_vpn_connection" => "vpn",
        "aws_vpn_gateway" => "vgw",
        "aws_vpc" => "vpc",
        "aws_subnet" => "subnet",
        "aws_security_group" => "sg",
        "aws_network_acl" => "acl",
        "aws_vpc_endpoint" => "vpce",
        "aws_vpc_endpoint_service" => "vpce-svc",
        "aws_network_interface" => "eni",
        "aws_instance" => "i",
        "aws_route53_zone" => "Z",
        other => other.strip_prefix("aws_").unwrap_or(other),
    }
}

/// The placeholder id of a resource the plan creates.
pub fn placeholder(rtype: &str, address: &str) -> String {
    format!("{}-planned:{address}", id_prefix(rtype))
}
