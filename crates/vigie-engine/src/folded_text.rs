//! A value's case-folded text as bytes, for the automata: alone (a field's scan) or every
//! value of an event joined (the keyword searches).

use vigie_event::{push_fold_case_bytes, Field, Value};

/// Appends the folded text of a scalar value to `out`; `false` (nothing appended) for null
/// and lists.
pub(crate) fn push_value_folded(v: &Value, out: &mut Vec<u8>) -> bool {
    match v {
        // The value's own cached folding when a test made it already; otherwise folded into
        // the buffer, that cache left for the few tests that need it later.
        Value::Str(s) => match s.lower_if_known() {
            Some(lower) => out.extend_from_slice(lower.as_bytes()),
            None => push_fold_case_bytes(s.as_str(), out),
        },
        Value::Int(i) => out.extend_from_slice(itoa::Buffer::new().format(*i).as_bytes()),
        Value::Null | Value::List(_) => return false,
        other => match other.to_text() {
            Some(t) => push_fold_case_bytes(&t, out),
            None => return false,
        },
    }
    true
}

/// Sets `out` to the folded text of every value of `fields` (each member of a list), each
/// after a NUL, in their order: what the keyword searches read.
///
/// Most values are short, and the work per value was most of the cost: they are copied as
/// they are, the whole text lowercased at the end in one pass, eight bytes at a time, and
/// the few characters that are not ASCII folded where they stand. Only where one's folded
/// form is not one character of its width is the text joined again, value by value folded.
pub(crate) fn join_folded(fields: &[Field], out: &mut Vec<u8>) {
    out.clear();
    for f in fields {
        join_value(&f.value, false, out);
    }
    if lower_ascii(out) || fold_in_place(out) {
        return;
    }
    out.clear();
    for f in fields {
        join_value(&f.value, true, out);
    }
    lower_ascii(out);
}

/// Appends a value (each member of a list) to `out`, each after a NUL: its text as it is,
/// or (`fold`) with what is not ASCII folded.
fn join_value(v: &Value, fold: bool, out: &mut Vec<u8>) {
    match v {
        Value::List(items) => items.iter().for_each(|i| join_value(i, fold, out)),
        Value::Null => {}
        Value::Str(s) => {
            out.push(0);
            push_text(s.as_str(), fold, out);
        }
        Value::Int(i) => {
            out.push(0);
            out.extend_from_slice(itoa::Buffer::new().format(*i).as_bytes());
        }
        other => {
            if let Some(t) = other.to_text() {
                out.push(0);
                push_text(&t, fold, out);
            }
        }
    }
}

/// Appends text as it is, or (`fold`, and not ASCII) folded.
fn push_text(text: &str, fold: bool, out: &mut Vec<u8>) {
    if fold && !text.is_ascii() {
        push_fold_case_bytes(text, out);
    } else {
        out.extend_from_slice(text.as_bytes());
    }
}

/// Folds the characters of UTF-8 `text` that are not ASCII where they stand, when each
/// one's folded form is one character of the same width (`É` to `é`, `Σ` to `σ`, `®` as it
/// is); false, `text` then partly folded, at one whose is not (`İ`, the Kelvin sign).
fn fold_in_place(text: &mut [u8]) -> bool {
    let mut at = 0;
    while let Some(skip) = text.get(at..).and_then(first_not_ascii) {
        at += skip;
        let width = match text.get(at) {
            Some(0xc0..=0xdf) => 2,
            Some(0xe0..=0xef) => 3,
            _ => 4,
        };
        let Some(bytes) = text.get_mut(at..at + width) else {
            return false;
        };
        let Some(c) = std::str::from_utf8(bytes)
            .ok()
            .and_then(|s| s.chars().next())
        else {
            return false;
        };
        let mut lower = c.to_lowercase();
        let (Some(l), None) = (lower.next(), lower.next()) else {
            return false;
        };
        let l = if l == 'ς' { 'σ' } else { l };
        if l != c {
            if l.len_utf8() != width {
                return false;
            }
            l.encode_utf8(bytes);
        }
        at += width;
    }
    true
}

