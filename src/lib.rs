//! pathproof: snapshot → graph → verify → report. See ARCHITECTURE.md.
//!
//! The binary (`main.rs`) only parses flags and maps [`Outcome`] to an exit code;
//! [`run`] does the work and writes to any `Write`, so tests run it in-process.
use std::io::Write;

pub mod bench;
pub mod cli;
#[cfg(feature = "collect")]
pub mod collect;
pub mod dns;
pub mod gate;
pub mod graph;
pub mod plan;
pub mod policy;
pub mod report;
pub mod route;
pub mod rules;
pub mod snapshot;
pub mod verify;

/// What a successful run concluded. Errors (exit 2) are the `Err` side of [`run`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything required was proven (exit 0).
    Pass,
    /// At least one finding at or above the `--fail-on` threshold, or something unproven (exit 1).
    Fail,
}

impl Outcome {
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Pass => 0,
            Outcome::Fail => 1,
        }
    }
}

/// Run one command, writing its report to `out`.
pub fn run(cli: cli::Cli, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    match cli.command {
        cli::Command::Verify(args) => verify::cli::run(&args, out),
        #[cfg(feature = "collect")]
        cli::Command::Snapshot(args) => collect::run_snapshot(&args),
        #[cfg(not(feature = "collect"))]
        cli::Command::Snapshot(args) => Err(without_collect(match args.command {
            Some(cli::SnapshotCommand::Merge(_)) => "snapshot merge",
            None => "snapshot",
        })),
        cli::Command::Policy(cli::PolicyCommand::Check(args)) => policy::check_cli(&args, out),
        cli::Command::Rules(args) => rules::cli(&args, out),
        cli::Command::Schema => {
            out.write_all(report::schema::SCHEMA.as_bytes())?;
            Ok(Outcome::Pass)
        }
        cli::Command::Bench(args) => bench::run(&args, out),
        cli::Command::Graph(args) => {
            let snapshot = snapshot::Snapshot::load(&args.snapshot)?;
            out.write_all(graph::Model::build(&snapshot).to_dot().as_bytes())?;
            Ok(Outcome::Pass)
        }
        cli::Command::Diff(args) => gate::diff::run(&args, out),
        cli::Command::Explain(args) => verify::explain::run(&args, out),
    }
}

/// The error of a command that needs live collection in a build without it.
#[cfg(not(feature = "collect"))]
pub(crate) fn without_collect(command: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "`pathproof {command}` is part of live collection (cargo feature `collect`), which this \
         build leaves out (built with --no-default-features); rebuild with the default \
         features: cargo build --release"
    )
}

/// True when the error is (caused by) a closed stdout; `pathproof verify | head` is not an error.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let io = cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe);
        let json = cause
            .downcast_ref::<serde_json::Error>()
            .is_some_and(|e| e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe));
        io || json
    })
}
