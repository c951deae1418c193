//! VPC Block Public Access (BPA): report context, and the annotation of internet gateway
//! findings. BPA never changes a verdict: it is a mitigation an account switches on or off, not
//! the architecture's privacy, so a path to an internet gateway stays a finding (PP001) and says
//! whether BPA would drop it today.
//!
//! AWS semantics (VPC User Guide, "Block public access to VPCs and subnets"; EC2 API Reference,
//! `VpcBlockPublicAccessOptions`, `BlockPublicAccessStates`, `VpcBlockPublicAccessExclusion`):
//! - the mode is per account and Region: `off`; `block-bidirectional` blocks all traffic to and
//!   from internet gateways and egress-only internet gateways except for excluded VPCs and
//!   subnets; `block-ingress` blocks internet traffic to the VPCs, allowing only traffic to and
//!   from NAT gateways and egress-only internet gateways (outbound-only connections);
//! - an exclusion names one VPC or subnet: `allow-bidirectional` allows all its internet traffic,
//!   `allow-egress` allows outbound traffic and blocks inbound (only in bidirectional mode);
//! - BPA applies to the VPCs and subnets the account owns.
use serde::Serialize;

use super::walk::Hop;
use crate::graph::Model;
use crate::snapshot::records::VpcBpaExclusion;
use crate::snapshot::{Regional, Snapshot};

/// One account and Region's BPA settings, as the report shows them.
#[derive(Debug, Clone, Serialize)]
pub struct BpaContext {
    pub account: String,
    pub region: String,
    /// `off`, `block-bidirectional`, `block-ingress` (absent when AWS omitted it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusions_allowed: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub managed_by: Option<String>,
    pub exclusions: Vec<BpaExclusionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BpaExclusionView {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

impl BpaContext {
    /// One line for text renderers.
    pub fn line(&self) -> String {
        let mut s = format!(
            "{}/{}: {}",
            self.account,
            self.region,
            self.mode.as_deref().unwrap_or("mode unknown")
        );
        if let Some(e) = &self.exclusions_allowed {
            s.push_str(&format!(" (exclusions {e})"));
        }
        for x in &self.exclusions {
            s.push_str(&format!(
                "; exclusion {} {} for {} ({})",
                x.id,
                x.mode.as_deref().unwrap_or("?"),
                x.resource.as_deref().unwrap_or("?"),
                x.state.as_deref().unwrap_or("?")
            ));
        }
        s
    }
}

/// The BPA context of every account and Region whose snapshot has the options file.
pub fn contexts(snapshot: &Snapshot) -> Vec<BpaContext> {
    snapshot
        .regional
        .iter()
        .filter_map(|r| {
            let o = r.bpa_options.as_ref()?;
            Some(BpaContext {
                account: r.account.clone(),
                region: r.region.clone(),
                mode: o.internet_gateway_block_mode.clone(),
                state: o.state.clone(),
                exclusions_allowed: o.exclusions_allowed.clone(),
                managed_by: o.managed_by.clone(),
                exclusions: r
                    .bpa_exclusions
                    .iter()
                    .flatten()
                    .map(|x| BpaExclusionView {
                        id: x.exclusion_id.clone(),
                        mode: x.internet_gateway_exclusion_mode.clone(),
                        resource: x.resource_arn.clone(),
                        state: x.state.clone(),
                    })
                    .collect(),
            })
        })
        .collect()
}

/// Whether an exclusion is in effect (its create or update completed).
fn in_effect(x: &VpcBpaExclusion) -> bool {
    matches!(
        x.state.as_deref(),
        Some("create-complete" | "update-complete")
    )
}

/// The exclusion naming `id` (`…:subnet/<id>` or `…:vpc/<id>`), if any.
fn exclusion_for<'r>(r: &'r Regional, kind: &str, id: &str) -> Option<&'r VpcBpaExclusion> {
    r.bpa_exclusions.iter().flatten().find(|x| {
        x.resource_arn
            .as_deref()
            .is_some_and(|a| a.ends_with(&format!(":{kind}/{id}")))
    })
}

/// What BPA does to a path that reaches an internet gateway, for the finding's text; `None`
/// when the snapshot has no BPA options for the subnet's Region or BPA is off there. `hops` are
/// the path's hops: the last subnet before the gateway is where the traffic leaves, and a NAT
/// gateway on the way makes it an outbound-only connection.
pub fn annotate(model: &Model<'_>, hops: &[Hop]) -> Option<String> {
    let gw = hops.iter().rposition(|h| h.kind == "internet-gateway")?;
    let subnet = hops[..gw].iter().rev().find(|h| h.kind == "subnet")?;
    let sn = model.subnets.get(subnet.id.as_str())?;
    let r = model.regional_of(sn.loc)?;
    let o = r.bpa_options.as_ref()?;
    let mode = o
        .internet_gateway_block_mode
        .as_deref()
        .unwrap_or("unknown");
    if mode == "off" {
        return None;
    }
    let via_nat = hops[..gw].iter().any(|h| h.kind == "nat-gateway");
    // Under an organisation-level policy that allows no exclusions, none applies.
    let exclusion = exclusion_for(r, "subnet", &sn.subnet_id)
        .or_else(|| exclusion_for(r, "vpc", &sn.vpc_id))
        .filter(|x| in_effect(x) && o.exclusions_allowed.as_deref() != Some("not-allowed"));
    let allowed_by = match (mode, exclusion) {
        ("block-bidirectional" | "block-ingress", Some(x)) => Some(format!(
            "exclusion {} ({}) lets this outbound traffic through",
            x.exclusion_id,
            x.internet_gateway_exclusion_mode
                .as_deref()
                .unwrap_or("mode unknown")
        )),
        ("block-ingress", None) if via_nat => {
            Some("ingress-only mode allows connections made through a NAT gateway".to_string())
        }
        ("block-bidirectional" | "block-ingress", None) => None,
        _ => Some(format!("mode {mode} is not one pathproof knows")),
    };
    let state = sn
        .block_public_access_states
        .as_ref()
        .and_then(|s| s.internet_gateway_block_mode.as_deref())
        .map(|m| format!(", subnet state {m}"))
        .unwrap_or_default();
    let head = format!(
        "VPC Block Public Access is {mode} in {}/{}{state}",
        r.account, r.region
    );
    Some(match allowed_by {
        None => format!(
            "{head}: {} is not excluded, so AWS blocks this traffic today; the finding stands because Block Public Access is a mitigation, not the architecture's privacy",
            sn.subnet_id
        ),
        Some(why) => format!("{head}, but {why}: not blocked"),
    })
}
