//! Security group rules, network ACL rules and network ACL associations.
use super::*;

/// Every NACL association moved to a new custom NACL (as AWS creates it: deny all; or with the
/// default's allow-all rules), or removed (AWS always shows one association per subnet).
pub fn nacl_associations(idx: &Idx, out: &mut Out) {
    const KIND: &str = "nacl-assoc";
    for acct in idx.accounts.clone() {
        let file = reg(&acct, "ec2/describe-network-acls");
        for n in idx.items(&acct, "ec2/describe-network-acls", "NetworkAcls") {
            let acl = str_of(&n, "NetworkAclId");
            let vpc = str_of(&n, "VpcId");
            let cidr = idx.vpc(&vpc).cidr;
            for a in n["Associations"].as_array().unwrap() {
                let subnet = str_of(a, "SubnetId");
                let assoc = str_of(a, "NetworkAclAssociationId");
                for (label, rules) in [
                    // Only the VPC's own addresses, both ways: enough for a TGW attachment subnet
                    // (tgw-nacls: it sees the VPC side of every flow), not for a workload subnet.
                    (
                        "new-vpc-only",
                        vec![
                            nacl_entry(100, true, "allow", &cidr, "-1", None),
                            nacl_entry(32767, true, "deny", "0.0.0.0/0", "-1", None),
                            nacl_entry(100, false, "allow", &cidr, "-1", None),
                            nacl_entry(32767, false, "deny", "0.0.0.0/0", "-1", None),
                        ],
                    ),
                    (
                        "new-deny-all",
                        vec![
                            nacl_entry(32767, true, "deny", "0.0.0.0/0", "-1", None),
                            nacl_entry(32767, false, "deny", "0.0.0.0/0", "-1", None),
                        ],
                    ),
                    (
                        "new-allow-all",
                        vec![
                            nacl_entry(100, true, "allow", "0.0.0.0/0", "-1", None),
                            nacl_entry(32767, true, "deny", "0.0.0.0/0", "-1", None),
                            nacl_entry(100, false, "allow", "0.0.0.0/0", "-1", None),
                            nacl_entry(32767, false, "deny", "0.0.0.0/0", "-1", None),
                        ],
                    ),
                ] {
                    let (f, acl2, vpc2, subnet2, assoc2, acct2) = (
                        file.clone(),
                        acl.clone(),
                        vpc.clone(),
                        subnet.clone(),
                        assoc.clone(),
                        acct.clone(),
                    );
                    out.add(
                        KIND,
                        format!("nacl-assoc:{subnet}:{label}"),
                        format!("{subnet} moved from {acl} to a {label} custom network ACL"),
                        move |s| {
                            take_nacl_assoc(s, &f, &acl2, &assoc2);
                            let new = add_nacl(s, &acct2, &vpc2, &format!("{subnet2}/{label}"), rules.clone());
                            s.item(&f, "NetworkAcls", "NetworkAclId", &new)["Associations"]
                                .as_array_mut()
                                .unwrap()
                                .push(json!({"NetworkAclAssociationId": format!("aclassoc-{}", hid(&new)),
                                    "NetworkAclId": new, "SubnetId": subnet2}));
                        },
                    );
                }
                let (f, acl2, assoc2) = (file.clone(), acl.clone(), assoc.clone());
                out.bad(
                    KIND,
                    format!("nacl-assoc:{subnet}:removed"),
                    format!("{subnet} in no network ACL"),
                    move |s| {
                        take_nacl_assoc(s, &f, &acl2, &assoc2);
                    },
                );
            }
        }
    }
}

fn take_nacl_assoc(s: &mut Snap, file: &str, acl: &str, assoc: &str) {
    let list = s.item(file, "NetworkAcls", "NetworkAclId", acl)["Associations"]
        .as_array_mut()
        .unwrap();
    list.retain(|a| a["NetworkAclAssociationId"] != assoc);
}

