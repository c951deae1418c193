//! The JSON report (`pathproof-report/1`), written on every core.
//!
//! The bytes are exactly those of [`super::escape::to_json_writer`] on the whole [`Report`] (a
//! test holds the two equal): the report's top-level fields are written one by one, and the
//! `paths` array, most of an organisation's report, is rendered in windows of paths on every
//! core and written in order, each piece pretty-printed at its depth ([`to_json_writer_at`]),
//! between the brackets and separators [`SafeJson`] lays out.
use std::io::{self, Write};

use rayon::prelude::*;
use serde::ser::{self, Impossible, Serialize};
use serde_json::ser::Formatter;
use serde_json::{Error, Result};

use super::escape::{to_json_writer_at, SafeJson};
use crate::verify::{PathRecord, Report};

/// Paths rendered per window: a window's text (a few MB) is all that is buffered at once.
const WINDOW: usize = 1024;
/// Paths per task within a window.
const CHUNK: usize = 64;

/// Write `report` as pretty-printed JSON (no trailing newline), rendering its paths in
/// parallel.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut top = TopLevel {
        out,
        paths: &report.paths,
        layout: SafeJson::at(0),
        first: true,
    };
    // An I/O error comes back as the error it was (`From<serde_json::Error> for io::Error`).
    report.serialize(&mut top).map_err(io::Error::from)
}

/// The `paths` array, its elements two levels deep, as `to_json_writer` writes it: the
/// brackets and separators are [`SafeJson`]'s, each element is rendered on its own.
fn paths(out: &mut dyn Write, paths: &[PathRecord]) -> Result<()> {
    let mut array = SafeJson::at(1);
    array.begin_array(out).map_err(Error::io)?;
    for (w, window) in paths.chunks(WINDOW).enumerate() {
        let texts: Vec<Result<Vec<u8>>> = window
            .par_chunks(CHUNK)
            .enumerate()
            .map(|(c, chunk)| {
                // About 4 KB per path in an organisation's report.
                let mut buf = Vec::with_capacity(chunk.len() * 4096);
                for (i, path) in chunk.iter().enumerate() {
                    let first = w == 0 && c == 0 && i == 0;
                    SafeJson::at(2)
                        .begin_array_value(&mut buf, first)
                        .map_err(Error::io)?;
                    to_json_writer_at(&mut buf, path, 2)?;
                }
                Ok(buf)
            })
            .collect();
        for text in texts {
            out.write_all(&text?).map_err(Error::io)?;
            array.end_array_value(out).map_err(Error::io)?;
        }
    }
    array.end_array(out).map_err(Error::io)
}

/// Receives the report's fields from its derived `Serialize`: every field is written as
/// `to_json_writer` would write it, `paths` from the report itself, in parallel.
struct TopLevel<'a, 'r> {
    out: &'a mut dyn Write,
    paths: &'r [PathRecord],
    /// The report object's brackets and separators.
    layout: SafeJson,
    first: bool,
}

impl ser::SerializeStruct for &mut TopLevel<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.layout
            .begin_object_key(self.out, self.first)
            .map_err(Error::io)?;
        self.first = false;
        to_json_writer_at(&mut *self.out, key, 1)?;
        self.layout
            .begin_object_value(self.out)
            .map_err(Error::io)?;
        if key == "paths" {
            paths(self.out, self.paths)?;
        } else {
            to_json_writer_at(&mut *self.out, value, 1)?;
        }
        self.layout.end_object_value(self.out).map_err(Error::io)
    }

    fn end(self) -> Result<()> {
        self.layout.end_object(self.out).map_err(Error::io)
    }
}

fn unsupported() -> Error {
    ser::Error::custom("the JSON report is a struct")
}

macro_rules! unsupported {
    ($($name:ident($($ty:ty),*) -> $ret:ty;)*) => {
        $(fn $name(self, $(_: $ty),*) -> Result<$ret> { Err(unsupported()) })*
    };
}

impl ser::Serializer for &mut TopLevel<'_, '_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self> {
        self.layout.begin_object(self.out).map_err(Error::io)?;
        Ok(self)
    }

    unsupported! {
        serialize_bool(bool) -> ();
        serialize_i8(i8) -> ();
        serialize_i16(i16) -> ();
        serialize_i32(i32) -> ();
        serialize_i64(i64) -> ();
        serialize_u8(u8) -> ();
        serialize_u16(u16) -> ();
        serialize_u32(u32) -> ();
        serialize_u64(u64) -> ();
        serialize_f32(f32) -> ();
        serialize_f64(f64) -> ();
        serialize_char(char) -> ();
        serialize_str(&str) -> ();
        serialize_bytes(&[u8]) -> ();
        serialize_none() -> ();
        serialize_unit() -> ();
        serialize_unit_struct(&'static str) -> ();
        serialize_unit_variant(&'static str, u32, &'static str) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<()> {
        Err(unsupported())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, _: &T) -> Result<()> {
        Err(unsupported())
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<()> {
        Err(unsupported())
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    /// A writer that fails after `n` bytes.
    struct Fails(usize);
    impl Write for Fails {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if buf.len() > self.0 {
                return Err(std::io::Error::other("full"));
            }
            self.0 -= buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// The parallel writer's bytes are `to_json_writer`'s, on reports with no path, one path
    /// and more paths than a window, with findings and without.
    #[test]
    fn same_bytes_as_the_serial_writer() {
        for dir in [
            "fixtures/reference",
            "fixtures/violations/PP001-internet-gateway-on-path",
            "fixtures/violations/PP014-iot-policy-allows-without-sourcevpce",
        ] {
            let snapshot = crate::snapshot::Snapshot::load(std::path::Path::new(dir)).unwrap();
            let mut report = crate::verify::verify(&snapshot, None);
            assert!(!report.paths.is_empty(), "{dir}");
            let one = report.paths[0].clone();
            for n in [0, 1, 2, super::CHUNK + 1, super::WINDOW * 2 + 3] {
                report.paths = vec![one.clone(); n];
                let mut serial = Vec::new();
                crate::report::escape::to_json_writer(&mut serial, &report).unwrap();
                let mut parallel = Vec::new();
                super::write(&report, &mut parallel).unwrap();
                assert!(serial == parallel, "{dir}, {n} paths");
            }
        }
    }

    /// A write error surfaces as the I/O error it was, wherever it happens.
    #[test]
    fn write_errors_are_returned() {
        let snapshot =
            crate::snapshot::Snapshot::load(std::path::Path::new("fixtures/reference")).unwrap();
        let report = crate::verify::verify(&snapshot, None);
        let mut full = Vec::new();
        super::write(&report, &mut full).unwrap();
        for n in [0, 10, full.len() / 2, full.len() - 1] {
            let err = super::write(&report, &mut Fails(n)).unwrap_err();
            assert_eq!(err.to_string(), "full", "after {n} bytes");
        }
        assert!(super::write(&report, &mut Fails(full.len())).is_ok());
    }
}
