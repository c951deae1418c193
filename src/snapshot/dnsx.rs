//! Records of the DNS layout extensions (issue 9): Route 53 Profiles and Route 53 Resolver DNS
//! Firewall. Every file is optional (`docs/snapshot-layout.md`, "Extensions"): a listing the
//! snapshot does not have is `None`, and the verification says what it assumed (PP019).
//!
//! Field names and optionality follow botocore's `route53profiles` and `route53resolver` service
//! models (`ProfileAssociation`, `ProfileResourceAssociation`, `FirewallRuleGroupAssociation`,
//! `FirewallRule`, `FirewallDomainListMetadata`, `FirewallConfig`): no member is required there,
//! so a field the model needs is declared without `default` and a record without it is left out
//! with a gap (PP017).
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::valid as v;

/// `route53profiles list-profile-associations`: which Profile a VPC uses (one per VPC).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProfileAssociation {
    #[serde(default, deserialize_with = "v::present")]
    pub id: Option<String>,
    pub profile_id: String,
    /// The VPC id.
    pub resource_id: String,
    /// `COMPLETE`, `DELETING`, `UPDATING`, `CREATING`, `DELETED` or `FAILED`.
    #[serde(default, deserialize_with = "v::present")]
    pub status: Option<String>,
}

/// `route53profiles list-profile-resource-associations --profile-id …`: a resource a Profile
/// brings into its VPCs.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProfileResourceAssociation {
    #[serde(default, deserialize_with = "v::present")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub profile_id: Option<String>,
    pub resource_arn: String,
    #[serde(default, deserialize_with = "v::present")]
    pub resource_type: Option<String>,
    /// JSON text (for a firewall rule group: `{"priority": N}`).
    #[serde(default, deserialize_with = "v::present")]
    pub resource_properties: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub status: Option<String>,
}

/// `route53resolver list-firewall-rule-group-associations`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FirewallRuleGroupAssociation {
    #[serde(default, deserialize_with = "v::present")]
    pub id: Option<String>,
    pub firewall_rule_group_id: String,
    pub vpc_id: String,
    pub priority: i64,
    /// `COMPLETE`, `DELETING` or `UPDATING`.
    #[serde(default, deserialize_with = "v::present")]
    pub status: Option<String>,
}

/// `route53resolver list-firewall-rules --firewall-rule-group-id …`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FirewallRule {
    #[serde(default, deserialize_with = "v::present")]
    pub firewall_rule_group_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub firewall_domain_list_id: Option<String>,
    /// DNS Firewall Advanced rules have this instead of a domain list.
    #[serde(default, deserialize_with = "v::present")]
    pub firewall_threat_protection_id: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub dns_threat_protection: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub name: Option<String>,
    pub priority: i64,
    /// `ALLOW`, `BLOCK` or `ALERT`.
    pub action: String,
    /// `NODATA`, `NXDOMAIN` or `OVERRIDE` (BLOCK only).
    #[serde(default, deserialize_with = "v::present")]
    pub block_response: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub block_override_domain: Option<String>,
    #[serde(default, deserialize_with = "v::present")]
    pub block_override_dns_type: Option<String>,
    /// `INSPECT_REDIRECTION_DOMAIN` (default) or `TRUST_REDIRECTION_DOMAIN`.
    #[serde(default, deserialize_with = "v::present")]
    pub firewall_domain_redirection_action: Option<String>,
    /// The query type the rule applies to (all types when absent).
    #[serde(default, deserialize_with = "v::present")]
    pub qtype: Option<String>,
}

/// `route53resolver list-firewall-domain-lists`: which lists AWS manages.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FirewallDomainList {
    pub id: String,
    #[serde(default, deserialize_with = "v::present")]
    pub name: Option<String>,
    /// Set for lists AWS manages (their domains cannot be listed).
    #[serde(default, deserialize_with = "v::present")]
    pub managed_owner_name: Option<String>,
}

/// `route53resolver list-firewall-configs`: the fail-open setting of each VPC.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FirewallConfig {
    /// The VPC id.
    pub resource_id: String,
    /// `ENABLED`, `DISABLED` or `USE_LOCAL_RESOURCE_SETTING`.
    #[serde(default, deserialize_with = "v::present")]
    pub firewall_fail_open: Option<String>,
}

/// The DNS extension files of one account and Region. `None`: the listing is not in the snapshot.
#[derive(Debug, Clone, Default)]
pub struct DnsExt {
    pub profile_associations: Option<Vec<ProfileAssociation>>,
    /// Profile id → its resource associations (files present in the snapshot).
    pub profile_resources: BTreeMap<String, Vec<ProfileResourceAssociation>>,
    pub firewall_associations: Option<Vec<FirewallRuleGroupAssociation>>,
    /// Rule group id → its rules (files present in the snapshot).
    pub firewall_rules: BTreeMap<String, Vec<FirewallRule>>,
    pub firewall_domain_lists: Option<Vec<FirewallDomainList>>,
    /// Domain list id → its domains (files present in the snapshot).
    pub firewall_domains: BTreeMap<String, Vec<String>>,
    pub firewall_configs: Option<Vec<FirewallConfig>>,
}
