//! `pathproof diff OLD NEW [--plan PLAN]` (issue 11 item 2): which proofs changed verdict, and
//! which resources changed along those paths.
//!
//! A proof is one (source, IoT endpoint name, service): its verdict is the worst verdict of its
//! paths (one per resolved address and branch), so a re-collection that lists addresses or
//! paths in another order, or a path renumbering, changes nothing. A proof with no path
//! (policies, endpoint services, evidence) is its finding, keyed by fingerprint. A proof "got
//! worse" when its verdict rose (private < unproven < violation), when it is new and not
//! private, or when a failing finding without paths is new; any of those is exit 1.
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use serde::Serialize;

use crate::cli::{DiffArgs, TextFormat};
use crate::rules::Severity;
use crate::snapshot::Snapshot;
use crate::verify::{PathRecord, PathVerdict, Report};
use crate::Outcome;

#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub format: &'static str,
    pub old: Side,
    pub new: Side,
    /// True when any proof got worse (exit 1).
    pub worse: bool,
    /// Proofs whose verdict differs, or that exist on one side only.
    pub proofs: Vec<ProofChange>,
    /// Findings without paths that appeared or disappeared.
    pub findings: Vec<FindingChange>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub snapshot: String,
    pub digest: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    pub verdict: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProofChange {
    pub source: String,
    pub destination: String,
    pub service: String,
    /// `None`: the proof does not exist on that side.
    pub old: Option<PathVerdict>,
    pub new: Option<PathVerdict>,
    /// `worse`, `better`, `added` or `removed`.
    pub change: &'static str,
    pub worse: bool,
    /// Resources on this proof's paths that appeared, disappeared, or are reached by another
    /// route/record/rule (`via`) on the other side.
    pub resources: Vec<ResourceChange>,
    /// Rule and resource of findings on these paths, per side.
    pub findings_added: Vec<String>,
    pub findings_removed: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct ResourceChange {
    pub kind: String,
    pub id: String,
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub old_via: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub new_via: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingChange {
    pub rule_id: String,
    pub resource: String,
    pub fingerprint: String,
    pub severity: &'static str,
    /// `added` or `removed`.
    pub change: &'static str,
    pub worse: bool,
    pub message: String,
}

type Key = (String, String, String);

fn key(p: &PathRecord) -> Key {
    (
        format!("{} {}", p.source.kind, p.source.id),
        crate::dns::normalize(&p.destination),
        p.service.as_str().to_string(),
    )
}

/// kind/id → the `via` texts with which the proof's paths (forward and return) reach it.
fn hops(paths: &[&PathRecord]) -> BTreeMap<(String, String), BTreeSet<String>> {
    let mut out: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for p in paths {
        for h in p.hops.iter().chain(&p.return_hops) {
            out.entry((h.kind.to_string(), h.id.clone()))
                .or_default()
                .insert(h.via.clone());
        }
    }
    out
}

fn path_findings(report: &Report, ids: &BTreeSet<usize>) -> BTreeSet<String> {
    report
        .findings
        .iter()
        .filter(|f| f.paths.iter().any(|p| ids.contains(p)))
        .map(|f| format!("{} {}", f.rule_id, f.resource))
        .collect()
}

fn verdict_text(v: Option<PathVerdict>) -> &'static str {
    v.map(PathVerdict::as_str).unwrap_or("-")
}

/// Compare two reports.
pub fn diff(
    old: &Report,
    new: &Report,
    old_plan: Option<String>,
    new_plan: Option<String>,
) -> Diff {
    let group = |r: &Report| {
        let mut m: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
        for (i, p) in r.paths.iter().enumerate() {
            m.entry(key(p)).or_default().push(i);
        }
        m
    };
    let (go, gn) = (group(old), group(new));
    let keys: BTreeSet<&Key> = go.keys().chain(gn.keys()).collect();
    let mut proofs = Vec::new();
    for k in keys {
        let po: Vec<&PathRecord> = go
            .get(k)
            .into_iter()
            .flatten()
            .map(|&i| &old.paths[i])
            .collect();
        let pn: Vec<&PathRecord> = gn
            .get(k)
            .into_iter()
            .flatten()
            .map(|&i| &new.paths[i])
            .collect();
        let vo = po.iter().map(|p| p.verdict).max();
        let vn = pn.iter().map(|p| p.verdict).max();
        let ids = |ps: &[&PathRecord]| ps.iter().map(|p| p.id).collect::<BTreeSet<usize>>();
        let (fo, fnew) = (path_findings(old, &ids(&po)), path_findings(new, &ids(&pn)));
        let (ho, hn) = (hops(&po), hops(&pn));
        let mut resources = Vec::new();
        for rk in ho.keys().chain(hn.keys()).collect::<BTreeSet<_>>() {
            let (a, b) = (ho.get(rk), hn.get(rk));
            let change = match (a, b) {
                (Some(_), None) => "removed",
                (None, Some(_)) => "added",
                (Some(x), Some(y)) if x != y => "changed",
                _ => continue,
            };
            resources.push(ResourceChange {
                kind: rk.0.clone(),
                id: rk.1.clone(),
                change,
                old_via: a.map(|s| s.iter().cloned().collect()).unwrap_or_default(),
                new_via: b.map(|s| s.iter().cloned().collect()).unwrap_or_default(),
            });
        }
        let (change, worse) = match (vo, vn) {
            (Some(a), Some(b)) if b > a => ("worse", true),
            (Some(a), Some(b)) if b < a => ("better", false),
            (Some(_), Some(_)) => {
                // Same verdict: listed only when what decides it changed.
                if resources.is_empty() && fo == fnew {
                    continue;
                }
                ("same", false)
            }
            (None, Some(b)) => ("added", b != PathVerdict::Private),
            (Some(_), None) => ("removed", false),
            (None, None) => continue,
        };
        proofs.push(ProofChange {
            source: k.0.clone(),
            destination: k.1.clone(),
            service: k.2.clone(),
            old: vo,
            new: vn,
            change,
            worse,
            resources,
            findings_added: fnew.difference(&fo).cloned().collect(),
            findings_removed: fo.difference(&fnew).cloned().collect(),
        });
    }
    let pathless = |r: &Report| -> BTreeMap<String, usize> {
        r.findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.paths.is_empty())
            .map(|(i, f)| (f.fingerprint.clone(), i))
            .collect()
    };
    let (no, nn) = (pathless(old), pathless(new));
    let mut findings = Vec::new();
    for (fp, &i) in &nn {
        if !no.contains_key(fp) {
            let f = &new.findings[i];
            findings.push(FindingChange {
                rule_id: f.rule_id.to_string(),
                resource: f.resource.clone(),
                fingerprint: fp.clone(),
                severity: f.severity.as_str(),
                change: "added",
                worse: matches!(f.severity, Severity::Violation | Severity::Unproven),
                message: f.message.clone(),
            });
        }
    }
    for (fp, &i) in &no {
        if !nn.contains_key(fp) {
            let f = &old.findings[i];
            findings.push(FindingChange {
                rule_id: f.rule_id.to_string(),
                resource: f.resource.clone(),
                fingerprint: fp.clone(),
                severity: f.severity.as_str(),
                change: "removed",
                worse: false,
                message: f.message.clone(),
            });
        }
    }
    let worse = proofs.iter().any(|p| p.worse) || findings.iter().any(|f| f.worse);
    let side = |r: &Report, plan: Option<String>| Side {
        snapshot: r.snapshot.path.clone(),
        digest: r.snapshot.digest.clone(),
        plan,
        verdict: r.summary.verdict,
    };
    Diff {
        format: "pathproof-diff/1",
        old: side(old, old_plan),
        new: side(new, new_plan),
        worse,
        proofs,
        findings,
    }
}

