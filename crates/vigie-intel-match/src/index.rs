//! The compiled index: every active indicator read once into the table its type calls for,
//! and the per-event path that reads the observable fields and looks their values up.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;

use foldhash::fast::RandomState;
use vigie_event::{Event, Value};
use vigie_intel::{IndicatorType, IndicatorView, Tlp};

use crate::hashes::{each_hash, Digest};
use crate::observables::{ObservableKind, Observables};
use crate::prefix::PrefixTable;
use crate::suffix::SuffixTable;
use crate::text;

type Map<K> = HashMap<K, u32, RandomState>;

/// How deep lists nested in a field value are read.
const MAX_LIST_DEPTH: u8 = 4;
/// Host names and e-mail addresses are folded through a stack buffer of this size.
const NAME_BUF: usize = 320;

/// One indicator found in one field of an event.
#[derive(Debug, Clone, PartialEq)]
pub struct IntelHit<'i, 'e> {
    /// The indicator's id in the store.
    pub indicator_id: i64,
    pub kind: IndicatorType,
    /// The indicator's value as the store holds it (a network for an address inside it, a
    /// parent domain for a subdomain).
    pub indicator: &'i str,
    /// The event field's name.
    pub field: &'e str,
    /// The text in the field that matched (one digest of a `Hashes` list, the file name of a
    /// path, the host of a URL).
    pub value: &'e str,
    /// The sources that hold the indicator, comma-separated, sorted.
    pub source: &'i str,
    /// The strictest TLP its sources give.
    pub tlp: Tlp,
}

#[derive(Debug, Clone)]
struct Entry {
    id: i64,
    kind: IndicatorType,
    value: Box<str>,
    source: u32,
    tlp: Tlp,
}

/// What `build` did with the indicators it was given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildStats {
    pub indicators: usize,
    pub addresses: usize,
    pub networks: usize,
    pub domains: usize,
    pub urls: usize,
    pub hashes: usize,
    pub emails: usize,
    pub filenames: usize,
    /// STIX patterns that are more than equalities: not matched here.
    pub patterns_skipped: usize,
    /// Values that did not read as their type (the store normalises, so none expected).
    pub invalid: usize,
    /// Values equal to another's once folded (file names differing in case): the first kept.
    pub duplicates: usize,
}

/// Builds an [`IntelIndex`] one indicator at a time, so that indicators can be streamed from a
/// store without being held all at once.
#[derive(Debug)]
pub struct IntelIndexBuilder {
    index: IntelIndex,
    source_ids: HashMap<Box<str>, u32, RandomState>,
}

impl IntelIndexBuilder {
    /// An empty index reading events' observables from the fields `observables` names.
    pub fn new(observables: Observables) -> IntelIndexBuilder {
        IntelIndexBuilder {
            index: IntelIndex {
                entries: Vec::new(),
                sources: Vec::new(),
                observables,
                v4: Map::default(),
                v6: Map::default(),
                nets: PrefixTable::default(),
                domains: SuffixTable::default(),
                urls: Map::default(),
                md5: Map::default(),
                sha1: Map::default(),
                sha256: Map::default(),
                sha512: Map::default(),
                emails: Map::default(),
                filenames: Map::default(),
                stats: BuildStats::default(),
            },
            source_ids: HashMap::default(),
        }
    }

    /// Room for `additional` more indicators of `kind` (a count from the store) without
    /// growing the tables one doubling at a time.
    pub fn reserve(&mut self, kind: IndicatorType, additional: usize) {
        let index = &mut self.index;
        index.entries.reserve(additional);
        match kind {
            IndicatorType::Ipv4 => index.v4.reserve(additional),
            IndicatorType::Ipv6 => index.v6.reserve(additional),
            IndicatorType::Domain => index.domains.reserve(additional),
            IndicatorType::Url => index.urls.reserve(additional),
            IndicatorType::Md5 => index.md5.reserve(additional),
            IndicatorType::Sha1 => index.sha1.reserve(additional),
            IndicatorType::Sha256 => index.sha256.reserve(additional),
            IndicatorType::Sha512 => index.sha512.reserve(additional),
            IndicatorType::Email => index.emails.reserve(additional),
            IndicatorType::Filename => index.filenames.reserve(additional),
            IndicatorType::Cidr | IndicatorType::StixPattern => {}
        }
    }

