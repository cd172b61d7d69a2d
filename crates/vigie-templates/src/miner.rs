//! The online miner: masked tokens interned to numbers, groups found through a parse tree keyed
//! by token count and first token, joined by similarity, their templates generalised in place.

use std::collections::HashMap;

use foldhash::fast::RandomState;

use crate::mask::{mask_token, WILDCARD};
use crate::render::render;
use crate::token_class::{is_upper_word, is_word, looks_variable, UPPER, WORD};

/// A template's id: stable for the life of a store, numbered from 1 in order of creation.
pub type TemplateId = u32;

/// Token number of `<*>`.
pub(crate) const WILD: u32 = 0;
/// Token number of a token never interned: it equals nothing in any template.
pub(crate) const UNSEEN: u32 = u32::MAX;

/// The one configuration the miner uses for every kind of log.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Share of a message's tokens that must equal its group's template (a template wildcard
    /// counts only against a token that is masked whole).
    pub similarity: f64,
    /// How many different words a position must have seen before it becomes a wildcard
    /// (`session opened for user <*>`); until then each word founds its own template, as
    /// `Active` / `Inactive` or `view` / `modify` should.
    pub distinct_words: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            similarity: 0.7,
            distinct_words: 3,
        }
    }
}

/// What the miner answered for one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fed {
    /// The group the message joined.
    pub id: TemplateId,
    /// True when the message founded that group (a template the miner had not seen).
    pub is_new: bool,
}

/// One group: its template as token numbers and how many messages it holds.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub(crate) tokens: Vec<u32>,
    pub(crate) count: u64,
    /// Set when the group was absorbed by a more general one (its lines belong there now).
    pub(crate) merged_into: Option<u32>,
}

/// An online template miner. Feed it messages; ask for templates at any time.
#[derive(Debug, Clone)]
pub struct Miner {
    pub(crate) config: Config,
    pub(crate) interned: HashMap<Box<str>, u32, RandomState>,
    pub(crate) names: Vec<Box<str>>,
    /// Per token number: for tokens with a `<*>` inside (`rhost=<*>`), the byte lengths of the
    /// text before the first and after the last wildcard.
    pub(crate) shapes: Vec<Option<(u32, u32)>>,
    /// Per token number: `UPPER` and / or `WORD` (see [`is_upper_word`], [`is_word`]).
    pub(crate) classes: Vec<u8>,
    pub(crate) groups: Vec<Group>,
    pub(crate) leaves: HashMap<(u32, u32), Vec<u32>, RandomState>,
    /// Groups whose first token looks variable (`IRQ0`, `<*>:<*>`), by token count and second
    /// token: lines starting with another such token look for their group here too.
    pub(crate) by_second: HashMap<(u32, u32), Vec<u32>, RandomState>,
    /// Per (group, position): how many different words lines have had where the group's
    /// template has a word (its own counted).
    pub(crate) word_values: HashMap<(u32, u32), u32, RandomState>,
    pub(crate) masked: String,
    pub(crate) spans: Vec<(u32, u32)>,
    pub(crate) ids: Vec<u32>,
}

impl Default for Miner {
    fn default() -> Self {
        Miner::new(Config::default())
    }
}

