//! SARIF 2.1.0 (for code-scanning UIs), built with the `serde-sarif` types.
//!
//! What a viewer displays is made safe for display: the result message with [`sarif_text`] (no
//! control characters, no embedded links), the logical location names with [`visible`]. The
//! `properties` keep the data as collected, for machines; the document is written with
//! [`to_json_writer`], so no character that acts on a terminal is in its bytes.
use std::io::Write;

use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, Location, LogicalLocation, Message, MultiformatMessageString,
    PhysicalLocation, PropertyBag, ReportingDescriptor, Result as SarifResult, ResultLevel, Run,
    Sarif, Suppression, Tool, ToolComponent,
};

use super::escape::{sarif_text, to_json_writer, visible};
use crate::rules::{self, Severity};
use crate::verify::Report;

pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let descriptors: Vec<ReportingDescriptor> = rules::all()
        .iter()
        .map(|r| {
            let mut props = std::collections::BTreeMap::new();
            props.insert("severity".to_string(), json!(r.severity.as_str()));
            props.insert("controls".to_string(), json!(r.controls));
            ReportingDescriptor::builder()
                .id(r.id.clone())
                .name(r.name.clone())
                .short_description(
                    MultiformatMessageString::builder()
                        .text(r.title.clone())
                        .build(),
                )
                .full_description(
                    MultiformatMessageString::builder()
                        .text(r.checks.clone())
                        .build(),
                )
                .help(
                    MultiformatMessageString::builder()
                        .text(format!("{} Remediation: {}", r.rationale, r.remediation))
                        .build(),
                )
                .properties(PropertyBag::builder().additional_properties(props).build())
                .build()
        })
        .collect();
    let results: Vec<SarifResult> = report
        .findings
        .iter()
        .map(|f| {
            let level = match f.severity {
                Severity::Violation | Severity::Unproven => ResultLevel::Error,
                Severity::Warning => ResultLevel::Warning,
                Severity::Info => ResultLevel::Note,
            };
            // The finding fingerprint (verify/fingerprint.rs): rule + resource, never order.
            let fingerprint = f.fingerprint.clone();
            let location = Location::builder()
                .physical_location(
                    PhysicalLocation::builder()
                        .artifact_location(
                            ArtifactLocation::builder()
                                .uri("manifest.json")
                                .uri_base_id("SNAPSHOT")
                                .build(),
                        )
                        .build(),
                )
                .logical_locations(vec![LogicalLocation::builder()
                    .name(visible(&f.resource).into_owned())
                    .fully_qualified_name(visible(&f.resource).into_owned())
                    .kind("resource")
                    .build()])
                .build();
            let mut props = std::collections::BTreeMap::new();
            props.insert("severity".to_string(), json!(f.severity.as_str()));
            props.insert("resource".to_string(), json!(f.resource));
            props.insert("paths".to_string(), json!(f.paths));
            // SARIF 2.1.0 §3.27.23 `suppressions`: a baselined or waived result stays in the
            // log, marked external (suppressed outside the analysed artefact).
            let suppressions = crate::gate::status_text(f.suppressed.as_ref()).map(|why| {
                vec![Suppression::builder()
                    .kind(json!("external"))
                    .status(json!("accepted"))
                    .justification(sarif_text(&why).into_owned())
                    .build()]
            });
            let mut result = SarifResult::builder()
                .rule_id(f.rule_id)
                .level(level)
                .message(
                    Message::builder()
                        .text(sarif_text(&f.message).into_owned())
                        .build(),
                )
                .locations(vec![location])
                .partial_fingerprints(std::collections::BTreeMap::from([(
                    "pathproof/v1".to_string(),
                    fingerprint,
                )]))
                .properties(PropertyBag::builder().additional_properties(props).build())
                .build();
            result.suppressions = suppressions;
            result
        })
        .collect();
    let run = Run::builder()
        .tool(
            Tool::builder()
                .driver(
                    ToolComponent::builder()
                        .name("pathproof")
                        .version(env!("CARGO_PKG_VERSION"))
                        .information_uri("https://github.com/pathproof/pathproof")
                        .rules(descriptors)
                        .build(),
                )
                .build(),
        )
        .results(results)
        // Context only: VPC Block Public Access per account and Region, as collected.
        .properties(
            PropertyBag::builder()
                .additional_properties(std::collections::BTreeMap::from([(
                    "blockPublicAccess".to_string(),
                    json!(report.block_public_access),
                )]))
                .build(),
        )
        .build();
    let sarif = Sarif::builder()
        .version(json!("2.1.0"))
        .schema(serde_sarif::sarif::SCHEMA_URL)
        .runs(vec![run])
        .build();
    to_json_writer(&mut *out, &sarif)?;
    writeln!(out)
}
