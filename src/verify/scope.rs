//! Scope of the proof: destinations (IoT endpoint names), source subnets, on-premises entries,
//! and name resolution as each source sees it.
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use ipnet::IpNet;

use super::findings::Findings;
use super::intent::{iot_service_of, Intent, IotService, Role};
use super::transport::{attachment_kind, AttachmentKind};
use crate::dns::{self, Resolution, Via};
use crate::graph::{HashMap, Model};

/// A destination: an IoT endpoint name, its service, and who must reach it.
#[derive(Debug, Clone)]
pub(super) struct Destination {
    pub(super) name: String,
    pub(super) service: IotService,
    /// Device VPCs and on-premises reach every destination; consumers only the data endpoint.
    pub(super) for_consumers: bool,
    /// Where the name comes from when not `describe-endpoint` (a domain configuration).
    pub(super) origin: Option<String>,
}

impl Destination {
    /// The name, and its origin when it has one, for messages.
    pub(super) fn label(&self) -> String {
        match &self.origin {
            Some(o) => format!("{} ({o})", self.name),
            None => self.name.clone(),
        }
    }
}

/// Resolve `name` as clients in `vpc` do. Private hosted zones answer only when the VPC uses the
/// Route 53 Resolver: `enableDnsSupport` and `enableDnsHostnames` true (Route 53 guide, "Considerations
/// when working with a private hosted zone") and, for instances, DHCP options pointing at
/// AmazonProvidedDNS. Queries arriving through a Resolver inbound endpoint (`via_inbound`) use the
/// Resolver whatever the DHCP options say. These settings come from optional layout extension
/// files; when a snapshot lacks them, the assumption is reported (PP019).
pub(super) fn resolve_in_vpc(
    model: &Model<'_>,
    vpc_id: &str,
    name: &str,
    via_inbound: bool,
    findings: &mut Findings,
) -> Resolution {
    resolve_in_vpc_type(
        model,
        vpc_id,
        name,
        via_inbound,
        findings,
        dns::QueryType::A,
    )
}

/// [`resolve_in_vpc`] for a query of type `qtype` (the VPC's DNS settings apply to every type).
pub(super) fn resolve_in_vpc_type(
    model: &Model<'_>,
    vpc_id: &str,
    name: &str,
    via_inbound: bool,
    findings: &mut Findings,
    qtype: dns::QueryType,
) -> Resolution {
    let none = serde_json::Value::Null;
    let Some(vpc) = model.vpcs.get(vpc_id) else {
        return dns::resolve_type(model, vpc_id, "", name, qtype);
    };
    let regional = model.regional_of(vpc.loc);
    let public = |why: String, findings: &mut Findings| {
        findings.add("PP003", vpc_id, why, None, serde_json::Value::Null);
        Resolution::unanswered(name, Via::Public)
    };
    match regional.and_then(|r| r.vpc_dns.get(vpc_id)) {
        Some(d) if d.support == Some(false) => {
            return public(format!("{vpc_id} has enableDnsSupport false: the Route 53 Resolver and its private hosted zones do not answer"), findings);
        }
        // No exception for queries through a Resolver inbound endpoint: the considerations page
        // requires both attributes to use private hosted zones, and "Inbound endpoints and private
        // hosted zones" (Route 53 guide, "Considerations when creating inbound and outbound
        // endpoints") only adds that the zone must be associated with the endpoint's VPC.
        Some(d) if d.hostnames == Some(false) => {
            return public(format!("{vpc_id} has enableDnsHostnames false: private hosted zones do not answer in it"), findings);
        }
        // One attribute file present and the other missing: the missing one is assumed true
        // (its default, VPC user guide "DNS attributes for your VPC",
        // https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html), and said so.
        Some(d) => {
            for (value, attr) in [
                (d.support, "enableDnsSupport"),
                (d.hostnames, "enableDnsHostnames"),
            ] {
                if value.is_none() {
                    findings.add(
                        "PP019",
                        vpc_id,
                        format!("{attr} of {vpc_id} is not in the snapshot; assumed true"),
                        None,
                        none.clone(),
                    );
                }
            }
        }
        None => findings.add(
            "PP019",
            vpc_id,
            format!("enableDnsSupport/enableDnsHostnames of {vpc_id} are not in the snapshot; assumed true"),
            None,
            none.clone(),
        ),
    }
    for why in dns::assumptions(model, vpc_id) {
        findings.add("PP019", vpc_id, why, None, serde_json::Value::Null);
    }
    if !via_inbound {
        match (regional.and_then(|r| r.dhcp_options.as_ref()), vpc.dhcp_options_id.as_deref()) {
            (_, None | Some("default")) => {}
            (None, Some(dopt)) => findings.add(
                "PP019",
                vpc_id,
                format!("DHCP options {dopt} of {vpc_id} are not in the snapshot; assumed AmazonProvidedDNS"),
                None,
                none,
            ),
            (Some(options), Some(dopt)) => {
                let servers: Vec<String> = options
                    .iter()
                    .find(|o| o.dhcp_options_id == dopt)
                    .map(|o| {
                        o.dhcp_configurations
                            .iter()
                            .filter(|c| c.key == "domain-name-servers")
                            .flat_map(|c| &c.values)
                            .map(|v| v.value.as_str().map(str::to_string).unwrap_or_else(|| v.value.to_string()))
                            .collect()
                    })
                    .unwrap_or_else(|| vec!["(options set not in describe-dhcp-options)".into()]);
                if !servers.is_empty() && servers.iter().any(|s| s != "AmazonProvidedDNS") {
                    return Resolution::unanswered(
                        name,
                        Via::Forwarded {
                            rule_id: dopt.to_string(),
                            domain: format!("every name, to DHCP DNS servers {}", servers.join(", ")),
                        },
                    );
                }
            }
        }
    }
    dns::resolve_from(model, vpc_id, vpc.loc.region, name, qtype, via_inbound)
}

