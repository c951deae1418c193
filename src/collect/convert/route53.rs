//! Route 53: SDK types → AWS CLI JSON. Member names and order follow the AWS API model
//! (what the CLI prints); see [`super`] for how the tables work.
use aws_sdk_route53::types as t;

use super::ToCli;

cli_struct!(t::HostedZone {
    "Id" => id,
    "Name" => name,
    "CallerReference" => caller_reference,
    "Config" => config,
    "ResourceRecordSetCount" => resource_record_set_count,
    "LinkedService" => linked_service,
    "Features" => features,
});
cli_struct!(t::HostedZoneConfig {
    "Comment" => comment,
    "PrivateZone" => private_zone,
});
cli_struct!(t::LinkedService {
    "ServicePrincipal" => service_principal,
    "Description" => description,
});
cli_struct!(t::HostedZoneFeatures {
    "AcceleratedRecoveryStatus" => accelerated_recovery_status,
    "FailureReasons" => failure_reasons,
});
cli_struct!(t::HostedZoneFailureReasons {
    "AcceleratedRecovery" => accelerated_recovery,
});
cli_struct!(t::DelegationSet {
    "Id" => id,
    "CallerReference" => caller_reference,
    "NameServers" => name_servers,
});
cli_struct!(t::Vpc {
    "VPCRegion" => vpc_region,
    "VPCId" => vpc_id,
});
cli_struct!(t::ResourceRecordSet {
    "Name" => name,
    "Type" => r#type,
    "SetIdentifier" => set_identifier,
    "Weight" => weight,
    "Region" => region,
    "GeoLocation" => geo_location,
    "Failover" => failover,
    "MultiValueAnswer" => multi_value_answer,
    "TTL" => ttl,
    "ResourceRecords" => resource_records,
    "AliasTarget" => alias_target,
    "HealthCheckId" => health_check_id,
    "TrafficPolicyInstanceId" => traffic_policy_instance_id,
    "CidrRoutingConfig" => cidr_routing_config,
    "GeoProximityLocation" => geo_proximity_location,
});
cli_struct!(t::GeoLocation {
    "ContinentCode" => continent_code,
    "CountryCode" => country_code,
    "SubdivisionCode" => subdivision_code,
});
cli_struct!(t::ResourceRecord {
    "Value" => value,
});
cli_struct!(t::AliasTarget {
    "HostedZoneId" => hosted_zone_id,
    "DNSName" => dns_name,
    "EvaluateTargetHealth" => evaluate_target_health,
});
cli_struct!(t::CidrRoutingConfig {
    "CollectionId" => collection_id,
    "LocationName" => location_name,
});
cli_struct!(t::GeoProximityLocation {
    "AWSRegion" => aws_region,
    "LocalZoneGroup" => local_zone_group,
    "Coordinates" => coordinates,
    "Bias" => bias,
});
cli_struct!(t::Coordinates {
    "Latitude" => latitude,
    "Longitude" => longitude,
});

cli_enum!(
    t::AcceleratedRecoveryStatus,
    t::ResourceRecordSetFailover,
    t::ResourceRecordSetRegion,
    t::RrType,
    t::VpcRegion,
);

cli_struct!(aws_sdk_route53::operation::get_hosted_zone::GetHostedZoneOutput {
    "HostedZone" => hosted_zone,
    "DelegationSet" => delegation_set,
    "VPCs" => vpcs,
});
