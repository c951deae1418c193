//! EC2: SDK types → AWS CLI JSON. Member names and order follow the AWS API model
//! (what the CLI prints); see [`super`] for how the tables work.
use aws_sdk_ec2::types as t;

use super::ToCli;

cli_struct!(t::Vpc {
    "OwnerId" => owner_id,
    "InstanceTenancy" => instance_tenancy,
    "Ipv6CidrBlockAssociationSet" => ipv6_cidr_block_association_set,
    "CidrBlockAssociationSet" => cidr_block_association_set,
    "IsDefault" => is_default,
    "EncryptionControl" => encryption_control,
    "Tags" => tags,
    "BlockPublicAccessStates" => block_public_access_states,
    "VpcId" => vpc_id,
    "State" => state,
    "CidrBlock" => cidr_block,
    "DhcpOptionsId" => dhcp_options_id,
});
cli_struct!(t::VpcIpv6CidrBlockAssociation {
    "AssociationId" => association_id,
    "Ipv6CidrBlock" => ipv6_cidr_block,
    "Ipv6CidrBlockState" => ipv6_cidr_block_state,
    "NetworkBorderGroup" => network_border_group,
    "Ipv6Pool" => ipv6_pool,
    "Ipv6AddressAttribute" => ipv6_address_attribute,
    "IpSource" => ip_source,
});
cli_struct!(t::VpcCidrBlockState {
    "State" => state,
    "StatusMessage" => status_message,
});
cli_struct!(t::VpcCidrBlockAssociation {
    "AssociationId" => association_id,
    "CidrBlock" => cidr_block,
    "CidrBlockState" => cidr_block_state,
});
cli_struct!(t::VpcEncryptionControl {
    "VpcId" => vpc_id,
    "VpcEncryptionControlId" => vpc_encryption_control_id,
    "Mode" => mode,
    "State" => state,
    "StateMessage" => state_message,
    "ResourceExclusions" => resource_exclusions,
    "Tags" => tags,
});
cli_struct!(t::VpcEncryptionControlExclusions {
    "InternetGateway" => internet_gateway,
    "EgressOnlyInternetGateway" => egress_only_internet_gateway,
    "NatGateway" => nat_gateway,
    "VirtualPrivateGateway" => virtual_private_gateway,
    "VpcPeering" => vpc_peering,
    "Lambda" => lambda,
    "VpcLattice" => vpc_lattice,
    "ElasticFileSystem" => elastic_file_system,
});
cli_struct!(t::VpcEncryptionControlExclusion {
    "State" => state,
    "StateMessage" => state_message,
});
cli_struct!(t::Tag {
    "Key" => key,
    "Value" => value,
});
cli_struct!(t::BlockPublicAccessStates {
    "InternetGatewayBlockMode" => internet_gateway_block_mode,
});
cli_struct!(t::Subnet {
    "AvailabilityZoneId" => availability_zone_id,
    "EnableLniAtDeviceIndex" => enable_lni_at_device_index,
    "MapCustomerOwnedIpOnLaunch" => map_customer_owned_ip_on_launch,
    "CustomerOwnedIpv4Pool" => customer_owned_ipv4_pool,
    "OwnerId" => owner_id,
    "AssignIpv6AddressOnCreation" => assign_ipv6_address_on_creation,
    "Ipv6CidrBlockAssociationSet" => ipv6_cidr_block_association_set,
    "Tags" => tags,
    "SubnetArn" => subnet_arn,
    "OutpostArn" => outpost_arn,
    "EnableDns64" => enable_dns64,
    "Ipv6Native" => ipv6_native,
    "PrivateDnsNameOptionsOnLaunch" => private_dns_name_options_on_launch,
    "BlockPublicAccessStates" => block_public_access_states,
    "Type" => r#type,
    "SubnetId" => subnet_id,
    "State" => state,
    "VpcId" => vpc_id,
    "CidrBlock" => cidr_block,
    "AvailableIpAddressCount" => available_ip_address_count,
    "AvailabilityZone" => availability_zone,
    "DefaultForAz" => default_for_az,
    "MapPublicIpOnLaunch" => map_public_ip_on_launch,
});
cli_struct!(t::SubnetIpv6CidrBlockAssociation {
    "AssociationId" => association_id,
    "Ipv6CidrBlock" => ipv6_cidr_block,
    "Ipv6CidrBlockState" => ipv6_cidr_block_state,
    "Ipv6AddressAttribute" => ipv6_address_attribute,
    "IpSource" => ip_source,
});
cli_struct!(t::SubnetCidrBlockState {
    "State" => state,
    "StatusMessage" => status_message,
});
cli_struct!(t::PrivateDnsNameOptionsOnLaunch {
    "HostnameType" => hostname_type,
    "EnableResourceNameDnsARecord" => enable_resource_name_dns_a_record,
    "EnableResourceNameDnsAAAARecord" => enable_resource_name_dns_aaaa_record,
});
cli_struct!(t::RouteTable {
    "Associations" => associations,
    "PropagatingVgws" => propagating_vgws,
    "RouteTableId" => route_table_id,
    "Routes" => routes,
    "Tags" => tags,
    "VpcId" => vpc_id,
    "OwnerId" => owner_id,
});
cli_struct!(t::RouteTableAssociation {
    "Main" => main,
    "RouteTableAssociationId" => route_table_association_id,
    "RouteTableId" => route_table_id,
    "SubnetId" => subnet_id,
    "GatewayId" => gateway_id,
    "PublicIpv4Pool" => public_ipv4_pool,
    "AssociationState" => association_state,
});
cli_struct!(t::RouteTableAssociationState {
    "State" => state,
    "StatusMessage" => status_message,
});
cli_struct!(t::PropagatingVgw {
    "GatewayId" => gateway_id,
});
cli_struct!(t::Route {
    "DestinationCidrBlock" => destination_cidr_block,
    "DestinationIpv6CidrBlock" => destination_ipv6_cidr_block,
    "DestinationPrefixListId" => destination_prefix_list_id,
    "EgressOnlyInternetGatewayId" => egress_only_internet_gateway_id,
    "GatewayId" => gateway_id,
    "InstanceId" => instance_id,
    "InstanceOwnerId" => instance_owner_id,
    "NatGatewayId" => nat_gateway_id,
    "TransitGatewayId" => transit_gateway_id,
    "LocalGatewayId" => local_gateway_id,
    "CarrierGatewayId" => carrier_gateway_id,
    "NetworkInterfaceId" => network_interface_id,
    "Origin" => origin,
    "State" => state,
    "VpcPeeringConnectionId" => vpc_peering_connection_id,
    "CoreNetworkArn" => core_network_arn,
    "OdbNetworkArn" => odb_network_arn,
    "IpAddress" => ip_address,
});
cli_struct!(t::InternetGateway {
    "Attachments" => attachments,
    "InternetGatewayId" => internet_gateway_id,
    "OwnerId" => owner_id,
    "Tags" => tags,
});
cli_struct!(t::InternetGatewayAttachment {
    "State" => state,
    "VpcId" => vpc_id,
});
cli_struct!(t::EgressOnlyInternetGateway {
    "Attachments" => attachments,
    "EgressOnlyInternetGatewayId" => egress_only_internet_gateway_id,
    "Tags" => tags,
});
cli_struct!(t::NatGateway {
    "CreateTime" => create_time,
    "DeleteTime" => delete_time,
    "FailureCode" => failure_code,
    "FailureMessage" => failure_message,
    "NatGatewayAddresses" => nat_gateway_addresses,
    "NatGatewayId" => nat_gateway_id,
    "ProvisionedBandwidth" => provisioned_bandwidth,
    "State" => state,
    "SubnetId" => subnet_id,
    "VpcId" => vpc_id,
    "Tags" => tags,
    "ConnectivityType" => connectivity_type,
    "AvailabilityMode" => availability_mode,
    "AutoScalingIps" => auto_scaling_ips,
    "AutoProvisionZones" => auto_provision_zones,
    "AttachedAppliances" => attached_appliances,
    "RouteTableId" => route_table_id,
});
cli_struct!(t::NatGatewayAddress {
    "AllocationId" => allocation_id,
    "NetworkInterfaceId" => network_interface_id,
    "PrivateIp" => private_ip,
    "PublicIp" => public_ip,
    "AssociationId" => association_id,
    "IsPrimary" => is_primary,
    "FailureMessage" => failure_message,
    "Status" => status,
    "AvailabilityZone" => availability_zone,
    "AvailabilityZoneId" => availability_zone_id,
});
cli_struct!(t::ProvisionedBandwidth {
    "ProvisionTime" => provision_time,
    "Provisioned" => provisioned,
    "RequestTime" => request_time,
    "Requested" => requested,
    "Status" => status,
});
cli_struct!(t::NatGatewayAttachedAppliance {
    "Type" => r#type,
    "ApplianceArn" => appliance_arn,
    "VpcEndpointId" => vpc_endpoint_id,
    "AttachmentState" => attachment_state,
    "ModificationState" => modification_state,
    "FailureCode" => failure_code,
    "FailureMessage" => failure_message,
});
cli_struct!(t::VpcPeeringConnection {
    "AccepterVpcInfo" => accepter_vpc_info,
    "ExpirationTime" => expiration_time,
    "RequesterVpcInfo" => requester_vpc_info,
    "Status" => status,
    "Tags" => tags,
    "VpcPeeringConnectionId" => vpc_peering_connection_id,
});
cli_struct!(t::VpcPeeringConnectionVpcInfo {
    "CidrBlock" => cidr_block,
    "Ipv6CidrBlockSet" => ipv6_cidr_block_set,
    "CidrBlockSet" => cidr_block_set,
    "OwnerId" => owner_id,
    "PeeringOptions" => peering_options,
    "VpcId" => vpc_id,
    "Region" => region,
});
cli_struct!(t::Ipv6CidrBlock {
    "Ipv6CidrBlock" => ipv6_cidr_block,
});
cli_struct!(t::CidrBlock {
    "CidrBlock" => cidr_block,
});
cli_struct!(t::VpcPeeringConnectionOptionsDescription {
    "AllowDnsResolutionFromRemoteVpc" => allow_dns_resolution_from_remote_vpc,
    "AllowEgressFromLocalClassicLinkToRemoteVpc" => allow_egress_from_local_classic_link_to_remote_vpc,
    "AllowEgressFromLocalVpcToRemoteClassicLink" => allow_egress_from_local_vpc_to_remote_classic_link,
});
cli_struct!(t::VpcPeeringConnectionStateReason {
    "Code" => code,
    "Message" => message,
});
cli_struct!(t::VpcEndpoint {
    "VpcEndpointId" => vpc_endpoint_id,
    "VpcEndpointType" => vpc_endpoint_type,
    "VpcId" => vpc_id,
    "ServiceName" => service_name,
    "State" => state,
    "PolicyDocument" => policy_document,
    "RouteTableIds" => route_table_ids,
    "SubnetIds" => subnet_ids,
    "Groups" => groups,
    "IpAddressType" => ip_address_type,
    "DnsOptions" => dns_options,
    "PrivateDnsEnabled" => private_dns_enabled,
    "RequesterManaged" => requester_managed,
    "NetworkInterfaceIds" => network_interface_ids,
    "DnsEntries" => dns_entries,
    "CreationTimestamp" => creation_timestamp,
    "Tags" => tags,
    "OwnerId" => owner_id,
    "LastError" => last_error,
    "Ipv4Prefixes" => ipv4_prefixes,
    "Ipv6Prefixes" => ipv6_prefixes,
    "FailureReason" => failure_reason,
    "ServiceNetworkArn" => service_network_arn,
    "ResourceConfigurationArn" => resource_configuration_arn,
    "ServiceRegion" => service_region,
});
cli_struct!(t::SecurityGroupIdentifier {
    "GroupId" => group_id,
    "GroupName" => group_name,
});
cli_struct!(t::DnsOptions {
    "DnsRecordIpType" => dns_record_ip_type,
    "PrivateDnsOnlyForInboundResolverEndpoint" => private_dns_only_for_inbound_resolver_endpoint,
    "PrivateDnsPreference" => private_dns_preference,
    "PrivateDnsSpecifiedDomains" => private_dns_specified_domains,
});
cli_struct!(t::DnsEntry {
    "DnsName" => dns_name,
    "HostedZoneId" => hosted_zone_id,
});
cli_struct!(t::LastError {
    "Message" => message,
    "Code" => code,
});
cli_struct!(t::SubnetIpPrefixes {
    "SubnetId" => subnet_id,
    "IpPrefixes" => ip_prefixes,
});
cli_struct!(t::ServiceConfiguration {
    "ServiceType" => service_type,
    "ServiceId" => service_id,
    "ServiceName" => service_name,
    "ServiceState" => service_state,
    "AvailabilityZoneIds" => availability_zone_ids,
    "AvailabilityZones" => availability_zones,
    "AcceptanceRequired" => acceptance_required,
    "ManagesVpcEndpoints" => manages_vpc_endpoints,
    "NetworkLoadBalancerArns" => network_load_balancer_arns,
    "GatewayLoadBalancerArns" => gateway_load_balancer_arns,
    "SupportedIpAddressTypes" => supported_ip_address_types,
    "BaseEndpointDnsNames" => base_endpoint_dns_names,
    "PrivateDnsName" => private_dns_name,
    "PrivateDnsNameConfiguration" => private_dns_name_configuration,
    "PayerResponsibility" => payer_responsibility,
    "Tags" => tags,
    "SupportedRegions" => supported_regions,
    "RemoteAccessEnabled" => remote_access_enabled,
});
cli_struct!(t::ServiceTypeDetail {
    "ServiceType" => service_type,
});
cli_struct!(t::PrivateDnsNameConfiguration {
    "State" => state,
    "Type" => r#type,
    "Value" => value,
    "Name" => name,
});
cli_struct!(t::SupportedRegionDetail {
    "Region" => region,
    "ServiceState" => service_state,
});
cli_struct!(t::AllowedPrincipal {
    "PrincipalType" => principal_type,
    "Principal" => principal,
    "ServicePermissionId" => service_permission_id,
    "Tags" => tags,
    "ServiceId" => service_id,
});
cli_struct!(t::NetworkInterface {
    "Association" => association,
    "Attachment" => attachment,
    "AvailabilityZone" => availability_zone,
    "ConnectionTrackingConfiguration" => connection_tracking_configuration,
    "Description" => description,
    "Groups" => groups,
    "InterfaceType" => interface_type,
    "Ipv6Addresses" => ipv6_addresses,
    "MacAddress" => mac_address,
    "NetworkInterfaceId" => network_interface_id,
    "OutpostArn" => outpost_arn,
    "OwnerId" => owner_id,
    "PrivateDnsName" => private_dns_name,
    "PublicDnsName" => public_dns_name,
    "PublicIpDnsNameOptions" => public_ip_dns_name_options,
    "PrivateIpAddress" => private_ip_address,
    "PrivateIpAddresses" => private_ip_addresses,
    "Ipv4Prefixes" => ipv4_prefixes,
    "Ipv6Prefixes" => ipv6_prefixes,
    "RequesterId" => requester_id,
    "RequesterManaged" => requester_managed,
    "SourceDestCheck" => source_dest_check,
    "Status" => status,
    "SubnetId" => subnet_id,
    "TagSet" => tag_set,
    "VpcId" => vpc_id,
    "DenyAllIgwTraffic" => deny_all_igw_traffic,
    "Ipv6Native" => ipv6_native,
    "Ipv6Address" => ipv6_address,
    "Operator" => operator,
    "AssociatedSubnets" => associated_subnets,
    "AvailabilityZoneId" => availability_zone_id,
});
cli_struct!(t::NetworkInterfaceAssociation {
    "AllocationId" => allocation_id,
    "AssociationId" => association_id,
    "IpOwnerId" => ip_owner_id,
    "PublicDnsName" => public_dns_name,
    "PublicIp" => public_ip,
    "CustomerOwnedIp" => customer_owned_ip,
    "CarrierIp" => carrier_ip,
});
cli_struct!(t::NetworkInterfaceAttachment {
    "AttachTime" => attach_time,
    "AttachmentId" => attachment_id,
    "DeleteOnTermination" => delete_on_termination,
    "DeviceIndex" => device_index,
    "NetworkCardIndex" => network_card_index,
    "InstanceId" => instance_id,
    "InstanceOwnerId" => instance_owner_id,
    "Status" => status,
    "EnaSrdSpecification" => ena_srd_specification,
    "EnaQueueCount" => ena_queue_count,
});
cli_struct!(t::AttachmentEnaSrdSpecification {
    "EnaSrdEnabled" => ena_srd_enabled,
    "EnaSrdUdpSpecification" => ena_srd_udp_specification,
});
cli_struct!(t::AttachmentEnaSrdUdpSpecification {
    "EnaSrdUdpEnabled" => ena_srd_udp_enabled,
});
cli_struct!(t::ConnectionTrackingConfiguration {
    "TcpEstablishedTimeout" => tcp_established_timeout,
    "UdpStreamTimeout" => udp_stream_timeout,
    "UdpTimeout" => udp_timeout,
});
cli_struct!(t::GroupIdentifier {
    "GroupId" => group_id,
    "GroupName" => group_name,
});
cli_struct!(t::NetworkInterfaceIpv6Address {
    "Ipv6Address" => ipv6_address,
    "PublicIpv6DnsName" => public_ipv6_dns_name,
    "IsPrimaryIpv6" => is_primary_ipv6,
});
cli_struct!(t::PublicIpDnsNameOptions {
    "DnsHostnameType" => dns_hostname_type,
    "PublicIpv4DnsName" => public_ipv4_dns_name,
    "PublicIpv6DnsName" => public_ipv6_dns_name,
    "PublicDualStackDnsName" => public_dual_stack_dns_name,
});
cli_struct!(t::NetworkInterfacePrivateIpAddress {
    "Association" => association,
    "Primary" => primary,
    "PrivateDnsName" => private_dns_name,
    "PrivateIpAddress" => private_ip_address,
});
cli_struct!(t::Ipv4PrefixSpecification {
    "Ipv4Prefix" => ipv4_prefix,
});
cli_struct!(t::Ipv6PrefixSpecification {
    "Ipv6Prefix" => ipv6_prefix,
});
cli_struct!(t::OperatorResponse {
    "Managed" => managed,
    "Principal" => principal,
    "HiddenByDefault" => hidden_by_default,
});
cli_struct!(t::SecurityGroup {
    "GroupId" => group_id,
    "IpPermissionsEgress" => ip_permissions_egress,
    "Tags" => tags,
    "VpcId" => vpc_id,
    "SecurityGroupArn" => security_group_arn,
    "OwnerId" => owner_id,
    "GroupName" => group_name,
    "Description" => description,
    "IpPermissions" => ip_permissions,
});
cli_struct!(t::IpPermission {
    "IpProtocol" => ip_protocol,
    "FromPort" => from_port,
    "ToPort" => to_port,
    "UserIdGroupPairs" => user_id_group_pairs,
    "IpRanges" => ip_ranges,
    "Ipv6Ranges" => ipv6_ranges,
    "PrefixListIds" => prefix_list_ids,
});
cli_struct!(t::UserIdGroupPair {
    "Description" => description,
    "UserId" => user_id,
    "GroupName" => group_name,
    "GroupId" => group_id,
    "VpcId" => vpc_id,
    "VpcPeeringConnectionId" => vpc_peering_connection_id,
    "PeeringStatus" => peering_status,
});
cli_struct!(t::IpRange {
    "Description" => description,
    "CidrIp" => cidr_ip,
});
cli_struct!(t::Ipv6Range {
    "Description" => description,
    "CidrIpv6" => cidr_ipv6,
});
cli_struct!(t::PrefixListId {
    "Description" => description,
    "PrefixListId" => prefix_list_id,
});
cli_struct!(t::NetworkAcl {
    "Associations" => associations,
    "Entries" => entries,
    "IsDefault" => is_default,
    "NetworkAclId" => network_acl_id,
    "Tags" => tags,
    "VpcId" => vpc_id,
    "OwnerId" => owner_id,
});
cli_struct!(t::NetworkAclAssociation {
    "NetworkAclAssociationId" => network_acl_association_id,
    "NetworkAclId" => network_acl_id,
    "SubnetId" => subnet_id,
});
cli_struct!(t::NetworkAclEntry {
    "CidrBlock" => cidr_block,
    "Egress" => egress,
    "IcmpTypeCode" => icmp_type_code,
    "Ipv6CidrBlock" => ipv6_cidr_block,
    "PortRange" => port_range,
    "Protocol" => protocol,
    "RuleAction" => rule_action,
    "RuleNumber" => rule_number,
});
cli_struct!(t::IcmpTypeCode {
    "Code" => code,
    "Type" => r#type,
});
cli_struct!(t::PortRange {
    "From" => from,
    "To" => to,
});
cli_struct!(t::ManagedPrefixList {
    "PrefixListId" => prefix_list_id,
    "AddressFamily" => address_family,
    "State" => state,
    "StateMessage" => state_message,
    "PrefixListArn" => prefix_list_arn,
    "PrefixListName" => prefix_list_name,
    "MaxEntries" => max_entries,
    "Version" => version,
    "Tags" => tags,
    "OwnerId" => owner_id,
    "IpamPrefixListResolverTargetId" => ipam_prefix_list_resolver_target_id,
    "IpamPrefixListResolverSyncEnabled" => ipam_prefix_list_resolver_sync_enabled,
});
cli_struct!(t::PrefixListEntry {
    "Cidr" => cidr,
    "Description" => description,
});
cli_struct!(t::TransitGateway {
    "TransitGatewayId" => transit_gateway_id,
    "TransitGatewayArn" => transit_gateway_arn,
    "State" => state,
    "OwnerId" => owner_id,
    "Description" => description,
    "CreationTime" => creation_time,
    "Options" => options,
    "Tags" => tags,
});
cli_struct!(t::TransitGatewayOptions {
    "AmazonSideAsn" => amazon_side_asn,
    "TransitGatewayCidrBlocks" => transit_gateway_cidr_blocks,
    "AutoAcceptSharedAttachments" => auto_accept_shared_attachments,
    "DefaultRouteTableAssociation" => default_route_table_association,
    "AssociationDefaultRouteTableId" => association_default_route_table_id,
    "DefaultRouteTablePropagation" => default_route_table_propagation,
    "PropagationDefaultRouteTableId" => propagation_default_route_table_id,
    "VpnEcmpSupport" => vpn_ecmp_support,
    "DnsSupport" => dns_support,
    "SecurityGroupReferencingSupport" => security_group_referencing_support,
    "MulticastSupport" => multicast_support,
    "EncryptionSupport" => encryption_support,
});
cli_struct!(t::EncryptionSupport {
    "EncryptionState" => encryption_state,
    "StateMessage" => state_message,
});
cli_struct!(t::TransitGatewayAttachment {
    "TransitGatewayAttachmentId" => transit_gateway_attachment_id,
    "TransitGatewayId" => transit_gateway_id,
    "TransitGatewayOwnerId" => transit_gateway_owner_id,
    "ResourceOwnerId" => resource_owner_id,
    "ResourceType" => resource_type,
    "ResourceId" => resource_id,
    "State" => state,
    "Association" => association,
    "CreationTime" => creation_time,
    "Tags" => tags,
});
cli_struct!(t::TransitGatewayAttachmentAssociation {
    "TransitGatewayRouteTableId" => transit_gateway_route_table_id,
    "TransitGatewayPolicyTableId" => transit_gateway_policy_table_id,
    "State" => state,
});
cli_struct!(t::TransitGatewayVpcAttachment {
    "TransitGatewayAttachmentId" => transit_gateway_attachment_id,
    "TransitGatewayId" => transit_gateway_id,
    "VpcId" => vpc_id,
    "VpcOwnerId" => vpc_owner_id,
    "State" => state,
    "SubnetIds" => subnet_ids,
    "CreationTime" => creation_time,
    "Options" => options,
    "Tags" => tags,
});
cli_struct!(t::TransitGatewayVpcAttachmentOptions {
    "DnsSupport" => dns_support,
    "SecurityGroupReferencingSupport" => security_group_referencing_support,
    "Ipv6Support" => ipv6_support,
    "ApplianceModeSupport" => appliance_mode_support,
});
cli_struct!(t::TransitGatewayRouteTable {
    "TransitGatewayRouteTableId" => transit_gateway_route_table_id,
    "TransitGatewayId" => transit_gateway_id,
    "State" => state,
    "DefaultAssociationRouteTable" => default_association_route_table,
    "DefaultPropagationRouteTable" => default_propagation_route_table,
    "CreationTime" => creation_time,
    "Tags" => tags,
});
cli_struct!(t::TransitGatewayRoute {
    "DestinationCidrBlock" => destination_cidr_block,
    "PrefixListId" => prefix_list_id,
    "TransitGatewayRouteTableAnnouncementId" => transit_gateway_route_table_announcement_id,
    "TransitGatewayAttachments" => transit_gateway_attachments,
    "Type" => r#type,
    "State" => state,
});
cli_struct!(t::TransitGatewayRouteAttachment {
    "ResourceId" => resource_id,
    "TransitGatewayAttachmentId" => transit_gateway_attachment_id,
    "ResourceType" => resource_type,
});
cli_struct!(t::TransitGatewayRouteTableAssociation {
    "TransitGatewayAttachmentId" => transit_gateway_attachment_id,
    "ResourceId" => resource_id,
    "ResourceType" => resource_type,
    "State" => state,
});
cli_struct!(t::TransitGatewayRouteTablePropagation {
    "TransitGatewayAttachmentId" => transit_gateway_attachment_id,
    "ResourceId" => resource_id,
    "ResourceType" => resource_type,
    "State" => state,
    "TransitGatewayRouteTableAnnouncementId" => transit_gateway_route_table_announcement_id,
});
cli_struct!(t::VpnConnection {
    "Category" => category,
    "TransitGatewayId" => transit_gateway_id,
    "VpnConcentratorId" => vpn_concentrator_id,
    "CoreNetworkArn" => core_network_arn,
    "CoreNetworkAttachmentArn" => core_network_attachment_arn,
    "GatewayAssociationState" => gateway_association_state,
    "Options" => options,
    "Routes" => routes,
    "Tags" => tags,
    "VgwTelemetry" => vgw_telemetry,
    "PreSharedKeyArn" => pre_shared_key_arn,
    "VpnConnectionId" => vpn_connection_id,
    "State" => state,
    // "CustomerGatewayConfiguration" is left out: it holds the tunnels' pre-shared keys.
    "Type" => r#type,
    "CustomerGatewayId" => customer_gateway_id,
    "VpnGatewayId" => vpn_gateway_id,
});
cli_struct!(t::VpnConnectionOptions {
    "EnableAcceleration" => enable_acceleration,
    "StaticRoutesOnly" => static_routes_only,
    "LocalIpv4NetworkCidr" => local_ipv4_network_cidr,
    "RemoteIpv4NetworkCidr" => remote_ipv4_network_cidr,
    "LocalIpv6NetworkCidr" => local_ipv6_network_cidr,
    "RemoteIpv6NetworkCidr" => remote_ipv6_network_cidr,
    "OutsideIpAddressType" => outside_ip_address_type,
    "TransportTransitGatewayAttachmentId" => transport_transit_gateway_attachment_id,
    "TunnelInsideIpVersion" => tunnel_inside_ip_version,
    "TunnelOptions" => tunnel_options,
    "TunnelBandwidth" => tunnel_bandwidth,
});
cli_struct!(t::TunnelOption {
    "OutsideIpAddress" => outside_ip_address,
    "TunnelInsideCidr" => tunnel_inside_cidr,
    "TunnelInsideIpv6Cidr" => tunnel_inside_ipv6_cidr,
    // "PreSharedKey" is left out: a secret has no place in evidence.
    "Phase1LifetimeSeconds" => phase1_lifetime_seconds,
    "Phase2LifetimeSeconds" => phase2_lifetime_seconds,
    "RekeyMarginTimeSeconds" => rekey_margin_time_seconds,
    "RekeyFuzzPercentage" => rekey_fuzz_percentage,
    "ReplayWindowSize" => replay_window_size,
    "DpdTimeoutSeconds" => dpd_timeout_seconds,
    "DpdTimeoutAction" => dpd_timeout_action,
    "Phase1EncryptionAlgorithms" => phase1_encryption_algorithms,
    "Phase2EncryptionAlgorithms" => phase2_encryption_algorithms,
    "Phase1IntegrityAlgorithms" => phase1_integrity_algorithms,
    "Phase2IntegrityAlgorithms" => phase2_integrity_algorithms,
    "Phase1DHGroupNumbers" => phase1_dh_group_numbers,
    "Phase2DHGroupNumbers" => phase2_dh_group_numbers,
    "IkeVersions" => ike_versions,
    "StartupAction" => startup_action,
    "LogOptions" => log_options,
    "EnableTunnelLifecycleControl" => enable_tunnel_lifecycle_control,
});
cli_struct!(t::Phase1EncryptionAlgorithmsListValue {
    "Value" => value,
});
cli_struct!(t::Phase2EncryptionAlgorithmsListValue {
    "Value" => value,
});
cli_struct!(t::Phase1IntegrityAlgorithmsListValue {
    "Value" => value,
});
cli_struct!(t::Phase2IntegrityAlgorithmsListValue {
    "Value" => value,
});
cli_struct!(t::Phase1DhGroupNumbersListValue {
    "Value" => value,
});
cli_struct!(t::Phase2DhGroupNumbersListValue {
    "Value" => value,
});
cli_struct!(t::IkeVersionsListValue {
    "Value" => value,
});
cli_struct!(t::VpnTunnelLogOptions {
    "CloudWatchLogOptions" => cloud_watch_log_options,
});
cli_struct!(t::CloudWatchLogOptions {
    "LogEnabled" => log_enabled,
    "LogGroupArn" => log_group_arn,
    "LogOutputFormat" => log_output_format,
    "BgpLogEnabled" => bgp_log_enabled,
    "BgpLogGroupArn" => bgp_log_group_arn,
    "BgpLogOutputFormat" => bgp_log_output_format,
});
cli_struct!(t::VpnStaticRoute {
    "DestinationCidrBlock" => destination_cidr_block,
    "Source" => source,
    "State" => state,
});
cli_struct!(t::VgwTelemetry {
    "AcceptedRouteCount" => accepted_route_count,
    "LastStatusChange" => last_status_change,
    "OutsideIpAddress" => outside_ip_address,
    "Status" => status,
    "StatusMessage" => status_message,
    "CertificateArn" => certificate_arn,
});
cli_struct!(t::VpnGateway {
    "AmazonSideAsn" => amazon_side_asn,
    "Tags" => tags,
    "VpnGatewayId" => vpn_gateway_id,
    "State" => state,
    "Type" => r#type,
    "AvailabilityZone" => availability_zone,
    "VpcAttachments" => vpc_attachments,
});
cli_struct!(t::VpcAttachment {
    "VpcId" => vpc_id,
    "State" => state,
});

