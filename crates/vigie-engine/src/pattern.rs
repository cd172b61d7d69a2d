//! Sigma strings with wildcards (`*`, `?`) and backslash escapes, and their compiled matchers.

use crate::lazy_regex::{Flags, LazyRegex};
use memchr::memmem;
use vigie_event::{fold_case, Str};

use crate::fold_memo::with_folded;

/// A piece of a Sigma string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Lit(String),
    /// `*`: any run of characters, including none.
    Any,
    /// `?`: exactly one character.
    One,
}

/// A Sigma string: literal text and wildcards.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Pattern(pub Vec<Piece>);

impl Pattern {
    /// Reads wildcards and escapes as the specification says: `\*` and `\?` are literal,
    /// `\\` before a wildcard is a literal backslash, any other backslash is literal.
    pub fn parse(s: &str) -> Pattern {
        let mut p = Pattern::default();
        // The literal being read: allocated once, as long as what is left of `s` (no
        // literal is longer), and moved into the pattern at a wildcard or the end.
        let mut lit = String::new();
        let mut rest = s;
        // Literal runs are copied whole; only `*`, `?` and `\` (ASCII, so char boundaries)
        // are looked at.
        while let Some(i) = memchr::memchr3(b'*', b'?', b'\\', rest.as_bytes()) {
            let (run, tail) = (rest.get(..i).unwrap_or(""), rest.get(i + 1..).unwrap_or(""));
            let wildcard = match rest.as_bytes().get(i) {
                Some(b'*') => Some(Piece::Any),
                Some(b'?') => Some(Piece::One),
                _ => None,
            };
            if lit.capacity() == 0 && (i > 0 || wildcard.is_none()) {
                lit.reserve(rest.len());
            }
            lit.push_str(run);
            rest = match wildcard {
                Some(w) => {
                    if !lit.is_empty() {
                        p.push_lit(std::mem::take(&mut lit));
                    }
                    p.push(w);
                    tail
                }
                None => match tail.as_bytes().first() {
                    Some(b'*' | b'?' | b'\\') => {
                        lit.push_str(tail.get(..1).unwrap_or(""));
                        tail.get(1..).unwrap_or("")
                    }
                    _ => {
                        lit.push('\\');
                        tail
                    }
                },
            };
        }
        lit.push_str(rest);
        p.push_lit(lit);
        p
    }

    /// A pattern of literal text only.
    pub fn literal(s: &str) -> Pattern {
        let mut p = Pattern::default();
        if !s.is_empty() {
            p.0.push(Piece::Lit(s.to_owned()));
        }
        p
    }

    pub fn push(&mut self, piece: Piece) {
        match (self.0.last_mut(), piece) {
            (Some(Piece::Lit(a)), Piece::Lit(b)) => a.push_str(&b),
            (Some(Piece::Any), Piece::Any) => {}
            (_, piece) => self.0.push(piece),
        }
    }

    /// Appends a literal (joined to a literal before it).
    fn push_lit(&mut self, text: String) {
        if !text.is_empty() {
            self.push(Piece::Lit(text));
        }
    }

    pub fn has_wildcards(&self) -> bool {
        self.0.iter().any(|p| !matches!(p, Piece::Lit(_)))
    }

    /// The text with wildcards written as `*` / `?` (for encodings and messages).
    pub fn text(&self) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Piece::Lit(s) => s.as_str(),
                Piece::Any => "*",
                Piece::One => "?",
            })
            .collect()
    }

    pub fn wrap_any(mut self, start: bool, end: bool) -> Pattern {
        if start && self.0.first() != Some(&Piece::Any) {
            self.0.insert(0, Piece::Any);
        }
        if end && self.0.last() != Some(&Piece::Any) {
            self.0.push(Piece::Any);
        }
        self
    }
}

/// A pattern that cannot be compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError(pub String);

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A compiled string test.
#[derive(Clone, Debug)]
pub enum StrMatcher {
    Exact(Box<str>),
    Prefix(Box<str>),
    Suffix(Box<str>),
    Contains(Box<str>),
    /// `*` alone: any string.
    AnyString,
    /// Boxed: a regular expression carries much more than the other shapes, and a rule set
    /// holds about 100,000 of these tests.
    Regex(Box<LazyRegex>),
}

