"""Builds AWS estates in moto for the collection tests, and prints the ids it made as JSON.

usage: scenario.py ENDPOINT KIND ACCOUNT REGION [N]

KIND:
  estate       every resource type of the snapshot layout moto can make (no private zone)
  private-zone a private hosted zone (moto does not implement list-vpc-association-authorizations)
  pp001        a device VPC whose default route goes to an internet gateway, no private zone
  pp014        an IoT policy without an aws:SourceVpce condition, attached to a certificate
  vpcs         N VPCs, each with a subnet, a route table and a security group (benchmark)
  records      a public hosted zone with N A records (pagination)
  org          an AWS Organizations organisation managed by ACCOUNT (see `org` below); N member
               accounts in a nested OU tree, one of them closed, each with one VPC in REGION
"""

import json
import sys

from aws import Account


def tags(**kv):
    return [{"Key": k, "Value": v} for k, v in kv.items()]


def tag_spec(kind, **kv):
    return [{"ResourceType": kind, "Tags": tags(**kv)}]


def vpc(ec2, cidr, role=None, name=None):
    kv = {}
    if role:
        kv["pathproof:role"] = role
    if name:
        kv["Name"] = name
    spec = tag_spec("vpc", **kv) if kv else []
    return ec2.create_vpc(CidrBlock=cidr, TagSpecifications=spec)["Vpc"]["VpcId"]


def subnet(ec2, vpc_id, cidr, az):
    return ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=az)["Subnet"][
        "SubnetId"
    ]


def route_table(ec2, vpc_id, subnet_id):
    rtb = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=rtb, SubnetId=subnet_id)
    return rtb


