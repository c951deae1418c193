//! IoT policy evaluation for concrete requests, with the IAM policy evaluation logic.
//!
//! | rule | source |
//! |---|---|
//! | An explicit Deny overrides any Allow; without an Allow the request is implicitly denied | https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html |
//! | IoT policies use IAM grammar: Effect, Action/NotAction, Resource/NotResource, Condition | https://docs.aws.amazon.com/iot/latest/developerguide/iot-policies.html |
//! | `*` and `?` wildcards; action names are case-insensitive, resources are not | https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html, .../reference_policies_elements_resource.html |
//! | Condition: operators ANDed, keys ANDed, values of one key ORed (a negated operator is true when the value matches none) | https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_logic_multiple_context_keys_or_values.html |
//! | Condition key names are case-insensitive | https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html |
//! | A missing key: positive operators false, negated operators true, `…IfExists` true, `Null` by its value | https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html |
//! | `ForAllValues` is true and `ForAnyValue` false when the key is missing, with or without `IfExists` | https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html |
//! | Policy variables `${…}` are replaced only with `Version` 2012-10-17 | https://docs.aws.amazon.com/iot/latest/developerguide/iot-policy-variables.html |
//! | IoT sets aws:SourceVpce (the endpoint id) and aws:SourceVpc (its VPC id) on requests through an interface endpoint; neither exists on requests from the internet | https://docs.aws.amazon.com/iot/latest/developerguide/IoTCore-VPC.html ("Controlling access to AWS IoT Core over VPC endpoints") |
//! | Data-plane actions and their resources (client, topic, topicfilter, thing) | https://docs.aws.amazon.com/iot/latest/developerguide/iot-policy-actions.html |
//!
//! Requests are built from the policy itself (every resource pattern instantiated) plus a few
//! defaults, for three kinds of origin: no endpoint (internet), another endpoint (every value the
//! policy names plus one-character variants of the approved id), and the approved endpoint. A
//! policy is unsafe when a request from the first two is allowed.
use serde_json::Value;

const ACTIONS: [(&str, &str); 18] = [
    ("iot:Connect", "client"),
    ("iot:Publish", "topic"),
    ("iot:Receive", "topic"),
    ("iot:RetainPublish", "topic"),
    ("iot:Subscribe", "topicfilter"),
    ("iot:GetRetainedMessage", "topic"),
    ("iot:DeleteRetainedMessage", "topic"),
    ("iot:GetThingShadow", "thing"),
    ("iot:UpdateThingShadow", "thing"),
    ("iot:DeleteThingShadow", "thing"),
    ("iot:ListNamedShadowsForThing", "thing"),
    ("iot:DescribeJobExecution", "thing"),
    ("iot:GetPendingJobExecutions", "thing"),
    ("iot:StartNextPendingJobExecution", "thing"),
    ("iot:UpdateJobExecution", "thing"),
    // Greengrass core devices are authorized by their IoT policy for these data-plane calls
    // (https://docs.aws.amazon.com/greengrass/v2/developerguide/device-auth.html).
    ("greengrass:Discover", "thing"),
    ("greengrass:ResolveComponentCandidates", "greengrass"),
    ("greengrass:GetComponentVersionArtifact", "greengrass"),
];
const THING: &str = "thing-1";

pub enum Verdict {
    Safe,
    Unsafe(String),
    Unknown(String),
}

#[derive(Clone, Copy, PartialEq)]
enum Tri {
    Yes,
    No,
    Maybe,
}

struct Stmt {
    allow: bool,
    actions: Vec<String>,
    not_action: bool,
    resources: Vec<String>,
    not_resource: bool,
    cond: serde_json::Map<String, Value>,
}

/// glob with `*` and `?`
pub fn glob(pat: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pat.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

fn list(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(a) => a.iter().map(|x| x.as_str().map(str::to_string)).collect(),
        _ => None,
    }
}

fn substitute(pattern: &str, vars: bool) -> Result<String, String> {
    if !vars || !pattern.contains("${") {
        return Ok(pattern.to_string());
    }
    let mut out = pattern.to_string();
    for v in ["${iot:Connection.Thing.ThingName}", "${iot:ClientId}"] {
        out = out.replace(v, THING);
    }
    if out.contains("${") {
        return Err(format!("policy variable in {pattern}"));
    }
    Ok(out)
}

