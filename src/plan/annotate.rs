//! Putting the plan into the report: PP016 on the Terraform address of every change that cannot
//! be proven (on the paths it can affect), the addresses behind every finding on a resource the
//! plan changes, and the plan file as evidence. Renderers are untouched: every format shows the
//! finding's resource and message, and placeholder ids carry their address.
use crate::rules::{self, Severity};
use crate::snapshot::EvidenceFile;
use crate::verify::{Finding, PathVerdict, Report};

use super::Overlay;

/// True when `text` contains `id` as a whole token (not as the prefix of a longer id).
fn mentions(text: &str, id: &str) -> bool {
    if id.is_empty() {
        return false;
    }
    let word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut start = 0;
    while let Some(i) = text[start..].find(id) {
        let at = start + i;
        let before = text[..at].chars().next_back();
        let after = text[at + id.len()..].chars().next();
        if !before.is_some_and(word) && !after.is_some_and(word) {
            return true;
        }
        start = at + id.len().max(1);
        if start >= text.len() {
            break;
        }
    }
    false
}

pub fn annotate(report: &mut Report, overlay: &Overlay) {
    let rule = rules::get("PP016");
    let texts: Vec<String> = report
        .paths
        .iter()
        .map(|p| serde_json::to_string(p).unwrap_or_default())
        .collect();
    let mut added: Vec<Finding> = Vec::new();
    for u in &overlay.unproven {
        let paths: Vec<usize> = match &u.scope {
            None => report.paths.iter().map(|p| p.id).collect(),
            Some(ids) => report
                .paths
                .iter()
                .zip(&texts)
                .filter(|(_, t)| ids.iter().any(|id| mentions(t, id)))
                .map(|(p, _)| p.id)
                .collect(),
        };
        // Not on any path and not a policy: it cannot change a proof.
        if paths.is_empty() && u.scope.is_some() && !u.policy {
            continue;
        }
        let message = format!(
            "planned change {} ({}) cannot be proven: {}",
            u.address, overlay.file, u.reason
        );
        if let Some(f) = added.iter_mut().find(|f| f.resource == u.address) {
            f.message = format!("{}; {}", f.message, u.reason);
            for p in paths {
                if !f.paths.contains(&p) {
                    f.paths.push(p);
                }
            }
            continue;
        }
        added.push(Finding {
            rule_id: &rule.id,
            rule_name: &rule.name,
            severity: rule.severity,
            title: &rule.title,
            controls: &rule.controls,
            resource: u.address.clone(),
            fingerprint: crate::verify::fingerprint::fingerprint(&rule.id, &u.address),
            suppressed: None,
            message,
            paths,
            // A Terraform address, not a resource in the snapshot.
            location: None,
            evidence: serde_json::json!([{ "plan": overlay.file, "address": u.address }]),
        });
    }
    for f in &added {
        for &p in &f.paths {
            if let Some(path) = report.paths.iter_mut().find(|x| x.id == p) {
                path.verdict = path.verdict.max(PathVerdict::Unproven);
                if !path.findings.iter().any(|r| r == "PP016") {
                    path.findings.push("PP016".into());
                    path.findings.sort();
                }
            }
        }
    }
    // Name the planned changes behind findings on resources the plan changes, or on paths
    // through them.
    for f in &mut report.findings {
        let mut by: Vec<&str> = Vec::new();
        let on_path = |id: &str| {
            f.paths
                .iter()
                .filter_map(|&p| report.paths.iter().position(|x| x.id == p))
                .any(|i| mentions(&texts[i], id))
        };
        for (id, addresses) in &overlay.touched {
            if mentions(&f.resource, id) || mentions(&f.message, id) || on_path(id) {
                for a in addresses {
                    if !by.contains(&a.as_str()) {
                        by.push(a);
                    }
                }
            }
        }
        if !by.is_empty() {
            f.message = format!("{} (planned change: {})", f.message, by.join(", "));
        }
    }
    report.findings.extend(added);
    report.findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.rule_id.cmp(b.rule_id))
            .then(a.resource.cmp(&b.resource))
    });
    report.evidence.push(EvidenceFile {
        path: format!("plan:{}", overlay.file),
        sha256: overlay.sha256.clone(),
    });
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let s = &mut report.summary;
    s.violations = count(Severity::Violation);
    s.unproven = count(Severity::Unproven);
    s.warnings = count(Severity::Warning);
    s.info = count(Severity::Info);
    s.verdict = if s.violations > 0 {
        "violations"
    } else if s.unproven > 0 {
        "unproven"
    } else {
        "proven"
    };
    s.paths_private = report
        .paths
        .iter()
        .filter(|p| p.verdict == PathVerdict::Private)
        .count();
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn mentions_whole_ids_only() {
        assert!(mentions("in vpc-0aaa1 now", "vpc-0aaa1"));
        assert!(mentions("\"vpc-0aaa1\"", "vpc-0aaa1"));
        assert!(!mentions("vpc-0aaa10", "vpc-0aaa1"));
        assert!(!mentions("xvpc-0aaa1", "vpc-0aaa1"));
        assert!(mentions(
            "a igw-planned:aws_internet_gateway.x",
            "igw-planned:aws_internet_gateway.x"
        ));
    }
}
