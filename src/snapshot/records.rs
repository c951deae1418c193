//! Typed records for the AWS CLI JSON files of the snapshot layout.
//!
//! Only the fields pathproof uses are declared; every other field is ignored, because AWS adds
//! fields over time and a snapshot from a newer CLI must still load. A field that is declared
//! without `default` is required: when it is missing or of the wrong type, loading fails with the
//! file and JSON path. Field names are AWS's own (PascalCase for EC2/ELB/Route 53/Resolver,
//! camelCase for IoT).
use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    pub key: String,
    #[serde(default)]
    pub value: String,
}

impl ResolverRule {
    /// The domain the rule applies to (`DomainName`, or `DelegationRecord` for DELEGATE rules).
    pub fn domain(&self) -> &str {
        self.domain_name
            .as_deref()
            .or(self.delegation_record.as_deref())
            .unwrap_or("")
    }
}

/// The value of tag `key`, if present.
pub fn tag<'a>(tags: &'a [Tag], key: &str) -> Option<&'a str> {
    tags.iter().find(|t| t.key == key).map(|t| t.value.as_str())
}

// ---------------------------------------------------------------- EC2: VPCs and subnets

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Vpc {
    pub vpc_id: String,
    #[serde(default)]
    pub owner_id: Option<String>,
    #[serde(default)]
    pub dhcp_options_id: Option<String>,
    pub cidr_block: String,
    #[serde(default)]
    pub cidr_block_association_set: Vec<CidrAssociation>,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// `describe-dhcp-options`: which DNS servers instances in a VPC are told to use.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DhcpOptions {
    pub dhcp_options_id: String,
    #[serde(default)]
    pub dhcp_configurations: Vec<DhcpConfiguration>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DhcpConfiguration {
    pub key: String,
    #[serde(default)]
    pub values: Vec<AttributeValue>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeValue {
    pub value: serde_json::Value,
}

/// `describe-vpc-attribute --attribute enableDnsSupport|enableDnsHostnames`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcAttribute {
    pub vpc_id: String,
    #[serde(default)]
    pub enable_dns_support: Option<BoolValue>,
    #[serde(default)]
    pub enable_dns_hostnames: Option<BoolValue>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BoolValue {
    pub value: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CidrAssociation {
    pub cidr_block: String,
    #[serde(default)]
    pub cidr_block_state: Option<StateCode>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StateCode {
    #[serde(default)]
    pub state: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Subnet {
    pub subnet_id: String,
    pub vpc_id: String,
    /// Absent for IPv6-only subnets.
    #[serde(default)]
    pub cidr_block: Option<String>,
    #[serde(default)]
    pub availability_zone: Option<String>,
    #[serde(default)]
    pub availability_zone_id: Option<String>,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

// ---------------------------------------------------------------- EC2: routing

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RouteTable {
    pub route_table_id: String,
    pub vpc_id: String,
    #[serde(default)]
    pub routes: Vec<Route>,
    #[serde(default)]
    pub associations: Vec<RouteTableAssociation>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RouteTableAssociation {
    #[serde(default)]
    pub main: bool,
    #[serde(default)]
    pub subnet_id: Option<String>,
    #[serde(default)]
    pub gateway_id: Option<String>,
    #[serde(default)]
    pub association_state: Option<StateCode>,
}

/// One route of a VPC route table. The target is whichever target field is set; fields this
/// version does not know are kept in `other` so that an unknown target is reported, not ignored.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Route {
    #[serde(default)]
    pub destination_cidr_block: Option<String>,
    #[serde(default)]
    pub destination_ipv6_cidr_block: Option<String>,
    #[serde(default)]
    pub destination_prefix_list_id: Option<String>,
    #[serde(default)]
    pub gateway_id: Option<String>,
    #[serde(default)]
    pub nat_gateway_id: Option<String>,
    #[serde(default)]
    pub transit_gateway_id: Option<String>,
    #[serde(default)]
    pub vpc_peering_connection_id: Option<String>,
    #[serde(default)]
    pub network_interface_id: Option<String>,
    #[serde(default)]
    pub instance_id: Option<String>,
    #[serde(default)]
    pub egress_only_internet_gateway_id: Option<String>,
    #[serde(default)]
    pub carrier_gateway_id: Option<String>,
    #[serde(default)]
    pub local_gateway_id: Option<String>,
    #[serde(default)]
    pub core_network_arn: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub origin: Option<String>,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InternetGateway {
    pub internet_gateway_id: String,
    #[serde(default)]
    pub attachments: Vec<GatewayAttachment>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EgressOnlyInternetGateway {
    pub egress_only_internet_gateway_id: String,
    #[serde(default)]
    pub attachments: Vec<GatewayAttachment>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GatewayAttachment {
    pub vpc_id: String,
    #[serde(default)]
    pub state: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NatGateway {
    pub nat_gateway_id: String,
    pub vpc_id: String,
    /// Absent for regional NAT gateways, which span Availability Zones.
    #[serde(default)]
    pub subnet_id: Option<String>,
    pub state: String,
    #[serde(default)]
    pub connectivity_type: Option<String>,
    #[serde(default)]
    pub nat_gateway_addresses: Vec<NatGatewayAddress>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NatGatewayAddress {
    #[serde(default)]
    pub private_ip: Option<String>,
    #[serde(default)]
    pub public_ip: Option<String>,
    #[serde(default)]
    pub network_interface_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcPeeringConnection {
    pub vpc_peering_connection_id: String,
    pub accepter_vpc_info: PeeringVpcInfo,
    pub requester_vpc_info: PeeringVpcInfo,
    #[serde(default)]
    pub status: Option<PeeringStatus>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PeeringVpcInfo {
    #[serde(default)]
    pub vpc_id: Option<String>,
    #[serde(default)]
    pub owner_id: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PeeringStatus {
    #[serde(default)]
    pub code: Option<String>,
}

// ---------------------------------------------------------------- EC2: endpoints and ENIs

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcEndpoint {
    pub vpc_endpoint_id: String,
    pub vpc_endpoint_type: String,
    pub vpc_id: String,
    /// Absent for resource and service-network (VPC Lattice) endpoints.
    #[serde(default)]
    pub service_name: String,
    pub state: String,
    #[serde(default)]
    pub network_interface_ids: Vec<String>,
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    #[serde(default)]
    pub groups: Vec<GroupRef>,
    #[serde(default)]
    pub dns_entries: Vec<DnsEntry>,
    #[serde(default)]
    pub private_dns_enabled: bool,
    /// `ipv4`, `dualstack` or `ipv6`.
    #[serde(default)]
    pub ip_address_type: Option<String>,
    #[serde(default)]
    pub dns_options: Option<DnsOptions>,
    #[serde(default)]
    pub policy_document: Option<String>,
    #[serde(default)]
    pub owner_id: Option<String>,
}

/// `VpcEndpoints[].DnsOptions`: which DNS records the endpoint's names get.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DnsOptions {
    /// `ipv4`, `dualstack`, `ipv6` or `service-defined`.
    #[serde(default)]
    pub dns_record_ip_type: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupRef {
    pub group_id: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DnsEntry {
    #[serde(default)]
    pub dns_name: Option<String>,
    #[serde(default)]
    pub hosted_zone_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ServiceConfiguration {
    pub service_id: String,
    pub service_name: String,
    #[serde(default)]
    pub acceptance_required: Option<bool>,
    #[serde(default)]
    pub network_load_balancer_arns: Vec<String>,
    #[serde(default)]
    pub gateway_load_balancer_arns: Vec<String>,
    #[serde(default)]
    pub service_state: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AllowedPrincipal {
    #[serde(default)]
    pub principal_type: Option<String>,
    pub principal: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkInterface {
    pub network_interface_id: String,
    pub subnet_id: String,
    pub vpc_id: String,
    #[serde(default)]
    pub interface_type: Option<String>,
    #[serde(default)]
    pub private_ip_address: Option<String>,
    #[serde(default)]
    pub private_ip_addresses: Vec<PrivateIp>,
    #[serde(default)]
    pub groups: Vec<GroupRef>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub attachment: Option<EniAttachment>,
    #[serde(default)]
    pub requester_managed: Option<bool>,
    #[serde(default)]
    pub owner_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrivateIp {
    pub private_ip_address: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EniAttachment {
    #[serde(default)]
    pub instance_id: Option<String>,
}

// ---------------------------------------------------------------- EC2: filters

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityGroup {
    pub group_id: String,
    #[serde(default)]
    pub group_name: Option<String>,
    #[serde(default)]
    pub vpc_id: Option<String>,
    #[serde(default)]
    pub ip_permissions: Vec<IpPermission>,
    #[serde(default)]
    pub ip_permissions_egress: Vec<IpPermission>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IpPermission {
    pub ip_protocol: String,
    #[serde(default)]
    pub from_port: Option<i64>,
    #[serde(default)]
    pub to_port: Option<i64>,
    #[serde(default)]
    pub ip_ranges: Vec<IpRange>,
    #[serde(default)]
    pub ipv6_ranges: Vec<Ipv6Range>,
    #[serde(default)]
    pub prefix_list_ids: Vec<PrefixListRef>,
    #[serde(default)]
    pub user_id_group_pairs: Vec<UserIdGroupPair>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IpRange {
    pub cidr_ip: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Ipv6Range {
    pub cidr_ipv6: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrefixListRef {
    pub prefix_list_id: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserIdGroupPair {
    #[serde(default)]
    pub group_id: Option<String>,
    #[serde(default)]
    pub user_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkAcl {
    pub network_acl_id: String,
    pub vpc_id: String,
    #[serde(default)]
    pub is_default: bool,
    #[serde(default)]
    pub entries: Vec<NaclEntry>,
    #[serde(default)]
    pub associations: Vec<NaclAssociation>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NaclEntry {
    pub rule_number: i64,
    pub protocol: String,
    pub rule_action: String,
    pub egress: bool,
    #[serde(default)]
    pub cidr_block: Option<String>,
    #[serde(default)]
    pub ipv6_cidr_block: Option<String>,
    #[serde(default)]
    pub port_range: Option<PortRange>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PortRange {
    pub from: i64,
    pub to: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NaclAssociation {
    pub subnet_id: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManagedPrefixList {
    pub prefix_list_id: String,
    #[serde(default)]
    pub prefix_list_name: Option<String>,
    /// `IPv4` or `IPv6`.
    #[serde(default)]
    pub address_family: Option<String>,
    /// Absent for AWS-managed lists.
    #[serde(default)]
    pub max_entries: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrefixListEntry {
    pub cidr: String,
}

// ---------------------------------------------------------------- EC2: Transit Gateway and VPN

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TransitGateway {
    pub transit_gateway_id: String,
    #[serde(default)]
    pub owner_id: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TgwAttachment {
    pub transit_gateway_attachment_id: String,
    pub transit_gateway_id: String,
    #[serde(default)]
    pub transit_gateway_owner_id: Option<String>,
    pub resource_type: String,
    #[serde(default)]
    pub resource_id: Option<String>,
    #[serde(default)]
    pub resource_owner_id: Option<String>,
    pub state: String,
    #[serde(default)]
    pub association: Option<TgwAttachmentAssociation>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TgwAttachmentAssociation {
    pub transit_gateway_route_table_id: String,
    #[serde(default)]
    pub state: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TgwVpcAttachment {
    pub transit_gateway_attachment_id: String,
    pub transit_gateway_id: String,
    pub vpc_id: String,
    pub state: String,
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    #[serde(default)]
    pub options: Option<TgwVpcAttachmentOptions>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TgwVpcAttachmentOptions {
    #[serde(default)]
    pub appliance_mode_support: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TgwRouteTable {
    pub transit_gateway_route_table_id: String,
    pub transit_gateway_id: String,
    #[serde(default)]
    pub state: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TgwRoute {
    #[serde(default)]
    pub destination_cidr_block: Option<String>,
    #[serde(default)]
    pub prefix_list_id: Option<String>,
    #[serde(default)]
    pub transit_gateway_attachments: Vec<TgwRouteAttachment>,
    #[serde(default)]
    pub r#type: Option<String>,
    pub state: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TgwRouteAttachment {
    #[serde(default)]
    pub transit_gateway_attachment_id: Option<String>,
    #[serde(default)]
    pub resource_id: Option<String>,
    #[serde(default)]
    pub resource_type: Option<String>,
}

/// `search-transit-gateway-routes` output: not paginated; `AdditionalRoutesAvailable` true means
/// the file is incomplete.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TgwRouteSearch {
    pub routes: Vec<TgwRoute>,
    #[serde(default)]
    pub additional_routes_available: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TgwRouteTableAssociation {
    pub transit_gateway_attachment_id: String,
    #[serde(default)]
    pub state: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpnConnection {
    pub vpn_connection_id: String,
    pub state: String,
    #[serde(default)]
    pub transit_gateway_id: Option<String>,
    #[serde(default)]
    pub vpn_gateway_id: Option<String>,
    #[serde(default)]
    pub options: Option<VpnOptions>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpnOptions {
    #[serde(default)]
    pub outside_ip_address_type: Option<String>,
    #[serde(default)]
    pub transport_transit_gateway_attachment_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpnGateway {
    pub vpn_gateway_id: String,
    #[serde(default)]
    pub vpc_attachments: Vec<GatewayAttachment>,
}

// ---------------------------------------------------------------- ELBv2

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LoadBalancer {
    pub load_balancer_arn: String,
    pub load_balancer_name: String,
    #[serde(rename = "DNSName", default)]
    pub dns_name: Option<String>,
    pub scheme: String,
    pub r#type: String,
    #[serde(default)]
    pub vpc_id: Option<String>,
    #[serde(default)]
    pub availability_zones: Vec<LbAvailabilityZone>,
    #[serde(default)]
    pub security_groups: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LbAvailabilityZone {
    #[serde(default)]
    pub subnet_id: Option<String>,
    #[serde(default)]
    pub load_balancer_addresses: Vec<LbAddress>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LbAddress {
    #[serde(rename = "PrivateIPv4Address", default)]
    pub private_ipv4_address: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetGroup {
    pub target_group_arn: String,
    pub target_group_name: String,
    #[serde(default)]
    pub target_type: Option<String>,
    #[serde(default)]
    pub port: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Listener {
    pub listener_arn: String,
    /// Absent for Gateway Load Balancer listeners.
    #[serde(default)]
    pub port: Option<i64>,
    #[serde(default)]
    pub protocol: Option<String>,
    #[serde(default)]
    pub default_actions: Vec<ListenerAction>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListenerAction {
    pub r#type: String,
    #[serde(default)]
    pub target_group_arn: Option<String>,
    #[serde(default)]
    pub forward_config: Option<ForwardConfig>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ForwardConfig {
    #[serde(default)]
    pub target_groups: Vec<WeightedTargetGroup>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WeightedTargetGroup {
    pub target_group_arn: String,
    #[serde(default)]
    pub weight: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetHealthDescription {
    pub target: TargetDescription,
    #[serde(default)]
    pub target_health: Option<TargetHealth>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetDescription {
    pub id: String,
    #[serde(default)]
    pub port: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetHealth {
    #[serde(default)]
    pub state: Option<String>,
}

// ---------------------------------------------------------------- Route 53 Resolver

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResolverEndpoint {
    pub id: String,
    pub direction: String,
    #[serde(rename = "HostVPCId")]
    pub host_vpc_id: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub security_group_ids: Vec<String>,
    /// `Do53`, `DoH`, `DoH-FIPS`; absent in older output (= Do53).
    #[serde(default)]
    pub protocols: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResolverIpAddress {
    #[serde(default)]
    pub ip: Option<String>,
    #[serde(default)]
    pub subnet_id: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResolverRule {
    pub id: String,
    /// Absent for DELEGATE rules, which use `DelegationRecord`.
    #[serde(default)]
    pub domain_name: Option<String>,
    /// The delegated domain of a DELEGATE rule.
    #[serde(default)]
    pub delegation_record: Option<String>,
    pub rule_type: String,
    #[serde(default)]
    pub status: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResolverRuleAssociation {
    pub resolver_rule_id: String,
    #[serde(rename = "VPCId")]
    pub vpc_id: String,
    #[serde(default)]
    pub status: Option<String>,
}

// ---------------------------------------------------------------- IoT

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IotEndpoint {
    pub endpoint_address: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IotPolicySummary {
    pub policy_name: String,
    #[serde(default)]
    pub policy_arn: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IotPolicy {
    pub policy_name: String,
    #[serde(default)]
    pub policy_arn: Option<String>,
    /// The policy document as a JSON string, exactly as the CLI prints it; parsed by `policy`.
    pub policy_document: String,
}

// ---------------------------------------------------------------- Route 53

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HostedZone {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub config: Option<HostedZoneConfig>,
}

impl HostedZone {
    /// The zone id without the `/hostedzone/` prefix, as used in file names.
    pub fn short_id(&self) -> &str {
        self.id.strip_prefix("/hostedzone/").unwrap_or(&self.id)
    }
    pub fn is_private(&self) -> bool {
        self.config.as_ref().is_some_and(|c| c.private_zone)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HostedZoneConfig {
    #[serde(default)]
    pub private_zone: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ZoneVpc {
    #[serde(rename = "VPCRegion")]
    pub vpc_region: String,
    #[serde(rename = "VPCId")]
    pub vpc_id: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetHostedZone {
    pub hosted_zone: HostedZone,
    #[serde(rename = "VPCs", default)]
    pub vpcs: Vec<ZoneVpc>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceRecordSet {
    pub name: String,
    pub r#type: String,
    #[serde(default)]
    pub resource_records: Vec<ResourceRecord>,
    #[serde(default)]
    pub alias_target: Option<AliasTarget>,
    #[serde(default)]
    pub set_identifier: Option<String>,
    /// Weighted record sets only.
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub health_check_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceRecord {
    pub value: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AliasTarget {
    pub hosted_zone_id: String,
    #[serde(rename = "DNSName")]
    pub dns_name: String,
    #[serde(default)]
    pub evaluate_target_health: bool,
}
