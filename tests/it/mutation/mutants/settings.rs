//! DNS settings and on-premises plumbing: Resolver inbound endpoint, DHCP options, VPC DNS
//! attributes; the site-to-site VPN (from the `compliant/private-ip-vpn` fixture).
use super::*;

pub fn all(idx: &Idx, out: &mut Out) {
    const KIND: &str = "dns-settings";
    for acct in idx.accounts.clone() {
        let ep_f = reg(&acct, "route53resolver/list-resolver-endpoints");
        let enis_f = reg(&acct, "ec2/describe-network-interfaces");
        for ep in idx.items(
            &acct,
            "route53resolver/list-resolver-endpoints",
            "ResolverEndpoints",
        ) {
            let id = str_of(&ep, "Id");
            let ips_f = reg(
                &acct,
                &format!("route53resolver/list-resolver-endpoint-ip-addresses/{id}"),
            );
            for status in [
                "ACTION_NEEDED",
                "AUTO_RECOVERING",
                "DELETING",
                "UPDATING",
                "CREATING",
            ] {
                let (f, id2) = (ep_f.clone(), id.clone());
                out.add(
                    KIND,
                    format!("resolver:{id}:status-{status}"),
                    format!("{id}: Status {status}"),
                    move |s| {
                        s.item(&f, "ResolverEndpoints", "Id", &id2)["Status"] = json!(status);
                    },
                );
            }
            let (f, id2) = (ep_f.clone(), id.clone());
            out.add(
                KIND,
                format!("resolver:{id}:outbound"),
                format!("{id}: Direction OUTBOUND"),
                move |s| {
                    s.item(&f, "ResolverEndpoints", "Id", &id2)["Direction"] = json!("OUTBOUND");
                },
            );
            let sg = idx.default_sg(&str_of(&ep, "HostVPCId"));
            let ips = idx.snap.files[&ips_f]["IpAddresses"]
                .as_array()
                .unwrap()
                .clone();
            let enis = idx.items(
                &acct,
                "ec2/describe-network-interfaces",
                "NetworkInterfaces",
            );
            let eni_of = |ip: &str| {
                enis.iter()
                    .find(|e| e["PrivateIpAddress"] == ip)
                    .map(|e| str_of(e, "NetworkInterfaceId"))
                    .unwrap()
            };
            let eni_ids: Vec<String> = ips
                .iter()
                .map(|i| eni_of(i["Ip"].as_str().unwrap()))
                .collect();
            let (f, ef, id2, sg2, e2) = (
                ep_f.clone(),
                enis_f.clone(),
                id.clone(),
                sg.clone(),
                eni_ids.clone(),
            );
            out.add(
                KIND,
                format!("resolver:{id}:default-sg"),
                format!("{id}: security group replaced by the VPC default group {sg}"),
                move |s| {
                    s.item(&f, "ResolverEndpoints", "Id", &id2)["SecurityGroupIds"] = json!([sg2]);
                    for e in &e2 {
                        s.item(&ef, "NetworkInterfaces", "NetworkInterfaceId", e)["Groups"] =
                            json!([{"GroupId": sg2, "GroupName": "default"}]);
                    }
                },
            );
            for status in ["FAILED_CREATION", "DETACHING", "FAILED_RESOURCE_GONE"] {
                let f = ips_f.clone();
                out.add(
                    KIND,
                    format!("resolver:{id}:all-ips-{status}"),
                    format!("{id}: every address {status}"),
                    move |s| {
                        for a in s.list(&f, "IpAddresses") {
                            a["Status"] = json!(status);
                        }
                    },
                );
            }
            for (i, a) in ips.iter().enumerate() {
                let ip = str_of(a, "Ip");
                for status in ["FAILED_CREATION", "DETACHING"] {
                    let f = ips_f.clone();
                    out.add(
                        KIND,
                        format!("resolver:{id}:{ip}:{status}"),
                        format!("{id}: address {ip} {status}"),
                        move |s| {
                            s.edit(&f)["IpAddresses"][i]["Status"] = json!(status);
                        },
                    );
                }
                let (f, ef, e, ip2) = (
                    ips_f.clone(),
                    enis_f.clone(),
                    eni_ids[i].clone(),
                    ip.clone(),
                );
                out.add(
                    KIND,
                    format!("resolver:{id}:{ip}:readdressed"),
                    format!("{id}: address {ip} replaced by the next address (ENI too)"),
                    move |s| {
                        let new = format!(
                            "{}.{}",
                            &ip2[..ip2.rfind('.').unwrap()],
                            ip2.rsplit('.').next().unwrap().parse::<u32>().unwrap() + 1
                        );
                        s.edit(&f)["IpAddresses"][i]["Ip"] = json!(new);
                        let x = s.item(&ef, "NetworkInterfaces", "NetworkInterfaceId", &e);
                        x["PrivateIpAddress"] = json!(new);
                        x["PrivateIpAddresses"][0]["PrivateIpAddress"] = json!(new);
                    },
                );
                let (f, ef, e, pf, id2) = (
                    ips_f.clone(),
                    enis_f.clone(),
                    eni_ids[i].clone(),
                    ep_f.clone(),
                    id.clone(),
                );
                out.bad(
                    KIND,
                    format!("resolver:{id}:{ip}:removed"),
                    format!("{id}: address {ip} removed, one left (Route 53 requires two)"),
                    move |s| {
                        s.list(&f, "IpAddresses").remove(i);
                        s.list(&ef, "NetworkInterfaces")
                            .retain(|x| x["NetworkInterfaceId"] != e.as_str());
                        s.item(&pf, "ResolverEndpoints", "Id", &id2)["IpAddressCount"] = json!(1);
                    },
                );
            }
        }
        let dhcp_f = reg(&acct, "ec2/describe-dhcp-options");
        for o in idx.items(&acct, "ec2/describe-dhcp-options", "DhcpOptions") {
            let id = str_of(&o, "DhcpOptionsId");
            for (label, key, values) in [
                ("custom-dns", "domain-name-servers", vec!["10.10.1.99"]),
                (
                    "amazon-plus-public",
                    "domain-name-servers",
                    vec!["AmazonProvidedDNS", "8.8.8.8"],
                ),
                ("domain-name", "domain-name", vec!["corp.example.internal"]),
            ] {
                let (f, id2) = (dhcp_f.clone(), id.clone());
                out.add(
                    KIND,
                    format!("dhcp:{id}:{label}"),
                    format!("{acct} DHCP options {id}: {key} → {values:?}"),
                    move |s| {
                        let o = s.item(&f, "DhcpOptions", "DhcpOptionsId", &id2);
                        for c in o["DhcpConfigurations"].as_array_mut().unwrap() {
                            if c["Key"] == key {
                                c["Values"] = json!(values
                                    .iter()
                                    .map(|v| json!({"Value": v}))
                                    .collect::<Vec<_>>());
                            }
                        }
                    },
                );
            }
        }
        let vpcs_f = reg(&acct, "ec2/describe-vpcs");
        for v in idx.items(&acct, "ec2/describe-vpcs", "Vpcs") {
            let vpc = str_of(&v, "VpcId");
            for attr in ["enableDnsSupport", "enableDnsHostnames"] {
                let f = reg(&acct, &format!("ec2/describe-vpc-attribute/{vpc}-{attr}"));
                let key = format!("{}{}", attr[..1].to_ascii_uppercase(), &attr[1..]);
                out.add(
                    KIND,
                    format!("vpc-attr:{vpc}:{attr}-false"),
                    format!("{vpc}: {attr} false"),
                    move |s| {
                        s.edit(&f)[key.as_str()]["Value"] = json!(false);
                    },
                );
            }
            let (f, v2) = (vpcs_f.clone(), vpc.clone());
            out.add(
                KIND,
                format!("vpc:{vpc}:dhcp-default"),
                format!("{vpc}: DHCP options set to `default` (AmazonProvidedDNS)"),
                move |s| {
                    s.item(&f, "Vpcs", "VpcId", &v2)["DhcpOptionsId"] = json!("default");
                },
            );
            // Inconsistent input, but it matters only for a VPC whose instances resolve names.
            let source = v["Tags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["Value"] == "device" || t["Value"] == "consumer");
            let (f, v2) = (vpcs_f.clone(), vpc.clone());
            let (id, desc) = (
                format!("vpc:{vpc}:dhcp-dangling"),
                format!(
                    "{vpc}: DhcpOptionsId names a set that describe-dhcp-options does not list"
                ),
            );
            let edit = move |s: &mut Snap| {
                s.item(&f, "Vpcs", "VpcId", &v2)["DhcpOptionsId"] = json!("dopt-0fffffffffffffff0");
            };
            if source {
                out.bad(KIND, id, desc, edit);
            } else {
                out.add(KIND, id, desc, edit);
            }
            if v["Tags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["Value"] == "gatekeeper")
            {
                let (f, v2) = (vpcs_f.clone(), vpc.clone());
                out.add(
                    KIND,
                    format!("vpc:{vpc}:role-removed"),
                    format!("{vpc}: pathproof:role tag removed (no gatekeeper)"),
                    move |s| {
                        s.item(&f, "Vpcs", "VpcId", &v2)["Tags"]
                            .as_array_mut()
                            .unwrap()
                            .retain(|t| t["Key"] != "pathproof:role");
                    },
                );
            }
        }
    }
}

/// Mutants of the VPN in `compliant/private-ip-vpn` (a private-IP VPN over Direct Connect).
pub fn vpn(idx: &Idx, out: &mut Out) {
    const KIND: &str = "vpn";
    let seed = "compliant/private-ip-vpn";
    let add = |out: &mut Out,
               id: String,
               desc: String,
               bad: bool,
               f: Box<dyn Fn(&mut Snap) + Send + Sync>| {
        out.push(KIND, id, desc, bad, seed, f);
    };
    add(
        out,
        "vpn:seed".into(),
        "the private-IP VPN fixture itself".into(),
        false,
        Box::new(|_| {}),
    );
    for acct in idx.accounts.clone() {
        let f = reg(&acct, "ec2/describe-vpn-connections");
        for v in idx.items(&acct, "ec2/describe-vpn-connections", "VpnConnections") {
            let id = str_of(&v, "VpnConnectionId");
            let (f2, id2) = (f.clone(), id.clone());
            add(
                out,
                format!("vpn:{id}:public"),
                format!("{id}: OutsideIpAddressType PublicIpv4, no transport attachment"),
                false,
                Box::new(move |s| {
                    let o = &mut s.item(&f2, "VpnConnections", "VpnConnectionId", &id2)["Options"];
                    o["OutsideIpAddressType"] = json!("PublicIpv4");
                    o.as_object_mut()
                        .unwrap()
                        .remove("TransportTransitGatewayAttachmentId");
                }),
            );
            let (f2, id2) = (f.clone(), id.clone());
            add(
                out,
                format!("vpn:{id}:type-unset"),
                format!("{id}: no OutsideIpAddressType (the default is PublicIpv4)"),
                false,
                Box::new(move |s| {
                    let o = &mut s.item(&f2, "VpnConnections", "VpnConnectionId", &id2)["Options"];
                    let o = o.as_object_mut().unwrap();
                    o.remove("OutsideIpAddressType");
                    o.remove("TransportTransitGatewayAttachmentId");
                }),
            );
            let (f2, id2) = (f.clone(), id.clone());
            add(
                out,
                format!("vpn:{id}:no-transport"),
                format!("{id}: PrivateIpv4 without a transport attachment (AWS requires one)"),
                true,
                Box::new(move |s| {
                    s.item(&f2, "VpnConnections", "VpnConnectionId", &id2)["Options"]
                        .as_object_mut()
                        .unwrap()
                        .remove("TransportTransitGatewayAttachmentId");
                }),
            );
            let (f2, id2) = (f.clone(), id.clone());
            add(
                out,
                format!("vpn:{id}:transport-vpc"),
                format!("{id}: transport attachment is the device VPC attachment"),
                true,
                Box::new(move |s| {
                    s.item(&f2, "VpnConnections", "VpnConnectionId", &id2)["Options"]
                        ["TransportTransitGatewayAttachmentId"] =
                        json!("tgw-attach-0aaa0000000000d01");
                }),
            );
            for state in ["deleted", "pending"] {
                let (f2, id2) = (f.clone(), id.clone());
                add(
                    out,
                    format!("vpn:{id}:state-{state}"),
                    format!("{id}: State {state}"),
                    false,
                    Box::new(move |s| {
                        s.item(&f2, "VpnConnections", "VpnConnectionId", &id2)["State"] =
                            json!(state);
                    }),
                );
            }
        }
    }
}
