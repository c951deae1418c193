//! The escape functions against oracles written from the specifications they cite: XML 1.0 §2.2
//! `Char`, Unicode's Default_Ignorable_Code_Point list, CommonMark/GFM escapes and table cells,
//! SARIF §3.11.6 embedded links, DOT quoted strings, RFC 8259 string escapes.
use super::*;

/// XML 1.0 (Fifth Edition) §2.2: `Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
/// [#x10000-#x10FFFF]`.
fn is_xml_char(c: char) -> bool {
    matches!(c as u32, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// Characters an attacker would use, and characters ordinary data has; the expected
/// classification comes from the character's Unicode properties, not from `is_unsafe`.
const TABLE: &[(char, bool, &str)] = &[
    ('\u{0}', true, "NUL"),
    ('\u{7}', true, "BEL (ends OSC sequences)"),
    ('\u{8}', true, "backspace"),
    ('\t', true, "tab"),
    ('\n', true, "line feed"),
    ('\r', true, "carriage return"),
    ('\u{1b}', true, "ESC"),
    ('\u{7f}', true, "DEL"),
    ('\u{85}', true, "NEL (C1)"),
    ('\u{9b}', true, "CSI (C1)"),
    ('\u{9d}', true, "OSC (C1)"),
    ('\u{ad}', true, "soft hyphen (default ignorable)"),
    ('\u{61c}', true, "Arabic letter mark (bidi)"),
    ('\u{200b}', true, "zero width space"),
    ('\u{200d}', true, "zero width joiner"),
    ('\u{200e}', true, "left-to-right mark"),
    ('\u{202a}', true, "left-to-right embedding"),
    ('\u{202e}', true, "right-to-left override"),
    ('\u{2028}', true, "line separator"),
    ('\u{2029}', true, "paragraph separator"),
    ('\u{2066}', true, "left-to-right isolate"),
    ('\u{2069}', true, "pop directional isolate"),
    ('\u{fdd0}', true, "noncharacter"),
    ('\u{fe0f}', true, "variation selector 16"),
    ('\u{feff}', true, "BOM / zero width no-break space"),
    ('\u{fff9}', true, "interlinear annotation anchor"),
    ('\u{fffe}', true, "noncharacter U+FFFE (not an XML Char)"),
    ('\u{ffff}', true, "noncharacter U+FFFF (not an XML Char)"),
    ('\u{1fffe}', true, "noncharacter of plane 1"),
    ('\u{10ffff}', true, "last code point (noncharacter)"),
    (
        '\u{e0041}',
        true,
        "tag latin capital letter A (hidden text)",
    ),
    ('a', false, "letter"),
    (' ', false, "space"),
    ('\\', false, "backslash"),
    ('é', false, "accented letter"),
    ('→', false, "arrow used in paths"),
    ('✗', false, "cross used in paths"),
    ('—', false, "em dash used in headings"),
    ('中', false, "CJK"),
    ('😀', false, "emoji"),
    ('\u{a0}', false, "no-break space"),
    ('\u{e000}', false, "private use"),
    ('\u{fffc}', false, "object replacement character"),
    ('\u{fffd}', false, "replacement character"),
    ('\u{10000}', false, "first supplementary character"),
];

#[test]
fn classification_matches_the_unicode_properties() {
    for (c, unsafe_, what) in TABLE {
        assert_eq!(is_unsafe(*c), *unsafe_, "U+{:04X} {what}", *c as u32);
    }
}

#[test]
fn every_code_point_comes_out_as_a_safe_xml_char_or_a_visible_escape() {
    let all: String = (0..=0x10FFFFu32).filter_map(char::from_u32).collect();
    for f in [visible, terminal, xml, html, markdown, sarif_text, dot] {
        let out = f(&all);
        for c in out.chars() {
            assert!(is_xml_char(c), "U+{:04X} is not an XML 1.0 Char", c as u32);
            assert!(!is_unsafe(c), "U+{:04X} left raw", c as u32);
        }
    }
    let code = markdown_code(&all);
    assert!(code.chars().all(|c| is_xml_char(c) && !is_unsafe(c)));
    // Safe characters are kept; unsafe ones are each replaced by their escape.
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        let s = c.to_string();
        let v = visible(&s);
        if is_unsafe(c) {
            assert!(
                v.starts_with('\\') && v.len() > 1,
                "U+{:04X} -> {v}",
                c as u32
            );
        } else {
            assert_eq!(v, s);
        }
    }
}

#[test]
fn the_visible_spelling() {
    assert_eq!(
        visible("a\u{1b}[2Jb\u{1b}]0;t\u{7}"),
        "a\\x1b[2Jb\\x1b]0;t\\x07"
    );
    assert_eq!(visible("l1\nl2\r\tx\u{0}"), "l1\\nl2\\r\\tx\\x00");
    assert_eq!(visible("\u{9b}31m"), "\\x9b31m");
    assert_eq!(visible("abc\u{202e}fed"), "abc\\u{202e}fed");
    assert_eq!(visible("\u{fffe}\u{ffff}"), "\\u{fffe}\\u{ffff}");
    assert_eq!(visible("\u{e0041}"), "\\u{e0041}");
}

#[test]
fn ordinary_text_is_borrowed_unchanged() {
    let ordinary =
        "subnet-0aaa0000000000a01 (device vpc-0aaa00000000000d1) → tgw-attach-1 ✗ no route";
    for f in [visible, terminal, xml, html, markdown, sarif_text, dot] {
        assert!(matches!(f(ordinary), Cow::Borrowed(_)));
        assert_eq!(f(ordinary), ordinary);
    }
    assert_eq!(
        markdown_code("a1b2c3d4e5f6g7-ats.iot.us-west-2.amazonaws.com"),
        "`a1b2c3d4e5f6g7-ats.iot.us-west-2.amazonaws.com`"
    );
}

#[test]
fn html_escapes_markup_and_quotes() {
    assert_eq!(
        html("<script>alert(1)</script>"),
        "&lt;script&gt;alert(1)&lt;/script&gt;"
    );
    assert_eq!(
        html("\"><img src=x onerror=alert(1)>"),
        "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
    );
    assert_eq!(html("&#x202e;&amp;"), "&amp;#x202e;&amp;amp;");
    assert_eq!(html("a\u{202e}b\u{0}"), "a\\u{202e}b\\x00");
}

/// Split a GFM table row into cells the strict way (a backslash escapes the next character, so a
/// pipe after an even run of backslashes separates) and the loose way (any pipe right after a
/// backslash is content). A row written by pathproof must have the same cells either way.
fn cells(row: &str) -> (usize, usize) {
    let strict = {
        let (mut n, mut escaped) = (0, false);
        for c in row.chars() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '|' => n += 1,
                _ => {}
            }
        }
        n
    };
    let loose = row
        .char_indices()
        .filter(|(i, c)| *c == '|' && !row[..*i].ends_with('\\'))
        .count();
    (strict, loose)
}

