//! `pathproof verify`: load (or collect) a snapshot, verify it, render the report, map to an outcome.
use std::io::Write;

use anyhow::Context;

use crate::cli::{FailOn, Format, VerifyArgs};
use crate::snapshot::Snapshot;
use crate::verify::intent::IntentFile;
use crate::Outcome;

/// `--live`: collects into a temporary folder (removed when it drops) and says what it did.
#[cfg(feature = "collect")]
fn live_snapshot(args: &crate::cli::CollectArgs) -> anyhow::Result<tempfile::TempDir> {
    let tmp = tempfile::Builder::new()
        .prefix("pathproof-live-")
        .tempdir()
        .context("cannot create a temporary folder for the live snapshot")?;
    let summary = crate::collect::collect_blocking(args, tmp.path())?;
    eprintln!(
        "pathproof: collected {}, {}, {}, {} in {:.1}s",
        count(summary.accounts as u64, "account"),
        count(summary.regions as u64, "region"),
        count(summary.calls as u64, "call"),
        count(summary.errors as u64, "error"),
        summary.seconds
    );
    Ok(tmp)
}

#[cfg(not(feature = "collect"))]
fn live_snapshot(_: &crate::cli::CollectArgs) -> anyhow::Result<tempfile::TempDir> {
    Err(crate::without_collect("verify --live"))
}

pub fn run(args: &VerifyArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let intent = match &args.intent {
        Some(path) => Some(IntentFile::load(path)?),
        None => None,
    };
    let _tmp;
    let dir = if args.live {
        let tmp = live_snapshot(&args.collect)?;
        let path = tmp.path().to_path_buf();
        _tmp = tmp;
        path
    } else {
        args.snapshot
            .clone()
            .context("--snapshot DIR or --live is required")?
    };
    // Gate inputs are read before the snapshot so a malformed file fails fast (exit 2).
    let baseline = match &args.baseline {
        Some(path) => Some(crate::gate::load_baseline(path)?),
        None => None,
    };
    let waivers = match &args.waivers {
        Some(path) => Some(crate::gate::WaiverFile::load(path)?),
        None => None,
    };
    let mut snapshot = Snapshot::load(&dir)?;
    let overlay = match &args.plan {
        Some(plan) => Some(crate::plan::overlay(&mut snapshot, plan)?),
        None => None,
    };
    let options = crate::verify::Options {
        strict_egress: args.strict_egress,
    };
    let mut report = crate::verify::verify_with(&snapshot, intent.as_ref(), options);
    if let Some(overlay) = &overlay {
        crate::plan::annotate(&mut report, overlay);
    }
    if baseline.is_some() || waivers.is_some() {
        let today = args.today.unwrap_or_else(crate::gate::Date::today_utc);
        crate::gate::apply(&mut report, baseline.as_ref(), waivers.as_ref(), today);
        if let Some(g) = &report.gate {
            for n in &g.unmatched {
                eprintln!(
                    "pathproof: warning: {}",
                    crate::report::escape::terminal(&n.message)
                );
            }
        }
    }
    // Table unless asked otherwise: machine formats are always explicit in CI configs.
    let format = args.format.unwrap_or(Format::Table);
    // A reader that stops early (`| head`) does not change the verdict: the exit code still
    // says whether the estate was proven.
    match crate::report::write(&report, format, out) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other?,
    }
    for (format, path) in &args.report {
        let file = std::fs::File::create(path)
            .with_context(|| format!("cannot write report {}", path.display()))?;
        let mut file = std::io::BufWriter::new(file);
        // The cause is kept as text only: a broken pipe here (a `--report` FIFO or
        // /dev/stdout whose reader left) is an error (exit 2), not the closed stdout that
        // `main` lets pass, which would turn findings into exit 0.
        crate::report::write(&report, *format, &mut file)
            .and_then(|()| file.flush())
            .map_err(|e| anyhow::anyhow!("cannot write report {}: {e}", path.display()))?;
    }
    let outcome = if report.passes(args.fail_on == FailOn::Warning) {
        Outcome::Pass
    } else {
        Outcome::Fail
    };
    // Freeing an organisation's records and report takes about a second (millions of small
    // allocations); the answer is ready, so they are freed on a thread nobody waits for: the
    // process exits without it, a caller in the same process (tests) gets the memory back.
    // A thread that cannot be created drops them here instead (the closure is dropped).
    let _ = std::thread::Builder::new().spawn(move || drop((snapshot, report, overlay)));
    Ok(outcome)
}

/// `1 account`, `2 accounts`.
#[cfg_attr(not(feature = "collect"), allow(dead_code))]
fn count(n: u64, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(super::count(1, "account"), "1 account");
        assert_eq!(super::count(0, "error"), "0 errors");
        assert_eq!(super::count(3, "region"), "3 regions");
    }
}
