//! How one Route 53 hosted zone answers a query of one type, from its record sets alone.
//!
//! - **Types.** A query is answered only by record sets of the queried type, or by a CNAME
//!   (Route 53 API reference, `ResourceRecordSet.Type`). A name that exists with other types only
//!   is NODATA; a name that does not exist is NXDOMAIN.
//! - **CNAME.** A CNAME cannot share its name with any other record ("Choosing between alias and
//!   non-alias records"; RFC 1034 §3.6.2). A snapshot with both is inconsistent and is reported as
//!   such, naming the zone. The CNAME's target is resolved again with the same query type.
//! - **Alias.** An alias record answers queries of its own type only. An alias to another record
//!   of the same zone must have that record's type (API reference, `AliasTarget.DNSName`: "the
//!   alias record must have the same type as the record you're routing traffic to"); an alias to
//!   an AWS resource is resolved outside the zone (interface endpoints: type A; load balancers:
//!   A or AAAA).
//! - **Wildcards** (RFC 4592, Route 53 "DNS domain name format", "Using an asterisk (*) in the
//!   names of hosted zones and records"): `*.parent` answers only for a name that does not exist
//!   with any type, whose closest existing ancestor (the closest encloser) is `parent`. A name
//!   exists if it owns records or has records below it (an empty non-terminal). `*.parent` never
//!   answers for `parent` itself.
//! - **Routing policies.** Every record set of the group could answer (weighted, failover,
//!   latency, geolocation, multivalue), except a weighted non-alias record with `Weight` 0 while a
//!   record of the group with a positive weight can never be unhealthy: the API reference
//!   (`ResourceRecordSet.Weight`) says Route 53 never answers with a weight-0 record, and the
//!   developer guide ("Weighted routing", "Health checks and weighted routing") says weight-0
//!   records are considered only when every positive-weight record is unhealthy. A record can be
//!   unhealthy only with a health check (`HealthCheckId`) or, for an alias, `EvaluateTargetHealth`.
use super::{normalize, QueryType};
use crate::snapshot::records::ResourceRecordSet;

/// Alias chains inside one zone are followed at most this far.
const MAX_ALIAS_DEPTH: usize = 8;

/// One possible answer of the zone for (name, type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Answer {
    /// The value of an address record of the queried type (not yet parsed).
    Value {
        value: String,
    },
    /// A CNAME to `target`: resolve it with the same query type.
    Cname {
        target: String,
    },
    /// An alias of the queried type to a name outside the zone (an AWS resource).
    AliasOut {
        target: String,
    },
    NxDomain,
    /// The name exists, without a record of the queried type.
    NoData {
        types: Vec<String>,
    },
    /// The zone's records cannot be answered from (inconsistent or not modelled).
    Bad {
        reason: String,
    },
}

fn owner(r: &ResourceRecordSet) -> String {
    normalize(&r.name)
}

fn rtype(r: &ResourceRecordSet) -> String {
    r.r#type.trim().to_ascii_uppercase()
}

/// True when `name` is `zone` or below it.
fn within(name: &str, zone: &str) -> bool {
    zone.is_empty() || name == zone || name.ends_with(&format!(".{zone}"))
}

/// Does any record sit below `name` (so `name` exists, at least as an empty non-terminal)?
fn has_descendants(records: &[ResourceRecordSet], name: &str) -> bool {
    let suffix = format!(".{name}");
    records.iter().any(|r| owner(r).ends_with(&suffix))
}

