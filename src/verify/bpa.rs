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

/// Where an exclusion is in its life (VpcBlockPublicAccessExclusionState).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Life {
    /// `create-complete`, `update-complete`.
    InEffect,
    /// `create-failed`, `delete-complete`, `disable-complete`: it does not apply.
    Ended,
    /// `…-in-progress`, `update-failed`, or a state AWS may add: whether it applies today is
    /// not known.
    Changing,
}

fn life(x: &VpcBpaExclusion) -> Life {
    match x.state.as_deref() {
        Some("create-complete" | "update-complete") => Life::InEffect,
        Some("create-failed" | "delete-complete" | "disable-complete") => Life::Ended,
        _ => Life::Changing,
    }
}

/// The exclusions naming subnet `subnet` or its VPC `vpc` (`…:subnet/<id>`, `…:vpc/<id>`).
fn exclusions_for<'r>(r: &'r Regional, subnet: &str, vpc: &str) -> Vec<&'r VpcBpaExclusion> {
    let (s, v) = (format!(":subnet/{subnet}"), format!(":vpc/{vpc}"));
    r.bpa_exclusions
        .iter()
        .flatten()
        .filter(|x| {
            x.resource_arn
                .as_deref()
                .is_some_and(|a| a.ends_with(&s) || a.ends_with(&v))
        })
        .collect()
}

/// What Block Public Access does to an outbound connection that leaves through an internet
/// gateway (`eigw`: an egress-only internet gateway), for the finding's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Effect {
    Blocked,
    /// Not blocked, and why.
    Allowed(String),
    /// Cannot be told from the snapshot, and why.
    Undetermined(String),
}

/// The encoding of the VPC User Guide, "Block public access to VPCs and subnets", for one
/// outbound connection: `mode` and `state` are the account's options, `exclusions` those naming
/// the subnet the traffic leaves from or its VPC, `via_nat` whether it was translated by a NAT
/// gateway on the way, `eigw` whether the gateway is an egress-only internet gateway,
/// `inspected` whether a Gateway Load Balancer or Network Firewall endpoint is on the way.
/// - bidirectional blocks all traffic to and from internet and egress-only internet gateways,
///   except for excluded VPCs and subnets (either exclusion mode allows outbound traffic);
/// - ingress-only blocks internet traffic to the VPCs except for excluded ones; only traffic to
///   and from NAT gateways and egress-only internet gateways is allowed (outbound-only
///   connections); an allow-egress exclusion "only applies when BPA is set to Bidirectional";
/// - exclusions do not apply when the options say `ExclusionsAllowed: not-allowed` (an
///   organisation's declarative policy).
pub(crate) fn effect(
    mode: &str,
    state: Option<&str>,
    exclusions_allowed: Option<&str>,
    exclusions: &[&VpcBpaExclusion],
    via_nat: bool,
    eigw: bool,
    inspected: bool,
) -> Effect {
    // "VPC BPA basics": traffic through Gateway Load Balancer and Network Firewall endpoints
    // is blocked "even if the subnet containing" them is excluded; which exclusion or mode
    // would let such traffic through is not documented.
    if inspected {
        return match effect(mode, state, exclusions_allowed, exclusions, via_nat, eigw, false) {
            Effect::Allowed(why) => Effect::Undetermined(format!(
                "{why}, yet the path crosses an inspection endpoint, whose traffic Block Public Access blocks even where its subnet is excluded"
            )),
            other => other,
        };
    }
    if state == Some("update-in-progress") {
        return Effect::Undetermined(
            "the account's Block Public Access setting is being updated".into(),
        );
    }
    let bidirectional = match mode {
        "block-bidirectional" => true,
        "block-ingress" => false,
        other => return Effect::Undetermined(format!("mode {other} is not one pathproof knows")),
    };
    if !bidirectional && (via_nat || eigw) {
        return Effect::Allowed(if eigw {
            "ingress-only mode allows outbound connections through an egress-only internet gateway"
                .into()
        } else {
            "ingress-only mode allows connections made through a NAT gateway".into()
        });
    }
    if exclusions_allowed == Some("not-allowed") {
        return Effect::Blocked;
    }
    let applies = |x: &VpcBpaExclusion| match x.internet_gateway_exclusion_mode.as_deref() {
        Some("allow-bidirectional") => Some(true),
        Some("allow-egress") => Some(bidirectional).filter(|b| *b),
        _ => None,
    };
    let mut changing = None;
    for x in exclusions {
        let id = &x.exclusion_id;
        let mode_of = x
            .internet_gateway_exclusion_mode
            .as_deref()
            .unwrap_or("mode unknown");
        match (life(x), applies(x)) {
            (Life::Ended, _) => {}
            (Life::InEffect, Some(true)) => {
                return Effect::Allowed(format!(
                    "exclusion {id} ({mode_of}) lets this outbound traffic through"
                ))
            }
            (Life::InEffect, None) => {
                changing = Some(format!(
                    "exclusion {id} has mode {mode_of}, which pathproof does not know"
                ))
            }
            (Life::InEffect, Some(false)) | (Life::Changing, Some(false)) => {
                // allow-egress in ingress-only mode: documented for bidirectional mode only.
                changing = Some(format!(
                    "exclusion {id} is allow-egress, which AWS documents for bidirectional mode only"
                ))
            }
            (Life::Changing, _) => {
                changing = Some(format!(
                    "exclusion {id} is {}",
                    x.state.as_deref().unwrap_or("in an unknown state")
                ))
            }
        }
    }
    match changing {
        Some(why) => Effect::Undetermined(why),
        None => Effect::Blocked,
    }
}

