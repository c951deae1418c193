//! Report formats for CI dashboards, auditors and GRC tools (issue 12): what each format says
//! about warnings, byte-identical output, and validation of every format.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pathproof::Outcome;
use quick_xml::events::Event;

use super::{fixture, run, verify_json};

/// One JUnit `<testcase>`: its failure `type` (if any), properties and `<system-out>`.
#[derive(Debug, Default)]
struct Case {
    failure: Option<String>,
    properties: BTreeMap<String, String>,
    system_out: String,
}

/// Parse a JUnit report into (suite, case name) → case; panics on XML that is not well formed.
fn junit_cases(xml: &str) -> BTreeMap<(String, String), Case> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut cases = BTreeMap::new();
    let mut suite = String::new();
    let mut current: Option<(String, Case)> = None;
    let mut in_out = false;
    let attr = |e: &quick_xml::events::BytesStart, name: &[u8]| -> Option<String> {
        e.attributes()
            .map(|a| a.expect("attribute parses"))
            .find(|a| a.key.as_ref() == name)
            .map(|a| {
                a.unescape_value()
                    .expect("attribute unescapes")
                    .into_owned()
            })
    };
    loop {
        match reader.read_event().expect("JUnit XML is well formed") {
            Event::Empty(e) if e.name().as_ref() == b"testcase" => {
                cases.insert((suite.clone(), attr(&e, b"name").unwrap()), Case::default());
            }
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testsuite" => suite = attr(&e, b"name").unwrap(),
                b"testcase" => {
                    let name = attr(&e, b"name").unwrap();
                    current = Some((name, Case::default()));
                }
                b"failure" | b"error" => {
                    if let Some((_, c)) = current.as_mut() {
                        c.failure = Some(attr(&e, b"type").unwrap_or_default());
                    }
                }
                b"property" => {
                    if let Some((_, c)) = current.as_mut() {
                        c.properties
                            .insert(attr(&e, b"name").unwrap(), attr(&e, b"value").unwrap());
                    }
                }
                b"system-out" => in_out = true,
                _ => {}
            },
            Event::Text(t) if in_out => {
                if let Some((_, c)) = current.as_mut() {
                    c.system_out.push_str(&t.decode().expect("text decodes"));
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"system-out" => in_out = false,
                b"testcase" => {
                    if let Some((name, c)) = current.take() {
                        cases.insert((suite.clone(), name), c);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(current.is_none(), "unclosed <testcase>");
    cases
}

fn verify(dir: &str, format: &str) -> (Outcome, String) {
    let path = fixture(dir);
    let (result, out) = run(&[
        "verify",
        "--snapshot",
        path.to_str().unwrap(),
        "--format",
        format,
    ]);
    (result.expect("verify runs"), out)
}

/// A warning (PP011, auto-accept) passes the gate: exit 0, and no `<failure>` in the JUnit
/// report, but the warning is there as a property and in `<system-out>`.
#[test]
fn junit_warning_not_about_a_path_is_not_a_failure() {
    let (outcome, xml) = verify("violations/PP011-endpoint-service-auto-accept", "junit");
    assert_eq!(outcome, Outcome::Pass);
    let cases = junit_cases(&xml);
    assert!(
        cases.values().all(|c| c.failure.is_none()),
        "no failures: {cases:#?}"
    );
    let key = (
        "pathproof.findings".to_string(),
        "PP011 endpoint-service-auto-accept vpce-svc-0bbb00000000005e1".to_string(),
    );
    let case = cases.get(&key).unwrap_or_else(|| panic!("{cases:#?}"));
    assert_eq!(
        case.properties.get("severity").map(String::as_str),
        Some("warning")
    );
    assert!(
        case.system_out.contains("vpce-svc-0bbb00000000005e1"),
        "{case:?}"
    );
    assert!(!xml.contains("<failure"), "{xml}");
}

/// A warning on a path (PP024, an inspection hop) leaves the path case passing, with the
/// warning in that case's `<system-out>`.
#[test]
fn junit_warning_on_a_path_is_system_out() {
    let (outcome, xml) = verify("violations/PP024-inspection-hop-not-proven", "junit");
    assert_eq!(outcome, Outcome::Pass);
    let cases = junit_cases(&xml);
    assert!(cases.values().all(|c| c.failure.is_none()), "{cases:#?}");
    let with_warning: Vec<_> = cases
        .iter()
        .filter(|(_, c)| c.system_out.contains("PP024 vpce-0aaa0000000000f24"))
        .map(|((s, n), _)| (s.as_str(), n.as_str()))
        .collect();
    assert!(
        with_warning.iter().any(|(s, n)| *s == "pathproof.paths"
            && n.starts_with("subnet-0aaa0000000000a01 (device vpc-0aaa00000000000d1) → ")),
        "{with_warning:?}"
    );
}

/// Violations and unproven findings stay failures.
#[test]
fn junit_violation_and_unproven_are_failures() {
    let (outcome, xml) = verify("violations/PP010-endpoint-service-open-principals", "junit");
    assert_eq!(outcome, Outcome::Fail);
    let cases = junit_cases(&xml);
    let key = (
        "pathproof.findings".to_string(),
        "PP010 endpoint-service-open-principals vpce-svc-0bbb00000000005e1".to_string(),
    );
    assert_eq!(
        cases[&key].failure.as_deref(),
        Some("violation"),
        "{cases:#?}"
    );

    let (outcome, xml) = verify("violations/PP016-path-unproven", "junit");
    assert_eq!(outcome, Outcome::Fail);
    let cases = junit_cases(&xml);
    assert!(
        cases
            .iter()
            .any(|((s, _), c)| s == "pathproof.paths" && c.failure.as_deref() == Some("unproven")),
        "{cases:#?}"
    );
}

/// Every `--format` pathproof has; each is rendered for the fixtures below and checked.
pub const FORMATS: &[&str] = &[
    "table", "json", "sarif", "junit", "markdown", "html", "ocsf", "asff",
];

/// The reference estate, violating ones (a path violation, an unproven path, a finding not about
/// a path) and ones that only warn.
pub const REPORT_FIXTURES: &[&str] = &[
    "reference",
    "violations/PP001-internet-gateway-on-path",
    "violations/PP003-dns-public-resolution",
    "violations/PP010-endpoint-service-open-principals",
    "violations/PP011-endpoint-service-auto-accept",
    "violations/PP016-path-unproven",
    "violations/PP024-inspection-hop-not-proven",
];

/// The real binary, run in `dir` on the snapshot `.` (so the snapshot path printed is the same
/// for every copy); returns stdout.
fn render_in(dir: &std::path::Path, format: &str) -> Vec<u8> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pathproof"))
        .current_dir(dir)
        .args(["verify", "--snapshot", ".", "--format", format])
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{format}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Reverse the order of every list AWS returns as a set: each response's top-level resource
/// list and, inside each resource, `Routes` (longest-prefix match, not list order, selects a
/// route: VPC user guide "Route priority"), NACL `Entries` (evaluated by rule number: "Network
/// ACL rules"), security-group permissions and tags. Lists whose order means something (DHCP
/// server lists, Resolver target IPs) are left alone.
fn reorder(dir: &std::path::Path) {
    fn visit(dir: &std::path::Path) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                visit(&path);
            } else if path.extension().is_some_and(|e| e == "json")
                && path.file_name().is_some_and(|n| n != "manifest.json")
            {
                let mut doc: serde_json::Value =
                    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                if let Some(obj) = doc.as_object_mut() {
                    for value in obj.values_mut() {
                        if let Some(items) = value.as_array_mut() {
                            items.reverse();
                            for item in items.iter_mut().filter_map(|i| i.as_object_mut()) {
                                for key in [
                                    "Routes",
                                    "Entries",
                                    "IpPermissions",
                                    "IpPermissionsEgress",
                                    "Tags",
                                ] {
                                    if let Some(list) =
                                        item.get_mut(key).and_then(|l| l.as_array_mut())
                                    {
                                        list.reverse();
                                    }
                                }
                            }
                        }
                    }
                }
                std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
            }
        }
    }
    visit(dir);
}

/// Replace every SHA-256 the JSON report lists (the snapshot digest and each evidence file's),
/// and the digest's 16-character prefix the table prints, with a placeholder: a reordered copy
/// has other file hashes, and nothing else may differ.
fn without_digests(bytes: &[u8], json: &serde_json::Value) -> String {
    let mut text = String::from_utf8(bytes.to_vec()).unwrap();
    let mut hashes: Vec<String> = json["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["sha256"].as_str().unwrap().to_string())
        .collect();
    let digest = json["snapshot"]["digest"].as_str().unwrap();
    hashes.push(digest.to_string());
    hashes.push(digest[..16].to_string());
    for h in hashes {
        text = text.replace(&h, "<sha256>");
    }
    text
}

/// Same snapshot, same version: the same bytes in every format, run after run (no clock, no
/// hash-map order, no temp path reaches any report); and a copy whose unordered lists are
/// reversed gives the same report but for the file hashes.
#[test]
fn every_format_is_byte_identical_across_runs_and_list_orders() {
    for rel in REPORT_FIXTURES {
        let a = super::copy_fixture(rel);
        let b = super::copy_fixture(rel);
        reorder(b.path());
        let json_a: serde_json::Value =
            serde_json::from_slice(&render_in(a.path(), "json")).unwrap();
        let json_b: serde_json::Value =
            serde_json::from_slice(&render_in(b.path(), "json")).unwrap();
        for format in FORMATS {
            let first = render_in(a.path(), format);
            let second = render_in(a.path(), format);
            assert!(
                first == second,
                "{rel} {format}: two runs differ:\n{}\n---\n{}",
                String::from_utf8_lossy(&first),
                String::from_utf8_lossy(&second)
            );
            let reordered = render_in(b.path(), format);
            let (x, y) = (
                without_digests(&first, &json_a),
                without_digests(&reordered, &json_b),
            );
            if x != y {
                let line = x
                    .lines()
                    .zip(y.lines())
                    .find(|(p, q)| p != q)
                    .map(|(p, q)| format!("{p}\n{q}"));
                panic!("{rel} {format}: reordered lists change the report at\n{line:?}");
            }
        }
    }
}

/// The schema of `pathproof-report/1`, compiled once.
fn report_schema() -> &'static (boon::Schemas, boon::SchemaIndex) {
    static SCHEMA: std::sync::OnceLock<(boon::Schemas, boon::SchemaIndex)> =
        std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| {
        let schema: serde_json::Value =
            serde_json::from_str(pathproof::report::schema::SCHEMA).expect("the schema is JSON");
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        compiler.enable_format_assertions();
        compiler
            .add_resource("pathproof-report-1.schema.json", schema)
            .unwrap();
        let index = compiler
            .compile("pathproof-report-1.schema.json", &mut schemas)
            .unwrap_or_else(|e| panic!("the schema does not compile: {e:#}"));
        (schemas, index)
    })
}

