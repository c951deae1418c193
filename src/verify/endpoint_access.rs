//! PP021: VPC endpoint policies where AWS enforces them. An endpoint policy is a resource policy
//! that decides which principals may use the endpoint for which requests (AWS PrivateLink Guide,
//! "Control access to VPC endpoints using endpoint policies"); the default policy allows every
//! principal of every account. For the endpoints an IoT estate uses where AWS does enforce
//! endpoint policies:
//! - `com.amazonaws.<region>.greengrass` (AWS IoT Greengrass V2 Developer Guide, "AWS IoT
//!   Greengrass and interface VPC endpoints", "Creating a VPC endpoint policy"),
//! - `com.amazonaws.<region>.iot.api`, the AWS IoT Core control plane (IoT Developer Guide,
//!   "Using AWS IoT Core with interface VPC endpoints", control plane endpoints),
//! - `com.amazonaws.<region>.s3`, gateway and interface endpoints (Amazon S3 User Guide and
//!   PrivateLink Guide, "Gateway endpoints for Amazon S3": endpoint policies), which Greengrass
//!   core devices use for component artifacts,
//!
//! this proves with the policy evaluator of `crate::policy` that no principal outside the
//! intended accounts (the snapshot's accounts and the intent's `consumer_accounts`) or
//! organisation (the manifest's `organization.id`) can use the endpoint, or shows a request by
//! such a principal that the policy allows (a counterexample, verified by the concrete
//! evaluator). What is decided, and how:
//! - *proven* when every Allow statement is restricted to intended principals — a `Principal`
//!   naming only intended accounts (an account id, or an `arn:…:iam::`/`arn:…:sts::` ARN in an
//!   intended account), or a condition `StringEquals`/`StringEqualsIgnoreCase`/`StringLike`
//!   (without wildcards) on `aws:PrincipalAccount` or `aws:PrincipalOrgID` naming only intended
//!   values, or `StringEquals`/`StringLike`/`ArnEquals`/`ArnLike` on `aws:PrincipalArn` whose
//!   account segment is a literal intended account (IAM "Condition operators": a missing key
//!   does not match; without `IfExists` or a set operator the statement then does not apply) —
//!   or when a Deny of `*` on `*` for everyone applies to every outsider: its conditions are
//!   only negated string operators (`StringNotEquals…`) on those keys with intended values, so
//!   that it holds for any value outside them and for a missing key; that is checked with the
//!   evaluator's own condition semantics on an outsider with and without an organisation and on
//!   an anonymous caller;
//! - otherwise, for each Allow that is not restricted, requests by an outsider (an account the
//!   estate does not have, with and without an organisation, and anonymous) for representative
//!   real actions of the service on the statement's resources are evaluated against the whole
//!   policy; the first one allowed is PP021 naming the endpoint with that request (unless a
//!   Deny for the action tests a key such a request does not set, like `aws:CurrentTime`: real
//!   requests carry it, so the Deny might apply);
//! - otherwise PP015 (unproven) naming the endpoint: a statement may admit outsiders and no
//!   request decides it. A policy that does not parse, or no `PolicyDocument` in the snapshot,
//!   is PP015 too.
//!
//! Endpoints are those in VPCs with a role (device, consumer, gatekeeper) that are not deleted,
//! rejected, failed or expired.
use std::collections::BTreeSet;

use serde_json::json;

use super::findings::Findings;
use super::intent::{Intent, Role};
use crate::graph::Model;
use crate::policy::condition::{eval_condition, Context, Test, Tri};
use crate::policy::document::{Condition, Effect, Principal, Statement};
use crate::policy::eval::{action_matches, evaluate, Decision, Request};
use crate::policy::{self, Policy};

const PRINCIPAL_ACCOUNT: &str = "aws:principalaccount";
const PRINCIPAL_ORG: &str = "aws:principalorgid";
const PRINCIPAL_ARN: &str = "aws:principalarn";

/// The service behind an endpoint whose policy AWS enforces, with representative actions
/// (real API actions of the service's authorization reference) and the resource each takes.
struct Enforced {
    service: &'static str,
    /// The service's action prefix (Service Authorization Reference): requests through the
    /// endpoint are this service's actions.
    prefix: &'static str,
    doc: &'static str,
    actions: &'static [(&'static str, Res)],
}