    /// Adds one indicator; `sources` are the names of the sources holding it, sorted and
    /// joined with commas.
    pub fn add(&mut self, id: i64, kind: IndicatorType, value: &str, tlp: Tlp, sources: &str) {
        let index = &mut self.index;
        index.stats.indicators += 1;
        let Ok(n) = u32::try_from(index.entries.len()) else {
            index.stats.invalid += 1;
            return;
        };
        let added = match index.insert(kind, value, n) {
            Some(added) => added,
            None => {
                if kind == IndicatorType::StixPattern {
                    index.stats.patterns_skipped += 1;
                } else {
                    index.stats.invalid += 1;
                }
                return;
            }
        };
        if !added {
            index.stats.duplicates += 1;
            return;
        }
        index.count(kind);
        let source = match self.source_ids.get(sources) {
            Some(&s) => s,
            None => {
                let next = u32::try_from(index.sources.len()).unwrap_or(u32::MAX);
                index.sources.push(sources.into());
                self.source_ids.insert(sources.into(), next);
                next
            }
        };
        index.entries.push(Entry {
            id,
            kind,
            value: value.into(),
            source,
            tlp,
        });
    }

    /// The index, its tables shrunk to fit.
    pub fn finish(mut self) -> IntelIndex {
        self.index.shrink();
        self.index
    }
}

/// Active indicators compiled for matching events.
#[derive(Debug, Clone)]
pub struct IntelIndex {
    entries: Vec<Entry>,
    sources: Vec<Box<str>>,
    observables: Observables,
    v4: Map<u32>,
    v6: Map<u128>,
    nets: PrefixTable,
    domains: SuffixTable,
    urls: Map<Box<str>>,
    md5: Map<[u8; 16]>,
    sha1: Map<[u8; 20]>,
    sha256: Map<[u8; 32]>,
    sha512: Map<[u8; 64]>,
    emails: Map<Box<str>>,
    filenames: Map<Box<str>>,
    stats: BuildStats,
}

fn put<K: Hash + Eq>(map: &mut Map<K>, key: K, value: u32) -> bool {
    match map.entry(key) {
        std::collections::hash_map::Entry::Occupied(_) => false,
        std::collections::hash_map::Entry::Vacant(v) => {
            v.insert(value);
            true
        }
    }
}

impl IntelIndex {
    /// Compiles indicators (as `Store::active_indicators` gives them) with the default
    /// observable fields.
    pub fn build(indicators: impl IntoIterator<Item = IndicatorView>) -> IntelIndex {
        IntelIndex::build_with(indicators, Observables::default())
    }

    /// Compiles indicators, reading events' observables from the fields `observables` names.
    pub fn build_with(
        indicators: impl IntoIterator<Item = IndicatorView>,
        observables: Observables,
    ) -> IntelIndex {
        let mut builder = IntelIndexBuilder::new(observables);
        for view in indicators {
            builder.add(
                view.id,
                view.kind,
                &view.value,
                view.tlp,
                &view.sources.join(","),
            );
        }
        builder.finish()
    }

