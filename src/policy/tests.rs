//! Tests for the policy module.
