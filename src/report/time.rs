//! The one time a report carries: the manifest's `collected_at`, read as an RFC 3339 UTC or
//! offset time (`2026-11-25T18:00:00Z`, `…T18:00:00.250+02:00`). OCSF wants epoch milliseconds
//! (`timestamp_t`), ASFF an ISO 8601 string; both get the same instant.
use std::io;

/// Milliseconds since the Unix epoch of an RFC 3339 date-time, `None` if `s` is not one.
pub fn epoch_millis(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        (!t.is_empty() && t.bytes().all(|c| c.is_ascii_digit())).then(|| t.parse().ok())?
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut i = 19;
    let mut millis = 0i64;
    if b[i] == b'.' {
        let start = i + 1;
        i = start;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
        let frac = &s[start..i.min(start + 3)];
        millis = format!("{frac:0<3}").parse().ok()?;
    }
    let offset_minutes = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
            let (oh, om) = (num(i + 1..i + 3)?, num(i + 4..i + 6)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let m = oh * 60 + om;
            if *sign == b'+' {
                m
            } else {
                -m
            }
        }
        _ => return None,
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&mo) || d < 1 || d > days_in[(mo - 1) as usize] {
        return None;
    }
    // RFC 3339 §5.6 allows a leap second (60); it is counted as the second before.
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    let secs = days * 86_400 + h * 3600 + mi * 60 + sec.min(59) - offset_minutes * 60;
    Some(secs * 1000 + millis)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DDTHH:MM:SS.sssZ` of epoch milliseconds.
pub fn iso8601(millis: i64) -> String {
    let (days, ms) = (millis.div_euclid(86_400_000), millis.rem_euclid(86_400_000));
    // civil_from_days
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// The report's collection time in epoch milliseconds, or an error naming the manifest field:
/// OCSF and ASFF need a time, and pathproof writes no clock of its own into a report.
pub fn collected(report: &crate::verify::Report, format: &str) -> io::Result<i64> {
    let at = report.snapshot.collected_at.as_deref();
    at.and_then(epoch_millis).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{}: manifest.json collected_at: {} is not an RFC 3339 time (e.g. 2026-11-25T18:00:00Z); --format {format} needs it",
                super::escape::visible(&report.snapshot.path),
                match at {
                    Some(t) => format!("{:?}", super::escape::visible(t)),
                    None => "(absent)".to_string(),
                }
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trips_against_known_instants() {
        // 2026-11-25T18:00:00Z = 1795629600 s (date -d @1795629600 -u).
        assert_eq!(epoch_millis("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(epoch_millis("2000-02-29T12:00:00Z"), Some(951_825_600_000));
        assert_eq!(
            epoch_millis("2000-02-29T14:00:00.5+02:00"),
            Some(951_825_600_500)
        );
        assert_eq!(iso8601(951_825_600_500), "2000-02-29T12:00:00.500Z");
        for bad in [
            "",
            "2026-11-25",
            "2026-02-30T00:00:00Z",
            "2026-11-25T24:00:00Z",
            "2026-11-25T18:00:00",
            "2026-11-25T18:00:00Zjunk",
            "2026-11-25 18:00:00Z",
            "2026-11-25T18:00:00.Z",
            "２026-11-25T18:00:00Z",
        ] {
            assert_eq!(epoch_millis(bad), None, "{bad}");
        }
        for ms in [0, 1_795_629_600_000, 951_825_600_500, 4_102_444_799_999] {
            assert_eq!(epoch_millis(&iso8601(ms)), Some(ms));
        }
    }
}
