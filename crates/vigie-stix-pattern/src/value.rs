//! Values under comparison and the comparison rules of stix2-matcher: which type pairs can
//! be equal or ordered (ints and floats compare exactly; binary compares with a string whose
//! characters are all below 256; a boolean is neither equal to nor ordered with a number),
//! and set membership, which follows Python's own equality (there `true` equals `1`, binary
//! never equals a string).

use std::cmp::Ordering;

use serde_json::Value;

/// A value selected from an object, typed as the matcher's Python code sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Scalar<'a> {
    Int(i128),
    Float(f64),
    Str(&'a str),
    Bool(bool),
    Bytes(&'a [u8]),
    /// Microseconds since the epoch.
    Time(i64),
    Null,
    List,
    Dict,
}

impl<'a> Scalar<'a> {
    pub(crate) fn from_json(v: &'a Value) -> Scalar<'a> {
        match v {
            Value::Null => Scalar::Null,
            Value::Bool(b) => Scalar::Bool(*b),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Scalar::Int(i128::from(i))
                } else if let Some(u) = n.as_u64() {
                    Scalar::Int(i128::from(u))
                } else {
                    Scalar::Float(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(s) => Scalar::Str(s),
            Value::Array(_) => Scalar::List,
            Value::Object(_) => Scalar::Dict,
        }
    }
}

/// Exact comparison of an integer with a float (as Python compares them).
fn cmp_int_float(i: i128, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f == f64::INFINITY {
        return Some(Ordering::Less);
    }
    if f == f64::NEG_INFINITY {
        return Some(Ordering::Greater);
    }
    let t = f.trunc();
    // 2^127 as a float: beyond it no i128 reaches.
    const LIMIT: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0;
    if t >= LIMIT {
        return Some(Ordering::Less);
    }
    if t < -LIMIT {
        return Some(Ordering::Greater);
    }
    let ti = t as i128;
    Some(match i.cmp(&ti) {
        Ordering::Equal if f > t => Ordering::Less,
        Ordering::Equal if f < t => Ordering::Greater,
        other => other,
    })
}

fn cmp_numbers(a: Scalar<'_>, b: Scalar<'_>) -> Option<Ordering> {
    match (a, b) {
        (Scalar::Int(x), Scalar::Int(y)) => Some(x.cmp(&y)),
        (Scalar::Int(x), Scalar::Float(y)) => cmp_int_float(x, y),
        (Scalar::Float(x), Scalar::Int(y)) => cmp_int_float(y, x).map(Ordering::reverse),
        (Scalar::Float(x), Scalar::Float(y)) => x.partial_cmp(&y),
        _ => None,
    }
}

/// The string as Latin-1 bytes, when every character is below 256.
fn latin1(s: &str) -> Option<Vec<u8>> {
    s.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect()
}

/// `=` of the matcher: `None`-free, false for type pairs it has no rule for.
pub(crate) fn equals(value: Scalar<'_>, literal: Scalar<'_>) -> bool {
    match (value, literal) {
        (Scalar::Int(_) | Scalar::Float(_), Scalar::Int(_) | Scalar::Float(_)) => {
            cmp_numbers(value, literal) == Some(Ordering::Equal)
        }
        (Scalar::Bytes(a), Scalar::Bytes(b)) => a == b,
        (Scalar::Bytes(b), Scalar::Str(s)) | (Scalar::Str(s), Scalar::Bytes(b)) => {
            latin1(s).is_some_and(|s| s == b)
        }
        (Scalar::Str(a), Scalar::Str(b)) => a == b,
        (Scalar::Bool(a), Scalar::Bool(b)) => a == b,
        (Scalar::Time(a), Scalar::Time(b)) => a == b,
        _ => false,
    }
}

/// `value <=> literal` for the order operators; `None` when the pair cannot be ordered
/// (the comparison is then false, before any NOT).
pub(crate) fn order(value: Scalar<'_>, literal: Scalar<'_>) -> Option<Ordering> {
    match (value, literal) {
        (Scalar::Int(_) | Scalar::Float(_), Scalar::Int(_) | Scalar::Float(_)) => {
            cmp_numbers(value, literal)
        }
        (Scalar::Bytes(a), Scalar::Bytes(b)) => Some(a.cmp(b)),
        (Scalar::Bytes(b), Scalar::Str(s)) => Some(b.cmp(latin1(s)?.as_slice())),
        (Scalar::Str(s), Scalar::Bytes(b)) => Some(latin1(s)?.as_slice().cmp(b)),
        // Code point order, which is also the order of UTF-8 bytes.
        (Scalar::Str(a), Scalar::Str(b)) => Some(a.cmp(b)),
        (Scalar::Time(a), Scalar::Time(b)) => Some(a.cmp(&b)),
        _ => None,
    }
}

/// Python's `==` as set membership uses it: booleans are the numbers 0 and 1.
pub(crate) fn python_equals(value: Scalar<'_>, member: Scalar<'_>) -> bool {
    fn numeric(s: Scalar<'_>) -> Option<Scalar<'static>> {
        match s {
            Scalar::Bool(b) => Some(Scalar::Int(i128::from(b))),
            Scalar::Int(i) => Some(Scalar::Int(i)),
            Scalar::Float(f) => Some(Scalar::Float(f)),
            _ => None,
        }
    }
    if let (Some(a), Some(b)) = (numeric(value), numeric(member)) {
        return cmp_numbers(a, b) == Some(Ordering::Equal);
    }
    match (value, member) {
        (Scalar::Str(a), Scalar::Str(b)) => a == b,
        (Scalar::Bytes(a), Scalar::Bytes(b)) => a == b,
        (Scalar::Time(a), Scalar::Time(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_exactly() {
        assert!(equals(Scalar::Int(5), Scalar::Float(5.0)));
        assert!(!equals(Scalar::Int(5), Scalar::Float(5.000_000_1)));
        assert_eq!(
            order(Scalar::Int(5), Scalar::Float(4.9)),
            Some(Ordering::Greater)
        );
        assert_eq!(
            order(
                Scalar::Int(i128::from(i64::MAX)),
                Scalar::Float(9_223_372_036_854_775_808.0)
            ),
            Some(Ordering::Less)
        );
        assert!(!equals(Scalar::Bool(true), Scalar::Int(1)));
        assert!(python_equals(Scalar::Bool(true), Scalar::Int(1)));
    }

    #[test]
    fn binary_and_strings() {
        assert!(equals(Scalar::Str("alice"), Scalar::Bytes(b"alice")));
        assert!(!equals(Scalar::Str("\u{103}lice"), Scalar::Bytes(b"alice")));
        assert_eq!(
            order(Scalar::Str("\u{103}lice"), Scalar::Bytes(b"alice")),
            None
        );
        assert!(!python_equals(
            Scalar::Str("alice"),
            Scalar::Bytes(b"alice")
        ));
    }
}
