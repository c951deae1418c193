//! SDK output types → the JSON the AWS CLI prints (`--output json`).
//!
//! The SDK types are not serde. Each resource type gets one table, [`cli_struct!`], that maps the
//! AWS API member name (exactly as the CLI prints it: PascalCase for EC2, ELBv2, Route 53 and
//! Route 53 Resolver, camelCase for IoT) to the SDK field, in the API model's member order (the
//! order the CLI prints). Enumerations print their wire value ([`cli_enum!`]). The rules the CLI
//! follows, and so this module:
//! - a member the response did not carry (`None`) is left out, not printed as `null`;
//! - a list the response carried is printed even when empty;
//! - timestamps are ISO 8601 strings in UTC, as Python's `datetime.isoformat()` prints them
//!   (`2026-11-25T18:00:00+00:00`, with `.ffffff` only when there are microseconds);
//! - strings stay strings: an IoT `policyDocument` is a JSON string, parsed by the reader.
//!
//! Two secrets the CLI would print are never written: a VPN connection's
//! `CustomerGatewayConfiguration` and its tunnels' `PreSharedKey`.
use std::collections::HashMap;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use serde_json::{Map, Value};

/// A value as the AWS CLI prints it, or `None` when the CLI would leave the member out.
pub trait ToCli {
    fn to_cli(&self) -> Option<Value>;
}

/// `impl ToCli` for an SDK structure: `cli_struct!(Type { "MemberName" => sdk_field, ... })`.
macro_rules! cli_struct {
    ($ty:ty { $($name:literal => $field:ident),* $(,)? }) => {
        impl ToCli for $ty {
            fn to_cli(&self) -> Option<serde_json::Value> {
                #[allow(unused_mut)]
                let mut map = serde_json::Map::new();
                $(
                    if let Some(value) = ToCli::to_cli(&self.$field) {
                        map.insert($name.to_owned(), value);
                    }
                )*
                Some(serde_json::Value::Object(map))
            }
        }
    };
}

/// `impl ToCli` for SDK enumerations: they print their wire value (`as_str`), known or not.
macro_rules! cli_enum {
    ($($ty:ty),* $(,)?) => {
        $(
            impl ToCli for $ty {
                fn to_cli(&self) -> Option<serde_json::Value> {
                    Some(serde_json::Value::String(self.as_str().to_owned()))
                }
            }
        )*
    };
}

mod ec2;
mod elbv2;
mod iot;
mod profiles;
mod resolver;
mod route53;

impl ToCli for String {
    fn to_cli(&self) -> Option<Value> {
        Some(Value::String(self.clone()))
    }
}

impl ToCli for bool {
    fn to_cli(&self) -> Option<Value> {
        Some(Value::Bool(*self))
    }
}

impl ToCli for i32 {
    fn to_cli(&self) -> Option<Value> {
        Some(Value::from(*self))
    }
}

impl ToCli for i64 {
    fn to_cli(&self) -> Option<Value> {
        Some(Value::from(*self))
    }
}

impl ToCli for f64 {
    /// A non-finite number has no JSON form; it is left out rather than invented.
    fn to_cli(&self) -> Option<Value> {
        serde_json::Number::from_f64(*self).map(Value::Number)
    }
}

impl ToCli for DateTime {
    fn to_cli(&self) -> Option<Value> {
        Some(Value::String(iso8601(self)))
    }
}

impl<T: ToCli> ToCli for Option<T> {
    fn to_cli(&self) -> Option<Value> {
        self.as_ref().and_then(ToCli::to_cli)
    }
}

impl<T: ToCli> ToCli for Box<T> {
    fn to_cli(&self) -> Option<Value> {
        (**self).to_cli()
    }
}

impl<T: ToCli> ToCli for Vec<T> {
    fn to_cli(&self) -> Option<Value> {
        Some(list(self))
    }
}

impl<V: ToCli> ToCli for HashMap<String, V> {
    /// Keys sorted, so that the same response always prints the same bytes.
    fn to_cli(&self) -> Option<Value> {
        let mut keys: Vec<&String> = self.keys().collect();
        keys.sort();
        let mut map = Map::new();
        for key in keys {
            if let Some(value) = self.get(key).and_then(ToCli::to_cli) {
                map.insert(key.clone(), value);
            }
        }
        Some(Value::Object(map))
    }
}