    /// Puts one value in its table as number `n`: `Some(false)` when the key was there,
    /// `None` when the value does not read as its type.
    fn insert(&mut self, kind: IndicatorType, value: &str, n: u32) -> Option<bool> {
        let added = match kind {
            IndicatorType::Ipv4 | IndicatorType::Ipv6 => match text::parse_ip(value)? {
                IpAddr::V4(a) => put(&mut self.v4, u32::from(a), n),
                IpAddr::V6(a) => put(&mut self.v6, u128::from(a), n),
            },
            IndicatorType::Cidr => {
                let (addr, len) = value.trim().split_once('/')?;
                let addr: IpAddr = addr.parse().ok()?;
                let len: u8 = len.parse().ok()?;
                // An equal network may be there; insert only when it is not.
                let mut same = false;
                self.nets.each(addr, |l, _| same |= l == len);
                if !same {
                    self.nets.insert(addr, len, n);
                }
                !same
            }
            IndicatorType::Domain => {
                let d = text::host(value).to_lowercase();
                if d.is_empty() {
                    return None;
                }
                if self.domains.exact(&d).is_some() {
                    return Some(false);
                }
                self.domains.insert(&d, n);
                true
            }
            IndicatorType::Url => {
                let parts = text::url_parts(value)?;
                let key = parts.key(value).into_owned().into_boxed_str();
                put(&mut self.urls, key, n)
            }
            IndicatorType::Md5
            | IndicatorType::Sha1
            | IndicatorType::Sha256
            | IndicatorType::Sha512 => match Digest::from_hex(value)? {
                Digest::Md5(d) if kind == IndicatorType::Md5 => put(&mut self.md5, d, n),
                Digest::Sha1(d) if kind == IndicatorType::Sha1 => put(&mut self.sha1, d, n),
                Digest::Sha256(d) if kind == IndicatorType::Sha256 => put(&mut self.sha256, d, n),
                Digest::Sha512(d) if kind == IndicatorType::Sha512 => put(&mut self.sha512, d, n),
                _ => return None,
            },
            IndicatorType::Email => {
                let e = text::email(value)?.to_lowercase().into_boxed_str();
                put(&mut self.emails, e, n)
            }
            IndicatorType::Filename => {
                let name = text::basename(value);
                if name.is_empty() {
                    return None;
                }
                let key = vigie_event::fold_case(name).into_boxed_str();
                put(&mut self.filenames, key, n)
            }
            IndicatorType::StixPattern => return None,
        };
        Some(added)
    }

    fn count(&mut self, kind: IndicatorType) {
        let s = &mut self.stats;
        let counter = match kind {
            IndicatorType::Ipv4 | IndicatorType::Ipv6 => &mut s.addresses,
            IndicatorType::Cidr => &mut s.networks,
            IndicatorType::Domain => &mut s.domains,
            IndicatorType::Url => &mut s.urls,
            IndicatorType::Md5
            | IndicatorType::Sha1
            | IndicatorType::Sha256
            | IndicatorType::Sha512 => &mut s.hashes,
            IndicatorType::Email => &mut s.emails,
            IndicatorType::Filename => &mut s.filenames,
            IndicatorType::StixPattern => &mut s.patterns_skipped,
        };
        *counter += 1;
    }

    fn shrink(&mut self) {
        self.entries.shrink_to_fit();
        self.v4.shrink_to_fit();
        self.v6.shrink_to_fit();
        self.urls.shrink_to_fit();
        self.md5.shrink_to_fit();
        self.sha1.shrink_to_fit();
        self.sha256.shrink_to_fit();
        self.sha512.shrink_to_fit();
        self.emails.shrink_to_fit();
        self.filenames.shrink_to_fit();
    }

    /// What the build did.
    pub fn stats(&self) -> &BuildStats {
        &self.stats
    }

