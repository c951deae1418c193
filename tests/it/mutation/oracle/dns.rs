//! Name resolution as a VPC sees it.
//!
//! | rule | source |
//! |---|---|
//! | Private hosted zones answer only in VPCs with enableDnsSupport and enableDnsHostnames true | https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-considerations.html |
//! | Instances use the DNS servers of their DHCP options; only AmazonProvidedDNS is the Route 53 Resolver | https://docs.aws.amazon.com/vpc/latest/userguide/DHCPOptionSetConcepts.html |
//! | A Resolver forwarding rule associated with the VPC sends matching names elsewhere (not modelled: unknown) | https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-forwarding-outbound-queries.html |
//! | A private zone is itself a Resolver rule; the most specific rule wins, so a forwarding rule for a less specific domain (".", "com", a parent of the zone) does not override the zone, while one for the same or a more specific domain does | https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-overview-forward-vpc-to-network-autodefined-rules.html ("autodefined rules ensure that your private hosted zones ... continue to resolve if you create conditional forwarding rules for less specific domain names"; "to override an autodefined rule, you can create a conditional forwarding rule for the same domain name"), .../resolver-overview-forward-vpc-to-network-domain-name-matches.html |
//! | A private zone applies to the VPCs associated with it (`get-hosted-zone` `VPCs`); an association authorization is not an association | https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-associate-vpcs-different-accounts.html |
//! | With overlapping private zones the most specific zone answers | https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-considerations.html ("overlapping namespaces") |
//! | If the matching private zone has no record for the name, Resolver answers NXDOMAIN (or NODATA when the name has other types): it does not fall back to public DNS | same page |
//! | Without a matching private zone the name resolves publicly (the IoT endpoint's public address) | same page |
//! | Wildcards match names below the closest encloser, never the name that owns records (the apex) | https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html#domain-name-format-asterisk, RFC 4592 |
//! | An alias to an interface endpoint DNS name answers that endpoint's ENI addresses (zonal names: the ENI in that AZ) | https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-alias.html, https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html |
//! | An alias to a load balancer answers its node addresses | https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-to-elb-load-balancer.html |
//! | DNS Firewall, Route 53 Profiles and VPC Lattice endpoints: see `dnsx` | |
//! | IoT Core endpoints need a manually created private zone: the endpoint's own private DNS is not used here | https://docs.aws.amazon.com/iot/latest/developerguide/IoTCore-VPC.html |
use super::net::ip;
use super::world::{fqdn, World, Zone};
use super::{Class, Problem};

pub struct Ctx<'a> {
    pub w: &'a World,
    /// Resolving for instances (DHCP options apply) or for the Resolver inbound endpoint (they do not).
    pub instances: bool,
}

fn within(name: &str, domain: &str) -> bool {
    domain == "." || name == domain || name.ends_with(&format!(".{domain}"))
}

fn labels(domain: &str) -> usize {
    domain
        .trim_end_matches('.')
        .split('.')
        .filter(|l| !l.is_empty())
        .count()
}

pub fn resolve(c: &Ctx, vpc: &str, name: &str, depth: usize) -> Result<Vec<u32>, Problem> {
    let w = c.w;
    let name = fqdn(name);
    if depth > 8 {
        return Err(Problem::unknown(vpc, "CNAME chain too long"));
    }
    let v = &w.vpcs[vpc];
    let (support, hostnames) = w.dns_attrs.get(vpc).copied().unwrap_or((None, None));
    if support == Some(false) || hostnames == Some(false) {
        return Err(Problem::unsafe_(
            Class::DnsPublic,
            vpc,
            "enableDnsSupport/enableDnsHostnames is false: private zones do not answer",
        ));
    }
    if c.instances {
        let has_file = w
            .dhcp_files
            .contains(&format!("{}/{}", v.account, v.region));
        if has_file {
            match w.dhcp.get(&v.dhcp) {
                Some(servers)
                    if servers.iter().all(|s| s == "AmazonProvidedDNS") && !servers.is_empty() => {}
                Some(servers) => {
                    return Err(Problem::unknown(
                        vpc,
                        format!("DHCP options name other DNS servers {servers:?}"),
                    ))
                }
                None if v.dhcp == "default" => {}
                None => {
                    return Err(Problem::unknown(
                        vpc,
                        format!("DHCP options {} not in the snapshot", v.dhcp),
                    ))
                }
            }
        }
    }
    // DNS Firewall answers first (a block, or a CNAME to its override domain); a VPC Lattice
    // endpoint's private DNS could answer names no listing shows (see dnsx).
    if let super::dnsx::Screen::Cname(target) = super::dnsx::screen(w, vpc, &name, c.instances)? {
        return resolve(c, vpc, &target, depth + 1);
    }
    // A Route 53 Profile's private zones take part like the VPC's own associations.
    let from_profile = super::dnsx::profile_zones(w, vpc)?;
    let zones: Vec<&Zone> = w
        .zones
        .iter()
        .filter(|z| z.private && within(&name, &z.name))
        .filter(|z| {
            z.vpcs.iter().any(|(id, r)| id == vpc && *r == v.region) || from_profile.contains(&z.id)
        })
        .collect();
    // The most specific associated zone for the name, as a rule (0: none).
    let zone_depth = zones.iter().map(|z| labels(&z.name)).max().unwrap_or(0);
    for (rule, rvpc, status) in &w.rule_assocs {
        if rvpc != vpc {
            continue;
        }
        let Some((domain, kind, _)) = w.resolver_rules.get(rule) else {
            return Err(Problem::unknown(
                vpc,
                format!("associated Resolver rule {rule} not in the snapshot"),
            ));
        };
        if status != "COMPLETE" {
            return Err(Problem::unknown(
                vpc,
                format!("Resolver rule association {status}"),
            ));
        }
        if within(&name, &fqdn(domain)) && kind == "FORWARD" && labels(&fqdn(domain)) >= zone_depth
        {
            return Err(Problem::unknown(
                vpc,
                format!("{name} is forwarded by Resolver rule {rule}"),
            ));
        }
    }
    if let Some(best) = zones.iter().map(|z| z.name.len()).max() {
        let top: Vec<&&Zone> = zones.iter().filter(|z| z.name.len() == best).collect();
        if top.len() > 1 {
            return Err(Problem::unknown(
                vpc,
                format!("two private zones named {} associated", top[0].name),
            ));
        }
        return in_zone(c, vpc, top[0], &name, depth);
    }
    if w.vpces
        .values()
        .any(|e| e.vpc == vpc && e.private_dns && e.kind == "Interface")
    {
        return Err(Problem::unknown(
            vpc,
            "interface endpoint private DNS not modelled",
        ));
    }
    Err(Problem::unsafe_(
        Class::DnsPublic,
        vpc,
        format!("no private zone for {name}: it resolves to the public endpoint"),
    ))
}

