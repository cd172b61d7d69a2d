//! The TAXII 2.1 endpoints: discovery, API root, status, collections, objects (GET, POST),
//! one object (GET, DELETE), its versions, and the manifest. Every request is authenticated,
//! must accept TAXII 2.1, and sees only the collections its partner may use and the objects
//! its partner's TLP clearance allows.

// Refusals are finished responses returned early, once per request: boxing them buys nothing.
#![allow(clippy::result_large_err)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::{to_bytes, Body};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::Utc;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::auth::{authenticate, Verified};
use crate::config::{Collection, Partner, ServerConfig};
use crate::filter::{next_token, Allowed, Filter};
use crate::respond::{accepts_taxii, error, names_taxii, taxii, taxii_dated, STIX, TAXII};
use crate::store::{timestamp, Store, Stored};

/// What every request shares.
pub struct AppState {
    pub config: ServerConfig,
    pub store: Mutex<Store>,
    pub verified: Verified,
    pub statuses: AtomicU64,
}

type Shared = Arc<AppState>;

/// The router of every endpoint under `/taxii2/` and `/{api_root}/`.
pub fn router(state: Shared) -> Router {
    let root = format!("/{}", state.config.api_root);
    Router::new()
        .route("/taxii2/", get(discovery))
        .route(&format!("{root}/"), get(api_root))
        .route(&format!("{root}/status/{{status}}/"), get(status))
        .route(&format!("{root}/collections/"), get(collections))
        .route(&format!("{root}/collections/{{id}}/"), get(collection))
        .route(
            &format!("{root}/collections/{{id}}/objects/"),
            get(get_objects).post(add_objects),
        )
        .route(
            &format!("{root}/collections/{{id}}/objects/{{object}}/"),
            get(get_object).delete(delete_object),
        )
        .route(
            &format!("{root}/collections/{{id}}/objects/{{object}}/versions/"),
            get(versions),
        )
        .route(
            &format!("{root}/collections/{{id}}/manifest/"),
            get(manifest),
        )
        .fallback(not_found)
        .with_state(state)
}

async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "not found",
        "no such TAXII resource (paths end with a slash)",
    )
}

/// Authentication, then the `Accept` header.
fn gate<'s>(state: &'s AppState, headers: &HeaderMap) -> Result<&'s Partner, Response> {
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let partner = authenticate(&state.config, &state.verified, auth).ok_or_else(|| {
        error(
            StatusCode::UNAUTHORIZED,
            "authentication required",
            "give HTTP Basic credentials or a bearer token of a configured partner",
        )
    })?;
    if !accepts_taxii(headers) {
        return Err(error(
            StatusCode::NOT_ACCEPTABLE,
            "not acceptable",
            format!("this server answers {TAXII}; send it in Accept"),
        ));
    }
    Ok(partner)
}

/// A collection the partner may read or write; others do not exist for it.
fn visible<'s>(
    state: &'s AppState,
    partner: &Partner,
    id: &str,
) -> Result<&'s Collection, Response> {
    state
        .config
        .collection(id)
        .filter(|c| c.can_read(partner) || c.can_write(partner))
        .ok_or_else(|| {
            error(
                StatusCode::NOT_FOUND,
                "collection not found",
                format!("no collection {id:?} here"),
            )
        })
}

/// A visible collection the partner may read (`write` false) or write (`write` true).
fn granted<'s>(
    state: &'s AppState,
    partner: &Partner,
    id: &str,
    write: bool,
) -> Result<&'s Collection, Response> {
    let c = visible(state, partner, id)?;
    let (ok, verb) = if write {
        (c.can_write(partner), "write to")
    } else {
        (c.can_read(partner), "read")
    };
    if !ok {
        return Err(error(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("{} may not {verb} collection {id:?}", partner.name),
        ));
    }
    Ok(c)
}

fn readable<'s>(
    state: &'s AppState,
    partner: &Partner,
    id: &str,
) -> Result<&'s Collection, Response> {
    granted(state, partner, id, false)
}

fn writable<'s>(
    state: &'s AppState,
    partner: &Partner,
    id: &str,
) -> Result<&'s Collection, Response> {
    granted(state, partner, id, true)
}

fn internal(e: impl std::fmt::Display) -> Response {
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "server error",
        e.to_string(),
    )
}

fn bad_request(message: String) -> Response {
    error(StatusCode::BAD_REQUEST, "bad request", message)
}

