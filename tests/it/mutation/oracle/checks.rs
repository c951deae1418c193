//! What must hold for the estate to be private, assembled from the rules of the other modules.
//!
//! | rule | source |
//! |---|---|
//! | Roles come from the VPC tag `pathproof:role`; approved endpoints are the iot.data interface endpoints of gatekeeper VPCs; sources are the device/consumer subnets that are not TGW attachment subnets, and on-premises ranges behind Direct Connect/VPN attachments (TGW routes to them) | README "Intent", docs/snapshot-layout.md "Intent" |
//! | Devices and on-premises need the IoT data endpoint (8883, 443) and, when the gatekeeper has one, the credentials endpoint (443); consumers need the data endpoint | README "What is proven" |
//! | The reply must come back the same private way (stateless NACLs, routes both ways) | https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html |
//! | On-premises resolves through a Resolver inbound endpoint: every address must be OPERATIONAL/ATTACHED and allow DNS over UDP and TCP 53 in, with a route and NACLs both ways | https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-forwarding-inbound-queries.html, https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/best-practices-resolver-endpoint-scaling.html |
//! | A Resolver endpoint has at least two IP addresses | https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_CreateResolverEndpoint.html |
//! | A Site-to-Site VPN is private only with OutsideIpAddressType PrivateIpv4 over a Direct Connect transport attachment | https://docs.aws.amazon.com/vpn/latest/s2svpn/private-ip-dx.html |
//! | A consumer's interface endpoint reaches the endpoint service whose ServiceName it names, once `available` (accepted) | https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html, .../accept-reject-endpoint-requests.html |
//! | The endpoint service forwards to its NLB; the listener on the port forwards to its target groups; IP targets receive the traffic | https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html, .../load-balancer-target-groups.html |
//! | For IP targets over TCP (and always for PrivateLink traffic) the target sees the NLB node's private address as the source | https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#client-ip-preservation |
//! | An internet-facing load balancer has public addresses | https://docs.aws.amazon.com/elasticloadbalancing/latest/network/network-load-balancers.html#load-balancer-scheme |
//! | Allowed principals: `*` admits every account; an ARN admits its account | https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html#add-remove-permissions |
//! | AcceptanceRequired false accepts every allowed principal without review (a warning, PP011) | https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html#accept-reject-connection-requests |
use super::dns::{self, Ctx};
use super::filters::{self, nacl_any_peer, TCP, UDP};
use super::iam;
use super::net::{ip, show, Ports};
use super::walk::{self, Arrival, Flow};
use super::world::{s, World};
use super::{Class, Problem};
use std::collections::BTreeSet;

const MQTT: [u32; 2] = [8883, 443];
const CRED: [u32; 1] = [443];

fn ephemeral() -> Ports {
    Ports::range(1024, 65535)
}

#[derive(Clone, Copy, PartialEq)]
enum Want {
    Data,
    Cred,
}

pub struct Checks<'w> {
    w: &'w World,
    pub problems: Vec<Problem>,
    pub warnings: Vec<(String, String)>,
    seen: BTreeSet<String>,
    approved: Vec<String>,
    gatekeepers: Vec<String>,
    devices: Vec<String>,
    consumers: Vec<String>,
    consumer_accounts: BTreeSet<String>,
    iot_account: String,
    region: String,
    data_name: String,
    cred_name: Option<String>,
    chains_done: BTreeSet<(String, u32)>,
}

