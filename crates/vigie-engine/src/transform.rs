//! Value modifiers applied to a rule's values: wildcard wrapping, encodings (base64,
//! base64offset, UTF-16), windash variants and placeholder expansion.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::pattern::{Pattern, Piece};
use vigie_sigma::Modifier;

/// A value on its way through the modifier chain.
#[derive(Clone, Debug)]
enum Work {
    Pat(Pattern),
    Bytes(Vec<u8>),
}

/// Placeholder values for `expand` (`%name%` → values).
pub type Placeholders = HashMap<String, Vec<String>>;

/// Why a value could not be transformed.
#[derive(Debug)]
pub enum TransformIssue {
    /// A placeholder without values: the value matches nothing (a warning).
    MissingPlaceholder(String),
}

/// The most variants windash may produce for one value, to keep hostile rules bounded.
const MAX_VARIANTS: usize = 4096;

/// Applies the string-shaping modifiers in the order written and returns the patterns
/// the value stands for (several for windash, base64offset and expand).
pub fn transform(
    text: &str,
    modifiers: &[Modifier],
    placeholders: &Placeholders,
    issues: &mut Vec<TransformIssue>,
) -> Vec<Pattern> {
    let mut work = vec![Work::Pat(Pattern::parse(text))];
    for m in modifiers {
        work = match m {
            Modifier::Contains => map_pat(work, |p| p.wrap_any(true, true)),
            Modifier::StartsWith => map_pat(work, |p| p.wrap_any(false, true)),
            Modifier::EndsWith => map_pat(work, |p| p.wrap_any(true, false)),
            Modifier::Utf16Le => map_bytes(work, |s| utf16(s, false, false)),
            Modifier::Utf16Be => map_bytes(work, |s| utf16(s, true, false)),
            Modifier::Utf16 => map_bytes(work, |s| utf16(s, false, true)),
            Modifier::Base64 => work
                .into_iter()
                .map(|w| Work::Pat(Pattern::literal(&B64.encode(bytes_of(&w)))))
                .collect(),
            Modifier::Base64Offset => work
                .into_iter()
                .flat_map(|w| base64_offsets(&bytes_of(&w)))
                .map(|s| Work::Pat(Pattern::literal(&s)))
                .collect(),
            Modifier::Windash => work
                .into_iter()
                .flat_map(|w| match w {
                    Work::Pat(p) => windash(&p).into_iter().map(Work::Pat).collect(),
                    other => vec![other],
                })
                .collect(),
            Modifier::Expand => work
                .into_iter()
                .flat_map(|w| match w {
                    Work::Pat(p) => expand(&p, placeholders, issues)
                        .into_iter()
                        .map(Work::Pat)
                        .collect(),
                    other => vec![other],
                })
                .collect(),
            _ => work,
        };
    }
    work.into_iter()
        .map(|w| match w {
            Work::Pat(p) => p,
            Work::Bytes(b) => Pattern::literal(&b.iter().map(|&c| c as char).collect::<String>()),
        })
        .collect()
}

fn map_pat(work: Vec<Work>, f: impl Fn(Pattern) -> Pattern) -> Vec<Work> {
    work.into_iter()
        .map(|w| match w {
            Work::Pat(p) => Work::Pat(f(p)),
            other => other,
        })
        .collect()
}

fn map_bytes(work: Vec<Work>, f: impl Fn(&str) -> Vec<u8>) -> Vec<Work> {
    work.into_iter()
        .map(|w| match w {
            Work::Pat(p) => Work::Bytes(f(&p.text())),
            other => other,
        })
        .collect()
}

fn bytes_of(w: &Work) -> Vec<u8> {
    match w {
        Work::Pat(p) => p.text().into_bytes(),
        Work::Bytes(b) => b.clone(),
    }
}

fn utf16(s: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() * 2 + 2);
    if bom {
        out.extend_from_slice(&[0xFF, 0xFE]);
    }
    for unit in s.encode_utf16() {
        let b = if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        };
        out.extend_from_slice(&b);
    }
    out
}

/// The three renderings of `value` inside a longer base64 text, at byte offsets 0, 1, 2,
/// without the edge characters that depend on the neighbouring bytes.
pub fn base64_offsets(value: &[u8]) -> Vec<String> {
    const START: [usize; 3] = [0, 2, 3];
    const END: [usize; 3] = [0, 3, 2];
    (0..3)
        .map(|i| {
            let mut padded = vec![b' '; i];
            padded.extend_from_slice(value);
            let enc = B64.encode(&padded);
            let end_cut = END[(value.len() + i) % 3];
            let end = enc.len().saturating_sub(end_cut);
            enc.get(START[i]..end).unwrap_or_default().to_owned()
        })
        .collect()
}

fn windash_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::unwrap_used)]
    RE.get_or_init(|| Regex::new(r"\B[-/]\b").unwrap())
}

