//! EVTX records straight from their BinXML to fields, through each template's plan (compiled
//! once per chunk), without rendering JSON text and parsing it again. A record this path does
//! not take (another shape, an empty value, a rare value type) gives `None`, and the caller
//! renders it through the `evtx` crate as before; both give the same fields, which a test over
//! the corpus checks record by record.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use evtx::EvtxChunkHeader;
use vigie_event::{evtx_event_numbered, Event, Field, KeyedShapes, Name, Value};

use crate::binxml_skeleton::{plain_skeleton, template_skeleton, PlanCache};
use crate::binxml_template::{
    compile, compile_plain, Plan, Span, Src, Step, EOF, FRAGMENT_HEADER, MORE, OPEN_START,
    TEMPLATE_INSTANCE,
};
use crate::binxml_value::{
    field_value_with, string_array, Put, BIN_XML, NULL, STRING, STRING_ARRAY,
};

/// The plans of the current chunk's templates, and reused lists of a record's values and
/// of its shape key.
#[derive(Default)]
pub(crate) struct FastEvtx {
    plans: HashMap<u32, Option<Rc<Plan>>>,
    values: Vec<Span>,
    nested: Vec<Span>,
    /// The current record's shape key, which fixes its field names.
    key: ShapeKey,
}

/// A record's shape key: its plan's id, then what of the plan's parts that a record may hold
/// or not it holds ([`push_step`]) and its nested plan's id (0: none), in the plan's order.
/// What is pushed, and where, is the plans' to say: equal keys are equal names.
#[derive(Default)]
struct ShapeKey {
    words: Vec<u64>,
    /// Flags not yet pushed as a word, and how many.
    bits: u64,
    count: u32,
}

impl ShapeKey {
    fn start(&mut self, plan: &Plan) {
        self.words.clear();
        self.words.push(plan.id);
        (self.bits, self.count) = (0, 0);
    }

    fn word(&mut self, w: u64) {
        self.words.push(w);
    }

    fn flag(&mut self, on: bool) {
        self.bits |= u64::from(on) << self.count;
        self.count += 1;
        if self.count == 64 {
            self.words.push(self.bits);
            (self.bits, self.count) = (0, 0);
        }
    }

    /// The key, its last flags pushed.
    fn finish(&mut self) -> &[u64] {
        if self.count > 0 {
            self.words.push(self.bits);
            (self.bits, self.count) = (0, 0);
        }
        &self.words
    }
}

impl FastEvtx {
    /// Forgets the plans: template offsets are a chunk's own.
    pub(crate) fn new_chunk(&mut self) {
        self.plans.clear();
    }

    /// Every record of a chunk with its id, when the plans take them all; `None` when one is
    /// left to the crate, or the records are not laid out plainly one after the other (the
    /// crate then walks them, with its repairs).
    pub(crate) fn whole_chunk(
        &mut self,
        chunk: &[u8],
        header: &EvtxChunkHeader,
    ) -> Option<Vec<(u64, Event)>> {
        let mut out = Vec::new();
        for (id, offset, len) in plain_records(chunk, header)? {
            out.push((id, self.record(chunk, offset, len, id)?));
        }
        Some(out)
    }

    /// The event of record `number`, whose BinXML is `len` bytes at `offset` of `chunk`,
    /// stamped with its shape's id.
    pub(crate) fn record(
        &mut self,
        chunk: &[u8],
        offset: usize,
        len: usize,
        number: u64,
    ) -> Option<Event> {
        let fields = self.record_fields(chunk, offset, len)?;
        let mut event = evtx_event_numbered(fields, number);
        let key = self.key.finish();
        SHAPES.with_borrow_mut(|shapes| shapes.stamp(key, &mut event));
        Some(event)
    }

