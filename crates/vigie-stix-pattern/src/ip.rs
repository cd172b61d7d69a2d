//! IP addresses and CIDR subnets for ISSUBSET / ISSUPERSET.
//!
//! IPv4 follows stix2-matcher: addresses are read as the C `inet_aton` reads them (so `10.1`
//! or `0x7f.1` pass), the container must be written as a subnet with a `/`, prefixes run from
//! 1 to 32. IPv6 (which stix2-matcher rejects) is read with the same rules, prefixes 1 to 128;
//! an IPv4 value is never inside an IPv6 subnet nor the reverse.

use std::net::Ipv6Addr;

use crate::error::EvalError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Net {
    V4(u32, u32),
    V6(u128, u32),
}

/// Whether the address or subnet `containee` lies within the subnet `container`.
pub(crate) fn in_subnet(containee: &str, container: &str) -> Result<bool, EvalError> {
    let inner = match containee.find('/') {
        None => match address(containee) {
            Some(Addr::V4(a)) => Net::V4(a, 32),
            Some(Addr::V6(a)) => Net::V6(a, 128),
            None => return Err(EvalError::InvalidIp(containee.to_owned())),
        },
        Some(_) => subnet(containee)?,
    };
    let outer = subnet(container)?;
    Ok(match (inner, outer) {
        (Net::V4(a, ap), Net::V4(b, bp)) => bp <= ap && mask32(a, bp) == mask32(b, bp),
        (Net::V6(a, ap), Net::V6(b, bp)) => bp <= ap && mask128(a, bp) == mask128(b, bp),
        _ => false,
    })
}

fn mask32(a: u32, prefix: u32) -> u32 {
    a.checked_shr(32 - prefix.min(32))
        .and_then(|v| v.checked_shl(32 - prefix.min(32)))
        .unwrap_or(0)
}

fn mask128(a: u128, prefix: u32) -> u128 {
    a.checked_shr(128 - prefix.min(128))
        .and_then(|v| v.checked_shl(128 - prefix.min(128)))
        .unwrap_or(0)
}

enum Addr {
    V4(u32),
    V6(u128),
}

fn address(s: &str) -> Option<Addr> {
    if let Some(a) = inet_aton(s) {
        return Some(Addr::V4(a));
    }
    s.parse::<Ipv6Addr>().ok().map(|a| Addr::V6(u128::from(a)))
}

fn subnet(s: &str) -> Result<Net, EvalError> {
    let invalid = || EvalError::InvalidCidr(s.to_owned());
    let (ip, prefix) = s.split_once('/').ok_or_else(invalid)?;
    if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let prefix: u32 = prefix.parse().map_err(|_| invalid())?;
    match address(ip) {
        Some(Addr::V4(a)) if (1..=32).contains(&prefix) => Ok(Net::V4(a, prefix)),
        Some(Addr::V6(a)) if (1..=128).contains(&prefix) => Ok(Net::V6(a, prefix)),
        Some(_) => Err(invalid()),
        None => Err(EvalError::InvalidIp(ip.to_owned())),
    }
}

/// `inet_aton`: one to four dot-separated numbers (decimal, `0` octal or `0x` hex), the last
/// filling the remaining bytes; anything after a whitespace character is ignored.
fn inet_aton(s: &str) -> Option<u32> {
    let s = s
        .split(|c: char| c.is_ascii_whitespace())
        .next()
        .unwrap_or("");
    let parts: Vec<&str> = s.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut values = Vec::with_capacity(parts.len());
    for p in &parts {
        values.push(c_number(p)?);
    }
    let (last, head) = values.split_last()?;
    if head.iter().any(|v| *v > 0xff) {
        return None;
    }
    let last_bits = 8 * (4 - head.len() as u32);
    if last_bits < 32 && *last >= 1u64 << last_bits {
        return None;
    }
    let mut addr: u64 = 0;
    for (i, v) in head.iter().enumerate() {
        addr |= v << (24 - 8 * i as u64);
    }
    u32::try_from(addr | last).ok()
}

/// A number as C's `strtoul` with base 0 reads it, whole.
fn c_number(s: &str) -> Option<u64> {
    let (digits, radix) = if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        (hex, 16)
    } else if s.len() > 1 && s.starts_with('0') {
        (s.get(1..)?, 8)
    } else {
        (s, 10)
    };
    if s.is_empty() || !s.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    if digits.is_empty() {
        return (radix == 16).then_some(0);
    }
    let v = u64::from_str_radix(digits, radix).ok()?;
    (v <= u64::from(u32::MAX)).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_like_the_matcher() {
        assert_eq!(in_subnet("11.22.33.44", "11.22.41.123/20"), Ok(true));
        assert_eq!(in_subnet("11.22.33.44", "11.22.123.41/20"), Ok(false));
        assert_eq!(in_subnet("11.22.41.123", "11.22.33.44/20"), Ok(true));
        assert_eq!(in_subnet("11.22.33.44/13", "11.22.33.44/20"), Ok(false));
        assert_eq!(in_subnet("10.1", "10.0.0.0/8"), Ok(true));
        assert!(in_subnet("hello", "10.0.0.0/8").is_err());
        assert!(in_subnet("10.0.0.1", "10.0.0.1").is_err());
        assert!(in_subnet("10.0.0.1", "10.0.0.0/0").is_err());
        assert!(in_subnet("10.0.0.1", "10.0.0.0/33").is_err());
        assert_eq!(inet_aton("0x7f.1"), Some(0x7f00_0001));
        assert_eq!(inet_aton("1.2.3.4.5"), None);
        assert_eq!(inet_aton("1.2.3.256"), None);
        assert_eq!(inet_aton("08.1.1.1"), None);
    }

    #[test]
    fn ipv6_subnets() {
        assert_eq!(
            in_subnet(
                "2001:db8:dead:beef::1",
                "2001:0db8:dead:beef:0000:0000:0000:0000/64"
            ),
            Ok(true)
        );
        assert_eq!(in_subnet("2001:db9::1", "2001:db8::/32"), Ok(false));
        assert_eq!(in_subnet("10.0.0.1", "2001:db8::/32"), Ok(false));
        assert_eq!(in_subnet("2001:db8::/48", "2001:db8::/32"), Ok(true));
    }
}
