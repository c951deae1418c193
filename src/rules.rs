//! The compliance rules, loaded from `rules/*.toml` (embedded at build time).
use std::io::Write;

use crate::cli::RulesArgs;
use crate::Outcome;

pub fn cli(_args: &RulesArgs, _out: &mut dyn Write) -> anyhow::Result<Outcome> {
    anyhow::bail!("rules is not implemented yet")
}
