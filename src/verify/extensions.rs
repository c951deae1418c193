//! What pathproof assumed where the layout's optional extension files for Transit Gateway policy
//! tables and VPC Block Public Access are absent (PP026, a warning; layout "Extensions").
use super::findings::Findings;
use crate::snapshot::Snapshot;

/// One PP026 warning per (account, Region) and missing file that could matter: the policy-table
/// listing where the Region has a transit gateway or attachment, the Block Public Access files
/// where it has a VPC.
pub(super) fn check_extension_files(snapshot: &Snapshot, findings: &mut Findings) {
    for r in &snapshot.regional {
        let base = format!("{}/{}/ec2", r.account, r.region);
        let has_tgw = !r.transit_gateways.is_empty() || !r.tgw_attachments.is_empty();
        if has_tgw
            && r.tgw_policy_tables.is_none()
            && !gap_for(snapshot, &base, "describe-transit-gateway-policy-tables")
        {
            findings.add(
                "PP026",
                &format!("{base}/describe-transit-gateway-policy-tables.json"),
                "Transit Gateway policy tables are not in the snapshot: pathproof assumed no attachment is associated with a policy table (each uses its route table association; one without is reported as no path; one whose own record names a policy table is unproven)",
                None,
                serde_json::Value::Null,
            );
        }
        if r.vpcs.is_empty() {
            continue;
        }
        for (op, present) in [
            (
                "describe-vpc-block-public-access-options",
                r.bpa_options.is_some(),
            ),
            (
                "describe-vpc-block-public-access-exclusions",
                r.bpa_exclusions.is_some(),
            ),
        ] {
            if !present && !gap_for(snapshot, &base, op) {
                findings.add(
                    "PP026",
                    &format!("{base}/{op}.json"),
                    "VPC Block Public Access settings are not in the snapshot: reports show no Block Public Access context and internet gateway findings are not annotated (Block Public Access never makes a path private)",
                    None,
                    serde_json::Value::Null,
                );
            }
        }
    }
}

/// Whether the file is already a gap (a collection error, an omitted field): PP017 says so.
fn gap_for(snapshot: &Snapshot, base: &str, op: &str) -> bool {
    let file = format!("{base}/{op}.json");
    snapshot.gaps.iter().any(|g| g.file == file)
}