fn parse(doc: &str) -> Result<(Vec<Stmt>, bool), String> {
    let v: Value = serde_json::from_str(doc).map_err(|e| format!("policy is not JSON: {e}"))?;
    let vars = v["Version"] == "2012-10-17";
    let stmts = match &v["Statement"] {
        Value::Array(a) => a.clone(),
        o @ Value::Object(_) => vec![o.clone()],
        _ => return Err("no Statement".into()),
    };
    let mut out = Vec::new();
    for st in &stmts {
        let allow = match st["Effect"].as_str() {
            Some("Allow") => true,
            Some("Deny") => false,
            e => return Err(format!("Effect {e:?}")),
        };
        if st.get("Principal").is_some() || st.get("NotPrincipal").is_some() {
            return Err("Principal in an IoT policy".into());
        }
        let (actions, not_action) = match (st.get("Action"), st.get("NotAction")) {
            (Some(a), None) => (list(a).ok_or("Action")?, false),
            (None, Some(a)) => (list(a).ok_or("NotAction")?, true),
            _ => return Err("statement needs exactly one of Action/NotAction".into()),
        };
        let (resources, not_resource) = match (st.get("Resource"), st.get("NotResource")) {
            (Some(r), None) => (list(r).ok_or("Resource")?, false),
            (None, Some(r)) => (list(r).ok_or("NotResource")?, true),
            _ => return Err("statement needs exactly one of Resource/NotResource".into()),
        };
        let resources = resources
            .iter()
            .map(|r| substitute(r, vars))
            .collect::<Result<_, _>>()?;
        let cond = match st.get("Condition") {
            None => Default::default(),
            Some(Value::Object(m)) => m.clone(),
            Some(_) => return Err("Condition is not an object".into()),
        };
        out.push(Stmt {
            allow,
            actions,
            not_action,
            resources,
            not_resource,
            cond,
        });
    }
    Ok((out, vars))
}

/// Context keys of one request origin, lower case.
struct Origin {
    vpce: Option<String>,
    vpc: Option<String>,
}

fn cond_value<'o>(o: &'o Origin, key: &str) -> Result<Option<&'o str>, String> {
    match key.to_ascii_lowercase().as_str() {
        "aws:sourcevpce" => Ok(o.vpce.as_deref()),
        "aws:sourcevpc" => Ok(o.vpc.as_deref()),
        k => Err(format!(
            "condition key {k} not modelled (the client may control it)"
        )),
    }
}

fn condition(st: &Stmt, o: &Origin) -> Tri {
    // All operators and keys must hold: one false makes the condition false.
    let mut out = Tri::Yes;
    for (op_full, block) in &st.cond {
        let Some(block) = block.as_object() else {
            return Tri::Maybe;
        };
        let (set, rest) = if let Some(r) = op_full.strip_prefix("ForAnyValue:") {
            (Some(true), r)
        } else if let Some(r) = op_full.strip_prefix("ForAllValues:") {
            (Some(false), r)
        } else {
            (None, op_full.as_str())
        };
        let (op, if_exists) = match rest.strip_suffix("IfExists") {
            Some(o) => (o, true),
            None => (rest, false),
        };
        for (key, vals) in block {
            match one_condition(set, op, if_exists, key, vals, o) {
                Tri::No => return Tri::No,
                Tri::Maybe => out = Tri::Maybe,
                Tri::Yes => {}
            }
        }
    }
    out
}

