//! One BinXML substitution value (MS-EVEN6 2.2.4.1) to the field value the `evtx` crate's JSON
//! gives once flattened: numbers and booleans bare, the rest as the crate writes them as text.
//! `None` for a type or a payload this fast path leaves to the crate.

use compact_str::CompactString;
use vigie_event::Value;

/// Where a decoded value goes: each implementation inlined where the value is made.
pub(crate) trait Put {
    type Out;
    fn put(self, value: Value) -> Self::Out;
}

/// A value's type byte and payload, handed to `put` in the arm that makes it: a caller that
/// pushes it into a list then writes it there once. Moved through a temporary instead, the
/// value was stored piecewise and read back whole, which the processor cannot forward from
/// its store buffer (about a tenth of an EVTX record's decoding).
#[inline(always)]
pub(crate) fn field_value_with<P: Put>(ty: u8, bytes: &[u8], put: P) -> Option<P::Out> {
    Some(match ty {
        STRING if bytes.len().is_multiple_of(2) => put.put(Value::str(utf16_until_nul(bytes)?)),
        INT8 if bytes.len() == 1 => put.put(Value::Int(i64::from(bytes[0] as i8))),
        UINT8 if bytes.len() == 1 => put.put(Value::Int(i64::from(bytes[0]))),
        INT16 => put.put(Value::Int(i64::from(i16::from_le_bytes(fixed(bytes)?)))),
        UINT16 => put.put(Value::Int(i64::from(u16::from_le_bytes(fixed(bytes)?)))),
        INT32 => put.put(Value::Int(i64::from(i32::from_le_bytes(fixed(bytes)?)))),
        UINT32 => put.put(Value::Int(i64::from(u32::from_le_bytes(fixed(bytes)?)))),
        INT64 => put.put(Value::Int(i64::from_le_bytes(fixed(bytes)?))),
        UINT64 => {
            let u = u64::from_le_bytes(fixed(bytes)?);
            match i64::try_from(u) {
                Ok(i) => put.put(Value::Int(i)),
                Err(_) => put.put(Value::str(u.to_string())),
            }
        }
        BOOL => match i32::from_le_bytes(fixed(bytes)?) {
            0 => put.put(Value::Bool(false)),
            1 => put.put(Value::Bool(true)),
            raw => put.put(Value::Int(i64::from(raw))),
        },
        BINARY => put.put(Value::str(hex_upper(bytes))),
        GUID => put.put(Value::str(guid(&fixed(bytes)?))),
        SIZE_T if bytes.len() == 4 => {
            put.put(hex_value(u64::from(u32::from_le_bytes(fixed(bytes)?))))
        }
        SIZE_T => put.put(hex_value(u64::from_le_bytes(fixed(bytes)?))),
        FILETIME => put.put(Value::str(filetime(u64::from_le_bytes(fixed(bytes)?))?)),
        SID => put.put(Value::str(sid(bytes)?)),
        HEX_INT32 => put.put(hex_value(u64::from(u32::from_le_bytes(fixed(bytes)?)))),
        HEX_INT64 => put.put(hex_value(u64::from_le_bytes(fixed(bytes)?))),
        _ => return None,
    })
}

pub(crate) const NULL: u8 = 0x00;
pub(crate) const STRING: u8 = 0x01;
const INT8: u8 = 0x03;
const UINT8: u8 = 0x04;
const INT16: u8 = 0x05;
const UINT16: u8 = 0x06;
const INT32: u8 = 0x07;
const UINT32: u8 = 0x08;
const INT64: u8 = 0x09;
const UINT64: u8 = 0x0a;
const BOOL: u8 = 0x0d;
const BINARY: u8 = 0x0e;
const GUID: u8 = 0x0f;
const SIZE_T: u8 = 0x10;
const FILETIME: u8 = 0x11;
const SID: u8 = 0x13;
const HEX_INT32: u8 = 0x14;
const HEX_INT64: u8 = 0x15;
pub(crate) const BIN_XML: u8 = 0x21;
pub(crate) const STRING_ARRAY: u8 = 0x81;

/// The payload as exactly `N` bytes.
fn fixed<const N: usize>(bytes: &[u8]) -> Option<[u8; N]> {
    bytes.try_into().ok()
}

