//! Index of Transit Gateway policy tables (extension files): which attachment is associated with
//! which policy table, and each table's entries.
//!
//! Transit Gateway guide, "Policy table concepts": an attachment is associated with either a
//! policy table or a route table, never both; traffic arriving on an attachment associated with
//! a policy table is classified by the table's rules, which choose the route table.
use std::collections::{BTreeSet, HashMap};

use crate::snapshot::records::{TgwPolicyTable, TgwPolicyTableEntry};
use crate::snapshot::Regional;

/// An attachment's policy-table association as the snapshot shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyAssociation<'s> {
    /// Exactly one table lists the attachment, in `state` (`associated`, `associating`, …;
    /// `None` when AWS omitted it).
    One {
        table: &'s str,
        state: Option<&'s str>,
    },
    /// Several tables list it: AWS allows one, so the snapshot is inconsistent.
    Several(Vec<&'s str>),
}

#[derive(Debug, Default)]
pub struct PolicyIndex<'s> {
    pub tables: HashMap<&'s str, &'s TgwPolicyTable>,
    /// Policy table ids listed by more than one account or Region (AWS shows a table to its
    /// owner only): which copy holds is unknown.
    pub conflicting: BTreeSet<&'s str>,
    associations: HashMap<&'s str, Vec<(&'s str, Option<&'s str>)>>,
    entries: HashMap<&'s str, &'s [TgwPolicyTableEntry]>,
    /// (account, Region) pairs whose snapshot has the policy-table listing.
    pub listed_in: BTreeSet<(&'s str, &'s str)>,
}

impl<'s> PolicyIndex<'s> {
    pub fn add(&mut self, r: &'s Regional) {
        let Some(tables) = &r.tgw_policy_tables else {
            return;
        };
        self.listed_in.insert((&r.account, &r.region));
        for t in tables {
            let id = t.transit_gateway_policy_table_id.as_str();
            if self.tables.insert(id, t).is_some() {
                self.conflicting.insert(id);
            }
        }
        for (table, assocs) in &r.tgw_policy_associations {
            for a in assocs {
                // `disassociated` is history: the attachment no longer uses the table.
                if a.state.as_deref() == Some("disassociated") {
                    continue;
                }
                self.associations
                    .entry(&a.transit_gateway_attachment_id)
                    .or_default()
                    .push((table, a.state.as_deref()));
            }
        }
        for (table, entries) in &r.tgw_policy_entries {
            self.entries.insert(table, entries);
        }
    }

    /// The policy table `attachment` is associated with, if any table lists it.
    pub fn association(&self, attachment: &str) -> Option<PolicyAssociation<'s>> {
        let list = self.associations.get(attachment)?;
        let mut tables: Vec<&'s str> = list.iter().map(|(t, _)| *t).collect();
        tables.sort();
        tables.dedup();
        if tables.len() > 1 {
            return Some(PolicyAssociation::Several(tables));
        }
        let (table, state) = list[0];
        Some(PolicyAssociation::One { table, state })
    }

    /// The entries of a policy table, when its entries file is in the snapshot and complete.
    pub fn entries(&self, table: &str) -> Option<&'s [TgwPolicyTableEntry]> {
        self.entries.get(table).copied()
    }
}