def estate(acct, region):
    ec2 = acct.client("ec2", region)
    elbv2 = acct.client("elbv2", region)
    resolver = acct.client("route53resolver", region)
    iot = acct.client("iot", region)
    r53 = acct.client("route53", region)
    az = [f"{region}a", f"{region}b"]
    out = {}

    # Gatekeeper VPC: IoT interface endpoint, NLB, resolver endpoints.
    gk = vpc(ec2, "10.10.0.0/16", role="gatekeeper", name="gatekeeper")
    gk_a = subnet(ec2, gk, "10.10.1.0/24", az[0])
    gk_b = subnet(ec2, gk, "10.10.2.0/24", az[1])
    sg = ec2.create_security_group(GroupName="mqtt", Description="MQTT from devices", VpcId=gk)[
        "GroupId"
    ]
    ec2.authorize_security_group_ingress(
        GroupId=sg,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 8883,
                "ToPort": 8883,
                "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "devices"}],
            },
            {"IpProtocol": "udp", "FromPort": 53, "ToPort": 53, "UserIdGroupPairs": [{"GroupId": sg}]},
        ],
    )
    iot_ep = ec2.create_vpc_endpoint(
        VpcId=gk,
        ServiceName=f"com.amazonaws.{region}.iot.data",
        VpcEndpointType="Interface",
        SubnetIds=[gk_a, gk_b],
        SecurityGroupIds=[sg],
        PrivateDnsEnabled=False,
        TagSpecifications=tag_spec("vpc-endpoint", Name="iot-data"),
    )["VpcEndpoint"]["VpcEndpointId"]
    out.update(gatekeeper=gk, iot_endpoint=iot_ep, security_group=sg)

    # Device VPC: default route to the transit gateway.
    dev = vpc(ec2, "10.20.0.0/16", role="device", name="devices")
    dev_a = subnet(ec2, dev, "10.20.1.0/24", az[0])
    dev_tgw = subnet(ec2, dev, "10.20.255.0/28", az[0])  # the attachment's own subnet
    dev_rtb = route_table(ec2, dev, dev_a)
    out.update(device=dev, device_route_table=dev_rtb)

    # Transit gateway: attachments, a route table with associations, a propagation, static and
    # blackhole routes.
    tgw = ec2.create_transit_gateway(
        Description="hub", TagSpecifications=tag_spec("transit-gateway", Name="hub")
    )["TransitGateway"]["TransitGatewayId"]
    att_gk = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=tgw, VpcId=gk, SubnetIds=[gk_a]
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    att_dev = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=tgw, VpcId=dev, SubnetIds=[dev_tgw]
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    tgw_rtb = ec2.create_transit_gateway_route_table(TransitGatewayId=tgw)[
        "TransitGatewayRouteTable"
    ]["TransitGatewayRouteTableId"]
    ec2.associate_transit_gateway_route_table(
        TransitGatewayRouteTableId=tgw_rtb, TransitGatewayAttachmentId=att_dev
    )
    ec2.enable_transit_gateway_route_table_propagation(
        TransitGatewayRouteTableId=tgw_rtb, TransitGatewayAttachmentId=att_gk
    )
    ec2.create_transit_gateway_route(
        DestinationCidrBlock="10.10.0.0/16",
        TransitGatewayRouteTableId=tgw_rtb,
        TransitGatewayAttachmentId=att_gk,
    )
    ec2.create_transit_gateway_route(
        DestinationCidrBlock="192.168.0.0/16", TransitGatewayRouteTableId=tgw_rtb, Blackhole=True
    )
    ec2.create_route(RouteTableId=dev_rtb, DestinationCidrBlock="0.0.0.0/0", TransitGatewayId=tgw)
    out.update(transit_gateway=tgw, tgw_route_table=tgw_rtb)

    # An internet-facing VPC (not a device VPC): IGW, NAT gateway, egress-only IGW, peering.
    web = vpc(ec2, "10.30.0.0/16", name="web")
    web_a = subnet(ec2, web, "10.30.1.0/24", az[0])
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=web)
    web_rtb = route_table(ec2, web, web_a)
    ec2.create_route(RouteTableId=web_rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=web_a, AllocationId=eip)["NatGateway"]["NatGatewayId"]
    eigw = ec2.create_egress_only_internet_gateway(VpcId=web)["EgressOnlyInternetGateway"][
        "EgressOnlyInternetGatewayId"
    ]
    pcx = ec2.create_vpc_peering_connection(VpcId=web, PeerVpcId=gk)["VpcPeeringConnection"][
        "VpcPeeringConnectionId"
    ]
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    out.update(web=web, internet_gateway=igw, nat_gateway=nat, egress_only=eigw, peering=pcx)

    # A managed prefix list with entries.
    pl = ec2.create_managed_prefix_list(
        PrefixListName="onprem",
        AddressFamily="IPv4",
        MaxEntries=10,
        Entries=[{"Cidr": "172.16.0.0/12", "Description": "on-prem"}, {"Cidr": "192.168.0.0/16"}],
    )["PrefixList"]["PrefixListId"]
    out.update(prefix_list=pl)

    # NLB → target group → listener; an endpoint service on the NLB with a permission.
    nlb = elbv2.create_load_balancer(
        Name="mqtt-nlb", Subnets=[gk_a, gk_b], Scheme="internal", Type="network"
    )["LoadBalancers"][0]["LoadBalancerArn"]
    tg = elbv2.create_target_group(
        Name="mqtt-tg", Protocol="TCP", Port=8883, VpcId=gk, TargetType="ip"
    )["TargetGroups"][0]["TargetGroupArn"]
    elbv2.register_targets(TargetGroupArn=tg, Targets=[{"Id": "10.10.1.10", "Port": 8883}])
    elbv2.create_listener(
        LoadBalancerArn=nlb,
        Protocol="TCP",
        Port=8883,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}],
    )
    svc = ec2.create_vpc_endpoint_service_configuration(
        NetworkLoadBalancerArns=[nlb], AcceptanceRequired=True
    )["ServiceConfiguration"]["ServiceId"]
    ec2.modify_vpc_endpoint_service_permissions(
        ServiceId=svc, AddAllowedPrincipals=[f"arn:aws:iam::{acct.account}:root"]
    )
    out.update(load_balancer=nlb, target_group=tg, endpoint_service=svc)

    # Route 53 Resolver: inbound endpoint with two addresses, outbound endpoint, forward rule.
    inbound = resolver.create_resolver_endpoint(
        CreatorRequestId="in",
        Name="inbound",
        SecurityGroupIds=[sg],
        Direction="INBOUND",
        IpAddresses=[{"SubnetId": gk_a, "Ip": "10.10.1.53"}, {"SubnetId": gk_b, "Ip": "10.10.2.53"}],
    )["ResolverEndpoint"]["Id"]
    outbound = resolver.create_resolver_endpoint(
        CreatorRequestId="out",
        Name="outbound",
        SecurityGroupIds=[sg],
        Direction="OUTBOUND",
        IpAddresses=[{"SubnetId": gk_a}, {"SubnetId": gk_b}],
    )["ResolverEndpoint"]["Id"]
    rule = resolver.create_resolver_rule(
        CreatorRequestId="rule",
        Name="onprem",
        RuleType="FORWARD",
        DomainName="corp.example.",
        TargetIps=[{"Ip": "172.16.0.2", "Port": 53}],
        ResolverEndpointId=outbound,
    )["ResolverRule"]["Id"]
    resolver.associate_resolver_rule(ResolverRuleId=rule, VPCId=dev, Name="devices")
    out.update(resolver_inbound=inbound, resolver_outbound=outbound, resolver_rule=rule)

    # VPN: virtual private gateway and a connection to a customer gateway.
    vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpcId=gk, VpnGatewayId=vgw)
    cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="203.0.113.12", BgpAsn=65000)[
        "CustomerGateway"
    ]["CustomerGatewayId"]
    vpn = ec2.create_vpn_connection(Type="ipsec.1", CustomerGatewayId=cgw, VpnGatewayId=vgw)[
        "VpnConnection"
    ]["VpnConnectionId"]
    out.update(vpn_gateway=vgw, vpn_connection=vpn)

    # IoT: a policy restricted to the endpoint, attached to a thing group.
    doc = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["iot:Connect", "iot:Publish"],
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:SourceVpce": iot_ep}},
            }
        ],
    }
    iot.create_policy(policyName="devices-private", policyDocument=json.dumps(doc))
    group = iot.create_thing_group(thingGroupName="devices")["thingGroupArn"]
    iot.attach_policy(policyName="devices-private", target=group)
    iot.create_policy(policyName="unattached", policyDocument=json.dumps(doc))
    out.update(iot_policy="devices-private")

    # Route 53: a public zone with records (there is no private zone: see private-zone).
    zone = r53.create_hosted_zone(Name=f"{acct.account}.example.com", CallerReference=f"pub-{region}")[
        "HostedZone"
    ]["Id"]
    r53.change_resource_record_sets(
        HostedZoneId=zone,
        ChangeBatch={
            "Changes": [
                {
                    "Action": "CREATE",
                    "ResourceRecordSet": {
                        "Name": f"mqtt.{acct.account}.example.com",
                        "Type": "CNAME",
                        "TTL": 300,
                        "ResourceRecords": [{"Value": "gatekeeper.example.net"}],
                    },
                }
            ]
        },
    )
    out.update(public_zone=zone.split("/")[-1])
    return out


