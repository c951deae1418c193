//! Output from attacker-controlled data (issue 8, item 10). Anyone who can name or tag a
//! resource, or make an AWS API return an error message, writes into the report: for every
//! format, nothing from the snapshot may reach the output as a control character, markup, a link
//! or a table separator. The oracles are the format specifications, written out here: XML 1.0
//! §2.2 `Char` and well-formedness, GFM table cells and CommonMark inline markup, the HTML tags
//! pathproof writes, SARIF §3.11.6 embedded links, DOT quoted strings, terminal control sequences.
use std::collections::BTreeSet;
use std::process::Command;

use clap::ValueEnum;
use pathproof::cli::Format;
use pathproof::snapshot::Snapshot;
use pathproof::verify::Report;

use super::*;

/// What an attacker writes into a tag, a name, a description or an error message: a screen
/// clear, a window-title OSC ended by BEL, NUL, a carriage return and backspace that overwrite
/// the line, a right-to-left override, noncharacters, a C1 CSI, raw HTML, a `javascript:` link
/// and autolink, table pipes, a newline followed by Markdown block syntax, a code span, an entity
/// for the bidi override, quotes and a backslash.
const HOSTILE: &str =
    "evil\u{1b}[2J\u{1b}]0;owned\u{7}\u{0}\r\u{8}\u{202e}txet\u{fffe}\u{ffff}\u{9b}1m\
<script>alert(1)</script><img src=x onerror=alert(1)>[click](javascript:alert(1))\
<javascript:alert(1)>|a|b\n# heading\n> quote\n- item `x` &#x202e; \"q' \\";

/// The same for values that become file names (no NUL, no `/`).
const HOSTILE_NAME: &str = "evil\u{1b}]0;owned\u{7}\u{1b}[2J\r\u{202e}txet\u{fffe}\u{9b}\
<script>alert(1)<img src=x onerror=alert(1)>[click](javascript:alert(1))|a|b\n# h `x`&#x202e;\"'";

/// How `\u{1b}]0;owned` (the window-title sequence) must appear once made visible, per format.
fn marker(format: Format) -> &'static str {
    match format {
        Format::Markdown => "\\\\x1b\\]0;owned",
        _ => "\\x1b]0;owned",
    }
}

/// Characters that must never be in any output raw (the format's own newlines aside): every
/// control character (C0 including CR, tab, ESC, BEL, NUL; DEL; C1 including CSI and OSC), the
/// bidirectional formatting characters (UAX #9), zero-width characters and the BOM, line and
/// paragraph separators, and the noncharacters U+FFFE/U+FFFF.
fn raw_controls(text: &str) -> Vec<(usize, char)> {
    text.char_indices()
        .filter(|(_, c)| {
            (c.is_control() && *c != '\n')
                || matches!(
                    *c as u32,
                    0x061C
                        | 0x200B..=0x200F
                        | 0x202A..=0x202E
                        | 0x2066..=0x2069
                        | 0x2028
                        | 0x2029
                        | 0xFEFF
                        | 0xFFFE
                        | 0xFFFF
                )
        })
        .collect()
}

fn assert_no_raw_controls(what: &str, text: &str) {
    let found = raw_controls(text);
    assert!(
        found.is_empty(),
        "{what}: raw control characters at {:?}",
        &found[..found.len().min(10)]
    );
}

fn render(report: &Report, format: Format) -> String {
    let mut out = Vec::new();
    if matches!(format, Format::Ocsf | Format::Asff) {
        // Their time is the manifest's collected_at: a hostile one is an error, spelled visibly.
        if let Err(e) = pathproof::report::write(report, format, &mut out) {
            assert_no_raw_controls(&format!("{format:?} error"), &e.to_string());
            let mut timed = report.clone();
            timed.snapshot.collected_at = Some("2026-11-25T18:00:00Z".into());
            out.clear();
            pathproof::report::write(&timed, format, &mut out).unwrap();
        }
        return String::from_utf8(out).expect("utf-8 output");
    }
    pathproof::report::write(report, format, &mut out).unwrap();
    String::from_utf8(out).expect("utf-8 output")
}

