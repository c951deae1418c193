//! `pathproof verify`.
use std::io::Write;

use crate::cli::VerifyArgs;
use crate::Outcome;

pub fn run(_args: &VerifyArgs, _out: &mut dyn Write) -> anyhow::Result<Outcome> {
    anyhow::bail!("verify is not implemented yet")
}