#[derive(Clone, Copy)]
enum Res {
    /// No resource-level permissions: `*`.
    All,
    /// `arn:<partition>:s3:::<bucket>`.
    Bucket,
    /// `arn:<partition>:s3:::<bucket>/<key>`.
    Object,
}

const GREENGRASS: Enforced = Enforced {
    service: "greengrass",
    prefix: "greengrass",
    doc: "Greengrass V2 Developer Guide, VPC endpoint policy",
    actions: &[
        ("greengrass:ListCoreDevices", Res::All),
        ("greengrass:ListComponents", Res::All),
        ("greengrass:ListDeployments", Res::All),
    ],
};
const IOT_API: Enforced = Enforced {
    service: "iot.api",
    prefix: "iot",
    doc: "IoT Developer Guide, IoTCore-VPC control plane endpoints",
    actions: &[
        ("iot:ListThings", Res::All),
        ("iot:ListThingGroups", Res::All),
        ("iot:ListCertificates", Res::All),
    ],
};
const S3: Enforced = Enforced {
    service: "s3",
    prefix: "s3",
    doc: "PrivateLink Guide, gateway endpoints for Amazon S3, endpoint policies",
    actions: &[
        ("s3:GetObject", Res::Object),
        ("s3:PutObject", Res::Object),
        ("s3:ListBucket", Res::Bucket),
    ],
};

fn enforced(service_name: &str) -> Option<&'static Enforced> {
    let rest = service_name.strip_prefix("com.amazonaws.")?;
    let (_, service) = rest.split_once('.')?;
    match service {
        "greengrass" => Some(&GREENGRASS),
        "iot.api" => Some(&IOT_API),
        "s3" => Some(&S3),
        _ => None,
    }
}

/// Who is intended: accounts and organisation ids, lower-cased.
pub(super) struct Insiders {
    pub accounts: BTreeSet<String>,
    pub orgs: BTreeSet<String>,
}

impl Insiders {
    fn from(model: &Model<'_>, intent: &Intent) -> Insiders {
        let accounts = model
            .snapshot
            .manifest
            .targets
            .iter()
            .map(|t| t.account.clone())
            .chain(intent.consumer_accounts.iter().cloned())
            .collect();
        let orgs = model
            .snapshot
            .manifest
            .organization
            .as_ref()
            .and_then(|o| o.get("id"))
            .and_then(|v| v.as_str())
            .map(|s| s.to_lowercase())
            .into_iter()
            .collect();
        Insiders { accounts, orgs }
    }

    /// An account id no insider has.
    fn outsider_account(&self) -> String {
        (0..1000u64)
            .map(|i| format!("{:012}", 999_999_999_999 - i))
            .find(|a| !self.accounts.contains(a))
            .unwrap_or_else(|| "999999999999".into())
    }

    fn outsider_org(&self) -> String {
        (0..1000u64)
            .map(|i| format!("o-outsider{i:04}"))
            .find(|o| !self.orgs.contains(o))
            .unwrap_or_else(|| "o-outsider0000".into())
    }
}

/// The account of a named `AWS` principal: a bare account id or an IAM/STS ARN.
fn principal_account(id: &str) -> Option<&str> {
    if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        return Some(id);
    }
    let parts: Vec<&str> = id.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", _, "iam" | "sts", "", acct, _]
            if acct.len() == 12 && acct.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Some(acct)
        }
        _ => None,
    }
}

fn literal(raw: &str) -> bool {
    !raw.contains('*') && !raw.contains('?') && !raw.contains("${")
}

/// The condition values as plain literals, when every value is one.
fn literals(c: &Condition) -> Option<Vec<String>> {
    c.values
        .iter()
        .map(|t| {
            (t.unsupported.is_none() && !t.has_vars() && literal(&t.raw))
                .then(|| t.raw.to_lowercase())
        })
        .collect()
}