/// True when `s` has a `[`, `]`, `<`, `` ` ``, `*`, `_` or `$` that CommonMark would read as markup:
/// one not preceded by an odd run of backslashes. Inside [`markdown`] output every such character
/// must be escaped (and `<` must not occur at all).
fn has_unescaped_markup(s: &str) -> bool {
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '[' | ']' | '<' | '>' | '`' | '*' | '_' | '$' | '~' | '|' => return true,
            _ => {}
        }
    }
    false
}

const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "a|b|c",
    "a\\|b",
    "a\\\\|b\\",
    "line1\n# heading\n> quote\n- item\n",
    "# heading",
    "- item",
    "`code` and ``more``",
    "**bold** _em_ ~~gone~~ $x^2$",
    "&#x202e;&lt;script&gt;",
    "\u{1b}]0;title\u{7}\u{202e}\u{fffe}",
];

#[test]
fn markdown_text_is_inert_and_keeps_table_cells() {
    for h in HOSTILE {
        let m = markdown(h);
        assert!(!m.contains('\n'), "{m}");
        assert!(!has_unescaped_markup(&m), "{h:?} -> {m}");
        let row = format!("| {m} | x |");
        assert_eq!(cells(&row), (3, 3), "{h:?} -> {row}");
        // Every `&` is one pathproof wrote: an entity written by the data is not decoded.
        for (i, _) in m.match_indices('&') {
            let rest = &m[i..];
            assert!(
                rest.starts_with("&amp;") || rest.starts_with("&lt;") || rest.starts_with("&gt;"),
                "{m}"
            );
        }
    }
    assert_eq!(
        markdown("[click](javascript:alert(1))"),
        "\\[click\\](javascript:alert(1))"
    );
    assert_eq!(markdown("<b>x</b>"), "&lt;b&gt;x&lt;/b&gt;");
    assert_eq!(markdown("a|b"), "a\\|b");
    assert_eq!(markdown("# h"), "\\# h");
    assert_eq!(markdown("a # b - c"), "a # b - c");
    assert_eq!(markdown("iot:*"), "iot:\\*");
}

#[test]
fn markdown_code_spans_cannot_be_closed_early() {
    assert_eq!(markdown_code("vpc-1"), "`vpc-1`");
    assert_eq!(markdown_code("a`b"), "``a`b``");
    assert_eq!(markdown_code("``x"), "``` ``x ```");
    assert_eq!(markdown_code("x "), "` x  `");
    assert_eq!(markdown_code(""), "``");
    // A pipe or a backslash is not written as code (GFM would split the cell).
    assert_eq!(markdown_code("a|b"), "a\\|b");
    assert_eq!(markdown_code("a\\b"), "a\\\\b");
    for h in HOSTILE {
        let code = markdown_code(h);
        assert!(!code.contains('\n'));
        assert_eq!(cells(&format!("| {code} | x |")), (3, 3), "{h:?} -> {code}");
        if code.starts_with('`') {
            // The fence is longer than any backtick run inside.
            let fence = code.chars().take_while(|c| *c == '`').count();
            let inner = &code[fence..code.len() - fence];
            assert!(!inner.contains(&"`".repeat(fence)), "{code}");
        } else {
            assert!(!has_unescaped_markup(&code), "{h:?} -> {code}");
        }
    }
}

