//! The TAXII 2.1 server driven over HTTP: discovery, collections, add and read back,
//! pagination and filters, versions, manifest, delete; and the negative paths: 401, 403, 404,
//! 406, 413, 415, a partner reaching for another partner's collection, and TLP clearance
//! holding whatever the query.

use base64::Engine;
use serde_json::{json, Value};
use vigie_taxii_server::{hash_password, start, token_digest, Running, ServerConfig, TAXII};

const TLP_CLEAR: &str = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
const TLP_GREEN: &str = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
const TLP_AMBER: &str = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
const TLP_AMBER_STRICT: &str = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003";
const TLP_RED: &str = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";

struct Fixture {
    _dir: tempfile::TempDir,
    server: Running,
    agent: ureq::Agent,
}

fn config(dir: &std::path::Path) -> ServerConfig {
    let a = hash_password("pass-a").expect("hash");
    let red = hash_password("pass-red").expect("hash");
    let text = format!(
        r#"
bind = "127.0.0.1:0"
data = "data"
max_content_length = 20000
page_size = 50

[[partners]]
name = "cert-a"
password_hash = "{a}"
groups = ["ministries"]
clearance = "amber"

[[partners]]
name = "cert-b"
token_sha256 = "{b}"
clearance = "green"

[[partners]]
name = "cert-red"
password_hash = "{red}"
groups = ["ministries"]
clearance = "red"

[[collections]]
id = "11111111-1111-4111-8111-111111111111"
title = "Shared indicators"
read = ["group:ministries", "cert-b"]
write = ["cert-a", "cert-red"]

[[collections]]
id = "22222222-2222-4222-8222-222222222222"
title = "cert-a only"
read = ["cert-a"]
write = ["cert-a"]

[[collections]]
id = "33333333-3333-4333-8333-333333333333"
title = "Drop box"
write = ["cert-b"]
"#,
        b = token_digest("token-b"),
    );
    ServerConfig::parse(&text, "test.toml", dir).expect("config")
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = start(config(dir.path())).expect("server starts");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    Fixture {
        _dir: dir,
        server,
        agent,
    }
}

fn basic(user: &str, pass: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
    )
}

const SHARED: &str = "11111111-1111-4111-8111-111111111111";
const PRIVATE: &str = "22222222-2222-4222-8222-222222222222";
const DROPBOX: &str = "33333333-3333-4333-8333-333333333333";

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Value,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl Fixture {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.server.addr)
    }

    fn request(
        &self,
        method: &str,
        path: &str,
        auth: Option<&str>,
        accept: Option<&str>,
        body: Option<(&str, String)>,
    ) -> Reply {
        let url = self.url(path);
        let mut resp = match (method, body) {
            ("POST", Some((ct, text))) => {
                let mut r = self.agent.post(&url).header("Content-Type", ct);
                if let Some(a) = auth {
                    r = r.header("Authorization", a);
                }
                if let Some(acc) = accept {
                    r = r.header("Accept", acc);
                }
                r.send(text)
            }
            _ => {
                let mut r = match method {
                    "DELETE" => self.agent.delete(&url),
                    _ => self.agent.get(&url),
                };
                if let Some(a) = auth {
                    r = r.header("Authorization", a);
                }
                if let Some(acc) = accept {
                    r = r.header("Accept", acc);
                }
                r.call()
            }
        }
        .expect("the server answers");
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let text = resp.body_mut().read_to_string().expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
        }
    }

    fn get(&self, path: &str, auth: &str) -> Reply {
        self.request("GET", path, Some(auth), Some(TAXII), None)
    }

    fn post(&self, path: &str, auth: &str, body: &Value) -> Reply {
        self.request(
            "POST",
            path,
            Some(auth),
            Some(TAXII),
            Some((TAXII, body.to_string())),
        )
    }
}

fn indicator(n: u32, marking: Option<&str>, modified: &str) -> Value {
    let mut o = json!({
        "type": "indicator",
        "spec_version": "2.1",
        "id": format!("indicator--00000000-0000-4000-8000-{n:012}"),
        "created": "2026-03-01T00:00:00.000Z",
        "modified": modified,
        "pattern": format!("[ipv4-addr:value = '203.0.113.{n}']"),
        "pattern_type": "stix",
        "valid_from": "2026-03-01T00:00:00Z",
    });
    if let (Some(m), Some(obj)) = (marking, o.as_object_mut()) {
        obj.insert("object_marking_refs".into(), json!([m]));
    }
    o
}