def private_zone(acct, region):
    ec2 = acct.client("ec2", region)
    r53 = acct.client("route53", region)
    dev = vpc(ec2, "10.40.0.0/16", role="device", name="devices")
    zone = r53.create_hosted_zone(
        Name=f"iot.{region}.amazonaws.com",
        CallerReference=f"priv-{region}-{dev}",
        HostedZoneConfig={"PrivateZone": True, "Comment": "IoT over PrivateLink"},
        VPC={"VPCRegion": region, "VPCId": dev},
    )["HostedZone"]["Id"]
    return {"device": dev, "private_zone": zone.split("/")[-1]}


def pp001(acct, region):
    ec2 = acct.client("ec2", region)
    # The gatekeeper and its IoT data endpoint, so that there is something to reach.
    gk = vpc(ec2, "10.60.0.0/16", role="gatekeeper", name="gatekeeper")
    gk_a = subnet(ec2, gk, "10.60.1.0/24", f"{region}a")
    endpoint = ec2.create_vpc_endpoint(
        VpcId=gk,
        ServiceName=f"com.amazonaws.{region}.iot.data",
        VpcEndpointType="Interface",
        SubnetIds=[gk_a],
        PrivateDnsEnabled=False,
    )["VpcEndpoint"]["VpcEndpointId"]
    # The device VPC goes to the internet for everything, and nothing resolves IoT privately.
    dev = vpc(ec2, "10.50.0.0/16", role="device", name="devices")
    dev_a = subnet(ec2, dev, "10.50.1.0/24", f"{region}a")
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=dev)
    rtb = route_table(ec2, dev, dev_a)
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    return {
        "device": dev,
        "gatekeeper": gk,
        "iot_endpoint": endpoint,
        "internet_gateway": igw,
        "route_table": rtb,
    }


