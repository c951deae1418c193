//! Making untrusted text safe for each output format.
//!
//! Anyone who can name or tag a resource, write a description, choose a Route 53 record name or
//! make an AWS API return an error message writes into the auditor's report. Nothing from a
//! snapshot, a server or a file name reaches output raw; every renderer sends its data through
//! one of the functions here:
//!
//! | output | function | what it does |
//! |---|---|---|
//! | terminal (table, stderr, `rules`) | [`terminal`] | [`is_unsafe`] characters spelled visibly |
//! | Markdown text / cell | [`markdown`] | visible spelling, `& < >` as entities, punctuation backslash-escaped |
//! | Markdown code span | [`markdown_code`] | visible spelling, a fence longer than any backtick run |
//! | HTML text and attributes | [`html`] | visible spelling, `& < > "` as entities |
//! | XML 1.0 (JUnit) | [`xml`] | visible spelling (no character outside XML's `Char` remains) |
//! | SARIF plain-text message | [`sarif_text`] | visible spelling, `\ [ ]` backslash-escaped |
//! | Graphviz DOT quoted string | [`dot`] | visible spelling, `\` and `"` backslash-escaped |
//! | JSON (report, SARIF) | [`to_json_writer`] | lossless: unsafe characters as `\uXXXX` escapes |
//!
//! The visible spelling ([`visible`]) replaces a character by `\x1b`-style text (`\n`, `\r`, `\t`
//! for those three, `\u{202e}` above U+00FF), so an auditor sees that something odd was there
//! instead of having it act on the terminal or renderer, or losing it silently. Text without such
//! characters and without the format's own metacharacters is passed through unchanged, so
//! ordinary reports are byte-identical.
//!
//! Hand-written rather than a crate: the formats need different rules on top of one character
//! classification, existing escapers only cover markup metacharacters (quick-xml's `escape` and
//! the html-escape crate leave U+FFFE and C0 controls in, which is invalid XML 1.0), and the
//! crates that handle terminal sequences (`strip-ansi-escapes`, used inside quick-junit) delete
//! them silently instead of showing them.
use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;

/// True for a character that never reaches output raw, in any format:
/// - every control character (Unicode `Cc`: C0 including tab, newline and carriage return, DEL,
///   C1). ESC starts terminal escape sequences (CSI colours, `\x1b]0;…\x07` window titles), CR
///   and backspace overwrite what was printed, NUL and most C0 controls are not XML 1.0
///   characters (XML 1.0 §2.2 `Char`), C1 controls are CSI/OSC on some terminals; newlines and
///   tabs would break table rows, Markdown structure and one-line messages.
/// - Unicode `Default_Ignorable_Code_Point` (DerivedCoreProperties.txt): renderers show nothing
///   for them. This includes the bidirectional formatting characters (U+061C, U+200E, U+200F,
///   U+202A–U+202E, U+2066–U+2069; UAX #9) that reorder displayed text ("Trojan Source"), zero
///   width spaces and joiners, the BOM, variation selectors and tag characters (U+E0000 block)
///   that can hide text, and the soft hyphen. An id with one of them inside looks identical to
///   another id.
/// - U+2028 and U+2029 (line and paragraph separators: line breaks in some renderers).
/// - U+FFF9–U+FFFB (interlinear annotation controls, which hide text in some renderers).
/// - noncharacters (U+FDD0–U+FDEF and the last two code points of every plane, U+FFFE and U+FFFF
///   among them: not XML 1.0 characters, and parse errors in HTML).
pub fn is_unsafe(c: char) -> bool {
    let u = c as u32;
    c.is_control()
        || is_default_ignorable(u)
        || matches!(u, 0x2028 | 0x2029 | 0xFFF9..=0xFFFB | 0xFDD0..=0xFDEF)
        || u & 0xFFFE == 0xFFFE
}

/// The byte offset of the first [`is_unsafe`] character of `s`. Printable ASCII (U+0020–U+007E,
/// none of them unsafe) is skipped a byte at a time without decoding: reports are mostly ids and
/// addresses, and this scan runs over every string of every report.
pub fn find_unsafe(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut at = 0;
    loop {
        at += bytes[at..].iter().position(|b| !matches!(b, 0x20..=0x7E))?;
        // `at` is a char boundary: it follows ASCII bytes or a whole character.
        let c = s[at..].chars().next()?;
        if is_unsafe(c) {
            return Some(at);
        }
        at += c.len_utf8();
    }
}

