//! PyPI versions: PEP 440 (epoch, release, pre, post, dev, local; spelling normalised as
//! `packaging` does), and the legacy versions PEP 440 rejects, ordered as `packaging`'s
//! `LegacyVersion` ordered them: before every PEP 440 version.

use std::cmp::Ordering;

use crate::digits::{all_digits, cmp_digits, split_run, trim_zeros};
use crate::error::VersionError;

const SCHEME: &str = "PEP 440";

/// A PyPI version.
#[derive(Debug, Clone)]
pub enum Pep440Version {
    /// A version PEP 440 rejects, kept as `LegacyVersion`'s comparison key.
    Legacy(Vec<String>),
    /// A PEP 440 version.
    Standard(Standard),
}

/// The parts of a PEP 440 version that order it (numbers as digit strings).
#[derive(Debug, Clone)]
pub struct Standard {
    epoch: String,
    /// Release numbers without trailing zero components.
    release: Vec<String>,
    pre: Option<(PreLabel, String)>,
    post: Option<String>,
    dev: Option<String>,
    local: Option<Vec<LocalPart>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum PreLabel {
    Alpha,
    Beta,
    Rc,
}

/// A segment of a local version: letters sort before numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
enum LocalPart {
    Text(String),
    Number(String),
}

impl Ord for LocalPart {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (LocalPart::Number(a), LocalPart::Number(b)) => cmp_digits(a, b),
            (LocalPart::Number(_), LocalPart::Text(_)) => Ordering::Greater,
            (LocalPart::Text(_), LocalPart::Number(_)) => Ordering::Less,
            (LocalPart::Text(a), LocalPart::Text(b)) => a.cmp(b),
        }
    }
}

impl PartialOrd for LocalPart {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Pep440Version {
    /// Parses a version: PEP 440 when it is one, else a legacy version. Only an empty (or
    /// blank) string is refused.
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let t = s.trim();
        if t.is_empty() {
            return Err(VersionError::invalid(SCHEME, s, "version string is empty"));
        }
        let lower = t.to_lowercase();
        Ok(match parse_standard(&lower) {
            Some(v) => Pep440Version::Standard(v),
            None => Pep440Version::Legacy(legacy_key(&lower)),
        })
    }

    /// Whether the version is a PEP 440 version (not a legacy one).
    pub fn is_pep440(&self) -> bool {
        matches!(self, Pep440Version::Standard(_))
    }
}

fn is_sep(b: u8) -> bool {
    matches!(b, b'-' | b'_' | b'.')
}

/// Drops one optional `[-_.]`.
fn opt_sep(s: &str) -> &str {
    match s.bytes().next() {
        Some(b) if is_sep(b) => s.get(1..).unwrap_or_default(),
        _ => s,
    }
}

fn digits(s: &str) -> (&str, &str) {
    split_run(s, |b| b.is_ascii_digit())
}

/// `[-_.]? label [-_.]? [0-9]*` with the first label of `labels` that matches.
fn labelled<'a>(s: &'a str, labels: &[&'static str]) -> Option<(&'static str, &'a str, &'a str)> {
    let t = opt_sep(s);
    let label = labels.iter().find(|l| t.starts_with(**l))?;
    let t = t.get(label.len()..).unwrap_or_default();
    let after_sep = opt_sep(t);
    let (n, rest) = digits(after_sep);
    if n.is_empty() {
        // The separator may stand without a number.
        Some((label, "0", after_sep))
    } else {
        Some((label, n, rest))
    }
}