/// The record sets that answer for `qname`: its own, or those of the wildcard at its closest
/// encloser. `Ok(empty)` = the name exists with no records (empty non-terminal); `Err(())` =
/// NXDOMAIN.
fn node<'r>(
    records: &'r [ResourceRecordSet],
    zone: &str,
    qname: &str,
) -> Result<Vec<&'r ResourceRecordSet>, ()> {
    let exact: Vec<_> = records.iter().filter(|r| owner(r) == qname).collect();
    if !exact.is_empty() {
        return Ok(exact);
    }
    if qname == zone || has_descendants(records, qname) {
        return Ok(Vec::new());
    }
    // Closest encloser: the nearest ancestor that exists (the apex always does).
    let mut ancestor = qname;
    while let Some((_, parent)) = ancestor.split_once('.') {
        ancestor = parent;
        if !within(ancestor, zone) {
            break;
        }
        let exists = ancestor == zone
            || records.iter().any(|r| owner(r) == ancestor)
            || has_descendants(records, ancestor);
        if exists {
            let wildcard = format!("*.{ancestor}");
            let sets: Vec<_> = records.iter().filter(|r| owner(r) == wildcard).collect();
            return if sets.is_empty() { Err(()) } else { Ok(sets) };
        }
    }
    Err(())
}

/// Weighted records that Route 53 never answers with (see the module docs).
fn answerable(sets: Vec<&ResourceRecordSet>) -> Vec<&ResourceRecordSet> {
    let can_be_unhealthy = |s: &ResourceRecordSet| {
        s.health_check_id.is_some()
            || s.alias_target
                .as_ref()
                .is_some_and(|a| a.evaluate_target_health)
    };
    let always_answered = sets
        .iter()
        .any(|s| s.weight.is_some_and(|w| w > 0) && !can_be_unhealthy(s));
    sets.into_iter()
        .filter(|s| !(always_answered && s.weight == Some(0) && s.alias_target.is_none()))
        .collect()
}

fn types_of(sets: &[&ResourceRecordSet]) -> Vec<String> {
    let mut types: Vec<String> = sets.iter().map(|r| rtype(r)).collect();
    types.sort();
    types.dedup();
    types
}

/// One query against one zone. `steps` bounds the work alias records can cause (weighted
/// alias sets pointing at weighted alias sets multiply).
struct Query<'r> {
    records: &'r [ResourceRecordSet],
    zone_id: &'r str,
    qtype: QueryType,
    steps: std::cell::Cell<usize>,
}

/// Alias targets inside one zone are followed at most this many times per query.
const MAX_ALIAS_STEPS: usize = 1024;

/// Answer a query for `qname` of type `qtype` in the zone `zone_id` named `zone`.
pub(crate) fn answer(
    records: &[ResourceRecordSet],
    zone_id: &str,
    zone: &str,
    qname: &str,
    qtype: QueryType,
) -> Vec<Answer> {
    let sets = match node(records, zone, qname) {
        Ok(sets) => sets,
        Err(()) => return vec![Answer::NxDomain],
    };
    let q = Query {
        records,
        zone_id,
        qtype,
        steps: std::cell::Cell::new(0),
    };
    q.answer_sets(qname, sets, 0)
}

fn same_zone(alias_zone: &str, zone_id: &str) -> bool {
    alias_zone.trim().trim_start_matches("/hostedzone/") == zone_id
}

impl<'r> Query<'r> {
    fn answer_sets(
        &self,
        name: &str,
        sets: Vec<&'r ResourceRecordSet>,
        depth: usize,
    ) -> Vec<Answer> {
        let qtype = self.qtype;
        let types = types_of(&sets);
        if types.iter().any(|t| t == "CNAME") {
            if types.len() > 1 {
                return vec![Answer::Bad {
                    reason: format!(
                        "{name} has a CNAME and other records ({}); Route 53 does not allow a CNAME to share its name",
                        types.join(", ")
                    ),
                }];
            }
            return answerable(sets)
                .into_iter()
                .flat_map(|set| self.cname(name, set, depth))
                .collect();
        }
        let of_type: Vec<_> = sets
            .iter()
            .copied()
            .filter(|r| rtype(r) == qtype.as_str())
            .collect();
        if of_type.is_empty() {
            return vec![Answer::NoData { types }];
        }
        let mut out = Vec::new();
        for set in answerable(of_type) {
            match &set.alias_target {
                Some(alias) if same_zone(&alias.hosted_zone_id, self.zone_id) => {
                    let target = normalize(&alias.dns_name);
                    out.extend(self.alias_in_zone(name, &target, depth));
                }
                Some(alias) => out.push(Answer::AliasOut {
                    target: normalize(&alias.dns_name),
                }),
                None if set.resource_records.is_empty() => out.push(Answer::Bad {
                    reason: format!("{} record set {name} has no values", rtype(set)),
                }),
                None => out.extend(set.resource_records.iter().map(|rr| Answer::Value {
                    value: rr.value.trim().to_string(),
                })),
            }
        }
        out
    }

