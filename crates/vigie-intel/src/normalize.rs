//! One canonical form per indicator value, so that the same value from several sources is one
//! indicator: IPs as `std::net` prints them, networks truncated to their prefix, domains and
//! hashes lower case, URLs with lower-case scheme and host, STIX patterns as the pattern crate
//! prints them. Also the guess of a value's type for plain lists, and refanging (`hxxp`, `[.]`).

use std::net::IpAddr;

use ipnet::IpNet;

use crate::error::NormalizeError;
use crate::indicator::IndicatorType;

/// Longest value kept (a STIX pattern may be long; anything longer is refused).
pub const MAX_VALUE_LEN: usize = 65_536;

/// The canonical form of `raw` read as `kind`. IP types follow the value: an `ipv4` given a
/// network becomes `cidr`, a `cidr` given one address becomes `ipv4` / `ipv6`.
pub fn normalize(
    kind: IndicatorType,
    raw: &str,
) -> Result<(IndicatorType, String), NormalizeError> {
    let v = raw.trim();
    if v.is_empty() {
        return Err(NormalizeError::Empty(kind));
    }
    if v.len() > MAX_VALUE_LEN {
        return Err(invalid(kind, v, "it is longer than 65,536 bytes"));
    }
    match kind {
        IndicatorType::Ipv4 | IndicatorType::Ipv6 | IndicatorType::Cidr => {
            let (found, value) =
                ip(v).ok_or_else(|| invalid(kind, v, "it does not parse as one"))?;
            let family_ok = match kind {
                IndicatorType::Ipv4 => !value.contains(':'),
                IndicatorType::Ipv6 => value.contains(':'),
                _ => true,
            };
            if !family_ok {
                return Err(invalid(kind, v, "it is an address of the other IP version"));
            }
            Ok((found, value))
        }
        IndicatorType::Domain if ip(v).is_some() => Err(invalid(kind, v, "it is an IP address")),
        IndicatorType::Domain => domain(v, false).map(|d| (kind, d)).ok_or_else(|| {
            invalid(
                kind,
                v,
                "labels are letters, digits, '-' and '_', 63 characters at most",
            )
        }),
        IndicatorType::Url => url(v).map(|u| (kind, u)).ok_or_else(|| {
            invalid(
                kind,
                v,
                "expected scheme://host/path, or host/path, without spaces",
            )
        }),
        IndicatorType::Md5 => hash(kind, v, 32),
        IndicatorType::Sha1 => hash(kind, v, 40),
        IndicatorType::Sha256 => hash(kind, v, 64),
        IndicatorType::Sha512 => hash(kind, v, 128),
        IndicatorType::Email => email(v)
            .map(|e| (kind, e))
            .ok_or_else(|| invalid(kind, v, "expected name@domain")),
        IndicatorType::Filename => {
            if v.chars().any(char::is_control) {
                Err(invalid(kind, v, "it contains control characters"))
            } else {
                Ok((kind, v.to_owned()))
            }
        }
        IndicatorType::StixPattern => match vigie_stix_pattern::validate(v) {
            Ok(p) => Ok((kind, p.to_string())),
            Err(errors) => Err(NormalizeError::Pattern {
                pattern: shorten(v),
                reason: errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            }),
        },
    }
}

/// Guesses the type of a value from a plain list and normalises it.
pub fn guess(raw: &str) -> Result<(IndicatorType, String), NormalizeError> {
    let v = raw.trim();
    if v.is_empty() {
        return Err(NormalizeError::Empty(IndicatorType::Domain));
    }
    if v.len() > MAX_VALUE_LEN {
        return Err(NormalizeError::Unguessable(shorten(v)));
    }
    if v.contains("://") {
        return normalize(IndicatorType::Url, v);
    }
    if let Some(found) = ip(v) {
        return Ok(found);
    }
    if v.bytes().all(|b| b.is_ascii_hexdigit()) {
        let kind = match v.len() {
            32 => Some(IndicatorType::Md5),
            40 => Some(IndicatorType::Sha1),
            64 => Some(IndicatorType::Sha256),
            128 => Some(IndicatorType::Sha512),
            _ => None,
        };
        if let Some(kind) = kind {
            return normalize(kind, v);
        }
    }
    if v.contains('@') {
        if let Some(e) = email(v) {
            return Ok((IndicatorType::Email, e));
        }
    }
    if let Some(d) = domain(v, true) {
        let tld = d.rsplit('.').next().unwrap_or("");
        if FILE_EXTENSIONS.contains(&tld) {
            return Ok((IndicatorType::Filename, v.to_owned()));
        }
        return Ok((IndicatorType::Domain, d));
    }
    if let Some((host, _)) = v.split_once('/') {
        if domain(host, true).is_some() || ip(host).is_some() {
            return normalize(IndicatorType::Url, v);
        }
    }
    Err(NormalizeError::Unguessable(shorten(v)))
}