/// UTF-16LE text up to its first NUL, as the crate reads a StringType. `None` for an unpaired
/// surrogate (the crate's rendering of it is left to the crate). A short ASCII text (most
/// values) is written inline, without an allocation.
pub(crate) fn utf16_until_nul(bytes: &[u8]) -> Option<CompactString> {
    let (end, ascii) = text_end(bytes);
    utf16_text(bytes.get(..end)?, ascii)
}

/// Where the UTF-16LE text that starts `bytes` ends (at its first NUL unit, or after its last
/// whole unit) and whether it is ASCII (the common case): eight units at a time, then one.
fn text_end(bytes: &[u8]) -> (usize, bool) {
    const ONES: u128 = 0x0001_0001_0001_0001_0001_0001_0001_0001;
    const HIGHS: u128 = 0x8000_8000_8000_8000_8000_8000_8000_8000;
    const NOT_ASCII: u128 = 0xff80_ff80_ff80_ff80_ff80_ff80_ff80_ff80;
    let mut seen = 0u128;
    let mut end = 0;
    for block in bytes.chunks_exact(16) {
        let Ok(block) = <[u8; 16]>::try_from(block) else {
            break;
        };
        let v = u128::from_le_bytes(block);
        // A unit of zero borrows into its high bit (only the first such unit is exact,
        // which is all this asks).
        if v.wrapping_sub(ONES) & !v & HIGHS != 0 {
            break;
        }
        seen |= v;
        end += 16;
    }
    let mut ascii = seen & NOT_ASCII == 0;
    while let Some(&[lo, hi]) = bytes.get(end..end + 2) {
        if lo == 0 && hi == 0 {
            break;
        }
        ascii &= hi == 0 && lo < 0x80;
        end += 2;
    }
    (end, ascii)
}

/// The text of whole UTF-16LE units, none of them NUL; `ascii` when every unit is below
/// 0x80. `None` for an unpaired surrogate.
fn utf16_text(text: &[u8], ascii: bool) -> Option<CompactString> {
    if ascii {
        let mut short = [0u8; INLINE];
        if let Some(out) = short.get_mut(..text.len() / 2) {
            out.iter_mut()
                .zip(text.chunks_exact(2))
                .for_each(|(o, p)| *o = p[0]);
            return std::str::from_utf8(out).ok().map(CompactString::new);
        }
        let out: Vec<u8> = text.chunks_exact(2).map(|p| p[0]).collect();
        return String::from_utf8(out).ok().map(CompactString::from);
    }
    let units = text
        .chunks_exact(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]));
    let mut out = String::with_capacity(text.len() / 2 + 8);
    for c in char::decode_utf16(units) {
        out.push(c.ok()?);
    }
    Some(CompactString::from(out))
}

/// The longest text a [`CompactString`] keeps inline.
const INLINE: usize = std::mem::size_of::<CompactString>();

/// A StringArrayType's strings, each ended by a NUL. `None` when it is empty or its last
/// string has no NUL (left to the crate).
pub(crate) fn string_array(bytes: &[u8]) -> Option<Vec<Value>> {
    if !bytes.len().is_multiple_of(2) || !bytes.ends_with(&[0, 0]) {
        return None;
    }
    // The strings between NULs, the last NUL ending the last one.
    let strings = &bytes[..bytes.len() - 2];
    let mut out = Vec::new();
    let mut at = 0;
    loop {
        let rest = strings.get(at..)?;
        let (end, ascii) = text_end(rest);
        out.push(Value::str(utf16_text(rest.get(..end)?, ascii)?));
        if end == rest.len() {
            return Some(out);
        }
        at += end + 2;
    }
}

/// `0x` and `v` in lower-case hexadecimal, without leading zeros (at most 18 bytes: inline).
fn hex_value(v: u64) -> Value {
    let digits = (16 - v.leading_zeros() as usize / 4).max(1);
    // The sixteen digits after `0x`, then `0x` moved to just before the first kept one.
    let mut out = *b"0x0000000000000000";
    for (i, b) in out[2..].iter_mut().enumerate() {
        *b = LOWER[(v >> (4 * (15 - i)) & 15) as usize];
    }
    let start = 16 - digits;
    out[start] = b'0';
    out[start + 1] = b'x';
    let text = std::str::from_utf8(&out[start..]).unwrap_or("0x0");
    Value::str(CompactString::new(text))
}

