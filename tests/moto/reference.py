"""Reference for `pathproof snapshot`: what the AWS CLI would print, computed with botocore.

usage: reference.py ENDPOINT SNAPSHOT_DIR

For every target account and region of SNAPSHOT_DIR/manifest.json, makes every call of the
snapshot layout with boto3 (all pages merged as the CLI merges them, `build_full_result`), prints
each answer the way `aws ... --output json` does (`json.dumps(indent=4, ensure_ascii=False)`,
timestamps `isoformat()` in UTC), and compares it with the snapshot's file, byte for byte. A call
that fails here must be missing from the snapshot and named in the manifest's `errors`.

Prints a JSON report: {"compared": N, "problems": [...], "failed_calls": [...], "files": [...]}.
"""

import json
import os
import re
import sys

from aws import Account, utc

IOT_ENDPOINT_TYPES = ["iot:Data-ATS", "iot:CredentialProvider", "iot:Jobs"]

# (service, CLI operation, boto3 method): one call per account and region, no parameters.
REGIONAL = [
    ("ec2", "describe-vpcs", "describe_vpcs"),
    ("ec2", "describe-dhcp-options", "describe_dhcp_options"),
    ("ec2", "describe-subnets", "describe_subnets"),
    ("ec2", "describe-route-tables", "describe_route_tables"),
    ("ec2", "describe-internet-gateways", "describe_internet_gateways"),
    ("ec2", "describe-egress-only-internet-gateways", "describe_egress_only_internet_gateways"),
    ("ec2", "describe-nat-gateways", "describe_nat_gateways"),
    ("ec2", "describe-vpc-peering-connections", "describe_vpc_peering_connections"),
    ("ec2", "describe-vpc-endpoints", "describe_vpc_endpoints"),
    (
        "ec2",
        "describe-vpc-endpoint-service-configurations",
        "describe_vpc_endpoint_service_configurations",
    ),
    ("ec2", "describe-network-interfaces", "describe_network_interfaces"),
    ("ec2", "describe-security-groups", "describe_security_groups"),
    ("ec2", "describe-network-acls", "describe_network_acls"),
    ("ec2", "describe-managed-prefix-lists", "describe_managed_prefix_lists"),
    ("ec2", "describe-transit-gateways", "describe_transit_gateways"),
    ("ec2", "describe-transit-gateway-attachments", "describe_transit_gateway_attachments"),
    ("ec2", "describe-transit-gateway-vpc-attachments", "describe_transit_gateway_vpc_attachments"),
    ("ec2", "describe-transit-gateway-route-tables", "describe_transit_gateway_route_tables"),
    ("ec2", "describe-vpn-connections", "describe_vpn_connections"),
    ("ec2", "describe-vpn-gateways", "describe_vpn_gateways"),
    ("elbv2", "describe-load-balancers", "describe_load_balancers"),
    ("elbv2", "describe-target-groups", "describe_target_groups"),
    ("route53resolver", "list-resolver-endpoints", "list_resolver_endpoints"),
    ("route53resolver", "list-resolver-rules", "list_resolver_rules"),
    ("route53resolver", "list-resolver-rule-associations", "list_resolver_rule_associations"),
    ("iot", "list-policies", "list_policies"),
    ("iot", "list-domain-configurations", "list_domain_configurations"),
    ("iot", "list-thing-groups", "list_thing_groups"),
]

# Parameters of the regional calls that take some (`aws iot list-thing-groups --recursive`).
REGIONAL_PARAMS = {"list-thing-groups": {"recursive": True}}