/// Parses a lower-cased, trimmed PEP 440 version.
fn parse_standard(s: &str) -> Option<Standard> {
    let mut rest = s.strip_prefix('v').unwrap_or(s);
    // epoch
    let mut epoch = "";
    let (n, after) = digits(rest);
    if !n.is_empty() {
        if let Some(after_bang) = after.strip_prefix('!') {
            epoch = n;
            rest = after_bang;
        }
    }
    // release
    let mut release = Vec::new();
    loop {
        let (n, after) = digits(rest);
        if n.is_empty() {
            break;
        }
        release.push(trim_zeros(n).to_owned());
        rest = after;
        match rest.strip_prefix('.') {
            Some(after_dot) if after_dot.bytes().next().is_some_and(|b| b.is_ascii_digit()) => {
                rest = after_dot;
            }
            _ => break,
        }
    }
    if release.is_empty() {
        return None;
    }
    while release.last().is_some_and(|n| n.is_empty()) {
        release.pop();
    }
    // pre-release
    let mut pre = None;
    if let Some((label, n, after)) = labelled(
        rest,
        &["alpha", "a", "beta", "b", "preview", "pre", "c", "rc"],
    ) {
        let label = match label {
            "alpha" | "a" => PreLabel::Alpha,
            "beta" | "b" => PreLabel::Beta,
            _ => PreLabel::Rc,
        };
        pre = Some((label, trim_zeros(n).to_owned()));
        rest = after;
    }
    // post-release: `-N`, or `[-_.]? (post|rev|r) [-_.]? N?`
    let mut post = None;
    let implicit = rest.strip_prefix('-').map(digits);
    if let Some((n, after)) = implicit.filter(|(n, _)| !n.is_empty()) {
        post = Some(trim_zeros(n).to_owned());
        rest = after;
    } else if let Some((_, n, after)) = labelled(rest, &["post", "rev", "r"]) {
        post = Some(trim_zeros(n).to_owned());
        rest = after;
    }
    // dev-release
    let mut dev = None;
    if let Some((_, n, after)) = labelled(rest, &["dev"]) {
        dev = Some(trim_zeros(n).to_owned());
        rest = after;
    }
    // local version
    let mut local = None;
    if let Some(l) = rest.strip_prefix('+') {
        let parts: Vec<&str> = l.split(['-', '_', '.']).collect();
        let ok = parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric()));
        if !ok {
            return None;
        }
        local = Some(
            parts
                .iter()
                .map(|p| {
                    if all_digits(p) {
                        LocalPart::Number((*p).to_owned())
                    } else {
                        LocalPart::Text((*p).to_owned())
                    }
                })
                .collect(),
        );
        rest = "";
    }
    if !rest.is_empty() {
        return None;
    }
    Some(Standard {
        epoch: epoch.to_owned(),
        release,
        pre,
        post,
        dev,
        local,
    })
}

/// `LegacyVersion`'s key: the string cut into digit runs, letter runs, `.` and `-` (and
/// what lies between), spelled so that string order is version order.
fn legacy_key(s: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut push = |part: String| {
        if part.starts_with('*') {
            if part.as_str() < "*final" {
                while parts.last().is_some_and(|p| p == "*final-") {
                    parts.pop();
                }
            }
            while parts.last().is_some_and(|p| p == "00000000") {
                parts.pop();
            }
        }
        parts.push(part);
    };
    for token in legacy_tokens(s) {
        let token = match token {
            "pre" | "preview" | "rc" => "c",
            "-" => "final-",
            "dev" => "@",
            other => other,
        };
        if token.is_empty() || token == "." {
            continue;
        }
        if token.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
            push(format!("{token:0>8}"));
        } else {
            push(format!("*{token}"));
        }
    }
    push("*final".to_owned());
    parts
}

