//! IAM / IoT policy evaluator: proves that data-plane actions are admitted only under
//! an approved `aws:SourceVpce`, with counterexamples.
use std::io::Write;

use crate::cli::PolicyCheckArgs;
use crate::Outcome;

/// `pathproof policy check FILE... --approved vpce-...`
pub fn check_cli(_args: &PolicyCheckArgs, _out: &mut dyn Write) -> anyhow::Result<Outcome> {
    anyhow::bail!("policy check is not implemented yet")
}
