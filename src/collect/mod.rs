//! Live AWS collection: SDK calls → snapshot files in the layout of `docs/snapshot-layout.md`.
//! Invariant: the only module that talks to AWS.
use crate::cli::SnapshotArgs;
use crate::Outcome;

/// `pathproof snapshot`: collect into `args.out`.
pub fn run_snapshot(_args: &SnapshotArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("live collection is not implemented yet")
}