/// Extensions that make `name.ext` a file name rather than a domain when guessing.
const FILE_EXTENSIONS: [&str; 16] = [
    "exe", "dll", "scr", "bat", "cmd", "ps1", "vbs", "js", "hta", "lnk", "docx", "xlsx", "doc",
    "xls", "pdf", "sys",
];

/// Undoes the usual defanging of shared indicators: `hxxp://`, `[.]`, `(.)`, `[dot]`, `[:]`,
/// `[@]`, `[at]`.
pub fn refang(raw: &str) -> String {
    let mut v = raw
        .replace("[.]", ".")
        .replace("(.)", ".")
        .replace("{.}", ".")
        .replace("[dot]", ".")
        .replace("[:]", ":")
        .replace("[://]", "://")
        .replace("[@]", "@")
        .replace("[at]", "@");
    let lower = v.get(..5).map(str::to_ascii_lowercase);
    if lower.as_deref() == Some("hxxp:") || lower.as_deref() == Some("hxxps") {
        v.replace_range(..4, "http");
    }
    v
}

/// An address (`ipv4` / `ipv6`, a `/32` or `/128` counted as an address) or a network
/// (`cidr`, truncated to its prefix).
fn ip(v: &str) -> Option<(IndicatorType, String)> {
    if let Ok(addr) = v.parse::<IpAddr>() {
        return Some(addr_value(addr));
    }
    let net: IpNet = v.parse().ok()?;
    if net.prefix_len() == net.max_prefix_len() {
        return Some(addr_value(net.addr()));
    }
    Some((IndicatorType::Cidr, net.trunc().to_string()))
}

fn addr_value(addr: IpAddr) -> (IndicatorType, String) {
    match addr {
        IpAddr::V4(a) => (IndicatorType::Ipv4, a.to_string()),
        IpAddr::V6(a) => (IndicatorType::Ipv6, a.to_string()),
    }
}

/// A host name, lower case without the final dot. `strict` (guessing) wants at least two
/// labels and a top-level label that is not all digits.
fn domain(v: &str, strict: bool) -> Option<String> {
    let d = v.strip_suffix('.').unwrap_or(v).to_lowercase();
    if d.is_empty() || d.len() > 253 {
        return None;
    }
    let labels: Vec<&str> = d.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && l.chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    };
    if !labels.iter().all(label_ok) {
        return None;
    }
    if strict {
        let tld = labels.last().copied().unwrap_or("");
        if labels.len() < 2 || tld.chars().all(|c| c.is_ascii_digit()) || tld.contains('_') {
            return None;
        }
    }
    Some(d)
}

/// A URL with its scheme and host in lower case; the rest is kept as written. A URL without
/// a scheme (`evil.example/gate.php`, as MISP often holds them) is kept without one.
fn url(v: &str) -> Option<String> {
    if v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (scheme, rest) = match v.split_once("://") {
        Some((s, r)) => {
            let ok = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
            if !ok {
                return None;
            }
            (Some(s.to_ascii_lowercase()), r)
        }
        None => (None, v),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    if hostport.is_empty() {
        return None;
    }
    if scheme.is_none() {
        // Without a scheme the host must look like one.
        let host = hostport
            .rsplit_once(':')
            .map_or(hostport, |(h, _)| h)
            .trim_start_matches('[')
            .trim_end_matches(']');
        if domain(host, false).is_none() && ip(host).is_none() {
            return None;
        }
    }
    let mut out = String::with_capacity(v.len());
    if let Some(s) = scheme {
        out.push_str(&s);
        out.push_str("://");
    }
    if let Some(u) = userinfo {
        out.push_str(u);
        out.push('@');
    }
    out.push_str(&hostport.to_lowercase());
    out.push_str(tail);
    Some(out)
}

fn email(v: &str) -> Option<String> {
    let (local, host) = v.rsplit_once('@')?;
    if local.is_empty()
        || local
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '@')
    {
        return None;
    }
    let host = domain(host, false).or_else(|| {
        host.strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .and_then(|h| h.parse::<IpAddr>().ok())
            .map(|a| format!("[{a}]"))
    })?;
    Some(format!("{}@{host}", local.to_lowercase()))
}

