//! A regular expression compiled for one question, whether it matches somewhere: a forward
//! lazy DFA over a Thompson NFA without capture groups, skipping to the expression's literal
//! prefixes where it has any, and a Pike VM for the texts the DFA gives up on (a Unicode word
//! boundary next to non-ASCII text). The `regex` crate's `Regex` also compiles a reversed NFA
//! (to find where a match starts), a one-pass DFA, a backtracker and, for small expressions,
//! a full DFA: most of its build, which a rule never uses.

use regex_automata::hybrid::dfa::{Cache as DfaCache, DFA};
use regex_automata::nfa::thompson::pikevm::{Cache as VmCache, PikeVM};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::util::prefilter::Prefilter;
use regex_automata::{Input, MatchKind};
use regex_syntax::hir::Hir;

/// Each thread's search state: the DFA's states met so far, the Pike VM's when it was needed.
struct Caches {
    dfa: Option<DfaCache>,
    vm: Option<VmCache>,
}

type MakeCaches = Box<dyn Fn() -> Caches + Send + Sync>;

/// A compiled expression and its threads' search states.
pub(crate) struct ForwardRegex {
    /// `None` when the lazy DFA would not build (an NFA too large for its cache): the Pike VM
    /// answers alone.
    dfa: Option<DFA>,
    vm: PikeVM,
    caches: Pool<Caches, MakeCaches>,
}

impl std::fmt::Debug for ForwardRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ForwardRegex")
    }
}

impl ForwardRegex {
    /// Compiles `hir` (flags already applied); an NFA larger than `size_limit` bytes is an
    /// error.
    pub(crate) fn new(hir: &Hir, size_limit: usize) -> Result<ForwardRegex, String> {
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .which_captures(WhichCaptures::Implicit)
                    .nfa_size_limit(Some(size_limit)),
            )
            .build_from_hir(hir)
            .map_err(|e| e.to_string())?;
        // As the `regex` crate configures its lazy DFA: it gives up (and the Pike VM
        // answers) where it would keep clearing its cache for little progress.
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .unicode_word_boundary(true)
                    .prefilter(Prefilter::from_hir_prefix(MatchKind::LeftmostFirst, hir))
                    .minimum_cache_clear_count(Some(3))
                    .minimum_bytes_per_state(Some(10)),
            )
            .build_from_nfa(nfa.clone())
            .ok();
        let vm = PikeVM::new_from_nfa(nfa).map_err(|e| e.to_string())?;
        let for_caches = dfa.clone();
        let make: MakeCaches = Box::new(move || Caches {
            dfa: for_caches.as_ref().map(DFA::create_cache),
            vm: None,
        });
        Ok(ForwardRegex {
            dfa,
            vm,
            caches: Pool::new(make),
        })
    }

    /// Whether the expression matches somewhere in `text`.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        let input = Input::new(text).earliest(true);
        let mut caches = self.caches.get();
        let Caches {
            dfa: dfa_cache,
            vm: vm_cache,
        } = &mut *caches;
        if let (Some(dfa), Some(cache)) = (&self.dfa, dfa_cache.as_mut()) {
            if let Ok(found) = dfa.try_search_fwd(cache, &input) {
                return found.is_some();
            }
        }
        let vm = &self.vm;
        let cache = vm_cache.get_or_insert_with(|| vm.create_cache());
        vm.is_match(cache, input)
    }
}

#[cfg(test)]
mod tests {
    use super::ForwardRegex;

    fn forward(pattern: &str) -> ForwardRegex {
        let hir = regex_syntax::Parser::new().parse(pattern).expect("valid");
        ForwardRegex::new(&hir, 1 << 20).expect("compiles")
    }

    /// Where the lazy DFA gives up (a Unicode word boundary beside non-ASCII text), the Pike VM
    /// answers, as the `regex` crate does.
    #[test]
    fn agrees_with_the_regex_crate_beside_non_ascii_text() {
        let patterns = [r"\bkiwi\b", r"\w+\b::", r"(?i)\bmimi", r"^\W*é", r"kiwi$"];
        let texts = [
            "kiwi",
            "é kiwi é",
            "ékiwi",
            "kiwié",
            "lsadump::sam",
            "éé::",
            "MIMIkatz",
            "ÉMIMI",
            "  é",
            "a kiwi",
            "",
        ];
        for p in patterns {
            let ours = forward(p);
            let theirs = regex::Regex::new(p).expect("valid");
            for t in texts {
                assert_eq!(ours.is_match(t), theirs.is_match(t), "{p} on {t:?}");
            }
        }
    }

    /// Without a lazy DFA (one that would not build), the Pike VM answers every text.
    #[test]
    fn the_pike_vm_answers_alone_without_a_dfa() {
        for p in [r"\bkiwi\b", r"(?i)lsadump::\w+", r"^[a-f0-9]{8}$"] {
            let mut ours = forward(p);
            ours.dfa = None;
            let theirs = regex::Regex::new(p).expect("valid");
            for t in [
                "kiwi",
                "LSADUMP::sam",
                "deadbeef",
                "deadbeef0",
                "é kiwi",
                "",
            ] {
                assert_eq!(ours.is_match(t), theirs.is_match(t), "{p} on {t:?}");
            }
        }
    }

    /// An expression whose NFA is larger than the limit is refused.
    #[test]
    fn the_size_limit_holds() {
        let hir = regex_syntax::Parser::new()
            .parse(r"\w{100}")
            .expect("valid");
        assert!(ForwardRegex::new(&hir, 1 << 10).is_err());
    }
}