def pp014(acct, region):
    iot = acct.client("iot", region)
    doc = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["iot:Connect", "iot:Publish"], "Resource": "*"}
        ],
    }
    iot.create_policy(policyName="devices-anywhere", policyDocument=json.dumps(doc))
    cert = iot.create_keys_and_certificate(setAsActive=True)["certificateArn"]
    iot.attach_policy(policyName="devices-anywhere", target=cert)
    return {"iot_policy": "devices-anywhere", "certificate": cert}


def domain_config(acct, region):
    """The estate plus an ENABLED customer-managed domain configuration for the data plane
    (IoT Developer Guide, "Creating and configuring customer managed domains")."""
    out = estate(acct, region)
    iot = acct.client("iot", region)
    iot.create_domain_configuration(
        domainConfigurationName="fleet-mqtt", domainName="mqtt.fleet.example.com", serviceType="DATA"
    )
    out.update(domain_configuration="fleet-mqtt", domain_name="mqtt.fleet.example.com")
    return out


def thing_groups(acct, region):
    """The estate plus a static hierarchy: root group `plant` carries `plant-anywhere` (Allow
    iot:Publish, no aws:SourceVpce condition), its child `plant-line-1` (no policy) holds thing
    `sensor-7`. The thing inherits the parent's policy (IoT Developer Guide, "Static thing groups")."""
    out = estate(acct, region)
    iot = acct.client("iot", region)
    doc = {"Version": "2012-10-17",
           "Statement": [{"Effect": "Allow", "Action": "iot:Publish", "Resource": "*"}]}
    iot.create_policy(policyName="plant-anywhere", policyDocument=json.dumps(doc))
    parent = iot.create_thing_group(thingGroupName="plant")["thingGroupArn"]
    iot.create_thing_group(thingGroupName="plant-line-1", parentGroupName="plant")
    iot.create_thing(thingName="sensor-7")
    iot.add_thing_to_thing_group(thingGroupName="plant-line-1", thingName="sensor-7")
    iot.attach_policy(policyName="plant-anywhere", target=parent)
    out.update(iot_policy="plant-anywhere", parent_group=parent, child_group="plant-line-1",
               thing="sensor-7")
    return out


def vpcs(acct, region, n):
    ec2 = acct.client("ec2", region)
    made = []
    for i in range(n):
        v = vpc(ec2, f"10.{i // 256}.{i % 256}.0/24", role="device" if i % 2 else "consumer")
        s = subnet(ec2, v, f"10.{i // 256}.{i % 256}.0/25", f"{region}a")
        route_table(ec2, v, s)
        ec2.create_security_group(GroupName=f"sg-{i}", Description="bench", VpcId=v)
        made.append(v)
    return {"vpcs": len(made)}


