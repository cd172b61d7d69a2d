//! The client against medallion 3.0.0, the OASIS reference TAXII 2.1 server, serving the
//! sample data of corpus `intel/medallion/` (started by `tests/taxii/run.sh`, which sets
//! `VIGIE_TAXII_URL` to its discovery address; without it every test says SKIPPED and
//! passes). Discovery, API roots, collections, paging with a small limit, every filter,
//! manifests, versions, push and read back, and the error statuses medallion gives.

use serde_json::{json, Value};
use vigie_taxii_client::{
    Auth, Client, ClientOptions, ObjectQuery, TaxiiError, VersionMatch, TAXII_MEDIA_TYPE,
};

const HIGH_VALUE: &str = "91a7b528-80eb-42ed-a74d-c6fbd5a26116";
const FOR_ADDING: &str = "365fed99-08fa-fdcd-a1b3-fb247eb41d01";
const READ_ONLY: &str = "52892447-4d7e-4f70-b94d-d7f22742ff63";
const NO_ACCESS: &str = "64993447-4d7e-4f70-b94d-d7f33742ee63";
const INDICATOR: &str = "indicator--6770298f-0fd8-471a-ab8c-1c658a46574e";

/// The discovery address, or None (and a loud SKIPPED) when no server was started.
fn server(test: &str) -> Option<String> {
    let url = std::env::var("VIGIE_TAXII_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        eprintln!(
            "SKIPPED {test}: VIGIE_TAXII_URL is not set (tests/taxii/run.sh starts medallion and sets it)"
        );
    }
    url
}

fn client() -> Client {
    Client::new(ClientOptions::new(Auth::basic("admin", "Password0")))
}

fn client_with(change: impl FnOnce(&mut ClientOptions)) -> Client {
    let mut options = ClientOptions::new(Auth::basic("admin", "Password0"));
    change(&mut options);
    Client::new(options)
}

/// The trustgroup1 API root, from discovery.
fn root(url: &str) -> String {
    client()
        .discovery(url)
        .expect("discovery")
        .default
        .expect("a default API root")
}

fn ids(objects: &[Value]) -> Vec<&str> {
    objects
        .iter()
        .map(|o| o.get("id").and_then(Value::as_str).unwrap_or("?"))
        .collect()
}

/// A STIX id that no other run has pushed.
fn fresh_id(kind: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let hex = format!("{:032x}", nanos ^ (u128::from(std::process::id()) << 64));
    format!(
        "{kind}--{}-{}-4{}-8{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

#[test]
fn discovery_api_roots_and_collections() {
    let Some(url) = server("discovery_api_roots_and_collections") else {
        return;
    };
    let c = client();
    let d = c.discovery(&url).expect("discovery");
    assert_eq!(d.title, "Some TAXII Server");
    assert_eq!(d.api_roots.len(), 3);
    let root = d.default.expect("default root");
    assert!(root.ends_with("/trustgroup1/"), "{root}");

    let info = c.api_root(&root).expect("API root");
    assert_eq!(info.title, "Malware Research Group");
    assert_eq!(info.max_content_length, 9_765_625);
    assert!(info.versions.iter().any(|v| v == TAXII_MEDIA_TYPE));

    let collections = c.collections(&root).expect("collections");
    assert_eq!(collections.len(), 5);
    let one = c.collection(&root, HIGH_VALUE).expect("one collection");
    assert_eq!(one.title, "High Value Indicator Collection");
    assert!(one.can_read && one.can_write);
    assert!(collections.contains(&one));
    let secret = collections
        .iter()
        .find(|c| c.id == NO_ACCESS)
        .expect("listed");
    assert!(!secret.can_read && !secret.can_write);

    let api1 = d
        .api_roots
        .iter()
        .find(|r| r.ends_with("/api1/"))
        .expect("api1");
    assert!(c.collections(api1).expect("api1 collections").is_empty());
}

#[test]
fn objects_come_in_pages_that_next_follows() {
    let Some(url) = server("objects_come_in_pages_that_next_follows") else {
        return;
    };
    let (c, root) = (client(), root(&url));
    let query = ObjectQuery {
        limit: Some(2),
        ..ObjectQuery::default()
    };
    let pages: Vec<_> = c
        .object_pages(&root, HIGH_VALUE, &query)
        .collect::<Result<_, _>>()
        .expect("pages");
    assert_eq!(
        pages.iter().map(|p| p.items.len()).collect::<Vec<_>>(),
        [2, 2, 1]
    );
    assert!(pages[..2].iter().all(|p| p.more && p.next.is_some()));
    assert!(!pages[2].more);
    let mut all: Vec<&str> = pages.iter().flat_map(|p| ids(&p.items)).collect();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), 5, "every object once: {all:?}");
    assert_eq!(
        pages[0].date_added_first.as_deref(),
        Some("2014-05-08T09:00:00.000000Z")
    );
    assert_eq!(
        pages[2].date_added_last.as_deref(),
        Some("2017-12-31T13:49:53.935000Z")
    );
    for p in &pages {
        assert!(p.date_added_first <= p.date_added_last, "{p:?}");
    }
}