/// A compiled string test with its case rule.
#[derive(Clone, Debug)]
pub struct StrTest {
    pub matcher: StrMatcher,
    pub cased: bool,
    /// The longest literal run of the pattern, case-folded: text any match must contain.
    pub literal: Option<Box<str>>,
    /// The id of this test in the rule set's per-field index ([`NO_ID`] when not indexed).
    pub id: u32,
    /// When not indexed: the id of an index test for `literal`, which must hold for this one to.
    pub guard: u32,
}

/// No id: the test is evaluated directly, not through the per-field index.
pub const NO_ID: u32 = u32::MAX;

/// How an indexed test relates its text to the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    Exact,
    Prefix,
    Suffix,
    Contains,
}

impl StrTest {
    /// Compiles a pattern; case-insensitive unless `cased`.
    pub fn new(p: &Pattern, cased: bool) -> Result<StrTest, PatternError> {
        let fold = |s: &str| -> Box<str> {
            if cased {
                s.into()
            } else {
                fold_case(s).into()
            }
        };
        let matcher = match p.0.as_slice() {
            [] => StrMatcher::Exact(Box::default()),
            [Piece::Lit(s)] => StrMatcher::Exact(fold(s)),
            [Piece::Any] => StrMatcher::AnyString,
            [Piece::Lit(s), Piece::Any] => StrMatcher::Prefix(fold(s)),
            [Piece::Any, Piece::Lit(s)] => StrMatcher::Suffix(fold(s)),
            [Piece::Any, Piece::Lit(s), Piece::Any] => StrMatcher::Contains(fold(s)),
            pieces => {
                // Matched against the folded text, like the other shapes: one case rule for all.
                let mut re = String::from("^");
                for piece in pieces {
                    match piece {
                        Piece::Lit(s) => re.push_str(&regex::escape(&fold(s))),
                        Piece::Any => re.push_str(".*"),
                        Piece::One => re.push('.'),
                    }
                }
                re.push('$');
                StrMatcher::Regex(Box::new(
                    LazyRegex::new(
                        &re,
                        Flags {
                            dot_all: true,
                            ..Flags::default()
                        },
                    )
                    .map_err(PatternError)?,
                ))
            }
        };
        let literal =
            p.0.iter()
                .filter_map(|piece| match piece {
                    Piece::Lit(s) => Some(fold_case(s)),
                    _ => None,
                })
                .max_by_key(String::len)
                .map(String::into_boxed_str);
        Ok(StrTest {
            matcher,
            cased,
            literal,
            id: NO_ID,
            guard: NO_ID,
        })
    }

    /// The shape and folded text of a case-insensitive literal test (what an automaton can
    /// answer); `None` for regular expressions, `cased` tests and empty literals.
    pub fn indexable(&self) -> Option<(Shape, &str)> {
        if self.cased {
            return None;
        }
        let (shape, text) = match &self.matcher {
            StrMatcher::Exact(t) => return Some((Shape::Exact, t)),
            StrMatcher::Prefix(t) => (Shape::Prefix, t),
            StrMatcher::Suffix(t) => (Shape::Suffix, t),
            StrMatcher::Contains(t) => (Shape::Contains, t),
            StrMatcher::AnyString | StrMatcher::Regex(_) => return None,
        };
        (!text.is_empty()).then_some((shape, &**text))
    }

    /// Tests a string value.
    pub fn matches(&self, s: &Str) -> bool {
        if self.cased {
            self.matches_folded(s.as_str())
        } else {
            with_folded(s.as_str(), |t| self.matches_folded(t))
        }
    }

    /// Tests text already folded the way this test wants (lower-cased unless cased).
    pub fn matches_folded(&self, text: &str) -> bool {
        match &self.matcher {
            StrMatcher::Exact(p) => text == &**p,
            StrMatcher::Prefix(p) => text.starts_with(&**p),
            StrMatcher::Suffix(p) => text.ends_with(&**p),
            StrMatcher::Contains(p) => memmem::find(text.as_bytes(), p.as_bytes()).is_some(),
            StrMatcher::AnyString => true,
            StrMatcher::Regex(re) => re.is_match(text),
        }
    }

