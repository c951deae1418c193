//! AWS IoT: SDK types → AWS CLI JSON. Member names and order follow the AWS API model
//! (what the CLI prints); see [`super`] for how the tables work.
use aws_sdk_iot::types as t;

use super::ToCli;

cli_struct!(t::Policy {
    "policyName" => policy_name,
    "policyArn" => policy_arn,
});

cli_struct!(aws_sdk_iot::operation::describe_endpoint::DescribeEndpointOutput {
    "endpointAddress" => endpoint_address,
});
// `policyDocument` stays a JSON string, as the CLI prints it.
cli_struct!(aws_sdk_iot::operation::get_policy::GetPolicyOutput {
    "policyName" => policy_name,
    "policyArn" => policy_arn,
    "policyDocument" => policy_document,
    "defaultVersionId" => default_version_id,
    "creationDate" => creation_date,
    "lastModifiedDate" => last_modified_date,
    "generationId" => generation_id,
});

// Domain configurations and custom authorizers (layout extensions).
cli_enum!(
    t::ServiceType,
    t::DomainConfigurationStatus,
    t::DomainType,
    t::ServerCertificateStatus,
    t::AuthenticationType,
    t::ApplicationProtocol,
);

cli_struct!(t::DomainConfigurationSummary {
    "domainConfigurationName" => domain_configuration_name,
    "domainConfigurationArn" => domain_configuration_arn,
    "serviceType" => service_type,
});

cli_struct!(t::ServerCertificateSummary {
    "serverCertificateArn" => server_certificate_arn,
    "serverCertificateStatus" => server_certificate_status,
    "serverCertificateStatusDetail" => server_certificate_status_detail,
});

cli_struct!(t::AuthorizerConfig {
    "defaultAuthorizerName" => default_authorizer_name,
    "allowAuthorizerOverride" => allow_authorizer_override,
});

cli_struct!(t::TlsConfig {
    "securityPolicy" => security_policy,
});

cli_struct!(t::ServerCertificateConfig {
    "enableOCSPCheck" => enable_ocsp_check,
    "ocspLambdaArn" => ocsp_lambda_arn,
    "ocspAuthorizedResponderArn" => ocsp_authorized_responder_arn,
});

cli_struct!(t::ClientCertificateConfig {
    "clientCertificateCallbackArn" => client_certificate_callback_arn,
});

cli_struct!(
    aws_sdk_iot::operation::describe_domain_configuration::DescribeDomainConfigurationOutput {
        "domainConfigurationName" => domain_configuration_name,
        "domainConfigurationArn" => domain_configuration_arn,
        "domainName" => domain_name,
        "serverCertificates" => server_certificates,
        "authorizerConfig" => authorizer_config,
        "domainConfigurationStatus" => domain_configuration_status,
        "serviceType" => service_type,
        "domainType" => domain_type,
        "lastStatusChangeDate" => last_status_change_date,
        "tlsConfig" => tls_config,
        "serverCertificateConfig" => server_certificate_config,
        "authenticationType" => authentication_type,
        "applicationProtocol" => application_protocol,
        "clientCertificateConfig" => client_certificate_config,
    }
);

// Custom authorizers (layout extension): botocore `AuthorizerSummary`, `AuthorizerDescription`.
cli_enum!(t::AuthorizerStatus);

cli_struct!(t::AuthorizerSummary {
    "authorizerName" => authorizer_name,
    "authorizerArn" => authorizer_arn,
});

cli_struct!(t::AuthorizerDescription {
    "authorizerName" => authorizer_name,
    "authorizerArn" => authorizer_arn,
    "authorizerFunctionArn" => authorizer_function_arn,
    "tokenKeyName" => token_key_name,
    "tokenSigningPublicKeys" => token_signing_public_keys,
    "status" => status,
    "creationDate" => creation_date,
    "lastModifiedDate" => last_modified_date,
    "signingDisabled" => signing_disabled,
    "enableCachingForHttp" => enable_caching_for_http,
});

cli_struct!(aws_sdk_iot::operation::describe_authorizer::DescribeAuthorizerOutput {
    "authorizerDescription" => authorizer_description,
});

// Thing groups (layout extension).
cli_enum!(t::DynamicGroupStatus);

cli_struct!(t::GroupNameAndArn {
    "groupName" => group_name,
    "groupArn" => group_arn,
});

cli_struct!(t::AttributePayload {
    "attributes" => attributes,
});

cli_struct!(t::ThingGroupProperties {
    "thingGroupDescription" => thing_group_description,
    "attributePayload" => attribute_payload,
});

cli_struct!(t::ThingGroupMetadata {
    "parentGroupName" => parent_group_name,
    "rootToParentThingGroups" => root_to_parent_thing_groups,
    "creationDate" => creation_date,
});

cli_struct!(aws_sdk_iot::operation::describe_thing_group::DescribeThingGroupOutput {
    "thingGroupName" => thing_group_name,
    "thingGroupId" => thing_group_id,
    "thingGroupArn" => thing_group_arn,
    "version" => version,
    "thingGroupProperties" => thing_group_properties,
    "thingGroupMetadata" => thing_group_metadata,
    "indexName" => index_name,
    "queryString" => query_string,
    "queryVersion" => query_version,
    "status" => status,
});
