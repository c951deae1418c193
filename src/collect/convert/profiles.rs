//! Route 53 Profiles: SDK types → AWS CLI JSON (issue 9 item 7). Member names and order follow
//! the AWS API model; see [`super`] for how the tables work.
use aws_sdk_route53profiles::types as t;

use super::ToCli;

cli_struct!(t::ProfileAssociation {
    "CreationTime" => creation_time,
    "Id" => id,
    "ModificationTime" => modification_time,
    "Name" => name,
    "OwnerId" => owner_id,
    "ProfileId" => profile_id,
    "ResourceId" => resource_id,
    "Status" => status,
    "StatusMessage" => status_message,
});
cli_struct!(t::ProfileResourceAssociation {
    "CreationTime" => creation_time,
    "Id" => id,
    "ModificationTime" => modification_time,
    "Name" => name,
    "OwnerId" => owner_id,
    "ProfileId" => profile_id,
    "ResourceArn" => resource_arn,
    "ResourceProperties" => resource_properties,
    "ResourceType" => resource_type,
    "Status" => status,
    "StatusMessage" => status_message,
});
cli_enum!(t::ProfileStatus);
