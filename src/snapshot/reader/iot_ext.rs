//! The IoT extension files (layout "Extensions"): `iot/list-domain-configurations.json` with
//! `iot/describe-domain-configuration/<domainConfigurationName>.json`, and
//! `iot/list-authorizers.json` with `iot/describe-authorizer/<authorizerName>.json`. Optional:
//! without the listing the field stays `None` and `verify` says what it assumed (PP019). With
//! the listing, each per-resource file is required (a missing one is a gap, PP017) and must name
//! its own resource.
use std::collections::BTreeSet;

use super::{field_error, Listing, Reader};
use crate::snapshot::iot_records::{
    AuthorizerSummary, DescribeAuthorizer, DomainConfiguration, DomainConfigurationSummary,
};
use crate::snapshot::{Regional, SnapshotError};

impl Reader<'_> {
    pub(super) fn iot_extensions(
        &mut self,
        r: &mut Regional,
        base: &str,
    ) -> Result<(), SnapshotError> {
        self.domain_configurations(r, base)?;
        self.authorizers(r, base)
    }

    fn domain_configurations(&mut self, r: &mut Regional, base: &str) -> Result<(), SnapshotError> {
        let rel = format!("{base}/iot/list-domain-configurations.json");
        let dir = format!("{base}/iot/describe-domain-configuration");
        if !self.files.contains(&rel) {
            // No listing: its per-resource files are not read, so they are content the layout
            // does not cover (PP020), not a stale file of a listing.
            return Ok(());
        }
        let l: Listing<DomainConfigurationSummary> = self.list(&rel, "domainConfigurations")?;
        Self::unique(
            &rel,
            "domainConfigurations",
            &l,
            "domainConfigurationName",
            |x| Some(x.domain_configuration_name.clone()),
        )?;
        let mut out = Vec::new();
        for s in &l.items {
            let name = &s.domain_configuration_name;
            let file = format!("{dir}/{name}.json");
            if let Some(c) = self.object::<DomainConfiguration>(&file, true)? {
                if &c.domain_configuration_name != name {
                    return Err(field_error(
                        &file,
                        "domainConfigurationName",
                        format!(
                            "is {:?}, but the file is for domain configuration {name:?}",
                            c.domain_configuration_name
                        ),
                    ));
                }
                out.push(c);
            }
        }
        let keys: BTreeSet<String> = l
            .items
            .iter()
            .map(|s| s.domain_configuration_name.clone())
            .collect();
        self.per_resource_dir(&dir, &keys, &rel, l.complete)?;
        r.iot_domain_configurations = Some(out);
        r.iot_domain_configurations_complete = l.complete;
        Ok(())
    }

    fn authorizers(&mut self, r: &mut Regional, base: &str) -> Result<(), SnapshotError> {
        let rel = format!("{base}/iot/list-authorizers.json");
        let dir = format!("{base}/iot/describe-authorizer");
        if !self.files.contains(&rel) {
            return Ok(());
        }
        let l: Listing<AuthorizerSummary> = self.list(&rel, "authorizers")?;
        Self::unique(&rel, "authorizers", &l, "authorizerName", |x| {
            Some(x.authorizer_name.clone())
        })?;
        let mut out = Vec::new();
        for s in &l.items {
            let name = &s.authorizer_name;
            let file = format!("{dir}/{name}.json");
            if let Some(a) = self.object::<DescribeAuthorizer>(&file, true)? {
                let a = a.authorizer_description;
                if &a.authorizer_name != name {
                    return Err(field_error(
                        &file,
                        "authorizerDescription.authorizerName",
                        format!(
                            "is {:?}, but the file is for authorizer {name:?}",
                            a.authorizer_name
                        ),
                    ));
                }
                out.push(a);
            }
        }
        let keys: BTreeSet<String> = l.items.iter().map(|s| s.authorizer_name.clone()).collect();
        self.per_resource_dir(&dir, &keys, &rel, l.complete)?;
        r.iot_authorizers = Some(out);
        r.iot_authorizers_complete = l.complete;
        Ok(())
    }
}
