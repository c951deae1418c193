//! Finding fingerprints: a short stable identity for a finding, for baselines and waivers.
//!
//! A finding is merged per (rule id, resource) (see `findings.rs`), so its identity is exactly
//! that pair: the hash never covers list order, path numbers, messages or evidence, which change
//! when a snapshot is re-collected with its arrays in another order.
use sha2::{Digest, Sha256};

/// Version tag hashed in front, so a later change of identity cannot collide with this one.
const DOMAIN: &[u8] = b"pathproof-fingerprint/1";

/// `pp1:` + the first 16 bytes (32 hex digits) of SHA-256(domain, rule id, resource), with NUL
/// separators so no two (rule, resource) pairs hash the same bytes.
pub fn fingerprint(rule_id: &str, resource: &str) -> String {
    let mut h = Sha256::new();
    h.update(DOMAIN);
    h.update([0]);
    h.update(rule_id.as_bytes());
    h.update([0]);
    h.update(resource.as_bytes());
    let digest = h.finalize();
    let mut s = String::from("pp1:");
    for b in &digest[..16] {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depends_on_rule_and_resource_only_and_is_unambiguous() {
        let a = fingerprint("PP002", "nat-0abc");
        assert_eq!(a, fingerprint("PP002", "nat-0abc"));
        assert_eq!(a.len(), 4 + 32);
        assert!(a.starts_with("pp1:"));
        assert_ne!(a, fingerprint("PP003", "nat-0abc"));
        assert_ne!(a, fingerprint("PP002", "nat-0abd"));
        // The separator keeps ("PP0", "02x") apart from ("PP002", "x").
        assert_ne!(fingerprint("PP0", "02x"), fingerprint("PP002", "x"));
    }
}
