//! Times as the table shows them (`2024-05-01 13:45:07.123Z`, or with a named zone's offset
//! `+02:00`) and as the data formats write them (`2024-05-01T13:45:07.123Z`), written digit
//! by digit: chrono's `format` reads its format string again at every call, which cost more
//! than the rest of a table row (and its RFC 3339 writer a tenth of a JSON line). chrono
//! writes what the fast path leaves out (years outside 0-9999, leap seconds, offsets of
//! whole seconds).

use chrono::{DateTime, Datelike, NaiveDateTime, Offset, TimeZone, Timelike, Utc};

/// The table's time in UTC: `%Y-%m-%d %H:%M:%S%.3fZ`.
pub(crate) fn utc(t: &DateTime<Utc>) -> String {
    utc_with(t, ' ', || t.format("%Y-%m-%d %H:%M:%S%.3fZ").to_string())
}

/// RFC 3339 in UTC with milliseconds, as every data format writes times:
/// `%Y-%m-%dT%H:%M:%S%.3fZ`, chrono's `to_rfc3339_opts(Millis, true)`.
pub fn rfc3339(t: &DateTime<Utc>) -> String {
    utc_with(t, 'T', || {
        t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    })
}

/// A UTC time with milliseconds and `Z`, `between` separating date and time; `slow` (chrono)
/// writes what the fast path leaves out.
fn utc_with(t: &DateTime<Utc>, between: char, slow: impl FnOnce() -> String) -> String {
    let mut out = String::with_capacity(24);
    if push_local(&mut out, &t.naive_utc(), between) {
        out.push('Z');
        out
    } else {
        slow()
    }
}

/// The table's time in zone `tz`: `%Y-%m-%d %H:%M:%S%.3f%:z`.
pub(crate) fn zoned<Tz: TimeZone>(t: &DateTime<Utc>, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let local = t.with_timezone(tz);
    let offset = local.offset().fix().local_minus_utc();
    let mut out = String::with_capacity(29);
    if offset % 60 == 0 && push_local(&mut out, &local.naive_local(), ' ') {
        let (sign, minutes) = if offset < 0 {
            ('-', -offset / 60)
        } else {
            ('+', offset / 60)
        };
        out.push(sign);
        push_digits(&mut out, minutes as u32 / 60, 2);
        out.push(':');
        push_digits(&mut out, minutes as u32 % 60, 2);
        out
    } else {
        local.format("%Y-%m-%d %H:%M:%S%.3f%:z").to_string()
    }
}

/// Appends `%Y-%m-%d %H:%M:%S%.3f`, `between` separating date and time; false (nothing
/// appended) outside the fast path.
fn push_local(out: &mut String, t: &NaiveDateTime, between: char) -> bool {
    let year = t.year();
    if !(0..=9999).contains(&year) || t.nanosecond() >= 1_000_000_000 {
        return false;
    }
    push_digits(out, year as u32, 4);
    out.push('-');
    push_digits(out, t.month(), 2);
    out.push('-');
    push_digits(out, t.day(), 2);
    out.push(between);
    push_digits(out, t.hour(), 2);
    out.push(':');
    push_digits(out, t.minute(), 2);
    out.push(':');
    push_digits(out, t.second(), 2);
    out.push('.');
    push_digits(out, t.nanosecond() / 1_000_000, 3);
    true
}

/// Appends the last `width` decimal digits of `n`, zero-padded.
fn push_digits(out: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = n / 10u32.pow(place) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::{rfc3339, utc, zoned};
    use chrono::{DateTime, TimeZone, Utc};
    use proptest::prelude::*;

    /// Zones with offsets of hours, half and quarter hours, negative ones, and whole
    /// seconds (local mean times before 1900).
    const ZONES: [chrono_tz::Tz; 6] = [
        chrono_tz::Europe::Paris,
        chrono_tz::America::New_York,
        chrono_tz::Asia::Kolkata,
        chrono_tz::Asia::Kathmandu,
        chrono_tz::Pacific::Chatham,
        chrono_tz::America::St_Johns,
    ];

    proptest! {
        /// The digits written by hand are chrono's, for every time from year -300 to 12000
        /// with any nanosecond (leap seconds included), in UTC (the table's and RFC 3339)
        /// and in every zone above.
        #[test]
        fn agrees_with_chrono(
            secs in -71_625_225_600i64..316_504_051_200,
            nanos in 0u32..2_000_000_000,
            zone in 0..ZONES.len(),
        ) {
            let Some(t) = Utc.timestamp_opt(secs, nanos).single() else {
                return Ok(());
            };
            prop_assert_eq!(utc(&t), t.format("%Y-%m-%d %H:%M:%S%.3fZ").to_string());
            prop_assert_eq!(rfc3339(&t), t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
            let tz = ZONES[zone];
            let local = t.with_timezone(&tz);
            prop_assert_eq!(zoned(&t, &tz), local.format("%Y-%m-%d %H:%M:%S%.3f%:z").to_string());
        }
    }

    #[test]
    fn writes_the_table_layout() {
        let t: DateTime<Utc> = "2024-05-01T13:45:07.123456Z".parse().expect("a time");
        assert_eq!(utc(&t), "2024-05-01 13:45:07.123Z");
        assert_eq!(rfc3339(&t), "2024-05-01T13:45:07.123Z");
        assert_eq!(
            zoned(&t, &chrono_tz::Europe::Paris),
            "2024-05-01 15:45:07.123+02:00"
        );
        assert_eq!(
            zoned(&t, &chrono_tz::America::St_Johns),
            "2024-05-01 11:15:07.123-02:30"
        );
    }
}
