//! A thread's last few case-folded texts. Tests that no automaton answers (regular
//! expressions, mostly) read a value folded, and several rules read the same value of one
//! event: on EVTX x5, 37,475 folds were 5,550 distinct texts within their events. Entries
//! are found by their text, so a value met again, in this event or a later one, is folded
//! once.

use std::cell::RefCell;

use vigie_event::fold_case;

/// Texts kept, the oldest replaced first.
const KEPT: usize = 8;
/// Longer texts are folded each time (a script block can be megabytes).
const MAX_TEXT: usize = 1 << 16;

#[derive(Default)]
struct Memo {
    /// (text as written, its folded form).
    entries: [(String, String); KEPT],
    next: usize,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::default();
}

/// Calls `f` with `text` folded as [`fold_case`] folds it; `text` itself when folding
/// changes nothing.
pub(crate) fn with_folded<R>(text: &str, f: impl FnOnce(&str) -> R) -> R {
    if !text.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
        return f(text);
    }
    if text.len() > MAX_TEXT {
        return f(&fold_case(text));
    }
    MEMO.with_borrow_mut(|m| {
        let at = match m.entries.iter().position(|(raw, _)| raw == text) {
            Some(at) => at,
            None => {
                let at = m.next;
                m.next = (at + 1) % KEPT;
                let (raw, folded) = &mut m.entries[at];
                raw.clear();
                raw.push_str(text);
                *folded = fold_case(text);
                at
            }
        };
        f(&m.entries[at].1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn unicode_folded_and_folded_text_as_it_is() {
        with_folded("C:\\Windows\\ÉTÉ.EXE", |t| {
            assert_eq!(t, "c:\\windows\\été.exe")
        });
        with_folded("AΣ", |t| assert_eq!(t, "aσ"));
        let text = "c:\\ete";
        with_folded(text, |t| assert!(std::ptr::eq(t, text)));
    }

    proptest! {
        /// Whatever the memory holds from texts before (more than it keeps), each text comes
        /// back folded as `fold_case` folds it.
        #[test]
        fn every_text_is_folded_as_fold_case(
            texts in proptest::collection::vec("[aAbBΣσé ]{0,4}", 1..30),
        ) {
            for text in &texts {
                let want = fold_case(text);
                with_folded(text, |t| assert_eq!(t, want));
            }
        }
    }
}
