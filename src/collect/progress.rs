//! What a collection says on stderr: a live line on a terminal (accounts done of all, calls,
//! errors, elapsed), otherwise one line per finished account (account, Regions, calls, errors,
//! seconds) — CI logs keep every line —, the accounts Organizations listed that are skipped,
//! and the end-of-run summary with the first errors.
//!
//! Everything printed goes through [`crate::report::escape::terminal`]: account ids and Regions
//! are validated, but AWS error messages, resource names and OU ids come from servers.
use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::report::escape::terminal;

use super::engine::{ErrorEntry, Run, Tally};
use super::manifest::Skipped;
use super::CollectSummary;

/// Shared by the account tasks: counts finished accounts, prints their lines.
#[derive(Debug)]
pub(crate) struct Accounts {
    terminal: bool,
    total: usize,
    done: AtomicUsize,
}

impl Accounts {
    /// An account's collection ended (collected, or its role could not be assumed).
    pub fn finished(&self, account: &str, regions: usize, tally: &Tally) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if !self.terminal {
            let seconds = tally
                .first_call()
                .map_or(0.0, |t| t.elapsed().as_secs_f64());
            eprintln!(
                "{}",
                account_line(
                    account,
                    regions,
                    tally.calls(),
                    tally.errors(),
                    seconds,
                    done,
                    self.total
                )
            );
        }
    }
}

/// `pathproof: account 111111111111 (3/10): 2 regions, 345 calls, 0 errors, 12.3 s`.
pub(crate) fn account_line(
    account: &str,
    regions: usize,
    calls: usize,
    errors: usize,
    seconds: f64,
    done: usize,
    total: usize,
) -> String {
    let line = format!(
        "account {account} ({done}/{total}): {regions} region{}, {calls} call{}, {errors} error{}, {seconds:.1} s",
        plural(regions),
        plural(calls),
        plural(errors)
    );
    format!("pathproof: {}", terminal(&line))
}

/// The live line (only on a terminal) and the per-account lines.
pub(crate) struct Progress {
    accounts: Arc<Accounts>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Progress {
    pub fn start(run: Arc<Run>, total: usize, started: Instant) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let accounts = Arc::new(Accounts {
            terminal,
            total,
            done: AtomicUsize::new(0),
        });
        if !terminal {
            return Progress {
                accounts,
                stop: None,
                task: None,
            };
        }
        let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
        let shared = Arc::clone(&accounts);
        let task = tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(200));
            loop {
                tokio::select! {
                    _ = &mut stopped => break,
                    _ = tick.tick() => {
                        eprint!(
                            "\r\x1b[2K{}",
                            live_line(
                                shared.done.load(Ordering::Relaxed),
                                shared.total,
                                run.calls(),
                                run.error_count(),
                                started.elapsed().as_secs_f64(),
                            )
                        );
                    }
                }
            }
            eprint!("\r\x1b[2K");
        });
        Progress {
            accounts,
            stop: Some(stop),
            task: Some(task),
        }
    }

    pub fn accounts(&self) -> Arc<Accounts> {
        Arc::clone(&self.accounts)
    }

    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

/// `pathproof: collecting… 3/10 accounts, 1234 calls, 2 errors, 12 s` (no line break: the
/// caller rewrites it in place).
pub(crate) fn live_line(
    done: usize,
    total: usize,
    calls: usize,
    errors: usize,
    seconds: f64,
) -> String {
    format!(
        "pathproof: collecting… {done}/{total} account{}, {calls} call{}, {errors} error{}, {seconds:.0} s",
        plural(total),
        plural(calls),
        plural(errors)
    )
}

/// One line per account Organizations listed but that is not collected.
pub(crate) fn skipped_lines(skipped: &[Skipped]) -> Vec<String> {
    skipped
        .iter()
        .map(|s| {
            let line = format!(
                "skipped account {} (State {}, Status {}): {}",
                s.account,
                s.state.as_deref().unwrap_or("absent"),
                s.status.as_deref().unwrap_or("absent"),
                s.message
            );
            format!("pathproof: {}", terminal(&line))
        })
        .collect()
}

