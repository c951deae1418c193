//! Reporters: render a [`Report`] as a table, JSON, SARIF, JUnit XML, Markdown or HTML.
//!
//! Invariants: the only module that serialises findings; reporters never change the verdict;
//! every string from the snapshot reaches output through [`escape`] for its format.
use std::collections::BTreeMap;
use std::io::Write;

use crate::cli::Format;
use crate::verify::{PathVerdict, Report};

mod asff;
pub mod escape;
mod html;
mod json;
mod junit;
mod markdown;
mod ocsf;
mod sarif;
pub mod schema;
pub mod time;

/// Render `report` in `format`.
pub fn write(report: &Report, format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Table => table(report, out),
        Format::Json => {
            json::write(report, &mut *out)?;
            writeln!(out)
        }
        Format::Sarif => sarif::write(report, out),
        Format::Junit => junit::write(report, out),
        Format::Markdown => markdown::write(report, out),
        Format::Html => html::write(report, out),
        Format::Ocsf => ocsf::write(report, out),
        Format::Asff => asff::write(report, out),
    }
}

/// VPC Block Public Access per account and Region, as one line of plain text (escape it for
/// the format); context only.
pub fn block_public_access(report: &Report) -> String {
    if report.block_public_access.is_empty() {
        return "(not in the snapshot)".into();
    }
    report
        .block_public_access
        .iter()
        .map(|c| c.line())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The identity of a requirement (rule) that passed on this estate: the rule and the accounts
/// and Regions in scope.
pub fn pass_fingerprint(report: &Report, rule_id: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"pass\0");
    h.update(rule_id.as_bytes());
    let mut scope: Vec<String> = report
        .snapshot
        .targets
        .iter()
        .flat_map(|t| t.regions.iter().map(move |r| format!("{}/{r}", t.account)))
        .collect();
    scope.sort();
    for s in &scope {
        h.update([0]);
        h.update(s.as_bytes());
    }
    crate::snapshot::files::hex(&h.finalize())
}

/// The requirements (rules) with no finding in the report, in rule order.
pub fn passed_rules(report: &Report) -> Vec<&'static crate::rules::Rule> {
    crate::rules::all()
        .iter()
        .filter(|r| !report.findings.iter().any(|f| f.rule_id == r.id))
        .collect()
}

/// A passed rule proves its requirement only if nothing in the report is unproven: an unproven
/// path or missing evidence may hide what the rule looks for.
pub fn passes_are_proven(report: &Report) -> bool {
    !report
        .findings
        .iter()
        .any(|f| f.severity == crate::rules::Severity::Unproven)
}

/// What an AWS id prefix names: (prefix, ASFF `Resources[].Type` or `Other` where ASFF has
/// none, service and resource type of its ARN). The ARN formats are the Service Authorization
/// Reference's ("Resource types defined by Amazon EC2" and "… by Amazon Route 53 Resolver");
/// longer prefixes come before the shorter ones they extend. Not `pl-`: an AWS-managed prefix
/// list's ARN names the owner `aws`, not an account.
const ID_KINDS: &[(&str, &str, &str, &str)] = &[
    ("vpc-", "AwsEc2Vpc", "ec2", "vpc"),
    ("subnet-", "AwsEc2Subnet", "ec2", "subnet"),
    ("rtb-", "AwsEc2RouteTable", "ec2", "route-table"),
    ("sg-", "AwsEc2SecurityGroup", "ec2", "security-group"),
    ("acl-", "AwsEc2NetworkAcl", "ec2", "network-acl"),
    ("eni-", "AwsEc2NetworkInterface", "ec2", "network-interface"),
    (
        "vpce-svc-",
        "AwsEc2VpcEndpointService",
        "ec2",
        "vpc-endpoint-service",
    ),
    ("vpce-", "Other", "ec2", "vpc-endpoint"),
    ("vpn-", "AwsEc2VpnConnection", "ec2", "vpn-connection"),
    ("vgw-", "Other", "ec2", "vpn-gateway"),
    ("tgw-attach-", "Other", "ec2", "transit-gateway-attachment"),
    ("tgw-rtb-", "Other", "ec2", "transit-gateway-route-table"),
    ("tgw-ptb-", "Other", "ec2", "transit-gateway-policy-table"),
    ("tgw-", "AwsEc2TransitGateway", "ec2", "transit-gateway"),
    (
        "pcx-",
        "AwsEc2VpcPeeringConnection",
        "ec2",
        "vpc-peering-connection",
    ),
    ("igw-", "Other", "ec2", "internet-gateway"),
    ("eigw-", "Other", "ec2", "egress-only-internet-gateway"),
    ("nat-", "Other", "ec2", "natgateway"),
    ("rslvr-in-", "Other", "route53resolver", "resolver-endpoint"),
    (
        "rslvr-out-",
        "Other",
        "route53resolver",
        "resolver-endpoint",
    ),
    ("rslvr-rr-", "Other", "route53resolver", "resolver-rule"),
];