const LOWER: &[u8; 16] = b"0123456789abcdef";

fn hex_upper(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

/// `{d1-d2-d3-d4[0..2]-d4[2..8]}` in lower case, data1-3 little-endian, as Windows shows it.
fn guid(b: &[u8; 16]) -> String {
    // Written in place, then copied once (pushed char by char it took 640 instructions).
    let mut out = *b"{00000000-0000-0000-0000-000000000000}";
    for (&from, &to) in GUID_ORDER.iter().zip(&GUID_PLACES) {
        let byte = b[from];
        out[to] = LOWER[usize::from(byte >> 4)];
        out[to + 1] = LOWER[usize::from(byte & 15)];
    }
    String::from_utf8(out.to_vec()).unwrap_or_default()
}

/// A GUID's bytes in the order it is written: three little-endian fields, then eight bytes.
const GUID_ORDER: [usize; 16] = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];

/// Where each of those bytes' two digits go in `{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}`.
const GUID_PLACES: [usize; 16] = [1, 3, 5, 7, 10, 12, 15, 17, 20, 22, 25, 27, 29, 31, 33, 35];

/// `S-R-A-S1-..-Sn`; `None` for a payload too short to hold its header (left to the crate).
fn sid(bytes: &[u8]) -> Option<String> {
    let (&[revision, count, a0, a1, a2, a3, a4, a5], subs) = bytes.split_first_chunk::<8>()?;
    let authority = u64::from_be_bytes([0, 0, a0, a1, a2, a3, a4, a5]);
    let mut buf = itoa::Buffer::new();
    let mut out = String::with_capacity(48);
    out.push_str("S-");
    out.push_str(buf.format(revision));
    out.push('-');
    out.push_str(buf.format(authority));
    for sub in subs.chunks_exact(4).take(usize::from(count)) {
        out.push('-');
        out.push_str(buf.format(u32::from_le_bytes([sub[0], sub[1], sub[2], sub[3]])));
    }
    Some(out)
}

/// A FILETIME (100 ns since 1601-01-01 UTC) with its seven fractional digits, as Windows shows
/// it. `None` past year 9999 (the crate keeps four digits of such years; left to it).
fn filetime(ticks: u64) -> Option<String> {
    const PER_SEC: u64 = 10_000_000;
    const PER_DAY: u64 = 86_400 * PER_SEC;
    let (days, rest) = (ticks / PER_DAY, ticks % PER_DAY);
    let (year, month, day) = civil_from_days_since_1601(days);
    if year > 9999 {
        return None;
    }
    let secs = rest / PER_SEC;
    let mut out = *b"0000-00-00T00:00:00.0000000Z";
    digits(&mut out[0..4], year);
    digits(&mut out[5..7], month);
    digits(&mut out[8..10], day);
    digits(&mut out[11..13], secs / 3600);
    digits(&mut out[14..16], secs / 60 % 60);
    digits(&mut out[17..19], secs % 60);
    digits(&mut out[20..27], rest % PER_SEC);
    String::from_utf8(out.to_vec()).ok()
}

