//! Typed records for the AWS CLI JSON files of the snapshot layout.
//!
//! Only the fields pathproof uses are declared; every other field is ignored, because AWS adds
//! fields over time and a snapshot from a newer CLI must still load. Field names are AWS's own
//! (PascalCase for EC2/ELB/Route 53/Resolver, camelCase for IoT).
//!
//! - A field declared without `default` is one the model needs. When it is missing, the reader
//!   leaves the record out with a gap (PP017) naming the file and JSON path, because AWS's model
//!   allows omitting nearly every output member; only a member botocore marks required
//!   (`botocore-required.tsv`) is an input error when missing.
//! - `Option` fields use [`v::present`] (or a validator): omitted is `None`, `null` is an error.
//! - CIDRs, addresses, ports and keys that become file names are validated at decode time
//!   (`valid.rs`), keeping the field type, so an invalid value is an error with its JSON path.
//! - Records derive `Serialize` (with the same names) so copies of one resource from two accounts
//!   can be compared field by field (`consistency.rs`).
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::valid as v;
use serde_json::Value;

#[derive(Debug, Clone, Deserialize, Serialize)]
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

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Vpc {
    /// Becomes a file name (`describe-vpc-attribute/<vpc-id>-…`): validated.
    #[serde(deserialize_with = "v::vpc_id")]
    pub vpc_id: String,
    #[serde(default, deserialize_with = "v::present")]
    pub owner_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub dhcp_options_id: Option<String>,
    #[serde(deserialize_with = "v::cidr4")]
    pub cidr_block: String,
    #[serde(default)]
    pub cidr_block_association_set: Vec<CidrAssociation>,
    #[serde(default)]
    pub tags: Vec<Tag>,
    /// Block Public Access as it applies to this VPC (context only; not compared between
    /// copies: it is what the viewer's account-level setting makes of it).
    #[serde(default, deserialize_with = "v::present", skip_serializing)]
    pub block_public_access_states: Option<BlockPublicAccessStates>,
}

