//! Literals found in a regular expression's syntax, to skip it where it cannot match: the
//! bytes every match holds as written (checked before running it), and the case-folded
//! literals one of which every match holds (the per-field index looks for them, so that the
//! rule is not even tried on an event without them).

use regex_syntax::hir::{Class, Hir, HirKind};
use vigie_event::fold_case;

/// Case-folded literals one of which every match of `hir` holds (empty: none known): the
/// literals matches start with, or the longest one every match holds somewhere when that is
/// longer than the shortest of them (`werfaultsecure.exe` rather than `.exe` in
/// `\.exe["']?\s+[^"]{0,64}werfaultsecure\.exe`).
pub(crate) fn guard_literals(hir: &Hir) -> Vec<String> {
    let prefixes = prefix_literals(hir);
    let shortest = prefixes.iter().map(String::len).min().unwrap_or(0);
    match folded_inner(hir) {
        Some(inner) if inner.len() >= 3 && inner.len() > shortest => vec![inner],
        _ => prefixes,
    }
}

/// The longest case-folded text that every match of `hir` holds once folded: runs of
/// literals and of classes whose characters all fold alike (`[Kk\u{212A}]`, as `(?i)k`
/// is), and what a group or a repetition done at least once requires.
fn folded_inner(hir: &Hir) -> Option<String> {
    longest_run(hir, &folded_piece).and_then(|run| String::from_utf8(run).ok())
}

/// The longest run of what `piece` gives for consecutive parts that every match of `hir`
/// holds: runs in a concatenation, and what a group or a repetition done at least once
/// requires.
fn longest_run(hir: &Hir, piece: &dyn Fn(&Hir) -> Option<Vec<u8>>) -> Option<Vec<u8>> {
    if let Some(one) = piece(hir) {
        return Some(one);
    }
    match hir.kind() {
        HirKind::Capture(cap) => longest_run(&cap.sub, piece),
        HirKind::Repetition(rep) if rep.min >= 1 => longest_run(&rep.sub, piece),
        HirKind::Concat(parts) => {
            let mut best: Option<Vec<u8>> = None;
            let mut keep = |cand: Vec<u8>| {
                if !cand.is_empty() && best.as_ref().is_none_or(|b| cand.len() > b.len()) {
                    best = Some(cand);
                }
            };
            let mut run = Vec::new();
            for part in parts {
                if let Some(p) = piece(part) {
                    run.extend_from_slice(&p);
                    continue;
                }
                keep(std::mem::take(&mut run));
                if let Some(inner) = longest_run(part, piece) {
                    keep(inner);
                }
            }
            keep(run);
            best
        }
        _ => None,
    }
}

/// The folded text of a literal, or of a class of a few characters that all fold to it.
fn folded_piece(hir: &Hir) -> Option<Vec<u8>> {
    match hir.kind() {
        HirKind::Literal(lit) => std::str::from_utf8(&lit.0)
            .ok()
            .map(|t| fold_case(t).into_bytes()),
        HirKind::Class(Class::Unicode(class)) => {
            let mut chars = class
                .ranges()
                .iter()
                .flat_map(|r| r.start()..=r.end())
                .take(9);
            let first = fold_case(chars.next()?.encode_utf8(&mut [0; 4]));
            let mut n = 1;
            for c in chars {
                n += 1;
                if n > 8 || fold_case(c.encode_utf8(&mut [0; 4])) != first {
                    return None;
                }
            }
            Some(first.into_bytes())
        }
        _ => None,
    }
}

/// The longest run of bytes that every match of `hir` holds, as written (a case-insensitive
/// letter is a class, not a literal, so it never is one).
pub(crate) fn inner_literal(hir: &Hir) -> Option<Vec<u8>> {
    longest_run(hir, &|h| match h.kind() {
        HirKind::Literal(lit) => Some(lit.0.to_vec()),
        _ => None,
    })
}

/// Shortest literals that a match must start with, case-folded and deduplicated; empty when
/// they are not all known, or too short or too many to narrow anything down.
fn prefix_literals(hir: &Hir) -> Vec<String> {
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

    fn guards(pattern: &str) -> Vec<String> {
        guard_literals(&regex_syntax::parse(pattern).expect("valid"))
    }

    #[test]
    fn the_longer_inner_literal_is_the_guard() {
        assert_eq!(
            guards(r#"(?i)\.exe["']?\s+[^"]{0,64}werfaultsecure\.exe["']?\s+\d{2,10}"#),
            // `(?i)s` may be the long s, which folds to itself: the run starts after it.
            vec!["ecure.exe"]
        );
        assert_eq!(guards(r"Invoke-Mimikatz"), vec!["invoke-mimikatz"]);
        assert_eq!(guards(r"(foo|Bar)baz.*"), vec!["barbaz", "foobaz"]);
        // `(?i)k` may be the Kelvin sign, which folds to `k`: the run goes on through it.
        assert_eq!(guards(r"(?i)\\[a-z]+\\Kerberos\.dll"), vec!["\\kerbero"]);
        assert_eq!(guards(r"(?i)\d+xyzsab"), vec!["xyz"]);
        assert!(guards(r"\w+\d{3}").is_empty());
        assert!(guards(r"[a-z]{2}ab").is_empty(), "too short");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// Wherever an expression matches, the folded text holds one of its guards.
        #[test]
        fn a_match_holds_a_guard(
            pieces in proptest::collection::vec(0usize..14, 1..7),
            ignore_case: bool,
            text in "[a-dkKsS\u{212a}\u{17f}.1 ]{0,14}|x?(sk|Ks|abc|\u{17f}K\u{212a}|dab)[a-d1]{0,4}",
        ) {
            const PIECES: [&str; 14] = [
                "a", "b", "sk", "K", r"\.", "(?:ab)?", r"\d+", "[a-c]", "(?:ab|cd)", "dab",
                "c+", "(s|k)", "(?:abc){1,2}", ".",
            ];
            let pattern: String = pieces.iter().map(|&i| PIECES[i]).collect();
            let hir = regex_syntax::ParserBuilder::new()
                .case_insensitive(ignore_case)
                .build()
                .parse(&pattern)
                .expect("valid");
            let guards = guard_literals(&hir);
            let regex = regex::RegexBuilder::new(&pattern)
                .case_insensitive(ignore_case)
                .build()
                .expect("valid");
            if !guards.is_empty() && regex.is_match(&text) {
                let folded = fold_case(&text);
                proptest::prop_assert!(
                    guards.iter().any(|g| folded.contains(g.as_str())),
                    "{} matches {:?} but {:?} holds none of {:?}", pattern, text, folded, guards
                );
            }
        }
    }
}