/// A condition that no outsider (and no anonymous caller) satisfies.
fn restricting(c: &Condition, ins: &Insiders) -> bool {
    let Ok(op) = &c.op else { return false };
    if op.set.is_some() || op.if_exists || op.negated {
        return false;
    }
    match c.key_lc.as_str() {
        PRINCIPAL_ACCOUNT | PRINCIPAL_ORG => {
            if !matches!(op.test, Test::StrEq | Test::StrEqIc | Test::StrLike) {
                return false;
            }
            let set = if c.key_lc == PRINCIPAL_ACCOUNT {
                &ins.accounts
            } else {
                &ins.orgs
            };
            literals(c).is_some_and(|v| !v.is_empty() && v.iter().all(|x| set.contains(x)))
        }
        PRINCIPAL_ARN => {
            if !matches!(op.test, Test::StrEq | Test::StrLike | Test::Arn) {
                return false;
            }
            !c.values.is_empty()
                && c.values.iter().all(|t| {
                    // The text up to the account's closing colon is literal, so no value
                    // outside that account can match it.
                    let parts: Vec<&str> = t.raw.splitn(6, ':').collect();
                    t.unsupported.is_none()
                        && !t.has_vars()
                        && parts.len() == 6
                        && parts[..5].iter().all(|p| literal(p))
                        && parts[0] == "arn"
                        && matches!(parts[2], "iam" | "sts")
                        && ins.accounts.contains(parts[4])
                })
        }
        _ => false,
    }
}

/// An Allow statement that cannot apply to any outsider.
fn restricted(st: &Statement, ins: &Insiders) -> bool {
    if let Some(p) = &st.principal {
        if !p.negated
            && !p.items.is_empty()
            && p.items.iter().all(|i| match i {
                Principal::Named { kind, id } => {
                    kind == "AWS" && principal_account(id).is_some_and(|a| ins.accounts.contains(a))
                }
                Principal::Any => false,
            })
        {
            return true;
        }
    }
    st.conditions.iter().any(|c| restricting(c, ins))
}

/// Outsider request contexts: with an organisation, without one, and anonymous. Keys the
/// endpoint itself sets (`aws:SourceVpce`, `aws:SourceVpc`: IAM "AWS global condition context
/// keys") are set to this endpoint's values.
fn outsider_contexts(ins: &Insiders, partition: &str, vpce: &str, vpc: &str) -> Vec<Context> {
    let acct = ins.outsider_account();
    let mut base = Context::new();
    base.insert("aws:sourcevpce".into(), vec![vpce.to_string()]);
    base.insert("aws:sourcevpc".into(), vec![vpc.to_string()]);
    let anonymous = base.clone();
    base.insert(PRINCIPAL_ACCOUNT.into(), vec![acct.clone()]);
    base.insert(
        PRINCIPAL_ARN.into(),
        vec![format!("arn:{partition}:iam::{acct}:role/outsider")],
    );
    let mut with_org = base.clone();
    with_org.insert(PRINCIPAL_ORG.into(), vec![ins.outsider_org()]);
    vec![base, with_org, anonymous]
}

/// A Deny that applies to every request by every outsider.
fn universal_deny(st: &Statement, prefix: &str, ins: &Insiders, contexts: &[Context]) -> bool {
    let everyone = match &st.principal {
        None => true,
        Some(p) => !p.negated && p.items.contains(&Principal::Any),
    };
    let all_actions = !st.action.negated
        && st
            .action
            .items
            .iter()
            .any(|a| a == "*" || a.eq_ignore_ascii_case(&format!("{prefix}:*")));
    let all_resources = !st.resource.negated && st.resource.items.iter().any(|r| r.raw == "*");
    if st.effect != Effect::Deny || !everyone || !all_actions || !all_resources {
        return false;
    }
    st.conditions.iter().all(|c| {
        let Ok(op) = &c.op else { return false };
        let set = match c.key_lc.as_str() {
            PRINCIPAL_ACCOUNT => &ins.accounts,
            PRINCIPAL_ORG => &ins.orgs,
            _ => return false,
        };
        op.set.is_none()
            && op.negated
            && matches!(op.test, Test::StrEq | Test::StrEqIc | Test::StrLike)
            && literals(c).is_some_and(|v| v.iter().all(|x| set.contains(x)))
            && contexts
                .iter()
                .all(|ctx| eval_condition(c, ctx).tri == Tri::True)
    })
}

fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// Concrete resources to try for `st` and an action taking `res`.
fn resources(st: &Statement, res: Res, partition: &str) -> Vec<String> {
    let representative = match res {
        Res::All => "*".to_string(),
        Res::Bucket => format!("arn:{partition}:s3:::outsider-bucket"),
        Res::Object => format!("arn:{partition}:s3:::outsider-bucket/outsider-object"),
    };
    let mut out = vec![representative];
    if !st.resource.negated {
        for t in &st.resource.items {
            if t.unsupported.is_some() || t.has_vars() || t.raw == "*" {
                continue;
            }
            out.push(t.raw.replace('*', "outsider").replace('?', "x"));
        }
    }
    out
}

pub(super) fn check(model: &Model<'_>, intent: &Intent, findings: &mut Findings) {
    let ins = Insiders::from(model, intent);
    let mut endpoints: Vec<_> = model.endpoints.values().collect();
    endpoints.sort_by_key(|e| &e.vpc_endpoint_id);
    for e in endpoints {
        let Some(svc) = enforced(&e.service_name) else {
            continue;
        };
        if !matches!(
            intent.roles.get(e.vpc_id.as_str()),
            Some(Role::Device | Role::Consumer | Role::Gatekeeper)
        ) || matches!(
            e.state.to_ascii_lowercase().as_str(),
            "deleted" | "deleting" | "rejected" | "failed" | "expired"
        ) {
            continue;
        }
        let id = e.vpc_endpoint_id.as_str();
        let unproven = |findings: &mut Findings, why: String| {
            findings.add(
                "PP015",
                id,
                format!(
                    "the endpoint policy of {id} ({}) cannot be proven to admit only the intended accounts or organisation: {why}",
                    e.service_name
                ),
                None,
                serde_json::Value::Null,
            )
        };
        let Some(text) = e.policy_document.as_deref() else {
            unproven(
                findings,
                "the snapshot has no PolicyDocument for it, and AWS enforces endpoint policies there".into(),
            );
            continue;
        };
        let doc: Policy = match policy::parse_policy(id, text) {
            Ok(d) => d,
            Err(err) => {
                unproven(findings, format!("PolicyDocument does not parse: {err}"));
                continue;
            }
        };
        let partition = partition_of(e.loc.region);
        let contexts = outsider_contexts(&ins, partition, id, &e.vpc_id);
        let statements = doc.statements();
        if statements
            .iter()
            .any(|st| universal_deny(st, svc.prefix, &ins, &contexts))
        {
            continue;
        }
        let open: Vec<&Statement> = statements
            .iter()
            .filter(|st| st.effect == Effect::Allow && !restricted(st, &ins))
            .collect();
        if open.is_empty() {
            continue;
        }
        match counterexample(&doc, &open, svc, &ins, partition, &contexts) {
            Some(cx) => findings.add(
                "PP021",
                id,
                format!(
                    "{id} ({}) lets principals outside the intended accounts and organisation through: its endpoint policy allows {} on {} by {} ({}; AWS enforces endpoint policies here: {})",
                    e.service_name, cx.action, cx.resource, cx.principal, cx.allowed_by, svc.doc
                ),
                None,
                json!({
                    "counterexample": {
                        "principal": cx.principal,
                        "action": cx.action,
                        "resource": cx.resource,
                        "context": cx.context,
                        "allowed_by": cx.allowed_by,
                    },
                    "intended_accounts": ins.accounts,
                    "intended_organizations": ins.orgs,
                }),
            ),
            None => {
                let which: Vec<String> = open
                    .iter()
                    .map(|st| match &st.sid {
                        Some(s) => format!("Statement[{}] ({s})", st.index),
                        None => format!("Statement[{}]", st.index),
                    })
                    .collect();
                unproven(
                    findings,
                    format!(
                        "{} may apply to principals outside them (not restricted by Principal, aws:PrincipalAccount, aws:PrincipalOrgID or aws:PrincipalArn), and no request of an outsider for {} decides it",
                        which.join(", "),
                        svc.service
                    ),
                );
            }
        }
    }
}

struct Cx {
    principal: String,
    action: String,
    resource: String,
    context: Context,
    allowed_by: String,
}

