//! Mutants pathproof gets wrong today, tolerated (and printed) until the fixes on the src/
//! branches merge. Each entry: (mutant id, issue-8 defect class). The harness fails when a mutant
//! not listed here is wrong, and when a listed mutant is right again (remove it then): the goal is
//! an empty list, and it is empty: every class in docs/mutation.md ("Known gaps") is fixed.
pub const KNOWN_GAPS: &[(&str, &str)] = &[];
