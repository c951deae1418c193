//! The JSON Schema of the JSON report, `pathproof-report/1`, printed by `pathproof schema`.
//!
//! Every JSON report the tests produce is validated against it, and a test pins its SHA-256
//! together with the format id: a schema change without a new format id fails that test.
/// The schema (`schemas/pathproof-report-1.schema.json`).
pub const SCHEMA: &str = include_str!("../../schemas/pathproof-report-1.schema.json");