    /// A CNAME record set's answer: its one value, or for an alias CNAME the CNAME it aliases.
    fn cname(&self, name: &str, set: &ResourceRecordSet, depth: usize) -> Vec<Answer> {
        match &set.alias_target {
            None => match set.resource_records.as_slice() {
                [one] => vec![Answer::Cname {
                    target: normalize(&one.value),
                }],
                values => vec![Answer::Bad {
                    reason: format!(
                        "CNAME {name} has {} values; a CNAME has exactly one",
                        values.len()
                    ),
                }],
            },
            // An alias CNAME can only route to another record of the same zone (API reference,
            // `ResourceRecordSet.Type`: alias targets of other kinds are A or AAAA).
            Some(alias) if same_zone(&alias.hosted_zone_id, self.zone_id) => {
                let target = normalize(&alias.dns_name);
                self.alias_in_zone_cname(name, &target, depth)
            }
            Some(alias) => vec![Answer::Bad {
                reason: format!(
                    "CNAME alias {name} points to {} outside its zone; Route 53 aliases of type CNAME route only to records of the same zone",
                    normalize(&alias.dns_name)
                ),
            }],
        }
    }

    /// The record sets at exactly `target` (an alias names a record, not a wildcard match), or
    /// why the alias from `name` cannot be followed further.
    fn alias_step(
        &self,
        name: &str,
        target: &str,
        depth: usize,
    ) -> Result<Vec<&'r ResourceRecordSet>, Answer> {
        if depth >= MAX_ALIAS_DEPTH {
            return Err(Answer::Bad {
                reason: format!("alias chain from {name} is longer than {MAX_ALIAS_DEPTH}"),
            });
        }
        let steps = self.steps.get() + 1;
        self.steps.set(steps);
        if steps > MAX_ALIAS_STEPS {
            return Err(Answer::Bad {
                reason: format!(
                    "alias records of the zone branch into more than {MAX_ALIAS_STEPS} targets"
                ),
            });
        }
        Ok(self.records.iter().filter(|r| owner(r) == target).collect())
    }

    /// An alias of the queried type from `name` to `target` in the same zone: `target`'s records
    /// of that type answer.
    fn alias_in_zone(&self, name: &str, target: &str, depth: usize) -> Vec<Answer> {
        let qtype = self.qtype;
        let sets = match self.alias_step(name, target, depth) {
            Ok(sets) => sets,
            Err(bad) => return vec![bad],
        };
        let types = types_of(&sets);
        if !types.iter().any(|t| t == qtype.as_str()) {
            return vec![Answer::Bad {
                reason: if sets.is_empty() {
                    format!(
                        "{qtype} alias {name} points to {target}, which is not a record of the zone"
                    )
                } else {
                    format!(
                        "{qtype} alias {name} points to {target}, which has no {qtype} record ({}); an alias must have the type of its target",
                        types.join(", ")
                    )
                },
            }];
        }
        self.answer_sets(target, sets, depth + 1)
    }

    /// An alias CNAME from `name` to `target` in the same zone: `target`'s CNAME answers.
    fn alias_in_zone_cname(&self, name: &str, target: &str, depth: usize) -> Vec<Answer> {
        let sets = match self.alias_step(name, target, depth) {
            Ok(sets) => sets,
            Err(bad) => return vec![bad],
        };
        let types = types_of(&sets);
        if types != ["CNAME"] {
            return vec![Answer::Bad {
                reason: format!(
                    "CNAME alias {name} points to {target}, which is not a CNAME record of the zone ({})",
                    if types.is_empty() {
                        "no records".to_string()
                    } else {
                        types.join(", ")
                    }
                ),
            }];
        }
        answerable(sets)
            .into_iter()
            .flat_map(|set| self.cname(target, set, depth + 1))
            .collect()
    }
}