/// `describe-dhcp-options`: which DNS servers instances in a VPC are told to use.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DhcpOptions {
    pub dhcp_options_id: String,
    #[serde(default, deserialize_with = "v::present")]
    pub owner_id: Option<String>,
    #[serde(default)]
    pub dhcp_configurations: Vec<DhcpConfiguration>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DhcpConfiguration {
    pub key: String,
    #[serde(default)]
    pub values: Vec<AttributeValue>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeValue {
    #[serde(deserialize_with = "v::not_null")]
    pub value: serde_json::Value,
}

/// `describe-vpc-attribute --attribute enableDnsSupport|enableDnsHostnames`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcAttribute {
    #[serde(default, deserialize_with = "v::present")]
    pub vpc_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub enable_dns_support: Option<BoolValue>,
    #[serde(default, deserialize_with = "v::present")]
    pub enable_dns_hostnames: Option<BoolValue>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BoolValue {
    pub value: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CidrAssociation {
    #[serde(deserialize_with = "v::cidr4")]
    pub cidr_block: String,
    #[serde(default, deserialize_with = "v::present")]
    pub cidr_block_state: Option<StateCode>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StateCode {
    #[serde(default, deserialize_with = "v::present")]
    pub state: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Subnet {
    pub subnet_id: String,
    pub vpc_id: String,
    #[serde(default, deserialize_with = "v::present")]
    pub owner_id: Option<String>,
    /// Absent for IPv6-only subnets.
    #[serde(default, deserialize_with = "v::opt_cidr4")]
    pub cidr_block: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub availability_zone: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub availability_zone_id: Option<String>,
    #[serde(default)]
    pub tags: Vec<Tag>,
    /// The subnet's IPv6 CIDR (EC2 API reference, `Subnet.Ipv6CidrBlockAssociationSet`).
    #[serde(default)]
    pub ipv6_cidr_block_association_set: Vec<SubnetIpv6Cidr>,
    /// DNS64 on the subnet: the Resolver synthesizes `64:ff9b::/96` AAAA answers for names that
    /// have only A records (VPC user guide, "DNS64 and NAT64").
    #[serde(default, deserialize_with = "v::present")]
    pub enable_dns64: Option<bool>,
    #[serde(default, deserialize_with = "v::present")]
    pub ipv6_native: Option<bool>,
    /// Block Public Access as it applies to this subnet (context only, not compared).
    #[serde(default, deserialize_with = "v::present", skip_serializing)]
    pub block_public_access_states: Option<BlockPublicAccessStates>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SubnetIpv6Cidr {
    #[serde(default, deserialize_with = "v::opt_cidr6")]
    pub ipv6_cidr_block: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub ipv6_cidr_block_state: Option<StateCode>,
}

// ---------------------------------------------------------------- EC2: routing

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RouteTable {
    pub route_table_id: String,
    pub vpc_id: String,
    #[serde(default, deserialize_with = "v::present")]
    pub owner_id: Option<String>,
    #[serde(default)]
    pub routes: Vec<Route>,
    #[serde(default)]
    pub associations: Vec<RouteTableAssociation>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RouteTableAssociation {
    #[serde(default)]
    pub main: bool,
    #[serde(default, deserialize_with = "v::present")]
    pub subnet_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub gateway_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub association_state: Option<StateCode>,
}

/// One route of a VPC route table. The target is whichever target field is set; fields this
/// version does not know are kept in `other` so that an unknown target is reported, not ignored.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Route {
    #[serde(default, deserialize_with = "v::opt_cidr4")]
    pub destination_cidr_block: Option<String>,
    #[serde(default, deserialize_with = "v::opt_cidr6")]
    pub destination_ipv6_cidr_block: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub destination_prefix_list_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub gateway_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub nat_gateway_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub transit_gateway_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub vpc_peering_connection_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub network_interface_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub instance_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub egress_only_internet_gateway_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub carrier_gateway_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub local_gateway_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub core_network_arn: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub state: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub origin: Option<String>,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InternetGateway {
    pub internet_gateway_id: String,
    #[serde(default, deserialize_with = "v::present")]
    pub owner_id: Option<String>,
    #[serde(default)]
    pub attachments: Vec<GatewayAttachment>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EgressOnlyInternetGateway {
    pub egress_only_internet_gateway_id: String,
    #[serde(default)]
    pub attachments: Vec<GatewayAttachment>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GatewayAttachment {
    pub vpc_id: String,
    #[serde(default, deserialize_with = "v::present")]
    pub state: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NatGateway {
    pub nat_gateway_id: String,
    pub vpc_id: String,
    /// Absent for regional NAT gateways, which span Availability Zones.
    #[serde(default, deserialize_with = "v::present")]
    pub subnet_id: Option<String>,
    pub state: String,
    #[serde(default, deserialize_with = "v::present")]
    pub connectivity_type: Option<String>,
    #[serde(default)]
    pub nat_gateway_addresses: Vec<NatGatewayAddress>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NatGatewayAddress {
    #[serde(default, deserialize_with = "v::opt_ip4")]
    pub private_ip: Option<String>,
    #[serde(default, deserialize_with = "v::opt_ip4")]
    pub public_ip: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub network_interface_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcPeeringConnection {
    pub vpc_peering_connection_id: String,
    pub accepter_vpc_info: PeeringVpcInfo,
    pub requester_vpc_info: PeeringVpcInfo,
    #[serde(default, deserialize_with = "v::present")]
    pub status: Option<PeeringStatus>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PeeringVpcInfo {
    #[serde(default, deserialize_with = "v::present")]
    pub vpc_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub owner_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub region: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PeeringStatus {
    #[serde(default, deserialize_with = "v::present")]
    pub code: Option<String>,
}

// ---------------------------------------------------------------- EC2: endpoints and ENIs

#[derive(Debug, Clone, Deserialize, Serialize)]
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
    #[serde(default, deserialize_with = "v::present")]
    pub ip_address_type: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub dns_options: Option<DnsOptions>,
    #[serde(default, deserialize_with = "v::present")]
    pub policy_document: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub owner_id: Option<String>,
    /// The Region of the endpoint service, for cross-Region PrivateLink (EC2 API reference,
    /// `VpcEndpoint.ServiceRegion`); absent or the endpoint's own Region otherwise.
    #[serde(default, deserialize_with = "v::opt_region")]
    pub service_region: Option<String>,
}

/// `VpcEndpoints[].DnsOptions`: which DNS records the endpoint's names get.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DnsOptions {
    /// `ipv4`, `dualstack`, `ipv6` or `service-defined`.
    #[serde(default, deserialize_with = "v::present")]
    pub dns_record_ip_type: Option<String>,
    /// VPC Lattice resource and service-network endpoints: which custom domains get private DNS
    /// (`VERIFIED_DOMAINS_ONLY`, `ALL_DOMAINS`, `VERIFIED_DOMAINS_AND_SPECIFIED_DOMAINS`,
    /// `SPECIFIED_DOMAINS_ONLY`).
    #[serde(default, deserialize_with = "v::present")]
    pub private_dns_preference: Option<String>,
    #[serde(default)]
    pub private_dns_specified_domains: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupRef {
    pub group_id: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DnsEntry {
    #[serde(default, deserialize_with = "v::present")]
    pub dns_name: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub hosted_zone_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ServiceConfiguration {
    /// Becomes a file name (`describe-vpc-endpoint-service-permissions/<id>.json`): validated.
    #[serde(deserialize_with = "v::endpoint_service_id")]
    pub service_id: String,
    pub service_name: String,
    #[serde(default, deserialize_with = "v::present")]
    pub acceptance_required: Option<bool>,
    #[serde(default)]
    pub network_load_balancer_arns: Vec<String>,
    #[serde(default)]
    pub gateway_load_balancer_arns: Vec<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub service_state: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AllowedPrincipal {
    #[serde(default, deserialize_with = "v::present")]
    pub principal_type: Option<String>,
    pub principal: String,
    /// The endpoint service the permission is for (newer CLIs print it).
    #[serde(default, deserialize_with = "v::present")]
    pub service_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkInterface {
    pub network_interface_id: String,
    pub subnet_id: String,
    pub vpc_id: String,
    #[serde(default, deserialize_with = "v::present")]
    pub interface_type: Option<String>,
    #[serde(default, deserialize_with = "v::opt_ip4")]
    pub private_ip_address: Option<String>,
    #[serde(default)]
    pub private_ip_addresses: Vec<PrivateIp>,
    #[serde(default)]
    pub groups: Vec<GroupRef>,
    #[serde(default, deserialize_with = "v::present")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub attachment: Option<EniAttachment>,
    #[serde(default, deserialize_with = "v::present")]
    pub requester_managed: Option<bool>,
    #[serde(default, deserialize_with = "v::present")]
    pub owner_id: Option<String>,
    /// IPv6 addresses (EC2 API reference, `NetworkInterface.Ipv6Addresses`).
    #[serde(default)]
    pub ipv6_addresses: Vec<EniIpv6Address>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EniIpv6Address {
    #[serde(default, deserialize_with = "v::opt_ip6")]
    pub ipv6_address: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrivateIp {
    #[serde(deserialize_with = "v::ip4")]
    pub private_ip_address: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EniAttachment {
    #[serde(default, deserialize_with = "v::present")]
    pub instance_id: Option<String>,
}

// ---------------------------------------------------------------- EC2: filters

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityGroup {
    pub group_id: String,
    #[serde(default, deserialize_with = "v::present")]
    pub owner_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub group_name: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub vpc_id: Option<String>,
    #[serde(default)]
    pub ip_permissions: Vec<IpPermission>,
    #[serde(default)]
    pub ip_permissions_egress: Vec<IpPermission>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IpPermission {
    pub ip_protocol: String,
    #[serde(default, deserialize_with = "v::opt_sg_port")]
    pub from_port: Option<i64>,
    #[serde(default, deserialize_with = "v::opt_sg_port")]
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

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IpRange {
    #[serde(deserialize_with = "v::cidr4")]
    pub cidr_ip: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Ipv6Range {
    #[serde(deserialize_with = "v::cidr6")]
    pub cidr_ipv6: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrefixListRef {
    pub prefix_list_id: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserIdGroupPair {
    #[serde(default, deserialize_with = "v::present")]
    pub group_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub user_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkAcl {
    pub network_acl_id: String,
    pub vpc_id: String,
    #[serde(default, deserialize_with = "v::present")]
    pub owner_id: Option<String>,
    #[serde(default)]
    pub is_default: bool,
    #[serde(default)]
    pub entries: Vec<NaclEntry>,
    #[serde(default)]
    pub associations: Vec<NaclAssociation>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NaclEntry {
    #[serde(deserialize_with = "v::rule_number")]
    pub rule_number: i64,
    pub protocol: String,
    pub rule_action: String,
    pub egress: bool,
    #[serde(default, deserialize_with = "v::opt_cidr4")]
    pub cidr_block: Option<String>,
    #[serde(default, deserialize_with = "v::opt_cidr6")]
    pub ipv6_cidr_block: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub port_range: Option<PortRange>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PortRange {
    #[serde(deserialize_with = "v::port")]
    pub from: i64,
    #[serde(deserialize_with = "v::port")]
    pub to: i64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NaclAssociation {
    pub subnet_id: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManagedPrefixList {
    /// Becomes a file name (`get-managed-prefix-list-entries/<id>.json`): validated.
    #[serde(deserialize_with = "v::prefix_list_id")]
    pub prefix_list_id: String,
    #[serde(default, deserialize_with = "v::present")]
    pub owner_id: Option<String>,
    /// `IPv4` or `IPv6`; every entry must be of this family.
    #[serde(default, deserialize_with = "v::present")]
    pub address_family: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub prefix_list_name: Option<String>,
    /// Absent for AWS-managed lists.
    #[serde(default, deserialize_with = "v::present")]
    pub max_entries: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrefixListEntry {
    #[serde(deserialize_with = "v::cidr")]
    pub cidr: String,
}

// ---------------------------------------------------------------- EC2: Transit Gateway and VPN

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TransitGateway {
    pub transit_gateway_id: String,
    #[serde(default, deserialize_with = "v::present")]
    pub owner_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub state: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TgwAttachment {
    pub transit_gateway_attachment_id: String,
    pub transit_gateway_id: String,
    #[serde(default, deserialize_with = "v::present")]
    pub transit_gateway_owner_id: Option<String>,
    pub resource_type: String,
    #[serde(default, deserialize_with = "v::present")]
    pub resource_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub resource_owner_id: Option<String>,
    pub state: String,
    #[serde(default, deserialize_with = "v::present")]
    pub association: Option<TgwAttachmentAssociation>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TgwAttachmentAssociation {
    /// Optional in AWS's model (TransitGatewayAttachmentAssociation): an attachment associated
    /// with a policy table shows `TransitGatewayPolicyTableId` instead.
    #[serde(default, deserialize_with = "v::present")]
    pub transit_gateway_route_table_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub transit_gateway_policy_table_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub state: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TgwVpcAttachment {
    pub transit_gateway_attachment_id: String,
    pub transit_gateway_id: String,
    pub vpc_id: String,
    #[serde(default, deserialize_with = "v::present")]
    pub vpc_owner_id: Option<String>,
    pub state: String,
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub options: Option<TgwVpcAttachmentOptions>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TgwVpcAttachmentOptions {
    #[serde(default, deserialize_with = "v::present")]
    pub appliance_mode_support: Option<String>,
    /// `enable`/`disable`: whether the TGW's interfaces get IPv6 addresses and IPv6 VPC CIDRs
    /// propagate; "The setting does not filter IPv6 traffic" (EC2 API reference,
    /// `CreateTransitGatewayVpcAttachmentRequestOptions.Ipv6Support`).
    #[serde(default, deserialize_with = "v::present")]
    pub ipv6_support: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TgwRouteTable {
    /// Becomes a file name (`search-transit-gateway-routes/<id>.json`, …): validated.
    #[serde(deserialize_with = "v::tgw_route_table_id")]
    pub transit_gateway_route_table_id: String,
    pub transit_gateway_id: String,
    #[serde(default, deserialize_with = "v::present")]
    pub state: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TgwRoute {
    /// IPv4 or IPv6: Transit Gateway routes hold both in this field.
    #[serde(default, deserialize_with = "v::opt_cidr")]
    pub destination_cidr_block: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub prefix_list_id: Option<String>,
    #[serde(default)]
    pub transit_gateway_attachments: Vec<TgwRouteAttachment>,
    #[serde(default, deserialize_with = "v::present")]
    pub r#type: Option<String>,
    pub state: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TgwRouteAttachment {
    #[serde(default, deserialize_with = "v::present")]
    pub transit_gateway_attachment_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub resource_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub resource_type: Option<String>,
}

/// `search-transit-gateway-routes` output: not paginated; `AdditionalRoutesAvailable` true means
/// the file is incomplete.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TgwRouteSearch {
    pub routes: Vec<TgwRoute>,
    /// Required here although AWS's model allows omitting it: without it the file may be
    /// truncated, so a file that lacks it is incomplete evidence.
    pub additional_routes_available: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TgwRouteTableAssociation {
    pub transit_gateway_attachment_id: String,
    #[serde(default, deserialize_with = "v::present")]
    pub state: Option<String>,
}

// ------------------------------------------- EC2: VPC Block Public Access (extension)

/// `describe-vpc-block-public-access-options` (VpcBlockPublicAccessOptions; VPC User Guide,
/// "Block public access to VPCs and subnets").
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcBpaOptions {
    #[serde(default, deserialize_with = "v::present")]
    pub aws_account_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub aws_region: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub state: Option<String>,
    /// `off`, `block-bidirectional` or `block-ingress`.
    #[serde(default, deserialize_with = "v::present")]
    pub internet_gateway_block_mode: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub exclusions_allowed: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub managed_by: Option<String>,
}

/// The file `describe-vpc-block-public-access-options` prints.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcBpaOptionsFile {
    pub vpc_block_public_access_options: VpcBpaOptions,
}

/// `describe-vpc-block-public-access-exclusions` (VpcBlockPublicAccessExclusion).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcBpaExclusion {
    pub exclusion_id: String,
    /// `allow-bidirectional` or `allow-egress`.
    #[serde(default, deserialize_with = "v::present")]
    pub internet_gateway_exclusion_mode: Option<String>,
    /// The VPC or subnet ARN.
    #[serde(default, deserialize_with = "v::present")]
    pub resource_arn: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub state: Option<String>,
}

/// `BlockPublicAccessStates` of a VPC or subnet.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BlockPublicAccessStates {
    #[serde(default, deserialize_with = "v::present")]
    pub internet_gateway_block_mode: Option<String>,
}

// ------------------------------------------- EC2: Transit Gateway policy tables (extension)

/// `describe-transit-gateway-policy-tables` (Transit Gateway guide, "Transit gateway policy
/// tables"; EC2 API Reference, TransitGatewayPolicyTable).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TgwPolicyTable {
    /// Becomes a file name (`get-transit-gateway-policy-table-entries/<id>.json`): validated.
    #[serde(deserialize_with = "v::tgw_policy_table_id")]
    pub transit_gateway_policy_table_id: String,
    pub transit_gateway_id: String,
    #[serde(default, deserialize_with = "v::present")]
    pub state: Option<String>,
}

/// `get-transit-gateway-policy-table-associations` (TransitGatewayPolicyTableAssociation).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TgwPolicyTableAssociation {
    #[serde(default, deserialize_with = "v::present")]
    pub transit_gateway_policy_table_id: Option<String>,
    pub transit_gateway_attachment_id: String,
    #[serde(default, deserialize_with = "v::present")]
    pub state: Option<String>,
}

/// `get-transit-gateway-policy-table-entries` (TransitGatewayPolicyTableEntry).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TgwPolicyTableEntry {
    /// A string in AWS's model; rules are evaluated in ascending numeric order.
    pub policy_rule_number: String,
    #[serde(default, deserialize_with = "v::present")]
    pub policy_rule: Option<TgwPolicyRule>,
    #[serde(default, deserialize_with = "v::present")]
    pub target_route_table_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub state: Option<String>,
}

/// TransitGatewayPolicyRule: every member optional; an omitted one matches anything.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TgwPolicyRule {
    #[serde(default, deserialize_with = "v::opt_cidr")]
    pub source_cidr_block: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub source_port_range: Option<String>,
    #[serde(default, deserialize_with = "v::opt_cidr")]
    pub destination_cidr_block: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub destination_port_range: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub protocol: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub meta_data: Option<TgwPolicyRuleMetaData>,
}

/// TransitGatewayPolicyRuleMetaData: a key-value pair the packet carries (Cloud WAN segment
/// metadata), not a packet header field pathproof can see.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TgwPolicyRuleMetaData {
    #[serde(default, deserialize_with = "v::present")]
    pub meta_data_key: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub meta_data_value: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpnConnection {
    pub vpn_connection_id: String,
    pub state: String,
    #[serde(default, deserialize_with = "v::present")]
    pub transit_gateway_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub vpn_gateway_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub options: Option<VpnOptions>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpnOptions {
    #[serde(default, deserialize_with = "v::present")]
    pub outside_ip_address_type: Option<String>,
    /// `true`: static routing, no BGP session with the customer gateway.
    #[serde(default, deserialize_with = "v::present")]
    pub static_routes_only: Option<bool>,
    #[serde(default, deserialize_with = "v::present")]
    pub transport_transit_gateway_attachment_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpnGateway {
    pub vpn_gateway_id: String,
    #[serde(default)]
    pub vpc_attachments: Vec<GatewayAttachment>,
}

// ---------------------------------------------------------------- ELBv2

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LoadBalancer {
    pub load_balancer_arn: String,
    /// Becomes a file name (`describe-listeners/<name>.json`): validated.
    #[serde(deserialize_with = "v::elb_name")]
    pub load_balancer_name: String,
    #[serde(rename = "DNSName", default, deserialize_with = "v::present")]
    pub dns_name: Option<String>,
    /// `internal` or `internet-facing`; absent for Gateway Load Balancers (see [`Self::exposure`]).
    #[serde(default, deserialize_with = "v::present")]
    pub scheme: Option<String>,
    pub r#type: String,
    #[serde(default, deserialize_with = "v::present")]
    pub vpc_id: Option<String>,
    #[serde(default)]
    pub availability_zones: Vec<LbAvailabilityZone>,
    #[serde(default)]
    pub security_groups: Vec<String>,
    /// `State.Code`: `active`, `provisioning`, `active_impaired`, `failed` (ELB API reference,
    /// LoadBalancerState).
    #[serde(default, deserialize_with = "v::present")]
    pub state: Option<LbState>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LbState {
    #[serde(default, deserialize_with = "v::present")]
    pub code: Option<String>,
}

/// Whether a load balancer can be reached from the internet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exposure {
    Internal,
    InternetFacing,
    /// No `Scheme` on a load balancer that is not a Gateway Load Balancer: unknown, so neither
    /// internal nor internet-facing can be proven.
    Unknown,
}

impl LoadBalancer {
    /// `Scheme` `internal` is internal; any other value is internet-facing (fail closed). A Gateway
    /// Load Balancer has no scheme (ELB API Reference, CreateLoadBalancer: "You can't specify a
    /// scheme for a Gateway Load Balancer"); it is reached only through Gateway Load Balancer
    /// endpoints in route tables, never from the internet directly, so it is internal. Any other
    /// load balancer without a scheme is [`Exposure::Unknown`].
    pub fn exposure(&self) -> Exposure {
        match self.scheme.as_deref() {
            Some("internal") => Exposure::Internal,
            Some(_) => Exposure::InternetFacing,
            None if self.r#type == "gateway" => Exposure::Internal,
            None => Exposure::Unknown,
        }
    }

    /// The scheme as printed, or `(none)`.
    pub fn scheme_text(&self) -> &str {
        self.scheme.as_deref().unwrap_or("(none)")
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LbAvailabilityZone {
    #[serde(default, deserialize_with = "v::present")]
    pub subnet_id: Option<String>,
    #[serde(default)]
    pub load_balancer_addresses: Vec<LbAddress>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LbAddress {
    #[serde(
        rename = "PrivateIPv4Address",
        default,
        deserialize_with = "v::opt_ip4"
    )]
    pub private_ipv4_address: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetGroup {
    pub target_group_arn: String,
    /// Becomes a file name (`describe-target-health/<name>.json`): validated.
    #[serde(deserialize_with = "v::elb_name")]
    pub target_group_name: String,
    #[serde(default, deserialize_with = "v::present")]
    pub target_type: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub port: Option<i64>,
    /// `TCP`, `TLS`, `UDP`, `TCP_UDP`, … (absent for Lambda targets).
    #[serde(default, deserialize_with = "v::present")]
    pub protocol: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Listener {
    pub listener_arn: String,
    /// Must be the load balancer the file is named after.
    #[serde(default, deserialize_with = "v::present")]
    pub load_balancer_arn: Option<String>,
    /// Absent for Gateway Load Balancer listeners.
    #[serde(default, deserialize_with = "v::opt_port")]
    pub port: Option<i64>,
    #[serde(default, deserialize_with = "v::present")]
    pub protocol: Option<String>,
    #[serde(default)]
    pub default_actions: Vec<ListenerAction>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListenerAction {
    pub r#type: String,
    #[serde(default, deserialize_with = "v::present")]
    pub target_group_arn: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub forward_config: Option<ForwardConfig>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ForwardConfig {
    #[serde(default)]
    pub target_groups: Vec<WeightedTargetGroup>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct WeightedTargetGroup {
    pub target_group_arn: String,
    #[serde(default, deserialize_with = "v::present")]
    pub weight: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetHealthDescription {
    pub target: TargetDescription,
    #[serde(default, deserialize_with = "v::present")]
    pub target_health: Option<TargetHealth>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetDescription {
    pub id: String,
    #[serde(default, deserialize_with = "v::opt_port")]
    pub port: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetHealth {
    #[serde(default, deserialize_with = "v::present")]
    pub state: Option<String>,
}

// ---------------------------------------------------------------- Route 53 Resolver

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResolverEndpoint {
    /// Becomes a file name (`list-resolver-endpoint-ip-addresses/<id>.json`): validated.
    #[serde(deserialize_with = "v::resolver_endpoint_id")]
    pub id: String,
    pub direction: String,
    #[serde(rename = "HostVPCId")]
    pub host_vpc_id: String,
    #[serde(default, deserialize_with = "v::present")]
    pub status: Option<String>,
    #[serde(default)]
    pub security_group_ids: Vec<String>,
    /// `Do53`, `DoH`, `DoH-FIPS`; absent in older output (= Do53).
    #[serde(default)]
    pub protocols: Vec<String>,
    /// How many IP addresses the endpoint has (Route 53 Resolver API, ResolverEndpoint).
    #[serde(default, deserialize_with = "v::present")]
    pub ip_address_count: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResolverIpAddress {
    #[serde(default, deserialize_with = "v::opt_ip4")]
    pub ip: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub subnet_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub status: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResolverRule {
    pub id: String,
    /// Absent for DELEGATE rules, which use `DelegationRecord`.
    #[serde(default, deserialize_with = "v::present")]
    pub domain_name: Option<String>,
    /// The delegated domain of a DELEGATE rule.
    #[serde(default, deserialize_with = "v::present")]
    pub delegation_record: Option<String>,
    pub rule_type: String,
    #[serde(default, deserialize_with = "v::present")]
    pub status: Option<String>,
    /// An account id, or `Route 53 Resolver` for the autodefined rules every account has.
    #[serde(default, deserialize_with = "v::present")]
    pub owner_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResolverRuleAssociation {
    #[serde(default, deserialize_with = "v::present")]
    pub id: Option<String>,
    pub resolver_rule_id: String,
    #[serde(rename = "VPCId")]
    pub vpc_id: String,
    #[serde(default, deserialize_with = "v::present")]
    pub status: Option<String>,
}

// ---------------------------------------------------------------- IoT

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IotEndpoint {
    pub endpoint_address: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IotPolicySummary {
    /// Becomes a file name (`get-policy/<name>.json`): validated.
    #[serde(deserialize_with = "v::iot_policy_name")]
    pub policy_name: String,
    #[serde(default, deserialize_with = "v::present")]
    pub policy_arn: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IotPolicy {
    pub policy_name: String,
    #[serde(default, deserialize_with = "v::present")]
    pub policy_arn: Option<String>,
    /// The policy document as a JSON string, exactly as the CLI prints it; parsed by `policy`.
    pub policy_document: String,
}

// ---------------------------------------------------------------- Route 53

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct HostedZone {
    /// Becomes a file name (without `/hostedzone/`): validated.
    #[serde(deserialize_with = "v::hosted_zone_id")]
    pub id: String,
    pub name: String,
    /// Required here although AWS's model allows omitting it: without it a zone's privacy is
    /// unknown, so a zone that lacks it is incomplete evidence.
    pub config: HostedZoneConfig,
}

impl HostedZone {
    /// The zone id without the `/hostedzone/` prefix, as used in file names.
    pub fn short_id(&self) -> &str {
        self.id.strip_prefix("/hostedzone/").unwrap_or(&self.id)
    }
    pub fn is_private(&self) -> bool {
        self.config.private_zone
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct HostedZoneConfig {
    /// Required here (see [`HostedZone::config`]).
    pub private_zone: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ZoneVpc {
    #[serde(rename = "VPCRegion")]
    pub vpc_region: String,
    #[serde(rename = "VPCId")]
    pub vpc_id: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetHostedZone {
    pub hosted_zone: HostedZone,
    #[serde(rename = "VPCs", default)]
    pub vpcs: Vec<ZoneVpc>,
}

/// `list-vpc-association-authorizations` output.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct VpcAssociationAuthorizations {
    #[serde(rename = "HostedZoneId", deserialize_with = "v::hosted_zone_id")]
    pub hosted_zone_id: String,
    /// Not modelled (an authorization is not an association); kept as printed.
    #[serde(rename = "VPCs")]
    pub vpcs: Vec<Value>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceRecordSet {
    pub name: String,
    pub r#type: String,
    #[serde(default)]
    pub resource_records: Vec<ResourceRecord>,
    #[serde(default, deserialize_with = "v::present")]
    pub alias_target: Option<AliasTarget>,
    #[serde(default, deserialize_with = "v::present")]
    pub set_identifier: Option<String>,
    /// Weighted record sets only.
    #[serde(default, deserialize_with = "v::present")]
    pub weight: Option<i64>,
    #[serde(default, deserialize_with = "v::present")]
    pub health_check_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceRecord {
    pub value: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AliasTarget {
    pub hosted_zone_id: String,
    #[serde(rename = "DNSName")]
    pub dns_name: String,
    #[serde(default)]
    pub evaluate_target_health: bool,
}
