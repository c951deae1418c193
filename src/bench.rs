//! `pathproof bench`: time load → verify → render on a snapshot, repeatedly, and report the
//! distribution and the process's peak memory. Benchmarks are measured here, never asserted
//! in tests.
use std::io::Write;
use std::time::{Duration, Instant};

use crate::cli::{BenchArgs, Format};
use crate::snapshot::Snapshot;
use crate::Outcome;

pub fn run(args: &BenchArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let iterations = args.iterations.max(1);
    let mut load = Vec::with_capacity(iterations);
    let mut verify = Vec::with_capacity(iterations);
    let mut render = Vec::with_capacity(iterations);
    let mut paths = 0;
    let mut files = 0;
    let mut bytes = 0;
    let mut total = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let t = Instant::now();
        let snapshot = Snapshot::load(&args.snapshot)?;
        load.push(t.elapsed());
        let t = Instant::now();
        let report = crate::verify::verify(&snapshot, None);
        verify.push(t.elapsed());
        let t = Instant::now();
        // Counted, not kept: `verify` streams the report, so holding it would inflate the RSS.
        let mut sink = Counter(0);
        crate::report::write(&report, Format::Json, &mut sink)?;
        render.push(t.elapsed());
        bytes = sink.0;
        paths = report.paths.len();
        files = snapshot.evidence.len();
        let n = load.len() - 1;
        total.push(load[n] + verify[n] + render[n]);
    }
    writeln!(
        out,
        "snapshot {}: {files} files, {paths} paths, JSON report {bytes} bytes, {iterations} iterations",
        args.snapshot.display()
    )?;
    for (name, samples) in [
        ("load", &mut load),
        ("verify", &mut verify),
        ("render json", &mut render),
        ("total", &mut total),
    ] {
        samples.sort();
        writeln!(
            out,
            "{name:>12}: min {:>9.3} ms  median {:>9.3} ms  max {:>9.3} ms",
            ms(samples[0]),
            ms(samples[samples.len() / 2]),
            ms(samples[samples.len() - 1])
        )?;
    }
    if let Some(kib) = peak_rss_kib() {
        writeln!(out, "{:>12}: {:.1} MiB", "peak RSS", kib as f64 / 1024.0)?;
    }
    Ok(Outcome::Pass)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Peak resident set size of the process in KiB: `getrusage(RUSAGE_SELF).ru_maxrss` (KiB on
/// Linux), else Linux's `VmHWM`.
fn peak_rss_kib() -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: getrusage only writes the struct it is given.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } == 0 && usage.ru_maxrss > 0 {
            return Some(usage.ru_maxrss as u64);
        }
    }
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A writer that counts what it is given and keeps nothing.
struct Counter(usize);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