/// Remove SGR colour sequences (`ESC [ digits ; … m`), the only escape sequences the table
/// itself writes (comfy-table colours the verdict when stdout is a terminal).
fn strip_sgr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("\u{1b}[") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 2..];
        let len = tail
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(tail.len());
        if tail[len..].starts_with('m') {
            rest = &tail[len + 1..];
        } else {
            // Not a colour: keep it, so the check below reports it.
            out.push_str("\u{1b}[");
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

/// XML 1.0 (Fifth Edition) §2.2 `Char`.
fn is_xml_char(c: char) -> bool {
    matches!(c as u32, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// Well-formed XML 1.0: every character is a `Char` (§2.2), quick-xml reads the document to the
/// end with matching end tags, exactly one root element, only the predefined entities, and
/// character references (in text and attributes) to legal characters (WFC: Legal Character).
fn assert_well_formed_xml(doc: &str) {
    use quick_xml::events::Event;
    if let Some((i, c)) = doc.char_indices().find(|(_, c)| !is_xml_char(*c)) {
        panic!("U+{:04X} at byte {i} is not an XML 1.0 character", c as u32);
    }
    let mut reader = quick_xml::Reader::from_str(doc);
    reader.config_mut().check_end_names = true;
    let (mut depth, mut roots) = (0usize, 0usize);
    let check_attributes = |e: &quick_xml::events::BytesStart<'_>| {
        for attr in e.attributes() {
            let attr = attr.expect("well-formed attribute");
            let value = attr.unescape_value().expect("attribute value unescapes");
            assert!(value.chars().all(is_xml_char), "{value:?}");
        }
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                roots += usize::from(depth == 0);
                depth += 1;
                check_attributes(&e);
            }
            Event::Empty(e) => {
                roots += usize::from(depth == 0);
                check_attributes(&e);
            }
            Event::End(_) => depth = depth.checked_sub(1).expect("no unmatched end tag"),
            Event::Text(t) => {
                let text = t.decode().unwrap();
                assert!(
                    depth > 0 || text.trim().is_empty(),
                    "text outside the root: {text:?}"
                );
            }
            Event::GeneralRef(r) => {
                if let Some(c) = r.resolve_char_ref().expect("valid character reference") {
                    assert!(is_xml_char(c), "reference to U+{:04X}", c as u32);
                } else {
                    let name = r.decode().unwrap();
                    assert!(
                        ["lt", "gt", "amp", "apos", "quot"].contains(&name.as_ref()),
                        "undeclared entity &{name};"
                    );
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!((depth, roots), (0, 1), "unclosed elements or not one root");
}

/// Cells of a GFM table row, counted the strict way (a backslash escapes the next character, so a
/// pipe after an even run of backslashes separates cells) and the loose way (a pipe right after a
/// backslash is content). A row pathproof writes must have the same count either way.
fn cell_counts(row: &str) -> (usize, usize) {
    let (mut strict, mut escaped) = (0, false);
    for c in row.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '|' => strict += 1,
            _ => {}
        }
    }
    let loose = row
        .char_indices()
        .filter(|(i, c)| *c == '|' && !row[..*i].ends_with('\\'))
        .count();
    (strict, loose)
}

/// Position of a character not escaped by an odd run of backslashes.
fn unescaped(line: &str, target: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == target {
            return Some(i);
        }
    }
    None
}

/// True when `line` has an unescaped `]` followed by `(`: the end of a link or image text
/// and the start of its destination (CommonMark §6.3 inline links).
fn has_inline_link(line: &str) -> bool {
    let mut escaped = false;
    let mut prev_bracket = false;
    for c in line.chars() {
        if prev_bracket && c == '(' {
            return true;
        }
        prev_bracket = false;
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ']' {
            prev_bracket = true;
        }
    }
    false
}

/// The Markdown report's structure survives: every table row has its table's column count, the
/// only HTML is pathproof's `<details>`/`<summary>`, no link or image can form, every `&` is an entity pathproof wrote, and every heading, list
/// item and block quote is one of the report's own.
fn assert_markdown_structure(md: &str) {
    let mut columns: Option<(usize, usize)> = None;
    for line in md.lines() {
        if line.starts_with('|') {
            let counts = cell_counts(line);
            assert_eq!(counts.0, counts.1, "ambiguous row: {line}");
            match columns {
                None => columns = Some(counts),
                Some(c) => assert_eq!(c, counts, "row changes the column count: {line}"),
            }
        } else {
            columns = None;
        }
        let mut rest = line;
        while let Some(at) = rest.find('<') {
            let tag = &rest[at..];
            assert!(
                ["<details>", "<summary>", "</summary>", "</details>"]
                    .iter()
                    .any(|t| tag.starts_with(t)),
                "raw HTML: {line}"
            );
            rest = &rest[at + 1..];
        }
        for (i, _) in line.match_indices('&') {
            assert!(
                ["&amp;", "&lt;", "&gt;"]
                    .iter()
                    .any(|e| line[i..].starts_with(e)),
                "an entity from the data: {line}"
            );
        }
        // No inline link or image (`](`) outside code spans (in code spans nothing is a link).
        let outside_code: String = line.split('`').step_by(2).collect();
        assert!(!has_inline_link(&outside_code), "link syntax: {line}");
        if line.starts_with('#') {
            let ours = line == "# pathproof compliance report"
                || ["## Paths", "## Findings", "## Evidence"].contains(&line)
                || (line.starts_with("### PP") && line.as_bytes().get(9) == Some(&b' '))
                // report12: findings grouped by control, one heading per framework.
                || line == "## Findings by control"
                || pathproof::rules::FRAMEWORKS
                    .iter()
                    .any(|(_, name)| line == format!("### {name}"));
            assert!(ours, "a heading from the data: {line}");
        }
        if line.starts_with("- ") {
            let ours = [
                "- Severity: ",
                "- Fingerprint: ",
                "- Gate: ",
                "- Finding: ",
                "- Seen on ",
                "- Why it matters: ",
                "- Remediation: ",
                "- Controls: ",
            ]
            .iter()
            .any(|p| line.starts_with(p));
            assert!(ours, "a list item from the data: {line}");
        }
        assert!(
            !line.starts_with('>'),
            "a block quote from the data: {line}"
        );
    }
}

/// The HTML report has only the elements and attributes pathproof writes.
fn assert_html_structure(html: &str) {
    const TAGS: &[&str] = &[
        "!DOCTYPE",
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "h1",
        "h2",
        "h3",
        "table",
        "tr",
        "th",
        "td",
        "span",
        "code",
        "ul",
        "li",
        "p",
        "details",
        "summary",
        // report12: re-verify command, path diagrams (inline SVG).
        "pre",
        "figure",
        "figcaption",
        "svg",
        "g",
        "rect",
        "text",
        "tspan",
        "path",
        "polygon",
    ];
    const ATTRIBUTES: &[&str] = &[
        "lang=\"en\"",
        "charset=\"utf-8\"",
        "class=\"",
        // report12: the CSP meta element and SVG geometry (numbers only).
        "http-equiv=\"Content-Security-Policy\"",
        "content=\"default-src 'none'; style-src 'unsafe-inline'\"",
        "xmlns=\"http://www.w3.org/2000/svg\"",
        "role=\"img\"",
        "width=\"",
        "height=\"",
        "viewBox=\"",
        "x=\"",
        "y=\"",
        "rx=\"",
        "d=\"",
        "points=\"",
        "fill=\"#667\"",
        "font-family=\"monospace\"",
    ];
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "script element");
    assert!(!lower.contains("<img"), "img element");
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        let end = rest[at..].find('>').expect("tag ends") + at;
        let tag = &rest[at + 1..end];
        // Split at spaces outside quoted attribute values.
        let mut parts: Vec<String> = vec![String::new()];
        let mut quoted = false;
        for c in tag.trim_start_matches('/').trim_end_matches('/').chars() {
            match c {
                '"' => {
                    quoted = !quoted;
                    parts.last_mut().unwrap().push(c);
                }
                ' ' if !quoted => parts.push(String::new()),
                c => parts.last_mut().unwrap().push(c),
            }
        }
        let name = parts[0].clone();
        assert!(TAGS.contains(&name.as_str()), "element <{tag}>");
        for attr in parts[1..].iter().filter(|p| !p.is_empty() && *p != "html") {
            assert!(
                ATTRIBUTES.iter().any(|a| attr.starts_with(a)),
                "attribute {attr} in <{tag}>"
            );
        }
        rest = &rest[end + 1..];
    }
}

