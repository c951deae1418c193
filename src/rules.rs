//! The compliance rules: data in `rules/*.toml`, embedded at build time. Severity, title,
//! rationale, remediation and control mappings of every finding come from here; `verify` only
//! names the rule id. `pathproof rules` and the README rule table are generated from these files.
use std::io::Write;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::cli::{Format, RulesArgs};
use crate::report::escape::visible;
use crate::Outcome;

/// How bad a finding is. `Violation` and `Unproven` fail the gate; `Warning` only with
/// `--fail-on warning`; `Info` never.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Unproven,
    Violation,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Unproven => "unproven",
            Severity::Violation => "violation",
        }
    }
}

/// The fixtures (folders under `fixtures/`) a rule must fire on, with the resource it must name,
/// and those it must stay silent on.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixtures {
    pub fail: Vec<FailFixture>,
    pub pass: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailFixture {
    pub snapshot: String,
    pub resource: String,
    /// Extra `verify` flags the rule needs to run (e.g. `--strict-egress` for PP030).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub title: String,
    pub checks: String,
    pub rationale: String,
    pub remediation: String,
    pub fixtures: Fixtures,
    /// Framework → control ids.
    pub controls: std::collections::BTreeMap<String, Vec<String>>,
}

macro_rules! rule_files {
    ($($file:literal),* $(,)?) => {
        &[$(($file, include_str!(concat!("../rules/", $file)))),*]
    };
}

/// Every rule file, by name. A test checks this list against the `rules/` folder.
pub const RULE_FILES: &[(&str, &str)] = rule_files![
    "PP001-internet-gateway-on-path.toml",
    "PP002-nat-gateway-on-path.toml",
    "PP003-dns-public-resolution.toml",
    "PP004-dns-nxdomain.toml",
    "PP005-no-private-path.toml",
    "PP006-security-group-blocks-mqtt.toml",
    "PP007-network-acl-blocks-mqtt.toml",
    "PP008-vpn-over-internet.toml",
    "PP009-onprem-no-resolver-inbound.toml",
    "PP010-endpoint-service-open-principals.toml",
    "PP011-endpoint-service-auto-accept.toml",
    "PP012-nlb-internet-facing.toml",
    "PP013-nlb-target-not-approved-endpoint.toml",
    "PP014-iot-policy-allows-without-sourcevpce.toml",
    "PP015-iot-policy-unproven.toml",
    "PP016-path-unproven.toml",
    "PP017-evidence-incomplete.toml",
    "PP018-intent-incomplete.toml",
    "PP019-dns-settings-not-in-snapshot.toml",
    "PP020-snapshot-content-not-covered.toml",
    "PP021-endpoint-policy-admits-outside-principals.toml",
    "PP022-endpoint-policy-not-enforced.toml",
    "PP023-egress-only-internet-gateway-on-path.toml",
    "PP024-inspection-hop-not-proven.toml",
    "PP025-path-leaves-region.toml",
    "PP026-policy-tables-or-bpa-not-in-snapshot.toml",
    "PP027-dns-firewall-blocks-iot-name.toml",
    "PP028-dns-construct-not-in-snapshot.toml",
    "PP030-strict-egress-leak.toml",
];

/// All rules, parsed once. The files are part of the binary, so a parse error is a build defect
/// caught by the tests, not a user error.
pub fn all() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| {
        RULE_FILES
            .iter()
            .map(|(name, text)| {
                toml::from_str(text).unwrap_or_else(|e| panic!("rules/{name} is invalid: {e}"))
            })
            .collect()
    })
}

/// The control frameworks every rule file maps (`[controls]`: id → control ids; an empty list
/// says that no control of the framework applies): (id, name).
pub const FRAMEWORKS: &[(&str, &str)] = &[
    ("nist-800-53", "NIST SP 800-53 Rev. 5"),
    ("iso-27001-2022", "ISO/IEC 27001:2022 Annex A"),
    ("pci-dss-4.0", "PCI DSS v4.0 (requirements 1.3 and 1.4)"),
    ("cis-controls-8", "CIS Controls v8"),
];

/// The name of a framework id (the id itself for one not in [`FRAMEWORKS`]).
pub fn framework_name(id: &str) -> &str {
    FRAMEWORKS
        .iter()
        .find(|(f, _)| *f == id)
        .map(|(_, n)| *n)
        .unwrap_or(id)
}

/// Order control ids naturally: `A.8.3` before `A.8.20`, `SC-7` before `SC-7(4)` before `SC-20`.
pub fn control_key(control: &str) -> Vec<(String, u64)> {
    let mut key = Vec::new();
    let mut text = String::new();
    let mut chars = control.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let mut n: u64 = 0;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                n = n.saturating_mul(10).saturating_add(u64::from(d));
                chars.next();
            }
            key.push((std::mem::take(&mut text), n));
        } else {
            text.push(c);
            chars.next();
        }
    }
    key.push((text, 0));
    key
}

/// Every control of `framework` that some rule maps, in natural order, with the rules mapping it.
pub fn coverage(framework: &str) -> Vec<(&'static str, Vec<&'static Rule>)> {
    type ByControl<'a> = std::collections::BTreeMap<Vec<(String, u64)>, (&'a str, Vec<&'a Rule>)>;
    let mut by_control: ByControl = std::collections::BTreeMap::new();
    for r in all() {
        for c in r.controls.get(framework).into_iter().flatten() {
            by_control
                .entry(control_key(c))
                .or_insert_with(|| (c.as_str(), Vec::new()))
                .1
                .push(r);
        }
    }
    by_control.into_values().collect()
}

