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

pub fn cli(args: &RulesArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
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