/// Every string in a JSON document.
fn json_strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_strings(x, out)),
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                out.push(k.clone());
                json_strings(x, out);
            }
        }
        _ => {}
    }
}

/// Check one rendering of a report that carries `raw` (a hostile string) somewhere; `shown`:
/// whether the format displays the hostile field (then it must be there, spelled visibly).
fn check_output(format: Format, out: &str, raw: &str, shown: bool) {
    let what = format!("{format:?}");
    match format {
        Format::Table => {
            let plain = strip_sgr(out);
            // A terminal would not change its title, clear the screen or overwrite a line.
            assert!(!plain.contains('\u{1b}'), "escape sequence in the table");
            assert!(!plain.contains('\u{7}') && !plain.contains('\u{9d}'));
            assert_no_raw_controls(&what, &plain);
        }
        Format::Json | Format::Sarif | Format::Ocsf | Format::Asff => {
            assert_no_raw_controls(&what, out);
            let doc: serde_json::Value = serde_json::from_str(out).expect("valid JSON");
            let mut strings = Vec::new();
            json_strings(&doc, &mut strings);
            if matches!(format, Format::Json | Format::Ocsf) {
                // The JSON report is the data as collected: escaped in the bytes, lossless.
                assert!(
                    strings.iter().any(|s| s.contains(raw)),
                    "JSON lost the data"
                );
            } else if format == Format::Sarif {
                assert_eq!(doc["version"], "2.1.0");
                for result in doc["runs"][0]["results"].as_array().unwrap() {
                    let text = result["message"]["text"].as_str().unwrap();
                    assert_no_raw_controls("SARIF message", text);
                    assert_eq!(unescaped(text, '['), None, "embedded link: {text}");
                    assert_eq!(unescaped(text, ']'), None, "embedded link: {text}");
                }
            }
        }
        Format::Junit => {
            assert_no_raw_controls(&what, out);
            assert_well_formed_xml(out);
        }
        Format::Markdown => {
            assert_no_raw_controls(&what, out);
            assert_markdown_structure(out);
        }
        Format::Html => {
            assert_no_raw_controls(&what, out);
            assert_html_structure(out);
        }
    }
    if !shown {
        return;
    }
    if matches!(format, Format::Sarif | Format::Asff) {
        // Shown visibly in a message (`\\x1b\]0;owned`, brackets escaped) or a location name.
        let doc: serde_json::Value = serde_json::from_str(out).unwrap();
        let mut strings = Vec::new();
        json_strings(&doc, &mut strings);
        assert!(
            strings
                .iter()
                .any(|s| s.contains("\\x1b]0;owned") || s.contains("\\x1b\\]0;owned")),
            "{what}: the data is not shown visibly"
        );
    } else if !matches!(format, Format::Json | Format::Ocsf) {
        assert!(
            out.contains(marker(format)),
            "{what}: the data is not shown visibly"
        );
    }
}