/// What BPA does to a path that reaches an internet gateway, for the finding's text; `None`
/// when the snapshot has no BPA options for the subnet's Region or BPA is off there. `hops` are
/// the path's hops: the last subnet before the gateway is where the traffic leaves, and a NAT
/// gateway on the way makes it an outbound-only connection.
pub fn annotate(model: &Model<'_>, hops: &[Hop]) -> Option<String> {
    let gw = hops.iter().rposition(|h| h.kind == "internet-gateway")?;
    let eigw = hops[gw].id.starts_with("eigw-") || hops[gw].kind.starts_with("egress-only");
    let subnet = hops[..gw].iter().rev().find(|h| h.kind == "subnet")?;
    let sn = model.subnets.get(subnet.id.as_str())?;
    let r = model.regional_of(sn.loc)?;
    let o = r.bpa_options.as_ref()?;
    let mode = o
        .internet_gateway_block_mode
        .as_deref()
        .unwrap_or("unknown");
    if mode == "off" && o.state.as_deref() != Some("update-in-progress") {
        return None;
    }
    let via_nat = hops[..gw].iter().any(|h| h.kind == "nat-gateway");
    let inspected = hops[..gw].iter().any(|h| h.kind == "inspection-endpoint");
    let exclusions = exclusions_for(r, &sn.subnet_id, &sn.vpc_id);
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
    Some(
        match effect(
            mode,
            o.state.as_deref(),
            o.exclusions_allowed.as_deref(),
            &exclusions,
            via_nat,
            eigw,
            inspected,
        ) {
            Effect::Blocked => format!(
                "{head}: {} is not excluded, so AWS blocks this traffic today; the finding stands because Block Public Access is a mitigation, not the architecture's privacy",
                sn.subnet_id
            ),
            Effect::Allowed(why) => format!("{head}, but {why}: not blocked"),
            Effect::Undetermined(why) => {
                format!("{head}, but {why}: whether AWS blocks this traffic today is not known")
            }
        },
    )
}

#[cfg(test)]
mod tests {
    //! The oracle is the VPC User Guide, "Block public access to VPCs and subnets" (modes and
    //! exclusion modes) and "VPC BPA basics" (exclusions and organisation-level settings), one
    //! row per documented case of an outbound connection through an internet gateway.
    use super::*;

    fn x(mode: &str, state: &str) -> VpcBpaExclusion {
        VpcBpaExclusion {
            exclusion_id: "vpcbpa-exclude-0aaa0000000000001".into(),
            internet_gateway_exclusion_mode: Some(mode.into()),
            resource_arn: Some("arn:aws:ec2:us-west-2:111111111111:subnet/subnet-1".into()),
            state: Some(state.into()),
        }
    }

    fn blocked(e: &Effect) -> Option<bool> {
        match e {
            Effect::Blocked => Some(true),
            Effect::Allowed(_) => Some(false),
            Effect::Undetermined(_) => None,
        }
    }

