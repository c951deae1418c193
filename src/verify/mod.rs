//! Path enumeration, the proofs, findings.
pub mod cli;
