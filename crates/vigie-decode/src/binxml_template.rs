//! A template definition of an EVTX chunk (MS-EVEN6 2.2.12) compiled into a plan: the fields
//! its records flatten to, in order, and where each value comes from. Only the common shape
//! compiles (an `Event` of `System` elements and named `EventData` values, each element a
//! text or one substitution); any other shape gives no plan, and its records go through the
//! `evtx` crate's JSON as before.

use vigie_event::{field_name, Name};

use crate::binxml_value::{utf16_until_nul, STRING};

/// What a record of one template flattens to.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The plan's identity, unique in the process (a record's shape key begins with it).
    pub(crate) id: u64,
    pub(crate) steps: Vec<Step>,
    /// The substitutions whole elements depend on (the root, System, EventData): a record
    /// where one is NULL is left to the crate.
    pub(crate) guards: Vec<u16>,
    /// Whether the template is an EventData or a UserData, instantiated inside another's
    /// substitution.
    pub(crate) event_data: bool,
}

/// One field of the plan, or the fields of one element.
#[derive(Debug)]
pub(crate) enum Step {
    /// A field, left to the crate when the substitution its element depends on is NULL.
    Field {
        name: Name,
        src: Src,
        dep: Option<u16>,
    },
    /// A System element with attributes: its text under its own name, then each attribute as
    /// `Name_Attr`. An attribute whose value is NULL is left out, and an element left with
    /// neither text nor attribute is `null`, as the crate writes it.
    Attrs {
        name: Name,
        text: Option<Src>,
        attrs: Vec<(Name, Src)>,
        dep: Option<u16>,
    },
    /// An EventData value: left out when the substitution it depends on is NULL. An empty
    /// value is `""` in a `<Data>` element and `null` in another (`<Binary>`).
    Data {
        name: Name,
        src: Src,
        dep: Option<u16>,
        empty_as_string: bool,
    },
    /// The EventData's unnamed `<Data>` values, one field `Data`: a value, or a list of
    /// them when there are several; those whose dependency is NULL are left out.
    Unnamed(Vec<(Src, Option<u16>)>),
    /// The record's substitution of this number, a template instance of its own whose
    /// EventData values go here (none when it is empty).
    Nested(u16),
}

/// Where a field's value comes from.
#[derive(Debug)]
pub(crate) enum Src {
    /// An empty element: `null`.
    Null,
    /// Text written in the template.
    Text(Box<str>),
    /// The record's substitution of this number.
    Sub(u16),
}

/// The plan of the template defined at `def_offset` in `chunk`, if it has the common shape.
pub(crate) fn compile(chunk: &[u8], def_offset: u32) -> Option<Plan> {
    let (start, end) = definition(chunk, def_offset)?;
    let (token, pos) = root_start(chunk, start, end)?;
    let mut r = Reader {
        chunk,
        pos,
        end,
        inline: None,
    };
    let root = r.element(token, 0)?;
    if r.u8()? != EOF {
        return None;
    }
    plan_of(root)
}

/// Where the body of the template defined at `def_offset` is: next (4), GUID (16), size
/// (4), then the body's bytes.
pub(crate) fn definition(chunk: &[u8], def_offset: u32) -> Option<(usize, usize)> {
    let off = def_offset as usize;
    let size = u32::from_le_bytes(chunk.get(off + 20..off + 24)?.try_into().ok()?) as usize;
    let start = off + 24;
    let end = start.checked_add(size)?;
    (end <= chunk.len()).then_some((start, end))
}

/// The root element's token of the template body `start..end` of `chunk`, and where the
/// element goes on: after the fragment header (4 bytes), an OpenStartElement.
pub(crate) fn root_start(chunk: &[u8], start: usize, end: usize) -> Option<(u8, usize)> {
    let head = chunk.get(start..end)?.get(..5)?;
    (head[0] == FRAGMENT_HEADER && head[4] & !MORE == OPEN_START).then_some((head[4], start + 5))
}

