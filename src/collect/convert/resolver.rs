//! Route 53 Resolver: SDK types → AWS CLI JSON. Member names and order follow the AWS API model
//! (what the CLI prints); see [`super`] for how the tables work.
use aws_sdk_route53resolver::types as t;

use super::ToCli;

cli_struct!(t::ResolverEndpoint {
    "Id" => id,
    "CreatorRequestId" => creator_request_id,
    "Arn" => arn,
    "Name" => name,
    "SecurityGroupIds" => security_group_ids,
    "Direction" => direction,
    "IpAddressCount" => ip_address_count,
    "HostVPCId" => host_vpc_id,
    "Status" => status,
    "StatusMessage" => status_message,
    "CreationTime" => creation_time,
    "ModificationTime" => modification_time,
    "OutpostArn" => outpost_arn,
    "PreferredInstanceType" => preferred_instance_type,
    "ResolverEndpointType" => resolver_endpoint_type,
    "Protocols" => protocols,
    "RniEnhancedMetricsEnabled" => rni_enhanced_metrics_enabled,
    "TargetNameServerMetricsEnabled" => target_name_server_metrics_enabled,
    "Dns64Enabled" => dns64_enabled,
    "Ipv6InternetAccessEnabled" => ipv6_internet_access_enabled,
});
cli_struct!(t::IpAddressResponse {
    "IpId" => ip_id,
    "SubnetId" => subnet_id,
    "Ip" => ip,
    "Ipv6" => ipv6,
    "Status" => status,
    "StatusMessage" => status_message,
    "CreationTime" => creation_time,
    "ModificationTime" => modification_time,
});
cli_struct!(t::ResolverRule {
    "Id" => id,
    "CreatorRequestId" => creator_request_id,
    "Arn" => arn,
    "DomainName" => domain_name,
    "Status" => status,
    "StatusMessage" => status_message,
    "RuleType" => rule_type,
    "Name" => name,
    "TargetIps" => target_ips,
    "ResolverEndpointId" => resolver_endpoint_id,
    "OwnerId" => owner_id,
    "ShareStatus" => share_status,
    "CreationTime" => creation_time,
    "ModificationTime" => modification_time,
    "DelegationRecord" => delegation_record,
});
cli_struct!(t::TargetAddress {
    "Ip" => ip,
    "Port" => port,
    "Ipv6" => ipv6,
    "Protocol" => protocol,
    "ServerNameIndication" => server_name_indication,
});
cli_struct!(t::ResolverRuleAssociation {
    "Id" => id,
    "ResolverRuleId" => resolver_rule_id,
    "Name" => name,
    "VPCId" => vpc_id,
    "Status" => status,
    "StatusMessage" => status_message,
});

cli_enum!(
    t::IpAddressStatus,
    t::Protocol,
    t::ResolverEndpointDirection,
    t::ResolverEndpointStatus,
    t::ResolverEndpointType,
    t::ResolverRuleAssociationStatus,
    t::ResolverRuleStatus,
    t::RuleTypeOption,
    t::ShareStatus,
);

// DNS Firewall (issue 9 item 8): `list-firewall-*`.
cli_struct!(t::FirewallRuleGroupAssociation {
    "Id" => id,
    "Arn" => arn,
    "FirewallRuleGroupId" => firewall_rule_group_id,
    "VpcId" => vpc_id,
    "Name" => name,
    "Priority" => priority,
    "MutationProtection" => mutation_protection,
    "ManagedOwnerName" => managed_owner_name,
    "Status" => status,
    "StatusMessage" => status_message,
    "CreatorRequestId" => creator_request_id,
    "CreationTime" => creation_time,
    "ModificationTime" => modification_time,
});
cli_struct!(t::FirewallRule {
    "FirewallRuleGroupId" => firewall_rule_group_id,
    "FirewallDomainListId" => firewall_domain_list_id,
    "FirewallThreatProtectionId" => firewall_threat_protection_id,
    "Name" => name,
    "Priority" => priority,
    "Action" => action,
    "BlockResponse" => block_response,
    "BlockOverrideDomain" => block_override_domain,
    "BlockOverrideDnsType" => block_override_dns_type,
    "BlockOverrideTtl" => block_override_ttl,
    "CreatorRequestId" => creator_request_id,
    "CreationTime" => creation_time,
    "ModificationTime" => modification_time,
    "FirewallDomainRedirectionAction" => firewall_domain_redirection_action,
    "Qtype" => qtype,
    "DnsThreatProtection" => dns_threat_protection,
    "ConfidenceThreshold" => confidence_threshold,
    "FirewallRuleType" => firewall_rule_type,
    "Status" => status,
    "StatusMessage" => status_message,
});
cli_struct!(t::FirewallRuleType {
    "PartnerThreatProtection" => partner_threat_protection,
    "FirewallAdvancedContentCategory" => firewall_advanced_content_category,
    "FirewallAdvancedThreatCategory" => firewall_advanced_threat_category,
    "DnsThreatProtection" => dns_threat_protection,
});
cli_struct!(t::PartnerThreatProtectionConfig {
    "Partner" => partner,
});
cli_struct!(t::FirewallAdvancedContentCategoryConfig {
    "Category" => category,
});
cli_struct!(t::FirewallAdvancedThreatCategoryConfig {
    "Category" => category,
});
cli_struct!(t::DnsThreatProtectionRuleTypeConfig {
    "Value" => value,
    "ConfidenceThreshold" => confidence_threshold,
});
cli_struct!(t::FirewallDomainListMetadata {
    "Id" => id,
    "Arn" => arn,
    "Name" => name,
    "CreatorRequestId" => creator_request_id,
    "ManagedOwnerName" => managed_owner_name,
    "ManagedListType" => managed_list_type,
    "Category" => category,
});
cli_struct!(t::FirewallConfig {
    "Id" => id,
    "ResourceId" => resource_id,
    "OwnerId" => owner_id,
    "FirewallFailOpen" => firewall_fail_open,
});
cli_enum!(
    t::Action,
    t::BlockResponse,
    t::BlockOverrideDnsType,
    t::FirewallDomainRedirectionAction,
    t::DnsThreatProtection,
    t::ConfidenceThreshold,
    t::MutationProtectionStatus,
    t::FirewallRuleGroupAssociationStatus,
    t::DomainListType,
    t::FirewallFailOpenStatus,
);