/// `Default_Ignorable_Code_Point` from Unicode's DerivedCoreProperties.txt (Unicode 15.1).
fn is_default_ignorable(u: u32) -> bool {
    matches!(
        u,
        0x00AD
            | 0x034F
            | 0x061C
            | 0x115F..=0x1160
            | 0x17B4..=0x17B5
            | 0x180B..=0x180F
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x206F
            | 0x3164
            | 0xFE00..=0xFE0F
            | 0xFEFF
            | 0xFFA0
            | 0xFFF0..=0xFFF8
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
    )
}

/// Append the visible spelling of `c` (an [`is_unsafe`] character) to `out`.
fn push_visible(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x100 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// `s` with every [`is_unsafe`] character spelled visibly (`\x1b`, `\n`, `\u{202e}`); borrowed
/// when there is none. Backslashes are kept as they are: ordinary text stays identical, and a
/// literal `\x1b` typed by someone is as harmless as the spelling.
pub fn visible(s: &str) -> Cow<'_, str> {
    // Printable ASCII (U+0020–U+007E) has no unsafe character: the common case, checked a byte at
    // a time (reports are mostly ids and addresses; a 10,000-VPC report is ~170 MB of them).
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Cow::Borrowed(s);
    }
    let Some(first) = find_unsafe(s) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        if is_unsafe(c) {
            push_visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text for a terminal (table cells, stderr lines, `pathproof rules`): one line, no character
/// that a terminal would act on.
pub fn terminal(s: &str) -> Cow<'_, str> {
    visible(s)
}

/// Text for XML 1.0 (JUnit): the visible spelling leaves only characters of XML 1.0's `Char`
/// production (§2.2), and no line break or tab that attribute-value normalisation (§3.3.3) would
/// turn into a space. The markup characters (`& < > " '`) are escaped by the XML writer.
pub fn xml(s: &str) -> Cow<'_, str> {
    visible(s)
}

/// Text for HTML element content and double-quoted attribute values: the visible spelling (no
/// control or noncharacter, which are parse errors in the HTML input stream, and no bidi
/// override), then `&`, `<`, `>` and `"` as character references (the HTML Living Standard's
/// "escaping a string" for serialisation). Every attribute pathproof writes is double-quoted, so
/// `'` needs no escape.
pub fn html(s: &str) -> Cow<'_, str> {
    let v = visible(s);
    if !v.contains(['&', '<', '>', '"']) {
        return v;
    }
    let mut out = String::with_capacity(v.len() + 16);
    for c in v.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// ASCII punctuation that has inline meaning in CommonMark / GitHub Flavored Markdown and is
/// backslash-escaped by [`markdown`] (CommonMark 0.31 §2.4: any ASCII punctuation may be escaped):
/// `\` (escapes), `` ` `` (code spans), `*` `_` (emphasis), `~` (GFM strikethrough), `[` `]`
/// (links and images: `[x](javascript:…)` needs the brackets), `|` (GFM table cells; "Tables
/// (extension)": a pipe in a cell is written `\|`), `$` (math on GitHub).
const MARKDOWN_ESCAPED: &[char] = &['\\', '`', '*', '_', '~', '[', ']', '|', '$'];

/// Punctuation that changes block structure at the start of a line (`#` heading, `-` `+` list
/// item, `=` setext underline); escaped when it starts the text, in case it ever starts a line.
/// (`>` block quotes are written as `&gt;` anywhere.)
const MARKDOWN_LEADING: &[char] = &['#', '-', '+', '='];

/// Inline Markdown text (a table cell, a list item, a heading): renders as exactly `s` (after
/// the visible spelling), never as HTML, a link, an image, emphasis, code or a new line.
///
/// - the visible spelling removes newlines (a new table row or block), tabs and controls;
/// - `&`, `<`, `>` become `&amp;`, `&lt;`, `&gt;` (CommonMark §2.5 entity references): no raw
///   HTML (§6.6: `<script>`, `<img onerror=…>`), no autolink (§6.5: `<javascript:…>`), and no
///   entity written by the data itself (`&#x202e;`) is decoded by the renderer;
/// - the punctuation in [`MARKDOWN_ESCAPED`] gets a backslash, and so does a leading `#`, `-`,
///   `+` or `=`.
///
/// GFM's extended autolinks (`www.`, `http://`, `https://`, e-mail addresses) still show as
/// links: their text is the address itself, and a `javascript:` URL is never one of them.
pub fn markdown(s: &str) -> Cow<'_, str> {
    let v = visible(s);
    let needs = v.starts_with(MARKDOWN_LEADING)
        || v.contains(MARKDOWN_ESCAPED)
        || v.contains(['&', '<', '>']);
    if !needs {
        return v;
    }
    let mut out = String::with_capacity(v.len() + 16);
    for (i, c) in v.chars().enumerate() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if MARKDOWN_ESCAPED.contains(&c) || (i == 0 && MARKDOWN_LEADING.contains(&c)) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A Markdown code span showing `s` (after the visible spelling), safe in a GFM table cell.
