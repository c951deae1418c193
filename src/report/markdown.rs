//! Markdown compliance report for auditors: identity of the evidence, verdict, paths, findings
//! with rationale, remediation and control mappings, and the hash of every evidence file.
//!
//! Every value from the snapshot is written with [`markdown`] (inline text) or [`markdown_code`]
//! (code span); the rule texts are Markdown written in `rules/` and go out as they are.
use std::io::Write;

use super::escape::{markdown, markdown_code};
use crate::rules;
use crate::verify::Report;

pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let s = &report.summary;
    writeln!(out, "# pathproof compliance report\n")?;
    writeln!(out, "| | |\n|---|---|")?;
    writeln!(out, "| Verdict | **{}** |", s.verdict.to_uppercase())?;
    writeln!(out, "| Tool | {} |", markdown(&report.tool))?;
    writeln!(
        out,
        "| Snapshot | {} |",
        markdown_code(&report.snapshot.path)
    )?;
    writeln!(
        out,
        "| Collected at | {} |",
        markdown(
            report
                .snapshot
                .collected_at
                .as_deref()
                .unwrap_or("(not stated)")
        )
    )?;
    writeln!(
        out,
        "| Collector | {} |",
        markdown(
            report
                .snapshot
                .collector
                .as_deref()
                .unwrap_or("(not stated)")
        )
    )?;
    writeln!(
        out,
        "| Evidence digest (SHA-256) | {} |",
        markdown_code(&report.snapshot.digest)
    )?;
    writeln!(out, "| Evidence files | {} |", report.snapshot.file_count)?;
    if let Some(o) = &report.intent.origin {
        writeln!(
            out,
            "| Intent file (SHA-256) | {} |",
            markdown_code(&o.sha256)
        )?;
    }
    let accounts: Vec<String> = report
        .snapshot
        .targets
        .iter()
        .map(|t| format!("{} ({})", t.account, t.regions.join(", ")))
        .collect();
    writeln!(out, "| Accounts | {} |", markdown(&accounts.join("; ")))?;
    let approved: Vec<&str> = report
        .intent
        .approved_endpoints
        .iter()
        .map(String::as_str)
        .collect();
    writeln!(
        out,
        "| Approved endpoints | {} ({}) |",
        markdown(&approved.join(", ")),
        markdown(report.intent.approved_from)
    )?;
    for (name, why) in &report.intent.accepted_authorizers {
        writeln!(
            out,
            "| Accepted custom authorizer | {}: {} |",
            markdown(name),
            markdown(why)
        )?;
    }
    writeln!(
        out,
        "| VPC Block Public Access | {} |",
        markdown(&super::block_public_access(report))
    )?;
    writeln!(
        out,
        "| Paths | {} examined, {} private |",
        s.paths, s.paths_private
    )?;
    writeln!(
        out,
        "| Findings | {} violations, {} unproven, {} warnings |\n",
        s.violations, s.unproven, s.warnings
    )?;

    writeln!(out, "## Paths\n")?;
    writeln!(
        out,
        "| Source | Destination | Verdict | Paths | Path |\n|---|---|---|---|---|"
    )?;
    for r in super::rows(report) {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            markdown(&r.source),
            markdown_code(r.destination),
            r.verdict.as_str(),
            r.count,
            markdown(&r.path)
        )?;
    }
    writeln!(out, "\n## Findings\n")?;
    if report.findings.is_empty() {
        writeln!(out, "None.\n")?;
    }
    for f in &report.findings {
        let rule = rules::get(f.rule_id);
        writeln!(
            out,
            "### {} {} — {}\n",
            f.rule_id,
            markdown_code(&f.resource),
            f.title
        )?;
        writeln!(out, "- Severity: **{}**", f.severity.as_str())?;
        writeln!(out, "- Fingerprint: {}", markdown_code(&f.fingerprint))?;
        if let Some(status) = crate::gate::status_text(f.suppressed.as_ref()) {
            writeln!(out, "- Gate: {}", markdown(&status))?;
        }
        writeln!(out, "- Finding: {}", markdown(&f.message))?;
        if f.paths.len() > 1 {
            writeln!(out, "- Seen on {} paths", f.paths.len())?;
        }
        writeln!(out, "- Why it matters: {}", rule.rationale)?;
        writeln!(out, "- Remediation: {}", rule.remediation)?;
        writeln!(
            out,
            "- Controls: {}\n",
            super::controls_line(&rule.controls)
        )?;
    }
    writeln!(out, "## Findings by control\n")?;
    for (_, name, rows) in super::by_control(report) {
        writeln!(out, "### {name}\n")?;
        writeln!(
            out,
            "| Control | Status | Rules | Findings |\n|---|---|---|---|"
        )?;
        for row in &rows {
            let rules: Vec<&str> = row.rules.iter().map(|r| r.id.as_str()).collect();
            let findings: Vec<String> = row
                .findings
                .iter()
                .map(|f| format!("{} {}", f.rule_id, markdown_code(&f.resource)))
                .collect();
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                row.control,
                row.status(),
                rules.join(", "),
                if findings.is_empty() {
                    "—".to_string()
                } else {
                    findings.join(", ")
                }
            )?;
        }
        writeln!(out)?;
    }
    writeln!(out, "## Evidence\n")?;
    writeln!(
        out,
        "<details><summary>{} files (SHA-256)</summary>\n",
        report.evidence.len()
    )?;
    writeln!(out, "| File | SHA-256 |\n|---|---|")?;
    for e in &report.evidence {
        writeln!(
            out,
            "| {} | {} |",
            markdown_code(&e.path),
            markdown_code(&e.sha256)
        )?;
    }
    writeln!(out, "\n</details>")
}
