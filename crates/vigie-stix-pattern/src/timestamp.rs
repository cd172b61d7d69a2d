//! Timestamps as stix2-matcher reads them, in pattern literals and in JSON values alike:
//! upper-case `T` and `Z` required, fields read as Python's `strptime` reads
//! `%Y-%m-%dT%H:%M:%S[.%f]Z` (so one-digit months or days pass), fractions beyond microseconds
//! cut off, and the date must exist. Values are microseconds since the Unix epoch.

use std::sync::OnceLock;

use chrono::{NaiveDate, NaiveTime};
use regex::Regex;

/// The latest instant Python's `datetime` can hold (9999-12-31T23:59:59.999999Z).
pub(crate) const MAX_MICROS: i64 = 253_402_300_799_999_999;

fn formats() -> Option<&'static (Regex, Regex)> {
    static FORMATS: OnceLock<Option<(Regex, Regex)>> = OnceLock::new();
    FORMATS
        .get_or_init(|| {
            // The alternatives Python's _strptime uses for each directive.
            let date_time = "([0-9]{4})-(1[0-2]|0[1-9]|[1-9])-(3[01]|[12][0-9]|0[1-9]|[1-9]| [1-9])T(2[0-3]|[01][0-9]|[0-9]):([0-5][0-9]|[0-9]):(6[01]|[0-5][0-9]|[0-9])";
            let whole = |tail: &str| Regex::new(&format!(r"\A{date_time}{tail}\z")).ok();
            Some((whole("Z")?, whole(r"\.([0-9]{1,6})Z")?))
        })
        .as_ref()
}

/// Parses a timestamp the way stix2-matcher does; `None` when it would raise.
pub(crate) fn parse_timestamp(s: &str) -> Option<i64> {
    if s.chars().any(char::is_lowercase) {
        return None;
    }
    let (plain, fractional) = formats()?;
    if !s.contains('.') {
        return from_captures(&plain.captures(s)?, false);
    }
    // More than microseconds: keep six digits and the Z (of the part after the first dot).
    let mut parts: Vec<String> = s.split('.').map(str::to_owned).collect();
    if let Some(frac) = parts.get_mut(1) {
        if frac.chars().count() > 7 && frac.ends_with('Z') {
            *frac = format!("{}Z", frac.chars().take(6).collect::<String>());
        }
    }
    let s = parts.join(".");
    from_captures(&fractional.captures(&s)?, true)
}

fn from_captures(c: &regex::Captures<'_>, fraction: bool) -> Option<i64> {
    let field = |i: usize| c.get(i).map(|m| m.as_str().trim());
    let num = |i: usize| field(i)?.parse::<u32>().ok();
    let year = i32::try_from(num(1)?).ok()?;
    if year < 1 {
        return None;
    }
    let (month, day, hour, minute, second) = (num(2)?, num(3)?, num(4)?, num(5)?, num(6)?);
    if second > 59 {
        return None;
    }
    let micros = if fraction {
        let f = field(7)?;
        format!("{f:0<6}").parse::<u32>().ok()?
    } else {
        0
    };
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let time = NaiveTime::from_hms_micro_opt(hour, minute, second, micros)?;
    Some(date.and_time(time).and_utc().timestamp_micros())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matcher_timestamp_rules() {
        let base = parse_timestamp("2010-05-21T13:21:43Z").expect("valid");
        assert_eq!(parse_timestamp("2010-5-21T13:21:43Z"), Some(base));
        assert_eq!(
            parse_timestamp("2010-05-21T13:21:43.123456789Z"),
            parse_timestamp("2010-05-21T13:21:43.123456Z")
        );
        assert_eq!(
            parse_timestamp("2010-05-21T13:21:43.1234Z"),
            Some(base + 123_400)
        );
        for bad in [
            "2010-05-21T13:21:43",
            "2010-05-21T13:21:43z",
            "2010-05-21t13:21:43Z",
            "2010/05/21T13:21:43Z",
            "2010-05-21T13:21:99Z",
            "2010-05-21T13:21Z",
            "2024-02-30T12:00:00Z",
            "2024-01-01T12:00:60Z",
            "0000-01-01T00:00:00Z",
            "2010-05-21T13:21:43.Z",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
        assert_eq!(
            parse_timestamp("9999-12-31T23:59:59.999999Z"),
            Some(MAX_MICROS)
        );
    }
}