pub(crate) const EOF: u8 = 0x00;
pub(crate) const OPEN_START: u8 = 0x01;
pub(crate) const CLOSE_START: u8 = 0x02;
pub(crate) const CLOSE_EMPTY: u8 = 0x03;
pub(crate) const END_ELEMENT: u8 = 0x04;
pub(crate) const VALUE: u8 = 0x05;
pub(crate) const ATTRIBUTE: u8 = 0x06;
pub(crate) const NORMAL_SUB: u8 = 0x0d;
pub(crate) const OPTIONAL_SUB: u8 = 0x0e;
pub(crate) const TEMPLATE_INSTANCE: u8 = 0x0c;
pub(crate) const FRAGMENT_HEADER: u8 = 0x0f;
/// The flag of a token that has more after it (attributes, or more attributes or values).
pub(crate) const MORE: u8 = 0x40;
/// Deeper than an EVTX record's template ever goes.
pub(crate) const MAX_DEPTH: usize = 8;
/// The DependencyId of an element without a dependency.
const NO_DEPENDENCY: u16 = 0xffff;

/// An element of the template, as far as the common shape needs.
struct Elem {
    name: String,
    attrs: Vec<(String, Item)>,
    content: Content,
    dep: Option<u16>,
}

enum Content {
    Empty,
    Item(Item),
    Elems(Vec<Elem>),
    /// Elements and substitutions in element place (each a nested template instance, or
    /// nothing).
    Mixed(Vec<Node>),
}

enum Node {
    Elem(Elem),
    Item(Item),
}

enum Item {
    Text(String),
    Sub(u16),
}

/// Reads the definition's bytes, `pos..end` of the chunk.
struct Reader<'a> {
    chunk: &'a [u8],
    pos: usize,
    end: usize,
    /// For a record written as plain elements (no template): its values as they are met
    /// (type, offset and length in the chunk), each then read as a substitution of that
    /// number. Such elements have no DependencyId.
    inline: Option<Vec<Span>>,
}

