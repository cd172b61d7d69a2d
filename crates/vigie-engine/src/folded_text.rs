//! A value's case-folded text as bytes, for the automata: alone (a field's scan) or every
//! value of an event joined (the keyword searches).

use vigie_event::{ascii_prefix, lower_ascii, push_fold_case_bytes, Field, Value};

/// Appends the folded text of a scalar value to `out`; `false` (nothing appended) for null
/// and lists.
pub(crate) fn push_value_folded(v: &Value, out: &mut Vec<u8>) -> bool {
    match v {
        Value::Str(s) => push_fold_case_bytes(s.as_str(), out),
        Value::Int(i) => out.extend_from_slice(itoa::Buffer::new().format(*i).as_bytes()),
        Value::Null | Value::List(_) => return false,
        other => match other.to_text() {
            Some(t) => push_fold_case_bytes(&t, out),
            None => return false,
        },
    }
    true
}

/// What the joined text may leave out: values in which no keyword of the slots that read it
/// can occur.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Leave {
    /// Whole numbers, when no keyword is made of digits and `-` alone (a third of an
    /// event's values are numbers).
    pub(crate) numbers: bool,
    /// ASCII text shorter than this (folding keeps its length), when every keyword is at
    /// least this long: most values are short (`-`, `0x0`, `true`, a port, an account).
    pub(crate) shorter_than: usize,
}

impl Leave {
    /// What both leave out: a text joined so serves the readers of each.
    pub(crate) fn and(self, other: Leave) -> Leave {
        Leave {
            numbers: self.numbers && other.numbers,
            shorter_than: self.shorter_than.min(other.shorter_than),
        }
    }

    /// Whether a scalar value is written.
    fn keeps(self, v: &Value) -> bool {
        match v {
            Value::Int(_) => !self.numbers,
            Value::Str(s) => self.keeps_text(s.as_str()),
            _ => true,
        }
    }

    fn keeps_text(self, text: &str) -> bool {
        text.len() >= self.shorter_than || !text.is_ascii()
    }
}

/// Sets `out` to the folded text of every value of `fields` (each member of a list) that
/// `leave` does not leave out, each after a NUL, in their order: what the keyword searches
/// read.
///
/// Most values are short, and the work per value was most of the cost: they are copied as
/// they are, the whole text lowercased at the end in one pass, eight bytes at a time, and
/// the few characters that are not ASCII folded where they stand. Only where one's folded
/// form is not one character of its width is the text joined again, each value folded.
pub(crate) fn join_folded(fields: &[Field], out: &mut Vec<u8>, leave: Leave) {
    out.clear();
    let wanted = |v: &Value| leave.keeps(v);
    for f in fields {
        // Strings, most values, without the general walk.
        match &f.value {
            Value::Str(s) => {
                if leave.keeps_text(s.as_str()) {
                    out.push(0);
                    out.extend_from_slice(s.as_str().as_bytes());
                }
            }
            Value::Null => {}
            v => join(v, out, wanted, push_raw),
        }
    }
    if lower_ascii(out) || fold_in_place(out) {
        return;
    }
    out.clear();
    fields
        .iter()
        .for_each(|f| join(&f.value, out, wanted, push_value_folded));
}

/// Appends a value (each member of a list) that is `wanted` to `out`, each after a NUL, as
/// `push` writes it (nothing, NUL included, where it writes nothing).
fn join<W, P>(v: &Value, out: &mut Vec<u8>, wanted: W, push: P)
where
    W: Fn(&Value) -> bool + Copy,
    P: Fn(&Value, &mut Vec<u8>) -> bool + Copy,
{
    if let Value::List(items) = v {
        return items.iter().for_each(|i| join(i, out, wanted, push));
    }
    if !wanted(v) {
        return;
    }
    let start = out.len();
    out.push(0);
    if !push(v, out) {
        out.truncate(start);
    }
}

/// Appends the text of a scalar value to `out` as it is; `false` (nothing appended) for
/// null and lists.
fn push_raw(v: &Value, out: &mut Vec<u8>) -> bool {
    match v {
        Value::Str(s) => out.extend_from_slice(s.as_str().as_bytes()),
        Value::Int(i) => out.extend_from_slice(itoa::Buffer::new().format(*i).as_bytes()),
        Value::Null | Value::List(_) => return false,
        other => match other.to_text() {
            Some(t) => out.extend_from_slice(t.as_bytes()),
            None => return false,
        },
    }
    true
}

/// Folds the characters of UTF-8 `text` that are not ASCII where they stand, when each
/// one's folded form is one character of the same width (`É` to `é`, `Σ` to `σ`, `®` as it
/// is); false, `text` then partly folded, at one whose is not (`İ`, the Kelvin sign).
fn fold_in_place(text: &mut [u8]) -> bool {
    let mut at = 0;
    loop {
        at += ascii_prefix(text.get(at..).unwrap_or_default());
        let width = match text.get(at) {
            None => return true,
            Some(0xc0..=0xdf) => 2,
            Some(0xe0..=0xef) => 3,
            Some(_) => 4,
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The joined text as the definition says: each value's folded text after a NUL, but
    /// whole numbers when they are left out, and ASCII text shorter than the bound.
    fn naive(fields: &[Field], leave: Leave) -> Vec<u8> {
        fn walk(v: &Value, out: &mut Vec<u8>, leave: Leave) {
            match v {
                Value::List(items) => items.iter().for_each(|i| walk(i, out, leave)),
                Value::Int(_) if leave.numbers => {}
                Value::Str(s) if s.as_str().is_ascii() && s.as_str().len() < leave.shorter_than => {
                }
                other => {
                    if let Some(t) = other.to_text() {
                        out.push(0);
                        out.extend_from_slice(vigie_event::fold_case(&t).as_bytes());
                    }
                }
            }
        }
        let mut out = Vec::new();
        fields.iter().for_each(|f| walk(&f.value, &mut out, leave));
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
            prop::collection::vec(inner, 0..4).prop_map(|items| Value::List(items.into()))
        })
    }

    proptest! {
        #[test]
        fn joined_text_is_each_value_folded_after_a_nul(
            values in prop::collection::vec(value(), 0..12),
            numbers in any::<bool>(),
            shorter_than in 0usize..6,
        ) {
            let leave = Leave { numbers, shorter_than };
            let fields: Vec<Field> = values
                .into_iter()
                .enumerate()
                .map(|(i, value)| Field { name: format!("f{i}").into(), value })
                .collect();
            let mut out = b"left over".to_vec();
            join_folded(&fields, &mut out, leave);
            prop_assert_eq!(out, naive(&fields, leave));
        }
    }
}
