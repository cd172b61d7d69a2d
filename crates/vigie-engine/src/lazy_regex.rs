//! Regular expressions checked when rules load and compiled on first use: most never run,
//! since routing and the prefilter skip their rules, and compiling thousands costs start-up.

use std::sync::OnceLock;

use regex::{Regex, RegexBuilder};
use vigie_event::fold_case;

/// Patterns longer than this are compiled at once, so that a size-limit error is reported
/// at load time rather than found at match time.
const EAGER_ABOVE: usize = 512;
const SIZE_LIMIT: usize = 1 << 24;

/// The flags a regular expression is built with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    pub ignore_case: bool,
    pub multi_line: bool,
    pub dot_all: bool,
}

/// A regular expression, validated now and compiled when first needed.
#[derive(Debug)]
pub struct LazyRegex {
    pattern: String,
    flags: Flags,
    compiled: OnceLock<Regex>,
    /// Case-folded literals of which every match starts with one (empty: none known).
    pub(crate) literals: Vec<String>,
    /// Ids of the per-field index's contains tests for those literals (set by the index).
    pub(crate) guards: Vec<u32>,
}

impl Clone for LazyRegex {
    fn clone(&self) -> Self {
        LazyRegex {
            pattern: self.pattern.clone(),
            flags: self.flags,
            compiled: self.compiled.clone(),
            literals: self.literals.clone(),
            guards: self.guards.clone(),
        }
    }
}

impl LazyRegex {
    pub fn new(pattern: &str, flags: Flags) -> Result<LazyRegex, String> {
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(flags.ignore_case)
            .multi_line(flags.multi_line)
            .dot_matches_new_line(flags.dot_all)
            .build()
            .parse(pattern)
            .map_err(|e| e.to_string())?;
        let lazy = LazyRegex {
            pattern: pattern.to_owned(),
            flags,
            compiled: OnceLock::new(),
            literals: required_literals(&hir),
            guards: Vec::new(),
        };
        if pattern.len() > EAGER_ABOVE {
            let re = lazy.build().map_err(|e| e.to_string())?;
            let _ = lazy.compiled.set(re);
        }
        Ok(lazy)
    }

    fn build(&self) -> Result<Regex, regex::Error> {
        RegexBuilder::new(&self.pattern)
            .case_insensitive(self.flags.ignore_case)
            .multi_line(self.flags.multi_line)
            .dot_matches_new_line(self.flags.dot_all)
            .size_limit(SIZE_LIMIT)
            .build()
    }

    pub fn is_match(&self, text: &str) -> bool {
        match self.compiled.get() {
            Some(re) => re.is_match(text),
            None => match self.build() {
                Ok(re) => self.compiled.get_or_init(|| re).is_match(text),
                // Validated at load and small: a build failure here cannot happen; match nothing.
                Err(_) => false,
            },
        }
    }
}

/// Shortest literals that a match must start with, case-folded and deduplicated; empty when
/// they are not all known, or too short or too many to narrow anything down.
fn required_literals(hir: &regex_syntax::hir::Hir) -> Vec<String> {
    let seq = regex_syntax::hir::literal::Extractor::new().extract(hir);
    let Some(lits) = seq.literals() else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for l in lits {
        match std::str::from_utf8(l.as_bytes()) {
            Ok(t) if t.len() >= 3 => out.push(fold_case(t)),
            _ => return Vec::new(),
        }
    }
    out.sort();
    out.dedup();
    if out.is_empty() || out.len() > 32 {
        return Vec::new();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