    /// The fields of the record whose BinXML is `len` bytes at `offset` of `chunk`; its shape
    /// key in `self.key`.
    fn record_fields(&mut self, chunk: &[u8], offset: usize, len: usize) -> Option<Vec<Field>> {
        let end = offset.checked_add(len).filter(|&e| e <= chunk.len())?;
        if chunk
            .get(offset + 4)
            .is_some_and(|t| t & !MORE == OPEN_START)
        {
            return self.plain_record(chunk, offset + 4, end);
        }
        let mut values = std::mem::take(&mut self.values);
        let def = instance(chunk, offset, end, &mut values);
        let plan = def.and_then(|def| self.plan(chunk, def));
        let out = plan
            .filter(|p| !p.event_data)
            .and_then(|plan| self.fields(chunk, &plan, &values));
        self.values = values;
        out
    }

    /// A record written as plain elements (an exported log's, often): the plan of its
    /// skeleton, its values where the elements hold them.
    fn plain_record(&mut self, chunk: &[u8], start: usize, end: usize) -> Option<Vec<Field>> {
        if chunk.get(start - 4) != Some(&FRAGMENT_HEADER) {
            return None;
        }
        let mut values = std::mem::take(&mut self.values);
        // The walk stops where the reader would (a test holds it over the corpus).
        let plan = PLANS.with_borrow_mut(|cache| {
            plain_skeleton(chunk, start, end, &mut cache.key, &mut values)?;
            cache.get_or_compile(|| {
                // Kept only when the reader's values are the walk's.
                let (plan, read) = compile_plain(chunk, start, end)?;
                (read == values).then_some(plan)
            })
        });
        let out = plan.and_then(|plan| self.fields(chunk, &plan, &values));
        self.values = values;
        out
    }

    fn plan(&mut self, chunk: &[u8], def: u32) -> Option<Rc<Plan>> {
        self.plans
            .entry(def)
            .or_insert_with(|| template_plan(chunk, def))
            .clone()
    }

    /// The fields of an Event template's instance, whose values are `values`; its shape key
    /// in `self.key`.
    fn fields(&mut self, chunk: &[u8], plan: &Plan, values: &[Span]) -> Option<Vec<Field>> {
        guarded(plan, values)?;
        let mut out = Vec::with_capacity(plan.steps.len() + 24);
        let mut key = std::mem::take(&mut self.key);
        key.start(plan);
        let done = self.push_steps(&mut out, &mut key, chunk, plan, values);
        self.key = key;
        done?;
        Some(out)
    }

    fn push_steps(
        &mut self,
        out: &mut Vec<Field>,
        key: &mut ShapeKey,
        chunk: &[u8],
        plan: &Plan,
        values: &[Span],
    ) -> Option<()> {
        for step in &plan.steps {
            let Step::Nested(id) = *step else {
                push_step(out, key, chunk, step, values)?;
                continue;
            };
            let value = span(values, id)?;
            if value.ty == NULL || value.len == 0 {
                key.word(0);
                continue;
            }
            if value.ty != BIN_XML {
                return None;
            }
            let mut nested = std::mem::take(&mut self.nested);
            let def = instance(chunk, value.at, value.at + value.len, &mut nested);
            let plan = def.and_then(|def| self.plan(chunk, def));
            let done = plan.filter(|p| p.event_data).and_then(|plan| {
                guarded(&plan, &nested)?;
                key.word(plan.id);
                plan.steps
                    .iter()
                    .try_for_each(|step| push_step(out, key, chunk, step, &nested))
            });
            self.nested = nested;
            done?;
        }
        Some(())
    }
}

thread_local! {
    /// The plans this thread compiled, by skeleton: a template repeats in every chunk of its
    /// log, and a plain record's shape in most records of its file.
    static PLANS: RefCell<PlanCache> = RefCell::default();
    /// The shapes of the records this thread made, by their keys (a plan's records keep
    /// their shape's id from file to file, as the plan is kept).
    static SHAPES: RefCell<KeyedShapes> = RefCell::default();
}

/// The plan of the template defined at `def` of `chunk`: the one its skeleton had before, or
/// compiled now. `None` where the skeleton walk stops, as the reader would.
fn template_plan(chunk: &[u8], def: u32) -> Option<Rc<Plan>> {
    PLANS.with_borrow_mut(|cache| {
        template_skeleton(chunk, def, &mut cache.key)?;
        cache.get_or_compile(|| compile(chunk, def))
    })
}