/// Splits like `re.split(r"(\d+|[a-z]+|\.|-)", s)`: matched runs and the text between them.
fn legacy_tokens(s: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let mut rest = s;
    let mut other_start: Option<usize> = None;
    let mut offset = 0;
    while let Some(c) = rest.chars().next() {
        let len = if c.is_ascii_digit() {
            split_run(rest, |b| b.is_ascii_digit()).0.len()
        } else if c.is_ascii_lowercase() {
            split_run(rest, |b| b.is_ascii_lowercase()).0.len()
        } else if c == '.' || c == '-' {
            1
        } else {
            other_start.get_or_insert(offset);
            offset += c.len_utf8();
            rest = rest.get(c.len_utf8()..).unwrap_or_default();
            continue;
        };
        if let Some(start) = other_start.take() {
            tokens.push(s.get(start..offset).unwrap_or_default());
        }
        tokens.push(rest.get(..len).unwrap_or_default());
        offset += len;
        rest = rest.get(len..).unwrap_or_default();
    }
    if let Some(start) = other_start {
        tokens.push(s.get(start..).unwrap_or_default());
    }
    tokens
}

/// Orders optional parts where absence sorts before any value.
fn absent_first<T: Ord>(a: &Option<T>, b: &Option<T>) -> Ordering {
    a.cmp(b)
}

/// Orders optional parts where absence sorts after any value.
fn absent_last<T: Ord>(a: &Option<T>, b: &Option<T>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => x.cmp(y),
    }
}

/// A digit string that orders numerically.
#[derive(Debug, PartialEq, Eq)]
struct Num<'a>(&'a str);

impl Ord for Num<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_digits(self.0, other.0)
    }
}

impl PartialOrd for Num<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The pre-release key: a dev release of a final version sorts before its pre-releases.
fn pre_key(v: &Standard) -> (u8, Option<(PreLabel, Num<'_>)>) {
    match &v.pre {
        Some((label, n)) => (1, Some((*label, Num(n)))),
        None if v.post.is_none() && v.dev.is_some() => (0, None),
        None => (2, None),
    }
}

fn release(v: &Standard) -> Vec<Num<'_>> {
    v.release.iter().map(|n| Num(n)).collect()
}

impl Ord for Standard {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_digits(&self.epoch, &other.epoch)
            .then_with(|| release(self).cmp(&release(other)))
            .then_with(|| pre_key(self).cmp(&pre_key(other)))
            .then_with(|| {
                absent_first(
                    &self.post.as_deref().map(Num),
                    &other.post.as_deref().map(Num),
                )
            })
            .then_with(|| {
                absent_last(
                    &self.dev.as_deref().map(Num),
                    &other.dev.as_deref().map(Num),
                )
            })
            .then_with(|| absent_first(&self.local, &other.local))
    }
}

crate::order_from_cmp!(Standard);

impl Ord for Pep440Version {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Pep440Version::Legacy(a), Pep440Version::Legacy(b)) => a.cmp(b),
            (Pep440Version::Legacy(_), Pep440Version::Standard(_)) => Ordering::Less,
            (Pep440Version::Standard(_), Pep440Version::Legacy(_)) => Ordering::Greater,
            (Pep440Version::Standard(a), Pep440Version::Standard(b)) => a.cmp(b),
        }
    }
}

crate::order_from_cmp!(Pep440Version);

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Pep440Version {
        Pep440Version::parse(s).expect("parses")
    }

    #[test]
    fn normalised_spellings_are_equal() {
        for (a, b) in [
            ("1.0a1", "1.0.alpha.1"),
            ("1.0-RC-2", "1.0rc2"),
            ("1.0c2", "1.0rc2"),
            ("1.0-1", "1.0.post1"),
            ("1.0.r", "1.0.post0"),
            ("v1!2.0.dev", "1!2.0.dev0"),
            ("1.0+Ubuntu-1", "1.0+ubuntu.1"),
            (" 1.0 ", "1.0.0"),
        ] {
            assert!(v(a).is_pep440(), "{a}");
            assert_eq!(v(a).cmp(&v(b)), Ordering::Equal, "{a} = {b}");
        }
    }

    #[test]
    fn legacy_versions_sort_first() {
        assert!(!v("0.1-bulbasaur").is_pep440());
        assert!(v("0.1-bulbasaur") < v("0.1-charmander"));
        assert!(v("french toast") < v("0.0.1.dev0"));
    }
}