/// One resolution per (VPC, name, through an inbound endpoint): every subnet of a VPC sees the
/// same answer. [`resolve_in_vpc`] is a function of its arguments and the model, and the
/// findings it adds carry no path and no evidence, so repeating them would change nothing
/// (`Findings` keeps the first message per rule and resource): a repeated query returns the
/// first answer without adding them again.
#[derive(Default)]
pub(super) struct Resolutions {
    done: HashMap<(String, String, bool), Resolution>,
}

impl Resolutions {
    pub(super) fn resolve(
        &mut self,
        model: &Model<'_>,
        vpc_id: &str,
        name: &str,
        via_inbound: bool,
        findings: &mut Findings,
    ) -> Resolution {
        let key = (vpc_id.to_string(), name.to_string(), via_inbound);
        if let Some(r) = self.done.get(&key) {
            return r.clone();
        }
        let r = resolve_in_vpc(model, vpc_id, name, via_inbound, findings);
        self.done.insert(key, r.clone());
        r
    }
}

/// The source subnets of `vpc`: its subnets but the [`attachment_subnets`], sorted by id (the
/// index keeps them sorted).
pub(super) fn source_subnets<'s>(
    model: &Model<'s>,
    vpc: &str,
) -> Vec<crate::graph::At<'s, crate::snapshot::records::Subnet>> {
    let infra = attachment_subnets(model, vpc);
    model
        .idx
        .subnets_of_vpc(vpc)
        .iter()
        .filter(|s| !infra.contains(**s))
        .filter_map(|s| model.subnets.get(*s).copied())
        .collect()
}

/// Subnets of `vpc` that are Transit Gateway attachment subnets and hold nothing but the
/// Transit Gateway's own interfaces: infrastructure, not sources. An attachment subnet that also
/// hosts workloads is a source like any other.
pub(super) fn attachment_subnets(model: &Model<'_>, vpc: &str) -> BTreeSet<String> {
    model
        .idx
        .tgw_vpc_attachments_of_vpc(vpc)
        .iter()
        .flat_map(|a| a.subnet_ids.iter().cloned())
        .filter(|s| {
            model
                .idx
                .enis_of_subnet(s)
                .iter()
                .all(|e| e.interface_type.as_deref() == Some("transit_gateway"))
        })
        .collect()
}