cli_struct!(t::DhcpOptions {
    "OwnerId" => owner_id,
    "Tags" => tags,
    "DhcpOptionsId" => dhcp_options_id,
    "DhcpConfigurations" => dhcp_configurations,
});
cli_struct!(t::DhcpConfiguration {
    "Key" => key,
    "Values" => values,
});
cli_struct!(t::AttributeValue {
    "Value" => value,
});
cli_struct!(t::AttributeBooleanValue {
    "Value" => value,
});
cli_struct!(aws_sdk_ec2::operation::describe_vpc_attribute::DescribeVpcAttributeOutput {
    "EnableDnsHostnames" => enable_dns_hostnames,
    "EnableDnsSupport" => enable_dns_support,
    "EnableNetworkAddressUsageMetrics" => enable_network_address_usage_metrics,
    "VpcId" => vpc_id,
});

// Transit Gateway policy tables and VPC Block Public Access (layout extensions).
cli_struct!(t::TransitGatewayPolicyTable {
    "TransitGatewayPolicyTableId" => transit_gateway_policy_table_id,
    "TransitGatewayId" => transit_gateway_id,
    "State" => state,
    "CreationTime" => creation_time,
    "Tags" => tags,
});
cli_struct!(t::TransitGatewayPolicyTableAssociation {
    "TransitGatewayPolicyTableId" => transit_gateway_policy_table_id,
    "TransitGatewayAttachmentId" => transit_gateway_attachment_id,
    "ResourceId" => resource_id,
    "ResourceType" => resource_type,
    "State" => state,
});
cli_struct!(t::TransitGatewayPolicyTableEntry {
    "PolicyRuleNumber" => policy_rule_number,
    "PolicyRule" => policy_rule,
    "TargetRouteTableId" => target_route_table_id,
    "State" => state,
});
cli_struct!(t::TransitGatewayPolicyRule {
    "SourceCidrBlock" => source_cidr_block,
    "SourcePortRange" => source_port_range,
    "DestinationCidrBlock" => destination_cidr_block,
    "DestinationPortRange" => destination_port_range,
    "Protocol" => protocol,
    "MetaData" => meta_data,
});
cli_struct!(t::TransitGatewayPolicyRuleMetaData {
    "MetaDataKey" => meta_data_key,
    "MetaDataValue" => meta_data_value,
});
cli_struct!(t::VpcBlockPublicAccessOptions {
    "AwsAccountId" => aws_account_id,
    "AwsRegion" => aws_region,
    "State" => state,
    "InternetGatewayBlockMode" => internet_gateway_block_mode,
    "Reason" => reason,
    "LastUpdateTimestamp" => last_update_timestamp,
    "ManagedBy" => managed_by,
    "ExclusionsAllowed" => exclusions_allowed,
});
cli_struct!(t::VpcBlockPublicAccessExclusion {
    "ExclusionId" => exclusion_id,
    "InternetGatewayExclusionMode" => internet_gateway_exclusion_mode,
    "ResourceArn" => resource_arn,
    "State" => state,
    "Reason" => reason,
    "CreationTimestamp" => creation_timestamp,
    "LastUpdateTimestamp" => last_update_timestamp,
    "DeletionTimestamp" => deletion_timestamp,
    "Tags" => tags,
});
cli_enum!(
    t::TransitGatewayPolicyTableState,
    t::TransitGatewayPolicyTableEntryState,
    t::VpcBlockPublicAccessState,
    t::InternetGatewayBlockMode,
    t::ManagedBy,
    t::VpcBlockPublicAccessExclusionsAllowed,
    t::InternetGatewayExclusionMode,
    t::VpcBlockPublicAccessExclusionState,
);

