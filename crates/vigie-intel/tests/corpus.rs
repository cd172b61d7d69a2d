//! Imports of the corpus's threat-intel samples, checked against the samples' own counts: the
//! MISP feed sample (events in its manifest, attributes in its event files; incremental
//! re-import), the ATT&CK Enterprise objects (none is an indicator: every one skipped with its
//! reason), medallion's TAXII data (latest versions only) and the OASIS STIX examples.
//! Without the corpus each test says SKIPPED loudly and passes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::Value;
use vigie_intel::{
    import_path, Format, ImportOptions, ImportReport, IndicatorType, ListFilter, SourceSpec, Store,
    Tlp,
};

fn corpus(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("VIGIE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
        });
    if dir.join("intel").is_dir() {
        Some(dir.join("intel"))
    } else {
        eprintln!(
            "SKIPPED {test}: corpus not found at {} (set VIGIE_CORPUS)",
            dir.display()
        );
        None
    }
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0)
        .single()
        .expect("valid time")
}

fn spec(name: &str) -> SourceSpec {
    SourceSpec {
        name: name.into(),
        default_tlp: None,
        default_confidence: None,
    }
}

fn import(store: &mut Store, name: &str, path: &Path, now: DateTime<Utc>) -> ImportReport {
    let opts = ImportOptions::new(now);
    import_path(store, &spec(name), path, &opts).expect("import")
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json")
}

fn count(store: &Store, now: DateTime<Utc>) -> usize {
    let mut n = 0;
    store
        .list(
            &ListFilter {
                kind: None,
                all: true,
            },
            now,
            |_| {
                n += 1;
                Ok::<(), vigie_intel::StoreError>(())
            },
        )
        .expect("list");
    n
}

/// The MISP attribute types the import stores, and how many indicator parts each gives.
fn stored_parts(misp_type: &str) -> usize {
    match misp_type {
        "ip-src"
        | "ip-dst"
        | "ip-src|port"
        | "ip-dst|port"
        | "domain"
        | "hostname"
        | "hostname|port"
        | "url"
        | "md5"
        | "sha1"
        | "sha256"
        | "sha512"
        | "filename|md5"
        | "malware-sample"
        | "filename|sha1"
        | "filename|sha256"
        | "filename|sha512"
        | "email"
        | "email-src"
        | "email-dst"
        | "email-reply-to"
        | "whois-registrant-email"
        | "filename"
        | "email-attachment" => 1,
        "domain|ip" => 2,
        _ => 0,
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir") {
        let e = e.expect("entry");
        std::fs::copy(e.path(), to.join(e.file_name())).expect("copy");
    }
}

