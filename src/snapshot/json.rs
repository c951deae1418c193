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

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = "[".repeat(100_000);
        assert!(matches!(
            parse("f", text.as_bytes()),
            Err(SnapshotError::Json { .. })
        ));
    }
}