/// The renderers alone: a real report with every string field replaced by hostile text.
#[test]
fn every_format_is_safe_with_hostile_text_in_every_field() {
    let snapshot = Snapshot::load(&fixture("violations/PP007-network-acl-blocks-mqtt")).unwrap();
    let mut report = pathproof::verify::verify(&snapshot, None);
    let h = || HOSTILE.to_string();
    report.tool = h();
    report.snapshot.path = h();
    report.snapshot.collected_at = Some(h());
    report.snapshot.collector = Some(h());
    report.snapshot.digest = h();
    report.snapshot.targets[0].account = h();
    report.snapshot.targets[0].regions.push(h());
    report.intent.approved_endpoints.insert(h());
    report.evidence[0].path = h();
    report.evidence[0].sha256 = h();
    assert!(!report.paths.is_empty() && !report.findings.is_empty());
    for p in &mut report.paths {
        p.source.id = h();
        p.source.vpc = Some(h());
        p.destination = h();
        for hop in &mut p.hops {
            hop.id = h();
            hop.via = h();
        }
    }
    for f in &mut report.findings {
        f.resource = h();
        f.message = h();
    }
    // A finding that is not about a path, so that JUnit has a finding test case too.
    let mut extra = report.findings[0].clone();
    extra.paths.clear();
    report.findings.push(extra);
    for format in Format::value_variants() {
        let out = render(&report, *format);
        check_output(*format, &out, HOSTILE, true);
    }
}