/// Outsiders the policy itself names: an organisation or account in a condition on
/// `aws:PrincipalOrgID` / `aws:PrincipalAccount` that is not intended (`base` is the outsider
/// with no organisation).
fn named_outsiders(doc: &Policy, ins: &Insiders, partition: &str, base: &Context) -> Vec<Context> {
    let mut out = Vec::new();
    for c in doc.statements().iter().flat_map(|st| &st.conditions) {
        let Ok(op) = &c.op else { continue };
        if op.set.is_some() {
            continue;
        }
        let Some(values) = literals(c) else { continue };
        for v in values {
            let mut ctx = base.clone();
            match c.key_lc.as_str() {
                PRINCIPAL_ORG if !ins.orgs.contains(&v) => {
                    ctx.insert(PRINCIPAL_ORG.into(), vec![v]);
                }
                PRINCIPAL_ACCOUNT
                    if !ins.accounts.contains(&v)
                        && v.len() == 12
                        && v.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    ctx.insert(
                        PRINCIPAL_ARN.into(),
                        vec![format!("arn:{partition}:iam::{v}:role/outsider")],
                    );
                    ctx.insert(PRINCIPAL_ACCOUNT.into(), vec![v]);
                }
                _ => continue,
            }
            out.push(ctx);
        }
    }
    out
}

/// A Deny for `action` that tests a key this request does not set (`aws:CurrentTime`,
/// `aws:SecureTransport`, …): real requests carry such keys, so "it does not apply" would be a
/// guess; the request is then no counterexample.
fn deny_on_unset_key(doc: &Policy, action: &str, ctx: &Context) -> bool {
    doc.statements().iter().any(|st| {
        st.effect == Effect::Deny
            && action_matches(st, action)
            && st.conditions.iter().any(|c| {
                !ctx.contains_key(&c.key_lc)
                    && !matches!(
                        c.key_lc.as_str(),
                        PRINCIPAL_ORG | PRINCIPAL_ACCOUNT | PRINCIPAL_ARN
                    )
            })
    })
}