/// A value of a record: its type, and where its bytes are in the chunk (a template
/// instance's substitution, or a value written in a plain element).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) ty: u8,
    pub(crate) at: usize,
    pub(crate) len: usize,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let next = self.pos.checked_add(N).filter(|&n| n <= self.end)?;
        let bytes = self.chunk[self.pos..next].try_into().ok()?;
        self.pos = next;
        Some(bytes)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take::<1>().map(|[b]| b)
    }

    fn u16(&mut self) -> Option<u16> {
        self.take().map(u16::from_le_bytes)
    }

    fn u32(&mut self) -> Option<u32> {
        self.take().map(u32::from_le_bytes)
    }

    /// A name reference: the chunk offset of a name, which may be written right here.
    fn name(&mut self) -> Option<String> {
        let off = self.u32()? as usize;
        let name = read_name(self.chunk, off)?;
        if off == self.pos {
            let units = u16::from_le_bytes(self.chunk.get(off + 6..off + 8)?.try_into().ok()?);
            self.pos += 10 + 2 * usize::from(units);
            if self.pos > self.end {
                return None;
            }
        }
        Some(name)
    }

    /// An element, its OpenStartElement `token` just read.
    fn element(&mut self, token: u8, depth: usize) -> Option<Elem> {
        if depth > MAX_DEPTH {
            return None;
        }
        let dep = match self.inline {
            Some(_) => None,
            None => Some(self.u16()?).filter(|&d| d != NO_DEPENDENCY),
        };
        self.u32()?; // its size
        let name = self.name()?;
        if token & MORE != 0 {
            self.u32()?; // its attribute list's size
        }
        let mut attrs = Vec::new();
        loop {
            match self.u8()? {
                t if t & !MORE == ATTRIBUTE => {
                    let attr = self.name()?;
                    let t = self.u8()?;
                    // A plain element's attribute text is read as the template's would be.
                    let inline = self.inline.take();
                    let item = self.item(t);
                    self.inline = inline;
                    attrs.push((attr, item?));
                }
                CLOSE_EMPTY => {
                    return Some(Elem {
                        name,
                        attrs,
                        content: Content::Empty,
                        dep,
                    })
                }
                CLOSE_START => break,
                _ => return None,
            }
        }
        let mut nodes = Vec::new();
        loop {
            match self.u8()? {
                END_ELEMENT => break,
                t if t & !MORE == OPEN_START => nodes.push(Node::Elem(self.element(t, depth + 1)?)),
                t => nodes.push(Node::Item(self.item(t)?)),
            }
        }
        let elems = nodes.iter().filter(|n| matches!(n, Node::Elem(_))).count();
        let content = match (nodes.len(), elems) {
            (0, _) => Content::Empty,
            (1, 0) => match nodes.pop() {
                Some(Node::Item(item)) => Content::Item(item),
                _ => return None,
            },
            (n, e) if n == e => Content::Elems(
                nodes
                    .into_iter()
                    .filter_map(|n| match n {
                        Node::Elem(e) => Some(e),
                        Node::Item(_) => None,
                    })
                    .collect(),
            ),
            _ if nodes
                .iter()
                .all(|n| !matches!(n, Node::Item(Item::Text(_)))) =>
            {
                Content::Mixed(nodes)
            }
            _ => return None,
        };
        Some(Elem {
            name,
            attrs,
            content,
            dep,
        })
    }

    /// A text value or a substitution, its `token` just read.
    fn item(&mut self, token: u8) -> Option<Item> {
        match token {
            t if t & !MORE == VALUE && self.inline.is_some() => {
                let value = inline_value(self.chunk, self.pos, self.end)?;
                self.pos = value.at + value.len;
                let values = self.inline.as_mut()?;
                let id = u16::try_from(values.len()).ok()?;
                values.push(value);
                Some(Item::Sub(id))
            }
            t if t & !MORE == VALUE => {
                if self.u8()? != STRING {
                    return None;
                }
                let units = usize::from(self.u16()?);
                let end = self.pos.checked_add(2 * units).filter(|&e| e <= self.end)?;
                let text = utf16_until_nul(&self.chunk[self.pos..end])?;
                self.pos = end;
                Some(Item::Text(text.into()))
            }
            NORMAL_SUB | OPTIONAL_SUB => {
                let id = self.u16()?;
                self.u8()?; // its declared type; the record's own descriptor says
                Some(Item::Sub(id))
            }
            _ => None,
        }
    }
}

/// The value written in a plain element at `pos` (its type byte) of `chunk`, ending by `end`.
pub(crate) fn inline_value(chunk: &[u8], pos: usize, end: usize) -> Option<Span> {
    let ty = *chunk.get(pos).filter(|_| pos < end)?;
    let (at, len) = match ty {
        STRING => {
            let units = chunk.get(pos + 1..pos + 3).filter(|_| pos + 3 <= end)?;
            (
                pos + 3,
                2 * usize::from(u16::from_le_bytes([units[0], units[1]])),
            )
        }
        _ => (pos + 1, inline_size(ty, chunk.get(pos + 2).copied()?)?),
    };
    at.checked_add(len).filter(|&e| e <= end)?;
    Some(Span { ty, at, len })
}

/// The size of a value of type `ty` written in an element (not a substitution), which its
/// type implies; `second` is its second byte (a SID's count of sub-authorities). `None` for
/// the types this path leaves to the crate.
fn inline_size(ty: u8, second: u8) -> Option<usize> {
    Some(match ty {
        0x03 | 0x04 => 1,
        0x05 | 0x06 => 2,
        0x07 | 0x08 | 0x0d | 0x14 => 4,
        0x09 | 0x0a | 0x11 | 0x15 => 8,
        0x0f => 16,
        0x13 => 8 + 4 * usize::from(second),
        _ => return None,
    })
}