/// Validate a JSON report against `pathproof schema` (every `verify_json` report is).
pub fn assert_valid_report(report: &serde_json::Value) {
    let (schemas, index) = report_schema();
    if let Err(e) = schemas.validate(report, *index) {
        panic!("the JSON report does not validate against its schema: {e:#}");
    }
}

/// The schema's SHA-256, pinned with the format id it describes. A schema change without a new
/// format id fails here: a field that changes meaning or disappears needs `pathproof-report/2`
/// (and a new pin); a compatible change still needs its pin renewed here, deliberately.
const SCHEMA_PIN: (&str, &str) = (
    "pathproof-report/1",
    "e65cb1cc125fc7d47b38382c88659f7874c6c10a13d2c059860416e8f7479d05",
);

#[test]
fn schema_is_pinned_with_the_format_version() {
    use sha2::{Digest, Sha256};
    let digest: String = Sha256::digest(pathproof::report::schema::SCHEMA.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let (_, report) = super::verify_json(&super::fixture("reference"), &[]);
    let schema: serde_json::Value =
        serde_json::from_str(pathproof::report::schema::SCHEMA).unwrap();
    assert_eq!(report["format"], schema["properties"]["format"]["const"]);
    assert_eq!(report["format"], SCHEMA_PIN.0);
    assert_eq!(schema["title"], SCHEMA_PIN.0);
    assert_eq!(
        digest, SCHEMA_PIN.1,
        "the schema of {} changed: bump the report format (and the schema's title, $id and \
         format const) if a field changed meaning or disappeared, then pin the new SHA-256",
        SCHEMA_PIN.0
    );
}

/// `pathproof schema` prints the schema file; every report fixture validates; the schema is
/// not vacuous (a report with a field of the wrong type or a missing field fails it).
#[test]
fn schema_command_prints_the_schema_and_reports_validate() {
    let (result, out) = super::run(&["schema"]);
    result.unwrap();
    assert_eq!(out, pathproof::report::schema::SCHEMA);
    let (_, report) = super::verify_json(&super::fixture("violations/PP016-path-unproven"), &[]);
    let (schemas, index) = report_schema();
    let broken: Vec<(&str, Box<dyn Fn(&mut serde_json::Value)>)> = vec![
        (
            "format",
            Box::new(|r| r["format"] = "pathproof-report/2".into()),
        ),
        (
            "verdict",
            Box::new(|r| r["summary"]["verdict"] = "ok".into()),
        ),
        (
            "severity",
            Box::new(|r| r["findings"][0]["severity"] = "fatal".into()),
        ),
        (
            "missing",
            Box::new(|r| {
                r["paths"][0].as_object_mut().unwrap().remove("hops");
            }),
        ),
        (
            "end",
            Box::new(|r| {
                r["paths"][0]["end"] = serde_json::json!({"kind": "unproven"});
            }),
        ),
        (
            "digest",
            Box::new(|r| r["snapshot"]["digest"] = "abc".into()),
        ),
        (
            "ip",
            Box::new(|r| {
                let p = r["paths"]
                    .as_array_mut()
                    .unwrap()
                    .iter_mut()
                    .find(|p| p["address"].is_string())
                    .unwrap();
                p["address"] = "10.0.0.300".into();
            }),
        ),
    ];
    for (what, edit) in broken {
        let mut r = report.clone();
        edit(&mut r);
        assert!(schemas.validate(&r, *index).is_err(), "{what}: accepted");
    }
}

/// Where a name resolves publicly the walk uses a stand-in address; every format says what it
/// stands for wherever the address appears, and the JSON report records it.
#[test]
fn stand_in_address_is_explained_in_every_format() {
    let rel = "violations/PP003-dns-public-resolution";
    let (_, report) = super::verify_json(&super::fixture(rel), &[]);
    let public: Vec<&serde_json::Value> = report["paths"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["dns"]["via"]["kind"] == "public")
        .collect();
    assert!(!public.is_empty());
    for p in &public {
        let name = p["destination"].as_str().unwrap();
        assert_eq!(p["stand_in"]["address"], "203.0.113.10");
        assert_eq!(
            p["stand_in"]["means"],
            format!("the public IoT Core address of {name}")
        );
        assert!(p.get("address").is_none());
    }
    let dir = super::fixture(rel);
    for format in FORMATS {
        let (result, out) = super::run(&[
            "verify",
            "--snapshot",
            dir.to_str().unwrap(),
            "--format",
            format,
        ]);
        result.unwrap();
        // The table wraps long cells: read it without its borders and line breaks.
        let out = if *format == "table" {
            out.replace(['│', '┆'], " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            out
        };
        // Every mention of the address is followed by what it stands for (the JSON report's
        // stand_in.address field aside).
        let mut rest = out.as_str();
        let mut mentions = 0;
        while let Some(i) = rest.find("203.0.113.10") {
            let after = &rest[i + "203.0.113.10".len()..];
            let explained = after.starts_with(" (the public IoT Core address of ")
                || after.starts_with("\",\n") && rest[..i].ends_with("\"address\": \"");
            assert!(
                explained,
                "{format}: bare stand-in at …{}…",
                &rest[i.saturating_sub(80)..(i + 60).min(rest.len())]
            );
            mentions += 1;
            rest = after;
        }
        if !matches!(*format, "ocsf" | "asff") {
            assert!(mentions > 0, "{format}: the stand-in is not shown");
        }
    }
}

#[test]
fn stand_in_explanation_matches_only_the_address() {
    use pathproof::verify::StandIn;
    let s = StandIn {
        address: "203.0.113.10".parse().unwrap(),
        means: "M".into(),
    };
    assert_eq!(s.explain("to 203.0.113.10"), "to 203.0.113.10 (M)");
    assert_eq!(s.explain("203.0.113.10: x"), "203.0.113.10 (M): x");
    assert_eq!(
        s.explain("203.0.113.100 1203.0.113.10 203.0.113.10.5"),
        "203.0.113.100 1203.0.113.10 203.0.113.10.5"
    );
    assert_eq!(s.explain("203.0.113.10/32"), "203.0.113.10 (M)/32");
}

/// Chromium for the browser test: `PATHPROOF_CHROMIUM`, else `chromium` on the PATH.
fn chromium() -> Option<std::path::PathBuf> {
    if let Some(p) = std::env::var_os("PATHPROOF_CHROMIUM") {
        return Some(p.into());
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("chromium"))
            .find(|p| p.is_file())
    })
}

