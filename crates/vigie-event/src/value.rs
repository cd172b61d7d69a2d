//! Typed field values, and the case folding that case-insensitive matching compares.

use std::borrow::Cow;
use std::fmt;

/// Folds text for case-insensitive comparison: each character to its Unicode lower case on
/// its own, and the word-final sigma `ς` to `σ` (as Unicode case folding does).
///
/// Unlike `str::to_lowercase`, the result for a character does not depend on its neighbours
/// (`to_lowercase` writes a capital sigma as `ς` at the end of a word and `σ` elsewhere), so a
/// folded pattern is found inside folded text whenever the original is, case aside.
pub fn fold_case(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len() + 8);
    push_fold_case(s, &mut out);
    out
}

/// Appends [`fold_case`] of `s` to `out`.
fn push_fold_case(s: &str, out: &mut String) {
    for_each_folded(s, |piece| match piece {
        Folded::Ascii(run) => {
            let start = out.len();
            out.push_str(run);
            out[start..].make_ascii_lowercase();
        }
        Folded::Char(c) => out.push(c),
    });
}

/// Appends [`fold_case`] of `s` to `out` as bytes: an ASCII text (most) lowercased in one
/// map over the buffer's new bytes.
pub fn push_fold_case_bytes(s: &str, out: &mut Vec<u8>) {
    if s.is_ascii() {
        return push_lower_ascii(s, out);
    }
    for_each_folded(s, |piece| match piece {
        Folded::Ascii(run) => push_lower_ascii(run, out),
        Folded::Char(c) => out.extend_from_slice(c.encode_utf8(&mut [0u8; 4]).as_bytes()),
    });
}

/// Appends the ASCII text `run` lowercased ([`lower_ascii`] over the buffer's new bytes).
fn push_lower_ascii(run: &str, out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(run.as_bytes());
    if let Some(new) = out.get_mut(start..) {
        lower_ascii(new);
    }
}

/// A piece of a text on its way to [`fold_case`]: a run of ASCII (still to lowercase), or a
/// character of the folded form of one that is not ASCII.
enum Folded<'a> {
    Ascii(&'a str),
    Char(char),
}

/// Splits `s` into its ASCII runs (found eight bytes at a time) and the folded characters of
/// the others, in order: each character folded on its own, a final sigma as any sigma.
fn for_each_folded<'a>(s: &'a str, mut piece: impl FnMut(Folded<'a>)) {
    let mut rest = s;
    while !rest.is_empty() {
        let (ascii, tail) = rest.split_at(ascii_prefix(rest.as_bytes()));
        if !ascii.is_empty() {
            piece(Folded::Ascii(ascii));
        }
        let mut chars = tail.chars();
        if let Some(c) = chars.next() {
            c.to_lowercase()
                .for_each(|l| piece(Folded::Char(if l == 'ς' { 'σ' } else { l })));
        }
        rest = chars.as_str();
    }
}

/// How many bytes `b` starts with that are ASCII, looked at eight at a time.
pub fn ascii_prefix(b: &[u8]) -> usize {
    let mut n = 0;
    for w in b.chunks_exact(8) {
        let word = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        let high = word & 0x8080_8080_8080_8080;
        if high != 0 {
            return n + (high.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n + b[n..].iter().take_while(|b| b.is_ascii()).count()
}

/// Lowercases the ASCII letters of `text` in place, eight bytes at a time, and tells whether
/// it is all ASCII; other bytes are left as they are.
pub fn lower_ascii(text: &mut [u8]) -> bool {
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

/// A string value: its text alone (a cache of its case-folded form, which only tests the
/// rule engine's automata do not answer read, would make every field of every event larger).
/// Kept inline up to 24 bytes (`-`, `0x0`, accounts, ports, short paths), so that most values
/// of a record cost no allocation; a value stays 24 bytes.
#[derive(Clone, Default)]
pub struct Str {
    raw: compact_str::CompactString,
}

impl Str {
    #[inline]
    pub fn new(s: impl Into<compact_str::CompactString>) -> Self {
        Str { raw: s.into() }
    }

    #[inline]
    pub fn as_str(&self) -> &str {
        &self.raw
    }
}

impl PartialEq for Str {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}

impl fmt::Debug for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.raw, f)
    }
}

impl From<&str> for Str {
    fn from(s: &str) -> Self {
        Str::new(s)
    }
}

impl From<String> for Str {
    fn from(s: String) -> Self {
        Str::new(s)
    }
}

/// A field value. Values keep the type they had in the log.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Str),
    /// Several values under one name (a JSON array, repeated elements); boxed as a slice, so
    /// that a value takes 24 bytes.
    List(Box<[Value]>),
}