/// The records of a chunk as the crate walks them when nothing is amiss: from the end of the
/// chunk header, each record after the previous one, up to the free space or the record the
/// header names last. Each as its id and its BinXML's offset and length. `None` at the first
/// thing amiss (a record header that does not check out, a time out of range).
fn plain_records(chunk: &[u8], header: &EvtxChunkHeader) -> Option<Vec<(u64, usize, usize)>> {
    const CHUNK_HEADER: usize = 512;
    const RECORD_HEADER: usize = 24;
    let live_end = (header.free_space_offset as usize).min(chunk.len());
    let mut out = Vec::with_capacity(128);
    let mut at = CHUNK_HEADER;
    while at < live_end {
        let head = chunk.get(at..at + RECORD_HEADER)?;
        if head[..4] != [0x2a, 0x2a, 0, 0] {
            return None;
        }
        let size = u32::from_le_bytes(head[4..8].try_into().ok()?) as usize;
        let id = u64::from_le_bytes(head[8..16].try_into().ok()?);
        let filetime = u64::from_le_bytes(head[16..24].try_into().ok()?);
        // A time the crate can represent (up to the year 9999), and room for the size copy.
        if filetime / 10_000_000 > 265_000_000_000 || size < RECORD_HEADER + 4 {
            return None;
        }
        let len = size - RECORD_HEADER - 4;
        if at + RECORD_HEADER + len > chunk.len() {
            return None;
        }
        out.push((id, at + RECORD_HEADER, len));
        if id == header.last_event_record_id {
            break;
        }
        at += size;
    }
    Some(out)
}

/// Substitution value `id` of a record.
fn span(values: &[Span], id: u16) -> Option<Span> {
    values.get(usize::from(id)).copied()
}

/// `Some` when no value the plan's elements depend on is NULL.
fn guarded(plan: &Plan, values: &[Span]) -> Option<()> {
    for &g in &plan.guards {
        if span(values, g)?.ty == NULL {
            return None;
        }
    }
    Some(())
}

/// The fields of one step (not nested) with `values`; `None` when the record is left to the
/// crate. Each value is made where it is pushed (see [`field_value_with`]). Which of its
/// fields the step gives, when that depends on the values, goes to the shape `key` (an
/// element's attributes present, as a word; whether a Data element is there, as a flag).
fn push_step(
    out: &mut Vec<Field>,
    key: &mut ShapeKey,
    chunk: &[u8],
    step: &Step,
    values: &[Span],
) -> Option<()> {
    let is_null = |id: Option<u16>| -> Option<bool> {
        match id {
            Some(id) => Some(span(values, id)?.ty == NULL),
            None => Some(false),
        }
    };
    match step {
        Step::Field { name, src, dep } => {
            // An element left out when its value is NULL: left to the crate.
            if is_null(*dep)? {
                return None;
            }
            let name = name.clone();
            put_value(chunk, values, src, PushField { out, name })?;
        }
        Step::Attrs {
            name,
            text,
            attrs,
            dep,
        } => {
            if is_null(*dep)? {
                return None;
            }
            let text = match text {
                Some(src) => Some(put_value(chunk, values, src, Keep)?),
                None => None,
            };
            // An attribute whose value is NULL is left out (a plan has at most 64).
            let mut present = 0u64;
            for (i, (_, src)) in attrs.iter().enumerate() {
                let null = match src {
                    Src::Sub(id) => span(values, *id)?.ty == NULL,
                    _ => false,
                };
                present |= u64::from(!null) << i;
            }
            key.word(present);
            if present == 0 {
                out.push(Field {
                    name: name.clone(),
                    value: text.unwrap_or(Value::Null),
                });
                return Some(());
            }
            if let Some(text) = text {
                out.push(Field {
                    name: name.clone(),
                    value: text,
                });
            }
            for (i, (attr, src)) in attrs.iter().enumerate() {
                if present >> i & 1 == 1 {
                    let name = attr.clone();
                    put_value(chunk, values, src, PushField { out, name })?;
                }
            }
        }
        Step::Data {
            name,
            src,
            dep,
            empty_as_string,
        } => {
            let null = is_null(*dep)?;
            key.flag(null);
            if null {
                return Some(());
            }
            let name = name.clone();
            put_data_value(
                chunk,
                values,
                src,
                *empty_as_string,
                PushField { out, name },
            )?;
        }
        Step::Unnamed(srcs) => {
            let mut present = Vec::new();
            for (src, dep) in srcs {
                if is_null(*dep)? {
                    continue;
                }
                // A string array: an element for each of its strings.
                if let Src::Sub(id) = src {
                    let v = span(values, *id)?;
                    if v.ty == STRING_ARRAY {
                        present.extend(string_array(&chunk[v.at..v.at + v.len])?);
                        continue;
                    }
                }
                put_data_value(chunk, values, src, true, PushValue(&mut present))?;
            }
            key.flag(present.is_empty());
            let value = match present.len() {
                0 => return Some(()),
                1 => present.pop()?,
                _ => Value::List(present.into()),
            };
            out.push(Field {
                name: "Data".into(),
                value,
            });
        }
        Step::Nested(_) => return None,
    }
    Some(())
}

