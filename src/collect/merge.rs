//! `pathproof snapshot merge OUT IN...`: snapshots (typically the shards of
//! `snapshot --shard I/N`) into one snapshot that loads and verifies like an unsharded one.
//!
//! Rules (docs/collect.md, "Sharding and merging"):
//! - Every input is a `pathproof-snapshot/1` folder of one partition; OUT is new or empty.
//! - `targets` are unioned per account (Regions merged); `errors` unioned (an unfinished
//!   input's `pathproof:collect` entry is kept, so the merge is incomplete, never complete).
//! - Files are copied (regular files only: a symlink or any other kind of file is an error).
//!   Where inputs overlap — the same `<account>/<region>/` (a Region target of both, or files in
//!   both) or `<account>/global/` folder — they must hold the same files, byte for byte;
//!   anything else is an error naming the file and both inputs. So Route 53 (global) data of
//!   an account is there once, and overlapping targets are accepted only when their files agree.
//! - Shards name their collection (`shard.scope`): every shard 1..N of it must be an input, and
//!   together they must cover the scope, else the merge would look complete while a shard is
//!   missing.
//! - `collected_at` is the earliest of the inputs' (when the collection began, as in an
//!   unsharded manifest); `merged_from` lists every input's `collected_at`, `collector` and shard.
//!
//! Nothing is written until every input has been read and checked; the manifest is written
//! last, and the result is loaded with [`crate::snapshot::Snapshot::load`] before it is reported.
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::cli::{MergeArgs, MAX_SHARDS};
use crate::report::escape::terminal;
use crate::Outcome;

use super::manifest::{
    parse_time, partition_of_region, write_manifest, Manifest, ShardInfo, Target, FORMAT,
};
use super::plan::{is_account, is_region};

/// A manifest larger than this is not one a collector wrote.
const MAX_MANIFEST: u64 = 64 << 20;

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeSummary {
    pub inputs: usize,
    pub accounts: usize,
    /// (account, Region) pairs in the merged `targets`.
    pub pairs: usize,
    pub files: usize,
    /// Entries in the merged manifest's `errors`.
    pub errors: usize,
}

/// `pathproof snapshot merge`: `Pass` when the merged manifest has no errors, `Fail` (exit 1)
/// when it has (an input's collection errors, or an unfinished input); `Err` (exit 2) when the
/// inputs cannot be merged.
pub fn run(args: &MergeArgs) -> anyhow::Result<Outcome> {
    let summary = merge(&args.out, &args.inputs)?;
    Ok(if summary.errors == 0 {
        Outcome::Pass
    } else {
        Outcome::Fail
    })
}

/// The fields of an input manifest the merge uses (and keeps).
#[derive(Debug, Deserialize)]
struct InputManifest {
    format: String,
    #[serde(default)]
    collected_at: Option<String>,
    #[serde(default)]
    collector: Option<String>,
    #[serde(default)]
    partition: Option<String>,
    targets: Vec<Target>,
    #[serde(default)]
    errors: Vec<Value>,
    #[serde(default)]
    organization: Option<Value>,
    #[serde(default)]
    skipped: Option<Vec<Value>>,
    #[serde(default)]
    shard: Option<ShardInfo>,
    #[serde(default)]
    merged_from: Option<Vec<Value>>,
}

/// One input: its folder, manifest, and files (relative path → absolute path).
struct Input {
    dir: PathBuf,
    manifest: InputManifest,
    files: BTreeMap<String, PathBuf>,
}

impl Input {
    fn name(&self) -> String {
        self.dir.display().to_string()
    }

    fn pairs(&self) -> BTreeSet<(&str, &str)> {
        pairs(&self.manifest.targets)
    }
}

fn pairs(targets: &[Target]) -> BTreeSet<(&str, &str)> {
    targets
        .iter()
        .flat_map(|t| {
            t.regions
                .iter()
                .map(move |r| (t.account.as_str(), r.as_str()))
        })
        .collect()
}