fn in_zone(c: &Ctx, vpc: &str, z: &Zone, name: &str, depth: usize) -> Result<Vec<u32>, Problem> {
    let mut owner = name.to_string();
    let mut recs: Vec<_> = z.records.iter().filter(|r| r.name == name).collect();
    if recs.is_empty() {
        // A delegation below the apex sends the name to other servers.
        if z.records.iter().any(|r| {
            r.kind == "NS"
                && r.name != z.name
                && (name == r.name || name.ends_with(&format!(".{}", r.name)))
        }) {
            return Err(Problem::unknown(&z.id, format!("{name} is delegated")));
        }
        // Closest encloser: the nearest ancestor that exists (owns records or has descendants).
        let mut anc = name;
        let encloser = loop {
            let Some((_, parent)) = anc.split_once('.') else {
                break None;
            };
            if parent.is_empty() || parent.len() < z.name.len() {
                break None;
            }
            let exists = z
                .records
                .iter()
                .any(|r| r.name == parent || r.name.ends_with(&format!(".{parent}")));
            if exists {
                break Some(parent.to_string());
            }
            anc = parent;
        };
        if let Some(e) = encloser {
            owner = format!("*.{e}");
            recs = z.records.iter().filter(|r| r.name == owner).collect();
        }
        if recs.is_empty() {
            return Err(Problem::unsafe_(
                Class::DnsNoAnswer,
                &z.id,
                format!("NXDOMAIN for {name}"),
            ));
        }
    }
    let a: Vec<_> = recs.iter().filter(|r| r.kind == "A").collect();
    if !a.is_empty() {
        let mut out = Vec::new();
        for r in a {
            if let Some((zone_id, target)) = &r.alias {
                out.extend(alias(c, zone_id, target)?);
            } else {
                for v in &r.values {
                    out.push(
                        ip(v).ok_or_else(|| {
                            Problem::unknown(&z.id, format!("A record value {v}"))
                        })?,
                    );
                }
            }
        }
        return Ok(out);
    }
    if let Some(cname) = recs.iter().find(|r| r.kind == "CNAME") {
        let target = cname.values.first().cloned().unwrap_or_default();
        return resolve(c, vpc, &target, depth + 1);
    }
    Err(Problem::unsafe_(
        Class::DnsNoAnswer,
        &z.id,
        format!("{owner} has no A record (NODATA)"),
    ))
}

fn alias(c: &Ctx, zone_id: &str, target: &str) -> Result<Vec<u32>, Problem> {
    let w = c.w;
    for e in w.vpces.values() {
        let Some((_, hz)) = e.dns.iter().find(|(n, _)| fqdn(n) == target) else {
            continue;
        };
        if hz != zone_id {
            return Err(Problem::unknown(
                &e.id,
                "alias hosted zone id does not match the endpoint",
            ));
        }
        let mut enis = Vec::new();
        for id in &e.enis {
            let eni = w.enis.get(id).ok_or_else(|| {
                Problem::unknown(&e.id, format!("endpoint ENI {id} not in the snapshot"))
            })?;
            let az = w
                .subnets
                .get(&eni.subnet)
                .map(|s| s.az_name.clone())
                .unwrap_or_default();
            enis.push((az, eni));
        }
        // A zonal name carries its Availability Zone ("vpce-…-us-west-2a.…").
        let zonal = enis
            .iter()
            .map(|(az, _)| az.clone())
            .find(|az| !az.is_empty() && target.contains(&format!("-{az}.")));
        let out = enis
            .iter()
            .filter(|(az, _)| zonal.as_ref().is_none_or(|z| z == az))
            .flat_map(|(_, eni)| eni.ips.iter().copied())
            .collect();
        return Ok(out);
    }
    for lb in &w.lbs {
        if fqdn(&lb.dns) == target || fqdn(&format!("dualstack.{}", lb.dns)) == target {
            return Ok(lb.nodes.iter().map(|n| n.1).collect());
        }
    }
    Err(Problem::unknown(target, "alias target not in the snapshot"))
}