impl Miner {
    pub fn new(config: Config) -> Self {
        let mut m = Miner {
            config,
            interned: HashMap::default(),
            names: Vec::new(),
            shapes: Vec::new(),
            classes: Vec::new(),
            groups: Vec::new(),
            leaves: HashMap::default(),
            by_second: HashMap::default(),
            word_values: HashMap::default(),
            masked: String::new(),
            spans: Vec::new(),
            ids: Vec::new(),
        };
        m.intern(WILDCARD);
        m
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Number of groups (templates) known.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    pub(crate) fn intern(&mut self, token: &str) -> u32 {
        if let Some(&n) = self.interned.get(token) {
            return n;
        }
        let n = self.names.len() as u32;
        let shape = match (token.find(WILDCARD), token.rfind(WILDCARD)) {
            (Some(a), Some(b)) if token != WILDCARD => {
                Some((a as u32, (token.len() - b - WILDCARD.len()) as u32))
            }
            _ => None,
        };
        self.shapes.push(shape);
        let upper = if is_upper_word(token) { UPPER } else { 0 };
        self.classes
            .push(upper | if is_word(token) { WORD } else { 0 });
        self.names.push(token.into());
        self.interned.insert(token.into(), n);
        n
    }

    /// Masks `message` into the scratch buffers: token spans and token numbers.
    fn tokenise(&mut self, message: &str) {
        self.masked.clear();
        self.spans.clear();
        self.ids.clear();
        for token in message.split_ascii_whitespace() {
            let start = self.masked.len();
            mask_token(token, &mut self.masked);
            self.spans.push((start as u32, self.masked.len() as u32));
        }
        for &(s, e) in &self.spans {
            let text = &self.masked[s as usize..e as usize];
            self.ids
                .push(self.interned.get(text).copied().unwrap_or(UNSEEN));
        }
    }

    /// The masked text of the line's token `k`.
    pub(crate) fn token_text(&self, k: usize) -> &str {
        let (a, b) = self.spans[k];
        &self.masked[a as usize..b as usize]
    }

    /// Joins group `g`: its template generalised where the line differs.
    pub(crate) fn join(&mut self, g: u32) -> Fed {
        for k in 0..self.ids.len() {
            let t = self.groups[g as usize].tokens[k];
            if t != WILD && t != self.ids[k] {
                let merged = self.generalise(t, k);
                if merged != t {
                    self.set_token(g, k, merged);
                }
            }
        }
        self.groups[g as usize].count += 1;
        Fed {
            id: g + 1,
            is_new: false,
        }
    }

    /// Makes position `p` of group `g` a wildcard and absorbs the groups of its leaf that
    /// differ from it only there (the earlier lines whose word was kept apart).
    fn widen(&mut self, g: u32, p: usize) {
        let old = self.groups[g as usize].tokens.clone();
        let (leaf_key, _) = self.keys(&old);
        self.set_token(g, p, WILD);
        let tokens = self.groups[g as usize].tokens.clone();
        let siblings: Vec<u32> = self.leaves.get(&leaf_key).cloned().unwrap_or_default();
        for s in siblings {
            let other = &self.groups[s as usize];
            if s == g || other.merged_into.is_some() {
                continue;
            }
            let covered = tokens
                .iter()
                .zip(&other.tokens)
                .all(|(t, o)| *t == WILD || t == o);
            if covered {
                let count = other.count;
                let other_tokens = other.tokens.clone();
                self.unregister(s, &other_tokens);
                self.groups[s as usize].merged_into = Some(g);
                self.groups[g as usize].count += count;
            }
        }
    }

    /// Adds one message; returns its group and whether it founded it.
    pub fn feed(&mut self, message: &str) -> Fed {
        self.tokenise(message);
        let len = self.ids.len() as u32;
        let first = self.ids.first().copied().unwrap_or(WILD);
        let (mut best, mut near) = (None, None);
        if first != UNSEEN {
            self.best_in(self.leaves.get(&(len, first)), &mut best, &mut near);
        }
        if first != WILD {
            self.best_in(self.leaves.get(&(len, WILD)), &mut best, &mut near);
        }
        if len >= 2 && self.ids[1] != UNSEEN && looks_variable(self.token_text(0)) {
            self.best_in(
                self.by_second.get(&(len, self.ids[1])),
                &mut best,
                &mut near,
            );
        }
        if let Some(c) = best {
            if c.sim >= self.config.similarity || len == 0 {
                return self.join(c.group);
            }
        }
        if let Some(c) = near {
            if c.sim >= self.config.similarity {
                let seen = self
                    .word_values
                    .entry((c.group, c.position as u32))
                    .or_insert(1);
                *seen += 1;
                if *seen >= self.config.distinct_words {
                    self.widen(c.group, c.position);
                    return self.join(c.group);
                }
            }
        }
        let mut tokens = Vec::with_capacity(self.spans.len());
        for k in 0..self.spans.len() {
            let (s, e) = self.spans[k];
            let text = self.masked[s as usize..e as usize].to_owned();
            tokens.push(self.intern(&text));
        }
        let id = self.add_group(tokens, 1);
        Fed { id, is_new: true }
    }

    /// Adds a group from its template text (tokens separated by single spaces).
    /// `merged_into` is the index of the group that absorbed this one.
    pub(crate) fn add_template(
        &mut self,
        template: &str,
        count: u64,
        merged_into: Option<u32>,
    ) -> TemplateId {
        let tokens = template
            .split(' ')
            .filter(|t| !t.is_empty())
            .map(|t| self.intern(t))
            .collect();
        let id = self.add_group(tokens, count);
        if merged_into.is_some() {
            let g = id - 1;
            let tokens = self.groups[g as usize].tokens.clone();
            self.unregister(g, &tokens);
            self.groups[g as usize].merged_into = merged_into;
        }
        id
    }

    /// The raw template of group index `k` itself (not of the group that absorbed it).
    pub(crate) fn raw_group_template(&self, k: usize) -> String {
        let Some(g) = self.groups.get(k) else {
            return String::new();
        };
        let names: Vec<&str> = g.tokens.iter().map(|t| &*self.names[*t as usize]).collect();
        names.join(" ")
    }

    /// The group a template id stands for now: itself, or the group that absorbed it (a
    /// position that had held a word in each became a wildcard). Ids answered by
    /// [`Miner::feed`] stay valid; this says where their lines belong at the end.
    pub fn resolve(&self, id: TemplateId) -> TemplateId {
        let mut g = id;
        // Each absorption points to an older, live group: the chain ends.
        for _ in 0..self.groups.len() {
            match self
                .groups
                .get((g as usize).wrapping_sub(1))
                .and_then(|x| x.merged_into)
            {
                Some(into) => g = into + 1,
                None => break,
            }
        }
        g
    }

    /// The tokens of a group's template, as text, joined by single spaces.
    pub(crate) fn raw_template(&self, id: TemplateId) -> Option<String> {
        let id = self.resolve(id);
        let g = self.groups.get((id as usize).checked_sub(1)?)?;
        let mut s = String::new();
        for (k, &t) in g.tokens.iter().enumerate() {
            if k > 0 {
                s.push(' ');
            }
            s.push_str(&self.names[t as usize]);
        }
        Some(s)
    }

    /// The template of a group now, in the benchmark's convention (`<*>` for variable parts).
    pub fn template(&self, id: TemplateId) -> Option<String> {
        self.raw_template(id).map(|t| render(&t))
    }

    /// How many messages a group holds (those of earlier runs and of absorbed groups included).
    pub fn count(&self, id: TemplateId) -> Option<u64> {
        let id = self.resolve(id);
        Some(self.groups.get((id as usize).checked_sub(1)?)?.count)
    }

    /// Every group not absorbed by another: id, template, count; in id order.
    pub fn templates(&self) -> impl Iterator<Item = (TemplateId, String, u64)> + '_ {
        (1..=self.groups.len() as u32)
            .filter(|id| self.resolve(*id) == *id)
            .filter_map(|id| Some((id, self.template(id)?, self.count(id)?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_stay_apart_until_a_position_has_seen_several() {
        let mut m = Miner::default();
        let active = m.feed("Location icon should now be in state 'Active'");
        let inactive = m.feed("Location icon should now be in state 'Inactive'");
        assert!(active.is_new && inactive.is_new && active.id != inactive.id);
        assert_eq!(
            m.feed("Location icon should now be in state 'Active'").id,
            active.id
        );

        let a = m.feed("session opened for user alice by sshd");
        let b = m.feed("session opened for user bob by sshd");
        assert!(b.is_new, "two words: still two templates");
        let c = m.feed("session opened for user carol by sshd");
        assert!(!c.is_new, "a third word makes the position a wildcard");
        assert_eq!(m.resolve(a.id), m.resolve(b.id));
        assert_eq!(m.resolve(b.id), c.id);
        assert_eq!(
            m.template(b.id).as_deref(),
            Some("session opened for user <*> by sshd")
        );
        assert_eq!(m.feed("session opened for user bob by sshd").id, c.id);
        let all: Vec<_> = m.templates().collect();
        assert_eq!(all.len(), 3, "{all:?}");
    }

    #[test]
    fn upper_case_names_never_merge() {
        let mut m = Miner::default();
        let ids: Vec<_> = [
            "NEW to SCHEDULED",
            "SCHEDULED to RUNNING",
            "RUNNING to SUCCEEDED",
            "NEW to FAILED",
        ]
        .iter()
        .map(|s| m.feed(&format!("task_0001 Task Transitioned from {s}")).id)
        .collect();
        let distinct: std::collections::BTreeSet<_> = ids.iter().map(|id| m.resolve(*id)).collect();
        assert_eq!(distinct.len(), 4, "{ids:?}");
    }
}