/// IoT endpoint names of the accounts/regions that hold a gatekeeper VPC.
pub(super) fn destinations(model: &Model<'_>, intent: &Intent) -> Vec<Destination> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for vpc_id in intent.vpcs_with(Role::Gatekeeper) {
        let Some(vpc) = model.vpcs.get(vpc_id) else {
            continue;
        };
        let key = (vpc.loc.account, vpc.loc.region);
        if !seen.insert(key) {
            continue;
        }
        let Some(regional) = model.regional_of(vpc.loc) else {
            continue;
        };
        let services: BTreeSet<IotService> = model
            .endpoints
            .values()
            .filter(|e| {
                e.loc.account == vpc.loc.account
                    && e.loc.region == vpc.loc.region
                    && intent.roles.get(&e.vpc_id) == Some(&Role::Gatekeeper)
                    && e.vpc_endpoint_type == "Interface"
            })
            .filter_map(|e| iot_service_of(&e.service_name))
            .collect();
        if let Some(data) = regional.iot_endpoints.get("iot-data-ats") {
            out.push(Destination {
                name: data.clone(),
                service: IotService::Data,
                for_consumers: true,
                origin: None,
            });
        }
        if services.contains(&IotService::Credentials) {
            if let Some(name) = regional.iot_endpoints.get("iot-credentialprovider") {
                out.push(Destination {
                    name: name.clone(),
                    service: IotService::Credentials,
                    for_consumers: false,
                    origin: None,
                });
            }
        }
        if services.contains(&IotService::Greengrass) {
            out.push(Destination {
                name: format!("greengrass-ats.iot.{}.amazonaws.com", vpc.loc.region),
                service: IotService::Greengrass,
                for_consumers: false,
                origin: None,
            });
        }
        super::custom_domains::add_destinations(regional, &services, &mut out);
    }
    out
}

/// An on-premises range and where it enters the Transit Gateway.
pub(super) struct OnpremEntry {
    pub(super) cidr: IpNet,
    pub(super) attachment: String,
    pub(super) device_vpcs: Vec<String>,
    pub(super) account: String,
    pub(super) region: String,
}