pub fn merge(out: &Path, dirs: &[PathBuf]) -> anyhow::Result<MergeSummary> {
    if dirs.is_empty() {
        bail!("snapshot merge needs at least one input folder");
    }
    super::check_out(out, "OUT")?;
    let mut canonical: Vec<PathBuf> = Vec::new();
    for dir in dirs {
        let c = std::fs::canonicalize(dir)
            .with_context(|| format!("{}: not a snapshot folder", dir.display()))?;
        if canonical.contains(&c) {
            bail!("{} is given twice", dir.display());
        }
        canonical.push(c);
    }
    let mut inputs = Vec::new();
    for dir in dirs {
        let manifest = read_manifest(dir)?;
        inputs.push(Input {
            dir: dir.clone(),
            manifest,
            files: BTreeMap::new(),
        });
    }
    let partition = common_partition(&inputs)?;
    check_shards(&inputs)?;
    for input in &mut inputs {
        input.files = walk(&input.dir)?;
    }
    check_overlaps(&inputs)?;

    let manifest = merged_manifest(&inputs, partition)?;

    // Write: OUT (not inside an input), the files, then the manifest.
    let existed = out.exists();
    std::fs::create_dir_all(out).with_context(|| format!("cannot create OUT {}", out.display()))?;
    let out_canonical = std::fs::canonicalize(out)
        .with_context(|| format!("cannot resolve OUT {}", out.display()))?;
    if let Some((dir, _)) = dirs
        .iter()
        .zip(&canonical)
        .find(|(_, c)| out_canonical.starts_with(c) || c.starts_with(&out_canonical))
    {
        // Leave things as they were found.
        if !existed {
            let _ = std::fs::remove_dir(out);
        }
        bail!(
            "OUT {} is inside the input {} (or contains it): choose a folder outside the inputs",
            out.display(),
            dir.display()
        );
    }
    let mut sources: BTreeMap<&str, &Path> = BTreeMap::new();
    for input in &inputs {
        for (rel, path) in &input.files {
            sources.entry(rel.as_str()).or_insert(path.as_path());
        }
    }
    for (rel, source) in &sources {
        copy_file(source, &out.join(rel)).with_context(|| format!("cannot copy {rel} into OUT"))?;
    }
    write_manifest(out, &manifest)?;

    crate::snapshot::Snapshot::load(out).map_err(|e| {
        anyhow!(
            "the merged snapshot in {} does not load: {e}",
            out.display()
        )
    })?;

    for input in &inputs {
        if input
            .manifest
            .errors
            .iter()
            .any(|e| e["operation"] == "pathproof:collect")
        {
            eprintln!(
                "pathproof: {}",
                terminal(&format!(
                    "{} is an unfinished collection (pathproof:collect in its manifest): the merged snapshot is incomplete",
                    input.name()
                ))
            );
        }
    }
    let summary = MergeSummary {
        inputs: inputs.len(),
        accounts: manifest.targets.len(),
        pairs: pairs(&manifest.targets).len(),
        files: sources.len(),
        errors: manifest.errors.len(),
    };
    eprintln!(
        "pathproof: {}",
        terminal(&format!(
            "merged {} snapshot{} into {}: {} account{}, {} (account, region) pair{}, {} files, {} error{}",
            summary.inputs,
            super::progress::plural(summary.inputs),
            out.display(),
            summary.accounts,
            super::progress::plural(summary.accounts),
            summary.pairs,
            super::progress::plural(summary.pairs),
            summary.files,
            summary.errors,
            super::progress::plural(summary.errors),
        ))
    );
    Ok(summary)
}

/// Reads and checks `DIR/manifest.json`; errors name the file and the JSON path.
fn read_manifest(dir: &Path) -> anyhow::Result<InputManifest> {
    let path = dir.join("manifest.json");
    let file = format!("{}", path.display());
    let meta = std::fs::symlink_metadata(&path).with_context(|| {
        format!(
            "{}: not a snapshot folder (no manifest.json)",
            dir.display()
        )
    })?;
    if !meta.is_file() {
        bail!("{file}: not a regular file");
    }
    if meta.len() > MAX_MANIFEST {
        bail!("{file}: larger than {} MiB", MAX_MANIFEST >> 20);
    }
    let bytes = std::fs::read(&path).with_context(|| format!("cannot read {file}"))?;
    // Read as `verify` reads a manifest (`snapshot::json::parse`): the whole text, so bytes that
    // are not UTF-8 (RFC 8259 §8.1), a lone surrogate, a number out of range or a duplicate key
    // in a member merge does not read are an error here too, not dropped from the merged manifest.
    let value = crate::snapshot::json::parse(&file, &bytes).map_err(|e| anyhow!("{e}"))?;
    let m: InputManifest = serde_path_to_error::deserialize(&value)
        .map_err(|e| anyhow!("{file}: {}: {}", e.path(), e.inner()))?;
    if m.format != FORMAT {
        bail!("{file}: format: {:?} is not {FORMAT:?}", m.format);
    }
    check_targets(&m.targets, &file, "targets")?;
    if let Some(at) = &m.collected_at {
        if parse_time(at).is_none() {
            bail!("{file}: collected_at: {at:?} is not an RFC 3339 time");
        }
    }
    for (i, e) in m.errors.iter().enumerate() {
        if !e.is_object() {
            bail!("{file}: errors[{i}]: not an object");
        }
    }
    for (i, s) in m.skipped.iter().flatten().enumerate() {
        if !s["account"].as_str().is_some_and(is_account) {
            bail!("{file}: skipped[{i}].account: not a 12-digit account id");
        }
    }
    if let Some(shard) = &m.shard {
        if shard.index == 0 || shard.index > shard.count || shard.count > MAX_SHARDS {
            bail!(
                "{file}: shard: {}/{} is not a shard (1 <= index <= count <= {MAX_SHARDS})",
                shard.index,
                shard.count
            );
        }
        check_targets(&shard.scope, &file, "shard.scope")?;
        let scope = pairs(&shard.scope);
        if let Some((a, r)) = pairs(&m.targets).into_iter().find(|p| !scope.contains(p)) {
            bail!("{file}: targets: {a} {r} is not in the shard's scope (shard.scope)");
        }
    }
    Ok(m)
}

