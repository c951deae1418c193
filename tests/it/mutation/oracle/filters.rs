//! Security groups and network ACLs.
//!
//! | rule | source |
//! |---|---|
//! | A security group has allow rules only; traffic is allowed if any rule of any group on the ENI allows it | https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html |
//! | Security groups are stateful: responses are allowed whatever the outbound rules | same page, "Security group basics" |
//! | A rule matches on protocol (`-1` = all), port range (tcp/udp) and source CIDR, prefix list or referenced group | https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html |
//! | A NACL is evaluated per direction in ascending rule number; the first matching rule allows or denies; no match is denied by the `*` rule | https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html |
//! | NACLs are stateless: the return traffic is evaluated on its own, to the client's ephemeral ports (1024-65535) | https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html |
//! | `PortRange` is the destination port, and applies to TCP (6) and UDP (17) only | https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NetworkAclEntry.html |
//! | Each subnet is associated with exactly one NACL | https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html |
use super::net::{show, Cuts, Net, Ports};
use super::world::{Eni, World};
use super::{Class, Problem};

pub const TCP: u8 = 6;
pub const UDP: u8 = 17;

fn proto_name(p: u8) -> &'static str {
    if p == TCP {
        "tcp"
    } else {
        "udp"
    }
}

/// NACL of `subnet` in one direction: does it allow every port in `ports` for `peer` (the
/// destination for outbound rules, the source for inbound rules)?
pub fn nacl(
    w: &World,
    subnet: &str,
    egress: bool,
    peer: u32,
    proto: u8,
    ports: &Ports,
) -> Result<(), Problem> {
    let acls: Vec<_> = w
        .nacls
        .iter()
        .filter(|n| n.subnets.iter().any(|s| s == subnet))
        .collect();
    let acl = match acls.as_slice() {
        [one] => *one,
        [] => {
            return Err(Problem::unknown(
                subnet,
                "subnet is associated with no network ACL (AWS always shows one)",
            ))
        }
        _ => {
            return Err(Problem::unknown(
                subnet,
                "subnet is associated with several network ACLs",
            ))
        }
    };
    let mut entries: Vec<_> = acl.entries.iter().filter(|e| e.egress == egress).collect();
    entries.sort_by_key(|e| e.number);
    if entries.windows(2).any(|p| p[0].number == p[1].number) {
        return Err(Problem::unknown(
            &acl.id,
            "two entries with one rule number",
        ));
    }
    let dir = if egress { "outbound" } else { "inbound" };
    let mut left = ports.clone();
    for e in entries {
        let Some(cidr) = e.cidr else { continue }; // an IPv6 entry never matches IPv4 traffic
        if !cidr.contains(peer) {
            continue;
        }
        let (lo, hi) = match e.proto.as_str() {
            "-1" => (0, 65535),
            p if p == proto.to_string() => e.ports.unwrap_or((0, 65535)),
            _ => continue,
        };
        if !left.intersects(lo, hi) {
            continue;
        }
        if !e.allow {
            return Err(Problem::unsafe_(
                Class::NetworkAcl,
                &acl.id,
                format!(
                    "{dir} rule {} denies {} {:?} for {}",
                    e.number,
                    proto_name(proto),
                    ports.0,
                    show(peer)
                ),
            ));
        }
        left = left.minus(lo, hi);
        if left.is_empty() {
            return Ok(());
        }
    }
    Err(Problem::unsafe_(
        Class::NetworkAcl,
        &acl.id,
        format!(
            "no {dir} rule allows {} {:?} for {} (default deny)",
            proto_name(proto),
            left.0,
            show(peer)
        ),
    ))
}

/// A NACL on a hop whose peer address the snapshot does not show (the PrivateLink side of an
/// endpoint or load balancer): it must allow the traffic for every possible peer.
pub fn nacl_any_peer(
    w: &World,
    subnet: &str,
    egress: bool,
    proto: u8,
    ports: &Ports,
) -> Result<(), Problem> {
    // Only the entries' own CIDRs cut the address space for this ACL.
    let mut cuts = Cuts::default();
    for n in w
        .nacls
        .iter()
        .filter(|n| n.subnets.iter().any(|s| s == subnet))
    {
        for e in &n.entries {
            if let Some(c) = e.cidr {
                cuts.add(c);
            }
        }
    }
    for peer in cuts.reps(Net::all()) {
        if let Err(p) = nacl(w, subnet, egress, peer, proto, ports) {
            return Err(Problem::unknown(
                &p.resource,
                format!(
                    "PrivateLink hop in {subnet}: the peer address is not in the snapshot and {}",
                    p.detail
                ),
            ));
        }
    }
    Ok(())
}

/// Security groups of `eni`, inbound: is `proto`/`port` from `src` allowed? `src_vpc` is the VPC
/// of the source when it is an instance that could carry a referenced group.
pub fn sg(
    w: &World,
    eni: &Eni,
    src: u32,
    src_vpc: Option<&str>,
    proto: u8,
    port: u32,
) -> Result<(), Problem> {
    if eni.groups.is_empty() {
        return Err(Problem::unknown(
            &eni.id,
            "interface without security groups",
        ));
    }
    let mut maybe = None;
    for gid in &eni.groups {
        let Some(g) = w.sgs.get(gid) else {
            return Err(Problem::unknown(gid, "security group not in the snapshot"));
        };
        if g.vpc != eni.vpc {
            return Err(Problem::unknown(gid, "security group of another VPC"));
        }
        for p in &g.ingress {
            let proto_ok = match p.proto.as_str() {
                "-1" | "all" => true,
                "tcp" | "6" => proto == TCP,
                "udp" | "17" => proto == UDP,
                _ => false,
            };
            if !proto_ok {
                continue;
            }
            if !matches!(p.proto.as_str(), "-1" | "all") {
                let (from, to) = (p.from.unwrap_or(-1), p.to.unwrap_or(-1));
                let all = from == -1 && to == -1;
                if !(all || (from..=to).contains(&(port as i64))) {
                    continue;
                }
            }
            if p.cidrs.iter().any(|c| c.contains(src)) {
                return Ok(());
            }
            for pl in &p.prefix_lists {
                match w.prefix_lists.get(pl) {
                    Some(nets) if nets.iter().any(|c| c.contains(src)) => return Ok(()),
                    Some(_) => {}
                    None => maybe = Some(format!("{gid} references prefix list {pl}")),
                }
            }
            if p.group_refs > 0 && src_vpc == Some(eni.vpc.as_str()) {
                maybe = Some(format!("{gid} references a security group"));
            }
        }
    }
    match maybe {
        Some(why) => Err(Problem::unknown(&eni.id, why)),
        None => Err(Problem::unsafe_(
            Class::SecurityGroup,
            &eni.groups.join(","),
            format!(
                "no inbound rule on {} allows {} {port} from {}",
                eni.id,
                proto_name(proto),
                show(src)
            ),
        )),
    }
}
