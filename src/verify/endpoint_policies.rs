//! PP022: a VPC endpoint policy where AWS does not enforce one. An auditor reading a restrictive
//! endpoint policy must not take it for a control:
//! - AWS IoT Core "does not support endpoint policies at this time" (IoT Developer Guide, "Using
//!   AWS IoT Core with interface VPC endpoints", Limitations): the `iot.data` and
//!   `iot.credentials` interface endpoints allow everything whatever their policy says.
//! - "When you create a VPC endpoint for an endpoint service other than an AWS service, we allow
//!   full access to the endpoint" (AWS PrivateLink Guide, "Control access to VPC endpoints using
//!   endpoint policies", Considerations): endpoints to `com.amazonaws.vpce.<region>.vpce-svc-…`.
//!
//! The default policy (one statement allowing `*` to `*` on `*` without a condition, the
//! guide's "Default endpoint policy") is what AWS attaches and what it enforces there anyway: no
//! warning. Anything else, including text that does not parse, is PP022 on the endpoint.
use serde_json::Value;

use super::findings::Findings;
use super::intent::{iot_service_of, IotService};
use crate::graph::Model;

/// Why AWS ignores the policy of an endpoint to `service_name`, or `None` where it enforces it.
pub(super) fn not_enforced(service_name: &str) -> Option<&'static str> {
    if service_name.starts_with("com.amazonaws.vpce.") {
        return Some("endpoints to endpoint services other than AWS services allow full access (PrivateLink Guide, endpoint policies)");
    }
    match iot_service_of(service_name) {
        Some(IotService::Data | IotService::Credentials) => {
            Some("AWS IoT Core does not support endpoint policies (IoT Developer Guide, IoTCore-VPC limitations)")
        }
        _ => None,
    }
}

fn is_star(v: &Value) -> bool {
    match v {
        Value::String(s) => s == "*",
        Value::Array(a) => a.len() == 1 && is_star(&a[0]),
        _ => false,
    }
}

/// The default endpoint policy: `{"Statement": [{"Effect": "Allow", "Principal": "*",
/// "Action": "*", "Resource": "*"}]}` (any `Version`; `Principal` `{"AWS": "*"}` is the same).
pub(super) fn is_default(text: &str) -> bool {
    let Ok(Value::Object(doc)) = serde_json::from_str::<Value>(text) else {
        return false;
    };
    if doc
        .keys()
        .any(|k| k != "Version" && k != "Statement" && k != "Id")
    {
        return false;
    }
    let statements = match doc.get("Statement") {
        Some(Value::Array(a)) => a.clone(),
        Some(o @ Value::Object(_)) => vec![o.clone()],
        _ => return false,
    };
    let [Value::Object(s)] = statements.as_slice() else {
        return false;
    };
    let principal_star = match s.get("Principal") {
        Some(Value::Object(p)) => p.len() == 1 && p.get("AWS").is_some_and(is_star),
        Some(p) => is_star(p),
        None => false,
    };
    s.keys().all(|k| {
        matches!(
            k.as_str(),
            "Sid" | "Effect" | "Principal" | "Action" | "Resource"
        )
    }) && s.get("Effect") == Some(&Value::String("Allow".into()))
        && principal_star
        && s.get("Action").is_some_and(is_star)
        && s.get("Resource").is_some_and(is_star)
}

pub(super) fn check(model: &Model<'_>, findings: &mut Findings) {
    let mut endpoints: Vec<_> = model.endpoints.values().collect();
    endpoints.sort_by_key(|e| &e.vpc_endpoint_id);
    for e in endpoints {
        let Some(why) = not_enforced(&e.service_name) else {
            continue;
        };
        let Some(policy) = e.policy_document.as_deref() else {
            continue;
        };
        if is_default(policy) {
            continue;
        }
        findings.add(
            "PP022",
            &e.vpc_endpoint_id,
            format!(
                "{} ({}) has a non-default endpoint policy that protects nothing: {why}",
                e.vpc_endpoint_id, e.service_name
            ),
            None,
            serde_json::json!({ "policy_document": policy }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PrivateLink Guide "Default endpoint policy" and the IoTCore-VPC limitation.
    #[test]
    fn default_policies_and_where_aws_ignores_them() {
        for d in [
            r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#,
            r#"{"Statement":[{"Action":"*","Effect":"Allow","Principal":{"AWS":"*"},"Resource":["*"]}]}"#,
        ] {
            assert!(is_default(d), "{d}");
        }
        for d in [
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"iot:*","Resource":"*"}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}"#,
            "not json",
        ] {
            assert!(!is_default(d), "{d}");
        }
        assert!(not_enforced("com.amazonaws.us-west-2.iot.data").is_some());
        assert!(not_enforced("com.amazonaws.us-west-2.iot.credentials").is_some());
        assert!(not_enforced("com.amazonaws.vpce.us-west-2.vpce-svc-0bbb00000000005e1").is_some());
        assert!(not_enforced("com.amazonaws.us-west-2.greengrass").is_none());
        assert!(not_enforced("com.amazonaws.us-west-2.s3").is_none());
        assert!(not_enforced("com.amazonaws.us-west-2.iot").is_none());
    }
}