cli_enum!(
    t::ApplianceModeSupportValue,
    t::AttachmentStatus,
    t::AutoAcceptSharedAttachmentsValue,
    t::AutoProvisionZonesState,
    t::AutoScalingIpsState,
    t::AvailabilityMode,
    t::BlockPublicAccessMode,
    t::ConnectivityType,
    t::DefaultRouteTableAssociationValue,
    t::DefaultRouteTablePropagationValue,
    t::DnsNameState,
    t::DnsRecordIpType,
    t::DnsSupportValue,
    t::EncryptionStateValue,
    t::GatewayAssociationState,
    t::GatewayType,
    t::HostnameType,
    t::IpAddressType,
    t::IpSource,
    t::Ipv6AddressAttribute,
    t::Ipv6SupportValue,
    t::MulticastSupportValue,
    t::NatGatewayAddressStatus,
    t::NatGatewayApplianceModifyState,
    t::NatGatewayApplianceState,
    t::NatGatewayApplianceType,
    t::NatGatewayState,
    t::NetworkInterfaceStatus,
    t::NetworkInterfaceType,
    t::PayerResponsibility,
    t::PrefixListState,
    t::PrincipalType,
    t::RouteOrigin,
    t::RouteState,
    t::RouteTableAssociationStateCode,
    t::RuleAction,
    t::SecurityGroupReferencingSupportValue,
    t::ServiceConnectivityType,
    t::ServiceState,
    t::ServiceType,
    t::State,
    t::SubnetCidrBlockStateCode,
    t::SubnetState,
    t::TelemetryStatus,
    t::Tenancy,
    t::TransitGatewayAssociationState,
    t::TransitGatewayAttachmentResourceType,
    t::TransitGatewayAttachmentState,
    t::TransitGatewayPropagationState,
    t::TransitGatewayRouteState,
    t::TransitGatewayRouteTableState,
    t::TransitGatewayRouteType,
    t::TransitGatewayState,
    t::TunnelInsideIpVersion,
    t::VpcCidrBlockStateCode,
    t::VpcEncryptionControlExclusionState,
    t::VpcEncryptionControlMode,
    t::VpcEncryptionControlState,
    t::VpcEndpointType,
    t::VpcPeeringConnectionStateReasonCode,
    t::VpcState,
    t::VpnEcmpSupportValue,
    t::VpnState,
    t::VpnStaticRouteSource,
    t::VpnTunnelBandwidth,
);
