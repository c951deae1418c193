//! IoT policies: every statement's effect, action, resource and every condition's operator, key
//! and value changed; statements added, removed and reordered. Each change is a new default policy
//! version, as `create-policy-version --set-as-default` leaves it.
use super::*;

const KIND: &str = "iot-policy";
const APPROVED: &str = "vpce-0bbb00000000da7a1";

const OPERATORS: [&str; 12] = [
    "StringEquals",
    "StringEqualsIfExists",
    "StringNotEquals",
    "StringNotEqualsIfExists",
    "StringLike",
    "StringNotLike",
    "StringEqualsIgnoreCase",
    "ForAnyValue:StringEquals",
    "ForAllValues:StringEquals",
    "ForAnyValue:StringEqualsIfExists",
    "ForAnyValue:StringNotEquals",
    "ForAllValues:StringNotEquals",
];

fn edit_policy(
    out: &mut Out,
    file: &str,
    id: String,
    desc: String,
    f: impl Fn(&mut Value) + Send + Sync + 'static,
) {
    let file = file.to_string();
    out.add(KIND, id, desc, move |s| {
        let mut doc = s.policy(&file);
        f(&mut doc);
        s.set_policy(&file, &doc);
    });
}

pub fn all(idx: &Idx, out: &mut Out) {
    for acct in idx.accounts.clone() {
        for p in idx.items(&acct, "iot/list-policies", "policies") {
            let name = str_of(&p, "policyName");
            let file = reg(&acct, &format!("iot/get-policy/{name}"));
            let doc = idx.snap.policy(&file);
            let stmts = doc["Statement"].as_array().unwrap().clone();
            for (i, st) in stmts.iter().enumerate() {
                let sid = st["Sid"]
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or(i.to_string());
                let at = format!("policy:{name}:{sid}");
                edit_policy(
                    out,
                    &file,
                    format!("{at}:effect-flipped"),
                    format!("{name}/{sid}: Effect flipped"),
                    move |d| {
                        let e = if d["Statement"][i]["Effect"] == "Allow" {
                            "Deny"
                        } else {
                            "Allow"
                        };
                        d["Statement"][i]["Effect"] = json!(e);
                    },
                );
                edit_policy(
                    out,
                    &file,
                    format!("{at}:removed"),
                    format!("{name}/{sid}: statement removed"),
                    move |d| {
                        d["Statement"].as_array_mut().unwrap().remove(i);
                    },
                );
                edit_policy(
                    out,
                    &file,
                    format!("{at}:not-action"),
                    format!("{name}/{sid}: Action → NotAction (same list)"),
                    move |d| {
                        let st = d["Statement"][i].as_object_mut().unwrap();
                        let a = st.remove("Action").unwrap();
                        st.insert("NotAction".into(), a);
                    },
                );
                edit_policy(
                    out,
                    &file,
                    format!("{at}:action-star"),
                    format!("{name}/{sid}: Action → iot:*"),
                    move |d| {
                        d["Statement"][i]["Action"] = json!("iot:*");
                    },
                );
                edit_policy(
                    out,
                    &file,
                    format!("{at}:resource-star"),
                    format!("{name}/{sid}: Resource → *"),
                    move |d| {
                        d["Statement"][i]["Resource"] = json!("*");
                    },
                );
                let Some(cond) = st["Condition"].as_object() else {
                    continue;
                };
                edit_policy(
                    out,
                    &file,
                    format!("{at}:condition-removed"),
                    format!("{name}/{sid}: Condition removed"),
                    move |d| {
                        d["Statement"][i]
                            .as_object_mut()
                            .unwrap()
                            .remove("Condition");
                    },
                );
                for (op, block) in cond {
                    for (key, _value) in block.as_object().unwrap() {
                        for new in OPERATORS
                            .iter()
                            .chain(["StringEqualsMaybe"].iter())
                            .filter(|o| *o != op)
                        {
                            let (op2, new2) = (op.clone(), new.to_string());
                            edit_policy(
                                out,
                                &file,
                                format!("{at}:op-{new}"),
                                format!("{name}/{sid}: {op} → {new}"),
                                move |d| {
                                    let c = d["Statement"][i]["Condition"].as_object_mut().unwrap();
                                    let b = c.remove(&op2).unwrap();
                                    c.insert(new2.clone(), b);
                                },
                            );
                        }
                        for new in [
                            "aws:SourceVpc",
                            "AWS:SOURCEVPCE",
                            "aws:VpcSourceIp",
                            "iot:ClientId",
                        ] {
                            let (op2, key2, new2) = (op.clone(), key.clone(), new.to_string());
                            edit_policy(
                                out,
                                &file,
                                format!("{at}:key-{new}"),
                                format!("{name}/{sid}: key {key} → {new}"),
                                move |d| {
                                    let b = d["Statement"][i]["Condition"][&op2]
                                        .as_object_mut()
                                        .unwrap();
                                    let v = b.remove(&key2).unwrap();
                                    b.insert(new2.clone(), v);
                                },
                            );
                        }
                        for (label, v) in [
                            ("other-vpce", json!("vpce-0bbb00000000da7a2")),
                            ("credentials-vpce", json!("vpce-0bbb00000000c4ed1")),
                            ("vpce-star", json!("vpce-*")),
                            ("vpce-question", json!("vpce-0bbb00000000da7a?")),
                            ("plus-other", json!([APPROVED, "vpce-0ddd00000000da7a9"])),
                            ("upper-case", json!(APPROVED.to_ascii_uppercase())),
                            ("policy-variable", json!("${aws:SourceVpce}")),
                        ] {
                            let (op2, key2) = (op.clone(), key.clone());
                            edit_policy(
                                out,
                                &file,
                                format!("{at}:value-{label}"),
                                format!("{name}/{sid}: value → {v}"),
                                move |d| {
                                    d["Statement"][i]["Condition"][&op2][&key2] = v.clone();
                                },
                            );
                        }
                    }
                }
            }
            let arn = |kind: &str, x: &str| format!("arn:aws:iot:{REGION}:{acct}:{kind}/{x}");
            let added: Vec<(&str, Value)> = vec![
                (
                    "allow-all",
                    json!({"Effect": "Allow", "Action": "iot:*", "Resource": "*"}),
                ),
                (
                    "allow-shadow",
                    json!({"Effect": "Allow", "Action": ["iot:GetThingShadow", "iot:UpdateThingShadow"], "Resource": arn("thing", "*")}),
                ),
                (
                    "allow-connect-any-client",
                    json!({"Effect": "Allow", "Action": "iot:Connect", "Resource": arn("client", "*")}),
                ),
                (
                    "allow-retain-publish",
                    json!({"Effect": "Allow", "Action": "iot:RetainPublish", "Resource": arn("topic", "*")}),
                ),
                (
                    "allow-not-action-connect",
                    json!({"Effect": "Allow", "NotAction": "iot:Connect", "Resource": "*"}),
                ),
                (
                    "allow-publish-not-resource",
                    json!({"Effect": "Allow", "Action": "iot:Publish", "NotResource": arn("topic", "secret/*")}),
                ),
                (
                    "allow-connect-if-exists",
                    json!({"Effect": "Allow", "Action": "iot:Connect", "Resource": "*",
                    "Condition": {"StringEqualsIfExists": {"aws:SourceVpce": APPROVED}}}),
                ),
                (
                    "deny-outside-approved",
                    json!({"Effect": "Deny", "Action": "iot:*", "Resource": "*",
                    "Condition": {"StringNotEquals": {"aws:SourceVpce": APPROVED}}}),
                ),
                (
                    "allow-with-null-false",
                    json!({"Effect": "Allow", "Action": "iot:Publish", "Resource": "*",
                    "Condition": {"Null": {"aws:SourceVpce": "false"}}}),
                ),
            ];
            for (label, st) in added {
                edit_policy(
                    out,
                    &file,
                    format!("policy:{name}:add-{label}"),
                    format!("{name}: statement added {st}"),
                    move |d| {
                        d["Statement"].as_array_mut().unwrap().push(st.clone());
                    },
                );
            }
            edit_policy(
                out,
                &file,
                format!("policy:{name}:reversed"),
                format!("{name}: statements in reverse order"),
                |d| {
                    d["Statement"].as_array_mut().unwrap().reverse();
                },
            );
            edit_policy(
                out,
                &file,
                format!("policy:{name}:version-2008"),
                format!("{name}: Version 2008-10-17 (policy variables stay literal)"),
                |d| {
                    d["Version"] = json!("2008-10-17");
                },
            );
            let f = file.clone();
            out.add(
                KIND,
                format!("policy:{name}:compact-json"),
                format!("{name}: document without whitespace"),
                move |s| {
                    let doc = s.policy(&f);
                    s.edit(&f)["policyDocument"] = json!(serde_json::to_string(&doc).unwrap());
                },
            );
            let t = reg(&acct, &format!("iot/list-targets-for-policy/{name}"));
            out.add(
                KIND,
                format!("policy:{name}:detached"),
                format!("{name}: no targets (detached)"),
                move |s| {
                    s.edit(&t)["targets"] = json!([]);
                },
            );
        }
    }
}
