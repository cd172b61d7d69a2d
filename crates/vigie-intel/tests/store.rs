//! The store's promises on small fixtures (`tests/fixtures/intel/`): one indicator per value
//! with one provenance row per source, TLP from markings and tags, expiry, `to_ids`,
//! idempotent re-import, incremental feeds, size limits, schema versions, and hostile input
//! that is reported, never a panic.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, TimeZone, Utc};
use vigie_intel::{
    import_path, parse_stix, Column, Format, ImportError, ImportOptions, ImportReport,
    IndicatorType, ListFilter, SourceSpec, Status, Store, StoreError, Tlp,
};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/intel")
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0)
        .single()
        .expect("valid time")
}

fn spec(name: &str, tlp: Option<Tlp>) -> SourceSpec {
    SourceSpec {
        name: name.into(),
        default_tlp: tlp,
        default_confidence: None,
    }
}

fn import_as(store: &mut Store, name: &str, path: &Path, opts: &ImportOptions) -> ImportReport {
    import_path(store, &spec(name, None), path, opts).expect("import")
}

fn all(store: &Store, at: DateTime<Utc>) -> Vec<vigie_intel::IndicatorView> {
    let mut out = Vec::new();
    store
        .list(
            &ListFilter {
                kind: None,
                all: true,
            },
            at,
            |v| {
                out.push(v);
                Ok::<(), StoreError>(())
            },
        )
        .expect("list");
    out
}

#[test]
fn stix_bundle_values_markings_expiry_and_problems() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(tmp.path()).expect("store");
    let r = import_as(
        &mut store,
        "cert",
        &fixtures().join("bundle.json"),
        &ImportOptions::new(now()),
    );
    assert_eq!(r.objects, 11);
    // ip; domain + ip + url; expired ip; stix-pattern; sha256 + md5; url.
    assert_eq!(r.values, 9);
    assert_eq!(r.new_indicators, 9);
    assert_eq!(r.problems.len(), 2, "{:#?}", r.problems);
    assert_eq!(
        r.problems[0].place,
        "indicator--1f0ab6f0-4bde-4b9e-9d5f-2a8d86f0c0b1"
    );
    assert!(r.problems[0].reason.starts_with("invalid pattern"));
    assert_eq!(
        r.problems[1].place,
        "indicator--95d6c3a2-7f1c-4f55-bb50-3a14a7f0b7c2"
    );
    assert_eq!(r.skipped_total(), 3);

    let ip = store
        .get(IndicatorType::Ipv4, "203.0.113.45", now())
        .expect("read")
        .expect("present");
    assert_eq!(ip.tlp, Tlp::Amber, "TLP 2.0 amber marking id");
    assert_eq!(ip.confidence, Some(85));
    let prov = store.provenance(ip.id).expect("provenance");
    assert_eq!(prov[0].attack, vec!["T1041".to_owned()]);
    assert_eq!(
        prov[0].kill_chain,
        vec!["mitre-attack:exfiltration".to_owned()]
    );
    assert_eq!(prov[0].labels, vec!["malicious-activity".to_owned()]);
    let domain = store
        .get(IndicatorType::Domain, "portail-agence.example", now())
        .expect("read")
        .expect("present");
    assert_eq!(domain.tlp, Tlp::Green, "marking-definition in the bundle");
    let refanged = store
        .get(
            IndicatorType::Url,
            "https://cdn-maj.example/update.bin",
            now(),
        )
        .expect("read");
    assert!(refanged.is_some(), "defanged SCO value refanged");
    assert!(store
        .get(
            IndicatorType::StixPattern,
            "[file:name = 'facture.pdf.exe' AND file:size > 100000]",
            now()
        )
        .expect("read")
        .is_some());

    // Expired: listed with --all, not by default, never for matching.
    let old = store
        .get(IndicatorType::Ipv4, "192.0.2.77", now())
        .expect("read")
        .expect("kept");
    assert_eq!(old.status, Status::Expired);
    let active = store.active_indicators(now()).expect("active");
    assert_eq!(active.len(), 8);
    assert!(active.iter().all(|v| v.value != "192.0.2.77"));
    let mut listed = 0;
    store
        .list(&ListFilter::default(), now(), |_| {
            listed += 1;
            Ok::<(), StoreError>(())
        })
        .expect("list");
    assert_eq!(listed, 8);
    assert_eq!(all(&store, now()).len(), 9);
    // Before its end it was active.
    let in_2019 = Utc
        .with_ymd_and_hms(2019, 12, 1, 0, 0, 0)
        .single()
        .expect("time");
    assert!(store
        .active_indicators(in_2019)
        .expect("active")
        .iter()
        .any(|v| v.value == "192.0.2.77"));
}