def records(acct, region, n):
    r53 = acct.client("route53", region)
    name = f"pages-{acct.account}.example.com"
    zone = r53.create_hosted_zone(Name=name, CallerReference=f"pages-{region}")["HostedZone"]["Id"]
    changes = [
        {
            "Action": "CREATE",
            "ResourceRecordSet": {
                "Name": f"host{i:04d}.{name}",
                "Type": "A",
                "TTL": 60,
                "ResourceRecords": [{"Value": f"10.0.{i // 250}.{i % 250 + 1}"}],
            },
        }
        for i in range(n)
    ]
    for start in range(0, n, 500):
        r53.change_resource_record_sets(
            HostedZoneId=zone, ChangeBatch={"Changes": changes[start : start + 500]}
        )
    return {"zone": zone.split("/")[-1], "records": n}


def org(acct, region, extra):
    """An organisation managed by `acct`:

        root ── member-root          (an account directly in the root)
          ├── ou-a ── member-a, closed-a (closed: SUSPENDED)
          │     └── ou-b ── member-b  (nested OU)
          └── ou-c ── member-c, and `extra` more accounts

    plus the management account itself (ListAccounts lists it too). Every member has one VPC in
    `region`. Prints the credentials of the management account (pathproof runs as the caller
    there), the root and OU ids and the account ids moto made (random 12-digit ids)."""
    o = acct.client("organizations", "us-east-1")
    organization = o.create_organization(FeatureSet="ALL")["Organization"]
    root = o.list_roots()["Roots"][0]["Id"]

    def ou(name, parent):
        return o.create_organizational_unit(ParentId=parent, Name=name)["OrganizationalUnit"]["Id"]

    def account(name, parent):
        status = o.create_account(AccountName=name, Email=f"{name}@example.com")[
            "CreateAccountStatus"
        ]
        account_id = status["AccountId"]
        if parent != root:
            o.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=parent)
        return account_id

    ou_a = ou("a", root)
    ou_b = ou("b", ou_a)
    ou_c = ou("c", root)
    accounts = {
        "member_root": account("member-root", root),
        "member_a": account("member-a", ou_a),
        "closed_a": account("closed-a", ou_a),
        "member_b": account("member-b", ou_b),
        "member_c": account("member-c", ou_c),
    }
    for i in range(extra):
        accounts[f"extra_{i}"] = account(f"extra-{i}", ou_c)
    o.close_account(AccountId=accounts["closed_a"])
    for key, account_id in accounts.items():
        if key != "closed_a":
            ec2 = Account(acct.endpoint, account_id).client("ec2", region)
            vpc(ec2, "10.70.0.0/16", name=key)
    return {
        "management": acct.account,
        "organization": organization["Id"],
        "credentials": acct.credentials,
        "root": root,
        "ous": {"a": ou_a, "b": ou_b, "c": ou_c},
        "accounts": accounts,
    }


def main(argv):
    if len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    endpoint, kind, account, region = argv[1:5]
    acct = Account(endpoint, account)
    if kind == "estate":
        out = estate(acct, region)
    elif kind == "private-zone":
        out = private_zone(acct, region)
    elif kind == "pp001":
        out = pp001(acct, region)
    elif kind == "pp014":
        out = pp014(acct, region)
    elif kind == "domain-config":
        out = domain_config(acct, region)
    elif kind == "thing-groups":
        out = thing_groups(acct, region)
    elif kind == "records":
        out = records(acct, region, int(argv[5]) if len(argv) > 5 else 10)
    elif kind == "org":
        out = org(acct, region, int(argv[5]) if len(argv) > 5 else 0)
    elif kind == "vpcs":
        out = vpcs(acct, region, int(argv[5]) if len(argv) > 5 else 10)
    else:
        print(f"unknown kind {kind}\n{__doc__}", file=sys.stderr)
        return 2
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