#[test]
fn misp_feed_sample_imports_by_its_manifest_and_again_incrementally() {
    let Some(intel) = corpus("misp_feed_sample_imports_by_its_manifest_and_again_incrementally")
    else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let feed = tmp.path().join("feed");
    copy_dir(&intel.join("misp-feed-sample/feed"), &feed);

    // What the feed itself says.
    let manifest = read_json(&feed.join("manifest.json"));
    let manifest = manifest.as_object().expect("manifest object");
    let mut attributes = 0;
    let mut stored_type_attributes = 0;
    let mut parts = 0;
    let mut to_ids_hashes: BTreeSet<(String, String)> = BTreeSet::new();
    for uuid in manifest.keys() {
        let event = read_json(&feed.join(format!("{uuid}.json")));
        let event = &event["Event"];
        let top = event["Attribute"].as_array().cloned().unwrap_or_default();
        let in_objects: Vec<Value> = event["Object"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|o| o["Attribute"].as_array().cloned().unwrap_or_default())
            .collect();
        for a in top.iter().chain(&in_objects) {
            attributes += 1;
            let t = a["type"].as_str().expect("type");
            let n = stored_parts(t);
            if n > 0 {
                stored_type_attributes += 1;
                parts += n;
            }
            if matches!(t, "md5" | "sha1" | "sha256") && a["to_ids"] == Value::Bool(true) {
                let v = a["value"].as_str().expect("value").to_ascii_lowercase();
                to_ids_hashes.insert((t.to_owned(), v));
            }
        }
    }

    let mut store = Store::open(&tmp.path().join("store")).expect("store");
    let first = import(&mut store, "circl-sample", &feed, t0());
    eprintln!("MISP feed sample, first import: {first:#?}");
    assert_eq!(first.events_imported, manifest.len());
    assert_eq!(first.events_unchanged, 0);
    assert_eq!(first.files, manifest.len() + 1, "manifest and events");
    assert_eq!(
        first.objects, attributes,
        "every attribute of the feed read"
    );
    assert_eq!(
        first.skipped_total(),
        attributes - stored_type_attributes,
        "exactly the attributes of types Vigie does not store are skipped"
    );
    assert_eq!(
        first.values + first.problems.len(),
        parts,
        "each indicator part stored or reported: {:#?}",
        first.problems
    );
    let indicators = count(&store, t0());
    assert_eq!(indicators, first.new_indicators);
    assert_eq!(
        first.new_indicators + first.already_known + first.duplicates,
        first.values
    );
    // Every hash the feed marks for detection is an active indicator.
    let active: BTreeSet<(String, String)> = store
        .active_indicators(t0())
        .expect("active")
        .into_iter()
        .map(|v| (v.kind.to_string(), v.value))
        .collect();
    for h in &to_ids_hashes {
        assert!(active.contains(h), "{h:?} not active");
    }
    // All CIRCL events are tagged tlp:white.
    let stats = store.stats(t0()).expect("stats");
    eprintln!("MISP feed sample in the store: {stats:#?}");
    // The numbers README's truth table states (from the feed as shipped in the corpus).
    assert_eq!(
        (manifest.len(), attributes, first.values, indicators),
        (12, 1103, 767, 700),
        "the corpus feed changed: update README"
    );
    assert_eq!(stats.by_tlp, vec![(Tlp::Clear, indicators as u64)]);

    // Again, unchanged: nothing is read.
    let again = import(&mut store, "circl-sample", &feed, t0() + Duration::hours(1));
    assert_eq!(again.events_unchanged, manifest.len());
    assert_eq!(
        (again.events_imported, again.objects, again.new_indicators),
        (0, 0, 0)
    );
    assert_eq!(count(&store, t0()), indicators);

    // One event changes (its manifest timestamp moves on): only that one is read again.
    let (changed_uuid, _) = manifest.iter().next().expect("an event");
    let mut newer = manifest.clone();
    let ts: i64 = manifest[changed_uuid]["timestamp"]
        .as_str()
        .map_or_else(
            || manifest[changed_uuid]["timestamp"].as_i64(),
            |s| s.parse().ok(),
        )
        .expect("timestamp");
    newer[changed_uuid]["timestamp"] = Value::String((ts + 60).to_string());
    std::fs::write(
        feed.join("manifest.json"),
        serde_json::to_string(&newer).expect("json"),
    )
    .expect("write manifest");
    let later = t0() + Duration::hours(2);
    let third = import(&mut store, "circl-sample", &feed, later);
    eprintln!("after one event changed: {third:#?}");
    assert_eq!(third.events_imported, 1);
    assert_eq!(third.events_unchanged, manifest.len() - 1);
    assert_eq!(third.new_indicators, 0);
    assert_eq!(third.already_known + third.duplicates, third.values);
    assert_eq!(count(&store, t0()), indicators, "no duplicate indicators");

    // The same feed under another source name: one indicator, two provenance rows.
    let other = import(&mut store, "mirror", &feed, later);
    assert_eq!(other.new_indicators, 0);
    assert_eq!(other.new_provenance, indicators);
    let stats = store.stats(later).expect("stats");
    assert_eq!(stats.indicators as usize, indicators);
    assert_eq!(stats.provenance_rows as usize, 2 * indicators);

    // An event leaves the feed: its values lose the first source's provenance, and stay
    // indicators through the mirror.
    let mut smaller = newer.clone();
    smaller.remove(changed_uuid.as_str());
    std::fs::write(
        feed.join("manifest.json"),
        serde_json::to_string(&smaller).expect("json"),
    )
    .expect("write manifest");
    let fourth = import(
        &mut store,
        "circl-sample",
        &feed,
        later + Duration::hours(1),
    );
    eprintln!("after one event left the feed: {fourth:#?}");
    assert_eq!(fourth.events_removed, 1);
    assert_eq!(fourth.events_unchanged, manifest.len() - 1);
    assert!(fourth.retired > 0);
    let stats = store.stats(later).expect("stats");
    assert_eq!(stats.indicators as usize, indicators);
    assert_eq!(
        stats.provenance_rows as usize,
        2 * indicators - fourth.retired
    );
}

