//! The online miner: masked tokens interned to numbers, groups found through a parse tree keyed
//! by token count and first token, joined by similarity, their templates generalised in place.

use std::collections::HashMap;

use foldhash::fast::RandomState;

use crate::mask::{mask_token, WILDCARD};
use crate::render::render;

/// A template's id: stable for the life of a store, numbered from 1 in order of creation.
pub type TemplateId = u32;

/// An upper-case word, punctuation around it aside: `GET`, `"POST`, `FAIL_TASK_CLEANUP,`.
fn is_upper_word(token: &str) -> bool {
    let word = token.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_');
    word.len() >= 2
        && word.as_bytes()[0].is_ascii_uppercase()
        && word
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// A token with a digit or a wildcard in it: a value, even where a template's first word is.
fn looks_variable(token: &str) -> bool {
    token.contains(WILDCARD) || token.bytes().any(|b| b.is_ascii_digit())
}

/// Token number of `<*>`.
const WILD: u32 = 0;
/// Token number of a token never interned: it equals nothing in any template.
const UNSEEN: u32 = u32::MAX;

/// The one configuration the miner uses for every kind of log.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Share of a message's tokens that must equal its group's template (a template wildcard
    /// counts only against a token that is masked whole).
    pub similarity: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config { similarity: 0.7 }
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
}

/// An online template miner. Feed it messages; ask for templates at any time.
#[derive(Debug, Clone)]
pub struct Miner {
    config: Config,
    interned: HashMap<Box<str>, u32, RandomState>,
    names: Vec<Box<str>>,
    /// Per token number: for tokens with a `<*>` inside (`rhost=<*>`), the byte lengths of the
    /// text before the first and after the last wildcard.
    shapes: Vec<Option<(u32, u32)>>,
    pub(crate) groups: Vec<Group>,
    leaves: HashMap<(u32, u32), Vec<u32>, RandomState>,
    /// Groups whose first token looks variable (`IRQ0`, `<*>:<*>`), by token count and second
    /// token: lines starting with another such token look for their group here too.
    by_second: HashMap<(u32, u32), Vec<u32>, RandomState>,
    masked: String,
    spans: Vec<(u32, u32)>,
    ids: Vec<u32>,
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
            groups: Vec::new(),
            leaves: HashMap::default(),
            by_second: HashMap::default(),
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