/// The HTML report in a real headless browser (tests/browser/check_html.py): the page renders,
/// the path diagrams are visible in the screenshot (the offending hop red on a violating
/// fixture, the IoT Core end green on the reference), an injected script does not run, and no
/// request leaves the page. Skipped with a message when Chromium is not installed
/// (`scripts/test` installs it from Debian's packages when it can).
#[test]
fn html_report_renders_in_headless_chromium() {
    let Some(chromium) = chromium() else {
        eprintln!("skipped: chromium is not installed (apt-get install chromium)");
        return;
    };
    let python = std::env::var("PATHPROOF_PYTHON").unwrap_or_else(|_| "python3".into());
    for (rel, offending) in [
        ("reference", false),
        ("violations/PP001-internet-gateway-on-path", true),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let html = tmp.path().join("report.html");
        let dir = super::fixture(rel);
        let (result, out) = super::run(&[
            "verify",
            "--snapshot",
            dir.to_str().unwrap(),
            "--format",
            "html",
        ]);
        result.unwrap();
        std::fs::write(&html, out).unwrap();
        let mut cmd = std::process::Command::new(&python);
        cmd.arg(super::root().join("tests/browser/check_html.py"))
            .arg(&chromium)
            .arg(&html)
            .arg(tmp.path());
        if offending {
            cmd.arg("--expect-offending");
        }
        let run = cmd.output().unwrap();
        assert!(
            run.status.success(),
            "{rel}: {}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
        eprintln!("{rel}: {}", String::from_utf8_lossy(&run.stdout).trim());
    }
}

/// The JSON report carries the SHA-256 of the intent file's bytes (`intent.file_sha256`, valid
/// against the schema) and the Markdown report shows it, so an auditor or GRC tool can tie a
/// report to the intent it was proven against; without `--intent` neither has one. The JSON
/// report does not name the file's path (it depends on where the command ran).
#[test]
fn json_and_markdown_reports_carry_the_intent_files_digest() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, digest, out) = verify_with_intent(tmp.path(), "intent.toml", "json");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_valid_report(&report);
    assert_eq!(report["intent"]["file_sha256"], digest.as_str());
    assert!(!out.contains("intent.toml"));
    let (_, _, md) = verify_with_intent(tmp.path(), "intent.toml", "markdown");
    assert!(
        md.contains(&format!("| Intent file (SHA-256) | `{digest}` |")),
        "{md}"
    );

    let (_, report) = verify_json(&fixture("reference"), &[]);
    assert!(
        report["intent"].get("file_sha256").is_none(),
        "{}",
        report["intent"]
    );
    let (_, md) = verify("reference", "markdown");
    assert!(!md.contains("Intent file"), "{md}");
}