/// On-premises ranges: from the intent file, else from TGW routes to Direct Connect gateway and
/// VPN attachments in the route tables of device VPC attachments.
pub(super) fn onprem_entries(
    model: &Model<'_>,
    intent: &Intent,
    findings: &mut Findings,
) -> Vec<OnpremEntry> {
    let mut by_rt: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for vpc in intent.vpcs_with(Role::Device) {
        for att in model
            .idx
            .tgw_vpc_attachments_of_vpc(vpc)
            .iter()
            .filter(|a| a.state == "available")
        {
            // An attachment associated with a policy table uses the route tables its rules
            // choose (Transit Gateway guide, "Policy table concepts"): every target of the
            // table's entries is one; unknown entries leave the on-premises ranges unknown.
            let tables: Vec<String> = match model
                .tgw_policy
                .association(&att.transit_gateway_attachment_id)
            {
                Some(assoc) => {
                    let ptb = match assoc {
                        crate::graph::tgw_policy::PolicyAssociation::One { table, .. } => table,
                        crate::graph::tgw_policy::PolicyAssociation::Several(t) => t[0],
                    };
                    match model.tgw_policy.entries(ptb) {
                        Some(entries) => entries
                            .iter()
                            .filter(|e| e.state.as_deref() != Some("deleted"))
                            .filter_map(|e| e.target_route_table_id.clone())
                            .collect(),
                        None => {
                            findings.add(
                                "PP016",
                                ptb,
                                format!("the entries of policy table {ptb} (associated with {}) are not in the snapshot: the on-premises ranges routed from {vpc} cannot be inferred", att.transit_gateway_attachment_id),
                                None,
                                serde_json::Value::Null,
                            );
                            Vec::new()
                        }
                    }
                }
                None if model
                    .tgw_policy_table_named_by(&att.transit_gateway_attachment_id)
                    .is_some() =>
                {
                    let (ptb, _) = model
                        .tgw_policy_table_named_by(&att.transit_gateway_attachment_id)
                        .unwrap_or_default();
                    findings.add(
                        "PP016",
                        ptb,
                        format!("{} is associated with policy table {ptb}, whose associations and entries are not in the snapshot: the on-premises ranges routed from {vpc} cannot be inferred", att.transit_gateway_attachment_id),
                        None,
                        serde_json::Value::Null,
                    );
                    Vec::new()
                }
                None => model
                    .tgw_route_table_of(&att.transit_gateway_attachment_id)
                    .map(str::to_string)
                    .into_iter()
                    .collect(),
            };
            for rt in tables {
                let list = by_rt.entry(rt).or_default();
                if !list.iter().any(|v| v == vpc) {
                    list.push(vpc.to_string());
                }
            }
        }
    }
    let mut out: Vec<OnpremEntry> = Vec::new();
    for (rt, device_vpcs) in &by_rt {
        let Some(routes) = model.tgw_routes(rt) else {
            continue;
        };
        let (account, region) = model
            .tgw_route_tables
            .get(rt.as_str())
            .map(|t| (t.loc.account.to_string(), t.loc.region.to_string()))
            .unwrap_or_default();
        let onprem_att = |att: &str| {
            model.tgw_attachments.get(att).is_some_and(|a| {
                // Connect (SD-WAN) also carries on-premises ranges; its transport is unproven.
                matches!(
                    attachment_kind(&a.resource_type),
                    AttachmentKind::OnPremises
                ) || a.resource_type == "connect"
            })
        };
        if intent.onprem_cidrs.is_empty() {
            for r in routes.iter().filter(|r| r.state == "active") {
                let Some(cidr) = r
                    .destination_cidr_block
                    .as_deref()
                    .and_then(|c| c.parse::<IpNet>().ok())
                else {
                    continue;
                };
                for att in r
                    .transit_gateway_attachments
                    .iter()
                    .filter_map(|a| a.transit_gateway_attachment_id.as_deref())
                {
                    if onprem_att(att) && !out.iter().any(|e| e.cidr == cidr && e.attachment == att)
                    {
                        out.push(OnpremEntry {
                            cidr,
                            attachment: att.to_string(),
                            device_vpcs: device_vpcs.clone(),
                            account: account.clone(),
                            region: region.clone(),
                        });
                    }
                }
            }
        } else {
            for cidr in &intent.onprem_cidrs {
                // Where the device VPCs' route table sends replies to this range: it must be an
                // on-premises attachment; say what it is otherwise.
                let why = match model.lookup_tgw(rt, cidr.network()) {
                    None => Err(format!("the routes of {rt} are not in the snapshot")),
                    Some(Err(e)) => Err(format!("the route for it in {rt} cannot be decided: {e}")),
                    Some(Ok(None)) => Err(format!("{rt} has no route for it")),
                    Some(Ok(Some(m))) if m.blackhole => Err(format!("{rt} routes it to a blackhole ({})", m.destination)),
                    Some(Ok(Some(m))) => match m.attachments.iter().find(|a| onprem_att(a)) {
                        Some(att) => Ok(att.clone()),
                        None => Err(format!("{rt} routes it ({}) to {}, not to a Direct Connect gateway, VPN or Connect attachment", m.destination, m.attachments.join(", "))),
                    },
                };
                match why {
                    Ok(att) => out.push(OnpremEntry {
                        cidr: *cidr,
                        attachment: att,
                        device_vpcs: device_vpcs.clone(),
                        account: account.clone(),
                        region: region.clone(),
                    }),
                    Err(why) => findings.add(
                        "PP016",
                        &cidr.to_string(),
                        format!("replies to on-premises {cidr} are not proven to return: {why}"),
                        None,
                        serde_json::Value::Null,
                    ),
                }
            }
        }
    }
    if intent.onprem_cidrs.is_empty() {
        unknown_onprem_ranges(model, intent, &out, findings);
    }
    out.sort_by(|a, b| (a.cidr, &a.attachment).cmp(&(b.cidr, &b.attachment)));
    out
}