impl<'w> Checks<'w> {
    pub fn new(w: &'w World) -> Checks<'w> {
        Checks {
            w,
            problems: Vec::new(),
            warnings: Vec::new(),
            seen: BTreeSet::new(),
            approved: Vec::new(),
            gatekeepers: Vec::new(),
            devices: Vec::new(),
            consumers: Vec::new(),
            consumer_accounts: BTreeSet::new(),
            iot_account: String::new(),
            region: String::new(),
            data_name: String::new(),
            cred_name: None,
            chains_done: BTreeSet::new(),
        }
    }

    fn push(&mut self, p: Problem) {
        if self.seen.insert(p.to_string()) {
            self.problems.push(p);
        }
    }

    fn take<T>(&mut self, r: Result<T, Problem>) -> Option<T> {
        match r {
            Ok(x) => Some(x),
            Err(p) => {
                self.push(p);
                None
            }
        }
    }

    pub fn run(&mut self) {
        for i in self.w.inconsistent.clone() {
            self.push(Problem::unknown("snapshot", i));
        }
        if !self.intent() {
            return;
        }
        self.dns_settings_warnings();
        self.devices();
        self.consumers();
        self.onprem();
        self.services();
        self.policies();
    }

    fn role(&self, role: &str) -> Vec<String> {
        self.w
            .vpcs
            .iter()
            .filter(|(_, v)| v.role.as_deref() == Some(role))
            .map(|(id, _)| id.clone())
            .collect()
    }

    fn intent(&mut self) -> bool {
        let w = self.w;
        self.gatekeepers = self.role("gatekeeper");
        self.devices = self.role("device");
        self.consumers = self.role("consumer");
        if self.gatekeepers.is_empty() || (self.devices.is_empty() && self.consumers.is_empty()) {
            self.push(Problem::unsafe_(
                Class::Intent,
                "snapshot",
                "no gatekeeper or no source VPC",
            ));
            return false;
        }
        let gk = &w.vpcs[&self.gatekeepers[0]];
        self.iot_account = gk.account.clone();
        self.region = gk.region.clone();
        let Some(data) = w
            .iot_endpoints
            .get(&(self.iot_account.clone(), "iot-data-ats".into()))
        else {
            self.push(Problem::unsafe_(
                Class::Intent,
                "snapshot",
                "no IoT data endpoint name",
            ));
            return false;
        };
        self.data_name = data.clone();
        let svc = |x: &str| format!("com.amazonaws.{}.iot.{x}", self.region);
        let in_gk = |v: &str| self.gatekeepers.iter().any(|g| g == v);
        self.approved = w
            .vpces
            .values()
            .filter(|e| in_gk(&e.vpc) && e.kind == "Interface" && e.service == svc("data"))
            .map(|e| e.id.clone())
            .collect();
        if self.approved.is_empty() {
            self.push(Problem::unsafe_(
                Class::Intent,
                "snapshot",
                "no approved iot.data endpoint",
            ));
            return false;
        }
        if w.vpces
            .values()
            .any(|e| in_gk(&e.vpc) && e.service == svc("credentials"))
        {
            self.cred_name = w
                .iot_endpoints
                .get(&(self.iot_account.clone(), "iot-credentialprovider".into()))
                .cloned();
        }
        self.consumer_accounts = self
            .consumers
            .iter()
            .map(|v| w.vpcs[v].account.clone())
            .collect();
        true
    }

    fn dns_settings_warnings(&mut self) {
        let w = self.w;
        for v in self.devices.iter().chain(&self.consumers) {
            let vpc = &w.vpcs[v];
            let dhcp = w
                .dhcp_files
                .contains(&format!("{}/{}", vpc.account, vpc.region));
            let attrs = w
                .dns_attrs
                .get(v)
                .is_some_and(|a| a.0.is_some() && a.1.is_some());
            if !dhcp || !attrs {
                self.warnings.push(("PP019".into(), v.clone()));
            }
        }
    }

    fn tgw_subnets(&self) -> BTreeSet<String> {
        self.w
            .vpc_attachments
            .values()
            .flat_map(|a| a.subnets.iter().cloned())
            .collect()
    }

    fn sources(&self, vpc: &str) -> Vec<String> {
        let tgw = self.tgw_subnets();
        self.w
            .subnets
            .iter()
            .filter(|(id, s)| s.vpc == vpc && !tgw.contains(*id))
            .map(|(id, _)| id.clone())
            .collect()
    }

    fn names(&self) -> Vec<(String, &'static [u32], Want)> {
        let mut out = vec![(self.data_name.clone(), &MQTT[..], Want::Data)];
        if let Some(c) = &self.cred_name {
            out.push((c.clone(), &CRED[..], Want::Cred));
        }
        out
    }

    fn devices(&mut self) {
        let w = self.w;
        for v in self.devices.clone() {
            for subnet in self.sources(&v) {
                let Some(cidr) = w.subnets[&subnet].cidr else {
                    continue;
                };
                for (name, ports, want) in self.names() {
                    let ctx = Ctx { w, instances: true };
                    let Some(ips) = self.take(dns::resolve(&ctx, &v, &name, 0)) else {
                        continue;
                    };
                    if ips.is_empty() {
                        self.push(Problem::unsafe_(
                            Class::DnsNoAnswer,
                            &v,
                            format!("{name}: no address"),
                        ));
                    }
                    for dst in ips {
                        for &port in ports {
                            for rep in w.cuts.reps(cidr) {
                                self.vpc_flow(&subnet, &v, rep, dst, port, want);
                            }
                        }
                    }
                }
            }
        }
    }

    /// One TCP connection from `rep` in a device subnet to `dst`, and its reply.
    fn vpc_flow(&mut self, subnet: &str, vpc: &str, rep: u32, dst: u32, port: u32, want: Want) {
        let w = self.w;
        let flow = Flow {
            src: rep,
            dst,
            proto: TCP,
            ports: Ports::one(port),
        };
        let Some(arrivals) = self.take(walk::from_subnet(w, subnet, &flow, false, 0)) else {
            return;
        };
        for a in arrivals {
            let Arrival::Eni(eni) = a else {
                self.push(Problem::unsafe_(
                    Class::NoPath,
                    subnet,
                    format!("{} ends at {a:?}, not an IoT endpoint", show(dst)),
                ));
                continue;
            };
            if !self.at_target(&eni, want, rep, Some(vpc), port) {
                continue;
            }
            self.reply(&eni, dst, rep, TCP, |a| match a {
                Arrival::Subnet(x) => x == subnet,
                Arrival::Eni(e) => w.enis[e].subnet == subnet,
                Arrival::OnPrem(_) => false,
            });
        }
    }

    /// The reply from the ENI that owns `from` back to `to`; every way it can go must be `ok`.
    fn reply(&mut self, eni: &str, from: u32, to: u32, proto: u8, ok: impl Fn(&Arrival) -> bool) {
        let w = self.w;
        let back = Flow {
            src: from,
            dst: to,
            proto,
            ports: ephemeral(),
        };
        let subnet = w.enis[eni].subnet.clone();
        let Some(arrivals) = self.take(walk::from_subnet(w, &subnet, &back, false, 0)) else {
            return;
        };
        for a in arrivals {
            if !ok(&a) {
                self.push(Problem::unsafe_(
                    Class::NoPath,
                    &subnet,
                    format!(
                        "the reply from {} to {} ends at {a:?}",
                        show(from),
                        show(to)
                    ),
                ));
            }
        }
    }

    /// The path reached `eni`: an interface endpoint, or an internal NLB in front of one (the
    /// NLB forwards the connection to its targets; no security group on an NLB without one).
    fn at_target(
        &mut self,
        eni_id: &str,
        want: Want,
        src: u32,
        src_vpc: Option<&str>,
        port: u32,
    ) -> bool {
        let w = self.w;
        if w.enis[eni_id].kind != "network_load_balancer" {
            return self.at_endpoint(eni_id, want, src, src_vpc, port);
        }
        let ips = w.enis[eni_id].ips.clone();
        let Some(lb) = w
            .lbs
            .iter()
            .find(|l| l.nodes.iter().any(|(_, ip)| ips.contains(ip)))
        else {
            self.push(Problem::unknown(
                eni_id,
                "load balancer ENI of a load balancer not in the snapshot",
            ));
            return false;
        };
        let before = self.problems.len();
        self.load_balancer(&lb.arn, port, want);
        self.problems.len() == before
    }

    /// The path reached `eni`: is it the endpoint `want` needs, and does its security group let
    /// the connection in? Returns whether the path is good so far.
    fn at_endpoint(
        &mut self,
        eni_id: &str,
        want: Want,
        src: u32,
        src_vpc: Option<&str>,
        port: u32,
    ) -> bool {
        let w = self.w;
        let eni = &w.enis[eni_id];
        let ep = w
            .vpces
            .values()
            .find(|e| e.enis.iter().any(|x| x == eni_id));
        let svc_cred = format!("com.amazonaws.{}.iot.credentials", self.region);
        let good = ep.is_some_and(|e| match want {
            Want::Data => self.approved.contains(&e.id),
            Want::Cred => self.gatekeepers.contains(&e.vpc) && e.service == svc_cred,
        });
        let Some(ep) = ep.filter(|_| good) else {
            self.push(Problem::unsafe_(
                Class::NoPath,
                eni_id,
                format!(
                    "the path ends at {eni_id} ({}), not the IoT endpoint it needs",
                    eni.kind
                ),
            ));
            return false;
        };
        self.endpoint_usable(ep.id.as_str(), eni_id) && self.sg(eni_id, src, src_vpc, TCP, port)
    }

    fn endpoint_usable(&mut self, ep_id: &str, eni_id: &str) -> bool {
        let w = self.w;
        let ep = &w.vpces[ep_id];
        let eni = &w.enis[eni_id];
        if ep.state != "available" {
            self.push(Problem::unsafe_(
                Class::NoPath,
                ep_id,
                format!("endpoint is {}", ep.state),
            ));
            return false;
        }
        let (mut a, mut b) = (eni.groups.clone(), ep.groups.clone());
        a.sort();
        b.sort();
        if ep.kind != "Interface" || eni.kind != "vpc_endpoint" || eni.vpc != ep.vpc || a != b {
            self.push(Problem::unknown(
                ep_id,
                "endpoint and its ENI disagree (type, VPC or groups)",
            ));
            return false;
        }
        true
    }

    fn sg(&mut self, eni: &str, src: u32, src_vpc: Option<&str>, proto: u8, port: u32) -> bool {
        let r = filters::sg(self.w, &self.w.enis[eni], src, src_vpc, proto, port);
        self.take(r).is_some()
    }

    fn consumers(&mut self) {
        let w = self.w;
        for v in self.consumers.clone() {
            for subnet in self.sources(&v) {
                let Some(cidr) = w.subnets[&subnet].cidr else {
                    continue;
                };
                let ctx = Ctx { w, instances: true };
                let name = self.data_name.clone();
                let Some(ips) = self.take(dns::resolve(&ctx, &v, &name, 0)) else {
                    continue;
                };
                if ips.is_empty() {
                    self.push(Problem::unsafe_(
                        Class::DnsNoAnswer,
                        &v,
                        format!("{name}: no address"),
                    ));
                }
                for dst in ips {
                    for port in MQTT {
                        for rep in w.cuts.reps(cidr) {
                            self.consumer_flow(&subnet, &v, rep, dst, port);
                        }
                    }
                }
            }
        }
    }

    fn consumer_flow(&mut self, subnet: &str, vpc: &str, rep: u32, dst: u32, port: u32) {
        let w = self.w;
        let flow = Flow {
            src: rep,
            dst,
            proto: TCP,
            ports: Ports::one(port),
        };
        let Some(arrivals) = self.take(walk::from_subnet(w, subnet, &flow, false, 0)) else {
            return;
        };
        for a in arrivals {
            let Arrival::Eni(eni_id) = &a else {
                self.push(Problem::unsafe_(
                    Class::NoPath,
                    subnet,
                    format!("{} ends at {a:?}", show(dst)),
                ));
                continue;
            };
            let ep = w
                .vpces
                .values()
                .find(|e| e.enis.iter().any(|x| x == eni_id));
            let Some(ep) = ep.filter(|e| e.vpc == vpc) else {
                self.push(Problem::unsafe_(
                    Class::NoPath,
                    eni_id,
                    format!("the consumer path ends at {eni_id}, not at its interface endpoint"),
                ));
                continue;
            };
            if !self.endpoint_usable(&ep.id, eni_id) || !self.sg(eni_id, rep, Some(vpc), TCP, port)
            {
                continue;
            }
            self.reply(eni_id, dst, rep, TCP, |a| match a {
                Arrival::Subnet(x) => x == subnet,
                Arrival::Eni(e) => w.enis[e].subnet == subnet,
                Arrival::OnPrem(_) => false,
            });
            if self.approved.contains(&ep.id) {
                continue;
            }
            let Some(svc) = w.services.values().find(|s| s.name == ep.service) else {
                if ep.service.contains(".iot.") {
                    self.push(Problem::unsafe_(
                        Class::NoPath,
                        &ep.id,
                        format!("{} is not an approved endpoint", ep.id),
                    ));
                } else {
                    self.push(Problem::unknown(
                        &ep.id,
                        format!("endpoint service {} not in the snapshot", ep.service),
                    ));
                }
                continue;
            };
            let eni_subnet = w.enis[eni_id].subnet.clone();
            let r = nacl_any_peer(w, &eni_subnet, true, TCP, &Ports::one(port))
                .and_then(|_| nacl_any_peer(w, &eni_subnet, false, TCP, &ephemeral()));
            self.take(r);
            if self.chains_done.insert((svc.id.clone(), port)) {
                self.service_chain(&svc.id, port);
            }
        }
    }

    fn service_chain(&mut self, svc_id: &str, port: u32) {
        let w = self.w;
        let svc = &w.services[svc_id];
        if svc.state != "Available" {
            self.push(Problem::unsafe_(
                Class::NoPath,
                svc_id,
                format!("endpoint service is {}", svc.state),
            ));
            return;
        }
        if svc.gwlbs > 0 {
            self.push(Problem::unknown(
                svc_id,
                "Gateway Load Balancer endpoint service",
            ));
            return;
        }
        if svc.nlbs.is_empty() {
            self.push(Problem::unsafe_(
                Class::NoPath,
                svc_id,
                "endpoint service without a load balancer",
            ));
        }
        for arn in svc.nlbs.clone() {
            self.load_balancer(&arn, port, Want::Data);
        }
    }

    /// An NLB receiving a connection on `port`: internal, a TCP listener, forwarding to targets
    /// that are addresses of the endpoint `want` needs, reachable from every node.
    fn load_balancer(&mut self, arn: &str, port: u32, want: Want) {
        let w = self.w;
        {
            let arn = &arn.to_string();
            let Some(lb) = w.lbs.iter().find(|l| l.arn == *arn) else {
                self.push(Problem::unknown(arn, "load balancer not in the snapshot"));
                return;
            };
            if lb.kind != "network" {
                self.push(Problem::unknown(arn, format!("{} load balancer", lb.kind)));
                return;
            }
            if lb.state != "active" {
                self.push(Problem::unsafe_(
                    Class::NoPath,
                    arn,
                    format!("load balancer is {}", lb.state),
                ));
                return;
            }
            if lb.scheme != "internal" {
                self.push(Problem::unsafe_(
                    Class::NlbScheme,
                    arn,
                    format!("scheme {}", lb.scheme),
                ));
            }
            let listeners = w.listeners.get(arn).cloned().unwrap_or_default();
            let Some(l) = listeners
                .iter()
                .find(|l| l["Port"].as_u64() == Some(port as u64))
            else {
                self.push(Problem::unsafe_(
                    Class::NoPath,
                    arn,
                    format!("no listener on {port}"),
                ));
                return;
            };
            if !matches!(s(l, "Protocol"), "TCP" | "TCP_UDP") {
                self.push(Problem::unknown(
                    arn,
                    format!("{} listener on {port}", s(l, "Protocol")),
                ));
                return;
            }
            let mut tgs = Vec::new();
            for a in l["DefaultActions"].as_array().into_iter().flatten() {
                if s(a, "Type") != "forward" {
                    self.push(Problem::unknown(
                        arn,
                        format!("listener action {}", s(a, "Type")),
                    ));
                    return;
                }
                if !s(a, "TargetGroupArn").is_empty() {
                    tgs.push(s(a, "TargetGroupArn").to_string());
                }
                for t in a["ForwardConfig"]["TargetGroups"]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    tgs.push(s(t, "TargetGroupArn").to_string());
                }
            }
            tgs.sort();
            tgs.dedup();
            if tgs.is_empty() {
                self.push(Problem::unsafe_(
                    Class::NoPath,
                    arn,
                    format!("listener {port} forwards nowhere"),
                ));
            }
            let nodes = lb.nodes.clone();
            if nodes.is_empty() {
                self.push(Problem::unknown(
                    arn,
                    "load balancer node addresses not in the snapshot",
                ));
                return;
            }
            for (node_subnet, _) in &nodes {
                let r = nacl_any_peer(w, node_subnet, false, TCP, &Ports::one(port))
                    .and_then(|_| nacl_any_peer(w, node_subnet, true, TCP, &ephemeral()));
                self.take(r);
            }
            for tg_arn in tgs {
                self.target_group(&tg_arn, port, &nodes, want);
            }
        }
    }

