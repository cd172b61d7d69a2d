//! Regular expressions that are one character class repeated, anchored or not
//! (`.{1000,}`, `^[A-Za-z0-9]{16}$`): answered by counting the characters of a run, without
//! an automaton. The lazy DFA of `.{1000}` has a state per count and took tens of
//! microseconds on each long command line.

use regex_syntax::hir::{Class, ClassUnicode, Hir, HirKind, Look};

/// `class{min,max}`, tied to the start and / or the end of the text.
#[derive(Clone, Debug)]
pub(crate) struct ClassRun {
    class: ClassUnicode,
    /// The class's ASCII characters, a bit each (most text is ASCII).
    ascii: u128,
    min: u32,
    max: Option<u32>,
    start: bool,
    end: bool,
}

impl ClassRun {
    /// The run `hir` is, if it is one: a repetition of a Unicode class, alone or between
    /// the text's start (`^` without multi-line) and end (`$`).
    pub(crate) fn of(hir: &Hir) -> Option<ClassRun> {
        let (start, rep, end) = match hir.kind() {
            HirKind::Concat(parts) => match parts.as_slice() {
                [a, r] if is_look(a, Look::Start) => (true, r, false),
                [r, z] if is_look(z, Look::End) => (false, r, true),
                [a, r, z] if is_look(a, Look::Start) && is_look(z, Look::End) => (true, r, true),
                _ => return None,
            },
            _ => (false, hir, false),
        };
        // A class repeated once is written as the class alone.
        let (sub, min, max) = match rep.kind() {
            HirKind::Repetition(r) => (&*r.sub, r.min, r.max),
            _ => (rep, 1, Some(1)),
        };
        let HirKind::Class(Class::Unicode(class)) = sub.kind() else {
            return None;
        };
        let ascii = (0u8..128)
            .filter(|&b| in_ranges(class, char::from(b)))
            .fold(0u128, |bits, b| bits | 1 << b);
        Some(ClassRun {
            class: class.clone(),
            ascii,
            min,
            max,
            start,
            end,
        })
    }

    /// Whether the expression matches somewhere in `text`.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        let min = self.min as usize;
        // Fewer bytes than the characters needed: no run is long enough (`(.){200,}` on a
        // short command line), without walking the text.
        if min > text.len() {
            return false;
        }
        let within = |c: char| match u32::from(c) {
            b @ 0..128 => self.ascii >> b & 1 == 1,
            _ => in_ranges(&self.class, c),
        };
        match (self.start, self.end) {
            // The whole text: each character in the class, as many as allowed.
            (true, true) => {
                let n = text.chars().count();
                n >= min && self.max.is_none_or(|max| n <= max as usize) && text.chars().all(within)
            }
            (true, false) => text.chars().take(min).filter(|&c| within(c)).count() == min,
            (false, true) => text.chars().rev().take(min).filter(|&c| within(c)).count() == min,
            // Anywhere: some run of the class at least `min` long.
            (false, false) => {
                let mut run = 0usize;
                min == 0
                    || text.chars().any(|c| {
                        run = if within(c) { run + 1 } else { 0 };
                        run >= min
                    })
            }
        }
    }
}

/// Whether `c` is in the class: its ranges are sorted and apart (`\w` has hundreds).
fn in_ranges(class: &ClassUnicode, c: char) -> bool {
    class
        .ranges()
        .binary_search_by(|r| {
            if r.end() < c {
                std::cmp::Ordering::Less
            } else if r.start() > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

fn is_look(hir: &Hir, look: Look) -> bool {
    matches!(hir.kind(), HirKind::Look(l) if *l == look)
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::RegexBuilder;

    fn run(pattern: &str) -> Option<ClassRun> {
        ClassRun::of(&regex_syntax::parse(pattern).expect("valid"))
    }

    #[test]
    fn only_a_repeated_class_is_a_run() {
        assert!(run(".{1000,}").is_some());
        assert!(run("^[A-Za-z0-9]{16}$").is_some());
        assert!(run(r"\d+$").is_some());
        assert!(run(r"^\w$").is_some(), "a class once");
        assert!(run("a{3}").is_none(), "a literal, not a class");
        assert!(run("(?m)^.{3}").is_none(), "a line's start");
        assert!(run(".{3}x").is_none());
        assert!(run(r"\b\w{3}").is_none());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Counting agrees with the regex crate on every shape of run.
        #[test]
        fn counting_agrees_with_the_regex(
            class in 0usize..7,
            counts in (0u32..5, proptest::option::of(0u32..4)),
            start: bool,
            end: bool,
            ignore_case: bool,
            text in "[aZ09_ é\n\u{212a}\u{4e00}\u{1d7d8}-]{0,12}",
        ) {
            const CLASSES: [&str; 7] = [".", "[A-Za-z0-9]", r"\w", "[^a]", r"\s", "[a-fé]", r"\d"];
            let (min, extra) = counts;
            let max = extra.map(|e| (min + e).to_string()).unwrap_or_default();
            let pattern = format!(
                "{}{}{{{min},{max}}}{}",
                if start { "^" } else { "" },
                CLASSES[class],
                if end { "$" } else { "" },
            );
            let hir = regex_syntax::ParserBuilder::new()
                .case_insensitive(ignore_case)
                .build()
                .parse(&pattern)
                .expect("valid");
            // `x{0}` is the empty expression, not a run.
            let Some(counted) = ClassRun::of(&hir) else {
                proptest::prop_assert_eq!(extra, Some(0));
                proptest::prop_assert_eq!(min, 0);
                return Ok(());
            };
            let regex = RegexBuilder::new(&pattern)
                .case_insensitive(ignore_case)
                .build()
                .expect("valid");
            proptest::prop_assert_eq!(counted.is_match(&text), regex.is_match(&text), "{}", pattern);
        }
    }
}
