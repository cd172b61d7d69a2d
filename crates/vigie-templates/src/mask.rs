//! Generic masking of one whitespace token: the variable pieces inside it (numbers, hex ids,
//! paths, booleans and the like) become `<*>`, the rest stays, so `uid=0` reads `uid=<*>`
//! and `10.0.0.1:22` reads `<*>:<*>`. The same rules for every kind of log.

/// The wildcard that stands for a variable part, as the Loghub benchmark writes it.
pub const WILDCARD: &str = "<*>";

/// Characters that end a path-like piece (and every other piece).
fn is_outer_delimiter(b: u8) -> bool {
    matches!(
        b,
        b',' | b'!'
            | b';'
            | b':'
            | b'='
            | b'|'
            | b'"'
            | b'\''
            | b'['
            | b']'
            | b'('
            | b')'
            | b'{'
            | b'}'
    )
}

/// Characters that cut a piece further once it is known not to be a path.
fn is_inner_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'.' | b'-' | b'+' | b'@' | b'#' | b'$' | b'%' | b'&' | b'/'
    )
}

/// `/a/b/c`: one or more `/name` steps, no empty step.
fn is_path(s: &[u8]) -> bool {
    if s.len() < 2 || s[0] != b'/' {
        return false;
    }
    s.windows(2).all(|w| !(w[0] == b'/' && w[1] == b'/')) && s[s.len() - 1] != b'/'
}

/// Words that are values whatever the log: booleans, null, the usual account names, and the
/// English day and month names of timestamps written out (`Sat Jun 18`).
fn is_value_word(s: &[u8]) -> bool {
    const WORDS: [&[u8]; 5] = [b"true", b"false", b"null", b"root", b"admin"];
    const DATES: [&[u8]; 19] = [
        b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun", b"Jan", b"Feb", b"Mar", b"Apr",
        b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
    ];
    WORDS.iter().any(|w| w.eq_ignore_ascii_case(s)) || DATES.contains(&s)
}

/// `task_1445_0020_m_000001`, `jA9J1UvC004306`, `broadcast_9_piece0`: a run of four digits or
/// more, or letters and digits alternating three times or more (`eth1`, `jk2_init`, `e820`
/// stay: names with a number in them).
fn is_mixed_id(s: &[u8]) -> bool {
    let (mut run, mut longest, mut switches) = (0, 0, 0);
    let mut last_digit = None;
    for &b in s {
        if b.is_ascii_digit() {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
        if b.is_ascii_alphanumeric() {
            let digit = b.is_ascii_digit();
            if last_digit.is_some_and(|d| d != digit) {
                switches += 1;
            }
            last_digit = Some(digit);
        }
    }
    longest >= 4 || switches >= 3
}

/// `96abccce-8d1f-4e07-b6d1-4b2ab87e23b4`: hex runs joined by `-`, at least 12 hex digits of
/// which some are digits.
fn is_hex_id(s: &[u8]) -> bool {
    let hex = s.iter().filter(|b| b.is_ascii_hexdigit()).count();
    hex >= 12
        && s.iter().any(u8::is_ascii_digit)
        && s.iter().all(|b| b.is_ascii_hexdigit() || *b == b'-')
}

/// `proxy.example.co.uk`: three or more labels of lower-case letters, digits and `-`, the
/// last of two to six letters (Java names such as `org.apache.Server` end in a capital).
fn is_host_name(s: &[u8]) -> bool {
    let mut labels = 0;
    let mut last: &[u8] = &[];
    for label in s.split(|b| *b == b'.') {
        if label.is_empty()
            || !label
                .iter()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        {
            return false;
        }
        labels += 1;
        last = label;
    }
    labels >= 3 && (2..=6).contains(&last.len()) && last.iter().all(u8::is_ascii_lowercase)
}

/// A piece that is a value: starting with a digit (`42`, `16K`, `80x25`), `0x` hex, a long hex
/// string with a digit, a value word.
fn is_variable_piece(s: &[u8]) -> bool {
    if s.is_empty() {
        return false;
    }
    if s[0].is_ascii_digit() {
        return true;
    }
    if is_mixed_id(s) {
        return true;
    }
    if s.len() > 2 && (s.starts_with(b"0x") || s.starts_with(b"0X")) {
        return s[2..].iter().all(u8::is_ascii_hexdigit);
    }
    if s.len() >= 8 && s.iter().all(u8::is_ascii_hexdigit) && s.iter().any(u8::is_ascii_digit) {
        return true;
    }
    is_value_word(s)
}

/// Appends `piece` to `out`, or `<*>` when `variable`; a `<*>` right after `<*>` or `<*>.`
/// (within the token starting at `start`) is absorbed into it.
fn emit(out: &mut String, start: usize, piece: &str, variable: bool) {
    if !variable {
        out.push_str(piece);
        return;
    }
    let t = &out[start..];
    if t.ends_with(WILDCARD) {
        return;
    }
    if t.ends_with("<*>.") {
        out.pop();
        return;
    }
    out.push_str(WILDCARD);
}

/// Appends the masked form of one whitespace token to `out`.
pub fn mask_token(token: &str, out: &mut String) {
    let start = out.len();
    let bytes = token.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if is_outer_delimiter(bytes[i]) {
            out.push(bytes[i] as char);
            i += 1;
            continue;
        }
        let seg_start = i;
        while i < bytes.len() && !is_outer_delimiter(bytes[i]) {
            i += 1;
        }
        mask_segment(&token[seg_start..i], out, start);
    }
}