/// The value of a source, handed to `put`; `None` for a NULL or empty substitution, whose
/// rendering has rules of its own (left to the crate).
#[inline(always)]
fn put_value<P: Put>(chunk: &[u8], values: &[Span], src: &Src, put: P) -> Option<P::Out> {
    match src {
        Src::Null => Some(put.put(Value::Null)),
        Src::Text(t) => Some(put.put(Value::str(&**t))),
        Src::Sub(id) => {
            let v = span(values, *id)?;
            if is_empty(chunk, v) {
                return None;
            }
            field_value_with(v.ty, chunk.get(v.at..v.at + v.len)?, put)
        }
    }
}

/// An EventData value, handed to `put`; an empty one is `""` or `null`.
#[inline(always)]
fn put_data_value<P: Put>(
    chunk: &[u8],
    values: &[Span],
    src: &Src,
    empty_as_string: bool,
    put: P,
) -> Option<P::Out> {
    let empty = match src {
        Src::Sub(id) => is_empty(chunk, span(values, *id)?),
        Src::Null => true,
        Src::Text(_) => false,
    };
    match (empty, empty_as_string) {
        (true, true) => Some(put.put(Value::str(""))),
        (true, false) => Some(put.put(Value::Null)),
        (false, _) => put_value(chunk, values, src, put),
    }
}

/// A value pushed as a field of its name.
struct PushField<'a> {
    out: &'a mut Vec<Field>,
    name: Name,
}

impl Put for PushField<'_> {
    type Out = ();

    #[inline(always)]
    fn put(self, value: Value) {
        self.out.push(Field {
            name: self.name,
            value,
        });
    }
}

/// A value pushed into a list.
struct PushValue<'a>(&'a mut Vec<Value>);

impl Put for PushValue<'_> {
    type Out = ();

    #[inline(always)]
    fn put(self, value: Value) {
        self.0.push(value);
    }
}

/// A value given back.
struct Keep;

impl Put for Keep {
    type Out = Value;

    #[inline(always)]
    fn put(self, value: Value) -> Value {
        value
    }
}

/// Whether a value is empty as the crate sees it: NULL, no bytes, or a string that starts
/// with NUL.
fn is_empty(chunk: &[u8], v: Span) -> bool {
    v.ty == NULL || v.len == 0 || (v.ty == STRING && chunk.get(v.at..v.at + 2) == Some(&[0, 0]))
}

