//! Mutants pathproof gets wrong today, tolerated (and printed) until the fixes on the src/
//! branches merge. Each entry: (mutant id, issue-8 defect class). The harness fails when a mutant
//! not listed here is wrong, and when a listed mutant is right again (remove it then): the goal is
//! an empty list. The classes are described in docs/mutation.md ("Known gaps").
pub const KNOWN_GAPS: &[(&str, &str)] = &[
    // onprem-range-lost: On-premises sources come only from active TGW routes to the DX attachment: when that route is blackholed, withdrawn (propagation disabled) or re-pointed, on-premises silently stops being a source although its attachment still sends traffic into the TGW; the reply has no route, so the proof must not hold (https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html).
    ("tgw-route:tgw-rtb-0aaa00000000000f1:192.168.0.0/16:blackhole", "onprem-range-lost"),
    ("tgw-route:tgw-rtb-0aaa00000000000f1:192.168.0.0/16:propagation-disabled", "onprem-range-lost"),
    ("tgw-route:tgw-rtb-0aaa00000000000f1:192.168.0.0/16:to:tgw-attach-0aaa0000000000d01", "onprem-range-lost"),
    ("tgw-route:tgw-rtb-0aaa00000000000f1:192.168.0.0/16:to:tgw-attach-0bbb0000000000e01", "onprem-range-lost"),
    // creds-via-nlb: The credentials name aliased to the NLB is proven, although the NLB forwards to the iot.data endpoint, not to the credentials endpoint the name needs.
    ("rr:Z0222222CRED0000000001:c1b2c3d4e5f6g7.credentials.iot.us-west-2.amazonaws.com.A:alias-to-nlb", "creds-via-nlb"),
    // lifecycle-state: Lifecycle states are not checked: endpoint service ServiceState (Pending/Failed/Deleting), NLB State (provisioning/failed), VPN State (pending/deleted), every Resolver inbound address not ATTACHED (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ServiceConfiguration.html, https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerState.html, https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_IpAddressResponse.html).
    ("svc:vpce-svc-0bbb00000000005e1:state-Pending", "lifecycle-state"),
    ("svc:vpce-svc-0bbb00000000005e1:state-Failed", "lifecycle-state"),
    ("svc:vpce-svc-0bbb00000000005e1:state-Deleting", "lifecycle-state"),
    ("nlb:iot-data-nlb:state-provisioning", "lifecycle-state"),
    ("nlb:iot-data-nlb:state-failed", "lifecycle-state"),
    ("vpn:vpn-0aaa00000000000f8:state-deleted", "lifecycle-state"),
    ("vpn:vpn-0aaa00000000000f8:state-pending", "lifecycle-state"),
    // nlb-port-protocol: The listener/target chain is followed without its ports and protocol: a TLS listener (terminates TLS at the NLB), a listener forwarding to the other port's target group, or a target registered on another port are all proven (oracle: unknown; https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html, https://docs.aws.amazon.com/iot/latest/developerguide/protocols.html: MQTT on 443 needs ALPN).
    ("listener:iot-data-nlb:8883:tls", "nlb-port-protocol"),
    ("listener:iot-data-nlb:8883:forwards-to-443-group", "nlb-port-protocol"),
    ("listener:iot-data-nlb:443:tls", "nlb-port-protocol"),
    ("listener:iot-data-nlb:443:forwards-to-8883-group", "nlb-port-protocol"),
    ("target:iot-data-443:10.20.1.10:port-changed", "nlb-port-protocol"),
    ("target:iot-data-443:10.20.2.10:port-changed", "nlb-port-protocol"),
    ("target:iot-data-8883:10.20.1.10:port-changed", "nlb-port-protocol"),
    ("target:iot-data-8883:10.20.2.10:port-changed", "nlb-port-protocol"),
    // vpn-transport: A PrivateIpv4 VPN is accepted without checking its TransportTransitGatewayAttachmentId names a Direct Connect gateway attachment (https://docs.aws.amazon.com/vpn/latest/s2svpn/private-ip-dx.html).
    ("vpn:vpn-0aaa00000000000f8:no-transport", "vpn-transport"),
    ("vpn:vpn-0aaa00000000000f8:transport-vpc", "vpn-transport"),
    // dns-settings-partial: A missing describe-vpc-attribute file of a source VPC is silently assumed true: neither PP019 nor PP017 (docs/snapshot-layout.md "Extensions"; https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html).
    ("file:111111111111/us-west-2/ec2/describe-vpc-attribute/vpc-0aaa00000000000d1-enableDnsHostnames.json:removed", "dns-settings-partial"),
    ("file:111111111111/us-west-2/ec2/describe-vpc-attribute/vpc-0aaa00000000000d1-enableDnsSupport.json:removed", "dns-settings-partial"),
    ("file:333333333333/us-west-2/ec2/describe-vpc-attribute/vpc-0ccc00000000000c1-enableDnsHostnames.json:removed", "dns-settings-partial"),
    ("file:333333333333/us-west-2/ec2/describe-vpc-attribute/vpc-0ccc00000000000c1-enableDnsSupport.json:removed", "dns-settings-partial"),
    // inconsistent-evidence: Input AWS cannot produce is accepted without PP017 or an error: a route table without its local route, a propagated TGW route whose attachment does not propagate, an association in only one of the two files that show it, a Resolver endpoint with one address (https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html, https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html, https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_CreateResolverEndpoint.html).
    ("route:rtb-0aaa00000000000d1:10.10.0.0/16:removed", "inconsistent-evidence"),
    ("tgw-route:tgw-rtb-0aaa00000000000f1:10.10.0.0/16:propagation-entry-removed", "inconsistent-evidence"),
    ("tgw-route:tgw-rtb-0aaa00000000000f1:10.20.0.0/16:propagation-entry-removed", "inconsistent-evidence"),
    ("tgw-route:tgw-rtb-0aaa00000000000f1:192.168.0.0/16:route-removed-only", "inconsistent-evidence"),
    ("tgw-route:tgw-rtb-0aaa00000000000f1:192.168.0.0/16:propagation-entry-removed", "inconsistent-evidence"),
    ("tgw-assoc:tgw-rtb-0aaa00000000000f1:tgw-attach-0aaa0000000000d01:removed-from-one-file", "inconsistent-evidence"),
    ("tgw-assoc:tgw-rtb-0aaa00000000000f1:tgw-attach-0aaa0000000000dc1:removed-from-one-file", "inconsistent-evidence"),
    ("tgw-assoc:tgw-rtb-0aaa00000000000f1:tgw-attach-0bbb0000000000e01:removed-from-one-file", "inconsistent-evidence"),
    ("resolver:rslvr-in-0aaa000000000001a:10.10.1.53:removed", "inconsistent-evidence"),
    ("resolver:rslvr-in-0aaa000000000001a:10.10.2.53:removed", "inconsistent-evidence"),
    // privatelink-nacl-unknown: NACL changes on the subnets of a PrivateLink hop (NLB node subnets, consumer endpoint subnets) whose effect depends on addresses the snapshot does not show (for PrivateLink traffic the NLB may see the client's private address: https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html): the oracle cannot decide, pathproof proves them.
    ("nacl-assoc:subnet-0ccc0000000000a01:new-vpc-only", "privatelink-nacl-unknown"),
    ("nacl-assoc:subnet-0ccc0000000000b01:new-vpc-only", "privatelink-nacl-unknown"),
    ("nacl:acl-0bbb00000000000e0:in:deny-consumer-before", "privatelink-nacl-unknown"),
    ("nacl:acl-0bbb00000000000e0:out:deny-consumer-before", "privatelink-nacl-unknown"),
    ("nacl:acl-0ccc00000000000c0:out:100:cidr-10.0.0.0/8", "privatelink-nacl-unknown"),
    ("nacl:acl-0ccc00000000000c0:out:100:cidr-10.30.0.0/16", "privatelink-nacl-unknown"),
    ("nacl:acl-0ccc00000000000c0:in:100:cidr-10.0.0.0/8", "privatelink-nacl-unknown"),
    ("nacl:acl-0ccc00000000000c0:in:100:cidr-10.30.0.0/16", "privatelink-nacl-unknown"),
    ("nacl:acl-0ccc00000000000c0:in:deny-onprem-before", "privatelink-nacl-unknown"),
    ("nacl:acl-0ccc00000000000c0:in:deny-device-before", "privatelink-nacl-unknown"),
    ("nacl:acl-0ccc00000000000c0:in:deny-gatekeeper-before", "privatelink-nacl-unknown"),
    ("nacl:acl-0ccc00000000000c0:out:deny-onprem-before", "privatelink-nacl-unknown"),
    ("nacl:acl-0ccc00000000000c0:out:deny-device-before", "privatelink-nacl-unknown"),
    ("nacl:acl-0ccc00000000000c0:out:deny-gatekeeper-before", "privatelink-nacl-unknown"),
];