pub fn write_table(d: &Diff, out: &mut dyn Write) -> std::io::Result<()> {
    use crate::report::escape::terminal;
    let plan = d
        .new
        .plan
        .as_deref()
        .map(|p| format!(" + plan {}", terminal(p)))
        .unwrap_or_default();
    writeln!(
        out,
        "diff {} ({}) → {}{plan} ({})",
        terminal(&d.old.snapshot),
        d.old.verdict,
        terminal(&d.new.snapshot),
        d.new.verdict
    )?;
    if d.proofs.is_empty() && d.findings.is_empty() {
        writeln!(out, "no proof changed")?;
    }
    for p in &d.proofs {
        writeln!(
            out,
            "{} {} → {} ({}): {} → {}{}",
            p.change,
            terminal(&p.source),
            terminal(&p.destination),
            p.service,
            verdict_text(p.old),
            verdict_text(p.new),
            if p.worse { "  [WORSE]" } else { "" }
        )?;
        for r in &p.resources {
            let via = |v: &[String]| terminal(&v.join("; ")).into_owned();
            match r.change {
                "changed" => writeln!(
                    out,
                    "    changed {} {}: {} ⇒ {}",
                    r.kind,
                    terminal(&r.id),
                    via(&r.old_via),
                    via(&r.new_via)
                )?,
                "added" => writeln!(
                    out,
                    "    added   {} {}: {}",
                    r.kind,
                    terminal(&r.id),
                    via(&r.new_via)
                )?,
                _ => writeln!(
                    out,
                    "    removed {} {}: {}",
                    r.kind,
                    terminal(&r.id),
                    via(&r.old_via)
                )?,
            }
        }
        for f in &p.findings_added {
            writeln!(out, "    + finding {}", terminal(f))?;
        }
        for f in &p.findings_removed {
            writeln!(out, "    - finding {}", terminal(f))?;
        }
    }
    for f in &d.findings {
        writeln!(
            out,
            "{} finding {} {} ({}): {}{}",
            f.change,
            f.rule_id,
            terminal(&f.resource),
            f.severity,
            terminal(&f.message),
            if f.worse { "  [WORSE]" } else { "" }
        )?;
    }
    writeln!(
        out,
        "{}",
        if d.worse {
            "result: a proof got worse"
        } else {
            "result: no proof got worse"
        }
    )
}

/// `pathproof diff`: exit 1 when any proof got worse.
pub fn run(args: &DiffArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let intent = match &args.intent {
        Some(path) => Some(crate::verify::intent::IntentFile::load(path)?),
        None => None,
    };
    let old_snap = Snapshot::load(&args.old)?;
    let mut new_snap = Snapshot::load(&args.new)?;
    let overlay = match &args.plan {
        Some(plan) => Some(crate::plan::overlay(&mut new_snap, plan)?),
        None => None,
    };
    let old = crate::verify::verify(&old_snap, intent.as_ref());
    let mut new = crate::verify::verify(&new_snap, intent.as_ref());
    if let Some(o) = &overlay {
        crate::plan::annotate(&mut new, o);
    }
    let d = diff(
        &old,
        &new,
        None,
        args.plan.as_ref().map(|p| p.display().to_string()),
    );
    let written = match args.format {
        TextFormat::Table => write_table(&d, out),
        TextFormat::Json => crate::report::escape::to_json_writer(&mut *out, &d)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out)),
    };
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other?,
    }
    Ok(if d.worse {
        Outcome::Fail
    } else {
        Outcome::Pass
    })
}