#[test]
fn one_indicator_many_sources_and_idempotent_reimport() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(tmp.path()).expect("store");
    let opts = ImportOptions::new(now());
    import_as(&mut store, "cert", &fixtures().join("bundle.json"), &opts);
    let misp = import_path(
        &mut store,
        &spec("partner-misp", None),
        &fixtures().join("misp-event.json"),
        &opts,
    )
    .expect("import");
    assert_eq!(misp.objects, 8);
    assert_eq!(misp.problems.len(), 1, "{:#?}", misp.problems);
    assert_eq!(
        misp.problems[0].place,
        "event c1a3f0de-2b7e-4c55-9a61-5e0d8b7f1a01 attribute 5b0a6f0e-0006-4c1e-9a61-5e0d8b7f1a01"
    );
    // 203.0.113.45 and the e-mail address were known from the bundle? Only the IP.
    assert_eq!(misp.new_provenance, 1);
    let ip = store
        .get(IndicatorType::Ipv4, "203.0.113.45", now())
        .expect("read")
        .expect("present");
    assert_eq!(
        ip.sources,
        vec!["cert".to_owned(), "partner-misp".to_owned()]
    );
    assert_eq!(store.provenance(ip.id).expect("provenance").len(), 2);
    // The attribute's own tlp:red beats the event's tlp:amber.
    let sha = store
        .get(
            IndicatorType::Sha256,
            "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
            now(),
        )
        .expect("read")
        .expect("present");
    assert_eq!(sha.tlp, Tlp::Red);
    let prov = store.provenance(sha.id).expect("provenance");
    assert_eq!(prov[0].attack, vec!["T1486".to_owned()]);
    // to_ids false: listed, not for matching.
    let host = store
        .get(IndicatorType::Domain, "update.partner-cdn.example", now())
        .expect("read")
        .expect("present");
    assert!(!host.to_ids);
    assert!(store
        .active_indicators(now())
        .expect("active")
        .iter()
        .all(|v| v.value != "update.partner-cdn.example"));
    // The streamed form matching reads gives the same indicators, TLPs and sources.
    let mut streamed = Vec::new();
    store
        .for_each_active(now(), |a| {
            streamed.push((
                a.id,
                a.kind,
                a.value.to_owned(),
                a.tlp,
                a.sources.to_owned(),
            ))
        })
        .expect("stream");
    let mut viewed: Vec<_> = store
        .active_indicators(now())
        .expect("active")
        .into_iter()
        .map(|v| (v.id, v.kind, v.value, v.tlp, v.sources.join(",")))
        .collect();
    viewed.sort();
    assert!(
        streamed.iter().any(|s| s.4.contains(',')),
        "some have two sources"
    );
    assert_eq!(streamed, viewed);

    // Re-import, a day later: no new indicator, provenance refreshed, first seen kept.
    let before = all(&store, now()).len();
    let later = now() + Duration::days(1);
    let again = import_as(
        &mut store,
        "cert",
        &fixtures().join("bundle.json"),
        &ImportOptions::new(later),
    );
    assert_eq!((again.new_indicators, again.new_provenance), (0, 0));
    assert_eq!(again.already_known, 9);
    assert_eq!(all(&store, later).len(), before);
    let prov = store.provenance(ip.id).expect("provenance");
    let cert = prov.iter().find(|p| p.source == "cert").expect("cert row");
    assert_eq!(cert.first_seen, "2026-03-02T08:00:00.000Z");
    assert_eq!(cert.last_seen, "2026-03-03T08:00:00.000Z");
}