/// The resource type of an id, by its AWS prefix or ARN service (ASFF `Resources[].Type` names;
/// `Other` where ASFF has none).
pub fn resource_type(id: &str) -> &'static str {
    if id.starts_with("arn:") {
        return if id.contains(":elasticloadbalancing:") && id.contains(":loadbalancer/") {
            "AwsElbv2LoadBalancer"
        } else {
            "Other"
        };
    }
    ID_KINDS
        .iter()
        .find(|k| id.starts_with(k.0))
        .map_or("Other", |k| k.1)
}

/// The ARN of a resource pathproof names by its id, when its format is documented (see
/// [`ID_KINDS`]) and the finding has an account and a Region: ASFF and other consumers key
/// resources by ARN. Ids already ARNs are kept; anything else (IoT policy names, snapshot
/// files) has none.
pub fn resource_arn(id: &str, partition: &str, account: &str, region: &str) -> Option<String> {
    if id.starts_with("arn:") {
        return Some(id.to_string());
    }
    // Only plain ids (`vpc-0abc…`): placeholders of planned resources (`igw-planned:aws_…`)
    // and anything with a separator are not AWS ids.
    let plain = id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !plain || account.is_empty() || region.is_empty() {
        return None;
    }
    let &(_, _, service, kind) = ID_KINDS
        .iter()
        .find(|k| id.starts_with(k.0) && id.len() > k.0.len())?;
    Some(format!(
        "arn:{partition}:{service}:{region}:{account}:{kind}/{id}"
    ))
}

/// One row per (source, destination name): the worst verdict over its paths and one path.
pub struct Row<'r> {
    pub source: String,
    pub destination: &'r str,
    pub verdict: PathVerdict,
    pub path: String,
    pub count: usize,
}

pub fn rows(report: &Report) -> Vec<Row<'_>> {
    let mut grouped: BTreeMap<(String, &str), Vec<&crate::verify::PathRecord>> = BTreeMap::new();
    for p in &report.paths {
        grouped
            .entry((p.source.label(), p.destination.as_str()))
            .or_default()
            .push(p);
    }
    grouped
        .into_iter()
        .map(|((source, destination), paths)| {
            let worst = paths.iter().max_by_key(|p| p.verdict).copied();
            let verdict = worst.map(|p| p.verdict).unwrap_or(PathVerdict::Unproven);
            Row {
                source,
                destination,
                verdict,
                path: worst.map(|p| p.one_line()).unwrap_or_default(),
                count: paths.len(),
            }
        })
        .collect()
}

/// One control of a framework: the rules that map it and the findings of those rules.
pub struct ControlRow<'r> {
    pub control: &'static str,
    pub rules: Vec<&'static crate::rules::Rule>,
    pub findings: Vec<&'r crate::verify::Finding>,
}

impl ControlRow<'_> {
    /// `fail` (a violation or unproven finding), `warning`, or `no findings`.
    pub fn status(&self) -> &'static str {
        use crate::rules::Severity;
        if self
            .findings
            .iter()
            .any(|f| matches!(f.severity, Severity::Violation | Severity::Unproven))
        {
            "fail"
        } else if self
            .findings
            .iter()
            .any(|f| f.severity == Severity::Warning)
        {
            "warning"
        } else {
            "no findings"
        }
    }
}