/// Every rule of every security group, in both directions: removed, protocol changed, port
/// narrowed, each range removed or narrowed to either half, replaced by a group reference; and
/// widened to 0.0.0.0/0 (ingress) as a change that keeps the estate private.
pub fn security_groups(idx: &Idx, out: &mut Out) {
    const KIND: &str = "sg-rule";
    for acct in idx.accounts.clone() {
        let file = reg(&acct, "ec2/describe-security-groups");
        for g in idx.items(&acct, "ec2/describe-security-groups", "SecurityGroups") {
            let sg = str_of(&g, "GroupId");
            let default_sg = idx.default_sg(&str_of(&g, "VpcId"));
            for key in ["IpPermissions", "IpPermissionsEgress"] {
                let dir = if key == "IpPermissions" { "in" } else { "out" };
                for (i, p) in g[key].as_array().unwrap().iter().enumerate() {
                    let proto = str_of(p, "IpProtocol");
                    let port = p["FromPort"].as_i64();
                    let tag = match port {
                        Some(x) => format!("{proto}{x}"),
                        None => proto.clone(),
                    };
                    let at = format!("sg:{sg}:{dir}:{tag}");
                    let rule = {
                        let (f, sg) = (file.clone(), sg.clone());
                        place(move |s: &mut Snap| {
                            &mut s.item(&f, "SecurityGroups", "GroupId", &sg)[key][i]
                        })
                    };
                    let (f, sg2) = (file.clone(), sg.clone());
                    out.add(
                        KIND,
                        format!("{at}:removed"),
                        format!("{sg} {dir}bound rule {tag} removed"),
                        move |s| {
                            s.item(&f, "SecurityGroups", "GroupId", &sg2)[key]
                                .as_array_mut()
                                .unwrap()
                                .remove(i);
                        },
                    );
                    let r = rule.clone();
                    let (to, label): (Value, String) = match proto.as_str() {
                        "tcp" => (json!("udp"), "udp".into()),
                        "udp" => (json!("tcp"), "tcp".into()),
                        _ => (json!("tcp"), "tcp443".into()),
                    };
                    out.add(
                        KIND,
                        format!("{at}:proto-{label}"),
                        format!("{sg} {dir}bound rule {tag} protocol → {label}"),
                        move |s| {
                            let p = r(s);
                            p["IpProtocol"] = to.clone();
                            if to == "tcp" && p.get("FromPort").is_none() {
                                let o = p.as_object_mut().unwrap();
                                let rest: Vec<(String, Value)> = o
                                    .iter()
                                    .filter(|(k, _)| *k != "IpProtocol")
                                    .map(|(k, v)| (k.clone(), v.clone()))
                                    .collect();
                                o.retain(|k, _| k == "IpProtocol");
                                o.insert("FromPort".into(), json!(443));
                                o.insert("ToPort".into(), json!(443));
                                o.extend(rest);
                            }
                        },
                    );
                    if let Some(x) = port {
                        let r = rule.clone();
                        out.add(
                            KIND,
                            format!("{at}:port-{}", x + 1),
                            format!("{sg} {dir}bound rule {tag}: port → {}", x + 1),
                            move |s| {
                                let p = r(s);
                                p["FromPort"] = json!(x + 1);
                                p["ToPort"] = json!(x + 1);
                            },
                        );
                    }
                    for (j, range) in p["IpRanges"].as_array().unwrap().iter().enumerate() {
                        let cidr = str_of(range, "CidrIp");
                        let r = rule.clone();
                        out.add(
                            KIND,
                            format!("{at}:{cidr}:removed"),
                            format!("{sg} {dir}bound rule {tag}: range {cidr} removed"),
                            move |s| {
                                r(s)["IpRanges"].as_array_mut().unwrap().remove(j);
                            },
                        );
                        let (lo, hi) = halves(&cidr);
                        for half in [lo, hi] {
                            let r = rule.clone();
                            let h2 = half.clone();
                            out.add(
                                KIND,
                                format!("{at}:{cidr}:narrowed-{half}"),
                                format!("{sg} {dir}bound rule {tag}: {cidr} narrowed to {half}"),
                                move |s| {
                                    r(s)["IpRanges"][j]["CidrIp"] = json!(h2);
                                },
                            );
                        }
                    }
                    if !p["IpRanges"].as_array().unwrap().is_empty() {
                        let (r, own, d) = (rule.clone(), acct.clone(), default_sg.clone());
                        out.add(
                            KIND,
                            format!("{at}:group-ref"),
                            format!(
                                "{sg} {dir}bound rule {tag}: ranges replaced by a reference to {d}"
                            ),
                            move |s| {
                                let p = r(s);
                                p["IpRanges"] = json!([]);
                                p["UserIdGroupPairs"] = json!([{"UserId": own, "GroupId": d}]);
                            },
                        );
                    }
                    if dir == "in" {
                        let r = rule.clone();
                        out.add(
                            KIND,
                            format!("{at}:widened"),
                            format!(
                                "{sg} inbound rule {tag}: 0.0.0.0/0 added (still no internet path)"
                            ),
                            move |s| {
                                r(s)["IpRanges"]
                                    .as_array_mut()
                                    .unwrap()
                                    .push(json!({"CidrIp": "0.0.0.0/0", "Description": "mutant"}));
                            },
                        );
                    }
                }
            }
            let (f, sg2) = (file.clone(), sg.clone());
            out.add(KIND, format!("sg:{sg}:extra-ssh"), format!("{sg}: unrelated inbound TCP 22 from 10.0.0.0/8 added"), move |s| {
                s.item(&f, "SecurityGroups", "GroupId", &sg2)["IpPermissions"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "UserIdGroupPairs": [],
                        "IpRanges": [{"CidrIp": "10.0.0.0/8"}], "Ipv6Ranges": [], "PrefixListIds": []}));
            });
        }
    }
}