/// A JSON array of the items (all pages merged, in order).
pub fn list<T: ToCli>(items: &[T]) -> Value {
    Value::Array(items.iter().filter_map(ToCli::to_cli).collect())
}

/// `{"<key>": [items]}`: the CLI's output for a list operation, all pages merged.
pub fn listing<T: ToCli>(key: &str, items: &[T]) -> Value {
    let mut map = Map::new();
    map.insert(key.to_owned(), list(items));
    Value::Object(map)
}

/// The CLI's ISO 8601 form of a timestamp (Python `datetime.isoformat()` in UTC):
/// `2026-11-25T18:00:00+00:00`, or `2026-11-25T18:00:00.250000+00:00` with microseconds.
pub fn iso8601(time: &DateTime) -> String {
    // Rounded to the nearest microsecond, as botocore's parser does (Python's
    // `datetime.fromtimestamp`): JSON services send epoch seconds as a float, which the SDK
    // reads to nanoseconds with the float's error (`.928` arrives as `.927999973`).
    let mut secs = time.secs();
    let mut micros = (time.subsec_nanos() + 500) / 1_000;
    if micros >= 1_000_000 {
        secs += 1;
        micros -= 1_000_000;
    }
    let whole = DateTime::from_secs(secs);
    let Ok(text) = whole.fmt(Format::DateTime) else {
        // Outside what RFC 3339 can write (years before 0001 or after 9999): no server sends
        // that; keep the number rather than fail the whole file.
        return secs.to_string();
    };
    let base = text.trim_end_matches('Z');
    if micros == 0 {
        format!("{base}+00:00")
    } else {
        format!("{base}.{micros:06}+00:00")
    }
}