/// `verify --format FORMAT` of the reference with an intent file `name` in `dir` that sets only
/// the default ports (so the approved endpoints still come from the gatekeepers): the file, the
/// SHA-256 of its bytes, and the report, which passes.
fn verify_with_intent(dir: &Path, name: &str, format: &str) -> (PathBuf, String, String) {
    use sha2::Digest;
    let intent = dir.join(name);
    let text = "mqtt_ports = [8883, 443]\n";
    std::fs::write(&intent, text).unwrap();
    let snap = fixture("reference");
    let (result, out) = run(&[
        "verify",
        "--snapshot",
        snap.to_str().unwrap(),
        "--intent",
        intent.to_str().unwrap(),
        "--format",
        format,
    ]);
    assert_eq!(result.unwrap(), Outcome::Pass);
    (
        intent,
        format!("{:x}", sha2::Sha256::digest(text.as_bytes())),
        out,
    )
}

/// The HTML report's re-verify command names the intent file it was made with, whatever the
/// file sets (here only the default ports, so the approved endpoints still come from the
/// gatekeepers), with the SHA-256 of its bytes; without `--intent` it names none.
#[test]
fn html_reverify_command_names_the_intent_file_and_its_digest() {
    let tmp = tempfile::tempdir().unwrap();
    let (intent, digest, html) = verify_with_intent(tmp.path(), "team intent.toml", "html");
    let reverify = &html[html.find("<h2>Re-verify</h2>").expect("re-verify section")..];
    let reverify = &reverify[..reverify.find("</p>").unwrap()];
    assert!(
        reverify.contains(&format!("--intent '{}'", intent.display())),
        "{reverify}"
    );
    assert!(reverify.contains(&digest), "{reverify}");
    assert!(!reverify.contains("INTENT.toml"), "{reverify}");

    let (_, html) = verify("reference", "html");
    let reverify = &html[html.find("<h2>Re-verify</h2>").unwrap()..];
    let reverify = &reverify[..reverify.find("</p>").unwrap()];
    assert!(!reverify.contains("--intent"), "{reverify}");
}
