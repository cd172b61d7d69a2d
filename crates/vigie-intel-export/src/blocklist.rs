//! Blocklists that firewalls pull, one value per line and one file per kind, in the formats
//! Palo Alto's External Dynamic Lists read: `ip.txt` (IPv4 and IPv6 addresses and networks),
//! `domain.txt` (each domain, and `*.domain` for its subdomains, as Vigie matches them),
//! `url.txt` (without `http://` / `https://`, without fragment), host names in ASCII
//! (punycode) form, and one file per hash
//! algorithm (`md5.txt`, `sha1.txt`, `sha256.txt`, `sha512.txt`). Values a list cannot hold
//! (a URL with a wildcard character, an entry over 255 characters) are left out and counted.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use vigie_intel::IndicatorType;

use crate::error::ExportError;
use crate::selection::ExportIndicator;

/// The longest entry a domain or URL list takes.
pub const MAX_ENTRY: usize = 255;

/// The list file a type goes to; `None` for types no blocklist carries (e-mail addresses,
/// file names, STIX patterns).
pub fn list_name(kind: IndicatorType) -> Option<&'static str> {
    Some(match kind {
        IndicatorType::Ipv4 | IndicatorType::Ipv6 | IndicatorType::Cidr => "ip.txt",
        IndicatorType::Domain => "domain.txt",
        IndicatorType::Url => "url.txt",
        IndicatorType::Md5 => "md5.txt",
        IndicatorType::Sha1 => "sha1.txt",
        IndicatorType::Sha256 => "sha256.txt",
        IndicatorType::Sha512 => "sha512.txt",
        IndicatorType::Email | IndicatorType::Filename | IndicatorType::StixPattern => return None,
    })
}

/// A value's lines in its list, or why it cannot be listed.
pub fn entries(kind: IndicatorType, value: &str) -> Result<Vec<String>, &'static str> {
    let lines = match kind {
        IndicatorType::Domain => {
            let ascii = ascii_host(value)?;
            vec![format!("*.{ascii}"), ascii]
        }
        IndicatorType::Url => {
            let lower = value.to_ascii_lowercase();
            let rest = ["https://", "http://"]
                .iter()
                .find(|s| lower.starts_with(**s))
                .and_then(|s| value.get(s.len()..))
                .unwrap_or(value);
            if rest.contains("://") {
                return Err("not an http or https URL");
            }
            let rest = rest.split('#').next().unwrap_or(rest);
            if rest.contains(['*', '^']) {
                return Err("URL with a '*' or '^', which the list reads as a wildcard");
            }
            let end = rest.find(['/', '?', ':']).unwrap_or(rest.len());
            let (host, tail) = rest.split_at(end);
            vec![format!("{}{tail}", ascii_host(host)?)]
        }
        IndicatorType::Ipv4 | IndicatorType::Ipv6 | IndicatorType::Cidr => {
            ip_guard(value)?;
            vec![value.to_owned()]
        }
        _ => vec![value.to_owned()],
    };
    if lines.iter().any(|l| l.len() > MAX_ENTRY) {
        return Err("longer than 255 characters");
    }
    if lines
        .iter()
        .any(|l| l.is_empty() || l.contains(char::is_whitespace))
    {
        return Err("empty, or with white space");
    }
    Ok(lines)
}

/// The narrowest networks a blocklist takes: a wider one (a `/0` in a feed, say) would cut a
/// firewall off from much of the Internet.
pub const MIN_PREFIX_V4: u8 = 8;
pub const MIN_PREFIX_V6: u8 = 16;

/// Addresses no blocklist should hold: the unspecified address, loopback, broadcast, and
/// networks wider than `MIN_PREFIX_V4` / `MIN_PREFIX_V6`.
fn ip_guard(value: &str) -> Result<(), &'static str> {
    let (addr, prefix) = match value.split_once('/') {
        Some((a, p)) => (a, p.parse::<u8>().ok()),
        None => (value, None),
    };
    let Ok(ip) = addr.parse::<IpAddr>() else {
        return Ok(());
    };
    let too_wide = match (ip, prefix) {
        (IpAddr::V4(_), Some(p)) => p < MIN_PREFIX_V4,
        (IpAddr::V6(_), Some(p)) => p < MIN_PREFIX_V6,
        _ => false,
    };
    if too_wide {
        return Err("network too wide to block (shorter than /8 for IPv4, /16 for IPv6)");
    }
    let reserved = match ip {
        IpAddr::V4(a) => a.is_unspecified() || a.is_loopback() || a.is_broadcast(),
        IpAddr::V6(a) => a.is_unspecified() || a.is_loopback(),
    };
    if reserved {
        return Err("unspecified, loopback or broadcast address: blocking it breaks the host");
    }
    Ok(())
}

