//! The lexer: pattern text to tokens, following the lexer rules of the OASIS grammar
//! (`STIXPattern.g4`): longest match first, keywords before identifiers, `t'..'` / `b'..'` /
//! `h'..'` literals checked against their token rules, whitespace and comments skipped.

use base64::Engine;

use crate::error::{ParseError, ParseErrorKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keyword {
    And,
    Or,
    Not,
    FollowedBy,
    Like,
    Matches,
    IsSuperset,
    IsSubset,
    Exists,
    Last,
    In,
    Start,
    Stop,
    Seconds,
    Within,
    Repeats,
    Times,
}

impl Keyword {
    fn from_text(text: &str) -> Option<Keyword> {
        Some(match text {
            "AND" => Keyword::And,
            "OR" => Keyword::Or,
            "NOT" => Keyword::Not,
            "FOLLOWEDBY" => Keyword::FollowedBy,
            "LIKE" => Keyword::Like,
            "MATCHES" => Keyword::Matches,
            "ISSUPERSET" => Keyword::IsSuperset,
            "ISSUBSET" => Keyword::IsSubset,
            "EXISTS" => Keyword::Exists,
            "LAST" => Keyword::Last,
            "IN" => Keyword::In,
            "START" => Keyword::Start,
            "STOP" => Keyword::Stop,
            "SECONDS" => Keyword::Seconds,
            "WITHIN" => Keyword::Within,
            "REPEATS" => Keyword::Repeats,
            "TIMES" => Keyword::Times,
            _ => return None,
        })
    }

    /// Whether `text` would be read as a keyword or a boolean rather than an identifier.
    pub(crate) fn is_reserved(text: &str) -> bool {
        Keyword::from_text(text).is_some() || text == "true" || text == "false"
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    LBrack,
    RBrack,
    LParen,
    RParen,
    Colon,
    Dot,
    Comma,
    Eq,
    Neq,
    Lt,
    Le,
    Gt,
    Ge,
    Plus,
    Minus,
    Power,
    Divide,
    Asterisk,
    Keyword(Keyword),
    /// An identifier; `hyphen` when it holds a `-` (allowed in object types only).
    Ident {
        hyphen: bool,
    },
    /// An integer; `neg` when written with a leading `-`.
    Int {
        value: i128,
        neg: bool,
    },
    Float {
        value: f64,
        neg: bool,
    },
    Str(String),
    Bool(bool),
    Binary(Vec<u8>),
    Hex(Vec<u8>),
    Timestamp(String),
    Eof,
}

#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub tok: Tok,
    /// Byte range in the pattern.
    pub start: usize,
    pub end: usize,
}

/// The whitespace characters of the grammar's `WS` rule.
fn is_ws(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | '\r'
            | '\n'
            | '\u{000B}'
            | '\u{000C}'
            | '\u{0085}'
            | '\u{00a0}'
            | '\u{1680}'
            | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

/// Cuts a pattern into tokens, ending with `Eof`.
pub(crate) fn tokenize(src: &str) -> Result<Vec<Token>, ParseError> {
    let mut lexer = Lexer { src, pos: 0 };
    let mut tokens = Vec::new();
    loop {
        lexer.skip_trivia()?;
        let start = lexer.pos;
        let Some(c) = lexer.peek() else {
            tokens.push(Token {
                tok: Tok::Eof,
                start,
                end: start,
            });
            return Ok(tokens);
        };
        let tok = lexer.token(c)?;
        tokens.push(Token {
            tok,
            start,
            end: lexer.pos,
        });
    }
}

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.rest().chars().nth(n)
    }

    fn error(&self, offset: usize, kind: ParseErrorKind) -> ParseError {
        ParseError::at(self.src, offset, kind)
    }

    fn skip_trivia(&mut self) -> Result<(), ParseError> {
        loop {
            let rest = self.rest();
            if let Some(c) = rest.chars().next().filter(|c| is_ws(*c)) {
                self.pos += c.len_utf8();
            } else if rest.starts_with("/*") {
                match rest.get(2..).and_then(|r| r.find("*/")) {
                    Some(end) => self.pos += 2 + end + 2,
                    None => return Err(self.error(self.pos, ParseErrorKind::UnterminatedComment)),
                }
            } else if rest.starts_with("//") {
                let end = rest.find(['\r', '\n']).unwrap_or(rest.len());
                self.pos += end;
            } else {
                return Ok(());
            }
        }
    }

    fn token(&mut self, c: char) -> Result<Tok, ParseError> {
        let start = self.pos;
        let single = |tok: Tok, lexer: &mut Lexer| {
            lexer.pos += 1;
            Ok(tok)
        };
        match c {
            '[' => single(Tok::LBrack, self),
            ']' => single(Tok::RBrack, self),
            '(' => single(Tok::LParen, self),
            ')' => single(Tok::RParen, self),
            ':' => single(Tok::Colon, self),
            ',' => single(Tok::Comma, self),
            '^' => single(Tok::Power, self),
            '/' => single(Tok::Divide, self),
            '*' => single(Tok::Asterisk, self),
            '=' => {
                self.pos += if self.peek_at(1) == Some('=') { 2 } else { 1 };
                Ok(Tok::Eq)
            }
            '!' if self.peek_at(1) == Some('=') => {
                self.pos += 2;
                Ok(Tok::Neq)
            }
            '<' => match self.peek_at(1) {
                Some('=') => {
                    self.pos += 2;
                    Ok(Tok::Le)
                }
                Some('>') => {
                    self.pos += 2;
                    Ok(Tok::Neq)
                }
                _ => single(Tok::Lt, self),
            },
            '>' => {
                if self.peek_at(1) == Some('=') {
                    self.pos += 2;
                    Ok(Tok::Ge)
                } else {
                    single(Tok::Gt, self)
                }
            }
            '\'' => self.string().map(Tok::Str),
            '+' | '-' | '.' | '0'..='9' => self.number(),
            c if is_ident_start(c) => self.identifier(),
            c => Err(self.error(start, ParseErrorKind::UnexpectedChar(c))),
        }
    }

    /// A string literal at the current quote: only `\'` and `\\` escapes exist.
    fn string(&mut self) -> Result<String, ParseError> {
        let start = self.pos;
        let mut out = String::new();
        let mut chars = self.rest().char_indices().skip(1);
        while let Some((i, c)) = chars.next() {
            match c {
                '\'' => {
                    self.pos += i + 1;
                    return Ok(out);
                }
                '\\' => match chars.next() {
                    Some((_, e @ ('\'' | '\\'))) => out.push(e),
                    Some((j, e)) => {
                        return Err(self.error(start + j - 1, ParseErrorKind::InvalidEscape(e)))
                    }
                    None => break,
                },
                c => out.push(c),
            }
        }
        Err(self.error(start, ParseErrorKind::UnterminatedString))
    }

    /// The longest of IntPos / IntNeg / FloatPos / FloatNeg at this point, else `+`, `-`, `.`.
    fn number(&mut self) -> Result<Tok, ParseError> {
        let start = self.pos;
        let b = self.rest().as_bytes();
        let sign = usize::from(matches!(b.first(), Some(b'+' | b'-')));
        let neg = b.first() == Some(&b'-');
        let digits = |from: usize| {
            b.get(from..)
                .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count())
        };
        let int_digits = digits(sign);
        // Float: sign? [0-9]* '.' [0-9]+
        let float_len = if b.get(sign + int_digits) == Some(&b'.') {
            let frac = digits(sign + int_digits + 1);
            (frac > 0).then_some(sign + int_digits + 1 + frac)
        } else {
            None
        };
        // Int: sign? ('0' | [1-9][0-9]*)
        let int_len = match b.get(sign) {
            Some(b'0') => Some(sign + 1),
            Some(b'1'..=b'9') => Some(sign + int_digits),
            _ => None,
        };
        match (float_len, int_len) {
            (Some(len), _) => {
                let text = self.rest().get(..len).unwrap_or("");
                self.pos += len;
                match text.parse::<f64>() {
                    Ok(value) if value.is_finite() => Ok(Tok::Float { value, neg }),
                    _ => Err(self.error(start, ParseErrorKind::NumberTooLarge(text.to_owned()))),
                }
            }
            (None, Some(len)) => {
                let text = self.rest().get(..len).unwrap_or("");
                self.pos += len;
                let value = text.parse::<i128>().map_err(|_| {
                    self.error(start, ParseErrorKind::NumberTooLarge(text.to_owned()))
                })?;
                Ok(Tok::Int { value, neg })
            }
            (None, None) => {
                self.pos += 1;
                Ok(match b.first() {
                    Some(b'+') => Tok::Plus,
                    Some(b'-') => Tok::Minus,
                    _ => Tok::Dot,
                })
            }
        }
    }

    fn identifier(&mut self) -> Result<Tok, ParseError> {
        let rest = self.rest();
        let len = rest
            .char_indices()
            .find(|(_, c)| !is_ident_char(*c))
            .map_or(rest.len(), |(i, _)| i);
        let text = rest.get(..len).unwrap_or("");
        if matches!(text, "t" | "b" | "h") && rest.get(len..).is_some_and(|r| r.starts_with('\'')) {
            return self.prefixed_literal(text);
        }
        self.pos += len;
        if let Some(k) = Keyword::from_text(text) {
            return Ok(Tok::Keyword(k));
        }
        match text {
            "true" => return Ok(Tok::Bool(true)),
            "false" => return Ok(Tok::Bool(false)),
            _ => {}
        }
        Ok(Tok::Ident {
            hyphen: text.contains('-'),
        })
    }

    /// `t'..'`, `b'..'` or `h'..'`: the quoted body must follow the token rule exactly.
    fn prefixed_literal(&mut self, prefix: &str) -> Result<Tok, ParseError> {
        let start = self.pos;
        let body_start = start + 2;
        let body = self.src.get(body_start..).unwrap_or("");
        let close = body.find('\'');
        let shown = match close {
            Some(end) => self.src.get(start..body_start + end + 1).unwrap_or(""),
            None => self.src.get(start..).unwrap_or(""),
        }
        .to_owned();
        let content = close.and_then(|end| body.get(..end));
        let tok = match (prefix, content) {
            ("t", Some(text)) if timestamp_literal_ok(text) => Tok::Timestamp(text.to_owned()),
            ("t", _) => return Err(self.error(start, ParseErrorKind::InvalidTimestamp(shown))),
            ("b", Some(text)) => match decode_base64_literal(text) {
                Some(bytes) => Tok::Binary(bytes),
                None => return Err(self.error(start, ParseErrorKind::InvalidBinary(shown))),
            },
            ("h", Some(text)) => match decode_hex(text) {
                Some(bytes) => Tok::Hex(bytes),
                None => return Err(self.error(start, ParseErrorKind::InvalidHex(shown))),
            },
            ("b", None) => return Err(self.error(start, ParseErrorKind::InvalidBinary(shown))),
            _ => return Err(self.error(start, ParseErrorKind::InvalidHex(shown))),
        };
        self.pos = body_start + content.map_or(0, str::len) + 1;
        Ok(tok)
    }
}

