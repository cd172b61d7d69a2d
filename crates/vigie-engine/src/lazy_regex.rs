//! Regular expressions checked when rules load and compiled on first use: most never run,
//! since routing and the prefilter skip their rules, and compiling thousands costs start-up.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use crate::class_run::ClassRun;
use crate::forward_regex::ForwardRegex;
use crate::regex_literals::{guard_literals, inner_literal};

/// Patterns longer than this are compiled at once, so that a size-limit error is reported
/// at load time rather than found at match time.
const EAGER_ABOVE: usize = 512;
const SIZE_LIMIT: usize = 1 << 24;

/// The flags a regular expression is built with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Flags {
    pub ignore_case: bool,
    pub multi_line: bool,
    pub dot_all: bool,
}

/// A compiled form, built on first use by one thread while the others wait (`None`: it did
/// not build), shared by every copy of an expression.
type Shared = Arc<OnceLock<Option<ForwardRegex>>>;

/// A regular expression, validated now and compiled when first needed.
#[derive(Clone, Debug)]
pub struct LazyRegex {
    pattern: String,
    flags: Flags,
    /// What is compiled when it is not `pattern` with `flags`: the pattern of its
    /// [`match_core`], flags applied.
    core: Option<String>,
    /// Shared with its clones (a rule's condition copied into the routing table) and with
    /// equal expressions ([`LazyRegex::share`]).
    compiled: Shared,
    /// Case-folded literals of which every match holds one (empty: none known): those it
    /// starts with, or a longer one it holds somewhere ([`guard_literals`]).
    pub(crate) literals: Vec<String>,
    /// Ids of the per-field index's contains tests for those literals (set by the index).
    pub(crate) guards: Vec<u32>,
    /// Bytes that every match holds somewhere, exactly as written (`-f` in
    /// `"(\{\d\}){2,}"\s*-f`): a text without them is no match, found without the regex.
    inner: Option<Box<memchr::memmem::Finder<'static>>>,
    /// When the expression is one character class repeated: its run, counted instead.
    run: Option<ClassRun>,
}

/// The compiled forms of the expressions of one rule set, by pattern and flags.
#[derive(Default)]
pub(crate) struct RegexPool(HashMap<(String, Flags), Shared>);

impl LazyRegex {
    pub fn new(pattern: &str, flags: Flags) -> Result<LazyRegex, String> {
        let hir = parse(pattern, flags)?;
        let core = match_core(&hir, true, true);
        let lazy = LazyRegex {
            pattern: pattern.to_owned(),
            flags,
            core: (core != hir).then(|| core.to_string()),
            compiled: Arc::default(),
            literals: guard_literals(&hir),
            guards: Vec::new(),
            inner: inner_literal(&hir)
                .map(|lit| Box::new(memchr::memmem::Finder::new(&lit).into_owned())),
            run: ClassRun::of(&hir),
        };
        if pattern.len() > EAGER_ABOVE {
            let re = lazy.build()?;
            let _ = lazy.compiled.set(Some(re));
        }
        Ok(lazy)
    }

    /// Shares the compiled form with every equal expression met before (the same pattern in
    /// several rules, or in one rule's variants for several log sources), so that it is
    /// compiled once for them all.
    pub(crate) fn share(&mut self, pool: &mut RegexPool) {
        let shared = pool
            .0
            .entry((self.pattern.clone(), self.flags))
            .or_insert_with(|| self.compiled.clone());
        self.compiled = shared.clone();
    }

    fn build(&self) -> Result<ForwardRegex, String> {
        let hir = match &self.core {
            // The flags are in the parsed form already.
            Some(core) => parse(core, Flags::default())?,
            None => parse(&self.pattern, self.flags)?,
        };
        ForwardRegex::new(&hir, SIZE_LIMIT)
    }

    pub fn is_match(&self, text: &str) -> bool {
        if let Some(run) = &self.run {
            return run.is_match(text);
        }
        if let Some(inner) = &self.inner {
            if inner.find(text.as_bytes()).is_none() {
                return false;
            }
        }
        // Validated at load and small: a build failure here cannot happen; it matches nothing.
        self.compiled
            .get_or_init(|| self.build().ok())
            .as_ref()
            .is_some_and(|re| re.is_match(text))
    }
}

/// The syntax tree of `pattern` under `flags`, as the `regex` crate reads it.
fn parse(pattern: &str, flags: Flags) -> Result<regex_syntax::hir::Hir, String> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(flags.ignore_case)
        .multi_line(flags.multi_line)
        .dot_matches_new_line(flags.dot_all)
        .build()
        .parse(pattern)
        .map_err(|e| e.to_string())
}

