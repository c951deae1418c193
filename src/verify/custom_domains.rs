//! IoT domain configurations (IoT Developer Guide, "Domain configurations", "What is a domain
//! configuration?", "Creating and configuring AWS managed / customer managed domains"): every
//! ENABLED configuration is an endpoint name devices may dial, besides the names
//! `describe-endpoint` returns. Each one becomes a destination proven exactly like the ATS name
//! (private resolution in every source VPC and from on-premises, then the path); a name that
//! resolves publicly is PP003 on the source, naming the configuration and its domain.
//!
//! - `serviceType` DATA (or absent: fail closed) is the data plane (`iot:Data-ATS`), for devices,
//!   on-premises and consumers, like the ATS name.
//! - CREDENTIAL_PROVIDER is the credential provider: a destination for devices and on-premises
//!   when the gatekeeper VPC has an `iot.credentials` endpoint, like the credentials name.
//! - JOBS configurations are not destinations: the Jobs endpoint is not proven for the
//!   `describe-endpoint` name either.
//! - DISABLED configurations answer devices with an authentication error ("Managing domain
//!   configurations"): not a name devices can use.
//!
//! Without `iot/list-domain-configurations.json` only the `describe-endpoint` names are proven,
//! and PP019 says so.
use std::collections::BTreeSet;

use super::findings::Findings;
use super::intent::IotService;
use super::scope::Destination;
use crate::snapshot::Regional;

/// DNS names compare case-insensitively and without a trailing dot.
fn same_name(a: &str, b: &str) -> bool {
    a.trim_end_matches('.')
        .eq_ignore_ascii_case(b.trim_end_matches('.'))
}

/// Adds the enabled domain configurations of `regional` to `out` (names already there are not
/// repeated; the default endpoint's configuration names the ATS endpoint itself).
pub(super) fn add_destinations(
    regional: &Regional,
    services: &BTreeSet<IotService>,
    out: &mut Vec<Destination>,
) {
    let Some(configs) = &regional.iot_domain_configurations else {
        return;
    };
    for c in configs.iter().filter(|c| c.enabled()) {
        let (service, for_consumers) = match c.service_type.as_deref() {
            Some("CREDENTIAL_PROVIDER") => {
                if !services.contains(&IotService::Credentials) {
                    continue;
                }
                (IotService::Credentials, false)
            }
            Some("JOBS") => continue,
            _ => (IotService::Data, true),
        };
        if out.iter().any(|d| same_name(&d.name, &c.domain_name)) {
            continue;
        }
        out.push(Destination {
            name: c.domain_name.trim_end_matches('.').to_string(),
            service,
            for_consumers,
            origin: Some(format!(
                "domain configuration {}",
                c.domain_configuration_name
            )),
        });
    }
}

/// PP019 when a gatekeeper account/region has no `list-domain-configurations` file.
pub(super) fn check_present(regional: &Regional, findings: &mut Findings) {
    if regional.iot_domain_configurations.is_none() {
        let file = format!(
            "{}/{}/iot/list-domain-configurations.json",
            regional.account, regional.region
        );
        findings.add(
            "PP019",
            &file,
            format!(
                "IoT domain configurations of {} {} are not in the snapshot ({file}); assumed devices dial only the describe-endpoint names",
                regional.account, regional.region
            ),
            None,
            serde_json::Value::Null,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::iot_records::DomainConfiguration;

    fn config(
        name: &str,
        domain: &str,
        status: Option<&str>,
        service: Option<&str>,
    ) -> DomainConfiguration {
        serde_json::from_value(serde_json::json!({
            "domainConfigurationName": name,
            "domainName": domain,
        }))
        .map(|mut c: DomainConfiguration| {
            c.domain_configuration_status = status.map(str::to_string);
            c.service_type = service.map(str::to_string);
            c
        })
        .unwrap()
    }

    /// The table of the IoT Developer Guide's domain configuration pages: which configurations
    /// are names devices dial.
    #[test]
    fn enabled_data_and_credential_configurations_are_destinations() {
        let r = Regional {
            iot_domain_configurations: Some(vec![
                config(
                    "iot:Data-ATS",
                    "a1-ats.iot.us-west-2.amazonaws.com",
                    Some("ENABLED"),
                    Some("DATA"),
                ),
                config("custom", "mqtt.example.com", Some("ENABLED"), Some("DATA")),
                config("off", "off.example.com", Some("DISABLED"), Some("DATA")),
                config("jobs", "jobs.example.com", Some("ENABLED"), Some("JOBS")),
                config(
                    "creds",
                    "creds.example.com",
                    Some("ENABLED"),
                    Some("CREDENTIAL_PROVIDER"),
                ),
                config("unknown", "unknown.example.com", None, None),
            ]),
            ..Default::default()
        };
        let ats = Destination {
            name: "A1-ats.iot.us-west-2.amazonaws.com".into(),
            service: IotService::Data,
            for_consumers: true,
            origin: None,
        };
        let names = |services: &[IotService]| {
            let mut out = vec![ats.clone()];
            add_destinations(&r, &services.iter().copied().collect(), &mut out);
            out.iter()
                .map(|d| (d.name.clone(), d.service, d.for_consumers))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(&[IotService::Data]),
            vec![
                (
                    "A1-ats.iot.us-west-2.amazonaws.com".into(),
                    IotService::Data,
                    true
                ),
                ("mqtt.example.com".into(), IotService::Data, true),
                ("unknown.example.com".into(), IotService::Data, true),
            ]
        );
        assert!(
            names(&[IotService::Data, IotService::Credentials]).contains(&(
                "creds.example.com".into(),
                IotService::Credentials,
                false
            ))
        );
    }
}
