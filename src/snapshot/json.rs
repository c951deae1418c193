//! JSON text → [`Value`], rejecting duplicate keys.
//!
//! `serde_json::from_slice::<Value>` keeps the last of two equal keys in one object, so a file
//! with `"VpcId"` twice would be read as whichever came last, silently. The AWS CLI never prints a
//! duplicate key (it prints a parsed response dict), so one is an input error naming the JSON path.
//! serde_json's recursion limit (128 levels) still applies.
use std::fmt::Write as _;

use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::SnapshotError;

mod keys;

#[derive(Debug)]
enum Seg {
    Key(String),
    Index(usize),
}

/// A JSON path like `RouteTables[1].Routes` (the style `serde_path_to_error` prints).
fn render(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if out.is_empty() => out.push_str(k),
            Seg::Key(k) => {
                let _ = write!(out, ".{k}");
            }
            Seg::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
        }
    }
    out
}

#[derive(Default)]
struct Ctx {
    path: Vec<Seg>,
    duplicate: Option<(String, String)>,
}

struct Seed<'a>(&'a mut Ctx);

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        loop {
            self.0.path.push(Seg::Index(out.len()));
            let next = seq.next_element_seed(Seed(self.0))?;
            self.0.path.pop();
            match next {
                Some(v) => out.push(v),
                None => return Ok(Value::Array(out)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                self.0.path.push(Seg::Key(key.clone()));
                self.0.duplicate = Some((render(&self.0.path), key));
                return Err(A::Error::custom("duplicate key"));
            }
            self.0.path.push(Seg::Key(key.clone()));
            let value = map.next_value_seed(Seed(self.0))?;
            self.0.path.pop();
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// Parse the bytes of `file` (a UTF-8 byte-order mark is skipped: Windows PowerShell's
/// `Out-File -Encoding utf8` writes one, and the content is the AWS CLI's output all the same).
pub fn parse(file: &str, bytes: &[u8]) -> Result<Value, SnapshotError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut ctx = Ctx::default();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let result = Seed(&mut ctx)
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v));
    result.map_err(|e| match ctx.duplicate.take() {
        Some((path, key)) => SnapshotError::Field {
            file: file.to_string(),
            path,
            message: format!(
                "duplicate key {key:?} in one object (the AWS CLI never prints one; which copy is meant is unknown)"
            ),
        },
        None => SnapshotError::Json {
            file: file.to_string(),
            message: e.to_string(),
        },
    })
}

/// Whether the fast paths may decode `bytes` (after a UTF-8 byte-order mark): no object has two
/// equal keys, and no value a derived decoder skips unchecked is one [`parse`] rejects, for
/// text serde_json accepts ([`keys`]).
fn fast_decodable(bytes: &[u8]) -> bool {
    keys::checked(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
}

/// The keys botocore's paginators name for the output token of the layout's operations.
pub const PAGE_KEYS: [&str; 4] = ["NextToken", "nextToken", "NextMarker", "nextMarker"];

/// The fast path of a listing file `{"<key>": [ … ], …}`: its records decoded straight from the
/// bytes, when the file is well formed, has no duplicate key, is an object holding `key` as an
/// array, and every element decodes. `None` otherwise: the caller then takes the path through
/// [`parse`] and [`Value`], which names what is wrong (or which record is left out). When both
/// succeed they give the same records (serde's derived decoders read a JSON text and the
/// [`Value`] parsed from it alike).
pub fn typed_list<T: serde::de::DeserializeOwned>(bytes: &[u8], key: &str) -> Option<Vec<T>> {
    struct Top<'k, T>(&'k str, std::marker::PhantomData<T>);
    impl<'de, T: serde::de::DeserializeOwned> DeserializeSeed<'de> for Top<'_, T> {
        type Value = Option<Vec<T>>;
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_map(self)
        }
    }
    impl<'de, T: serde::de::DeserializeOwned> Visitor<'de> for Top<'_, T> {
        type Value = Option<Vec<T>>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut items = None;
            let mut truncated = false;
            while let Some(k) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if k == self.0 {
                    items = Some(map.next_value::<Vec<T>>()?);
                } else if PAGE_KEYS.contains(&k.as_ref()) || k == "IsTruncated" {
                    // A page of a longer list: the slow path reports it (`Reader::truncated`).
                    let v = map.next_value::<Value>()?;
                    truncated |= if k == "IsTruncated" {
                        v.as_bool() == Some(true)
                    } else {
                        !v.is_null()
                    };
                } else {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
            Ok(items.filter(|_| !truncated))
        }
    }
    if !fast_decodable(bytes) {
        return None;
    }
    // UTF-8 checked once for the whole text, not string by string as a byte reader does (a
    // text that is not UTF-8 takes the slow path, which names the error).
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).ok()?;
    let mut de = serde_json::Deserializer::from_str(text);
    let items = Top(key, std::marker::PhantomData)
        .deserialize(&mut de)
        .ok()?;
    de.end().ok()?;
    items
}

