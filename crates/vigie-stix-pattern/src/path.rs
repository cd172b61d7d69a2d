//! Walking an object path from a root object, as stix2-matcher does: keys step into
//! dictionaries, indexes and `[*]` into lists, anything else drops out silently; properties
//! named `*_hex` / `*_bin` are decoded to binary when stepped into; `*_ref` / `*_refs` are
//! replaced by the objects they name (in the same observation), and a reference of the wrong
//! shape is an error.

use base64::Engine;
use serde_json::Value;

use crate::ast::PathStep;
use crate::error::EvalError;
use crate::lexer::decode_hex;
use crate::observation::Observation;

/// A value reached by a path.
#[derive(Debug, Clone)]
pub(crate) enum Val<'a> {
    Json(&'a Value),
    /// A `*_hex` or `*_bin` property, decoded.
    Bytes(Vec<u8>),
    /// A `*_refs` list, dereferenced.
    Refs(Vec<&'a Value>),
}

/// Every value at `steps` from `root` (possibly none).
pub(crate) fn walk<'a>(
    root: &'a Value,
    steps: &[PathStep],
    obs: &'a Observation,
) -> Result<Vec<Val<'a>>, EvalError> {
    let mut values = vec![Val::Json(root)];
    for step in steps {
        let mut next = Vec::new();
        match step {
            PathStep::Key(key) => {
                for v in &values {
                    if let Val::Json(Value::Object(map)) = v {
                        if let Some(x) = map.get(key) {
                            next.push(decode_suffix(key, x)?);
                        }
                    }
                }
                next = dereference(key, next, obs)?;
            }
            PathStep::Index(i) => {
                let Ok(i) = usize::try_from(*i) else {
                    return Ok(Vec::new());
                };
                for v in &values {
                    match v {
                        Val::Json(Value::Array(items)) => {
                            next.extend(items.get(i).map(Val::Json));
                        }
                        Val::Refs(items) => next.extend(items.get(i).copied().map(Val::Json)),
                        _ => {}
                    }
                }
            }
            PathStep::AnyIndex => {
                for v in &values {
                    match v {
                        Val::Json(Value::Array(items)) => next.extend(items.iter().map(Val::Json)),
                        Val::Refs(items) => next.extend(items.iter().copied().map(Val::Json)),
                        _ => {}
                    }
                }
            }
        }
        values = next;
        if values.is_empty() {
            break;
        }
    }
    Ok(values)
}

fn decode_suffix<'a>(key: &str, x: &'a Value) -> Result<Val<'a>, EvalError> {
    let bad = |encoding: &'static str, reason: String| EvalError::BadBinaryProperty {
        property: key.to_owned(),
        encoding,
        reason,
    };
    if key.ends_with("_hex") {
        let Value::String(s) = x else {
            return Err(bad("hex", format!("{x} is not a string")));
        };
        decode_hex(s)
            .map(Val::Bytes)
            .ok_or_else(|| bad("hex", format!("{s:?} is not pairs of hex digits")))
    } else if key.ends_with("_bin") {
        let Value::String(s) = x else {
            return Err(bad("base64", format!("{x} is not a string")));
        };
        decode_base64_loosely(s)
            .map(Val::Bytes)
            .ok_or_else(|| bad("base64", format!("{s:?} is not base64")))
    } else {
        Ok(Val::Json(x))
    }
}

/// Base64 as Python's non-strict decoder reads it: characters outside the alphabet are
/// skipped, the data must be padded to whole quanta, the input ends with the padding.
fn decode_base64_loosely(s: &str) -> Option<Vec<u8>> {
    if !s.is_ascii() {
        return None;
    }
    let mut data = String::new();
    let mut pads = 0;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == '+' || c == '/' {
            if pads > 0 {
                break;
            }
            data.push(c);
        } else if c == '=' {
            match data.len() % 4 {
                0 => continue,
                1 => return None,
                quad => {
                    pads += 1;
                    if quad + pads >= 4 {
                        break;
                    }
                }
            }
        }
    }
    let quad = data.len() % 4;
    if quad == 1 || (quad > 0 && quad + pads < 4) {
        return None;
    }
    base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireNone),
    )
    .decode(&data)
    .ok()
}

fn dereference<'a>(
    key: &str,
    values: Vec<Val<'a>>,
    obs: &'a Observation,
) -> Result<Vec<Val<'a>>, EvalError> {
    let not_string = |what: &str, v: &Value| EvalError::BadReference {
        property: key.to_owned(),
        reason: format!("{what} is not an object identifier string: {v}"),
    };
    if key.ends_with("_ref") {
        let mut out = Vec::new();
        for v in values {
            match v {
                Val::Json(Value::String(r)) => out.extend(obs.resolve(r).map(Val::Json)),
                Val::Json(other) => return Err(not_string("the value", other)),
                _ => {
                    return Err(EvalError::BadReference {
                        property: key.to_owned(),
                        reason: "the value is not a string".into(),
                    })
                }
            }
        }
        Ok(out)
    } else if key.ends_with("_refs") {
        let mut out = Vec::new();
        for v in values {
            let Val::Json(Value::Array(items)) = v else {
                return Err(EvalError::BadReference {
                    property: key.to_owned(),
                    reason: "the value is not a list".into(),
                });
            };
            let mut resolved = Vec::new();
            for item in items {
                let Value::String(r) = item else {
                    return Err(not_string("a list item", item));
                };
                resolved.extend(obs.resolve(r));
            }
            if !resolved.is_empty() {
                out.push(Val::Refs(resolved));
            }
        }
        Ok(out)
    } else {
        Ok(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_base64() {
        assert_eq!(decode_base64_loosely("YWxpY2U="), Some(b"alice".to_vec()));
        assert_eq!(decode_base64_loosely("YWxp\nY2U="), Some(b"alice".to_vec()));
        assert_eq!(decode_base64_loosely("YQ==YQ=="), Some(b"a".to_vec()));
        assert_eq!(decode_base64_loosely("YQ"), None);
        assert_eq!(decode_base64_loosely("Y"), None);
        assert_eq!(decode_base64_loosely(""), Some(Vec::new()));
    }
}
