//! Every record of every corpus EVTX file flattens the same from its JSON text (the fast
//! path) as from the `serde_json::Value` the `evtx` crate would give (the general path).

use std::path::PathBuf;

use evtx::EvtxParser;
use vigie_event::{flatten_evtx_json, flatten_evtx_text};

#[test]
fn fast_evtx_flattening_equals_the_general_one() {
    let corpus = std::env::var_os("VIGIE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
        });
    let dir = corpus.join("evtx");
    if !dir.is_dir() {
        eprintln!(
            "SKIPPED fast_evtx_flattening_equals_the_general_one: corpus not found at {} (set VIGIE_CORPUS)",
            corpus.display()
        );
        return;
    }
    let mut records = 0;
    let mut files = 0;
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.path().extension().and_then(|e| e.to_str()) != Some("evtx") {
            continue;
        }
        let Ok(mut parser) = EvtxParser::from_path(entry.path()) else {
            continue;
        };
        files += 1;
        for rec in parser.records_json().flatten() {
            let general = serde_json::from_str::<serde_json::Value>(&rec.data)
                .ok()
                .and_then(|doc| flatten_evtx_json(&doc));
            let fast = flatten_evtx_text(&rec.data, 0).expect("valid JSON");
            match (general, fast) {
                (Some(g), Some(f)) => {
                    assert_eq!(g.timestamp, f.timestamp, "{}", entry.path().display());
                    assert_eq!(g.record_id, f.record_id, "{}", entry.path().display());
                    let gf: Vec<_> = g.fields().iter().map(|x| (&x.name, &x.value)).collect();
                    let ff: Vec<_> = f.fields().iter().map(|x| (&x.name, &x.value)).collect();
                    assert_eq!(
                        gf,
                        ff,
                        "{} record {}",
                        entry.path().display(),
                        rec.event_record_id
                    );
                }
                (None, None) => {}
                (g, f) => panic!(
                    "{} record {}: general {:?}, fast {:?}",
                    entry.path().display(),
                    rec.event_record_id,
                    g.is_some(),
                    f.is_some()
                ),
            }
            records += 1;
        }
    }
    eprintln!("fast EVTX flattening: {records} records of {files} files agree");
    assert!(records > 10_000, "too few records: {records}");
}
