//! A JSON event's time: the first of the usual time fields whose value reads as a time,
//! each field found as `Event::get` finds it (its exact name first, then in another case),
//! in one pass over the event's names.

use vigie_event::{parse_timestamp, ByShape, Event, Value};

/// Fields that carry an event's time in JSON logs, in order of preference.
pub(crate) const TIME_FIELDS: [&str; 9] = [
    "TimeCreated_SystemTime",
    "TimeCreated",
    "@timestamp",
    "timestamp",
    "UtcTime",
    "EventTime",
    "event.created",
    "time",
    "date",
];

/// No time field at this place of [`BY_LENGTH`].
const NONE: u8 = u8::MAX;

/// Per name length: the time fields of that length (two at most), as indexes into
/// [`TIME_FIELDS`]. Most names have another length and are passed over at once: looking
/// each time field up in turn scanned an event's names twice for each one absent (exact,
/// then in another case), 5 % of a JSON event's decoding.
const BY_LENGTH: [[u8; 2]; 32] = {
    let mut table = [[NONE; 2]; 32];
    let mut i = 0;
    while i < TIME_FIELDS.len() {
        let at = &mut table[TIME_FIELDS[i].len()];
        if at[0] == NONE {
            at[0] = i as u8;
        } else {
            at[1] = i as u8;
        }
        i += 1;
    }
    table
};

/// Per time field, in order of preference: the index of the field that holds it in an
/// event (the first of its exact name, else the first in another case).
pub(crate) type TimePlaces = [Option<u32>; TIME_FIELDS.len()];

/// Sets `ev`'s time from the first of [`TIME_FIELDS`] whose value reads as a time.
pub(crate) fn set_time(ev: &mut Event) {
    let places = time_places(ev);
    set_time_from(ev, &places);
}

/// Like [`set_time`]; where the time fields lie is remembered by the event's shape, when it
/// has one (it depends on the names alone).
pub(crate) fn set_time_by_shape(ev: &mut Event, memory: &mut ByShape<TimePlaces>) {
    let Some(id) = ev.shape() else {
        return set_time(ev);
    };
    let places = match memory.get(id) {
        Some(places) => *places,
        None => {
            let places = time_places(ev);
            memory.put(id, places);
            places
        }
    };
    set_time_from(ev, &places);
}

/// Where `ev`'s time fields lie, in one pass over its names.
fn time_places(ev: &Event) -> TimePlaces {
    // Per time field: the first field of its exact name, and the first in another case.
    let mut found = [(None, None); TIME_FIELDS.len()];
    for (i, f) in ev.fields().iter().enumerate() {
        let name: &str = &f.name;
        let Some(candidates) = BY_LENGTH.get(name.len()) else {
            continue;
        };
        for &t in candidates.iter().take_while(|&&t| t != NONE) {
            let (Some(want), Some((exact, other))) = (
                TIME_FIELDS.get(usize::from(t)),
                found.get_mut(usize::from(t)),
            ) else {
                continue;
            };
            // The first bytes told apart before the whole names (`| 0x20` folds a letter's
            // case; equal bytes stay equal).
            let first = |s: &str| s.as_bytes().first().map(|b| b | 0x20);
            if first(name) == first(want) && name.eq_ignore_ascii_case(want) {
                let first = if name == *want { exact } else { other };
                first.get_or_insert(i as u32);
            }
        }
    }
    found.map(|(exact, other)| exact.or(other))
}

/// Sets `ev`'s time from the first of the fields at `places` whose value reads as a time.
fn set_time_from(ev: &mut Event, places: &TimePlaces) {
    ev.timestamp = places
        .iter()
        .find_map(|&at| match &ev.fields().get(at? as usize)?.value {
            Value::Int(i) => parse_timestamp(&i.to_string()),
            other => other.to_text().and_then(|t| parse_timestamp(&t)),
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The time as its definition reads: each time field in turn, found by `Event::get`.
    fn naive(ev: &Event) -> Event {
        let mut out = ev.clone();
        out.timestamp = TIME_FIELDS.iter().find_map(|f| {
            ev.get(f).and_then(|v| match v {
                Value::Int(i) => parse_timestamp(&i.to_string()),
                other => other.to_text().and_then(|t| parse_timestamp(&t)),
            })
        });
        out
    }

    proptest::proptest! {
        #[test]
        fn one_pass_agrees_with_each_field_looked_up(
            fields in proptest::collection::vec((0usize..13, 0usize..3, 0usize..5), 0..8)
        ) {
            let mut ev = Event::default();
            for (name, case, value) in fields {
                let name = match TIME_FIELDS.get(name) {
                    Some(n) if case == 1 => n.to_ascii_uppercase(),
                    Some(n) if case == 2 => n.to_ascii_lowercase(),
                    Some(n) => n.to_string(),
                    // Names of a time field's length that are none of them.
                    None => ["Task", "Opcode1", "Hostname1", "Other"][name - TIME_FIELDS.len()].into(),
                };
                let value = match value {
                    0 => Value::str("2026-03-02T08:14:07Z"),
                    1 => Value::str("2025-01-01 10:00:00"),
                    2 => Value::Int(1_700_000_000),
                    3 => Value::str("not a time"),
                    _ => Value::Null,
                };
                ev.push(name, value);
            }
            let mut fast = ev.clone();
            set_time(&mut fast);
            proptest::prop_assert_eq!(fast.timestamp, naive(&ev).timestamp);
            // Through the memory of shapes: a first event of the shape, then a second.
            let mut shapes = vigie_event::Shapes::default();
            let mut memory = ByShape::default();
            for _ in 0..2 {
                let (mut shaped, _) = shapes.event(ev.fields().to_vec());
                proptest::prop_assert!(shaped.shape().is_some());
                set_time_by_shape(&mut shaped, &mut memory);
                proptest::prop_assert_eq!(shaped.timestamp, naive(&ev).timestamp);
            }
        }
    }
}
