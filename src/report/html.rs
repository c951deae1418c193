//! Self-contained HTML compliance report for auditors: the verdict, the scope (accounts,
//! Regions, collection time, snapshot digest), the command that re-verifies, a summary per
//! requirement (rule), every path drawn as an inline SVG diagram (violations first; the
//! offending hop red, every blocker marked), findings grouped by control, the findings with
//! rationale and remediation, and the SHA-256 of every evidence file.
//!
//! No scripts, no external assets, no links: a Content-Security-Policy `default-src 'none'`
//! (styles inline only) makes a browser refuse any script or request even if one slipped in.
//! Every string is written through [`esc`].
use std::io::Write;

use crate::rules::{self, Severity};
use crate::verify::walk::End;
use crate::verify::{Finding, PathRecord, PathVerdict, Report};

/// Every string, from the snapshot or not, is written through this.
fn esc(s: &str) -> String {
    super::escape::html(s).into_owned()
}

const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'";

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;\
text-align:left;vertical-align:top}th{background:#f3f3f3}code{font-size:90%}\
pre{background:#f6f6f6;padding:8px;overflow-x:auto}td.pass,td.fail,td.warning{white-space:nowrap}\
.private,.pass{color:#176f2c}.violation,.fail{color:#b00020;font-weight:bold}.unproven{color:#a15c00;\
font-weight:bold}.warning{color:#a15c00}figure{margin:1.5em 0}figcaption{font-weight:bold;\
margin-bottom:4px}svg{display:block;max-width:100%;height:auto}\
svg text{font-family:system-ui,sans-serif;font-size:12px;fill:#222}\
svg .hop{fill:#f4f6f8;stroke:#667}svg .offending{fill:#fbd5d5;stroke:#b00020;stroke-width:3}\
svg .blocker{fill:#fff3cd;stroke:#b00020;stroke-width:3;stroke-dasharray:6 3}\
svg .iot{fill:#d4edda;stroke:#176f2c;stroke-width:2}svg .stop{fill:#fbd5d5;stroke:#b00020;\
stroke-width:3}svg .open{fill:#fff3cd;stroke:#a15c00;stroke-width:2}\
svg .arrow{stroke:#667;stroke-width:2;fill:none}svg .mark{fill:#b00020;font-weight:bold}";

/// Boxes per diagram row, and their geometry.
const PER_ROW: usize = 5;
const BOX_W: usize = 180;
const BOX_H: usize = 48;
const GAP: usize = 34;
const ROW_GAP: usize = 30;

pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let s = &report.summary;
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    )?;
    writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
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
    let scope: Vec<String> = report
        .snapshot
        .targets
        .iter()
        .map(|t| format!("{} ({})", t.account, t.regions.join(", ")))
        .collect();
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
        ("Accounts and Regions", esc(&scope.join("; "))),
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
            "VPC Block Public Access",
            esc(&super::block_public_access(report)),
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
    for (name, why) in &report.intent.accepted_authorizers {
        writeln!(
            out,
            "<tr><th>Accepted custom authorizer</th><td><code>{}</code>: {}</td></tr>",
            esc(name),
            esc(why)
        )?;
    }
    writeln!(out, "</table>")?;
    reverify(report, out)?;
    requirements(report, out)?;

    writeln!(out, "<h2>Paths</h2>\n<table><tr><th>Source</th><th>Destination</th><th>Verdict</th><th>Paths</th><th>Path</th></tr>")?;
    for r in super::rows(report) {
        writeln!(
            out,
            "<tr><td>{}</td><td><code>{}</code></td><td class=\"{}\">{}</td><td>{}</td><td><code>{}</code></td></tr>",
            esc(&r.source),
            esc(r.destination),
            verdict_class_of(r.verdict),
            r.verdict.as_str(),
            r.count,
            esc(&r.path)
        )?;
    }
    writeln!(out, "</table>")?;
    // Violations first, then unproven paths, then private ones; by path number within each.
    let mut drawn: Vec<&PathRecord> = report.paths.iter().collect();
    drawn.sort_by_key(|p| (std::cmp::Reverse(p.verdict), p.id));
    for p in drawn {
        diagram(report, p, out)?;
    }
    controls(report, out)?;
    writeln!(out, "<h2>Findings</h2>")?;
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
        writeln!(
            out,
            "<li>Fingerprint: <code>{}</code></li>",
            esc(&f.fingerprint)
        )?;
        if let Some(status) = crate::gate::status_text(f.suppressed.as_ref()) {
            writeln!(out, "<li>Gate: {}</li>", esc(&status))?;
        }
        writeln!(out, "<li>Finding: {}</li>", esc(&f.message))?;
        if f.paths.len() > 1 {
            writeln!(out, "<li>Seen on {} paths</li>", f.paths.len())?;
        }
        writeln!(out, "<li>Why it matters: {}</li>", esc(&rule.rationale))?;
        writeln!(out, "<li>Remediation: {}</li>", esc(&rule.remediation))?;
        writeln!(
            out,
            "<li>Controls: {}</li>\n</ul>",
            esc(&super::controls_line(&rule.controls))
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

fn verdict_class_of(v: PathVerdict) -> &'static str {
    match v {
        PathVerdict::Private => "private",
        PathVerdict::Unproven => "unproven",
        PathVerdict::Violation => "violation",
    }
}

/// A POSIX shell word for `s`: single-quoted, `'` written `'\''`.
fn shell_word(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The command that re-verifies this report, and what must match.
fn reverify(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "<h2>Re-verify</h2>")?;
    // The intent file as given on the command line; a report made from an intent built in
    // memory (tests, the library) has no file to name, only that one was used.
    let (intent, with_intent) = match &report.intent.origin {
        Some(o) => (
            format!(" --intent {}", shell_word(&o.path)),
            format!(
                " and the same intent file (SHA-256 <code>{}</code>)",
                esc(&o.sha256)
            ),
        ),
        None if report.intent.approved_from == "intent-file" => (
            " --intent INTENT.toml".to_string(),
            " and the intent file this report was made with".to_string(),
        ),
        None => (String::new(), String::new()),
    };
    writeln!(
        out,
        "<pre><code>pathproof verify --snapshot {}{} --format html</code></pre>",
        esc(&shell_word(&report.snapshot.path)),
        esc(&intent)
    )?;
    writeln!(
        out,
        "<p>With {} on the same snapshot (evidence digest <code>{}</code>){with_intent} the command prints this report byte for byte.</p>",
        esc(&report.tool),
        esc(&report.snapshot.digest),
    )
}

/// One row per rule: passed, or its findings.
fn requirements(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "<h2>Requirements</h2>")?;
    let proven = super::passes_are_proven(report);
    writeln!(
        out,
        "<table><tr><th>Rule</th><th>Requirement</th><th>Result</th><th>Findings</th></tr>"
    )?;
    for rule in rules::all() {
        let found: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.rule_id == rule.id)
            .collect();
        let (class, result) = match found.iter().map(|f| f.severity).max() {
            None if proven => ("pass", "passed".to_string()),
            None => (
                "unproven",
                "no finding, not proven (the report has unproven findings)".to_string(),
            ),
            Some(Severity::Violation) => ("fail", "violation".to_string()),
            Some(Severity::Unproven) => ("unproven", "unproven".to_string()),
            Some(Severity::Warning) => ("warning", "warning".to_string()),
            Some(Severity::Info) => ("pass", "info".to_string()),
        };
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"{class}\">{}</td><td>{}</td></tr>",
            esc(&rule.id),
            esc(&rule.title),
            esc(&result),
            found.len()
        )?;
    }
    writeln!(out, "</table>")
}

/// Findings grouped by the controls of each framework.
fn controls(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "<h2>Findings by control</h2>")?;
    for (_, name, rows) in super::by_control(report) {
        writeln!(out, "<h3>{}</h3>", esc(name))?;
        writeln!(
            out,
            "<table><tr><th>Control</th><th>Status</th><th>Rules</th><th>Findings</th></tr>"
        )?;
        for row in &rows {
            let rules: Vec<&str> = row.rules.iter().map(|r| r.id.as_str()).collect();
            let findings: Vec<String> = row
                .findings
                .iter()
                .map(|f| format!("{} <code>{}</code>", esc(f.rule_id), esc(&f.resource)))
                .collect();
            let class = match row.status() {
                "fail" => "fail",
                "warning" => "warning",
                _ => "pass",
            };
            writeln!(
                out,
                "<tr><td>{}</td><td class=\"{class}\">{}</td><td>{}</td><td>{}</td></tr>",
                esc(row.control),
                row.status(),
                esc(&rules.join(", ")),
                if findings.is_empty() {
                    "—".to_string()
                } else {
                    findings.join(", ")
                }
            )?;
        }
        writeln!(out, "</table>")?;
    }
    Ok(())
}

/// One box of a diagram.
struct Node {
    class: &'static str,
    kind: String,
    label: String,
    /// The full text, shown as the box's tooltip.
    title: String,
    mark: Option<String>,
}

/// `…` in the middle of ids too long for a box.
fn fit(s: &str, max: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= max {
        return s.to_string();
    }
    let head: String = chars[..max / 2].iter().collect();
    let tail: String = chars[chars.len() - (max - max / 2 - 1)..].iter().collect();
    format!("{head}…{tail}")
}

/// The path as boxes: the source, every hop, where it ended, and each finding on the path whose
/// resource is not a hop (a security group or network ACL that blocks it, a policy).
fn nodes(report: &Report, p: &PathRecord) -> Vec<Node> {
    let on_path: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.paths.contains(&p.id))
        .collect();
    let offending = |id: &str| {
        on_path
            .iter()
            .any(|f| f.resource == id && f.severity == Severity::Violation)
    };
    let mut out = vec![Node {
        class: "hop",
        kind: "source".into(),
        label: p.source.id.clone(),
        title: p.source.label(),
        mark: None,
    }];
    for (i, h) in p.hops.iter().enumerate() {
        if i == 0 && h.id == p.source.id {
            continue;
        }
        let bad = offending(&h.id);
        out.push(Node {
            class: if bad { "offending" } else { "hop" },
            kind: h.kind.to_string(),
            label: h.id.clone(),
            title: format!("{} {}: {}", h.kind, h.id, h.via),
            mark: bad.then(|| "✗ offending".to_string()),
        });
    }
    let end = match &p.end {
        End::IotEndpoint { endpoint, .. } => Node {
            class: "iot",
            kind: "AWS IoT Core".into(),
            label: format!("via {endpoint}"),
            title: format!("reaches AWS IoT Core through interface endpoint {endpoint}"),
            mark: None,
        },
        End::ResolverEndpoint { endpoint, .. } => Node {
            class: "stop",
            kind: "Resolver endpoint".into(),
            label: endpoint.clone(),
            title: format!("ends at Resolver endpoint {endpoint}, not IoT Core"),
            mark: Some("✗ not IoT Core".into()),
        },
        End::InternetGateway { gateway } => Node {
            class: "offending",
            kind: "internet".into(),
            label: gateway.clone(),
            title: format!("leaves through {gateway} to the internet"),
            mark: Some("✗ internet".into()),
        },
        End::NoPath { resource, reason } => Node {
            class: "blocker",
            kind: "no path".into(),
            label: resource.clone(),
            title: format!("{resource}: {reason}"),
            mark: Some("✕ blocks".into()),
        },
        End::Unproven { resource, reason } => Node {
            class: "open",
            kind: "unproven".into(),
            label: resource.clone(),
            title: format!("cannot be followed past {resource}: {reason}"),
            mark: Some("? unproven".into()),
        },
        End::Returned { to } => Node {
            class: "hop",
            kind: "returned".into(),
            label: to.clone(),
            title: format!("back at {to}"),
            mark: None,
        },
    };
    let end_resource = end.label.clone();
    out.push(end);
    let mut marked: Vec<&str> = p.hops.iter().map(|h| h.id.as_str()).collect();
    marked.push(&end_resource);
    for f in &on_path {
        if marked.contains(&f.resource.as_str()) {
            continue;
        }
        marked.push(&f.resource);
        let (class, mark) = match f.severity {
            Severity::Violation => ("blocker", "✕ "),
            Severity::Unproven => ("open", "? "),
            _ => ("hop", "! "),
        };
        out.push(Node {
            class,
            kind: format!("{} {}", f.rule_id, f.rule_name),
            label: f.resource.clone(),
            title: f.message.clone(),
            mark: Some(format!("{mark}{}", f.severity.as_str())),
        });
    }
    out
}

/// The inline SVG of one path: boxes left to right, [`PER_ROW`] per row, arrows between them.
fn diagram(report: &Report, p: &PathRecord, out: &mut dyn Write) -> std::io::Result<()> {
    let nodes = nodes(report, p);
    let rows = nodes.len().div_ceil(PER_ROW);
    let width = PER_ROW * BOX_W + (PER_ROW - 1) * GAP + 20;
    let height = rows * (BOX_H + ROW_GAP + 14) + 10;
    let address = match (&p.address, &p.stand_in) {
        (Some(a), _) => a.to_string(),
        (None, Some(s)) => format!("{} ({})", s.address, s.means),
        (None, None) => "no address".to_string(),
    };
    writeln!(
        out,
        "<figure><figcaption>Path {}: {} → {} ({}) — <span class=\"{}\">{}</span></figcaption>",
        p.id,
        esc(&p.source.label()),
        esc(&p.destination),
        esc(&address),
        verdict_class_of(p.verdict),
        p.verdict.as_str()
    )?;
    writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\">"
    )?;
    writeln!(
        out,
        "<title>{}</title>",
        esc(&format!(
            "path {} from {} to {}: {}",
            p.id,
            p.source.label(),
            p.destination,
            p.verdict.as_str()
        ))
    )?;
    let pos = |i: usize| {
        let (row, col) = (i / PER_ROW, i % PER_ROW);
        (10 + col * (BOX_W + GAP), 20 + row * (BOX_H + ROW_GAP + 14))
    };
    for i in 1..nodes.len() {
        let (x0, y0) = pos(i - 1);
        let (x1, y1) = pos(i);
        let d = if y0 == y1 {
            format!("M{} {} H{}", x0 + BOX_W, y0 + BOX_H / 2, x1 - 4)
        } else {
            // Down from the end of one row, back to the start of the next.
            let mid = y0 + BOX_H + (ROW_GAP + 14) / 2;
            format!(
                "M{} {} V{mid} H{} V{}",
                x0 + BOX_W / 2,
                y0 + BOX_H,
                x1 + BOX_W / 2,
                y1 - 4
            )
        };
        writeln!(out, "<path class=\"arrow\" d=\"{d}\"/>")?;
        let head = if y0 == y1 {
            let (x, y) = (x1 - 2, y1 + BOX_H / 2);
            format!("{x},{y} {},{} {},{}", x - 8, y - 5, x - 8, y + 5)
        } else {
            let (x, y) = (x1 + BOX_W / 2, y1 - 2);
            format!("{x},{y} {},{} {},{}", x - 5, y - 8, x + 5, y - 8)
        };
        writeln!(out, "<polygon points=\"{head}\" fill=\"#667\"/>")?;
    }
    for (i, n) in nodes.iter().enumerate() {
        let (x, y) = pos(i);
        writeln!(
            out,
            "<g><title>{}</title><rect class=\"{}\" x=\"{x}\" y=\"{y}\" width=\"{BOX_W}\" height=\"{BOX_H}\" rx=\"6\"/>",
            esc(&n.title),
            n.class
        )?;
        writeln!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text><text x=\"{}\" y=\"{}\"><tspan font-family=\"monospace\">{}</tspan></text>",
            x + 8,
            y + 18,
            esc(&fit(&n.kind, 26)),
            x + 8,
            y + 37,
            esc(&fit(&n.label, 24))
        )?;
        if let Some(m) = &n.mark {
            writeln!(
                out,
                "<text class=\"mark\" x=\"{}\" y=\"{}\">{}</text>",
                x + 4,
                y + BOX_H + 13,
                esc(m)
            )?;
        }
        writeln!(out, "</g>")?;
    }
    writeln!(out, "</svg></figure>")
}