/// The grammar's TimestampLiteral body: `YYYY-MM-DDTHH:MM:SS[.d+]Z` with the field ranges the
/// grammar spells out (months 01-12, days 01-31, hours 00-23, seconds up to 60).
pub(crate) fn timestamp_literal_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    let num = |i: usize| match b.get(i..i + 2) {
        Some([hi, lo]) => Some(u32::from(hi - b'0') * 10 + u32::from(lo - b'0')),
        _ => None,
    };
    if b.len() < 20 || !(0..4).all(digit) || !at(4, b'-') || !at(7, b'-') || !at(10, b'T') {
        return false;
    }
    if !at(13, b':') || !at(16, b':') {
        return false;
    }
    if ![5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
        .iter()
        .all(|&i| digit(i))
    {
        return false;
    }
    let (Some(month), Some(day), Some(hour), Some(minute), Some(second)) =
        (num(5), num(8), num(11), num(14), num(17))
    else {
        return false;
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return false;
    }
    if second > 60 {
        return false;
    }
    let tail = b.get(19..).unwrap_or(&[]);
    match tail {
        [b'Z'] => true,
        [b'.', frac @ .., b'Z'] => !frac.is_empty() && frac.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

/// The grammar's BinaryLiteral body: groups of four base64 characters, the last one possibly
/// padded, at least one group.
fn decode_base64_literal(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    if b.is_empty() || !b.len().is_multiple_of(4) {
        return None;
    }
    let b64 = |c: &u8| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/';
    let body = s
        .strip_suffix("==")
        .or_else(|| s.strip_suffix('='))
        .unwrap_or(s);
    if !body.as_bytes().iter().all(b64) {
        return None;
    }
    lenient_base64().decode(s).ok()
}

/// Base64 as Python's `base64.standard_b64decode` reads a valid string: padding required,
/// non-zero trailing bits allowed.
pub(crate) fn lenient_base64() -> base64::engine::GeneralPurpose {
    base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireCanonical),
    )
}