fn hash(
    kind: IndicatorType,
    v: &str,
    len: usize,
) -> Result<(IndicatorType, String), NormalizeError> {
    if v.len() != len || !v.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(NormalizeError::Invalid {
            kind,
            value: shorten(v),
            reason: match len {
                32 => "expected 32 hexadecimal digits",
                40 => "expected 40 hexadecimal digits",
                64 => "expected 64 hexadecimal digits",
                _ => "expected 128 hexadecimal digits",
            },
        });
    }
    Ok((kind, v.to_ascii_lowercase()))
}

fn invalid(kind: IndicatorType, v: &str, reason: &'static str) -> NormalizeError {
    NormalizeError::Invalid {
        kind,
        value: shorten(v),
        reason,
    }
}

/// A value cut to 120 characters for messages.
pub(crate) fn shorten(v: &str) -> String {
    if v.chars().count() <= 120 {
        v.to_owned()
    } else {
        let mut s: String = v.chars().take(117).collect();
        s.push_str("...");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use IndicatorType as T;

    fn n(kind: T, v: &str) -> (T, String) {
        normalize(kind, v).expect("normalises")
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(
            n(T::Ipv4, " 198.51.100.7 "),
            (T::Ipv4, "198.51.100.7".into())
        );
        assert_eq!(
            n(T::Ipv4, "58.246.0.0/15"),
            (T::Cidr, "58.246.0.0/15".into())
        );
        assert_eq!(n(T::Cidr, "10.1.2.3/8"), (T::Cidr, "10.0.0.0/8".into()));
        assert_eq!(n(T::Cidr, "10.1.2.3/32"), (T::Ipv4, "10.1.2.3".into()));
        assert_eq!(
            n(T::Ipv6, "2001:DB8:0:0::1"),
            (T::Ipv6, "2001:db8::1".into())
        );
        assert_eq!(
            n(T::Domain, "WWW.Example.COM."),
            (T::Domain, "www.example.com".into())
        );
        assert_eq!(
            n(T::Url, "HTTP://Evil.Example:8080/Gate.php?A=1"),
            (T::Url, "http://evil.example:8080/Gate.php?A=1".into())
        );
        assert_eq!(
            n(T::Url, "Evil.Example/x"),
            (T::Url, "evil.example/x".into())
        );
        assert_eq!(
            n(T::Md5, "D41D8CD98F00B204E9800998ECF8427E").1,
            "d41d8cd98f00b204e9800998ecf8427e"
        );
        assert_eq!(
            n(T::Email, "Bob@Example.ORG"),
            (T::Email, "bob@example.org".into())
        );
        assert_eq!(
            n(T::StixPattern, "[file:name='a' AND file:size>10]").1,
            "[file:name = 'a' AND file:size > 10]"
        );
    }

    #[test]
    fn rejects_what_is_not_the_type() {
        assert!(normalize(T::Ipv4, "2001:db8::1").is_err());
        assert!(normalize(T::Ipv4, "300.1.1.1").is_err());
        assert!(normalize(T::Domain, "domain autuo.xicp.net").is_err());
        assert!(normalize(T::Sha256, "f00").is_err());
        assert!(normalize(T::Md5, "zz1d8cd98f00b204e9800998ecf8427e").is_err());
        assert!(normalize(T::Url, "http://").is_err());
        assert!(normalize(T::Email, "no-at-sign").is_err());
        assert!(normalize(T::StixPattern, "[file:name = ").is_err());
        assert!(normalize(T::Filename, "   ").is_err());
    }

    #[test]
    fn guesses_types() {
        let g = |v: &str| guess(v).map(|(t, _)| t).ok();
        assert_eq!(g("1.2.3.4"), Some(T::Ipv4));
        assert_eq!(g("1.2.3.0/24"), Some(T::Cidr));
        assert_eq!(g("::1"), Some(T::Ipv6));
        assert_eq!(g("evil.example.com"), Some(T::Domain));
        assert_eq!(g("http://evil.example.com/x"), Some(T::Url));
        assert_eq!(g("evil.example.com/x.php"), Some(T::Url));
        assert_eq!(g("d41d8cd98f00b204e9800998ecf8427e"), Some(T::Md5));
        assert_eq!(g(&"a".repeat(40)), Some(T::Sha1));
        assert_eq!(g(&"a".repeat(64)), Some(T::Sha256));
        assert_eq!(g("bob@example.org"), Some(T::Email));
        assert_eq!(g("invoice.exe"), Some(T::Filename));
        assert_eq!(g("1.2.3"), None);
        assert_eq!(g("just words"), None);
        assert_eq!(g("localhost"), None);
    }

    #[test]
    fn refangs() {
        assert_eq!(refang("hxxp://evil[.]example/x"), "http://evil.example/x");
        assert_eq!(refang("hXXps://a(.)b"), "https://a.b");
        assert_eq!(refang("bob[@]example[dot]org"), "bob@example.org");
    }
}
