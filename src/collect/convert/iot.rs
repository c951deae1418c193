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
