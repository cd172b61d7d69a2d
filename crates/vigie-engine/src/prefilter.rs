//! The literal prefilter: most rules can only match an event whose values contain one of a
//! few literal strings. Every such literal of every rule goes into one Aho-Corasick
//! automaton; each event's values are folded to lower case and scanned once; a rule is
//! evaluated only when one of its required literals was found (or when it has none).
//!
//! Soundness: a rule's required set is derived so that whenever the rule holds, one of the
//! literals occurs in the folded text of the event's values (matching folds case the same way).

use std::collections::HashMap;

use aho_corasick::AhoCorasick;
use vigie_event::{fold_case, Event, Value};

use crate::compile::{Compiled, Expr, SearchExpr};
use crate::predicate::{FieldCond, Pred};

/// Separates values in the scanned text; literals containing it are not used.
const SEP: char = '\0';

/// Literal strings, deduplicated, with their ids.
#[derive(Default)]
pub struct Literals {
    patterns: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Literals {
    fn id(&mut self, lit: &str) -> u32 {
        if let Some(&id) = self.ids.get(lit) {
            return id;
        }
        let id = self.patterns.len() as u32;
        self.patterns.push(lit.to_owned());
        self.ids.insert(lit.to_owned(), id);
        id
    }

    /// The literals a compiled detection requires: `None` when it can match without any.
    pub fn required(&mut self, c: &Compiled) -> Option<Vec<u32>> {
        let set = expr_req(&c.expr, &c.searches)?;
        let mut ids: Vec<u32> = set.iter().map(|l| self.id(l)).collect();
        ids.sort_unstable();
        ids.dedup();
        Some(ids)
    }

    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    pub fn build(self) -> Option<AhoCorasick> {
        if self.patterns.is_empty() {
            return None;
        }
        AhoCorasick::new(&self.patterns).ok()
    }
}

/// A set of literals of which at least one must occur. `Some(empty)`: cannot match at all.
type Req = Vec<String>;

/// Prefers the set whose shortest literal is longest (more selective), then the smaller set.
fn better(a: Req, b: Req) -> Req {
    let key = |r: &Req| {
        (
            r.iter().map(String::len).min().unwrap_or(usize::MAX),
            usize::MAX - r.len(),
        )
    };
    if key(&b) > key(&a) {
        b
    } else {
        a
    }
}

fn any_of(items: impl Iterator<Item = Option<Req>>) -> Option<Req> {
    let mut out = Vec::new();
    for i in items {
        out.extend(i?);
    }
    Some(out)
}

fn best_of(items: impl Iterator<Item = Option<Req>>) -> Option<Req> {
    items.flatten().reduce(better)
}

fn expr_req(e: &Expr, searches: &[SearchExpr]) -> Option<Req> {
    match e {
        Expr::Search(i) => any_of(
            searches[*i]
                .0
                .iter()
                .map(|map| best_of(map.iter().map(cond_req))),
        ),
        Expr::Not(_) | Expr::Const(true) => None,
        Expr::Const(false) => Some(Vec::new()),
        Expr::And(v) => best_of(v.iter().map(|x| expr_req(x, searches))),
        Expr::Or(v) => any_of(v.iter().map(|x| expr_req(x, searches))),
    }
}

fn cond_req(c: &FieldCond) -> Option<Req> {
    if c.neq {
        return None;
    }
    let groups = c.groups.iter().map(|g| any_of(g.iter().map(pred_req)));
    if c.all {
        best_of(groups)
    } else {
        any_of(groups)
    }
}

fn pred_req(p: &Pred) -> Option<Req> {
    match p {
        Pred::Str(t) => t
            .literal
            .as_ref()
            .filter(|l| !l.is_empty() && !l.contains(SEP))
            .map(|l| vec![l.clone()]),
        Pred::Never => Some(Vec::new()),
        _ => None,
    }
}

/// Appends the event's values, folded to lower case as matching folds them, to `text`.
pub fn fold_values(event: &Event, text: &mut String) {
    text.clear();
    for f in event.fields() {
        push_value(&f.value, text);
    }
}

fn push_value(v: &Value, text: &mut String) {
    match v {
        Value::Str(s) => {
            let raw = s.as_str();
            if raw.is_ascii() {
                text.extend(raw.chars().map(|c| c.to_ascii_lowercase()));
            } else {
                text.push_str(s.lower());
            }
        }
        Value::Int(i) => text.push_str(itoa::Buffer::new().format(*i)),
        Value::List(items) => items.iter().for_each(|i| push_value(i, text)),
        Value::Null => {}
        other => {
            if let Some(t) = other.to_text() {
                text.push_str(&fold_case(&t));
            }
        }
    }
    text.push(SEP);
}