/// (label, CIDR, protocol, ports) of a deny entry.
type DenySpec = (&'static str, &'static str, &'static str, Option<(u32, u32)>);

/// Every NACL entry (except the immutable `*` rule): removed, flipped, renumbered, CIDR narrowed,
/// protocol changed; plus deny entries for each flow the estate uses, inserted before and after
/// the allow rule of each direction.
pub fn nacl_rules(idx: &Idx, out: &mut Out) {
    const KIND: &str = "nacl-rule";
    for acct in idx.accounts.clone() {
        let file = reg(&acct, "ec2/describe-network-acls");
        for n in idx.items(&acct, "ec2/describe-network-acls", "NetworkAcls") {
            let acl = str_of(&n, "NetworkAclId");
            let vpc_cidr = idx.vpc(&str_of(&n, "VpcId")).cidr;
            for (i, e) in n["Entries"].as_array().unwrap().iter().enumerate() {
                let num = e["RuleNumber"].as_i64().unwrap();
                if num == 32767 {
                    continue;
                }
                let dir = if e["Egress"] == true { "out" } else { "in" };
                let at = format!("nacl:{acl}:{dir}:{num}");
                let entry = {
                    let (f, acl) = (file.clone(), acl.clone());
                    place(move |s: &mut Snap| {
                        &mut s.item(&f, "NetworkAcls", "NetworkAclId", &acl)["Entries"][i]
                    })
                };
                let (f, acl2) = (file.clone(), acl.clone());
                out.add(
                    KIND,
                    format!("{at}:removed"),
                    format!("{acl} {dir}bound rule {num} removed"),
                    move |s| {
                        s.item(&f, "NetworkAcls", "NetworkAclId", &acl2)["Entries"]
                            .as_array_mut()
                            .unwrap()
                            .remove(i);
                    },
                );
                let r = entry.clone();
                out.add(
                    KIND,
                    format!("{at}:flipped"),
                    format!("{acl} {dir}bound rule {num}: allow ↔ deny"),
                    move |s| {
                        let e = r(s);
                        let a = if e["RuleAction"] == "allow" {
                            "deny"
                        } else {
                            "allow"
                        };
                        e["RuleAction"] = json!(a);
                    },
                );
                for to in [1, 32766] {
                    let r = entry.clone();
                    out.add(
                        KIND,
                        format!("{at}:renumbered-{to}"),
                        format!("{acl} {dir}bound rule {num} renumbered {to}"),
                        move |s| {
                            r(s)["RuleNumber"] = json!(to);
                        },
                    );
                }
                let cidr = str_of(e, "CidrBlock");
                for narrow in ["10.0.0.0/8", vpc_cidr.as_str(), "192.168.0.0/16"] {
                    if narrow == cidr {
                        continue;
                    }
                    let r = entry.clone();
                    let n2 = narrow.to_string();
                    out.add(
                        KIND,
                        format!("{at}:cidr-{narrow}"),
                        format!("{acl} {dir}bound rule {num}: {cidr} → {narrow}"),
                        move |s| {
                            r(s)["CidrBlock"] = json!(n2);
                        },
                    );
                }
                for (label, proto, ports) in [
                    ("tcp-all", "6", Some((0, 65535))),
                    ("udp-all", "17", Some((0, 65535))),
                    ("tcp-8883", "6", Some((8883, 8883))),
                    ("icmp", "1", None),
                ] {
                    let r = entry.clone();
                    out.add(
                        KIND,
                        format!("{at}:proto-{label}"),
                        format!("{acl} {dir}bound rule {num}: protocol → {label}"),
                        move |s| {
                            let e = r(s);
                            let (num, egress, action, cidr) = (
                                e["RuleNumber"].as_i64().unwrap(),
                                e["Egress"] == true,
                                str_of(e, "RuleAction"),
                                str_of(e, "CidrBlock"),
                            );
                            *e = nacl_entry(num, egress, &action, &cidr, proto, ports);
                        },
                    );
                }
            }
            // Deny entries for the flows of the estate, before (50) and after (150) rule 100.
            let flows: [DenySpec; 10] = [
                ("tcp8883", "0.0.0.0/0", "6", Some((8883, 8883))),
                ("tcp443", "0.0.0.0/0", "6", Some((443, 443))),
                ("udp53", "0.0.0.0/0", "17", Some((53, 53))),
                ("tcp53", "0.0.0.0/0", "6", Some((53, 53))),
                ("tcp-ephemeral", "0.0.0.0/0", "6", Some((1024, 65535))),
                ("udp-ephemeral", "0.0.0.0/0", "17", Some((1024, 65535))),
                ("onprem", "192.168.0.0/16", "-1", None),
                ("device", "10.10.0.0/16", "-1", None),
                ("gatekeeper", "10.20.0.0/16", "-1", None),
                ("consumer", "10.30.0.0/16", "-1", None),
            ];
            for egress in [false, true] {
                let dir = if egress { "out" } else { "in" };
                for (label, cidr, proto, ports) in flows {
                    for num in [50, 150] {
                        let (f, acl2) = (file.clone(), acl.clone());
                        let when = if num == 50 { "before" } else { "after" };
                        out.add(
                            KIND,
                            format!("nacl:{acl}:{dir}:deny-{label}-{when}"),
                            format!("{acl}: {dir}bound deny {label} ({cidr}) as rule {num}, {when} the allow rule 100"),
                            move |s| {
                                s.item(&f, "NetworkAcls", "NetworkAclId", &acl2)["Entries"]
                                    .as_array_mut()
                                    .unwrap()
                                    .push(nacl_entry(num, egress, "deny", cidr, proto, ports));
                            },
                        );
                    }
                }
            }
        }
    }
}
