//! The TAXII sync state (schema 3): per (source, API root, collection) the last `date_added`
//! taken, kept apart per key and updated in place; a schema-2 store migrates to it with its
//! data; and `import_stix` takes STIX objects from memory, reporting a bad one by its id while
//! the rest imports.

use chrono::{TimeZone, Utc};
use serde_json::json;
use vigie_intel::{import_stix, SourceSpec, Store, TaxiiState, Tlp};

fn spec(name: &str) -> SourceSpec {
    SourceSpec {
        name: name.into(),
        default_tlp: Some(Tlp::Green),
        default_confidence: None,
    }
}

fn at(hour: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, hour, 0, 0)
        .single()
        .expect("valid time")
}

const ROOT: &str = "http://127.0.0.1:5000/trustgroup1/";

#[test]
fn last_added_is_kept_per_source_root_and_collection() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(tmp.path()).expect("store");
    let a = store
        .ensure_source(&spec("partner-a"), at(8))
        .expect("source");
    let b = store
        .ensure_source(&spec("partner-b"), at(8))
        .expect("source");
    assert_eq!(store.taxii_last_added(&a, ROOT, "c1").expect("read"), None);

    store
        .set_taxii_last_added(&a, ROOT, "c1", "2016-11-01T03:04:05.000000Z", at(8))
        .expect("write");
    store
        .set_taxii_last_added(&a, ROOT, "c2", "2017-01-01T00:00:00Z", at(8))
        .expect("write");
    assert_eq!(
        store
            .taxii_last_added(&a, ROOT, "c1")
            .expect("read")
            .as_deref(),
        Some("2016-11-01T03:04:05.000000Z"),
        "kept as the server wrote it"
    );
    assert_eq!(store.taxii_last_added(&b, ROOT, "c1").expect("read"), None);
    assert_eq!(
        store
            .taxii_last_added(&a, "http://other/api1/", "c1")
            .expect("read"),
        None
    );

    store
        .set_taxii_last_added(&a, ROOT, "c1", "2017-12-31T13:49:53.935000Z", at(9))
        .expect("update");
    assert_eq!(
        store.taxii_states(&a).expect("states"),
        vec![
            TaxiiState {
                api_root: ROOT.into(),
                collection: "c1".into(),
                last_added: "2017-12-31T13:49:53.935000Z".into(),
                synced_at: "2026-03-02T09:00:00.000Z".into(),
            },
            TaxiiState {
                api_root: ROOT.into(),
                collection: "c2".into(),
                last_added: "2017-01-01T00:00:00Z".into(),
                synced_at: "2026-03-02T08:00:00.000Z".into(),
            },
        ]
    );
}

#[test]
fn a_version_2_store_is_migrated_with_its_data() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join(vigie_intel::STORE_FILE);
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        for step in &vigie_intel::MIGRATIONS[..2] {
            conn.execute_batch(step).expect("schema 1 and 2");
        }
        conn.pragma_update(None, "user_version", 2)
            .expect("version");
        conn.execute(
            "INSERT INTO source (name, default_tlp, created) VALUES ('old', 2, '2025-01-01T00:00:00.000Z')",
            [],
        )
        .expect("source");
    }
    let mut store = Store::open(tmp.path()).expect("migrates");
    assert_eq!(store.schema_version().expect("version"), 3);
    assert_eq!(vigie_intel::schema_version(), 3);
    let old = store.source("old").expect("read").expect("kept");
    store
        .set_taxii_last_added(&old, ROOT, "c1", "2017-01-01T00:00:00Z", at(8))
        .expect("the new table is there");
    drop(store);
    let store = Store::open(tmp.path()).expect("reopens");
    assert_eq!(
        store
            .taxii_last_added(&old, ROOT, "c1")
            .expect("read")
            .as_deref(),
        Some("2017-01-01T00:00:00Z")
    );
}

#[test]
fn stix_objects_from_memory_import_and_a_bad_one_is_named() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(tmp.path()).expect("store");
    let objects = json!([
        {"type": "indicator", "spec_version": "2.1", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
         "created": "2026-01-01T00:00:00Z", "modified": "2026-01-01T00:00:00Z",
         "pattern": "[ipv4-addr:value = '198.51.100.7']", "pattern_type": "stix",
         "valid_from": "2026-01-01T00:00:00Z"},
        {"type": "indicator", "spec_version": "2.1", "id": "indicator--0b6a3e2f-7c1e-4f55-9a55-5d3c2b1a0f00",
         "created": "2026-01-01T00:00:00Z", "modified": "2026-01-01T00:00:00Z",
         "pattern": "[ipv4-addr:value = ", "pattern_type": "stix",
         "valid_from": "2026-01-01T00:00:00Z"}
    ]);
    let origin = "http://127.0.0.1:5000/trustgroup1/collections/c1/objects/";
    let r = import_stix(&mut store, &spec("partner"), &objects, origin, at(8)).expect("import");
    assert_eq!((r.objects, r.new_indicators), (2, 1));
    assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
    assert_eq!(r.problems[0].file, origin);
    assert_eq!(
        r.problems[0].place,
        "indicator--0b6a3e2f-7c1e-4f55-9a55-5d3c2b1a0f00"
    );
    let again = import_stix(&mut store, &spec("partner"), &objects, origin, at(9)).expect("again");
    assert_eq!((again.new_indicators, again.already_known), (0, 1));
    assert!(import_stix(&mut store, &spec("partner"), &json!(42), origin, at(9)).is_err());
}
