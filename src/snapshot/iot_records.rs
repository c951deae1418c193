//! Typed records for the IoT extension files of the layout (docs/snapshot-layout.md,
//! "Extensions"): domain configurations and custom authorizers. Field names are the IoT API's
//! own (camelCase); see [`super::records`] for the conventions.
use serde::{Deserialize, Deserializer, Serialize};

use super::valid as v;

/// Domain configuration names: `[\w.:-]+`, 1–128 characters (IoT API Reference,
/// DomainConfigurationSummary / DescribeDomainConfiguration, `ReservedDomainConfigurationName`:
/// the default endpoints' configurations are named `iot:Data-ATS`, … with a colon). The name
/// becomes a file name (`describe-domain-configuration/<name>.json`), so it is validated: no
/// `/`, `\`, NUL, and never `.` or `..`.
pub fn domain_configuration_name_ok(s: &str) -> Result<(), String> {
    let ok = (1..=128).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.:-".contains(&b))
        && s != "."
        && s != "..";
    ok.then_some(()).ok_or_else(|| {
        format!("{s:?} is not a domain configuration name (1-128 of letters, digits and _.:-)")
    })
}

/// Custom authorizer names: `[\w=,@-]+`, 1–128 characters (IoT API Reference, AuthorizerSummary,
/// `AuthorizerName`). Also a file name (`describe-authorizer/<name>.json`).
pub fn authorizer_name_ok(s: &str) -> Result<(), String> {
    let ok = (1..=128).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_=,@-".contains(&b));
    ok.then_some(()).ok_or_else(|| {
        format!("{s:?} is not an IoT authorizer name (1-128 of letters, digits and _=,@-)")
    })
}

fn checked<'de, D: Deserializer<'de>>(
    d: D,
    check: impl Fn(&str) -> Result<(), String>,
) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    check(&s).map_err(serde::de::Error::custom)?;
    Ok(s)
}

fn domain_configuration_name<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    checked(d, domain_configuration_name_ok)
}

fn authorizer_name<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    checked(d, authorizer_name_ok)
}

fn opt_authorizer_name<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    authorizer_name(d).map(Some)
}

/// A domain name devices dial: 1–253 characters (CreateDomainConfiguration `domainName`), no
/// white space or control characters (no DNS name has them).
fn domain_name<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    checked(d, |s| {
        let ok =
            (1..=253).contains(&s.len()) && !s.chars().any(|c| c.is_whitespace() || c.is_control());
        ok.then_some(())
            .ok_or_else(|| format!("{s:?} is not a domain name"))
    })
}

/// `list-domain-configurations` → `domainConfigurations[]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DomainConfigurationSummary {
    #[serde(deserialize_with = "domain_configuration_name")]
    pub domain_configuration_name: String,
    #[serde(default, deserialize_with = "v::present")]
    pub service_type: Option<String>,
}

/// `describe-domain-configuration/<domainConfigurationName>.json`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DomainConfiguration {
    pub domain_configuration_name: String,
    /// The name devices dial. Without it the configuration cannot be modelled (a gap).
    #[serde(deserialize_with = "domain_name")]
    pub domain_name: String,
    /// `ENABLED` | `DISABLED`; absent is treated as enabled (fail closed).
    #[serde(default, deserialize_with = "v::present")]
    pub domain_configuration_status: Option<String>,
    /// `DATA` | `CREDENTIAL_PROVIDER` | `JOBS`; absent is treated as `DATA` (fail closed).
    #[serde(default, deserialize_with = "v::present")]
    pub service_type: Option<String>,
    /// `ENDPOINT` | `AWS_MANAGED` | `CUSTOMER_MANAGED`.
    #[serde(default, deserialize_with = "v::present")]
    pub domain_type: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub authorizer_config: Option<AuthorizerConfig>,
}