/// What decides whether `hir` matches somewhere in a text (all a rule asks), with what cannot
/// change that answer trimmed from its start (`lead`) and its end (`trail`):
/// - a part that matches the empty text wherever it is tried (`.*`, `x?`, `(?:\s?-p)?`) is
///   dropped: a match with it holds a match without it, and the other way round;
/// - a repetition is cut to its least count (`\w{1,64}` to `\w`): a match of the
///   repetition holds a match of its least count, at its start or its end.
///
/// Less to compile and to run: `-k\s\w{1,64}(?:\s?(?:-p|-s))?` takes 15 ms to compile,
/// `-k\s\w` next to nothing.
fn match_core(hir: &regex_syntax::hir::Hir, lead: bool, trail: bool) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{Hir, HirKind, Repetition};
    let empty_anywhere =
        |h: &Hir| h.properties().minimum_len() == Some(0) && h.properties().look_set().is_empty();
    if !lead && !trail {
        // Inside, between other parts: every repetition counts.
        return hir.clone();
    }
    match hir.kind() {
        HirKind::Capture(cap) => match_core(&cap.sub, lead, trail),
        HirKind::Repetition(rep) if rep.min == 1 => match_core(&rep.sub, lead, trail),
        HirKind::Repetition(rep) if rep.min > 1 && rep.max != Some(rep.min) => {
            Hir::repetition(Repetition {
                min: rep.min,
                max: Some(rep.min),
                greedy: true,
                sub: rep.sub.clone(),
            })
        }
        HirKind::Concat(parts) => {
            let mut parts = parts.as_slice();
            while let [rest @ .., last] = parts {
                if !(trail && empty_anywhere(last)) {
                    break;
                }
                parts = rest;
            }
            while let [first, rest @ ..] = parts {
                if !(lead && empty_anywhere(first)) {
                    break;
                }
                parts = rest;
            }
            match parts {
                [] => Hir::empty(),
                [one] => match_core(one, lead, trail),
                [first, middle @ .., last] => {
                    let mut out = Vec::with_capacity(parts.len());
                    out.push(match_core(first, lead, false));
                    out.extend(middle.iter().cloned());
                    out.push(match_core(last, false, trail));
                    Hir::concat(out)
                }
            }
        }
        _ => hir.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::RegexBuilder;

    #[test]
    fn equal_expressions_compile_once() {
        let flags = Flags::default();
        let mut a = LazyRegex::new(r"-k\s\w{1,64}", flags).expect("valid");
        let mut b = LazyRegex::new(r"-k\s\w{1,64}", flags).expect("valid");
        let mut other = LazyRegex::new(
            r"-k\s\w{1,64}",
            Flags {
                ignore_case: true,
                ..flags
            },
        )
        .expect("valid");
        let mut pool = RegexPool::default();
        for re in [&mut a, &mut b, &mut other] {
            re.share(&mut pool);
        }
        assert!(a.is_match("svchost -k netsvcs"));
        assert!(b.compiled.get().is_some(), "compiled with its equal");
        assert!(
            other.compiled.get().is_none(),
            "other flags, another expression"
        );
        assert!(other.is_match("svchost -K NETSVCS"));
    }

    #[test]
    fn validates_now_compiles_later() {
        assert!(LazyRegex::new("(", Flags::default()).is_err());
        let re = LazyRegex::new(
            "^a.c$",
            Flags {
                ignore_case: true,
                multi_line: true,
                dot_all: false,
            },
        )
        .expect("valid");
        assert!(re.is_match("x\nABC\ny"));
        let lit = |p: &str| LazyRegex::new(p, Flags::default()).expect("valid").literals;
        assert_eq!(lit("Invoke-Mimikatz"), vec!["invoke-mimikatz"]);
        assert_eq!(lit("(foo|Bar)baz.*"), vec!["barbaz", "foobaz"]);
        assert!(lit(".*x").is_empty());
        assert!(lit("ab").is_empty());
        assert!(!re.is_match("a\nc"));
    }

    #[test]
    fn inner_literals_are_what_every_match_holds() {
        let inner = |p: &str, ignore_case: bool| {
            let flags = Flags {
                ignore_case,
                ..Flags::default()
            };
            let hir = regex_syntax::ParserBuilder::new()
                .case_insensitive(ignore_case)
                .build()
                .parse(p)
                .expect("valid");
            let _ = LazyRegex::new(p, flags).expect("valid");
            inner_literal(&hir).map(|l| String::from_utf8(l).expect("UTF-8"))
        };
        assert_eq!(
            inner(r#""(\{\d\}){2,}"\s*-f"#, false).as_deref(),
            Some("-f")
        );
        assert_eq!(
            inner(r"^.*>.%temp%\\.*$", false).as_deref(),
            Some("%temp%\\")
        );
        assert_eq!(inner(r"\w+`(\w+|-|.)`", false).as_deref(), Some("`"));
        assert_eq!(inner(r"(?i)\$\{`?e`?n", false).as_deref(), Some("${"));
        assert_eq!(inner("abc", true), None);
        assert_eq!(inner("(foo|bar)", false), None);
        assert_eq!(inner("x(yz)?", false).as_deref(), Some("x"));
    }

    #[test]
    fn what_cannot_change_a_match_is_trimmed() {
        let hir = |p: &str| regex_syntax::parse(p).expect("valid");
        let core = |p: &str| match_core(&hir(p), true, true);
        assert_eq!(core(r"-k\s\w{1,64}(?:\s?(?:-p|-s))?"), hir(r"-k\s\w"));
        assert_eq!(core(r".*foo.*"), hir("foo"));
        assert_eq!(core(r"\d{2,10}x\d{2,10}"), hir(r"\d{2}x\d{2}"));
        assert_eq!(core(r"^.*foo.*$"), hir(r"^.*foo.*$"));
        assert_eq!(core(r"a\d{2,}?"), hir(r"a\d{2}"));
        assert_eq!(core(r"a(b\d+c?)"), hir(r"ab\d"));
        assert_eq!(core(r"a(b?\d+c)"), hir(r"a(?:b?\d+c)"));
        // Inside a group at an edge, only that edge's side is trimmed.
        assert_eq!(core(r"x(b+a)"), hir(r"x(?:b+a)"));
        assert_eq!(core(r"(a{2,3}1)x"), hir(r"a{2}1x"));
        assert_eq!(core(r"x(a{2,3}1)y"), hir(r"x(a{2,3}1)y"));
        let re = LazyRegex::new(r"-k\s\w{1,64}", Flags::default()).expect("valid");
        assert!(re.core.is_some(), "trimmed");
        let re = LazyRegex::new(r"-k\s\w", Flags::default()).expect("valid");
        assert!(re.core.is_none(), "compiled as written");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// Trimming never changes whether an expression matches.
        #[test]
        fn the_trimmed_expression_matches_where_the_expression_does(
            pieces in proptest::collection::vec(0usize..17, 1..6),
            ignore_case: bool,
            text in "[ab1-3 ,\n]{0,16}|x?[ab1]{0,3}(b{1,3}a|a{2,3}1|1a{1,3}b)[ab1]{0,3}",
        ) {
            const PIECES: [&str; 17] = [
                "a", "b?", r"\d{1,3}", r"\s*", "(?:ab)?", ".*", "^", "$", r"\b",
                "(a|b1)", "[0-9]{2,}", "(?:b+a?)", "1+?", "(?:a$|b)", "(b+a)",
                "(a{2,3}1)", "(1(a+b))",
            ];
            let pattern: String = pieces.iter().map(|&i| PIECES[i]).collect();
            let flags = Flags { ignore_case, multi_line: pieces.len() % 2 == 0, dot_all: false };
            let lazy = LazyRegex::new(&pattern, flags).expect("valid");
            let plain = RegexBuilder::new(&pattern)
                .case_insensitive(ignore_case)
                .multi_line(flags.multi_line)
                .build()
                .expect("valid");
            proptest::prop_assert_eq!(lazy.is_match(&text), plain.is_match(&text), "{}", pattern);
        }
    }

    proptest::proptest! {
        /// The inner-literal check before the match never changes its answer.
        #[test]
        fn inner_literal_check_agrees_with_the_regex(
            which in 0usize..8,
            ignore_case: bool,
            text in "[a-c%{}0-9\\\"`>x -]{0,24}",
        ) {
            let patterns = [
                r#""(\{\d\}){2,}"\s*-f"#,
                r"^.*>.%a%\\.*$",
                r"\w+`(\w+|-|.)`",
                "a(bc)+c",
                "(ab|c)x",
                "b{2}c",
                r"\{\d\}",
                "x(yz)?a",
            ];
            let flags = Flags { ignore_case, ..Flags::default() };
            let lazy = LazyRegex::new(patterns[which], flags).expect("valid");
            let plain = RegexBuilder::new(patterns[which])
                .case_insensitive(ignore_case)
                .build()
                .expect("valid");
            proptest::prop_assert_eq!(lazy.is_match(&text), plain.is_match(&text));
        }
    }
}