    /// The ENI with `addr` of an endpoint `want` accepts (approved iot.data, or credentials).
    fn wanted_eni(&self, addr: u32, want: Want) -> Option<String> {
        let svc_cred = format!("com.amazonaws.{}.iot.credentials", self.region);
        self.w
            .enis
            .values()
            .find(|e| {
                e.ips.contains(&addr)
                    && self.w.vpces.values().any(|v| {
                        v.enis.contains(&e.id)
                            && match want {
                                Want::Data => self.approved.contains(&v.id),
                                Want::Cred => {
                                    self.gatekeepers.contains(&v.vpc) && v.service == svc_cred
                                }
                            }
                    })
            })
            .map(|e| e.id.clone())
    }

    fn target_group(&mut self, tg_arn: &str, port: u32, nodes: &[(String, u32)], want: Want) {
        let w = self.w;
        let Some(tg) = w.tgs.get(tg_arn) else {
            self.push(Problem::unknown(tg_arn, "target group not in the snapshot"));
            return;
        };
        if tg.target_type != "ip" {
            self.push(Problem::unsafe_(
                Class::Target,
                &tg.arn,
                format!(
                    "target type {}: not the endpoint's addresses",
                    tg.target_type
                ),
            ));
            return;
        }
        if !matches!(tg.protocol.as_str(), "TCP" | "TCP_UDP") {
            self.push(Problem::unknown(
                &tg.arn,
                format!("{} target group", tg.protocol),
            ));
            return;
        }
        let targets = tg.targets.clone().unwrap_or_default();
        if targets.is_empty() {
            self.push(Problem::unsafe_(
                Class::NoPath,
                &tg.arn,
                format!("{} has no targets", tg.name),
            ));
        }
        for (id, tport) in targets {
            let Some(addr) = ip(&id) else {
                self.push(Problem::unsafe_(
                    Class::Target,
                    &tg.arn,
                    format!("target {id} is not an address"),
                ));
                continue;
            };
            let Some(eni) = self.wanted_eni(addr, want) else {
                self.push(Problem::unsafe_(
                    Class::Target,
                    &tg.arn,
                    format!("target {id} is not an address of an approved iot.data endpoint"),
                ));
                continue;
            };
            let tport = tport.map(|p| p as u32).unwrap_or(port);
            if tport != port {
                self.push(Problem::unknown(
                    &tg.arn,
                    format!("listener {port} forwards to target port {tport}"),
                ));
                continue;
            }
            for (node_subnet, node_ip) in nodes {
                let flow = Flow {
                    src: *node_ip,
                    dst: addr,
                    proto: TCP,
                    ports: Ports::one(tport),
                };
                let Some(arrivals) = self.take(walk::from_subnet(w, node_subnet, &flow, false, 0))
                else {
                    continue;
                };
                for a in arrivals {
                    if a != Arrival::Eni(eni.clone()) {
                        self.push(Problem::unsafe_(
                            Class::NoPath,
                            node_subnet,
                            format!("load balancer traffic to {id} ends at {a:?}"),
                        ));
                        continue;
                    }
                    if !self.at_endpoint(&eni, want, *node_ip, None, tport) {
                        continue;
                    }
                    let node_subnet = node_subnet.clone();
                    self.reply(&eni, addr, *node_ip, TCP, |a| match a {
                        Arrival::Subnet(x) => *x == node_subnet,
                        Arrival::Eni(e) => w.enis[e].subnet == node_subnet,
                        Arrival::OnPrem(_) => false,
                    });
                }
            }
        }
    }

