//! JSON text written straight into a line, byte for byte as serde_json writes it: a
//! string's runs with nothing to escape are found eight bytes at a time and copied whole,
//! and a block that holds something to escape is entered at its first such byte.

use vigie_event::Value;

/// Appends `s` as a JSON string: runs with nothing to escape copied whole (Windows values
/// hold backslashes, so most strings have something to escape, but little of it).
pub(crate) fn push_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(block) = bytes
            .get(i..i + 8)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
        {
            match escape_mask(block) {
                0 => {
                    i += 8;
                    continue;
                }
                // The bytes before the first one to escape are written as they are.
                mask => i += mask.trailing_zeros() as usize / 8,
            }
        }
        let Some(&b) = bytes.get(i) else {
            break;
        };
        if let Some(escape) = escape(b) {
            out.extend_from_slice(bytes.get(start..i).unwrap_or_default());
            match escape {
                b'u' => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    let hex = [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]];
                    out.extend_from_slice(b"\\u00");
                    out.extend_from_slice(&hex);
                }
                e => out.extend_from_slice(&[b'\\', e]),
            }
            start = i + 1;
        }
        i += 1;
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
    out.push(b'"');
}

/// What follows the backslash in the escape of `b`, as serde_json writes it (`u`: the
/// `\u00XX` form); `None` for a byte written as it is.
fn escape(b: u8) -> Option<u8> {
    Some(match b {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x0c => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        0..0x20 => b'u',
        _ => return None,
    })
}

/// Appends `s` as a JSON string, or `null`.
pub(crate) fn push_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => push_str(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// Appends a whole number.
pub(crate) fn push_int(out: &mut Vec<u8>, n: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// Appends a field value as `Value::to_json` gives it (floats that are not finite as
/// `null`).
pub(crate) fn push_value(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Int(i) => push_int(out, *i),
        Value::Float(f) if f.is_finite() => {
            // serde_json's own shortest form of a float.
            let _ = serde_json::to_writer(&mut *out, f);
        }
        Value::Float(_) => out.extend_from_slice(b"null"),
        Value::Str(s) => push_str(out, s.as_str()),
        Value::List(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                push_value(out, item);
            }
            out.push(b']');
        }
    }
}

/// The bytes of an eight-byte block that JSON escapes (a control character, `"` or `\`), as
/// the high bit of each in little-endian order: zero when there is none, and the lowest bit
/// set always marks the first (bits past it may be set wrongly: a borrow runs on from a
/// byte found, but none reaches it from below).
fn escape_mask(block: [u8; 8]) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // A byte of zero in `x` sets its high bit in `has_zero(x)`; bytes after the first zero
    // may be set wrongly, the first is exact.
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let v = u64::from_le_bytes(block);
    // Below 0x20: `v - 0x20` borrows into the high bit of a byte whose own high bit is clear.
    let control = v.wrapping_sub(0x20 * ONES) & !v & HIGHS;
    let quote = has_zero(v ^ (u64::from(b'"') * ONES));
    let backslash = has_zero(v ^ (u64::from(b'\\') * ONES));
    control | quote | backslash
}

#[cfg(test)]
pub(crate) mod props {
    use super::*;
    use proptest::prelude::*;

    /// Texts rich in what JSON escapes, next to plain ASCII and other characters.
    pub(crate) fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                4 => proptest::char::range(' ', '~'),
                1 => proptest::char::range('\0', '\u{1f}'),
                1 => proptest::sample::select(vec!['"', '\\', '\u{7f}', 'é', '€', '😀', '\u{2028}']),
            ],
            0..40,
        )
        .prop_map(|chars| chars.into_iter().collect())
    }

    pub(crate) fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::Int),
            any::<f64>().prop_map(Value::Float),
            prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(-0.0)].prop_map(Value::Float),
            text().prop_map(Value::str),
        ];
        leaf.prop_recursive(2, 8, 4, |inner| {
            proptest::collection::vec(inner, 0..4).prop_map(|items| Value::List(items.into()))
        })
    }

    proptest! {
        /// A string is written as serde_json writes it.
        #[test]
        fn strings_as_serde_json_writes_them(s in text()) {
            let mut out = Vec::new();
            push_str(&mut out, &s);
            prop_assert_eq!(out, serde_json::to_vec(&s).expect("a string serializes"));
        }

        /// A value is written as serde_json writes `Value::to_json`.
        #[test]
        fn values_as_serde_json_writes_them(v in value()) {
            let mut out = Vec::new();
            push_value(&mut out, &v);
            let want = serde_json::to_vec(&v.to_json()).expect("a value serializes");
            prop_assert_eq!(String::from_utf8(out).expect("UTF-8"), String::from_utf8(want).expect("UTF-8"));
        }
    }
}
