//! Thin binary: parse flags, run, map the outcome to an exit code.
//! 0 = proven, 1 = findings or unproven, 2 = usage or input error (an error outranks findings).
use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = pathproof::cli::Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = pathproof::run(cli, &mut out);
    let _ = out.flush();
    match result {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(err) if pathproof::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("pathproof: error: {err:#}");
            ExitCode::from(2)
        }
    }
}
