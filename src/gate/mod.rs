//! The CI gate on top of a verify report: `--baseline` (a previous JSON report) and `--waivers`
//! (a TOML file of justified, owned, expiring exceptions).
//!
//! Invariants: the gate never removes a finding from the report, it only marks it
//! ([`Suppression`]); a marked finding does not fail the run; an expired waiver fails the run
//! with its own message and suppresses nothing; identity is the finding fingerprint
//! (`verify::fingerprint`), never list order.
use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;

use crate::verify::fingerprint::fingerprint;
use crate::verify::Report;

pub mod date;
pub mod diff;
pub mod waivers;

pub use date::Date;
pub use waivers::{Waiver, WaiverFile};

/// Why a finding does not fail the gate.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Suppression {
    /// The same fingerprint was in the `--baseline` report.
    Baseline,
    /// A current entry of the `--waivers` file matched.
    Waiver {
        /// 1-based entry number in the waivers file.
        entry: usize,
        justification: String,
        owner: String,
        expires: String,
    },
}

impl Suppression {
    pub fn label(&self) -> &'static str {
        match self {
            Suppression::Baseline => "baselined",
            Suppression::Waiver { .. } => "waived",
        }
    }
}

/// A waiver the gate reports on: expired (fails) or matching nothing (warning).
#[derive(Debug, Clone, Serialize)]
pub struct WaiverNote {
    pub entry: usize,
    pub selector: String,
    pub owner: String,
    pub expires: String,
    pub message: String,
}

/// What the gate did; `Report::passes` fails on any expired waiver.
#[derive(Debug, Clone, Serialize, Default)]
pub struct GateSummary {
    /// The date expiry was judged against (`--today` or the system clock, UTC).
    pub today: String,
    pub baselined: usize,
    pub waived: usize,
    /// Findings neither baselined nor waived.
    pub new: usize,
    pub expired: Vec<WaiverNote>,
    pub unmatched: Vec<WaiverNote>,
}

/// Fingerprints of every finding of a previous pathproof JSON report.
pub fn load_baseline(path: &Path) -> anyhow::Result<BTreeSet<String>> {
    let file = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read baseline {file}: {e}"))?;
    let doc: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("baseline {file}: not JSON: {e}"))?;
    match doc.get("format").and_then(|f| f.as_str()) {
        Some("pathproof-report/1") => {}
        _ => anyhow::bail!(
            "baseline {file}: $.format: expected \"pathproof-report/1\" (a `verify --format json` report)"
        ),
    }
    let findings = doc
        .get("findings")
        .and_then(|f| f.as_array())
        .ok_or_else(|| anyhow::anyhow!("baseline {file}: $.findings: expected an array"))?;
    let mut out = BTreeSet::new();
    for (i, f) in findings.iter().enumerate() {
        let field = |name: &str| -> anyhow::Result<&str> {
            f.get(name).and_then(|v| v.as_str()).ok_or_else(|| {
                anyhow::anyhow!("baseline {file}: $.findings[{i}].{name}: expected a string")
            })
        };
        let rule = field("rule_id")?;
        let resource = field("resource")?;
        let computed = fingerprint(rule, resource);
        // A report written by this version carries the fingerprint; it must agree with its own
        // rule and resource, or the file was edited and cannot be trusted as a baseline.
        if let Some(v) = f.get("fingerprint") {
            if v.as_str() != Some(computed.as_str()) {
                anyhow::bail!(
                    "baseline {file}: $.findings[{i}].fingerprint: does not match its rule_id and resource (expected {computed})"
                );
            }
        }
        out.insert(computed);
    }
    Ok(out)
}

/// Mark the findings of `report` and record what the gate did in `report.gate`.
pub fn apply(
    report: &mut Report,
    baseline: Option<&BTreeSet<String>>,
    waivers: Option<&WaiverFile>,
    today: Date,
) {
    let mut summary = GateSummary {
        today: today.to_string(),
        ..GateSummary::default()
    };
    if let Some(w) = waivers {
        for (i, waiver) in w.waiver.iter().enumerate() {
            let entry = i + 1;
            let note = |message: String| WaiverNote {
                entry,
                selector: waiver.selector(),
                owner: waiver.owner.clone(),
                expires: waiver.expires.to_string(),
                message,
            };
            let matching: Vec<usize> = report
                .findings
                .iter()
                .enumerate()
                .filter(|(_, f)| waiver.matches(&f.fingerprint, f.rule_id, &f.resource))
                .map(|(k, _)| k)
                .collect();
            if waiver.expires < today {
                summary.expired.push(note(format!(
                    "waiver {entry} ({}) owned by {} expired on {} (today {today}); it suppresses nothing until renewed or removed",
                    waiver.selector(),
                    waiver.owner,
                    waiver.expires
                )));
                continue;
            }
            if matching.is_empty() {
                summary.unmatched.push(note(format!(
                    "waiver {entry} ({}) matches no finding; remove it",
                    waiver.selector()
                )));
                continue;
            }
            for k in matching {
                let f = &mut report.findings[k];
                if f.suppressed.is_none() {
                    f.suppressed = Some(Suppression::Waiver {
                        entry,
                        justification: waiver.justification.clone(),
                        owner: waiver.owner.clone(),
                        expires: waiver.expires.to_string(),
                    });
                }
            }
        }
    }
    if let Some(b) = baseline {
        for f in &mut report.findings {
            if f.suppressed.is_none() && b.contains(&f.fingerprint) {
                f.suppressed = Some(Suppression::Baseline);
            }
        }
    }
    for f in &report.findings {
        match f.suppressed {
            Some(Suppression::Baseline) => summary.baselined += 1,
            Some(Suppression::Waiver { .. }) => summary.waived += 1,
            None => summary.new += 1,
        }
    }
    report.gate = Some(summary);
}

/// One line for reporters: `waived (entry 2, owner net-team, until 2027-01-31): why` or
/// `baselined`; `None` for a finding the gate did not mark.
pub fn status_text(s: Option<&Suppression>) -> Option<String> {
    match s? {
        Suppression::Baseline => Some("baselined (in the --baseline report)".into()),
        Suppression::Waiver {
            entry,
            justification,
            owner,
            expires,
        } => Some(format!(
            "waived (waiver {entry}, owner {owner}, until {expires}): {justification}"
        )),
    }
}
