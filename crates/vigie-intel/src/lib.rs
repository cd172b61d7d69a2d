//! The threat-intel store: indicators (IPs, networks, domains, URLs, hashes, e-mail addresses,
//! file names, and STIX patterns that are more than equalities) in an embedded SQLite database,
//! one indicator per normalised (type, value) with one provenance row per source (confidence,
//! TLP, `to_ids`, validity, labels, kill-chain phases, ATT&CK ids, first and last seen), and
//! the imports that fill it: STIX 2.1 content, MISP events and feeds (incremental), plain lists
//! and CSV columns; and where each TAXII collection a source syncs stands. It knows files and
//! SQLite; no terminals, no network.
//!
//! ```
//! use vigie_intel::{import_path, ImportOptions, SourceSpec, Store, Tlp};
//!
//! let dir = tempfile::tempdir().expect("temp dir");
//! std::fs::write(dir.path().join("c2.txt"), "# C2\n198.51.100.7\nevil[.]example\n").expect("write");
//! let mut store = Store::open(&dir.path().join("intel")).expect("store");
//! let source = SourceSpec { name: "partner".into(), default_tlp: Some(Tlp::Green), default_confidence: None };
//! let now = chrono::Utc::now();
//! let report = import_path(&mut store, &source, &dir.path().join("c2.txt"), &ImportOptions::new(now)).expect("import");
//! assert_eq!(report.new_indicators, 2);
//! assert_eq!(store.active_indicators(now).expect("read").len(), 2);
//! ```

mod error;
mod import;
mod indicator;
mod list_import;
mod misp_import;
mod normalize;
mod pattern_values;
mod report;
mod schema;
mod stix_import;
mod store;
mod taxii_state;
mod timestamp;
mod tlp;

pub use error::{ImportError, NormalizeError, Problem, StoreError};
pub use import::{
    import_path, import_stix, read_limited, Format, ImportOptions, DEFAULT_MAX_FILE_SIZE,
};
pub use indicator::{IndicatorType, Record};
pub use list_import::{parse_csv, parse_list, Column, CsvError};
pub use misp_import::{event_id, events as misp_events, parse_event as parse_misp_event};
pub use normalize::{guess, normalize, refang};
pub use pattern_values::{pattern_values, PatternValues};
pub use report::{ImportReport, Parsed};
pub use schema::{current_version as schema_version, MIGRATIONS};
pub use stix_import::parse_stix;
pub use store::{
    ActiveIndicator, IndicatorView, Ingested, ListFilter, ProvenanceView, SourceInfo, SourceSpec,
    SourceStats, Stats, Status, Store, FALLBACK_TLP, STORE_FILE,
};
pub use taxii_state::TaxiiState;
pub use timestamp::format as format_timestamp;
pub use tlp::Tlp;
