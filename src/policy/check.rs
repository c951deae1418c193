//! `pathproof policy check FILE... --approved vpce-...`: proves that the policies in FILE...
//! (treated as attached to one target) admit AWS IoT data-plane actions only through an
//! approved VPC endpoint, and prints the counterexamples otherwise.
//!
//! Policy names, documents (resources, condition values in counterexamples) and file names
//! are attacker-controlled text: the table passes every one through
//! [`crate::report::escape::terminal`], the JSON through the escaping JSON writer.
use std::collections::BTreeSet;
use std::io::Write;

use anyhow::{anyhow, bail, Context as _};
use clap::ValueEnum;
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};

use super::document::parse_policy_file;
use super::proof::DATA_PLANE_ACTIONS;
use super::{prove_target_in, Policy, Scope, TargetProof};
use crate::cli::{Format, PolicyCheckArgs};
use crate::report::escape::{terminal, to_json_writer};
use crate::Outcome;

/// Runs the command. Unreadable or invalid files are errors (exit 2) naming the file and
/// the JSON path; a violation or anything unproven is [`Outcome::Fail`].
pub fn check_cli(args: &PolicyCheckArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let format = args.format.unwrap_or(Format::Table);
    if !matches!(format, Format::Table | Format::Json) {
        let name = format
            .to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_else(|| format!("{format:?}"));
        bail!("format {name} not supported for policy check");
    }
    let approved: BTreeSet<String> = args
        .approved
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if approved.is_empty() {
        bail!("--approved needs at least one VPC endpoint id");
    }
    let mut policies = Vec::with_capacity(args.files.len());
    for file in &args.files {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let default_name = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| file.display().to_string());
        let policy = parse_policy_file(&default_name, &text)
            .map_err(|e| anyhow!("{}: {e}", file.display()))?;
        policies.push(policy);
    }
    let refs: Vec<&Policy> = policies.iter().collect();
    // Requests target resources of the policies' own account/region/partition when given;
    // otherwise any, which is stricter (a Deny scoped to one account does not cover others).
    let scope = Scope {
        partition: args.partition.clone(),
        region: args.region.clone(),
        account: args.account.clone(),
    };
    let proof = prove_target_in(&refs, &approved, &scope);
    match format {
        Format::Json => write_json(out, &refs, &approved, &proof)?,
        _ => write_table(out, &refs, &approved, &proof)?,
    }
    Ok(if proof.is_proven() {
        Outcome::Pass
    } else {
        Outcome::Fail
    })
}

fn verdict(proof: &TargetProof) -> &'static str {
    if !proof.counterexamples.is_empty() {
        "violation"
    } else if !proof.unproven.is_empty() {
        "unproven"
    } else {
        "proven"
    }
}

fn write_json(
    out: &mut dyn Write,
    policies: &[&Policy],
    approved: &BTreeSet<String>,
    proof: &TargetProof,
) -> anyhow::Result<()> {
    let doc = serde_json::json!({
        "verdict": verdict(proof),
        "policies": policies.iter().map(|p| p.name()).collect::<Vec<_>>(),
        "approved": approved,
        "actions_checked": DATA_PLANE_ACTIONS.iter().map(|(a, _)| *a).collect::<Vec<_>>(),
        "counterexamples": proof.counterexamples,
        "unproven": proof.unproven,
    });
    to_json_writer(&mut *out, &doc)?;
    writeln!(out)?;
    Ok(())
}

fn write_table(
    out: &mut dyn Write,
    policies: &[&Policy],
    approved: &BTreeSet<String>,
    proof: &TargetProof,
) -> anyhow::Result<()> {
    let t = |s: &str| terminal(s).into_owned();
    let names: Vec<String> = policies.iter().map(|p| t(p.name())).collect();
    let approved_list: Vec<String> = approved.iter().map(|a| t(a)).collect();
    writeln!(
        out,
        "Policies (one target): {}\nApproved aws:SourceVpce: {}",
        names.join(", "),
        approved_list.join(", ")
    )?;
    match verdict(proof) {
        "proven" => writeln!(
            out,
            "PROVEN: none of the {} AWS IoT data-plane actions is allowed unless aws:SourceVpce is approved.",
            DATA_PLANE_ACTIONS.len()
        )?,
        "violation" => writeln!(
            out,
            "VIOLATION: {} data-plane action(s) can be allowed without an approved aws:SourceVpce.",
            proof.counterexamples.len()
        )?,
        _ => writeln!(
            out,
            "UNPROVEN: pathproof could not decide every data-plane action (see below)."
        )?,
    }
    if !proof.counterexamples.is_empty() {
        let mut table = Table::new();
        table
            .load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(vec![
                "Action",
                "Resource",
                "aws:SourceVpce",
                "Other keys",
                "Allowed by",
                "Why no Deny applies",
            ]);
        for cx in &proof.counterexamples {
            let other: Vec<String> = cx
                .context
                .iter()
                .map(|(k, v)| format!("{} = {}", t(k), t(v)))
                .collect();
            let allowed: Vec<String> = cx.allowed_by.iter().map(|r| t(&r.to_string())).collect();
            table.add_row(vec![
                t(&cx.action),
                t(&cx.resource),
                cx.source_vpce
                    .as_deref()
                    .map_or_else(|| "(absent)".to_string(), t),
                other.join("\n"),
                allowed.join("\n"),
                t(&cx.why_no_deny),
            ]);
        }
        writeln!(
            out,
            "\nCounterexamples (requests that are allowed):\n{table}"
        )?;
    }
    if !proof.unproven.is_empty() {
        let mut table = Table::new();
        table
            .load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(vec!["Policy", "Statement", "Unproven because"]);
        for u in &proof.unproven {
            table.add_row(vec![
                t(&u.policy),
                u.statement
                    .as_ref()
                    .map(|s| match &s.sid {
                        Some(sid) => format!("[{}] {}", s.index, t(sid)),
                        None => format!("[{}]", s.index),
                    })
                    .unwrap_or_else(|| "-".to_string()),
                t(&u.reason),
            ]);
        }
        writeln!(out, "\nUnproven:\n{table}")?;
    }
    Ok(())
}
