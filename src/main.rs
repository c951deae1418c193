//! Thin binary: parse flags, run, map the outcome to an exit code.
//! 0 = proven, 1 = findings or unproven, 2 = usage or input error (an error outranks findings).
use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = pathproof::cli::Cli::parse();
    // Buffered: reports for an organisation are hundreds of MB, written in small pieces.
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let result = pathproof::run(cli, &mut out);
    // The last buffered bytes are written here. A reader that stopped early (`| head`) does not
    // change the verdict (as in `verify::cli`); any other write error is an error.
    let result = match (result, out.flush()) {
        (Ok(_), Err(e)) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::from(e))
        }
        (result, _) => result,
    };
    match result {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(err) if pathproof::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // The message embeds file names, JSON paths, snapshot values and AWS error messages:
            // nothing in it may act on the terminal or start a line of its own.
            let message = format!("{err:#}");
            eprintln!(
                "pathproof: error: {}",
                pathproof::report::escape::terminal(&message)
            );
            ExitCode::from(2)
        }
    }
}

// An organisation's snapshot is millions of small records, paths and strings: with mimalloc
// the 10,000-VPC benchmark spends about 15 % less CPU than with glibc's allocator
// (docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