# Per-resource calls: parent operation, its list key, the item's file key, and the calls made
# for each item as (service, CLI operation, boto3 method, params(item), paginate[, key suffix]).
TGW_TYPES = [{"Name": "type", "Values": ["static", "propagated"]}]
CHILDREN = {
    # Layout extension: each VPC's DNS attributes, one call per attribute.
    "describe-vpcs": (
        "Vpcs",
        lambda i: i["VpcId"],
        [
            (
                "ec2",
                "describe-vpc-attribute",
                "describe_vpc_attribute",
                (lambda attr: lambda i: {"VpcId": i["VpcId"], "Attribute": attr})(attr),
                False,
                f"-{attr}",
            )
            for attr in ("enableDnsSupport", "enableDnsHostnames")
        ],
    ),
    "describe-vpc-endpoint-service-configurations": (
        "ServiceConfigurations",
        lambda i: i["ServiceId"],
        [
            (
                "ec2",
                "describe-vpc-endpoint-service-permissions",
                "describe_vpc_endpoint_service_permissions",
                lambda i: {"ServiceId": i["ServiceId"]},
                True,
            )
        ],
    ),
    "describe-managed-prefix-lists": (
        "PrefixLists",
        lambda i: i["PrefixListId"],
        [
            (
                "ec2",
                "get-managed-prefix-list-entries",
                "get_managed_prefix_list_entries",
                lambda i: {"PrefixListId": i["PrefixListId"]},
                True,
            )
        ],
    ),
    "describe-transit-gateway-route-tables": (
        "TransitGatewayRouteTables",
        lambda i: i["TransitGatewayRouteTableId"],
        [
            (
                "ec2",
                "search-transit-gateway-routes",
                "search_transit_gateway_routes",
                lambda i: {
                    "TransitGatewayRouteTableId": i["TransitGatewayRouteTableId"],
                    "Filters": TGW_TYPES,
                },
                # The layout keeps AdditionalRoutesAvailable (false), so: the single answer.
                False,
            ),
            (
                "ec2",
                "get-transit-gateway-route-table-associations",
                "get_transit_gateway_route_table_associations",
                lambda i: {"TransitGatewayRouteTableId": i["TransitGatewayRouteTableId"]},
                True,
            ),
            (
                "ec2",
                "get-transit-gateway-route-table-propagations",
                "get_transit_gateway_route_table_propagations",
                lambda i: {"TransitGatewayRouteTableId": i["TransitGatewayRouteTableId"]},
                True,
            ),
        ],
    ),
    "describe-load-balancers": (
        "LoadBalancers",
        lambda i: i["LoadBalancerName"],
        [
            (
                "elbv2",
                "describe-listeners",
                "describe_listeners",
                lambda i: {"LoadBalancerArn": i["LoadBalancerArn"]},
                True,
            )
        ],
    ),
    "describe-target-groups": (
        "TargetGroups",
        lambda i: i["TargetGroupName"],
        [
            (
                "elbv2",
                "describe-target-health",
                "describe_target_health",
                lambda i: {"TargetGroupArn": i["TargetGroupArn"]},
                True,
            )
        ],
    ),
    "list-resolver-endpoints": (
        "ResolverEndpoints",
        lambda i: i["Id"],
        [
            (
                "route53resolver",
                "list-resolver-endpoint-ip-addresses",
                "list_resolver_endpoint_ip_addresses",
                lambda i: {"ResolverEndpointId": i["Id"]},
                True,
            )
        ],
    ),
    "list-domain-configurations": (
        "domainConfigurations",
        lambda i: i["domainConfigurationName"],
        [
            (
                "iot",
                "describe-domain-configuration",
                "describe_domain_configuration",
                lambda i: {"domainConfigurationName": i["domainConfigurationName"]},
                False,
            )
        ],
    ),
    "list-thing-groups": (
        "thingGroups",
        lambda i: i["groupName"],
        [
            (
                "iot",
                "describe-thing-group",
                "describe_thing_group",
                lambda i: {"thingGroupName": i["groupName"]},
                False,
            ),
            # Direct members (not --recursive). The estates here have no dynamic groups, whose
            # members pathproof does not collect.
            (
                "iot",
                "list-things-in-thing-group",
                "list_things_in_thing_group",
                lambda i: {"thingGroupName": i["groupName"], "recursive": False},
                True,
            ),
        ],
    ),
    "list-policies": (
        "policies",
        lambda i: i["policyName"],
        [
            ("iot", "get-policy", "get_policy", lambda i: {"policyName": i["policyName"]}, True),
            (
                "iot",
                "list-targets-for-policy",
                "list_targets_for_policy",
                lambda i: {"policyName": i["policyName"]},
                True,
            ),
        ],
    ),
}

# Answers that differ on every call in moto: compare their shape only.
VOLATILE = {("iot", "describe-endpoint")}

# pathproof asks Route 53 Resolver for 100 items a page (its default is 10): the same output as
# `aws route53resolver ... --page-size 100`, whose first page's MaxResults the CLI keeps.
PAGE_SIZE = {"route53resolver": 100}


def redact(service, op, result):
    """pathproof never writes secrets: a VPN's CustomerGatewayConfiguration (it holds the
    pre-shared keys) and its tunnels' PreSharedKey."""
    if (service, op) == ("ec2", "describe-vpn-connections"):
        for vpn in result.get("VpnConnections", []):
            vpn.pop("CustomerGatewayConfiguration", None)
            for tunnel in vpn.get("Options", {}).get("TunnelOptions", []):
                tunnel.pop("PreSharedKey", None)
    return result


def cli_json(value):
    """The AWS CLI's `--output json` text."""
    return json.dumps(value, indent=4, ensure_ascii=False, default=lambda o: o.isoformat()) + "\n"


def call(client, method, params, paginate, page_size=None):
    if paginate and client.can_paginate(method):
        config = {"PageSize": page_size} if page_size else {}
        result = (
            client.get_paginator(method)
            .paginate(PaginationConfig=config, **params)
            .build_full_result()
        )
    else:
        result = getattr(client, method)(**params)
    result.pop("ResponseMetadata", None)
    return result