/// The plan of a record written as plain elements from `start` (its first element) to `end`
/// of `chunk`, with its values, each then read as a substitution of its number.
pub(crate) fn compile_plain(chunk: &[u8], start: usize, end: usize) -> Option<(Plan, Vec<Span>)> {
    let mut r = Reader {
        chunk,
        pos: start,
        end,
        inline: Some(Vec::new()),
    };
    let token = r.u8()?;
    if token & !MORE != OPEN_START {
        return None;
    }
    let root = r.element(token, 0)?;
    if r.pos < end && r.u8()? != EOF {
        return None;
    }
    if root.name != "Event" {
        return None;
    }
    let plan = plan_of(root)?;
    Some((plan, r.inline.unwrap_or_default()))
}

/// The name at chunk offset `off`: next-name link (4), hash (2), length in UTF-16 units (2),
/// the units, a NUL.
fn read_name(chunk: &[u8], off: usize) -> Option<String> {
    let units = usize::from(u16::from_le_bytes(
        chunk.get(off + 6..off + 8)?.try_into().ok()?,
    ));
    utf16_until_nul(chunk.get(off + 8..off + 8 + 2 * units)?).map(String::from)
}

/// The plan of a parsed template, mirroring how the crate writes its JSON and how
/// `vigie_event::flatten_evtx_text` flattens it. The root is an `Event`, or an `EventData`
/// (a template instantiated inside another's substitution).
fn plan_of(root: Elem) -> Option<Plan> {
    let mut guards: Vec<u16> = root.dep.into_iter().collect();
    // A template instantiated in another's substitution: an EventData, a UserData, or the
    // element a UserData holds.
    if root.name != "Event" {
        let mut steps = Vec::new();
        match root.name.as_str() {
            "EventData" => data_steps(&mut steps, root.content)?,
            "UserData" => user_data_steps(&mut steps, &mut guards, root.content)?,
            _ => {
                guards.clear();
                user_data_child_steps(&mut steps, &mut guards, root)?;
            }
        }
        return Some(Plan {
            id: next_plan_id(),
            steps,
            guards,
            event_data: true,
        });
    }
    let children = match root.content {
        Content::Elems(elems) => elems.into_iter().map(Node::Elem).collect(),
        Content::Mixed(nodes) => nodes,
        _ => return None,
    };
    if root.name != "Event" {
        return None;
    }
    let mut steps = Vec::new();
    let (mut system, mut data) = (false, false);
    for child in children {
        let child = match child {
            // A substitution in element place: a nested instance, whose own root
            // (EventData) it becomes.
            Node::Item(Item::Sub(id)) if !data => {
                data = true;
                steps.push(Step::Nested(id));
                continue;
            }
            Node::Item(_) => return None,
            Node::Elem(e) => e,
        };
        guards.extend(child.dep);
        match child.name.as_str() {
            "System" if !system => {
                system = true;
                let Content::Elems(elems) = child.content else {
                    return None;
                };
                let first = steps.len();
                for e in elems {
                    system_steps(&mut steps, e)?;
                }
                if repeats(&steps[first..]) {
                    return None;
                }
            }
            "EventData" if !data => {
                data = true;
                data_steps(&mut steps, child.content)?;
            }
            "UserData" if !data => {
                data = true;
                user_data_steps(&mut steps, &mut guards, child.content)?;
            }
            _ => return None,
        }
    }
    system.then(|| Plan {
        id: next_plan_id(),
        steps,
        guards,
        event_data: false,
    })
}

/// A plan id not given before in this process.
fn next_plan_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The values of an EventData element.
fn data_steps(steps: &mut Vec<Step>, content: Content) -> Option<()> {
    let elems = match content {
        Content::Empty => return Some(()),
        Content::Elems(elems) => elems,
        _ => return None,
    };
    let first = steps.len();
    let mut unnamed: Option<usize> = None;
    for e in elems {
        if e.name == "Data" && e.attrs.is_empty() {
            let src = match e.content {
                Content::Empty => Src::Null,
                Content::Item(item) => src(item),
                _ => return None,
            };
            let at = *unnamed.get_or_insert_with(|| {
                steps.push(Step::Unnamed(Vec::new()));
                steps.len() - 1
            });
            if let Step::Unnamed(srcs) = &mut steps[at] {
                srcs.push((src, e.dep));
            }
            continue;
        }
        steps.push(data_step(e)?);
    }
    (!repeats(&steps[first..])).then_some(())
}