/// The rule with this id. Every id `verify` emits is a constant with a rule file (tested).
pub fn get(id: &str) -> &'static Rule {
    all()
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no rule file for {id}"))
}

/// The README / `pathproof rules --format markdown` table.
///
/// Rule texts are Markdown written in `rules/` (code spans for condition keys and the like) and
/// part of the binary, so they are not Markdown-escaped; they are still spelled with
/// [`visible`], so a control character in a rule file could not act on a terminal either.
pub fn markdown_table() -> String {
    let mut out = String::from("| id | name | severity | title |\n|---|---|---|---|\n");
    for r in all() {
        out.push_str(&format!(
            "| {} | `{}` | {} | {} |\n",
            visible(&r.id),
            visible(&r.name),
            r.severity.as_str(),
            visible(&r.title)
        ));
    }
    out
}

/// `pathproof rules --framework <id>`: each control of the framework and the rules covering
/// it, then the rules that map no control of it.
fn framework_cli(framework: &str, format: Format, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    if !FRAMEWORKS.iter().any(|(f, _)| *f == framework) {
        let known: Vec<&str> = FRAMEWORKS.iter().map(|(f, _)| *f).collect();
        anyhow::bail!(
            "unknown framework {:?} (known: {})",
            visible(framework),
            known.join(", ")
        );
    }
    let coverage = coverage(framework);
    let unmapped: Vec<&str> = all()
        .iter()
        .filter(|r| r.controls.get(framework).is_none_or(|c| c.is_empty()))
        .map(|r| r.id.as_str())
        .collect();
    fn ids<'r>(rules: &[&'r Rule]) -> Vec<&'r str> {
        rules.iter().map(|r| r.id.as_str()).collect()
    }
    match format {
        Format::Json => {
            let controls: Vec<serde_json::Value> = coverage
                .iter()
                .map(|(c, rules)| serde_json::json!({"control": c, "rules": ids(rules)}))
                .collect();
            let doc = serde_json::json!({
                "framework": framework,
                "name": framework_name(framework),
                "controls": controls,
                "rules_not_mapped": unmapped,
            });
            crate::report::escape::to_json_writer(&mut *out, &doc)?;
            writeln!(out)?;
        }
        Format::Markdown => {
            writeln!(out, "## {}\n", framework_name(framework))?;
            writeln!(out, "| control | rules |\n|---|---|")?;
            for (c, rules) in &coverage {
                let list: Vec<String> = rules
                    .iter()
                    .map(|r| format!("{} `{}`", visible(&r.id), visible(&r.name)))
                    .collect();
                writeln!(out, "| {} | {} |", visible(c), list.join(", "))?;
            }
            writeln!(
                out,
                "\nNot mapped to this framework: {}",
                unmapped.join(", ")
            )?;
        }
        Format::Table => {
            writeln!(out, "{}", framework_name(framework))?;
            let mut table = comfy_table::Table::new();
            table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
            table.set_header(vec!["control", "rules"]);
            for (c, rules) in &coverage {
                table.add_row(vec![visible(c).into_owned(), ids(rules).join(", ")]);
            }
            writeln!(out, "{table}")?;
            writeln!(out, "not mapped to this framework: {}", unmapped.join(", "))?;
        }
        other => anyhow::bail!(
            "format {other:?} is not supported by `rules` (use table, json or markdown)"
        ),
    }
    Ok(Outcome::Pass)
}

pub fn cli(args: &RulesArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    if let Some(framework) = &args.framework {
        return framework_cli(framework, args.format.unwrap_or(Format::Table), out);
    }
    match args.format.unwrap_or(Format::Table) {
        Format::Json => {
            crate::report::escape::to_json_writer(&mut *out, all())?;
            writeln!(out)?;
        }
        Format::Markdown => {
            writeln!(out, "{}", markdown_table())?;
            for r in all() {
                writeln!(
                    out,
                    "## {} `{}` — {}\n",
                    visible(&r.id),
                    visible(&r.name),
                    visible(&r.title)
                )?;
                writeln!(out, "Severity: **{}**\n", r.severity.as_str())?;
                writeln!(out, "**What it checks.** {}\n", visible(&r.checks))?;
                writeln!(out, "**Why it matters.** {}\n", visible(&r.rationale))?;
                writeln!(out, "**Remediation.** {}\n", visible(&r.remediation))?;
                let controls: Vec<String> = r
                    .controls
                    .iter()
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(k, v)| format!("{k}: {}", v.join(", ")))
                    .collect();
                writeln!(out, "**Controls.** {}\n", visible(&controls.join("; ")))?;
            }
        }
        Format::Table => {
            let mut table = comfy_table::Table::new();
            table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
            table.set_header(vec!["id", "name", "severity", "title"]);
            for r in all() {
                table.add_row(vec![
                    visible(&r.id),
                    visible(&r.name),
                    r.severity.as_str().into(),
                    visible(&r.title),
                ]);
            }
            writeln!(out, "{table}")?;
        }
        other => anyhow::bail!(
            "format {other:?} is not supported by `rules` (use table, json or markdown)"
        ),
    }
    Ok(Outcome::Pass)
}