/// Accounts are 12-digit ids listed once, Regions are Region names listed once per account:
/// both become folder names.
fn check_targets(targets: &[Target], file: &str, field: &str) -> anyhow::Result<()> {
    let mut accounts = BTreeSet::new();
    for (i, t) in targets.iter().enumerate() {
        if !is_account(&t.account) {
            bail!(
                "{file}: {field}[{i}].account: {:?} is not a 12-digit account id",
                t.account
            );
        }
        if !accounts.insert(t.account.as_str()) {
            bail!(
                "{file}: {field}[{i}].account: {} is listed twice",
                t.account
            );
        }
        let mut regions = BTreeSet::new();
        for (j, r) in t.regions.iter().enumerate() {
            if !is_region(r) {
                bail!("{file}: {field}[{i}].regions[{j}]: {r:?} is not a Region name");
            }
            if !regions.insert(r.as_str()) {
                bail!("{file}: {field}[{i}].regions[{j}]: {r} is listed twice");
            }
        }
    }
    Ok(())
}

/// The partition of every input: its `partition` (the collector's caller), which its Regions
/// must belong to, or else the one its Regions belong to. All inputs must agree: account ids
/// are unique only within a partition.
fn common_partition(inputs: &[Input]) -> anyhow::Result<Option<String>> {
    let mut common: Option<(String, String)> = None;
    for input in inputs {
        let m = &input.manifest;
        let mut regions: Vec<&str> = m
            .targets
            .iter()
            .chain(m.shard.iter().flat_map(|s| s.scope.iter()))
            .flat_map(|t| t.regions.iter().map(String::as_str))
            .collect();
        regions.sort_unstable();
        regions.dedup();
        let mut partition = m.partition.clone();
        for region in regions {
            let Some(of_region) = partition_of_region(region) else {
                bail!(
                    "{}/manifest.json: Region {region}: no AWS partition has a Region of that name (botocore partitions.json), so the partition cannot be checked",
                    input.name()
                );
            };
            match &partition {
                None => partition = Some(of_region.to_owned()),
                Some(p) if p == of_region => {}
                Some(p) => bail!(
                    "{}/manifest.json: Region {region} is in partition {of_region}, not {p}",
                    input.name()
                ),
            }
        }
        if let Some(p) = partition {
            match &common {
                None => common = Some((p, input.name())),
                Some((q, other)) if *q != p => bail!(
                    "{} is in partition {p} and {other} in {q}: snapshots of different partitions cannot be merged",
                    input.name()
                ),
                Some(_) => {}
            }
        }
    }
    Ok(common.map(|(p, _)| p))
}