/// A host name as firewalls read it: internationalised names in their ASCII (punycode) form,
/// as PAN-OS and DNS take them.
fn ascii_host(host: &str) -> Result<String, &'static str> {
    if host.is_ascii() {
        return Ok(host.to_owned());
    }
    idna::domain_to_ascii(host).map_err(|_| "a host name IDNA cannot put in ASCII form")
}

/// What `write_blocklists` wrote and left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BlocklistReport {
    /// (file, entries), in name order.
    pub files: Vec<(PathBuf, usize)>,
    /// (type, value, reason) of values not listed.
    pub left_out: Vec<(IndicatorType, String, &'static str)>,
    /// Values of types no blocklist carries.
    pub other_types: usize,
}

/// The lists' contents, file name to lines.
pub fn blocklists(
    indicators: &[ExportIndicator],
) -> (BTreeMap<&'static str, Vec<String>>, BlocklistReport) {
    let mut lists: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut report = BlocklistReport::default();
    for e in indicators {
        let v = &e.view;
        let Some(name) = list_name(v.kind) else {
            report.other_types += 1;
            continue;
        };
        match entries(v.kind, &v.value) {
            Ok(lines) => lists.entry(name).or_default().extend(lines),
            Err(reason) => report.left_out.push((v.kind, v.value.clone(), reason)),
        }
    }
    for lines in lists.values_mut() {
        lines.sort();
        lines.dedup();
    }
    (lists, report)
}

/// Writes one file per list into `dir` (created if needed); lists with no entries are written
/// empty, so that a firewall pulling them sees the list emptied.
pub fn write_blocklists(
    dir: &Path,
    indicators: &[ExportIndicator],
) -> Result<BlocklistReport, ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let (mut lists, mut report) = blocklists(indicators);
    for kind in IndicatorType::ALL {
        if let Some(name) = list_name(kind) {
            lists.entry(name).or_default();
        }
    }
    for (name, lines) in lists {
        let path = dir.join(name);
        let mut text = lines.join("\n");
        if !text.is_empty() {
            text.push('\n');
        }
        std::fs::write(&path, text).map_err(|source| ExportError::Write {
            path: path.clone(),
            source,
        })?;
        report.files.push((path, lines.len()));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_scheme_and_fragment_domains_gain_a_wildcard() {
        assert_eq!(
            entries(IndicatorType::Url, "HTTPS://evil.example/a?b=1#top"),
            Ok(vec!["evil.example/a?b=1".to_owned()])
        );
        assert!(entries(IndicatorType::Url, "ftp://evil.example/x").is_err());
        assert!(entries(IndicatorType::Url, "http://evil.example/*").is_err());
        assert_eq!(
            entries(IndicatorType::Domain, "evil.example"),
            Ok(vec!["*.evil.example".to_owned(), "evil.example".to_owned()])
        );
        // IDNA's own example: bücher.example is xn--bcher-kva.example.
        assert_eq!(
            entries(IndicatorType::Domain, "bücher.example"),
            Ok(vec![
                "*.xn--bcher-kva.example".to_owned(),
                "xn--bcher-kva.example".to_owned()
            ])
        );
        assert_eq!(
            entries(IndicatorType::Url, "https://bücher.example:8443/ä?q=ü"),
            Ok(vec!["xn--bcher-kva.example:8443/ä?q=ü".to_owned()])
        );
        let long = format!("http://e.example/{}", "a".repeat(300));
        assert!(entries(IndicatorType::Url, &long).is_err());
        assert_eq!(list_name(IndicatorType::Cidr), Some("ip.txt"));
        for wide_or_reserved in [
            "0.0.0.0/0",
            "10.0.0.0/7",
            "::/0",
            "2001::/15",
            "127.0.0.1",
            "::1",
            "255.255.255.255",
            "0.0.0.0",
        ] {
            assert!(
                entries(IndicatorType::Cidr, wide_or_reserved).is_err(),
                "{wide_or_reserved}"
            );
        }
        for fine in ["10.0.0.0/8", "2001:db8::/32", "198.51.100.7", "2001:db8::1"] {
            assert_eq!(
                entries(IndicatorType::Cidr, fine),
                Ok(vec![fine.to_owned()])
            );
        }
        assert_eq!(list_name(IndicatorType::Email), None);
    }
}
