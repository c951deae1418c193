//! Transit Gateway routes, associations, propagations and attachments, changed the way the TGW
//! API changes them: disabling a propagation removes its propagated routes; a static route for the
//! same prefix overrides a propagated one (the search shows the static route); removing an
//! association clears the attachment's `Association` block too.
use super::*;

const KIND: &str = "tgw";

fn att_ref(att: &Value) -> Value {
    json!({"ResourceId": att["ResourceId"], "TransitGatewayAttachmentId": att["TransitGatewayAttachmentId"], "ResourceType": att["ResourceType"]})
}

pub fn all(idx: &Idx, out: &mut Out) {
    for acct in idx.accounts.clone() {
        let attachments = idx.items(
            &acct,
            "ec2/describe-transit-gateway-attachments",
            "TransitGatewayAttachments",
        );
        for t in idx.items(
            &acct,
            "ec2/describe-transit-gateway-route-tables",
            "TransitGatewayRouteTables",
        ) {
            let rtb = str_of(&t, "TransitGatewayRouteTableId");
            let routes_f = reg(&acct, &format!("ec2/search-transit-gateway-routes/{rtb}"));
            let assoc_f = reg(
                &acct,
                &format!("ec2/get-transit-gateway-route-table-associations/{rtb}"),
            );
            let prop_f = reg(
                &acct,
                &format!("ec2/get-transit-gateway-route-table-propagations/{rtb}"),
            );
            let atts_f = reg(&acct, "ec2/describe-transit-gateway-attachments");
            let routes = idx.snap.files[&routes_f]["Routes"]
                .as_array()
                .unwrap()
                .clone();
            let assocs = idx.snap.files[&assoc_f]["Associations"]
                .as_array()
                .unwrap()
                .clone();
            for (i, r) in routes.iter().enumerate() {
                let dest = str_of(r, "DestinationCidrBlock");
                let att = str_of(
                    &r["TransitGatewayAttachments"][0],
                    "TransitGatewayAttachmentId",
                );
                let at = format!("tgw-route:{rtb}:{dest}");
                let f = routes_f.clone();
                out.add(KIND, format!("{at}:blackhole"), format!("{rtb}: static blackhole route {dest} overrides the propagated route"), move |s| {
                    s.edit(&f)["Routes"][i] = json!({"DestinationCidrBlock": dest, "Type": "static", "State": "blackhole"});
                });
                let (f, p, a) = (routes_f.clone(), prop_f.clone(), att.clone());
                out.add(
                    KIND,
                    format!("{at}:propagation-disabled"),
                    format!(
                        "{rtb}: propagation of {att} disabled (its route {} disappears)",
                        str_of(r, "DestinationCidrBlock")
                    ),
                    move |s| {
                        s.edit(&f)["Routes"].as_array_mut().unwrap().retain(|r| {
                            r["TransitGatewayAttachments"][0]["TransitGatewayAttachmentId"]
                                != a.as_str()
                        });
                        s.list(&p, "TransitGatewayRouteTablePropagations")
                            .retain(|x| x["TransitGatewayAttachmentId"] != a.as_str());
                    },
                );
                let f = routes_f.clone();
                out.bad(
                    KIND,
                    format!("{at}:route-removed-only"),
                    format!(
                        "{rtb}: propagated route {} gone while {att} still propagates",
                        str_of(r, "DestinationCidrBlock")
                    ),
                    move |s| {
                        s.edit(&f)["Routes"].as_array_mut().unwrap().remove(i);
                    },
                );
                let (f, p, a) = (routes_f.clone(), prop_f.clone(), att.clone());
                out.add(
                    KIND,
                    format!("{at}:made-static"),
                    format!("{rtb}: propagation of {att} replaced by a static route to it"),
                    move |s| {
                        s.edit(&f)["Routes"][i]["Type"] = json!("static");
                        s.list(&p, "TransitGatewayRouteTablePropagations")
                            .retain(|x| x["TransitGatewayAttachmentId"] != a.as_str());
                    },
                );
                let p = prop_f.clone();
                let a = att.clone();
                out.bad(KIND, format!("{at}:propagation-entry-removed"), format!("{rtb}: propagation entry of {att} removed, its propagated route still shown"), move |s| {
                    s.list(&p, "TransitGatewayRouteTablePropagations").retain(|x| x["TransitGatewayAttachmentId"] != a.as_str());
                });
                for other in attachments
                    .iter()
                    .filter(|x| x["TransitGatewayAttachmentId"] != att.as_str())
                {
                    let oid = str_of(other, "TransitGatewayAttachmentId");
                    let (f, o) = (routes_f.clone(), att_ref(other));
                    let d2 = str_of(r, "DestinationCidrBlock");
                    out.add(KIND, format!("{at}:to:{oid}"), format!("{rtb}: static route {d2} → {oid} overrides the propagated one"), move |s| {
                        s.edit(&f)["Routes"][i] = json!({"DestinationCidrBlock": d2, "TransitGatewayAttachments": [o.clone()], "Type": "static", "State": "active"});
                    });
                }
            }
            for a in &assocs {
                let att = str_of(a, "TransitGatewayAttachmentId");
                let at = format!("tgw-assoc:{rtb}:{att}");
                let (af, tf, a2) = (assoc_f.clone(), atts_f.clone(), att.clone());
                out.add(
                    KIND,
                    format!("{at}:removed"),
                    format!("{att} disassociated from {rtb}"),
                    move |s| {
                        s.list(&af, "Associations")
                            .retain(|x| x["TransitGatewayAttachmentId"] != a2.as_str());
                        s.item(
                            &tf,
                            "TransitGatewayAttachments",
                            "TransitGatewayAttachmentId",
                            &a2,
                        )
                        .as_object_mut()
                        .unwrap()
                        .remove("Association");
                    },
                );
                let (af, a2) = (assoc_f.clone(), att.clone());
                out.bad(KIND, format!("{at}:removed-from-one-file"), format!("{att} missing from the associations of {rtb} but its Association block still names it"), move |s| {
                    s.list(&af, "Associations").retain(|x| x["TransitGatewayAttachmentId"] != a2.as_str());
                });
                let (af, tf, a2, acct2, tgw) = (
                    assoc_f.clone(),
                    atts_f.clone(),
                    att.clone(),
                    acct.clone(),
                    str_of(&t, "TransitGatewayId"),
                );
                let entry = a.clone();
                out.add(KIND, format!("{at}:moved-to-empty-table"), format!("{att} associated with a new route table that has no routes"), move |s| {
                    let new = format!("tgw-rtb-{}", hid(&a2));
                    s.list(&af, "Associations").retain(|x| x["TransitGatewayAttachmentId"] != a2.as_str());
                    s.list(&reg(&acct2, "ec2/describe-transit-gateway-route-tables"), "TransitGatewayRouteTables").push(json!({
                        "TransitGatewayRouteTableId": new, "TransitGatewayId": tgw, "State": "available",
                        "DefaultAssociationRouteTable": false, "DefaultPropagationRouteTable": false,
                        "CreationTime": "2026-11-20T15:00:00+00:00", "Tags": []}));
                    s.files.insert(reg(&acct2, &format!("ec2/search-transit-gateway-routes/{new}")), json!({"Routes": [], "AdditionalRoutesAvailable": false}));
                    s.files.insert(reg(&acct2, &format!("ec2/get-transit-gateway-route-table-associations/{new}")), json!({"Associations": [entry.clone()]}));
                    s.files.insert(reg(&acct2, &format!("ec2/get-transit-gateway-route-table-propagations/{new}")), json!({"TransitGatewayRouteTablePropagations": []}));
                    s.item(&tf, "TransitGatewayAttachments", "TransitGatewayAttachmentId", &a2)["Association"]["TransitGatewayRouteTableId"] = json!(new);
                });
            }
            let f = routes_f.clone();
            out.add(
                KIND,
                format!("tgw-route:{rtb}:truncated"),
                format!("{rtb}: search reports AdditionalRoutesAvailable"),
                move |s| {
                    s.edit(&f)["AdditionalRoutesAvailable"] = json!(true);
                },
            );
            let f = routes_f.clone();
            out.add(KIND, format!("tgw-route:{rtb}:extra-blackhole"), format!("{rtb}: unrelated static blackhole 10.99.0.0/16"), move |s| {
                s.list(&f, "Routes").push(json!({"DestinationCidrBlock": "10.99.0.0/16", "Type": "static", "State": "blackhole"}));
            });
            if let Some(dx) = attachments
                .iter()
                .find(|a| a["ResourceType"] == "direct-connect-gateway")
            {
                let (f, d) = (routes_f.clone(), att_ref(dx));
                out.add(KIND, format!("tgw-route:{rtb}:new-onprem-range"), format!("{rtb}: static 172.31.0.0/16 → the DX attachment: an on-premises range the gatekeeper neither routes back nor admits"), move |s| {
                    s.list(&f, "Routes").push(json!({"DestinationCidrBlock": "172.31.0.0/16", "TransitGatewayAttachments": [d.clone()], "Type": "static", "State": "active"}));
                });
            }
        }
        // Attachment states, shown the same way in every account that lists the attachment.
        for a in idx.items(
            &acct,
            "ec2/describe-transit-gateway-attachments",
            "TransitGatewayAttachments",
        ) {
            if a["TransitGatewayOwnerId"] != acct.as_str() {
                continue;
            }
            let id = str_of(&a, "TransitGatewayAttachmentId");
            for state in ["deleting", "failed", "rejected"] {
                let (id2, accounts) = (id.clone(), idx.accounts.clone());
                out.add(
                    KIND,
                    format!("tgw-att:{id}:{state}"),
                    format!("{id} is {state}"),
                    move |s| {
                        for acct in &accounts {
                            for op in [
                                "ec2/describe-transit-gateway-attachments",
                                "ec2/describe-transit-gateway-vpc-attachments",
                            ] {
                                let key = if op.ends_with("vpc-attachments") {
                                    "TransitGatewayVpcAttachments"
                                } else {
                                    "TransitGatewayAttachments"
                                };
                                if let Some(list) = s
                                    .files
                                    .get_mut(&reg(acct, op))
                                    .and_then(|d| d[key].as_array_mut())
                                {
                                    for x in list
                                        .iter_mut()
                                        .filter(|x| x["TransitGatewayAttachmentId"] == id2.as_str())
                                    {
                                        x["State"] = json!(state);
                                    }
                                }
                            }
                        }
                    },
                );
            }
        }
        // VPC attachments: one AZ's subnet removed (and its TGW ENI), appliance mode on.
        for va in idx.items(
            &acct,
            "ec2/describe-transit-gateway-vpc-attachments",
            "TransitGatewayVpcAttachments",
        ) {
            let id = str_of(&va, "TransitGatewayAttachmentId");
            if idx.vpc(&str_of(&va, "VpcId")).acct != acct {
                continue;
            }
            for sub in va["SubnetIds"].as_array().unwrap() {
                let sub = sub.as_str().unwrap().to_string();
                let (id2, accounts, sub2) = (id.clone(), idx.accounts.clone(), sub.clone());
                out.add(
                    KIND,
                    format!("tgw-att:{id}:without-subnet:{sub}"),
                    format!("{id} no longer has a subnet in the AZ of {sub}"),
                    move |s| {
                        for acct in &accounts {
                            let f = reg(acct, "ec2/describe-transit-gateway-vpc-attachments");
                            if let Some(list) = s
                                .files
                                .get_mut(&f)
                                .and_then(|d| d["TransitGatewayVpcAttachments"].as_array_mut())
                            {
                                for x in list
                                    .iter_mut()
                                    .filter(|x| x["TransitGatewayAttachmentId"] == id2.as_str())
                                {
                                    x["SubnetIds"]
                                        .as_array_mut()
                                        .unwrap()
                                        .retain(|v| v != sub2.as_str());
                                }
                            }
                            let f = reg(acct, "ec2/describe-network-interfaces");
                            if let Some(list) = s
                                .files
                                .get_mut(&f)
                                .and_then(|d| d["NetworkInterfaces"].as_array_mut())
                            {
                                list.retain(|e| {
                                    !(e["SubnetId"] == sub2.as_str()
                                        && e["InterfaceType"] == "transit_gateway")
                                });
                            }
                        }
                    },
                );
            }
            let (id2, accounts) = (id.clone(), idx.accounts.clone());
            out.add(
                KIND,
                format!("tgw-att:{id}:appliance-mode"),
                format!("{id}: ApplianceModeSupport enable"),
                move |s| {
                    for acct in &accounts {
                        let f = reg(acct, "ec2/describe-transit-gateway-vpc-attachments");
                        if let Some(list) = s
                            .files
                            .get_mut(&f)
                            .and_then(|d| d["TransitGatewayVpcAttachments"].as_array_mut())
                        {
                            for x in list
                                .iter_mut()
                                .filter(|x| x["TransitGatewayAttachmentId"] == id2.as_str())
                            {
                                x["Options"]["ApplianceModeSupport"] = json!("enable");
                            }
                        }
                    }
                },
            );
        }
    }
}
