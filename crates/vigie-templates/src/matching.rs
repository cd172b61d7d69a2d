//! How a line is compared with a group's template: similarity, tokens that fit a template
//! token with a wildcard inside, conflicts between words and names, and the generalisation of a
//! template token to cover a line's.

use crate::mask::WILDCARD;
use crate::miner::{Miner, WILD};
use crate::token_class::{is_upper_word, is_word, UPPER, WORD};

/// How a template token and a line token that are not equal differ.
pub(crate) enum Conflict {
    /// Not two words: the position may become a wildcard.
    None,
    /// Two different upper-case names: another template.
    Name,
    /// Two different words: another template until the position has seen enough words.
    Word,
}

/// A group the line may join, with its similarity and wildcard count.
pub(crate) struct Candidate {
    pub(crate) group: u32,
    pub(crate) sim: f64,
    pub(crate) wild: usize,
}

/// A group the line would join but for one word, at `position`.
pub(crate) struct Near {
    pub(crate) group: u32,
    pub(crate) sim: f64,
    pub(crate) position: usize,
}

impl Miner {
    /// Whether the line's token `k` fits template token `t` that has a wildcard inside.
    pub(crate) fn fits(&self, t: u32, k: usize) -> bool {
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

    /// How template token `t` and the line's token `k` differ: two upper-case words apart in
    /// more than digits (`GET` / `POST`, `RUNNING` / `FAILED`, not `CPU0` / `CPU1`) name
    /// different templates; two other words (`alice` / `bob`, `view` / `modify`) might.
    pub(crate) fn conflict(&self, t: u32, k: usize) -> Conflict {
        let class = self.classes[t as usize];
        if class == 0 {
            return Conflict::None;
        }
        let (name, text) = (&self.names[t as usize], self.token_text(k));
        let letters = |s: &str| {
            s.bytes()
                .filter(|b| !b.is_ascii_digit())
                .collect::<Vec<u8>>()
        };
        if class & UPPER != 0 && is_upper_word(text) && letters(name) != letters(text) {
            Conflict::Name
        } else if class & WORD != 0 && is_word(text) {
            Conflict::Word
        } else {
            Conflict::None
        }
    }

    /// The token that covers both template token `t` and the line's token `k`: their common
    /// text before and after a delimiter kept, the rest `<*>`.
    pub(crate) fn generalise(&mut self, t: u32, k: usize) -> u32 {
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

    /// The best group for the current tokens among the leaf's. A group whose template differs
    /// from the line in one word only (`user alice` against `user bob`) is not a match but a
    /// near match, kept in `near` with the position of that word.
    pub(crate) fn best_in(
        &self,
        leaf: Option<&Vec<u32>>,
        best: &mut Option<Candidate>,
        near: &mut Option<Near>,
    ) {
        let Some(leaf) = leaf else {
            return;
        };
        let n = self.ids.len().max(1) as f64;
        for &g in leaf {
            let group = &self.groups[g as usize];
            if group.merged_into.is_some() {
                continue;
            }
            let (mut same, mut wild, mut words, mut word_at) = (0usize, 0usize, 0usize, 0usize);
            let mut blocked = false;
            for (k, (t, i)) in group.tokens.iter().zip(&self.ids).enumerate() {
                if *t == WILD {
                    wild += 1;
                    same += usize::from(*i == WILD);
                } else if t == i || self.fits(*t, k) {
                    same += 1;
                } else {
                    match self.conflict(*t, k) {
                        Conflict::None => {}
                        Conflict::Name => {
                            blocked = true;
                            break;
                        }
                        Conflict::Word => {
                            words += 1;
                            word_at = k;
                        }
                    }
                }
            }
            if blocked || words > 1 {
                continue;
            }
            let sim = same as f64 / n;
            if words == 1 {
                // The word would count as a wildcard once merged.
                let sim = (same + 1) as f64 / n;
                if near.as_ref().is_none_or(|c| sim > c.sim) {
                    *near = Some(Near {
                        group: g,
                        sim,
                        position: word_at,
                    });
                }
                continue;
            }
            let better = match best {
                None => true,
                Some(c) => sim > c.sim || (sim == c.sim && wild > c.wild),
            };
            if better {
                *best = Some(Candidate {
                    group: g,
                    sim,
                    wild,
                });
            }
        }
    }
}
