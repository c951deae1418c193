//! The policy document model and its parser.
//!
//! AWS IoT Core policies and VPC interface endpoint policies share the IAM JSON policy
//! grammar (IAM User Guide, "IAM JSON policy element reference" and "Grammar of the IAM
//! JSON policy language"): a `Version`, an optional `Id` and a `Statement` that is one
//! statement object or an array of them. Each statement has an optional `Sid`, an
//! `Effect` of exactly `"Allow"` or `"Deny"`, exactly one of `Action`/`NotAction`,
//! exactly one of `Resource`/`NotResource`, optionally one of `Principal`/`NotPrincipal`
//! (resource policies such as endpoint policies) and an optional `Condition` block.
//! Wherever the grammar takes a list, a single string is accepted as a one-element list.
//!
//! Parsing is strict about structure (wrong JSON types, unknown or duplicated elements,
//! a missing `Effect`) because a misread document could turn a Deny guard into nothing:
//! a structural error is a [`PolicyError`] naming the policy and the JSON path.
//! Parsing is lenient about *meaning* that this crate does not model (an unknown condition
//! operator, an odd policy variable): those are kept and make the proof *unproven* where
//! they matter, never allowed or denied by guess.
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::condition::{parse_operator, Operator};

/// A bad policy document: names the policy and the JSON path of the offending element,
/// e.g. `policy iot-device-policy: Statement[1].Effect: expected "Allow" or "Deny", found "Allw"`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("policy {policy}: {path}: {message}")]
pub struct PolicyError {
    /// The policy name given to [`parse_policy`].
    pub policy: String,
    /// JSON path of the element, e.g. `Statement[1].Effect`; `(document)` for the whole text.
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

/// The policy language version. Policy variables (`${...}`) are substituted only under
/// `2012-10-17`; under `2008-10-17` (also the default when `Version` is missing) they are
/// plain text (IAM User Guide, "IAM JSON policy elements: Version").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyVersion {
    V2012_10_17,
    V2008_10_17,
}

/// A parsed policy document.
#[derive(Debug, Clone)]
pub struct Policy {
    pub(crate) name: String,
    pub(crate) version: PolicyVersion,
    pub(crate) statements: Vec<Statement>,
}

impl Policy {
    /// The name the policy was parsed under.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn version(&self) -> PolicyVersion {
        self.version
    }

    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Effect {
    Allow,
    Deny,
}

/// A list element and whether it was written in its negated form
/// (`NotAction`, `NotResource`, `NotPrincipal`).
#[derive(Debug, Clone)]
pub struct Matcher<T> {
    pub negated: bool,
    pub items: Vec<T>,
}

/// One statement of a policy.
#[derive(Debug, Clone)]
pub struct Statement {
    /// Position in the policy's statement list (0-based).
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    /// Action name patterns (`service:Name`, `*` and `?` wildcards, case-insensitive).
    pub action: Matcher<String>,
    /// Resource ARN patterns.
    pub resource: Matcher<Template>,
    /// `Principal`/`NotPrincipal` of resource policies (endpoint policies); `None` when absent.
    pub principal: Option<Matcher<Principal>>,
    /// All condition clauses; they are ANDed.
    pub conditions: Vec<Condition>,
}

/// A `Principal` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// `"*"` or `{"AWS": "*"}`: everyone.
    Any,
    /// A named principal, e.g. (`AWS`, `arn:aws:iam::123456789012:root`).
    Named { kind: String, id: String },
}

/// One condition clause: one operator applied to one key with one or more values.
/// Several values are ORed (for negated operators: the value matches none of them).
#[derive(Debug, Clone)]
pub struct Condition {
    /// The operator as written, e.g. `ForAnyValue:StringNotEqualsIfExists`.
    pub operator: String,
    /// The parsed operator, or why it is not understood.
    pub op: Result<Operator, String>,
    /// The key as written.
    pub key: String,
    /// The key lower-cased: condition keys are case-insensitive.
    pub key_lc: String,
    /// The values (strings; JSON numbers and booleans are kept as their text).
    pub values: Vec<Template>,
}

/// A string that may contain policy variables: a resource pattern or a condition value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// The text as written.
    pub raw: String,
    pub pieces: Vec<Piece>,
    /// Set when the text uses variable syntax this crate does not understand.
    pub unsupported: Option<String>,
}

/// A piece of a [`Template`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Plain text; `*` and `?` in it are wildcards where the context allows wildcards.
    Text(String),
    /// A character that is always literal: `${*}`, `${?}` or `${$}`.
    Literal(char),
    /// A policy variable `${key}` or `${key, 'default'}`.
    Var(VarRef),
}

/// A policy variable reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarRef {
    /// As written, e.g. `iot:Connection.Thing.ThingName`.
    pub name: String,
    /// Lower-cased context key.
    pub key_lc: String,
    /// The default value of `${key, 'default'}`.
    pub default: Option<String>,
}