/// Pairs of hex digits (either case); empty is allowed.
pub(crate) fn decode_hex(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    if !b.len().is_multiple_of(2) {
        return None;
    }
    b.chunks(2)
        .map(|pair| {
            let [hi, lo] = pair else { return None };
            Some(hex_val(*hi)? << 4 | hex_val(*lo)?)
        })
        .collect()
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        tokenize(s)
            .expect("lexes")
            .into_iter()
            .map(|t| t.tok)
            .collect()
    }

    #[test]
    fn numbers_take_the_longest_rule() {
        assert_eq!(
            toks("007"),
            vec![
                Tok::Int {
                    value: 0,
                    neg: false
                },
                Tok::Int {
                    value: 0,
                    neg: false
                },
                Tok::Int {
                    value: 7,
                    neg: false
                },
                Tok::Eof
            ]
        );
        assert_eq!(
            toks("-.5 +3"),
            vec![
                Tok::Float {
                    value: -0.5,
                    neg: true
                },
                Tok::Int {
                    value: 3,
                    neg: false
                },
                Tok::Eof
            ]
        );
        assert_eq!(toks("- ."), vec![Tok::Minus, Tok::Dot, Tok::Eof]);
    }

    #[test]
    fn keywords_booleans_and_identifiers() {
        assert_eq!(
            toks("AND ANDY true x-y"),
            vec![
                Tok::Keyword(Keyword::And),
                Tok::Ident { hyphen: false },
                Tok::Bool(true),
                Tok::Ident { hyphen: true },
                Tok::Eof
            ]
        );
    }

    #[test]
    fn prefixed_literals() {
        assert_eq!(
            toks("t'2020-01-01T00:00:00.5Z' b'AQIDBA==' h'0aFF'"),
            vec![
                Tok::Timestamp("2020-01-01T00:00:00.5Z".into()),
                Tok::Binary(vec![1, 2, 3, 4]),
                Tok::Hex(vec![10, 255]),
                Tok::Eof
            ]
        );
        assert!(tokenize("t'2020-13-01T00:00:00Z'").is_err());
        assert!(tokenize("b'===='").is_err());
        assert!(tokenize("b''").is_err());
        assert_eq!(toks("h''"), vec![Tok::Hex(vec![]), Tok::Eof]);
    }

    #[test]
    fn strings_comments_and_positions() {
        assert_eq!(
            toks("/* c */ 'it\\'s \\\\' // end"),
            vec![Tok::Str("it's \\".into()), Tok::Eof]
        );
        let e = tokenize("\n  'a\\d'").expect_err("bad escape");
        assert_eq!((e.line, e.column), (2, 5), "at the backslash");
        assert!(tokenize("'open").is_err());
        assert!(tokenize("/* open").is_err());
    }
}
