//! The oracle: an independent, small model of the AWS semantics the reference estate relies on,
//! written from the AWS documentation (each module starts with its table of rules and the page
//! each comes from). It reads the snapshot JSON with serde_json only and never calls pathproof.
//!
//! It decides whether an estate is private in the sense of the brief: every device/consumer subnet
//! and on-premises range reaches the IoT names it needs only through the approved interface
//! endpoint (DNS, routing both ways, security groups, NACLs both ways, the endpoint service chain),
//! on-premises arrives over private transport and resolves through a usable Resolver inbound
//! endpoint, the endpoint service admits only the consumers, and every IoT policy denies
//! data-plane requests that do not come through an approved endpoint. Anything it does not model
//! is *unknown*, which the harness treats like unsafe: it must not pass.
mod checks;
pub mod dns;
pub mod dnsx;
mod evidence;
mod filters;
pub mod iam;
pub mod net;
mod walk;
pub mod world;

use crate::mutation::snap::Snap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    Evidence,
    Intent,
    Internet,
    Nat,
    DnsPublic,
    DnsNoAnswer,
    NoPath,
    SecurityGroup,
    NetworkAcl,
    VpnInternet,
    ResolverInbound,
    Principals,
    NlbScheme,
    Target,
    Policy,
    /// Not modelled or inconsistent input: unknown.
    Unknown,
}

impl Class {
    /// The pathproof rules that report this AWS fact (README rule table). Used to show whether an
    /// unsafe mutant was caught for the reason the oracle found, not to decide the expectation.
    pub fn rules(self) -> &'static [&'static str] {
        match self {
            Class::Evidence => &["PP017"],
            Class::Intent => &["PP018"],
            Class::Internet => &["PP001"],
            Class::Nat => &["PP002"],
            Class::DnsPublic => &["PP003"],
            Class::DnsNoAnswer => &["PP004", "PP005"],
            Class::NoPath => &["PP005", "PP016"],
            Class::SecurityGroup => &["PP006"],
            Class::NetworkAcl => &["PP007"],
            Class::VpnInternet => &["PP008"],
            Class::ResolverInbound => &["PP009"],
            Class::Principals => &["PP010"],
            Class::NlbScheme => &["PP012"],
            Class::Target => &["PP013"],
            Class::Policy => &["PP014", "PP015"],
            Class::Unknown => &["PP015", "PP016", "PP017", "PP005"],
        }
    }
}

#[derive(Clone, Debug)]
pub struct Problem {
    pub unsafe_: bool,
    pub class: Class,
    pub resource: String,
    pub detail: String,
}

impl Problem {
    pub fn unsafe_(class: Class, resource: &str, detail: impl Into<String>) -> Problem {
        Problem {
            unsafe_: true,
            class,
            resource: resource.into(),
            detail: detail.into(),
        }
    }
    pub fn unknown(resource: &str, detail: impl Into<String>) -> Problem {
        Problem {
            unsafe_: false,
            class: Class::Unknown,
            resource: resource.into(),
            detail: detail.into(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} on {}: {}", self.class, self.resource, self.detail)
    }
}

#[derive(Clone, Debug)]
pub enum Verdict {
    /// Private; must pass.
    Safe,
    /// Private, but pathproof must say what it assumed: pass with these (rule, resource) warnings.
    Warn(Vec<(String, String)>),
    /// Not private; must not pass.
    Unsafe(Vec<Problem>),
    /// The oracle cannot tell; must not pass.
    Unknown(Vec<Problem>),
}

pub fn judge(snap: &Snap) -> Verdict {
    let gaps = evidence::gaps(snap);
    if !gaps.is_empty() {
        return Verdict::Unsafe(
            gaps.iter()
                .map(|g| Problem::unsafe_(Class::Evidence, g.split(':').next().unwrap(), g.clone()))
                .collect(),
        );
    }
    let w = world::World::build(snap);
    let mut c = checks::Checks::new(&w);
    c.run();
    let (problems, warnings) = (c.problems, c.warnings);
    if problems.iter().any(|p| p.unsafe_) {
        Verdict::Unsafe(problems.into_iter().filter(|p| p.unsafe_).collect())
    } else if !problems.is_empty() {
        Verdict::Unknown(problems)
    } else if !warnings.is_empty() {
        Verdict::Warn(warnings)
    } else {
        Verdict::Safe
    }
}