#[test]
fn sarif_text_has_no_embedded_link() {
    assert_eq!(
        sarif_text("[x](javascript:alert(1))"),
        "\\[x\\](javascript:alert(1))"
    );
    // A backslash in the data cannot un-escape a bracket.
    assert_eq!(sarif_text("\\[x\\](1)"), "\\\\\\[x\\\\\\](1)");
    for h in HOSTILE {
        let t = sarif_text(h);
        let mut escaped = false;
        for c in t.chars() {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else {
                assert!(c != '[' && c != ']', "{h:?} -> {t}");
            }
        }
    }
}

#[test]
fn dot_strings_cannot_be_closed_early() {
    assert_eq!(dot("a\"b\\c"), "a\\\"b\\\\c");
    assert_eq!(dot("x\"];\nn9 [label=\"y"), "x\\\"];\\\\nn9 [label=\\\"y");
    for h in HOSTILE {
        let d = dot(h);
        let mut escaped = false;
        for c in d.chars() {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else {
                assert!(c != '"' && c != '\n', "{h:?} -> {d}");
            }
        }
        assert!(!escaped, "{d} ends in a lone backslash");
    }
}

#[test]
fn json_is_lossless_and_terminal_safe() {
    let value = serde_json::json!({
        "a\u{202e}key": ["\u{1b}]0;t\u{7}", "\u{7f}\u{9b}\u{85}", "\u{fffe}\u{ffff}\u{1fffe}",
                        "\u{200b}\u{feff}\u{2028}", "plain → ✗ 😀"],
    });
    let mut out = Vec::new();
    to_json_writer(&mut out, &value).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.chars().all(|c| c == '\n' || !is_unsafe(c)), "{text:?}");
    assert!(
        text.contains("\\u202e") && text.contains("\\ud83f\\udffe"),
        "{text}"
    );
    let back: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(back, value);
    // Ordinary documents are byte-identical to serde_json's pretty printer.
    let ordinary =
        serde_json::json!({"paths": [{"id": 1, "hops": ["subnet-1", "tgw → x"]}], "e": {}});
    let mut out = Vec::new();
    to_json_writer(&mut out, &ordinary).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        serde_json::to_string_pretty(&ordinary).unwrap()
    );
}

/// The ASCII fast scan finds exactly the character a char-by-char search finds: every
/// character of [`TABLE`] and every printable ASCII character, in strings of every mix.
#[test]
fn find_unsafe_agrees_with_a_char_by_char_search() {
    use proptest::prelude::*;
    let alphabet: Vec<char> = TABLE
        .iter()
        .map(|(c, _, _)| *c)
        .chain((0x20u8..=0x7E).map(char::from))
        .chain(['é', '\u{10ffff}', '\u{e0001}', '\u{1f600}'])
        .collect();
    let strings = proptest::collection::vec(proptest::sample::select(alphabet), 0..40)
        .prop_map(|cs| cs.into_iter().collect::<String>());
    proptest::test_runner::TestRunner::default()
        .run(&strings, |s| {
            prop_assert_eq!(find_unsafe(&s), s.find(is_unsafe), "{:?}", s);
            Ok(())
        })
        .unwrap();
    assert_eq!(find_unsafe("vpc-1\u{202e}x"), Some(5));
    assert_eq!(find_unsafe("plain ascii ~"), None);
}

/// [`SafeJson`]'s layout is serde_json's pretty printer's, on documents of every shape (empty
/// and nested arrays and objects, every scalar); at depth `d` it is that text with every line
/// after the first indented by `2d` spaces, which is how the text stands inside a document.
#[test]
fn safe_json_lays_out_like_serde_json_pretty_at_any_depth() {
    use proptest::prelude::*;
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[a-z \"\\\\\n\t/→]{0,6}".prop_map(Value::String),
    ];
    let value = leaf.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::vec(("[a-z\n]{0,3}", inner), 0..5)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    });
    proptest::test_runner::TestRunner::default()
        .run(&(value, 0usize..40), |(v, depth)| {
            let pretty = serde_json::to_string_pretty(&v).unwrap();
            let mut out = Vec::new();
            to_json_writer_at(&mut out, &v, depth).unwrap();
            let expected = pretty.replace('\n', &format!("\n{}", " ".repeat(2 * depth)));
            prop_assert_eq!(String::from_utf8(out).unwrap(), expected);
            Ok(())
        })
        .unwrap();
}