    /// Tests plain text (used for numbers written as text).
    pub fn matches_text(&self, text: &str) -> bool {
        if self.cased {
            self.matches_folded(text)
        } else {
            with_folded(text, |t| self.matches_folded(t))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, text: &str) -> bool {
        StrTest::new(&Pattern::parse(pattern), false)
            .expect("compiles")
            .matches(&Str::new(text))
    }

    /// The specification read one character at a time: the oracle of [`Pattern::parse`].
    fn parse_naive(s: &str) -> Pattern {
        let mut p = Pattern::default();
        let mut chars = s.chars().peekable();
        let lit = |c: char| Piece::Lit(c.to_string());
        while let Some(c) = chars.next() {
            match c {
                '*' => p.push(Piece::Any),
                '?' => p.push(Piece::One),
                '\\' => match chars.peek() {
                    Some(&n @ ('*' | '?' | '\\')) => {
                        chars.next();
                        p.push(lit(n));
                    }
                    _ => p.push(lit('\\')),
                },
                other => p.push(lit(other)),
            }
        }
        p
    }

    proptest::proptest! {
        #[test]
        fn parse_agrees_with_one_char_at_a_time(
            s in proptest::collection::vec(
                proptest::sample::select(vec!["*", "?", "\\", "a", "B", "é", "日", ".", " "]),
                0..24,
            )
        ) {
            let s = s.concat();
            proptest::prop_assert_eq!(Pattern::parse(&s), parse_naive(&s));
        }
    }

    #[test]
    fn escapes_follow_the_spec() {
        assert_eq!(Pattern::parse("a\\*b").0, vec![Piece::Lit("a*b".into())]);
        assert_eq!(
            Pattern::parse("a\\\\*").0,
            vec![Piece::Lit("a\\".into()), Piece::Any]
        );
        assert_eq!(
            Pattern::parse("a\\\\\\*").0,
            vec![Piece::Lit("a\\*".into())]
        );
        assert_eq!(
            Pattern::parse("C:\\Windows").0,
            vec![Piece::Lit("C:\\Windows".into())]
        );
        assert_eq!(
            Pattern::parse("C:\\\\Windows").0,
            vec![Piece::Lit("C:\\Windows".into())]
        );
        assert_eq!(
            Pattern::parse("\\\\\\\\x").0,
            vec![Piece::Lit("\\\\x".into())]
        );
        assert_eq!(
            Pattern::parse("\\\\\\x").0,
            vec![Piece::Lit("\\\\x".into())]
        );
    }

    #[test]
    fn wildcard_shapes() {
        assert!(m("*\\cmd.exe", "C:\\Windows\\System32\\CMD.EXE"));
        assert!(m("c:\\\\*", "C:\\x"));
        assert!(!m("c:\\*", "C:\\x"));
        assert!(m("c:\\*", "C:*"));
        assert!(m("*evil*", "is EVIL here"));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "abbc"));
        assert!(m("a*b*c", "a--b--c"));
        assert!(m("a*b*c", "A\nB\nC"));
        assert!(!m("abc", "abcd"));
        assert!(m("", ""));
        assert!(m("*", ""));
        assert!(m("ÉTÉ", "été"));
    }

    #[test]
    fn cased() {
        let t = StrTest::new(&Pattern::parse("*Evil*"), true).expect("compiles");
        assert!(t.matches(&Str::new("so Evil")));
        assert!(!t.matches(&Str::new("so evil")));
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    /// A naive reference: wildcard matching by recursion over characters, lower-casing both.
    fn naive(p: &[Piece], s: &[char]) -> bool {
        match p.split_first() {
            None => s.is_empty(),
            Some((Piece::Any, rest)) => (0..=s.len()).any(|i| naive(rest, &s[i..])),
            Some((Piece::One, rest)) => !s.is_empty() && naive(rest, &s[1..]),
            Some((Piece::Lit(l), rest)) => {
                let l: Vec<char> = l.chars().collect();
                s.len() >= l.len() && s[..l.len()] == l[..] && naive(rest, &s[l.len()..])
            }
        }
    }

    fn piece() -> impl Strategy<Value = Piece> {
        prop_oneof![
            "[abAB\\\\.]{1,3}".prop_map(Piece::Lit),
            Just(Piece::Any),
            Just(Piece::One),
        ]
    }

    proptest! {
        #[test]
        fn compiled_matches_naive(pieces in proptest::collection::vec(piece(), 0..5), text in "[abAB\\\\.]{0,8}") {
            let mut p = Pattern::default();
            for x in pieces.clone() { p.push(x); }
            let lowered: Vec<Piece> = p.0.iter().map(|x| match x {
                Piece::Lit(l) => Piece::Lit(l.to_lowercase()),
                other => other.clone(),
            }).collect();
            let chars: Vec<char> = text.to_lowercase().chars().collect();
            let t = StrTest::new(&p, false).expect("compiles");
            prop_assert_eq!(t.matches(&Str::new(text.as_str())), naive(&lowered, &chars));
        }
    }
}