///
/// CommonMark §6.1: a code span ends at a backtick string of the same length as its opening, so
/// the fence is one backtick longer than the longest run inside, with a space of padding when the
/// text starts or ends with a backtick (or a space, which the renderer would strip). Nothing inside
/// a code span is HTML or a link. A code span cannot show a backslash before a pipe correctly in a
/// table (GFM splits the row at `\\|`), so text with `|` or `\` is written as [`markdown`] text
/// instead of as code.
pub fn markdown_code(s: &str) -> String {
    let v = visible(s);
    if v.is_empty() {
        return "``".to_string();
    }
    if v.contains(['|', '\\']) {
        return markdown(&v).into_owned();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in v.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = if v.starts_with(['`', ' ']) || v.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{v}{pad}{fence}")
}

/// A SARIF plain-text message (`message.text`): the visible spelling, then `\`, `[` and `]`
/// backslash-escaped. SARIF 2.1.0 §3.11.6 ("Messages with embedded links") makes
/// `[text](target)` in a plain-text message a link that every viewer renders, with a URI or a
/// related-location id as target; viewers read `\[`, `\]` and `\\` as the literal characters.
pub fn sarif_text(s: &str) -> Cow<'_, str> {
    let v = visible(s);
    if !v.contains(['\\', '[', ']']) {
        return v;
    }
    let mut out = String::with_capacity(v.len() + 8);
    for c in v.chars() {
        if matches!(c, '\\' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// The inside of a Graphviz DOT double-quoted string used as a label: the visible spelling, then
/// `\` as `\\` and `"` as `\"`. (DOT language: in quoted strings `\"` is the quote; in labels
/// (`escString`) a backslash starts `\n`, `\l`, `\N` and the like, so a literal one is `\\`.)
pub fn dot(s: &str) -> Cow<'_, str> {
    let v = visible(s);
    if !v.contains(['\\', '"']) {
        return v;
    }
    let mut out = String::with_capacity(v.len() + 8);
    for c in v.chars() {
        if matches!(c, '\\' | '"') {
            out.push('\\');
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// Pretty-print `value` as JSON like `serde_json::to_writer_pretty`, except that every
/// [`is_unsafe`] character serde_json would write raw (DEL, C1 controls, bidi overrides,
/// noncharacters, …; it escapes C0 controls itself) is written as a `\uXXXX` escape (RFC 8259
/// §7; UTF-16 surrogate pairs above U+FFFF). The document decodes to exactly the same strings,
/// so machine consumers see the data as collected, and the bytes are safe to print on a terminal.
pub fn to_json_writer<W, T>(out: W, value: &T) -> serde_json::Result<()>
where
    W: io::Write,
    T: ?Sized + serde::Serialize,
{
    to_json_writer_at(out, value, 0)
}

/// [`to_json_writer`] for a value that stands `depth` levels deep in an enclosing document:
/// its lines are indented as `to_json_writer` would indent them there (its first line is not:
/// the caller writes what comes before it).
pub fn to_json_writer_at<W, T>(out: W, value: &T, depth: usize) -> serde_json::Result<()>
where
    W: io::Write,
    T: ?Sized + serde::Serialize,
{
    let mut ser = serde_json::Serializer::with_formatter(out, SafeJson::at(depth));
    value.serialize(&mut ser)
}

/// A pretty-printing `serde_json` formatter, laid out as `serde_json::ser::PrettyFormatter`
/// (two spaces per level, `": "` after a key, `[]` / `{}` when empty), that escapes
/// [`is_unsafe`] characters (see [`to_json_writer`]) and can start at a depth.
#[derive(Default)]
pub struct SafeJson {
    depth: usize,
    has_value: bool,
}

impl SafeJson {
    /// A formatter for a value `depth` levels deep.
    pub fn at(depth: usize) -> Self {
        SafeJson {
            depth,
            has_value: false,
        }
    }

    fn open<W: ?Sized + io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(w)?;
        }
        w.write_all(bracket)
    }

    /// A line break and the indentation of the current depth.
    fn line<W: ?Sized + io::Write>(&self, w: &mut W) -> io::Result<()> {
        const SPACES: &[u8; 64] =
            b"                                                                ";
        w.write_all(b"\n")?;
        let mut n = self.depth * 2;
        while n > 0 {
            let k = n.min(SPACES.len());
            w.write_all(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }

    fn item<W: ?Sized + io::Write>(&self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.line(w)
    }
}

impl serde_json::ser::Formatter for SafeJson {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        while let Some(at) = find_unsafe(rest) {
            writer.write_all(&rest.as_bytes()[..at])?;
            let c = rest[at..].chars().next().unwrap_or_default();
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
