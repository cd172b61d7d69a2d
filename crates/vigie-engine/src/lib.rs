//! Vigie's detection engine: Sigma rules compiled once into a [`RuleSet`], routed by
//! logsource through a [`Mapping`], evaluated over [`vigie_event::Event`]s; correlation
//! rules evaluated over the stream of hits by a [`Correlator`].
//!
//! The engine knows no files, sockets or output formats: it takes rule texts and events and
//! gives hits.

mod bitset;
mod class_run;
mod compile;
mod correlation;
mod event_filter;
mod field_index;
mod fold_memo;
mod folded_text;
mod forward_regex;
mod lazy_regex;
mod mapping;
mod pattern;
mod pattern_set;
mod predicate;
mod prefix_trie;
mod regex_literals;
mod route_table;
mod ruleset;
mod scan_cache;
mod shape_cache;
mod slot_routes;
mod slot_table;
mod transform;

pub use correlation::{CorrelationHit, Correlator, CorrelatorLimits};
pub use event_filter::EventFilter;
pub use mapping::{Mapping, MappingError, Route};
pub use pattern::{Pattern, Piece, StrTest};
pub use ruleset::{
    CorrelationDef, Hit, LoadIssue, RuleInfo, RuleKind, RuleSet, RuleSetBuilder, Scratch,
};
pub use transform::Placeholders;

/// The per-event lookups (field names, equals values, pattern keys) use a fast
/// non-cryptographic hash: keys come from rules, and an event can only choose which of them
/// it hits.
type FastMap<K, V> = foldhash::HashMap<K, V>;