impl Template {
    /// Parses `raw`; with `variables == false` (policy Version 2008-10-17) the whole text is
    /// plain text.
    pub fn parse(raw: &str, variables: bool) -> Template {
        let mut pieces = Vec::new();
        let mut unsupported = None;
        if !variables {
            if !raw.is_empty() {
                pieces.push(Piece::Text(raw.to_string()));
            }
            return Template {
                raw: raw.to_string(),
                pieces,
                unsupported,
            };
        }
        let mut text = String::new();
        let mut rest = raw;
        while let Some(pos) = rest.find("${") {
            text.push_str(&rest[..pos]);
            let after = &rest[pos + 2..];
            let Some(end) = after.find('}') else {
                unsupported = Some(format!("unterminated policy variable in {raw:?}"));
                text.push_str(&rest[pos..]);
                rest = "";
                break;
            };
            let inner = &after[..end];
            rest = &after[end + 1..];
            let piece = match inner {
                "*" => Piece::Literal('*'),
                "?" => Piece::Literal('?'),
                "$" => Piece::Literal('$'),
                _ => match parse_var(inner) {
                    Some(var) => Piece::Var(var),
                    None => {
                        unsupported =
                            Some(format!("policy variable ${{{inner}}} is not understood"));
                        text.push_str("${");
                        text.push_str(inner);
                        text.push('}');
                        continue;
                    }
                },
            };
            if !text.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut text)));
            }
            pieces.push(piece);
        }
        text.push_str(rest);
        if !text.is_empty() {
            pieces.push(Piece::Text(text));
        }
        Template {
            raw: raw.to_string(),
            pieces,
            unsupported,
        }
    }

    /// The policy variables used.
    pub fn vars(&self) -> impl Iterator<Item = &VarRef> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Var(v) => Some(v),
            _ => None,
        })
    }

    pub fn has_vars(&self) -> bool {
        self.vars().next().is_some()
    }
}

/// `key` or `key, 'default'` (IAM User Guide, "Specifying default values").
fn parse_var(inner: &str) -> Option<VarRef> {
    let (key, default) = match inner.split_once(',') {
        Some((key, default)) => {
            let default = default.trim();
            let default = default.strip_prefix('\'')?.strip_suffix('\'')?;
            (key.trim(), Some(default.to_string()))
        }
        None => (inner.trim(), None),
    };
    if key.is_empty()
        || key
            .chars()
            .any(|c| c.is_whitespace() || c == '\'' || c == '$')
    {
        return None;
    }
    Some(VarRef {
        name: key.to_string(),
        key_lc: key.to_lowercase(),
        default,
    })
}

/// Parses a policy document. `text` is the JSON document itself (for an IoT policy, the
/// `policyDocument` string of `get-policy`).
pub fn parse_policy(name: &str, text: &str) -> Result<Policy, PolicyError> {
    let json = parse_json(name, text)?;
    Parser { policy: name }.policy(&json)
}

/// Parses either a bare policy document or the AWS CLI `get-policy` output shape
/// (`{"policyName": ..., "policyDocument": "<JSON string>"}`; `PolicyName`/`PolicyDocument`
/// and an object-valued document are accepted too). The name is `policyName` when present,
/// otherwise `default_name`.
pub fn parse_policy_file(default_name: &str, text: &str) -> Result<Policy, PolicyError> {
    let json = parse_json(default_name, text)?;
    let Json::Object(fields) = &json else {
        return Parser {
            policy: default_name,
        }
        .policy(&json);
    };
    let doc = fields
        .iter()
        .find(|(k, _)| k == "policyDocument" || k == "PolicyDocument");
    let Some((doc_key, doc)) = doc else {
        return Parser {
            policy: default_name,
        }
        .policy(&json);
    };
    let name = fields
        .iter()
        .find(|(k, _)| k == "policyName" || k == "PolicyName")
        .and_then(|(_, v)| match v {
            Json::Str(s) => Some(s.as_str()),
            _ => None,
        })
        .unwrap_or(default_name);
    match doc {
        Json::Str(inner) => {
            let inner_json = parse_json(name, inner).map_err(|mut e| {
                e.path = doc_key.clone();
                e
            })?;
            Parser { policy: name }.policy(&inner_json)
        }
        Json::Object(_) => Parser { policy: name }.policy(doc),
        other => Err(PolicyError {
            policy: name.to_string(),
            path: doc_key.clone(),
            message: format!("expected a JSON string or object, found {}", other.kind()),
        }),
    }
}

fn parse_json(name: &str, text: &str) -> Result<Json, PolicyError> {
    serde_json::from_str::<Json>(text).map_err(|e| PolicyError {
        policy: name.to_string(),
        path: "(document)".to_string(),
        message: format!("invalid JSON: {e}"),
    })
}