impl Value {
    pub fn str(s: impl Into<compact_str::CompactString>) -> Self {
        Value::Str(Str::new(s))
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The value as a number, when it is one or is a string holding one (decimal or `0x` hex).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            Value::Str(s) => parse_number(s.as_str().trim()),
            Value::Bool(_) | Value::Null | Value::List(_) => None,
        }
    }

    /// A scalar value written as text (numbers in their shortest form); `None` for lists and null.
    pub fn to_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        match self {
            Value::Str(s) => Some(Cow::Borrowed(s.as_str())),
            Value::Int(i) => Some(Cow::Owned(itoa::Buffer::new().format(*i).to_owned())),
            Value::Float(f) => Some(Cow::Owned(format_float(*f))),
            Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
            Value::Null | Value::List(_) => None,
        }
    }

    /// Converts to JSON for output.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::Str(s) => serde_json::Value::String(s.as_str().to_owned()),
            Value::List(l) => serde_json::Value::Array(l.iter().map(Value::to_json).collect()),
        }
    }

    /// Converts a JSON scalar or array (objects become their JSON text).
    pub fn from_json(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Value::Int(i)
                } else if let Some(u) = n.as_u64() {
                    // Beyond i64: keep the exact digits as text rather than lose precision.
                    Value::str(u.to_string())
                } else {
                    Value::Float(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            serde_json::Value::String(s) => Value::str(s.as_str()),
            serde_json::Value::Array(a) => Value::List(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(_) => Value::str(v.to_string()),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::List(l) => {
                for (i, v) in l.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                Ok(())
            }
            other => f.write_str(&other.to_text().unwrap_or_default()),
        }
    }
}

fn format_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Parses a decimal integer, float or `0x` hexadecimal number.
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return u64::from_str_radix(hex, 16).ok().map(|v| v as f64);
    }
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
    {
        return None;
    }
    s.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn ascii_prefix_is_where_the_first_other_byte_is(
            text in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40)
        ) {
            let plain = text.iter().position(|b| !b.is_ascii()).unwrap_or(text.len());
            proptest::prop_assert_eq!(ascii_prefix(&text), plain);
        }

        #[test]
        fn lowering_in_words_is_ascii_lowercase(
            text in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..70)
        ) {
            let mut words = text.clone();
            proptest::prop_assert_eq!(lower_ascii(&mut words), text.is_ascii());
            proptest::prop_assert_eq!(words, text.to_ascii_lowercase());
        }

        /// The byte folding equals the per-character one on any text, mostly ASCII or not.
        #[test]
        fn byte_folding_is_fold_case(s in "([ -~]{0,20}\\PC?){0,4}") {
            let mut out = Vec::new();
            push_fold_case_bytes(&s, &mut out);
            proptest::prop_assert_eq!(out, fold_case(&s).into_bytes());
        }

        /// The run-by-run folding equals folding each character on its own.
        #[test]
        fn fold_case_is_per_character(s in "[a-zA-Z0-9 ÉéΣσςİßẞ\\\\.]{0,40}") {
            let naive: String = s
                .chars()
                .flat_map(char::to_lowercase)
                .map(|c| if c == 'ς' { 'σ' } else { c })
                .collect();
            proptest::prop_assert_eq!(fold_case(&s), naive.clone());
            // Appended after what a buffer holds already, the same text.
            let mut out = String::from("Ab");
            push_fold_case(&s, &mut out);
            proptest::prop_assert_eq!(out, format!("Ab{naive}"));
            let mut bytes = b"Ab".to_vec();
            push_fold_case_bytes(&s, &mut bytes);
            proptest::prop_assert_eq!(bytes, format!("Ab{naive}").into_bytes());
        }
    }

    /// Found by the engine's naive-evaluator property test: `to_lowercase` made `ΣΣ` into
    /// `σς`, which no longer contained the folded rule value `σσ`.
    #[test]
    fn folding_does_not_depend_on_position() {
        assert_eq!(fold_case("ΣΣ"), "σσ");
        assert_eq!(fold_case("ΛΌΓΟΣ"), fold_case("λόγος"));
        assert_eq!(fold_case("AΣ"), "aσ");
        assert_eq!(fold_case("İ"), "i\u{307}");
    }

    #[test]
    fn numbers_from_text() {
        assert_eq!(Value::str("0x1F").as_f64(), Some(31.0));
        assert_eq!(Value::str(" 42 ").as_f64(), Some(42.0));
        assert_eq!(Value::str("abc").as_f64(), None);
        assert_eq!(Value::Int(7).to_text().as_deref(), Some("7"));
        assert_eq!(Value::Float(2.0).to_text().as_deref(), Some("2"));
    }
}
