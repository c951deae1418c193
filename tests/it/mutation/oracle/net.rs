//! IPv4 addresses and prefixes as integers, and the representative addresses of a range.
//!
//! Every lookup the oracle does (VPC and TGW longest-prefix match, NACL and security-group CIDR
//! match) depends on an address only through the prefixes it falls in. Cutting a source range at
//! every prefix boundary that appears anywhere in the snapshot gives pieces on which every lookup
//! is constant, so one address per piece (its first) decides the whole piece exactly.
use std::collections::BTreeSet;
use std::net::Ipv4Addr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Net {
    pub addr: u32,
    pub len: u8,
}

impl Net {
    pub fn parse(text: &str) -> Option<Net> {
        let (ip, len) = text.split_once('/')?;
        let ip: Ipv4Addr = ip.parse().ok()?;
        let len: u8 = len.parse().ok()?;
        if len > 32 {
            return None;
        }
        let addr = u32::from(ip);
        let net = Net { addr, len };
        // AWS rejects a CIDR with host bits set; treat it as unparseable.
        (net.start() == addr).then_some(net)
    }
    pub fn mask(self) -> u32 {
        if self.len == 0 {
            0
        } else {
            u32::MAX << (32 - self.len)
        }
    }
    pub fn start(self) -> u32 {
        self.addr & self.mask()
    }
    pub fn end(self) -> u32 {
        self.start() | !self.mask()
    }
    pub fn contains(self, ip: u32) -> bool {
        ip & self.mask() == self.start()
    }
    pub fn all() -> Net {
        Net { addr: 0, len: 0 }
    }
}

impl std::fmt::Display for Net {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", Ipv4Addr::from(self.addr), self.len)
    }
}

pub fn ip(text: &str) -> Option<u32> {
    text.parse::<Ipv4Addr>().ok().map(u32::from)
}

pub fn show(ip: u32) -> String {
    Ipv4Addr::from(ip).to_string()
}

/// Prefix boundaries (first address, and one past the last) of every CIDR in the snapshot.
#[derive(Default)]
pub struct Cuts(BTreeSet<u64>);

impl Cuts {
    pub fn add(&mut self, net: Net) {
        self.0.insert(net.start() as u64);
        self.0.insert(net.end() as u64 + 1);
    }
    /// One address per piece of `range` (see the module comment).
    pub fn reps(&self, range: Net) -> Vec<u32> {
        let (lo, hi) = (range.start() as u64, range.end() as u64);
        let mut out = vec![range.start()];
        out.extend(self.0.range(lo + 1..=hi).map(|&b| b as u32));
        out
    }
}

/// A set of ports as sorted, disjoint inclusive ranges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ports(pub Vec<(u32, u32)>);

impl Ports {
    pub fn one(p: u32) -> Ports {
        Ports(vec![(p, p)])
    }
    pub fn range(lo: u32, hi: u32) -> Ports {
        Ports(vec![(lo, hi)])
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn intersects(&self, lo: u32, hi: u32) -> bool {
        self.0.iter().any(|&(a, b)| a <= hi && lo <= b)
    }
    /// Remove `lo..=hi` from the set.
    pub fn minus(&self, lo: u32, hi: u32) -> Ports {
        let mut out = Vec::new();
        for &(a, b) in &self.0 {
            if b < lo || a > hi {
                out.push((a, b));
                continue;
            }
            if a < lo {
                out.push((a, lo - 1));
            }
            if b > hi {
                out.push((hi + 1, b));
            }
        }
        Ports(out)
    }
}