struct Parser<'a> {
    policy: &'a str,
}

impl Parser<'_> {
    fn err(&self, path: &str, message: impl Into<String>) -> PolicyError {
        PolicyError {
            policy: self.policy.to_string(),
            path: path.to_string(),
            message: message.into(),
        }
    }

    /// The fields of an object, rejecting duplicated keys (JSON leaves their meaning open).
    fn object<'j>(&self, v: &'j Json, path: &str) -> Result<&'j [(String, Json)], PolicyError> {
        let Json::Object(fields) = v else {
            return Err(self.err(path, format!("expected an object, found {}", v.kind())));
        };
        for (i, (k, _)) in fields.iter().enumerate() {
            if fields[..i].iter().any(|(earlier, _)| earlier == k) {
                return Err(self.err(path, format!("duplicate key {k:?}")));
            }
        }
        Ok(fields)
    }

    fn string<'j>(&self, v: &'j Json, path: &str) -> Result<&'j str, PolicyError> {
        match v {
            Json::Str(s) => Ok(s),
            other => Err(self.err(path, format!("expected a string, found {}", other.kind()))),
        }
    }

    /// A string or an array of strings.
    fn strings(&self, v: &Json, path: &str) -> Result<Vec<String>, PolicyError> {
        match v {
            Json::Str(s) => Ok(vec![s.clone()]),
            Json::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Json::Str(s) => Ok(s.clone()),
                    other => Err(self.err(
                        &format!("{path}[{i}]"),
                        format!("expected a string, found {}", other.kind()),
                    )),
                })
                .collect(),
            other => Err(self.err(
                path,
                format!(
                    "expected a string or an array of strings, found {}",
                    other.kind()
                ),
            )),
        }
    }

    fn policy(&self, json: &Json) -> Result<Policy, PolicyError> {
        let fields = self.object(json, "(document)")?;
        let mut version = PolicyVersion::V2008_10_17;
        let mut statement = None;
        for (key, value) in fields {
            match key.as_str() {
                "Version" => {
                    version = match self.string(value, "Version")? {
                        "2012-10-17" => PolicyVersion::V2012_10_17,
                        "2008-10-17" => PolicyVersion::V2008_10_17,
                        other => {
                            return Err(self.err(
                                "Version",
                                format!(
                                    "expected \"2012-10-17\" or \"2008-10-17\", found {other:?}"
                                ),
                            ))
                        }
                    }
                }
                "Id" => {
                    self.string(value, "Id")?;
                }
                "Statement" => statement = Some(value),
                other => {
                    return Err(self.err(
                        "(document)",
                        format!("unknown element {other:?} (expected Version, Id, Statement)"),
                    ))
                }
            }
        }
        let Some(statement) = statement else {
            return Err(self.err("Statement", "missing"));
        };
        let variables = version == PolicyVersion::V2012_10_17;
        let statements = match statement {
            Json::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, s)| self.statement(s, i, &format!("Statement[{i}]"), variables))
                .collect::<Result<Vec<_>, _>>()?,
            Json::Object(_) => vec![self.statement(statement, 0, "Statement", variables)?],
            other => {
                return Err(self.err(
                    "Statement",
                    format!(
                        "expected an object or an array of objects, found {}",
                        other.kind()
                    ),
                ))
            }
        };
        Ok(Policy {
            name: self.policy.to_string(),
            version,
            statements,
        })
    }

    fn statement(
        &self,
        json: &Json,
        index: usize,
        path: &str,
        variables: bool,
    ) -> Result<Statement, PolicyError> {
        let fields = self.object(json, path)?;
        let mut sid = None;
        let mut effect = None;
        let mut action: Option<Matcher<String>> = None;
        let mut resource: Option<Matcher<Template>> = None;
        let mut principal: Option<Matcher<Principal>> = None;
        let mut conditions = Vec::new();
        for (key, value) in fields {
            let p = format!("{path}.{key}");
            match key.as_str() {
                "Sid" => sid = Some(self.string(value, &p)?.to_string()),
                "Effect" => {
                    effect = Some(match value {
                        Json::Str(s) if s == "Allow" => Effect::Allow,
                        Json::Str(s) if s == "Deny" => Effect::Deny,
                        Json::Str(s) => {
                            return Err(self
                                .err(&p, format!("expected \"Allow\" or \"Deny\", found {s:?}")))
                        }
                        other => {
                            return Err(self.err(
                                &p,
                                format!("expected \"Allow\" or \"Deny\", found {}", other.kind()),
                            ))
                        }
                    })
                }
                "Action" | "NotAction" => {
                    if action.is_some() {
                        return Err(
                            self.err(&p, "a statement has exactly one of Action or NotAction")
                        );
                    }
                    let items = self.strings(value, &p)?;
                    if items.iter().any(|a| a.contains(['\u{E000}', '\u{E001}'])) {
                        return Err(
                            self.err(&p, "action names cannot contain private-use characters")
                        );
                    }
                    action = Some(Matcher {
                        negated: key == "NotAction",
                        items,
                    });
                }
                "Resource" | "NotResource" => {
                    if resource.is_some() {
                        return Err(
                            self.err(&p, "a statement has exactly one of Resource or NotResource")
                        );
                    }
                    resource = Some(Matcher {
                        negated: key == "NotResource",
                        items: self
                            .strings(value, &p)?
                            .iter()
                            .map(|s| Template::parse(s, variables))
                            .collect(),
                    });
                }
                "Principal" | "NotPrincipal" => {
                    if principal.is_some() {
                        return Err(self.err(
                            &p,
                            "a statement has at most one of Principal or NotPrincipal",
                        ));
                    }
                    principal = Some(Matcher {
                        negated: key == "NotPrincipal",
                        items: self.principal(value, &p)?,
                    });
                }
                "Condition" => conditions = self.conditions(value, &p, variables)?,
                other => {
                    return Err(self.err(
                        path,
                        format!(
                            "unknown element {other:?} (expected Sid, Effect, Action, NotAction, \
                             Resource, NotResource, Principal, NotPrincipal, Condition)"
                        ),
                    ))
                }
            }
        }
        let effect = effect.ok_or_else(|| {
            self.err(
                &format!("{path}.Effect"),
                "missing; expected \"Allow\" or \"Deny\"",
            )
        })?;
        let action = action.ok_or_else(|| self.err(path, "missing Action or NotAction"))?;
        let resource = resource.ok_or_else(|| self.err(path, "missing Resource or NotResource"))?;
        Ok(Statement {
            index,
            sid,
            effect,
            action,
            resource,
            principal,
            conditions,
        })
    }

    fn principal(&self, value: &Json, path: &str) -> Result<Vec<Principal>, PolicyError> {
        match value {
            Json::Str(s) if s == "*" => Ok(vec![Principal::Any]),
            Json::Str(s) => Err(self.err(
                path,
                format!("expected \"*\" or an object such as {{\"AWS\": ...}}, found {s:?}"),
            )),
            Json::Object(_) => {
                let mut out = Vec::new();
                for (kind, ids) in self.object(value, path)? {
                    for id in self.strings(ids, &format!("{path}.{kind}"))? {
                        if kind == "AWS" && id == "*" {
                            out.push(Principal::Any);
                        } else {
                            out.push(Principal::Named {
                                kind: kind.clone(),
                                id,
                            });
                        }
                    }
                }
                Ok(out)
            }
            other => Err(self.err(
                path,
                format!("expected \"*\" or an object, found {}", other.kind()),
            )),
        }
    }

    fn conditions(
        &self,
        value: &Json,
        path: &str,
        variables: bool,
    ) -> Result<Vec<Condition>, PolicyError> {
        let mut out = Vec::new();
        for (operator, block) in self.object(value, path)? {
            let op_path = format!("{path}.{operator}");
            let op = parse_operator(operator);
            for (key, values) in self.object(block, &op_path)? {
                let key_path = format!("{op_path}.{key}");
                let raw_values: Vec<String> = match values {
                    Json::Array(items) => items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| self.scalar(v, &format!("{key_path}[{i}]")))
                        .collect::<Result<_, _>>()?,
                    v => vec![self.scalar(v, &key_path)?],
                };
                out.push(Condition {
                    operator: operator.clone(),
                    op: op.clone(),
                    key: key.clone(),
                    key_lc: key.to_lowercase(),
                    values: raw_values
                        .iter()
                        .map(|v| Template::parse(v, variables))
                        .collect(),
                });
            }
        }
        Ok(out)
    }

    /// A condition value: a string, or a number or boolean taken as its text.
    fn scalar(&self, v: &Json, path: &str) -> Result<String, PolicyError> {
        match v {
            Json::Str(s) => Ok(s.clone()),
            Json::Number(n) => Ok(n.clone()),
            Json::Bool(b) => Ok(b.to_string()),
            other => Err(self.err(
                path,
                format!(
                    "expected a string, number or boolean, found {}",
                    other.kind()
                ),
            )),
        }
    }
}

/// A JSON tree that keeps duplicated object keys (so they can be rejected with a path)
/// and the order of keys.
#[derive(Debug, Clone)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    Number(String),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::Str(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Number(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Number(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Json, E> {
        Ok(Json::Number(v.to_string()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Json, E> {
        Ok(Json::Str(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Json, E> {
        Ok(Json::Str(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Json>()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut fields = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Json>()? {
            fields.push((k, v));
        }
        Ok(Json::Object(fields))
    }
}