/// Without on-premises ranges in the intent file, they are read from the routes device VPCs use
/// to reach on-premises. An on-premises attachment (Direct Connect gateway, VPN, Connect) on a
/// device VPC's Transit Gateway still sends on-premises traffic into the Transit Gateway when no
/// active route in those route tables leads back to it — its route was blackholed, withdrawn or
/// re-pointed — so its ranges are not in the snapshot and the replies may have nowhere to go
/// (Transit Gateway guide, "How transit gateways work": each attachment's traffic is routed by
/// the route table it is associated with; https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html).
/// Such an attachment makes the on-premises paths unproven (PP016) naming it, never silently no
/// source.
fn unknown_onprem_ranges(
    model: &Model<'_>,
    intent: &Intent,
    found: &[OnpremEntry],
    findings: &mut Findings,
) {
    let tgws: BTreeSet<&str> = intent
        .vpcs_with(Role::Device)
        .flat_map(|vpc| {
            model
                .idx
                .tgw_vpc_attachments_of_vpc(vpc)
                .iter()
                .filter(move |a| a.vpc_id == vpc && a.state == "available")
                .map(|a| a.transit_gateway_id.as_str())
        })
        .collect();
    let mut atts: Vec<_> = model
        .tgw_attachments
        .values()
        .filter(|a| tgws.contains(a.transit_gateway_id.as_str()) && a.state == "available")
        .filter(|a| {
            matches!(
                attachment_kind(&a.resource_type),
                AttachmentKind::OnPremises
            ) || a.resource_type == "connect"
        })
        .collect();
    atts.sort_by(|a, b| {
        a.transit_gateway_attachment_id
            .cmp(&b.transit_gateway_attachment_id)
    });
    for a in atts {
        let id = a.transit_gateway_attachment_id.as_str();
        if found.iter().any(|e| e.attachment == id) {
            continue;
        }
        findings.add(
            "PP016",
            id,
            format!(
                "on-premises attachment {id} ({}) is available, but no active route of a device VPC's Transit Gateway route table leads to it: the on-premises ranges behind it, and whether their replies get back, are not in the snapshot (list them in the intent file's onprem_cidrs)",
                a.resource_type
            ),
            None,
            serde_json::Value::Null,
        );
    }
}

/// A Route 53 Resolver inbound endpoint that on-premises could query: its IPv4 addresses (`Err`
/// holds an `Ip` that is not an address) and each address's status.
pub(super) struct InboundEndpoint {
    pub(super) id: String,
    pub(super) addresses: Vec<(Result<IpAddr, String>, Option<String>)>,
}

/// The Route 53 Resolver inbound endpoints of `vpc`, sorted by id. `Ok` when the endpoint
/// itself can answer plain DNS (Do53) from on-premises: operational (or updating), speaking
/// Do53, with IPv4 addresses. `Err` says why not. Whether each address is reachable, and its
/// security groups, are proven by walking to it (`dns_leg`).
pub(super) fn inbound_endpoints(
    model: &Model<'_>,
    vpc: &str,
) -> Vec<Result<InboundEndpoint, String>> {
    let mut out = Vec::new();
    let mut eps: Vec<_> = model
        .snapshot
        .regional
        .iter()
        .flat_map(|r| r.resolver_endpoints.iter().map(move |e| (r, e)))
        .filter(|(_, e)| e.host_vpc_id == vpc && e.direction.eq_ignore_ascii_case("INBOUND"))
        .collect();
    eps.sort_by(|a, b| a.1.id.cmp(&b.1.id));
    for (r, e) in eps {
        if e.status
            .as_deref()
            .is_some_and(|s| s != "OPERATIONAL" && s != "UPDATING")
        {
            out.push(Err(format!(
                "{} is {}",
                e.id,
                e.status.as_deref().unwrap_or("")
            )));
            continue;
        }
        if !e.protocols.is_empty() && !e.protocols.iter().any(|p| p == "Do53") {
            out.push(Err(format!(
                "{} accepts only {} (not plain DNS)",
                e.id,
                e.protocols.join(", ")
            )));
            continue;
        }
        // IPv6-only addresses (no `Ip`) do not serve IPv4 on-premises ranges.
        let addresses: Vec<_> = r
            .resolver_ips
            .get(&e.id)
            .into_iter()
            .flatten()
            .filter_map(|a| {
                let text = a.ip.as_deref()?;
                let ip = text.parse::<IpAddr>().map_err(|_| text.to_string());
                Some((ip, a.status.clone()))
            })
            .collect();
        if addresses.is_empty() {
            out.push(Err(format!("{} has no IPv4 addresses", e.id)));
            continue;
        }
        out.push(Ok(InboundEndpoint {
            id: e.id.clone(),
            addresses,
        }));
    }
    out
}

/// VPCs attached to the Transit Gateway of `attachment`, sorted.
pub(super) fn vpcs_on_tgw_of(model: &Model<'_>, attachment: &str) -> Vec<String> {
    let Some(tgw) = model
        .tgw_attachments
        .get(attachment)
        .map(|a| a.transit_gateway_id.as_str())
    else {
        return Vec::new();
    };
    let vpcs: BTreeSet<String> = model
        .tgw_vpc_attachments
        .values()
        .filter(|a| a.transit_gateway_id == tgw && a.state == "available")
        .map(|a| a.vpc_id.clone())
        .collect();
    vpcs.into_iter().collect()
}