/// The report's findings grouped by control, for each framework of [`crate::rules::FRAMEWORKS`]
/// (controls in natural order; a finding appears under every control its rule maps).
pub fn by_control(report: &Report) -> Vec<(&'static str, &'static str, Vec<ControlRow<'_>>)> {
    crate::rules::FRAMEWORKS
        .iter()
        .map(|&(id, name)| {
            let rows = crate::rules::coverage(id)
                .into_iter()
                .map(|(control, rules)| ControlRow {
                    control,
                    findings: report
                        .findings
                        .iter()
                        .filter(|f| rules.iter().any(|r| r.id == f.rule_id))
                        .collect(),
                    rules,
                })
                .collect();
            (id, name, rows)
        })
        .collect()
}

/// `framework: control, control; …` for a rule, frameworks with no control left out.
pub fn controls_line(controls: &BTreeMap<String, Vec<String>>) -> String {
    controls
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k} {}", v.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

fn table(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    use comfy_table::{presets, Cell, Color, ContentArrangement, Table};
    use escape::terminal;
    let digest = &report.snapshot.digest;
    writeln!(
        out,
        "pathproof: snapshot {} (sha256 {}, {} files)",
        terminal(&report.snapshot.path),
        terminal(digest.get(..16).unwrap_or(digest)),
        report.snapshot.file_count
    )?;
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(160)
        .set_header(vec!["source", "destination", "verdict", "paths", "path"]);
    for r in rows(report) {
        let color = match r.verdict {
            PathVerdict::Private => Color::Green,
            PathVerdict::Unproven => Color::Yellow,
            PathVerdict::Violation => Color::Red,
        };
        t.add_row(vec![
            Cell::new(terminal(&r.source)),
            Cell::new(terminal(r.destination)),
            Cell::new(r.verdict.as_str()).fg(color),
            Cell::new(r.count),
            Cell::new(terminal(&r.path)),
        ]);
    }
    if report.paths.is_empty() {
        writeln!(out, "no paths examined")?;
    } else {
        writeln!(out, "{t}")?;
    }
    if !report.findings.is_empty() {
        let mut f = Table::new();
        f.load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(160)
            .set_header(vec![
                "rule",
                "severity",
                "resource",
                "fingerprint",
                "finding",
            ]);
        for x in &report.findings {
            let msg = if x.paths.len() > 1 {
                format!("{} (and {} more paths)", x.message, x.paths.len() - 1)
            } else {
                x.message.clone()
            };
            let msg = match crate::gate::status_text(x.suppressed.as_ref()) {
                Some(status) => format!("[{status}] {msg}"),
                None => msg,
            };
            f.add_row(vec![
                Cell::new(format!("{} {}", x.rule_id, x.rule_name)),
                Cell::new(x.severity.as_str()),
                Cell::new(terminal(&x.resource)),
                Cell::new(&x.fingerprint),
                Cell::new(terminal(&msg)),
            ]);
        }
        writeln!(out, "{f}")?;
    }
    if let Some(g) = &report.gate {
        writeln!(
            out,
            "gate (today {}): {} new, {} baselined, {} waived, {} expired waivers, {} unmatched waivers",
            g.today,
            g.new,
            g.baselined,
            g.waived,
            g.expired.len(),
            g.unmatched.len()
        )?;
        for n in g.expired.iter().chain(&g.unmatched) {
            writeln!(out, "  {}", terminal(&n.message))?;
        }
    }
    for (name, why) in &report.intent.accepted_authorizers {
        writeln!(
            out,
            "accepted by intent: custom authorizer {} — {}",
            terminal(name),
            terminal(why)
        )?;
    }
    // Context only (it never changes the verdict).
    writeln!(
        out,
        "block public access: {}",
        terminal(&block_public_access(report))
    )?;
    let s = &report.summary;
    writeln!(
        out,
        "verdict: {} — {} of {} paths private; {} violations, {} unproven, {} warnings",
        s.verdict.to_uppercase(),
        s.paths_private,
        s.paths,
        s.violations,
        s.unproven,
        s.warnings
    )
}