impl DomainConfiguration {
    /// Devices can connect to it: `ENABLED` (IoT Developer Guide, "Managing domain
    /// configurations": a DISABLED configuration answers devices with an authentication error).
    pub fn enabled(&self) -> bool {
        self.domain_configuration_status.as_deref() != Some("DISABLED")
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizerConfig {
    #[serde(default, deserialize_with = "opt_authorizer_name")]
    pub default_authorizer_name: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub allow_authorizer_override: Option<bool>,
}

/// `list-authorizers` → `authorizers[]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizerSummary {
    #[serde(deserialize_with = "authorizer_name")]
    pub authorizer_name: String,
}

/// `describe-authorizer/<authorizerName>.json`: `{"authorizerDescription": {...}}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeAuthorizer {
    pub authorizer_description: Authorizer,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Authorizer {
    pub authorizer_name: String,
    /// `ACTIVE` | `INACTIVE`; absent is treated as active (fail closed).
    #[serde(default, deserialize_with = "v::present")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub authorizer_function_arn: Option<String>,
}

impl Authorizer {
    /// IoT invokes only ACTIVE authorizers (IoT API Reference, AuthorizerDescription `status`).
    pub fn active(&self) -> bool {
        self.status.as_deref() != Some("INACTIVE")
    }
}

/// Thing group and thing names: `[a-zA-Z0-9:_-]+`, 1–128 characters (IoT API Reference,
/// `ThingGroupName`, `ThingName`). A group name becomes a file name
/// (`describe-thing-group/<name>.json`), so it is validated.
pub fn thing_group_name_ok(s: &str) -> Result<(), String> {
    let ok = (1..=128).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_:-".contains(&b));
    ok.then_some(()).ok_or_else(|| {
        format!("{s:?} is not a thing group name (1-128 of letters, digits and _:-)")
    })
}

fn thing_group_name<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    checked(d, thing_group_name_ok)
}

fn opt_thing_group_name<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    thing_group_name(d).map(Some)
}

/// `list-thing-groups` → `thingGroups[]` (GroupNameAndArn).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupNameAndArn {
    #[serde(deserialize_with = "thing_group_name")]
    pub group_name: String,
    #[serde(default, deserialize_with = "v::present")]
    pub group_arn: Option<String>,
}

/// `describe-thing-group/<thingGroupName>.json`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThingGroup {
    pub thing_group_name: String,
    /// The ARN policy targets name. Without it the group's policies cannot be found (a gap).
    pub thing_group_arn: String,
    #[serde(default, deserialize_with = "v::present")]
    pub thing_group_metadata: Option<ThingGroupMetadata>,
    /// Set for dynamic thing groups (IoT API Reference, DescribeThingGroup `queryString`):
    /// membership follows a fleet indexing query and changes without any call.
    #[serde(default, deserialize_with = "v::present")]
    pub query_string: Option<String>,
}

impl ThingGroup {
    pub fn dynamic(&self) -> bool {
        self.query_string.is_some()
    }

    pub fn parent(&self) -> Option<&str> {
        self.thing_group_metadata
            .as_ref()
            .and_then(|m| m.parent_group_name.as_deref())
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThingGroupMetadata {
    #[serde(default, deserialize_with = "opt_thing_group_name")]
    pub parent_group_name: Option<String>,
}

/// Thing names (`list-things-in-thing-group` → `things[]`): same pattern as group names.
pub fn thing_name_ok(s: &str) -> Result<(), String> {
    thing_group_name_ok(s)
        .map_err(|_| format!("{s:?} is not a thing name (1-128 of letters, digits and _:-)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_become_file_names() {
        for ok in ["iot:Data-ATS", "my-domain.config_1", "a"] {
            assert!(domain_configuration_name_ok(ok).is_ok(), "{ok}");
        }
        for bad in ["", ".", "..", "a/b", "a\\b", "a b", &"x".repeat(129)] {
            assert!(domain_configuration_name_ok(bad).is_err(), "{bad:?}");
        }
        for ok in ["device-authorizer", "a=b,c@d_e"] {
            assert!(authorizer_name_ok(ok).is_ok(), "{ok}");
        }
        for bad in ["", ".", "a.b", "a/b", "a:b"] {
            assert!(authorizer_name_ok(bad).is_err(), "{bad:?}");
        }
        for ok in ["fleet", "fleet:eu_west-1"] {
            assert!(thing_group_name_ok(ok).is_ok(), "{ok}");
        }
        for bad in ["", ".", "..", "a.b", "a/b", "a b", &"x".repeat(129)] {
            assert!(thing_group_name_ok(bad).is_err(), "{bad:?}");
        }
    }
}