    fn onprem(&mut self) {
        let w = self.w;
        let atts: Vec<String> = w
            .attachments
            .iter()
            .filter(|(_, a)| matches!(a.kind.as_str(), "direct-connect-gateway" | "vpn"))
            .map(|(id, _)| id.clone())
            .collect();
        let mut ranges = BTreeSet::new();
        for rtb in w.tgw_rtbs.values() {
            for r in &rtb.routes {
                if r.state != "active" {
                    continue;
                }
                for a in &r.atts {
                    if let (Some(d), true) = (r.dest, atts.contains(a)) {
                        ranges.insert((d, a.clone()));
                    }
                }
            }
        }
        for a in &atts {
            if !ranges.iter().any(|(_, x)| x == a) {
                self.push(Problem::unknown(
                    a,
                    "on-premises attachment without a route: its ranges are unknown",
                ));
            }
        }
        if ranges.is_empty() {
            return;
        }
        let inbound: Vec<usize> = w
            .resolver_endpoints
            .iter()
            .enumerate()
            .filter(|(_, e)| e.direction == "INBOUND" && self.devices.contains(&e.vpc))
            .map(|(i, _)| i)
            .collect();
        if inbound.is_empty() {
            let vpc = self
                .devices
                .first()
                .cloned()
                .unwrap_or_else(|| "snapshot".into());
            self.push(Problem::unsafe_(
                Class::ResolverInbound,
                &vpc,
                "no Resolver inbound endpoint",
            ));
        }
        for (range, att) in ranges {
            self.transport(&att);
            for &i in &inbound {
                self.resolver_leg(i, range, &att);
                let vpc = w.resolver_endpoints[i].vpc.clone();
                for (name, ports, want) in self.names() {
                    let ctx = Ctx {
                        w,
                        instances: false,
                    };
                    let Some(ips) = self.take(dns::resolve(&ctx, &vpc, &name, 0)) else {
                        continue;
                    };
                    for dst in ips {
                        for &port in ports {
                            for rep in w.cuts.reps(range) {
                                self.onprem_flow(&att, rep, dst, port, want);
                            }
                        }
                    }
                }
            }
        }
    }

