//! File hashes as fixed-size byte arrays (hex of either case decodes to the same key, with
//! no allocation), and Sysmon's `Hashes` list `SHA256=...,MD5=...,IMPHASH=...`.

/// A digest decoded from hex; its length gives the algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Digest {
    Md5([u8; 16]),
    Sha1([u8; 20]),
    Sha256([u8; 32]),
    Sha512([u8; 64]),
}

/// Hex digit values; 0xFF for other bytes.
const NIBBLE: [u8; 256] = {
    let mut t = [0xFFu8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

fn decode<const N: usize>(hex: &[u8]) -> Option<[u8; N]> {
    if hex.len() != 2 * N {
        return None;
    }
    let mut out = [0u8; N];
    let mut bad = 0u8;
    for (o, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        let (hi, lo) = (NIBBLE[usize::from(pair[0])], NIBBLE[usize::from(pair[1])]);
        bad |= hi | lo;
        *o = (hi << 4) | (lo & 0x0F);
    }
    // Every valid digit is below 16; an invalid one sets the high bits.
    (bad & 0xF0 == 0).then_some(out)
}

impl Digest {
    /// Hex of 32, 40, 64 or 128 digits, either case, surrounding spaces ignored.
    pub(crate) fn from_hex(hex: &str) -> Option<Digest> {
        let h = hex.trim().as_bytes();
        match h.len() {
            32 => decode(h).map(Digest::Md5),
            40 => decode(h).map(Digest::Sha1),
            64 => decode(h).map(Digest::Sha256),
            128 => decode(h).map(Digest::Sha512),
            _ => None,
        }
    }
}

/// Calls `f(hex text, digest)` for each file hash a hash field holds: the whole value when it
/// is plain hex, or each `ALGO=hex` item of a Sysmon `Hashes` list (IMPHASH and other import
/// or fuzzy hashes skipped; a digest whose length disagrees with its name skipped).
pub(crate) fn each_hash<'a>(value: &'a str, mut f: impl FnMut(&'a str, Digest)) {
    if !value.contains('=') {
        let v = value.trim();
        if let Some(d) = Digest::from_hex(v) {
            f(v, d);
        }
        return;
    }
    for item in value.split([',', ';', ' ']) {
        let Some((algo, hex)) = item.split_once('=') else {
            continue;
        };
        let algo = algo.trim();
        let digits = match algo.len() {
            3 if algo.eq_ignore_ascii_case("md5") => 32,
            4 if algo.eq_ignore_ascii_case("sha1") => 40,
            5 if algo.eq_ignore_ascii_case("sha-1") => 40,
            6 if algo.eq_ignore_ascii_case("sha256") => 64,
            6 if algo.eq_ignore_ascii_case("sha512") => 128,
            7 if algo.eq_ignore_ascii_case("sha-256") => 64,
            7 if algo.eq_ignore_ascii_case("sha-512") => 128,
            _ => continue,
        };
        let hex = hex.trim();
        if hex.len() != digits {
            continue;
        }
        if let Some(d) = Digest::from_hex(hex) {
            f(hex, d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_of_either_case_is_one_key() {
        let a = Digest::from_hex("D41D8CD98F00B204E9800998ECF8427E");
        assert_eq!(a, Digest::from_hex("d41d8cd98f00b204e9800998ecf8427e"));
        assert!(matches!(a, Some(Digest::Md5(_))));
        assert_eq!(Digest::from_hex("d41d8cd98f00b204e9800998ecf8427g"), None);
        assert_eq!(Digest::from_hex("abc"), None);
    }

    #[test]
    fn sysmon_hashes_list() {
        let sha = "9F7D6E4A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6";
        let md5 = "0123456789ABCDEF0123456789ABCDEF";
        let imp = "FEDCBA9876543210FEDCBA9876543210";
        let v = format!("SHA256={sha},MD5={md5},IMPHASH={imp}");
        let mut seen = Vec::new();
        each_hash(&v, |hex, _| seen.push(hex));
        assert_eq!(seen, vec![sha, md5]);
        let mut plain = Vec::new();
        each_hash(md5, |hex, _| plain.push(hex));
        assert_eq!(plain, vec![md5]);
        let mislabelled = format!("SHA1={md5}");
        let mut wrong = Vec::new();
        each_hash(&mislabelled, |hex, _| wrong.push(hex));
        assert!(wrong.is_empty());
    }
}