def shape(value):
    """Keys and types, recursively: what a reader relies on."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(v) for v in value]
    return type(value).__name__


class Compare:
    def __init__(self, snapshot, manifest):
        self.snapshot = snapshot
        self.errors = manifest.get("errors", [])
        self.compared = 0
        self.problems = []
        self.failed_calls = []
        self.expected_files = set()

    def has_error(self, account, region, operation, resource):
        for e in self.errors:
            if (e.get("account"), e.get("region"), e.get("operation")) == (account, region, operation):
                if resource is None or e.get("resource") in (None, resource):
                    return True
        return False

    def check(self, account, region, service, op, key, client, method, params, paginate):
        rel = f"{account}/{region}/{service}/{op}" + (f"/{key}.json" if key is not None else ".json")
        path = os.path.join(self.snapshot, rel)
        try:
            expected = redact(service, op, call(client, method, params, paginate, PAGE_SIZE.get(service)))
        except Exception as err:  # noqa: BLE001 - any failure is what we compare against
            self.failed_calls.append({"file": rel, "error": str(err)[:200]})
            if os.path.exists(path):
                self.problems.append({"file": rel, "problem": f"written though the call fails: {err}"})
            elif not self.has_error(account, region, f"{service}:{op}", key):
                self.problems.append({"file": rel, "problem": "call fails but no errors entry"})
            return None
        self.expected_files.add(rel)
        if not os.path.exists(path):
            if not self.has_error(account, region, f"{service}:{op}", key):
                self.problems.append({"file": rel, "problem": "missing, and no errors entry"})
            return expected
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.compared += 1
        if (service, op) in VOLATILE:
            got = json.loads(text)
            if shape(got) != shape(json.loads(cli_json(expected))):
                self.problems.append({"file": rel, "problem": "shape differs", "got": got})
        elif text != cli_json(expected):
            self.problems.append(
                {"file": rel, "problem": "differs from the CLI", "got": text, "expected": cli_json(expected)}
            )
        return expected

    def region(self, acct, region):
        a = acct.account
        for service, op, method in REGIONAL:
            client = acct.client(service, region)
            result = self.check(
                a, region, service, op, None, client, method, REGIONAL_PARAMS.get(op, {}), True
            )
            if result is None or op not in CHILDREN:
                continue
            list_key, key_of, calls = CHILDREN[op]
            for item in result.get(list_key, []):
                key = key_of(item)
                for c_service, c_op, c_method, params, paginate, *suffix in calls:
                    self.check(
                        a, region, c_service, c_op, key + "".join(suffix),
                        acct.client(c_service, region), c_method, params(item), paginate,
                    )
        iot = acct.client("iot", region)
        for t in IOT_ENDPOINT_TYPES:
            key = t.lower().replace(":", "-")
            self.check(a, region, "iot", "describe-endpoint", key, iot, "describe_endpoint", {"endpointType": t}, False)

    def route53(self, acct, region):
        a = acct.account
        r53 = acct.client("route53", region)
        zones = self.check(a, "global", "route53", "list-hosted-zones", None, r53, "list_hosted_zones", {}, True)
        for zone in (zones or {}).get("HostedZones", []):
            zid = zone["Id"].split("/")[-1]
            self.check(a, "global", "route53", "get-hosted-zone", zid, r53, "get_hosted_zone", {"Id": zid}, False)
            self.check(
                a, "global", "route53", "list-resource-record-sets", zid, r53,
                "list_resource_record_sets", {"HostedZoneId": zid}, True,
            )
            if zone.get("Config", {}).get("PrivateZone"):
                self.check(
                    a, "global", "route53", "list-vpc-association-authorizations", zid, r53,
                    "list_vpc_association_authorizations", {"HostedZoneId": zid}, True,
                )

    def extra_files(self):
        for root, _, names in os.walk(self.snapshot):
            for name in names:
                rel = os.path.relpath(os.path.join(root, name), self.snapshot)
                if rel != "manifest.json" and rel not in self.expected_files:
                    self.problems.append({"file": rel, "problem": "not in the layout for this estate"})


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    utc()
    endpoint, snapshot = argv[1], argv[2]
    with open(os.path.join(snapshot, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    cmp = Compare(snapshot, manifest)
    for target in manifest["targets"]:
        acct = Account(endpoint, target["account"])
        for region in target["regions"]:
            cmp.region(acct, region)
        cmp.route53(acct, target["regions"][0])
    cmp.extra_files()
    print(
        json.dumps(
            {
                "compared": cmp.compared,
                "problems": cmp.problems,
                "failed_calls": cmp.failed_calls,
                "files": sorted(cmp.expected_files),
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