/// The end-of-run summary on stderr: the first errors, then one line of numbers. Error entries
/// carry AWS error messages and resource names, which are spelled visibly
/// ([`crate::report::escape::terminal`]) so that none of them acts on the terminal.
pub(crate) fn report(summary: &CollectSummary, errors: &[ErrorEntry], files: usize, out: &Path) {
    for line in error_lines(errors) {
        eprintln!("{line}");
    }
    eprintln!(
        "pathproof: snapshot {}: {} account{}, {} region{}, {} calls, {} files, {} error{}, {:.1} s",
        terminal(&out.display().to_string()),
        summary.accounts,
        plural(summary.accounts),
        summary.regions,
        plural(summary.regions),
        summary.calls,
        files,
        summary.errors,
        plural(summary.errors),
        summary.seconds
    );
}

/// The stderr lines for the first collection errors, each one line with nothing in it that a
/// terminal would act on.
pub(crate) fn error_lines(errors: &[ErrorEntry]) -> Vec<String> {
    const SHOWN: usize = 20;
    let mut lines: Vec<String> = errors
        .iter()
        .take(SHOWN)
        .map(|e| {
            let resource = e
                .resource
                .as_deref()
                .map(|r| format!(" [{r}]"))
                .unwrap_or_default();
            let line = format!(
                "{} {} {}{}: {}",
                e.account, e.region, e.operation, resource, e.message
            );
            format!("pathproof: error: {}", terminal(&line))
        })
        .collect();
    if errors.len() > SHOWN {
        lines.push(format!(
            "pathproof: … and {} more errors (all in manifest.json)",
            errors.len() - SHOWN
        ));
    }
    lines
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An AWS error message (or resource name) with terminal escape sequences, a window-title
    /// OSC, a carriage return and a bidi override is printed on one line with all of them
    /// spelled visibly.
    #[test]
    fn collection_errors_are_printed_without_control_characters() {
        let entry = |message: &str| ErrorEntry {
            account: "111111111111".into(),
            region: "us-west-2".into(),
            operation: "ec2:describe-vpcs".into(),
            resource: Some("vpc-1\u{1b}[2J".into()),
            message: message.into(),
        };
        let lines = error_lines(&[entry(
            "AccessDenied\u{1b}]0;owned\u{7}\r\nfake: PROVEN\u{202e}\u{0}\u{9b}",
        )]);
        assert_eq!(
            lines,
            [
                "pathproof: error: 111111111111 us-west-2 ec2:describe-vpcs [vpc-1\\x1b[2J]: \
                 AccessDenied\\x1b]0;owned\\x07\\r\\nfake: PROVEN\\u{202e}\\x00\\x9b"
            ]
        );
        let many: Vec<ErrorEntry> = (0..25).map(|_| entry("Throttling")).collect();
        let lines = error_lines(&many);
        assert_eq!(lines.len(), 21);
        assert_eq!(
            lines[20],
            "pathproof: … and 5 more errors (all in manifest.json)"
        );
    }

    #[test]
    fn progress_lines_say_what_is_done() {
        assert_eq!(
            account_line("111111111111", 2, 345, 0, 12.34, 3, 10),
            "pathproof: account 111111111111 (3/10): 2 regions, 345 calls, 0 errors, 12.3 s"
        );
        assert_eq!(
            account_line("111111111111", 1, 1, 1, 0.0, 1, 1),
            "pathproof: account 111111111111 (1/1): 1 region, 1 call, 1 error, 0.0 s"
        );
        assert_eq!(
            live_line(3, 10, 1234, 2, 12.4),
            "pathproof: collecting… 3/10 accounts, 1234 calls, 2 errors, 12 s"
        );
        // Whatever a server puts in a status, it is spelled visibly.
        let lines = skipped_lines(&[Skipped {
            account: "222222222222".into(),
            state: Some("SUSPENDED\u{1b}[2J".into()),
            status: None,
            message: "not ACTIVE".into(),
        }]);
        assert_eq!(
            lines,
            ["pathproof: skipped account 222222222222 (State SUSPENDED\\x1b[2J, Status absent): not ACTIVE"]
        );
    }
}