/// Shards of one collection (same count, same scope) must all be there, and cover the scope.
fn check_shards(inputs: &[Input]) -> anyhow::Result<()> {
    type Key = (usize, BTreeSet<(String, String)>);
    let mut groups: BTreeMap<Key, Vec<&Input>> = BTreeMap::new();
    for input in inputs {
        if let Some(shard) = &input.manifest.shard {
            let scope = pairs(&shard.scope)
                .into_iter()
                .map(|(a, r)| (a.to_owned(), r.to_owned()))
                .collect();
            groups.entry((shard.count, scope)).or_default().push(input);
        }
    }
    for ((count, scope), members) in &groups {
        let held: BTreeSet<usize> = members
            .iter()
            .filter_map(|i| i.manifest.shard.as_ref().map(|s| s.index))
            .collect();
        let missing: Vec<String> = (1..=*count)
            .filter(|i| !held.contains(i))
            .take(10)
            .map(|i| format!("{i}/{count}"))
            .collect();
        if !missing.is_empty() {
            let names: Vec<String> = members
                .iter()
                .map(|i| {
                    let s = i.manifest.shard.as_ref().map_or(0, |s| s.index);
                    format!("{} (shard {s}/{count})", i.name())
                })
                .collect();
            let other_scope = groups.keys().any(|(c, sc)| c == count && sc != scope);
            bail!(
                "shard {} is missing: {} {} of a collection of {} (account, region) pairs, and the merge needs every shard of it{}",
                missing.join(", "),
                names.join(", "),
                if names.len() == 1 { "is a shard" } else { "are shards" },
                scope.len(),
                if other_scope {
                    "; other inputs are shards of a different scope: the accounts or Regions changed between the jobs (for example an account joined or left the organisation): collect every shard again"
                } else {
                    ""
                }
            );
        }
        let covered: BTreeSet<(&str, &str)> = members.iter().flat_map(|i| i.pairs()).collect();
        if let Some((a, r)) = scope
            .iter()
            .find(|(a, r)| !covered.contains(&(a.as_str(), r.as_str())))
        {
            bail!(
                "the shards {} do not cover their scope: {a} {r} is in shard.scope but in no shard's targets",
                members.iter().map(|i| i.name()).collect::<Vec<_>>().join(", ")
            );
        }
    }
    Ok(())
}

/// Every regular file under `root`, by path relative to it, except the top-level manifest.
fn walk(root: &Path) -> anyhow::Result<BTreeMap<String, PathBuf>> {
    let mut files = BTreeMap::new();
    let mut stack: Vec<(PathBuf, String)> = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, rel)) = stack.pop() {
        let entries =
            std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                bail!(
                    "{}: a file name that is not UTF-8 ({:?}) is not a file of the snapshot layout",
                    dir.display(),
                    entry.file_name()
                );
            };
            let child = if rel.is_empty() {
                name.to_owned()
            } else {
                format!("{rel}/{name}")
            };
            let path = entry.path();
            let meta = std::fs::symlink_metadata(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            if meta.is_dir() {
                stack.push((path, child));
            } else if meta.is_file() {
                if child != "manifest.json" {
                    files.insert(child, path);
                }
            } else {
                bail!(
                    "{}: not a regular file or folder (a symbolic link?): only regular files are merged",
                    path.display()
                );
            }
        }
    }
    Ok(files)
}

/// The folder a file belongs to for the overlap rule: `<account>/<region>` (or `global`), or
/// the folder it is in when it is less deep.
fn group_of(rel: &str) -> &str {
    let mut ends = rel.match_indices('/').map(|(i, _)| i);
    match (ends.next(), ends.next()) {
        (Some(_), Some(second)) => &rel[..second],
        (Some(first), None) => &rel[..first],
        _ => "",
    }
}

/// Where inputs overlap they must agree, file for file and byte for byte.
fn check_overlaps(inputs: &[Input]) -> anyhow::Result<()> {
    // group → input index → files (relative paths) in it.
    let mut groups: BTreeMap<String, BTreeMap<usize, Vec<&str>>> = BTreeMap::new();
    for (i, input) in inputs.iter().enumerate() {
        for rel in input.files.keys() {
            groups
                .entry(group_of(rel).to_owned())
                .or_default()
                .entry(i)
                .or_default()
                .push(rel);
        }
        // A Region target takes part in its folder's overlap even without files in it.
        for (a, r) in input.pairs() {
            groups
                .entry(format!("{a}/{r}"))
                .or_default()
                .entry(i)
                .or_default();
        }
    }
    let mut hashes: HashMap<(usize, &str), [u8; 32]> = HashMap::new();
    for (group, members) in &groups {
        if members.len() < 2 {
            continue;
        }
        let mut iter = members.iter();
        let Some((&first, first_files)) = iter.next() else {
            continue;
        };
        for (&other, other_files) in iter {
            let a: BTreeSet<&str> = first_files.iter().copied().collect();
            let b: BTreeSet<&str> = other_files.iter().copied().collect();
            let only = a
                .symmetric_difference(&b)
                .next()
                .map(|rel| (*rel, if a.contains(rel) { first } else { other }));
            if let Some((rel, holder)) = only {
                bail!(
                    "{group}/ is in both {} and {}, but {rel} is only in {}: where inputs overlap they must hold the same files",
                    inputs[first].name(),
                    inputs[other].name(),
                    inputs[holder].name(),
                );
            }
            for rel in a {
                let ha = hash(&mut hashes, inputs, first, rel)?;
                let hb = hash(&mut hashes, inputs, other, rel)?;
                if ha != hb {
                    bail!(
                        "{rel} differs between {} and {}: where inputs overlap their files must be identical",
                        inputs[first].name(),
                        inputs[other].name()
                    );
                }
            }
        }
    }
    Ok(())
}

