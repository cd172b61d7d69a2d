//! Flattening of JSON records into fields: evtx-style `Event.System/EventData` documents,
//! and generic nested objects (dotted paths).

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde_json::{Map, Value as Json};

use crate::event::{Event, Field, Name};
use crate::value::Value;

/// Flattens the JSON form of an EVTX record (`{"Event": {"System": .., "EventData": ..}}`,
/// as the `evtx` crate and `evtx_dump` write it) into Sigma field names.
///
/// System children become their own names; their XML attributes become `Child_Attr`
/// (`Provider_Name`, `TimeCreated_SystemTime`, `Execution_ProcessID`); EventData and UserData
/// named values become fields by name, with spaces removed. Returns `None` when the document
/// is not of that shape.
pub fn flatten_evtx_json(doc: &Json) -> Option<Event> {
    crate::evtx_text::flatten_evtx_value(doc)
}

/// A field name as the flatteners write it: without spaces.
pub fn clean(name: &str) -> Name {
    if name.contains(' ') {
        name.replace(' ', "").into()
    } else {
        name.into()
    }
}

pub(crate) fn push(out: &mut Vec<Field>, name: &str, value: Value) {
    out.push(Field {
        name: clean(name),
        value,
    });
}

/// Flattens a JSON object: nested keys become dotted paths (`a.b.c`); arrays of scalars stay
/// lists; arrays of objects merge each member's paths into lists.
pub fn flatten_json_object(obj: &Map<String, Json>) -> Vec<Field> {
    let mut out: Vec<Field> = Vec::with_capacity(obj.len());
    let mut prefix = String::new();
    flatten_into(&mut out, &mut prefix, obj);
    out
}

fn flatten_into(out: &mut Vec<Field>, prefix: &mut String, obj: &Map<String, Json>) {
    for (k, v) in obj {
        let len = prefix.len();
        if !prefix.is_empty() {
            prefix.push('.');
        }
        prefix.push_str(k);
        flatten_entry(out, prefix, v);
        prefix.truncate(len);
    }
}

/// One value at the dotted path `prefix`.
pub(crate) fn flatten_entry(out: &mut Vec<Field>, prefix: &mut String, v: &Json) {
    match v {
        Json::Object(inner) if !inner.is_empty() => flatten_into(out, prefix, inner),
        Json::Array(items) if items.iter().any(Json::is_object) => {
            let mut merged: Vec<Field> = Vec::new();
            for item in items {
                match item {
                    Json::Object(inner) => {
                        let mut sub = String::new();
                        let mut fields = Vec::new();
                        flatten_into(&mut fields, &mut sub, inner);
                        for f in fields {
                            let name = format!("{prefix}.{}", f.name);
                            append_value(&mut merged, name.into(), f.value);
                        }
                    }
                    other => {
                        append_value(&mut merged, prefix.as_str().into(), Value::from_json(other))
                    }
                }
            }
            out.extend(merged);
        }
        other => out.push(Field {
            name: prefix.as_str().into(),
            value: Value::from_json(other),
        }),
    }
}

fn append_value(fields: &mut Vec<Field>, name: Name, value: Value) {
    if let Some(existing) = fields.iter_mut().find(|f| f.name == name) {
        match &mut existing.value {
            Value::List(l) => {
                let mut items = std::mem::take(l).into_vec();
                items.push(value);
                *l = items.into();
            }
            other => {
                let first = std::mem::replace(other, Value::Null);
                *other = Value::List([first, value].into());
            }
        }
    } else {
        fields.push(Field { name, value });
    }
}

/// Reads a time written as RFC 3339, `YYYY-MM-DD HH:MM:SS[.fff]` (taken as UTC), or a Unix
/// epoch number in seconds or milliseconds.
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if let Some(dt) = plain_datetime(t) {
        return Some(dt);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Some(dt.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.fZ",
        "%Y/%m/%d %H:%M:%S%.f",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(t, fmt) {
            return Some(Utc.from_utc_datetime(&n));
        }
    }
    if let Ok(dt) = DateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f %z") {
        return Some(dt.with_timezone(&Utc));
    }
    if t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let f: f64 = t.parse().ok()?;
        let (secs, nanos) = if f > 1e11 {
            ((f / 1000.0).floor(), ((f % 1000.0) * 1e6) as u32)
        } else {
            (f.floor(), (f.fract() * 1e9) as u32)
        };
        return Utc.timestamp_opt(secs as i64, nanos).single();
    }
    None
}