/// `value`'s last decimal digits, as many as `out` holds, zero-padded.
fn digits(out: &mut [u8], mut value: u64) {
    for b in out.iter_mut().rev() {
        *b = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

/// The proleptic Gregorian date `days` after 1601-01-01 (Howard Hinnant's civil_from_days,
/// counted from 0000-03-01, which is 584,694 days earlier).
fn civil_from_days_since_1601(days: u64) -> (u64, u64, u64) {
    let z = days + 584_694;
    let (era, doe) = (z / 146_097, z % 146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (era * 400 + yoe + u64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filetimes_render_as_windows_does() {
        // 2021-02-01T11:13:11.1959551Z
        assert_eq!(
            filetime(132566515911959551).as_deref(),
            Some("2021-02-01T11:13:11.1959551Z")
        );
        assert_eq!(filetime(0).as_deref(), Some("1601-01-01T00:00:00.0000000Z"));
    }

    #[test]
    fn sids_and_guids() {
        let system = [1u8, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0];
        assert_eq!(sid(&system).as_deref(), Some("S-1-5-18"));
        assert_eq!(sid(&[1, 1]), None);
        let g = [
            0x5f, 0x38, 0x70, 0x57, 0x2a, 0xc2, 0xe0, 0x43, 0xbf, 0x4c, 0x06, 0xf5, 0x69, 0x8f,
            0xfb, 0xd9,
        ];
        assert_eq!(guid(&g), "{5770385f-c22a-43e0-bf4c-06f5698ffbd9}");
    }

    #[test]
    fn strings_stop_at_nul_and_refuse_lone_surrogates() {
        assert_eq!(utf16_until_nul(b"a\0b\0\0\0c\0").as_deref(), Some("ab"));
        assert_eq!(utf16_until_nul(&[0x00, 0xd8, b'a', 0]), None);
    }

    #[test]
    fn hex_has_no_leading_zeros() {
        for v in [0u64, 1, 0xf, 0x10, 0x8020_0000_0000_0000, u64::MAX] {
            assert_eq!(hex_value(v), Value::str(format!("0x{v:x}")));
        }
    }

    proptest::proptest! {
        /// The hexadecimal written in place agrees with the standard library's.
        #[test]
        fn hex_agrees(v in proptest::prelude::any::<u64>()) {
            proptest::prop_assert_eq!(hex_value(v), Value::str(format!("0x{v:x}")));
        }

        /// A GUID written in place reads as its three little-endian fields and eight bytes
        /// formatted by the standard library.
        #[test]
        fn guid_agrees(b in proptest::prelude::any::<[u8; 16]>()) {
            let want = format!(
                "{{{:08x}-{:04x}-{:04x}-{:02x}{:02x}-{}}}",
                u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
                u16::from_le_bytes([b[4], b[5]]),
                u16::from_le_bytes([b[6], b[7]]),
                b[8],
                b[9],
                b[10..].iter().map(|x| format!("{x:02x}")).collect::<String>(),
            );
            proptest::prop_assert_eq!(guid(&b), want);
        }

        /// The eight-units-at-a-time decoding agrees with the standard library's.
        #[test]
        fn utf16_fast_path_agrees(units in proptest::collection::vec(
            proptest::prop_oneof![0x20u16..0x7f, 0u16..0x80, 0x80u16..0xd800, 0xd800u16..0xe000, 0xe000u16..=0xffff],
            0..40,
        )) {
            let bytes: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
            let until: Vec<u16> = units.iter().copied().take_while(|&u| u != 0).collect();
            let want = String::from_utf16(&until).ok();
            let got = utf16_until_nul(&bytes);
            proptest::prop_assert_eq!(got.as_deref(), want.as_deref());
        }

        /// A string array's strings agree with the standard library's reading of the units
        /// split at each NUL (the last ending the array).
        #[test]
        fn string_arrays_agree(units in proptest::collection::vec(
            proptest::prop_oneof![4 => 0x20u16..0x7f, 2 => 0u16..1, 1 => 0x80u16..0xd800, 1 => 0xd800u16..0xe000],
            0..120,
        )) {
            let mut bytes: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
            bytes.extend([0, 0]);
            let want: Option<Vec<Value>> = units
                .split(|&u| u == 0)
                .map(|item| String::from_utf16(item).ok().map(Value::str))
                .collect();
            proptest::prop_assert_eq!(string_array(&bytes), want);
        }

        /// The same on long ASCII texts (inline and not), with a NUL or a character that is
        /// not ASCII somewhere, or neither.
        #[test]
        fn utf16_ascii_runs_agree(
            ascii in proptest::collection::vec(0x01u16..0x80, 0..80),
            odd in proptest::option::of((0usize..80, proptest::prop_oneof![0u16..1, 0x80u16..0xd800, 0xd800u16..0xe000])),
            trailing_byte in proptest::prelude::any::<bool>(),
        ) {
            let mut units = ascii;
            if let Some((at, u)) = odd {
                units.insert(at.min(units.len()), u);
            }
            let mut bytes: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
            if trailing_byte {
                bytes.push(b'x');
            }
            let until: Vec<u16> = units.iter().copied().take_while(|&u| u != 0).collect();
            let want = String::from_utf16(&until).ok();
            let got = utf16_until_nul(&bytes);
            proptest::prop_assert_eq!(got.as_deref(), want.as_deref());
        }
    }
}
