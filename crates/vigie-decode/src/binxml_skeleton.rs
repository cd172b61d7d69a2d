//! The skeleton of a template definition or of a plain-element record: the bytes its plan
//! depends on (tokens, dependencies, names as text, written texts, substitution numbers),
//! read without building anything. Equal skeletons compile to equal plans, so a plan is
//! compiled once per thread for every chunk and record that repeats it, rather than once
//! per chunk (a template) or once per record (plain elements).
//!
//! The walk follows [`crate::binxml_template`]'s reader step by step, with the same bounds:
//! what it leaves out (element and attribute-list sizes, name links and hashes, declared
//! substitution types, the values of plain elements) the plan never reads.

use std::rc::Rc;

use crate::binxml_template::{
    definition, inline_value, root_start, Plan, Span, ATTRIBUTE, CLOSE_EMPTY, CLOSE_START,
    END_ELEMENT, EOF, MAX_DEPTH, MORE, NORMAL_SUB, OPEN_START, OPTIONAL_SUB, VALUE,
};
use crate::binxml_value::STRING;

/// Plans by skeleton, kept across chunks and files by one thread.
#[derive(Default)]
pub(crate) struct PlanCache {
    plans: foldhash::HashMap<Box<[u8]>, Option<Rc<Plan>>>,
    /// Bytes of the keys kept.
    held: usize,
    /// The skeleton being read (reused).
    pub(crate) key: Vec<u8>,
}

/// Beyond this many key bytes the cache starts afresh (a hostile file cannot grow it).
const MAX_HELD: usize = 16 << 20;

impl PlanCache {
    /// The plan of the skeleton in `key`: the one kept, or `compile`'s, kept now (`None` when
    /// it does not compile, kept too).
    pub(crate) fn get_or_compile(
        &mut self,
        compile: impl FnOnce() -> Option<Plan>,
    ) -> Option<Rc<Plan>> {
        if let Some(plan) = self.plans.get(self.key.as_slice()) {
            return plan.clone();
        }
        let plan = compile().map(Rc::new);
        if self.held + self.key.len() > MAX_HELD {
            self.plans.clear();
            self.held = 0;
        }
        self.held += self.key.len();
        self.plans.insert(self.key.as_slice().into(), plan.clone());
        plan
    }
}

/// The skeleton of the template defined at `def_offset` of `chunk` into `key`; `None` where
/// the reader would stop (the template then compiles, or not, without the cache).
pub(crate) fn template_skeleton(chunk: &[u8], def_offset: u32, key: &mut Vec<u8>) -> Option<()> {
    key.clear();
    key.push(b'T');
    let (start, end) = definition(chunk, def_offset)?;
    let (token, pos) = root_start(chunk, start, end)?;
    let mut w = Walk {
        chunk,
        pos,
        end,
        key,
        values: None,
    };
    w.element(token, 0)?;
    (w.u8()? == EOF).then_some(())
}

/// The skeleton of a record written as plain elements, `start..end` of `chunk`, into `key`,
/// and its values into `values` (as [`crate::binxml_template::compile_plain`] gives them).
pub(crate) fn plain_skeleton(
    chunk: &[u8],
    start: usize,
    end: usize,
    key: &mut Vec<u8>,
    values: &mut Vec<Span>,
) -> Option<()> {
    key.clear();
    key.push(b'P');
    values.clear();
    let mut w = Walk {
        chunk,
        pos: start,
        end,
        key,
        values: Some(values),
    };
    let token = w.u8()?;
    if token & !MORE != OPEN_START {
        return None;
    }
    w.element(token, 0)?;
    if w.pos < end && w.u8()? != EOF {
        return None;
    }
    Some(())
}

struct Walk<'a> {
    chunk: &'a [u8],
    pos: usize,
    end: usize,
    key: &'a mut Vec<u8>,
    /// A plain record's values, as they are met (outside attributes).
    values: Option<&'a mut Vec<Span>>,
}

impl<'a> Walk<'a> {
    fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let next = self.pos.checked_add(n).filter(|&n| n <= self.end)?;
        let chunk = self.chunk;
        let bytes = &chunk[self.pos..next];
        self.pos = next;
        Some(bytes)
    }

    fn u8(&mut self) -> Option<u8> {
        self.bytes(1).map(|b| b[0])
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.bytes(2)?.try_into().ok()?))
    }

    /// Reads and keeps a byte.
    fn kept_u8(&mut self) -> Option<u8> {
        let b = self.u8()?;
        self.key.push(b);
        Some(b)
    }

    /// Reads and keeps two bytes.
    fn kept_u16(&mut self) -> Option<u16> {
        let v = self.u16()?;
        self.key.extend_from_slice(&v.to_le_bytes());
        Some(v)
    }

    /// A name reference: the name's text is kept, wherever it is written.
    fn name(&mut self) -> Option<()> {
        let off = u32::from_le_bytes(self.bytes(4)?.try_into().ok()?) as usize;
        let units = self.chunk.get(off + 6..off + 8)?;
        let count = usize::from(u16::from_le_bytes(units.try_into().ok()?));
        let text = self.chunk.get(off + 8..off + 8 + 2 * count)?;
        self.key.extend_from_slice(units);
        self.key.extend_from_slice(text);
        if off == self.pos {
            self.pos += 10 + 2 * count;
            if self.pos > self.end {
                return None;
            }
        }
        Some(())
    }

    fn element(&mut self, token: u8, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.key.push(token);
        if self.values.is_none() {
            self.kept_u16()?; // its dependency
        }
        self.bytes(4)?; // its size
        self.name()?;
        if token & MORE != 0 {
            self.bytes(4)?; // its attribute list's size
        }
        loop {
            match self.kept_u8()? {
                t if t & !MORE == ATTRIBUTE => {
                    self.name()?;
                    let t = self.kept_u8()?;
                    let values = self.values.take();
                    let item = self.item(t);
                    self.values = values;
                    item?;
                }
                CLOSE_EMPTY => return Some(()),
                CLOSE_START => break,
                _ => return None,
            }
        }
        loop {
            match self.u8()? {
                t if t & !MORE == OPEN_START => self.element(t, depth + 1)?,
                t => {
                    self.key.push(t);
                    if t == END_ELEMENT {
                        return Some(());
                    }
                    self.item(t)?;
                }
            }
        }
    }

    /// A text value or a substitution, its `token` just read (and kept).
    fn item(&mut self, token: u8) -> Option<()> {
        match token {
            t if t & !MORE == VALUE && self.values.is_some() => {
                let value = inline_value(self.chunk, self.pos, self.end)?;
                self.key.push(value.ty);
                self.pos = value.at + value.len;
                let values = self.values.as_mut()?;
                u16::try_from(values.len()).ok()?;
                values.push(value);
                Some(())
            }
            t if t & !MORE == VALUE => {
                if self.kept_u8()? != STRING {
                    return None;
                }
                let units = usize::from(self.kept_u16()?);
                let start = self.pos;
                self.bytes(2 * units)?;
                let chunk = self.chunk;
                self.key.extend_from_slice(&chunk[start..self.pos]);
                Some(())
            }
            NORMAL_SUB | OPTIONAL_SUB => {
                self.kept_u16()?;
                self.u8()?; // its declared type; the record's own descriptor says
                Some(())
            }
            _ => None,
        }
    }
}
