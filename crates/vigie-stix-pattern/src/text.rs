//! Text tests: LIKE patterns and MATCHES regular expressions, compiled with the `regex` crate.
//!
//! As in stix2-matcher, both the pattern and the value are put in Unicode NFC first (so `=`
//! tells normalization forms apart but LIKE and MATCHES do not), LIKE must match the whole value
//! (Python's `$` also accepts one final newline), and binary values are tested bytewise when the
//! pattern's characters all fit in a byte.

use std::borrow::Cow;

use regex::bytes::Regex as BytesRegex;
use regex::Regex;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::error::EvalError;

/// The NFC form of `s`, borrowed when it already is.
pub(crate) fn nfc(s: &str) -> Cow<'_, str> {
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

/// Whether every character is below 256 (the pattern can then be used on bytes).
pub(crate) fn fits_bytes(s: &str) -> bool {
    s.chars().all(|c| u32::from(c) < 256)
}

/// A compiled LIKE pattern.
#[derive(Debug, Clone)]
pub(crate) struct Like {
    pub regex: Regex,
    /// Binary values are decoded as UTF-8 and tested when this holds.
    pub binary: bool,
}

impl Like {
    pub(crate) fn new(pattern: &str) -> Result<Like, EvalError> {
        let pattern = nfc(pattern);
        let mut src = String::from(r"\A(?:");
        for c in pattern.chars() {
            match c {
                '%' => src.push_str(".*"),
                '_' => src.push('.'),
                c => src.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
            }
        }
        src.push_str(r")\n?\z");
        let regex = Regex::new(&src).map_err(|e| EvalError::InvalidRegex {
            regex: pattern.to_string(),
            reason: e.to_string(),
        })?;
        Ok(Like {
            regex,
            binary: fits_bytes(&pattern),
        })
    }
}

/// A compiled MATCHES expression: for text, and for bytes when it fits.
#[derive(Debug, Clone)]
pub(crate) struct Matches {
    pub text: Regex,
    pub bytes: Option<BytesRegex>,
}

impl Matches {
    pub(crate) fn new(pattern: &str) -> Result<Matches, EvalError> {
        let pattern = nfc(pattern);
        let invalid = |e: regex::Error| EvalError::InvalidRegex {
            regex: pattern.to_string(),
            reason: e.to_string(),
        };
        let text = Regex::new(&translate(&pattern, false)).map_err(invalid)?;
        let bytes = if fits_bytes(&pattern) {
            Some(BytesRegex::new(&translate(&pattern, true)).map_err(invalid)?)
        } else {
            None
        };
        Ok(Matches { text, bytes })
    }
}

/// Rewrites the few Python regular-expression spellings the `regex` crate reads otherwise:
/// `\Z` (end of text), escaped punctuation such as `\@`. For bytes, characters from 128 to
/// 255 become the single bytes they stand for, and Unicode classes are off.
fn translate(pattern: &str, bytes: bool) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    if bytes {
        out.push_str("(?-u)");
    }
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('Z') => out.push_str(r"\z"),
                Some(e) if e.is_ascii_punctuation() || e == ' ' => {
                    out.push_str(&regex::escape(e.encode_utf8(&mut [0; 4])));
                }
                Some(e) if bytes && !e.is_ascii() => push_byte(&mut out, e),
                Some(e) => {
                    out.push('\\');
                    out.push(e);
                }
                None => out.push('\\'),
            },
            c if bytes && !c.is_ascii() => push_byte(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

fn push_byte(out: &mut String, c: char) {
    out.push_str(&format!(r"\x{:02X}", u32::from(c) & 0xff));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_is_anchored_and_escapes() {
        let l = Like::new("he__o%").expect("compiles");
        assert!(l.regex.is_match("hello world"));
        assert!(!l.regex.is_match("say hello"));
        let l = Like::new("a.b").expect("compiles");
        assert!(!l.regex.is_match("axb"));
        assert!(l.regex.is_match("a.b\n"));
        assert!(!Like::new("\u{103}lice").expect("compiles").binary);
    }

    #[test]
    fn matches_on_text_and_bytes() {
        let m = Matches::new(r"\x61li[c\x01]e").expect("compiles");
        assert!(m.text.is_match("alice"));
        assert!(m.bytes.as_ref().expect("fits").is_match(b"alice"));
        let m = Matches::new(r".+\@example\.com\Z").expect("python spellings");
        assert!(m.text.is_match("me@example.com"));
        let m = Matches::new("\u{e9}").expect("latin-1");
        assert!(m.bytes.as_ref().expect("fits").is_match(&[0xe9]));
        assert!(Matches::new("(").is_err());
    }
}
