//! Elastic Load Balancing v2: SDK types → AWS CLI JSON. Member names and order follow the AWS API model
//! (what the CLI prints); see [`super`] for how the tables work.
use aws_sdk_elasticloadbalancingv2::types as t;

use super::ToCli;

cli_struct!(t::LoadBalancer {
    "LoadBalancerArn" => load_balancer_arn,
    "DNSName" => dns_name,
    "CanonicalHostedZoneId" => canonical_hosted_zone_id,
    "CreatedTime" => created_time,
    "LoadBalancerName" => load_balancer_name,
    "Scheme" => scheme,
    "VpcId" => vpc_id,
    "State" => state,
    "Type" => r#type,
    "AvailabilityZones" => availability_zones,
    "SecurityGroups" => security_groups,
    "IpAddressType" => ip_address_type,
    "CustomerOwnedIpv4Pool" => customer_owned_ipv4_pool,
    "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic" => enforce_security_group_inbound_rules_on_private_link_traffic,
    "EnablePrefixForIpv6SourceNat" => enable_prefix_for_ipv6_source_nat,
    "IpamPools" => ipam_pools,
});
cli_struct!(t::LoadBalancerState {
    "Code" => code,
    "Reason" => reason,
});
cli_struct!(t::AvailabilityZone {
    "ZoneName" => zone_name,
    "SubnetId" => subnet_id,
    "OutpostId" => outpost_id,
    "LoadBalancerAddresses" => load_balancer_addresses,
    "SourceNatIpv6Prefixes" => source_nat_ipv6_prefixes,
});
cli_struct!(t::LoadBalancerAddress {
    "IpAddress" => ip_address,
    "AllocationId" => allocation_id,
    "PrivateIPv4Address" => private_ipv4_address,
    "IPv6Address" => ipv6_address,
});
cli_struct!(t::IpamPools {
    "Ipv4IpamPoolId" => ipv4_ipam_pool_id,
});
cli_struct!(t::TargetGroup {
    "TargetGroupArn" => target_group_arn,
    "TargetGroupName" => target_group_name,
    "Protocol" => protocol,
    "Port" => port,
    "VpcId" => vpc_id,
    "HealthCheckProtocol" => health_check_protocol,
    "HealthCheckPort" => health_check_port,
    "HealthCheckEnabled" => health_check_enabled,
    "HealthCheckIntervalSeconds" => health_check_interval_seconds,
    "HealthCheckTimeoutSeconds" => health_check_timeout_seconds,
    "HealthyThresholdCount" => healthy_threshold_count,
    "UnhealthyThresholdCount" => unhealthy_threshold_count,
    "HealthCheckPath" => health_check_path,
    "Matcher" => matcher,
    "LoadBalancerArns" => load_balancer_arns,
    "TargetType" => target_type,
    "ProtocolVersion" => protocol_version,
    "IpAddressType" => ip_address_type,
    "TargetControlPort" => target_control_port,
});
cli_struct!(t::Matcher {
    "HttpCode" => http_code,
    "GrpcCode" => grpc_code,
});
cli_struct!(t::Listener {
    "ListenerArn" => listener_arn,
    "LoadBalancerArn" => load_balancer_arn,
    "Port" => port,
    "Protocol" => protocol,
    "Certificates" => certificates,
    "SslPolicy" => ssl_policy,
    "DefaultActions" => default_actions,
    "AlpnPolicy" => alpn_policy,
    "MutualAuthentication" => mutual_authentication,
});
cli_struct!(t::Certificate {
    "CertificateArn" => certificate_arn,
    "IsDefault" => is_default,
});
cli_struct!(t::Action {
    "Type" => r#type,
    "TargetGroupArn" => target_group_arn,
    "AuthenticateOidcConfig" => authenticate_oidc_config,
    "AuthenticateCognitoConfig" => authenticate_cognito_config,
    "Order" => order,
    "RedirectConfig" => redirect_config,
    "FixedResponseConfig" => fixed_response_config,
    "ForwardConfig" => forward_config,
    "JwtValidationConfig" => jwt_validation_config,
});
cli_struct!(t::AuthenticateOidcActionConfig {
    "Issuer" => issuer,
    "AuthorizationEndpoint" => authorization_endpoint,
    "TokenEndpoint" => token_endpoint,
    "UserInfoEndpoint" => user_info_endpoint,
    "ClientId" => client_id,
    "ClientSecret" => client_secret,
    "SessionCookieName" => session_cookie_name,
    "Scope" => scope,
    "SessionTimeout" => session_timeout,
    "AuthenticationRequestExtraParams" => authentication_request_extra_params,
    "OnUnauthenticatedRequest" => on_unauthenticated_request,
    "UseExistingClientSecret" => use_existing_client_secret,
});
cli_struct!(t::AuthenticateCognitoActionConfig {
    "UserPoolArn" => user_pool_arn,
    "UserPoolClientId" => user_pool_client_id,
    "UserPoolDomain" => user_pool_domain,
    "SessionCookieName" => session_cookie_name,
    "Scope" => scope,
    "SessionTimeout" => session_timeout,
    "AuthenticationRequestExtraParams" => authentication_request_extra_params,
    "OnUnauthenticatedRequest" => on_unauthenticated_request,
});
cli_struct!(t::RedirectActionConfig {
    "Protocol" => protocol,
    "Port" => port,
    "Host" => host,
    "Path" => path,
    "Query" => query,
    "StatusCode" => status_code,
});
cli_struct!(t::FixedResponseActionConfig {
    "MessageBody" => message_body,
    "StatusCode" => status_code,
    "ContentType" => content_type,
});
cli_struct!(t::ForwardActionConfig {
    "TargetGroups" => target_groups,
    "TargetGroupStickinessConfig" => target_group_stickiness_config,
});
cli_struct!(t::TargetGroupTuple {
    "TargetGroupArn" => target_group_arn,
    "Weight" => weight,
});
cli_struct!(t::TargetGroupStickinessConfig {
    "Enabled" => enabled,
    "DurationSeconds" => duration_seconds,
});
cli_struct!(t::JwtValidationActionConfig {
    "JwksEndpoint" => jwks_endpoint,
    "Issuer" => issuer,
    "AdditionalClaims" => additional_claims,
});
cli_struct!(t::JwtValidationActionAdditionalClaim {
    "Format" => format,
    "Name" => name,
    "Values" => values,
});
cli_struct!(t::MutualAuthenticationAttributes {
    "Mode" => mode,
    "TrustStoreArn" => trust_store_arn,
    "IgnoreClientCertificateExpiry" => ignore_client_certificate_expiry,
    "TrustStoreAssociationStatus" => trust_store_association_status,
    "AdvertiseTrustStoreCaNames" => advertise_trust_store_ca_names,
});
cli_struct!(t::TargetHealthDescription {
    "Target" => target,
    "HealthCheckPort" => health_check_port,
    "TargetHealth" => target_health,
    "AnomalyDetection" => anomaly_detection,
    "AdministrativeOverride" => administrative_override,
});
cli_struct!(t::TargetDescription {
    "Id" => id,
    "Port" => port,
    "AvailabilityZone" => availability_zone,
    "QuicServerId" => quic_server_id,
});
cli_struct!(t::TargetHealth {
    "State" => state,
    "Reason" => reason,
    "Description" => description,
});
cli_struct!(t::AnomalyDetection {
    "Result" => result,
    "MitigationInEffect" => mitigation_in_effect,
});
cli_struct!(t::AdministrativeOverride {
    "State" => state,
    "Reason" => reason,
    "Description" => description,
});

cli_enum!(
    t::ActionTypeEnum,
    t::AdvertiseTrustStoreCaNamesEnum,
    t::AnomalyResultEnum,
    t::AuthenticateCognitoActionConditionalBehaviorEnum,
    t::AuthenticateOidcActionConditionalBehaviorEnum,
    t::EnablePrefixForIpv6SourceNatEnum,
    t::IpAddressType,
    t::JwtValidationActionAdditionalClaimFormatEnum,
    t::LoadBalancerSchemeEnum,
    t::LoadBalancerStateEnum,
    t::LoadBalancerTypeEnum,
    t::MitigationInEffectEnum,
    t::ProtocolEnum,
    t::RedirectActionStatusCodeEnum,
    t::TargetAdministrativeOverrideReasonEnum,
    t::TargetAdministrativeOverrideStateEnum,
    t::TargetGroupIpAddressTypeEnum,
    t::TargetHealthReasonEnum,
    t::TargetHealthStateEnum,
    t::TargetTypeEnum,
    t::TrustStoreAssociationStatusEnum,
);

cli_struct!(aws_sdk_elasticloadbalancingv2::operation::describe_target_health::DescribeTargetHealthOutput {
    "TargetHealthDescriptions" => target_health_descriptions,
});
