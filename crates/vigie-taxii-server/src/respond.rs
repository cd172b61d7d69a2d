//! TAXII responses: the media types, JSON bodies, the date-added headers and error bodies.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// The TAXII 2.1 media type of every resource.
pub const TAXII: &str = "application/taxii+json;version=2.1";
/// The STIX 2.1 media type, as manifests name it.
pub const STIX: &str = "application/stix+json;version=2.1";

/// A TAXII resource.
pub fn taxii(status: StatusCode, body: &Value) -> Response {
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(TAXII));
    r
}

/// A TAXII resource with the `X-TAXII-Date-Added-First` / `-Last` headers.
pub fn taxii_dated(body: &Value, first: Option<String>, last: Option<String>) -> Response {
    let mut r = taxii(StatusCode::OK, body);
    for (name, value) in [
        ("x-taxii-date-added-first", first),
        ("x-taxii-date-added-last", last),
    ] {
        if let Some(v) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
            r.headers_mut().insert(name, v);
        }
    }
    r
}

/// A TAXII error body.
pub fn error(status: StatusCode, title: &str, description: impl Into<String>) -> Response {
    let description = description.into();
    let mut r = taxii(
        status,
        &json!({
            "title": title,
            "http_status": status.as_u16().to_string(),
            "description": description,
        }),
    );
    if status == StatusCode::UNAUTHORIZED {
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"vigie-taxii\", Bearer"),
        );
    }
    r
}

/// Whether a media-type header names TAXII 2.1 (`application/taxii+json;version=2.1`, any
/// spacing or case, among others for `Accept`).
pub fn names_taxii(value: &str) -> bool {
    value.split(',').any(|range| {
        let mut parts = range.split(';').map(|p| p.trim().to_ascii_lowercase());
        parts.next().as_deref() == Some("application/taxii+json")
            && parts.any(|p| p.replace(' ', "") == "version=2.1")
    })
}

/// The `Accept` header admits TAXII 2.1.
pub fn accepts_taxii(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(names_taxii)
}