/// Write `HOSTILE` into the snapshot where AWS (or whoever controls a resource) writes text.
fn hostile_reference() -> tempfile::TempDir {
    let tmp = copy_fixture("reference");
    let dir = tmp.path();
    edit_json(dir, "manifest.json", |doc| {
        doc["collector"] = HOSTILE.into();
        doc["collected_at"] = HOSTILE.into();
        // An AWS error message (and operation) as the collector recorded it.
        doc["errors"] = serde_json::json!([{
            "account": "111111111111",
            "region": "us-west-2",
            "operation": format!("ec2:{HOSTILE_NAME}"),
            "message": HOSTILE,
        }]);
    });
    // Values that become file names or must match an AWS pattern (the IoT endpoint address, an
    // IoT policy name) no longer load at all: tests/it/input.rs checks those errors.
    tmp
}

/// A network ACL id (in a finding's resource and in every path through it).
fn hostile_nacl() -> tempfile::TempDir {
    let tmp = copy_fixture("violations/PP007-network-acl-blocks-mqtt");
    edit_json(
        tmp.path(),
        "222222222222/us-west-2/ec2/describe-network-acls.json",
        |doc| {
            for acl in doc["NetworkAcls"].as_array_mut().unwrap() {
                if acl["NetworkAclId"] == "acl-0bbb00000000000e7" {
                    acl["NetworkAclId"] = HOSTILE.into();
                    for a in acl["Associations"].as_array_mut().unwrap() {
                        a["NetworkAclId"] = HOSTILE.into();
                    }
                }
            }
        },
    );
    tmp
}

fn verify_as(dir: &Path, format: Format) -> String {
    let name = format.to_possible_value().unwrap().get_name().to_string();
    let (result, out) = run(&[
        "verify",
        "--snapshot",
        dir.to_str().unwrap(),
        "--format",
        &name,
    ]);
    match result {
        Err(e) if matches!(format, Format::Ocsf | Format::Asff) => {
            let text = format!("{e:#}");
            assert!(text.contains("collected_at"), "{text}");
            assert_no_raw_controls(&format!("{name} error"), &text);
            // Nothing else to check: the report was not written.
            "[]".to_string()
        }
        other => {
            other.unwrap_or_else(|e| panic!("verify --format {name}: {e:#}"));
            out
        }
    }
}

/// End to end: hostile text in the manifest, an endpoint name, a policy name and a NACL id.
#[test]
fn hostile_snapshot_values_reach_no_format_raw() {
    // JUnit shows findings that are about paths only as failed path cases, which do not name
    // the network ACL.
    let cases = [
        (hostile_reference(), Vec::new()),
        (hostile_nacl(), vec![Format::Junit]),
    ];
    for (tmp, not_shown) in cases {
        let raw = HOSTILE;
        let (_, json) = verify_json(tmp.path(), &[]);
        let resources: BTreeSet<String> = findings(&json).into_iter().map(|(_, r)| r).collect();
        // The data reached the findings (else the test proves nothing).
        assert!(
            resources
                .iter()
                .any(|r| r.contains(raw) || r.contains(HOSTILE_NAME)),
            "{resources:?}"
        );
        for format in Format::value_variants() {
            let out = verify_as(tmp.path(), *format);
            if out == "[]" && matches!(format, Format::Ocsf | Format::Asff) {
                continue; // refused the hostile collected_at (checked in verify_as)
            }
            check_output(*format, &out, raw, !not_shown.contains(format));
        }
    }
}

/// `pathproof graph`: ids in DOT labels cannot end the quoted string or add statements.
#[test]
fn graph_labels_are_quoted_strings_without_controls() {
    let tmp = copy_fixture("reference");
    edit_json(
        tmp.path(),
        "111111111111/us-west-2/ec2/describe-subnets.json",
        |doc| doc["Subnets"][0]["SubnetId"] = HOSTILE.into(),
    );
    let (result, dot) = run(&["graph", "--snapshot", tmp.path().to_str().unwrap()]);
    result.unwrap();
    assert_no_raw_controls("dot", &dot);
    assert!(dot.contains("\\\\x1b]0;owned"), "the id is not shown");
    let lines: Vec<&str> = dot.lines().collect();
    assert_eq!(lines.first(), Some(&"digraph pathproof {"));
    assert_eq!(lines.last(), Some(&"}"));
    for line in &lines[2..lines.len() - 1] {
        // `  nA [label="…"];` or `  nA -> nB [label="…"];` with one quoted string.
        let open = line.find("[label=\"").expect("a label") + 8;
        assert!(line.ends_with("\"];"), "{line}");
        let inner = &line[open..line.len() - 3];
        assert_eq!(unescaped(inner, '"'), None, "the label ends early: {line}");
        assert!(!inner.ends_with('\\') || inner.ends_with("\\\\"), "{line}");
        let head = &line[..open - 8];
        assert!(
            head.trim()
                .split(' ')
                .all(|t| t == "->" || t.starts_with('n')),
            "{line}"
        );
    }
}