/// The TemplateInstance that `start..end` of `chunk` holds (after a fragment header): its
/// values into `values`, and the chunk offset of its template's definition.
fn instance(chunk: &[u8], start: usize, end: usize, values: &mut Vec<Span>) -> Option<u32> {
    let rec = chunk.get(start..end)?;
    // A fragment header, then one TemplateInstance: a byte, the template's id and the
    // offset of its definition.
    if rec.len() < 14 || rec[0] != FRAGMENT_HEADER || rec[4] != TEMPLATE_INSTANCE {
        return None;
    }
    let def = u32::from_le_bytes(rec[10..14].try_into().ok()?);
    let mut pos = start + 14;
    if def as usize == pos {
        // The definition is written here: next (4), GUID (16), size (4), body.
        let size = u32_at(chunk, pos + 20)? as usize;
        pos = pos.checked_add(24 + size)?;
    }
    let count = u32_at(chunk, pos)? as usize;
    pos += 4;
    let descriptors = chunk.get(pos..pos.checked_add(count.checked_mul(4)?)?)?;
    pos += descriptors.len();
    values.clear();
    for d in descriptors.chunks_exact(4) {
        let len = usize::from(u16::from_le_bytes([d[0], d[1]]));
        values.push(Span {
            ty: d[2],
            at: pos,
            len,
        });
        pos += len;
    }
    // The values end the stream, or an end-of-stream token does.
    if pos > end || (pos < end && chunk[pos] != EOF) {
        return None;
    }
    Some(def)
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use evtx::{EvtxParser, ParserSettings};
    use vigie_event::flatten_evtx_text;

    use super::*;

    fn corpus_evtx(test: &str) -> Option<Vec<PathBuf>> {
        let dir = crate::test_corpus::corpus_dir(test, "evtx")?;
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| e.into_path())
            .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("evtx"))
            .collect();
        files.sort();
        Some(files)
    }

    /// Every corpus record the plans take gives the fields the crate's JSON gives, in the same
    /// order, with the same values; and the plans take most records.
    #[test]
    fn plans_give_the_fields_of_the_crates_json() {
        let Some(files) = corpus_evtx("plans_give_the_fields_of_the_crates_json") else {
            return;
        };
        let settings = Arc::new(ParserSettings::new().separate_json_attributes(false));
        let (mut taken, mut records, mut walked) = (0usize, 0usize, 0usize);
        let mut shapes: HashMap<vigie_event::ShapeId, Vec<Name>> = HashMap::new();
        for path in &files {
            let Ok(mut parser) = EvtxParser::from_path(path) else {
                continue;
            };
            let mut fast = FastEvtx::default();
            for chunk in parser.chunks() {
                let Ok(mut data) = chunk else { continue };
                let Ok(mut chunk) = data.parse(settings.clone()) else {
                    continue;
                };
                fast.new_chunk();
                // The plain walk finds the records the crate finds, where it walks.
                let crate_walk: Vec<(u64, usize, usize)> = chunk
                    .iter()
                    .flatten()
                    .map(|r| {
                        (
                            r.event_record_id,
                            r.binxml_offset as usize,
                            r.binxml_size as usize,
                        )
                    })
                    .collect();
                if let Some(plain) = plain_records(chunk.data, chunk.header) {
                    assert_eq!(plain, crate_walk, "{}", path.display());
                    walked += 1;
                }
                for rec in chunk.iter().flatten() {
                    records += 1;
                    let id = rec.event_record_id;
                    let got = fast.record(
                        rec.chunk.data,
                        rec.binxml_offset as usize,
                        rec.binxml_size as usize,
                        id,
                    );
                    let Some(got) = got else { continue };
                    taken += 1;
                    let json = rec.into_json().expect("the crate renders it");
                    let want = flatten_evtx_text(&json.data, id)
                        .expect("JSON")
                        .expect("EVTX-shaped");
                    assert_eq!(got, want, "{} record {id}", path.display());
                    assert_eq!(got.record_id, want.record_id);
                    assert_eq!(got.timestamp, want.timestamp);
                    // Its shape key fixes its names: stamped, and with the names of every
                    // record stamped with the same id.
                    let shape = got.shape().expect("every record taken is stamped");
                    let names: Vec<Name> = got.fields().iter().map(|f| f.name.clone()).collect();
                    let first = shapes.entry(shape).or_insert_with(|| names.clone());
                    assert_eq!(*first, names, "{} record {id}", path.display());
                }
            }
        }
        eprintln!(
            "EVTX plans: {taken} of {records} records of {} files taken, each as the crate's JSON; {walked} chunks walked plainly as the crate walks them; {} shapes",
            files.len(),
            shapes.len()
        );
        assert!(records > 10_000, "too few records: {records}");
    }

    /// Equal skeletons compile to equal plans, over every template and plain record of the
    /// corpus; a plain record's skeleton gives the reader's values; and what the skeleton
    /// walk cannot read does not compile either.
    #[test]
    fn equal_skeletons_give_equal_plans() {
        let Some(files) = corpus_evtx("equal_skeletons_give_equal_plans") else {
            return;
        };
        let settings = Arc::new(ParserSettings::new().separate_json_attributes(false));
        let mut seen: HashMap<Vec<u8>, String> = HashMap::new();
        let (mut compiled, mut repeats) = (0usize, 0usize);
        let mut check = |key: Option<Vec<u8>>, plan: Option<&Plan>| {
            let Some(key) = key else {
                assert!(plan.is_none(), "the walk stopped where the reader did not");
                return;
            };
            compiled += 1;
            // Equal but for their ids, which each compiled plan has its own.
            let plan = format!("{:?}", plan.map(|p| (&p.steps, &p.guards, p.event_data)));
            match seen.get(&key) {
                Some(before) => {
                    repeats += 1;
                    assert_eq!(*before, plan, "one skeleton, two plans");
                }
                None => {
                    seen.insert(key, plan);
                }
            }
        };
        for path in &files {
            let Ok(mut parser) = EvtxParser::from_path(path) else {
                continue;
            };
            for chunk in parser.chunks() {
                let Ok(mut data) = chunk else { continue };
                let Ok(mut chunk) = data.parse(settings.clone()) else {
                    continue;
                };
                for rec in chunk.iter().flatten() {
                    let (data, at) = (rec.chunk.data, rec.binxml_offset as usize);
                    let end = at + rec.binxml_size as usize;
                    let mut key = Vec::new();
                    if data.get(at + 4).is_some_and(|t| t & !MORE == OPEN_START) {
                        let mut values = Vec::new();
                        let walked = plain_skeleton(data, at + 4, end, &mut key, &mut values);
                        let plan = compile_plain(data, at + 4, end);
                        if let (Some(()), Some((_, read))) = (walked, &plan) {
                            assert_eq!(
                                &values,
                                read,
                                "{} record {}",
                                path.display(),
                                rec.event_record_id
                            );
                        }
                        check(walked.map(|()| key), plan.as_ref().map(|p| &p.0));
                        continue;
                    }
                    let Some(def) = instance(data, at, end, &mut Vec::new()) else {
                        continue;
                    };
                    let walked = template_skeleton(data, def, &mut key);
                    check(walked.map(|()| key), compile(data, def).as_ref());
                }
            }
        }
        eprintln!(
            "skeletons: {compiled} compiled, {} distinct, {repeats} repeats",
            seen.len()
        );
        assert!(repeats > 10_000, "too few repeats: {repeats}");
    }

    /// Damaged chunks (bytes of corpus chunks overwritten at random) never make the plans
    /// panic: every read is bounded, and what does not parse is left to the crate.
    #[test]
    fn damaged_chunks_do_not_panic() {
        let Some(files) = corpus_evtx("damaged_chunks_do_not_panic") else {
            return;
        };
        let settings = Arc::new(ParserSettings::new().separate_json_attributes(false));
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let (mut tried, mut taken) = (0usize, 0usize);
        for path in files.iter().step_by(7) {
            let Ok(mut parser) = EvtxParser::from_path(path) else {
                continue;
            };
            for chunk in parser.chunks().take(2) {
                let Ok(mut data) = chunk else { continue };
                let Ok(mut chunk) = data.parse(settings.clone()) else {
                    continue;
                };
                let windows: Vec<(usize, usize)> = chunk
                    .iter()
                    .flatten()
                    .map(|r| (r.binxml_offset as usize, r.binxml_size as usize))
                    .collect();
                let mut bytes = chunk.data.to_vec();
                for round in 0..20 {
                    for _ in 0..=round {
                        let at = next() as usize % bytes.len();
                        bytes[at] = next() as u8;
                    }
                    let mut fast = FastEvtx::default();
                    for &(offset, len) in &windows {
                        tried += 1;
                        taken += usize::from(fast.record(&bytes, offset, len, 0).is_some());
                    }
                }
            }
        }
        eprintln!("damaged chunks: {taken} of {tried} record reads still taken");
        assert!(tried > 10_000, "too few reads: {tried}");
    }
}
