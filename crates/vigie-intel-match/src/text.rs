//! Reading observables out of field text without allocating: ASCII lower case into a stack
//! buffer, IP addresses as event logs write them, file names out of paths, URL keys.

use std::borrow::Cow;
use std::net::IpAddr;

/// `s` in ASCII lower case: `s` itself when it has no upper-case letter, else a copy in
/// `buf`; `None` when a copy does not fit.
pub(crate) fn ascii_lower<'a>(s: &'a str, buf: &'a mut [u8]) -> Option<&'a str> {
    if !s.bytes().any(|b| b.is_ascii_uppercase()) {
        return Some(s);
    }
    let out = buf.get_mut(..s.len())?;
    for (o, b) in out.iter_mut().zip(s.bytes()) {
        *o = b.to_ascii_lowercase();
    }
    // Lower-casing ASCII letters keeps UTF-8 valid.
    std::str::from_utf8(out).ok()
}

/// `s` folded for comparison: through `buf` when it is ASCII and fits, else with a copy.
pub(crate) fn folded<'a>(s: &'a str, buf: &'a mut [u8]) -> Cow<'a, str> {
    if s.is_ascii() {
        if let Some(l) = ascii_lower(s, buf) {
            return Cow::Borrowed(l);
        }
    }
    Cow::Owned(vigie_event::fold_case(s))
}

/// An IP address as logs write it: trimmed, `[..]` or `%zone` dropped, an IPv4-mapped IPv6
/// address read as IPv4.
pub(crate) fn parse_ip(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    let s = s
        .strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .unwrap_or(s);
    let s = s.split_once('%').map_or(s, |(a, _)| a);
    if s.is_empty() || s.len() > 45 {
        return None;
    }
    let first = s.as_bytes()[0];
    if !(first.is_ascii_hexdigit() || first == b':') {
        return None;
    }
    match s.parse::<IpAddr>().ok()? {
        IpAddr::V6(v6) => Some(v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4)),
        v4 => Some(v4),
    }
}

/// A host name as the domain table holds it: trimmed, without a trailing dot.
pub(crate) fn host(s: &str) -> &str {
    let s = s.trim();
    s.strip_suffix('.').unwrap_or(s)
}

/// The last component of a Windows or POSIX path.
pub(crate) fn basename(s: &str) -> &str {
    let s = s.trim().trim_matches('"');
    s.rsplit(['\\', '/']).next().unwrap_or(s)
}

/// An e-mail address out of `a@b`, `<a@b>` or `Name <a@b>`.
pub(crate) fn email(s: &str) -> Option<&str> {
    let s = s.trim();
    let s = match (s.rfind('<'), s.rfind('>')) {
        (Some(a), Some(b)) if a < b => &s[a + 1..b],
        _ => s,
    };
    let s = s.strip_prefix("mailto:").unwrap_or(s);
    s.contains('@').then_some(s.trim())
}

/// A URL split as the store normalises it: scheme (without `://`, empty when there is
/// none), userinfo with its `@`, host and port, the rest.
pub(crate) struct UrlParts<'a> {
    pub scheme: &'a str,
    pub userinfo: &'a str,
    pub hostport: &'a str,
    pub tail: &'a str,
}

pub(crate) fn url_parts(s: &str) -> Option<UrlParts<'_>> {
    let s = s.trim();
    if s.is_empty()
        || s.bytes()
            .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
    {
        return None;
    }
    let (scheme, rest) = match s.find("://") {
        Some(i) => (&s[..i], &s[i + 3..]),
        None => ("", s),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(i) => (&authority[..=i], &authority[i + 1..]),
        None => ("", authority),
    };
    if hostport.is_empty() {
        return None;
    }
    Some(UrlParts {
        scheme,
        userinfo,
        hostport,
        tail,
    })
}

impl<'a> UrlParts<'a> {
    /// The host without port or brackets.
    pub(crate) fn host(&self) -> &'a str {
        let h = self.hostport;
        if let Some(rest) = h.strip_prefix('[') {
            return rest.split_once(']').map_or(rest, |(a, _)| a);
        }
        h.rsplit_once(':').map_or(h, |(a, _)| a)
    }

    /// The URL as the store holds it (scheme and host in lower case): the original text when
    /// it is that already, else a copy.
    pub(crate) fn key<'o>(&self, original: &'o str) -> Cow<'o, str> {
        let upper = |x: &str| x.bytes().any(|b| b.is_ascii_uppercase()) || !x.is_ascii();
        let original = original.trim();
        if !upper(self.scheme) && !upper(self.hostport) {
            return Cow::Borrowed(original);
        }
        let mut out = String::with_capacity(original.len());
        if !self.scheme.is_empty() {
            out.push_str(&self.scheme.to_ascii_lowercase());
            out.push_str("://");
        }
        out.push_str(self.userinfo);
        out.push_str(&self.hostport.to_lowercase());
        out.push_str(self.tail);
        Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ips_as_logs_write_them() {
        assert_eq!(parse_ip(" 10.0.0.1 "), "10.0.0.1".parse().ok());
        assert_eq!(parse_ip("::ffff:10.0.0.1"), "10.0.0.1".parse().ok());
        assert_eq!(parse_ip("fe80::1%eth0"), "fe80::1".parse().ok());
        assert_eq!(parse_ip("[2001:db8::1]"), "2001:db8::1".parse().ok());
        assert_eq!(parse_ip("-"), None);
        assert_eq!(parse_ip("evil.example"), None);
    }

    #[test]
    fn names_paths_and_urls() {
        let mut buf = [0u8; 8];
        assert_eq!(ascii_lower("abc", &mut buf), Some("abc"));
        assert_eq!(ascii_lower("AbC", &mut buf), Some("abc"));
        assert_eq!(ascii_lower("ABCDEFGHIJ", &mut buf), None);
        assert_eq!(basename(r"C:\Windows\System32\CMD.EXE"), "CMD.EXE");
        assert_eq!(basename("/usr/bin/curl"), "curl");
        assert_eq!(basename("curl"), "curl");
        assert_eq!(email("Eve <eve@evil.example>"), Some("eve@evil.example"));
        assert_eq!(email("nobody"), None);
        assert_eq!(host("Evil.Example."), "Evil.Example");
        let u = url_parts("HTTP://User@Evil.Example:8080/Gate.php?A=1").expect("url");
        assert_eq!(u.host(), "Evil.Example");
        assert_eq!(
            u.key("HTTP://User@Evil.Example:8080/Gate.php?A=1"),
            "http://User@evil.example:8080/Gate.php?A=1"
        );
        let v6 = url_parts("http://[2001:db8::1]:80/x").expect("url");
        assert_eq!(v6.host(), "2001:db8::1");
        assert!(url_parts("http://").is_none());
    }
}