fn hash<'a>(
    cache: &mut HashMap<(usize, &'a str), [u8; 32]>,
    inputs: &'a [Input],
    input: usize,
    rel: &'a str,
) -> anyhow::Result<[u8; 32]> {
    if let Some(h) = cache.get(&(input, rel)) {
        return Ok(*h);
    }
    let path = &inputs[input].files[rel];
    let mut file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 << 10];
    loop {
        let n = file
            .read(&mut buf)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    let h: [u8; 32] = hasher.finalize().into();
    cache.insert((input, rel), h);
    Ok(h)
}

fn copy_file(from: &Path, to: &Path) -> anyhow::Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    // The source was a regular file when walked; open it without following a link that may
    // have replaced it since, where the platform allows.
    let meta = std::fs::symlink_metadata(from)?;
    if !meta.is_file() {
        bail!("{} is no longer a regular file", from.display());
    }
    let mut source = File::open(from)?;
    let mut target = File::create_new(to)?;
    std::io::copy(&mut source, &mut target)?;
    Ok(())
}

/// Sort key of an `errors` entry: the collector's order (account, region, operation, resource,
/// message), then the whole entry.
fn error_key(e: &Value) -> (Vec<Option<&str>>, String) {
    let field = |k: &str| e.get(k).and_then(Value::as_str);
    (
        vec![
            field("account"),
            field("region"),
            field("operation"),
            field("resource"),
            field("message"),
        ],
        e.to_string(),
    )
}