#[test]
fn filters_added_after_type_id_version_and_spec_version() {
    let Some(url) = server("filters_added_after_type_id_version_and_spec_version") else {
        return;
    };
    let (c, root) = (client(), root(&url));
    let get = |q: ObjectQuery| c.objects(&root, HIGH_VALUE, &q).expect("objects");

    let after = get(ObjectQuery {
        added_after: Some("2017-01-20T00:00:00.000000Z".into()),
        ..ObjectQuery::default()
    });
    assert_eq!(
        ids(&after.items),
        ["malware--c0931cc6-c75e-47e5-9036-78fabc95d4ec", INDICATOR]
    );
    let nothing = get(ObjectQuery {
        added_after: after.date_added_last.clone(),
        ..ObjectQuery::default()
    });
    assert!(nothing.items.is_empty() && !nothing.more);

    let indicators = get(ObjectQuery {
        types: vec!["indicator".into()],
        ..ObjectQuery::default()
    });
    assert_eq!(indicators.items.len(), 2);
    let all_versions = get(ObjectQuery {
        ids: vec![INDICATOR.into()],
        versions: vec![VersionMatch::All],
        ..ObjectQuery::default()
    });
    assert_eq!(ids(&all_versions.items), [INDICATOR; 3]);
    let first = get(ObjectQuery {
        ids: vec![INDICATOR.into()],
        versions: vec![VersionMatch::First],
        ..ObjectQuery::default()
    });
    assert_eq!(first.items[0]["modified"], "2016-11-03T12:30:59.000Z");
    let stix20 = get(ObjectQuery {
        spec_versions: vec!["2.0".into()],
        ..ObjectQuery::default()
    });
    assert_eq!(
        ids(&stix20.items),
        ["malware--c0931cc6-c75e-47e5-9036-78fabc95d4ec"]
    );
    assert_eq!(stix20.items[0]["modified"], "2018-02-23T18:30:00.000Z");
}

#[test]
fn manifest_versions_and_single_objects() {
    let Some(url) = server("manifest_versions_and_single_objects") else {
        return;
    };
    let (c, root) = (client(), root(&url));
    let query = ObjectQuery {
        limit: Some(3),
        ..ObjectQuery::default()
    };
    let entries: Vec<_> = c
        .manifest_pages(&root, HIGH_VALUE, &query)
        .collect::<Result<Vec<_>, _>>()
        .expect("manifest")
        .into_iter()
        .flat_map(|p| p.items)
        .collect();
    assert_eq!(entries.len(), 5);
    let entry = entries
        .iter()
        .find(|e| e.id == INDICATOR)
        .expect("the indicator");
    assert_eq!(entry.version, "2017-01-27T13:49:53.935Z");
    assert_eq!(entry.date_added, "2017-12-31T13:49:53.935000Z");
    assert_eq!(
        entry.media_type.as_deref(),
        Some("application/stix+json;version=2.1")
    );

    let versions = c
        .versions(&root, HIGH_VALUE, INDICATOR, &ObjectQuery::default())
        .expect("versions");
    let mut v = versions.items.clone();
    v.sort();
    assert_eq!(
        v,
        [
            "2016-11-03T12:30:59.000Z",
            "2016-12-25T12:30:59.444Z",
            "2017-01-27T13:49:53.935Z"
        ]
    );
    assert!(versions.date_added_last.is_some());

    let one = c
        .object(&root, HIGH_VALUE, INDICATOR, &ObjectQuery::default())
        .expect("object");
    assert_eq!(ids(&one.items), [INDICATOR]);
    assert_eq!(one.items[0]["modified"], "2017-01-27T13:49:53.935Z");
}

