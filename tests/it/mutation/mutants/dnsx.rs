//! The DNS layout extensions (issue 9 items 7, 8, 12), per VPC: a DNS Firewall rule group
//! associated with it (blocking, allowing, overriding, by query type, on a managed list, without
//! its rules file, failing open), a Route 53 Profile (empty, bringing a blocking rule group, its
//! resource list missing, carrying the VPC's private zones) and a VPC Lattice resource endpoint
//! (private DNS for unlisted domains, for specified other domains, off). Each is written as the
//! AWS CLI prints it after the real call (`associate-firewall-rule-group`, `associate-profile`,
//! `associate-resource-to-profile`, `create-vpc-endpoint --vpc-endpoint-type Resource`).
use super::*;

const KIND: &str = "dns-ext";
const IOT_NAMES: &str = "*.iot.us-west-2.amazonaws.com.";

/// One rule: (domains, action, block response, extra fields).
struct Rule {
    domains: Vec<&'static str>,
    action: &'static str,
    extra: Value,
}

fn rule(domains: &[&'static str], action: &'static str, extra: Value) -> Rule {
    Rule {
        domains: domains.to_vec(),
        action,
        extra,
    }
}

/// Associate a rule group with `rules` (priority 100, 200, …) with the VPC, in its account.
fn firewall(
    s: &mut Snap,
    v: &VpcInfo,
    label: &str,
    rules: &[Rule],
    managed: bool,
    with_rules: bool,
) {
    let acct = &v.acct;
    let group = format!("rslvr-frg-{}", hid(&format!("{}/{label}", v.id)));
    s.list(&reg(acct, "route53resolver/list-firewall-rule-group-associations"), "FirewallRuleGroupAssociations").push(json!({
        "Id": format!("rslvr-frgassoc-{}", hid(&group)),
        "Arn": format!("arn:aws:route53resolver:{REGION}:{acct}:firewall-rule-group-association/rslvr-frgassoc-{}", hid(&group)),
        "FirewallRuleGroupId": group, "VpcId": v.id, "Name": format!("mutant-{label}"), "Priority": 101,
        "MutationProtection": "DISABLED", "Status": "COMPLETE", "StatusMessage": "Finished rule group association update",
        "CreatorRequestId": "mutant", "CreationTime": "2026-11-20T16:48:03.112Z", "ModificationTime": "2026-11-20T16:48:03.112Z"}));
    let mut listed = Vec::new();
    for (i, r) in rules.iter().enumerate() {
        let list = format!("rslvr-fdl-{}", hid(&format!("{group}/{i}")));
        let mut item = json!({"Id": list, "Arn": format!("arn:aws:route53resolver:{REGION}:{acct}:firewall-domain-list/{list}"),
            "Name": format!("mutant-{label}-{i}"), "CreatorRequestId": "mutant"});
        if managed {
            item["Name"] = json!("AWSManagedDomainsMalwareDomainList");
            item["ManagedOwnerName"] = json!("Route 53 Resolver DNS Firewall");
            item.as_object_mut().unwrap().remove("CreatorRequestId");
        } else {
            let domains: Vec<Value> = r.domains.iter().map(|d| json!(d)).collect();
            s.files.insert(
                reg(
                    acct,
                    &format!("route53resolver/list-firewall-domains/{list}"),
                ),
                json!({"Domains": domains}),
            );
        }
        s.list(
            &reg(acct, "route53resolver/list-firewall-domain-lists"),
            "FirewallDomainLists",
        )
        .push(item);
        let mut fr = json!({"FirewallRuleGroupId": group, "FirewallDomainListId": list, "Name": format!("rule-{i}"),
            "Priority": 100 * (i + 1), "Action": r.action, "CreatorRequestId": "mutant",
            "CreationTime": "2026-11-20T16:48:03.112Z", "ModificationTime": "2026-11-20T16:48:03.112Z",
            "FirewallDomainRedirectionAction": "INSPECT_REDIRECTION_DOMAIN"});
        for (k, val) in r.extra.as_object().unwrap() {
            fr[k] = val.clone();
        }
        listed.push(fr);
    }
    if with_rules {
        s.files.insert(
            reg(
                acct,
                &format!("route53resolver/list-firewall-rules/{group}"),
            ),
            json!({"FirewallRules": listed}),
        );
    }
}

fn fail_open(s: &mut Snap, v: &VpcInfo, mode: &str) {
    s.list(&reg(&v.acct, "route53resolver/list-firewall-configs"), "FirewallConfigs").push(json!({
        "Id": format!("rslvr-fc-{}", hid(&v.id)), "ResourceId": v.id, "OwnerId": v.acct, "FirewallFailOpen": mode}));
}

fn profile(s: &mut Snap, v: &VpcInfo, resources: Option<Vec<Value>>) -> String {
    let acct = &v.acct;
    let p = format!("rp-{}", hid(&format!("{}/profile", v.id)));
    s.list(&reg(acct, "route53profiles/list-profile-associations"), "ProfileAssociations").push(json!({
        "CreationTime": "2026-11-20T16:48:03.112000+00:00", "Id": format!("rpassoc-{}", hid(&p)),
        "ModificationTime": "2026-11-20T16:48:03.112000+00:00", "Name": "mutant-profile", "OwnerId": acct,
        "ProfileId": p, "ResourceId": v.id, "Status": "COMPLETE", "StatusMessage": "Created Profile Association"}));
    if let Some(r) = resources {
        s.files.insert(
            reg(
                acct,
                &format!("route53profiles/list-profile-resource-associations/{p}"),
            ),
            json!({"ProfileResourceAssociations": r}),
        );
    }
    p
}

fn profile_resource(acct: &str, p: &str, arn: String, kind: &str, props: Option<&str>) -> Value {
    let mut r = json!({"CreationTime": "2026-11-20T16:48:03.112000+00:00", "Id": format!("rpr-{}", hid(&arn)),
        "ModificationTime": "2026-11-20T16:48:03.112000+00:00", "Name": "mutant-resource", "OwnerId": acct,
        "ProfileId": p, "ResourceArn": arn, "ResourceType": kind, "Status": "COMPLETE",
        "StatusMessage": "Completed creation of Profile to resource association"});
    if let Some(props) = props {
        r["ResourceProperties"] = json!(props);
    }
    r
}

fn lattice(s: &mut Snap, v: &VpcInfo, dns: Option<Value>, private_dns: bool) {
    let id = format!("vpce-{}", hid(&format!("{}/lattice", v.id)));
    let mut options =
        json!({"DnsRecordIpType": "ipv4", "PrivateDnsOnlyForInboundResolverEndpoint": false});
    if let Some(d) = dns {
        for (k, val) in d.as_object().unwrap() {
            options[k] = val.clone();
        }
    }
    s.list(&reg(&v.acct, "ec2/describe-vpc-endpoints"), "VpcEndpoints").push(json!({
        "VpcEndpointId": id, "VpcEndpointType": "Resource", "VpcId": v.id, "State": "available",
        "SubnetIds": [], "Groups": [], "IpAddressType": "ipv4", "DnsOptions": options,
        "PrivateDnsEnabled": private_dns, "RequesterManaged": false, "NetworkInterfaceIds": [],
        "DnsEntries": [{"DnsName": format!("{id}-snra-0d9a00000000000r1.rcfg-0d9a00000000000r1.4232ccc.vpc-lattice-rsc.{REGION}.on.aws"),
            "HostedZoneId": "Z0308051HCABLIZ0J0L5"}],
        "CreationTimestamp": "2026-11-20T16:48:03.112000+00:00", "Tags": [], "OwnerId": v.acct,
        "ResourceConfigurationArn": format!("arn:aws:vpc-lattice:{REGION}:{}:resourceconfiguration/rcfg-0d9a00000000000r1", v.acct)}));
}

/// (label, description, rules, AWS-managed list, rules file present, FirewallFailOpen)
type Case = (
    &'static str,
    &'static str,
    Vec<Rule>,
    bool,
    bool,
    Option<&'static str>,
);

pub fn all(idx: &Idx, out: &mut Out) {
    for v in idx.vpcs.clone() {
        let firewall_cases: Vec<Case> = vec![
            (
                "block-iot-nxdomain",
                "BLOCK NXDOMAIN for the IoT names",
                vec![rule(
                    &[IOT_NAMES],
                    "BLOCK",
                    json!({"BlockResponse": "NXDOMAIN"}),
                )],
                false,
                true,
                None,
            ),
            (
                "block-data-name",
                "BLOCK (default NODATA) for the data name",
                vec![rule(
                    &["a1b2c3d4e5f6g7-ats.iot.us-west-2.amazonaws.com."],
                    "BLOCK",
                    json!({}),
                )],
                false,
                true,
                None,
            ),
            (
                "block-everything",
                "BLOCK NODATA for *",
                vec![rule(&["*"], "BLOCK", json!({"BlockResponse": "NODATA"}))],
                false,
                true,
                None,
            ),
            (
                "walled-garden",
                "ALLOW the IoT names, then BLOCK *",
                vec![
                    rule(&[IOT_NAMES], "ALLOW", json!({})),
                    rule(&["*"], "BLOCK", json!({"BlockResponse": "NODATA"})),
                ],
                false,
                true,
                None,
            ),
            (
                "walled-garden-fail-open",
                "ALLOW the IoT names, then BLOCK *, fail open",
                vec![
                    rule(&[IOT_NAMES], "ALLOW", json!({})),
                    rule(&["*"], "BLOCK", json!({"BlockResponse": "NODATA"})),
                ],
                false,
                true,
                Some("ENABLED"),
            ),
            (
                "alert-then-block",
                "ALERT the IoT names, then BLOCK *",
                vec![
                    rule(&[IOT_NAMES], "ALERT", json!({})),
                    rule(&["*"], "BLOCK", json!({"BlockResponse": "NODATA"})),
                ],
                false,
                true,
                None,
            ),
            (
                "block-unrelated",
                "BLOCK *.example.com",
                vec![rule(
                    &["*.example.com."],
                    "BLOCK",
                    json!({"BlockResponse": "NXDOMAIN"}),
                )],
                false,
                true,
                None,
            ),
            (
                "block-iot-parent-only",
                "BLOCK the exact name iot.us-west-2.amazonaws.com",
                vec![rule(&["iot.us-west-2.amazonaws.com."], "BLOCK", json!({}))],
                false,
                true,
                None,
            ),
            (
                "block-iot-aaaa",
                "BLOCK the IoT names for AAAA only",
                vec![rule(&[IOT_NAMES], "BLOCK", json!({"Qtype": "AAAA"}))],
                false,
                true,
                None,
            ),
            (
                "block-iot-type28",
                "BLOCK the IoT names for TYPE28 (AAAA) only",
                vec![rule(&[IOT_NAMES], "BLOCK", json!({"Qtype": "TYPE28"}))],
                false,
                true,
                None,
            ),
            (
                "block-iot-type1",
                "BLOCK the IoT names for TYPE1 (A)",
                vec![rule(&[IOT_NAMES], "BLOCK", json!({"Qtype": "TYPE1"}))],
                false,
                true,
                None,
            ),
            (
                "block-iot-fail-open",
                "BLOCK the IoT names, fail open",
                vec![rule(&[IOT_NAMES], "BLOCK", json!({}))],
                false,
                true,
                Some("ENABLED"),
            ),
            (
                "override-public",
                "BLOCK OVERRIDE the IoT names with a CNAME to a public name",
                vec![rule(
                    &[IOT_NAMES],
                    "BLOCK",
                    json!({"BlockResponse": "OVERRIDE", "BlockOverrideDomain": "www.example.com.", "BlockOverrideDnsType": "CNAME", "BlockOverrideTtl": 60}),
                )],
                false,
                true,
                None,
            ),
            (
                "managed-list",
                "BLOCK on an AWS-managed domain list",
                vec![rule(&[], "BLOCK", json!({}))],
                true,
                true,
                None,
            ),
            (
                "rules-missing",
                "a rule group whose rules file is not in the snapshot",
                vec![rule(&[IOT_NAMES], "ALLOW", json!({}))],
                false,
                false,
                None,
            ),
        ];
        for (label, what, rules, managed, with_rules, open) in firewall_cases {
            let v2 = v.clone();
            out.add(
                KIND,
                format!("fw:{}:{label}", v.id),
                format!("DNS Firewall rule group on {}: {what}", v.id),
                move |s| {
                    firewall(s, &v2, label, &rules, managed, with_rules);
                    if let Some(mode) = open {
                        fail_open(s, &v2, mode);
                    }
                },
            );
        }
        let v2 = v.clone();
        out.add(
            KIND,
            format!("profile:{}:empty", v.id),
            format!("an empty Route 53 Profile associated with {}", v.id),
            move |s| {
                profile(s, &v2, Some(vec![]));
            },
        );
        let v2 = v.clone();
        out.add(
            KIND,
            format!("profile:{}:resources-missing", v.id),
            format!(
                "a Route 53 Profile associated with {} whose resource list is not in the snapshot",
                v.id
            ),
            move |s| {
                profile(s, &v2, None);
            },
        );
        let v2 = v.clone();
        out.add(
            KIND,
            format!("profile:{}:block-iot", v.id),
            format!(
                "a Route 53 Profile bringing a rule group that blocks the IoT names into {}",
                v.id
            ),
            move |s| {
                // The rule group lives in the VPC's account but is associated through the Profile only.
                firewall(
                    s,
                    &v2,
                    "profile-block",
                    &[rule(&[IOT_NAMES], "BLOCK", json!({}))],
                    false,
                    true,
                );
                let assocs = s.list(
                    &reg(
                        &v2.acct,
                        "route53resolver/list-firewall-rule-group-associations",
                    ),
                    "FirewallRuleGroupAssociations",
                );
                let group = assocs.pop().unwrap()["FirewallRuleGroupId"]
                    .as_str()
                    .unwrap()
                    .to_string();
                let p = format!("rp-{}", hid(&format!("{}/profile", v2.id)));
                let arn = format!(
                    "arn:aws:route53resolver:{REGION}:{}:firewall-rule-group/{group}",
                    v2.acct
                );
                let r = profile_resource(
                    &v2.acct,
                    &p,
                    arn,
                    "FIREWALL_RULE_GROUP",
                    Some("{\"priority\":102}"),
                );
                profile(s, &v2, Some(vec![r]));
            },
        );
        // The VPC's private zones move into the Profile: each zone keeps its other VPCs; a zone
        // whose only VPC this is keeps a DNS hub VPC in us-east-1 (Route 53 refuses to
        // disassociate a private zone's last VPC).
        let mut zones = Vec::new();
        for a in &idx.accounts {
            for z in items(&idx.snap, &glob(a, "list-hosted-zones"), "HostedZones") {
                let id = str_of(&z, "Id")
                    .trim_start_matches("/hostedzone/")
                    .to_string();
                let rel = glob(a, &format!("get-hosted-zone/{id}"));
                let here = idx.snap.doc(&rel).is_some_and(|d| {
                    d["VPCs"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|x| x["VPCId"] == v.id)
                });
                if here {
                    zones.push((a.clone(), id, rel));
                }
            }
        }
        if !zones.is_empty() {
            let v2 = v.clone();
            out.add(KIND, format!("profile:{}:zones-moved", v.id), format!("the private zones of {} come through a Route 53 Profile instead of direct associations", v.id), move |s| {
                let p = format!("rp-{}", hid(&format!("{}/profile", v2.id)));
                let mut resources = Vec::new();
                for (owner, id, rel) in &zones {
                    let vpcs = s.edit(rel)["VPCs"].as_array_mut().unwrap();
                    vpcs.retain(|x| x["VPCId"] != v2.id);
                    if vpcs.is_empty() {
                        vpcs.push(json!({"VPCRegion": "us-east-1", "VPCId": format!("vpc-{}", hid(&format!("{owner}/dns-hub")))}));
                    }
                    resources.push(profile_resource(&v2.acct, &p, format!("arn:aws:route53:::hostedzone/{id}"), "PRIVATE_HOSTED_ZONE", None));
                }
                profile(s, &v2, Some(resources));
            });
        }
        for (label, what, dns, on) in [
            (
                "lattice-unlisted",
                "private DNS for domains the snapshot does not list",
                None,
                true,
            ),
            (
                "lattice-all-domains",
                "private DNS for ALL_DOMAINS",
                Some(json!({"PrivateDnsPreference": "ALL_DOMAINS"})),
                true,
            ),
            (
                "lattice-specified-iot",
                "private DNS for specified domain *.amazonaws.com",
                Some(
                    json!({"PrivateDnsPreference": "SPECIFIED_DOMAINS_ONLY", "PrivateDnsSpecifiedDomains": ["*.amazonaws.com"]}),
                ),
                true,
            ),
            (
                "lattice-specified-other",
                "private DNS for specified domain *.corp.example.com only",
                Some(
                    json!({"PrivateDnsPreference": "SPECIFIED_DOMAINS_ONLY", "PrivateDnsSpecifiedDomains": ["*.corp.example.com"]}),
                ),
                true,
            ),
            ("lattice-no-private-dns", "private DNS off", None, false),
        ] {
            let v2 = v.clone();
            out.add(
                KIND,
                format!("lattice:{}:{label}", v.id),
                format!("VPC Lattice resource endpoint in {}: {what}", v.id),
                move |s| {
                    lattice(s, &v2, dns.clone(), on);
                },
            );
        }
    }
}
