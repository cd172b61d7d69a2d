//! The parse tree: groups filed by (token count, first token), and by (token count, second
//! token) when the first looks variable; leaves kept in group order, so that the tree is a
//! function of the templates alone and a store read back rebuilds it exactly.

use crate::miner::{Group, Miner, TemplateId, WILD};
use crate::token_class::looks_variable;

impl Miner {
    /// Adds a group with these tokens (already interned) and returns its id.
    pub(crate) fn add_group(&mut self, tokens: Vec<u32>, count: u64) -> TemplateId {
        let g = self.groups.len() as u32;
        self.groups.push(Group {
            tokens,
            count,
            merged_into: None,
        });
        self.register(g);
        g + 1
    }

    /// The tree keys of a template: (count, first token), and (count, second token) when the
    /// first token looks variable.
    pub(crate) fn keys(&self, tokens: &[u32]) -> ((u32, u32), Option<(u32, u32)>) {
        let len = tokens.len() as u32;
        let second = (tokens.len() >= 2 && looks_variable(&self.names[tokens[0] as usize]))
            .then(|| (len, tokens[1]));
        ((len, tokens.first().copied().unwrap_or(WILD)), second)
    }

    /// Puts group `g` in the tree under its template's keys, leaves kept in group order (so
    /// that the tree is a function of the templates alone, as a store read back rebuilds it).
    pub(crate) fn register(&mut self, g: u32) {
        let (first, second) = self.keys(&self.groups[g as usize].tokens);
        let leaf = self.leaves.entry(first).or_default();
        if let Err(at) = leaf.binary_search(&g) {
            leaf.insert(at, g);
        }
        if let Some(key) = second {
            let leaf = self.by_second.entry(key).or_default();
            if let Err(at) = leaf.binary_search(&g) {
                leaf.insert(at, g);
            }
        }
    }

    /// Takes group `g` out of the tree, as filed under the keys of `tokens`.
    pub(crate) fn unregister(&mut self, g: u32, tokens: &[u32]) {
        let (first, second) = self.keys(tokens);
        if let Some(leaf) = self.leaves.get_mut(&first) {
            leaf.retain(|x| *x != g);
        }
        if let Some(leaf) = second.and_then(|k| self.by_second.get_mut(&k)) {
            leaf.retain(|x| *x != g);
        }
    }

    /// Sets token `k` of group `g`, moving the group in the tree when a key token changes.
    pub(crate) fn set_token(&mut self, g: u32, k: usize, token: u32) {
        if k < 2 {
            let old = self.groups[g as usize].tokens.clone();
            self.unregister(g, &old);
            self.groups[g as usize].tokens[k] = token;
            self.register(g);
        } else {
            self.groups[g as usize].tokens[k] = token;
        }
    }
}
