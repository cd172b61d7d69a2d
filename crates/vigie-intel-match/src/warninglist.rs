//! MISP warninglists: lists of values known to be benign (public resolvers, top domains,
//! cloud ranges), in MISP's JSON format. An indicator a list covers is not matched, as MISP
//! flags such attributes instead of alerting on them.
//!
//! Types as MISP reads them: `string` (the whole value, case-insensitive), `substring`
//! (contained in the value), `hostname` (the value's host or one of its parent domains),
//! `cidr` (an address or network inside a listed network) and `regex` (`/.../flags` or bare).
//! `matching_attributes` limits a list to MISP attribute types; absent or empty, it applies to
//! every type.

use std::collections::HashSet;
use std::net::IpAddr;

use serde_json::Value as Json;
use vigie_intel::IndicatorType;

use crate::prefix::PrefixTable;
use crate::text;

/// Why a warninglist file was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WarninglistError {
    #[error("{file}: not a MISP warninglist: {reason}")]
    Shape { file: String, reason: String },
    #[error("{file}: list entry {entry:?}: {reason}")]
    Entry {
        file: String,
        entry: String,
        reason: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListType {
    String,
    Substring,
    Hostname,
    Cidr,
    Regex,
}

/// One warninglist, compiled.
#[derive(Debug, Clone)]
pub struct Warninglist {
    pub name: String,
    list_type: ListType,
    /// Indicator types the list applies to (all when `None`).
    applies_to: Option<HashSet<IndicatorType>>,
    strings: HashSet<String>,
    substrings: Vec<String>,
    networks: PrefixTable,
    regexes: Vec<regex::Regex>,
}

/// The indicator types a MISP attribute type names.
fn types_of_attribute(attribute: &str) -> &'static [IndicatorType] {
    use IndicatorType as T;
    let base = attribute.split('|').next().unwrap_or(attribute);
    match base {
        "ip-src" | "ip-dst" | "ip" => &[T::Ipv4, T::Ipv6, T::Cidr],
        "domain" | "hostname" => &[T::Domain],
        "url" | "uri" | "link" => &[T::Url],
        "md5" => &[T::Md5],
        "sha1" => &[T::Sha1],
        "sha256" => &[T::Sha256],
        "sha512" => &[T::Sha512],
        "email" | "email-src" | "email-dst" => &[T::Email],
        "filename" => &[T::Filename],
        _ => &[],
    }
}

/// A `/pattern/flags` MISP regex as a Rust regex (flags `i`, `m`, `s`, `x`; others ignored).
fn compile_regex(entry: &str) -> Result<regex::Regex, String> {
    let (pattern, flags) = match entry.strip_prefix('/').and_then(|r| r.rsplit_once('/')) {
        Some((p, f)) if f.chars().all(|c| c.is_ascii_alphabetic()) => (p, f),
        _ => (entry, ""),
    };
    let inline: String = flags.chars().filter(|c| "imsx".contains(*c)).collect();
    let full = if inline.is_empty() {
        pattern.to_owned()
    } else {
        format!("(?{inline}){pattern}")
    };
    regex::RegexBuilder::new(&full)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| e.to_string())
}

impl Warninglist {
    /// Reads a warninglist from its JSON text; `file` names it in errors.
    pub fn parse(json: &str, file: &str) -> Result<Warninglist, WarninglistError> {
        let shape = |reason: &str| WarninglistError::Shape {
            file: file.to_owned(),
            reason: reason.to_owned(),
        };
        let doc: Json = serde_json::from_str(json).map_err(|e| shape(&e.to_string()))?;
        let obj = doc.as_object().ok_or_else(|| shape("expected an object"))?;
        let list = obj
            .get("list")
            .and_then(Json::as_array)
            .ok_or_else(|| shape("no `list` array"))?;
        let list_type = match obj.get("type").and_then(Json::as_str).unwrap_or("string") {
            "string" => ListType::String,
            "substring" => ListType::Substring,
            "hostname" => ListType::Hostname,
            "cidr" => ListType::Cidr,
            "regex" => ListType::Regex,
            other => return Err(shape(&format!("unknown type {other:?}"))),
        };
        let applies_to = obj
            .get("matching_attributes")
            .and_then(Json::as_array)
            .filter(|a| !a.is_empty())
            .map(|attrs| {
                attrs
                    .iter()
                    .filter_map(Json::as_str)
                    .flat_map(|a| types_of_attribute(a).iter().copied())
                    .collect::<HashSet<_>>()
            });
        let mut wl = Warninglist {
            name: obj
                .get("name")
                .and_then(Json::as_str)
                .unwrap_or(file)
                .to_owned(),
            list_type,
            applies_to,
            strings: HashSet::new(),
            substrings: Vec::new(),
            networks: PrefixTable::default(),
            regexes: Vec::new(),
        };
        for entry in list.iter().filter_map(Json::as_str) {
            let entry = entry.trim();
            if entry.is_empty() {
                continue;
            }
            let bad = |reason: String| WarninglistError::Entry {
                file: file.to_owned(),
                entry: entry.to_owned(),
                reason,
            };
            match list_type {
                ListType::String => {
                    wl.strings.insert(entry.to_lowercase());
                }
                ListType::Hostname => {
                    let host = entry.trim_start_matches("*.").trim_end_matches('.');
                    wl.strings.insert(host.to_lowercase());
                }
                ListType::Substring => wl.substrings.push(entry.to_lowercase()),
                ListType::Cidr => {
                    let (addr, len) = match entry.split_once('/') {
                        Some((a, l)) => (a, Some(l)),
                        None => (entry, None),
                    };
                    let addr: IpAddr = addr
                        .parse()
                        .map_err(|_| bad("not an IP address or network".into()))?;
                    let width = if addr.is_ipv4() { 32 } else { 128 };
                    let len = match len {
                        Some(l) => l
                            .parse::<u8>()
                            .ok()
                            .filter(|&l| l <= width)
                            .ok_or_else(|| bad("bad prefix length".into()))?,
                        None => width,
                    };
                    wl.networks.insert(addr, len, 0);
                }
                ListType::Regex => wl.regexes.push(compile_regex(entry).map_err(bad)?),
            }
        }
        Ok(wl)
    }