#[test]
fn feed_is_incremental_and_hostile_manifest_entries_are_reported() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(tmp.path()).expect("store");
    let feed = fixtures().join("feed");
    let r = import_as(&mut store, "feed", &feed, &ImportOptions::new(now()));
    assert_eq!(r.events_imported, 2);
    assert_eq!(r.objects, 7);
    assert_eq!(r.new_indicators, 5);
    let places: Vec<&str> = r.problems.iter().map(|p| p.place.as_str()).collect();
    assert_eq!(
        places,
        vec![
            "event \"../../etc/passwd\"",
            "event a7d3c2b1-0002-4e5f-8a9b-0c1d2e3f4a5b attribute b2000000-0000-4000-8000-000000000003",
            "event a7d3c2b1-0003-4e5f-8a9b-0c1d2e3f4a5b",
        ]
    );
    assert_eq!(r.problems.len(), 3, "{:#?}", r.problems);
    let cidr = store
        .get(IndicatorType::Cidr, "198.51.100.0/24", now())
        .expect("read")
        .expect("present");
    assert_eq!(cidr.tlp, Tlp::Green);
    let again = import_as(
        &mut store,
        "feed",
        &feed,
        &ImportOptions::new(now() + Duration::hours(1)),
    );
    assert_eq!(again.events_unchanged, 2);
    assert_eq!(again.events_imported, 0);
    // The event whose file is missing was not remembered: it is tried again.
    assert_eq!(again.problems.len(), 2);
}

#[test]
fn lists_and_csv_columns() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(tmp.path()).expect("store");
    let list = import_path(
        &mut store,
        &spec("blocklist", Some(Tlp::Green)),
        &fixtures().join("blocklist.txt"),
        &ImportOptions::new(now()),
    )
    .expect("import");
    assert_eq!((list.objects, list.values, list.problems.len()), (7, 6, 1));
    assert_eq!(list.problems[0].place, "line 8");
    let kinds: Vec<IndicatorType> = all(&store, now()).iter().map(|v| v.kind).collect();
    assert_eq!(
        kinds,
        vec![
            IndicatorType::Cidr,
            IndicatorType::Domain,
            IndicatorType::Email,
            IndicatorType::Ipv4,
            IndicatorType::Sha256,
            IndicatorType::Url,
        ]
    );
    assert!(all(&store, now()).iter().all(|v| v.tlp == Tlp::Green));

    let mut opts = ImportOptions::new(now());
    opts.column = Some(Column::Name("indicator".into()));
    let csv = import_path(
        &mut store,
        &spec("csv", None),
        &fixtures().join("iocs.csv"),
        &opts,
    )
    .expect("import");
    assert_eq!((csv.objects, csv.values, csv.problems.len()), (3, 2, 1));
    assert_eq!(csv.problems[0].place, "line 5");
    assert_eq!(csv.new_provenance, 2);
    opts.column = Some(Column::Name("ioc".into()));
    let err = import_path(
        &mut store,
        &spec("csv", None),
        &fixtures().join("iocs.csv"),
        &opts,
    );
    assert!(matches!(err, Err(ImportError::UnknownColumn { .. })));
}

#[test]
fn size_limit_and_unreadable_files() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&tmp.path().join("store")).expect("store");
    let mut opts = ImportOptions::new(now());
    opts.max_file_size = 100;
    let err = import_path(
        &mut store,
        &spec("s", None),
        &fixtures().join("bundle.json"),
        &opts,
    );
    assert!(
        matches!(err, Err(ImportError::TooLarge { limit: 100, .. })),
        "{err:?}"
    );
    let opts = ImportOptions::new(now());
    let err = import_path(
        &mut store,
        &spec("s", None),
        &fixtures().join("broken.json"),
        &opts,
    );
    assert!(matches!(err, Err(ImportError::NotJson { .. })), "{err:?}");
    let err = import_path(
        &mut store,
        &spec("s", None),
        &fixtures().join("missing.json"),
        &opts,
    );
    assert!(matches!(err, Err(ImportError::Io { .. })), "{err:?}");
    // In a folder, a bad file is a problem and the others import.
    let dir = tmp.path().join("mixed");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::copy(fixtures().join("broken.json"), dir.join("a.json")).expect("copy");
    std::fs::copy(fixtures().join("bundle.json"), dir.join("b.json")).expect("copy");
    let r = import_path(&mut store, &spec("s", None), &dir, &opts).expect("import");
    assert_eq!(r.files, 1);
    assert_eq!(r.new_indicators, 9);
    assert_eq!(r.problems[0].place, "file");
}