fn merged_manifest(inputs: &[Input], partition: Option<String>) -> anyhow::Result<Manifest> {
    // Order: accounts and Regions in the order of the first scope (or targets) naming them, so
    // that merged shards list their targets as the unsharded collection would.
    let mut order: Vec<(&str, &str)> = Vec::new();
    let mut placed = BTreeSet::new();
    for input in inputs {
        let m = &input.manifest;
        for t in m
            .shard
            .iter()
            .flat_map(|s| s.scope.iter())
            .chain(&m.targets)
        {
            for r in &t.regions {
                if placed.insert((t.account.as_str(), r.as_str())) {
                    order.push((t.account.as_str(), r.as_str()));
                }
            }
        }
    }
    let claimed: BTreeSet<(&str, &str)> = inputs.iter().flat_map(|i| i.pairs()).collect();
    // Every account of a target (also one without Regions: its global data).
    let listed: BTreeSet<&str> = inputs
        .iter()
        .flat_map(|i| i.manifest.targets.iter().map(|t| t.account.as_str()))
        .collect();
    let mut account_order: Vec<&str> = Vec::new();
    let firsts = order.iter().map(|(a, _)| *a);
    let rest = inputs
        .iter()
        .flat_map(|i| i.manifest.targets.iter().map(|t| t.account.as_str()));
    for a in firsts.chain(rest) {
        if listed.contains(a) && !account_order.contains(&a) {
            account_order.push(a);
        }
    }
    let targets: Vec<Target> = account_order
        .into_iter()
        .map(|a| Target {
            account: a.to_owned(),
            regions: order
                .iter()
                .filter(|(b, r)| *b == a && claimed.contains(&(a, *r)))
                .map(|(_, r)| (*r).to_owned())
                .collect(),
        })
        .collect();

    let mut errors: Vec<Value> = Vec::new();
    let mut seen = BTreeSet::new();
    for e in inputs.iter().flat_map(|i| &i.manifest.errors) {
        if seen.insert(e.to_string()) {
            errors.push(e.clone());
        }
    }
    errors.sort_by(|x, y| error_key(x).cmp(&error_key(y)));

    let skipped = if inputs.iter().any(|i| i.manifest.skipped.is_some()) {
        let mut all: Vec<Value> = Vec::new();
        let mut seen = BTreeSet::new();
        for s in inputs
            .iter()
            .flat_map(|i| i.manifest.skipped.iter().flatten())
        {
            if seen.insert(s.to_string()) {
                all.push(s.clone());
            }
        }
        all.sort_by_key(|s| {
            (
                s["account"].as_str().unwrap_or_default().to_owned(),
                s.to_string(),
            )
        });
        Some(all)
    } else {
        None
    };

    let organization = {
        let first = inputs[0].manifest.organization.as_ref();
        let all_same = inputs
            .iter()
            .all(|i| i.manifest.organization.as_ref() == first);
        if all_same {
            first.cloned()
        } else {
            None
        }
    };

    let collected_at = inputs
        .iter()
        .filter_map(|i| i.manifest.collected_at.as_deref())
        .filter_map(|at| parse_time(at).map(|secs| (secs, at)))
        .min()
        .map(|(_, at)| at.to_owned());

    let mut merged_from = Vec::new();
    for input in inputs {
        let m = &input.manifest;
        match &m.merged_from {
            Some(earlier) => merged_from.extend(earlier.iter().cloned()),
            None => {
                let mut entry = Map::new();
                if let Some(at) = &m.collected_at {
                    entry.insert("collected_at".into(), json!(at));
                }
                if let Some(c) = &m.collector {
                    entry.insert("collector".into(), json!(c));
                }
                if let Some(s) = &m.shard {
                    entry.insert("shard".into(), json!({"index": s.index, "count": s.count}));
                }
                if let Some(o) = &m.organization {
                    entry.insert("organization".into(), o.clone());
                }
                merged_from.push(Value::Object(entry));
            }
        }
    }

    Ok(Manifest {
        format: FORMAT,
        collected_at,
        collector: format!("pathproof {}", env!("CARGO_PKG_VERSION")),
        partition,
        targets,
        errors,
        organization,
        skipped,
        shard: None,
        merged_from: Some(merged_from),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A shard's manifest that `verify` would reject (not UTF-8, RFC 8259 §8.1; a lone surrogate;
    /// a number out of range), even in a member merge does not read, is an error naming the file.
    #[test]
    fn a_manifest_verify_would_reject_is_an_error_naming_the_file() {
        let tmp = tempfile::tempdir().unwrap();
        for member in [&b"\"\xff\""[..], b"\"\\ud800\"", b"1e400"] {
            let mut text = b"{\"format\": \"pathproof-snapshot/1\", \"x\": ".to_vec();
            text.extend_from_slice(member);
            text.extend_from_slice(b", \"targets\": []}");
            std::fs::write(tmp.path().join("manifest.json"), text).unwrap();
            let err = read_manifest(tmp.path()).unwrap_err().to_string();
            assert!(
                err.contains("manifest.json: not valid JSON"),
                "{}: {err}",
                String::from_utf8_lossy(member)
            );
        }
    }

    #[test]
    fn files_group_by_account_and_region() {
        assert_eq!(
            group_of("111111111111/us-west-2/ec2/describe-vpcs.json"),
            "111111111111/us-west-2"
        );
        assert_eq!(
            group_of("111111111111/global/route53/get-hosted-zone/Z1.json"),
            "111111111111/global"
        );
        assert_eq!(group_of("111111111111/notes.json"), "111111111111");
        assert_eq!(group_of("README"), "");
    }

    #[test]
    fn errors_sort_as_the_collector_sorts_them() {
        let e = |a: &str, op: &str, res: Option<&str>| {
            let mut v =
                json!({"account": a, "region": "us-west-2", "operation": op, "message": "x"});
            if let Some(r) = res {
                v["resource"] = json!(r);
            }
            v
        };
        let mut v = [
            e("2", "ec2:a", None),
            e("1", "ec2:b", Some("r")),
            e("1", "ec2:b", None),
            e("1", "ec2:a", None),
        ];
        v.sort_by(|x, y| error_key(x).cmp(&error_key(y)));
        let order: Vec<String> = v.iter().map(|x| x.to_string()).collect();
        assert_eq!(
            order,
            [
                e("1", "ec2:a", None).to_string(),
                e("1", "ec2:b", None).to_string(),
                e("1", "ec2:b", Some("r")).to_string(),
                e("2", "ec2:a", None).to_string(),
            ]
        );
    }
}