fn query(
    state: &AppState,
    collection: &Collection,
    filter: &Filter,
    partner: &Partner,
) -> Result<Vec<Stored>, Response> {
    let store = state.store.lock().map_err(internal)?;
    store
        .query(&collection.id, filter, partner.clearance)
        .map_err(internal)
}

fn collection_json(c: &Collection, partner: &Partner) -> Value {
    let mut v = json!({
        "id": c.id,
        "title": c.title,
        "can_read": c.can_read(partner),
        "can_write": c.can_write(partner),
        "media_types": [STIX],
    });
    if let (Some(d), Some(obj)) = (&c.description, v.as_object_mut()) {
        obj.insert("description".into(), d.clone().into());
    }
    v
}

fn dates(rows: &[Stored]) -> (Option<String>, Option<String>) {
    (
        rows.first().map(Stored::date_added),
        rows.last().map(Stored::date_added),
    )
}

/// `{"more", "next", KEY: [...]}` of one page.
fn paged(key: &str, items: Vec<Value>, page: &[Stored], more: bool) -> Value {
    let mut v = json!({ "more": more });
    if let Some(obj) = v.as_object_mut() {
        if more {
            if let Some(last) = page.last() {
                obj.insert("next".into(), next_token(last.seq).into());
            }
        }
        if !items.is_empty() {
            obj.insert(key.into(), Value::Array(items));
        }
    }
    v
}

/// One page of a readable collection's objects as `key` entries made by `item`; with
/// `object`, a 404 when nothing is found.
fn listing(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    filter: Result<Filter, Response>,
    object: Option<&str>,
    key: &str,
    item: impl Fn(&Stored) -> Option<Value>,
) -> Response {
    let run = || -> Result<Response, Response> {
        let partner = gate(state, headers)?;
        let c = readable(state, partner, id)?;
        let filter = filter?;
        let rows = query(state, c, &filter, partner)?;
        if let (true, Some(object)) = (rows.is_empty(), object) {
            return Err(object_not_found(object));
        }
        let (page, more) = filter.page(&rows, state.config.page_size);
        let items = page.iter().filter_map(item).collect();
        let (first, last) = dates(page);
        Ok(taxii_dated(&paged(key, items, page, more), first, last))
    };
    run().unwrap_or_else(|r| r)
}

fn object_json(s: &Stored) -> Option<Value> {
    serde_json::from_str(&s.json).ok()
}

async fn discovery(State(state): State<Shared>, headers: HeaderMap) -> Response {
    if let Err(r) = gate(&state, &headers) {
        return r;
    }
    let c = &state.config;
    let root = format!("/{}/", c.api_root);
    let mut v = json!({ "title": c.title, "default": root, "api_roots": [root] });
    if let Some(obj) = v.as_object_mut() {
        for (k, val) in [("description", &c.description), ("contact", &c.contact)] {
            if let Some(text) = val {
                obj.insert(k.into(), text.clone().into());
            }
        }
    }
    taxii(StatusCode::OK, &v)
}

async fn api_root(State(state): State<Shared>, headers: HeaderMap) -> Response {
    if let Err(r) = gate(&state, &headers) {
        return r;
    }
    taxii(
        StatusCode::OK,
        &json!({
            "title": state.config.title,
            "versions": [TAXII],
            "max_content_length": state.config.max_content_length,
        }),
    )
}

async fn status(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let partner = match gate(&state, &headers) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let found = match state.store.lock() {
        Ok(store) => store.status(&id, &partner.name),
        Err(e) => return internal(e),
    };
    match found {
        Ok(Some(v)) => taxii(StatusCode::OK, &v),
        Ok(None) => error(
            StatusCode::NOT_FOUND,
            "status not found",
            format!("no status {id:?} of yours"),
        ),
        Err(e) => internal(e),
    }
}

async fn collections(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let partner = match gate(&state, &headers) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let list: Vec<Value> = state
        .config
        .collections
        .iter()
        .filter(|c| c.can_read(partner) || c.can_write(partner))
        .map(|c| collection_json(c, partner))
        .collect();
    let mut v = json!({});
    if !list.is_empty() {
        v = json!({ "collections": list });
    }
    taxii(StatusCode::OK, &v)
}

async fn collection(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let run = || -> Result<Response, Response> {
        let partner = gate(&state, &headers)?;
        let c = visible(&state, partner, &id)?;
        Ok(taxii(StatusCode::OK, &collection_json(c, partner)))
    };
    run().unwrap_or_else(|r| r)
}

