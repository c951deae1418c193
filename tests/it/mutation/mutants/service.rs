//! The PrivateLink chain: endpoint service, its principals, the NLB, listeners, target groups and
//! targets; and the interface endpoints themselves.
use super::*;

pub fn endpoint_service(idx: &Idx, out: &mut Out) {
    const KIND: &str = "endpoint-service";
    for acct in idx.accounts.clone() {
        let cfg_f = reg(&acct, "ec2/describe-vpc-endpoint-service-configurations");
        for svc in idx.items(
            &acct,
            "ec2/describe-vpc-endpoint-service-configurations",
            "ServiceConfigurations",
        ) {
            let id = str_of(&svc, "ServiceId");
            let perm_f = reg(
                &acct,
                &format!("ec2/describe-vpc-endpoint-service-permissions/{id}"),
            );
            let perms = idx.snap.files[&perm_f]["AllowedPrincipals"]
                .as_array()
                .unwrap()
                .clone();
            for (i, p) in perms.iter().enumerate() {
                let principal = str_of(p, "Principal");
                let at = format!("svc:{id}:principal:{principal}");
                for (label, ty, arn) in [
                    ("star", "All", "*".to_string()),
                    (
                        "other-account",
                        "Account",
                        format!("arn:aws:iam::{STRANGER}:root"),
                    ),
                    (
                        "role-in-same-account",
                        "Role",
                        format!("{}role/iot-consumer", principal.trim_end_matches("root")),
                    ),
                ] {
                    let f = perm_f.clone();
                    let (ty, arn2) = (ty.to_string(), arn.clone());
                    out.add(
                        KIND,
                        format!("{at}:{label}"),
                        format!("{id}: allowed principal {principal} → {arn}"),
                        move |s| {
                            let p = &mut s.edit(&f)["AllowedPrincipals"][i];
                            p["PrincipalType"] = json!(ty);
                            p["Principal"] = json!(arn2);
                        },
                    );
                }
                let (f, sid) = (perm_f.clone(), id.clone());
                out.add(KIND, format!("{at}:plus-other-account"), format!("{id}: account {STRANGER} allowed as well"), move |s| {
                    s.list(&f, "AllowedPrincipals").push(json!({"PrincipalType": "Account",
                        "Principal": format!("arn:aws:iam::{STRANGER}:root"), "ServicePermissionId": "sp-0fffffffffffffff4", "ServiceId": sid}));
                });
            }
            let (f, sid) = (cfg_f.clone(), id.clone());
            out.add(
                KIND,
                format!("svc:{id}:acceptance-off"),
                format!("{id}: AcceptanceRequired false"),
                move |s| {
                    s.item(&f, "ServiceConfigurations", "ServiceId", &sid)["AcceptanceRequired"] =
                        json!(false);
                },
            );
            for state in ["Pending", "Failed", "Deleting"] {
                let (f, sid) = (cfg_f.clone(), id.clone());
                out.add(
                    KIND,
                    format!("svc:{id}:state-{state}"),
                    format!("{id}: ServiceState {state}"),
                    move |s| {
                        s.item(&f, "ServiceConfigurations", "ServiceId", &sid)["ServiceState"] =
                            json!(state);
                    },
                );
            }
            let (f, sid) = (cfg_f.clone(), id.clone());
            out.bad(KIND, format!("svc:{id}:nlb-not-in-snapshot"), format!("{id}: NetworkLoadBalancerArns names a load balancer that is not listed"), move |s| {
                s.item(&f, "ServiceConfigurations", "ServiceId", &sid)["NetworkLoadBalancerArns"] =
                    json!([format!("arn:aws:elasticloadbalancing:{REGION}:222222222222:loadbalancer/net/other/0fffffffffffffff")]);
            });
        }
        let lb_f = reg(&acct, "elbv2/describe-load-balancers");
        for lb in idx.items(&acct, "elbv2/describe-load-balancers", "LoadBalancers") {
            let arn = str_of(&lb, "LoadBalancerArn");
            let name = str_of(&lb, "LoadBalancerName");
            let (f, a) = (lb_f.clone(), arn.clone());
            out.add(
                KIND,
                format!("nlb:{name}:internet-facing"),
                format!("{name}: Scheme internet-facing"),
                move |s| {
                    let lb = s.item(&f, "LoadBalancers", "LoadBalancerArn", &a);
                    lb["Scheme"] = json!("internet-facing");
                    let dns = str_of(lb, "DNSName")
                        .trim_start_matches("internal-")
                        .to_string();
                    lb["DNSName"] = json!(dns);
                },
            );
            for state in ["provisioning", "failed"] {
                let (f, a) = (lb_f.clone(), arn.clone());
                out.add(
                    KIND,
                    format!("nlb:{name}:state-{state}"),
                    format!("{name}: State {state}"),
                    move |s| {
                        s.item(&f, "LoadBalancers", "LoadBalancerArn", &a)["State"]["Code"] =
                            json!(state);
                    },
                );
            }
            let lis_f = reg(&acct, &format!("elbv2/describe-listeners/{name}"));
            let listeners = idx.snap.files[&lis_f]["Listeners"]
                .as_array()
                .unwrap()
                .clone();
            for (i, l) in listeners.iter().enumerate() {
                let port = l["Port"].as_i64().unwrap();
                let at = format!("listener:{name}:{port}");
                let f = lis_f.clone();
                out.add(
                    KIND,
                    format!("{at}:port-{}", port + 1),
                    format!("{name}: listener {port} → {}", port + 1),
                    move |s| {
                        s.edit(&f)["Listeners"][i]["Port"] = json!(port + 1);
                    },
                );
                let f = lis_f.clone();
                out.add(
                    KIND,
                    format!("{at}:removed"),
                    format!("{name}: listener {port} deleted"),
                    move |s| {
                        s.list(&f, "Listeners").remove(i);
                    },
                );
                let f = lis_f.clone();
                out.add(
                    KIND,
                    format!("{at}:tls"),
                    format!("{name}: listener {port} protocol TLS (terminates TLS at the NLB)"),
                    move |s| {
                        s.edit(&f)["Listeners"][i]["Protocol"] = json!("TLS");
                    },
                );
                for other in listeners.iter().filter(|o| o["Port"] != port) {
                    let tg = other["DefaultActions"][0]["TargetGroupArn"].clone();
                    let f = lis_f.clone();
                    let op = other["Port"].as_i64().unwrap();
                    out.add(
                        KIND,
                        format!("{at}:forwards-to-{op}-group"),
                        format!(
                            "{name}: listener {port} forwards to the target group of port {op}"
                        ),
                        move |s| {
                            let a = &mut s.edit(&f)["Listeners"][i]["DefaultActions"][0];
                            a["TargetGroupArn"] = tg.clone();
                            a["ForwardConfig"]["TargetGroups"][0]["TargetGroupArn"] = tg.clone();
                        },
                    );
                }
            }
        }
        let tg_f = reg(&acct, "elbv2/describe-target-groups");
        for tg in idx.items(&acct, "elbv2/describe-target-groups", "TargetGroups") {
            let name = str_of(&tg, "TargetGroupName");
            let arn = str_of(&tg, "TargetGroupArn");
            let th_f = reg(&acct, &format!("elbv2/describe-target-health/{name}"));
            let targets = idx.snap.files[&th_f]["TargetHealthDescriptions"]
                .as_array()
                .unwrap()
                .clone();
            let (f, tf, a, n) = (th_f.clone(), tg_f.clone(), arn.clone(), targets.len());
            out.add(
                KIND,
                format!("tg:{name}:instance-targets"),
                format!("{name}: instance target group with an instance target"),
                move |s| {
                    s.item(&tf, "TargetGroups", "TargetGroupArn", &a)["TargetType"] =
                        json!("instance");
                    for i in 0..n {
                        let t = &mut s.edit(&f)["TargetHealthDescriptions"][i]["Target"];
                        t["Id"] = json!(format!("i-0bbb00000000000{i}9"));
                        t.as_object_mut().unwrap().remove("AvailabilityZone");
                    }
                },
            );
            for (i, t) in targets.iter().enumerate() {
                let tip = str_of(&t["Target"], "Id");
                let at = format!("target:{name}:{tip}");
                let f = th_f.clone();
                out.add(
                    KIND,
                    format!("{at}:deregistered"),
                    format!("{name}: target {tip} deregistered (the other remains)"),
                    move |s| {
                        s.list(&f, "TargetHealthDescriptions").remove(i);
                    },
                );
                let f = th_f.clone();
                out.add(
                    KIND,
                    format!("{at}:to-credentials-eni"),
                    format!(
                        "{name}: target {tip} → {} (the credentials endpoint)",
                        tip.replace(".10", ".11")
                    ),
                    move |s| {
                        let t = &mut s.edit(&f)["TargetHealthDescriptions"][i]["Target"]["Id"];
                        let v = t.as_str().unwrap().replace(".10", ".11");
                        *t = json!(v);
                    },
                );
                let (f, idx2, a2) = (th_f.clone(), idx.clone(), acct.clone());
                let tip2 = tip.clone();
                out.add(
                    KIND,
                    format!("{at}:to-instance-ip"),
                    format!("{name}: target {tip} → the address of an instance in the same subnet"),
                    move |s| {
                        let sub = idx2
                            .subnets
                            .iter()
                            .find(|x| {
                                x.acct == a2
                                    && x.cidr.starts_with(&tip2[..tip2.rfind('.').unwrap()])
                            })
                            .unwrap()
                            .clone();
                        let (eni, _) = add_appliance(s, &idx2, &sub, &format!("target/{tip2}"));
                        let ip = s.doc(&reg(&a2, "ec2/describe-network-interfaces")).unwrap()
                            ["NetworkInterfaces"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .find(|e| e["NetworkInterfaceId"] == eni.as_str())
                            .unwrap()["PrivateIpAddress"]
                            .clone();
                        s.edit(&f)["TargetHealthDescriptions"][i]["Target"]["Id"] = ip;
                    },
                );
                let f = th_f.clone();
                out.add(
                    KIND,
                    format!("{at}:port-changed"),
                    format!("{name}: target {tip} registered on another port"),
                    move |s| {
                        let p = &mut s.edit(&f)["TargetHealthDescriptions"][i]["Target"]["Port"];
                        let v = if p == 443 { 8883 } else { 443 };
                        *p = json!(v);
                    },
                );
            }
        }
    }
}

/// Interface endpoints (gatekeeper and consumer): state, security groups, ENI address.
pub fn interface_endpoints(idx: &Idx, out: &mut Out) {
    const KIND: &str = "interface-endpoint";
    for acct in idx.accounts.clone() {
        let f = reg(&acct, "ec2/describe-vpc-endpoints");
        let enis_f = reg(&acct, "ec2/describe-network-interfaces");
        for e in idx.items(&acct, "ec2/describe-vpc-endpoints", "VpcEndpoints") {
            let id = str_of(&e, "VpcEndpointId");
            for state in [
                "pendingAcceptance",
                "pending",
                "rejected",
                "deleting",
                "failed",
            ] {
                let (f2, id2) = (f.clone(), id.clone());
                out.add(
                    KIND,
                    format!("vpce:{id}:state-{state}"),
                    format!("{id}: State {state}"),
                    move |s| {
                        s.item(&f2, "VpcEndpoints", "VpcEndpointId", &id2)["State"] = json!(state);
                    },
                );
            }
            let default_sg = idx.default_sg(&str_of(&e, "VpcId"));
            let enis: Vec<String> = e["NetworkInterfaceIds"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect();
            let (f2, ef, id2, d, enis2) = (
                f.clone(),
                enis_f.clone(),
                id.clone(),
                default_sg.clone(),
                enis.clone(),
            );
            out.add(
                KIND,
                format!("vpce:{id}:default-sg"),
                format!("{id}: security group replaced by the VPC default group {default_sg}"),
                move |s| {
                    let g = json!([{"GroupId": d, "GroupName": "default"}]);
                    s.item(&f2, "VpcEndpoints", "VpcEndpointId", &id2)["Groups"] = g.clone();
                    for e in &enis2 {
                        s.item(&ef, "NetworkInterfaces", "NetworkInterfaceId", e)["Groups"] =
                            g.clone();
                    }
                },
            );
            let (ef, enis2) = (enis_f.clone(), enis.clone());
            out.bad(
                KIND,
                format!("vpce:{id}:eni-sg-mismatch"),
                format!("{id}: its ENI shows a group the endpoint does not list"),
                move |s| {
                    s.item(&ef, "NetworkInterfaces", "NetworkInterfaceId", &enis2[0])["Groups"] =
                        json!([{"GroupId": "sg-0fffffffffffffff0", "GroupName": "other"}]);
                },
            );
            for (k, eni) in enis.iter().enumerate() {
                let (f2, ef, e2, id2) = (f.clone(), enis_f.clone(), eni.clone(), id.clone());
                out.add(KIND, format!("vpce:{id}:eni-{k}-replaced"), format!("{id}: ENI {eni} replaced by a new ENI with another address (subnet removed and added again); records and targets still name the old address"), move |s| {
                    let list = s.list(&ef, "NetworkInterfaces");
                    let pos = list.iter().position(|x| x["NetworkInterfaceId"] == e2.as_str()).unwrap();
                    let mut x = list.remove(pos);
                    let ip = str_of(&x, "PrivateIpAddress");
                    let new_ip = format!("{}.77", &ip[..ip.rfind('.').unwrap()]);
                    let new_id = format!("eni-{}", hid(&e2));
                    x["NetworkInterfaceId"] = json!(new_id);
                    x["PrivateIpAddress"] = json!(new_ip);
                    x["PrivateIpAddresses"][0]["PrivateIpAddress"] = json!(new_ip);
                    list.push(x);
                    for v in s.item(&f2, "VpcEndpoints", "VpcEndpointId", &id2)["NetworkInterfaceIds"].as_array_mut().unwrap() {
                        if v == e2.as_str() {
                            *v = json!(new_id);
                        }
                    }
                });
            }
        }
    }
}