#[cfg(test)]
mod tests {
    use super::{resource_arn, resource_type};

    /// Service Authorization Reference, "Resource types defined by Amazon EC2" /
    /// "… by Amazon Route 53 Resolver": `arn:${Partition}:ec2:${Region}:${Account}:vpc/${VpcId}`,
    /// `…:natgateway/${NatGatewayId}`, `…:route53resolver:…:resolver-endpoint/${ResolverEndpointId}`.
    #[test]
    fn asff_types_by_id_prefix() {
        // ASFF has types for these (Security Hub "Resources" attributes); a Transit Gateway's
        // attachments and route and policy tables are not the gateway itself.
        for (id, ty) in [
            ("vpc-0a", "AwsEc2Vpc"),
            ("vpce-svc-0a", "AwsEc2VpcEndpointService"),
            ("vpce-0a", "Other"),
            ("tgw-0a", "AwsEc2TransitGateway"),
            ("tgw-attach-0a", "Other"),
            ("tgw-rtb-0a", "Other"),
            ("tgw-ptb-0a", "Other"),
            ("pcx-0a", "AwsEc2VpcPeeringConnection"),
            ("rslvr-in-0a", "Other"),
            (
                "arn:aws:elasticloadbalancing:us-west-2:1:loadbalancer/net/n/1",
                "AwsElbv2LoadBalancer",
            ),
            ("arn:aws:iot:us-west-2:1:policy/p", "Other"),
            ("device-policy", "Other"),
        ] {
            assert_eq!(resource_type(id), ty, "{id}");
        }
    }

    #[test]
    fn arns_of_documented_resource_types() {
        let a = |id| resource_arn(id, "aws", "111111111111", "us-west-2");
        assert_eq!(
            a("vpc-0a1b").as_deref(),
            Some("arn:aws:ec2:us-west-2:111111111111:vpc/vpc-0a1b")
        );
        assert_eq!(
            a("vpce-svc-0a1b").as_deref(),
            Some("arn:aws:ec2:us-west-2:111111111111:vpc-endpoint-service/vpce-svc-0a1b")
        );
        assert_eq!(
            a("vpce-0a1b").as_deref(),
            Some("arn:aws:ec2:us-west-2:111111111111:vpc-endpoint/vpce-0a1b")
        );
        assert_eq!(
            a("tgw-attach-0a").as_deref(),
            Some("arn:aws:ec2:us-west-2:111111111111:transit-gateway-attachment/tgw-attach-0a")
        );
        assert_eq!(
            a("nat-0a").as_deref(),
            Some("arn:aws:ec2:us-west-2:111111111111:natgateway/nat-0a")
        );
        assert_eq!(
            a("rslvr-in-0a").as_deref(),
            Some("arn:aws:route53resolver:us-west-2:111111111111:resolver-endpoint/rslvr-in-0a")
        );
        assert_eq!(
            resource_arn("subnet-1", "aws-cn", "1", "cn-north-1").as_deref(),
            Some("arn:aws-cn:ec2:cn-north-1:1:subnet/subnet-1")
        );
        // Kept: ARNs. None: names, files, placeholders, no account or Region, a bare prefix.
        assert_eq!(
            a("arn:aws:iot:us-west-2:1:policy/p").as_deref(),
            Some("arn:aws:iot:us-west-2:1:policy/p")
        );
        for id in [
            "DevicePolicy",
            "111111111111/us-west-2/iot/get-policy/x.json",
            "igw-planned:aws_internet_gateway.edge",
            "vpc-",
            "pl-0123abcd",
            "Z0123ABC",
        ] {
            assert_eq!(a(id), None, "{id}");
        }
        assert_eq!(resource_arn("vpc-1", "aws", "", "us-west-2"), None);
        assert_eq!(resource_arn("vpc-1", "aws", "1", ""), None);
    }
}
