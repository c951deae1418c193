//! Changes that keep the estate private and must still pass: arrays in another order, extra tags
//! and fields AWS may add, and unrelated resources.
use super::*;

fn reverse_all(v: &mut Value) {
    match v {
        Value::Array(a) => {
            a.reverse();
            a.iter_mut().for_each(reverse_all);
        }
        Value::Object(o) => o.values_mut().for_each(reverse_all),
        _ => {}
    }
}

fn add_fields(v: &mut Value) {
    match v {
        Value::Array(a) => a.iter_mut().for_each(add_fields),
        Value::Object(o) => {
            o.values_mut().for_each(add_fields);
            for key in ["Tags", "TagSet"] {
                if let Some(Value::Array(t)) = o.get_mut(key) {
                    t.push(json!({"Key": "cost-center", "Value": "iot-platform"}));
                }
            }
            o.insert("MutantFutureField".into(), json!({"Enabled": false}));
        }
        _ => {}
    }
}

pub fn all(base: &Snap, idx: &Idx, out: &mut Out) {
    for rel in base.files.keys().filter(|r| *r != "manifest.json") {
        let r = rel.clone();
        out.add(
            "safe-reorder",
            format!("reorder:{rel}"),
            format!("{rel}: every array in reverse order"),
            move |s| {
                reverse_all(s.edit(&r));
            },
        );
        let r = rel.clone();
        out.add(
            "safe-extra-fields",
            format!("extra-fields:{rel}"),
            format!("{rel}: an unknown field in every object, an extra tag in every tag list"),
            move |s| {
                add_fields(s.edit(&r));
            },
        );
    }
    unrelated(idx, out);
}