#[test]
fn pushed_objects_are_read_back() {
    let Some(url) = server("pushed_objects_are_read_back") else {
        return;
    };
    let (c, root) = (client(), root(&url));
    let id = fresh_id("indicator");
    let indicator = json!({
        "type": "indicator", "spec_version": "2.1", "id": id,
        "created": "2026-03-01T10:00:00.000Z", "modified": "2026-03-01T10:00:00.000Z",
        "pattern": "[ipv4-addr:value = '203.0.113.10']", "pattern_type": "stix",
        "valid_from": "2026-03-01T10:00:00Z"
    });
    let status = c
        .add_objects(&root, FOR_ADDING, std::slice::from_ref(&indicator))
        .expect("push");
    assert_eq!(
        (
            status.total_count,
            status.success_count,
            status.failure_count
        ),
        (1, 1, 0)
    );
    assert_eq!(status.successes[0].id, id);
    let status = c
        .wait_for(
            &root,
            status,
            std::time::Duration::from_millis(200),
            std::time::Duration::from_secs(5),
        )
        .expect("complete");
    let again = c.status(&root, &status.id).expect("status resource");
    assert_eq!(again, status);

    let back = c
        .object(&root, FOR_ADDING, &id, &ObjectQuery::default())
        .expect("read back");
    assert_eq!(back.items, [indicator]);
    let twice = c
        .add_objects(&root, FOR_ADDING, &back.items)
        .expect("push again");
    assert_eq!(twice.failure_count, 1, "the same version twice: {twice:?}");
    assert_eq!(twice.failures[0].id, id);
}

#[test]
fn credentials_and_access_401_403_404() {
    let Some(url) = server("credentials_and_access_401_403_404") else {
        return;
    };
    let root = root(&url);
    let anonymous = Client::new(ClientOptions::new(Auth::None));
    let e = anonymous.discovery(&url).expect_err("401");
    assert!(matches!(e, TaxiiError::Unauthorized { .. }), "{e}");
    let wrong = Client::new(ClientOptions::new(Auth::basic("admin", "wrong")));
    let e = wrong.collections(&root).expect_err("401");
    assert!(matches!(e, TaxiiError::Unauthorized { .. }), "{e}");

    let c = client();
    let e = c
        .objects(&root, NO_ACCESS, &ObjectQuery::default())
        .expect_err("403");
    assert!(matches!(e, TaxiiError::Forbidden { .. }), "{e}");
    assert!(e.to_string().contains(NO_ACCESS), "names the URL: {e}");
    let e = c
        .add_objects(&root, READ_ONLY, &[json!({"type": "x", "id": "x--1"})])
        .expect_err("403 on write");
    assert!(matches!(e, TaxiiError::Forbidden { .. }), "{e}");

    let e = c.collection(&root, "no-such-collection").expect_err("404");
    assert!(matches!(e, TaxiiError::NotFound { .. }), "{e}");
    let e = c
        .object(
            &root,
            HIGH_VALUE,
            "indicator--00000000-0000-4000-8000-000000000000",
            &ObjectQuery::default(),
        )
        .expect_err("404");
    assert_eq!(e.http_status(), Some(404), "{e}");
}

#[test]
fn media_types_and_sizes_406_413_415() {
    let Some(url) = server("media_types_and_sizes_406_413_415") else {
        return;
    };
    let root = root(&url);
    let versionless = client_with(|o| o.accept = "application/taxii+json".into());
    let e = versionless.collections(&root).expect_err("406");
    assert!(matches!(e, TaxiiError::NotAcceptable { .. }), "{e}");

    let plain_json = client_with(|o| o.content_type = "application/json".into());
    let e = plain_json
        .add_objects(&root, FOR_ADDING, &[json!({"type": "x", "id": "x--1"})])
        .expect_err("415");
    assert!(matches!(e, TaxiiError::UnsupportedMediaType { .. }), "{e}");

    let big = json!({"type": "note", "id": fresh_id("note"), "content": "x".repeat(10_000_000)});
    let e = client()
        .add_objects(&root, FOR_ADDING, &[big])
        .expect_err("413");
    assert!(matches!(e, TaxiiError::RequestTooLarge { .. }), "{e}");

    let small = client_with(|o| o.max_response_size = 200);
    let e = small
        .objects(&root, HIGH_VALUE, &ObjectQuery::default())
        .expect_err("over the response limit");
    assert!(
        matches!(e, TaxiiError::ResponseTooLarge { limit: 200, .. }),
        "{e}"
    );
}