fn counterexample(
    doc: &Policy,
    open: &[&Statement],
    svc: &Enforced,
    ins: &Insiders,
    partition: &str,
    contexts: &[Context],
) -> Option<Cx> {
    let mut contexts = contexts.to_vec();
    contexts.extend(named_outsiders(doc, ins, partition, &contexts[0]));
    for st in open {
        for &(action, res) in svc.actions {
            if !action_matches(st, action) {
                continue;
            }
            for resource in resources(st, res, partition) {
                for ctx in &contexts {
                    let req = Request {
                        action: action.to_string(),
                        resource: resource.clone(),
                        context: ctx.clone(),
                    };
                    let ev = evaluate(&[doc], &req);
                    if ev.decision != Decision::Allowed || deny_on_unset_key(doc, action, ctx) {
                        continue;
                    }
                    let allowed_by = ev
                        .statements
                        .iter()
                        .filter(|s| s.effect == Effect::Allow && s.applies == Tri::True)
                        .map(|s| s.statement.to_string())
                        .collect::<Vec<_>>()
                        .join(", ");
                    let principal = match ctx.get(PRINCIPAL_ARN) {
                        Some(arn) => match ctx.get(PRINCIPAL_ORG) {
                            Some(org) => format!("{} (organisation {})", arn[0], org[0]),
                            None => format!("{} (no organisation)", arn[0]),
                        },
                        None => "an anonymous caller".to_string(),
                    };
                    return Some(Cx {
                        principal,
                        action: action.to_string(),
                        resource,
                        context: ctx.clone(),
                        allowed_by,
                    });
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ins() -> Insiders {
        Insiders {
            accounts: ["111111111111".to_string(), "222222222222".to_string()].into(),
            orgs: ["o-a1b2c3d4e5".to_string()].into(),
        }
    }

    /// Decides one policy text like `check` does: Some(true) proven, Some(false) counterexample,
    /// None unproven.
    fn decide(text: &str) -> Option<bool> {
        let ins = ins();
        let doc = policy::parse_policy("p", text).ok()?;
        let contexts = outsider_contexts(&ins, "aws", "vpce-1", "vpc-1");
        if doc
            .statements()
            .iter()
            .any(|s| universal_deny(s, "s3", &ins, &contexts))
        {
            return Some(true);
        }
        let open: Vec<&Statement> = doc
            .statements()
            .iter()
            .filter(|st| st.effect == Effect::Allow && !restricted(st, &ins))
            .collect();
        if open.is_empty() {
            return Some(true);
        }
        counterexample(&doc, &open, &S3, &ins, "aws", &contexts).map(|_| false)
    }

    /// IAM "Condition operators" (a missing key does not match a positive operator; IfExists
    /// makes a missing key match) and "Principal" (account ids and IAM ARNs).
    #[test]
    fn outsiders_against_endpoint_policies() {
        let allow = |extra: &str| {
            format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"{extra}}}]}}"#
            )
        };
        // The default policy admits everyone.
        assert_eq!(
            decide(
                r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#
            ),
            Some(false)
        );
        for (cond, want) in [
            (
                r#","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}"#,
                Some(true),
            ),
            (
                r#","Condition":{"StringEquals":{"aws:PrincipalAccount":["111111111111","222222222222"]}}"#,
                Some(true),
            ),
            (
                r#","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111111111111:role/*"}}"#,
                Some(true),
            ),
            // IfExists: an outsider without an organisation matches.
            (
                r#","Condition":{"StringEqualsIfExists":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}"#,
                Some(false),
            ),
            // Another organisation, a wildcard, a foreign account: open.
            (
                r#","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-other"}}"#,
                Some(false),
            ),
            (
                r#","Condition":{"StringLike":{"aws:PrincipalOrgID":"o-*"}}"#,
                Some(false),
            ),
            (
                r#","Condition":{"StringEquals":{"aws:PrincipalAccount":"333333333333"}}"#,
                Some(false),
            ),
            // An operator the evaluator does not know: unproven, never proven.
            (
                r#","Condition":{"StringEqualz":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}"#,
                None,
            ),
            // A condition on something else does not restrict principals.
            (
                r#","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}"#,
                Some(false),
            ),
        ] {
            assert_eq!(decide(&allow(cond)), want, "{cond}");
        }
        // Principal naming an intended account / a foreign one (named principals are not
        // evaluated concretely: unproven).
        assert_eq!(
            decide(
                r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:root","222222222222"]},"Action":"*","Resource":"*"}]}"#
            ),
            Some(true)
        );
        assert_eq!(
            decide(
                r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"*","Resource":"*"}]}"#
            ),
            None
        );
        // A Deny guard for everyone outside the organisation closes the default Allow; one with
        // IfExists too (a missing key matches); one for another organisation does not.
        let guard = |op: &str, org: &str| {
            format!(
                r#"{{"Statement":[{{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}},{{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{{"{op}":{{"aws:PrincipalOrgID":"{org}"}}}}}}]}}"#
            )
        };
        assert_eq!(
            decide(&guard("StringNotEquals", "o-a1b2c3d4e5")),
            Some(true)
        );
        assert_eq!(
            decide(&guard("StringNotEqualsIfExists", "o-a1b2c3d4e5")),
            Some(true)
        );
        assert_eq!(decide(&guard("StringNotEquals", "o-other")), Some(false));
        // A Deny of the whole service (the endpoint serves nothing else) is a guard too.
        assert_eq!(
            decide(
                r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"S3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalAccount":["111111111111"]}}}]}"#
            ),
            Some(true)
        );
        // A Deny limited to some actions leaves the rest open.
        assert_eq!(
            decide(
                r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}]}"#
            ),
            Some(false)
        );
        // Allow only on our own bucket, for everyone: still outsiders (their own requests to
        // that bucket pass the endpoint).
        assert_eq!(
            decide(
                r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::greengrass-artifacts-111111111111/*"}]}"#
            ),
            Some(false)
        );
        // A Deny on a key the outsider's request does not set (every real request has a time)
        // is not taken as "does not apply": no counterexample, unproven.
        assert_eq!(
            decide(
                r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}}]}"#
            ),
            None
        );
        assert_eq!(decide("not json"), None);
    }

    #[test]
    fn services_where_aws_enforces_endpoint_policies() {
        assert!(enforced("com.amazonaws.us-west-2.greengrass").is_some());
        assert!(enforced("com.amazonaws.us-west-2.iot.api").is_some());
        assert!(enforced("com.amazonaws.us-west-2.s3").is_some());
        assert!(enforced("com.amazonaws.us-west-2.iot.data").is_none());
        assert!(enforced("com.amazonaws.vpce.us-west-2.vpce-svc-1").is_none());
        assert_eq!(
            principal_account("arn:aws:iam::111111111111:root"),
            Some("111111111111")
        );
        assert_eq!(principal_account("111111111111"), Some("111111111111"));
        assert_eq!(principal_account("arn:aws:iam::*:root"), None);
    }
}