fn unrelated(idx: &Idx, out: &mut Out) {
    const KIND: &str = "safe-unrelated";
    let net = "111111111111";
    let device = idx.vpcs.iter().find(|v| v.acct == net).unwrap().clone();
    let consumer = idx
        .vpcs
        .iter()
        .find(|v| v.acct == "333333333333")
        .unwrap()
        .clone();
    let rt = |acct: &str| reg(acct, "ec2/describe-route-tables");
    let device_rtb = "rtb-0aaa00000000000d1";
    // The compliant fixtures' changes, applied here as mutants too.
    let d = device.clone();
    out.add(KIND, "extra:device-default-route-igw", "IGW attached to the device VPC and 0.0.0.0/0 → IGW in its private route table", move |s| {
        let igw = add_igw(s, &d.acct, &d.id, "device-default");
        s.item(&rt(&d.acct), "RouteTables", "RouteTableId", device_rtb)["Routes"].as_array_mut().unwrap()
            .push(json!({"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw, "Origin": "CreateRoute", "State": "active"}));
    });
    let (c, idx2) = (consumer.clone(), idx.clone());
    out.add(KIND, "extra:consumer-default-route-nat", "public subnet + IGW + NAT gateway in the consumer VPC, 0.0.0.0/0 → NAT in its main route table", move |s| {
        let sub = SubnetInfo { acct: c.acct.clone(), id: "subnet-0ccc0000000000a09".into(), vpc: c.id.clone(),
            cidr: "10.30.9.0/24".into(), az: "us-west-2a".into() };
        let mut rec = idx2.items(&c.acct, "ec2/describe-subnets", "Subnets")[0].clone();
        rec["SubnetId"] = json!(sub.id);
        rec["CidrBlock"] = json!(sub.cidr);
        rec["MapPublicIpOnLaunch"] = json!(true);
        rec["SubnetArn"] = json!(format!("arn:aws:ec2:{REGION}:{}:subnet/{}", c.acct, sub.id));
        rec["Tags"] = json!([{"Key": "Name", "Value": "consumer-public-a"}]);
        s.list(&reg(&c.acct, "ec2/describe-subnets"), "Subnets").push(rec);
        let igw = add_igw(s, &c.acct, &c.id, "consumer-public");
        let nat = add_nat(s, &sub, "consumer-public");
        s.list(&rt(&c.acct), "RouteTables").push(json!({
            "Associations": [{"Main": false, "RouteTableAssociationId": "rtbassoc-0ccc0000000000c09", "RouteTableId": "rtb-0ccc00000000000c9",
                "SubnetId": sub.id, "AssociationState": {"State": "associated"}}],
            "PropagatingVgws": [], "RouteTableId": "rtb-0ccc00000000000c9",
            "Routes": [{"DestinationCidrBlock": c.cidr, "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"},
                {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw, "Origin": "CreateRoute", "State": "active"}],
            "Tags": [], "VpcId": c.id, "OwnerId": c.acct}));
        s.item(&rt(&c.acct), "RouteTables", "RouteTableId", "rtb-0ccc00000000000c0")["Routes"].as_array_mut().unwrap()
            .push(json!({"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": nat, "Origin": "CreateRoute", "State": "active"}));
        let acl = s.list(&reg(&c.acct, "ec2/describe-network-acls"), "NetworkAcls")[0]["Associations"].as_array_mut().unwrap();
        acl.push(json!({"NetworkAclAssociationId": "aclassoc-0ccc0000000000a09", "NetworkAclId": "acl-0ccc00000000000c0", "SubnetId": sub.id}));
    });
    let d = device.clone();
    out.add(KIND, "extra:device-s3-gateway-endpoint", "S3 gateway endpoint in the device VPC with its prefix-list route", move |s| {
        let id = "vpce-0aaa0000000000053";
        s.list(&reg(&d.acct, "ec2/describe-vpc-endpoints"), "VpcEndpoints").push(json!({
            "VpcEndpointId": id, "VpcEndpointType": "Gateway", "VpcId": d.id, "ServiceName": format!("com.amazonaws.{REGION}.s3"),
            // Limited to the estate's accounts: with the default policy any account's principals
            // could use it, which AWS enforces for S3 and PP021 reports (PrivateLink Guide,
            // endpoint policies); this mutant is about routing only.
            "State": "available", "PolicyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalAccount\":[\"111111111111\",\"222222222222\",\"333333333333\"]}}}]}",
            "RouteTableIds": [device_rtb], "SubnetIds": [], "Groups": [], "PrivateDnsEnabled": false, "RequesterManaged": false,
            "NetworkInterfaceIds": [], "DnsEntries": [], "CreationTimestamp": "2026-11-20T15:02:44.000000+00:00", "Tags": [], "OwnerId": d.acct}));
        s.item(&rt(&d.acct), "RouteTables", "RouteTableId", device_rtb)["Routes"].as_array_mut().unwrap()
            .push(json!({"DestinationPrefixListId": "pl-68a54001", "GatewayId": id, "Origin": "CreateRoute", "State": "active"}));
    });
    let d = device.clone();
    out.add(KIND, "extra:device-unrelated-peering", "peering route 172.31.0.0/16 → a VPC of another account in the device route table", move |s| {
        let pcx = add_peering(s, &d, "172.31.0.0/16", "unrelated-peer");
        s.item(&rt(&d.acct), "RouteTables", "RouteTableId", device_rtb)["Routes"].as_array_mut().unwrap()
            .push(json!({"DestinationCidrBlock": "172.31.0.0/16", "VpcPeeringConnectionId": pcx, "Origin": "CreateRoute", "State": "active"}));
    });
    let d = device.clone();
    out.add(KIND, "extra:device-unrelated-tgw-route", "10.99.0.0/16 → TGW in the device route table (the TGW has no route for it)", move |s| {
        s.item(&rt(&d.acct), "RouteTables", "RouteTableId", device_rtb)["Routes"].as_array_mut().unwrap()
            .push(json!({"DestinationCidrBlock": "10.99.0.0/16", "TransitGatewayId": "tgw-0aaa00000000000f1", "Origin": "CreateRoute", "State": "active"}));
    });
    let d = device.clone();
    out.add(KIND, "extra:device-blackhole-unrelated", "blackhole route 172.30.0.0/16 (deleted NAT gateway) in the device route table", move |s| {
        s.item(&rt(&d.acct), "RouteTables", "RouteTableId", device_rtb)["Routes"].as_array_mut().unwrap()
            .push(json!({"DestinationCidrBlock": "172.30.0.0/16", "NatGatewayId": "nat-0aaa0000000000dea", "Origin": "CreateRoute", "State": "blackhole"}));
    });
    // An unrelated VPC with an internet gateway, in the network account, with no role tag.
    out.add(KIND, "extra:untagged-public-vpc", "a new untagged VPC with a public subnet, IGW and default route in 111111111111", move |s| {
        let (vpc, sub, rtb, acl) = ("vpc-0aaa0000000000099", "subnet-0aaa0000000000c99", "rtb-0aaa0000000000099", "acl-0aaa0000000000099");
        s.list(&reg(net, "ec2/describe-vpcs"), "Vpcs").push(json!({"OwnerId": net, "InstanceTenancy": "default",
            "CidrBlockAssociationSet": [{"AssociationId": "vpc-cidr-assoc-0aaa000000000099", "CidrBlock": "172.20.0.0/16", "CidrBlockState": {"State": "associated"}}],
            "IsDefault": false, "Tags": [{"Key": "Name", "Value": "sandbox"}], "VpcId": vpc, "State": "available",
            "CidrBlock": "172.20.0.0/16", "DhcpOptionsId": "dopt-03796e8e173815ddf"}));
        let mut srec = s.doc(&reg(net, "ec2/describe-subnets")).unwrap()["Subnets"][0].clone();
        srec["SubnetId"] = json!(sub);
        srec["VpcId"] = json!(vpc);
        srec["CidrBlock"] = json!("172.20.1.0/24");
        srec["SubnetArn"] = json!(format!("arn:aws:ec2:{REGION}:{net}:subnet/{sub}"));
        s.list(&reg(net, "ec2/describe-subnets"), "Subnets").push(srec);
        let igw = add_igw(s, net, vpc, "sandbox");
        s.list(&rt(net), "RouteTables").push(json!({
            "Associations": [{"Main": true, "RouteTableAssociationId": "rtbassoc-0aaa000000000099", "RouteTableId": rtb, "AssociationState": {"State": "associated"}}],
            "PropagatingVgws": [], "RouteTableId": rtb,
            "Routes": [{"DestinationCidrBlock": "172.20.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"},
                {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw, "Origin": "CreateRoute", "State": "active"}],
            "Tags": [], "VpcId": vpc, "OwnerId": net}));
        s.list(&reg(net, "ec2/describe-network-acls"), "NetworkAcls").push(json!({
            "Associations": [{"NetworkAclAssociationId": "aclassoc-0aaa000000000099", "NetworkAclId": acl, "SubnetId": sub}],
            "Entries": [nacl_entry(100, true, "allow", "0.0.0.0/0", "-1", None), nacl_entry(32767, true, "deny", "0.0.0.0/0", "-1", None),
                nacl_entry(100, false, "allow", "0.0.0.0/0", "-1", None), nacl_entry(32767, false, "deny", "0.0.0.0/0", "-1", None)],
            "IsDefault": true, "NetworkAclId": acl, "Tags": [], "VpcId": vpc, "OwnerId": net}));
        s.list(&reg(net, "ec2/describe-security-groups"), "SecurityGroups").push(json!({
            "GroupId": "sg-0aaa0000000000099", "IpPermissionsEgress": [{"IpProtocol": "-1", "UserIdGroupPairs": [], "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [], "PrefixListIds": []}],
            "VpcId": vpc, "OwnerId": net, "GroupName": "default", "Description": "default VPC security group",
            "IpPermissions": [{"IpProtocol": "-1", "UserIdGroupPairs": [{"UserId": net, "GroupId": "sg-0aaa0000000000099"}], "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": []}]}));
        for (attr, key) in [("enableDnsSupport", "EnableDnsSupport"), ("enableDnsHostnames", "EnableDnsHostnames")] {
            s.files.insert(reg(net, &format!("ec2/describe-vpc-attribute/{vpc}-{attr}")), json!({"VpcId": vpc, key: {"Value": true}}));
        }
        s.list(&reg(net, "route53resolver/list-resolver-rule-associations"), "ResolverRuleAssociations").push(json!({
            "Id": format!("rslvr-autodefined-assoc-{vpc}-internet-resolver"), "ResolverRuleId": "rslvr-autodefined-rr-internet-resolver",
            "Name": "System Rule Association", "VPCId": vpc, "Status": "COMPLETE", "StatusMessage": ""}));
    });
    let c = consumer.clone();
    out.add(KIND, "extra:consumer-sg-unrelated-rule", "unrelated inbound TCP 5432 from the consumer VPC on its endpoint security group", move |s| {
        let f = reg(&c.acct, "ec2/describe-security-groups");
        s.item(&f, "SecurityGroups", "GroupId", "sg-0ccc000000000c0e0")["IpPermissions"].as_array_mut().unwrap()
            .push(json!({"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [], "IpRanges": [{"CidrIp": c.cidr}], "Ipv6Ranges": [], "PrefixListIds": []}));
    });
}
