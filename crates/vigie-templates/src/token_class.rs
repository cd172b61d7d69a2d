//! Classes of tokens the miner treats apart: upper-case names (`GET`, `RUNNING`), words
//! (`Active`, `alice`), and tokens that look variable (a digit or a wildcard in them).

use crate::mask::WILDCARD;

/// An upper-case word, punctuation around it aside: `GET`, `"POST`, `FAIL_TASK_CLEANUP,`.
pub(crate) fn is_upper_word(token: &str) -> bool {
    let word = token.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_');
    word.len() >= 2
        && word.as_bytes()[0].is_ascii_uppercase()
        && word
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// A token with a digit or a wildcard in it: a value, even where a template's first word is.
pub(crate) fn looks_variable(token: &str) -> bool {
    token.contains(WILDCARD) || token.bytes().any(|b| b.is_ascii_digit())
}

/// A word of three letters or more, punctuation around it aside (`Active`, `'view'`).
pub(crate) fn is_word(token: &str) -> bool {
    let word = token.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    word.len() >= 3 && word.bytes().all(|b| b.is_ascii_alphabetic())
}

/// Token class bits.
pub(crate) const UPPER: u8 = 1;
pub(crate) const WORD: u8 = 2;