/// Every variant of the value with each command-line switch dash (`-` or `/` starting a
/// word) replaced by `-`, `/`, en dash, em dash or horizontal bar.
fn windash(p: &Pattern) -> Vec<Pattern> {
    const DASHES: [&str; 5] = ["-", "/", "\u{2013}", "\u{2014}", "\u{2015}"];
    let mut variants = vec![Pattern::default()];
    for piece in &p.0 {
        match piece {
            Piece::Lit(s) => {
                let mut segments: Vec<Vec<String>> = Vec::new();
                let mut last = 0;
                for m in windash_re().find_iter(s) {
                    segments.push(vec![s[last..m.start()].to_owned()]);
                    segments.push(DASHES.iter().map(|d| (*d).to_owned()).collect());
                    last = m.end();
                }
                segments.push(vec![s[last..].to_owned()]);
                for seg in segments {
                    if seg.len() == 1 {
                        for v in &mut variants {
                            v.push(Piece::Lit(seg[0].clone()));
                        }
                    } else if variants.len() * seg.len() <= MAX_VARIANTS {
                        variants = variants
                            .iter()
                            .flat_map(|v| {
                                seg.iter().map(move |d| {
                                    let mut n = v.clone();
                                    n.push(Piece::Lit(d.clone()));
                                    n
                                })
                            })
                            .collect();
                    } else {
                        for v in &mut variants {
                            v.push(Piece::Lit(seg[0].clone()));
                        }
                    }
                }
            }
            other => {
                for v in &mut variants {
                    v.push(other.clone());
                }
            }
        }
    }
    variants
}

/// Replaces `%name%` placeholders by each of their values (`\%` is a literal percent).
fn expand(
    p: &Pattern,
    placeholders: &Placeholders,
    issues: &mut Vec<TransformIssue>,
) -> Vec<Pattern> {
    let mut variants = vec![Pattern::default()];
    for piece in &p.0 {
        let Piece::Lit(s) = piece else {
            for v in &mut variants {
                v.push(piece.clone());
            }
            continue;
        };
        let mut rest = s.as_str();
        while !rest.is_empty() {
            let (before, name, after) = match find_placeholder(rest) {
                Some(x) => x,
                None => {
                    let lit = rest.replace("\\%", "%");
                    for v in &mut variants {
                        v.push(Piece::Lit(lit.clone()));
                    }
                    break;
                }
            };
            let lit = before.replace("\\%", "%");
            for v in &mut variants {
                v.push(Piece::Lit(lit.clone()));
            }
            match placeholders.get(name) {
                Some(values) if !values.is_empty() => {
                    variants = variants
                        .iter()
                        .flat_map(|v| {
                            values.iter().map(move |val| {
                                let mut n = v.clone();
                                for piece in Pattern::parse(val).0 {
                                    n.push(piece);
                                }
                                n
                            })
                        })
                        .take(MAX_VARIANTS)
                        .collect();
                }
                _ => {
                    issues.push(TransformIssue::MissingPlaceholder(name.to_owned()));
                    return Vec::new();
                }
            }
            rest = after;
        }
    }
    variants
}

fn find_placeholder(s: &str) -> Option<(&str, &str, &str)> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && bytes.get(i + 1) == Some(&b'%') {
            i += 2;
            continue;
        }
        if bytes[i] == b'%' {
            let end = s[i + 1..].find('%')? + i + 1;
            let name = &s[i + 1..end];
            if !name.is_empty() && !name.contains(char::is_whitespace) {
                return Some((&s[..i], name, &s[end + 1..]));
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, mods: &[Modifier]) -> Vec<String> {
        let mut issues = Vec::new();
        transform(text, mods, &Placeholders::new(), &mut issues)
            .iter()
            .map(Pattern::text)
            .collect()
    }

    #[test]
    fn base64offset_matches_known_renderings() {
        // The three offsets of "/c" as encoded inside longer text.
        assert_eq!(base64_offsets(b"/c"), vec!["L2", "9j", "vY"]);
        assert_eq!(
            run("http", &[Modifier::Base64Offset, Modifier::Contains]),
            vec!["*aHR0c*", "*h0dH*", "*odHRw*"]
        );
    }

    #[test]
    fn base64_and_wide() {
        assert_eq!(run("ab", &[Modifier::Base64]), vec!["YWI="]);
        assert_eq!(
            run("ab", &[Modifier::Utf16Le, Modifier::Base64]),
            vec!["YQBiAA=="]
        );
        assert_eq!(
            run("ab", &[Modifier::Utf16Be, Modifier::Base64]),
            vec!["AGEAYg=="]
        );
        assert_eq!(
            run("ab", &[Modifier::Utf16, Modifier::Base64]),
            vec!["//5hAGIA"]
        );
    }

    #[test]
    fn windash_variants() {
        let v = run(" -enc ", &[Modifier::Windash]);
        assert_eq!(v.len(), 5);
        assert!(v.contains(&" /enc ".to_owned()));
        assert!(v.contains(&" \u{2013}enc ".to_owned()));
        // A dash inside a word is not a switch.
        assert_eq!(run("a-b", &[Modifier::Windash]), vec!["a-b"]);
        assert_eq!(run("-a -b", &[Modifier::Windash]).len(), 25);
    }

    #[test]
    fn expand_placeholders() {
        let mut ph = Placeholders::new();
        ph.insert("Admins".into(), vec!["root".into(), "adm*".into()]);
        let mut issues = Vec::new();
        let out: Vec<String> = transform("x%Admins%", &[Modifier::Expand], &ph, &mut issues)
            .iter()
            .map(Pattern::text)
            .collect();
        assert_eq!(out, vec!["xroot", "xadm*"]);
        let none = transform("%Missing%", &[Modifier::Expand], &ph, &mut issues);
        assert!(none.is_empty());
        assert_eq!(issues.len(), 1);
    }
}