/// `pathproof rules` in every format it supports.
#[test]
fn rules_output_has_no_control_characters() {
    for format in ["table", "json", "markdown"] {
        let (result, out) = run(&["rules", "--format", format]);
        result.unwrap();
        assert_no_raw_controls(format, &out);
    }
}

/// The real binary: an input error whose message names a file whose name (from the snapshot)
/// holds control characters is printed on one line, with them spelled visibly.
#[test]
fn input_errors_on_stderr_spell_control_characters() {
    let tmp = copy_fixture("reference");
    let dir = tmp.path();
    let policies = "222222222222/us-west-2/iot";
    edit_json(dir, &format!("{policies}/list-policies.json"), |doc| {
        doc["policies"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({
                "policyName": HOSTILE_NAME,
                "policyArn": "arn:aws:iot:us-west-2:222222222222:policy/x",
            }));
    });
    // The file exists but is not JSON: an input error naming it.
    std::fs::write(
        dir.join(format!("{policies}/get-policy/{HOSTILE_NAME}.json")),
        "{ not json",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_pathproof"))
        .args(["verify", "--snapshot"])
        .arg(dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("pathproof: error: "), "{stderr:?}");
    assert_eq!(stderr.matches('\n').count(), 1, "one line: {stderr:?}");
    assert!(stderr.ends_with('\n'));
    assert_no_raw_controls("stderr", &stderr);
    // The policy name is rejected where it is listed; the message quotes it with its control
    // characters spelled out.
    assert!(
        stderr.contains(
            "list-policies.json: policies[2].policyName: \"evil\\u{1b}]0;owned\\u{7}\\u{1b}[2J\\r\\u{202e}txet\\u{fffe}\\u{9b}"
        ),
        "the name is not shown visibly: {stderr:?}"
    );
    assert!(out.stdout.is_empty());
}

/// The checkers above are not vacuous: each rejects the breakage it is there for.
#[test]
fn the_checkers_reject_broken_documents() {
    let rejects = |f: &dyn Fn()| std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).is_err();
    // XML: a noncharacter, a reference to one, NUL by reference, unbalanced tags, two roots,
    // an undeclared entity.
    for doc in [
        "<a>\u{fffe}</a>",
        "<a>&#xFFFF;</a>",
        "<a b=\"&#x1b;\"/>",
        "<a><b></a>",
        "<a/><b/>",
        "<a>&nbsp;</a>",
    ] {
        assert!(rejects(&|| assert_well_formed_xml(doc)), "{doc}");
    }
    assert_well_formed_xml("<?xml version=\"1.0\"?>\n<a b=\"&quot;&#xA;\">x &amp; &#x202e;</a>\n");
    // Markdown: a pipe that adds a column, raw HTML, an inline link, a heading from a newline.
    for md in [
        "| a | b |\n|---|---|\n| x | y | z |\n",
        "| a |\n|---|\n| <img src=x> |\n",
        "- Finding: [x](javascript:alert(1))\n",
        "- Finding: x\n# owned\n",
        "- Finding: &#x202e;\n",
    ] {
        assert!(rejects(&|| assert_markdown_structure(md)), "{md}");
    }
    assert_markdown_structure("| a | b |\n|---|---|\n| x\\|y | `z` |\n\n- Finding: \\[x\\](y)\n");
    // HTML: a script element, an event handler attribute.
    for html in [
        "<p><script>x</script></p>",
        "<p><span onclick=\"x\">y</span></p>",
    ] {
        assert!(rejects(&|| assert_html_structure(html)), "{html}");
    }
    assert_html_structure("<p class=\"private\">&lt;script&gt;</p>");
    // Terminal: the window title sequence, a bidi override, a carriage return.
    for text in ["\u{1b}]0;x\u{7}", "a\u{202e}b", "a\rb", "\u{9d}0;x"] {
        assert!(!raw_controls(text).is_empty(), "{text:?}");
    }
    assert_eq!(strip_sgr("\u{1b}[31mred\u{1b}[0m"), "red");
    assert!(raw_controls(&strip_sgr("\u{1b}[2J")).len() == 1);
}
