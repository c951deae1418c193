//! Duplicate object keys, found by one scan of the bytes instead of a second parse.
//!
//! The fast paths ([`super::typed_list`], [`super::typed_object`]) decode records straight from
//! the bytes, and a derived decoder skips (and does not compare) the keys it does not read. This
//! scan finds a key given twice in any object of a well-formed JSON text. It is exact for text
//! that serde_json accepts (the fast paths run it only on such text); on any other text it
//! returns some answer, without panicking, and the caller's parse reports the text as malformed.
//! Keys are compared unescaped (`"\u0058"` and `"X"` are one key), as [`super::parse`] compares
//! them. Objects past [`SMALL`] keys switch from a linear probe to a hash set, so a hostile
//! object with a million keys costs linear time.
//!
//! A derived decoder also skips, unchecked, the values of members it does not read, while
//! [`super::parse`] rejects some of them: a string with a lone surrogate escape (`"\ud800"`,
//! which no Rust string can hold; RFC 8259 §8.2: its behaviour is unpredictable) and a number
//! out of range (`1e400`; RFC 8259 §6 lets an implementation limit the range). The scan answers `false`
//! for those too (and, to stay on the safe side, for any number near the edge of `f64`), so the
//! fast paths leave such text to `parse`, whose error names the file.
use std::borrow::Cow;
use std::collections::HashSet;

/// AWS CLI objects have a few dozen keys at most.
const SMALL: usize = 32;

#[derive(Default)]
struct Keys<'a> {
    list: Vec<Cow<'a, [u8]>>,
    set: Option<HashSet<Cow<'a, [u8]>>>,
}

impl<'a> Keys<'a> {
    /// False if `key` is already there.
    fn insert(&mut self, key: Cow<'a, [u8]>) -> bool {
        if let Some(set) = &mut self.set {
            return set.insert(key);
        }
        if self.list.contains(&key) {
            return false;
        }
        self.list.push(key);
        if self.list.len() > SMALL {
            self.set = Some(self.list.drain(..).collect());
        }
        true
    }

    fn clear(&mut self) {
        self.list.clear();
        self.set = None;
    }
}

enum Frame<'a> {
    Array,
    Object { keys: Keys<'a>, expect_key: bool },
}

/// Whether no object of `text` (a JSON text without a byte-order mark) has two equal keys, and
/// no string or number in it is one [`super::parse`] rejects (see the module comment).
pub(super) fn checked(text: &[u8]) -> bool {
    let mut stack: Vec<Frame<'_>> = Vec::new();
    // Key sets of closed objects, reused (one allocation per nesting level, not per object).
    let mut spare: Vec<Keys<'_>> = Vec::new();
    let mut i = 0;
    while let Some(&b) = text.get(i) {
        match b {
            b' ' => {
                i = skip_spaces(text, i);
                continue;
            }
            b'"' => {
                let Some((end, escaped)) = string_end(text, i + 1) else {
                    return false;
                };
                match stack.last_mut() {
                    Some(Frame::Object { keys, expect_key }) if *expect_key => {
                        let key = if escaped {
                            // Rare: unescape with serde_json itself, as `parse` reads the key.
                            match serde_json::from_slice::<String>(&text[i..=end]) {
                                Ok(s) => Cow::Owned(s.into_bytes()),
                                Err(_) => return false,
                            }
                        } else {
                            Cow::Borrowed(&text[i + 1..end])
                        };
                        if !keys.insert(key) {
                            return false;
                        }
                        *expect_key = false;
                    }
                    // A value's escapes: unescaped with serde_json itself when one could be a
                    // surrogate.
                    _ if escaped
                        && memchr::memmem::find(&text[i..end], b"\\u").is_some()
                        && serde_json::from_slice::<String>(&text[i..=end]).is_err() =>
                    {
                        return false;
                    }
                    _ => {}
                }
                i = end + 1;
                continue;
            }
            b'{' => stack.push(Frame::Object {
                keys: spare.pop().unwrap_or_default(),
                expect_key: true,
            }),
            b'[' => stack.push(Frame::Array),
            b'}' | b']' => {
                if let Some(Frame::Object { mut keys, .. }) = stack.pop() {
                    keys.clear();
                    spare.push(keys);
                }
            }
            b',' => {
                if let Some(Frame::Object { expect_key, .. }) = stack.last_mut() {
                    *expect_key = true;
                }
            }
            b'-' | b'0'..=b'9' => {
                let len = text[i..]
                    .iter()
                    .position(|b| !matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
                    .unwrap_or(text.len() - i);
                if !in_range(&text[i..i + len]) {
                    return false;
                }
                i += len;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    true
}

/// Whether the number `token` is well inside `f64`'s range. An integer of up to 18 digits
/// always is; anything else is parsed, and counts only if below 1e300 in magnitude (serde_json
/// rejects a number whose value is infinite as a double; near that edge its rounding may differ
/// from the standard library's, so the edge goes to [`super::parse`] as well).
fn in_range(token: &[u8]) -> bool {
    let digits = token.iter().filter(|b| b.is_ascii_digit()).count();
    if digits <= 18 && !token.iter().any(|b| matches!(b, b'.' | b'e' | b'E')) {
        return true;
    }
    std::str::from_utf8(token)
        .ok()
        .and_then(|t| t.parse::<f64>().ok())
        .is_some_and(|v| v.abs() < 1e300)
}

/// The index of the first byte at or after `from` that is not a space. Indentation (most of the
/// bytes outside strings of AWS CLI output) is skipped eight bytes at a time.
fn skip_spaces(text: &[u8], mut from: usize) -> usize {
    while text.get(from..from + 8) == Some(b"        ") {
        from += 8;
    }
    while text.get(from) == Some(&b' ') {
        from += 1;
    }
    from
}

/// The index of the quote closing the string whose content starts at `from`, and whether the
/// string has an escape; `None` if it is not closed.
fn string_end(text: &[u8], from: usize) -> Option<(usize, bool)> {
    let mut at = from;
    let mut escaped = false;
    loop {
        at += memchr::memchr2(b'"', b'\\', text.get(at..)?)?;
        if text[at] == b'"' {
            return Some((at, escaped));
        }
        escaped = true;
        at += 2;
    }
}