async fn get_objects(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let filter = Filter::parse(q.as_deref(), Allowed::Objects).map_err(bad_request);
    listing(&state, &headers, &id, filter, None, "objects", object_json)
}

async fn manifest(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let filter = Filter::parse(q.as_deref(), Allowed::Objects).map_err(bad_request);
    listing(&state, &headers, &id, filter, None, "objects", |s| {
        Some(json!({
            "id": s.id,
            "date_added": s.date_added(),
            "version": s.version,
            "media_type": STIX,
        }))
    })
}

/// The filter of one object's endpoints: the path's id plus what the query allows.
fn object_filter(q: Option<&str>, allowed: Allowed, object: &str) -> Result<Filter, Response> {
    let mut filter = Filter::parse(q, allowed).map_err(bad_request)?;
    filter.ids = vec![object.to_owned()];
    Ok(filter)
}

fn object_not_found(object: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        "object not found",
        format!("no object {object:?} in this collection"),
    )
}

async fn get_object(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path((id, object)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    let filter = object_filter(q.as_deref(), Allowed::Object, &object);
    listing(
        &state,
        &headers,
        &id,
        filter,
        Some(&object),
        "objects",
        object_json,
    )
}

async fn versions(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path((id, object)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    let filter = object_filter(q.as_deref(), Allowed::Versions, &object).map(|mut f| {
        f.select_all_versions();
        f
    });
    listing(
        &state,
        &headers,
        &id,
        filter,
        Some(&object),
        "versions",
        |s| Some(s.version.clone().into()),
    )
}

async fn delete_object(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path((id, object)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    let run = || -> Result<Response, Response> {
        let partner = gate(&state, &headers)?;
        let c = readable(&state, partner, &id)?;
        let c = writable(&state, partner, &c.id)?;
        let mut filter = object_filter(q.as_deref(), Allowed::Object, &object)?;
        filter.default_to_all_versions();
        let deleted = state
            .store
            .lock()
            .map_err(internal)?
            .delete(&c.id, &filter, partner.clearance)
            .map_err(internal)?;
        if deleted == 0 {
            return Err(object_not_found(&object));
        }
        Ok(taxii(StatusCode::OK, &json!({})))
    };
    run().unwrap_or_else(|r| r)
}

/// A status id: a UUID-shaped digest of the time and a counter.
fn status_id(state: &AppState) -> String {
    let n = state.statuses.fetch_add(1, Ordering::Relaxed);
    let d = Sha256::new()
        .chain_update(Utc::now().timestamp_nanos_opt().unwrap_or(0).to_le_bytes())
        .chain_update(n.to_le_bytes())
        .finalize();
    let h: String = d.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-4{}-8{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

async fn add_objects(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Response {
    let partner = match gate(&state, &headers) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let c = match writable(&state, partner, &id) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !names_taxii(content_type) {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported media type",
            format!("POST an envelope as {TAXII}"),
        );
    }
    let max = state.config.max_content_length;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let too_large = || {
        error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request too large",
            format!("the API root's max_content_length is {max} bytes"),
        )
    };
    if declared.is_some_and(|n| n > max) {
        return too_large();
    }
    let Ok(bytes) = to_bytes(body, max).await else {
        return too_large();
    };
    let envelope: Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => return bad_request(format!("the body is not JSON: {e}")),
    };
    let Some(objects) = envelope.get("objects").and_then(Value::as_array) else {
        return bad_request("an envelope is an object with an `objects` array".into());
    };
    let requested = timestamp(Utc::now().timestamp_micros());
    let outcome = match state.store.lock() {
        Ok(mut store) => store.add(&c.id, objects, c.default_tlp),
        Err(e) => return internal(e),
    };
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) => return internal(e),
    };
    let sid = status_id(&state);
    let status = json!({
        "id": sid,
        "status": "complete",
        "request_timestamp": requested,
        "total_count": outcome.successes.len() + outcome.failures.len(),
        "success_count": outcome.successes.len(),
        "successes": outcome.successes,
        "failure_count": outcome.failures.len(),
        "failures": outcome.failures,
        "pending_count": 0,
    });
    let saved = match state.store.lock() {
        Ok(store) => store.put_status(&sid, &partner.name, &status),
        Err(e) => return internal(e),
    };
    if let Err(e) = saved {
        return internal(e);
    }
    taxii(StatusCode::ACCEPTED, &status)
}
