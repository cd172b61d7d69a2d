//! Times as the store keeps them: UTC text of one fixed width (`2024-01-31T12:00:00.000Z`), so
//! that SQL compares them as strings; and the readers for STIX, MISP and list timestamps.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// The stored form.
pub fn format(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// RFC 3339 (what STIX writes), `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD` (taken as UTC).
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    let s = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(Utc.from_utc_datetime(&t));
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| Utc.from_utc_datetime(&t))
}

/// Seconds since 1970 (MISP timestamps), given as a number or as digits in a string.
pub fn unix(value: &serde_json::Value) -> Option<i64> {
    match value {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_width_text() {
        let t = parse("2017-01-27T13:49:53.935382Z").expect("rfc3339");
        assert_eq!(format(t), "2017-01-27T13:49:53.935Z");
        let d = parse("2024-02-29").expect("date");
        assert_eq!(format(d), "2024-02-29T00:00:00.000Z");
        assert!(parse("yesterday").is_none());
        assert_eq!(unix(&serde_json::json!("1513948642")), Some(1_513_948_642));
    }
}
