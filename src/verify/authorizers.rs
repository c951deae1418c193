//! IoT custom authorizers (IoT Developer Guide, "Custom authentication and authorization",
//! "Understanding the custom authentication workflow"): a device that connects through a custom
//! authorizer gets the IoT policies the authorizer's Lambda function returns at connect time.
//! No snapshot holds them, so the IoT policy proof cannot cover such a connection: every ACTIVE
//! authorizer is PP015 (unproven) naming it, unless the intent file accepts it by name with a
//! justification (`accepted_authorizers`), which every report prints.
//!
//! Which authorizers devices can use: a domain configuration's `authorizerConfig` names a default
//! authorizer and whether devices may name another (`allowAuthorizerOverride`); a device may also
//! name an authorizer on the connection. Whether a particular endpoint refuses a named authorizer
//! is not decided offline, so every ACTIVE authorizer counts as usable (fail closed); INACTIVE
//! authorizers are not invoked (IoT API Reference, AuthorizerDescription `status`). A domain
//! configuration whose default authorizer is not in the listing is PP015 too: the authorizer is
//! unknown. Without `iot/list-authorizers.json` none is assumed, and PP019 says so.
use serde_json::json;

use super::findings::Findings;
use super::intent::Intent;
use crate::snapshot::Regional;

pub(super) fn check(regional: &Regional, intent: &Intent, findings: &mut Findings) {
    let configs = regional.iot_domain_configurations.as_deref().unwrap_or(&[]);
    let defaults_of = |name: &str| -> Vec<String> {
        configs
            .iter()
            .filter(|c| c.enabled())
            .filter(|c| {
                c.authorizer_config
                    .as_ref()
                    .and_then(|a| a.default_authorizer_name.as_deref())
                    == Some(name)
            })
            .map(|c| c.domain_configuration_name.clone())
            .collect()
    };
    let Some(authorizers) = &regional.iot_authorizers else {
        let file = format!(
            "{}/{}/iot/list-authorizers.json",
            regional.account, regional.region
        );
        findings.add(
            "PP019",
            &file,
            format!(
                "IoT custom authorizers of {} {} are not in the snapshot ({file}); assumed none is ACTIVE",
                regional.account, regional.region
            ),
            None,
            serde_json::Value::Null,
        );
        return;
    };
    for a in authorizers.iter().filter(|a| a.active()) {
        let name = &a.authorizer_name;
        if intent.accepted_authorizers.contains_key(name) {
            continue;
        }
        let defaults = defaults_of(name);
        let by_default = if defaults.is_empty() {
            String::new()
        } else {
            format!(
                "; the default authorizer of domain configuration(s) {}",
                defaults.join(", ")
            )
        };
        findings.add(
            "PP015",
            name,
            format!(
                "custom authorizer {name} in {} {} is ACTIVE{by_default}: devices connecting through it get the IoT policies its Lambda function {} returns at connect time, which no snapshot holds; accept it in the intent file (accepted_authorizers) with a justification, or deactivate it",
                regional.account,
                regional.region,
                a.authorizer_function_arn.as_deref().unwrap_or("(unknown)")
            ),
            None,
            json!({ "authorizer": name, "domain_configurations": defaults }),
        );
    }
    // A default authorizer that the listing does not have is unknown (the listing is complete;
    // an incomplete one is already a gap, PP017).
    if regional.iot_authorizers_complete {
        for c in configs.iter().filter(|c| c.enabled()) {
            let Some(name) = c
                .authorizer_config
                .as_ref()
                .and_then(|a| a.default_authorizer_name.as_deref())
            else {
                continue;
            };
            if authorizers.iter().any(|a| a.authorizer_name == name)
                || intent.accepted_authorizers.contains_key(name)
            {
                continue;
            }
            findings.add(
                "PP015",
                name,
                format!(
                    "domain configuration {} names default authorizer {name}, which list-authorizers of {} {} does not have: the policies devices get through it are unknown",
                    c.domain_configuration_name, regional.account, regional.region
                ),
                None,
                serde_json::Value::Null,
            );
        }
    }
}