/// Indicators 1-6 marked clear, green, amber, amber+strict, red, and unmarked.
fn seed(f: &Fixture) -> Value {
    let markings = [
        Some(TLP_CLEAR),
        Some(TLP_GREEN),
        Some(TLP_AMBER),
        Some(TLP_AMBER_STRICT),
        Some(TLP_RED),
        None,
    ];
    let objects: Vec<Value> = markings
        .iter()
        .enumerate()
        .map(|(i, m)| indicator(i as u32 + 1, *m, "2026-03-01T00:00:00.000Z"))
        .collect();
    let r = f.post(
        &format!("/api/collections/{SHARED}/objects/"),
        &basic("cert-red", "pass-red"),
        &json!({ "objects": objects }),
    );
    assert_eq!(r.status, 202, "{}", r.body);
    assert_eq!(r.body["success_count"], 6);
    r.body
}

fn ids(r: &Reply) -> Vec<u64> {
    r.body["objects"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|o| o["id"].as_str())
                .filter_map(|id| id.rsplit('-').next())
                .filter_map(|n| n.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn discovery_root_and_collections_per_partner() {
    let f = fixture();
    let a = basic("cert-a", "pass-a");
    let d = f.get("/taxii2/", &a);
    assert_eq!(d.status, 200);
    assert_eq!(d.header("content-type"), Some(TAXII));
    assert_eq!(d.body["api_roots"], json!(["/api/"]));
    let root = f.get("/api/", &a);
    assert_eq!(root.body["versions"], json!([TAXII]));
    assert_eq!(root.body["max_content_length"], 20000);
    let titles = |auth: &str| -> Vec<(String, bool, bool)> {
        f.get("/api/collections/", auth).body["collections"]
            .as_array()
            .map(|cs| {
                cs.iter()
                    .map(|c| {
                        (
                            c["title"].as_str().unwrap_or("").to_owned(),
                            c["can_read"].as_bool().unwrap_or(false),
                            c["can_write"].as_bool().unwrap_or(false),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        titles(&a),
        vec![
            ("Shared indicators".into(), true, true),
            ("cert-a only".into(), true, true)
        ]
    );
    assert_eq!(
        titles("Bearer token-b"),
        vec![
            ("Shared indicators".into(), true, false),
            ("Drop box".into(), false, true)
        ]
    );
}

#[test]
fn tlp_clearance_holds_whatever_the_query() {
    let f = fixture();
    seed(&f);
    let objects = format!("/api/collections/{SHARED}/objects/");
    // cert-b is cleared for green: clear and green only (unmarked objects take the
    // collection's default, amber).
    let b = f.get(&objects, "Bearer token-b");
    assert_eq!(ids(&b), vec![1, 2]);
    // cert-a, amber: not amber+strict, not red.
    assert_eq!(
        ids(&f.get(&objects, &basic("cert-a", "pass-a"))),
        vec![1, 2, 3, 6]
    );
    assert_eq!(
        ids(&f.get(&objects, &basic("cert-red", "pass-red"))),
        vec![1, 2, 3, 4, 5, 6]
    );
    // Asking by id, by type, by version, through the manifest or the versions: still no.
    let red = "indicator--00000000-0000-4000-8000-000000000005";
    for path in [
        format!("{objects}?match[id]={red}"),
        format!("{objects}?match[type]=indicator&match[version]=all"),
        format!("/api/collections/{SHARED}/manifest/"),
    ] {
        let r = f.get(&path, &basic("cert-a", "pass-a"));
        assert_eq!(r.status, 200);
        assert!(!r.body.to_string().contains(red), "{path}: {}", r.body);
    }
    for path in [
        format!("{objects}{red}/"),
        format!("{objects}{red}/versions/"),
    ] {
        assert_eq!(
            f.get(&path, &basic("cert-a", "pass-a")).status,
            404,
            "{path}"
        );
        assert_eq!(
            f.get(&path, &basic("cert-red", "pass-red")).status,
            200,
            "{path}"
        );
    }
    // Nor can a partner delete what it may not see.
    let del = f.request(
        "DELETE",
        &format!("{objects}{red}/"),
        Some(&basic("cert-a", "pass-a")),
        Some(TAXII),
        None,
    );
    assert_eq!(del.status, 404);
}

#[test]
fn pages_filters_versions_manifest_and_delete() {
    let f = fixture();
    let a = basic("cert-a", "pass-a");
    let objects = format!("/api/collections/{PRIVATE}/objects/");
    let batch: Vec<Value> = (1..=5)
        .map(|n| indicator(n, Some(TLP_GREEN), "2026-03-01T00:00:00.000Z"))
        .collect();
    assert_eq!(
        f.post(&objects, &a, &json!({ "objects": batch })).status,
        202
    );
    // A second version of indicator 1.
    let v2 = indicator(1, Some(TLP_GREEN), "2026-03-02T00:00:00.000Z");
    let status = f.post(&objects, &a, &json!({ "objects": [v2] }));
    assert_eq!(status.status, 202);
    // Its status, for its author only.
    let sid = status.body["id"].as_str().expect("status id").to_owned();
    let st = f.get(&format!("/api/status/{sid}/"), &a);
    assert_eq!(
        (st.status, st.body["status"].as_str()),
        (200, Some("complete"))
    );
    assert_eq!(
        f.get(
            &format!("/api/status/{sid}/"),
            &basic("cert-red", "pass-red")
        )
        .status,
        404
    );

    // Pages of two, in date_added order (the new version of 1 comes last).
    let mut seen = Vec::new();
    let mut path = format!("{objects}?limit=2");
    loop {
        let page = f.get(&path, &a);
        assert_eq!(page.status, 200);
        assert!(page.header("x-taxii-date-added-first").is_some());
        assert!(page.header("x-taxii-date-added-last").is_some());
        seen.extend(ids(&page));
        if page.body["more"] != json!(true) {
            break;
        }
        let next = page.body["next"].as_str().expect("next");
        path = format!("{objects}?limit=2&next={next}");
    }
    assert_eq!(seen, vec![2, 3, 4, 5, 1]);
    // added_after: what came after the fourth object.
    let all = f.get(&format!("/api/collections/{PRIVATE}/manifest/"), &a);
    let entries = all.body["objects"].as_array().expect("manifest");
    assert_eq!(entries.len(), 5);
    assert_eq!(
        entries[0]["media_type"],
        "application/stix+json;version=2.1"
    );
    let after = entries[3]["date_added"].as_str().expect("date");
    assert_eq!(
        ids(&f.get(&format!("{objects}?added_after={after}"), &a)),
        vec![1]
    );
    // Versions.
    let one = "indicator--00000000-0000-4000-8000-000000000001";
    let versions = f.get(&format!("{objects}{one}/versions/"), &a);
    assert_eq!(
        versions.body["versions"],
        json!(["2026-03-01T00:00:00.000Z", "2026-03-02T00:00:00.000Z"])
    );
    assert_eq!(
        ids(&f.get(&format!("{objects}{one}/?match[version]=all"), &a)),
        vec![1, 1]
    );
    let first = f.get(&format!("{objects}{one}/?match[version]=first"), &a);
    assert_eq!(
        first.body["objects"][0]["modified"],
        "2026-03-01T00:00:00.000Z"
    );
    // Filters the single-object endpoint does not take are refused.
    assert_eq!(
        f.get(&format!("{objects}{one}/?match[type]=indicator"), &a)
            .status,
        400
    );
    // Delete, then it is gone.
    let del = f.request(
        "DELETE",
        &format!("{objects}{one}/"),
        Some(&a),
        Some(TAXII),
        None,
    );
    assert_eq!(del.status, 200);
    assert_eq!(f.get(&format!("{objects}{one}/"), &a).status, 404);
}

#[test]
fn refusals_say_why() {
    let f = fixture();
    let a = basic("cert-a", "pass-a");
    let objects = format!("/api/collections/{SHARED}/objects/");
    let mut report = String::new();
    let mut note = |what: &str, r: Reply| {
        report.push_str(&format!(
            "{what}: {} {}\n",
            r.status,
            serde_json::to_string(&r.body).unwrap_or_default()
        ));
        r.status
    };
    assert_eq!(
        note(
            "no credentials",
            f.request("GET", "/taxii2/", None, Some(TAXII), None)
        ),
        401
    );
    assert_eq!(
        note(
            "wrong password",
            f.request(
                "GET",
                "/taxii2/",
                Some(&basic("cert-a", "nope")),
                Some(TAXII),
                None
            )
        ),
        401
    );
    assert_eq!(note("unknown token", f.get("/taxii2/", "Bearer nope")), 401);
    assert_eq!(
        note(
            "no version in Accept",
            f.request(
                "GET",
                "/taxii2/",
                Some(&a),
                Some("application/taxii+json"),
                None
            )
        ),
        406
    );
    assert_eq!(
        note(
            "JSON Accept",
            f.request("GET", "/taxii2/", Some(&a), Some("application/json"), None)
        ),
        406
    );
    assert_eq!(
        note(
            "POST as JSON",
            f.request(
                "POST",
                &objects,
                Some(&a),
                Some(TAXII),
                Some(("application/json", "{}".into()))
            )
        ),
        415
    );
    let big = json!({"objects": [{"type": "note", "id": "note--1", "content": "x".repeat(30000)}]});
    assert_eq!(note("POST too large", f.post(&objects, &a, &big)), 413);
    assert_eq!(
        note(
            "POST to a read-only collection",
            f.post(&objects, "Bearer token-b", &json!({"objects": []}))
        ),
        403
    );
    assert_eq!(
        note(
            "GET from a write-only collection",
            f.get(
                &format!("/api/collections/{DROPBOX}/objects/"),
                "Bearer token-b"
            )
        ),
        403
    );
    assert_eq!(
        note(
            "another partner's collection",
            f.get(
                &format!("/api/collections/{PRIVATE}/objects/"),
                "Bearer token-b"
            )
        ),
        404
    );
    assert_eq!(
        note(
            "another partner's collection itself",
            f.get(&format!("/api/collections/{PRIVATE}/"), "Bearer token-b")
        ),
        404
    );
    assert_eq!(note("unknown API root", f.get("/nope/", &a)), 404);
    assert_eq!(
        note(
            "bad added_after",
            f.get(&format!("{objects}?added_after=yesterday"), &a)
        ),
        400
    );
    assert_eq!(
        note("not an envelope", f.post(&objects, &a, &json!([1, 2]))),
        400
    );
    let mixed = json!({"objects": [indicator(9, None, "2026-03-01T00:00:00.000Z"), {"type": "x", "id": "y"}]});
    let r = f.post(&objects, &a, &mixed);
    assert_eq!(r.body["success_count"], 1);
    assert_eq!(r.body["failure_count"], 1);
    insta::assert_snapshot!(report);
}

#[test]
fn configuration_errors_are_named() {
    let dir = std::path::Path::new(".");
    let bad = [
        "data = \"d\"\n[[partners]]\nname = \"x\"\n",
        "data = \"d\"\n[[partners]]\nname = \"x\"\ntoken_sha256 = \"abc\"\n",
        "data = \"d\"\n[[collections]]\nid = \"c1\"\ntitle = \"t\"\nread = [\"nobody\"]\n",
        "data = \"d\"\napi_root = \"a/b\"\n",
        "data = \"d\"\nlisten = \"0.0.0.0:1\"\n",
    ];
    let text: Vec<String> = bad
        .iter()
        .map(|t| match ServerConfig::parse(t, "vigie-serve.toml", dir) {
            Ok(_) => "accepted".to_owned(),
            Err(e) => e.to_string(),
        })
        .collect();
    insta::assert_snapshot!(text.join("\n---\n"));
}

#[test]
fn binds_to_localhost_by_default() {
    let c = ServerConfig::parse("data = \"d\"\n", "t.toml", std::path::Path::new(".")).expect("ok");
    assert_eq!(c.bind, "127.0.0.1:9500");
}

#[test]
fn serves_over_tls_when_given_a_certificate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()])
        .expect("self-signed certificate");
    std::fs::write(dir.path().join("cert.pem"), certified.cert.pem()).expect("write");
    std::fs::write(
        dir.path().join("key.pem"),
        certified.key_pair.serialize_pem(),
    )
    .expect("write");
    let mut c = config(dir.path());
    c.tls = Some((dir.path().join("cert.pem"), dir.path().join("key.pem")));
    let server = start(c).expect("TLS server starts");
    assert!(server.tls);
    let root = ureq::tls::Certificate::from_der(certified.cert.der()).to_owned();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::Specific(std::sync::Arc::new(vec![
                    root,
                ])))
                .build(),
        )
        .build()
        .into();
    let url = format!("https://localhost:{}/taxii2/", server.addr.port());
    let mut resp = agent
        .get(&url)
        .header("Accept", TAXII)
        .header("Authorization", basic("cert-a", "pass-a"))
        .call()
        .expect("TLS request");
    assert_eq!(resp.status().as_u16(), 200);
    let body: Value =
        serde_json::from_str(&resp.body_mut().read_to_string().expect("body")).expect("json");
    assert_eq!(body["api_roots"], json!(["/api/"]));
    // Plain HTTP to the TLS port gets no TAXII answer.
    let plain = format!("http://127.0.0.1:{}/taxii2/", server.addr.port());
    let refused = agent.get(&plain).header("Accept", TAXII).call();
    assert!(refused.map_or(true, |r| r.status().as_u16() != 200));
}