    /// The number of indicators that can match.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn observables(&self) -> &Observables {
        &self.observables
    }

    /// Appends to `out` one hit per indicator found in an observable field of `event` (the
    /// same indicator again for each field that holds it). `out` is not cleared; nothing is
    /// allocated beyond its growth, except for a URL whose scheme or host is not lower case
    /// and for non-ASCII names.
    pub fn matches<'i, 'e>(&'i self, event: &'e Event, out: &mut Vec<IntelHit<'i, 'e>>) {
        self.for_each_match(event, |hit| out.push(hit));
    }

    /// Calls `f` with each hit `matches` would give, without collecting them: for a loop whose
    /// events do not outlive one iteration.
    pub fn for_each_match<'i, 'e>(&'i self, event: &'e Event, mut f: impl FnMut(IntelHit<'i, 'e>)) {
        if self.entries.is_empty() {
            return;
        }
        for field in event.fields() {
            if let Some(kind) = self.observables.kind(&field.name) {
                self.value(kind, &field.name, &field.value, &mut f, 0);
            }
        }
    }

    fn value<'i, 'e>(
        &'i self,
        kind: ObservableKind,
        field: &'e str,
        value: &'e Value,
        out: &mut impl FnMut(IntelHit<'i, 'e>),
        depth: u8,
    ) {
        match value {
            Value::Str(s) => self.text(kind, field, s.as_str(), out),
            Value::List(items) if depth < MAX_LIST_DEPTH => {
                for item in items {
                    self.value(kind, field, item, out, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn text<'i, 'e>(
        &'i self,
        kind: ObservableKind,
        field: &'e str,
        s: &'e str,
        out: &mut impl FnMut(IntelHit<'i, 'e>),
    ) {
        match kind {
            ObservableKind::Ip => {
                if let Some(ip) = text::parse_ip(s) {
                    self.ip(ip, field, s.trim(), out);
                }
            }
            ObservableKind::Domain => self.host(text::host(s), field, out),
            ObservableKind::Url => self.url(s, field, out),
            ObservableKind::Hash => each_hash(s, |hex, d| {
                let found = match d {
                    Digest::Md5(k) => self.md5.get(&k),
                    Digest::Sha1(k) => self.sha1.get(&k),
                    Digest::Sha256(k) => self.sha256.get(&k),
                    Digest::Sha512(k) => self.sha512.get(&k),
                };
                if let Some(n) = found {
                    self.hit(*n, field, hex, out);
                }
            }),
            ObservableKind::Filename => {
                if self.filenames.is_empty() {
                    return;
                }
                let name = text::basename(s);
                let mut buf = [0u8; NAME_BUF];
                if let Some(n) = self.filenames.get(&*text::folded(name, &mut buf)) {
                    self.hit(*n, field, name, out);
                }
            }
            ObservableKind::Email => {
                if self.emails.is_empty() {
                    return;
                }
                if let Some(e) = text::email(s) {
                    let mut buf = [0u8; NAME_BUF];
                    if let Some(n) = self.emails.get(&*text::folded(e, &mut buf)) {
                        self.hit(*n, field, e, out);
                    }
                }
            }
        }
    }

    fn ip<'i, 'e>(
        &'i self,
        ip: IpAddr,
        field: &'e str,
        s: &'e str,
        out: &mut impl FnMut(IntelHit<'i, 'e>),
    ) {
        let exact = match ip {
            IpAddr::V4(a) => self.v4.get(&u32::from(a)),
            IpAddr::V6(a) => self.v6.get(&u128::from(a)),
        };
        if let Some(n) = exact {
            self.hit(*n, field, s, out);
        }
        self.nets.each(ip, |_, n| self.hit(n, field, s, out));
    }

    /// A host name or an address.
    fn host<'i, 'e>(
        &'i self,
        host: &'e str,
        field: &'e str,
        out: &mut impl FnMut(IntelHit<'i, 'e>),
    ) {
        if host.is_empty() {
            return;
        }
        if let Some(ip) = text::parse_ip(host) {
            return self.ip(ip, field, host, out);
        }
        if self.domains.is_empty() {
            return;
        }
        let mut buf = [0u8; NAME_BUF];
        let key = text::folded(host, &mut buf);
        self.domains
            .each(&key, |_, n| self.hit(n, field, host, out));
    }

    fn url<'i, 'e>(&'i self, s: &'e str, field: &'e str, out: &mut impl FnMut(IntelHit<'i, 'e>)) {
        let Some(parts) = text::url_parts(s) else {
            return;
        };
        if !self.urls.is_empty() {
            let key = parts.key(s);
            let observed = s.trim();
            if let Some(n) = self.urls.get(&*key) {
                self.hit(*n, field, observed, out);
            }
            // The store keeps a URL given without a scheme without one.
            if let Some(i) = key.find("://").filter(|_| !parts.scheme.is_empty()) {
                if let Some(n) = key.get(i + 3..).and_then(|k| self.urls.get(k)) {
                    self.hit(*n, field, observed, out);
                }
            }
        }
        self.host(parts.host(), field, out);
    }

    fn hit<'i, 'e>(
        &'i self,
        n: u32,
        field: &'e str,
        value: &'e str,
        out: &mut impl FnMut(IntelHit<'i, 'e>),
    ) {
        let Some(e) = self.entries.get(n as usize) else {
            return;
        };
        out(IntelHit {
            indicator_id: e.id,
            kind: e.kind,
            indicator: &e.value,
            field,
            value,
            source: self.sources.get(e.source as usize).map_or("", |s| s),
            tlp: e.tlp,
        });
    }
}
