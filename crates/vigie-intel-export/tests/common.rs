//! Shared by the export tests: the fixture store (`tests/fixtures/intel-export/` imported at a
//! fixed time), selections and paths.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use vigie_intel::{import_path, ImportOptions, SourceSpec, Store, Tlp};
use vigie_intel_export::{select, Selected, Selection};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn fixtures() -> PathBuf {
    root().join("tests/fixtures/intel-export")
}

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0)
        .single()
        .expect("valid time")
}

/// Imports `files` (each its own source, named after the file) into a store in `dir`.
pub fn store_from(dir: &Path, files: &[PathBuf]) -> Store {
    let mut store = Store::open(dir).expect("open store");
    for f in files {
        let name = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let spec = SourceSpec {
            name,
            default_tlp: None,
            default_confidence: None,
        };
        import_path(&mut store, &spec, f, &ImportOptions::new(t0())).expect("import");
    }
    store
}

/// The store of the export fixtures.
pub fn fixture_store(dir: &Path) -> Store {
    store_from(
        dir,
        &[
            fixtures().join("partner-bundle.json"),
            fixtures().join("cert-event.json"),
        ],
    )
}

pub fn selection(tlp_max: Tlp, detection_only: bool) -> Selection {
    Selection {
        tlp_max,
        types: Vec::new(),
        detection_only,
        now: t0(),
    }
}

pub fn chosen(store: &Store, tlp_max: Tlp, detection_only: bool) -> Selected {
    select(store, &selection(tlp_max, detection_only)).expect("select")
}

/// (type, value, TLP) of every indicator in force, sorted.
pub fn in_force(store: &Store) -> Vec<(String, String, Tlp, bool)> {
    let mut out: Vec<_> = chosen(store, Tlp::Red, false)
        .indicators
        .into_iter()
        .map(|e| {
            (
                e.view.kind.to_string(),
                e.view.value,
                e.view.tlp,
                e.view.to_ids,
            )
        })
        .collect();
    out.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    out
}
