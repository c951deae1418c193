//! Reading the DNS layout extensions (`docs/snapshot-layout.md`, "Extensions": Route 53 Profiles
//! and DNS Firewall). Every file is optional; per-resource folders are read whole (a Profile or
//! rule group shared through RAM may be listed by another account), and each file must hold the
//! resource its name says.
use super::{field_error, Reader};
use crate::snapshot::dnsx::*;
use crate::snapshot::SnapshotError;

impl Reader<'_> {
    pub(in crate::snapshot) fn dns_extensions(
        &mut self,
        base: &str,
    ) -> Result<DnsExt, SnapshotError> {
        let mut x = DnsExt::default();
        let profiles = |op: &str| format!("{base}/route53profiles/{op}");
        let resolver = |op: &str| format!("{base}/route53resolver/{op}");

        x.profile_associations = self.optional(
            &format!("{}.json", profiles("list-profile-associations")),
            "ProfileAssociations",
        )?;
        for (key, rel) in self.folder(&profiles("list-profile-resource-associations"))? {
            let items: Vec<ProfileResourceAssociation> =
                self.list(&rel, "ProfileResourceAssociations")?.items;
            for (i, r) in items.iter().enumerate() {
                if let Some(other) = r.profile_id.as_deref().filter(|p| *p != key) {
                    return Err(field_error(
                        &rel,
                        &format!("ProfileResourceAssociations[{i}].ProfileId"),
                        format!("is {other:?}, but the file is for Profile {key}"),
                    ));
                }
            }
            x.profile_resources.insert(key, items);
        }

        x.firewall_associations = self.optional(
            &format!("{}.json", resolver("list-firewall-rule-group-associations")),
            "FirewallRuleGroupAssociations",
        )?;
        for (key, rel) in self.folder(&resolver("list-firewall-rules"))? {
            let items: Vec<FirewallRule> = self.list(&rel, "FirewallRules")?.items;
            for (i, r) in items.iter().enumerate() {
                if let Some(other) = r.firewall_rule_group_id.as_deref().filter(|g| *g != key) {
                    return Err(field_error(
                        &rel,
                        &format!("FirewallRules[{i}].FirewallRuleGroupId"),
                        format!("is {other:?}, but the file is for rule group {key}"),
                    ));
                }
            }
            x.firewall_rules.insert(key, items);
        }
        x.firewall_domain_lists = self.optional(
            &format!("{}.json", resolver("list-firewall-domain-lists")),
            "FirewallDomainLists",
        )?;
        for (key, rel) in self.folder(&resolver("list-firewall-domains"))? {
            let items: Vec<String> = self.list(&rel, "Domains")?.items;
            x.firewall_domains.insert(key, items);
        }
        x.firewall_configs = self.optional(
            &format!("{}.json", resolver("list-firewall-configs")),
            "FirewallConfigs",
        )?;
        Ok(x)
    }

    /// An optional listing: `None` when the snapshot does not have the file.
    fn optional<T: serde::de::DeserializeOwned>(
        &mut self,
        rel: &str,
        key: &str,
    ) -> Result<Option<Vec<T>>, SnapshotError> {
        if !self.files.contains(rel) {
            return Ok(None);
        }
        Ok(Some(self.list(rel, key)?.items))
    }

    /// The `<key>.json` files of a per-resource folder, as (key, path).
    fn folder(&mut self, dir: &str) -> Result<Vec<(String, String)>, SnapshotError> {
        let (names, subdirs) = self.files.children(dir);
        if let Some(sub) = subdirs.first() {
            return Err(field_error(
                &format!("{dir}/{sub}"),
                "(file)",
                "is a folder inside a per-resource folder; the layout has none",
            ));
        }
        let mut out = Vec::new();
        for name in names {
            let file = format!("{dir}/{name}");
            let Some(key) = name.strip_suffix(".json").filter(|k| !k.is_empty()) else {
                return Err(field_error(
                    &file,
                    "(file)",
                    "is not a <resource id>.json file; the layout has no other files here",
                ));
            };
            out.push((key.to_string(), file));
        }
        Ok(out)
    }
}
