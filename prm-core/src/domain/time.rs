//! Time. Instants are UTC [`Timestamp`]s (RFC 3339 in JSON); calendar days are [`Date`]s
//! (`YYYY-MM-DD`). No engine reads the clock: "now" (`as_of`) is always an input.

use crate::Error;
use chrono::{DateTime, Datelike, NaiveDate, Utc};

/// An instant, UTC.
pub type Timestamp = DateTime<Utc>;
/// A calendar date.
pub type Date = NaiveDate;

/// Parses a `YYYY-MM-DD` date; `path` names the input for the error.
///
/// ```
/// use prm_core::domain::parse_date;
/// assert_eq!(parse_date("2026-02-28", "d").unwrap().to_string(), "2026-02-28");
/// assert_eq!(parse_date("2026-02-30", "dates[1]").unwrap_err().path(), "dates[1]");
/// ```
pub fn parse_date(s: &str, path: &str) -> Result<Date, Error> {
    // the exact `YYYY-MM-DD` shape without chrono's format interpreter (a hot path of XIRR)
    let b = s.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let num = |r: std::ops::Range<usize>| {
            b[r].iter().try_fold(0u32, |n, &c| {
                c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
            })
        };
        if let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10))
            && let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d)
        {
            return Ok(date);
        }
    }
    // everything else exactly as serde decodes a date (chrono's `FromStr`), so that every path
    // into prm accepts the same strings
    s.parse::<NaiveDate>().map_err(|e| Error::InvalidInput {
        path: path.to_owned(),
        message: format!("`{s}` is not a YYYY-MM-DD date: {e}"),
    })
}

/// Parses an RFC 3339 instant (any offset; converted to UTC).
///
/// ```
/// use prm_core::domain::parse_timestamp;
/// let t = parse_timestamp("2026-01-01T01:00:00+01:00", "at").unwrap();
/// assert_eq!(t.to_rfc3339(), "2026-01-01T00:00:00+00:00");
/// ```
pub fn parse_timestamp(s: &str, path: &str) -> Result<Timestamp, Error> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| Error::InvalidInput {
            path: path.to_owned(),
            message: format!("`{s}` is not an RFC 3339 timestamp: {e}"),
        })
}

/// A date's day number (days from 0001-01-01 = 1), the form the columnar batch paths take.
///
/// ```
/// use prm_core::domain::{day_number, parse_date};
/// let (a, b) = (parse_date("2025-01-01", "").unwrap(), parse_date("2026-01-01", "").unwrap());
/// assert_eq!(day_number(b) - day_number(a), 365);
/// ```
pub fn day_number(date: Date) -> i64 {
    i64::from(date.num_days_from_ce())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_parsing_agrees_with_serde_decoding() {
        // parse_date (the bindings' fast path) and serde (JSON decoding) accept the same strings
        for s in [
            "2024-02-29",
            "0001-01-01",
            "9999-12-31",
            "2026-11-23",
            "2025-02-29",
            "2025-13-01",
            "2025-00-10",
            "20250101",
            "2025-1-01",
            "2025-01-0x",
            "",
            "２０２５-01-01",
            "2025-01-01T00:00:00",
        ] {
            let serde = serde_json::from_value::<NaiveDate>(serde_json::Value::String(s.into())).ok();
            match parse_date(s, "dates[2]") {
                Ok(d) => assert_eq!(Some(d), serde, "{s}"),
                Err(e) => {
                    assert_eq!(serde, None, "{s}");
                    assert_eq!((e.code(), e.path()), ("InvalidInput", "dates[2]"), "{s}");
                }
            }
        }
        assert!(parse_date("2025-02-29", "").is_err());
    }
}