#[test]
fn schema_is_versioned_and_data_durable() {
    let tmp = tempfile::tempdir().expect("temp dir");
    {
        let mut store = Store::open(tmp.path()).expect("store");
        assert_eq!(
            store.schema_version().expect("version"),
            vigie_intel::schema_version()
        );
        import_as(
            &mut store,
            "cert",
            &fixtures().join("bundle.json"),
            &ImportOptions::new(now()),
        );
    }
    let store = Store::open(tmp.path()).expect("reopen");
    assert_eq!(all(&store, now()).len(), 9);
    drop(store);
    let conn = rusqlite::Connection::open(tmp.path().join(vigie_intel::STORE_FILE)).expect("open");
    conn.pragma_update(None, "user_version", 99)
        .expect("set version");
    drop(conn);
    match Store::open(tmp.path()) {
        Err(StoreError::NewerSchema { found: 99, .. }) => {}
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("a newer schema must be refused"),
    }
}

#[test]
fn hostile_stix_and_misp_never_panic() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let long = "a".repeat(200_000);
    let samples = vec![
        deep,
        "{\"type\": \"bundle\", \"objects\": 5}".to_owned(),
        "{\"type\": \"bundle\", \"objects\": [{\"type\": 5, \"id\": []}, {\"id\": \"x\"}, null, []]}".to_owned(),
        format!("{{\"type\": \"bundle\", \"objects\": [{{\"type\": \"indicator\", \"id\": \"indicator--1\", \"pattern\": \"[url:value = '{long}']\", \"valid_from\": 5}}]}}"),
        "{\"type\": \"indicator\", \"id\": \"indicator--1\", \"pattern\": \"[ipv4-addr:value = '1.2.3.4']\", \"valid_from\": \"2020-01-01T00:00:00Z\", \"valid_until\": \"2019-01-01T00:00:00Z\", \"confidence\": 1000}".to_owned(),
        "{\"type\": \"file\", \"id\": \"file--1\", \"hashes\": {\"MD5\": 5, \"SHA-256\": \"zz\"}}".to_owned(),
        "{\"Event\": {\"Attribute\": [{\"type\": \"ip-dst|port\", \"value\": \"1.2.3.4\"}, {\"type\": 7}, {\"type\": \"md5\", \"value\": []}], \"Object\": 5, \"Tag\": \"x\"}}".to_owned(),
        "{\"response\": [{\"Event\": {\"Attribute\": {\"a\": 1}}}]}".to_owned(),
        "[[[[{\"Event\": {}}]]]]".to_owned(),
    ];
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&tmp.path().join("store")).expect("store");
    for (i, s) in samples.iter().enumerate() {
        let path = tmp.path().join(format!("hostile-{i}.json"));
        std::fs::write(&path, s).expect("write");
        let r = import_path(
            &mut store,
            &spec("hostile", None),
            &path,
            &ImportOptions::new(now()),
        );
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(s) {
            let _ = parse_stix(&value, "x");
        }
        if let Ok(r) = r {
            assert_eq!(r.new_indicators, 0, "sample {i}: {r:#?}");
        }
    }
    let mut opts = ImportOptions::new(now());
    opts.format = Format::List;
    let bin = tmp.path().join("binary.txt");
    std::fs::write(&bin, [0xff, 0xfe, 0x00, 0x41]).expect("write");
    assert!(matches!(
        import_path(&mut store, &spec("hostile", None), &bin, &opts),
        Err(ImportError::NotText { .. })
    ));
}