/// Pretty JSON as the CLI prints it: 4-space indent, UTF-8 as is, a final newline.
pub fn to_cli_text(value: &Value) -> String {
    use serde::Serialize;
    let mut buf = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    // Serialising a `Value` into a Vec cannot fail (keys are strings, numbers are finite).
    if value.serialize(&mut ser).is_err() {
        buf.clear();
        buf.extend_from_slice(b"{}");
    }
    buf.push(b'\n');
    // serde_json writes valid UTF-8 only.
    String::from_utf8(buf).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn timestamps_print_like_python_isoformat() {
        let t = DateTime::from_secs(1_795_111_200);
        assert_eq!(iso8601(&t), "2026-11-19T18:00:00+00:00");
        let t = DateTime::from_secs_and_nanos(1_795_111_200, 250_000_000);
        assert_eq!(iso8601(&t), "2026-11-19T18:00:00.250000+00:00");
        // Nearest microsecond, as Python's datetime.fromtimestamp rounds an epoch float.
        let t = DateTime::from_secs_and_nanos(0, 999);
        assert_eq!(iso8601(&t), "1970-01-01T00:00:00.000001+00:00");
        let t = DateTime::from_secs_and_nanos(0, 499);
        assert_eq!(iso8601(&t), "1970-01-01T00:00:00+00:00");
        let t = DateTime::from_secs_and_nanos(1_795_111_200, 927_999_973);
        assert_eq!(iso8601(&t), "2026-11-19T18:00:00.928000+00:00");
        let t = DateTime::from_secs_and_nanos(1_795_111_200, 999_999_600);
        assert_eq!(iso8601(&t), "2026-11-19T18:00:01+00:00");
    }

    #[test]
    fn ec2_route_table_has_cli_names_and_omits_absent_members() {
        use aws_sdk_ec2::types::{Route, RouteOrigin, RouteState, RouteTable, Tag};
        let table = RouteTable::builder()
            .route_table_id("rtb-1")
            .vpc_id("vpc-1")
            .routes(
                Route::builder()
                    .destination_cidr_block("0.0.0.0/0")
                    .gateway_id("igw-1")
                    .state(RouteState::Active)
                    .origin(RouteOrigin::CreateRoute)
                    .build(),
            )
            .tags(Tag::builder().key("Name").value("main").build())
            .build();
        let value = table.to_cli().unwrap();
        assert_eq!(
            value,
            json!({
                "Routes": [{
                    "DestinationCidrBlock": "0.0.0.0/0",
                    "GatewayId": "igw-1",
                    "Origin": "CreateRoute",
                    "State": "active"
                }],
                "Tags": [{"Key": "Name", "Value": "main"}],
                "RouteTableId": "rtb-1",
                "VpcId": "vpc-1"
            })
        );
        // Model order, as the CLI prints it (not alphabetical: `OwnerId` comes last).
        let owned = RouteTable::builder()
            .owner_id("111111111111")
            .vpc_id("vpc-1")
            .associations(
                aws_sdk_ec2::types::RouteTableAssociation::builder()
                    .main(true)
                    .build(),
            )
            .build();
        let keys: Vec<String> = owned
            .to_cli()
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(keys, ["Associations", "VpcId", "OwnerId"]);
    }

    #[test]
    fn an_empty_list_the_server_sent_is_kept_an_absent_one_is_not() {
        use aws_sdk_ec2::types::InternetGateway;
        let with = InternetGateway::builder()
            .internet_gateway_id("igw-1")
            .set_attachments(Some(vec![]))
            .build();
        assert_eq!(
            with.to_cli().unwrap(),
            json!({"Attachments": [], "InternetGatewayId": "igw-1"})
        );
        let without = InternetGateway::builder()
            .internet_gateway_id("igw-1")
            .build();
        assert_eq!(
            without.to_cli().unwrap(),
            json!({"InternetGatewayId": "igw-1"})
        );
    }

    #[test]
    fn iot_is_camel_case_and_policy_document_stays_a_string() {
        use aws_sdk_iot::operation::get_policy::GetPolicyOutput;
        let doc = r#"{"Version":"2012-10-17","Statement":[]}"#;
        let out = GetPolicyOutput::builder()
            .policy_name("p")
            .policy_arn("arn:aws:iot:us-west-2:111111111111:policy/p")
            .policy_document(doc)
            .default_version_id("1")
            .creation_date(DateTime::from_secs(0))
            .build();
        assert_eq!(
            out.to_cli().unwrap(),
            json!({
                "policyName": "p",
                "policyArn": "arn:aws:iot:us-west-2:111111111111:policy/p",
                "policyDocument": doc,
                "defaultVersionId": "1",
                "creationDate": "1970-01-01T00:00:00+00:00"
            })
        );
        let policy = aws_sdk_iot::types::Policy::builder()
            .policy_name("p")
            .build();
        assert_eq!(policy.to_cli().unwrap(), json!({"policyName": "p"}));
    }

    /// IoT API Reference, DescribeAuthorizer / ListAuthorizers: what `pathproof snapshot`
    /// writes is what the reader takes (`describe-authorizer/<name>.json`, `list-authorizers`).
    #[test]
    fn iot_authorizers_print_like_the_cli_and_load() {
        use aws_sdk_iot::operation::describe_authorizer::DescribeAuthorizerOutput;
        use aws_sdk_iot::operation::list_authorizers::ListAuthorizersOutput;
        use aws_sdk_iot::types::{AuthorizerDescription, AuthorizerStatus, AuthorizerSummary};
        let arn = "arn:aws:iot:us-west-2:111111111111:authorizer/tokens";
        let fun = "arn:aws:lambda:us-west-2:111111111111:function:auth";
        let out = DescribeAuthorizerOutput::builder()
            .authorizer_description(
                AuthorizerDescription::builder()
                    .authorizer_name("tokens")
                    .authorizer_arn(arn)
                    .authorizer_function_arn(fun)
                    .token_key_name("x-token")
                    .token_signing_public_keys("key1", "-----BEGIN PUBLIC KEY-----")
                    .status(AuthorizerStatus::Active)
                    .creation_date(DateTime::from_secs(0))
                    .signing_disabled(false)
                    .enable_caching_for_http(true)
                    .build(),
            )
            .build();
        let cli = out.to_cli().unwrap();
        assert_eq!(
            cli,
            json!({"authorizerDescription": {
                "authorizerName": "tokens",
                "authorizerArn": arn,
                "authorizerFunctionArn": fun,
                "tokenKeyName": "x-token",
                "tokenSigningPublicKeys": {"key1": "-----BEGIN PUBLIC KEY-----"},
                "status": "ACTIVE",
                "creationDate": "1970-01-01T00:00:00+00:00",
                "signingDisabled": false,
                "enableCachingForHttp": true
            }})
        );
        let loaded: crate::snapshot::iot_records::DescribeAuthorizer =
            serde_json::from_value(cli).unwrap();
        assert_eq!(loaded.authorizer_description.authorizer_name, "tokens");
        assert!(loaded.authorizer_description.active());
        let list = ListAuthorizersOutput::builder()
            .authorizers(
                AuthorizerSummary::builder()
                    .authorizer_name("tokens")
                    .authorizer_arn(arn)
                    .build(),
            )
            .build();
        assert_eq!(
            list.authorizers.unwrap()[0].to_cli().unwrap(),
            json!({"authorizerName": "tokens", "authorizerArn": arn})
        );
    }

    #[test]
    fn route53_keeps_acronym_casing_and_required_members() {
        use aws_sdk_route53::operation::get_hosted_zone::GetHostedZoneOutput;
        use aws_sdk_route53::types::{HostedZone, HostedZoneConfig, Vpc, VpcRegion};
        let zone = HostedZone::builder()
            .id("/hostedzone/Z1")
            .name("example.internal.")
            .caller_reference("ref")
            .config(HostedZoneConfig::builder().private_zone(true).build())
            .build()
            .unwrap();
        let out = GetHostedZoneOutput::builder()
            .hosted_zone(zone)
            .vpcs(
                Vpc::builder()
                    .vpc_region(VpcRegion::UsWest2)
                    .vpc_id("vpc-1")
                    .build(),
            )
            .build();
        assert_eq!(
            out.to_cli().unwrap(),
            json!({
                "HostedZone": {
                    "Id": "/hostedzone/Z1",
                    "Name": "example.internal.",
                    "CallerReference": "ref",
                    "Config": {"PrivateZone": true}
                },
                "VPCs": [{"VPCRegion": "us-west-2", "VPCId": "vpc-1"}]
            })
        );
    }

    #[test]
    fn elbv2_and_resolver_use_their_model_names() {
        use aws_sdk_elasticloadbalancingv2::types::{LoadBalancer, LoadBalancerTypeEnum};
        let lb = LoadBalancer::builder()
            .load_balancer_name("nlb")
            .dns_name("nlb.example")
            .r#type(LoadBalancerTypeEnum::Network)
            .build();
        assert_eq!(
            lb.to_cli().unwrap(),
            json!({"DNSName": "nlb.example", "LoadBalancerName": "nlb", "Type": "network"})
        );
        use aws_sdk_route53resolver::types::{ResolverRule, TargetAddress};
        let rule = ResolverRule::builder()
            .id("rslvr-rr-1")
            .domain_name("iot.us-west-2.amazonaws.com")
            .target_ips(TargetAddress::builder().ip("10.0.0.2").port(53).build())
            .build();
        assert_eq!(
            rule.to_cli().unwrap(),
            json!({
                "Id": "rslvr-rr-1",
                "DomainName": "iot.us-west-2.amazonaws.com",
                "TargetIps": [{"Ip": "10.0.0.2", "Port": 53}]
            })
        );
    }

    #[test]
    fn vpn_secrets_are_never_written() {
        use aws_sdk_ec2::types::{TunnelOption, VpnConnection, VpnConnectionOptions};
        let vpn = VpnConnection::builder()
            .vpn_connection_id("vpn-1")
            .customer_gateway_configuration("<xml>secret</xml>")
            .options(
                VpnConnectionOptions::builder()
                    .tunnel_options(
                        TunnelOption::builder()
                            .outside_ip_address("203.0.113.1")
                            .pre_shared_key("secret")
                            .build(),
                    )
                    .build(),
            )
            .build();
        let text = to_cli_text(&vpn.to_cli().unwrap());
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("203.0.113.1"));
    }

    #[test]
    fn text_is_four_space_indented_with_a_final_newline() {
        let text = to_cli_text(&json!({"RouteTables": [], "A": {"B": "ü"}}));
        assert_eq!(
            text,
            "{\n    \"RouteTables\": [],\n    \"A\": {\n        \"B\": \"ü\"\n    }\n}\n"
        );
        assert_eq!(listing::<String>("Vpcs", &[]), json!({"Vpcs": []}));
    }
}