    #[test]
    fn documented_modes_and_exclusions() {
        let bi = x("allow-bidirectional", "create-complete");
        let eg = x("allow-egress", "update-complete");
        let deleted = x("allow-bidirectional", "delete-complete");
        let failed = x("allow-bidirectional", "create-failed");
        let creating = x("allow-bidirectional", "create-in-progress");
        // (mode, exclusions allowed, exclusions, via NAT, egress-only IGW, blocked?)
        type Row<'a> = (
            &'a str,
            &'a str,
            Vec<&'a VpcBpaExclusion>,
            bool,
            bool,
            Option<bool>,
        );
        let rows: Vec<Row> = vec![
            // Bidirectional: everything through internet and egress-only gateways is blocked...
            (
                "block-bidirectional",
                "allowed",
                vec![],
                false,
                false,
                Some(true),
            ),
            (
                "block-bidirectional",
                "allowed",
                vec![],
                true,
                false,
                Some(true),
            ),
            (
                "block-bidirectional",
                "allowed",
                vec![],
                false,
                true,
                Some(true),
            ),
            // ... except for excluded VPCs and subnets, in either exclusion mode (outbound).
            (
                "block-bidirectional",
                "allowed",
                vec![&bi],
                false,
                false,
                Some(false),
            ),
            (
                "block-bidirectional",
                "allowed",
                vec![&eg],
                true,
                false,
                Some(false),
            ),
            (
                "block-bidirectional",
                "allowed",
                vec![&eg],
                false,
                true,
                Some(false),
            ),
            // An exclusion that failed or was deleted does not apply; one being created may.
            (
                "block-bidirectional",
                "allowed",
                vec![&deleted, &failed],
                false,
                false,
                Some(true),
            ),
            (
                "block-bidirectional",
                "allowed",
                vec![&deleted, &bi],
                false,
                false,
                Some(false),
            ),
            (
                "block-bidirectional",
                "allowed",
                vec![&creating],
                false,
                false,
                None,
            ),
            // Exclusions are void where an organisation's policy allows none.
            (
                "block-bidirectional",
                "not-allowed",
                vec![&bi],
                false,
                false,
                Some(true),
            ),
            // Ingress-only: NAT gateways and egress-only gateways carry outbound connections...
            ("block-ingress", "allowed", vec![], true, false, Some(false)),
            ("block-ingress", "allowed", vec![], false, true, Some(false)),
            (
                "block-ingress",
                "not-allowed",
                vec![],
                true,
                false,
                Some(false),
            ),
            // ... other internet gateway traffic is blocked unless excluded bidirectionally.
            ("block-ingress", "allowed", vec![], false, false, Some(true)),
            (
                "block-ingress",
                "allowed",
                vec![&bi],
                false,
                false,
                Some(false),
            ),
            // allow-egress "only applies when BPA is set to Bidirectional": not known here.
            ("block-ingress", "allowed", vec![&eg], false, false, None),
            // A mode AWS may add.
            ("block-everything", "allowed", vec![], false, false, None),
        ];
        for (mode, allowed, ex, nat, eigw, want) in rows {
            let got = effect(
                mode,
                Some("update-complete"),
                Some(allowed),
                &ex,
                nat,
                eigw,
                false,
            );
            // Through an inspection endpoint, nothing is called allowed ("VPC BPA basics").
            let inspected = effect(
                mode,
                Some("update-complete"),
                Some(allowed),
                &ex,
                nat,
                eigw,
                true,
            );
            assert_eq!(
                blocked(&inspected),
                want.filter(|b| *b),
                "inspected {mode} {allowed} nat={nat} eigw={eigw}: {inspected:?}"
            );
            assert_eq!(
                blocked(&got),
                want,
                "{mode} {allowed} {:?} nat={nat} eigw={eigw}: {got:?}",
                ex.iter().map(|e| &e.state).collect::<Vec<_>>()
            );
        }
        // While the account's setting is being updated, nothing is known.
        assert_eq!(
            blocked(&effect(
                "block-bidirectional",
                Some("update-in-progress"),
                None,
                &[],
                false,
                false,
                false
            )),
            None
        );
    }
}