#[test]
fn attack_enterprise_objects_are_counted_and_skipped_by_type() {
    let Some(intel) = corpus("attack_enterprise_objects_are_counted_and_skipped_by_type") else {
        return;
    };
    let dir = intel.join("mitre-attack-enterprise");
    let mut per_type: BTreeMap<String, usize> = BTreeMap::new();
    let mut files = 0;
    for folder in std::fs::read_dir(&dir).expect("read dir") {
        let folder = folder.expect("entry").path();
        if !folder.is_dir() {
            continue;
        }
        let n = std::fs::read_dir(&folder)
            .expect("read dir")
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "json"))
            })
            .count();
        files += n;
        let name = folder
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        per_type.insert(format!("{name}: not an indicator or observable"), n);
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(tmp.path()).expect("store");
    let report = import(&mut store, "mitre-attack", &dir, t0());
    eprintln!(
        "ATT&CK Enterprise: {} files, {} objects, {} indicators; skipped: {:#?}",
        report.files, report.objects, report.values, report.skipped
    );
    assert_eq!(report.files, files);
    assert_eq!(report.objects, files, "one object per file");
    assert_eq!(report.values, 0);
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert_eq!(report.skipped, per_type);
    assert_eq!(count(&store, t0()), 0);
}

#[test]
fn medallion_data_gives_the_latest_indicator_versions() {
    let Some(intel) = corpus("medallion_data_gives_the_latest_indicator_versions") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(tmp.path()).expect("store");
    let path = intel.join("medallion/default_data.json");
    let report = import(&mut store, "medallion", &path, t0());
    eprintln!("medallion default data: {report:#?}");
    assert_eq!(report.objects, 8);
    assert_eq!(report.values, 2);
    assert_eq!(report.new_indicators, 2);
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    let expected: BTreeMap<String, usize> = [
        ("older version of an object given again in the same file", 3),
        ("marking-definition: read for TLP, not an indicator", 1),
        ("relationship: not an indicator or observable", 1),
        ("malware: not an indicator or observable", 1),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    assert_eq!(report.skipped, expected);
    let url = store
        .get(IndicatorType::Url, "http://x4z9arb.cn/4712", t0())
        .expect("read")
        .expect("the latest version's URL");
    assert_eq!(url.valid_from.as_deref(), Some("2016-11-03T12:30:59.000Z"));
    assert!(store
        .get(IndicatorType::Url, "http://z4z10farb.cn/4712", t0())
        .expect("read")
        .is_none());
    // Re-import: the same two indicators, refreshed.
    let again = import(&mut store, "medallion", &path, t0() + Duration::days(1));
    assert_eq!((again.new_indicators, again.already_known), (0, 2));
    assert_eq!(count(&store, t0()), 2);
    let prov = store.provenance(url.id).expect("provenance");
    assert_eq!(prov.len(), 1);
    assert_eq!(prov[0].first_seen, "2026-03-02T08:00:00.000Z");
    assert_eq!(prov[0].last_seen, "2026-03-03T08:00:00.000Z");
}

#[test]
fn oasis_stix_examples_import_with_the_bad_value_reported() {
    let Some(intel) = corpus("oasis_stix_examples_import_with_the_bad_value_reported") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(tmp.path()).expect("store");
    let dir = intel.join("stix2-json-schemas/examples");
    let mut opts = ImportOptions::new(t0());
    opts.format = Format::Stix;
    let report = import_path(&mut store, &spec("oasis-examples"), &dir, &opts).expect("import");
    eprintln!("OASIS STIX examples: {report:#?}");
    let stats = store.stats(t0()).expect("stats");
    eprintln!("{stats:#?}");
    assert_eq!((report.files, report.objects), (8, 260));
    assert_eq!(report.new_indicators, 62, "the README states this number");
    assert_eq!(report.problems.len(), 1, "{:#?}", report.problems);
    assert_eq!(
        report.problems[0].place,
        "indicator--4e4c4ad7-4909-456a-b6fa-e24a6f682a40"
    );
    assert!(report.problems[0].reason.contains("domain autuo.xicp.net"));
    // The CIDRs written as `ipv4-addr:value = 'a.b.c.d/n'` are networks.
    assert!(store
        .get(IndicatorType::Cidr, "58.246.0.0/15", t0())
        .expect("read")
        .is_some());
}