/// The values of a UserData element: its one child (`<LogFileCleared xmlns=..>`), written
/// here or instantiated in a substitution.
fn user_data_steps(steps: &mut Vec<Step>, guards: &mut Vec<u16>, content: Content) -> Option<()> {
    match content {
        Content::Empty => Some(()),
        Content::Item(Item::Sub(id)) => {
            steps.push(Step::Nested(id));
            Some(())
        }
        Content::Elems(elems) => {
            let [child] = <[Elem; 1]>::try_from(elems).ok()?;
            user_data_child_steps(steps, guards, child)
        }
        _ => None,
    }
}

/// The element a UserData holds: its children are the values, each by its name (an empty
/// one is `null`); or its text is, under its own name.
fn user_data_child_steps(steps: &mut Vec<Step>, guards: &mut Vec<u16>, child: Elem) -> Option<()> {
    let leaves = match child.content {
        Content::Empty => return Some(()),
        Content::Item(item) if child.attrs.is_empty() => {
            steps.push(Step::Data {
                name: field_name(&child.name),
                src: src(item),
                dep: child.dep,
                empty_as_string: false,
            });
            return Some(());
        }
        Content::Elems(leaves) => leaves,
        _ => return None,
    };
    guards.extend(child.dep);
    let first = steps.len();
    for leaf in leaves {
        if !leaf.attrs.is_empty() || leaf.name == "Data" {
            return None;
        }
        let src = match leaf.content {
            Content::Empty => Src::Null,
            Content::Item(item) => src(item),
            _ => return None,
        };
        steps.push(Step::Data {
            name: field_name(&leaf.name),
            src,
            dep: leaf.dep,
            empty_as_string: false,
        });
    }
    (!repeats(&steps[first..])).then_some(())
}

/// A System child: its text under its own name first, then its attributes as `Name_Attr`.
fn system_steps(steps: &mut Vec<Step>, e: Elem) -> Option<()> {
    let text = match e.content {
        Content::Empty => None,
        Content::Item(item) => Some(src(item)),
        _ => return None,
    };
    let name = field_name(&e.name);
    let dep = e.dep;
    if e.attrs.is_empty() {
        steps.push(Step::Field {
            name,
            src: text.unwrap_or(Src::Null),
            dep,
        });
        return Some(());
    }
    if e.attrs.len() > 64 {
        return None;
    }
    let attrs = e
        .attrs
        .into_iter()
        .map(|(attr, item)| (field_name(&format!("{}_{attr}", e.name)), src(item)))
        .collect();
    steps.push(Step::Attrs {
        name,
        text,
        attrs,
        dep,
    });
    Some(())
}

/// An EventData child: `<Data Name="X">` as `X`, another element without attributes by its
/// own name.
fn data_step(e: Elem) -> Option<Step> {
    let name = match (e.name.as_str(), e.attrs.as_slice()) {
        ("Data", [(attr, Item::Text(name))]) if attr == "Name" => name.clone(),
        ("Data", _) => return None,
        (_, []) => e.name.clone(),
        _ => return None,
    };
    let src = match e.content {
        Content::Empty => Src::Null,
        Content::Item(item) => src(item),
        _ => return None,
    };
    Some(Step::Data {
        name: field_name(&name),
        src,
        dep: e.dep,
        empty_as_string: e.name == "Data",
    })
}

fn src(item: Item) -> Src {
    match item {
        Item::Text(t) => Src::Text(t.into()),
        Item::Sub(id) => Src::Sub(id),
    }
}

/// Whether two steps share a name (JSON would keep one of them: left to the crate).
fn repeats(steps: &[Step]) -> bool {
    let names: Vec<&str> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Field { name, .. } | Step::Attrs { name, .. } | Step::Data { name, .. } => {
                Some(&**name)
            }
            Step::Unnamed(_) => Some("Data"),
            Step::Nested(_) => None,
        })
        .collect();
    names
        .iter()
        .enumerate()
        .any(|(i, n)| names[..i].contains(n))
}
