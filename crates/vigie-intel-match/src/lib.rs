//! Threat-intel matching at line rate: the active indicators of a `vigie-intel` store compiled
//! once into an [`IntelIndex`] (hash sets of addresses, digests, URLs, e-mail addresses and
//! file names, an IP prefix table for networks, a domain-suffix table so that `evil.com`
//! matches `a.b.evil.com` but not `notevil.com`), and events matched against it through the
//! fields a data file names as carrying observables (`observables.yml`).
//!
//! ```
//! use vigie_event::{Event, Value};
//! use vigie_intel::{IndicatorType, IndicatorView, Status, Tlp};
//! use vigie_intel_match::IntelIndex;
//!
//! let view = IndicatorView {
//!     id: 7, kind: IndicatorType::Domain, value: "evil.example".into(), tlp: Tlp::Amber,
//!     confidence: None, to_ids: true, status: Status::Active, valid_from: None,
//!     valid_until: None, first_seen: String::new(), last_seen: String::new(),
//!     sources: vec!["partner".into()],
//! };
//! let index = IntelIndex::build([view]);
//! let mut event = Event::default();
//! event.push("QueryName", Value::str("cdn.EVIL.example"));
//! let mut hits = Vec::new();
//! index.matches(&event, &mut hits);
//! assert_eq!(hits.len(), 1);
//! assert_eq!((hits[0].indicator_id, hits[0].source, hits[0].tlp), (7, "partner", Tlp::Amber));
//! ```

mod error;
mod hashes;
mod index;
mod observables;
mod prefix;
mod suffix;
mod text;
mod warninglist;

pub use error::ObservablesError;
pub use index::{BuildStats, IntelHit, IntelIndex, IntelIndexBuilder};
pub use observables::{ObservableKind, Observables, DEFAULT_OBSERVABLES};
pub use prefix::PrefixTable;
pub use suffix::SuffixTable;
pub use warninglist::{Warninglist, WarninglistError, Warninglists};