/// Where the first byte of `text` that is not ASCII is, looked for eight bytes at a time.
fn first_not_ascii(text: &[u8]) -> Option<usize> {
    let mut words = text.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let high = u64::from_le_bytes(<[u8; 8]>::try_from(word).ok()?) & 0x8080_8080_8080_8080;
        if high != 0 {
            return Some(at + (high.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let tail = words.remainder().iter().position(|b| !b.is_ascii())?;
    Some(at + tail)
}

/// Lowercases the ASCII letters of `text` in place, eight bytes at a time, and tells whether
/// it is all ASCII; other bytes are left as they are.
fn lower_ascii(text: &mut [u8]) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut seen = 0u64;
    let mut words = text.chunks_exact_mut(8);
    for word in &mut words {
        let Ok(bytes) = <[u8; 8]>::try_from(&*word) else {
            continue;
        };
        let w = u64::from_le_bytes(bytes);
        seen |= w;
        // Per byte, its low seven bits plus a bias carries into the high bit exactly when
        // they are at least `A` (0x41), or above `Z` (0x5a); no carry crosses bytes. Bytes
        // with the high bit set are not ASCII and are left alone.
        let low = w & !HIGH;
        let from_a = low + 0x3f3f_3f3f_3f3f_3f3f;
        let past_z = low + 0x2525_2525_2525_2525;
        let upper = from_a & !past_z & !w & HIGH;
        word.copy_from_slice(&(w | (upper >> 2)).to_le_bytes());
    }
    for b in words.into_remainder() {
        seen |= u64::from(*b);
        b.make_ascii_lowercase();
    }
    seen & HIGH == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The joined text as the definition says: each value's folded text after a NUL.
    fn naive(fields: &[Field]) -> Vec<u8> {
        fn walk(v: &Value, out: &mut Vec<u8>) {
            match v {
                Value::List(items) => items.iter().for_each(|i| walk(i, out)),
                other => {
                    if let Some(t) = other.to_text() {
                        out.push(0);
                        out.extend_from_slice(vigie_event::fold_case(&t).as_bytes());
                    }
                }
            }
        }
        let mut out = Vec::new();
        fields.iter().for_each(|f| walk(&f.value, &mut out));
        out
    }

    fn scalar() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::Int),
            (-1e12f64..1e12).prop_map(Value::Float),
            "[a-zA-Z0-9 \\\\.:-]{0,40}".prop_map(Value::str),
            "[a-zA-ZΣσςİıK\u{212a}éÉ®ẞßǅ\u{0}-\u{7f}]{0,20}".prop_map(Value::str),
            "\\PC{0,12}".prop_map(Value::str),
        ]
    }

    fn value() -> impl Strategy<Value = Value> {
        scalar().prop_recursive(2, 8, 4, |inner| {
            prop::collection::vec(inner, 0..4).prop_map(Value::List)
        })
    }

    proptest! {
        #[test]
        fn the_first_byte_not_ascii_is_found(text in prop::collection::vec(any::<u8>(), 0..40)) {
            prop_assert_eq!(first_not_ascii(&text), text.iter().position(|b| !b.is_ascii()));
        }

        #[test]
        fn lowering_in_words_is_ascii_lowercase(text in prop::collection::vec(any::<u8>(), 0..70)) {
            let mut words = text.clone();
            prop_assert_eq!(lower_ascii(&mut words), text.is_ascii());
            prop_assert_eq!(words, text.to_ascii_lowercase());
        }

        #[test]
        fn joined_text_is_each_value_folded_after_a_nul(
            values in prop::collection::vec(value(), 0..12)
        ) {
            let fields: Vec<Field> = values
                .into_iter()
                .enumerate()
                .map(|(i, value)| Field { name: format!("f{i}").into(), value })
                .collect();
            let mut out = b"left over".to_vec();
            join_folded(&fields, &mut out);
            prop_assert_eq!(out, naive(&fields));
        }
    }
}
