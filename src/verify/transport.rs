//! How Transit Gateway attachments and VPN connections carry traffic: which lead to
//! on-premises, and which of those cross the internet.
use crate::graph::Model;

/// What a Transit Gateway attachment connects to, for the proof.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentKind {
    Vpc,
    /// A path to on-premises: Direct Connect gateway, Site-to-Site VPN, AWS-managed VPN
    /// concentrator, Client VPN.
    OnPremises,
    /// Transit Gateway peering.
    Peering,
    /// Something whose forwarding is not in the snapshot (Connect/SD-WAN, Network Firewall
    /// `network-function`, types AWS adds later).
    Opaque,
}

pub fn attachment_kind(resource_type: &str) -> AttachmentKind {
    match resource_type {
        "vpc" => AttachmentKind::Vpc,
        "direct-connect-gateway" | "vpn" | "vpn-concentrator" | "client-vpn" => {
            AttachmentKind::OnPremises
        }
        "peering" => AttachmentKind::Peering,
        _ => AttachmentKind::Opaque,
    }
}

/// Whether traffic through a Transit Gateway attachment crosses the internet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    Private,
    /// Over the internet: the resource to name and why.
    Internet {
        resource: String,
        why: String,
    },
    /// Cannot be told from the snapshot.
    Unknown {
        resource: String,
        why: String,
    },
}

/// Transport of a Transit Gateway attachment.
pub fn attachment_transport(model: &Model<'_>, attachment: &str) -> Transport {
    let Some(att) = model.tgw_attachments.get(attachment) else {
        return Transport::Unknown {
            resource: attachment.to_string(),
            why: "attachment is not in describe-transit-gateway-attachments".into(),
        };
    };
    match att.resource_type.as_str() {
        "vpn" => match att.resource_id.as_deref() {
            Some(vpn) => vpn_transport(model, vpn),
            None => Transport::Unknown {
                resource: attachment.to_string(),
                why: "VPN attachment names no VPN connection".into(),
            },
        },
        "vpn-concentrator" | "client-vpn" => Transport::Internet {
            resource: att
                .resource_id
                .clone()
                .unwrap_or_else(|| attachment.to_string()),
            why: format!(
                "{} attachment {attachment} terminates connections from the internet",
                att.resource_type
            ),
        },
        "connect" => Transport::Unknown {
            resource: attachment.to_string(),
            why: "Transit Gateway Connect (SD-WAN) tunnels' underlay is not in the snapshot".into(),
        },
        _ => Transport::Private,
    }
}

/// Transport of a Site-to-Site VPN connection: public outside addresses mean the internet.
pub fn vpn_transport(model: &Model<'_>, vpn_id: &str) -> Transport {
    let Some(vpn) = model.vpn_connections.get(vpn_id) else {
        return Transport::Unknown {
            resource: vpn_id.to_string(),
            why: "VPN connection is not in describe-vpn-connections".into(),
        };
    };
    let outside = vpn
        .options
        .as_ref()
        .and_then(|o| o.outside_ip_address_type.clone());
    if outside.as_deref() == Some("PrivateIpv4") {
        // A connection that is not `available` (pending, deleting, deleted) carries no traffic
        // that can be proven private (EC2 API reference, VpnConnection `State`,
        // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpnConnection.html). An
        // internet VPN stays PP008 in every state.
        if vpn.state != "available" {
            return Transport::Unknown {
                resource: vpn_id.to_string(),
                why: format!("VPN {vpn_id} is {}, not available", vpn.state),
            };
        }
        // A private IP VPN runs over Direct Connect: its transport attachment must be a Direct
        // Connect gateway attachment of the Transit Gateway (Site-to-Site VPN guide, "Private IP
        // VPN with AWS Direct Connect",
        // https://docs.aws.amazon.com/vpn/latest/s2svpn/private-ip-dx.html). Without it, or over
        // another kind of attachment, the underlay is not proven private.
        let transport = vpn
            .options
            .as_ref()
            .and_then(|o| o.transport_transit_gateway_attachment_id.as_deref());
        let Some(transport) = transport else {
            return Transport::Unknown {
                resource: vpn_id.to_string(),
                why: format!(
                    "VPN {vpn_id} has outside IP type PrivateIpv4 but no TransportTransitGatewayAttachmentId (a private IP VPN needs a Direct Connect gateway attachment as transport)"
                ),
            };
        };
        return match model.tgw_attachments.get(transport) {
            Some(att) if att.resource_type == "direct-connect-gateway" => {
                if att.state == "available" {
                    Transport::Private
                } else {
                    Transport::Unknown {
                        resource: transport.to_string(),
                        why: format!(
                            "transport attachment {transport} of private IP VPN {vpn_id} is {}",
                            att.state
                        ),
                    }
                }
            }
            Some(att) => Transport::Unknown {
                resource: vpn_id.to_string(),
                why: format!(
                    "VPN {vpn_id} has outside IP type PrivateIpv4 over transport attachment {transport} of type {}, not a Direct Connect gateway attachment",
                    att.resource_type
                ),
            },
            None => Transport::Unknown {
                resource: vpn_id.to_string(),
                why: format!(
                    "transport attachment {transport} of private IP VPN {vpn_id} is not in describe-transit-gateway-attachments"
                ),
            },
        };
    }
    {
        Transport::Internet {
            resource: vpn_id.to_string(),
            why: format!(
                "VPN {vpn_id} has outside IP type {} (over the internet)",
                outside.as_deref().unwrap_or("unset = PublicIpv4")
            ),
        }
    }
}
