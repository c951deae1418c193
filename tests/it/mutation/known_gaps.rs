//! Mutants pathproof gets wrong today, tolerated (and printed) until the fixes on the src/
//! branches merge. Each entry: (mutant id, issue-8 defect class). The harness fails when a mutant
//! not listed here is wrong, and when a listed mutant is right again (remove it then): the goal is
//! an empty list. The classes are described in docs/mutation.md ("Known gaps").
pub const KNOWN_GAPS: &[(&str, &str)] = &[
    // policy-impossible-context: False violations: PP014 counterexamples use request contexts AWS never produces: aws:SourceVpc holding a vpce- id (it holds the endpoint's VPC id), or aws:SourceVpce equal to the literal string "vpce-*" / "vpce-…?" (StringEquals does not expand wildcards; endpoint ids are vpce- plus hex) (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpce, https://docs.aws.amazon.com/iot/latest/developerguide/IoTCore-VPC.html).
    (
        "policy:iot-device-policy:Connect:key-aws:SourceVpc",
        "policy-impossible-context",
    ),
    (
        "policy:iot-device-policy:Connect:value-vpce-star",
        "policy-impossible-context",
    ),
    (
        "policy:iot-device-policy:Connect:value-vpce-question",
        "policy-impossible-context",
    ),
    (
        "policy:iot-device-policy:PublishReceive:key-aws:SourceVpc",
        "policy-impossible-context",
    ),
    (
        "policy:iot-device-policy:PublishReceive:value-vpce-star",
        "policy-impossible-context",
    ),
    (
        "policy:iot-device-policy:PublishReceive:value-vpce-question",
        "policy-impossible-context",
    ),
    (
        "policy:iot-device-policy:Subscribe:key-aws:SourceVpc",
        "policy-impossible-context",
    ),
    (
        "policy:iot-device-policy:Subscribe:value-vpce-star",
        "policy-impossible-context",
    ),
    (
        "policy:iot-device-policy:Subscribe:value-vpce-question",
        "policy-impossible-context",
    ),
    (
        "policy:iot-fleet-guard:DenyOutsideGatekeeper:key-aws:SourceVpc",
        "policy-impossible-context",
    ),
    (
        "policy:iot-fleet-guard:DenyOutsideGatekeeper:value-vpce-star",
        "policy-impossible-context",
    ),
    (
        "policy:iot-fleet-guard:DenyOutsideGatekeeper:value-vpce-question",
        "policy-impossible-context",
    ),
];
