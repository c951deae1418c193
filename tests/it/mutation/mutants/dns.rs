//! Route 53: private zone associations, authorizations, records, zones; Resolver rules.
use super::*;

const KIND: &str = "dns";

pub fn all(idx: &Idx, out: &mut Out) {
    // Endpoint DNS names in the snapshot: alias targets a record can be changed to.
    let mut endpoint_names = Vec::new();
    let mut nlb_names = Vec::new();
    for a in &idx.accounts {
        for e in idx.items(a, "ec2/describe-vpc-endpoints", "VpcEndpoints") {
            if let Some(d) = e["DnsEntries"].as_array().and_then(|d| d.first()) {
                endpoint_names.push((
                    str_of(&e, "VpcEndpointId"),
                    str_of(d, "DnsName"),
                    str_of(d, "HostedZoneId"),
                ));
            }
        }
        for lb in idx.items(a, "elbv2/describe-load-balancers", "LoadBalancers") {
            nlb_names.push((str_of(&lb, "DNSName"), str_of(&lb, "CanonicalHostedZoneId")));
        }
    }
    for acct in idx.accounts.clone() {
        let list_f = glob(&acct, "list-hosted-zones");
        let Some(list) = idx.snap.doc(&list_f) else {
            continue;
        };
        for z in list["HostedZones"].as_array().unwrap().clone() {
            let zid = str_of(&z, "Id")
                .trim_start_matches("/hostedzone/")
                .to_string();
            let zname = str_of(&z, "Name");
            let get_f = glob(&acct, &format!("get-hosted-zone/{zid}"));
            let rec_f = glob(&acct, &format!("list-resource-record-sets/{zid}"));
            let auth_f = glob(&acct, &format!("list-vpc-association-authorizations/{zid}"));
            let vpcs = idx.snap.files[&get_f]["VPCs"].as_array().unwrap().clone();
            for v in &vpcs {
                let vpc = str_of(v, "VPCId");
                let (g, v2) = (get_f.clone(), vpc.clone());
                let f = move |s: &mut Snap| {
                    s.list(&g, "VPCs").retain(|x| x["VPCId"] != v2.as_str());
                };
                let id = format!("phz:{zid}:assoc:{vpc}:removed");
                let desc = format!("{vpc} disassociated from {zid} ({zname})");
                if vpcs.len() == 1 {
                    out.bad(
                        KIND,
                        id,
                        format!("{desc}; AWS refuses to remove a private zone's last VPC"),
                        f,
                    );
                } else {
                    out.add(KIND, id, desc, f);
                }
            }
            if let Some(auth) = idx.snap.doc(&auth_f) {
                for v in auth["VPCs"].as_array().unwrap() {
                    let vpc = str_of(v, "VPCId");
                    let (f, v2) = (auth_f.clone(), vpc.clone());
                    out.add(
                        KIND,
                        format!("phz:{zid}:authorization:{vpc}:removed"),
                        format!("authorization of {vpc} on {zid} deleted (the association stays)"),
                        move |s| {
                            s.list(&f, "VPCs").retain(|x| x["VPCId"] != v2.as_str());
                        },
                    );
                }
            }
            let records = idx.snap.files[&rec_f]["ResourceRecordSets"]
                .as_array()
                .unwrap()
                .clone();
            for (i, r) in records.iter().enumerate() {
                if r["Type"] != "A" {
                    continue;
                }
                let name = str_of(r, "Name");
                let at = format!("rr:{zid}:{name}A");
                let rec = {
                    let f = rec_f.clone();
                    place(move |s: &mut Snap| &mut s.edit(&f)["ResourceRecordSets"][i])
                };
                let r2 = rec.clone();
                out.add(
                    KIND,
                    format!("{at}:to-AAAA"),
                    format!("{zid}: {name} A alias → AAAA alias"),
                    move |s| {
                        r2(s)["Type"] = json!("AAAA");
                    },
                );
                let (f, a2, z2) = (rec_f.clone(), acct.clone(), zid.clone());
                out.add(
                    KIND,
                    format!("{at}:deleted"),
                    format!("{zid}: {name} A record deleted"),
                    move |s| {
                        s.list(&f, "ResourceRecordSets").remove(i);
                        bump_record_count(s, &a2, &z2, -1);
                    },
                );
                let r2 = rec.clone();
                let n2 = name.clone();
                out.add(KIND, format!("{at}:public-address"), format!("{zid}: {name} A → 52.94.133.131 (a public address)"), move |s| {
                    *r2(s) = json!({"Name": n2, "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "52.94.133.131"}]});
                });
                let r2 = rec.clone();
                let n2 = name.clone();
                out.add(
                    KIND,
                    format!("{at}:wildcard"),
                    format!("{zid}: {name} A record renamed *.{name}"),
                    move |s| {
                        r2(s)["Name"] = json!(format!("*.{n2}"));
                    },
                );
                let (f, a2, z2, n2) = (rec_f.clone(), acct.clone(), zid.clone(), name.clone());
                out.add(KIND, format!("{at}:extra-wildcard"), format!("{zid}: unrelated *.{name} A → public address added"), move |s| {
                    s.list(&f, "ResourceRecordSets").push(json!({"Name": format!("\\052.{n2}"), "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "52.94.133.131"}]}));
                    bump_record_count(s, &a2, &z2, 1);
                });
                let r2 = rec.clone();
                let n2 = name.clone();
                out.bad(KIND, format!("{at}:cname-at-apex"), format!("{zid}: {name} A alias replaced by a CNAME at the apex (Route 53 refuses it)"), move |s| {
                    *r2(s) = json!({"Name": n2, "Type": "CNAME", "TTL": 60, "ResourceRecords": [{"Value": "example.com."}]});
                });
                let Some(alias) = r.get("AliasTarget") else {
                    continue;
                };
                let target = str_of(alias, "DNSName").trim_end_matches('.').to_string();
                let Some((vpce, _, _)) = endpoint_names
                    .iter()
                    .find(|(_, n, _)| *n == target)
                    .cloned()
                else {
                    continue;
                };
                // The endpoint behind the alias: its zonal names and ENI addresses.
                let owner = idx
                    .accounts
                    .iter()
                    .find(|a| {
                        idx.items(a, "ec2/describe-vpc-endpoints", "VpcEndpoints")
                            .iter()
                            .any(|e| e["VpcEndpointId"] == vpce.as_str())
                    })
                    .unwrap()
                    .clone();
                let ep = idx
                    .items(&owner, "ec2/describe-vpc-endpoints", "VpcEndpoints")
                    .into_iter()
                    .find(|e| e["VpcEndpointId"] == vpce.as_str())
                    .unwrap();
                let enis = idx.items(
                    &owner,
                    "ec2/describe-network-interfaces",
                    "NetworkInterfaces",
                );
                let ips: Vec<String> = ep["NetworkInterfaceIds"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|id| enis.iter().find(|e| e["NetworkInterfaceId"] == *id))
                    .map(|e| str_of(e, "PrivateIpAddress"))
                    .collect();
                for (k, d) in ep["DnsEntries"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .enumerate()
                    .skip(1)
                {
                    let r2 = rec.clone();
                    let dn = format!("{}.", str_of(d, "DnsName"));
                    out.add(
                        KIND,
                        format!("{at}:alias-zonal-{k}"),
                        format!("{zid}: alias → the zonal name {dn} of the same endpoint"),
                        move |s| {
                            r2(s)["AliasTarget"]["DNSName"] = json!(dn);
                        },
                    );
                }
                for (other, dn, hz) in endpoint_names.iter().filter(|(v, _, _)| *v != vpce) {
                    let r2 = rec.clone();
                    let (dn2, hz2) = (format!("{dn}."), hz.clone());
                    out.add(
                        KIND,
                        format!("{at}:alias-to:{other}"),
                        format!("{zid}: alias → {dn} (endpoint {other})"),
                        move |s| {
                            r2(s)["AliasTarget"]["DNSName"] = json!(dn2);
                            r2(s)["AliasTarget"]["HostedZoneId"] = json!(hz2);
                        },
                    );
                }
                for (dn, hz) in &nlb_names {
                    let r2 = rec.clone();
                    let (dn2, hz2) = (format!("{dn}."), hz.clone());
                    out.add(
                        KIND,
                        format!("{at}:alias-to-nlb"),
                        format!("{zid}: alias → the load balancer {dn}"),
                        move |s| {
                            r2(s)["AliasTarget"]["DNSName"] = json!(dn2);
                            r2(s)["AliasTarget"]["HostedZoneId"] = json!(hz2);
                        },
                    );
                }
                let r2 = rec.clone();
                out.add(KIND, format!("{at}:alias-to-missing-endpoint"), format!("{zid}: alias → an endpoint name that is not in the snapshot"), move |s| {
                    r2(s)["AliasTarget"]["DNSName"] = json!("vpce-0fffffffffffffff0-00000000.data.iot.us-west-2.vpce.amazonaws.com.");
                });
                let (r2, n2, ips2) = (rec.clone(), name.clone(), ips.clone());
                out.add(KIND, format!("{at}:plain-endpoint-ips"), format!("{zid}: alias replaced by A records of the endpoint's ENI addresses {ips:?}"), move |s| {
                    *r2(s) = json!({"Name": n2, "Type": "A", "TTL": 60,
                        "ResourceRecords": ips2.iter().map(|i| json!({"Value": i})).collect::<Vec<_>>()});
                });
                let (r2, n2, first) = (rec.clone(), name.clone(), ips[0].clone());
                out.add(
                    KIND,
                    format!("{at}:one-foreign-ip"),
                    format!("{zid}: A records {first} and 10.20.1.99 (not an endpoint address)"),
                    move |s| {
                        *r2(s) = json!({"Name": n2, "Type": "A", "TTL": 60,
                        "ResourceRecords": [{"Value": first}, {"Value": "10.20.1.99"}]});
                    },
                );
            }
            let (a2, z2, lf) = (acct.clone(), zid.clone(), list_f.clone());
            out.add(
                KIND,
                format!("phz:{zid}:deleted"),
                format!("zone {zid} ({zname}) deleted"),
                move |s| {
                    s.list(&lf, "HostedZones")
                        .retain(|z| z["Id"] != format!("/hostedzone/{z2}").as_str());
                    for op in [
                        "get-hosted-zone",
                        "list-resource-record-sets",
                        "list-vpc-association-authorizations",
                    ] {
                        s.files.remove(&glob(&a2, &format!("{op}/{z2}")));
                    }
                },
            );
        }
    }
    extra_zones(idx, out);
    resolver_rules(idx, out);
}

fn add_zone(
    s: &mut Snap,
    acct: &str,
    id: &str,
    name: &str,
    private: bool,
    vpcs: &[&str],
    records: Vec<Value>,
) {
    let mut all = records;
    all.push(json!({"Name": name, "Type": "NS", "TTL": 172800, "ResourceRecords": [{"Value": "ns-1536.awsdns-00.co.uk."}]}));
    all.push(json!({"Name": name, "Type": "SOA", "TTL": 900, "ResourceRecords": [{"Value": "ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"}]}));
    let hz = json!({"Id": format!("/hostedzone/{id}"), "Name": name, "CallerReference": format!("mutant-{id}"),
        "Config": {"Comment": "mutant", "PrivateZone": private}, "ResourceRecordSetCount": all.len()});
    s.list(&glob(acct, "list-hosted-zones"), "HostedZones")
        .push(hz.clone());
    let mut get = json!({"HostedZone": hz});
    if private {
        get["VPCs"] = json!(vpcs
            .iter()
            .map(|v| json!({"VPCRegion": REGION, "VPCId": v}))
            .collect::<Vec<_>>());
        s.files.insert(
            glob(acct, &format!("list-vpc-association-authorizations/{id}")),
            json!({"HostedZoneId": id, "VPCs": []}),
        );
    } else {
        get["DelegationSet"] = json!({"NameServers": ["ns-1536.awsdns-00.co.uk."]});
    }
    s.files
        .insert(glob(acct, &format!("get-hosted-zone/{id}")), get);
    s.files.insert(
        glob(acct, &format!("list-resource-record-sets/{id}")),
        json!({"ResourceRecordSets": all}),
    );
}

fn extra_zones(idx: &Idx, out: &mut Out) {
    let device = idx
        .vpcs
        .iter()
        .find(|v| v.acct == "111111111111")
        .unwrap()
        .id
        .clone();
    let consumer = idx
        .vpcs
        .iter()
        .find(|v| v.acct == "333333333333")
        .unwrap()
        .id
        .clone();
    let (d, c) = (device.clone(), consumer.clone());
    out.add(KIND, "phz:extra:corp-zone", format!("unrelated private zone corp.example.internal. associated with {device}"), move |s| {
        add_zone(s, "111111111111", "Z0111111CORP0000000001", "corp.example.internal.", true, &[&d],
            vec![json!({"Name": "db.corp.example.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.10.1.40"}]})]);
    });
    let d = device.clone();
    out.add(KIND, "phz:extra:parent-zone-device", format!("private zone iot.us-west-2.amazonaws.com. (parent of the IoT names, no records) associated with {device}"), move |s| {
        add_zone(s, "111111111111", "Z0111111IOTP0000000001", "iot.us-west-2.amazonaws.com.", true, &[&d], vec![]);
    });
    out.add(
        KIND,
        "phz:extra:parent-zone-consumer",
        format!("private zone amazonaws.com. associated with {consumer}"),
        move |s| {
            add_zone(
                s,
                "333333333333",
                "Z0333333AMZN0000000001",
                "amazonaws.com.",
                true,
                &[&c],
                vec![],
            );
        },
    );
    out.add(KIND, "phz:extra:public-zone", "unrelated public zone example.com. in 222222222222", move |s| {
        add_zone(s, "222222222222", "Z0222222PUBL0000000001", "example.com.", false, &[],
            vec![json!({"Name": "www.example.com.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "52.94.133.131"}]})]);
    });
    let d = device.clone();
    out.bad(KIND, "phz:extra:duplicate-data-zone", format!("a second private zone with the IoT data name associated with {device} (Route 53 refuses it)"), move |s| {
        add_zone(s, "111111111111", "Z0111111DUPL0000000001", "a1b2c3d4e5f6g7-ats.iot.us-west-2.amazonaws.com.", true, &[&d],
            vec![json!({"Name": "a1b2c3d4e5f6g7-ats.iot.us-west-2.amazonaws.com.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "52.94.133.131"}]})]);
    });
}

/// Forwarding rules shared from another account and associated with a VPC.
fn resolver_rules(idx: &Idx, out: &mut Out) {
    for v in idx.vpcs.clone() {
        // A parent of the IoT zones (less specific than they are: the zones still answer), the
        // data name itself (as specific as its zone: the rule wins the tie) and an unrelated domain.
        for (label, domain) in [
            ("iot-names", "iot.us-west-2.amazonaws.com."),
            (
                "iot-data-name",
                "a1b2c3d4e5f6g7-ats.iot.us-west-2.amazonaws.com.",
            ),
            ("corp", "corp.example."),
        ] {
            let v2 = v.clone();
            out.add(KIND, format!("resolver-rule:{}:forward-{label}", v.id), format!("FORWARD rule for {domain} (shared, endpoint in another account) associated with {}", v.id), move |s| {
                let rule = format!("rslvr-rr-{}", hid(&format!("{}/{domain}", v2.id)));
                s.list(&reg(&v2.acct, "route53resolver/list-resolver-rules"), "ResolverRules").push(json!({
                    "Id": rule, "CreatorRequestId": "mutant", "Arn": format!("arn:aws:route53resolver:{REGION}:{STRANGER}:resolver-rule/{rule}"),
                    "DomainName": domain, "Status": "COMPLETE", "StatusMessage": "[Trace id: mutant] Successfully created Resolver Rule.",
                    "RuleType": "FORWARD", "Name": "mutant-forward", "TargetIps": [{"Ip": "192.168.10.53", "Port": 53, "Protocol": "Do53"}],
                    "ResolverEndpointId": "rslvr-out-0ddd000000000001a", "OwnerId": STRANGER, "ShareStatus": "SHARED_WITH_ME"}));
                s.list(&reg(&v2.acct, "route53resolver/list-resolver-rule-associations"), "ResolverRuleAssociations").push(json!({
                    "Id": format!("rslvr-rrassoc-{}", hid(&rule)), "ResolverRuleId": rule, "Name": "mutant", "VPCId": v2.id,
                    "Status": "COMPLETE", "StatusMessage": ""}));
            });
        }
    }
}
