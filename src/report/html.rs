//! Self-contained HTML compliance report for auditors (same content as the Markdown report:
//! evidence identity, verdict, paths, findings with rationale, remediation and controls, and
//! the SHA-256 of every evidence file). No scripts, no external assets.
use std::io::Write;

use crate::rules;
use crate::verify::{PathVerdict, Report};

/// Every string, from the snapshot or not, is written through this.
fn esc(s: &str) -> String {
    super::escape::html(s).into_owned()
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;\
text-align:left;vertical-align:top}th{background:#f3f3f3}code{font-size:90%}\
.private{color:#176f2c}.violation{color:#b00020;font-weight:bold}.unproven{color:#a15c00;\
font-weight:bold}.warning{color:#a15c00}";

pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let s = &report.summary;
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    )?;
    writeln!(
        out,
        "<title>pathproof compliance report</title><style>{STYLE}</style></head><body>"
    )?;
    writeln!(out, "<h1>pathproof compliance report</h1>")?;
    writeln!(out, "<table>")?;
    let verdict_class = match s.verdict {
        "proven" => "private",
        "violations" => "violation",
        _ => "unproven",
    };
    let rows: Vec<(&str, String)> = vec![
        (
            "Verdict",
            format!(
                "<span class=\"{verdict_class}\">{}</span>",
                esc(&s.verdict.to_uppercase())
            ),
        ),
        ("Tool", esc(&report.tool)),
        (
            "Snapshot",
            format!("<code>{}</code>", esc(&report.snapshot.path)),
        ),
        (
            "Collected at",
            esc(report
                .snapshot
                .collected_at
                .as_deref()
                .unwrap_or("(not stated)")),
        ),
        (
            "Collector",
            esc(report
                .snapshot
                .collector
                .as_deref()
                .unwrap_or("(not stated)")),
        ),
        (
            "Evidence digest (SHA-256)",
            format!("<code>{}</code>", esc(&report.snapshot.digest)),
        ),
        ("Evidence files", report.snapshot.file_count.to_string()),
        (
            "Approved endpoints",
            esc(&format!(
                "{} ({})",
                report
                    .intent
                    .approved_endpoints
                    .iter()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
                report.intent.approved_from
            )),
        ),
        (
            "Paths",
            format!("{} examined, {} private", s.paths, s.paths_private),
        ),
        (
            "Findings",
            format!(
                "{} violations, {} unproven, {} warnings",
                s.violations, s.unproven, s.warnings
            ),
        ),
    ];
    for (k, v) in rows {
        writeln!(out, "<tr><th>{k}</th><td>{v}</td></tr>")?;
    }
    writeln!(out, "</table>\n<h2>Paths</h2>\n<table><tr><th>Source</th><th>Destination</th><th>Verdict</th><th>Paths</th><th>Path</th></tr>")?;
    for r in super::rows(report) {
        let class = match r.verdict {
            PathVerdict::Private => "private",
            PathVerdict::Unproven => "unproven",
            PathVerdict::Violation => "violation",
        };
        writeln!(
            out,
            "<tr><td>{}</td><td><code>{}</code></td><td class=\"{class}\">{}</td><td>{}</td><td><code>{}</code></td></tr>",
            esc(&r.source),
            esc(r.destination),
            r.verdict.as_str(),
            r.count,
            esc(&r.path)
        )?;
    }
    writeln!(out, "</table>\n<h2>Findings</h2>")?;
    if report.findings.is_empty() {
        writeln!(out, "<p>None.</p>")?;
    }
    for f in &report.findings {
        let rule = rules::get(f.rule_id);
        writeln!(
            out,
            "<h3>{} <code>{}</code> — {}</h3>\n<ul>",
            esc(f.rule_id),
            esc(&f.resource),
            esc(f.title)
        )?;
        writeln!(
            out,
            "<li>Severity: <span class=\"{0}\">{0}</span></li>",
            f.severity.as_str()
        )?;
        writeln!(out, "<li>Finding: {}</li>", esc(&f.message))?;
        if f.paths.len() > 1 {
            writeln!(out, "<li>Seen on {} paths</li>", f.paths.len())?;
        }
        writeln!(out, "<li>Why it matters: {}</li>", esc(&rule.rationale))?;
        writeln!(out, "<li>Remediation: {}</li>", esc(&rule.remediation))?;
        let controls: Vec<String> = rule
            .controls
            .iter()
            .map(|(k, v)| format!("{k} {}", v.join(", ")))
            .collect();
        writeln!(
            out,
            "<li>Controls: {}</li>\n</ul>",
            esc(&controls.join("; "))
        )?;
    }
    writeln!(
        out,
        "<h2>Evidence</h2>\n<details><summary>{} files (SHA-256)</summary>\n<table><tr><th>File</th><th>SHA-256</th></tr>",
        report.evidence.len()
    )?;
    for e in &report.evidence {
        writeln!(
            out,
            "<tr><td><code>{}</code></td><td><code>{}</code></td></tr>",
            esc(&e.path),
            esc(&e.sha256)
        )?;
    }
    writeln!(out, "</table></details>\n</body></html>")
}