/// The fast path of a whole-file object: like [`typed_list`], `T` decoded straight from the
/// bytes when the file is a well-formed JSON object without duplicate keys that decodes.
pub fn typed_object<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // A derived decoder also accepts an array for a struct; the layout's files are objects.
    if text.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') || !fast_decodable(bytes) {
        return None;
    }
    serde_json::from_str(std::str::from_utf8(text).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_serde_json() {
        let text = br#"{"b": [1, -2, 3.5, true, null, {"x": "y"}], "a": {}}"#;
        let ours = parse("f", text).unwrap();
        let theirs: Value = serde_json::from_slice(text).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(
            ours.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["b", "a"],
            "key order is kept"
        );
    }

    #[test]
    fn duplicate_keys_name_the_path() {
        let text = br#"{"RouteTables": [{"RouteTableId": "rtb-1"}, {"RouteTableId": "rtb-2", "VpcId": "vpc-1", "VpcId": "vpc-2"}]}"#;
        let err = parse("a/ec2/describe-route-tables.json", text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a/ec2/describe-route-tables.json: RouteTables[1].VpcId: duplicate key \"VpcId\" in one object (the AWS CLI never prints one; which copy is meant is unknown)"
        );
        let err = parse("f", br#"{"A": 1, "A": 1}"#).unwrap_err();
        assert!(err.to_string().starts_with("f: A: duplicate key"), "{err}");
    }

    #[test]
    fn trailing_content_and_bom() {
        assert!(matches!(
            parse("f", b"{} {}"),
            Err(SnapshotError::Json { .. })
        ));
        assert_eq!(
            parse("f", b"\xEF\xBB\xBF{}").unwrap(),
            serde_json::json!({})
        );
    }

    /// JSON text is UTF-8 (RFC 8259 §8.1): bytes that are not take the slow path, whose error
    /// names the file, in a string or between tokens.
    #[test]
    fn text_that_is_not_utf8_is_an_error_naming_the_file() {
        for text in [
            &b"{\"Recs\": [{\"Id\": \"a\xff\"}]}"[..],
            b"{\"Recs\": [{\"Id\": \"\xed\xa0\x80\"}]}",
            b"{\"Recs\": [{\"Id\": \"a\"}]}\xc3",
            // In a member no record reads: serde_json's byte reader skips such a string
            // without checking it, so the text must be checked as a whole.
            b"{\"Recs\": [{\"Id\": \"a\", \"X\": \"\xff\"}]}",
        ] {
            assert_eq!(typed_list::<Rec>(text, "Recs"), None);
            let err = parse("a/ec2/x.json", text).unwrap_err();
            assert!(
                matches!(&err, SnapshotError::Json { file, .. } if file == "a/ec2/x.json"),
                "{err}"
            );
        }
        assert_eq!(typed_object::<Rec>(b"{\"Id\": \"a\xff\"}"), None);
        assert!(typed_object::<Rec>(b"{\"Id\": \"a\"}").is_some());
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Rec {
        id: String,
        #[serde(default)]
        n: Option<i64>,
    }

    #[test]
    fn fast_path_gives_the_records_of_the_value_path() {
        let text = br#"{"Recs": [{"Id": "a", "N": 1, "Other": {"x": [1, 2]}}, {"Id": "b\u0041"}], "NextToken": null}"#;
        let fast: Vec<Rec> = typed_list(text, "Recs").unwrap();
        let value = parse("f", text).unwrap();
        let slow: Vec<Rec> = serde_json::from_value(value["Recs"].clone()).unwrap();
        assert_eq!(fast, slow);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text);
        assert_eq!(typed_list::<Rec>(&bom, "Recs").unwrap(), slow);
        assert_eq!(
            typed_object::<Rec>(br#" {"Id": "a", "N": 2}"#),
            Some(Rec {
                id: "a".into(),
                n: Some(2)
            })
        );
    }

    #[test]
    fn fast_path_declines_what_the_value_path_must_name() {
        // A duplicate key anywhere, also in a field no record reads, and also once unescaped.
        for text in [
            &br#"{"Recs": [{"Id": "a", "X": 1, "X": 2}]}"#[..],
            br#"{"Recs": [], "Recs": [{"Id": "a"}]}"#,
            br#"{"Recs": [{"Id": "a", "\u0058": 1, "X": 2}]}"#,
        ] {
            assert!(typed_list::<Rec>(text, "Recs").is_none());
            assert!(parse("f", text).is_err());
        }
        // Missing key, not an array, a record that does not decode, not an object, trailing text.
        for text in [
            &br#"{"Other": []}"#[..],
            br#"{"Recs": {}}"#,
            br#"{"Recs": [{"N": 1}]}"#,
            br#"[{"Recs": []}]"#,
            br#"{"Recs": []} {}"#,
            b"{\"Recs\": [",
            // A page of a longer list (the slow path names the token: `Reader::truncated`).
            br#"{"Recs": [], "NextToken": "eyJ2IjoxfQ=="}"#,
            br#"{"nextMarker": "m", "Recs": []}"#,
            br#"{"Recs": [], "IsTruncated": true}"#,
        ] {
            assert!(
                typed_list::<Rec>(text, "Recs").is_none(),
                "{:?}",
                String::from_utf8_lossy(text)
            );
        }
        // A struct decoder would take an array; the layout's whole-file objects are objects.
        assert!(typed_object::<Rec>(br#"["a", 1]"#).is_none());
        assert!(typed_object::<Rec>(br#"{"Id": "a", "Id": "b"}"#).is_none());
    }

    /// The oracle (the check the key scan replaced): whether `bytes` (after a UTF-8 byte-order
    /// mark) are one JSON value whose every object has distinct keys, by a parse that builds no
    /// value. Keys are compared unescaped, as [`parse`] compares them.
    fn unique_keys_by_parse(bytes: &[u8]) -> bool {
        struct Check;
        impl<'de> DeserializeSeed<'de> for Check {
            type Value = ();
            fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
                d.deserialize_any(self)
            }
        }
        impl<'de> Visitor<'de> for Check {
            type Value = ();
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E>(self, _: bool) -> Result<(), E> {
                Ok(())
            }
            fn visit_i64<E>(self, _: i64) -> Result<(), E> {
                Ok(())
            }
            fn visit_u64<E>(self, _: u64) -> Result<(), E> {
                Ok(())
            }
            fn visit_f64<E>(self, _: f64) -> Result<(), E> {
                Ok(())
            }
            fn visit_str<E>(self, _: &str) -> Result<(), E> {
                Ok(())
            }
            fn visit_unit<E>(self) -> Result<(), E> {
                Ok(())
            }
            fn visit_none<E>(self) -> Result<(), E> {
                Ok(())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
                while seq.next_element_seed(Check)?.is_some() {}
                Ok(())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
                let mut keys: Vec<Key<'de>> = Vec::new();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    // AWS objects have a few dozen keys at most; a sorted probe keeps a large one
                    // (a Route 53 record set list is an array, not an object) linearithmic.
                    match keys.binary_search(&key) {
                        Ok(_) => return Err(A::Error::custom("duplicate key")),
                        Err(at) => keys.insert(at, key),
                    }
                    map.next_value_seed(Check)?;
                }
                Ok(())
            }
        }
        /// An object key, borrowed from the input unless it has escapes.
        #[derive(PartialEq, Eq, PartialOrd, Ord)]
        struct Key<'de>(std::borrow::Cow<'de, str>);
        impl<'de> serde::Deserialize<'de> for Key<'de> {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = Key<'de>;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("an object key")
                    }
                    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                        Ok(Key(std::borrow::Cow::Borrowed(v)))
                    }
                    fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                        Ok(Key(std::borrow::Cow::Owned(v.to_owned())))
                    }
                }
                d.deserialize_str(V)
            }
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut de = serde_json::Deserializer::from_slice(bytes);
        Check.deserialize(&mut de).is_ok() && de.end().is_ok()
    }

    /// The key scan against a second parse (the check it replaces) on every text serde_json
    /// accepts from a generator of nested objects, arrays, escaped and unescaped keys.
    #[test]
    fn key_scan_agrees_with_a_parse() {
        use proptest::prelude::*;
        let key = proptest::sample::select(vec![
            "\"A\"",
            "\"B\"",
            "\"\\u0041\"",
            "\"a\\\"b\"",
            "\"a\\\\\"",
            "\"\"",
            "\"\u{e9}\"",
            "\"\\u00e9\"",
        ]);
        let leaf = proptest::sample::select(vec![
            "1",
            "null",
            "true",
            "\"x\"",
            "\"{\\\"A\\\": 1, \\\"A\\\": 2}\"",
            "\"[,]\"",
            "-2.5e3",
            // What a derived decoder skips unchecked and `parse` rejects (a lone surrogate, a
            // number out of range), and their valid neighbours.
            "\"\\ud800\"",
            "\"a\\udc00b\"",
            "\"\\ud83d\\ude00\"",
            "\"\\\\ud800\"",
            "1e400",
            "-1E+400",
            "1e-400",
            "0e999",
            "123456789012345678901234567890",
            "1.5e299",
        ])
        .prop_map(str::to_string);
        // Whitespace between tokens: runs of spaces (indentation, skipped eight at a time by
        // the scan) of every length around a multiple of eight, and line breaks.
        let ws = "[ ]{0,19}(\n[ ]{0,17})?";
        let value = leaf.prop_recursive(4, 64, 6, move |inner| {
            prop_oneof![
                (proptest::collection::vec(inner.clone(), 0..6), ws)
                    .prop_map(|(items, ws)| format!("[{ws}{}{ws}]", items.join(&format!(",{ws}")))),
                (proptest::collection::vec((key.clone(), inner), 0..6), ws).prop_map(
                    |(entries, ws)| {
                        let body: Vec<String> = entries
                            .iter()
                            .map(|(k, v)| format!("{k}{ws}:{ws}{v}"))
                            .collect();
                        format!("{{{ws}{}{ws}}}", body.join(&format!("{ws},{ws}")))
                    }
                ),
            ]
        });
        proptest::test_runner::TestRunner::default()
            .run(&value, |text| {
                prop_assert!(serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok());
                prop_assert_eq!(
                    fast_decodable(text.as_bytes()),
                    unique_keys_by_parse(text.as_bytes()),
                    "{}",
                    text
                );
                Ok(())
            })
            .unwrap();
        // A large object: linear probe, then the set.
        let wide: Vec<String> = (0..100).map(|i| format!("\"k{i}\": {i}")).collect();
        let text = format!("{{{}}}", wide.join(","));
        assert!(fast_decodable(text.as_bytes()));
        let text = format!("{{{}, \"k7\": 0}}", wide.join(","));
        assert!(!fast_decodable(text.as_bytes()));
        // Near the edge of f64 the scan sends valid text to `parse` as well (never the reverse).
        for text in ["1e300", "-1.7976931348623157e308", "[1e308]"] {
            assert!(serde_json::from_str::<serde_json::Value>(text).is_ok());
            assert!(!fast_decodable(text.as_bytes()), "{text}");
        }
        // Never a panic on malformed text.
        for text in ["\"", "\"\\", "{\"a", "}}]]", "{\"a\": {\"b\"", "\"\\u12"] {
            let _ = fast_decodable(text.as_bytes());
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = "[".repeat(100_000);
        assert!(matches!(
            parse("f", text.as_bytes()),
            Err(SnapshotError::Json { .. })
        ));
        assert!(typed_list::<Rec>(text.as_bytes(), "Recs").is_none());
    }
}