    fn transport(&mut self, att: &str) {
        let w = self.w;
        let a = &w.attachments[att];
        if a.state != "available" {
            self.push(Problem::unsafe_(
                Class::NoPath,
                att,
                format!("attachment is {}", a.state),
            ));
        }
        if a.kind != "vpn" {
            return;
        }
        let Some(vpn) = w.vpns.get(&a.resource) else {
            self.push(Problem::unknown(
                att,
                format!("VPN {} not in the snapshot", a.resource),
            ));
            return;
        };
        let over_dx = w
            .attachments
            .get(&vpn.transport)
            .is_some_and(|t| t.kind == "direct-connect-gateway");
        if vpn.outside != "PrivateIpv4" || !over_dx {
            self.push(Problem::unsafe_(
                Class::VpnInternet,
                &vpn.id,
                format!(
                    "outside addresses {:?} over {:?}",
                    vpn.outside, vpn.transport
                ),
            ));
        }
        if vpn.state != "available" {
            self.push(Problem::unsafe_(
                Class::NoPath,
                &vpn.id,
                format!("VPN is {}", vpn.state),
            ));
        }
    }

    fn resolver_leg(&mut self, i: usize, range: super::net::Net, att: &str) {
        let w = self.w;
        let ep = &w.resolver_endpoints[i];
        match ep.status.as_str() {
            // UPDATING: network interfaces are being associated or disassociated; the
            // addresses' own statuses say which ones answer.
            "OPERATIONAL" | "UPDATING" => {}
            "CREATING" | "DELETING" | "ACTION_NEEDED" => {
                self.push(Problem::unsafe_(
                    Class::ResolverInbound,
                    &ep.id,
                    format!("endpoint is {}", ep.status),
                ));
                return;
            }
            other => {
                self.push(Problem::unknown(&ep.id, format!("endpoint is {other}")));
                return;
            }
        }
        let ips = ep.ips.clone().unwrap_or_default();
        if ep.count != ips.len() as i64 || ips.len() < 2 {
            self.push(Problem::unknown(
                &ep.id,
                "IpAddressCount and the address list disagree, or fewer than two",
            ));
        }
        if !ips.iter().any(|(_, _, st)| st == "ATTACHED") {
            self.push(Problem::unsafe_(
                Class::ResolverInbound,
                &ep.id,
                "no address is ATTACHED",
            ));
            return;
        }
        let mut any_ok = false;
        let mut fails = Vec::new();
        for (addr, subnet, status) in ips {
            if status != "ATTACHED" {
                fails.push(Problem::unknown(
                    &ep.id,
                    format!("address in {subnet} is {status}"),
                ));
                continue;
            }
            let Some(addr) = addr else {
                fails.push(Problem::unknown(&ep.id, "address is not IPv4"));
                continue;
            };
            let Some(eni) = w
                .enis
                .values()
                .find(|e| e.vpc == ep.vpc && e.ips.contains(&addr) && e.subnet == subnet)
            else {
                fails.push(Problem::unknown(
                    &ep.id,
                    format!("no ENI for {}", show(addr)),
                ));
                continue;
            };
            let (mut a, mut b) = (eni.groups.clone(), ep.sgs.clone());
            a.sort();
            b.sort();
            if a != b {
                fails.push(Problem::unknown(
                    &ep.id,
                    "endpoint and ENI security groups disagree",
                ));
                continue;
            }
            let before = self.problems.len();
            let seen = self.seen.clone();
            for rep in w.cuts.reps(range) {
                for proto in [UDP, TCP] {
                    let flow = Flow {
                        src: rep,
                        dst: addr,
                        proto,
                        ports: Ports::one(53),
                    };
                    let Some(arrivals) = self.take(walk::at_tgw(w, att, &flow, 0)) else {
                        continue;
                    };
                    for a in arrivals {
                        if a != Arrival::Eni(eni.id.clone()) {
                            self.push(Problem::unsafe_(
                                Class::ResolverInbound,
                                &ep.id,
                                format!("DNS to {} ends at {a:?}", show(addr)),
                            ));
                            continue;
                        }
                        if self.sg(&eni.id, rep, None, proto, 53) {
                            let att = att.to_string();
                            self.reply(&eni.id, addr, rep, proto, |a| {
                                *a == Arrival::OnPrem(att.clone())
                            });
                        }
                    }
                }
            }
            let new: Vec<Problem> = self.problems.drain(before..).collect();
            self.seen = seen;
            if new.is_empty() {
                any_ok = true;
            }
            fails.extend(new);
        }
        for mut p in fails {
            if any_ok {
                // Another address answers: the forwarders fail over, so this one is not a leak;
                // but the proof that every configured address works does not hold.
                p.unsafe_ = false;
                p.detail = format!("one inbound address unusable: {}", p.detail);
            }
            self.push(p);
        }
    }