    fn intern(&mut self, token: &str) -> u32 {
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
    fn token_text(&self, k: usize) -> &str {
        let (a, b) = self.spans[k];
        &self.masked[a as usize..b as usize]
    }

    /// Whether the line's token `k` fits template token `t` that has a wildcard inside.
    fn fits(&self, t: u32, k: usize) -> bool {
        let Some((p, s)) = self.shapes[t as usize] else {
            return false;
        };
        let name = self.names[t as usize].as_bytes();
        let (a, b) = self.spans[k];
        let text = &self.masked.as_bytes()[a as usize..b as usize];
        text.len() >= (p + s) as usize
            && text.starts_with(&name[..p as usize])
            && text.ends_with(&name[name.len() - s as usize..])
    }

    /// Whether template token `t` and the line's token `k` are both upper-case words (`GET`,
    /// `RUNNING`, `FAIL_TASK_CLEANUP`) that differ in more than their digits (`CPU0`, `CPU1`):
    /// names of states and methods, not values, so that the line belongs to another template.
    fn both_constants(&self, t: u32, k: usize) -> bool {
        let (a, b) = self.spans[k];
        is_upper_word(&self.names[t as usize])
            && is_upper_word(&self.masked[a as usize..b as usize])
    }

    /// The token that covers both template token `t` and the line's token `k`: their common
    /// text before and after a delimiter kept, the rest `<*>`.
    fn generalise(&mut self, t: u32, k: usize) -> u32 {
        if self.fits(t, k) {
            return t;
        }
        let (a, b) = self.spans[k];
        let line = &self.masked.as_bytes()[a as usize..b as usize];
        let name = self.names[t as usize].as_bytes();
        let is_delim = |c: u8| !(c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80);
        let common = line.iter().zip(name).take_while(|(x, y)| x == y).count();
        let prefix = line[..common]
            .iter()
            .rposition(|c| is_delim(*c))
            .map_or(0, |p| p + 1);
        let room = line.len().min(name.len()) - prefix;
        let common = line
            .iter()
            .rev()
            .zip(name.iter().rev())
            .take(room)
            .take_while(|(x, y)| x == y)
            .count();
        let suffix = line[line.len() - common..]
            .iter()
            .position(|c| is_delim(*c))
            .map_or(0, |p| common - p);
        if prefix == 0 && suffix == 0 {
            return WILD;
        }
        let mut merged = String::with_capacity(prefix + suffix + WILDCARD.len());
        merged.push_str(&self.masked[a as usize..a as usize + prefix]);
        merged.push_str(WILDCARD);
        merged.push_str(&self.masked[b as usize - suffix..b as usize]);
        self.intern(&merged)
    }

    /// The best group for the current tokens among the leaf's, with its similarity.
    fn best_in(&self, leaf: Option<&Vec<u32>>, best: &mut Option<(u32, f64, usize)>) {
        let Some(leaf) = leaf else {
            return;
        };
        let n = self.ids.len().max(1) as f64;
        for &g in leaf {
            let tokens = &self.groups[g as usize].tokens;
            let mut same = 0usize;
            let mut wild = 0usize;
            for (k, (t, i)) in tokens.iter().zip(&self.ids).enumerate() {
                if *t == WILD {
                    wild += 1;
                    same += usize::from(*i == WILD);
                } else if t == i || self.fits(*t, k) {
                    same += 1;
                } else if self.both_constants(*t, k) {
                    same = 0;
                    break;
                }
            }
            let sim = same as f64 / n;
            let better = match best {
                None => true,
                Some((_, s, w)) => sim > *s || (sim == *s && wild > *w),
            };
            if better {
                *best = Some((g, sim, wild));
            }
        }
    }

    /// Adds one message; returns its group and whether it founded it.
    pub fn feed(&mut self, message: &str) -> Fed {
        self.tokenise(message);
        let len = self.ids.len() as u32;
        let first = self.ids.first().copied().unwrap_or(WILD);
        let mut best = None;
        if first != UNSEEN {
            self.best_in(self.leaves.get(&(len, first)), &mut best);
        }
        if first != WILD {
            self.best_in(self.leaves.get(&(len, WILD)), &mut best);
        }
        if len >= 2 && self.ids[1] != UNSEEN && looks_variable(self.token_text(0)) {
            self.best_in(self.by_second.get(&(len, self.ids[1])), &mut best);
        }
        if let Some((g, sim, _)) = best {
            if sim >= self.config.similarity || len == 0 {
                for k in 0..self.ids.len() {
                    let t = self.groups[g as usize].tokens[k];
                    if t != WILD && t != self.ids[k] {
                        let merged = self.generalise(t, k);
                        self.groups[g as usize].tokens[k] = merged;
                    }
                }
                self.groups[g as usize].count += 1;
                return Fed {
                    id: g + 1,
                    is_new: false,
                };
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

    /// Adds a group with these tokens (already interned) and returns its id.
    fn add_group(&mut self, tokens: Vec<u32>, count: u64) -> TemplateId {
        let g = self.groups.len() as u32;
        let key = (tokens.len() as u32, tokens.first().copied().unwrap_or(WILD));
        self.leaves.entry(key).or_default().push(g);
        if tokens.len() >= 2 && looks_variable(&self.names[tokens[0] as usize]) {
            let key = (tokens.len() as u32, tokens[1]);
            self.by_second.entry(key).or_default().push(g);
        }
        self.groups.push(Group { tokens, count });
        g + 1
    }

    /// Adds a group from its template text (tokens separated by single spaces).
    pub(crate) fn add_template(&mut self, template: &str, count: u64) -> TemplateId {
        let tokens = template
            .split(' ')
            .filter(|t| !t.is_empty())
            .map(|t| self.intern(t))
            .collect();
        self.add_group(tokens, count)
    }

    /// The tokens of a group's template, as text, joined by single spaces.
    pub(crate) fn raw_template(&self, id: TemplateId) -> Option<String> {
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

    /// How many messages a group holds (those of earlier runs included).
    pub fn count(&self, id: TemplateId) -> Option<u64> {
        Some(self.groups.get((id as usize).checked_sub(1)?)?.count)
    }

    /// Every group: id, template, count; in id order.
    pub fn templates(&self) -> impl Iterator<Item = (TemplateId, String, u64)> + '_ {
        (1..=self.groups.len() as u32)
            .filter_map(|id| Some((id, self.template(id)?, self.count(id)?)))
    }
}
