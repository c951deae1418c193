//! The IoT extension files (layout "Extensions"): `iot/list-domain-configurations.json` with
//! `iot/describe-domain-configuration/<domainConfigurationName>.json`, and
//! `iot/list-authorizers.json` with `iot/describe-authorizer/<authorizerName>.json`. Optional:
//! without the listing the field stays `None` and `verify` says what it assumed (PP019). With
//! the listing, each per-resource file is required (a missing one is a gap, PP017) and must name
//! its own resource.
use std::collections::BTreeSet;

use super::{field_error, Listing, Reader};
use crate::snapshot::iot_records::{
    thing_name_ok, AuthorizerSummary, DescribeAuthorizer, DomainConfiguration,
    DomainConfigurationSummary, GroupNameAndArn, ThingGroup,
};
use crate::snapshot::{Regional, SnapshotError};

impl Reader<'_> {
    pub(super) fn iot_extensions(
        &mut self,
        r: &mut Regional,
        base: &str,
    ) -> Result<(), SnapshotError> {
        self.domain_configurations(r, base)?;
        self.authorizers(r, base)?;
        self.thing_groups(r, base)
    }

    /// `list-thing-groups` (all groups, `--recursive`), `describe-thing-group` per group (parent,
    /// dynamic query) and `list-things-in-thing-group` per static group (direct members).
    fn thing_groups(&mut self, r: &mut Regional, base: &str) -> Result<(), SnapshotError> {
        let rel = format!("{base}/iot/list-thing-groups.json");
        let dir = format!("{base}/iot/describe-thing-group");
        let members_dir = format!("{base}/iot/list-things-in-thing-group");
        if !self.files.contains(&rel) {
            return Ok(());
        }
        let l: Listing<GroupNameAndArn> = self.list(&rel, "thingGroups")?;
        Self::unique(&rel, "thingGroups", &l, "groupName", |x| {
            Some(x.group_name.clone())
        })?;
        let mut out = Vec::new();
        let mut dynamic = BTreeSet::new();
        for s in &l.items {
            let name = &s.group_name;
            let file = format!("{dir}/{name}.json");
            let Some(g) = self.object::<ThingGroup>(&file, true)? else {
                // A gap already; the members file (if any) is read so it is not left over.
                let members = format!("{members_dir}/{name}.json");
                if self.files.contains(&members) {
                    let _: Listing<String> = self.list(&members, "things")?;
                }
                continue;
            };
            {
                if &g.thing_group_name != name {
                    return Err(field_error(
                        &file,
                        "thingGroupName",
                        format!(
                            "is {:?}, but the file is for thing group {name:?}",
                            g.thing_group_name
                        ),
                    ));
                }
                if let Some(arn) = &s.group_arn {
                    if arn != &g.thing_group_arn {
                        return Err(field_error(
                            &file,
                            "thingGroupArn",
                            format!(
                                "is {:?}, but list-thing-groups lists {arn:?}",
                                g.thing_group_arn
                            ),
                        ));
                    }
                }
                if g.dynamic() {
                    dynamic.insert(name.clone());
                } else {
                    let file = format!("{members_dir}/{name}.json");
                    let things: Listing<String> = self.list(&file, "things")?;
                    for (t, at) in things.items.iter().zip(&things.at) {
                        thing_name_ok(t)
                            .map_err(|e| field_error(&file, &format!("things[{at}]"), e))?;
                    }
                    if things.complete {
                        r.iot_group_things.insert(name.clone(), things.items);
                    }
                }
                out.push(g);
            }
        }
        let keys: BTreeSet<String> = l.items.iter().map(|s| s.group_name.clone()).collect();
        self.per_resource_dir(&dir, &keys, &rel, l.complete)?;
        // Dynamic groups have no members file; one there is stale.
        let members: BTreeSet<String> = keys.difference(&dynamic).cloned().collect();
        self.per_resource_dir(&members_dir, &members, &rel, l.complete)?;
        r.iot_thing_groups = Some(out);
        r.iot_thing_groups_complete = l.complete;
        Ok(())
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