    fn onprem_flow(&mut self, att: &str, rep: u32, dst: u32, port: u32, want: Want) {
        let w = self.w;
        let flow = Flow {
            src: rep,
            dst,
            proto: TCP,
            ports: Ports::one(port),
        };
        let Some(arrivals) = self.take(walk::at_tgw(w, att, &flow, 0)) else {
            return;
        };
        for a in arrivals {
            let Arrival::Eni(eni) = a else {
                self.push(Problem::unsafe_(
                    Class::NoPath,
                    att,
                    format!("{} ends at {a:?}", show(dst)),
                ));
                continue;
            };
            if !self.at_target(&eni, want, rep, None, port) {
                continue;
            }
            let att = att.to_string();
            self.reply(&eni, dst, rep, TCP, |a| *a == Arrival::OnPrem(att.clone()));
        }
    }

    fn services(&mut self) {
        let w = self.w;
        let mut ids: Vec<String> = w
            .services
            .values()
            .filter(|s| s.account == self.iot_account)
            .map(|s| s.id.clone())
            .collect();
        ids.sort();
        for id in ids {
            let svc = &w.services[&id];
            for (ty, p) in w.principals.get(&id).cloned().unwrap_or_default() {
                if p == "*" || ty == "All" {
                    self.push(Problem::unsafe_(
                        Class::Principals,
                        &id,
                        "every principal is allowed",
                    ));
                    continue;
                }
                match p
                    .strip_prefix("arn:aws:iam::")
                    .and_then(|r| r.split(':').next())
                {
                    Some(acct) if self.consumer_accounts.contains(acct) => {}
                    Some(acct) => self.push(Problem::unsafe_(
                        Class::Principals,
                        &id,
                        format!("account {acct} is not a consumer"),
                    )),
                    None => self.push(Problem::unknown(&id, format!("principal {p} not modelled"))),
                }
            }
            if !svc.acceptance {
                self.warnings.push(("PP011".into(), id.clone()));
            }
            for arn in &svc.nlbs {
                let Some(lb) = w.lbs.iter().find(|l| l.arn == *arn) else {
                    continue;
                };
                if lb.scheme != "internal" {
                    self.push(Problem::unsafe_(
                        Class::NlbScheme,
                        arn,
                        format!("scheme {}", lb.scheme),
                    ));
                }
                for l in w.listeners.get(arn).cloned().unwrap_or_default() {
                    let port = l["Port"].as_u64().unwrap_or(0) as u32;
                    if self.chains_done.insert((id.clone(), port)) {
                        self.service_chain(&id, port);
                    }
                }
            }
        }
    }

    fn policies(&mut self) {
        let w = self.w;
        for p in &w.policies {
            if p.account != self.iot_account {
                continue;
            }
            match iam::judge(&p.doc, &self.approved, &self.region, &self.iot_account) {
                iam::Verdict::Safe => {}
                iam::Verdict::Unsafe(why) => {
                    self.push(Problem::unsafe_(Class::Policy, &p.name, why))
                }
                iam::Verdict::Unknown(why) => self.push(Problem::unknown(&p.name, why)),
            }
        }
    }
}