/// The commonest time in logs, read by hand: `YYYY-MM-DD HH:MM:SS` (or with `T`), an optional
/// fraction of 1 to 9 digits, no zone or `Z` (UTC; EVTX's `SystemTime` is written so).
/// `None` for anything else (the general formats then decide), and for what chrono would
/// read differently (a leap second, a bad date).
fn plain_datetime(t: &str) -> Option<DateTime<Utc>> {
    let b = t.as_bytes();
    let b = b.strip_suffix(b"Z").unwrap_or(b);
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b' ' | b'T') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |at: usize, len: usize| -> Option<u32> {
        b.get(at..at + len)?.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    let nanos = match &b[19..] {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
            num(20, digits.len())? * 10u32.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    if second > 59 {
        return None;
    }
    let date = chrono::NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    let time = chrono::NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    Some(Utc.from_utc_datetime(&date.and_time(time)))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The hand-read plain times equal chrono's reading of the same text through the
        /// general formats, whatever the digits (valid dates or not).
        #[test]
        fn plain_times_read_as_chrono_reads_them(
            date in "[0-9]{4}-[0-1][0-9]-[0-3][0-9]",
            sep in "[ T]",
            time in "[0-2][0-9]:[0-6][0-9]:[0-6][0-9]",
            frac in "(\\.[0-9]{1,12})?",
            zone in "Z?",
        ) {
            let text = format!("{date}{sep}{time}{frac}{zone}");
            let general = ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.fZ"]
                .iter()
                .find_map(|f| NaiveDateTime::parse_from_str(&text, f).ok())
                .map(|n| Utc.from_utc_datetime(&n))
                .or_else(|| (sep == "T" && zone == "Z").then(|| {
                    DateTime::parse_from_rfc3339(&text).ok().map(|d| d.with_timezone(&Utc))
                }).flatten());
            let fast = plain_datetime(&text);
            // Declined is fine (the general formats then read it); read, it must agree.
            if fast.is_some() {
                proptest::prop_assert_eq!(fast, general);
            }
            // And the whole reading is unchanged.
            proptest::prop_assert_eq!(parse_timestamp(&text), general.or_else(|| {
                DateTime::parse_from_rfc3339(&text).ok().map(|d| d.with_timezone(&Utc))
            }));
        }
    }

    /// The usual shapes are read by hand.
    #[test]
    fn plain_times_take_the_fast_way() {
        for t in [
            "2026-03-01 00:00:00",
            "2026-03-01T12:34:56.779",
            "2024-02-29 23:59:59.123456789",
            "2021-10-23T21:50:11.6665197Z",
            "2026-03-01 00:00:00Z",
        ] {
            assert!(plain_datetime(t).is_some(), "{t}");
        }
        for t in [
            "2026-03-01 00:00:60",
            "2026-02-30 00:00:00",
            "2026-03-01 00:00:00+01:00",
            "2026-03-01 00:00:00ZZ",
            "2026-3-01 00:00:00",
        ] {
            assert!(plain_datetime(t).is_none(), "{t}");
        }
    }
    use serde_json::json;

    #[test]
    fn evtx_shape() {
        let doc = json!({"Event": {"#attributes": {"xmlns": "x"}, "System": {
            "Provider": {"#attributes": {"Name": "Microsoft-Windows-Sysmon", "Guid": "G"}},
            "EventID": {"#attributes": {"Qualifiers": 16384}, "#text": 7036},
            "TimeCreated": {"#attributes": {"SystemTime": "2025-12-25T14:30:27.369114Z"}},
            "EventRecordID": 16094, "Channel": "Sysmon", "Computer": "pc"},
            "EventData": {"Image": "C:\\a.exe", "New Value": 3},
            "UserData": {"LogFileCleared": {"#attributes": {"xmlns": "y"}, "SubjectUserName": "bob"}}}});
        let e = flatten_evtx_json(&doc).expect("evtx shape");
        assert_eq!(
            e.get("Provider_Name"),
            Some(&Value::str("Microsoft-Windows-Sysmon"))
        );
        assert_eq!(e.get("EventID"), Some(&Value::Int(7036)));
        assert_eq!(e.get("EventID_Qualifiers"), Some(&Value::Int(16384)));
        assert_eq!(e.get("NewValue"), Some(&Value::Int(3)));
        assert_eq!(e.get("SubjectUserName"), Some(&Value::str("bob")));
        assert_eq!(e.record_id, 16094);
        assert!(e.timestamp.is_some());
    }

    #[test]
    fn dotted_paths_and_lists() {
        let doc = json!({"process": {"parent": {"name": "a"}}, "tags": ["x", "y"],
            "items": [{"k": 1}, {"k": 2}]});
        let fields = flatten_json_object(doc.as_object().expect("object"));
        let e = Event::new(fields);
        assert_eq!(e.get("process.parent.name"), Some(&Value::str("a")));
        assert_eq!(
            e.get("tags"),
            Some(&Value::List([Value::str("x"), Value::str("y")].into()))
        );
        assert_eq!(
            e.get("items.k"),
            Some(&Value::List([Value::Int(1), Value::Int(2)].into()))
        );
    }

    #[test]
    fn timestamps() {
        assert!(parse_timestamp("2026-03-02T08:14:07.123Z").is_some());
        assert!(parse_timestamp("2020-06-10 02:50:54.631").is_some());
        assert!(parse_timestamp("1600000000").is_some());
        assert!(parse_timestamp("nope").is_none());
    }
}
