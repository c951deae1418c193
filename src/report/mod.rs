//! Reporters: render a [`Report`] as a table, JSON, SARIF, JUnit XML, Markdown or HTML.
//!
//! Invariants: the only module that serialises findings; reporters never change the verdict;
//! every string from the snapshot reaches output through [`escape`] for its format.
use std::collections::BTreeMap;
use std::io::Write;

use crate::cli::Format;
use crate::verify::{PathVerdict, Report};

pub mod escape;
mod html;
mod junit;
mod markdown;
mod sarif;

/// Render `report` in `format`.
pub fn write(report: &Report, format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Table => table(report, out),
        Format::Json => {
            escape::to_json_writer(&mut *out, report)?;
            writeln!(out)
        }
        Format::Sarif => sarif::write(report, out),
        Format::Junit => junit::write(report, out),
        Format::Markdown => markdown::write(report, out),
        Format::Html => html::write(report, out),
    }
}

/// One row per (source, destination name): the worst verdict over its paths and one path.
pub struct Row<'r> {
    pub source: String,
    pub destination: &'r str,
    pub verdict: PathVerdict,
    pub path: String,
    pub count: usize,
}

pub fn rows(report: &Report) -> Vec<Row<'_>> {
    let mut grouped: BTreeMap<(String, &str), Vec<&crate::verify::PathRecord>> = BTreeMap::new();
    for p in &report.paths {
        grouped
            .entry((p.source.label(), p.destination.as_str()))
            .or_default()
            .push(p);
    }
    grouped
        .into_iter()
        .map(|((source, destination), paths)| {
            let worst = paths.iter().max_by_key(|p| p.verdict).copied();
            let verdict = worst.map(|p| p.verdict).unwrap_or(PathVerdict::Unproven);
            Row {
                source,
                destination,
                verdict,
                path: worst.map(|p| p.one_line()).unwrap_or_default(),
                count: paths.len(),
            }
        })
        .collect()
}

fn table(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    use comfy_table::{presets, Cell, Color, ContentArrangement, Table};
    use escape::terminal;
    let digest = &report.snapshot.digest;
    writeln!(
        out,
        "pathproof: snapshot {} (sha256 {}, {} files)",
        terminal(&report.snapshot.path),
        terminal(digest.get(..16).unwrap_or(digest)),
        report.snapshot.file_count
    )?;
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(160)
        .set_header(vec!["source", "destination", "verdict", "paths", "path"]);
    for r in rows(report) {
        let color = match r.verdict {
            PathVerdict::Private => Color::Green,
            PathVerdict::Unproven => Color::Yellow,
            PathVerdict::Violation => Color::Red,
        };
        t.add_row(vec![
            Cell::new(terminal(&r.source)),
            Cell::new(terminal(r.destination)),
            Cell::new(r.verdict.as_str()).fg(color),
            Cell::new(r.count),
            Cell::new(terminal(&r.path)),
        ]);
    }
    if report.paths.is_empty() {
        writeln!(out, "no paths examined")?;
    } else {
        writeln!(out, "{t}")?;
    }
    if !report.findings.is_empty() {
        let mut f = Table::new();
        f.load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(160)
            .set_header(vec!["rule", "severity", "resource", "finding"]);
        for x in &report.findings {
            let msg = if x.paths.len() > 1 {
                format!("{} (and {} more paths)", x.message, x.paths.len() - 1)
            } else {
                x.message.clone()
            };
            f.add_row(vec![
                Cell::new(format!("{} {}", x.rule_id, x.rule_name)),
                Cell::new(x.severity.as_str()),
                Cell::new(terminal(&x.resource)),
                Cell::new(terminal(&msg)),
            ]);
        }
        writeln!(out, "{f}")?;
    }
    let s = &report.summary;
    writeln!(
        out,
        "verdict: {} — {} of {} paths private; {} violations, {} unproven, {} warnings",
        s.verdict.to_uppercase(),
        s.paths_private,
        s.paths,
        s.violations,
        s.unproven,
        s.warnings
    )
}