#[test]
fn feed_values_dropped_by_the_feed_lose_their_provenance() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let feed = tmp.path().join("feed");
    std::fs::create_dir(&feed).expect("mkdir");
    for e in std::fs::read_dir(fixtures().join("feed")).expect("read dir") {
        let e = e.expect("entry");
        std::fs::copy(e.path(), feed.join(e.file_name())).expect("copy");
    }
    let mut store = Store::open(&tmp.path().join("store")).expect("store");
    // The IPv6 address also comes from another source: it must survive its feed's change.
    let list = tmp.path().join("other.txt");
    std::fs::write(&list, "2001:db8::beef\n").expect("write");
    import_as(&mut store, "other", &list, &ImportOptions::new(now()));
    import_as(&mut store, "feed", &feed, &ImportOptions::new(now()));
    assert_eq!(all(&store, now()).len(), 5);

    // Event 0001 drops its IPv6 and CIDR attributes and moves its timestamp on.
    let e1 = feed.join("a7d3c2b1-0001-4e5f-8a9b-0c1d2e3f4a5b.json");
    let mut event: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&e1).expect("read")).expect("json");
    let attrs = event["Event"]["Attribute"]
        .as_array_mut()
        .expect("attributes");
    attrs.retain(|a| a["type"] != "ip-dst");
    std::fs::write(&e1, event.to_string()).expect("write");
    let manifest_path = feed.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).expect("read"))
            .expect("json");
    manifest["a7d3c2b1-0001-4e5f-8a9b-0c1d2e3f4a5b"]["timestamp"] = "1770800000".into();
    std::fs::write(&manifest_path, manifest.to_string()).expect("write");
    let later = now() + Duration::hours(1);
    let r = import_as(&mut store, "feed", &feed, &ImportOptions::new(later));
    assert_eq!(
        (r.events_imported, r.events_unchanged, r.retired),
        (1, 1, 2)
    );
    assert!(store
        .get(IndicatorType::Cidr, "198.51.100.0/24", later)
        .expect("read")
        .is_none());
    let v6 = store
        .get(IndicatorType::Ipv6, "2001:db8::beef", later)
        .expect("read")
        .expect("still given by the other source");
    assert_eq!(v6.sources, vec!["other".to_owned()]);

    // Event 0002 leaves the feed.
    manifest
        .as_object_mut()
        .expect("object")
        .remove("a7d3c2b1-0002-4e5f-8a9b-0c1d2e3f4a5b");
    std::fs::write(&manifest_path, manifest.to_string()).expect("write");
    let r = import_as(&mut store, "feed", &feed, &ImportOptions::new(later));
    assert_eq!((r.events_removed, r.retired), (1, 2));
    let left: Vec<String> = all(&store, later).into_iter().map(|v| v.value).collect();
    assert_eq!(
        left,
        vec!["203.0.113.45".to_owned(), "2001:db8::beef".to_owned()]
    );
}

#[test]
fn a_version_1_store_is_migrated() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join(vigie_intel::STORE_FILE);
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(vigie_intel::MIGRATIONS[0])
            .expect("schema 1");
        conn.pragma_update(None, "user_version", 1)
            .expect("version");
        conn.execute(
            "INSERT INTO source (name, default_tlp, created) VALUES ('old', 2, '2025-01-01T00:00:00.000Z')",
            [],
        )
        .expect("source");
    }
    let mut store = Store::open(tmp.path()).expect("migrates");
    assert_eq!(
        store.schema_version().expect("version"),
        vigie_intel::schema_version()
    );
    assert_eq!(store.sources().expect("sources")[0].name, "old");
    let r = import_as(
        &mut store,
        "feed",
        &fixtures().join("feed"),
        &ImportOptions::new(now()),
    );
    assert_eq!(r.events_imported, 2);
}

#[test]
fn all_provenance_in_one_pass_equals_per_indicator_reads() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(tmp.path()).expect("store");
    let opts = ImportOptions::new(now());
    import_as(&mut store, "cert", &fixtures().join("bundle.json"), &opts);
    import_as(
        &mut store,
        "partner",
        &fixtures().join("misp-event.json"),
        &opts,
    );
    import_as(&mut store, "list", &fixtures().join("blocklist.txt"), &opts);
    let mut one_pass: Vec<(i64, vigie_intel::ProvenanceView)> = Vec::new();
    store
        .all_provenance(|id, p| {
            one_pass.push((id, p));
            Ok::<(), vigie_intel::StoreError>(())
        })
        .expect("one pass");
    let mut each = Vec::new();
    let mut ids: Vec<i64> = all(&store, now()).iter().map(|v| v.id).collect();
    ids.sort_unstable();
    for id in ids {
        for p in store.provenance(id).expect("per indicator") {
            each.push((id, p));
        }
    }
    assert!(one_pass.len() > 10);
    assert_eq!(one_pass, each);
}