    /// Entries in the list.
    pub fn len(&self) -> usize {
        self.strings.len() + self.substrings.len() + self.networks.len() + self.regexes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the list covers an indicator (as the store holds it: normalised).
    pub fn covers(&self, kind: IndicatorType, value: &str) -> bool {
        if let Some(types) = &self.applies_to {
            if !types.contains(&kind) {
                return false;
            }
        }
        match self.list_type {
            ListType::String => self.strings.contains(&value.to_lowercase()),
            ListType::Substring => {
                let v = value.to_lowercase();
                self.substrings.iter().any(|s| v.contains(s.as_str()))
            }
            ListType::Hostname => {
                let host = match kind {
                    IndicatorType::Url => text::url_parts(value).map(|u| u.host().to_owned()),
                    IndicatorType::Email => value.rsplit_once('@').map(|(_, d)| d.to_owned()),
                    _ => Some(text::host(value).to_owned()),
                };
                let Some(host) = host.map(|h| h.to_lowercase()) else {
                    return false;
                };
                let mut rest = host.as_str();
                loop {
                    if self.strings.contains(rest) {
                        return true;
                    }
                    match rest.split_once('.') {
                        Some((_, parent)) if !parent.is_empty() => rest = parent,
                        _ => return false,
                    }
                }
            }
            ListType::Cidr => {
                let (addr, len) = match value.split_once('/') {
                    Some((a, l)) => (a, l.parse::<u8>().ok()),
                    None => (value, None),
                };
                let Some(addr) = text::parse_ip(addr) else {
                    return false;
                };
                // A network is covered when a listed network holds it whole.
                let mut covered = false;
                self.networks.each(addr, |l, _| {
                    covered |= len.is_none_or(|len| l <= len);
                });
                covered
            }
            ListType::Regex => self.regexes.iter().any(|r| r.is_match(value)),
        }
    }
}

/// Several warninglists: which one, if any, covers an indicator.
#[derive(Debug, Clone, Default)]
pub struct Warninglists {
    lists: Vec<Warninglist>,
}

impl Warninglists {
    pub fn push(&mut self, list: Warninglist) {
        self.lists.push(list);
    }

    pub fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }

    /// The name of the first list covering the indicator.
    pub fn covering(&self, kind: IndicatorType, value: &str) -> Option<&str> {
        self.lists
            .iter()
            .find(|l| l.covers(kind, value))
            .map(|l| l.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(kind: &str, entries: &[&str], attrs: &[&str]) -> Warninglist {
        let json = serde_json::json!({
            "name": "test", "version": 1, "description": "d", "type": kind,
            "list": entries, "matching_attributes": attrs,
        });
        Warninglist::parse(&json.to_string(), "t.json").expect("parses")
    }

    #[test]
    fn hostname_lists_cover_subdomains_not_lookalikes() {
        let l = list("hostname", &["google.com"], &["domain", "hostname", "url"]);
        assert!(l.covers(IndicatorType::Domain, "google.com"));
        assert!(l.covers(IndicatorType::Domain, "mail.google.com"));
        assert!(!l.covers(IndicatorType::Domain, "notgoogle.com"));
        assert!(l.covers(IndicatorType::Url, "https://www.google.com/search?q=x"));
        assert!(!l.covers(IndicatorType::Ipv4, "8.8.8.8"));
    }

    #[test]
    fn cidr_lists_cover_addresses_and_narrower_networks() {
        let l = list("cidr", &["8.8.8.0/24", "2001:4860::/32"], &[]);
        assert!(l.covers(IndicatorType::Ipv4, "8.8.8.8"));
        assert!(!l.covers(IndicatorType::Ipv4, "8.8.9.8"));
        assert!(l.covers(IndicatorType::Cidr, "8.8.8.0/25"));
        assert!(!l.covers(IndicatorType::Cidr, "8.8.0.0/16"));
        assert!(l.covers(IndicatorType::Ipv6, "2001:4860:4860::8888"));
    }

    #[test]
    fn string_substring_and_regex_lists() {
        let s = list("string", &["d41d8cd98f00b204e9800998ecf8427e"], &["md5"]);
        assert!(s.covers(IndicatorType::Md5, "D41D8CD98F00B204E9800998ECF8427E"));
        assert!(!s.covers(IndicatorType::Sha1, "d41d8cd98f00b204e9800998ecf8427e"));
        let sub = list("substring", &[".windowsupdate."], &[]);
        assert!(sub.covers(IndicatorType::Domain, "a.windowsupdate.com"));
        let re = list("regex", &["/^test[0-9]+\\.example$/i"], &[]);
        assert!(re.covers(IndicatorType::Domain, "TEST42.example"));
        assert!(!re.covers(IndicatorType::Domain, "test.example"));
    }

    #[test]
    fn bad_lists_are_named() {
        let e = Warninglist::parse("{\"list\": 3}", "w.json").expect_err("refused");
        assert_eq!(
            e.to_string(),
            "w.json: not a MISP warninglist: no `list` array"
        );
        let json = r#"{"type": "cidr", "list": ["10.0.0.0/99"]}"#;
        let e = Warninglist::parse(json, "w.json").expect_err("refused");
        assert_eq!(
            e.to_string(),
            "w.json: list entry \"10.0.0.0/99\": bad prefix length"
        );
    }
}