/// One piece between outer delimiters: a path as a whole, else cut at inner delimiters.
fn mask_segment(seg: &str, out: &mut String, start: usize) {
    let bytes = seg.as_bytes();
    if is_path(bytes) || is_host_name(bytes) || is_hex_id(bytes) {
        emit(out, start, seg, true);
        return;
    }
    let mut i = 0;
    while i < bytes.len() {
        if is_inner_delimiter(bytes[i]) {
            out.push(bytes[i] as char);
            i += 1;
            continue;
        }
        let p = i;
        while i < bytes.len() && !is_inner_delimiter(bytes[i]) {
            i += 1;
        }
        let piece = &bytes[p..i];
        // `v1.12`: a version number as a whole.
        let version = piece.len() > 1
            && piece[0] == b'v'
            && piece[1..].iter().all(u8::is_ascii_digit)
            && bytes.get(i) == Some(&b'.');
        emit(out, start, &seg[p..i], version || is_variable_piece(piece));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(t: &str) -> String {
        let mut s = String::new();
        mask_token(t, &mut s);
        s
    }

    #[test]
    fn masks_values_inside_tokens() {
        assert_eq!(m("uid=0"), "uid=<*>");
        assert_eq!(m("10.251.42.84:50010"), "<*>:<*>");
        assert_eq!(m("rhost=218.188.2.4"), "rhost=<*>");
        assert_eq!(m("chdir(/p/gb1/stella/RAPTOR)"), "chdir(<*>)");
        assert_eq!(m("0x1f3A"), "<*>");
        assert_eq!(m("user=root"), "user=<*>");
        assert_eq!(m("CPU#0."), "CPU#<*>.");
        assert_eq!(m("deadbeef42"), "<*>");
        assert_eq!(m("proxy.cse.cuhk.edu.hk:5070"), "<*>:<*>");
        assert_eq!(m("v0.97"), "<*>");
        assert_eq!(m("126MB"), "<*>");
        assert_eq!(m("Sat"), "<*>");
        assert_eq!(m("96abccce-8d1f-4e07-b6d1-4b2ab87e23b4]"), "<*>]");
        assert_eq!(m("attempt_1445144423722_0020_m_000001_0"), "<*>");
        assert_eq!(m("jA9J1UvC004306:"), "<*>:");
    }

    #[test]
    fn keeps_words() {
        assert_eq!(m("eth1"), "eth1");
        assert_eq!(m("authentication"), "authentication");
        assert_eq!(m("/"), "/");
        assert_eq!(m("a-b.c"), "a-b.c");
        assert_eq!(m("org.apache.hadoop.Server"), "org.apache.hadoop.Server");
        assert_eq!(m("v2"), "v2");
        assert_eq!(m("jk2_init()"), "jk2_init()");
        assert_eq!(m("ÉTÉ:été"), "ÉTÉ:été");
    }
}