fn one_condition(
    set: Option<bool>,
    op: &str,
    if_exists: bool,
    key: &str,
    vals: &Value,
    o: &Origin,
) -> Tri {
    let vals: Vec<String> = match vals {
        Value::Array(a) => a
            .iter()
            .map(|x| match x {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect(),
        Value::String(s) => vec![s.clone()],
        other => vec![other.to_string()],
    };
    if vals.iter().any(|v| v.contains("${")) {
        return Tri::Maybe;
    }
    let Ok(ctx) = cond_value(o, key) else {
        return Tri::Maybe;
    };
    let result = match (op, ctx) {
        ("Null", c) => {
            if if_exists || set.is_some() {
                return Tri::Maybe;
            }
            let want_missing = match vals.as_slice() {
                [v] if v == "true" => true,
                [v] if v == "false" => false,
                _ => return Tri::Maybe,
            };
            want_missing == c.is_none()
        }
        (_, None) => {
            let negated = matches!(
                op,
                "StringNotEquals" | "StringNotEqualsIgnoreCase" | "StringNotLike"
            );
            if !matches!(op, "StringEquals" | "StringEqualsIgnoreCase" | "StringLike") && !negated {
                return Tri::Maybe;
            }
            // The set operators state their own rule for a missing key, and `IfExists` (a
            // test of each request value) has nothing to apply to: `ForAnyValue:…IfExists`
            // is false, `ForAllValues:…IfExists` true (issue 8 class 4; AWS re:Post
            // "ForAnyValue:StringEqualsIfExists behaving unexpectedly").
            match set {
                Some(true) => false,
                Some(false) => true,
                None => if_exists || negated,
            }
        }
        (_, Some(c)) => {
            let m = |v: &String| match op {
                "StringEquals" | "StringNotEquals" => v == c,
                "StringEqualsIgnoreCase" | "StringNotEqualsIgnoreCase" => v.eq_ignore_ascii_case(c),
                "StringLike" | "StringNotLike" => glob(v, c),
                _ => false,
            };
            match op {
                "StringEquals" | "StringEqualsIgnoreCase" | "StringLike" => vals.iter().any(m),
                "StringNotEquals" | "StringNotEqualsIgnoreCase" | "StringNotLike" => {
                    !vals.iter().any(m)
                }
                _ => return Tri::Maybe,
            }
        }
    };
    if result {
        Tri::Yes
    } else {
        Tri::No
    }
}

fn matches(st: &Stmt, action: &str, resource: &str) -> bool {
    let a = st
        .actions
        .iter()
        .any(|p| glob(&p.to_ascii_lowercase(), &action.to_ascii_lowercase()));
    let r = st.resources.iter().any(|p| glob(p, resource));
    (a != st.not_action) && (r != st.not_resource)
}

fn decide(stmts: &[Stmt], action: &str, resource: &str, o: &Origin) -> Tri {
    let mut deny = Tri::No;
    let mut allow = Tri::No;
    for st in stmts.iter().filter(|s| matches(s, action, resource)) {
        let c = condition(st, o);
        let slot = if st.allow { &mut allow } else { &mut deny };
        *slot = match (*slot, c) {
            (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
            (Tri::Maybe, _) | (_, Tri::Maybe) => Tri::Maybe,
            _ => Tri::No,
        };
    }
    match (deny, allow) {
        (Tri::Yes, _) | (_, Tri::No) => Tri::No,
        (Tri::Maybe, _) | (_, Tri::Maybe) => Tri::Maybe,
        (Tri::No, Tri::Yes) => Tri::Yes,
    }
}

/// Does `doc` (an IoT policy document) admit a data-plane request that does not come through one
/// of the `approved` endpoints?
pub fn judge(doc: &str, approved: &[String], region: &str, account: &str) -> Verdict {
    let (stmts, _) = match parse(doc) {
        Ok(p) => p,
        Err(e) => return Verdict::Unknown(e),
    };
    let prefix = |kind: &str| match kind {
        "greengrass" => format!("arn:aws:greengrass:{region}:{account}:components:"),
        _ => format!("arn:aws:iot:{region}:{account}:{kind}/"),
    };
    // Origins: the internet, other endpoints, (the approved endpoint is never a counterexample).
    let mut others: Vec<String> = vec!["vpce-0fffffffffffffff0".into()];
    let a0 = approved.first().cloned().unwrap_or_default();
    for (i, ch) in a0.char_indices().skip(5) {
        let alt = if ch == 'f' { '0' } else { 'f' };
        others.push(format!("{}{}{}", &a0[..i], alt, &a0[i + ch.len_utf8()..]));
    }
    for st in &stmts {
        for block in st.cond.values() {
            for vals in block.as_object().into_iter().flat_map(|b| b.values()) {
                for v in list(vals).unwrap_or_default() {
                    if v.to_ascii_lowercase().starts_with("vpce-")
                        && !v.contains('*')
                        && !v.contains('?')
                    {
                        others.push(v.to_ascii_lowercase());
                    }
                }
            }
        }
    }
    others.retain(|o| !approved.contains(o));
    let mut origins = vec![(
        "the internet (no endpoint)".to_string(),
        Origin {
            vpce: None,
            vpc: None,
        },
    )];
    for o in others {
        origins.push((
            format!("endpoint {o}"),
            Origin {
                vpce: Some(o),
                vpc: Some("vpc-0fffffffffffffff1".into()),
            },
        ));
    }
    let mut maybe = None;
    for (action, kind) in ACTIONS {
        let mut resources = vec![
            format!(
                "{}{}",
                prefix(kind),
                match kind {
                    "client" | "thing" => THING.to_string(),
                    "greengrass" => "com.example.Hello:versions:1.0.0".to_string(),
                    _ => format!("devices/{THING}/telemetry"),
                }
            ),
            format!("{}zz-other", prefix(kind)),
        ];
        for st in &stmts {
            for p in &st.resources {
                for fill in ["x", ""] {
                    let r = p.replace('*', fill).replace('?', "x");
                    if r.starts_with(&prefix(kind)) {
                        resources.push(r);
                    }
                }
            }
        }
        for r in &resources {
            for (label, o) in &origins {
                match decide(&stmts, action, r, o) {
                    Tri::Yes => {
                        return Verdict::Unsafe(format!("{action} on {r} from {label} is allowed"))
                    }
                    Tri::Maybe => {
                        maybe = Some(format!("{action} on {r} from {label}: cannot evaluate"))
                    }
                    Tri::No => {}
                }
            }
        }
    }
    match maybe {
        Some(m) => Verdict::Unknown(m),
        None => Verdict::Safe,
    }
}
