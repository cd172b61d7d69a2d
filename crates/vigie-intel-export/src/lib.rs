//! Sharing threat intel back: the store's indicators as a STIX 2.1 bundle, a MISP event, a
//! MISP feed folder and firewall blocklists (Palo Alto External Dynamic List conventions),
//! never above a TLP ceiling; and detections as STIX 2.1 sightings with observed-data. Ids are
//! deterministic (UUIDv5), so re-exports are stable. It reads the store and writes files; no
//! terminals, no network.

mod blocklist;
mod detection;
mod error;
mod ids;
mod json_stream;
mod misp_event;
mod misp_feed;
mod observables;
mod resolve;
mod selection;
mod sightings;
mod stix_common;
mod stix_indicators;

pub use blocklist::{
    blocklists, entries as blocklist_entries, list_name, write_blocklists, BlocklistReport,
};
pub use detection::{read_detections, DetectionRecord, IndicatorRef};
pub use error::{DetectionProblem, ExportError};
pub use ids::{canonical_json, indicator_id, sco_id, VIGIE_NAMESPACE};
pub use misp_event::{by_source, event_fields, misp_event, misp_type, write_misp_event, EventMeta};
pub use misp_feed::{
    attribute_hash_lines, hash_lines, manifest_entry, pretty, write_feed, write_with,
};
pub use observables::{observe, parse_hashes, Observables};
pub use resolve::resolve_store_ids;
pub use selection::{select, ExportIndicator, Selected, Selection};
pub use sightings::{sightings_bundle, withheld, SightingOptions};
pub use stix_common::{stix_time, tlp_marking, tlp_marking_id};
pub use stix_indicators::{
    indicator_object, indicators_bundle, pattern, string_literal, write_indicators_bundle,
};
