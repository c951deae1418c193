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
